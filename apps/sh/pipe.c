/*
 * pipe.c - pipelines: every stage is its own process, connected by pipes
 * that the shell creates but never reads, so data streams from stage to
 * stage.  A program is spawned directly; any other stage (builtin,
 * function, compound command) runs in a child shell.
 */
#define _DEFAULT_SOURCE 1
#include <string.h>
#include <unistd.h>

#include "exec.h"

/* Starts one stage with the shell's descriptors 0 and 1 already pointing
 * at its pipes.  Returns 0 and *pid, or a status after a message. */
static int start_stage(struct shell *sh, struct node *cmd, bool bg, pid_t *pid)
{
	int map[OS_MAXFD];

	if (is_direct_command(sh, cmd))
		return start_simple(sh, cmd, bg, pid);
	fdmap_identity(map, OS_MAXFD);
	int err = child_spawn(sh, cmd, map, OS_MAXFD, bg, pid);

	if (err) {
		sh_warn(sh, "cannot start subshell: %s", strerror(err));
		return 2;
	}
	return 0;
}

int exec_pipeline(struct shell *sh, struct node *n, int flags)
{
	int nst = n->u.pipe.n, npids = 0, prev = -1, last_status = 0;
	bool bg = (flags & EV_BG) != 0;
	pid_t *pids = arena_alloc(&sh->scratch, sizeof(*pids) * (size_t)nst);
	pid_t lastpid = 0;

	out_flush(sh);
	for (int i = 0; i < nst; i++) {
		int p[2] = { -1, -1 };

		if (i < nst - 1 && os_pipe(p) != 0) {
			sh_warn(sh, "cannot create pipe");
			last_status = 2;
			break;
		}
		redir_push(sh);
		if (prev >= 0)
			redir_dup_into(sh, prev, 0);
		if (p[1] >= 0)
			redir_dup_into(sh, p[1], 1);
		pid_t pid = 0;
		int st = start_stage(sh, n->u.pipe.cmds[i], bg, &pid);

		redir_pop(sh);
		if (prev >= 0)
			close(prev);
		if (p[1] >= 0)
			close(p[1]);
		prev = p[0];
		if (st == 0)
			pids[npids++] = lastpid = pid;
		if (i == nst - 1)
			last_status = st;
	}
	if (prev >= 0)
		close(prev);
	if (bg) {
		if (npids)
			job_new(sh, pids, npids, NULL, true);
		sh->lastbg = lastpid;
		return 0;
	}
	if (!npids)
		return last_status;
	int status = job_foreground(sh, pids, npids, n, NULL);

	return last_status ? last_status : status;
}
