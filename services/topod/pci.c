/*
 * pci.c - PCI/PCIe enumeration, BAR sizing, capability walk and MSI/MSI-X
 * programming (pci.h).
 *
 * All configuration-space traffic goes through struct pci_cfg; nothing
 * here keeps state between calls.
 */
#include "pci.h"

#define BAR_IO_MASK 0xfffffffcu
#define BAR_MEM_MASK 0xfffffff0u
#define ROM_ADDR_MASK 0xfffff800u

#define MSI_CTRL_ENABLE 0x0001u
#define MSI_CTRL_MMC_SHIFT 1
#define MSI_CTRL_MME_MASK 0x0070u
#define MSI_CTRL_64BIT 0x0080u
#define MSI_CTRL_MASKABLE 0x0100u
#define MSIX_CTRL_SIZE_MASK 0x07ffu
#define MSIX_CTRL_FN_MASK 0x4000u
#define MSIX_CTRL_ENABLE 0x8000u
#define MSIX_ENTRY_SIZE 16u
#define MSIX_VECTOR_MASKED 0x1u

#define CAP_FIRST 0x40u /* capabilities live after the header */
#define CAP_MAX 48u     /* (256 - 64) / 4 distinct dword slots */

static uint32_t rd(const struct pci_cfg *c, const struct pci_function *f, uint16_t off, unsigned w)
{
	return c->read(c->ctx, f->bus, f->dev, f->fn, off, w);
}

static void wr(const struct pci_cfg *c, const struct pci_function *f, uint16_t off, unsigned w,
	       uint32_t v)
{
	c->write(c->ctx, f->bus, f->dev, f->fn, off, w, v);
}

/* ---- back-ends ---------------------------------------------------------- */

status_t pci_ecam_offset(const struct pci_ecam *w, uint8_t bus, uint8_t dev, uint8_t fn,
			 uint16_t reg, uint64_t *off)
{
	if (w->bus_end < w->bus_start)
		return STATUS_INVALID;
	if (bus < w->bus_start || bus > w->bus_end || dev >= PCI_MAX_DEV || fn >= PCI_MAX_FN ||
	    reg >= PCI_ECAM_CFG_SIZE)
		return STATUS_RANGE;
	*off = (uint64_t)(bus - w->bus_start) << 20 | (uint64_t)dev << 15 | (uint64_t)fn << 12 |
	       reg;
	return STATUS_OK;
}

uint64_t pci_ecam_size(const struct pci_ecam *w)
{
	if (w->bus_end < w->bus_start)
		return 0;
	return (uint64_t)(w->bus_end - w->bus_start + 1) << 20;
}

status_t pci_legacy_address(uint8_t bus, uint8_t dev, uint8_t fn, uint16_t reg, unsigned width,
			    uint32_t *addr, uint16_t *port)
{
	if (width != 1 && width != 2 && width != 4)
		return STATUS_INVALID;
	if (reg % width)
		return STATUS_INVALID;
	if (dev >= PCI_MAX_DEV || fn >= PCI_MAX_FN || reg >= PCI_CFG_SIZE)
		return STATUS_RANGE;
	*addr = 0x80000000u | (uint32_t)bus << 16 | (uint32_t)dev << 11 | (uint32_t)fn << 8 |
		(reg & 0xfcu);
	*port = (uint16_t)(0xcfc + (reg & 3));
	return STATUS_OK;
}

static uint32_t all_ones(unsigned width)
{
	return width >= 4 ? 0xffffffffu : (1u << (8 * width)) - 1;
}

static uint32_t legacy_read(void *ctx, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off,
			    unsigned width)
{
	const struct pci_ports *p = ctx;
	uint32_t addr;
	uint16_t port;

	if (pci_legacy_address(bus, dev, fn, off, width, &addr, &port))
		return all_ones(width);
	p->out(p->ctx, 0xcf8, 4, addr);
	return p->in(p->ctx, port, width);
}

