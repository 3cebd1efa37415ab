/*
 * kabi-futex.c - sys_futex_wait and sys_futex_wake from user space, booted
 * as the root task (keel.init=kabi-futex, tests/qemu/futex.sh runs it on 4
 * CPUs).
 *
 * Lost wake-ups hang a waiter, so the threaded scenarios run under a
 * watchdog: the first thread checks their progress counters and fails the
 * scenario when they stop moving. One memory page is mapped twice, and
 * threads wait through one mapping and wake through the other, so a key
 * by address instead of by object and offset would also hang.
 */
#include "keel/map.h"
#include "keel/sys.h"

#define THREADS 4
#define LOCK_ROUNDS 20000
#define PINGPONG_ROUNDS 20000
#define STACK_PAGES 4
#define STALL_NS 10000000000ull /* no progress for 10 s: a wake-up was lost */

struct shared {
	volatile uint32_t lock;     /* 0 free, 1 held, 2 held with waiters */
	volatile uint32_t turn;     /* ping-pong: whose turn */
	volatile uint64_t counter;  /* under lock */
	volatile uint64_t progress; /* ping-pong exchanges */
	volatile uint32_t done;
};

static struct shared *via_a, *via_b; /* the same page at two addresses */
static cap_handle_t witness;
static int passed, failed;

static void check(bool ok, const char *what)
{
	keel_print(witness, "kabi-futex: %s %s\n", ok ? "PASS" : "FAIL", what);
	if (ok)
		passed++;
	else
		failed++;
}

