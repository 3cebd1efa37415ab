/*
 * root_pairs.c - pairs: what the kernel lock costs independent work.
 *
 * For N = 1, 2, 4, ... up to the CPU count, N call/reply pairs run at
 * once, pair i entirely on CPU i: a root thread (the "driver") pinned
 * there calls its own kabi-pong pinned there. Nothing is shared between
 * the pairs but the kernel, so any contention is the kernel's locks'. The
 * per-CPU records of sys_kernel_stats, read before and after the timed
 * rounds, give per round trip:
 *
 *   pairs_N_contended_per_million_roundtrips  contended acquisitions of any
 *                                             kernel lock (CPU locks and
 *                                             the global kind)
 *   pairs_N_global_contended_per_roundtrip    contended acquisitions of the
 *                                             global kind (every CPU's lock
 *                                             at once), per round trip, with
 *                                             six decimals (goal: 0)
 *   pairs_N_global_per_roundtrip              acquisitions of the global
 *                                             kind, per round trip
 *   pairs_N_wait_per_roundtrip_insns          ticks spent waiting for locks
 *   pairs_N_ticks_per_roundtrip               elapsed ticks / (N x rounds):
 *                                             aggregate throughput, inverted
 *   pairs_N_throughput_vs_1_permille          N pairs' aggregate throughput
 *                                             over one pair's, x 1000
 *
 * Before the pairs, the same N drivers run a control: a loop of user
 * instructions only, no system call, pinned the same way. Its
 * control_N_ticks_per_round and control_N_throughput_vs_1_permille show
 * what N CPUs deliver with no kernel in the way: under -icount QEMU runs
 * the CPUs in turn on one instruction clock, so N CPUs never beat one
 * (about 1000 permille); on multi-threaded TCG without -icount
 * (tests/bench/pairs_wall.sh) it is what the host's cores give, the
 * yardstick for the pairs' figure in the same boot.
 *
 * Under single-threaded TCG (-accel tcg,thread=single) the CPUs take
 * turns, so a CPU that finds the lock held spins until the holder's CPU
 * gets its turn again: few contended acquisitions, each waiting long.
 *
 * Under -icount the figures are deterministic. Nothing here spins: the
 * threads wait for each other by sleeping (a spinning waiter under
 * -icount burns the instruction budget the thread it waits for needs).
 * The drivers set up and tear down one at a time (the spawner and the
 * harness are not thread-safe); only the timed rounds overlap.
 *
 * kabi.rounds=N sets the timed round trips (and control rounds) per pair
 * (default 2000): more for wall-clock runs, where a longer run averages
 * out the host's noise.
 */
#include "root.h"

#define PAIR_ROUNDS 2000
#define PAIR_WARMUP 200
#define PAIR_STACK_PAGES 8
#define PAIR_POLL_NS (1 * KABI_MS)
#define PAIR_MAX 8
/* Loop steps of one control round: about as many instructions as a
 * same-CPU round trip. */
#define CONTROL_STEPS 500

struct pairs;

struct pair {
	struct pairs *p;
	unsigned index;
	struct kabi_inbox in, sup;
	struct keel_child child;
	cap_handle_t pong, supc, stack, thread;
	uint8_t *stack_base;
	uint64_t t_start, t_end; /* its timed rounds, on its own CPU's clock */
	bool ok;
};

struct pairs {
	struct kabi_root *r;
	unsigned n;
	bool control;    /* run the user-only loop, not the pairs */
	uint64_t rounds; /* timed rounds per driver */
	uint32_t turn;   /* setup and teardown: the driver whose turn it is */
	uint32_t go;     /* the timed rounds may start */
	uint32_t done;   /* drivers past their timed rounds */
	uint32_t stop;   /* teardown may start */
	uint32_t ended;  /* drivers finished */
	struct pair pair[PAIR_MAX];
};

static uint32_t load(uint32_t *v)
{
	return __atomic_load_n(v, __ATOMIC_ACQUIRE);
}

static void bump(uint32_t *v)
{
	__atomic_add_fetch(v, 1, __ATOMIC_ACQ_REL);
}

/* Sleeps until *v reaches want. */
static void wait_for(uint32_t *v, uint32_t want)
{
	while (load(v) < want)
		kabi_sleep(PAIR_POLL_NS);
}

