/*
 * root_tasks.c - task life-cycle tests: fault (supervisor fault messages),
 * shm (shared memory and a read-only view), cycles (spawn/exit without
 * residue) and fuzz (random system calls from an unprivileged task).
 *
 * Tests that compare kernel counters take their baseline after one
 * warm-up spawn: the first spawn maps the bundle into the root and makes
 * page tables for the spawner's scratch window, which stay.
 */
#include "root.h"

#define CYCLES 10000
#define FUZZ_WAIT_ROUNDS 120 /* of KABI_WAIT_NS: ten minutes at most */

bool kr_warm_up(struct kabi_root *r, struct kabi_inbox *sup, cap_handle_t supc, uint64_t badge,
		struct kernel_stats *base)
{
	struct keel_spawn_args a = kr_args(r, "kabi-exit");
	struct kernel_stats pre;
	struct keel_child c;
	bool ok;

	a.fault_inbox = supc;
	if (!kr_stats(r, &pre) || !kr_spawn(r, &a, &c))
		return false;
	ok = kr_wait_exit(r, sup, badge, 0, "warm-up child exits with code 0");
	kr_release(&c);
	for (int i = 0; ok && i < 50; i++) {
		if (!kr_stats(r, base))
			return false;
		if (base->tasks == pre.tasks && base->threads == pre.threads &&
		    base->reclaim_pending == 0)
			return true;
		kabi_sleep(10 * KABI_MS);
	}
	if (ok)
		kr_fail(r, "warm-up child is freed",
			"tasks %llu (was %llu), threads %llu (was %llu)",
			(unsigned long long)base->tasks, (unsigned long long)pre.tasks,
			(unsigned long long)base->threads, (unsigned long long)pre.threads);
	return false;
}

/* A faulted task is stopped; killing it is allowed (OK) or already done (STALE). */
static void reap(struct kabi_root *r, struct keel_child *c, const char *who)
{
	status_t st = sys_task_kill(c->task, 0);

	if (st != STATUS_OK && st != STATUS_STALE)
		kr_fail(r, who, "sys_task_kill of the faulted task: %s", status_name(st));
	kr_release(c);
}

static const struct {
	const char *kind; /* kabi-crash's cmdline */
	uint32_t vector;
} crashes[] = {
	{ "null", 14 }, /* write to address 0: page fault */
	{ "ud2", 6 },   /* invalid opcode */
	{ "div0", 0 },  /* divide error */
	{ "hlt", 13 },  /* privileged instruction: general protection */
};

/* Checks one fault message against the expected crash. */
static void check_fault(struct kabi_root *r, const struct keel_msg *m, size_t i)
{
	struct task_fault_msg f;
	char what[96];

	memcpy(&f, m->payload, sizeof(f));
	fmt_snprintf(what, sizeof(what), "crash %s: MSG_LABEL_TASK_FAULT", crashes[i].kind);
	if (!kr_expect_u64(r, what, m->label, MSG_LABEL_TASK_FAULT))
		return;
	fmt_snprintf(what, sizeof(what), "crash %s: vector %u", crashes[i].kind, crashes[i].vector);
	kr_expect_u64(r, what, f.vector, crashes[i].vector);
	fmt_snprintf(what, sizeof(what), "crash %s: rip in the program's text", crashes[i].kind);
	kr_expect_u64(r, what, f.pc >= 0x400000 && f.pc < 0x500000, 1);
	if (crashes[i].vector == 14) {
		kr_expect_u64(r, "crash null: fault address 0", f.addr, 0);
		kr_expect_u64(r, "crash null: error code says user write", f.error & 6, 6);
	}
	kr_log(r, "fault %s: vector %u error %#x rip %#llx addr %#llx task %llu", crashes[i].kind,
	       f.vector, f.error, (unsigned long long)f.pc, (unsigned long long)f.addr,
	       (unsigned long long)f.task_id);
}

