/*
 * fs.c - the calls that take paths.
 *
 * The process's file-system view is a root directory capability and a
 * working directory below it (resolve.h). keel_fs_attach() gives both:
 * the launcher's start-up code calls it with the "root" capability and
 * the working directory it was given (docs/files.md). Every POSIX path is
 * resolved lexically into a typed path below the root ("..", never above
 * it) and then asked of vfsd through the root capability; a descriptor of
 * a vfsd directory is the base of openat and friends (vfsfile.c).
 *
 * Without a root capability (before vfsd, or a program given none)
 * nothing is found: after its text is resolved (which can fail on its own
 * - ENAMETOOLONG, EINVAL, ENOENT for ""), every path is ENOENT, for
 * lookups and creations alike, and the root, "/", is the one directory
 * that resolves: stat says it is a read-only directory, chdir("/")
 * succeeds, getcwd follows the working directory, and opening it is
 * EACCES or EISDIR (for writing). Either way the read-only files of the
 * boot bundle are under /bundle (bundle.c; changing anything there is
 * EROFS).
 *
 * When vfsd restarts, the root goes stale: the first path call that finds
 * it so asks initd for a new one (renewed(), LAUNCH_ROOT) and is made
 * again; descriptors already open stay stale (EBADF).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "backend.h"
#include "bundle.h"
#include "dev.h"
#include "fdsys.h"
#include "fs.h"
#include "keel/launch.h"
#include "resolve.h"
#include "vfsfile.h"

struct keel_fs {
	cap_handle_t root;  /* directory capability of "/"; none until vfsd */
	cap_handle_t given; /* the root as given (at start or by LAUNCH_ROOT) */
	struct path cwd;    /* the working directory, below root */
	int umask;
};

static struct keel_fs fs = { .root = CAP_HANDLE_NONE,
			     .given = CAP_HANDLE_NONE,
			     .cwd = { 0, 0, { 0 }, { 0 } },
			     .umask = 022 };

/* Makes the process's own root from given (see keel_vfs_setup). */
static void root_setup(cap_handle_t given)
{
	keel_vfs_release();
	fs.root = CAP_HANDLE_NONE;
	fs.given = given;
	if (given != CAP_HANDLE_NONE && keel_vfs_setup(given, &fs.root) < 0)
		fs.root = CAP_HANDLE_NONE;
}

/*
 * After a call through the root failed with s: if that was the first try
 * (*tries 0) and the root went stale or dead - vfsd restarted - asks
 * initd for a new root (LAUNCH_ROOT) and sets it up in the old one's
 * place: true if the call should be made again. The working directory is
 * a path and stays; descriptors opened from the old vfsd stay stale.
 */
static bool renewed(status_t s, int *tries)
{
	cap_handle_t launch, root;
	if ((s != STATUS_STALE && s != STATUS_DEAD) || (*tries)++)
		return false;
	launch = launch_cap(keel_start_page(), "launch");
	if (launch == CAP_HANDLE_NONE || launch_root_renew(launch, &root))
		return false;
	cap_handle_t old = fs.given;
	root_setup(root);
	if (old != CAP_HANDLE_NONE && old != launch_cap(keel_start_page(), "root"))
		sys_cap_delete(old); /* an earlier renewal's, now useless */
	return fs.root != CAP_HANDLE_NONE;
}

void keel_fs_attach(cap_handle_t root, const char *cwd)
{
	struct path top, p;
	bool dir;
	path_init(&top);
	path_init(&fs.cwd);
	root_setup(root);
	if (root != CAP_HANDLE_NONE && fs.root == CAP_HANDLE_NONE) {
		/* The root given went stale on its way (vfsd restarted after
		 * the launcher checked it): ask for a new one, as a call
		 * through it would. */
		int tries = 0;
		renewed(STATUS_DEAD, &tries);
	}
	if (cwd && cwd[0] && keel_resolve(&top, cwd, &p, &dir) == 0)
		fs.cwd = p;
}

cap_handle_t keel_fs_fresh_root(void)
{
	int tries = 0;
	if (fs.root != CAP_HANDLE_NONE) {
		struct vfs_stat st;
		status_t s = vfs_stat(keel_vfs_lock(), fs.root, &st);
		keel_vfs_unlock();
		renewed(s, &tries);
	}
	return fs.given;
}

