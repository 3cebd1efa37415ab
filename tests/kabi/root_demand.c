/*
 * root_demand.c - demand zero (kabi.test=demand): a memory object's pages
 * are promised when it is made and made, zeroed, at their first touch,
 * whoever touches them - the task, a second view, the kernel copying a
 * message or a counter block, a device asking for the address - and the
 * promise is always kept. Also: page tables made for a mapping stay within
 * the task's page quota, so that a refused mapping leaves nothing behind;
 * and a task killed, or its object unmapped under it, while it makes
 * pages at every touch gives every page back (kills_mid_touch).
 */
#include "root.h"

#define SMALL 256      /* pages of the object the single touches use */
#define BULK 2048      /* pages of each object of the fill-up */
#define BULK_MAX 48    /* objects of the fill-up, at most */
#define TABLE_TRIES 64 /* mappings refused for want of page-table quota */
#define GIB (1ull << 30)
#define KILL_ROUNDS 18 /* kills_mid_touch: a third of them unmap instead */
#define TOUCH_BADGE 0x900
#define WARM_ROUNDS 3 /* unmap_under_warm_toucher: tries, */
#define WARM_PAGES 8  /* the pages its toucher goes round */
/* How long the toucher may go on after the unmap: the promise is a tick;
 * this leaves room for a loaded host's TCG. */
#define KABI_WARM_FAULT_NS 2000000000ull

/* Free pages as the kernel reports them: free and not promised. */
static uint64_t free_now(struct kabi_root *r)
{
	struct kernel_stats s;
	return kr_stats(r, &s) ? s.free_pages + s.pool_pages : 0;
}

/* The counters once deferred frees have run: *s as it settles. */
static bool quiet_stats(struct kabi_root *r, struct kernel_stats *s)
{
	for (int i = 0; i < 50; i++) {
		kabi_sleep(10 * KABI_MS);
		if (!kr_stats(r, s))
			return false;
		if (s->reclaim_pending == 0)
			return true;
	}
	kr_fail(r, "deferred frees finish", "%llu still pending after 500 ms",
		(unsigned long long)s->reclaim_pending);
	return false;
}

/* Touches through the task, a second view and the kernel, one page each. */
static void single_touches(struct kabi_root *r, cap_handle_t mem, volatile uint8_t *p)
{
	const uint64_t page = KEEL_PAGE_SIZE;
	bool zero = true;

	for (uint64_t i = 0; i < SMALL; i += 16)
		zero &= p[i * page] == 0 && p[i * page + page - 1] == 0;
	kr_expect_u64(r, "a page never touched reads as zeros", zero, 1);

	/* The kernel reads a word of page 100 first: it is there, and 0. */
	kr_expect(r, "futex wait on a page never touched sees 0",
		  sys_futex_wait((uint64_t)(uintptr_t)(p + 100 * page), 0, 0), STATUS_TIMEOUT);
	kr_expect(r, "futex wait on it sees the 0 stay 0",
		  sys_futex_wait((uint64_t)(uintptr_t)(p + 100 * page), 1, 0), STATUS_BUSY);

	/* The kernel writes page 101 first: the counters land in it. */
	struct kernel_stats *ks = (struct kernel_stats *)(uintptr_t)(p + 101 * page);
	if (kr_ok(r, "counters into a page never touched",
		  sys_kernel_stats(r->witness, ks, sizeof *ks)))
		kr_expect_u64(r, "the counters are there", ks->tasks != 0, 1);

	/* The kernel reads a message from page 102 first: all zeros, a
	 * message of length 0 with label 0. */
	struct kabi_inbox in;
	struct keel_msg m;
	if (kr_inbox(r, &in, 4, 0)) {
		kr_expect(r, "send a message from a page never touched",
			  sys_msg_send(in.cap, (const struct keel_msg *)(uintptr_t)(p + 102 * page),
				       CAP_HANDLE_NONE, 0),
			  STATUS_OK);
		if (kr_ok(r, "receive it", kabi_recv(&in, &m, KABI_WAIT_NS)))
			kr_expect_u64(r, "it is the zero message", m.label | m.len, 0);
		kabi_inbox_close(&in);
	}

	/* A device asks for page 103 first: it gets a frame, which the task
	 * then sees, zeroed. */
	uint64_t phys = 0;
	if (kr_ok(r, "physical address of a page never touched", sys_memory_phys(mem, 103, &phys)))
		kr_expect_u64(r, "it has one, and reads as zeros", phys != 0 && p[103 * page] == 0,
			      1);

	/* A second view: a page made through one is the same page in the
	 * other, whichever touches it first. */
	volatile uint8_t *q = kr_map(r, mem, SMALL, RIGHT_READ);
	if (q) {
		p[200 * page + 7] = 0x5a;
		bool same = q[200 * page + 7] == 0x5a;
		same &= q[201 * page] == 0; /* made by the second view... */
		p[201 * page + 1] = 0xa5;   /* ...written through the first */
		same &= q[201 * page + 1] == 0xa5;
		kr_expect_u64(r, "two views of a page share its frame", same, 1);
		sys_memory_unmap(CAP_HANDLE_NONE, (uint64_t)(uintptr_t)q, SMALL);
	}

	/* Unmapping pages never made, and mapping them again. */
	uint64_t va = (uint64_t)(uintptr_t)p;
	kr_expect(r, "unmap pages never made", sys_memory_unmap(CAP_HANDLE_NONE, va, SMALL),
		  STATUS_OK);
	kr_expect(r, "map them again",
		  sys_memory_map(CAP_HANDLE_NONE, mem, va, 0, SMALL, RIGHT_READ | RIGHT_WRITE),
		  STATUS_OK);
	kr_expect(r, "a page never made counts as mapped",
		  sys_memory_map(CAP_HANDLE_NONE, mem, va + 50 * page, 50, 1, RIGHT_READ),
		  STATUS_EXISTS);
	kr_expect_u64(r, "a page made before the unmap keeps its bytes", p[200 * page + 7], 0x5a);
}

