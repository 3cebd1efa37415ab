/*
 * fatfs.h - vfsd's FAT file-system engine.
 *
 * The engine mounts a FAT12, FAT16 or FAT32 volume on a block device
 * (bdev.h) and serves operations on open objects. It is freestanding: no
 * allocation (all memory comes from the caller's arena at mount), no
 * global state (everything lives in struct fat_volume), no threads (the
 * caller serialises calls on a volume). FAT12 is read-only.
 *
 * Objects and handles. Every operation names its object by a handle, a
 * small number the caller keeps (vfsd maps a client's badge to one). A
 * handle refers to an open node: the root directory, a directory or a
 * file. Opening an object that is open already returns the same handle and
 * takes another reference; fat_close() drops one. A handle whose node has
 * been closed for good is refused with FAT_ST_BAD_HANDLE, even if the slot
 * is in use again (a generation count is part of the handle). The engine
 * checks no rights: the caller decides who may do what.
 *
 * Names are Keel path components (keel/path.h), UTF-8, checked by
 * fat_name_check() (name.h); lookups ignore case (see name.h for what is
 * folded), new names keep theirs.
 *
 * Durability. Operations change the volume in the engine's write-back
 * cache; fat_fsync() makes a file's data, its cluster chain and its
 * directory entry durable (and everything written before it), and
 * fat_sync() or fat_unmount() the whole volume. Writes reach the device in
 * an order that keeps the volume repairable by fsck.fat at any moment
 * (docs/fat.md).
 *
 * Statuses. Beyond the usual ones, the engine reports conditions that
 * Keel's status set has no dedicated code for with these (the names say
 * what is meant; the values are the nearest existing codes):
 */
#ifndef VFSD_FATFS_H
#define VFSD_FATFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/status.h"
#include "bdev.h"
#include "bpb.h"
#include "cache.h"
#include "keel/alloc.h"
#include "name.h"

#define FAT_ST_NO_SPACE STATUS_FULL       /* no free cluster, or a full fixed root */
#define FAT_ST_NOT_DIR STATUS_INVALID     /* a directory operation on a file */
#define FAT_ST_IS_DIR STATUS_INVALID      /* a file operation on a directory */
#define FAT_ST_NOT_EMPTY STATUS_BUSY      /* rmdir or rename onto a non-empty directory */
#define FAT_ST_OPEN STATUS_BUSY           /* removing or replacing an open object */
#define FAT_ST_READ_ONLY STATUS_NO_RIGHTS /* read-only volume, FAT12, or read-only file */
#define FAT_ST_CORRUPT STATUS_BAD_FORMAT  /* the volume's structures are inconsistent */
#define FAT_ST_TOO_BIG STATUS_RANGE       /* beyond 4 GiB - 1, or 65536 directory entries */
#define FAT_ST_NO_HANDLES STATUS_QUOTA    /* every node slot is in use */
#define FAT_ST_BAD_HANDLE STATUS_STALE    /* not a handle of an open node */
/* A device error is passed on as the device returned it. */

typedef uint32_t fat_handle_t;
#define FAT_HANDLE_NONE 0u

/* Returns the wall-clock time: seconds since 1970-01-01 00:00:00 UTC. */
typedef int64_t (*fat_clock_fn)(void *ctx);

#define FAT_MOUNT_READ_ONLY 0x1u    /* never write the device */
#define FAT_MOUNT_TRUST_FSINFO 0x2u /* take the free count from FSInfo if clean and plausible */
#define FAT_MOUNT_NO_ATIME 0x4u     /* reads do not update access dates */

#define FAT_FILE_MAX 0xffffffffu /* largest file size: 4 GiB - 1 */
#define FAT_DIR_SLOTS_MAX 65536u /* 32-byte entries in a directory */

struct fat_mount_params {
	const struct bdev *dev;
	struct arena *arena; /* the volume's memory; must outlive it */
	size_t cache_bytes;  /* of arena for the sector cache (buffers and bookkeeping) */
	uint32_t max_nodes;  /* open objects at once, root included (at least 2) */
	uint32_t flags;      /* FAT_MOUNT_* */
	int32_t tz_minutes;  /* local time minus UTC, for FAT's local times */
	fat_clock_fn clock;  /* NULL: every time stamp is 1980-01-01 */
	void *clock_ctx;
	size_t index_bytes; /* of arena for the directory index (0: none; docs/fat.md) */
};

struct fat_mount_info {
	enum fat_kind kind;
	bool was_dirty; /* not cleanly unmounted, or marked with errors */
	bool read_only; /* by request, or because the volume is FAT12 */
	uint32_t sector_size, cluster_size;
	uint32_t clusters, free_clusters;
	uint32_t cache_sectors;
	uint32_t serial; /* 0 if the volume has none */
	char label[12];  /* boot-sector label, spaces trimmed, NUL-terminated */
};

