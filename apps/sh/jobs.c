/*
 * jobs.c - the table of started processes: foreground waits, background
 * and stopped jobs for jobs/fg/bg/wait/kill, and what an interrupt or a
 * stop typed on the terminal does to the foreground job.
 *
 * The shell has no process groups.  An interrupt kills the foreground job
 * (on Keel the console's controller does, and the job ends with SIGINT);
 * background jobs ignore it until fg.  Ctrl-Z stops the foreground job of
 * an interactive shell: on Keel the console's controller stops it, on the
 * host the shell sends its processes SIGSTOP, counted as the SIGTSTP the
 * terminal would have sent (they start with SIGTSTP ignored).  Only an
 * interactive shell waits for stops (OS_WAIT_STOPS), as dash with job
 * control; a job has stopped when each of its processes has stopped or
 * ended and one has stopped.  The list is in dash's order: stopped jobs
 * first, the last stopped first, then the others, newest first; the first
 * numbered job is the current one (%+), the next the previous one (%-).
 * A job's status is its last process's status, 128+n for a signal or a
 * stop.
 */
#define _DEFAULT_SOURCE 1
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec.h"

int status_from(const struct os_status *st)
{
	if (st->stop)
		return 128 + st->stop;
	return st->sig ? 128 + st->sig : st->code;
}

int job_stop_signal(const struct job *j)
{
	int sig = 0;

	for (int i = 0; i < j->npids; i++) {
		if (j->pids[i] > 0 && !j->st[i].stop)
			return 0;
		if (j->pids[i] > 0)
			sig = j->st[i].stop;
	}
	return sig;
}

/* Puts j where dash keeps it in the list: first when it has stopped (it
 * becomes the current job), otherwise after the stopped jobs. */
static void job_place(struct shell *sh, struct job *j)
{
	struct job **pp;

	for (pp = &sh->jobs; *pp; pp = &(*pp)->next) {
		if (*pp == j) {
			*pp = j->next;
			break;
		}
	}
	pp = &sh->jobs;
	if (!job_stop_signal(j))
		while (*pp && job_stop_signal(*pp))
			pp = &(*pp)->next;
	j->next = *pp;
	*pp = j;
}

/* The lowest job number not in use. */
static int free_job_id(struct shell *sh)
{
	for (int id = 1;; id++) {
		bool used = false;

		for (struct job *j = sh->jobs; j; j = j->next)
			if (j->id == id)
				used = true;
		if (!used)
			return id;
	}
}

struct job *job_new(struct shell *sh, const pid_t *pids, int n, const char *text, bool bg)
{
	struct job *j = xmalloc(sizeof(*j));

	memset(j, 0, sizeof(*j));
	j->id = bg ? free_job_id(sh) : 0;
	j->npids = j->nleft = n;
	j->pids = xmalloc(sizeof(*pids) * (size_t)n);
	memcpy(j->pids, pids, sizeof(*pids) * (size_t)n);
	j->st = xmalloc(sizeof(*j->st) * (size_t)n);
	memset(j->st, 0, sizeof(*j->st) * (size_t)n);
	j->text = xstrdup(text ? text : "");
	j->was_bg = bg;
	if (bg)
		sh->bg_running = true;
	job_place(sh, j);
	return j;
}

/* Makes the text of command n j's text, as `jobs` shows it. */
static void job_text(struct job *j, struct node *n)
{
	struct strbuf b;

	sb_init(&b);
	node_print(&b, n);
	free(j->text);
	j->text = sb_detach(&b);
}

void job_set_text(struct shell *sh, pid_t pid, struct node *n)
{
	for (struct job *j = sh->jobs; j; j = j->next) {
		if (j->npids && j->pids[j->npids - 1] == pid) {
			job_text(j, n);
			return;
		}
	}
}

void job_free(struct shell *sh, struct job *j)
{
	for (struct job **pp = &sh->jobs; *pp; pp = &(*pp)->next) {
		if (*pp == j) {
			*pp = j->next;
			break;
		}
	}
	free(j->pids);
	free(j->st);
	free(j->text);
	free(j->tty);
	free(j);
}

/* Records pid's end or stop in the job that owns it.  A job that has
 * stopped now becomes the current job, to be shown at the next prompt. */
