/*
 * tr.c - translate, squeeze or delete characters (busybox's tr): -c
 * (complement of SET1), -d, -s, SET2 shorter than SET1 is padded with its
 * last character. Sets take ranges a-z (a reversed range is empty, as in
 * busybox), escapes \\ \a \b \f \n \r \t \v \NNN, classes [:alnum:]
 * [:alpha:] [:blank:] [:cntrl:] [:digit:] [:graph:] [:lower:] [:print:]
 * [:punct:] [:space:] [:upper:] [:xdigit:], and [c*N] / [c*] repeats
 * (POSIX; busybox takes those and unknown classes literally). As in
 * busybox, SET1 alone copies the input and -d ignores SET2 without -s.
 */
#include "toolbox.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct tr_set {
	unsigned char c[4096];
	size_t n;
	long fill_at; /* index of a [c*] to stretch, or -1 */
};

static void tr_put(struct tr_set *s, int c)
{
	if (s->n < sizeof(s->c))
		s->c[s->n++] = (unsigned char)c;
}

/* Reads one possibly escaped character at *p. */
static int tr_char(const char **p)
{
	static const char from[] = "\\abfnrtv", to[] = "\\\a\b\f\n\r\t\v";
	const char *s = *p;

	if (*s != '\\' || !s[1]) {
		*p = s + 1;
		return (unsigned char)*s;
	}
	s++;
	if (*s >= '0' && *s <= '7') {
		int v = 0;
		for (int k = 0; k < 3 && *s >= '0' && *s <= '7'; k++)
			v = v * 8 + (*s++ - '0');
		*p = s;
		return v & 0xff;
	}
	const char *k = strchr(from, *s);
	*p = s + 1;
	return k ? (unsigned char)to[k - from] : (unsigned char)*s;
}

/* Adds the characters of class name (length len) to s; false if unknown. */
static bool tr_class(struct tr_set *s, const char *name, size_t len)
{
	static const char *const names[] = { "alnum", "alpha", "blank", "cntrl", "digit", "graph",
					     "lower", "print", "punct", "space", "upper", "xdigit" };
	int (*const fns[])(int) = { isalnum, isalpha, isblank, iscntrl, isdigit, isgraph,
				    islower, isprint, ispunct, isspace, isupper, isxdigit };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == len && strncmp(names[i], name, len) == 0) {
			for (int c = 0; c < 256; c++)
				if (fns[i](c))
					tr_put(s, c);
			return true;
		}
	return false;
}

/* Expands a set argument; false (reported) for a bad class. */
static bool tr_expand(const char *name, const char *p, struct tr_set *s)
{
	s->n = 0;
	s->fill_at = -1;
	while (*p) {
		const char *end;
		if (p[0] == '[' && p[1] == ':' && (end = strstr(p + 2, ":]")) != NULL) {
			if (!tr_class(s, p + 2, (size_t)(end - p - 2))) {
				msg(name, "unknown class '%.*s'", (int)(end - p - 2), p + 2);
				return false;
			}
			p = end + 2;
			continue;
		}
		if (p[0] == '[' && p[1] && p[2] == '*' && (end = strchr(p + 3, ']')) != NULL &&
		    strspn(p + 3, "0123456789") == (size_t)(end - p - 3)) {
			unsigned long long count = 0;
			char num[24] = "0";
			size_t nl = (size_t)(end - p - 3);
			if (nl > 0 && nl < sizeof(num)) {
				memcpy(num, p + 3, nl);
				num[nl] = '\0';
			}
			parse_ulong(num, &count);
			if (count == 0)
				s->fill_at = (long)s->n;
			for (unsigned long long k = 0; k < (count ? count : 1) && k < 4096; k++)
				tr_put(s, p[1]);
			p = end + 1;
			continue;
		}
		int a = tr_char(&p);
		if (*p == '-' && p[1]) {
			p++;
			int b = tr_char(&p);
			for (int c = a; c <= b; c++)
				tr_put(s, c);
			continue;
		}
		tr_put(s, a);
	}
	return true;
}

/* Stretches a [c*] in set2 so that set2 is as long as set1. */
static void tr_fill(struct tr_set *s2, size_t want)
{
	if (s2->fill_at < 0 || s2->n >= want)
		return;
	size_t extra = want - s2->n, at = (size_t)s2->fill_at;
	if (want > sizeof(s2->c))
		return;
	memmove(s2->c + at + extra, s2->c + at, s2->n - at);
	memset(s2->c + at, s2->c[at], extra);
	s2->n = want;
}

/* Replaces set s by its complement, in ascending order. */
static void tr_complement(struct tr_set *s)
{
	bool in[256] = { false };

	for (size_t i = 0; i < s->n; i++)
		in[s->c[i]] = true;
	s->n = 0;
	for (int c = 0; c < 256; c++)
		if (!in[c])
			tr_put(s, c);
}

struct tr_opts {
	bool complement, del, squeeze;
};

/* Filters standard input to standard output with the built tables. */
static void tr_run(const struct tr_opts *t, const int map[256], const bool del[256],
		   const bool sq[256])
{
	int c, last = -1;

	while ((c = getchar()) != EOF) {
		if (t->del && del[c])
			continue;
		c = map[c];
		if (t->squeeze && sq[c] && c == last)
			continue;
		putchar(c);
		last = c;
	}
}

/* Builds the translation map and the delete and squeeze sets. */
static void tr_tables(const struct tr_opts *t, struct tr_set *s1, struct tr_set *s2, bool two,
		      int map[256], bool del[256], bool sq[256])
{
	bool translate = !t->del && two;
	int c;

	if (t->complement)
		tr_complement(s1);
	for (c = 0; c < 256; c++)
		map[c] = c;
	if (translate && s2->n > 0) {
		tr_fill(s2, s1->n);
		for (size_t i = 0; i < s1->n; i++)
			map[s1->c[i]] = s2->c[i < s2->n ? i : s2->n - 1];
	}
	for (size_t i = 0; t->del && i < s1->n; i++)
		del[s1->c[i]] = true;
	const struct tr_set *sqset = two ? s2 : s1;
	for (size_t i = 0; t->squeeze && i < sqset->n; i++)
		sq[sqset->c[i]] = true;
}

int cmd_tr(int argc, char **argv)
{
	struct tr_opts t = { false, false, false };
	struct tr_set *sets = calloc(2, sizeof(*sets));
	int map[256], c, n, status = 1;
	bool del[256] = { false }, sq[256] = { false };
	struct opt o;

	if (!sets)
		return 1;
	opt_init(&o, argc, argv, "cCds", "[-cds] SET1 [SET2]");
	while ((c = opt_next(&o)) != -1) {
		if (c == '?')
			goto out;
		t.complement |= c == 'c' || c == 'C';
		t.del |= c == 'd';
		t.squeeze |= c == 's';
	}
	char **ops = opt_operands(&o, &n);
	if (n < 1 || n > 2) {
		msg_usage(argv[0], o.usage);
		goto out;
	}
	if (!tr_expand(argv[0], ops[0], &sets[0]) ||
	    (n > 1 && !tr_expand(argv[0], ops[1], &sets[1])))
		goto out;
	tr_tables(&t, &sets[0], &sets[1], n > 1, map, del, sq);
	tr_run(&t, map, del, sq);
	status = 0;
out:
	free(sets);
	return status;
}
