/*
 * virtio_model.c - the virtio-pci device model (virtio_model.h).
 */
#include "virtio_model.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void violation(struct virtio_model *m, const char *fmt, ...)
{
	va_list ap;

	m->violations++;
	va_start(ap, fmt);
	vsnprintf(m->last_violation, sizeof m->last_violation, fmt, ap);
	va_end(ap);
}

uint8_t *vm_ptr(struct virtio_model *m, uint64_t phys, uint64_t len)
{
	if (phys < m->dma_phys || phys - m->dma_phys > m->dma_len ||
	    len > m->dma_len - (phys - m->dma_phys))
		return NULL;
	return m->dma + (phys - m->dma_phys);
}

static uint16_t rd16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

static void wr16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

static void wr32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void reset_queue(struct virtio_model *m, struct vm_queue *q, uint16_t i, uint16_t qmax)
{
	memset(q, 0, sizeof *q);
	q->max = i < m->num_queues ? qmax : 0;
	q->size = q->max;
	q->vector = VIRTIO_MSI_NO_VECTOR;
	q->notify_off = i;
}

static void device_reset(struct virtio_model *m)
{
	uint16_t qmax = m->q[0].max;

	m->status = 0;
	m->driver_features = 0;
	m->dfsel = m->gfsel = 0;
	m->config_vector = VIRTIO_MSI_NO_VECTOR;
	m->held_count = 0;
	m->isr = 0;
	for (uint16_t i = 0; i < VM_QUEUES; i++)
		reset_queue(m, &m->q[i], i, qmax);
	m->resets++;
}

void vm_init(struct virtio_model *m, uint8_t *dma, uint64_t dma_phys, size_t dma_len,
	     uint64_t features, uint16_t num_queues, uint16_t qmax)
{
	memset(m, 0, sizeof *m);
	m->dma = dma;
	m->dma_phys = dma_phys;
	m->dma_len = dma_len;
	m->offered = features;
	m->num_queues = num_queues;
	m->msix_vectors = 3;
	for (int i = 0; i < VM_MSIX_MAX; i++)
		m->msix[i].ctrl = 1; /* masked at reset (PCI 3.0 6.8.2.9) */
	m->q[0].max = qmax;
	device_reset(m);
	m->resets = 0;
}

size_t vm_caps(struct virtio_cap *caps, size_t max, uint64_t bar_size[6])
{
	const struct virtio_cap all[] = {
		{ VIRTIO_PCI_CAP_COMMON_CFG, VM_BAR, VM_COMMON, 0x1000, 0 },
		{ VIRTIO_PCI_CAP_ISR_CFG, VM_BAR, VM_ISR, 0x1000, 0 },
		{ VIRTIO_PCI_CAP_DEVICE_CFG, VM_BAR, VM_DEVICE, 0x1000, 0 },
		{ VIRTIO_PCI_CAP_NOTIFY_CFG, VM_BAR, VM_NOTIFY, 0x1000, VM_NOTIFY_MULT },
	};
	size_t n = max < 4 ? max : 4;

	memcpy(caps, all, n * sizeof all[0]);
	for (int i = 0; i < 6; i++)
		bar_size[i] = 0;
	bar_size[1] = 0x1000;
	bar_size[VM_BAR] = 0x4000;
	return n;
}

/* ---- serving chains ------------------------------------------------------ */

static bool negotiated(const struct virtio_model *m, unsigned bit)
{
	return (m->driver_features >> bit) & 1;
}

static void release_chain(struct vm_queue *q, uint16_t head)
{
	uint16_t d = head;

	for (uint16_t k = 0; k < q->chain_len[head]; k++) {
		q->busy[d] = 0;
		d = q->link[d];
	}
	q->chain_len[head] = 0;
}

/* Writes entry e's message (the address must lie in the x86 interrupt
 * window, 0xfee00000-0xfeefffff). */
static void msix_send(struct virtio_model *m, struct vm_msix_entry *e)
{
	if (e->addr_hi || (e->addr_lo & 0xfff00000u) != 0xfee00000u)
		violation(m, "MSI-X message to %#x:%08x", e->addr_hi, e->addr_lo);
	e->pending = false;
	e->sent++;
	m->msix_sent++;
	m->last_addr = e->addr_lo;
	m->last_data = e->data;
}

