/*
 * hl.c - C and shell lexers and the state cache (see hl.h).
 */
#include "hl.h"

#include <stdlib.h>
#include <string.h>

static const char *const c_keywords[] = {
	"auto",
	"break",
	"case",
	"const",
	"continue",
	"default",
	"do",
	"else",
	"enum",
	"extern",
	"for",
	"goto",
	"if",
	"inline",
	"register",
	"restrict",
	"return",
	"sizeof",
	"static",
	"struct",
	"switch",
	"typedef",
	"union",
	"volatile",
	"while",
	"_Alignas",
	"_Alignof",
	"_Atomic",
	"_Generic",
	"_Noreturn",
	"_Static_assert",
	"_Thread_local",
	"NULL",
	"true",
	"false",
	NULL,
};

static const char *const c_types[] = {
	"char",     "double",    "float",     "int",     "long",     "short",    "signed",
	"unsigned", "void",      "bool",      "_Bool",   "size_t",   "ssize_t",  "int8_t",
	"int16_t",  "int32_t",   "int64_t",   "uint8_t", "uint16_t", "uint32_t", "uint64_t",
	"intptr_t", "uintptr_t", "ptrdiff_t", "FILE",    NULL,
};

static const char *const sh_keywords[] = {
	"if",    "then",   "else",     "elif",  "fi",     "case",     "esac",     "for",
	"while", "until",  "do",       "done",  "in",     "function", "select",   "return",
	"local", "export", "readonly", "shift", "exit",   "break",    "continue", "set",
	"unset", "trap",   "eval",     "exec",  "source", ".",        "alias",    "cd",
	"echo",  "printf", "read",     "test",  NULL,
};

