/*
 * test_acpi_tables.c - MCFG, SRAT, FADT and \_S5_ over the ACPI tables
 * recorded from QEMU (tests/data/machines), the kernel's MADT parser over
 * the same machines, and hand-made AML around \_S5_: every PkgLength
 * encoding, the element encodings, and malformed packages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acpi_tables.h"
#include "check.h"
#include "lib/acpi.h"

#define MACHINES "tests/data/machines/"

static uint8_t table[16384];

/* Loads MACHINES/machine/acpi/name.dat into table; returns its length. */
static size_t load(const char *machine, const char *name)
{
	char path[128];
	FILE *f;
	size_t n;

	snprintf(path, sizeof path, MACHINES "%s/acpi/%s.dat", machine, name);
	f = fopen(path, "rb");
	if (!f)
		CHECK_FAIL("cannot open %s", path);
	n = fread(table, 1, sizeof table, f);
	fclose(f);
	return n;
}

TEST(q35_mcfg_maps_all_256_buses_at_0xb0000000)
{
	struct acpi_mcfg m;
	size_t n = load("q35", "MCFG");

	CHECK_EQ(acpi_parse_mcfg(table, n, &m), STATUS_OK);
	CHECK_EQ(m.count, 1);
	CHECK_EQ(m.entries[0].base, 0xb0000000u);
	CHECK_EQ(m.entries[0].segment, 0);
	CHECK_EQ(m.entries[0].bus_start, 0);
	CHECK_EQ(m.entries[0].bus_end, 255);
}

static void fix_checksum(uint8_t *t, size_t n)
{
	uint8_t sum = 0;

	t[4] = (uint8_t)n;
	t[5] = (uint8_t)(n >> 8);
	t[6] = t[7] = 0;
	t[9] = 0;
	for (size_t i = 0; i < n; i++)
		sum = (uint8_t)(sum + t[i]);
	t[9] = (uint8_t)-sum;
}

TEST(malformed_mcfg_entries_are_rejected)
{
	struct acpi_mcfg m;
	size_t n = load("q35", "MCFG");

	table[n - 5] = 0; /* bus_end 0 < ... fine; make start > end */
	table[n - 6] = 1;
	fix_checksum(table, n);
	CHECK_EQ(acpi_parse_mcfg(table, n, &m), STATUS_BAD_FORMAT);
	n = load("q35", "MCFG");
	table[44] = 0x10; /* base not 1 MiB aligned */
	fix_checksum(table, n);
	CHECK_EQ(acpi_parse_mcfg(table, n, &m), STATUS_BAD_FORMAT);
	n = load("q35", "MCFG");
	fix_checksum(table, n - 1); /* not a whole entry */
	CHECK_EQ(acpi_parse_mcfg(table, n - 1, &m), STATUS_BAD_FORMAT);
	n = load("q35", "MCFG");
	table[20] ^= 1; /* checksum */
	CHECK_EQ(acpi_parse_mcfg(table, n, &m), STATUS_BAD_FORMAT);
	n = load("q35", "MCFG");
	CHECK_EQ(acpi_parse_mcfg(table, n - 1, &m), STATUS_BAD_FORMAT); /* truncated */
	CHECK_EQ(acpi_parse_mcfg(table, n, &m), STATUS_OK);
	load("q35", "APIC");
	CHECK_EQ(acpi_parse_mcfg(table, 128, &m), STATUS_BAD_FORMAT); /* another table */
}

TEST(mcfg_with_more_allocations_than_fit_is_full)
{
	struct acpi_mcfg m;
	size_t n = load("q35", "MCFG");

	for (unsigned i = 1; i <= ACPI_MAX_MCFG; i++)
		memcpy(table + 44 + 16 * i, table + 44, 16);
	n += 16 * ACPI_MAX_MCFG;
	fix_checksum(table, n);
	CHECK_EQ(acpi_parse_mcfg(table, n, &m), STATUS_FULL);
	CHECK_EQ(m.count, ACPI_MAX_MCFG);
}

