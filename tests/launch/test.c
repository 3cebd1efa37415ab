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
	    launch_wait(t->launch, id, false, &st) != STATUS_OK)
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
	check(t, launch_wait(t->launch, id, true, &st) == STATUS_BUSY,
	      "polling it finds it running");
	check(t, launch_kill(t->launch, id) == STATUS_OK, "it can be killed");
	check(t, launch_wait(t->launch, id, false, &st) == STATUS_OK && st.end == LAUNCH_END_KILLED,
	      "its end is reported as killed");
	check(t, launch_wait(t->launch, id, false, &st) == STATUS_NOT_FOUND,
	      "a waited-for id is gone");
	check(t, launch_wait(t->launch, LAUNCH_ANY, false, &st) == STATUS_NOT_FOUND,
	      "with nothing launched, waiting for any is NOT_FOUND");
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
	test_nested(&t);
	test_refusals(&t);
	test_cycles(&t);
	printf("launch: %u passed, %u failed\n", t.passed, t.failed);
	fflush(stdout);
	launch_shutdown(t.power);
	return 0;
}
