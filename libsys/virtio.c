/*
 * virtio.c - the modern virtio-pci transport and split virtqueues
 * (keel/virtio.h: the bring-up order, the trust rules and the ordering).
 *
 * Shared ring words are read and written with __atomic operations so the
 * compiler touches each exactly once where the code says; the device may
 * change them at any time.
 */
#include <string.h>

#include "keel/virtio.h"

#define POLL_DEFAULT 1000000u
#define USED_ELEM 8u

/* ---- capabilities ------------------------------------------------------- */

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

status_t virtio_cap_decode(const uint8_t *cap, size_t len, struct virtio_cap *out)
{
	uint8_t cap_len;

	if (len < 16 || cap[0] != 0x09)
		return STATUS_BAD_FORMAT;
	cap_len = cap[2];
	if (cap_len < 16 || cap_len > len)
		return STATUS_BAD_FORMAT;
	if (cap[3] == VIRTIO_PCI_CAP_NOTIFY_CFG && cap_len < 20)
		return STATUS_BAD_FORMAT;
	out->cfg_type = cap[3];
	out->bar = cap[4];
	out->offset = le32(cap + 8);
	out->length = le32(cap + 12);
	out->notify_off_multiplier = cap[3] == VIRTIO_PCI_CAP_NOTIFY_CFG ? le32(cap + 16) : 0;
	return STATUS_OK;
}

static uint32_t min_length(uint8_t type)
{
	switch (type) {
	case VIRTIO_PCI_CAP_COMMON_CFG:
		return VIRTIO_COMMON_LEN;
	case VIRTIO_PCI_CAP_NOTIFY_CFG:
		return 2;
	default:
		return 1;
	}
}

static bool cap_usable(const struct virtio_cap *c, const uint64_t bar_size[6])
{
	if (c->bar >= 6 || !bar_size[c->bar] || c->length < min_length(c->cfg_type))
		return false;
	return c->offset <= bar_size[c->bar] && c->length <= bar_size[c->bar] - c->offset;
}

status_t virtio_locate(const struct virtio_cap *caps, size_t n, const uint64_t bar_size[6],
		       struct virtio_layout *out)
{
	struct virtio_region *slot[5] = { NULL, &out->common, &out->notify, &out->isr,
					  &out->device };
	bool found[5] = { false };

	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < n; i++) {
		const struct virtio_cap *c = &caps[i];

		if (c->cfg_type < 1 || c->cfg_type > 4 || found[c->cfg_type] ||
		    !cap_usable(c, bar_size))
			continue;
		found[c->cfg_type] = true;
		*slot[c->cfg_type] = (struct virtio_region){ c->bar, c->offset, c->length };
		if (c->cfg_type == VIRTIO_PCI_CAP_NOTIFY_CFG)
			out->notify_mult = c->notify_off_multiplier;
	}
	out->has_device = found[VIRTIO_PCI_CAP_DEVICE_CFG];
	if (!found[1] || !found[2] || !found[3])
		return STATUS_NOT_FOUND;
	return STATUS_OK;
}

/* ---- the common configuration --------------------------------------------- */

static uint32_t cread(struct virtio_dev *d, uint32_t off, unsigned w)
{
	return d->io.read(d->io.ctx, d->l.common.bar, (uint64_t)d->l.common.offset + off, w);
}

static void cwrite(struct virtio_dev *d, uint32_t off, unsigned w, uint32_t v)
{
	d->io.write(d->io.ctx, d->l.common.bar, (uint64_t)d->l.common.offset + off, w, v);
}

static void cwrite64(struct virtio_dev *d, uint32_t off, uint64_t v)
{
	cwrite(d, off, 4, (uint32_t)v);
	cwrite(d, off + 4, 4, (uint32_t)(v >> 32));
}

static void set_status(struct virtio_dev *d, uint8_t bits)
{
	d->status = (uint8_t)(d->status | bits);
	cwrite(d, VIRTIO_COMMON_STATUS, 1, d->status);
}

void virtio_init(struct virtio_dev *d, const struct virtio_io *io, const struct virtio_layout *l)
{
	memset(d, 0, sizeof *d);
	d->io = *io;
	d->l = *l;
	d->poll_limit = POLL_DEFAULT;
}

