/*
 * spinlock.h - a test-and-test-and-set spinlock with interrupt control.
 *
 * Used for the kernel lock and for the console. Interrupt control comes
 * from core/arch.h, so the lock itself stays arch-neutral.
 */
#ifndef KEEL_CORE_SPINLOCK_H
#define KEEL_CORE_SPINLOCK_H

#include <stdbool.h>

#include "core/arch.h"

struct spinlock {
	volatile int locked;
	int owner_cpu; /* for panic reports; -1 when free */
};

static inline void spin_lock(struct spinlock *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE)) {
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			arch_cpu_relax();
	}
	l->owner_cpu = arch_cpu_id();
}

/* Takes the lock if it is free; returns whether it did. */
static inline bool spin_trylock(struct spinlock *l)
{
	if (__atomic_load_n(&l->locked, __ATOMIC_RELAXED) ||
	    __atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		return false;
	l->owner_cpu = arch_cpu_id();
	return true;
}

static inline void spin_unlock(struct spinlock *l)
{
	l->owner_cpu = -1;
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

/* Disables interrupts, then takes the lock; returns the previous interrupt state. */
static inline bool spin_lock_irqsave(struct spinlock *l)
{
	bool was = arch_irq_save();
	spin_lock(l);
	return was;
}

static inline void spin_unlock_irqrestore(struct spinlock *l, bool was)
{
	spin_unlock(l);
	arch_irq_restore(was);
}

#endif
