/*
 * Host tests for shared-memory channels (libsys/channel.c).
 *
 * Channel memory is an exact-size heap block, so a build with
 * -fsanitize=address flags any access past its end: the scribbling test
 * writes random values into every shared word while the honest side keeps
 * working, and must never make it touch anything outside. The doorbell
 * goes through a fake sysops table: one that records raises, and for the
 * two-thread stress test one that is a real signal word (mutex and
 * condition variable) the consumer sleeps on, where a lost wake-up shows
 * as a timed-out sleep.
 *
 *   musl-gcc -static -pthread ... test_channel.c channel.c       (as ninja test)
 *   clang -fsanitize=address,undefined -pthread ...              (scribbling)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "keel/channel.h"

/* A 64-byte-aligned block of exactly bytes bytes. */
static void *shm_alloc(size_t bytes)
{
	void *p = NULL;

	if (posix_memalign(&p, CHANNEL_ALIGN, bytes))
		return NULL;
	memset(p, 0xa5, bytes);
	return p;
}

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* ---------------------------------------------------------------- fake doorbell */

struct bell {
	struct sysops ops;
	unsigned raises;
	cap_handle_t thread;
	uint64_t bits;
	status_t fail;
};

static status_t b_signal_raise(void *ctx, cap_handle_t thread, uint64_t bits)
{
	struct bell *b = ctx;

	b->raises++;
	b->thread = thread;
	b->bits = bits;
	return b->fail;
}

static void bell_init(struct bell *b)
{
	memset(b, 0, sizeof *b);
	b->ops.ctx = b;
	b->ops.signal_raise = b_signal_raise;
}

/* ---------------------------------------------------------------- layout */

TEST(init_lays_out_the_header_and_attach_agrees)
{
	size_t bytes = channel_bytes(16, 24) + 100;
	uint8_t *mem = shm_alloc(bytes);
	struct channel a, b;

	CHECK(mem);
	CHECK_EQ(channel_init(mem, bytes, 24, &a), STATUS_OK);
	CHECK_EQ(a.capacity, 16);
	CHECK_EQ(a.elem_size, 24);
	struct channel_hdr *h = (struct channel_hdr *)mem;
	CHECK_EQ(h->magic, CHANNEL_MAGIC);
	CHECK_EQ(h->elem_size, 24);
	CHECK_EQ(h->capacity, 16);
	CHECK_EQ(h->prod, 0);
	CHECK_EQ(h->cons, 0);
	CHECK_EQ(h->sleeping, 0);
	CHECK(a.slots == mem + CHANNEL_HDR_SIZE);
	CHECK_EQ(memcmp(mem, "KCH1", 4), 0); /* the magic, little-endian */
	CHECK_EQ(channel_attach(mem, bytes, &b), STATUS_OK);
	CHECK_EQ(b.capacity, 16);
	CHECK_EQ(b.elem_size, 24);
	CHECK(b.slots == a.slots);
	free(mem);
}

TEST(init_takes_the_largest_power_of_two_that_fits)
{
	size_t bytes = CHANNEL_HDR_SIZE + 100 * 8;
	uint8_t *mem = shm_alloc(bytes);
	struct channel ch;

	CHECK(mem);
	CHECK_EQ(channel_init(mem, bytes, 8, &ch), STATUS_OK);
	CHECK_EQ(ch.capacity, 64);
	CHECK_EQ(channel_init(mem, CHANNEL_HDR_SIZE + 8, 8, &ch), STATUS_OK);
	CHECK_EQ(ch.capacity, 1);
	free(mem);
}

TEST(init_rejects_bad_arguments)
{
	size_t bytes = 4096;
	uint8_t *mem = shm_alloc(bytes);
	struct channel ch;

	CHECK(mem);
	CHECK_EQ(channel_init(NULL, bytes, 8, &ch), STATUS_INVALID);
	CHECK_EQ(channel_init(mem + 8, bytes - 8, 8, &ch), STATUS_INVALID);
	CHECK_EQ(channel_init(mem, bytes, 0, &ch), STATUS_INVALID);
	CHECK_EQ(channel_init(mem, bytes, CHANNEL_ELEM_MAX + 1, &ch), STATUS_INVALID);
	CHECK_EQ(channel_init(mem, CHANNEL_HDR_SIZE + 7, 8, &ch), STATUS_RANGE);
	CHECK_EQ(channel_init(mem, 10, 8, &ch), STATUS_RANGE);
	free(mem);
}

