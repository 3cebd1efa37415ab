/*
 * file.c - file loading and atomic saving (see file.h).
 */
#define _XOPEN_SOURCE 700
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef O_DIRECTORY
#define O_DIRECTORY 0
#endif

static int p_open(void *ctx, const char *path, int flags, unsigned mode)
{
	(void)ctx;
	return open(path, flags | O_CLOEXEC, (mode_t)mode);
}

static ssize_t p_read(void *ctx, int fd, void *p, size_t n)
{
	(void)ctx;
	return read(fd, p, n);
}

static ssize_t p_write(void *ctx, int fd, const void *p, size_t n)
{
	(void)ctx;
	return write(fd, p, n);
}

static int p_fsync(void *ctx, int fd)
{
	(void)ctx;
	return fsync(fd);
}

static int p_close(void *ctx, int fd)
{
	(void)ctx;
	return close(fd);
}

static int p_fchmod(void *ctx, int fd, unsigned mode)
{
	(void)ctx;
	return fchmod(fd, (mode_t)mode);
}

static int p_rename(void *ctx, const char *from, const char *to)
{
	(void)ctx;
	return rename(from, to);
}

static int p_unlink(void *ctx, const char *path)
{
	(void)ctx;
	return unlink(path);
}

static int p_mode_of(void *ctx, const char *path, unsigned *mode)
{
	struct stat st;

	(void)ctx;
	if (stat(path, &st) != 0)
		return -1;
	*mode = (unsigned)st.st_mode & 07777;
	return 0;
}

static int p_size_of(void *ctx, int fd, size_t *size)
{
	struct stat st;

	(void)ctx;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 0 ||
	    (uintmax_t)st.st_size >= SIZE_MAX / 2)
		return -1;
	*size = (size_t)st.st_size;
	return 0;
}

const struct file_ops file_posix_ops = {
	p_open,   p_read,   p_write,   p_fsync, p_close,   p_fchmod,
	p_rename, p_unlink, p_mode_of, NULL,    p_size_of,
};

/* Fills *e from errno and returns the matching status. */
static status_t fail(struct file_error *e, int err)
{
	e->err = err;
	switch (err) {
	case ENOENT:
	case ENOTDIR:
		e->st = STATUS_NOT_FOUND;
		break;
	case EACCES:
	case EPERM:
	case EROFS:
		e->st = STATUS_NO_RIGHTS;
		break;
	case ENOSPC:
	case EDQUOT:
		e->st = STATUS_FULL;
		break;
	case ENOMEM:
		e->st = STATUS_NO_MEMORY;
		break;
	case EEXIST:
		e->st = STATUS_EXISTS;
		break;
	case EBUSY:
		e->st = STATUS_BUSY;
		break;
	default:
		e->st = STATUS_INVALID;
		break;
	}
	return e->st;
}

/* Reads all of fd into a malloc'd block: one of the file's size (plus one
 * byte, to see the end) when the size is known, growing if it grows. */
static status_t read_all(const struct file_ops *ops, int fd, char **data, size_t *len,
			 struct file_error *e)
{
	size_t cap = 65536, n = 0, size;
	char *p;

	if (ops->size_of && ops->size_of(ops->ctx, fd, &size) == 0)
		cap = size + 1;
	p = malloc(cap);

	while (p) {
		ssize_t k;
		if (n == cap) {
			char *q = cap > SIZE_MAX / 2 ? NULL : realloc(p, cap * 2);
			if (!q)
				break;
			p = q;
			cap *= 2;
		}
		k = ops->read(ops->ctx, fd, p + n, cap - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			free(p);
			return fail(e, errno);
		}
		if (k == 0) {
			*data = p;
			*len = n;
			return STATUS_OK;
		}
		n += (size_t)k;
	}
	free(p);
	return fail(e, ENOMEM);
}

status_t file_load(const struct file_ops *ops, const char *path, struct buf *b, bool *is_new,
		   struct file_error *e)
{
	int fd = ops->open(ops->ctx, path, O_RDONLY, 0);
	char *data = NULL;
	size_t len = 0;
	status_t st;

