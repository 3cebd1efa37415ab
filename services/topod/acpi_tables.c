/*
 * acpi_tables.c - bounds-checked MCFG, SRAT, FADT and \_S5_ decoding
 * (acpi_tables.h).
 *
 * Multi-byte fields are read a byte at a time (tables are packed and
 * unaligned), and only after the table's length has been checked to cover
 * them.
 */
#include "acpi_tables.h"

#define MCFG_ENTRIES_OFF 44u
#define MCFG_ENTRY_LEN 16u
#define SRAT_ENTRIES_OFF 48u

#define FADT_MIN_LEN 116u   /* ACPI 1.0: through Flags */
#define FADT_RESET_END 129u /* through RESET_VALUE */
#define FADT_X_DSDT_END 148u
#define FADT_X_PM1_END 196u /* through X_PM1b_CNT_BLK */

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

status_t acpi_table_check(const uint8_t *t, size_t len, const char *sig, uint32_t *table_len)
{
	uint32_t n;
	uint8_t sum = 0;

	if (!t || len < ACPI_HEADER_LEN)
		return STATUS_BAD_FORMAT;
	for (int i = 0; i < 4; i++)
		if (t[i] != (uint8_t)sig[i])
			return STATUS_BAD_FORMAT;
	n = le32(t + 4);
	if (n < ACPI_HEADER_LEN || n > len)
		return STATUS_BAD_FORMAT;
	for (uint32_t i = 0; i < n; i++)
		sum = (uint8_t)(sum + t[i]);
	if (sum)
		return STATUS_BAD_FORMAT;
	*table_len = n;
	return STATUS_OK;
}

/* ---- MCFG ----------------------------------------------------------------- */

status_t acpi_parse_mcfg(const uint8_t *t, size_t len, struct acpi_mcfg *out)
{
	uint32_t n;
	status_t st = acpi_table_check(t, len, "MCFG", &n);

	out->count = 0;
	if (st)
		return st;
	if (n < MCFG_ENTRIES_OFF || (n - MCFG_ENTRIES_OFF) % MCFG_ENTRY_LEN)
		return STATUS_BAD_FORMAT;
	for (uint32_t off = MCFG_ENTRIES_OFF; off < n; off += MCFG_ENTRY_LEN) {
		struct acpi_mcfg_entry e = {
			.base = le64(t + off),
			.segment = le16(t + off + 8),
			.bus_start = t[off + 10],
			.bus_end = t[off + 11],
		};

		if (e.bus_end < e.bus_start || !e.base || (e.base & 0xfffff))
			return STATUS_BAD_FORMAT;
		if (out->count >= ACPI_MAX_MCFG)
			return STATUS_FULL;
		out->entries[out->count++] = e;
	}
	return STATUS_OK;
}

/* ---- SRAT ----------------------------------------------------------------- */

enum srat_type { SRAT_LAPIC = 0, SRAT_MEMORY = 1, SRAT_X2APIC = 2 };

static const uint8_t srat_min_len[] = {
	[SRAT_LAPIC] = 16,
	[SRAT_MEMORY] = 40,
	[SRAT_X2APIC] = 24,
};

static void srat_cpu(struct acpi_srat *out, uint32_t apic_id, uint32_t domain, uint32_t flags,
		     bool x2apic)
{
	if (!(flags & 1)) {
		out->disabled++;
		return;
	}
	if (out->cpu_count >= ACPI_MAX_SRAT_CPUS) {
		out->dropped++;
		return;
	}
	out->cpus[out->cpu_count++] = (struct acpi_srat_cpu){ .apic_id = apic_id,
							      .domain = domain,
							      .x2apic = x2apic };
}

static void srat_mem(struct acpi_srat *out, const uint8_t *e)
{
	uint32_t flags = le32(e + 28);

	if (!(flags & 1)) {
		out->disabled++;
		return;
	}
	if (out->mem_count >= ACPI_MAX_SRAT_MEM) {
		out->dropped++;
		return;
	}
	out->mem[out->mem_count++] = (struct acpi_srat_mem){
		.base = le64(e + 8),
		.length = le64(e + 16),
		.domain = le32(e + 2),
		.hotplug = (flags & 2) != 0,
		.nonvolatile = (flags & 4) != 0,
	};
}

static void srat_entry(struct acpi_srat *out, const uint8_t *e)
{
	uint32_t domain;

	switch (e[0]) {
	case SRAT_LAPIC:
		domain = e[2] | (uint32_t)e[9] << 8 | (uint32_t)e[10] << 16 | (uint32_t)e[11] << 24;
		srat_cpu(out, e[3], domain, le32(e + 4), false);
		break;
	case SRAT_MEMORY:
		srat_mem(out, e);
		break;
	case SRAT_X2APIC:
		srat_cpu(out, le32(e + 8), le32(e + 4), le32(e + 12), true);
		break;
	}
}

