/*
 * root_bench.c - bench: IPC costs measured with rdtsc in user space.
 *
 * Under QEMU -icount shift=0 the TSC advances one tick per guest
 * instruction, so the figures are instruction counts. The root's first
 * thread cannot change its own affinity, so the measuring is done by a
 * second root thread created pinned to CPU 0 (the "driver"); pong runs
 * pinned to CPU 0 as well, then to CPU 1 when there is one.
 *
 *   ipc_call_roundtrip_same_cpu_insns   sys_msg_call + pong's sys_msg_reply
 *   ipc_call_roundtrip_cross_cpu_insns  the same with pong on CPU 1
 *   ipc_call_regs_roundtrip_same_cpu_insns   the same two round trips with the
 *   ipc_call_regs_roundtrip_cross_cpu_insns  messages in registers:
 *                                       sys_msg_call_regs (keel_msg_call) +
 *                                       pong's sys_msg_reply_wait_regs
 *   ipc_call_regs_roundtrip_same_cpu_queued_insns  the same-CPU round trip in
 *                                       registers while a third thread (a Void
 *                                       spinner) waits its turn on CPU 0
 *   ipc_send_batched_per_msg_insns      32 sys_msg_send drained by pong after
 *                                       one wait; the closing call's round
 *                                       trip is subtracted, the rest divided by 32
 *   ipc_send_regs_batched_per_msg_insns  the same with sys_msg_send_regs
 *                                       (keel_msg_send)
 *   ipc_send_many_per_msg_insns         the same with the 32 messages built in an
 *                                       array and posted by one sys_msg_send_many
 */
#include "root.h"

#define WARMUP 1000
#define ROUNDS 10000
#define BATCH 32
#define BATCH_ROUNDS 300
#define DRIVER_STACK_PAGES 16

struct bench {
	struct kabi_root *r;
	struct kabi_inbox in, sup;
	uint64_t same, cross, batched, many; /* 0 until measured */
	uint64_t same_regs, cross_regs, batched_regs;
	uint64_t same_regs_queued;
	int spin_stop, spin_done; /* the queued spinner's stop and its answer */
	int finished;             /* set by the driver when it is done */
};

/* Spawns pong on the CPUs in affinity; returns the send cap to its inbox. */
static cap_handle_t pong_start(struct bench *b, uint64_t affinity, struct keel_child *c,
			       cap_handle_t *supc)
{
	struct kabi_root *r = b->r;
	struct keel_spawn_args a = kr_args(r, "kabi-pong");
	struct keel_msg m = { 0 };

	a.affinity = affinity;
	if (!kr_ok(r, "derive a supervisor cap",
		   sys_cap_derive(b->sup.cap, RIGHT_SEND, 0xb0, supc)))
		return CAP_HANDLE_NONE;
	a.fault_inbox = *supc;
	kr_give(&a, b->in.cap, RIGHT_SEND | RIGHT_GRANT, 1);
	if (!kr_spawn(r, &a, c))
		return CAP_HANDLE_NONE;
	if (!kr_ok(r, "pong hello", kabi_recv(&b->in, &m, KABI_WAIT_NS)) ||
	    !kr_expect_u64(r, "pong hello carries its inbox",
			   m.label == KABI_HELLO && (m.flags & MSG_FLAG_CAP), 1))
		return CAP_HANDLE_NONE;
	return m.cap;
}

static void pong_stop(struct bench *b, cap_handle_t pong, struct keel_child *c, cap_handle_t supc)
{
	struct keel_msg m = kabi_msg(KABI_QUIT, 0, 0, 0);

	if (pong) {
		sys_msg_send(pong, &m, CAP_HANDLE_NONE, 0);
		kr_wait_exit(b->r, &b->sup, 0xb0, 0, "pong exits with code 0");
		sys_cap_delete(pong);
	}
	kr_release(c);
	if (supc)
		sys_cap_delete(supc);
}

/* n checked call round trips, the messages in memory or (regs) in
 * registers; returns the TSC ticks they took, 0 on failure. Never
 * inlined, so that tests/bench/profile.sh can count its runs: six on one
 * CPU, then the cross-CPU loops from the seventh. */
static __attribute__((noinline)) uint64_t calls(struct bench *b, cap_handle_t pong, uint64_t n,
						bool regs)
{
	uint64_t t0 = kabi_rdtsc();

	for (uint64_t i = 0; i < n; i++) {
		struct keel_msg m = kabi_msg(regs ? KABI_PING_REGS : KABI_PING, i, 0, 0);
		status_t st = regs ? keel_msg_call(pong, &m, KABI_WAIT_NS)
				   : sys_msg_call(pong, &m, KABI_WAIT_NS);
		if (st || kabi_word(&m, 0) != i + 1) {
			kr_fail(b->r, "bench call", "call %llu: %s, reply word %llu",
				(unsigned long long)i, status_name(st),
				(unsigned long long)kabi_word(&m, 0));
			return 0;
		}
	}
	return kabi_rdtsc() - t0;
}

