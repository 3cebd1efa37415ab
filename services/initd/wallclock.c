/* wallclock.c - the wall clock from topod for the tasks initd starts (wallclock.h). */
#include <string.h>

#include "keel/sys.h"
#include "topod/protocol.h"
#include "wallclock.h"

#define CLOCK_CALL_NS 1000000000ull

/* Asks topod (its inbox, badge 0) for the wall-clock offset. */
static status_t ask(cap_handle_t topo, int64_t *offset)
{
	struct keel_msg m = { .label = TOPO_CLOCK };
	status_t st = sys_msg_call(topo, &m, CLOCK_CALL_NS);
	if (st == STATUS_OK && m.label != TOPO_CLOCK &&
	    loop_error_parse(&m, &st, &(uint32_t){ 0 }) != STATUS_OK)
		st = STATUS_BAD_FORMAT;
	if (st == STATUS_OK && m.len < 8)
		st = STATUS_BAD_FORMAT;
	if (st == STATUS_OK)
		memcpy(offset, m.payload, sizeof *offset);
	if (st == STATUS_OK && *offset == 0)
		st = STATUS_BAD_FORMAT; /* 0 would read as "unknown" */
	return st;
}

void wallclock_fetch(struct initd *d, struct service *s)
{
	int64_t offset = 0;
	if (!s->m.device_roots || !s->inbox || d->spawner.wall_offset_ns)
		return;
	status_t st = ask(s->inbox, &offset);
	if (st) {
		if (s->hellos <= 1)
			keel_print(d->start->witness, "initd: no wall clock from %s: %s\n",
				   s->m.name, status_name(st));
		return;
	}
	d->spawner.wall_offset_ns = offset;
}
