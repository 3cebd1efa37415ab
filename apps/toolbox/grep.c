/*
 * grep.c - search files for lines matching patterns (busybox's grep):
 * -E -F -i -v -n -c -l -L -o -q -s -h -H -r/-R -w -x -e PATTERN -f FILE
 * -m N. Basic and extended regular expressions come from regex.h. Several
 * patterns (several -e, or lines of one pattern) match when any does. The
 * status is 0 when a line was selected, 1 when none, 2 on an error (a
 * selected line still gives 0 with -q).
 */
#include "grep.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Appends pattern text (split at newlines) to the pattern list. */
bool grep_add(struct grep_pats *g, const char *text)
{
	const char *p = text;

	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (g->n == g->cap) {
			size_t cap = g->cap ? g->cap * 2 : 8;
			struct grep_pat *np = realloc(g->pat, cap * sizeof(*np));
			if (!np)
				return false;
			g->pat = np;
			g->cap = cap;
		}
		struct grep_pat *q = &g->pat[g->n];
		memset(q, 0, sizeof(*q));
		q->text = strndup(p, len);
		if (!q->text)
			return false;
		g->n++;
		if (!nl)
			return true;
		p = nl + 1;
	}
}

/* Compiles every pattern; reports the first bad one. */
bool grep_compile(const char *name, struct grep_pats *g)
{
	int flags = (g->extended ? REG_EXTENDED : 0) | (g->icase ? REG_ICASE : 0);

	for (size_t i = 0; i < g->n && !g->fixed; i++) {
		int rc = REG_BADPAT;
		if (regex_guard(g->pat[i].text, g->extended))
			rc = regcomp(&g->pat[i].re, g->pat[i].text, flags);
		if (rc == REG_ESPACE) { /* the pattern may be fine: memory ran out */
			msg(name, "can't compile '%s': %s", g->pat[i].text, strerror(ENOMEM));
			return false;
		}
		if (rc != 0) {
			msg(name, "bad regex '%s'", g->pat[i].text);
			return false;
		}
		g->pat[i].compiled = true;
	}
	return true;
}

void grep_free(struct grep_pats *g)
{
	for (size_t i = 0; i < g->n; i++) {
		if (g->pat[i].compiled)
			regfree(&g->pat[i].re);
		free(g->pat[i].text);
	}
	free(g->pat);
	g->pat = NULL;
	g->n = g->cap = 0;
}

/* Finds pattern q in s from offset start: the match's bounds, or false. */
static bool grep_find(const struct grep_pats *g, struct grep_pat *q, const char *s, size_t start,
		      size_t *so, size_t *eo)
{
	if (g->fixed) {
		size_t pl = strlen(q->text), sl = strlen(s);
		for (size_t i = start; i + pl <= sl; i++)
			if (g->icase ? strncasecmp(s + i, q->text, pl) == 0
				     : strncmp(s + i, q->text, pl) == 0) {
				*so = i;
				*eo = i + pl;
				return true;
			}
		return false;
	}
	regmatch_t m;
	if (regexec(&q->re, s + start, 1, &m, start ? REG_NOTBOL : 0) != 0)
		return false;
	*so = start + (size_t)m.rm_so;
	*eo = start + (size_t)m.rm_eo;
	return true;
}

