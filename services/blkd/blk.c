/*
 * blk.c - virtio-blk requests over keel/virtio.h (blk.h: the rules each
 * request follows and the restart journal).
 *
 * Each request owns one slot of BLK_SLOT_BYTES in DMA memory: its header
 * at 0, the discard range or the GET_ID buffer at 16, its status byte at
 * 48. The slot index is the virtqueue token.
 */
#include <string.h>

#include "blk.h"

#define SLOT_HDR 0
#define SLOT_EXTRA 16
#define SLOT_STATUS 48
#define STATUS_UNWRITTEN 0xff

enum { SLOT_FREE = 0, SLOT_IN_FLIGHT = 1, SLOT_DONE = 2 };

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static size_t queue_bytes(void)
{
	return (virtq_bytes(VIRTQ_MAX_SIZE) + 63) & ~(size_t)63;
}

size_t blk_dma_bytes(void)
{
	return queue_bytes() + (size_t)BLK_DEPTH * BLK_SLOT_BYTES;
}

uint64_t blk_blocks(const struct blk_dev *b)
{
	return b->capacity / (b->block_size / BLK_SECTOR);
}

const char *blk_result_name(enum blk_result r)
{
	static const char *const names[] = {
		[BLK_OK] = "ok",
		[BLK_IO_ERROR] = "I/O error",
		[BLK_UNSUPPORTED] = "not supported by the device",
		[BLK_PAST_END] = "past the end of the device",
		[BLK_UNALIGNED] = "buffer not aligned to 512 bytes",
		[BLK_INVALID] = "malformed request",
		[BLK_READ_ONLY] = "read-only",
		[BLK_BUSY] = "busy, try again",
		[BLK_RETRY] = "interrupted by a restart, try again",
	};

	return (unsigned)r < sizeof names / sizeof names[0] ? names[r] : "?";
}

/* ---- the journal ----------------------------------------------------------- */

static uint32_t journal_check(uint64_t cookie, uint32_t slot)
{
	return (uint32_t)cookie ^ (uint32_t)(cookie >> 32) ^ 0x9e3779b9u ^ (slot * 0x85ebca6bu);
}

void blk_journal_init(struct blk_journal *j)
{
	memset(j, 0, sizeof *j);
	j->depth = BLK_DEPTH;
	__atomic_store_n(&j->magic, BLK_JOURNAL_MAGIC, __ATOMIC_RELEASE);
}

size_t blk_journal_recover(struct blk_journal *j, uint64_t *cookies, size_t max)
{
	size_t n = 0;

	if (j->magic == BLK_JOURNAL_MAGIC && j->depth == BLK_DEPTH) {
		for (uint32_t i = 0; i < BLK_DEPTH && n < max; i++) {
			const struct blk_journal_entry *e = &j->e[i];

			if (e->state == SLOT_IN_FLIGHT && e->check == journal_check(e->cookie, i))
				cookies[n++] = e->cookie;
		}
	}
	blk_journal_init(j);
	return n;
}

static void journal_set(struct blk_dev *b, uint16_t slot, uint64_t cookie)
{
	struct blk_journal_entry *e;

	if (!b->journal)
		return;
	e = &b->journal->e[slot];
	e->cookie = cookie;
	e->check = journal_check(cookie, slot);
	__atomic_store_n(&e->state, SLOT_IN_FLIGHT, __ATOMIC_RELEASE);
}

static void journal_clear(struct blk_dev *b, uint16_t slot)
{
	if (b->journal)
		__atomic_store_n(&b->journal->e[slot].state, SLOT_FREE, __ATOMIC_RELEASE);
}

/* ---- start ----------------------------------------------------------------- */

static uint32_t config32(struct blk_dev *b, uint32_t off, unsigned feature, uint32_t dflt)
{
	uint8_t v[4];

	if (!(b->vdev.features & VIRTIO_BIT(feature)) || virtio_config_read(&b->vdev, off, v, 4))
		return dflt;
	return le32(v);
}

