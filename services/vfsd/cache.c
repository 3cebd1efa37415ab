/* cache.c - sector I/O and the ordered write-back cache (see cache.h). */
#include "cache.h"

#include <string.h>

#define KEY(epoch, cls) ((epoch) << 2 | (uint64_t)(cls))
#define KEY_EPOCH(key) ((key) >> 2)
#define IO_CHUNK 65536u    /* sectors per device request, to keep counts in 32 bits */
#define STAGE_BYTES 32768u /* adjacent dirty sectors written in one request */

/* ---------------------------------------------------------------- sector I/O */

static bool io_in_volume(const struct fat_io *io, uint32_t sector, uint32_t count)
{
	return count && sector < io->total_sectors && count <= io->total_sectors - sector;
}

status_t fat_io_read(struct fat_io *io, uint32_t sector, uint32_t count, void *buf)
{
	uint8_t *p = buf;

	if (!io_in_volume(io, sector, count))
		return STATUS_RANGE;
	while (count) {
		uint32_t n = count < IO_CHUNK ? count : IO_CHUNK;
		status_t st = io->dev->read(io->dev->ctx, (uint64_t)sector * io->blocks_per_sector,
					    n * io->blocks_per_sector, p);
		io->reads++;
		if (st)
			return st;
		sector += n, count -= n, p += (size_t)n * io->sector_size;
	}
	return STATUS_OK;
}

status_t fat_io_write(struct fat_io *io, uint32_t sector, uint32_t count, const void *buf)
{
	const uint8_t *p = buf;

	if (!io_in_volume(io, sector, count))
		return STATUS_RANGE;
	while (count) {
		uint32_t n = count < IO_CHUNK ? count : IO_CHUNK;
		status_t st = io->dev->write(io->dev->ctx, (uint64_t)sector * io->blocks_per_sector,
					     n * io->blocks_per_sector, p);
		io->writes++;
		if (st)
			return st;
		sector += n, count -= n, p += (size_t)n * io->sector_size;
	}
	return STATUS_OK;
}

status_t fat_io_flush(struct fat_io *io)
{
	io->flushes++;
	return io->dev->flush(io->dev->ctx);
}

/* ---------------------------------------------------------------- set-up */

static uint32_t hash_size(uint32_t nbufs)
{
	uint32_t h = 16;

	while (h < 2 * nbufs)
		h <<= 1;
	return h;
}

/* Sectors of the write-back stage of a cache of nbufs: at most a quarter
 * of the cache, STAGE_BYTES at most; below 2, none (single writes). */
static uint32_t stage_sectors(uint32_t nbufs, uint32_t sector_size)
{
	uint32_t n = STAGE_BYTES / sector_size;

	if (n > nbufs / 4)
		n = nbufs / 4;
	return n < 2 ? 0 : n;
}

size_t fat_cache_bytes(uint32_t nbufs, uint32_t sector_size)
{
	if (!nbufs || nbufs > (1u << 24) || !sector_size || sector_size > 4096)
		return 0;
	return (size_t)nbufs * (sizeof(struct fat_cache_buf) + sizeof(uint32_t) + sector_size) +
	       (size_t)hash_size(nbufs) * sizeof(uint32_t) +
	       (size_t)stage_sectors(nbufs, sector_size) * sector_size + 5 * 64;
}

status_t fat_cache_init(struct fat_cache *c, struct fat_io *io, struct arena *a, uint32_t nbufs)
{
	void *bufs, *hash, *order, *data, *stage = NULL;
	uint32_t hsize = hash_size(nbufs), nstage = stage_sectors(nbufs, io->sector_size);

	memset(c, 0, sizeof *c);
	if (nbufs < FAT_CACHE_MIN_SECTORS || !fat_cache_bytes(nbufs, io->sector_size))
		return STATUS_INVALID;
	if (arena_alloc(a, (size_t)nbufs * sizeof(struct fat_cache_buf), 0, &bufs) ||
	    arena_alloc(a, (size_t)hsize * sizeof(uint32_t), 0, &hash) ||
	    arena_alloc(a, (size_t)nbufs * sizeof(uint32_t), 0, &order) ||
	    arena_alloc(a, (size_t)nbufs * io->sector_size, 64, &data) ||
	    (nstage && arena_alloc(a, (size_t)nstage * io->sector_size, 64, &stage)))
		return STATUS_NO_MEMORY;
	c->io = io;
	c->bufs = bufs;
	c->nbufs = nbufs;
	c->data = data;
	c->hash = hash;
	c->hmask = hsize - 1;
	c->order = order;
	c->stage = stage;
	c->stage_sectors = nstage ? nstage : 1;
	c->after = c->high = FAT_KEY_NONE;
	c->barrier_flush = io->dev->flags & BDEV_VOLATILE_CACHE;
	memset(c->hash, 0xff, (size_t)hsize * sizeof(uint32_t));
	/* No buffer is set up yet: each is at its first use (fresh_buffer),
	 * so a large cache costs nothing until it fills. */
	c->head = c->tail = FAT_CACHE_NONE;
	return STATUS_OK;
}

