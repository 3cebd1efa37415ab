/*
 * device.c - bringing the virtio-blk function up with what topod handed
 * blkd: the configuration capability (start capability 0; reads free,
 * writes gated by topod), the BARs (mapped uncached), bus mastering (the
 * manifest says `busmaster yes`), DMA memory for the queue, and the
 * partition table, read once.
 */
#include <string.h>

#include "abi/msi.h"
#include "blkd.h"
#include "keel/codec.h"
#include "keel/map.h"
#include "keel/spawn.h"
#include "keel/sys.h"
#include "topod/protocol.h"

#define CALL_NS 1000000000ull
#define PCI_CAP_PTR 0x34
#define PCI_CAP_VENDOR 0x09
#define SYNC_SPINS 2000000u
#define MSIX_CTRL 2 /* message control, in the MSI-X capability */
#define MSIX_ENABLE 0x8000u
#define MSIX_FN_MASK 0x4000u

/* A call to topod on the configuration capability. */
static status_t cfg_call(struct blkd *d, struct keel_msg *m)
{
	uint32_t label = m->label, l;
	status_t st = sys_msg_call(d->cfg, m, CALL_NS), err;
	if (st == STATUS_OK && m->label != label)
		st = loop_error_parse(m, &err, &l) == STATUS_OK ? err : STATUS_BAD_FORMAT;
	return st;
}

static status_t cfg_rw(struct blkd *d, bool write, uint16_t off, uint8_t width, uint32_t *v)
{
	struct keel_msg m;
	struct codec_writer w;
	uint8_t b[4] = { d->bus, d->dev, d->fn, width };
	codec_msg_begin(&w, &m, write ? TOPO_CFG_WRITE : TOPO_CFG_READ);
	codec_put_bytes(&w, b, 4);
	codec_put_u16(&w, off);
	if (write)
		codec_put_u32(&w, *v);
	codec_msg_end(&w, &m);
	status_t st = cfg_call(d, &m);
	if (st == STATUS_OK && !write)
		memcpy(v, m.payload, 4);
	return st;
}

static uint32_t bar_read(void *ctx, uint8_t bar, uint64_t off, unsigned width)
{
	struct blkd *d = ctx;
	if (bar >= 6 || !d->bar_va[bar] || off + width > d->bar_size[bar])
		return 0xffffffffu;
	volatile uint8_t *p = d->bar_va[bar] + off;
	return width == 1 ? *p : width == 2 ? *(volatile uint16_t *)p : *(volatile uint32_t *)p;
}

static void bar_write(void *ctx, uint8_t bar, uint64_t off, unsigned width, uint32_t val)
{
	struct blkd *d = ctx;
	if (bar >= 6 || !d->bar_va[bar] || off + width > d->bar_size[bar])
		return;
	volatile uint8_t *p = d->bar_va[bar] + off;
	if (width == 1)
		*p = (uint8_t)val;
	else if (width == 2)
		*(volatile uint16_t *)p = (uint16_t)val;
	else
		*(volatile uint32_t *)p = val;
}

/* Maps every memory BAR topod handed out (TOPO_CFG_BAR says which). */
static status_t map_bars(struct blkd *d)
{
	for (uint8_t bar = 0; bar < 6; bar++) {
		struct keel_msg m = { .label = TOPO_CFG_BAR, .len = 1, .payload = { bar } };
		uint64_t base, size;
		void *va;
		if (cfg_call(d, &m) != STATUS_OK)
			continue;
		memcpy(&base, m.payload + 8, 8);
		memcpy(&size, m.payload + 16, 8);
		uint8_t type = m.payload[0], item = m.payload[1];
		if (type == 4 /* I/O */ || item >= KEEL_START_CAPS)
			continue;
		uint64_t pages = ((base & 0xfff) + size + 0xfff) / 0x1000;
		status_t st = keel_map(keel_start_cap(d->s, item), 0, pages,
				       RIGHT_READ | RIGHT_WRITE, &va);
		if (st)
			return st;
		d->bar_va[bar] = (volatile uint8_t *)va + (base & 0xfff);
		d->bar_size[bar] = size;
	}
	return STATUS_OK;
}

