/*
 * expand.c - word expansion: tilde, parameters, command substitution and
 * arithmetic, then field splitting, pathname expansion and quote removal.
 *
 * Expansion builds "pre-fields": byte strings with a flag per byte saying
 * whether it was quoted (never split or globbed) or produced by an unquoted
 * expansion (subject to IFS splitting).  "$@" ends one pre-field and starts
 * the next.  Splitting and globbing then turn pre-fields into arguments.
 * Everything is allocated in the shell's scratch arena.
 */
#define _DEFAULT_SOURCE 1
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec.h"

#define F_QUOTED 1 /* quoted: literal for splitting and globbing */
#define F_SPLIT 2  /* from an unquoted expansion: split on IFS */
#define F_MARK 4   /* not a byte: an empty quoted string was here */

struct pfield {
	char *s;
	unsigned char *f;
	size_t len, cap;
	bool keep; /* an empty quoted string was seen */
};

struct xstate {
	struct shell *sh;
	int flags;
	struct pfield cur;
	struct pfield *done;
	size_t ndone, capdone;
	unsigned char litflag; /* flag for unquoted literals (F_SPLIT in ${x-w}) */
	char **argv;           /* final fields */
	size_t argc, argcap;
};

static void expand_parts(struct xstate *x, struct wpart *p, bool assign_tilde);

static void pf_grow(struct xstate *x, struct pfield *pf, size_t extra)
{
	if (pf->len + extra + 1 <= pf->cap)
		return;
	size_t cap = pf->cap ? pf->cap * 2 : 64;

	while (cap < pf->len + extra + 1)
		cap *= 2;
	char *s = arena_alloc(&x->sh->scratch, cap);
	unsigned char *f = arena_alloc(&x->sh->scratch, cap);

	if (pf->len) {
		memcpy(s, pf->s, pf->len);
		memcpy(f, pf->f, pf->len);
	}
	pf->s = s;
	pf->f = f;
	pf->cap = cap;
}

/* Appends n bytes with flag; an empty quoted string leaves a marker byte
 * so that it still makes a field where it stands. */
static void put(struct xstate *x, const char *s, size_t n, unsigned char flag)
{
	if (n == 0 && (flag & F_QUOTED)) {
		s = "";
		n = 1;
		flag |= F_MARK;
	}
	pf_grow(x, &x->cur, n);
	memcpy(x->cur.s + x->cur.len, s, n);
	memset(x->cur.f + x->cur.len, flag, n);
	x->cur.len += n;
	x->cur.s[x->cur.len] = '\0';
	if (flag & F_QUOTED)
		x->cur.keep = true;
}

static void put_str(struct xstate *x, const char *s, unsigned char flag)
{
	put(x, s, strlen(s), flag);
}

/* Ends the current pre-field (for "$@") and starts a new one. */
static void hard_break(struct xstate *x)
{
	if (x->ndone == x->capdone) {
		size_t cap = x->capdone ? x->capdone * 2 : 8;
		struct pfield *d = arena_alloc(&x->sh->scratch, sizeof(*d) * cap);

		if (x->ndone)
			memcpy(d, x->done, sizeof(*d) * x->ndone);
		x->done = d;
		x->capdone = cap;
	}
	x->done[x->ndone++] = x->cur;
	memset(&x->cur, 0, sizeof(x->cur));
}

/* --- parameters --- */

static const char *ifs_value(struct shell *sh)
{
	const char *ifs = var_get(sh, "IFS");

	return ifs ? ifs : " \t\n";
}

/* Joins the positional parameters with the first character of IFS. */
static char *join_params(struct shell *sh)
{
	const char *ifs = ifs_value(sh);
	struct strbuf b;

	sb_init(&b);
	for (int i = 0; i < sh->nparams; i++) {
		if (i && ifs[0])
			sb_putc(&b, ifs[0]);
		sb_puts(&b, sh->params[i]);
	}
	char *s = arena_strdup(&sh->scratch, b.s ? sb_cstr(&b) : "");

	sb_free(&b);
	return s;
}

static char *num_str(struct shell *sh, long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	return arena_strdup(&sh->scratch, buf);
}

