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
 *                   Before, it appends "child K" to descriptor 3, the
 *                   file /vfsleak/passed.txt its launcher passed it.
 *
 * Each child holds FILES + 2 records (its files, the C library's
 * duplicate of its root, and the passed file's duplicate): without
 * sessions vfsd's table of 256 would be full after some 40 children and
 * their opens would fail. The passed file's duplicate belongs to the
 * launcher's session; its wait4 closes it once the child has ended.
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

#define LINE_BYTES 12 /* "child %5d\n" */

static int child(int k)
{
	char path[64];
	snprintf(path, sizeof path, "child %5d\n", k);
	if (write(3, path, LINE_BYTES) != LINE_BYTES)
		return 4; /* the passed file is not there */
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

/* Runs one child with file fd as its descriptor 3; 0 if it ended as it
 * should. */
static int run(int k, int fd)
{
	char arg[16];
	char *argv[] = { "vfsleak", "child", arg, NULL };
	pid_t pid;
	int status;
	posix_spawn_file_actions_t fa;
	snprintf(arg, sizeof arg, "%d", k);
	if (posix_spawn_file_actions_init(&fa) || posix_spawn_file_actions_adddup2(&fa, fd, 3))
		return -1;
	int r = posix_spawn(&pid, "/bundle/vfsleak", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (r || waitpid(pid, &status, 0) != pid)
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
	int fd = -1;
	if (n <= 0 || (mkdir("/vfsleak", 0755) && access("/vfsleak", F_OK)) ||
	    (fd = open("/vfsleak/passed.txt", O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644)) < 0 ||
	    stats(&before)) {
		printf("vfsleak: FAIL cannot start\n");
		return 1;
	}
	for (int k = 0; k < n; k++)
		if (run(k, fd) && bad++ < 3)
			printf("vfsleak: FAIL child %d\n", k);
	struct stat st;
	if (fstat(fd, &st) || st.st_size != (off_t)n * LINE_BYTES) {
		printf("vfsleak: FAIL the passed file holds %lld bytes, not %d\n",
		       (long long)st.st_size, n * LINE_BYTES);
		bad++;
	}
	if (stats(&after)) {
		printf("vfsleak: FAIL no counts after\n");
		return 1;
	}
	close(fd); /* after the counts: it was open before too */
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
