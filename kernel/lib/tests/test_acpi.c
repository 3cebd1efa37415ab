/* Host tests for the ACPI table walker and MADT decoder. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "lib/acpi.h"

/* Fake physical memory [MEM_BASE, MEM_BASE + MEM_SIZE) and its tables. */
#define MEM_BASE 0x7fe0000ull
#define MEM_SIZE 0x2000u
#define XSDT_OFF 0x000u
#define RSDT_OFF 0x100u
#define FACP_OFF 0x200u
#define HPET_OFF 0x300u
#define MADT_OFF 0x400u
#define MADT_MAX 0x800u
#define PHYS(off) (MEM_BASE + (off))
#define RSDP_BUF 40u

/*
 * The machine under test. fake_map() hands out a fresh heap copy of exactly
 * the bytes asked for, so under ASan a read past what the code mapped is
 * caught even where the fake memory itself continues.
 */
struct fake {
	uint8_t mem[MEM_SIZE];
	uint8_t rsdp[RSDP_BUF];
	void **blocks;
	size_t nblocks;
	int failed_maps;
	int wrapping_maps; /* requests a naive callback could get wrong */
};

struct madt_builder {
	uint8_t *p;
	uint32_t len;
};

static void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

/* Stores at p[at] the byte that makes the n bytes at p sum to zero. */
static void fix_sum(uint8_t *p, size_t n, size_t at)
{
	uint8_t sum = 0;
	p[at] = 0;
	for (size_t i = 0; i < n; i++)
		sum = (uint8_t)(sum + p[i]);
	p[at] = (uint8_t)-sum;
}

static void sdt_fix(uint8_t *t)
{
	fix_sum(t, get32(t + 4), 9);
}

/* Fixes both RSDP checksums, the extended one only if its length fits. */
static void rsdp_fix(uint8_t *r)
{
	fix_sum(r, 20, 8);
	if (r[15] >= 2 && get32(r + 20) >= 33 && get32(r + 20) <= RSDP_BUF)
		fix_sum(r, get32(r + 20), 32);
}

static void sdt_begin(uint8_t *t, const char *sig, uint32_t len)
{
	memcpy(t, sig, 4);
	put32(t + 4, len);
	t[8] = 1;
	memcpy(t + 10, "KEELFW", 6);
	memcpy(t + 16, "FAKEMACH", 8);
	put32(t + 24, 1);
}

/* Writes a root table at off listing n addresses of esize bytes each. */
static void root_table(struct fake *f, uint32_t off, const char *sig, uint32_t esize,
		       const uint64_t *addrs, uint32_t n)
{
	uint8_t *t = f->mem + off;
	sdt_begin(t, sig, 36 + n * esize);
	for (uint32_t i = 0; i < n; i++) {
		if (esize == 8)
			put64(t + 36 + i * 8, addrs[i]);
		else
			put32(t + 36 + i * 4, (uint32_t)addrs[i]);
	}
	sdt_fix(t);
}

static void madt_begin(struct madt_builder *m, uint8_t *p, uint32_t lapic, uint32_t flags)
{
	m->p = p;
	m->len = 44;
	sdt_begin(p, "APIC", 44);
	put32(p + 36, lapic);
	put32(p + 40, flags);
}

static uint8_t *madt_entry(struct madt_builder *m, uint8_t type, uint8_t len)
{
	uint8_t *e = m->p + m->len;
	memset(e, 0, len);
	e[0] = type;
	e[1] = len;
	m->len += len;
	return e;
}

static uint32_t madt_finish(struct madt_builder *m)
{
	put32(m->p + 4, m->len);
	sdt_fix(m->p);
	return m->len;
}

static void e_lapic(struct madt_builder *m, uint8_t uid, uint8_t id, uint32_t flags)
{
	uint8_t *e = madt_entry(m, 0, 8);
	e[2] = uid;
	e[3] = id;
	put32(e + 4, flags);
}

static void e_ioapic(struct madt_builder *m, uint8_t id, uint32_t addr, uint32_t gsi)
{
	uint8_t *e = madt_entry(m, 1, 12);
	e[2] = id;
	put32(e + 4, addr);
	put32(e + 8, gsi);
}

