/*
 * serve.c - the block protocol (keel/block.h): sessions over client
 * shared memory, requests queued to the device with their reply held
 * until the device completes them, completions harvested on the queue's
 * MSI-X vector. Without MSI-X (absent, or refused by topod or the device)
 * blkd uses the INTx line plus, while requests are in flight, a short poll
 * timer: the line reaches the IO APIC only where the firmware's interrupt
 * line register is right (on q35 it needs the DSDT's _PRT).
 *
 * The badge names the device a client may use (BLKP_BADGE_PART): a
 * session is bound to it and to the badge, so no message can reach
 * another partition or another client's session.
 */
#include <string.h>

#include "blkd.h"
#include "keel/codec.h"
#include "keel/map.h"
#include "keel/sys.h"

#define POLL_NS 200000ull /* the poll timer while requests are in flight */
#define HARVEST_BATCH 16

static void reply_result(struct blkd *d, cap_handle_t to, uint8_t result)
{
	struct loop_reply r = { .msg = { .label = BLKP_IO, .len = 1, .payload = { result } } };
	loop_reply(&d->loop, to, &r);
}

static void poll_fire(struct loop *loop, uint64_t now, void *ctx);

/* Arms the poll timer once while requests are in flight. */
static void poll_arm(struct blkd *d)
{
	uint64_t now = 0;
	loop_timer_id id;
	if (d->msix || d->poll_armed || !d->in_flight)
		return;
	sys_clock_read(&now);
	d->poll_armed = loop_timer_add(&d->loop, now + POLL_NS, poll_fire, d, &id) == STATUS_OK;
}

static void poll_fire(struct loop *loop, uint64_t now, void *ctx)
{
	struct blkd *d = ctx;
	(void)loop, (void)now;
	d->poll_armed = false;
	blkd_harvest(d);
}

/* Answers one completion and frees its request. */
static void complete(struct blkd *d, const struct blk_completion *c)
{
	struct blkd_req *q = &d->reqs[c->cookie % BLK_DEPTH];
	if (q->reply != CAP_HANDLE_NONE) {
		reply_result(d, q->reply, c->result);
		q->reply = CAP_HANDLE_NONE;
		d->in_flight--;
		d->completed++;
	}
	blk_release(&d->b, c->slot);
}

void blkd_harvest(struct blkd *d)
{
	struct blk_completion c[HARVEST_BATCH];
	size_t n;
	do {
		status_t st = blk_harvest(&d->b, c, HARVEST_BATCH, &n);
		if (st == STATUS_DEAD) {
			/* Fail what is in flight as retryable; initd restarts blkd,
			 * which resets the device. */
			n = blk_fail_all(&d->b, c, HARVEST_BATCH);
			for (size_t i = 0; i < n; i++)
				complete(d, &c[i]);
			loop_stop(&d->loop);
			return;
		}
		for (size_t i = 0; i < n; i++)
			complete(d, &c[i]);
		/* The device decides to interrupt from used_event, which the
		 * harvest moved: look again after a fence, or a completion
		 * pushed meanwhile would wait for the next one. */
	} while (n == HARVEST_BATCH || virtq_interrupts(&d->b.vq, true));
	poll_arm(d);
}

static void on_irq(struct loop *loop, unsigned bit, void *ctx)
{
	struct blkd *d = ctx;
	(void)loop, (void)bit;
	virtio_isr(&d->b.vdev); /* reading it lowers the line */
	blkd_harvest(d);
	sys_irq_ack(d->irq);
}

/* The queue's MSI-X vector: the kernel masked it when it raised the bit;
 * a message arriving before the acknowledgement is kept, not lost. */
static void on_queue_vector(struct loop *loop, unsigned bit, void *ctx)
{
	struct blkd *d = ctx;
	(void)loop, (void)bit;
	blkd_harvest(d);
	sys_irq_ack(d->vec[BLKD_VEC_QUEUE]);
}

/* Configuration changes: a device that asks for a reset shows in the
 * harvest (virtio_health), which fails what is in flight and stops. */
static void on_config_vector(struct loop *loop, unsigned bit, void *ctx)
{
	struct blkd *d = ctx;
	(void)loop, (void)bit;
	blkd_harvest(d);
	sys_irq_ack(d->vec[BLKD_VEC_CONFIG]);
}

/* BLKP_SHM: u64 nonce, u32 pages, with the memory capability. */
static status_t on_shm(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
		       void *ctx)
{
	struct blkd *d = ctx;
	struct blkd_shm *slot = &d->shm[0];
	(void)loop, (void)reply;
	if (!(m->flags & MSG_FLAG_CAP) || m->len < 8)
		return STATUS_INVALID;
	for (int i = 0; i < BLKD_PENDING_SHM; i++)
		if (d->shm[i].mem == CAP_HANDLE_NONE) {
			slot = &d->shm[i];
			break;
		}
	if (slot->mem != CAP_HANDLE_NONE)
		sys_cap_delete(slot->mem); /* the oldest unclaimed one goes */
	memcpy(&slot->nonce, m->payload, 8);
	slot->badge = m->badge;
	slot->mem = m->cap;
	return STATUS_OK;
}

