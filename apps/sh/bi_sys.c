/*
 * bi_sys.c - builtins that talk to the system: cd, pwd, umask, times,
 * jobs, fg, bg, wait, kill, trap, and getopts.
 *
 * umask uses the C library's umask(); on Keel it affects the modes the C
 * library asks vfsd for, which may ignore them (documented in README).
 */
#define _DEFAULT_SOURCE 1
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "builtins.h"
#include "exec.h"

/* --- directories --- */

char *sh_getcwd(void)
{
	size_t n = 256;

	for (;;) {
		char *buf = xmalloc(n);

		if (getcwd(buf, n))
			return buf;
		free(buf);
		if (errno != ERANGE || n > 65536)
			return NULL;
		n *= 2;
	}
}

/* Normalises an absolute path lexically: removes ., .. and //. */
static char *normalize(const char *path)
{
	char *out = xmalloc(strlen(path) + 2);
	size_t len = 0;

	for (const char *p = path; *p;) {
		while (*p == '/')
			p++;
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (n == 0)
			break;
		if (n == 1 && p[0] == '.') {
			/* skip */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (len > 0 && out[len - 1] != '/')
				len--;
			if (len > 0)
				len--;
		} else {
			out[len++] = '/';
			memcpy(out + len, p, n);
			len += n;
		}
		p += n;
	}
	if (len == 0)
		out[len++] = '/';
	out[len] = '\0';
	return out;
}

/* Sets PWD from the process' directory unless the inherited PWD names it. */
void sh_update_pwd(struct shell *sh, bool physical_only)
{
	const char *pwd = var_get(sh, "PWD");
	struct stat a, b;

	if (!physical_only && pwd && pwd[0] == '/' && stat(pwd, &a) == 0 && stat(".", &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
		char *n = normalize(pwd);

		if (strcmp(n, pwd) == 0) {
			free(n);
			return;
		}
		free(n);
	}
	char *cwd = sh_getcwd();

	if (cwd) {
		var_set(sh, "PWD", cwd, 0);
		free(cwd);
	}
}

/* Finds dir through CDPATH; returns a malloc'd path and sets *print when
 * a CDPATH entry was used. */
static char *cdpath_lookup(struct shell *sh, const char *dir, bool *print)
{
	const char *cdpath = var_get(sh, "CDPATH");
	struct strbuf b;
	struct stat st;

	*print = false;
	if (!cdpath || dir[0] == '/' || strncmp(dir, "./", 2) == 0 || strcmp(dir, ".") == 0 ||
	    strncmp(dir, "../", 3) == 0 || strcmp(dir, "..") == 0)
		return xstrdup(dir);
	sb_init(&b);
	for (const char *p = cdpath;;) {
		const char *e = strchr(p, ':');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		b.len = 0;
		if (n) {
			sb_put(&b, p, n);
			sb_putc(&b, '/');
		}
		sb_puts(&b, dir);
		if (stat(sb_cstr(&b), &st) == 0 && S_ISDIR(st.st_mode)) {
			*print = n > 0;
			return sb_detach(&b);
		}
		if (!e)
			break;
		p = e + 1;
	}
	sb_free(&b);
	return xstrdup(dir);
}

static int do_cd(struct shell *sh, const char *arg, const char *dir, bool physical, bool print)
{
	const char *pwd = var_get(sh, "PWD");
	char *target;

	if (dir[0] == '/' || !pwd || pwd[0] != '/') {
		target = normalize(dir[0] == '/' ? dir : "/");
		if (dir[0] != '/') {
			free(target);
			target = NULL;
		}
	} else {
		char *joined = xmalloc(strlen(pwd) + strlen(dir) + 2);

		sprintf(joined, "%s/%s", pwd, dir);
		target = normalize(joined);
		free(joined);
	}
	if (physical || !target || chdir(target) != 0) {
		if (chdir(dir) != 0) {
			free(target);
			return sh_builtin_err(sh, 2, "can't cd to %s", arg);
		}
		free(target);
		target = sh_getcwd();
		if (!target)
			target = xstrdup(dir);
	}
	var_set(sh, "OLDPWD", pwd ? pwd : target, 0);
	var_set(sh, "PWD", target, 0);
	if (print)
		out_fmt(sh, 1, "%s\n", target);
	free(target);
	return 0;
}

int bi_cd(struct shell *sh, int argc, char **argv)
{
	bool physical = false, print = false;
	int i = 1;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		for (char *c = argv[i] + 1; *c; c++) {
			if (*c != 'L' && *c != 'P')
				return sh_builtin_err(sh, 2, "Illegal option -%c", *c);
			physical = *c == 'P';
		}
	}
	const char *dir = i < argc ? argv[i] : var_get(sh, "HOME");

	if (!dir)
		return sh_builtin_err(sh, 2, "HOME not set");
	if (strcmp(dir, "-") == 0) {
		dir = var_get(sh, "OLDPWD");
		if (!dir)
			return sh_builtin_err(sh, 2, "OLDPWD not set");
		print = true;
	}
	bool via;
	char *d = cdpath_lookup(sh, dir, &via);
	int st = do_cd(sh, dir, d, physical, print || via);

	free(d);
	return st;
}

