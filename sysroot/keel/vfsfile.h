/*
 * vfsfile.h - descriptors for vfsd's files and directories, and the one
 * vfsd client of the process (vfsfile.c, docs/files.md).
 *
 * A description of kind KEEL_FD_FILE holds a vfsd object capability in
 * caps[0] and, in kind_data[0], a struct keel_vfsobj: the object's type,
 * the readdir position of a directory and, for a directory, its path below
 * the root capability (the base of openat and friends). The process's
 * client buffer is shared by every call; a lock serialises its users.
 */
#ifndef KEEL_VFSFILE_H
#define KEEL_VFSFILE_H

#include "abi/status.h"
#include "fd.h"
#include "keel/path.h"
#include "keel/vfs.h"

/* Sets up the client: *own becomes a duplicate of root (VFS_DUP, same
 * rights) with the process's buffer attached. The process works through
 * its own duplicate, never through the record it was given: that one may
 * be shared with its launcher (a copy of the launcher's capability), and
 * attaching a buffer to it would take the launcher's buffer away. 0 or
 * -errno (then *own is CAP_HANDLE_NONE). */
long keel_vfs_setup(cap_handle_t root, cap_handle_t *own);

/* Closes the duplicate keel_vfs_setup made, if any (at exit, or when the
 * process is given another root). */
void keel_vfs_release(void);

/* The client, with its lock taken; keel_vfs_unlock() gives it back. */
struct vfs_client *keel_vfs_lock(void);
void keel_vfs_unlock(void);

/* errno for a vfsd status; einval is what STATUS_INVALID means for the
 * call (a wrong object type: EISDIR, ENOTDIR or EINVAL). Negative. */
long keel_vfs_errno(status_t st, long einval);

/* A new descriptor for object cap of type (VFS_TYPE_*) at path p (kept
 * for directories), status flags and descriptor flags. The capability is
 * the description's from now on, also on failure (it is closed then). */
long keel_vfsfile_open(cap_handle_t cap, uint32_t type, const struct path *p, int status,
		       int fd_flags);

/* For a child: *dup gets a duplicate of the vfsd file f with the same
 * rights, no buffer (VFS_DUP_BARE) and f's offset, which vfsd keeps for
 * both from now on (VFS_DUP_SHARE_POS). 0 (with *dup CAP_HANDLE_NONE if f
 * is not a vfsd file: a directory is not passed), or -errno if vfsd
 * refused (ENFILE: its tables are full). keel_vfsfile_unpass closes such
 * a duplicate (once the child has ended, or its launch failed). */
long keel_vfsfile_pass(struct keel_file *f, cap_handle_t *dup);
void keel_vfsfile_unpass(cap_handle_t dup);

/* A passed file's access mode (O_ACCMODE and O_APPEND of status) as the
 * letter of its launch name "fdN-fM" (docs/launch.md), and the status
 * flags of a letter (-1 if it names none). */
char keel_vfsfile_mode_letter(int status);
int keel_vfsfile_mode_status(char letter);

/* In a child: makes descriptor fd (closing what was there) the vfsd file
 * cap its launcher passed, with this process's buffer attached, status
 * flags status and the offset vfsd keeps. fd, or -errno (cap is closed
 * then). */
long keel_vfsfile_adopt(int fd, cap_handle_t cap, int status);

/* struct stat from vfsd's description of an object. */
void keel_vfs_stat_fill(const struct vfs_stat *s, struct stat *out);

/* The path of f if it is a vfsd directory, else NULL. */
const struct path *keel_vfsfile_dir_path(const struct keel_file *f);

/* fsync of a vfsd description. */
long keel_vfsfile_fsync(struct keel_file *f);

long keel_sys_ftruncate(const long a[6]);
long keel_sys_getdents64(const long a[6]);

/* Appends one linux_dirent64 (ino, off, type, the name of len bytes) to
 * out (room bytes): its length, or 0 when it does not fit. */
size_t keel_dirent64_put(uint8_t *out, size_t room, uint64_t ino, int64_t off, uint8_t type,
			 const char *name, size_t len);

#endif
