/*
 * Host tests for acpi_root.c: the RSDP scan and table lookup through the
 * RSDT or XSDT, over a fake physical memory holding the tables recorded
 * from QEMU's q35 machine (tests/data/machines).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "acpi_root.h"
#include "acpi_tables.h"
#include "check.h"

#define MACHINES "tests/data/machines/"

/* The fake physical memory: a few regions at chosen addresses. */
struct region {
	uint64_t phys;
	size_t len;
	uint8_t bytes[0x20000];
};

static struct region mem[8];
static int nregions;

static const void *fake_map(void *ctx, uint64_t pa, size_t len)
{
	(void)ctx;
	for (int i = 0; i < nregions; i++)
		if (pa >= mem[i].phys && pa + len <= mem[i].phys + mem[i].len)
			return mem[i].bytes + (pa - mem[i].phys);
	return NULL;
}

static struct region *place(uint64_t phys, size_t len)
{
	struct region *r = &mem[nregions++];
	r->phys = phys, r->len = len;
	memset(r->bytes, 0, sizeof r->bytes);
	return r;
}

/* Places a recorded table at phys; returns its length. */
static size_t place_table(const char *name, uint64_t phys)
{
	char path[128];
	snprintf(path, sizeof path, MACHINES "q35/acpi/%s.dat", name);
	FILE *f = fopen(path, "rb");
	if (!f)
		CHECK_FAIL("cannot open %s", path);
	struct region *r = place(phys, 0);
	r->len = fread(r->bytes, 1, sizeof r->bytes, f);
	fclose(f);
	return r->len;
}

static void fix_sum(uint8_t *p, size_t n, size_t at)
{
	uint8_t s = 0;
	p[at] = 0;
	for (size_t i = 0; i < n; i++)
		s = (uint8_t)(s + p[i]);
	p[at] = (uint8_t)-s;
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> 8 * i);
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v), put32(p + 4, (uint32_t)(v >> 32));
}

/* A root table (RSDT with 4-byte or XSDT with 8-byte entries) at phys. */
static void place_root(uint64_t phys, int size, const uint64_t *tables, int n)
{
	struct region *r = place(phys, 36 + (size_t)(size * n));
	memcpy(r->bytes, size == 8 ? "XSDT" : "RSDT", 4);
	put32(r->bytes + 4, (uint32_t)r->len);
	r->bytes[8] = 1;
	for (int i = 0; i < n; i++)
		size == 8 ? put64(r->bytes + 36 + 8 * i, tables[i])
			  : put32(r->bytes + 36 + 4 * i, (uint32_t)tables[i]);
	fix_sum(r->bytes, r->len, 9);
}

/* A BIOS area at 0xe0000 with an RSDP at offset off. */
static struct region *place_rsdp(size_t off, int rev, uint64_t root)
{
	struct region *r = place(0xe0000, 0x20000);
	uint8_t *p = r->bytes + off;
	memcpy(p, "RSD PTR ", 8);
	memcpy(p + 9, "KEELFW", 6);
	p[15] = (uint8_t)rev;
	if (rev < 2) {
		put32(p + 16, (uint32_t)root);
		fix_sum(p, 20, 8);
	} else {
		put32(p + 20, 36);
		put64(p + 24, root);
		fix_sum(p, 20, 8);
		fix_sum(p, 36, 32); /* the extended sum covers the first one */
	}
	return r;
}

static const uint64_t q35[] = { 0x100000, 0x110000, 0x120000 };

/* The q35 machine: APIC, FACP and MCFG at 1 MiB up, listed by a root table. */
static void machine(int rev)
{
	nregions = 0;
	place_table("APIC", q35[0]);
	place_table("FACP", q35[1]);
	place_table("MCFG", q35[2]);
	place_root(0x130000, rev >= 2 ? 8 : 4, q35, 3);
}

TEST(finds_a_v1_rsdp_and_every_table_through_the_rsdt)
{
	struct acpi_root root;
	const uint8_t *t;
	uint32_t len;
	machine(0);
	struct region *bios = place_rsdp(0x10040, 0, 0x130000);
	CHECK_EQ(acpi_rsdp_scan(bios->bytes, bios->len, bios->phys, &root), STATUS_OK);
	CHECK_EQ(root.rsdp_phys, 0xf0040u);
	CHECK_EQ(root.entry_size, 4u);
	CHECK_EQ(acpi_root_find(&root, "MCFG", fake_map, NULL, &t, &len), STATUS_OK);
	struct acpi_mcfg mcfg;
	CHECK_EQ(acpi_parse_mcfg(t, len, &mcfg), STATUS_OK);
	CHECK_EQ(mcfg.entries[0].base, 0xb0000000u);
	CHECK_EQ(acpi_root_find(&root, "APIC", fake_map, NULL, &t, &len), STATUS_OK);
	CHECK_EQ(acpi_root_find(&root, "SRAT", fake_map, NULL, &t, &len), STATUS_NOT_FOUND);
}

