/*
 * exec.c - the executor: walks a tree, runs builtins and functions in the
 * shell, and starts everything else through os_spawn.
 *
 * Without fork, anything that must run concurrently or in isolation (a
 * pipeline stage that is not a plain external command, ( subshell ), a
 * compound command in the background, command substitution) runs in a child
 * shell started by child_spawn().  Errors unwind to catch points with
 * sh_raise(); `set -e` follows dash: only simple commands, pipelines and
 * subshells that fail outside a tested context end the shell.
 */
#define _DEFAULT_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exec.h"
#include "sh.h"

void catch_push(struct shell *sh, struct catch_point *cp)
{
	cp->prev = sh->catch;
	cp->redir = sh->redir;
	cp->scratch = arena_mark(&sh->scratch);
	cp->temps = sh->temps;
	sh->catch = cp;
}

void catch_pop(struct shell *sh, struct catch_point *cp)
{
	sh->catch = cp->prev;
}

/* Undoes what the code under a catch point left behind. */
void catch_unwind(struct shell *sh, struct catch_point *cp)
{
	sh->catch = cp->prev;
	redir_pop_to(sh, cp->redir);
	var_restore_list(sh, &sh->temps, cp->temps);
	arena_release(&sh->scratch, cp->scratch);
	sh->cmdname = NULL;
}

void fdmap_identity(int *map, int n)
{
	for (int i = 0; i < n; i++)
		map[i] = fcntl(i, F_GETFD) >= 0 && !(fcntl(i, F_GETFD) & FD_CLOEXEC) ? i : -1;
}

void check_interrupt(struct shell *sh)
{
	if (sh->interactive && os_interrupted()) {
		sh->exc_status = 130;
		sh_raise(sh, EX_INT);
	}
}

/* --- traps --- */

/* Runs a trap action; $? is restored afterwards, and exit or return
 * without a number inside it use the status the trap started with. */
void run_trap_action(struct shell *sh, const char *action)
{
	int saved = sh->status, saved_trap = sh->trap_status;
	bool in = sh->in_trap, returning = sh->returning;

	sh->in_trap = true;
	sh->trap_status = saved;
	exec_string(sh, action, "trap");
	sh->in_trap = in;
	sh->trap_status = saved_trap;
	if (!sh->returning || returning)
		sh->status = saved;
}

void run_pending_traps(struct shell *sh)
{
	unsigned long long set = os_signals_pending();

	for (int sig = 1; set && sig < 65; sig++) {
		if (!(set & (1ULL << (sig - 1))))
			continue;
		set &= ~(1ULL << (sig - 1));
		if (sh->traps[sig] && sh->traps[sig][0])
			run_trap_action(sh, sh->traps[sig]);
	}
}

void run_exit_trap(struct shell *sh)
{
	char *action = sh->traps[0];

	if (!action || sh->exit_trap_ran)
		return;
	sh->exit_trap_ran = true;
	sh->traps[0] = NULL;
	struct catch_point cp;

	catch_push(sh, &cp);
	if (setjmp(cp.jb) == 0) {
		int saved = sh->status;

		sh->in_trap = true;
		sh->trap_status = saved;
		exec_string(sh, action, "trap");
		sh->status = saved;
		catch_pop(sh, &cp);
	} else {
		catch_unwind(sh, &cp);
		sh->status = sh->exc_status;
	}
	sh->in_trap = false;
	free(action);
}

/* Runs the EXIT trap, flushes and ends the process with status. */
_Noreturn void sh_finish(struct shell *sh, int status)
{
	sh->status = status;
	run_exit_trap(sh);
	out_flush(sh);
	if (sh->ed)
		interactive_save_history(sh);
	if (sh->interactive)
		job_hangup(sh);
	exit(sh->status & 0xff);
}

/* --- lookup --- */

/* Searches PATH for an executable regular file; *denied is set when a
 * match exists but is not executable. */
char *path_search_ex(struct shell *sh, const char *name, const char *path, bool *denied)
{
	struct strbuf b;

	*denied = false;
	if (!path)
		path = var_get(sh, "PATH");
	if (!path)
		path = SH_DEFAULT_PATH;
	sb_init(&b);
	for (const char *p = path;; p++) {
		const char *e = strchr(p, ':');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		struct stat st;

		b.len = 0;
		if (n)
			sb_put(&b, p, n);
		else
			sb_putc(&b, '.');
		sb_putc(&b, '/');
		sb_puts(&b, name);
		if (stat(sb_cstr(&b), &st) == 0 && S_ISREG(st.st_mode)) {
			if (access(b.s, X_OK) == 0)
				return sb_detach(&b);
			*denied = true;
		}
		if (!e)
			break;
		p = e;
	}
	sb_free(&b);
	return NULL;
}

