/*
 * mv.c - move files (busybox's mv): rename, replacing an existing file;
 * into a directory when the destination is one; across file systems by
 * copying and removing. -f never asks, -i asks before replacing, -n never
 * replaces.
 */
#include "toolbox.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

/* Moves one source; mode is 'f', 'i' or 'n'. */
static int mv_one(const char *name, int mode, const char *src, const char *dst)
{
	struct stat st;
	struct line l = { 0 };

	if (mode != 'f' && lstat(dst, &st) == 0) {
		if (mode == 'n')
			return 0;
		fprintf(stderr, "%s: overwrite '%s'? ", name, dst);
		bool yes = line_read(&l, stdin, '\n') > 0 && (l.buf[0] == 'y' || l.buf[0] == 'Y');
		line_free(&l);
		if (!yes)
			return 0;
	}
	if (rename(src, dst) == 0)
		return 0;
	if (errno != EXDEV) {
		msg_errno(name, "can't rename '%s'", src);
		return 1;
	}
	struct copy_opts co = { .name = name, .recursive = true, .force = true, .preserve = true };
	if (copy_path(&co, src, dst) != 0)
		return 1;
	return remove_tree(name, src, false);
}

int cmd_mv(int argc, char **argv)
{
	struct stat st;
	struct opt o;
	int c, n, status = 0, mode = 'f';

	opt_init(&o, argc, argv, "fin", "[-fin] SOURCE... DEST");
	while ((c = opt_next(&o)) != -1) {
		if (c == '?')
			return 1;
		mode = c;
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
		status |= target ? mv_one(argv[0], mode, ops[i], target) : 1;
		free(target);
	}
	return status;
}
