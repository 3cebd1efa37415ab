/*
 * alloc.c - arena, object pool and heap (see keel/alloc.h).
 *
 * Heap layout. Each region from the page source is a segment:
 *
 *   segment header (16) | block | block | ... | end marker (16)
 *
 * Every block starts with a 16-byte header (magic, state, its size and
 * the size of the block before it, both in 16-byte units) followed by its
 * payload, so payloads stay 16-aligned. The end marker is a header with
 * state END and size 0 whose prev names the last block. With both sizes in
 * each header a block finds both neighbours in O(1): free merges them, and
 * a pointer passed to free is checked against them. A free block keeps its
 * free-list links in its first payload bytes; the smallest block is 32
 * bytes. No two free blocks are ever adjacent. A header swallowed by a
 * merge is wiped, so old headers do not linger inside later blocks.
 */
#include "keel/alloc.h"
#include "keel/sys.h"

_Static_assert(HEAP_PAGE_SIZE == KEEL_PAGE_SIZE, "the heap grows by Keel pages");

static bool is_pow2(size_t x)
{
	return x && !(x & (x - 1));
}

static size_t round_up(size_t n, size_t align)
{
	return (n + align - 1) & ~(align - 1);
}

/* ---------------------------------------------------------------- arena */

void arena_init(struct arena *a, void *mem, size_t bytes)
{
	a->base = mem;
	a->cap = mem ? bytes : 0;
	a->used = 0;
	a->high_water = 0;
}

status_t arena_alloc(struct arena *a, size_t size, size_t align, void **out)
{
	*out = NULL;
	if (!align)
		align = ALLOC_ALIGN;
	if (!size || !is_pow2(align))
		return STATUS_INVALID;
	uintptr_t at = (uintptr_t)a->base + a->used;
	size_t pad = (size_t)(-at & (align - 1));
	size_t room = a->cap - a->used;
	if (pad > room || size > room - pad)
		return STATUS_NO_MEMORY;
	*out = a->base + a->used + pad;
	a->used += pad + size;
	if (a->used > a->high_water)
		a->high_water = a->used;
	return STATUS_OK;
}

size_t arena_mark(const struct arena *a)
{
	return a->used;
}

status_t arena_reset(struct arena *a, size_t mark)
{
	if (mark > a->used)
		return STATUS_RANGE;
	a->used = mark;
	return STATUS_OK;
}

size_t arena_remaining(const struct arena *a)
{
	return a->cap - a->used;
}

/* ---------------------------------------------------------------- objpool */

static size_t bitmap_bytes(uint32_t capacity)
{
	return ((size_t)capacity + 63) / 64 * sizeof(uint64_t);
}

/* Bytes of bookkeeping in front of the objects, keeping them aligned. */
static size_t pool_meta_bytes(uint32_t capacity)
{
	return round_up(bitmap_bytes(capacity) + (size_t)capacity * sizeof(uint32_t), ALLOC_ALIGN);
}

size_t objpool_bytes_needed(size_t obj_size, uint32_t capacity)
{
	if (!obj_size || !capacity || capacity >= OBJPOOL_MAX_CAPACITY ||
	    obj_size > SIZE_MAX - ALLOC_ALIGN)
		return 0;
	size_t stride = round_up(obj_size, ALLOC_ALIGN);
	size_t fixed = pool_meta_bytes(capacity) + ALLOC_ALIGN - 1;
	if (stride > (SIZE_MAX - fixed) / capacity)
		return 0;
	return fixed + stride * capacity;
}

status_t objpool_init(struct objpool *p, void *mem, size_t bytes, size_t obj_size,
		      uint32_t capacity)
{
	size_t need = objpool_bytes_needed(obj_size, capacity);

	if (!mem || !need)
		return STATUS_INVALID;
	if (bytes < need)
		return STATUS_NO_MEMORY;
	uint8_t *base = (uint8_t *)mem + (-(uintptr_t)mem & (ALLOC_ALIGN - 1));
	p->live = (uint64_t *)base;
	p->free_stack = (uint32_t *)(base + bitmap_bytes(capacity));
	p->objs = base + pool_meta_bytes(capacity);
	p->stride = round_up(obj_size, ALLOC_ALIGN);
	p->capacity = capacity;
	p->free_count = capacity;
	memset(p->live, 0, bitmap_bytes(capacity));
	/* The top of the stack is index 0: fresh objects go out in order. */
	for (uint32_t i = 0; i < capacity; i++)
		p->free_stack[i] = capacity - 1 - i;
	return STATUS_OK;
}

