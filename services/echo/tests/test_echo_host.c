/*
 * Host tests for echo under the real kernel: kernel/core runs in this
 * process (libsys/host/host_kernel.h), the test is the root task, and
 * echo's unmodified main.c runs as a task of its own - its event loop
 * calling the real system calls through sysops_kernel, its messages
 * crossing real inboxes under real capability checks.
 *
 * The test plays initd: it owns the supervisor inbox, spawns echo with
 * the footprint of services/echo/manifest, waits for echo's hello (which
 * carries a send capability to echo's inbox) and calls echo through it.
 */
#include <string.h>

#include "check.h"
#include "abi/witness.h"
#include "host_kernel.h"
#include "keel/loop.h"
#include "protocol.h"
#include "keel/service.h"

#define SUP_VA 0x0000210000000000ull /* the test's supervisor inbox ring */
#define SUP_SLOTS 64
#define SUP_BIT 0
#define SUP_BADGE 7     /* the slot number initd would use */
#define HEARTBEAT_MS 50 /* services/echo/manifest */
#define MS 1000000ull
#define CALL_TIMEOUT (1000 * MS)
#define WAIT_TIMEOUT (5000 * MS)

int echo_main(const struct keel_start *start);

/* What the root task holds: its start page, its supervisor inbox. */
static const struct keel_start *root;
static cap_handle_t sup_inbox, sup_send;
static struct inbox_ring *sup_ring;

/* The echo instance a test runs; killed before the next test starts. */
static struct keel_child echo_child;
static cap_handle_t echo_inbox;

/* Waits for the next supervisor message (virtual time, so no wall clock). */
static status_t sup_next(struct keel_msg *m)
{
	return host_ring_next(sup_ring, 1ull << SUP_BIT, WAIT_TIMEOUT, m);
}

/* The next supervisor message that is not a heartbeat. */
static status_t sup_next_event(struct keel_msg *m)
{
	status_t st;
	while ((st = sup_next(m)) == STATUS_OK && m->label == SERVICE_HEARTBEAT)
		;
	return st;
}

/* Spawn arguments as initd derives them from echo's manifest. */
static struct keel_spawn_args manifest_args(void)
{
	return (struct keel_spawn_args){
		.name = "echo",
		.arg = HEARTBEAT_MS,
		.fault_inbox = sup_send,
		.supervisor = { sup_send, RIGHT_SEND, 0 },
		.quota_slots = 32,
		.quota_objects = 16,
		.quota_pages = 64,
		.tier = THREAD_TIER_MATTER,
		.affinity = 1,
	};
}

static void echo_stop(void)
{
	if (echo_child.task != CAP_HANDLE_NONE) {
		sys_task_kill(echo_child.task, 0);
		sys_cap_delete(echo_child.task);
		sys_cap_delete(echo_child.thread);
	}
	if (echo_inbox != CAP_HANDLE_NONE)
		sys_cap_delete(echo_inbox);
	echo_child = (struct keel_child){ CAP_HANDLE_NONE, CAP_HANDLE_NONE };
	echo_inbox = CAP_HANDLE_NONE;
	/* Whatever the previous test left (its exit message) goes. */
	struct keel_msg m;
	while (inbox_ring_pop(sup_ring, &m))
		if (m.flags & MSG_FLAG_CAP)
			sys_cap_delete(m.cap);
}

/* Spawns echo with a and waits for its hello. */
static void echo_start_with(const struct keel_spawn_args *a)
{
	struct keel_msg m;
	echo_stop();
	CHECK_EQ(host_spawn(a, echo_main, &echo_child), STATUS_OK);
	CHECK_EQ(sup_next_event(&m), STATUS_OK);
	CHECK_EQ(m.label, SERVICE_HELLO);
	CHECK_EQ(m.badge, SUP_BADGE);
	CHECK(m.flags & MSG_FLAG_CAP);
	echo_inbox = m.cap;
}

static void echo_start(void)
{
	struct keel_spawn_args a = manifest_args();
	echo_start_with(&a);
}