/* Resolves text from dirfd (AT_FDCWD, or a vfsd directory descriptor)
 * into *out below the root; *dir if the text ends in '/'. */
static long resolve_at(int dirfd, const char *text, struct path *out, bool *dir)
{
	struct path base = fs.cwd;
	if (text && text[0] != '/' && dirfd != AT_FDCWD) {
		struct keel_file *f = fdt_get(keel_fdt(), dirfd);
		if (!f)
			return -EBADF;
		const struct path *p = keel_vfsfile_dir_path(f);
		if (p)
			base = *p;
		fdt_put(keel_fdt(), f);
		if (!p)
			return -ENOTDIR;
	}
	return keel_resolve(&base, text, out, dir);
}

/* True if p is vfsd's to answer. */
static bool on_vfs(const struct path *p)
{
	return fs.root != CAP_HANDLE_NONE && !keel_bundle_owns(p) && !keel_dev_owns(p);
}

/* Resolves and looks up without vfsd: finds the root and /bundle only.
 * *dir (if not NULL): the text ends in '/', so that only a directory
 * will do (the caller checks, ENOTDIR). */
static long lookup_dir(int dirfd, const char *text, struct path *out, bool *dir)
{
	long r = resolve_at(dirfd, text, out, dir);
	if (r)
		return r;
	if (path_count(out) == 0 || keel_bundle_owns(out) || keel_dev_owns(out) || on_vfs(out))
		return 0;
	return -ENOENT;
}

static long lookup(int dirfd, const char *text, struct path *out)
{
	bool dir;
	return lookup_dir(dirfd, text, out, &dir);
}

/* Opens p in vfsd: rights from the access mode, then the checks POSIX
 * makes on the object's type. */
static long vfs_open_path(const struct path *p, bool dir, int flags)
{
	char text[PATH_MAX_BYTES + 1];
	int acc = flags & O_ACCMODE;
	uint32_t rights = acc == O_RDONLY   ? VFS_R_READ
			  : acc == O_WRONLY ? VFS_R_WRITE
					    : VFS_R_READ | VFS_R_WRITE;
	uint32_t vf = (flags & O_CREAT ? VFS_O_CREATE : 0) | (flags & O_EXCL ? VFS_O_EXCL : 0) |
		      (flags & O_TRUNC && acc != O_RDONLY ? VFS_O_TRUNC : 0);
	cap_handle_t cap;
	struct vfs_stat st;
	status_t s;
	int tries = 0;
	path_format(p, text, sizeof text);
	do {
		s = vfs_open(keel_vfs_lock(), fs.root, text, vf, rights, &cap, &st);
		keel_vfs_unlock();
	} while (renewed(s, &tries));
	if (s)
		return keel_vfs_errno(s, flags & O_CREAT ? -EISDIR : -ENOTDIR);
	long err = 0;
	if (st.type == VFS_TYPE_DIR && (acc != O_RDONLY || (flags & O_CREAT)))
		err = -EISDIR;
	else if (st.type != VFS_TYPE_DIR && (dir || (flags & O_DIRECTORY)))
		err = -ENOTDIR;
	else if (st.type == VFS_TYPE_FILE && acc != O_RDONLY && (st.attr & VFS_ATTR_READ_ONLY))
		err = -EACCES; /* a read-only file (chmod a-w) takes no writes */
	if (err) {
		vfs_close(keel_vfs_lock(), cap);
		keel_vfs_unlock();
		return err;
	}
	return keel_vfsfile_open(cap, st.type, p, flags & (O_ACCMODE | O_APPEND | O_NONBLOCK),
				 flags & O_CLOEXEC ? FD_CLOEXEC : 0);
}

static long open_at(int dirfd, const char *text, int flags)
{
	struct path p;
	bool dir;
	long r = resolve_at(dirfd, text, &p, &dir);
	if (r)
		return r;
	if (dir && (flags & O_CREAT)) /* only a file is made: "x/" is EISDIR, as on Linux */
		return -EISDIR;
	if (on_vfs(&p))
		return vfs_open_path(&p, dir, flags);
	if (path_count(&p) && keel_dev_owns(&p))
		return keel_dev_open(&p, dir, flags);
	if (path_count(&p) && keel_bundle_owns(&p))
		return keel_bundle_open(&p, flags);
	if (path_count(&p))
		return -ENOENT;
	return (flags & O_ACCMODE) != O_RDONLY || (flags & O_CREAT) ? -EISDIR : -EACCES;
}

