/*
 * test_pci.c - PCI enumeration over the configuration spaces recorded from
 * QEMU -M pc, -M q35 and q35 with bridges (tests/data/machines), BAR
 * sizing against the recorded sizes, both configuration back-ends,
 * capabilities, MSI and MSI-X programming, and malformed devices.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "pci.h"
#include "pci_model.h"

#define MACHINES "tests/data/machines/"

static struct pci_model model;
static struct pci_function fns[64];

static struct pci_enum enum_of(size_t cap)
{
	return (struct pci_enum){ .fns = fns, .cap = cap };
}

static const struct pci_function *find(const struct pci_enum *e, uint8_t bus, uint8_t dev,
				       uint8_t fn)
{
	for (size_t i = 0; i < e->count; i++)
		if (e->fns[i].bus == bus && e->fns[i].dev == dev && e->fns[i].fn == fn)
			return &e->fns[i];
	return NULL;
}

static void load(const char *machine)
{
	char path[128];

	snprintf(path, sizeof path, MACHINES "%s/pci.txt", machine);
	if (!model_load(&model, path))
		CHECK_FAIL("cannot load %s", path);
}

static struct pci_enum enumerate(const char *machine)
{
	struct pci_enum e = enum_of(64);
	struct pci_cfg cfg;

	load(machine);
	cfg = model_cfg(&model);
	CHECK_EQ(pci_enumerate(&cfg, 0, &e), STATUS_OK);
	return e;
}

/* Every BAR the recorded resources size is found with that size. */
static void check_sizes_match_recording(const struct pci_enum *e)
{
	for (size_t i = 0; i < e->count; i++) {
		const struct pci_function *f = &e->fns[i];
		struct model_fn *mf = model_find(&model, f->bus, f->dev, f->fn);

		CHECK(mf != NULL);
		for (unsigned b = 0; b < f->bar_count; b++) {
			if (f->bars[b].type == PCI_BAR_MEM64_HIGH)
				continue;
			CHECK_EQ(f->bars[b].size, mf->bar_size[b]);
		}
		CHECK_EQ(f->rom.size, mf->rom_size);
	}
}

TEST(pc_finds_the_eight_functions_qemu_has)
{
	struct pci_enum e = enumerate("pc");
	const struct pci_function *isa, *disk;

	CHECK_EQ(e.count, 8);
	CHECK_EQ(e.dropped, 0);
	CHECK_EQ(find(&e, 0, 0, 0)->device, 0x1237); /* i440FX host bridge */
	isa = find(&e, 0, 1, 0);
	CHECK_EQ(isa->device, 0x7000);
	CHECK(isa->multifunction);
	CHECK_EQ(isa->class_code, 0x06);
	CHECK_EQ(isa->subclass, 0x01);
	CHECK_EQ(find(&e, 0, 1, 1)->prog_if, 0x80);  /* IDE, compatibility mode */
	CHECK_EQ(find(&e, 0, 1, 3)->device, 0x7113); /* PIIX4 power management */
	CHECK_EQ(find(&e, 0, 3, 0)->device, 0x100e); /* e1000 */
	disk = find(&e, 0, 4, 0);
	CHECK_EQ(disk->vendor, 0x1af4);
	CHECK_EQ(disk->device, 0x1042); /* modern-only virtio-blk */
	CHECK_EQ(disk->subsys_vendor, 0x1af4);
	CHECK_EQ(disk->class_code, 0x01);
	CHECK_EQ(disk->status, STATUS_OK);
	CHECK(find(&e, 0, 5, 0) != NULL); /* the scratch disk */
	CHECK(find(&e, 0, 6, 0) == NULL);
}

TEST(pc_bar_sizes_match_the_recorded_resources)
{
	struct pci_enum e = enumerate("pc");
	const struct pci_function *nic = find(&e, 0, 3, 0), *disk = find(&e, 0, 4, 0);

	check_sizes_match_recording(&e);
	CHECK_EQ(nic->bars[0].type, PCI_BAR_MEM32);
	CHECK_EQ(nic->bars[0].base, 0xfebc0000);
	CHECK_EQ(nic->bars[0].size, 0x20000);
	CHECK_EQ(nic->bars[1].type, PCI_BAR_IO);
	CHECK_EQ(nic->bars[1].base, 0xc000);
	CHECK_EQ(nic->bars[1].size, 0x40);
	CHECK_EQ(nic->rom.size, 0x40000);
	CHECK_EQ(disk->bars[1].type, PCI_BAR_MEM32);
	CHECK_EQ(disk->bars[1].size, 0x1000);
	CHECK_EQ(disk->bars[4].type, PCI_BAR_MEM64);
	CHECK(disk->bars[4].prefetchable);
	CHECK_EQ(disk->bars[4].base, 0xfe000000);
	CHECK_EQ(disk->bars[4].size, 0x4000);
	CHECK_EQ(disk->bars[5].type, PCI_BAR_MEM64_HIGH);
	CHECK_EQ(disk->bars[0].type, PCI_BAR_NONE);
}