static int is_ident_start(unsigned char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_ident(unsigned char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

static int in_list(const char *const *list, const char *s, size_t n)
{
	for (; *list; list++)
		if ((*list)[0] == s[0] && strlen(*list) == n && memcmp(*list, s, n) == 0)
			return 1;
	return 0;
}

static inline void paint(uint8_t *attr, size_t from, size_t to, enum hl_attr a)
{
	if (attr)
		memset(attr + from, a, to - from);
}

/* Lexes a quoted string whose body starts (after the opening quote) at i;
 * returns the offset after the closing quote and sets *closed, or returns n
 * with *closed clear if the line ends inside it. */
static size_t skip_quoted(const char *s, size_t i, size_t n, char q, int escapes, int *closed)
{
	*closed = 0;
	while (i < n) {
		if (escapes && s[i] == '\\' && i + 1 < n) {
			i += 2;
		} else if (s[i++] == q) {
			*closed = 1;
			return i;
		}
	}
	return n;
}

/* Returns the end of a C block comment whose body starts at i, or n. */
static size_t skip_c_comment(const char *s, size_t i, size_t n, int *closed)
{
	for (; i + 1 < n; i++) {
		if (s[i] == '*' && s[i + 1] == '/') {
			*closed = 1;
			return i + 2;
		}
	}
	*closed = 0;
	return n;
}

/* Lexes a number or identifier at i; returns its end. */
static size_t c_word(const char *s, size_t i, size_t n, uint8_t *attr, const char *const *kw,
		     const char *const *types)
{
	size_t j = i;
	unsigned char c = (unsigned char)s[i];

	if (!is_ident_start(c)) { /* a number: digits, letters, dots */
		while (j < n && (is_ident((unsigned char)s[j]) || s[j] == '.'))
			j++;
		paint(attr, i, j, HL_NUMBER);
		return j;
	}
	while (j < n && is_ident((unsigned char)s[j]))
		j++;
	if (in_list(kw, s + i, j - i))
		paint(attr, i, j, HL_KEYWORD);
	else if (types && in_list(types, s + i, j - i))
		paint(attr, i, j, HL_TYPE);
	return j;
}

/* True if the C line's first non-blank character is '#'. */
static int c_directive(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i < n && s[i] == '#';
}

/* Lexes a C line from a state without the comment and string bits; returns
 * the comment bit if a block comment is left open. */
static hl_state c_body(const char *s, size_t i, size_t n, uint8_t *attr, int *open_string)
{
	while (i < n) {
		unsigned char c;
		size_t j;
		int closed;
		if (!attr) { /* only comments and strings change the state */
			while (i < n && s[i] != '/' && s[i] != '"' && s[i] != '\'')
				i++;
			if (i == n)
				break;
		}
		c = (unsigned char)s[i];
		if (c == '/' && i + 1 < n && s[i + 1] == '/') {
			paint(attr, i, n, HL_COMMENT);
			return 0;
		} else if (c == '/' && i + 1 < n && s[i + 1] == '*') {
			j = skip_c_comment(s, i + 2, n, &closed);
			paint(attr, i, j, HL_COMMENT);
			if (!closed)
				return HL_C_COMMENT;
		} else if (c == '"' || c == '\'') {
			j = skip_quoted(s, i + 1, n, (char)c, 1, &closed);
			paint(attr, i, j, HL_STRING);
			if (!closed && c == '"' && s[n - 1] == '\\' && n - 1 > i)
				*open_string = 1;
		} else if (attr && (is_ident(c) || (c == '.' && i + 1 < n && s[i + 1] >= '0' &&
						    s[i + 1] <= '9'))) {
			/* Words matter for colours only: lexing for the state
			 * alone steps over them a byte at a time. */
			j = c_word(s, i, n, attr, c_keywords, c_types);
		} else {
			j = i + 1;
		}
		i = j;
	}
	return 0;
}

/* Finishes what the state left open at the start of the line (a comment or
 * a string); returns where ordinary lexing resumes. */
static size_t c_resume(hl_state *st, const char *s, size_t n, uint8_t *attr)
{
	size_t j = 0;
	int closed;

	if (*st & HL_C_COMMENT) {
		j = skip_c_comment(s, 0, n, &closed);
		paint(attr, 0, j, HL_COMMENT);
		if (closed)
			*st &= (hl_state)~HL_C_COMMENT;
	} else if (*st & HL_C_STRING) {
		j = skip_quoted(s, 0, n, '"', 1, &closed);
		paint(attr, 0, j, HL_STRING);
		if (closed || n == 0 || s[n - 1] != '\\')
			*st &= (hl_state)~HL_C_STRING;
	}
	return j;
}

static hl_state c_line(hl_state st, const char *s, size_t n, uint8_t *attr)
{
	int preproc = (st & HL_C_PREPROC) || c_directive(s, n), open_string = 0;
	size_t i;
	hl_state out;

	paint(attr, 0, n, preproc ? HL_PREPROC : HL_TEXT);
	i = c_resume(&st, s, n, attr);
	if (st & (HL_C_COMMENT | HL_C_STRING))
		return st | (preproc && n && s[n - 1] == '\\' ? HL_C_PREPROC : 0);
	out = c_body(s, i, n, attr, &open_string);
	if (preproc && attr)
		for (size_t k = i; k < n; k++)
			if (attr[k] == HL_KEYWORD || attr[k] == HL_TYPE || attr[k] == HL_TEXT)
				attr[k] = HL_PREPROC;
	if (open_string)
		out |= HL_C_STRING;
	if (preproc && n && s[n - 1] == '\\' && !(out & HL_C_COMMENT))
		out |= HL_C_PREPROC;
	return out;
}

/* True if a shell '#' at i starts a comment (it begins a word). */
static int sh_comment_start(const char *s, size_t i)
{
	return i == 0 || strchr(" \t;|&()", s[i - 1]) != NULL;
}

/* Lexes a shell $name or ${...} at i; returns its end. */
static size_t sh_variable(const char *s, size_t i, size_t n, uint8_t *attr)
{
	size_t j = i + 1;

	if (j < n && s[j] == '{') {
		while (j < n && s[j] != '}')
			j++;
		j = j < n ? j + 1 : n;
	} else if (j < n && !is_ident((unsigned char)s[j])) {
		j++; /* $?, $#, $$, $1 ... */
	} else {
		while (j < n && is_ident((unsigned char)s[j]))
			j++;
	}
	paint(attr, i, j, HL_TYPE);
	return j;
}

/* Lexes the rest of a shell string with quote q from i; sets *open if the
 * line ends inside it. */
static size_t sh_string(const char *s, size_t i, size_t n, char q, uint8_t *attr, int *open)
{
	int closed;
	size_t j = skip_quoted(s, i, n, q, q == '"', &closed);

	*open = !closed;
	paint(attr, i, j, HL_STRING);
	return j;
}

static hl_state sh_line(hl_state st, const char *s, size_t n, uint8_t *attr)
{
	size_t i = 0;
	int open;

	paint(attr, 0, n, HL_TEXT);
	if (st) {
		i = sh_string(s, 0, n, st == HL_SH_SQUOTE ? '\'' : '"', attr, &open);
		if (open)
			return st;
	}
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c == '#' && sh_comment_start(s, i)) {
			paint(attr, i, n, HL_COMMENT);
			return 0;
		} else if (c == '\'' || c == '"') {
			paint(attr, i, i + 1, HL_STRING);
			i = sh_string(s, i + 1, n, (char)c, attr, &open);
			if (open)
				return c == '\'' ? HL_SH_SQUOTE : HL_SH_DQUOTE;
		} else if (c == '$') {
			i = sh_variable(s, i, n, attr);
		} else if (c == '\\') {
			i += 2;
		} else if (attr && is_ident(c) && (i == 0 || !is_ident((unsigned char)s[i - 1]))) {
			i = c_word(s, i, n, attr, sh_keywords, NULL);
		} else {
			i++;
		}
	}
	return 0;
}

