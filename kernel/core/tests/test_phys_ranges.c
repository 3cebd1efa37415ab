/* test_phys_ranges.c - host tests for the physical range set. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "core/mm/phys_ranges.h"

/* Fails the running test unless pr holds exactly the n [start, end) pairs. */
static void expect_ranges(const struct phys_ranges *pr, const uint64_t *pairs, size_t n)
{
	struct phys_range r;
	size_t i;

	CHECK_EQ(phys_ranges_count(pr), n);
	for (i = 0; i < n; i++) {
		CHECK(phys_ranges_get(pr, i, &r));
		CHECK_EQ(r.start, pairs[2 * i]);
		CHECK_EQ(r.end, pairs[2 * i + 1]);
	}
	CHECK(!phys_ranges_get(pr, n, &r));
}

#define EXPECT(pr, ...)                                                                            \
	do {                                                                                       \
		static const uint64_t want_[] = { __VA_ARGS__ };                                   \
		expect_ranges(pr, want_, sizeof(want_) / sizeof(want_[0]) / 2);                    \
	} while (0)

TEST(add_merges_overlapping_and_adjacent)
{
	struct phys_ranges pr;

	phys_ranges_init(&pr);
	CHECK_EQ(phys_ranges_count(&pr), 0);
	CHECK_EQ(phys_ranges_add(&pr, 0x1000, 0x3000), STATUS_OK);
	CHECK_EQ(phys_ranges_add(&pr, 0x2000, 0x5000), STATUS_OK);
	EXPECT(&pr, 0x1000, 0x5000);
	CHECK_EQ(phys_ranges_add(&pr, 0x5000, 0x6000), STATUS_OK);
	EXPECT(&pr, 0x1000, 0x6000);
	CHECK_EQ(phys_ranges_add(&pr, 0x800, 0x1000), STATUS_OK);
	EXPECT(&pr, 0x800, 0x6000);
	CHECK_EQ(phys_ranges_add(&pr, 0x8000, 0x9000), STATUS_OK);
	EXPECT(&pr, 0x800, 0x6000, 0x8000, 0x9000);
	CHECK_EQ(phys_ranges_add(&pr, 0x2000, 0x3000), STATUS_OK);
	EXPECT(&pr, 0x800, 0x6000, 0x8000, 0x9000);
	CHECK_EQ(phys_ranges_total(&pr), 0x5800 + 0x1000);
}

TEST(add_unsorted_keeps_address_order_and_bridges)
{
	struct phys_ranges pr;

	phys_ranges_init(&pr);
	CHECK_EQ(phys_ranges_add(&pr, 0x9000, 0xa000), STATUS_OK);
	CHECK_EQ(phys_ranges_add(&pr, 0x1000, 0x2000), STATUS_OK);
	CHECK_EQ(phys_ranges_add(&pr, 0x5000, 0x6000), STATUS_OK);
	CHECK_EQ(phys_ranges_add(&pr, 0x3000, 0x4000), STATUS_OK);
	EXPECT(&pr, 0x1000, 0x2000, 0x3000, 0x4000, 0x5000, 0x6000, 0x9000, 0xa000);
	CHECK_EQ(phys_ranges_add(&pr, 0x1800, 0x9800), STATUS_OK);
	EXPECT(&pr, 0x1000, 0xa000);
}

TEST(subtract_splits_a_range_around_a_hole)
{
	struct phys_ranges pr;

	phys_ranges_init(&pr);
	CHECK_EQ(phys_ranges_add(&pr, 0, 0x10000), STATUS_OK);
	CHECK_EQ(phys_ranges_subtract(&pr, 0x4000, 0x6000), STATUS_OK);
	EXPECT(&pr, 0, 0x4000, 0x6000, 0x10000);
	CHECK_EQ(phys_ranges_total(&pr), 0xe000);
}

