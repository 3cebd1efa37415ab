/*
 * The C library's file calls over vfsd, against Linux. One script of
 * system calls (open, read, write, lseek, fstat, stat, ftruncate, fsync,
 * getdents64, mkdir, rmdir, unlink, rename, the *at forms, chdir,
 * getcwd, truncate, utimensat, futimens, statfs and fstatfs) runs twice: through Keel's back-end (__keel_syscall,
 * sysroot/keel) with keel_fs_attach() given a root capability of a real
 * vfsd running under the host port, and through Linux's own calls in a
 * scratch directory. Both runs print what each call returned (-errno on
 * failure) and what it read; the two logs must be identical. Afterwards
 * fsck.fat finds the volume clean.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "harness.h"

long __keel_syscall(long n, long a1, long a2, long a3, long a4, long a5, long a6);
void keel_fs_attach(cap_handle_t root, const char *cwd);

typedef long sysfn(long n, long a, long b, long c, long d);

static long keel_call(long n, long a, long b, long c, long d)
{
	return __keel_syscall(n, a, b, c, d, 0, 0);
}

static long linux_call(long n, long a, long b, long c, long d)
{
	long r = syscall(n, a, b, c, d);
	return r == -1 ? -errno : r;
}

/* The log of one run. */
struct run {
	sysfn *sc;
	const char *base; /* what getcwd shows for the start directory */
	char log[1 << 18];
	size_t len;
};

