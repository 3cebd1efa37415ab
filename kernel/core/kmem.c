/* kmem.c - the kernel's page allocator instance (see kmem.h). */
#include "core/kmem.h"
#include "core/panic.h"
#include "core/string.h"

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