/* Promises up to the quota, mapping the objects one after another from
 * va, then touches every page of every object (of every other one when
 * half): each is there, zeroed, and keeps what was written. */
static void fill_up(struct kabi_root *r, uint64_t va, bool half)
{
	cap_handle_t mem[BULK_MAX];
	volatile uint64_t *view[BULK_MAX];
	unsigned n = 0;
	status_t st = STATUS_OK;

	while (n < BULK_MAX && (st = sys_memory_create(BULK, 0, &mem[n])) == STATUS_OK) {
		view[n] = (volatile uint64_t *)(uintptr_t)(va +
							   (uint64_t)n * BULK * KEEL_PAGE_SIZE);
		if (!kr_ok(r, "map an object of the fill-up",
			   sys_memory_map(CAP_HANDLE_NONE, mem[n], (uint64_t)(uintptr_t)view[n], 0,
					  BULK, RIGHT_READ | RIGHT_WRITE))) {
			sys_cap_delete(mem[n]);
			break;
		}
		n++;
	}
	kr_log(r, "demand: %u objects of %u pages promised; the next: %s; touching %s", n, BULK,
	       status_name(st), half ? "every other object" : "all");
	kr_expect_u64(r, "promises run out with a clear error",
		      n == BULK_MAX || st == STATUS_QUOTA || st == STATUS_NO_MEMORY, 1);
	struct kabi_inbox in;
	if (kr_inbox(r, &in, 4, 0)) {
		kr_pass(r, "the kernel still makes objects with every page promised");
		kabi_inbox_close(&in);
	}
	bool zero = true, kept = true;
	const uint64_t words = KEEL_PAGE_SIZE / 8;
	const unsigned step = half ? 2 : 1;
	for (unsigned i = 0; i < n; i += step)
		for (uint64_t pg = 0; pg < BULK; pg++) {
			zero &= view[i][pg * words + pg % words] == 0;
			view[i][pg * words + pg % words] = (uint64_t)i << 32 | pg;
		}
	for (unsigned i = 0; i < n; i += step)
		for (uint64_t pg = 0; pg < BULK; pg++)
			kept &= view[i][pg * words + pg % words] == ((uint64_t)i << 32 | pg);
	kr_expect_u64(r, "every promised page is made, zeroed, at its first touch", zero, 1);
	kr_expect_u64(r, "every promised page keeps what was written", kept, 1);
	for (unsigned i = 0; i < n; i++) {
		sys_memory_unmap(CAP_HANDLE_NONE, (uint64_t)(uintptr_t)view[i], BULK);
		sys_cap_delete(mem[i]);
	}
}

/*
 * Maps one page at a new gigabyte of an empty task each time, so each
 * mapping needs new page tables, until its page quota refuses them; then
 * keeps trying. A refused mapping makes no table: the kernel's free pages
 * do not move.
 */