TEST(attach_rejects_inconsistent_headers)
{
	size_t bytes = channel_bytes(32, 16);
	uint8_t *mem = shm_alloc(bytes);
	struct channel ch;
	struct channel_hdr *h = (struct channel_hdr *)mem;

	CHECK(mem);
	CHECK_EQ(channel_attach(NULL, bytes, &ch), STATUS_INVALID);
	CHECK_EQ(channel_attach(mem + 4, bytes - 4, &ch), STATUS_INVALID);
	CHECK_EQ(channel_attach(mem, bytes, &ch), STATUS_BAD_FORMAT); /* never laid out */
#define RESET() CHECK_EQ(channel_init(mem, bytes, 16, &ch), STATUS_OK)
	RESET();
	CHECK_EQ(channel_attach(mem, bytes - 1, &ch), STATUS_BAD_FORMAT);
	CHECK_EQ(channel_attach(mem, CHANNEL_HDR_SIZE - 1, &ch), STATUS_BAD_FORMAT);
	h->magic ^= 1;
	CHECK_EQ(channel_attach(mem, bytes, &ch), STATUS_BAD_FORMAT);
	RESET();
	h->elem_size = 0;
	CHECK_EQ(channel_attach(mem, bytes, &ch), STATUS_BAD_FORMAT);
	RESET();
	h->elem_size = CHANNEL_ELEM_MAX + 1;
	CHECK_EQ(channel_attach(mem, bytes, &ch), STATUS_BAD_FORMAT);
	RESET();
	h->elem_size = 17; /* 32 * 17 overruns the memory */
	CHECK_EQ(channel_attach(mem, bytes, &ch), STATUS_BAD_FORMAT);
	RESET();
	h->capacity = 24;
	CHECK_EQ(channel_attach(mem, bytes, &ch), STATUS_BAD_FORMAT);
	RESET();
	h->capacity = 0;
	CHECK_EQ(channel_attach(mem, bytes, &ch), STATUS_BAD_FORMAT);
	RESET();
	h->capacity = 1u << 31; /* above CHANNEL_CAPACITY_MAX */
	h->elem_size = 1;
	CHECK_EQ(channel_attach(mem, bytes, &ch), STATUS_BAD_FORMAT);
	RESET();
	h->prod = 33;
	CHECK_EQ(channel_attach(mem, bytes, &ch), STATUS_BAD_FORMAT);
	RESET();
	h->cons = 1; /* cons past prod */
	CHECK_EQ(channel_attach(mem, bytes, &ch), STATUS_BAD_FORMAT);
	RESET();
	h->prod = 32; /* a full ring is consistent */
	CHECK_EQ(channel_attach(mem, bytes, &ch), STATUS_OK);
	CHECK_EQ(channel_readable(&ch), 32);
	/* After attach the header's geometry is never read again. */
	h->elem_size = 4096;
	h->capacity = 1;
	CHECK_EQ(channel_readable(&ch), 32);
	CHECK_EQ(ch.capacity, 32);
	CHECK_EQ(ch.elem_size, 16);
#undef RESET
	free(mem);
}

/* ---------------------------------------------------------------- data */

TEST(pop_on_an_empty_channel_is_empty)
{
	size_t bytes = channel_bytes(4, 8);
	uint8_t *mem = shm_alloc(bytes);
	struct channel ch;
	uint64_t v = 7;

	CHECK(mem);
	CHECK_EQ(channel_init(mem, bytes, 8, &ch), STATUS_OK);
	CHECK_EQ(channel_pop(&ch, &v), STATUS_EMPTY);
	CHECK_EQ(v, 7);
	CHECK_EQ(channel_pop_batch(&ch, &v, 1), 0);
	CHECK_EQ(channel_readable(&ch), 0);
	free(mem);
}