static void legacy_write(void *ctx, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off,
			 unsigned width, uint32_t val)
{
	const struct pci_ports *p = ctx;
	uint32_t addr;
	uint16_t port;

	if (pci_legacy_address(bus, dev, fn, off, width, &addr, &port))
		return;
	p->out(p->ctx, 0xcf8, 4, addr);
	p->out(p->ctx, port, width, val);
}

struct pci_cfg pci_legacy_cfg(const struct pci_ports *ports)
{
	return (struct pci_cfg){ legacy_read, legacy_write, (void *)ports };
}

static volatile uint8_t *ecam_ptr(const struct pci_ecam_map *m, uint8_t bus, uint8_t dev,
				  uint8_t fn, uint16_t off, unsigned width)
{
	uint64_t o;

	if ((width != 1 && width != 2 && width != 4) || off % width)
		return NULL;
	if (pci_ecam_offset(&m->window, bus, dev, fn, off, &o))
		return NULL;
	return m->base + o;
}

static uint32_t ecam_read(void *ctx, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off,
			  unsigned width)
{
	volatile uint8_t *p = ecam_ptr(ctx, bus, dev, fn, off, width);

	if (!p)
		return all_ones(width);
	if (width == 1)
		return *p;
	if (width == 2)
		return *(volatile uint16_t *)p;
	return *(volatile uint32_t *)p;
}

static void ecam_write(void *ctx, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off,
		       unsigned width, uint32_t val)
{
	volatile uint8_t *p = ecam_ptr(ctx, bus, dev, fn, off, width);

	if (!p)
		return;
	if (width == 1)
		*p = (uint8_t)val;
	else if (width == 2)
		*(volatile uint16_t *)p = (uint16_t)val;
	else
		*(volatile uint32_t *)p = val;
}

struct pci_cfg pci_ecam_cfg(const struct pci_ecam_map *map)
{
	return (struct pci_cfg){ ecam_read, ecam_write, (void *)map };
}

/* ---- BARs ---------------------------------------------------------------- */

/* Writes all ones to the 32-bit register at off and returns what reads
 * back, restoring the original value. */
static uint32_t probe_mask(const struct pci_cfg *c, const struct pci_function *f, uint16_t off,
			   uint32_t orig, uint32_t ones)
{
	uint32_t mask;

	wr(c, f, off, 4, ones);
	mask = rd(c, f, off, 4);
	wr(c, f, off, 4, orig);
	return mask;
}

static bool is_pow2_64(uint64_t v)
{
	return v && (v & (v - 1)) == 0;
}

/* Size from a mask of writable address bits: the lowest set bit. Zero
 * for no writable bits; BAD (via *ok) when the bits are not contiguous. */
static uint64_t size_of(uint64_t mask, bool *ok)
{
	uint64_t size = mask & (~mask + 1);

	*ok = mask == 0 || (is_pow2_64(size) && (mask | (size - 1)) == UINT64_MAX);
	return size;
}

static void size_io_bar(const struct pci_cfg *c, const struct pci_function *f, uint16_t off,
			uint32_t orig, struct pci_bar *b)
{
	uint32_t m = probe_mask(c, f, off, orig, 0xffffffffu) & BAR_IO_MASK;
	bool ok;

	/* Devices decoding only 16 address bits may leave the upper half 0. */
	if (m && !(m & 0xffff0000u))
		m |= 0xffff0000u;
	b->size = size_of(0xffffffff00000000ull | m, &ok);
	b->base = orig & BAR_IO_MASK;
	b->type = !m ? PCI_BAR_NONE : ok ? PCI_BAR_IO : PCI_BAR_BAD;
	if (!m)
		b->size = 0;
}