TEST(sizing_restores_every_register_and_disables_decoding_first)
{
	const char *machines[] = { "pc", "q35", "q35-numa" };

	for (unsigned i = 0; i < 3; i++) {
		struct pci_enum e = enumerate(machines[i]);

		CHECK(e.count > 0);
		CHECK(model_unchanged(&model));
		CHECK_EQ(model.violations, 0);
		CHECK(model.writes > 0);
	}
}

TEST(sizing_with_decoding_left_on_is_what_the_model_catches)
{
	struct pci_cfg cfg;
	struct model_fn *mf;

	load("pc");
	cfg = model_cfg(&model);
	mf = model_find(&model, 0, 3, 0);
	CHECK(mf->cfg[PCI_COMMAND] & PCI_COMMAND_MEMORY);
	cfg.write(cfg.ctx, 0, 3, 0, PCI_BAR0, 4, 0xffffffffu);
	CHECK_EQ(model.violations, 1);
}

TEST(virtio_disk_capabilities_on_pc)
{
	struct pci_enum e = enumerate("pc");
	const struct pci_function *d = find(&e, 0, 4, 0);
	const struct pci_caps *k = &d->caps;
	unsigned seen = 0;

	CHECK_EQ(k->status, STATUS_OK);
	CHECK_EQ(k->msix, 0x98);
	CHECK_EQ(k->msix_size, 3);
	CHECK_EQ(k->msix_table_bir, 1);
	CHECK_EQ(k->msix_table_off, 0);
	CHECK_EQ(k->msix_pba_bir, 1);
	CHECK_EQ(k->msix_pba_off, 0x800);
	CHECK_EQ(pci_msix_check(d), STATUS_OK);
	CHECK_EQ(k->msi, 0);
	CHECK_EQ(k->virtio_count, 5);
	for (unsigned i = 0; i < k->virtio_count; i++) {
		const struct pci_virtio_cap *v = &k->virtio[i];

		seen |= 1u << v->cfg_type;
		if (v->cfg_type == 5)
			continue; /* the PCI configuration access window */
		CHECK_EQ(v->bar, 4);
		CHECK_EQ(v->length, 0x1000);
		CHECK_EQ(v->offset, (v->cfg_type == 1   ? 0
				     : v->cfg_type == 3 ? 1
				     : v->cfg_type == 4 ? 2
							: 3) *
					    0x1000u);
		if (v->cfg_type == 2)
			CHECK_EQ(v->notify_off_multiplier, 4);
	}
	CHECK_EQ(seen, 0x3e); /* common, notify, ISR, device, PCI cfg */
}

TEST(q35_finds_ich9_e1000e_and_the_disks_with_pcie_capabilities)
{
	struct pci_enum e = enumerate("q35");
	const struct pci_function *nic = find(&e, 0, 2, 0);

	CHECK_EQ(e.count, 8);
	check_sizes_match_recording(&e);
	CHECK_EQ(find(&e, 0, 0, 0)->device, 0x29c0);    /* Q35 host bridge */
	CHECK_EQ(find(&e, 0, 0x1f, 0)->device, 0x2918); /* ICH9 LPC */
	CHECK(find(&e, 0, 0x1f, 0)->multifunction);
	CHECK_EQ(find(&e, 0, 0x1f, 2)->prog_if, 0x01); /* AHCI */
	CHECK_EQ(nic->device, 0x10d3);
	CHECK_EQ(nic->caps.pcie, 0xe0);
	CHECK_EQ(nic->caps.pcie_type, 9); /* root complex integrated */
	CHECK_EQ(nic->caps.msi, 0xd0);
	CHECK(nic->caps.msi_64bit);
	CHECK_EQ(nic->caps.msix_size, 5);
	CHECK_EQ(nic->caps.msix_table_bir, 3);
	CHECK_EQ(pci_msix_check(nic), STATUS_OK);
	CHECK_EQ(find(&e, 0, 3, 0)->device, 0x1042);
	CHECK_EQ(find(&e, 0, 4, 0)->device, 0x1042);
}

TEST(q35_bridges_lead_to_their_secondary_buses)
{
	struct pci_enum e = enumerate("q35-numa");
	const struct pci_function *rp = find(&e, 0, 5, 0), *br = find(&e, 0, 6, 0);
	const struct pci_function *disk = find(&e, 1, 0, 0);

	CHECK_EQ(e.count, 11);
	CHECK_EQ(e.bridges_skipped, 0);
	check_sizes_match_recording(&e);
	CHECK_EQ(rp->header_type, 1);
	CHECK_EQ(rp->secondary_bus, 1);
	CHECK_EQ(rp->caps.pcie_type, 4); /* root port */
	CHECK_EQ(br->secondary_bus, 2);
	CHECK_EQ(br->bar_count, 2);
	CHECK_EQ(br->bars[0].type, PCI_BAR_MEM64);
	CHECK_EQ(br->bars[0].size, 0x100);
	CHECK(disk != NULL);
	CHECK_EQ(disk->device, 0x1042);
	CHECK_EQ(disk->caps.pcie, 0x40);
	CHECK_EQ(disk->caps.virtio_count, 5);
	CHECK_EQ(disk->bars[4].base, 0xfe200000);
}

