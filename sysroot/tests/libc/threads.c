/* threads.c - POSIX threads: a counter under a mutex from several
 * threads, a bounded queue with two condition variables, semaphores,
 * pthread_once, thread-specific data with destructors, detached threads,
 * and join results. Every printed number is independent of scheduling,
 * so the output must match the host build. */
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>

#define THREADS 4
#define ROUNDS 20000
#define ITEMS 5000
#define QUEUE 8

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *add(void *arg)
{
	long me = (long)arg;
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
	}
	return (void *)(me * 10);
}

static struct {
	pthread_mutex_t m;
	pthread_cond_t not_empty, not_full;
	int items[QUEUE];
	int head, count;
} q = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER, { 0 }, 0, 0 };

static void *produce(void *arg)
{
	(void)arg;
	for (int i = 1; i <= ITEMS; i++) {
		pthread_mutex_lock(&q.m);
		while (q.count == QUEUE)
			pthread_cond_wait(&q.not_full, &q.m);
		q.items[(q.head + q.count++) % QUEUE] = i;
		pthread_cond_signal(&q.not_empty);
		pthread_mutex_unlock(&q.m);
	}
	return NULL;
}

static void *consume(void *arg)
{
	long long sum = 0;
	(void)arg;
	for (int i = 0; i < ITEMS; i++) {
		pthread_mutex_lock(&q.m);
		while (q.count == 0)
			pthread_cond_wait(&q.not_empty, &q.m);
		sum += q.items[q.head];
		q.head = (q.head + 1) % QUEUE;
		q.count--;
		pthread_cond_signal(&q.not_full);
		pthread_mutex_unlock(&q.m);
	}
	return (void *)(long)sum;
}

static sem_t sem, done;
static int once_runs;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_key_t key;
static int destructed;

static void once_fn(void)
{
	once_runs++;
}

static void destroy(void *p)
{
	__atomic_add_fetch(&destructed, (int)(long)p, __ATOMIC_RELAXED);
}

static void *waiter(void *arg)
{
	sem_wait(&sem);
	pthread_once(&once, once_fn);
	pthread_setspecific(key, arg);
	sem_post(&done);
	return NULL;
}

int main(void)
{
	pthread_t t[THREADS];
	long total = 0;
	for (long i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, add, (void *)i);
	for (int i = 0; i < THREADS; i++) {
		void *r;
		pthread_join(t[i], &r);
		total += (long)r;
	}
	printf("counter %ld (want %d), join results sum %ld\n", counter, THREADS * ROUNDS, total);

	pthread_t p, c;
	void *sum;
	pthread_create(&c, NULL, consume, NULL);
	pthread_create(&p, NULL, produce, NULL);
	pthread_join(p, NULL);
	pthread_join(c, &sum);
	printf("queue sum %ld (want %ld)\n", (long)sum, (long)ITEMS * (ITEMS + 1) / 2);

	sem_init(&sem, 0, 0);
	sem_init(&done, 0, 0);
	pthread_key_create(&key, destroy);
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (long i = 1; i <= THREADS; i++)
		pthread_create(&t[0], &attr, waiter, (void *)i);
	for (int i = 0; i < THREADS; i++)
		sem_post(&sem);
	for (int i = 0; i < THREADS; i++)
		sem_wait(&done);
	int v;
	sem_getvalue(&sem, &v);
	printf("semaphores: value %d, once ran %d time(s)\n", v, once_runs);
	/* The detached threads' destructors run as they exit. */
	while (__atomic_load_n(&destructed, __ATOMIC_RELAXED) != 10)
		sched_yield();
	printf("destructors summed %d\n", destructed);
	printf("trylock on a held mutex: %s\n",
	       pthread_mutex_lock(&lock) == 0 && pthread_mutex_trylock(&lock) != 0 ? "busy" : "?");
	pthread_mutex_unlock(&lock);
	return 0;
}
