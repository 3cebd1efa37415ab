/*
 * pool.h - fixed-capacity pools of same-size kernel objects.
 *
 * Each kernel object type gets one pool, sized at boot from one
 * contiguous region the caller takes from the page allocator. Running out is an
 * explicit STATUS_NO_MEMORY, never a fallback to another allocator.
 *
 * All bookkeeping lives outside the objects: a uint32_t per object that is
 * either the next free index or a live marker. A scribble through a stale
 * object pointer therefore cannot corrupt the free list, and a double free
 * or a foreign pointer is always detected. Alloc and free are O(1) in
 * bookkeeping; setting a pool up touches none of its memory.
 *
 * Freed objects are poisoned (filled with POOL_POISON) and the poison is
 * checked when they are handed out again, so a write through a stale
 * pointer is caught: pool_poison_failed() is called (the kernel's panics
 * naming the pool; a test's may record and return, and the object is
 * then zeroed and handed out as usual). Costs one fill per free and one
 * check per reuse of the object's size.
 *
 * Not thread-safe: the caller holds the kernel lock around every call.
 */
#ifndef KEEL_CORE_POOL_H
#define KEEL_CORE_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/status.h"

#define POOL_ALIGN 16u
/* Two link values are reserved (end of list, allocated). */
#define POOL_MAX_CAPACITY 0xfffffffdu
/* What a freed object holds until it is handed out again. */
#define POOL_POISON 0x6b6b6b6b6b6b6b6bull

struct pool {
	const char *name;
	uint8_t *objs;  /* capacity * stride bytes, aligned */
	uint32_t *link; /* per object: next free or "live" */
	size_t stride;  /* object size rounded up to POOL_ALIGN */
	uint32_t capacity;
	uint32_t fresh;     /* objects [fresh, capacity) were never handed out */
	uint32_t free_head; /* freed objects, most recent first */
	uint32_t in_use;
	uint32_t high_water;
	uint64_t allocs;
	uint64_t failed_allocs;
};

struct pool_stats {
	size_t obj_size; /* stride: the requested size rounded up */
	uint32_t capacity;
	uint32_t in_use;
	uint32_t high_water;    /* most objects ever in use at once */
	uint64_t allocs;        /* successful pool_alloc calls */
	uint64_t failed_allocs; /* pool_alloc calls finding it empty */
};

/* Returns the bytes of memory pool_init() needs for capacity objects of
 * obj_size bytes, or 0 if either is 0, capacity > POOL_MAX_CAPACITY or the
 * size overflows. */
size_t pool_bytes_needed(size_t obj_size, uint32_t capacity);

/* Sets up p to hand out capacity objects of obj_size bytes from mem
 * (POOL_ALIGN-aligned, mem_bytes long, any contents: it is not touched
 * until objects are handed out), all free. name must outlive p.
 * Returns STATUS_INVALID for a NULL or misaligned mem or a size or capacity
 * pool_bytes_needed() rejects; STATUS_NO_MEMORY if mem_bytes is too small. */
status_t pool_init(struct pool *p, const char *name, void *mem, size_t mem_bytes, size_t obj_size,
		   uint32_t capacity);

/* Takes a free object, zeroes it and stores it in *out. Returns
 * STATUS_NO_MEMORY (and *out = NULL) when all capacity objects are in use.
 * Caller holds the kernel lock. */
status_t pool_alloc(struct pool *p, void **out);

/* Returns obj to the pool. Returns STATUS_NOT_OWNED, changing nothing, if
 * obj is not the start of an allocated object of this pool (foreign,
 * interior or already free). Caller holds the kernel lock. */
status_t pool_free(struct pool *p, void *obj);

/* Called by pool_alloc when the object at index idx, freed earlier, no
 * longer holds the poison: byte offset holds the word found. Provided by
 * the pool's user (the kernel's panics, core/mm/kmem.c). */
void pool_poison_failed(const struct pool *p, uint32_t idx, size_t offset, uint64_t found);

/* Returns true if ptr points anywhere inside the pool's object area. */
bool pool_contains(const struct pool *p, const void *ptr);

/* Returns true if ptr is the start of an object of this pool that is
 * allocated now: the check before trusting an object pointer. */
bool pool_is_live(const struct pool *p, const void *ptr);

/* Fills *out with the pool's current counters. */
void pool_stats(const struct pool *p, struct pool_stats *out);

/* Walks the free list and every link; returns true if the list is acyclic,
 * in range, covers exactly the non-live objects and matches in_use.
 * O(capacity). For tests and debug checks. */
bool pool_check(const struct pool *p);

#endif
