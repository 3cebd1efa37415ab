/*
 * selftest.h - supervision scenarios for the QEMU tests, chosen with
 * initd.test=NAME: up, crash, hang, port, peer, cycles. Each prints
 * "initd: PASS ..." / "initd: FAIL ..." lines and a final
 * "initd: NAME: N passed, M failed", then stops initd's loop.
 */
#ifndef KEEL_INITD_SELFTEST_H
#define KEEL_INITD_SELFTEST_H

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
	volatile bool probe_past_end, probe_done, probe_footprint;
};

/* Arms scenario name on d, with t as its state; STATUS_NOT_FOUND for an
 * unknown one. */
status_t selftest_arm(struct initd_test *t, struct initd *d, const char *name);

/* initd's exit code: the scenario's verdict, or (none armed) 1 if the loop
 * failed and 0 if it did not. */
int selftest_verdict(const struct initd_test *t, status_t loop_status);

#endif
