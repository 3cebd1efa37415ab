/*
 * test_save.c - loading and atomic saving. Faults are injected at every
 * system call of a save: a failure must leave the old file untouched and
 * no temporary file behind; a crash (the process dies at that call, before
 * or after it runs) must leave either the old or the new content in full.
 */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../buf.h"
#include "../file.h"
#include "check.h"

enum fault { NONE, FAIL, CRASH_BEFORE, CRASH_AFTER, SHORT_WRITES };

struct faults {
	enum fault kind;
	int at, calls;
};

/* Counts a call; returns -1 (errno set) when this call must fail. Crashes
 * before the call right here; crashes after it are left to after(). */
static int before(struct faults *f)
{
	if (++f->calls != f->at)
		return 0;
	if (f->kind == CRASH_BEFORE)
		_exit(0);
	if (f->kind == FAIL) {
		errno = EIO;
		return -1;
	}
	return 0;
}

static void after(struct faults *f)
{
	if (f->calls == f->at && f->kind == CRASH_AFTER)
		_exit(0);
}

#define WRAP(call)                                                                                 \
	do {                                                                                       \
		if (before(ctx))                                                                   \
			return -1;                                                                 \
		__typeof__(call) r_ = (call);                                                      \
		after(ctx);                                                                        \
		return r_;                                                                         \
	} while (0)

static int f_open(void *ctx, const char *path, int flags, unsigned mode)
{
	WRAP(file_posix_ops.open(NULL, path, flags, mode));
}

static ssize_t f_read(void *ctx, int fd, void *p, size_t n)
{
	WRAP(file_posix_ops.read(NULL, fd, p, n));
}

static ssize_t f_write(void *ctx, int fd, const void *p, size_t n)
{
	struct faults *f = ctx;

	if (f->kind == SHORT_WRITES) {
		if (++f->calls % 3 == 0) {
			errno = EINTR;
			return -1;
		}
		return file_posix_ops.write(NULL, fd, p, n > 3 ? 3 : n);
	}
	WRAP(file_posix_ops.write(NULL, fd, p, n));
}

static int f_fsync(void *ctx, int fd)
{
	WRAP(file_posix_ops.fsync(NULL, fd));
}

static int f_close(void *ctx, int fd)
{
	WRAP(file_posix_ops.close(NULL, fd));
}

static int f_fchmod(void *ctx, int fd, unsigned mode)
{
	WRAP(file_posix_ops.fchmod(NULL, fd, mode));
}

static int f_rename(void *ctx, const char *from, const char *to)
{
	WRAP(file_posix_ops.rename(NULL, from, to));
}

static int f_unlink(void *ctx, const char *path)
{
	WRAP(file_posix_ops.unlink(NULL, path));
}

static int f_mode_of(void *ctx, const char *path, unsigned *mode)
{
	WRAP(file_posix_ops.mode_of(NULL, path, mode));
}

static struct file_ops faulty(struct faults *f)
{
	struct file_ops ops = { .open = f_open,
				.read = f_read,
				.write = f_write,
				.fsync = f_fsync,
				.close = f_close,
				.fchmod = f_fchmod,
				.rename = f_rename,
				.unlink = f_unlink,
				.mode_of = f_mode_of,
				.ctx = f,
				.size_of = NULL };
	return ops;
}

static char dir[64];
static char path[128];
static const char old_text[] = "old line 1\nold line 2\n";
static const char new_text[] = "new\xff text\0with a NUL\nand no newline at the end";

static void write_file(const char *p, const char *s, size_t n)
{
	FILE *f = fopen(p, "wb");

	fwrite(s, 1, n, f);
	fclose(f);
}

/* Reads the file into a static buffer; returns its length or -1. */
static long read_file(const char *p, char *out, size_t size)
{
	FILE *f = fopen(p, "rb");
	size_t n;

	if (!f)
		return -1;
	n = fread(out, 1, size, f);
	fclose(f);
	return (long)n;
}

static int is(const char *p, const char *s, size_t n)
{
	char got[256];
	long k = read_file(p, got, sizeof got);

	return k == (long)n && memcmp(got, s, n) == 0;
}

/* Counts the entries of the test directory other than the target. */
static int strays(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, "f.txt"))
			n++;
	closedir(d);
	return n;
}

static void new_buf(struct buf *b)
{
	buf_init(b);
	buf_insert(b, 0, new_text, sizeof new_text - 1);
}

/* How many calls a clean save makes. */
static int clean_save_calls(void)
{
	struct faults f = { NONE, 0, 0 };
	struct file_ops ops = faulty(&f);
	struct file_error e;
	struct buf b;

	write_file(path, old_text, sizeof old_text - 1);
	new_buf(&b);
	file_save(&ops, path, &b, &e);
	buf_free(&b);
	return f.calls;
}

TEST(save_and_load_round_trip_every_byte)
{
	struct buf b, c;
	struct file_error e;
	bool is_new;
	char got[256];

	new_buf(&b);
	CHECK_EQ(file_save(&file_posix_ops, path, &b, &e), STATUS_OK);
	CHECK(is(path, new_text, sizeof new_text - 1));
	buf_init(&c);
	CHECK_EQ(file_load(&file_posix_ops, path, &c, &is_new, &e), STATUS_OK);
	CHECK(!is_new);
	CHECK_EQ(buf_len(&c), sizeof new_text - 1);
	buf_get(&c, 0, sizeof got, got);
	CHECK(memcmp(got, new_text, sizeof new_text - 1) == 0);
	CHECK_EQ(strays(), 0);
	buf_free(&b);
	buf_free(&c);
}

