/*
 * builtins.c - the builtin table and the builtins that manage the shell's
 * own state: control flow, variables, options, eval, ., exec, command,
 * type.  Messages follow dash.  Special builtins (POSIX 2.14) report
 * fatal errors with sh_error, which ends a non-interactive shell.
 */
#define _DEFAULT_SOURCE 1
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtins.h"
#include "exec.h"
#include "input.h"

static const struct builtin table[] = {
	{ ".", bi_dot, true },
	{ ":", bi_true, true },
	{ "[", bi_test, false },
	{ "bg", bi_bg, false },
	{ "break", bi_break, true },
	{ "cd", bi_cd, false },
	{ "command", bi_command, false },
	{ "continue", bi_continue, true },
	{ "echo", bi_echo, false },
	{ "eval", bi_eval, true },
	{ "exec", bi_exec, true },
	{ "exit", bi_exit, true },
	{ "export", bi_export, true },
	{ "false", bi_false, false },
	{ "fg", bi_fg, false },
	{ "getopts", bi_getopts, false },
	{ "hash", bi_hash, false },
	{ "jobs", bi_jobs, false },
	{ "kill", bi_kill, false },
	{ "local", bi_local, false },
	{ "printf", bi_printf, false },
	{ "pwd", bi_pwd, false },
	{ "read", bi_read, false },
	{ "readonly", bi_readonly, true },
	{ "return", bi_return, true },
	{ "set", bi_set, true },
	{ "shift", bi_shift, true },
	{ "test", bi_test, false },
	{ "times", bi_times, true },
	{ "trap", bi_trap, true },
	{ "true", bi_true, false },
	{ "type", bi_type, false },
	{ "umask", bi_umask, false },
	{ "unset", bi_unset, true },
	{ "wait", bi_wait, false },
};

#define NBUILTINS (sizeof(table) / sizeof(table[0]))

const struct builtin *builtin_lookup(const char *name)
{
	for (size_t i = 0; i < NBUILTINS; i++)
		if (strcmp(table[i].name, name) == 0)
			return &table[i];
	return NULL;
}

const struct builtin *builtin_table(size_t *n)
{
	*n = NBUILTINS;
	return table;
}

bool parse_number(const char *s, int *out)
{
	long v = 0;

	if (!*s)
		return false;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		v = v * 10 + (*p - '0');
		if (v > 0x7fffffff)
			return false;
	}
	*out = (int)v;
	return true;
}

int builtin_getopt(struct shell *sh, struct bopt *o, int argc, char **argv, const char *optstr)
{
	if (!o->next || !*o->next) {
		if (o->ind >= argc || argv[o->ind][0] != '-' || !argv[o->ind][1])
			return -1;
		if (strcmp(argv[o->ind], "--") == 0) {
			o->ind++;
			return -1;
		}
		o->next = argv[o->ind++] + 1;
	}
	int c = *o->next++;

	if (!strchr(optstr, c)) {
		sh_warn(sh, "Illegal option -%c", c);
		return '?';
	}
	return c;
}

void shell_quote(struct strbuf *b, const char *s)
{
	sb_putc(b, '\'');
	for (; *s; s++) {
		if (*s != '\'') {
			sb_putc(b, *s);
			continue;
		}
		sb_puts(b, "'\"");
		while (*s == '\'')
			sb_putc(b, *s++);
		s--;
		sb_puts(b, "\"'");
	}
	sb_putc(b, '\'');
}

/* --- trivial --- */

int bi_true(struct shell *sh, int argc, char **argv)
{
	(void)sh, (void)argc, (void)argv;
	return 0;
}

int bi_false(struct shell *sh, int argc, char **argv)
{
	(void)sh, (void)argc, (void)argv;
	return 1;
}

int bi_hash(struct shell *sh, int argc, char **argv)
{
	(void)sh, (void)argc, (void)argv;
	return 0;
}

/* --- control flow --- */

