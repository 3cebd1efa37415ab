/*
 * main.c - Keel's POSIX shell.  A child shell (the stand-in for fork) is
 * recognised by its first argument; anything else is an ordinary shell.
 */
#define _DEFAULT_SOURCE 1
#include <stdlib.h>
#include <string.h>

#include "exec.h"

extern char **environ;

int main(int argc, char **argv)
{
	struct shell *sh = xmalloc(sizeof(*sh));

	if (argc >= 3 && strcmp(argv[1], CHILD_FLAG) == 0) {
		shell_init_child(sh);
		child_main(sh, atoi(argv[2]));
	}
	shell_init(sh, argc, argv, environ);
	return shell_main(sh, argc, argv);
}