/* The value of a parameter, or NULL when unset. */
static const char *param_value(struct shell *sh, const char *name)
{
	char buf[OPT_COUNT + 1];

	if (name[0] >= '0' && name[0] <= '9') {
		long n = strlen(name) > 9 ? 1000000000L : atol(name);

		if (n == 0)
			return sh->arg0;
		return n <= sh->nparams ? sh->params[n - 1] : NULL;
	}
	if (name[1] == '\0') {
		switch (name[0]) {
		case '#':
			return num_str(sh, sh->nparams);
		case '?':
			return num_str(sh, sh->status);
		case '$':
			return num_str(sh, sh->rootpid);
		case '!':
			return sh->lastbg ? num_str(sh, sh->lastbg) : NULL;
		case '-':
			return arena_strdup(&sh->scratch, opt_string(sh, buf));
		case '@':
		case '*':
			return sh->nparams ? join_params(sh) : NULL;
		default:
			break;
		}
	}
	if (strcmp(name, "LINENO") == 0 && !var_lookup(sh, "LINENO"))
		return num_str(sh, sh->lineno);
	return var_get(sh, name);
}

/* Appends $@ or $* (unquoted or quoted) in a field context. */
static void put_params(struct xstate *x, bool quoted, bool star)
{
	struct shell *sh = x->sh;

	if (!(x->flags & EXP_FIELDS) || (quoted && star)) {
		const char *v = join_params(sh);

		if (sh->nparams || !quoted || star)
			put_str(x, v, quoted ? F_QUOTED : F_SPLIT);
		if (quoted && star)
			put(x, "", 0, F_QUOTED);
		return;
	}
	for (int i = 0; i < sh->nparams; i++) {
		if (i)
			hard_break(x);
		put_str(x, sh->params[i], quoted ? F_QUOTED : F_SPLIT);
	}
}

/* Expands a word to a single string with the given mode. */
static char *word_to_str(struct shell *sh, struct word *w, int flags)
{
	return w ? expand_word_str(sh, w, flags) : arena_strdup(&sh->scratch, "");
}

static void param_error(struct xstate *x, struct wpart *p, bool unset)
{
	struct shell *sh = x->sh;

	if (p->arg && p->arg->parts) {
		char *msg = word_to_str(sh, p->arg, 0);

		sh_error(sh, "%s: %s", p->text, msg);
	}
	if (unset)
		sh_error(sh, "%s: parameter not set", p->text);
	sh_error(sh, "%s: parameter not set or null", p->text);
}

static void param_assign(struct xstate *x, struct wpart *p, const char **val)
{
	struct shell *sh = x->sh;

	if (!var_valid_name(p->text))
		sh_error(sh, "%s: bad variable name", p->text);
	char *v = word_to_str(sh, p->arg, EXP_TILDE_ASSIGN);

	var_set_or_raise(sh, p->text, v, 0);
	*val = v;
}

/* Applies ${x#p} ${x##p} ${x%p} ${x%%p} to val. */
static const char *param_trim(struct xstate *x, struct wpart *p, const char *val)
{
	struct shell *sh = x->sh;
	/* The value as it was before the pattern is expanded: the pattern may
	 * assign the variable (${z##${z:=a}}), which frees the value val
	 * points at. */
	val = arena_strdup(&sh->scratch, val);
	char *pat = word_to_str(sh, p->arg, EXP_PATTERN);
	long n;

	if (p->op == POP_LSMALL || p->op == POP_LLARGE) {
		n = pattern_prefix(pat, val, p->op == POP_LLARGE);
		return n < 0 ? val : val + n;
	}
	n = pattern_suffix(pat, val, p->op == POP_RLARGE);
	if (n < 0)
		return val;
	return arena_strndup(&sh->scratch, val, strlen(val) - (size_t)n);
}

/* Expands the word of ${x-w} or ${x+w}: unquoted text in it is split. */
static void expand_param_arg(struct xstate *x, struct wpart *p)
{
	unsigned char saved = x->litflag;

	x->litflag = F_SPLIT;
	expand_parts(x, p->arg->parts, false);
	x->litflag = saved;
	if (p->quoted)
		put(x, "", 0, F_QUOTED);
}

static bool is_at_or_star(const char *name)
{
	return (name[0] == '@' || name[0] == '*') && name[1] == '\0';
}

