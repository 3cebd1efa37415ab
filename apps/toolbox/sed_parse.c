/*
 * sed_parse.c - sed's script parser: addresses (N, $, /RE/, \cREc, with I,
 * ranges, !), commands { } = a b c d D g G h H i n N p P q Q s t T x y :
 * and #; "ADDR,+N" as in busybox and GNU. Every read is bounds-checked against the script's length; errors
 * are messages as busybox words them.
 */
#include "sed.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct sp {
	const char *s;
	size_t i, n;
	struct sed_prog *p;
	char *err;
	size_t errlen;
	int depth;
	int stack[64];
};

/* Records an error message; always returns false. */
static bool sp_fail(struct sp *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->err, s->errlen, fmt, ap);
	va_end(ap);
	return false;
}

static int sp_peek(const struct sp *s)
{
	return s->i < s->n ? (unsigned char)s->s[s->i] : -1;
}

static void sp_blanks(struct sp *s)
{
	while (sp_peek(s) == ' ' || sp_peek(s) == '\t')
		s->i++;
}

/* Reads text up to an unescaped delim into new memory. "\n" becomes a
 * newline and "\delim" the delimiter; with keep_escapes other escapes stay
 * as written (for regexes and replacements), otherwise the backslash goes.
 * A backslash before a newline keeps the newline. */
static char *sp_delimited(struct sp *s, int delim, bool keep_escapes)
{
	char *out = malloc(s->n - s->i + 1);
	size_t o = 0;

	if (!out)
		return NULL;
	while (s->i < s->n && s->s[s->i] != delim) {
		char c = s->s[s->i++];
		if (c == '\n' && !keep_escapes)
			break;
		if (c != '\\' || s->i >= s->n) {
			out[o++] = c;
			continue;
		}
		char e = s->s[s->i++];
		if (e == 'n')
			out[o++] = '\n';
		else if (e == delim && !(keep_escapes && (e == '&' || e == '\\')))
			out[o++] = e;
		else if (e == '\n' || !keep_escapes)
			out[o++] = e;
		else {
			out[o++] = '\\';
			out[o++] = e;
		}
	}
	if (s->i >= s->n || s->s[s->i] != delim) {
		free(out);
		return NULL;
	}
	s->i++;
	out[o] = '\0';
	return out;
}

/* Compiles a regex (NULL for the empty one, meaning the last used). */
static bool sp_regex(struct sp *s, const char *text, bool icase, regex_t **out)
{
	*out = NULL;
	if (!*text)
		return true;
	if (s->p->nres == s->p->capres) {
		int cap = s->p->capres ? s->p->capres * 2 : 8;
		regex_t **nr = realloc(s->p->res, (size_t)cap * sizeof(*nr));
		if (!nr)
			return sp_fail(s, "out of memory");
		s->p->res = nr;
		s->p->capres = cap;
	}
	if (!regex_guard(text, s->p->extended))
		return sp_fail(s, "bad regex '%s': too complex", text);
	regex_t *re = malloc(sizeof(*re));
	int flags = (s->p->extended ? REG_EXTENDED : 0) | (icase ? REG_ICASE : 0);
	int r = re ? regcomp(re, text, flags) : REG_ESPACE;
	if (r != 0) {
		char why[128] = "out of memory";
		if (re)
			regerror(r, re, why, sizeof(why));
		free(re);
		return sp_fail(s, "bad regex '%s': %s", text, why);
	}
	s->p->res[s->p->nres++] = re;
	*out = re;
	return true;
}

/* Parses one address, if there is one. */
static bool sp_address(struct sp *s, struct sed_addr *a)
{
	int c = sp_peek(s);

	a->kind = SED_ADDR_NONE;
	if (c >= '0' && c <= '9') {
		unsigned long v = 0;
		while ((c = sp_peek(s)) >= '0' && c <= '9') {
			v = v < 100000000000UL ? v * 10 + (unsigned long)(c - '0') : v;
			s->i++;
		}
		if (v == 0)
			return sp_fail(s, "invalid usage of line address 0");
		a->kind = SED_ADDR_LINE;
		a->line = v;
		return true;
	}
	if (c == '$') {
		s->i++;
		a->kind = SED_ADDR_LAST;
		return true;
	}
	if (c != '/' && c != '\\')
		return true;
	s->i++;
	if (c == '\\') {
		c = sp_peek(s);
		if (c < 0 || c == '\n' || c == '\\')
			return sp_fail(s, "unmatched '\\'");
		s->i++;
	}
	char *text = sp_delimited(s, c, true);
	if (!text)
		return sp_fail(s, "unmatched '%c'", c);
	bool icase = sp_peek(s) == 'I';
	s->i += icase;
	a->kind = SED_ADDR_RE;
	bool ok = sp_regex(s, text, icase, &a->re);
	free(text);
	return ok;
}