long keel_sys_open(const long a[6])
{
	return open_at(AT_FDCWD, (const char *)a[0], (int)a[1]);
}

long keel_sys_openat(const long a[6])
{
	return open_at((int)a[0], (const char *)a[1], (int)a[2]);
}

long keel_sys_creat(const long a[6])
{
	return open_at(AT_FDCWD, (const char *)a[0], O_CREAT | O_WRONLY | O_TRUNC);
}

/* stat of a path the C library keels itself: below /dev or /bundle. */
static long dev_or_bundle_stat(const struct path *p, struct stat *st)
{
	return keel_dev_owns(p) ? keel_dev_stat(p, st) : keel_bundle_stat(p, st);
}

/* stat of p in vfsd. */
static long vfs_stat_path(const struct path *p, struct stat *out)
{
	char text[PATH_MAX_BYTES + 1];
	cap_handle_t cap;
	struct vfs_stat st;
	status_t s;
	int tries = 0;
	path_format(p, text, sizeof text);
	do {
		struct vfs_client *c = keel_vfs_lock();
		s = vfs_open(c, fs.root, text, 0, 0, &cap, &st);
		if (s == STATUS_OK) {
			s = vfs_stat(c, cap, &st);
			vfs_close(c, cap);
		}
		keel_vfs_unlock();
	} while (renewed(s, &tries));
	if (s == STATUS_OK)
		keel_vfs_stat_fill(&st, out);
	return keel_vfs_errno(s, -ENOTDIR);
}

/* stat of a path found by lookup_dir: the root is a directory no one may
 * write. */
static long stat_found(const struct path *p, struct stat *st)
{
	if (on_vfs(p))
		return vfs_stat_path(p, st);
	if (path_count(p))
		return dev_or_bundle_stat(p, st);
	memset(st, 0, sizeof *st);
	st->st_mode = S_IFDIR | 0555;
	st->st_nlink = 2;
	return 0;
}

/* stat and lstat; "file/" is ENOTDIR, as on Linux. */
long keel_sys_stat_at(int dirfd, const char *text, struct stat *st)
{
	struct path p;
	bool dir;
	long r = lookup_dir(dirfd, text, &p, &dir);
	if (r == 0)
		r = stat_found(&p, st);
	return r == 0 && dir && !S_ISDIR(st->st_mode) ? -ENOTDIR : r;
}

long keel_sys_stat(const long a[6])
{
	return keel_sys_stat_at(AT_FDCWD, (const char *)a[0], (struct stat *)a[1]);
}

static long access_at(int dirfd, const char *text, int mode)
{
	struct path p;
	struct stat st;
	bool dir;
	long r = lookup_dir(dirfd, text, &p, &dir);
	if (r == 0)
		r = stat_found(&p, &st);
	if (r == 0 && dir && !S_ISDIR(st.st_mode))
		return -ENOTDIR;
	if (r == 0 && on_vfs(&p) && (mode & W_OK) && !(st.st_mode & S_IWUSR))
		return -EACCES; /* a read-only file (chmod a-w) */
	if (r || on_vfs(&p))
		return r;
	if (path_count(&p) && keel_dev_owns(&p))
		return keel_dev_access(&p, mode);
	return (mode & W_OK) ? -EROFS : 0;
}

long keel_sys_access(const long a[6])
{
	return access_at(AT_FDCWD, (const char *)a[0], (int)a[1]);
}

long keel_sys_faccessat(const long a[6])
{
	return access_at((int)a[0], (const char *)a[1], (int)a[2]);
}

/* Opens p in vfsd with the write right (open_flags VFS_O_DIR, VFS_O_FILE
 * or 0), runs fn on the record and closes it; made again on a renewed
 * root. */
static status_t on_record_written(const struct path *p, uint32_t open_flags,
				  status_t (*fn)(struct vfs_client *c, cap_handle_t obj,
						 const void *arg),
				  const void *arg)
{
	char path[PATH_MAX_BYTES + 1];
	cap_handle_t cap;
	status_t s;
	int tries = 0;
	path_format(p, path, sizeof path);
	do {
		struct vfs_client *c = keel_vfs_lock();
		s = vfs_open(c, fs.root, path, open_flags, VFS_R_WRITE, &cap, NULL);
		if (s == STATUS_OK) {
			s = fn(c, cap, arg);
			vfs_close(c, cap);
		}
		keel_vfs_unlock();
	} while (renewed(s, &tries));
	return s;
}

