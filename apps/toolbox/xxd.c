/*
 * xxd.c - hex dumps in the format of the host's xxd (vim): "%08x: ", the
 * bytes in groups (-g, default 2) of hex, then the bytes as text ('.' for
 * anything outside 0x20-0x7e). -c COLS (default 16, 30 with -p), -l LEN,
 * -s OFFSET, -u (upper case), -p (plain hex), -r (back to bytes, from the
 * default or the plain form). Optional INFILE and OUTFILE operands.
 */
#include "toolbox.h"

#include <stdlib.h>
#include <string.h>

struct xxd_opts {
	unsigned long long cols, group, len, seek;
	bool has_len, upper, plain, reverse;
};

/* Writes one line of the default dump. */
static void xxd_line(const struct xxd_opts *x, FILE *out, unsigned long long off,
		     const unsigned char *b, size_t n)
{
	const char *digits = x->upper ? "0123456789ABCDEF" : "0123456789abcdef";

	fprintf(out, "%08llx:", off);
	for (size_t i = 0; i < x->cols; i++) {
		if (x->group && i % x->group == 0)
			putc(' ', out);
		if (i < n) {
			putc(digits[b[i] >> 4], out);
			putc(digits[b[i] & 15], out);
		} else {
			fputs("  ", out);
		}
	}
	fputs("  ", out);
	for (size_t i = 0; i < n; i++)
		putc(b[i] >= 0x20 && b[i] < 0x7f ? b[i] : '.', out);
	putc('\n', out);
}

/* Dumps in to out. */
static int xxd_dump(const struct xxd_opts *x, FILE *in, FILE *out)
{
	unsigned char *b = malloc(x->cols);
	unsigned long long off = x->seek, left = x->len;
	const char *digits = x->upper ? "0123456789ABCDEF" : "0123456789abcdef";

	if (!b)
		return 1;
	for (unsigned long long k = 0; k < x->seek && getc(in) != EOF; k++)
		;
	for (;;) {
		size_t want = x->has_len && left < x->cols ? (size_t)left : x->cols;
		size_t n = want ? fread(b, 1, want, in) : 0;
		if (n == 0)
			break;
		if (x->plain) {
			for (size_t i = 0; i < n; i++) {
				putc(digits[b[i] >> 4], out);
				putc(digits[b[i] & 15], out);
			}
			putc('\n', out);
		} else {
			xxd_line(x, out, off, b, n);
		}
		off += n;
		left -= x->has_len ? n : 0;
	}
	free(b);
	return ferror(in) ? 2 : 0;
}

static int xxd_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 32;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Writes the bytes of one dump line ("OFFSET: HEX  TEXT") at its offset. */
static void xxd_unline(FILE *out, const char *s, unsigned long long *pos, size_t cols)
{
	char *end;
	unsigned long long off = strtoull(s, &end, 16);
	size_t got = 0;

	if (end == s || *end != ':')
		return;
	for (s = end + 1; *s && got < cols;) {
		if (s[0] == ' ' && s[1] == ' ' && got > 0)
			break;
		if (*s == ' ') {
			s++;
			continue;
		}
		int hi = xxd_hex((unsigned char)s[0]),
		    lo = hi < 0 ? -1 : xxd_hex((unsigned char)s[1]);
		if (lo < 0)
			break;
		if (got == 0 && off != *pos) {
			if (fseek(out, (long)off, SEEK_SET) != 0)
				for (; *pos < off; (*pos)++)
					putc(0, out);
			*pos = off;
		}
		putc(hi * 16 + lo, out);
		(*pos)++;
		got++;
		s += 2;
	}
}

/* Turns a dump back into bytes. */
static int xxd_reverse(const struct xxd_opts *x, FILE *in, FILE *out)
{
	struct line l = { 0 };
	unsigned long long pos = 0;
	int hi = -1, c;

	if (x->plain) {
		while ((c = getc(in)) != EOF) {
			int v = xxd_hex(c);
			if (v < 0)
				continue;
			if (hi < 0) {
				hi = v;
			} else {
				putc(hi * 16 + v, out);
				hi = -1;
			}
		}
		return 0;
	}
	while (line_read(&l, in, '\n') > 0)
		xxd_unline(out, l.buf, &pos, x->cols);
	line_free(&l);
	return 0;
}

static bool xxd_option(struct xxd_opts *x, int c, const char *arg)
{
	char *end;
	unsigned long long v = 0;

	if (arg) {
		v = strtoull(arg, &end, 0);
		if (end == arg || *end || arg[0] == '-')
			return false;
	}
	switch (c) {
	case 'c':
		x->cols = v;
		break;
	case 'g':
		x->group = v;
		break;
	case 'l':
		x->len = v;
		x->has_len = true;
		break;
	case 's':
		x->seek = v;
		break;
	case 'u':
		x->upper = true;
		break;
	case 'p':
		x->plain = true;
		break;
	case 'r':
		x->reverse = true;
		break;
	default:
		return false;
	}
	return true;
}

int cmd_xxd(int argc, char **argv)
{
	struct xxd_opts x = { .group = 2 };
	struct opt o;
	int c, n;

	opt_init(&o, argc, argv, "c:g:l:s:uprq",
		 "[-c COLS] [-g BYTES] [-l LEN] [-s SEEK] [-upr] [INFILE [OUTFILE]]");
	o.silent = true;
	while ((c = opt_next(&o)) != -1)
		if (c == '?' || !xxd_option(&x, c, o.arg)) {
			msg_usage(argv[0], o.usage);
			return 1;
		}
	char **ops = opt_operands(&o, &n);
	if (x.cols == 0)
		x.cols = x.plain ? 30 : 16;
	if (x.cols > 256)
		x.cols = 256;
	if (x.group == 0 || x.group > x.cols)
		x.group = x.cols;
	if (n > 2) {
		msg_usage(argv[0], o.usage);
		return 1;
	}
	FILE *in = n > 0 && strcmp(ops[0], "-") ? fopen(ops[0], "rb") : stdin;
	if (!in) {
		msg_errno(argv[0], "%s", ops[0]);
		return 2;
	}
	FILE *out = n > 1 && strcmp(ops[1], "-") ? fopen(ops[1], x.reverse ? "w+b" : "w") : stdout;
	if (!out) {
		msg_errno(argv[0], "%s", ops[1]);
		file_close(in);
		return 2;
	}
	int r = x.reverse ? xxd_reverse(&x, in, out) : xxd_dump(&x, in, out);
	file_close(in);
	if (out != stdout && fclose(out) != 0)
		r = 2;
	return r;
}
