/*
 * tasks.c - INITD_TASKS: every task initd keeps, for `ps` (protocol.h).
 *
 * initd is the one task that holds a capability to every service and
 * every launched program, so it is the one that can describe them all:
 * index 0 is initd itself, then the services that run (boot-list order),
 * then the programs (running, or ended and not waited for; launch-table
 * order). The kernel's figures come from sys_task_info; the names, the
 * parent and the flags from initd's own tables. Any sender may ask, as
 * for INITD_STATUS: it shows nothing a program could use against another.
 */
#include <string.h>

#include "keel/sys.h"
#include "launch.h"
#include "services.h"

uint64_t initd_task_id(cap_handle_t task)
{
	struct task_info ti;
	return sys_task_info(task, &ti, sizeof ti) == STATUS_OK ? ti.id : 0;
}

void initd_task_describe(cap_handle_t task, struct initd_task *out)
{
	struct task_info ti;
	if (sys_task_info(task, &ti, sizeof ti) != STATUS_OK)
		return; /* ended meanwhile: its end is on its way to initd */
	out->id = (uint32_t)ti.id;
	out->pages = ti.pages > UINT32_MAX ? UINT32_MAX : (uint32_t)ti.pages;
	out->run_ms = ti.run_ns / 1000000 > UINT32_MAX ? UINT32_MAX
						       : (uint32_t)(ti.run_ns / 1000000);
	out->started_s = (uint32_t)(ti.created_ns / 1000000000);
	out->threads = ti.threads > UINT16_MAX ? UINT16_MAX : (uint16_t)ti.threads;
}

/* name, cut to 15 bytes, as out's name and as the command line. */
static void name_of(const char *name, struct initd_task *out, char args[INITD_TASK_ARGS_MAX])
{
	size_t n = strlen(name);
	memcpy(out->name, name, n < sizeof out->name ? n : sizeof out->name - 1);
	memcpy(args, out->name, sizeof out->name);
}

/* Task number i of initd's tables (0: initd): out (the kernel's figures
 * only with figures: INITD_TASK_ARGS needs none) and its command line;
 * false past the last. */
static bool task_at(struct initd *d, uint32_t i, bool figures, struct initd_task *out,
		    char args[INITD_TASK_ARGS_MAX])
{
	cap_handle_t task = CAP_HANDLE_NONE;
	bool found = true;
	memset(out, 0, sizeof *out);
	memset(args, 0, INITD_TASK_ARGS_MAX);
	if (i == 0) {
		name_of("initd", out, args);
		out->kind = INITD_TASK_INITD;
		out->id = d->self_id;
		task = d->start->self_task;
	} else {
		uint32_t s = 0, seen = 0; /* the services that run, then the programs */
		for (i--; s < d->count; s++)
			if (d->svc[s].running && seen++ == i)
				break;
		if (s < d->count) {
			name_of(d->svc[s].m.name, out, args);
			out->kind = INITD_TASK_SERVICE;
			out->id = (uint32_t)d->svc[s].task_id;
			out->parent = d->self_id;
			task = d->svc[s].child.task;
		} else {
			found = d->launch &&
				launch_task_at(d->launch, i - seen, d->self_id, out, args, &task);
		}
	}
	if (found && figures && task != CAP_HANDLE_NONE)
		initd_task_describe(task, out);
	return found;
}

/* INITD_TASKS and INITD_TASK_ARGS: the record, or the command line. */
static status_t on_tasks(struct loop *loop, const struct keel_msg *m, struct loop_reply *r,
			 void *ctx)
{
	struct initd *d = ctx;
	uint32_t index = 0;
	struct initd_task out;
	struct initd_task_args args;
	bool want_args = m->label == INITD_TASK_ARGS;
	(void)loop;
	if ((m->flags & MSG_FLAG_CAP) && !loop_msg_is_call(m))
		sys_cap_delete(m->cap); /* a request carries none */
	if (m->len < sizeof index)
		return STATUS_BAD_FORMAT;
	memcpy(&index, m->payload, sizeof index);
	memset(&r->msg, 0, sizeof r->msg);
	if (!task_at(d, index, !want_args, &out, args.text))
		return STATUS_NOT_FOUND; /* the loop answers LOOP_REPLY_ERROR */
	args.id = out.id;
	r->msg.label = want_args ? INITD_TASK_ARGS_REPLY : INITD_TASKS_REPLY;
	r->msg.len = want_args ? sizeof args : sizeof out;
	memcpy(r->msg.payload, want_args ? (const void *)&args : &out, r->msg.len);
	return STATUS_OK;
}

status_t tasks_register(struct initd *d)
{
	d->self_id = (uint32_t)initd_task_id(d->start->self_task);
	status_t st = loop_on_msg(&d->loop, INITD_TASKS, on_tasks, d);
	return st ? st : loop_on_msg(&d->loop, INITD_TASK_ARGS, on_tasks, d);
}