static void table_quota(struct kabi_root *r, cap_handle_t mem)
{
	cap_handle_t task;
	if (!kr_ok(r, "create an empty task with 16 pages of quota",
		   sys_task_create(16, 4, 16, CAP_HANDLE_NONE, &task)))
		return;
	uint64_t va = 64 * GIB;
	status_t st = STATUS_OK;
	unsigned mapped = 0;
	for (; mapped < 64 && (st = sys_memory_map(task, mem, va, 0, 1, RIGHT_READ)) == STATUS_OK;
	     mapped++)
		va += GIB;
	kr_expect(r, "the task's page quota refuses page tables", st, STATUS_QUOTA);
	/* Counted once the earlier steps' deferred frees have run: on many
	 * CPUs one could land between the two counts (one page, seen once
	 * in 180 boots at -smp 8 on multi-threaded TCG). */
	struct kernel_stats s0, s1;
	bool settled = quiet_stats(r, &s0);
	unsigned refused = 0;
	for (unsigned i = 0; i < TABLE_TRIES; i++, va += 512 * GIB)
		refused += sys_memory_map(task, mem, va, 0, 1, RIGHT_READ) == STATUS_QUOTA;
	kr_expect_u64(r, "every later mapping is refused too", refused, TABLE_TRIES);
	if (settled && quiet_stats(r, &s1))
		kr_expect_u64(r, "refused mappings make no page tables",
			      s1.free_pages + s1.pool_pages, s0.free_pages + s0.pool_pages);
	sys_task_kill(task, 0);
	sys_cap_delete(task);
}

/* What the touching tests share: the supervisor inbox and capability the
 * toucher reports its end to, the page it counts its touches in, and the
 * kernel's counters before. */
struct touch_rig {
	struct kabi_inbox sup;
	cap_handle_t supc, count;
	volatile uint64_t *counted;
	struct kernel_stats base;
};

static bool rig_open(struct kabi_root *r, struct touch_rig *g)
{
	return kr_inbox(r, &g->sup, 8, 1) &&
	       kr_ok(r, "derive a supervisor cap",
		     sys_cap_derive(g->sup.cap, RIGHT_SEND, TOUCH_BADGE, &g->supc)) &&
	       kr_ok(r, "create the count page", sys_memory_create(1, 0, &g->count)) &&
	       (g->counted = kr_map(r, g->count, 1, RIGHT_READ | RIGHT_WRITE)) &&
	       kr_warm_up(r, &g->sup, g->supc, TOUCH_BADGE, &g->base);
}

/* Checks that every page came back (what), then frees the rig. */
static void rig_close(struct kabi_root *r, struct touch_rig *g, const char *what)
{
	kr_settle(r, &g->base, what, true);
	sys_memory_unmap(CAP_HANDLE_NONE, (uint64_t)(uintptr_t)g->counted, 1);
	sys_cap_delete(g->count);
	sys_cap_delete(g->supc);
	kabi_inbox_close(&g->sup);
}

/* Spawns kabi-toucher on obj, going round its first round pages (0: all),
 * on the CPUs of affinity (0: any); waits until it has touched at least
 * after pages. Returns whether it got there. */
static bool toucher_start(struct kabi_root *r, struct touch_rig *g, cap_handle_t obj,
			  uint64_t after, uint64_t round, uint64_t affinity, struct keel_child *c)
{
	struct keel_spawn_args a = kr_args(r, "kabi-toucher");
	a.arg = round;
	if (affinity)
		a.affinity = affinity;
	a.fault_inbox = g->supc;
	a.quota_pages = 64;        /* its page tables: 8 leaves and their parents */
	a.tier = THREAD_TIER_VOID; /* the root, woken, runs at once even on one CPU */
	kr_give(&a, obj, RIGHT_READ | RIGHT_WRITE | RIGHT_MAP, 0);
	kr_give(&a, g->count, RIGHT_READ | RIGHT_WRITE | RIGHT_MAP, 0);
	*g->counted = 0;
	if (!kr_spawn(r, &a, c))
		return false;
	for (int i = 0; i < 5000 && *g->counted < after; i++)
		kabi_sleep(KABI_MS / 4);
	return *g->counted >= after;
}

/*
 * A task whose every touch makes a page is killed, or has its object
 * unmapped under it (by the root, through its task capability), at a
 * different point of its first pass each round; on odd rounds the root
 * has already deleted its own capability to the object, so the mapping
 * holds the last reference and the object goes with the task. Making a
 * page holds the toucher's CPU lock; kill, unmap and free take every lock,
 * so none lands half way: every page, made or only promised, comes back.
 */
