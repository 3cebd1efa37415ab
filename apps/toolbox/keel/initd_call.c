/* initd_call.c - one call to initd's status protocol (initd_call.h). */
#include <string.h>

#include "initd/protocol.h"
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

uint32_t initd_tasks(cap_handle_t cap, struct initd_task *out, char (*args)[INITD_TASK_ARGS_MAX],
		     uint32_t max, status_t *st)
{
	uint32_t n = 0;
	*st = STATUS_OK;
	for (uint32_t i = 0; i < max; i++) {
		struct keel_msg m = { .label = INITD_TASKS, .len = 4 };
		memcpy(m.payload, &i, 4);
		status_t s = initd_call(cap, &m, 5000000000ull, INITD_TASKS_REPLY, &out[n],
					sizeof out[n]);
		if (s == STATUS_NOT_FOUND)
			break;
		if (s) {
			*st = s;
			break;
		}
		if (args) {
			struct keel_msg a = { .label = INITD_TASK_ARGS, .len = 4 };
			struct initd_task_args ta;
			memcpy(a.payload, &i, 4);
			/* The same task, unless one came or went between the calls. */
			bool same = initd_call(cap, &a, 5000000000ull, INITD_TASK_ARGS_REPLY, &ta,
					       sizeof ta) == STATUS_OK &&
				    ta.id == out[n].id;
			memcpy(args[n], ta.text, INITD_TASK_ARGS_MAX);
			args[n][same ? INITD_TASK_ARGS_MAX - 1 : 0] = 0;
		}
		n++;
	}
	return n;
}
