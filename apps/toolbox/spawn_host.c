/*
 * spawn_host.c - tb_spawn on a POSIX host, with posix_spawnp. On Keel the
 * launcher provides its own tb_spawn in place of this file.
 */
#include "toolbox.h"

#include <errno.h>
#include <spawn.h>
#include <sys/wait.h>

int tb_spawn(char *const argv[], char *const envp[])
{
	pid_t pid;
	int st, e = posix_spawnp(&pid, argv[0], NULL, NULL, argv, envp);

	if (e != 0) {
		errno = e;
		return -1;
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return 128 + WTERMSIG(st);
}

/* Keel's own commands need Keel: none on a host. */
const struct tb_command tb_platform[] = { { NULL, NULL } };