/* exit [n]: the status defaults to $? (the status before a trap). */
int bi_exit(struct shell *sh, int argc, char **argv)
{
	int n = sh->in_trap ? sh->trap_status : sh->status;

	if (job_stopped_warning(sh))
		return 0;
	if (argc > 1 && !parse_number(argv[1], &n))
		sh_error(sh, "Illegal number: %s", argv[1]);
	out_flush(sh);
	sh_exit(sh, n & 0xff);
}

int bi_return(struct shell *sh, int argc, char **argv)
{
	int n = sh->in_trap ? sh->trap_status : sh->status;

	if (argc > 1 && !parse_number(argv[1], &n)) {
		if (!(argv[1][0] == '-' && parse_number(argv[1] + 1, &n)))
			sh_error(sh, "Illegal number: %s", argv[1]);
		n = -n;
	}
	if (!sh->funcnest && !sh->dot_depth) {
		out_flush(sh);
		sh_exit(sh, n & 0xff);
	}
	sh->returning = true;
	return sh->status = n & 0xff;
}

static int loop_control(struct shell *sh, int argc, char **argv, bool cont)
{
	int n = 1;

	if (argc > 1 && (!parse_number(argv[1], &n) || n == 0))
		sh_error(sh, "Illegal number: %s", argv[1]);
	if (!sh->loopnest)
		return 0;
	sh->skip = n > sh->loopnest ? sh->loopnest : n;
	sh->skip_continue = cont;
	return 0;
}

int bi_break(struct shell *sh, int argc, char **argv)
{
	return loop_control(sh, argc, argv, false);
}

int bi_continue(struct shell *sh, int argc, char **argv)
{
	return loop_control(sh, argc, argv, true);
}

/* --- positional parameters and options --- */

int bi_shift(struct shell *sh, int argc, char **argv)
{
	int n = 1;

	if (argc > 1 && !parse_number(argv[1], &n))
		sh_error(sh, "Illegal number: %s", argv[1]);
	if (n > sh->nparams)
		sh_error(sh, "can't shift that many");
	for (int i = 0; i < n; i++)
		free(sh->params[i]);
	memmove(sh->params, sh->params + n, sizeof(char *) * (size_t)(sh->nparams - n + 1));
	sh->nparams -= n;
	return 0;
}

static void print_var_cb(struct shell *sh, struct var *v, const char *prefix)
{
	struct strbuf b;

	sb_init(&b);
	sb_puts(&b, prefix);
	sb_puts(&b, v->name);
	if (v->value) {
		sb_putc(&b, '=');
		shell_quote(&b, v->value);
	}
	sb_putc(&b, '\n');
	out_write(sh, 1, b.s, b.len);
	sb_free(&b);
}

/* Lists variables with any of flags (all with 0), sorted. */
static void list_vars(struct shell *sh, unsigned flags, const char *prefix)
{
	size_t n;
	struct arena_mark m = arena_mark(&sh->scratch);
	struct var **v = var_sorted(sh, &sh->scratch, &n);

	for (size_t i = 0; i < n; i++) {
		if (flags && !(v[i]->flags & flags))
			continue;
		if (!flags && !v[i]->value)
			continue;
		print_var_cb(sh, v[i], prefix);
	}
	arena_release(&sh->scratch, m);
}

static void list_options(struct shell *sh, bool plus)
{
	if (!plus)
		out_str(sh, 1, "Current option settings\n");
	for (int i = 0; i < OPT_COUNT; i++) {
		if (plus)
			out_fmt(sh, 1, "set %co %s\n", sh->opt[i] ? '-' : '+', opt_name(i));
		else
			out_fmt(sh, 1, "%-16s%s\n", opt_name(i), sh->opt[i] ? "on" : "off");
	}
}

/* Applies one -x/+x letter or -o name; returns false after a message. */
static bool set_option(struct shell *sh, int idx, bool on, const char *shown, char sign)
{
	if (idx < 0) {
		sh_error(sh, "Illegal option %c%s", sign, shown);
		return false;
	}
	if (idx != OPT_i)
		sh->opt[idx] = on;
	return true;
}

