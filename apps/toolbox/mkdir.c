/*
 * mkdir.c - make directories (busybox's mkdir): -p makes parents and
 * accepts existing directories, -m MODE takes an octal mode (on Keel only
 * the write bits matter: FAT has read-only or not).
 */
#include "toolbox.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Makes every missing directory along path; on failure reports the prefix
 * that failed, with its trailing slash, as busybox does. */
static int mkdir_parents(const char *name, char *path, mode_t mode)
{
	struct stat st;
	size_t len = strlen(path);

	for (size_t i = 1; i <= len; i++) {
		if (i < len && (path[i] != '/' || path[i - 1] == '/'))
			continue;
		char save = path[i < len ? i + 1 : i];
		path[i < len ? i + 1 : i] = '\0';
		int r = mkdir(path, mode);
		if (r != 0 && errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			r = 0;
		else if (r != 0 && errno == EEXIST)
			errno = ENOTDIR;
		if (r != 0) {
			msg_errno(name, "can't create directory '%s'", path);
			return 1;
		}
		path[i < len ? i + 1 : i] = save;
	}
	return 0;
}

/* Parses an octal mode of at most four digits. */
static bool mkdir_mode(const char *s, mode_t *mode)
{
	char *end;
	unsigned long v = strtoul(s, &end, 8);

	if (!*s || *end || v > 07777)
		return false;
	*mode = (mode_t)v;
	return true;
}

int cmd_mkdir(int argc, char **argv)
{
	bool parents = false;
	mode_t mode = 0777;
	struct opt o;
	int c, n, st = 0;

	opt_init(&o, argc, argv, "pm:", "[-p] [-m MODE] DIRECTORY...");
	while ((c = opt_next(&o)) != -1) {
		if (c == '?')
			return 1;
		if (c == 'p')
			parents = true;
		if (c == 'm' && !mkdir_mode(o.arg, &mode)) {
			msg(argv[0], "invalid mode '%s'", o.arg);
			return 1;
		}
	}
	char **ops = opt_operands(&o, &n);
	if (n == 0) {
		msg_usage(argv[0], o.usage);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		if (parents) {
			st |= mkdir_parents(argv[0], ops[i], mode);
		} else if (mkdir(ops[i], mode) != 0) {
			msg_errno(argv[0], "can't create directory '%s'", ops[i]);
			st = 1;
		}
	}
	return st;
}
