/*
 * mount.c - mounting and unmounting, the clean-shutdown marks, FSInfo,
 * sync and statfs.
 *
 * A volume mounted for writing is marked dirty on the device at once, in
 * both places readers look: the clean-shutdown bit of FAT[1] (FAT16/32,
 * what Windows checks) and bit 0 of the boot sector's state byte (what
 * Linux and fsck.fat check). A clean unmount writes everything back,
 * writes FSInfo, flushes the device, and only then clears both marks.
 */
#include <string.h>

#include "fatfs_int.h"

#define ZERO_BYTES 16384u
#define FSINFO_LEAD 0x41615252u
#define FSINFO_STRUC 0x61417272u
#define FSINFO_TRAIL 0xaa550000u

/* FAT[1] bits: set means the volume was shut down cleanly / had no
 * I/O error. */
static uint32_t clean_bit(const struct fat_volume *v)
{
	return v->g.kind == FAT_KIND_32 ? 0x08000000u : 0x8000u;
}

static uint32_t noerr_bit(const struct fat_volume *v)
{
	return v->g.kind == FAT_KIND_32 ? 0x04000000u : 0x4000u;
}

size_t fat_mount_overhead(uint32_t max_nodes)
{
	return (size_t)max_nodes * sizeof(struct fat_node) + ZERO_BYTES + 3 * 64;
}

/* The largest number of cache sectors that fits in bytes. */
static uint32_t cache_sectors(size_t bytes, uint32_t sector_size)
{
	size_t most = bytes / (sector_size + sizeof(struct fat_cache_buf) + 12);
	uint32_t n = most > (1u << 24) ? 1u << 24 : (uint32_t)most;

	while (n && fat_cache_bytes(n, sector_size) > bytes)
		n--;
	return n;
}

static status_t check_params(const struct fat_mount_params *p)
{
	const struct bdev *d = p->dev;

	if (!d || !p->arena || !d->read || !d->write || !d->flush)
		return STATUS_INVALID;
	if (d->block_size < 512 || d->block_size > 4096 || (d->block_size & (d->block_size - 1)))
		return STATUS_INVALID;
	if (!d->block_count || p->max_nodes < 2 || p->max_nodes > 0xffff)
		return STATUS_INVALID;
	return STATUS_OK;
}

/* Reads and parses the boot sector into v->g, using v->zero as buffer. */
static status_t read_boot(struct fat_volume *v, const struct bdev *d)
{
	status_t st = d->read(d->ctx, 0, 1, v->zero);

	if (st)
		return st;
	if (d->block_count > UINT64_MAX / d->block_size)
		return STATUS_BAD_FORMAT;
	st = fat_bpb_parse(v->zero, d->block_size, d->block_count * d->block_size, d->block_size,
			   &v->g);
	v->was_dirty = st == STATUS_OK && (v->zero[v->g.state_offset] & 1);
	return st;
}

/* Takes the volume's memory from the arena and sets up the cache. */
static status_t take_memory(struct fat_volume *v, const struct fat_mount_params *p)
{
	void *nodes;
	uint32_t n = cache_sectors(p->cache_bytes, v->g.sector_size);

	if (n < FAT_CACHE_MIN_SECTORS)
		return STATUS_INVALID;
	if (arena_alloc(p->arena, (size_t)p->max_nodes * sizeof(struct fat_node), 0, &nodes))
		return STATUS_NO_MEMORY;
	v->nodes = nodes;
	v->max_nodes = p->max_nodes;
	memset(v->nodes, 0, (size_t)p->max_nodes * sizeof(struct fat_node));
	for (uint32_t i = 0; i < p->max_nodes; i++)
		v->nodes[i].gen = 1;
	v->io.dev = p->dev;
	v->io.sector_size = v->g.sector_size;
	v->io.blocks_per_sector = v->g.sector_size / p->dev->block_size;
	v->io.total_sectors = v->g.total_sectors;
	status_t st = fat_cache_init(&v->cache, &v->io, p->arena, n);
	return st ? st : fat_dx_init(v, p->arena, p->index_bytes);
}

