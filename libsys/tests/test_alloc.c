/* Host tests for the arena, object pool and heap (libsys/alloc.c). */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "keel/alloc.h"

static uint64_t rng_state;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static bool aligned(const void *p, size_t a)
{
	return ((uintptr_t)p & (a - 1)) == 0;
}

/* ---------------------------------------------------------------- arena */

static _Alignas(64) uint8_t arena_mem[256];

TEST(arena_aligns_from_an_unaligned_buffer)
{
	struct arena a;
	void *p, *q, *r;

	arena_init(&a, arena_mem + 3, 200);
	CHECK_EQ(arena_alloc(&a, 1, 0, &p), STATUS_OK);
	CHECK(p == arena_mem + 16); /* 13 bytes of padding */
	CHECK_EQ(arena_alloc(&a, 5, 64, &q), STATUS_OK);
	CHECK(q == arena_mem + 64);
	CHECK_EQ(arena_alloc(&a, 3, 1, &r), STATUS_OK);
	CHECK(r == arena_mem + 69);
	CHECK_EQ(arena_mark(&a), 69); /* 72 - 3: counted from the base */
	CHECK_EQ(arena_remaining(&a), 200 - 69);
}

TEST(arena_exhaustion_fails_without_consuming)
{
	struct arena a;
	void *p;

	arena_init(&a, arena_mem, 64);
	CHECK_EQ(arena_alloc(&a, 48, 16, &p), STATUS_OK);
	CHECK_EQ(arena_alloc(&a, 17, 16, &p), STATUS_NO_MEMORY);
	CHECK(p == NULL);
	CHECK_EQ(arena_mark(&a), 48);
	CHECK_EQ(arena_alloc(&a, 16, 16, &p), STATUS_OK); /* exact fit */
	CHECK(p == arena_mem + 48);
	CHECK_EQ(arena_remaining(&a), 0);
	CHECK_EQ(arena_alloc(&a, 1, 1, &p), STATUS_NO_MEMORY);
	/* Padding alone can exhaust it. */
	arena_init(&a, arena_mem, 20);
	CHECK_EQ(arena_alloc(&a, 1, 1, &p), STATUS_OK);
	CHECK_EQ(arena_alloc(&a, 1, 32, &p), STATUS_NO_MEMORY);
	CHECK_EQ(arena_mark(&a), 1);
	CHECK_EQ(arena_alloc(&a, SIZE_MAX, 1, &p), STATUS_NO_MEMORY);
}

TEST(arena_refuses_zero_size_and_bad_alignment)
{
	struct arena a;
	void *p;

	arena_init(&a, arena_mem, sizeof arena_mem);
	CHECK_EQ(arena_alloc(&a, 0, 16, &p), STATUS_INVALID);
	CHECK_EQ(arena_alloc(&a, 8, 24, &p), STATUS_INVALID);
	CHECK(p == NULL);
	CHECK_EQ(arena_mark(&a), 0);
	arena_init(&a, NULL, 100);
	CHECK_EQ(arena_alloc(&a, 1, 1, &p), STATUS_NO_MEMORY);
}

TEST(arena_reset_to_mark_reuses_the_same_memory)
{
	struct arena a;
	void *p, *q, *r;

	arena_init(&a, arena_mem, sizeof arena_mem);
	CHECK_EQ(arena_alloc(&a, 32, 0, &p), STATUS_OK);
	size_t m = arena_mark(&a);
	CHECK_EQ(arena_alloc(&a, 100, 0, &q), STATUS_OK);
	CHECK_EQ(arena_reset(&a, m), STATUS_OK);
	CHECK_EQ(arena_alloc(&a, 10, 0, &r), STATUS_OK);
	CHECK(r == q);
	CHECK_EQ(a.high_water, 132);
	CHECK_EQ(arena_reset(&a, 0), STATUS_OK);
	CHECK_EQ(arena_reset(&a, 1), STATUS_RANGE); /* beyond the fill level */
	CHECK_EQ(arena_mark(&a), 0);
}

/* ---------------------------------------------------------------- objpool */

static _Alignas(16) uint8_t pool_mem[8192];

