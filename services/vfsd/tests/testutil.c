/* testutil.c - helpers for the FAT engine's host tests (see testutil.h). */
#define _GNU_SOURCE
#include "testutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define DEFAULT_CACHE (256 * 1024)
#define DEFAULT_NODES 64

static int64_t test_clock(void *ctx)
{
	return *(const int64_t *)ctx;
}

status_t tvol_mount(struct tvol *t, uint32_t flags)
{
	size_t cache = t->cache_bytes ? t->cache_bytes : DEFAULT_CACHE;
	uint32_t nodes = t->max_nodes ? t->max_nodes : DEFAULT_NODES;
	size_t bytes = cache + fat_mount_overhead(nodes);
	struct fat_mount_params p = {
		.dev = &t->img.dev, .arena = &t->arena, .cache_bytes = cache, .max_nodes = nodes,
		.flags = flags, .tz_minutes = 0, .clock = test_clock, .clock_ctx = &t->now,
	};
	status_t st;

	if (!t->now)
		t->now = TEST_NOW;
	free(t->mem);
	t->mem = malloc(bytes);
	if (!t->mem)
		return STATUS_NO_MEMORY;
	arena_init(&t->arena, t->mem, bytes);
	st = fat_mount(&t->v, &p, &t->info);
	if (st == STATUS_OK)
		st = fat_root(&t->v, &t->root);
	return st;
}

status_t tvol_unmount(struct tvol *t)
{
	fat_close(&t->v, t->root);
	return fat_unmount(&t->v);
}

void tvol_release(struct tvol *t)
{
	free(t->mem);
	t->mem = NULL;
}

/* Opens the first n bytes of path from the root. */
static status_t open_prefix(struct tvol *t, const char *path, size_t n, fat_handle_t *out)
{
	fat_handle_t h;
	status_t st = fat_root(&t->v, &h);
	size_t i = 0;

	while (st == STATUS_OK && i < n) {
		size_t j = i;
		while (j < n && path[j] != '/')
			j++;
		fat_handle_t next;
		st = fat_open(&t->v, h, path + i, j - i, &next);
		fat_close(&t->v, h);
		h = next;
		i = j + 1;
	}
	if (st == STATUS_OK)
		*out = h;
	return st;
}

status_t tpath_open(struct tvol *t, const char *path, fat_handle_t *out)
{
	return open_prefix(t, path, strlen(path), out);
}

status_t tpath_parent(struct tvol *t, const char *path, fat_handle_t *dir, const char **name)
{
	const char *slash = strrchr(path, '/');

	*name = slash ? slash + 1 : path;
	return open_prefix(t, path, slash ? (size_t)(slash - path) : 0, dir);
}

status_t tpath_write(struct tvol *t, const char *path, const void *data, size_t len)
{
	fat_handle_t d, f;
	const char *name;
	size_t done;
	status_t st = tpath_parent(t, path, &d, &name);

	if (st)
		return st;
	st = fat_create(&t->v, d, name, strlen(name), FAT_CREATE_TRUNC, &f);
	fat_close(&t->v, d);
	if (st)
		return st;
	st = fat_write(&t->v, f, 0, data, len, &done);
	status_t cs = fat_close(&t->v, f);
	return st ? st : cs;
}

status_t tpath_read(struct tvol *t, const char *path, uint8_t **data, size_t *len)
{
	fat_handle_t f;
	struct fat_stat s;
	status_t st = tpath_open(t, path, &f);

	*data = NULL;
	*len = 0;
	if (st)
		return st;
	st = fat_stat(&t->v, f, &s);
	if (st == STATUS_OK) {
		*data = malloc(s.size ? s.size : 1);
		st = fat_read(&t->v, f, 0, *data, s.size, len);
	}
	fat_close(&t->v, f);
	return st;
}

/* Runs op on the parent of path and its last component. */
static status_t on_parent(struct tvol *t, const char *path,
			  status_t (*op)(struct fat_volume *, fat_handle_t, const char *, size_t))
{
	fat_handle_t d;
	const char *name;
	status_t st = tpath_parent(t, path, &d, &name);

	if (st)
		return st;
	st = op(&t->v, d, name, strlen(name));
	fat_close(&t->v, d);
	return st;
}

