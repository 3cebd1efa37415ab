/*
 * keel/block.h (test scaffolding) - the block client's interface as the
 * contract between vfsd and the devices work fixes it, for compiling and
 * testing vfsd's blkdev.c until libsys's own keel/block.h exists (the
 * stand-in client is in tests/test_blkdev.c and uses no field). The real
 * header takes precedence on the include path once it is there; then
 * this file goes.
 */
#ifndef KEEL_BLOCK_H
#define KEEL_BLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "abi/rights.h"
#include "abi/status.h"

struct blk_client {
	cap_handle_t dev; /* the real client's fields are the devices work's */
	uint8_t opaque[120];
};

status_t blk_open(struct blk_client *c, cap_handle_t dev, size_t shm_bytes);
status_t blk_info(struct blk_client *c, uint64_t *blocks, uint32_t *block_size);
status_t blk_read(struct blk_client *c, uint64_t lba, uint32_t count, void *buf);
status_t blk_write(struct blk_client *c, uint64_t lba, uint32_t count, const void *buf);
status_t blk_flush(struct blk_client *c);
void blk_close(struct blk_client *c);

#endif
