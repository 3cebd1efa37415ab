/*
 * memory.c - the host's physical memory: one memfd, mapped once as the
 * kernel's direct map.
 *
 * Physical address pa is byte pa of the memfd. The first megabyte is never
 * handed out, so that physical address 0 stays "none" as on the machine
 * (task.c and vspace.c test roots against 0); the page allocator's
 * metadata follows it, and the rest is free memory for kmem. Tasks map
 * pages of the same memfd at their own addresses (vspace.c), so the
 * kernel's view and every task's view of a page alias for real.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <unistd.h>

#include "arch/host/host.h"
#include "core/mm/kmem.h"
#include "core/panic.h"

#define RESERVED_LOW (1ull << 20)

static struct page_alloc host_page_alloc;
static uint8_t *arena;
static uint64_t arena_bytes;
static int arena_fd = -1;

void *arch_phys_to_virt(uint64_t pa)
{
	return arena + pa;
}

int host_memory_fd(void)
{
	return arena_fd;
}

bool host_in_arena(uint64_t p, uint64_t n)
{
	uint64_t lo = (uint64_t)arena, hi = lo + arena_bytes;
	return p < hi && p + n > lo;
}

void host_memory_init(uint64_t bytes)
{
	bytes &= ~(PAGE_SIZE - 1);
	if (bytes < 4 * RESERVED_LOW)
		panic("host: %lu bytes of memory are too few", bytes);
	arena_fd = memfd_create("keel-physical-memory", MFD_CLOEXEC);
	if (arena_fd < 0 || ftruncate(arena_fd, (off_t)bytes) != 0)
		panic("host: cannot make the physical memory file");
	arena = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, arena_fd, 0);
	if (arena == MAP_FAILED)
		panic("host: cannot map physical memory");
	arena_bytes = bytes;

	uint64_t nframes = bytes / PAGE_SIZE;
	uint64_t meta = (page_alloc_meta_bytes(nframes) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	if (page_alloc_init(&host_page_alloc, arena + RESERVED_LOW, meta, 0, nframes) ||
	    page_alloc_add_free(&host_page_alloc, RESERVED_LOW + meta, bytes))
		panic("host: cannot set up the page allocator over %lu bytes", bytes);
	kmem_init(&host_page_alloc);
}
