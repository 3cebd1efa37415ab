/* kmem.c - the kernel's page allocator instance (see kmem.h). */
#include "core/mm/kmem.h"
#include "core/klock.h"
#include "core/list.h"
#include "core/panic.h"
#include "core/mm/pool.h"
#include "core/mm/reclaim.h"
#include <string.h>

static struct page_alloc *kernel_pages;

/* Frames promised to memory objects and not yet taken (kmem_reserve).
 * Changed by every-lock holders, and by kmem_take_reserved under
 * reserve_lock: the two never run at once, since a CPU that takes a
 * reserved frame holds its own lock, one of every lock. */
static uint64_t reserved;
static struct spinlock reserve_lock = { .owner_cpu = -1 };

void kmem_init(struct page_alloc *pa)
{
	kernel_pages = pa;
}

/* A block of 2^order frames, if that leaves every reserved frame free. */
static status_t take_unreserved(unsigned order, uint64_t *pa)
{
	if (kernel_pages->free_frames < reserved + (1ull << order))
		return STATUS_NO_MEMORY;
	return page_alloc_alloc(kernel_pages, order, pa);
}

status_t kmem_alloc_uninit(unsigned order, uint64_t *pa)
{
	return take_unreserved(order, pa);
}

status_t kmem_alloc(unsigned order, uint64_t *pa)
{
	status_t st = kmem_alloc_uninit(order, pa);
	if (st == STATUS_OK)
		memset(arch_phys_to_virt(*pa), 0, PAGE_SIZE << order);
	return st;
}

status_t kmem_reserve(uint64_t pages)
{
	if (kernel_pages->free_frames - reserved < pages)
		return STATUS_NO_MEMORY;
	reserved += pages;
	return STATUS_OK;
}

void kmem_unreserve(uint64_t pages)
{
	KASSERT(pages <= reserved);
	reserved -= pages;
}

uint64_t kmem_take_reserved(void)
{
	uint64_t pa;
	spin_lock(&reserve_lock);
	/* Free frames never drop below the reserved count (take_unreserved),
	 * so a single frame is always there. The promise goes first: a CPU
	 * reading kmem_free_pages meanwhile (statistics, under its own lock)
	 * sees one page too many for a moment, never a negative count. */
	if (!reserved)
		panic("kmem: a promised frame taken with none promised");
	reserved--;
	if (page_alloc_alloc(kernel_pages, 0, &pa))
		panic("kmem: no frame for a promise (%lu more promised)", reserved);
	spin_unlock(&reserve_lock);
	memset(arch_phys_to_virt(pa), 0, PAGE_SIZE);
	return pa;
}

void kmem_free(uint64_t pa, unsigned order)
{
	status_t st = page_alloc_free(kernel_pages, pa, order);
	if (st)
		panic("kmem_free(%#lx, order %u): %s", pa, order, status_message(st));
}

status_t kmem_alloc_run_uninit(uint64_t pages, uint64_t *pa)
{
	unsigned order = kmem_order(pages * PAGE_SIZE);
	status_t st = kmem_alloc_uninit(order, pa);
	if (st)
		return st;
	if (page_alloc_trim(kernel_pages, *pa, order, pages))
		panic("kmem: cannot trim a fresh block of order %u to %lu pages", order, pages);
	return STATUS_OK;
}

/* The trimmed run is blocks of the powers of two in pages, largest first
 * (page_alloc_trim). */