static status_t read_config(struct blk_dev *b)
{
	uint8_t cap[8];
	status_t st = virtio_config_read(&b->vdev, 0, cap, 8);

	if (st)
		return st;
	b->capacity = le32(cap) | (uint64_t)le32(cap + 4) << 32;
	b->size_max = config32(b, 8, VIRTIO_BLK_F_SIZE_MAX, 0) & ~(BLK_SECTOR - 1);
	b->seg_max = config32(b, 12, VIRTIO_BLK_F_SEG_MAX, BLK_MAX_SEGS);
	b->block_size = config32(b, 20, VIRTIO_BLK_F_BLK_SIZE, BLK_SECTOR);
	b->max_discard_sectors = config32(b, 36, VIRTIO_BLK_F_DISCARD, 0);
	b->read_only = (b->vdev.features & VIRTIO_BIT(VIRTIO_BLK_F_RO)) != 0;
	b->flush = (b->vdev.features & VIRTIO_BIT(VIRTIO_BLK_F_FLUSH)) != 0;
	b->discard = (b->vdev.features & VIRTIO_BIT(VIRTIO_BLK_F_DISCARD)) != 0;
	if (b->seg_max == 0 || b->seg_max > BLK_MAX_SEGS)
		b->seg_max = BLK_MAX_SEGS;
	if (b->block_size < BLK_SECTOR || b->block_size > 65536 ||
	    (b->block_size & (b->block_size - 1)) || blk_blocks(b) == 0)
		return STATUS_BAD_FORMAT;
	return STATUS_OK;
}

static void slots_init(struct blk_dev *b, uint8_t *mem, uint64_t phys)
{
	b->slot_mem = mem;
	b->slot_phys = phys;
	b->nfree = BLK_DEPTH;
	for (uint16_t i = 0; i < BLK_DEPTH; i++) {
		b->slots[i].state = SLOT_FREE;
		b->free_slots[i] = (uint16_t)(BLK_DEPTH - 1 - i);
	}
}

status_t blk_start(struct blk_dev *b, const struct virtio_io *io, const struct virtio_layout *l,
		   void *dma, uint64_t phys, size_t dma_len, uint16_t config_vector,
		   uint16_t queue_vector, struct blk_journal *journal)
{
	const uint64_t wanted = VIRTIO_BIT(VIRTIO_BLK_F_SIZE_MAX) |
				VIRTIO_BIT(VIRTIO_BLK_F_SEG_MAX) | VIRTIO_BIT(VIRTIO_BLK_F_RO) |
				VIRTIO_BIT(VIRTIO_BLK_F_BLK_SIZE) | VIRTIO_BIT(VIRTIO_BLK_F_FLUSH) |
				VIRTIO_BIT(VIRTIO_BLK_F_DISCARD) | VIRTIO_BIT(VIRTIO_F_EVENT_IDX);
	status_t st;

	memset(b, 0, sizeof *b);
	b->journal = journal;
	if (dma_len < blk_dma_bytes())
		return STATUS_RANGE;
	virtio_init(&b->vdev, io, l);
	if ((st = virtio_start(&b->vdev, wanted, 0)))
		return st;
	if ((st = read_config(b)) || (st = virtio_set_config_vector(&b->vdev, config_vector)) ||
	    (st = virtio_queue_setup(&b->vdev, &b->vq, 0, VIRTQ_MAX_SIZE, dma, phys, queue_bytes(),
				     queue_vector)) ||
	    (st = virtio_driver_ok(&b->vdev))) {
		virtio_fail(&b->vdev);
		return st;
	}
	slots_init(b, (uint8_t *)dma + queue_bytes(), phys + queue_bytes());
	return STATUS_OK;
}

/* ---- submission -------------------------------------------------------------- */

/* Checks r's range against its partition and the disk; stores the first
 * sector and the sector count. */
static uint8_t check_range(const struct blk_dev *b, const struct blk_request *r, uint64_t *sector,
			   uint64_t *nsec)
{
	struct blk_part whole = { 0, blk_blocks(b), false };
	const struct blk_part *p = r->part ? r->part : &whole;
	uint64_t per = b->block_size / BLK_SECTOR;

	if (r->count == 0)
		return BLK_INVALID;
	if (p->start > blk_blocks(b) || p->count > blk_blocks(b) - p->start)
		return BLK_PAST_END;
	if (r->lba > p->count || r->count > p->count - r->lba)
		return BLK_PAST_END;
	if ((r->op == BLK_WRITE || r->op == BLK_DISCARD) && (p->read_only || b->read_only))
		return BLK_READ_ONLY;
	*sector = (p->start + r->lba) * per;
	*nsec = (uint64_t)r->count * per;
	return BLK_OK;
}

static uint8_t check_segments(const struct blk_dev *b, const struct blk_request *r)
{
	uint64_t total = 0;

	if (!r->segs || r->nsegs == 0 || r->nsegs > BLK_MAX_SEGS)
		return BLK_INVALID;
	for (uint16_t i = 0; i < r->nsegs; i++) {
		if (r->segs[i].phys % BLK_SECTOR || r->segs[i].len % BLK_SECTOR || !r->segs[i].len)
			return BLK_UNALIGNED;
		total += r->segs[i].len;
	}
	/* The device reports bytes written in 32 bits. */
	if (total >= UINT32_MAX)
		return BLK_INVALID;
	return total == (uint64_t)r->count * b->block_size ? BLK_OK : BLK_INVALID;
}

