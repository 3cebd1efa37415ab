/*
 * cut.c - select parts of lines (busybox's cut): -b LIST and -c LIST
 * (bytes), -f LIST with -d CHAR (default tab) and -s, -n ignored. A LIST
 * is N, N-M, N- and -M separated by commas; the selected parts come out in
 * input order, each once. Unlike busybox (and like GNU cut), a missing
 * field adds no delimiter, position 0, decreasing ranges and delimiters of
 * more than one byte are errors, and NUL bytes pass through.
 */
#include "toolbox.h"

#include <stdlib.h>
#include <string.h>

struct cut_range {
	unsigned long lo, hi; /* 1-based, inclusive; hi 0 is open */
};

struct cut_opts {
	struct cut_range *r;
	size_t n;
	int mode; /* 'b' or 'f' */
	char delim;
	bool only_delimited;
};

/* True when position p (1-based) is selected. */
static bool cut_selected(const struct cut_opts *c, unsigned long p)
{
	for (size_t i = 0; i < c->n; i++)
		if (p >= c->r[i].lo && (c->r[i].hi == 0 || p <= c->r[i].hi))
			return true;
	return false;
}

/* Parses one number of a list; false if there is none. */
static bool cut_number(const char **s, unsigned long *v)
{
	char *e;

	if (**s < '0' || **s > '9')
		return false;
	*v = strtoul(*s, &e, 10);
	*s = e;
	return true;
}

/* Parses LIST; reports and returns false when it is malformed. */
static bool cut_list(const char *name, struct cut_opts *c, const char *s)
{
	size_t cap = strlen(s) + 1;

	c->r = calloc(cap, sizeof(*c->r));
	if (!c->r)
		return false;
	for (;;) {
		struct cut_range r = { 1, 0 };
		bool lo = cut_number(&s, &r.lo);
		if (*s == '-') {
			s++;
			if (!cut_number(&s, &r.hi))
				r.hi = 0;
			else if (!lo)
				r.lo = 1;
			if (!lo && r.hi == 0) {
				msg(name, "invalid range");
				return false;
			}
		} else if (lo) {
			r.hi = r.lo;
		} else {
			size_t len = strcspn(s, ",");
			msg(name, "invalid number '%.*s'", (int)len, s);
			return false;
		}
		if (r.lo == 0 || (r.hi && r.hi < r.lo)) {
			msg(name, r.lo == 0 ? "fields and positions are numbered from 1"
					    : "invalid decreasing range");
			return false;
		}
		c->r[c->n++] = r;
		if (*s == '\0')
			return true;
		if (*s++ != ',') {
			msg(name, "invalid byte, character or field list");
			return false;
		}
	}
}

/* Cuts one line (without its newline) to stdout. */
static void cut_line(const struct cut_opts *c, const char *s, size_t len)
{
	if (c->mode == 'b') {
		for (size_t i = 0; i < len; i++)
			if (cut_selected(c, i + 1))
				putchar(s[i]);
		putchar('\n');
		return;
	}
	if (!memchr(s, c->delim, len)) {
		if (!c->only_delimited) {
			fwrite(s, 1, len, stdout);
			putchar('\n');
		}
		return;
	}
	bool first = true;
	for (size_t i = 0, f = 1; i <= len; f++) {
		const char *e = memchr(s + i, c->delim, len - i);
		size_t end = e ? (size_t)(e - s) : len;
		if (cut_selected(c, f)) {
			if (!first)
				putchar(c->delim);
			fwrite(s + i, 1, end - i, stdout);
			first = false;
		}
		i = end + 1;
	}
	putchar('\n');
}

static bool cut_option(struct cut_opts *c, const char *name, int ch, const char *arg)
{
	if (ch == 'b' || ch == 'c' || ch == 'f') {
		if (c->mode) {
			msg_usage(name, "-b LIST | -c LIST | -f LIST [-d CHAR] [-s] [FILE]...");
			return false;
		}
		c->mode = ch == 'f' ? 'f' : 'b';
		return cut_list(name, c, arg);
	}
	if (ch == 'd') {
		if (strlen(arg) > 1) {
			msg(name, "the delimiter must be a single character");
			return false;
		}
		c->delim = arg[0];
	}
	if (ch == 's')
		c->only_delimited = true;
	return true;
}

int cmd_cut(int argc, char **argv)
{
	struct cut_opts c = { .delim = '\t' };
	struct line l = { 0 };
	static char *dash[] = { "-", NULL };
	struct opt o;
	int ch, n, status = 0;

	opt_init(&o, argc, argv, "b:c:f:d:sn",
		 "-b LIST | -c LIST | -f LIST [-d CHAR] [-s] [FILE]...");
	while ((ch = opt_next(&o)) != -1)
		if (ch == '?' || !cut_option(&c, argv[0], ch, o.arg)) {
			free(c.r);
			return 1;
		}
	if (!c.mode) {
		msg(argv[0], "expected a list of bytes, characters, or fields");
		return 1;
	}
	char **ops = opt_operands(&o, &n);
	if (n == 0) {
		ops = dash;
		n = 1;
	}
	for (int i = 0; i < n; i++) {
		FILE *f = file_open(argv[0], ops[i]);
		if (!f) {
			status = 1;
			continue;
		}
		while (line_read(&l, f, '\n') > 0)
			cut_line(&c, l.buf, l.len - (l.buf[l.len - 1] == '\n'));
		file_close(f);
	}
	line_free(&l);
	free(c.r);
	return status;
}
