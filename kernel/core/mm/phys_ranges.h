/*
 * phys_ranges.h - a fixed-capacity set of physical address ranges.
 *
 * Boot code adds the firmware's usable ranges, subtracts everything that is
 * in use (kernel image, boot modules, ACPI tables, the first 1 MiB), aligns
 * what is left inward to pages and hands it to the page allocator.
 *
 * Ranges are half-open [start, end). The set is kept sorted, disjoint and
 * non-adjacent (touching ranges are merged), so iteration is in address
 * order and each range is maximal. No memory is allocated: the storage is
 * the struct itself.
 */
#ifndef KEEL_CORE_PHYS_RANGES_H
#define KEEL_CORE_PHYS_RANGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/status.h"

#define PHYS_RANGES_MAX 128
#define PHYS_PAGE_SIZE 4096u

struct phys_range {
	uint64_t start;
	uint64_t end;
};

struct phys_ranges {
	size_t count;
	struct phys_range r[PHYS_RANGES_MAX];
};

/* Makes pr the empty set. */
void phys_ranges_init(struct phys_ranges *pr);

/* Adds [start, end), merging with overlapping and adjacent ranges. An empty
 * range is a no-op. Returns STATUS_INVALID if end < start, STATUS_FULL if a
 * new range is needed and the set is full; on error pr is unchanged. */
status_t phys_ranges_add(struct phys_ranges *pr, uint64_t start, uint64_t end);

/* Removes [start, end) from every range, splitting one if needed. An empty
 * range is a no-op. Returns STATUS_INVALID if end < start, STATUS_FULL if a
 * split needs a slot and the set is full; on error pr is unchanged. */
status_t phys_ranges_subtract(struct phys_ranges *pr, uint64_t start, uint64_t end);

/* Shrinks every range inward to PHYS_PAGE_SIZE boundaries and drops those
 * that hold no whole page. */
void phys_ranges_align(struct phys_ranges *pr);

/* Returns the number of ranges in the set. */
size_t phys_ranges_count(const struct phys_ranges *pr);

/* Copies the i-th range (in address order) to *out. Returns false, leaving
 * *out untouched, if i >= phys_ranges_count(pr). */
bool phys_ranges_get(const struct phys_ranges *pr, size_t i, struct phys_range *out);

/* Returns the sum of the lengths of all ranges, in bytes. */
uint64_t phys_ranges_total(const struct phys_ranges *pr);

/* Stores the lowest start and the highest end of the set in *lo and *hi, the
 * span a page allocator must cover. Returns false if the set is empty. */
bool phys_ranges_span(const struct phys_ranges *pr, uint64_t *lo, uint64_t *hi);

/* Returns true if any byte of [start, end) is in the set; false for an
 * empty or wrapping range. */
bool phys_ranges_overlaps(const struct phys_ranges *pr, uint64_t start, uint64_t end);

#endif
