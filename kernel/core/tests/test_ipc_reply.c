/*
 * The reply capability of a call, under the real kernel in this process
 * (libsys/host/host_kernel.h): answered once, deleted unanswered (the
 * caller gets DEAD), outlived by a timed-out call (it goes stale, and
 * answering, answering-and-waiting or deleting it empties the server's
 * slot; the caller's next call gets a live one). The test is the server:
 * it owns an inbox and a child task calls it.
 */
#include <string.h>

#include "check.h"
#include "host_kernel.h"
#include "keel/loop.h"

#define MS 1000000ull
#define LABEL_ASK 0x51
#define LABEL_ANSWER 0x52

static const struct keel_start *root;
static cap_handle_t sup_send, srv_send;
static struct inbox_ring *sup_ring, *srv_ring;

/* Next message on ring (bit of the root's signal word), or an error. */
static status_t next_on(struct inbox_ring *ring, unsigned bit, struct keel_msg *m)
{
	return host_ring_next(ring, 1ull << bit, 1000 * MS, m);
}

/* The child: one call with the timeout in its argument word (0: none),
 * then, if that one timed out, a second call without one. Exits with the
 * last call's status, 99 for a wrong answer. */
static int caller(const struct keel_start *s)
{
	uint64_t timeout = keel_start_arg(s);
	struct keel_msg m = { .label = LABEL_ASK };
	status_t st = sys_msg_call(keel_start_cap(s, 0), &m, timeout ? timeout : TIMEOUT_FOREVER);
	if (st == STATUS_TIMEOUT && timeout) {
		m = (struct keel_msg){ .label = LABEL_ASK };
		st = sys_msg_call(keel_start_cap(s, 0), &m, TIMEOUT_FOREVER);
	}
	if (st == STATUS_OK && m.label != LABEL_ANSWER)
		return 99;
	return (int)st;
}

static status_t start_caller(uint64_t timeout, struct keel_child *c)
{
	struct keel_spawn_args a = {
		.name = "caller",
		.arg = timeout,
		.fault_inbox = sup_send,
		.caps = { { srv_send, RIGHT_SEND, 0 } },
		.cap_count = 1,
		.quota_slots = 16,
		.quota_objects = 16,
		.quota_pages = 32,
		.tier = THREAD_TIER_MATTER,
		.affinity = 1,
	};
	return host_spawn(&a, caller, c);
}

/* Waits for the child's exit message; returns its code, or -1. */
static int64_t exit_code(struct keel_child *c)
{
	struct keel_msg m;
	struct task_exit_msg e;
	if (next_on(sup_ring, 0, &m) || m.label != MSG_LABEL_TASK_EXIT)
		return -1;
	memcpy(&e, m.payload, sizeof e);
	sys_cap_delete(c->task);
	sys_cap_delete(c->thread);
	return (int64_t)e.code;
}

static status_t answer(cap_handle_t reply)
{
	struct keel_msg m = { .label = LABEL_ANSWER };
	return sys_msg_reply(reply, &m, CAP_HANDLE_NONE, 0);
}

TEST(a_reply_capability_answers_once)
{
	struct keel_child c;
	struct keel_msg m;
	CHECK_EQ(start_caller(0, &c), STATUS_OK);
	CHECK_EQ(next_on(srv_ring, 1, &m), STATUS_OK);
	CHECK_EQ(m.label, LABEL_ASK);
	CHECK_EQ(m.flags & (MSG_FLAG_CAP | MSG_FLAG_CAP_ONCE), MSG_FLAG_CAP | MSG_FLAG_CAP_ONCE);
	CHECK_EQ(answer(m.cap), STATUS_OK);
	CHECK_EQ(exit_code(&c), STATUS_OK);
	CHECK_EQ(answer(m.cap), STATUS_BAD_CAP); /* used up: its slot is empty */
}

TEST(deleting_a_reply_capability_unanswered_fails_the_call_with_dead)
{
	struct keel_child c;
	struct keel_msg m;
	CHECK_EQ(start_caller(0, &c), STATUS_OK);
	CHECK_EQ(next_on(srv_ring, 1, &m), STATUS_OK);
	CHECK_EQ(sys_cap_delete(m.cap), STATUS_OK);
	CHECK_EQ(exit_code(&c), STATUS_DEAD);
}

