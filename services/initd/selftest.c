/* selftest.c - supervision scenarios driven from inside initd (see selftest.h). */
#include "../echo/protocol.h"
#include "core/cmdline.h"
#include "core/witness.h"
#include "keel/sys.h"
#include "selftest.h"

#define CYCLES 100
#define SETTLE_TRIES 50

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static void check(struct initd *d, bool ok, const char *what)
{
	if (ok)
		d->test_passed++;
	else
		d->test_failed++;
	sys_print(d->start->witness, "initd: %s %s\n", ok ? "PASS" : "FAIL", what);
}

static struct service *find(struct initd *d, const char *name)
{
	for (uint32_t i = 0; i < d->count; i++)
		if (!strcmp(d->svc[i].m.name, name))
			return &d->svc[i];
	return NULL;
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
	while (sys_witness_read(d->start->witness, seq, rec, sizeof rec, &bytes, &next) == STATUS_OK &&
	       bytes) {
		for (size_t i = 0; i < bytes / sizeof rec[0]; i++)
			if (rec[i].action == WITNESS_RESTART && rec[i].subject == slot)
				return true;
		seq = next;
	}
	return false;
}

/* Kernel counters back where they were (deferred frees get some time). */
static bool settled(struct initd *d)
{
	struct kernel_stats now;
	for (int i = 0; i < SETTLE_TRIES; i++) {
		uint64_t pending;
		sys_witness_stats(d->start->witness, &now, sizeof now);
		if (now.free_pages == d->test_base.free_pages && now.tasks == d->test_base.tasks &&
		    now.threads == d->test_base.threads && now.objects == d->test_base.objects)
			return true;
		sys_signal_wait(1ull << 63, 10000000, &pending);
	}
	sys_print(d->start->witness, "initd: free pages %lu (was %lu), tasks %lu (%lu), objects %lu (%lu)\n",
		  (unsigned long)now.free_pages, (unsigned long)d->test_base.free_pages,
		  (unsigned long)now.tasks, (unsigned long)d->test_base.tasks,
		  (unsigned long)now.objects, (unsigned long)d->test_base.objects);
	return false;
}

static bool echo_answers(struct service *s)
{
	struct keel_msg m = { .label = ECHO_PING, .len = 1, .payload = { 42 } };
	return sys_msg_call(s->inbox, &m, 1000000000ull) == STATUS_OK && m.label == ECHO_PONG &&
	       m.payload[0] == 42;
}

/* One fault or hang, then the restarted instance must be back and serving. */
static void misbehave_once(struct initd *d, uint32_t label, enum sv_cause_kind cause,
			   uint64_t detail)
{
	struct service *e = find(d, "echo");
	if (d->test_round++ == 0) {
		d->test_t0 = rdtsc();
		poke(e, label);
		return;
	}
	if (cmdline_has(d->start->cmdline, "keel.bench") && echo_answers(e))
		sys_print(d->start->witness, "bench: fault_to_serving_again_insns=%lu (backoff %u ms included)\n",
			  (unsigned long)(rdtsc() - d->test_t0), e->m.policy.backoff_initial_ms);
	struct sv_status st;
	supervise_status(&e->sv, 0, &st);
	check(d, st.restarts == 1, "the service was restarted once");
	check(d, st.last_cause.kind == cause, "the cause of the restart is recorded");
	check(d, cause == SV_CAUSE_HANG || st.last_cause.detail == detail, "with the right detail");
	check(d, restart_recorded(d, (uint64_t)(e - d->svc)), "the restart is in the witness log");
	check(d, echo_answers(e), "the new instance answers");
	loop_stop(&d->loop);
}

static void all_up(struct initd *d)
{
	struct service *e = find(d, "echo");
	if (!strcmp(d->test_name, "up")) {
		check(d, e && echo_answers(e), "all services up and echo answers");
		loop_stop(&d->loop);
	} else if (!strcmp(d->test_name, "crash")) {
		misbehave_once(d, ECHO_CRASH, SV_CAUSE_FAULT, 14);
	} else if (!strcmp(d->test_name, "port")) {
		misbehave_once(d, ECHO_PORT, SV_CAUSE_FAULT, 13);
	} else if (!strcmp(d->test_name, "hang")) {
		misbehave_once(d, ECHO_HANG, SV_CAUSE_HANG, 0);
	} else if (d->test_round == 0 || d->test_round < CYCLES) {
		if (d->test_round == 0)
			sys_witness_stats(d->start->witness, &d->test_base, sizeof d->test_base);
		d->test_round++;
		poke(e, ECHO_CRASH);
	} else {
		struct sv_status st;
		supervise_status(&e->sv, 0, &st);
		check(d, st.restarts == CYCLES, "100 crash/restart cycles");
		check(d, echo_answers(e), "the service answers after them");
		check(d, settled(d), "kernel counters are back at their baseline");
		loop_stop(&d->loop);
	}
}

status_t selftest_arm(struct initd *d, const char *name)
{
	static const char *const known[] = { "up", "crash", "hang", "port", "cycles" };
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (!strcmp(name, known[i])) {
			memcpy(d->test_name, name, strlen(name) + 1);
			d->on_all_up = all_up;
			return STATUS_OK;
		}
	return STATUS_NOT_FOUND;
}

int selftest_verdict(struct initd *d, status_t loop_status)
{
	if (!d->test_name[0])
		return loop_status == STATUS_OK ? 0 : 1;
	sys_print(d->start->witness, "initd: %s: %u passed, %u failed\n", d->test_name,
		  d->test_passed, d->test_failed);
	return d->test_failed || !d->test_passed || loop_status ? 1 : 0;
}
