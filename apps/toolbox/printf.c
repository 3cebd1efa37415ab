/*
 * printf.c - POSIX printf (busybox's behaviour): the format is reused while
 * arguments remain; conversions d i o u x X c s b f F e E g G a A and %%;
 * flags "-+ #0", field width and precision, either may be '*'; escapes
 * \\ \a \b \f \n \r \t \v \NNN \xHH in the format, and in %b also
 * \0NNN and \c (stop everything). Numeric arguments may be 'c or "c for
 * the character's code; a bad number (the empty string too) is reported,
 * printed as 0, and makes the exit status 1. Unlike busybox, %b takes a
 * field width and precision, as POSIX says.
 */
#include "toolbox.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct pf {
	const char *name;
	FILE *out;
	char **args;
	int nargs, next;
	int status;
	bool stop;
};

/* The next argument, or "" when they are used up. */
static const char *pf_arg(struct pf *p)
{
	return p->next < p->nargs ? p->args[p->next++] : "";
}

/* Reports a bad number and marks the exit status. */
static void pf_bad(struct pf *p, const char *s)
{
	msg(p->name, "invalid number '%s'", s);
	p->status = 1;
}

/* Parses an integer argument (signed or not) as printf(1) does. */
static long long pf_int(struct pf *p, const char *s, bool is_unsigned)
{
	char *end;

	if ((s[0] == '\'' || s[0] == '"') && s[1])
		return (unsigned char)s[1];
	errno = 0;
	long long v = is_unsigned && strchr(s, '-') == NULL ? (long long)strtoull(s, &end, 0)
							    : strtoll(s, &end, 0);
	if (errno || end == s || *end) {
		pf_bad(p, s);
		return 0;
	}
	return v;
}

/* Parses a floating argument. */
static double pf_float(struct pf *p, const char *s)
{
	char *end;

	if ((s[0] == '\'' || s[0] == '"') && s[1])
		return (unsigned char)s[1];
	if (!*s)
		return 0;
	errno = 0;
	double v = strtod(s, &end);
	if (end == s || *end) {
		pf_bad(p, s);
		return 0;
	}
	return v;
}

/* Decodes one escape after the backslash at *s (which points past it);
 * writes the byte to *c and returns false for \c. percent_b selects %b's
 * rules (\0NNN). Unknown escapes stay as backslash and letter (two bytes:
 * *c gets '\\' and *s is not advanced). */
static bool pf_escape(const char **s, int *c, bool percent_b)
{
	static const char from[] = "\\abfnrtv", to[] = "\\\a\b\f\n\r\t\v";
	const char *k = **s ? strchr(from, **s) : NULL;
	int v = 0, n = 0;

	if (k) {
		*c = to[k - from];
		(*s)++;
		return true;
	}
	if (**s == 'c' && percent_b)
		return false;
	if (**s == 'x') {
		for (; n < 2 && strchr("0123456789abcdefABCDEF", (*s)[1 + n]) && (*s)[1 + n]; n++)
			v = v * 16 + ((*s)[1 + n] <= '9' ? (*s)[1 + n] - '0'
							 : ((*s)[1 + n] | 32) - 'a' + 10);
		if (n == 0) {
			*c = '\\';
			return true;
		}
		*s += 1 + n;
		*c = v;
		return true;
	}
	if (**s >= '0' && **s <= '7') {
		int max = percent_b && **s == '0' ? 4 : 3;
		for (; n < max && (*s)[n] >= '0' && (*s)[n] <= '7'; n++)
			v = v * 8 + (*s)[n] - '0';
		*s += n;
		*c = v & 0xff;
		return true;
	}
	*c = '\\';
	return true;
}

/* Expands s with %b's escapes into new memory (*out, *len); returns false
 * when \c ended it. */
static bool pf_expand_b(const char *s, char **out, size_t *len)
{
	char *buf = malloc(strlen(s) + 1);
	size_t n = 0;
	bool go = true;
	int c;

	while (buf && *s) {
		if (*s == '\\') {
			s++;
			if (!pf_escape(&s, &c, true)) {
				go = false;
				break;
			}
		} else {
			c = (unsigned char)*s++;
		}
		buf[n++] = (char)c;
	}
	*out = buf;
	*len = buf ? n : 0;
	return go;
}

/* Writes len bytes of s padded to width (negative: left-justified). */
static void pf_padded(FILE *out, const char *s, size_t len, long width)
{
	bool left = width < 0;
	size_t w = (size_t)(left ? -width : width);
	size_t pad = w > len ? w - len : 0;

	if (!left)
		for (size_t i = 0; i < pad; i++)
			putc(' ', out);
	fwrite(s, 1, len, out);
	if (left)
		for (size_t i = 0; i < pad; i++)
			putc(' ', out);
}

/* A parsed conversion: flags, width, precision and the letter. */
struct pf_spec {
	char flags[8];
	int width, prec;
	bool has_width, has_prec, left;
	char conv;
};