TEST(push_until_full_then_a_pop_frees_one_slot)
{
	size_t bytes = channel_bytes(8, 8);
	uint8_t *mem = shm_alloc(bytes);
	struct channel prod, cons;
	uint64_t v;

	CHECK(mem);
	CHECK_EQ(channel_init(mem, bytes, 8, &prod), STATUS_OK);
	CHECK_EQ(channel_attach(mem, bytes, &cons), STATUS_OK);
	for (v = 0; v < 8; v++)
		CHECK_EQ(channel_push(&prod, &v), STATUS_OK);
	CHECK_EQ(channel_push(&prod, &v), STATUS_FULL);
	CHECK_EQ(channel_writable(&prod), 0);
	CHECK_EQ(channel_readable(&cons), 8);
	CHECK_EQ(channel_pop(&cons, &v), STATUS_OK);
	CHECK_EQ(v, 0);
	v = 100;
	CHECK_EQ(channel_push(&prod, &v), STATUS_OK);
	CHECK_EQ(channel_push(&prod, &v), STATUS_FULL);
	for (uint64_t want = 1; want < 8; want++) {
		CHECK_EQ(channel_pop(&cons, &v), STATUS_OK);
		CHECK_EQ(v, want);
	}
	CHECK_EQ(channel_pop(&cons, &v), STATUS_OK);
	CHECK_EQ(v, 100);
	CHECK_EQ(channel_pop(&cons, &v), STATUS_EMPTY);
	CHECK_EQ(prod.bad_indices + cons.bad_indices, 0);
	free(mem);
}

TEST(batches_stop_at_full_and_empty)
{
	size_t bytes = channel_bytes(16, 4);
	uint8_t *mem = shm_alloc(bytes);
	struct channel prod, cons;
	uint32_t in[40], out[40];

	CHECK(mem);
	for (uint32_t i = 0; i < 40; i++)
		in[i] = i * 3 + 1;
	CHECK_EQ(channel_init(mem, bytes, 4, &prod), STATUS_OK);
	CHECK_EQ(channel_attach(mem, bytes, &cons), STATUS_OK);
	CHECK_EQ(channel_push_batch(&prod, in, 10), 10);
	CHECK_EQ(channel_pop_batch(&cons, out, 7), 7);
	CHECK_EQ(channel_push_batch(&prod, in + 10, 30), 13); /* 3 left + 13 = 16 */
	CHECK_EQ(channel_push_batch(&prod, in + 23, 1), 0);
	CHECK_EQ(channel_pop_batch(&cons, out + 7, 40), 16); /* across the wrap */
	for (uint32_t i = 0; i < 23; i++)
		CHECK_EQ(out[i], in[i]);
	CHECK_EQ(channel_pop_batch(&cons, out, 40), 0);
	free(mem);
}

/* Pushes and pops random batch sizes through a ring of odd-sized elements
 * whose indices start just below 2^32, so both counters wrap. */
TEST(wraps_around_over_many_cycles)
{
	enum { ES = 12, CAP = 8 };
	size_t bytes = channel_bytes(CAP, ES);
	uint8_t *mem = shm_alloc(bytes);
	struct channel prod, cons;
	uint8_t in[CAP * ES], out[CAP * ES + 1];
	uint64_t seed = 0x9e3779b97f4a7c15ull, next_in = 0, next_out = 0;

	CHECK(mem);
	CHECK_EQ(channel_init(mem, bytes, ES, &prod), STATUS_OK);
	struct channel_hdr *h = (struct channel_hdr *)mem;
	h->prod = h->cons = 0xffffff00u;
	CHECK_EQ(channel_attach(mem, bytes, &prod), STATUS_OK);
	CHECK_EQ(channel_attach(mem, bytes, &cons), STATUS_OK);
	for (int cycle = 0; cycle < 200000; cycle++) {
		uint32_t n = (uint32_t)(rnd(&seed) % (CAP + 1));
		for (uint32_t i = 0; i < n; i++) {
			uint64_t v = next_in + i;
			memset(in + i * ES, 0, ES);
			memcpy(in + i * ES, &v, 8);
			in[i * ES + 11] = (uint8_t)~v;
		}
		next_in += channel_push_batch(&prod, in, n);
		n = (uint32_t)(rnd(&seed) % (CAP + 1));
		out[n * ES] = 0x5a;
		uint32_t got = channel_pop_batch(&cons, out, n);
		CHECK(got <= n);
		CHECK_EQ(out[n * ES], 0x5a); /* nothing written past n elements */
		for (uint32_t i = 0; i < got; i++) {
			uint64_t v;
			memcpy(&v, out + i * ES, 8);
			CHECK_EQ(v, next_out);
			CHECK_EQ(out[i * ES + 11], (uint8_t)~v);
			next_out++;
		}
		CHECK(next_in - next_out <= CAP);
	}
	CHECK(next_out > 100000);
	CHECK(h->prod < 0xffffff00u); /* wrapped */
	CHECK_EQ(prod.bad_indices + cons.bad_indices, 0);
	free(mem);
}

