/*
 * fatfs_int.h - what the engine's files share: the node table, the FAT,
 * directory entries. Not for callers of the engine (they use fatfs.h).
 *
 * Directories are named internally by a "dir ref": the first cluster of
 * the directory, or 0 for the fixed root of FAT12/16 (v->root_ref is the
 * root's ref on either kind). On disk, ".." of a child of the root holds 0
 * on every kind.
 */
#ifndef VFSD_FATFS_INT_H
#define VFSD_FATFS_INT_H

#include "fatfs.h"

#define FAT_MULTI 0xffffffffu   /* alloc_sector: allocations in several sectors */
#define FAT_NO_SLOT 0xffffffffu /* fat_dir_add(): no entry to skip */
#define FAT_END 0u              /* fat_next(): the chain ends here */
#define SLOT 32u                /* bytes of a directory entry */
#define WALK_LIMIT 65536u       /* steps of a ".." walk before declaring a loop */

/* ---------------------------------------------------------------- little endian */

static inline uint32_t get16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static inline uint32_t get32(const uint8_t *p)
{
	return get16(p) | get16(p + 2) << 16;
}

static inline void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void put32(uint8_t *p, uint32_t v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

/* ---------------------------------------------------------------- short entries */

/* Offsets in a 32-byte short directory entry. */
#define DE_NAME 0
#define DE_ATTR 11
#define DE_NTRES 12
#define DE_CTENTH 13
#define DE_CTIME 14
#define DE_CDATE 16
#define DE_ADATE 18
#define DE_CLUS_HI 20
#define DE_MTIME 22
#define DE_MDATE 24
#define DE_CLUS_LO 26
#define DE_SIZE 28

#define DE_DELETED 0xe5
#define DE_END 0x00

/* The first cluster an entry names (the high half only on FAT32). */
static inline uint32_t de_cluster(const struct fat_volume *v, const uint8_t *de)
{
	uint32_t hi = v->g.kind == FAT_KIND_32 ? get16(de + DE_CLUS_HI) : 0;
	return hi << 16 | get16(de + DE_CLUS_LO);
}

static inline void de_set_cluster(uint8_t *de, uint32_t c)
{
	put16(de + DE_CLUS_HI, c >> 16);
	put16(de + DE_CLUS_LO, c & 0xffff);
}

/* ---------------------------------------------------------------- nodes */

enum { NODE_FREE = 0, NODE_FILE = 1, NODE_DIR = 2 };

struct fat_node {
	uint16_t gen;  /* part of the handle; bumped when the slot is freed */
	uint16_t refs; /* 0: the slot is free */
	uint8_t kind;  /* NODE_* */
	uint8_t attr;
	bool is_root;
	bool dirty;     /* the directory entry must be written back */
	uint8_t nslots; /* slots of the entry set: long-name entries + 1 */
	uint32_t start; /* first cluster; for directories their ref */
	uint32_t size;
	uint32_t parent; /* ref of the directory holding the entry */
	uint32_t slot;   /* index of the short entry in it */
	uint16_t cdate, ctime, mdate, mtime, adate;
	uint8_t ctenth;
	/* Cluster chain cursors: chain index -> cluster, 0 if unknown. */
	uint32_t cur_idx, cur_clus;
	uint32_t tail_idx, tail_clus; /* the last cluster, if known */
	/* Loop detection (Brent) along the walk that set the cursor. */
	uint32_t loop_mark, loop_power, loop_steps;
};

/* Looks up the node of handle h (any kind); FAT_ST_BAD_HANDLE if none. */
status_t fat_node_get(struct fat_volume *v, fat_handle_t h, struct fat_node **out);

/* Like fat_node_get(), but insists on a file (FAT_ST_IS_DIR) or a
 * directory (FAT_ST_NOT_DIR). */
status_t fat_node_file(struct fat_volume *v, fat_handle_t h, struct fat_node **out);
status_t fat_node_dir(struct fat_volume *v, fat_handle_t h, struct fat_node **out);

/* Writes n's directory entry (size, first cluster, times, attributes)
 * into the cache if it changed, as a directory write of this epoch. */
status_t fat_node_flush_entry(struct fat_volume *v, struct fat_node *n);

/* Copies n's attributes, first cluster, size and times into short entry de. */
void fat_node_to_entry(const struct fat_node *n, uint8_t *de);

/* The open node of the entry at slot of parent, or NULL. */
struct fat_node *fat_node_find(struct fat_volume *v, uint32_t parent, uint32_t slot);

/* Checks a component and converts it to UTF-16 (at most FAT_LFN_MAX units). */
status_t fat_name16(const char *name, size_t len, uint16_t *out, size_t *n);

/* fat_name16 for a name looked up: a name FAT cannot hold is NOT_FOUND. */
status_t fat_name16_existing(const char *name, size_t len, uint16_t *out, size_t *n);

/* Frees the clusters of n from chain index keep on (0: all of them) and
 * sets the size to size, which must fit in keep clusters. */
status_t fat_file_shrink(struct fat_volume *v, struct fat_node *n, uint32_t size);

/* The current time from the volume's clock. */
int64_t fat_now(const struct fat_volume *v);

/* True if mutating operations are allowed: STATUS_OK, or the reason not. */
status_t fat_writable(const struct fat_volume *v);

/* ---------------------------------------------------------------- the FAT (fat.c) */

static inline bool fat_cluster_ok(const struct fat_volume *v, uint32_t c)
{
	return c >= 2 && c <= v->g.clusters + 1;
}

/* Reads the FAT entry of cluster c (0 .. clusters + 1) into *val (28 bits
 * on FAT32). */
status_t fat_get(struct fat_volume *v, uint32_t c, uint32_t *val);

/* Sets the FAT entry of c in every FAT that is written (FAT32 keeps the
 * entry's top 4 bits). */
status_t fat_set(struct fat_volume *v, uint32_t c, uint32_t val);

/* The end-of-chain mark of this FAT kind. */
uint32_t fat_eoc(const struct fat_volume *v);

/* Follows the chain from c: *next is the next cluster, or FAT_END at the
 * end of the chain. FAT_ST_CORRUPT if the entry is free, bad, reserved or
 * points outside the volume. */
status_t fat_next(struct fat_volume *v, uint32_t c, uint32_t *next);

/* Walks idx steps along the chain from start (idx 0 is start itself) and
 * stores the cluster in *out, or FAT_END if the chain is shorter. Bounded
 * by the cluster count: a loop is FAT_ST_CORRUPT. */
status_t fat_walk(struct fat_volume *v, uint32_t start, uint32_t idx, uint32_t *out);

/* Allocates n >= 1 free clusters as one chain ending in an end mark and
 * returns its first and last cluster. FAT_ST_NO_SPACE (nothing allocated)
 * if there are not enough. */
status_t fat_alloc(struct fat_volume *v, uint32_t n, uint32_t *first, uint32_t *last);

/* Links prev to first (FAT[prev] = first), after a barrier if the
 * allocation of first might not reach the device before the link. */
status_t fat_link(struct fat_volume *v, uint32_t prev, uint32_t first);

/* Makes sure everything allocated so far reaches the device before
 * anything written after this call (used before a directory entry that
 * names new clusters is written in the data class). */
void fat_alloc_barrier(struct fat_volume *v);

/* Frees the chain from first to its end. Stops (with FAT_ST_CORRUPT) at an
 * entry that is already free or points outside; frees at most clusters. */
status_t fat_free_chain(struct fat_volume *v, uint32_t first);

/* Counts the free clusters by reading the whole FAT. */
status_t fat_count_free(struct fat_volume *v, uint32_t *out);
/* Counts the free clusters if the count was taken from FSInfo at mount
 * (a hint): when allocation finds too little room, and for fat_statfs,
 * the FAT decides. */
status_t fat_count_if_unsure(struct fat_volume *v);

/* ---------------------------------------------------------------- directories (dir.c) */

/* A directory entry as a scan finds it. */
struct fat_entry {
	uint8_t de[SLOT]; /* the short entry */
	uint32_t slot;    /* its index in the directory */
	uint32_t first;   /* index of its first slot (a long-name entry, or slot) */
	uint16_t lfn_len; /* units of the long name; 0 if it has no usable one */
	bool lfn_bad;     /* long-name entries were there but unusable */
	uint16_t lfn[FAT_LFN_SLOTS_MAX * FAT_LFN_UNITS];
};

/* A position in a directory, with a cursor into its cluster chain. */
struct fat_dirpos {
	uint32_t dir;
	uint32_t clus, clus_idx; /* chain index clus_idx is cluster clus (0: none yet) */
};

struct fat_scan {
	struct fat_dirpos pos;
	uint32_t index; /* next slot to read */
	bool done;
};

void fat_scan_init(struct fat_scan *s, uint32_t dir, uint32_t index);

/* Reads on to the next live entry (not deleted, not a volume label, not
 * "." or ".."). STATUS_EMPTY at the end of the directory. */
status_t fat_scan_next(struct fat_volume *v, struct fat_scan *s, struct fat_entry *e);

/* Maps slot index of the directory at p to a sector and a byte offset in
 * it. STATUS_EMPTY if the directory has no such slot (its chain ends, or
 * the fixed root is smaller). */
status_t fat_dir_locate(struct fat_volume *v, struct fat_dirpos *p, uint32_t index,
			uint32_t *sector, uint32_t *off);

/* Finds the entry called name (n UTF-16 units) in dir, by its long or its
 * short name, ignoring case. STATUS_NOT_FOUND if there is none. */
status_t fat_dir_find(struct fat_volume *v, uint32_t dir, const uint16_t *name, size_t n,
		      struct fat_entry *e);

/* Where a new entry set goes: chosen by fat_dir_prepare(), written by
 * fat_dir_commit(). */
struct fat_newent {
	uint8_t sfn[11]; /* a short name unique in the directory */
	uint8_t nt;      /* its NTRes case bits */
	uint32_t nslots; /* long-name entries + 1 */
	uint32_t start;  /* first slot of the set */
	bool tail;       /* the set lies beyond the directory's end mark */
};

/*
 * Chooses the short name and the slots for an entry set for name (n
 * units) in dir, growing the directory if it has no room (FAT_ST_NO_SPACE,
 * FAT_ST_TOO_BIG). skip_slot, if not FAT_NO_SLOT, is an entry whose short
 * name may be reused (it is about to go). Nothing is written but the
 * growth, so a caller can make sure of the room before removing
 * anything.
 */
status_t fat_dir_prepare(struct fat_volume *v, uint32_t dir, const uint16_t *name, size_t n,
			 uint32_t skip_slot, struct fat_newent *ne);

/* Writes the set chosen by fat_dir_prepare(): long-name entries, then the
 * short entry de, whose name and case bits this fills in. */
status_t fat_dir_commit(struct fat_volume *v, uint32_t dir, const uint16_t *name, size_t n,
			uint8_t de[SLOT], const struct fat_newent *ne);

/* fat_dir_prepare() and fat_dir_commit() in one; stores the short entry's
 * slot in *slot and the set's length in *nslots. */
status_t fat_dir_add(struct fat_volume *v, uint32_t dir, const uint16_t *name, size_t n,
		     uint8_t de[SLOT], uint32_t *slot, uint8_t *nslots);

/* Marks slots first .. last of dir deleted. */
status_t fat_dir_remove(struct fat_volume *v, uint32_t dir, uint32_t first, uint32_t last);

/* Overwrites slot index of dir with the 32 bytes at de (class DIR). */
status_t fat_dir_write(struct fat_volume *v, uint32_t dir, uint32_t index, const uint8_t *de);

/* Reads slot index of dir into de. */
status_t fat_dir_read(struct fat_volume *v, uint32_t dir, uint32_t index, uint8_t *de);

/* Renames the entry set first..slot of dir in place to name, which needs
 * at most slot - first + 1 slots (FAT_ST_NO_SPACE otherwise). */
status_t fat_dir_rename_in_place(struct fat_volume *v, uint32_t dir, uint32_t first, uint32_t slot,
				 const uint16_t *name, size_t n, uint8_t *nslots);

/* The number of slots an entry set for name needs. */
uint32_t fat_dir_slots_for(const uint16_t *name, size_t n);

/* STATUS_OK if dir holds nothing but "." and "..", FAT_ST_NOT_EMPTY else. */
status_t fat_dir_empty(struct fat_volume *v, uint32_t dir);

/* Frees trailing clusters of dir (not its first) that hold no entries. */
status_t fat_dir_shrink(struct fat_volume *v, uint32_t dir);

/* Makes the first cluster of a new directory: "." for itself and ".."
 * for its parent, times from de. */
status_t fat_dir_init(struct fat_volume *v, uint32_t clus, uint32_t parent, const uint8_t *de);

/* Stores the ref of dir's parent (from its ".." entry) in *out. */
status_t fat_dir_parent(struct fat_volume *v, uint32_t dir, uint32_t *out);

/* Zeroes whole cluster c through the cache, as data of this epoch. */
status_t fat_zero_cluster(struct fat_volume *v, uint32_t c);

/* True if e is called name (n units), by its long or its short name,
 * ignoring case. */
bool fat_entry_matches(const struct fat_entry *e, const uint16_t *name, size_t n);

/* ---------------------------------------------------------------- the directory index (dindex.c) */

/* Takes the indexes' memory (at most bytes in all) from a; none if too
 * small. */
status_t fat_dx_init(struct fat_volume *v, struct arena *a, size_t bytes);

/* Forgets the index (of whatever directory). */
void fat_dx_drop(struct fat_volume *v);

/* Forgets dir's index (dir's clusters are freed or reused). */
void fat_dx_forget(struct fat_volume *v, uint32_t dir);

/* Tells dir's index that dir now has only slots below count. */
void fat_dx_shrunk(struct fat_volume *v, uint32_t dir, uint32_t count);

/* The index of dir, built by a scan in place of the one used longest ago
 * if dir has none; NULL
 * if there is no index (none configured, dir has more entries than it
 * holds, or the scan failed: the caller scans, and meets the error). */
struct fat_dindex *fat_dx_get(struct fat_volume *v, uint32_t dir);

/* fat_dir_find() through x (dir's index): STATUS_OK with *e,
 * STATUS_NOT_FOUND or a device status; *stale if the index disagreed
 * with the directory (it is then dropped: the caller scans instead). */
status_t fat_dx_find(struct fat_volume *v, struct fat_dindex *x, const uint16_t *name, size_t n,
		     struct fat_entry *e, bool *stale);

/* True if an entry of x other than slot skip has short name sfn. */
bool fat_dx_short_taken(const struct fat_dindex *x, const uint8_t sfn[11], uint32_t skip);

/* Marks in used (bit i for number base + i, window numbers) the numeric
 * tails of basis that entries of x other than slot skip use. */
void fat_dx_tails(const struct fat_dindex *x, const uint8_t basis[11], uint32_t skip, uint32_t base,
		  uint32_t window, uint8_t *used);

/* Tells dir's index that the set of k slots from start now holds name (n
 * units; a long name if k > 1) with short entry de; ok false: the write
 * failed (the index is dropped). */
void fat_dx_added(struct fat_volume *v, uint32_t dir, uint32_t start, uint32_t k,
		  const uint16_t *name, size_t n, const uint8_t *de, bool ok);

/* Tells dir's index that slots first .. last were marked deleted (ok) or
 * that marking them failed (the index is dropped). */
void fat_dx_removed(struct fat_volume *v, uint32_t dir, uint32_t first, uint32_t last, bool ok);

#endif