/* Pair q's inboxes and pong, on its CPU. */
static bool pair_setup(struct pair *q)
{
	struct kabi_root *r = q->p->r;
	struct keel_spawn_args a = kr_args(r, "kabi-pong");
	struct keel_msg m = { 0 };
	if (!kr_inbox(r, &q->in, 64, 0) || !kr_inbox(r, &q->sup, 8, 1) ||
	    !kr_ok(r, "derive a supervisor cap",
		   sys_cap_derive(q->sup.cap, RIGHT_SEND, 0xc0, &q->supc)))
		return false;
	a.affinity = 1ull << q->index;
	a.fault_inbox = q->supc;
	kr_give(&a, q->in.cap, RIGHT_SEND | RIGHT_GRANT, 1);
	if (!kr_spawn(r, &a, &q->child))
		return false;
	if (!kr_ok(r, "pong hello", kabi_recv(&q->in, &m, KABI_WAIT_NS)) ||
	    !(m.label == KABI_HELLO && (m.flags & MSG_FLAG_CAP)))
		return false;
	q->pong = m.cap;
	return true;
}

static void pair_teardown(struct pair *q)
{
	struct keel_msg m = kabi_msg(KABI_QUIT, 0, 0, 0);
	if (q->pong) {
		sys_msg_send(q->pong, &m, CAP_HANDLE_NONE, 0);
		kr_wait_exit(q->p->r, &q->sup, 0xc0, 0, "pong exits with code 0");
		sys_cap_delete(q->pong);
	}
	kr_release(&q->child);
	if (q->supc)
		sys_cap_delete(q->supc);
	kabi_inbox_close(&q->in);
	kabi_inbox_close(&q->sup);
}

/* n checked calls; false on the first failure. */
static bool pair_calls(struct pair *q, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		struct keel_msg m = kabi_msg(KABI_PING, i, 0, 0);
		if (sys_msg_call(q->pong, &m, KABI_WAIT_NS) || kabi_word(&m, 0) != i + 1)
			return false;
	}
	return true;
}

/* n rounds of user instructions only; the result keeps the loop real. */
static uint64_t control_loop(uint64_t n)
{
	uint64_t x = 1;
	for (uint64_t i = 0; i < n * CONTROL_STEPS; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		__asm__ volatile("" : "+r"(x));
	}
	return x;
}

/* A driver: set up in turn, warm up, wait for go, run, tear down in turn. */
static _Noreturn void pair_driver(struct pair *q)
{
	struct pairs *p = q->p;
	wait_for(&p->turn, q->index);
	q->ok = p->control || (pair_setup(q) && pair_calls(q, PAIR_WARMUP));
	bump(&p->turn);
	wait_for(&p->go, 1);
	q->t_start = kabi_rdtsc();
	if (p->control)
		q->ok = control_loop(p->rounds) != 0;
	else
		q->ok = q->ok && pair_calls(q, p->rounds);
	q->t_end = kabi_rdtsc();
	bump(&p->done);
	wait_for(&p->stop, 1);
	wait_for(&p->turn, p->n + q->index);
	if (!p->control)
		pair_teardown(q);
	bump(&p->turn);
	kabi_thread_end(&p->ended);
}

static bool driver_start(struct kabi_root *r, struct pair *q)
{
	if (!kr_ok(r, "a driver stack", sys_memory_create(PAIR_STACK_PAGES, 0, &q->stack)) ||
	    !(q->stack_base = kr_map(r, q->stack, PAIR_STACK_PAGES, RIGHT_READ | RIGHT_WRITE)))
		return false;
	uint64_t top = (uint64_t)(uintptr_t)q->stack_base + PAIR_STACK_PAGES * KEEL_PAGE_SIZE;
	return kr_ok(r, "a driver thread pinned to its CPU",
		     sys_thread_create(r->start->self_task, (uint64_t)(uintptr_t)pair_driver,
				       top - 8, (uint64_t)(uintptr_t)q, THREAD_TIER_MATTER,
				       1ull << q->index, &q->thread));
}

/* The counters and every CPU's record. */
struct pairs_stats {
	struct kernel_stats k;
	struct kernel_cpu_stats cpu[PAIR_MAX];
};

/* Prints v / div with six decimals. */
static void print_fraction(struct kabi_root *r, const char *name, unsigned n, uint64_t v,
			   uint64_t div)
{
	uint64_t micro = v % div * 1000000 / div;
	keel_print(r->witness, "bench: pairs_%u_%s=%llu.%06llu\n", n, name,
		   (unsigned long long)(v / div), (unsigned long long)micro);
}

/* Runs n pairs (or n control loops) and prints their figures. Returns the
 * elapsed ticks of the timed rounds, 0 on failure. */
