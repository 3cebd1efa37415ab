/* msg.c - inbox, message and signal system calls. */
#include "core/ipc.h"
#include "core/klock.h"
#include "core/sys/syscall.h"

status_t ksys_inbox_create(struct syscall_ctx *ctx, uint32_t capacity, uint32_t bit,
			   cap_handle_t *inbox, cap_handle_t *ring)
{
	struct cspace *cs = &ctx->task->cs;
	struct inbox *k;
	struct memory *mem;
	status_t st = ipc_inbox_create(capacity, bit, &k, &mem);
	if (st)
		return st == STATUS_NO_MEMORY ? syscall_no_memory(ctx) : st;
	st = cspace_insert(cs, &k->obj, RIGHTS_ALL, 0, 0, inbox);
	if (st == STATUS_OK) {
		st = cspace_insert(cs, &mem->obj,
				   RIGHT_READ | RIGHT_WRITE | RIGHT_MAP | RIGHT_GRANT, 0, 0, ring);
		if (st)
			cspace_delete(cs, *inbox);
	}
	if (st)
		inbox_kill(k);
	kobj_put(&k->obj);
	kobj_put(&mem->obj);
	return st;
}

/* The capability attached to a message (cap) and its mode, checked only
 * when there is one. A grant-once capability cannot travel in the very
 * message its use sends (used, then handed on unused: two uses). */
static status_t attach_check(const struct cap_arg *used, const struct cap_arg *cap, uint32_t mode)
{
	if (!cap->present)
		return STATUS_OK;
	if (mode >= CAP_MODE_COUNT)
		return STATUS_INVALID;
	if (cap->handle == used->handle && (used->cap.flags & CAP_FLAG_ONCE))
		return STATUS_INVALID;
	return STATUS_OK;
}

status_t ksys_msg_send(struct syscall_ctx *ctx, const struct cap_arg *inbox, uaddr_t msg,
		       const struct cap_arg *cap, uint32_t mode)
{
	(void)ctx;
	status_t st = attach_check(inbox, cap, mode);
	return st ? st : ipc_send(&inbox->cap, inbox->handle, msg, cap->handle, mode);
}

status_t ksys_msg_send_regs(struct syscall_ctx *ctx, const struct cap_arg *inbox, uint64_t head,
			    uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3, uint64_t w4)
{
	(void)ctx;
	const uint64_t w[] = { w0, w1, w2, w3, w4 };
	if (head >> 32 > MSG_PAYLOAD_MAX) /* also any of bits 48-63 */
		return STATUS_INVALID;
	return ipc_send_regs(&inbox->cap, inbox->handle, head, w);
}

status_t ksys_msg_send_many(struct syscall_ctx *ctx, const struct cap_arg *inbox, uaddr_t msgs,
			    size_t len, size_t *sent)
{
	(void)ctx;
	/* A grant-once capability has one use, which sends one message. */
	if (len == 0 || len % MSG_SIZE || len / MSG_SIZE > MSG_SEND_MANY_MAX ||
	    (inbox->cap.flags & CAP_FLAG_ONCE))
		return STATUS_INVALID;
	return ipc_send_many(&inbox->cap, msgs, len / MSG_SIZE, sent);
}

status_t ksys_msg_call(struct syscall_ctx *ctx, const struct cap_arg *inbox, uaddr_t msg,
		       uint64_t timeout)
{
	(void)ctx;
	return ipc_call(&inbox->cap, inbox->handle, msg, timeout);
}

/* A reply handle whose call has ended (the caller timed out or is gone)
 * is consumed: the server's entry never outlives the call. RELOCK when
 * the locks for that are not held (core/klock.h). */
static status_t reply_ended(struct syscall_ctx *ctx, const struct cap_arg *reply)
{
	status_t st = ipc_reply_drop(&ctx->task->replies, reply->handle);
	return st == STATUS_RELOCK ? st : STATUS_OK;
}

