/*
 * exec.h - executor internals shared by exec.c, pipe.c, the builtins and
 * the child-shell code.
 */
#ifndef SH_EXEC_H
#define SH_EXEC_H

#include "sh.h"

#ifndef SH_DEFAULT_PATH
#define SH_DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#endif

/* argv[1] of a child shell: the state descriptor number follows. */
#define CHILD_FLAG "--keel-child-state"

void catch_push(struct shell *sh, struct catch_point *cp);
void catch_pop(struct shell *sh, struct catch_point *cp);
void catch_unwind(struct shell *sh, struct catch_point *cp);

void run_trap_action(struct shell *sh, const char *action);
char *path_search_ex(struct shell *sh, const char *name, const char *path, bool *denied);
char *find_program(struct shell *sh, const char *name, int *status);
char *find_program_ex(struct shell *sh, const char *name, int *status, bool in_builtin);
/* Prints how a job's last process died ("Killed"), unless by SIGINT/PIPE. */
void job_report_signal(struct shell *sh, struct job *j);
int spawn_program(struct shell *sh, const char *path, char **argv, char **envp, bool bg,
		  pid_t *pid);
int start_simple(struct shell *sh, struct node *n, bool bg, pid_t *pid);
bool is_direct_command(struct shell *sh, struct node *n);
bool node_has_side_effects(struct node *n);
int exec_pipeline(struct shell *sh, struct node *n, int flags);
void job_set_text(struct shell *sh, pid_t pid, struct node *n);
/* Records the status of child pid in the job that owns it. */
void job_record(struct shell *sh, pid_t pid, const struct os_status *st);
void interactive_save_history(struct shell *sh);

/* Quoting for output that the shell can read back: 'a'"'"'b'. */
void shell_quote(struct strbuf *b, const char *s);
/* Parses a non-negative decimal number; false if it is not one. */
bool parse_number(const char *s, int *out);
/* getopt for builtins: the options in optstr (no arguments) are returned
 * one at a time; -1 at the first operand, '?' after a message. */
struct bopt {
	int ind;
	const char *next;
};
int builtin_getopt(struct shell *sh, struct bopt *o, int argc, char **argv, const char *optstr);

#endif
