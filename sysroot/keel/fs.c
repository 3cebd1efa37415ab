/*
 * fs.c - the calls that take paths.
 *
 * The process's file-system view is a root directory capability and a
 * working directory below it (resolve.h). vfsd, which will answer for
 * directory capabilities, does not exist yet, so a process has no root
 * capability and nothing is found: after its text is resolved (which can
 * fail on its own - ENAMETOOLONG, EINVAL, ENOENT for ""), every path is
 * ENOENT, for lookups and creations alike (no directory exists to create
 * in) - except the read-only files of the boot bundle under /bundle
 * (bundle.c; changing anything there is EROFS). The root itself, "/", is the one directory that always resolves:
 * stat says it is a read-only directory, chdir("/") succeeds, getcwd
 * follows the working directory, and opening it is EACCES (there is no
 * capability to open it with) or EISDIR (for writing).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"
#include "bundle.h"
#include "fdsys.h"
#include "resolve.h"

struct keel_fs {
	cap_handle_t root; /* directory capability of "/"; none until vfsd */
	struct path cwd;   /* the working directory, below root */
	int umask;
};

static struct keel_fs fs = { .root = CAP_HANDLE_NONE, .cwd = { 0, 0, { 0 }, { 0 } }, .umask = 022 };

/* Resolves text from dirfd (AT_FDCWD, or a directory descriptor) and looks
 * it up: today that finds nothing but the root. */
static long lookup(int dirfd, const char *text, struct path *out)
{
	bool dir;
	if (text && text[0] != '/' && dirfd != AT_FDCWD) {
		struct keel_file *f = fdt_get(keel_fdt(), dirfd);
		if (!f)
			return -EBADF;
		fdt_put(keel_fdt(), f);
		return -ENOTDIR; /* no kind of descriptor is a directory yet */
	}
	long r = keel_resolve(&fs.cwd, text, out, &dir);
	if (r)
		return r;
	if (path_count(out) == 0 || keel_bundle_owns(out))
		return 0;
	return -ENOENT;
}

/* open on the root directory would need its capability: none yet. */
static long open_at(int dirfd, const char *text, int flags)
{
	struct path p;
	long r = lookup(dirfd, text, &p);
	if (r)
		return r;
	if (path_count(&p))
		return keel_bundle_open(&p, flags);
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

/* stat and lstat: the root is a directory no one may write. */
long keel_sys_stat_at(int dirfd, const char *text, struct stat *st)
{
	struct path p;
	long r = lookup(dirfd, text, &p);
	if (r == 0 && path_count(&p))
		return keel_bundle_stat(&p, st);
	if (r == 0) {
		memset(st, 0, sizeof *st);
		st->st_mode = S_IFDIR | 0555;
		st->st_nlink = 2;
	}
	return r;
}

long keel_sys_stat(const long a[6])
{
	return keel_sys_stat_at(AT_FDCWD, (const char *)a[0], (struct stat *)a[1]);
}

static long access_at(int dirfd, const char *text, int mode)
{
	struct path p;
	struct stat st;
	long r = lookup(dirfd, text, &p);
	if (r == 0 && path_count(&p))
		r = keel_bundle_stat(&p, &st);
	return r ? r : (mode & W_OK) ? -EROFS : 0;
}

long keel_sys_access(const long a[6])
{
	return access_at(AT_FDCWD, (const char *)a[0], (int)a[1]);
}

long keel_sys_faccessat(const long a[6])
{
	return access_at((int)a[0], (const char *)a[1], (int)a[2]);
}

/* unlink, mkdir, rename, ...: the first argument is a path; the root
 * itself cannot be changed (EBUSY). */
long keel_sys_path_op(const long a[6])
{
	struct path p;
	long r = lookup(AT_FDCWD, (const char *)a[0], &p);
	return r ? r : path_count(&p) ? -EROFS : -EBUSY;
}

/* unlinkat, mkdirat, ...: a directory descriptor, then a path. */
long keel_sys_path_op_at(const long a[6])
{
	struct path p;
	long r = lookup((int)a[0], (const char *)a[1], &p);
	return r ? r : path_count(&p) ? -EROFS : -EBUSY;
}

long keel_sys_readlink(const long a[6])
{
	struct path p;
	long r = lookup(AT_FDCWD, (const char *)a[0], &p);
	if (r == 0 && path_count(&p)) {
		struct stat st;
		r = keel_bundle_stat(&p, &st);
	}
	return r ? r : -EINVAL; /* no symbolic links here */
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
	if (r == 0 && path_count(&p))
		r = keel_bundle_stat(&p, &st);
	if (r == 0 && path_count(&p) && !S_ISDIR(st.st_mode))
		r = -ENOTDIR;
	if (r == 0)
		fs.cwd = p;
	return r;
}

long keel_sys_umask(const long a[6])
{
	int old = fs.umask;
	fs.umask = (int)a[0] & 0777;
	return old;
}