TEST(pool_bytes_needed_counts_bitmap_stack_objects_and_slack)
{
	/* 10 objects of 24 -> stride 32; bitmap 8 + stack 40 -> 48; slack 15. */
	CHECK_EQ(objpool_bytes_needed(24, 10), 48 + 15 + 320);
	CHECK_EQ(objpool_bytes_needed(0, 10), 0);
	CHECK_EQ(objpool_bytes_needed(16, 0), 0);
	CHECK_EQ(objpool_bytes_needed(16, OBJPOOL_MAX_CAPACITY), 0);
	CHECK_EQ(objpool_bytes_needed(SIZE_MAX, 1), 0);
	CHECK_EQ(objpool_bytes_needed(SIZE_MAX / 2, 4), 0);
}

TEST(pool_init_refuses_bad_arguments)
{
	struct objpool p;
	size_t need = objpool_bytes_needed(24, 10);

	CHECK_EQ(objpool_init(&p, NULL, need, 24, 10), STATUS_INVALID);
	CHECK_EQ(objpool_init(&p, pool_mem, need, 0, 10), STATUS_INVALID);
	CHECK_EQ(objpool_init(&p, pool_mem, need - 1, 24, 10), STATUS_NO_MEMORY);
	CHECK_EQ(objpool_init(&p, pool_mem + 1, need, 24, 10), STATUS_OK);
}

TEST(pool_hands_out_zeroed_aligned_objects_in_order_then_runs_out)
{
	struct objpool p;
	void *o[5], *x = &x;

	memset(pool_mem, 0xab, sizeof pool_mem);
	CHECK_EQ(objpool_init(&p, pool_mem + 5, objpool_bytes_needed(20, 4), 20, 4), STATUS_OK);
	for (int i = 0; i < 4; i++) {
		CHECK_EQ(objpool_alloc(&p, &o[i]), STATUS_OK);
		CHECK(aligned(o[i], ALLOC_ALIGN));
		CHECK_EQ(((uint8_t *)o[i])[0], 0);
		CHECK_EQ(((uint8_t *)o[i])[31], 0);
		if (i)
			CHECK_EQ((uint8_t *)o[i] - (uint8_t *)o[i - 1], 32);
		memset(o[i], 0x11 * (i + 1), 32);
	}
	CHECK_EQ(objpool_in_use(&p), 4);
	CHECK_EQ(objpool_alloc(&p, &x), STATUS_NO_MEMORY);
	CHECK(x == NULL);
	CHECK_EQ(objpool_free(&p, o[2]), STATUS_OK);
	CHECK_EQ(objpool_alloc(&p, &o[4]), STATUS_OK);
	CHECK(o[4] == o[2]);                  /* most recently freed first */
	CHECK_EQ(((uint8_t *)o[4])[7], 0);    /* zeroed again */
	CHECK_EQ(((uint8_t *)o[3])[0], 0x44); /* neighbours untouched */
}

TEST(pool_refuses_double_interior_and_foreign_frees)
{
	struct objpool p;
	void *a, *b;
	int local;

	CHECK_EQ(objpool_init(&p, pool_mem, sizeof pool_mem, 48, 8), STATUS_OK);
	CHECK_EQ(objpool_alloc(&p, &a), STATUS_OK);
	CHECK_EQ(objpool_alloc(&p, &b), STATUS_OK);
	CHECK_EQ(objpool_free(&p, (uint8_t *)a + 16), STATUS_NOT_OWNED);
	CHECK_EQ(objpool_free(&p, &local), STATUS_NOT_OWNED);
	CHECK_EQ(objpool_free(&p, NULL), STATUS_NOT_OWNED);
	CHECK_EQ(objpool_free(&p, (uint8_t *)b + 48 * 5), STATUS_NOT_OWNED); /* never allocated */
	CHECK_EQ(objpool_free(&p, (uint8_t *)a + 48 * 8), STATUS_NOT_OWNED); /* one past the end */
	CHECK(objpool_is_live(&p, a));
	CHECK_EQ(objpool_free(&p, a), STATUS_OK);
	CHECK(!objpool_is_live(&p, a));
	CHECK_EQ(objpool_free(&p, a), STATUS_NOT_OWNED);
	CHECK_EQ(objpool_in_use(&p), 1);
	CHECK(objpool_is_live(&p, b));
}

/* Random allocs, frees and bogus frees against a model of which objects
 * are live; every live object keeps the pattern written into it. */
