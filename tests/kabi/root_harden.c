/*
 * root_harden.c - the hardening regressions (kabi.test=harden): what an
 * unprivileged task could once do to the kernel, tried again.
 *
 * Device copies: a user pointer into a mapped MMIO range, given to any
 * call that copies from or to user memory, is BAD_ADDRESS - never a kernel
 * page fault. Tried on a range outside the direct map (high MMIO) and one
 * inside it (VGA text memory, reserved low memory).
 *
 * A full CSpace: every call that makes a capability fails with FULL once
 * the caller has no free slot, and leaves no object, thread or page behind.
 *
 * A dead owner: the capability to the inbox of a killed task stays DEAD
 * while new tasks are made (whose records may reuse the old ones); a send
 * never succeeds on it and a call never waits on it.
 */
#include "root.h"

#define HIGH_MMIO 0xa0000000u /* past the guest's RAM: not in the direct map */
#define VGA_TEXT 0xb8000u     /* reserved low memory: in the direct map, uncached */

/* Every copying call with its user pointer at va (a mapped device page). */
static void device_copies(struct kabi_root *r, uint64_t va, const char *where)
{
	struct kabi_inbox ib;
	char what[96];
	if (!kr_inbox(r, &ib, 4, 5))
		return;
	struct keel_msg *m = (struct keel_msg *)va;
	fmt_snprintf(what, sizeof what, "msg_send from %s", where);
	kr_expect(r, what, sys_msg_send(ib.cap, m, CAP_HANDLE_NONE, CAP_COPY), STATUS_BAD_ADDRESS);
	fmt_snprintf(what, sizeof what, "msg_call into %s", where);
	kr_expect(r, what, sys_msg_call(ib.cap, m, 0), STATUS_BAD_ADDRESS);
	fmt_snprintf(what, sizeof what, "debug_write from %s", where);
	kr_expect(r, what, sys_debug_write(r->witness, (const char *)va, 16), STATUS_BAD_ADDRESS);
	fmt_snprintf(what, sizeof what, "witness_read into %s", where);
	kr_expect(r, what,
		  sys_witness_read(r->witness, 0, (void *)va, sizeof(struct witness_record), NULL,
				   NULL),
		  STATUS_BAD_ADDRESS);
	fmt_snprintf(what, sizeof what, "kernel_stats into %s", where);
	kr_expect(r, what,
		  sys_kernel_stats(r->witness, (struct kernel_stats *)va,
				   sizeof(struct kernel_stats)),
		  STATUS_BAD_ADDRESS);
	fmt_snprintf(what, sizeof what, "futex_wait on %s", where);
	kr_expect(r, what, sys_futex_wait(va, 0, 0), STATUS_BAD_ADDRESS);
	kabi_inbox_close(&ib);
}

/* Splits, maps and attacks one MMIO page at phys. */
static void device_range(struct kabi_root *r, uint64_t phys, const char *where)
{
	cap_handle_t part;
	if (!kr_ok(r, "split an MMIO page", sys_device_split(r->start->mmio, phys, 4096, &part)))
		return;
	uint64_t va = kr_va(r, 1);
	if (kr_ok(r, "map the MMIO page",
		  sys_memory_map(CAP_HANDLE_NONE, part, va, 0, 1, RIGHT_READ | RIGHT_WRITE))) {
		device_copies(r, va, where);
		sys_memory_unmap(CAP_HANDLE_NONE, va, 1);
	}
	sys_cap_delete(part);
}

/* Derives copies of the witness capability until the CSpace is full. */
static uint32_t fill_cspace(struct kabi_root *r, cap_handle_t *held, uint32_t max)
{
	uint32_t n = 0;
	status_t st = STATUS_OK;
	while (n < max) {
		st = sys_cap_derive(r->witness, RIGHT_READ, 0, &held[n]);
		if (st != STATUS_OK)
			break;
		n++;
	}
	kr_expect(r, "deriving into a full CSpace is FULL", st, STATUS_FULL);
	return n;
}

/* Each capability-making call on a full CSpace: FULL, nothing left behind. */
static void full_calls(struct kabi_root *r)
{
	cap_handle_t h, h2;
	kr_expect(r, "memory_create, CSpace full", sys_memory_create(1, 0, &h), STATUS_FULL);
	kr_expect(r, "inbox_create, CSpace full", sys_inbox_create(4, 6, &h, &h2), STATUS_FULL);
	kr_expect(r, "thread_create, CSpace full",
		  sys_thread_create(r->start->self_task, 0x1000, 0x2000, 0, THREAD_TIER_MATTER, 1,
				    &h),
		  STATUS_FULL);
	/* A child's slots come out of the caller's slot quota, which a full
	 * CSpace has used up: QUOTA is found first. */
	kr_expect(r, "task_create, CSpace full", sys_task_create(64, 64, 64, CAP_HANDLE_NONE, &h),
		  STATUS_QUOTA);
	kr_expect(r, "device_split, CSpace full",
		  sys_device_split(r->start->mmio, VGA_TEXT, 4096, &h), STATUS_FULL);
}