/* Parses the flags after s///. */
static bool sp_subst_flags(struct sp *s, struct sed_cmd *c, bool *icase)
{
	for (;;) {
		int ch = sp_peek(s);
		if (ch == 'g') {
			c->global = true;
		} else if (ch == 'p') {
			c->print = true;
		} else if (ch == 'I' || ch == 'i') {
			*icase = true;
		} else if (ch >= '0' && ch <= '9') {
			unsigned long v = 0;
			while ((ch = sp_peek(s)) >= '0' && ch <= '9') {
				v = v < 1000000000UL ? v * 10 + (unsigned long)(ch - '0') : v;
				s->i++;
			}
			if (v == 0)
				return sp_fail(s, "bad option in substitution expression");
			c->nth = v;
			continue;
		} else {
			return true;
		}
		s->i++;
	}
}

/* Parses s/RE/REPLACEMENT/FLAGS after the 's'. */
static bool sp_subst(struct sp *s, struct sed_cmd *c)
{
	int delim = sp_peek(s);
	bool icase = false;

	if (delim < 0 || delim == '\n' || delim == '\\')
		return sp_fail(s, "bad format in substitution expression");
	s->i++;
	char *re = sp_delimited(s, delim, true);
	if (!re)
		return sp_fail(s, "unmatched '%c'", delim);
	c->repl = sp_delimited(s, delim, true);
	if (!c->repl) {
		free(re);
		return sp_fail(s, "unmatched '%c'", delim);
	}
	bool ok = sp_subst_flags(s, c, &icase);
	sp_blanks(s);
	if (ok && sp_peek(s) >= 0 && !strchr("\n;}#", sp_peek(s)))
		ok = sp_fail(s, "bad option in substitution expression");
	ok = ok && sp_regex(s, re, icase, &c->re);
	free(re);
	return ok;
}

/* Parses y/FROM/TO/ after the 'y'. */
static bool sp_translit(struct sp *s, struct sed_cmd *c)
{
	int delim = sp_peek(s);

	if (delim < 0 || delim == '\n' || delim == '\\')
		return sp_fail(s, "unmatched '%c'", delim < 0 ? 'y' : delim);
	s->i++;
	char *from = sp_delimited(s, delim, false);
	char *to = from ? sp_delimited(s, delim, false) : NULL;
	bool ok = from && to && strlen(from) == strlen(to);
	if (ok && (c->ymap = malloc(256)) != NULL) {
		for (int k = 0; k < 256; k++)
			c->ymap[k] = (unsigned char)k;
		for (size_t k = 0; from[k]; k++)
			c->ymap[(unsigned char)from[k]] = (unsigned char)to[k];
	}
	free(from);
	free(to);
	if (!from || !to)
		return sp_fail(s, "unmatched '%c'", delim);
	if (!ok)
		return sp_fail(s, "strings for y command are different lengths");
	return c->ymap ? true : sp_fail(s, "out of memory");
}

/* Parses the text of a, i and c: "a\" NEWLINE TEXT or the one-line "a TEXT";
 * a backslash before a newline continues the text, other backslashes go. */
static bool sp_text(struct sp *s, struct sed_cmd *c)
{
	sp_blanks(s);
	if (sp_peek(s) == '\\') {
		s->i++;
		if (sp_peek(s) == '\n')
			s->i++;
	}
	char *t = malloc(s->n - s->i + 1);
	size_t o = 0;

	if (!t)
		return sp_fail(s, "out of memory");
	while (s->i < s->n && s->s[s->i] != '\n') {
		char ch = s->s[s->i++];
		if (ch == '\\' && s->i < s->n)
			ch = s->s[s->i++];
		t[o++] = ch;
	}
	t[o] = '\0';
	c->text = t;
	return true;
}

/* Reads a label for : b t T (up to ';' or a newline, blanks trimmed). */
static bool sp_label(struct sp *s, struct sed_cmd *c, bool colon)
{
	sp_blanks(s);
	size_t start = s->i;
	while (s->i < s->n && s->s[s->i] != '\n' && s->s[s->i] != ';' &&
	       (colon || s->s[s->i] != '}'))
		s->i++;
	size_t end = s->i;
	while (end > start && (s->s[end - 1] == ' ' || s->s[end - 1] == '\t'))
		end--;
	if (colon && end == start)
		return sp_fail(s, "\":\" lacks a label");
	c->text = strndup(s->s + start, end - start);
	return c->text ? true : sp_fail(s, "out of memory");
}

/* Parses the command letter and its arguments into c. */
static bool sp_command(struct sp *s, struct sed_cmd *c, int index)
{
	int ch = sp_peek(s);

	if (ch < 0)
		return sp_fail(s, "missing command");
	s->i++;
	c->cmd = (char)ch;
	switch (ch) {
	case '{':
		if (s->depth == (int)(sizeof(s->stack) / sizeof(s->stack[0])))
			return sp_fail(s, "too many '{'");
		s->stack[s->depth++] = index;
		return true;
	case '}':
		if (s->depth == 0)
			return sp_fail(s, "unexpected '}'");
		if (c->a1.kind != SED_ADDR_NONE)
			return sp_fail(s, "} doesn't want any addresses");
		s->p->cmd[s->stack[--s->depth]].jump = index;
		return true;
	case '=':
	case 'd':
	case 'D':
	case 'g':
	case 'G':
	case 'h':
	case 'H':
	case 'n':
	case 'N':
	case 'p':
	case 'P':
	case 'x':
		return true;
	case 'q':
	case 'Q':
		sp_blanks(s);
		while (sp_peek(s) >= '0' && sp_peek(s) <= '9' && c->code < 100000)
			c->code = c->code * 10 + (s->s[s->i++] - '0');
		return true;
	case 'a':
	case 'i':
	case 'c':
		return sp_text(s, c);
	case ':':
		if (c->a1.kind != SED_ADDR_NONE)
			return sp_fail(s, ": doesn't want any addresses");
		return sp_label(s, c, true);
	case 'b':
	case 't':
	case 'T':
		return sp_label(s, c, false);
	case 's':
		return sp_subst(s, c);
	case 'y':
		return sp_translit(s, c);
	default:
		return sp_fail(s, "unsupported command %c", ch);
	}
}

