/*
 * test.c - launch-test: started by initd as the console program with a
 * launch, a power and the witness capability. It launches launch-child
 * through the launch protocol and checks what comes back: argv and the
 * environment arrive, the child gets only the named capabilities its
 * manifest declares, a crash is reported as its fault, kill works, a
 * hostile request is refused, and 1,000 launches and exits leave the
 * kernel's counters at their baseline. It prints "launch: N passed, N
 * failed" and then shuts the system down through its power capability.
 */
#define _POSIX_C_SOURCE 200809L /* nanosleep */
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <string.h>

#include "initd/protocol.h"
#include "keel/launch.h"
#include "keel/loop.h"

#define CYCLES 1000
#define VEC_PAGE_FAULT 14

struct t {
	cap_handle_t launch, power, witness;
	unsigned passed, failed;
};

static void check(struct t *t, int ok, const char *what)
{
	if (ok)
		t->passed++;
	else
		t->failed++;
	printf("launch: %s %s\n", ok ? "PASS" : "FAIL", what);
}

/* Launches launch-child with argv; waits; returns its status (end 0 if it
 * could not be launched). */
static struct launch_status run(struct t *t, char *const *argv, uint32_t ncaps,
				const char *const *names, const cap_handle_t *caps)
{
	static char *const envp[] = { "LT=1", "OTHER=x", NULL };
	struct launch_req req = { "launch-child", argv, envp, "/w", ncaps, names, caps, NULL };
	struct launch_status st = { 0 };
	uint32_t id;
	if (launch_start(t->launch, &req, &id) == STATUS_OK &&
	    launch_wait(t->launch, id, 0, &st) != STATUS_OK)
		st.end = 0;
	return st;
}

static void test_args(struct t *t)
{
	char *argv[] = { "launch-child", "args", "A", "B b", NULL };
	struct launch_status st = run(t, argv, 0, NULL, NULL);
	check(t, st.end == LAUNCH_END_EXIT && st.detail == 44,
	      "argv and the environment reach the program");
}

static void test_caps(struct t *t)
{
	char *argv[] = { "launch-child", "caps", NULL };
	const char *names[] = { "token", "extra" };
	const cap_handle_t caps[] = { t->power, t->power };
	struct launch_status st = run(t, argv, 2, names, caps);
	check(t, st.end == LAUNCH_END_EXIT && st.detail == 51,
	      "it gets the declared capability and not the undeclared one");
	st = run(t, argv, 0, NULL, NULL);
	check(t, st.end == LAUNCH_END_EXIT && st.detail == 50,
	      "a declared capability nobody passed gives nothing");
}

static void test_fault_kill(struct t *t)
{
	char *crash[] = { "launch-child", "crash", NULL },
	     *spin[] = { "launch-child", "spin", NULL };
	struct launch_status st = run(t, crash, 0, NULL, NULL);
	check(t, st.end == LAUNCH_END_FAULT && st.detail == VEC_PAGE_FAULT,
	      "a crash comes back as its fault");
	struct launch_req req = { "launch-child", spin, NULL, NULL, 0, NULL, NULL, NULL };
	uint32_t id;
	check(t, launch_start(t->launch, &req, &id) == STATUS_OK, "a spinning program starts");
	check(t, launch_wait(t->launch, id, LAUNCH_WAIT_POLL, &st) == STATUS_BUSY,
	      "polling it finds it running");
	check(t, launch_kill(t->launch, id) == STATUS_OK, "it can be killed");
	check(t, launch_wait(t->launch, id, 0, &st) == STATUS_OK && st.end == LAUNCH_END_KILLED,
	      "its end is reported as killed");
	check(t, launch_wait(t->launch, id, 0, &st) == STATUS_NOT_FOUND, "a waited-for id is gone");
	check(t, launch_wait(t->launch, LAUNCH_ANY, 0, &st) == STATUS_NOT_FOUND,
	      "with nothing launched, waiting for any is NOT_FOUND");
}

/* initd's row for the kernel's task id (INITD_TASKS), or false. */
static bool task_row(struct t *t, uint32_t task, struct initd_task *out)
{
	for (uint32_t i = 0; i < 128; i++) { /* initd, its services, every program */
		struct keel_msg m = { .label = INITD_TASKS, .len = 4 };
		memcpy(m.payload, &i, 4);
		if (sys_msg_call(t->launch, &m, 1000000000ull) || m.label != INITD_TASKS_REPLY ||
		    m.len < sizeof *out)
			return false;
		memcpy(out, m.payload, sizeof *out);
		if (out->id == task)
			return true;
	}
	return false;
}

static void sleep_ms(long ms)
{
	nanosleep(&(struct timespec){ .tv_sec = ms / 1000, .tv_nsec = ms % 1000 * 1000000 }, NULL);
}

/* Whether the spinner with kernel id task runs: its run time grows over
 * 200 ms. */
