/*
 * cache.h - the FAT engine's sector I/O and its ordered write-back cache.
 *
 * fat_io turns the volume's logical sectors into device blocks and refuses
 * any sector outside the volume, so that nothing above it can read or
 * write outside the partition.
 *
 * The cache holds a fixed number of sectors in caller memory, evicts the
 * least recently used clean sector first, and writes dirty sectors back
 * only when it must (eviction, flush). The order of those writes is what
 * keeps the volume consistent across a power cut, so every dirty sector
 * carries a write key:
 *
 *   key = (epoch, class)     class: FAT_WC_DATA < FAT_WC_FAT < FAT_WC_DIR
 *
 * and the cache writes sectors in increasing key order: every sector of a
 * smaller key is on the device before any sector of a larger key is
 * written (with a device flush in between on devices with a volatile
 * cache). Sectors of equal keys go in any order. The engine uses this two
 * ways: within an epoch, file data goes before the FAT and the FAT before
 * directory entries ("data before the size that exposes it", "allocate
 * before link"); and where an order runs against the classes (a directory
 * entry removed before its clusters are freed) it starts a new epoch with
 * fat_cache_barrier().
 *
 * A sector modified under a new key while still dirty under an older one
 * is first written out with everything before it, so its on-disk history
 * follows the keys too. Modifications happen between fat_cache_modify()
 * and fat_cache_put() of one sector; no other cache call may come in
 * between (the engine holds at most one sector at a time while changing
 * it). The cache is not thread-safe.
 */
#ifndef VFSD_CACHE_H
#define VFSD_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/status.h"
#include "bdev.h"
#include "keel/alloc.h"

/* Sector I/O for a volume of total sectors of sector_size bytes. */
struct fat_io {
	const struct bdev *dev;
	uint32_t sector_size;
	uint32_t blocks_per_sector;
	uint32_t total_sectors;
	uint64_t reads, writes, flushes; /* device requests issued */
};

/* Reads count sectors from sector into buf; STATUS_RANGE if any lies
 * outside the volume (nothing is read). */
status_t fat_io_read(struct fat_io *io, uint32_t sector, uint32_t count, void *buf);

/* Writes count sectors; STATUS_RANGE, writing nothing, outside the volume. */
status_t fat_io_write(struct fat_io *io, uint32_t sector, uint32_t count, const void *buf);

/* Asks the device to make every completed write durable. */
status_t fat_io_flush(struct fat_io *io);

enum fat_wclass { FAT_WC_DATA = 0, FAT_WC_FAT = 1, FAT_WC_DIR = 2 };

#define FAT_CACHE_NONE 0xffffffffu
#define FAT_CACHE_MIN_SECTORS 8u

struct fat_cache_buf {
	uint8_t *data;
	uint32_t sector;     /* FAT_CACHE_NONE when the buffer is empty */
	uint32_t hnext;      /* next in the hash chain */
	uint32_t prev, next; /* LRU list: head is the most recently used */
	uint64_t key;        /* write key while dirty: epoch << 2 | class */
	uint16_t pins;
	bool dirty;
};

struct fat_cache_stats {
	uint64_t hits, misses, evictions;
	uint64_t writebacks; /* sectors written back */
	uint64_t forced;     /* write-backs forced by a re-dirty under a new key */
};

#define FAT_KEY_NONE UINT64_MAX /* fat_cache_relax: no prerequisites */