/* ---------------------------------------------------------------- hostile peer */

static void scribble(uint8_t *mem, size_t bytes, uint64_t *seed)
{
	static const size_t words[] = { 0, 4, 8, 64, 128, 132 };
	uint64_t r = rnd(seed);
	uint32_t v;

	switch (r % 4) {
	case 0: /* anything */
		v = (uint32_t)rnd(seed);
		break;
	case 1: /* near the current value, the likeliest to slip through */
		memcpy(&v, mem + words[(r >> 8) % 6], 4);
		v += (uint32_t)(rnd(seed) % 64) - 32;
		break;
	case 2:
		v = 0;
		break;
	default:
		v = 0xffffffffu - (uint32_t)(rnd(seed) % 4);
		break;
	}
	if ((r >> 16) % 8 == 0) { /* or garbage into the slots */
		size_t off = CHANNEL_HDR_SIZE + (size_t)(rnd(seed) % (bytes - CHANNEL_HDR_SIZE));
		mem[off] = (uint8_t)v;
		return;
	}
	memcpy(mem + words[(r >> 8) % 6], &v, 4);
}

/* Checks that a side's view is still one the memory can back. */
static void check_view(const struct channel *ch, uint32_t cap, uint32_t es)
{
	CHECK_EQ(ch->capacity, cap);
	CHECK_EQ(ch->elem_size, es);
	CHECK(ch->prod - ch->cons <= cap);
}

/*
 * The honest side pushes (or pops) while the peer writes random values into
 * every word of the header and into the slots between its operations. In an
 * exact-size block under ASan, any read or write outside it aborts; pop
 * batches must write only the elements they return.
 */
static void run_scribbled(bool honest_consumer, uint64_t seed)
{
	enum { ES = 20, CAP = 16 };
	size_t bytes = channel_bytes(CAP, ES);
	uint8_t *mem = shm_alloc(bytes);
	struct channel me;
	uint8_t buf[CAP * 2 * ES + 1];

	CHECK(mem);
	CHECK_EQ(channel_init(mem, bytes, ES, &me), STATUS_OK);
	for (int i = 0; i < 20000; i++) {
		uint32_t n = (uint32_t)(rnd(&seed) % (2 * CAP + 1));
		if (honest_consumer) {
			buf[n * ES] = 0x5a;
			uint32_t got = channel_pop_batch(&me, buf, n);
			CHECK(got <= n && got <= CAP);
			CHECK_EQ(buf[n * ES], 0x5a);
			if (rnd(&seed) % 4 == 0)
				channel_prepare_wait(&me);
		} else {
			memset(buf, (int)i, sizeof buf);
			CHECK(channel_push_batch(&me, buf, n) <= n);
		}
		check_view(&me, CAP, ES);
		for (uint64_t k = rnd(&seed) % 4; k > 0; k--)
			scribble(mem, bytes, &seed);
	}
	CHECK(me.bad_indices > 0);
	free(mem);
}

TEST(a_scribbling_producer_never_moves_the_consumer_out_of_bounds)
{
	for (uint64_t s = 1; s <= 8; s++)
		run_scribbled(true, s * 0x2545f4914f6cdd1dull);
}

TEST(a_scribbling_consumer_never_moves_the_producer_out_of_bounds)
{
	for (uint64_t s = 1; s <= 8; s++)
		run_scribbled(false, s * 0x2545f4914f6cdd1dull);
}