void test_fault(struct kabi_root *r)
{
	struct kabi_inbox sup;
	struct kernel_stats base;
	cap_handle_t warm = 0;

	if (!kr_inbox(r, &sup, 16, 0))
		return;
	if (!kr_ok(r, "derive a supervisor cap",
		   sys_cap_derive(sup.cap, RIGHT_SEND, 0x600, &warm)) ||
	    !kr_warm_up(r, &sup, warm, 0x600, &base))
		return;
	for (size_t i = 0; i < sizeof(crashes) / sizeof(crashes[0]); i++) {
		struct keel_spawn_args a = kr_args(r, "kabi-crash");
		struct keel_child c;
		struct keel_msg m;
		uint64_t badge = 0x610 + i;

		a.cmdline = crashes[i].kind;
		if (!kr_ok(r, "derive a badged supervisor cap",
			   sys_cap_derive(sup.cap, RIGHT_SEND, badge, &a.fault_inbox)))
			break;
		if (kr_spawn(r, &a, &c)) {
			if (kr_wait_end(r, &sup, badge, &m, crashes[i].kind))
				check_fault(r, &m, i);
			reap(r, &c, crashes[i].kind);
		}
		sys_cap_delete(a.fault_inbox);
	}
	kr_settle(r, &base, "after the crashes, kernel counters are back at baseline", true);
	sys_cap_delete(warm);
	kabi_inbox_close(&sup);
}

/* Checks the words the shm child wrote, through the root's own mapping. */
static void shm_check_pattern(struct kabi_root *r, const volatile uint32_t *p)
{
	uint32_t n = KABI_SHM_PAGES * KEEL_PAGE_SIZE / 4;

	for (uint32_t i = 0; i < n; i++) {
		if (p[i] != kabi_shm_word(i)) {
			kr_fail(r, "root sees the child's pattern", "word %u is %#x, wanted %#x", i,
				p[i], kabi_shm_word(i));
			return;
		}
	}
	kr_pass(r, "root sees the child's pattern in all %u words", n);
}

void test_shm(struct kabi_root *r)
{
	struct kabi_inbox in, sup;
	struct keel_spawn_args a;
	struct keel_child c;
	struct keel_msg m = { 0 };
	cap_handle_t mem = 0;
	uint32_t *p;

	if (!kr_inbox(r, &in, 8, 0) || !kr_inbox(r, &sup, 8, 1) ||
	    !kr_ok(r, "create shared memory", sys_memory_create(KABI_SHM_PAGES, 0, &mem)) ||
	    !(p = kr_map(r, mem, KABI_SHM_PAGES, RIGHT_READ | RIGHT_WRITE)))
		return;
	a = kr_args(r, "kabi-shm");
	if (!kr_ok(r, "derive a supervisor cap",
		   sys_cap_derive(sup.cap, RIGHT_SEND, 0x700, &a.fault_inbox)))
		return;
	kr_give(&a, mem, RIGHT_READ | RIGHT_WRITE | RIGHT_MAP, 0);
	kr_give(&a, mem, RIGHT_READ | RIGHT_MAP, 0);
	kr_give(&a, in.cap, RIGHT_SEND, 0x70);
	if (!kr_spawn(r, &a, &c))
		return;
	if (kr_ok(r, "shm child reports", kabi_recv(&in, &m, KABI_WAIT_NS)) &&
	    kr_expect_u64(r, "shm report label and badge",
			  m.label == KABI_REPORT && m.badge == 0x70, 1)) {
		uint64_t s = kabi_word(&m, 0);
		kr_expect(r, "child maps its read-write cap", (status_t)(s & 0xff), STATUS_OK);
		kr_expect(r, "child cannot map the read-only cap writable",
			  (status_t)(s >> 8 & 0xff), STATUS_NO_RIGHTS);
		kr_expect(r, "child maps the read-only cap read-only", (status_t)(s >> 16 & 0xff),
			  STATUS_OK);
		kr_expect_u64(r, "child reads its pattern through the read-only view",
			      kabi_word(&m, 1), 1);
		shm_check_pattern(r, p);
	}
	if (kr_wait_end(r, &sup, 0x700, &m, "shm child's write to the read-only view")) {
		struct task_fault_msg f;
		memcpy(&f, m.payload, sizeof(f));
		kr_expect_u64(r, "writing the read-only view faults", m.label,
			      MSG_LABEL_TASK_FAULT);
		kr_expect_u64(r, "page fault", f.vector, 14);
		kr_expect_u64(r, "at the read-only view", f.addr, KABI_SHM_RO_VA);
		kr_expect_u64(r, "a write to a present page", f.error & 3, 3);
	}
	reap(r, &c, "shm child");
	sys_cap_delete(a.fault_inbox);
	sys_memory_unmap(CAP_HANDLE_NONE, (uint64_t)(uintptr_t)p, KABI_SHM_PAGES);
	sys_cap_delete(mem);
	kabi_inbox_close(&in);
	kabi_inbox_close(&sup);
}

