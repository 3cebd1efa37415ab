/*
 * console.h - kernel console output.
 *
 * kprintf formats with kernel/lib/fmt.h and hands whole lines to the arch's
 * console (the serial port on x86-64). Safe to call from any CPU and from
 * trap handlers; output of one call is never interleaved with another's.
 */
#ifndef KEEL_CORE_CONSOLE_H
#define KEEL_CORE_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>

void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char *fmt, va_list ap);

/* From now on print without the console lock: a panicking CPU must not
 * wait for a CPU it has stopped. Output from several CPUs may then mix. */
void console_break_lock(void);

#endif
