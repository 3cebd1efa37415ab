/*
 * search.c - line-by-line search and replacement templates (see search.h).
 */
#include "search.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void search_init(struct search *s)
{
	memset(s, 0, sizeof *s);
}

static void drop_pattern(struct search *s)
{
	if (s->compiled)
		regfree(&s->re);
	s->compiled = false;
	free(s->pat);
	s->pat = NULL;
	s->patlen = 0;
}

void search_free(struct search *s)
{
	drop_pattern(s);
	free(s->line);
	memset(s, 0, sizeof *s);
}

status_t search_set(struct search *s, const char *pat, size_t n, bool regex, bool icase)
{
	char *p;

	if (n == 0 || (regex && memchr(pat, '\0', n)))
		return STATUS_BAD_FORMAT;
	p = malloc(n + 1);
	if (!p)
		return STATUS_NO_MEMORY;
	memcpy(p, pat, n);
	p[n] = '\0';
	drop_pattern(s);
	s->pat = p;
	s->patlen = n;
	s->regex = regex;
	s->icase = icase;
	if (regex) {
		int flags = REG_EXTENDED | (icase ? REG_ICASE : 0);
		if (regcomp(&s->re, p, flags) != 0) {
			drop_pattern(s);
			return STATUS_BAD_FORMAT;
		}
		s->compiled = true;
	}
	return STATUS_OK;
}

static unsigned char fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* True if the pattern matches the line at offset i (plain search). */
static bool plain_at(const struct search *s, const char *line, size_t i)
{
	if (!s->icase)
		return memcmp(line + i, s->pat, s->patlen) == 0;
	for (size_t k = 0; k < s->patlen; k++)
		if (fold((unsigned char)line[i + k]) != fold((unsigned char)s->pat[k]))
			return false;
	return true;
}

/* Records a plain match at i. */
static void plain_match(const struct search *s, size_t i, struct search_match *m)
{
	m->start = i;
	m->len = s->patlen;
	m->sub_start[0] = 0;
	m->sub_len[0] = s->patlen;
	for (int g = 1; g < SEARCH_GROUPS; g++)
		m->sub_start[g] = m->sub_len[g] = SIZE_MAX;
}

/* Finds the first plain match in line[0, n) starting in [from, to),
 * skipping ahead to the bytes that can start one: by memchr, or for a
 * letter whose case is ignored by comparing with the lower-case bit set. */
static bool plain_find(const struct search *s, const char *line, size_t n, size_t from, size_t to,
		       struct search_match *m)
{
	unsigned char f0 = (unsigned char)s->pat[0], lower = fold(f0);
	bool letter = s->icase && lower >= 'a' && lower <= 'z';

	if (n < s->patlen)
		return false;
	if (to > n - s->patlen + 1)
		to = n - s->patlen + 1;
	for (size_t i = from; i < to; i++) {
		if (letter) {
			while (i < to && ((unsigned char)line[i] | 0x20) != lower)
				i++;
			if (i == to)
				return false;
		} else {
			const char *p = memchr(line + i, f0, to - i);
			if (!p)
				return false;
			i = (size_t)(p - line);
		}
		if (plain_at(s, line, i)) {
			plain_match(s, i, m);
			return true;
		}
	}
	return false;
}

/* Finds the first regex match in the NUL-terminated line starting in
 * [from, to). */
static bool regex_find(const struct search *s, const char *line, size_t n, size_t from, size_t to,
		       struct search_match *m)
{
	regmatch_t pm[SEARCH_GROUPS];
	size_t start;

	if (from > n || from >= to)
		return false;
	if (regexec(&s->re, line + from, SEARCH_GROUPS, pm, from ? REG_NOTBOL : 0) != 0)
		return false;
	start = from + (size_t)pm[0].rm_so;
	if (start >= to)
		return false;
	m->start = start;
	m->len = (size_t)(pm[0].rm_eo - pm[0].rm_so);
	for (int g = 0; g < SEARCH_GROUPS; g++) {
		bool set = pm[g].rm_so >= 0;
		m->sub_start[g] = set ? from + (size_t)pm[g].rm_so - start : SIZE_MAX;
		m->sub_len[g] = set ? (size_t)(pm[g].rm_eo - pm[g].rm_so) : SIZE_MAX;
	}
	return true;
}

static bool find_from(const struct search *s, const char *line, size_t n, size_t from, size_t to,
		      struct search_match *m)
{
	return s->regex ? regex_find(s, line, n, from, to, m) : plain_find(s, line, n, from, to, m);
}

/* Finds in one line the first match starting in [from, to), or the last
 * one when backward. */
static bool find_in_line(const struct search *s, const char *line, size_t n, size_t from, size_t to,
			 bool backward, struct search_match *m)
{
	struct search_match cand;
	bool found = false;

	if (!backward)
		return find_from(s, line, n, from, to, m);
	while (find_from(s, line, n, from, to, &cand)) {
		*m = cand;
		found = true;
		from = cand.start + 1;
	}
	return found;
}