void vm_raise(struct virtio_model *m, uint16_t vector, uint8_t isr_bit)
{
	struct vm_msix_entry *e;

	m->interrupts++;
	if (!m->msix_enabled) {
		m->isr |= isr_bit;
		return;
	}
	if (vector == VIRTIO_MSI_NO_VECTOR || vector >= m->msix_vectors || vector >= VM_MSIX_MAX) {
		m->msix_no_vector++; /* virtio 1.x 4.1.5.1.2: no interrupt */
		return;
	}
	e = &m->msix[vector];
	if ((e->ctrl & 1) || m->msix_function_mask)
		e->pending = true;
	else
		msix_send(m, e);
}

static void maybe_interrupt(struct virtio_model *m, struct vm_queue *q, uint16_t old)
{
	uint8_t *avail = vm_ptr(m, q->avail, 6 + 2u * q->size);
	bool fire;

	if (negotiated(m, VIRTIO_F_EVENT_IDX)) {
		uint16_t ev = rd16(avail + 4 + 2u * q->size);

		fire = (uint16_t)(q->used_idx - ev - 1) < (uint16_t)(q->used_idx - old);
	} else {
		fire = !(rd16(avail) & VIRTQ_AVAIL_F_NO_INTERRUPT);
	}
	if (fire)
		vm_raise(m, q->vector, 1);
}

static void put_used(struct virtio_model *m, struct vm_queue *q, uint32_t id, uint32_t len)
{
	uint8_t *used = vm_ptr(m, q->used, 6 + 8u * q->size);
	uint8_t *e = used + 4 + 8u * (q->used_idx & (q->size - 1));

	wr32(e, id);
	wr32(e + 4, len);
	q->used_idx++;
}

static void push_used(struct virtio_model *m, uint16_t qi, uint16_t head, uint32_t written)
{
	struct vm_queue *q = &m->q[qi];
	uint8_t *used = vm_ptr(m, q->used, 6 + 8u * q->size);
	uint16_t old = q->used_idx;
	uint32_t id = head;

	if (m->misbehave & VM_BAD_ID)
		id = q->size + 7u;
	if ((m->misbehave & VM_NOT_HEAD) && q->chain_len[head] > 1)
		id = q->link[head];
	if (m->misbehave & VM_BAD_LEN)
		written = 0xffffff00u;
	release_chain(q, head);
	put_used(m, q, id, written);
	if (m->misbehave & VM_DUP_ID)
		put_used(m, q, id, written);
	if (m->misbehave & VM_IDX_JUMP)
		q->used_idx = (uint16_t)(q->used_idx + q->size + 2);
	if (m->misbehave & VM_IDX_BACK)
		q->used_idx = (uint16_t)(q->used_idx - 3);
	__atomic_store_n((uint16_t *)(used + 2), q->used_idx, __ATOMIC_RELEASE);
	maybe_interrupt(m, q, old);
}

/* Reads descriptor i of q; false (with a violation) when it is unusable. */
static bool read_desc(struct virtio_model *m, struct vm_queue *q, uint16_t i, struct virtq_desc *d)
{
	uint8_t *p = vm_ptr(m, q->desc + 16u * i, 16);

	memcpy(d, p, sizeof *d);
	if ((d->flags & VIRTQ_DESC_F_INDIRECT) && !negotiated(m, VIRTIO_F_INDIRECT_DESC)) {
		violation(m, "indirect descriptor without VIRTIO_F_INDIRECT_DESC");
		return false;
	}
	if (!vm_ptr(m, d->addr, d->len) || d->len == 0) {
		violation(m, "descriptor %u: buffer %#llx+%u outside DMA memory", i,
			  (unsigned long long)d->addr, d->len);
		return false;
	}
	return true;
}

/* Walks the chain at head into segs; returns its length, 0 on violation. */
static unsigned walk_chain(struct virtio_model *m, struct vm_queue *q, uint16_t head,
			   struct vm_seg *segs)
{
	unsigned n = 0;
	bool seen_write = false;
	uint16_t i = head, prev = head;
	struct virtq_desc d;

