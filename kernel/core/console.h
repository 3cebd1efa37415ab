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
#include <stdbool.h>
#include <stddef.h>

void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char *fmt, va_list ap);

/* From now on print without the console lock: a panicking CPU must not
 * wait for a CPU it has stopped. Output from several CPUs may then mix. */
void console_break_lock(void);

/* With on (the kernel argument keel.stamp, benchmarks only), each line a
 * task prints (sys_debug_write) carries the timestamp at which the kernel
 * took it and the idle ticks until then (arch_idle_ticks):
 * "[task N @TSC-IDLE] text"; under QEMU -icount, TSC - IDLE is the guest
 * instructions executed since reset. */
void console_stamp_task_lines(bool on);

#endif