static bool runs(struct t *t, uint32_t task)
{
	struct initd_task a, b;
	sleep_ms(20); /* a stop or a continue has reached it */
	if (!task_row(t, task, &a))
		return false;
	sleep_ms(200);
	return task_row(t, task, &b) && b.run_ms > a.run_ms;
}

/* LAUNCH_STOP and LAUNCH_WAIT_STOPS. */
static void test_stop(struct t *t)
{
	char *spin[] = { "launch-child", "spin", NULL };
	struct launch_req req = { "launch-child", spin, NULL, NULL, 0, NULL, NULL, NULL };
	struct launch_status st;
	struct initd_task row;
	uint32_t id, id2, task, task2;
	if (launch_start_job(t->launch, &req, 0, &id, &task) != STATUS_OK ||
	    launch_start_job(t->launch, &req, 0, &id2, &task2) != STATUS_OK) {
		check(t, 0, "two spinners start");
		return;
	}
	check(t, runs(t, task), "a spinner runs");
	check(t,
	      launch_wait(t->launch, id, LAUNCH_WAIT_POLL | LAUNCH_WAIT_STOPS, &st) == STATUS_BUSY,
	      "a running program has no stop to report");
	check(t, launch_stop(t->launch, id, true) == STATUS_OK, "LAUNCH_STOP stops it");
	check(t, !runs(t, task), "a stopped program does not run");
	check(t, runs(t, task2), "the other spinner runs on");
	check(t,
	      task_row(t, task, &row) && (row.flags & INITD_TASK_STOPPED) &&
		      (row.flags & INITD_TASK_BACKGROUND),
	      "INITD_TASKS shows it stopped, and in the background");
	check(t, launch_wait(t->launch, id, LAUNCH_WAIT_POLL, &st) == STATUS_BUSY,
	      "a wait without LAUNCH_WAIT_STOPS does not see the stop");
	check(t,
	      launch_wait(t->launch, id, LAUNCH_WAIT_STOPS, &st) == STATUS_OK &&
		      st.end == LAUNCH_END_STOPPED && st.id == id && st.detail == 0 &&
		      st.task_id == task,
	      "LAUNCH_WAIT_STOPS reports the stop");
	check(t,
	      launch_wait(t->launch, id, LAUNCH_WAIT_POLL | LAUNCH_WAIT_STOPS, &st) == STATUS_BUSY,
	      "a stop is reported once");
	check(t, launch_stop(t->launch, id, false) == STATUS_OK, "LAUNCH_STOP 0 continues it");
	check(t, runs(t, task), "a continued program runs again");
	check(t, task_row(t, task, &row) && !(row.flags & INITD_TASK_STOPPED),
	      "INITD_TASKS no longer shows it stopped");
	struct keel_msg m = { .label = LAUNCH_STOP, .len = 8 };
	uint32_t bad[2] = { id, 2 };
	memcpy(m.payload, bad, 8);
	check(t,
	      sys_msg_call(t->launch, &m, 1000000000ull) == STATUS_OK &&
		      m.label == LOOP_REPLY_ERROR,
	      "LAUNCH_STOP with stop 2 is refused");
	m = (struct keel_msg){ .label = LAUNCH_STOP, .len = 4 };
	memcpy(m.payload, &id, 4);
	check(t,
	      sys_msg_call(t->launch, &m, 1000000000ull) == STATUS_OK &&
		      m.label == LOOP_REPLY_ERROR,
	      "LAUNCH_STOP without its stop word is refused");
	check(t, runs(t, task), "and the program runs on");
	check(t, launch_stop(t->launch, 12345, true) == STATUS_NOT_FOUND,
	      "LAUNCH_STOP of an unknown id is NOT_FOUND");
	check(t, launch_stop(t->launch, id2, true) == STATUS_OK, "the other spinner stops");
	check(t,
	      launch_wait(t->launch, LAUNCH_ANY, LAUNCH_WAIT_STOPS, &st) == STATUS_OK &&
		      st.end == LAUNCH_END_STOPPED && st.id == id2,
	      "a wait for any reports a stop");
	check(t,
	      launch_kill(t->launch, id2) == STATUS_OK &&
		      launch_wait(t->launch, id2, 0, &st) == STATUS_OK &&
		      st.end == LAUNCH_END_KILLED,
	      "a stopped program can be killed");
	launch_kill(t->launch, id);
	check(t,
	      launch_wait(t->launch, id, LAUNCH_WAIT_STOPS, &st) == STATUS_OK &&
		      st.end == LAUNCH_END_KILLED,
	      "a killed program's end comes to a wait that asked for stops");
}

/* Samples the counters until no task or thread beyond base's is left and
 * objects and pages are no worse than base's (ended tasks are freed a
 * little after their end is reported), for up to two seconds. */