TEST(a_v2_rsdp_uses_the_xsdt)
{
	struct acpi_root root;
	const uint8_t *t;
	uint32_t len;
	machine(2);
	struct region *bios = place_rsdp(0x100, 2, 0x130000);
	CHECK_EQ(acpi_rsdp_scan(bios->bytes, bios->len, bios->phys, &root), STATUS_OK);
	CHECK_EQ(root.entry_size, 8u);
	CHECK_EQ(acpi_root_find(&root, "FACP", fake_map, NULL, &t, &len), STATUS_OK);
}

TEST(the_dsdt_the_fadt_names_gives_s5)
{
	struct acpi_root root;
	const uint8_t *t;
	uint32_t len;
	struct acpi_fadt fadt;
	struct acpi_sleep_type s5;
	machine(0);
	struct region *bios = place_rsdp(0, 0, 0x130000);
	CHECK_EQ(acpi_rsdp_scan(bios->bytes, bios->len, bios->phys, &root), STATUS_OK);
	CHECK_EQ(acpi_root_find(&root, "FACP", fake_map, NULL, &t, &len), STATUS_OK);
	CHECK_EQ(acpi_parse_fadt(t, len, &fadt), STATUS_OK);
	place_table("DSDT", fadt.dsdt);
	CHECK_EQ(acpi_table_at(fadt.dsdt, "DSDT", fake_map, NULL, &t, &len), STATUS_OK);
	CHECK_EQ(acpi_find_s5(t, len, &s5), STATUS_OK);
	CHECK_EQ(s5.slp_typ_a, 0);
	CHECK_EQ(acpi_table_at(fadt.dsdt, "SSDT", fake_map, NULL, &t, &len), STATUS_BAD_FORMAT);
}

TEST(bad_or_unaligned_rsdps_are_not_taken)
{
	struct acpi_root root;
	machine(0);
	struct region *bios = place_rsdp(0x208, 0, 0x130000); /* not 16-byte aligned */
	CHECK_EQ(acpi_rsdp_scan(bios->bytes, bios->len, bios->phys, &root), STATUS_NOT_FOUND);
	nregions = 0;
	bios = place_rsdp(0x200, 0, 0x130000);
	bios->bytes[0x200 + 8] ^= 1; /* checksum */
	CHECK_EQ(acpi_rsdp_scan(bios->bytes, bios->len, bios->phys, &root), STATUS_NOT_FOUND);
	nregions = 0;
	bios = place_rsdp(0x200, 2, 0x130000);
	bios->bytes[0x200 + 20] = 200; /* a v2 length past the end of the area */
	fix_sum(bios->bytes + 0x200, 36, 32);
	CHECK_EQ(acpi_rsdp_scan(bios->bytes, 0x200 + 36, bios->phys, &root), STATUS_NOT_FOUND);
	bios = place_rsdp(0x1fff0, 0, 0x130000); /* the last 16 bytes cannot hold 20 */
	CHECK_EQ(acpi_rsdp_scan(bios->bytes, bios->len, bios->phys, &root), STATUS_NOT_FOUND);
}

TEST(a_damaged_table_is_skipped_and_a_missing_root_is_bad_address)
{
	struct acpi_root root = { .root_phys = 0x130000, .entry_size = 4 };
	const uint8_t *t;
	uint32_t len;
	machine(0);
	mem[2].bytes[40] ^= 0x55; /* MCFG's checksum no longer holds */
	CHECK_EQ(acpi_root_find(&root, "MCFG", fake_map, NULL, &t, &len), STATUS_NOT_FOUND);
	root.root_phys = 0x900000;
	CHECK_EQ(acpi_root_find(&root, "APIC", fake_map, NULL, &t, &len), STATUS_BAD_ADDRESS);
	root.root_phys = q35[0]; /* not an RSDT */
	CHECK_EQ(acpi_root_find(&root, "APIC", fake_map, NULL, &t, &len), STATUS_BAD_FORMAT);
}

int main(void)
{
	RUN(finds_a_v1_rsdp_and_every_table_through_the_rsdt);
	RUN(a_v2_rsdp_uses_the_xsdt);
	RUN(the_dsdt_the_fadt_names_gives_s5);
	RUN(bad_or_unaligned_rsdps_are_not_taken);
	RUN(a_damaged_table_is_skipped_and_a_missing_root_is_bad_address);
	return check_summary();
}
