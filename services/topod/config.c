/*
 * config.c - a driver's configuration space through topod: reads of its
 * own function are free; writes pass pci_policy_write (pci.h: no BAR or
 * bus number moves, no interrupt re-routing, bus mastering only for a
 * `busmaster` driver, nothing in the MSI capability). Any access to
 * another function, or through a capability from an earlier hand-out, is
 * refused and reported on the console.
 */
#include <string.h>

#include "keel/codec.h"
#include "keel/sys.h"
#include "topod.h"

struct cfg_req {
	uint8_t bus, dev, fn, width;
	uint16_t off;
	uint32_t val;
};

/* The function a configuration badge names, or NULL with *why set. */
static struct pci_function *badge_fn(struct topo *t, uint64_t badge, status_t *why)
{
	uint32_t i = (uint32_t)(badge & 0xffff), gen = (uint32_t)(badge >> 16) & 0xffffff;
	*why = STATUS_NO_RIGHTS;
	if (TOPO_BADGE_KIND(badge) != TOPO_BADGE_CFG || i >= t->nfns)
		return NULL;
	*why = STATUS_STALE;
	if ((t->grants[i].gen & 0xffffff) != gen)
		return NULL;
	return &t->fns[i];
}

/* Decodes a request: bus, dev, fn, width, offset (and the value). */
static status_t cfg_decode(const struct keel_msg *m, bool write, struct cfg_req *q)
{
	struct codec_reader rd;
	codec_msg_reader(&rd, m);
	if (codec_get_u8(&rd, &q->bus) || codec_get_u8(&rd, &q->dev) || codec_get_u8(&rd, &q->fn) ||
	    codec_get_u8(&rd, &q->width) || codec_get_u16(&rd, &q->off))
		return STATUS_INVALID;
	if (write && codec_get_u32(&rd, &q->val))
		return STATUS_INVALID;
	if ((q->width != 1 && q->width != 2 && q->width != 4) || q->off % q->width)
		return STATUS_INVALID;
	return STATUS_OK;
}

static void refuse(struct topo *t, const struct pci_function *f, const struct cfg_req *q,
		   const char *what, status_t st)
{
	keel_print(t->start->witness,
		   "topod: refused: the driver of %02x:%02x.%x %s %02x:%02x.%x offset %#x (%s)\n",
		   f->bus, f->dev, f->fn, what, q->bus, q->dev, q->fn, q->off, status_name(st));
}

static status_t on_cfg(struct topo *t, const struct keel_msg *m, struct loop_reply *reply,
		       bool write)
{
	struct cfg_req q;
	status_t st;
	struct pci_function *f = badge_fn(t, m->badge, &st);
	if (!f)
		return st;
	if ((st = cfg_decode(m, write, &q)))
		return st;
	uint16_t size = t->ecam ? PCI_ECAM_CFG_SIZE : PCI_CFG_SIZE;
	if (q.bus != f->bus || q.dev != f->dev || q.fn != f->fn) {
		refuse(t, f, &q, write ? "wrote" : "read", STATUS_NO_RIGHTS);
		return STATUS_NO_RIGHTS;
	}
	if (q.off + q.width > size)
		return STATUS_RANGE;
	reply->msg.label = m->label;
	if (!write) {
		uint32_t v = t->cfg.read(t->cfg.ctx, q.bus, q.dev, q.fn, q.off, q.width);
		reply->msg.len = 4;
		__builtin_memcpy(reply->msg.payload, &v, 4);
		return STATUS_OK;
	}
	uint32_t i = (uint32_t)(f - t->fns);
	struct pci_grant g = { f->bus, f->dev, f->fn, t->grants[i].busmaster };
	st = pci_policy_write(f, &g, q.bus, q.dev, q.fn, q.off, q.width, q.val, size);
	if (st) {
		refuse(t, f, &q, "wrote", st);
		return st;
	}
	t->cfg.write(t->cfg.ctx, q.bus, q.dev, q.fn, q.off, q.width, q.val);
	return STATUS_OK;
}

