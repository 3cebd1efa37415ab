/*
 * ls.c - list directory contents (busybox's ls): -1 -a -A -C -d -F -h -l
 * -n -p -r -R -t -w N. One name a line when standard output is not a
 * terminal, columns of equal width (the longest name plus two) when it is
 * or with -C. ls -l shows numeric owner and group: Keel has no users, so
 * -l is -ln; -l wins over -1 and -C whatever their order. Dates: "Mon DD HH:MM" within the last six months, otherwise
 * (older, or in the future) "Mon DD  YYYY".
 */
#include "toolbox.h"

#include <errno.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

enum { LS_ONE, LS_COLUMNS, LS_LONG };

struct ls_opts {
	const char *name;
	int format;
	bool all, almost_all, dirs_as_files, human, classify, slash, reverse;
	bool recursive, by_time;
	unsigned width;
	time_t now;
	int status;
	bool printed;
};

struct ls_ent {
	char *name;
	char *path;
	struct stat st;
};

/* Orders entries by name, or newest first with -t; -r reverses. */
static int ls_compare(const void *a, const void *b, void *ctx)
{
	const struct ls_ent *x = a, *y = b;
	const struct ls_opts *o = ctx;
	int d = 0;

	if (o->by_time) {
		if (x->st.st_mtim.tv_sec != y->st.st_mtim.tv_sec)
			d = x->st.st_mtim.tv_sec > y->st.st_mtim.tv_sec ? -1 : 1;
		else if (x->st.st_mtim.tv_nsec != y->st.st_mtim.tv_nsec)
			d = x->st.st_mtim.tv_nsec > y->st.st_mtim.tv_nsec ? -1 : 1;
	}
	if (d == 0)
		d = strcmp(x->name, y->name);
	return o->reverse ? -d : d;
}

/* Insertion-merge sort with a context (qsort has none in C11). */
static void ls_sort(struct ls_ent *e, size_t n, const struct ls_opts *o)
{
	for (size_t width = 1; width < n; width *= 2)
		for (size_t i = 0; i + width < n; i += 2 * width) {
			size_t mid = i + width, end = i + 2 * width < n ? i + 2 * width : n;
			for (size_t j = mid; j < end; j++) {
				struct ls_ent t = e[j];
				size_t k = j;
				while (k > i && ls_compare(&e[k - 1], &t, (void *)o) > 0) {
					e[k] = e[k - 1];
					k--;
				}
				e[k] = t;
			}
		}
}

/* The -F/-p indicator of an entry, or 0. */
static char ls_indicator(const struct ls_opts *o, const struct stat *st)
{
	if (S_ISDIR(st->st_mode))
		return o->classify || o->slash ? '/' : 0;
	if (!o->classify)
		return 0;
	if (S_ISLNK(st->st_mode))
		return '@';
	if (S_ISFIFO(st->st_mode))
		return '|';
	if (S_ISSOCK(st->st_mode))
		return '=';
	return st->st_mode & 0111 ? '*' : 0;
}

/* Prints one entry in the long format. */
static void ls_long(const struct ls_opts *o, const struct ls_ent *e)
{
	char mode[11], size[32], date[32], human[32];
	struct tm tm;
	time_t t = e->st.st_mtim.tv_sec;
	bool recent = t <= o->now && o->now - t < 31556952 / 2;

	tb_mode_string(e->st.st_mode, mode);
	if (o->human)
		snprintf(size, sizeof(size), "%s",
			 tb_figure((unsigned long long)e->st.st_size, 1, 0, human));
	else
		snprintf(size, sizeof(size), "%llu", (unsigned long long)e->st.st_size);
	localtime_r(&t, &tm);
	strftime(date, sizeof(date), recent ? "%b %e %H:%M" : "%b %e  %Y", &tm);
	printf("%s %4lu %-8lu %-8lu %*s %s %s", mode, (unsigned long)e->st.st_nlink,
	       (unsigned long)e->st.st_uid, (unsigned long)e->st.st_gid, o->human ? 7 : 9, size,
	       date, e->name);
	if (S_ISLNK(e->st.st_mode)) {
		char target[4096];
		ssize_t n = readlink(e->path, target, sizeof(target) - 1);
		if (n >= 0)
			printf(" -> %.*s", (int)n, target);
	}
}

