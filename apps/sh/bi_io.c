/*
 * bi_io.c - echo (dash's: -n only, escapes always), printf (POSIX
 * conversions, escapes, %b, reuse of the format) and read (-r, -p, IFS
 * splitting, backslash continuation; reads byte by byte so that nothing
 * past the line is consumed from a shared descriptor).
 */
#define _DEFAULT_SOURCE 1
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtins.h"
#include "exec.h"

/* Decodes one backslash escape at s (after the backslash) into b.
 * octal0: \0nnn (echo, %b) rather than \nnn (printf formats).  Returns
 * the characters consumed, or -1 for \c. */
static int escape(struct strbuf *b, const char *s, bool octal0)
{
	static const char from[] = "abefnrtv\\";
	static const char to[] = "\a\b\033\f\n\r\t\v\\";
	const char *p = strchr(from, *s);

	if (*s == 'c')
		return -1;
	if (*s && p) {
		sb_putc(b, to[p - from]);
		return 1;
	}
	if ((octal0 && *s == '0') || (!octal0 && *s >= '0' && *s <= '7')) {
		int n = 0, v = 0, i = octal0 ? 1 : 0;

		for (; n < 3 && s[i] >= '0' && s[i] <= '7'; n++, i++)
			v = v * 8 + (s[i] - '0');
		sb_putc(b, (char)v);
		return i;
	}
	sb_putc(b, '\\');
	return 0;
}

/* Appends s with escapes decoded; returns false when \c was seen. */
static bool unescape(struct strbuf *b, const char *s, bool octal0)
{
	while (*s) {
		if (*s != '\\') {
			sb_putc(b, *s++);
			continue;
		}
		int n = escape(b, s + 1, octal0);

		if (n < 0)
			return false;
		s += 1 + n;
	}
	return true;
}

int bi_echo(struct shell *sh, int argc, char **argv)
{
	struct strbuf b;
	bool nl = true;
	int i = 1;

	if (i < argc && strcmp(argv[i], "-n") == 0) {
		nl = false;
		i++;
	}
	sb_init(&b);
	for (; i < argc; i++) {
		if (!unescape(&b, argv[i], true)) {
			nl = false;
			break;
		}
		if (i + 1 < argc)
			sb_putc(&b, ' ');
	}
	if (nl)
		sb_putc(&b, '\n');
	out_write(sh, 1, b.s ? b.s : "", b.len);
	sb_free(&b);
	return 0;
}

/* --- printf --- */

struct pf {
	struct shell *sh;
	char **args;
	int nargs, next;
	int status;
	bool stop;
};

static const char *pf_arg(struct pf *p)
{
	return p->next < p->nargs ? p->args[p->next++] : NULL;
}

/* A numeric argument: integers in C syntax or 'c for a character code. */
static intmax_t pf_num(struct pf *p, const char *a)
{
	if (!a)
		return 0;
	if (a[0] == '\'' || a[0] == '"')
		return (unsigned char)a[1];
	char *end;

	errno = 0;
	intmax_t v = a[0] == '-' || a[0] == '+' || (a[0] >= '0' && a[0] <= '9') || a[0] == ' '
			     ? strtoimax(a, &end, 0)
			     : 0;

	if (!*a)
		return 0;
	if (a[0] != '-' && a[0] != '+' && !(a[0] >= '0' && a[0] <= '9') && a[0] != ' ') {
		sh_warn(p->sh, "%s: expected numeric value", a);
		p->status = 1;
		return 0;
	}
	if (*end) {
		sh_warn(p->sh, "%s: not completely converted", a);
		p->status = 1;
	} else if (errno == ERANGE) {
		sh_warn(p->sh, "%s: Result too large", a);
		p->status = 1;
	}
	return v;
}

static double pf_double(struct pf *p, const char *a)
{
	if (!a)
		return 0;
	if (a[0] == '\'' || a[0] == '"')
		return (unsigned char)a[1];
	char *end;
	double v = strtod(a, &end);

	if (end == a) {
		sh_warn(p->sh, "%s: expected numeric value", a);
		p->status = 1;
	} else if (*end) {
		sh_warn(p->sh, "%s: not completely converted", a);
		p->status = 1;
	}
	return v;
}

/* Formats one conversion whose spec (flags, width, precision) is in spec
 * ending with conversion character c. */