static void e_override(struct madt_builder *m, uint8_t src, uint32_t gsi, uint16_t flags)
{
	uint8_t *e = madt_entry(m, 2, 10);
	e[3] = src;
	put32(e + 4, gsi);
	put16(e + 8, flags);
}

static void e_nmi(struct madt_builder *m, uint8_t uid, uint16_t flags, uint8_t lint)
{
	uint8_t *e = madt_entry(m, 4, 6);
	e[2] = uid;
	put16(e + 3, flags);
	e[5] = lint;
}

static void e_x2apic(struct madt_builder *m, uint32_t id, uint32_t flags, uint32_t uid)
{
	uint8_t *e = madt_entry(m, 9, 16);
	put32(e + 4, id);
	put32(e + 8, flags);
	put32(e + 12, uid);
}

/* A QEMU-like MADT: 4 CPUs (uid 2 disabled), one IO APIC, IRQ0 -> GSI2,
 * IRQ9 level/active-low, LINT1 NMI on all CPUs, one unknown entry. */
static uint32_t standard_madt(uint8_t *p)
{
	struct madt_builder m;
	madt_begin(&m, p, 0xfee00000, ACPI_MADT_PCAT_COMPAT);
	e_lapic(&m, 0, 0, 1);
	e_lapic(&m, 1, 1, 1);
	e_lapic(&m, 2, 2, 0);
	e_lapic(&m, 3, 4, 1);
	e_ioapic(&m, 0, 0xfec00000, 0);
	e_override(&m, 0, 2, 0);
	e_override(&m, 9, 9, ACPI_INTI_TRIGGER_LEVEL | ACPI_INTI_POLARITY_LOW);
	e_nmi(&m, 0xff, 0, 1);
	madt_entry(&m, 0x7f, 6);
	return madt_finish(&m);
}

/* Builds the whole machine: RSDP (revision rev) -> XSDT and RSDT, each
 * listing FACP, HPET and the standard MADT. */
static void build(struct fake *f, uint8_t rev)
{
	memset(f, 0, sizeof *f);
	uint64_t addrs[3] = { PHYS(FACP_OFF), PHYS(HPET_OFF), PHYS(MADT_OFF) };
	sdt_begin(f->mem + FACP_OFF, "FACP", 116);
	sdt_fix(f->mem + FACP_OFF);
	sdt_begin(f->mem + HPET_OFF, "HPET", 56);
	sdt_fix(f->mem + HPET_OFF);
	standard_madt(f->mem + MADT_OFF);
	root_table(f, XSDT_OFF, "XSDT", 8, addrs, 3);
	root_table(f, RSDT_OFF, "RSDT", 4, addrs, 3);
	memcpy(f->rsdp, "RSD PTR ", 8);
	memcpy(f->rsdp + 9, "KEELFW", 6);
	f->rsdp[15] = rev;
	put32(f->rsdp + 16, (uint32_t)PHYS(RSDT_OFF));
	put32(f->rsdp + 20, 36);
	put64(f->rsdp + 24, rev >= 2 ? PHYS(XSDT_OFF) : 0);
	rsdp_fix(f->rsdp);
}

static const void *fake_map(void *ctx, uint64_t phys, size_t len)
{
	struct fake *f = ctx;
	if (len > UINT64_MAX - phys)
		f->wrapping_maps++;
	if (phys < MEM_BASE || phys - MEM_BASE > MEM_SIZE || len > MEM_SIZE - (phys - MEM_BASE)) {
		f->failed_maps++;
		return NULL;
	}
	uint8_t *b = malloc(len ? len : 1);
	void **bl = realloc(f->blocks, (f->nblocks + 1) * sizeof *bl);
	if (!b || !bl)
		abort();
	memcpy(b, f->mem + (phys - MEM_BASE), len);
	f->blocks = bl;
	f->blocks[f->nblocks++] = b;
	return b;
}

/* Frees every mapping handed out; pointers from find() die with them. */
static void fake_release(struct fake *f)
{
	for (size_t i = 0; i < f->nblocks; i++)
		free(f->blocks[i]);
	free(f->blocks);
	f->blocks = NULL;
	f->nblocks = 0;
}

/* Runs acpi_find_madt() on an exact-size heap copy of the RSDP. */
static status_t find(struct fake *f, size_t rsdp_len, const uint8_t **madt, uint32_t *len)
{
	uint8_t *r = malloc(rsdp_len ? rsdp_len : 1);
	memcpy(r, f->rsdp, rsdp_len);
	status_t st = acpi_find_madt(r, rsdp_len, fake_map, f, madt, len);
	free(r);
	return st;
}

