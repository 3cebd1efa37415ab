/*
 * diskapps.h - launching programs from /apps on the system partition.
 *
 * A launch whose program the boot bundle lacks is looked up in /apps on
 * the volume the "vfs" service (vfsd) serves. initd opens /apps there
 * read-only, once per vfsd instance (again after vfsd restarts), with a
 * shared buffer of its own, and reads the whole file into a memory object
 * of its own: the ELF is then checked (elf_parse, the embedded manifest)
 * and spawned exactly as a bundled one, under the same launch rules. A
 * file that begins with "#!" is a script (launch.c starts its
 * interpreter). Nothing is cached: each launch reads the file afresh.
 */
#ifndef KEEL_INITD_DISKAPPS_H
#define KEEL_INITD_DISKAPPS_H

#include "services.h"
#include "keel/vfs.h"

#define DISKAPPS_DIR "apps"
#define DISKAPPS_MAX_BYTES (8u << 20) /* the largest program read from the disk */

/* initd's handle on /apps (part of struct launcher). */
struct diskapps {
	cap_handle_t dir;    /* /apps, VFS_R_READ, with client's buffer attached */
	uint32_t vfs_hellos; /* the vfs provider's hellos when dir was opened */
	struct vfs_client client;
};

/* A program read from the disk, in a memory object initd maps. */
struct disk_image {
	cap_handle_t mem; /* CAP_HANDLE_NONE: nothing read */
	void *at;
	uint64_t pages;
	size_t bytes;
};

/*
 * Reads /apps/name into *img. Returns STATUS_OK; NOT_FOUND when there is
 * no such file (or no vfs service, or no /apps); INVALID for a name that
 * is not one path component; BAD_FORMAT for an empty file, or one that
 * changed size while being read; RANGE for one over DISKAPPS_MAX_BYTES;
 * else the status of the vfsd call or of making the memory.
 */
status_t diskapps_read(struct initd *d, struct diskapps *da, const char *name,
		       struct disk_image *img);

/* True if img is a "#!" script; then interp (n bytes) gets the
 * interpreter's last path component ("/apps/sh" gives "sh"); BAD_FORMAT
 * for a "#!" line without one, or too long. */
bool diskapps_script(const struct disk_image *img, char *interp, size_t n, status_t *st);

/* Checks img as an executable (elf_parse, an embedded manifest) and
 * points *text at its manifest. BAD_FORMAT for a file that is not one. */
status_t diskapps_manifest(const struct disk_image *img, const void **text, size_t *size);

/* Unmaps and deletes what diskapps_read made. */
void diskapps_free(struct disk_image *img);

#endif
