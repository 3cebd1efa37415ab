/*
 * reclaim.h - freeing memory that other CPUs may still reach through
 * stale TLB entries.
 *
 * Unmapping a page takes effect on the unmapping CPU at once, but other
 * CPUs may keep the old translation until they flush. Keel does not stop
 * them to flush (an IPI-and-wait could deadlock against a CPU spinning on
 * the kernel lock with interrupts off). Instead every unmap bumps a global
 * TLB epoch; each CPU flushes on its next scheduling pass (at most one
 * tick later) when it sees a newer epoch; and memory that was mapped is
 * handed back only once every online CPU has flushed past the epoch of
 * its unmapping. Until then it waits here.
 */
#ifndef KEEL_CORE_RECLAIM_H
#define KEEL_CORE_RECLAIM_H

#include <stdint.h>

#include "core/arch.h"

struct reclaim_node {
	struct reclaim_node *next;
	uint64_t epoch;
	void (*release)(struct reclaim_node *n);
};

/* Queues n; release(n) runs once every CPU has flushed the current epoch
 * (which this call bumps). Caller holds the kernel lock. */
void reclaim_defer(struct reclaim_node *n, void (*release)(struct reclaim_node *n));

/* Releases what is safe now. Called on every scheduling pass, lock held. */
void reclaim_run(void);

/* Nodes still waiting (tests wait for this to reach 0). */
uint32_t reclaim_pending(void);

#endif