/* The terminal width: -w, the terminal's, $COLUMNS, or 80. */
static unsigned ls_width(const struct ls_opts *o)
{
	struct winsize ws;
	const char *c = getenv("COLUMNS");
	unsigned long long v;

	if (o->width)
		return o->width;
	if (isatty(1) && ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (c && parse_ulong(c, &v) && v > 0 && v < 10000)
		return (unsigned)v;
	return 80;
}

/* Prints entries in columns, down then across. */
static void ls_columns(const struct ls_opts *o, const struct ls_ent *e, size_t n)
{
	size_t maxlen = 0;

	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(e[i].name) + (ls_indicator(o, &e[i].st) != 0);
		maxlen = l > maxlen ? l : maxlen;
	}
	size_t colw = maxlen + 2, cols = ls_width(o) / colw;
	if (cols < 1)
		cols = 1;
	size_t rows = (n + cols - 1) / cols;
	for (size_t r = 0; r < rows; r++) {
		for (size_t c = 0; c < cols; c++) {
			size_t i = c * rows + r;
			if (i >= n)
				break;
			char ind = ls_indicator(o, &e[i].st);
			int len = printf("%s", e[i].name) + (ind ? printf("%c", ind) : 0);
			if ((c + 1) * rows + r < n)
				printf("%*s", (int)(colw - (size_t)len), "");
		}
		putchar('\n');
	}
}

/* Prints a sorted group of entries in the chosen format. */
static void ls_print(struct ls_opts *o, struct ls_ent *e, size_t n)
{
	if (n == 0)
		return;
	o->printed = true;
	if (o->format == LS_COLUMNS) {
		ls_columns(o, e, n);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char ind = ls_indicator(o, &e[i].st);
		if (o->format == LS_LONG)
			ls_long(o, &e[i]);
		else
			fputs(e[i].name, stdout);
		if (ind && !(o->format == LS_LONG && S_ISLNK(e[i].st.st_mode)))
			putchar(ind);
		putchar('\n');
	}
}

static void ls_free(struct ls_ent *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(e[i].name);
		free(e[i].path);
	}
	free(e);
}

/* Adds an entry (lstat'ed at path) to the growing array; false on error. */
static bool ls_add(struct ls_ent **e, size_t *n, size_t *cap, const char *name, const char *path)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		struct ls_ent *ne = realloc(*e, *cap * sizeof(**e));
		if (!ne)
			return false;
		*e = ne;
	}
	struct ls_ent *x = &(*e)[*n];
	x->name = strdup(name);
	x->path = strdup(path);
	if (!x->name || !x->path || lstat(path, &x->st) != 0) {
		free(x->name);
		free(x->path);
		return false;
	}
	(*n)++;
	return true;
}

/* Reads the entries of directory path (honouring -a and -A). */
static struct ls_ent *ls_read_dir(struct ls_opts *o, const char *path, size_t *count)
{
	struct ls_ent *e = NULL;
	size_t n = 0, cap = 0;
	struct dirent *d;
	DIR *dir = opendir(path);

	*count = 0;
	if (!dir) {
		msg_errno(o->name, "%s", path);
		o->status = 1;
		return NULL;
	}
	while ((d = readdir(dir)) != NULL) {
		bool dots = strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0;
		if (d->d_name[0] == '.' && !o->all && !(o->almost_all && !dots))
			continue;
		char *p = tb_path_join(path, d->d_name);
		if (!p || !ls_add(&e, &n, &cap, d->d_name, p)) {
			msg_errno(o->name, "%s", p ? p : path);
			o->status = 1;
		}
		free(p);
	}
	closedir(dir);
	*count = n;
	return e;
}

/* Lists one directory (with a header when asked), then its subdirectories
 * with -R. */
