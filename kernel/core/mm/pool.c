/*
 * pool.c - fixed-capacity object pools (see pool.h).
 *
 * Memory layout: the link array first, padded to POOL_ALIGN, then the
 * objects. Putting the links in front means an object overrunning its end
 * runs into the next object or out of the region, never into the links.
 *
 * Objects at index fresh and above have never been handed out: they are
 * taken in order once the free list is empty, so setting up a pool touches
 * none of its memory (neither the objects nor their links). Freed objects
 * form a LIFO list threaded through link[]; the most recently freed object
 * is reused first, while it is still warm in the cache.
 *
 * A freed object is filled with POOL_POISON and the fill is checked when
 * the object is handed out again: a write through a stale pointer in
 * between is reported through pool_poison_failed() (the kernel panics,
 * naming the pool) instead of silently corrupting the next owner's
 * object. Never-used objects carry no poison and are only zeroed.
 */
#include "core/mm/pool.h"
#include <string.h>

#define LINK_END 0xffffffffu  /* free list terminator */
#define LINK_LIVE 0xfffffffeu /* object is allocated */

static size_t round_up(size_t n)
{
	return (n + POOL_ALIGN - 1) & ~(size_t)(POOL_ALIGN - 1);
}

/* Bytes taken by the link array for capacity objects, padded so that the
 * objects after it stay aligned. capacity <= POOL_MAX_CAPACITY, so this
 * cannot overflow a 64-bit size_t. */
static size_t links_bytes(uint32_t capacity)
{
	return round_up((size_t)capacity * sizeof(uint32_t));
}

static void zero_bytes(uint8_t *p, size_t n)
{
	memset(p, 0, n);
}

/* Fills a freed object with the poison; stride is a multiple of 8. */
static void poison_fill(uint8_t *obj, size_t stride)
{
	uint64_t *w = (uint64_t *)(void *)obj;
	for (size_t i = 0; i < stride / 8; i++)
		w[i] = POOL_POISON;
}

/* Checks a recycled object's poison; reports the first word that changed. */
static void poison_check(const struct pool *p, const uint8_t *obj, uint32_t idx)
{
	const uint64_t *w = (const uint64_t *)(const void *)obj;
	for (size_t i = 0; i < p->stride / 8; i++)
		if (w[i] != POOL_POISON) {
			pool_poison_failed(p, idx, i * 8, w[i]);
			return;
		}
}

/* Stores in *idx the index of the object starting at ptr; returns false if
 * ptr is outside the pool or not at the start of an object. */
static bool index_of(const struct pool *p, const void *ptr, uint32_t *idx)
{
	if (!pool_contains(p, ptr))
		return false;
	size_t off = (uintptr_t)ptr - (uintptr_t)p->objs;
	if (off % p->stride)
		return false;
	*idx = (uint32_t)(off / p->stride);
	return *idx < p->fresh; /* objects never handed out are not objects yet */
}

size_t pool_bytes_needed(size_t obj_size, uint32_t capacity)
{
	if (!obj_size || !capacity || capacity > POOL_MAX_CAPACITY ||
	    obj_size > SIZE_MAX - (POOL_ALIGN - 1))
		return 0;
	size_t stride = round_up(obj_size);
	size_t links = links_bytes(capacity);
	if (stride > (SIZE_MAX - links) / capacity)
		return 0;
	return links + stride * capacity;
}

status_t pool_init(struct pool *p, const char *name, void *mem, size_t mem_bytes, size_t obj_size,
		   uint32_t capacity)
{
	size_t need = pool_bytes_needed(obj_size, capacity);

	if (!name || !mem || ((uintptr_t)mem & (POOL_ALIGN - 1)) || !need)
		return STATUS_INVALID;
	if (mem_bytes < need)
		return STATUS_NO_MEMORY;
	p->name = name;
	p->link = mem;
	p->objs = (uint8_t *)mem + links_bytes(capacity);
	p->stride = round_up(obj_size);
	p->capacity = capacity;
	p->fresh = 0;
	p->free_head = LINK_END;
	p->in_use = 0;
	p->high_water = 0;
	p->allocs = 0;
	p->failed_allocs = 0;
	return STATUS_OK;
}

status_t pool_alloc(struct pool *p, void **out)
{
	uint32_t i = p->free_head;
	bool recycled = i != LINK_END;

	if (recycled) {
		p->free_head = p->link[i];
	} else if (p->fresh < p->capacity) {
		i = p->fresh++;
	} else {
		p->failed_allocs++;
		*out = NULL;
		return STATUS_NO_MEMORY;
	}
	p->link[i] = LINK_LIVE;
	p->in_use++;
	if (p->in_use > p->high_water)
		p->high_water = p->in_use;
	p->allocs++;
	uint8_t *obj = p->objs + (size_t)i * p->stride;
	if (recycled)
		poison_check(p, obj, i);
	zero_bytes(obj, p->stride);
	*out = obj;
	return STATUS_OK;
}

status_t pool_free(struct pool *p, void *obj)
{
	uint32_t i;

	if (!index_of(p, obj, &i) || p->link[i] != LINK_LIVE)
		return STATUS_NOT_OWNED;
	poison_fill(obj, p->stride);
	p->link[i] = p->free_head;
	p->free_head = i;
	p->in_use--;
	return STATUS_OK;
}

bool pool_contains(const struct pool *p, const void *ptr)
{
	/* Compared as integers: ordering unrelated pointers is undefined. */
	uintptr_t a = (uintptr_t)ptr, base = (uintptr_t)p->objs;

	return a >= base && a - base < (size_t)p->capacity * p->stride;
}

bool pool_is_live(const struct pool *p, const void *ptr)
{
	uint32_t i;

	return index_of(p, ptr, &i) && p->link[i] == LINK_LIVE;
}

void pool_stats(const struct pool *p, struct pool_stats *out)
{
	out->obj_size = p->stride;
	out->capacity = p->capacity;
	out->in_use = p->in_use;
	out->high_water = p->high_water;
	out->allocs = p->allocs;
	out->failed_allocs = p->failed_allocs;
}

bool pool_check(const struct pool *p)
{
	uint32_t live = 0, free_len = 0;

	if (p->fresh > p->capacity)
		return false;
	for (uint32_t i = 0; i < p->fresh; i++)
		live += p->link[i] == LINK_LIVE;
	if (live != p->in_use || p->in_use > p->high_water || p->high_water > p->capacity)
		return false;
	/* Every step must land on a freed object; a cycle or a live object on
	 * the list shows up as a walk longer than the free count. */
	for (uint32_t i = p->free_head; i != LINK_END; i = p->link[i]) {
		if (i >= p->fresh || p->link[i] == LINK_LIVE || ++free_len > p->fresh - live)
			return false;
	}
	return free_len == p->fresh - live;
}