TEST(subtract_trims_edges_and_drops_covered_ranges)
{
	struct phys_ranges pr;

	phys_ranges_init(&pr);
	CHECK_EQ(phys_ranges_add(&pr, 0x1000, 0x3000), STATUS_OK);
	CHECK_EQ(phys_ranges_add(&pr, 0x4000, 0x5000), STATUS_OK);
	CHECK_EQ(phys_ranges_add(&pr, 0x6000, 0x7000), STATUS_OK);
	CHECK_EQ(phys_ranges_add(&pr, 0x8000, 0xa000), STATUS_OK);
	CHECK_EQ(phys_ranges_subtract(&pr, 0x2000, 0x9000), STATUS_OK);
	EXPECT(&pr, 0x1000, 0x2000, 0x9000, 0xa000);
	CHECK_EQ(phys_ranges_subtract(&pr, 0x0, 0x1800), STATUS_OK);
	EXPECT(&pr, 0x1800, 0x2000, 0x9000, 0xa000);
	CHECK_EQ(phys_ranges_subtract(&pr, 0x9800, 0x20000), STATUS_OK);
	EXPECT(&pr, 0x1800, 0x2000, 0x9000, 0x9800);
	CHECK_EQ(phys_ranges_subtract(&pr, 0x1800, 0x2000), STATUS_OK);
	EXPECT(&pr, 0x9000, 0x9800);
	CHECK_EQ(phys_ranges_subtract(&pr, 0x2000, 0x9000), STATUS_OK);
	EXPECT(&pr, 0x9000, 0x9800);
	CHECK_EQ(phys_ranges_subtract(&pr, 0, UINT64_MAX), STATUS_OK);
	CHECK_EQ(phys_ranges_count(&pr), 0);
	CHECK_EQ(phys_ranges_total(&pr), 0);
}

TEST(zero_length_ranges_change_nothing)
{
	struct phys_ranges pr;

	phys_ranges_init(&pr);
	CHECK_EQ(phys_ranges_add(&pr, 0x5000, 0x5000), STATUS_OK);
	CHECK_EQ(phys_ranges_count(&pr), 0);
	CHECK_EQ(phys_ranges_add(&pr, 0x1000, 0x8000), STATUS_OK);
	CHECK_EQ(phys_ranges_subtract(&pr, 0x4000, 0x4000), STATUS_OK);
	CHECK_EQ(phys_ranges_add(&pr, 0x9000, 0x9000), STATUS_OK);
	EXPECT(&pr, 0x1000, 0x8000);
}

TEST(wrapping_ranges_are_invalid_and_change_nothing)
{
	struct phys_ranges pr;

	phys_ranges_init(&pr);
	CHECK_EQ(phys_ranges_add(&pr, 0x1000, 0x8000), STATUS_OK);
	CHECK_EQ(phys_ranges_add(&pr, 0x9000, 0x1000), STATUS_INVALID);
	CHECK_EQ(phys_ranges_add(&pr, UINT64_MAX, 0), STATUS_INVALID);
	CHECK_EQ(phys_ranges_subtract(&pr, 0x7000, 0x2000), STATUS_INVALID);
	/* What base + length gives when a firmware entry wraps past 2^64. */
	CHECK_EQ(phys_ranges_add(&pr, 0xfffffffffffff000ull, 0xfffffffffffff000ull + 0x2000),
		 STATUS_INVALID);
	EXPECT(&pr, 0x1000, 0x8000);
}

TEST(add_when_full_fails_unless_it_merges)
{
	struct phys_ranges pr;
	uint64_t i;

	phys_ranges_init(&pr);
	for (i = 0; i < PHYS_RANGES_MAX; i++)
		CHECK_EQ(phys_ranges_add(&pr, i * 0x10000, i * 0x10000 + 0x1000), STATUS_OK);
	CHECK_EQ(phys_ranges_count(&pr), PHYS_RANGES_MAX);
	CHECK_EQ(phys_ranges_add(&pr, i * 0x10000, i * 0x10000 + 0x1000), STATUS_FULL);
	CHECK_EQ(phys_ranges_add(&pr, 0x8000, 0x9000), STATUS_FULL);
	CHECK_EQ(phys_ranges_count(&pr), PHYS_RANGES_MAX);
	CHECK_EQ(phys_ranges_total(&pr), PHYS_RANGES_MAX * 0x1000);
	/* Growing an existing range needs no slot. */
	CHECK_EQ(phys_ranges_add(&pr, 0x1000, 0x2000), STATUS_OK);
	CHECK_EQ(phys_ranges_count(&pr), PHYS_RANGES_MAX);
	/* Bridging two ranges frees a slot, which a new range may then use. */
	CHECK_EQ(phys_ranges_add(&pr, 0x2000, 0x10000), STATUS_OK);
	CHECK_EQ(phys_ranges_count(&pr), PHYS_RANGES_MAX - 1);
	CHECK_EQ(phys_ranges_add(&pr, i * 0x10000, i * 0x10000 + 0x1000), STATUS_OK);
	CHECK_EQ(phys_ranges_count(&pr), PHYS_RANGES_MAX);
}

