/*
 * pipe.c - pipes between tasks (KEEL_FD_PIPE): a ring in a memory object
 * that both ends map, handed to a launched program as a named capability
 * (spawn.c: "fdN-pr" for a read end, "fdN-pw" for a write end).
 *
 * The object is one header page and PIPE_DATA_PAGES of data. The header
 * holds the bytes ever written (tail) and read (head), and how many
 * descriptions of each end are open in all tasks. A launcher counts the
 * ends it passes before the child starts, so an end never looks closed
 * while it travels; the child takes that count over. Readers and writers
 * wait by polling the counters with short sleeps: Keel has no doorbell
 * for a peer whose thread is not known in advance. The other side is
 * not trusted: counters that make no sense read as a broken pipe (EIO),
 * never as an index outside the ring.
 *
 * Limits: a task that dies without closing leaves its ends counted, so the
 * peer of a crashed writer waits for ever (its launcher kills it).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>

#include "backend.h"
#include "console.h"
#include "fdsys.h"
#include "keel/map.h"
#include "pipe.h"

#define PIPE_MAGIC 0x45504950u /* "PIPE" */
#define PIPE_DATA_PAGES 4u
#define PIPE_PAGES (1u + PIPE_DATA_PAGES)
#define PIPE_SIZE (PIPE_DATA_PAGES * KEEL_PAGE_SIZE)

struct pipe_hdr {
	uint32_t magic;
	uint32_t size;
	uint64_t head;    /* bytes ever read */
	uint64_t tail;    /* bytes ever written */
	uint32_t readers; /* open read-end descriptions, in every task */
	uint32_t writers;
};

static struct pipe_hdr *hdr(struct keel_file *f)
{
	return (struct pipe_hdr *)(uintptr_t)f->kind_data[0];
}

static uint8_t *ring(struct keel_file *f)
{
	return (uint8_t *)(uintptr_t)f->kind_data[0] + KEEL_PAGE_SIZE;
}

/* Sleeps a little while the other side catches up. */
static void pipe_pause(unsigned *spins)
{
	if ((*spins)++ < 16) {
		sys_thread_yield();
		return;
	}
	uint64_t pending;
	sys_signal_wait(1ull << 63, 1000000, &pending); /* 1 ms */
}

/* Copies k bytes (k <= PIPE_SIZE) out of the ring from offset at,
 * wrapping at its end. */
static void ring_get(uint8_t *buf, const uint8_t *r, size_t at, size_t k)
{
	size_t first = k < PIPE_SIZE - at ? k : PIPE_SIZE - at;
	memcpy(buf, r + at, first);
	memcpy(buf + first, r, k - first);
}

/* Copies k bytes (k <= PIPE_SIZE) into the ring from offset at. */
static void ring_put(uint8_t *r, size_t at, const uint8_t *buf, size_t k)
{
	size_t first = k < PIPE_SIZE - at ? k : PIPE_SIZE - at;
	memcpy(r + at, buf, first);
	memcpy(r, buf + first, k - first);
}

/* Bytes waiting, or -1 if the counters are broken. */
static int64_t pipe_avail(struct pipe_hdr *h)
{
	uint64_t t = __atomic_load_n(&h->tail, __ATOMIC_ACQUIRE);
	uint64_t d = t - __atomic_load_n(&h->head, __ATOMIC_ACQUIRE);
	return d > PIPE_SIZE ? -1 : (int64_t)d;
}

