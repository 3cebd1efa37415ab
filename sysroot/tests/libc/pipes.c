/* pipes.c - a pipe between two threads, many rounds: the writer writes a
 * block and closes its end at once, the reader reads until end of file,
 * and every byte written must come before that end, in order (a reader
 * that looked at the bytes waiting before at the writers could take a
 * close that came between the two for an end with the bytes unread).
 * Then a pipe whose reader has closed: a write fails with EPIPE (SIGPIPE
 * ignored). Every printed number is independent of scheduling, so the
 * output must match the host build. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define ROUNDS 400
#define BLOCK 3000

static int fds[2];
static unsigned char out[BLOCK];

static void *writer(void *arg)
{
	size_t done = 0;
	(void)arg;
	while (done < BLOCK) {
		ssize_t n = write(fds[1], out + done, BLOCK - done);
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	close(fds[1]);
	return NULL;
}

/* One round; 0 if every byte came, in order, before the end of file. */
static int round_trip(void)
{
	static unsigned char in[BLOCK + 1];
	size_t got = 0;
	ssize_t n;
	pthread_t t;
	if (pipe(fds) || pthread_create(&t, NULL, writer, NULL))
		return -1;
	while ((n = read(fds[0], in + got, sizeof in - got)) > 0)
		got += (size_t)n;
	pthread_join(t, NULL);
	close(fds[0]);
	return got == BLOCK && memcmp(in, out, BLOCK) == 0 ? 0 : 1;
}

int main(void)
{
	unsigned bad = 0, failed = 0;
	for (int i = 0; i < BLOCK; i++)
		out[i] = (unsigned char)(i * 7 + 1);
	for (int r = 0; r < ROUNDS; r++) {
		int x = round_trip();
		failed += x < 0;
		bad += x > 0;
	}
	printf("pipes: %d rounds of %d bytes, the writer closing at once\n", ROUNDS, BLOCK);
	printf("pipes: rounds that could not start: %u\n", failed);
	printf("pipes: rounds with bytes lost or changed: %u\n", bad);

	signal(SIGPIPE, SIG_IGN);
	int p[2];
	if (pipe(p))
		return 1;
	close(p[0]);
	errno = 0;
	ssize_t n = write(p[1], "x", 1);
	printf("pipes: a write with no reader: %zd, %s\n", n, errno == EPIPE ? "EPIPE" : "other");
	close(p[1]);
	return bad || failed;
}
