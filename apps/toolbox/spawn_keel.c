/*
 * spawn_keel.c - the toolbox's Keel-only parts: tb_spawn over the C
 * library's posix_spawnp, which asks initd through the launch capability
 * (docs/launch.md); `poweroff` and `reboot`, which ask initd to shut down
 * (and power off or reset) through the power capability (the program
 * must have been given one); and the table of Keel's own commands.
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

/* poweroff and reboot: no operands; ask initd through the power
 * capability with ask (launch_shutdown or launch_reboot). */
static int power_request(int argc, char **argv, status_t (*ask)(cap_handle_t))
{
	cap_handle_t power = launch_cap(keel_start_page(), "power");
	if (argc > 1) {
		msg_usage(argv[0], "");
		return 2;
	}
	if (power == CAP_HANDLE_NONE) {
		msg(argv[0], "no power capability");
		return 1;
	}
	fflush(stdout);
	status_t st = ask(power);
	if (st) {
		msg(argv[0], "%s", status_message(st));
		return 1;
	}
	return 0;
}

int tb_poweroff(int argc, char **argv)
{
	return power_request(argc, argv, launch_shutdown);
}

int tb_reboot(int argc, char **argv)
{
	return power_request(argc, argv, launch_reboot);
}
