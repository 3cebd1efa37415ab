/* cap.c - capability system calls: derive, delete, revoke, info. */
#include "core/sys/syscall.h"
#include "core/object/witness_log.h"

status_t ksys_cap_derive(const struct syscall_args *a, struct syscall_ret *r)
{
	struct syscall_ctx *c = syscall_ctx();
	cap_handle_t h;
	status_t st = cspace_derive(&c->task->cs, (cap_handle_t)a->a[0], &c->task->cs,
				    (uint32_t)a->a[1], a->a[2], &h);
	if (st == STATUS_OK) {
		r->r[0] = h;
		witness_note(WITNESS_DERIVE, c->task->id, c->task->id, c->cap[0].type, a->a[1]);
	}
	return st;
}

status_t ksys_cap_delete(const struct syscall_args *a, struct syscall_ret *r)
{
	(void)r;
	return cspace_delete(&syscall_ctx()->task->cs, (cap_handle_t)a->a[0]);
}

status_t ksys_cap_revoke(const struct syscall_args *a, struct syscall_ret *r)
{
	(void)r;
	struct syscall_ctx *c = syscall_ctx();
	status_t st = cspace_revoke(&c->task->cs, (cap_handle_t)a->a[0]);
	if (st == STATUS_OK)
		witness_note(WITNESS_REVOKE, c->task->id, c->task->id, c->cap[0].type, 0);
	return st;
}

status_t ksys_cap_info(const struct syscall_args *a, struct syscall_ret *r)
{
	(void)a;
	const struct cap *cap = &syscall_ctx()->cap[0];
	r->r[0] = cap->type | (uint64_t)cap->rights << 32;
	r->r[1] = cap->badge;
	return STATUS_OK;
}
