/*
 * jobs.c - the table of started processes: foreground waits, background
 * jobs for jobs/fg/wait, and what an interrupt does to the foreground job.
 *
 * The shell has no process groups and no stopping: an interrupt kills the
 * foreground job (on Keel the console's controller does, and the job ends
 * with SIGINT), background jobs ignore it until fg.  A job's status is its
 * last process's status, 128+n for a signal.
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
	return st->sig ? 128 + st->sig : st->code;
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
	j->next = sh->jobs;
	sh->jobs = j;
	return j;
}

void job_set_text(struct shell *sh, pid_t pid, struct node *n)
{
	for (struct job *j = sh->jobs; j; j = j->next) {
		if (j->npids && j->pids[j->npids - 1] == pid) {
			struct strbuf b;

			sb_init(&b);
			node_print(&b, n);
			free(j->text);
			j->text = sb_detach(&b);
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
	free(j);
}

/* Records the status of pid in whichever job owns it. */
void job_record(struct shell *sh, pid_t pid, const struct os_status *st)
{
	for (struct job *j = sh->jobs; j; j = j->next) {
		for (int i = 0; i < j->npids; i++) {
			if (j->pids[i] != pid)
				continue;
			j->st[i] = *st;
			j->pids[i] = -pid;
			if (--j->nleft == 0) {
				j->done = true;
				j->status = status_from(&j->st[j->npids - 1]);
			}
			return;
		}
	}
}

/* Collects finished children; with block, waits for one. */
void job_reap(struct shell *sh, bool block)
{
	struct os_status st;
	pid_t r;

	while ((r = os_wait(-1, block, &st)) > 0) {
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
 * status.  An interrupt kills the job and then unwinds to the prompt. */
int job_wait(struct shell *sh, struct job *j)
{
	bool interrupted = false;

	while (!j->done) {
		struct os_status st;
		pid_t r = os_wait(-1, true, &st);

		if (r > 0) {
			job_record(sh, r, &st);
			continue;
		}
		if (r < 0 && errno == EINTR) {
			if (sh->interactive && os_interrupted()) {
				interrupted = true;
				job_interrupt(j);
			}
			continue;
		}
		break; /* ECHILD: nothing left to wait for */
	}
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

/* The current job ("%+": the newest background job) or, with second, the
 * one before it ("%-"). */
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
 * "[1] + Running                    sleep 5". */
void job_print(struct shell *sh, int fd, struct job *j)
{
	char state[32];
	int sig = j->done && j->status > 128 ? j->status - 128 : 0;
	const char *d = sig ? os_signal_describe(sig) : "";

	if (!j->done)
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
}

/* Prints and forgets finished background jobs (interactive shells). */
void job_notify(struct shell *sh)
{
	job_reap(sh, false);
	for (struct job *j = sh->jobs, *next; j; j = next) {
		next = j->next;
		if (!j->id || !j->done)
			continue;
		job_print(sh, 2, j);
		job_free(sh, j);
	}
	out_flush(sh);
}
