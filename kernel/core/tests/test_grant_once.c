/*
 * Grant-once capabilities under the real kernel in this process
 * (libsys/host/host_kernel.h), as docs/kernel-abi.md defines them: the
 * first successful call that names one uses it up, whatever the object;
 * looking at it (sys_cap_info) or a failed call does not; moving it hands
 * on the one use, unspent; and it cannot travel in the very message its
 * own use sends.
 */
#include <string.h>

#include "check.h"
#include "host_kernel.h"
#include "keel/loop.h"
#include "keel/map.h"

#define MS 1000000ull
#define LABEL 0x6f6e6365u
#define BIT 3

static const struct keel_start *root;
static cap_handle_t self_send;
static struct inbox_ring *ring;
static uint64_t next_va = 0x0000340000000000ull;

/* Sends cap to the root's own inbox in mode; returns the handle it
 * arrives as (and its message flags in *flags), or CAP_HANDLE_NONE. */
static cap_handle_t pass(cap_handle_t cap, uint32_t mode, uint16_t *flags)
{
	struct keel_msg m = { .label = LABEL };
	if (sys_msg_send(self_send, &m, cap, mode) ||
	    host_ring_next(ring, 1ull << BIT, 100 * MS, &m) || m.label != LABEL)
		return CAP_HANDLE_NONE;
	if (flags)
		*flags = m.flags;
	return m.cap;
}

static uint64_t fresh_va(void)
{
	next_va += 16 * KEEL_PAGE_SIZE;
	return next_va;
}

TEST(a_grant_once_memory_capability_maps_once)
{
	cap_handle_t mem = CAP_HANDLE_NONE, once;
	uint16_t flags = 0;
	CHECK_EQ(sys_memory_create(1, 0, &mem), STATUS_OK);
	once = pass(mem, CAP_GRANT_ONCE, &flags);
	CHECK(once != CAP_HANDLE_NONE);
	CHECK_EQ(flags & MSG_FLAG_CAP_ONCE, MSG_FLAG_CAP_ONCE);
	CHECK_EQ(sys_cap_info(once, NULL, NULL), STATUS_OK); /* looking is not a use */
	uint64_t va = fresh_va();
	CHECK_EQ(sys_memory_map(CAP_HANDLE_NONE, once, va, 0, 1, RIGHT_READ), STATUS_OK);
	CHECK_EQ(sys_memory_map(CAP_HANDLE_NONE, once, fresh_va(), 0, 1, RIGHT_READ),
		 STATUS_BAD_CAP);
	CHECK_EQ(sys_memory_unmap(CAP_HANDLE_NONE, va, 1), STATUS_OK);
	CHECK_EQ(sys_cap_delete(mem), STATUS_OK);
}

TEST(a_failed_call_does_not_use_a_grant_once_capability)
{
	cap_handle_t mem = CAP_HANDLE_NONE, once;
	CHECK_EQ(sys_memory_create(1, 0, &mem), STATUS_OK);
	once = pass(mem, CAP_GRANT_ONCE, NULL);
	CHECK(once != CAP_HANDLE_NONE);
	CHECK_EQ(sys_memory_map(CAP_HANDLE_NONE, once, fresh_va(), 0, 2, RIGHT_READ), STATUS_RANGE);
	uint64_t va = fresh_va();
	CHECK_EQ(sys_memory_map(CAP_HANDLE_NONE, once, va, 0, 1, RIGHT_READ), STATUS_OK);
	CHECK_EQ(sys_memory_unmap(CAP_HANDLE_NONE, va, 1), STATUS_OK);
	CHECK_EQ(sys_cap_delete(mem), STATUS_OK);
}

TEST(a_grant_once_thread_capability_raises_once)
{
	cap_handle_t once = pass(root->self_thread, CAP_GRANT_ONCE, NULL);
	uint64_t pending = 0;
	CHECK(once != CAP_HANDLE_NONE);
	CHECK_EQ(sys_signal_raise(once, 1ull << 20), STATUS_OK);
	CHECK_EQ(sys_signal_raise(once, 1ull << 20), STATUS_BAD_CAP);
	CHECK_EQ(sys_signal_wait(1ull << 20, 0, &pending), STATUS_OK);
}

TEST(a_grant_once_task_capability_grants_once)
{
	cap_handle_t task = CAP_HANDLE_NONE, once, mem = CAP_HANDLE_NONE, given;
	CHECK_EQ(sys_task_create(8, 8, 8, CAP_HANDLE_NONE, &task), STATUS_OK);
	CHECK_EQ(sys_memory_create(1, 0, &mem), STATUS_OK);
	once = pass(task, CAP_GRANT_ONCE, NULL);
	CHECK(once != CAP_HANDLE_NONE);
	CHECK_EQ(sys_task_grant(once, mem, RIGHT_READ, 0, &given), STATUS_OK);
	CHECK_EQ(sys_task_grant(once, mem, RIGHT_READ, 0, &given), STATUS_BAD_CAP);
	CHECK_EQ(sys_task_kill(task, 0), STATUS_OK);
	CHECK_EQ(sys_cap_delete(task), STATUS_STALE); /* killed: deleted all the same */
	CHECK_EQ(sys_cap_delete(mem), STATUS_OK);
}