static bool grep_wordch(char c)
{
	return c == '_' || (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
}

/* The first acceptable match of any pattern in s at or after start,
 * honouring -w and -x; false when there is none. */
bool grep_match(const struct grep_pats *g, const char *s, size_t start, size_t *so, size_t *eo)
{
	size_t len = strlen(s), best_so = (size_t)-1, best_eo = 0;

	for (size_t i = 0; i < g->n; i++) {
		size_t from = start, a, b;
		while (from <= len && grep_find(g, &g->pat[i], s, from, &a, &b)) {
			bool ok = !g->line || (a == 0 && b == len);
			if (g->word)
				ok = (a == 0 || !grep_wordch(s[a - 1])) && !grep_wordch(s[b]) &&
				     b > a;
			if (ok) {
				if (a < best_so || (a == best_so && b > best_eo)) {
					best_so = a;
					best_eo = b;
				}
				break;
			}
			from = a + 1;
		}
	}
	*so = best_so;
	*eo = best_eo;
	return best_so != (size_t)-1;
}

struct grep_run {
	const char *name;
	struct grep_pats g;
	bool invert, number, count, list, list_none, only, quiet, silent, recursive;
	int names; /* -1 never (-h), 1 always, 0 only for files found by -r */
	unsigned long long max;
	bool matched, error;
};

/* regex.h stops at a NUL byte: a line holding one is matched as a copy
 * with each NUL turned into '\n' (an ordinary character to regcomp
 * without REG_NEWLINE), so text after it is still searched. The copy is
 * left empty (buf NULL) for lines without NUL bytes. */
static void grep_hide_nuls(const struct line *l, struct line *copy)
{
	if (!memchr(l->buf, 0, l->len)) {
		line_free(copy);
		return;
	}
	char *b = realloc(copy->buf, l->len + 1);
	if (!b)
		return;
	copy->buf = b;
	for (size_t i = 0; i <= l->len; i++)
		b[i] = i < l->len && l->buf[i] == '\0' ? '\n' : l->buf[i];
	copy->len = l->len;
}

/* Prints the -o parts of a selected line (s as matched, raw as read). */
static void grep_only(const struct grep_run *r, const char *prefix, unsigned long no, const char *s,
		      const char *raw)
{
	size_t start = 0, so, eo, len = strlen(s);

	while (start <= len && grep_match(&r->g, s, start, &so, &eo)) {
		if (eo > so) {
			fputs(prefix, stdout);
			if (r->number)
				printf("%lu:", no);
			fwrite(raw + so, 1, eo - so, stdout);
			putchar('\n');
		}
		start = eo > so ? eo : so + 1;
	}
}

/* Searches one open stream; label is the name shown for it. */
static void grep_stream(struct grep_run *r, FILE *f, const char *label, bool show_name)
{
	struct line l = { 0 }, copy = { 0 };
	unsigned long no = 0, hits = 0;
	char prefix[4096];
	size_t so, eo;

	snprintf(prefix, sizeof(prefix), "%s%s", show_name ? label : "", show_name ? ":" : "");
	while ((!r->max || hits < r->max) && line_read(&l, f, '\n') > 0) {
		no++;
		if (l.buf[l.len - 1] == '\n')
			l.buf[--l.len] = '\0';
		grep_hide_nuls(&l, &copy);
		if (grep_match(&r->g, copy.buf ? copy.buf : l.buf, 0, &so, &eo) == r->invert)
			continue;
		hits++;
		r->matched = true;
		if (r->quiet || r->list || r->list_none || r->count)
			continue;
		if (r->only) {
			if (!r->invert)
				grep_only(r, prefix, no, copy.buf ? copy.buf : l.buf, l.buf);
			continue;
		}
		fputs(prefix, stdout);
		if (r->number)
			printf("%lu:", no);
		fwrite(l.buf, 1, l.len, stdout);
		putchar('\n');
	}
	if (ferror(f) && errno != EISDIR) {
		if (!r->silent)
			msg_errno(r->name, "%s", label);
		r->error = true;
	}
	line_free(&l);
	line_free(&copy);
	if (r->count && !r->quiet)
		printf("%s%lu\n", prefix, hits);
	if ((r->list && hits) || (r->list_none && !hits))
		if (!r->quiet)
			printf("%s\n", label);
}

/* Opens and searches one file. */
static void grep_file(struct grep_run *r, const char *path, bool show_name)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");

	if (!f) {
		if (!r->silent)
			msg_errno(r->name, "%s", path);
		r->error = true;
		return;
	}
	grep_stream(r, f, strcmp(path, "-") == 0 ? "(standard input)" : path, show_name);
	file_close(f);
}