static status_t ping(uint8_t first, struct keel_msg *reply)
{
	*reply = (struct keel_msg){ .label = ECHO_PING, .len = 3, .payload = { first, 2, 3 } };
	return sys_msg_call(echo_inbox, reply, CALL_TIMEOUT);
}

/* The newest witness record of action about task_id, or 0 if none. */
static uint64_t witness_find(uint32_t action, uint64_t task_id)
{
	struct witness_record recs[16];
	uint64_t seq = 0, found = 0;
	size_t bytes;
	while (sys_witness_read(root->witness, seq, recs, sizeof recs, &bytes, &seq) == STATUS_OK &&
	       bytes)
		for (size_t i = 0; i < bytes / sizeof recs[0]; i++)
			if (recs[i].action == action && recs[i].subject == task_id)
				found = recs[i].seq + 1;
	return found;
}

TEST(ping_through_the_kernel_is_answered_with_the_same_payload)
{
	struct keel_msg r;
	echo_start();
	CHECK_EQ(ping(7, &r), STATUS_OK);
	CHECK_EQ(r.label, ECHO_PONG);
	CHECK_EQ(r.len, 3);
	CHECK_EQ(r.payload[0], 7);
	CHECK_EQ(r.payload[2], 3);
	CHECK_EQ(r.badge, 0);
}

TEST(many_calls_in_a_row_are_all_answered_in_order)
{
	struct keel_msg r;
	echo_start();
	for (int i = 0; i < 200; i++) {
		CHECK_EQ(ping((uint8_t)i, &r), STATUS_OK);
		CHECK_EQ(r.label, ECHO_PONG);
		CHECK_EQ(r.payload[0], (uint8_t)i);
	}
}

TEST(an_unknown_label_gets_the_loop_error_reply)
{
	struct keel_msg r = { .label = 0x12345678 };
	status_t st;
	uint32_t label;
	echo_start();
	CHECK_EQ(sys_msg_call(echo_inbox, &r, CALL_TIMEOUT), STATUS_OK);
	CHECK_EQ(r.label, LOOP_REPLY_ERROR);
	CHECK_EQ(loop_error_parse(&r, &st, &label), STATUS_OK);
	CHECK_EQ(st, STATUS_NOT_FOUND);
	CHECK_EQ(label, 0x12345678);
}

/*
 * Calls that time out while echo is stuck leave their reply capabilities
 * in echo's CSpace; when echo gets to them, its loop answers and the
 * kernel consumes each one (the caller is gone: STALE), so echo's slots
 * come back and it serves others again. Echo is stuck in a call of its
 * own: ECHO_FORWARD to a peer (an inbox of the test's that nobody
 * drains) that never answers, for a second.
 */
TEST(calls_that_timed_out_do_not_fill_the_servers_cspace)
{
	cap_handle_t hole = CAP_HANDLE_NONE, hole_send = CAP_HANDLE_NONE, ring = CAP_HANDLE_NONE;
	struct keel_msg r;
	CHECK_EQ(sys_inbox_create(64, 9, &hole, &ring), STATUS_OK);
	CHECK_EQ(sys_cap_derive(hole, RIGHT_SEND | RIGHT_GRANT, 0, &hole_send), STATUS_OK);
	struct keel_spawn_args a = manifest_args();
	a.caps[0] = (struct keel_grant){ hole_send, RIGHT_SEND, 0 };
	a.cap_count = 1;
	echo_start_with(&a);
	for (int round = 0; round < 4; round++) {
		struct keel_msg fwd = { .label = ECHO_FORWARD, .len = 1 };
		CHECK_EQ(sys_msg_send(echo_inbox, &fwd, CAP_HANDLE_NONE, 0), STATUS_OK);
		int timed_out = 0;
		for (int i = 0; i < 40; i++) {
			r = (struct keel_msg){ .label = ECHO_PING, .len = 1 };
			status_t st = sys_msg_call(echo_inbox, &r, 5 * MS);
			CHECK(st == STATUS_TIMEOUT || st == STATUS_FULL);
			timed_out += st == STATUS_TIMEOUT;
		}
		CHECK(timed_out > 8); /* echo's 32 slots: many calls got in, then FULL */
		/* Echo's forward gives up after a second; then it drains its inbox. */
		host_clock_advance(1100 * MS);
		status_t st = STATUS_FULL;
		for (int tries = 0; tries < 10 && st == STATUS_FULL; tries++)
			if ((st = ping((uint8_t)round, &r)) == STATUS_FULL)
				host_clock_advance(10 * MS);
		CHECK_EQ(st, STATUS_OK);
		CHECK_EQ(r.label, ECHO_PONG);
	}
	sys_cap_delete(hole_send);
	sys_cap_delete(hole);
	sys_cap_delete(ring);
}

