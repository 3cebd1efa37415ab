/*
 * sort.c - sort lines (busybox's sort): -n -g -r -u -f -b -s -k POS1[,POS2]
 * (POS = F[.C][bfgnr]), -t CHAR, -o FILE. Keys follow POSIX: without -t
 * a field begins after the blanks that end the one before it (so it keeps
 * its leading blanks); with -t fields are split at CHAR. Lines equal on
 * every key are compared whole as a last resort, unless -s; -u keeps the
 * first line of each run that is equal on the keys. The sort is stable.
 */
#include "toolbox.h"

#include <stdlib.h>
#include <string.h>

enum { SK_NUM = 1, SK_REV = 2, SK_FOLD = 4, SK_BLANKS = 8, SK_BLANKS_END = 16, SK_GEN = 32 };

struct sort_key {
	unsigned long f1, c1, f2, c2; /* f2 == 0: to the end of the line */
	int flags;
};

struct sort_ctx {
	struct sort_key keys[16];
	int nkeys;
	int global;
	int tab; /* -1: blank separated */
	bool stable, unique;
};

static bool sort_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The offset of field f (1-based) in s[0..len). */
static size_t sort_field(const struct sort_ctx *x, const char *s, size_t len, unsigned long f)
{
	size_t i = 0;

	while (--f > 0 && i < len) {
		if (x->tab >= 0) {
			while (i < len && s[i] != (char)x->tab)
				i++;
			i += i < len;
		} else {
			while (i < len && sort_blank(s[i]))
				i++;
			while (i < len && !sort_blank(s[i]))
				i++;
		}
	}
	return i;
}

/* The end of the field starting at i. */
static size_t sort_field_end(const struct sort_ctx *x, const char *s, size_t len, size_t i)
{
	if (x->tab >= 0) {
		while (i < len && s[i] != (char)x->tab)
			i++;
		return i;
	}
	while (i < len && sort_blank(s[i]))
		i++;
	while (i < len && !sort_blank(s[i]))
		i++;
	return i;
}

/* Finds key k of line s: [*a, *b). */
static void sort_extract(const struct sort_ctx *x, const struct sort_key *k, const char *s,
			 size_t len, size_t *a, size_t *b)
{
	size_t i = sort_field(x, s, len, k->f1);

	if (k->flags & SK_BLANKS)
		while (i < len && sort_blank(s[i]))
			i++;
	i = k->c1 > 1 ? (i + k->c1 - 1 < len ? i + k->c1 - 1 : len) : i;
	size_t e = len;
	if (k->f2) {
		e = sort_field(x, s, len, k->f2);
		if (k->c2 == 0) {
			e = sort_field_end(x, s, len, e);
		} else {
			if (k->flags & SK_BLANKS_END)
				while (e < len && sort_blank(s[e]))
					e++;
			e = e + k->c2 < len ? e + k->c2 : len;
		}
	}
	*a = i;
	*b = e > i ? e : i;
}

/* Compares the leading numbers of two strings as strtold reads them; with
 * general (-g), a string with no number sorts before every number. */
static int sort_numcmp(const char *a, size_t al, const char *b, size_t bl, bool general)
{
	char ba[64], bb[64];
	size_t n;

	n = al < sizeof(ba) - 1 ? al : sizeof(ba) - 1;
	memcpy(ba, a, n);
	ba[n] = '\0';
	n = bl < sizeof(bb) - 1 ? bl : sizeof(bb) - 1;
	memcpy(bb, b, n);
	bb[n] = '\0';
	char *ea, *eb;
	long double x = strtold(ba, &ea), y = strtold(bb, &eb);
	if (general && (ea == ba || eb == bb))
		return (ea != ba) - (eb != bb);
	return x < y ? -1 : x > y;
}

/* Compares two byte ranges as text, folding case with SK_FOLD. */
static int sort_textcmp(const char *a, size_t al, const char *b, size_t bl, int flags)
{
	size_t n = al < bl ? al : bl;

	for (size_t i = 0; i < n; i++) {
		int x = (unsigned char)a[i], y = (unsigned char)b[i];
		if (flags & SK_FOLD) {
			x = x >= 'a' && x <= 'z' ? x - 32 : x;
			y = y >= 'a' && y <= 'z' ? y - 32 : y;
		}
		if (x != y)
			return x < y ? -1 : 1;
	}
	return al < bl ? -1 : al > bl;
}

