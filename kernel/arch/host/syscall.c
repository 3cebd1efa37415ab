/*
 * syscall.c - entering the kernel from user code on the host.
 *
 * libsys built with KEEL_HOST_SYSCALL routes every sys_* stub to
 * keel_host_syscall() (build/gen/syscall_stubs.h), which runs the
 * kernel's real dispatcher, syscall_invoke(), on the calling pthread, just
 * as the machine's SYSCALL entry does on the thread's kernel stack. The
 * host-only entries below follow the same path: enter, take the lock, do
 * the work, let a killed thread exit, leave.
 */
/* The host port is built with KEEL_HOST_SYSCALL (tools/rules.ninja), so
 * keel_host_syscall is declared here as the stubs see it. */
#include <string.h>

#include "arch/host/host.h"
#include "core/klock.h"
#include "core/sys/syscall.h"
#include "core/object/thread.h"
#include "host_kernel.h"

uint64_t keel_host_syscall(uint64_t nr, const uint64_t args[8], uint64_t ret[7])
{
	/* As the machine's frame: results 3 to 7 at the slots of the saved
	 * r10, r9, rsi, rdi and rbx (struct syscall_ret), here 0 unless written. */
	uint64_t more[SYSCALL_MORE_SLOTS] = { 0 };
	struct syscall_args a;
	struct syscall_ret r = { { 0, 0 }, more };
	memcpy(a.a, args, sizeof a.a);
	host_kernel_enter();
	status_t st;
	do /* one CPU: never asked to run again, but the contract allows it */
		st = syscall_invoke(nr, &a, &r);
	while (st == STATUS_RELOCK);
	host_kernel_leave();
	ret[0] = r.r[0];
	ret[1] = r.r[1];
	ret[2] = more[SYSCALL_RET3_SLOT];
	ret[3] = more[SYSCALL_RET4_SLOT];
	ret[4] = more[SYSCALL_RET5_SLOT];
	ret[5] = more[SYSCALL_RET6_SLOT];
	ret[6] = more[SYSCALL_RET7_SLOT];
	return (uint64_t)st;
}

void host_clock_advance(uint64_t ns)
{
	host_kernel_enter();
	bool irq = klock();
	uint64_t end = arch_time_ns() + ns;
	/* Nothing should wake it early, but a wake-up must not cut the time short. */
	while (arch_time_ns() < end && !thread_current()->kill_pending)
		thread_block(end - arch_time_ns());
	thread_user_return_check();
	kunlock(irq);
	host_kernel_leave();
}

status_t host_irq_raise(uint32_t gsi)
{
	host_kernel_enter();
	bool irq = klock();
	status_t st = host_irq_fire(gsi);
	thread_user_return_check();
	kunlock(irq);
	host_kernel_leave();
	return st;
}
