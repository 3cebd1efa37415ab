/* Host tests for the fixed-capacity object pools. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "core/mm/pool.h"

#define MEM_BYTES 8192

struct arena {
	_Alignas(16) uint8_t mem[MEM_BYTES];
};

/* Sets up p over a with capacity objects of obj_size bytes, after filling
 * the memory with junk so that zeroing is really tested. */
static status_t setup(struct pool *p, struct arena *a, size_t obj_size, uint32_t capacity)
{
	memset(a->mem, 0xee, sizeof a->mem);
	return pool_init(p, "test", a->mem, sizeof a->mem, obj_size, capacity);
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

TEST(bytes_needed_rounds_and_rejects_overflow)
{
	/* 10 links = 40 bytes, padded to 48; 10 objects of 32 bytes. */
	CHECK_EQ(pool_bytes_needed(24, 10), 48 + 10 * 32);
	CHECK_EQ(pool_bytes_needed(32, 10), 48 + 10 * 32);
	CHECK_EQ(pool_bytes_needed(1, 1), 16 + 16);
	CHECK_EQ(pool_bytes_needed(0, 10), 0);
	CHECK_EQ(pool_bytes_needed(16, 0), 0);
	CHECK_EQ(pool_bytes_needed(16, POOL_MAX_CAPACITY + 1u), 0);
	CHECK_EQ(pool_bytes_needed(SIZE_MAX, 1), 0);
	CHECK_EQ(pool_bytes_needed(SIZE_MAX / 2, 4), 0);
	CHECK(pool_bytes_needed(16, POOL_MAX_CAPACITY) > 0);
}

TEST(init_rejects_bad_arguments)
{
	struct arena a;
	struct pool p;
	size_t need = pool_bytes_needed(40, 8);
	CHECK_EQ(pool_init(&p, "t", a.mem, need, 40, 8), STATUS_OK);
	CHECK_EQ(pool_init(&p, "t", a.mem, need - 1, 40, 8), STATUS_NO_MEMORY);
	CHECK_EQ(pool_init(&p, "t", a.mem + 8, need, 40, 8), STATUS_INVALID);
	CHECK_EQ(pool_init(&p, "t", NULL, need, 40, 8), STATUS_INVALID);
	CHECK_EQ(pool_init(&p, NULL, a.mem, need, 40, 8), STATUS_INVALID);
	CHECK_EQ(pool_init(&p, "t", a.mem, need, 0, 8), STATUS_INVALID);
	CHECK_EQ(pool_init(&p, "t", a.mem, need, 40, 0), STATUS_INVALID);
}

TEST(alloc_until_exhausted_then_free_one_and_reuse)
{
	struct arena a;
	struct pool p;
	void *obj[8], *extra;
	CHECK_EQ(setup(&p, &a, 40, 8), STATUS_OK);
	for (int i = 0; i < 8; i++) {
		CHECK_EQ(pool_alloc(&p, &obj[i]), STATUS_OK);
		CHECK_EQ((uintptr_t)obj[i] % POOL_ALIGN, 0);
		CHECK(pool_contains(&p, obj[i]));
		for (int j = 0; j < i; j++) /* distinct, non-overlapping */
			CHECK((uintptr_t)obj[i] - (uintptr_t)obj[j] >= 48 &&
			      (uintptr_t)obj[j] - (uintptr_t)obj[i] >= 48);
	}
	extra = (void *)1;
	CHECK_EQ(pool_alloc(&p, &extra), STATUS_NO_MEMORY);
	CHECK(extra == NULL);
	CHECK_EQ(pool_alloc(&p, &extra), STATUS_NO_MEMORY);
	CHECK_EQ(pool_free(&p, obj[5]), STATUS_OK);
	CHECK_EQ(pool_alloc(&p, &extra), STATUS_OK);
	CHECK(extra == obj[5]);
	CHECK_EQ(pool_alloc(&p, &extra), STATUS_NO_MEMORY);
	CHECK(stats_are(&p, 8, 8, 9, 3));
	CHECK(pool_check(&p));
}

TEST(alloc_zeroes_the_whole_object)
{
	struct arena a;
	struct pool p;
	void *o, *again;
	CHECK_EQ(setup(&p, &a, 40, 4), STATUS_OK);
	CHECK_EQ(pool_alloc(&p, &o), STATUS_OK);
	CHECK(all_zero(o, 48)); /* the padding too: 40 rounds up to 48 */
	memset(o, 0xab, 48);
	CHECK_EQ(pool_free(&p, o), STATUS_OK);
	CHECK_EQ(pool_alloc(&p, &again), STATUS_OK);
	CHECK(again == o);
	CHECK(all_zero(again, 48));
}

TEST(bad_frees_are_not_owned_and_change_nothing)
{
	struct arena a, other;
	struct pool p;
	void *o[3], *next;
	CHECK_EQ(setup(&p, &a, 32, 3), STATUS_OK);
	for (int i = 0; i < 3; i++)
		CHECK_EQ(pool_alloc(&p, &o[i]), STATUS_OK);
	CHECK_EQ(pool_free(&p, o[1]), STATUS_OK);

	CHECK_EQ(pool_free(&p, o[1]), STATUS_NOT_OWNED); /* double free */
	CHECK_EQ(pool_free(&p, (uint8_t *)o[0] + 16), STATUS_NOT_OWNED);
	CHECK_EQ(pool_free(&p, (uint8_t *)o[2] + 1), STATUS_NOT_OWNED);
	CHECK_EQ(pool_free(&p, other.mem), STATUS_NOT_OWNED);
	CHECK_EQ(pool_free(&p, a.mem), STATUS_NOT_OWNED); /* the links */
	CHECK_EQ(pool_free(&p, (uint8_t *)o[2] + 32), STATUS_NOT_OWNED);
	CHECK_EQ(pool_free(&p, NULL), STATUS_NOT_OWNED);

	CHECK(stats_are(&p, 2, 3, 3, 0));
	CHECK(pool_check(&p));
	CHECK(pool_is_live(&p, o[0]) && pool_is_live(&p, o[2]));
	CHECK_EQ(pool_alloc(&p, &next), STATUS_OK);
	CHECK(next == o[1]);
	CHECK_EQ(pool_alloc(&p, &next), STATUS_NO_MEMORY);
}

TEST(use_after_free_scribble_cannot_corrupt_bookkeeping)
{
	struct arena a;
	struct pool p;
	void *o[4], *x;
	CHECK_EQ(setup(&p, &a, 64, 4), STATUS_OK);
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
}

TEST(freed_objects_are_poisoned)
{
	struct arena a;
	struct pool p;
	void *o;
	CHECK_EQ(setup(&p, &a, 40, 4), STATUS_OK);
	CHECK_EQ(pool_alloc(&p, &o), STATUS_OK);
	memset(o, 0x5a, 48);
	CHECK_EQ(pool_free(&p, o), STATUS_OK);
	const uint64_t *w = o;
	for (int i = 0; i < 6; i++) /* the padding too */
		CHECK_EQ(w[i], POOL_POISON);
}

TEST(a_write_after_free_is_caught_naming_pool_object_and_offset)
{
	struct arena a;
	struct pool p;
	void *o[3], *x;
	CHECK_EQ(setup(&p, &a, 100, 3), STATUS_OK); /* stride 112 */
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
}

TEST(untouched_recycling_reports_nothing)
{
	struct arena a;
	struct pool p;
	void *o;
	CHECK_EQ(setup(&p, &a, 1024, 4), STATUS_OK);
	poison.calls = 0;
	for (int round = 0; round < 100; round++) {
		CHECK_EQ(pool_alloc(&p, &o), STATUS_OK);
		memset(o, round, 1024);
		CHECK_EQ(pool_free(&p, o), STATUS_OK);
	}
	CHECK_EQ(poison.calls, 0);
}

TEST(setup_touches_no_object_memory)
{
	struct arena a;
	struct pool p;
	void *o;
	memset(a.mem, 0xee, sizeof a.mem);
	CHECK_EQ(pool_init(&p, "lazy", a.mem, sizeof a.mem, 64, 100), STATUS_OK);
	for (size_t i = 0; i < sizeof a.mem; i++)
		if (a.mem[i] != 0xee) {
			CHECK(!"pool_init wrote to the pool's memory");
			break;
		}
	CHECK(pool_check(&p));
	CHECK(!pool_is_live(&p, p.objs)); /* never handed out: not live, whatever the links hold */
	CHECK_EQ(pool_free(&p, p.objs + 64 * 50), STATUS_NOT_OWNED);
	CHECK_EQ(pool_alloc(&p, &o), STATUS_OK);
	CHECK(o == p.objs && all_zero(o, 64));
	CHECK(pool_check(&p));
}

TEST(contains_and_is_live_bounds)
{
	struct arena a;
	struct pool p;
	void *first, *second;
	CHECK_EQ(setup(&p, &a, 20, 2), STATUS_OK); /* stride 32 */
	CHECK_EQ(pool_alloc(&p, &first), STATUS_OK);
	uint8_t *f = first;
	CHECK(pool_contains(&p, f) && pool_is_live(&p, f));
	CHECK(pool_contains(&p, f + 31) && !pool_is_live(&p, f + 31));
	CHECK(pool_contains(&p, f + 32) && !pool_is_live(&p, f + 32));
	CHECK(pool_contains(&p, f + 63));
	CHECK(!pool_contains(&p, f + 64));
	CHECK(!pool_contains(&p, f - 1));
	CHECK(!pool_contains(&p, NULL));
	CHECK_EQ(pool_alloc(&p, &second), STATUS_OK);
	CHECK(second == f + 32 && pool_is_live(&p, second));
	CHECK_EQ(pool_free(&p, first), STATUS_OK);
	CHECK(!pool_is_live(&p, first));
	CHECK(pool_contains(&p, first));
}

TEST(stats_count_exactly)
{
	struct arena a;
	struct pool p;
	void *o[5], *x;
	CHECK_EQ(setup(&p, &a, 100, 5), STATUS_OK);
	struct pool_stats s;
	pool_stats(&p, &s);
	CHECK_EQ(s.obj_size, 112);
	CHECK_EQ(s.capacity, 5);
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
}

static uint64_t xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* The model: which slots are live and the tag each one's owner wrote. */
struct model {
	bool live[37];
	uint32_t tag[37];
	uint32_t in_use, high_water;
	uint64_t allocs, failed;
};

static uint32_t slot_of(const struct pool *p, const void *obj)
{
	return (uint32_t)(((uintptr_t)obj - (uintptr_t)p->objs) / p->stride);
}

static void stress_alloc(struct pool *p, struct model *m, uint32_t tag)
{
	void *o;
	status_t st = pool_alloc(p, &o);
	if (m->in_use == 37) {
		CHECK_EQ(st, STATUS_NO_MEMORY);
		m->failed++;
		return;
	}
	CHECK_EQ(st, STATUS_OK);
	uint32_t s = slot_of(p, o);
	CHECK(s < 37 && !m->live[s] && all_zero(o, p->stride));
	memset(o, (int)(tag & 0xff), p->stride); /* the owner uses it all */
	memcpy(o, &tag, 4);
	m->live[s] = true;
	m->tag[s] = tag;
	m->allocs++;
	if (++m->in_use > m->high_water)
		m->high_water = m->in_use;
}

/* Frees slot s if it is live (checking its owner's data survived), or
 * checks that freeing it is refused if not. */
static void stress_free(struct pool *p, struct model *m, uint32_t s)
{
	uint8_t *o = p->objs + (size_t)s * p->stride;
	if (!m->live[s]) {
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

TEST(random_alloc_free_matches_model)
{
	struct arena a;
	struct pool p;
	struct model m = { 0 };
	uint64_t x = 0x2545f4914f6cdd1dull;
	CHECK_EQ(setup(&p, &a, 40, 37), STATUS_OK);
	for (uint32_t step = 0; step < 200000; step++) {
		uint64_t r = xorshift(&x);
		/* Drift between mostly-alloc and mostly-free phases so that
		 * both exhaustion and an empty pool are reached. */
		bool fill = (step / 1000) % 2 == 0;
		if (r % 100 < (fill ? 70u : 30u))
			stress_alloc(&p, &m, (uint32_t)(r >> 32));
		else
			stress_free(&p, &m, (uint32_t)((r >> 8) % 37));
		if (step % 97 == 0) {
			CHECK(pool_check(&p));
			CHECK(stats_are(&p, m.in_use, m.high_water, m.allocs, m.failed));
		}
	}
	CHECK_EQ(m.high_water, 37);
	CHECK(m.failed > 0);
	CHECK(stats_are(&p, m.in_use, m.high_water, m.allocs, m.failed));
}

int main(void)
{
	RUN(bytes_needed_rounds_and_rejects_overflow);
	RUN(init_rejects_bad_arguments);
	RUN(alloc_until_exhausted_then_free_one_and_reuse);
	RUN(alloc_zeroes_the_whole_object);
	RUN(bad_frees_are_not_owned_and_change_nothing);
	RUN(use_after_free_scribble_cannot_corrupt_bookkeeping);
	RUN(freed_objects_are_poisoned);
	RUN(a_write_after_free_is_caught_naming_pool_object_and_offset);
	RUN(untouched_recycling_reports_nothing);
	RUN(setup_touches_no_object_memory);
	RUN(contains_and_is_live_bounds);
	RUN(stats_count_exactly);
	RUN(random_alloc_free_matches_model);
	return check_summary();
}
