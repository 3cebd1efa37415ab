/*
 * selftest.h - supervision scenarios for the QEMU tests, chosen with
 * initd.test=NAME: up, crash, hang, port, peer, cycles, control, stop,
 * slowup. Each prints
 * "initd: PASS ..." / "initd: FAIL ..." lines and a final
 * "initd: NAME: N passed, M failed", then stops initd's loop.
 */
#ifndef KEEL_INITD_SELFTEST_H
#define KEEL_INITD_SELFTEST_H

#include "protocol.h"
#include "services.h"

/* A scenario's state, owned by the caller (zeroed: no scenario armed). */
struct initd_test {
	struct initd *d; /* NULL until armed */
	char name[32];
	uint32_t round, passed, failed;
	uint32_t cycles; /* crash/restart cycles: initd.cycles=N, default 100 */
	uint64_t t0;
	struct kernel_stats base;    /* counters before the cycles scenario */
	uint32_t restarts0, hellos0; /* echo's, before a scenario's crash or hang */
	/* Written by the status probe thread, read by the main one. */
	volatile uint32_t probe_up;
	volatile bool probe_past_end, probe_done, probe_footprint, probe_tasks;
	/* The control scenario (selftest_control.c): each request's status
	 * and answer, written by its probe thread. */
	volatile status_t ctl[16];
	struct initd_status ctl_out[16];
	uint64_t ctl_ns[16]; /* how long each request took to be answered */
	volatile uint32_t ctl_count;
	volatile bool ctl_done;
	/* The slowup scenario: slow's hellos when the answer came, and
	 * whether its status was "starting" meanwhile. */
	volatile uint32_t ctl_hellos;
	bool saw_starting;
};

/* The control scenario, run on every turn once all services are up. */
void selftest_control(struct initd_test *t);

/* Shared with selftest_control.c. */
void selftest_check(struct initd_test *t, bool ok, const char *what);
struct service *selftest_find(struct initd *d, const char *name);
bool selftest_echo_answers(struct service *s);
bool selftest_forwards(struct service *s);

/* Arms scenario name on d, with t as its state; STATUS_NOT_FOUND for an
 * unknown one. */
status_t selftest_arm(struct initd_test *t, struct initd *d, const char *name);

/* initd's exit code: the scenario's verdict, or (none armed) 1 if the loop
 * failed and 0 if it did not. */
int selftest_verdict(const struct initd_test *t, status_t loop_status);

#endif
