/* testutil.c - helpers for the FAT engine's host tests (see testutil.h). */
#define _GNU_SOURCE
#include "testutil.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define DEFAULT_CACHE (256 * 1024)
#define DEFAULT_INDEX (256 * 1024)
#define DEFAULT_NODES 64

static int64_t test_clock(void *ctx)
{
	return *(const int64_t *)ctx;
}

status_t tvol_mount(struct tvol *t, uint32_t flags)
{
	size_t cache = t->cache_bytes ? t->cache_bytes : DEFAULT_CACHE;
	uint32_t nodes = t->max_nodes ? t->max_nodes : DEFAULT_NODES;
	size_t index = t->index_bytes == SIZE_MAX ? 0
		       : t->index_bytes           ? t->index_bytes
						  : DEFAULT_INDEX;
	size_t bytes = cache + fat_mount_overhead(nodes) + index;
	struct fat_mount_params p = {
		.dev = &t->img.dev,
		.arena = &t->arena,
		.cache_bytes = cache,
		.max_nodes = nodes,
		.index_bytes = index,
		.flags = flags,
		.tz_minutes = 0,
		.clock = test_clock,
		.clock_ctx = &t->now,
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
	if (st) {
		free(*data);
		*data = NULL;
	}
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
		/* Images are written and checked many times: memory is faster. */
		const char *base = getenv("TMPDIR")                ? getenv("TMPDIR")
				   : access("/dev/shm", W_OK) == 0 ? "/dev/shm"
								   : "/tmp";
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

/* ---------------------------------------------------------------- trees */

status_t list_dir(struct tvol *t, fat_handle_t dir, size_t bufsize, struct tentry **out, size_t *n)
{
	uint8_t *buf = malloc(bufsize);
	uint32_t cookie = FAT_COOKIE_START;
	size_t cap = 64, used;
	status_t st = STATUS_OK;

	*n = 0;
	*out = malloc(cap * sizeof **out);
	while (cookie != FAT_COOKIE_END) {
		st = fat_readdir(&t->v, dir, &cookie, buf, bufsize, &used);
		if (st)
			break;
		for (size_t off = 0; off < used;) {
			const struct fat_dirent *d = (const void *)(buf + off);
			if (*n == cap)
				*out = realloc(*out, (cap *= 2) * sizeof **out);
			struct tentry *e = &(*out)[(*n)++];
			memcpy(e->name, d->name, d->namelen + 1u);
			snprintf(e->short_name, sizeof e->short_name, "%s", d->short_name);
			e->type = d->type;
			e->attr = d->attr;
			e->flags = d->flags;
			e->size = d->size;
			e->mtime = d->mtime;
			off += d->reclen;
		}
	}
	free(buf);
	return st;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of the host directory path (without . and ..). */
static char **host_names(const char *path, size_t *n)
{
	DIR *d = opendir(path);
	struct dirent *de;
	size_t cap = 64;
	char **v = malloc(cap * sizeof *v);

	*n = 0;
	while (d && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (*n == cap)
			v = realloc(v, (cap *= 2) * sizeof *v);
		v[(*n)++] = strdup(de->d_name);
	}
	if (d)
		closedir(d);
	qsort(v, *n, sizeof *v, cmp_names);
	return v;
}

static int cmp_entries(const void *a, const void *b)
{
	return strcmp(((const struct tentry *)a)->name, ((const struct tentry *)b)->name);
}

static uint8_t *host_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 4096;
	uint8_t *buf = malloc(cap);

	*len = 0;
	if (!f)
		return buf;
	size_t got;
	while ((got = fread(buf + *len, 1, cap - *len, f)) > 0) {
		*len += got;
		if (*len == cap)
			buf = realloc(buf, cap *= 2);
	}
	fclose(f);
	return buf;
}

/* Compares one engine entry e of dir with host path hp. */
static int compare_entry(struct tvol *t, fat_handle_t dir, const struct tentry *e, const char *hp,
			 int check_mtime, char *why, size_t whylen)
{
	struct stat hs;
	fat_handle_t h;

	if (stat(hp, &hs) != 0) {
		snprintf(why, whylen, "%s: not on the host", hp);
		return 1;
	}
	if ((e->type == FAT_TYPE_DIR) != !!S_ISDIR(hs.st_mode)) {
		snprintf(why, whylen, "%s: type differs", hp);
		return 1;
	}
	if (fat_open(&t->v, dir, e->name, strlen(e->name), &h) != STATUS_OK) {
		snprintf(why, whylen, "%s: engine cannot open its own listed name", hp);
		return 1;
	}
	int bad = 0;
	if (e->type == FAT_TYPE_DIR) {
		bad = compare_tree(t, h, hp, check_mtime, why, whylen);
	} else {
		size_t hl, got = 0;
		uint8_t *hb = host_read(hp, &hl), *eb = malloc(hl + 1);
		status_t st = fat_read(&t->v, h, 0, eb, hl + 1, &got);
		if (st || e->size != hl || got != hl || memcmp(hb, eb, hl) != 0) {
			snprintf(why, whylen, "%s: contents differ (st %d, size %u/%zu, read %zu)",
				 hp, st, e->size, hl, got);
			bad = 1;
		} else if (check_mtime && (e->mtime > hs.st_mtime || e->mtime + 2 <= hs.st_mtime)) {
			snprintf(why, whylen, "%s: mtime %lld vs host %lld", hp,
				 (long long)e->mtime, (long long)hs.st_mtime);
			bad = 1;
		}
		free(hb);
		free(eb);
	}
	fat_close(&t->v, h);
	return bad;
}

int compare_tree(struct tvol *t, fat_handle_t dir, const char *host, int check_mtime, char *why,
		 size_t whylen)
{
	struct tentry *es;
	size_t ne, nh;
	char **hn = host_names(host, &nh);
	int bad = 0;

	if (list_dir(t, dir, 4096, &es, &ne) != STATUS_OK) {
		snprintf(why, whylen, "%s: readdir failed", host);
		bad = 1;
	}
	qsort(es, ne, sizeof *es, cmp_entries);
	if (!bad && ne != nh) {
		snprintf(why, whylen, "%s: %zu entries, host has %zu", host, ne, nh);
		bad = 1;
	}
	for (size_t i = 0; !bad && i < ne; i++) {
		char hp[4096];
		if (strcmp(es[i].name, hn[i]) != 0) {
			snprintf(why, whylen, "%s: name \"%s\" vs host \"%s\"", host, es[i].name,
				 hn[i]);
			bad = 1;
			break;
		}
		snprintf(hp, sizeof hp, "%s/%s", host, hn[i]);
		bad = compare_entry(t, dir, &es[i], hp, check_mtime, why, whylen);
	}
	for (size_t i = 0; i < nh; i++)
		free(hn[i]);
	free(hn);
	free(es);
	return bad;
}