/* Runs acpi_parse_madt() on an exact-size heap copy of the len bytes. */
static status_t parse(const uint8_t *p, uint32_t len, struct acpi_madt_info *mi)
{
	uint8_t *c = malloc(len ? len : 1);
	memcpy(c, p, len);
	status_t st = acpi_parse_madt(c, len, mi);
	free(c);
	return st;
}

/* Returns true if find() yields exactly the standard MADT. */
static bool finds_standard_madt(struct fake *f, size_t rsdp_len)
{
	const uint8_t *madt;
	uint32_t len;
	bool ok = find(f, rsdp_len, &madt, &len) == STATUS_OK &&
		  len == get32(f->mem + MADT_OFF + 4) && memcmp(madt, f->mem + MADT_OFF, len) == 0;
	fake_release(f);
	return ok;
}

static status_t find_status(struct fake *f, size_t rsdp_len)
{
	const uint8_t *madt = (const uint8_t *)1;
	uint32_t len = 1;
	status_t st = find(f, rsdp_len, &madt, &len);
	fake_release(f);
	if (st && (madt || len))
		return STATUS_INVALID; /* outputs must be cleared on failure */
	return st;
}

TEST(finds_madt_through_xsdt_not_rsdt)
{
	struct fake f;
	build(&f, 2);
	f.mem[RSDT_OFF + 9] ^= 1; /* the RSDT is never looked at */
	CHECK(finds_standard_madt(&f, 36));
	f.mem[RSDT_OFF + 9] ^= 1;
	put64(f.mem + XSDT_OFF + 36 + 16, 0); /* XSDT drops the MADT */
	sdt_fix(f.mem + XSDT_OFF);
	CHECK_EQ(find_status(&f, 36), STATUS_NOT_FOUND);
}

TEST(finds_madt_through_rsdt)
{
	struct fake f;
	build(&f, 0);
	f.mem[XSDT_OFF + 9] ^= 1;
	CHECK(finds_standard_madt(&f, 20));
	/* Revision 2 without an XSDT address also uses the RSDT. */
	build(&f, 2);
	put64(f.rsdp + 24, 0);
	rsdp_fix(f.rsdp);
	f.mem[XSDT_OFF + 9] ^= 1;
	CHECK(finds_standard_madt(&f, 36));
}

TEST(broken_xsdt_is_not_silently_replaced_by_rsdt)
{
	struct fake f;
	build(&f, 2);
	f.mem[XSDT_OFF + 40] ^= 0x10;
	CHECK_EQ(find_status(&f, 36), STATUS_BAD_FORMAT);
}

TEST(rejects_bad_rsdp)
{
	struct fake f;
	build(&f, 2);
	CHECK(finds_standard_madt(&f, 36));
	CHECK_EQ(find_status(&f, 19), STATUS_BAD_FORMAT);
	CHECK_EQ(find_status(&f, 20), STATUS_BAD_FORMAT); /* v2 needs 36 */
	CHECK_EQ(acpi_find_madt(NULL, 36, fake_map, &f, &(const uint8_t *){ 0 }, &(uint32_t){ 0 }),
		 STATUS_BAD_FORMAT);

	f.rsdp[0] = 'r';
	rsdp_fix(f.rsdp); /* right checksums, wrong signature */
	CHECK_EQ(find_status(&f, 36), STATUS_BAD_FORMAT);

	build(&f, 2);
	f.rsdp[8] ^= 1;
	CHECK_EQ(find_status(&f, 36), STATUS_BAD_FORMAT);

	build(&f, 2);
	f.rsdp[32] ^= 1; /* only the extended checksum is wrong */
	CHECK_EQ(find_status(&f, 36), STATUS_BAD_FORMAT);
}

