/* syscall.c - entering the generated dispatcher (see syscall.h), and a
 * creation's wait for memory on its way back. */
#include <string.h>

#include "core/klock.h"
#include "core/mm/reclaim.h"
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

/* The IPC fast path (core/ipc.h) for a send in registers, a call or a
 * reply-and-wait in registers or in memory, its results stored as the
 * dispatcher stores them; IPC_SLOW or IPC_AWAY when the dispatcher must
 * run it. */
/* After a fast path found the other thread at home on another CPU, the
 * calling thread's next calls of these kinds go straight to the general
 * path: a pair of threads on two CPUs tends to stay so, and the fast
 * path's tests would be paid and lost call after call. */
#define IPC_AWAY_SKIP 15

/* The calls with a fast path (fast below). */
#define FAST_CALLS                                                                                 \
	(1ull << SYS_MSG_CALL | 1ull << SYS_MSG_REPLY_WAIT | 1ull << SYS_MSG_CALL_REGS |           \
	 1ull << SYS_MSG_REPLY_WAIT_REGS | 1ull << SYS_MSG_SEND_REGS)
_Static_assert((FAST_CALLS & ~OWN_LOCK_CALLS) == 0,
	       "a call with a fast path starts with its CPU's lock alone");

static inline __attribute__((always_inline)) status_t fast(struct thread *t, uint64_t nr,
							   const struct syscall_args *a,
							   struct syscall_ret *r)
{
	status_t st;
	if (nr == SYS_MSG_SEND_REGS)
		return ipc_send_regs_fast(t, a->a[0], a->a[1], &a->a[2]);
	if (nr == SYS_MSG_CALL)
		return ipc_call_fast(t, a->a[0], (uaddr_t){ a->a[1] }, a->a[2]);
	if (nr == SYS_MSG_REPLY_WAIT) {
		/* Without a capability (its mode unread, as a u32). */
		if (a->a[2] != CAP_HANDLE_NONE || (a->a[3] >> 32))
			return IPC_SLOW;
		uint64_t pending = 0;
		st = ipc_reply_wait_fast(t, a->a[0], (uaddr_t){ a->a[1] }, a->a[4], a->a[5],
					 &pending);
		r->r[0] = pending;
		return st;
	}
	if (nr == SYS_MSG_REPLY_WAIT_REGS) {
		uint64_t pending = 0;
		st = ipc_reply_wait_regs_fast(t, a->a[0], a->a[1], a->a[2], a->a[3], &a->a[4],
					      &pending);
		r->r[0] = pending;
		return st;
	}
	const struct keel_msg *m;
	st = ipc_call_regs_fast(t, a->a[0], a->a[1], a->a[2], &a->a[3], &m);
	if (st == IPC_SLOW)
		return st;
	r->r[0] = r->r[1] = 0;
	if (st == STATUS_OK) {
		uint64_t w[MSG_PAYLOAD_MAX / 8], head; /* label, len and flags */
		memcpy(&head, m, sizeof head);
		memcpy(w, m->payload, sizeof w);
		r->r[0] = head;
		r->r[1] = m->cap;
		r->more[SYSCALL_RET3_SLOT] = w[0];
		r->more[SYSCALL_RET4_SLOT] = w[1];
		r->more[SYSCALL_RET5_SLOT] = w[2];
		r->more[SYSCALL_RET6_SLOT] = w[3];
		r->more[SYSCALL_RET7_SLOT] = w[4];
	}
	return st;
}

status_t syscall_invoke(uint64_t nr, const struct syscall_args *a, struct syscall_ret *r)
{
	/* The SYSCALL entry masks interrupts (FMASK), so only the locks are needed. */
	struct sched_cpu *sc = arch_sched_cpu();
	struct thread *t = sc->current;
	sc->syscalls++;
	if (__builtin_expect(t->lock_want != 0, 0)) {
		klock_take_set(sc, t->lock_want); /* a restarted call (below) */
		t->lock_want = 0;
	} else if (nr < 64 && (OWN_LOCK_CALLS >> nr & 1)) {
		klock_take_own();
		if (FAST_CALLS >> nr & 1) {
			if (__builtin_expect(t->ipc_away != 0, 0)) {
				t->ipc_away--;
			} else {
				status_t st = fast(t, nr, a, r);
				if (st != IPC_SLOW && st != IPC_AWAY) {
					/* t runs here again, if it blocked */
					thread_user_return_check_of(t);
					klock_drop();
					return st;
				}
				if (st == IPC_AWAY)
					t->ipc_away = IPC_AWAY_SKIP;
			}
		}
	} else {
		klock_take_all(sc);
	}
	struct syscall_ctx ctx = { .thread = t, .task = t->task };
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

/*
 * Memory on its way back. What an ended task or a deleted memory object
 * held returns only once every CPU has flushed its TLB past the unmap
 * (core/mm/reclaim.h), at each CPU's next scheduling pass: at most a tick
 * away, but a CPU the host does not run (a busy or starved host) can hold
 * it back for longer. So a creation that finds no memory while frees are
 * pending does not fail at once. It notes the TLB epoch; this CPU flushes
 * and releases what is safe, the other CPUs are kicked to make their
 * pass, and the call sleeps 1 ms and runs again, until every CPU has
 * flushed to that epoch - then everything that was pending when it
 * failed has come back, and one more run decides - or for MEMORY_WAIT_NS
 * at most. NO_MEMORY at once when nothing is pending. The creations
 * change nothing when they fail, so running one again is running it once.
 */
#define MEMORY_WAIT_NS (250 * 1000000ull)
#define MEMORY_WAIT_GAP_NS (50 * 1000000ull)
#define MEMORY_WAIT_STEP_NS 1000000ull

status_t syscall_no_memory(struct syscall_ctx *ctx)
{
	struct sched_cpu *sc = arch_sched_cpu();
	struct thread *t = ctx->thread;
	if (sc->held != klock_all || !reclaim_pending())
		return STATUS_NO_MEMORY;
	uint64_t now = arch_time_ns();
	if (!t->memory_wait_end || now > t->memory_wait_end + MEMORY_WAIT_GAP_NS) {
		t->memory_wait_end = now + MEMORY_WAIT_NS; /* a new wait */
		t->memory_wait_epoch = arch_tlb_epoch_bump();
	} else if (now >= t->memory_wait_end) {
		return STATUS_NO_MEMORY; /* waited long enough, or the last run after the flushes */
	}
	arch_sched_pass(); /* this CPU's flush */
	reclaim_run();
	if (arch_tlb_epoch_safe() >= t->memory_wait_epoch) {
		t->memory_wait_end = now; /* every CPU has flushed: one last run */
	} else {
		for (unsigned i = 0; i < arch_cpu_count(); i++)
			if (i != (unsigned)arch_cpu_id())
				arch_kick_cpu(i);
		thread_block(MEMORY_WAIT_STEP_NS);
		if (t->kill_pending)
			return STATUS_NO_MEMORY;
	}
	/* Run again from the start, holding every lock, as it did. */
	arch_sched_cpu()->lock_want = klock_all;
	return STATUS_RELOCK;
}
