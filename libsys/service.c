/* service.c - the hello and heartbeat every service sends its supervisor
 * (see keel/service.h). */
#include "keel/service.h"
#include "keel/spawn.h"
#include "keel/sys.h"

#define MS 1000000ull

status_t service_hello(const struct keel_start *start, cap_handle_t inbox)
{
	cap_handle_t give;
	status_t st = sys_cap_derive(inbox, RIGHT_SEND | RIGHT_GRANT, 0, &give);
	if (st == STATUS_OK) {
		struct keel_msg hello = { .label = SERVICE_HELLO };
		st = sys_msg_send(start->supervisor, &hello, give, CAP_MOVE);
		if (st)
			sys_cap_delete(give);
	}
	return st;
}

static void beat(struct loop *loop, uint64_t now, void *ctx)
{
	const struct keel_start *start = ctx;
	struct keel_msg m = { .label = SERVICE_HEARTBEAT };
	(void)now;
	sysops_msg_send(loop->ops, start->supervisor, &m, CAP_HANDLE_NONE, 0);
}

/* SERVICE_STOP from the supervisor's unbadged capability: the loop ends
 * and the service exits 0. Anyone else's is refused. */
static status_t on_stop(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			void *ctx)
{
	(void)reply, (void)ctx;
	if (m->badge != 0)
		return STATUS_NO_RIGHTS;
	loop_stop(loop);
	return STATUS_OK;
}

status_t service_heartbeat_start(struct loop *loop, const struct keel_start *start)
{
	uint64_t ms = keel_start_arg(start);
	status_t st = loop_on_msg(loop, SERVICE_STOP, on_stop, NULL);
	if (st && st != STATUS_EXISTS)
		return st;
	if (!ms)
		return STATUS_OK;
	return loop_set_heartbeat(loop, ms * MS, beat, (void *)start);
}
