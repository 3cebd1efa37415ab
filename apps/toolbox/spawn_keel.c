/*
 * spawn_keel.c - the toolbox's Keel-only parts: tb_spawn over the C
 * library's posix_spawnp, which asks initd through the launch capability
 * (docs/launch.md), and `poweroff`, which asks initd to shut down through
 * the power capability (the program must have been given one).
 */
#include "toolbox.h"

#include <errno.h>
#include <spawn.h>
#include <sys/wait.h>

#include "keel/launch.h"

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

const struct tb_command tb_platform[] = { { "poweroff", tb_poweroff }, { "reboot", tb_reboot },
					  { "svc", tb_svc },           { "top", tb_top },
					  { "witness", tb_witness },   { NULL, NULL } };

int tb_poweroff(int argc, char **argv)
{
	cap_handle_t power = launch_cap(keel_start_page(), "power");
	(void)argc, (void)argv;
	fflush(stdout);
	status_t st = power == CAP_HANDLE_NONE ? STATUS_NO_RIGHTS : launch_shutdown(power);
	if (st) {
		fprintf(stderr, "poweroff: %s\n", status_message(st));
		return 1;
	}
	return 0;
}

int tb_reboot(int argc, char **argv)
{
	(void)argc;
	fprintf(stderr, "%s: not supported yet\n", argv[0]);
	return 1;
}
