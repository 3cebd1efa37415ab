/* map.c - placing mappings in the libsys region (see keel/map.h). */
#include "keel/map.h"

#define REGION_PAGES (KEEL_MAP_REGION_BYTES / KEEL_PAGE_SIZE)

_Static_assert(KEEL_MAP_REGION % KEEL_PAGE_SIZE == 0, "the region is page-aligned");

status_t keel_map(cap_handle_t memory, uint64_t first, uint64_t pages, uint32_t prot, void **addr)
{
	if (pages == 0)
		return STATUS_INVALID;
	if (pages > REGION_PAGES)
		return STATUS_FULL;
	for (uint64_t page = 0; page <= REGION_PAGES - pages; page++) {
		uint64_t va = KEEL_MAP_REGION + page * KEEL_PAGE_SIZE;
		status_t st = sys_memory_map(CAP_HANDLE_NONE, memory, va, first, pages, prot);
		if (st == STATUS_OK)
			*addr = (void *)(uintptr_t)va;
		if (st != STATUS_EXISTS)
			return st;
	}
	return STATUS_FULL;
}