TEST(legacy_ports_give_the_same_enumeration)
{
	struct pci_enum direct = enumerate("pc"), e2;
	struct pci_function copy[8];
	struct pci_ports ports;
	struct pci_cfg cfg;

	memcpy(copy, fns, sizeof copy);
	load("pc");
	ports = model_ports(&model);
	cfg = pci_legacy_cfg(&ports);
	e2 = enum_of(64);
	CHECK_EQ(pci_enumerate(&cfg, 0, &e2), STATUS_OK);
	CHECK_EQ(e2.count, direct.count);
	CHECK(memcmp(copy, fns, sizeof copy) == 0);
	CHECK(model.port_accesses > 0);
	CHECK(model_unchanged(&model));
	CHECK_EQ(model.violations, 0);
}

TEST(legacy_address_word_and_data_port)
{
	uint32_t a;
	uint16_t p;

	CHECK_EQ(pci_legacy_address(0, 4, 0, 0x10, 4, &a, &p), STATUS_OK);
	CHECK_EQ(a, 0x80002010u);
	CHECK_EQ(p, 0xcfc);
	CHECK_EQ(pci_legacy_address(0x12, 0x1f, 7, 0x3e, 2, &a, &p), STATUS_OK);
	CHECK_EQ(a, 0x8012ff3cu);
	CHECK_EQ(p, 0xcfe);
	CHECK_EQ(pci_legacy_address(0, 0, 0, 0xff, 1, &a, &p), STATUS_OK);
	CHECK_EQ(p, 0xcff);
	CHECK_EQ(pci_legacy_address(0, 0, 0, 0x100, 4, &a, &p), STATUS_RANGE);
	CHECK_EQ(pci_legacy_address(0, 32, 0, 0, 4, &a, &p), STATUS_RANGE);
	CHECK_EQ(pci_legacy_address(0, 0, 8, 0, 4, &a, &p), STATUS_RANGE);
	CHECK_EQ(pci_legacy_address(0, 0, 0, 2, 4, &a, &p), STATUS_INVALID);
	CHECK_EQ(pci_legacy_address(0, 0, 0, 0, 3, &a, &p), STATUS_INVALID);
}

TEST(ecam_offsets_follow_the_mcfg_window)
{
	struct pci_ecam w = { .base = 0xb0000000, .bus_start = 0, .bus_end = 0xff };
	struct pci_ecam w2 = { .base = 0xe0000000, .bus_start = 0x10, .bus_end = 0x1f };
	struct pci_ecam bad = { .bus_start = 2, .bus_end = 1 };
	uint64_t o;

	CHECK_EQ(pci_ecam_size(&w), 256ull << 20);
	CHECK_EQ(pci_ecam_offset(&w, 1, 0, 0, 0, &o), STATUS_OK);
	CHECK_EQ(o, 1u << 20);
	CHECK_EQ(pci_ecam_offset(&w, 0, 0x1f, 2, 0x100, &o), STATUS_OK);
	CHECK_EQ(o, 0x1f << 15 | 2 << 12 | 0x100);
	CHECK_EQ(pci_ecam_offset(&w, 0, 0, 0, 4096, &o), STATUS_RANGE);
	CHECK_EQ(pci_ecam_size(&w2), 16u << 20);
	CHECK_EQ(pci_ecam_offset(&w2, 0x10, 0, 0, 0, &o), STATUS_OK);
	CHECK_EQ(o, 0);
	CHECK_EQ(pci_ecam_offset(&w2, 0x1f, 31, 7, 0xffc, &o), STATUS_OK);
	CHECK_EQ(o, (16u << 20) - 4);
	CHECK_EQ(pci_ecam_offset(&w2, 0x0f, 0, 0, 0, &o), STATUS_RANGE);
	CHECK_EQ(pci_ecam_offset(&w2, 0x20, 0, 0, 0, &o), STATUS_RANGE);
	CHECK_EQ(pci_ecam_size(&bad), 0);
	CHECK_EQ(pci_ecam_offset(&bad, 2, 0, 0, 0, &o), STATUS_INVALID);
}

/* The ECAM accessor over a window in memory filled from the q35 recording
 * reads what the recording holds and stays inside the window. */