status_t acpi_parse_srat(const uint8_t *t, size_t len, struct acpi_srat *out)
{
	uint32_t n;
	status_t st = acpi_table_check(t, len, "SRAT", &n);

	out->cpu_count = out->mem_count = out->disabled = out->dropped = 0;
	if (st)
		return st;
	if (n < SRAT_ENTRIES_OFF)
		return STATUS_BAD_FORMAT;
	for (uint32_t off = SRAT_ENTRIES_OFF; off < n;) {
		const uint8_t *e = t + off;
		uint8_t elen;

		if (n - off < 2)
			return STATUS_BAD_FORMAT;
		elen = e[1];
		if (elen < 2 || elen > n - off)
			return STATUS_BAD_FORMAT;
		if (e[0] < sizeof srat_min_len && elen < srat_min_len[e[0]])
			return STATUS_BAD_FORMAT;
		srat_entry(out, e);
		off += elen;
	}
	return STATUS_OK;
}

int64_t acpi_srat_cpu_domain(const struct acpi_srat *s, uint32_t apic_id)
{
	for (uint32_t i = 0; i < s->cpu_count; i++)
		if (s->cpus[i].apic_id == apic_id)
			return s->cpus[i].domain;
	return -1;
}

/* ---- FADT ----------------------------------------------------------------- */

static struct acpi_gas gas_at(const uint8_t *p)
{
	return (struct acpi_gas){
		.space = p[0],
		.bit_width = p[1],
		.bit_offset = p[2],
		.access_size = p[3],
		.address = le64(p + 4),
	};
}

/* The block at X_ offset xoff if the table holds it with an address, else
 * the 32-bit I/O port at off with len bytes. */
static struct acpi_gas pm_block(const uint8_t *t, uint32_t n, uint32_t off, uint8_t len,
				uint32_t xoff)
{
	if (n >= xoff + 12) {
		struct acpi_gas g = gas_at(t + xoff);

		if (g.address)
			return g;
	}
	return (struct acpi_gas){
		.space = ACPI_SPACE_IO,
		.bit_width = (uint8_t)(len * 8),
		.address = le32(t + off),
	};
}

static bool reset_usable(const struct acpi_gas *g)
{
	return g->address && g->bit_width == 8 && g->bit_offset == 0 &&
	       (g->space == ACPI_SPACE_MEMORY || g->space == ACPI_SPACE_IO ||
		g->space == ACPI_SPACE_PCI_CONFIG);
}

status_t acpi_parse_fadt(const uint8_t *t, size_t len, struct acpi_fadt *f)
{
	uint32_t n;
	status_t st = acpi_table_check(t, len, "FACP", &n);

	*f = (struct acpi_fadt){ 0 };
	if (st)
		return st;
	if (n < FADT_MIN_LEN)
		return STATUS_BAD_FORMAT;
	f->revision = t[8];
	f->flags = le32(t + 112);
	f->sci_irq = le16(t + 46);
	f->smi_cmd = le32(t + 48);
	f->acpi_enable = t[52];
	f->acpi_disable = t[53];
	f->century = t[108];
	f->dsdt = le32(t + 40);
	if (n >= FADT_X_DSDT_END && le64(t + 140))
		f->dsdt = le64(t + 140);
	f->pm1a_evt = pm_block(t, n, 56, t[88], 148);
	f->pm1b_evt = pm_block(t, n, 60, t[88], 160);
	f->pm1a_cnt = pm_block(t, n, 64, t[89], 172);
	f->pm1b_cnt = pm_block(t, n, 68, t[89], 184);
	if (n >= FADT_RESET_END) {
		f->reset_reg = gas_at(t + 116);
		f->reset_value = t[128];
		f->reset_supported = (f->flags & ACPI_FADT_RESET_REG_SUP) &&
				     reset_usable(&f->reset_reg);
	}
	if (!f->dsdt || !f->pm1a_cnt.address)
		return STATUS_BAD_FORMAT;
	return STATUS_OK;
}

/* ---- \_S5_ ---------------------------------------------------------------- */

#define AML_ZERO 0x00
#define AML_ONE 0x01
#define AML_NAME 0x08
#define AML_BYTE 0x0a
#define AML_WORD 0x0b
#define AML_DWORD 0x0c
#define AML_QWORD 0x0e
#define AML_PACKAGE 0x12
#define AML_ONES 0xff
#define AML_ROOT '\\'

