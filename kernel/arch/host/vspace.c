/*
 * vspace.c - user address spaces on the host (see core/mm/vspace.h).
 *
 * Every task lives in the one address space of the test process, so a
 * user address is a process address. Each vspace keeps a software page
 * table - four levels of 512 entries in kmem pages, as on x86-64, so the
 * page-table quota is charged the same - and every mapped page is also
 * mmap'ed from the physical-memory memfd at its address, so a task's
 * loads and stores reach the very frame the kernel and other tasks see.
 *
 * One address can hold one page for the whole process: two tasks may map
 * the same frame with the same protection at the same address (the host
 * mapping is shared and counted), but a different frame or protection
 * there, or an address the process already uses for itself, is
 * STATUS_EXISTS. A frame outside the host's memory (a device range) cannot
 * be mapped: STATUS_BAD_ADDRESS.
 *
 * copy_from_user and copy_to_user accept a page mapped in the task's own
 * table (with write permission for writes), copying through the direct
 * map as the machine does. A page no task mapped is process memory the
 * task's code lives in - its pthread stack, its globals - and is copied
 * with process_vm_readv/writev, so a bad pointer is STATUS_BAD_ADDRESS and
 * never a crash. Kernel memory (the arena) and pages mapped only by other
 * tasks are always STATUS_BAD_ADDRESS.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include "arch/host/host.h"
#include "core/mm/kmem.h"
#include "core/panic.h"
#include <string.h>
#include "core/mm/vspace.h"

#define PT_P (1ull << 0)
#define PT_W (1ull << 1)
#define PT_X (1ull << 2)
#define PT_ADDR 0x000ffffffffff000ull
#define HOST_MAPS 65536u /* pages mapped at once, all tasks together */

/* A page of the process mapped from the memfd, shared by refs vspaces. */
struct host_map {
	uint64_t va; /* 0: the entry is free */
	uint64_t pa;
	uint32_t prot;
	uint32_t refs;
};

static struct host_map *host_maps;

/* --- the process-wide table of mapped pages (open addressing) --- */

static uint32_t map_hash(uint64_t va)
{
	return (uint32_t)((va >> 12) * 0x9e3779b97f4a7c15ull >> 48) & (HOST_MAPS - 1);
}

/* The entry of va, or the free entry where it would go; NULL if full. */
static struct host_map *map_find(uint64_t va)
{
	if (!host_maps && !(host_maps = calloc(HOST_MAPS, sizeof *host_maps)))
		panic("host: no memory for the mapping table");
	uint32_t i = map_hash(va);
	for (uint32_t n = 0; n < HOST_MAPS; n++, i = (i + 1) & (HOST_MAPS - 1))
		if (host_maps[i].va == va || host_maps[i].va == 0)
			return &host_maps[i];
	return NULL;
}

/* Removes e, moving later entries of its probe run back into the gap. */
static void map_remove(struct host_map *e)
{
	uint32_t gap = (uint32_t)(e - host_maps), i = gap;
	host_maps[gap].va = 0;
	for (;;) {
		i = (i + 1) & (HOST_MAPS - 1);
		if (host_maps[i].va == 0)
			return;
		uint32_t home = map_hash(host_maps[i].va);
		/* The entry may fill the gap if its home is not in (gap, i]. */
		if ((i > gap && (home <= gap || home > i)) ||
		    (i < gap && home <= gap && home > i)) {
			host_maps[gap] = host_maps[i];
			host_maps[i].va = 0;
			gap = i;
		}
	}
}

static int host_prot(uint32_t prot)
{
	return (prot & (VM_READ | VM_WRITE | VM_EXEC) ? PROT_READ : PROT_NONE) |
	       (prot & VM_WRITE ? PROT_WRITE : 0) | (prot & VM_EXEC ? PROT_EXEC : 0);
}

/* Makes frame pa appear at va in the process, or shares the mapping
 * already there if it is the same frame with the same protection. */
static status_t host_map_get(uint64_t va, uint64_t pa, uint32_t prot)
{
	struct host_map *e = map_find(va);
	if (!e)
		return STATUS_NO_MEMORY;
	if (e->va == va) {
		if (e->pa != pa || e->prot != prot)
			return STATUS_EXISTS;
		e->refs++;
		return STATUS_OK;
	}
	void *p = mmap((void *)va, PAGE_SIZE, host_prot(prot), MAP_SHARED | MAP_FIXED_NOREPLACE,
		       host_memory_fd(), (off_t)pa);
	if (p == MAP_FAILED)
		return errno == EEXIST ? STATUS_EXISTS : STATUS_NO_MEMORY;
	if (p != (void *)va) { /* a kernel that treats the flag as a hint */
		munmap(p, PAGE_SIZE);
		return STATUS_EXISTS;
	}
	*e = (struct host_map){ va, pa, prot, 1 };
	return STATUS_OK;
}

