/*
 * fsbench.h - the file figures of issue 14, one workload for Keel
 * (fsbench_keel.c, through the C library and vfsd) and for the Linux peer
 * (tests/bench/linux-peer/io.c, through vfat), so both do the same calls.
 */
#ifndef FSBENCH_H
#define FSBENCH_H

#include <stdint.h>

/* What the platform provides. fsb_begin and fsb_end bracket a phase
 * ("write_64m", ...); fsb_end reports its figures: fs_NAME_ns (monotonic
 * clock) and fs_NAME_insns (guest instructions executed, idle left out),
 * or marks from which the host computes them. */
void fsb_begin(const char *name);
void fsb_end(const char *name);
void fsb_note(const char *line); /* a line of text, without its newline */
/* Makes everything written on dirfd's volume durable; 0 or -1. */
int fsb_sync(int dirfd);

#define FSB_BIG (1u << 0)   /* write and fsync the 64 MiB file "big" */
#define FSB_READ (1u << 1)  /* read "big" back (after a cache drop) */
#define FSB_SMALL (1u << 2) /* 1,000 files in "small": create, list, delete */

/* Runs the phases in dir (an existing, empty directory for FSB_BIG and
 * FSB_SMALL); reports fs_*_ns and fs_*_insns for each. 0, or -1 after
 * printing what failed (errno names it). */
int fsbench_run(const char *dir, unsigned phases);

#endif
