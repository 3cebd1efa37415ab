/* Host tests for the fixed-capacity object pools. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/mm/pool.h"

/* The test's page source: pages from the C heap (filled with junk so that
 * zeroing is really tested), a limit on the pages out at once, and
 * retire() stamps counting up. */
static struct {
	uint64_t out, limit, taken, given;
	uint64_t stamp, retired;
} src;

static void *take(struct pool *p, unsigned order)
{
	(void)p;
	size_t n = (size_t)POOL_PAGE_SIZE << order;
	if (src.out + (1u << order) > src.limit)
		return NULL;
	void *m = aligned_alloc(POOL_PAGE_SIZE, n);
	if (!m)
		return NULL;
	memset(m, 0xee, n);
	src.out += 1u << order;
	src.taken++;
	return m;
}

static void give(struct pool *p, void *mem, unsigned order)
{
	(void)p;
	src.out -= 1u << order;
	src.given++;
	free(mem);
}

static uint64_t retire(struct pool *p)
{
	(void)p;
	src.retired++;
	return ++src.stamp;
}

static const struct pool_pages pages = { .take = take, .give = give, .retire = retire };

/* Bookkeeping for the tests' pools. */
static _Alignas(8) uint8_t meta[64 * 1024];

/* Sets up p with capacity objects of obj_size bytes and a fresh page source. */
static status_t setup(struct pool *p, size_t obj_size, uint32_t capacity)
{
	memset(&src, 0, sizeof src);
	src.limit = UINT64_MAX;
	memset(meta, 0xee, sizeof meta);
	return pool_init(p, "test", &pages, meta, sizeof meta, obj_size, capacity);
}

/* Gives back every slab still held: the pool is done with. */
static void teardown(struct pool *p)
{
	for (uint32_t s = 0; s < p->nslabs; s++)
		if (p->slabs[s].mem)
			give(p, p->slabs[s].mem, p->order);
}

/* What pool_poison_failed reported last (the kernel's panics instead). */
static struct {
	unsigned calls;
	const struct pool *pool;
	uint32_t idx;
	size_t offset;
	uint64_t found;
} poison;

void pool_poison_failed(const struct pool *p, uint32_t idx, size_t offset, uint64_t found)
{
	poison.calls++;
	poison.pool = p;
	poison.idx = idx;
	poison.offset = offset;
	poison.found = found;
}

