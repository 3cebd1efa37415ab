/* selftest.c - supervision scenarios driven from inside initd (see selftest.h). */
#include "echo/protocol.h"
#include "protocol.h"
#include "lib/cmdline.h"
#include "abi/witness.h"
#include "keel/map.h"
#include "keel/sys.h"
#include "keel/time.h"
#include "selftest.h"

#define CYCLES 100
#define SETTLE_TRIES 50

static void up_poll(struct loop *loop, uint64_t now, void *ctx);

void selftest_check(struct initd_test *t, bool ok, const char *what)
{
	struct initd *d = t->d;
	if (ok)
		t->passed++;
	else
		t->failed++;
	keel_print(d->start->witness, "initd: %s %s\n", ok ? "PASS" : "FAIL", what);
}

static void check(struct initd_test *t, bool ok, const char *what)
{
	selftest_check(t, ok, what);
}

struct service *selftest_find(struct initd *d, const char *name)
{
	for (uint32_t i = 0; i < d->count; i++)
		if (!strcmp(d->svc[i].m.name, name))
			return &d->svc[i];
	return NULL;
}

static struct service *find(struct initd *d, const char *name)
{
	return selftest_find(d, name);
}

static void poke(struct service *s, uint32_t label)
{
	struct keel_msg m = { .label = label };
	sys_msg_send(s->inbox, &m, CAP_HANDLE_NONE, 0);
}

/* True if the witness log holds a restart record initd made for slot. */
static bool restart_recorded(struct initd *d, uint64_t slot)
{
	static struct witness_record rec[8];
	uint64_t seq = 0, next;
	size_t bytes;
	while (sys_witness_read(d->start->witness, seq, rec, sizeof rec, &bytes, &next) ==
		       STATUS_OK &&
	       bytes) {
		for (size_t i = 0; i < bytes / sizeof rec[0]; i++)
			if (rec[i].action == WITNESS_RESTART && rec[i].subject == slot)
				return true;
		seq = next;
	}
	return false;
}

/* Kernel counters back where they were (deferred frees get some time). */
static bool settled(struct initd_test *t)
{
	struct initd *d = t->d;
	struct kernel_stats now;
	for (int i = 0; i < SETTLE_TRIES; i++) {
		uint64_t pending;
		sys_kernel_stats(d->start->witness, &now, sizeof now);
		/* Pools keep or give back slabs as objects come and go. */
		if (now.free_pages + now.pool_pages == t->base.free_pages + t->base.pool_pages &&
		    now.tasks == t->base.tasks && now.threads == t->base.threads &&
		    now.objects == t->base.objects)
			return true;
		sys_signal_wait(1ull << 63, 10000000, &pending);
	}
	keel_print(d->start->witness,
		   "initd: free and pool pages %lu (was %lu), tasks %lu (%lu), objects %lu (%lu)\n",
		   (unsigned long)(now.free_pages + now.pool_pages),
		   (unsigned long)(t->base.free_pages + t->base.pool_pages),
		   (unsigned long)now.tasks, (unsigned long)t->base.tasks,
		   (unsigned long)now.objects, (unsigned long)t->base.objects);
	return false;
}

bool selftest_echo_answers(struct service *s)
{
	struct keel_msg m = { .label = ECHO_PING, .len = 1, .payload = { 42 } };
	return sys_msg_call(s->inbox, &m, 1000000000ull) == STATUS_OK && m.label == ECHO_PONG &&
	       m.payload[0] == 42;
}

/* s forwards a ping to the service it sends to, and gets its answer. */
bool selftest_forwards(struct service *s)
{
	struct keel_msg m = { .label = ECHO_FORWARD, .len = 1, .payload = { 43 } };
	return s && s->inbox && sys_msg_call(s->inbox, &m, 1000000000ull) == STATUS_OK &&
	       m.label == ECHO_PONG && m.payload[0] == 43;
}

/* echo2 sends to echo: it was started only after echo said hello, and
 * once echo crashed and came back with a new inbox, initd gave echo2 a
 * capability to that one, without restarting echo2. */
