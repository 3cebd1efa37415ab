/*
 * selftest_control.c - the "control" scenario (initd.test=control): a
 * second initd thread sends INITD_CONTROL requests to initd's inbox, as
 * svc does, while the main thread serves them; then the main thread
 * checks what became of echo and echo2.
 *
 * The "slowup" scenario (initd.test=slowup) sends one request: restart
 * "slow", which ignores SERVICE_STOP and takes a long start-up before its
 * hello (the host test's boot-slowup.manifest): the answer must come once
 * the new instance has said hello, saying up, and the status protocol
 * must say "starting" while the new instance runs without a hello.
 *
 * The "stop" scenario (initd.test=stop) sends one request: stop "deaf",
 * a service that ignores SERVICE_STOP and has no heartbeat, alone in its
 * boot list (the host test's boot-deaf.manifest). Nothing else is due,
 * so only the stop's own deadline can end it: with a kill when the
 * grace period ends.
 */
#include "control.h"
#include "keel/map.h"
#include "keel/sys.h"
#include "protocol.h"
#include "selftest.h"

#define PROBE_PAGES 4
#define CALL_NS (STOP_GRACE_NS + 3000000000ull) /* deaf's stop takes the grace period */
#define GRACE_SLACK_NS 50000000ull              /* deaf's kill comes when the grace period ends */
#define QUIET_NS 100000000ull
#define AFTER_NS 500000000ull /* lets late exits and peer updates arrive */

/* The requests, in order; the probe records each status and answer. */
static const struct {
	bool operator;
	uint32_t verb;
	const char *name;
	uint16_t len;
} reqs[] = {
	{ false, INITD_VERB_STOP, "echo2", 24 },            /* 0: not an operator capability */
	{ true, INITD_VERB_STOP, "echo2", 24 },             /* 1: stopped */
	{ true, INITD_VERB_STOP, "echo2", 24 },             /* 2: stopped again: nothing to do */
	{ true, INITD_VERB_START, "echo2", 24 },            /* 3: up, a fresh start */
	{ true, INITD_VERB_START, "echo2", 24 },            /* 4: BUSY: it runs */
	{ true, INITD_VERB_RESTART, "echo", 24 },           /* 5: restarts + 1 */
	{ true, INITD_VERB_STOP, "nosuch", 24 },            /* 6: NOT_FOUND */
	{ true, INITD_VERB_STOP, "initd", 24 },             /* 7: INVALID */
	{ true, 9, "echo", 24 },                            /* 8: INVALID verb */
	{ true, INITD_VERB_STOP, "echo", 8 },               /* 9: INVALID: too short */
	{ true, INITD_VERB_STOP, "echo2-is-too-long", 24 }, /* 10: no NUL: INVALID */
	{ true, INITD_VERB_STOP, "deaf", 24 },              /* 11: killed after the grace */
	{ true, INITD_VERB_RESTART, "slow", 24 },           /* 12: answered once up again */
};
#define DEAF 11 /* the stop scenario's one request; the control one's are before it */
#define SLOW 12 /* the slowup scenario's one request */
#define SLOW_CALL_NS 20000000000ull /* slow's grace period, then its long start-up */

static bool stop_only(const struct initd_test *t)
{
	return !strcmp(t->name, "stop");
}

static bool slow_only(const struct initd_test *t)
{
	return !strcmp(t->name, "slowup");
}

/* The first of the requests t's scenario sends, and the one past its last. */
static uint32_t reqs_first(const struct initd_test *t)
{
	return stop_only(t) ? DEAF : slow_only(t) ? SLOW : 0;
}

static uint32_t reqs_end(const struct initd_test *t)
{
	return stop_only(t) ? DEAF + 1 : slow_only(t) ? SLOW + 1 : DEAF;
}

