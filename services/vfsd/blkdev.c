/*
 * blkdev.c - vfsd's block device on the machine: the partition blkd
 * serves it, through libsys's block client (keel/block.h), as a struct
 * bdev for the FAT engine.
 *
 * The manifest says `sends blk` and declares no devices, so the send
 * capability to blkd (badged by blkd for the system partition) is the
 * first start capability. The client keeps its shared memory and retries
 * what a blkd restart interrupted; its errors reach the engine unchanged.
 * The device is treated as having a volatile write cache (virtio-blk's
 * may), so the engine flushes between writes that must be ordered.
 */
#include "backend.h"
#include "keel/block.h"
#include "keel/spawn.h"
#include "keel/sys.h"

#define BLK_SHM_BYTES (256u * 1024) /* the client's transfer buffer */
#define BLK_SHM_MIN (64u * 1024)    /* ... on a machine of less than 32 MiB */

/* The transfer buffer: BLK_SHM_BYTES, halved while it is more than 1/64
 * of the machine's memory, down to BLK_SHM_MIN. */
static size_t shm_bytes(const struct keel_start *start)
{
	uint64_t machine = keel_start_machine_pages(start) * KEEL_PAGE_SIZE; /* 0: unknown */
	size_t bytes = BLK_SHM_BYTES;
	while (machine && bytes > BLK_SHM_MIN && bytes > machine / 64)
		bytes /= 2;
	return bytes;
}

static status_t blkdev_read(void *ctx, uint64_t block, uint32_t count, void *buf)
{
	return blk_read(ctx, block, count, buf);
}

static status_t blkdev_write(void *ctx, uint64_t block, uint32_t count, const void *buf)
{
	return blk_write(ctx, block, count, buf);
}

static status_t blkdev_flush(void *ctx)
{
	return blk_flush(ctx);
}

status_t vfsd_backend_open(const struct keel_start *start, struct arena *arena, struct bdev *dev)
{
	struct blk_client *c;
	uint64_t blocks;
	uint32_t block_size;
	cap_handle_t cap = keel_start_cap(start, 0);
	if (cap == CAP_HANDLE_NONE)
		return STATUS_NOT_FOUND;
	status_t st = arena_alloc(arena, sizeof *c, 16, (void **)&c);
	if (st == STATUS_OK)
		st = blk_open(c, cap, shm_bytes(start));
	if (st)
		return st;
	st = blk_info(c, &blocks, &block_size);
	if (st) {
		blk_close(c);
		return st;
	}
	*dev = (struct bdev){ .read = blkdev_read,
			      .write = blkdev_write,
			      .flush = blkdev_flush,
			      .ctx = c,
			      .block_size = block_size,
			      .flags = BDEV_VOLATILE_CACHE,
			      .block_count = blocks };
	return STATUS_OK;
}

void vfsd_backend_close(struct bdev *dev)
{
	if (dev->ctx)
		blk_close(dev->ctx);
	dev->ctx = NULL;
}
