/*
 * tail.c - the last lines or bytes of files (busybox's tail): -n N, -n +N
 * (from line N on), -c N, -c +N, -q, -v, -f (follow, polling each second
 * or every -s SECONDS), the old forms -N and +N. Headers appear when more
 * than one file could be opened, as busybox does.
 */
#include "toolbox.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct tail_opts {
	unsigned long long count;
	bool bytes, from_start, follow;
	unsigned long long sleep_ns;
};

/* Reads all of fd into *buf; returns the length or -1. */
static long long tail_slurp(int fd, char **buf)
{
	size_t len = 0, cap = 0;
	char *b = NULL;

	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 8192;
			char *nb = realloc(b, cap);
			if (!nb)
				break;
			b = nb;
		}
		ssize_t r = read(fd, b + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			*buf = b;
			return r < 0 ? -1 : (long long)len;
		}
		len += (size_t)r;
	}
	free(b);
	return -1;
}

/* The offset where the output of buf[0..len) starts. */
static size_t tail_start(const struct tail_opts *t, const char *buf, size_t len)
{
	unsigned long long n = t->count;
	size_t i;

	if (t->bytes && t->from_start)
		return n ? (n - 1 < len ? (size_t)(n - 1) : len) : 0;
	if (t->bytes)
		return n < len ? len - (size_t)n : 0;
	if (t->from_start) {
		for (i = 0; i < len && n > 1; i++)
			n -= buf[i] == '\n';
		return i;
	}
	if (n == 0)
		return len;
	i = len;
	if (i > 0 && buf[i - 1] == '\n')
		i--;
	for (; i > 0; i--)
		if (buf[i - 1] == '\n' && --n == 0)
			break;
	return i;
}

/* Prints new data appended to the open files, forever. */
static void tail_follow(const struct tail_opts *t, int *fds, char **names, int n, bool header)
{
	char buf[8192];
	int last = n - 1;

	for (;;) {
		struct timespec ts = { (time_t)(t->sleep_ns / 1000000000ULL),
				       (long)(t->sleep_ns % 1000000000ULL) };
		nanosleep(&ts, NULL);
		for (int i = 0; i < n; i++) {
			ssize_t r;
			while (fds[i] >= 0 && (r = read(fds[i], buf, sizeof(buf))) > 0) {
				if (header && i != last)
					printf("\n==> %s <==\n", names[i]);
				last = i;
				fwrite(buf, 1, (size_t)r, stdout);
			}
		}
		fflush(stdout);
	}
}

/* Parses "N", "+N" or "-N" for -n/-c. */
static bool tail_count(struct tail_opts *t, const char *s)
{
	t->from_start = s[0] == '+';
	return parse_size(s + (s[0] == '+' || s[0] == '-'), &t->count);
}

/* Rewrites the old forms "-N" and "+N" in argv[1] as "-nN"/"-n+N". */
static void tail_old_form(int argc, char **argv, char *space, size_t size)
{
	if (argc < 2 || strlen(argv[1]) + 3 > size)
		return;
	char *a = argv[1];
	if ((a[0] == '-' || a[0] == '+') && a[1] >= '0' && a[1] <= '9') {
		snprintf(space, size, "-n%s%s", a[0] == '+' ? "+" : "", a + 1);
		argv[1] = space;
	}
}

/* Parses the options; returns the operand count or -1. */
static int tail_options(struct tail_opts *t, int *header, int argc, char **argv, char ***ops)
{
	struct opt o;
	unsigned long long secs;
	int c, n;

	opt_init(&o, argc, argv, "fn:c:qvs:", "[-fqv] [-n [+]N] [-c [+]N] [FILE]...");
	while ((c = opt_next(&o)) != -1) {
		if (c == '?')
			return -1;
		if ((c == 'n' || c == 'c') && !tail_count(t, o.arg)) {
			msg(argv[0], "invalid number '%s'", o.arg);
			return -1;
		}
		if (c == 's' && !parse_ulong(o.arg, &secs)) {
			msg(argv[0], "invalid number '%s'", o.arg);
			return -1;
		}
		if (c == 's')
			t->sleep_ns = secs * 1000000000ULL;
		t->bytes = c == 'c' || (t->bytes && c != 'n');
		t->follow |= c == 'f';
		if (c == 'q' || c == 'v')
			*header = c == 'v';
	}
	*ops = opt_operands(&o, &n);
	return n;
}

int cmd_tail(int argc, char **argv)
{
	struct tail_opts t = { .count = 10, .sleep_ns = 1000000000ULL };
	int header = -1, st = 0, opened = 0;
	char old[40], **ops;
	static char *dash[] = { "-", NULL };

	tail_old_form(argc, argv, old, sizeof(old));
	int n = tail_options(&t, &header, argc, argv, &ops);
	if (n < 0)
		return 1;
	if (n == 0) {
		ops = dash;
		n = 1;
	}
	int *fds = calloc((size_t)n, sizeof(*fds));
	if (!fds)
		return 1;
	for (int i = 0; i < n; i++) {
		fds[i] = strcmp(ops[i], "-") ? open(ops[i], O_RDONLY) : 0;
		if (fds[i] < 0) {
			msg_errno(argv[0], "can't open '%s'", ops[i]);
			st = 1;
		}
		opened += fds[i] >= 0;
	}
	if (opened == 0) {
		msg(argv[0], "no files");
		free(fds);
		return 1;
	}
	if (header < 0)
		header = opened > 1;
	for (int i = 0, shown = 0; i < n; i++) {
		char *buf = NULL;
		if (fds[i] < 0)
			continue;
		long long len = tail_slurp(fds[i], &buf);
		if (header)
			printf("%s==> %s <==\n", shown++ ? "\n" : "", ops[i]);
		if (len < 0) {
			msg_errno(argv[0], "read error");
			st = 1;
		} else {
			size_t s = tail_start(&t, buf, (size_t)len);
			fwrite(buf + s, 1, (size_t)len - s, stdout);
		}
		free(buf);
	}
	if (t.follow)
		tail_follow(&t, fds, ops, n, header);
	free(fds);
	return st;
}
