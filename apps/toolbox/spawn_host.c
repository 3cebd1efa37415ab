/*
 * spawn_host.c - the toolbox's host-only parts: tb_spawn with
 * posix_spawnp, and the mount table from /proc/mounts as busybox reads it.
 * On Keel, spawn_keel.c stands in place of this file.
 */
#include "toolbox.h"

#include <errno.h>
#include <mntent.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
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

static struct tb_mount *mounts;
static size_t mounts_count;

static void mounts_free(void)
{
	for (size_t i = 0; i < mounts_count; i++) {
		free((char *)mounts[i].fsname);
		free((char *)mounts[i].dir);
		free((char *)mounts[i].type);
	}
	free(mounts);
	mounts = NULL;
	mounts_count = 0;
}

const struct tb_mount *tb_mounts(void)
{
	FILE *f = setmntent("/proc/mounts", "r");
	struct mntent *e;
	size_t cap = 0;
	mounts_free();
	if (!f)
		return NULL;
	while ((e = getmntent(f))) {
		if (mounts_count + 2 > cap) {
			cap = cap ? cap * 2 : 32;
			struct tb_mount *more = realloc(mounts, cap * sizeof *more);
			if (!more)
				break;
			mounts = more;
		}
		mounts[mounts_count++] = (struct tb_mount){ strdup(e->mnt_fsname),
							    strdup(e->mnt_dir),
							    strdup(e->mnt_type) };
	}
	endmntent(f);
	if (!mounts && !(mounts = calloc(1, sizeof *mounts)))
		return NULL;
	mounts[mounts_count] = (struct tb_mount){ NULL, NULL, NULL };
	return mounts;
}

/* The first mount, in the table's order, named by path (its directory or
 * its device), or whose device is path's file system's - found by the
 * device file's number or the mount directory's (busybox's rule). */
const struct tb_mount *tb_mount_of(const char *path, const struct stat *st)
{
	const struct tb_mount *m = tb_mounts();
	struct stat s;
	dev_t dev = S_ISBLK(st->st_mode) || S_ISCHR(st->st_mode) ? st->st_rdev : st->st_dev;
	for (; m && m->dir; m++) {
		if (!strcmp(m->fsname, "rootfs"))
			continue;
		if (!strcmp(path, m->dir) || !strcmp(path, m->fsname))
			return m;
		if (m->fsname[0] == '/' && stat(m->fsname, &s) == 0 && s.st_rdev == dev)
			return m;
		if (stat(m->dir, &s) == 0 && s.st_dev == dev)
			return m;
	}
	return NULL;
}