TEST(rejects_bad_rsdp_length_and_root_address)
{
	struct fake f;
	build(&f, 2);
	put32(f.rsdp + 20, 35);
	rsdp_fix(f.rsdp);
	CHECK_EQ(find_status(&f, 36), STATUS_BAD_FORMAT);
	put32(f.rsdp + 20, 37); /* longer than the bytes supplied... */
	rsdp_fix(f.rsdp);
	CHECK_EQ(find_status(&f, 36), STATUS_BAD_FORMAT);
	CHECK(finds_standard_madt(&f, 37)); /* ...but fine when supplied */

	build(&f, 0);
	put32(f.rsdp + 16, 0);
	rsdp_fix(f.rsdp);
	CHECK_EQ(find_status(&f, 20), STATUS_BAD_FORMAT);
}

TEST(rejects_bad_root_table)
{
	struct fake f;
	build(&f, 2);
	f.mem[XSDT_OFF + 9] ^= 1;
	CHECK_EQ(find_status(&f, 36), STATUS_BAD_FORMAT);

	build(&f, 2);
	put64(f.rsdp + 24, PHYS(RSDT_OFF)); /* "XSDT" pointing at the RSDT */
	rsdp_fix(f.rsdp);
	CHECK_EQ(find_status(&f, 36), STATUS_BAD_FORMAT);

	build(&f, 2);
	put32(f.mem + XSDT_OFF + 4, 36 + 12); /* 1.5 entries */
	sdt_fix(f.mem + XSDT_OFF);
	CHECK_EQ(find_status(&f, 36), STATUS_BAD_FORMAT);

	build(&f, 0);
	put32(f.mem + RSDT_OFF + 4, 35);
	sdt_fix(f.mem + RSDT_OFF);
	CHECK_EQ(find_status(&f, 20), STATUS_BAD_FORMAT);
}

TEST(unmappable_tables_are_bad_address)
{
	struct fake f;
	build(&f, 2);
	put64(f.rsdp + 24, PHYS(MEM_SIZE)); /* just past the memory */
	rsdp_fix(f.rsdp);
	CHECK_EQ(find_status(&f, 36), STATUS_BAD_ADDRESS);
	CHECK(f.failed_maps > 0);

	build(&f, 2);
	put64(f.rsdp + 24, UINT64_MAX - 8); /* would wrap past 2^64 */
	rsdp_fix(f.rsdp);
	CHECK_EQ(find_status(&f, 36), STATUS_BAD_ADDRESS);
	CHECK_EQ(f.wrapping_maps, 0); /* refused before the callback */

	build(&f, 2);
	put32(f.mem + MADT_OFF + 4, MEM_SIZE); /* MADT runs off the end */
	CHECK_EQ(find_status(&f, 36), STATUS_BAD_ADDRESS);
}

TEST(unmappable_entry_is_skipped_but_reported_if_no_madt)
{
	struct fake f;
	build(&f, 2);
	uint64_t with[3] = { 0x100000000ull, 0, PHYS(MADT_OFF) };
	root_table(&f, XSDT_OFF, "XSDT", 8, with, 3);
	CHECK(finds_standard_madt(&f, 36));

	uint64_t without[2] = { PHYS(FACP_OFF), 0xfffffff0ull };
	root_table(&f, XSDT_OFF, "XSDT", 8, without, 2);
	CHECK_EQ(find_status(&f, 36), STATUS_BAD_ADDRESS);
}

/* The PM timer as QEMU's pc and q35 FADTs describe it: port 0x608,
 * 24 bits (TMR_VAL_EXT clear in flags 0x80a5), or 32 bits with it set. */
static status_t pm_timer(struct fake *f, uint32_t port, uint32_t flags, struct acpi_pm_timer *t)
{
	put32(f->mem + FACP_OFF + 76, port);
	put32(f->mem + FACP_OFF + 112, flags);
	sdt_fix(f->mem + FACP_OFF);
	status_t st = acpi_find_pm_timer(f->rsdp, 36, fake_map, f, t);
	fake_release(f);
	return st;
}

