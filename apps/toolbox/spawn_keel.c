/*
 * spawn_keel.c - tb_spawn for Keel until the launcher provides it: Keel
 * has no fork or exec, so starting a program goes through the launcher
 * (initd's launch capability). Until that is wired up, it reports ENOSYS.
 */
#include "toolbox.h"

#include <errno.h>

int tb_spawn(char *const argv[], char *const envp[])
{
	(void)argv;
	(void)envp;
	errno = ENOSYS;
	return -1;
}
