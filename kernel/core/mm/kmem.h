/*
 * kmem.h - the kernel's physical memory: one page allocator for all CPUs.
 *
 * Wraps core/mm/page_alloc.h with the direct map, so callers get zeroed pages
 * they can use at once, and with counters tests read to prove memory
 * returns to baseline. Callers hold the kernel lock, except during boot
 * when only one CPU runs.
 */
#ifndef KEEL_CORE_KMEM_H
#define KEEL_CORE_KMEM_H

#include <stddef.h>
#include <stdint.h>

#include "abi/status.h"
#include "core/arch.h"
#include "core/mm/page_alloc.h"

#define PAGE_SIZE 4096ull

/* Installs the allocator kmem hands pages from (set up by the arch's boot code). */
void kmem_init(struct page_alloc *pa);

/* Allocates 2^order zeroed pages; stores the physical address in *pa. */
status_t kmem_alloc(unsigned order, uint64_t *pa);

/* Like kmem_alloc, but the pages keep whatever they held: only for
 * memory written whole before anything reads it, and never shown to a
 * task before that. */
status_t kmem_alloc_uninit(unsigned order, uint64_t *pa);

/* Frees 2^order pages at pa; a bad free is a kernel bug and panics. */
void kmem_free(uint64_t pa, unsigned order);

/* Like kmem_alloc_uninit for pages contiguous pages that need not be a
 * power of two: the block is trimmed to them (page_alloc_trim), so
 * nothing past them is held. Not zeroed (a task's slot table: cspace_init
 * and replies_init write what is read). Freed with kmem_free_run and the
 * same count. */
status_t kmem_alloc_run_uninit(uint64_t pages, uint64_t *pa);
void kmem_free_run(uint64_t pa, uint64_t pages);

/*
 * Reservations: frames promised to a memory object whose pages are made
 * at first touch (core/object/memory.h). kmem_reserve promises pages
 * frames, STATUS_NO_MEMORY if fewer are free and unpromised; every other
 * allocation leaves the promised frames alone, so a promise is always
 * kept. kmem_unreserve gives back promises not taken.
 *
 * kmem_take_reserved takes one promised frame, zeroed, and panics if
 * none is promised (a kernel bug). Unlike every other kmem call it may
 * run under its CPU's lock alone (a fault, a user copy on the IPC path):
 * it is serialised with its own kind by a lock of its own, and every-lock
 * holders exclude it. The frame is freed with kmem_free.
 */
status_t kmem_reserve(uint64_t pages);
void kmem_unreserve(uint64_t pages);
uint64_t kmem_take_reserved(void);

/* Pages free now and not promised (kmem_reserve), and pages managed in all. */
uint64_t kmem_free_pages(void);
uint64_t kmem_total_pages(void);

/* The smallest order whose block holds bytes bytes. */
unsigned kmem_order(size_t bytes);

struct pool;

/* Sets up pool p for up to capacity objects of obj_size, grown on demand
 * with slabs from kmem and shrunk after the TLB epoch (see pool.h); only
 * its bookkeeping is taken now. On a small machine the limit is halved
 * until the pool at its limit takes at most 1/16 of the managed memory
 * (down to 32 objects). Boot-time only: panics when memory is short,
 * naming the pool. */
void kmem_pool_setup(struct pool *p, const char *name, size_t obj_size, uint32_t capacity);

/* Pages the pools hold now: their slabs and their bookkeeping. */
uint64_t kmem_pool_pages(void);

/* Consistency check of the allocator (O(frames)); used by self-tests. */
bool kmem_check(void);

#endif