TEST(srat_of_the_numa_machine_places_each_cpu_in_its_node)
{
	struct acpi_srat s;
	size_t n = load("q35-numa", "SRAT");

	CHECK_EQ(acpi_parse_srat(table, n, &s), STATUS_OK);
	CHECK_EQ(s.cpu_count, 2);
	CHECK_EQ(acpi_srat_cpu_domain(&s, 0), 0);
	CHECK_EQ(acpi_srat_cpu_domain(&s, 1), 1);
	CHECK_EQ(acpi_srat_cpu_domain(&s, 7), -1);
	CHECK_EQ(s.mem_count, 3);
	CHECK_EQ(s.mem[0].base, 0);
	CHECK_EQ(s.mem[0].length, 0xa0000);
	CHECK_EQ(s.mem[0].domain, 0);
	CHECK_EQ(s.mem[1].base, 0x100000);
	CHECK_EQ(s.mem[1].length, 0x7f00000);
	CHECK_EQ(s.mem[2].base, 0x8000000);
	CHECK_EQ(s.mem[2].length, 0x8000000);
	CHECK_EQ(s.mem[2].domain, 1);
	CHECK(s.disabled > 0); /* QEMU's hot-plug placeholders */
	CHECK_EQ(s.dropped, 0);
}

TEST(srat_entries_that_overrun_or_are_short_are_rejected)
{
	struct acpi_srat s;
	size_t n = load("q35-numa", "SRAT");

	table[48 + 1] = 8; /* a local APIC entry needs 16 */
	fix_checksum(table, n);
	CHECK_EQ(acpi_parse_srat(table, n, &s), STATUS_BAD_FORMAT);
	n = load("q35-numa", "SRAT");
	table[48 + 1] = 0; /* zero length would never advance */
	fix_checksum(table, n);
	CHECK_EQ(acpi_parse_srat(table, n, &s), STATUS_BAD_FORMAT);
	n = load("q35-numa", "SRAT");
	table[48 + 1] = 0xff; /* past the end */
	fix_checksum(table, n);
	CHECK_EQ(acpi_parse_srat(table, n, &s), STATUS_BAD_FORMAT);
	n = load("q35-numa", "SRAT");
	fix_checksum(table, n - 1); /* last entry cut */
	CHECK_EQ(acpi_parse_srat(table, n - 1, &s), STATUS_BAD_FORMAT);
}

TEST(srat_x2apic_entries_and_unknown_types)
{
	struct acpi_srat s;
	size_t n = 48;

	memset(table, 0, sizeof table);
	memcpy(table, "SRAT", 4);
	table[n] = 2; /* x2APIC affinity */
	table[n + 1] = 24;
	table[n + 4] = 3; /* domain */
	table[n + 8] = 0x00;
	table[n + 9] = 0x01; /* x2APIC id 0x100 */
	table[n + 12] = 1;
	n += 24;
	table[n] = 0x7f; /* unknown: skipped by length */
	table[n + 1] = 6;
	n += 6;
	fix_checksum(table, n);
	CHECK_EQ(acpi_parse_srat(table, n, &s), STATUS_OK);
	CHECK_EQ(s.cpu_count, 1);
	CHECK(s.cpus[0].x2apic);
	CHECK_EQ(acpi_srat_cpu_domain(&s, 0x100), 3);
}

TEST(pc_fadt_is_acpi_1_with_io_port_blocks_and_no_reset_register)
{
	struct acpi_fadt f;
	size_t n = load("pc", "FACP");

	CHECK_EQ(n, 116);
	CHECK_EQ(acpi_parse_fadt(table, n, &f), STATUS_OK);
	CHECK_EQ(f.revision, 1);
	CHECK_EQ(f.sci_irq, 9);
	CHECK_EQ(f.pm1a_cnt.space, ACPI_SPACE_IO);
	CHECK_EQ(f.pm1a_cnt.address, 0x604);
	CHECK_EQ(f.pm1a_cnt.bit_width, 16);
	CHECK_EQ(f.pm1b_cnt.address, 0);
	CHECK_EQ(f.pm1a_evt.address, 0x600);
	CHECK_EQ(f.dsdt, 0x0ffe0040u);
	CHECK(!f.reset_supported);
	CHECK_EQ(f.smi_cmd, 0xb2);
	CHECK_EQ(f.century, 0x32); /* the RTC's century in CMOS, as QEMU's mc146818 keeps it */
}

