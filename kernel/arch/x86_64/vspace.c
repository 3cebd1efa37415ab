/* vspace.c - x86-64 user address spaces (see core/mm/vspace.h). */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/memory.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/percpu.h"
#include "core/inline.h"
#include "core/mm/kmem.h"
#include <string.h>
#include "core/mm/vspace.h"

uint64_t vspace_next_gen(void)
{
	static uint64_t gens; /* every lock held: no two callers at once */
	return ++gens;
}

status_t vspace_create(struct vspace *vs)
{
	uint64_t root;
	if (kmem_alloc(0, &root))
		return STATUS_NO_MEMORY;
	uint64_t *dst = phys_to_virt(root), *src = phys_to_virt(memory_kernel_root());
	for (int i = 256; i < 512; i++)
		dst[i] = src[i];
	vs->root = root;
	vs->table_pages = 1;
	vs->gen = vspace_next_gen();
	vs->leaf = NULL;
	return STATUS_OK;
}

/* Frees the table at pa of the given level (3 = PML4) and the tables below it. */
static void free_tables(uint64_t pa, int level, int limit)
{
	uint64_t *t = phys_to_virt(pa);
	for (int i = 0; level > 0 && i < limit; i++)
		if ((t[i] & PTE_P) && !(t[i] & PTE_PS))
			free_tables(t[i] & PTE_ADDR, level - 1, 512);
	kmem_free(pa, 0);
}

void vspace_destroy(struct vspace *vs)
{
	/* Only the user half (the first 256 PML4 entries) belongs to vs. */
	free_tables(vs->root, 3, 256);
	vs->root = 0;
	vs->table_pages = 0;
	vs->leaf = NULL;
}

static bool user_page(uint64_t va)
{
	return (va & 0xfff) == 0 && va >= USER_BASE && va < USER_TOP;
}

/* The leaf entry for user page va, making its tables: at most *budget
 * of them, which it counts down (vs->table_pages counts them too). */
static status_t leaf_entry(struct vspace *vs, uint64_t va, uint64_t *budget, uint64_t **out)
{
	uint64_t *e;
	if (vs->leaf && (va & ~(PAGE_2M - 1)) == vs->leaf_va) {
		*out = &vs->leaf[va >> 12 & 511];
		return STATUS_OK;
	}
	uint64_t need = pt_missing(vs->root, va);
	if (need > *budget)
		return STATUS_QUOTA;
	uint64_t before = kmem_free_pages();
	e = pt_entry(vs->root, va);
	uint64_t made = before - kmem_free_pages();
	vs->table_pages += made;
	*budget -= made;
	if (!e)
		return STATUS_NO_MEMORY;
	vs->leaf_va = va & ~(PAGE_2M - 1);
	vs->leaf = e - (va >> 12 & 511);
	*out = e;
	return STATUS_OK;
}

status_t vspace_map_run(struct vspace *vs, uint64_t va, uint64_t pages, const uint64_t *frames,
			uint64_t base, uint32_t prot, uint64_t table_budget, uint64_t *done)
{
	*done = 0;
	if (!user_page(va) || pages > (USER_TOP - va) / PAGE_SIZE)
		return STATUS_BAD_ADDRESS;
	if ((prot & VM_WRITE) && (prot & VM_EXEC))
		return STATUS_INVALID;
	uint64_t flags = PTE_U;
	if (prot & VM_WRITE)
		flags |= PTE_W;
	if (!(prot & VM_EXEC))
		flags |= PTE_NX;
	/* A page not made yet is never a device's (only MEM_PAGES is lazy). */
	uint64_t lazy = flags | PTE_LAZY;
	if (prot & VM_DEVICE)
		flags |= PTE_PCD | PTE_PWT | PTE_DEVICE;
	flags |= PTE_P;
	for (uint64_t i = 0; i < pages;) {
		uint64_t at = va + i * PAGE_SIZE, *e;
		status_t st = leaf_entry(vs, at, &table_budget, &e);
		if (st)
			return st;
		/* The rest of this leaf table, at most; every slot free first,
		 * so that a refusal writes nothing in it. */
		uint64_t n = 512 - (at >> 12 & 511);
		if (n > pages - i)
			n = pages - i;
		for (uint64_t k = 0; k < n; k++)
			if (e[k])
				return STATUS_EXISTS; /* a page, made or not */
		if (frames) {
			for (uint64_t k = 0; k < n; k++)
				e[k] = frames[i + k] ? (frames[i + k] & PTE_ADDR) | flags : lazy;
		} else {
			uint64_t entry = ((base + i * PAGE_SIZE) & PTE_ADDR) | flags;
			for (uint64_t k = 0; k < n; k++, entry += PAGE_SIZE)
				e[k] = entry;
		}
		i += n;
		*done = i;
	}
	return STATUS_OK;
}

void vspace_unmap(struct vspace *vs, uint64_t va, uint64_t pages)
{
	for (uint64_t i = 0; i < pages;) {
		uint64_t at = va + i * PAGE_SIZE;
		uint64_t n = 512 - (at >> 12 & 511); /* the rest of this leaf table */
		if (n > pages - i)
			n = pages - i;
		uint64_t *e = pt_find(vs->root, at);
		for (uint64_t k = 0; e && k < n; k++) {
			/* A page never made has no translation to flush. */
			if (e[k] & PTE_P)
				tlb_flush_page(at + k * PAGE_SIZE);
			e[k] = 0;
		}
		i += n;
	}
	vs->gen = vspace_next_gen(); /* every thread's cached translation goes */
}

