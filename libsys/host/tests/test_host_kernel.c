/*
 * Tests of the host port itself (kernel/arch/host, libsys/host): what a
 * service's host test relies on - shared memory that really aliases,
 * address clashes reported, libsys's mappings placed apart, bad user
 * pointers as errors, timeouts and timers on virtual time, interrupts
 * raised by the test, devices the host cannot emulate refused, and
 * scheduling decided by the kernel.
 */
#include <string.h>

#include "check.h"
#include "host_kernel.h"
#include "keel/map.h"

#define MS 1000000ull
#define INBOX_VA 0x0000210000000000ull
#define VA_ROOT 0x0000220000000000ull  /* where the root maps test memory */
#define VA_CHILD 0x0000230000000000ull /* where a child maps it */
#define SLOTS 16

static const struct keel_start *root;
static cap_handle_t inbox, inbox_send;
static struct inbox_ring *ring;

/* Waits for the next message on the root's inbox. */
static status_t next_msg(struct keel_msg *m)
{
	return host_ring_next(ring, 1, 1000 * MS, m);
}

/* Runs main as a child holding cap (as keel_start_cap 0) and the witness;
 * returns its exit code, or a negative status if it did not exit. */
/* A small child supervised by the root's inbox, holding cap if any. */
static struct keel_spawn_args child_args(cap_handle_t cap)
{
	return (struct keel_spawn_args){
		.name = "child",
		.fault_inbox = inbox_send,
		.witness = { root->witness, RIGHT_READ | RIGHT_WRITE, 0 },
		.caps = { { cap, RIGHT_READ | RIGHT_WRITE | RIGHT_MAP, 0 } },
		.cap_count = cap == CAP_HANDLE_NONE ? 0 : 1,
		.quota_slots = 16,
		.quota_objects = 16,
		.quota_pages = 32,
		.tier = THREAD_TIER_MATTER,
		.affinity = 1,
	};
}

static int64_t run_child(host_main_fn *main, cap_handle_t cap)
{
	struct keel_spawn_args a = child_args(cap);
	struct keel_child c;
	struct keel_msg m;
	struct task_exit_msg e;
	status_t st = host_spawn(&a, main, &c);
	if (st == STATUS_OK)
		st = next_msg(&m);
	if (st)
		return -(int64_t)st;
	sys_cap_delete(c.task);
	sys_cap_delete(c.thread);
	if (m.label != MSG_LABEL_TASK_EXIT)
		return -1000;
	memcpy(&e, m.payload, sizeof e);
	return (int64_t)e.code;
}

static int child_writes_shared_page(const struct keel_start *s)
{
	status_t st = sys_memory_map(CAP_HANDLE_NONE, keel_start_cap(s, 0), VA_CHILD, 0, 1,
				     RIGHT_READ | RIGHT_WRITE);
	if (st)
		return 100 + st;
	*(volatile uint32_t *)(VA_CHILD + 8) = 0x5eed;
	return 0;
}

TEST(memory_written_by_one_task_is_seen_by_another)
{
	cap_handle_t mem = CAP_HANDLE_NONE;
	CHECK_EQ(sys_memory_create(1, 0, &mem), STATUS_OK);
	CHECK_EQ(sys_memory_map(CAP_HANDLE_NONE, mem, VA_ROOT, 0, 1, RIGHT_READ | RIGHT_WRITE),
		 STATUS_OK);
	CHECK_EQ(run_child(child_writes_shared_page, mem), 0);
	CHECK_EQ(*(volatile uint32_t *)(VA_ROOT + 8), 0x5eed);
	CHECK_EQ(sys_memory_unmap(CAP_HANDLE_NONE, VA_ROOT, 1), STATUS_OK);
	CHECK_EQ(sys_cap_delete(mem), STATUS_OK);
}

/* Maps its memory where the root has the same frame, then a new frame
 * where the root has another: returns both statuses. */
static int child_maps_over_root(const struct keel_start *s)
{
	cap_handle_t other;
	status_t same = sys_memory_map(CAP_HANDLE_NONE, keel_start_cap(s, 0), VA_ROOT, 0, 1,
				       RIGHT_READ | RIGHT_WRITE);
	status_t differ = sys_memory_create(1, 0, &other);
	if (differ == STATUS_OK)
		differ = sys_memory_map(CAP_HANDLE_NONE, other, VA_ROOT + KEEL_PAGE_SIZE, 0, 1,
					RIGHT_READ | RIGHT_WRITE);
	return (int)(same << 8 | differ);
}

