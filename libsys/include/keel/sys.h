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

#define KEEL_PAGE_SIZE 4096u

/*
 * A Keel program starts in the C library (crt1, sysroot/keel/start.c),
 * which sets up thread-local storage, stdio and argv, then calls main().
 * A program that has no main() - a service, say - defines keel_main()
 * instead: libsys's main() calls it with the task's start page, and its
 * return value is the program's exit status.
 */
int keel_main(const struct keel_start *start);

/* The task's start page (abi/start.h): its capabilities and quotas. */
static inline const struct keel_start *keel_start_page(void)
{
	return (const struct keel_start *)(uintptr_t)KEEL_START_ADDR;
}

/*
 * Formats like printf (conversions of kernel/lib/fmt.h: no floating point) and
 * writes the text to the kernel console with sys_debug_write on witness,
 * which needs RIGHT_WRITE. Output up to 512 bytes goes out in one call, so
 * lines from concurrent writers do not interleave. Returns the status of
 * the last sys_debug_write.
 */
status_t keel_print(cap_handle_t witness, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
status_t keel_vprint(cap_handle_t witness, const char *fmt, va_list ap);

#endif