/* ---------------------------------------------------------------- hash and LRU */

static uint32_t hash_of(const struct fat_cache *c, uint32_t sector)
{
	return (sector * 0x9e3779b1u ^ sector >> 7) & c->hmask;
}

static uint32_t lookup(const struct fat_cache *c, uint32_t sector)
{
	uint32_t i = c->hash[hash_of(c, sector)];

	while (i != FAT_CACHE_NONE && c->bufs[i].sector != sector)
		i = c->bufs[i].hnext;
	return i;
}

static void hash_insert(struct fat_cache *c, uint32_t i, uint32_t sector)
{
	uint32_t h = hash_of(c, sector);

	c->bufs[i].sector = sector;
	c->bufs[i].hnext = c->hash[h];
	c->hash[h] = i;
}

static void hash_remove(struct fat_cache *c, uint32_t i)
{
	uint32_t *link = &c->hash[hash_of(c, c->bufs[i].sector)];

	while (*link != i)
		link = &c->bufs[*link].hnext;
	*link = c->bufs[i].hnext;
	c->bufs[i].sector = c->bufs[i].hnext = FAT_CACHE_NONE;
}

static void lru_unlink(struct fat_cache *c, uint32_t i)
{
	struct fat_cache_buf *b = &c->bufs[i];

	if (b->prev != FAT_CACHE_NONE)
		c->bufs[b->prev].next = b->next;
	else
		c->head = b->next;
	if (b->next != FAT_CACHE_NONE)
		c->bufs[b->next].prev = b->prev;
	else
		c->tail = b->prev;
}

/* Makes buffer i the most recently used. */
static void lru_touch(struct fat_cache *c, uint32_t i)
{
	if (c->head == i)
		return;
	lru_unlink(c, i);
	c->bufs[i].prev = FAT_CACHE_NONE;
	c->bufs[i].next = c->head;
	c->bufs[c->head].prev = i;
	c->head = i;
}

/* ---------------------------------------------------------------- write-back */

/* True if buffer a must be written before buffer b. */
static bool before(const struct fat_cache *c, uint32_t a, uint32_t b)
{
	const struct fat_cache_buf *x = &c->bufs[a], *y = &c->bufs[b];

	return x->key != y->key ? x->key < y->key : x->sector < y->sector;
}

static void sift_down(struct fat_cache *c, uint32_t *v, uint32_t root, uint32_t n)
{
	for (;;) {
		uint32_t child = 2 * root + 1;
		if (child >= n)
			return;
		if (child + 1 < n && before(c, v[child], v[child + 1]))
			child++;
		if (!before(c, v[root], v[child]))
			return;
		uint32_t t = v[root];
		v[root] = v[child];
		v[child] = t;
		root = child;
	}
}

/* Heapsort of the n buffer indices in v by write order. */
static void sort_order(struct fat_cache *c, uint32_t *v, uint32_t n)
{
	for (uint32_t i = n / 2; i-- > 0;)
		sift_down(c, v, i, n);
	for (uint32_t end = n; end > 1; end--) {
		uint32_t t = v[0];
		v[0] = v[end - 1];
		v[end - 1] = t;
		sift_down(c, v, 0, end - 1);
	}
}

/* Marks buffer i clean after its write-back. */
static void written(struct fat_cache *c, uint32_t i)
{
	struct fat_cache_buf *b = &c->bufs[i];

	b->dirty = false;
	c->ndirty--;
	if (KEY_EPOCH(b->key) == c->epoch)
		c->dirty_now--;
	c->stats.writebacks++;
}

/* The length of the run of order[k..n) that one request can write: same
 * key, each sector the one after the previous, at most a stage's worth. */
