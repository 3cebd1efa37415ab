/*
 * page_alloc.h - binary buddy allocator for physical 4 KiB frames.
 *
 * The allocator manages the frames of one contiguous physical span
 * [base, base + nframes * PAGE_ALLOC_PAGE_SIZE). It never reads or writes
 * the frames themselves: all bookkeeping lives in a metadata array that the
 * caller provides (page_alloc_meta_bytes() bytes, one record per frame), so
 * it works before the frames are mapped and in host tests with no memory
 * behind the addresses.
 *
 * Every frame starts reserved; page_alloc_add_free() hands usable ranges to
 * the allocator. A block of order k is 2^k frames and its physical address
 * is aligned to 2^k frames, so an order-9 block is a 2 MiB-aligned 2 MiB.
 *
 * Not thread-safe: the caller holds the kernel lock around every call.
 */
#ifndef KEEL_CORE_PAGE_ALLOC_H
#define KEEL_CORE_PAGE_ALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/status.h"

#define PAGE_ALLOC_PAGE_SHIFT 12
#define PAGE_ALLOC_PAGE_SIZE (1u << PAGE_ALLOC_PAGE_SHIFT)
#define PAGE_ALLOC_MAX_ORDER 10
#define PAGE_ALLOC_ORDERS (PAGE_ALLOC_MAX_ORDER + 1)
/* Frame indices are 32-bit in the metadata: at most 16 TiB per allocator. */
#define PAGE_ALLOC_MAX_FRAMES 0xfffffffeu

struct page_meta;

struct page_alloc {
	struct page_meta *meta; /* a record per frame, then */
	uint8_t *state;         /* a state byte per frame (page_alloc.c) */
	uint64_t base_pfn;
	uint64_t nframes;
	uint64_t total_frames;
	uint64_t free_frames;
	uint32_t free_head[PAGE_ALLOC_ORDERS];
	uint64_t free_blocks[PAGE_ALLOC_ORDERS];
	uint64_t alloc_blocks[PAGE_ALLOC_ORDERS];
};

struct page_alloc_stats {
	uint64_t total_frames; /* frames ever handed in by add_free */
	uint64_t free_frames;  /* of those, frames free now */
	uint64_t free_blocks[PAGE_ALLOC_ORDERS];
	uint64_t alloc_blocks[PAGE_ALLOC_ORDERS];
};

/* Returns the metadata size in bytes needed to manage nframes frames, or 0
 * if nframes is 0 or above PAGE_ALLOC_MAX_FRAMES. */
size_t page_alloc_meta_bytes(uint64_t nframes);

/* Sets up pa to manage nframes frames from base_phys, all reserved, keeping
 * its bookkeeping in meta (4-byte aligned, meta_bytes long). Returns
 * STATUS_INVALID for an unaligned base or meta, a bad nframes or a span
 * past 2^64; STATUS_NO_MEMORY if meta_bytes is too small. */
status_t page_alloc_init(struct page_alloc *pa, void *meta, size_t meta_bytes, uint64_t base_phys,
			 uint64_t nframes);

/* Makes the reserved frames of [start, end) free, coalescing with free
 * neighbours. Returns STATUS_INVALID if the bounds are unaligned or end <
 * start, STATUS_RANGE if outside the span, STATUS_EXISTS if any frame was
 * already handed in; on error nothing changes. Caller holds the kernel lock. */
status_t page_alloc_add_free(struct page_alloc *pa, uint64_t start, uint64_t end);

/* Allocates a block of 2^order frames and stores its address in *phys_out.
 * Returns STATUS_INVALID if order > PAGE_ALLOC_MAX_ORDER, STATUS_NO_MEMORY
 * if no block is large enough. Caller holds the kernel lock. */
status_t page_alloc_alloc(struct page_alloc *pa, unsigned order, uint64_t *phys_out);

/* Frees the block at phys allocated with this order, coalescing buddies.
 * Returns STATUS_INVALID if order > PAGE_ALLOC_MAX_ORDER, STATUS_NOT_OWNED
 * if phys is not the start of an allocated block of that order; on error
 * nothing changes. Caller holds the kernel lock. */
status_t page_alloc_free(struct page_alloc *pa, uint64_t phys, unsigned order);

/* Keeps the first keep frames of the allocated block at phys (of this
 * order) and frees the rest: for memory that must be contiguous but is
 * not a power of two in size. The kept frames become allocated blocks of
 * their own (aligned powers of two, largest first), each freed later
 * with its own order. Returns STATUS_INVALID for keep 0 or above the
 * block's size, STATUS_NOT_OWNED as page_alloc_free; on error nothing
 * changes. Caller holds the kernel lock. */
status_t page_alloc_trim(struct page_alloc *pa, uint64_t phys, unsigned order, uint64_t keep);

/* Fills *out with the current counters. Caller holds the kernel lock. */
void page_alloc_stats(const struct page_alloc *pa, struct page_alloc_stats *out);

/* Walks the free lists and every frame record; returns true if links, states,
 * alignment, coalescing and counters are all consistent. O(nframes). Caller
 * holds the kernel lock. */
bool page_alloc_check(const struct page_alloc *pa);

#endif
