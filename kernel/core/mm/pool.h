/*
 * pool.h - pools of same-size kernel objects, grown on demand.
 *
 * Each kernel object type gets one pool with a limit (its capacity, sized
 * from the machine's memory by the caller). A pool holds no object memory
 * when it is set up: it takes a slab (2^order pages from a page source the
 * caller provides) when it runs out, up to the limit, and gives a slab
 * whose objects are all free back to the page source, keeping one empty
 * slab against thrashing. Running out - the limit reached or no pages -
 * is an explicit STATUS_NO_MEMORY, never a fallback to another allocator.
 *
 * All bookkeeping lives outside the objects, in one block the caller
 * provides at setup (pool_meta_bytes()): a uint32_t per object that is
 * either the next free index or a live marker, and a record per slab. A
 * scribble through a stale object pointer therefore cannot corrupt the
 * free lists, and a double free or a foreign pointer is always detected.
 * Objects keep their index for the pool's life: slab s holds the objects
 * [s * per_slab, (s + 1) * per_slab). Alloc is O(1) (O(slabs) when it
 * takes a new slab), free is O(log slabs) (finding the slab by address).
 *
 * Freed objects are poisoned (filled with POOL_POISON) and the poison is
 * checked when they are handed out again and when their slab goes back to
 * the page source, so a write through a stale pointer is caught:
 * pool_poison_failed() is called (the kernel's panics naming the pool; a
 * test's may record and return). Costs one fill per free and one check per
 * reuse of the object's size.
 *
 * Another CPU may still read a freed object until it has passed a
 * scheduling point. A slab emptied by pool_free is therefore not given
 * back at once: it leaves the pool (its objects are no longer handed out,
 * pointers into it are no longer objects) and is stamped by the page
 * source's retire(); pool_reclaim(p, safe) gives back the slabs whose
 * stamp is at most safe (the kernel: the TLB epoch every CPU has passed,
 * core/mm/reclaim.h). Until then its memory stays the pool's.
 *
 * Not thread-safe: the caller holds the kernel lock around every call
 * (and so around the page source's callbacks, which run inside them).
 */
#ifndef KEEL_CORE_POOL_H
#define KEEL_CORE_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/status.h"

#define POOL_ALIGN 16u
#define POOL_PAGE_SIZE 4096u
/* Two link values are reserved (end of list, allocated). */
#define POOL_MAX_CAPACITY 0xfffffffdu
/* A slab is the smallest power of two of pages holding this many objects,
 * at most POOL_SLAB_MAX_ORDER unless one object needs more. */
#define POOL_SLAB_OBJECTS 8u
#define POOL_SLAB_MAX_ORDER 2u
/* What a freed object holds until it is handed out again. */
#define POOL_POISON 0x6b6b6b6b6b6b6b6bull

struct pool;

/* Where a pool's slabs come from. */
struct pool_pages {
	/* Returns 2^order pages (POOL_ALIGN-aligned, any contents), or NULL
	 * when there are none. */
	void *(*take)(struct pool *p, unsigned order);
	/* Takes back pages take() returned. */
	void (*give)(struct pool *p, void *mem, unsigned order);
	/* A slab was emptied and left the pool: returns its stamp, and sees
	 * to it that pool_reclaim(p, safe) is called with safe >= the stamp
	 * once no CPU can still read the slab's objects. */
	uint64_t (*retire)(struct pool *p);
};

struct pool_slab {
	uint8_t *mem;        /* NULL: no pages */
	uint64_t stamp;      /* retiring: retire()'s stamp */
	uint32_t free_head;  /* this slab's freed objects, most recent first */
	uint32_t prev, next; /* on the list of slabs with room, or the retiring list */
	uint16_t fresh;      /* slots [fresh, per_slab) never handed out */
	uint16_t live;
	uint8_t state; /* POOL_SLAB_* (pool.c) */
};