static void ls_dir(struct ls_opts *o, const char *path, bool header)
{
	size_t n;
	struct ls_ent *e = ls_read_dir(o, path, &n);

	if (header)
		printf("%s%s:\n", o->printed ? "\n" : "", path);
	o->printed = true;
	if (!e && n == 0 && o->status && !header)
		return;
	ls_sort(e, n, o);
	if (o->format == LS_LONG) {
		unsigned long long blocks = 0;
		for (size_t i = 0; i < n; i++)
			blocks += (unsigned long long)e[i].st.st_blocks;
		printf("total %llu\n", blocks / 2);
	}
	ls_print(o, e, n);
	for (size_t i = 0; o->recursive && i < n; i++)
		if (S_ISDIR(e[i].st.st_mode) && strcmp(e[i].name, ".") != 0 &&
		    strcmp(e[i].name, "..") != 0)
			ls_dir(o, e[i].path, true);
	ls_free(e, n);
}

/* Applies one option letter. */
static bool ls_option(struct ls_opts *o, int c, const char *arg)
{
	unsigned long long w;

	switch (c) {
	case '1':
		o->format = o->format == LS_LONG ? LS_LONG : LS_ONE;
		break;
	case 'C':
		o->format = o->format == LS_LONG ? LS_LONG : LS_COLUMNS;
		break;
	case 'l':
	case 'n':
		o->format = LS_LONG;
		break;
	case 'a':
		o->all = true;
		break;
	case 'A':
		o->almost_all = true;
		break;
	case 'd':
		o->dirs_as_files = true;
		break;
	case 'F':
		o->classify = true;
		break;
	case 'p':
		o->slash = true;
		break;
	case 'h':
		o->human = true;
		break;
	case 'r':
		o->reverse = true;
		break;
	case 'R':
		o->recursive = true;
		break;
	case 't':
		o->by_time = true;
		break;
	case 'w':
		if (!parse_ulong(arg, &w) || w > 100000) {
			msg(o->name, "invalid number '%s'", arg);
			return false;
		}
		o->width = (unsigned)w;
		break;
	default:
		return false;
	}
	return true;
}

/* Sorts operands into files and directories, reporting missing ones. */
static void ls_operands(struct ls_opts *o, char **ops, int n, struct ls_ent **files, size_t *nf,
			struct ls_ent **dirs, size_t *nd)
{
	size_t fcap = 0, dcap = 0;

	for (int i = 0; i < n; i++) {
		struct stat st;
		if (stat(ops[i], &st) != 0 && lstat(ops[i], &st) != 0) {
			msg_errno(o->name, "%s", ops[i]);
			o->status = 1;
			continue;
		}
		bool dir = S_ISDIR(st.st_mode) && !o->dirs_as_files;
		if (dir ? !ls_add(dirs, nd, &dcap, ops[i], ops[i])
			: !ls_add(files, nf, &fcap, ops[i], ops[i]))
			o->status = 1;
		else if (dir)
			(*dirs)[*nd - 1].st = st;
	}
}

int cmd_ls(int argc, char **argv)
{
	struct ls_opts o = { .name = argv[0], .now = time(NULL) };
	struct ls_ent *files = NULL, *dirs = NULL;
	size_t nf = 0, nd = 0;
	static char *dot[] = { ".", NULL };
	struct opt op;
	int c, n;

	o.format = isatty(1) ? LS_COLUMNS : LS_ONE;
	opt_init(&op, argc, argv, "1aACdFhlnpRrtw:", "[-1aACdFhlnpRrt] [-w WIDTH] [FILE]...");
	while ((c = opt_next(&op)) != -1)
		if (c == '?' || !ls_option(&o, c, op.arg))
			return 1;
	char **ops = opt_operands(&op, &n);
	if (n == 0) {
		ops = dot;
		n = 1;
	}
	ls_operands(&o, ops, n, &files, &nf, &dirs, &nd);
	ls_sort(files, nf, &o);
	ls_sort(dirs, nd, &o);
	ls_print(&o, files, nf);
	for (size_t i = 0; i < nd; i++)
		ls_dir(&o, dirs[i].path, nf + nd > 1 || o.recursive || o.status);
	ls_free(files, nf);
	ls_free(dirs, nd);
	return o.status;
}