TEST(a_producer_index_too_far_ahead_or_backwards_is_refused)
{
	size_t bytes = channel_bytes(8, 8);
	uint8_t *mem = shm_alloc(bytes);
	struct channel prod, cons;
	struct channel_hdr *h = (struct channel_hdr *)mem;
	uint64_t v = 1;

	CHECK(mem);
	CHECK_EQ(channel_init(mem, bytes, 8, &prod), STATUS_OK);
	CHECK_EQ(channel_attach(mem, bytes, &cons), STATUS_OK);
	for (int i = 0; i < 4; i++)
		CHECK_EQ(channel_push(&prod, &v), STATUS_OK);
	CHECK_EQ(channel_readable(&cons), 4);
	h->prod = 9; /* more than capacity ahead of cons */
	CHECK_EQ(channel_readable(&cons), 4);
	CHECK_EQ(cons.bad_indices, 1);
	h->prod = 2; /* backwards */
	CHECK_EQ(channel_readable(&cons), 4);
	CHECK_EQ(cons.bad_indices, 2);
	h->prod = 8; /* a full ring: accepted */
	CHECK_EQ(channel_readable(&cons), 8);
	h->prod = 4;
	/* The consumer's own index is never read back. */
	h->cons = 0x1234;
	CHECK_EQ(channel_pop(&cons, &v), STATUS_OK);
	CHECK_EQ(h->cons, 1);
	/* A consumer index past prod is refused by the producer. */
	h->cons = 5;
	CHECK_EQ(channel_writable(&prod), 8 - 4);
	CHECK_EQ(prod.bad_indices, 1);
	h->cons = 3;
	CHECK_EQ(channel_writable(&prod), 8 - 1);
	free(mem);
}

/* ---------------------------------------------------------------- doorbell */

TEST(no_doorbell_while_the_consumer_is_busy)
{
	size_t bytes = channel_bytes(8, 8);
	uint8_t *mem = shm_alloc(bytes);
	struct channel prod, cons;
	struct bell b;
	uint64_t v = 1;

	CHECK(mem);
	bell_init(&b);
	CHECK_EQ(channel_init(mem, bytes, 8, &cons), STATUS_OK);
	CHECK_EQ(channel_attach(mem, bytes, &prod), STATUS_OK);
	CHECK_EQ(channel_notify(&prod, &b.ops), STATUS_INVALID); /* no doorbell set */
	channel_set_doorbell(&prod, 0x42, 1ull << 7);
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(channel_push(&prod, &v), STATUS_OK);
		CHECK_EQ(channel_notify(&prod, &b.ops), STATUS_OK);
	}
	CHECK_EQ(b.raises, 0);
	CHECK_EQ(prod.doorbells, 0);
	free(mem);
}

TEST(the_doorbell_rings_once_per_announced_sleep)
{
	size_t bytes = channel_bytes(8, 8);
	uint8_t *mem = shm_alloc(bytes);
	struct channel prod, cons;
	struct channel_hdr *h = (struct channel_hdr *)mem;
	struct bell b;
	uint64_t v = 1;

	CHECK(mem);
	bell_init(&b);
	CHECK_EQ(channel_init(mem, bytes, 8, &cons), STATUS_OK);
	CHECK_EQ(channel_attach(mem, bytes, &prod), STATUS_OK);
	channel_set_doorbell(&prod, 0x42, 1ull << 7);
	CHECK(channel_prepare_wait(&cons));
	CHECK_EQ(h->sleeping, 1);
	CHECK_EQ(channel_push(&prod, &v), STATUS_OK);
	CHECK_EQ(channel_notify(&prod, &b.ops), STATUS_OK);
	CHECK_EQ(b.raises, 1);
	CHECK_EQ(b.thread, 0x42);
	CHECK_EQ(b.bits, 1ull << 7);
	CHECK_EQ(h->sleeping, 0);
	CHECK_EQ(channel_push(&prod, &v), STATUS_OK);
	CHECK_EQ(channel_notify(&prod, &b.ops), STATUS_OK);
	CHECK_EQ(b.raises, 1); /* the consumer has not announced another sleep */
	CHECK_EQ(prod.doorbells, 1);
	/* Drained and asleep again: the next push rings again. */
	while (channel_pop(&cons, &v) == STATUS_OK)
		;
	CHECK(channel_prepare_wait(&cons));
	CHECK_EQ(channel_push(&prod, &v), STATUS_OK);
	b.fail = STATUS_STALE;
	CHECK_EQ(channel_notify(&prod, &b.ops), STATUS_STALE);
	CHECK_EQ(b.raises, 2);
	free(mem);
}

/* The lost wake-up: the consumer finds the ring empty, then the producer
 * pushes and finds no sleeper. Announcing the sleep must then see the
 * element, so the consumer does not sleep on it. */
