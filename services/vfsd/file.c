/*
 * file.c - file contents: read, write, truncate, fsync.
 *
 * Data moves between the caller's buffer and the device directly when it
 * covers whole sectors that are not cached, through the cache otherwise.
 * A direct write first writes back every older epoch, so that a cluster
 * freed by an earlier operation is never overwritten on the device while
 * an entry on the device may still name it.
 *
 * Growing a file allocates its clusters (FAT) before linking them, writes
 * the data (class DATA, before the FAT and the entry of the same epoch),
 * and keeps the new size in the node until the entry is written back
 * (close, fsync, sync): the entry that exposes the data always follows it.
 * The bytes beyond the size in the last cluster are undefined on disk;
 * growing zeroes the gap explicitly. Shrinking writes the entry, then
 * cuts the chain, then frees the clusters, each in its own epoch.
 */
#include <string.h>

#include "fatfs_int.h"
#include "fattime.h"

/* ---------------------------------------------------------------- chains */

/* One step of Brent's cycle detection along n's chain, arriving at c:
 * true if c was seen before on this walk. */
static bool loop_step(struct fat_node *n, uint32_t c)
{
	if (c == n->loop_mark)
		return true;
	if (++n->loop_steps == n->loop_power) {
		n->loop_mark = c;
		n->loop_power *= 2;
		n->loop_steps = 0;
	}
	return false;
}

/* Stores in *out the cluster at chain index idx of n, or FAT_END if the
 * chain is shorter; moves n's cursor there. A chain that comes back on
 * itself is FAT_ST_CORRUPT, found within twice its length. */
static status_t file_cluster(struct fat_volume *v, struct fat_node *n, uint32_t idx, uint32_t *out)
{
	uint32_t i = 0, c = n->start;

	if (n->start == 0 || (n->tail_clus && idx > n->tail_idx)) {
		*out = FAT_END;
		return STATUS_OK;
	}
	if (idx > v->g.clusters)
		return FAT_ST_CORRUPT;
	if (n->cur_clus && n->cur_idx <= idx) {
		i = n->cur_idx;
		c = n->cur_clus;
	} else {
		n->loop_mark = c;
		n->loop_power = 1;
		n->loop_steps = 0;
	}
	for (; i < idx; i++) {
		uint32_t next;
		status_t st = fat_next(v, c, &next);
		if (st)
			return st;
		if (next == FAT_END) {
			n->tail_idx = i;
			n->tail_clus = c;
			*out = FAT_END;
			return STATUS_OK;
		}
		if (loop_step(n, next))
			return FAT_ST_CORRUPT;
		c = next;
	}
	if (!fat_cluster_ok(v, c))
		return FAT_ST_CORRUPT;
	n->cur_idx = idx;
	n->cur_clus = c;
	*out = c;
	return STATUS_OK;
}

/* Stores the number of clusters in n's chain in *len and the last one in
 * *last (0 for an empty chain). */
static status_t chain_length(struct fat_volume *v, struct fat_node *n, uint32_t *len,
			     uint32_t *last)
{
	uint32_t c, idx = n->cur_clus ? n->cur_idx : 0;

	*len = 0;
	*last = 0;
	if (n->start == 0)
		return STATUS_OK;
	while (!n->tail_clus) {
		/* Walk on from the cursor until the chain ends. */
		status_t st = file_cluster(v, n, idx + 1, &c);
		if (st)
			return st;
		idx++;
	}
	*len = n->tail_idx + 1;
	*last = n->tail_clus;
	return STATUS_OK;
}

/* Makes n's chain at least need clusters long. */
static status_t ensure_clusters(struct fat_volume *v, struct fat_node *n, uint32_t need)
{
	uint32_t have, last, first, new_last;
	status_t st = chain_length(v, n, &have, &last);

	if (st || have >= need)
		return st;
	st = fat_alloc(v, need - have, &first, &new_last);
	if (st)
		return st;
	if (have == 0) {
		n->start = first; /* linked by the entry, written later */
		n->dirty = true;
	} else {
		st = fat_link(v, last, first);
		if (st)
			return st;
	}
	n->tail_idx = need - 1;
	n->tail_clus = new_last;
	return STATUS_OK;
}

/* ---------------------------------------------------------------- sector data */

static uint32_t uncached_run(struct fat_volume *v, uint32_t sector, size_t len, uint32_t max)
{
	uint32_t count = 0, ss = v->g.sector_size;

	while (count < max && (size_t)(count + 1) * ss <= len &&
	       !fat_cache_has(&v->cache, sector + count))
		count++;
	return count;
}

