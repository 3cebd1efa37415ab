/*
 * test_page_alloc.c - host tests for the buddy frame allocator.
 *
 * The managed addresses have no memory behind them: the allocator must
 * work from its metadata alone, and any touch of a frame would crash here.
 */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "core/mm/page_alloc.h"
#include "core/mm/phys_ranges.h"

#define PAGE PAGE_ALLOC_PAGE_SIZE
#define MIB (1024ull * 1024)
#define MAX_TEST_FRAMES (1u << 16)

/* Metadata for every test; uint64_t elements keep it suitably aligned. */
static uint64_t meta_buf[MAX_TEST_FRAMES * 2];

static uint64_t xorshift64(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

/* Initialises pa over nframes frames from base, all reserved. */
static void setup(struct page_alloc *pa, uint64_t base, uint64_t nframes)
{
	size_t need = page_alloc_meta_bytes(nframes);

	CHECK(need > 0 && need <= sizeof(meta_buf));
	CHECK_EQ(page_alloc_init(pa, meta_buf, need, base, nframes), STATUS_OK);
	CHECK(page_alloc_check(pa));
}

/* Initialises pa over nframes frames from base and frees all of them. */
static void setup_free(struct page_alloc *pa, uint64_t base, uint64_t nframes)
{
	setup(pa, base, nframes);
	CHECK_EQ(page_alloc_add_free(pa, base, base + nframes * PAGE), STATUS_OK);
	CHECK(page_alloc_check(pa));
}

static struct page_alloc_stats stats_of(const struct page_alloc *pa)
{
	struct page_alloc_stats st;

	page_alloc_stats(pa, &st);
	return st;
}

/* A copy of everything the allocator owns, to prove a call changed nothing. */
struct snapshot {
	struct page_alloc pa;
	size_t meta_bytes;
	uint8_t *meta;
};

static void snap(struct snapshot *s, const struct page_alloc *pa)
{
	memcpy(&s->pa, pa, sizeof(*pa));
	s->meta_bytes = page_alloc_meta_bytes(pa->nframes);
	s->meta = malloc(s->meta_bytes);
	CHECK(s->meta != NULL);
	memcpy(s->meta, meta_buf, s->meta_bytes);
}

static bool unchanged(const struct snapshot *s, const struct page_alloc *pa)
{
	return memcmp(&s->pa, pa, sizeof(*pa)) == 0 &&
	       memcmp(s->meta, meta_buf, s->meta_bytes) == 0;
}

TEST(init_validates_its_arguments)
{
	struct page_alloc pa;
	size_t one = page_alloc_meta_bytes(1);
	uint64_t out = 0;

	CHECK(one > 0);
	CHECK_EQ(page_alloc_meta_bytes(0), 0);
	CHECK_EQ(page_alloc_meta_bytes(1000), 1000 * one);
	CHECK_EQ(page_alloc_meta_bytes((uint64_t)PAGE_ALLOC_MAX_FRAMES + 1), 0);
	CHECK_EQ(page_alloc_init(&pa, meta_buf, one * 16, 0x1800, 16), STATUS_INVALID);
	CHECK_EQ(page_alloc_init(&pa, meta_buf, one * 16, 0, 0), STATUS_INVALID);
	CHECK_EQ(page_alloc_init(&pa, NULL, one * 16, 0, 16), STATUS_INVALID);
	CHECK_EQ(page_alloc_init(&pa, (uint8_t *)meta_buf + 1, one * 16, 0, 16), STATUS_INVALID);
	CHECK_EQ(page_alloc_init(&pa, meta_buf, one * 16, UINT64_MAX - 8 * PAGE + 1, 16),
		 STATUS_INVALID);
	CHECK_EQ(page_alloc_init(&pa, meta_buf, one * 16 - 1, 0, 16), STATUS_NO_MEMORY);
	/* A span may end at the last page boundary below 2^64, not at 2^64. */
	CHECK_EQ(page_alloc_init(&pa, meta_buf, one * 16, UINT64_MAX - 16 * PAGE + 1, 16),
		 STATUS_INVALID);
	CHECK_EQ(page_alloc_init(&pa, meta_buf, one * 16, UINT64_MAX - 17 * PAGE + 1, 16),
		 STATUS_OK);
	CHECK_EQ(page_alloc_init(&pa, meta_buf, one * 16, 0, 16), STATUS_OK);
	CHECK(page_alloc_check(&pa));
	CHECK_EQ(stats_of(&pa).total_frames, 0);
	CHECK_EQ(stats_of(&pa).free_frames, 0);
	CHECK_EQ(page_alloc_alloc(&pa, 0, &out), STATUS_NO_MEMORY);
}

TEST(add_free_builds_maximal_aligned_blocks)
{
	struct page_alloc pa;
	struct page_alloc_stats st;
	const unsigned want[PAGE_ALLOC_ORDERS] = { 2, 0, 2, 1 };
	unsigned k;

	setup(&pa, 0, 4096);
	/* Frames [3, 21): 3 | 4-7 | 8-15 | 16-19 | 20. */
	CHECK_EQ(page_alloc_add_free(&pa, 3 * PAGE, 21 * PAGE), STATUS_OK);
	st = stats_of(&pa);
	CHECK_EQ(st.total_frames, 18);
	CHECK_EQ(st.free_frames, 18);
	for (k = 0; k < PAGE_ALLOC_ORDERS; k++)
		CHECK_EQ(st.free_blocks[k], want[k]);
	CHECK(page_alloc_check(&pa));
	/* The rest of the first 16 MiB: four 4 MiB blocks once merged. */
	CHECK_EQ(page_alloc_add_free(&pa, 0, 3 * PAGE), STATUS_OK);
	CHECK_EQ(page_alloc_add_free(&pa, 21 * PAGE, 16 * MIB), STATUS_OK);
	st = stats_of(&pa);
	CHECK_EQ(st.total_frames, 4096);
	CHECK_EQ(st.free_blocks[PAGE_ALLOC_MAX_ORDER], 4);
	for (k = 0; k < PAGE_ALLOC_MAX_ORDER; k++)
		CHECK_EQ(st.free_blocks[k], 0);
	CHECK(page_alloc_check(&pa));
}

TEST(add_free_rejects_bad_ranges_without_change)
{
	struct page_alloc pa;
	struct snapshot s;

	setup(&pa, 0x100000, 256);
	CHECK_EQ(page_alloc_add_free(&pa, 0x100000, 0x110000), STATUS_OK);
	snap(&s, &pa);
	CHECK_EQ(page_alloc_add_free(&pa, 0x110800, 0x120000), STATUS_INVALID);
	CHECK_EQ(page_alloc_add_free(&pa, 0x110000, 0x120001), STATUS_INVALID);
	CHECK_EQ(page_alloc_add_free(&pa, 0x120000, 0x110000), STATUS_INVALID);
	CHECK_EQ(page_alloc_add_free(&pa, 0xff000, 0x120000), STATUS_RANGE);
	CHECK_EQ(page_alloc_add_free(&pa, 0x1f0000, 0x201000), STATUS_RANGE);
	CHECK_EQ(page_alloc_add_free(&pa, 0x10f000, 0x111000), STATUS_EXISTS);
	CHECK_EQ(page_alloc_add_free(&pa, 0x150000, 0x150000), STATUS_OK);
	CHECK(unchanged(&s, &pa));
	free(s.meta);
	CHECK_EQ(page_alloc_add_free(&pa, 0x110000, 0x200000), STATUS_OK);
	CHECK_EQ(stats_of(&pa).total_frames, 256);
	CHECK(page_alloc_check(&pa));
}

TEST(every_order_allocates_an_aligned_block_and_frees_back)
{
	struct page_alloc pa;
	struct page_alloc_stats before, st;
	uint64_t phys[PAGE_ALLOC_ORDERS], used = 0;
	unsigned k, j;

	setup_free(&pa, 0, 4096);
	before = stats_of(&pa);
	for (k = 0; k <= PAGE_ALLOC_MAX_ORDER; k++) {
		uint64_t size = (uint64_t)PAGE << k;

		CHECK_EQ(page_alloc_alloc(&pa, k, &phys[k]), STATUS_OK);
		CHECK_EQ(phys[k] % size, 0);
		CHECK(phys[k] + size <= 16 * MIB);
		for (j = 0; j < k; j++)
			CHECK(phys[j] + ((uint64_t)PAGE << j) <= phys[k] ||
			      phys[k] + size <= phys[j]);
		used += 1ull << k;
		st = stats_of(&pa);
		CHECK_EQ(st.alloc_blocks[k], 1);
		CHECK_EQ(st.free_frames, 4096 - used);
		CHECK(page_alloc_check(&pa));
	}
	for (k = 0; k <= PAGE_ALLOC_MAX_ORDER; k++)
		CHECK_EQ(page_alloc_free(&pa, phys[k], k), STATUS_OK);
	st = stats_of(&pa);
	CHECK(memcmp(&st, &before, sizeof(st)) == 0);
	CHECK(page_alloc_check(&pa));
}

/* A block trimmed to 37 of its 64 frames: 27 go back at once; the kept
 * ones are blocks of 32, 4 and 1 frames, each freed with its own order,
 * and everything coalesces back to what was there before. */
TEST(trim_keeps_a_prefix_and_frees_the_rest)
{
	struct page_alloc pa;
	struct page_alloc_stats before, st;
	uint64_t p, q;

	setup_free(&pa, 0, 1024);
	before = stats_of(&pa);
	CHECK_EQ(page_alloc_alloc(&pa, 6, &p), STATUS_OK);
	CHECK_EQ(page_alloc_trim(&pa, p, 6, 0), STATUS_INVALID);
	CHECK_EQ(page_alloc_trim(&pa, p, 6, 65), STATUS_INVALID);
	CHECK_EQ(page_alloc_trim(&pa, p, 5, 3), STATUS_NOT_OWNED);
	CHECK_EQ(page_alloc_trim(&pa, p + PAGE, 6, 3), STATUS_NOT_OWNED);
	CHECK_EQ(page_alloc_trim(&pa, p, 6, 37), STATUS_OK);
	CHECK(page_alloc_check(&pa));
	st = stats_of(&pa);
	CHECK_EQ(st.free_frames, 1024 - 37);
	CHECK_EQ(st.alloc_blocks[6], 0);
	CHECK_EQ(st.alloc_blocks[5] + st.alloc_blocks[2] + st.alloc_blocks[0], 3);
	CHECK_EQ(page_alloc_free(&pa, p, 6), STATUS_NOT_OWNED);
	/* The freed tail is usable at once. */
	CHECK_EQ(page_alloc_alloc(&pa, 4, &q), STATUS_OK);
	CHECK(q >= p + 37 * PAGE && q + 16 * PAGE <= p + 64 * PAGE);
	CHECK_EQ(page_alloc_free(&pa, q, 4), STATUS_OK);
	CHECK_EQ(page_alloc_free(&pa, p, 5), STATUS_OK);
	CHECK_EQ(page_alloc_free(&pa, p + 32 * PAGE, 2), STATUS_OK);
	CHECK_EQ(page_alloc_free(&pa, p + 36 * PAGE, 0), STATUS_OK);
	st = stats_of(&pa);
	CHECK(memcmp(&st, &before, sizeof(st)) == 0);
	CHECK(page_alloc_check(&pa));
	/* Keeping the whole block changes nothing. */
	CHECK_EQ(page_alloc_alloc(&pa, 3, &p), STATUS_OK);
	CHECK_EQ(page_alloc_trim(&pa, p, 3, 8), STATUS_OK);
	CHECK_EQ(page_alloc_free(&pa, p, 3), STATUS_OK);
	CHECK(page_alloc_check(&pa));
}

TEST(orders_above_the_maximum_are_invalid)
{
	struct page_alloc pa;
	uint64_t out = 0x1234;

	setup_free(&pa, 0, 2048);
	CHECK_EQ(page_alloc_alloc(&pa, PAGE_ALLOC_MAX_ORDER + 1, &out), STATUS_INVALID);
	CHECK_EQ(out, 0x1234);
	CHECK_EQ(page_alloc_free(&pa, 0, PAGE_ALLOC_MAX_ORDER + 1), STATUS_INVALID);
	CHECK_EQ(stats_of(&pa).free_frames, 2048);
}

TEST(exhaustion_returns_no_memory_then_recovers)
{
	struct page_alloc pa;
	uint64_t phys[64], out = 0, x, y;
	unsigned i;

	setup_free(&pa, 0x200000, 64);
	for (i = 0; i < 64; i++)
		CHECK_EQ(page_alloc_alloc(&pa, 0, &phys[i]), STATUS_OK);
	CHECK_EQ(page_alloc_alloc(&pa, 0, &out), STATUS_NO_MEMORY);
	CHECK_EQ(page_alloc_alloc(&pa, 3, &out), STATUS_NO_MEMORY);
	CHECK_EQ(stats_of(&pa).free_frames, 0);
	x = phys[17];
	y = x ^ PAGE;
	CHECK_EQ(page_alloc_free(&pa, x, 0), STATUS_OK);
	CHECK_EQ(page_alloc_alloc(&pa, 1, &out), STATUS_NO_MEMORY);
	CHECK_EQ(page_alloc_alloc(&pa, 0, &out), STATUS_OK);
	CHECK_EQ(out, x);
	/* x and its buddy y together make the only order-1 block. */
	CHECK_EQ(page_alloc_free(&pa, x, 0), STATUS_OK);
	CHECK_EQ(page_alloc_free(&pa, y, 0), STATUS_OK);
	CHECK_EQ(page_alloc_alloc(&pa, 1, &out), STATUS_OK);
	CHECK_EQ(out, x < y ? x : y);
	CHECK(page_alloc_check(&pa));
}

/* Fisher-Yates shuffle with a fixed-seed generator. */
static void shuffle(uint64_t *a, unsigned *orders, size_t n, uint64_t *seed)
{
	size_t i;

	for (i = n; i > 1; i--) {
		size_t j = xorshift64(seed) % i;
		uint64_t t = a[i - 1];
		unsigned o = orders[i - 1];

		a[i - 1] = a[j];
		a[j] = t;
		orders[i - 1] = orders[j];
		orders[j] = o;
	}
}

TEST(freeing_all_in_random_order_restores_maximal_blocks)
{
	static uint64_t phys[4096];
	static unsigned orders[4096];
	struct page_alloc pa;
	struct page_alloc_stats before, st;
	uint64_t seed = 0x2545f4914f6cdd1dull;
	size_t n = 0, i;

	setup_free(&pa, 0, 4096);
	before = stats_of(&pa);
	CHECK_EQ(before.free_blocks[PAGE_ALLOC_MAX_ORDER], 4);
	for (;;) {
		unsigned k = xorshift64(&seed) % PAGE_ALLOC_ORDERS;

		if (page_alloc_alloc(&pa, k, &phys[n]) != STATUS_OK) {
			k = 0;
			if (page_alloc_alloc(&pa, 0, &phys[n]) != STATUS_OK)
				break;
		}
		orders[n++] = k;
	}
	CHECK_EQ(stats_of(&pa).free_frames, 0);
	CHECK(page_alloc_check(&pa));
	shuffle(phys, orders, n, &seed);
	for (i = 0; i < n; i++)
		CHECK_EQ(page_alloc_free(&pa, phys[i], orders[i]), STATUS_OK);
	st = stats_of(&pa);
	CHECK(memcmp(&st, &before, sizeof(st)) == 0);
	CHECK(page_alloc_check(&pa));
}

TEST(fragmentation_blocks_order_one_until_neighbours_return)
{
	static uint64_t phys[1024];
	struct page_alloc pa;
	uint64_t out;
	unsigned i;

	setup_free(&pa, 0, 1024);
	for (i = 0; i < 1024; i++)
		CHECK_EQ(page_alloc_alloc(&pa, 0, &phys[i]), STATUS_OK);
	for (i = 0; i < 1024; i++)
		if ((phys[i] / PAGE) % 2 == 0)
			CHECK_EQ(page_alloc_free(&pa, phys[i], 0), STATUS_OK);
	CHECK_EQ(stats_of(&pa).free_frames, 512);
	CHECK_EQ(stats_of(&pa).free_blocks[0], 512);
	CHECK(page_alloc_check(&pa));
	CHECK_EQ(page_alloc_alloc(&pa, 1, &out), STATUS_NO_MEMORY);
	for (i = 0; i < 1024; i++)
		if ((phys[i] / PAGE) % 2 == 1)
			CHECK_EQ(page_alloc_free(&pa, phys[i], 0), STATUS_OK);
	CHECK(page_alloc_check(&pa));
	CHECK_EQ(page_alloc_alloc(&pa, PAGE_ALLOC_MAX_ORDER, &out), STATUS_OK);
	CHECK_EQ(out, 0);
}

TEST(bad_frees_are_refused_and_change_nothing)
{
	struct page_alloc pa;
	struct snapshot s;
	uint64_t p, q, r, base = 0x40000000;

	setup(&pa, base, 64);
	CHECK_EQ(page_alloc_add_free(&pa, base, base + 32 * PAGE), STATUS_OK);
	CHECK_EQ(page_alloc_alloc(&pa, 2, &p), STATUS_OK);
	CHECK_EQ(page_alloc_alloc(&pa, 0, &q), STATUS_OK);
	CHECK_EQ(page_alloc_alloc(&pa, 0, &r), STATUS_OK);
	snap(&s, &pa);
	CHECK_EQ(page_alloc_free(&pa, p, 1), STATUS_NOT_OWNED);
	CHECK_EQ(page_alloc_free(&pa, p, 3), STATUS_NOT_OWNED);
	CHECK_EQ(page_alloc_free(&pa, p + PAGE, 0), STATUS_NOT_OWNED);
	CHECK_EQ(page_alloc_free(&pa, p + 2 * PAGE, 1), STATUS_NOT_OWNED);
	CHECK_EQ(page_alloc_free(&pa, p + 8, 2), STATUS_NOT_OWNED);
	CHECK_EQ(page_alloc_free(&pa, base - PAGE, 0), STATUS_NOT_OWNED);
	CHECK_EQ(page_alloc_free(&pa, base + 64 * PAGE, 0), STATUS_NOT_OWNED);
	CHECK_EQ(page_alloc_free(&pa, 0, 0), STATUS_NOT_OWNED);
	CHECK_EQ(page_alloc_free(&pa, UINT64_MAX & ~(uint64_t)(PAGE - 1), 0), STATUS_NOT_OWNED);
	/* Frames 32..63 were never handed in; 16..31 are free. */
	CHECK_EQ(page_alloc_free(&pa, base + 40 * PAGE, 0), STATUS_NOT_OWNED);
	CHECK_EQ(page_alloc_free(&pa, base + 16 * PAGE, 4), STATUS_NOT_OWNED);
	CHECK_EQ(page_alloc_free(&pa, base + 20 * PAGE, 0), STATUS_NOT_OWNED);
	CHECK(unchanged(&s, &pa));
	free(s.meta);

	CHECK_EQ(page_alloc_free(&pa, p, 2), STATUS_OK);
	snap(&s, &pa);
	CHECK_EQ(page_alloc_free(&pa, p, 2), STATUS_NOT_OWNED);
	CHECK(unchanged(&s, &pa));
	free(s.meta);
	/* Once merged, both frames are tails of a free block: refused. */
	CHECK_EQ(page_alloc_free(&pa, q, 0), STATUS_OK);
	CHECK_EQ(page_alloc_free(&pa, r, 0), STATUS_OK);
	snap(&s, &pa);
	CHECK_EQ(page_alloc_free(&pa, r, 0), STATUS_NOT_OWNED);
	CHECK_EQ(page_alloc_free(&pa, q, 0), STATUS_NOT_OWNED);
	CHECK(unchanged(&s, &pa));
	free(s.meta);
	CHECK_EQ(stats_of(&pa).free_blocks[5], 1);
	CHECK(page_alloc_check(&pa));
}

TEST(unaligned_base_still_gives_physically_aligned_blocks)
{
	struct page_alloc pa;
	uint64_t base = 0x1234000, out = 0, a, b;
	unsigned k;

	/* Frames 0x1234..0x1dec: only 0x1400 and 0x1800 start whole 4 MiB
	 * blocks inside the span. */
	setup_free(&pa, base, 3000);
	CHECK_EQ(stats_of(&pa).total_frames, 3000);
	CHECK_EQ(stats_of(&pa).free_blocks[PAGE_ALLOC_MAX_ORDER], 2);
	CHECK_EQ(page_alloc_alloc(&pa, PAGE_ALLOC_MAX_ORDER, &a), STATUS_OK);
	CHECK_EQ(page_alloc_alloc(&pa, PAGE_ALLOC_MAX_ORDER, &b), STATUS_OK);
	CHECK((a == 0x1400000 && b == 0x1800000) || (a == 0x1800000 && b == 0x1400000));
	CHECK_EQ(page_alloc_alloc(&pa, PAGE_ALLOC_MAX_ORDER, &out), STATUS_NO_MEMORY);
	for (k = 0; k < PAGE_ALLOC_MAX_ORDER; k++) {
		while (page_alloc_alloc(&pa, k, &out) == STATUS_OK) {
			CHECK_EQ(out % ((uint64_t)PAGE << k), 0);
			CHECK(out >= base);
			CHECK(out + ((uint64_t)PAGE << k) <= base + 3000 * PAGE);
		}
	}
	CHECK_EQ(stats_of(&pa).free_frames, 0);
	CHECK(page_alloc_check(&pa));
}

TEST(unaligned_base_coalesces_by_physical_address)
{
	static uint64_t phys[3000];
	static unsigned orders[3000];
	struct page_alloc pa;
	struct page_alloc_stats before, st;
	uint64_t seed = 0x0123456789abcdefull, out;
	size_t i;

	setup_free(&pa, 0x1234000, 3000);
	before = stats_of(&pa);
	for (i = 0; i < 3000; i++) {
		CHECK_EQ(page_alloc_alloc(&pa, 0, &phys[i]), STATUS_OK);
		orders[i] = 0;
	}
	CHECK_EQ(page_alloc_alloc(&pa, 0, &out), STATUS_NO_MEMORY);
	shuffle(phys, orders, 3000, &seed);
	for (i = 0; i < 3000; i++) {
		CHECK_EQ(page_alloc_free(&pa, phys[i], 0), STATUS_OK);
		if (i % 100 == 0)
			CHECK(page_alloc_check(&pa));
	}
	st = stats_of(&pa);
	CHECK(memcmp(&st, &before, sizeof(st)) == 0);
	CHECK(page_alloc_check(&pa));
}

TEST(frames_in_holes_are_never_allocated)
{
	struct page_alloc pa;
	uint64_t out, n = 0;

	setup(&pa, 0, 1024);
	CHECK_EQ(page_alloc_add_free(&pa, 0, 0x40000), STATUS_OK);
	CHECK_EQ(page_alloc_add_free(&pa, 0x80000, 0x9f000), STATUS_OK);
	CHECK_EQ(page_alloc_add_free(&pa, 0x200000, 0x400000), STATUS_OK);
	CHECK_EQ(stats_of(&pa).total_frames, 64 + 31 + 512);
	while (page_alloc_alloc(&pa, 0, &out) == STATUS_OK) {
		CHECK(out < 0x40000 || (out >= 0x80000 && out < 0x9f000) || out >= 0x200000);
		n++;
	}
	CHECK_EQ(n, 64 + 31 + 512);
	CHECK(page_alloc_check(&pa));
}

/* Adds every range of usable to pa after init over their span. */
static void setup_from_ranges(struct page_alloc *pa, const struct phys_ranges *usable)
{
	struct phys_range r;
	uint64_t lo, hi;
	size_t i;

	CHECK(phys_ranges_span(usable, &lo, &hi));
	setup(pa, lo, (hi - lo) / PAGE);
	for (i = 0; phys_ranges_get(usable, i, &r); i++)
		CHECK_EQ(page_alloc_add_free(pa, r.start, r.end), STATUS_OK);
}

TEST(reserved_ranges_are_never_handed_out)
{
	static const uint64_t reserved[][2] = {
		{ 0x0, 0x100000 },        /* real-mode area, BIOS */
		{ 0x100000, 0x345678 },   /* kernel image */
		{ 0x400000, 0x401234 },   /* boot module */
		{ 0x800123, 0x900000 },   /* boot bundle */
		{ 0x1ffe000, 0x2000000 }, /* ACPI tables */
	};
	struct phys_ranges usable, rsv;
	struct page_alloc pa;
	static uint8_t seen[0x3000000 / PAGE];
	uint64_t out, got = 0;
	size_t i;
	int k;

	phys_ranges_init(&usable);
	phys_ranges_init(&rsv);
	CHECK_EQ(phys_ranges_add(&usable, 0x2100000, 0x3000000), STATUS_OK);
	CHECK_EQ(phys_ranges_add(&usable, 0x0, 0x9fc00), STATUS_OK);
	CHECK_EQ(phys_ranges_add(&usable, 0x100000, 0x2000000), STATUS_OK);
	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++) {
		CHECK_EQ(phys_ranges_subtract(&usable, reserved[i][0], reserved[i][1]), STATUS_OK);
		CHECK_EQ(phys_ranges_add(&rsv, reserved[i][0], reserved[i][1]), STATUS_OK);
	}
	phys_ranges_align(&usable);
	setup_from_ranges(&pa, &usable);
	CHECK_EQ(stats_of(&pa).total_frames, phys_ranges_total(&usable) / PAGE);
	memset(seen, 0, sizeof(seen));
	for (k = PAGE_ALLOC_MAX_ORDER; k >= 0; k--) {
		while (page_alloc_alloc(&pa, k, &out) == STATUS_OK) {
			uint64_t end = out + ((uint64_t)PAGE << k), f;

			CHECK(!phys_ranges_overlaps(&rsv, out, end));
			CHECK(end <= 0x3000000);
			for (f = out / PAGE; f < end / PAGE; f++) {
				CHECK(!seen[f]);
				seen[f] = 1;
			}
			got += end - out;
		}
	}
	CHECK_EQ(got, phys_ranges_total(&usable));
	CHECK(page_alloc_check(&pa));
}

