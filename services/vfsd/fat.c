/*
 * fat.c - the file allocation table: reading and writing entries,
 * following chains, allocating and freeing clusters.
 *
 * Entries are read from the active FAT and written to every FAT that is
 * mirrored. The free-cluster count and the next-free hint live in the
 * volume and are exact at all times; FSInfo is written from them at sync
 * and unmount. Every chain walk is bounded by the cluster count.
 */
#include <string.h>

#include "fatfs_int.h"

/* Byte offset of c's entry within a FAT. */
static uint64_t entry_offset(const struct fat_volume *v, uint32_t c)
{
	switch (v->g.kind) {
	case FAT_KIND_12:
		return (uint64_t)c + c / 2;
	case FAT_KIND_16:
		return (uint64_t)c * 2;
	default:
		return (uint64_t)c * 4;
	}
}

static uint32_t fat_sector_of(const struct fat_volume *v, uint32_t fat, uint64_t byte)
{
	return v->g.fat_start + fat * v->g.fat_sectors + (uint32_t)(byte / v->g.sector_size);
}

static status_t read_byte(struct fat_volume *v, uint64_t byte, uint8_t *out)
{
	struct fat_cache_buf *b;
	status_t st = fat_cache_get(&v->cache, fat_sector_of(v, v->g.active_fat, byte), &b);

	if (st)
		return st;
	*out = b->data[byte % v->g.sector_size];
	fat_cache_put(&v->cache, b);
	return STATUS_OK;
}

status_t fat_get(struct fat_volume *v, uint32_t c, uint32_t *val)
{
	uint64_t off = entry_offset(v, c);
	uint8_t b[4] = { 0 };
	size_t n = v->g.kind == FAT_KIND_32 ? 4 : 2;

	if (c > v->g.clusters + 1)
		return FAT_ST_CORRUPT;
	if (v->g.kind != FAT_KIND_12) {
		/* Aligned entries never straddle sectors. */
		struct fat_cache_buf *cb;
		status_t st = fat_cache_get(&v->cache, fat_sector_of(v, v->g.active_fat, off), &cb);
		if (st)
			return st;
		memcpy(b, cb->data + off % v->g.sector_size, n);
		fat_cache_put(&v->cache, cb);
		*val = v->g.kind == FAT_KIND_16 ? get16(b) : get32(b) & 0x0fffffff;
		return STATUS_OK;
	}
	/* Byte by byte: a FAT12 entry may straddle two sectors. */
	for (size_t i = 0; i < n; i++) {
		status_t st = read_byte(v, off + i, &b[i]);
		if (st)
			return st;
	}
	uint32_t raw = get16(b);
	*val = (c & 1) ? raw >> 4 : raw & 0xfff;
	return STATUS_OK;
}

/* Changes the bits in mask of the byte at byte of FAT fat to val. */
static status_t write_byte(struct fat_volume *v, uint32_t fat, uint64_t byte, uint8_t mask,
			   uint8_t val)
{
	struct fat_cache_buf *b;
	status_t st = fat_cache_modify(&v->cache, fat_sector_of(v, fat, byte), FAT_WC_FAT, false,
				       &b);

	if (st)
		return st;
	uint8_t *p = &b->data[byte % v->g.sector_size];
	*p = (uint8_t)((*p & ~mask) | (val & mask));
	fat_cache_put(&v->cache, b);
	return STATUS_OK;
}

/* Writes the entry of c in FAT fat. */
static status_t set_in(struct fat_volume *v, uint32_t fat, uint32_t c, uint32_t val)
{
	uint64_t off = entry_offset(v, c);
	uint8_t bytes[4], masks[4] = { 0xff, 0xff, 0xff, 0x0f };
	size_t n = v->g.kind == FAT_KIND_32 ? 4 : 2;
	status_t st = STATUS_OK;

	if (v->g.kind == FAT_KIND_12) {
		/* Odd entries take the high nibble of the first byte. */
		val = (c & 1) ? val << 4 : val & 0xfff;
		masks[0] = (c & 1) ? 0xf0 : 0xff;
		masks[1] = (c & 1) ? 0xff : 0x0f;
	}
	put32(bytes, val);
	for (size_t i = 0; i < n && st == STATUS_OK; i++)
		st = write_byte(v, fat, off + i, masks[i], bytes[i]);
	return st;
}

