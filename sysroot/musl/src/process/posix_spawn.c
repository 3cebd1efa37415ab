/*
 * posix_spawn.c - Keel's replacement for musl's posix_spawn (the seam,
 * docs/libc.md). Keel has no clone-and-exec: a program is started by
 * asking initd through the launch capability (sysroot/keel/spawn.c).
 * posix_spawnp ends here too; a program is found by name either way.
 */
#include <spawn.h>

int __keel_posix_spawn(pid_t *, const char *, const posix_spawn_file_actions_t *,
		       const posix_spawnattr_t *, char *const[], char *const[]);

int posix_spawn(pid_t *restrict res, const char *restrict path,
		const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *restrict attr,
		char *const argv[restrict], char *const envp[restrict])
{
	return __keel_posix_spawn(res, path, fa, attr, argv, envp);
}
