/*
 * pattern.c - the shell's pattern matching (case, ${x#p}, globbing) and
 * pathname expansion.
 *
 * Patterns are strings in which a backslash quotes the next character (the
 * expander escapes characters that were quoted in the source).  * and ?
 * match any characters, [...] a set with ranges, classes and !
 * negation (^ is an ordinary character, as in dash); a [ without its ] is an ordinary character.  Matching is by
 * bytes, as in the C locale.
 */
#define _DEFAULT_SOURCE 1
#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sh.h"

struct cls {
	const char *name;
	int (*fn)(int);
};

static const struct cls classes[] = {
	{ "alnum", isalnum }, { "alpha", isalpha }, { "blank", isblank }, { "cntrl", iscntrl },
	{ "digit", isdigit }, { "graph", isgraph }, { "lower", islower }, { "print", isprint },
	{ "punct", ispunct }, { "space", isspace }, { "upper", isupper }, { "xdigit", isxdigit },
};

/* Finds the end of the bracket expression starting after '[' at p;
 * returns a pointer to its ']' or NULL when there is none. */
static const char *bracket_end(const char *p)
{
	if (*p == '!')
		p++;
	if (*p == ']')
		p++;
	for (; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
		} else if (*p == '[' && p[1] == ':') {
			const char *e = strstr(p + 2, ":]");

			if (e)
				p = e + 1;
		} else if (*p == ']') {
			return p;
		}
	}
	return NULL;
}

/* Matches c against a class name at p ("alpha:]..."); sets *len. */
static bool class_match(const char *p, int c, size_t *len, bool *valid)
{
	const char *e = strstr(p, ":]");

	*valid = false;
	if (!e)
		return false;
	*len = (size_t)(e - p) + 2;
	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
		if (strlen(classes[i].name) == (size_t)(e - p) &&
		    memcmp(classes[i].name, p, (size_t)(e - p)) == 0) {
			*valid = true;
			return classes[i].fn(c) != 0;
		}
	}
	return false;
}

/* One character of a bracket set at *pp, unescaping. */
static int set_char(const char **pp)
{
	const char *p = *pp;

	if (*p == '\\' && p[1])
		p++;
	*pp = p + 1;
	return (unsigned char)*p;
}

/* Whether c is in the set between p (after '[') and end (its ']'). */
static bool bracket_match(const char *p, const char *end, int c)
{
	bool neg = false, hit = false;

	if (*p == '!') {
		neg = true;
		p++;
	}
	bool first = true;

	while (p < end || (first && *p == ']')) {
		first = false;
		if (p[0] == '[' && p[1] == ':') {
			size_t len = 0;
			bool valid;

			if (class_match(p + 2, c, &len, &valid))
				hit = true;
			p += 2 + len;
			continue;
		}
		int lo = set_char(&p);

		if (p[0] == '-' && p + 1 < end) {
			p++;
			int hi = set_char(&p);

			if (c >= lo && c <= hi)
				hit = true;
		} else if (c == lo) {
			hit = true;
		}
	}
	return hit != neg;
}

/* Matches one pattern element at *pp against character c; advances *pp.
 * Returns false for no match. */
static bool element_match(const char **pp, int c)
{
	const char *p = *pp;

	if (*p == '?') {
		*pp = p + 1;
		return true;
	}
	if (*p == '[') {
		const char *end = bracket_end(p + 1);

		if (end) {
			*pp = end + 1;
			return bracket_match(p + 1, end, c);
		}
	}
	if (*p == '\\' && p[1])
		p++;
	*pp = p + 1;
	return (unsigned char)*p == c;
}

/* Matches the whole of s[0..n) against pattern p. */
static bool match_n(const char *p, const char *s, size_t n)
{
	const char *star_p = NULL;
	size_t star_s = 0, i = 0;

	for (;;) {
		if (*p == '*') {
			while (*p == '*')
				p++;
			star_p = p;
			star_s = i;
			continue;
		}
		if (i == n) {
			if (*p == '\0')
				return true;
		} else if (*p != '\0') {
			const char *q = p;

			if (element_match(&q, (unsigned char)s[i])) {
				p = q;
				i++;
				continue;
			}
		}
		if (!star_p || star_s >= n)
			return false;
		p = star_p;
		i = ++star_s;
	}
}

bool pattern_match(const char *pattern, const char *str)
{
	return match_n(pattern, str, strlen(str));
}

/* Whether p ends with a '*' that is not escaped. */
static bool ends_with_star(const char *p)
{
	bool star = false;
	for (; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			star = false;
		} else {
			star = *p == '*';
		}
	}
	return star;
}