/* The device index a badge may open, or -1. */
static int badge_dev(const struct blkd *d, uint64_t badge)
{
	uint32_t p = BLKP_BADGE_PART(badge);
	if (p == 0)
		return -1;
	if (p == 1)
		return 0;
	for (uint32_t k = 1; k < d->ndevs; k++)
		if (d->dev_index[k] == p - 1)
			return (int)k;
	return -1;
}

/* Maps the client's memory (as many pages as it has, up to
 * BLKD_SHM_PAGES) and learns each page's physical address. */
static status_t session_map(struct blkd_session *s, cap_handle_t mem)
{
	uint32_t pages = BLKD_SHM_PAGES;
	void *va = NULL;
	status_t st = STATUS_RANGE;
	while (pages &&
	       (st = keel_map(mem, 0, pages, RIGHT_READ | RIGHT_WRITE, &va)) == STATUS_RANGE)
		pages /= 2;
	for (uint32_t i = 0; st == STATUS_OK && i < pages; i++)
		st = sys_memory_phys(mem, i, &s->phys[i]);
	if (st) {
		if (va)
			keel_unmap(va, pages);
		return st;
	}
	s->va = va, s->pages = pages, s->mem = mem;
	return STATUS_OK;
}

static void session_reclaim(struct blkd *d, uint64_t badge);

#define SESSION_INDEX 31u /* the low bits of a session id: its slot + 1 */

/* A session's id: its slot and its open number, so that an id is not
 * reused when the slot is. */
static uint32_t session_id(const struct blkd_session *s, uint32_t i)
{
	return (uint32_t)(s->opened << 5) | (i + 1);
}

static status_t on_open(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			void *ctx)
{
	struct blkd *d = ctx;
	struct codec_writer w;
	uint64_t nonce;
	(void)loop;
	int dev = badge_dev(d, m->badge);
	if (dev < 0)
		return STATUS_NO_RIGHTS;
	if (m->len < 8)
		return STATUS_INVALID;
	memcpy(&nonce, m->payload, 8);
	struct blkd_shm *sh = NULL;
	for (int i = 0; i < BLKD_PENDING_SHM; i++)
		if (d->shm[i].mem && d->shm[i].badge == m->badge && d->shm[i].nonce == nonce)
			sh = &d->shm[i];
	if (!sh)
		return STATUS_NOT_FOUND;
	session_reclaim(d, m->badge);
	uint32_t i = 0;
	while (i < BLKD_SESSIONS && d->sessions[i].used)
		i++;
	if (i == BLKD_SESSIONS)
		return STATUS_FULL;
	struct blkd_session *s = &d->sessions[i];
	status_t st = session_map(s, sh->mem);
	if (st)
		return st;
	sh->mem = CAP_HANDLE_NONE;
	s->used = true, s->badge = m->badge, s->dev = (uint32_t)dev;
	s->opened = ++d->opens;
	const struct blk_part *p = &d->devs[dev];
	codec_msg_begin(&w, &reply->msg, BLKP_OPEN);
	codec_put_u32(&w, session_id(s, i));
	codec_put_u32(&w, d->b.block_size);
	codec_put_u64(&w, p->count);
	codec_put_u32(&w, (p->read_only ? BLKP_F_READ_ONLY : 0) | (d->b.flush ? BLKP_F_FLUSH : 0) |
				  (d->b.discard ? BLKP_F_DISCARD : 0));
	codec_put_u32(&w, s->pages * 4096u);
	return codec_msg_end(&w, &reply->msg);
}

/* The session a message names, if its badge owns it. */
static struct blkd_session *session_of(struct blkd *d, const struct keel_msg *m, uint32_t id)
{
	uint32_t i = (id & SESSION_INDEX) - 1;
	if (i >= BLKD_SESSIONS)
		return NULL;
	struct blkd_session *s = &d->sessions[i];
	return s->used && s->badge == m->badge && session_id(s, i) == id ? s : NULL;
}

/* The physical segments of [off, off + len) of the session's memory,
 * merging contiguous pages. Returns how many, 0 if too many. */
static uint16_t segments(const struct blkd_session *s, uint64_t off, uint64_t len,
			 struct blk_seg *segs)
{
	uint16_t n = 0;
	while (len) {
		uint64_t page = off / 4096, in = off % 4096;
		uint64_t take = 4096 - in < len ? 4096 - in : len;
		uint64_t phys = s->phys[page] + in;
		if (n && segs[n - 1].phys + segs[n - 1].len == phys)
			segs[n - 1].len += (uint32_t)take;
		else if (n == BLK_MAX_SEGS)
			return 0;
		else
			segs[n++] = (struct blk_seg){ phys, (uint32_t)take };
		off += take, len -= take;
	}
	return n;
}