struct fat_cache {
	struct fat_io *io;
	struct fat_cache_buf *bufs;
	uint32_t nbufs;
	uint32_t fresh; /* bufs[fresh..nbufs) never used: set up at first use */
	uint8_t *data;  /* the sectors' memory, bufs[i] at i * sector_size */
	uint32_t *hash; /* chain heads, FAT_CACHE_NONE when empty */
	uint32_t hmask;
	uint32_t head, tail; /* LRU ends */
	uint32_t *order;     /* scratch for sorting write-backs */
	uint64_t epoch;
	uint32_t ndirty;
	uint32_t dirty_now; /* dirty sectors whose key is in the current epoch */
	bool barrier_flush; /* flush the device between keys (volatile cache) */
	bool relaxed;       /* between fat_cache_relax() and fat_cache_unrelax() */
	uint64_t after;     /* relaxed: what the changes need written first */
	uint64_t high;      /* relaxed: the largest key given so far */
	uint8_t *stage;     /* scratch for writing adjacent sectors in one request */
	uint32_t stage_sectors;
	status_t error; /* first failed write-back, sticky */
	struct fat_cache_stats stats;
};

/* Bytes of arena a cache of nbufs sectors of sector_size bytes takes,
 * alignment padding included; 0 if the numbers overflow. */
size_t fat_cache_bytes(uint32_t nbufs, uint32_t sector_size);

/* Sets up c with nbufs (at least FAT_CACHE_MIN_SECTORS) empty buffers
 * taken from a. STATUS_INVALID for too few buffers, STATUS_NO_MEMORY if
 * the arena is too small. */
status_t fat_cache_init(struct fat_cache *c, struct fat_io *io, struct arena *a, uint32_t nbufs);

/* Returns in *out the pinned buffer of sector, read from the device on a
 * miss. The caller reads it and calls fat_cache_put(). */
status_t fat_cache_get(struct fat_cache *c, uint32_t sector, struct fat_cache_buf **out);

/*
 * Returns in *out the pinned buffer of sector, dirty under key (current
 * epoch, cls), for the caller to change and then fat_cache_put(). With
 * whole set the caller overwrites all of it, so a miss does not read the
 * device (the buffer's contents are then undefined).
 */
status_t fat_cache_modify(struct fat_cache *c, uint32_t sector, enum fat_wclass cls, bool whole,
			  struct fat_cache_buf **out);

/* Unpins a buffer from fat_cache_get() or fat_cache_modify(). */
void fat_cache_put(struct fat_cache *c, struct fat_cache_buf *b);

/* True if sector is in the cache (no I/O, no pin, LRU unchanged). */
bool fat_cache_has(const struct fat_cache *c, uint32_t sector);

/* Starts a new epoch: everything dirtied so far is written before
 * anything dirtied from now on. Free if nothing is dirty in this epoch. */
void fat_cache_barrier(struct fat_cache *c);

/*
 * Relaxed changes: until fat_cache_unrelax(), every fat_cache_modify()
 * is a change that needs on the device before it only the sectors whose
 * keys are at most after (FAT_KEY_NONE: nothing at all). The cache then
 * gives it the smallest key that keeps the rules instead of the current
 * one: a sector already dirty under a key above after keeps that key (no
 * forced write-back), a clean one with no prerequisites gets key 0 (it
 * may go first). Only the caller knows a change's prerequisites: it uses
 * this where they are few (marking entries deleted has none; freeing
 * their clusters needs only that) and ends with fat_cache_barrier(), so
 * that what follows in the ordinary way comes after.
 */
void fat_cache_relax(struct fat_cache *c, uint64_t after);

/* Ends the relaxed changes; returns the largest key they were given (the
 * key a change that must follow them needs to exceed), or FAT_KEY_NONE if
 * there were none. */
uint64_t fat_cache_unrelax(struct fat_cache *c);

/* Writes back, in key order, every dirty sector whose key is below
 * (current epoch, cls): what must reach the device before something of
 * class cls is written directly, bypassing the cache. */
status_t fat_cache_flush_below(struct fat_cache *c, enum fat_wclass cls);

/* Writes back every dirty sector in key order. Does not flush the device. */
status_t fat_cache_flush(struct fat_cache *c);

/* Forgets every clean, unpinned buffer (dirty ones stay). */
void fat_cache_drop_clean(struct fat_cache *c);

#endif