TEST(pm_timer_port_and_width_from_the_fadt)
{
	struct fake f;
	struct acpi_pm_timer t;
	build(&f, 2);
	CHECK_EQ(pm_timer(&f, 0x608, 0x80a5, &t), STATUS_OK);
	CHECK(t.port == 0x608 && t.bits == 24);
	CHECK_EQ(pm_timer(&f, 0xb008, 0x80a5 | 0x100, &t), STATUS_OK);
	CHECK(t.port == 0xb008 && t.bits == 32);
	CHECK_EQ(pm_timer(&f, 0, 0x80a5, &t), STATUS_NOT_FOUND); /* no timer */
	CHECK(t.port == 0 && t.bits == 0);
	CHECK_EQ(pm_timer(&f, 0x10000, 0, &t), STATUS_NOT_FOUND); /* not a port */
	sdt_begin(f.mem + FACP_OFF, "FACP", 100);                 /* too short for the flags */
	sdt_fix(f.mem + FACP_OFF);
	CHECK_EQ(acpi_find_pm_timer(f.rsdp, 36, fake_map, &f, &t), STATUS_BAD_FORMAT);
	fake_release(&f);
	uint64_t addrs[1] = { PHYS(MADT_OFF) };
	root_table(&f, XSDT_OFF, "XSDT", 8, addrs, 1);
	CHECK_EQ(acpi_find_pm_timer(f.rsdp, 36, fake_map, &f, &t), STATUS_NOT_FOUND);
	fake_release(&f);
}

TEST(missing_madt_is_not_found)
{
	struct fake f;
	build(&f, 0);
	uint64_t addrs[2] = { PHYS(FACP_OFF), PHYS(HPET_OFF) };
	root_table(&f, RSDT_OFF, "RSDT", 4, addrs, 2);
	CHECK_EQ(find_status(&f, 20), STATUS_NOT_FOUND);
	root_table(&f, RSDT_OFF, "RSDT", 4, addrs, 0); /* empty root table */
	CHECK_EQ(find_status(&f, 20), STATUS_NOT_FOUND);
}

TEST(rejects_bad_madt_header)
{
	struct fake f;
	build(&f, 2);
	f.mem[MADT_OFF + 50] ^= 1;
	CHECK_EQ(find_status(&f, 36), STATUS_BAD_FORMAT);

	build(&f, 2);
	put32(f.mem + MADT_OFF + 4, 43);
	sdt_fix(f.mem + MADT_OFF);
	CHECK_EQ(find_status(&f, 36), STATUS_BAD_FORMAT);
}

TEST(parses_standard_madt_exactly)
{
	uint8_t buf[MADT_MAX];
	uint32_t len = standard_madt(buf);
	struct acpi_madt_info mi;
	CHECK_EQ(parse(buf, len, &mi), STATUS_OK);
	CHECK_EQ(mi.lapic_addr, 0xfee00000);
	CHECK(!mi.lapic_addr_overridden);
	CHECK_EQ(mi.flags, ACPI_MADT_PCAT_COMPAT);
	CHECK_EQ(mi.cpu_count, 3);
	CHECK_EQ(mi.cpus_disabled, 1);
	CHECK_EQ(mi.cpus_dropped, 0);
	CHECK_EQ(mi.cpus_duplicate, 0);
	static const uint32_t ids[3] = { 0, 1, 4 }, uids[3] = { 0, 1, 3 };
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(mi.cpus[i].apic_id, ids[i]);
		CHECK_EQ(mi.cpus[i].acpi_uid, uids[i]);
		CHECK(mi.cpus[i].enabled && !mi.cpus[i].online_capable);
		CHECK(!mi.cpus[i].x2apic);
	}
	CHECK_EQ(mi.ioapic_count, 1);
	CHECK_EQ(mi.ioapics[0].id, 0);
	CHECK_EQ(mi.ioapics[0].addr, 0xfec00000);
	CHECK_EQ(mi.ioapics[0].gsi_base, 0);
	CHECK_EQ(mi.override_count, 2);
	CHECK_EQ(mi.overrides[1].bus, 0);
	CHECK_EQ(mi.overrides[1].source, 9);
	CHECK_EQ(mi.overrides[1].gsi, 9);
	CHECK_EQ(mi.overrides[1].flags, 0xf); /* level, active low */
	CHECK_EQ(mi.nmi_count, 1);
	CHECK_EQ(mi.nmis[0].acpi_uid, ACPI_NMI_ALL_CPUS);
	CHECK_EQ(mi.nmis[0].lint, 1);
}

