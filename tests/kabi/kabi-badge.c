/*
 * kabi-badge.c - badges are stamped by the kernel and cannot be changed.
 *
 * caps[0]: a send cap (with grant) to the root's inbox, badged 7.
 * Sends three KABI_REPORT messages, word 0 the step:
 *   1: with 0xdead written into the message's badge field
 *   2: through a copy derived with badge 0; word 1 = that derive's status
 *   3: word 1 = status of deriving with badge 9 (re-badging),
 *      word 2 = the copy's badge as sys_cap_info tells it
 */
#include "kabi.h"

int keel_main(const struct keel_start *s)
{
	cap_handle_t root = keel_start_cap(s, 0), copy = 0, rebadged = 0;
	struct keel_msg m = kabi_msg(KABI_REPORT, 1, 0, 0);
	uint64_t badge = 0;
	status_t st;

	m.badge = 0xdead;
	if (sys_msg_send(root, &m, CAP_HANDLE_NONE, 0))
		return 11;
	st = sys_cap_derive(root, RIGHT_SEND | RIGHT_GRANT, 0, &copy);
	m = kabi_msg(KABI_REPORT, 2, st, 0);
	m.badge = 0xdead;
	if (sys_msg_send(st ? root : copy, &m, CAP_HANDLE_NONE, 0))
		return 12;
	st = sys_cap_derive(root, RIGHT_SEND, 9, &rebadged);
	if (copy)
		sys_cap_info(copy, NULL, &badge);
	m = kabi_msg(KABI_REPORT, 3, st, badge);
	if (sys_msg_send(root, &m, CAP_HANDLE_NONE, 0))
		return 13;
	return 0;
}
