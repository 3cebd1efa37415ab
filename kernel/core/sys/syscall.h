/*
 * syscall.h - running system calls: the checks every call gets from the
 * generated table (build/gen/syscall_table.c, from kernel/abi/syscalls.def)
 * and what handlers need to find the caller and its capabilities.
 *
 * syscall_invoke takes the kernel lock, rejects malformed arguments and
 * looks up every capability argument (type and rights) before the handler
 * runs, so a handler starts from valid capabilities; it then runs the
 * handler and, on the way out, lets a killed thread exit. sys_msg_call and
 * sys_msg_reply_wait in their usual form make the same checks written out
 * (checked against the table at boot) rather than walking the table.
 */
#ifndef KEEL_CORE_SYSCALL_H
#define KEEL_CORE_SYSCALL_H

#include "core/object/cspace.h"
#include "core/object/task.h"
#include "core/object/thread.h"
#include "syscall_table.h"

/* What the dispatcher found for the call in progress. */
struct syscall_ctx {
	struct thread *thread;
	struct task *task;
	struct cap cap[SYSCALL_MAX_CAPS];	/* in the order of the table's cap lines */
	bool cap_present[SYSCALL_MAX_CAPS];	/* false: optional and CAP_HANDLE_NONE */
};

/* Prepares the dispatcher's per-call tables; once, at boot. */
void syscall_init(void);

/* Runs call nr for the current user thread; returns the status for rax.
 * Called with interrupts off, as the SYSCALL entry leaves them. */
status_t syscall_invoke(uint64_t nr, const struct syscall_args *a, struct syscall_ret *r);

/* The call in progress on this CPU (valid inside a handler). */
struct syscall_ctx *syscall_ctx(void);

/* Syscalls served since boot. */
uint64_t syscall_count(void);

#endif