static uint8_t check_request(const struct blk_dev *b, const struct blk_request *r, uint64_t *sector,
			     uint64_t *nsec)
{
	uint8_t res;

	*sector = *nsec = 0;
	switch (r->op) {
	case BLK_READ:
	case BLK_WRITE:
		if ((res = check_range(b, r, sector, nsec)))
			return res;
		return check_segments(b, r);
	case BLK_DISCARD:
		if (!b->discard)
			return BLK_UNSUPPORTED;
		if ((res = check_range(b, r, sector, nsec)))
			return res;
		return (b->max_discard_sectors && *nsec > b->max_discard_sectors) ? BLK_INVALID
										  : BLK_OK;
	case BLK_FLUSH:
	case BLK_GET_ID:
		return BLK_OK;
	default:
		return BLK_INVALID;
	}
}

/* Appends r's data segments to bufs, split at size_max; returns how many,
 * or 0 when more than seg_max would be needed. */
static uint16_t data_bufs(const struct blk_dev *b, const struct blk_request *r,
			  struct virtq_buf *bufs)
{
	uint32_t piece = b->size_max ? b->size_max : UINT32_MAX;
	uint16_t n = 0;

	for (uint16_t i = 0; i < r->nsegs; i++) {
		uint64_t phys = r->segs[i].phys;
		uint32_t left = r->segs[i].len;

		while (left) {
			uint32_t len = left < piece ? left : piece;

			if (n >= b->seg_max)
				return 0;
			bufs[n++] = (struct virtq_buf){ phys, len, r->op == BLK_READ };
			phys += len;
			left -= len;
		}
	}
	return n;
}

static uint32_t virtio_type(uint8_t op)
{
	static const uint32_t types[] = {
		[BLK_READ] = VIRTIO_BLK_T_IN,       [BLK_WRITE] = VIRTIO_BLK_T_OUT,
		[BLK_FLUSH] = VIRTIO_BLK_T_FLUSH,   [BLK_DISCARD] = VIRTIO_BLK_T_DISCARD,
		[BLK_GET_ID] = VIRTIO_BLK_T_GET_ID,
	};

	return types[op];
}

/* Builds the chain of r in slot s: header, data, status. Returns the
 * number of buffers, or 0 when r needs too many descriptors. */
static uint16_t build_chain(struct blk_dev *b, const struct blk_request *r, uint16_t s,
			    uint64_t sector, uint64_t nsec, struct virtq_buf *bufs)
{
	uint8_t *m = b->slot_mem + (size_t)s * BLK_SLOT_BYTES;
	uint64_t p = b->slot_phys + (uint64_t)s * BLK_SLOT_BYTES;
	uint16_t n = 1;

	memset(m, 0, BLK_SLOT_BYTES);
	put32(m + SLOT_HDR, virtio_type(r->op));
	put64(m + SLOT_HDR + 8, r->op == BLK_FLUSH || r->op == BLK_GET_ID ? 0 : sector);
	m[SLOT_STATUS] = STATUS_UNWRITTEN;
	bufs[0] = (struct virtq_buf){ p + SLOT_HDR, 16, false };
	if (r->op == BLK_READ || r->op == BLK_WRITE) {
		uint16_t k = data_bufs(b, r, bufs + 1);

		if (!k)
			return 0;
		n = (uint16_t)(n + k);
	} else if (r->op == BLK_DISCARD) {
		put64(m + SLOT_EXTRA, sector);
		put32(m + SLOT_EXTRA + 8, (uint32_t)nsec);
		bufs[n++] = (struct virtq_buf){ p + SLOT_EXTRA, 16, false };
	} else if (r->op == BLK_GET_ID) {
		bufs[n++] = (struct virtq_buf){ p + SLOT_EXTRA, VIRTIO_BLK_ID_BYTES, true };
	}
	bufs[n++] = (struct virtq_buf){ p + SLOT_STATUS, 1, true };
	return n;
}

