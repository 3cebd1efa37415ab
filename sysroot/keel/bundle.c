/*
 * bundle.c - the boot bundle's files as /bundle/NAME, read-only, until
 * vfsd exists (a file kind of its own, KEEL_FD_BUNDLE).
 *
 * A task that holds the bundle capability (the root task; a spawned task
 * if its spawner granted one as start->bundle; a launched program given
 * one named "bundle", docs/launch.md) sees every regular file of
 * the bundle archive under /bundle: open with O_RDONLY, read, pread, lseek,
 * fstat and stat work; writing or creating is EROFS. The archive is mapped
 * read-only on first use with keel_map and stays mapped; a file's bytes
 * are read from it in place. A task without the capability finds nothing
 * there (ENOENT).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "backend.h"
#include "bundle.h"
#include "lib/ustar.h"
#include "fdsys.h"
#include "keel/launch.h"
#include "keel/map.h"
#include "keel/sys.h"

#define DIR_NAME "bundle"

static struct {
	volatile int lock;
	const void *archive; /* mapped on first use; NULL before */
	uint64_t bytes;
} bundle;

/* Maps a bundle capability whose size is not known (a launched program's
 * "bundle"): the most pages that map, found by halving the step. */
static void map_unsized(cap_handle_t cap)
{
	uint64_t pages = 0;
	void *at;
	for (uint64_t step = 32768; step; step /= 2) {
		if (keel_map(cap, 0, pages + step, RIGHT_READ, &at) == STATUS_OK) {
			keel_unmap(at, pages + step);
			pages += step;
		}
	}
	if (pages && keel_map(cap, 0, pages, RIGHT_READ, &at) == STATUS_OK) {
		bundle.archive = at;
		bundle.bytes = pages * KEEL_PAGE_SIZE;
	}
}

/* The mapped archive, or NULL if the task has none or it cannot be mapped. */
static const void *archive(void)
{
	const struct keel_start *s = keel_start_page();
	keel_lock(&bundle.lock);
	if (!bundle.archive && s->bundle == CAP_HANDLE_NONE &&
	    launch_cap(s, "bundle") != CAP_HANDLE_NONE)
		map_unsized(launch_cap(s, "bundle"));
	if (!bundle.archive && s->bundle != CAP_HANDLE_NONE && s->bundle_bytes) {
		void *at;
		uint64_t pages = (s->bundle_bytes + KEEL_PAGE_SIZE - 1) / KEEL_PAGE_SIZE;
		if (keel_map(s->bundle, 0, pages, RIGHT_READ, &at) == STATUS_OK) {
			bundle.archive = at;
			bundle.bytes = s->bundle_bytes;
		}
	}
	keel_unlock(&bundle.lock);
	return bundle.archive;
}

int keel_bundle_owns(const struct path *p)
{
	const char *s;
	size_t n;
	return path_component(p, 0, &s, &n) == STATUS_OK && n == strlen(DIR_NAME) &&
	       !memcmp(s, DIR_NAME, n);
}

/* The file below /bundle that p names: its bytes, or -errno. */
static long find(const struct path *p, const void **data, size_t *size)
{
	char name[PATH_COMPONENT_MAX + 1];
	const char *s;
	size_t n;
	if (path_count(p) != 2)
		return path_count(p) == 1 ? -EISDIR : -ENOENT;
	path_component(p, 1, &s, &n);
	memcpy(name, s, n);
	name[n] = 0;
	const void *a = archive();
	if (!a || ustar_find(a, bundle.bytes, name, data, size) != STATUS_OK)
		return -ENOENT;
	return 0;
}

static long bundle_read(struct keel_file *f, void *buf, size_t n, int64_t off)
{
	uint64_t size = f->kind_data[1], at = off < 0 ? (uint64_t)f->offset : (uint64_t)off;
	if (at >= size)
		return 0;
	if (n > size - at)
		n = size - at;
	memcpy(buf, (const char *)(uintptr_t)f->kind_data[0] + at, n);
	if (off < 0)
		f->offset += (int64_t)n;
	return (long)n;
}

static long bundle_seek(struct keel_file *f, int64_t off, int whence)
{
	int64_t base = whence == SEEK_SET   ? 0
		       : whence == SEEK_CUR ? f->offset
		       : whence == SEEK_END ? (int64_t)f->kind_data[1]
					    : -1;
	if (base < 0 || (off < 0 && -off > base) || (off > 0 && off > INT64_MAX - base))
		return -EINVAL;
	f->offset = base + off;
	return f->offset;
}

/* A file of the archive: its identity is its place there. */
static void regular(struct stat *st, const void *data, uint64_t size)
{
	memset(st, 0, sizeof *st);
	st->st_dev = KEEL_DEV_BUNDLE;
	st->st_ino = (ino_t)((const char *)data - (const char *)bundle.archive) / 512 + 2;
	st->st_mode = S_IFREG | 0444;
	st->st_nlink = 1;
	st->st_size = (off_t)size;
	st->st_blksize = 4096;
	st->st_blocks = (blkcnt_t)((size + 511) / 512);
}

static long bundle_fstat(struct keel_file *f, struct stat *st)
{
	regular(st, (const void *)(uintptr_t)f->kind_data[0], f->kind_data[1]);
	return 0;
}

static long bundle_poll(struct keel_file *f, short events)
{
	(void)f;
	return events & 0x005; /* POLLIN | POLLOUT: never blocks */
}

static const struct keel_file_ops bundle_ops = {
	.read = bundle_read,
	.seek = bundle_seek,
	.stat = bundle_fstat,
	.poll = bundle_poll,
};

long keel_bundle_open(const struct path *p, int flags)
{
	const void *data;
	size_t size;
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC)))
		return -EROFS;
	long r = find(p, &data, &size);
	if (r)
		return r;
	const cap_handle_t caps[KEEL_FILE_CAPS] = { keel_start_page()->bundle, CAP_HANDLE_NONE };
	const uint64_t where[2] = { (uint64_t)(uintptr_t)data, size };
	return fdt_open(keel_fdt(), 0, KEEL_FD_BUNDLE, &bundle_ops, caps, where, O_RDONLY,
			(flags & O_CLOEXEC) ? FD_CLOEXEC : 0);
}

long keel_bundle_stat(const struct path *p, struct stat *st)
{
	const void *data;
	size_t size;
	if (path_count(p) == 1) {
		if (!archive())
			return -ENOENT;
		memset(st, 0, sizeof *st);
		st->st_dev = KEEL_DEV_BUNDLE;
		st->st_ino = 1;
		st->st_mode = S_IFDIR | 0555;
		st->st_nlink = 2;
		return 0;
	}
	long r = find(p, &data, &size);
	if (r == 0)
		regular(st, data, size);
	return r;
}