TEST(a_timed_out_call_leaves_a_stale_reply_that_answering_consumes)
{
	struct keel_child c;
	struct keel_msg first, second;
	CHECK_EQ(start_caller(10 * MS, &c), STATUS_OK);
	CHECK_EQ(next_on(srv_ring, 1, &first), STATUS_OK);
	/* The second call arrives only after the first timed out. */
	CHECK_EQ(next_on(srv_ring, 1, &second), STATUS_OK);
	CHECK(first.cap != second.cap);
	CHECK_EQ(answer(first.cap), STATUS_STALE); /* reported, and consumed */
	CHECK_EQ(sys_cap_delete(first.cap), STATUS_BAD_CAP);
	CHECK_EQ(answer(second.cap), STATUS_OK);
	CHECK_EQ(exit_code(&c), STATUS_OK);
}

TEST(a_caller_that_dies_leaves_a_stale_reply)
{
	struct keel_child c;
	struct keel_msg m;
	CHECK_EQ(start_caller(0, &c), STATUS_OK);
	CHECK_EQ(next_on(srv_ring, 1, &m), STATUS_OK);
	CHECK_EQ(sys_task_kill(c.task, 0), STATUS_OK);
	CHECK(exit_code(&c) >= 0);
	CHECK_EQ(answer(m.cap), STATUS_STALE);
	CHECK_EQ(sys_cap_delete(m.cap), STATUS_BAD_CAP); /* the answer consumed it */
}

TEST(reply_and_wait_consumes_a_stale_reply_and_still_waits)
{
	struct keel_child c;
	struct keel_msg first, second, m = { .label = LABEL_ANSWER };
	uint64_t pending = 0, before = 0, after = 0;
	CHECK_EQ(start_caller(10 * MS, &c), STATUS_OK);
	CHECK_EQ(next_on(srv_ring, 1, &first), STATUS_OK);
	CHECK_EQ(next_on(srv_ring, 1, &second), STATUS_OK); /* the first timed out */
	CHECK_EQ(sys_clock_read(&before), STATUS_OK);
	/* Nothing is pending on bit 5: the wait runs to its timeout. */
	CHECK_EQ(sys_msg_reply_wait(first.cap, &m, CAP_HANDLE_NONE, 0, 1u << 5, 2 * MS, &pending),
		 STATUS_TIMEOUT);
	CHECK_EQ(sys_clock_read(&after), STATUS_OK);
	CHECK(after - before >= 2 * MS);
	CHECK_EQ(sys_cap_delete(first.cap), STATUS_BAD_CAP);
	CHECK_EQ(answer(second.cap), STATUS_OK);
	CHECK_EQ(exit_code(&c), STATUS_OK);
}

TEST(deleting_a_stale_reply_reports_stale_and_empties_the_slot)
{
	struct keel_child c;
	struct keel_msg first, second;
	CHECK_EQ(start_caller(10 * MS, &c), STATUS_OK);
	CHECK_EQ(next_on(srv_ring, 1, &first), STATUS_OK);
	CHECK_EQ(next_on(srv_ring, 1, &second), STATUS_OK);
	CHECK_EQ(sys_cap_delete(first.cap), STATUS_STALE);
	CHECK_EQ(sys_cap_delete(first.cap), STATUS_BAD_CAP);
	CHECK_EQ(answer(second.cap), STATUS_OK);
	CHECK_EQ(exit_code(&c), STATUS_OK);
}

/* An inbox for the root's thread on bit; *send gets a send capability to it. */
static struct inbox_ring *open_inbox(unsigned bit, cap_handle_t *send)
{
	cap_handle_t ib;
	struct inbox_ring *ring;
	if (loop_inbox_open(16, bit, &ib, &ring) ||
	    sys_cap_derive(ib, RIGHT_SEND | RIGHT_GRANT, 0, send))
		return NULL;
	return ring;
}

static int tests(const struct keel_start *start)
{
	root = start;
	sup_ring = open_inbox(0, &sup_send);
	srv_ring = open_inbox(1, &srv_send);
	if (!sup_ring || !srv_ring) {
		printf("cannot make the root's inboxes\n");
		return 1;
	}
	RUN(a_reply_capability_answers_once);
	RUN(deleting_a_reply_capability_unanswered_fails_the_call_with_dead);
	RUN(a_timed_out_call_leaves_a_stale_reply_that_answering_consumes);
	RUN(reply_and_wait_consumes_a_stale_reply_and_still_waits);
	RUN(deleting_a_stale_reply_reports_stale_and_empties_the_slot);
	RUN(a_caller_that_dies_leaves_a_stale_reply);
	return check_summary();
}

int main(void)
{
	return host_test_main(tests);
}