TEST(pool_random_operations_match_a_model)
{
	enum { CAP = 50 };
	struct objpool p;
	uint8_t *live[CAP];
	size_t nlive = 0;

	rng_state = 0x243f6a8885a308d3ull;
	CHECK_EQ(objpool_init(&p, pool_mem, sizeof pool_mem, 40, CAP), STATUS_OK);
	for (int op = 0; op < 100000; op++) {
		uint64_t r = rng();
		if (r % 3 == 0 && nlive) {
			size_t i = (size_t)(r >> 8) % nlive;
			uint8_t *o = live[i];
			for (size_t k = 0; k < 40; k++)
				CHECK_EQ(o[k], (uint8_t)(uintptr_t)o);
			CHECK_EQ(objpool_free(&p, o), STATUS_OK);
			CHECK_EQ(objpool_free(&p, o), STATUS_NOT_OWNED);
			live[i] = live[--nlive];
		} else if (r % 3 == 1 && nlive) {
			uint8_t *o = live[(size_t)(r >> 8) % nlive];
			CHECK_EQ(objpool_free(&p, o + 1 + (r >> 40) % 40), STATUS_NOT_OWNED);
		} else {
			void *o;
			status_t st = objpool_alloc(&p, &o);
			CHECK_EQ(st, nlive == CAP ? STATUS_NO_MEMORY : STATUS_OK);
			if (!st) {
				memset(o, (uint8_t)(uintptr_t)o, 40);
				live[nlive++] = o;
			}
		}
		CHECK_EQ(objpool_in_use(&p), nlive);
	}
	for (size_t i = 0; i < nlive; i++)
		CHECK(objpool_is_live(&p, live[i]));
}

/* ---------------------------------------------------------------- heap */

#define PAGE HEAP_PAGE_SIZE
#define SRC_PAGES 512

/* A page source over a static buffer: hands out consecutive pages, filled
 * with garbage so that nothing depends on fresh memory being zero or on
 * what an earlier test left there, until its budget is spent; then fails
 * with fail_status. */
struct source {
	uint8_t *mem;
	size_t next, budget;
	unsigned calls;
	size_t last_pages;
	status_t fail_status;
	int misbehave; /* 1: NULL, 2: misaligned pointer */
};

static _Alignas(4096) uint8_t src_mem[SRC_PAGES * PAGE];

static status_t source_grow(void *ctx, size_t pages, void **out)
{
	struct source *s = ctx;

	s->calls++;
	s->last_pages = pages;
	if (s->misbehave) {
		*out = s->misbehave == 1 ? NULL : s->mem + 8;
		return STATUS_OK;
	}
	if (pages > s->budget - s->next)
		return s->fail_status;
	*out = s->mem + s->next * PAGE;
	memset(*out, 0xa5, pages * PAGE);
	s->next += pages;
	return STATUS_OK;
}

static void source_init(struct source *s, size_t budget)
{
	memset(s, 0, sizeof *s);
	s->mem = src_mem;
	s->budget = budget;
	s->fail_status = STATUS_NO_MEMORY;
}

TEST(heap_first_alloc_grows_by_the_default_chunk)
{
	struct source s;
	struct heap h;
	struct heap_stats st;
	void *p;
	size_t n;

	source_init(&s, SRC_PAGES);
	heap_init(&h, source_grow, &s, 0);
	CHECK_EQ(heap_alloc(&h, 100, &p), STATUS_OK);
	CHECK_EQ(s.calls, 1);
	CHECK_EQ(s.last_pages, HEAP_GROW_PAGES_DEFAULT);
	CHECK(p == src_mem + 32); /* segment header, block header */
	CHECK(aligned(p, 16));
	CHECK_EQ(heap_usable_size(&h, p, &n), STATUS_OK);
	CHECK_EQ(n, 112);
	heap_stats(&h, &st);
	CHECK_EQ(st.segments, 1);
	CHECK_EQ(st.bytes_mapped, HEAP_GROW_PAGES_DEFAULT * PAGE);
	CHECK_EQ(st.blocks_in_use, 1);
	CHECK_EQ(st.bytes_in_use, 112);
	CHECK_EQ(st.free_blocks, 1);
	CHECK(heap_check(&h));
}

TEST(heap_large_request_grows_by_what_it_needs)
{
	struct source s;
	struct heap h;
	void *p;

	source_init(&s, SRC_PAGES);
	heap_init(&h, source_grow, &s, 2);
	/* 100000 bytes -> 6251 units = 100016 bytes, plus 32 of segment. */
	CHECK_EQ(heap_alloc(&h, 100000, &p), STATUS_OK);
	CHECK_EQ(s.last_pages, 25);
	memset(p, 0x5a, 100000);
	CHECK_EQ(heap_alloc(&h, 10, &p), STATUS_OK);
	CHECK_EQ(s.calls, 1); /* the tail of that segment serves it */
	CHECK(heap_check(&h));
}