static uint64_t run_pairs(struct kabi_root *r, struct pairs *p, unsigned n, bool control,
			  uint64_t rounds, uint64_t one)
{
	static struct pairs_stats a, b;
	*p = (struct pairs){ .r = r, .n = n, .control = control, .rounds = rounds };
	for (unsigned i = 0; i < n; i++) {
		p->pair[i] = (struct pair){ .p = p, .index = i };
		if (!driver_start(r, &p->pair[i]))
			return 0; /* started drivers wait for ever: the test fails */
	}
	wait_for(&p->turn, n);
	sys_kernel_stats(r->witness, &a.k, sizeof a);
	__atomic_store_n(&p->go, 1, __ATOMIC_RELEASE);
	wait_for(&p->done, n);
	sys_kernel_stats(r->witness, &b.k, sizeof b);
	/* From the first driver's start to the last one's end, as the drivers
	 * saw them: this thread's polls (1 ms sleeps, across which the clock
	 * jumps under -icount when every CPU idles) stay out of the figure. */
	uint64_t first = UINT64_MAX, last = 0;
	for (unsigned i = 0; i < n; i++) {
		first = p->pair[i].t_start < first ? p->pair[i].t_start : first;
		last = p->pair[i].t_end > last ? p->pair[i].t_end : last;
	}
	uint64_t t = last > first ? last - first : 0;
	__atomic_store_n(&p->stop, 1, __ATOMIC_RELEASE);
	wait_for(&p->ended, n);
	bool ok = true;
	for (unsigned i = 0; i < n; i++) {
		ok &= p->pair[i].ok;
		sys_cap_delete(p->pair[i].thread);
		sys_memory_unmap(CAP_HANDLE_NONE, (uint64_t)(uintptr_t)p->pair[i].stack_base,
				 PAIR_STACK_PAGES);
		sys_cap_delete(p->pair[i].stack);
	}
	if (!kr_expect_u64(r,
			   control ? "every control loop ran" : "every pair's calls were answered",
			   ok, 1) ||
	    t == 0)
		return 0;
	uint64_t trips = (uint64_t)n * rounds;
	/* Aggregate throughput against one driver's: n * t(1) / t(n). */
	uint64_t permille = one ? (uint64_t)n * one * 1000 / t : 1000;
	if (control) {
		keel_print(r->witness, "bench: control_%u_ticks_per_round=%llu\n", n,
			   (unsigned long long)(t / trips));
		keel_print(r->witness, "bench: control_%u_throughput_vs_1_permille=%llu\n", n,
			   (unsigned long long)permille);
		return t;
	}
	uint64_t cont = b.k.lock_contended - a.k.lock_contended;
	uint64_t wait = b.k.lock_wait - a.k.lock_wait;
	keel_print(r->witness, "bench: pairs_%u_contended_per_million_roundtrips=%llu\n", n,
		   (unsigned long long)(cont * 1000000 / trips));
	print_fraction(r, "global_contended_per_roundtrip", n,
		       b.k.global_contended - a.k.global_contended, trips);
	print_fraction(r, "global_per_roundtrip", n, b.k.global_acquired - a.k.global_acquired,
		       trips);
	keel_print(r->witness, "bench: pairs_%u_wait_per_roundtrip_insns=%llu\n", n,
		   (unsigned long long)(wait / trips));
	keel_print(r->witness, "bench: pairs_%u_ticks_per_roundtrip=%llu\n", n,
		   (unsigned long long)(t / trips));
	keel_print(r->witness, "bench: pairs_%u_throughput_vs_1_permille=%llu\n", n,
		   (unsigned long long)permille);
	for (unsigned i = 0; i < n; i++)
		kr_log(r, "pairs %u: cpu %u busy %llu idle %llu, lock %llu taken %llu contended", n,
		       i, (unsigned long long)(b.cpu[i].busy - a.cpu[i].busy),
		       (unsigned long long)(b.cpu[i].idle - a.cpu[i].idle),
		       (unsigned long long)(b.cpu[i].lock_acquired - a.cpu[i].lock_acquired),
		       (unsigned long long)(b.cpu[i].lock_contended - a.cpu[i].lock_contended));
	return t;
}

void test_pairs(struct kabi_root *r)
{
	static struct pairs p;
	unsigned ncpu = (unsigned)r->start->cpu_count;
	uint64_t rounds = kr_cmd_number(r, "kabi.rounds", PAIR_ROUNDS);
	for (int control = 1; control >= 0; control--) {
		uint64_t one = 0;
		for (unsigned n = 1; n <= ncpu && n <= PAIR_MAX; n *= 2) {
			uint64_t t = run_pairs(r, &p, n, control, rounds, one);
			if (!t)
				return;
			if (n == 1)
				one = t;
		}
	}
}
