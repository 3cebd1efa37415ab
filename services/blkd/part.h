/*
 * part.h - partition tables: the MBR and GPT, read once by blkd so that
 * each partition can be offered as its own block device.
 *
 * part_scan() reads blocks through struct part_reader (so host tests and
 * the fuzz target run it over image files and buffers) and produces a
 * list of partitions, each {start block, block count, type, index}. The
 * disk is untrusted input: every field is checked against the disk's size
 * and the table's own bounds, the GPT header and entry array are checked
 * against their CRC32s, and an entry that lies outside the disk (or the
 * GPT's usable area) or overlaps another is recorded with a problem and
 * not offered.
 *
 * MBR: the four primary entries. Extended partitions (types 0x05, 0x0f,
 * 0x85) are counted in extended_skipped and not followed: logical
 * partitions are not offered (Keel's images use primaries only; following
 * the EBR chain is future work). A sector with the 0x55AA signature whose
 * entries have boot flags other than 0x00/0x80 is not a partition table
 * (a filesystem on the whole disk, say) and gives STATUS_NOT_FOUND.
 *
 * GPT: used when the MBR holds a protective entry (type 0xee), including
 * hybrid MBRs. The primary header (block 1) and its entries are used when
 * both CRCs and all bounds hold; otherwise the backup header in the disk's
 * last block and its entries (used_backup).
 */
#ifndef KEEL_BLKD_PART_H
#define KEEL_BLKD_PART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/status.h"

#define PART_MAX 128 /* partitions recorded */
#define PART_GPT_MAX_ENTRIES 4096
#define PART_NAME_MAX 109 /* 36 UTF-16 units as UTF-8, and a NUL */
#define PART_MAX_BLOCK 4096

enum part_scheme { PART_SCHEME_NONE = 0, PART_SCHEME_MBR, PART_SCHEME_GPT };

enum part_problem {
	PART_OK = 0,
	PART_OUT_OF_DISK, /* past the disk's end, over the table itself, or
				 * outside the GPT's usable blocks */
	PART_OVERLAP,     /* shares blocks with another entry */
	PART_EMPTY,       /* no blocks, or a GPT entry ending before it starts */
};

struct part_entry {
	uint64_t start;        /* first block */
	uint64_t count;        /* blocks */
	uint32_t index;        /* 1-based slot in the table (MBR 1-4, GPT entry) */
	uint8_t problem;       /* enum part_problem; offered only when PART_OK */
	uint8_t mbr_type;      /* MBR system id; 0 for GPT */
	uint8_t type_guid[16]; /* GPT, as stored (mixed-endian) */
	uint8_t guid[16];
	uint64_t attributes;
	char name[PART_NAME_MAX]; /* GPT name as UTF-8 */
};

struct part_table {
	uint8_t scheme;   /* enum part_scheme */
	bool used_backup; /* GPT primary was bad */
	uint8_t disk_guid[16];
	struct part_entry parts[PART_MAX];
	uint32_t count;   /* recorded, problems included */
	uint32_t usable;  /* with PART_OK */
	uint32_t dropped; /* used entries beyond PART_MAX */
	uint32_t extended_skipped;
};

/* Reads block lba (block_size bytes) into buf. */
struct part_reader {
	status_t (*read)(void *ctx, uint64_t lba, void *buf);
	void *ctx;
	uint32_t block_size; /* 512 to PART_MAX_BLOCK, a power of two */
	uint64_t blocks;     /* the disk's size */
};

/*
 * Reads the partition table into *out using scratch (at least two blocks).
 * Returns STATUS_OK with the table (problems per entry); STATUS_NOT_FOUND
 * when the disk has no partition table; STATUS_BAD_FORMAT when a GPT is
 * announced but neither header with its entries is valid; STATUS_INVALID
 * for a bad block size, a disk of fewer than 2 blocks or short scratch;
 * or the reader's status when a read fails.
 */
status_t part_scan(const struct part_reader *r, void *scratch, size_t scratch_len,
		   struct part_table *out);

/* CRC-32 (IEEE 802.3, as GPT uses): continue crc (0 to start) over p. */
uint32_t part_crc32(uint32_t crc, const void *p, size_t n);

/* "ok", "out of disk", "overlap", "empty". */
const char *part_problem_name(enum part_problem p);

#endif
