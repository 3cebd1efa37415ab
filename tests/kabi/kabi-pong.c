/*
 * kabi-pong.c - the other end of the pingpong and bench tests.
 *
 * caps[0]: a send cap (with grant) to the root's inbox.
 * It creates its inbox, sends the root KABI_HELLO carrying a send cap to
 * it, then serves, draining its ring after each wait. The reply to the
 * last message of a drain goes with the next wait in one
 * sys_msg_reply_wait, the canonical server turn:
 *   KABI_PING (call)   reply KABI_PONG, words counter + 1 and ~counter
 *   KABI_PING_REGS     the same, answered with sys_msg_reply_wait_regs
 *                      (or sys_msg_reply when more is queued)
 *   KABI_BATCH (call)  send word0 KABI_ITEM messages to the root, then reply
 *   KABI_ITEM          counted
 *   KABI_FLUSH (call)  reply with the number of items since the last flush
 *   KABI_QUIT          exit 0
 * Any failure exits with a code saying where (10 + step, or 100 + status).
 */
#include "kabi.h"

/* Handles m; a call's answer is left in *out (returns 0 with *out's label
 * 0 when there is nothing to answer), -1 asks to quit. */
static int serve(const struct keel_msg *m, cap_handle_t root, uint64_t *items, struct keel_msg *out)
{
	uint64_t w = kabi_word(m, 0);
	status_t st = STATUS_OK;

	switch (m->label) {
	case KABI_PING:
	case KABI_PING_REGS:
		*out = kabi_msg(KABI_PONG, w + 1, ~w, 0);
		break;
	case KABI_BATCH:
		for (uint64_t i = 0; i < w && st == STATUS_OK; i++) {
			struct keel_msg item = kabi_msg(KABI_ITEM, i, 0, 0);
			st = sys_msg_send(root, &item, CAP_HANDLE_NONE, 0);
		}
		if (st)
			return 100 + st;
		*out = kabi_msg(KABI_PONG, w, 0, 0);
		break;
	case KABI_ITEM:
		(*items)++;
		out->label = 0;
		return 0;
	case KABI_FLUSH:
		*out = kabi_msg(KABI_PONG, *items, 0, 0);
		*items = 0;
		break;
	case KABI_QUIT:
		return -1;
	default:
		return 20;
	}
	if (!(m->flags & MSG_FLAG_CAP))
		return 21;
	return 0;
}

int keel_main(const struct keel_start *s)
{
	cap_handle_t root = keel_start_cap(s, 0), give;
	struct kabi_inbox ib;
	struct keel_msg m = kabi_msg(KABI_HELLO, 0, 0, 0);
	uint64_t items = 0, pending;

	if (kabi_inbox_open(&ib, 64, 0, KABI_CHILD_INBOX_VA))
		return 11;
	if (sys_cap_derive(ib.cap, RIGHT_SEND | RIGHT_GRANT, 0, &give))
		return 12;
	if (sys_msg_send(root, &m, give, CAP_MOVE))
		return 13;
	for (;;) {
		bool waited = false;
		while (!waited && inbox_ring_pop(ib.ring, &m)) {
			struct keel_msg out;
			int rc = serve(&m, root, &items, &out);
			if (rc)
				return rc < 0 ? 0 : rc;
			if (!out.label)
				continue;
			status_t st;
			if (inbox_ring_pending(ib.ring) == 0) {
				/* Nothing else queued: answer and wait in one kernel entry. */
				if (m.label == KABI_PING_REGS)
					st = sys_msg_reply_wait_regs(
						m.cap, out.label | (uint64_t)out.len << 32, ib.mask,
						TIMEOUT_FOREVER, kabi_word(&out, 0),
						kabi_word(&out, 1), kabi_word(&out, 2),
						kabi_word(&out, 3), &pending);
				else
					st = sys_msg_reply_wait(m.cap, &out, CAP_HANDLE_NONE, 0,
								ib.mask, TIMEOUT_FOREVER, &pending);
				waited = true;
			} else {
				st = sys_msg_reply(m.cap, &out, CAP_HANDLE_NONE, 0);
			}
			if (st)
				return 100 + st;
		}
		if (!waited && sys_signal_wait(ib.mask, TIMEOUT_FOREVER, &pending))
			return 14;
	}
}