static void kills_mid_touch(struct kabi_root *r)
{
	static struct touch_rig g;
	unsigned mid = 0, ended = 0, faulted = 0;

	if (!rig_open(r, &g))
		return;
	for (unsigned i = 0; i < KILL_ROUNDS; i++) {
		cap_handle_t obj;
		struct keel_child c;
		struct keel_msg m;
		bool unmap = i % 3 == 2;
		if (!kr_ok(r, "create the object to touch",
			   sys_memory_create(KABI_TOUCH_PAGES, 0, &obj)))
			break;
		/* From the 32nd page to about a third of the first pass. */
		uint64_t after = 32 + (uint64_t)i * (KABI_TOUCH_PAGES / 3 / KILL_ROUNDS);
		bool started = toucher_start(r, &g, obj, after, 0, 0, &c);
		if (i % 2)
			sys_cap_delete(obj); /* the mapping holds the last reference */
		status_t st = unmap ? sys_memory_unmap(c.task, KABI_TOUCH_VA, KABI_TOUCH_PAGES)
				    : sys_task_kill(c.task, 0);
		uint64_t at = *g.counted;
		mid += started && st == STATUS_OK && at < KABI_TOUCH_PAGES;
		if (kr_wait_end(r, &g.sup, TOUCH_BADGE, &m, "the touching task ends")) {
			ended++;
			faulted += unmap && m.label == MSG_LABEL_TASK_FAULT;
		}
		if (unmap)
			sys_task_kill(c.task, 0); /* should it have outlived the unmap */
		kr_release(&c);
		if (!(i % 2))
			sys_cap_delete(obj);
	}
	kr_log(r, "demand: %u of %u stopped in their first pass of %u pages", mid, KILL_ROUNDS,
	       KABI_TOUCH_PAGES);
	/* Where each stop lands is up to the scheduler (and, on
	 * multi-threaded TCG, the host's): most, not all, must be mid-pass. */
	kr_expect_u64(r, "most touching tasks were stopped while they made pages",
		      mid >= KILL_ROUNDS / 2, 1);
	kr_expect_u64(r, "every one of them ended", ended, KILL_ROUNDS);
	kr_expect_u64(r, "the next touch after an unmap under it is a fault", faulted,
		      KILL_ROUNDS / 3);
	rig_close(r, &g, "kills and unmaps mid-touch give every page back");
}

/*
 * An unmap takes the pages from the task's threads on other CPUs too,
 * although nothing is freed (docs/kernel-abi.md, "Memory and the TLB"):
 * a toucher pinned to the last CPU goes round a few pages, their
 * translations cached on its CPU; the root unmaps them
 * through its task capability and keeps its own capability to the object.
 * The toucher's next touch must fault, within a few ticks, not whenever
 * its CPU next happens to reload its address space.
 */
static void unmap_under_warm_toucher(struct kabi_root *r)
{
	static struct touch_rig g;
	unsigned faulted = 0;
	uint64_t last = kr_last_cpu(r);

	if (r->all_cpus == last)
		return; /* one CPU: every switch to the root reloads the toucher's space */
	if (!rig_open(r, &g))
		return;
	for (unsigned i = 0; i < WARM_ROUNDS; i++) {
		cap_handle_t obj;
		struct keel_child c;
		struct keel_msg m;
		if (!kr_ok(r, "create the object to touch",
			   sys_memory_create(KABI_TOUCH_PAGES, 0, &obj)))
			break;
		bool started = toucher_start(r, &g, obj, 64 * WARM_PAGES, WARM_PAGES, last, &c);
		kr_expect_u64(r, "the toucher goes round its pages", started, 1);
		kr_expect(r, "unmap its pages from outside",
			  sys_memory_unmap(c.task, KABI_TOUCH_VA, KABI_TOUCH_PAGES), STATUS_OK);
		status_t st = kabi_recv(&g.sup, &m, KABI_WARM_FAULT_NS);
		bool fault = st == STATUS_OK && m.badge == TOUCH_BADGE &&
			     m.label == MSG_LABEL_TASK_FAULT;
		faulted += fault;
		if (!fault) {
			kr_log(r, "demand: the toucher went on after the unmap: %llu touches",
			       (unsigned long long)*g.counted);
			sys_task_kill(c.task, 0);
			kr_wait_end(r, &g.sup, TOUCH_BADGE, &m, "the toucher ends when killed");
		}
		kr_release(&c);
		sys_cap_delete(obj);
	}
	kr_expect_u64(r, "a touch after an unmap faults on the toucher's own CPU too", faulted,
		      WARM_ROUNDS);
	rig_close(r, &g, "the unmapped objects give every page back");
}