TEST(heap_refuses_zero_oversized_and_no_source)
{
	struct source s;
	struct heap h;
	void *p = &p;

	source_init(&s, SRC_PAGES);
	heap_init(&h, source_grow, &s, 0);
	CHECK_EQ(heap_alloc(&h, 0, &p), STATUS_INVALID);
	CHECK(p == NULL);
	CHECK_EQ(heap_alloc(&h, HEAP_ALLOC_MAX + 1, &p), STATUS_NO_MEMORY);
	CHECK_EQ(heap_alloc(&h, SIZE_MAX, &p), STATUS_NO_MEMORY);
	CHECK_EQ(s.calls, 0);
	heap_init(&h, NULL, NULL, 0);
	CHECK_EQ(heap_alloc(&h, 1, &p), STATUS_NO_MEMORY);
	CHECK(heap_check(&h));
}

TEST(heap_refuses_unusable_memory_from_the_source)
{
	struct source s;
	struct heap h;
	void *p;

	source_init(&s, SRC_PAGES);
	heap_init(&h, source_grow, &s, 0);
	s.misbehave = 1;
	CHECK_EQ(heap_alloc(&h, 64, &p), STATUS_NO_MEMORY);
	s.misbehave = 2;
	CHECK_EQ(heap_alloc(&h, 64, &p), STATUS_NO_MEMORY);
	CHECK_EQ(h.stats.segments, 0);
	CHECK_EQ(h.stats.failed_allocs, 2);
	s.misbehave = 0;
	CHECK_EQ(heap_alloc(&h, 64, &p), STATUS_OK);
	CHECK(heap_check(&h));
}

TEST(heap_exhaustion_passes_on_the_source_status_and_recovers)
{
	struct source s;
	struct heap h;
	void *blocks[64];
	int n = 0;
	status_t st;

	source_init(&s, 4);
	s.fail_status = STATUS_QUOTA;
	heap_init(&h, source_grow, &s, 1);
	/* 1000 bytes -> 1024-byte blocks; a page segment holds 3 of them. */
	while ((st = heap_alloc(&h, 1000, &blocks[n])) == STATUS_OK)
		n++;
	CHECK_EQ(st, STATUS_QUOTA);
	CHECK(blocks[n] == NULL);
	CHECK_EQ(n, 12);
	CHECK_EQ(h.stats.segments, 4);
	CHECK_EQ(h.stats.failed_allocs, 1);
	CHECK(heap_check(&h));
	for (int i = 0; i < n; i++)
		CHECK_EQ(heap_free(&h, blocks[i]), STATUS_OK);
	CHECK(heap_check(&h));
	CHECK_EQ(h.stats.free_blocks, 4); /* each segment one free block */
	CHECK_EQ(h.stats.bytes_in_use, 0);
	/* A block the size of a whole segment fits again without growing. */
	void *big;
	CHECK_EQ(heap_alloc(&h, PAGE - 48, &big), STATUS_OK);
	CHECK_EQ(heap_alloc(&h, PAGE - 32, &big), STATUS_QUOTA);
	CHECK_EQ(s.calls, 5 + 1);
}

TEST(heap_reuses_freed_blocks_before_growing)
{
	struct source s;
	struct heap h;
	void *a, *b, *c;

	source_init(&s, SRC_PAGES);
	heap_init(&h, source_grow, &s, 1);
	CHECK_EQ(heap_alloc(&h, 200, &a), STATUS_OK);
	CHECK_EQ(heap_alloc(&h, 200, &b), STATUS_OK);
	CHECK_EQ(heap_free(&h, a), STATUS_OK);
	CHECK_EQ(heap_alloc(&h, 180, &c), STATUS_OK);
	CHECK(c == a);
	CHECK_EQ(s.calls, 1);
	CHECK(heap_check(&h));
}