static void say(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct run *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(r->log + r->len, sizeof r->log - r->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		r->len += (size_t)n < sizeof r->log - r->len ? (size_t)n
							     : sizeof r->log - r->len - 1;
}

#define CALL(r, what, n, a, b, c, d)                                                               \
	({                                                                                         \
		long ret_ = (r)->sc((n), (long)(a), (long)(b), (long)(c), (long)(d));              \
		bool fd_ = (n) == SYS_open || (n) == SYS_openat; /* numbers differ */              \
		say((r), "%s -> %ld\n", (what), fd_ &&ret_ >= 0 ? 0 : ret_);                       \
		ret_;                                                                              \
	})

static void write_text(struct run *r, const char *path, int flags, const char *text, int times)
{
	long fd = CALL(r, path, SYS_open, path, flags, 0644, 0);
	for (int i = 0; i < times && fd >= 0; i++)
		r->sc(SYS_write, fd, (long)text, (long)strlen(text), 0);
	if (fd >= 0)
		CALL(r, "close", SYS_close, fd, 0, 0, 0);
}

static void stat_of(struct run *r, const char *path)
{
	struct stat st;
	long ret = CALL(r, path, SYS_newfstatat, AT_FDCWD, path, &st, 0);
	if (ret == 0)
		say(r, "  %s size %lld\n", S_ISDIR(st.st_mode) ? "dir" : "file",
		    (long long)(S_ISDIR(st.st_mode) ? 0 : st.st_size));
}

/* Whether two stats name the same object (st_dev and st_ino, as cp and
 * test -ef ask). */
static int same(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* Identity: two files, two directories, one file by two paths and
 * through a descriptor, a file renamed and one made in its place. */
static void identity_calls(struct run *r)
{
	struct stat a, b, c;
	write_text(r, "d/b2.txt", O_CREAT | O_WRONLY | O_TRUNC, "x", 1);
	r->sc(SYS_newfstatat, AT_FDCWD, (long)"d/a.txt", (long)&a, 0);
	r->sc(SYS_newfstatat, AT_FDCWD, (long)"d/b2.txt", (long)&b, 0);
	say(r, "two files the same %d\n", same(&a, &b));
	r->sc(SYS_newfstatat, AT_FDCWD, (long)"d/./a.txt", (long)&b, 0);
	say(r, "one file by two paths the same %d\n", same(&a, &b));
	long fd = r->sc(SYS_open, (long)"d/a.txt", O_RDONLY, 0, 0);
	r->sc(SYS_fstat, fd, (long)&b, 0, 0);
	r->sc(SYS_close, fd, 0, 0, 0);
	say(r, "fstat and stat the same %d\n", same(&a, &b));
	CALL(r, "mkdir e", SYS_mkdir, "d/e", 0755, 0, 0);
	r->sc(SYS_newfstatat, AT_FDCWD, (long)"d", (long)&b, 0);
	r->sc(SYS_newfstatat, AT_FDCWD, (long)"d/e", (long)&c, 0);
	say(r, "two directories the same %d\n", same(&b, &c));
	r->sc(SYS_newfstatat, AT_FDCWD, (long)"d/e/..", (long)&c, 0);
	say(r, "a directory and its child's .. the same %d\n", same(&b, &c));
	say(r, "a directory and a file the same %d\n", same(&a, &b));
	CALL(r, "rmdir e", SYS_rmdir, "d/e", 0, 0, 0);
	CALL(r, "rename b2", SYS_rename, "d/b2.txt", "d/b3.txt", 0, 0);
	write_text(r, "d/b2.txt", O_CREAT | O_WRONLY | O_TRUNC, "y", 1);
	r->sc(SYS_newfstatat, AT_FDCWD, (long)"d/b2.txt", (long)&b, 0);
	r->sc(SYS_newfstatat, AT_FDCWD, (long)"d/b3.txt", (long)&c, 0);
	say(r, "renamed and new the same %d\n", same(&b, &c));
	CALL(r, "unlink b2", SYS_unlink, "d/b2.txt", 0, 0, 0);
	CALL(r, "unlink b3", SYS_unlink, "d/b3.txt", 0, 0, 0);
}

/* Reading, seeking, appending, truncating one file. */
static void file_calls(struct run *r)
{
	char buf[64] = { 0 };
	struct stat st;
	CALL(r, "mkdir d", SYS_mkdir, "d", 0755, 0, 0);
	CALL(r, "mkdir d again", SYS_mkdir, "d", 0755, 0, 0);
	write_text(r, "d/a.txt", O_CREAT | O_WRONLY | O_TRUNC, "hello world\n", 100);
	long fd = CALL(r, "open ro", SYS_open, "d/a.txt", O_RDONLY, 0, 0);
	CALL(r, "lseek 6", SYS_lseek, fd, 6, SEEK_SET, 0);
	CALL(r, "read 5", SYS_read, fd, buf, 5, 0);
	say(r, "  read '%s'\n", buf);
	CALL(r, "lseek end", SYS_lseek, fd, 0, SEEK_END, 0);
	CALL(r, "read at end", SYS_read, fd, buf, 5, 0);
	CALL(r, "write ro", SYS_write, fd, "x", 1, 0);
	CALL(r, "fstat", SYS_fstat, fd, &st, 0, 0);
	say(r, "  reg %d size %lld\n", S_ISREG(st.st_mode), (long long)st.st_size);
	CALL(r, "close", SYS_close, fd, 0, 0, 0);
	write_text(r, "d/a.txt", O_WRONLY | O_APPEND, "tail\n", 1);
	stat_of(r, "d/a.txt");
	fd = CALL(r, "open rw", SYS_open, "d/a.txt", O_RDWR, 0, 0);
	CALL(r, "ftruncate 10", SYS_ftruncate, fd, 10, 0, 0);
	CALL(r, "ftruncate 5000", SYS_ftruncate, fd, 5000, 0, 0);
	CALL(r, "pread 4990", SYS_pread64, fd, buf, 20, 4990);
	say(r, "  zero %d\n", buf[0] == 0 && buf[9] == 0);
	CALL(r, "pwrite 4998", SYS_pwrite64, fd, "END", 3, 4998);
	CALL(r, "fsync", SYS_fsync, fd, 0, 0, 0);
	CALL(r, "fstat", SYS_fstat, fd, &st, 0, 0);
	say(r, "  size %lld\n", (long long)st.st_size);
	CALL(r, "close", SYS_close, fd, 0, 0, 0);
	CALL(r, "truncate 3", SYS_truncate, "d/a.txt", 3, 0, 0);
	stat_of(r, "d/a.txt");
	CALL(r, "close bad", SYS_close, 99, 0, 0, 0);
	identity_calls(r);
}

static void mtime_of(struct run *r, const char *path)
{
	struct stat st;
	if (CALL(r, path, SYS_newfstatat, AT_FDCWD, path, &st, 0) == 0)
		say(r, "  mtime %lld\n", (long long)st.st_mtime);
}

/* utimensat and futimens: the modification times as set (even seconds:
 * FAT keeps two-second steps), a time left out kept, the errors. */
static void time_calls(struct run *r)
{
	struct timespec ts[2] = { { 1000000000, 0 }, { 1234567890, 0 } };
	write_text(r, "d/t.txt", O_CREAT | O_WRONLY | O_TRUNC, "x", 1);
	CALL(r, "utimensat", SYS_utimensat, AT_FDCWD, "d/t.txt", ts, 0);
	mtime_of(r, "d/t.txt");
	ts[0].tv_sec = 1500000000;
	ts[1].tv_nsec = UTIME_OMIT;
	CALL(r, "utimensat atime only", SYS_utimensat, AT_FDCWD, "d/t.txt", ts, 0);
	mtime_of(r, "d/t.txt");
	ts[0].tv_nsec = UTIME_OMIT;
	CALL(r, "utimensat both left out", SYS_utimensat, AT_FDCWD, "d/t.txt", ts, 0);
	ts[1] = (struct timespec){ 1300000000, 0 };
	CALL(r, "utimensat missing", SYS_utimensat, AT_FDCWD, "d/nope", ts, 0);
	mtime_of(r, "d/*.txt"); /* a glob that matched nothing, as ls gets it */
	CALL(r, "unlink d/a:b", SYS_unlink, "d/a:b", 0, 0, 0);
	CALL(r, "utimensat file/", SYS_utimensat, AT_FDCWD, "d/t.txt/", ts, 0);
	CALL(r, "utimensat bad flags", SYS_utimensat, AT_FDCWD, "d/t.txt", ts, 0x1234);
	CALL(r, "utimensat dir", SYS_utimensat, AT_FDCWD, "d", ts, 0);
	mtime_of(r, "d");
	ts[1].tv_nsec = 1000000000;
	CALL(r, "utimensat bad nsec", SYS_utimensat, AT_FDCWD, "d/t.txt", ts, 0);
	ts[1] = (struct timespec){ 1400000000, 0 };
	long fd = CALL(r, "open rw", SYS_open, "d/t.txt", O_RDWR, 0, 0);
	CALL(r, "futimens", SYS_utimensat, fd, NULL, ts, 0);
	CALL(r, "close", SYS_close, fd, 0, 0, 0);
	mtime_of(r, "d/t.txt");
	CALL(r, "futimens bad fd", SYS_utimensat, 99, NULL, ts, 0);
	CALL(r, "utimensat now", SYS_utimensat, AT_FDCWD, "d/t.txt", NULL, 0);
	CALL(r, "unlink t.txt", SYS_unlink, "d/t.txt", 0, 0, 0);
}

/* statfs and fstatfs: what is found and what is refused, and that a
 * path and a descriptor on the volume give the same figures and that
 * writing takes free blocks (the figures themselves differ: see
 * statfs_reports_the_volume_as_mtools_counts). */
static void statfs_calls(struct run *r)
{
	struct statfs a, b;
	write_text(r, "d/s.txt", O_CREAT | O_WRONLY | O_TRUNC, "x", 1);
	CALL(r, "statfs file", SYS_statfs, "d/s.txt", &a, 0, 0);
	CALL(r, "statfs dir", SYS_statfs, "d", &a, 0, 0);
	CALL(r, "statfs missing", SYS_statfs, "d/nope", &a, 0, 0);
	CALL(r, "statfs file/", SYS_statfs, "d/s.txt/", &a, 0, 0);
	stat_of(r, "d/s.txt/");
	CALL(r, "access file/", SYS_access, "d/s.txt/", F_OK, 0, 0);
	CALL(r, "access dir/", SYS_access, "d/", F_OK, 0, 0);
	stat_of(r, "d/");
	CALL(r, "statfs empty", SYS_statfs, "", &a, 0, 0);
	long fd = CALL(r, "open", SYS_open, "d/s.txt", O_RDWR, 0, 0);
	CALL(r, "fstatfs", SYS_fstatfs, fd, &b, 0, 0);
	say(r, "  same blocks %d, free at most the total %d\n",
	    a.f_blocks == b.f_blocks && a.f_bsize == b.f_bsize, b.f_bfree <= b.f_blocks);
	static char big[256 * 1024];
	r->sc(SYS_write, fd, (long)big, sizeof big, 0);
	CALL(r, "fsync", SYS_fsync, fd, 0, 0, 0);
	CALL(r, "fstatfs", SYS_fstatfs, fd, &b, 0, 0);
	say(r, "  fewer free after 256 KiB %d\n", b.f_bfree < a.f_bfree);
	CALL(r, "close", SYS_close, fd, 0, 0, 0);
	CALL(r, "fstatfs bad fd", SYS_fstatfs, 99, &b, 0, 0);
	CALL(r, "unlink s.txt", SYS_unlink, "d/s.txt", 0, 0, 0);
}

/* Files in d/sub: more than one batch of the C library's readdir. */
#define SUB_FILES 600

/* Lists dir with a small buffer (several calls), names sorted. */
static void list_names(struct run *r, const char *dir)
{
	static char names[640][64];
	char buf[200];
	int n = 0;
	long fd = CALL(r, dir, SYS_open, dir, O_RDONLY | O_DIRECTORY, 0, 0), got;
	while (fd >= 0 && (got = r->sc(SYS_getdents64, fd, (long)buf, sizeof buf, 0)) > 0)
		for (long off = 0; off < got;) {
			struct dirent *d = (struct dirent *)(void *)(buf + off);
			if (n < 640)
				snprintf(names[n++], sizeof names[0], "%s%s", d->d_name,
					 d->d_type == DT_DIR ? "/" : "");
			off += d->d_reclen;
		}
	qsort(names, (size_t)n, sizeof names[0], (int (*)(const void *, const void *))strcmp);
	say(r, "  %d entries:", n);
	for (int i = 0; i < n; i++)
		say(r, " %s", names[i]);
	say(r, "\n");
	if (fd >= 0)
		CALL(r, "close", SYS_close, fd, 0, 0, 0);
}

/* Names: renames, many entries, the errors of each call. */
static void name_calls(struct run *r)
{
	char p[64];
	CALL(r, "rename a b", SYS_rename, "d/a.txt", "d/b.txt", 0, 0);
	stat_of(r, "d/a.txt");
	stat_of(r, "d/b.txt");
	CALL(r, "mkdir sub", SYS_mkdir, "d/sub", 0755, 0, 0);
	for (int i = 0; i < SUB_FILES; i++) {
		snprintf(p, sizeof p, "d/sub/file number %03d.txt", i);
		write_text(r, p, O_CREAT | O_WRONLY | O_EXCL, "x", i % 40);
	}
	list_names(r, "d/sub");
	list_names(r, "d");
	CALL(r, "rmdir non-empty", SYS_rmdir, "d/sub", 0, 0, 0);
	CALL(r, "unlink dir", SYS_unlink, "d/sub", 0, 0, 0);
	CALL(r, "rmdir file", SYS_rmdir, "d/b.txt", 0, 0, 0);
	CALL(r, "open through file", SYS_open, "d/b.txt/x", O_RDONLY, 0, 0);
	CALL(r, "open dir for writing", SYS_open, "d", O_WRONLY, 0, 0);
	CALL(r, "open missing", SYS_open, "nope", O_RDONLY, 0, 0);
	CALL(r, "open file as dir", SYS_open, "d/b.txt", O_RDONLY | O_DIRECTORY, 0, 0);
	CALL(r, "open excl existing", SYS_open, "d/b.txt", O_CREAT | O_EXCL | O_WRONLY, 0644, 0);
	CALL(r, "mkdir in missing", SYS_mkdir, "nope/x", 0755, 0, 0);
	CALL(r, "rename missing", SYS_rename, "nope", "d/x", 0, 0);
	CALL(r, "rename over file", SYS_rename, "d/sub/file number 000.txt", "d/b.txt", 0, 0);
	stat_of(r, "d/b.txt");
}

/* The working directory, "..", and the *at calls. */
/* Edges of renaming, removing and opening, where Linux answers with a
 * particular errno. */
static void edge_calls(struct run *r)
{
	char buf[64], name[300];
	CALL(r, "mkdir e1", SYS_mkdir, "d/e1", 0755, 0, 0);
	CALL(r, "mkdir e2", SYS_mkdir, "d/e2", 0755, 0, 0);
	write_text(r, "d/e2/in", O_CREAT | O_WRONLY, "x", 1);
	CALL(r, "rename dir into itself", SYS_rename, "d/e1", "d/e1/x", 0, 0);
	CALL(r, "rename dir onto non-empty dir", SYS_rename, "d/e1", "d/e2", 0, 0);
	CALL(r, "rename file onto dir", SYS_rename, "d/b.txt", "d/e1", 0, 0);
	CALL(r, "rename dir onto file", SYS_rename, "d/e1", "d/b.txt", 0, 0);
	CALL(r, "rename to itself", SYS_rename, "d/b.txt", "d/b.txt", 0, 0);
	CALL(r, "rename dir onto empty dir", SYS_rename, "d/e2", "d/e1", 0, 0);
	stat_of(r, "d/e1/in");
	stat_of(r, "d/e2");
	CALL(r, "mkdir over file", SYS_mkdir, "d/b.txt", 0755, 0, 0);
	CALL(r, "mkdir dir/", SYS_mkdir, "d/e1/", 0755, 0, 0);
	CALL(r, "unlink file/", SYS_unlink, "d/b.txt/", 0, 0, 0);
	CALL(r, "rmdir missing", SYS_rmdir, "d/nope", 0, 0, 0);
	CALL(r, "open create dir/", SYS_open, "d/newfile/", O_CREAT | O_WRONLY, 0644, 0);
	CALL(r, "open create over dir", SYS_open, "d/e1", O_CREAT | O_WRONLY, 0644, 0);
	CALL(r, "open create file/", SYS_open, "d/b.txt/", O_CREAT | O_WRONLY, 0644, 0);
	CALL(r, "open create dir/ ro", SYS_open, "d/e1/", O_CREAT | O_RDONLY, 0644, 0);
	CALL(r, "open missing/", SYS_open, "d/nope/", O_RDONLY, 0, 0);
	CALL(r, "unlink dir/", SYS_unlink, "d/e1/", 0, 0, 0);
	CALL(r, "unlink missing/", SYS_unlink, "d/nope/", 0, 0, 0);
	CALL(r, "rmdir file/", SYS_rmdir, "d/b.txt/", 0, 0, 0);
	CALL(r, "rename file/", SYS_rename, "d/b.txt/", "d/x", 0, 0);
	CALL(r, "rename to x/", SYS_rename, "d/b.txt", "d/x/", 0, 0);
	CALL(r, "rename missing/", SYS_rename, "d/nope/", "d/x", 0, 0);
	CALL(r, "rename dir to x/", SYS_rename, "d/e1", "d/x/", 0, 0);
	CALL(r, "rename x/ back", SYS_rename, "d/x/", "d/e1", 0, 0);
	stat_of(r, "d/b.txt");
	long fd = CALL(r, "open dir", SYS_open, "d/e1", O_RDONLY, 0, 0);
	CALL(r, "read dir", SYS_read, fd, buf, sizeof buf, 0);
	CALL(r, "close", SYS_close, fd, 0, 0, 0);
	fd = CALL(r, "open ro", SYS_open, "d/b.txt", O_RDONLY, 0, 0);
	CALL(r, "ftruncate ro", SYS_ftruncate, fd, 0, 0, 0);
	CALL(r, "lseek before start", SYS_lseek, fd, -1, SEEK_SET, 0);
	CALL(r, "lseek bad whence", SYS_lseek, fd, 0, 9, 0);
	CALL(r, "getdents on a file", SYS_getdents64, fd, buf, sizeof buf, 0);
	CALL(r, "close", SYS_close, fd, 0, 0, 0);
	fd = CALL(r, "open rw", SYS_open, "d/b.txt", O_RDWR, 0, 0);
	CALL(r, "ftruncate negative", SYS_ftruncate, fd, -1, 0, 0);
	CALL(r, "close", SYS_close, fd, 0, 0, 0);
	fd = CALL(r, "open append", SYS_open, "d/b.txt", O_WRONLY | O_APPEND, 0, 0);
	CALL(r, "pwrite append", SYS_pwrite64, fd, "PW", 2, 0);
	CALL(r, "close", SYS_close, fd, 0, 0, 0);
	stat_of(r, "d/b.txt");
	CALL(r, "chdir empty", SYS_chdir, "", 0, 0, 0);
	CALL(r, "rmdir empty", SYS_rmdir, "", 0, 0, 0);
	memset(name, 'n', sizeof name);
	memcpy(name, "d/", 2);
	name[299] = 0;
	CALL(r, "mkdir long name", SYS_mkdir, name, 0755, 0, 0);
	/* A gap written past the end reads as zeros; empty reads and writes. */
	fd = CALL(r, "open rw", SYS_open, "d/b.txt", O_RDWR, 0, 0);
	CALL(r, "lseek past end", SYS_lseek, fd, 10000, SEEK_SET, 0);
	CALL(r, "write past end", SYS_write, fd, "X", 1, 0);
	memset(buf, 1, sizeof buf);
	CALL(r, "pread the gap", SYS_pread64, fd, buf, 8, 5000);
	say(r, "  zeros %d\n", buf[0] == 0 && buf[7] == 0);
	CALL(r, "read 0", SYS_read, fd, buf, 0, 0);
	CALL(r, "write 0", SYS_write, fd, buf, 0, 0);
	long fd2 = r->sc(SYS_dup, fd, 0, 0, 0);
	say(r, "dup %s\n", fd2 > fd ? "ok" : "failed");
	CALL(r, "lseek 3 on one", SYS_lseek, fd, 3, SEEK_SET, 0);
	CALL(r, "the other's offset", SYS_lseek, fd2, 0, SEEK_CUR, 0);
	CALL(r, "close dup", SYS_close, fd2, 0, 0, 0);
	CALL(r, "close", SYS_close, fd, 0, 0, 0);
	stat_of(r, "d/b.txt");
	/* An open file renamed (removing it is Keel's own: see
	 * an_open_file_is_not_removed). */
	write_text(r, "d/open.txt", O_CREAT | O_WRONLY | O_TRUNC, "kept", 1);
	fd = CALL(r, "open it", SYS_open, "d/open.txt", O_RDONLY, 0, 0);
	CALL(r, "rename the open file", SYS_rename, "d/open.txt", "d/open2.txt", 0, 0);
	CALL(r, "read after rename", SYS_pread64, fd, buf, 4, 0);
	CALL(r, "close", SYS_close, fd, 0, 0, 0);
	CALL(r, "unlink it after close", SYS_unlink, "d/open2.txt", 0, 0, 0);
	CALL(r, "unlink e1/in", SYS_unlink, "d/e1/in", 0, 0, 0);
	CALL(r, "rmdir e1", SYS_rmdir, "d/e1", 0, 0, 0);
}

static void dir_calls(struct run *r)
{
	char cwd[512] = { 0 }, buf[16] = { 0 };
	CALL(r, "chdir", SYS_chdir, "d/sub", 0, 0, 0);
	long n = r->sc(SYS_getcwd, (long)cwd, sizeof cwd, 0, 0);
	say(r, "getcwd %s %s\n", n > 0 ? "ok" : "failed", cwd + strlen(r->base));
	stat_of(r, "../b.txt");
	stat_of(r, "file number 005.txt");
	CALL(r, "chdir to file", SYS_chdir, "../b.txt", 0, 0, 0);
	CALL(r, "chdir back", SYS_chdir, "../..", 0, 0, 0);
	long dfd = CALL(r, "open d", SYS_open, "d", O_RDONLY | O_DIRECTORY, 0, 0);
	long fd = CALL(r, "openat", SYS_openat, dfd, "sub/file number 007.txt", O_RDONLY, 0);
	CALL(r, "read", SYS_read, fd, buf, sizeof buf, 0);
	CALL(r, "close", SYS_close, fd, 0, 0, 0);
	CALL(r, "unlinkat", SYS_unlinkat, dfd, "sub/file number 007.txt", 0, 0);
	CALL(r, "mkdirat", SYS_mkdirat, dfd, "new", 0755, 0);
	CALL(r, "renameat", SYS_renameat, dfd, "new", dfd, "new2");
	CALL(r, "unlinkat dir", SYS_unlinkat, dfd, "new2", AT_REMOVEDIR, 0);
	CALL(r, "openat on a file fd", SYS_openat, 0 + fd, "x", O_RDONLY, 0);
	CALL(r, "fchdir", SYS_fchdir, dfd, 0, 0, 0);
	n = r->sc(SYS_getcwd, (long)cwd, sizeof cwd, 0, 0);
	say(r, "getcwd %s %s\n", n > 0 ? "ok" : "failed", cwd + strlen(r->base));
	stat_of(r, "b.txt");
	char lnk[16];
	CALL(r, "readlink a file", SYS_readlink, "b.txt", lnk, sizeof lnk, 0);
	CALL(r, "readlinkat a dir", SYS_readlinkat, AT_FDCWD, "sub", lnk, sizeof lnk);
	CALL(r, "readlinkat missing", SYS_readlinkat, dfd, "nope", lnk, sizeof lnk);
	CALL(r, "sync", SYS_sync, 0, 0, 0, 0);
	CALL(r, "syncfs", SYS_syncfs, dfd, 0, 0, 0);
	CALL(r, "syncfs bad fd", SYS_syncfs, 99, 0, 0, 0);
	CALL(r, "fchdir bad fd", SYS_fchdir, 99, 0, 0, 0);
	fd = CALL(r, "open a file", SYS_open, "b.txt", O_RDONLY, 0, 0);
	CALL(r, "fchdir to a file", SYS_fchdir, fd, 0, 0, 0);
	CALL(r, "close", SYS_close, fd, 0, 0, 0);
	CALL(r, "chdir back", SYS_chdir, "..", 0, 0, 0);
	CALL(r, "close d", SYS_close, dfd, 0, 0, 0);
}

/* Removes everything: the volume ends as it began. */
static void cleanup(struct run *r)
{
	char p[64];
	for (int i = 1; i < SUB_FILES; i++) {
		snprintf(p, sizeof p, "d/sub/file number %03d.txt", i);
		r->sc(SYS_unlink, (long)p, 0, 0, 0);
	}
	CALL(r, "rmdir sub", SYS_rmdir, "d/sub", 0, 0, 0);
	CALL(r, "unlink b", SYS_unlink, "d/b.txt", 0, 0, 0);
	CALL(r, "rmdir d", SYS_rmdir, "d", 0, 0, 0);
	stat_of(r, "d");
}

static void script(struct run *r)
{
	file_calls(r);
	time_calls(r);
	statfs_calls(r);
	name_calls(r);
	edge_calls(r);
	dir_calls(r);
	cleanup(r);
}

static struct run keel_run = { .sc = keel_call, .base = "/" };
static struct run linux_run = { .sc = linux_call };

TEST(file_calls_through_vfsd_answer_as_linux_does)
{
	static char base[600];
	snprintf(base, sizeof base, "%s/linux/", scratch);
	linux_run.base = base;
	CHECK_EQ(mkdir(base, 0755), 0);
	CHECK_EQ(chdir(base), 0);
	script(&linux_run);
	fresh_image();
	vfsd_start();
	cap_handle_t own;
	CHECK_EQ(vfs_dup(&cl, root, VFS_R_ALL, &own, NULL), STATUS_OK);
	keel_fs_attach(own, "/");
	script(&keel_run);
	if (getenv("VFSD_LIBC_LOG"))
		fputs(keel_run.log, stdout);
	if (strcmp(keel_run.log, linux_run.log) != 0) {
		FILE *a = fopen("/tmp/vfsd-libc.linux", "w"),
		     *b = fopen("/tmp/vfsd-libc.keel", "w");
		fputs(linux_run.log, a);
		fputs(keel_run.log, b);
		fclose(a);
		fclose(b);
		int st;
		char *out = sh(&st, "diff /tmp/vfsd-libc.linux /tmp/vfsd-libc.keel | head -40");
		printf("Linux (<) and Keel (>) differ:\n%s", out);
		free(out);
	}
	CHECK(strcmp(keel_run.log, linux_run.log) == 0);
	CHECK(keel_run.len > 2000);
	keel_fs_attach(CAP_HANDLE_NONE, "/"); /* closes the library's duplicate */
	vfsd_stop();
	image_clean();
}

/* Where Keel differs from Linux on purpose: a file that is open (here
 * or in another program) is not removed or replaced, as on FAT's home
 * systems; the call says EBUSY and the file is kept whole. */
TEST(an_open_file_is_not_removed)
{
	char buf[8] = { 0 };
	fresh_image();
	vfsd_start();
	cap_handle_t own;
	CHECK_EQ(vfs_dup(&cl, root, VFS_R_ALL, &own, NULL), STATUS_OK);
	keel_fs_attach(own, "/");
	write_text(&keel_run, "o.txt", O_CREAT | O_WRONLY | O_TRUNC, "kept", 1);
	write_text(&keel_run, "p.txt", O_CREAT | O_WRONLY | O_TRUNC, "other", 1);
	long fd = keel_call(SYS_open, (long)"o.txt", O_RDONLY, 0, 0);
	CHECK(fd >= 0);
	CHECK_EQ(keel_call(SYS_unlink, (long)"o.txt", 0, 0, 0), -EBUSY);
	CHECK_EQ(keel_call(SYS_rename, (long)"p.txt", (long)"o.txt", 0, 0), -EBUSY);
	CHECK_EQ(keel_call(SYS_pread64, fd, (long)buf, 4, 0), 4);
	CHECK_STR(buf, "kept");
	CHECK_EQ(keel_call(SYS_close, fd, 0, 0, 0), 0);
	CHECK_EQ(keel_call(SYS_unlink, (long)"o.txt", 0, 0, 0), 0);
	CHECK_EQ(keel_call(SYS_unlink, (long)"p.txt", 0, 0, 0), 0);
	keel_fs_attach(CAP_HANDLE_NONE, "/");
	vfsd_stop();
	image_clean();
}

/* What FAT cannot keep: a mode or owner change that would show is EPERM
 * (Linux's vfat says so too), one that changes nothing succeeds (cp -p);
 * links are EPERM; the name must exist. */
TEST(modes_owners_and_links_are_what_fat_keeps)
{
	fresh_image();
	vfsd_start();
	cap_handle_t own;
	CHECK_EQ(vfs_dup(&cl, root, VFS_R_ALL, &own, NULL), STATUS_OK);
	keel_fs_attach(own, "/");
	write_text(&keel_run, "m.txt", O_CREAT | O_WRONLY | O_TRUNC, "m", 1);
	CHECK_EQ(keel_call(SYS_mkdir, (long)"md", 0755, 0, 0), 0);
	CHECK_EQ(keel_call(SYS_chmod, (long)"m.txt", 0644, 0, 0), 0);
	CHECK_EQ(keel_call(SYS_chmod, (long)"m.txt", 0600, 0, 0), -EPERM);
	CHECK_EQ(keel_call(SYS_chmod, (long)"md", 0755, 0, 0), 0);
	CHECK_EQ(keel_call(SYS_fchmodat, AT_FDCWD, (long)"md", 0700, 0), -EPERM);
	CHECK_EQ(keel_call(SYS_chmod, (long)"nope", 0644, 0, 0), -ENOENT);
	CHECK_EQ(keel_call(SYS_chmod, (long)"m.txt/", 0644, 0, 0), -ENOTDIR);
	CHECK_EQ(keel_call(SYS_chown, (long)"m.txt", 0, 0, 0), 0);
	CHECK_EQ(keel_call(SYS_chown, (long)"m.txt", -1, -1, 0), 0);
	CHECK_EQ(keel_call(SYS_lchown, (long)"m.txt", 1000, -1, 0), -EPERM);
	CHECK_EQ(keel_call(SYS_fchownat, AT_FDCWD, (long)"m.txt", -1, 100), -EPERM);
	long fd = keel_call(SYS_open, (long)"m.txt", O_RDONLY, 0, 0);
	CHECK(fd >= 0);
	CHECK_EQ(keel_call(SYS_fchmod, fd, 0644, 0, 0), 0);
	CHECK_EQ(keel_call(SYS_fchmod, fd, 0444, 0, 0), -EACCES); /* not open for writing */
	CHECK_EQ(keel_call(SYS_fchmod, fd, 0755, 0, 0), -EPERM);
	CHECK_EQ(keel_call(SYS_fchown, fd, 0, 0, 0), 0);
	CHECK_EQ(keel_call(SYS_fchown, fd, 5, 0, 0), -EPERM);
	keel_call(SYS_close, fd, 0, 0, 0);
	CHECK_EQ(keel_call(SYS_fchmod, 99, 0644, 0, 0), -EBADF);
	CHECK_EQ(keel_call(SYS_link, (long)"m.txt", (long)"m2.txt", 0, 0), -EPERM);
	CHECK_EQ(keel_call(SYS_link, (long)"nope", (long)"m2.txt", 0, 0), -ENOENT);
	CHECK_EQ(keel_call(SYS_symlink, (long)"m.txt", (long)"s.txt", 0, 0), -EPERM);
	CHECK_EQ(keel_call(SYS_symlink, (long)"x", (long)"m.txt", 0, 0), -EEXIST);
	CHECK_EQ(keel_call(SYS_symlinkat, (long)"x", AT_FDCWD, (long)"s.txt", 0), -EPERM);
	CHECK_EQ(keel_call(SYS_chmod, (long)"/dev/null", 0600, 0, 0), -EROFS);
	CHECK_EQ(keel_call(SYS_unlink, (long)"m.txt", 0, 0, 0), 0);
	CHECK_EQ(keel_call(SYS_rmdir, (long)"md", 0, 0, 0), 0);
	keel_fs_attach(CAP_HANDLE_NONE, "/");
	vfsd_stop();
	image_clean();
}

/* The one bit of a mode FAT keeps: a file's read-only attribute. chmod
 * without the owner's write bit sets it (stat shows 0444, opening for
 * writing and access(W_OK) are EACCES, the name may still be renamed
 * and removed); with it, clears it. The group's and others' write bits
 * are not kept; other bits, and directories, are EPERM. mattrib reads
 * the attribute on the image afterwards. */
TEST(chmod_sets_and_clears_fat_read_only_attribute)
{
	struct stat st;
	int status;
	fresh_image();
	vfsd_start();
	cap_handle_t own;
	CHECK_EQ(vfs_dup(&cl, root, VFS_R_ALL, &own, NULL), STATUS_OK);
	keel_fs_attach(own, "/");
	write_text(&keel_run, "r.txt", O_CREAT | O_WRONLY | O_TRUNC, "r", 1);
	write_text(&keel_run, "w.txt", O_CREAT | O_WRONLY | O_TRUNC, "w", 1);
	write_text(&keel_run, "g.txt", O_CREAT | O_WRONLY | O_TRUNC, "g", 1);
	CHECK_EQ(keel_call(SYS_mkdir, (long)"d", 0755, 0, 0), 0);
	CHECK_EQ(keel_call(SYS_chmod, (long)"r.txt", 0444, 0, 0), 0);
	CHECK_EQ(keel_call(SYS_stat, (long)"r.txt", (long)&st, 0, 0), 0);
	CHECK_EQ(st.st_mode, S_IFREG | 0444);
	CHECK_EQ(keel_call(SYS_open, (long)"r.txt", O_WRONLY, 0, 0), -EACCES);
	CHECK_EQ(keel_call(SYS_open, (long)"r.txt", O_RDWR | O_TRUNC, 0, 0), -EACCES);
	CHECK_EQ(keel_call(SYS_access, (long)"r.txt", W_OK, 0, 0), -EACCES);
	CHECK_EQ(keel_call(SYS_access, (long)"r.txt", R_OK, 0, 0), 0);
	long fd = keel_call(SYS_open, (long)"r.txt", O_RDONLY, 0, 0);
	CHECK(fd >= 0);
	keel_call(SYS_close, fd, 0, 0, 0);
	CHECK_EQ(keel_call(SYS_chmod, (long)"r.txt", 0466, 0, 0), 0); /* no change */
	CHECK_EQ(keel_call(SYS_chmod, (long)"r.txt", 0555, 0, 0), -EPERM);
	CHECK_EQ(keel_call(SYS_chmod, (long)"r.txt", 04444, 0, 0), -EPERM);
	/* Set and cleared through a descriptor open for writing, which takes
	 * no write while the attribute is set. */
	fd = keel_call(SYS_open, (long)"w.txt", O_RDWR, 0, 0);
	CHECK(fd >= 0);
	CHECK_EQ(keel_call(SYS_fchmod, fd, 0400, 0, 0), -EPERM);
	CHECK_EQ(keel_call(SYS_fchmod, fd, 0444, 0, 0), 0);
	CHECK_EQ(keel_call(SYS_fstat, fd, (long)&st, 0, 0), 0);
	CHECK_EQ(st.st_mode, S_IFREG | 0444);
	CHECK_EQ(keel_call(SYS_write, fd, (long)"x", 1, 0), -EACCES);
	CHECK_EQ(keel_call(SYS_fchmod, fd, 0644, 0, 0), 0);
	CHECK_EQ(keel_call(SYS_write, fd, (long)"x", 1, 0), 1);
	keel_call(SYS_close, fd, 0, 0, 0);
	CHECK_EQ(keel_call(SYS_chmod, (long)"g.txt", 0666, 0, 0), 0); /* as 0644 */
	CHECK_EQ(keel_call(SYS_chmod, (long)"g.txt", 0444, 0, 0), 0);
	CHECK_EQ(keel_call(SYS_chmod, (long)"g.txt", 0664, 0, 0), 0);
	CHECK_EQ(keel_call(SYS_stat, (long)"g.txt", (long)&st, 0, 0), 0);
	CHECK_EQ(st.st_mode, S_IFREG | 0644);
	CHECK_EQ(keel_call(SYS_chmod, (long)"d", 0555, 0, 0), -EPERM);
	CHECK_EQ(keel_call(SYS_fchmodat, AT_FDCWD, (long)"d", 0777, 0), 0); /* as 0755 */
	/* A read-only file is still renamed and removed, as on Linux. */
	write_text(&keel_run, "x.txt", O_CREAT | O_WRONLY | O_TRUNC, "x", 1);
	CHECK_EQ(keel_call(SYS_chmod, (long)"x.txt", 0444, 0, 0), 0);
	CHECK_EQ(keel_call(SYS_rename, (long)"x.txt", (long)"y.txt", 0, 0), 0);
	CHECK_EQ(keel_call(SYS_unlink, (long)"y.txt", 0, 0, 0), 0);
	keel_fs_attach(CAP_HANDLE_NONE, "/");
	vfsd_stop();
	image_clean();
	char *out = sh(&status, "mattrib -i '%s' ::/r.txt ::/w.txt ::/g.txt", img_path);
	CHECK_EQ(status, 0);
	CHECK(strstr(out, "R     ::/r.txt") != NULL);
	CHECK(strstr(out, "R     ::/w.txt") == NULL && strstr(out, "::/w.txt") != NULL);
	CHECK(strstr(out, "R     ::/g.txt") == NULL && strstr(out, "::/g.txt") != NULL);
	if (!strstr(out, "R     ::/r.txt"))
		printf("mattrib:\n%s", out);
	free(out);
}

/* What statfs says of the volume is what mtools counts on the image
 * after vfsd stops; /dev is a file system without blocks (/bundle, which
 * needs a launched program's start page, is checked in tests/qemu). */
TEST(statfs_reports_the_volume_as_mtools_counts)
{
	struct statfs st, fst;
	fresh_image();
	vfsd_start();
	cap_handle_t own;
	CHECK_EQ(vfs_dup(&cl, root, VFS_R_ALL, &own, NULL), STATUS_OK);
	keel_fs_attach(own, "/");
	write_text(&keel_run, "w.txt", O_CREAT | O_WRONLY | O_TRUNC, "0123456789", 3000);
	CHECK_EQ(keel_call(SYS_statfs, (long)"/", (long)&st, 0, 0), 0);
	CHECK_EQ(st.f_type, 0x4d44);
	CHECK_EQ(st.f_bsize, 512);
	CHECK_EQ(st.f_frsize, 512);
	CHECK_EQ(st.f_bavail, st.f_bfree);
	CHECK_EQ(st.f_namelen, 255);
	CHECK_EQ(st.f_flags & ST_RDONLY, 0);
	CHECK(st.f_fsid.__val[0] != 0); /* the volume's serial */
	long fd = keel_call(SYS_open, (long)"w.txt", O_RDONLY, 0, 0);
	CHECK(fd >= 0);
	CHECK_EQ(keel_call(SYS_fstatfs, fd, (long)&fst, 0, 0), 0);
	CHECK_EQ(fst.f_bfree, st.f_bfree);
	CHECK_EQ(fst.f_blocks, st.f_blocks);
	keel_call(SYS_close, fd, 0, 0, 0);
	/* FAT ignores case: two spellings are one file (Linux's vfat agrees;
	 * the Linux run above is on a file system that does not). */
	struct stat a, b;
	CHECK_EQ(keel_call(SYS_newfstatat, AT_FDCWD, (long)"w.txt", (long)&a, 0), 0);
	CHECK_EQ(keel_call(SYS_newfstatat, AT_FDCWD, (long)"W.TXT", (long)&b, 0), 0);
	CHECK(a.st_ino == b.st_ino && a.st_dev == b.st_dev && a.st_ino > 1);
	CHECK_EQ(keel_call(SYS_newfstatat, AT_FDCWD, (long)"/", (long)&b, 0), 0);
	CHECK_EQ(b.st_ino, 1);
	CHECK_EQ(keel_call(SYS_newfstatat, AT_FDCWD, (long)"/dev", (long)&b, 0), 0);
	CHECK(b.st_dev != a.st_dev);
	CHECK_EQ(keel_call(SYS_statfs, (long)"/dev/null", (long)&fst, 0, 0), 0);
	CHECK_EQ(fst.f_type, 0x01021994);
	CHECK_EQ(fst.f_blocks, 0);
	CHECK_EQ(keel_call(SYS_statfs, (long)"/dev/nope", (long)&fst, 0, 0), -ENOENT);
	keel_fs_attach(CAP_HANDLE_NONE, "/");
	vfsd_stop();
	image_clean();
	int status;
	char *out = sh(&status, "mdir -i '%s' ::/ | grep 'bytes free' | tr -d ' '", img_path);
	unsigned long long bytes = 0;
	CHECK_EQ(sscanf(out, "%llubytesfree", &bytes), 1);
	CHECK_EQ(bytes, (unsigned long long)st.f_bfree * 512);
	if (bytes != (unsigned long long)st.f_bfree * 512)
		printf("mdir: %llu bytes free; statfs: %llu blocks free\n", bytes,
		       (unsigned long long)st.f_bfree);
	free(out);
}

static int tests(const struct keel_start *start)
{
	if (harness_init(start)) {
		printf("0 passed, 1 failed (set-up)\n");
		return 1;
	}
	RUN(file_calls_through_vfsd_answer_as_linux_does);
	RUN(statfs_reports_the_volume_as_mtools_counts);
	RUN(an_open_file_is_not_removed);
	RUN(modes_owners_and_links_are_what_fat_keeps);
	RUN(chmod_sets_and_clears_fat_read_only_attribute);
	vfsd_kill();
	imgdev_free(&disk);
	return check_summary();
}

int main(void)
{
	scratch = test_setup();
	return host_test_main(tests);
}
