/*
 * rm.c - remove files (busybox's rm): -f ignores missing files and never
 * asks, -r/-R removes directories and their contents, -i asks before each
 * removal on standard error and reads the answer from standard input;
 * without -f a file that cannot be written is asked about too, when
 * standard input is a terminal.
 * "." and ".." (as last component) are refused.
 */
#include "toolbox.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

struct rm_opts {
	const char *name;
	bool force, recursive, interactive;
	int status;
};

/* Asks "NAME: QUESTION 'path'? " and returns true on an answer of y/Y. */
static bool rm_ask(const char *name, const char *question, const char *path)
{
	struct line l = { 0 };

	fprintf(stderr, "%s: %s '%s'? ", name, question, path);
	bool yes = line_read(&l, stdin, '\n') > 0 && (l.buf[0] == 'y' || l.buf[0] == 'Y');
	line_free(&l);
	return yes;
}

/* Removes one entry met by the walk (directories after their contents). */
static int rm_visit(void *ctx, const char *path, const struct stat *st, enum walk_kind kind,
		    int depth)
{
	struct rm_opts *r = ctx;
	(void)depth;

	if (kind == WALK_ERROR) {
		if (!(r->force && errno == ENOENT)) {
			msg_errno(r->name, "can't remove '%s'", path);
			r->status = 1;
		}
		return 0;
	}
	/* As busybox: without -f, what cannot be written (a read-only file,
	 * chmod a-w) is asked about when a person is at standard input. */
	bool guarded = !r->force && !S_ISLNK(st->st_mode) && access(path, W_OK) != 0 && isatty(0);
	if (kind == WALK_DIR_PRE)
		return (r->interactive || guarded) &&
		       !rm_ask(r->name, "descend into directory", path);
	if (kind == WALK_DIR_POST && r->interactive && !rm_ask(r->name, "remove directory", path))
		return 0;
	if (kind == WALK_FILE && (r->interactive || guarded) && !rm_ask(r->name, "remove", path))
		return 0;
	if ((kind == WALK_DIR_POST ? rmdir(path) : unlink(path)) != 0) {
		msg_errno(r->name, "can't remove '%s'", path);
		r->status = 1;
	}
	return 0;
}

/* True when the last component of path is "." or "..". */
static bool rm_dots(const char *path)
{
	size_t n = strlen(path);

	while (n > 1 && path[n - 1] == '/')
		n--;
	size_t b = n;
	while (b > 0 && path[b - 1] != '/')
		b--;
	return (n - b == 1 && path[b] == '.') ||
	       (n - b == 2 && path[b] == '.' && path[b + 1] == '.');
}

/* Removes one operand; errors counted in r->status. */
static void rm_one(struct rm_opts *r, const char *path)
{
	struct stat st;

	if (rm_dots(path)) {
		msg(r->name, "can't remove '.' or '..'");
		r->status = 1;
		return;
	}
	if (lstat(path, &st) != 0) {
		if (!(r->force && errno == ENOENT)) {
			msg_errno(r->name, "can't remove '%s'", path);
			r->status = 1;
		}
		return;
	}
	if (S_ISDIR(st.st_mode) && !r->recursive) {
		msg(r->name, "'%s' is a directory", path);
		r->status = 1;
		return;
	}
	walk_tree(path, rm_visit, r, false);
}

/* Removes the tree at path for mv; 0 or 1. */
int remove_tree(const char *name, const char *path, bool quiet_missing)
{
	struct rm_opts r = { .name = name, .force = quiet_missing, .recursive = true };

	rm_one(&r, path);
	return r.status;
}

int cmd_rm(int argc, char **argv)
{
	struct rm_opts r = { .name = argv[0] };
	struct opt o;
	int c, n;

	opt_init(&o, argc, argv, "fiRr", "[-irf] FILE...");
	while ((c = opt_next(&o)) != -1) {
		if (c == '?')
			return 1;
		if (c == 'f' || c == 'i') {
			r.force = c == 'f';
			r.interactive = c == 'i';
		}
		if (c == 'r' || c == 'R')
			r.recursive = true;
	}
	char **ops = opt_operands(&o, &n);
	if (n == 0 && !r.force) {
		msg_usage(argv[0], o.usage);
		return 1;
	}
	for (int i = 0; i < n; i++)
		rm_one(&r, ops[i]);
	return r.status;
}