static status_t setmode_of(struct vfs_client *c, cap_handle_t obj, const void *arg)
{
	return vfs_setmode(c, obj, *(const uint32_t *)arg);
}

/*
 * What FAT cannot record - owners, modes beyond read-only, links - and
 * the C library's own /dev and /bundle do not change. A change that
 * leaves what stat shows as it is (chmod to the mode shown, chown to 0 or
 * -1) succeeds and changes nothing, as cp -p asks; any other is EPERM on
 * the volume (as Linux's vfat says) and EROFS elsewhere. The name must
 * exist (ENOENT, ENOTDIR as for stat).
 *
 * The one bit of a mode FAT keeps is a file's read-only attribute, shown
 * as a mode without write bits (0444 against 0644): a chmod of a file on
 * the volume sets it when the new mode has no owner's write bit, and
 * clears it when it has. What the mode may say besides (mode_on_volume):
 * the read and execute bits as shown, no set-id or sticky bit; the group's
 * and others' write bits are not kept, as under Linux's vfat with its
 * usual umask 022. A directory's mode does not change (FAT's attribute
 * means nothing on a directory, so it always shows 0755).
 */

/* What chmod to mode asks of an object on the volume whose stat is st:
 * 0 nothing (the mode shown), 1 a change to the read-only attribute
 * *flags (VFS_SETMODE), or -EPERM. */
static long mode_on_volume(const struct stat *st, long mode, uint32_t *flags)
{
	long kept = mode & ~(long)(S_IWGRP | S_IWOTH);
	long shown = (long)(st->st_mode & 07777) & ~(long)(S_IWGRP | S_IWOTH);
	*flags = kept & S_IWUSR ? 0 : VFS_MODE_READ_ONLY;
	if (kept == shown)
		return 0;
	if (S_ISDIR(st->st_mode) || (kept & ~(long)S_IWUSR) != (shown & ~(long)S_IWUSR))
		return -EPERM;
	return 1;
}
static long attr_target(int dirfd, const char *text, struct stat *st, struct path *p)
{
	long r = lookup(dirfd, text, p);
	if (r == 0)
		r = keel_sys_stat_at(dirfd, text, st);
	return r;
}

static long mode_change(int dirfd, const char *text, long mode)
{
	struct stat st;
	struct path p;
	uint32_t flags;
	long r = attr_target(dirfd, text, &st, &p);
	if (r || (mode & 07777) == (long)(st.st_mode & 07777))
		return r;
	if (!on_vfs(&p))
		return -EROFS;
	if ((r = mode_on_volume(&st, mode, &flags)) <= 0)
		return r;
	status_t s = on_record_written(&p, VFS_O_FILE, setmode_of, &flags);
	return s == STATUS_NO_RIGHTS ? -EACCES : keel_vfs_errno(s, -EPERM);
}

static long owner_change(int dirfd, const char *text, long uid, long gid)
{
	struct stat st;
	struct path p;
	long r = attr_target(dirfd, text, &st, &p);
	if (r || ((uid == -1 || (uid_t)uid == st.st_uid) && (gid == -1 || (gid_t)gid == st.st_gid)))
		return r;
	return on_vfs(&p) ? -EPERM : -EROFS;
}

/* link: FAT has none; the existing name is looked up first. */
static long link_at(int dirfd, const char *text)
{
	struct stat st;
	struct path p;
	long r = attr_target(dirfd, text, &st, &p);
	return r ? r : on_vfs(&p) ? -EPERM : -EROFS;
}

/* symlink: none either; an existing new name is EEXIST first. */
static long symlink_at(int dirfd, const char *text)
{
	struct stat st;
	struct path p;
	bool dir;
	long r = resolve_at(dirfd, text, &p, &dir);
	if (r)
		return r;
	if (keel_sys_stat_at(dirfd, text, &st) == 0)
		return -EEXIST;
	return on_vfs(&p) ? -EPERM : -EROFS;
}

long keel_sys_chmod(const long a[6])
{
	return mode_change(AT_FDCWD, (const char *)a[0], a[1]);
}

long keel_sys_fchmodat(const long a[6])
{
	return mode_change((int)a[0], (const char *)a[1], a[2]);
}