/* Searches each regular file met by a -r walk. */
static int grep_visit(void *ctx, const char *path, const struct stat *st, enum walk_kind kind,
		      int depth)
{
	struct grep_run *r = ctx;
	(void)st;
	(void)depth;

	if (kind == WALK_ERROR) {
		if (!r->silent)
			msg_errno(r->name, "%s", path);
		r->error = true;
	} else if (kind == WALK_FILE) {
		grep_file(r, path, r->names >= 0);
	}
	return 0;
}

/* Reads patterns from a file for -f. */
static bool grep_pattern_file(struct grep_run *r, const char *path)
{
	FILE *f = file_open(r->name, path);
	struct line l = { 0 };
	bool ok = f != NULL;

	while (ok && line_read(&l, f, '\n') > 0) {
		if (l.buf[l.len - 1] == '\n')
			l.buf[--l.len] = '\0';
		ok = grep_add(&r->g, l.buf);
	}
	line_free(&l);
	file_close(f);
	return ok;
}

/* Applies one option letter; false after a reported error. */
static bool grep_option(struct grep_run *r, int c, const char *arg, bool *have_pattern)
{
	switch (c) {
	case 'E':
		r->g.extended = true;
		break;
	case 'F':
		r->g.fixed = true;
		break;
	case 'i':
		r->g.icase = true;
		break;
	case 'w':
		r->g.word = true;
		break;
	case 'x':
		r->g.line = true;
		break;
	case 'v':
		r->invert = true;
		break;
	case 'n':
		r->number = true;
		break;
	case 'c':
		r->count = true;
		break;
	case 'l':
		r->list = true;
		break;
	case 'L':
		r->list_none = true;
		break;
	case 'o':
		r->only = true;
		break;
	case 'q':
		r->quiet = true;
		break;
	case 's':
		r->silent = true;
		break;
	case 'h':
		r->names = -1;
		break;
	case 'H':
		r->names = 1;
		break;
	case 'r':
	case 'R':
		r->recursive = true;
		break;
	case 'e':
		*have_pattern = true;
		return grep_add(&r->g, arg);
	case 'f':
		*have_pattern = true;
		return grep_pattern_file(r, arg);
	case 'm':
		if (!parse_ulong(arg, &r->max)) {
			msg(r->name, "invalid number '%s'", arg);
			return false;
		}
		break;
	default:
		return false;
	}
	return true;
}

int cmd_grep(int argc, char **argv)
{
	struct grep_run r = { .name = argv[0] };
	bool have_pattern = false;
	static char *dot[] = { ".", NULL }, *dash[] = { "-", NULL };
	struct opt o;
	int c, n;

	opt_init(&o, argc, argv,
		 "EFiwxvnclLoqshHrRe:f:m:", "[-EFiwxvnclLoqshHr] PATTERN [FILE]...");
	while ((c = opt_next(&o)) != -1)
		if (c == '?' || !grep_option(&r, c, o.arg, &have_pattern)) {
			grep_free(&r.g);
			return 2;
		}
	char **ops = opt_operands(&o, &n);
	if (!have_pattern && n == 0) {
		msg_usage(argv[0], o.usage);
		return 2;
	}
	if (!have_pattern && !grep_add(&r.g, ops[0]))
		return 2;
	if (!have_pattern) {
		ops++;
		n--;
	}
	if (!grep_compile(argv[0], &r.g)) {
		grep_free(&r.g);
		return 2;
	}
	if (n == 0) {
		ops = r.recursive ? dot : dash;
		n = 1;
	}
	if (r.names == 0 && n > 1)
		r.names = 1;
	for (int i = 0; i < n && !(r.quiet && r.matched); i++) {
		struct stat st;
		if (r.recursive && stat(ops[i], &st) == 0 && S_ISDIR(st.st_mode))
			walk_tree(ops[i], grep_visit, &r, true);
		else
			grep_file(&r, ops[i], r.names > 0);
	}
	grep_free(&r.g);
	if (r.quiet && r.matched)
		return 0;
	return r.error ? 2 : r.matched ? 0 : 1;
}