long pattern_prefix(const char *pattern, const char *str, bool longest)
{
	size_t len = strlen(str);

	if (longest) {
		/* The same for a prefix and a pattern that ends with an
		 * unescaped '*'. */
		if (ends_with_star(pattern))
			return match_n(pattern, str, len) ? (long)len : -1;
		for (size_t i = len + 1; i-- > 0;)
			if (match_n(pattern, str, i))
				return (long)i;
	} else {
		for (size_t i = 0; i <= len; i++)
			if (match_n(pattern, str, i))
				return (long)i;
	}
	return -1;
}

/* Returns the length of the matching suffix, or -1. */
long pattern_suffix(const char *pattern, const char *str, bool longest)
{
	size_t len = strlen(str);

	if (longest) {
		/* A pattern that starts with '*' matches a suffix only if it
		 * matches the whole string (every suffix of the suffix is one of
		 * the string's): one try instead of one per position. */
		if (*pattern == '*')
			return match_n(pattern, str, len) ? (long)len : -1;
		for (size_t i = 0; i <= len; i++)
			if (match_n(pattern, str + i, len - i))
				return (long)(len - i);
	} else {
		for (size_t i = len + 1; i-- > 0;)
			if (match_n(pattern, str + i, len - i))
				return (long)(len - i);
	}
	return -1;
}

bool pattern_has_magic(const char *p)
{
	for (; *p; p++) {
		if (*p == '\\' && p[1])
			p++;
		else if (*p == '*' || *p == '?')
			return true;
		else if (*p == '[' && bracket_end(p + 1))
			return true;
	}
	return false;
}

/* Removes pattern escapes. */
char *pattern_unescape(const char *p, struct arena *a)
{
	char *out = arena_alloc(a, strlen(p) + 1), *o = out;

	for (; *p; p++) {
		if (*p == '\\' && p[1])
			p++;
		*o++ = *p;
	}
	*o = '\0';
	return out;
}

struct glob_state {
	char **list;
	size_t n, cap;
	struct strbuf path;
};

static void glob_add(struct glob_state *g)
{
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 16;
		g->list = xrealloc(g->list, sizeof(*g->list) * g->cap);
	}
	g->list[g->n++] = xstrdup(sb_cstr(&g->path));
}

/* Splits off the next component of pattern p into comp; returns the rest
 * (after slashes) or NULL at the end. */
static const char *next_component(const char *p, struct strbuf *comp)
{
	comp->len = 0;
	while (*p && *p != '/') {
		if (*p == '\\' && p[1])
			sb_putc(comp, *p++);
		sb_putc(comp, *p++);
	}
	sb_cstr(comp);
	if (!*p)
		return NULL;
	while (*p == '/')
		p++;
	return p;
}

static void glob_dir(struct glob_state *g, const char *rest);

/* Matches one magic component against the entries of the current path. */
static void glob_magic(struct glob_state *g, const char *comp, const char *rest, bool slash)
{
	size_t base = g->path.len;
	DIR *d = opendir(base ? sb_cstr(&g->path) : ".");
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' && comp[0] != '.')
			continue;
		if (!pattern_match(comp, e->d_name))
			continue;
		g->path.len = base;
		sb_puts(&g->path, e->d_name);
		if (!slash) {
			glob_add(g);
			continue;
		}
		sb_putc(&g->path, '/');
		if (rest && *rest)
			glob_dir(g, rest);
		else {
			struct stat st;

			if (stat(sb_cstr(&g->path), &st) == 0 && S_ISDIR(st.st_mode))
				glob_add(g);
		}
	}
	closedir(d);
	g->path.len = base;
}

/* Expands pattern rest relative to g->path (which ends in '/' or is empty). */
static void glob_dir(struct glob_state *g, const char *rest)
{
	struct strbuf comp;
	size_t base = g->path.len;

	sb_init(&comp);
	const char *after = next_component(rest, &comp);
	bool slash = after != NULL;

	if (pattern_has_magic(comp.s)) {
		glob_magic(g, comp.s, after, slash);
	} else {
		struct stat st;

		for (const char *c = comp.s; *c; c++) {
			if (*c == '\\' && c[1])
				c++;
			sb_putc(&g->path, *c);
		}
		if (slash)
			sb_putc(&g->path, '/');
		if (after && *after)
			glob_dir(g, after);
		else if (lstat(sb_cstr(&g->path), &st) == 0)
			glob_add(g);
	}
	g->path.len = base;
	sb_free(&comp);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t glob_expand(const char *pattern, void (*add)(void *ctx, const char *path), void *ctx)
{
	struct glob_state g;

	memset(&g, 0, sizeof(g));
	sb_init(&g.path);
	if (*pattern == '/') {
		while (*pattern == '/')
			pattern++;
		sb_putc(&g.path, '/');
	}
	if (*pattern)
		glob_dir(&g, pattern);
	if (g.n > 1)
		qsort(g.list, g.n, sizeof(*g.list), cmp_str);
	for (size_t i = 0; i < g.n; i++) {
		add(ctx, g.list[i]);
		free(g.list[i]);
	}
	free(g.list);
	sb_free(&g.path);
	return g.n;
}