hl_state hl_line(enum hl_lang lang, hl_state in, const char *s, size_t n, uint8_t *attr)
{
	switch (lang) {
	case HL_C:
		return c_line(in, s, n, attr);
	case HL_SH:
		return sh_line(in, s, n, attr);
	default:
		paint(attr, 0, n, HL_TEXT);
		return 0;
	}
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

enum hl_lang hl_detect(const char *name, const char *first, size_t n)
{
	if (name && (ends_with(name, ".c") || ends_with(name, ".h")))
		return HL_C;
	if (name && (ends_with(name, ".sh") || ends_with(name, ".bash")))
		return HL_SH;
	if (n >= 3 && first[0] == '#' && first[1] == '!') {
		for (size_t i = 2; i + 1 < n && first[i] != '\n'; i++)
			if (first[i] == 's' && first[i + 1] == 'h')
				return HL_SH;
	}
	return HL_NONE;
}

void hl_cache_init(struct hl_cache *c, enum hl_lang lang)
{
	memset(c, 0, sizeof *c);
	c->lang = lang;
}

void hl_cache_free(struct hl_cache *c)
{
	free(c->cp);
	free(c->line);
	memset(c, 0, sizeof *c);
}

void hl_cache_invalidate(struct hl_cache *c, size_t line)
{
	size_t keep = line / HL_STEP + 1;

	if (c->ncp > keep)
		c->ncp = keep;
}

const char *hl_fetch_at(struct hl_cache *c, const struct buf *b, size_t start, size_t *n)
{
	size_t len = buf_next_nl(b, start) - start;

	if (len + 1 > c->linecap) {
		char *p = realloc(c->line, len + 1);
		if (!p)
			return NULL;
		c->line = p;
		c->linecap = len + 1;
	}
	buf_get(b, start, len, c->line);
	*n = len;
	return c->line;
}

/* Lexes lines [from, to), the first starting at offset *pos, from state
 * st; returns the state at line to and leaves *pos at its start. Lines that
 * lie inside one block are read in place. */
static hl_state lex_lines(struct hl_cache *c, const struct buf *b, size_t from, size_t to,
			  hl_state st, size_t *pos)
{
	size_t len = buf_len(b);

	for (size_t l = from; l < to && *pos <= len; l++) {
		size_t n;
		const char *s = buf_line_at(b, *pos, &n);
		if (!s && !(s = hl_fetch_at(c, b, *pos, &n)))
			return 0;
		st = hl_line(c->lang, st, s, n, NULL);
		*pos += n + 1;
	}
	return st;
}

/* Extends the valid checkpoints up to index k. */
static int fill_checkpoints(struct hl_cache *c, const struct buf *b, size_t k)
{
	size_t pos;

	if (k >= c->cap) {
		size_t ncap = (k + 1) * 2;
		hl_state *p = realloc(c->cp, ncap);
		if (!p)
			return 0;
		c->cp = p;
		c->cap = ncap;
	}
	if (c->ncp == 0) {
		c->cp[0] = 0;
		c->ncp = 1;
	}
	pos = buf_line_start(b, (c->ncp - 1) * HL_STEP);
	while (c->ncp <= k) {
		size_t from = (c->ncp - 1) * HL_STEP;
		c->cp[c->ncp] = lex_lines(c, b, from, from + HL_STEP, c->cp[c->ncp - 1], &pos);
		c->ncp++;
	}
	return 1;
}

hl_state hl_state_at(struct hl_cache *c, const struct buf *b, size_t line)
{
	size_t k = line / HL_STEP, pos;

	if (c->lang == HL_NONE)
		return 0;
	if (line >= buf_lines(b))
		line = buf_lines(b) - 1;
	if (!fill_checkpoints(c, b, k))
		return 0;
	pos = buf_line_start(b, k * HL_STEP);
	return lex_lines(c, b, k * HL_STEP, line, c->cp[k], &pos);
}
