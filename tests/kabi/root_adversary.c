/*
 * root_adversary.c - kabi.test=adversary: three kabi-adversary tasks, four
 * threads each, working valid capability graphs at once (run on -smp 4).
 *
 * The root gives each the same shared memory, an MMIO page and a badged
 * send capability to its hub inbox, which it drains while they run
 * (deleting every capability that arrives, grant-once or not). The first
 * adversary is stopped and continued in turns (sys_task_stop) while it
 * runs; the last is stopped and killed in the middle of its run. Afterwards every
 * adversary that was not killed must have exited with code 0, finished
 * its operations and seen no wrong answer, and the kernel's threads,
 * tasks, objects and free pages must be back at the baseline.
 *
 * kabi.ops=N on the command line sets the operations per thread (default
 * 3000); kabi.seed=N the seed.
 */
#include "root.h"

#define DEFAULT_OPS 3000
#define KILL_AFTER_NS (300 * KABI_MS)
#define SUP_BADGE 0xad0
#define STALL_NS (10000 * KABI_MS) /* without a single operation done */

struct adversaries {
	struct kabi_inbox sup, hub;
	cap_handle_t shm, mmio;
	const volatile struct kabi_adv_result *res;
	struct keel_child child[KABI_ADV_TASKS];
	bool ended[KABI_ADV_TASKS];
	uint64_t caps_received;
};

static bool spawn_one(struct kabi_root *r, struct adversaries *a, unsigned i, uint64_t arg)
{
	struct keel_spawn_args s = kr_args(r, "kabi-adversary");
	s.arg = arg;
	s.quota_slots = 64;
	s.quota_objects = 48;
	s.quota_pages = 160;
	kr_give(&s, a->shm, RIGHT_READ | RIGHT_WRITE | RIGHT_MAP | RIGHT_GRANT, 0);
	kr_give(&s, a->mmio, RIGHT_READ | RIGHT_WRITE | RIGHT_MAP, 0);
	kr_give(&s, a->hub.cap, RIGHT_SEND, i);
	if (!kr_ok(r, "derive a supervisor cap",
		   sys_cap_derive(a->sup.cap, RIGHT_SEND, SUP_BADGE + i, &s.fault_inbox)))
		return false;
	bool ok = kr_spawn(r, &s, &a->child[i]);
	sys_cap_delete(s.fault_inbox);
	return ok;
}

/* Drains the hub, deleting whatever capabilities arrived. */
static void drain_hub(struct adversaries *a)
{
	struct keel_msg m;
	while (inbox_ring_pop(a->hub.ring, &m))
		if (m.flags & MSG_FLAG_CAP) {
			sys_cap_delete(m.cap);
			a->caps_received++;
		}
}

/* One supervisor message: an adversary's end. */
static void note_end(struct kabi_root *r, struct adversaries *a, const struct keel_msg *m)
{
	unsigned i = (unsigned)(m->badge - SUP_BADGE);
	if (m->badge < SUP_BADGE || i >= KABI_ADV_TASKS || a->ended[i]) {
		kr_fail(r, "adversary supervisor inbox", "unexpected message badge %#llx",
			(unsigned long long)m->badge);
		return;
	}
	a->ended[i] = true;
	if (i == KABI_ADV_TASKS - 1)
		return; /* the killed one: any end will do */
	if (m->label == MSG_LABEL_TASK_FAULT)
		kr_fail(r, "adversary survives", "adversary %u faulted", i);
	else
		kr_expect_u64(r, "adversary exits with code 0", kabi_word(m, 0), 0);
}

static unsigned ended(const struct adversaries *a)
{
	unsigned n = 0;
	for (unsigned i = 0; i < KABI_ADV_TASKS; i++)
		n += a->ended[i];
	return n;
}

/* Runs until every adversary has ended, killing the last one on the way;
 * gives up when no operation is done for 10 s. */
