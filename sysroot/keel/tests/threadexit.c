/*
 * threadexit N - exits with status N while a second thread still waits,
 * as a program with worker threads does. The C library ends such a task
 * by killing it with the status (sysroot/keel/proc.c), so the launcher
 * sees N, as on Linux: image/apps/tests/apps.sh runs it on Keel, and the
 * same source built with musl-gcc gives the host's answer.
 */
#define _DEFAULT_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;
static int started;

static void *waits(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	started = 1;
	for (;;)
		pthread_cond_wait(&never, &lock);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t;
	int code = argc > 1 ? atoi(argv[1]) : 0;
	if (pthread_create(&t, NULL, waits, NULL)) {
		fprintf(stderr, "threadexit: no thread\n");
		return 99;
	}
	for (;;) {
		pthread_mutex_lock(&lock);
		int up = started;
		pthread_mutex_unlock(&lock);
		if (up)
			break;
		usleep(1000);
	}
	printf("threadexit: exiting with %d, a thread waiting\n", code);
	fflush(stdout);
	exit(code);
}
