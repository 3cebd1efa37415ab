/*
 * page_alloc.c - binary buddy allocator for physical 4 KiB frames.
 *
 * Each frame has a record (free-list links and order) and a state byte in
 * the caller's metadata: the records first, then the state bytes, one
 * array each, so that marking or checking a run of frames is a memset or
 * a scan of bytes (every frame of the machine is handed in at boot). Only
 * the first frame of a block (its head) says what the block is: PAGE_FREE
 * with the block on free_head[order], or PAGE_ALLOCATED. Every other frame
 * of a block is PAGE_TAIL, and frames never handed in are PAGE_RESERVED.
 * Splitting and merging touch only the heads involved, so alloc and free
 * are O(PAGE_ALLOC_MAX_ORDER), and a free can be validated from one record.
 *
 * Buddies are found by physical frame number (pfn ^ 2^order), not by index,
 * so blocks are physically aligned whatever the base of the span.
 */
#include <string.h>

#include "core/mm/page_alloc.h"

#define NIL 0xffffffffu
#define PAGE_MASK ((uint64_t)PAGE_ALLOC_PAGE_SIZE - 1)

enum page_state {
	PAGE_RESERVED,
	PAGE_FREE,
	PAGE_ALLOCATED,
	PAGE_TAIL,
};

/* Free-list links are frame indices; meaningful only on PAGE_FREE heads. */
struct page_meta {
	uint32_t next;
	uint32_t prev;
	uint8_t order;
	uint8_t unused[3];
};

static uint64_t block_frames(unsigned order)
{
	return (uint64_t)1 << order;
}

/* Puts the head idx on the free list of its order and marks it free. */
static void list_push(struct page_alloc *pa, uint32_t idx, unsigned order)
{
	struct page_meta *m = &pa->meta[idx];
	uint32_t head = pa->free_head[order];

	pa->state[idx] = PAGE_FREE;
	m->order = (uint8_t)order;
	m->prev = NIL;
	m->next = head;
	if (head != NIL)
		pa->meta[head].prev = idx;
	pa->free_head[order] = idx;
	pa->free_blocks[order]++;
}

/* Unlinks the free head idx from its list; its state is left to the caller. */
static void list_remove(struct page_alloc *pa, uint32_t idx)
{
	struct page_meta *m = &pa->meta[idx];

	if (m->prev != NIL)
		pa->meta[m->prev].next = m->next;
	else
		pa->free_head[m->order] = m->next;
	if (m->next != NIL)
		pa->meta[m->next].prev = m->prev;
	pa->free_blocks[m->order]--;
}

/* Stores in *out the index of the first frame of the buddy of block idx of
 * this order; returns false if that frame is outside the span. (A buddy that
 * is free lies wholly inside the span, so its first frame decides.) */
static bool buddy_of(const struct page_alloc *pa, uint32_t idx, unsigned order, uint32_t *out)
{
	uint64_t pfn = (pa->base_pfn + idx) ^ block_frames(order);

	if (pfn < pa->base_pfn || pfn - pa->base_pfn >= pa->nframes)
		return false;
	*out = (uint32_t)(pfn - pa->base_pfn);
	return true;
}

/* Returns a block whose tails are already PAGE_TAIL to the free lists,
 * merging it with free buddies as far as possible. */
static void release_block(struct page_alloc *pa, uint32_t idx, unsigned order)
{
	uint32_t buddy;

	pa->free_frames += block_frames(order);
	for (; order < PAGE_ALLOC_MAX_ORDER; order++) {
		if (!buddy_of(pa, idx, order, &buddy) || pa->state[buddy] != PAGE_FREE ||
		    pa->meta[buddy].order != order)
			break;
		list_remove(pa, buddy);
		if (buddy < idx) {
			pa->state[idx] = PAGE_TAIL;
			idx = buddy;
		} else {
			pa->state[buddy] = PAGE_TAIL;
		}
	}
	list_push(pa, idx, order);
}

size_t page_alloc_meta_bytes(uint64_t nframes)
{
	if (nframes == 0 || nframes > PAGE_ALLOC_MAX_FRAMES ||
	    nframes > SIZE_MAX / (sizeof(struct page_meta) + 1))
		return 0;
	return (size_t)nframes * (sizeof(struct page_meta) + 1); /* a record and a state byte */
}

status_t page_alloc_init(struct page_alloc *pa, void *meta, size_t meta_bytes, uint64_t base_phys,
			 uint64_t nframes)
{
	size_t need = page_alloc_meta_bytes(nframes);
	uint64_t i;

	if (!meta || (uintptr_t)meta % _Alignof(struct page_meta) || (base_phys & PAGE_MASK) ||
	    need == 0 || nframes > (UINT64_MAX - base_phys) >> PAGE_ALLOC_PAGE_SHIFT)
		return STATUS_INVALID;
	if (meta_bytes < need)
		return STATUS_NO_MEMORY;
	pa->meta = meta;
	pa->state = (uint8_t *)(pa->meta + nframes);
	pa->base_pfn = base_phys >> PAGE_ALLOC_PAGE_SHIFT;
	pa->nframes = nframes;
	pa->total_frames = 0;
	pa->free_frames = 0;
	for (i = 0; i < PAGE_ALLOC_ORDERS; i++) {
		pa->free_head[i] = NIL;
		pa->free_blocks[i] = 0;
		pa->alloc_blocks[i] = 0;
	}
	/* Only the states: a record is read only at a block's head, which
	 * list_push or an allocation writes first. */
	_Static_assert(PAGE_RESERVED == 0, "a zeroed state is a reserved frame");
	memset(pa->state, 0, nframes);
	return STATUS_OK;
}