/*
 * kabi.test=reclaim: pages a deleted object held come back only once
 * every CPU has passed its next scheduling pass (core/mm/reclaim.h). A
 * creation that needs them right away waits for them instead of failing
 * (memory_wait in kernel/core/sys/syscall.c). Run on a machine small
 * enough (tests/qemu/abi.sh: -m 64M) that the kernel's memory, not the
 * root's page quota, is what runs out.
 */
void test_reclaim(struct kabi_root *r)
{
	struct kernel_stats base, mid;
	cap_handle_t mem, again;
	if (!quiet_stats(r, &base))
		return;
	/* As much as the root's page quota allows, but more than half of
	 * what is free: a second object of that size needs the first's pages. */
	uint64_t half = base.free_pages / 2 + 256;
	uint64_t n = base.free_pages > 512 ? base.free_pages - 128 : 0;
	status_t st;
	while ((st = n ? sys_memory_create(n, 0, &mem) : STATUS_NO_MEMORY) == STATUS_QUOTA &&
	       n - n / 16 > half)
		n -= n / 16;
	if (st == STATUS_QUOTA) {
		kr_fail(r, "reclaim",
			"the root's page quota binds before memory (%llu free pages): "
			"run on a smaller machine",
			(unsigned long long)base.free_pages);
		return;
	}
	if (!kr_ok(r, "promise nearly every free page", st))
		return;
	/* The deleted object's pages wait for every CPU's pass; a tick that
	 * falls between the delete and the next call may release them first,
	 * so the round is made again until one finds them still pending. */
	bool pending = false;
	for (int round = 0; round < 8 && !pending; round++) {
		if (round && !kr_ok(r, "promise them again", sys_memory_create(n, 0, &mem)))
			return;
		sys_cap_delete(mem);
		if (!kr_stats(r, &mid))
			return;
		pending = mid.reclaim_pending > 0;
		uint64_t t0 = 0, t1 = 0;
		sys_clock_read(&t0);
		st = sys_memory_create(n, 0, &again);
		sys_clock_read(&t1);
		if (!kr_ok(r, "a creation that needs them at once gets them", st))
			return;
		sys_cap_delete(again);
		kr_log(r,
		       "reclaim: %llu of %llu free pages promised and deleted; %llu frees "
		       "pending; asked again: %llu us",
		       (unsigned long long)n, (unsigned long long)base.free_pages,
		       (unsigned long long)mid.reclaim_pending,
		       (unsigned long long)((t1 - t0) / 1000));
		kr_expect_u64(r, "within a second", t1 - t0 < 1000000000ull, 1);
		if (!quiet_stats(r, &mid))
			return;
	}
	kr_expect_u64(r, "one round found the deleted pages still pending", pending, 1);
	kr_settle(r, &base, "every page is back", true);
}

void test_demand(struct kabi_root *r)
{
	struct kernel_stats base;
	cap_handle_t mem;
	volatile uint8_t *p;

	if (!quiet_stats(r, &base))
		return;
	uint64_t before = base.free_pages + base.pool_pages;
	if (!kr_ok(r, "create an object", sys_memory_create(SMALL, 0, &mem)))
		return;
	uint64_t promised = before - free_now(r);
	kr_expect_u64(r, "creating it promises its pages (and a page of frame list)",
		      promised >= SMALL && promised <= SMALL + 2, 1);
	if ((p = kr_map(r, mem, SMALL, RIGHT_READ | RIGHT_WRITE))) {
		single_touches(r, mem, p);
		table_quota(r, mem);
		sys_memory_unmap(CAP_HANDLE_NONE, (uint64_t)(uintptr_t)p, SMALL);
	}
	sys_cap_delete(mem);
	/* The first fill-up makes the root's page tables for its region,
	 * which stay; the second, in the same region, must give back every
	 * page, made or only promised. */
	uint64_t va = kr_va(r, (uint64_t)BULK_MAX * BULK);
	struct kernel_stats pre;
	if (!quiet_stats(r, &pre))
		return;
	fill_up(r, va, false);
	kr_settle(r, &pre, "the objects of the first fill-up are gone", false);
	if (!quiet_stats(r, &base))
		return;
	fill_up(r, va, true);
	kr_settle(r, &base, "every page, made or only promised, is back", true);
	kills_mid_touch(r);
	unmap_under_warm_toucher(r);
}
