/*
 * keel/vfs.h - the file protocol of vfsd, and its client library.
 *
 * docs/files.md describes the protocol in full; this header defines it
 * once for the service (services/vfsd) and its clients (libsys/vfs.c, the
 * C library).
 *
 * Objects and capabilities. A client never names a file by a global path.
 * It holds object capabilities: send capabilities to vfsd's inbox, each
 * badged by vfsd for one open object (a directory or a file) and one set
 * of rights. The kernel stamps the badge on every message, so a call on a
 * capability is a call on its object. A badge is
 *     bits 0-15   the record's index in vfsd's capability table, plus 1
 *     bits 16-63  a random nonce drawn when the record was made
 * and vfsd refuses (STATUS_STALE) a badge whose record is free or whose
 * nonce differs, so a badge cannot be guessed. Badge 0 is the unbadged
 * capability vfsd gives its supervisor with its hello: it stands for the
 * volume's root with every right, and may also stop the service.
 *
 * Rights (VFS_R_*) belong to the record, never to the kernel capability:
 *     READ    read a file; list, look up and stat in a directory
 *     WRITE   write, truncate a file
 *     CREATE  create files and directories in a directory; rename into it
 *     DELETE  unlink, rmdir in a directory; rename out of it
 * An object opened through a directory gets the rights asked for, which
 * must be a subset of the directory's (STATUS_NO_RIGHTS otherwise);
 * VFS_DUP makes another capability with fewer rights. Nothing widens.
 *
 * Paths are relative, '/'-separated components (keel/path.h rules: no "."
 * or "..", no leading or trailing '/'), walked from the called directory.
 * The empty path names the directory itself (VFS_OPEN only).
 *
 * Bulk data. A client attaches a shared-memory buffer to a capability
 * with VFS_ATTACH (a send carrying a memory capability); objects opened
 * through that capability, and its duplicates, share the buffer. Paths
 * longer than fit in a message, reads and writes longer than fit, and
 * every readdir go through the buffer; short ones travel inline.
 * Capabilities handed to another task share its buffer: give a task a
 * VFS_DUP of its own with VFS_DUP_BARE and let it attach its own buffer.
 *
 * Every request is a call (sys_msg_call) on an object capability; the
 * answer is VFS_REPLY with the payload described at each label, or
 * LOOP_REPLY_ERROR (keel/loop.h) with a status. All fields little-endian.
 */
#ifndef KEEL_VFS_H
#define KEEL_VFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/message.h"
#include "abi/status.h"

/* Rights of an object capability. */
#define VFS_R_READ 0x1u
#define VFS_R_WRITE 0x2u
#define VFS_R_CREATE 0x4u
#define VFS_R_DELETE 0x8u
#define VFS_R_ALL 0xfu

/* Object types. */
#define VFS_TYPE_FILE 1u
#define VFS_TYPE_DIR 2u

/* VFS_OPEN flags. */
#define VFS_O_CREATE 0x1u /* create a file if the name is free (needs CREATE) */
#define VFS_O_EXCL 0x2u   /* with CREATE: STATUS_EXISTS if the name exists */
#define VFS_O_TRUNC 0x4u  /* empty an existing file (needs WRITE in rights) */
#define VFS_O_DIR 0x8u    /* the object must be a directory (else INVALID) */
#define VFS_O_FILE 0x10u  /* the object must be a file (else INVALID) */
#define VFS_O_KNOWN 0x1fu

#define VFS_DUP_BARE 0x1u      /* VFS_DUP: the new record has no buffer */
#define VFS_DUP_SHARE_POS 0x2u /* VFS_DUP: the new record shares the file position */

/* VFS_READ/VFS_WRITE offsets that name a position rather than give one. */
#define VFS_OFF_POS UINT64_MAX        /* the record's shared position, which moves */
#define VFS_OFF_END (UINT64_MAX - 1u) /* VFS_WRITE: the end of the file */

/* VFS_SEEK's whence. */
#define VFS_TIME_MTIME 0x1u     /* VFS_SETTIMES: the modification time given */
#define VFS_TIME_ATIME 0x2u     /* the access time given */
#define VFS_TIME_MTIME_NOW 0x4u /* the modification time: now */
#define VFS_TIME_ATIME_NOW 0x8u /* the access time: now */
#define VFS_TIME_KNOWN 0xfu

