/*
 * thread.h - kernel threads and the scheduler's mechanism.
 *
 * Policy (tiers, budgets, queues, stealing) is core/sched/sched.h; this file
 * creates and destroys threads, switches between them, charges run time on
 * timer ticks and puts threads to sleep. Every CPU has an idle thread that
 * runs when sched_next() finds nothing, halting the CPU until an interrupt.
 */
#ifndef KEEL_CORE_THREAD_H
#define KEEL_CORE_THREAD_H

#include <stdbool.h>
#include <stdint.h>

#include "abi/message.h"
#include "abi/status.h"
#include "core/list.h"
#include "core/object/object.h"
#include "core/arch.h"
#include "core/sched/sched.h"
#include "core/spinlock.h"

#define THREAD_NAME_LEN 16
#define THREAD_MAX 3072

#define TIMEOUT_NEVER UINT64_MAX

struct task;

/* A thread's call in progress, as its caller sees it: the entry of the
 * receiving task's table of unanswered calls (core/object/replies.h) that
 * holds the call's reply handle. A call allocates nothing: the entry is
 * the receiver's, charged to its slot quota. */
struct reply {
	struct replies *holder; /* NULL once answered, ended or the holder died */
	uint32_t index;         /* the entry in holder */
};

/* The last user page a copy by this thread translated (core/mm/vspace.h):
 * messages come from the same buffer call after call, so most copies need
 * no page-table walk. Valid while gen is its address space's version. */
struct vspace_cache {
	uint64_t gen; /* the vspace version it was made in */
	uint64_t va;  /* page address, 0 when empty */
	void *page;   /* its kernel address */
	bool writable;
};

/*
 * A thread. Its record is a kernel object (OBJ_THREAD): capabilities may
 * outlive the thread itself, so the record is freed when the last
 * reference goes, while its stack is freed as soon as it has exited.
 */
struct thread {
	struct kobj obj;
	struct sched_entity se;
	uint64_t id;
	char name[THREAD_NAME_LEN];
	uint64_t ctx_sp; /* saved stack pointer while switched out */
	uint64_t kstack_top;
	uint32_t kstack_slot;
	bool idle;
	bool exited; /* stack freed; only the record remains */
	void (*entry)(void *arg);
	void *arg;
	uint64_t cpus_seen; /* bit per CPU it has run on (tests, placement) */

	/* Blocking: every wait goes through thread_block(). */
	bool blocked;                 /* in thread_block, not yet woken */
	bool woken;                   /* woken by thread_wake (not the timeout) */
	uint64_t wake_ns;             /* deadline, or TIMEOUT_NEVER */
	struct list_node sleep_link;  /* on the sleeper list while it has a deadline */
	struct sched_cpu *sleep_last; /* the CPU whose sleep_last it is, or NULL */

	/* User threads. */
	struct task *task;          /* NULL for kernel threads */
	struct list_node task_link; /* on task->threads */
	uint64_t user_entry, user_stack, user_arg;
	uint64_t signals;   /* pending signal bits */
	uint64_t wait_mask; /* bits sys_signal_wait waits for */
	/* Work at the next return to user mode, tested as one (return_work). */
	union {
		struct {
			bool kill_pending; /* exit */
			bool stop_pending; /* wait while its task is stopped (task_stop) */
		};
		uint16_t return_work;
	};
	bool stopped; /* blocked in that wait: task_stop's continue wakes it */
	uint64_t exit_code;
	struct keel_msg ipc_msg; /* reply delivered to a caller in sys_msg_call */
	status_t ipc_status;
	bool ipc_pending;   /* a call waits for its reply */
	struct reply reply; /* answers this thread's calls (user threads) */
	uint64_t timer_ns;  /* armed timer: raise timer_bit at this time */
	uint64_t timer_bit;
	struct list_node timer_link; /* on the timer list while armed */
	bool lock_excl;              /* switched away in the every-lock mode (core/klock.h) */
	uint8_t lock_tries;          /* runs of a restarted system call (STATUS_RELOCK) */
	uint64_t lock_want;          /* the locks its next run starts with; 0: the usual */
	uint8_t ipc_away;            /* IPC calls left to skip the fast path for (syscall.c) */
	struct vspace_cache ucache;  /* its last user-copy translation */
	struct arch_thread arch;     /* the architecture's state (arch_types.h) */
	struct kobj *futex_mem;      /* sys_futex_wait: the key's object (a reference), */
	uint64_t futex_off;          /* and offset; futex_mem is NULL when not waiting */
	struct list_node futex_link; /* on the futex waiters while waiting */
	bool parked;                 /* blocked, its CPU halted on its stack (park in thread.c) */
	uint64_t memory_wait_end;    /* a creation that found no memory waits to here, */
	uint64_t memory_wait_epoch;  /* for the CPUs to flush to this epoch (syscall.c) */
};

