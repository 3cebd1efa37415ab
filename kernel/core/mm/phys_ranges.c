/*
 * phys_ranges.c - a fixed-capacity, sorted set of physical address ranges.
 *
 * The invariant after every operation: r[0..count) is sorted by start, and
 * for consecutive ranges a, b: a.start < a.end < b.start. Every operation
 * validates and checks capacity before it writes, so a failed call leaves
 * the set untouched.
 */
#include "core/mm/phys_ranges.h"

/* Removes n slots from index i on, closing the gap. */
static void remove_slots(struct phys_ranges *pr, size_t i, size_t n)
{
	size_t j;

	for (j = i; j + n < pr->count; j++)
		pr->r[j] = pr->r[j + n];
	pr->count -= n;
}

/* Opens a free slot at index i; the caller has checked the capacity. */
static void insert_slot(struct phys_ranges *pr, size_t i)
{
	size_t j;

	for (j = pr->count; j > i; j--)
		pr->r[j] = pr->r[j - 1];
	pr->count++;
}

void phys_ranges_init(struct phys_ranges *pr)
{
	pr->count = 0;
}

status_t phys_ranges_add(struct phys_ranges *pr, uint64_t start, uint64_t end)
{
	size_t i, j;

	if (end < start)
		return STATUS_INVALID;
	if (end == start)
		return STATUS_OK;
	/* r[i..j) are the ranges that overlap or touch [start, end). */
	for (i = 0; i < pr->count && pr->r[i].end < start; i++)
		;
	for (j = i; j < pr->count && pr->r[j].start <= end; j++)
		;
	if (i == j) {
		if (pr->count == PHYS_RANGES_MAX)
			return STATUS_FULL;
		insert_slot(pr, i);
		pr->r[i].start = start;
		pr->r[i].end = end;
		return STATUS_OK;
	}
	if (pr->r[i].start < start)
		start = pr->r[i].start;
	if (pr->r[j - 1].end > end)
		end = pr->r[j - 1].end;
	pr->r[i].start = start;
	pr->r[i].end = end;
	remove_slots(pr, i + 1, j - i - 1);
	return STATUS_OK;
}

status_t phys_ranges_subtract(struct phys_ranges *pr, uint64_t start, uint64_t end)
{
	size_t i, j;

	if (end < start)
		return STATUS_INVALID;
	if (end == start)
		return STATUS_OK;
	for (i = 0; i < pr->count && pr->r[i].end <= start; i++)
		;
	if (i == pr->count)
		return STATUS_OK;
	if (pr->r[i].start < start && pr->r[i].end > end) {
		/* The hole is strictly inside one range: split it in two. */
		if (pr->count == PHYS_RANGES_MAX)
			return STATUS_FULL;
		insert_slot(pr, i + 1);
		pr->r[i + 1].start = end;
		pr->r[i + 1].end = pr->r[i].end;
		pr->r[i].end = start;
		return STATUS_OK;
	}
	if (pr->r[i].start < start)
		pr->r[i++].end = start;
	/* r[i..j) lie wholly inside the hole; r[j] may lose its head. */
	for (j = i; j < pr->count && pr->r[j].end <= end; j++)
		;
	if (j < pr->count && pr->r[j].start < end)
		pr->r[j].start = end;
	remove_slots(pr, i, j - i);
	return STATUS_OK;
}

/*
 * Alignment keeps the invariant: rounding a.end down and b.start up cannot
 * make them meet, because a.end < b.start.
 */
void phys_ranges_align(struct phys_ranges *pr)
{
	const uint64_t mask = PHYS_PAGE_SIZE - 1;
	size_t i, n = 0;

	for (i = 0; i < pr->count; i++) {
		uint64_t s = pr->r[i].start, e = pr->r[i].end & ~mask;

		if (s > UINT64_MAX - mask)
			continue;
		s = (s + mask) & ~mask;
		if (s >= e)
			continue;
		pr->r[n].start = s;
		pr->r[n].end = e;
		n++;
	}
	pr->count = n;
}

size_t phys_ranges_count(const struct phys_ranges *pr)
{
	return pr->count;
}

bool phys_ranges_get(const struct phys_ranges *pr, size_t i, struct phys_range *out)
{
	if (i >= pr->count)
		return false;
	*out = pr->r[i];
	return true;
}

uint64_t phys_ranges_total(const struct phys_ranges *pr)
{
	uint64_t total = 0;
	size_t i;

	for (i = 0; i < pr->count; i++)
		total += pr->r[i].end - pr->r[i].start;
	return total;
}

bool phys_ranges_span(const struct phys_ranges *pr, uint64_t *lo, uint64_t *hi)
{
	if (pr->count == 0)
		return false;
	*lo = pr->r[0].start;
	*hi = pr->r[pr->count - 1].end;
	return true;
}

bool phys_ranges_overlaps(const struct phys_ranges *pr, uint64_t start, uint64_t end)
{
	size_t i;

	if (start >= end)
		return false;
	for (i = 0; i < pr->count; i++)
		if (pr->r[i].start < end && start < pr->r[i].end)
			return true;
	return false;
}