char *path_search(struct shell *sh, const char *name, const char *path)
{
	bool denied;

	return path_search_ex(sh, name, path, &denied);
}

/* --- simple commands --- */

/* Splits an assignment word into name and value word (scratch arena). */
static char *assign_split(struct shell *sh, struct word *w, struct word *value)
{
	struct wpart *first = w->parts;
	char *eq = strchr(first->text, '=');
	char *name = arena_strndup(&sh->scratch, first->text, (size_t)(eq - first->text));
	struct wpart *rest = arena_alloc(&sh->scratch, sizeof(*rest));

	*rest = *first;
	rest->text = eq + 1;
	value->next = NULL;
	value->parts = rest;
	return name;
}

static void xtrace(struct shell *sh, char **assigns, int nassign, char **argv, int argc)
{
	const char *ps4 = var_get(sh, "PS4");
	struct strbuf b;

	sb_init(&b);
	sb_puts(&b, ps4 ? ps4 : "");
	for (int i = 0; i < nassign; i++) {
		sb_puts(&b, assigns[i]);
		if (i + 1 < nassign || argc)
			sb_putc(&b, ' ');
	}
	for (int i = 0; i < argc; i++) {
		sb_puts(&b, argv[i]);
		if (i + 1 < argc)
			sb_putc(&b, ' ');
	}
	sb_putc(&b, '\n');
	out_flush(sh);
	if (xwrite_all(2, b.s, b.len) < 0)
		sh->out2.error = true;
	sb_free(&b);
}

/* Expands and performs the assignments of n one by one, each seeing the
 * ones before it, saving the old states on *tmp; returns the "name=value"
 * strings (scratch arena). */
static char **assign_all(struct shell *sh, struct node *n, int *count, struct local_save **tmp)
{
	int c = 0, i = 0;

	for (struct word *w = n->u.simple.assigns; w; w = w->next)
		c++;
	char **out = arena_alloc(&sh->scratch, sizeof(*out) * ((size_t)c + 1));

	for (struct word *w = n->u.simple.assigns; w; w = w->next) {
		struct word value;
		char *name = assign_split(sh, w, &value);
		char *v = expand_word_str(sh, &value, EXP_TILDE_ASSIGN);
		size_t ln = strlen(name), lv = strlen(v);
		char *s = arena_alloc(&sh->scratch, ln + lv + 2);

		memcpy(s, name, ln);
		s[ln] = '=';
		memcpy(s + ln + 1, v, lv + 1);
		out[i++] = s;
		var_save_to(sh, name, tmp);
		var_set_or_raise(sh, name, v, 0);
	}
	out[i] = NULL;
	*count = c;
	return out;
}

/* Marks the assigned variables exported (for a program or function). */
static void export_assigns(struct shell *sh, char **assigns, int n)
{
	for (int i = 0; i < n; i++) {
		char *eq = strchr(assigns[i], '=');

		*eq = '\0';
		var_set(sh, assigns[i], NULL, V_EXPORT);
		*eq = '=';
	}
}

/* Makes assignments permanent: forgets the saved states above mark. */
static void keep_assigns(struct local_save **tmp, struct local_save *mark)
{
	while (*tmp != mark) {
		struct local_save *l = *tmp;

		*tmp = l->next;
		free(l->name);
		free(l->value);
		free(l);
	}
}

/* Reports a failed spawn as dash does (naming the builtin running, as
 * for exec) and returns the status. */
static int spawn_failed(struct shell *sh, const char *name, int err)
{
	const char *msg = strerror(err);
	int status = 126;

	if (err == ENOENT || err == ENOTDIR) {
		msg = "not found";
		status = 127;
	} else if (err == EACCES || err == EISDIR) {
		msg = "Permission denied";
	} else if (err == ENOEXEC) {
		msg = "cannot execute binary file";
	}
	if (sh->cmdname)
		sh_warn(sh, "%s: %s", name, msg);
	else
		sh_warn_cmd(sh, "%s: %s", name, msg);
	return status;
}

