/*
 * testutil.h - shared helpers for the FAT engine's host tests: a mounted
 * volume over an in-memory image, paths, shell commands for the oracles
 * (mkfs.fat, mtools, fsck.fat), a scratch directory and a seeded PRNG.
 */
#ifndef VFSD_TESTS_TESTUTIL_H
#define VFSD_TESTS_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "fatfs.h"
#include "imgdev.h"

#define TEST_NOW 1700000000 /* 2023-11-14 22:13:20 UTC */

struct tvol {
	struct imgdev img;
	struct fat_volume v;
	struct arena arena;
	uint8_t *mem;
	struct fat_mount_info info;
	fat_handle_t root;
	int64_t now;        /* what the clock says */
	size_t cache_bytes; /* 0: the default */
	uint32_t max_nodes; /* 0: the default */
	size_t index_bytes; /* 0: the default; SIZE_MAX: no directory index */
};

/* Mounts t->img (already loaded) with flags; sets t->root. */
status_t tvol_mount(struct tvol *t, uint32_t flags);

/* Closes t->root and unmounts; returns fat_unmount()'s status. */
status_t tvol_unmount(struct tvol *t);

/* Frees the mount memory (not the image). */
void tvol_release(struct tvol *t);

/* Opens the path (components joined by '/', "" for the root). */
status_t tpath_open(struct tvol *t, const char *path, fat_handle_t *out);

/* Splits path into its directory (opened into *dir) and last component. */
status_t tpath_parent(struct tvol *t, const char *path, fat_handle_t *dir, const char **name);

/* Creates or replaces the file at path with len bytes of data. */
status_t tpath_write(struct tvol *t, const char *path, const void *data, size_t len);

/* Reads the whole file at path into a malloc'd buffer. */
status_t tpath_read(struct tvol *t, const char *path, uint8_t **data, size_t *len);

status_t tpath_mkdir(struct tvol *t, const char *path);
status_t tpath_unlink(struct tvol *t, const char *path);
status_t tpath_rmdir(struct tvol *t, const char *path);
status_t tpath_rename(struct tvol *t, const char *from, const char *to);

/* Sets up the environment for the host tools (UTF-8, UTC, no mtools
 * geometry checks) and returns a fresh scratch directory, removed at exit. */
const char *test_setup(void);

/* Runs a shell command; returns its output (stdout and stderr, malloc'd)
 * and stores the exit status in *status. */
char *sh(int *status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Runs fsck.fat -n on img. Returns 1 if clean (exit 0 and only the two
 * standard lines), else 0; *out gets the output (malloc'd) if not NULL. */
int fsck_clean(const char *img, char **out);

/* Makes a FAT image at path with mkfs.fat options opts (e.g. "-F 32 -s 1")
 * of kib KiB; 0 on success. */
int make_image(const char *path, const char *opts, unsigned kib);

/* One directory entry as the engine lists it. */
struct tentry {
	char name[FAT_UTF8_MAX + 1];
	char short_name[40];
	uint8_t type, attr;
	uint16_t flags;
	uint32_t size;
	int64_t mtime;
};

/* Lists directory dir completely into a malloc'd array; *n entries.
 * bufsize is the readdir buffer to use (small ones test resumption). */
status_t list_dir(struct tvol *t, fat_handle_t dir, size_t bufsize, struct tentry **out, size_t *n);

/*
 * Compares the engine's directory dir with the host directory host,
 * recursively: the same names, types, sizes and bytes, and if check_mtime
 * the same modification times (to 2 s). Returns 0 if equal; else 1 with
 * the first difference in why.
 */
int compare_tree(struct tvol *t, fat_handle_t dir, const char *host, int check_mtime, char *why,
		 size_t whylen);

/* splitmix64 */
uint64_t rng_next(uint64_t *state);

/* Fills buf with len bytes determined by seed. */
void fill_bytes(uint8_t *buf, size_t len, uint64_t seed);

#endif