static void run(struct kabi_root *r, struct adversaries *a)
{
	uint64_t start, now, progress;
	bool killed = false;
	struct keel_msg m;
	sys_clock_read(&start);
	progress = start;
	uint64_t last = 0, round = 0;
	bool stale = false;
	for (now = start; ended(a) < KABI_ADV_TASKS && now - progress < STALL_NS; round++) {
		/* The first adversary is stopped every other round (5 ms),
		 * whatever its twelve threads are doing, and let go on in
		 * the next. */
		if (!a->ended[0] && !stale) {
			/* STALE: it has just ended, and its end is on its way to
			 * the supervisor inbox (checked below). */
			status_t st = sys_task_stop(a->child[0].task, round % 2 == 0);
			stale = st == STATUS_STALE;
			if (st && !stale)
				kr_fail(r, "stop and continue an adversary", "round %llu: %s",
					(unsigned long long)round, status_name(st));
		}
		drain_hub(a);
		if (kabi_recv(&a->sup, &m, (a->ended[0] ? 100 : 5) * KABI_MS) == STATUS_OK)
			note_end(r, a, &m);
		uint64_t ops = a->res[0].ops + a->res[1].ops + a->res[2].ops;
		sys_clock_read(&now);
		if (ops != last)
			progress = now;
		last = ops;
		if (!killed && now - start > KILL_AFTER_NS) {
			kr_expect(r, "stop an adversary mid-run",
				  sys_task_stop(a->child[KABI_ADV_TASKS - 1].task, 1), STATUS_OK);
			kr_expect(r, "kill the stopped adversary",
				  sys_task_kill(a->child[KABI_ADV_TASKS - 1].task, 0), STATUS_OK);
			killed = true;
		}
	}
	drain_hub(a);
	if (stale && !a->ended[0])
		kr_fail(r, "stop and continue an adversary",
			"STALE, and the adversary did not end");
	kr_log(r, "adversary: the first stopped %llu times", (unsigned long long)(round + 1) / 2);
	if (ended(a) < KABI_ADV_TASKS)
		kr_fail(r, "every adversary ends",
			"%u of %u ended; no operation for %llu ms (a lost wake-up or a deadlock)",
			ended(a), KABI_ADV_TASKS, (unsigned long long)(STALL_NS / KABI_MS));
}

static void report(struct kabi_root *r, const struct adversaries *a, uint64_t ops)
{
	for (unsigned i = 0; i + 1 < KABI_ADV_TASKS; i++) {
		kr_expect_u64(r, "adversary finished its run", a->res[i].magic, KABI_ADV_MAGIC);
		kr_expect_u64(r, "adversary did every operation", a->res[i].ops, 3 * ops);
		if (!kr_expect_u64(r, "adversary saw no wrong answer", a->res[i].violations, 0) &&
		    a->res[i].reserved[0])
			kr_log(r, "adversary %u: its server could not start: %s", i,
			       status_name((status_t)a->res[i].reserved[0]));
	}
	kr_log(r,
	       "adversary: %llu + %llu operations, %llu (killed one) before its kill, "
	       "%llu capabilities received at the hub",
	       (unsigned long long)a->res[0].ops, (unsigned long long)a->res[1].ops,
	       (unsigned long long)a->res[2].ops, (unsigned long long)a->caps_received);
}

static bool warm_up(struct kabi_root *r, struct adversaries *a, struct kernel_stats *base)
{
	cap_handle_t supc;
	if (!kr_ok(r, "derive a supervisor cap",
		   sys_cap_derive(a->sup.cap, RIGHT_SEND, SUP_BADGE - 1, &supc)))
		return false;
	bool ok = kr_warm_up(r, &a->sup, supc, SUP_BADGE - 1, base);
	sys_cap_delete(supc);
	return ok;
}

void test_adversary(struct kabi_root *r)
{
	static struct adversaries a;
	struct kernel_stats base;
	uint64_t ops = kr_cmd_number(r, "kabi.ops", DEFAULT_OPS);
	uint64_t seed = kr_cmd_number(r, "kabi.seed", 0x2545f491);
	kr_log(r, "adversary: %u tasks, %llu operations per thread, seed %llu", KABI_ADV_TASKS,
	       (unsigned long long)ops, (unsigned long long)seed);
	if (!kr_inbox(r, &a.sup, 16, 0) || !kr_inbox(r, &a.hub, 64, 1) ||
	    !kr_ok(r, "create the shared memory", sys_memory_create(KABI_SHM_PAGES, 0, &a.shm)) ||
	    !kr_ok(r, "split an MMIO page",
		   sys_device_split(r->start->mmio, 0xb8000, 4096, &a.mmio)) ||
	    !(a.res = kr_map(r, a.shm, 1, RIGHT_READ)) || !warm_up(r, &a, &base))
		return;
	for (unsigned i = 0; i < KABI_ADV_TASKS; i++)
		if (!spawn_one(r, &a, i, ops << 32 | (uint32_t)(seed + i)))
			return;
	run(r, &a);
	report(r, &a, ops);
	for (unsigned i = 0; i < KABI_ADV_TASKS; i++)
		kr_release(&a.child[i]);
	kr_settle(r, &base, "after the adversaries, kernel counters are back at baseline", true);
}
