/*
 * insns_plugin.c - a QEMU TCG plugin (host code, built by
 * tests/bench/console_figures.py with the host's cc) that counts the guest
 * instructions executed by all virtual CPUs together and, each time the
 * guest executes one of a few marked instructions, writes
 * "mark NAME COUNT" to QEMU's log (-d plugin -D FILE).
 *
 * Under -icount shift=0,sleep=off the TSC is guest time: instructions plus
 * the jumps of the clock over idle time (sleep=off skips to the next timer
 * when every CPU halts). This count has no idle in it: it is what the CPUs
 * executed, the same kind of figure for Keel and for Linux.
 *
 * Arguments (-plugin FILE,ARG,...):
 *   at=NAME:ADDR[:HEX] mark the instruction at virtual address ADDR (hex);
 *                     with HEX, only when the instruction's bytes start so
 *   rdtsc=NAME:ADDR   the same, only when that instruction is rdtsc (user
 *                     programs share addresses; the opcode tells them apart)
 *   out=PATH          write the lines to PATH instead of QEMU's log,
 *                     each mark flushed unless it repeats the one before
 *   prof=NAME:K[:STOP] a profile: from the K-th execution of mark NAME to
 *                     the next of NAME (or of mark STOP), count the
 *                     instructions of each block,
 *                     written at exit as "prof ADDR INSNS BYTES" (ADDR
 *                     in hex; BYTES the hex of the block's first code
 *                     bytes, which tell apart user programs that share
 *                     an address)
 *
 * QEMU 7.2 speaks plugin API version 1; the few declarations used are
 * written out below instead of including QEMU's header, which Debian does
 * not package.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
typedef struct qemu_info_t qemu_info_t;

enum { INLINE_ADD_U64 = 0 };
enum { CB_NO_REGS = 0 };

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
					   void (*cb)(qemu_plugin_id_t, struct qemu_plugin_tb *));
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, void (*cb)(qemu_plugin_id_t, void *),
				    void *userdata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *insn);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb, int op, void *ptr,
					      uint64_t imm);
void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *tb,
					  void (*cb)(unsigned int vcpu, void *userdata), int flags,
					  void *userdata);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
					    void (*cb)(unsigned int vcpu, void *userdata),
					    int flags, void *userdata);
void qemu_plugin_outs(const char *string);

__attribute__((visibility("default"))) extern int qemu_plugin_version;
__attribute__((visibility("default"))) int qemu_plugin_version = 1;

#define MARKS_MAX 16

struct mark {
	char name[32];
	uint64_t addr;
	bool rdtsc_only;
	uint8_t bytes[8]; /* the instruction must start with these */
	size_t nbytes;
	uint64_t hits;
};

#define BLOCK_BYTES 24

/* One translated block, for the profile. */
struct block {
	uint64_t addr, insns, runs;
	uint8_t bytes[BLOCK_BYTES]; /* its first code bytes */
	size_t nbytes;
	struct block *next;
};

/* The plugin's state: QEMU loads it once per run. */
static struct {
	uint64_t insns; /* executed, all vCPUs (icount runs them on one thread) */
	struct mark mark[MARKS_MAX];
	int marks;
	char prof_mark[32]; /* the profile's window: mark name ... */
	char prof_stop[32]; /* ... (ended by this mark when set) ... */
	uint64_t prof_from; /* ... from its prof_from-th execution to the next */
	bool profiling;
	struct block *blocks; /* every block translated, newest first */
	FILE *out;            /* out=, or NULL for QEMU's log */
	struct mark *last;    /* the mark hit last */
} st;

static void put(const char *line)
{
	if (st.out)
		fputs(line, st.out);
	else
		qemu_plugin_outs(line);
}

static void on_mark(unsigned int vcpu, void *userdata)
{
	struct mark *m = userdata;
	char line[96];

	snprintf(line, sizeof line, "mark %s %" PRIu64 " cpu%u\n", m->name, st.insns, vcpu);
	put(line);
	/* The first of a run of one name goes out at once: a reader waiting
	 * for an event sees it (idle callbacks do not come under icount). */
	if (st.out && m != st.last)
		fflush(st.out);
	st.last = m;
	m->hits++;
	if (st.profiling && st.prof_stop[0] && !strcmp(m->name, st.prof_stop))
		st.profiling = false;
	else if (st.prof_from && !strcmp(m->name, st.prof_mark))
		st.profiling = m->hits == st.prof_from;
}

static void on_block(unsigned int vcpu, void *userdata)
{
	struct block *b = userdata;

	(void)vcpu;
	if (st.profiling)
		b->runs++;
}

static bool is_rdtsc(const struct qemu_plugin_insn *insn)
{
	const uint8_t *b = qemu_plugin_insn_data(insn);

	return qemu_plugin_insn_size(insn) == 2 && b[0] == 0x0f && b[1] == 0x31;
}

static bool matches(const struct mark *m, const struct qemu_plugin_insn *insn)
{
	if (m->rdtsc_only)
		return is_rdtsc(insn);
	return qemu_plugin_insn_size(insn) >= m->nbytes &&
	       !memcmp(qemu_plugin_insn_data(insn), m->bytes, m->nbytes);
}