TEST(ecam_accessor_reads_the_recorded_q35_spaces)
{
	struct pci_ecam_map map = { .window = { .base = 0xb0000000, .bus_end = 1 } };
	uint8_t *mem = calloc(1, 2u << 20);
	struct pci_cfg cfg;
	uint64_t o;

	CHECK(mem != NULL);
	load("q35-numa");
	for (unsigned i = 0; i < model.count; i++) {
		struct model_fn *f = &model.fns[i];

		CHECK_EQ(pci_ecam_offset(&map.window, f->bus, f->dev, f->fn, 0, &o), STATUS_OK);
		memcpy(mem + o, f->cfg, f->cfg_size);
	}
	map.base = mem;
	cfg = pci_ecam_cfg(&map);
	CHECK_EQ(cfg.read(cfg.ctx, 0, 0, 0, 0, 4), 0x29c08086u);
	CHECK_EQ(cfg.read(cfg.ctx, 1, 0, 0, PCI_DEVICE_ID, 2), 0x1042);
	CHECK_EQ(cfg.read(cfg.ctx, 0, 5, 0, PCI_BRIDGE_SECONDARY, 1), 1);
	CHECK_EQ(cfg.read(cfg.ctx, 0, 2, 0, 0x100, 4),
		 model_find(&model, 0, 2, 0)->cfg[0x100] |
			 (uint32_t)model_find(&model, 0, 2, 0)->cfg[0x101] << 8 |
			 (uint32_t)model_find(&model, 0, 2, 0)->cfg[0x102] << 16 |
			 (uint32_t)model_find(&model, 0, 2, 0)->cfg[0x103] << 24);
	CHECK_EQ(cfg.read(cfg.ctx, 2, 0, 0, 0, 4), 0xffffffffu); /* outside */
	CHECK_EQ(cfg.read(cfg.ctx, 0, 0, 0, 2, 4), 0xffffffffu); /* misaligned */
	cfg.write(cfg.ctx, 0, 3, 0, PCI_COMMAND, 2, 0x0006);
	CHECK_EQ(mem[3 << 15 | PCI_COMMAND], 0x06);
	cfg.write(cfg.ctx, 5, 0, 0, 0, 4, 0); /* dropped */
	free(mem);
}

