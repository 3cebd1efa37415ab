/* syscall.c - entering the generated dispatcher (see syscall.h). */
#include "core/klock.h"
#include "core/sys/syscall.h"

uint64_t syscall_count(void)
{
	uint64_t n = 0;
	struct thread_cpu_load l;
	for (unsigned i = 0; thread_cpu_load(i, 0, &l); i++)
		n += l.syscalls;
	return n;
}

status_t syscall_invoke(uint64_t nr, const struct syscall_args *a, struct syscall_ret *r)
{
	/* The SYSCALL entry masks interrupts (FMASK), so only the lock is needed. */
	klock_take();
	struct thread *t = thread_current();
	struct syscall_ctx ctx = { .thread = t, .task = t->task };
	arch_sched_cpu()->syscalls++;
	status_t st = syscall_dispatch(&ctx, nr, a, r);
	thread_user_return_check();
	klock_drop();
	return st;
}