/* Copies the first code bytes of tb (at most BLOCK_BYTES) into b. */
static void block_bytes(struct block *b, const struct qemu_plugin_tb *tb, size_t n)
{
	for (size_t i = 0; i < n && b->nbytes < BLOCK_BYTES; i++) {
		const struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		const uint8_t *d = qemu_plugin_insn_data(insn);
		size_t k = qemu_plugin_insn_size(insn);

		if (k > BLOCK_BYTES - b->nbytes)
			k = BLOCK_BYTES - b->nbytes;
		memcpy(b->bytes + b->nbytes, d, k);
		b->nbytes += k;
	}
}

/* Counts each block's instructions when it runs; hooks marked ones. The
 * count is added at the block's start, so a mark sees its own block's
 * instructions already counted (a few at most). */
static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb);

	(void)id;
	qemu_plugin_register_vcpu_tb_exec_inline(tb, INLINE_ADD_U64, &st.insns, n);
	if (st.prof_from && n) {
		struct block *b = calloc(1, sizeof *b);

		if (b) {
			b->addr = qemu_plugin_insn_vaddr(qemu_plugin_tb_get_insn(tb, 0));
			b->insns = n;
			block_bytes(b, tb, n);
			b->next = st.blocks;
			st.blocks = b;
			qemu_plugin_register_vcpu_tb_exec_cb(tb, on_block, CB_NO_REGS, b);
		}
	}
	for (size_t i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint64_t va = qemu_plugin_insn_vaddr(insn);

		for (int k = 0; k < st.marks; k++)
			if (st.mark[k].addr == va && matches(&st.mark[k], insn))
				qemu_plugin_register_vcpu_insn_exec_cb(insn, on_mark, CB_NO_REGS,
								       &st.mark[k]);
	}
}

static void on_qemu_exit(qemu_plugin_id_t id, void *userdata)
{
	char line[128];

	(void)id;
	(void)userdata;
	snprintf(line, sizeof line, "total %" PRIu64 "\n", st.insns);
	put(line);
	for (struct block *b = st.blocks; b; b = b->next)
		if (b->runs) {
			int len = snprintf(line, sizeof line, "prof %" PRIx64 " %" PRIu64 " ",
					   b->addr, b->runs * b->insns);

			for (size_t i = 0; i < b->nbytes; i++)
				len += snprintf(line + len, sizeof line - (size_t)len, "%02x",
						b->bytes[i]);
			snprintf(line + len, sizeof line - (size_t)len, "\n");
			put(line);
		}
	if (st.out)
		fclose(st.out);
	st.out = NULL;
}

/* Parses "prof=NAME:K"; false when malformed. */
static bool parse_prof(const char *v)
{
	const char *colon = strchr(v, ':');

	if (!colon || (size_t)(colon - v) >= sizeof st.prof_mark)
		return false;
	memcpy(st.prof_mark, v, (size_t)(colon - v));
	st.prof_mark[colon - v] = 0;
	char *end;
	st.prof_from = strtoull(colon + 1, &end, 10);
	if (*end == ':' && strlen(end + 1) < sizeof st.prof_stop)
		strcpy(st.prof_stop, end + 1);
	return st.prof_from > 0;
}

/* Parses "at=NAME:ADDR", "rdtsc=NAME:ADDR", "out=PATH" or "prof=NAME:K";
 * false when malformed. */
static bool parse_mark(const char *arg)
{
	if (!strncmp(arg, "prof=", 5))
		return parse_prof(arg + 5);
	if (!strncmp(arg, "out=", 4))
		return !st.out && (st.out = fopen(arg + 4, "w")) != NULL;

	bool rdtsc = !strncmp(arg, "rdtsc=", 6);
	const char *v = rdtsc ? arg + 6 : !strncmp(arg, "at=", 3) ? arg + 3 : NULL;
	const char *colon = v ? strchr(v, ':') : NULL;
	struct mark *m = &st.mark[st.marks];

	if (!colon || st.marks == MARKS_MAX || (size_t)(colon - v) >= sizeof m->name)
		return false;
	memcpy(m->name, v, (size_t)(colon - v));
	m->name[colon - v] = 0;
	char *end;
	m->addr = strtoull(colon + 1, &end, 16);
	m->rdtsc_only = rdtsc;
	m->nbytes = 0;
	if (*end == ':')
		for (const char *h = end + 1; h[0] && h[1] && m->nbytes < sizeof m->bytes; h += 2) {
			char two[3] = { h[0], h[1], 0 };
			m->bytes[m->nbytes++] = (uint8_t)strtoul(two, NULL, 16);
		}
	st.marks++;
	return true;
}

__attribute__((visibility("default"))) int qemu_plugin_install(qemu_plugin_id_t id,
							       const qemu_info_t *info, int argc,
							       char **argv);
int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
	(void)info;
	for (int i = 0; i < argc; i++)
		if (!parse_mark(argv[i])) {
			fprintf(stderr, "insns_plugin: bad argument '%s'\n", argv[i]);
			return -1;
		}
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
	qemu_plugin_register_atexit_cb(id, on_qemu_exit, NULL);
	return 0;
}
