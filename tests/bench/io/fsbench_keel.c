/*
 * fsbench_keel.c - the file figures on Keel (fsbench.h): a program of the
 * bench boot list with the directory /bench of the scratch disk's FAT32
 * volume (manifest `dir /bench write`), served by iovfsd (vfsd's code on
 * the scratch disk). Every file call goes through the C library to vfsd.
 *
 * vfsd has no request to drop its cache, so the read is measured in a
 * boot of its own: when /big already holds 64 MiB (written by an earlier
 * boot on the same disk file) this run only reads it, with a vfsd started
 * afresh; otherwise it writes it and does the small files.
 * Figures go out as "bench: fs_NAME_ns=N" lines and "mark: fs_NAME
 * begin/end" lines (tests/bench/io.sh turns those into fs_NAME_insns),
 * then "fsbench: done".
 */
#define _GNU_SOURCE
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsbench.h"
#include "keel/service.h"
#include "keel/spawn.h"
#include "keel/sys.h"

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

int keel_main(const struct keel_start *s)
{
	struct stat st;
	witness = s->witness;
	keel_fs_attach(keel_start_cap(s, 0), "/");
	unsigned phases = FSB_BIG | FSB_SMALL;
	if (stat("/big", &st) == 0 && st.st_size == 64 << 20)
		phases = FSB_READ;
	int rc = fsbench_run("/", phases);
	keel_print(witness, "fsbench: done %s %s\n", phases == FSB_READ ? "read" : "write",
		   rc ? "FAILED" : "OK");
	return rc ? 1 : 0;
}