static status_t on_cfg_read(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			    void *ctx)
{
	(void)loop;
	return on_cfg(ctx, m, reply, false);
}

static status_t on_cfg_write(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			     void *ctx)
{
	(void)loop;
	return on_cfg(ctx, m, reply, true);
}

/* Which function this capability is for. */
static status_t on_cfg_info(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			    void *ctx)
{
	struct topo *t = ctx;
	status_t st;
	struct pci_function *f = badge_fn(t, m->badge, &st);
	(void)loop;
	if (!f)
		return st;
	uint8_t b[8] = { f->bus,
			 f->dev,
			 f->fn,
			 t->grants[f - t->fns].busmaster,
			 (uint8_t)f->vendor,
			 (uint8_t)(f->vendor >> 8),
			 (uint8_t)f->device,
			 (uint8_t)(f->device >> 8) };
	reply->msg.label = TOPO_CFG_INFO;
	reply->msg.len = sizeof b;
	__builtin_memcpy(reply->msg.payload, b, sizeof b);
	return STATUS_OK;
}

/* Where BAR n of the function is, and which start capability maps it. */
static status_t on_cfg_bar(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			   void *ctx)
{
	struct topo *t = ctx;
	struct codec_writer w;
	status_t st;
	struct pci_function *f = badge_fn(t, m->badge, &st);
	(void)loop;
	if (!f)
		return st;
	if (m->len < 1)
		return STATUS_INVALID;
	int item = topo_bar_item(t, (uint32_t)(f - t->fns), m->payload[0]);
	if (item < 0)
		return STATUS_NOT_FOUND;
	const struct pci_bar *b = &f->bars[m->payload[0]];
	uint8_t hdr[8] = { b->type, (uint8_t)item };
	codec_msg_begin(&w, &reply->msg, TOPO_CFG_BAR);
	codec_put_bytes(&w, hdr, 8);
	codec_put_u64(&w, b->base);
	codec_put_u64(&w, b->size);
	return codec_msg_end(&w, &reply->msg);
}

/* Allocates the vector for entry of function i on a CPU and keeps it in
 * the grant; *msg is its message, *out the driver's copy. */
static status_t vector_make(struct topo *t, uint32_t i, uint16_t entry, uint32_t cpu, uint64_t *msg,
			    cap_handle_t *out)
{
	struct topo_grant *g = &t->grants[i];
	cap_handle_t vec;
	for (uint32_t k = 0; k < g->nvectors; k++)
		if (g->vector_entry[k] == entry)
			return STATUS_BUSY;
	if (g->nvectors == TOPO_MAX_VECTORS)
		return STATUS_FULL;
	status_t st = sys_irq_msi_create(t->irq_root, cpu, &vec, msg);
	if (st)
		return st;
	st = sys_cap_derive(vec, RIGHT_RECEIVE | RIGHT_GRANT, 0, out);
	if (st) {
		sys_cap_delete(vec);
		return st;
	}
	g->vectors[g->nvectors] = vec, g->vector_entry[g->nvectors++] = entry;
	t->vectors_live++, t->vectors_made++;
	return STATUS_OK;
}

