/*
 * keel/sys.h - what every Keel program includes: the system calls, the
 * ABI types they use, the program entry point and console output.
 *
 * The sys_* calls themselves are the static inline stubs generated from
 * kernel/abi/syscalls.def (build/gen/syscall_stubs.h); build/gen/abi.md
 * documents each of them. libsys adds what is declared below.
 */
#ifndef KEEL_SYS_H
#define KEEL_SYS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "abi/message.h"
#include "abi/rights.h"
#include "abi/start.h"
#include "abi/status.h"
#include "abi/supervise.h"
#include "syscall_stubs.h"

/* libsys/start.S issues sys_thread_exit by number; it never changes. */
_Static_assert(SYS_THREAD_EXIT == 9, "libsys/start.S hard-codes SYS_THREAD_EXIT");

#define KEEL_PAGE_SIZE 4096u

/*
 * The program's main function, called by _start (libsys/start.S) with the
 * task's start page. Its return value becomes the sys_thread_exit code of
 * the first thread, sign-extended to 64 bits.
 */
int keel_main(const struct keel_start *start);

/*
 * Formats like printf (conversions of core/fmt.h: no floating point) and
 * writes the text to the kernel console with sys_debug_write on witness,
 * which needs RIGHT_WRITE. Output up to 512 bytes goes out in one call, so
 * lines from concurrent writers do not interleave. Returns the status of
 * the last sys_debug_write.
 */
status_t keel_print(cap_handle_t witness, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
status_t keel_vprint(cap_handle_t witness, const char *fmt, va_list ap);

#endif
