/*
 * kstack.c - kernel stacks with guard gaps, and the TLB rule that keeps
 * their reuse safe.
 *
 * Each stack lives in its own KSTACK_SLOT_SIZE slot of the stack area:
 * KSTACK_SIZE mapped at the top, the rest unmapped, so running off the
 * bottom faults instead of corrupting a neighbour. When a stack is freed
 * its pages return to kmem at once, but other CPUs may still cache the old
 * translation. Rather than interrupting them (which could deadlock against
 * the kernel lock), every free bumps the TLB epoch (tlb.c) and a slot is
 * reused only once every online CPU has flushed past its free. Page tables
 * for the whole area are made at boot, so nothing here allocates tables.
 * The area has as many slots as the managed memory could fill with
 * stacks (kstack_area_slots), at most KSTACK_SLOTS: a machine of 8 MiB
 * needs 6 page tables for it, not 64.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/memory.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/percpu.h"
#include "core/mm/kmem.h"
#include "core/panic.h"
#include "core/mm/reclaim.h"

#define STACK_PAGES (KSTACK_SIZE / 4096)
#define STACK_ORDER 2
_Static_assert(STACK_PAGES == 1 << STACK_ORDER, "stack order matches its size");

/* A slot: its stack's pages (0: free; the first 64 KiB is never managed,
 * so no stack is at 0) and the TLB epoch of its last free.
 * The table (64 KiB) is taken from kmem at the first allocation rather
 * than kept in the kernel image's bss. */
struct kslot {
	uint64_t pa;
	uint64_t freed_epoch;
};

static struct kslot *slots;
static uint32_t cursor;
static uint32_t nslots = KSTACK_SLOTS;

uint32_t kstack_area_slots(uint64_t managed_pages)
{
	/* Slots a page table covers: the area grows by whole tables. */
	const uint64_t per_table = PAGE_2M / KSTACK_SLOT_SIZE;
	uint64_t n = (managed_pages / STACK_PAGES + per_table - 1) / per_table * per_table;
	nslots = n < KSTACK_SLOTS ? (uint32_t)n : KSTACK_SLOTS;
	return nslots;
}

/* Makes the slot table (zeroed: every slot free, freed at epoch 0). */
static status_t slots_ready(void)
{
	uint64_t pa;
	if (slots)
		return STATUS_OK;
	if (kmem_alloc(kmem_order(nslots * sizeof(struct kslot)), &pa))
		return STATUS_NO_MEMORY;
	slots = phys_to_virt(pa);
	return STATUS_OK;
}

static uint64_t slot_base(uint32_t slot)
{
	return KSTACK_AREA + (uint64_t)slot * KSTACK_SLOT_SIZE + KSTACK_SLOT_SIZE - KSTACK_SIZE;
}

status_t arch_kstack_alloc(uint32_t *slot, uint64_t *top)
{
	uint64_t safe = arch_tlb_epoch_safe();
	if (slots_ready())
		return STATUS_NO_MEMORY;
	for (uint32_t n = 0; n < nslots; n++) {
		uint32_t i = (cursor + n) % nslots;
		if (slots[i].pa || slots[i].freed_epoch > safe)
			continue;
		uint64_t pa;
		/* Not zeroed: a stack is written before it is read, and only
		 * the kernel ever sees it. */
		if (kmem_alloc_uninit(STACK_ORDER, &pa))
			return STATUS_NO_MEMORY;
		for (uint64_t p = 0; p < STACK_PAGES; p++)
			if (pt_map(memory_kernel_root(), slot_base(i) + p * 4096, pa + p * 4096,
				   PTE_W | PTE_NX))
				panic("kstack: slot %u already mapped", i);
		slots[i].pa = pa;
		cursor = i + 1;
		*slot = i;
		*top = slot_base(i) + KSTACK_SIZE;
		return STATUS_OK;
	}
	return STATUS_NO_MEMORY;
}

void arch_kstack_free(uint32_t slot)
{
	if (slot >= nslots || !slots || !slots[slot].pa)
		panic("kstack: freeing slot %u that is not in use", slot);
	for (uint64_t p = 0; p < STACK_PAGES; p++) {
		pt_unmap(memory_kernel_root(), slot_base(slot) + p * 4096, NULL);
		tlb_flush_page(slot_base(slot) + p * 4096);
	}
	kmem_free(slots[slot].pa, STACK_ORDER);
	slots[slot].pa = 0;
	slots[slot].freed_epoch = arch_tlb_epoch_bump();
}

bool kstack_guard_hit(uint64_t addr)
{
	if (addr < KSTACK_AREA || addr >= KSTACK_AREA + (uint64_t)nslots * KSTACK_SLOT_SIZE)
		return false;
	return (addr - KSTACK_AREA) % KSTACK_SLOT_SIZE < KSTACK_SLOT_SIZE - KSTACK_SIZE;
}