#define VFS_MODE_READ_ONLY 0x1u /* VFS_SETMODE: FAT's read-only attribute set */
#define VFS_MODE_KNOWN 0x1u

#define VFS_SEEK_SET 0u
#define VFS_SEEK_CUR 1u
#define VFS_SEEK_END 2u

#define VFS_BADGE_ROOT 0u /* the supervisor's unbadged capability */

/* Inline limits: bytes that travel in the message itself. */
#define VFS_PATH_INLINE 28  /* VFS_OPEN, MKDIR, UNLINK, RMDIR; RENAME's two names together */
#define VFS_READ_INLINE 32  /* VFS_READ with len <= this answers inline */
#define VFS_WRITE_INLINE 24 /* VFS_WRITE with len <= this carries the data inline */
#define VFS_SHM_PAGES_MAX 256
#define VFS_COOKIE_START 0u
#define VFS_COOKIE_END 0xffffffffu

/*
 * Labels. Requests are calls on an object capability unless said.
 *
 * VFS_ATTACH   send, carrying a memory capability (RIGHT_MAP, READ, WRITE):
 *              payload 0 pages u32 (1..VFS_SHM_PAGES_MAX). vfsd maps it as
 *              the buffer of the capability's record, replacing any
 *              earlier one. A send has no answer: a failure is kept and
 *              returned by the next request that needs the buffer.
 * VFS_OPEN     0 flags u32, 4 rights u32, 8 path_len u16, 10 zero u16,
 *              12 path (inline if path_len <= VFS_PATH_INLINE, else at
 *              offset 0 of the buffer). Reply, with the new capability
 *              (moved): 0 type u32, 4 rights u32, 8 size u64, 16 attr
 *              u32 (FAT attributes, as VFS_STAT's); len 20.
 * VFS_MKDIR, VFS_UNLINK, VFS_RMDIR
 *              the path as for VFS_OPEN (flags and rights zero); reply len 0.
 * VFS_RENAME   on the source directory: 0 to_dir u64 (the badge of the
 *              target directory's capability, 0 for the same directory),
 *              8 from_len u16, 10 to_len u16, 12 both names one after the
 *              other (inline if together <= VFS_PATH_INLINE, else at offset
 *              0 of the buffer). Reply len 0.
 * VFS_STAT     reply 0 type u8, 1 attr u8 (FAT attributes), 2 flags u8
 *              (VFS_STAT_ROOT: the volume's root directory), 3 zero u8,
 *              4 rights u32, 8 size u64, 16 mtime i64, 24 id u64, 32
 *              atime i64 (UTC seconds); len 40. id is the object's
 *              identity on the volume while it is not renamed: two records
 *              with the same id are the same file or directory (st_ino).
 *              FAT's creation time is not served (Linux's vfat does not
 *              show it either).
 * VFS_READDIR  0 cookie u32, 4 bytes u32 (of the buffer to fill, at least
 *              VFS_DIRENT_MAX); records struct vfs_dirent from offset 0.
 *              Reply 0 cookie u32 (to continue; VFS_COOKIE_END when done),
 *              4 used u32, 8 count u32; len 12.
 * VFS_READ     0 offset u64, 8 len u32, 12 buf_off u32. len <= VFS_READ_INLINE:
 *              reply 0 done u32, 8 data; else the data goes to the buffer
 *              at buf_off and the reply is 0 done u32. done < len only at
 *              the end of the file. Offset VFS_OFF_POS: at the record's
 *              shared position, which moves past the bytes read (INVALID
 *              for a record without one).
 * VFS_WRITE    0 offset u64, 8 len u32, 12 buf_off u32, 16 data if len <=
 *              VFS_WRITE_INLINE, else from the buffer at buf_off. Reply 0
 *              done u32 (len on success). Offset VFS_OFF_POS as for READ;
 *              VFS_OFF_END: at the end of the file, and a shared position
 *              moves past the bytes written (O_APPEND).
 * VFS_SEEK     on a file record with a shared position: 0 offset i64,
 *              8 whence u32 (VFS_SEEK_SET, _CUR, _END). Reply 0 position
 *              u64; a position before 0 or beyond INT64_MAX is INVALID.
 * VFS_TRUNCATE 0 size u64. Reply len 0.
 * VFS_SETTIMES on a record with VFS_R_WRITE (file or directory): 0 flags
 *              u32 (VFS_TIME_*), 4 zero u32, 8 mtime i64, 16 atime i64
 *              (UTC seconds; read only where a flag says so). MTIME sets
 *              the modification time to mtime, MTIME_NOW to vfsd's clock,
 *              and the same for ATIME; a time left out is kept. FAT keeps
 *              the modification time to 2 s and the access date alone.
 *              Both flags of one time, or an unknown flag: INVALID; the
 *              volume's root directory, which has no times: INVALID.
 *              Reply len 0.
 * VFS_SETMODE  on a file record with VFS_R_WRITE: 0 flags u32 (VFS_MODE_*).
 *              READ_ONLY sets FAT's read-only attribute, and its absence
 *              clears it; the file's other attributes are kept. A file
 *              with the attribute takes no write or truncation (NO_RIGHTS)
 *              but may still be renamed or removed, as on Linux's vfat. An
 *              unknown flag: INVALID; a directory: INVALID (FAT's
 *              attribute means nothing there to its other systems). Reply
 *              len 0.
 * VFS_FSYNC    the object's data and entry made durable. Reply len 0.
 * VFS_SYNC     the whole volume made durable. Reply len 0.
 * VFS_CLOSE    the record is freed; the capability is stale from now on
 *              (the client deletes it). Reply len 0. May also be sent
 *              (no answer). Closing a session's head ends the session.
 * VFS_DUP      0 rights u32, 4 flags u32 (optional), 8 offset u64 (with
 *              VFS_DUP_SHARE_POS): a new capability to the same object
 *              with these rights (a subset), sharing the buffer of the
 *              record called - or, with VFS_DUP_BARE, with no buffer until
 *              its holder attaches one (what a task hands to another).
 *              VFS_DUP_SHARE_POS (files only): the new record shares the
 *              called record's position, which starts at offset if it had
 *              none (QUOTA when vfsd holds VFSD_POSS positions already).
 *              Unknown flags: INVALID. Reply as VFS_OPEN's.
 * VFS_STOP     badge 0 only: write everything back, mark the volume clean,
 *              answer, and end the service (exit 0).
 * VFS_SESSION  on a directory: 0 badge u64 (optional; badge 0 only: the
 *              record of that badge instead of the one called). Reply as
 *              VFS_OPEN's: the head of a new session, same rights, no
 *              buffer. Every record made through a record of a session is
 *              in it; a session made through one is nested in it. Closing
 *              the head frees them all (docs/files.md "Sessions").
 * VFS_STATS    on any record: reply 0 records u32 (in use), 4 sessions u32,
 *              8 buffers u32, 12 records_max u32, 16 bad requests u64,
 *              24 records freed by ended sessions u64; len 32.
 * VFS_STATFS   on any record: the volume's size and free space. Reply
 *              0 cluster bytes u32, 4 clusters u32 (in all), 8 free
 *              clusters u32, 12 flags u32 (VFS_FS_*), 16 kind u32 (12, 16
 *              or 32: the FAT's width), 20 serial u32 (the volume's serial
 *              number, 0 if it has none), 24 name_max u32 (bytes of a name,
 *              UTF-8), 28 zero u32; len 32. The free count is the FAT's
 *              own, never FSInfo's hint.
 * VFS_DROP_CACHE on a directory with every right (VFS_R_ALL; badge 0 is
 *              one): the whole volume made durable as by VFS_SYNC, then
 *              every cached sector forgotten, so that later reads come
 *              from the device. Reply len 0. For measurements (a cold
 *              cache without a restart); it costs others only time.
 */