status_t fat_set(struct fat_volume *v, uint32_t c, uint32_t val)
{
	if (c > v->g.clusters + 1)
		return FAT_ST_CORRUPT;
	for (uint32_t f = 0; f < v->g.num_fats; f++) {
		if (!v->g.mirrored && f != v->g.active_fat)
			continue;
		status_t st = set_in(v, f, c, val);
		if (st)
			return st;
	}
	return STATUS_OK;
}

uint32_t fat_eoc(const struct fat_volume *v)
{
	return v->g.kind == FAT_KIND_12 ? 0xfff : v->g.kind == FAT_KIND_16 ? 0xffff : 0x0fffffff;
}

/* The smallest value that marks the end of a chain. */
static uint32_t eoc_min(const struct fat_volume *v)
{
	return fat_eoc(v) - 7;
}

status_t fat_next(struct fat_volume *v, uint32_t c, uint32_t *next)
{
	uint32_t val;
	status_t st;

	if (!fat_cluster_ok(v, c))
		return FAT_ST_CORRUPT;
	st = fat_get(v, c, &val);
	if (st)
		return st;
	if (val >= eoc_min(v)) {
		*next = FAT_END;
		return STATUS_OK;
	}
	if (!fat_cluster_ok(v, val))
		return FAT_ST_CORRUPT; /* free, reserved, bad or outside */
	*next = val;
	return STATUS_OK;
}

status_t fat_walk(struct fat_volume *v, uint32_t start, uint32_t idx, uint32_t *out)
{
	uint32_t c = start;

	if (!fat_cluster_ok(v, start))
		return FAT_ST_CORRUPT;
	if (idx > v->g.clusters)
		return FAT_ST_CORRUPT; /* no chain is that long */
	for (uint32_t i = 0; i < idx; i++) {
		status_t st = fat_next(v, c, &c);
		if (st)
			return st;
		if (c == FAT_END)
			break;
	}
	*out = c;
	return STATUS_OK;
}

/* Notes that the FAT sector of c's entry was allocated in this epoch. */
static void note_alloc(struct fat_volume *v, uint32_t c)
{
	uint32_t sector = (uint32_t)(entry_offset(v, c) / v->g.sector_size);

	if (v->alloc_epoch != v->cache.epoch) {
		v->alloc_epoch = v->cache.epoch;
		v->alloc_sector = sector;
	} else if (v->alloc_sector != sector) {
		v->alloc_sector = FAT_MULTI;
	}
}

/* Finds a free cluster from the hint on, wrapping once. */
static status_t find_free(struct fat_volume *v, uint32_t *out)
{
	uint32_t n = v->g.clusters, c = fat_cluster_ok(v, v->next_free) ? v->next_free : 2;

	for (uint32_t i = 0; i < n; i++) {
		uint32_t val;
		status_t st = fat_get(v, c, &val);
		if (st)
			return st;
		if (val == 0) {
			*out = c;
			return STATUS_OK;
		}
		c = c == n + 1 ? 2 : c + 1;
	}
	return FAT_ST_NO_SPACE;
}

/* Allocates one cluster as the end of a chain; *out is it. */
static status_t alloc_one(struct fat_volume *v, uint32_t *out)
{
	uint32_t c = 0;
	status_t st = find_free(v, &c);

	if (st)
		return st;
	st = fat_set(v, c, fat_eoc(v));
	if (st)
		return st;
	note_alloc(v, c);
	if (v->free_clusters)
		v->free_clusters--;
	v->next_free = c == v->g.clusters + 1 ? 2 : c + 1;
	*out = c;
	return STATUS_OK;
}

status_t fat_count_if_unsure(struct fat_volume *v)
{
	if (v->free_known)
		return STATUS_OK;
	status_t st = fat_count_free(v, &v->free_clusters);
	v->free_known = st == STATUS_OK;
	return st;
}