/* Whether the n state bytes at s are all PAGE_RESERVED (0), read a word
 * at a time. */
static bool all_reserved(const uint8_t *s, uint64_t n)
{
	for (; n && ((uintptr_t)s & 7); s++, n--)
		if (*s)
			return false;
	for (; n >= 8; s += 8, n -= 8) {
		uint64_t w;
		__builtin_memcpy(&w, s, sizeof w);
		if (w)
			return false;
	}
	for (; n; s++, n--)
		if (*s)
			return false;
	return true;
}

/* Returns the largest order of a block that starts at pfn, is aligned to its
 * size and ends at or before end_pfn. */
static unsigned largest_block(uint64_t pfn, uint64_t end_pfn)
{
	unsigned k = 0;

	while (k < PAGE_ALLOC_MAX_ORDER && (pfn & (block_frames(k + 1) - 1)) == 0 &&
	       end_pfn - pfn >= block_frames(k + 1))
		k++;
	return k;
}

status_t page_alloc_add_free(struct page_alloc *pa, uint64_t start, uint64_t end)
{
	uint64_t first, last, i;
	unsigned k = 0;

	if (end < start || ((start | end) & PAGE_MASK))
		return STATUS_INVALID;
	if (start == end)
		return STATUS_OK;
	first = start >> PAGE_ALLOC_PAGE_SHIFT;
	last = end >> PAGE_ALLOC_PAGE_SHIFT;
	if (first < pa->base_pfn || last - pa->base_pfn > pa->nframes)
		return STATUS_RANGE;
	first -= pa->base_pfn;
	last -= pa->base_pfn;
	if (!all_reserved(pa->state + first, last - first))
		return STATUS_EXISTS;
	memset(pa->state + first, PAGE_TAIL, last - first);
	for (i = first; i < last; i += block_frames(k)) {
		k = largest_block(pa->base_pfn + i, pa->base_pfn + last);
		release_block(pa, (uint32_t)i, k);
	}
	pa->total_frames += last - first;
	return STATUS_OK;
}

status_t page_alloc_alloc(struct page_alloc *pa, unsigned order, uint64_t *phys_out)
{
	unsigned k;
	uint32_t idx;

	if (order > PAGE_ALLOC_MAX_ORDER)
		return STATUS_INVALID;
	for (k = order; k <= PAGE_ALLOC_MAX_ORDER; k++)
		if (pa->free_head[k] != NIL)
			break;
	if (k > PAGE_ALLOC_MAX_ORDER)
		return STATUS_NO_MEMORY;
	idx = pa->free_head[k];
	list_remove(pa, idx);
	while (k > order) {
		k--;
		list_push(pa, idx + (uint32_t)block_frames(k), k);
	}
	pa->state[idx] = PAGE_ALLOCATED;
	pa->meta[idx].order = (uint8_t)order;
	pa->free_frames -= block_frames(order);
	pa->alloc_blocks[order]++;
	*phys_out = (pa->base_pfn + idx) << PAGE_ALLOC_PAGE_SHIFT;
	return STATUS_OK;
}

status_t page_alloc_free(struct page_alloc *pa, uint64_t phys, unsigned order)
{
	uint64_t pfn = phys >> PAGE_ALLOC_PAGE_SHIFT;
	uint32_t idx;

	if (order > PAGE_ALLOC_MAX_ORDER)
		return STATUS_INVALID;
	if ((phys & PAGE_MASK) || pfn < pa->base_pfn || pfn - pa->base_pfn >= pa->nframes)
		return STATUS_NOT_OWNED;
	idx = (uint32_t)(pfn - pa->base_pfn);
	if (pa->state[idx] != PAGE_ALLOCATED || pa->meta[idx].order != order)
		return STATUS_NOT_OWNED;
	pa->alloc_blocks[order]--;
	release_block(pa, idx, order);
	return STATUS_OK;
}

/* Makes [first, end) of a split block into aligned blocks, each either
 * allocated (its head marked so) or released to the free lists. */
static void carve(struct page_alloc *pa, uint32_t first, uint32_t end, bool allocated)
{
	unsigned k;
	for (uint32_t i = first; i < end; i += (uint32_t)block_frames(k)) {
		k = largest_block(pa->base_pfn + i, pa->base_pfn + end);
		if (!allocated) {
			release_block(pa, i, k);
			continue;
		}
		pa->state[i] = PAGE_ALLOCATED;
		pa->meta[i].order = (uint8_t)k;
		pa->alloc_blocks[k]++;
	}
}

