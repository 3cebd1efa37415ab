/*
 * fsbench.c - the file workload of fsbench.h: a 64 MiB file written in
 * 64 KiB calls and fsynced, read back in 64 KiB calls; 1,000 files of
 * 100-1999 bytes with long names created in one directory (then the
 * volume synced), listed, deleted (then synced). The same code runs on
 * Keel and on Linux.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsbench.h"

#define BIG_BYTES (64u << 20)
#define CHUNK (64u << 10)
#define SMALL_FILES 1000

static unsigned char chunk[CHUNK];

static int failed(const char *what)
{
	char line[128];
	snprintf(line, sizeof line, "fsbench: %s: %s", what, strerror(errno));
	fsb_note(line);
	return -1;
}

/* The chunk at offset off: a fixed pattern with off stamped in front. */
static void stamp(uint32_t off)
{
	memcpy(chunk, &off, sizeof off);
}

static int big_write(int dfd)
{
	fsb_begin("write_64m");
	int fd = openat(dfd, "big", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return failed("create big");
	for (uint32_t off = 0; off < BIG_BYTES; off += CHUNK) {
		stamp(off);
		if (write(fd, chunk, CHUNK) != CHUNK)
			return failed("write big");
	}
	if (fsync(fd) || close(fd))
		return failed("fsync big");
	fsb_end("write_64m");
	return 0;
}

static int big_read(int dfd)
{
	uint32_t bad = 0;
	fsb_begin("read_64m");
	int fd = openat(dfd, "big", O_RDONLY);
	if (fd < 0)
		return failed("open big");
	for (uint32_t off = 0; off < BIG_BYTES; off += CHUNK) {
		uint32_t got;
		if (read(fd, chunk, CHUNK) != CHUNK)
			return failed("read big");
		memcpy(&got, chunk, sizeof got);
		bad += got != off;
	}
	close(fd);
	fsb_end("read_64m");
	if (bad)
		fsb_note("fsbench: big: some chunks hold the wrong data");
	return bad ? -1 : 0;
}

static void small_name(char *name, size_t size, int i)
{
	snprintf(name, size, "small file number %04d.txt", i);
}

static int small_create(int sfd)
{
	char name[64];
	fsb_begin("create_1000");
	for (int i = 0; i < SMALL_FILES; i++) {
		small_name(name, sizeof name, i);
		int fd = openat(sfd, name, O_WRONLY | O_CREAT | O_EXCL, 0644);
		ssize_t n = 100 + i % 1900;
		if (fd < 0 || write(fd, chunk, (size_t)n) != n || close(fd))
			return failed(name);
	}
	if (fsb_sync(sfd))
		return failed("sync after create");
	fsb_end("create_1000");
	return 0;
}

static int small_list(int sfd)
{
	int n = 0;
	fsb_begin("list_1000");
	int fd = dup(sfd);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (!d)
		return failed("opendir small");
	rewinddir(d);
	for (struct dirent *e; (e = readdir(d));)
		n += strncmp(e->d_name, "small file number ", 18) == 0;
	closedir(d);
	fsb_end("list_1000");
	if (n != SMALL_FILES)
		fsb_note("fsbench: the listing misses files");
	return n == SMALL_FILES ? 0 : -1;
}

static int small_delete(int sfd)
{
	char name[64];
	fsb_begin("delete_1000");
	for (int i = 0; i < SMALL_FILES; i++) {
		small_name(name, sizeof name, i);
		if (unlinkat(sfd, name, 0))
			return failed(name);
	}
	if (fsb_sync(sfd))
		return failed("sync after delete");
	fsb_end("delete_1000");
	return 0;
}

static int small_files(int dfd)
{
	if (mkdirat(dfd, "small", 0755) && errno != EEXIST)
		return failed("mkdir small");
	int sfd = openat(dfd, "small", O_RDONLY | O_DIRECTORY);
	if (sfd < 0)
		return failed("open small");
	int rc = small_create(sfd);
	if (rc == 0)
		rc = small_list(sfd);
	if (rc == 0)
		rc = small_delete(sfd);
	close(sfd);
	return rc;
}

int fsbench_run(const char *dir, unsigned phases)
{
	for (uint32_t i = 0; i < CHUNK; i++)
		chunk[i] = (unsigned char)(i * 131 + 7);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	if (dfd < 0)
		return failed(dir);
	int rc = 0;
	if (phases & FSB_BIG)
		rc = big_write(dfd);
	if (rc == 0 && (phases & FSB_READ))
		rc = big_read(dfd);
	if (rc == 0 && (phases & FSB_SMALL))
		rc = small_files(dfd);
	close(dfd);
	return rc;
}