/* After a command: blanks, then ';', a newline, '}', '#' or the end. */
static bool sp_end_of_command(struct sp *s, char cmd)
{
	sp_blanks(s);
	int ch = sp_peek(s);

	if (ch < 0 || ch == '\n' || ch == ';' || ch == '}' || ch == '#')
		return true;
	if (cmd == 'a' || cmd == 'i' || cmd == 'c' || cmd == ':')
		return true;
	return sp_fail(s, "extra characters after command");
}

/* Adds an empty command to the program; NULL when memory is short. */
static struct sed_cmd *sp_new(struct sed_prog *p)
{
	if (p->n == p->cap) {
		int cap = p->cap ? p->cap * 2 : 16;
		struct sed_cmd *nc = realloc(p->cmd, (size_t)cap * sizeof(*nc));
		if (!nc)
			return NULL;
		p->cmd = nc;
		p->cap = cap;
	}
	memset(&p->cmd[p->n], 0, sizeof(p->cmd[0]));
	p->cmd[p->n].jump = -1;
	return &p->cmd[p->n++];
}

/* Parses one command with its addresses. */
static bool sp_one(struct sp *s)
{
	int index = s->p->n;
	struct sed_cmd *c = sp_new(s->p);

	if (!c)
		return sp_fail(s, "out of memory");
	if (!sp_address(s, &c->a1))
		return false;
	if (c->a1.kind != SED_ADDR_NONE && sp_peek(s) == ',') {
		s->i++;
		sp_blanks(s);
		if (sp_peek(s) == '+') {
			s->i++;
			if (!sp_address(s, &c->a2) || c->a2.kind != SED_ADDR_LINE)
				return sp_fail(s, "expected number after '+'");
			c->a2.kind = SED_ADDR_PLUS;
		} else if (!sp_address(s, &c->a2)) {
			return false;
		}
		if (c->a2.kind == SED_ADDR_NONE)
			return sp_fail(s, "unexpected ','");
	}
	sp_blanks(s);
	while (sp_peek(s) == '!') {
		c->negate = true;
		s->i++;
		sp_blanks(s);
	}
	if (!sp_command(s, c, index))
		return false;
	return c->cmd == '{' || sp_end_of_command(s, c->cmd);
}

/* Points each b/t/T at its label (-1: the end of the script). */
static bool sp_labels(struct sp *s)
{
	struct sed_prog *p = s->p;

	for (int i = 0; i < p->n; i++) {
		char k = p->cmd[i].cmd;
		if ((k != 'b' && k != 't' && k != 'T') || !p->cmd[i].text[0])
			continue;
		for (int j = 0; j < p->n && p->cmd[i].jump < 0; j++)
			if (p->cmd[j].cmd == ':' && strcmp(p->cmd[j].text, p->cmd[i].text) == 0)
				p->cmd[i].jump = j;
		if (p->cmd[i].jump < 0)
			return sp_fail(s, "can't find label for jump to '%s'", p->cmd[i].text);
	}
	return true;
}

/* Parses script into p (which the caller zeroed and may have set
 * extended in); on failure fills err and returns false. Either way
 * sed_prog_free releases p. */
bool sed_parse(struct sed_prog *p, const char *script, char *err, size_t errlen)
{
	struct sp s = { .s = script, .n = strlen(script), .p = p, .err = err, .errlen = errlen };

	for (;;) {
		while (s.i < s.n && strchr(" \t\n;", s.s[s.i]))
			s.i++;
		if (sp_peek(&s) == '#') {
			while (s.i < s.n && s.s[s.i] != '\n')
				s.i++;
			continue;
		}
		if (s.i >= s.n)
			break;
		if (!sp_one(&s))
			return false;
	}
	if (s.depth > 0)
		return sp_fail(&s, "unmatched '{'");
	return sp_labels(&s);
}

void sed_prog_free(struct sed_prog *p)
{
	for (int i = 0; i < p->n; i++) {
		free(p->cmd[i].repl);
		free(p->cmd[i].ymap);
		free(p->cmd[i].text);
	}
	for (int i = 0; i < p->nres; i++) {
		regfree(p->res[i]);
		free(p->res[i]);
	}
	free(p->cmd);
	free(p->res);
	memset(p, 0, sizeof(*p));
}
