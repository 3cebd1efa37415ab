/*
 * spawn_keel.c - the toolbox's Keel-only parts: tb_spawn over the C
 * library's posix_spawnp, which asks initd through the launch capability
 * (docs/launch.md); `poweroff` and `reboot`, which ask initd to shut down
 * (and power off or reset) through the power capability (the program
 * must have been given one); the table of Keel's own commands; and the
 * file systems the C library serves, for df.
 */
#include "toolbox.h"

#include <errno.h>
#include <limits.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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

/* What the C library serves (docs/libc.md, "Paths"): the volume vfsd
 * serves at the root, and its own /dev and /bundle. Longest first is not
 * needed: tb_mount_of takes the longest match. */
static const struct tb_mount keel_mounts[] = { { "vfsd", "/", "vfat" },
					       { "dev", "/dev", "dev" },
					       { "bundle", "/bundle", "bundle" },
					       { NULL, NULL, NULL } };

const struct tb_mount *tb_mounts(void)
{
	return keel_mounts;
}

/* Keel's paths have no links: the mount is the longest whose directory
 * is a prefix of the path made absolute, with "." and ".." taken out. */
const struct tb_mount *tb_mount_of(const char *path, const struct stat *st)
{
	char abs[PATH_MAX], *out = abs;
	(void)st;
	if (path[0] != '/') {
		if (!getcwd(abs, sizeof abs))
			return NULL;
		out = abs + strlen(abs);
	}
	*out = '\0';
	for (const char *p = path; *p;) {
		while (*p == '/')
			p++;
		size_t n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.')) {
			p += n;
			continue;
		}
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			char *slash = strrchr(abs, '/');
			out = slash ? slash : abs;
			*out = '\0';
		} else {
			if ((size_t)(out - abs) + n + 2 > sizeof abs)
				return NULL;
			while (out > abs && out[-1] == '/')
				out--;
			*out++ = '/';
			memcpy(out, p, n);
			out += n;
			*out = '\0';
		}
		p += n;
	}
	const struct tb_mount *best = &keel_mounts[0];
	for (const struct tb_mount *m = keel_mounts + 1; m->dir; m++) {
		size_t n = strlen(m->dir);
		if (!strncmp(abs, m->dir, n) && (abs[n] == '/' || abs[n] == '\0'))
			best = m;
	}
	return best;
}

const struct tb_command tb_platform[] = { { "poweroff", tb_poweroff },
					  { "ps", tb_ps },
					  { "reboot", tb_reboot },
					  { "svc", tb_svc },
					  { "top", tb_top },
					  { "witness", tb_witness },
					  { NULL, NULL } };

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