TEST(q35_fadt_has_the_0xcf9_reset_register_and_extended_blocks)
{
	struct acpi_fadt f;
	size_t n = load("q35", "FACP");

	CHECK_EQ(acpi_parse_fadt(table, n, &f), STATUS_OK);
	CHECK_EQ(f.revision, 3);
	CHECK(f.flags & ACPI_FADT_RESET_REG_SUP);
	CHECK(f.reset_supported);
	CHECK_EQ(f.reset_reg.space, ACPI_SPACE_IO);
	CHECK_EQ(f.reset_reg.address, 0xcf9);
	CHECK_EQ(f.reset_value, 0x0f);
	CHECK_EQ(f.century, 0x32);
	CHECK_EQ(f.pm1a_cnt.address, 0x604);
	CHECK_EQ(f.pm1a_cnt.bit_width, 16);
	CHECK_EQ(f.dsdt, 0x0ffe0040u);

	table[113] &= (uint8_t) ~(ACPI_FADT_RESET_REG_SUP >> 8); /* flag cleared */
	fix_checksum(table, n);
	CHECK_EQ(acpi_parse_fadt(table, n, &f), STATUS_OK);
	CHECK(!f.reset_supported);
}

TEST(fadt_without_dsdt_or_pm1a_or_too_short_is_rejected)
{
	struct acpi_fadt f;
	size_t n = load("pc", "FACP");

	fix_checksum(table, 100);
	CHECK_EQ(acpi_parse_fadt(table, 100, &f), STATUS_BAD_FORMAT);
	n = load("pc", "FACP");
	memset(table + 64, 0, 4); /* no PM1a control block */
	fix_checksum(table, n);
	CHECK_EQ(acpi_parse_fadt(table, n, &f), STATUS_BAD_FORMAT);
	n = load("pc", "FACP");
	memset(table + 40, 0, 4); /* no DSDT */
	fix_checksum(table, n);
	CHECK_EQ(acpi_parse_fadt(table, n, &f), STATUS_BAD_FORMAT);
}

TEST(recorded_dsdts_give_s5_sleep_types_zero)
{
	const char *machines[] = { "pc", "q35", "q35-numa" };

	for (unsigned i = 0; i < 3; i++) {
		struct acpi_sleep_type s = { 9, 9 };
		size_t n = load(machines[i], "DSDT");

		CHECK_EQ(acpi_find_s5(table, n, &s), STATUS_OK);
		CHECK_EQ(s.slp_typ_a, 0);
		CHECK_EQ(s.slp_typ_b, 0);
	}
}

TEST(madt_of_each_machine_through_the_kernel_parser)
{
	const char *machines[] = { "pc", "q35", "q35-numa" };
	static struct acpi_madt_info mi;
	struct acpi_srat s;

	for (unsigned i = 0; i < 3; i++) {
		size_t n = load(machines[i], "APIC");

		CHECK_EQ(acpi_parse_madt(table, (uint32_t)n, &mi), STATUS_OK);
		CHECK_EQ(mi.cpu_count, 2);
		CHECK_EQ(mi.ioapic_count, 1);
		CHECK_EQ(mi.lapic_addr, 0xfee00000u);
	}
	CHECK_EQ(acpi_parse_srat(table, load("q35-numa", "SRAT"), &s), STATUS_OK);
	for (uint32_t c = 0; c < mi.cpu_count; c++)
		CHECK_EQ(acpi_srat_cpu_domain(&s, mi.cpus[c].apic_id), c);
}

/* ---- hand-made AML ---------------------------------------------------------- */

/* Builds a DSDT of header + aml and returns its length. */
static size_t dsdt(const uint8_t *aml, size_t n)
{
	memset(table, 0, sizeof table);
	memcpy(table, "DSDT", 4);
	table[8] = 2;
	memcpy(table + 36, aml, n);
	fix_checksum(table, 36 + n);
	return 36 + n;
}