static void peer_scenario(struct initd_test *t)
{
	struct initd *d = t->d;
	struct service *e = find(d, "echo"), *e2 = find(d, "echo2");
	struct sv_status st, st2;
	if (t->round++ == 0) {
		check(t, e2 && e2->hellos == 1 && e2->m.send_count == 1,
		      "echo2 is up and declares that it sends to echo");
		check(t, selftest_forwards(e2),
		      "echo2 reaches echo through the capability it started with");
		/* Counted from here: on a loaded host echo may already have
		 * missed its heartbeats and been restarted once. */
		supervise_status(&e->sv, 0, &st);
		t->restarts0 = st.restarts;
		t->hellos0 = e->hellos;
		poke(e, ECHO_CRASH);
		return;
	}
	supervise_status(&e->sv, 0, &st);
	supervise_status(&e2->sv, 0, &st2);
	check(t, st.restarts == t->restarts0 + 1 && e->hellos == t->hellos0 + 1,
	      "echo was restarted with a new inbox");
	check(t, e2->peer_hellos[0] == e->hellos, "initd gave echo2 a capability to the new inbox");
	check(t, selftest_forwards(e2), "echo2 reaches the restarted echo");
	check(t, st2.restarts == 0 && e2->hellos == 1, "echo2 itself was never restarted");
	loop_stop(&d->loop);
}

/* One fault or hang, then the restarted instance must be back and serving. */
static void misbehave_once(struct initd_test *t, uint32_t label, enum sv_cause_kind cause,
			   uint64_t detail)
{
	struct initd *d = t->d;
	struct service *e = find(d, "echo");
	struct sv_status st;
	if (t->round++ == 0) {
		supervise_status(&e->sv, 0, &st);
		t->restarts0 = st.restarts; /* a loaded host may have cost one already */
		t->t0 = time_cycles();
		poke(e, label);
		return;
	}
	if (cmdline_has(d->start->cmdline, "keel.bench") && selftest_echo_answers(e))
		keel_print(d->start->witness,
			   "bench: fault_to_serving_again_insns=%lu (backoff %u ms included)\n",
			   (unsigned long)(time_cycles() - t->t0), e->m.policy.backoff_initial_ms);
	supervise_status(&e->sv, 0, &st);
	check(t, st.restarts == t->restarts0 + 1, "the service was restarted once");
	check(t, st.last_cause.kind == cause, "the cause of the restart is recorded");
	check(t, cause == SV_CAUSE_HANG || st.last_cause.detail == detail, "with the right detail");
	check(t, restart_recorded(d, (uint64_t)(e - d->svc)), "the restart is in the witness log");
	check(t, selftest_echo_answers(e), "the new instance answers");
	loop_stop(&d->loop);
}

#define PROBE_PAGES 4

/* What the status protocol should say of s once all services are up. */
static uint8_t expected_state(const struct service *s)
{
	if (s->refused)
		return SV_STATE_STOPPED;
	return s->gated && s->gate == READY_BLOCKED ? INITD_STATE_BLOCKED : SV_STATE_UP;
}

/* INITD_TASKS, as ps asks it: initd first (task 1 on the machine, its
 * own id everywhere), then every running service with its kernel id and
 * initd as its parent, then NOT_FOUND; a request too short is refused. */
