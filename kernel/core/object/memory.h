/*
 * memory.h - memory objects (OBJ_MEMORY) and device ranges (OBJ_MMIO).
 *
 * A memory object is a set of physical pages that tasks map. Its pages are
 * charged to the creator's page quota and freed when the last capability
 * and the last mapping are gone - after every CPU has flushed its TLB
 * (core/mm/reclaim.h), since a stale translation could still reach them.
 * An MMIO object is a physical range of a device; mapping it is uncached
 * and nothing is freed. A borrowed object covers frames the kernel owns
 * for good (the boot bundle). All calls: lock held.
 */
#ifndef KEEL_CORE_MEMORY_H
#define KEEL_CORE_MEMORY_H

#include <stdint.h>

#include "abi/status.h"
#include "core/object/object.h"
#include "core/mm/reclaim.h"

#define MEMORY_MAX_PAGES 65536
#define MEMORY_OBJECTS_MAX 8192

enum memory_kind {
	MEM_PAGES,    /* separate frames, listed in frames[] */
	MEM_CONTIG,   /* one buddy block: base, 2^order pages */
	MEM_BORROWED, /* kernel-owned frames from base; never freed */
	MEM_DEVICE,   /* MMIO: physical range from base; never freed */
};

struct memory {
	struct kobj obj;
	enum memory_kind kind;
	uint64_t npages;
	uint64_t base;         /* MEM_CONTIG, MEM_BORROWED, MEM_DEVICE */
	unsigned order;        /* MEM_CONTIG: block order */
	uint64_t *frames;      /* MEM_PAGES: npages physical addresses (0: not made yet) */
	unsigned frames_order; /* pages of the frames[] array, as an order */
	struct reclaim_node reclaim;
};

void memory_objects_init(void);

/* Allocates pages zeroed pages (contiguous below 4 GiB when contig),
 * charged to q. STATUS_INVALID for 0 or too many pages. Where the
 * architecture has demand zero (ARCH_DEMAND_ZERO), the pages of a
 * non-contiguous object are only promised (kmem_reserve) and made, zeroed,
 * at their first touch (memory_page_fill): a promise is always kept, so
 * a touch never fails for want of memory. */
status_t memory_create(struct quota *q, uint64_t pages, bool contig, struct memory **out);

/* Wraps kernel-owned frames [base, base + pages * 4096). */
status_t memory_create_borrowed(uint64_t base, uint64_t pages, struct memory **out);

/* A device range: pages 4 KiB pages of physical space from base. */
status_t memory_create_device(struct quota *q, uint64_t base, uint64_t pages, struct memory **out);

/* Physical address of page i (i < npages); 0 for a page of a demand-zero
 * object not touched yet. */
uint64_t memory_page(const struct memory *m, uint64_t i);

/* Physical address of page i, made (zeroed) now if it was not yet. Runs
 * under every lock or under its CPU's lock alone (a first touch from a
 * fault or a user copy). */
uint64_t memory_page_fill(struct memory *m, uint64_t i);

/* Objects alive, for statistics. */
uint32_t memory_count(void);

#endif