/* One spawn/exit cycle: the child exits with code i. Returns a failure text or NULL. */
static const char *cycle(struct kabi_root *r, struct kabi_inbox *sup, struct keel_spawn_args *a,
			 uint64_t i, status_t *st, struct keel_msg *m)
{
	struct keel_child c;
	struct task_exit_msg e;

	a->arg = i;
	if ((*st = keel_spawn(&r->spawner, a, &c)))
		return "spawn";
	*st = kabi_recv(sup, m, KABI_WAIT_NS);
	kr_release(&c);
	if (*st)
		return "no exit message";
	memcpy(&e, m->payload, sizeof(e));
	if (m->label != MSG_LABEL_TASK_EXIT || m->badge != 0x800 || e.code != i)
		return "wrong supervisor message";
	return NULL;
}

void test_cycles(struct kabi_root *r)
{
	struct kabi_inbox sup;
	struct kernel_stats base;
	struct keel_spawn_args a;
	unsigned bad = 0;

	if (!kr_inbox(r, &sup, 16, 0))
		return;
	a = kr_args(r, "kabi-exit");
	a.quota_slots = 8;
	a.quota_objects = 8;
	a.quota_pages = 32;
	if (!kr_ok(r, "derive a supervisor cap",
		   sys_cap_derive(sup.cap, RIGHT_SEND, 0x800, &a.fault_inbox)) ||
	    !kr_warm_up(r, &sup, a.fault_inbox, 0x800, &base))
		return;
	for (uint64_t i = 1; i <= CYCLES; i++) {
		struct keel_msg m = { 0 };
		status_t st = STATUS_OK;
		const char *why = cycle(r, &sup, &a, i, &st, &m);
		if (why && ++bad <= 5)
			kr_fail(r, "spawn/exit cycle",
				"cycle %llu: %s: %s, label %#x badge %#llx code %llu",
				(unsigned long long)i, why, status_name(st), m.label,
				(unsigned long long)m.badge, (unsigned long long)kabi_word(&m, 0));
		if (why && (st == STATUS_TIMEOUT || bad == 50)) {
			kr_log(r, "cycles: stopped at cycle %llu after %u failures",
			       (unsigned long long)i, bad);
			break;
		}
		if (i % 2000 == 0)
			kr_log(r, "cycles: %llu done", (unsigned long long)i);
	}
	if (bad == 0)
		kr_pass(r, "%d spawn/exit cycles, each exit code checked", CYCLES);
	else
		kr_fail(r, "spawn/exit cycles", "%u failed", bad);
	kr_settle(r, &base, "after the cycles, kernel counters are back at baseline", true);
	sys_cap_delete(a.fault_inbox);
	kabi_inbox_close(&sup);
}