static void settle(struct t *t, const struct kernel_stats *base, struct kernel_stats *s)
{
	for (int i = 0; i < 200; i++) {
		sys_kernel_stats(t->witness, s, sizeof *s);
		if (s->tasks <= base->tasks && s->threads <= base->threads &&
		    s->objects <= base->objects &&
		    s->free_pages + s->pool_pages >= base->free_pages + base->pool_pages)
			return;
		nanosleep(&(struct timespec){ .tv_nsec = 10000000 }, NULL);
	}
}

/* An app's own launches end with it. */
static void test_nested(struct t *t)
{
	char *nest[] = { "launch-child", "nest", NULL };
	const char *names[] = { "launch" };
	const cap_handle_t caps[] = { t->launch };
	struct kernel_stats before, after;
	sys_kernel_stats(t->witness, &before, sizeof before);
	struct launch_status st = run(t, nest, 1, names, caps);
	check(t, st.end == LAUNCH_END_EXIT && st.detail == 60,
	      "a launched program launches in turn with its own capability");
	settle(t, &before, &after);
	check(t, after.tasks <= before.tasks, "what it launched ended with it");
}

static void test_refusals(struct t *t)
{
	struct launch_req req = { "no-such-program", NULL, NULL, NULL, 0, NULL, NULL, NULL };
	uint32_t id;
	check(t, launch_start(t->launch, &req, &id) == STATUS_NOT_FOUND,
	      "an unknown program is NOT_FOUND");
	req.program = "echo2";
	check(t, launch_start(t->launch, &req, &id) != STATUS_OK,
	      "a service that declares what an app may not have is refused");
	check(t, launch_kill(t->launch, 0x12345) == STATUS_NOT_FOUND, "a made-up id is NOT_FOUND");
	check(t, launch_shutdown(t->launch) == STATUS_NO_RIGHTS,
	      "a launch capability cannot shut down");
	cap_handle_t root = CAP_HANDLE_NONE;
	check(t, launch_root_renew(t->launch, &root) == STATUS_NOT_FOUND && root == CAP_HANDLE_NONE,
	      "a program given no root of the volume gets none by LAUNCH_ROOT");
	check(t, launch_root_renew(t->power, &root) == STATUS_NO_RIGHTS,
	      "LAUNCH_ROOT on a capability that is not a launcher's is refused");
	struct keel_msg m = { .label = LAUNCH_GO, .len = 4 };
	check(t,
	      sys_msg_call(t->launch, &m, TIMEOUT_FOREVER) == STATUS_OK &&
		      m.label == LOOP_REPLY_ERROR,
	      "going with an id never made is an error");
}

static void test_cycles(struct t *t)
{
	char *argv[] = { "launch-child", "args", "A", "B b", NULL };
	struct kernel_stats idle, before, after;
	unsigned good = 0;
	sys_kernel_stats(t->witness, &idle, sizeof idle);
	run(t, argv, 0, NULL, NULL); /* warm-up: whatever is made once stays */
	idle.objects = UINT64_MAX;   /* the warm-up's tasks gone; objects and */
	idle.free_pages = 0;         /* pages may differ once */
	idle.pool_pages = 0;
	settle(t, &idle, &before);
	for (unsigned i = 0; i < CYCLES; i++) {
		struct launch_status st = run(t, argv, 0, NULL, NULL);
		good += st.end == LAUNCH_END_EXIT && st.detail == 44;
	}
	settle(t, &before, &after);
	printf("launch: %u launches: tasks %lu->%lu threads %lu->%lu objects %lu->%lu "
	       "free and pool pages %lu->%lu\n",
	       CYCLES, before.tasks, after.tasks, before.threads, after.threads, before.objects,
	       after.objects, before.free_pages + before.pool_pages,
	       after.free_pages + after.pool_pages);
	check(t, good == CYCLES, "1000 launches all exit as expected");
	check(t, after.tasks <= before.tasks && after.threads <= before.threads,
	      "tasks and threads are back to baseline");
	check(t, after.objects <= before.objects, "kernel objects are back to baseline");
	check(t, after.free_pages + after.pool_pages >= before.free_pages + before.pool_pages,
	      "free pages are back to baseline");
}

int main(void)
{
	const struct keel_start *s = keel_start_page();
	struct t t = { launch_cap(s, "launch"), launch_cap(s, "power"), s->witness, 0, 0 };
	check(&t, t.launch != CAP_HANDLE_NONE && t.power != CAP_HANDLE_NONE,
	      "the console program holds launch and power");
	test_args(&t);
	test_caps(&t);
	test_fault_kill(&t);
	test_stop(&t);
	test_nested(&t);
	test_refusals(&t);
	test_cycles(&t);
	printf("launch: %u passed, %u failed\n", t.passed, t.failed);
	fflush(stdout);
	launch_shutdown(t.power);
	return 0;
}
