/*
 * keel/alloc.h - explicit allocators for Keel programs.
 *
 * libsys has no malloc. Code that allocates takes one of these, and the
 * caller owns it (a struct, usually inside the service's state):
 *
 *   arena    a bump allocator over one caller buffer: allocation is a
 *            pointer increment, freeing is resetting to an earlier mark.
 *            For per-request scratch and for things that live as long as
 *            the program.
 *   objpool  objects of one size from one caller buffer, O(1) alloc and
 *            free, double frees and foreign pointers refused. For tables
 *            of sessions, handles, requests: anything with a known bound.
 *   heap     a general allocator (any size, any order of frees) that asks
 *            a caller-supplied page source for more memory when it runs
 *            out. On Keel the page source creates a memory object and maps
 *            it; in host tests it hands out pages of a static buffer.
 *
 * Every allocation is ALLOC_ALIGN-aligned unless an arena caller asks for
 * more. None of these is thread-safe: one thread owns each allocator, or
 * the caller serialises access. Failures are status values, never a NULL
 * to be guessed at.
 */
#ifndef KEEL_ALLOC_H
#define KEEL_ALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/status.h"

#define ALLOC_ALIGN 16u

/* ---------------------------------------------------------------- arena */

struct arena {
	uint8_t *base;
	size_t cap;
	size_t used;       /* bytes handed out, padding included */
	size_t high_water; /* most bytes ever used at once */
};

/* Sets up a over the bytes at mem (any alignment); mem must outlive a. */
void arena_init(struct arena *a, void *mem, size_t bytes);

/* Hands out size bytes aligned to align (a power of two; 0 means
 * ALLOC_ALIGN), not zeroed. Returns STATUS_INVALID for size 0 or a bad
 * alignment, STATUS_NO_MEMORY (*out = NULL) when they do not fit. */
status_t arena_alloc(struct arena *a, size_t size, size_t align, void **out);

/* Returns the current fill level, to be passed to arena_reset() later. */
size_t arena_mark(const struct arena *a);

/* Frees everything allocated since mark was taken (arena_reset(a, 0)
 * frees everything). Returns STATUS_RANGE, changing nothing, if mark lies
 * beyond the current fill level: a mark older than an earlier reset. */
status_t arena_reset(struct arena *a, size_t mark);

/* Bytes still available, ignoring alignment padding. */
size_t arena_remaining(const struct arena *a);

/* ---------------------------------------------------------------- objpool */

/* Capacities at or above this are refused: indices are 32-bit. */
#define OBJPOOL_MAX_CAPACITY 0xffffffffu

/*
 * The bookkeeping lives in front of the objects, outside them: a bitmap of
 * live objects and a stack of free indices. A write through a stale object
 * pointer therefore cannot corrupt the pool, and a double free, an
 * interior pointer or a foreign pointer is always detected.
 */
struct objpool {
	uint64_t *live;       /* bit i set: object i is allocated */
	uint32_t *free_stack; /* indices of free objects, top at free_count */
	uint8_t *objs;        /* capacity * stride bytes, ALLOC_ALIGN-aligned */
	size_t stride;        /* object size rounded up to ALLOC_ALIGN */
	uint32_t capacity;
	uint32_t free_count;
};

/* Bytes objpool_init() needs for capacity objects of obj_size bytes at
 * any alignment of mem; 0 if either is 0, capacity is too large or the
 * size overflows. */
size_t objpool_bytes_needed(size_t obj_size, uint32_t capacity);

/* Sets up p with capacity free objects of obj_size bytes in mem. Returns
 * STATUS_INVALID if objpool_bytes_needed() rejects the sizes or mem is
 * NULL, STATUS_NO_MEMORY if bytes is less than it asks for. */
status_t objpool_init(struct objpool *p, void *mem, size_t bytes, size_t obj_size,
		      uint32_t capacity);

/* Takes a free object, zeroes it and stores it in *out. Free objects are
 * reused most recently freed first; a fresh pool hands them out in
 * address order. Returns STATUS_NO_MEMORY (*out = NULL) when all are in
 * use. */
status_t objpool_alloc(struct objpool *p, void **out);

/* Returns obj to the pool. Returns STATUS_NOT_OWNED, changing nothing, if
 * obj is not the start of an allocated object of p: foreign, interior or
 * already free. */
status_t objpool_free(struct objpool *p, void *obj);

/* True if ptr is the start of an object of p that is allocated now. */
bool objpool_is_live(const struct objpool *p, const void *ptr);