/* Prints the fuzz child's counts and checks that it finished its run. */
static void fuzz_report(struct kabi_root *r, const volatile struct kabi_fuzz_result *res)
{
	kr_expect_u64(r, "fuzz child finished its run", res->magic, KABI_FUZZ_MAGIC);
	kr_expect_u64(r, "fuzz child issued every call", res->calls, KABI_FUZZ_CALLS);
	kr_log(r, "fuzz: %llu calls, %llu draws skipped, %llu child tasks made",
	       (unsigned long long)res->calls, (unsigned long long)res->skipped,
	       (unsigned long long)res->tasks_created);
	for (int s = 0; s <= STATUS_COUNT; s++)
		if (res->by_status[s])
			kr_log(r, "fuzz: status %s: %llu",
			       s < STATUS_COUNT ? status_name((status_t)s) : "other",
			       (unsigned long long)res->by_status[s]);
}

/* Waits for the fuzz child's end, printing its progress meanwhile. */
static bool fuzz_wait(struct kabi_root *r, struct kabi_inbox *sup,
		      const volatile struct kabi_fuzz_result *res, struct keel_msg *m)
{
	for (int i = 0; i < FUZZ_WAIT_ROUNDS; i++) {
		status_t st = kabi_recv(sup, m, KABI_WAIT_NS);
		if (st == STATUS_OK && m->badge == 0x900)
			return true;
		if (st == STATUS_OK) {
			kr_fail(r, "fuzz supervisor inbox",
				"unexpected message: label %#x badge %#llx", m->label,
				(unsigned long long)m->badge);
			continue;
		}
		if (st != STATUS_TIMEOUT)
			break;
		kr_log(r, "fuzz: %llu calls so far", (unsigned long long)res->calls);
	}
	kr_fail(r, "fuzz child ends", "no exit or fault message");
	return false;
}

void test_fuzz(struct kabi_root *r)
{
	struct kabi_inbox sup;
	struct kernel_stats base;
	struct keel_spawn_args a;
	struct keel_child c;
	struct keel_msg m;
	cap_handle_t mem = 0;
	const volatile struct kabi_fuzz_result *res;

	if (!kr_inbox(r, &sup, 64, 0) ||
	    !kr_ok(r, "create the fuzz child's memory", sys_memory_create(2, 0, &mem)) ||
	    !(res = kr_map(r, mem, 1, RIGHT_READ)))
		return;
	a = kr_args(r, "kabi-fuzz");
	a.arg = kr_cmd_number(r, "kabi.seed", 0x9e3779b97f4a7c15ull);
	kr_log(r, "fuzz: seed %llu (replay with kabi.seed=%llu)", (unsigned long long)a.arg,
	       (unsigned long long)a.arg);
	a.quota_slots = 64;
	a.quota_objects = 64;
	a.quota_pages = 256;
	kr_give(&a, mem, RIGHT_READ | RIGHT_WRITE | RIGHT_MAP | RIGHT_GRANT, 0);
	if (!kr_ok(r, "derive a supervisor cap",
		   sys_cap_derive(sup.cap, RIGHT_SEND, 0x900, &a.fault_inbox)) ||
	    !kr_warm_up(r, &sup, a.fault_inbox, 0x900, &base))
		return;
	if (!kr_spawn(r, &a, &c))
		return;
	if (fuzz_wait(r, &sup, res, &m)) {
		struct task_fault_msg f;
		memcpy(&f, m.payload, sizeof(f));
		if (m.label == MSG_LABEL_TASK_FAULT)
			kr_fail(r, "fuzz child survives",
				"it faulted: vector %u error %#x rip %#llx addr %#llx after %llu "
				"calls",
				f.vector, f.error, (unsigned long long)f.pc,
				(unsigned long long)f.addr, (unsigned long long)res->calls);
		else
			kr_expect_u64(r, "fuzz child survives and exits with code 0",
				      kabi_word(&m, 0), 0);
		fuzz_report(r, res);
	}
	reap(r, &c, "fuzz child");
	kr_settle(r, &base, "after the fuzz run, kernel counters are back at baseline", true);
	sys_cap_delete(a.fault_inbox);
	kabi_inbox_close(&sup);
}

