/*
 * keel/block.h - the block protocol (blkd, services/blkd/) and its client.
 *
 * A block device is a partition of a disk, or the whole disk. A client
 * holds a send capability to blkd's inbox whose badge names the device
 * (initd stamps it from the client's manifest: `sends blk` with
 * `partition N`); nothing in a message can name another device, so a
 * holder of partition 1 cannot reach partition 2 or the boot sectors.
 *
 * Data moves through memory the client shares with blkd: the device reads
 * and writes it directly (DMA); messages carry only offsets into it.
 *
 *   BLKP_SHM    send, carries the memory capability (READ, WRITE, MAP,
 *               CONTROL): u64 nonce. blkd keeps it until the BLKP_OPEN
 *               with the same nonce from the same badge.
 *   BLKP_OPEN   call: u64 nonce -> u32 session, u32 block_size,
 *               u64 blocks, u32 flags (BLKP_F_*), u32 max_bytes per request
 *   BLKP_IO     call: u32 session, u8 op (blk_op: 0 read, 1 write, 2 flush,
 *               3 discard), 3 bytes zero, u64 lba, u32 count (blocks),
 *               u32 offset into the shared memory -> u8 result (BLKP_R_*)
 *               The reply comes when the device completes the request;
 *               blkd keeps up to 64 requests of all clients in flight.
 *   BLKP_CLOSE  call: u32 session -> empty
 *
 * Errors in the request itself (unknown session, a range outside the
 * shared memory) come back as LOOP_REPLY_ERROR with a status; the
 * device's verdict is the result byte. When blkd dies, every call in
 * flight fails with STATUS_DEAD and the capability goes stale: the
 * request may or may not have reached the disk, and may be sent again
 * once initd has given the client a capability to the new blkd.
 */
#ifndef KEEL_BLOCK_H
#define KEEL_BLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "keel/sys.h"

#define BLKP_SHM 0xb10c0001u
#define BLKP_OPEN 0xb10c0002u
#define BLKP_IO 0xb10c0003u
#define BLKP_CLOSE 0xb10c0004u

#define BLKP_F_READ_ONLY 1u
#define BLKP_F_FLUSH 2u   /* the device has a write-back cache */
#define BLKP_F_DISCARD 4u /* discard is offered */

enum blkp_op { BLKP_OP_READ = 0, BLKP_OP_WRITE, BLKP_OP_FLUSH, BLKP_OP_DISCARD };

/* Results: the values of enum blk_result (services/blkd/blk.h). */
enum blkp_result {
	BLKP_R_OK = 0,
	BLKP_R_IO_ERROR,
	BLKP_R_UNSUPPORTED,
	BLKP_R_PAST_END,
	BLKP_R_UNALIGNED,
	BLKP_R_INVALID,
	BLKP_R_READ_ONLY,
	BLKP_R_BUSY,
	BLKP_R_RETRY,
};

/* The badge bits that name the device: (partition + 1) << 32; 0 means the
 * sender was given no device. Partition 0 is the whole disk. */
#define BLKP_BADGE_PART(b) ((uint32_t)((b) >> 32) & 0xffffu)

#define BLK_CLIENT_CHUNK (128u << 10) /* bytes per request the client sends */

/*
 * The client. Fields are the library's; the caller owns the struct. A
 * client that can be told about a restarted blkd sets refresh (after
 * blk_open): it is called with the capability that failed and returns the
 * current one (CAP_HANDLE_NONE if there is none yet); services pass their
 * peers table's current handle (keel/peers.h).
 */
struct blk_client {
	cap_handle_t dev;
	cap_handle_t mem; /* the shared memory */
	uint8_t *shm;
	size_t shm_bytes;
	uint64_t nonce;
	uint32_t session;
	uint32_t block_size;
	uint64_t blocks;
	uint32_t flags;
	uint32_t last_result;                                 /* enum blkp_result */
	cap_handle_t (*refresh)(void *ctx, cap_handle_t old); /* may be NULL */
	void *refresh_ctx;
	uint32_t retries;   /* requests sent again after a blkd restart */
	status_t last_open; /* the last attempt to reopen after a restart */
};

/*
 * Opens device dev with shm_bytes (rounded up to pages; at least one
 * block) of shared memory. Returns STATUS_OK, or the first failure:
 * NO_MEMORY/QUOTA for the memory, NO_RIGHTS when dev names no device,
 * DEAD/STALE when blkd is gone.
 */
status_t blk_open(struct blk_client *c, cap_handle_t dev, size_t shm_bytes);

/* The device's size in blocks and its block size. */
status_t blk_info(struct blk_client *c, uint64_t *blocks, uint32_t *block_size);

/*
 * Reads or writes count blocks at lba through buf (any alignment; the
 * data is copied through the shared memory). Returns STATUS_OK, RANGE past
 * the end, NO_RIGHTS writing a read-only device, INVALID for a zero
 * count, BAD_FORMAT when the device failed (last_result says how); after
 * a blkd restart the requests are sent again (refresh), else DEAD.
 */
status_t blk_read(struct blk_client *c, uint64_t lba, uint32_t count, void *buf);
status_t blk_write(struct blk_client *c, uint64_t lba, uint32_t count, const void *buf);

/* Makes every completed write durable (a no-op without a write cache). */
status_t blk_flush(struct blk_client *c);

/* Ends the session and frees the shared memory. */
void blk_close(struct blk_client *c);

#endif