long keel_sys_chown(const long a[6])
{
	return owner_change(AT_FDCWD, (const char *)a[0], (int)a[1], (int)a[2]);
}

long keel_sys_fchownat(const long a[6])
{
	return owner_change((int)a[0], (const char *)a[1], (int)a[2], (int)a[3]);
}

/* fchmod and fchown: the descriptor's object, as above. A file's
 * read-only attribute changes through its own record, which must have
 * been opened for writing (EACCES otherwise, as for futimens). */
long keel_sys_fchmod(const long a[6])
{
	struct stat st;
	const long b[6] = { a[0], (long)&st, 0, 0, 0, 0 };
	uint32_t flags;
	long r = keel_sys_fstat(b);
	if (r || (a[1] & 07777) == (long)(st.st_mode & 07777))
		return r;
	if (st.st_dev != KEEL_DEV_VOLUME)
		return -EPERM;
	if ((r = mode_on_volume(&st, a[1], &flags)) <= 0)
		return r;
	struct keel_file *f = fdt_get(keel_fdt(), (int)a[0]);
	if (!f)
		return -EBADF;
	status_t s = STATUS_INVALID;
	if (f->kind == KEEL_FD_FILE) {
		s = vfs_setmode(keel_vfs_lock(), f->caps[0], flags);
		keel_vfs_unlock();
	}
	fdt_put(keel_fdt(), f);
	return s == STATUS_NO_RIGHTS ? -EACCES : keel_vfs_errno(s, -EPERM);
}

long keel_sys_fchown(const long a[6])
{
	struct stat st;
	const long b[6] = { a[0], (long)&st, 0, 0, 0, 0 };
	long r = keel_sys_fstat(b);
	int uid = (int)a[1], gid = (int)a[2];
	if (r || ((uid == -1 || (uid_t)uid == st.st_uid) && (gid == -1 || (gid_t)gid == st.st_gid)))
		return r;
	return -EPERM;
}

long keel_sys_link(const long a[6])
{
	return link_at(AT_FDCWD, (const char *)a[0]);
}

long keel_sys_linkat(const long a[6])
{
	return link_at((int)a[0], (const char *)a[1]);
}

long keel_sys_symlink(const long a[6])
{
	return symlink_at(AT_FDCWD, (const char *)a[1]);
}

long keel_sys_symlinkat(const long a[6])
{
	return symlink_at((int)a[1], (const char *)a[2]);
}

/* readlink: there are no symbolic links, so an existing name is EINVAL. */
static long readlink_at(int dirfd, const char *text)
{
	struct stat st;
	long r = keel_sys_stat_at(dirfd, text, &st);
	return r ? r : -EINVAL;
}

long keel_sys_readlink(const long a[6])
{
	return readlink_at(AT_FDCWD, (const char *)a[0]);
}

long keel_sys_readlinkat(const long a[6])
{
	return readlink_at((int)a[0], (const char *)a[1]);
}

long keel_sys_getcwd(const long a[6])
{
	char *buf = (char *)a[0];
	size_t size = (size_t)a[1], n = path_length(&fs.cwd);
	if (size < n + 2)
		return -ERANGE;
	buf[0] = '/';
	path_format(&fs.cwd, buf + 1, size - 1);
	return (long)(n + 2);
}

long keel_sys_chdir(const long a[6])
{
	struct path p;
	struct stat st;
	long r = lookup(AT_FDCWD, (const char *)a[0], &p);
	if (r == 0 && on_vfs(&p))
		r = vfs_stat_path(&p, &st);
	else if (r == 0 && path_count(&p))
		r = dev_or_bundle_stat(&p, &st);
	if (r == 0 && path_count(&p) && !S_ISDIR(st.st_mode))
		r = -ENOTDIR;
	if (r == 0)
		fs.cwd = p;
	return r;
}

/* fchdir: to a vfsd directory's descriptor (its path); the root of the
 * C library's own file systems has none: ENOTDIR for anything else. */
long keel_sys_fchdir(const long a[6])
{
	struct keel_file *f = fdt_get(keel_fdt(), (int)a[0]);
	if (!f)
		return -EBADF;
	const struct path *p = keel_vfsfile_dir_path(f);
	if (p)
		fs.cwd = *p;
	fdt_put(keel_fdt(), f);
	return p ? 0 : -ENOTDIR;
}

