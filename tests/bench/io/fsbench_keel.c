/*
 * fsbench_keel.c - the file figures on Keel (fsbench.h): a program of the
 * bench boot list with the directory /bench of the scratch disk's FAT32
 * volume (manifest `dir /bench write`), served by iovfsd (vfsd's code on
 * the scratch disk). Every file call goes through the C library to vfsd.
 *
 * The phases run as on Linux: the 64 MiB file written, vfsd's cache
 * dropped (VFS_DROP_CACHE on /bench, which the manifest gives with every
 * right: a sync, then every cached sector forgotten), the file read back,
 * then the small files.
 * Figures go out as "bench: fs_NAME_ns=N" lines and "mark: fs_NAME
 * begin/end" lines (tests/bench/io.sh turns those into fs_NAME_insns),
 * then "fsbench: done".
 */
#define _GNU_SOURCE
#include <string.h>
#include <unistd.h>

#include "fsbench.h"
#include "keel/service.h"
#include "keel/spawn.h"
#include "keel/sys.h"
#include "keel/vfs.h"

/* The C library's (sysroot/keel/fs.h, not installed in the sysroot). */
void keel_fs_attach(cap_handle_t root, const char *cwd);

static cap_handle_t witness; /* the program's, set once at start */

static uint64_t phase_ns; /* the clock at fsb_begin */

/* The kernel stamps each printed line with the timestamp and the idle
 * ticks so far (keel.stamp): the host takes the instructions of a phase
 * from the two mark lines. */
void fsb_begin(const char *name)
{
	keel_print(witness, "mark: fs_%s begin\n", name);
	sys_clock_read(&phase_ns);
}

void fsb_end(const char *name)
{
	uint64_t now;
	sys_clock_read(&now);
	keel_print(witness, "mark: fs_%s end\n", name);
	keel_print(witness, "bench: fs_%s_ns=%lu\n", name, (unsigned long)(now - phase_ns));
}

void fsb_note(const char *line)
{
	keel_print(witness, "%s\n", line);
}

int fsb_sync(int dirfd)
{
	return fsync(dirfd); /* vfsd's fsync writes back its whole cache */
}

/* Drops vfsd's cache through the directory capability dir; 0 or -1. */
static int drop_cache(cap_handle_t dir)
{
	struct vfs_client c;
	status_t st = vfs_client_init(&c, 1);
	if (st == STATUS_OK) {
		st = vfs_drop_cache(&c, dir);
		vfs_client_fini(&c);
	}
	if (st)
		keel_print(witness, "fsbench: drop cache: status %d\n", (int)st);
	return st ? -1 : 0;
}

int keel_main(const struct keel_start *s)
{
	witness = s->witness;
	cap_handle_t dir = keel_start_cap(s, 0);
	keel_fs_attach(dir, "/");
	int rc = fsbench_run("/", FSB_BIG);
	if (rc == 0)
		rc = drop_cache(dir);
	if (rc == 0)
		rc = fsbench_run("/", FSB_READ);
	if (rc == 0)
		rc = fsbench_run("/", FSB_SMALL);
	keel_print(witness, "fsbench: done all %s\n", rc ? "FAILED" : "OK");
	return rc ? 1 : 0;
}
