/*
 * bi_test.c - test and [: POSIX's rules by argument count for up to four
 * arguments, a recursive-descent parser (! -a -o parentheses) beyond, and
 * dash's messages ("unexpected operator", "argument expected", "missing ]").
 */
#define _DEFAULT_SOURCE 1
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "builtins.h"
#include "exec.h"

struct tctx {
	struct shell *sh;
	char **av;
	int n, pos;
	bool failed;
};

static const char *const unary_ops[] = {
	"-b", "-c", "-d", "-e", "-f", "-g", "-G", "-h", "-k", "-L", "-n",
	"-O", "-p", "-r", "-s", "-S", "-t", "-u", "-w", "-x", "-z", NULL,
};

static const char *const binary_ops[] = {
	"=", "!=", "<", ">", "-eq", "-ne", "-gt", "-ge", "-lt", "-le", "-nt", "-ot", "-ef", NULL,
};

static bool in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

static void t_error(struct tctx *t, const char *fmt, const char *arg)
{
	if (!t->failed)
		sh_warn(t->sh, fmt, arg);
	t->failed = true;
}

static intmax_t t_num(struct tctx *t, const char *s)
{
	char *end;
	const char *p = s;

	while (*p == ' ' || *p == '\t')
		p++;
	errno = 0;
	intmax_t v = strtoimax(p, &end, 10);

	while (*end == ' ' || *end == '\t')
		end++;
	if (end == p || *end || errno)
		t_error(t, "Illegal number: %s", s);
	return v;
}

static bool file_test(char op, const char *f)
{
	struct stat st;

	if (op == 'h' || op == 'L')
		return lstat(f, &st) == 0 && S_ISLNK(st.st_mode);
	if (op == 'r' || op == 'w' || op == 'x')
		return access(f, op == 'r' ? R_OK : op == 'w' ? W_OK : X_OK) == 0;
	if (stat(f, &st) != 0)
		return false;
	switch (op) {
	case 'b':
		return S_ISBLK(st.st_mode);
	case 'c':
		return S_ISCHR(st.st_mode);
	case 'd':
		return S_ISDIR(st.st_mode);
	case 'e':
		return true;
	case 'f':
		return S_ISREG(st.st_mode);
	case 'g':
		return (st.st_mode & S_ISGID) != 0;
	case 'G':
		return st.st_gid == getegid();
	case 'k':
		return (st.st_mode & S_ISVTX) != 0;
	case 'O':
		return st.st_uid == geteuid();
	case 'p':
		return S_ISFIFO(st.st_mode);
	case 's':
		return st.st_size > 0;
	case 'S':
		return S_ISSOCK(st.st_mode);
	case 'u':
		return (st.st_mode & S_ISUID) != 0;
	default:
		return false;
	}
}

static bool unary(struct tctx *t, const char *op, const char *arg)
{
	switch (op[1]) {
	case 'n':
		return arg[0] != '\0';
	case 'z':
		return arg[0] == '\0';
	case 't':
		return isatty((int)t_num(t, arg));
	default:
		return file_test(op[1], arg);
	}
}

/* -nt and -ot: both files must exist. */
static bool mtime_cmp(const char *a, const char *b, bool newer)
{
	struct stat sa, sb;

	if (stat(a, &sa) != 0 || stat(b, &sb) != 0)
		return false;
	if (sa.st_mtim.tv_sec != sb.st_mtim.tv_sec)
		return newer ? sa.st_mtim.tv_sec > sb.st_mtim.tv_sec
			     : sa.st_mtim.tv_sec < sb.st_mtim.tv_sec;
	return newer ? sa.st_mtim.tv_nsec > sb.st_mtim.tv_nsec
		     : sa.st_mtim.tv_nsec < sb.st_mtim.tv_nsec;
}

static bool binary(struct tctx *t, const char *a, const char *op, const char *b)
{
	if (strcmp(op, "=") == 0)
		return strcmp(a, b) == 0;
	if (strcmp(op, "!=") == 0)
		return strcmp(a, b) != 0;
	if (strcmp(op, "<") == 0)
		return strcmp(a, b) < 0;
	if (strcmp(op, ">") == 0)
		return strcmp(a, b) > 0;
	if (strcmp(op, "-nt") == 0 || strcmp(op, "-ot") == 0)
		return mtime_cmp(a, b, op[1] == 'n');
	if (strcmp(op, "-ef") == 0) {
		struct stat sa, sb;

		return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
		       sa.st_ino == sb.st_ino;
	}
	intmax_t x = t_num(t, a), y = t_num(t, b);

	if (strcmp(op, "-eq") == 0)
		return x == y;
	if (strcmp(op, "-ne") == 0)
		return x != y;
	if (strcmp(op, "-gt") == 0)
		return x > y;
	if (strcmp(op, "-ge") == 0)
		return x >= y;
	if (strcmp(op, "-lt") == 0)
		return x < y;
	return x <= y;
}