	for (;;) {
		if (i >= q->size || n >= q->size || n >= VM_MAX_SEGS) {
			violation(m, "chain from %u: index %u out of range or loop", head, i);
			return 0;
		}
		if (q->busy[i]) {
			violation(m, "descriptor %u used by two chains in flight", i);
			return 0;
		}
		if (!read_desc(m, q, i, &d))
			return 0;
		if (!(d.flags & VIRTQ_DESC_F_WRITE) && seen_write) {
			violation(m, "chain from %u: readable descriptor after a writable one",
				  head);
			return 0;
		}
		seen_write = d.flags & VIRTQ_DESC_F_WRITE;
		segs[n++] = (struct vm_seg){ vm_ptr(m, d.addr, d.len), d.len, seen_write };
		q->link[prev] = i;
		prev = i;
		if (!(d.flags & VIRTQ_DESC_F_NEXT))
			return n;
		i = d.next;
	}
}

static void serve_chain(struct virtio_model *m, uint16_t qi, uint16_t head)
{
	struct vm_queue *q = &m->q[qi];
	struct vm_seg segs[VM_MAX_SEGS];
	unsigned n = walk_chain(m, q, head, segs);
	uint32_t written;
	uint16_t d = head;

	if (!n)
		return;
	q->chain_len[head] = (uint16_t)n;
	for (unsigned k = 0; k < n; k++) {
		q->busy[d] = 1;
		d = q->link[d];
	}
	q->chains++;
	written = m->handler ? m->handler(m->handler_ctx, segs, n) : 0;
	if (m->hold && m->held_count < VM_QMAX)
		m->held[m->held_count++] = (struct vm_held){ qi, head, written };
	else
		push_used(m, qi, head, written);
}

static void serve_queue(struct virtio_model *m, uint16_t qi)
{
	struct vm_queue *q = &m->q[qi];
	uint8_t *avail = vm_ptr(m, q->avail, 6 + 2u * q->size);
	uint8_t *used = vm_ptr(m, q->used, 6 + 8u * q->size);
	uint16_t idx = __atomic_load_n((uint16_t *)(avail + 2), __ATOMIC_ACQUIRE);
	uint16_t fresh = (uint16_t)(idx - q->last_avail);

	if (fresh > q->size) {
		violation(m, "avail index moved from %u to %u", q->last_avail, idx);
		return;
	}
	while (q->last_avail != idx) {
		uint16_t head = rd16(avail + 4 + 2u * (q->last_avail & (q->size - 1)));

		q->last_avail++;
		if (head >= q->size) {
			violation(m, "avail ring names descriptor %u of %u", head, q->size);
			continue;
		}
		serve_chain(m, qi, head);
	}
	if (negotiated(m, VIRTIO_F_EVENT_IDX))
		wr16(used + 4 + 8u * q->size,
		     m->suppress_notify ? (uint16_t)(q->last_avail - 1) : q->last_avail);
	wr16(used, m->suppress_notify ? VIRTQ_USED_F_NO_NOTIFY : 0);
}

unsigned vm_complete(struct virtio_model *m, unsigned n, bool reverse)
{
	unsigned done = 0;

	if (n == 0 || n > m->held_count)
		n = m->held_count;
	while (done < n) {
		unsigned k = reverse ? m->held_count - 1 : 0;
		struct vm_held h = m->held[k];

		memmove(&m->held[k], &m->held[k + 1], (m->held_count - k - 1) * sizeof h);
		m->held_count--;
		push_used(m, h.queue, h.head, h.written);
		done++;
	}
	return done;
}

void vm_needs_reset(struct virtio_model *m)
{
	m->status |= VIRTIO_STATUS_NEEDS_RESET;
	vm_raise(m, m->config_vector, 2);
}

/* ---- registers -------------------------------------------------------------- */

