/* memory.c - memory and MMIO objects (see memory.h). */
#include <stddef.h>

#include "core/list.h"
#include "core/mm/kmem.h"
#include "core/object/memory.h"
#include "core/panic.h"
#include "core/mm/pool.h"
#include "core/spinlock.h"

#define FOUR_GIB 0x100000000ull

static struct pool memory_pool;

void memory_objects_init(void)
{
	kmem_pool_setup(&memory_pool, "memory", sizeof(struct memory), MEMORY_OBJECTS_MAX);
}

uint32_t memory_count(void)
{
	struct pool_stats s;
	pool_stats(&memory_pool, &s);
	return (uint32_t)s.in_use;
}

/* Every CPU has flushed since the last mapping went: free the frames,
 * and give back the promise of those never touched. */
static void release(struct reclaim_node *n)
{
	struct memory *m = container_of(n, struct memory, reclaim);
	if (m->kind == MEM_PAGES) {
		uint64_t untouched = 0;
		for (uint64_t i = 0; i < m->npages; i++) {
			if (m->frames[i])
				kmem_free(m->frames[i], 0);
			else
				untouched++;
		}
		kmem_unreserve(untouched);
		kmem_free((uint64_t)m->frames - (uint64_t)arch_phys_to_virt(0), m->frames_order);
	} else if (m->kind == MEM_CONTIG) {
		kmem_free(m->base, m->order);
	}
	pool_free(&memory_pool, m);
}

static void memory_destroy(struct kobj *o)
{
	struct memory *m = container_of(o, struct memory, obj);
	reclaim_defer(&m->reclaim, release);
}

static const struct kobj_ops memory_ops = { .destroy = memory_destroy };

/* A zeroed record of the given kind, charged one object and pages pages. */
static status_t record(struct quota *q, enum obj_type type, uint64_t pages, uint64_t charged,
		       struct memory **out)
{
	struct memory *m;
	status_t st = pool_alloc(&memory_pool, (void **)&m);
	if (st)
		return st;
	st = kobj_init(&m->obj, type, &memory_ops, q, charged);
	if (st) {
		pool_free(&memory_pool, m);
		return st;
	}
	m->npages = pages;
	*out = m;
	return STATUS_OK;
}

/* Gives m its frame list. With demand zero (ARCH_DEMAND_ZERO) the list
 * starts empty and the frames are only promised (kmem_reserve); else
 * every frame is taken now. On failure frees what it took. */
static status_t alloc_frames(struct memory *m)
{
	uint64_t array_pa;
	m->frames_order = kmem_order(m->npages * 8);
	if (kmem_alloc(m->frames_order, &array_pa))
		return STATUS_NO_MEMORY;
	m->frames = arch_phys_to_virt(array_pa);
	if (ARCH_DEMAND_ZERO) {
		if (kmem_reserve(m->npages) == STATUS_OK)
			return STATUS_OK;
		kmem_free(array_pa, m->frames_order);
		return STATUS_NO_MEMORY;
	}
	for (uint64_t i = 0; i < m->npages; i++) {
		if (kmem_alloc(0, &m->frames[i]) == STATUS_OK)
			continue;
		while (i--)
			kmem_free(m->frames[i], 0);
		kmem_free(array_pa, m->frames_order);
		return STATUS_NO_MEMORY;
	}
	return STATUS_OK;
}

static status_t alloc_contig(struct memory *m)
{
	m->order = kmem_order(m->npages * PAGE_SIZE);
	if (m->order > PAGE_ALLOC_MAX_ORDER || kmem_alloc(m->order, &m->base))
		return STATUS_NO_MEMORY;
	if (m->base + (PAGE_SIZE << m->order) > FOUR_GIB) {
		kmem_free(m->base, m->order);
		return STATUS_NO_MEMORY;
	}
	return STATUS_OK;
}

status_t memory_create(struct quota *q, uint64_t pages, bool contig, struct memory **out)
{
	struct memory *m;
	if (pages == 0 || pages > MEMORY_MAX_PAGES)
		return STATUS_INVALID;
	status_t st = record(q, OBJ_MEMORY, pages, pages, &m);
	if (st)
		return st;
	m->kind = contig ? MEM_CONTIG : MEM_PAGES;
	st = contig ? alloc_contig(m) : alloc_frames(m);
	if (st) {
		/* Nothing to free but the record: make the destroy a no-op. */
		m->kind = MEM_BORROWED;
		kobj_put(&m->obj);
		return st;
	}
	*out = m;
	return STATUS_OK;
}

status_t memory_create_borrowed(uint64_t base, uint64_t pages, struct memory **out)
{
	status_t st = record(NULL, OBJ_MEMORY, pages, 0, out);
	if (st == STATUS_OK) {
		(*out)->kind = MEM_BORROWED;
		(*out)->base = base;
	}
	return st;
}

status_t memory_create_device(struct quota *q, uint64_t base, uint64_t pages, struct memory **out)
{
	status_t st = record(q, OBJ_MMIO, pages, 0, out);
	if (st == STATUS_OK) {
		(*out)->kind = MEM_DEVICE;
		(*out)->base = base;
	}
	return st;
}

uint64_t memory_page(const struct memory *m, uint64_t i)
{
	if (m->kind == MEM_PAGES)
		return __atomic_load_n(&m->frames[i], __ATOMIC_ACQUIRE);
	return m->base + i * PAGE_SIZE;
}

/* Serialises first touches of the same page from CPUs that each hold only
 * their own lock (memory_page_fill); every-lock holders exclude them all. */
static struct spinlock fill_lock = { .owner_cpu = -1 };

uint64_t memory_page_fill(struct memory *m, uint64_t i)
{
	uint64_t pa = memory_page(m, i);
	if (pa || m->kind != MEM_PAGES)
		return pa;
	spin_lock(&fill_lock);
	pa = m->frames[i];
	if (!pa) {
		pa = kmem_take_reserved();
		__atomic_store_n(&m->frames[i], pa, __ATOMIC_RELEASE);
	}
	spin_unlock(&fill_lock);
	return pa;
}