TEST(tasks_share_an_address_only_for_the_same_frame)
{
	cap_handle_t mem = CAP_HANDLE_NONE;
	CHECK_EQ(sys_memory_create(2, 0, &mem), STATUS_OK);
	CHECK_EQ(sys_memory_map(CAP_HANDLE_NONE, mem, VA_ROOT, 0, 2, RIGHT_READ | RIGHT_WRITE),
		 STATUS_OK);
	CHECK_EQ(run_child(child_maps_over_root, mem), STATUS_OK << 8 | STATUS_EXISTS);
	/* The child's teardown dropped its share; the root's page is intact. */
	*(volatile uint32_t *)VA_ROOT = 1;
	CHECK_EQ(sys_memory_unmap(CAP_HANDLE_NONE, VA_ROOT, 2), STATUS_OK);
	CHECK_EQ(sys_cap_delete(mem), STATUS_OK);
}

/* Maps a page of its own through keel_map: returns its page index in the
 * libsys region, or 1000 + the failure. */
static int child_keel_maps(const struct keel_start *s)
{
	cap_handle_t mem;
	void *at;
	status_t st = sys_memory_create(1, 0, &mem);
	(void)s;
	if (st == STATUS_OK)
		st = keel_map(mem, 0, 1, RIGHT_READ | RIGHT_WRITE, &at);
	if (st)
		return 1000 + st;
	*(volatile uint32_t *)at = 1;
	return (int)(((uint64_t)(uintptr_t)at - KEEL_MAP_REGION) / KEEL_PAGE_SIZE);
}

TEST(keel_map_gives_each_task_a_place_no_task_holds)
{
	cap_handle_t mem = CAP_HANDLE_NONE;
	void *a, *b, *c;
	CHECK_EQ(sys_memory_create(3, 0, &mem), STATUS_OK);
	CHECK_EQ(keel_map(mem, 0, 2, RIGHT_READ | RIGHT_WRITE, &a), STATUS_OK);
	uint64_t at = (uint64_t)(uintptr_t)a;
	CHECK(at >= KEEL_MAP_REGION && at < KEEL_MAP_REGION + KEEL_MAP_REGION_BYTES);
	/* Next fit: the next mapping goes right after the last one. */
	CHECK_EQ(keel_map(mem, 2, 1, RIGHT_READ, &b), STATUS_OK);
	CHECK_EQ((uint64_t)(uintptr_t)b, at + 2 * KEEL_PAGE_SIZE);
	/* Another task's first mapping steps over the root's three pages. */
	int child = run_child(child_keel_maps, CAP_HANDLE_NONE);
	CHECK(child < 1000 && (uint64_t)child >= (at - KEEL_MAP_REGION) / KEEL_PAGE_SIZE + 3);
	/* A place keel_unmap frees is where the next search starts. */
	CHECK_EQ(keel_unmap(a, 2), STATUS_OK);
	CHECK_EQ(keel_map(mem, 0, 1, RIGHT_READ, &c), STATUS_OK);
	CHECK_EQ((uint64_t)(uintptr_t)c, at);
	CHECK_EQ(keel_map(mem, 0, 0, RIGHT_READ, &c), STATUS_INVALID);
	CHECK_EQ(keel_map(mem, 0, KEEL_MAP_REGION_BYTES / KEEL_PAGE_SIZE + 1, RIGHT_READ, &c),
		 STATUS_FULL);
	CHECK_EQ(keel_map(mem, 3, 1, RIGHT_READ, &c), STATUS_RANGE);
	CHECK_EQ(sys_memory_unmap(CAP_HANDLE_NONE, at, 3), STATUS_OK);
	CHECK_EQ(sys_cap_delete(mem), STATUS_OK);
}

TEST(an_address_the_process_uses_itself_cannot_be_mapped)
{
	static char taken[2 * KEEL_PAGE_SIZE];
	uint64_t page = ((uint64_t)(uintptr_t)taken + KEEL_PAGE_SIZE - 1) &
			~(KEEL_PAGE_SIZE - 1ull);
	cap_handle_t mem = CAP_HANDLE_NONE;
	CHECK_EQ(sys_memory_create(1, 0, &mem), STATUS_OK);
	CHECK_EQ(sys_memory_map(CAP_HANDLE_NONE, mem, page, 0, 1, RIGHT_READ), STATUS_EXISTS);
	CHECK_EQ(sys_cap_delete(mem), STATUS_OK);
}

