/*
 * bdev.h - the block device the FAT engine runs over.
 *
 * A block device is a table of three calls and a context, plus its
 * geometry. In vfsd the calls speak Keel's block protocol to blkd; in host
 * tests they read and write an image held in memory, and can fail on
 * demand (I/O errors, a "power cut" after N block writes).
 *
 * The device is the partition the volume lives in, already cut out of the
 * disk: block 0 is the volume's boot sector.
 *
 * Contract for implementations:
 *   - read and write move count >= 1 whole blocks between the device and
 *     buf, starting at block; the engine never asks for blocks at or beyond
 *     block_count, and buf holds count * block_size bytes.
 *   - any count must be accepted; an implementation with a transfer limit
 *     splits the request itself.
 *   - a write that returns STATUS_OK has reached the device. A failed write
 *     may have written any subset of its blocks, each block either wholly
 *     old or wholly new (blocks are the unit of atomicity).
 *   - without BDEV_VOLATILE_CACHE, writes become durable in the order they
 *     are issued. With it, the device may hold and reorder writes until
 *     flush() returns STATUS_OK, so the engine calls flush() wherever one
 *     write must be durable before the next (a write barrier).
 *   - errors are status values, passed on unchanged to the engine's caller.
 */
#ifndef VFSD_BDEV_H
#define VFSD_BDEV_H

#include <stdint.h>

#include "abi/status.h"

/* The device may keep written blocks in a volatile cache until flush(). */
#define BDEV_VOLATILE_CACHE 0x1u

struct bdev {
	status_t (*read)(void *ctx, uint64_t block, uint32_t count, void *buf);
	status_t (*write)(void *ctx, uint64_t block, uint32_t count, const void *buf);
	/* Makes every write that returned STATUS_OK durable. */
	status_t (*flush)(void *ctx);
	void *ctx;
	uint32_t block_size; /* bytes: a power of two from 512 to 4096 */
	uint32_t flags;      /* BDEV_* */
	uint64_t block_count;
};

#endif
