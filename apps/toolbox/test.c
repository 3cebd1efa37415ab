/*
 * test.c - test and [ (busybox's behaviour): POSIX's rules for one to four
 * arguments, then a recursive-descent parser for longer expressions with
 * ! -a -o and parentheses (-a binds tighter than -o). Unary -b -c -d -e -f
 * -g -h -L -k -n -p -r -s -S -t -u -w -x -z; binary = == != < > -eq -ne
 * -lt -le -gt -ge -nt -ot -ef. Exit 0 true, 1 false, 2 error.
 */
#include "toolbox.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct tst {
	const char *name;
	char **v;
	int n, i;
	int depth;
	bool error;
};

/* Nesting of parentheses and '!' beyond this is refused, so that a long
 * argument list cannot exhaust the stack. */
enum { TST_MAX_DEPTH = 1000 };

/* Reports an error (once) and makes the result 2. */
static bool tst_fail(struct tst *t, const char *what, const char *arg)
{
	if (!t->error) {
		if (arg && *arg)
			msg(t->name, "%s: %s", arg, what);
		else
			msg(t->name, "%s", what);
	}
	t->error = true;
	return false;
}

static bool tst_unary_op(const char *s)
{
	return s[0] == '-' && s[1] && !s[2] && strchr("bcdefghLknprsStuwxzOG", s[1]);
}

static bool tst_binary_op(const char *s)
{
	static const char *const ops[] = { "=",   "==",  "!=",  "<",   ">",   "-eq", "-ne", "-lt",
					   "-le", "-gt", "-ge", "-nt", "-ot", "-ef", NULL };
	for (int i = 0; ops[i]; i++)
		if (strcmp(s, ops[i]) == 0)
			return true;
	return false;
}

/* Parses an integer operand, with blanks around it allowed. */
static long long tst_number(struct tst *t, const char *s)
{
	char *end;

	errno = 0;
	long long v = strtoll(s, &end, 10);
	while (*end == ' ' || *end == '\t')
		end++;
	if (end == s || *end || strspn(s, " \t") == strlen(s)) {
		tst_fail(t, "bad number", s);
		return 0;
	}
	if (errno == ERANGE)
		tst_fail(t, "out of range", s);
	return v;
}

/* Evaluates a unary file or string test. */
static bool tst_unary(struct tst *t, char op, const char *a)
{
	struct stat st;

	if (op == 'n' || op == 'z')
		return (*a != '\0') == (op == 'n');
	if (op == 't')
		return isatty((int)tst_number(t, a));
	if (op == 'h' || op == 'L')
		return lstat(a, &st) == 0 && S_ISLNK(st.st_mode);
	if (op == 'r' || op == 'w' || op == 'x')
		return access(a, op == 'r' ? R_OK : op == 'w' ? W_OK : X_OK) == 0;
	if (stat(a, &st) != 0)
		return false;
	switch (op) {
	case 'b':
		return S_ISBLK(st.st_mode);
	case 'c':
		return S_ISCHR(st.st_mode);
	case 'd':
		return S_ISDIR(st.st_mode);
	case 'f':
		return S_ISREG(st.st_mode);
	case 'p':
		return S_ISFIFO(st.st_mode);
	case 'S':
		return S_ISSOCK(st.st_mode);
	case 's':
		return st.st_size > 0;
	case 'g':
		return st.st_mode & S_ISGID;
	case 'u':
		return st.st_mode & S_ISUID;
	case 'k':
		return st.st_mode & S_ISVTX;
	case 'O':
		return st.st_uid == geteuid();
	case 'G':
		return st.st_gid == getegid();
	default:
		return true;
	}
}

/* Compares modification times (-nt/-ot) or identity (-ef). */
static bool tst_files(const char *op, const char *a, const char *b)
{
	struct stat sa, sb;
	bool ha = stat(a, &sa) == 0, hb = stat(b, &sb) == 0;

	if (strcmp(op, "-ef") == 0)
		return ha && hb && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	if (!ha || !hb)
		return false;
	long long d = (long long)sa.st_mtim.tv_sec - sb.st_mtim.tv_sec;
	if (d == 0)
		d = sa.st_mtim.tv_nsec - sb.st_mtim.tv_nsec;
	return strcmp(op, "-nt") == 0 ? d > 0 : d < 0;
}

