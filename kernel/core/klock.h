/*
 * klock.h - the kernel's locks: one per CPU, taken alone, in pairs, or
 * all together.
 *
 * Every CPU has a lock (struct sched_cpu's lock). It guards that CPU's
 * run queue and sleepers, and the threads whose home it is (a thread's
 * home is the CPU it last ran or was queued on, se.last_cpu): their
 * scheduling state, signals, waits, and the inboxes they own. Kernel code
 * runs with interrupts off and holds a set of these locks, recorded in
 * its CPU's `held` mask; the set always includes the CPU's own lock.
 *
 *   - Every lock (klock_take, klock): the kernel lock of old. Everything
 *     that is not on the paths below - objects, capabilities, memory,
 *     tasks, timers, balancing - runs so, as under a single lock.
 *   - The CPU's own lock (klock_take_own): the same-CPU IPC path (call,
 *     reply, reply-and-wait, signal wait and raise between threads whose
 *     home is this CPU), ticks and kicks that touch only this CPU.
 *   - Its own and the other CPUs an operation touches (klock_extend):
 *     cross-CPU IPC takes the lock of the other thread's home and of the
 *     CPU it is woken on, nothing else.
 *
 * Order: CPU locks are taken in ascending index. A holder that needs a
 * lower one tries it; if it is busy, the operation gives up before it has
 * changed anything and is run again with the whole set taken in order
 * (STATUS_RELOCK, syscall_invoke). A task's table of unanswered calls has
 * its own lock (table_lock below), taken inside CPU locks and innermost.
 * Holding every lock excludes everything else, so code that runs so never
 * takes a table lock.
 *
 * Every lock is kept across a context switch, like the single lock it
 * replaces; a switch made with only some (the IPC path's, an idle CPU's
 * steal) keeps its CPU's alone (klock_keep_own). Whichever thread
 * resumes adjusts the set to what it switched away with (after_switch):
 * a thread that blocked holding every lock gets them all back before it
 * goes on; one that blocked on the IPC path keeps only its CPU's lock.
 *
 * What the locks cost is counted per CPU (struct klock_stats): every-lock
 * acquisitions (the global kind), and CPU-lock acquisitions (own and
 * cross-CPU), each with the ones that found a lock held and the
 * timestamp ticks spent spinning. docs/kernel.md has the full rule.
 */
#ifndef KEEL_CORE_KLOCK_H
#define KEEL_CORE_KLOCK_H

#include <stdint.h>

#include "core/object/thread.h"
#include "core/spinlock.h"

/* Every CPU's scheduler state by index, and the mask of the CPUs online
 * (the set of every lock). A CPU adds itself as it comes online, holding
 * every lock there was, lock 0 among them (the boot CPU is alone then);
 * klock_take_all reads the mask under lock 0. */
extern struct sched_cpu *klock_cpus[SCHED_MAX_CPUS];
extern uint64_t klock_all;

/* Internal: a status no system call returns. The operation needs CPU
 * locks it could not take in order: nothing was changed; the caller
 * drops what it holds and runs it again with sc->lock_want taken. */
#define STATUS_RELOCK ((status_t)0x7ffffff0)

/* Takes every CPU's lock (the global kind); interrupts must be off. */
void klock_take_all(struct sched_cpu *sc);

/* Releases the locks of mask other than the CPU's own (at most one then). */
void klock_release_others(struct sched_cpu *sc, uint64_t mask);

/* Takes CPU c's lock, spinning if needed, counted as a CPU-lock
 * acquisition of sc's CPU. */
void klock_take_cpu(struct sched_cpu *sc, unsigned c);

/* Takes the locks of want (which includes the CPU's own), in order; every
 * lock if want is all of them. Nothing held. */
void klock_take_set(struct sched_cpu *sc, uint64_t want);

/* Takes the locks of need not yet held: those above every lock held by
 * spinning, lower ones only if free. Returns false, recording held | need
 * in lock_want, if a lower one was busy (the caller must back off with
 * STATUS_RELOCK before it changes anything). */
bool klock_extend_slow(struct sched_cpu *sc, uint64_t need);

/* Lets go of the locks held other than the CPU's own. */
static inline void klock_keep_own(struct sched_cpu *sc)
{
	if (sc->held != sc->bit) {
		klock_release_others(sc, sc->held);
		sc->held = sc->bit;
	}
}

/* Takes every CPU's lock: the global mode. */
static inline void klock_take(void)
{
	klock_take_all(arch_sched_cpu());
}

/* Takes this CPU's lock only. Another CPU seldom holds it, so the first
 * try is the exchange itself, without spin_trylock's look before it. It
 * is written out on the lock's fields: the same steps as a spinlock.h
 * helper cost the IPC fast path 20 instructions a round trip, from the
 * compiler's register choices in the one function it is inlined into. */
static inline void klock_take_own(void)
{
	struct sched_cpu *sc = arch_sched_cpu();
	if (__builtin_expect(__atomic_exchange_n(&sc->lock.locked, 1, __ATOMIC_ACQUIRE) != 0, 0)) {
		klock_take_cpu(sc, sc->cpu);
	} else {
		sc->lock.owner_cpu = (int)sc->cpu;
		sc->lock_stats.acquired++;
	}
	sc->held = sc->bit;
	sc->excl = false;
}

/* Releases whatever this CPU holds. */
static inline void klock_drop(void)
{
	struct sched_cpu *sc = arch_sched_cpu();
	uint64_t h = sc->held;
	sc->held = 0;
	if (h != sc->bit)
		klock_release_others(sc, h);
	spin_unlock(&sc->lock);
}

/* Disables interrupts and takes every lock; returns the old interrupt state. */
static inline bool klock(void)
{
	bool was = arch_irq_save();
	klock_take();
	return was;
}

static inline void kunlock(bool irq_was_on)
{
	klock_drop();
	arch_irq_restore(irq_was_on);
}

/* Whether this CPU holds every lock (the global mode). */
static inline bool klock_held(void)
{
	return arch_sched_cpu()->held == klock_all;
}

/* Holds the locks of need, taking the missing ones (klock_extend_slow). */
static inline bool klock_extend(uint64_t need)
{
	struct sched_cpu *sc = arch_sched_cpu();
	return (sc->held & need) == need || klock_extend_slow(sc, need);
}

/* Asks for every lock: returns STATUS_RELOCK unless they are held. */
static inline status_t klock_need_all(void)
{
	struct sched_cpu *sc = arch_sched_cpu();
	if (sc->held == klock_all)
		return STATUS_OK;
	sc->lock_want = klock_all;
	return STATUS_RELOCK;
}

/* The mask of CPU c's lock; every lock for SCHED_NO_CPU. */
static inline uint64_t klock_bit(int c)
{
	return c < 0 ? klock_all : 1ull << c;
}

/* A table's lock (struct replies): a plain flag, not a struct spinlock,
 * so that the table's header needs nothing of an architecture (it is
 * tested on the host alone); innermost, never held across a wait. */
static inline void table_lock(volatile int *l)
{
	while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(l, __ATOMIC_RELAXED))
			arch_cpu_relax();
}

static inline void table_unlock(volatile int *l)
{
	__atomic_store_n(l, 0, __ATOMIC_RELEASE);
}

/* The sums of every CPU's every-lock (global) acquisition records. */
struct klock_stats klock_global_totals(void);

#endif
