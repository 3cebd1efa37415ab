/*
 * tlb.c - the TLB epoch behind core/mm/reclaim.h.
 *
 * Every unmap that frees something bumps the global epoch. Each CPU
 * reloads CR3 (dropping every non-global translation) on its next tick or
 * switch when it sees a newer epoch, and records the epoch it has flushed
 * to; memory unmapped at epoch E is released once every online CPU has
 * flushed to E or beyond. No CPU ever waits for another, so this cannot
 * deadlock against a CPU spinning on the kernel lock. Lock held throughout.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/percpu.h"
#include "core/mm/reclaim.h"
#include "core/object/thread.h"

static uint64_t tlb_epoch;

uint64_t arch_tlb_epoch_bump(void)
{
	return ++tlb_epoch;
}

uint64_t arch_tlb_epoch_safe(void)
{
	uint64_t min = tlb_epoch;
	for (unsigned i = 0; i < cpu_count; i++)
		if (cpus[i]->tlb_epoch < min)
			min = cpus[i]->tlb_epoch;
	return min;
}

void arch_sched_pass(void)
{
	struct cpu *c = this_cpu();
	if (c->tlb_epoch != tlb_epoch) {
		write_cr3(read_cr3()); /* drops every non-global translation */
		c->tlb_epoch = tlb_epoch;
	}
}