/* What a CPU's lock taking costs (core/klock.h): acquisitions, the ones
 * that found a lock held, and timestamp ticks spent spinning. */
struct klock_stats {
	uint64_t acquired, contended, wait;
};

/* Per-CPU scheduler state, embedded in the arch's per-CPU data. */
/* The period of every port's timer tick (1 kHz). */
#define THREAD_TICK_NS 1000000ull

struct sched_cpu {
	struct thread *current;
	struct thread *idle;
	struct thread *zombie; /* exited thread, reaped after the switch */
	uint64_t charged_ns;   /* time current was last charged up to */
	uint64_t ticks;
	uint64_t switches;
	/* Load, for sys_kernel_stats (written by this CPU under the lock). */
	struct sched_cpu *next_cpu; /* every CPU's state, in a list */
	uint32_t cpu;               /* arch_cpu_id() of this CPU */
	uint64_t online_ts;         /* arch_timestamp() when its idle thread began */
	uint64_t idle_ts;           /* when the idle thread last became current */
	uint64_t idle_ticks;        /* idle time up to idle_ts or the last switch */
	uint64_t syscalls;          /* system calls entered on this CPU (counted before the lock) */
	uint64_t idle_seen;         /* thread_queued's count when it last found nothing */
	/* Locking (core/klock.h). */
	struct spinlock lock;          /* this CPU's lock */
	uint64_t bit;                  /* 1 << cpu */
	uint64_t held;                 /* locks this CPU holds now, a bit per CPU */
	bool excl;                     /* taken as every lock (klock_take_all), not
				       * as its own plus the ones touched */
	uint64_t lock_want;            /* the set a STATUS_RELOCK asks for */
	struct klock_stats lock_stats; /* CPU-lock acquisitions made here */
	struct klock_stats all_stats;  /* every-lock acquisitions made here */
	struct list_node sleepers;     /* its blocked threads with a deadline, sorted, */
	struct thread *sleep_last;     /* but the last to block: not in the list yet */
	uint64_t sleep_hint;           /* at most the first deadline, for a look without the lock */
	struct thread *parked;         /* current, blocked, while this CPU halts on its stack */
	/* Stalls (struct kernel_cpu_stats, stalled_ns), written by this CPU
	 * at its tick and read by any (thread_cpu_load). */
	uint64_t tick_ns;    /* when its last tick came; 0 before the first */
	uint64_t stalled_ns; /* the gaps closed so far */
	uint64_t stall_seq;  /* odd while a closed gap is added to both */
};

/* One CPU's load as sys_kernel_stats reports it (struct kernel_cpu_stats). */
struct thread_cpu_load {
	uint32_t cpu;
	bool idle_now;
	uint64_t timestamp, idle, busy, syscalls, switches, ticks, stalled_ns;
};

/* Sets up the thread pool and turns the calling boot context into CPU 0's
 * idle thread. Called once, before any other thread call. */
void thread_init(void);

/* Turns the calling context (an AP's start-up stack) into that CPU's idle
 * thread; stack_slot/stack_top describe the stack it is running on. */
void thread_init_cpu_idle(uint32_t stack_slot, uint64_t stack_top);

/* Creates a thread running entry(arg) in tier with the given affinity and
 * makes it runnable. Returns STATUS_NO_MEMORY when the pool or stacks are
 * exhausted, STATUS_INVALID for a bad tier or affinity. */
status_t thread_create(const char *name, void (*entry)(void *), void *arg, enum sched_tier tier,
		       uint64_t affinity, struct thread **out);

/* Ends the calling thread; its stack and record are freed after the switch. */
__attribute__((noreturn)) void thread_exit(void);

/* Gives up the CPU; the thread stays runnable and its burst ends. */
void thread_yield(void);

/* Blocks the calling thread for at least ns nanoseconds. */
void thread_sleep_ns(uint64_t ns);

/* Blocks the calling thread until thread_wake() or until timeout_ns have
 * passed (TIMEOUT_NEVER: no limit). Returns true if woken, false on the
 * timeout. Caller holds the kernel lock (kept across the wait). */
bool thread_block(uint64_t timeout_ns);

/* Wakes t if it is blocked in thread_block; returns whether it was. Lock held. */
bool thread_wake(struct thread *t);

/* Like thread_wake(next) then thread_block(timeout_ns), but when next last
 * ran on this CPU and may run here, the CPU goes straight to it without a
 * trip through the run queue: the fast path of a call. Lock held. */
bool thread_block_handoff(struct thread *next, uint64_t timeout_ns);

/* thread_block_handoff once what it tests is found: next blocked, at
 * home on this CPU, and to be handed it (thread_handoff_here). The IPC
 * fast path (core/ipc.c) calls it straight, having tested that itself;
 * inline there. Lock held. */