TEST(subtract_when_full_fails_only_if_it_must_split)
{
	struct phys_ranges pr, before;
	uint64_t i;

	phys_ranges_init(&pr);
	for (i = 0; i < PHYS_RANGES_MAX; i++)
		CHECK_EQ(phys_ranges_add(&pr, i * 0x10000, i * 0x10000 + 0x4000), STATUS_OK);
	memcpy(&before, &pr, sizeof(pr));
	CHECK_EQ(phys_ranges_subtract(&pr, 0x21000, 0x22000), STATUS_FULL);
	CHECK(memcmp(&before, &pr, sizeof(pr)) == 0);
	CHECK_EQ(phys_ranges_subtract(&pr, 0x20000, 0x21000), STATUS_OK);
	CHECK_EQ(phys_ranges_subtract(&pr, 0x33000, 0x41000), STATUS_OK);
	CHECK_EQ(phys_ranges_count(&pr), PHYS_RANGES_MAX);
	CHECK_EQ(phys_ranges_total(&pr), PHYS_RANGES_MAX * 0x4000 - 0x3000);
	CHECK_EQ(pr.r[2].start, 0x21000);
	CHECK_EQ(pr.r[3].end, 0x33000);
	CHECK_EQ(pr.r[4].start, 0x41000);
}

TEST(align_shrinks_inward_and_drops_slivers)
{
	struct phys_ranges pr;

	phys_ranges_init(&pr);
	CHECK_EQ(phys_ranges_add(&pr, 0x100, 0x800), STATUS_OK);
	CHECK_EQ(phys_ranges_add(&pr, 0x1001, 0x3fff), STATUS_OK);
	CHECK_EQ(phys_ranges_add(&pr, 0x5000, 0x7000), STATUS_OK);
	CHECK_EQ(phys_ranges_add(&pr, 0x8fff, 0xa001), STATUS_OK);
	CHECK_EQ(phys_ranges_add(&pr, 0xb800, 0xc800), STATUS_OK);
	CHECK_EQ(phys_ranges_add(&pr, UINT64_MAX - 10, UINT64_MAX), STATUS_OK);
	phys_ranges_align(&pr);
	EXPECT(&pr, 0x2000, 0x3000, 0x5000, 0x7000, 0x9000, 0xa000);
	phys_ranges_align(&pr);
	EXPECT(&pr, 0x2000, 0x3000, 0x5000, 0x7000, 0x9000, 0xa000);
}

TEST(span_and_overlaps_report_the_set)
{
	struct phys_ranges pr;
	uint64_t lo = 1, hi = 1;

	phys_ranges_init(&pr);
	CHECK(!phys_ranges_span(&pr, &lo, &hi));
	CHECK_EQ(lo, 1);
	CHECK(!phys_ranges_overlaps(&pr, 0, UINT64_MAX));
	CHECK_EQ(phys_ranges_add(&pr, 0x3000, 0x4000), STATUS_OK);
	CHECK_EQ(phys_ranges_add(&pr, 0x8000, 0x9000), STATUS_OK);
	CHECK(phys_ranges_span(&pr, &lo, &hi));
	CHECK_EQ(lo, 0x3000);
	CHECK_EQ(hi, 0x9000);
	CHECK(phys_ranges_overlaps(&pr, 0x3fff, 0x4000));
	CHECK(!phys_ranges_overlaps(&pr, 0x4000, 0x8000));
	CHECK(!phys_ranges_overlaps(&pr, 0x0, 0x3000));
	CHECK(phys_ranges_overlaps(&pr, 0x0, 0x10000));
	CHECK(!phys_ranges_overlaps(&pr, 0x3800, 0x3800));
}