TEST(irq_to_gsi_applies_overrides)
{
	uint8_t buf[MADT_MAX];
	uint32_t len = standard_madt(buf);
	struct acpi_madt_info mi;
	CHECK_EQ(parse(buf, len, &mi), STATUS_OK);
	uint16_t fl = 0xffff;
	CHECK_EQ(acpi_irq_to_gsi(&mi, 0, &fl), 2);
	CHECK_EQ(fl, 0);
	CHECK_EQ(acpi_irq_to_gsi(&mi, 9, &fl), 9);
	CHECK_EQ(fl & ACPI_INTI_TRIGGER_MASK, ACPI_INTI_TRIGGER_LEVEL);
	CHECK_EQ(fl & ACPI_INTI_POLARITY_MASK, ACPI_INTI_POLARITY_LOW);
	fl = 0xffff;
	CHECK_EQ(acpi_irq_to_gsi(&mi, 1, &fl), 1);
	CHECK_EQ(fl, 0);
	CHECK_EQ(acpi_irq_to_gsi(&mi, 2, NULL), 2);
}

TEST(parses_x2apic_and_online_capable_cpus)
{
	uint8_t buf[MADT_MAX];
	struct madt_builder m;
	madt_begin(&m, buf, 0xfee00000, 0);
	e_lapic(&m, 0, 0, 1);
	e_x2apic(&m, 300, 1, 300);
	e_x2apic(&m, 301, 2, 301); /* online-capable */
	e_x2apic(&m, 302, 0, 302); /* disabled */
	e_x2apic(&m, 0, 1, 0);     /* same CPU as the xAPIC entry */
	uint8_t *n = madt_entry(&m, 10, 12);
	put16(n + 2, 0x5);
	put32(n + 4, 300);
	n[8] = 1;
	struct acpi_madt_info mi;
	CHECK_EQ(parse(buf, madt_finish(&m), &mi), STATUS_OK);
	CHECK_EQ(mi.cpu_count, 3);
	CHECK_EQ(mi.cpus_disabled, 1);
	CHECK_EQ(mi.cpus_duplicate, 1);
	CHECK_EQ(mi.cpus[1].apic_id, 300);
	CHECK_EQ(mi.cpus[1].acpi_uid, 300);
	CHECK(mi.cpus[1].x2apic && mi.cpus[1].enabled);
	CHECK_EQ(mi.cpus[2].apic_id, 301);
	CHECK(!mi.cpus[2].enabled && mi.cpus[2].online_capable);
	CHECK_EQ(mi.nmi_count, 1);
	CHECK_EQ(mi.nmis[0].acpi_uid, 300);
	CHECK_EQ(mi.nmis[0].flags, 0x5);
	CHECK_EQ(mi.nmis[0].lint, 1);
}

TEST(lapic_address_override_replaces_32bit_address)
{
	uint8_t buf[MADT_MAX];
	struct madt_builder m;
	madt_begin(&m, buf, 0xfee00000, 0);
	uint8_t *e = madt_entry(&m, 5, 12);
	put64(e + 4, 0x1fee00000ull);
	e_lapic(&m, 0, 0, 1);
	struct acpi_madt_info mi;
	CHECK_EQ(parse(buf, madt_finish(&m), &mi), STATUS_OK);
	CHECK_EQ(mi.lapic_addr, 0x1fee00000ull);
	CHECK(mi.lapic_addr_overridden);
	CHECK_EQ(mi.cpu_count, 1);
}

TEST(rejects_malformed_entries)
{
	uint8_t buf[MADT_MAX];
	struct madt_builder m;
	struct acpi_madt_info mi;
	for (uint8_t bad = 0; bad < 2; bad++) {
		/* Length 0 would loop forever, 1 would read past the entry. */
		madt_begin(&m, buf, 0xfee00000, 0);
		e_lapic(&m, 0, 0, 1);
		madt_entry(&m, 0x7f, 4)[1] = bad;
		CHECK_EQ(parse(buf, madt_finish(&m), &mi), STATUS_BAD_FORMAT);
	}
	madt_begin(&m, buf, 0xfee00000, 0);
	madt_entry(&m, 0x7f, 6)[1] = 7; /* overruns the table by one byte */
	CHECK_EQ(parse(buf, madt_finish(&m), &mi), STATUS_BAD_FORMAT);

	madt_begin(&m, buf, 0xfee00000, 0);
	madt_entry(&m, 1, 8); /* an IO APIC entry is 12 bytes */
	CHECK_EQ(parse(buf, madt_finish(&m), &mi), STATUS_BAD_FORMAT);

	madt_begin(&m, buf, 0xfee00000, 0);
	e_lapic(&m, 0, 0, 1);
	buf[m.len++] = 0; /* one stray byte: no room for an entry header */
	CHECK_EQ(parse(buf, madt_finish(&m), &mi), STATUS_BAD_FORMAT);
}

