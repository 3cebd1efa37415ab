/* memory.c - physical memory and kernel page tables at boot (see memory.h). */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/memory.h"
#include "arch/x86_64/paging.h"
#include "core/console.h"
#include "core/mm/kmem.h"
#include "core/panic.h"
#include "core/mm/phys_ranges.h"

#define BOOT_MAP_LIMIT 0x40000000ull /* boot.S maps the first 1 GiB */
/* The first 64 KiB: the real-mode interrupt table and BIOS data (page 0),
 * the AP trampoline and its page tables (0x8000-0xcfff, smp.c). The rest
 * of the RAM below 640 KiB is managed like any other. */
#define LOW_RESERVED 0x10000ull
#define FOUR_GIB 0x100000000ull

extern char kernel_phys_start[], kernel_phys_end[];
extern char kernel_text_start[], kernel_rodata_start[], kernel_data_start[], kernel_end[];

static struct page_alloc kernel_page_alloc;
static struct phys_ranges usable;
static uint64_t kernel_root;
static uint64_t mmio_next = MMIO_BASE;

void *arch_phys_to_virt(uint64_t pa)
{
	return phys_to_virt(pa);
}

uint64_t memory_kernel_root(void)
{
	return kernel_root;
}

static void check(status_t st, const char *what)
{
	if (st)
		panic("memory: %s: %s", what, status_message(st));
}

/* Usable RAM: available entries less everything in use or reserved. */
static void collect_usable(const struct mb2_info *mi, uint64_t info_pa)
{
	phys_ranges_init(&usable);
	for (uint32_t i = 0; i < mi->mmap_count; i++) {
		struct mb2_mmap_entry e;
		mb2_mmap_entry(mi, i, &e);
		if (e.type == MB2_MEM_AVAILABLE && e.base + e.len > e.base)
			check(phys_ranges_add(&usable, e.base, e.base + e.len), "memory map");
	}
	check(phys_ranges_subtract(&usable, 0, LOW_RESERVED), "low memory");
	check(phys_ranges_subtract(&usable, (uint64_t)kernel_phys_start, (uint64_t)kernel_phys_end),
	      "kernel image");
	check(phys_ranges_subtract(&usable, info_pa, info_pa + mi->total_size), "boot info");
	for (uint32_t i = 0; i < mi->module_count; i++)
		check(phys_ranges_subtract(&usable, mi->modules[i].start, mi->modules[i].end),
		      "modules");
	phys_ranges_align(&usable);
}