struct sort_line {
	char *s;
	size_t len;
};

/* Compares two lines on the keys; last_resort adds the whole-line rule. */
static int sort_compare(const struct sort_ctx *x, const struct sort_line *p,
			const struct sort_line *q, bool last_resort)
{
	static const struct sort_key whole = { 1, 1, 0, 0, 0 };
	int nk = x->nkeys ? x->nkeys : 1;

	for (int i = 0; i < nk; i++) {
		const struct sort_key *k = x->nkeys ? &x->keys[i] : &whole;
		int fl = k->flags & ~(SK_BLANKS | SK_BLANKS_END) ? k->flags : k->flags | x->global;
		size_t a0, a1, b0, b1;
		sort_extract(x, k, p->s, p->len, &a0, &a1);
		sort_extract(x, k, q->s, q->len, &b0, &b1);
		int d = fl & (SK_NUM | SK_GEN)
				? sort_numcmp(p->s + a0, a1 - a0, q->s + b0, b1 - b0, fl & SK_GEN)
				: sort_textcmp(p->s + a0, a1 - a0, q->s + b0, b1 - b0, fl);
		if (d)
			return fl & SK_REV ? -d : d;
	}
	if (!last_resort || x->stable)
		return 0;
	int d = sort_textcmp(p->s, p->len, q->s, q->len, 0);
	return x->global & SK_REV ? -d : d;
}

/* A stable merge sort of the lines (tmp has room for n). */
static void sort_merge(const struct sort_ctx *x, struct sort_line *v, struct sort_line *tmp,
		       size_t n)
{
	if (n < 2)
		return;
	size_t h = n / 2, i = 0, j = h, o = 0;
	sort_merge(x, v, tmp, h);
	sort_merge(x, v + h, tmp, n - h);
	while (i < h && j < n)
		tmp[o++] = sort_compare(x, &v[j], &v[i], true) < 0 ? v[j++] : v[i++];
	while (i < h)
		tmp[o++] = v[i++];
	while (j < n)
		tmp[o++] = v[j++];
	memcpy(v, tmp, n * sizeof(*v));
}

/* Parses the ordering letters after a key position. */
static const char *sort_letters(const char *s, int *flags, bool end)
{
	for (;; s++) {
		switch (*s) {
		case 'n':
			*flags |= SK_NUM;
			break;
		case 'g':
			*flags |= SK_GEN;
			break;
		case 'r':
			*flags |= SK_REV;
			break;
		case 'f':
			*flags |= SK_FOLD;
			break;
		case 'b':
			*flags |= end ? SK_BLANKS_END : SK_BLANKS;
			break;
		default:
			return s;
		}
	}
}

/* Parses "F[.C]" into f and c; NULL when malformed. */
static const char *sort_pos(const char *s, unsigned long *f, unsigned long *c)
{
	char *e;

	*f = strtoul(s, &e, 10);
	if (e == s || *f == 0 || *f > 100000000)
		return NULL;
	s = e;
	if (*s == '.') {
		*c = strtoul(s + 1, &e, 10);
		if (e == s + 1 || *c > 100000000)
			return NULL;
		s = e;
	}
	return s;
}

/* Parses one -k argument. */
static bool sort_keyspec(struct sort_ctx *x, const char *s)
{
	struct sort_key k = { .c1 = 1 };

	if (x->nkeys == (int)(sizeof(x->keys) / sizeof(x->keys[0])))
		return false;
	s = sort_pos(s, &k.f1, &k.c1);
	if (!s || k.c1 == 0)
		return false;
	s = sort_letters(s, &k.flags, false);
	if (*s == ',') {
		s = sort_pos(s + 1, &k.f2, &k.c2);
		if (!s)
			return false;
		s = sort_letters(s, &k.flags, true);
	}
	if (*s)
		return false;
	x->keys[x->nkeys++] = k;
	return true;
}