/* Whether every count of p in mask moves within a second. */
static bool counts_move(struct kabi_root *r, volatile struct kabi_stop_page *p, unsigned mask)
{
	uint64_t before[3];
	for (unsigned i = 0; i < 3; i++)
		before[i] = p->count[i];
	for (int k = 0; k < 1000; k++) {
		bool all = true;
		for (unsigned i = 0; i < 3; i++)
			if ((mask >> i & 1) && p->count[i] == before[i])
				all = false;
		if (all)
			return true;
		kabi_sleep(KABI_MS);
	}
	kr_log(r, "counts %llu %llu %llu, were %llu %llu %llu", (unsigned long long)p->count[0],
	       (unsigned long long)p->count[1], (unsigned long long)p->count[2],
	       (unsigned long long)before[0], (unsigned long long)before[1],
	       (unsigned long long)before[2]);
	return false;
}

/* Whether the counts of p in mask, and done, stand still over 20 ms, once
 * a stop has had 5 ms to reach every thread (a kick or a tick). */
static bool counts_still(volatile struct kabi_stop_page *p, unsigned mask)
{
	uint64_t before[4];
	kabi_sleep(5 * KABI_MS);
	for (unsigned i = 0; i < 3; i++)
		before[i] = p->count[i];
	before[3] = p->done;
	kabi_sleep(20 * KABI_MS);
	for (unsigned i = 0; i < 3; i++)
		if ((mask >> i & 1) && p->count[i] != before[i])
			return false;
	return p->done == before[3];
}

static bool task_stopped(cap_handle_t task)
{
	struct task_info info;
	return sys_task_info(task, &info, sizeof info) == STATUS_OK &&
	       (info.flags & TASK_INFO_STOPPED);
}

/* Waits up to a second for p->done to reach n. */
static bool done_reaches(volatile struct kabi_stop_page *p, uint64_t n)
{
	for (int k = 0; k < 1000 && p->done < n; k++)
		kabi_sleep(KABI_MS);
	return p->done == n;
}

/* sys_task_stop: a task with two threads counting is stopped, made a
 * thread, continued; its wait ends while it is stopped; it stops itself;
 * the refusals; a stopped task is killed. The child's threads are Void,
 * so the root's checks run whenever they want. */