/* Counters once deferred frees of earlier checks have finished. */
static bool quiet_stats(struct kabi_root *r, struct kernel_stats *s)
{
	struct kernel_stats prev = { 0 };
	for (int i = 0; i < 50; i++) {
		if (!kr_stats(r, s))
			return false;
		if (s->reclaim_pending == 0 && s->objects == prev.objects &&
		    s->free_pages + s->pool_pages == prev.free_pages + prev.pool_pages)
			return true;
		prev = *s;
		kabi_sleep(10 * KABI_MS);
	}
	return true;
}

static void full_cspace(struct kabi_root *r)
{
	static cap_handle_t held[8192];
	struct kernel_stats base;
	if (!quiet_stats(r, &base))
		return;
	uint32_t n = fill_cspace(r, held, 8192);
	full_calls(r);
	for (uint32_t i = 0; i < n; i++)
		sys_cap_delete(held[i]);
	kr_settle(r, &base, "a full CSpace left nothing behind", true);
	cap_handle_t h;
	if (kr_expect(r, "a slot is free again", sys_memory_create(1, 0, &h), STATUS_OK))
		sys_cap_delete(h);
}

/* Spawns kabi-pong with its fault messages to sup (badge) and returns the
 * capability its hello carries, or CAP_HANDLE_NONE. */
static cap_handle_t pong_up(struct kabi_root *r, struct kabi_inbox *in, struct kabi_inbox *sup,
			    uint64_t badge, struct keel_child *c, cap_handle_t *supc)
{
	struct keel_spawn_args a = kr_args(r, "kabi-pong");
	struct keel_msg m = { 0 };
	if (!kr_ok(r, "derive a fault capability",
		   sys_cap_derive(sup->cap, RIGHT_SEND, badge, supc)))
		return CAP_HANDLE_NONE;
	a.fault_inbox = *supc;
	kr_give(&a, in->cap, RIGHT_SEND | RIGHT_GRANT, badge);
	if (!kr_spawn(r, &a, c))
		return CAP_HANDLE_NONE;
	status_t st = kabi_recv(in, &m, KABI_WAIT_NS);
	if (st || m.label != KABI_HELLO || !(m.flags & MSG_FLAG_CAP)) {
		kr_fail(r, "pong hello", "%s, label %#x", status_name(st), m.label);
		return CAP_HANDLE_NONE;
	}
	return m.cap;
}

#define DEAD_ROUNDS 8

static void dead_owner(struct kabi_root *r)
{
	struct kabi_inbox in, sup;
	struct keel_child old = { 0 };
	struct keel_msg m = { 0 };
	cap_handle_t oldsup = CAP_HANDLE_NONE, stale;
	bool ok = true;
	if (!kr_inbox(r, &in, 16, 0) || !kr_inbox(r, &sup, 16, 1))
		return;
	stale = pong_up(r, &in, &sup, 0x100, &old, &oldsup);
	if (stale && kr_ok(r, "kill the pong", sys_task_kill(old.task, 0)))
		kr_wait_end(r, &sup, 0x100, &m, "the killed pong ends");
	kr_release(&old);
	for (uint32_t i = 0; stale && ok && i < DEAD_ROUNDS; i++) {
		struct keel_child c = { 0 };
		cap_handle_t supc = CAP_HANDLE_NONE,
			     live = pong_up(r, &in, &sup, 0x200 + i, &c, &supc);
		struct keel_msg q = kabi_msg(KABI_PING, 1, 0, 0);
		ok = live && sys_msg_send(stale, &q, CAP_HANDLE_NONE, 0) == STATUS_DEAD &&
		     sys_msg_call(stale, &q, 100000000ull) == STATUS_DEAD;
		if (live) {
			struct keel_msg quit = kabi_msg(KABI_QUIT, 0, 0, 0);
			sys_msg_send(live, &quit, CAP_HANDLE_NONE, 0);
			kr_wait_end(r, &sup, 0x200 + i, &m, "a new pong ends");
			sys_cap_delete(live);
		}
		kr_release(&c);
		sys_cap_delete(supc);
	}
	if (stale && ok)
		kr_pass(r, "a killed task's inbox stays DEAD through %u new tasks", DEAD_ROUNDS);
	else if (stale)
		kr_fail(r, "a killed task's inbox", "a send or call did not answer DEAD");
	sys_cap_delete(stale);
	sys_cap_delete(oldsup);
	kabi_inbox_close(&in);
	kabi_inbox_close(&sup);
}

void test_harden(struct kabi_root *r)
{
	dead_owner(r);
	device_range(r, HIGH_MMIO, "high MMIO");
	device_range(r, VGA_TEXT, "VGA text memory");
	full_cspace(r);
}
