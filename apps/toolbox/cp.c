/*
 * cp.c - copy files and trees (busybox's cp): -r/-R copies directories,
 * -f removes a destination that cannot be opened and tries again, -p keeps
 * the mode and times. A directory is never copied into itself: unlike
 * busybox, which copies part of the tree and reports the recursion, the
 * copy is refused before anything is written. Symbolic links are copied
 * as what they point to (Keel's FAT has none).
 */
#include "toolbox.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Copies the bytes, mode and (with -p) times of regular file src to dst. */
static int copy_file(const struct copy_opts *co, const char *src, const struct stat *sst,
		     const char *dst)
{
	struct stat dst_st;

	if (stat(dst, &dst_st) == 0 && dst_st.st_dev == sst->st_dev &&
	    dst_st.st_ino == sst->st_ino) {
		msg(co->name, "'%s' and '%s' are the same file", src, dst);
		return 1;
	}
	int in = open(src, O_RDONLY);
	if (in < 0) {
		msg_errno(co->name, "can't open '%s'", src);
		return 1;
	}
	int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, sst->st_mode & 0777);
	if (out < 0 && co->force && unlink(dst) == 0)
		out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, sst->st_mode & 0777);
	if (out < 0) {
		msg_errno(co->name, "can't create '%s'", dst);
		close(in);
		return 1;
	}
	int r = copy_fd(in, out);
	if (r != 0)
		msg_errno(co->name, r == -1 ? "error reading '%s'" : "error writing '%s'",
			  r == -1 ? src : dst);
	if (co->preserve) {
		struct timespec ts[2] = { sst->st_atim, sst->st_mtim };
		fchmod(out, sst->st_mode & 07777);
		futimens(out, ts);
	}
	close(in);
	if (close(out) != 0 && r == 0) {
		msg_errno(co->name, "error writing '%s'", dst);
		r = -2;
	}
	return r != 0;
}

struct copy_walk {
	const struct copy_opts *co;
	size_t src_len;
	const char *dst;
	int status;
};

/* Makes the directory target for the walk, accepting an existing one. */
static int copy_mkdir(const struct copy_opts *co, const char *target, const struct stat *st)
{
	struct stat tst;

	if (mkdir(target, (st->st_mode & 0777) | 0700) == 0)
		return 0;
	if (errno == EEXIST && stat(target, &tst) == 0 && S_ISDIR(tst.st_mode))
		return 0;
	msg_errno(co->name, "can't create directory '%s'", target);
	return 1;
}

/* One entry of a recursive copy: path below the source root goes to the
 * same place below the destination. */
static int copy_visit(void *ctx, const char *path, const struct stat *st, enum walk_kind kind,
		      int depth)
{
	struct copy_walk *w = ctx;
	char *target = tb_path_join(w->dst, path + w->src_len + (depth > 0));
	(void)depth;

	if (!target)
		return -1;
	int r = 0;
	if (kind == WALK_ERROR) {
		msg_errno(w->co->name, "can't stat '%s'", path);
		w->status = 1;
	} else if (kind == WALK_DIR_PRE && copy_mkdir(w->co, target, st) != 0) {
		w->status = 1;
		r = 1;
	} else if (kind == WALK_DIR_POST) {
		struct timespec ts[2] = { st->st_atim, st->st_mtim };
		chmod(target, st->st_mode & 07777);
		if (w->co->preserve)
			utimensat(AT_FDCWD, target, ts, 0);
	} else if (kind == WALK_FILE) {
		w->status |= copy_file(w->co, path, st, target);
	}
	free(target);
	return r;
}

/* True when the (possibly new) path dst lies inside or is directory src. */
static bool copy_into_itself(const char *src, const char *dst)
{
	char sreal[PATH_MAX], dreal[PATH_MAX], *parent = strdup(dst);
	bool inside = false;

	if (!parent || !realpath(src, sreal)) {
		free(parent);
		return false;
	}
	char *slash = strrchr(parent, '/');
	const char *base = slash ? slash + 1 : dst;
	if (slash)
		*slash = '\0';
	if (realpath(slash ? (*parent ? parent : "/") : ".", dreal)) {
		size_t dl = strlen(dreal), sl = strlen(sreal);
		snprintf(dreal + dl, sizeof(dreal) - dl, "%s%s", dl > 1 ? "/" : "", base);
		inside = strncmp(dreal, sreal, sl) == 0 && (dreal[sl] == '/' || dreal[sl] == '\0');
	}
	free(parent);
	return inside;
}

/* Copies src to dst as cp does; 0 or 1. */
int copy_path(const struct copy_opts *co, const char *src, const char *dst)
{
	struct stat st;

	if (stat(src, &st) != 0) {
		msg_errno(co->name, "can't stat '%s'", src);
		return 1;
	}
	if (!S_ISDIR(st.st_mode))
		return copy_file(co, src, &st, dst);
	if (!co->recursive) {
		msg(co->name, "omitting directory '%s'", src);
		return 1;
	}
	if (copy_into_itself(src, dst)) {
		msg(co->name, "can't copy directory '%s' into itself, '%s'", src, dst);
		return 1;
	}
	struct copy_walk w = { .co = co, .src_len = strlen(src), .dst = dst };
	walk_tree(src, copy_visit, &w, true);
	return w.status;
}

/* The destination of src: dst itself, or dst/BASE when into_dir. Trailing
 * slashes of src are removed in place. */
char *copy_target(char *src, const char *dst, bool into_dir)
{
	size_t n = strlen(src);

	while (n > 1 && src[n - 1] == '/')
		src[--n] = '\0';
	return into_dir ? tb_path_join(dst, path_base(src)) : strdup(dst);
}

int cmd_cp(int argc, char **argv)
{
	struct copy_opts co = { .name = argv[0] };
	struct stat st;
	struct opt o;
	int c, n, status = 0;

	opt_init(&o, argc, argv, "rRfpa", "[-rfp] SOURCE... DEST");
	while ((c = opt_next(&o)) != -1) {
		if (c == '?')
			return 1;
		co.recursive |= c == 'r' || c == 'R' || c == 'a';
		co.force |= c == 'f';
		co.preserve |= c == 'p' || c == 'a';
	}
	char **ops = opt_operands(&o, &n);
	if (n < 2) {
		msg_usage(argv[0], o.usage);
		return 1;
	}
	const char *dst = ops[n - 1];
	bool into_dir = n > 2 || (stat(dst, &st) == 0 && S_ISDIR(st.st_mode));
	for (int i = 0; i < n - 1; i++) {
		char *target = copy_target(ops[i], dst, into_dir);
		status |= target ? copy_path(&co, ops[i], target) : 1;
		free(target);
	}
	return status;
}
