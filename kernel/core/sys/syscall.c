/* syscall.c - entering the generated dispatcher (see syscall.h). */
#include "core/klock.h"
#include "core/sys/syscall.h"

/* The calls that start with their CPU's lock alone (core/klock.h): the
 * IPC path between threads (sends, calls, replies, signals) - each takes
 * what else it touches, or asks
 * for it with STATUS_RELOCK before it changes anything - and the kernel's
 * statistics, which only read counters (each exact, not all of one
 * instant), so that watching the kernel does not stop it. */
#define OWN_LOCK_CALLS                                                                             \
	(1ull << SYS_MSG_SEND | 1ull << SYS_MSG_SEND_REGS | 1ull << SYS_MSG_SEND_MANY |            \
	 1ull << SYS_MSG_CALL | 1ull << SYS_MSG_CALL_REGS | 1ull << SYS_MSG_REPLY |                \
	 1ull << SYS_MSG_REPLY_WAIT | 1ull << SYS_MSG_REPLY_WAIT_REGS | 1ull << SYS_SIGNAL_WAIT |  \
	 1ull << SYS_SIGNAL_RAISE | 1ull << SYS_KERNEL_STATS)

/* The dispatcher, with what it inlines, in a function of its own: left
 * to itself the inliner splits the hot handlers out of syscall_invoke. */
static __attribute__((noinline)) status_t dispatch(struct syscall_ctx *ctx, uint64_t nr,
						   const struct syscall_args *a,
						   struct syscall_ret *r)
{
	return syscall_dispatch(ctx, nr, a, r);
}

status_t syscall_invoke(uint64_t nr, const struct syscall_args *a, struct syscall_ret *r)
{
	/* The SYSCALL entry masks interrupts (FMASK), so only the locks are needed. */
	struct sched_cpu *sc = arch_sched_cpu();
	struct thread *t = sc->current;
	if (__builtin_expect(t->lock_want != 0, 0)) {
		klock_take_set(sc, t->lock_want); /* a restarted call (below) */
		t->lock_want = 0;
	} else if (nr < 64 && (OWN_LOCK_CALLS >> nr & 1))
		klock_take_own();
	else
		klock_take_all(sc);
	struct syscall_ctx ctx = { .thread = t, .task = t->task };
	sc->syscalls++;
	status_t st = dispatch(&ctx, nr, a, r);
	if (__builtin_expect(st == STATUS_RELOCK, 0)) {
		/* It needs locks it could not take in order, and changed
		 * nothing: it is restarted (syscall.h) holding the set it asked
		 * for, taken in order - every lock from its third run. */
		sc = arch_sched_cpu();
		t->lock_want = ++t->lock_tries < 3 ? sc->lock_want : klock_all;
	} else if (__builtin_expect(t->lock_tries != 0, 0)) {
		t->lock_tries = 0;
	}
	thread_user_return_check();
	klock_drop();
	return st;
}