static bool pool_bit(const struct objpool *p, uint32_t i)
{
	return p->live[i / 64] >> (i % 64) & 1;
}

static void pool_set_bit(struct objpool *p, uint32_t i, bool on)
{
	uint64_t m = (uint64_t)1 << (i % 64);

	p->live[i / 64] = on ? p->live[i / 64] | m : p->live[i / 64] & ~m;
}

/* Stores in *idx the index of the object starting at ptr; false if ptr is
 * outside the objects or not at the start of one. Integer arithmetic:
 * comparing unrelated pointers is undefined. */
static bool pool_index(const struct objpool *p, const void *ptr, uint32_t *idx)
{
	uintptr_t a = (uintptr_t)ptr, base = (uintptr_t)p->objs;

	if (a < base || a - base >= (size_t)p->capacity * p->stride || (a - base) % p->stride)
		return false;
	*idx = (uint32_t)((a - base) / p->stride);
	return true;
}

status_t objpool_alloc(struct objpool *p, void **out)
{
	if (!p->free_count) {
		*out = NULL;
		return STATUS_NO_MEMORY;
	}
	uint32_t i = p->free_stack[--p->free_count];
	pool_set_bit(p, i, true);
	uint8_t *obj = p->objs + (size_t)i * p->stride;
	memset(obj, 0, p->stride);
	*out = obj;
	return STATUS_OK;
}

status_t objpool_free(struct objpool *p, void *obj)
{
	uint32_t i;

	if (!pool_index(p, obj, &i) || !pool_bit(p, i))
		return STATUS_NOT_OWNED;
	pool_set_bit(p, i, false);
	p->free_stack[p->free_count++] = i;
	return STATUS_OK;
}

bool objpool_is_live(const struct objpool *p, const void *ptr)
{
	uint32_t i;

	return pool_index(p, ptr, &i) && pool_bit(p, i);
}

uint32_t objpool_in_use(const struct objpool *p)
{
	return p->capacity - p->free_count;
}

/* ---------------------------------------------------------------- heap */

#define UNIT 16u               /* sizes in headers count these */
#define MIN_UNITS 2u           /* header and the two free-list links */
#define HEAP_MAGIC 0x4b48454cu /* "KHEL" as a big-endian word */

enum block_state { BLOCK_USED = 0x55, BLOCK_FREE = 0xf4, BLOCK_END = 0xed };

struct heap_block {
	uint32_t magic;
	uint32_t state;      /* enum block_state */
	uint32_t units;      /* this block, header included; 0 for the end marker */
	uint32_t prev_units; /* the block before, 0 if this is the first */
};

/* What a free block keeps in its payload. */
struct free_links {
	struct heap_block *next, *prev;
};

struct heap_segment {
	struct heap_segment *next;
	size_t bytes;
};

_Static_assert(sizeof(struct heap_block) == UNIT, "block header is one unit");
_Static_assert(sizeof(struct heap_segment) == UNIT, "segment header is one unit");
_Static_assert(sizeof(struct free_links) <= (MIN_UNITS - 1) * UNIT, "links fit");

static struct free_links *links(struct heap_block *b)
{
	return (struct free_links *)(b + 1);
}

static struct heap_block *next_block(struct heap_block *b)
{
	return (struct heap_block *)((uint8_t *)b + (size_t)b->units * UNIT);
}

static struct heap_block *prev_block(struct heap_block *b)
{
	return (struct heap_block *)((uint8_t *)b - (size_t)b->prev_units * UNIT);
}

static struct heap_block *first_block(struct heap_segment *s)
{
	return (struct heap_block *)(s + 1);
}

static struct heap_block *end_marker(struct heap_segment *s)
{
	return (struct heap_block *)((uint8_t *)s + s->bytes - UNIT);
}

static void set_header(struct heap_block *b, enum block_state st, uint32_t units,
		       uint32_t prev_units)
{
	b->magic = HEAP_MAGIC;
	b->state = st;
	b->units = units;
	b->prev_units = prev_units;
}

/* The size class of a free block of the given units (see HEAP_CLASSES). */
static unsigned size_class(uint32_t units)
{
	unsigned bits = 63 - (unsigned)__builtin_clzll((uint64_t)units * UNIT);
	unsigned k = bits - 5;

	return k < HEAP_CLASSES ? k : HEAP_CLASSES - 1;
}

