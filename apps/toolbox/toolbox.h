/*
 * toolbox.h - the shared interface of the toolbox multi-call program.
 *
 * Every command is one function `int cmd_NAME(int argc, char **argv)` that
 * returns its exit status; argv[0] is the name the command was invoked as,
 * used as the prefix of its messages. The helpers below are shared by all
 * commands: option parsing, messages, a line reader, a directory walk,
 * number parsing and the one place a command would start another program.
 */
#ifndef TOOLBOX_H
#define TOOLBOX_H

#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE 1

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>

/* --- options (opt.c) --- */

/* State of one option scan. spec is getopt's: letters, ':' after a letter
 * that takes an argument; a leading '+' stops at the first operand instead
 * of collecting operands wherever they are (GNU permutation). Operands are
 * moved to the front of argv as the scan passes them (argv[1..]). */
struct opt {
	int argc;
	char **argv;
	const char *spec;
	const char *usage;
	int ind;
	const char *cluster;
	int nops;
	char *arg;
	bool stop_at_operand;
	bool silent; /* no message for a bad option (the caller reports it) */
	bool done;
};

void opt_init(struct opt *o, int argc, char **argv, const char *spec, const char *usage);
int opt_next(struct opt *o);
char **opt_operands(struct opt *o, int *count);

/* --- messages (msg.c) --- */

void msg(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void msg_errno(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void msg_usage(const char *name, const char *usage);

/* --- lines (lineio.c) --- */

/* A line reader over a stdio stream; the line keeps its '\n' when it had
 * one, and may contain NUL bytes (len counts them). */
struct line {
	char *buf;
	size_t cap;
	size_t len;
};

int line_read(struct line *l, FILE *f, int delim);
void line_free(struct line *l);
FILE *file_open(const char *name, const char *path);
void file_close(FILE *f);

/* --- directory walk (walk.c) --- */

enum walk_kind { WALK_FILE, WALK_DIR_PRE, WALK_DIR_POST, WALK_ERROR };

/* Called for every entry under a root: directories twice (before and after
 * their contents). Returns 0 to go on, 1 to skip a directory's contents
 * (at WALK_DIR_PRE), -1 to stop the walk. */
typedef int (*walk_fn)(void *ctx, const char *path, const struct stat *st, enum walk_kind kind,
		       int depth);

int walk_tree(const char *root, walk_fn fn, void *ctx, bool follow_root);
char *tb_path_join(const char *dir, const char *name);
const char *path_base(const char *path);

/* --- numbers and misc (util.c) --- */

bool parse_ulong(const char *s, unsigned long long *out);
bool parse_size(const char *s, unsigned long long *out);
bool write_all(int fd, const void *buf, size_t len);
/* A number as busybox reads one with suffixes: digits, then nothing or
 * one of units' suffixes (which multiplies it), from lo to hi. False, with
 * busybox's message ("invalid number 'S'", "number S is not in L..H
 * range"), if it is not one. */
struct tb_suffix {
	const char *suffix;
	unsigned long long mult;
};
bool tb_number(const char *name, const char *s, const struct tb_suffix *units, size_t count,
	       unsigned long long lo, unsigned long long hi, unsigned long long *out);
/* "drwxr-xr-x" for st_mode, with the set-id and sticky bits as ls shows them. */
void tb_mode_string(mode_t m, char out[11]);
/* n items of size bytes in units of unit, rounded (unit 0: 1024-scaled
 * with one decimal and K, M, G ...); "0" for none. */
const char *tb_figure(unsigned long long n, unsigned long long size, unsigned long long unit,
		      char buf[32]);
int copy_fd(int in, int out);
int compare_names(const void *a, const void *b);

/* --- regular expressions (regex_guard.c) --- */

bool regex_guard(const char *re, bool extended);

/* --- spawning (spawn_host.c, or the launcher's version on Keel) --- */

/* Runs argv[0] (searched in PATH) with the environment envp, waits for it
 * and returns its exit status; returns -1 with errno set when it could not
 * be started. The only place the toolbox starts another program. */
int tb_spawn(char *const argv[], char *const envp[]);

/* --- mounts (spawn_host.c: the host's /proc/mounts; spawn_keel.c: the
 * file systems Keel's C library serves) --- */

struct tb_mount {
	const char *fsname, *dir, *type;
};

/* The mounted file systems in the table's order, ending with a NULL dir;
 * NULL, with errno, if the table cannot be read. Valid until the next
 * call of either function. */
const struct tb_mount *tb_mounts(void);
/* The file system path is on (st: its stat), or NULL if none is found. */
const struct tb_mount *tb_mount_of(const char *path, const struct stat *st);

/* --- commands --- */

/* One command a line: clang-format cannot keep this macro stable. */
/* clang-format off */
#define TOOLBOX_COMMANDS(X) \
	X(cat) \
	X(chmod) \
	X(clear) \
	X(cp) \
	X(cut) \
	X(date) \
	X(dd) \
	X(df) \
	X(du) \
	X(echo) \
	X(env) \
	X(false) \
	X(grep) \
	X(head) \
	X(ls) \
	X(mkdir) \
	X(more) \
	X(mv) \
	X(printf) \
	X(rm) \
	X(rmdir) \
	X(sed) \
	X(seq) \
	X(sleep) \
	X(sort) \
	X(stat) \
	X(tail) \
	X(test) \
	X(touch) \
	X(tr) \
	X(true) \
	X(uname) \
	X(uniq) \
	X(wc) \
	X(xxd)
/* clang-format on */

#define TOOLBOX_DECLARE(n) int cmd_##n(int argc, char **argv);
TOOLBOX_COMMANDS(TOOLBOX_DECLARE)
int cmd_bracket(int argc, char **argv);
/* Keel's own commands (poweroff, reboot, svc, top, witness): Keel only,
 * so not in the list above, which the host shares. spawn_keel.c's table
 * names them; spawn_host.c's is empty. Both end with a NULL name. */
struct tb_command {
	const char *name;
	int (*run)(int argc, char **argv);
};
extern const struct tb_command tb_platform[];
int tb_poweroff(int argc, char **argv);
int tb_reboot(int argc, char **argv);
int tb_ps(int argc, char **argv);
int tb_svc(int argc, char **argv);
int tb_top(int argc, char **argv);
int tb_witness(int argc, char **argv);

/* printf's engine (printf.c), also driven by its fuzz target. */
int printf_format(const char *name, FILE *out, const char *format, char **args, int nargs);

/* Shared by cp and mv: copy one tree (or file) src to dst. */
struct copy_opts {
	const char *name;
	bool recursive;
	bool force;
	bool preserve;
	bool quiet_missing;
};
int copy_path(const struct copy_opts *co, const char *src, const char *dst);
/* Shared by rm and mv: remove a tree. */
int remove_tree(const char *name, const char *path, bool quiet_missing);
/* The destination of one source of cp or mv (cp.c). */
char *copy_target(char *src, const char *dst, bool into_dir);

#endif
