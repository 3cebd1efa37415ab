/*
 * sys_msg_send_many under the real kernel in this process
 * (libsys/host/host_kernel.h): messages posted in order with the badge of
 * the capability, the ring filling part way (as write(2): how many went,
 * then the reason), a bad message in the middle, lengths that are no whole batch, bad
 * memory, and the capabilities the call refuses. The test sends to its
 * own inbox.
 */
#include <string.h>

#include "check.h"
#include "host_kernel.h"
#include "keel/loop.h"

#define MS 1000000ull
#define BIT 1
#define CAPACITY 16

static cap_handle_t inbox, badged;
static struct inbox_ring *ring;

/* Messages label base + i carrying i in their first payload byte. */
static void fill(struct keel_msg *m, unsigned n, uint32_t base)
{
	memset(m, 0, n * sizeof *m);
	for (unsigned i = 0; i < n; i++) {
		m[i].label = base + i;
		m[i].len = 1;
		m[i].payload[0] = (uint8_t)i;
	}
}

/* Pops what the ring holds; returns how many, checking labels base + i. */
static unsigned drain(uint32_t base, uint64_t badge)
{
	struct keel_msg m;
	unsigned n = 0;
	while (inbox_ring_pop(ring, &m)) {
		CHECK_EQ(m.label, base + n);
		CHECK_EQ(m.payload[0], (uint8_t)n);
		CHECK_EQ(m.badge, badge);
		CHECK_EQ(m.flags, 0);
		n++;
	}
	uint64_t pending;
	sys_signal_wait(1ull << BIT, 0, &pending);
	return n;
}

TEST(messages_arrive_in_order_with_the_badge)
{
	struct keel_msg m[5];
	size_t sent = 99;
	uint64_t pending = 0;
	fill(m, 5, 0x100);
	m[2].cap = badged; /* ignored: no capability travels */
	m[2].flags = MSG_FLAG_CAP;
	CHECK_EQ(sys_msg_send_many(badged, m, sizeof m, &sent), STATUS_OK);
	CHECK_EQ(sent, 5);
	CHECK_EQ(sys_signal_wait(1ull << BIT, 0, &pending), STATUS_OK);
	CHECK_EQ(pending, 1ull << BIT);
	CHECK_EQ(drain(0x100, 7), 5);
}

TEST(a_full_ring_stops_the_batch_and_says_how_many_went)
{
	struct keel_msg m[CAPACITY + 4];
	size_t sent = 0;
	fill(m, CAPACITY + 4, 0x200);
	CHECK_EQ(sys_msg_send_many(badged, m, sizeof m, &sent), STATUS_OK);
	CHECK_EQ(sent, CAPACITY);
	/* The rest again: the reason. */
	sent = 99;
	CHECK_EQ(sys_msg_send_many(badged, m + CAPACITY, 4 * sizeof m[0], &sent), STATUS_FULL);
	CHECK_EQ(sent, 99);
	CHECK_EQ(drain(0x200, 7), CAPACITY);
	/* Nothing posted, nothing to say: FULL with 0. */
	fill(m, CAPACITY, 0x300);
	CHECK_EQ(sys_msg_send_many(badged, m, CAPACITY * sizeof m[0], &sent), STATUS_OK);
	CHECK_EQ(sys_msg_send_many(badged, m, sizeof m[0], &sent), STATUS_FULL);
	CHECK_EQ(drain(0x300, 7), CAPACITY);
}

TEST(a_bad_message_stops_the_batch_where_it_is)
{
	struct keel_msg m[6];
	size_t sent = 0;
	fill(m, 6, 0x400);
	m[3].len = MSG_PAYLOAD_MAX + 1;
	CHECK_EQ(sys_msg_send_many(badged, m, sizeof m, &sent), STATUS_OK);
	CHECK_EQ(sent, 3);
	CHECK_EQ(sys_msg_send_many(badged, m + 3, 3 * sizeof m[0], &sent), STATUS_INVALID);
	CHECK_EQ(drain(0x400, 7), 3);
}

