/*
 * pool.c - object pools grown on demand (see pool.h).
 *
 * Bookkeeping block: the link array (one uint32_t per object), then the
 * slab records, then the active slabs' indices sorted by address (for
 * finding an object's slab from its pointer). It is separate from the
 * slabs, so an object overrunning its end runs into the next object or
 * out of its slab, never into the links.
 *
 * Slab s holds objects [s * per_slab, (s + 1) * per_slab) (fewer in the
 * last slab if the capacity is not a multiple). A slab is in one of three
 * states: EMPTY (no pages), ACTIVE (pages, objects handed out from it) or
 * RETIRING (emptied, left the pool, pages kept until pool_reclaim). Within
 * an active slab, slots at fresh and above have never been handed out:
 * they are taken in order once the slab's free list is empty, so taking a
 * slab touches none of its memory. Freed objects form a LIFO list per slab
 * threaded through link[]; the most recently freed object is reused first,
 * while it is still warm in the cache. Active slabs with a free or fresh
 * slot are on the "room" list, most recently freed into first.
 *
 * A freed object is filled with POOL_POISON and the fill is checked when
 * the object is handed out again and when its slab is given back: a write
 * through a stale pointer in between is reported through
 * pool_poison_failed() (the kernel panics, naming the pool) instead of
 * silently corrupting the next owner's object or the page's next user.
 * Never-used objects carry no poison and are only zeroed.
 */
#include "core/mm/pool.h"
#include <string.h>

#define LINK_END 0xffffffffu  /* free list terminator */
#define LINK_LIVE 0xfffffffeu /* object is allocated */
#define SLAB_NONE 0xffffffffu /* slab list terminator */

enum { POOL_SLAB_EMPTY, POOL_SLAB_ACTIVE, POOL_SLAB_RETIRING };

/* An object of more than this cannot be pooled (a slab is one buddy block). */
#define POOL_SLAB_LIMIT_ORDER 10u

static size_t round_up(size_t n, size_t to)
{
	return (n + to - 1) & ~(to - 1);
}

/* The slab order for objects of stride bytes, or -1 if none fits. */
static int slab_order(size_t stride)
{
	unsigned order = 0;
	while (order < POOL_SLAB_MAX_ORDER &&
	       ((size_t)POOL_PAGE_SIZE << order) / stride < POOL_SLAB_OBJECTS)
		order++;
	while (((size_t)POOL_PAGE_SIZE << order) < stride)
		if (++order > POOL_SLAB_LIMIT_ORDER)
			return -1;
	return (int)order;
}

static size_t slab_bytes(const struct pool *p)
{
	return (size_t)POOL_PAGE_SIZE << p->order;
}

/* Objects slab s holds: per_slab, or the rest of the capacity in the last. */
static uint32_t slab_objects(const struct pool *p, uint32_t s)
{
	uint32_t first = s * p->per_slab;
	return p->capacity - first < p->per_slab ? p->capacity - first : p->per_slab;
}

/* Fills a freed object with the poison; stride is a multiple of 8. */
static void poison_fill(uint8_t *obj, size_t stride)
{
	uint64_t *w = (uint64_t *)(void *)obj;
	for (size_t i = 0; i < stride / 8; i++)
		w[i] = POOL_POISON;
}

/* Checks a freed object's poison; reports the first word that changed. */
static void poison_check(const struct pool *p, const uint8_t *obj, uint32_t idx)
{
	const uint64_t *w = (const uint64_t *)(const void *)obj;
	for (size_t i = 0; i < p->stride / 8; i++)
		if (w[i] != POOL_POISON) {
			pool_poison_failed(p, idx, i * 8, w[i]);
			return;
		}
}

/* Doubly linked slab lists (room, retiring) through prev/next. */
static void list_push(struct pool *p, uint32_t *head, uint32_t s)
{
	p->slabs[s].prev = SLAB_NONE;
	p->slabs[s].next = *head;
	if (*head != SLAB_NONE)
		p->slabs[*head].prev = s;
	*head = s;
}

static void list_remove(struct pool *p, uint32_t *head, uint32_t *tail, uint32_t s)
{
	struct pool_slab *sl = &p->slabs[s];
	if (sl->prev != SLAB_NONE)
		p->slabs[sl->prev].next = sl->next;
	else
		*head = sl->next;
	if (sl->next != SLAB_NONE)
		p->slabs[sl->next].prev = sl->prev;
	else if (tail)
		*tail = sl->prev;
}

static bool has_room(const struct pool *p, uint32_t s)
{
	const struct pool_slab *sl = &p->slabs[s];
	return sl->free_head != LINK_END || sl->fresh < slab_objects(p, s);
}

