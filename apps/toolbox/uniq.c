/*
 * uniq.c - drop repeated adjacent lines (busybox's uniq): -c counts
 * ("%7lu "), -d only repeated lines, -u only unique ones, -i ignores case,
 * -f N skips N fields, -s N skips N characters; [INPUT [OUTPUT]].
 */
#include "toolbox.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct uniq_opts {
	bool count, dups, uniques, icase;
	unsigned long long fields, chars;
};

/* The part of line s that is compared, after -f and -s. */
static const char *uniq_key(const struct uniq_opts *u, const char *s)
{
	for (unsigned long long f = 0; f < u->fields; f++) {
		while (*s == ' ' || *s == '\t')
			s++;
		while (*s && *s != ' ' && *s != '\t')
			s++;
	}
	for (unsigned long long c = 0; c < u->chars && *s; c++)
		s++;
	return s;
}

static void uniq_out(const struct uniq_opts *u, FILE *out, const char *s, unsigned long n)
{
	if ((u->dups && n < 2) || (u->uniques && n > 1))
		return;
	if (u->count)
		fprintf(out, "%7lu ", n);
	fputs(s, out);
}

/* Reads one line, keeping its newline and adding one when it had none. */
static int uniq_read(struct line *l, FILE *f)
{
	int r = line_read(l, f, '\n');

	if (r > 0 && l->buf[l->len - 1] != '\n') {
		if (l->len + 2 > l->cap) {
			char *nb = realloc(l->buf, l->len + 2);
			if (!nb)
				return -1;
			l->buf = nb;
			l->cap = l->len + 2;
		}
		l->buf[l->len++] = '\n';
		l->buf[l->len] = '\0';
	}
	return r;
}

static bool uniq_option(struct uniq_opts *u, const char *name, int c, const char *arg)
{
	if (c == 'c')
		u->count = true;
	if (c == 'd')
		u->dups = true;
	if (c == 'u')
		u->uniques = true;
	if (c == 'i')
		u->icase = true;
	if ((c == 'f' || c == 's') && !parse_ulong(arg, c == 'f' ? &u->fields : &u->chars)) {
		msg(name, "invalid number '%s'", arg);
		return false;
	}
	return true;
}

int cmd_uniq(int argc, char **argv)
{
	struct uniq_opts u = { 0 };
	struct line prev = { 0 }, cur = { 0 };
	struct opt o;
	int c, n;
	unsigned long run = 0;

	opt_init(&o, argc, argv, "cduif:s:", "[-cdui] [-f N] [-s N] [INPUT [OUTPUT]]");
	while ((c = opt_next(&o)) != -1)
		if (c == '?' || !uniq_option(&u, argv[0], c, o.arg))
			return 1;
	char **ops = opt_operands(&o, &n);
	FILE *in = n > 0 && strcmp(ops[0], "-") ? fopen(ops[0], "r") : stdin;
	if (!in) {
		msg_errno(argv[0], "can't open '%s'", ops[0]);
		return 1;
	}
	if (n > 2) {
		msg_usage(argv[0], o.usage);
		file_close(in);
		return 1;
	}
	FILE *out = n > 1 && strcmp(ops[1], "-") ? fopen(ops[1], "w") : stdout;
	if (!out) {
		msg_errno(argv[0], "can't open '%s'", ops[1]);
		file_close(in);
		return 1;
	}
	while (uniq_read(&cur, in) > 0) {
		const char *a = uniq_key(&u, cur.buf), *b = run ? uniq_key(&u, prev.buf) : NULL;
		if (run && (u.icase ? strcasecmp(a, b) : strcmp(a, b)) == 0) {
			run++;
			continue;
		}
		if (run)
			uniq_out(&u, out, prev.buf, run);
		struct line t = prev;
		prev = cur;
		cur = t;
		run = 1;
	}
	if (run)
		uniq_out(&u, out, prev.buf, run);
	line_free(&prev);
	line_free(&cur);
	file_close(in);
	if (out != stdout)
		fclose(out);
	return 0;
}