TEST(lengths_that_are_no_whole_batch_send_nothing)
{
	static struct keel_msg m[MSG_SEND_MANY_MAX + 1];
	size_t sent = 99;
	fill(m, MSG_SEND_MANY_MAX + 1, 0x500);
	CHECK_EQ(sys_msg_send_many(badged, m, 0, &sent), STATUS_INVALID);
	CHECK_EQ(sys_msg_send_many(badged, m, MSG_SIZE - 1, &sent), STATUS_INVALID);
	CHECK_EQ(sys_msg_send_many(badged, m, MSG_SIZE + 1, &sent), STATUS_INVALID);
	CHECK_EQ(sys_msg_send_many(badged, m, sizeof m, &sent), STATUS_INVALID);
	CHECK_EQ(sys_msg_send_many(badged, m, (size_t)-MSG_SIZE, &sent), STATUS_INVALID);
	CHECK_EQ(drain(0x500, 7), 0);
}

TEST(memory_that_cannot_be_read_is_bad_address)
{
	size_t sent = 99;
	CHECK_EQ(sys_msg_send_many(badged, (const struct keel_msg *)16, 2 * MSG_SIZE, &sent),
		 STATUS_BAD_ADDRESS);
	CHECK_EQ(sys_msg_send_many(badged,
				   (const struct keel_msg *)(uintptr_t)0xffff800000000000ull,
				   MSG_SIZE, &sent),
		 STATUS_BAD_ADDRESS);
	CHECK_EQ(drain(0, 7), 0);
}

TEST(the_capability_is_checked_as_for_sys_msg_send)
{
	struct keel_msg m[2];
	cap_handle_t nosend = 0, mem = 0;
	size_t sent = 99;
	fill(m, 2, 0x600);
	CHECK_EQ(sys_cap_derive(inbox, RIGHT_RECEIVE, 0, &nosend), STATUS_OK);
	CHECK_EQ(sys_msg_send_many(nosend, m, sizeof m, &sent), STATUS_NO_RIGHTS);
	CHECK_EQ(sys_memory_create(1, 0, &mem), STATUS_OK);
	CHECK_EQ(sys_msg_send_many(mem, m, sizeof m, &sent), STATUS_BAD_CAP);
	CHECK_EQ(sys_msg_send_many(1u << 31 | 1u << 8, m, sizeof m, &sent), STATUS_BAD_CAP);
	CHECK_EQ(sys_msg_send_many(CAP_HANDLE_NONE, m, sizeof m, &sent), STATUS_BAD_CAP);
	CHECK_EQ(drain(0x600, 0), 0);
	sys_cap_delete(nosend);
	sys_cap_delete(mem);
}

TEST(a_grant_once_capability_is_refused_and_kept)
{
	struct keel_msg m[2], got;
	cap_handle_t once = 0;
	size_t sent = 99;
	uint64_t info, badge;
	fill(m, 2, 0x700);
	/* The test's own grant-once copy: sent to itself, received once. */
	CHECK_EQ(sys_msg_send(badged, &m[0], badged, CAP_GRANT_ONCE), STATUS_OK);
	CHECK(inbox_ring_pop(ring, &got));
	CHECK(got.flags & MSG_FLAG_CAP_ONCE);
	once = got.cap;
	CHECK_EQ(sys_msg_send_many(once, m, sizeof m, &sent), STATUS_INVALID);
	CHECK_EQ(sys_cap_info(once, &info, &badge), STATUS_OK); /* not used */
	CHECK_EQ(drain(0x700, 7), 0);
	CHECK_EQ(sys_msg_send(once, &m[0], CAP_HANDLE_NONE, 0), STATUS_OK);
	CHECK_EQ(sys_cap_info(once, &info, &badge), STATUS_BAD_CAP); /* used */
	CHECK_EQ(drain(0x700, 7), 1);
}

static int tests(const struct keel_start *start)
{
	(void)start;
	if (loop_inbox_open(CAPACITY, BIT, &inbox, &ring) ||
	    sys_cap_derive(inbox, RIGHT_SEND | RIGHT_GRANT, 7, &badged)) {
		printf("cannot make the test's inbox\n");
		return 1;
	}
	RUN(messages_arrive_in_order_with_the_badge);
	RUN(a_full_ring_stops_the_batch_and_says_how_many_went);
	RUN(a_bad_message_stops_the_batch_where_it_is);
	RUN(lengths_that_are_no_whole_batch_send_nothing);
	RUN(memory_that_cannot_be_read_is_bad_address);
	RUN(the_capability_is_checked_as_for_sys_msg_send);
	RUN(a_grant_once_capability_is_refused_and_kept);
	return check_summary();
}

int main(void)
{
	return host_test_main(tests);
}
