/* syscall.c - the system-call dispatcher (see syscall.h). */
#include "core/klock.h"
#include "core/syscall.h"

static uint64_t served;

/* Per call, the argument registers that must fit in 32 bits: bit i for
 * argument i. Derived once from the generated table's kinds. */
static struct {
	uint8_t u32, handle;
} arg_masks[SYS_COUNT];

void syscall_init(void)
{
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
	if (nr < SYS_COUNT && syscall_table[nr].handler) {
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
