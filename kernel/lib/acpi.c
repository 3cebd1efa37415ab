/*
 * acpi.c - bounds-checked RSDP, XSDT/RSDT and MADT decoding (see acpi.h).
 *
 * All multi-byte fields are read a byte at a time: ACPI tables are packed
 * and firmware places them at arbitrary alignment.
 */
#include "lib/acpi.h"
#include "lib/le.h"

#define RSDP_V1_LEN 20u
#define RSDP_V2_LEN 36u
#define SDT_HEADER_LEN 36u
#define MADT_ENTRIES_OFF 44u /* header, local APIC address, flags */
#define FADT_PM_TMR_BLK_OFF 76u
#define FADT_FLAGS_OFF 112u
#define FADT_TMR_VAL_EXT (1u << 8) /* the PM timer counts 32 bits, not 24 */

enum madt_type {
	MADT_LAPIC = 0,
	MADT_IOAPIC = 1,
	MADT_OVERRIDE = 2,
	MADT_LAPIC_NMI = 4,
	MADT_LAPIC_ADDR = 5,
	MADT_X2APIC = 9,
	MADT_X2APIC_NMI = 10,
};

/*
 * Shortest valid length of each entry type this file decodes; 0 for the
 * types it skips. Longer entries are accepted (later ACPI revisions may
 * append fields) and only the known prefix is read.
 */
static const uint8_t entry_min_len[] = {
	[MADT_LAPIC] = 8,       [MADT_IOAPIC] = 12, [MADT_OVERRIDE] = 10,   [MADT_LAPIC_NMI] = 6,
	[MADT_LAPIC_ADDR] = 12, [MADT_X2APIC] = 16, [MADT_X2APIC_NMI] = 12,
};

/* Processor flags shared by the local APIC and local x2APIC entries. */
#define CPU_ENABLED 0x1u
#define CPU_ONLINE_CAPABLE 0x2u

static bool sig_eq(const uint8_t *p, const char *sig, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (uint8_t)sig[i])
			return false;
	return true;
}

/* Returns true if the n bytes at p sum to zero modulo 256, as every ACPI
 * checksum requires. */
static bool checksum_ok(const uint8_t *p, size_t n)
{
	uint8_t sum = 0;

	for (size_t i = 0; i < n; i++)
		sum = (uint8_t)(sum + p[i]);
	return sum == 0;
}

/* Maps [phys, phys + len) through the caller, refusing ranges that would
 * wrap past 2^64 so that no callback has to get that right. */
static const uint8_t *map_range(acpi_map_fn map, void *ctx, uint64_t phys, size_t len)
{
	if ((uint64_t)len > UINT64_MAX - phys)
		return NULL;
	return map(ctx, phys, len);
}

/*
 * Validates the RSDP and stores the root table's physical address in *root
 * and its entry size in *esize: the XSDT (8) when revision >= 2 provides
 * one, else the RSDT (4).
 */
static status_t check_rsdp(const uint8_t *r, size_t n, uint64_t *root, uint32_t *esize)
{
	if (!r || n < RSDP_V1_LEN || !sig_eq(r, "RSD PTR ", 8) || !checksum_ok(r, RSDP_V1_LEN))
		return STATUS_BAD_FORMAT;
	*root = rd32(r + 16);
	*esize = 4;
	if (r[15] >= 2) {
		if (n < RSDP_V2_LEN)
			return STATUS_BAD_FORMAT;
		uint32_t len = rd32(r + 20);
		if (len < RSDP_V2_LEN || len > n || !checksum_ok(r, len))
			return STATUS_BAD_FORMAT;
		uint64_t xsdt = rd64(r + 24);
		if (xsdt) {
			*root = xsdt;
			*esize = 8;
		}
	}
	return *root ? STATUS_OK : STATUS_BAD_FORMAT;
}

/*
 * Maps the whole table at phys and checks its signature, its length against
 * min_len and its checksum; on success sets *out and *len_out. Returns
 * STATUS_BAD_ADDRESS if any of it cannot be mapped.
 */
static status_t map_table(acpi_map_fn map, void *ctx, uint64_t phys, const char *sig,
			  uint32_t min_len, const uint8_t **out, uint32_t *len_out)
{
	const uint8_t *h = map_range(map, ctx, phys, SDT_HEADER_LEN);
	if (!h)
		return STATUS_BAD_ADDRESS;
	uint32_t len = rd32(h + 4);
	if (!sig_eq(h, sig, 4) || len < min_len)
		return STATUS_BAD_FORMAT;
	const uint8_t *t = map_range(map, ctx, phys, len);
	if (!t)
		return STATUS_BAD_ADDRESS;
	if (!checksum_ok(t, len))
		return STATUS_BAD_FORMAT;
	*out = t;
	*len_out = len;
	return STATUS_OK;
}

