/*
 * polltest.c - poll() as programs use it, built for Keel (a program of the
 * boot bundle) and for the host with musl-gcc, so that both answer the
 * same questions.
 *
 *   polltest MS     waits up to MS ms for standard input; prints
 *                   "poll: timeout after T ms" or "poll: ready after T ms"
 *                   and then the line read ("read: LINE")
 *   polltest pipe   pipes (empty, holding bytes, closed at either end), a
 *                   file, descriptors that are not open, an empty set
 *                   with a timeout; the same questions through select,
 *                   pselect and ppoll; prints one line a check and
 *                   "polltest: N failed"
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Waits for standard input as a program with a timeout would. */
static int wait_stdin(int ms)
{
	struct pollfd p = { 0, POLLIN, 0 };
	struct timespec t0;
	char line[256];

	clock_gettime(CLOCK_MONOTONIC, &t0);
	int r = poll(&p, 1, ms);
	long took = ms_since(&t0);

	if (r < 0) {
		printf("poll: %s after %ld ms\n", strerror(errno), took);
		return 1;
	}
	if (r == 0) {
		printf("poll: timeout after %ld ms\n", took);
		return 0;
	}
	printf("poll: ready after %ld ms revents=%#x\n", took, (unsigned)p.revents);
	fflush(stdout);
	ssize_t n = read(0, line, sizeof line - 1);

	line[n > 0 ? n : 0] = 0;
	line[strcspn(line, "\r\n")] = 0;
	printf("read: %s\n", line);
	return 0;
}

static int failed;

static void check(const char *what, int ok)
{
	printf("%s %s\n", ok ? "ok" : "FAILED", what);
	failed += !ok;
}

/* revents of one descriptor after poll with timeout ms (-1 on error). */
static int poll_one(int fd, short events, int ms)
{
	struct pollfd p = { fd, events, 0 };
	int r = poll(&p, 1, ms);

	return r < 0 ? -1 : p.revents;
}

static void pipes(void)
{
	int fd[2];
	char buf[8];
	struct timespec t0;

	signal(SIGPIPE, SIG_IGN);
	if (pipe(fd)) {
		check("pipe", 0);
		return;
	}
	check("an empty pipe is not readable", poll_one(fd[0], POLLIN, 0) == 0);
	check("an empty pipe is writable", poll_one(fd[1], POLLOUT, 0) == POLLOUT);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	check("poll of an empty pipe times out", poll_one(fd[0], POLLIN, 300) == 0);
	long took = ms_since(&t0);
	printf("took %ld ms\n", took);
	check("after its timeout", took >= 250 && took < 3000);
	check("a write", write(fd[1], "ab", 2) == 2);
	check("a pipe holding bytes is readable", poll_one(fd[0], POLLIN, 1000) == POLLIN);
	check("they are read", read(fd[0], buf, sizeof buf) == 2);
	close(fd[1]);
	int r = poll_one(fd[0], POLLIN, 1000);

	printf("closed pipe: revents=%#x\n", (unsigned)r);
	check("a pipe closed by its writer hangs up", r > 0 && (r & POLLHUP));
	check("and reads end of file", read(fd[0], buf, sizeof buf) == 0);
	close(fd[0]);
	if (pipe(fd) == 0) {
		close(fd[0]);
		r = poll_one(fd[1], POLLOUT, 0);
		printf("pipe without readers: revents=%#x\n", (unsigned)r);
		check("a pipe without readers reports an error", r > 0 && (r & POLLERR));
		close(fd[1]);
	}
}