#define VFS_ATTACH 0x7f5a0001u
#define VFS_OPEN 0x7f5a0002u
#define VFS_MKDIR 0x7f5a0003u
#define VFS_UNLINK 0x7f5a0004u
#define VFS_RMDIR 0x7f5a0005u
#define VFS_RENAME 0x7f5a0006u
#define VFS_STAT 0x7f5a0007u
#define VFS_READDIR 0x7f5a0008u
#define VFS_READ 0x7f5a0009u
#define VFS_WRITE 0x7f5a000au
#define VFS_TRUNCATE 0x7f5a000bu
#define VFS_FSYNC 0x7f5a000cu
#define VFS_SYNC 0x7f5a000du
#define VFS_CLOSE 0x7f5a000eu
#define VFS_DUP 0x7f5a000fu
#define VFS_STOP 0x7f5a0010u
#define VFS_SESSION 0x7f5a0011u
#define VFS_STATS 0x7f5a0012u
#define VFS_DROP_CACHE 0x7f5a0013u
#define VFS_SEEK 0x7f5a0014u
#define VFS_SETTIMES 0x7f5a0015u
#define VFS_STATFS 0x7f5a0016u
#define VFS_SETMODE 0x7f5a0017u
#define VFS_REPLY 0x7f5a0080u