/*
 * Looks through the root table's entries for a valid MADT. Null entries are
 * unused slots. A table that cannot be mapped is passed over but remembered,
 * so that "not found" is only claimed when every listed table was seen.
 */
static status_t scan_root(const uint8_t *rt, uint32_t rlen, uint32_t esize, acpi_map_fn map,
			  void *ctx, const char *sig, uint32_t min_len, const uint8_t **table,
			  uint32_t *table_len)
{
	status_t miss = STATUS_NOT_FOUND;

	/* (rlen - 36) % esize == 0, so every entry lies inside the table. */
	for (uint32_t off = SDT_HEADER_LEN; off < rlen; off += esize) {
		uint64_t phys = esize == 8 ? rd64(rt + off) : rd32(rt + off);
		if (!phys)
			continue;
		const uint8_t *h = map_range(map, ctx, phys, SDT_HEADER_LEN);
		if (!h) {
			if (miss == STATUS_NOT_FOUND)
				miss = STATUS_BAD_ADDRESS;
			continue;
		}
		if (!sig_eq(h, sig, 4))
			continue;
		status_t st = map_table(map, ctx, phys, sig, min_len, table, table_len);
		if (st == STATUS_OK)
			return STATUS_OK;
		miss = st;
	}
	return miss;
}

/* acpi_find_madt for any table sig of at least min_len bytes. */
static status_t find_table(const void *rsdp, size_t rsdp_len, acpi_map_fn map, void *ctx,
			   const char *sig, uint32_t min_len, const uint8_t **table,
			   uint32_t *table_len)
{
	uint64_t root;
	uint32_t esize, rlen;
	const uint8_t *rt;

	*table = NULL;
	*table_len = 0;
	status_t st = check_rsdp(rsdp, rsdp_len, &root, &esize);
	if (st)
		return st;
	st = map_table(map, ctx, root, esize == 8 ? "XSDT" : "RSDT", SDT_HEADER_LEN, &rt, &rlen);
	if (st)
		return st;
	if ((rlen - SDT_HEADER_LEN) % esize)
		return STATUS_BAD_FORMAT;
	return scan_root(rt, rlen, esize, map, ctx, sig, min_len, table, table_len);
}

status_t acpi_find_madt(const void *rsdp, size_t rsdp_len, acpi_map_fn map, void *ctx,
			const uint8_t **madt, uint32_t *madt_len)
{
	return find_table(rsdp, rsdp_len, map, ctx, "APIC", MADT_ENTRIES_OFF, madt, madt_len);
}

status_t acpi_find_pm_timer(const void *rsdp, size_t rsdp_len, acpi_map_fn map, void *ctx,
			    struct acpi_pm_timer *out)
{
	const uint8_t *fadt;
	uint32_t len;
	out->port = 0;
	out->bits = 0;
	status_t st = find_table(rsdp, rsdp_len, map, ctx, "FACP", FADT_FLAGS_OFF + 4, &fadt, &len);
	if (st)
		return st;
	uint32_t port = rd32(fadt + FADT_PM_TMR_BLK_OFF);
	if (port == 0 || port > 0xfffc)
		return STATUS_NOT_FOUND;
	out->port = (uint16_t)port;
	out->bits = rd32(fadt + FADT_FLAGS_OFF) & FADT_TMR_VAL_EXT ? 32 : 24;
	return STATUS_OK;
}

/*
 * Records a processor entry. Disabled processors that cannot be brought
 * online are only counted. CPUs beyond ACPI_MAX_CPUS are counted in
 * cpus_dropped rather than failing the parse: a machine with more CPUs than
 * this kernel supports should still boot on the first ACPI_MAX_CPUS, which
 * begin with the boot processor. A repeated APIC id (some firmware lists a
 * CPU as both xAPIC and x2APIC) is counted, never started twice.
 */
static void add_cpu(struct acpi_madt_info *out, uint32_t apic_id, uint32_t uid, uint32_t flags,
		    bool x2apic)
{
	if (!(flags & (CPU_ENABLED | CPU_ONLINE_CAPABLE))) {
		out->cpus_disabled++;
		return;
	}
	for (uint32_t i = 0; i < out->cpu_count; i++) {
		if (out->cpus[i].apic_id == apic_id) {
			out->cpus_duplicate++;
			return;
		}
	}
	if (out->cpu_count == ACPI_MAX_CPUS) {
		out->cpus_dropped++;
		return;
	}
	struct acpi_cpu *c = &out->cpus[out->cpu_count++];
	c->apic_id = apic_id;
	c->acpi_uid = uid;
	c->enabled = flags & CPU_ENABLED;
	/* ACPI reserves online-capable when enabled is set; ignore it then. */
	c->online_capable = !c->enabled && (flags & CPU_ONLINE_CAPABLE);
	c->x2apic = x2apic;
}

/*
 * IO APICs and overrides beyond capacity are an error, not dropped: losing
 * either would silently misroute interrupts. Raise the limits instead.
 */
