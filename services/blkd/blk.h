/*
 * blk.h - the virtio-blk request logic of blkd, on keel/virtio.h.
 *
 * The service (main.c, the block protocol over inboxes) turns each client
 * request into a struct blk_request whose data is a list of physical
 * segments of the client's shared memory, and calls blk_submit(); once a
 * loop turn it calls blk_kick() (one notification for every request
 * queued in the turn) and, on the queue's interrupt, blk_harvest(), which
 * returns completions in batches. After replying to the client it calls
 * blk_release() for each, which frees the request slot.
 *
 * Rules every request follows (each failure is a result, and nothing else
 * is affected):
 *   - lba and count are in logical blocks (block_size bytes) relative to
 *     the partition given (or the whole disk); a range past its end gives
 *     BLK_PAST_END, a zero count BLK_INVALID;
 *   - every data segment starts and ends on a 512-byte boundary
 *     (BLK_UNALIGNED otherwise) and together they hold exactly count
 *     blocks (BLK_INVALID otherwise); segments longer than the device's
 *     size_max are split; more descriptors than seg_max or BLK_MAX_SEGS
 *     give BLK_INVALID;
 *   - writes and discards to a read-only device or partition give
 *     BLK_READ_ONLY; discard without VIRTIO_BLK_F_DISCARD gives
 *     BLK_UNSUPPORTED; flush without VIRTIO_BLK_F_FLUSH completes at once
 *     with BLK_OK (such a device has no write-back cache);
 *   - no free slot or descriptors gives BLK_BUSY (try again after a
 *     harvest); BLK_DEPTH requests may be in flight.
 * The device's answer maps to BLK_OK, BLK_IO_ERROR (VIRTIO_BLK_S_IOERR,
 * an unknown status byte, a status never written, a short read) or
 * BLK_UNSUPPORTED (VIRTIO_BLK_S_UNSUPP).
 *
 * Restart. Each request in flight is recorded in a journal (struct
 * blk_journal) in memory the caller keeps across a restart of blkd: its
 * slot holds the request's cookie from blk_submit() until blk_release().
 * A new blkd calls blk_journal_recover() before anything else and
 * completes every cookie it returns to its client as BLK_RETRY: the device
 * was reset, so the request may or may not have reached the disk and may
 * be sent again. A completion can thus arrive twice (the reply went out,
 * then blkd died before blk_release); clients ignore completions for tags
 * they no longer have outstanding. A device error (broken queue,
 * DEVICE_NEEDS_RESET) is handled the same way within one blkd:
 * blk_fail_all() completes everything in flight as BLK_RETRY and the
 * service starts the device again.
 */
#ifndef KEEL_BLKD_BLK_H
#define KEEL_BLKD_BLK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/status.h"
#include "keel/virtio.h"

/* virtio-blk feature bits, request types and status values. */
#define VIRTIO_BLK_F_SIZE_MAX 1
#define VIRTIO_BLK_F_SEG_MAX 2
#define VIRTIO_BLK_F_RO 5
#define VIRTIO_BLK_F_BLK_SIZE 6
#define VIRTIO_BLK_F_FLUSH 9
#define VIRTIO_BLK_F_DISCARD 13
#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1
#define VIRTIO_BLK_T_FLUSH 4
#define VIRTIO_BLK_T_GET_ID 8
#define VIRTIO_BLK_T_DISCARD 11
#define VIRTIO_BLK_S_OK 0
#define VIRTIO_BLK_S_IOERR 1
#define VIRTIO_BLK_S_UNSUPP 2
#define VIRTIO_BLK_ID_BYTES 20

#define BLK_SECTOR 512u
#define BLK_DEPTH 64      /* requests in flight */
#define BLK_MAX_SEGS 64   /* data descriptors per request */
#define BLK_SLOT_BYTES 64 /* DMA bytes per request: header, range/id, status */

enum blk_op { BLK_READ = 0, BLK_WRITE, BLK_FLUSH, BLK_DISCARD, BLK_GET_ID };

enum blk_result {
	BLK_OK = 0,
	BLK_IO_ERROR,    /* the device failed the request */
	BLK_UNSUPPORTED, /* the device does not do this */
	BLK_PAST_END,    /* range beyond the partition or disk */
	BLK_UNALIGNED,   /* a segment not on 512-byte boundaries */
	BLK_INVALID,     /* malformed request */
	BLK_READ_ONLY,
	BLK_BUSY,  /* no room now; try again */
	BLK_RETRY, /* in flight when the device or blkd restarted */
};

struct blk_seg {
	uint64_t phys;
	uint32_t len;
};

/* A partition (or the whole disk) in logical blocks. */
struct blk_part {
	uint64_t start, count;
	bool read_only;
};