static void bin_insert(struct heap *h, struct heap_block *b)
{
	unsigned k = size_class(b->units);
	struct heap_block *head = h->bins[k];

	links(b)->prev = NULL;
	links(b)->next = head;
	if (head)
		links(head)->prev = b;
	h->bins[k] = b;
	h->nonempty |= 1u << k;
	h->stats.free_blocks++;
}

static void bin_remove(struct heap *h, struct heap_block *b)
{
	unsigned k = size_class(b->units);
	struct free_links *l = links(b);

	if (l->prev)
		links(l->prev)->next = l->next;
	else
		h->bins[k] = l->next;
	if (l->next)
		links(l->next)->prev = l->prev;
	if (!h->bins[k])
		h->nonempty &= ~(1u << k);
	h->stats.free_blocks--;
}

/* Records b's size in its successor's header after b has changed size. */
static void link_next(struct heap_block *b)
{
	next_block(b)->prev_units = b->units;
}

/* Shrinks the used block b to units, turning the rest into a free block
 * merged with a free successor, when the rest is big enough to be one. */
static void split_tail(struct heap *h, struct heap_block *b, uint32_t units)
{
	uint32_t rest = b->units - units;

	if (rest < MIN_UNITS)
		return;
	b->units = units;
	struct heap_block *t = next_block(b);
	set_header(t, BLOCK_FREE, rest, units);
	struct heap_block *n = next_block(t);
	if (n->state == BLOCK_FREE) {
		bin_remove(h, n);
		t->units += n->units;
		n->magic = 0;
	}
	link_next(t);
	bin_insert(h, t);
}

/* The units of a block holding size payload bytes; size <= HEAP_ALLOC_MAX. */
static uint32_t units_for(size_t size)
{
	return (uint32_t)(round_up(size, UNIT) / UNIT + 1);
}

/* Returns the first free block of at least units, or NULL. */
static struct heap_block *find_fit(struct heap *h, uint32_t units)
{
	unsigned k = size_class(units);

	for (struct heap_block *b = h->bins[k]; b; b = links(b)->next)
		if (b->units >= units)
			return b;
	/* Every block of a higher class is at least twice the lower bound
	 * of class k, so the first one found fits. */
	uint32_t higher = k + 1 < HEAP_CLASSES ? h->nonempty & ~((2u << k) - 1) : 0;
	if (!higher)
		return NULL;
	return h->bins[__builtin_ctz(higher)];
}

/* Asks the page source for a segment with a free block of at least units,
 * and adds it to the heap. */
static status_t grow(struct heap *h, uint32_t units)
{
	size_t need = (size_t)units * UNIT + 2 * UNIT;
	size_t pages = round_up(need, HEAP_PAGE_SIZE) / HEAP_PAGE_SIZE;
	void *mem = NULL;

	if (pages < h->grow_pages)
		pages = h->grow_pages;
	status_t st = h->grow(h->grow_ctx, pages, &mem);
	if (st)
		return st;
	if (!mem || ((uintptr_t)mem & (HEAP_PAGE_SIZE - 1)))
		return STATUS_NO_MEMORY;
	struct heap_segment *s = mem;
	s->bytes = pages * HEAP_PAGE_SIZE;
	s->next = h->segments;
	h->segments = s;
	h->stats.segments++;
	h->stats.bytes_mapped += s->bytes;
	struct heap_block *b = first_block(s);
	set_header(b, BLOCK_FREE, (uint32_t)((s->bytes - 2 * UNIT) / UNIT), 0);
	set_header(end_marker(s), BLOCK_END, 0, b->units);
	bin_insert(h, b);
	return STATUS_OK;
}

void heap_init(struct heap *h, heap_grow_fn grow_fn, void *ctx, size_t grow_pages)
{
	memset(h, 0, sizeof *h);
	h->grow = grow_fn;
	h->grow_ctx = ctx;
	if (!grow_pages)
		grow_pages = HEAP_GROW_PAGES_DEFAULT;
	/* Segment sizes must stay within a header's 32-bit unit count. */
	if (grow_pages > HEAP_ALLOC_MAX / HEAP_PAGE_SIZE)
		grow_pages = HEAP_ALLOC_MAX / HEAP_PAGE_SIZE;
	h->grow_pages = grow_pages;
}

