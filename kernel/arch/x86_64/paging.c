/* paging.c - building and editing x86-64 page tables (see paging.h). */
#include "arch/x86_64/paging.h"
#include "core/mm/kmem.h"

static unsigned index_at(uint64_t va, int level)
{
	return (va >> (12 + 9 * level)) & 511;
}

/*
 * Returns the table entry for va at level (0 = PT ... 3 = PML4 entry),
 * creating missing intermediate tables when create is set. Returns NULL
 * when a table is missing (and not created) or a large page is in the way.
 */
static uint64_t *walk(uint64_t root, uint64_t va, int level, bool create)
{
	uint64_t *table = phys_to_virt(root);
	for (int l = 3; l > level; l--) {
		uint64_t *e = &table[index_at(va, l)];
		if (!(*e & PTE_P)) {
			uint64_t pa;
			if (!create || kmem_alloc(0, &pa))
				return NULL;
			/* Upper levels are permissive; leaves decide the rights. */
			*e = pa | PTE_P | PTE_W | (va < DIRECT_MAP_BASE ? PTE_U : 0);
		} else if (*e & PTE_PS) {
			return NULL;
		}
		table = phys_to_virt(*e & PTE_ADDR);
	}
	return &table[index_at(va, level)];
}

status_t pt_map(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags)
{
	uint64_t *e = walk(root, va, 0, true);
	if (!e)
		return STATUS_NO_MEMORY;
	if (*e & PTE_P)
		return STATUS_EXISTS;
	*e = (pa & PTE_ADDR) | flags | PTE_P;
	return STATUS_OK;
}

uint64_t *pt_entry(uint64_t root, uint64_t va)
{
	return walk(root, va, 0, true);
}

unsigned pt_missing(uint64_t root, uint64_t va)
{
	uint64_t *table = phys_to_virt(root);
	for (int l = 3; l > 0; l--) {
		uint64_t e = table[index_at(va, l)];
		if (!(e & PTE_P))
			return (unsigned)l;
		table = phys_to_virt(e & PTE_ADDR);
	}
	return 0;
}

uint64_t *pt_find(uint64_t root, uint64_t va)
{
	return walk(root, va, 0, false);
}

status_t pt_map_2m(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags)
{
	uint64_t *e = walk(root, va, 1, true);
	if (!e)
		return STATUS_NO_MEMORY;
	if (*e & PTE_P)
		return STATUS_EXISTS;
	*e = (pa & PTE_ADDR) | flags | PTE_P | PTE_PS;
	return STATUS_OK;
}

status_t pt_unmap(uint64_t root, uint64_t va, uint64_t *pa)
{
	uint64_t *e = walk(root, va, 0, false);
	if (!e || !(*e & PTE_P))
		return STATUS_NOT_FOUND;
	if (pa)
		*pa = *e & PTE_ADDR;
	*e = 0;
	return STATUS_OK;
}

status_t pt_prepare(uint64_t root, uint64_t va)
{
	return walk(root, va, 0, true) ? STATUS_OK : STATUS_NO_MEMORY;
}

uint64_t pt_lookup(uint64_t root, uint64_t va)
{
	uint64_t *table = phys_to_virt(root);
	for (int l = 3; l >= 0; l--) {
		uint64_t e = table[index_at(va, l)];
		if (!(e & PTE_P))
			return 0;
		if (l == 0 || (e & PTE_PS))
			return e;
		table = phys_to_virt(e & PTE_ADDR);
	}
	return 0;
}