/*
 * A readdir record in the buffer: reclen bytes (a multiple of 8), name
 * NUL-terminated after the fixed part. "." and ".." are never listed.
 */
struct vfs_dirent {
	uint16_t reclen;
	uint16_t namelen; /* bytes of name without the NUL */
	uint8_t type;     /* VFS_TYPE_* */
	uint8_t attr;
	uint16_t reserved;
	uint32_t size;
	uint32_t cookie; /* resumes the listing after this record */
	int64_t mtime;
	char name[];
};
_Static_assert(sizeof(struct vfs_dirent) == 24, "vfs_dirent header is 24 bytes");
#define VFS_DIRENT_MAX (sizeof(struct vfs_dirent) + 1024)

#define VFS_STAT_ROOT 0x1u      /* vfs_stat.flags: the volume's root directory */
#define VFS_ATTR_READ_ONLY 0x1u /* vfs_stat.attr, vfs_dirent.attr: FAT's read-only attribute */

struct vfs_stat {
	uint32_t type; /* VFS_TYPE_* */
	uint32_t rights;
	uint8_t attr;
	uint8_t flags; /* VFS_STAT_* */
	uint64_t size;
	int64_t mtime, atime;
	uint64_t id; /* the object on the volume (VFS_STAT) */
};

#define VFS_FS_READ_ONLY 0x1u /* vfs_statfs.flags: the volume takes no change */

struct vfs_statfs {
	uint32_t cluster_bytes, clusters, free_clusters, flags, kind, serial, name_max;
};

struct vfs_stats {
	uint32_t records, sessions, buffers, records_max;
	uint64_t bad_requests, ended;
};

/*
 * The client library. A struct vfs_client is caller-owned: its buffer (a
 * memory object mapped where keel_map chooses) and the timeout of its
 * calls. Functions return STATUS_OK, the status vfsd answered with, or the
 * kernel's status for the call (STALE or DEAD once vfsd has restarted:
 * every object capability of the old instance is then useless).
 * One thread uses a client at a time.
 */
struct vfs_client {
	cap_handle_t shm; /* the buffer's memory object */
	uint8_t *buf;     /* where it is mapped */
	size_t buf_bytes; /* its size */
	uint64_t timeout; /* per call, nanoseconds */
};

/* Makes c with a buffer of pages pages (1..VFS_SHM_PAGES_MAX). */
status_t vfs_client_init(struct vfs_client *c, uint32_t pages);
/* Unmaps and deletes the buffer. */
void vfs_client_fini(struct vfs_client *c);
/* Attaches c's buffer to obj (and so to what is opened through it). */
status_t vfs_attach(struct vfs_client *c, cap_handle_t obj);

status_t vfs_open(struct vfs_client *c, cap_handle_t dir, const char *path, uint32_t flags,
		  uint32_t rights, cap_handle_t *out, struct vfs_stat *st);
status_t vfs_mkdir(struct vfs_client *c, cap_handle_t dir, const char *path);
status_t vfs_unlink(struct vfs_client *c, cap_handle_t dir, const char *path);
status_t vfs_rmdir(struct vfs_client *c, cap_handle_t dir, const char *path);
/* Renames from_dir/from to to_dir/to; to_dir may be from_dir. */
status_t vfs_rename(struct vfs_client *c, cap_handle_t from_dir, const char *from,
		    cap_handle_t to_dir, const char *to);
status_t vfs_stat(struct vfs_client *c, cap_handle_t obj, struct vfs_stat *st);
/* Lists from *cookie into c's buffer: *first points at the first record,
 * *used bytes, *count records; *cookie is VFS_COOKIE_END when done. */