/* An MSI-X vector for one entry of the function's table (TOPO_CFG_MSIX). */
static status_t on_cfg_msix(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			    void *ctx)
{
	struct topo *t = ctx;
	struct codec_reader rd;
	struct codec_writer w;
	uint16_t entry, cpu;
	uint64_t msg;
	status_t st;
	struct pci_function *f = badge_fn(t, m->badge, &st);
	(void)loop;
	if (!f)
		return st;
	codec_msg_reader(&rd, m);
	if (codec_get_u16(&rd, &entry) || codec_get_u16(&rd, &cpu))
		return STATUS_INVALID;
	uint32_t i = (uint32_t)(f - t->fns);
	const struct pci_caps *c = &f->caps;
	int item = topo_bar_item(t, i, c->msix_table_bir);
	if (!c->msix || pci_msix_check(f) != STATUS_OK || item < 0)
		return STATUS_NOT_FOUND;
	if (entry >= c->msix_size)
		return STATUS_RANGE;
	uint32_t on = cpu != TOPO_CPU_ANY ? cpu : t->next_cpu++ % (t->ncores ? t->ncores : 1);
	st = vector_make(t, i, entry, on, &msg, &reply->cap);
	/* A CPU the MADT lists may be offline, or have no vector left. */
	if ((st == STATUS_INVALID || st == STATUS_FULL) && cpu == TOPO_CPU_ANY && on != 0) {
		on = 0;
		st = vector_make(t, i, entry, on, &msg, &reply->cap);
	}
	if (st)
		return st;
	uint8_t hdr[4] = { c->msix_table_bir, (uint8_t)item, c->msix };
	codec_msg_begin(&w, &reply->msg, TOPO_CFG_MSIX);
	codec_put_bytes(&w, hdr, 4);
	codec_put_u16(&w, c->msix_size), codec_put_u16(&w, entry);
	codec_put_u32(&w, c->msix_table_off), codec_put_u32(&w, on);
	codec_put_u64(&w, msg);
	reply->mode = CAP_MOVE;
	return codec_msg_end(&w, &reply->msg);
}

/* DMA memory for a bus-master driver (TOPO_CFG_DMA). topod keeps a
 * capability, so the pages outlive the driver until TOPO_GONE has turned
 * bus mastering off. */
static status_t on_cfg_dma(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			   void *ctx)
{
	struct topo *t = ctx;
	struct codec_writer w;
	uint32_t pages;
	uint64_t phys;
	cap_handle_t mem;
	status_t st;
	struct pci_function *f = badge_fn(t, m->badge, &st);
	(void)loop;
	if (!f)
		return st;
	struct topo_grant *g = &t->grants[f - t->fns];
	if (m->len < 4)
		return STATUS_INVALID;
	memcpy(&pages, m->payload, 4);
	if (!g->busmaster)
		return STATUS_NO_RIGHTS;
	if (!pages)
		return STATUS_INVALID;
	if (g->ndma == TOPO_MAX_DMA || pages > TOPO_MAX_DMA_PAGES - g->dma_pages)
		return STATUS_FULL;
	if ((st = sys_memory_create(pages, MEMORY_DMA, &mem)))
		return st;
	if ((st = sys_memory_phys(mem, 0, &phys)) ||
	    (st = sys_cap_derive(mem, RIGHT_READ | RIGHT_WRITE | RIGHT_MAP | RIGHT_GRANT, 0,
				 &reply->cap))) {
		sys_cap_delete(mem);
		return st;
	}
	g->dma[g->ndma++] = mem, g->dma_pages += pages;
	codec_msg_begin(&w, &reply->msg, TOPO_CFG_DMA);
	codec_put_u64(&w, phys), codec_put_u32(&w, pages);
	reply->mode = CAP_MOVE;
	return codec_msg_end(&w, &reply->msg);
}

/* Registers the configuration-space handlers (called by topo_register). */
status_t topo_cfg_register(struct topo *t)
{
	status_t st = loop_on_msg(&t->loop, TOPO_CFG_READ, on_cfg_read, t);
	if (!st)
		st = loop_on_msg(&t->loop, TOPO_CFG_INFO, on_cfg_info, t);
	if (!st)
		st = loop_on_msg(&t->loop, TOPO_CFG_BAR, on_cfg_bar, t);
	if (!st)
		st = loop_on_msg(&t->loop, TOPO_CFG_MSIX, on_cfg_msix, t);
	if (!st)
		st = loop_on_msg(&t->loop, TOPO_CFG_DMA, on_cfg_dma, t);
	return st ? st : loop_on_msg(&t->loop, TOPO_CFG_WRITE, on_cfg_write, t);
}
