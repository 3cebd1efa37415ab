/*
 * paging.h - x86-64 four-level page tables.
 *
 * A page table tree is named by the physical address of its PML4.
 * Intermediate tables come from kmem and are reached through the direct
 * map. Callers hold the kernel lock (or run alone during boot) and are
 * responsible for TLB invalidation on other CPUs.
 */
#ifndef KEEL_ARCH_X86_64_PAGING_H
#define KEEL_ARCH_X86_64_PAGING_H

#include <stdbool.h>
#include <stdint.h>

#include "abi/status.h"
#include "arch/x86_64/layout.h"

#define PTE_P (1ull << 0)
#define PTE_W (1ull << 1)
#define PTE_U (1ull << 2)
#define PTE_PWT (1ull << 3)
#define PTE_PCD (1ull << 4)
#define PTE_PS (1ull << 7)
#define PTE_G (1ull << 8)
#define PTE_DEVICE (1ull << 9) /* ignored by the CPU: a device mapping (VM_DEVICE) */
/* Ignored by the CPU: in an entry without PTE_P, a page mapped but not
 * made yet (vspace_map_run), with the rights it will have. */
#define PTE_LAZY (1ull << 10)
#define PTE_NX (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull

#define PAGE_2M 0x200000ull

static inline void *phys_to_virt(uint64_t pa)
{
	return (void *)(DIRECT_MAP_BASE + pa);
}

/* Maps the 4 KiB page at va to pa with flags (PTE_P implied). Returns
 * STATUS_EXISTS if va is already mapped, STATUS_NO_MEMORY for tables. */
status_t pt_map(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags);

/* The 4 KiB-level entry for va, creating the tables above it; NULL when
 * out of memory or a 2 MiB page is in the way. */
uint64_t *pt_entry(uint64_t root, uint64_t va);

/* How many tables pt_entry would make for va (0 to 3). */
unsigned pt_missing(uint64_t root, uint64_t va);

/* The 4 KiB-level entry for va if its tables exist (nothing is made);
 * NULL otherwise or when a 2 MiB page is in the way. */
uint64_t *pt_find(uint64_t root, uint64_t va);

/* Maps a 2 MiB page; STATUS_EXISTS if anything is mapped there. */
status_t pt_map_2m(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags);

/* Removes the 4 KiB mapping at va; stores the old frame in *pa if not
 * NULL. Returns STATUS_NOT_FOUND if va was not mapped. Tables stay. */
status_t pt_unmap(uint64_t root, uint64_t va, uint64_t *pa);

/* Ensures the tables down to the 4 KiB level exist for va. */
status_t pt_prepare(uint64_t root, uint64_t va);

/* Returns the leaf entry for va (4 KiB or 2 MiB), or 0 when unmapped. */
uint64_t pt_lookup(uint64_t root, uint64_t va);

/* True if addr lies in the unmapped guard gap of a kernel stack slot. */
bool kstack_guard_hit(uint64_t addr);

/* Sizes the stack area for managed_pages of memory (one slot per stack
 * they could hold, whole page tables, at most KSTACK_SLOTS) and returns
 * its slots; memory_init calls it once, before threads exist. */
uint32_t kstack_area_slots(uint64_t managed_pages);

static inline void tlb_flush_page(uint64_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

#endif