TEST(accepts_longer_entries_and_reads_only_their_prefix)
{
	uint8_t buf[MADT_MAX];
	struct madt_builder m;
	madt_begin(&m, buf, 0xfee00000, 0);
	uint8_t *e = madt_entry(&m, 0, 12);
	e[3] = 7;
	put32(e + 4, 1);
	e_lapic(&m, 1, 8, 1);
	struct acpi_madt_info mi;
	CHECK_EQ(parse(buf, madt_finish(&m), &mi), STATUS_OK);
	CHECK_EQ(mi.cpu_count, 2);
	CHECK_EQ(mi.cpus[0].apic_id, 7);
	CHECK_EQ(mi.cpus[1].apic_id, 8);
}

TEST(rejects_bad_madt_buffer)
{
	uint8_t buf[MADT_MAX];
	uint32_t len = standard_madt(buf);
	struct acpi_madt_info mi;
	CHECK_EQ(parse(buf, len - 1, &mi), STATUS_BAD_FORMAT);
	CHECK_EQ(parse(buf, 43, &mi), STATUS_BAD_FORMAT);
	CHECK_EQ(acpi_parse_madt(NULL, len, &mi), STATUS_BAD_FORMAT);
	/* Bytes past the header's length are not part of the table. */
	memset(buf + len, 0, 8);
	CHECK_EQ(parse(buf, len + 8, &mi), STATUS_OK);
	CHECK_EQ(mi.cpu_count, 3);
	buf[0] = 'X';
	sdt_fix(buf);
	CHECK_EQ(parse(buf, len, &mi), STATUS_BAD_FORMAT);
	buf[0] = 'A';
	buf[60] ^= 1;
	CHECK_EQ(parse(buf, len, &mi), STATUS_BAD_FORMAT);
}

TEST(cpus_beyond_capacity_are_counted_not_fatal)
{
	uint8_t buf[MADT_MAX];
	struct madt_builder m;
	madt_begin(&m, buf, 0xfee00000, 0);
	for (int i = 0; i < ACPI_MAX_CPUS + 6; i++)
		e_lapic(&m, (uint8_t)i, (uint8_t)i, 1);
	e_lapic(&m, 200, 200, 0);
	for (int i = 0; i < ACPI_MAX_NMIS + 4; i++)
		e_nmi(&m, (uint8_t)i, 0, 1);
	struct acpi_madt_info mi;
	CHECK_EQ(parse(buf, madt_finish(&m), &mi), STATUS_OK);
	CHECK_EQ(mi.cpu_count, ACPI_MAX_CPUS);
	CHECK_EQ(mi.cpus_dropped, 6);
	CHECK_EQ(mi.cpus_disabled, 1);
	CHECK_EQ(mi.cpus[0].apic_id, 0);
	CHECK_EQ(mi.cpus[ACPI_MAX_CPUS - 1].apic_id, ACPI_MAX_CPUS - 1);
	CHECK_EQ(mi.nmi_count, ACPI_MAX_NMIS);
	CHECK_EQ(mi.nmis_dropped, 4);
}

TEST(ioapics_and_overrides_beyond_capacity_are_full)
{
	uint8_t buf[MADT_MAX];
	struct madt_builder m;
	struct acpi_madt_info mi;
	madt_begin(&m, buf, 0xfee00000, 0);
	for (int i = 0; i < ACPI_MAX_IOAPICS; i++)
		e_ioapic(&m, (uint8_t)i, 0xfec00000 + i * 0x1000u, i * 24u);
	CHECK_EQ(parse(buf, madt_finish(&m), &mi), STATUS_OK);
	CHECK_EQ(mi.ioapics[ACPI_MAX_IOAPICS - 1].gsi_base, (ACPI_MAX_IOAPICS - 1) * 24);
	e_ioapic(&m, 9, 0xfed00000, 9 * 24);
	CHECK_EQ(parse(buf, madt_finish(&m), &mi), STATUS_FULL);

	madt_begin(&m, buf, 0xfee00000, 0);
	for (int i = 0; i < ACPI_MAX_OVERRIDES; i++)
		e_override(&m, (uint8_t)i, 16u + i, 0);
	CHECK_EQ(parse(buf, madt_finish(&m), &mi), STATUS_OK);
	e_override(&m, 16, 40, 0);
	CHECK_EQ(parse(buf, madt_finish(&m), &mi), STATUS_FULL);
}

