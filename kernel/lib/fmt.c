/* fmt.c - printf-style formatting into a sink (see fmt.h). */
#include <stdbool.h>
#include <stdint.h>

#include "lib/fmt.h"

struct spec {
	bool left, zero, plus, space, alt;
	int width;
	int prec; /* -1 when absent */
	int len;  /* 0 int, 1 long, 2 long long / intmax / size, -1 short, -2 char */
};

struct out {
	fmt_sink_fn sink;
	void *ctx;
	size_t count;
};

static void emit(struct out *o, const char *s, size_t n)
{
	if (n) {
		o->sink(o->ctx, s, n);
		o->count += n;
	}
}

static void pad(struct out *o, char c, int n)
{
	char buf[16];
	for (int i = 0; i < 16; i++)
		buf[i] = c;
	while (n > 0) {
		int k = n < 16 ? n : 16;
		emit(o, buf, (size_t)k);
		n -= k;
	}
}

/* Parses flags, width, precision and length at *fp; advances *fp past them. */
static void parse_spec(const char **fp, va_list *ap, struct spec *sp)
{
	const char *f = *fp;
	*sp = (struct spec){ .prec = -1 };
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else if (*f == '+')
			sp->plus = true;
		else if (*f == ' ')
			sp->space = true;
		else if (*f == '#')
			sp->alt = true;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = true;
			sp->width = -sp->width;
		}
		f++;
	} else {
		while (*f >= '0' && *f <= '9')
			sp->width = sp->width * 10 + (*f++ - '0');
	}
	if (*f == '.') {
		f++;
		sp->prec = 0;
		if (*f == '*') {
			sp->prec = va_arg(*ap, int);
			if (sp->prec < 0)
				sp->prec = -1;
			f++;
		} else {
			while (*f >= '0' && *f <= '9')
				sp->prec = sp->prec * 10 + (*f++ - '0');
		}
	}
	if (*f == 'h') {
		sp->len = -1;
		if (*++f == 'h') {
			sp->len = -2;
			f++;
		}
	} else if (*f == 'l') {
		sp->len = 1;
		if (*++f == 'l') {
			sp->len = 2;
			f++;
		}
	} else if (*f == 'z' || *f == 't' || *f == 'j') {
		sp->len = 2;
		f++;
	}
	*fp = f;
}

/* Fetches an integer argument of the spec's length; signed selects sign extension. */
static uint64_t fetch_int(va_list *ap, const struct spec *sp, bool is_signed)
{
	if (is_signed) {
		int64_t v;
		if (sp->len == 2)
			v = va_arg(*ap, long long);
		else if (sp->len == 1)
			v = va_arg(*ap, long);
		else
			v = va_arg(*ap, int);
		if (sp->len == -1)
			v = (short)v;
		if (sp->len == -2)
			v = (signed char)v;
		return (uint64_t)v;
	}
	uint64_t v;
	if (sp->len == 2)
		v = va_arg(*ap, unsigned long long);
	else if (sp->len == 1)
		v = va_arg(*ap, unsigned long);
	else
		v = va_arg(*ap, unsigned int);
	if (sp->len == -1)
		v = (unsigned short)v;
	if (sp->len == -2)
		v = (unsigned char)v;
	return v;
}

/* Writes an integer with sign or prefix, precision and padding applied. */
static void put_int(struct out *o, const struct spec *sp, uint64_t mag, const char *prefix,
		    unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	int n = 0;
	while (mag) {
		buf[sizeof buf - 1 - n++] = digits[mag % base];
		mag /= base;
	}
	/* C: precision 0 with value 0 prints no digits, except "%#o". */
	if (n == 0 && sp->prec != 0)
		buf[sizeof buf - 1 - n++] = '0';
	int zeros = sp->prec > n ? sp->prec - n : 0;
	if (base == 8 && sp->alt && zeros == 0 && (n == 0 || buf[sizeof buf - n] != '0'))
		zeros = 1;
	int plen = 0;
	while (prefix[plen])
		plen++;
	int body = plen + zeros + n;
	int fill = sp->width > body ? sp->width - body : 0;
	if (sp->zero && !sp->left && sp->prec < 0) {
		zeros += fill;
		fill = 0;
	}
	if (!sp->left)
		pad(o, ' ', fill);
	emit(o, prefix, (size_t)plen);
	pad(o, '0', zeros);
	emit(o, buf + sizeof buf - n, (size_t)n);
	if (sp->left)
		pad(o, ' ', fill);
}