static uint32_t run_length(const struct fat_cache *c, const uint32_t *order, uint32_t k, uint32_t n)
{
	const struct fat_cache_buf *first = &c->bufs[order[k]];
	uint32_t len = 1;

	while (k + len < n && len < c->stage_sectors) {
		const struct fat_cache_buf *b = &c->bufs[order[k + len]];
		if (b->key != first->key || b->sector != first->sector + len)
			break;
		len++;
	}
	return len;
}

/* Writes the len buffers order[k..k+len) (adjacent sectors) in one
 * request, through the stage when there are several. */
static status_t write_run(struct fat_cache *c, const uint32_t *order, uint32_t k, uint32_t len)
{
	const struct fat_cache_buf *first = &c->bufs[order[k]];
	const uint8_t *src = first->data;
	size_t ss = c->io->sector_size;

	if (len > 1) {
		for (uint32_t j = 0; j < len; j++)
			memcpy(c->stage + j * ss, c->bufs[order[k + j]].data, ss);
		src = c->stage;
	}
	status_t st = fat_io_write(c->io, first->sector, len, src);
	if (st) {
		c->error = st;
		return st;
	}
	for (uint32_t j = 0; j < len; j++)
		written(c, order[k + j]);
	return STATUS_OK;
}

/*
 * Writes back every dirty buffer whose key is below limit (or equal to it,
 * if inclusive), in key order, flushing the device between keys when it
 * has a volatile cache; runs of adjacent sectors under one key go in one
 * request. After one failed write nothing more is written: what follows
 * it in key order must not reach the device before it.
 */
static status_t write_back(struct fat_cache *c, uint64_t limit, bool inclusive)
{
	uint32_t n = 0;

	if (c->error)
		return c->error;
	for (uint32_t i = 0; i < c->fresh; i++) {
		const struct fat_cache_buf *b = &c->bufs[i];
		if (b->dirty && (b->key < limit || (inclusive && b->key == limit)))
			c->order[n++] = i;
	}
	sort_order(c, c->order, n);
	for (uint32_t k = 0, len; k < n; k += len) {
		uint32_t i = c->order[k];
		if (k && c->barrier_flush && c->bufs[c->order[k - 1]].key != c->bufs[i].key) {
			status_t st = fat_io_flush(c->io);
			if (st) {
				c->error = st;
				return st;
			}
		}
		len = run_length(c, c->order, k, n);
		status_t st = write_run(c, c->order, k, len);
		if (st)
			return st;
	}
	return STATUS_OK;
}

/* ---------------------------------------------------------------- buffers */

/* Sets up the next never-used buffer, empty, at the LRU's cold end (as
 * if it had been there from the start); its index. */
static uint32_t fresh_buffer(struct fat_cache *c)
{
	uint32_t i = c->fresh++;
	struct fat_cache_buf *b = &c->bufs[i];

	memset(b, 0, sizeof *b);
	b->data = c->data + (size_t)i * c->io->sector_size;
	b->sector = b->hnext = FAT_CACHE_NONE;
	b->prev = c->tail;
	b->next = FAT_CACHE_NONE;
	if (c->tail != FAT_CACHE_NONE)
		c->bufs[c->tail].next = i;
	else
		c->head = i;
	c->tail = i;
	return i;
}

/* Finds an unpinned clean buffer, least recently used first. */
static uint32_t find_clean(const struct fat_cache *c)
{
	for (uint32_t i = c->tail; i != FAT_CACHE_NONE; i = c->bufs[i].prev)
		if (!c->bufs[i].pins && !c->bufs[i].dirty)
			return i;
	return FAT_CACHE_NONE;
}

/* Frees a buffer for a new sector: the least recently used clean one, or,
 * if every unpinned buffer is dirty, one made clean by writing back the
 * smallest key. Returns its index in *out, out of the hash. */
static status_t evict(struct fat_cache *c, uint32_t *out)
{
	if (c->fresh < c->nbufs) {
		*out = fresh_buffer(c); /* never used: nothing to evict */
		return STATUS_OK;
	}
	uint32_t i = find_clean(c);

	if (i == FAT_CACHE_NONE) {
		uint64_t min = UINT64_MAX;
		for (uint32_t k = 0; k < c->fresh; k++)
			if (!c->bufs[k].pins && c->bufs[k].dirty && c->bufs[k].key < min)
				min = c->bufs[k].key;
		if (min == UINT64_MAX)
			return STATUS_NO_MEMORY;
		status_t st = write_back(c, min, true);
		if (st)
			return st;
		i = find_clean(c);
		if (i == FAT_CACHE_NONE)
			return STATUS_NO_MEMORY;
	}
	if (c->bufs[i].sector != FAT_CACHE_NONE) {
		hash_remove(c, i);
		c->stats.evictions++;
	}
	*out = i;
	return STATUS_OK;
}

