/* syscall.c - entering the generated dispatcher (see syscall.h). */
#include "core/klock.h"
#include "core/sys/syscall.h"

static uint64_t served;

uint64_t syscall_count(void)
{
	return served;
}

status_t syscall_invoke(uint64_t nr, const struct syscall_args *a, struct syscall_ret *r)
{
	/* The SYSCALL entry masks interrupts (FMASK), so only the lock is needed. */
	klock_take();
	struct thread *t = thread_current();
	struct syscall_ctx ctx = { .thread = t, .task = t->task };
	served++;
	status_t st = syscall_dispatch(&ctx, nr, a, r);
	thread_user_return_check();
	klock_drop();
	return st;
}