TEST(an_element_pushed_before_the_announcement_cancels_the_sleep)
{
	size_t bytes = channel_bytes(8, 8);
	uint8_t *mem = shm_alloc(bytes);
	struct channel prod, cons;
	struct channel_hdr *h = (struct channel_hdr *)mem;
	struct bell b;
	uint64_t v = 5;

	CHECK(mem);
	bell_init(&b);
	CHECK_EQ(channel_init(mem, bytes, 8, &cons), STATUS_OK);
	CHECK_EQ(channel_attach(mem, bytes, &prod), STATUS_OK);
	channel_set_doorbell(&prod, 0x42, 1);
	CHECK_EQ(channel_pop(&cons, &v), STATUS_EMPTY);
	CHECK_EQ(channel_push(&prod, &v), STATUS_OK);
	CHECK_EQ(channel_notify(&prod, &b.ops), STATUS_OK);
	CHECK_EQ(b.raises, 0);
	CHECK(!channel_prepare_wait(&cons));
	CHECK_EQ(h->sleeping, 0); /* withdrawn: no doorbell for what it will pop */
	CHECK_EQ(channel_pop(&cons, &v), STATUS_OK);
	CHECK_EQ(v, 5);
	CHECK_EQ(channel_notify(&prod, &b.ops), STATUS_OK);
	CHECK_EQ(b.raises, 0);
	free(mem);
}

/* ---------------------------------------------------------------- two threads */

#define STRESS_N 1000000u
#define STRESS_CAP 256u

/* A thread's signal word: raise sets bits and wakes the sleeper. */
struct sigword {
	struct sysops ops;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	uint64_t bits;
	unsigned raises;
};

static status_t w_signal_raise(void *ctx, cap_handle_t thread, uint64_t bits)
{
	struct sigword *w = ctx;
	(void)thread;

	pthread_mutex_lock(&w->mu);
	w->bits |= bits;
	w->raises++;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	return STATUS_OK;
}

/* Sleeps until a bit is raised; false after 10 s (a lost wake-up). */
static bool sigword_wait(struct sigword *w)
{
	struct timespec until;
	int rc = 0;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 10;
	pthread_mutex_lock(&w->mu);
	while (!w->bits && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&w->cv, &w->mu, &until);
	bool woken = w->bits != 0;
	w->bits = 0;
	pthread_mutex_unlock(&w->mu);
	return woken;
}

struct stress {
	struct channel prod, cons;
	struct sigword sig;
	uint64_t sum_in, sum_out, sleeps, bad_order;
	bool lost_wakeup;
};

static void *stress_producer(void *arg)
{
	struct stress *s = arg;
	uint64_t buf[64], next = 0, seed = 77;

	while (next < STRESS_N) {
		uint32_t n = (uint32_t)(rnd(&seed) % 64) + 1;
		if (n > STRESS_N - next)
			n = (uint32_t)(STRESS_N - next);
		for (uint32_t i = 0; i < n; i++)
			buf[i] = (next + i) * 0x9e3779b97f4a7c15ull;
		uint32_t done = channel_push_batch(&s->prod, buf, n);
		for (uint32_t i = 0; i < done; i++)
			s->sum_in += buf[i];
		next += done;
		if (done)
			channel_notify(&s->prod, &s->sig.ops);
		else
			sched_yield();
	}
	return NULL;
}

static void *stress_consumer(void *arg)
{
	struct stress *s = arg;
	uint64_t buf[64], next = 0;

	while (next < STRESS_N) {
		uint32_t got = channel_pop_batch(&s->cons, buf, 64);
		for (uint32_t i = 0; i < got; i++, next++) {
			s->bad_order += buf[i] != next * 0x9e3779b97f4a7c15ull;
			s->sum_out += buf[i];
		}
		if (got || !channel_prepare_wait(&s->cons))
			continue;
		s->sleeps++;
		if (!sigword_wait(&s->sig)) {
			s->lost_wakeup = true;
			return NULL;
		}
	}
	return NULL;
}