TEST(heap_coalesces_neighbours_in_any_free_order)
{
	struct source s;
	struct heap h;
	void *a, *b, *c, *d, *whole;

	source_init(&s, SRC_PAGES);
	heap_init(&h, source_grow, &s, 1);
	CHECK_EQ(heap_alloc(&h, 64, &a), STATUS_OK);
	CHECK_EQ(heap_alloc(&h, 64, &b), STATUS_OK);
	CHECK_EQ(heap_alloc(&h, 64, &c), STATUS_OK);
	CHECK_EQ(heap_alloc(&h, 64, &d), STATUS_OK);
	CHECK_EQ(heap_free(&h, a), STATUS_OK);
	CHECK_EQ(heap_free(&h, c), STATUS_OK);
	CHECK_EQ(h.stats.free_blocks, 3); /* a, c and the tail */
	CHECK(heap_check(&h));
	CHECK_EQ(heap_free(&h, b), STATUS_OK); /* joins a and c */
	CHECK_EQ(h.stats.free_blocks, 2);
	CHECK(heap_check(&h));
	CHECK_EQ(heap_free(&h, d), STATUS_OK);
	CHECK_EQ(h.stats.free_blocks, 1);
	CHECK(heap_check(&h));
	CHECK_EQ(heap_alloc(&h, PAGE - 48, &whole), STATUS_OK);
	CHECK(whole == a);
	CHECK_EQ(s.calls, 1);
}

TEST(heap_refuses_double_foreign_interior_and_stale_frees)
{
	struct source s;
	struct heap h;
	void *a, *b, *c;
	int local;
	static _Alignas(16) uint8_t elsewhere[64];

	source_init(&s, SRC_PAGES);
	heap_init(&h, source_grow, &s, 1);
	CHECK_EQ(heap_alloc(&h, 64, &a), STATUS_OK);
	CHECK_EQ(heap_alloc(&h, 64, &b), STATUS_OK);
	CHECK_EQ(heap_alloc(&h, 64, &c), STATUS_OK);
	CHECK_EQ(heap_free(&h, NULL), STATUS_NOT_OWNED);
	CHECK_EQ(heap_free(&h, &local), STATUS_NOT_OWNED);
	CHECK_EQ(heap_free(&h, elsewhere + 16), STATUS_NOT_OWNED);
	CHECK_EQ(heap_free(&h, (uint8_t *)a + 1), STATUS_NOT_OWNED);
	CHECK_EQ(heap_free(&h, (uint8_t *)a + 16), STATUS_NOT_OWNED);
	CHECK_EQ(heap_free(&h, (uint8_t *)a + 48), STATUS_NOT_OWNED);
	CHECK_EQ(heap_free(&h, src_mem), STATUS_NOT_OWNED);             /* segment header */
	CHECK_EQ(heap_free(&h, src_mem + PAGE - 16), STATUS_NOT_OWNED); /* end marker */
	CHECK_EQ(heap_free(&h, (uint8_t *)c + 96), STATUS_NOT_OWNED);   /* in the free tail */
	CHECK_EQ(heap_free(&h, b), STATUS_OK);
	CHECK_EQ(heap_free(&h, b), STATUS_NOT_OWNED); /* double free */
	CHECK_EQ(heap_free(&h, c), STATUS_OK);        /* merges into b */
	CHECK_EQ(heap_free(&h, c), STATUS_NOT_OWNED); /* its header is gone */
	size_t n;
	CHECK_EQ(heap_usable_size(&h, b, &n), STATUS_NOT_OWNED);
	CHECK_EQ(h.stats.bad_frees, 11);
	CHECK(heap_check(&h));
	CHECK_EQ(heap_free(&h, a), STATUS_OK);
	CHECK(heap_check(&h));
}

