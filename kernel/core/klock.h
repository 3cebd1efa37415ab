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

#include "core/spinlock.h"

extern struct spinlock kernel_lock;

/* Disables interrupts and takes the kernel lock; returns the old interrupt state. */
static inline bool klock(void)
{
	return spin_lock_irqsave(&kernel_lock);
}

static inline void kunlock(bool irq_was_on)
{
	spin_unlock_irqrestore(&kernel_lock, irq_was_on);
}

static inline bool klock_held(void)
{
	return kernel_lock.locked && kernel_lock.owner_cpu == arch_cpu_id();
}

#endif