TEST(a_grant_once_inbox_capability_sends_once)
{
	struct keel_msg m = { .label = LABEL };
	cap_handle_t once = pass(self_send, CAP_GRANT_ONCE, NULL);
	CHECK(once != CAP_HANDLE_NONE);
	CHECK_EQ(sys_msg_send(once, &m, CAP_HANDLE_NONE, 0), STATUS_OK);
	CHECK_EQ(sys_msg_send(once, &m, CAP_HANDLE_NONE, 0), STATUS_BAD_CAP);
	CHECK_EQ(host_ring_next(ring, 1ull << BIT, 100 * MS, &m), STATUS_OK);
}

TEST(a_grant_once_capability_cannot_travel_in_the_message_its_use_sends)
{
	struct keel_msg m = { .label = LABEL };
	cap_handle_t once = pass(self_send, CAP_GRANT_ONCE, NULL);
	CHECK(once != CAP_HANDLE_NONE);
	CHECK_EQ(sys_msg_send(once, &m, once, CAP_MOVE), STATUS_INVALID);
	/* Refused, so not used: it still sends once. */
	CHECK_EQ(sys_msg_send(once, &m, CAP_HANDLE_NONE, 0), STATUS_OK);
	CHECK_EQ(sys_msg_send(once, &m, CAP_HANDLE_NONE, 0), STATUS_BAD_CAP);
	CHECK_EQ(host_ring_next(ring, 1ull << BIT, 100 * MS, &m), STATUS_OK);
}

TEST(moving_a_grant_once_capability_hands_on_its_one_use)
{
	cap_handle_t mem = CAP_HANDLE_NONE, once, moved;
	uint16_t flags = 0;
	CHECK_EQ(sys_memory_create(1, 0, &mem), STATUS_OK);
	once = pass(mem, CAP_GRANT_ONCE, NULL);
	CHECK(once != CAP_HANDLE_NONE);
	moved = pass(once, CAP_MOVE, &flags);
	CHECK(moved != CAP_HANDLE_NONE);
	CHECK_EQ(flags & MSG_FLAG_CAP_ONCE, MSG_FLAG_CAP_ONCE);
	CHECK_EQ(sys_cap_info(once, NULL, NULL), STATUS_BAD_CAP); /* moved away */
	uint64_t va = fresh_va();
	CHECK_EQ(sys_memory_map(CAP_HANDLE_NONE, moved, va, 0, 1, RIGHT_READ), STATUS_OK);
	CHECK_EQ(sys_memory_map(CAP_HANDLE_NONE, moved, fresh_va(), 0, 1, RIGHT_READ),
		 STATUS_BAD_CAP);
	CHECK_EQ(sys_memory_unmap(CAP_HANDLE_NONE, va, 1), STATUS_OK);
	CHECK_EQ(sys_cap_delete(mem), STATUS_OK);
}

TEST(a_grant_once_capability_is_never_copied_or_derived)
{
	cap_handle_t mem = CAP_HANDLE_NONE, once, copy = CAP_HANDLE_NONE;
	CHECK_EQ(sys_memory_create(1, 0, &mem), STATUS_OK);
	once = pass(mem, CAP_GRANT_ONCE, NULL);
	CHECK(once != CAP_HANDLE_NONE);
	CHECK_EQ(sys_cap_derive(once, RIGHT_READ, 0, &copy), STATUS_NO_RIGHTS);
	CHECK_EQ(pass(once, CAP_COPY, NULL), CAP_HANDLE_NONE);
	CHECK_EQ(pass(once, CAP_GRANT_ONCE, NULL), CAP_HANDLE_NONE);
	CHECK_EQ(sys_cap_delete(once), STATUS_OK);
	CHECK_EQ(sys_cap_delete(mem), STATUS_OK);
}

static int tests(const struct keel_start *start)
{
	cap_handle_t ib;
	root = start;
	if (loop_inbox_open(16, BIT, &ib, &ring) ||
	    sys_cap_derive(ib, RIGHT_SEND | RIGHT_GRANT, 0, &self_send)) {
		printf("cannot make the root's inbox\n");
		return 1;
	}
	RUN(a_grant_once_memory_capability_maps_once);
	RUN(a_failed_call_does_not_use_a_grant_once_capability);
	RUN(a_grant_once_thread_capability_raises_once);
	RUN(a_grant_once_task_capability_grants_once);
	RUN(a_grant_once_inbox_capability_sends_once);
	RUN(a_grant_once_capability_cannot_travel_in_the_message_its_use_sends);
	RUN(moving_a_grant_once_capability_hands_on_its_one_use);
	RUN(a_grant_once_capability_is_never_copied_or_derived);
	return check_summary();
}

int main(void)
{
	return host_test_main(tests);
}