static int child_reads_root_page(const struct keel_start *s)
{
	return (int)sys_debug_write(s->witness, (const void *)(uintptr_t)VA_ROOT, 8);
}

TEST(bad_user_pointers_are_errors_not_crashes)
{
	static const struct kernel_stats readonly;
	cap_handle_t mem = CAP_HANDLE_NONE;
	CHECK_EQ(sys_debug_write(root->witness, (const void *)0x1000, 8), STATUS_BAD_ADDRESS);
	CHECK_EQ(sys_kernel_stats(root->witness, (void *)&readonly, sizeof readonly),
		 STATUS_BAD_ADDRESS);
	CHECK_EQ(sys_debug_write(root->witness, (const void *)0x00007ffffffff000ull, 8),
		 STATUS_BAD_ADDRESS);
	/* A page another task mapped is not this task's memory. */
	CHECK_EQ(sys_memory_create(1, 0, &mem), STATUS_OK);
	CHECK_EQ(sys_memory_map(CAP_HANDLE_NONE, mem, VA_ROOT, 0, 1, RIGHT_READ), STATUS_OK);
	CHECK_EQ(run_child(child_reads_root_page, CAP_HANDLE_NONE), STATUS_BAD_ADDRESS);
	CHECK_EQ(sys_memory_unmap(CAP_HANDLE_NONE, VA_ROOT, 1), STATUS_OK);
	CHECK_EQ(sys_cap_delete(mem), STATUS_OK);
}

/* Calls an inbox nobody serves; returns the virtual time it took. */
static uint64_t unanswered_call(uint64_t timeout, status_t *st)
{
	cap_handle_t box, mem, send;
	struct keel_msg m = { .label = 1 };
	uint64_t t0 = 0, t1 = 0;
	*st = sys_inbox_create(4, 7, &box, &mem);
	if (*st == STATUS_OK)
		*st = sys_cap_derive(box, RIGHT_SEND, 0, &send);
	if (*st)
		return 0;
	sys_clock_read(&t0);
	*st = sys_msg_call(send, &m, timeout);
	sys_clock_read(&t1);
	sys_cap_delete(send);
	sys_cap_delete(box);
	sys_cap_delete(mem);
	return t1 - t0;
}

TEST(a_call_times_out_on_virtual_time)
{
	status_t st;
	uint64_t took = unanswered_call(30 * MS, &st);
	CHECK_EQ(st, STATUS_TIMEOUT);
	CHECK(took >= 30 * MS && took <= 31 * MS);
}

/* The register form through the real dispatcher: a hostile head is
 * INVALID and posts nothing; a good one posts the message trimmed to its
 * len, with a reply capability, and times out unanswered. */
TEST(a_call_in_registers_checks_its_head_and_posts_the_same_message)
{
	uint64_t head = 7, w[5] = { 7, 7, 7, 7, 7 };
	cap_handle_t c = 7;
	struct keel_msg m;
	CHECK_EQ(sys_msg_call_regs(inbox_send, 0x51 | (uint64_t)(MSG_CALL_REGS_MAX + 1) << 32,
				   10 * MS, 0, 0, 0, 0, 0, &head, &c, &w[0], &w[1], &w[2], &w[3],
				   &w[4]),
		 STATUS_INVALID);
	CHECK_EQ(sys_msg_call_regs(inbox_send, 0x51 | 1ull << 47 | 1ull << 32, 10 * MS, 0, 0, 0, 0,
				   0, &head, &c, &w[0], &w[1], &w[2], &w[3], &w[4]),
		 STATUS_INVALID);
	CHECK_EQ(sys_msg_call_regs(inbox_send, 0x51 | 1ull << 63, 10 * MS, 0, 0, 0, 0, 0, &head, &c,
				   &w[0], &w[1], &w[2], &w[3], &w[4]),
		 STATUS_INVALID);
	CHECK(head == 7 && c == 7 && w[0] == 7 && w[4] == 7); /* untouched on errors */
	CHECK_EQ(inbox_ring_pending(ring), 0);
	CHECK_EQ(sys_msg_call_regs(inbox_send, 0x51 | 9ull << 32, 10 * MS, ~0ull, ~0ull, ~0ull,
				   ~0ull, ~0ull, &head, &c, &w[0], &w[1], &w[2], &w[3], &w[4]),
		 STATUS_TIMEOUT);
	CHECK_EQ(next_msg(&m), STATUS_OK);
	CHECK(m.label == 0x51 && m.len == 9 && m.badge == 1);
	CHECK_EQ(m.flags, MSG_FLAG_CAP | MSG_FLAG_CAP_ONCE);
	CHECK(m.payload[8] == 0xff && m.payload[9] == 0 && m.payload[39] == 0);
	/* Its caller timed out: a bad head leaves the reply handle; a good
	 * one consumes it, and the wait (a poll) happens. */
	uint64_t pending = 0;
	CHECK_EQ(sys_msg_reply_wait_regs(m.cap, 0x52 | (uint64_t)(MSG_REPLY_REGS_MAX + 1) << 32,
					 1ull << 30, 0, 0, 0, 0, 0, &pending),
		 STATUS_INVALID);
	CHECK_EQ(sys_msg_reply_wait_regs(m.cap, 0x52, 1ull << 30, 0, 0, 0, 0, 0, &pending),
		 STATUS_TIMEOUT);
	CHECK_EQ(sys_cap_delete(m.cap), STATUS_BAD_CAP); /* used by the wait */
}