static status_t add_ioapic(const uint8_t *e, struct acpi_madt_info *out)
{
	if (out->ioapic_count == ACPI_MAX_IOAPICS)
		return STATUS_FULL;
	struct acpi_ioapic *io = &out->ioapics[out->ioapic_count++];
	io->id = e[2];
	io->addr = rd32(e + 4);
	io->gsi_base = rd32(e + 8);
	return STATUS_OK;
}

static status_t add_override(const uint8_t *e, struct acpi_madt_info *out)
{
	if (out->override_count == ACPI_MAX_OVERRIDES)
		return STATUS_FULL;
	struct acpi_override *o = &out->overrides[out->override_count++];
	o->bus = e[2];
	o->source = e[3];
	o->gsi = rd32(e + 4);
	o->flags = rd16(e + 8);
	return STATUS_OK;
}

/* Records an NMI wiring; surplus entries are counted, as they only affect
 * the NMI watchdog, not whether a CPU can run. */
static void add_nmi(struct acpi_madt_info *out, uint32_t uid, uint16_t flags, uint8_t lint)
{
	if (out->nmi_count == ACPI_MAX_NMIS) {
		out->nmis_dropped++;
		return;
	}
	struct acpi_lapic_nmi *n = &out->nmis[out->nmi_count++];
	n->acpi_uid = uid;
	n->flags = flags;
	n->lint = lint;
}

/* Decodes one entry e of n bytes, n already checked against the table. */
static status_t parse_entry(const uint8_t *e, uint8_t n, struct acpi_madt_info *out)
{
	uint8_t type = e[0];

	if (type < sizeof entry_min_len && n < entry_min_len[type])
		return STATUS_BAD_FORMAT;
	switch (type) {
	case MADT_LAPIC:
		add_cpu(out, e[3], e[2], rd32(e + 4), false);
		return STATUS_OK;
	case MADT_X2APIC:
		add_cpu(out, rd32(e + 4), rd32(e + 12), rd32(e + 8), true);
		return STATUS_OK;
	case MADT_IOAPIC:
		return add_ioapic(e, out);
	case MADT_OVERRIDE:
		return add_override(e, out);
	case MADT_LAPIC_NMI:
		add_nmi(out, e[2] == 0xff ? ACPI_NMI_ALL_CPUS : e[2], rd16(e + 3), e[5]);
		return STATUS_OK;
	case MADT_X2APIC_NMI:
		add_nmi(out, rd32(e + 4), rd16(e + 2), e[8]);
		return STATUS_OK;
	case MADT_LAPIC_ADDR:
		/* ACPI allows one; should there be more, the last wins. */
		out->lapic_addr = rd64(e + 4);
		out->lapic_addr_overridden = true;
		return STATUS_OK;
	default:
		return STATUS_OK;
	}
}

/* Clears the counters and scalars; arrays are valid only up to a count,
 * so they are left alone (and no memset is needed). */
static void madt_info_reset(struct acpi_madt_info *out)
{
	out->lapic_addr = 0;
	out->lapic_addr_overridden = false;
	out->flags = 0;
	out->cpu_count = 0;
	out->cpus_disabled = 0;
	out->cpus_dropped = 0;
	out->cpus_duplicate = 0;
	out->ioapic_count = 0;
	out->override_count = 0;
	out->nmi_count = 0;
	out->nmis_dropped = 0;
}

status_t acpi_parse_madt(const uint8_t *madt, uint32_t len, struct acpi_madt_info *out)
{
	madt_info_reset(out);
	if (!madt || len < MADT_ENTRIES_OFF || !sig_eq(madt, "APIC", 4))
		return STATUS_BAD_FORMAT;
	uint32_t total = rd32(madt + 4);
	if (total < MADT_ENTRIES_OFF || total > len || !checksum_ok(madt, total))
		return STATUS_BAD_FORMAT;
	out->lapic_addr = rd32(madt + 36); /* a type 5 entry may replace it */
	out->flags = rd32(madt + 40);

	/* off + n <= total is checked before every step, so off never wraps. */
	for (uint32_t off = MADT_ENTRIES_OFF; off < total;) {
		const uint8_t *e = madt + off;
		if (total - off < 2 || e[1] < 2 || e[1] > total - off)
			return STATUS_BAD_FORMAT;
		status_t st = parse_entry(e, e[1], out);
		if (st)
			return st;
		off += e[1];
	}
	return STATUS_OK;
}

uint32_t acpi_irq_to_gsi(const struct acpi_madt_info *mi, uint8_t isa_irq, uint16_t *flags_out)
{
	for (uint32_t i = 0; i < mi->override_count; i++) {
		const struct acpi_override *o = &mi->overrides[i];
		if (o->bus == 0 && o->source == isa_irq) {
			if (flags_out)
				*flags_out = o->flags;
			return o->gsi;
		}
	}
	if (flags_out)
		*flags_out = 0;
	return isa_irq;
}