/* Reads FSInfo (FAT32): its free count and next-free hint. */
static status_t read_fsinfo(struct fat_volume *v, uint32_t *free, uint32_t *next)
{
	struct fat_cache_buf *b;
	status_t st;

	*free = *next = 0xffffffffu;
	if (v->g.kind != FAT_KIND_32 || !v->g.fsinfo_sector)
		return STATUS_OK;
	st = fat_cache_get(&v->cache, v->g.fsinfo_sector, &b);
	if (st)
		return st;
	const uint8_t *s = b->data;
	v->fsinfo_valid = get32(s) == FSINFO_LEAD && get32(s + 484) == FSINFO_STRUC &&
			  get32(s + 508) == FSINFO_TRAIL;
	if (v->fsinfo_valid) {
		*free = get32(s + 488);
		*next = get32(s + 492);
	}
	fat_cache_put(&v->cache, b);
	return STATUS_OK;
}

/* Sets the free count and the allocation hint. */
static status_t init_free(struct fat_volume *v, uint32_t flags)
{
	uint32_t free, next;
	status_t st = read_fsinfo(v, &free, &next);

	if (st)
		return st;
	/* A plausible count of a clean volume is taken as it is (as other
	 * systems do); allocation counts for itself when the count says the
	 * volume is full (fat_alloc), so a wrong one never refuses space. */
	v->free_known = !((flags & FAT_MOUNT_TRUST_FSINFO) && v->fsinfo_valid && !v->was_dirty &&
			  free <= v->g.clusters);
	if (v->free_known)
		st = fat_count_free(v, &v->free_clusters);
	else
		v->free_clusters = free;
	v->next_free = fat_cluster_ok(v, next) ? next : 2;
	return st;
}

/* Sets (dirty) or clears (clean) the dirty marks in FAT[1] and the boot
 * sector's state byte, through the cache. */
static status_t set_marks(struct fat_volume *v, bool dirty)
{
	uint32_t fat1;
	struct fat_cache_buf *b;
	status_t st = fat_get(v, 1, &fat1);

	if (st)
		return st;
	fat1 = dirty ? fat1 & ~clean_bit(v) : fat1 | clean_bit(v);
	st = fat_set(v, 1, fat1);
	if (st == STATUS_OK)
		st = fat_cache_modify(&v->cache, 0, FAT_WC_DIR, false, &b);
	if (st)
		return st;
	uint8_t *state = &b->data[v->g.state_offset];
	*state = (uint8_t)(dirty ? *state | 1 : *state & ~1);
	fat_cache_put(&v->cache, b);
	return STATUS_OK;
}

/* Writes the cache back and flushes the device; a failure is sticky. */
static status_t write_all(struct fat_volume *v)
{
	status_t st = fat_cache_flush(&v->cache);

	if (st == STATUS_OK)
		st = fat_io_flush(&v->io);
	if (st)
		v->error = st;
	return st;
}

static void fill_info(const struct fat_volume *v, struct fat_mount_info *info)
{
	memset(info, 0, sizeof *info);
	info->kind = v->g.kind;
	info->was_dirty = v->was_dirty;
	info->read_only = v->read_only;
	info->sector_size = v->g.sector_size;
	info->cluster_size = v->g.cluster_size;
	info->clusters = v->g.clusters;
	info->free_clusters = v->free_clusters;
	info->cache_sectors = v->cache.nbufs;
	info->serial = v->g.serial;
	int len = 11;
	while (len > 0 && v->g.label[len - 1] == ' ')
		len--;
	memcpy(info->label, v->g.label, (size_t)len);
	info->label[len] = '\0';
}

/* Looks at FAT[1] for the marks left by the last mount. */
static status_t check_marks(struct fat_volume *v)
{
	uint32_t fat1;
	status_t st;

	if (v->g.kind == FAT_KIND_12)
		return STATUS_OK;
	st = fat_get(v, 1, &fat1);
	if (st == STATUS_OK && (!(fat1 & clean_bit(v)) || !(fat1 & noerr_bit(v))))
		v->was_dirty = true;
	return st;
}

/* Node 0 is the root: no entry, never freed (it keeps one reference). */
static void init_root(struct fat_volume *v)
{
	struct fat_node *root = &v->nodes[0];

	root->refs = 1;
	root->kind = NODE_DIR;
	root->is_root = true;
	root->start = v->root_ref;
	root->attr = FAT_ATTR_DIR;
}

status_t fat_mount(struct fat_volume *v, const struct fat_mount_params *p,
		   struct fat_mount_info *info)
{
	void *zero;
	status_t st;