struct stress {
	struct page_alloc *pa;
	struct live_block {
		uint64_t phys;
		unsigned order;
	} * live;
	size_t nlive;
	uint8_t *owned; /* one byte per frame: allocated now */
	uint64_t hits[PAGE_ALLOC_ORDERS];
	uint64_t seed;
};

/* Frees a random live block and clears its frames in the shadow map. */
static void stress_free(struct stress *s, uint64_t r)
{
	size_t i = r % s->nlive;
	struct live_block b = s->live[i];
	uint64_t f;

	CHECK_EQ(page_alloc_free(s->pa, b.phys, b.order), STATUS_OK);
	for (f = 0; f < (1ull << b.order); f++)
		s->owned[b.phys / PAGE + f] = 0;
	s->live[i] = s->live[--s->nlive];
}

/* Allocates a block, mostly of a small order as in a kernel, and checks it
 * is aligned and overlaps no live block. */
static void stress_alloc(struct stress *s, uint64_t r)
{
	unsigned order = r % 16 < 12 ? (r >> 8) % 3 : (r >> 8) % PAGE_ALLOC_ORDERS;
	uint64_t out, f;
	status_t st = page_alloc_alloc(s->pa, order, &out);

	if (st == STATUS_NO_MEMORY)
		return;
	CHECK_EQ(st, STATUS_OK);
	CHECK_EQ(out % ((uint64_t)PAGE << order), 0);
	for (f = 0; f < (1ull << order); f++) {
		CHECK(!s->owned[out / PAGE + f]);
		s->owned[out / PAGE + f] = 1;
	}
	s->live[s->nlive].phys = out;
	s->live[s->nlive++].order = order;
	s->hits[order]++;
}