/* Position in by_addr of the last active slab starting at or below a
 * (-1 if none). */
static long addr_rank(const struct pool *p, uintptr_t a)
{
	long lo = 0, hi = (long)p->active - 1, found = -1;
	while (lo <= hi) {
		long mid = lo + (hi - lo) / 2;
		if ((uintptr_t)p->slabs[p->by_addr[mid]].mem <= a) {
			found = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	return found;
}

static void addr_insert(struct pool *p, uint32_t s)
{
	long at = addr_rank(p, (uintptr_t)p->slabs[s].mem) + 1;
	memmove(&p->by_addr[at + 1], &p->by_addr[at],
		(p->active - (uint32_t)at) * sizeof(uint32_t));
	p->by_addr[at] = s;
	p->active++;
}

static void addr_remove(struct pool *p, uint32_t s)
{
	long at = addr_rank(p, (uintptr_t)p->slabs[s].mem);
	p->active--;
	memmove(&p->by_addr[at], &p->by_addr[at + 1],
		(p->active - (uint32_t)at) * sizeof(uint32_t));
}

/* Stores in *slab the active slab whose objects ptr points into, and in
 * *off the byte offset; returns false if there is none. */
static bool slab_of(const struct pool *p, const void *ptr, uint32_t *slab, size_t *off)
{
	/* Compared as integers: ordering unrelated pointers is undefined. */
	uintptr_t a = (uintptr_t)ptr;
	long at = addr_rank(p, a);
	if (at < 0)
		return false;
	uint32_t s = p->by_addr[at];
	size_t o = a - (uintptr_t)p->slabs[s].mem;
	if (o >= (size_t)slab_objects(p, s) * p->stride)
		return false;
	*slab = s;
	*off = o;
	return true;
}

/* Stores in *idx the index of the object starting at ptr; returns false if
 * ptr is not at the start of an object of an active slab that was ever
 * handed out. */
static bool index_of(const struct pool *p, const void *ptr, uint32_t *slab, uint32_t *idx)
{
	uint32_t s;
	size_t off;
	if (!slab_of(p, ptr, &s, &off) || off % p->stride)
		return false;
	uint32_t slot = (uint32_t)(off / p->stride);
	if (slot >= p->slabs[s].fresh) /* never handed out: not an object yet */
		return false;
	*slab = s;
	*idx = s * p->per_slab + slot;
	return true;
}

size_t pool_meta_bytes(size_t obj_size, uint32_t capacity)
{
	if (!obj_size || !capacity || capacity > POOL_MAX_CAPACITY ||
	    obj_size > ((size_t)POOL_PAGE_SIZE << POOL_SLAB_LIMIT_ORDER))
		return 0;
	size_t stride = round_up(obj_size, POOL_ALIGN);
	int order = slab_order(stride);
	if (order < 0)
		return 0;
	size_t per_slab = ((size_t)POOL_PAGE_SIZE << order) / stride;
	size_t nslabs = (capacity + per_slab - 1) / per_slab;
	return round_up((size_t)capacity * sizeof(uint32_t), 8) +
	       nslabs * (sizeof(struct pool_slab) + sizeof(uint32_t));
}

status_t pool_init(struct pool *p, const char *name, const struct pool_pages *pages, void *meta,
		   size_t meta_bytes, size_t obj_size, uint32_t capacity)
{
	size_t need = pool_meta_bytes(obj_size, capacity);

	if (!name || !pages || !meta || ((uintptr_t)meta & 7) || !need)
		return STATUS_INVALID;
	if (meta_bytes < need)
		return STATUS_NO_MEMORY;
	memset(p, 0, sizeof *p);
	p->name = name;
	p->pages = pages;
	p->stride = round_up(obj_size, POOL_ALIGN);
	p->order = (unsigned)slab_order(p->stride);
	p->per_slab = (uint32_t)(slab_bytes(p) / p->stride);
	p->capacity = capacity;
	p->nslabs = (capacity + p->per_slab - 1) / p->per_slab;
	p->link = meta;
	p->slabs = (struct pool_slab *)(void *)((uint8_t *)meta +
						round_up((size_t)capacity * sizeof(uint32_t), 8));
	p->by_addr = (uint32_t *)(void *)(p->slabs + p->nslabs);
	for (uint32_t s = 0; s < p->nslabs; s++)
		p->slabs[s] = (struct pool_slab){ .free_head = LINK_END,
						  .prev = SLAB_NONE,
						  .next = SLAB_NONE,
						  .state = POOL_SLAB_EMPTY };
	p->room = SLAB_NONE;
	p->retiring = p->retiring_tail = SLAB_NONE;
	return STATUS_OK;
}

/* Makes slab s (its pages at mem) active and ready to hand out objects. */
static void activate(struct pool *p, uint32_t s)
{
	p->slabs[s].state = POOL_SLAB_ACTIVE;
	addr_insert(p, s);
	list_push(p, &p->room, s);
	p->empty++;
}

/* Finds a slab with room when the room list is empty: the newest retiring
 * slab (its pages are still ours), else a new one from the page source.
 * Returns SLAB_NONE at the limit or when there are no pages. */
static uint32_t grow(struct pool *p)
{
	if (p->in_use >= p->capacity)
		return SLAB_NONE;
	uint32_t s = p->retiring_tail;
	if (s != SLAB_NONE) {
		list_remove(p, &p->retiring, &p->retiring_tail, s);
		activate(p, s);
		return s;
	}
	for (s = 0; s < p->nslabs && p->slabs[s].state != POOL_SLAB_EMPTY; s++)
		;
	if (s == p->nslabs)
		return SLAB_NONE;
	uint8_t *mem = p->pages->take(p, p->order);
	if (!mem)
		return SLAB_NONE;
	struct pool_slab *sl = &p->slabs[s];
	sl->mem = mem;
	sl->free_head = LINK_END;
	sl->fresh = 0;
	sl->live = 0;
	p->pages_held += 1u << p->order;
	p->grows++;
	activate(p, s);
	return s;
}

status_t pool_alloc(struct pool *p, void **out)
{
	uint32_t s = p->room;

	if (s == SLAB_NONE && (s = grow(p)) == SLAB_NONE) {
		p->failed_allocs++;
		*out = NULL;
		return STATUS_NO_MEMORY;
	}
	struct pool_slab *sl = &p->slabs[s];
	uint32_t i = sl->free_head;
	bool recycled = i != LINK_END;
	if (recycled)
		sl->free_head = p->link[i];
	else
		i = s * p->per_slab + sl->fresh++;
	if (sl->live++ == 0)
		p->empty--;
	if (!has_room(p, s))
		list_remove(p, &p->room, NULL, s);
	p->link[i] = LINK_LIVE;
	p->in_use++;
	if (p->in_use > p->high_water)
		p->high_water = p->in_use;
	p->allocs++;
	uint8_t *obj = sl->mem + (size_t)(i - s * p->per_slab) * p->stride;
	if (recycled)
		poison_check(p, obj, i);
	memset(obj, 0, p->stride);
	*out = obj;
	return STATUS_OK;
}

/* Slab s has no live object and another empty slab is kept: it leaves the
 * pool, and its pages go back once pool_reclaim is told it is safe. */
static void retire(struct pool *p, uint32_t s)
{
	struct pool_slab *sl = &p->slabs[s];
	list_remove(p, &p->room, NULL, s);
	addr_remove(p, s);
	sl->state = POOL_SLAB_RETIRING;
	sl->stamp = p->pages->retire(p);
	sl->next = SLAB_NONE;
	sl->prev = p->retiring_tail;
	if (p->retiring_tail != SLAB_NONE)
		p->slabs[p->retiring_tail].next = s;
	else
		p->retiring = s;
	p->retiring_tail = s;
}

status_t pool_free(struct pool *p, void *obj)
{
	uint32_t s, i;

	if (!index_of(p, obj, &s, &i) || p->link[i] != LINK_LIVE)
		return STATUS_NOT_OWNED;
	struct pool_slab *sl = &p->slabs[s];
	bool was_full = !has_room(p, s);
	poison_fill(obj, p->stride);
	p->link[i] = sl->free_head;
	sl->free_head = i;
	p->in_use--;
	if (was_full)
		list_push(p, &p->room, s);
	if (--sl->live == 0) {
		if (p->empty)
			retire(p, s);
		else
			p->empty++;
	}
	return STATUS_OK;
}

uint32_t pool_reclaim(struct pool *p, uint64_t safe)
{
	uint32_t s;

	while ((s = p->retiring) != SLAB_NONE && p->slabs[s].stamp <= safe) {
		struct pool_slab *sl = &p->slabs[s];
		list_remove(p, &p->retiring, &p->retiring_tail, s);
		for (uint32_t slot = 0; slot < sl->fresh; slot++)
			poison_check(p, sl->mem + (size_t)slot * p->stride, s * p->per_slab + slot);
		p->pages->give(p, sl->mem, p->order);
		sl->mem = NULL;
		sl->state = POOL_SLAB_EMPTY;
		p->pages_held -= 1u << p->order;
		p->shrinks++;
	}
	uint32_t left = 0;
	for (s = p->retiring; s != SLAB_NONE; s = p->slabs[s].next)
		left++;
	return left;
}

bool pool_contains(const struct pool *p, const void *ptr)
{
	uint32_t s;
	size_t off;
	return slab_of(p, ptr, &s, &off);
}

bool pool_is_live(const struct pool *p, const void *ptr)
{
	uint32_t s, i;

	return index_of(p, ptr, &s, &i) && p->link[i] == LINK_LIVE;
}

void pool_stats(const struct pool *p, struct pool_stats *out)
{
	out->obj_size = p->stride;
	out->capacity = p->capacity;
	out->in_use = p->in_use;
	out->high_water = p->high_water;
	out->allocs = p->allocs;
	out->failed_allocs = p->failed_allocs;
	out->pages = p->pages_held;
	out->slab_pages = 1u << p->order;
	out->per_slab = p->per_slab;
	out->grows = p->grows;
	out->shrinks = p->shrinks;
}

/* Checks one active or retiring slab's links and free list; adds its live
 * objects to *live. */
static bool check_slab(const struct pool *p, uint32_t s, uint32_t *live)
{
	const struct pool_slab *sl = &p->slabs[s];
	uint32_t first = s * p->per_slab, n = 0, free_len = 0;

	if (!sl->mem || sl->fresh > slab_objects(p, s))
		return false;
	for (uint32_t i = first; i < first + sl->fresh; i++)
		n += p->link[i] == LINK_LIVE;
	if (n != sl->live)
		return false;
	/* Every step must land on a freed object of this slab; a cycle or a
	 * live object on the list shows up as a walk longer than the free
	 * count. */
	for (uint32_t i = sl->free_head; i != LINK_END; i = p->link[i])
		if (i < first || i >= first + sl->fresh || p->link[i] == LINK_LIVE ||
		    ++free_len > sl->fresh - n)
			return false;
	*live += n;
	return free_len == sl->fresh - n;
}

/* Walks a slab list; returns its length, or SLAB_NONE if a slab on it is
 * in the wrong state or the walk does not end. */
static uint32_t list_length(const struct pool *p, uint32_t head, uint8_t state)
{
	uint32_t n = 0, prev = SLAB_NONE;
	for (uint32_t s = head; s != SLAB_NONE; prev = s, s = p->slabs[s].next)
		if (s >= p->nslabs || p->slabs[s].state != state || p->slabs[s].prev != prev ||
		    ++n > p->nslabs)
			return SLAB_NONE;
	return n;
}

bool pool_check(const struct pool *p)
{
	uint32_t live = 0, active = 0, retiring = 0, room = 0, empty = 0;

	for (uint32_t s = 0; s < p->nslabs; s++) {
		const struct pool_slab *sl = &p->slabs[s];
		if (sl->state == POOL_SLAB_EMPTY) {
			if (sl->mem)
				return false;
			continue;
		}
		if (!check_slab(p, s, &live))
			return false;
		if (sl->state == POOL_SLAB_RETIRING) {
			if (sl->live)
				return false;
			retiring++;
			continue;
		}
		active++;
		room += has_room(p, s);
		empty += !sl->live;
	}
	if (live != p->in_use || p->in_use > p->high_water || p->high_water > p->capacity ||
	    active != p->active || empty != p->empty || empty > 1 ||
	    p->pages_held != (uint64_t)(active + retiring) << p->order)
		return false;
	if (list_length(p, p->room, POOL_SLAB_ACTIVE) != room ||
	    list_length(p, p->retiring, POOL_SLAB_RETIRING) != retiring)
		return false;
	for (uint32_t s = p->room; s != SLAB_NONE; s = p->slabs[s].next)
		if (!has_room(p, s))
			return false;
	if (retiring ? p->slabs[p->retiring_tail].next != SLAB_NONE : p->retiring_tail != SLAB_NONE)
		return false;
	/* Sorted, active, and not overlapping. */
	for (uint32_t r = 0; r < p->active; r++) {
		if (p->by_addr[r] >= p->nslabs || p->slabs[p->by_addr[r]].state != POOL_SLAB_ACTIVE)
			return false;
		if (r && (uintptr_t)p->slabs[p->by_addr[r - 1]].mem + slab_bytes(p) >
				 (uintptr_t)p->slabs[p->by_addr[r]].mem)
			return false;
	}
	return true;
}