/* Takes the allocator's metadata from usable memory below the boot map limit. */
static void setup_allocator(void)
{
	uint64_t lo, hi;
	if (!phys_ranges_span(&usable, &lo, &hi))
		panic("memory: no usable memory");
	uint64_t nframes = (hi - lo) / PAGE_SIZE;
	uint64_t bytes = (page_alloc_meta_bytes(nframes) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	for (size_t i = 0; i < phys_ranges_count(&usable); i++) {
		struct phys_range r;
		phys_ranges_get(&usable, i, &r);
		if (r.end - r.start < bytes || r.start + bytes > BOOT_MAP_LIMIT)
			continue;
		check(page_alloc_init(&kernel_page_alloc, phys_to_virt(r.start), bytes, lo,
				      nframes),
		      "allocator");
		check(phys_ranges_subtract(&usable, r.start, r.start + bytes), "metadata");
		kmem_init(&kernel_page_alloc);
		return;
	}
	panic("memory: no room below 1 GiB for %lu bytes of page metadata", bytes);
}

/* Frees usable frames to the allocator: those below limit, or those above it. */
static void release_usable(bool below, uint64_t limit)
{
	for (size_t i = 0; i < phys_ranges_count(&usable); i++) {
		struct phys_range r;
		phys_ranges_get(&usable, i, &r);
		uint64_t s = below ? r.start : (r.start > limit ? r.start : limit);
		uint64_t e = below ? (r.end < limit ? r.end : limit) : r.end;
		if (s < e)
			check(page_alloc_add_free(&kernel_page_alloc, s, e), "free range");
	}
}

/* What the direct map shows at a physical range. */
enum direct_kind {
	DIRECT_NONE,     /* a hole: no entry touches it; not mapped */
	DIRECT_RAM,      /* RAM of every kind: write-back */
	DIRECT_RESERVED, /* firmware-reserved below 4 GiB: uncached, it may be a device */
	DIRECT_PART,     /* touched, but not all one RAM entry (a page so is not mapped) */
};

static bool ram_type(uint32_t type)
{
	return type == MB2_MEM_AVAILABLE || type == MB2_MEM_ACPI_RECLAIMABLE || type == MB2_MEM_NVS;
}

/* The kind of [pa, pa + len): reserved if a reserved entry below 4 GiB
 * touches it, RAM if one RAM entry covers all of it, part if some entry
 * touches it otherwise, else nothing. */
static enum direct_kind direct_kind(const struct mb2_info *mi, uint64_t pa, uint64_t len)
{
	bool ram = false, touched = false;
	for (uint32_t i = 0; i < mi->mmap_count; i++) {
		struct mb2_mmap_entry e;
		mb2_mmap_entry(mi, i, &e);
		uint64_t end = e.base + e.len < e.base ? UINT64_MAX : e.base + e.len;
		if (end <= pa || e.base >= pa + len)
			continue;
		if (!ram_type(e.type) && e.base < FOUR_GIB)
			return DIRECT_RESERVED;
		ram |= ram_type(e.type) && e.base <= pa && end >= pa + len;
		touched = true;
	}
	return ram ? DIRECT_RAM : touched ? DIRECT_PART : DIRECT_NONE;
}

/* Maps [pa, pa + len) (a power of two of pages, aligned to it) page by
 * page, each as its kind says. A range that is all RAM, or that no entry
 * touches, is the same for each of its pages; any other is halved, so a
 * chunk costs a look at the map per boundary in it, not per page. A page
 * only partly RAM is not mapped. */
static void map_direct_pages(const struct mb2_info *mi, uint64_t pa, uint64_t len)
{
	const uint64_t ram = PTE_W | PTE_NX | PTE_G, dev = ram | PTE_PCD | PTE_PWT;
	enum direct_kind k = direct_kind(mi, pa, len);
	if (len > PAGE_SIZE && (k == DIRECT_RESERVED || k == DIRECT_PART)) {
		map_direct_pages(mi, pa, len / 2);
		map_direct_pages(mi, pa + len / 2, len / 2);
		return;
	}
	for (uint64_t p = pa; (k == DIRECT_RAM || k == DIRECT_RESERVED) && p < pa + len;
	     p += PAGE_SIZE) {
		status_t st = pt_map(kernel_root, DIRECT_MAP_BASE + p, p,
				     k == DIRECT_RAM ? ram : dev);
		if (st != STATUS_EXISTS) /* a chunk two entries share is visited twice */
			check(st, "direct map");
	}
}

/* Maps the 2 MiB chunk at pa: with one large page when it is all RAM,
 * else page by page (map_direct_pages). */
static void map_direct_chunk(const struct mb2_info *mi, uint64_t pa)
{
	const uint64_t ram = PTE_W | PTE_NX | PTE_G;
	if (direct_kind(mi, pa, PAGE_2M) == DIRECT_RAM)
		check(pt_map_2m(kernel_root, DIRECT_MAP_BASE + pa, pa, ram), "direct map");
	else
		map_direct_pages(mi, pa, PAGE_2M);
}

/*
 * The direct map: RAM of every kind, write-back, and firmware-reserved
 * ranges below 4 GiB (ACPI tables can live there), uncached - never a
 * cacheable view of what may be a device. Holes stay unmapped, so the
 * legacy VGA window and the PCI hole are not mapped at all.
 */
static void map_direct(const struct mb2_info *mi)
{
	for (uint32_t i = 0; i < mi->mmap_count; i++) {
		struct mb2_mmap_entry e;
		mb2_mmap_entry(mi, i, &e);
		if ((!ram_type(e.type) && e.base >= FOUR_GIB) || e.len == 0)
			continue;
		uint64_t s = e.base & ~(PAGE_2M - 1);
		for (uint64_t pa = s; pa < e.base + e.len && pa >= s; pa += PAGE_2M)
			if (!pt_lookup(kernel_root, DIRECT_MAP_BASE + pa))
				map_direct_chunk(mi, pa);
	}
}

/* The kernel image, page by page: text R-X, rodata R--, data and bss RW-. */
static void map_kernel_image(void)
{
	for (uint64_t va = (uint64_t)kernel_text_start; va < (uint64_t)kernel_end;
	     va += PAGE_SIZE) {
		uint64_t flags = PTE_G;
		if (va >= (uint64_t)kernel_data_start)
			flags |= PTE_W | PTE_NX;
		else if (va >= (uint64_t)kernel_rodata_start)
			flags |= PTE_NX;
		check(pt_map(kernel_root, va, va - KERNEL_VMA, flags), "kernel image");
	}
}

/* Page tables for the whole stack area exist from boot on, so that creating
 * and destroying threads never allocates or frees page-table pages. */
static void prepare_stack_area(void)
{
	uint64_t slots = kstack_area_slots(kmem_free_pages());
	for (uint64_t off = 0; off < slots * KSTACK_SLOT_SIZE; off += PAGE_2M)
		check(pt_prepare(kernel_root, KSTACK_AREA + off), "stack area");
	check(pt_prepare(kernel_root, MMIO_BASE), "device window");
}

/* Below this the kernel, the root task and initd's services do not fit
 * (measured with the system's bundle: every service starts with 4,044
 * KiB managed, -m 7; vfsd cannot with 3,024, -m 6): say so and stop,
 * rather than limp. */
#define MIN_MANAGED_KIB 3584u

/* The machine's RAM in KiB as its loader reports it: the end of the
 * highest available range below 4 GiB, in whole MiB. */
static uint64_t machine_kib(const struct mb2_info *mi)
{
	uint64_t top = 0;
	for (uint32_t i = 0; i < mi->mmap_count; i++) {
		struct mb2_mmap_entry e;
		mb2_mmap_entry(mi, i, &e);
		if (e.type == MB2_MEM_AVAILABLE && e.base < FOUR_GIB && e.base + e.len > top)
			top = e.base + e.len < FOUR_GIB ? e.base + e.len : FOUR_GIB;
	}
	return (top + (1 << 20) - 1) / (1 << 20) * 1024;
}

void memory_init(const struct mb2_info *mi, uint64_t info_pa)
{
	collect_usable(mi, info_pa);
	setup_allocator();
	/* Only frames the boot map reaches until the new tables are live. */
	release_usable(true, BOOT_MAP_LIMIT);
	check(kmem_alloc(0, &kernel_root), "kernel root");
	map_direct(mi);
	map_kernel_image();
	prepare_stack_area();
	write_cr3(kernel_root);
	release_usable(false, BOOT_MAP_LIMIT);
	kprintf("memory: %lu KiB free of %lu KiB managed; kernel %lu KiB\n", kmem_free_pages() * 4,
		kmem_total_pages() * 4,
		((uint64_t)kernel_phys_end - (uint64_t)kernel_phys_start) / 1024);
	uint64_t managed = kmem_total_pages() * 4;
	if (managed < MIN_MANAGED_KIB && mi->module_count == 0)
		panic("memory: Keel needs at least %u KiB of managed memory and its boot bundle, "
		      "which the loader did not load (too big for this machine?); this one has "
		      "%lu KiB",
		      MIN_MANAGED_KIB, managed);
	if (managed < MIN_MANAGED_KIB) {
		/* What the kernel image, the boot modules and the firmware
		 * take stays: the machine needs the shortfall more. */
		uint64_t need = machine_kib(mi) + MIN_MANAGED_KIB - managed;
		panic("memory: Keel needs at least %u KiB of managed memory (a machine of %lu MiB "
		      "with this boot bundle); this one has %lu KiB",
		      MIN_MANAGED_KIB, (need + 1023) / 1024, managed);
	}
}

void *memory_map_mmio(uint64_t pa, uint64_t size)
{
	uint64_t off = pa & (PAGE_SIZE - 1);
	uint64_t start = pa - off, n = (size + off + PAGE_SIZE - 1) / PAGE_SIZE;
	if (mmio_next + n * PAGE_SIZE > MMIO_BASE + MMIO_SIZE)
		return 0;
	uint64_t va = mmio_next;
	for (uint64_t i = 0; i < n; i++)
		if (pt_map(kernel_root, va + i * PAGE_SIZE, start + i * PAGE_SIZE,
			   PTE_W | PTE_NX | PTE_PCD | PTE_PWT | PTE_G))
			return 0;
	mmio_next += n * PAGE_SIZE;
	return (void *)(va + off);
}
