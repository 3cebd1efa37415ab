/*
 * imgdev.h - a block device over a disk image held in memory, for host
 * tests of the FAT engine.
 *
 * Faults on demand:
 *   - write_limit: a power cut. The device accepts that many block writes
 *     (blocks, not requests: a request may be cut in the middle) and then
 *     refuses every write with STATUS_DEAD; what was written stays.
 *   - fail_read_at / fail_write_at: request number (counting from 0) that
 *     fails with fail_status, writing nothing.
 *   - volatile_cache: advertise BDEV_VOLATILE_CACHE (writes are still
 *     applied at once; only the flag and the flush count change).
 * Counters record requests, blocks and flushes.
 */
#ifndef VFSD_TESTS_IMGDEV_H
#define VFSD_TESTS_IMGDEV_H

#include <stdbool.h>
#include <stdint.h>

#include "bdev.h"

#define IMGDEV_NEVER UINT64_MAX

struct imgdev {
	uint8_t *mem;
	uint64_t bytes;
	uint32_t block_size;
	uint64_t write_limit; /* blocks accepted before the cut */
	uint64_t fail_read_at, fail_write_at;
	status_t fail_status;
	bool cut;
	uint64_t read_reqs, write_reqs, blocks_written, flushes;
	uint8_t *touched; /* bit per block: written since load, copy or revert */
	struct bdev dev;
};

/* Loads the image file at path; 0 on success, -1 (message printed) on failure. */
int imgdev_load(struct imgdev *d, const char *path, uint32_t block_size);

/* An image of bytes zero bytes. */
int imgdev_zero(struct imgdev *d, uint64_t bytes, uint32_t block_size);

/* A copy of src with fresh counters and no faults. */
int imgdev_copy(struct imgdev *d, const struct imgdev *src);

/* Writes the image to path; 0 on success. */
int imgdev_save(const struct imgdev *d, const char *path);

/* Clears faults and counters. */
void imgdev_reset_faults(struct imgdev *d);

/* Writes d's touched blocks into the image file at path (which must hold
 * base otherwise), or with restore base's blocks there instead: cheap
 * saves of many variants of one large image. 0 on success. */
int imgdev_patch_file(const struct imgdev *d, const struct imgdev *base, const char *path,
		      int restore);

/* Makes d equal to base again by copying back its touched blocks; clears
 * touched, faults and counters. */
void imgdev_revert(struct imgdev *d, const struct imgdev *base);

void imgdev_free(struct imgdev *d);

#endif