static _Noreturn void control_probe(struct initd_test *t)
{
	struct launcher *l = t->d->launch;
	if (stop_only(t)) {
		/* Past initd's start-up ticks, which would arm for the stop's
		 * deadline anyway: only the stop itself may arm for it. */
		uint64_t none;
		sys_signal_wait(1ull << 62, QUIET_NS, &none);
	}
	for (uint32_t i = reqs_first(t); i < reqs_end(t); i++) {
		struct initd_control c = { .verb = reqs[i].verb };
		struct keel_msg m = { .label = INITD_CONTROL, .len = reqs[i].len };
		size_t n = strlen(reqs[i].name);
		memcpy(c.name, reqs[i].name, n < 16 ? n : 16);
		memcpy(m.payload, &c, sizeof c);
		uint64_t t0 = 0, t1 = 0;
		sys_clock_read(&t0);
		status_t st = sys_msg_call(reqs[i].operator? l->operator_cap : l->power, &m,
					   i == SLOW ? SLOW_CALL_NS : CALL_NS);
		sys_clock_read(&t1);
		if (i == SLOW)
			t->ctl_hellos = selftest_find(t->d, "slow")->hellos;
		t->ctl_ns[i] = t1 - t0;
		status_t why;
		uint32_t label;
		if (st == STATUS_OK && loop_error_parse(&m, &why, &label) == STATUS_OK)
			st = why;
		else if (st == STATUS_OK && m.label != INITD_CONTROL_REPLY)
			st = STATUS_BAD_FORMAT;
		if (st == STATUS_OK)
			memcpy(&t->ctl_out[i], m.payload, sizeof t->ctl_out[i]);
		t->ctl[i] = st;
	}
	t->ctl_done = true;
	sys_thread_exit(0);
}

static void control_probe_start(struct initd_test *t)
{
	struct initd *d = t->d;
	cap_handle_t mem, thread;
	void *stack;
	if (sys_memory_create(PROBE_PAGES, 0, &mem) ||
	    keel_map(mem, 0, PROBE_PAGES, RIGHT_READ | RIGHT_WRITE, &stack) ||
	    sys_thread_create(d->start->self_task, (uint64_t)(uintptr_t)control_probe,
			      (uint64_t)(uintptr_t)stack + PROBE_PAGES * KEEL_PAGE_SIZE - 8,
			      (uint64_t)(uintptr_t)t, THREAD_TIER_MATTER,
			      ~0ull >> (64 - d->start->cpu_count), &thread))
		selftest_check(t, false, "start the control probe thread");
}

static bool is(const struct initd_test *t, uint32_t i, status_t st)
{
	return t->ctl[i] == st;
}

/* The answers the probe got. */
static void check_answers(struct initd_test *t)
{
	const struct initd_status *o = t->ctl_out;
	selftest_check(t, is(t, 0, STATUS_NO_RIGHTS),
		       "a capability that is not the operator's is refused");
	selftest_check(t,
		       is(t, 1, STATUS_OK) && o[1].state == INITD_STATE_STOPPED &&
			       o[1].last_cause == INITD_CAUSE_STOP && o[1].task_id == 0,
		       "stop echo2: it is stopped, by the operator");
	selftest_check(t, is(t, 2, STATUS_OK) && o[2].state == INITD_STATE_STOPPED,
		       "stop of a stopped service does nothing");
	selftest_check(t, is(t, 3, STATUS_OK) && o[3].state == INITD_STATE_UP && o[3].restarts == 0,
		       "start echo2: up again, a fresh start (no restart counted)");
	selftest_check(t, is(t, 4, STATUS_BUSY), "start of a running service is BUSY");
	selftest_check(t,
		       is(t, 5, STATUS_OK) && o[5].state == INITD_STATE_UP &&
			       o[5].restarts == t->restarts0 + 1,
		       "restart echo: up, restarts + 1");
	selftest_check(t, is(t, 6, STATUS_NOT_FOUND), "an unknown name is NOT_FOUND");
	selftest_check(t, is(t, 7, STATUS_INVALID), "initd itself cannot be stopped");
	selftest_check(t, is(t, 8, STATUS_INVALID), "an unknown verb is INVALID");
	selftest_check(t, is(t, 9, STATUS_INVALID), "a short request is INVALID");
	selftest_check(t, is(t, 10, STATUS_INVALID), "a name without its NUL is INVALID");
	selftest_check(t, t->ctl_ns[1] < STOP_GRACE_NS,
		       "echo2 ends on SERVICE_STOP, before the grace period does");
}