static void pf_convert(struct pf *p, struct strbuf *out, char *spec, size_t slen, char c)
{
	const char *a = pf_arg(p);
	char tmp[64];
	struct strbuf s;

	sb_init(&s);
	switch (c) {
	case 'd':
	case 'i':
		memcpy(spec + slen, "jd", 3);
		sb_printf(&s, spec, pf_num(p, a));
		break;
	case 'o':
	case 'u':
	case 'x':
	case 'X':
		spec[slen] = 'j';
		spec[slen + 1] = c;
		spec[slen + 2] = '\0';
		sb_printf(&s, spec, (uintmax_t)pf_num(p, a));
		break;
	case 'e':
	case 'E':
	case 'f':
	case 'F':
	case 'g':
	case 'G':
	case 'a':
	case 'A':
		spec[slen] = c;
		spec[slen + 1] = '\0';
		sb_printf(&s, spec, pf_double(p, a));
		break;
	case 'c':
		memcpy(spec + slen, "c", 2);
		sb_printf(&s, spec, a ? a[0] : 0);
		if (a && !a[0])
			sb_putc(&s, '\0');
		break;
	case 'b': {
		struct strbuf u;

		sb_init(&u);
		if (!unescape(&u, a ? a : "", true))
			p->stop = true;
		memcpy(spec + slen, "s", 2);
		sb_printf(&s, spec, sb_cstr(&u));
		sb_free(&u);
		break;
	}
	default:
		memcpy(spec + slen, "s", 2);
		sb_printf(&s, spec, a ? a : "");
		break;
	}
	(void)tmp;
	sb_put(out, s.s ? s.s : "", s.len);
	sb_free(&s);
}

/* Reads flags, width and precision at f into spec; '*' takes arguments.
 * Returns the position of the conversion character. */
static const char *pf_spec(struct pf *p, const char *f, char *spec, size_t *slen)
{
	size_t n = 0;

	spec[n++] = '%';
	while (*f && strchr("-+ #0", *f) && n < 20)
		spec[n++] = *f++;
	for (int part = 0; part < 2; part++) {
		if (part == 1) {
			if (*f != '.')
				break;
			spec[n++] = *f++;
		}
		if (*f == '*') {
			f++;
			n += (size_t)snprintf(spec + n, 24, "%d", (int)pf_num(p, pf_arg(p)));
		} else {
			while (*f >= '0' && *f <= '9' && n < 60)
				spec[n++] = *f++;
		}
	}
	spec[n] = '\0';
	*slen = n;
	return f;
}

/* One pass over the format; returns false on a format error. */
static bool pf_pass(struct pf *p, const char *f, struct strbuf *out)
{
	char spec[96];
	size_t slen;

	while (*f && !p->stop) {
		if (*f == '\\') {
			int n = escape(out, f + 1, false);

			if (n < 0) {
				p->stop = true;
				break;
			}
			f += 1 + n;
			continue;
		}
		if (*f != '%') {
			sb_putc(out, *f++);
			continue;
		}
		if (f[1] == '%') {
			sb_putc(out, '%');
			f += 2;
			continue;
		}
		const char *start = f;

		f = pf_spec(p, f + 1, spec, &slen);
		if (!*f || !strchr("diouxXeEfFgGaAcsb", *f)) {
			sh_warn(p->sh, "%.*s: invalid directive", (int)(f - start + (*f ? 1 : 0)),
				start);
			p->status = 2;
			return false;
		}
		pf_convert(p, out, spec, slen, *f++);
	}
	return true;
}

static bool has_conversion(const char *f)
{
	for (; *f; f++) {
		if (*f == '%' && f[1] == '%')
			f++;
		else if (*f == '%')
			return true;
	}
	return false;
}

int bi_printf(struct shell *sh, int argc, char **argv)
{
	struct pf p = { sh, argv + 2, argc - 2, 0, 0, false };
	struct strbuf out;
	int i = 1;

	if (i < argc && strcmp(argv[i], "--") == 0) {
		i++;
		p.args++;
		p.nargs--;
	}
	if (i >= argc)
		return sh_builtin_err(sh, 2, "usage: printf format [arg ...]");
	sb_init(&out);
	const char *fmt = argv[i];

	do {
		if (!pf_pass(&p, fmt, &out))
			break;
	} while (p.next < p.nargs && p.next > 0 && !p.stop && has_conversion(fmt));
	out_write(sh, 1, out.s ? out.s : "", out.len);
	sb_free(&out);
	return p.status;
}

/* --- read --- */