/* The line that starts at pos: in place for a plain search when it lies in
 * one block, else copied into the scratch buffer and NUL-terminated (a
 * regular expression needs the terminator). */
static const char *fetch(struct search *s, const struct buf *b, size_t pos, size_t *n)
{
	const char *p = buf_line_at(b, pos, n);

	if (p && !s->regex)
		return p;
	if (*n + 1 > s->linecap) {
		char *q = realloc(s->line, *n + 1);
		if (!q)
			return NULL;
		s->line = q;
		s->linecap = *n + 1;
	}
	buf_get(b, pos, *n, s->line);
	s->line[*n] = '\0';
	return s->line;
}

/* Searches the line starting at st for a match starting in [lo, hi)
 * (absolute offsets); stores the line's length in *n. */
static status_t search_line(struct search *s, const struct buf *b, size_t st, size_t lo, size_t hi,
			    bool backward, struct search_match *m, size_t *n)
{
	const char *line = fetch(s, b, st, n);

	if (!line)
		return STATUS_NO_MEMORY;
	lo = lo > st ? lo - st : 0;
	hi = hi > st ? hi - st : 0;
	if (!find_in_line(s, line, *n, lo, hi, backward, m))
		return STATUS_NOT_FOUND;
	m->start += st;
	return STATUS_OK;
}

/* The start of the line after (or before) the line that starts at pos,
 * wrapping round the ends of the text. */
static size_t step_line(const struct buf *b, size_t pos, size_t n, bool backward)
{
	if (!backward)
		return pos + n + 1 > buf_len(b) ? 0 : pos + n + 1;
	if (pos == 0)
		return buf_line_start_of(b, buf_len(b));
	return buf_line_start_of(b, pos - 1);
}

status_t search_find(struct search *s, const struct buf *b, size_t from, bool backward, bool wrap,
		     struct search_match *m)
{
	size_t nlines = buf_lines(b), l0 = buf_line_of(b, from), count;
	size_t pos = buf_line_start_of(b, from), n;
	status_t st;

	if (!s->pat)
		return STATUS_NOT_FOUND;
	count = wrap ? nlines + 1 : backward ? l0 + 1 : nlines - l0;
	for (size_t i = 0; i < count; i++) {
		size_t lo = 0, hi = SIZE_MAX;
		if (i == 0)
			*(backward ? &hi : &lo) = from;
		if (i == nlines)
			*(backward ? &lo : &hi) = from;
		st = search_line(s, b, pos, lo, hi, backward, m, &n);
		if (st != STATUS_NOT_FOUND)
			return st;
		pos = step_line(b, pos, n, backward);
	}
	return STATUS_NOT_FOUND;
}

/* A growing output string for search_expand. */
struct out {
	char *p;
	size_t len, cap;
	bool failed;
};

static void out_add(struct out *o, const char *s, size_t n)
{
	if (o->failed)
		return;
	if (o->cap - o->len < n + 1) {
		size_t ncap = (o->len + n + 1) * 2;
		char *p = realloc(o->p, ncap);
		if (!p) {
			o->failed = true;
			return;
		}
		o->p = p;
		o->cap = ncap;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
	o->p[o->len] = '\0';
}

/* Appends group g of match m, read from the buffer. */
static void out_group(struct out *o, const struct buf *b, const struct search_match *m, int g)
{
	char tmp[256];
	size_t at, left;

	if (m->sub_start[g] == SIZE_MAX)
		return;
	at = m->start + m->sub_start[g];
	left = m->sub_len[g];
	while (left > 0 && !o->failed) {
		size_t k = buf_get(b, at, left < sizeof tmp ? left : sizeof tmp, tmp);
		if (k == 0)
			break;
		out_add(o, tmp, k);
		at += k;
		left -= k;
	}
}

status_t search_expand(const struct search *s, const struct buf *b, const struct search_match *m,
		       const char *repl, size_t n, char **out, size_t *outlen)
{
	struct out o = { 0 };

	out_add(&o, "", 0);
	for (size_t i = 0; i < n; i++) {
		char c = repl[i];
		if (!s->regex) {
			out_add(&o, &c, 1);
		} else if (c == '&') {
			out_group(&o, b, m, 0);
		} else if (c == '\\' && i + 1 < n) {
			char d = repl[++i];
			if (d >= '0' && d <= '9')
				out_group(&o, b, m, d - '0');
			else if (d == 'n' || d == 't')
				out_add(&o, d == 'n' ? "\n" : "\t", 1);
			else
				out_add(&o, &d, 1);
		} else {
			out_add(&o, &c, 1);
		}
	}
	if (o.failed) {
		free(o.p);
		return STATUS_NO_MEMORY;
	}
	*out = o.p;
	*outlen = o.len;
	return STATUS_OK;
}
