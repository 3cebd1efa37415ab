/*
 * bench.c - the per-core benchmark at boot: one thread pinned to each CPU
 * runs a fixed integer kernel for a few short samples; classify.c turns
 * the figures into classes relative to the fastest core.
 *
 * The threads are raw kernel threads (no C library state): they touch only
 * their own slot and make system calls, and exit when done; each wakes
 * the main thread through the futex of its slot's done word.
 */
#include <string.h>

#include "keel/map.h"
#include "keel/sys.h"
#include "topod.h"

/* Each sample is a fixed amount of work, timed: 4 samples of 16 chunks of
 * 256 iterations (a chunk is about 1,300 instructions), about 85,000
 * instructions per core in all, some tens of microseconds on hardware
 * (it was 4 samples of 32 chunks, and before that 4 samples of 250 us of
 * spinning and 8 x 3 ms: under icount, where time is instructions, every
 * core's share counts in kernel entry to the first prompt). The error:
 * the two clock reads around a sample (system calls, about a hundred
 * nanoseconds each) are the same on every core and a few percent of a
 * sample at most; a timer tick or a host stealing the CPU slows one
 * sample, which the upper median of classify.c leaves out. Both stay
 * inside the 10% band of Apex and the 5% grouping there. */
#define BENCH_SAMPLES 4
#define BENCH_SAMPLE_CHUNKS 16u
#define BENCH_CHUNK 256u /* kernel iterations per chunk */
#define BENCH_STACK_PAGES 2u
#define BENCH_WAIT_NS 1000000000ull /* give up on a core after 1 s */

struct bench_slot {
	uint64_t samples[BENCH_SAMPLES]; /* nanoseconds per sample */
	uint32_t done;                   /* 1 when published; a futex word */
	uint32_t pad;
};

/* The work: a dependent chain of multiplies, shifts and adds. */
static uint64_t kernel_chunk(uint64_t x)
{
	for (uint32_t i = 0; i < BENCH_CHUNK; i++)
		x = (x * 6364136223846793005ull + 1442695040888963407ull) ^ (x >> 29);
	return x;
}

/* A pinned thread's whole life: time each sample's work, publish, wake
 * topod's main thread, exit. */
static __attribute__((noreturn, used)) void bench_thread(struct bench_slot *s)
{
	uint64_t x = 1, start = 0, end = 0;
	for (int k = 0; k < BENCH_SAMPLES; k++) {
		sys_clock_read(&start);
		for (uint32_t c = 0; c < BENCH_SAMPLE_CHUNKS; c++)
			x = kernel_chunk(x);
		sys_clock_read(&end);
		s->samples[k] = end - start + (x == 0); /* keep x alive */
	}
	__atomic_store_n(&s->done, 1u, __ATOMIC_RELEASE);
	sys_futex_wake((uint64_t)(uintptr_t)&s->done, 1, NULL);
	sys_thread_exit(0);
}

/* Waits until every slot is done (woken by its thread) or time is up. */
static void bench_wait(struct bench_slot *slots, uint32_t n)
{
	uint64_t start = 0, now = 0;
	sys_clock_read(&start);
	for (uint32_t i = 0; i < n; i++)
		while (!__atomic_load_n(&slots[i].done, __ATOMIC_ACQUIRE)) {
			sys_clock_read(&now);
			if (now - start > BENCH_WAIT_NS)
				return;
			sys_futex_wait((uint64_t)(uintptr_t)&slots[i].done, 0,
				       BENCH_WAIT_NS - (now - start));
		}
}

/* Work units per microsecond of a sample that took ns nanoseconds; 0 for
 * a sample the clock did not see pass. */
static uint64_t sample_score(uint64_t ns)
{
	return ns ? (uint64_t)BENCH_SAMPLE_CHUNKS * BENCH_CHUNK * 1000 / ns : 0;
}

/* Starts one pinned thread per CPU; returns how many started. */
static uint32_t bench_start(struct topo *t, struct bench_slot *slots, uint8_t *stacks, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		cap_handle_t th;
		uint64_t top = (uint64_t)(uintptr_t)(stacks + (i + 1) * BENCH_STACK_PAGES * 4096);
		if (sys_thread_create(t->start->self_task, (uint64_t)(uintptr_t)bench_thread,
				      top - 8, (uint64_t)(uintptr_t)&slots[i], THREAD_TIER_GRAVITY,
				      1ull << i, &th))
			slots[i].done = 1; /* left unmeasured */
		else
			sys_cap_delete(th);
	}
	return n;
}

status_t topo_bench(struct topo *t)
{
	uint32_t n = t->madt.cpu_count;
	if (n > t->start->cpu_count)
		n = (uint32_t)t->start->cpu_count;
	if (n > 63)
		n = 63;
	uint64_t pages = (n * sizeof(struct bench_slot) + 4095) / 4096 + n * BENCH_STACK_PAGES;
	cap_handle_t mem;
	void *va;
	status_t st = sys_memory_create(pages, 0, &mem);
	if (st == STATUS_OK)
		st = keel_map(mem, 0, pages, RIGHT_READ | RIGHT_WRITE, &va);
	if (st)
		return st;
	uint8_t *stacks = va;
	struct bench_slot *slots = (void *)(stacks + n * BENCH_STACK_PAGES * 4096);
	bench_wait(slots, bench_start(t, slots, stacks, n));
	struct core_figures figs[ACPI_MAX_CPUS];
	memset(figs, 0, sizeof figs);
	for (uint32_t i = 0; i < n; i++) {
		if (!__atomic_load_n(&slots[i].done, __ATOMIC_ACQUIRE))
			continue; /* still running: its memory stays mapped */
		figs[i].count = BENCH_SAMPLES;
		for (int k = 0; k < BENCH_SAMPLES; k++)
			figs[i].samples[k] = sample_score(slots[i].samples[k]);
	}
	t->ncores = n;
	return classify_cores(figs, n, t->cores, &t->fastest);
}
