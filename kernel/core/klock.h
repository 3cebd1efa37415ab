/*
 * klock.h - the kernel lock.
 *
 * Keel has one kernel lock (as seL4 does): every kernel operation on
 * shared state - scheduler queues, page allocator, objects, capabilities -
 * runs with it held and with interrupts off on that CPU. Kernel operations
 * are short and bounded, so one lock costs little and rules out lock-order
 * bugs. The full rule is in docs/kernel.md ("The locking rule").
 *
 * The lock is held across a context switch: the thread that switches away
 * holds it, and whichever thread resumes releases it (a new thread does so
 * in thread_boot).
 */
#ifndef KEEL_CORE_KLOCK_H
#define KEEL_CORE_KLOCK_H

#include <stdint.h>

#include "core/spinlock.h"

extern struct spinlock kernel_lock;

/*
 * What the lock costs, per CPU (the low bits of the CPU index pick the
 * record): acquisitions, acquisitions that found it held, and the
 * timestamp ticks (guest instructions under -icount) spent spinning for
 * it. Each CPU writes only its own record, under the lock; the totals
 * reach user space through sys_kernel_stats.
 */
#define KLOCK_STATS_CPUS 64
struct klock_stats {
	uint64_t acquired, contended, wait;
};
extern struct klock_stats klock_stats[KLOCK_STATS_CPUS];

/* Takes the kernel lock, counting; interrupts must be off already. */
static inline void klock_take(void)
{
	struct klock_stats *s = &klock_stats[arch_cpu_id() & (KLOCK_STATS_CPUS - 1)];
	if (__builtin_expect(!spin_trylock(&kernel_lock), 0)) {
		uint64_t t0 = arch_timestamp();
		spin_lock(&kernel_lock);
		s->wait += arch_timestamp() - t0;
		s->contended++;
	}
	s->acquired++;
}

static inline void klock_drop(void)
{
	spin_unlock(&kernel_lock);
}

/* Disables interrupts and takes the kernel lock; returns the old interrupt state. */
static inline bool klock(void)
{
	bool was = arch_irq_save();
	klock_take();
	return was;
}

static inline void kunlock(bool irq_was_on)
{
	spin_unlock_irqrestore(&kernel_lock, irq_was_on);
}

/* The sums of every CPU's record. Lock held. */
struct klock_stats klock_totals(void);

static inline bool klock_held(void)
{
	return kernel_lock.locked && kernel_lock.owner_cpu == arch_cpu_id();
}

#endif