/* Objects allocated now. */
uint32_t objpool_in_use(const struct objpool *p);

/* ---------------------------------------------------------------- heap */

#define HEAP_PAGE_SIZE 4096u
/* The largest single allocation; bigger buffers deserve their own memory
 * object. */
#define HEAP_ALLOC_MAX ((size_t)1 << 30)
/* Pages asked for at least, per growth, unless heap_init says otherwise. */
#define HEAP_GROW_PAGES_DEFAULT 16u
/* Size classes of the free lists: class k holds free blocks of
 * [32 << k, 64 << k) bytes, the last class everything larger. */
#define HEAP_CLASSES 26

/*
 * The page source. Stores in *out the address of pages * HEAP_PAGE_SIZE
 * fresh bytes, page-aligned, readable and writable, that stay valid as
 * long as the heap; returns STATUS_OK, or a status (typically
 * STATUS_NO_MEMORY or STATUS_QUOTA) which heap_alloc() passes on.
 */
typedef status_t (*heap_grow_fn)(void *ctx, size_t pages, void **out);

struct heap_block;
struct heap_segment;

struct heap_stats {
	size_t segments;      /* regions obtained from the page source */
	size_t bytes_mapped;  /* their total size */
	size_t blocks_in_use; /* live allocations */
	size_t bytes_in_use;  /* their usable sizes, summed */
	size_t free_blocks;
	uint64_t allocs;        /* successful heap_alloc()s (and moves by heap_realloc()) */
	uint64_t failed_allocs; /* heap_alloc()s refused for want of memory */
	uint64_t bad_frees;     /* heap_free()s refused with STATUS_NOT_OWNED */
};

struct heap {
	heap_grow_fn grow;
	void *grow_ctx;
	size_t grow_pages;
	struct heap_segment *segments;         /* most recent first */
	struct heap_block *bins[HEAP_CLASSES]; /* free lists by size class */
	uint32_t nonempty;                     /* bit k set: bins[k] has a block */
	struct heap_stats stats;
};

/* Sets up an empty heap that takes memory from grow(ctx, ...), at least
 * grow_pages pages at a time (0 means HEAP_GROW_PAGES_DEFAULT). The heap
 * never hands memory back to the page source. */
void heap_init(struct heap *h, heap_grow_fn grow, void *ctx, size_t grow_pages);

/*
 * Allocates size bytes, ALLOC_ALIGN-aligned, not zeroed. Free blocks are
 * searched first fit within the smallest size class that can hold the
 * request, then the next non-empty class; only when none fits is the page
 * source asked. Returns STATUS_INVALID for size 0, STATUS_NO_MEMORY for
 * size > HEAP_ALLOC_MAX or a page source returning unusable memory, or the
 * page source's own failure; *out = NULL on failure.
 */
status_t heap_alloc(struct heap *h, size_t size, void **out);

/* heap_alloc() and zero the bytes. */
status_t heap_zalloc(struct heap *h, size_t size, void **out);

/*
 * Frees ptr, merging it with free neighbours. Returns STATUS_NOT_OWNED,
 * changing nothing, when ptr is not a live allocation of h: NULL, outside
 * every segment, misaligned, inside a block, or freed already. Detection
 * rests on the block header (a magic word, the state and sizes agreeing
 * with both neighbours), so a pointer into the middle of a block whose
 * data imitates a header could get past it; every other case is caught.
 */
status_t heap_free(struct heap *h, void *ptr);

/*
 * Resizes the allocation at ptr to size bytes, keeping its contents up to
 * the smaller size, and stores the new address in *out: in place when it
 * shrinks or the next block is free and large enough, else by moving.
 * ptr NULL is heap_alloc(). On failure *out = NULL and ptr stays valid
 * and unchanged: STATUS_NOT_OWNED for a ptr heap_free() would refuse, the
 * heap_alloc() statuses otherwise.
 */
status_t heap_realloc(struct heap *h, void *ptr, size_t size, void **out);

/* Stores in *n the usable size of the live allocation ptr (at least what
 * was asked for); STATUS_NOT_OWNED as heap_free(). */
status_t heap_usable_size(const struct heap *h, const void *ptr, size_t *n);

/* Copies the counters to *out. */
void heap_stats(const struct heap *h, struct heap_stats *out);

/* Walks every segment and free list and returns true if all headers,
 * neighbour sizes, free lists, size classes and counters agree and no two
 * free blocks are adjacent. O(blocks). For tests and debug checks. */
bool heap_check(const struct heap *h);

#endif
