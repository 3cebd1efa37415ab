/*
 * registry.c - topod's protocols (protocol.h): the registry (devices,
 * cores, watches), the hand-out of a PCI function to its driver, the
 * driver's configuration space, and power.
 *
 * The badge decides what a sender may do; a driver's configuration
 * capability names one function and one generation of its hand-out, so
 * a stale one (its driver was restarted and the function handed out
 * again) is refused. Every refusal is reported on the console.
 */
#include <string.h>

#include "keel/codec.h"
#include "keel/sys.h"
#include "topod.h"

static uint32_t device_count(const struct topo *t)
{
	return t->nfns + t->nlegacy;
}

/* Sends the answer of watch w: the device's current generation. */
static void watch_answer(struct topo *t, struct topo_watch *w)
{
	struct loop_reply r = { .msg = { .label = TOPO_WATCH, .len = 4 } };
	uint32_t gen = w->dev < t->nfns ? t->grants[w->dev].gen : 0;
	memcpy(r.msg.payload, &gen, 4);
	loop_reply(&t->loop, w->reply, &r);
	w->reply = CAP_HANDLE_NONE;
}

static status_t on_device(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			  void *ctx)
{
	struct topo *t = ctx;
	struct codec_reader rd;
	struct codec_writer w;
	uint32_t i;
	char name[TOPO_DEVICE_NAME] = { 0 };
	(void)loop;
	codec_msg_reader(&rd, m);
	if (codec_get_u32(&rd, &i))
		return STATUS_INVALID;
	if (i >= device_count(t))
		return STATUS_NOT_FOUND;
	codec_msg_begin(&w, &reply->msg, TOPO_DEVICE);
	codec_put_u32(&w, i);
	codec_put_u32(&w, device_count(t));
	if (i < t->nfns) {
		const struct pci_function *f = &t->fns[i];
		uint8_t line = (uint8_t)t->cfg.read(t->cfg.ctx, f->bus, f->dev, f->fn, 0x3c, 1);
		uint8_t pin = (uint8_t)t->cfg.read(t->cfg.ctx, f->bus, f->dev, f->fn, 0x3d, 1);
		uint8_t b[] = { TOPO_KIND_PCI, f->bus, f->dev, f->fn };
		codec_put_bytes(&w, b, 4);
		codec_put_u16(&w, f->vendor), codec_put_u16(&w, f->device);
		uint8_t c[] = { f->class_code, f->subclass, f->prog_if, pin ? line : 0xff };
		codec_put_bytes(&w, c, 4);
		codec_put_u32(&w, t->grants[i].gen);
		strncpy(name, topo_fn_name(f), sizeof name - 1);
	} else {
		const struct topo_legacy *l = &t->legacy[i - t->nfns];
		uint8_t b[] = { TOPO_KIND_LEGACY, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, l->irq };
		codec_put_bytes(&w, b, sizeof b);
		codec_put_u32(&w, 0);
		strncpy(name, l->name, sizeof name - 1);
	}
	codec_put_bytes(&w, name, sizeof name);
	return codec_msg_end(&w, &reply->msg);
}

static status_t on_core(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			void *ctx)
{
	struct topo *t = ctx;
	struct codec_reader rd;
	struct codec_writer w;
	uint32_t i;
	(void)loop;
	codec_msg_reader(&rd, m);
	if (codec_get_u32(&rd, &i))
		return STATUS_INVALID;
	if (i >= t->ncores)
		return STATUS_NOT_FOUND;
	uint32_t apic = t->madt.cpus[i].apic_id;
	int64_t dom = t->has_srat ? acpi_srat_cpu_domain(&t->srat, apic) : 0;
	codec_msg_begin(&w, &reply->msg, TOPO_CORE);
	codec_put_u32(&w, i), codec_put_u32(&w, t->ncores);
	codec_put_u32(&w, apic), codec_put_u32(&w, dom < 0 ? 0 : (uint32_t)dom);
	codec_put_u8(&w, t->cores[i].cls), codec_put_u8(&w, 0);
	codec_put_u16(&w, (uint16_t)t->cores[i].permille);
	codec_put_u32(&w, (uint32_t)t->cores[i].score);
	return codec_msg_end(&w, &reply->msg);
}

