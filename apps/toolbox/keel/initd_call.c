/* initd_call.c - one call to initd's status protocol (initd_call.h). */
#include <string.h>

#include "keel/loop.h"
#include "initd_call.h"

status_t initd_call(cap_handle_t cap, struct keel_msg *m, uint64_t timeout, uint32_t want,
		    void *out, size_t size)
{
	uint32_t label;
	status_t why, st = sys_msg_call(cap, m, timeout);
	if (st)
		return st;
	if (loop_error_parse(m, &why, &label) == STATUS_OK)
		return why;
	if (m->label != want || m->len < size)
		return STATUS_BAD_FORMAT;
	memcpy(out, m->payload, size);
	return STATUS_OK;
}
