/*
 * fdsys.c - the system calls on file descriptors, over the process's
 * descriptor table (fd.h) and each description's kind (its ops).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/select.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>

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

/* One pass of poll over its descriptors: revents of each, how many are
 * ready, the first terminal's description (referenced) and status
 * sequence to wait on, and whether another descriptor could become ready
 * without a doorbell (a pipe's counters are looked at again). */
struct poll_scan {
	long ready;
	const struct keel_poll_terminal *pt; /* set with term */
	struct keel_file *term;
	uint32_t seq;
	bool term_ok, others;
};

/* The terminals' side of poll, once terminal.c has opened one. */
static const struct keel_poll_terminal *_Atomic poll_term;

void keel_poll_terminal_register(const struct keel_poll_terminal *t)
{
	poll_term = t;
}

static short poll_file(struct keel_file *f, short events, struct poll_scan *s)
{
	const struct keel_poll_terminal *pt = poll_term;
	if (f->kind == KEEL_FD_TERMINAL && pt) {
		uint32_t seq = 0;
		bool ok = false;
		short r = (short)pt->poll(f, events, &seq, &ok);
		if (!s->term) {
			s->pt = pt;
			s->term = f;
			s->seq = seq;
			s->term_ok = ok;
			f = NULL; /* kept: released after the wait */
		} else {
			s->others = true;
		}
		if (f)
			fdt_put(&table, f);
		return r;
	}
	/* A kind without poll (files, directories) is always ready. */
	short r = f->ops->poll ? (short)f->ops->poll(f, events) : events & (POLLIN | POLLOUT);
	s->others |= f->kind == KEEL_FD_PIPE;
	fdt_put(&table, f);
	return r;
}

static void poll_scan(struct pollfd *p, unsigned long n, struct poll_scan *s)
{
	for (unsigned long i = 0; i < n; i++) {
		p[i].revents = 0;
		if (p[i].fd < 0)
			continue;
		struct keel_file *f = fdt_get(&table, p[i].fd);
		p[i].revents = f ? poll_file(f, p[i].events, s) : POLLNVAL;
		s->ready += p[i].revents != 0;
	}
}

#define POLL_SLICE_NS 2000000ull   /* how often pipes are looked at again */
#define POLL_TERM_NS 1000000000ull /* the longest wait on a terminal's futex */

/* Nanoseconds left of a poll timeout of ns (UINT64_MAX: none) that began
 * at start: 0 when it is over, UINT64_MAX for ever. */
static uint64_t poll_left(uint64_t start, uint64_t ns)
{
	uint64_t now = 0;
	if (ns == UINT64_MAX)
		return UINT64_MAX;
	sys_clock_read(&now);
	uint64_t end = start + ns < start ? UINT64_MAX - 1 : start + ns;
	return now >= end ? 0 : end - now;
}

/* Waits until something may have changed: the terminal's status words
 * (compd wakes the futex; a second at most, in case another thread moved
 * the terminal to new memory meanwhile) or, with pipes about or the
 * terminal busy, a short slice; with nothing to wait on, the rest of the
 * timeout. */
static void poll_wait(const struct poll_scan *s, uint64_t left)
{
	uint64_t slice = left;
	if ((s->others || (s->term && !s->term_ok)) && slice > POLL_SLICE_NS)
		slice = POLL_SLICE_NS;
	if (s->term && s->term_ok) {
		status_t st = s->pt->wait(s->term, s->seq,
					  slice < POLL_TERM_NS ? slice : POLL_TERM_NS);
		if (st == STATUS_OK || st == STATUS_TIMEOUT)
			return;
		if (slice > POLL_SLICE_NS)
			slice = POLL_SLICE_NS; /* no futex: look again soon */
	}
	if (slice == UINT64_MAX) {
		uint64_t pending = 0;
		sys_signal_wait(1ull << 63, TIMEOUT_FOREVER, &pending);
		return;
	}
	const struct timespec ts = { (time_t)(slice / 1000000000ull),
				     (long)(slice % 1000000000ull) };
	const long b[6] = { (long)&ts, 0, 0, 0, 0, 0 };
	keel_sys_nanosleep(b);
}

/* Looks at the n descriptors of p; when none is ready, waits for a
 * terminal's input (compd's futex, docs/libc.md), looks at pipes every
 * 2 ms, and ends after ns (UINT64_MAX: never). With keel_terminal_catch
 * on, an interrupt typed on the console ends the wait with EINTR. */
static long poll_for(struct pollfd *p, unsigned long n, uint64_t ns)
{
	uint64_t start = 0;
	if (n > KEEL_FD_MAX)
		return -EINVAL;
	sys_clock_read(&start);
	const struct keel_poll_terminal *pt = poll_term;
	unsigned intr = pt ? pt->interrupts() : 0;
	for (;;) {
		struct poll_scan s = { 0 };
		poll_scan(p, n, &s);
		uint64_t left = s.ready ? 0 : poll_left(start, ns);
		long r = s.ready;
		if (left && pt && pt->catching() && pt->interrupts() != intr)
			r = -EINTR;
		else if (left)
			poll_wait(&s, left);
		if (s.term)
			fdt_put(&table, s.term);
		if (!left || r < 0)
			return r;
	}
}