static uint64_t xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* Re-checksums the table at off if its length still fits the memory, so
 * that corruption reaches the code behind the checksum test. */
static void refix(struct fake *f, uint32_t off)
{
	uint32_t len = get32(f->mem + off + 4);
	if (len >= 10 && len <= MEM_SIZE - off)
		sdt_fix(f->mem + off);
}

static void check_info_sane(const struct acpi_madt_info *mi)
{
	CHECK(mi->cpu_count <= ACPI_MAX_CPUS);
	CHECK(mi->ioapic_count <= ACPI_MAX_IOAPICS);
	CHECK(mi->override_count <= ACPI_MAX_OVERRIDES);
	CHECK(mi->nmi_count <= ACPI_MAX_NMIS);
	for (uint32_t i = 0; i < mi->cpu_count; i++)
		CHECK(mi->cpus[i].enabled || mi->cpus[i].online_capable);
}

/* Flips 1-6 random bytes, mostly in the MADT, then usually repairs the
 * checksums so that the corruption gets past them. */
static void corrupt(struct fake *f, uint64_t *x)
{
	for (int k = 0, n = 1 + (int)(xorshift(x) % 6); k < n; k++) {
		uint64_t r = xorshift(x);
		uint8_t flip = (uint8_t)(r >> 32);
		if (r % 8 == 0)
			f->rsdp[(r >> 8) % RSDP_BUF] ^= flip;
		else if (r % 8 < 3)
			f->mem[(r >> 8) % MADT_OFF] ^= flip; /* root tables */
		else
			f->mem[MADT_OFF + (r >> 8) % 0x100] ^= flip;
	}
	if (xorshift(x) % 4) {
		refix(f, XSDT_OFF);
		refix(f, RSDT_OFF);
		refix(f, MADT_OFF);
		rsdp_fix(f->rsdp);
	}
}

/* Random corruption of RSDP, root tables and MADT must never make the code
 * read outside what it mapped (ASan checks every mapping's end). */
TEST(survives_random_corruption)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;
	struct fake f;
	for (int round = 0; round < 20000; round++) {
		build(&f, round & 1 ? 2 : 0);
		corrupt(&f, &x);
		const uint8_t *madt;
		uint32_t len;
		size_t rlen = (round & 1) ? 36 : 20;
		struct acpi_madt_info mi;
		if (find(&f, rlen, &madt, &len) == STATUS_OK) {
			CHECK(len >= 44 && len <= MEM_SIZE);
			if (acpi_parse_madt(madt, len, &mi) == STATUS_OK)
				check_info_sane(&mi);
		}
		fake_release(&f);
		if (parse(f.mem + MADT_OFF, MADT_MAX, &mi) == STATUS_OK)
			check_info_sane(&mi);
	}
}

int main(void)
{
	RUN(finds_madt_through_xsdt_not_rsdt);
	RUN(finds_madt_through_rsdt);
	RUN(broken_xsdt_is_not_silently_replaced_by_rsdt);
	RUN(rejects_bad_rsdp);
	RUN(rejects_bad_rsdp_length_and_root_address);
	RUN(rejects_bad_root_table);
	RUN(unmappable_tables_are_bad_address);
	RUN(unmappable_entry_is_skipped_but_reported_if_no_madt);
	RUN(missing_madt_is_not_found);
	RUN(pm_timer_port_and_width_from_the_fadt);
	RUN(rejects_bad_madt_header);
	RUN(parses_standard_madt_exactly);
	RUN(irq_to_gsi_applies_overrides);
	RUN(parses_x2apic_and_online_capable_cpus);
	RUN(lapic_address_override_replaces_32bit_address);
	RUN(rejects_malformed_entries);
	RUN(accepts_longer_entries_and_reads_only_their_prefix);
	RUN(rejects_bad_madt_buffer);
	RUN(cpus_beyond_capacity_are_counted_not_fatal);
	RUN(ioapics_and_overrides_beyond_capacity_are_full);
	RUN(survives_random_corruption);
	return check_summary();
}
