/*
 * child.c - child shells, the stand-in for fork().
 *
 * The parent spawns os_shell_path() with argv {"sh", CHILD_FLAG, "63"} and
 * the state pipe's read end as the child's descriptor 63, writes the
 * encoded state, and closes the pipe; the child reads to end of file
 * before doing anything else, so the parent's write cannot deadlock.
 * The child runs the tree and exits with its status: traps other than
 * ignored ones are reset, $$ keeps the parent's value.
 */
#define _DEFAULT_SOURCE 1
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec.h"

#define STATE_FD (OS_MAXFD - 1)

int child_spawn(struct shell *sh, struct node *n, const int *fdmap, int nfd, bool bg, pid_t *pid)
{
	int map[OS_MAXFD], p[2];
	struct strbuf b;
	char fdarg[16];

	out_flush(sh);
	for (int i = 0; i < OS_MAXFD; i++)
		map[i] = i < nfd ? fdmap[i] : -1;
	int err = os_pipe(p);

	if (err)
		return err;
	map[STATE_FD] = p[0];
	snprintf(fdarg, sizeof(fdarg), "%d", STATE_FD);
	char *argv[] = { (char *)"sh", (char *)CHILD_FLAG, fdarg, NULL };
	char **envp = var_environ(sh, &sh->scratch);
	struct os_spawn_req req = { os_shell_path(), argv, envp, NULL, map, OS_MAXFD, bg };

	err = os_spawn(&req, pid);
	close(p[0]);
	if (err) {
		close(p[1]);
		return err;
	}
	sb_init(&b);
	serial_state(sh, n, &b);
	os_pipe_write(p[1], b.s, b.len);
	close(p[1]);
	sb_free(&b);
	return 0;
}

static char *read_all(int fd, size_t *len)
{
	struct strbuf b;
	char buf[8192];

	sb_init(&b);
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		sb_put(&b, buf, (size_t)n);
	}
	*len = b.len;
	return b.s ? b.s : xstrdup("");
}

_Noreturn void child_main(struct shell *sh, int fd)
{
	size_t len;
	char *buf = read_all(fd, &len);
	struct arena a;
	const char *err;
	struct catch_point cp;

	close(fd);
	arena_init(&a);
	struct node *n = deserial_state(sh, buf, len, &a, &err);

	if (err) {
		/* a parent killed while writing leaves a truncated state */
		if (!serial_complete(buf, len))
			exit(2);
		sh_warn_cmd(sh, "child shell: %s", err);
		exit(2);
	}
	free(buf);
	sh->child = true;
	sh->interactive = false;
	sh->opt[OPT_i] = false;
	for (int sig = 1; sig < 65; sig++)
		if (sh->traps[sig])
			os_signal_mode(sig, 2);
	catch_push(sh, &cp);
	if (setjmp(cp.jb)) {
		catch_unwind(sh, &cp);
		sh_finish(sh, sh->exc_status);
	}
	int status = exec_node(sh, n, 0);

	catch_pop(sh, &cp);
	sh_finish(sh, status);
}