/* sync and syncfs: the volume made durable (VFS_SYNC); nothing else
 * holds data to write. */
long keel_sys_sync(const long a[6])
{
	(void)a;
	if (fs.root != CAP_HANDLE_NONE) {
		vfs_sync(keel_vfs_lock(), fs.root);
		keel_vfs_unlock();
	}
	return 0;
}

long keel_sys_syncfs(const long a[6])
{
	struct keel_file *f = fdt_get(keel_fdt(), (int)a[0]);
	if (!f)
		return -EBADF;
	fdt_put(keel_fdt(), f);
	return keel_sys_sync(a);
}

long keel_sys_umask(const long a[6])
{
	int old = fs.umask;
	fs.umask = (int)a[0] & 0777;
	return old;
}

/* ---------------------------------------------------------------- changing names */

/* What mkdir, rmdir and unlink do in vfsd, and what INVALID means then. */
enum name_op { OP_MKDIR, OP_RMDIR, OP_UNLINK };

/* Resolves text from dirfd for a change: the root itself is EEXIST for
 * mkdir and EBUSY otherwise; outside vfsd it is the read-only answer. */
static long change_target(int dirfd, const char *text, enum name_op op, struct path *p, bool *dir)
{
	long r = lookup_dir(dirfd, text, p, dir);
	if (r)
		return r;
	if (path_count(p) == 0)
		return op == OP_MKDIR ? -EEXIST : -EBUSY;
	return on_vfs(p) ? 0 : -EROFS;
}

/* What a name that ends in '/' may be removed or renamed as: only a
 * directory (0); a file is ENOTDIR and must be left alone. */