bool thread_block_handoff_ready(struct thread *next, uint64_t timeout_ns);

/* The CPU locks (core/klock.h) thread_wake(t) needs - t's home's and
 * the CPU it would be queued on - and thread_block_handoff(next): this
 * CPU's alone when it would go straight to next. Read with whatever the
 * caller holds: a plan, to check again once those locks are held. */
uint64_t thread_wake_locks(const struct thread *t);
uint64_t thread_handoff_locks(const struct thread *next);

/* Whether the locks held cover t's home and, if t is blocked, a CPU it may
 * be woken on: what a plan made before its locks were held must check. */
bool thread_wake_covered(const struct thread *t);

extern struct runq runqs[];

/* Whether a wake keeps t on its last CPU: sched_select_cpu does whenever
 * that queue is no longer than the slack, so there is no need to ask it
 * then (make_runnable, and the lock plans that foresee it). */
static inline bool thread_wakes_on_last(const struct thread *t)
{
	int last = t->se.last_cpu;
	return last >= 0 && sched_cpu_allowed(&t->se, (unsigned)last) &&
	       __atomic_load_n(&runqs[last].count, __ATOMIC_RELAXED) <= SCHED_WAKE_SLACK;
}

/* Whether a thread that waits may be handed CPU cpu straight away: it last
 * ran there, may run there, and nothing more urgent is queued there
 * (thread_block_handoff, and the lock plans that foresee it). */
static inline __attribute__((always_inline)) bool thread_handoff_here(const struct thread *next,
								      unsigned cpu)
{
	return next->se.last_cpu == (int)cpu && sched_cpu_allowed(&next->se, cpu) &&
	       !sched_should_preempt(&runqs[cpu], &next->se);
}

/* The common case, cheaply: t's home is this CPU and, if wakes, waking it
 * (handed this CPU if handoff) touches this CPU alone - the plan
 * thread_wake_locks and thread_handoff_locks would make. False: plan
 * fully. */
static inline bool thread_plan_local(const struct thread *t, bool wakes, bool handoff)
{
	unsigned cpu = (unsigned)arch_cpu_id();
	if (t->se.last_cpu != (int)cpu)
		return false;
	return !wakes || thread_wakes_on_last(t) || (handoff && thread_handoff_here(t, cpu));
}

/* Creates a user thread in task (not yet runnable: the caller makes it so
 * with thread_start). Lock held. */
status_t thread_create_user(struct task *task, uint64_t entry, uint64_t stack, uint64_t arg,
			    enum sched_tier tier, uint64_t affinity, struct thread **out);

/* Makes a new thread runnable. Lock held. */
void thread_start(struct thread *t);

/* thread_yield for a caller that holds the kernel lock. */
void thread_yield_locked(void);

/* Moves t to tier and makes it t's base tier. Lock held. */
status_t thread_set_tier(struct thread *t, enum sched_tier tier);

/* Stops t for good, wherever it is: a queued or blocked thread is removed
 * and freed now, a running one exits at its next return to user mode (its
 * CPU is kicked). Lock held. */
void thread_kill(struct thread *t);

/* thread_user_return_check's work, when there is some. */
void thread_user_return_work(struct thread *t);

/* Ends the calling thread; the caller holds the kernel lock. */
__attribute__((noreturn)) void thread_exit_locked(void);

/* The thread running on this CPU. */
static inline struct thread *thread_current(void)
{
	return arch_sched_cpu()->current;
}

/* Called on the way back to user mode: exits if the thread was killed,
 * waits while its task is stopped. Inline: every system call passes. */
static inline void thread_user_return_check_of(struct thread *t)
{
	if (__builtin_expect(t->return_work != 0, 0))
		thread_user_return_work(t);
}

static inline void thread_user_return_check(void)
{
	thread_user_return_check_of(thread_current());
}

/* Runs the idle loop of the calling CPU; never returns. */
__attribute__((noreturn)) void thread_idle_loop(void);

/* Timer interrupt: charges the running thread and preempts it when its
 * budget is used up or a more urgent thread waits. Interrupts are off. */
void thread_tick(void);

/* Reschedule interrupt from another CPU: run whatever is now queued here. */
void thread_kick_received(void);

/* The load of CPU i (i < arch_cpu_count()) up to timestamp now; false if
 * there is no such CPU. Lock held. */
bool thread_cpu_load(unsigned i, uint64_t now, struct thread_cpu_load *out);

/* Threads alive (created and not yet reaped), for tests. */
uint32_t thread_count(void);

/* Thread records not yet freed (alive, or held by a capability). */
uint32_t thread_records(void);

/* Entered on a new thread's first switch; releases the kernel lock. */
__attribute__((noreturn)) void thread_boot(void);

/* Hooks into core/object/task.c for user threads. */
void task_thread_gone(struct thread *t);

#endif