int bi_pwd(struct shell *sh, int argc, char **argv)
{
	bool physical = false;

	for (int i = 1; i < argc && argv[i][0] == '-'; i++) {
		for (char *c = argv[i] + 1; *c; c++) {
			if (*c != 'L' && *c != 'P')
				return sh_builtin_err(sh, 2, "Illegal option -%c", *c);
			physical = *c == 'P';
		}
	}
	if (!physical) {
		sh_update_pwd(sh, false);
		const char *pwd = var_get(sh, "PWD");

		if (pwd) {
			out_fmt(sh, 1, "%s\n", pwd);
			return 0;
		}
	}
	char *cwd = sh_getcwd();

	if (!cwd)
		return sh_builtin_err(sh, 2, "getcwd failed");
	out_fmt(sh, 1, "%s\n", cwd);
	free(cwd);
	return 0;
}

/* --- umask and times --- */

static void umask_symbolic(struct shell *sh, mode_t m)
{
	static const char who[] = "ugo";
	char buf[32];
	size_t n = 0;

	for (int w = 0; w < 3; w++) {
		mode_t bits = (~m >> (6 - 3 * w)) & 7;

		if (w)
			buf[n++] = ',';
		buf[n++] = who[w];
		buf[n++] = '=';
		if (bits & 4)
			buf[n++] = 'r';
		if (bits & 2)
			buf[n++] = 'w';
		if (bits & 1)
			buf[n++] = 'x';
	}
	buf[n] = '\0';
	out_fmt(sh, 1, "%s\n", buf);
}

/* Applies a symbolic mode like u=rwx,g+w,o-r to the permission bits. */
static bool umask_parse_symbolic(const char *s, mode_t *perm)
{
	while (*s) {
		mode_t who = 0, bits = 0;

		for (; *s && strchr("ugoa", *s); s++)
			who |= *s == 'u' ? 0700 : *s == 'g' ? 070 : *s == 'o' ? 07 : 0777;
		if (!who)
			who = 0777;
		char op = *s++;

		if (op != '=' && op != '+' && op != '-')
			return false;
		for (; *s && strchr("rwx", *s); s++)
			bits |= *s == 'r' ? 0444 : *s == 'w' ? 0222 : 0111;
		bits &= who;
		if (op == '=')
			*perm = (*perm & ~who) | bits;
		else if (op == '+')
			*perm |= bits;
		else
			*perm &= ~bits;
		if (*s == ',')
			s++;
		else if (*s)
			return false;
	}
	return true;
}

int bi_umask(struct shell *sh, int argc, char **argv)
{
	bool sym = argc > 1 && strcmp(argv[1], "-S") == 0;
	int i = sym ? 2 : 1;
	mode_t m = umask(0);

	umask(m);
	if (i >= argc) {
		if (sym)
			umask_symbolic(sh, m);
		else
			out_fmt(sh, 1, "%04o\n", (unsigned)m);
		return 0;
	}
	const char *a = argv[i];

	if (a[0] >= '0' && a[0] <= '7') {
		char *end;
		long v = strtol(a, &end, 8);

		if (*end || v > 0777)
			return sh_builtin_err(sh, 2, "Illegal number: %s", a);
		umask((mode_t)v);
		return 0;
	}
	mode_t perm = ~m & 0777;

	if (!umask_parse_symbolic(a, &perm))
		return sh_builtin_err(sh, 2, "Illegal mode: %s", a);
	umask(~perm & 0777);
	return 0;
}

int bi_times(struct shell *sh, int argc, char **argv)
{
	double t[4];

	(void)argc, (void)argv;
	os_times(t);
	for (int i = 0; i < 4; i += 2)
		out_fmt(sh, 1, "%dm%fs %dm%fs\n", (int)(t[i] / 60), t[i] - 60 * (int)(t[i] / 60),
			(int)(t[i + 1] / 60), t[i + 1] - 60 * (int)(t[i + 1] / 60));
	return 0;
}

/* --- jobs --- */