/* A watch is answered at once if the generation moved, else held. */
static status_t on_watch(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			 void *ctx)
{
	struct topo *t = ctx;
	(void)loop;
	struct codec_reader rd;
	uint32_t dev, gen;
	codec_msg_reader(&rd, m);
	if (codec_get_u32(&rd, &dev) || codec_get_u32(&rd, &gen) || !loop_msg_is_call(m))
		return STATUS_INVALID;
	if (dev >= device_count(t))
		return STATUS_NOT_FOUND;
	uint32_t cur = dev < t->nfns ? t->grants[dev].gen : 0;
	if (cur != gen) {
		reply->msg = (struct keel_msg){ .label = TOPO_WATCH, .len = 4 };
		memcpy(reply->msg.payload, &cur, 4);
		return STATUS_OK;
	}
	for (int i = 0; i < TOPO_MAX_WATCH; i++) {
		if (t->watch[i].reply == CAP_HANDLE_NONE) {
			t->watch[i] = (struct topo_watch){ m->cap, dev, gen };
			return STATUS_OK; /* no label: the answer comes later */
		}
	}
	return STATUS_FULL;
}

uint16_t topo_quiesce(struct topo *t, uint32_t i)
{
	const struct pci_function *f = &t->fns[i];
	uint16_t cmd = (uint16_t)t->cfg.read(t->cfg.ctx, f->bus, f->dev, f->fn, PCI_COMMAND, 2);
	t->cfg.write(t->cfg.ctx, f->bus, f->dev, f->fn, PCI_COMMAND, 2, cmd & ~PCI_COMMAND_MASTER);
	if (f->caps.msix)
		pci_msix_enable(&t->cfg, f, false);
	return cmd;
}

/* Ends everything handed out for function i and answers its watchers.
 * The caller has quiesced the function (topo_quiesce). */
static void grant_end(struct topo *t, uint32_t i)
{
	struct topo_grant *g = &t->grants[i];
	if (g->cfg_parent) {
		sys_cap_revoke(g->cfg_parent);
		sys_cap_delete(g->cfg_parent);
	}
	for (uint32_t k = 0; k < g->nparts; k++) {
		sys_cap_revoke(g->parts[k]);
		sys_cap_delete(g->parts[k]);
	}
	for (uint32_t k = 0; k < g->nvectors; k++) {
		sys_cap_revoke(g->vectors[k]); /* the driver's copy too */
		sys_cap_delete(g->vectors[k]); /* frees and masks the vector */
	}
	t->vectors_live -= g->nvectors;
	for (uint32_t k = 0; k < g->ndma; k++) {
		sys_cap_revoke(g->dma[k]);
		sys_cap_delete(g->dma[k]); /* the pages go: no DMA can reach them now */
	}
	g->cfg_parent = CAP_HANDLE_NONE;
	g->nparts = g->nvectors = g->ndma = g->dma_pages = 0;
	g->gen++;
	for (int w = 0; w < TOPO_MAX_WATCH; w++)
		if (t->watch[w].reply && t->watch[w].dev == i)
			watch_answer(t, &t->watch[w]);
}

/* The function with this vendor and device id that driver owns, else the
 * first one nobody owns (which it then owns). */
static int32_t find_fn(struct topo *t, uint16_t vendor, uint16_t device, uint32_t driver)
{
	int32_t free = -1;
	for (uint32_t i = 0; i < t->nfns; i++) {
		if (t->fns[i].vendor != vendor || t->fns[i].device != device ||
		    t->fns[i].header_type != 0)
			continue;
		if (t->grants[i].owner == driver + 1)
			return (int32_t)i;
		if (free < 0 && t->grants[i].owner == 0)
			free = (int32_t)i;
	}
	if (free >= 0)
		t->grants[free].owner = driver + 1;
	return free;
}

/* Splits part [first, first + count) off root, keeps it for revocation and
 * gives the caller a copy with rights. */
static status_t hand_part(struct topo_grant *g, cap_handle_t root, uint64_t first, uint64_t count,
			  uint32_t rights, cap_handle_t *out)
{
	cap_handle_t part;
	if (g->nparts == PCI_MAX_BARS + 1)
		return STATUS_FULL;
	status_t st = sys_device_split(root, first, count, &part);
	if (st)
		return st;
	g->parts[g->nparts++] = part;
	return sys_cap_derive(part, rights | RIGHT_GRANT, 0, out);
}

/* The configuration capability: a send capability to topod badged for the
 * function, derived through a parent topod revokes to end it. */
