/*
 * bpb.h - the FAT boot sector's BIOS parameter block, parsed once.
 *
 * fat_bpb_parse() is the only reader of the boot sector. It checks every
 * field the engine relies on and derives the layout:
 *
 *   sector 0            reserved region (boot sector, FSInfo, backup boot)
 *   fat_start           num_fats copies of the FAT, fat_sectors each
 *   root_start          FAT12/16 only: the fixed root directory
 *   data_start          cluster 2, then clusters of sec_per_clus sectors
 *
 * The FAT type follows from the count of data clusters alone, as the
 * specification says: fewer than 4085 is FAT12, fewer than 65525 FAT16,
 * else FAT32. A boot sector whose layout disagrees with that type (FAT32
 * fields on a volume with FAT16's cluster count, or the reverse) is
 * refused rather than guessed at.
 */
#ifndef VFSD_BPB_H
#define VFSD_BPB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/status.h"

#define FAT12_MAX_CLUSTERS 4084u
#define FAT16_MAX_CLUSTERS 65524u
#define FAT32_MAX_CLUSTERS 0x0ffffff5u /* cluster numbers up to 0x0ffffff6 */
#define FAT_MAX_CLUSTER_BYTES 65536u

enum fat_kind { FAT_KIND_12 = 12, FAT_KIND_16 = 16, FAT_KIND_32 = 32 };

struct fat_geom {
	enum fat_kind kind;
	uint32_t sector_size; /* bytes per logical sector: 512-4096 */
	uint32_t sec_per_clus;
	uint32_t cluster_size; /* bytes, at most FAT_MAX_CLUSTER_BYTES */
	uint32_t num_fats;
	uint32_t fat_sectors;  /* of one FAT */
	uint32_t fat_start;    /* first sector of FAT 0 */
	uint32_t root_entries; /* FAT12/16: slots of the fixed root */
	uint32_t root_start;   /* FAT12/16: its first sector */
	uint32_t root_sectors; /* FAT12/16: its length */
	uint32_t data_start;   /* first sector of cluster 2 */
	uint32_t total_sectors;
	uint32_t clusters;      /* valid cluster numbers are 2 .. clusters + 1 */
	uint32_t root_cluster;  /* FAT32: first cluster of the root */
	uint32_t fsinfo_sector; /* FAT32: 0 if there is none */
	uint32_t backup_boot;   /* FAT32: 0 if there is none */
	uint32_t active_fat;    /* the FAT that is read */
	bool mirrored;          /* writes go to every FAT, else only active_fat */
	uint8_t media;
	uint32_t state_offset; /* byte of the boot sector holding the dirty flag */
	bool has_serial;       /* an extended boot signature: serial and label */
	uint32_t serial;
	uint8_t label[11];
};

/*
 * Parses the first len bytes of the volume (at least 512: the boot sector)
 * of a device of dev_bytes bytes whose blocks are block_size bytes. Stores
 * the layout in *out and returns STATUS_OK, or returns STATUS_BAD_FORMAT
 * (*out unspecified) for anything it cannot use: no 0x55AA signature or
 * jump, a sector size other than 512-4096 or not a multiple of
 * block_size, clusters over 64 KiB or not a power of two, no reserved
 * sector, no FAT, a FAT too small for the clusters, regions that overlap
 * or run past the end of the volume or the device, a layout that
 * disagrees with the cluster count, or bad FAT32 fields (version, root
 * cluster, FSInfo sector, active FAT).
 */
status_t fat_bpb_parse(const uint8_t *sec, size_t len, uint64_t dev_bytes, uint32_t block_size,
		       struct fat_geom *out);

/* The first sector of cluster c (2 .. clusters + 1) of g. */
static inline uint32_t fat_cluster_sector(const struct fat_geom *g, uint32_t c)
{
	return g->data_start + (c - 2) * g->sec_per_clus;
}

#endif