enum batch_form { ONE_BY_ONE, IN_REGISTERS, MANY };

/* rounds of BATCH sends (one sys_msg_send each, one sys_msg_send_regs
 * each, or one sys_msg_send_many for all) closed by a flush call; returns
 * ticks, 0 on failure. */
static uint64_t batches(struct bench *b, cap_handle_t pong, uint64_t rounds, enum batch_form form)
{
	bool many = form == MANY;
	static struct keel_msg batch[BATCH];
	uint64_t t0 = kabi_rdtsc();

	for (uint64_t k = 0; k < rounds; k++) {
		struct keel_msg m;
		status_t st = STATUS_OK;
		size_t sent = 0;
		if (many) {
			for (uint64_t i = 0; i < BATCH; i++)
				batch[i] = kabi_msg(KABI_ITEM, i, 0, 0);
			st = sys_msg_send_many(pong, batch, sizeof batch, &sent);
		}
		for (uint64_t i = 0; !many && i < BATCH && st == STATUS_OK; i++) {
			m = kabi_msg(KABI_ITEM, i, 0, 0);
			st = form == IN_REGISTERS ? keel_msg_send(pong, &m, CAP_HANDLE_NONE, 0)
						  : sys_msg_send(pong, &m, CAP_HANDLE_NONE, 0);
		}
		m = kabi_msg(KABI_FLUSH, 0, 0, 0);
		if (st == STATUS_OK)
			st = sys_msg_call(pong, &m, KABI_WAIT_NS);
		if (st || kabi_word(&m, 0) != BATCH) {
			kr_fail(b->r, "bench batch", "round %llu: %s, pong drained %llu",
				(unsigned long long)k, status_name(st),
				(unsigned long long)kabi_word(&m, 0));
			return 0;
		}
	}
	return kabi_rdtsc() - t0;
}

/* The spinner: runs only when CPU 0 has nothing else (tier Void), so
 * while the driver and pong hand the CPU to each other it stays queued. */
static _Noreturn void spinner(struct bench *b)
{
	while (!__atomic_load_n(&b->spin_stop, __ATOMIC_ACQUIRE))
		__asm__ volatile("pause");
	__atomic_store_n(&b->spin_done, 1, __ATOMIC_RELEASE);
	sys_thread_exit(0);
}

/* The same-CPU round trip in registers with the spinner queued on CPU 0:
 * the IPC path must not take a slower way for a thread waiting there. */
static void measure_queued(struct bench *b, cap_handle_t pong)
{
	static uint8_t stack[4096] __attribute__((aligned(16)));
	cap_handle_t th;
	uint64_t t;
	if (!kr_ok(b->r, "create a Void spinner on CPU 0",
		   sys_thread_create(b->r->start->self_task, (uint64_t)(uintptr_t)spinner,
				     (uint64_t)(uintptr_t)(stack + sizeof stack - 8),
				     (uint64_t)(uintptr_t)b, THREAD_TIER_VOID, 1, &th)))
		return;
	if (calls(b, pong, WARMUP, true) && (t = calls(b, pong, ROUNDS, true)))
		b->same_regs_queued = t / ROUNDS;
	__atomic_store_n(&b->spin_stop, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < 100 && !__atomic_load_n(&b->spin_done, __ATOMIC_ACQUIRE); i++)
		kabi_sleep(KABI_MS); /* the driver waits: the spinner runs and ends */
	kr_expect_u64(b->r, "the spinner ran once the driver waited", b->spin_done, 1);
	kabi_sleep(KABI_MS); /* let its sys_thread_exit complete */
	sys_cap_delete(th);
}

/* Measures with pong on the CPUs in affinity: *roundtrip in memory,
 * *roundtrip_regs in registers; with_batch (the same-CPU run) adds the
 * batch figures and the round trip with a thread queued. */
