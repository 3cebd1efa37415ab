/*
 * keeltools.h - the pure parts of the toolbox's Keel commands (witness,
 * top, svc, ps): turning what the kernel and initd report into words, and
 * checking the witness log's hash chain. Nothing here makes a system
 * call, so the host tests (keel/tests/test_keeltools.c) run it on records
 * and counters they make up. The commands themselves are in
 * keel/witness.c, keel/top.c, keel/svc.c and keel/ps.c (Keel only).
 */
#ifndef TOOLBOX_KEELTOOLS_H
#define TOOLBOX_KEELTOOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/supervise.h"
#include "abi/witness.h"
#include "abi/status.h"
#include "initd/protocol.h"

/* --- witness (witness_fmt.c) --- */

/* The short name of a witness action ("spawn", "device-grant", ...), or
 * NULL for a number this toolbox does not know. */
const char *witness_action_name(uint32_t action);

/* Writes one record as a line of text (no newline) into buf[0..n): its
 * sequence number, its time in seconds since boot, the action's name and
 * a sentence saying who did what to whom. Always NUL-terminates (n > 0). */
void witness_format(const struct witness_record *r, char *buf, size_t n);

/* A running check of the hash chain over records fed in order. The first
 * record's link to its predecessor is taken on trust (older records may
 * have been overwritten); every later one must follow it: the next
 * sequence number, prev_hash equal to the record before's hash, and a
 * hash that is the SHA-256 of its own fields (lib/witness_chain.h). */
struct wchain {
	bool started;                    /* a record has been checked */
	bool broken;                     /* a bad record was found */
	uint64_t next_seq;               /* what the next record must carry */
	uint64_t first_seq;              /* the first record checked */
	uint64_t count;                  /* records that passed */
	uint8_t prev[WITNESS_HASH_SIZE]; /* hash of the last one that passed */
	uint64_t bad_seq;                /* broken: the bad record's seq */
	const char *why;                 /* broken: what is wrong with it */
};

/* Checks records r[0..n) after those fed before. Returns false once the
 * chain is broken (then bad_seq and why say where and why; later feeds
 * do nothing). */
bool wchain_feed(struct wchain *c, const struct witness_record *r, size_t n);

/* Forgets the link to the records fed so far, keeping the count: the
 * next record is taken on trust (the reader lost records in between). */
void wchain_resume(struct wchain *c);

/* --- top (top_fmt.c) --- */

#define TOP_TASKS_MAX 128 /* tasks top reads from initd */

/* Two readings of the kernel's counters and what lay between them. */
struct top_sample {
	struct kernel_stats now;
	struct kernel_stats before; /* valid when interval_ns > 0 */
	uint64_t interval_ns;       /* 0: a first reading, no rates */
	uint64_t uptime_ns;
	uint32_t cpus;
	/* Per-CPU records (KERNEL_CPU_ONLINE set in those that exist). */
	struct kernel_cpu_stats cpu_now[KERNEL_STATS_CPUS];
	struct kernel_cpu_stats cpu_before[KERNEL_STATS_CPUS];
	/* The tasks initd reports (INITD_TASKS), at each reading: shown
	 * busiest first under the CPUs when there are any. */
	struct initd_task tasks_now[TOP_TASKS_MAX], tasks_before[TOP_TASKS_MAX];
	uint32_t ntasks_now, ntasks_before;
	uint32_t task_rows; /* most task lines to show */
};

/* Writes the summary (several lines, each ending in '\n') into buf[0..n):
 * the counters, one line per CPU, then the busiest tasks (their share of
 * one CPU over the interval, or run time since they started on a first
 * reading); returns the length it needed (as snprintf does). */
size_t top_format(const struct top_sample *s, char *buf, size_t n);

/* --- svc (svc_fmt.c) --- */

/* The enum initd_verb a word names ("stop", "start", "restart"), or 0. */
uint32_t svc_verb(const char *word);

/* What svc says when initd refused verb for service name with st, or
 * NULL for a status without a special word (print status_message). */
const char *svc_control_error(const char *name, uint32_t verb, status_t st);

/* Writes a duration in milliseconds as "45s", "12m03s", "3h04m" or
 * "2d03h" into buf[0..n). */
void svc_duration(uint64_t ms, char *buf, size_t n);

/* The heading of svc's table, and one service's row (no newlines);
 * waits_name names the dependency of a WAITING or BLOCKED service (or
 * NULL). */
const char *svc_heading(void);
void svc_row(const struct initd_status *st, const char *waits_name, char *buf, size_t n);

/* One footprint item in words ("ports 0x3f8-0x3ff", "sends vfsd", ...);
 * the empty string for INITD_ITEM_NONE. */
void svc_item(const struct initd_footprint *f, char *buf, size_t n);

/* The quotas and tier of a footprint ("memory 256 pages, 64 objects, 64
 * slots, tier 2"). */
void svc_quotas(const struct initd_footprint *f, char *buf, size_t n);

/* --- ps (ps_fmt.c) --- */

/* The heading of ps's table and one task's row (no newline): its command
 * line args, or its name when args is NULL or empty. */
const char *ps_heading(void);
void ps_row(const struct initd_task *t, const char *args, char *buf, size_t n);
/* What a task is: "initd", "service", "program", "job" (a program in the
 * background) or "ended" (not yet waited for). */
const char *ps_kind(const struct initd_task *t);
/* Run time as "M:SS.cc" (under an hour) or "H:MM:SS". */
void ps_time(uint32_t ms, char *buf, size_t n);
/* Pages as "352K" (under 10 MiB), "12.5M" (under 1 GiB) or "1.2G". */
void ps_memory(uint32_t pages, char *buf, size_t n);

#endif