void test_stop(struct kabi_root *r)
{
	struct kabi_inbox sup;
	struct keel_spawn_args a;
	struct keel_child c;
	struct keel_msg m;
	cap_handle_t mem = 0, weak = 0, th = 0;
	volatile struct kabi_stop_page *p;

	if (!kr_inbox(r, &sup, 8, 1) ||
	    !kr_ok(r, "create the shared page", sys_memory_create(1, 0, &mem)) ||
	    !(p = kr_map(r, mem, 1, RIGHT_READ | RIGHT_WRITE)))
		return;
	a = kr_args(r, "kabi-stop");
	a.tier = THREAD_TIER_VOID;
	if (!kr_ok(r, "derive a supervisor cap",
		   sys_cap_derive(sup.cap, RIGHT_SEND, 0x900, &a.fault_inbox)))
		return;
	kr_give(&a, mem, RIGHT_READ | RIGHT_WRITE | RIGHT_MAP, 0);
	if (!kr_spawn(r, &a, &c))
		return;

	kr_expect_u64(r, "the child's two threads count", counts_move(r, p, 3), 1);
	kr_expect_u64(r, "a running task is not stopped", task_stopped(c.task), 0);
	kr_ok(r, "stop it", sys_task_stop(c.task, 1));
	kr_expect_u64(r, "stopped: neither thread counts", counts_still(p, 3), 1);
	kr_expect_u64(r, "task_info says TASK_INFO_STOPPED", task_stopped(c.task), 1);
	kr_ok(r, "stopping a stopped task", sys_task_stop(c.task, 1));
	kr_ok(r, "make a thread in the stopped task",
	      sys_thread_create(c.task, p->count_entry, p->stack_top[1], 2, THREAD_TIER_VOID,
				r->all_cpus, &th));
	kr_expect_u64(r, "it waits before its first instruction",
		      counts_still(p, 7) && p->count[2] == 0, 1);
	kr_ok(r, "continue it", sys_task_stop(c.task, 0));
	kr_expect_u64(r, "continued: its three threads count", counts_move(r, p, 7), 1);
	kr_expect_u64(r, "task_info no longer says stopped", task_stopped(c.task), 0);
	kr_ok(r, "continuing a running task", sys_task_stop(c.task, 0));

	/* A wait that ends while the task is stopped: the call returns in
	 * the kernel, and the thread stops before its next instruction. */
	p->command = KABI_STOP_WAIT;
	for (int k = 0; k < 1000 && p->command; k++)
		kabi_sleep(KABI_MS);
	kr_expect_u64(r, "the main thread waits for its signal", p->command == 0 && p->done == 0,
		      1);
	kabi_sleep(5 * KABI_MS); /* into its wait */
	kr_ok(r, "stop it while it waits", sys_task_stop(c.task, 1));
	kr_ok(r, "raise the signal it waits for", sys_signal_raise(c.thread, 1));
	kr_expect_u64(r, "its wait ends, and it stays stopped", counts_still(p, 7), 1);
	kr_ok(r, "continue it", sys_task_stop(c.task, 0));
	kr_expect_u64(r, "continued, it goes on after its wait", done_reaches(p, 1), 1);

	/* A task that stops itself: the call returns once it is continued. */
	p->command = KABI_STOP_SELF;
	for (int k = 0; k < 1000 && !task_stopped(c.task); k++)
		kabi_sleep(KABI_MS);
	kr_expect_u64(r, "the child stops its own task", task_stopped(c.task), 1);
	kr_expect_u64(r, "stopped by itself: nothing counts", counts_still(p, 7), 1);
	kr_ok(r, "continue it", sys_task_stop(c.task, 0));
	kr_expect_u64(r, "its own stop returns once continued", done_reaches(p, 2), 1);

	kr_expect(r, "stop 2 is refused", sys_task_stop(c.task, 2), STATUS_INVALID);
	if (kr_ok(r, "derive a read-only task cap", sys_cap_derive(c.task, RIGHT_READ, 0, &weak)))
		kr_expect(r, "stopping needs the control right", sys_task_stop(weak, 1),
			  STATUS_NO_RIGHTS);
	kr_expect(r, "stopping a memory object is refused", sys_task_stop(mem, 1), STATUS_BAD_CAP);
	kr_expect_u64(r, "the refusals stopped nothing", counts_move(r, p, 7), 1);

	kr_ok(r, "stop it once more", sys_task_stop(c.task, 1));
	kr_expect_u64(r, "stopped again", counts_still(p, 7), 1);
	kr_ok(r, "kill the stopped task", sys_task_kill(c.task, 0));
	kr_wait_end(r, &sup, 0x900, &m, "a stopped task that is killed ends");
	kr_expect(r, "an ended task cannot be stopped", sys_task_stop(c.task, 1), STATUS_STALE);
	if (weak)
		sys_cap_delete(weak);
	if (th)
		sys_cap_delete(th);
	kr_release(&c);
	sys_cap_delete(a.fault_inbox);
	sys_memory_unmap(CAP_HANDLE_NONE, (uint64_t)(uintptr_t)p, 1);
	sys_cap_delete(mem);
	kabi_inbox_close(&sup);
}