status_t virtio_reset(struct virtio_dev *d)
{
	cwrite(d, VIRTIO_COMMON_STATUS, 1, 0);
	d->status = 0;
	d->features = 0;
	for (uint32_t i = 0; i < d->poll_limit; i++)
		if (cread(d, VIRTIO_COMMON_STATUS, 1) == 0)
			return STATUS_OK;
	return STATUS_TIMEOUT;
}

void virtio_fail(struct virtio_dev *d)
{
	set_status(d, VIRTIO_STATUS_FAILED);
}

static uint64_t device_features(struct virtio_dev *d)
{
	uint64_t f;

	cwrite(d, VIRTIO_COMMON_DFSELECT, 4, 0);
	f = cread(d, VIRTIO_COMMON_DF, 4);
	cwrite(d, VIRTIO_COMMON_DFSELECT, 4, 1);
	return f | (uint64_t)cread(d, VIRTIO_COMMON_DF, 4) << 32;
}

status_t virtio_start(struct virtio_dev *d, uint64_t wanted, uint64_t required)
{
	uint64_t offered, use;
	status_t st = virtio_reset(d);

	if (st) {
		virtio_fail(d);
		return st;
	}
	set_status(d, VIRTIO_STATUS_ACKNOWLEDGE);
	set_status(d, VIRTIO_STATUS_DRIVER);
	required |= VIRTIO_BIT(VIRTIO_F_VERSION_1);
	offered = device_features(d);
	if ((offered & required) != required) {
		virtio_fail(d);
		return STATUS_NOT_FOUND;
	}
	use = offered & (wanted | required);
	cwrite(d, VIRTIO_COMMON_GFSELECT, 4, 0);
	cwrite(d, VIRTIO_COMMON_GF, 4, (uint32_t)use);
	cwrite(d, VIRTIO_COMMON_GFSELECT, 4, 1);
	cwrite(d, VIRTIO_COMMON_GF, 4, (uint32_t)(use >> 32));
	set_status(d, VIRTIO_STATUS_FEATURES_OK);
	if (!(cread(d, VIRTIO_COMMON_STATUS, 1) & VIRTIO_STATUS_FEATURES_OK)) {
		virtio_fail(d);
		return STATUS_INVALID;
	}
	d->features = use;
	d->num_queues = (uint16_t)cread(d, VIRTIO_COMMON_NUMQ, 2);
	return STATUS_OK;
}

status_t virtio_set_config_vector(struct virtio_dev *d, uint16_t vector)
{
	cwrite(d, VIRTIO_COMMON_MSIX, 2, vector);
	return cread(d, VIRTIO_COMMON_MSIX, 2) == vector ? STATUS_OK : STATUS_FULL;
}

status_t virtio_driver_ok(struct virtio_dev *d)
{
	if (!(d->status & VIRTIO_STATUS_FEATURES_OK) || (d->status & VIRTIO_STATUS_FAILED))
		return STATUS_INVALID;
	set_status(d, VIRTIO_STATUS_DRIVER_OK);
	return STATUS_OK;
}

status_t virtio_health(struct virtio_dev *d)
{
	uint32_t s = cread(d, VIRTIO_COMMON_STATUS, 1);

	if (s & VIRTIO_STATUS_NEEDS_RESET)
		return STATUS_DEAD;
	if ((d->status & VIRTIO_STATUS_DRIVER_OK) && !(s & VIRTIO_STATUS_DRIVER_OK))
		return STATUS_DEAD;
	return STATUS_OK;
}

uint8_t virtio_isr(struct virtio_dev *d)
{
	return (uint8_t)d->io.read(d->io.ctx, d->l.isr.bar, d->l.isr.offset, 1);
}

static void config_copy(struct virtio_dev *d, uint32_t off, uint8_t *buf, uint32_t len)
{
	uint64_t base = (uint64_t)d->l.device.offset + off;

	for (uint32_t i = 0; i < len;) {
		unsigned w = ((off + i) % 4 == 0 && len - i >= 4)   ? 4
			     : ((off + i) % 2 == 0 && len - i >= 2) ? 2
								    : 1;
		uint32_t v = d->io.read(d->io.ctx, d->l.device.bar, base + i, w);

		for (unsigned k = 0; k < w; k++)
			buf[i + k] = (uint8_t)(v >> (8 * k));
		i += w;
	}
}

