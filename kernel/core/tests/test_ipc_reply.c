/*
 * The reply capability of a call, under the real kernel in this process
 * (libsys/host/host_kernel.h): answered once, deleted unanswered (the
 * caller gets DEAD), outlived by a timed-out call (it goes stale, and
 * answering, answering-and-waiting or deleting it empties the server's
 * slot; the caller's next call gets a live one). The test is the server:
 * it owns an inbox and a child task calls it. Then the rules of reply
 * handles, which live outside the CSpace (core/object/replies.h): a kept
 * handle never answers a later call, forged handles name nothing, the
 * holder's death fails its callers with DEAD, and the calls a task holds
 * are bounded by its slot quota and its table (FULL to the caller); the test is
 * then the caller of a child server.
 */
#include <string.h>

#include "check.h"
#include "host_kernel.h"
#include "keel/loop.h"

#define MS 1000000ull
#define LABEL_ASK 0x51
#define LABEL_ANSWER 0x52
#define LABEL_HELLO 0x53
#define LABEL_DIE 0x54
#define LABEL_GO 0x55
#define SERVER_BIT 3

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

TEST(a_kept_handle_never_answers_a_later_call)
{
	struct keel_child c;
	struct keel_msg first, second;
	cap_handle_t h;
	uint64_t info = 0, badge = 1;
	CHECK_EQ(start_caller(10 * MS, &c), STATUS_OK);
	CHECK_EQ(next_on(srv_ring, 1, &first), STATUS_OK);
	CHECK_EQ(next_on(srv_ring, 1, &second), STATUS_OK); /* the first timed out */
	CHECK_EQ(sys_cap_info(first.cap, &info, &badge), STATUS_STALE);
	CHECK_EQ(sys_cap_info(second.cap, &info, &badge), STATUS_OK);
	CHECK_EQ(info, OBJ_REPLY | (uint64_t)RIGHT_SEND << 32);
	CHECK_EQ(badge, 0);
	CHECK_EQ(sys_cap_delete(first.cap), STATUS_STALE);
	/* Freed: from now on it names nothing, whichever call comes next. */
	CHECK_EQ(answer(first.cap), STATUS_BAD_CAP);
	CHECK_EQ(sys_cap_info(first.cap, &info, &badge), STATUS_BAD_CAP);
	/* A reply handle is no slot handle: no other call takes it. */
	struct keel_msg m = { .label = LABEL_ANSWER };
	CHECK_EQ(sys_msg_send(second.cap, &m, CAP_HANDLE_NONE, 0), STATUS_BAD_CAP);
	CHECK_EQ(sys_cap_derive(second.cap, RIGHT_SEND, 0, &h), STATUS_NO_RIGHTS);
	CHECK_EQ(sys_msg_send(srv_send, &m, second.cap, CAP_MOVE), STATUS_NO_RIGHTS);
	CHECK_EQ(answer(second.cap), STATUS_OK);
	CHECK_EQ(exit_code(&c), STATUS_OK);
	CHECK_EQ(answer(second.cap), STATUS_BAD_CAP);
}

TEST(forged_reply_handles_name_nothing)
{
	struct keel_child c;
	struct keel_msg m;
	uint64_t info, badge, pending;
	CHECK_EQ(start_caller(0, &c), STATUS_OK);
	CHECK_EQ(next_on(srv_ring, 1, &m), STATUS_OK);
	const cap_handle_t forged[] = {
		m.cap ^ 1u << 8,     /* another generation */
		m.cap + 1,           /* another entry, free */
		m.cap | 0xffu,       /* an entry past the table */
		m.cap & ~(1u << 31), /* the same bits as a slot handle */
		srv_send | 1u << 31, /* a slot handle with the reply bit */
		1u << 31,            /* generation 0 */
		0xffffffffu,
	};
	for (unsigned i = 0; i < sizeof forged / sizeof forged[0]; i++) {
		if (forged[i] == m.cap)
			continue;
		CHECK_EQ(answer(forged[i]), STATUS_BAD_CAP);
		CHECK_EQ(sys_cap_info(forged[i], &info, &badge), STATUS_BAD_CAP);
		CHECK_EQ(
			sys_msg_reply_wait(forged[i], &m, CAP_HANDLE_NONE, 0, 1u << 5, 0, &pending),
			STATUS_BAD_CAP);
	}
	/* Nothing happened to the real one. */
	CHECK_EQ(answer(m.cap), STATUS_OK);
	CHECK_EQ(exit_code(&c), STATUS_OK);
}

/* A child server: sends the test a capability to its inbox (capacity in
 * its argument word), then keeps every call unanswered until a plain
 * message (exit 0) or a call labelled LABEL_DIE (exit 0 without answer). */