enum fat_type { FAT_TYPE_FILE = 1, FAT_TYPE_DIR = 2 };

#define FAT_ATTR_READ_ONLY 0x01
#define FAT_ATTR_HIDDEN 0x02
#define FAT_ATTR_SYSTEM 0x04
#define FAT_ATTR_VOLUME 0x08
#define FAT_ATTR_DIR 0x10
#define FAT_ATTR_ARCHIVE 0x20
#define FAT_ATTR_LFN 0x0f

struct fat_stat {
	enum fat_type type;
	uint8_t attr;           /* FAT_ATTR_* */
	uint32_t size;          /* 0 for directories */
	uint32_t first_cluster; /* 0 for an empty file */
	int64_t ctime;          /* UTC seconds; creation keeps whole seconds */
	int64_t mtime;          /* 2-second resolution */
	int64_t atime;          /* the access date: midnight local time */
	bool is_root;           /* the volume's root directory */
	/* The object's identity on the volume, as long as it is not renamed:
	 * its entry's place, (the holding directory's ref + 1) << 16 | the
	 * entry's index (a directory holds at most 65536); the root 1. */
	uint64_t id;
};

/*
 * One readdir record. Records follow each other in the caller's buffer,
 * each reclen bytes (a multiple of 8) long. name is the long name if the
 * entry has a valid one that is also a valid Keel component, else its
 * short name (flag FAT_DIRENT_SHORT_NAME); it is NUL-terminated. short_name
 * is always the 8.3 form ("README.TXT"). cookie resumes the listing after
 * this record.
 */
struct fat_dirent {
	uint16_t reclen;
	uint16_t namelen; /* bytes of name, without the NUL */
	uint8_t type;     /* enum fat_type */
	uint8_t attr;
	uint16_t flags; /* FAT_DIRENT_* */
	uint32_t cookie;
	uint32_t size;
	int64_t mtime;
	char short_name[40]; /* UTF-8, code page 437 read */
	char name[];
};

#define FAT_DIRENT_SHORT_NAME 0x1 /* no usable long name: name is the short one */
#define FAT_DIRENT_BAD_LFN 0x2    /* long-name entries were present but invalid */
#define FAT_DIRENT_UNNAMEABLE 0x4 /* not even the short name is a valid component */
#define FAT_DIRENT_MAX (sizeof(struct fat_dirent) + FAT_UTF8_MAX + 8)
#define FAT_COOKIE_START 0u
#define FAT_COOKIE_END 0xffffffffu

#define FAT_CREATE_EXCL 0x1u  /* fail with STATUS_EXISTS if the name exists */
#define FAT_CREATE_TRUNC 0x2u /* an existing file is truncated to 0 */

#define FAT_SET_MTIME 0x1u
#define FAT_SET_ATIME 0x2u
#define FAT_SET_ATTR 0x4u
#define FAT_SET_MTIME_NOW 0x8u  /* the modification time: the volume's clock */
#define FAT_SET_ATIME_NOW 0x10u /* the access date: the volume's clock */

struct fat_setattr {
	uint32_t mask;        /* FAT_SET_* */
	int64_t mtime, atime; /* UTC seconds */
	uint8_t attr;         /* READ_ONLY, HIDDEN, SYSTEM, ARCHIVE; other bits ignored */
};

struct fat_statfs {
	enum fat_kind kind;
	uint32_t cluster_size, clusters, free_clusters; /* free: counted from the FAT if unsure */
	uint32_t serial; /* the volume's serial number, 0 if it has none */
	bool read_only, dirty;
	status_t error; /* a write that failed, making the volume read-only; or OK */
};

struct fat_node;

/*
 * The directory index (dindex.c): one directory's entries, with hashes of
 * their folded long and short names in buckets, their slots and short
 * names, built by a scan on the first lookup in that directory and kept
 * up to date by every change of it. It is a hint only where it names a
 * candidate (the entry is read and compared before it is used), and
 * complete: a name it does not hold is not in the directory.
 * FAT_DX_DIRS directories are indexed at once (a path walk and its last
 * directory), the one used longest ago giving way.
 */
#define FAT_DX_DIRS 4
struct fat_dx_ent {
	uint32_t hl, hs;         /* hashes of the folded long name (if any) and short name */
	uint16_t slot, first;    /* the short entry and the first slot of its set */
	uint16_t next_l, next_s; /* the next entry in the bucket of hl, of hs */
	uint8_t sfn[11];
	uint8_t flags; /* DX_LIVE, DX_LFN */
};

enum fat_dx_state { FAT_DX_NONE, FAT_DX_LIVE, FAT_DX_TOO_BIG };

