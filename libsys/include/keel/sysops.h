/*
 * keel/sysops.h - the table of kernel operations that libsys's event loop
 * and channels call.
 *
 * The loop (keel/loop.h) and the channels (keel/channel.h) never issue a
 * system call directly: they call through a struct sysops that the caller
 * passes in. sysops_kernel calls the real sys_* stubs; a host test passes
 * its own table - a fake kernel with a fake clock, fake signals and an
 * inbox ring in test memory - and can make any call fail. Each function
 * takes the table's ctx first, so a fake keeps its state there and not in
 * globals.
 *
 * Every entry has the arguments, results and status codes of the system
 * call of the same name (docs/abi.md). Every entry must be set.
 */
#ifndef KEEL_SYSOPS_H
#define KEEL_SYSOPS_H

#include <stdint.h>

#include "abi/message.h"
#include "abi/rights.h"
#include "abi/status.h"
#include "syscall_numbers.h"	/* TIMEOUT_FOREVER, CAP_* modes */

struct sysops {
	void *ctx;	/* first argument of every call; NULL for sysops_kernel */
	status_t (*clock_read)(void *ctx, uint64_t *ns);
	status_t (*signal_wait)(void *ctx, uint64_t mask, uint64_t timeout,
				uint64_t *pending);
	status_t (*signal_raise)(void *ctx, cap_handle_t thread, uint64_t bits);
	status_t (*msg_send)(void *ctx, cap_handle_t inbox, const struct keel_msg *msg,
			     cap_handle_t cap, uint32_t mode);
	status_t (*msg_call)(void *ctx, cap_handle_t inbox, struct keel_msg *msg,
			     uint64_t timeout);
	status_t (*msg_reply)(void *ctx, cap_handle_t reply, const struct keel_msg *msg,
			      cap_handle_t cap, uint32_t mode);
	status_t (*msg_reply_wait)(void *ctx, cap_handle_t reply,
				   const struct keel_msg *msg, cap_handle_t cap,
				   uint32_t mode, uint64_t mask, uint64_t timeout,
				   uint64_t *pending);
	status_t (*cap_delete)(void *ctx, cap_handle_t cap);
	status_t (*irq_ack)(void *ctx, cap_handle_t irq);
};

/* The table that calls the kernel (libsys/sysops.c). Never used by host
 * tests: on the host its stubs would issue real SYSCALL instructions. */
extern const struct sysops sysops_kernel;

/* Shorthands that pass the table's ctx. */
static inline status_t sysops_clock_read(const struct sysops *o, uint64_t *ns)
{
	return o->clock_read(o->ctx, ns);
}

static inline status_t sysops_signal_wait(const struct sysops *o, uint64_t mask,
					  uint64_t timeout, uint64_t *pending)
{
	return o->signal_wait(o->ctx, mask, timeout, pending);
}

static inline status_t sysops_signal_raise(const struct sysops *o,
					   cap_handle_t thread, uint64_t bits)
{
	return o->signal_raise(o->ctx, thread, bits);
}

static inline status_t sysops_msg_send(const struct sysops *o, cap_handle_t inbox,
				       const struct keel_msg *msg, cap_handle_t cap,
				       uint32_t mode)
{
	return o->msg_send(o->ctx, inbox, msg, cap, mode);
}

static inline status_t sysops_msg_call(const struct sysops *o, cap_handle_t inbox,
				       struct keel_msg *msg, uint64_t timeout)
{
	return o->msg_call(o->ctx, inbox, msg, timeout);
}

static inline status_t sysops_msg_reply(const struct sysops *o, cap_handle_t reply,
					const struct keel_msg *msg, cap_handle_t cap,
					uint32_t mode)
{
	return o->msg_reply(o->ctx, reply, msg, cap, mode);
}

static inline status_t sysops_msg_reply_wait(const struct sysops *o, cap_handle_t reply,
					     const struct keel_msg *msg, cap_handle_t cap,
					     uint32_t mode, uint64_t mask, uint64_t timeout,
					     uint64_t *pending)
{
	return o->msg_reply_wait(o->ctx, reply, msg, cap, mode, mask, timeout, pending);
}

static inline status_t sysops_cap_delete(const struct sysops *o, cap_handle_t cap)
{
	return o->cap_delete(o->ctx, cap);
}

static inline status_t sysops_irq_ack(const struct sysops *o, cap_handle_t irq)
{
	return o->irq_ack(o->ctx, irq);
}

#endif