status_t vfs_readdir(struct vfs_client *c, cap_handle_t dir, uint32_t *cookie,
		     const struct vfs_dirent **first, size_t *used, uint32_t *count);
/* vfs_readdir into at most max bytes of the buffer (VFS_DIRENT_MAX up to
 * the buffer's size; larger values are cut to it, smaller ones are
 * STATUS_RANGE from vfsd). */
status_t vfs_readdir_max(struct vfs_client *c, cap_handle_t dir, uint32_t *cookie, size_t max,
			 const struct vfs_dirent **first, size_t *used, uint32_t *count);
/* Reads up to len bytes at off; *done < len only at the end of the file.
 * Longer requests are split into buffer-sized calls. off may be
 * VFS_OFF_POS, and for vfs_write VFS_OFF_END. */
status_t vfs_read(struct vfs_client *c, cap_handle_t file, uint64_t off, void *buf, size_t len,
		  size_t *done);
status_t vfs_write(struct vfs_client *c, cap_handle_t file, uint64_t off, const void *buf,
		   size_t len, size_t *done);
status_t vfs_truncate(struct vfs_client *c, cap_handle_t file, uint64_t size);
status_t vfs_settimes(struct vfs_client *c, cap_handle_t obj, uint32_t flags, int64_t mtime,
		      int64_t atime);
/* VFS_SETMODE on a file record opened with VFS_R_WRITE. */
status_t vfs_setmode(struct vfs_client *c, cap_handle_t file, uint32_t flags);
/* VFS_STATFS through any record of the volume. */
status_t vfs_statfs(struct vfs_client *c, cap_handle_t obj, struct vfs_statfs *out);
status_t vfs_fsync(struct vfs_client *c, cap_handle_t obj);
status_t vfs_sync(struct vfs_client *c, cap_handle_t obj);
/* VFS_DROP_CACHE on directory dir (which needs every right). */
status_t vfs_drop_cache(struct vfs_client *c, cap_handle_t dir);
/* Closes the object and deletes the capability (in every case). */
status_t vfs_close(struct vfs_client *c, cap_handle_t obj);
status_t vfs_dup(struct vfs_client *c, cap_handle_t obj, uint32_t rights, cap_handle_t *out,
		 struct vfs_stat *st);
/* VFS_DUP with flags (VFS_DUP_BARE: the new record has no buffer;
 * VFS_DUP_SHARE_POS: it shares obj's position, made at off if none). */
status_t vfs_dup_flags(struct vfs_client *c, cap_handle_t obj, uint32_t rights, uint32_t flags,
		       uint64_t off, cap_handle_t *out, struct vfs_stat *st);
/* VFS_SEEK: moves file's shared position; *pos gets the new one. */
status_t vfs_seek(struct vfs_client *c, cap_handle_t file, int64_t off, uint32_t whence,
		  uint64_t *pos);
/* Sends VFS_CLOSE (no answer, never blocks) and deletes the capability.
 * Returns the send's status: FULL if vfsd's inbox is full. */
status_t vfs_close_send(cap_handle_t obj);
/* A new session from directory dir (named: 0, or - calling vfsd's
 * unbadged capability - the badge of the directory to start from). */
status_t vfs_session(struct vfs_client *c, cap_handle_t dir, uint64_t named, cap_handle_t *out,
		     struct vfs_stat *st);
status_t vfs_stats(struct vfs_client *c, cap_handle_t obj, struct vfs_stats *out);

/* Little-endian fields of the payloads, for the service and the client. */
static inline void vfs_put_u16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void vfs_put_u32(uint8_t *p, uint32_t v)
{
	vfs_put_u16(p, (uint16_t)v);
	vfs_put_u16(p + 2, (uint16_t)(v >> 16));
}

static inline void vfs_put_u64(uint8_t *p, uint64_t v)
{
	vfs_put_u32(p, (uint32_t)v);
	vfs_put_u32(p + 4, (uint32_t)(v >> 32));
}

static inline uint16_t vfs_get_u16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t vfs_get_u32(const uint8_t *p)
{
	return vfs_get_u16(p) | (uint32_t)vfs_get_u16(p + 2) << 16;
}

static inline uint64_t vfs_get_u64(const uint8_t *p)
{
	return vfs_get_u32(p) | (uint64_t)vfs_get_u32(p + 4) << 32;
}

#endif