static void tasks_probe(struct initd_test *t)
{
	struct initd *d = t->d;
	struct task_info self;
	uint32_t services = 0, running = 0;
	bool fine = sys_task_info(d->start->self_task, &self, sizeof self) == STATUS_OK;
	for (uint32_t s = 0; s < d->count; s++)
		running += d->svc[s].running;
	for (uint32_t i = 0; fine && i <= running + 1; i++) {
		struct keel_msg m = { .label = INITD_TASKS, .len = 4 };
		struct initd_task out;
		memcpy(m.payload, &i, 4);
		status_t st = sys_msg_call(d->inbox, &m, 1000000000ull);
		memcpy(&out, m.payload, sizeof out);
		if (i == running + 1) {
			fine = st == STATUS_OK && m.label == LOOP_REPLY_ERROR;
		} else if (st != STATUS_OK || m.label != INITD_TASKS_REPLY) {
			fine = false;
		} else if (i == 0) {
			fine = out.kind == INITD_TASK_INITD && out.id == self.id && !out.parent &&
			       out.threads >= 1 && out.pages > 0 && !strcmp(out.name, "initd");
		} else {
			const struct service *sv = find(d, out.name);
			fine = out.kind == INITD_TASK_SERVICE && sv && sv->running &&
			       out.id == sv->task_id && out.parent == self.id && out.threads == 1;
			services += fine;
		}
	}
	/* INITD_TASK_ARGS: initd's and a service's command line is its name,
	 * with the id INITD_TASKS gives. */
	for (uint32_t i = 0; fine && i < 2; i++) {
		struct keel_msg a = { .label = INITD_TASK_ARGS, .len = 4 };
		struct initd_task_args ta;
		memcpy(a.payload, &i, 4);
		fine = sys_msg_call(d->inbox, &a, 1000000000ull) == STATUS_OK &&
		       a.label == INITD_TASK_ARGS_REPLY && a.len == sizeof ta;
		memcpy(&ta, a.payload, sizeof ta);
		const struct service *sv = i ? find(d, ta.text) : NULL;
		fine = fine && (i ? sv && sv->task_id == ta.id
				  : !strcmp(ta.text, "initd") && ta.id == self.id);
	}
	struct keel_msg m = { .label = INITD_TASKS, .len = 2 };
	uint32_t label;
	status_t why;
	t->probe_tasks = fine && services == running &&
			 sys_msg_call(d->inbox, &m, 1000000000ull) == STATUS_OK &&
			 loop_error_parse(&m, &why, &label) == STATUS_OK &&
			 why == STATUS_BAD_FORMAT;
}

/* A second initd thread asks initd's inbox for the status of every slot,
 * as a client would, while the main thread serves. It reports through
 * t->probe_* and ends itself. */
static _Noreturn void status_probe(struct initd_test *t)
{
	struct initd *d = t->d;
	for (uint32_t slot = 0; slot <= d->count; slot++) {
		struct keel_msg m = { .label = INITD_STATUS, .len = 4 };
		memcpy(m.payload, &slot, 4);
		status_t st = sys_msg_call(d->inbox, &m, 1000000000ull);
		struct initd_status out;
		memcpy(&out, m.payload, sizeof out);
		uint8_t want = expected_state(&d->svc[slot < d->count ? slot : 0]);
		if (slot < d->count && st == STATUS_OK && m.label == INITD_STATUS_REPLY &&
		    !strcmp(out.name, d->svc[slot].m.name) && out.state == want)
			t->probe_up++;
		if (slot == d->count && st == STATUS_OK && m.label == LOOP_REPLY_ERROR)
			t->probe_past_end = true;
	}
	/* The footprint of the first service, as its manifest declares it. */
	struct keel_msg m = { .label = INITD_FOOTPRINT, .len = 8 };
	struct initd_footprint f;
	if (sys_msg_call(d->inbox, &m, 1000000000ull) == STATUS_OK &&
	    m.label == INITD_FOOTPRINT_REPLY) {
		memcpy(&f, m.payload, sizeof f);
		t->probe_footprint = f.pages == d->svc[0].m.quota_pages &&
				     f.objects == d->svc[0].m.quota_objects &&
				     f.slots == d->svc[0].m.quota_slots;
	}
	tasks_probe(t);
	t->probe_done = true;
	sys_thread_exit(0);
}

static void probe_start(struct initd_test *t)
{
	struct initd *d = t->d;
	cap_handle_t mem, thread;
	void *stack;
	if (sys_memory_create(PROBE_PAGES, 0, &mem) ||
	    keel_map(mem, 0, PROBE_PAGES, RIGHT_READ | RIGHT_WRITE, &stack) ||
	    sys_thread_create(d->start->self_task, (uint64_t)(uintptr_t)status_probe,
			      (uint64_t)(uintptr_t)stack + PROBE_PAGES * KEEL_PAGE_SIZE - 8,
			      (uint64_t)(uintptr_t)t, THREAD_TIER_MATTER,
			      ~0ull >> (64 - d->start->cpu_count), &thread))
		check(t, false, "start the status probe thread");
}

/* Called on every turn once all services are up (the loop keeps running). */
static void up_scenario(struct initd_test *t, struct service *e)
{
	struct initd *d = t->d;
	if (t->round++ == 0) {
		check(t, e && selftest_echo_answers(e), "all services up and echo answers");
		probe_start(t);
		loop_timer_add(&d->loop, 0, up_poll, t, NULL);
	}
}