static status_t s5(const uint8_t *aml, size_t n, struct acpi_sleep_type *out)
{
	size_t len = dsdt(aml, n);

	return acpi_find_s5(table, len, out);
}

#define S5(...) ((const uint8_t[]){ __VA_ARGS__ }), sizeof((const uint8_t[]){ __VA_ARGS__ })

TEST(byte_prefix_values_in_a_named_package)
{
	struct acpi_sleep_type s;

	CHECK_EQ(s5(S5(0x10, 0x05, '\\', '_', 'S', '5', 0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x04,
		       0x0a, 0x05, 0x0a, 0x06, 0x00, 0x00),
		    &s),
		 STATUS_OK);
	CHECK_EQ(s.slp_typ_a, 5);
	CHECK_EQ(s.slp_typ_b, 6);
}

TEST(rooted_name_and_one_op_zero_op)
{
	struct acpi_sleep_type s;

	CHECK_EQ(s5(S5(0x08, '\\', '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x01, 0x00), &s),
		 STATUS_OK);
	CHECK_EQ(s.slp_typ_a, 1);
	CHECK_EQ(s.slp_typ_b, 0);
}

TEST(word_dword_and_qword_constants)
{
	struct acpi_sleep_type s;

	CHECK_EQ(s5(S5(0x08, '_', 'S', '5', '_', 0x12, 0x0d, 0x02, 0x0b, 0x07, 0x00, 0x0c, 0x03, 0,
		       0, 0, 0x00, 0x00, 0x00),
		    &s),
		 STATUS_OK);
	CHECK_EQ(s.slp_typ_a, 7);
	CHECK_EQ(s.slp_typ_b, 3);
	CHECK_EQ(s5(S5(0x08, '_', 'S', '5', '_', 0x12, 0x0c, 0x02, 0x0e, 2, 0, 0, 0, 0, 0, 0, 0,
		       0x01),
		    &s),
		 STATUS_OK);
	CHECK_EQ(s.slp_typ_a, 2);
	CHECK_EQ(s.slp_typ_b, 1);
}

TEST(one_element_package_holds_a_and_b_in_two_bytes)
{
	struct acpi_sleep_type s;

	CHECK_EQ(s5(S5(0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x01, 0x0b, 0x05, 0x07), &s),
		 STATUS_OK);
	CHECK_EQ(s.slp_typ_a, 5);
	CHECK_EQ(s.slp_typ_b, 7);
	CHECK_EQ(s5(S5(0x08, '_', 'S', '5', '_', 0x12, 0x07, 0x01, 0x0c, 0x05, 0x07, 0x01, 0x00),
		    &s),
		 STATUS_RANGE);
}

/* Name(_S5_, Package(){5, 3}) with its PkgLength written in enc bytes,
 * padded with zero bytes to at least min_len bytes of package. */
static size_t s5_with_pkglength(unsigned enc, uint32_t min_len)
{
	uint8_t aml[8192];
	uint32_t len, n = 0;
	uint32_t body = 1 + 4; /* count, 2 x (BytePrefix, value) */
	uint32_t pad = min_len > enc + body ? min_len - enc - body : 0;

	len = enc + body + pad;
	memcpy(aml, "\x08_S5_\x12", 6);
	n = 6;
	if (enc == 1) {
		aml[n++] = (uint8_t)len;
	} else {
		aml[n++] = (uint8_t)((enc - 1) << 6 | (len & 0x0f));
		for (unsigned i = 1; i < enc; i++)
			aml[n++] = (uint8_t)(len >> (4 + 8 * (i - 1)));
	}
	aml[n++] = 2; /* the padding is not read */
	memcpy(aml + n, "\x0a\x05\x0a\x03", 4);
	n += 4;
	memset(aml + n, 0, pad);
	return dsdt(aml, n + pad);
}

TEST(pkglength_of_one_to_four_bytes)
{
	struct acpi_sleep_type s;
	const uint32_t sizes[] = { 0, 0x40, 0x1100, 0x1900 };

	for (unsigned enc = 1; enc <= 4; enc++) {
		size_t n = s5_with_pkglength(enc, sizes[enc - 1]);

		s = (struct acpi_sleep_type){ 0, 0 };
		CHECK_EQ(acpi_find_s5(table, n, &s), STATUS_OK);
		CHECK_EQ(s.slp_typ_a, 5);
		CHECK_EQ(s.slp_typ_b, 3);
	}
}

TEST(pkglength_decoding)
{
	uint32_t len, enc;

	CHECK_EQ(acpi_aml_pkglength((const uint8_t[]){ 0x3f }, 1, &len, &enc), STATUS_OK);
	CHECK_EQ(len, 0x3f);
	CHECK_EQ(enc, 1);
	CHECK_EQ(acpi_aml_pkglength((const uint8_t[]){ 0x4a, 0x12 }, 2, &len, &enc), STATUS_OK);
	CHECK_EQ(len, 0x12a);
	CHECK_EQ(enc, 2);
	CHECK_EQ(acpi_aml_pkglength((const uint8_t[]){ 0xcf, 0xff, 0xff, 0xff }, 4, &len, &enc),
		 STATUS_OK);
	CHECK_EQ(len, 0x0fffffffu);
	CHECK_EQ(enc, 4);
	CHECK_EQ(acpi_aml_pkglength((const uint8_t[]){ 0x8a, 0x12 }, 2, &len, &enc),
		 STATUS_BAD_FORMAT); /* truncated */
	CHECK_EQ(acpi_aml_pkglength((const uint8_t[]){ 0x5a, 0x12 }, 2, &len, &enc),
		 STATUS_BAD_FORMAT); /* reserved bits */
	CHECK_EQ(acpi_aml_pkglength(NULL, 0, &len, &enc), STATUS_BAD_FORMAT);
}

TEST(package_running_past_the_table_is_rejected)
{
	struct acpi_sleep_type s;
	size_t n = s5_with_pkglength(2, 0x40);

	fix_checksum(table, n - 1);
	CHECK_EQ(acpi_find_s5(table, n - 1, &s), STATUS_BAD_FORMAT);
	CHECK_EQ(s5(S5(0x08, '_', 'S', '5', '_', 0x12, 0x40), &s), STATUS_BAD_FORMAT);
	CHECK_EQ(s5(S5(0x08, '_', 'S', '5', '_', 0x12), &s), STATUS_BAD_FORMAT);
	CHECK_EQ(s5(S5(0x08, '_', 'S', '5', '_'), &s), STATUS_BAD_FORMAT);
	CHECK_EQ(s5(S5(0x08, '_', 'S', '5', '_', 0x12, 0x3f, 0x02, 0x00, 0x00), &s),
		 STATUS_BAD_FORMAT);
}

TEST(wrong_element_counts_are_rejected)
{
	struct acpi_sleep_type s;

	CHECK_EQ(s5(S5(0x08, '_', 'S', '5', '_', 0x12, 0x02, 0x00), &s), STATUS_BAD_FORMAT);
	/* four announced, one present: the second lies beyond the package */
	CHECK_EQ(s5(S5(0x08, '_', 'S', '5', '_', 0x12, 0x03, 0x04, 0x01, 0x00, 0x00), &s),
		 STATUS_BAD_FORMAT);
	/* a package too short for its own count byte */
	CHECK_EQ(s5(S5(0x08, '_', 'S', '5', '_', 0x12, 0x01, 0x04, 0x00, 0x00), &s),
		 STATUS_BAD_FORMAT);
	/* a byte constant cut by the package end */
	CHECK_EQ(s5(S5(0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x00, 0x0a, 0x03), &s),
		 STATUS_BAD_FORMAT);
}

TEST(out_of_range_and_non_constant_values)
{
	struct acpi_sleep_type s;

	CHECK_EQ(s5(S5(0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x02, 0x0a, 0x08, 0x0a, 0x00), &s),
		 STATUS_RANGE);
	CHECK_EQ(s5(S5(0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x00, 0xff), &s), STATUS_RANGE);
	CHECK_EQ(s5(S5(0x08, '_', 'S', '5', '_', 0x12, 0x07, 0x02, 'A', 'B', 'C', 'D', 0x00), &s),
		 STATUS_BAD_FORMAT); /* a name, not a constant */
	CHECK_EQ(s5(S5(0x08, '_', 'S', '5', '_', 0x0a, 0x05), &s), STATUS_BAD_FORMAT);
}

TEST(s5_not_named_or_absent_is_not_found)
{
	struct acpi_sleep_type s;

	CHECK_EQ(s5(S5(0x08, '_', 'S', '4', '_', 0x12, 0x04, 0x02, 0x00, 0x00), &s),
		 STATUS_NOT_FOUND);
	/* a reference to _S5_ (a method argument), not a definition */
	CHECK_EQ(s5(S5(0x70, '_', 'S', '5', '_', 0x60), &s), STATUS_NOT_FOUND);
	CHECK_EQ(s5(S5(0x00), &s), STATUS_NOT_FOUND);
}

TEST(a_later_good_definition_wins_over_a_broken_one)
{
	struct acpi_sleep_type s;

	CHECK_EQ(s5(S5(0x08, '_', 'S', '5', '_', 0x0a, 0x00, 0x08, '_', 'S', '5', '_', 0x12, 0x04,
		       0x02, 0x01, 0x01),
		    &s),
		 STATUS_OK);
	CHECK_EQ(s.slp_typ_a, 1);
	CHECK_EQ(s.slp_typ_b, 1);
}

TEST(s5_needs_a_valid_dsdt_or_ssdt_header)
{
	struct acpi_sleep_type s;
	size_t n = dsdt(S5(0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x01, 0x01));

	memcpy(table, "SSDT", 4);
	fix_checksum(table, n);
	CHECK_EQ(acpi_find_s5(table, n, &s), STATUS_OK);
	memcpy(table, "FACP", 4);
	fix_checksum(table, n);
	CHECK_EQ(acpi_find_s5(table, n, &s), STATUS_BAD_FORMAT);
	memcpy(table, "DSDT", 4);
	CHECK_EQ(acpi_find_s5(table, n, &s), STATUS_BAD_FORMAT); /* checksum */
	fix_checksum(table, n);
	CHECK_EQ(acpi_find_s5(table, n - 1, &s), STATUS_BAD_FORMAT); /* length */
	CHECK_EQ(acpi_find_s5(table, 10, &s), STATUS_BAD_FORMAT);
}

int main(void)
{
	RUN(q35_mcfg_maps_all_256_buses_at_0xb0000000);
	RUN(malformed_mcfg_entries_are_rejected);
	RUN(mcfg_with_more_allocations_than_fit_is_full);
	RUN(srat_of_the_numa_machine_places_each_cpu_in_its_node);
	RUN(srat_entries_that_overrun_or_are_short_are_rejected);
	RUN(srat_x2apic_entries_and_unknown_types);
	RUN(pc_fadt_is_acpi_1_with_io_port_blocks_and_no_reset_register);
	RUN(q35_fadt_has_the_0xcf9_reset_register_and_extended_blocks);
	RUN(fadt_without_dsdt_or_pm1a_or_too_short_is_rejected);
	RUN(recorded_dsdts_give_s5_sleep_types_zero);
	RUN(madt_of_each_machine_through_the_kernel_parser);
	RUN(byte_prefix_values_in_a_named_package);
	RUN(rooted_name_and_one_op_zero_op);
	RUN(word_dword_and_qword_constants);
	RUN(one_element_package_holds_a_and_b_in_two_bytes);
	RUN(pkglength_of_one_to_four_bytes);
	RUN(pkglength_decoding);
	RUN(package_running_past_the_table_is_rejected);
	RUN(wrong_element_counts_are_rejected);
	RUN(out_of_range_and_non_constant_values);
	RUN(s5_not_named_or_absent_is_not_found);
	RUN(a_later_good_definition_wins_over_a_broken_one);
	RUN(s5_needs_a_valid_dsdt_or_ssdt_header);
	return check_summary();
}