TEST(two_threads_move_a_million_elements_without_loss_or_lost_wakeups)
{
	size_t bytes = channel_bytes(STRESS_CAP, 8);
	uint8_t *mem = shm_alloc(bytes);
	static struct stress s;
	pthread_t p, c;

	CHECK(mem);
	memset(&s, 0, sizeof s);
	pthread_mutex_init(&s.sig.mu, NULL);
	pthread_cond_init(&s.sig.cv, NULL);
	s.sig.ops.ctx = &s.sig;
	s.sig.ops.signal_raise = w_signal_raise;
	CHECK_EQ(channel_init(mem, bytes, 8, &s.cons), STATUS_OK);
	CHECK_EQ(channel_attach(mem, bytes, &s.prod), STATUS_OK);
	channel_set_doorbell(&s.prod, 0x42, 1ull << 3);
	CHECK_EQ(pthread_create(&c, NULL, stress_consumer, &s), 0);
	CHECK_EQ(pthread_create(&p, NULL, stress_producer, &s), 0);
	pthread_join(p, NULL);
	pthread_join(c, NULL);
	CHECK(!s.lost_wakeup);
	CHECK_EQ(s.bad_order, 0);
	CHECK_EQ(s.sum_in, s.sum_out);
	CHECK_EQ(s.cons.cons, STRESS_N);
	CHECK_EQ(s.prod.bad_indices + s.cons.bad_indices, 0);
	/* Every sleep was ended by at least one doorbell (several may land in
	 * the signal word before the consumer takes them). */
	CHECK(s.prod.doorbells >= s.sleeps);
	printf("  stress: %llu sleeps, %llu doorbells for %u elements\n",
	       (unsigned long long)s.sleeps, (unsigned long long)s.prod.doorbells, STRESS_N);
	free(mem);
}

/* A close withdrawn because the producer pushed: the consumer keeps
 * popping; a close that stands: the producer takes back what was never
 * popped, in order. */
TEST(a_closed_channel_gives_back_what_was_never_popped)
{
	size_t bytes = channel_bytes(8, 8);
	uint8_t *mem = shm_alloc(bytes);
	struct channel prod, cons;
	uint64_t v, out[8];

	CHECK(mem);
	CHECK_EQ(channel_init(mem, bytes, 8, &cons), STATUS_OK);
	CHECK_EQ(channel_attach(mem, bytes, &prod), STATUS_OK);
	CHECK(!channel_closed(&prod));
	channel_close(&cons);
	v = 1;
	CHECK_EQ(channel_push(&prod, &v), STATUS_OK);
	CHECK(channel_closed(&prod));
	CHECK_EQ(channel_readable(&cons), 1); /* the consumer sees it: stays */
	channel_reopen(&cons);
	CHECK(!channel_closed(&prod));
	CHECK_EQ(channel_pop(&cons, &v), STATUS_OK);
	CHECK_EQ(v, 1);
	for (v = 2; v < 6; v++)
		CHECK_EQ(channel_push(&prod, &v), STATUS_OK);
	CHECK_EQ(channel_pop(&cons, &v), STATUS_OK); /* 2 popped */
	channel_close(&cons);                        /* and then gone */
	CHECK(channel_closed(&prod));
	CHECK_EQ(channel_take_back(&prod, out, 8), 3);
	CHECK_EQ(out[0], 3);
	CHECK_EQ(out[1], 4);
	CHECK_EQ(out[2], 5);
	CHECK_EQ(channel_take_back(&prod, out, 8), 0);
	free(mem);
}

int main(void)
{
	RUN(init_lays_out_the_header_and_attach_agrees);
	RUN(init_takes_the_largest_power_of_two_that_fits);
	RUN(init_rejects_bad_arguments);
	RUN(attach_rejects_inconsistent_headers);
	RUN(pop_on_an_empty_channel_is_empty);
	RUN(push_until_full_then_a_pop_frees_one_slot);
	RUN(batches_stop_at_full_and_empty);
	RUN(wraps_around_over_many_cycles);
	RUN(a_scribbling_producer_never_moves_the_consumer_out_of_bounds);
	RUN(a_scribbling_consumer_never_moves_the_producer_out_of_bounds);
	RUN(a_producer_index_too_far_ahead_or_backwards_is_refused);
	RUN(no_doorbell_while_the_consumer_is_busy);
	RUN(the_doorbell_rings_once_per_announced_sleep);
	RUN(an_element_pushed_before_the_announcement_cancels_the_sleep);
	RUN(two_threads_move_a_million_elements_without_loss_or_lost_wakeups);
	RUN(a_closed_channel_gives_back_what_was_never_popped);
	return check_summary();
}