status_t fat_alloc(struct fat_volume *v, uint32_t n, uint32_t *first, uint32_t *last)
{
	uint32_t head = 0, prev = 0;
	status_t st = STATUS_OK;

	if (n == 0 || n > v->g.clusters)
		return n ? FAT_ST_NO_SPACE : STATUS_INVALID;
	if (n > v->free_clusters && (st = fat_count_if_unsure(v)) != STATUS_OK)
		return st;
	if (n > v->free_clusters)
		return FAT_ST_NO_SPACE;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t c = 0;
		st = alloc_one(v, &c);
		if (st)
			break;
		if (prev)
			st = fat_set(v, prev, c);
		if (st)
			break;
		if (!head)
			head = c;
		prev = c;
	}
	if (st) {
		/* Nothing links to the partial chain yet: give it back. */
		if (head)
			fat_free_chain(v, head);
		/* FSInfo promised room the FAT does not have: the count is
		 * made right now (the volume is full, or nearly). */
		if (st == FAT_ST_NO_SPACE)
			(void)fat_count_if_unsure(v);
		return st;
	}
	*first = head;
	*last = prev;
	return STATUS_OK;
}

void fat_alloc_barrier(struct fat_volume *v)
{
	if (v->alloc_epoch == v->cache.epoch)
		fat_cache_barrier(&v->cache);
}

status_t fat_link(struct fat_volume *v, uint32_t prev, uint32_t first)
{
	uint32_t sector = (uint32_t)(entry_offset(v, prev) / v->g.sector_size);

	/* Within one FAT sector the link and the allocation are one write. */
	if (v->alloc_epoch == v->cache.epoch && v->alloc_sector != sector)
		fat_cache_barrier(&v->cache);
	return fat_set(v, prev, first);
}

status_t fat_free_chain(struct fat_volume *v, uint32_t first)
{
	uint32_t c = first;

	fat_dx_forget(v, first); /* a directory's index goes with its clusters */

	for (uint32_t i = 0; i <= v->g.clusters && c != FAT_END; i++) {
		uint32_t next, val;
		if (!fat_cluster_ok(v, c))
			return FAT_ST_CORRUPT;
		status_t st = fat_get(v, c, &val);
		if (st)
			return st;
		if (val == 0)
			return FAT_ST_CORRUPT; /* free already: a cross-link or a loop */
		next = val >= eoc_min(v) ? FAT_END : val;
		st = fat_set(v, c, 0);
		if (st)
			return st;
		if (v->free_clusters < v->g.clusters)
			v->free_clusters++;
		if (c < v->next_free || !fat_cluster_ok(v, v->next_free))
			v->next_free = c;
		c = next;
	}
	return STATUS_OK;
}

/* Counts the free entries of FAT16/32 a sector at a time. */
static status_t count_free_sectors(struct fat_volume *v, uint32_t *out)
{
	uint32_t width = v->g.kind == FAT_KIND_16 ? 2 : 4, per = v->g.sector_size / width;
	uint32_t last = v->g.clusters + 1, n = 0;

	for (uint32_t c = 2; c <= last;) {
		struct fat_cache_buf *b;
		uint64_t off = entry_offset(v, c);
		status_t st = fat_cache_get(&v->cache, fat_sector_of(v, v->g.active_fat, off), &b);
		if (st)
			return st;
		uint32_t i = (uint32_t)(off % v->g.sector_size) / width;
		for (; i < per && c <= last; i++, c++) {
			const uint8_t *e = b->data + i * width;
			n += width == 2 ? get16(e) == 0 : (get32(e) & 0x0fffffff) == 0;
		}
		fat_cache_put(&v->cache, b);
	}
	*out = n;
	return STATUS_OK;
}

status_t fat_count_free(struct fat_volume *v, uint32_t *out)
{
	uint32_t n = 0;

	if (v->g.kind != FAT_KIND_12)
		return count_free_sectors(v, out);
	for (uint32_t c = 2; c <= v->g.clusters + 1; c++) {
		uint32_t val;
		status_t st = fat_get(v, c, &val);
		if (st)
			return st;
		n += val == 0;
	}
	*out = n;
	return STATUS_OK;
}