/* Walks the capability list for the virtio vendor capabilities. */
static status_t find_layout(struct blkd *d)
{
	struct virtio_cap caps[8];
	size_t n = 0;
	uint32_t v = 0;
	status_t st = cfg_rw(d, false, PCI_CAP_PTR, 1, &v);
	for (int hops = 0; st == STATUS_OK && v >= 0x40 && v < 0x100 && hops < 48; hops++) {
		uint8_t raw[20];
		uint16_t at = (uint16_t)(v & 0xfc);
		for (int i = 0; i < 20 && st == STATUS_OK; i += 4) {
			uint32_t w = 0;
			st = cfg_rw(d, false, (uint16_t)(at + i), 4, &w);
			memcpy(raw + i, &w, 4);
		}
		if (st == STATUS_OK && raw[0] == PCI_CAP_VENDOR && n < 8 &&
		    virtio_cap_decode(raw, sizeof raw, &caps[n]) == STATUS_OK)
			n++;
		v = raw[1];
	}
	return st ? st : virtio_locate(caps, n, d->bar_size, &d->layout);
}

/* DMA memory: contiguous pages from topod, which keeps them until bus
 * mastering is off after blkd dies (TOPO_CFG_DMA), so that a request in
 * flight then cannot land in pages given to someone else. */
static status_t dma_alloc(struct blkd *d, size_t bytes, uint8_t **va, uint64_t *phys)
{
	struct keel_msg m = { .label = TOPO_CFG_DMA, .len = 4 };
	uint32_t pages = (uint32_t)((bytes + 4095) / 4096);
	memcpy(m.payload, &pages, 4);
	status_t st = cfg_call(d, &m);
	if (st == STATUS_OK && (!(m.flags & MSG_FLAG_CAP) || m.len < 12))
		st = STATUS_BAD_FORMAT;
	if (st == STATUS_OK)
		st = keel_map(m.cap, 0, pages, RIGHT_READ | RIGHT_WRITE, (void **)va);
	if (st == STATUS_OK)
		memcpy(phys, m.payload, 8);
	return st;
}

/* Asks topod for the vector of table entry and programs the entry with
 * its message (the table's BAR is mapped by map_bars). */
static status_t msix_vector(struct blkd *d, uint16_t entry)
{
	struct keel_msg m = { .label = TOPO_CFG_MSIX, .len = 4 };
	uint16_t cpu = TOPO_CPU_ANY;
	uint64_t msg;
	uint32_t off;
	memcpy(m.payload, &entry, 2);
	memcpy(m.payload + 2, &cpu, 2);
	status_t st = cfg_call(d, &m);
	if (st == STATUS_OK && (!(m.flags & MSG_FLAG_CAP) || m.len < 24))
		st = STATUS_BAD_FORMAT;
	if (st)
		return st;
	d->vec[entry] = m.cap;
	memcpy(&off, m.payload + 8, 4);
	memcpy(&msg, m.payload + 16, 8);
	d->msix_table = (struct virtio_msix){ m.payload[0], off, 0 };
	memcpy(&d->msix_table.entries, m.payload + 4, 2);
	d->msix_cap = m.payload[2];
	return virtio_msix_program(&d->io, &d->msix_table, entry, msi_address(msg), msi_data(msg));
}

/* Sets or clears MSI-X enable in the capability (through topod); the
 * function mask is cleared either way. */
static status_t msix_enable(struct blkd *d, bool on)
{
	uint32_t ctrl = 0;
	uint16_t at = (uint16_t)(d->msix_cap + MSIX_CTRL);
	status_t st = d->msix_cap ? cfg_rw(d, false, at, 2, &ctrl) : STATUS_NOT_FOUND;
	ctrl = (ctrl & ~MSIX_FN_MASK & ~MSIX_ENABLE) | (on ? MSIX_ENABLE : 0);
	return st ? st : cfg_rw(d, true, at, 2, &ctrl);
}

/* MSI-X off and its vectors given up: the INTx line it is. */
static void msix_off(struct blkd *d, const char *why, status_t st)
{
	if (d->msix_cap)
		msix_enable(d, false);
	for (int e = 0; e < BLKD_VECTORS; e++) {
		if (d->vec[e] != CAP_HANDLE_NONE)
			sys_cap_delete(d->vec[e]);
		d->vec[e] = CAP_HANDLE_NONE;
	}
	d->msix = false;
	keel_print(d->s->witness, "blkd: no MSI-X (%s: %s): the INTx line and a poll timer\n", why,
		   status_name(st));
}

/* Starts the device with MSI-X vectors if topod and the device give them,
 * else on the INTx line. */
