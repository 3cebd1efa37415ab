/*
 * fdsys.c - the system calls on file descriptors, over the process's
 * descriptor table (fd.h) and each description's kind (its ops).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/uio.h>

#include "backend.h"
#include "console.h"
#include "fd.h"
#include "fdsys.h"
#include "vfsfile.h"

static struct keel_fd_table table;

struct keel_fd_table *keel_fdt(void)
{
	return &table;
}

void keel_fd_init(const struct keel_start *s)
{
	if (s->witness == CAP_HANDLE_NONE)
		return;
	const cap_handle_t caps[KEEL_FILE_CAPS] = { s->witness, CAP_HANDLE_NONE };
	/* One description, as a terminal's three descriptors are. */
	if (fdt_open(&table, 0, KEEL_FD_CONSOLE, &keel_console_ops, caps, NULL, O_RDWR, 0) == 0) {
		fdt_dup_to(&table, 0, 1, 0);
		fdt_dup_to(&table, 0, 2, 0);
	}
}

/* Runs op on fd's description with a reference held. */
#define WITH_FILE(fd, f, expr)                                                                     \
	do {                                                                                       \
		struct keel_file *f = fdt_get(&table, (int)(fd));                                  \
		if (!f)                                                                            \
			return -EBADF;                                                             \
		long r_ = (expr);                                                                  \
		fdt_put(&table, f);                                                                \
		return r_;                                                                         \
	} while (0)

static long do_read(struct keel_file *f, void *buf, size_t n, int64_t off)
{
	if ((f->status & O_ACCMODE) == O_WRONLY || !f->ops->read)
		return -EBADF;
	return f->ops->read(f, buf, n, off);
}

static long do_write(struct keel_file *f, const void *buf, size_t n, int64_t off)
{
	if ((f->status & O_ACCMODE) == O_RDONLY || !f->ops->write)
		return -EBADF;
	return f->ops->write(f, buf, n, off);
}

long keel_sys_read(const long a[6])
{
	WITH_FILE(a[0], f, do_read(f, (void *)a[1], (size_t)a[2], -1));
}

long keel_sys_write(const long a[6])
{
	WITH_FILE(a[0], f, do_write(f, (const void *)a[1], (size_t)a[2], -1));
}

long keel_sys_pread(const long a[6])
{
	if (a[3] < 0)
		return -EINVAL;
	WITH_FILE(a[0], f, f->ops->seek ? do_read(f, (void *)a[1], (size_t)a[2], a[3]) : -ESPIPE);
}

long keel_sys_pwrite(const long a[6])
{
	if (a[3] < 0)
		return -EINVAL;
	WITH_FILE(a[0], f,
		  f->ops->seek ? do_write(f, (const void *)a[1], (size_t)a[2], a[3]) : -ESPIPE);
}

/* readv/writev: each piece in turn; a short transfer ends the call. */
static long vector_io(struct keel_file *f, const struct iovec *iov, long cnt, int out)
{
	long total = 0;
	if (cnt < 0 || cnt > 1024)
		return -EINVAL;
	for (long i = 0; i < cnt; i++) {
		if (iov[i].iov_len == 0)
			continue;
		long r = out ? do_write(f, iov[i].iov_base, iov[i].iov_len, -1)
			     : do_read(f, iov[i].iov_base, iov[i].iov_len, -1);
		if (r < 0)
			return total ? total : r;
		total += r;
		if ((size_t)r < iov[i].iov_len)
			break;
	}
	return total;
}

long keel_sys_readv(const long a[6])
{
	WITH_FILE(a[0], f, vector_io(f, (const struct iovec *)a[1], a[2], 0));
}

long keel_sys_writev(const long a[6])
{
	WITH_FILE(a[0], f, vector_io(f, (const struct iovec *)a[1], a[2], 1));
}

long keel_sys_close(const long a[6])
{
	return fdt_close(&table, (int)a[0]);
}

long keel_sys_ioctl(const long a[6])
{
	WITH_FILE(a[0], f,
		  f->ops->ioctl ? f->ops->ioctl(f, (unsigned long)a[1], (void *)a[2]) : -ENOTTY);
}