TEST(a_failure_at_any_step_leaves_the_old_file_and_no_temporary)
{
	int total = clean_save_calls();

	CHECK(total >= 8);
	for (int k = 1; k <= total; k++) {
		struct faults f = { FAIL, k, 0 };
		struct file_ops ops = faulty(&f);
		struct file_error e;
		struct buf b;
		status_t st;

		write_file(path, old_text, sizeof old_text - 1);
		new_buf(&b);
		st = file_save(&ops, path, &b, &e);
		buf_free(&b);
		if (st) {
			CHECK(is(path, old_text, sizeof old_text - 1));
			CHECK_EQ(e.err, EIO);
		} else { /* only the directory sync may fail after the rename */
			CHECK(is(path, new_text, sizeof new_text - 1));
		}
		CHECK_EQ(strays(), 0);
	}
}

/* Saves in a child that dies at call k; returns what the file holds: 0 old,
 * 1 new, -1 anything else. */
static int crash_at(enum fault kind, int k)
{
	pid_t pid;
	int status;

	write_file(path, old_text, sizeof old_text - 1);
	pid = fork();
	if (pid == 0) {
		struct faults f = { kind, k, 0 };
		struct file_ops ops = faulty(&f);
		struct file_error e;
		struct buf b;
		new_buf(&b);
		file_save(&ops, path, &b, &e);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	if (is(path, old_text, sizeof old_text - 1))
		return 0;
	if (is(path, new_text, sizeof new_text - 1))
		return 1;
	return -1;
}

/* Removes temporary files a crashed save left (a crash cannot clean up). */
static void sweep(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[400];

	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' && strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
			unlink(p);
		}
	}
	closedir(d);
}

TEST(a_crash_at_any_step_leaves_old_or_new_never_a_mix)
{
	int total = clean_save_calls(), saw_old = 0, saw_new = 0;

	for (int k = 1; k <= total; k++) {
		for (enum fault kind = CRASH_BEFORE; kind <= CRASH_AFTER; kind++) {
			int r = crash_at(kind, k);
			CHECK(r >= 0);
			saw_old += r == 0;
			saw_new += r == 1;
			sweep();
		}
	}
	CHECK(saw_old > 0);
	CHECK(saw_new > 0);
}

TEST(short_writes_and_interruptions_are_retried)
{
	struct faults f = { SHORT_WRITES, 0, 0 };
	struct file_ops ops = faulty(&f);
	struct file_error e;
	struct buf b;

	write_file(path, old_text, sizeof old_text - 1);
	new_buf(&b);
	CHECK_EQ(file_save(&ops, path, &b, &e), STATUS_OK);
	CHECK(is(path, new_text, sizeof new_text - 1));
	CHECK(f.calls > 10);
	buf_free(&b);
}

TEST(saving_keeps_permissions_and_follows_symlinks)
{
	struct file_error e;
	struct buf b;
	struct stat st;
	char link[160];

	write_file(path, old_text, sizeof old_text - 1);
	chmod(path, 0751);
	snprintf(link, sizeof link, "%s/.link", dir);
	CHECK_EQ(symlink("f.txt", link), 0);
	new_buf(&b);
	CHECK_EQ(file_save(&file_posix_ops, link, &b, &e), STATUS_OK);
	CHECK_EQ(lstat(link, &st), 0);
	CHECK(S_ISLNK(st.st_mode));
	CHECK(is(path, new_text, sizeof new_text - 1));
	CHECK_EQ(stat(path, &st), 0);
	CHECK_EQ(st.st_mode & 07777, 0751);
	unlink(link);
	buf_free(&b);
}

static int no_fchmod(void *ctx, int fd, unsigned mode)
{
	(void)ctx, (void)fd, (void)mode;
	errno = ENOSYS;
	return -1;
}

/* Keel's C library has no fchmod (FAT keeps no permission bits). */
TEST(a_system_without_fchmod_still_saves)
{
	struct file_ops ops = file_posix_ops;
	struct file_error e;
	struct buf b;

	ops.fchmod = no_fchmod;
	write_file(path, old_text, sizeof old_text - 1);
	new_buf(&b);
	CHECK_EQ(file_save(&ops, path, &b, &e), STATUS_OK);
	CHECK(is(path, new_text, sizeof new_text - 1));
	CHECK_EQ(strays(), 0);
	buf_free(&b);
}

TEST(loading_reports_new_files_and_errors)
{
	struct file_error e;
	struct buf b;
	bool is_new;
	char p[160];

	buf_init(&b);
	snprintf(p, sizeof p, "%s/missing.txt", dir);
	CHECK_EQ(file_load(&file_posix_ops, p, &b, &is_new, &e), STATUS_OK);
	CHECK(is_new);
	CHECK_EQ(buf_len(&b), 0);
	CHECK(file_load(&file_posix_ops, dir, &b, &is_new, &e) != STATUS_OK);
	CHECK_EQ(file_save(&file_posix_ops, "/nonexistent-dir/x", &b, &e), STATUS_NOT_FOUND);
	buf_free(&b);
}

int main(void)
{
	int st;

	strcpy(dir, "/tmp/edit-save-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof path, "%s/f.txt", dir);
	RUN(save_and_load_round_trip_every_byte);
	RUN(a_failure_at_any_step_leaves_the_old_file_and_no_temporary);
	RUN(a_crash_at_any_step_leaves_old_or_new_never_a_mix);
	RUN(short_writes_and_interruptions_are_retried);
	RUN(saving_keeps_permissions_and_follows_symlinks);
	RUN(a_system_without_fchmod_still_saves);
	RUN(loading_reports_new_files_and_errors);
	sweep();
	unlink(path);
	rmdir(dir);
	st = check_summary();
	return st;
}