/* Parses set's options; returns the index of the first operand, or -1
 * when `--` or operands replace the positional parameters. */
static int set_options(struct shell *sh, int argc, char **argv, bool *replace)
{
	int i = 1;

	*replace = false;
	for (; i < argc; i++) {
		char *a = argv[i];

		if ((a[0] != '-' && a[0] != '+') || !a[1]) {
			if (strcmp(a, "-") == 0) {
				sh->opt[OPT_x] = sh->opt[OPT_v] = false;
				i++;
				*replace = i < argc;
			}
			break;
		}
		if (strcmp(a, "--") == 0) {
			*replace = true;
			return i + 1;
		}
		bool on = a[0] == '-';

		for (char *c = a + 1; *c; c++) {
			if (*c == 'o') {
				if (i + 1 >= argc) {
					list_options(sh, !on);
					continue;
				}
				char shown[128];

				snprintf(shown, sizeof(shown), "o %s", argv[i + 1]);
				set_option(sh, opt_by_name(argv[++i]), on, shown, a[0]);
				continue;
			}
			char shown[2] = { *c, 0 };

			set_option(sh, opt_by_letter(*c), on, shown, a[0]);
		}
	}
	if (i < argc)
		*replace = true;
	return i;
}

int bi_set(struct shell *sh, int argc, char **argv)
{
	bool replace;

	if (argc == 1) {
		list_vars(sh, 0, "");
		return 0;
	}
	int first = set_options(sh, argc, argv, &replace);

	if (replace)
		params_set(sh, argv + first, argc - first);
	return 0;
}

/* --- variables --- */

int bi_unset(struct shell *sh, int argc, char **argv)
{
	struct bopt o = { 1, NULL };
	bool funcs = false;
	int c;

	while ((c = builtin_getopt(sh, &o, argc, argv, "fv")) != -1) {
		if (c == '?')
			return 2;
		funcs = c == 'f';
	}
	for (int i = o.ind; i < argc; i++) {
		if (funcs) {
			func_unset(sh, argv[i]);
			continue;
		}
		if (!var_valid_name(argv[i]))
			sh_error(sh, "%s: bad variable name", argv[i]);
		if (!var_unset(sh, argv[i]))
			sh_error(sh, "%s: is read only", argv[i]);
	}
	return 0;
}

/* export and readonly: name[=value]... or -p. */
static int declare(struct shell *sh, int argc, char **argv, unsigned flag, const char *prefix)
{
	int i = 1;

	if (i < argc && strcmp(argv[i], "-p") == 0)
		i++;
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i >= argc) {
		list_vars(sh, flag, prefix);
		return 0;
	}
	for (; i < argc; i++) {
		char *eq = strchr(argv[i], '=');

		if (eq)
			*eq = '\0';
		if (!var_valid_name(argv[i]))
			sh_error(sh, "%s: bad variable name", argv[i]);
		var_set_or_raise(sh, argv[i], eq ? eq + 1 : NULL, flag);
		if (eq)
			*eq = '=';
	}
	return 0;
}

int bi_export(struct shell *sh, int argc, char **argv)
{
	return declare(sh, argc, argv, V_EXPORT, "export ");
}

int bi_readonly(struct shell *sh, int argc, char **argv)
{
	return declare(sh, argc, argv, V_READONLY, "readonly ");
}

int bi_local(struct shell *sh, int argc, char **argv)
{
	if (!sh->funcnest)
		sh_error(sh, "not in a function");
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0) {
			var_save_options_local(sh);
			continue;
		}
		char *eq = strchr(argv[i], '=');

		if (eq)
			*eq = '\0';
		if (!var_valid_name(argv[i]))
			sh_error(sh, "%s: bad variable name", argv[i]);
		var_make_local(sh, argv[i]);
		if (eq) {
			var_set_or_raise(sh, argv[i], eq + 1, 0);
			*eq = '=';
		}
	}
	return 0;
}

/* --- eval, ., exec, command --- */