/* A timeout given as a timespec (NULL: none) in ns; -EINVAL if it is not
 * a time. */
static long timeout_ns(const struct timespec *ts, uint64_t *ns)
{
	if (!ts) {
		*ns = UINT64_MAX;
		return 0;
	}
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000L)
		return -EINVAL;
	if ((uint64_t)ts->tv_sec >= UINT64_MAX / 1000000000ull)
		*ns = UINT64_MAX - 1; /* longer than any machine runs */
	else
		*ns = (uint64_t)ts->tv_sec * 1000000000ull + (uint64_t)ts->tv_nsec;
	return 0;
}

/* poll(fds, n, ms): ms negative waits for ever. */
long keel_sys_poll(const long a[6])
{
	int ms = (int)a[2];
	return poll_for((struct pollfd *)a[0], (unsigned long)a[1],
			ms < 0 ? UINT64_MAX : (uint64_t)ms * 1000000ull);
}

/* Runs poll_for with the signal mask *mask (of size bytes; none if NULL)
 * in place, as ppoll and pselect6 do, and puts the old mask back. */
static long poll_masked(struct pollfd *p, unsigned long n, uint64_t ns, const uint64_t *mask,
			long size)
{
	uint64_t old = 0;
	if (mask) {
		const long set[6] = { SIG_SETMASK, (long)mask, (long)&old, size, 0, 0 };
		long r = keel_sys_rt_sigprocmask(set);
		if (r)
			return r;
	}
	long r = poll_for(p, n, ns);
	if (mask) {
		const long back[6] = { SIG_SETMASK, (long)&old, 0, 8, 0, 0 };
		keel_sys_rt_sigprocmask(back);
	}
	return r;
}

/* ppoll(fds, n, timeout, mask, masksize). */
long keel_sys_ppoll(const long a[6])
{
	uint64_t ns;
	long r = timeout_ns((const struct timespec *)a[2], &ns);
	return r ? r
		 : poll_masked((struct pollfd *)a[0], (unsigned long)a[1], ns,
			       (const uint64_t *)a[3], a[4]);
}

/* select's three sets, read, write and exception: what each asks poll
 * for, and which answers make a descriptor of that set ready (a read set
 * reports data, a hang-up or an error; a write set room or an error; the
 * exception set urgent data). */
static const short select_ask[3] = { POLLIN, POLLOUT, POLLPRI };
static const short select_ready[3] = { POLLIN | POLLHUP | POLLERR, POLLOUT | POLLERR, POLLPRI };

/* What select asks of descriptor fd, as poll events. */
static short select_events(int fd, fd_set *const sets[3])
{
	short e = 0;
	for (int k = 0; k < 3; k++)
		if (sets[k] && FD_ISSET(fd, sets[k]))
			e |= select_ask[k];
	return e;
}

/* select and pselect6 over poll_for; a descriptor in any set that is not
 * open is EBADF, as on Linux. */
static long select_for(long nfds, fd_set *const sets[3], uint64_t ns, const uint64_t *mask,
		       long masksize)
{
	struct pollfd p[KEEL_FD_MAX];
	unsigned long n = 0;
	if (nfds < 0 || nfds > FD_SETSIZE)
		return -EINVAL;
	for (int fd = 0; fd < nfds; fd++) {
		short e = select_events(fd, sets);
		if (!e)
			continue;
		if (fd >= KEEL_FD_MAX)
			return -EBADF;
		p[n++] = (struct pollfd){ fd, e, 0 };
	}
	long r = poll_masked(p, n, ns, mask, masksize);
	if (r < 0)
		return r;
	for (unsigned long i = 0; i < n; i++)
		if (p[i].revents & POLLNVAL)
			return -EBADF;
	long count = 0;
	for (int k = 0; k < 3; k++) {
		if (!sets[k])
			continue;
		for (int fd = 0; fd < nfds; fd++)
			FD_CLR(fd, sets[k]);
		for (unsigned long i = 0; i < n; i++)
			if ((p[i].events & select_ask[k]) && (p[i].revents & select_ready[k])) {
				FD_SET(p[i].fd, sets[k]);
				count++;
			}
	}
	return count;
}

/* select(nfds, read, write, except, timeval). */
long keel_sys_select(const long a[6])
{
	const struct timeval *tv = (const struct timeval *)a[4];
	fd_set *const sets[3] = { (fd_set *)a[1], (fd_set *)a[2], (fd_set *)a[3] };
	uint64_t ns = UINT64_MAX;
	if (tv) {
		if (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000)
			return -EINVAL;
		const struct timespec ts = { tv->tv_sec, tv->tv_usec * 1000 };
		timeout_ns(&ts, &ns);
	}
	return select_for(a[0], sets, ns, NULL, 8);
}

/* pselect6(nfds, read, write, except, timespec, {mask, masksize}). */
long keel_sys_pselect6(const long a[6])
{
	fd_set *const sets[3] = { (fd_set *)a[1], (fd_set *)a[2], (fd_set *)a[3] };
	const long *data = (const long *)a[5];
	uint64_t ns;
	long r = timeout_ns((const struct timespec *)a[4], &ns);
	if (r)
		return r;
	return select_for(a[0], sets, ns, data ? (const uint64_t *)data[0] : NULL,
			  data ? data[1] : 8);
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