static uint8_t queue_request(struct blk_dev *b, const struct blk_request *r, uint64_t sector,
			     uint64_t nsec)
{
	struct virtq_buf bufs[BLK_MAX_SEGS + 2];
	uint16_t s, n;
	status_t st;

	if (!b->nfree)
		return BLK_BUSY;
	s = b->free_slots[b->nfree - 1];
	if (!(n = build_chain(b, r, s, sector, nsec, bufs)))
		return BLK_INVALID;
	journal_set(b, s, r->cookie);
	st = virtq_add(&b->vq, bufs, n, s);
	if (st) {
		journal_clear(b, s);
		return st == STATUS_FULL ? BLK_BUSY : BLK_RETRY;
	}
	b->nfree--;
	b->slots[s] = (struct blk_slot){
		.state = SLOT_IN_FLIGHT,
		.op = r->op,
		.cookie = r->cookie,
		.data_len = r->op == BLK_READ     ? r->count * b->block_size
			    : r->op == BLK_GET_ID ? VIRTIO_BLK_ID_BYTES
						  : 0,
	};
	return BLK_OK;
}

bool blk_submit(struct blk_dev *b, const struct blk_request *r, uint8_t *result)
{
	uint64_t sector, nsec;
	uint8_t res = check_request(b, r, &sector, &nsec);

	if (!res && r->op == BLK_FLUSH && !b->flush) {
		*result = BLK_OK; /* no write-back cache to flush */
		return false;
	}
	if (!res)
		res = queue_request(b, r, sector, nsec);
	*result = res;
	return res == BLK_OK;
}

void blk_kick(struct blk_dev *b)
{
	virtq_kick(&b->vdev, &b->vq);
}

/* ---- completion ---------------------------------------------------------------- */

static uint8_t device_result(const struct blk_dev *b, uint16_t s, const struct virtq_done *d)
{
	uint8_t st = __atomic_load_n(b->slot_mem + (size_t)s * BLK_SLOT_BYTES + SLOT_STATUS,
				     __ATOMIC_RELAXED);

	if (d->status || d->len < 1)
		return BLK_IO_ERROR;
	switch (st) {
	case VIRTIO_BLK_S_OK:
		return d->len - 1 < b->slots[s].data_len ? BLK_IO_ERROR : BLK_OK;
	case VIRTIO_BLK_S_UNSUPP:
		return BLK_UNSUPPORTED;
	default:
		return BLK_IO_ERROR;
	}
}

static void complete(struct blk_dev *b, uint16_t s, uint8_t result, struct blk_completion *out)
{
	b->slots[s].state = SLOT_DONE;
	*out = (struct blk_completion){
		.cookie = b->slots[s].cookie,
		.slot = s,
		.result = result,
		.op = b->slots[s].op,
	};
}

status_t blk_harvest(struct blk_dev *b, struct blk_completion *out, size_t max, size_t *n)
{
	struct virtq_done d[16];
	size_t k;
	status_t st;

	*n = 0;
	do {
		size_t want = max - *n < 16 ? max - *n : 16;

		st = virtq_harvest(&b->vq, d, want, &k);
		for (size_t i = 0; i < k; i++) {
			uint16_t s = (uint16_t)d[i].token;

			if (d[i].token >= BLK_DEPTH || b->slots[s].state != SLOT_IN_FLIGHT)
				return STATUS_DEAD; /* cannot happen: our own tokens */
			complete(b, s, device_result(b, s, &d[i]), &out[(*n)++]);
		}
	} while (!st && k && *n < max);
	return st ? STATUS_DEAD : virtio_health(&b->vdev);
}

status_t blk_get_id(const struct blk_dev *b, uint16_t slot, uint8_t id[VIRTIO_BLK_ID_BYTES])
{
	if (slot >= BLK_DEPTH || b->slots[slot].state != SLOT_DONE ||
	    b->slots[slot].op != BLK_GET_ID)
		return STATUS_INVALID;
	memcpy(id, b->slot_mem + (size_t)slot * BLK_SLOT_BYTES + SLOT_EXTRA, VIRTIO_BLK_ID_BYTES);
	return STATUS_OK;
}

status_t blk_release(struct blk_dev *b, uint16_t slot)
{
	if (slot >= BLK_DEPTH || b->slots[slot].state != SLOT_DONE)
		return STATUS_INVALID;
	b->slots[slot].state = SLOT_FREE;
	b->free_slots[b->nfree++] = slot;
	journal_clear(b, slot);
	return STATUS_OK;
}

size_t blk_fail_all(struct blk_dev *b, struct blk_completion *out, size_t max)
{
	uint64_t tokens[VIRTQ_MAX_SIZE];
	size_t n = 0;

	virtq_abandon(&b->vq, tokens, VIRTQ_MAX_SIZE);
	for (uint16_t s = 0; s < BLK_DEPTH && n < max; s++)
		if (b->slots[s].state == SLOT_IN_FLIGHT)
			complete(b, s, BLK_RETRY, &out[n++]);
	return n;
}