status_t virtio_config_read(struct virtio_dev *d, uint32_t off, void *buf, uint32_t len)
{
	if (!d->l.has_device)
		return STATUS_NOT_FOUND;
	if (off > d->l.device.length || len > d->l.device.length - off)
		return STATUS_RANGE;
	for (uint32_t tries = 0; tries < d->poll_limit; tries++) {
		uint32_t before = cread(d, VIRTIO_COMMON_CFGGEN, 1);

		config_copy(d, off, buf, len);
		if (cread(d, VIRTIO_COMMON_CFGGEN, 1) == before)
			return STATUS_OK;
	}
	return STATUS_TIMEOUT;
}

/* ---- MSI-X ------------------------------------------------------------------ */

/* The offset of entry's word (0: address low ... 3: vector control). */
static bool msix_at(const struct virtio_msix *t, uint16_t entry, uint32_t word, uint64_t *off)
{
	if (entry >= t->entries || t->offset % 8)
		return false;
	*off = (uint64_t)t->offset + (uint64_t)entry * VIRTIO_MSIX_ENTRY_BYTES + 4u * word;
	return *off + 4 <= UINT32_MAX;
}

status_t virtio_msix_mask(const struct virtio_io *io, const struct virtio_msix *t, uint16_t entry,
			  bool mask)
{
	uint64_t ctrl;
	uint32_t v;

	if (!msix_at(t, entry, 3, &ctrl))
		return STATUS_RANGE;
	v = io->read(io->ctx, t->bar, ctrl, 4);
	v = mask ? v | VIRTIO_MSIX_CTRL_MASKED : v & ~VIRTIO_MSIX_CTRL_MASKED;
	io->write(io->ctx, t->bar, ctrl, 4, v);
	return STATUS_OK;
}

status_t virtio_msix_program(const struct virtio_io *io, const struct virtio_msix *t,
			     uint16_t entry, uint32_t address, uint32_t data)
{
	const uint32_t want[3] = { address, 0, data };
	uint64_t off[3];

	for (uint32_t w = 0; w < 3; w++)
		if (!msix_at(t, entry, w, &off[w]))
			return STATUS_RANGE;
	virtio_msix_mask(io, t, entry, true);
	for (uint32_t w = 0; w < 3; w++)
		io->write(io->ctx, t->bar, off[w], 4, want[w]);
	for (uint32_t w = 0; w < 3; w++)
		if (io->read(io->ctx, t->bar, off[w], 4) != want[w])
			return STATUS_BAD_FORMAT;
	return virtio_msix_mask(io, t, entry, false);
}

/* ---- queue set-up -------------------------------------------------------- */

static size_t avail_off(uint16_t size)
{
	return (size_t)16 * size;
}

static size_t used_off(uint16_t size)
{
	size_t end = avail_off(size) + 6 + 2u * size;

	return (end + 63) & ~(size_t)63; /* its own cache lines */
}

size_t virtq_bytes(uint16_t size)
{
	return used_off(size) + 6 + (size_t)USED_ELEM * size;
}

static void virtq_reset_private(struct virtq *q)
{
	for (uint16_t i = 0; i < q->size; i++) {
		q->next[i] = (uint16_t)(i + 1);
		q->chain_len[i] = 0;
	}
	q->free_head = 0;
	q->num_free = q->size;
	q->avail_idx = q->published = q->kicked = q->last_used = 0;
	q->in_flight = 0;
	q->broken = false;
}

static uint16_t pick_size(uint16_t want, uint16_t max)
{
	uint16_t n = want < max ? want : max, p = 1;

	if (n > VIRTQ_MAX_SIZE)
		n = VIRTQ_MAX_SIZE;
	if (n == 0)
		return 0;
	while ((uint32_t)p * 2 <= n)
		p = (uint16_t)(p * 2);
	return p;
}

static status_t queue_notify_place(struct virtio_dev *d, struct virtq *q)
{
	uint64_t off = (uint64_t)cread(d, VIRTIO_COMMON_Q_NOFF, 2) * d->l.notify_mult;

	if (off > d->l.notify.length || d->l.notify.length - off < 2)
		return STATUS_BAD_FORMAT;
	q->notify_off = d->l.notify.offset + off;
	return STATUS_OK;
}

static void queue_place(struct virtq *q, void *mem, uint16_t size)
{
	memset(mem, 0, virtq_bytes(size));
	q->size = size;
	q->desc = mem;
	q->avail = (uint16_t *)((uint8_t *)mem + avail_off(size));
	q->used = (uint8_t *)mem + used_off(size);
	virtq_reset_private(q);
}