TEST(heap_realloc_grows_in_place_moves_and_shrinks)
{
	struct source s;
	struct heap h;
	void *a, *b, *p;
	size_t n;

	source_init(&s, SRC_PAGES);
	heap_init(&h, source_grow, &s, 1);
	CHECK_EQ(heap_alloc(&h, 32, &a), STATUS_OK);
	memcpy(a, "0123456789abcdef0123456789abcdef", 32);
	CHECK_EQ(heap_realloc(&h, a, 500, &p), STATUS_OK); /* the tail is free */
	CHECK(p == a);
	CHECK_EQ(heap_usable_size(&h, a, &n), STATUS_OK);
	CHECK_EQ(n, 512);
	CHECK_EQ(heap_alloc(&h, 16, &b), STATUS_OK); /* now a is boxed in */
	CHECK_EQ(heap_realloc(&h, a, 1000, &p), STATUS_OK);
	CHECK(p != a);
	CHECK(memcmp(p, "0123456789abcdef0123456789abcdef", 32) == 0);
	CHECK_EQ(heap_free(&h, a), STATUS_NOT_OWNED); /* moved away */
	a = p;
	CHECK_EQ(heap_realloc(&h, a, 100, &p), STATUS_OK); /* shrink splits */
	CHECK(p == a);
	CHECK_EQ(heap_usable_size(&h, a, &n), STATUS_OK);
	CHECK_EQ(n, 112);
	CHECK(memcmp(p, "0123456789abcdef", 16) == 0);
	CHECK(heap_check(&h));
	CHECK_EQ(heap_realloc(&h, NULL, 40, &p), STATUS_OK); /* plain alloc */
	CHECK_EQ(heap_realloc(&h, (uint8_t *)a + 16, 40, &p), STATUS_NOT_OWNED);
	CHECK(p == NULL);
	CHECK_EQ(heap_realloc(&h, a, 0, &p), STATUS_INVALID);
	CHECK(heap_check(&h));
}

TEST(heap_failed_realloc_keeps_the_old_block)
{
	struct source s;
	struct heap h;
	void *a, *b, *p = &p;

	source_init(&s, 1);
	heap_init(&h, source_grow, &s, 1);
	CHECK_EQ(heap_alloc(&h, 1000, &a), STATUS_OK);
	CHECK_EQ(heap_alloc(&h, 16, &b), STATUS_OK);
	memset(a, 0x77, 1000);
	CHECK_EQ(heap_realloc(&h, a, 3000, &p), STATUS_NO_MEMORY);
	CHECK(p == NULL);
	CHECK_EQ(((uint8_t *)a)[999], 0x77);
	CHECK_EQ(heap_free(&h, a), STATUS_OK);
	CHECK_EQ(heap_realloc(&h, b, HEAP_ALLOC_MAX + 1, &p), STATUS_NO_MEMORY);
	CHECK(heap_check(&h));
}

TEST(heap_zalloc_zeroes_reused_memory)
{
	struct source s;
	struct heap h;
	void *a, *b;

	source_init(&s, SRC_PAGES);
	heap_init(&h, source_grow, &s, 1);
	CHECK_EQ(heap_alloc(&h, 300, &a), STATUS_OK);
	memset(a, 0xff, 300);
	CHECK_EQ(heap_free(&h, a), STATUS_OK);
	CHECK_EQ(heap_zalloc(&h, 300, &b), STATUS_OK);
	CHECK(b == a);
	for (int i = 0; i < 300; i++)
		CHECK_EQ(((uint8_t *)b)[i], 0);
}

/* ---------------------------------------------------------------- heap stress */

#define SLOTS 200

struct slot {
	uint8_t *p;
	size_t size;
	uint8_t fill;
};

static size_t random_size(void)
{
	uint64_t r = rng();

	switch (r % 8) {
	case 0:
		return 1 + (r >> 8) % 20000; /* large, several pages */
	case 1:
	case 2:
		return 1 + (r >> 8) % 2000;
	default:
		return 1 + (r >> 8) % 200;
	}
}

static bool intact(const struct slot *s)
{
	for (size_t i = 0; i < s->size; i++)
		if (s->p[i] != s->fill)
			return false;
	return true;
}

/* True if p is the start of a live slot. */
static bool is_live(const struct slot *slots, const void *p)
{
	for (int i = 0; i < SLOTS; i++)
		if (slots[i].p == p)
			return true;
	return false;
}

/*
 * Random allocs, frees, reallocs and bad frees on a heap whose page source
 * runs dry half-way: the heap must agree with a model of the live blocks,
 * never hand out overlapping memory (every block keeps its fill byte),
 * refuse every bad free, and pass heap_check() throughout.
 */