/* Fails unless the free count equals what the live blocks leave over. */
static void stress_verify(struct stress *s, uint64_t total)
{
	uint64_t used = 0;
	size_t i;

	CHECK(page_alloc_check(s->pa));
	for (i = 0; i < s->nlive; i++)
		used += 1ull << s->live[i].order;
	CHECK_EQ(stats_of(s->pa).free_frames, total - used);
}

TEST(random_stress_keeps_the_allocator_consistent)
{
	enum { NFRAMES = 8192, OPS = 100000, BATCH = 1000 };
	static struct live_block live[NFRAMES];
	static uint8_t owned[NFRAMES];
	struct page_alloc pa;
	struct page_alloc_stats before, st;
	struct stress s = { &pa, live, 0, owned, { 0 }, 0xdeadbeefcafef00dull };
	unsigned k;
	int op;

	setup(&pa, 0, NFRAMES);
	CHECK_EQ(page_alloc_add_free(&pa, 0x1000, 0xa0000), STATUS_OK);
	CHECK_EQ(page_alloc_add_free(&pa, 0x100000, 0x1800000), STATUS_OK);
	CHECK_EQ(page_alloc_add_free(&pa, 0x1900000, 0x2000000), STATUS_OK);
	before = stats_of(&pa);
	memset(owned, 0, sizeof(owned));
	for (op = 0; op < OPS; op++) {
		uint64_t r = xorshift64(&s.seed);

		if (s.nlive > 0 && (r & 3) < 2)
			stress_free(&s, r >> 2);
		else
			stress_alloc(&s, r >> 2);
		if (op % BATCH == BATCH - 1)
			stress_verify(&s, before.total_frames);
	}
	for (k = 0; k < PAGE_ALLOC_ORDERS; k++)
		CHECK(s.hits[k] > 0);
	while (s.nlive > 0)
		stress_free(&s, 0);
	st = stats_of(&pa);
	CHECK(memcmp(&st, &before, sizeof(st)) == 0);
	CHECK(page_alloc_check(&pa));
}