/* Sizes BAR i; returns how many BAR slots it used (2 for 64-bit). */
static unsigned size_bar(const struct pci_cfg *c, struct pci_function *f, unsigned i)
{
	uint16_t off = (uint16_t)(PCI_BAR0 + 4 * i);
	uint32_t lo = rd(c, f, off, 4), hi = 0, mlo, mhi = 0xffffffffu;
	struct pci_bar *b = &f->bars[i];
	unsigned kind = (lo >> 1) & 3;
	bool ok;

	if (lo & 1) {
		size_io_bar(c, f, off, lo, b);
		return 1;
	}
	b->prefetchable = (lo & 0x8) != 0;
	if (kind == 1 || kind == 3 || (kind == 2 && i + 1 >= f->bar_count)) {
		b->type = PCI_BAR_BAD;
		return 1;
	}
	mlo = probe_mask(c, f, off, lo, 0xffffffffu) & BAR_MEM_MASK;
	if (kind == 2) {
		hi = rd(c, f, (uint16_t)(off + 4), 4);
		mhi = probe_mask(c, f, (uint16_t)(off + 4), hi, 0xffffffffu);
	}
	b->base = (uint64_t)hi << 32 | (lo & BAR_MEM_MASK);
	b->size = size_of((uint64_t)mhi << 32 | mlo, &ok);
	if (!mlo && (kind != 2 || !mhi)) {
		b->type = PCI_BAR_NONE;
		b->size = 0;
	} else {
		b->type = !ok ? PCI_BAR_BAD : kind == 2 ? PCI_BAR_MEM64 : PCI_BAR_MEM32;
	}
	if (kind != 2)
		return 1;
	f->bars[i + 1] = (struct pci_bar){ .type = PCI_BAR_MEM64_HIGH };
	return 2;
}

static void size_rom(const struct pci_cfg *c, struct pci_function *f)
{
	uint16_t off = f->header_type == 1 ? PCI_ROM1 : PCI_ROM0;
	uint32_t orig = rd(c, f, off, 4);
	uint32_t m = probe_mask(c, f, off, orig, ROM_ADDR_MASK) & ROM_ADDR_MASK;
	bool ok;

	f->rom.base = orig & ROM_ADDR_MASK;
	f->rom.size = size_of(0xffffffff00000000ull | m, &ok);
	f->rom.type = !m ? PCI_BAR_NONE : ok ? PCI_BAR_MEM32 : PCI_BAR_BAD;
	if (!m)
		f->rom.size = 0;
}

