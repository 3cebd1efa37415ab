/*
 * syscall.h - running system calls.
 *
 * syscall_invoke takes the kernel lock and runs the generated dispatcher
 * (build/gen/syscall_dispatch.c, from kernel/abi/syscalls.def), which
 * rejects malformed arguments, looks up every capability argument with
 * syscall_cap below and calls the call's typed handler
 * (build/gen/syscall_handlers.h; one file per noun in this folder). On
 * the way out a killed thread exits.
 */
#ifndef KEEL_CORE_SYSCALL_H
#define KEEL_CORE_SYSCALL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/ipc.h"
#include "core/object/cspace.h"
#include "core/object/task.h"
#include "core/object/thread.h"
#include "syscall_handlers.h"

/* The caller of the call in progress. */
struct syscall_ctx {
	struct thread *thread;
	struct task *task;
};

/* A capability argument, as the dispatcher found it. */
struct cap_arg {
	cap_handle_t handle;       /* what the caller passed */
	bool present;              /* false: optional and CAP_HANDLE_NONE */
	bool stale;                /* stale-ok arguments: the object died or was revoked */
	struct cap cap;            /* valid while present */
	struct reply_entry *reply; /* a reply handle's entry; NULL for a slot */
};

/* Bit for an object type in syscall_cap's types. */
#define SYSCALL_OBJ(t) (1u << (t))

/* syscall_cap flags, from the cap line's words. */
#define SYSCALL_CAP_OPTIONAL 1u /* CAP_HANDLE_NONE is accepted */
#define SYSCALL_CAP_STALE_OK 2u /* a stale capability is passed on, marked */

/*
 * syscall_cap for a handle in the reply namespace (core/object/replies.h):
 * a held entry of the caller's table of unanswered calls is a grant-once
 * capability of type OBJ_REPLY with RIGHT_SEND, badge 0 and no object
 * (cap.obj is NULL; no handler that can receive one reads it), stale once
 * its call has ended. The same checks, in the same order.
 */
static inline status_t syscall_reply_cap(struct syscall_ctx *ctx, uint64_t h, uint32_t types,
					 uint32_t rights, unsigned flags, struct cap_arg *out)
{
	struct reply_entry *e = replies_find(&ctx->task->replies, h);
	if (!e)
		return STATUS_BAD_CAP;
	if (!e->caller) {
		if (!(flags & SYSCALL_CAP_STALE_OK))
			return STATUS_STALE;
		out->stale = true;
	}
	if (types && !(types & SYSCALL_OBJ(OBJ_REPLY)))
		return STATUS_BAD_CAP;
	if (rights & ~(uint32_t)RIGHT_SEND)
		return STATUS_NO_RIGHTS;
	out->cap = (struct cap){ .obj = NULL,
				 .badge = 0,
				 .type = OBJ_REPLY,
				 .rights = RIGHT_SEND,
				 .flags = CAP_FLAG_ONCE };
	out->reply = e;
	out->present = true;
	return STATUS_OK;
}

/*
 * Looks up handle h of the caller as a capability argument: no capability
 * is STATUS_BAD_CAP, a dead or revoked object STATUS_STALE (unless
 * SYSCALL_CAP_STALE_OK), a type outside types (0: any) STATUS_BAD_CAP, a
 * missing right STATUS_NO_RIGHTS - checked in that order. Inline: every
 * call makes it once per capability argument.
 */
static inline status_t syscall_cap(struct syscall_ctx *ctx, uint64_t h, uint32_t types,
				   uint32_t rights, unsigned flags, struct cap_arg *out)
{
	struct cslot *s;
	out->handle = (cap_handle_t)h;
	out->present = out->stale = false;
	out->reply = NULL;
	if ((flags & SYSCALL_CAP_OPTIONAL) && h == CAP_HANDLE_NONE)
		return STATUS_OK;
	if (reply_handle(h))
		return syscall_reply_cap(ctx, h, types, rights, flags, out);
	s = cspace_slot(&ctx->task->cs, (cap_handle_t)h);
	if (!s)
		return STATUS_BAD_CAP;
	if (s->obj->dead || s->obj_gen != s->obj->gen) {
		if (!(flags & SYSCALL_CAP_STALE_OK))
			return STATUS_STALE;
		out->stale = true;
	}
	if (types && !(types & SYSCALL_OBJ(s->type)))
		return STATUS_BAD_CAP;
	if (rights & ~(uint32_t)s->rights)
		return STATUS_NO_RIGHTS;
	out->cap = (struct cap){ .obj = s->obj,
				 .badge = s->badge,
				 .type = s->type,
				 .rights = s->rights,
				 .flags = s->flags };
	out->present = true;
	return STATUS_OK;
}

/*
 * After a call succeeded: a grant-once capability it named (cap lines
 * without `inspect`) has been used, and goes (docs/kernel-abi.md, "Grant-
 * once capabilities"). One the handler consumed already, or moved away,
 * is gone from its slot, and its handle names nothing any more.
 */
static inline void syscall_cap_used(struct syscall_ctx *ctx, const struct cap_arg *c)
{
	if (!c->present || !(c->cap.flags & CAP_FLAG_ONCE))
		return;
	if (reply_handle(c->handle))
		ipc_reply_drop(&ctx->task->replies, c->handle);
	else
		cspace_consume_once(&ctx->task->cs, c->handle);
}

/* Runs call nr for the current user thread; returns the status for rax.
 * Called with interrupts off, as the SYSCALL entry leaves them. A call
 * that returns STATUS_RELOCK has changed nothing and must be run again,
 * with the same arguments (the architecture re-executes the system-call
 * instruction): it then starts holding the locks it asked for. */
status_t syscall_invoke(uint64_t nr, const struct syscall_args *a, struct syscall_ret *r);

/* What a creation (task, thread, memory, inbox) that found no memory
 * returns: STATUS_RELOCK to run again, once memory on its way back may
 * have come (it waits for it, every lock held), or STATUS_NO_MEMORY
 * (syscall.c). */
status_t syscall_no_memory(struct syscall_ctx *ctx);

#endif