	e->st = STATUS_OK;
	e->err = 0;
	*is_new = false;
	if (fd < 0 && errno == ENOENT) {
		*is_new = true;
		return buf_set(b, "", 0);
	}
	if (fd < 0)
		return fail(e, errno);
	st = read_all(ops, fd, &data, &len, e);
	ops->close(ops->ctx, fd);
	if (st)
		return st;
	st = buf_set(b, data, len);
	free(data);
	if (st)
		e->st = st;
	return st;
}

/* Writes all n bytes, across short writes and interruptions. */
static int write_all(const struct file_ops *ops, int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t k = ops->write(ops->ctx, fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			if (k == 0)
				errno = EIO;
			return -1;
		}
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* The paths a save uses: the real target (symbolic links followed), its
 * directory and a temporary name beside it. */
struct save_paths {
	char target[PATH_MAX], dir[PATH_MAX], tmp[2 * PATH_MAX + 32];
};

static status_t plan_paths(const char *path, struct save_paths *sp, struct file_error *e)
{
	char *slash;

	if (!realpath(path, sp->target)) {
		if (errno != ENOENT || strlen(path) >= sizeof sp->target)
			return fail(e, errno == ENOENT ? ENAMETOOLONG : errno);
		strcpy(sp->target, path);
	}
	strcpy(sp->dir, sp->target);
	slash = strrchr(sp->dir, '/');
	if (!slash)
		strcpy(sp->dir, ".");
	else if (slash == sp->dir)
		sp->dir[1] = '\0';
	else
		*slash = '\0';
	return STATUS_OK;
}

/* Creates the temporary file beside the target; returns its descriptor. */
static int create_tmp(const struct file_ops *ops, struct save_paths *sp, unsigned mode)
{
	const char *base = strrchr(sp->target, '/');

	base = base ? base + 1 : sp->target;
	for (int i = 0; i < 100; i++) {
		int fd;
		if (snprintf(sp->tmp, sizeof sp->tmp, "%s/.%s.edit%d~", sp->dir, base, i) >=
		    PATH_MAX) {
			errno = ENAMETOOLONG;
			return -1;
		}
		fd = ops->open(ops->ctx, sp->tmp, O_WRONLY | O_CREAT | O_EXCL, mode);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	return -1;
}

/* Writes the text to fd, sets its mode and makes it durable. */
static int write_tmp(const struct file_ops *ops, int fd, const struct buf *b, unsigned mode,
		     bool keep_mode)
{
	const char *p;
	size_t n, i = 0;

	while (buf_chunk(b, &i, &p, &n))
		if (write_all(ops, fd, p, n))
			return -1;
	/* Where files have no permission bits (Keel's FAT), there is none to
	 * keep: that refusal is not a failure of the save. */
	if (keep_mode && ops->fchmod(ops->ctx, fd, mode) && errno != ENOSYS && errno != ENOTSUP)
		return -1;
	return ops->fsync(ops->ctx, fd);
}

/* Fsyncs the directory so that the rename itself is durable. Failure is not
 * reported: the new file is in place, and some systems cannot do this. */
static void sync_dir(const struct file_ops *ops, const char *dir)
{
	int fd = ops->open(ops->ctx, dir, O_RDONLY | O_DIRECTORY, 0);

	if (fd < 0)
		return;
	ops->fsync(ops->ctx, fd);
	ops->close(ops->ctx, fd);
}

status_t file_save(const struct file_ops *ops, const char *path, const struct buf *b,
		   struct file_error *e)
{
	struct save_paths sp;
	unsigned mode = 0666;
	bool keep_mode;
	int fd, err;

	e->st = STATUS_OK;
	e->err = 0;
	if (plan_paths(path, &sp, e))
		return e->st;
	keep_mode = ops->mode_of(ops->ctx, sp.target, &mode) == 0;
	fd = create_tmp(ops, &sp, mode);
	if (fd < 0)
		return fail(e, errno);
	if (write_tmp(ops, fd, b, mode, keep_mode)) {
		err = errno;
		ops->close(ops->ctx, fd);
		ops->unlink(ops->ctx, sp.tmp);
		return fail(e, err);
	}
	if (ops->close(ops->ctx, fd) || ops->rename(ops->ctx, sp.tmp, sp.target)) {
		err = errno;
		ops->unlink(ops->ctx, sp.tmp);
		return fail(e, err);
	}
	sync_dir(ops, sp.dir);
	return STATUS_OK;
}