void kmem_free_run(uint64_t pa, uint64_t pages)
{
	for (int k = PAGE_ALLOC_MAX_ORDER; k >= 0; k--)
		if (pages & (1ull << k)) {
			kmem_free(pa, (unsigned)k);
			pa += PAGE_SIZE << k;
		}
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

/* A pool's limit: it may grow to 1/POOL_SHARE of the managed memory (its
 * slabs at the limit and its bookkeeping), and to at least
 * POOL_MIN_OBJECTS objects (or its full capacity, if smaller). At 1/16 a
 * machine of 64 MiB or more has every pool at full capacity. Nothing is
 * reserved: a pool holds only the slabs its objects need (see pool.h). */
#define POOL_SHARE 16
#define POOL_MIN_OBJECTS 32
#define KMEM_POOLS 8

/* The pools kmem feeds, each with its node on the reclamation queue. */
static struct kmem_pool {
	struct pool *pool;
	struct reclaim_node node;
	bool queued;   /* node is on the reclamation queue */
	uint32_t meta; /* pages of bookkeeping */
} pools[KMEM_POOLS];
static unsigned npools;

/* The direct map is linear on every arch. */
static uint64_t direct_to_phys(const void *va)
{
	return (uintptr_t)va - (uintptr_t)arch_phys_to_virt(0);
}

static struct kmem_pool *kmem_pool_of(const struct pool *p)
{
	for (unsigned i = 0; i < npools; i++)
		if (pools[i].pool == p)
			return &pools[i];
	panic("kmem: pool %s is not one of kmem's", p->name);
}

/* Pool operations run under the kernel lock (or at boot, on one CPU);
 * these callbacks run inside them. A slab is not zeroed: the pool zeroes
 * an object when it hands it out. */
static void *slab_take(struct pool *p, unsigned order)
{
	(void)p;
	uint64_t pa;
	if (take_unreserved(order, &pa))
		return NULL;
	return arch_phys_to_virt(pa);
}

static void slab_give(struct pool *p, void *mem, unsigned order)
{
	(void)p;
	kmem_free(direct_to_phys(mem), order);
}

/* Another CPU may still read an object of the emptied slab until it has
 * passed its next scheduling pass: the slab waits for the TLB epoch, as
 * freed stacks and address spaces do (core/mm/reclaim.h). */
static void slabs_release(struct reclaim_node *n)
{
	struct kmem_pool *kp = container_of(n, struct kmem_pool, node);
	kp->queued = false;
	if (pool_reclaim(kp->pool, arch_tlb_epoch_safe())) {
		kp->queued = true;
		reclaim_defer(&kp->node, slabs_release);
	}
}

static uint64_t slab_retire(struct pool *p)
{
	KASSERT(klock_held());
	struct kmem_pool *kp = kmem_pool_of(p);
	uint64_t stamp = arch_tlb_epoch_bump();
	if (!kp->queued) {
		kp->queued = true;
		reclaim_defer(&kp->node, slabs_release); /* stamped after the slab */
	}
	return stamp;
}

static const struct pool_pages kmem_slabs = {
	.take = slab_take,
	.give = slab_give,
	.retire = slab_retire,
};

/* Pages of pool_meta_bytes(obj_size, capacity) plus every slab at the limit. */
static uint64_t pool_pages_at_limit(size_t obj_size, uint32_t capacity)
{
	size_t meta = pool_meta_bytes(obj_size, capacity);
	uint64_t stride = (obj_size + POOL_ALIGN - 1) & ~(uint64_t)(POOL_ALIGN - 1);
	return (meta + PAGE_SIZE - 1) / PAGE_SIZE + (capacity * stride + PAGE_SIZE - 1) / PAGE_SIZE;
}

void kmem_pool_setup(struct pool *p, const char *name, size_t obj_size, uint32_t capacity)
{
	uint64_t budget = kmem_total_pages() / POOL_SHARE;
	while (capacity > POOL_MIN_OBJECTS && pool_pages_at_limit(obj_size, capacity) > budget)
		capacity /= 2; /* a small machine gets smaller limits */
	size_t bytes = pool_meta_bytes(obj_size, capacity);
	uint64_t pages = (bytes + PAGE_SIZE - 1) / PAGE_SIZE;
	unsigned order = kmem_order(bytes);
	uint64_t pa;
	/* The bookkeeping: not zeroed (pool_init sets what it reads), and
	 * trimmed to the pages it needs: it is never freed, and a power of
	 * two would waste up to half of it. */
	if (npools == KMEM_POOLS || page_alloc_alloc(kernel_pages, order, &pa) ||
	    page_alloc_trim(kernel_pages, pa, order, pages) ||
	    pool_init(p, name, &kmem_slabs, arch_phys_to_virt(pa), bytes, obj_size, capacity))
		panic("kmem: no room for the %s pool (%zu bytes)", name, bytes);
	pools[npools++] = (struct kmem_pool){ .pool = p, .meta = (uint32_t)pages };
}

uint64_t kmem_pool_pages(void)
{
	uint64_t n = 0;
	for (unsigned i = 0; i < npools; i++)
		n += pools[i].meta + pools[i].pool->pages_held;
	return n;
}

/* Read from the allocator's record, not through page_alloc_stats: every
 * page a task maps asks (vspace_map counts the page-table pages it took). */
uint64_t kmem_free_pages(void)
{
	return kernel_pages->free_frames - reserved;
}

uint64_t kmem_total_pages(void)
{
	return kernel_pages->total_frames;
}

bool kmem_check(void)
{
	return page_alloc_check(kernel_pages);
}