status_t acpi_aml_pkglength(const uint8_t *p, size_t avail, uint32_t *pkg_len, uint32_t *enc_len)
{
	uint32_t follow, v;

	if (avail < 1)
		return STATUS_BAD_FORMAT;
	follow = p[0] >> 6;
	if (avail < 1 + follow)
		return STATUS_BAD_FORMAT;
	if (!follow) {
		v = p[0] & 0x3f;
	} else {
		if (p[0] & 0x30)
			return STATUS_BAD_FORMAT;
		v = p[0] & 0x0f;
		for (uint32_t i = 1; i <= follow; i++)
			v |= (uint32_t)p[i] << (4 + 8 * (i - 1));
	}
	*pkg_len = v;
	*enc_len = 1 + follow;
	return STATUS_OK;
}

/* Decodes one integer constant at p[*at], p[end) being readable, and
 * advances *at past it. */
static status_t aml_integer(const uint8_t *p, uint32_t *at, uint32_t end, uint64_t *val)
{
	static const uint8_t size_of[] = {
		[AML_BYTE] = 1, [AML_WORD] = 2, [AML_DWORD] = 4, [AML_QWORD] = 8
	};
	uint8_t op, n;

	if (*at >= end)
		return STATUS_BAD_FORMAT;
	op = p[(*at)++];
	if (op == AML_ZERO || op == AML_ONE || op == AML_ONES) {
		*val = op == AML_ONES ? UINT64_MAX : op;
		return STATUS_OK;
	}
	n = op < sizeof size_of ? size_of[op] : 0;
	if (!n || end - *at < n)
		return STATUS_BAD_FORMAT;
	*val = 0;
	for (uint8_t i = 0; i < n; i++)
		*val |= (uint64_t)p[*at + i] << (8 * i);
	*at += n;
	return STATUS_OK;
}

static status_t s5_values(uint64_t a, uint64_t b, struct acpi_sleep_type *out)
{
	if (a > 7 || b > 7)
		return STATUS_RANGE;
	out->slp_typ_a = (uint8_t)a;
	out->slp_typ_b = (uint8_t)b;
	return STATUS_OK;
}

/* Decodes the package that should follow the name at t[at), t[n) being
 * the table's end. */
static status_t s5_package(const uint8_t *t, uint32_t at, uint32_t n, struct acpi_sleep_type *out)
{
	uint32_t pkg_len, enc, end, count;
	uint64_t a, b = 0;
	status_t st;

	if (at >= n || t[at] != AML_PACKAGE)
		return STATUS_BAD_FORMAT;
	at++;
	st = acpi_aml_pkglength(t + at, n - at, &pkg_len, &enc);
	if (st || pkg_len < enc + 1 || pkg_len > n - at)
		return STATUS_BAD_FORMAT;
	end = at + pkg_len;
	at += enc;
	count = t[at++];
	if (count == 0)
		return STATUS_BAD_FORMAT;
	if ((st = aml_integer(t, &at, end, &a)))
		return st;
	if (count == 1)
		return a > 0xffff ? STATUS_RANGE : s5_values(a & 0xff, a >> 8, out);
	if ((st = aml_integer(t, &at, end, &b)))
		return st;
	return s5_values(a, b, out);
}

/* True when t[i) starts "_S5_" named by a NameOp, optionally rooted. */
static bool s5_name_at(const uint8_t *t, uint32_t i)
{
	if (t[i] != '_' || t[i + 1] != 'S' || t[i + 2] != '5' || t[i + 3] != '_')
		return false;
	if (t[i - 1] == AML_NAME)
		return true;
	return t[i - 1] == AML_ROOT && i >= ACPI_HEADER_LEN + 2 && t[i - 2] == AML_NAME;
}

status_t acpi_find_s5(const uint8_t *t, size_t len, struct acpi_sleep_type *out)
{
	uint32_t n;
	status_t first = STATUS_NOT_FOUND;

	if (acpi_table_check(t, len, "DSDT", &n) && acpi_table_check(t, len, "SSDT", &n))
		return STATUS_BAD_FORMAT;
	for (uint32_t i = ACPI_HEADER_LEN + 1; n >= 4 && i <= n - 4; i++) {
		status_t st;

		if (!s5_name_at(t, i))
			continue;
		st = s5_package(t, i + 4, n, out);
		if (st == STATUS_OK)
			return STATUS_OK;
		if (first == STATUS_NOT_FOUND)
			first = st;
	}
	return first;
}
