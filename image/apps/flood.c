/*
 * flood.c - an attack on initd's launch table, run from the shell (it is
 * in /apps only). `flood` launches `flood child` until initd refuses;
 * each child launches sleepers (the toolbox's `sleep 60`) until initd
 * refuses, says how many it got and why it stopped, and exits a few
 * seconds later (initd kills its sleepers with it). Every refusal must
 * be a clean FULL (64 apps in all, 16 per launcher) or QUOTA (the apps'
 * share of initd's quotas, docs/launch.md) or NO_MEMORY; meanwhile initd
 * must still restart a service for the operator and list every task (as
 * `ps` asks, INITD_TASKS), refusing nonsense cleanly; once every child has
 * ended, a launch must work again. It prints "flood: PASS ..." /
 * "flood: FAIL ..." lines and exits 0 if all passed.
 */
#define _POSIX_C_SOURCE 200809L /* nanosleep */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "initd/protocol.h"
#include "keel/launch.h"
#include "keel/loop.h"

#define CHILD_HOLD_S 6           /* a child keeps its sleepers this long */
#define FLOODED 16               /* launches that make a flood: one launcher's limit */
#define LAUNCH_APPS_MAX_FLOOD 64 /* children it keeps the ids of: initd's whole table */
#define LAUNCH_CONSOLES_FLOOD 2  /* console programs that may run beside it */

static cap_handle_t launch_of(void)
{
	return launch_cap(keel_start_page(), "launch");
}

/* Launches `flood child` (with the tty, the witness and the launch
 * capability) or a sleeper (`sleep 60` of the toolbox). */
static status_t start(const char *mode, uint32_t *id)
{
	const struct keel_start *s = keel_start_page();
	bool sleeper = strcmp(mode, "sleep") == 0;
	char *argv[] = { "flood", (char *)mode, NULL }, *sleep_argv[] = { "sleep", "60", NULL };
	const char *names[] = { "tty", "witness", "launch" };
	cap_handle_t caps[] = { launch_cap(s, "tty"), s->witness, launch_of() };
	uint32_t n = strcmp(mode, "child") == 0 ? 3 : 2;
	struct launch_req req = { "flood", argv, NULL, NULL, n, names, caps, NULL };
	if (sleeper) { /* the toolbox's sleep, from the bundle: no disk read each */
		req.program = "toolbox";
		req.argv = sleep_argv;
	}
	if (caps[0] == CAP_HANDLE_NONE) /* no terminal: the witness only */
		req.cap_count = 0;
	return launch_start(launch_of(), &req, id);
}

static bool clean_refusal(status_t st)
{
	return st == STATUS_FULL || st == STATUS_QUOTA || st == STATUS_NO_MEMORY;
}

static void hold(int seconds)
{
	struct timespec ts = { seconds, 0 };
	nanosleep(&ts, NULL);
}

/* A child: sleepers until refused; exits with how many it got, 255 if
 * the refusal was not a clean one. */
static int child(void)
{
	uint32_t id, n = 0;
	status_t st;
	while ((st = start("sleep", &id)) == STATUS_OK)
		n++;
	printf("flood: child: %u sleepers, then %s\n", n, status_name(st));
	fflush(stdout);
	hold(CHILD_HOLD_S);
	return clean_refusal(st) ? (int)n : 255;
}

/* While the table is flooded: initd restarts a service for the operator
 * (its quotas are kept for services), and answers once it is up again. */
static status_t restart_echo(void)
{
	struct initd_status out;
	struct initd_control c = { .verb = INITD_VERB_RESTART, .name = "echo" };
	struct keel_msg m = { .label = INITD_CONTROL, .len = sizeof c };
	cap_handle_t op = launch_cap(keel_start_page(), INITD_OPERATOR_NAME);
	status_t why, st;
	uint32_t label;
	if (op == CAP_HANDLE_NONE)
		return STATUS_NO_RIGHTS;
	memcpy(m.payload, &c, sizeof c);
	st = sys_msg_call(op, &m, 60000000000ull);
	if (st == STATUS_OK && loop_error_parse(&m, &why, &label) == STATUS_OK)
		st = why;
	else if (st == STATUS_OK && (m.label != INITD_CONTROL_REPLY || m.len < sizeof out))
		st = STATUS_BAD_FORMAT;
	if (st == STATUS_OK) {
		memcpy(&out, m.payload, sizeof out);
		if (out.state != INITD_STATE_UP)
			st = STATUS_BUSY; /* answered, but not up */
	}
	return st;
}

/* INITD_TASKS while the table is full: every index answers, as ps asks;
 * a wild index is NOT_FOUND and a short request BAD_FORMAT. Returns the
 * programs listed (with every bit of flags set), or -1 on a wrong answer. */
