/*
 * sysops.c - sysops_kernel, the table of kernel operations that issues the
 * real system calls (keel/sysops.h).
 *
 * Each entry drops the table's ctx and calls the generated stub. The
 * stubs compile on an x86-64 host too, so host tests may link this file;
 * they must never call through sysops_kernel.
 */
#include "keel/sys.h"
#include "keel/sysops.h"

static status_t k_clock_read(void *ctx, uint64_t *ns)
{
	(void)ctx;
	return sys_clock_read(ns);
}

static status_t k_signal_wait(void *ctx, uint64_t mask, uint64_t timeout,
			      uint64_t *pending)
{
	(void)ctx;
	return sys_signal_wait(mask, timeout, pending);
}

static status_t k_signal_raise(void *ctx, cap_handle_t thread, uint64_t bits)
{
	(void)ctx;
	return sys_signal_raise(thread, bits);
}

static status_t k_msg_send(void *ctx, cap_handle_t inbox, const struct keel_msg *msg,
			   cap_handle_t cap, uint32_t mode)
{
	(void)ctx;
	return sys_msg_send(inbox, msg, cap, mode);
}

static status_t k_msg_call(void *ctx, cap_handle_t inbox, struct keel_msg *msg,
			   uint64_t timeout)
{
	(void)ctx;
	return sys_msg_call(inbox, msg, timeout);
}

static status_t k_msg_reply(void *ctx, cap_handle_t reply, const struct keel_msg *msg,
			    cap_handle_t cap, uint32_t mode)
{
	(void)ctx;
	return sys_msg_reply(reply, msg, cap, mode);
}

static status_t k_msg_reply_wait(void *ctx, cap_handle_t reply,
				 const struct keel_msg *msg, cap_handle_t cap,
				 uint32_t mode, uint64_t mask, uint64_t timeout,
				 uint64_t *pending)
{
	(void)ctx;
	return sys_msg_reply_wait(reply, msg, cap, mode, mask, timeout, pending);
}

static status_t k_cap_delete(void *ctx, cap_handle_t cap)
{
	(void)ctx;
	return sys_cap_delete(cap);
}

static status_t k_irq_ack(void *ctx, cap_handle_t irq)
{
	(void)ctx;
	return sys_irq_ack(irq);
}

const struct sysops sysops_kernel = {
	.ctx = NULL,
	.clock_read = k_clock_read,
	.signal_wait = k_signal_wait,
	.signal_raise = k_signal_raise,
	.msg_send = k_msg_send,
	.msg_call = k_msg_call,
	.msg_reply = k_msg_reply,
	.msg_reply_wait = k_msg_reply_wait,
	.cap_delete = k_cap_delete,
	.irq_ack = k_irq_ack,
};