static void expand_param(struct xstate *x, struct wpart *p)
{
	struct shell *sh = x->sh;
	bool list = is_at_or_star(p->text);
	const char *val = param_value(sh, p->text);
	bool unset = !val;
	bool empty = unset || !*val;
	unsigned char flag = p->quoted ? F_QUOTED : F_SPLIT;

	if (p->op == POP_BAD)
		sh_error(sh, "Bad substitution");
	if (unset && sh->opt[OPT_u] && !list && p->op != POP_DEFAULT && p->op != POP_ASSIGN &&
	    p->op != POP_ERROR && p->op != POP_ALT)
		sh_error(sh, "%s: parameter not set", p->text);
	bool use_arg = p->colon ? empty : unset;

	switch (p->op) {
	case POP_LEN:
		put_str(x, num_str(sh, val ? (long long)strlen(val) : 0), flag);
		return;
	case POP_DEFAULT:
		if (use_arg) {
			expand_param_arg(x, p);
			return;
		}
		break;
	case POP_ASSIGN:
		if (use_arg) {
			if (list)
				sh_error(sh, "%s: bad variable name", p->text);
			param_assign(x, p, &val);
			put_str(x, val, flag);
			return;
		}
		break;
	case POP_ERROR:
		if (use_arg)
			param_error(x, p, unset);
		break;
	case POP_ALT:
		if (!use_arg)
			expand_param_arg(x, p);
		else if (p->quoted)
			put(x, "", 0, F_QUOTED);
		return;
	case POP_RSMALL:
	case POP_RLARGE:
	case POP_LSMALL:
	case POP_LLARGE:
		put_str(x, param_trim(x, p, val ? val : ""), flag);
		return;
	default:
		break;
	}
	if (list) {
		put_params(x, p->quoted, p->text[0] == '*');
		return;
	}
	if (val)
		put_str(x, val, flag);
	if (p->quoted)
		put(x, "", 0, F_QUOTED);
}

/* --- command substitution and arithmetic --- */

int cmdsub_status(struct shell *sh)
{
	return sh->cmdsub_status;
}

/* Runs n in a child shell and returns its output without trailing
 * newlines (scratch arena). */
static char *run_cmdsub(struct shell *sh, struct node *n)
{
	int fds[2], map[10];
	pid_t pid;
	struct strbuf b;

	out_flush(sh);
	if (!n) {
		sh->cmdsub_status = 0;
		return arena_strdup(&sh->scratch, "");
	}
	if (os_pipe(fds) != 0)
		sh_error(sh, "cannot create pipe");
	if (is_direct_command(sh, n)) {
		/* a program: spawned directly with its output on the pipe */
		redir_push(sh);
		redir_dup_into(sh, fds[1], 1);
		int st = start_simple(sh, n, false, &pid);

		redir_pop(sh);
		close(fds[1]);
		if (st) {
			close(fds[0]);
			sh->cmdsub_status = st;
			return arena_strdup(&sh->scratch, "");
		}
	} else {
		fdmap_identity(map, 10);
		map[1] = fds[1];
		int err = child_spawn(sh, n, map, 10, false, &pid);

		close(fds[1]);
		if (err) {
			close(fds[0]);
			sh_error(sh, "cannot start subshell: %s", strerror(err));
		}
	}
	sb_init(&b);
	char buf[4096];

	for (;;) {
		ssize_t r = read(fds[0], buf, sizeof(buf));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		sb_put(&b, buf, (size_t)r);
	}
	close(fds[0]);
	struct job *j = job_new(sh, &pid, 1, NULL, false);

	sh->cmdsub_status = job_wait(sh, j);
	while (b.len && b.s[b.len - 1] == '\n')
		b.len--;
	char *s = arena_strndup(&sh->scratch, b.s ? b.s : "", b.len);

	sb_free(&b);
	return s;
}

static void expand_cmdsub(struct xstate *x, struct wpart *p)
{
	char *out = run_cmdsub(x->sh, p->cmd);

	put_str(x, out, p->quoted ? F_QUOTED : F_SPLIT);
}

static void expand_arith(struct xstate *x, struct wpart *p)
{
	char *expr = word_to_str(x->sh, p->arg, 0);
	intmax_t v = sh_arith(x->sh, expr);
	char buf[32];

	snprintf(buf, sizeof(buf), "%jd", v);
	put_str(x, buf, p->quoted ? F_QUOTED : F_SPLIT);
}

/* --- tilde --- */

/* The home directory for a tilde prefix ("" for ~), or NULL. */
static const char *tilde_home(struct shell *sh, const char *user, size_t n)
{
	if (n == 0)
		return var_get(sh, "HOME");
	char *name = arena_strndup(&sh->scratch, user, n);
	struct passwd *pw = getpwnam(name);

	return pw ? arena_strdup(&sh->scratch, pw->pw_dir) : NULL;
}

