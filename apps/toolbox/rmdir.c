/*
 * rmdir.c - remove empty directories (busybox's rmdir); -p also removes
 * each parent named in the path, stopping at the first that fails.
 */
#include "toolbox.h"

#include <string.h>
#include <unistd.h>

/* Strips trailing slashes (keeping a lone "/"). */
static void rmdir_trim(char *p)
{
	size_t n = strlen(p);

	while (n > 1 && p[n - 1] == '/')
		p[--n] = '\0';
}

/* Removes path and, with parents, its ancestors; 0 or 1. */
static int rmdir_one(const char *name, char *path, bool parents)
{
	for (;;) {
		rmdir_trim(path);
		if (rmdir(path) != 0) {
			msg_errno(name, "'%s'", path);
			return 1;
		}
		char *slash = strrchr(path, '/');
		if (!parents || !slash || slash == path)
			return 0;
		*slash = '\0';
	}
}

int cmd_rmdir(int argc, char **argv)
{
	bool parents = false;
	struct opt o;
	int c, n, st = 0;

	opt_init(&o, argc, argv, "p", "[-p] DIRECTORY...");
	while ((c = opt_next(&o)) != -1) {
		if (c == '?')
			return 1;
		parents = true;
	}
	char **ops = opt_operands(&o, &n);
	if (n == 0) {
		msg_usage(argv[0], o.usage);
		return 1;
	}
	for (int i = 0; i < n; i++)
		st |= rmdir_one(argv[0], ops[i], parents);
	return st;
}