/* jobs: a finished job shown is forgotten, as dash does. */
int bi_jobs(struct shell *sh, int argc, char **argv)
{
	(void)argc, (void)argv;
	job_reap(sh, false);
	for (struct job *j = sh->jobs, *next; j; j = next) {
		next = j->next;
		if (!j->id)
			continue;
		job_print(sh, 1, j);
		if (j->done)
			job_free(sh, j);
	}
	return 0;
}

/* The job that spec names for fg and bg (the current job without one),
 * or NULL after dash's message. */
static struct job *job_operand(struct shell *sh, const char *spec)
{
	struct job *j = job_find(sh, spec);

	if (j && j->id)
		return j;
	if (spec)
		sh_builtin_err(sh, 2, "No such job: %s", spec);
	else
		sh_builtin_err(sh, 2, "No current job");
	return NULL;
}

/* fg: continues the job in the foreground and waits for it; it keeps its
 * number should it stop again. */
int bi_fg(struct shell *sh, int argc, char **argv)
{
	struct job *j = job_operand(sh, argc > 1 ? argv[1] : NULL);

	if (!j)
		return 2;
	out_fmt(sh, 1, "%s\n", j->text);
	out_flush(sh);
	for (int i = 0; i < j->npids; i++)
		if (j->pids[i] > 0)
			os_foreground(j->pids[i]);
	os_term_resume(0, j->tty); /* the modes it stopped in */
	job_continue(sh, j);
	j->stoppable = sh->interactive;
	return job_wait(sh, j);
}

/* bg: continues each job named (the current one without operands) in the
 * background, out of the reach of the terminal's interrupts on Keel. */
int bi_bg(struct shell *sh, int argc, char **argv)
{
	int i = 1;

	do {
		struct job *j = job_operand(sh, i < argc ? argv[i] : NULL);

		if (!j)
			return 2;
		out_fmt(sh, 1, "[%d] %s\n", j->id, j->text);
		for (int k = 0; k < j->npids; k++)
			if (j->pids[k] > 0)
				os_background(j->pids[k]);
		job_continue(sh, j);
	} while (++i < argc);
	return 0;
}

/* Handles a signal that interrupted `wait`: runs its trap and returns
 * 128+n, or 0 when nothing was caught. */
static int wait_interrupted(struct shell *sh)
{
	unsigned long long set = os_signals_pending();
	int first = 0;

	for (int sig = 1; sig < 65; sig++) {
		if (!(set & (1ULL << (sig - 1))))
			continue;
		if (!first)
			first = sig;
		if (sh->traps[sig] && sh->traps[sig][0])
			run_trap_action(sh, sh->traps[sig]);
	}
	if (!first && sh->interactive && os_interrupted()) {
		sh->exc_status = 130;
		sh_raise(sh, EX_INT);
	}
	return first ? 128 + first : 0;
}

/* Waits until j is done or has stopped (or a trapped signal arrives:
 * returns 128+n; an interrupt of an interactive shell unwinds to the
 * prompt). */
static int wait_job(struct shell *sh, struct job *j)
{
	while (!j->done && !job_stop_signal(j)) {
		struct os_status st;
		pid_t r = os_wait_interruptible(-1, sh->interactive ? OS_WAIT_STOPS : 0, &st);

		if (r > 0) {
			job_record(sh, r, &st);
			/* a trapped signal may have come with this child's exit */
			int s = wait_interrupted(sh);

			if (s)
				return s;
			continue;
		}
		if (r < 0 && errno == EINTR) {
			int s = wait_interrupted(sh);

			if (s)
				return s;
			continue;
		}
		j->done = true;
		j->status = 127;
	}
	return -1;
}

/* A numbered job that has not stopped, or NULL. */
static struct job *unstopped_job(struct shell *sh)
{
	for (struct job *j = sh->jobs; j; j = j->next)
		if (j->id && !job_stop_signal(j))
			return j;
	return NULL;
}

/* wait: without operands for every job but the stopped ones; for a
 * stopped job, as dash, returns 128+n at once and keeps it. */
int bi_wait(struct shell *sh, int argc, char **argv)
{
	int status = 0;
	struct job *j;

	if (argc < 2) {
		while ((j = unstopped_job(sh))) {
			int s = wait_job(sh, j);

			if (s >= 0)
				return s;
			if (j->done)
				job_free(sh, j);
		}
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		j = job_find(sh, argv[i]);
		if (!j) {
			if (argv[i][0] == '%') {
				sh_warn(sh, "No such job: %s", argv[i]);
				status = 2;
			} else {
				status = 127;
			}
			continue;
		}
		/* As dash: the signal that ended a job is reported by the
		 * wait that saw it end, not by one for a job collected
		 * earlier (by a foreground wait, or between commands). */
		bool running = !j->done;
		int s = wait_job(sh, j);

		if (s >= 0)
			return s;
		if (!j->done) {
			status = status_from(&j->st[j->npids - 1]);
			continue;
		}
		status = j->status;
		if (running)
			job_report_signal(sh, j);
		job_free(sh, j);
	}
	return status;
}