static status_t mkdir_op(struct fat_volume *v, fat_handle_t d, const char *n, size_t len)
{
	return fat_mkdir(v, d, n, len, NULL);
}

status_t tpath_mkdir(struct tvol *t, const char *path)
{
	return on_parent(t, path, mkdir_op);
}

status_t tpath_unlink(struct tvol *t, const char *path)
{
	return on_parent(t, path, fat_unlink);
}

status_t tpath_rmdir(struct tvol *t, const char *path)
{
	return on_parent(t, path, fat_rmdir);
}

status_t tpath_rename(struct tvol *t, const char *from, const char *to)
{
	fat_handle_t fd, td;
	const char *fn, *tn;
	status_t st = tpath_parent(t, from, &fd, &fn);

	if (st)
		return st;
	st = tpath_parent(t, to, &td, &tn);
	if (st == STATUS_OK) {
		st = fat_rename(&t->v, fd, fn, strlen(fn), td, tn, strlen(tn));
		fat_close(&t->v, td);
	}
	fat_close(&t->v, fd);
	return st;
}

/* ---------------------------------------------------------------- host tools */

static char scratch[256];

static void remove_scratch(void)
{
	char cmd[300];

	if (scratch[0] && !getenv("VFSD_KEEP_SCRATCH")) {
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", scratch);
	}
}

const char *test_setup(void)
{
	setenv("MTOOLS_SKIP_CHECK", "1", 1);
	setenv("MTOOLS_LOWER_CASE", "0", 1);
	setenv("LC_ALL", "C.UTF-8", 1);
	setenv("TZ", "UTC", 1);
	setenv("MTOOLSRC", "/dev/null", 1);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!scratch[0]) {
		const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
		snprintf(scratch, sizeof scratch, "%s/vfsd-test.XXXXXX", base);
		if (!mkdtemp(scratch)) {
			perror("mkdtemp");
			exit(2);
		}
		atexit(remove_scratch);
	}
	return scratch;
}

char *sh(int *status, const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	size_t cap = 4096, len = 0;
	char *out = malloc(cap);

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	FILE *p = popen(cmd, "r");
	if (!p || !out) {
		*status = -1;
		if (out)
			out[0] = '\0';
		return out;
	}
	size_t n;
	while ((n = fread(out + len, 1, cap - len - 1, p)) > 0) {
		len += n;
		if (cap - len < 2048) {
			cap *= 2;
			out = realloc(out, cap);
		}
	}
	out[len] = '\0';
	int rc = pclose(p);
	*status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
	return out;
}

int fsck_clean(const char *img, char **out)
{
	int status, lines = 0, good = 1;
	char *o = sh(&status, "fsck.fat -n '%s' 2>&1", img);

	for (char *p = o; *p; p++)
		lines += *p == '\n';
	if (status != 0 || lines != 2 || strncmp(o, "fsck.fat ", 9) != 0 ||
	    !strstr(o, " files, ") || !strstr(o, " clusters\n"))
		good = 0;
	if (out)
		*out = o;
	else
		free(o);
	return good;
}

int make_image(const char *path, const char *opts, unsigned kib)
{
	int status;
	char *o = sh(&status, "rm -f '%s' && mkfs.fat -C %s '%s' %u 2>&1", path, opts, path, kib);

	if (status != 0)
		fprintf(stderr, "mkfs.fat failed: %s\n", o);
	free(o);
	return status == 0 ? 0 : -1;
}

/* ---------------------------------------------------------------- randomness */

uint64_t rng_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void fill_bytes(uint8_t *buf, size_t len, uint64_t seed)
{
	uint64_t s = seed, r = 0;

	for (size_t i = 0; i < len; i++) {
		if (i % 8 == 0)
			r = rng_next(&s);
		buf[i] = (uint8_t)(r >> (i % 8 * 8));
	}
}