static long pipe_read(struct keel_file *f, void *buf, size_t n, int64_t off)
{
	struct pipe_hdr *h = hdr(f);
	unsigned spins = 0;
	(void)off;
	for (;;) {
		/* The writers first: a writer's bytes are in before its close
		 * counts it out, so none written before the count seen here
		 * can be missed below. Read the other way round, a writer that
		 * wrote and closed between the two reads lost its bytes: an
		 * end of file came in their place. */
		uint32_t writers = __atomic_load_n(&h->writers, __ATOMIC_ACQUIRE);
		int64_t a = pipe_avail(h);
		if (a < 0)
			return -EIO;
		if (a > 0) {
			size_t k = n < (size_t)a ? n : (size_t)a;
			uint64_t hd = h->head;
			ring_get(buf, ring(f), hd % PIPE_SIZE, k);
			__atomic_store_n(&h->head, hd + k, __ATOMIC_RELEASE);
			return (long)k;
		}
		if (n == 0 || writers == 0)
			return 0;
		if (f->status & O_NONBLOCK)
			return -EAGAIN;
		pipe_pause(&spins);
	}
}

static long pipe_write(struct keel_file *f, const void *buf, size_t n, int64_t off)
{
	struct pipe_hdr *h = hdr(f);
	size_t done = 0;
	unsigned spins = 0;
	(void)off;
	while (done < n) {
		if (__atomic_load_n(&h->readers, __ATOMIC_ACQUIRE) == 0)
			return done ? (long)done : -EPIPE;
		int64_t a = pipe_avail(h);
		if (a < 0)
			return -EIO;
		size_t room = PIPE_SIZE - (size_t)a, k = n - done < room ? n - done : room;
		if (k == 0) {
			if (f->status & O_NONBLOCK)
				return done ? (long)done : -EAGAIN;
			pipe_pause(&spins);
			continue;
		}
		uint64_t t = h->tail;
		ring_put(ring(f), t % PIPE_SIZE, (const uint8_t *)buf + done, k);
		__atomic_store_n(&h->tail, t + k, __ATOMIC_RELEASE);
		done += k;
		spins = 0;
	}
	return (long)done;
}

static long pipe_stat(struct keel_file *f, struct stat *st)
{
	(void)f;
	memset(st, 0, sizeof *st);
	st->st_mode = S_IFIFO | 0600;
	st->st_nlink = 1;
	st->st_blksize = PIPE_SIZE;
	return 0;
}

static long pipe_poll(struct keel_file *f, short events)
{
	struct pipe_hdr *h = hdr(f);
	int64_t a = pipe_avail(h);
	if (f->kind_data[1] && !h->readers)
		return POLLERR_BIT; /* nobody will read: a write fails */
	if (f->kind_data[1])
		return a >= 0 && a < (int64_t)PIPE_SIZE ? events & POLLOUT_BIT : 0;
	/* Closed by every writer: readable (end of file) and hung up. */
	if (!h->writers)
		return (events & POLLIN_BIT) | POLLHUP_BIT;
	return a != 0 ? events & POLLIN_BIT : 0;
}

/* One description of an end fewer (never below zero). */
static void count_down(struct pipe_hdr *h, int write)
{
	uint32_t *count = write ? &h->writers : &h->readers;
	if (__atomic_load_n(count, __ATOMIC_ACQUIRE) > 0)
		__atomic_sub_fetch(count, 1, __ATOMIC_ACQ_REL);
}

/* The last descriptor of this end in this task is closed. */
static void pipe_release(struct keel_file *f)
{
	count_down(hdr(f), (int)f->kind_data[1]);
	keel_unmap((void *)(uintptr_t)f->kind_data[0], PIPE_PAGES);
	sys_cap_delete(f->caps[0]);
}

static const struct keel_file_ops pipe_ops = {
	.read = pipe_read,
	.write = pipe_write,
	.stat = pipe_stat,
	.poll = pipe_poll,
	.release = pipe_release,
};

/* Opens a description of one end at the lowest free descriptor >= min. */
static long pipe_open_end(cap_handle_t mem, void *at, int write, int min, int flags)
{
	const cap_handle_t caps[KEEL_FILE_CAPS] = { mem, CAP_HANDLE_NONE };
	const uint64_t data[2] = { (uint64_t)(uintptr_t)at, (uint64_t)write };
	int status = (write ? O_WRONLY : O_RDONLY) | (flags & O_NONBLOCK);
	return fdt_open(keel_fdt(), min, KEEL_FD_PIPE, &pipe_ops, caps, data, status,
			(flags & O_CLOEXEC) ? FD_CLOEXEC : 0);
}