static bool all_zero(const void *obj, size_t n)
{
	const uint8_t *b = obj;
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

/* Returns true if the stats are exactly the given values. */
static bool stats_are(const struct pool *p, uint32_t in_use, uint32_t hw, uint64_t allocs,
		      uint64_t failed)
{
	struct pool_stats s;
	pool_stats(p, &s);
	return s.in_use == in_use && s.high_water == hw && s.allocs == allocs &&
	       s.failed_allocs == failed;
}

/* The pool index of the object at ptr (tests only: a linear search). */
static uint32_t index_of(const struct pool *p, const void *ptr)
{
	for (uint32_t s = 0; s < p->nslabs; s++) {
		uintptr_t m = (uintptr_t)p->slabs[s].mem, a = (uintptr_t)ptr;
		if (m && a >= m && a < m + ((size_t)POOL_PAGE_SIZE << p->order))
			return s * p->per_slab + (uint32_t)((a - m) / p->stride);
	}
	return UINT32_MAX;
}

TEST(meta_bytes_sizes_slabs_and_rejects_overflow)
{
	struct pool p;
	/* 40 rounds up to 48: 85 per page. 10 links = 40 bytes, one slab. */
	CHECK_EQ(pool_meta_bytes(40, 10), 40 + sizeof(struct pool_slab) + 4);
	CHECK_EQ(pool_meta_bytes(40, 86), 344 + 2 * (sizeof(struct pool_slab) + 4));
	CHECK_EQ(pool_meta_bytes(0, 10), 0);
	CHECK_EQ(pool_meta_bytes(16, 0), 0);
	CHECK_EQ(pool_meta_bytes(16, POOL_MAX_CAPACITY + 1u), 0);
	CHECK_EQ(pool_meta_bytes(SIZE_MAX, 1), 0);
	CHECK_EQ(pool_meta_bytes((size_t)POOL_PAGE_SIZE * 1024 + 1, 1), 0);
	CHECK(pool_meta_bytes(16, POOL_MAX_CAPACITY) > 0);
	/* Slabs: 8 objects or 4 pages, whichever is smaller, or one object. */
	CHECK_EQ(setup(&p, 40, 100), STATUS_OK);
	CHECK(p.order == 0 && p.per_slab == 85 && p.nslabs == 2);
	CHECK_EQ(setup(&p, 1000, 100), STATUS_OK); /* stride 1008 */
	CHECK(p.order == 1 && p.per_slab == 8 && p.nslabs == 13);
	CHECK_EQ(setup(&p, 3000, 100), STATUS_OK);
	CHECK(p.order == 2 && p.per_slab == 5 && p.nslabs == 20);
	CHECK_EQ(setup(&p, 20000, 3), STATUS_OK);
	CHECK(p.order == 3 && p.per_slab == 1 && p.nslabs == 3);
}

TEST(init_rejects_bad_arguments)
{
	struct pool p;
	size_t need = pool_meta_bytes(40, 8);
	CHECK_EQ(pool_init(&p, "t", &pages, meta, need, 40, 8), STATUS_OK);
	CHECK_EQ(pool_init(&p, "t", &pages, meta, need - 1, 40, 8), STATUS_NO_MEMORY);
	CHECK_EQ(pool_init(&p, "t", &pages, meta + 4, need, 40, 8), STATUS_INVALID);
	CHECK_EQ(pool_init(&p, "t", &pages, NULL, need, 40, 8), STATUS_INVALID);
	CHECK_EQ(pool_init(&p, "t", NULL, meta, need, 40, 8), STATUS_INVALID);
	CHECK_EQ(pool_init(&p, NULL, &pages, meta, need, 40, 8), STATUS_INVALID);
	CHECK_EQ(pool_init(&p, "t", &pages, meta, need, 0, 8), STATUS_INVALID);
	CHECK_EQ(pool_init(&p, "t", &pages, meta, need, 40, 0), STATUS_INVALID);
}

TEST(starts_with_no_slab_and_grows_one_at_a_time)
{
	struct pool p;
	void *o[200];
	CHECK_EQ(setup(&p, 40, 200), STATUS_OK); /* 85 per slab: 3 slabs */
	CHECK_EQ(src.taken, 0);
	CHECK_EQ(p.pages_held, 0);
	CHECK(pool_check(&p));
	for (int i = 0; i < 200; i++) {
		CHECK_EQ(pool_alloc(&p, &o[i]), STATUS_OK);
		CHECK_EQ(src.taken, (uint64_t)i / 85 + 1);
		CHECK_EQ((uintptr_t)o[i] % POOL_ALIGN, 0);
		CHECK_EQ(index_of(&p, o[i]), (uint32_t)i);
		CHECK(pool_is_live(&p, o[i]));
	}
	CHECK_EQ(p.pages_held, 3);
	struct pool_stats st;
	pool_stats(&p, &st);
	CHECK(st.pages == 3 && st.grows == 3 && st.shrinks == 0 && st.per_slab == 85 &&
	      st.slab_pages == 1);
	CHECK(pool_check(&p));
	teardown(&p);
}

TEST(the_limit_and_a_dry_page_source_are_no_memory)
{
	struct pool p;
	void *o[8], *extra;
	CHECK_EQ(setup(&p, 40, 8), STATUS_OK);
	for (int i = 0; i < 8; i++) {
		CHECK_EQ(pool_alloc(&p, &o[i]), STATUS_OK);
		for (int j = 0; j < i; j++) /* distinct, non-overlapping */
			CHECK((uintptr_t)o[i] - (uintptr_t)o[j] >= 48 &&
			      (uintptr_t)o[j] - (uintptr_t)o[i] >= 48);
	}
	extra = (void *)1;
	CHECK_EQ(pool_alloc(&p, &extra), STATUS_NO_MEMORY); /* the limit */
	CHECK(extra == NULL);
	CHECK_EQ(src.taken, 1);
	CHECK_EQ(pool_free(&p, o[5]), STATUS_OK);
	CHECK_EQ(pool_alloc(&p, &extra), STATUS_OK);
	CHECK(extra == o[5]);
	CHECK_EQ(pool_alloc(&p, &extra), STATUS_NO_MEMORY);
	CHECK(stats_are(&p, 8, 8, 9, 2));
	CHECK(pool_check(&p));
	teardown(&p);

	/* No pages: refused, nothing changes, and it works once pages come. */
	CHECK_EQ(setup(&p, 40, 200), STATUS_OK);
	src.limit = 1;
	for (int i = 0; i < 85; i++)
		CHECK_EQ(pool_alloc(&p, &extra), STATUS_OK);
	CHECK_EQ(pool_alloc(&p, &extra), STATUS_NO_MEMORY);
	CHECK(extra == NULL && p.pages_held == 1);
	CHECK(stats_are(&p, 85, 85, 85, 1));
	CHECK(pool_check(&p));
	src.limit = 2;
	CHECK_EQ(pool_alloc(&p, &extra), STATUS_OK);
	CHECK_EQ(index_of(&p, extra), 85);
	CHECK(pool_check(&p));
	teardown(&p);
}

TEST(empty_slabs_go_back_after_their_stamp_keeping_one)
{
	struct pool p;
	void *o[255], *x;
	CHECK_EQ(setup(&p, 40, 255), STATUS_OK); /* 3 slabs of 85 */
	for (int i = 0; i < 255; i++)
		CHECK_EQ(pool_alloc(&p, &o[i]), STATUS_OK);
	/* The first slab emptied is kept. */
	for (int i = 170; i < 255; i++)
		CHECK_EQ(pool_free(&p, o[i]), STATUS_OK);
	CHECK(src.retired == 0 && p.pages_held == 3 && p.empty == 1);
	CHECK(pool_check(&p));
	/* The second leaves the pool at once but keeps its pages. */
	for (int i = 0; i < 85; i++)
		CHECK_EQ(pool_free(&p, o[i]), STATUS_OK);
	CHECK(src.retired == 1 && src.stamp == 1 && p.pages_held == 3);
	CHECK(!pool_contains(&p, o[0]) && !pool_is_live(&p, o[0]));
	CHECK_EQ(pool_free(&p, o[0]), STATUS_NOT_OWNED);
	CHECK(pool_check(&p));
	/* Not before its stamp. */
	CHECK_EQ(pool_reclaim(&p, 0), 1);
	CHECK(src.given == 0 && p.pages_held == 3);
	CHECK_EQ(pool_reclaim(&p, 1), 0);
	CHECK(src.given == 1 && p.pages_held == 2 && src.out == 2);
	CHECK(pool_check(&p));
	/* New objects come from the kept slab, then from a new one. */
	for (int i = 0; i < 85; i++) {
		CHECK_EQ(pool_alloc(&p, &x), STATUS_OK);
		CHECK(index_of(&p, x) >= 170);
	}
	CHECK_EQ(src.taken, 3);
	CHECK_EQ(pool_alloc(&p, &x), STATUS_OK);
	CHECK(src.taken == 4 && index_of(&p, x) == 0 && all_zero(x, 48));
	struct pool_stats st;
	pool_stats(&p, &st);
	CHECK(st.grows == 4 && st.shrinks == 1 && st.pages == 3);
	CHECK(pool_check(&p));
	teardown(&p);
}

TEST(a_retiring_slab_comes_back_before_new_pages_are_taken)
{
	struct pool p;
	void *o[170], *x;
	CHECK_EQ(setup(&p, 40, 255), STATUS_OK);
	for (int i = 0; i < 170; i++)
		CHECK_EQ(pool_alloc(&p, &o[i]), STATUS_OK);
	for (int i = 0; i < 85; i++) /* slab 0 empty: kept */
		CHECK_EQ(pool_free(&p, o[i]), STATUS_OK);
	for (int i = 85; i < 170; i++) /* slab 1 empty: retiring */
		CHECK_EQ(pool_free(&p, o[i]), STATUS_OK);
	CHECK_EQ(src.retired, 1);
	for (int i = 0; i < 85; i++)
		CHECK_EQ(pool_alloc(&p, &x), STATUS_OK);
	CHECK_EQ(pool_alloc(&p, &x), STATUS_OK); /* slab 1 again, no new pages */
	CHECK(src.taken == 2 && index_of(&p, x) == 84 + 85 && all_zero(x, 48));
	CHECK_EQ(pool_reclaim(&p, 99), 0);
	CHECK(src.given == 0 && p.pages_held == 2);
	CHECK(pool_check(&p));
	teardown(&p);
}

TEST(alloc_zeroes_the_whole_object)
{
	struct pool p;
	void *o, *again;
	CHECK_EQ(setup(&p, 40, 4), STATUS_OK);
	CHECK_EQ(pool_alloc(&p, &o), STATUS_OK);
	CHECK(all_zero(o, 48)); /* the padding too: 40 rounds up to 48 */
	memset(o, 0xab, 48);
	CHECK_EQ(pool_free(&p, o), STATUS_OK);
	CHECK_EQ(pool_alloc(&p, &again), STATUS_OK);
	CHECK(again == o);
	CHECK(all_zero(again, 48));
	teardown(&p);
}

TEST(bad_frees_are_not_owned_and_change_nothing)
{
	struct pool p;
	static _Alignas(16) uint8_t other[256];
	void *o[3], *next;
	CHECK_EQ(setup(&p, 32, 3), STATUS_OK);
	for (int i = 0; i < 3; i++)
		CHECK_EQ(pool_alloc(&p, &o[i]), STATUS_OK);
	CHECK_EQ(pool_free(&p, o[1]), STATUS_OK);

	CHECK_EQ(pool_free(&p, o[1]), STATUS_NOT_OWNED); /* double free */
	CHECK_EQ(pool_free(&p, (uint8_t *)o[0] + 16), STATUS_NOT_OWNED);
	CHECK_EQ(pool_free(&p, (uint8_t *)o[2] + 1), STATUS_NOT_OWNED);
	CHECK_EQ(pool_free(&p, other), STATUS_NOT_OWNED);
	CHECK_EQ(pool_free(&p, meta), STATUS_NOT_OWNED); /* the links */
	CHECK_EQ(pool_free(&p, (uint8_t *)o[2] + 32), STATUS_NOT_OWNED);
	CHECK_EQ(pool_free(&p, (uint8_t *)o[0] - 32), STATUS_NOT_OWNED);
	CHECK_EQ(pool_free(&p, NULL), STATUS_NOT_OWNED);

	CHECK(stats_are(&p, 2, 3, 3, 0));
	CHECK(pool_check(&p));
	CHECK(pool_is_live(&p, o[0]) && pool_is_live(&p, o[2]));
	CHECK_EQ(pool_alloc(&p, &next), STATUS_OK);
	CHECK(next == o[1]);
	CHECK_EQ(pool_alloc(&p, &next), STATUS_NO_MEMORY);
	teardown(&p);
}

TEST(use_after_free_scribble_cannot_corrupt_bookkeeping)
{
	struct pool p;
	void *o[4], *x;
	CHECK_EQ(setup(&p, 64, 4), STATUS_OK);
	for (int i = 0; i < 4; i++)
		CHECK_EQ(pool_alloc(&p, &o[i]), STATUS_OK);
	CHECK_EQ(pool_free(&p, o[2]), STATUS_OK);
	CHECK_EQ(pool_free(&p, o[0]), STATUS_OK);
	memset(o[2], 0xff, 64); /* stale pointers write to freed objects */
	memset(o[0], 0x00, 64);
	CHECK(pool_check(&p));
	CHECK_EQ(pool_free(&p, o[2]), STATUS_NOT_OWNED);
	poison.calls = 0;
	CHECK_EQ(pool_alloc(&p, &x), STATUS_OK);
	CHECK(x == o[0]);
	CHECK_EQ(pool_alloc(&p, &x), STATUS_OK);
	CHECK(x == o[2] && all_zero(x, 64));
	CHECK_EQ(poison.calls, 2); /* both scribbles were reported */
	CHECK_EQ(pool_alloc(&p, &x), STATUS_NO_MEMORY);
	teardown(&p);
}

TEST(freed_objects_are_poisoned)
{
	struct pool p;
	void *o;
	CHECK_EQ(setup(&p, 40, 4), STATUS_OK);
	CHECK_EQ(pool_alloc(&p, &o), STATUS_OK);
	memset(o, 0x5a, 48);
	CHECK_EQ(pool_free(&p, o), STATUS_OK);
	const uint64_t *w = o;
	for (int i = 0; i < 6; i++) /* the padding too */
		CHECK_EQ(w[i], POOL_POISON);
	teardown(&p);
}

TEST(a_write_after_free_is_caught_naming_pool_object_and_offset)
{
	struct pool p;
	void *o[3], *x;
	CHECK_EQ(setup(&p, 100, 3), STATUS_OK); /* stride 112 */
	for (int i = 0; i < 3; i++)
		CHECK_EQ(pool_alloc(&p, &o[i]), STATUS_OK);
	CHECK_EQ(pool_free(&p, o[1]), STATUS_OK);
	((volatile uint8_t *)o[1])[77] = 0x01; /* one byte, late in the object */
	poison.calls = 0;
	CHECK_EQ(pool_alloc(&p, &x), STATUS_OK);
	CHECK(x == o[1]);
	CHECK_EQ(poison.calls, 1);
	CHECK(poison.pool == &p && poison.pool->name && strcmp(poison.pool->name, "test") == 0);
	CHECK_EQ(poison.idx, 1);
	CHECK_EQ(poison.offset, 72); /* the word holding byte 77 */
	CHECK_EQ(poison.found, (POOL_POISON & ~(0xffull << 40)) | (0x01ull << 40));
	CHECK(all_zero(x, 112)); /* still handed out clean */
	teardown(&p);
}

TEST(a_write_after_free_is_caught_before_the_slab_goes_back)
{
	struct pool p;
	void *o[170];
	CHECK_EQ(setup(&p, 40, 255), STATUS_OK);
	for (int i = 0; i < 170; i++)
		CHECK_EQ(pool_alloc(&p, &o[i]), STATUS_OK);
	for (int i = 169; i >= 0; i--)
		CHECK_EQ(pool_free(&p, o[i]), STATUS_OK);
	CHECK_EQ(src.retired, 1);             /* slab 0, emptied second */
	((volatile uint8_t *)o[7])[9] = 0x33; /* stale, into the retiring slab */
	poison.calls = 0;
	CHECK_EQ(pool_reclaim(&p, src.stamp), 0);
	CHECK_EQ(poison.calls, 1);
	CHECK(poison.idx == 7 && poison.offset == 8);
	CHECK_EQ(src.given, 1);
	teardown(&p);
}

TEST(untouched_recycling_reports_nothing)
{
	struct pool p;
	void *o;
	CHECK_EQ(setup(&p, 1024, 4), STATUS_OK);
	poison.calls = 0;
	for (int round = 0; round < 100; round++) {
		CHECK_EQ(pool_alloc(&p, &o), STATUS_OK);
		memset(o, round, 1024);
		CHECK_EQ(pool_free(&p, o), STATUS_OK);
	}
	CHECK_EQ(poison.calls, 0);
	CHECK(src.taken == 1 && src.retired == 0); /* one kept slab, no thrash */
	teardown(&p);
}

TEST(setup_takes_no_pages_and_touches_no_link)
{
	struct pool p;
	void *o;
	CHECK_EQ(setup(&p, 64, 100), STATUS_OK);
	for (size_t i = 0; i < 100 * sizeof(uint32_t); i++)
		if (meta[i] != 0xee) {
			CHECK(!"pool_init wrote to the links");
			break;
		}
	CHECK(src.taken == 0 && p.active == 0);
	CHECK(pool_check(&p));
	CHECK_EQ(pool_alloc(&p, &o), STATUS_OK);
	CHECK(all_zero(o, 64) && src.taken == 1);
	/* The slab's other slots were never handed out: not objects. */
	CHECK(!pool_is_live(&p, (uint8_t *)o + 64));
	CHECK_EQ(pool_free(&p, (uint8_t *)o + 64 * 50), STATUS_NOT_OWNED);
	CHECK(pool_check(&p));
	teardown(&p);
}

TEST(contains_and_is_live_bounds)
{
	struct pool p;
	void *first, *second;
	CHECK_EQ(setup(&p, 20, 2), STATUS_OK); /* stride 32 */
	CHECK_EQ(pool_alloc(&p, &first), STATUS_OK);
	uint8_t *f = first;
	CHECK(pool_contains(&p, f) && pool_is_live(&p, f));
	CHECK(pool_contains(&p, f + 31) && !pool_is_live(&p, f + 31));
	CHECK(pool_contains(&p, f + 32) && !pool_is_live(&p, f + 32));
	CHECK(pool_contains(&p, f + 63));
	CHECK(!pool_contains(&p, f + 64)); /* past the capacity's objects */
	CHECK(!pool_contains(&p, f - 1));
	CHECK(!pool_contains(&p, NULL));
	CHECK_EQ(pool_alloc(&p, &second), STATUS_OK);
	CHECK(second == f + 32 && pool_is_live(&p, second));
	CHECK_EQ(pool_free(&p, first), STATUS_OK);
	CHECK(!pool_is_live(&p, first));
	CHECK(pool_contains(&p, first));
	teardown(&p);
}

TEST(stats_count_exactly)
{
	struct pool p;
	void *o[5], *x;
	CHECK_EQ(setup(&p, 100, 5), STATUS_OK);
	struct pool_stats s;
	pool_stats(&p, &s);
	CHECK_EQ(s.obj_size, 112);
	CHECK_EQ(s.capacity, 5);
	CHECK_EQ(s.pages, 0);
	CHECK(stats_are(&p, 0, 0, 0, 0));
	for (int i = 0; i < 3; i++)
		CHECK_EQ(pool_alloc(&p, &o[i]), STATUS_OK);
	CHECK_EQ(pool_free(&p, o[0]), STATUS_OK);
	CHECK_EQ(pool_free(&p, o[1]), STATUS_OK);
	CHECK(stats_are(&p, 1, 3, 3, 0));
	for (int i = 0; i < 4; i++)
		CHECK_EQ(pool_alloc(&p, &o[i]), STATUS_OK);
	CHECK_EQ(pool_alloc(&p, &x), STATUS_NO_MEMORY);
	CHECK_EQ(pool_free(&p, o[3]), STATUS_OK);
	CHECK_EQ(pool_free(&p, o[3]), STATUS_NOT_OWNED);
	CHECK(stats_are(&p, 4, 5, 7, 1));
	teardown(&p);
}

static uint64_t xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* The model: which objects are live, where, and the tag each one's owner
 * wrote. 1024-byte objects: 8 per slab of 2 pages, 5 slabs. */
#define MODEL_CAP 37
struct model {
	bool live[MODEL_CAP];
	uint8_t *obj[MODEL_CAP];
	uint32_t tag[MODEL_CAP];
	uint32_t in_use, high_water;
	uint64_t allocs, failed;
};

static void stress_alloc(struct pool *p, struct model *m, uint32_t tag)
{
	void *o;
	status_t st = pool_alloc(p, &o);
	if (m->in_use == MODEL_CAP || st == STATUS_NO_MEMORY) {
		/* Full, or the page source is dry with no room left. */
		CHECK(m->in_use == MODEL_CAP || p->room == UINT32_MAX);
		CHECK_EQ(st, STATUS_NO_MEMORY);
		m->failed++;
		return;
	}
	CHECK_EQ(st, STATUS_OK);
	uint32_t s = index_of(p, o);
	CHECK(s < MODEL_CAP && !m->live[s] && all_zero(o, p->stride));
	memset(o, (int)(tag & 0xff), p->stride); /* the owner uses it all */
	memcpy(o, &tag, 4);
	m->live[s] = true;
	m->obj[s] = o;
	m->tag[s] = tag;
	m->allocs++;
	if (++m->in_use > m->high_water)
		m->high_water = m->in_use;
}

/* Frees object s if it is live (checking its owner's data survived), or
 * checks that freeing where it was is refused if not. */
static void stress_free(struct pool *p, struct model *m, uint32_t s)
{
	uint8_t *o = m->obj[s];
	if (!m->live[s]) {
		/* Refused, unless a slab given back took the address over. */
		uint32_t now = o ? index_of(p, o) : UINT32_MAX;
		if (o && (now == s || now >= MODEL_CAP || !m->live[now]))
			CHECK_EQ(pool_free(p, o), STATUS_NOT_OWNED);
		return;
	}
	uint32_t tag;
	memcpy(&tag, o, 4);
	CHECK_EQ(tag, m->tag[s]);
	CHECK_EQ(o[p->stride - 1], tag & 0xff);
	CHECK_EQ(pool_free(p, o + 8), STATUS_NOT_OWNED);
	CHECK_EQ(pool_free(p, o), STATUS_OK);
	m->live[s] = false;
	m->in_use--;
}

TEST(random_alloc_free_reclaim_matches_model)
{
	struct pool p;
	struct model m = { 0 };
	uint64_t x = 0x2545f4914f6cdd1dull;
	CHECK_EQ(setup(&p, 1024, MODEL_CAP), STATUS_OK);
	CHECK(p.per_slab == 8 && p.nslabs == 5);
	poison.calls = 0;
	for (uint32_t step = 0; step < 200000; step++) {
		uint64_t r = xorshift(&x);
		/* Drift between mostly-alloc and mostly-free phases so that
		 * the limit and an empty pool are both reached; now and then
		 * the page source runs dry or retiring slabs are given back. */
		bool fill = (step / 1000) % 2 == 0;
		src.limit = (step / 7000) % 3 == 2 ? 6 : UINT64_MAX;
		if (r % 100 < (fill ? 70u : 30u))
			stress_alloc(&p, &m, (uint32_t)(r >> 32));
		else
			stress_free(&p, &m, (uint32_t)((r >> 8) % MODEL_CAP));
		if (r % 53 == 0)
			pool_reclaim(&p, src.stamp - (r >> 40) % 3);
		if (step % 97 == 0) {
			CHECK(pool_check(&p));
			CHECK(stats_are(&p, m.in_use, m.high_water, m.allocs, m.failed));
			CHECK_EQ(src.out, p.pages_held);
		}
	}
	CHECK_EQ(m.high_water, MODEL_CAP);
	CHECK(m.failed > 0 && src.given > 0 && src.retired > 0);
	CHECK_EQ(poison.calls, 0);
	CHECK(stats_are(&p, m.in_use, m.high_water, m.allocs, m.failed));
	teardown(&p);
}

int main(void)
{
	RUN(meta_bytes_sizes_slabs_and_rejects_overflow);
	RUN(init_rejects_bad_arguments);
	RUN(starts_with_no_slab_and_grows_one_at_a_time);
	RUN(the_limit_and_a_dry_page_source_are_no_memory);
	RUN(empty_slabs_go_back_after_their_stamp_keeping_one);
	RUN(a_retiring_slab_comes_back_before_new_pages_are_taken);
	RUN(alloc_zeroes_the_whole_object);
	RUN(bad_frees_are_not_owned_and_change_nothing);
	RUN(use_after_free_scribble_cannot_corrupt_bookkeeping);
	RUN(freed_objects_are_poisoned);
	RUN(a_write_after_free_is_caught_naming_pool_object_and_offset);
	RUN(a_write_after_free_is_caught_before_the_slab_goes_back);
	RUN(untouched_recycling_reports_nothing);
	RUN(setup_takes_no_pages_and_touches_no_link);
	RUN(contains_and_is_live_bounds);
	RUN(stats_count_exactly);
	RUN(random_alloc_free_reclaim_matches_model);
	return check_summary();
}