static status_t on_io(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
		      void *ctx)
{
	struct blkd *d = ctx;
	struct codec_reader rd;
	uint32_t id, count, off;
	uint8_t hdr[4];
	uint64_t lba;
	(void)loop;
	codec_msg_reader(&rd, m);
	if (codec_get_u32(&rd, &id) || codec_get_bytes(&rd, hdr, 4) || codec_get_u64(&rd, &lba) ||
	    codec_get_u32(&rd, &count) || codec_get_u32(&rd, &off) || !loop_msg_is_call(m))
		return STATUS_INVALID;
	struct blkd_session *s = session_of(d, m, id);
	if (!s)
		return STATUS_NOT_FOUND;
	uint64_t bytes = hdr[0] <= BLKP_OP_WRITE ? (uint64_t)count * d->b.block_size : 0;
	if ((uint64_t)off + bytes > (uint64_t)s->pages * 4096)
		return STATUS_RANGE;
	uint32_t q = 0;
	while (q < BLK_DEPTH && d->reqs[q].reply != CAP_HANDLE_NONE)
		q++;
	struct blk_request r = { .op = hdr[0],
				 .lba = lba,
				 .count = count,
				 .cookie = q,
				 .part = s->dev ? &d->devs[s->dev] : NULL };
	uint8_t result = BLKP_R_BUSY;
	if (q < BLK_DEPTH) {
		r.segs = d->reqs[q].segs;
		r.nsegs = bytes ? segments(s, off, bytes, d->reqs[q].segs) : 0;
		if (bytes && !r.nsegs)
			result = BLKP_R_INVALID;
		else if (blk_submit(&d->b, &r, &result)) {
			d->reqs[q].reply = m->cap;
			d->reqs[q].session = id;
			d->in_flight++;
			blk_kick(&d->b);
			poll_arm(d);
			return STATUS_OK; /* answered on completion */
		}
	}
	reply->msg = (struct keel_msg){ .label = BLKP_IO, .len = 1, .payload = { result } };
	return STATUS_OK;
}

static bool session_busy(const struct blkd *d, uint32_t id)
{
	for (int q = 0; q < BLK_DEPTH; q++)
		if (d->reqs[q].reply != CAP_HANDLE_NONE && d->reqs[q].session == id)
			return true;
	return false;
}

static void session_end(struct blkd_session *s)
{
	keel_unmap(s->va, s->pages);
	sys_cap_delete(s->mem);
	memset(s, 0, sizeof *s);
}

/* A client that died never closes its sessions; its restarted instance
 * has the same badge. So a badge keeps at most BLKD_SESSIONS_PER_BADGE:
 * opening one more ends the oldest idle one of that badge. */
static void session_reclaim(struct blkd *d, uint64_t badge)
{
	struct blkd_session *oldest = NULL;
	uint32_t n = 0;
	for (uint32_t i = 0; i < BLKD_SESSIONS; i++) {
		struct blkd_session *s = &d->sessions[i];
		if (!s->used || s->badge != badge)
			continue;
		n++;
		if (!session_busy(d, session_id(s, i)) && (!oldest || s->opened < oldest->opened))
			oldest = s;
	}
	if (n >= BLKD_SESSIONS_PER_BADGE && oldest)
		session_end(oldest);
}

static status_t on_close(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			 void *ctx)
{
	struct blkd *d = ctx;
	uint32_t id = 0;
	(void)loop;
	if (m->len >= 4)
		memcpy(&id, m->payload, 4);
	struct blkd_session *s = session_of(d, m, id);
	if (!s)
		return STATUS_NOT_FOUND;
	/* The device may still write into these pages: not while requests
	 * of the session are in flight. */
	if (session_busy(d, id))
		return STATUS_BUSY;
	session_end(s);
	reply->msg.label = BLKP_CLOSE;
	return STATUS_OK;
}

status_t blkd_register(struct blkd *d)
{
	struct loop *l = &d->loop;
	status_t st = loop_on_msg(l, BLKP_SHM, on_shm, d);
	if (!st)
		st = loop_on_msg(l, BLKP_OPEN, on_open, d);
	if (!st)
		st = loop_on_msg(l, BLKP_IO, on_io, d);
	if (!st)
		st = loop_on_msg(l, BLKP_CLOSE, on_close, d);
	if (!st && d->msix) {
		st = sys_irq_bind(d->vec[BLKD_VEC_QUEUE], 1);
		if (!st)
			st = loop_on_signal(l, 1, on_queue_vector, d);
		if (!st)
			st = sys_irq_bind(d->vec[BLKD_VEC_CONFIG], 2);
		if (!st)
			st = loop_on_signal(l, 2, on_config_vector, d);
	} else if (!st && d->irq != CAP_HANDLE_NONE && sys_irq_bind(d->irq, 1) == STATUS_OK) {
		st = loop_on_signal(l, 1, on_irq, d);
	}
	return st;
}