status_t virtio_queue_setup(struct virtio_dev *d, struct virtq *q, uint16_t index,
			    uint16_t want_size, void *mem, uint64_t phys, size_t mem_len,
			    uint16_t vector)
{
	uint16_t size;
	status_t st;

	if (!(d->status & VIRTIO_STATUS_FEATURES_OK) || (d->status & VIRTIO_STATUS_DRIVER_OK) ||
	    !mem || (uintptr_t)mem % 16 || phys % 16)
		return STATUS_INVALID;
	cwrite(d, VIRTIO_COMMON_Q_SELECT, 2, index);
	size = pick_size(want_size, (uint16_t)cread(d, VIRTIO_COMMON_Q_SIZE, 2));
	if (!size || index >= d->num_queues)
		return STATUS_NOT_FOUND;
	if (mem_len < virtq_bytes(size))
		return STATUS_RANGE;
	if ((st = queue_notify_place(d, q)))
		return st;
	queue_place(q, mem, size);
	q->index = index;
	q->event_idx = (d->features & VIRTIO_BIT(VIRTIO_F_EVENT_IDX)) != 0;
	cwrite(d, VIRTIO_COMMON_Q_SIZE, 2, size);
	cwrite(d, VIRTIO_COMMON_Q_MSIX, 2, vector);
	if (cread(d, VIRTIO_COMMON_Q_MSIX, 2) != vector)
		return STATUS_FULL;
	cwrite64(d, VIRTIO_COMMON_Q_DESC, phys);
	cwrite64(d, VIRTIO_COMMON_Q_AVAIL, phys + avail_off(size));
	cwrite64(d, VIRTIO_COMMON_Q_USED, phys + used_off(size));
	cwrite(d, VIRTIO_COMMON_Q_ENABLE, 2, 1);
	return STATUS_OK;
}

/* ---- the driver side of the rings ------------------------------------------- */

static uint16_t *avail_ring(struct virtq *q)
{
	return q->avail + 2;
}

static uint16_t *used_event(struct virtq *q)
{
	return q->avail + 2 + q->size;
}

static uint16_t *used_word(struct virtq *q, size_t byte_off)
{
	return (uint16_t *)(q->used + byte_off);
}

uint16_t virtq_free(const struct virtq *q)
{
	return q->num_free;
}

static status_t check_chain(const struct virtq_buf *bufs, uint16_t n, uint32_t *writable)
{
	bool seen_write = false;

	*writable = 0;
	if (n == 0)
		return STATUS_INVALID;
	for (uint16_t i = 0; i < n; i++) {
		if (!bufs[i].len || (seen_write && !bufs[i].device_writes))
			return STATUS_INVALID;
		seen_write = bufs[i].device_writes;
		if (seen_write) {
			if (bufs[i].len > UINT32_MAX - *writable)
				return STATUS_INVALID;
			*writable += bufs[i].len;
		}
	}
	return STATUS_OK;
}

status_t virtq_add(struct virtq *q, const struct virtq_buf *bufs, uint16_t n, uint64_t token)
{
	uint16_t head = q->free_head, i = head;
	uint32_t writable;
	status_t st;

	if (q->broken)
		return STATUS_BAD_FORMAT;
	if ((st = check_chain(bufs, n, &writable)))
		return st;
	if (n > q->num_free)
		return STATUS_FULL;
	for (uint16_t k = 0; k < n; k++) {
		struct virtq_desc *dsc = &q->desc[i];

		dsc->addr = bufs[k].phys;
		dsc->len = bufs[k].len;
		dsc->flags = (uint16_t)((bufs[k].device_writes ? VIRTQ_DESC_F_WRITE : 0) |
					(k + 1 < n ? VIRTQ_DESC_F_NEXT : 0));
		dsc->next = k + 1 < n ? q->next[i] : 0;
		i = q->next[i];
	}
	q->free_head = i;
	q->num_free = (uint16_t)(q->num_free - n);
	q->chain_len[head] = n;
	q->writable[head] = writable;
	q->token[head] = token;
	q->in_flight++;
	__atomic_store_n(&avail_ring(q)[q->avail_idx & (q->size - 1)], head, __ATOMIC_RELAXED);
	q->avail_idx++;
	return STATUS_OK;
}