/* --- signals --- */

/* A signal by number or name (with or without SIG); -1 if unknown. */
static int signal_spec(const char *s)
{
	int n;

	if (parse_number(s, &n))
		return n < os_signal_count() ? n : -1;
	if (strcasecmp(s, "EXIT") == 0)
		return 0;
	return os_signal_number(s);
}

static int kill_list(struct shell *sh, int argc, char **argv, int i)
{
	if (i < argc) {
		int n;

		if (!parse_number(argv[i], &n))
			return sh_builtin_err(sh, 2, "Illegal number: %s", argv[i]);
		if (n > 128)
			n -= 128;
		const char *name = os_signal_name(n);

		if (!name)
			return sh_builtin_err(sh, 2, "invalid signal number or exit status: %s",
					      argv[i]);
		out_fmt(sh, 1, "%s\n", name);
		return 0;
	}
	out_str(sh, 1, "0\n");
	for (int s = 1; s < os_signal_count(); s++) {
		const char *name = os_signal_name(s);

		if (name)
			out_fmt(sh, 1, "%s\n", name);
	}
	return 0;
}

static int kill_usage(struct shell *sh)
{
	return sh_builtin_err(sh, 2,
			      "Usage: kill [-s sigspec | -signum | -sigspec] [pid | job]... "
			      "or\nkill -l [exitstatus]");
}

/* Sends sig to a pid or %job; returns 0 or 1 after a message. */
static int kill_one(struct shell *sh, const char *target, int sig)
{
	if (target[0] == '%') {
		struct job *j = job_find(sh, target);

		if (!j)
			return sh_builtin_err(sh, 1, "No such job: %s", target);
		for (int i = 0; i < j->npids; i++)
			if (j->pids[i] > 0)
				os_kill(j->pids[i], sig);
		/* A stopped job acts on a signal only once continued (on
		 * Linux; Keel ends it at once): dash leaves that to the
		 * user, bash continues it, and so does this shell. */
		if (job_stop_signal(j) && sig && sig != SIGSTOP && sig != SIGTSTP &&
		    sig != SIGTTIN && sig != SIGTTOU)
			job_continue(sh, j);
		return 0;
	}
	char *end;
	long pid = strtol(target, &end, 10);

	if (!*target || *end)
		return sh_builtin_err(sh, 1, "Illegal number: %s", target);
	int err = os_kill((pid_t)pid, sig);

	if (err)
		return sh_builtin_err(sh, 1, "%s", strerror(err));
	return 0;
}

int bi_kill(struct shell *sh, int argc, char **argv)
{
	int sig = SIGTERM, i = 1, status = 0;

	if (argc < 2)
		return kill_usage(sh);
	if (strcmp(argv[1], "-l") == 0)
		return kill_list(sh, argc, argv, 2);
	if (strcmp(argv[1], "-s") == 0) {
		if (argc < 3 || (sig = signal_spec(argv[2])) < 0)
			return argc < 3 ? kill_usage(sh)
					: sh_builtin_err(sh, 2, "invalid signal number or name: %s",
							 argv[2]);
		i = 3;
	} else if (argv[1][0] == '-' && argv[1][1]) {
		if (strcmp(argv[1], "--") != 0 && (sig = signal_spec(argv[1] + 1)) < 0)
			return sh_builtin_err(sh, 2, "invalid signal number or name: %s",
					      argv[1] + 1);
		if (strcmp(argv[1], "--") == 0)
			sig = SIGTERM;
		i = 2;
	}
	if (i >= argc)
		return kill_usage(sh);
	for (; i < argc; i++)
		status |= kill_one(sh, argv[i], sig);
	return status;
}

static void list_traps(struct shell *sh)
{
	for (int sig = 0; sig < 65; sig++) {
		if (!sh->traps[sig])
			continue;
		struct strbuf b;

		sb_init(&b);
		sb_puts(&b, "trap -- ");
		shell_quote(&b, sh->traps[sig]);
		sb_printf(&b, " %s\n", sig ? os_signal_name(sig) : "EXIT");
		out_write(sh, 1, b.s, b.len);
		sb_free(&b);
	}
}