int bi_eval(struct shell *sh, int argc, char **argv)
{
	struct strbuf b;

	if (argc < 2)
		return 0;
	sb_init(&b);
	for (int i = 1; i < argc; i++) {
		if (i > 1)
			sb_putc(&b, ' ');
		sb_puts(&b, argv[i]);
	}
	char *text = arena_strdup(&sh->scratch, sb_cstr(&b));

	sb_free(&b);
	sh->cmdname = NULL;
	return exec_string(sh, text, "eval");
}

/* Finds the file for `.`: names without '/' are searched in PATH. */
static char *dot_find(struct shell *sh, const char *name)
{
	if (strchr(name, '/'))
		return xstrdup(name);
	char *p = path_search(sh, name, NULL);

	if (p)
		return p;
	struct strbuf b;
	const char *path = var_get(sh, "PATH");

	sb_init(&b);
	for (const char *s = path ? path : ""; *s;) {
		const char *e = strchr(s, ':');
		size_t n = e ? (size_t)(e - s) : strlen(s);

		b.len = 0;
		sb_put(&b, n ? s : ".", n ? n : 1);
		sb_putc(&b, '/');
		sb_puts(&b, name);
		if (access(sb_cstr(&b), R_OK) == 0)
			return sb_detach(&b);
		s = e ? e + 1 : s + n;
	}
	sb_free(&b);
	return xstrdup(name);
}

/* Ends a `.`: releases the input and restores the parameters. */
static void dot_done(struct shell *sh, struct input *in, int fd, char **saved, int nsaved)
{
	sh->dot_depth--;
	if (saved) {
		params_free(sh->params);
		sh->params = saved;
		sh->nparams = nsaved;
	}
	input_free(in);
	close(fd);
}

/* `. file [args]`: with arguments, they are the positional parameters
 * while the file runs (as in ash and bash). */
int bi_dot(struct shell *sh, int argc, char **argv)
{
	if (argc < 2)
		return 0;
	char *path = dot_find(sh, argv[1]);
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	free(path);
	if (fd < 0)
		sh_error(sh, "cannot open %s: No such file", argv[1]);
	fd = fd_move_high(fd);
	struct input *in = input_from_fd(fd, 1);
	int saved_line = sh->lineno;
	char **saved = sh->params;
	int nsaved = sh->nparams;
	struct catch_point cp;

	input_set_verbose(in, &sh->opt[OPT_v]);
	if (argc > 2) {
		sh->params = NULL;
		params_set(sh, argv + 2, argc - 2);
	}
	sh->dot_depth++;
	sh->cmdname = NULL;
	catch_push(sh, &cp);
	if (setjmp(cp.jb)) {
		catch_unwind(sh, &cp);
		dot_done(sh, in, fd, argc > 2 ? saved : NULL, nsaved);
		sh_raise(sh, (enum exc)sh->exc_pending);
	}
	int status = exec_input(sh, in, false);

	catch_pop(sh, &cp);
	dot_done(sh, in, fd, argc > 2 ? saved : NULL, nsaved);
	sh->lineno = saved_line;
	if (sh->returning) {
		sh->returning = false;
		status = sh->status;
	}
	return status;
}

/* exec: without a command the redirections stay; with one, the command
 * replaces the shell: it runs and the shell exits with its status. */
int bi_exec(struct shell *sh, int argc, char **argv)
{
	int status = 0;
	pid_t pid;

	if (argc < 2) {
		redir_forget(sh);
		return 0;
	}
	char *path = find_program_ex(sh, argv[1], &status, true);

	if (!path)
		sh_exit(sh, status);
	char **envp = var_environ(sh, &sh->scratch);

	status = spawn_program(sh, path, argv + 1, envp, false, &pid);
	if (!status)
		status = job_wait(sh, job_new(sh, &pid, 1, NULL, false));
	sh->exit_trap_ran = true;
	sh_exit(sh, status);
}

/* Runs a builtin for `command`: a special builtin's errors do not end the
 * shell here. */