TEST(heap_random_operations_match_a_model)
{
	static struct slot slots[SLOTS];
	struct source s;
	struct heap h;
	void *stale[16] = { 0 };
	size_t live = 0, live_bytes = 0, failures = 0;

	rng_state = 0x13198a2e03707344ull;
	memset(slots, 0, sizeof slots);
	source_init(&s, 64);
	heap_init(&h, source_grow, &s, 4);
	for (int op = 0; op < 60000; op++) {
		struct slot *sl = &slots[rng() % SLOTS];
		uint64_t r = rng();
		size_t n;
		void *p;
		if (!sl->p) {
			sl->size = random_size();
			status_t st = heap_alloc(&h, sl->size, &p);
			if (st) {
				CHECK_EQ(st, STATUS_NO_MEMORY);
				failures++;
				continue;
			}
			CHECK(aligned(p, 16));
			CHECK_EQ(heap_usable_size(&h, p, &n), STATUS_OK);
			CHECK(n >= sl->size && n < sl->size + 32);
			sl->p = p;
			sl->fill = (uint8_t)(r >> 32);
			memset(p, sl->fill, sl->size);
			live++;
			live_bytes += n;
		} else if (r % 4 == 0) {
			size_t size = random_size();
			CHECK(intact(sl));
			CHECK_EQ(heap_usable_size(&h, sl->p, &n), STATUS_OK);
			status_t st = heap_realloc(&h, sl->p, size, &p);
			if (st) {
				CHECK_EQ(st, STATUS_NO_MEMORY);
				CHECK(intact(sl));
				continue;
			}
			live_bytes -= n;
			if (p != sl->p)
				stale[r % 16] = sl->p;
			sl->p = p;
			sl->size = size < sl->size ? size : sl->size;
			CHECK(intact(sl));
			sl->size = size;
			memset(p, sl->fill, size);
			CHECK_EQ(heap_usable_size(&h, p, &n), STATUS_OK);
			live_bytes += n;
		} else if (r % 4 == 1) {
			/* Interior pointers and stale pointers not reused since. */
			uint8_t *bad = sl->p + 16 * (1 + (r >> 8) % 4);
			if (bad < sl->p + sl->size)
				CHECK_EQ(heap_free(&h, bad), STATUS_NOT_OWNED);
			void *old = stale[(r >> 16) % 16];
			if (old && !is_live(slots, old))
				CHECK_EQ(heap_free(&h, old), STATUS_NOT_OWNED);
		} else {
			CHECK(intact(sl));
			CHECK_EQ(heap_usable_size(&h, sl->p, &n), STATUS_OK);
			CHECK_EQ(heap_free(&h, sl->p), STATUS_OK);
			stale[r % 16] = sl->p;
			sl->p = NULL;
			live--;
			live_bytes -= n;
		}
		CHECK_EQ(h.stats.blocks_in_use, live);
		CHECK_EQ(h.stats.bytes_in_use, live_bytes);
		if (op % 500 == 0)
			CHECK(heap_check(&h));
	}
	CHECK(failures > 0); /* the source did run dry */
	for (int i = 0; i < SLOTS; i++) {
		if (slots[i].p) {
			CHECK(intact(&slots[i]));
			CHECK_EQ(heap_free(&h, slots[i].p), STATUS_OK);
		}
	}
	CHECK(heap_check(&h));
	CHECK_EQ(h.stats.blocks_in_use, 0);
	CHECK_EQ(h.stats.free_blocks, h.stats.segments);
}

int main(void)
{
	RUN(arena_aligns_from_an_unaligned_buffer);
	RUN(arena_exhaustion_fails_without_consuming);
	RUN(arena_refuses_zero_size_and_bad_alignment);
	RUN(arena_reset_to_mark_reuses_the_same_memory);
	RUN(pool_bytes_needed_counts_bitmap_stack_objects_and_slack);
	RUN(pool_init_refuses_bad_arguments);
	RUN(pool_hands_out_zeroed_aligned_objects_in_order_then_runs_out);
	RUN(pool_refuses_double_interior_and_foreign_frees);
	RUN(pool_random_operations_match_a_model);
	RUN(heap_first_alloc_grows_by_the_default_chunk);
	RUN(heap_large_request_grows_by_what_it_needs);
	RUN(heap_refuses_zero_oversized_and_no_source);
	RUN(heap_refuses_unusable_memory_from_the_source);
	RUN(heap_exhaustion_passes_on_the_source_status_and_recovers);
	RUN(heap_reuses_freed_blocks_before_growing);
	RUN(heap_coalesces_neighbours_in_any_free_order);
	RUN(heap_refuses_double_foreign_interior_and_stale_frees);
	RUN(heap_realloc_grows_in_place_moves_and_shrinks);
	RUN(heap_failed_realloc_keeps_the_old_block);
	RUN(heap_zalloc_zeroes_reused_memory);
	RUN(heap_random_operations_match_a_model);
	return check_summary();
}