/* Evaluates a binary operator. */
static bool tst_binary(struct tst *t, const char *a, const char *op, const char *b)
{
	if (op[0] != '-' || op[1] == '\0') {
		int c = strcmp(a, b);
		return op[0] == '!' ? c != 0 : op[0] == '<' ? c < 0 : op[0] == '>' ? c > 0 : c == 0;
	}
	if (strcmp(op, "-nt") == 0 || strcmp(op, "-ot") == 0 || strcmp(op, "-ef") == 0)
		return tst_files(op, a, b);
	long long x = tst_number(t, a), y = tst_number(t, b);
	if (strcmp(op, "-eq") == 0)
		return x == y;
	if (strcmp(op, "-ne") == 0)
		return x != y;
	if (strcmp(op, "-lt") == 0)
		return x < y;
	if (strcmp(op, "-le") == 0)
		return x <= y;
	if (strcmp(op, "-gt") == 0)
		return x > y;
	return x >= y;
}

static bool tst_or(struct tst *t);

/* primary: ( expr ) | unary-op arg | arg binary-op arg | arg */
static bool tst_primary(struct tst *t)
{
	if (t->i >= t->n)
		return tst_fail(t, "argument expected", NULL);
	const char *a = t->v[t->i];
	if (t->i + 1 < t->n && tst_binary_op(t->v[t->i + 1])) {
		if (t->i + 2 >= t->n)
			return tst_fail(t, "argument expected", t->v[t->i + 1]);
		t->i += 3;
		return tst_binary(t, a, t->v[t->i - 2], t->v[t->i - 1]);
	}
	if (strcmp(a, "(") == 0 && t->i + 1 < t->n) {
		if (++t->depth > TST_MAX_DEPTH)
			return tst_fail(t, "expression too deeply nested", NULL);
		t->i++;
		bool r = tst_or(t);
		t->depth--;
		if (t->i >= t->n || strcmp(t->v[t->i], ")") != 0)
			return tst_fail(t, "closing paren expected", NULL);
		t->i++;
		return r;
	}
	if (tst_unary_op(a) && t->i + 1 < t->n) {
		t->i += 2;
		return tst_unary(t, a[1], t->v[t->i - 1]);
	}
	t->i++;
	return *a != '\0';
}

static bool tst_not(struct tst *t)
{
	bool operand = t->i + 2 < t->n && tst_binary_op(t->v[t->i + 1]);

	if (t->i < t->n && strcmp(t->v[t->i], "!") == 0 && t->i + 1 < t->n && !operand) {
		if (++t->depth > TST_MAX_DEPTH)
			return tst_fail(t, "expression too deeply nested", NULL);
		t->i++;
		bool r = !tst_not(t);
		t->depth--;
		return r;
	}
	return tst_primary(t);
}

static bool tst_and(struct tst *t)
{
	bool r = tst_not(t);

	while (!t->error && t->i < t->n && strcmp(t->v[t->i], "-a") == 0) {
		t->i++;
		r = tst_not(t) && r;
	}
	return r;
}

static bool tst_or(struct tst *t)
{
	bool r = tst_and(t);

	while (!t->error && t->i < t->n && strcmp(t->v[t->i], "-o") == 0) {
		t->i++;
		r = tst_and(t) || r;
	}
	return r;
}

/* POSIX's fixed forms for up to four arguments; -1 when none applies. */
static int tst_posix(struct tst *t)
{
	char **v = t->v;

	switch (t->n) {
	case 0:
		return 0;
	case 1:
		t->i = 1;
		return v[0][0] != '\0';
	case 2:
		if (strcmp(v[0], "!") != 0)
			return -1;
		t->i = 2;
		return v[1][0] == '\0';
	case 3:
		if (tst_binary_op(v[1]) || strcmp(v[1], "-a") == 0 || strcmp(v[1], "-o") == 0)
			return -1;
		if (strcmp(v[0], "!") == 0) {
			t->i = 1;
			return !tst_or(t);
		}
		return -1;
	default:
		return -1;
	}
}

/* Evaluates the expression v[0..n); returns the exit status. */
static int test_eval(const char *name, char **v, int n)
{
	struct tst t = { .name = name, .v = v, .n = n };
	int r = tst_posix(&t);

	if (r < 0 && t.i == 0)
		r = tst_or(&t);
	if (!t.error && t.i < t.n)
		tst_fail(&t, "unknown operand", t.v[t.i]);
	return t.error ? 2 : !r;
}

int cmd_test(int argc, char **argv)
{
	return test_eval(argv[0], argv + 1, argc - 1);
}

int cmd_bracket(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[argc - 1], "]") != 0) {
		msg(argv[0], "missing ]");
		return 2;
	}
	return test_eval(argv[0], argv + 1, argc - 2);
}
