/*
 * sh.h - the shell's state and the interfaces between its parts.
 *
 * One struct shell holds everything a running shell knows (variables,
 * functions, positional parameters, options, traps, jobs, the stack of
 * saved descriptors); it is passed explicitly.  Errors unwind with
 * sh_raise() to the nearest catch point (the command loop, a child shell's
 * top), which restores descriptors and resets arenas.
 */
#ifndef SH_SH_H
#define SH_SH_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "arena.h"
#include "ast.h"
#include "sh_os.h"

/* Options by letter; the order is that of $- output. */
enum opt {
	OPT_e,
	OPT_f,
	OPT_I,
	OPT_i,
	OPT_m,
	OPT_n,
	OPT_s,
	OPT_x,
	OPT_v,
	OPT_V,
	OPT_E,
	OPT_C,
	OPT_a,
	OPT_b,
	OPT_u,
	OPT_p,
	OPT_nolog,
	OPT_debug,
	OPT_COUNT
};

#define V_EXPORT 1u
#define V_READONLY 2u

struct var {
	struct var *next; /* hash chain */
	char *name;       /* malloc'd */
	char *value;      /* malloc'd, NULL when unset */
	unsigned flags;
};

#define VAR_BUCKETS 128

/* A `local` save record: the variable's state before the function set it. */
struct local_save {
	struct local_save *next;
	char *name;
	char *value;
	unsigned flags;
	bool existed;
	bool is_opts; /* `local -`: saved options in value */
};

struct func {
	struct func *next;
	char *name;
	struct node *body; /* lives in arena */
	struct arena arena;
	int refs; /* executions in progress + 1 for the table */
};

struct job {
	struct job *next;
	int id; /* job number; 0: a foreground job that never stopped */
	int npids, nleft;
	pid_t *pids;          /* negated once the process has ended */
	struct os_status *st; /* st[i].stop: process i is stopped */
	char *text;           /* command text for `jobs` */
	/* A foreground job's command, for its text should it stop; valid
	 * only while the job is waited for. */
	struct node *cmd;
	bool done;
	bool reported;
	bool was_bg;
	bool stoppable; /* waited for with stops (interactive foreground) */
	bool ctrl_z;    /* the shell stopped it with SIGSTOP for Ctrl-Z */
	bool notify;    /* stopped: to be shown at the next prompt */
	void *tty;      /* stopped: the terminal's modes it left (os_term_stopped) */
	int status;     /* final $? value when done */
};

/* A descriptor saved by a redirection, restored when it is popped. */
struct saved_fd {
	int fd;   /* the descriptor that was redirected */
	int copy; /* where the old one was kept, or -1 (was closed) */
};

struct redir_frame {
	struct redir_frame *prev;
	struct saved_fd *saved;
	int n, cap;
};

enum exc {
	EX_NONE,
	EX_ERROR, /* shell error: exit non-interactive, prompt otherwise */
	EX_EXIT,  /* exit builtin, set -e, exec */
	EX_INT,   /* interrupt */
};

struct catch_point {
	struct catch_point *prev;
	jmp_buf jb;
	struct redir_frame *redir;
	struct arena_mark scratch;
	struct local_save *temps;
};

/* Output buffers for builtins writing to fd 1 and 2. */
struct outbuf {
	int fd;
	bool error;
	int err;
	size_t len;
	char buf[4096];
};

struct shell {
	bool opt[OPT_COUNT];
	char *arg0;
	char **params; /* $1..., malloc'd, NULL-terminated */
	int nparams;
	int status;    /* $? */
	pid_t rootpid; /* $$ */
	pid_t lastbg;  /* $! (0: none) */
	pid_t ppid;
	struct var *vars[VAR_BUCKETS];
	struct func *funcs;
	char *traps[65]; /* index 0: EXIT; malloc'd action or NULL */
	bool trap_ignored_inherited[65];
	bool in_trap;
	int trap_status; /* $? when the running trap started */
	bool bg_running; /* background jobs may need reaping */
	bool child;      /* this process is a child shell */
	bool interactive;
	bool exit_trap_ran;
	int lineno;          /* line of the command being run */
	int lines_read;      /* interactive line counter */
	const char *cmdname; /* builtin being run, for messages */