static bool queue_rings_ok(struct virtio_model *m, struct vm_queue *q)
{
	return q->desc % 16 == 0 && q->avail % 2 == 0 && q->used % 4 == 0 &&
	       vm_ptr(m, q->desc, 16u * q->size) && vm_ptr(m, q->avail, 6 + 2u * q->size) &&
	       vm_ptr(m, q->used, 6 + 8u * q->size);
}

static bool in_setup(struct virtio_model *m, const char *what)
{
	if ((m->status & VIRTIO_STATUS_FEATURES_OK) && !(m->status & VIRTIO_STATUS_DRIVER_OK))
		return true;
	violation(m, "%s written outside FEATURES_OK..DRIVER_OK (status %#x)", what, m->status);
	return false;
}

static uint8_t check_features_ok(struct virtio_model *m, uint8_t st)
{
	if (!(st & VIRTIO_STATUS_DRIVER))
		violation(m, "FEATURES_OK before DRIVER");
	if (m->driver_features & ~m->offered) {
		violation(m, "driver accepted features %#llx not offered",
			  (unsigned long long)(m->driver_features & ~m->offered));
		return (uint8_t)(st & ~VIRTIO_STATUS_FEATURES_OK);
	}
	if (!negotiated(m, VIRTIO_F_VERSION_1)) {
		violation(m, "driver did not accept VIRTIO_F_VERSION_1");
		return (uint8_t)(st & ~VIRTIO_STATUS_FEATURES_OK);
	}
	if (m->refuse_features_ok)
		return (uint8_t)(st & ~VIRTIO_STATUS_FEATURES_OK);
	return st;
}

static void write_status(struct virtio_model *m, uint8_t st)
{
	uint8_t old = m->status & (uint8_t)~VIRTIO_STATUS_NEEDS_RESET, added = st & ~old;

	if (st == 0) {
		if (!m->reset_stuck)
			device_reset(m);
		return;
	}
	if (!(st & VIRTIO_STATUS_FAILED)) {
		if (old & ~st)
			violation(m, "status bits %#x cleared without a reset", old & ~st);
		if ((added & VIRTIO_STATUS_DRIVER) && !(st & VIRTIO_STATUS_ACKNOWLEDGE))
			violation(m, "DRIVER before ACKNOWLEDGE");
		if (added & VIRTIO_STATUS_FEATURES_OK)
			st = check_features_ok(m, st);
		if ((added & VIRTIO_STATUS_DRIVER_OK) && !(st & VIRTIO_STATUS_FEATURES_OK))
			violation(m, "DRIVER_OK without FEATURES_OK");
	}
	m->status = (uint8_t)(st | (m->status & VIRTIO_STATUS_NEEDS_RESET));
}

static void write_features(struct virtio_model *m, uint32_t v)
{
	uint64_t mask = 0xffffffffull << (32 * (m->gfsel & 1));

	if (!(m->status & VIRTIO_STATUS_DRIVER) || (m->status & VIRTIO_STATUS_FEATURES_OK))
		violation(m, "features written in status %#x", m->status);
	if (m->gfsel > 1) {
		if (v)
			violation(m, "features written in select %u", m->gfsel);
		return;
	}
	m->driver_features = (m->driver_features & ~mask) | ((uint64_t)v << (32 * m->gfsel));
}

static uint16_t accept_vector(struct virtio_model *m, uint32_t v)
{
	return (v < m->msix_vectors || v == VIRTIO_MSI_NO_VECTOR) ? (uint16_t)v
								  : VIRTIO_MSI_NO_VECTOR;
}

static void write_half(uint64_t *field, uint32_t off, uint32_t v)
{
	if (off % 8 == 0)
		*field = (*field & 0xffffffff00000000ull) | v;
	else
		*field = (*field & 0xffffffffull) | (uint64_t)v << 32;
}