void job_record(struct shell *sh, pid_t pid, const struct os_status *st)
{
	for (struct job *j = sh->jobs; j; j = j->next) {
		for (int i = 0; i < j->npids; i++) {
			if (j->pids[i] != pid)
				continue;
			bool was_stopped = job_stop_signal(j) != 0;

			j->st[i] = *st;
			if (st->stop == SIGSTOP && j->ctrl_z)
				j->st[i].stop = SIGTSTP;
			if (!st->stop) {
				j->pids[i] = -pid;
				if (--j->nleft == 0) {
					j->done = true;
					j->status = status_from(&j->st[j->npids - 1]);
				}
			}
			if (!was_stopped && job_stop_signal(j)) {
				j->notify = true;
				job_place(sh, j);
			}
			return;
		}
	}
}

/* How the shell waits: an interactive shell also for stops. */
static int wait_flags(struct shell *sh, bool block)
{
	return (block ? OS_WAIT_BLOCK : 0) | (sh->interactive ? OS_WAIT_STOPS : 0);
}

/* Collects finished (and stopped) children; with block, waits for one. */
void job_reap(struct shell *sh, bool block)
{
	struct os_status st;
	pid_t r;

	while ((r = os_wait(-1, wait_flags(sh, block), &st)) > 0) {
		job_record(sh, r, &st);
		if (block)
			return;
	}
	if (r < 0 && !block)
		sh->bg_running = false;
}

/* Interrupts the foreground job: SIGINT for processes started in the
 * foreground, SIGTERM for a job brought back with fg (it ignores SIGINT). */
static void job_interrupt(struct job *j)
{
	for (int i = 0; i < j->npids; i++)
		if (j->pids[i] > 0)
			os_kill(j->pids[i], j->was_bg ? SIGTERM : SIGINT);
}

/* Passes Ctrl-Z on to the foreground job (the host): SIGSTOP, which its
 * processes cannot ignore; the stop is then counted as SIGTSTP. */
static void job_stop(struct job *j)
{
	j->ctrl_z = true;
	for (int i = 0; i < j->npids; i++)
		if (j->pids[i] > 0)
			os_kill(j->pids[i], SIGSTOP);
}

void job_continue(struct shell *sh, struct job *j)
{
	free(j->tty); /* fg has given them back; in the background they do not matter */
	j->tty = NULL;
	for (int i = 0; i < j->npids; i++) {
		j->st[i].stop = 0;
		if (j->pids[i] > 0)
			os_kill(j->pids[i], SIGCONT);
	}
	j->ctrl_z = false;
	j->notify = false;
	job_place(sh, j);
}

/* A foreground job that stopped is kept as a stopped job: numbered, with
 * its command's text, shown at the next prompt, and out of the terminal's
 * foreground (on Keel) until fg.  Returns $?: its last process's status
 * (128+n when that one stopped). */
static int job_stopped(struct shell *sh, struct job *j)
{
	if (sh->ed) { /* the terminal's modes: the job's kept, the shell's back */
		free(j->tty);
		j->tty = os_term_stopped(0);
	}
	for (int i = 0; i < j->npids; i++)
		if (j->pids[i] > 0)
			os_background(j->pids[i]);
	if (!j->id)
		j->id = free_job_id(sh);
	if (j->cmd && !*j->text)
		job_text(j, j->cmd);
	j->cmd = NULL;
	sh->bg_running = true;
	return status_from(&j->st[j->npids - 1]);
}

void job_report_signal(struct shell *sh, struct job *j)
{
	struct os_status *st = &j->st[j->npids - 1];

	if (!st->sig || st->sig == SIGINT || st->sig == SIGPIPE)
		return;
	const char *d = os_signal_describe(st->sig);

	if (d && *d)
		out_fmt(sh, 2, "%s%s\n", d, st->core ? " (core dumped)" : "");
	out_flush(sh);
}

/* Waits for every process of a foreground job and frees it; returns its
 * status.  An interrupt kills the job and then unwinds to the prompt.  A
 * stoppable job that stops is kept (job_stopped). */
int job_wait(struct shell *sh, struct job *j)
{
	bool interrupted = false;
	int flags = OS_WAIT_BLOCK | (j->stoppable ? OS_WAIT_STOPS : 0);

	os_stop_typed(); /* a Ctrl-Z typed before the job started is not its */
	while (!j->done && !job_stop_signal(j)) {
		struct os_status st;
		pid_t r = os_wait(-1, flags, &st);

		if (r > 0) {
			job_record(sh, r, &st);
			continue;
		}
		if (r < 0 && errno == EINTR) {
			if (sh->interactive && os_interrupted()) {
				interrupted = true;
				job_interrupt(j);
			}
			if (os_stop_typed() && j->stoppable)
				job_stop(j);
			continue;
		}
		break; /* ECHILD: nothing left to wait for */
	}
	if (!j->done && job_stop_signal(j))
		return job_stopped(sh, j);
	int status = j->done ? j->status : 127;

	if (j->done)
		job_report_signal(sh, j);
	bool sigint = j->done && j->st[j->npids - 1].sig == SIGINT;

	job_free(sh, j);
	if (sh->interactive && (interrupted || sigint || os_interrupted())) {
		sh->exc_status = 130;
		sh->status = status;
		sh_raise(sh, EX_INT);
	}
	return status;
}