static uint32_t cas(volatile uint32_t *w, uint32_t old, uint32_t new)
{
	__atomic_compare_exchange_n(w, &old, new, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
	return old;
}

/* Drepper's mutex: waits on the word through one mapping, wakes through
 * the other. */
static void lock(struct shared *wait_via)
{
	uint32_t c = cas(&via_a->lock, 0, 1);
	if (c == 0)
		return;
	if (c != 2)
		c = __atomic_exchange_n(&via_a->lock, 2, __ATOMIC_ACQUIRE);
	while (c != 0) {
		sys_futex_wait((uint64_t)(uintptr_t)&wait_via->lock, 2, TIMEOUT_FOREVER);
		c = __atomic_exchange_n(&via_a->lock, 2, __ATOMIC_ACQUIRE);
	}
}

static void unlock(struct shared *wake_via)
{
	uint64_t woken;
	if (__atomic_exchange_n(&via_a->lock, 0, __ATOMIC_RELEASE) == 2)
		sys_futex_wake((uint64_t)(uintptr_t)&wake_via->lock, 1, &woken);
}

static _Noreturn void lock_worker(uint64_t i)
{
	struct shared *mine = i % 2 ? via_b : via_a, *other = i % 2 ? via_a : via_b;
	for (int r = 0; r < LOCK_ROUNDS; r++) {
		lock(mine);
		via_a->counter++;
		unlock(other);
	}
	__atomic_add_fetch(&via_a->done, 1, __ATOMIC_RELEASE);
	sys_thread_exit(0);
}

/* Thread i (0 or 1) waits for its turn, then hands the turn over. */
static _Noreturn void pingpong_worker(uint64_t i)
{
	struct shared *mine = i ? via_b : via_a;
	uint64_t woken;
	for (int r = 0; r < PINGPONG_ROUNDS; r++) {
		uint32_t t;
		while ((t = __atomic_load_n(&mine->turn, __ATOMIC_ACQUIRE)) != i)
			sys_futex_wait((uint64_t)(uintptr_t)&mine->turn, t, TIMEOUT_FOREVER);
		__atomic_store_n(&mine->turn, 1 - (uint32_t)i, __ATOMIC_RELEASE);
		__atomic_add_fetch(&mine->progress, 1, __ATOMIC_RELAXED);
		sys_futex_wake((uint64_t)(uintptr_t) & (i ? via_a : via_b)->turn, 1, &woken);
	}
	__atomic_add_fetch(&via_a->done, 1, __ATOMIC_RELEASE);
	sys_thread_exit(0);
}

static status_t start_thread(const struct keel_start *s, void (*fn)(uint64_t), uint64_t arg)
{
	cap_handle_t mem, th;
	void *stack;
	status_t st = sys_memory_create(STACK_PAGES, 0, &mem);
	if (st == STATUS_OK)
		st = keel_map(mem, 0, STACK_PAGES, RIGHT_READ | RIGHT_WRITE, &stack);
	if (st)
		return st;
	uint64_t top = (uint64_t)(uintptr_t)stack + STACK_PAGES * KEEL_PAGE_SIZE - 8;
	uint64_t cpus = s->cpu_count >= 64 ? ~0ull : (1ull << s->cpu_count) - 1;
	return sys_thread_create(s->self_task, (uint64_t)(uintptr_t)fn, top, arg,
				 THREAD_TIER_MATTER, cpus, &th);
}

/* Waits until `want` threads are done, failing if the watched counter
 * stops moving for STALL_NS. */
static bool watch(uint32_t want, volatile uint64_t *moving)
{
	uint64_t last = *moving, since, now, pending;
	sys_clock_read(&since);
	while (__atomic_load_n(&via_a->done, __ATOMIC_ACQUIRE) < want) {
		sys_signal_wait(1ull << 62, 20 * 1000000ull, &pending);
		sys_clock_read(&now);
		if (*moving != last) {
			last = *moving;
			since = now;
		} else if (now - since > STALL_NS) {
			return false;
		}
	}
	return true;
}

static void errors(void)
{
	uint64_t woken = 99, t0, t1;
	uint64_t word = (uint64_t)(uintptr_t)&via_a->turn;
	via_a->turn = 5;
	check(sys_futex_wait(word + 1, 5, 0) == STATUS_INVALID, "an unaligned word is INVALID");
	check(sys_futex_wait(0x1000, 5, 0) == STATUS_BAD_ADDRESS,
	      "an unmapped word is BAD_ADDRESS");
	check(sys_futex_wake(0x1000, 1, &woken) == STATUS_BAD_ADDRESS,
	      "waking an unmapped word is BAD_ADDRESS");
	check(sys_futex_wait(word, 6, TIMEOUT_FOREVER) == STATUS_BUSY,
	      "a word that changed is BUSY at once");
	check(sys_futex_wait(word, 5, 0) == STATUS_TIMEOUT, "a zero timeout only checks");
	sys_clock_read(&t0);
	status_t st = sys_futex_wait(word, 5, 20 * 1000000ull);
	sys_clock_read(&t1);
	check(st == STATUS_TIMEOUT && t1 - t0 >= 20 * 1000000ull, "a timed wait times out");
	check(sys_futex_wake(word, 1, &woken) == STATUS_OK && woken == 0,
	      "a wake with no waiter wakes no one");
}

int keel_main(const struct keel_start *s)
{
	cap_handle_t page;
	witness = s->witness;
	if (sys_memory_create(1, 0, &page) ||
	    keel_map(page, 0, 1, RIGHT_READ | RIGHT_WRITE, (void **)&via_a) ||
	    keel_map(page, 0, 1, RIGHT_READ | RIGHT_WRITE, (void **)&via_b)) {
		keel_print(witness, "kabi-futex: cannot map the shared page\n");
		return 1;
	}
	errors();
	via_a->done = 0;
	for (uint64_t i = 0; i < THREADS; i++)
		if (start_thread(s, lock_worker, i))
			check(false, "start a lock thread");
	bool ok = watch(THREADS, &via_a->counter);
	check(ok && via_a->counter == (uint64_t)THREADS * LOCK_ROUNDS,
	      "a futex mutex under contention loses no wake-up and no increment");
	via_a->done = 0;
	via_a->turn = 0;
	for (uint64_t i = 0; i < 2; i++)
		if (start_thread(s, pingpong_worker, i))
			check(false, "start a ping-pong thread");
	ok = watch(2, &via_a->progress);
	check(ok && via_a->progress == 2ull * PINGPONG_ROUNDS,
	      "two threads hand a turn back and forth without a lost wake-up");
	keel_print(witness, "kabi-futex: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