static int server(const struct keel_start *s)
{
	cap_handle_t ib, send;
	struct inbox_ring *ring;
	struct keel_msg m = { .label = LABEL_HELLO };
	if (loop_inbox_open((uint32_t)keel_start_arg(s), SERVER_BIT, &ib, &ring) ||
	    sys_cap_derive(ib, RIGHT_SEND | RIGHT_GRANT, 0, &send))
		return 98;
	if (sys_msg_send(keel_start_cap(s, 0), &m, send, CAP_MOVE))
		return 97;
	for (;;) {
		if (host_ring_next(ring, 1ull << SERVER_BIT, 5000 * MS, &m))
			return 96;
		if (!(m.flags & MSG_FLAG_CAP) || m.label == LABEL_DIE)
			return 0;
	}
}

static status_t start_server(uint32_t capacity, uint64_t slots, struct keel_child *c,
			     cap_handle_t *to)
{
	struct keel_msg m;
	struct keel_spawn_args a = {
		.name = "server",
		.arg = capacity,
		.fault_inbox = sup_send,
		.caps = { { srv_send, RIGHT_SEND, 0 } },
		.cap_count = 1,
		.quota_slots = slots,
		.quota_objects = 16,
		.quota_pages = 64,
		.tier = THREAD_TIER_MATTER,
		.affinity = 1,
	};
	status_t st = host_spawn(&a, server, c);
	if (st == STATUS_OK)
		st = next_on(srv_ring, 1, &m);
	if (st == STATUS_OK && (m.label != LABEL_HELLO || !(m.flags & MSG_FLAG_CAP)))
		st = STATUS_INVALID;
	*to = m.cap;
	return st;
}

TEST(the_holders_death_fails_its_callers_with_dead)
{
	struct keel_child c;
	cap_handle_t to;
	struct keel_msg m = { .label = LABEL_ASK };
	CHECK_EQ(start_server(16, 16, &c, &to), STATUS_OK);
	/* Two calls that ended stay held by the server, then the one it dies with. */
	CHECK_EQ(sys_msg_call(to, &m, 0), STATUS_TIMEOUT);
	CHECK_EQ(sys_msg_call(to, &m, 0), STATUS_TIMEOUT);
	m.label = LABEL_DIE;
	CHECK_EQ(sys_msg_call(to, &m, TIMEOUT_FOREVER), STATUS_DEAD);
	CHECK_EQ(exit_code(&c), 0);
	m.label = LABEL_ASK;
	CHECK_EQ(sys_msg_call(to, &m, TIMEOUT_FOREVER), STATUS_DEAD);
	sys_cap_delete(to);
}

/* Calls that end at once (timeout 0) but stay held by the server, until
 * one is refused; returns how many were posted, *st the refusal. */
static unsigned fill_server(cap_handle_t to, unsigned most, status_t *st)
{
	unsigned n = 0;
	struct keel_msg m = { .label = LABEL_ASK };
	while (n < most && (*st = sys_msg_call(to, &m, 0)) == STATUS_TIMEOUT)
		n++;
	return n;
}

TEST(unanswered_calls_are_bounded_by_the_slot_quota_and_the_table)
{
	struct keel_child c;
	cap_handle_t to;
	struct keel_msg m = { .label = LABEL_GO };
	status_t st = STATUS_OK;
	unsigned n, again;
	/* 8 slots, 3 of them the server's capabilities (the test's inbox, its
	 * own inbox and ring): 5 calls. */
	CHECK_EQ(start_server(64, 8, &c, &to), STATUS_OK);
	n = fill_server(to, 64, &st);
	CHECK_EQ(st, STATUS_FULL); /* the server's quota, not the caller's */
	CHECK_EQ(n, 5);
	CHECK_EQ(sys_msg_send(to, &m, CAP_HANDLE_NONE, 0), STATUS_OK);
	CHECK_EQ(exit_code(&c), 0);
	sys_cap_delete(to);
	/* 300 slots: the table's 256 entries are the bound. */
	CHECK_EQ(start_server(512, 300, &c, &to), STATUS_OK);
	n = fill_server(to, 512, &st);
	CHECK_EQ(st, STATUS_FULL);
	CHECK_EQ(n, 256);
	CHECK_EQ(sys_msg_send(to, &m, CAP_HANDLE_NONE, 0), STATUS_OK);
	CHECK_EQ(exit_code(&c), 0);
	sys_cap_delete(to);
	/* The server's death freed them all: a new server takes as many. */
	CHECK_EQ(start_server(64, 8, &c, &to), STATUS_OK);
	again = fill_server(to, 64, &st);
	CHECK_EQ(again, 5);
	CHECK_EQ(sys_msg_send(to, &m, CAP_HANDLE_NONE, 0), STATUS_OK);
	CHECK_EQ(exit_code(&c), 0);
	sys_cap_delete(to);
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
	RUN(a_kept_handle_never_answers_a_later_call);
	RUN(forged_reply_handles_name_nothing);
	RUN(the_holders_death_fails_its_callers_with_dead);
	RUN(unanswered_calls_are_bounded_by_the_slot_quota_and_the_table);
	return check_summary();
}

int main(void)
{
	return host_test_main(tests);
}
