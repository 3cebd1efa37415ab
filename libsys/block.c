/*
 * block.c - the block client (keel/block.h): a session with blkd over
 * shared memory, requests in chunks of at most BLK_CLIENT_CHUNK bytes,
 * and requests sent again when blkd was restarted.
 */
#include <string.h>

#include "keel/block.h"
#include "keel/codec.h"
#include "keel/loop.h"
#include "keel/map.h"

#define BLK_CALL_NS 30000000000ull /* a request that takes 30 s is sent again */
#define BLK_OPEN_NS 200000000ull   /* an open answered in 200 ms, or tried again */
#define BLK_RETRY_MAX 400          /* reopen attempts per request (2 s) */
#define BLK_RETRY_WAIT_NS 5000000ull
#define PAGE 4096u

/* A call whose answer is the label, or an error reply's status. */
static status_t call(cap_handle_t to, struct keel_msg *m, uint64_t timeout)
{
	uint32_t label = m->label, l;
	status_t st = sys_msg_call(to, m, timeout), err;
	if (st == STATUS_OK && m->label != label)
		st = loop_error_parse(m, &err, &l) == STATUS_OK ? err : STATUS_BAD_FORMAT;
	return st;
}

/* Shares the memory and opens a session on c->dev. */
static status_t session_open(struct blk_client *c)
{
	struct keel_msg m = { .label = BLKP_SHM, .len = 8 };
	c->nonce++;
	memcpy(m.payload, &c->nonce, 8);
	status_t st = sys_msg_send(c->dev, &m, c->mem, CAP_COPY);
	if (st)
		return st;
	m = (struct keel_msg){ .label = BLKP_OPEN, .len = 8 };
	memcpy(m.payload, &c->nonce, 8);
	if ((st = call(c->dev, &m, BLK_OPEN_NS)))
		return st;
	struct codec_reader r;
	uint32_t max;
	codec_msg_reader(&r, &m);
	if (codec_get_u32(&r, &c->session) || codec_get_u32(&r, &c->block_size) ||
	    codec_get_u64(&r, &c->blocks) || codec_get_u32(&r, &c->flags) ||
	    codec_get_u32(&r, &max) || c->block_size == 0 || c->block_size > c->shm_bytes)
		return STATUS_BAD_FORMAT;
	return STATUS_OK;
}

/* After blkd died (dead is true) or did not answer: a session on a
 * capability that works, or the reason not. A capability that failed DEAD
 * or STALE is not used again: sending on it can wait on an inbox whose
 * owner is gone. */
static status_t reopen(struct blk_client *c, bool dead)
{
	uint64_t pending;
	for (int i = 0; i < BLK_RETRY_MAX && c->refresh; i++) {
		cap_handle_t h = c->refresh(c->refresh_ctx, c->dev);
		if (h != CAP_HANDLE_NONE)
			c->dev = h, dead = false;
		if (!dead) {
			status_t st = session_open(c);
			c->last_open = st;
			dead = st == STATUS_DEAD || st == STATUS_STALE || st == STATUS_BAD_CAP;
			if (!dead && st != STATUS_TIMEOUT)
				return st;
		}
		sys_signal_wait(1ull << 63, BLK_RETRY_WAIT_NS, &pending);
	}
	return STATUS_DEAD;
}

status_t blk_open(struct blk_client *c, cap_handle_t dev, size_t shm_bytes)
{
	memset(c, 0, sizeof *c);
	c->dev = dev;
	c->shm_bytes = (shm_bytes + PAGE - 1) / PAGE * PAGE;
	if (!c->shm_bytes)
		return STATUS_INVALID;
	status_t st = sys_memory_create(c->shm_bytes / PAGE, 0, &c->mem);
	if (st == STATUS_OK)
		st = keel_map(c->mem, 0, c->shm_bytes / PAGE, RIGHT_READ | RIGHT_WRITE,
			      (void **)&c->shm);
	if (st == STATUS_OK)
		st = session_open(c);
	if (st)
		blk_close(c);
	return st;
}

status_t blk_info(struct blk_client *c, uint64_t *blocks, uint32_t *block_size)
{
	*blocks = c->blocks;
	*block_size = c->block_size;
	return c->session ? STATUS_OK : STATUS_INVALID;
}