status_t ksys_msg_reply(struct syscall_ctx *ctx, const struct cap_arg *reply, uaddr_t msg,
			const struct cap_arg *cap, uint32_t mode)
{
	if (reply->stale) {
		status_t st = reply_ended(ctx, reply);
		return st ? st : STATUS_STALE;
	}
	status_t st = attach_check(reply, cap, mode);
	return st ? st : ipc_reply(reply->reply, reply->handle, msg, cap->handle, mode);
}

status_t ksys_msg_reply_wait(struct syscall_ctx *ctx, const struct cap_arg *reply, uaddr_t msg,
			     const struct cap_arg *cap, uint32_t mode, uint64_t mask,
			     uint64_t timeout, uint64_t *pending)
{
	if (reply->stale) {
		/* Nobody waits for this reply: not an error; the wait happens. */
		status_t st = reply_ended(ctx, reply);
		return st ? st : ipc_signal_wait(mask, timeout, pending);
	}
	status_t st = attach_check(reply, cap, mode);
	return st ? st
		  : ipc_reply_wait(reply->reply, reply->handle, msg, cap->handle, mode, mask,
				   timeout, pending);
}

status_t ksys_signal_wait(struct syscall_ctx *ctx, uint64_t mask, uint64_t timeout,
			  uint64_t *pending)
{
	(void)ctx;
	return ipc_signal_wait(mask, timeout, pending);
}

status_t ksys_timer_set(struct syscall_ctx *ctx, uint32_t bit, uint64_t deadline)
{
	return ipc_timer_set(ctx->thread, bit, deadline);
}

status_t ksys_signal_raise(struct syscall_ctx *ctx, const struct cap_arg *thread, uint64_t bits)
{
	(void)ctx;
	if (!bits)
		return STATUS_INVALID;
	if (thread->cap.badge && (bits & ~thread->cap.badge))
		return STATUS_NO_RIGHTS;
	/* A grant-once capability's use changes the caller's CSpace. */
	if (thread->cap.flags & CAP_FLAG_ONCE) {
		status_t st = klock_need_all();
		if (st)
			return st;
	}
	return ipc_signal_raise_checked((struct thread *)thread->cap.obj, bits);
}

status_t ksys_msg_call_regs(struct syscall_ctx *ctx, const struct cap_arg *inbox, uint64_t head,
			    uint64_t timeout, uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3,
			    uint64_t w4, uint64_t *rhead, cap_handle_t *rcap, uint64_t *r0,
			    uint64_t *r1, uint64_t *r2, uint64_t *r3, uint64_t *r4)
{
	(void)ctx;
	const uint64_t w[] = { w0, w1, w2, w3, w4 };
	const struct keel_msg *rp;
	struct keel_msg m;
	uint64_t rw[MSG_PAYLOAD_MAX / 8];
	status_t st = ipc_msg_from_regs(head, MSG_CALL_REGS_MAX, w, &m);
	if (st == STATUS_OK)
		st = ipc_call_regs(&inbox->cap, inbox->handle, &m, timeout, &rp);
	if (st)
		return st;
	memcpy(rw, rp->payload, sizeof rw);
	*rhead = rp->label | (uint64_t)rp->len << 32 | (uint64_t)rp->flags << 48;
	*rcap = rp->cap;
	*r0 = rw[0];
	*r1 = rw[1];
	*r2 = rw[2];
	*r3 = rw[3];
	*r4 = rw[4];
	return STATUS_OK;
}

status_t ksys_msg_reply_wait_regs(struct syscall_ctx *ctx, const struct cap_arg *reply,
				  uint64_t head, uint64_t mask, uint64_t timeout, uint64_t w0,
				  uint64_t w1, uint64_t w2, uint64_t w3, uint64_t *pending)
{
	const uint64_t w[] = { w0, w1, w2, w3 };
	struct keel_msg m;
	/* Checked before the stale case, so a bad head never waits. */
	status_t st = ipc_msg_from_regs(head, MSG_REPLY_REGS_MAX, w, &m);
	if (st)
		return st;
	if (reply->stale) {
		st = reply_ended(ctx, reply);
		return st ? st : ipc_signal_wait(mask, timeout, pending);
	}
	return ipc_reply_wait_regs(reply->reply, reply->handle, &m, mask, timeout, pending);
}