/* Sleeps ns of virtual time; returns how much the kernel's clock moved. */
static uint64_t sleep_measured(uint64_t ns)
{
	uint64_t t0 = 0, t1 = 0;
	sys_clock_read(&t0);
	host_clock_advance(ns);
	sys_clock_read(&t1);
	return t1 - t0;
}

TEST(heartbeats_follow_virtual_time)
{
	struct keel_msg m;
	int beats = 0;
	echo_start();
	CHECK_EQ(sleep_measured(10 * HEARTBEAT_MS * MS), 10 * HEARTBEAT_MS * MS);
	while (inbox_ring_pop(sup_ring, &m)) {
		CHECK_EQ(m.label, SERVICE_HEARTBEAT);
		CHECK_EQ(m.badge, SUP_BADGE);
		beats++;
	}
	/* One per period; the first may fall either side of the window. */
	CHECK(beats >= 9 && beats <= 10);
}

/* Asks echo to misbehave; checks the caller and the supervisor see it die
 * of the given CPU exception, and the witness log records the fault. */
static void check_fault(uint32_t label, uint32_t vector)
{
	struct keel_msg m = { .label = label }, r;
	struct task_fault_msg f;
	echo_start();
	CHECK_EQ(sys_msg_call(echo_inbox, &m, CALL_TIMEOUT), STATUS_DEAD);
	CHECK_EQ(sup_next_event(&m), STATUS_OK);
	CHECK_EQ(m.label, MSG_LABEL_TASK_FAULT);
	CHECK_EQ(m.badge, SUP_BADGE);
	memcpy(&f, m.payload, sizeof f);
	CHECK_EQ(f.vector, vector);
	CHECK(witness_find(6 /* WITNESS_FAULT */, f.task_id) != 0);
	CHECK_EQ(ping(1, &r), STATUS_DEAD);
}

TEST(a_crash_is_a_page_fault_reported_to_the_supervisor)
{
	check_fault(ECHO_CRASH, 14);
}

TEST(an_io_port_outside_the_footprint_is_a_protection_fault)
{
	check_fault(ECHO_PORT, 13);
}

TEST(a_restarted_echo_serves_again_after_a_crash)
{
	struct keel_msg m = { .label = ECHO_CRASH }, r;
	echo_start();
	CHECK_EQ(sys_msg_call(echo_inbox, &m, CALL_TIMEOUT), STATUS_DEAD);
	echo_start(); /* the same inbox address is free again */
	CHECK_EQ(ping(9, &r), STATUS_OK);
	CHECK_EQ(r.payload[0], 9);
}

TEST(a_killed_echo_is_reported_and_its_inbox_is_dead)
{
	struct keel_msg m, r;
	struct task_exit_msg e;
	echo_start();
	CHECK_EQ(sys_task_kill(echo_child.task, 0), STATUS_OK);
	CHECK_EQ(sup_next_event(&m), STATUS_OK);
	CHECK_EQ(m.label, MSG_LABEL_TASK_EXIT);
	memcpy(&e, m.payload, sizeof e);
	CHECK(witness_find(7 /* WITNESS_KILL */, e.task_id) != 0);
	CHECK_EQ(ping(1, &r), STATUS_DEAD);
}