/* An argument for '*' as a width or precision, kept within +-1000000. */
static int pf_star(struct pf *p)
{
	long long v = pf_int(p, pf_arg(p), false);
	return v > 1000000 ? 1000000 : v < -1000000 ? -1000000 : (int)v;
}

/* Parses the part after '%' at *f; width/precision '*' take arguments.
 * Returns false for a bad or unknown conversion. */
static bool pf_parse_spec(struct pf *p, const char **f, struct pf_spec *sp)
{
	const char *s = *f;
	size_t nf = 0;

	memset(sp, 0, sizeof(*sp));
	for (; *s && strchr("-+ #0", *s); s++)
		if (nf + 1 < sizeof(sp->flags) && !strchr(sp->flags, *s))
			sp->flags[nf++] = *s;
	sp->left = strchr(sp->flags, '-') != NULL;
	if (*s == '*') {
		sp->width = pf_star(p);
		sp->has_width = true;
		s++;
	} else {
		for (; *s >= '0' && *s <= '9'; s++, sp->has_width = true)
			sp->width = sp->width < 100000 ? sp->width * 10 + (*s - '0') : sp->width;
	}
	if (*s == '.') {
		s++;
		sp->has_prec = true;
		if (*s == '*') {
			sp->prec = pf_star(p);
			s++;
		} else {
			for (; *s >= '0' && *s <= '9'; s++)
				sp->prec = sp->prec < 100000 ? sp->prec * 10 + (*s - '0')
							     : sp->prec;
		}
	}
	while (*s == 'l' || *s == 'h' || *s == 'L' || *s == 'j' || *s == 'z' || *s == 't')
		s++;
	sp->conv = *s;
	if (!*s || !strchr("diouxXcsbfFeEgGaA%", *s))
		return false;
	*f = s + 1;
	return true;
}

/* Builds the C format for one numeric conversion and prints value. */
static void pf_number(struct pf *p, const struct pf_spec *sp, const char *arg)
{
	char fmt[32];
	int w = sp->has_width ? sp->width : 0, pr = sp->has_prec ? sp->prec : -1;
	bool flt = strchr("fFeEgGaA", sp->conv) != NULL;

	snprintf(fmt, sizeof(fmt), "%%%s*.*%s%c", sp->flags, flt ? "" : "ll", sp->conv);
	if (flt)
		fprintf(p->out, fmt, w, pr, pf_float(p, arg));
	else
		fprintf(p->out, fmt, w, pr, pf_int(p, arg, strchr("ouxX", sp->conv) != NULL));
}

/* Performs one conversion; false when %b's \c ended the output. */
static bool pf_convert(struct pf *p, const struct pf_spec *sp)
{
	long width = sp->has_width ? (sp->left ? -(long)sp->width : sp->width) : 0;
	size_t len;
	char *buf;

	if (sp->width < 0)
		width = sp->width;
	if (sp->conv == '%') {
		putc('%', p->out);
	} else if (sp->conv == 'c') {
		const char *a = pf_arg(p);
		pf_padded(p->out, a, 1, width);
	} else if (sp->conv == 's' || sp->conv == 'b') {
		const char *a = pf_arg(p);
		bool go = true;
		if (sp->conv == 'b') {
			go = pf_expand_b(a, &buf, &len);
		} else {
			buf = strdup(a);
			len = strlen(a);
		}
		if (sp->has_prec && sp->prec >= 0 && (size_t)sp->prec < len)
			len = (size_t)sp->prec;
		if (buf)
			pf_padded(p->out, buf, len, width);
		free(buf);
		return go;
	} else {
		pf_number(p, sp, pf_arg(p));
	}
	return true;
}

/* Runs the format once over the arguments from p->next on. Returns false
 * when the output must stop (\c, or a bad conversion). */
static bool pf_once(struct pf *p, const char *f)
{
	struct pf_spec sp;
	int c;

	while (*f) {
		if (*f == '\\') {
			f++;
			if (*f == 'c')
				return false;
			pf_escape(&f, &c, false);
			putc(c, p->out);
		} else if (*f != '%') {
			putc(*f++, p->out);
		} else {
			const char *start = f++;
			if (!pf_parse_spec(p, &f, &sp)) {
				msg(p->name, "%s: invalid format", start);
				p->status = 1;
				return false;
			}
			if (!pf_convert(p, &sp))
				return false;
		}
	}
	return true;
}

/* printf(1) over an explicit output: the fuzz target's entry too. */
int printf_format(const char *name, FILE *out, const char *format, char **args, int nargs)
{
	struct pf p = { .name = name, .out = out, .args = args, .nargs = nargs };

	for (;;) {
		int before = p.next;
		if (!pf_once(&p, format))
			break;
		if (p.next >= p.nargs || p.next == before)
			break;
	}
	return p.status;
}

int cmd_printf(int argc, char **argv)
{
	int i = 1;

	if (argc > 1 && strcmp(argv[1], "--") == 0)
		i++;
	if (i >= argc) {
		msg_usage(argv[0], "FORMAT [ARG]...");
		return 1;
	}
	return printf_format(argv[0], stdout, argv[i], argv + i + 1, argc - i - 1);
}