/* Expands a tilde prefix at the start of s if it ends at '/' (or ':' in
 * assignments) or at the end of the word; returns the bytes consumed. */
static size_t try_tilde(struct xstate *x, const char *s, bool word_ends, bool assign)
{
	size_t n = 1;

	while (s[n] && s[n] != '/' && !(assign && s[n] == ':'))
		n++;
	if (!s[n] && !word_ends)
		return 0;
	const char *home = tilde_home(x->sh, s + 1, n - 1);

	if (!home)
		return 0;
	put_str(x, home, F_QUOTED);
	return n;
}

/* An unquoted literal part, with tilde expansion at the word start and,
 * in assignments, after '=' and ':'. */
static void expand_lit(struct xstate *x, struct wpart *p, bool at_start, bool assign)
{
	const char *s = p->text;
	bool word_ends = !p->next;

	if (!(x->flags & EXP_HEREDOC) && at_start && s[0] == '~')
		s += try_tilde(x, s, word_ends, assign);
	while (*s) {
		const char *colon = assign ? strchr(s, ':') : NULL;
		size_t n = colon ? (size_t)(colon - s) + 1 : strlen(s);

		put(x, s, n, x->litflag);
		s += n;
		if (colon && *s == '~')
			s += try_tilde(x, s, word_ends, assign);
	}
}

static void expand_parts(struct xstate *x, struct wpart *p, bool assign_tilde)
{
	bool start = true;

	for (; p; p = p->next, start = false) {
		switch (p->type) {
		case WP_LIT:
			if (p->quoted)
				put_str(x, p->text, F_QUOTED);
			else
				expand_lit(x, p, start, assign_tilde);
			break;
		case WP_PARAM:
			expand_param(x, p);
			break;
		case WP_CMDSUB:
			expand_cmdsub(x, p);
			break;
		case WP_ARITH:
			expand_arith(x, p);
			break;
		}
	}
}

/* --- splitting and globbing --- */

static void add_arg(struct xstate *x, const char *s)
{
	if (x->argc + 1 >= x->argcap) {
		size_t cap = x->argcap ? x->argcap * 2 : 16;
		char **n = arena_alloc(&x->sh->scratch, sizeof(*n) * cap);

		if (x->argc)
			memcpy(n, x->argv, sizeof(*n) * x->argc);
		x->argv = n;
		x->argcap = cap;
	}
	x->argv[x->argc++] = arena_strdup(&x->sh->scratch, s);
	x->argv[x->argc] = NULL;
}

static void add_glob_match(void *ctx, const char *path)
{
	add_arg(ctx, path);
}

/* Builds the glob pattern for s[0..n): quoted bytes are escaped. */
static char *to_pattern(struct shell *sh, const char *s, const unsigned char *f, size_t n)
{
	char *p = arena_alloc(&sh->scratch, n * 2 + 1), *o = p;

	for (size_t i = 0; i < n; i++) {
		if (f[i] & F_MARK)
			continue;
		if ((f[i] & F_QUOTED) && strchr("\\*?[]-!", s[i]))
			*o++ = '\\';
		*o++ = s[i];
	}
	*o = '\0';
	return p;
}

/* Emits one split field: globbed unless -f or nothing magic. */
static void emit_field(struct xstate *x, const char *s, const unsigned char *f, size_t n)
{
	struct shell *sh = x->sh;

	if (!sh->opt[OPT_f]) {
		char *pat = to_pattern(sh, s, f, n);

		if (pattern_has_magic(pat) && glob_expand(pat, add_glob_match, x) > 0)
			return;
	}
	add_arg(x, arena_strndup(&sh->scratch, s, n));
}