/* True if path is not a text file: a NUL byte in its first line (of
 * the first 256 bytes). POSIX lets the shell refuse to run such a file
 * as a script, with status 126. */
static bool is_binary(const char *path)
{
	char buf[256];
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	ssize_t n = read(fd, buf, sizeof buf);

	close(fd);
	for (ssize_t i = 0; i < n && buf[i] != '\n'; i++)
		if (buf[i] == '\0')
			return true;
	return false;
}

/* Spawns a program with the shell's current descriptors 0..OS_MAXFD-1.
 * A text file without a #! line is run by a new shell, as execve's
 * ENOEXEC asks; any other file that is not a program is refused.
 * Returns 0 and *pid or a status after a message. */
int spawn_program(struct shell *sh, const char *path, char **argv, char **envp, bool bg, pid_t *pid)
{
	int map[OS_MAXFD];
	struct os_spawn_req req = { path, argv, envp, NULL, map, OS_MAXFD, bg };

	out_flush(sh);
	fdmap_identity(map, OS_MAXFD);
	int err = os_spawn(&req, pid);

	if (err == ENOEXEC && !is_binary(path)) {
		int argc = 0;

		while (argv[argc])
			argc++;
		char **nargv = arena_alloc(&sh->scratch, sizeof(*nargv) * ((size_t)argc + 2));

		nargv[0] = (char *)"sh";
		nargv[1] = (char *)path;
		for (int i = 1; i <= argc; i++)
			nargv[i + 1] = argv[i];
		req.path = os_shell_path();
		req.argv = nargv;
		err = os_spawn(&req, pid);
	}
	if (err)
		return spawn_failed(sh, argv[0], err);
	return 0;
}

/* Finds the program for argv[0]: returns its path or NULL after a
 * message (naming the running builtin when in_builtin) with *status set. */
char *find_program_ex(struct shell *sh, const char *name, int *status, bool in_builtin)
{
	bool denied = false;

	if (strchr(name, '/'))
		return arena_strdup(&sh->scratch, name);
	if (!*name) {
		if (in_builtin)
			sh_warn(sh, ": Permission denied");
		else
			sh_warn_cmd(sh, ": Permission denied");
		*status = 127;
		return NULL;
	}
	char *p = path_search_ex(sh, name, NULL, &denied);

	if (p) {
		char *a = arena_strdup(&sh->scratch, p);

		free(p);
		return a;
	}
	if (!denied && os_program_known(name))
		return arena_strdup(&sh->scratch, name);
	if (denied) {
		if (in_builtin)
			sh_warn(sh, "%s: Permission denied", name);
		else
			sh_warn_cmd(sh, "%s: Permission denied", name);
		*status = 126;
	} else {
		if (in_builtin)
			sh_warn(sh, "%s: not found", name);
		else
			sh_warn_cmd(sh, "%s: not found", name);
		*status = 127;
	}
	return NULL;
}

char *find_program(struct shell *sh, const char *name, int *status)
{
	return find_program_ex(sh, name, status, false);
}

/* Finds, redirects and spawns argv[0] with the assignments exported to it;
 * returns 0 and *pid or a status after a message. */
static int launch(struct shell *sh, struct node *n, char **argv, char **assigns, int nassign,
		  bool bg, pid_t *pid)
{
	int status = 0;

	redir_push(sh);
	if (redir_apply(sh, n->redirs)) {
		redir_pop(sh);
		return 2;
	}
	char *path = find_program(sh, argv[0], &status);

	if (!path) {
		redir_pop(sh);
		return status;
	}
	export_assigns(sh, assigns, nassign);
	char **envp = var_environ(sh, &sh->scratch);

	status = spawn_program(sh, path, argv, envp, bg, pid);
	redir_pop(sh);
	return status;
}

static int exec_external(struct shell *sh, struct node *n, char **argv, char **assigns, int nassign,
			 int flags)
{
	pid_t pid;
	int status = launch(sh, n, argv, assigns, nassign, (flags & EV_BG) != 0, &pid);

	if (status)
		return status;
	if (flags & EV_BG) {
		job_new(sh, &pid, 1, argv[0], true);
		sh->lastbg = pid;
		return 0;
	}
	return job_foreground(sh, &pid, 1, n, NULL);
}

