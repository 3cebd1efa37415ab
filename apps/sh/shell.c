/*
 * shell.c - starting the shell: the command line (sh [options] [-c cmd |
 * -s | file] [args]), default variables, the command loop that parses and
 * runs one complete command at a time, and the handling of errors that
 * reach it.
 *
 * Interactive shells read a startup file first: the file named by $ENV
 * (after parameter expansion) when ENV is set, otherwise $HOME/.shrc when
 * it exists.
 */
#define _DEFAULT_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec.h"
#include "input.h"

void var_changed(struct shell *sh, const char *name)
{
	if (!sh->in_getopts && strcmp(name, "OPTIND") == 0)
		sh->getopts_off = 0;
}

/* Descriptors 10 and up that the shell inherited are not passed on: a
 * child gets exactly the descriptors the shell maps for it. Those below
 * the descriptor limit are looked at (Keel has 256), at most 1024. */
static void cloexec_inherited(void)
{
	struct rlimit rl;
	int top = 1024;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)top)
		top = (int)rl.rlim_cur;
	for (int fd = 10; fd < top; fd++) {
		int fl = fcntl(fd, F_GETFD);

		if (fl >= 0 && !(fl & FD_CLOEXEC))
			fcntl(fd, F_SETFD, fl | FD_CLOEXEC);
	}
}

static void shell_init_common(struct shell *sh)
{
	cloexec_inherited();
	memset(sh, 0, sizeof(*sh));
	arena_init(&sh->scratch);
	sh->out1.fd = 1;
	sh->out2.fd = 2;
	sh->rootpid = os_getpid();
	sh->ppid = os_getppid();
	sh->max_funcnest = 1000;
}

void shell_free(struct shell *sh)
{
	for (int i = 0; i < VAR_BUCKETS; i++) {
		while (sh->vars[i]) {
			struct var *v = sh->vars[i];

			sh->vars[i] = v->next;
			free(v->name);
			free(v->value);
			free(v);
		}
	}
	while (sh->funcs)
		func_unset(sh, sh->funcs->name);
	var_pop_locals(sh, NULL);
	for (int i = 0; i < 65; i++)
		free(sh->traps[i]);
	while (sh->jobs)
		job_free(sh, sh->jobs);
	while (sh->redir)
		redir_pop(sh);
	params_free(sh->params);
	free(sh->arg0);
	arena_free(&sh->scratch);
	free(sh);
}

void shell_init_child(struct shell *sh)
{
	shell_init_common(sh);
	os_signal_setup(false);
}

void shell_init(struct shell *sh, int argc, char **argv, char **envp)
{
	char num[32];

	(void)argc;
	shell_init_common(sh);
	sh->arg0 = xstrdup(argv[0] ? argv[0] : "sh");
	var_init(sh, envp);
	var_set(sh, "IFS", " \t\n", 0);
	var_set(sh, "PS1", "$PWD $ ", 0);
	var_set(sh, "PS2", "> ", 0);
	var_set(sh, "PS4", "+ ", 0);
	var_set(sh, "OPTIND", "1", 0);
	if (!var_get(sh, "PATH"))
		var_set(sh, "PATH", SH_DEFAULT_PATH, 0);
	snprintf(num, sizeof(num), "%ld", (long)sh->ppid);
	var_set(sh, "PPID", num, 0);
	sh_update_pwd(sh, false);
	params_set(sh, NULL, 0);
}

/* Reports a syntax error; non-interactive shells exit with status 2. */
static void syntax_error(struct shell *sh, struct parse_error *err)
{
	sh->lineno = err->line;
	sh_warn_cmd(sh, "%s", err->msg);
	sh->status = 2;
	if (!sh->interactive)
		sh_exit(sh, 2);
}

/* What to do with an exception caught by the command loop: returns true
 * to go on reading commands. */
static bool loop_recover(struct shell *sh, bool toplevel)
{
	enum exc e = (enum exc)sh->exc_pending;

	if (!toplevel || !sh->interactive || e == EX_EXIT)
		sh_raise(sh, e);
	if (e == EX_INT)
		out_str(sh, 2, "\n");
	out_flush(sh);
	sh->status = sh->exc_status;
	sh->skip = 0;
	sh->returning = false;
	sh->loopnest = 0;
	sh->funcnest = 0;
	sh->dot_depth = 0;
	os_interrupt_clear();
	return true;
}