static bool ifs_white(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* Splits a pre-field on IFS (only bytes flagged F_SPLIT). */
static void split_field(struct xstate *x, struct pfield *pf)
{
	const char *ifs = ifs_value(x->sh);
	size_t i = 0, start = 0, emitted = 0;
	bool have = false;

#define SPLITTABLE(k) ((pf->f[k] & F_SPLIT) && pf->s[k] && strchr(ifs, pf->s[k]))
	char *buf = arena_alloc(&x->sh->scratch, pf->len + 1);
	unsigned char *fb = arena_alloc(&x->sh->scratch, pf->len + 1);
	size_t blen = 0;

	(void)start;
	while (i < pf->len) {
		if (pf->f[i] & F_MARK) {
			i++;
			have = true;
			continue;
		}
		if (!SPLITTABLE(i)) {
			buf[blen] = pf->s[i];
			fb[blen++] = pf->f[i++];
			have = true;
			continue;
		}
		bool hard = !ifs_white(pf->s[i]);

		i++;
		while (i < pf->len && SPLITTABLE(i) && ifs_white(pf->s[i]))
			i++;
		if (!hard && i < pf->len && SPLITTABLE(i)) {
			hard = true;
			i++;
			while (i < pf->len && SPLITTABLE(i) && ifs_white(pf->s[i]))
				i++;
		}
		if (have || hard) {
			emit_field(x, buf, fb, blen);
			emitted++;
		}
		blen = 0;
		have = false;
	}
#undef SPLITTABLE
	if (have) {
		emit_field(x, buf, fb, blen);
		emitted++;
	}
	if (!emitted && pf->keep)
		add_arg(x, "");
}

static void finish_fields(struct xstate *x)
{
	hard_break(x);
	for (size_t i = 0; i < x->ndone; i++) {
		struct pfield *pf = &x->done[i];

		if (pf->len == 0 && !pf->keep)
			continue;
		if (x->sh->max_value && pf->len > x->sh->max_value)
			sh_error(x->sh, "argument too long");
		if (pf->len == 0)
			add_arg(x, "");
		else
			split_field(x, pf);
	}
	x->ndone = 0;
}

static void xstate_init(struct xstate *x, struct shell *sh, int flags)
{
	memset(x, 0, sizeof(*x));
	x->sh = sh;
	x->flags = flags;
}

char **expand_words(struct shell *sh, struct word *w, int *argc)
{
	struct xstate x;

	xstate_init(&x, sh, EXP_FIELDS);
	for (; w; w = w->next) {
		expand_parts(&x, w->parts, false);
		finish_fields(&x);
		if (sh->max_words && x.argc > sh->max_words)
			sh_error(sh, "too many arguments");
	}
	if (!x.argv)
		x.argv = arena_zalloc(&sh->scratch, sizeof(char *));
	*argc = (int)x.argc;
	return x.argv;
}

char *expand_word_str(struct shell *sh, struct word *w, int flags)
{
	struct xstate x;

	xstate_init(&x, sh, flags & ~EXP_FIELDS);
	expand_parts(&x, w->parts, (flags & EXP_TILDE_ASSIGN) != 0);
	if (!x.cur.len)
		return arena_strdup(&sh->scratch, "");
	if (flags & EXP_PATTERN)
		return to_pattern(sh, x.cur.s, x.cur.f, x.cur.len);
	size_t o = 0;

	for (size_t i = 0; i < x.cur.len; i++)
		if (!(x.cur.f[i] & F_MARK))
			x.cur.s[o++] = x.cur.s[i];
	x.cur.s[o] = '\0';
	return x.cur.s;
}

char *expand_heredoc(struct shell *sh, struct word *w)
{
	return expand_word_str(sh, w, EXP_HEREDOC);
}

/* --- arithmetic glue --- */

static const char *arith_get(void *ctx, const char *name)
{
	return var_get(ctx, name);
}

static bool arith_set(void *ctx, const char *name, const char *value)
{
	var_set_or_raise(ctx, name, value, 0);
	return true;
}

intmax_t sh_arith(struct shell *sh, const char *expr)
{
	struct arith_ops ops = { arith_get, arith_set, sh };
	char err[512];
	intmax_t v;

	if (arith_eval(expr, &ops, &v, err, sizeof(err)) != 0)
		sh_error(sh, "%s", err);
	return v;
}

/* Expands parameters, command substitutions and arithmetic in a prompt
 * string; returns a malloc'd string (the text itself on any error). */
char *prompt_expand(struct shell *sh, const char *ps)
{
	struct arena a;
	struct parse_error err;
	struct catch_point cp;
	char *volatile out = NULL;

	arena_init(&a);
	struct word *w = parse_word_text(ps, &a, &err);

	if (w) {
		catch_push(sh, &cp);
		if (setjmp(cp.jb) == 0) {
			out = xstrdup(expand_word_str(sh, w, EXP_HEREDOC));
			catch_pop(sh, &cp);
		} else {
			catch_unwind(sh, &cp);
		}
	}
	arena_free(&a);
	return out ? out : xstrdup(ps);
}