static status_t hand_config(struct topo *t, uint32_t i, cap_handle_t *out)
{
	struct topo_grant *g = &t->grants[i];
	uint64_t badge = TOPO_BADGE_CFG | (uint64_t)g->busmaster << 40 |
			 (uint64_t)(g->gen & 0xffffff) << 16 | i;
	status_t st = g->cfg_parent ? STATUS_OK
				    : sys_cap_derive(t->inbox, RIGHT_SEND | RIGHT_GRANT, badge,
						     &g->cfg_parent);
	return st ? st : sys_cap_derive(g->cfg_parent, RIGHT_SEND | RIGHT_GRANT, 0, out);
}

static bool bar_usable(const struct pci_bar *b)
{
	return b->size &&
	       (b->type == PCI_BAR_MEM32 || b->type == PCI_BAR_MEM64 || b->type == PCI_BAR_IO);
}

static bool fn_has_irq(struct topo *t, const struct pci_function *f)
{
	uint8_t pin = (uint8_t)t->cfg.read(t->cfg.ctx, f->bus, f->dev, f->fn, 0x3d, 1);
	uint8_t line = (uint8_t)t->cfg.read(t->cfg.ctx, f->bus, f->dev, f->fn, 0x3c, 1);
	return pin && line < 0xff;
}

int topo_bar_item(struct topo *t, uint32_t i, uint8_t bar)
{
	const struct pci_function *f = &t->fns[i];
	int item = 1 + fn_has_irq(t, f);
	if (bar >= f->bar_count || !bar_usable(&f->bars[bar]))
		return -1;
	for (uint8_t b = 0; b < bar; b++)
		item += bar_usable(&f->bars[b]);
	return item;
}

/* Item k of function i: the configuration capability, the interrupt line
 * (if it has one), then each implemented BAR in index order. */
static status_t hand_item(struct topo *t, uint32_t i, uint8_t k, struct codec_writer *w,
			  cap_handle_t *out)
{
	const struct pci_function *f = &t->fns[i];
	struct topo_grant *g = &t->grants[i];
	uint8_t line = (uint8_t)t->cfg.read(t->cfg.ctx, f->bus, f->dev, f->fn, 0x3c, 1);
	uint8_t kind = 0, bar = 0;
	uint64_t base = 0, size = 0;
	status_t st = STATUS_NOT_FOUND;
	bool has_irq = fn_has_irq(t, f);
	if (k == 0) {
		kind = TOPO_ITEM_CONFIG, st = hand_config(t, i, out);
	} else if (k == 1 && has_irq) {
		kind = TOPO_ITEM_IRQ, base = line, size = 1;
		st = hand_part(g, t->irq_root, line, 1, RIGHT_RECEIVE, out);
	} else {
		uint32_t want = k - 1u - has_irq, seen = 0;
		for (bar = 0; bar < f->bar_count; bar++) {
			if (bar_usable(&f->bars[bar]) && seen++ == want)
				break;
		}
		if (bar == f->bar_count)
			return STATUS_NOT_FOUND;
		const struct pci_bar *b = &f->bars[bar];
		base = b->base, size = b->size;
		if (b->type == PCI_BAR_IO) {
			kind = TOPO_ITEM_BAR_IO;
			st = hand_part(g, t->ports_root, base, size, RIGHT_READ | RIGHT_WRITE, out);
		} else {
			uint64_t first = base & ~0xfffull, end = (base + size + 0xfff) & ~0xfffull;
			kind = TOPO_ITEM_BAR_MMIO;
			st = hand_part(g, t->mmio_root, first, end - first,
				       RIGHT_READ | RIGHT_WRITE | RIGHT_MAP, out);
		}
	}
	uint8_t hdr[8] = { kind, bar, f->bus, f->dev, f->fn };
	codec_put_bytes(w, hdr, sizeof hdr);
	codec_put_u64(w, base), codec_put_u64(w, size);
	return st;
}