/* Arms the timer ms ahead and waits for it; returns how late it fired. */
static uint64_t timer_lateness(uint64_t ms, status_t *st)
{
	uint64_t now = 0, then = 0, pending = 0;
	sys_clock_read(&now);
	*st = sys_timer_set(5, now + ms * MS);
	if (*st == STATUS_OK)
		*st = sys_signal_wait(1ull << 5, TIMEOUT_FOREVER, &pending);
	sys_clock_read(&then);
	if (*st == STATUS_OK && pending != 1ull << 5)
		*st = STATUS_INVALID;
	return then - (now + ms * MS);
}

TEST(a_timer_fires_at_its_deadline_tick)
{
	status_t st;
	uint64_t late = timer_lateness(20, &st);
	CHECK_EQ(st, STATUS_OK);
	CHECK(late < 1 * MS); /* the timer has 1 ms ticks */
}

TEST(an_interrupt_raised_by_the_test_reaches_the_bound_thread)
{
	cap_handle_t line = CAP_HANDLE_NONE;
	uint64_t pending = 0;
	CHECK_EQ(sys_device_split(root->irq, 3, 1, &line), STATUS_OK);
	CHECK_EQ(sys_irq_bind(line, 9), STATUS_OK);
	CHECK_EQ(host_irq_raise(3), STATUS_OK);
	CHECK_EQ(sys_signal_wait(1ull << 9, 0, &pending), STATUS_OK);
	CHECK_EQ(pending, 1ull << 9);
	/* Until the ack the line is masked: the next interrupt waits for it. */
	CHECK_EQ(host_irq_raise(3), STATUS_OK);
	CHECK_EQ(sys_signal_wait(1ull << 9, 0, &pending), STATUS_TIMEOUT);
	CHECK_EQ(sys_irq_ack(line), STATUS_OK);
	CHECK_EQ(sys_signal_wait(1ull << 9, 0, &pending), STATUS_OK);
	CHECK_EQ(host_irq_raise(24), STATUS_RANGE);
	CHECK_EQ(sys_cap_delete(line), STATUS_OK);
}

TEST(device_memory_cannot_be_mapped_on_the_host)
{
	cap_handle_t part = CAP_HANDLE_NONE;
	CHECK_EQ(sys_device_split(root->mmio, 0xfee00000ull, KEEL_PAGE_SIZE, &part), STATUS_OK);
	CHECK_EQ(sys_memory_map(CAP_HANDLE_NONE, part, VA_ROOT, 0, 1, RIGHT_READ | RIGHT_WRITE),
		 STATUS_BAD_ADDRESS);
	CHECK_EQ(sys_cap_delete(part), STATUS_OK);
}

/* Shared by the root and a second thread of the same task. */
static char order[8];
static unsigned order_len;

static int second_thread(const struct keel_start *arg)
{
	(void)arg;
	order[order_len++] = 'b';
	sys_thread_yield();
	order[order_len++] = 'b';
	return 0;
}