long keel_sys_lseek(const long a[6])
{
	WITH_FILE(a[0], f, f->ops->seek ? f->ops->seek(f, a[1], (int)a[2]) : -ESPIPE);
}

long keel_sys_fstat(const long a[6])
{
	WITH_FILE(a[0], f, f->ops->stat ? f->ops->stat(f, (struct stat *)a[1]) : -EIO);
}

long keel_sys_fsync(const long a[6])
{
	WITH_FILE(a[0], f, keel_vfsfile_fsync(f));
}

long keel_sys_dup(const long a[6])
{
	return fdt_dup_min(&table, (int)a[0], 0, 0);
}

long keel_sys_dup2(const long a[6])
{
	if (a[0] == a[1])
		return fdt_get_flags(&table, (int)a[0]) < 0 ? -EBADF : a[1];
	return fdt_dup_to(&table, (int)a[0], (int)a[1], 0);
}

long keel_sys_dup3(const long a[6])
{
	if (a[2] & ~O_CLOEXEC)
		return -EINVAL;
	return fdt_dup_to(&table, (int)a[0], (int)a[1], a[2] & O_CLOEXEC ? FD_CLOEXEC : 0);
}

static long set_status(struct keel_file *f, long flags)
{
	/* Only O_APPEND and O_NONBLOCK can change after open. */
	const int changeable = O_APPEND | O_NONBLOCK;
	f->status = (f->status & ~changeable) | ((int)flags & changeable);
	return 0;
}

long keel_sys_fcntl(const long a[6])
{
	int fd = (int)a[0];
	switch (a[1]) {
	case F_DUPFD:
		return fdt_dup_min(&table, fd, (int)a[2], 0);
	case F_DUPFD_CLOEXEC:
		return fdt_dup_min(&table, fd, (int)a[2], FD_CLOEXEC);
	case F_GETFD:
		return fdt_get_flags(&table, fd);
	case F_SETFD:
		return fdt_set_flags(&table, fd, (int)a[2] & FD_CLOEXEC);
	case F_GETFL:
		WITH_FILE(fd, f, f->status);
	case F_SETFL:
		WITH_FILE(fd, f, set_status(f, a[2]));
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
		WITH_FILE(fd, f, f->kind == KEEL_FD_CONSOLE ? -EINVAL : -ENOSYS);
	default:
		return fdt_get_flags(&table, fd) < 0 ? -EBADF : -EINVAL;
	}
}

/* poll: descriptors are never waited for - every kind today is always
 * ready or never ready - so poll answers at once, or sleeps out its
 * timeout when nothing is ready. */
long keel_sys_poll(const long a[6])
{
	struct pollfd *p = (struct pollfd *)a[0];
	unsigned long n = (unsigned long)a[1];
	long ready = 0;
	if (n > KEEL_FD_MAX)
		return -EINVAL;
	for (unsigned long i = 0; i < n; i++) {
		p[i].revents = 0;
		if (p[i].fd < 0)
			continue;
		struct keel_file *f = fdt_get(&table, p[i].fd);
		if (!f) {
			p[i].revents = POLLNVAL;
		} else {
			p[i].revents = f->ops->poll ? (short)f->ops->poll(f, p[i].events) : 0;
			fdt_put(&table, f);
		}
		ready += p[i].revents != 0;
	}
	if (ready == 0 && a[2] > 0) {
		const struct timespec ts = { a[2] / 1000, a[2] % 1000 * 1000000 };
		const long b[6] = { (long)&ts, 0, 0, 0, 0, 0 };
		keel_sys_nanosleep(b);
	}
	return ready;
}

/* newfstatat(dirfd, path, st, flags): with AT_EMPTY_PATH and "" it is
 * fstat(dirfd); any other path is the file system's (fs.c). */
long keel_sys_newfstatat(const long a[6])
{
	const char *path = (const char *)a[1];
	if ((a[3] & AT_EMPTY_PATH) && path && !path[0]) {
		const long b[6] = { a[0], a[2], 0, 0, 0, 0 };
		return keel_sys_fstat(b);
	}
	return keel_sys_stat_at((int)a[0], path, (struct stat *)a[2]);
}