	/* control flow */
	int loopnest;
	int skip; /* pending break/continue count */
	bool skip_continue;
	bool returning;
	int funcnest;
	int evalnest;
	bool errexit_off; /* inside a tested context */
	bool exit_requested;
	int dot_depth;
	int getopts_off; /* offset in the current getopts argument */
	bool in_getopts;

	/* locals */
	struct local_save *locals;
	struct local_save *local_mark; /* locals at the current function's entry */
	struct local_save *temps;      /* saved states of temporary assignments */
	int localdepth;

	/* exceptions */
	struct catch_point *catch;
	int exc_status;  /* status the exception carries */
	int exc_pending; /* enum exc being raised */

	/* descriptors */
	struct redir_frame *redir;

	int cmdsub_status; /* status of the last command substitution */

	/* jobs */
	struct job *jobs;
	int next_job;
	/* 2 after "You have stopped jobs.", 1 after the next command, then 0:
	 * exit or an end of input while it is not 0 leaves them (dash). */
	int job_warning;

	/* limits (the fuzzers lower them) */
	long fuel; /* > 0: commands left before an error */
	int max_funcnest;
	size_t max_value; /* > 0: the longest value a variable or a field may take */
	size_t max_words; /* > 0: the most fields a command's words give */

	/* memory */
	struct arena scratch; /* expansions; marked per command */

	/* builtin output */
	struct outbuf out1, out2;

	/* interactive */
	struct editor *ed;
	int hist_lines; /* lines in the history file, as far as this shell knows */
	char *histfile;
	char *cwd_cache;
	char *aliases; /* reserved */
};

