/*
 * keel/sys.h - what every Keel program includes: the system calls, the
 * ABI types they use, the program entry point and console output.
 *
 * The sys_* calls themselves are the static inline stubs generated from
 * kernel/abi/syscalls.def (build/gen/syscall_stubs.h); build/gen/abi.md
 * documents each of them. libsys adds what is declared below.
 */
#ifndef KEEL_SYS_H
#define KEEL_SYS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "abi/message.h"
#include "abi/rights.h"
#include "abi/start.h"
#include "abi/status.h"
#include "abi/supervise.h"
#include "syscall_stubs.h"

#define KEEL_PAGE_SIZE 4096u

/*
 * A Keel program starts in the C library (crt1, sysroot/keel/start.c),
 * which sets up thread-local storage, stdio and argv, then calls main().
 * A program that has no main() - a service, say - defines keel_main()
 * instead: libsys's main() calls it with the task's start page, and its
 * return value is the program's exit status.
 */
int keel_main(const struct keel_start *start);

/* The task's start page (abi/start.h): its capabilities and quotas. */
static inline const struct keel_start *keel_start_page(void)
{
	return (const struct keel_start *)(uintptr_t)KEEL_START_ADDR;
}

/*
 * sys_msg_call, sys_msg_send and sys_msg_reply_wait, in registers when the
 * message fits (docs/kernel-abi.md, "Short messages in registers"): the
 * same arguments, results and status codes as the calls of those names,
 * without the kernel's copies of the message from and to memory. A call's
 * request always fits, and so does a send without a capability (a len
 * above MSG_PAYLOAD_MAX goes to the memory form, which refuses it as
 * ever); a reply fits with at most MSG_REPLY_REGS_MAX payload bytes and no
 * capability. libsys's sysops_kernel uses these, so every loop and channel
 * does.
 */
static inline status_t keel_msg_call(cap_handle_t inbox, struct keel_msg *msg, uint64_t timeout)
{
	uint64_t w[MSG_PAYLOAD_MAX / 8], r[MSG_PAYLOAD_MAX / 8], head;
	cap_handle_t cap;

	if (msg->len > MSG_CALL_REGS_MAX)
		return sys_msg_call(inbox, msg, timeout);
	memcpy(w, msg->payload, sizeof w);
	status_t st = sys_msg_call_regs(inbox, msg->label | (uint64_t)msg->len << 32, timeout, w[0],
					w[1], w[2], w[3], w[4], &head, &cap, &r[0], &r[1], &r[2],
					&r[3], &r[4]);
	if (st)
		return st;
	msg->label = (uint32_t)head;
	msg->len = (uint16_t)(head >> 32);
	msg->flags = (uint16_t)(head >> 48);
	msg->badge = 0;
	msg->cap = cap;
	msg->reserved = 0;
	memcpy(msg->payload, r, sizeof r);
	return STATUS_OK;
}

static inline status_t keel_msg_send(cap_handle_t inbox, const struct keel_msg *msg,
				     cap_handle_t cap, uint32_t mode)
{
	uint64_t w[MSG_PAYLOAD_MAX / 8];

	if (cap != CAP_HANDLE_NONE || msg->len > MSG_PAYLOAD_MAX)
		return sys_msg_send(inbox, msg, cap, mode);
	memcpy(w, msg->payload, sizeof w);
	return sys_msg_send_regs(inbox, msg->label | (uint64_t)msg->len << 32, w[0], w[1], w[2],
				 w[3], w[4]);
}

static inline status_t keel_msg_reply_wait(cap_handle_t reply, const struct keel_msg *msg,
					   cap_handle_t cap, uint32_t mode, uint64_t mask,
					   uint64_t timeout, uint64_t *pending)
{
	uint64_t w[MSG_REPLY_REGS_MAX / 8];

	if (cap != CAP_HANDLE_NONE || msg->len > MSG_REPLY_REGS_MAX)
		return sys_msg_reply_wait(reply, msg, cap, mode, mask, timeout, pending);
	memcpy(w, msg->payload, sizeof w);
	return sys_msg_reply_wait_regs(reply, msg->label | (uint64_t)msg->len << 32, mask, timeout,
				       w[0], w[1], w[2], w[3], pending);
}

/*
 * Formats like printf (conversions of kernel/lib/fmt.h: no floating point) and
 * writes the text to the kernel console with sys_debug_write on witness,
 * which needs RIGHT_WRITE. Output up to 512 bytes goes out in one call, so
 * lines from concurrent writers do not interleave. Returns the status of
 * the last sys_debug_write.
 */
status_t keel_print(cap_handle_t witness, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
status_t keel_vprint(cap_handle_t witness, const char *fmt, va_list ap);

#endif