static bool t_or(struct tctx *t);

static const char *peek(struct tctx *t, int k)
{
	return t->pos + k < t->n ? t->av[t->pos + k] : NULL;
}

static bool t_primary(struct tctx *t)
{
	const char *a = peek(t, 0);

	if (!a) {
		t_error(t, "%s: argument expected", t->pos ? t->av[t->pos - 1] : "test");
		return false;
	}
	if (strcmp(a, "(") == 0) {
		t->pos++;
		bool v = t_or(t);

		if (!peek(t, 0) || strcmp(peek(t, 0), ")") != 0)
			t_error(t, "%s", "closing paren expected");
		else
			t->pos++;
		return v;
	}
	if (peek(t, 1) && in_list(binary_ops, peek(t, 1))) {
		if (!peek(t, 2)) {
			t_error(t, "%s: argument expected", peek(t, 1));
			return false;
		}
		t->pos += 3;
		return binary(t, a, t->av[t->pos - 2], t->av[t->pos - 1]);
	}
	if (in_list(unary_ops, a) && peek(t, 1)) {
		t->pos += 2;
		return unary(t, a, t->av[t->pos - 1]);
	}
	t->pos++;
	return a[0] != '\0';
}

static bool t_not(struct tctx *t)
{
	if (peek(t, 0) && strcmp(peek(t, 0), "!") == 0 && peek(t, 1)) {
		t->pos++;
		return !t_not(t);
	}
	return t_primary(t);
}

static bool t_and(struct tctx *t)
{
	bool v = t_not(t);

	while (peek(t, 0) && strcmp(peek(t, 0), "-a") == 0 && peek(t, 1)) {
		t->pos++;
		bool w = t_not(t);

		v = v && w;
	}
	return v;
}

static bool t_or(struct tctx *t)
{
	bool v = t_and(t);

	while (peek(t, 0) && strcmp(peek(t, 0), "-o") == 0 && peek(t, 1)) {
		t->pos++;
		bool w = t_and(t);

		v = v || w;
	}
	return v;
}

/* POSIX's rules for up to four arguments; returns -1 to use the parser. */
static int t_small(struct tctx *t, char **a, int n)
{
	switch (n) {
	case 0:
		return 0;
	case 1:
		return a[0][0] != '\0';
	case 2:
		if (strcmp(a[0], "!") == 0)
			return a[1][0] == '\0';
		if (in_list(unary_ops, a[0]))
			return unary(t, a[0], a[1]);
		if (in_list(binary_ops, a[1]))
			t_error(t, "%s: argument expected", a[1]);
		else
			t_error(t, "%s: unexpected operator", a[0]);
		return 0;
	case 3:
		if (in_list(binary_ops, a[1]))
			return binary(t, a[0], a[1], a[2]);
		if (strcmp(a[0], "!") == 0)
			return !t_small(t, a + 1, 2);
		if (strcmp(a[0], "(") == 0 && strcmp(a[2], ")") == 0)
			return a[1][0] != '\0';
		t_error(t, "%s: unexpected operator", a[0]);
		return 0;
	case 4:
		if (strcmp(a[0], "!") == 0)
			return !t_small(t, a + 1, 3);
		if (strcmp(a[0], "(") == 0 && strcmp(a[3], ")") == 0)
			return t_small(t, a + 1, 2);
		return -1;
	default:
		return -1;
	}
}

int bi_test(struct shell *sh, int argc, char **argv)
{
	struct tctx t = { sh, argv + 1, argc - 1, 0, false };

	if (strcmp(argv[0], "[") == 0) {
		if (argc < 2 || strcmp(argv[argc - 1], "]") != 0)
			return sh_builtin_err(sh, 2, "missing ]");
		t.n--;
	}
	int r = t_small(&t, t.av, t.n);

	if (r < 0) {
		r = t_or(&t);
		if (!t.failed && t.pos < t.n)
			t_error(&t, "%s: unexpected operator", t.av[t.pos]);
	}
	if (t.failed)
		return 2;
	return r ? 0 : 1;
}
