/*
 * env.c - print the environment, or run a program in a changed one
 * (busybox's env): -i (or "-") starts empty, -u NAME removes a variable,
 * NAME=VALUE words set them, -0 ends printed entries with NUL. Running a
 * program goes through tb_spawn, the toolbox's one way to start another
 * program (posix_spawn on a host, Keel's launcher on Keel); its status is
 * env's, 127 when it could not be found, 126 when it could not run.
 */
#include "toolbox.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

/* Removes NAME (or NAME=...) from the array env of n entries. */
static void env_unset(char **env, size_t *n, const char *name, size_t len)
{
	for (size_t i = 0; i < *n;) {
		if (strncmp(env[i], name, len) == 0 && env[i][len] == '=') {
			memmove(env + i, env + i + 1, (*n - i) * sizeof(*env));
			(*n)--;
		} else {
			i++;
		}
	}
}

/* Prints env, or runs the program argv[0..n) in it; the exit status. */
static int env_run(const char *name, char **argv, int n, char **env, bool nul)
{
	if (n == 0) {
		for (size_t k = 0; env[k]; k++)
			printf("%s%c", env[k], nul ? '\0' : '\n');
		return 0;
	}
	fflush(stdout);
	int r = tb_spawn(argv, env);
	if (r < 0) {
		int e = errno;
		msg_errno(name, "can't execute '%s'", argv[0]);
		r = e == ENOENT ? 127 : 126;
	}
	return r;
}

int cmd_env(int argc, char **argv)
{
	bool empty = false, nul = false;
	size_t n = 0, cap = 1;
	struct opt o;
	int c, nops;

	for (char **e = environ; *e; e++)
		cap++;
	char **env = calloc(cap + (size_t)argc, sizeof(*env));
	const char **unset = calloc((size_t)argc + 1, sizeof(*unset));
	size_t nunset = 0;
	if (!env || !unset) {
		free(env);
		free(unset);
		return 125;
	}
	opt_init(&o, argc, argv, "+iu:0", "[-i0] [-u NAME]... [-] [NAME=VALUE]... [PROG ARGS]");
	while ((c = opt_next(&o)) != -1) {
		if (c == '?') {
			free(env);
			free(unset);
			return 1;
		}
		if (c == 'u')
			unset[nunset++] = o.arg;
		empty |= c == 'i';
		nul |= c == '0';
	}
	char **ops = opt_operands(&o, &nops);
	if (nops > 0 && strcmp(ops[0], "-") == 0) {
		empty = true;
		ops++;
		nops--;
	}
	for (char **e = environ; !empty && *e; e++)
		env[n++] = *e;
	for (size_t k = 0; k < nunset; k++)
		env_unset(env, &n, unset[k], strlen(unset[k]));
	free(unset);
	int i = 0;
	for (; i < nops && strchr(ops[i], '='); i++) {
		env_unset(env, &n, ops[i], (size_t)(strchr(ops[i], '=') - ops[i]));
		env[n++] = ops[i];
	}
	env[n] = NULL;
	int r = env_run(argv[0], ops + i, nops - i, env, nul);
	free(env);
	return r;
}
