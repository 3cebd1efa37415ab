/* syscall.c - the system-call dispatcher (see syscall.h). */
#include "core/ipc.h"
#include "core/klock.h"
#include "core/panic.h"
#include "core/sys/syscall.h"

static uint64_t served;

/* Per call, the argument registers that must fit in 32 bits: bit i for
 * argument i. Derived once from the generated table's kinds. */
static struct {
	uint8_t u32, handle;
} arg_masks[SYS_COUNT];

/* Whether the table declares call nr's capability i as the direct path
 * below checks it: argument arg, exactly type, rights, optional or not. */
static bool cap_declared(unsigned nr, int i, int arg, enum obj_type type, uint32_t rights,
			 bool optional)
{
	const struct syscall_cap *c = &syscall_table[nr].cap[i];
	return syscall_table[nr].ncaps > i && c->arg == arg && c->rights == rights &&
	       c->optional == optional && (type == OBJ_NONE ? c->types == 0 : c->types == SYSCALL_OBJ(type));
}

void syscall_init(void)
{
	if (!cap_declared(SYS_MSG_CALL, 0, 0, OBJ_INBOX, RIGHT_SEND, false) ||
	    syscall_table[SYS_MSG_CALL].ncaps != 1 ||
	    !cap_declared(SYS_MSG_REPLY_WAIT, 0, 0, OBJ_REPLY, RIGHT_SEND, false) ||
	    !cap_declared(SYS_MSG_REPLY_WAIT, 1, 2, OBJ_NONE, RIGHT_GRANT, true) ||
	    syscall_table[SYS_MSG_REPLY_WAIT].kind[3] != SYSARG_U32)
		panic("syscall: sys_msg_call or sys_msg_reply_wait changed in syscalls.def; "
		      "update invoke_direct in kernel/core/syscall.c");
	for (unsigned nr = 0; nr < SYS_COUNT; nr++)
		for (int i = 0; i < syscall_table[nr].nargs; i++) {
			if (syscall_table[nr].kind[i] == SYSARG_U32)
				arg_masks[nr].u32 |= 1u << i;
			if (syscall_table[nr].kind[i] == SYSARG_HANDLE)
				arg_masks[nr].handle |= 1u << i;
		}
}

struct syscall_ctx *syscall_ctx(void)
{
	return thread_current()->sys_ctx;
}

uint64_t syscall_count(void)
{
	return served;
}

/* Rejects argument registers whose value cannot be of their declared kind:
 * a u32 with high bits is INVALID, a handle with high bits BAD_CAP. */
static status_t check_args(uint64_t nr, const struct syscall_args *a)
{
	unsigned high = 0;
	if (((a->a[0] | a->a[1] | a->a[2] | a->a[3] | a->a[4] | a->a[5]) >> 32) == 0)
		return STATUS_OK; /* the usual case: nothing can be out of range */
	for (int i = 0; i < SYSCALL_MAX_ARGS; i++)
		high |= (unsigned)((a->a[i] >> 32) != 0) << i;
	if (high & arg_masks[nr].u32)
		return STATUS_INVALID;
	if (high & arg_masks[nr].handle)
		return STATUS_BAD_CAP;
	return STATUS_OK;
}

/* Looks up every capability argument with the type and rights it needs. */
static status_t check_caps(const struct syscall_entry *e, const struct syscall_args *a,
			   struct syscall_ctx *ctx)
{
	for (int i = 0; i < e->ncaps; i++) {
		const struct syscall_cap *sc = &e->cap[i];
		cap_handle_t h = (cap_handle_t)a->a[sc->arg];
		if (sc->optional && h == CAP_HANDLE_NONE)
			continue;
		status_t st = cspace_lookup(&ctx->task->cs, h, OBJ_NONE, sc->rights, &ctx->cap[i]);
		if (st == STATUS_OK && sc->types && !(sc->types & SYSCALL_OBJ(ctx->cap[i].type)))
			st = STATUS_BAD_CAP;
		/* A missing right on the wrong type is reported as the wrong type. */
		if (st == STATUS_NO_RIGHTS && sc->types &&
		    cspace_lookup(&ctx->task->cs, h, OBJ_NONE, 0, &ctx->cap[i]) == STATUS_OK &&
		    !(sc->types & SYSCALL_OBJ(ctx->cap[i].type)))
			st = STATUS_BAD_CAP;
		if (st)
			return st;
		ctx->cap_present[i] = true;
	}
	return STATUS_OK;
}

/*
 * The two calls of every client/server round trip, in their usual form,
 * skip the table walk: the checks the table declares for them (verified
 * against it at boot by syscall_init) are written out here. Anything
 * unusual - a handle or u32 with high bits, a failed lookup, a capability
 * to transfer - returns false having done nothing, and the table-driven
 * path runs and reports it.
 */
static bool invoke_direct(uint64_t nr, const struct syscall_args *a, struct syscall_ret *r,
			  struct syscall_ctx *ctx, status_t *st)
{
	struct cslot *s;
	struct cap *c = &ctx->cap[0];
	if (nr == SYS_MSG_CALL) {
		if ((a->a[0] >> 32) ||
		    cspace_check_slot(&ctx->task->cs, (cap_handle_t)a->a[0], OBJ_INBOX, RIGHT_SEND, &s))
			return false;
	} else if (nr == SYS_MSG_REPLY_WAIT) {
		if ((a->a[0] >> 32) || a->a[2] != CAP_HANDLE_NONE || (a->a[3] >> 32) ||
		    cspace_check_slot(&ctx->task->cs, (cap_handle_t)a->a[0], OBJ_REPLY, RIGHT_SEND, &s))
			return false;
	} else {
		return false;
	}
	*c = (struct cap){ .obj = s->obj, .badge = s->badge, .type = s->type,
			   .rights = s->rights, .flags = s->flags };
	ctx->cap_present[0] = true;
	if (nr == SYS_MSG_CALL) {
		*st = ipc_call(c, (cap_handle_t)a->a[0], a->a[1], a->a[2]);
	} else {
		uint64_t pending;
		*st = ipc_reply_wait(c, (cap_handle_t)a->a[0], a->a[1], CAP_HANDLE_NONE, 0,
				     a->a[4], a->a[5], &pending);
		if (*st == STATUS_OK)
			r->r[0] = pending;
	}
	return true;
}

status_t syscall_invoke(uint64_t nr, const struct syscall_args *a, struct syscall_ret *r)
{
	struct syscall_ctx ctx;
	ctx.cap_present[0] = ctx.cap_present[1] = false;
	/* The SYSCALL entry masks interrupts (FMASK), so only the lock is needed. */
	spin_lock(&kernel_lock);
	struct thread *t = thread_current();
	status_t st = STATUS_NO_SYSCALL;
	served++;
	ctx.thread = t;
	ctx.task = t->task;
	t->sys_ctx = &ctx;
	if (!invoke_direct(nr, a, r, &ctx, &st) && nr < SYS_COUNT && syscall_table[nr].handler) {
		const struct syscall_entry *e = &syscall_table[nr];
		st = check_args(nr, a);
		if (st == STATUS_OK)
			st = check_caps(e, a, &ctx);
		if (st == STATUS_OK)
			st = e->handler(a, r);
		/* A stale capability can still be deleted (abi: sys_cap_delete). */
		if (st == STATUS_STALE && nr == SYS_CAP_DELETE)
			cspace_delete(&t->task->cs, (cap_handle_t)a->a[0]);
	}
	t->sys_ctx = NULL;
	thread_user_return_check();
	spin_unlock(&kernel_lock);
	return st;
}
