/* bpb.c - the boot sector parser (see bpb.h). */
#include "bpb.h"

#include <string.h>

static uint32_t le16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const uint8_t *p)
{
	return le16(p) | le16(p + 2) << 16;
}

static bool pow2(uint32_t x)
{
	return x && !(x & (x - 1));
}

/* The raw fields, before anything is derived from them. */
struct bpb_raw {
	uint32_t bytes_per_sec, sec_per_clus, reserved, num_fats, root_entries;
	uint32_t total16, total32, fat16, fat32, media;
};

static void read_raw(const uint8_t *s, struct bpb_raw *r)
{
	r->bytes_per_sec = le16(s + 11);
	r->sec_per_clus = s[13];
	r->reserved = le16(s + 14);
	r->num_fats = s[16];
	r->root_entries = le16(s + 17);
	r->total16 = le16(s + 19);
	r->media = s[21];
	r->fat16 = le16(s + 22);
	r->total32 = le32(s + 32);
	r->fat32 = le32(s + 36);
}

/* Checks the fields that do not depend on the FAT type. */
static bool raw_ok(const uint8_t *s, const struct bpb_raw *r, uint32_t block_size)
{
	if (s[510] != 0x55 || s[511] != 0xaa || (s[0] != 0xeb && s[0] != 0xe9))
		return false;
	if (r->bytes_per_sec < 512 || r->bytes_per_sec > 4096 || !pow2(r->bytes_per_sec))
		return false;
	if (!block_size || r->bytes_per_sec % block_size)
		return false;
	if (!pow2(r->sec_per_clus) || r->sec_per_clus * r->bytes_per_sec > FAT_MAX_CLUSTER_BYTES)
		return false;
	if (r->reserved < 1 || r->num_fats < 1 || r->num_fats > 4)
		return false;
	return r->media == 0xf0 || r->media >= 0xf8;
}

/* Bytes of FAT needed for the entries of clusters data clusters. */
static uint64_t fat_bytes_needed(enum fat_kind k, uint32_t clusters)
{
	uint64_t entries = (uint64_t)clusters + 2;

	if (k == FAT_KIND_12)
		return (entries * 3 + 1) / 2;
	return entries * (k == FAT_KIND_16 ? 2 : 4);
}

/* Derives the regions and the type; false if they do not fit. */
static bool layout(const struct bpb_raw *r, struct fat_geom *g)
{
	bool fat32_layout = r->fat16 == 0;
	uint64_t total = r->total16 ? r->total16 : r->total32;
	uint64_t fat_sectors = fat32_layout ? r->fat32 : r->fat16;
	uint64_t root_sectors = ((uint64_t)r->root_entries * 32 + r->bytes_per_sec - 1) /
				r->bytes_per_sec;
	uint64_t meta = r->reserved + r->num_fats * fat_sectors + root_sectors;

	if (!fat_sectors || !total || meta >= total)
		return false;
	uint64_t clusters = (total - meta) / r->sec_per_clus;
	if (clusters < 1 || clusters > FAT32_MAX_CLUSTERS)
		return false;
	g->kind = clusters <= FAT12_MAX_CLUSTERS   ? FAT_KIND_12
		  : clusters <= FAT16_MAX_CLUSTERS ? FAT_KIND_16
						   : FAT_KIND_32;
	/* FAT32 has no fixed root and keeps its FAT size in the 32-bit field. */
	if ((g->kind == FAT_KIND_32) != fat32_layout)
		return false;
	if ((g->kind == FAT_KIND_32) != (r->root_entries == 0))
		return false;
	if (fat_bytes_needed(g->kind, (uint32_t)clusters) > fat_sectors * r->bytes_per_sec)
		return false;
	g->sector_size = r->bytes_per_sec;
	g->sec_per_clus = r->sec_per_clus;
	g->cluster_size = r->sec_per_clus * r->bytes_per_sec;
	g->num_fats = r->num_fats;
	g->fat_sectors = (uint32_t)fat_sectors;
	g->fat_start = r->reserved;
	g->root_entries = r->root_entries;
	g->root_start = (uint32_t)(r->reserved + r->num_fats * fat_sectors);
	g->root_sectors = (uint32_t)root_sectors;
	g->data_start = (uint32_t)meta;
	g->total_sectors = (uint32_t)total;
	g->clusters = (uint32_t)clusters;
	g->media = (uint8_t)r->media;
	return true;
}

/* The FAT32 extension: version, root cluster, FSInfo, mirroring. */
static bool fat32_fields(const uint8_t *s, struct fat_geom *g)
{
	uint32_t ext_flags = le16(s + 40), fsinfo = le16(s + 48), backup = le16(s + 50);

	if (le16(s + 42) != 0)
		return false;
	g->root_cluster = le32(s + 44);
	if (g->root_cluster < 2 || g->root_cluster > g->clusters + 1)
		return false;
	g->fsinfo_sector = fsinfo == 0 || fsinfo == 0xffff ? 0 : fsinfo;
	if (g->fsinfo_sector >= g->fat_start)
		return false;
	g->backup_boot = backup == 0 || backup == 0xffff || backup >= g->fat_start ? 0 : backup;
	g->mirrored = !(ext_flags & 0x80);
	g->active_fat = g->mirrored ? 0 : (ext_flags & 0x0f);
	return g->active_fat < g->num_fats;
}

/* The extended boot record at off: serial number and label. */
static void extended(const uint8_t *s, uint32_t off, struct fat_geom *g)
{
	g->state_offset = off + 1;
	g->has_serial = s[off + 2] == 0x29;
	g->serial = g->has_serial ? le32(s + off + 3) : 0;
	if (g->has_serial)
		memcpy(g->label, s + off + 7, 11);
	else
		memset(g->label, ' ', 11);
}

status_t fat_bpb_parse(const uint8_t *sec, size_t len, uint64_t dev_bytes, uint32_t block_size,
		       struct fat_geom *out)
{
	struct bpb_raw r;

	memset(out, 0, sizeof *out);
	if (!sec || len < 512)
		return STATUS_BAD_FORMAT;
	read_raw(sec, &r);
	if (!raw_ok(sec, &r, block_size) || !layout(&r, out))
		return STATUS_BAD_FORMAT;
	if ((uint64_t)out->total_sectors * out->sector_size > dev_bytes)
		return STATUS_BAD_FORMAT;
	if (out->kind == FAT_KIND_32) {
		if (!fat32_fields(sec, out))
			return STATUS_BAD_FORMAT;
		extended(sec, 64, out);
	} else {
		out->mirrored = true;
		extended(sec, 36, out);
	}
	return STATUS_OK;
}