TEST(check_detects_corruption)
{
	struct page_alloc pa;
	uint64_t out;
	uint32_t head;
	uint8_t saved;

	setup_free(&pa, 0, 64);
	CHECK_EQ(page_alloc_alloc(&pa, 0, &out), STATUS_OK);
	CHECK(page_alloc_check(&pa));
	pa.free_frames++;
	CHECK(!page_alloc_check(&pa));
	pa.free_frames--;
	pa.alloc_blocks[1]++;
	CHECK(!page_alloc_check(&pa));
	pa.alloc_blocks[1]--;
	pa.free_blocks[3]++;
	CHECK(!page_alloc_check(&pa));
	pa.free_blocks[3]--;
	head = pa.free_head[5];
	pa.free_head[5] = pa.free_head[4];
	CHECK(!page_alloc_check(&pa));
	pa.free_head[5] = head;
	CHECK(page_alloc_check(&pa));
	/* Smash the state of one frame inside a free block. */
	saved = pa.state[40];
	pa.state[40] = 0x5a;
	CHECK(!page_alloc_check(&pa));
	pa.state[40] = saved;
	CHECK(page_alloc_check(&pa));
}

TEST(check_detects_a_broken_back_link)
{
	static uint64_t other_meta[64];
	struct page_alloc pa, single;
	uint32_t tail;

	/* Frames 0 and 3 are free and not buddies: a two-entry order-0 list. */
	setup(&pa, 0, 16);
	CHECK_EQ(page_alloc_add_free(&pa, 0, PAGE), STATUS_OK);
	CHECK_EQ(page_alloc_add_free(&pa, 3 * PAGE, 4 * PAGE), STATUS_OK);
	CHECK_EQ(pa.free_blocks[0], 2);
	tail = pa.free_head[0] == 0 ? 3 : 0;
	/* The record of the same frame as the only free frame of another
	 * allocator differs only in its back link. */
	CHECK(page_alloc_meta_bytes(16) <= sizeof(other_meta));
	CHECK_EQ(page_alloc_init(&single, other_meta, sizeof(other_meta), 0, 16), STATUS_OK);
	CHECK_EQ(page_alloc_add_free(&single, tail * PAGE, (tail + 1) * PAGE), STATUS_OK);
	CHECK(page_alloc_check(&pa));
	/* The records come first, a state byte per frame after them. */
	size_t rec = (size_t)(pa.state - (uint8_t *)pa.meta) / pa.nframes;
	memcpy((uint8_t *)meta_buf + tail * rec, (uint8_t *)other_meta + tail * rec, rec);
	CHECK(!page_alloc_check(&pa));
}

int main(void)
{
	RUN(init_validates_its_arguments);
	RUN(add_free_builds_maximal_aligned_blocks);
	RUN(add_free_rejects_bad_ranges_without_change);
	RUN(every_order_allocates_an_aligned_block_and_frees_back);
	RUN(trim_keeps_a_prefix_and_frees_the_rest);
	RUN(orders_above_the_maximum_are_invalid);
	RUN(exhaustion_returns_no_memory_then_recovers);
	RUN(freeing_all_in_random_order_restores_maximal_blocks);
	RUN(fragmentation_blocks_order_one_until_neighbours_return);
	RUN(bad_frees_are_refused_and_change_nothing);
	RUN(unaligned_base_still_gives_physically_aligned_blocks);
	RUN(unaligned_base_coalesces_by_physical_address);
	RUN(frames_in_holes_are_never_allocated);
	RUN(reserved_ranges_are_never_handed_out);
	RUN(random_stress_keeps_the_allocator_consistent);
	RUN(check_detects_corruption);
	RUN(check_detects_a_broken_back_link);
	return check_summary();
}