static void write_queue(struct virtio_model *m, struct vm_queue *q, uint32_t off, uint32_t v)
{
	if (!in_setup(m, "queue configuration"))
		return;
	if (q->enable && off != VIRTIO_COMMON_Q_MSIX)
		violation(m, "queue %u reconfigured while enabled", m->qsel);
	if (off == VIRTIO_COMMON_Q_SIZE) {
		if (!v || v > q->max || (v & (v - 1)))
			violation(m, "queue size %u (max %u)", v, q->max);
		q->size = (uint16_t)v;
	} else if (off == VIRTIO_COMMON_Q_MSIX) {
		q->vector = accept_vector(m, v);
	} else if (off == VIRTIO_COMMON_Q_ENABLE) {
		if (v == 1 && !queue_rings_ok(m, q))
			violation(m, "queue %u enabled with rings outside DMA memory", m->qsel);
		q->enable = (uint16_t)v;
	} else if (off >= VIRTIO_COMMON_Q_DESC && off < VIRTIO_COMMON_Q_DESC + 24) {
		uint64_t *f = off < VIRTIO_COMMON_Q_AVAIL  ? &q->desc
			      : off < VIRTIO_COMMON_Q_USED ? &q->avail
							   : &q->used;

		write_half(f, off, v);
	}
}

static struct vm_queue *selected(struct virtio_model *m)
{
	static struct vm_queue none; /* a queue the device does not have */

	if (m->qsel >= VM_QUEUES || m->qsel >= m->num_queues) {
		memset(&none, 0, sizeof none);
		none.vector = VIRTIO_MSI_NO_VECTOR;
		return &none;
	}
	return &m->q[m->qsel];
}

static void common_write(struct virtio_model *m, uint32_t off, uint32_t v)
{
	switch (off) {
	case VIRTIO_COMMON_DFSELECT:
		m->dfsel = v;
		break;
	case VIRTIO_COMMON_GFSELECT:
		m->gfsel = v;
		break;
	case VIRTIO_COMMON_GF:
		write_features(m, v);
		break;
	case VIRTIO_COMMON_MSIX:
		m->config_vector = accept_vector(m, v);
		break;
	case VIRTIO_COMMON_STATUS:
		write_status(m, (uint8_t)v);
		break;
	case VIRTIO_COMMON_Q_SELECT:
		m->qsel = (uint16_t)v;
		break;
	default:
		if (off >= VIRTIO_COMMON_Q_SIZE && off < VIRTIO_COMMON_LEN &&
		    off != VIRTIO_COMMON_Q_NOFF)
			write_queue(m, selected(m), off, v);
		else
			violation(m, "write to read-only common field %u", off);
	}
}

static uint32_t common_read(struct virtio_model *m, uint32_t off)
{
	struct vm_queue *q = selected(m);

	switch (off) {
	case VIRTIO_COMMON_DFSELECT:
		return m->dfsel;
	case VIRTIO_COMMON_DF:
		return m->dfsel > 1 ? 0 : (uint32_t)(m->offered >> (32 * m->dfsel));
	case VIRTIO_COMMON_GFSELECT:
		return m->gfsel;
	case VIRTIO_COMMON_GF:
		return m->gfsel > 1 ? 0 : (uint32_t)(m->driver_features >> (32 * m->gfsel));
	case VIRTIO_COMMON_MSIX:
		return m->config_vector;
	case VIRTIO_COMMON_NUMQ:
		return m->num_queues;
	case VIRTIO_COMMON_STATUS:
		return m->reset_stuck ? (m->status | 1u) : m->status;
	case VIRTIO_COMMON_CFGGEN:
		return m->generation;
	case VIRTIO_COMMON_Q_SELECT:
		return m->qsel;
	case VIRTIO_COMMON_Q_SIZE:
		return q->size;
	case VIRTIO_COMMON_Q_MSIX:
		return q->vector;
	case VIRTIO_COMMON_Q_ENABLE:
		return q->enable;
	case VIRTIO_COMMON_Q_NOFF:
		return q->notify_off;
	default:
		return 0;
	}
}

static void notify_write(struct virtio_model *m, uint32_t off, uint32_t v)
{
	m->notifies++;
	if (!(m->status & VIRTIO_STATUS_DRIVER_OK)) {
		violation(m, "notification before DRIVER_OK");
		return;
	}
	if (v >= m->num_queues || v >= VM_QUEUES || !m->q[v].enable) {
		violation(m, "notification of queue %u, which is not enabled", v);
		return;
	}
	if (off != m->q[v].notify_off * VM_NOTIFY_MULT)
		violation(m, "queue %u notified at %#x", v, off);
	serve_queue(m, (uint16_t)v);
}

