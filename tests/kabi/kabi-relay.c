/*
 * kabi-relay.c - relay A or B of the revoke test (cmdline "a" or "b").
 *
 * caps[0]: a send cap to the root's control inbox (badged per relay);
 * caps[1]: relay A only, a send cap (with grant) to the root's target inbox.
 * It creates its inbox and sends KABI_HELLO with a send cap to it on the
 * control inbox, then serves its inbox:
 *   KABI_PEER (cap: B's inbox)  A derives a copy of its target cap and
 *                               sends it to B in KABI_GIFT with CAP_COPY;
 *                               reports both statuses (KABI_REPORT)
 *   KABI_GIFT (cap)             B keeps it as its target cap; reports 1
 *   KABI_TRY                    sends KABI_TARGET (word 0: 0 for A, 1 for B)
 *                               to the target cap; reports the status in
 *                               KABI_TRIED
 *   KABI_QUIT                   exit 0
 */
#include "kabi.h"

struct relay {
	cap_handle_t ctl, target;
	uint64_t role;
};

static status_t report(struct relay *x, uint32_t label, uint64_t w0, uint64_t w1)
{
	struct keel_msg m = kabi_msg(label, w0, w1, 0);

	return sys_msg_send(x->ctl, &m, CAP_HANDLE_NONE, 0);
}

/* Handles one message; returns 0 to go on, -1 to quit, else an exit code. */
static int serve(struct relay *x, const struct keel_msg *m)
{
	struct keel_msg out;
	cap_handle_t copy = 0;
	status_t st, st2 = STATUS_INVALID;

	switch (m->label) {
	case KABI_PEER:
		st = sys_cap_derive(x->target, RIGHT_SEND | RIGHT_GRANT, 0, &copy);
		if (st == STATUS_OK && (m->flags & MSG_FLAG_CAP)) {
			out = kabi_msg(KABI_GIFT, 0, 0, 0);
			st2 = sys_msg_send(m->cap, &out, copy, CAP_COPY);
		}
		return report(x, KABI_REPORT, st, st2) ? 20 : 0;
	case KABI_GIFT:
		if (m->flags & MSG_FLAG_CAP)
			x->target = m->cap;
		return report(x, KABI_REPORT, (m->flags & MSG_FLAG_CAP) ? 1 : 0, 0) ? 21 : 0;
	case KABI_TRY:
		out = kabi_msg(KABI_TARGET, x->role, 0, 0);
		st = sys_msg_send(x->target, &out, CAP_HANDLE_NONE, 0);
		return report(x, KABI_TRIED, st, 0) ? 22 : 0;
	case KABI_QUIT:
		return -1;
	default:
		return 23;
	}
}

int keel_main(const struct keel_start *s)
{
	struct relay x = {
		.ctl = keel_start_cap(s, 0),
		.target = keel_start_cap(s, 1),
		.role = s->cmdline[0] == 'b',
	};
	struct kabi_inbox ib;
	struct keel_msg m = kabi_msg(KABI_HELLO, 0, 0, 0);
	cap_handle_t give;

	if (kabi_inbox_open(&ib, 16, 0, KABI_CHILD_INBOX_VA))
		return 11;
	if (sys_cap_derive(ib.cap, RIGHT_SEND | RIGHT_GRANT, 0, &give))
		return 12;
	if (sys_msg_send(x.ctl, &m, give, CAP_MOVE))
		return 13;
	for (;;) {
		int rc;
		if (kabi_recv(&ib, &m, TIMEOUT_FOREVER))
			return 14;
		rc = serve(&x, &m);
		if (rc)
			return rc < 0 ? 0 : rc;
	}
}