static long must_be_dir(const struct path *p)
{
	struct stat st;
	long r = stat_found(p, &st);
	return r ? r : S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

static long name_op_at(int dirfd, const char *text, enum name_op op)
{
	char t[PATH_MAX_BYTES + 1];
	struct path p;
	bool dir;
	long r = change_target(dirfd, text, op, &p, &dir);
	if (r == 0 && dir && op == OP_UNLINK) { /* "file/" is not unlinked: ENOTDIR */
		r = must_be_dir(&p);
		return r ? r : -EISDIR;
	}
	if (r)
		return r;
	status_t s;
	int tries = 0;
	path_format(&p, t, sizeof t);
	do {
		struct vfs_client *c = keel_vfs_lock();
		s = op == OP_MKDIR   ? vfs_mkdir(c, fs.root, t)
		    : op == OP_RMDIR ? vfs_rmdir(c, fs.root, t)
				     : vfs_unlink(c, fs.root, t);
		keel_vfs_unlock();
	} while (renewed(s, &tries));
	if (s == STATUS_BUSY && op == OP_UNLINK)
		return -EBUSY; /* a file is never "not empty": it is open (docs/files.md) */
	return keel_vfs_errno(s, op == OP_UNLINK ? -EISDIR : -ENOTDIR);
}

long keel_sys_mkdir(const long a[6])
{
	return name_op_at(AT_FDCWD, (const char *)a[0], OP_MKDIR);
}

long keel_sys_rmdir(const long a[6])
{
	return name_op_at(AT_FDCWD, (const char *)a[0], OP_RMDIR);
}

long keel_sys_unlink(const long a[6])
{
	return name_op_at(AT_FDCWD, (const char *)a[0], OP_UNLINK);
}

long keel_sys_mkdirat(const long a[6])
{
	return name_op_at((int)a[0], (const char *)a[1], OP_MKDIR);
}

long keel_sys_unlinkat(const long a[6])
{
	if (a[2] & ~AT_REMOVEDIR)
		return -EINVAL;
	return name_op_at((int)a[0], (const char *)a[1],
			  a[2] & AT_REMOVEDIR ? OP_RMDIR : OP_UNLINK);
}

static long rename_at(int fromfd, const char *from, int tofd, const char *to)
{
	char a[PATH_MAX_BYTES + 1], b[PATH_MAX_BYTES + 1];
	struct path pa, pb;
	bool da, db;
	long r = change_target(fromfd, from, OP_RMDIR, &pa, &da);
	if (r == 0)
		r = change_target(tofd, to, OP_RMDIR, &pb, &db);
	if (r == 0 && (da || db)) /* either ends in '/': a directory is renamed */
		r = must_be_dir(&pa);
	if (r)
		return r;
	if (path_equal(&pa, &pb))
		return 0;
	path_format(&pa, a, sizeof a);
	path_format(&pb, b, sizeof b);
	status_t s;
	int tries = 0;
	do {
		s = vfs_rename(keel_vfs_lock(), fs.root, a, fs.root, b);
		keel_vfs_unlock();
	} while (renewed(s, &tries));
	if (s == STATUS_BUSY) {
		/* Replacing a file that is open (a non-empty directory is
		 * ENOTEMPTY). */
		struct stat sb;
		if (stat_found(&pb, &sb) == 0 && !S_ISDIR(sb.st_mode))
			return -EBUSY;
	}
	if (s == STATUS_INVALID) {
		/* A file onto a directory is EISDIR, a directory onto a file
		 * ENOTDIR; what is left is a directory into itself. */
		struct stat sa, sb;
		if (stat_found(&pa, &sa) == 0 && stat_found(&pb, &sb) == 0 &&
		    S_ISDIR(sa.st_mode) != S_ISDIR(sb.st_mode))
			return S_ISDIR(sb.st_mode) ? -EISDIR : -ENOTDIR;
	}
	return keel_vfs_errno(s, -EINVAL);
}

long keel_sys_rename(const long a[6])
{
	return rename_at(AT_FDCWD, (const char *)a[0], AT_FDCWD, (const char *)a[1]);
}

long keel_sys_renameat(const long a[6])
{
	return rename_at((int)a[0], (const char *)a[1], (int)a[2], (const char *)a[3]);
}

/* The times of utimensat's times[] (atime, then mtime; NULL: both now)
 * as VFS_SETTIMES flags and seconds: 0, or -EINVAL for a bad tv_nsec. */
static long times_of(const struct timespec *ts, uint32_t *flags, int64_t t[2])
{
	static const uint32_t given[2] = { VFS_TIME_ATIME, VFS_TIME_MTIME },
			      now[2] = { VFS_TIME_ATIME_NOW, VFS_TIME_MTIME_NOW };
	*flags = 0;
	for (int i = 0; i < 2; i++) {
		t[i] = 0;
		if (!ts || ts[i].tv_nsec == UTIME_NOW)
			*flags |= now[i];
		else if (ts[i].tv_nsec == UTIME_OMIT)
			continue;
		else if (ts[i].tv_nsec < 0 || ts[i].tv_nsec >= 1000000000)
			return -EINVAL;
		else
			*flags |= given[i], t[i] = ts[i].tv_sec;
	}
	return 0;
}

/* futimens: on a vfsd file or directory, through its own record (which
 * must have been opened for writing: EACCES otherwise); the other kinds
 * keep no times (EROFS). */
static long times_of_fd(int fd, uint32_t flags, const int64_t t[2])
{
	struct keel_file *f = fdt_get(keel_fdt(), fd);
	if (!f)
		return -EBADF;
	long r = -EROFS;
	if (f->kind == KEEL_FD_FILE) {
		status_t s = vfs_settimes(keel_vfs_lock(), f->caps[0], flags, t[1], t[0]);
		keel_vfs_unlock();
		r = s == STATUS_NO_RIGHTS ? -EACCES : keel_vfs_errno(s, -EINVAL);
	}
	fdt_put(keel_fdt(), f);
	return r;
}

struct times_arg {
	uint32_t flags;
	int64_t atime, mtime;
};

static status_t settimes_of(struct vfs_client *c, cap_handle_t obj, const void *arg)
{
	const struct times_arg *ta = arg;
	return vfs_settimes(c, obj, ta->flags, ta->mtime, ta->atime);
}

/* utimensat, and futimens (a NULL path: dirfd is the file). The root of
 * the volume has no times to keep (FAT has no entry for it): setting them
 * succeeds and changes nothing, as Linux's vfat does. /dev and /bundle
 * keep none: EROFS. */
long keel_sys_utimensat(const long a[6])
{
	const char *text = (const char *)a[1];
	uint32_t flags;
	int64_t t[2];
	if (a[3] & ~(long)AT_SYMLINK_NOFOLLOW) /* no links to follow or not */
		return -EINVAL;
	long r = times_of((const struct timespec *)a[2], &flags, t);
	if (r || !flags) /* both left out: nothing to look up, as on Linux */
		return r;
	if (!text)
		return times_of_fd((int)a[0], flags, t);
	struct path p;
	struct stat st;
	bool dir;
	if ((r = resolve_at((int)a[0], text, &p, &dir)))
		return r;
	if (path_count(&p) == 0)
		return 0;
	if (!on_vfs(&p)) { /* /dev, /bundle, or nothing without vfsd */
		r = keel_dev_owns(&p) || keel_bundle_owns(&p) ? dev_or_bundle_stat(&p, &st)
							      : -ENOENT;
		return r ? r : -EROFS;
	}
	struct times_arg ta = { flags, t[0], t[1] };
	status_t s = on_record_written(&p, dir ? VFS_O_DIR : 0, settimes_of, &ta);
	return s == STATUS_NO_RIGHTS ? -EACCES : keel_vfs_errno(s, -ENOTDIR);
}

/* What statfs says of the file systems the C library keeps itself, as
 * Linux's nearest kinds: /dev (tmpfs), /bundle (read-only), a pipe or the
 * console (pipefs): no blocks, so that df passes them over. */
#define FS_TMPFS 0x01021994
#define FS_ROMFS 0x7275
#define FS_PIPEFS 0x50495045
#define FS_MSDOS 0x4d44 /* what Linux's vfat says */

static void statfs_empty(long type, unsigned long flags, struct statfs *out)
{
	memset(out, 0, sizeof *out);
	out->f_type = type;
	out->f_bsize = out->f_frsize = 4096;
	out->f_namelen = PATH_COMPONENT_MAX;
	out->f_flags = flags;
}

/* statfs of the vfsd volume through obj, any record of it. */
static long statfs_vfs(cap_handle_t obj, struct statfs *out)
{
	struct vfs_statfs v;
	status_t s = vfs_statfs(keel_vfs_lock(), obj, &v);
	keel_vfs_unlock();
	if (s)
		return keel_vfs_errno(s, -EIO);
	memset(out, 0, sizeof *out);
	out->f_type = FS_MSDOS;
	out->f_bsize = out->f_frsize = v.cluster_bytes;
	out->f_blocks = v.clusters;
	out->f_bfree = out->f_bavail = v.free_clusters;
	out->f_fsid.__val[0] = (int)v.serial; /* FAT keeps no count of files: f_files 0 */
	out->f_namelen = v.name_max;
	out->f_flags = v.flags & VFS_FS_READ_ONLY ? ST_RDONLY : 0;
	return 0;
}

/* statfs: the file system a path is on; it must exist. */
long keel_sys_statfs(const long a[6])
{
	struct statfs *out = (struct statfs *)a[1];
	struct stat st;
	struct path p;
	long r = keel_sys_stat_at(AT_FDCWD, (const char *)a[0], &st);
	if (r == 0)
		r = lookup(AT_FDCWD, (const char *)a[0], &p);
	if (r)
		return r;
	if (on_vfs(&p)) {
		int tries = 0;
		do
			r = statfs_vfs(fs.root, out);
		while (r == -ESTALE && renewed(STATUS_STALE, &tries));
		return r;
	}
	if (path_count(&p) && keel_dev_owns(&p))
		statfs_empty(FS_TMPFS, 0, out);
	else
		statfs_empty(FS_ROMFS, ST_RDONLY, out); /* /bundle, or "/" without vfsd */
	return 0;
}

long keel_sys_fstatfs(const long a[6])
{
	struct statfs *out = (struct statfs *)a[1];
	struct keel_file *f = fdt_get(keel_fdt(), (int)a[0]);
	if (!f)
		return -EBADF;
	long r = 0;
	if (f->kind == KEEL_FD_FILE)
		r = statfs_vfs(f->caps[0], out);
	else if (f->kind == KEEL_FD_DEVICE)
		statfs_empty(FS_TMPFS, 0, out);
	else if (f->kind == KEEL_FD_BUNDLE)
		statfs_empty(FS_ROMFS, ST_RDONLY, out);
	else
		statfs_empty(FS_PIPEFS, 0, out);
	fdt_put(keel_fdt(), f);
	return r;
}

long keel_sys_truncate(const long a[6])
{
	long fd = open_at(AT_FDCWD, (const char *)a[0], O_WRONLY);
	if (fd < 0)
		return fd;
	const long b[6] = { fd, a[1], 0, 0, 0, 0 };
	long r = keel_sys_ftruncate(b);
	fdt_close(keel_fdt(), (int)fd);
	return r;
}