/* --- errors and output (error.c) --- */
_Noreturn void sh_raise(struct shell *sh, enum exc e);
_Noreturn void sh_error(struct shell *sh, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
_Noreturn void sh_exit(struct shell *sh, int status);
void sh_warn(struct shell *sh, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sh_warn_cmd(struct shell *sh, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int sh_builtin_err(struct shell *sh, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void out_write(struct shell *sh, int fd, const char *s, size_t n);
void out_str(struct shell *sh, int fd, const char *s);
void out_fmt(struct shell *sh, int fd, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int out_flush(struct shell *sh); /* 0 or errno of a failed write */
void out_discard(struct shell *sh);
int xwrite_all(int fd, const char *s, size_t n);

/* --- variables (var.c) --- */
void var_init(struct shell *sh, char **environ);
struct var *var_lookup(struct shell *sh, const char *name);
const char *var_get(struct shell *sh, const char *name);
/* Sets a variable; returns false (with a message) when it is read-only. */
bool var_set(struct shell *sh, const char *name, const char *value, unsigned flags);
void var_set_or_raise(struct shell *sh, const char *name, const char *value, unsigned flags);
bool var_unset(struct shell *sh, const char *name);
bool var_valid_name(const char *s);
size_t var_name_len(const char *s);
char **var_environ(struct shell *sh, struct arena *a);
void var_each(struct shell *sh, void (*fn)(struct shell *, struct var *, void *), void *ctx);
struct var **var_sorted(struct shell *sh, struct arena *a, size_t *n);
void var_make_local(struct shell *sh, const char *name);
void var_save_to(struct shell *sh, const char *name, struct local_save **list);
void var_restore_list(struct shell *sh, struct local_save **list, struct local_save *until);
void var_save_options_local(struct shell *sh);
void var_pop_locals(struct shell *sh, struct local_save *until);
void params_set(struct shell *sh, char **argv, int n);
void params_free(char **params);
char *opt_string(struct shell *sh, char *buf);
/* Option table: letter (0 if none) and long name, indexed by enum opt. */
char opt_letter(int i);
const char *opt_name(int i);
int opt_by_letter(int c);          /* -1 if unknown */
int opt_by_name(const char *name); /* -1 if unknown */
void var_changed(struct shell *sh, const char *name);

/* --- parser (parse.c) --- */
struct input;
struct parse_error {
	int line;
	char msg[160];
};

struct input *input_from_string(const char *s, size_t len, int lineno);
struct input *input_from_fd(int fd, int lineno);
void input_free(struct input *in);
void input_set_verbose(struct input *in, bool *verbose_flag);
void input_set_reader(struct input *in,
		      int (*reader)(void *ctx, struct strbuf *line, bool continuation), void *ctx);
int input_lineno(const struct input *in);
bool input_eof(const struct input *in);

enum parse_result {
	PARSE_OK, /* *out is a command, or NULL for an empty line */
	PARSE_EOF,
	PARSE_ERROR,
};

/* Parses the next complete command (up to an unnested newline) from in
 * into arena a.  Returns PARSE_ERROR with err filled in on a syntax error,
 * after discarding the rest of the line. */
enum parse_result parse_command(struct input *in, struct arena *a, struct node **out,
				struct parse_error *err);
/* Parses a whole string into one tree (eval, -c, trap actions). */
enum parse_result parse_string(const char *s, int lineno, struct arena *a, struct node **out,
			       struct parse_error *err);
bool parse_is_keyword(const char *s);
/* Parses text as a here-document body would be (for prompts and $ENV). */
struct word *parse_word_text(const char *s, struct arena *a, struct parse_error *err);

/* --- printing trees (print.c) --- */
void node_print(struct strbuf *b, const struct node *n);
void word_print(struct strbuf *b, const struct word *w);

/* --- expansion (expand.c) --- */
enum {
	EXP_FIELDS = 1,       /* split and glob: a command's arguments */
	EXP_TILDE_ASSIGN = 2, /* tilde after ':' too (assignments) */
	EXP_PATTERN = 4,      /* result is a pattern: quoted chars escaped */
	EXP_HEREDOC = 8,
};
/* Expands a list of words into a NULL-terminated argv (scratch arena). */
char **expand_words(struct shell *sh, struct word *w, int *argc);
/* Expands one word to one string (no splitting or globbing). */
char *expand_word_str(struct shell *sh, struct word *w, int flags);
/* Expands a here-document body. */
char *expand_heredoc(struct shell *sh, struct word *w);
int cmdsub_status(struct shell *sh);

/* --- arithmetic (arith.c) --- */
struct arith_ops {
	const char *(*get)(void *ctx, const char *name);
	bool (*set)(void *ctx, const char *name, const char *value);
	void *ctx;
};
/* Evaluates expr; returns 0 and *result, or -1 with a message in err. */
int arith_eval(const char *expr, const struct arith_ops *ops, intmax_t *result, char *err,
	       size_t errlen);
intmax_t sh_arith(struct shell *sh, const char *expr);

/* --- patterns and globbing (pattern.c) --- */
/* Matches str against pattern (a backslash quotes the next character). */
bool pattern_match(const char *pattern, const char *str);
/* Prefix/suffix matching for ${x#p} and friends: returns the length of the
 * shortest or longest prefix (or suffix) matching, or -1. */
long pattern_prefix(const char *pattern, const char *str, bool longest);
long pattern_suffix(const char *pattern, const char *str, bool longest);
bool pattern_has_magic(const char *pattern);
/* Expands a glob pattern into sorted matches appended via add(); returns
 * the count (0: no match). */
size_t glob_expand(const char *pattern, void (*add)(void *ctx, const char *path), void *ctx);
char *pattern_unescape(const char *p, struct arena *a);

/* --- execution (exec.c) --- */
enum {
	EV_TESTED = 1, /* status is tested: no errexit */
	EV_EXIT = 2,   /* shell exits after this command */
	EV_BG = 4,     /* asynchronous: do not wait */
};
int exec_node(struct shell *sh, struct node *n, int flags);
int exec_string(struct shell *sh, const char *s, const char *what);
/* Runs a loaded script or -c text; handles errors per top-level command. */
int exec_input(struct shell *sh, struct input *in, bool toplevel);
int exec_function(struct shell *sh, struct func *f, char **argv, int argc, int flags);
/* Finds a command in PATH: returns a malloc'd path, or NULL. */
char *path_search(struct shell *sh, const char *name, const char *path);
void run_pending_traps(struct shell *sh);
void check_interrupt(struct shell *sh);
_Noreturn void sh_finish(struct shell *sh, int status);
void run_exit_trap(struct shell *sh);

/* --- redirections (redir.c) --- */
void redir_push(struct shell *sh);
void redir_pop(struct shell *sh);
void redir_pop_to(struct shell *sh, struct redir_frame *f);
/* Applies redirections in the current frame; returns 0, or non-zero after
 * printing a message. */
int redir_apply(struct shell *sh, struct redir *r);
void redir_forget(struct shell *sh);
void redir_dup_into(struct shell *sh, int src, int fd); /* keep current redirections (exec) */
int fd_move_high(int fd);                               /* dup to >= 10, close-on-exec */
int redir_open_heredoc(struct shell *sh, const char *body, size_t len);

/* --- functions (func.c) --- */
struct func *func_lookup(struct shell *sh, const char *name);
void func_define(struct shell *sh, const char *name, struct node *body);
bool func_unset(struct shell *sh, const char *name);
void func_release(struct func *f);

/* --- builtins (builtins.c and bi_*.c) --- */
typedef int (*builtin_fn)(struct shell *sh, int argc, char **argv);
struct builtin {
	const char *name;
	builtin_fn fn;
	bool special;
};
const struct builtin *builtin_lookup(const char *name);
const struct builtin *builtin_table(size_t *n);

/* --- jobs (jobs.c) --- */
struct job *job_new(struct shell *sh, const pid_t *pids, int n, const char *text, bool bg);
int job_wait(struct shell *sh, struct job *j); /* returns $? */
/* Waits for processes started in the foreground as a job, command cmd
 * (or, without one, text) for its text; in an interactive shell the job
 * can stop, and is then kept as a stopped job.  Returns $?. */
int job_foreground(struct shell *sh, const pid_t *pids, int n, struct node *cmd, const char *text);
/* The signal that stopped job j (its last stopped process's), once each
 * of its processes has stopped or ended; 0 while one runs or when none
 * stopped. */
int job_stop_signal(const struct job *j);
/* Continues j (SIGCONT to each of its processes: fg, bg, kill); it counts
 * as running again. */
void job_continue(struct shell *sh, struct job *j);
/* Whether exit or an end of input should leave the shell running for its
 * stopped jobs: says "You have stopped jobs." once, as dash. */
bool job_stopped_warning(struct shell *sh);
/* Hangs up on stopped jobs (SIGHUP, SIGCONT) as an interactive shell
 * leaves, so that none stays stopped for ever. */
void job_hangup(struct shell *sh);
void job_reap(struct shell *sh, bool block);
void job_notify(struct shell *sh);
void job_print(struct shell *sh, int fd, struct job *j);
struct job *job_find(struct shell *sh, const char *spec);
void job_free(struct shell *sh, struct job *j);
int status_from(const struct os_status *st);

/* --- child shells (child.c, serial.c) --- */
/* Spawns a child shell running n with the current state.  fdmap as for
 * os_spawn; returns 0 and *pid or an errno value. */
int child_spawn(struct shell *sh, struct node *n, const int *fdmap, int nfd, bool bg, pid_t *pid);
/* Entry of a child shell: reads the state from fd and runs. */
_Noreturn void child_main(struct shell *sh, int fd);
void serial_state(struct shell *sh, struct node *n, struct strbuf *out);
/* Restores state from buf; returns the tree to run, or NULL (with err). */
/* Whether buf holds a whole state (a killed writer leaves it short). */
bool serial_complete(const char *buf, size_t len);
struct node *deserial_state(struct shell *sh, const char *buf, size_t len, struct arena *a,
			    const char **err);
void serial_node(struct strbuf *b, const struct node *n);
struct node *deserial_node(const char *buf, size_t len, struct arena *a, const char **err);
struct node *node_copy(const struct node *n, struct arena *a);

/* --- interactive (interactive.c) --- */
int interactive_loop(struct shell *sh, struct input *in);
char *prompt_expand(struct shell *sh, const char *ps);

/* --- the fd map shared by executors --- */
void fdmap_identity(int *map, int n);

/* shell setup and teardown (shell.c) */
void shell_init(struct shell *sh, int argc, char **argv, char **envp);
void shell_init_child(struct shell *sh);
/* Releases everything a shell holds (for tests and fuzzers). */
void shell_free(struct shell *sh);
int shell_main(struct shell *sh, int argc, char **argv);
const char *sh_name(struct shell *sh);
char *sh_getcwd(void);
void sh_update_pwd(struct shell *sh, bool physical_only);

#endif