static status_t start_device(struct blkd *d)
{
	status_t st = STATUS_OK;
	for (uint16_t e = 0; st == STATUS_OK && e < BLKD_VECTORS; e++)
		st = msix_vector(d, e);
	if (st == STATUS_OK && (st = msix_enable(d, true)) == STATUS_OK) {
		d->msix = true;
		st = blk_start(&d->b, &d->io, &d->layout, d->dma, d->dma_phys, d->dma_len,
			       BLKD_VEC_CONFIG, BLKD_VEC_QUEUE, &d->journal);
		if (st != STATUS_FULL)
			return st;
		msix_off(d, "the device refused a vector", st);
	} else {
		msix_off(d, "vectors", st);
	}
	return blk_start(&d->b, &d->io, &d->layout, d->dma, d->dma_phys, d->dma_len,
			 VIRTIO_MSI_NO_VECTOR, VIRTIO_MSI_NO_VECTOR, &d->journal);
}

status_t blkd_device_start(struct blkd *d)
{
	struct keel_msg m = { .label = TOPO_CFG_INFO };
	uint32_t cmd = 0;
	status_t st = cfg_call(d, &m);
	if (st)
		return st;
	d->bus = m.payload[0], d->dev = m.payload[1], d->fn = m.payload[2];
	if ((st = map_bars(d)) || (st = find_layout(d)))
		return st;
	st = cfg_rw(d, false, 4, 2, &cmd);
	/* topod stopped the function when the last blkd died (TOPO_GONE). */
	keel_print(d->s->witness, "blkd: command register %#x at start: bus mastering %s\n", cmd,
		   cmd & 0x0004 ? "ON" : "off");
	cmd |= 0x0006; /* memory decoding and bus mastering */
	if (st == STATUS_OK)
		st = cfg_rw(d, true, 4, 2, &cmd);
	d->dma_len = blk_dma_bytes();
	if (st == STATUS_OK)
		st = dma_alloc(d, d->dma_len, &d->dma, &d->dma_phys);
	if (st == STATUS_OK)
		st = dma_alloc(d, 2 * PART_MAX_BLOCK, &d->scratch, &d->scratch_phys);
	if (st)
		return st;
	d->io = (struct virtio_io){ bar_read, bar_write, d };
	blk_journal_init(&d->journal);
	return start_device(d);
}

/* Reads one block into the scratch pages, waiting for it (start-up only). */
static status_t sync_read(void *ctx, uint64_t lba, void *buf)
{
	struct blkd *d = ctx;
	struct blk_seg seg = { d->scratch_phys, d->b.block_size };
	struct blk_request r = { .op = BLK_READ, .lba = lba, .count = 1, .segs = &seg, .nsegs = 1 };
	struct blk_completion c;
	uint8_t res;
	size_t n = 0;
	if (!blk_submit(&d->b, &r, &res))
		return STATUS_BAD_FORMAT;
	blk_kick(&d->b);
	for (uint32_t spin = 0; n == 0 && spin < SYNC_SPINS; spin++) {
		if (blk_harvest(&d->b, &c, 1, &n))
			return STATUS_DEAD;
		if (!n)
			sys_thread_yield();
	}
	if (!n)
		return STATUS_TIMEOUT;
	blk_release(&d->b, c.slot);
	if (c.result != BLK_OK)
		return STATUS_BAD_FORMAT;
	memcpy(buf, d->scratch, d->b.block_size);
	return STATUS_OK;
}

status_t blkd_partitions(struct blkd *d)
{
	struct part_reader r = { sync_read, d, d->b.block_size, blk_blocks(&d->b) };
	static uint8_t scratch[2 * PART_MAX_BLOCK];
	d->devs[0] = (struct blk_part){ 0, blk_blocks(&d->b), d->b.read_only };
	d->ndevs = 1;
	status_t st = part_scan(&r, scratch, sizeof scratch, &d->table);
	for (uint32_t i = 0; st == STATUS_OK && i < d->table.count; i++) {
		const struct part_entry *e = &d->table.parts[i];
		if (e->problem != PART_OK || d->ndevs == BLKD_MAX_DEVS)
			continue;
		d->devs[d->ndevs] = (struct blk_part){ e->start, e->count, d->b.read_only };
		d->dev_index[d->ndevs++] = e->index;
	}
	return st == STATUS_NOT_FOUND ? STATUS_OK : st; /* no table: the whole disk only */
}
