/*
 * discover.c - what topod finds at start: the ACPI tables (RSDP in the BIOS
 * areas, MADT, FADT and \_S5_, MCFG, SRAT), every PCI function (ECAM when
 * the MCFG gives a window, else the legacy configuration ports), and the
 * fixed ISA devices of the platform.
 *
 * Physical memory is mapped read-only through the MMIO root initd gave
 * topod; ACPI windows are kept in t->maps until discovery ends.
 */
#include <string.h>

#include "keel/map.h"
#include "keel/sys.h"
#include "topod.h"

#define BIOS_AREA 0xe0000ull
#define BIOS_AREA_BYTES 0x20000ull
#define EBDA_PTR 0x40eu
#define EBDA_BYTES 1024u
#define PAGE 4096ull

/* ACPI's view of physical memory for topod: [pa, pa + len) mapped
 * read-only, reusing a window that covers it. NULL if it cannot be. */
static const void *phys_map(void *ctx, uint64_t pa, size_t len)
{
	struct topo *t = ctx;
	if (!len || pa + len < pa)
		return NULL;
	for (uint32_t i = 0; i < t->nmaps; i++)
		if (pa >= t->maps[i].phys && pa + len <= t->maps[i].phys + t->maps[i].bytes)
			return t->maps[i].va + (pa - t->maps[i].phys);
	if (t->nmaps == TOPO_MAX_MAPS)
		return NULL;
	uint64_t first = pa / PAGE, last = (pa + len + PAGE - 1) / PAGE;
	void *va;
	if (keel_map(t->mmio_root, first, last - first, RIGHT_READ, &va))
		return NULL;
	t->maps[t->nmaps++] = (struct topo_map){ first * PAGE, (last - first) * PAGE, va };
	return (const uint8_t *)va + (pa - first * PAGE);
}

/* Drops every ACPI window: discovery is over and the tables were copied. */
static void phys_unmap_all(struct topo *t)
{
	for (uint32_t i = 0; i < t->nmaps; i++)
		sys_memory_unmap(CAP_HANDLE_NONE, (uint64_t)(uintptr_t)t->maps[i].va,
				 t->maps[i].bytes / PAGE);
	t->nmaps = 0;
}

/* The RSDP: in the first KiB of the EBDA, or in 0xE0000-0xFFFFF. */
static status_t find_rsdp(struct topo *t)
{
	const uint8_t *bda = phys_map(t, EBDA_PTR, 2);
	if (bda) {
		uint64_t ebda = (uint64_t)(bda[0] | bda[1] << 8) << 4;
		const uint8_t *e = ebda >= 0x80000 && ebda < 0xa0000 ? phys_map(t, ebda, EBDA_BYTES)
								     : NULL;
		if (e && acpi_rsdp_scan(e, EBDA_BYTES, ebda, &t->root) == STATUS_OK)
			return STATUS_OK;
	}
	const uint8_t *area = phys_map(t, BIOS_AREA, BIOS_AREA_BYTES);
	return area ? acpi_rsdp_scan(area, BIOS_AREA_BYTES, BIOS_AREA, &t->root)
		    : STATUS_BAD_ADDRESS;
}

/* The FADT, and \_S5_ from the DSDT it names. */
static void read_power_tables(struct topo *t)
{
	const uint8_t *tab;
	uint32_t len;
	if (acpi_root_find(&t->root, "FACP", phys_map, t, &tab, &len) ||
	    acpi_parse_fadt(tab, len, &t->fadt))
		return;
	t->has_fadt = true;
	if (acpi_table_at(t->fadt.dsdt, "DSDT", phys_map, t, &tab, &len) == STATUS_OK &&
	    acpi_find_s5(tab, len, &t->s5) == STATUS_OK)
		t->has_s5 = true;
}

/* Reads the tables topod uses. Only the MADT is required. */
static status_t read_acpi(struct topo *t)
{
	const uint8_t *tab;
	uint32_t len;
	status_t st = find_rsdp(t);
	if (st == STATUS_OK)
		st = acpi_root_find(&t->root, "APIC", phys_map, t, &tab, &len);
	if (st == STATUS_OK)
		st = acpi_parse_madt(tab, len, &t->madt);
	if (st)
		return st;
	read_power_tables(t);
	if (acpi_root_find(&t->root, "MCFG", phys_map, t, &tab, &len) ||
	    acpi_parse_mcfg(tab, len, &t->mcfg))
		t->mcfg.count = 0;
	if (acpi_root_find(&t->root, "SRAT", phys_map, t, &tab, &len) == STATUS_OK &&
	    acpi_parse_srat(tab, len, &t->srat) == STATUS_OK)
		t->has_srat = true;
	return STATUS_OK;
}

