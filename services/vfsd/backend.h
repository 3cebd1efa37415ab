/*
 * backend.h - where vfsd's block device comes from.
 *
 * On the machine, blkdev.c opens the block device vfsd's manifest names
 * (`sends blk`: keel_start_cap(start, 0), a send capability to blkd badged
 * for the system partition) with libsys's block client (keel/block.h) and
 * presents it as a struct bdev. Host tests provide their own definition
 * (an image file in memory), so the service's main.c runs unchanged over
 * it under the host port.
 */
#ifndef VFSD_BACKEND_H
#define VFSD_BACKEND_H

#include "abi/start.h"
#include "bdev.h"
#include "keel/alloc.h"

/* Opens the device for start's task and fills *dev (block 0 is the
 * volume's boot sector); what it keeps comes from arena, which outlives
 * the device. Returns the client's status on failure. */
status_t vfsd_backend_open(const struct keel_start *start, struct arena *arena, struct bdev *dev);

/* Releases what vfsd_backend_open took. */
void vfsd_backend_close(struct bdev *dev);

#endif