static int tasks_listed(uint8_t flags)
{
	int programs = 0;
	uint32_t label;
	status_t why;
	for (uint32_t i = 0;; i++) {
		struct keel_msg m = { .label = INITD_TASKS, .len = 4 };
		struct initd_task t;
		memcpy(m.payload, &i, 4);
		if (sys_msg_call(launch_of(), &m, 5000000000ull) != STATUS_OK)
			return -1;
		if (loop_error_parse(&m, &why, &label) == STATUS_OK)
			return why == STATUS_NOT_FOUND && i > 0 ? programs : -1;
		if (m.label != INITD_TASKS_REPLY || m.len < sizeof t || i > 1000)
			return -1;
		memcpy(&t, m.payload, sizeof t);
		programs += t.kind == INITD_TASK_PROGRAM && (t.flags & flags) == flags;
	}
	return programs;
}

static bool tasks_refuse_nonsense(void)
{
	uint32_t wild = 0xffffffffu, label;
	status_t why;
	struct keel_msg m = { .label = INITD_TASKS, .len = 4 };
	memcpy(m.payload, &wild, 4);
	bool ok = sys_msg_call(launch_of(), &m, 5000000000ull) == STATUS_OK &&
		  loop_error_parse(&m, &why, &label) == STATUS_OK && why == STATUS_NOT_FOUND;
	m = (struct keel_msg){ .label = INITD_TASKS, .len = 0 };
	return ok && sys_msg_call(launch_of(), &m, 5000000000ull) == STATUS_OK &&
	       loop_error_parse(&m, &why, &label) == STATUS_OK && why == STATUS_BAD_FORMAT;
}

static int check(bool ok, const char *what)
{
	printf("flood: %s %s\n", ok ? "PASS" : "FAIL", what);
	return ok ? 0 : 1;
}

/* Stops (stop) or continues every child, and with each its sleepers. */
static bool stop_all(const uint32_t *ids, uint32_t n, bool stop)
{
	bool ok = true;
	for (uint32_t i = 0; i < n; i++)
		ok &= launch_stop(launch_of(), ids[i], stop) == STATUS_OK;
	return ok;
}

static int top(void)
{
	uint32_t id, ids[LAUNCH_APPS_MAX_FLOOD], children = 0, sleepers = 0, bad = 0;
	struct launch_status ls;
	status_t st;
	printf("flood: launching children until initd refuses\n");
	while ((st = start("child", &id)) == STATUS_OK) {
		if (children < LAUNCH_APPS_MAX_FLOOD)
			ids[children] = id;
		printf("flood: child %u launched\n", ++children);
	}
	printf("flood: %u children, then %s\n", children, status_name(st));
	int failed = check(clean_refusal(st), "initd refuses the launcher cleanly when full");
	hold(1);
	st = restart_echo();
	printf("flood: restart echo while flooded: %s\n", status_name(st));
	failed += check(st == STATUS_OK, "initd still restarts a service while flooded");
	int listed = tasks_listed(0);
	printf("flood: initd lists %d programs\n", listed);
	failed += check(listed > (int)children, "initd lists every program while flooded (ps)");
	failed += check(tasks_refuse_nonsense(),
			"a wild index or a short request to INITD_TASKS is refused");
	/* Every child and its sleepers stopped, down the tree, then let go on. */
	uint32_t n = children < LAUNCH_APPS_MAX_FLOOD ? children : LAUNCH_APPS_MAX_FLOOD;
	bool stopped = stop_all(ids, n, true);
	int listed_stopped = tasks_listed(INITD_TASK_STOPPED);
	printf("flood: %d programs stopped\n", listed_stopped);
	/* All but flood itself and the consoles' shells. */
	failed += check(stopped && listed_stopped >= (int)children &&
				listed - listed_stopped <= 1 + (int)LAUNCH_CONSOLES_FLOOD,
			"initd stops every child and what it launched while flooded");
	bool continued = stop_all(ids, n, false);
	failed += check(continued && tasks_listed(INITD_TASK_STOPPED) == 0,
			"and lets them all go on");
	while (launch_wait(launch_of(), LAUNCH_ANY, 0, &ls) == STATUS_OK) {
		bool ok = ls.end == LAUNCH_END_EXIT && ls.detail != 255;
		bad += !ok;
		sleepers += ok ? (uint32_t)ls.detail : 0;
	}
	printf("flood: %u sleepers in all\n", sleepers);
	failed += check(bad == 0, "every child was refused cleanly (FULL or QUOTA) too");
	failed += check(children + sleepers >= FLOODED, "the table was flooded");
	st = start("sleep", &id);
	if (st == STATUS_OK)
		st = launch_kill(launch_of(), id);
	if (st == STATUS_OK)
		st = launch_wait(launch_of(), id, 0, &ls);
	failed += check(st == STATUS_OK && ls.end == LAUNCH_END_KILLED,
			"once they have ended, a launch works again");
	return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1 && !strcmp(argv[1], "child"))
		return child();
	return top();
}
