/*
 * blk_model.h - a virtio-blk device for blkd's host tests: the virtio
 * device model (libsys/tests/virtio_model.h) with a request handler over a
 * disk in memory.
 *
 * It checks each request the way a device reads it (a 16-byte readable
 * header first, a 1-byte writable status last, data in the direction the
 * type needs, lengths in whole sectors) and counts breaches in
 * protocol_errors. Tests can make it fail a range of sectors with
 * VIRTIO_BLK_S_IOERR, answer with an unknown status, leave the status
 * unwritten or report a short read.
 */
#ifndef KEEL_BLKD_BLK_MODEL_H
#define KEEL_BLKD_BLK_MODEL_H

#include "virtio_model.h"

struct blk_model {
	struct virtio_model vm;
	uint8_t *disk;
	uint64_t sectors;
	uint64_t fail_from, fail_to; /* sectors [from, to) fail with IOERR */
	uint8_t force_status;        /* non-zero: answer every request with it */
	bool no_status, short_read;
	unsigned reads, writes, flushes, discards, ids, unsupported;
	unsigned last_data_segs; /* data descriptors of the last request */
	unsigned protocol_errors;
};

/* A device with features (VERSION_1 is added) over disk (sectors * 512
 * bytes); size_max, seg_max and blk_size go to its configuration. */
void blk_model_init(struct blk_model *bm, uint8_t *dma, uint64_t phys, size_t dma_len,
		    uint8_t *disk, uint64_t sectors, uint64_t features, uint32_t size_max,
		    uint32_t seg_max, uint32_t blk_size);

#endif