TEST(enumeration_counts_what_does_not_fit)
{
	struct pci_enum e = enum_of(3);
	struct pci_cfg cfg;

	load("pc");
	cfg = model_cfg(&model);
	CHECK_EQ(pci_enumerate(&cfg, 0, &e), STATUS_FULL);
	CHECK_EQ(e.count, 3);
	CHECK_EQ(e.dropped, 5);
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A synthetic type 0 function with a capability list starting at 0x40. */
static struct model_fn *synthetic(uint8_t bus, uint8_t dev)
{
	struct model_fn *f = model_add(&model, bus, dev, 0);

	put32(f->cfg, 0x5678abcd);
	f->cfg[PCI_STATUS] = PCI_STATUS_CAP_LIST;
	f->cfg[PCI_CAP_PTR] = 0x40;
	return f;
}

static const struct pci_function *probe_one(struct model_fn *mf, struct pci_function *out)
{
	struct pci_cfg cfg = model_cfg(&model);

	memcpy(mf->orig, mf->cfg, sizeof mf->cfg);
	CHECK_EQ(pci_probe(&cfg, mf->bus, mf->dev, mf->fn, out), STATUS_OK);
	return out;
}

TEST(capability_loop_is_stopped_and_reported)
{
	struct pci_function f;
	struct model_fn *mf;

	memset(&model, 0, sizeof model);
	mf = synthetic(0, 0);
	mf->cfg[0x40] = PCI_CAP_MSI;
	mf->cfg[0x41] = 0x50;
	mf->cfg[0x50] = PCI_CAP_PCIE;
	mf->cfg[0x51] = 0x40; /* back to the first */
	probe_one(mf, &f);
	CHECK_EQ(f.caps.status, STATUS_BAD_FORMAT);
	CHECK_EQ(f.status, STATUS_BAD_FORMAT);
	CHECK_EQ(f.caps.count, 2);
	CHECK_EQ(f.caps.msi, 0x40);
	CHECK_EQ(f.caps.pcie, 0x50);

	mf->cfg[0x51] = 0x50; /* to itself */
	probe_one(mf, &f);
	CHECK_EQ(f.caps.status, STATUS_BAD_FORMAT);
	CHECK_EQ(f.caps.count, 2);
}

TEST(capability_pointer_into_the_header_is_rejected)
{
	struct pci_function f;
	struct model_fn *mf;

	memset(&model, 0, sizeof model);
	mf = synthetic(0, 0);
	mf->cfg[0x40] = PCI_CAP_MSIX;
	mf->cfg[0x41] = 0x10; /* points at BAR0 */
	probe_one(mf, &f);
	CHECK_EQ(f.caps.status, STATUS_BAD_FORMAT);
	CHECK_EQ(f.caps.msix, 0x40);

	mf->cfg[PCI_CAP_PTR] = 0x3c;
	probe_one(mf, &f);
	CHECK_EQ(f.caps.count, 0);
	CHECK_EQ(f.caps.status, STATUS_BAD_FORMAT);

	mf->cfg[PCI_STATUS] = 0; /* no list: the pointer is not followed */
	probe_one(mf, &f);
	CHECK_EQ(f.caps.status, STATUS_OK);
	CHECK_EQ(f.status, STATUS_OK);
}

TEST(the_longest_possible_capability_chain_is_accepted)
{
	struct pci_function f;
	struct model_fn *mf;

	memset(&model, 0, sizeof model);
	mf = synthetic(0, 0);
	for (unsigned at = 0x40; at <= 0xfc; at += 4) {
		mf->cfg[at] = 0x0a;
		mf->cfg[at + 1] = at == 0xfc ? 0 : (uint8_t)(at + 4);
	}
	probe_one(mf, &f);
	CHECK_EQ(f.caps.status, STATUS_OK);
	CHECK_EQ(f.caps.count, 48);
}

TEST(short_or_foreign_vendor_capabilities_are_ignored)
{
	struct pci_function f;
	struct model_fn *mf;

	memset(&model, 0, sizeof model);
	mf = synthetic(0, 0);
	mf->cfg[0x40] = PCI_CAP_VENDOR;
	mf->cfg[0x41] = 0x50;
	mf->cfg[0x42] = 16;
	mf->cfg[0x43] = 1;
	mf->cfg[0x50] = PCI_CAP_VENDOR;
	mf->cfg[0x52] = 16; /* a notify capability needs 20 */
	mf->cfg[0x53] = 2;
	probe_one(mf, &f);
	CHECK_EQ(f.caps.virtio_count, 0); /* vendor is not virtio */
	mf->cfg[0] = 0xf4;
	mf->cfg[1] = 0x1a;
	probe_one(mf, &f);
	CHECK_EQ(f.caps.virtio_count, 1);
	CHECK_EQ(f.caps.virtio[0].cfg_type, 1);

	mf->cfg[0x52] = 0xf0; /* runs past the end of the space */
	mf->cfg[0x50] = PCI_CAP_VENDOR;
	mf->cfg[0x41] = 0xf0;
	mf->cfg[0xf0] = PCI_CAP_VENDOR;
	mf->cfg[0xf2] = 20;
	mf->cfg[0xf3] = 2;
	probe_one(mf, &f);
	CHECK_EQ(f.caps.virtio_count, 1);
}

TEST(bad_bars_are_marked_not_trusted)
{
	struct pci_function f;
	struct model_fn *mf;

	memset(&model, 0, sizeof model);
	mf = synthetic(0, 0);
	mf->cfg[PCI_STATUS] = 0;
	put32(mf->cfg + PCI_BAR0 + 20, 0x4); /* 64-bit type in the last slot */
	mf->bar_size[5] = 0x1000;
	put32(mf->cfg + PCI_BAR0, 0x2); /* reserved type 01 (below 1 MiB) */
	mf->bar_size[0] = 0x100;
	probe_one(mf, &f);
	CHECK_EQ(f.bars[5].type, PCI_BAR_BAD);
	CHECK_EQ(f.bars[0].type, PCI_BAR_BAD);
	CHECK_EQ(f.status, STATUS_BAD_FORMAT);
}

/* A device whose size mask has a hole is not a power-of-two BAR. */
static uint32_t holey_read(void *ctx, uint8_t b, uint8_t d, uint8_t fn, uint16_t off, unsigned w)
{
	(void)ctx;
	if (b || d || fn)
		return 0xffffffffu;
	if (off == 0)
		return 0x12345678;
	if (off == PCI_BAR0)
		return 0xfff0f000u; /* the same whatever was written */
	return 0;
	(void)w;
}

static void ignore_write(void *ctx, uint8_t b, uint8_t d, uint8_t fn, uint16_t off, unsigned w,
			 uint32_t v)
{
	(void)ctx, (void)b, (void)d, (void)fn, (void)off, (void)w, (void)v;
}

TEST(non_contiguous_size_mask_is_a_bad_bar)
{
	struct pci_cfg cfg = { holey_read, ignore_write, NULL };
	struct pci_function f;

	CHECK_EQ(pci_probe(&cfg, 0, 0, 0, &f), STATUS_OK);
	CHECK_EQ(f.bars[0].type, PCI_BAR_BAD);
	CHECK_EQ(f.status, STATUS_BAD_FORMAT);
	CHECK_EQ(pci_probe(&cfg, 0, 1, 0, &f), STATUS_NOT_FOUND);
}

static struct model_fn *bridge(uint8_t bus, uint8_t dev, uint8_t sec, uint8_t sub)
{
	struct model_fn *f = model_add(&model, bus, dev, 0);

	put32(f->cfg, 0x00011b36);
	f->cfg[PCI_HEADER_TYPE] = 1;
	f->cfg[PCI_BRIDGE_PRIMARY] = bus;
	f->cfg[PCI_BRIDGE_SECONDARY] = sec;
	f->cfg[PCI_BRIDGE_SUBORDINATE] = sub;
	memcpy(f->orig, f->cfg, sizeof f->cfg);
	return f;
}

TEST(bridges_with_bad_or_repeated_bus_numbers_are_not_followed)
{
	struct pci_enum e = enum_of(64);
	struct pci_cfg cfg = model_cfg(&model);

	memset(&model, 0, sizeof model);
	bridge(0, 1, 1, 3); /* good: bus 1 */
	bridge(1, 0, 0, 0); /* back to bus 0: a loop */
	bridge(1, 1, 1, 1); /* to its own bus */
	bridge(1, 2, 2, 2); /* good: bus 2 */
	bridge(2, 0, 1, 3); /* bus 1 again */
	bridge(0, 2, 2, 2); /* bus 2 again, from another bridge */
	bridge(0, 3, 5, 4); /* secondary above subordinate */
	model_add(&model, 2, 3, 0)->cfg[0] = 0x34;
	CHECK_EQ(pci_enumerate(&cfg, 0, &e), STATUS_OK);
	CHECK_EQ(e.count, 8);
	CHECK_EQ(e.bridges_skipped, 5);
	CHECK(find(&e, 2, 3, 0) != NULL);
}

TEST(functions_above_zero_are_probed_only_on_multifunction_devices)
{
	struct pci_enum e = enum_of(64);
	struct pci_cfg cfg = model_cfg(&model);

	memset(&model, 0, sizeof model);
	put32(model_add(&model, 0, 1, 0)->cfg, 0x11118086);
	put32(model_add(&model, 0, 1, 2)->cfg, 0x22228086); /* hidden */
	put32(model_add(&model, 0, 2, 0)->cfg, 0x33338086);
	model_find(&model, 0, 2, 0)->cfg[PCI_HEADER_TYPE] = 0x80;
	put32(model_add(&model, 0, 2, 7)->cfg, 0x44448086);
	put32(model_add(&model, 0, 3, 1)->cfg, 0x55558086); /* no function 0 */
	CHECK_EQ(pci_enumerate(&cfg, 0, &e), STATUS_OK);
	CHECK_EQ(e.count, 3);
	CHECK(find(&e, 0, 2, 7) != NULL);
	CHECK(find(&e, 0, 1, 2) == NULL);
	CHECK(find(&e, 0, 3, 1) == NULL);
}

TEST(msi_message_for_x86_local_apics)
{
	struct pci_msi_msg m;

	CHECK_EQ(pci_msi_compose(0, 0x40, &m), STATUS_OK);
	CHECK_EQ(m.address, 0xfee00000u);
	CHECK_EQ(m.data, 0x40);
	CHECK_EQ(pci_msi_compose(3, 0xfe, &m), STATUS_OK);
	CHECK_EQ(m.address, 0xfee03000u);
	CHECK_EQ(pci_msi_compose(0, 31, &m), STATUS_RANGE);
	CHECK_EQ(pci_msi_compose(256, 0x40, &m), STATUS_RANGE);
}

TEST(msi_program_writes_the_capability_of_the_q35_ahci)
{
	struct pci_enum e = enumerate("q35");
	const struct pci_function *ahci = find(&e, 0, 0x1f, 2);
	struct model_fn *mf = model_find(&model, 0, 0x1f, 2);
	struct pci_cfg cfg = model_cfg(&model);
	struct pci_msi_msg msg;
	uint8_t at = ahci->caps.msi;

	CHECK_EQ(at, 0x80);
	CHECK_EQ(pci_msi_compose(1, 0x51, &msg), STATUS_OK);
	CHECK_EQ(pci_msi_program(&cfg, ahci, &msg), STATUS_OK);
	CHECK_EQ(mf->cfg[at + 4] | mf->cfg[at + 5] << 8 | mf->cfg[at + 6] << 16 |
			 (uint32_t)mf->cfg[at + 7] << 24,
		 0xfee01000u);
	CHECK_EQ(mf->cfg[at + 8] | mf->cfg[at + 9] << 8, 0); /* upper address */
	CHECK_EQ(mf->cfg[at + 12], 0x51);                    /* data */
	CHECK_EQ(mf->cfg[at + 2] & 1, 1);                    /* enabled */
	CHECK_EQ(mf->cfg[at + 2] & 0x70, 0);                 /* one vector */
	CHECK(mf->cfg[PCI_COMMAND + 1] & (PCI_COMMAND_INTX_DISABLE >> 8));
	CHECK_EQ(pci_msi_disable(&cfg, ahci), STATUS_OK);
	CHECK_EQ(mf->cfg[at + 2] & 1, 0);
	msg.address = 0x100000000ull;
	CHECK_EQ(pci_msi_program(&cfg, find(&e, 0, 3, 0), &msg), STATUS_NOT_FOUND);
}

TEST(msi_on_a_32bit_maskable_capability_unmasks_vector_zero)
{
	struct pci_function f;
	struct pci_cfg cfg = model_cfg(&model);
	struct pci_msi_msg msg = { 0xfee00000u, 0x33 };
	struct model_fn *mf;

	memset(&model, 0, sizeof model);
	mf = synthetic(0, 0);
	mf->cfg[0x40] = PCI_CAP_MSI;
	mf->cfg[0x42] = 0x00;
	mf->cfg[0x43] = 0x01; /* per-vector masking, 32-bit */
	mf->cfg[0x4c] = 0x01; /* vector 0 masked */
	probe_one(mf, &f);
	CHECK(!f.caps.msi_64bit);
	CHECK(f.caps.msi_maskable);
	CHECK_EQ(pci_msi_program(&cfg, &f, &msg), STATUS_OK);
	CHECK_EQ(mf->cfg[0x48], 0x33);
	CHECK_EQ(mf->cfg[0x4c], 0);
	msg.address = 0x1fee00000ull;
	CHECK_EQ(pci_msi_program(&cfg, &f, &msg), STATUS_RANGE);
}

static uint32_t buf_read32(void *ctx, uint64_t off)
{
	uint32_t v;

	memcpy(&v, (uint8_t *)ctx + off, 4);
	return v;
}

static void buf_write32(void *ctx, uint64_t off, uint32_t v)
{
	memcpy((uint8_t *)ctx + off, &v, 4);
}

TEST(msix_table_entries_are_written_masked_then_unmasked)
{
	struct pci_enum e = enumerate("pc");
	const struct pci_function *d = find(&e, 0, 4, 0);
	static uint8_t bar1[0x1000];
	struct pci_mmio m = { buf_read32, buf_write32, bar1 };
	struct model_fn *mf = model_find(&model, 0, 4, 0);
	struct pci_cfg cfg = model_cfg(&model);
	struct pci_msi_msg msg;

	memset(bar1, 0, sizeof bar1);
	CHECK_EQ(pci_msi_compose(2, 0x61, &msg), STATUS_OK);
	CHECK_EQ(pci_msix_write(&m, d, 1, &msg), STATUS_OK);
	CHECK_EQ(buf_read32(bar1, 16), 0xfee02000u);
	CHECK_EQ(buf_read32(bar1, 20), 0);
	CHECK_EQ(buf_read32(bar1, 24), 0x61);
	CHECK_EQ(buf_read32(bar1, 28), 1); /* left masked */
	CHECK_EQ(buf_read32(bar1, 0), 0);  /* entry 0 untouched */
	CHECK_EQ(pci_msix_mask(&m, d, 1, false), STATUS_OK);
	CHECK_EQ(buf_read32(bar1, 28), 0);
	CHECK_EQ(pci_msix_write(&m, d, 3, &msg), STATUS_RANGE);
	CHECK_EQ(pci_msix_mask(&m, d, 3, false), STATUS_RANGE);
	mf->cfg[0x98 + 3] = 0x40; /* function mask set */
	CHECK_EQ(pci_msix_enable(&cfg, d, true), STATUS_OK);
	CHECK_EQ(mf->cfg[0x98 + 3], 0x80); /* enabled, unmasked */
	CHECK(mf->cfg[PCI_COMMAND + 1] & (PCI_COMMAND_INTX_DISABLE >> 8));
	CHECK_EQ(pci_msix_enable(&cfg, d, false), STATUS_OK);
	CHECK_EQ(mf->cfg[0x98 + 3], 0x00);
	CHECK_EQ(pci_msix_enable(&cfg, find(&e, 0, 3, 0), true), STATUS_NOT_FOUND);
}

TEST(msix_table_outside_its_bar_is_rejected)
{
	struct pci_enum e = enumerate("pc");
	struct pci_function d = *find(&e, 0, 4, 0);

	d.caps.msix_table_off = 0x1000 - 16 * 2; /* 3 entries do not fit */
	CHECK_EQ(pci_msix_check(&d), STATUS_BAD_FORMAT);
	d.caps.msix_table_off = 0;
	d.caps.msix_table_bir = 0; /* BAR0 is not implemented */
	CHECK_EQ(pci_msix_check(&d), STATUS_BAD_FORMAT);
	d.caps.msix_table_bir = 5; /* upper half of BAR4 */
	CHECK_EQ(pci_msix_check(&d), STATUS_BAD_FORMAT);
	d.caps.msix_table_bir = 6;
	CHECK_EQ(pci_msix_check(&d), STATUS_BAD_FORMAT);
	d.caps.msix_table_bir = 4;
	CHECK_EQ(pci_msix_check(&d), STATUS_OK);
	d.caps.msix_pba_off = 0xfffffff8u;
	CHECK_EQ(pci_msix_check(&d), STATUS_BAD_FORMAT);
}

TEST(drivers_may_write_command_and_capabilities_but_nothing_that_moves_the_device)
{
	struct pci_enum e = enumerate("q35");
	const struct pci_function *ahci = find(&e, 0, 0x1f, 2), *disk = find(&e, 0, 3, 0);
	struct pci_grant g = { 0, 3, 0, false }, ga = { 0, 0x1f, 2, true };

	/* decoding on, INTx off: yes; bus mastering without the grant: no */
	CHECK_EQ(pci_policy_write(disk, &g, 0, 3, 0, PCI_COMMAND, 2, 0x0403, 256), STATUS_OK);
	CHECK_EQ(pci_policy_write(disk, &g, 0, 3, 0, PCI_COMMAND, 2, 0x0407, 256),
		 STATUS_NO_RIGHTS);
	CHECK_EQ(pci_policy_write(disk, &g, 0, 3, 0, PCI_COMMAND, 4, 0xffff0004u, 256),
		 STATUS_NO_RIGHTS);
	CHECK_EQ(pci_policy_write(disk, &g, 0, 3, 0, PCI_COMMAND + 1, 1, 0x04, 256), STATUS_OK);
	CHECK_EQ(pci_policy_write(disk, &g, 0, 3, 0, PCI_STATUS, 2, 0xf900, 256), STATUS_OK);
	g.bus_master = true;
	CHECK_EQ(pci_policy_write(disk, &g, 0, 3, 0, PCI_COMMAND, 2, 0x0407, 256), STATUS_OK);
	/* BARs, ROM, interrupt line, identity: never */
	CHECK_EQ(pci_policy_write(disk, &g, 0, 3, 0, PCI_BAR0 + 16, 4, 0xfe100000u, 256),
		 STATUS_NO_RIGHTS);
	CHECK_EQ(pci_policy_write(disk, &g, 0, 3, 0, PCI_ROM0, 4, 0xffffffffu, 256),
		 STATUS_NO_RIGHTS);
	CHECK_EQ(pci_policy_write(disk, &g, 0, 3, 0, 0x3c, 1, 5, 256), STATUS_NO_RIGHTS);
	CHECK_EQ(pci_policy_write(disk, &g, 0, 3, 0, 0, 4, 0, 256), STATUS_NO_RIGHTS);
	/* another function */
	CHECK_EQ(pci_policy_write(disk, &g, 0, 4, 0, PCI_COMMAND, 2, 0x0003, 256),
		 STATUS_NO_RIGHTS);
	CHECK_EQ(pci_policy_write(ahci, &g, 0, 0x1f, 2, PCI_COMMAND, 2, 0x0003, 256),
		 STATUS_NO_RIGHTS);
	/* the MSI-X control word: yes; the MSI capability: topod's */
	CHECK_EQ(pci_policy_write(disk, &g, 0, 3, 0, 0x9a, 2, 0x8000, 256), STATUS_OK);
	CHECK_EQ(pci_policy_write(ahci, &ga, 0, 0x1f, 2, 0x84, 4, 0xfee00000u, 256),
		 STATUS_NO_RIGHTS);
	CHECK_EQ(pci_policy_write(ahci, &ga, 0, 0x1f, 2, 0x80 + 14, 2, 0, 256), STATUS_OK);
	/* malformed accesses */
	CHECK_EQ(pci_policy_write(disk, &g, 0, 3, 0, 0x41, 2, 0, 256), STATUS_INVALID);
	CHECK_EQ(pci_policy_write(disk, &g, 0, 3, 0, 0x40, 3, 0, 256), STATUS_INVALID);
	CHECK_EQ(pci_policy_write(disk, &g, 0, 3, 0, 0xfe, 4, 0, 256), STATUS_INVALID);
	CHECK_EQ(pci_policy_write(disk, &g, 0, 3, 0, 0x100, 4, 0, 256), STATUS_INVALID);
}

int main(void)
{
	RUN(pc_finds_the_eight_functions_qemu_has);
	RUN(pc_bar_sizes_match_the_recorded_resources);
	RUN(sizing_restores_every_register_and_disables_decoding_first);
	RUN(sizing_with_decoding_left_on_is_what_the_model_catches);
	RUN(virtio_disk_capabilities_on_pc);
	RUN(q35_finds_ich9_e1000e_and_the_disks_with_pcie_capabilities);
	RUN(q35_bridges_lead_to_their_secondary_buses);
	RUN(legacy_ports_give_the_same_enumeration);
	RUN(legacy_address_word_and_data_port);
	RUN(ecam_offsets_follow_the_mcfg_window);
	RUN(ecam_accessor_reads_the_recorded_q35_spaces);
	RUN(enumeration_counts_what_does_not_fit);
	RUN(capability_loop_is_stopped_and_reported);
	RUN(capability_pointer_into_the_header_is_rejected);
	RUN(the_longest_possible_capability_chain_is_accepted);
	RUN(short_or_foreign_vendor_capabilities_are_ignored);
	RUN(bad_bars_are_marked_not_trusted);
	RUN(non_contiguous_size_mask_is_a_bad_bar);
	RUN(bridges_with_bad_or_repeated_bus_numbers_are_not_followed);
	RUN(functions_above_zero_are_probed_only_on_multifunction_devices);
	RUN(msi_message_for_x86_local_apics);
	RUN(msi_program_writes_the_capability_of_the_q35_ahci);
	RUN(msi_on_a_32bit_maskable_capability_unmasks_vector_zero);
	RUN(msix_table_entries_are_written_masked_then_unmasked);
	RUN(msix_table_outside_its_bar_is_rejected);
	RUN(drivers_may_write_command_and_capabilities_but_nothing_that_moves_the_device);
	return check_summary();
}