struct fat_dindex {
	struct fat_dx_ent *ent;
	uint16_t *head_l, *head_s; /* bucket heads */
	uint32_t cap, mask;        /* entries; buckets - 1 (cap 0: no index) */
	uint32_t used, count;      /* entries ever used since the build; live */
	uint16_t free;             /* list of freed entries through next_l */
	enum fat_dx_state state;
	uint32_t dir;       /* the directory it is for (ref) */
	uint32_t free_hint; /* every slot below it holds something (not free) */
	uint32_t used_at;   /* the volume's dx_clock when last used */
};

struct fat_volume {
	struct fat_geom g;
	struct fat_io io;
	struct fat_cache cache;
	struct fat_node *nodes;
	uint32_t max_nodes;
	uint32_t flags;
	bool mounted, read_only, was_dirty;
	int32_t tz_minutes;
	fat_clock_fn clock;
	void *clock_ctx;
	uint32_t root_ref;      /* how the root is named internally: root cluster, or 0 */
	uint32_t free_clusters; /* kept up to date; exact once free_known */
	bool free_known;        /* counted from the FAT, not taken from FSInfo */
	uint32_t next_free;     /* where the next allocation starts looking */
	bool fsinfo_valid;      /* the FSInfo sector has its signatures */
	uint32_t mtime_key;     /* readdir's last date << 16 | time decoded (0: none) */
	int64_t mtime_val;      /* and the time it decoded to */
	uint64_t alloc_epoch;   /* cache epoch of the latest allocation */
	uint32_t alloc_sector;  /* FAT sector of this epoch's allocations; or FAT_MULTI */
	uint8_t *zero;          /* zero_bytes of zeros for filling */
	uint32_t zero_bytes;
	status_t error; /* sticky: a failed write-back stops all writing */
	struct fat_dindex dx[FAT_DX_DIRS];
	uint32_t dx_clock; /* counts index uses, for choosing one to give up */
};

/* Bytes of arena fat_mount() takes beyond cache_bytes, for max_nodes. */
size_t fat_mount_overhead(uint32_t max_nodes);

/*
 * Mounts the FAT volume on p->dev into v. Reads and checks the boot
 * sector (STATUS_BAD_FORMAT if it is not a usable FAT volume, STATUS_RANGE
 * if it is larger than the device), takes its memory from p->arena
 * (STATUS_NO_MEMORY if short; STATUS_INVALID for fewer than 2 nodes or a
 * cache of fewer than FAT_CACHE_MIN_SECTORS sectors), counts the free
 * clusters, and unless read-only marks the volume dirty on the device (the
 * clean-shutdown bit of FAT[1] and the boot sector's dirty flag). Fills
 * *info if info is not NULL; info->was_dirty says the volume had not been
 * cleanly unmounted.
 */
status_t fat_mount(struct fat_volume *v, const struct fat_mount_params *p,
		   struct fat_mount_info *info);

/*
 * Writes everything back, FSInfo included, marks the volume clean and
 * flushes the device. Open handles become invalid. Returns the first
 * failure; after one the volume is left marked dirty. The arena may be
 * reset afterwards either way.
 */
status_t fat_unmount(struct fat_volume *v);

/* Makes every change so far durable (like fsync of everything, FSInfo
 * included); the volume stays mounted and marked dirty. */
status_t fat_sync(struct fat_volume *v);

/* fat_sync(), then forgets every cached sector, so that what is read next
 * comes from the device (a cold cache, for measurements). */
status_t fat_drop_cache(struct fat_volume *v);

/* The volume's size and free space. A free count taken from FSInfo at
 * mount is checked against the FAT first (once), so the count is exact. */
status_t fat_statfs(struct fat_volume *v, struct fat_statfs *out);

/* Returns a new reference to the root directory. */
status_t fat_root(struct fat_volume *v, fat_handle_t *out);

/* Takes another reference to the open node h (fat_close drops it). */
status_t fat_ref(struct fat_volume *v, fat_handle_t h);

/* Looks name up in directory dir and returns a reference to what it
 * names. STATUS_NOT_FOUND if nothing, a name FAT cannot hold among them
 * (the removals and a rename's source look up as this does; a new name
 * FAT cannot hold is STATUS_BAD_FORMAT); FAT_ST_NOT_DIR if dir is a
 * file. */
status_t fat_open(struct fat_volume *v, fat_handle_t dir, const char *name, size_t len,
		  fat_handle_t *out);

/*
 * Creates the file name in dir, or with FAT_CREATE_EXCL unset opens it if
 * it exists (FAT_ST_IS_DIR if it is a directory; FAT_CREATE_TRUNC empties
 * it). New files are empty with the archive attribute and all three times
 * set to now. Returns a reference in *out.
 */
status_t fat_create(struct fat_volume *v, fat_handle_t dir, const char *name, size_t len,
		    uint32_t flags, fat_handle_t *out);

