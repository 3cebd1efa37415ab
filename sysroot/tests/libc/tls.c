/* tls.c - thread-local storage: initialised and zeroed __thread
 * variables, a thread-local array, distinct addresses per thread, errno
 * per thread, and values surviving while other threads change theirs.
 * Output is compared with the host build. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static __thread int counter = 100;
static __thread long zeroed;
static __thread char name[16] = "main";
static __thread double scale = 1.5;

static pthread_barrier_t barrier;

struct result {
	int counter;
	long zeroed;
	char name[16];
	double scale;
	int err;
	void *addr;
};

static void *work(void *arg)
{
	struct result *r = arg;
	r->counter = counter;
	r->zeroed = zeroed;
	strcpy(r->name, name);
	r->scale = scale;
	counter += 5;
	zeroed = 77;
	snprintf(name, sizeof name, "worker");
	scale *= 2;
	errno = 1234;
	pthread_barrier_wait(&barrier); /* everyone has written their own */
	r->err = errno;
	r->counter = counter * 1000 + r->counter;
	r->addr = &counter;
	return NULL;
}

int main(void)
{
	enum { N = 3 };
	pthread_t t[N];
	struct result r[N];
	memset(r, 0, sizeof r);
	pthread_barrier_init(&barrier, NULL, N + 1);
	counter = 1;
	errno = 0;
	for (int i = 0; i < N; i++)
		pthread_create(&t[i], NULL, work, &r[i]);
	pthread_barrier_wait(&barrier);
	for (int i = 0; i < N; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < N; i++)
		printf("thread %d: counter %d zeroed %ld name %s scale %g errno %d own address "
		       "%d\n",
		       i, r[i].counter, r[i].zeroed, r[i].name, r[i].scale, r[i].err,
		       r[i].addr != (void *)&counter);
	int distinct = r[0].addr != r[1].addr && r[1].addr != r[2].addr && r[0].addr != r[2].addr;
	printf("main: counter %d zeroed %ld name %s scale %g errno %d; addresses distinct %d\n",
	       counter, zeroed, name, scale, errno, distinct);
	return 0;
}
