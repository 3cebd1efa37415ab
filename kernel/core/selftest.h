/*
 * selftest.h - in-kernel tests and benchmarks run under QEMU.
 *
 * Selected by the command line: keel.test=NAME runs one test in a kernel
 * thread and powers off with its verdict; keel.bench runs the kernel's
 * benchmarks. The tests print "selftest: PASS/FAIL what" lines that the
 * QEMU test scripts under tests/qemu check.
 */
#ifndef KEEL_CORE_SELFTEST_H
#define KEEL_CORE_SELFTEST_H

#include <stdbool.h>

/* Starts what the command line asks for (keel.test=NAME or keel.bench) in
 * a kernel thread; returns false when it asks for neither. */
bool selftest_start(const char *cmdline);

#endif