static void up_poll(struct loop *loop, uint64_t now, void *ctx)
{
	struct initd_test *t = ctx;
	struct initd *d = t->d;
	if (!t->probe_done) {
		loop_timer_add(loop, now + 1000000, up_poll, t, NULL);
		return;
	}
	check(t, t->probe_up == d->count,
	      "the status protocol reports every service up (refused ones stopped, blocked ones "
	      "blocked)");
	check(t, t->probe_past_end, "a slot past the last is an error reply");
	check(t, t->probe_footprint, "the status protocol reports a service's footprint");
	check(t, t->probe_tasks, "INITD_TASKS lists initd and every running service");
	loop_stop(loop);
}

static void all_up(struct initd *d, void *ctx)
{
	struct initd_test *t = ctx;
	struct service *e = find(d, "echo");
	if (!strcmp(t->name, "up")) {
		up_scenario(t, e);
	} else if (!strcmp(t->name, "crash")) {
		misbehave_once(t, ECHO_CRASH, SV_CAUSE_FAULT, 14);
	} else if (!strcmp(t->name, "port")) {
		misbehave_once(t, ECHO_PORT, SV_CAUSE_FAULT, 13);
	} else if (!strcmp(t->name, "peer")) {
		peer_scenario(t);
	} else if (!strcmp(t->name, "control") || !strcmp(t->name, "stop") ||
		   !strcmp(t->name, "slowup")) {
		selftest_control(t);
	} else if (!strcmp(t->name, "hang")) {
		misbehave_once(t, ECHO_HANG, SV_CAUSE_HANG, 0);
	} else if (t->round == 0 || t->round < t->cycles) {
		if (t->round == 0) {
			struct sv_status st0;
			sys_kernel_stats(d->start->witness, &t->base, sizeof t->base);
			supervise_status(&e->sv, 0, &st0);
			t->restarts0 = st0.restarts;
		}
		t->round++;
		poke(e, ECHO_CRASH);
	} else {
		struct sv_status st;
		supervise_status(&e->sv, 0, &st);
		/* At least one restart per crash; a loaded host may add a
		 * restart for a missed heartbeat (echo beats every 200 ms). */
		check(t, st.restarts >= t->restarts0 + t->cycles,
		      "every crash/restart cycle restarted the service");
		check(t, selftest_echo_answers(e), "the service answers after them");
		struct service *other = find(d, "echo2");
		struct sv_status ost;
		supervise_status(&other->sv, 0, &ost);
		check(t, other && ost.restarts == 0 && selftest_echo_answers(other),
		      "the other service kept serving, never restarted");
		check(t, settled(t), "kernel counters are back at their baseline");
		loop_stop(&d->loop);
	}
}

/* initd.cycles=N from the command line, CYCLES without it. */
static uint32_t cycles_wanted(const struct initd *d)
{
	char text[12];
	uint32_t n = 0;
	if (cmdline_get(d->start->cmdline, "initd.cycles", text, sizeof text) != STATUS_OK)
		return CYCLES;
	for (const char *p = text; *p >= '0' && *p <= '9' && n < 1000000; p++)
		n = n * 10 + (uint32_t)(*p - '0');
	return n ? n : CYCLES;
}

status_t selftest_arm(struct initd_test *t, struct initd *d, const char *name)
{
	static const char *const known[] = { "up",     "crash",   "hang", "port",  "peer",
					     "cycles", "control", "stop", "slowup" };
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (!strcmp(name, known[i])) {
			*t = (struct initd_test){ .d = d, .cycles = cycles_wanted(d) };
			memcpy(t->name, name, strlen(name) + 1);
			d->on_all_up = all_up;
			d->on_all_up_ctx = t;
			return STATUS_OK;
		}
	return STATUS_NOT_FOUND;
}

int selftest_verdict(const struct initd_test *t, status_t loop_status)
{
	if (!t->d)
		return loop_status == STATUS_OK ? 0 : 1;
	keel_print(t->d->start->witness, "initd: %s: %u passed, %u failed\n", t->name, t->passed,
		   t->failed);
	return t->failed || !t->passed || loop_status ? 1 : 0;
}