TEST(the_kernel_scheduler_decides_who_runs)
{
	cap_handle_t th = CAP_HANDLE_NONE;
	order_len = 0;
	CHECK_EQ(sys_thread_create(root->self_task, (uint64_t)(uintptr_t)second_thread, 0, 0,
				   THREAD_TIER_MATTER, 1, &th),
		 STATUS_OK);
	order[order_len++] = 'a'; /* nothing preempts: still the root */
	sys_thread_yield();       /* the new thread runs until it yields */
	order[order_len++] = 'a';
	sys_thread_yield(); /* and finishes */
	order[order_len] = '\0';
	CHECK_STR(order, "abab");
	/* It has exited: its capability is stale (and deleted all the same). */
	CHECK_EQ(sys_cap_delete(th), STATUS_STALE);
}

/* A thread that waits for a signal that never comes. */
static int blocked_thread(const struct keel_start *arg)
{
	uint64_t pending = 0;
	(void)arg;
	sys_signal_wait(1ull << 5, 5000 * MS, &pending);
	return 7;
}

static volatile int after_self_kill;

/* Kills its own task while a second thread of it is blocked, as the C
 * library's exit() does in a program with threads. */
static int child_kills_itself(const struct keel_start *s)
{
	cap_handle_t th;
	if (sys_thread_create(s->self_task, (uint64_t)(uintptr_t)blocked_thread, 0, 0,
			      THREAD_TIER_MATTER, 1, &th))
		return 1;
	sys_thread_yield(); /* let it block */
	sys_task_kill(s->self_task, 42);
	after_self_kill = 1; /* the call does not return */
	return 2;
}

TEST(a_task_that_kills_itself_ends_and_its_supervisor_hears_its_code)
{
	struct keel_spawn_args a = child_args(CAP_HANDLE_NONE);
	struct keel_child c;
	struct keel_msg m;
	CHECK_EQ(host_spawn(&a, child_kills_itself, &c), STATUS_OK);
	CHECK_EQ(next_msg(&m), STATUS_OK);
	CHECK_EQ(m.label, MSG_LABEL_TASK_EXIT);
	struct task_exit_msg e;
	memcpy(&e, m.payload, sizeof e);
	CHECK_EQ(e.code, 42);
	CHECK_EQ(after_self_kill, 0);
	CHECK_EQ(sys_cap_delete(c.thread), STATUS_STALE);
	sys_cap_delete(c.task);
	/* Killing another task with a code is refused: only a task's own
	 * exit says what its status is. */
	CHECK_EQ(host_spawn(&a, blocked_thread, &c), STATUS_OK);
	CHECK_EQ(sys_task_kill(c.task, 5), STATUS_INVALID);
	CHECK_EQ(sys_task_kill(c.task, 0), STATUS_OK);
	CHECK_EQ(next_msg(&m), STATUS_OK);
	CHECK_EQ(m.label, MSG_LABEL_TASK_EXIT);
	sys_cap_delete(c.thread);
	sys_cap_delete(c.task);
}

static int tests(const struct keel_start *start)
{
	cap_handle_t mem = CAP_HANDLE_NONE;
	root = start;
	if (sys_inbox_create(SLOTS, 0, &inbox, &mem) ||
	    sys_memory_map(CAP_HANDLE_NONE, mem, INBOX_VA, 0, 1, RIGHT_READ | RIGHT_WRITE) ||
	    sys_cap_derive(inbox, RIGHT_SEND, 1, &inbox_send)) {
		printf("cannot make the root's inbox\n");
		return 1;
	}
	ring = (struct inbox_ring *)INBOX_VA;
	RUN(memory_written_by_one_task_is_seen_by_another);
	RUN(tasks_share_an_address_only_for_the_same_frame);
	RUN(keel_map_gives_each_task_a_place_no_task_holds);
	RUN(an_address_the_process_uses_itself_cannot_be_mapped);
	RUN(bad_user_pointers_are_errors_not_crashes);
	RUN(a_call_times_out_on_virtual_time);
	RUN(a_call_in_registers_checks_its_head_and_posts_the_same_message);
	RUN(a_timer_fires_at_its_deadline_tick);
	RUN(an_interrupt_raised_by_the_test_reaches_the_bound_thread);
	RUN(device_memory_cannot_be_mapped_on_the_host);
	RUN(the_kernel_scheduler_decides_who_runs);
	RUN(a_task_that_kills_itself_ends_and_its_supervisor_hears_its_code);
	return check_summary();
}

int main(void)
{
	return host_test_main(tests);
}