/* Returns in *out the index of sector's buffer, loading it (unless whole)
 * on a miss. */
static status_t find_or_load(struct fat_cache *c, uint32_t sector, bool whole, uint32_t *out)
{
	uint32_t i = lookup(c, sector);

	if (i != FAT_CACHE_NONE) {
		c->stats.hits++;
		*out = i;
		return STATUS_OK;
	}
	c->stats.misses++;
	if (sector >= c->io->total_sectors)
		return STATUS_RANGE;
	status_t st = evict(c, &i);
	if (st)
		return st;
	if (!whole) {
		st = fat_io_read(c->io, sector, 1, c->bufs[i].data);
		if (st)
			return st; /* the buffer stays empty and clean */
	}
	hash_insert(c, i, sector);
	*out = i;
	return STATUS_OK;
}

status_t fat_cache_get(struct fat_cache *c, uint32_t sector, struct fat_cache_buf **out)
{
	uint32_t i;
	status_t st = find_or_load(c, sector, false, &i);

	*out = NULL;
	if (st)
		return st;
	c->bufs[i].pins++;
	lru_touch(c, i);
	*out = &c->bufs[i];
	return STATUS_OK;
}

/* The key of a relaxed change of class cls to b (fat_cache_relax). */
static uint64_t relaxed_key(struct fat_cache *c, const struct fat_cache_buf *b, enum fat_wclass cls)
{
	if (c->after == FAT_KEY_NONE)
		return b->dirty ? b->key : 0;
	if (b->dirty && b->key > c->after)
		return b->key;
	if (KEY(c->epoch, cls) <= c->after) {
		c->epoch++; /* a barrier: the change goes after everything so far */
		c->dirty_now = 0;
	}
	return KEY(c->epoch, cls);
}

status_t fat_cache_modify(struct fat_cache *c, uint32_t sector, enum fat_wclass cls, bool whole,
			  struct fat_cache_buf **out)
{
	uint64_t key;
	uint32_t i;

	*out = NULL;
	if (c->error)
		return c->error;
	status_t st = find_or_load(c, sector, whole, &i);
	if (st)
		return st;
	struct fat_cache_buf *b = &c->bufs[i];
	key = c->relaxed ? relaxed_key(c, b, cls) : KEY(c->epoch, cls);
	if (c->relaxed && (c->high == FAT_KEY_NONE || key > c->high))
		c->high = key;
	if (b->dirty && b->key != key) {
		c->stats.forced++;
		st = write_back(c, b->key, true);
		if (st)
			return st;
	}
	if (!b->dirty) {
		b->dirty = true;
		b->key = key;
		c->ndirty++;
		if (KEY_EPOCH(key) == c->epoch)
			c->dirty_now++;
	}
	b->pins++;
	lru_touch(c, i);
	*out = b;
	return STATUS_OK;
}

void fat_cache_put(struct fat_cache *c, struct fat_cache_buf *b)
{
	(void)c;
	if (b && b->pins)
		b->pins--;
}

bool fat_cache_has(const struct fat_cache *c, uint32_t sector)
{
	return lookup(c, sector) != FAT_CACHE_NONE;
}

void fat_cache_barrier(struct fat_cache *c)
{
	if (c->dirty_now) {
		c->epoch++;
		c->dirty_now = 0;
	}
}

void fat_cache_relax(struct fat_cache *c, uint64_t after)
{
	c->relaxed = true;
	c->after = after;
	c->high = FAT_KEY_NONE;
}

uint64_t fat_cache_unrelax(struct fat_cache *c)
{
	c->relaxed = false;
	c->after = FAT_KEY_NONE;
	return c->high;
}

status_t fat_cache_flush_below(struct fat_cache *c, enum fat_wclass cls)
{
	return write_back(c, KEY(c->epoch, cls), false);
}

status_t fat_cache_flush(struct fat_cache *c)
{
	return write_back(c, UINT64_MAX, true);
}

void fat_cache_drop_clean(struct fat_cache *c)
{
	for (uint32_t i = 0; i < c->fresh; i++) {
		struct fat_cache_buf *b = &c->bufs[i];
		if (!b->pins && !b->dirty && b->sector != FAT_CACHE_NONE)
			hash_remove(c, i);
	}
}