static void others(void)
{
	const char *name = "polltest.tmp";
	struct pollfd p[3] = { { -1, POLLIN, 0 }, { 999, POLLIN, 0 }, { -1, 0, 0 } };
	struct timespec t0;
	int fd = open(name, O_CREAT | O_RDWR | O_TRUNC, 0600);

	check("a file is made", fd >= 0);
	if (fd >= 0) {
		check("a file is always ready",
		      poll_one(fd, POLLIN | POLLOUT, 1000) == (POLLIN | POLLOUT));
		close(fd);
		unlink(name);
	}
	int r = poll(p, 2, 0);

	check("a negative descriptor is skipped, a closed one is POLLNVAL",
	      r == 1 && p[0].revents == 0 && p[1].revents == POLLNVAL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = poll(NULL, 0, 200);
	long took = ms_since(&t0);

	printf("empty set: %d after %ld ms\n", r, took);
	check("an empty set sleeps out its timeout", r == 0 && took >= 150 && took < 3000);
}

/* The sets of one select over descriptor fd (read, write or both) with a
 * timeout of ms: returns what select did, *r and *w whether fd came back
 * in each set. */
static int select_one(int fd, int rd, int wr, int ms, int *r, int *w)
{
	fd_set rs, ws;
	struct timeval tv = { ms / 1000, ms % 1000 * 1000 };

	FD_ZERO(&rs);
	FD_ZERO(&ws);
	if (rd)
		FD_SET(fd, &rs);
	if (wr)
		FD_SET(fd, &ws);
	int n = select(fd + 1, &rs, &ws, NULL, &tv);

	*r = FD_ISSET(fd, &rs);
	*w = FD_ISSET(fd, &ws);
	return n;
}

static void selects(void)
{
	int fd[2], r, w, n;
	char buf[8];
	struct timespec t0;

	if (pipe(fd)) {
		check("pipe for select", 0);
		return;
	}
	n = select_one(fd[0], 1, 0, 0, &r, &w);
	check("select: an empty pipe is not readable", n == 0 && !r);
	n = select_one(fd[1], 0, 1, 0, &r, &w);
	check("select: an empty pipe is writable", n == 1 && w);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	n = select_one(fd[0], 1, 0, 300, &r, &w);
	long took = ms_since(&t0);

	printf("select took %ld ms\n", took);
	check("select of an empty pipe times out", n == 0 && took >= 250 && took < 3000);
	check("a write", write(fd[1], "ab", 2) == 2);
	n = select_one(fd[0], 1, 0, 1000, &r, &w);
	check("select: a pipe holding bytes is readable", n == 1 && r);

	fd_set rs;
	sigset_t mask;
	struct timespec ts = { 1, 0 };

	FD_ZERO(&rs);
	FD_SET(fd[0], &rs);
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	n = pselect(fd[0] + 1, &rs, NULL, NULL, &ts, &mask);
	check("pselect with a signal mask: readable", n == 1 && FD_ISSET(fd[0], &rs));

	struct pollfd p = { fd[0], POLLIN, 0 };

	n = ppoll(&p, 1, &ts, &mask);
	check("ppoll: readable", n == 1 && p.revents == POLLIN);
	check("they are read", read(fd[0], buf, sizeof buf) == 2);
	ts.tv_sec = 0;
	n = ppoll(&p, 1, &ts, NULL);
	check("ppoll with a zero timeout: an empty pipe is not readable", n == 0 && !p.revents);
	ts.tv_nsec = 2000000000L;
	errno = 0;
	n = ppoll(&p, 1, &ts, NULL);
	check("ppoll: a timeout that is not a time is EINVAL", n == -1 && errno == EINVAL);
	close(fd[1]);
	n = select_one(fd[0], 1, 0, 1000, &r, &w);
	check("select: a pipe closed by its writer is readable", n == 1 && r);
	close(fd[0]);

	FD_ZERO(&rs);
	FD_SET(fd[0], &rs);
	errno = 0;
	ts = (struct timespec){ 0, 0 };
	n = pselect(fd[0] + 1, &rs, NULL, NULL, &ts, NULL);
	check("select: a descriptor that is not open is EBADF", n == -1 && errno == EBADF);
	errno = 0;
	n = select(-1, NULL, NULL, NULL, NULL);
	check("select: a negative count is EINVAL", n == -1 && errno == EINVAL);

	struct timeval tv = { 0, 200000 };

	clock_gettime(CLOCK_MONOTONIC, &t0);
	n = select(0, NULL, NULL, NULL, &tv);
	took = ms_since(&t0);
	printf("empty select: %d after %ld ms\n", n, took);
	check("select of no descriptors sleeps out its timeout",
	      n == 0 && took >= 150 && took < 3000);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc != 2) {
		fprintf(stderr, "usage: polltest MS | pipe\n");
		return 2;
	}
	if (strcmp(argv[1], "pipe") != 0)
		return wait_stdin(atoi(argv[1]));
	pipes();
	others();
	selects();
	printf("polltest: %d failed\n", failed);
	return failed != 0;
}
