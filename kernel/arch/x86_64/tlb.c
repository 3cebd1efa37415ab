/*
 * tlb.c - the TLB epoch behind core/mm/reclaim.h.
 *
 * Every unmap, and every free of memory that was mapped, bumps the
 * global epoch. Each CPU reloads CR3 (dropping every non-global
 * translation) on its next tick or switch when it sees a newer epoch,
 * and records the epoch it has flushed to; memory unmapped at epoch E is
 * released once every online CPU has flushed to E or beyond. No CPU ever
 * waits for another, so this cannot deadlock against a CPU spinning on
 * the kernel lock. The epoch is bumped and read for reclaim under the
 * kernel lock; a CPU's own pass may run without it (an idle CPU's tick),
 * so the epochs are read and published atomically, a CPU's only after
 * its flush.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/percpu.h"
#include "core/mm/reclaim.h"
#include "core/object/thread.h"

static uint64_t tlb_epoch;

uint64_t arch_tlb_epoch_bump(void)
{
	return __atomic_add_fetch(&tlb_epoch, 1, __ATOMIC_ACQ_REL);
}

uint64_t arch_tlb_epoch_safe(void)
{
	uint64_t min = tlb_epoch;
	for (unsigned i = 0; i < cpu_count; i++) {
		uint64_t e = __atomic_load_n(&cpus[i]->tlb_epoch, __ATOMIC_ACQUIRE);
		if (e < min)
			min = e;
	}
	return min;
}

void arch_sched_pass(void)
{
	struct cpu *c = this_cpu();
	uint64_t e = __atomic_load_n(&tlb_epoch, __ATOMIC_ACQUIRE);
	if (c->tlb_epoch != e) {
		write_cr3(read_cr3()); /* drops every non-global translation */
		__atomic_store_n(&c->tlb_epoch, e, __ATOMIC_RELEASE);
	}
}