status_t page_alloc_trim(struct page_alloc *pa, uint64_t phys, unsigned order, uint64_t keep)
{
	uint64_t pfn = phys >> PAGE_ALLOC_PAGE_SHIFT;
	if (order > PAGE_ALLOC_MAX_ORDER || keep == 0 || keep > block_frames(order))
		return STATUS_INVALID;
	if ((phys & PAGE_MASK) || pfn < pa->base_pfn || pfn - pa->base_pfn >= pa->nframes)
		return STATUS_NOT_OWNED;
	uint32_t idx = (uint32_t)(pfn - pa->base_pfn);
	if (pa->state[idx] != PAGE_ALLOCATED || pa->meta[idx].order != order)
		return STATUS_NOT_OWNED;
	if (keep == block_frames(order))
		return STATUS_OK;
	/* Every frame of the block but the head is a tail already: the head
	 * becomes one too, and carve makes the new heads. */
	pa->alloc_blocks[order]--;
	pa->state[idx] = PAGE_TAIL;
	carve(pa, idx, idx + (uint32_t)keep, true);
	carve(pa, idx + (uint32_t)keep, idx + (uint32_t)block_frames(order), false);
	return STATUS_OK;
}

void page_alloc_stats(const struct page_alloc *pa, struct page_alloc_stats *out)
{
	unsigned k;

	out->total_frames = pa->total_frames;
	out->free_frames = pa->free_frames;
	for (k = 0; k < PAGE_ALLOC_ORDERS; k++) {
		out->free_blocks[k] = pa->free_blocks[k];
		out->alloc_blocks[k] = pa->alloc_blocks[k];
	}
}

/* Walks the free list of one order, adding its frames to *frames. Every
 * entry must be a free head of that order with a correct back link and no
 * free buddy left unmerged; the length must match free_blocks[order]. */
static bool check_list(const struct page_alloc *pa, unsigned order, uint64_t *frames)
{
	uint32_t idx, prev = NIL, buddy;
	uint64_t n = 0;

	for (idx = pa->free_head[order]; idx != NIL; idx = pa->meta[idx].next) {
		const struct page_meta *m;

		if (idx >= pa->nframes || n >= pa->nframes)
			return false;
		m = &pa->meta[idx];
		if (pa->state[idx] != PAGE_FREE || m->order != order || m->prev != prev)
			return false;
		if (order < PAGE_ALLOC_MAX_ORDER && buddy_of(pa, idx, order, &buddy) &&
		    pa->state[buddy] == PAGE_FREE && pa->meta[buddy].order == order)
			return false;
		prev = idx;
		n++;
	}
	if (n != pa->free_blocks[order])
		return false;
	*frames += n << order;
	return true;
}

/* Counts seen while scanning every frame record in address order. */
struct frame_tally {
	uint64_t managed;
	uint64_t free_heads;
	uint64_t alloc_blocks[PAGE_ALLOC_ORDERS];
};

/* Checks the block whose head is idx: order in bounds, physically aligned,
 * inside the span, all other frames PAGE_TAIL. Counts it in *t. */
static bool check_block(const struct page_alloc *pa, uint64_t idx, struct frame_tally *t)
{
	const struct page_meta *m = &pa->meta[idx];
	uint64_t n, i;

	if (m->order > PAGE_ALLOC_MAX_ORDER)
		return false;
	n = block_frames(m->order);
	if (((pa->base_pfn + idx) & (n - 1)) || pa->nframes - idx < n)
		return false;
	for (i = 1; i < n; i++)
		if (pa->state[idx + i] != PAGE_TAIL)
			return false;
	t->managed += n;
	if (pa->state[idx] == PAGE_FREE)
		t->free_heads++;
	else
		t->alloc_blocks[m->order]++;
	return true;
}

/* Scans every frame record; a tail outside a block or an unknown state is
 * an error. */
static bool check_frames(const struct page_alloc *pa, struct frame_tally *t)
{
	uint64_t idx = 0;

	while (idx < pa->nframes) {
		uint8_t state = pa->state[idx];

		if (state == PAGE_RESERVED) {
			idx++;
			continue;
		}
		if (state != PAGE_FREE && state != PAGE_ALLOCATED)
			return false;
		if (!check_block(pa, idx, t))
			return false;
		idx += block_frames(pa->meta[idx].order);
	}
	return true;
}

bool page_alloc_check(const struct page_alloc *pa)
{
	struct frame_tally t = { 0 };
	uint64_t list_frames = 0, free_blocks = 0, alloc_frames = 0;
	unsigned k;

	for (k = 0; k < PAGE_ALLOC_ORDERS; k++) {
		if (!check_list(pa, k, &list_frames))
			return false;
		free_blocks += pa->free_blocks[k];
	}
	if (!check_frames(pa, &t))
		return false;
	for (k = 0; k < PAGE_ALLOC_ORDERS; k++) {
		if (t.alloc_blocks[k] != pa->alloc_blocks[k])
			return false;
		alloc_frames += pa->alloc_blocks[k] << k;
	}
	return list_frames == pa->free_frames && t.free_heads == free_blocks &&
	       t.managed == pa->total_frames && pa->total_frames == pa->free_frames + alloc_frames;
}