int job_foreground(struct shell *sh, const pid_t *pids, int n, struct node *cmd, const char *text)
{
	struct job *j = job_new(sh, pids, n, text, false);

	j->cmd = cmd;
	j->stoppable = sh->interactive;
	return job_wait(sh, j);
}

bool job_stopped_warning(struct shell *sh)
{
	if (sh->job_warning)
		return false;
	for (struct job *j = sh->jobs; j; j = j->next) {
		if (j->id && job_stop_signal(j)) {
			out_str(sh, 2, "You have stopped jobs.\n");
			out_flush(sh);
			sh->job_warning = 2;
			return true;
		}
	}
	return false;
}

void job_hangup(struct shell *sh)
{
	for (struct job *j = sh->jobs; j; j = j->next) {
		if (!job_stop_signal(j))
			continue;
		for (int i = 0; i < j->npids; i++) {
			if (j->pids[i] > 0) {
				os_kill(j->pids[i], SIGHUP);
				os_kill(j->pids[i], SIGCONT);
			}
		}
	}
}

/* The current job ("%+": the last stopped job, or the newest one) or,
 * with second, the one before it ("%-"). */
static struct job *job_current(struct shell *sh, bool second)
{
	struct job *first = NULL;

	for (struct job *j = sh->jobs; j; j = j->next) {
		if (!j->id)
			continue;
		if (!second || first)
			return j;
		first = j;
	}
	return NULL;
}

struct job *job_find(struct shell *sh, const char *spec)
{
	if (!spec || strcmp(spec, "%%") == 0 || strcmp(spec, "%+") == 0 || strcmp(spec, "%") == 0)
		return job_current(sh, false);
	if (strcmp(spec, "%-") == 0)
		return job_current(sh, true);
	if (spec[0] == '%') {
		char *end;
		long id = strtol(spec + 1, &end, 10);

		for (struct job *j = sh->jobs; j; j = j->next) {
			if (j->id && !*end && j->id == id)
				return j;
			if (j->id && *end && strncmp(j->text, spec + 1, strlen(spec + 1)) == 0)
				return j;
		}
		return NULL;
	}
	char *end;
	long pid = strtol(spec, &end, 10);

	if (*end || pid <= 0)
		return NULL;
	for (struct job *j = sh->jobs; j; j = j->next)
		for (int i = 0; i < j->npids; i++)
			if (j->pids[i] == pid || j->pids[i] == -pid)
				return j;
	return NULL;
}

/* A job's line as `jobs` and the notices show it, as dash does:
 * "[1] + Running                    sleep 5"; shown, a stop needs no
 * notice at the prompt. */
void job_print(struct shell *sh, int fd, struct job *j)
{
	char state[32];
	int stop = job_stop_signal(j);
	int sig = j->done && j->status > 128 ? j->status - 128 : stop;
	const char *d = sig ? os_signal_describe(sig) : "";

	if (stop)
		snprintf(state, sizeof(state), "%s", *d ? d : "Stopped");
	else if (!j->done)
		snprintf(state, sizeof(state), "Running");
	else if (sig)
		snprintf(state, sizeof(state), "%s",
			 *d              ? d
			 : sig == SIGINT ? "Interrupt"
					 : "Signal");
	else if (j->status)
		snprintf(state, sizeof(state), "Done(%d)", j->status);
	else
		snprintf(state, sizeof(state), "Done");
	char mark = j == job_current(sh, false) ? '+' : j == job_current(sh, true) ? '-' : ' ';

	out_fmt(sh, fd, "[%d] %c %-26s %s\n", j->id, mark, state, j->text);
	j->notify = false;
}

/* Prints and forgets finished background jobs, and prints jobs that
 * stopped (interactive shells). */
void job_notify(struct shell *sh)
{
	job_reap(sh, false);
	for (struct job *j = sh->jobs, *next; j; j = next) {
		next = j->next;
		if (!j->id || !(j->done || j->notify))
			continue;
		job_print(sh, 2, j);
		if (j->done)
			job_free(sh, j);
	}
	out_flush(sh);
}