static int command_builtin(struct shell *sh, const struct builtin *b, int argc, char **argv)
{
	struct catch_point cp;
	int status;

	catch_push(sh, &cp);
	if (setjmp(cp.jb)) {
		catch_unwind(sh, &cp);
		if (sh->exc_pending != EX_ERROR)
			sh_raise(sh, (enum exc)sh->exc_pending);
		return sh->exc_status;
	}
	sh->cmdname = argv[0];
	status = b->fn(sh, argc, argv);
	catch_pop(sh, &cp);
	return status;
}

static int describe(struct shell *sh, const char *name, bool verbose, const char *path);

int bi_command(struct shell *sh, int argc, char **argv)
{
	int i = 1, mode = 0;
	const char *path = NULL;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		for (char *c = argv[i] + 1; *c; c++) {
			if (*c == 'p')
				path = SH_DEFAULT_PATH;
			else if (*c == 'v' || *c == 'V')
				mode = *c;
			else
				return sh_builtin_err(sh, 2, "Illegal option -%c", *c);
		}
	}
	if (i >= argc)
		return 0;
	if (mode)
		return describe(sh, argv[i], mode == 'V', path);
	const struct builtin *b = strchr(argv[i], '/') ? NULL : builtin_lookup(argv[i]);

	if (b)
		return command_builtin(sh, b, argc - i, argv + i);
	int status = 0;
	pid_t pid;
	char *prog;

	if (path && !strchr(argv[i], '/')) {
		bool denied;
		char *p = path_search_ex(sh, argv[i], path, &denied);

		prog = p ? arena_strdup(&sh->scratch, p) : NULL;
		free(p);
		if (!prog)
			return sh_builtin_err(sh, 127, "%s: not found", argv[i]);
	} else {
		prog = find_program(sh, argv[i], &status);
		if (!prog)
			return status;
	}
	status = spawn_program(sh, prog, argv + i, var_environ(sh, &sh->scratch), false, &pid);
	if (status)
		return status;
	struct strbuf text; /* the job's name, should it stop */

	sb_init(&text);
	for (int k = 0; k < argc; k++)
		sb_printf(&text, "%s%s", k ? " " : "", argv[k]);
	char *t = arena_strdup(&sh->scratch, sb_cstr(&text));

	sb_free(&text);
	return job_foreground(sh, &pid, 1, NULL, t);
}

/* Prints what name is, as type (verbose) or command -v does. */
static int describe(struct shell *sh, const char *name, bool verbose, const char *path)
{
	const struct builtin *b = builtin_lookup(name);

	if (parse_is_keyword(name)) {
		if (verbose)
			out_fmt(sh, 1, "%s is a shell keyword\n", name);
		else
			out_fmt(sh, 1, "%s\n", name);
		return 0;
	}
	if (func_lookup(sh, name)) {
		out_fmt(sh, 1, verbose ? "%s is a shell function\n" : "%s\n", name);
		return 0;
	}
	if (b) {
		if (verbose)
			out_fmt(sh, 1, "%s is a %sshell builtin\n", name,
				b->special ? "special " : "");
		else
			out_fmt(sh, 1, "%s\n", name);
		return 0;
	}
	char *p = strchr(name, '/') ? (access(name, X_OK) == 0 ? xstrdup(name) : NULL)
				    : path_search(sh, name, path);

	if (!p && !strchr(name, '/') && os_program_known(name)) {
		/* Run by its name (Keel's toolbox commands): no file to show. */
		out_fmt(sh, 1, verbose ? "%s is a toolbox command\n" : "%s\n", name);
		return 0;
	}
	if (!p) {
		if (verbose)
			out_fmt(sh, 1, "%s: not found\n", name);
		return 127;
	}
	if (verbose)
		out_fmt(sh, 1, "%s is %s\n", name, p);
	else
		out_fmt(sh, 1, "%s\n", p);
	free(p);
	return 0;
}

int bi_type(struct shell *sh, int argc, char **argv)
{
	int status = 0;

	for (int i = 1; i < argc; i++)
		if (describe(sh, argv[i], true, NULL))
			status = 127;
	return status;
}