/* Reads len bytes starting at byte boff of sector. */
static status_t data_read(struct fat_volume *v, uint32_t sector, uint32_t boff, uint8_t *dst,
			  size_t len)
{
	uint32_t ss = v->g.sector_size;

	while (len) {
		uint32_t run = boff ? 0 : uncached_run(v, sector, len, UINT32_MAX);
		status_t st;
		if (run) {
			st = fat_io_read(&v->io, sector, run, dst);
			if (st)
				return st;
			sector += run, dst += (size_t)run * ss, len -= (size_t)run * ss;
			continue;
		}
		struct fat_cache_buf *b;
		size_t n = ss - boff < len ? ss - boff : len;
		st = fat_cache_get(&v->cache, sector, &b);
		if (st)
			return st;
		memcpy(dst, b->data + boff, n);
		fat_cache_put(&v->cache, b);
		sector++, boff = 0, dst += n, len -= n;
	}
	return STATUS_OK;
}

/* Writes run whole uncached sectors from src (zeros if NULL) to the device. */
static status_t direct_write(struct fat_volume *v, uint32_t sector, uint32_t run,
			     const uint8_t *src)
{
	status_t st = fat_cache_flush_below(&v->cache, FAT_WC_DATA);

	if (st == STATUS_OK)
		st = fat_io_write(&v->io, sector, run, src ? src : v->zero);
	if (st)
		v->error = st;
	return st;
}

/* Writes len bytes from src (zeros if NULL) starting at byte boff of sector. */
static status_t data_write(struct fat_volume *v, uint32_t sector, uint32_t boff, const uint8_t *src,
			   size_t len)
{
	uint32_t ss = v->g.sector_size;

	while (len) {
		uint32_t max = src ? UINT32_MAX : v->zero_bytes / ss;
		uint32_t run = boff ? 0 : uncached_run(v, sector, len, max);
		status_t st;
		if (run) {
			st = direct_write(v, sector, run, src);
			if (st)
				return st;
			sector += run, len -= (size_t)run * ss;
			src = src ? src + (size_t)run * ss : NULL;
			continue;
		}
		struct fat_cache_buf *b;
		size_t n = ss - boff < len ? ss - boff : len;
		st = fat_cache_modify(&v->cache, sector, FAT_WC_DATA, n == ss, &b);
		if (st)
			return st;
		if (src)
			memcpy(b->data + boff, src, n);
		else
			memset(b->data + boff, 0, n);
		fat_cache_put(&v->cache, b);
		sector++, boff = 0, len -= n;
		src = src ? src + n : NULL;
	}
	return STATUS_OK;
}

/* ---------------------------------------------------------------- file ranges */

/*
 * Moves len bytes at off of n between the file and memory: reads into dst
 * if it is not NULL, else writes from src (zeros if src is NULL too). Runs
 * of consecutive clusters go in one piece. The chain must cover the range
 * (FAT_ST_CORRUPT if it does not).
 */
static status_t file_io(struct fat_volume *v, struct fat_node *n, uint64_t off, uint8_t *dst,
			const uint8_t *src, size_t len)
{
	uint32_t cs = v->g.cluster_size, ss = v->g.sector_size;
	uint64_t pos = off, end = off + len;

	while (pos < end) {
		uint32_t idx = (uint32_t)(pos / cs), c, run = 1, next;
		status_t st = file_cluster(v, n, idx, &c);
		if (st == STATUS_OK && c == FAT_END)
			st = FAT_ST_CORRUPT;
		while (st == STATUS_OK && (uint64_t)(idx + run) * cs < end && run < 65536) {
			st = file_cluster(v, n, idx + run, &next);
			if (st || next != c + run)
				break;
			run++;
		}
		if (st)
			return st;
		uint32_t in = (uint32_t)(pos % cs);
		uint64_t chunk = (uint64_t)run * cs - in;
		if (chunk > end - pos)
			chunk = end - pos;
		uint32_t sector = fat_cluster_sector(&v->g, c) + in / ss;
		size_t at = (size_t)(pos - off);
		if (dst)
			st = data_read(v, sector, in % ss, dst + at, (size_t)chunk);
		else
			st = data_write(v, sector, in % ss, src ? src + at : NULL, (size_t)chunk);
		if (st)
			return st;
		pos += chunk;
	}
	return STATUS_OK;
}

static void touch_modified(struct fat_volume *v, struct fat_node *n)
{
	struct fat_stamp t;

	fat_time_encode(fat_now(v), v->tz_minutes, &t);
	n->mdate = t.date;
	n->mtime = t.time;
	n->adate = t.date;
	n->attr |= FAT_ATTR_ARCHIVE;
	n->dirty = true;
}

static uint32_t clusters_for(const struct fat_volume *v, uint64_t bytes)
{
	return (uint32_t)((bytes + v->g.cluster_size - 1) / v->g.cluster_size);
}

/* Makes n's chain hold end bytes and zeroes the gap between its size and
 * from (from >= size), so that the file can be written at from or grown. */
static status_t prepare_growth(struct fat_volume *v, struct fat_node *n, uint64_t from,
			       uint64_t end)
{
	status_t st = ensure_clusters(v, n, clusters_for(v, end));

	if (st == STATUS_OK && from > n->size)
		st = file_io(v, n, n->size, NULL, NULL, (size_t)(from - n->size));
	return st;
}