/* Marks the free block b used, cut down to units, and returns its payload. */
static void *take(struct heap *h, struct heap_block *b, uint32_t units)
{
	bin_remove(h, b);
	b->state = BLOCK_USED;
	split_tail(h, b, units);
	h->stats.blocks_in_use++;
	h->stats.bytes_in_use += ((size_t)b->units - 1) * UNIT;
	h->stats.allocs++;
	return b + 1;
}

status_t heap_alloc(struct heap *h, size_t size, void **out)
{
	*out = NULL;
	if (!size)
		return STATUS_INVALID;
	if (size > HEAP_ALLOC_MAX) {
		h->stats.failed_allocs++;
		return STATUS_NO_MEMORY;
	}
	uint32_t units = units_for(size);
	struct heap_block *b = find_fit(h, units);
	if (!b) {
		status_t st = h->grow ? grow(h, units) : STATUS_NO_MEMORY;
		if (st) {
			h->stats.failed_allocs++;
			return st;
		}
		b = first_block(h->segments);
	}
	*out = take(h, b, units);
	return STATUS_OK;
}

status_t heap_zalloc(struct heap *h, size_t size, void **out)
{
	status_t st = heap_alloc(h, size, out);

	if (!st)
		memset(*out, 0, size);
	return st;
}

/* Returns the segment whose blocks area holds the header of a payload at
 * ptr, or NULL. */
static struct heap_segment *segment_of(const struct heap *h, const void *ptr)
{
	uintptr_t a = (uintptr_t)ptr;

	for (struct heap_segment *s = h->segments; s; s = s->next) {
		uintptr_t lo = (uintptr_t)first_block(s) + UNIT;
		uintptr_t hi = (uintptr_t)end_marker(s);
		if (a >= lo && a < hi)
			return s;
	}
	return NULL;
}

/* Returns the header of the live allocation at ptr, or NULL when ptr is
 * not one (see heap_free). Only memory inside a segment is read. */
static struct heap_block *used_block(const struct heap *h, const void *ptr)
{
	if (!ptr || ((uintptr_t)ptr & (UNIT - 1)))
		return NULL;
	struct heap_segment *s = segment_of(h, ptr);
	if (!s)
		return NULL;
	struct heap_block *b = (struct heap_block *)ptr - 1;
	uintptr_t room = (uintptr_t)end_marker(s) - (uintptr_t)b;
	uintptr_t before = (uintptr_t)b - (uintptr_t)first_block(s);
	if (b->magic != HEAP_MAGIC || b->state != BLOCK_USED || b->units < MIN_UNITS ||
	    (size_t)b->units * UNIT > room || (size_t)b->prev_units * UNIT > before ||
	    (b->prev_units == 0) != (before == 0))
		return NULL;
	struct heap_block *n = next_block(b);
	if (n->magic != HEAP_MAGIC || n->prev_units != b->units)
		return NULL;
	if (b->prev_units) {
		struct heap_block *p = prev_block(b);
		if (p->magic != HEAP_MAGIC || p->units != b->prev_units)
			return NULL;
	}
	return b;
}

status_t heap_free(struct heap *h, void *ptr)
{
	struct heap_block *b = used_block(h, ptr);

	if (!b) {
		h->stats.bad_frees++;
		return STATUS_NOT_OWNED;
	}
	h->stats.blocks_in_use--;
	h->stats.bytes_in_use -= ((size_t)b->units - 1) * UNIT;
	b->state = BLOCK_FREE;
	struct heap_block *n = next_block(b);
	if (n->state == BLOCK_FREE) {
		bin_remove(h, n);
		b->units += n->units;
		n->magic = 0;
	}
	if (b->prev_units && prev_block(b)->state == BLOCK_FREE) {
		struct heap_block *p = prev_block(b);
		bin_remove(h, p);
		p->units += b->units;
		b->magic = 0;
		b = p;
	}
	link_next(b);
	bin_insert(h, b);
	return STATUS_OK;
}

/* Grows the used block b in place to units by taking its free successor;
 * returns false if that is not free or not big enough. */
static bool grow_in_place(struct heap *h, struct heap_block *b, uint32_t units)
{
	struct heap_block *n = next_block(b);

	if (n->state != BLOCK_FREE || (size_t)b->units + n->units < units)
		return false;
	bin_remove(h, n);
	b->units += n->units;
	n->magic = 0;
	link_next(b);
	return true;
}