/* A word that is one literal, quoted or not (scratch arena). */
static struct word *lit_word(struct shell *sh, const char *text, bool quoted)
{
	struct word *w = arena_zalloc(&sh->scratch, sizeof(*w));

	w->parts = arena_zalloc(&sh->scratch, sizeof(*w->parts));
	w->parts->type = WP_LIT;
	w->parts->quoted = quoted;
	w->parts->text = arena_strdup(&sh->scratch, text);
	return w;
}

/* A simple command whose words are already expanded, for a child shell
 * to run a builtin or function without expanding anything again. */
static struct node *expanded_node(struct shell *sh, struct node *n, char **argv, int argc,
				  char **assigns, int nassign)
{
	struct node *c = arena_zalloc(&sh->scratch, sizeof(*c));
	struct word **tail = &c->u.simple.args;

	c->type = N_SIMPLE;
	c->lineno = n->lineno;
	for (int i = 0; i < argc; i++) {
		*tail = lit_word(sh, argv[i], true);
		tail = &(*tail)->next;
	}
	tail = &c->u.simple.assigns;
	for (int i = 0; i < nassign; i++) {
		char *eq = strchr(assigns[i], '=');
		struct word *w = lit_word(sh, "", false);

		w->parts->text = arena_strndup(&sh->scratch, assigns[i],
					       (size_t)(eq - assigns[i]) + 1);
		w->parts->next = lit_word(sh, eq + 1, true)->parts;
		*tail = w;
		tail = &w->next;
	}
	return c;
}

/* Starts simple command n without waiting for it (a pipeline stage or
 * cmd &).  Its words are expanded here, so a program is spawned directly
 * ($! is its pid); a builtin or function runs in a child shell.  Returns
 * 0 and *pid, or a status after a message. */
int start_simple(struct shell *sh, struct node *n, bool bg, pid_t *pid)
{
	int argc, nassign, map[OS_MAXFD], status;
	struct local_save *mark = sh->temps;

	sh->lineno = n->lineno;
	char **argv = expand_words(sh, n->u.simple.args, &argc);
	char **assigns = assign_all(sh, n, &nassign, &sh->temps);

	if (argc &&
	    (strchr(argv[0], '/') || (!builtin_lookup(argv[0]) && !func_lookup(sh, argv[0])))) {
		if (sh->opt[OPT_x])
			xtrace(sh, assigns, nassign, argv, argc);
		status = launch(sh, n, argv, assigns, nassign, bg, pid);
		var_restore_list(sh, &sh->temps, mark);
		return status;
	}
	var_restore_list(sh, &sh->temps, mark);
	redir_push(sh);
	if (redir_apply(sh, n->redirs)) {
		redir_pop(sh);
		return 2;
	}
	fdmap_identity(map, OS_MAXFD);
	status = child_spawn(sh, expanded_node(sh, n, argv, argc, assigns, nassign), map, OS_MAXFD,
			     bg, pid);
	redir_pop(sh);
	if (status) {
		sh_warn(sh, "cannot start subshell: %s", strerror(status));
		return 2;
	}
	return 0;
}

static int exec_builtin(struct shell *sh, struct node *n, const struct builtin *b, char **argv,
			int argc, char **assigns, int nassign)
{
	const char *oldname = sh->cmdname;

	redir_push(sh);
	if (redir_apply(sh, n->redirs)) {
		redir_pop(sh);
		if (b->special && !sh->interactive) {
			sh->exc_status = 2;
			sh_raise(sh, EX_ERROR);
		}
		return 2;
	}
	(void)assigns, (void)nassign;
	sh->cmdname = argv[0];
	int status = b->fn(sh, argc, argv);
	int err = out_flush(sh);

	if (err && status == 0) {
		sh_warn(sh, "%s: I/O error", argv[0]);
		status = 1;
	}
	sh->cmdname = oldname;
	redir_pop(sh);
	return status;
}

static int exec_call(struct shell *sh, struct node *n, struct func *f, char **argv, int argc,
		     char **assigns, int nassign, int flags)
{
	redir_push(sh);
	if (redir_apply(sh, n->redirs)) {
		redir_pop(sh);
		return 2;
	}
	export_assigns(sh, assigns, nassign);
	int status = exec_function(sh, f, argv, argc, flags);

	redir_pop(sh);
	return status;
}

