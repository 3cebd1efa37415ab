/*
 * panic.h - stopping the kernel on an unrecoverable error.
 *
 * panic() prints the message, the CPU, the running thread, the registers
 * and a backtrace, stops every CPU and (in test runs) exits QEMU with a
 * failure status. It never returns.
 */
#ifndef KEEL_CORE_PANIC_H
#define KEEL_CORE_PANIC_H

__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);

#define KASSERT(cond)                                                                              \
	do {                                                                                       \
		if (!(cond))                                                                       \
			panic("assertion failed: %s (%s:%d)", #cond, __FILE__, __LINE__);          \
	} while (0)

#endif