static void measure(struct bench *b, uint64_t affinity, uint64_t *roundtrip,
		    uint64_t *roundtrip_regs, bool with_batch)
{
	struct keel_child c = { 0 };
	cap_handle_t supc = 0;
	cap_handle_t pong = pong_start(b, affinity, &c, &supc);
	uint64_t t;

	if (pong && calls(b, pong, WARMUP, true) && (t = calls(b, pong, ROUNDS, true)))
		*roundtrip_regs = t / ROUNDS;
	if (pong && with_batch)
		measure_queued(b, pong);
	if (pong && calls(b, pong, WARMUP, false) && (t = calls(b, pong, ROUNDS, false))) {
		*roundtrip = t / ROUNDS;
		if (with_batch && batches(b, pong, 10, ONE_BY_ONE) &&
		    (t = batches(b, pong, BATCH_ROUNDS, ONE_BY_ONE))) {
			uint64_t per_round = t / BATCH_ROUNDS;
			/* Without -icount the ticks are wall time and may say less
			 * than nothing: 1 still says the batches ran. */
			b->batched = per_round > *roundtrip ? (per_round - *roundtrip) / BATCH : 1;
		}
		if (with_batch && batches(b, pong, 10, IN_REGISTERS) &&
		    (t = batches(b, pong, BATCH_ROUNDS, IN_REGISTERS))) {
			uint64_t per_round = t / BATCH_ROUNDS;
			b->batched_regs = per_round > *roundtrip ? (per_round - *roundtrip) / BATCH
								 : 1;
		}
		if (with_batch && batches(b, pong, 10, MANY) &&
		    (t = batches(b, pong, BATCH_ROUNDS, MANY))) {
			uint64_t per_round = t / BATCH_ROUNDS;
			b->many = per_round > *roundtrip ? (per_round - *roundtrip) / BATCH : 1;
		}
	}
	pong_stop(b, pong, &c, supc);
}

/* The driver thread: pinned to CPU 0, it owns the inboxes it creates. */
static _Noreturn void driver(struct bench *b)
{
	struct kabi_root *r = b->r;

	if (kr_inbox(r, &b->in, 64, 0) && kr_inbox(r, &b->sup, 8, 1)) {
		measure(b, 1, &b->same, &b->same_regs, true);
		if (r->start->cpu_count >= 2)
			measure(b, 2, &b->cross, &b->cross_regs, false);
		kabi_inbox_close(&b->in);
		kabi_inbox_close(&b->sup);
	}
	__atomic_store_n(&b->finished, 1, __ATOMIC_RELEASE);
	sys_thread_exit(0);
}

/* Starts the driver on a fresh stack. It begins as if called: rsp + 8 is
 * 16-byte aligned, and its return address is 0 (it never returns). */
static bool driver_start(struct kabi_root *r, struct bench *b, cap_handle_t *stack,
			 cap_handle_t *thread)
{
	uint8_t *base;
	uint64_t top;

	if (!kr_ok(r, "create the driver's stack",
		   sys_memory_create(DRIVER_STACK_PAGES, 0, stack)) ||
	    !(base = kr_map(r, *stack, DRIVER_STACK_PAGES, RIGHT_READ | RIGHT_WRITE)))
		return false;
	top = (uint64_t)(uintptr_t)base + DRIVER_STACK_PAGES * KEEL_PAGE_SIZE;
	return kr_ok(r, "create the driver thread on CPU 0",
		     sys_thread_create(r->start->self_task, (uint64_t)(uintptr_t)driver, top - 8,
				       (uint64_t)(uintptr_t)b, THREAD_TIER_MATTER, 1, thread));
}

/* Prints figure name = v and passes "what measured", or, when v is 0 and
 * the figure is required, fails "what". */
static void report(struct kabi_root *r, const char *what, const char *name, uint64_t v,
		   bool required)
{
	if (v) {
		kr_pass(r, "%s measured", what);
		keel_print(r->witness, "bench: %s=%llu\n", name, (unsigned long long)v);
	} else if (required) {
		kr_fail(r, what, "not measured");
	}
}

void test_bench(struct kabi_root *r)
{
	struct bench b = { .r = r };
	cap_handle_t stack = 0, thread = 0;

	if (!driver_start(r, &b, &stack, &thread))
		return;
	while (!__atomic_load_n(&b.finished, __ATOMIC_ACQUIRE))
		kabi_sleep(50 * KABI_MS);
	kabi_sleep(10 * KABI_MS); /* let the driver's sys_thread_exit complete */
	sys_cap_delete(thread);
	bool two = r->start->cpu_count >= 2;
	report(r, "same-CPU call round trip", "ipc_call_roundtrip_same_cpu_insns", b.same, false);
	report(r, "cross-CPU call round trip", "ipc_call_roundtrip_cross_cpu_insns", b.cross, two);
	report(r, "same-CPU call round trip in registers", "ipc_call_regs_roundtrip_same_cpu_insns",
	       b.same_regs, true);
	report(r, "cross-CPU call round trip in registers",
	       "ipc_call_regs_roundtrip_cross_cpu_insns", b.cross_regs, two);
	report(r, "same-CPU round trip in registers, a thread queued",
	       "ipc_call_regs_roundtrip_same_cpu_queued_insns", b.same_regs_queued, true);
	report(r, "batched send", "ipc_send_batched_per_msg_insns", b.batched, true);
	report(r, "batched send in registers", "ipc_send_regs_batched_per_msg_insns",
	       b.batched_regs, true);
	report(r, "sys_msg_send_many", "ipc_send_many_per_msg_insns", b.many, true);
}