	memset(v, 0, sizeof *v);
	st = check_params(p);
	if (st)
		return st;
	if (arena_alloc(p->arena, ZERO_BYTES, 64, &zero))
		return STATUS_NO_MEMORY;
	v->zero = zero;
	v->zero_bytes = ZERO_BYTES;
	st = read_boot(v, p->dev);
	memset(v->zero, 0, ZERO_BYTES);
	if (st == STATUS_OK)
		st = take_memory(v, p);
	if (st == STATUS_OK)
		st = check_marks(v);
	if (st)
		return st;
	v->flags = p->flags;
	v->read_only = (p->flags & FAT_MOUNT_READ_ONLY) || v->g.kind == FAT_KIND_12;
	v->tz_minutes = p->tz_minutes;
	v->clock = p->clock;
	v->clock_ctx = p->clock_ctx;
	v->root_ref = v->g.kind == FAT_KIND_32 ? v->g.root_cluster : 0;
	v->alloc_epoch = UINT64_MAX;
	st = init_free(v, p->flags);
	if (st)
		return st;
	init_root(v);
	if (!v->read_only) {
		st = set_marks(v, true);
		if (st == STATUS_OK)
			st = write_all(v);
		if (st)
			return st;
	}
	v->mounted = true;
	if (info)
		fill_info(v, info);
	return STATUS_OK;
}

/* Writes the free count and the hint into FSInfo, if the volume has a
 * valid one. */
static status_t write_fsinfo(struct fat_volume *v)
{
	struct fat_cache_buf *b;
	status_t st;

	if (v->g.kind != FAT_KIND_32 || !v->g.fsinfo_sector || !v->fsinfo_valid)
		return STATUS_OK;
	st = fat_cache_modify(&v->cache, v->g.fsinfo_sector, FAT_WC_DIR, false, &b);
	if (st)
		return st;
	put32(b->data + 488, v->free_clusters);
	put32(b->data + 492, v->next_free);
	fat_cache_put(&v->cache, b);
	return STATUS_OK;
}

/* Writes back the entries of every changed open node, then FSInfo. */
static status_t flush_nodes(struct fat_volume *v)
{
	status_t first = STATUS_OK;

	for (uint32_t i = 1; i < v->max_nodes; i++) {
		if (!v->nodes[i].refs)
			continue;
		status_t st = fat_node_flush_entry(v, &v->nodes[i]);
		if (st && !first)
			first = st;
	}
	if (first)
		return first;
	return write_fsinfo(v);
}

status_t fat_sync(struct fat_volume *v)
{
	status_t st = fat_writable(v);

	if (st)
		return st == FAT_ST_READ_ONLY ? STATUS_OK : st;
	st = flush_nodes(v);
	if (st == STATUS_OK)
		st = write_all(v);
	return st;
}

status_t fat_drop_cache(struct fat_volume *v)
{
	status_t st = fat_sync(v);

	if (st == STATUS_OK)
		fat_cache_drop_clean(&v->cache);
	fat_dx_drop(v);
	return st;
}

status_t fat_unmount(struct fat_volume *v)
{
	status_t st;

	if (!v->mounted)
		return STATUS_INVALID;
	st = fat_writable(v);
	if (st == STATUS_OK) {
		st = fat_sync(v);
		/* The marks change only after everything else is durable. */
		fat_cache_barrier(&v->cache);
		if (st == STATUS_OK)
			st = set_marks(v, false);
		if (st == STATUS_OK)
			st = write_all(v);
	} else if (st == FAT_ST_READ_ONLY) {
		st = STATUS_OK;
	}
	for (uint32_t i = 0; i < v->max_nodes; i++)
		v->nodes[i].refs = 0;
	fat_dx_drop(v);
	v->mounted = false;
	return st;
}

status_t fat_statfs(struct fat_volume *v, struct fat_statfs *out)
{
	if (!v->mounted)
		return STATUS_INVALID;
	status_t st = fat_count_if_unsure(v);
	if (st)
		return st;
	memset(out, 0, sizeof *out);
	out->kind = v->g.kind;
	out->serial = v->g.has_serial ? v->g.serial : 0;
	out->cluster_size = v->g.cluster_size;
	out->clusters = v->g.clusters;
	out->free_clusters = v->free_clusters;
	out->read_only = v->read_only;
	out->dirty = !v->read_only;
	out->error = v->error ? v->error : v->cache.error;
	return STATUS_OK;
}
