/*
 * selftest.h - supervision scenarios for the QEMU tests, chosen with
 * initd.test=NAME: up, crash, hang, port, peer, cycles. Each prints
 * "initd: PASS ..." / "initd: FAIL ..." lines and a final
 * "initd: NAME: N passed, M failed", then stops initd's loop.
 */
#ifndef KEEL_INITD_SELFTEST_H
#define KEEL_INITD_SELFTEST_H

#include "services.h"

/* Arms scenario name; STATUS_NOT_FOUND for an unknown one. */
status_t selftest_arm(struct initd *d, const char *name);

/* initd's exit code: the scenario's verdict, or 1 if the loop failed. */
int selftest_verdict(struct initd *d, status_t loop_status);

#endif