uint32_t topo_in(uint16_t port, unsigned width)
{
	uint32_t v = 0;
	if (width == 1)
		__asm__ volatile("inb %w1, %b0" : "=a"(v) : "Nd"(port));
	else if (width == 2)
		__asm__ volatile("inw %w1, %w0" : "=a"(v) : "Nd"(port));
	else
		__asm__ volatile("inl %w1, %0" : "=a"(v) : "Nd"(port));
	return width == 1 ? v & 0xff : width == 2 ? v & 0xffff : v;
}

void topo_out(uint16_t port, unsigned width, uint32_t val)
{
	if (width == 1)
		__asm__ volatile("outb %b0, %w1" : : "a"(val), "Nd"(port));
	else if (width == 2)
		__asm__ volatile("outw %w0, %w1" : : "a"(val), "Nd"(port));
	else
		__asm__ volatile("outl %0, %w1" : : "a"(val), "Nd"(port));
}

status_t topo_ports_enable(struct topo *t, uint16_t first, uint16_t count)
{
	cap_handle_t part;
	status_t st = sys_device_split(t->ports_root, first, count, &part);
	if (st == STATUS_OK)
		st = sys_ioports_enable(part);
	return st;
}

static uint32_t port_in(void *ctx, uint16_t port, unsigned width)
{
	(void)ctx;
	return topo_in(port, width);
}

static void port_out(void *ctx, uint16_t port, unsigned width, uint32_t val)
{
	(void)ctx;
	topo_out(port, width, val);
}

/* Configuration space: the first MCFG window of segment 0 that maps, else
 * the legacy ports 0xCF8-0xCFF. */
static status_t open_config(struct topo *t)
{
	for (uint32_t i = 0; i < t->mcfg.count; i++) {
		const struct acpi_mcfg_entry *e = &t->mcfg.entries[i];
		struct pci_ecam w = { e->base, e->segment, e->bus_start, e->bus_end };
		uint64_t bytes = pci_ecam_size(&w), phys = e->base + ((uint64_t)e->bus_start << 20);
		if (e->segment != 0 || e->bus_start != 0)
			continue;
		if (sys_memory_map(CAP_HANDLE_NONE, t->mmio_root, TOPO_ECAM_ADDR, phys / PAGE,
				   bytes / PAGE, RIGHT_READ | RIGHT_WRITE) == STATUS_OK) {
			t->ecam_map = (struct pci_ecam_map){ w,
							     (volatile uint8_t *)TOPO_ECAM_ADDR };
			t->cfg = pci_ecam_cfg(&t->ecam_map);
			t->ecam = true;
			return STATUS_OK;
		}
	}
	status_t st = topo_ports_enable(t, 0xcf8, 8);
	t->ports = (struct pci_ports){ port_in, port_out, NULL };
	t->cfg = pci_legacy_cfg(&t->ports);
	return st;
}

/* The fixed ISA devices of QEMU's pc and q35 (and of most PCs): the DSDT
 * walk that would find them from _HID/_CRS is not written yet. */
static void legacy_devices(struct topo *t)
{
	static const struct topo_legacy fixed[] = {
		{ .name = "uart0", .port = 0x3f8, .ports = 8, .irq = 4 }, /* COM1 */
		{ .name = "i8042", .port = 0x60, .ports = 1, .port2 = 0x64, .irq = 1 },
		{ .name = "rtc", .port = 0x70, .ports = 2, .irq = 8 },
		{ .name = "pit", .port = 0x40, .ports = 4, .irq = 0 },
	};
	t->nlegacy = sizeof fixed / sizeof fixed[0];
	memcpy(t->legacy, fixed, sizeof fixed);
}

status_t topo_discover(struct topo *t)
{
	struct pci_enum e = { .fns = t->fns, .cap = TOPO_MAX_FNS };
	status_t st = read_acpi(t);
	phys_unmap_all(t);
	if (st == STATUS_OK)
		st = open_config(t);
	if (st)
		return st;
	pci_enumerate(&t->cfg, 0, &e); /* FULL: the rest are counted */
	t->nfns = (uint32_t)e.count;
	t->fns_dropped = (uint32_t)e.dropped;
	legacy_devices(t);
	return STATUS_OK;
}