struct pool {
	const char *name;
	const struct pool_pages *pages;
	uint32_t *link;          /* per object: next free or "live" */
	struct pool_slab *slabs; /* nslabs records */
	uint32_t *by_addr;       /* the active slabs, by address */
	size_t stride;           /* object size rounded up to POOL_ALIGN */
	uint32_t capacity;
	uint32_t per_slab;                /* objects per slab */
	uint32_t nslabs;                  /* slabs at the limit */
	uint32_t active;                  /* slabs in use (holding objects or ready to) */
	unsigned order;                   /* a slab is 2^order pages */
	uint32_t room;                    /* active slabs with a free or fresh slot */
	uint32_t retiring, retiring_tail; /* emptied slabs, oldest first */
	uint32_t empty;                   /* active slabs with no live object */
	uint32_t in_use;
	uint32_t high_water;
	uint64_t pages_held; /* pages of active and retiring slabs */
	uint64_t allocs;
	uint64_t failed_allocs;
	uint64_t grows, shrinks; /* slabs taken, slabs given back */
};

struct pool_stats {
	size_t obj_size; /* stride: the requested size rounded up */
	uint32_t capacity;
	uint32_t in_use;
	uint32_t high_water;    /* most objects ever in use at once */
	uint64_t allocs;        /* successful pool_alloc calls */
	uint64_t failed_allocs; /* pool_alloc calls refused */
	uint64_t pages;         /* pages of slabs the pool holds now */
	uint32_t slab_pages;    /* pages per slab */
	uint32_t per_slab;      /* objects per slab */
	uint64_t grows, shrinks;
};

/* Returns the bytes of bookkeeping pool_init() needs for capacity objects
 * of obj_size bytes, or 0 if either is 0, capacity > POOL_MAX_CAPACITY or
 * an object is larger than the biggest slab. */
size_t pool_meta_bytes(size_t obj_size, uint32_t capacity);

/* Sets up p to hand out up to capacity objects of obj_size bytes from
 * slabs taken from pages, keeping its bookkeeping in meta (8-byte aligned,
 * meta_bytes long, any contents). Holds no slab yet. name must outlive p.
 * Returns STATUS_INVALID for a NULL or misaligned meta or pages, or a size
 * or capacity pool_meta_bytes() rejects; STATUS_NO_MEMORY if meta_bytes is
 * too small. */
status_t pool_init(struct pool *p, const char *name, const struct pool_pages *pages, void *meta,
		   size_t meta_bytes, size_t obj_size, uint32_t capacity);

/* Takes a free object, zeroes it and stores it in *out, taking a new slab
 * if no slab has room. Returns STATUS_NO_MEMORY (and *out = NULL) when
 * capacity objects are in use or the page source has no slab. Caller
 * holds the kernel lock. */
status_t pool_alloc(struct pool *p, void **out);

/* Returns obj to the pool; a slab left with no live object leaves the
 * pool through retire() if another empty slab is kept already. Returns
 * STATUS_NOT_OWNED, changing nothing, if obj is not the start of an
 * allocated object of this pool (foreign, interior or already free).
 * Caller holds the kernel lock. */
status_t pool_free(struct pool *p, void *obj);

/* Gives back the retiring slabs stamped at most safe, after checking
 * their poison; returns how many are still retiring. Caller holds the
 * kernel lock. */
uint32_t pool_reclaim(struct pool *p, uint64_t safe);

/* Called when an object freed earlier (index idx) no longer holds the
 * poison, on reuse or when its slab is given back: byte offset holds the
 * word found. Provided by the pool's user (the kernel's panics,
 * core/mm/kmem.c). */
void pool_poison_failed(const struct pool *p, uint32_t idx, size_t offset, uint64_t found);

/* Returns true if ptr points anywhere inside one of the pool's active slabs. */
bool pool_contains(const struct pool *p, const void *ptr);

/* Returns true if ptr is the start of an object of this pool that is
 * allocated now: the check before trusting an object pointer. */
bool pool_is_live(const struct pool *p, const void *ptr);

/* Fills *out with the pool's current counters. */
void pool_stats(const struct pool *p, struct pool_stats *out);

/* Walks every slab, free list and link; returns true if the lists are
 * acyclic, in range, cover exactly the non-live objects, and the slab
 * lists and counters agree. O(capacity). For tests and debug checks. */
bool pool_check(const struct pool *p);

#endif