/* A simple command with no command name: assignments and redirections. */
static int exec_assign_only(struct shell *sh, struct node *n, char **assigns, int nassign)
{
	int status;

	if (sh->opt[OPT_x] && nassign)
		xtrace(sh, assigns, nassign, NULL, 0);
	status = cmdsub_status(sh);
	redir_push(sh);
	if (redir_apply(sh, n->redirs))
		status = 2;
	redir_pop(sh);
	return status;
}

static int exec_simple(struct shell *sh, struct node *n, int flags)
{
	int argc, nassign, status;
	struct local_save *mark = sh->temps;

	sh->lineno = n->lineno;
	sh->cmdsub_status = 0;
	char **argv = expand_words(sh, n->u.simple.args, &argc);
	char **assigns = assign_all(sh, n, &nassign, &sh->temps);
	const struct builtin *b = !argc || strchr(argv[0], '/') ? NULL : builtin_lookup(argv[0]);

	if (argc == 0 || (b && b->special)) {
		keep_assigns(&sh->temps, mark);
		if (argc == 0)
			return exec_assign_only(sh, n, assigns, nassign);
	}
	if (sh->opt[OPT_x])
		xtrace(sh, assigns, nassign, argv, argc);
	if (b && b->special)
		return exec_builtin(sh, n, b, argv, argc, assigns, nassign);
	struct func *f = strchr(argv[0], '/') ? NULL : func_lookup(sh, argv[0]);

	if (f)
		status = exec_call(sh, n, f, argv, argc, assigns, nassign, flags);
	else if (b)
		status = exec_builtin(sh, n, b, argv, argc, assigns, nassign);
	else
		status = exec_external(sh, n, argv, assigns, nassign, flags);
	var_restore_list(sh, &sh->temps, mark);
	return status;
}

/* --- functions --- */

int exec_function(struct shell *sh, struct func *f, char **argv, int argc, int flags)
{
	char **oldparams = sh->params;
	int oldn = sh->nparams, oldloop = sh->loopnest;
	struct local_save *oldmark = sh->local_mark, *entry = sh->locals;
	struct catch_point cp;
	int status;

	if (sh->funcnest >= sh->max_funcnest)
		sh_error(sh, "%s: function nesting too deep", argv[0]);
	sh->params = NULL;
	params_set(sh, argv + 1, argc - 1);
	sh->local_mark = entry;
	sh->loopnest = 0;
	f->refs++;
	sh->funcnest++;
	catch_push(sh, &cp);
	if (setjmp(cp.jb)) {
		catch_unwind(sh, &cp);
		var_pop_locals(sh, entry);
		sh->local_mark = oldmark;
		sh->loopnest = oldloop;
		params_free(sh->params);
		sh->params = oldparams;
		sh->nparams = oldn;
		sh->funcnest--;
		func_release(f);
		sh_raise(sh, (enum exc)sh->exc_pending);
	}
	status = exec_node(sh, f->body, flags & EV_TESTED);
	if (sh->returning) {
		sh->returning = false;
		status = sh->status;
	}
	catch_pop(sh, &cp);
	var_pop_locals(sh, entry);
	sh->local_mark = oldmark;
	sh->loopnest = oldloop;
	params_free(sh->params);
	sh->params = oldparams;
	sh->nparams = oldn;
	sh->funcnest--;
	func_release(f);
	return status;
}

/* --- compound commands --- */

/* After a loop body: true when the loop must stop. */
static bool loop_stop(struct shell *sh)
{
	if (sh->returning)
		return true;
	if (!sh->skip)
		return false;
	if (sh->skip_continue && sh->skip == 1) {
		sh->skip = 0;
		return false;
	}
	sh->skip--;
	return true;
}

static int exec_while(struct shell *sh, struct node *n, int flags)
{
	int status = 0;
	bool until = n->type == N_UNTIL;

	sh->loopnest++;
	for (;;) {
		int c = exec_node(sh, n->u.cond.cond, flags | EV_TESTED);

		if (sh->skip || sh->returning) {
			if (loop_stop(sh))
				break;
			continue;
		}
		if ((c == 0) == until)
			break;
		status = exec_node(sh, n->u.cond.then, flags);
		if (loop_stop(sh))
			break;
	}
	sh->loopnest--;
	return status;
}