TEST(boot_memory_map_minus_reservations)
{
	struct phys_ranges pr;

	phys_ranges_init(&pr);
	/* A QEMU-like map, unsorted, with an overlapping duplicate. */
	CHECK_EQ(phys_ranges_add(&pr, 0x100000, 0x7fe0000), STATUS_OK);
	CHECK_EQ(phys_ranges_add(&pr, 0x0, 0x9fc00), STATUS_OK);
	CHECK_EQ(phys_ranges_add(&pr, 0x7000000, 0x7800000), STATUS_OK);
	CHECK_EQ(phys_ranges_subtract(&pr, 0x0, 0x100000), STATUS_OK);
	CHECK_EQ(phys_ranges_subtract(&pr, 0x100000, 0x345678), STATUS_OK);
	CHECK_EQ(phys_ranges_subtract(&pr, 0x400000, 0x401234), STATUS_OK);
	CHECK_EQ(phys_ranges_subtract(&pr, 0x7fdf000, 0x7fe0000), STATUS_OK);
	phys_ranges_align(&pr);
	EXPECT(&pr, 0x346000, 0x400000, 0x402000, 0x7fdf000);
	CHECK_EQ(phys_ranges_total(&pr), (0x400000 - 0x346000) + (0x7fdf000 - 0x402000));
}

static uint64_t xorshift64(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

#define MODEL_BYTES 4096

/* Fails the running test unless pr is exactly the set of bytes marked in
 * model, as maximal ranges in address order. */
static void expect_model(const struct phys_ranges *pr, const uint8_t *model)
{
	uint64_t a = 0, total = 0;
	size_t n = 0;
	struct phys_range r;

	while (a < MODEL_BYTES) {
		uint64_t b;

		if (!model[a]) {
			a++;
			continue;
		}
		for (b = a; b < MODEL_BYTES && model[b]; b++)
			;
		CHECK(phys_ranges_get(pr, n, &r));
		CHECK_EQ(r.start, a);
		CHECK_EQ(r.end, b);
		total += b - a;
		n++;
		a = b;
	}
	CHECK_EQ(phys_ranges_count(pr), n);
	CHECK_EQ(phys_ranges_total(pr), total);
}

TEST(random_adds_and_subtracts_match_a_byte_model)
{
	static uint8_t model[MODEL_BYTES];
	struct phys_ranges pr;
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	int op, full = 0;

	phys_ranges_init(&pr);
	memset(model, 0, sizeof(model));
	for (op = 0; op < 20000; op++) {
		uint64_t r = xorshift64(&seed);
		uint64_t s = r % MODEL_BYTES, len = (r >> 16) % 16;
		uint64_t e = s + len > MODEL_BYTES ? MODEL_BYTES : s + len;
		int add = (r >> 32) % 2;
		status_t st = add ? phys_ranges_add(&pr, s, e) : phys_ranges_subtract(&pr, s, e);

		if (st == STATUS_FULL) {
			full++;
		} else {
			CHECK_EQ(st, STATUS_OK);
			memset(model + s, add, e - s);
		}
		expect_model(&pr, model);
	}
	/* Both regimes were exercised: the set filled up and failed cleanly. */
	CHECK(full > 0);
}

int main(void)
{
	RUN(add_merges_overlapping_and_adjacent);
	RUN(add_unsorted_keeps_address_order_and_bridges);
	RUN(subtract_splits_a_range_around_a_hole);
	RUN(subtract_trims_edges_and_drops_covered_ranges);
	RUN(zero_length_ranges_change_nothing);
	RUN(wrapping_ranges_are_invalid_and_change_nothing);
	RUN(add_when_full_fails_unless_it_merges);
	RUN(subtract_when_full_fails_only_if_it_must_split);
	RUN(align_shrinks_inward_and_drops_slivers);
	RUN(span_and_overlaps_report_the_set);
	RUN(boot_memory_map_minus_reservations);
	RUN(random_adds_and_subtracts_match_a_byte_model);
	return check_summary();
}