/* Maps a pipe object; -errno if it is not one (a hostile launcher). */
static long pipe_map(cap_handle_t mem, void **at)
{
	status_t st = keel_map(mem, 0, PIPE_PAGES, RIGHT_READ | RIGHT_WRITE, at);
	if (st)
		return -keel_errno(st);
	struct pipe_hdr *h = *at;
	if (h->magic != PIPE_MAGIC || h->size != PIPE_SIZE) {
		keel_unmap(*at, PIPE_PAGES);
		return -EINVAL;
	}
	return 0;
}

/* pipe2(fds, flags): one object, mapped once per end, each end with its
 * own capability so that either can be passed on alone. */
long keel_sys_pipe2(const long a[6])
{
	int *fds = (int *)a[0], flags = (int)a[1];
	cap_handle_t mem, dup = CAP_HANDLE_NONE;
	void *r, *w = NULL;
	if (flags & ~(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	status_t st = sys_memory_create(PIPE_PAGES, 0, &mem);
	if (st)
		return -keel_errno(st);
	if ((st = keel_map(mem, 0, PIPE_PAGES, RIGHT_READ | RIGHT_WRITE, &r))) {
		sys_cap_delete(mem);
		return -keel_errno(st);
	}
	*(struct pipe_hdr *)r = (struct pipe_hdr){ PIPE_MAGIC, PIPE_SIZE, 0, 0, 1, 1 };
	long rfd = pipe_open_end(mem, r, 0, 0, flags), wfd = -ENOMEM;
	if (rfd < 0) {
		keel_unmap(r, PIPE_PAGES);
		sys_cap_delete(mem);
		return rfd;
	}
	if (sys_cap_derive(mem, RIGHTS_ALL, 0, &dup) == STATUS_OK && pipe_map(dup, &w) == 0)
		wfd = pipe_open_end(dup, w, 1, 0, flags);
	if (wfd < 0) {
		if (w)
			keel_unmap(w, PIPE_PAGES);
		if (dup != CAP_HANDLE_NONE)
			sys_cap_delete(dup);
		fdt_close(keel_fdt(), (int)rfd); /* releases mem and r */
		return wfd;
	}
	fds[0] = (int)rfd;
	fds[1] = (int)wfd;
	return 0;
}

long keel_sys_pipe(const long a[6])
{
	const long b[6] = { a[0], 0, 0, 0, 0, 0 };
	return keel_sys_pipe2(b);
}

cap_handle_t keel_pipe_pass(struct keel_file *f, int *write)
{
	if (f->kind != KEEL_FD_PIPE)
		return CAP_HANDLE_NONE;
	*write = (int)f->kind_data[1];
	__atomic_add_fetch(*write ? &hdr(f)->writers : &hdr(f)->readers, 1, __ATOMIC_ACQ_REL);
	return f->caps[0];
}

void keel_pipe_unpass(struct keel_file *f)
{
	count_down(hdr(f), (int)f->kind_data[1]);
}

long keel_pipe_adopt(int fd, cap_handle_t mem, int write)
{
	void *at;
	long r = pipe_map(mem, &at);
	if (r)
		return r;
	fdt_close(keel_fdt(), fd);
	r = pipe_open_end(mem, at, write, fd, 0);
	if (r != fd) {
		if (r >= 0)
			fdt_close(keel_fdt(), (int)r);
		return r < 0 ? r : -EBADF;
	}
	return fd;
}

void keel_pipe_exit(void)
{
	struct keel_fd_table *t = keel_fdt();
	for (int fd = 0; fd < KEEL_FD_MAX; fd++) {
		struct keel_file *f = fdt_get(t, fd);
		int pipe = f && f->kind == KEEL_FD_PIPE;
		if (f)
			fdt_put(t, f);
		if (pipe)
			fdt_close(t, fd);
	}
}