static uint32_t device_read(struct virtio_model *m, uint32_t off, unsigned w)
{
	uint32_t v = 0;

	if (m->generation_flips) {
		m->generation_flips--;
		m->generation++;
	}
	for (unsigned i = 0; i < w && off + i < VM_DEVCFG; i++)
		v |= (uint32_t)m->devcfg[off + i] << (8 * i);
	return v;
}

/* The MSI-X table and PBA (BAR VM_MSIX_BAR). */
static uint32_t msix_read(struct virtio_model *m, uint64_t off)
{
	uint32_t n = m->msix_vectors < VM_MSIX_MAX ? m->msix_vectors : VM_MSIX_MAX;
	uint32_t pba = 0;

	if (off < VM_MSIX_TABLE + 16u * n) {
		const struct vm_msix_entry *e = &m->msix[off / 16];
		const uint32_t w[4] = { e->addr_lo, e->addr_hi, e->data, e->ctrl };

		return w[off % 16 / 4];
	}
	if (off == VM_MSIX_PBA) {
		for (uint32_t i = 0; i < n; i++)
			pba |= (uint32_t)m->msix[i].pending << i;
		return pba;
	}
	return 0;
}

static void msix_write(struct virtio_model *m, uint64_t off, uint32_t v)
{
	uint32_t n = m->msix_vectors < VM_MSIX_MAX ? m->msix_vectors : VM_MSIX_MAX;
	struct vm_msix_entry *e = &m->msix[off / 16];
	uint32_t word = off % 16 / 4;

	if (off >= VM_MSIX_TABLE + 16u * n) {
		violation(m, "write to MSI-X offset %#llx", (unsigned long long)off);
		return;
	}
	if (m->msix_table_stuck)
		return;
	if (word == 3) {
		e->ctrl = v & 1;
		if (!(e->ctrl & 1) && e->pending && m->msix_enabled && !m->msix_function_mask)
			msix_send(m, e);
		return;
	}
	if (!(e->ctrl & 1))
		violation(m, "MSI-X entry %u changed while unmasked", (unsigned)(off / 16));
	if (word == 0)
		e->addr_lo = v;
	else if (word == 1)
		e->addr_hi = v;
	else
		e->data = v;
}

static uint32_t io_read(void *ctx, uint8_t bar, uint64_t off, unsigned w)
{
	struct virtio_model *m = ctx;
	uint32_t v;

	if (bar == VM_MSIX_BAR && w == 4 && off % 4 == 0 && off < 0x1000)
		return msix_read(m, off);
	if (bar != VM_BAR || off % w) {
		violation(m, "read of BAR %u offset %#llx width %u", bar, (unsigned long long)off,
			  w);
		return 0xffffffffu;
	}
	if (off < VM_ISR)
		return common_read(m, (uint32_t)off);
	if (off < VM_DEVICE) {
		v = m->isr;
		m->isr = 0;
		return v;
	}
	if (off < VM_NOTIFY)
		return device_read(m, (uint32_t)(off - VM_DEVICE), w);
	return 0;
}

static void io_write(void *ctx, uint8_t bar, uint64_t off, unsigned w, uint32_t v)
{
	struct virtio_model *m = ctx;

	if (bar == VM_MSIX_BAR && w == 4 && off % 4 == 0 && off < 0x1000) {
		msix_write(m, off, v);
		return;
	}
	if (bar != VM_BAR || off % w || off >= 0x4000) {
		violation(m, "write to BAR %u offset %#llx width %u", bar, (unsigned long long)off,
			  w);
		return;
	}
	if (off < VM_ISR)
		common_write(m, (uint32_t)off, v);
	else if (off >= VM_NOTIFY)
		notify_write(m, (uint32_t)(off - VM_NOTIFY), v);
	else
		violation(m, "write to read-only region at %#llx", (unsigned long long)off);
}

struct virtio_io vm_io(struct virtio_model *m)
{
	return (struct virtio_io){ io_read, io_write, m };
}