/* ---------------------------------------------------------------- operations */

status_t fat_read(struct fat_volume *v, fat_handle_t h, uint64_t off, void *buf, size_t len,
		  size_t *done)
{
	struct fat_node *n;
	status_t st = fat_node_file(v, h, &n);

	*done = 0;
	if (st || len == 0)
		return st;
	if (!buf)
		return STATUS_INVALID;
	if (off >= n->size)
		return STATUS_OK;
	if (len > n->size - off)
		len = (size_t)(n->size - off);
	st = file_io(v, n, off, buf, NULL, len);
	if (st)
		return st;
	*done = len;
	if (!(v->flags & FAT_MOUNT_NO_ATIME) && fat_writable(v) == STATUS_OK) {
		struct fat_stamp t;
		fat_time_encode(fat_now(v), v->tz_minutes, &t);
		if (n->adate != t.date) {
			n->adate = t.date;
			n->dirty = true;
		}
	}
	return STATUS_OK;
}

status_t fat_write(struct fat_volume *v, fat_handle_t h, uint64_t off, const void *buf, size_t len,
		   size_t *done)
{
	struct fat_node *n;
	status_t st = fat_node_file(v, h, &n);

	*done = 0;
	if (st == STATUS_OK)
		st = fat_writable(v);
	if (st)
		return st;
	if (n->attr & FAT_ATTR_READ_ONLY)
		return FAT_ST_READ_ONLY;
	if (len == 0)
		return STATUS_OK;
	if (!buf)
		return STATUS_INVALID;
	if (off > FAT_FILE_MAX || len > FAT_FILE_MAX - off)
		return FAT_ST_TOO_BIG;
	st = prepare_growth(v, n, off, off + len);
	if (st == STATUS_OK)
		st = file_io(v, n, off, NULL, buf, len);
	if (st)
		return st;
	if (off + len > n->size)
		n->size = (uint32_t)(off + len);
	touch_modified(v, n);
	*done = len;
	return STATUS_OK;
}

/*
 * The order on the device: the entry with the new size (and, for size 0,
 * no first cluster) first, then the cut of the chain, then the freeing of
 * the cut clusters. A power cut in between leaves a chain longer than the
 * size (fsck.fat trims it), never a size the chain does not cover and
 * never a freed cluster that a chain still reaches.
 */
status_t fat_file_shrink(struct fat_volume *v, struct fat_node *n, uint32_t size)
{
	uint32_t keep = clusters_for(v, size), last = 0, rest = n->start;
	status_t st = STATUS_OK;

	if (keep) {
		st = file_cluster(v, n, keep - 1, &last);
		if (st == STATUS_OK && last != FAT_END)
			st = fat_next(v, last, &rest);
		if (st)
			return st;
		if (last == FAT_END)
			rest = FAT_END; /* the chain was shorter than the size */
	} else {
		n->start = 0;
	}
	n->size = size;
	n->dirty = true;
	n->cur_clus = 0;
	n->tail_clus = last != FAT_END ? last : 0;
	n->tail_idx = keep ? keep - 1 : 0;
	st = fat_node_flush_entry(v, n);
	if (st || rest == FAT_END || rest == 0)
		return st;
	fat_cache_barrier(&v->cache);
	if (keep) {
		st = fat_set(v, last, fat_eoc(v));
		if (st)
			return st;
		fat_cache_barrier(&v->cache);
	}
	st = fat_free_chain(v, rest);
	return st == FAT_ST_CORRUPT ? STATUS_OK : st;
}

status_t fat_truncate(struct fat_volume *v, fat_handle_t h, uint64_t size)
{
	struct fat_node *n;
	status_t st = fat_node_file(v, h, &n);

	if (st == STATUS_OK)
		st = fat_writable(v);
	if (st)
		return st;
	if (n->attr & FAT_ATTR_READ_ONLY)
		return FAT_ST_READ_ONLY;
	if (size > FAT_FILE_MAX)
		return FAT_ST_TOO_BIG;
	if (size == n->size)
		return STATUS_OK;
	if (size > n->size) {
		st = prepare_growth(v, n, size, size);
		if (st == STATUS_OK)
			n->size = (uint32_t)size;
	} else {
		st = fat_file_shrink(v, n, (uint32_t)size);
	}
	if (st == STATUS_OK)
		touch_modified(v, n);
	return st;
}

status_t fat_fsync(struct fat_volume *v, fat_handle_t h)
{
	struct fat_node *n;
	status_t st = fat_node_get(v, h, &n);

	if (st == STATUS_OK)
		st = fat_writable(v);
	if (st)
		return st == FAT_ST_READ_ONLY ? STATUS_OK : st;
	st = fat_node_flush_entry(v, n);
	if (st == STATUS_OK)
		st = fat_cache_flush(&v->cache);
	if (st == STATUS_OK)
		st = fat_io_flush(&v->io);
	if (st)
		v->error = st;
	return st;
}