/*
 * The entry of user page va, made present first if vspace_map_run mapped
 * it not made yet (the core names the frame: vspace_fill_page). 0 when
 * nothing is mapped there. The caller holds at least its CPU's lock;
 * another CPU holding its own may fill the same entry at once, with the
 * same frame (memory_page_fill), so whichever store lands first stands.
 */
static uint64_t entry_made(struct vspace *vs, uint64_t va)
{
	uint64_t *slot = pt_find(vs->root, va);
	if (!slot)
		return 0;
	uint64_t old = __atomic_load_n(slot, __ATOMIC_RELAXED);
	if (old & PTE_P)
		return old;
	if (!(old & PTE_LAZY))
		return 0;
	uint64_t pa = vspace_fill_page(vs, va & ~0xfffull);
	if (!pa)
		return 0;
	uint64_t made = (old & ~PTE_LAZY) | (pa & PTE_ADDR) | PTE_P;
	if (!__atomic_compare_exchange_n(slot, &old, made, false, __ATOMIC_RELEASE,
					 __ATOMIC_RELAXED))
		return old; /* another CPU made it: the same frame */
	return made;
}

bool vspace_fault_in(struct vspace *vs, uint64_t va)
{
	if (va < USER_BASE || va >= USER_TOP)
		return false;
	return entry_made(vs, va & ~0xfffull) & PTE_P;
}

/* Returns the kernel address of user byte va if mapped with the rights
 * wanted (PTE_U, plus PTE_W for writes), else NULL. */
static void *user_byte(struct vspace *vs, uint64_t va, bool write)
{
	if (va < USER_BASE || va >= USER_TOP)
		return NULL;
	uint64_t e = entry_made(vs, va & ~0xfffull);
	if (!(e & PTE_P) || !(e & PTE_U) || (write && !(e & PTE_W)) || (e & (PTE_PS | PTE_DEVICE)))
		return NULL;
	return phys_to_virt((e & PTE_ADDR) + (va & 0xfff));
}

#define COPY_MAX_PAGES 8

/* Copies n bytes page by page; to_user selects the direction. Every page
 * is looked up once, and all of them before anything is copied, so a
 * failed copy changes nothing. Longer copies go in runs of COPY_MAX_PAGES. */
/* Copies across pages: walks up to COPY_MAX_PAGES at a time, then copies. */
static status_t copy_pages(struct vspace *vs, uint64_t uva, char *k, size_t n, bool to_user)
{
	void *pages[COPY_MAX_PAGES];
	while (n) {
		size_t run = 0, np = 0;
		for (uint64_t va = uva; np < COPY_MAX_PAGES && run < n; np++) {
			if (!(pages[np] = user_byte(vs, va, to_user)))
				return STATUS_BAD_ADDRESS;
			size_t chunk = 4096 - (va & 0xfff);
			run += chunk;
			va += chunk;
		}
		if (run > n)
			run = n;
		for (size_t i = 0, done = 0; done < run; i++) {
			size_t chunk = 4096 - ((uva + done) & 0xfff);
			if (chunk > run - done)
				chunk = run - done;
			if (to_user)
				memcpy(pages[i], k + done, chunk);
			else
				memcpy(k + done, pages[i], chunk);
			done += chunk;
		}
		uva += run;
		k += run;
		n -= run;
	}
	return STATUS_OK;
}

/* The kernel address of user byte uva for a copy that stays in its page,
 * through the one-page cache; NULL if it is not mapped (writable). */
static inline void *cached_user(struct vspace *vs, uint64_t uva, bool to_user)
{
	struct vspace_cache *c = &thread_current()->ucache;
	uint64_t page = uva & ~0xfffull;
	if (page != c->va || c->gen != vs->gen) {
		if (page < USER_BASE)
			return NULL; /* also keeps the empty cache (0) unmatched */
		uint64_t e = entry_made(vs, page);
		if ((e & (PTE_P | PTE_U | PTE_PS | PTE_DEVICE)) != (PTE_P | PTE_U))
			return NULL;
		*c = (struct vspace_cache){ .gen = vs->gen,
					    .va = page,
					    .page = phys_to_virt(e & PTE_ADDR),
					    .writable = e & PTE_W };
	}
	if (to_user && !c->writable)
		return NULL;
	return (char *)c->page + (uva & 0xfff);
}

static inline status_t copy_user(struct vspace *vs, uint64_t uva, void *kbuf, size_t n,
				 bool to_user)
{
	if (uva + n < uva || uva + n > USER_TOP)
		return STATUS_BAD_ADDRESS;
	if (n && (uva & 0xfff) + n <= 4096) {
		/* Within one page, as messages almost always are: one walk, or
		 * none when it is the page the last copy used. */
		void *u = cached_user(vs, uva, to_user);
		if (!u)
			return STATUS_BAD_ADDRESS;
		if (to_user)
			memcpy(u, kbuf, n);
		else
			memcpy(kbuf, u, n);
		return STATUS_OK;
	}
	return copy_pages(vs, uva, kbuf, n, to_user);
}

status_t copy_from_user_walk(struct vspace *vs, void *dst, uint64_t src, size_t n)
{
	return copy_user(vs, src, dst, n, false);
}

status_t copy_to_user_walk(struct vspace *vs, uint64_t dst, const void *src, size_t n)
{
	return copy_user(vs, dst, (void *)src, n, true);
}

/* The root a CPU loaded last is kept beside it (struct cpu): comparing
 * with it is cheaper than reading CR3 back at every switch. Zero until
 * the first switch, which loads its root whatever CR3 held at boot. */
LTO_INLINE void vspace_activate(struct vspace *vs)
{
	struct cpu *c = this_cpu();
	uint64_t root = vs ? vs->root : memory_kernel_root();
	if (c->root != root) {
		write_cr3(root);
		c->root = root;
	}
}