/* virtio 1.x 2.7.10: notify when the device's event index lies in the
 * range of avail indices published since the last notification. */
static bool need_event(uint16_t event, uint16_t new_idx, uint16_t old)
{
	return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old);
}

static void notify(struct virtio_dev *d, struct virtq *q)
{
	d->io.write(d->io.ctx, d->l.notify.bar, q->notify_off, 2, q->index);
}

bool virtq_kick(struct virtio_dev *d, struct virtq *q)
{
	uint16_t old = q->kicked, now = q->avail_idx;
	bool ring;

	if (q->broken)
		return false;
	__atomic_store_n(&q->avail[1], now, __ATOMIC_RELEASE);
	q->published = now;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (now == old)
		return false;
	if (q->event_idx) {
		uint16_t ev = __atomic_load_n(used_word(q, 4 + (size_t)USED_ELEM * q->size),
					      __ATOMIC_RELAXED);

		ring = need_event(ev, now, old);
	} else {
		uint16_t flags = __atomic_load_n(used_word(q, 0), __ATOMIC_RELAXED);

		ring = !(flags & VIRTQ_USED_F_NO_NOTIFY);
	}
	q->kicked = now;
	if (ring)
		notify(d, q);
	return ring;
}

/* Returns head's chain to the free list (private links only). */
static void free_chain(struct virtq *q, uint16_t head)
{
	uint16_t last = head;

	for (uint16_t k = 1; k < q->chain_len[head]; k++)
		last = q->next[last];
	q->next[last] = q->free_head;
	q->free_head = head;
	q->num_free = (uint16_t)(q->num_free + q->chain_len[head]);
	q->chain_len[head] = 0;
	q->in_flight--;
}

/* Takes used entry slot; false if its id is not a chain in flight. */
static bool take_used(struct virtq *q, uint16_t slot, struct virtq_done *out)
{
	const uint8_t *e = q->used + 4 + (size_t)USED_ELEM * slot;
	uint32_t id = __atomic_load_n((const uint32_t *)e, __ATOMIC_RELAXED);
	uint32_t len = __atomic_load_n((const uint32_t *)(e + 4), __ATOMIC_RELAXED);

	if (id >= q->size || !q->chain_len[id])
		return false;
	out->token = q->token[id];
	out->status = len > q->writable[id] ? STATUS_BAD_FORMAT : STATUS_OK;
	out->len = out->status ? 0 : len;
	free_chain(q, (uint16_t)id);
	return true;
}

status_t virtq_harvest(struct virtq *q, struct virtq_done *out, size_t max, size_t *n)
{
	uint16_t idx, ready;

	*n = 0;
	if (q->broken)
		return STATUS_BAD_FORMAT;
	idx = __atomic_load_n(used_word(q, 2), __ATOMIC_ACQUIRE);
	ready = (uint16_t)(idx - q->last_used);
	if (ready > q->in_flight) {
		q->broken = true;
		return STATUS_BAD_FORMAT;
	}
	while (ready-- && *n < max) {
		if (!take_used(q, q->last_used & (q->size - 1), &out[*n])) {
			q->broken = true;
			return STATUS_BAD_FORMAT;
		}
		q->last_used++;
		(*n)++;
	}
	if (q->event_idx)
		__atomic_store_n(used_event(q), q->last_used, __ATOMIC_RELEASE);
	return STATUS_OK;
}

bool virtq_interrupts(struct virtq *q, bool on)
{
	uint16_t flags = on ? 0 : VIRTQ_AVAIL_F_NO_INTERRUPT;

	__atomic_store_n(&q->avail[0], flags, __ATOMIC_RELAXED);
	if (q->event_idx)
		__atomic_store_n(used_event(q), on ? q->last_used : (uint16_t)(q->last_used - 1),
				 __ATOMIC_RELAXED);
	if (!on)
		return false;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return __atomic_load_n(used_word(q, 2), __ATOMIC_ACQUIRE) != q->last_used;
}

size_t virtq_abandon(struct virtq *q, uint64_t *tokens, size_t max)
{
	size_t n = 0;

	for (uint16_t h = 0; h < q->size; h++)
		if (q->chain_len[h] && n < max)
			tokens[n++] = q->token[h];
	virtq_reset_private(q);
	return n;
}
