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

/* Starts what the command line asks for; returns to let the CPU idle. */
void selftest_start(const char *cmdline);

#endif
