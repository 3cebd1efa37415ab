/*
 * head.c - the first lines or bytes of files (busybox's head): -n N, -n -N
 * (all but the last N), -c N, -c -N, -q, -v, the old form -N; counts take
 * the suffixes b, k, m. Several files are preceded by "==> NAME <==".
 */
#include "toolbox.h"

#include <stdlib.h>
#include <string.h>

struct head_opts {
	unsigned long long count;
	bool bytes;
	bool all_but;
};

/* Keeps the whole input, then writes all of it but the last n units. */
static int head_all_but(const struct head_opts *h, FILE *f)
{
	struct line l = { 0 };
	char *buf = NULL;
	size_t len = 0, cap = 0, nl = 0;
	int r;

	while ((r = line_read(&l, f, '\n')) > 0) {
		if (len + l.len > cap) {
			cap = (len + l.len) * 2;
			char *nb = realloc(buf, cap);
			if (!nb) {
				r = -1;
				break;
			}
			buf = nb;
		}
		memcpy(buf + len, l.buf, l.len);
		len += l.len;
		nl += l.buf[l.len - 1] == '\n' || !h->bytes;
	}
	size_t keep = 0;
	if (h->bytes) {
		keep = len > h->count ? len - (size_t)h->count : 0;
	} else if (nl > h->count) {
		for (size_t lines = nl - (size_t)h->count; keep < len && lines; keep++)
			lines -= buf[keep] == '\n';
	}
	fwrite(buf, 1, keep, stdout);
	free(buf);
	line_free(&l);
	return r < 0 ? -1 : 0;
}

/* Writes the first count lines or bytes of f. */
static int head_first(const struct head_opts *h, FILE *f)
{
	unsigned long long n = h->count;
	int c;

	while (n > 0 && (c = getc(f)) != EOF) {
		putchar(c);
		if (h->bytes || c == '\n')
			n--;
	}
	return ferror(f) ? -1 : 0;
}

/* Parses the argument of -n or -c: an optional '-' then a size. */
static bool head_count(struct head_opts *h, const char *s)
{
	h->all_but = s[0] == '-';
	return parse_size(s + h->all_but, &h->count);
}

int cmd_head(int argc, char **argv)
{
	struct head_opts h = { .count = 10 };
	int header = -1, c, n, st = 0;
	char old[32];
	struct opt o;

	if (argc > 1 && argv[1][0] == '-' && argv[1][1] >= '0' && argv[1][1] <= '9' &&
	    strlen(argv[1]) < sizeof(old) - 2) {
		snprintf(old, sizeof(old), "-n%s", argv[1] + 1);
		argv[1] = old;
	}
	opt_init(&o, argc, argv, "n:c:qv", "[-n N] [-c N] [-qv] [FILE]...");
	while ((c = opt_next(&o)) != -1) {
		if (c == '?')
			return 1;
		if ((c == 'n' || c == 'c') && !head_count(&h, o.arg)) {
			msg(argv[0], "invalid number '%s'", o.arg);
			return 1;
		}
		if (c == 'n' || c == 'c')
			h.bytes = c == 'c';
		if (c == 'q' || c == 'v')
			header = c == 'v';
	}
	char **ops = opt_operands(&o, &n);
	static char *dash[] = { "-", NULL };
	if (n == 0) {
		ops = dash;
		n = 1;
	}
	if (header < 0)
		header = n > 1;
	for (int i = 0; i < n; i++) {
		FILE *f = file_open(argv[0], ops[i]);
		if (!f) {
			st = 1;
			continue;
		}
		if (header)
			printf("%s==> %s <==\n", i ? "\n" : "",
			       strcmp(ops[i], "-") ? ops[i] : "standard input");
		if ((h.all_but ? head_all_but(&h, f) : head_first(&h, f)) < 0) {
			msg_errno(argv[0], "%s", ops[i]);
			st = 1;
		}
		file_close(f);
	}
	return st;
}
