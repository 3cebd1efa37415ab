/*
 * blk_model.c - the virtio-blk device model (blk_model.h).
 */
#include <string.h>

#include "blk.h"
#include "blk_model.h"

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static bool range_ok(struct blk_model *bm, uint64_t sector, uint64_t n)
{
	return sector <= bm->sectors && n <= bm->sectors - sector;
}

static bool failing(struct blk_model *bm, uint64_t sector, uint64_t n)
{
	return sector < bm->fail_to && bm->fail_from < sector + n;
}

/* Moves data between the disk and segs[1 .. n-1); returns the status. */
static uint8_t transfer(struct blk_model *bm, struct vm_seg *segs, unsigned n, bool in,
			uint64_t sector, uint32_t *written)
{
	uint64_t total = 0, off;

	for (unsigned i = 1; i + 1 < n; i++) {
		if (segs[i].writable != in || segs[i].len % 512)
			bm->protocol_errors++;
		total += segs[i].len;
	}
	bm->last_data_segs = n - 2;
	if (n < 3 || !range_ok(bm, sector, total / 512))
		return VIRTIO_BLK_S_IOERR;
	if (failing(bm, sector, total / 512))
		return VIRTIO_BLK_S_IOERR;
	off = sector * 512;
	for (unsigned i = 1; i + 1 < n; i++) {
		if (in)
			memcpy(segs[i].p, bm->disk + off, segs[i].len);
		else
			memcpy(bm->disk + off, segs[i].p, segs[i].len);
		off += segs[i].len;
	}
	*written = in ? (uint32_t)total : 0;
	return VIRTIO_BLK_S_OK;
}

static uint8_t discard(struct blk_model *bm, struct vm_seg *segs, unsigned n)
{
	uint64_t sector;
	uint32_t count;

	bm->discards++;
	if (n != 3 || segs[1].writable || segs[1].len != 16) {
		bm->protocol_errors++;
		return VIRTIO_BLK_S_IOERR;
	}
	sector = get64(segs[1].p);
	memcpy(&count, segs[1].p + 8, 4);
	if (!range_ok(bm, sector, count))
		return VIRTIO_BLK_S_IOERR;
	memset(bm->disk + sector * 512, 0, (size_t)count * 512);
	return VIRTIO_BLK_S_OK;
}

static uint8_t serve(struct blk_model *bm, struct vm_seg *segs, unsigned n, uint32_t *written)
{
	uint32_t type;
	uint64_t sector = get64(segs[0].p + 8);

	memcpy(&type, segs[0].p, 4);
	switch (type) {
	case VIRTIO_BLK_T_IN:
		bm->reads++;
		return transfer(bm, segs, n, true, sector, written);
	case VIRTIO_BLK_T_OUT:
		bm->writes++;
		return transfer(bm, segs, n, false, sector, written);
	case VIRTIO_BLK_T_FLUSH:
		bm->flushes++;
		if (n != 2)
			bm->protocol_errors++;
		return VIRTIO_BLK_S_OK;
	case VIRTIO_BLK_T_GET_ID:
		bm->ids++;
		if (n != 3 || !segs[1].writable || segs[1].len != VIRTIO_BLK_ID_BYTES) {
			bm->protocol_errors++;
			return VIRTIO_BLK_S_IOERR;
		}
		memset(segs[1].p, 0, VIRTIO_BLK_ID_BYTES);
		memcpy(segs[1].p, "keel-model-disk", 15);
		*written = VIRTIO_BLK_ID_BYTES;
		return VIRTIO_BLK_S_OK;
	case VIRTIO_BLK_T_DISCARD:
		return discard(bm, segs, n);
	default:
		bm->unsupported++;
		return VIRTIO_BLK_S_UNSUPP;
	}
}

static uint32_t handle(void *ctx, struct vm_seg *segs, unsigned n)
{
	struct blk_model *bm = ctx;
	uint32_t written = 0;
	uint8_t st;

	if (n < 2 || segs[0].writable || segs[0].len != 16 || !segs[n - 1].writable ||
	    segs[n - 1].len != 1) {
		bm->protocol_errors++;
		return 0;
	}
	st = serve(bm, segs, n, &written);
	if (st != VIRTIO_BLK_S_OK)
		written = 0;
	if (bm->force_status)
		st = bm->force_status;
	if (bm->no_status)
		return 0;
	if (bm->short_read && written >= 512)
		written -= 512;
	*segs[n - 1].p = st;
	return written + 1;
}

void blk_model_init(struct blk_model *bm, uint8_t *dma, uint64_t phys, size_t dma_len,
		    uint8_t *disk, uint64_t sectors, uint64_t features, uint32_t size_max,
		    uint32_t seg_max, uint32_t blk_size)
{
	memset(bm, 0, sizeof *bm);
	vm_init(&bm->vm, dma, phys, dma_len, features | VIRTIO_BIT(VIRTIO_F_VERSION_1), 1, 256);
	bm->vm.handler = handle;
	bm->vm.handler_ctx = bm;
	bm->disk = disk;
	bm->sectors = sectors;
	memcpy(bm->vm.devcfg, &sectors, 8);
	put32(bm->vm.devcfg + 8, size_max);
	put32(bm->vm.devcfg + 12, seg_max);
	put32(bm->vm.devcfg + 20, blk_size);
	put32(bm->vm.devcfg + 36, 2048); /* max_discard_sectors */
	put32(bm->vm.devcfg + 40, 1);    /* max_discard_seg */
}