status_t pci_size_bars(const struct pci_cfg *c, struct pci_function *f)
{
	uint16_t cmd;
	status_t st = STATUS_OK;

	f->bar_count = f->header_type == 0 ? 6 : f->header_type == 1 ? 2 : 0;
	for (unsigned i = 0; i < PCI_MAX_BARS; i++)
		f->bars[i] = (struct pci_bar){ 0 };
	f->rom = (struct pci_bar){ 0 };
	if (!f->bar_count)
		return STATUS_OK;
	cmd = (uint16_t)rd(c, f, PCI_COMMAND, 2);
	wr(c, f, PCI_COMMAND, 2, cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	for (unsigned i = 0; i < f->bar_count;)
		i += size_bar(c, f, i);
	size_rom(c, f);
	wr(c, f, PCI_COMMAND, 2, cmd);
	for (unsigned i = 0; i < f->bar_count; i++)
		if (f->bars[i].type == PCI_BAR_BAD)
			st = STATUS_BAD_FORMAT;
	return st;
}

/* ---- capabilities ------------------------------------------------------- */

static void read_msi(const struct pci_cfg *c, struct pci_function *f, uint8_t at)
{
	uint16_t ctrl = (uint16_t)rd(c, f, (uint16_t)(at + 2), 2);
	unsigned mmc = (ctrl >> MSI_CTRL_MMC_SHIFT) & 7;

	f->caps.msi = at;
	f->caps.msi_64bit = (ctrl & MSI_CTRL_64BIT) != 0;
	f->caps.msi_maskable = (ctrl & MSI_CTRL_MASKABLE) != 0;
	f->caps.msi_vectors = (uint8_t)(1u << (mmc > 5 ? 5 : mmc));
}

static void read_msix(const struct pci_cfg *c, struct pci_function *f, uint8_t at)
{
	uint16_t ctrl = (uint16_t)rd(c, f, (uint16_t)(at + 2), 2);
	uint32_t table = rd(c, f, (uint16_t)(at + 4), 4);
	uint32_t pba = rd(c, f, (uint16_t)(at + 8), 4);

	f->caps.msix = at;
	f->caps.msix_size = (uint16_t)((ctrl & MSIX_CTRL_SIZE_MASK) + 1);
	f->caps.msix_table_bir = table & 7;
	f->caps.msix_table_off = table & ~7u;
	f->caps.msix_pba_bir = pba & 7;
	f->caps.msix_pba_off = pba & ~7u;
}

/* Decodes a virtio vendor capability (virtio 1.x 4.1.4); others, and ones
 * too short for their type, are ignored. */
static void read_vendor(const struct pci_cfg *c, struct pci_function *f, uint8_t at)
{
	uint8_t len = (uint8_t)rd(c, f, (uint16_t)(at + 2), 1);
	uint8_t type = (uint8_t)rd(c, f, (uint16_t)(at + 3), 1);
	struct pci_virtio_cap *v;

	if (f->vendor != PCI_VENDOR_VIRTIO || len < 16 ||
	    f->caps.virtio_count >= PCI_MAX_VENDOR_CAPS)
		return;
	if ((unsigned)at + len > PCI_CFG_SIZE || (type == 2 && len < 20))
		return;
	v = &f->caps.virtio[f->caps.virtio_count++];
	v->cap_off = at;
	v->cfg_type = type;
	v->bar = (uint8_t)rd(c, f, (uint16_t)(at + 4), 1);
	v->id = (uint8_t)rd(c, f, (uint16_t)(at + 5), 1);
	v->offset = rd(c, f, (uint16_t)(at + 8), 4);
	v->length = rd(c, f, (uint16_t)(at + 12), 4);
	v->notify_off_multiplier = type == 2 ? rd(c, f, (uint16_t)(at + 16), 4) : 0;
}

static void read_cap(const struct pci_cfg *c, struct pci_function *f, uint8_t at, uint8_t id)
{
	switch (id) {
	case PCI_CAP_MSI:
		if (!f->caps.msi)
			read_msi(c, f, at);
		break;
	case PCI_CAP_MSIX:
		if (!f->caps.msix)
			read_msix(c, f, at);
		break;
	case PCI_CAP_PCIE:
		if (!f->caps.pcie) {
			f->caps.pcie = at;
			f->caps.pcie_type = (rd(c, f, (uint16_t)(at + 2), 2) >> 4) & 0xf;
		}
		break;
	case PCI_CAP_VENDOR:
		read_vendor(c, f, at);
		break;
	}
}

status_t pci_read_caps(const struct pci_cfg *c, struct pci_function *f)
{
	uint64_t seen = 0;
	uint8_t at;

	f->caps = (struct pci_caps){ 0 };
	if (!(rd(c, f, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST) || f->header_type > 1)
		return STATUS_OK;
	at = (uint8_t)rd(c, f, PCI_CAP_PTR, 1) & 0xfc;
	while (at) {
		unsigned slot = (at - CAP_FIRST) / 4;

		if (at < CAP_FIRST || (seen >> slot & 1) || f->caps.count >= CAP_MAX) {
			f->caps.status = STATUS_BAD_FORMAT;
			break;
		}
		seen |= 1ull << slot;
		f->caps.count++;
		read_cap(c, f, at, (uint8_t)rd(c, f, at, 1));
		at = (uint8_t)rd(c, f, (uint16_t)(at + 1), 1) & 0xfc;
	}
	return f->caps.status;
}

/* True when [off, off + len) lies in memory BAR bir of f. */
static bool in_mem_bar(const struct pci_function *f, uint8_t bir, uint64_t off, uint64_t len)
{
	const struct pci_bar *b;

	if (bir >= f->bar_count)
		return false;
	b = &f->bars[bir];
	if (b->type != PCI_BAR_MEM32 && b->type != PCI_BAR_MEM64)
		return false;
	return off <= b->size && len <= b->size - off;
}

status_t pci_msix_check(const struct pci_function *f)
{
	const struct pci_caps *k = &f->caps;
	uint64_t pba_len = ((uint64_t)k->msix_size + 63) / 64 * 8;

	if (!k->msix)
		return STATUS_NOT_FOUND;
	if (!in_mem_bar(f, k->msix_table_bir, k->msix_table_off,
			(uint64_t)k->msix_size * MSIX_ENTRY_SIZE) ||
	    !in_mem_bar(f, k->msix_pba_bir, k->msix_pba_off, pba_len))
		return STATUS_BAD_FORMAT;
	return STATUS_OK;
}

/* ---- probing and the bus walk -------------------------------------------- */

static void read_identity(const struct pci_cfg *c, struct pci_function *f)
{
	uint32_t class_rev = rd(c, f, PCI_REVISION, 4);
	uint8_t ht = (uint8_t)rd(c, f, PCI_HEADER_TYPE, 1);

	f->device = (uint16_t)rd(c, f, PCI_DEVICE_ID, 2);
	f->revision = (uint8_t)class_rev;
	f->prog_if = (uint8_t)(class_rev >> 8);
	f->subclass = (uint8_t)(class_rev >> 16);
	f->class_code = (uint8_t)(class_rev >> 24);
	f->header_type = ht & PCI_HEADER_TYPE_MASK;
	f->multifunction = (ht & PCI_HEADER_MULTIFUNCTION) != 0;
	f->command = (uint16_t)rd(c, f, PCI_COMMAND, 2);
	if (f->header_type == 0) {
		f->subsys_vendor = (uint16_t)rd(c, f, PCI_SUBSYS_VENDOR, 2);
		f->subsys_id = (uint16_t)rd(c, f, PCI_SUBSYS_ID, 2);
	} else if (f->header_type == 1) {
		f->secondary_bus = (uint8_t)rd(c, f, PCI_BRIDGE_SECONDARY, 1);
		f->subordinate_bus = (uint8_t)rd(c, f, PCI_BRIDGE_SUBORDINATE, 1);
	}
}

status_t pci_probe(const struct pci_cfg *c, uint8_t bus, uint8_t dev, uint8_t fn,
		   struct pci_function *out)
{
	status_t st;

	*out = (struct pci_function){ .bus = bus, .dev = dev, .fn = fn };
	out->vendor = (uint16_t)rd(c, out, PCI_VENDOR_ID, 2);
	if (out->vendor == 0xffff || out->vendor == 0)
		return STATUS_NOT_FOUND;
	read_identity(c, out);
	if (out->header_type > 1) {
		out->status = STATUS_BAD_FORMAT; /* CardBus or unknown: not decoded */
		return STATUS_OK;
	}
	st = pci_size_bars(c, out);
	if (pci_read_caps(c, out) && !st)
		st = STATUS_BAD_FORMAT;
	if (out->caps.msix && pci_msix_check(out) && !st)
		st = STATUS_BAD_FORMAT;
	out->status = st;
	return STATUS_OK;
}

static bool bus_seen(const struct pci_enum *e, uint8_t bus)
{
	return e->bus_seen[bus / 8] >> (bus % 8) & 1;
}

/* Records f and queues the secondary bus of a bridge worth following. */
static void record(const struct pci_function *f, struct pci_enum *e)
{
	uint8_t sec = f->secondary_bus;

	if (e->count < e->cap)
		e->fns[e->count++] = *f;
	else
		e->dropped++;
	if (f->header_type != 1)
		return;
	if (sec <= f->bus || sec > f->subordinate_bus || bus_seen(e, sec)) {
		e->bridges_skipped++;
		return;
	}
	e->bus_seen[sec / 8] |= (uint8_t)(1u << (sec % 8));
	e->queue[e->queued++] = sec;
}

static void walk_bus(const struct pci_cfg *c, uint8_t bus, struct pci_enum *e)
{
	struct pci_function f;

	for (uint8_t dev = 0; dev < PCI_MAX_DEV; dev++) {
		if (pci_probe(c, bus, dev, 0, &f))
			continue;
		record(&f, e);
		if (!f.multifunction)
			continue;
		for (uint8_t fn = 1; fn < PCI_MAX_FN; fn++)
			if (!pci_probe(c, bus, dev, fn, &f))
				record(&f, e);
	}
}

status_t pci_enumerate(const struct pci_cfg *c, uint8_t root_bus, struct pci_enum *e)
{
	e->count = 0;
	e->dropped = 0;
	e->bridges_skipped = 0;
	for (unsigned i = 0; i < sizeof e->bus_seen; i++)
		e->bus_seen[i] = 0;
	e->bus_seen[root_bus / 8] = (uint8_t)(1u << (root_bus % 8));
	e->queue[0] = root_bus;
	e->queued = 1;
	/* Each bus is queued at most once, so this ends after 256 buses. */
	for (unsigned next = 0; next < e->queued; next++)
		walk_bus(c, e->queue[next], e);
	return e->dropped ? STATUS_FULL : STATUS_OK;
}

/* ---- MSI and MSI-X ----------------------------------------------------- */

status_t pci_msi_compose(uint32_t apic_id, uint8_t vector, struct pci_msi_msg *msg)
{
	if (vector < 32 || apic_id > 255)
		return STATUS_RANGE;
	msg->address = 0xfee00000ull | (uint64_t)apic_id << 12;
	msg->data = vector; /* fixed delivery, edge, assert */
	return STATUS_OK;
}

status_t pci_msi_program(const struct pci_cfg *c, const struct pci_function *f,
			 const struct pci_msi_msg *msg)
{
	uint8_t at = f->caps.msi;
	uint16_t ctrl;

	if (!at)
		return STATUS_NOT_FOUND;
	if ((msg->address >> 32) && !f->caps.msi_64bit)
		return STATUS_RANGE;
	ctrl = (uint16_t)rd(c, f, (uint16_t)(at + 2), 2);
	ctrl &= (uint16_t) ~(MSI_CTRL_ENABLE | MSI_CTRL_MME_MASK);
	wr(c, f, (uint16_t)(at + 2), 2, ctrl);
	wr(c, f, (uint16_t)(at + 4), 4, (uint32_t)msg->address);
	if (f->caps.msi_64bit) {
		wr(c, f, (uint16_t)(at + 8), 4, (uint32_t)(msg->address >> 32));
		wr(c, f, (uint16_t)(at + 12), 2, msg->data & 0xffff);
	} else {
		wr(c, f, (uint16_t)(at + 8), 2, msg->data & 0xffff);
	}
	if (f->caps.msi_maskable) /* unmask vector 0 */
		wr(c, f, (uint16_t)(at + (f->caps.msi_64bit ? 16 : 12)), 4,
		   rd(c, f, (uint16_t)(at + (f->caps.msi_64bit ? 16 : 12)), 4) & ~1u);
	wr(c, f, PCI_COMMAND, 2, rd(c, f, PCI_COMMAND, 2) | PCI_COMMAND_INTX_DISABLE);
	wr(c, f, (uint16_t)(at + 2), 2, ctrl | MSI_CTRL_ENABLE);
	return STATUS_OK;
}

status_t pci_msi_disable(const struct pci_cfg *c, const struct pci_function *f)
{
	uint8_t at = f->caps.msi;

	if (!at)
		return STATUS_NOT_FOUND;
	wr(c, f, (uint16_t)(at + 2), 2, rd(c, f, (uint16_t)(at + 2), 2) & ~MSI_CTRL_ENABLE);
	return STATUS_OK;
}

static status_t msix_entry(const struct pci_function *f, uint16_t index, uint64_t *off)
{
	if (!f->caps.msix)
		return STATUS_NOT_FOUND;
	if (index >= f->caps.msix_size)
		return STATUS_RANGE;
	*off = f->caps.msix_table_off + (uint64_t)index * MSIX_ENTRY_SIZE;
	return STATUS_OK;
}

status_t pci_msix_mask(const struct pci_mmio *m, const struct pci_function *f, uint16_t index,
		       bool mask)
{
	uint64_t e;
	uint32_t ctl;
	status_t st = msix_entry(f, index, &e);

	if (st)
		return st;
	ctl = m->read32(m->ctx, e + 12);
	ctl = mask ? ctl | MSIX_VECTOR_MASKED : ctl & ~MSIX_VECTOR_MASKED;
	m->write32(m->ctx, e + 12, ctl);
	return STATUS_OK;
}

status_t pci_msix_write(const struct pci_mmio *m, const struct pci_function *f, uint16_t index,
			const struct pci_msi_msg *msg)
{
	uint64_t e = 0;
	status_t st = msix_entry(f, index, &e);

	if (st)
		return st;
	pci_msix_mask(m, f, index, true);
	m->write32(m->ctx, e + 0, (uint32_t)msg->address);
	m->write32(m->ctx, e + 4, (uint32_t)(msg->address >> 32));
	m->write32(m->ctx, e + 8, msg->data);
	return STATUS_OK;
}

status_t pci_msix_enable(const struct pci_cfg *c, const struct pci_function *f, bool enable)
{
	uint8_t at = f->caps.msix;
	uint16_t ctrl;

	if (!at)
		return STATUS_NOT_FOUND;
	ctrl = (uint16_t)rd(c, f, (uint16_t)(at + 2), 2);
	if (enable) {
		wr(c, f, PCI_COMMAND, 2, rd(c, f, PCI_COMMAND, 2) | PCI_COMMAND_INTX_DISABLE);
		ctrl = (uint16_t)((ctrl | MSIX_CTRL_ENABLE) & ~MSIX_CTRL_FN_MASK);
	} else {
		ctrl &= (uint16_t)~MSIX_CTRL_ENABLE;
	}
	wr(c, f, (uint16_t)(at + 2), 2, ctrl);
	return STATUS_OK;
}

/* ---- what a driver may write ------------------------------------------- */

static bool overlaps(uint32_t a, uint32_t alen, uint32_t b, uint32_t blen)
{
	return a < b + blen && b < a + alen;
}

/* Bytes of f's MSI capability: header, address, data, and the mask and
 * pending words when it can mask. */
static uint32_t msi_len(const struct pci_function *f)
{
	uint32_t n = f->caps.msi_64bit ? 14 : 10;

	return f->caps.msi_maskable ? n + 10 : n;
}

/* The command register bits a write of width bytes at off sets, or 0 when
 * it does not touch the low byte of the command register. */
static uint16_t command_bits(uint16_t off, unsigned width, uint32_t val)
{
	if (off == PCI_COMMAND)
		return (uint16_t)val;
	if (off < PCI_COMMAND && off + width > PCI_COMMAND)
		return (uint16_t)(val >> (8 * (PCI_COMMAND - off)));
	return 0;
}

status_t pci_policy_write(const struct pci_function *f, const struct pci_grant *g, uint8_t bus,
			  uint8_t dev, uint8_t fn, uint16_t off, unsigned width, uint32_t val,
			  uint16_t cfg_size)
{
	if (bus != g->bus || dev != g->dev || fn != g->fn || bus != f->bus || dev != f->dev ||
	    fn != f->fn)
		return STATUS_NO_RIGHTS;
	if ((width != 1 && width != 2 && width != 4) || off % width || off + width > cfg_size)
		return STATUS_INVALID;
	if (off < CAP_FIRST && (off < PCI_COMMAND || off + width > PCI_STATUS + 2))
		return STATUS_NO_RIGHTS;
	if ((command_bits(off, width, val) & PCI_COMMAND_MASTER) && !g->bus_master)
		return STATUS_NO_RIGHTS;
	if (f->caps.msi && overlaps(off, width, f->caps.msi, msi_len(f)))
		return STATUS_NO_RIGHTS;
	return STATUS_OK;
}