/* Reads one line from fd 0 a byte at a time.  Without raw, backslash
 * quotes the next byte (flagged in esc) and backslash-newline continues.
 * Returns false at end of input before a newline. */
static bool read_line(struct shell *sh, bool raw, struct strbuf *line, struct strbuf *esc)
{
	bool quoted = false;

	for (;;) {
		char c;
		ssize_t n = read(0, &c, 1);

		if (n < 0 && errno == EINTR) {
			check_interrupt(sh);
			if (os_signals_pending())
				return false;
			continue;
		}
		if (n <= 0)
			return false;
		if (quoted) {
			quoted = false;
			if (c == '\n')
				continue;
			sb_putc(line, c);
			sb_putc(esc, 1);
			continue;
		}
		if (c == '\\' && !raw) {
			quoted = true;
			continue;
		}
		if (c == '\n')
			return true;
		sb_putc(line, c);
		sb_putc(esc, 0);
	}
}

static bool is_ifs(const char *ifs, char c, bool escaped)
{
	return !escaped && c && strchr(ifs, c);
}

static bool is_ifs_white(const char *ifs, char c, bool escaped)
{
	return is_ifs(ifs, c, escaped) && (c == ' ' || c == '\t' || c == '\n');
}

/* The last variable's text s[i..end) loses one trailing non-blank IFS
 * delimiter when it is otherwise a single field (dash). */
static size_t strip_last_delim(const char *ifs, const char *s, const char *e, size_t i, size_t end)
{
	if (end <= i || !is_ifs(ifs, s[end - 1], e[end - 1]) ||
	    is_ifs_white(ifs, s[end - 1], e[end - 1]))
		return end;
	size_t k = end - 1;

	while (k > i && is_ifs_white(ifs, s[k - 1], e[k - 1]))
		k--;
	for (size_t j = i; j < k; j++)
		if (is_ifs(ifs, s[j], e[j]))
			return end;
	return k;
}

/* Assigns the fields of line to the variables; the last gets the rest. */
static void read_assign(struct shell *sh, char **vars, int nvars, struct strbuf *line,
			struct strbuf *esc)
{
	const char *ifs = var_get(sh, "IFS");
	size_t i = 0, n = line->len;
	const char *s = line->s ? line->s : "";
	const char *e = esc->s ? esc->s : "";

	if (!ifs)
		ifs = " \t\n";
	for (int v = 0; v < nvars; v++) {
		struct strbuf val;

		sb_init(&val);
		while (i < n && is_ifs_white(ifs, s[i], e[i]))
			i++;
		if (v == nvars - 1) {
			size_t end = n;

			while (end > i && is_ifs_white(ifs, s[end - 1], e[end - 1]))
				end--;
			end = strip_last_delim(ifs, s, e, i, end);
			sb_put(&val, s + i, end - i);
			i = n;
		} else {
			while (i < n && !is_ifs(ifs, s[i], e[i]))
				sb_putc(&val, s[i++]);
			while (i < n && is_ifs_white(ifs, s[i], e[i]))
				i++;
			if (i < n && is_ifs(ifs, s[i], e[i]))
				i++;
		}
		var_set_or_raise(sh, vars[v], sb_cstr(&val), 0);
		sb_free(&val);
	}
}

int bi_read(struct shell *sh, int argc, char **argv)
{
	struct bopt o = { 1, NULL };
	bool raw = false;
	const char *prompt = NULL;
	int c;

	while ((c = builtin_getopt(sh, &o, argc, argv, "rp")) != -1) {
		if (c == '?')
			return 2;
		if (c == 'r')
			raw = true;
		if (c == 'p') {
			if (o.next && *o.next) {
				prompt = o.next;
				o.next = NULL;
			} else if (o.ind < argc) {
				prompt = argv[o.ind++];
			}
		}
	}
	if (o.ind >= argc)
		return sh_builtin_err(sh, 2, "arg count");
	for (int i = o.ind; i < argc; i++)
		if (!var_valid_name(argv[i]))
			return sh_builtin_err(sh, 2, "%s: bad variable name", argv[i]);
	if (prompt && os_isatty(0)) {
		out_str(sh, 2, prompt);
		out_flush(sh);
	}
	struct strbuf line, esc;

	sb_init(&line);
	sb_init(&esc);
	bool got = read_line(sh, raw, &line, &esc);

	read_assign(sh, argv + o.ind, argc - o.ind, &line, &esc);
	sb_free(&line);
	sb_free(&esc);
	return got ? 0 : 1;
}