struct blk_request {
	uint8_t op;                 /* enum blk_op */
	uint64_t lba;               /* logical blocks, partition-relative */
	uint32_t count;             /* logical blocks */
	const struct blk_seg *segs; /* read/write data; GET_ID: 20 bytes */
	uint16_t nsegs;
	uint64_t cookie;             /* the service's: client and tag */
	const struct blk_part *part; /* NULL: the whole disk */
};

struct blk_completion {
	uint64_t cookie;
	uint16_t slot;  /* for blk_release */
	uint8_t result; /* enum blk_result */
	uint8_t op;
};

#define BLK_JOURNAL_MAGIC 0x314a424bu /* "KBJ1" */

struct blk_journal_entry {
	uint32_t state; /* 0 free, 1 in flight */
	uint32_t check;
	uint64_t cookie;
};

/* Lives in memory kept across restarts of blkd. */
struct blk_journal {
	uint32_t magic;
	uint32_t depth;
	struct blk_journal_entry e[BLK_DEPTH];
};

struct blk_slot {
	uint8_t state; /* 0 free, 1 in flight, 2 done */
	uint8_t op;
	uint64_t cookie;
	uint32_t data_len; /* bytes the device should write (reads) */
};

struct blk_dev {
	struct virtio_dev vdev;
	struct virtq vq;
	uint64_t capacity;   /* 512-byte sectors */
	uint32_t block_size; /* logical block size */
	uint32_t seg_max, size_max;
	uint32_t max_discard_sectors;
	bool read_only, flush, discard;
	uint8_t *slot_mem; /* DMA, BLK_DEPTH * BLK_SLOT_BYTES */
	uint64_t slot_phys;
	struct blk_slot slots[BLK_DEPTH];
	uint16_t free_slots[BLK_DEPTH];
	uint16_t nfree;
	struct blk_journal *journal;
};

/* DMA bytes blk_start needs (queue and request slots). */
size_t blk_dma_bytes(void);

/*
 * Brings the device up: features (VERSION_1 required; SIZE_MAX, SEG_MAX,
 * RO, BLK_SIZE, FLUSH, DISCARD and EVENT_IDX when offered), the
 * configuration, queue 0 with queue_vector, config_vector, DRIVER_OK.
 * dma (at physical phys, dma_len bytes, 16-byte aligned) holds the queue
 * and the request slots; journal (may be NULL) must have been recovered
 * or initialised. Returns the first failing virtio status, or
 * STATUS_RANGE when dma_len < blk_dma_bytes(), STATUS_BAD_FORMAT for a
 * capacity of 0 or a block size that is not a power of two in 512..65536.
 */
status_t blk_start(struct blk_dev *b, const struct virtio_io *io, const struct virtio_layout *l,
		   void *dma, uint64_t phys, size_t dma_len, uint16_t config_vector,
		   uint16_t queue_vector, struct blk_journal *journal);

/* Blocks of block_size in the whole disk. */
uint64_t blk_blocks(const struct blk_dev *b);

/*
 * Queues r. Returns true when it was queued (its completion comes from
 * blk_harvest); false when it was finished at once, with *result its final
 * result (BLK_OK only for a flush on a device without a cache).
 */
bool blk_submit(struct blk_dev *b, const struct blk_request *r, uint8_t *result);

/* Publishes what was queued, notifying the device if it wants that. */
void blk_kick(struct blk_dev *b);

/*
 * Returns up to max completions in out (*n of them). Returns STATUS_DEAD
 * when the device broke the queue protocol or asks for a reset: call
 * blk_fail_all() and blk_start() again.
 */
status_t blk_harvest(struct blk_dev *b, struct blk_completion *out, size_t max, size_t *n);

/* For a completed GET_ID: copies the device's 20 id bytes into id. */
status_t blk_get_id(const struct blk_dev *b, uint16_t slot, uint8_t id[VIRTIO_BLK_ID_BYTES]);

/* Frees a completed request's slot (and its journal entry). */
status_t blk_release(struct blk_dev *b, uint16_t slot);

/*
 * After a device error: completes every request in flight as BLK_RETRY
 * into out (up to max; the number is returned). The slots stay reserved
 * until blk_release, as for any completion.
 */
size_t blk_fail_all(struct blk_dev *b, struct blk_completion *out, size_t max);

/* Makes j an empty journal. */
void blk_journal_init(struct blk_journal *j);

/*
 * After blkd restarted: stores the cookies of the requests the journal
 * shows in flight (up to max; the number is returned) and empties it.
 * Entries whose check word is wrong, and a journal without the magic, are
 * treated as empty.
 */
size_t blk_journal_recover(struct blk_journal *j, uint64_t *cookies, size_t max);

/* "ok", "I/O error", ... */
const char *blk_result_name(enum blk_result r);

#endif
