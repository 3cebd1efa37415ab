/*
 * cat.c - concatenate files to standard output; -n numbers every line,
 * -b only the non-empty ones (as "%6u\t"), -u is accepted and ignored.
 * Errors as busybox: "cat: can't open 'F': error"; status 1.
 */
#include "toolbox.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

struct cat_state {
	bool number, nonblank;
	unsigned long lineno;
};

/* Copies f to stdout numbering lines, the count going on across files; as
 * in busybox, a last line without a newline gets one. */
static int cat_numbered(struct cat_state *s, FILE *f)
{
	struct line l = { 0 };
	int r;

	while ((r = line_read(&l, f, '\n')) > 0) {
		if (!(s->nonblank && l.len == 1 && l.buf[0] == '\n'))
			printf("%6lu\t", ++s->lineno);
		fwrite(l.buf, 1, l.len, stdout);
		if (l.buf[l.len - 1] != '\n')
			putchar('\n');
	}
	line_free(&l);
	return r < 0 ? -1 : 0;
}

/* Copies one file; returns 0 or 1 after reporting an error. */
static int cat_one(const char *name, struct cat_state *s, const char *path)
{
	bool std = strcmp(path, "-") == 0;
	int r;

	if (s->number) {
		FILE *f = std ? stdin : fopen(path, "r");
		if (!f) {
			msg_errno(name, "can't open '%s'", path);
			return 1;
		}
		r = cat_numbered(s, f);
		file_close(f);
	} else {
		int fd = std ? 0 : open(path, O_RDONLY);
		if (fd < 0) {
			msg_errno(name, "can't open '%s'", path);
			return 1;
		}
		fflush(stdout);
		r = copy_fd(fd, 1);
		if (!std)
			close(fd);
	}
	if (r == -1)
		msg_errno(name, "read error");
	else if (r == -2)
		msg_errno(name, "write error");
	return r ? 1 : 0;
}

int cmd_cat(int argc, char **argv)
{
	struct cat_state s = { 0 };
	static char *dash[] = { "-", NULL };
	struct opt o;
	int c, n, st = 0;

	opt_init(&o, argc, argv, "nbu", "[-nbu] [FILE]...");
	while ((c = opt_next(&o)) != -1) {
		if (c == '?')
			return 1;
		if (c == 'n' || c == 'b')
			s.number = true;
		if (c == 'b')
			s.nonblank = true;
	}
	char **ops = opt_operands(&o, &n);
	if (n == 0) {
		ops = dash;
		n = 1;
	}
	for (int i = 0; i < n; i++)
		st |= cat_one(argv[0], &s, ops[i]);
	return st;
}