static int exec_for(struct shell *sh, struct node *n, int flags)
{
	int argc, status = 0;
	struct arena_mark m = arena_mark(&sh->scratch);
	char **argv;

	sh->lineno = n->lineno;
	if (n->for_in) {
		argv = expand_words(sh, n->u.loop.words, &argc);
	} else {
		argv = sh->params;
		argc = sh->nparams;
		char **copy = arena_alloc(&sh->scratch, sizeof(*copy) * ((size_t)argc + 1));

		for (int i = 0; i < argc; i++)
			copy[i] = arena_strdup(&sh->scratch, argv[i]);
		argv = copy;
	}
	sh->loopnest++;
	for (int i = 0; i < argc; i++) {
		var_set_or_raise(sh, n->u.loop.var, argv[i], 0);
		status = exec_node(sh, n->u.loop.body, flags);
		if (loop_stop(sh))
			break;
	}
	sh->loopnest--;
	arena_release(&sh->scratch, m);
	return status;
}

static int exec_case(struct shell *sh, struct node *n, int flags)
{
	struct arena_mark m = arena_mark(&sh->scratch);

	sh->lineno = n->lineno;
	char *subject = expand_word_str(sh, n->u.cas.subject, 0);

	for (struct case_item *ci = n->u.cas.items; ci; ci = ci->next) {
		for (struct word *p = ci->patterns; p; p = p->next) {
			char *pat = expand_word_str(sh, p, EXP_PATTERN);

			if (pattern_match(pat, subject)) {
				arena_release(&sh->scratch, m);
				return ci->body ? exec_node(sh, ci->body, flags) : 0;
			}
		}
	}
	arena_release(&sh->scratch, m);
	return 0;
}

static int exec_if(struct shell *sh, struct node *n, int flags)
{
	int c = exec_node(sh, n->u.cond.cond, flags | EV_TESTED);

	if (sh->skip || sh->returning)
		return c;
	if (c == 0)
		return exec_node(sh, n->u.cond.then, flags);
	if (n->u.cond.els)
		return exec_node(sh, n->u.cond.els, flags);
	return 0;
}

/* Runs a compound command with its redirections applied around it. */
static int exec_redirected(struct shell *sh, struct node *n, int flags)
{
	int status;

	redir_push(sh);
	if (redir_apply(sh, n->redirs)) {
		redir_pop(sh);
		return 2;
	}
	switch (n->type) {
	case N_GROUP:
		status = exec_node(sh, n->u.sub, flags);
		break;
	case N_IF:
		status = exec_if(sh, n, flags);
		break;
	case N_WHILE:
	case N_UNTIL:
		status = exec_while(sh, n, flags);
		break;
	case N_FOR:
		status = exec_for(sh, n, flags);
		break;
	default:
		status = exec_case(sh, n, flags);
		break;
	}
	redir_pop(sh);
	return status;
}

/* ( list ): a child shell; the redirections apply around it. */
static int exec_subshell(struct shell *sh, struct node *n, int flags)
{
	pid_t pid;
	int map[OS_MAXFD];

	redir_push(sh);
	if (redir_apply(sh, n->redirs)) {
		redir_pop(sh);
		return 2;
	}
	fdmap_identity(map, OS_MAXFD);
	int err = child_spawn(sh, n->u.sub, map, OS_MAXFD, (flags & EV_BG) != 0, &pid);

	redir_pop(sh);
	if (err) {
		sh_warn(sh, "cannot start subshell: %s", strerror(err));
		return 2;
	}
	if (flags & EV_BG) {
		job_new(sh, &pid, 1, NULL, true);
		sh->lastbg = pid;
		return 0;
	}
	return job_foreground(sh, &pid, 1, n, NULL);
}

/* cmd &: stdin is /dev/null unless redirected, interrupts are ignored. */
static int exec_background(struct shell *sh, struct node *n)
{
	int status;

	redir_push(sh);
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	redir_dup_into(sh, fd, 0);
	if (fd >= 0)
		close(fd);
	pid_t pid;

	if (is_direct_command(sh, n)) {
		status = start_simple(sh, n, true, &pid);
		if (!status) {
			job_new(sh, &pid, 1, NULL, true);
			sh->lastbg = pid;
		}
	} else {
		struct node wrap;

		memset(&wrap, 0, sizeof(wrap));
		wrap.type = N_SUBSHELL;
		wrap.lineno = n->lineno;
		wrap.u.sub = n;
		status = exec_subshell(sh, &wrap, EV_BG);
	}
	redir_pop(sh);
	if (sh->lastbg && sh->jobs)
		job_set_text(sh, sh->lastbg, n);
	return status;
}