/* Reads every line of path into the growing array. */
static bool sort_read(const char *name, const char *path, struct sort_line **v, size_t *n,
		      size_t *cap)
{
	FILE *f = file_open(name, path);
	struct line l = { 0 };

	if (!f)
		return false;
	while (line_read(&l, f, '\n') > 0) {
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 256;
			struct sort_line *nv = realloc(*v, *cap * sizeof(**v));
			if (!nv)
				break;
			*v = nv;
		}
		size_t len = l.len - (l.buf[l.len - 1] == '\n');
		(*v)[*n].s = malloc(len + 1);
		if (!(*v)[*n].s)
			break;
		memcpy((*v)[*n].s, l.buf, len);
		(*v)[*n].s[len] = '\0';
		(*v)[(*n)++].len = len;
	}
	line_free(&l);
	file_close(f);
	return true;
}

/* Applies one option letter; false after a reported error. */
static bool sort_option(struct sort_ctx *x, const char *name, int c, const char *arg,
			const char **out)
{
	switch (c) {
	case 'n':
		x->global |= SK_NUM;
		break;
	case 'g':
		x->global |= SK_GEN;
		break;
	case 'r':
		x->global |= SK_REV;
		break;
	case 'f':
		x->global |= SK_FOLD;
		break;
	case 'b':
		x->global |= SK_BLANKS | SK_BLANKS_END;
		break;
	case 's':
		x->stable = true;
		break;
	case 'u':
		x->unique = true;
		break;
	case 'o':
		*out = arg;
		break;
	case 't':
		if (strlen(arg) != 1) {
			msg(name, "bad -t parameter");
			return false;
		}
		x->tab = (unsigned char)arg[0];
		break;
	case 'k':
		if (!sort_keyspec(x, arg)) {
			msg(name, "bad field specification");
			return false;
		}
		break;
	default:
		return false;
	}
	return true;
}

int cmd_sort(int argc, char **argv)
{
	struct sort_ctx x = { .tab = -1 };
	struct sort_line *v = NULL;
	size_t n = 0, cap = 0;
	const char *out_path = NULL;
	static char *dash[] = { "-", NULL };
	struct opt o;
	int c, nops, status = 0;

	opt_init(&o, argc, argv,
		 "ngrfbsuo:t:k:", "[-ngrfbsu] [-k POS1[,POS2]] [-t CHAR] [-o FILE] [FILE]...");
	while ((c = opt_next(&o)) != -1)
		if (c == '?' || !sort_option(&x, argv[0], c, o.arg, &out_path))
			return 2;
	for (int i = 0; i < x.nkeys; i++)
		if (!(x.keys[i].flags & ~(SK_BLANKS | SK_BLANKS_END)))
			x.keys[i].flags |= x.global & ~(SK_BLANKS | SK_BLANKS_END);
	char **ops = opt_operands(&o, &nops);
	if (nops == 0) {
		ops = dash;
		nops = 1;
	}
	for (int i = 0; i < nops && status == 0; i++)
		if (!sort_read(argv[0], ops[i], &v, &n, &cap))
			status = 2;
	struct sort_line *tmp = status ? NULL : malloc((n ? n : 1) * sizeof(*tmp));
	if (tmp)
		sort_merge(&x, v, tmp, n);
	FILE *out = !tmp ? NULL : out_path ? fopen(out_path, "w") : stdout;
	if (!tmp)
		status = 2;
	if (!out && tmp) {
		msg_errno(argv[0], "can't open '%s'", out_path);
		status = 2;
	}
	for (size_t i = 0; out && i < n; i++) {
		if (!x.unique || i == 0 || sort_compare(&x, &v[i - 1], &v[i], false) != 0) {
			fwrite(v[i].s, 1, v[i].len, out);
			putc('\n', out);
		}
	}
	if (out && out != stdout && fclose(out) != 0)
		status = 2;
	for (size_t i = 0; i < n; i++)
		free(v[i].s);
	free(v);
	free(tmp);
	return status;
}
