/*
 * thread.h - kernel threads and the scheduler's mechanism.
 *
 * Policy (tiers, budgets, queues, stealing) is core/sched.h; this file
 * creates and destroys threads, switches between them, charges run time on
 * timer ticks and puts threads to sleep. Every CPU has an idle thread that
 * runs when sched_next() finds nothing, halting the CPU until an interrupt.
 */
#ifndef KEEL_CORE_THREAD_H
#define KEEL_CORE_THREAD_H

#include <stdbool.h>
#include <stdint.h>

#include "abi/status.h"
#include "core/list.h"
#include "core/sched.h"

#define THREAD_NAME_LEN 16
#define THREAD_MAX 4096

struct thread {
	struct sched_entity se;
	uint64_t id;
	char name[THREAD_NAME_LEN];
	uint64_t ctx_sp;		/* saved stack pointer while switched out */
	uint64_t kstack_top;
	uint32_t kstack_slot;
	bool idle;
	void (*entry)(void *arg);
	void *arg;
	uint64_t wake_ns;		/* while sleeping: when to wake */
	struct list_node sleep_link;
	uint64_t cpus_seen;		/* bit per CPU it has run on (tests, placement) */
};

/* Per-CPU scheduler state, embedded in the arch's per-CPU data. */
struct sched_cpu {
	struct thread *current;
	struct thread *idle;
	struct thread *zombie;		/* exited thread, reaped after the switch */
	uint64_t charged_ns;		/* time current was last charged up to */
	uint64_t ticks;
	uint64_t switches;
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
status_t thread_create(const char *name, void (*entry)(void *), void *arg,
		       enum sched_tier tier, uint64_t affinity, struct thread **out);

/* Ends the calling thread; its stack and record are freed after the switch. */
__attribute__((noreturn)) void thread_exit(void);

/* Gives up the CPU; the thread stays runnable and its burst ends. */
void thread_yield(void);

/* Blocks the calling thread for at least ns nanoseconds. */
void thread_sleep_ns(uint64_t ns);

struct thread *thread_current(void);

/* Runs the idle loop of the calling CPU; never returns. */
__attribute__((noreturn)) void thread_idle_loop(void);

/* Timer interrupt: charges the running thread and preempts it when its
 * budget is used up or a more urgent thread waits. Interrupts are off. */
void thread_tick(void);

/* Reschedule interrupt from another CPU: run whatever is now queued here. */
void thread_kick_received(void);

/* Threads alive (created and not yet reaped), for tests. */
uint32_t thread_count(void);

/* --- provided by the architecture --- */

/* This CPU's scheduler state and index; the number of CPUs online. */
struct sched_cpu *arch_sched_cpu(void);
unsigned arch_cpu_count(void);

/* Saves callee-saved registers and the stack pointer in *save_sp, then
 * resumes the context whose stack pointer is new_sp. */
void arch_switch(uint64_t *save_sp, uint64_t new_sp);

/* Prepares t's stack so that switching to it enters thread_boot(). */
void arch_thread_setup(struct thread *t);

/* Allocates a kernel stack with a guard gap below it. */
status_t arch_kstack_alloc(uint32_t *slot, uint64_t *top);
void arch_kstack_free(uint32_t slot);

/* Asks CPU cpu to look at its run queue (an IPI). */
void arch_kick_cpu(unsigned cpu);

/* Monotonic time in nanoseconds since boot. */
uint64_t arch_time_ns(void);

/* Halts until the next interrupt, with interrupts enabled only while halted. */
void arch_idle_halt(void);

/* Called on every scheduling pass with the lock held (TLB upkeep). */
void arch_sched_pass(void);

/* Entered on a new thread's first switch; releases the kernel lock. */
__attribute__((noreturn)) void thread_boot(void);

#endif
