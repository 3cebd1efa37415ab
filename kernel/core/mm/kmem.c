/* kmem.c - the kernel's page allocator instance (see kmem.h). */
#include "core/mm/kmem.h"
#include "core/panic.h"
#include "core/mm/pool.h"
#include <string.h>

static struct page_alloc *kernel_pages;

void kmem_init(struct page_alloc *pa)
{
	kernel_pages = pa;
}

status_t kmem_alloc(unsigned order, uint64_t *pa)
{
	status_t st = page_alloc_alloc(kernel_pages, order, pa);
	if (st == STATUS_OK)
		memset(arch_phys_to_virt(*pa), 0, PAGE_SIZE << order);
	return st;
}

void kmem_free(uint64_t pa, unsigned order)
{
	status_t st = page_alloc_free(kernel_pages, pa, order);
	if (st)
		panic("kmem_free(%#lx, order %u): %s", pa, order, status_message(st));
}

unsigned kmem_order(size_t bytes)
{
	unsigned order = 0;
	while ((PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

/* A write through a stale pointer has hit a freed object: stop before the
 * corruption reaches the object's next owner. */
void pool_poison_failed(const struct pool *p, uint32_t idx, size_t offset, uint64_t found)
{
	panic("pool %s: object %u was written after it was freed (byte %zu holds %#lx)", p->name,
	      idx, offset, found);
}

/* A pool takes at most 1/POOL_SHARE of the managed memory, and has at
 * least POOL_MIN_OBJECTS objects (or its full capacity, if smaller). At
 * 1/32 a machine of 128 MiB or more has every pool at full capacity; a
 * 16 MiB one has 5 pools in about 1 MiB. */
#define POOL_SHARE 32
#define POOL_MIN_OBJECTS 32

void kmem_pool_setup(struct pool *p, const char *name, size_t obj_size, uint32_t capacity)
{
	uint64_t budget = kmem_total_pages() * PAGE_SIZE / POOL_SHARE;
	while (capacity > POOL_MIN_OBJECTS && pool_bytes_needed(obj_size, capacity) > budget)
		capacity /= 2; /* a small machine gets smaller pools */
	size_t bytes = pool_bytes_needed(obj_size, capacity);
	unsigned order = kmem_order(bytes);
	uint64_t pa;
	/* Not zeroed: the pool touches an object only when it hands it out.
	 * The block is trimmed to the pages the pool needs: a pool is never
	 * freed, and a power of two would waste up to half of it. */
	if (page_alloc_alloc(kernel_pages, order, &pa) ||
	    page_alloc_trim(kernel_pages, pa, order, (bytes + PAGE_SIZE - 1) / PAGE_SIZE) ||
	    pool_init(p, name, arch_phys_to_virt(pa), bytes, obj_size, capacity))
		panic("kmem: no room for the %s pool (%zu bytes)", name, bytes);
}

uint64_t kmem_free_pages(void)
{
	struct page_alloc_stats s;
	page_alloc_stats(kernel_pages, &s);
	return s.free_frames;
}

uint64_t kmem_total_pages(void)
{
	struct page_alloc_stats s;
	page_alloc_stats(kernel_pages, &s);
	return s.total_frames;
}

bool kmem_check(void)
{
	return page_alloc_check(kernel_pages);
}