static void host_map_put(uint64_t va)
{
	struct host_map *e = map_find(va);
	if (!e || e->va != va)
		panic("host: unmapping %#lx, which the process does not map", va);
	if (--e->refs == 0) {
		munmap((void *)va, PAGE_SIZE);
		map_remove(e);
	}
}

static bool host_map_taken(uint64_t va)
{
	struct host_map *e = map_find(va);
	return e && e->va == va;
}

/* --- the software page table of one vspace --- */

static uint64_t *table(uint64_t pa)
{
	return arch_phys_to_virt(pa);
}

static unsigned slot_of(uint64_t va, int level)
{
	return (unsigned)(va >> (12 + 9 * level)) & 511;
}

/* Tables leaf(vs, va, true) would make. */
static uint64_t missing(struct vspace *vs, uint64_t va)
{
	uint64_t pa = vs->root;
	for (int level = 3; level > 0; level--) {
		uint64_t e = table(pa)[slot_of(va, level)];
		if (!(e & PT_P))
			return (uint64_t)level;
		pa = e & PT_ADDR;
	}
	return 0;
}

/* The leaf entry of va, making missing tables when create is true (each
 * counted in vs->table_pages). NULL when absent or out of memory. */
static uint64_t *leaf(struct vspace *vs, uint64_t va, bool create)
{
	uint64_t pa = vs->root;
	for (int level = 3; level > 0; level--) {
		uint64_t *e = &table(pa)[slot_of(va, level)];
		if (!(*e & PT_P)) {
			uint64_t fresh;
			if (!create || kmem_alloc(0, &fresh))
				return NULL;
			*e = fresh | PT_P;
			vs->table_pages++;
		}
		pa = *e & PT_ADDR;
	}
	return &table(pa)[slot_of(va, 0)];
}

status_t vspace_create(struct vspace *vs)
{
	uint64_t root;
	if (kmem_alloc(0, &root))
		return STATUS_NO_MEMORY;
	*vs = (struct vspace){ .root = root, .table_pages = 1 };
	return STATUS_OK;
}

/* Frees the table at pa of level and everything below it; drops the host
 * mapping of every page still in it. base is the first address it covers. */
static void free_tables(uint64_t pa, int level, uint64_t base)
{
	uint64_t *t = table(pa);
	for (unsigned i = 0; i < 512; i++) {
		if (!(t[i] & PT_P))
			continue;
		uint64_t va = base + ((uint64_t)i << (12 + 9 * level));
		if (level > 0)
			free_tables(t[i] & PT_ADDR, level - 1, va);
		else
			host_map_put(va);
	}
	kmem_free(pa, 0);
}

void vspace_destroy(struct vspace *vs)
{
	free_tables(vs->root, 3, 0);
	vs->root = 0;
	vs->table_pages = 0;
}

static bool user_page(uint64_t va)
{
	return (va & (PAGE_SIZE - 1)) == 0 && va >= USER_BASE && va < USER_TOP;
}

static status_t map_one(struct vspace *vs, uint64_t va, uint64_t pa, uint32_t prot)
{
	if (!user_page(va) || host_in_arena(va, PAGE_SIZE))
		return STATUS_BAD_ADDRESS;
	if ((prot & VM_WRITE) && (prot & VM_EXEC))
		return STATUS_INVALID;
	/* Device memory (MMIO capabilities map uncached) has nothing behind
	 * it on the host; neither has a frame past the arena. */
	if ((prot & VM_DEVICE) || !host_in_arena((uint64_t)arch_phys_to_virt(pa), PAGE_SIZE))
		return STATUS_BAD_ADDRESS;
	uint64_t *e = leaf(vs, va, true);
	if (!e)
		return STATUS_NO_MEMORY;
	if (*e & PT_P)
		return STATUS_EXISTS;
	status_t st = host_map_get(va, pa, prot & (VM_READ | VM_WRITE | VM_EXEC));
	if (st == STATUS_OK)
		*e = pa | PT_P | (prot & VM_WRITE ? PT_W : 0) | (prot & VM_EXEC ? PT_X : 0);
	return st;
}

