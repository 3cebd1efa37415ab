/*
 * vfsleak.c - do the records of apps that die holding files come back?
 *
 *   vfsleak N       launches "vfsleak child K" N times, one after the
 *                   other, and compares vfsd's counts (VFS_STATS on its
 *                   own root) before and after; prints
 *                   "vfsleak: N launches: records B before, A after" and
 *                   "vfsleak: ok" or "vfsleak: FAIL ...".
 *   vfsleak child K opens FILES files below /vfsleak and never closes
 *                   them: an even K ends with _exit (which skips the C
 *                   library's closing of descriptors), an odd K crashes.
 *
 * Each child holds FILES + 1 records (its files and the C library's
 * duplicate of its root): without sessions vfsd's table of 256 would be
 * full after some 40 children and their opens would fail.
 */
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "keel/launch.h"
#include "keel/sys.h"
#include "keel/vfs.h"

#define FILES 5

extern char **environ;

static int child(int k)
{
	char path[64];
	for (int i = 0; i < FILES; i++) {
		snprintf(path, sizeof path, "/vfsleak/%d.txt", i);
		if (open(path, O_RDWR | O_CREAT, 0644) < 0)
			return 3; /* vfsd refused: its table is full */
	}
	if (k % 2)
		return *(volatile int *)(uintptr_t)k; /* a page fault at a low address */
	_exit(0);
}

static int stats(struct vfs_stats *out)
{
	struct vfs_client c = { .timeout = 5000000000ull };
	cap_handle_t root = launch_cap(keel_start_page(), "root");
	return root == CAP_HANDLE_NONE ? -1 : vfs_stats(&c, root, out) ? -1 : 0;
}

/* Runs one child; 0 if it ended as it should. */
static int run(int k)
{
	char arg[16];
	char *argv[] = { "vfsleak", "child", arg, NULL };
	pid_t pid;
	int status;
	snprintf(arg, sizeof arg, "%d", k);
	if (posix_spawn(&pid, "/bundle/vfsleak", NULL, NULL, argv, environ) ||
	    waitpid(pid, &status, 0) != pid)
		return -1;
	if (k % 2)
		return WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV ? 0 : -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct vfs_stats before, after;
	int n = argc > 1 ? atoi(argv[1]) : 0, bad = 0;
	if (argc > 2 && !strcmp(argv[1], "child"))
		return child(atoi(argv[2]));
	if (n <= 0 || (mkdir("/vfsleak", 0755) && access("/vfsleak", F_OK)) || stats(&before)) {
		printf("vfsleak: FAIL cannot start\n");
		return 1;
	}
	for (int k = 0; k < n; k++)
		if (run(k) && bad++ < 3)
			printf("vfsleak: FAIL child %d\n", k);
	if (stats(&after)) {
		printf("vfsleak: FAIL no counts after\n");
		return 1;
	}
	/* On the debug console too: what the test reads, whatever the terminal does. */
	keel_print(keel_start_page()->witness,
		   "vfsleak: %d launches: records %u before, %u after, %u sessions, %lu freed\n", n,
		   before.records, after.records, after.sessions, (unsigned long)after.ended);
	printf("vfsleak: %d launches: records %u before, %u after, %u sessions, %llu freed\n", n,
	       before.records, after.records, after.sessions, (unsigned long long)after.ended);
	if (bad || after.records != before.records || after.sessions != before.sessions) {
		printf("vfsleak: FAIL %d children failed\n", bad);
		return 1;
	}
	printf("vfsleak: ok\n");
	return 0;
}
