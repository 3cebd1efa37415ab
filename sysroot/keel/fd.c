/* fd.c - the file-descriptor table (see fd.h). */
#include <errno.h>
#include <string.h>

#include "backend.h"
#include "fd.h"

static int valid_fd(int fd)
{
	return fd >= 0 && fd < KEEL_FD_MAX;
}

static struct keel_file *file_alloc(struct keel_fd_table *t)
{
	for (int i = 0; i < KEEL_FD_MAX; i++)
		if (t->files[i].refs == 0)
			return &t->files[i];
	return NULL;
}

/* The lowest closed descriptor >= min, or -EMFILE; lock held. */
static int lowest_free(struct keel_fd_table *t, int min)
{
	for (int fd = min; fd < KEEL_FD_MAX; fd++)
		if (!t->fd[fd].file)
			return fd;
	return -EMFILE;
}

/* Drops one reference; returns the file if it was the last; lock held. */
static struct keel_file *unref(struct keel_file *f)
{
	return --f->refs == 0 ? f : NULL;
}

static void release(struct keel_file *f)
{
	if (f && f->ops && f->ops->release)
		f->ops->release(f);
}

int fdt_open(struct keel_fd_table *t, int min, int kind, const struct keel_file_ops *ops,
	     const cap_handle_t caps[KEEL_FILE_CAPS], const uint64_t data[2], int status,
	     int fd_flags)
{
	if (!valid_fd(min))
		return -EINVAL;
	keel_lock(&t->lock);
	int fd = lowest_free(t, min);
	struct keel_file *f = fd >= 0 ? file_alloc(t) : NULL;
	if (fd >= 0 && !f)
		fd = -ENFILE;
	if (f) {
		memset(f, 0, sizeof *f);
		f->refs = 1;
		f->kind = (uint8_t)kind;
		f->ops = ops;
		f->status = status;
		for (int i = 0; i < KEEL_FILE_CAPS; i++)
			f->caps[i] = caps ? caps[i] : CAP_HANDLE_NONE;
		if (data)
			memcpy(f->kind_data, data, sizeof f->kind_data);
		t->fd[fd].file = f;
		t->fd[fd].flags = fd_flags;
	}
	keel_unlock(&t->lock);
	return fd;
}

struct keel_file *fdt_get(struct keel_fd_table *t, int fd)
{
	if (!valid_fd(fd))
		return NULL;
	keel_lock(&t->lock);
	struct keel_file *f = t->fd[fd].file;
	if (f)
		f->refs++;
	keel_unlock(&t->lock);
	return f;
}

void fdt_put(struct keel_fd_table *t, struct keel_file *f)
{
	keel_lock(&t->lock);
	struct keel_file *last = unref(f);
	keel_unlock(&t->lock);
	release(last);
}

int fdt_close(struct keel_fd_table *t, int fd)
{
	if (!valid_fd(fd))
		return -EBADF;
	keel_lock(&t->lock);
	struct keel_file *f = t->fd[fd].file, *last = NULL;
	if (f) {
		t->fd[fd].file = NULL;
		last = unref(f);
	}
	keel_unlock(&t->lock);
	release(last);
	return f ? 0 : -EBADF;
}

/* Puts a new reference to f at the lowest free descriptor >= min: the
 * descriptor or -errno; lock held. */
static int place(struct keel_fd_table *t, struct keel_file *f, int min, int fd_flags)
{
	int r = lowest_free(t, min);
	if (r >= 0) {
		f->refs++;
		t->fd[r].file = f;
		t->fd[r].flags = fd_flags;
	}
	return r;
}

int fdt_dup_min(struct keel_fd_table *t, int fd, int min, int fd_flags)
{
	if (!valid_fd(fd))
		return -EBADF;
	if (min < 0)
		return -EINVAL;
	if (min >= KEEL_FD_MAX)
		return -EMFILE;
	keel_lock(&t->lock);
	struct keel_file *f = t->fd[fd].file;
	int r = f ? place(t, f, min, fd_flags) : -EBADF;
	keel_unlock(&t->lock);
	return r;
}

int fdt_install(struct keel_fd_table *t, struct keel_file *f, int min, int fd_flags)
{
	if (min < 0 || min >= KEEL_FD_MAX)
		return -EINVAL;
	keel_lock(&t->lock);
	int r = place(t, f, min, fd_flags);
	keel_unlock(&t->lock);
	return r;
}

int fdt_dup_to(struct keel_fd_table *t, int fd, int newfd, int fd_flags)
{
	if (!valid_fd(fd) || !valid_fd(newfd))
		return -EBADF;
	if (fd == newfd)
		return -EINVAL;
	keel_lock(&t->lock);
	struct keel_file *f = t->fd[fd].file, *last = NULL;
	if (f) {
		struct keel_file *old = t->fd[newfd].file;
		f->refs++;
		t->fd[newfd].file = f;
		t->fd[newfd].flags = fd_flags;
		if (old)
			last = unref(old);
	}
	keel_unlock(&t->lock);
	release(last);
	return f ? newfd : -EBADF;
}

int fdt_get_flags(struct keel_fd_table *t, int fd)
{
	if (!valid_fd(fd))
		return -EBADF;
	keel_lock(&t->lock);
	int r = t->fd[fd].file ? t->fd[fd].flags : -EBADF;
	keel_unlock(&t->lock);
	return r;
}

int fdt_set_flags(struct keel_fd_table *t, int fd, int fd_flags)
{
	if (!valid_fd(fd))
		return -EBADF;
	keel_lock(&t->lock);
	int r = t->fd[fd].file ? 0 : -EBADF;
	if (r == 0)
		t->fd[fd].flags = fd_flags;
	keel_unlock(&t->lock);
	return r;
}

int fdt_count(struct keel_fd_table *t)
{
	int n = 0;
	keel_lock(&t->lock);
	for (int fd = 0; fd < KEEL_FD_MAX; fd++)
		n += t->fd[fd].file != NULL;
	keel_unlock(&t->lock);
	return n;
}
