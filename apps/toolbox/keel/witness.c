/*
 * witness.c - `witness [-v] [-n N]`: the kernel's witness log in words,
 * oldest first, and a check of its hash chain. Needs the witness
 * capability (start->witness) with the read right. -n N prints only the
 * last N records (all are checked); -v prints only the verdict.
 *
 * The log is read in batches from sequence 0; the kernel starts each
 * batch at the oldest record it still keeps. If records were overwritten
 * between two batches, the check resumes after the gap and says so. Exit
 * status: 0 verified, 1 broken chain or no log, 2 usage.
 */
#include "../toolbox.h"

#include <stdlib.h>
#include <string.h>

#include "keel/launch.h"
#include "keeltools.h"

#define BATCH 32
#define RECORDS_MAX (1u << 16) /* more than the kernel keeps (4096) */

struct wlog {
	struct witness_record *r;
	size_t n, cap;
	uint64_t lost; /* records overwritten between two reads */
	struct wchain chain;
};

/* Appends batch[0..k) to the log, growing it. */
static bool keep(struct wlog *log, const struct witness_record *batch, size_t k)
{
	if (log->n + k > log->cap) {
		size_t cap = log->cap ? log->cap * 2 : 256;
		struct witness_record *r = realloc(log->r, cap * sizeof *r);
		if (!r)
			return false;
		log->r = r;
		log->cap = cap;
	}
	memcpy(log->r + log->n, batch, k * sizeof *batch);
	log->n += k;
	return true;
}

/* Reads and checks the whole log. */
static status_t read_log(cap_handle_t w, struct wlog *log)
{
	struct witness_record batch[BATCH];
	uint64_t seq = 0, next;
	size_t bytes;
	while (log->n < RECORDS_MAX) {
		status_t st = sys_witness_read(w, seq, batch, sizeof batch, &bytes, &next);
		size_t k = bytes / sizeof batch[0];
		if (st || k == 0)
			return st;
		if (log->n && batch[0].seq > seq) {
			log->lost += batch[0].seq - seq;
			wchain_resume(&log->chain);
		}
		wchain_feed(&log->chain, batch, k);
		if (!keep(log, batch, k))
			return STATUS_NO_MEMORY;
		seq = next;
	}
	return STATUS_OK;
}

/* Prints the last `last` records of the log. */
static void print_log(const struct wlog *log, size_t last)
{
	char line[384];
	printf("%6s %13s  %-12s %s\n", "SEQ", "TIME", "ACTION", "WHAT");
	for (size_t i = log->n > last ? log->n - last : 0; i < log->n; i++) {
		witness_format(&log->r[i], line, sizeof line);
		puts(line);
	}
}

/* Prints the verdict; returns the exit status. */
static int verdict(const struct wlog *log)
{
	const struct wchain *c = &log->chain;
	if (log->lost)
		printf("%llu records were overwritten while being read: checked around them\n",
		       (unsigned long long)log->lost);
	if (c->broken) {
		printf("chain broken at record %llu: %s (%llu records verified before it)\n",
		       (unsigned long long)c->bad_seq, c->why, (unsigned long long)c->count);
		return 1;
	}
	if (c->count == 0)
		printf("chain verified: 0 records\n");
	else
		printf("chain verified: %llu records (seq %llu-%llu)\n",
		       (unsigned long long)c->count, (unsigned long long)c->first_seq,
		       (unsigned long long)c->next_seq - 1);
	return 0;
}

int tb_witness(int argc, char **argv)
{
	static const char usage[] = "[-v] [-n N]";
	struct opt o;
	struct wlog log = { 0 };
	unsigned long long last = ~0ull;
	bool quiet = false;
	int c;
	opt_init(&o, argc, argv, "n:v", usage);
	while ((c = opt_next(&o)) != -1) {
		if (c == 'v') {
			quiet = true;
		} else if (c != 'n' || !parse_ulong(o.arg, &last)) {
			if (c == 'n') { /* a bad option was reported by opt_next */
				msg(argv[0], "invalid number '%s'", o.arg);
				msg_usage(argv[0], usage);
			}
			return 2;
		}
	}
	int nops;
	opt_operands(&o, &nops);
	if (nops) {
		msg_usage(argv[0], usage);
		return 2;
	}
	cap_handle_t w = keel_start_page()->witness;
	if (w == CAP_HANDLE_NONE) {
		msg(argv[0], "no witness capability");
		return 1;
	}
	status_t st = read_log(w, &log);
	if (st) {
		msg(argv[0], "cannot read the log: %s", status_message(st));
		free(log.r);
		return 1;
	}
	if (!quiet)
		print_log(&log, (size_t)(last < log.n ? last : log.n));
	int r = verdict(&log);
	free(log.r);
	return r;
}