/* Whether n can be started with start_simple: a simple command whose
 * expansions assign nothing. */
bool is_direct_command(struct shell *sh, struct node *n)
{
	(void)sh;
	return n->type == N_SIMPLE && !node_has_side_effects(n);
}

static bool word_side_effects(struct word *w)
{
	for (; w; w = w->next)
		for (struct wpart *p = w->parts; p; p = p->next)
			if ((p->type == WP_PARAM && (p->op == POP_ASSIGN || p->op == POP_ERROR)) ||
			    p->type == WP_ARITH || (p->arg && word_side_effects(p->arg)))
				return true;
	return false;
}

bool node_has_side_effects(struct node *n)
{
	if (word_side_effects(n->u.simple.args) || word_side_effects(n->u.simple.assigns))
		return true;
	for (struct redir *r = n->redirs; r; r = r->next)
		if (r->target && word_side_effects(r->target))
			return true;
	return false;
}

static int exec_seq(struct shell *sh, struct node *n, int flags)
{
	exec_node(sh, n->u.bin.left, flags & ~EV_EXIT);
	if (sh->skip || sh->returning)
		return sh->status;
	return exec_node(sh, n->u.bin.right, flags);
}

static int exec_andor(struct shell *sh, struct node *n, int flags)
{
	int s = exec_node(sh, n->u.bin.left, (flags | EV_TESTED) & ~EV_EXIT);

	if (sh->skip || sh->returning)
		return s;
	if ((s == 0) == (n->type == N_AND))
		return exec_node(sh, n->u.bin.right, flags);
	return s;
}

/* Dispatches on the node type; returns the exit status. */
static int exec_dispatch(struct shell *sh, struct node *n, int flags, bool *check)
{
	switch (n->type) {
	case N_SIMPLE:
		*check = true;
		return exec_simple(sh, n, flags);
	case N_SEQ:
		return exec_seq(sh, n, flags);
	case N_AND:
	case N_OR:
		return exec_andor(sh, n, flags);
	case N_NOT:
		return !exec_node(sh, n->u.sub, flags | EV_TESTED);
	case N_BG:
		return exec_background(sh, n->u.sub);
	case N_PIPE:
		*check = true;
		return exec_pipeline(sh, n, flags);
	case N_SUBSHELL:
		*check = true;
		return exec_subshell(sh, n, flags);
	case N_FUNCDEF:
		func_define(sh, n->u.func.name, n->u.func.body);
		return 0;
	default:
		return exec_redirected(sh, n, flags);
	}
}

int exec_node(struct shell *sh, struct node *n, int flags)
{
	bool check = false;

	if (!n)
		return sh->status = 0;
	if (sh->opt[OPT_n] && !sh->interactive)
		return sh->status;
	check_interrupt(sh);
	if (sh->fuel > 0 && --sh->fuel == 0) {
		sh->fuel = 1;
		sh_error(sh, "out of fuel");
	}
	if (sh->bg_running)
		job_reap(sh, false);
	struct arena_mark m = arena_mark(&sh->scratch);
	int status = exec_dispatch(sh, n, flags, &check);

	arena_release(&sh->scratch, m);
	if (sh->returning && n->type != N_SIMPLE)
		return sh->status;
	sh->status = status;
	run_pending_traps(sh);
	if (check && status && sh->opt[OPT_e] && !(flags & EV_TESTED) && !sh->errexit_off)
		sh_exit(sh, status);
	return status;
}

/* Parses and runs a string (eval, trap actions, -c).  Syntax errors are
 * shell errors. */
int exec_string(struct shell *sh, const char *s, const char *what)
{
	struct arena a;
	struct node *n;
	struct parse_error err;
	int status;

	(void)what;
	arena_init(&a);
	if (parse_string(s, sh->lineno, &a, &n, &err) != PARSE_OK) {
		arena_free(&a);
		sh->lineno = err.line;
		sh->cmdname = what;
		sh_error(sh, "%s", err.msg);
	}
	struct catch_point cp;

	catch_push(sh, &cp);
	if (setjmp(cp.jb)) {
		catch_unwind(sh, &cp);
		arena_free(&a);
		sh_raise(sh, (enum exc)sh->exc_pending);
	}
	status = n ? exec_node(sh, n, 0) : 0;
	catch_pop(sh, &cp);
	arena_free(&a);
	return status;
}