/* Installs action ("" ignore, NULL default) for one signal. */
static void set_trap(struct shell *sh, int sig, const char *action)
{
	if (sig > 0 && !sh->interactive && os_signal_was_ignored(sig))
		return;
	free(sh->traps[sig]);
	sh->traps[sig] = action ? xstrdup(action) : NULL;
	if (sig > 0)
		os_signal_mode(sig, !action ? 0 : action[0] ? 1 : 2);
}

int bi_trap(struct shell *sh, int argc, char **argv)
{
	int i = 1, status = 0, n;
	const char *action;

	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i >= argc) {
		list_traps(sh);
		return 0;
	}
	if (parse_number(argv[i], &n)) {
		action = NULL;
	} else {
		action = strcmp(argv[i], "-") == 0 ? NULL : argv[i];
		i++;
	}
	for (; i < argc; i++) {
		int sig = signal_spec(argv[i]);

		if (sig < 0 || sig >= 65) {
			out_flush(sh);
			out_fmt(sh, 2, "trap: %s: bad trap\n", argv[i]);
			status = 1;
			continue;
		}
		set_trap(sh, sig, action);
	}
	return status;
}

/* --- getopts --- */

/* Prints a getopts diagnostic unless OPTERR is 0. */
static void getopts_msg(struct shell *sh, const char *fmt, char c)
{
	const char *e = var_get(sh, "OPTERR");

	if (!e || strcmp(e, "0") != 0)
		out_fmt(sh, 2, fmt, c);
}

static void getopts_set(struct shell *sh, const char *var, char c, int ind)
{
	char buf[2] = { c, 0 }, num[16];

	snprintf(num, sizeof(num), "%d", ind);
	sh->in_getopts = true;
	var_set(sh, "OPTIND", num, 0);
	sh->in_getopts = false;
	var_set_or_raise(sh, var, buf, 0);
}

/* One option letter of arg at the saved offset; see POSIX getopts. */
static int getopts_one(struct shell *sh, const char *optstr, const char *var, char **args,
		       int nargs, int ind)
{
	const char *arg = args[ind - 1];
	char c = arg[sh->getopts_off++];
	const char *spec = c == ':' ? NULL : strchr(optstr, c);
	bool silent = optstr[0] == ':';
	char cs[2] = { c, 0 };

	if (!arg[sh->getopts_off]) {
		ind++;
		sh->getopts_off = 0;
	}
	if (!spec) {
		if (silent) {
			var_set(sh, "OPTARG", cs, 0);
		} else {
			getopts_msg(sh, "Illegal option -%c\n", c);
			var_unset(sh, "OPTARG");
		}
		getopts_set(sh, var, '?', ind);
		return 0;
	}
	if (spec[1] == ':') {
		if (sh->getopts_off) {
			var_set(sh, "OPTARG", arg + sh->getopts_off, 0);
			ind++;
			sh->getopts_off = 0;
		} else if (ind - 1 < nargs) {
			var_set(sh, "OPTARG", args[ind - 1], 0);
			ind++;
		} else {
			if (silent) {
				var_set(sh, "OPTARG", cs, 0);
				getopts_set(sh, var, ':', ind);
			} else {
				getopts_msg(sh, "No arg for -%c option\n", c);
				var_unset(sh, "OPTARG");
				getopts_set(sh, var, '?', ind);
			}
			return 0;
		}
	} else {
		var_unset(sh, "OPTARG");
	}
	getopts_set(sh, var, c, ind);
	return 0;
}

int bi_getopts(struct shell *sh, int argc, char **argv)
{
	if (argc < 3)
		return sh_builtin_err(sh, 2, "Usage: getopts optstring var [arg...]");
	char **args = argc > 3 ? argv + 3 : sh->params;
	int nargs = argc > 3 ? argc - 3 : sh->nparams;
	const char *ov = var_get(sh, "OPTIND");
	int ind = 1;

	if (ov && !parse_number(ov, &ind))
		ind = 1;
	if (ind < 1)
		ind = 1;
	if (sh->getopts_off == 0) {
		const char *arg = ind - 1 < nargs ? args[ind - 1] : NULL;

		if (!arg || arg[0] != '-' || !arg[1] || strcmp(arg, "--") == 0) {
			if (arg && strcmp(arg, "--") == 0)
				ind++;
			var_unset(sh, "OPTARG");
			getopts_set(sh, argv[2], '?', ind);
			return 1;
		}
		sh->getopts_off = 1;
	}
	if (ind - 1 >= nargs) {
		sh->getopts_off = 0;
		var_unset(sh, "OPTARG");
		getopts_set(sh, argv[2], '?', ind);
		return 1;
	}
	return getopts_one(sh, argv[1], argv[2], args, nargs, ind);
}