/* The stop scenario's answer. */
static void check_deaf(struct initd_test *t)
{
	const struct initd_status *o = t->ctl_out;
	selftest_check(t,
		       is(t, DEAF, STATUS_OK) && o[DEAF].state == INITD_STATE_STOPPED &&
			       o[DEAF].last_cause == INITD_CAUSE_STOP && o[DEAF].task_id == 0,
		       "stop deaf: it is stopped, by the operator");
	selftest_check(t,
		       t->ctl_ns[DEAF] >= STOP_GRACE_NS &&
			       t->ctl_ns[DEAF] < STOP_GRACE_NS + GRACE_SLACK_NS,
		       "stop deaf: killed when the grace period ends");
}

static void control_after(struct loop *loop, uint64_t now, void *ctx)
{
	struct initd_test *t = ctx;
	struct service *e = selftest_find(t->d, "echo"), *e2 = selftest_find(t->d, "echo2");
	struct sv_status st;
	(void)now;
	supervise_status(&e->sv, 0, &st);
	selftest_check(t, st.state == SV_STATE_UP && st.restarts == t->restarts0 + 1,
		       "the killed instance's late exit is not taken for the new one's");
	selftest_check(t, selftest_echo_answers(e), "the restarted echo answers");
	selftest_check(t, selftest_forwards(e2), "the started echo2 reaches the restarted echo");
	loop_stop(loop);
}

/* The slowup scenario's answer: a restart answered once the new instance
 * is up, and "starting" reported while it was not. */
static void check_slow(struct initd_test *t)
{
	const struct initd_status *o = t->ctl_out;
	selftest_check(t,
		       is(t, SLOW, STATUS_OK) && o[SLOW].state == INITD_STATE_UP &&
			       o[SLOW].restarts == t->restarts0 + 1,
		       "restart slow: answered up, restarts + 1");
	selftest_check(t, t->ctl_hellos == t->hellos0 + 1,
		       "restart slow: answered once the new instance has said hello");
	selftest_check(t, t->saw_starting,
		       "restart slow: the status protocol said starting until its hello");
}

static void control_poll(struct loop *loop, uint64_t now, void *ctx)
{
	struct initd_test *t = ctx;
	if (!t->ctl_done) {
		if (slow_only(t)) {
			struct initd_status st;
			struct service *s = selftest_find(t->d, "slow");
			services_status(t->d, (uint32_t)(s - t->d->svc), &st);
			/* The new instance: running, no hello yet. */
			t->saw_starting |= st.state == INITD_STATE_STARTING && s->running &&
					   s->inbox == CAP_HANDLE_NONE;
		}
		loop_timer_add(loop, now + 1000000, control_poll, t, NULL);
		return;
	}
	if (stop_only(t) || slow_only(t)) {
		if (stop_only(t))
			check_deaf(t);
		else
			check_slow(t);
		loop_stop(loop);
		return;
	}
	check_answers(t);
	loop_timer_add(loop, now + AFTER_NS, control_after, t, NULL);
}

void selftest_control(struct initd_test *t)
{
	struct sv_status st;
	struct service *e = selftest_find(t->d, "echo");
	if (t->round++ != 0)
		return;
	struct service *slow = selftest_find(t->d, "slow");
	bool ready = stop_only(t)   ? selftest_find(t->d, "deaf") != NULL
		     : slow_only(t) ? slow != NULL
				    : e != NULL;
	if (!ready || !t->d->launch) {
		selftest_check(t, false, "the services and the launcher are there");
		loop_stop(&t->d->loop);
		return;
	}
	if (slow_only(t)) {
		supervise_status(&slow->sv, 0, &st);
		t->restarts0 = st.restarts;
		t->hellos0 = slow->hellos;
	} else if (e) {
		supervise_status(&e->sv, 0, &st);
		t->restarts0 = st.restarts;
	}
	control_probe_start(t);
	loop_timer_add(&t->d->loop, 0, control_poll, t, NULL);
}
