/* cap.c - capability system calls: derive, delete, revoke, info. */
#include "core/object/witness_log.h"
#include "core/sys/syscall.h"

status_t ksys_cap_derive(struct syscall_ctx *ctx, const struct cap_arg *cap, uint32_t rights,
			 uint64_t badge, cap_handle_t *copy)
{
	status_t st = cspace_derive(&ctx->task->cs, cap->handle, &ctx->task->cs, rights, badge,
				    copy);
	if (st == STATUS_OK)
		witness_note(WITNESS_DERIVE, ctx->task->id, ctx->task->id, cap->cap.type, rights);
	return st;
}

status_t ksys_cap_delete(struct syscall_ctx *ctx, const struct cap_arg *cap)
{
	/* A stale capability is deleted all the same (stale-ok in syscalls.def);
	 * so is a reply handle, whose waiting caller fails with DEAD. */
	if (reply_handle(cap->handle))
		return ipc_reply_drop(&ctx->task->replies, cap->handle);
	status_t st = cspace_delete(&ctx->task->cs, cap->handle);
	return st ? st : cap->stale ? STATUS_STALE : STATUS_OK;
}

status_t ksys_cap_revoke(struct syscall_ctx *ctx, const struct cap_arg *cap)
{
	/* Nothing is ever derived from a reply handle: nothing to delete. */
	status_t st = reply_handle(cap->handle) ? STATUS_OK
						: cspace_revoke(&ctx->task->cs, cap->handle);
	if (st == STATUS_OK)
		witness_note(WITNESS_REVOKE, ctx->task->id, ctx->task->id, cap->cap.type, 0);
	return st;
}

status_t ksys_cap_info(struct syscall_ctx *ctx, const struct cap_arg *cap, uint64_t *info,
		       uint64_t *badge)
{
	(void)ctx;
	*info = cap->cap.type | (uint64_t)cap->cap.rights << 32;
	*badge = cap->cap.badge;
	return STATUS_OK;
}