/* echo given less than its manifest: it must stop at once, with exit code
 * 1 (keel_main's failed set-up), and say so through the kernel. */
static void check_refused(const struct keel_spawn_args *a)
{
	struct keel_msg m;
	struct task_exit_msg e;
	echo_stop();
	CHECK_EQ(host_spawn(a, echo_main, &echo_child), STATUS_OK);
	CHECK_EQ(sup_next_event(&m), STATUS_OK);
	CHECK_EQ(m.label, MSG_LABEL_TASK_EXIT);
	memcpy(&e, m.payload, sizeof e);
	CHECK_EQ(e.code, 1);
}

TEST(without_a_supervisor_capability_echo_exits_with_code_1)
{
	struct keel_spawn_args a = manifest_args();
	a.supervisor.cap = CAP_HANDLE_NONE;
	check_refused(&a);
}

TEST(a_supervisor_capability_without_send_right_is_refused_by_the_kernel)
{
	struct keel_spawn_args a = manifest_args();
	a.supervisor.rights = RIGHT_GRANT;
	check_refused(&a);
}

TEST(with_too_small_an_object_quota_echo_exits_with_code_1)
{
	struct keel_spawn_args a = manifest_args();
	a.quota_objects = 1; /* its inbox needs two: the inbox and its ring */
	check_refused(&a);
}

TEST(everything_echo_held_returns_to_the_kernel)
{
	struct kernel_stats before, after;
	struct keel_msg r;
	echo_stop();
	host_clock_advance(MS); /* deferred frees of earlier tests run */
	CHECK_EQ(sys_kernel_stats(root->witness, &before, sizeof before), STATUS_OK);
	echo_start();
	CHECK_EQ(ping(3, &r), STATUS_OK);
	echo_stop();
	host_clock_advance(MS);
	CHECK_EQ(sys_kernel_stats(root->witness, &after, sizeof after), STATUS_OK);
	CHECK_EQ(after.tasks, before.tasks);
	CHECK_EQ(after.threads, before.threads);
	CHECK_EQ(after.objects, before.objects);
	CHECK_EQ(after.free_pages + after.pool_pages, before.free_pages + before.pool_pages);
}

/* The root task: the supervisor inbox, then every test. */
static int tests(const struct keel_start *start)
{
	cap_handle_t ring;
	root = start;
	if (sys_inbox_create(SUP_SLOTS, SUP_BIT, &sup_inbox, &ring) ||
	    sys_memory_map(CAP_HANDLE_NONE, ring, SUP_VA, 0,
			   (inbox_ring_bytes(SUP_SLOTS) + KEEL_PAGE_SIZE - 1) / KEEL_PAGE_SIZE,
			   RIGHT_READ | RIGHT_WRITE) ||
	    sys_cap_derive(sup_inbox, RIGHT_SEND | RIGHT_GRANT, SUP_BADGE, &sup_send)) {
		printf("cannot make the supervisor inbox\n");
		return 1;
	}
	sup_ring = (struct inbox_ring *)SUP_VA;
	RUN(ping_through_the_kernel_is_answered_with_the_same_payload);
	RUN(many_calls_in_a_row_are_all_answered_in_order);
	RUN(an_unknown_label_gets_the_loop_error_reply);
	RUN(calls_that_timed_out_do_not_fill_the_servers_cspace);
	RUN(heartbeats_follow_virtual_time);
	RUN(a_crash_is_a_page_fault_reported_to_the_supervisor);
	RUN(an_io_port_outside_the_footprint_is_a_protection_fault);
	RUN(a_restarted_echo_serves_again_after_a_crash);
	RUN(a_killed_echo_is_reported_and_its_inbox_is_dead);
	RUN(without_a_supervisor_capability_echo_exits_with_code_1);
	RUN(a_supervisor_capability_without_send_right_is_refused_by_the_kernel);
	RUN(with_too_small_an_object_quota_echo_exits_with_code_1);
	RUN(everything_echo_held_returns_to_the_kernel);
	echo_stop();
	return check_summary();
}

int main(void)
{
	return host_test_main(tests);
}
