/*
 * root.h - the kabi-root harness: reporting, address space, spawning,
 * supervision and kernel statistics, shared by the test files.
 *
 * Output, one line per check, on the kernel console:
 *   kabi: PASS <what>
 *   kabi: FAIL <what>: <detail>
 *   kabi: <NAME>: <N> passed, <M> failed      (last line)
 */
#ifndef KABI_ROOT_H
#define KABI_ROOT_H

#include "kabi.h"

#include "lib/fmt.h"

struct kabi_root {
	const struct keel_start *start;
	cap_handle_t witness;
	struct keel_spawner spawner;
	uint64_t next_va;  /* next free address for kr_va() */
	uint64_t all_cpus; /* affinity mask of every online CPU */
	unsigned passed, failed;
};

void kr_log(struct kabi_root *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void kr_pass(struct kabi_root *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void kr_fail(struct kabi_root *r, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* One check: PASS when got == want, else FAIL naming both. Returns got == want. */
bool kr_expect(struct kabi_root *r, const char *what, status_t got, status_t want);

/* One check of a value: PASS when got == want, else FAIL with both in hex. */
bool kr_expect_u64(struct kabi_root *r, const char *what, uint64_t got, uint64_t want);

/* A setup step: silent when st is OK, else FAIL. Returns st == OK. */
bool kr_ok(struct kabi_root *r, const char *what, status_t st);

/* Reserves pages of the root's address space (plus an unmapped guard page). */
uint64_t kr_va(struct kabi_root *r, uint64_t pages);

/* Maps pages of memory at a fresh address with prot; returns it or 0 (FAIL reported). */
void *kr_map(struct kabi_root *r, cap_handle_t memory, uint64_t pages, uint32_t prot);

/* A thread of the root task on a stack of its own (kr_thread). */
struct kr_thread {
	cap_handle_t stack, thread;
	void *base;
	uint64_t pages;
};

/* Starts entry(arg) in the root task on a fresh stack of pages pages, at
 * tier, on the CPUs of affinity. Returns whether it started (FAIL
 * reported); kr_thread_free undoes what was made either way. */
bool kr_thread(struct kabi_root *r, void (*entry)(void *), void *arg, uint64_t pages, uint32_t tier,
	       uint64_t affinity, struct kr_thread *t);

/* Deletes the thread's capability and unmaps and frees its stack: call
 * it once the thread has ended. */
void kr_thread_free(struct kr_thread *t);

/* The affinity bit of the highest online CPU. */
static inline uint64_t kr_last_cpu(const struct kabi_root *r)
{
	return r->all_cpus & ~(r->all_cpus >> 1);
}

/* Opens an inbox owned by the calling thread at a fresh address. */
bool kr_inbox(struct kabi_root *r, struct kabi_inbox *ib, uint32_t capacity, uint32_t bit);

/* Spawn arguments with the harness defaults: the program name, no
 * capabilities (children report by message and exit code, not on the
 * console), modest quotas, tier MATTER, every CPU. */
struct keel_spawn_args kr_args(struct kabi_root *r, const char *name);

/* Appends a capability grant to a->caps[]. */
void kr_give(struct keel_spawn_args *a, cap_handle_t cap, uint32_t rights, uint64_t badge);

/* keel_spawn with a FAIL line on error. Returns whether it worked. */
bool kr_spawn(struct kabi_root *r, const struct keel_spawn_args *a, struct keel_child *c);

/* Deletes the task and thread capabilities of a child that has ended. */
void kr_release(struct keel_child *c);

/*
 * Waits for the supervisor message (MSG_LABEL_TASK_EXIT or _FAULT) with
 * badge on sup; other messages there are reported as FAIL and skipped.
 * Returns false (FAIL reported, naming what) on timeout.
 */
bool kr_wait_end(struct kabi_root *r, struct kabi_inbox *sup, uint64_t badge, struct keel_msg *m,
		 const char *what);

/* Like kr_wait_end, and the message must be an exit with code. */
bool kr_wait_exit(struct kabi_root *r, struct kabi_inbox *sup, uint64_t badge, uint64_t code,
		  const char *what);

/* The decimal number key=N on the kernel command line; dflt when absent or 0. */
uint64_t kr_cmd_number(struct kabi_root *r, const char *key, uint64_t dflt);

/* Reads the kernel counters; FAIL reported on error. */
bool kr_stats(struct kabi_root *r, struct kernel_stats *s);

/*
 * Checks that threads, tasks, objects and (if pages) free pages are back
 * at base, polling for up to 500 ms to let deferred frees finish. One PASS
 * or FAIL line naming what and the counters that differ.
 */
bool kr_settle(struct kabi_root *r, const struct kernel_stats *base, const char *what, bool pages);

/*
 * Spawns kabi-exit once (supervised by supc, whose badge is badge, on sup),
 * waits for its exit message and then for the kernel to finish freeing it
 * (the message can come first), and reads the baseline into *base: the
 * spawner's own first-use allocations are then behind it.
 */
bool kr_warm_up(struct kabi_root *r, struct kabi_inbox *sup, cap_handle_t supc, uint64_t badge,
		struct kernel_stats *base);

/* The tests, one per kabi.test name (root_*.c). */
void test_pingpong(struct kabi_root *r);
void test_cpuload(struct kabi_root *r);
void test_pairs(struct kabi_root *r);
void test_badge(struct kabi_root *r);
void test_revoke(struct kabi_root *r);
void test_nocap(struct kabi_root *r);
void test_fault(struct kabi_root *r);
void test_shm(struct kabi_root *r);
void test_stop(struct kabi_root *r);
void test_cycles(struct kabi_root *r);
void test_fuzz(struct kabi_root *r);
void test_bench(struct kabi_root *r);
void test_timer(struct kabi_root *r);
void test_witness(struct kabi_root *r);
void test_devices(struct kabi_root *r);
void test_harden(struct kabi_root *r);
void test_adversary(struct kabi_root *r);
void test_msi(struct kabi_root *r);
void test_pools(struct kabi_root *r);
void test_demand(struct kabi_root *r);
void test_reclaim(struct kabi_root *r);

#endif
