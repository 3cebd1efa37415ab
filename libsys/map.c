/* map.c - placing mappings in the libsys region (see keel/map.h). */
#include "keel/map.h"

#define REGION_PAGES (KEEL_MAP_REGION_BYTES / KEEL_PAGE_SIZE)

_Static_assert(KEEL_MAP_REGION % KEEL_PAGE_SIZE == 0, "the region is page-aligned");

/* The page of the region where the next search starts: one past the last
 * mapping keel_map placed, or lower where keel_unmap freed. A hint only,
 * shared by the task's threads (and, under the host port, by every task):
 * a stale value costs refusals, never a wrong answer, since the kernel's
 * page tables decide. */
static uint64_t next_page;

/* Tries [from, to) one page at a time; STATUS_EXISTS when none fits. */
static status_t probe(cap_handle_t memory, uint64_t first, uint64_t pages, uint32_t prot,
		      uint64_t from, uint64_t to, void **addr)
{
	for (uint64_t page = from; page < to; page++) {
		uint64_t va = KEEL_MAP_REGION + page * KEEL_PAGE_SIZE;
		status_t st = sys_memory_map(CAP_HANDLE_NONE, memory, va, first, pages, prot);
		if (st == STATUS_OK) {
			*addr = (void *)(uintptr_t)va;
			__atomic_store_n(&next_page, page + pages, __ATOMIC_RELAXED);
		}
		if (st != STATUS_EXISTS)
			return st;
	}
	return STATUS_EXISTS;
}

status_t keel_map(cap_handle_t memory, uint64_t first, uint64_t pages, uint32_t prot, void **addr)
{
	if (pages == 0)
		return STATUS_INVALID;
	if (pages > REGION_PAGES)
		return STATUS_FULL;
	uint64_t last = REGION_PAGES - pages; /* the highest page a mapping may start at */
	uint64_t from = __atomic_load_n(&next_page, __ATOMIC_RELAXED);
	if (from > last)
		from = 0;
	status_t st = probe(memory, first, pages, prot, from, last + 1, addr);
	if (st == STATUS_EXISTS && from)
		st = probe(memory, first, pages, prot, 0, from, addr);
	return st == STATUS_EXISTS ? STATUS_FULL : st;
}

status_t keel_unmap(void *addr, uint64_t pages)
{
	uint64_t va = (uint64_t)(uintptr_t)addr;
	status_t st = sys_memory_unmap(CAP_HANDLE_NONE, va, pages);
	if (st == STATUS_OK && va >= KEEL_MAP_REGION &&
	    va < KEEL_MAP_REGION + KEEL_MAP_REGION_BYTES) {
		uint64_t page = (va - KEEL_MAP_REGION) / KEEL_PAGE_SIZE;
		if (page < __atomic_load_n(&next_page, __ATOMIC_RELAXED))
			__atomic_store_n(&next_page, page, __ATOMIC_RELAXED);
	}
	return st;
}
