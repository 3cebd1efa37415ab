/*
 * selftest.h - in-kernel tests and benchmarks run under QEMU.
 *
 * Selected by the command line: keel.test=NAME runs one test in a kernel
 * thread and powers off with its verdict; keel.test=switch measures the
 * thread switch. The tests print "selftest: PASS/FAIL what" lines that the
 * QEMU test scripts under tests/qemu check.
 */
#ifndef KEEL_CORE_SELFTEST_H
#define KEEL_CORE_SELFTEST_H

#include <stdbool.h>

/* Starts the test keel.test=NAME asks for in a kernel thread; returns
 * false when there is none (the root task starts instead). */
bool selftest_start(const char *cmdline);

#endif