static status_t result_status(uint8_t r)
{
	static const status_t map[] = {
		[BLKP_R_OK] = STATUS_OK,
		[BLKP_R_IO_ERROR] = STATUS_BAD_FORMAT,
		[BLKP_R_UNSUPPORTED] = STATUS_INVALID,
		[BLKP_R_PAST_END] = STATUS_RANGE,
		[BLKP_R_UNALIGNED] = STATUS_BAD_ADDRESS,
		[BLKP_R_INVALID] = STATUS_INVALID,
		[BLKP_R_READ_ONLY] = STATUS_NO_RIGHTS,
		[BLKP_R_BUSY] = STATUS_BUSY,
		[BLKP_R_RETRY] = STATUS_DEAD,
	};
	return r < sizeof map / sizeof map[0] ? map[r] : STATUS_BAD_FORMAT;
}

/* One request on the shared memory at offset 0; sent again after a
 * restart of blkd or a retryable result. */
static status_t request(struct blk_client *c, uint8_t op, uint64_t lba, uint32_t count)
{
	for (int tries = 0;; tries++) {
		struct keel_msg m;
		struct codec_writer w;
		uint8_t hdr[4] = { op, 0, 0, 0 };
		codec_msg_begin(&w, &m, BLKP_IO);
		codec_put_u32(&w, c->session);
		codec_put_bytes(&w, hdr, 4);
		codec_put_u64(&w, lba);
		codec_put_u32(&w, count);
		codec_put_u32(&w, 0);
		codec_msg_end(&w, &m);
		status_t st = call(c->dev, &m, BLK_CALL_NS);
		if (st == STATUS_OK) {
			c->last_result = m.len ? m.payload[0] : BLKP_R_INVALID;
			st = result_status((uint8_t)c->last_result);
		}
		/* TIMEOUT too: a call can wait on an inbox whose owner is gone. */
		bool retry = st == STATUS_DEAD || st == STATUS_STALE || st == STATUS_BAD_CAP ||
			     st == STATUS_BUSY || st == STATUS_TIMEOUT ||
			     (st == STATUS_NOT_FOUND && tries == 0);
		if (!retry || tries >= BLK_RETRY_MAX)
			return st;
		c->retries++;
		bool dead = st == STATUS_DEAD || st == STATUS_STALE || st == STATUS_BAD_CAP;
		if (st != STATUS_BUSY && (st = reopen(c, dead)))
			return st;
	}
}

/* Splits a transfer into chunks that fit the shared memory. */
static status_t transfer(struct blk_client *c, uint8_t op, uint64_t lba, uint32_t count,
			 uint8_t *buf)
{
	if (!c->session || !c->block_size)
		return STATUS_INVALID;
	if (count == 0)
		return STATUS_INVALID;
	uint32_t per = (uint32_t)((c->shm_bytes < BLK_CLIENT_CHUNK ? c->shm_bytes
								   : BLK_CLIENT_CHUNK) /
				  c->block_size);
	while (count) {
		uint32_t n = count < per ? count : per;
		size_t bytes = (size_t)n * c->block_size;
		if (op == BLKP_OP_WRITE)
			memcpy(c->shm, buf, bytes);
		status_t st = request(c, op, lba, n);
		if (st)
			return st;
		if (op == BLKP_OP_READ)
			memcpy(buf, c->shm, bytes);
		buf += bytes, lba += n, count -= n;
	}
	return STATUS_OK;
}

status_t blk_read(struct blk_client *c, uint64_t lba, uint32_t count, void *buf)
{
	return transfer(c, BLKP_OP_READ, lba, count, buf);
}

status_t blk_write(struct blk_client *c, uint64_t lba, uint32_t count, const void *buf)
{
	return transfer(c, BLKP_OP_WRITE, lba, count, (uint8_t *)(uintptr_t)buf);
}

status_t blk_flush(struct blk_client *c)
{
	return c->session ? request(c, BLKP_OP_FLUSH, 0, 0) : STATUS_INVALID;
}

void blk_close(struct blk_client *c)
{
	if (c->session) {
		struct keel_msg m = { .label = BLKP_CLOSE, .len = 4 };
		memcpy(m.payload, &c->session, 4);
		call(c->dev, &m, BLK_OPEN_NS);
	}
	if (c->shm)
		keel_unmap(c->shm, c->shm_bytes / PAGE);
	if (c->mem)
		sys_cap_delete(c->mem);
	c->session = 0;
	c->shm = NULL;
	c->mem = CAP_HANDLE_NONE;
}