/* Creates directory name in dir (STATUS_EXISTS if the name exists) and, if
 * out is not NULL, returns a reference to it. */
status_t fat_mkdir(struct fat_volume *v, fat_handle_t dir, const char *name, size_t len,
		   fat_handle_t *out);

/* Removes the file name from dir and frees its clusters. FAT_ST_IS_DIR for
 * a directory, FAT_ST_OPEN if the file is open. */
status_t fat_unlink(struct fat_volume *v, fat_handle_t dir, const char *name, size_t len);

/* Removes the empty directory name from dir. FAT_ST_NOT_DIR for a file,
 * FAT_ST_NOT_EMPTY, FAT_ST_OPEN if it is open. */
status_t fat_rmdir(struct fat_volume *v, fat_handle_t dir, const char *name, size_t len);

/*
 * Renames from_dir/from to to_dir/to, as POSIX rename(): an existing
 * target is replaced if it is a file and the source is a file, or if both
 * are directories and the target is empty (FAT_ST_IS_DIR, FAT_ST_NOT_DIR,
 * FAT_ST_NOT_EMPTY otherwise; FAT_ST_OPEN if the target is open). Moving a
 * directory into itself or below itself is STATUS_INVALID. Renaming to a
 * name that differs only in case changes the case. The source may be open:
 * its handles follow it.
 */
status_t fat_rename(struct fat_volume *v, fat_handle_t from_dir, const char *from, size_t from_len,
		    fat_handle_t to_dir, const char *to, size_t to_len);

status_t fat_stat(struct fat_volume *v, fat_handle_t h, struct fat_stat *out);

/* Changes times and attributes of h (the root has none: STATUS_INVALID). */
status_t fat_setattr(struct fat_volume *v, fat_handle_t h, const struct fat_setattr *set);

/*
 * Lists directory dir from *cookie (FAT_COOKIE_START at first): fills buf
 * (cap bytes, 8-byte aligned) with as many records (struct fat_dirent) as
 * fit, stores their bytes in *used and the cookie to continue with in
 * *cookie, which is FAT_COOKIE_END once the listing is complete. "." and
 * ".." are not listed. STATUS_RANGE if cap cannot hold the next record (at most
 * FAT_DIRENT_MAX bytes). Entries added or removed between calls do not
 * disturb the listing: an entry present throughout is listed exactly
 * once.
 */
status_t fat_readdir(struct fat_volume *v, fat_handle_t dir, uint32_t *cookie, void *buf,
		     size_t cap, size_t *used);

/* Takes one record of fat_readdir_each(); false to stop before it (the
 * record is then not consumed: the cookie stays in front of it). */
typedef bool (*fat_dirent_fn)(void *ctx, const struct fat_dirent *d);

#define FAT_READDIR_SHORT 0x1u /* fill short_name (else it is empty) */

/*
 * Lists dir from *cookie as fat_readdir() does, handing each record to fn
 * (built in the engine's own memory, valid during the call) instead of
 * copying it into a buffer, until fn declines one or the listing is
 * complete (*cookie FAT_COOKIE_END). *cookie continues after the last
 * record fn took. short_name is filled only with FAT_READDIR_SHORT in
 * flags. fn must not call the engine.
 */
status_t fat_readdir_each(struct fat_volume *v, fat_handle_t dir, uint32_t *cookie, uint32_t flags,
			  fat_dirent_fn fn, void *ctx);

/* Reads up to len bytes at off of file h into buf; *done is the count,
 * less than len only at the end of the file. */
status_t fat_read(struct fat_volume *v, fat_handle_t h, uint64_t off, void *buf, size_t len,
		  size_t *done);

/*
 * Writes len bytes from buf at off, extending the file (a gap is read as
 * zeros) and setting its modification time and archive attribute.
 * FAT_ST_TOO_BIG if the file would exceed FAT_FILE_MAX, FAT_ST_NO_SPACE if
 * the clusters are not there (nothing is written then), FAT_ST_READ_ONLY
 * for a read-only volume or file. *done is len on success, 0 otherwise.
 */
status_t fat_write(struct fat_volume *v, fat_handle_t h, uint64_t off, const void *buf, size_t len,
		   size_t *done);

/* Sets the size of file h, freeing clusters or adding zeroed ones. */
status_t fat_truncate(struct fat_volume *v, fat_handle_t h, uint64_t size);

/* Makes h's data, cluster chain and directory entry durable (flushing the
 * cache in order, then the device). */
status_t fat_fsync(struct fat_volume *v, fat_handle_t h);

/* Drops a reference; the last one writes the directory entry back to the
 * cache if it changed and frees the handle. */
status_t fat_close(struct fat_volume *v, fat_handle_t h);

#endif