/* The host port makes every page at creation (ARCH_DEMAND_ZERO is 0), so
 * no frame is ever 0 here, and no fault ever reaches the kernel. */
status_t vspace_map_run(struct vspace *vs, uint64_t va, uint64_t pages, const uint64_t *frames,
			uint64_t base, uint32_t prot, uint64_t table_budget, uint64_t *done)
{
	*done = 0;
	if (!user_page(va) || pages > (USER_TOP - va) / PAGE_SIZE)
		return STATUS_BAD_ADDRESS;
	uint64_t tables = vs->table_pages;
	for (uint64_t i = 0; i < pages; i++) {
		uint64_t at = va + i * PAGE_SIZE;
		uint64_t pa = frames ? frames[i] : base + i * PAGE_SIZE;
		if (frames && !pa)
			return STATUS_INVALID;
		if (missing(vs, at) > table_budget - (vs->table_pages - tables))
			return STATUS_QUOTA;
		status_t st = map_one(vs, at, pa, prot);
		if (st)
			return st;
		*done = i + 1;
	}
	return STATUS_OK;
}

bool vspace_fault_in(struct vspace *vs, uint64_t va)
{
	(void)vs, (void)va;
	return false;
}

void vspace_unmap(struct vspace *vs, uint64_t va, uint64_t pages)
{
	for (uint64_t i = 0; i < pages; i++, va += PAGE_SIZE) {
		uint64_t *e = user_page(va) ? leaf(vs, va, false) : NULL;
		if (!e || !(*e & PT_P))
			continue;
		*e = 0;
		host_map_put(va);
	}
}

/* Copies len bytes of process memory not mapped by any task, failing
 * cleanly on an address the process cannot read or write. */
static status_t copy_private(uint64_t uva, void *kbuf, size_t len, bool to_user)
{
	struct iovec local = { kbuf, len }, remote = { (void *)uva, len };
	ssize_t n = to_user ? process_vm_writev(getpid(), &local, 1, &remote, 1, 0)
			    : process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
	return n == (ssize_t)len ? STATUS_OK : STATUS_BAD_ADDRESS;
}

/* Checks every page of [uva, uva + n) before anything is copied: mapped
 * here with the rights wanted, or private process memory. */
static status_t copy_check(struct vspace *vs, uint64_t uva, size_t n, bool to_user)
{
	if (uva + n < uva || uva < USER_BASE || uva + n > USER_TOP || host_in_arena(uva, n))
		return STATUS_BAD_ADDRESS;
	for (uint64_t page = uva & ~(PAGE_SIZE - 1); page < uva + n; page += PAGE_SIZE) {
		uint64_t *e = leaf(vs, page, false);
		if (e && (*e & PT_P)) {
			if (to_user && !(*e & PT_W))
				return STATUS_BAD_ADDRESS;
		} else if (host_map_taken(page)) {
			return STATUS_BAD_ADDRESS; /* another task's page */
		}
	}
	return STATUS_OK;
}

static status_t copy_user(struct vspace *vs, uint64_t uva, void *kbuf, size_t n, bool to_user)
{
	char *k = kbuf;
	if (n == 0)
		return STATUS_OK;
	status_t st = copy_check(vs, uva, n, to_user);
	while (st == STATUS_OK && n) {
		size_t chunk = PAGE_SIZE - (uva & (PAGE_SIZE - 1));
		if (chunk > n)
			chunk = n;
		uint64_t *e = leaf(vs, uva & ~(PAGE_SIZE - 1), false);
		if (e && (*e & PT_P)) {
			char *frame = (char *)arch_phys_to_virt(*e & PT_ADDR) +
				      (uva & (PAGE_SIZE - 1));
			if (to_user)
				memcpy(frame, k, chunk);
			else
				memcpy(k, frame, chunk);
		} else {
			st = copy_private(uva, k, chunk, to_user);
		}
		uva += chunk;
		k += chunk;
		n -= chunk;
	}
	return st;
}

/* The inline copies in core/mm/vspace.h come here: the host never fills the
 * one-page cache (cached_va stays 0), so every copy is checked below. */
status_t copy_from_user_walk(struct vspace *vs, void *dst, uint64_t src, size_t n)
{
	return copy_user(vs, src, dst, n, false);
}

status_t copy_to_user_walk(struct vspace *vs, uint64_t dst, const void *src, size_t n)
{
	return copy_user(vs, dst, (void *)src, n, true);
}