/* Writes n bytes of s padded to the spec's width. */
static void put_str(struct out *o, const struct spec *sp, const char *s, size_t n)
{
	int fill = sp->width > (int)n ? sp->width - (int)n : 0;
	if (!sp->left)
		pad(o, ' ', fill);
	emit(o, s, n);
	if (sp->left)
		pad(o, ' ', fill);
}

/* Formats one conversion c with spec sp. */
static void convert(struct out *o, char c, struct spec *sp, va_list *ap)
{
	uint64_t v;
	char ch;
	const char *s;
	size_t n;

	switch (c) {
	case 'd':
	case 'i':
		v = fetch_int(ap, sp, true);
		if ((int64_t)v < 0)
			put_int(o, sp, -v, "-", 10, false);
		else
			put_int(o, sp, v, sp->plus ? "+" : sp->space ? " " : "", 10, false);
		break;
	case 'u':
		put_int(o, sp, fetch_int(ap, sp, false), "", 10, false);
		break;
	case 'o':
		put_int(o, sp, fetch_int(ap, sp, false), "", 8, false);
		break;
	case 'x':
	case 'X':
		v = fetch_int(ap, sp, false);
		put_int(o, sp, v, sp->alt && v ? (c == 'x' ? "0x" : "0X") : "", 16, c == 'X');
		break;
	case 'p':
		sp->len = 2;
		put_int(o, sp, (uintptr_t)va_arg(*ap, void *), "0x", 16, false);
		break;
	case 'c':
		ch = (char)va_arg(*ap, int);
		put_str(o, sp, &ch, 1);
		break;
	case 's':
		s = va_arg(*ap, const char *);
		if (!s)
			s = "(null)";
		for (n = 0; s[n] && (sp->prec < 0 || n < (size_t)sp->prec); n++)
			;
		put_str(o, sp, s, n);
		break;
	case '%':
		emit(o, "%", 1);
		break;
	default:
		/* An unknown conversion is printed as written, so a bad format is visible. */
		emit(o, "%", 1);
		emit(o, &c, 1);
		break;
	}
}

size_t fmt_vformat(fmt_sink_fn sink, void *ctx, const char *fmt, va_list ap)
{
	struct out o = { sink, ctx, 0 };
	struct spec sp;
	va_list aq;

	va_copy(aq, ap);
	while (*fmt) {
		const char *lit = fmt;
		while (*fmt && *fmt != '%')
			fmt++;
		emit(&o, lit, (size_t)(fmt - lit));
		if (!*fmt)
			break;
		fmt++;
		parse_spec(&fmt, &aq, &sp);
		if (!*fmt)
			break;
		convert(&o, *fmt++, &sp, &aq);
	}
	va_end(aq);
	return o.count;
}

struct buf_sink {
	char *buf;
	size_t cap;
	size_t used;
};

static void buf_put(void *ctx, const char *s, size_t n)
{
	struct buf_sink *b = ctx;
	for (size_t i = 0; i < n; i++) {
		if (b->used + 1 < b->cap)
			b->buf[b->used] = s[i];
		b->used++;
	}
}

size_t fmt_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
	struct buf_sink b = { buf, n, 0 };
	size_t len = fmt_vformat(buf_put, &b, fmt, ap);
	if (n)
		buf[b.used < n ? b.used : n - 1] = '\0';
	return len;
}

size_t fmt_snprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t len = fmt_vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return len;
}