/* initd hands a function to its driver, one capability per call. */
static status_t on_handout(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			   void *ctx)
{
	struct topo *t = ctx;
	struct codec_reader rd;
	struct codec_writer w;
	uint16_t vendor, device;
	uint8_t bm, item, driver;
	(void)loop;
	if (m->badge != 0)
		return STATUS_NO_RIGHTS;
	codec_msg_reader(&rd, m);
	if (codec_get_u16(&rd, &vendor) || codec_get_u16(&rd, &device) || codec_get_u8(&rd, &bm) ||
	    codec_get_u8(&rd, &item) || codec_get_u8(&rd, &driver) || bm > 1)
		return STATUS_INVALID;
	int32_t i = find_fn(t, vendor, device, driver);
	if (i < 0)
		return STATUS_NOT_FOUND;
	if (item == 0) {
		/* A new driver: whatever the last one left running stops mastering
		 * the bus until the new one enables it (normally TOPO_GONE did
		 * this already, when the last driver died). */
		topo_quiesce(t, (uint32_t)i);
		grant_end(t, (uint32_t)i);
		t->grants[i].busmaster = bm;
	}
	codec_msg_begin(&w, &reply->msg, TOPO_HANDOUT);
	status_t st = hand_item(t, (uint32_t)i, item, &w, &reply->cap);
	if (st)
		return st;
	reply->mode = CAP_MOVE;
	return codec_msg_end(&w, &reply->msg);
}

/* initd: the driver in slot died. Its functions stop mastering the bus
 * and sending messages first; only then do its DMA pages, vectors and
 * BARs go, so a request it left in flight cannot land in reused memory.
 * The function stays its slot's, for the restarted driver. */
static status_t on_gone(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			void *ctx)
{
	struct topo *t = ctx;
	uint32_t n = 0;
	(void)loop;
	if (m->badge != 0)
		return STATUS_NO_RIGHTS;
	if (m->len < 1)
		return STATUS_INVALID;
	for (uint32_t i = 0; i < t->nfns; i++) {
		struct topo_grant *g = &t->grants[i];
		const struct pci_function *f = &t->fns[i];
		if (g->owner != m->payload[0] + 1u || (!g->cfg_parent && !g->nparts))
			continue;
		uint32_t vectors = g->nvectors, pages = g->dma_pages;
		uint16_t cmd = topo_quiesce(t, i);
		uint16_t now = (uint16_t)t->cfg.read(t->cfg.ctx, f->bus, f->dev, f->fn, PCI_COMMAND,
						     2);
		grant_end(t, i);
		keel_print(t->start->witness,
			   "topod: %02x:%02x.%x driver gone: command %#x -> %#x (bus mastering "
			   "%s), %u vectors and %u DMA pages freed, %lu vectors held\n",
			   f->bus, f->dev, f->fn, cmd, now, now & PCI_COMMAND_MASTER ? "ON" : "off",
			   vectors, pages, (unsigned long)t->vectors_live);
		n++;
	}
	topo_legacy_gone(t, m->payload[0]);
	t->gone++;
	reply->msg = (struct keel_msg){ .label = TOPO_GONE, .len = 4 };
	memcpy(reply->msg.payload, &n, 4);
	return STATUS_OK;
}

static status_t on_power_cap(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			     void *ctx)
{
	struct topo *t = ctx;
	(void)loop;
	if (m->badge != 0)
		return STATUS_NO_RIGHTS;
	reply->msg.label = TOPO_POWER_CAP;
	reply->mode = CAP_MOVE;
	return sys_cap_derive(t->inbox, RIGHT_SEND | RIGHT_GRANT, TOPO_BADGE_POWER, &reply->cap);
}

static status_t on_power(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			 void *ctx)
{
	struct topo *t = ctx;
	uint32_t action;
	(void)loop, (void)reply;
	if (m->badge != TOPO_BADGE_POWER)
		return STATUS_NO_RIGHTS;
	if (m->len < 4)
		return STATUS_INVALID;
	memcpy(&action, m->payload, 4);
	keel_print(t->start->witness, "topod: power %s\n", action ? "reset" : "off");
	return topo_power(t, action);
}

status_t topo_register(struct topo *t)
{
	struct loop *l = &t->loop;
	status_t st = loop_on_msg(l, TOPO_DEVICE, on_device, t);
	if (!st)
		st = loop_on_msg(l, TOPO_CORE, on_core, t);
	if (!st)
		st = loop_on_msg(l, TOPO_WATCH, on_watch, t);
	if (!st)
		st = loop_on_msg(l, TOPO_HANDOUT, on_handout, t);
	if (!st)
		st = loop_on_msg(l, TOPO_POWER_CAP, on_power_cap, t);
	if (!st)
		st = loop_on_msg(l, TOPO_GONE, on_gone, t);
	if (!st)
		st = topo_legacy_register(t);
	if (!st)
		st = loop_on_msg(l, TOPO_POWER, on_power, t);
	return st ? st : topo_cfg_register(t);
}