int exec_input(struct shell *sh, struct input *in, bool toplevel)
{
	struct catch_point cp;
	struct parse_error err;
	struct arena a;
	struct node *n;
	volatile int status = 0;

	arena_init(&a);
	for (;;) {
		catch_push(sh, &cp);
		if (setjmp(cp.jb)) {
			catch_unwind(sh, &cp);
			arena_free(&a);
			loop_recover(sh, toplevel);
			status = sh->status;
			continue;
		}
		if (toplevel && sh->interactive)
			job_notify(sh);
		enum parse_result r = parse_command(in, &a, &n, &err);

		if (r == PARSE_EOF) {
			catch_pop(sh, &cp);
			if (toplevel && sh->interactive && job_stopped_warning(sh)) {
				input_resume(in);
				arena_free(&a);
				continue;
			}
			break;
		}
		sh->job_warning = sh->job_warning == 2 ? 1 : 0;
		if (r == PARSE_ERROR)
			syntax_error(sh, &err);
		else if (n && (!sh->opt[OPT_n] || sh->interactive))
			status = exec_node(sh, n, 0);
		catch_pop(sh, &cp);
		arena_free(&a);
		if (sh->returning && !toplevel)
			break;
	}
	arena_free(&a);
	return sh->returning ? sh->status : status;
}

static void usage_error(struct shell *sh, const char *fmt, const char *arg)
{
	char msg[256];

	snprintf(msg, sizeof(msg), fmt, arg);
	fprintf(stderr, "%s: 0: %s\n", sh_name(sh), msg);
	exit(2);
}

struct startup {
	bool cmd, stdin_mode, interactive;
	int first; /* first non-option argument */
};

/* Parses the shell's own options. */
static void parse_args(struct shell *sh, int argc, char **argv, struct startup *st)
{
	int i = 1;

	memset(st, 0, sizeof(*st));
	for (; i < argc; i++) {
		char *a = argv[i];

		if ((a[0] != '-' && a[0] != '+') || !a[1])
			break;
		if (strcmp(a, "--") == 0 || strcmp(a, "-") == 0) {
			i++;
			break;
		}
		bool on = a[0] == '-';

		for (char *c = a + 1; *c; c++) {
			int idx;

			if (*c == 'c')
				st->cmd = on;
			else if (*c == 's')
				st->stdin_mode = on;
			else if (*c == 'i')
				st->interactive = on;
			else if (*c == 'o' && i + 1 < argc && (idx = opt_by_name(argv[i + 1])) >= 0)
				sh->opt[idx] = on, i++;
			else if ((idx = opt_by_letter(*c)) >= 0 && *c != 'o')
				sh->opt[idx] = on;
			else
				usage_error(sh, "Illegal option -%s", (char[]){ *c, 0 });
		}
	}
	st->first = i;
}

/* Runs the startup file of an interactive shell. */
static void read_startup(struct shell *sh)
{
	const char *env = var_get(sh, "ENV");
	char *file = NULL;

	if (env) {
		file = prompt_expand(sh, env);
	} else if (var_get(sh, "HOME")) {
		file = xmalloc(strlen(var_get(sh, "HOME")) + 8);
		sprintf(file, "%s/.shrc", var_get(sh, "HOME"));
	}
	if (!file)
		return;
	int fd = open(file, O_RDONLY | O_CLOEXEC);

	free(file);
	if (fd < 0)
		return;
	fd = fd_move_high(fd);
	struct input *in = input_from_fd(fd, 1);

	sh->dot_depth++;
	exec_input(sh, in, false);
	sh->dot_depth--;
	sh->returning = false;
	input_free(in);
	close(fd);
}

static struct input *open_script(struct shell *sh, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "%s: 0: cannot open %s: %s\n", sh_name(sh), path,
			errno == ENOENT ? "No such file" : strerror(errno));
		exit(2);
	}
	return input_from_fd(fd_move_high(fd), 1);
}

int shell_main(struct shell *sh, int argc, char **argv)
{
	struct startup st;
	struct input *in;
	struct catch_point cp;

	parse_args(sh, argc, argv, &st);
	int i = st.first;

	if (st.cmd) {
		if (i >= argc)
			usage_error(sh, "-c requires an argument%s", "");
		in = input_from_string(argv[i], strlen(argv[i]), 1);
		i++;
		if (i < argc) {
			free(sh->arg0);
			sh->arg0 = xstrdup(argv[i++]);
		}
	} else if (i < argc && !st.stdin_mode) {
		in = open_script(sh, argv[i]);
		free(sh->arg0);
		sh->arg0 = xstrdup(argv[i++]);
	} else {
		in = input_from_fd(0, 1);
		st.stdin_mode = true;
		if (!st.interactive && os_isatty(0) && os_isatty(2))
			st.interactive = true;
	}
	params_set(sh, argv + i, argc - i);
	sh->interactive = st.interactive;
	sh->opt[OPT_i] = st.interactive;
	sh->opt[OPT_s] = st.stdin_mode;
	os_signal_setup(sh->interactive);
	input_set_verbose(in, &sh->opt[OPT_v]);
	catch_push(sh, &cp);
	if (setjmp(cp.jb)) {
		catch_unwind(sh, &cp);
		sh_finish(sh, sh->exc_status);
	}
	if (sh->interactive) {
		read_startup(sh);
		int status = interactive_loop(sh, in);

		sh_finish(sh, status);
	}
	int status = exec_input(sh, in, true);

	catch_pop(sh, &cp);
	sh_finish(sh, status);
}