status_t heap_realloc(struct heap *h, void *ptr, size_t size, void **out)
{
	if (!ptr)
		return heap_alloc(h, size, out);
	*out = NULL;
	struct heap_block *b = used_block(h, ptr);
	if (!b)
		return STATUS_NOT_OWNED;
	if (!size)
		return STATUS_INVALID;
	if (size > HEAP_ALLOC_MAX) {
		h->stats.failed_allocs++;
		return STATUS_NO_MEMORY;
	}
	uint32_t units = units_for(size);
	size_t old_bytes = ((size_t)b->units - 1) * UNIT;
	if (units <= b->units || grow_in_place(h, b, units)) {
		split_tail(h, b, units);
		h->stats.bytes_in_use = h->stats.bytes_in_use - old_bytes +
					((size_t)b->units - 1) * UNIT;
		*out = ptr;
		return STATUS_OK;
	}
	void *fresh;
	status_t st = heap_alloc(h, size, &fresh);
	if (st)
		return st;
	memcpy(fresh, ptr, old_bytes);
	heap_free(h, ptr);
	*out = fresh;
	return STATUS_OK;
}

status_t heap_usable_size(const struct heap *h, const void *ptr, size_t *n)
{
	const struct heap_block *b = used_block(h, ptr);

	if (!b)
		return STATUS_NOT_OWNED;
	*n = ((size_t)b->units - 1) * UNIT;
	return STATUS_OK;
}

void heap_stats(const struct heap *h, struct heap_stats *out)
{
	*out = h->stats;
}

/* Walks one segment's blocks, adding up what it finds; false on the first
 * inconsistency. */
static bool check_segment(struct heap_segment *s, size_t *used, size_t *used_bytes,
			  size_t *free_blocks)
{
	struct heap_block *b = first_block(s), *end = end_marker(s);
	uint32_t prev = 0;
	bool prev_free = false;

	if (s->bytes < HEAP_PAGE_SIZE || s->bytes % HEAP_PAGE_SIZE)
		return false;
	while (b != end) {
		uintptr_t room = (uintptr_t)end - (uintptr_t)b;
		if (b->magic != HEAP_MAGIC || b->prev_units != prev || b->units < MIN_UNITS ||
		    (size_t)b->units * UNIT > room)
			return false;
		if (b->state == BLOCK_FREE) {
			if (prev_free)
				return false;
			++*free_blocks;
		} else if (b->state == BLOCK_USED) {
			++*used;
			*used_bytes += ((size_t)b->units - 1) * UNIT;
		} else {
			return false;
		}
		prev_free = b->state == BLOCK_FREE;
		prev = b->units;
		b = next_block(b);
	}
	return end->magic == HEAP_MAGIC && end->state == BLOCK_END && end->units == 0 &&
	       end->prev_units == prev;
}

/* Checks every free list: members free, in the right class, doubly linked;
 * counts them into *n, stopping (false) if a list is longer than limit. */
static bool check_bins(const struct heap *h, size_t limit, size_t *n)
{
	for (unsigned k = 0; k < HEAP_CLASSES; k++) {
		struct heap_block *prev = NULL;
		if (!h->bins[k] != !(h->nonempty & (1u << k)))
			return false;
		for (struct heap_block *b = h->bins[k]; b; b = links(b)->next) {
			if (++*n > limit || b->magic != HEAP_MAGIC || b->state != BLOCK_FREE ||
			    size_class(b->units) != k || links(b)->prev != prev ||
			    !segment_of(h, b + 1))
				return false;
			prev = b;
		}
	}
	return true;
}

bool heap_check(const struct heap *h)
{
	size_t used = 0, used_bytes = 0, free_blocks = 0, listed = 0, segs = 0, mapped = 0;

	for (struct heap_segment *s = h->segments; s; s = s->next) {
		if (!check_segment(s, &used, &used_bytes, &free_blocks))
			return false;
		segs++;
		mapped += s->bytes;
	}
	if (!check_bins(h, free_blocks, &listed))
		return false;
	return listed == free_blocks && free_blocks == h->stats.free_blocks &&
	       used == h->stats.blocks_in_use && used_bytes == h->stats.bytes_in_use &&
	       segs == h->stats.segments && mapped == h->stats.bytes_mapped;
}
