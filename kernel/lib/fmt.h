/*
 * fmt.h - the kernel's printf formatting engine.
 *
 * Arch-neutral: output goes through a caller-supplied sink, so the same
 * code formats to the serial console in the kernel and to a buffer in the
 * host tests. Supported conversions: %d %i %u %x %X %o %p %s %c %%, with
 * flags '-', '0', '+', ' ', '#', a field width and precision (either may be
 * '*'), and the length modifiers hh h l ll z t j.
 * Floating point is deliberately absent: the kernel never uses the FPU.
 */
#ifndef KEEL_LIB_FMT_H
#define KEEL_LIB_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* A sink receives a run of n bytes; it must accept all of them. */
typedef void (*fmt_sink_fn)(void *ctx, const char *s, size_t n);

/* Formats fmt with ap into sink; returns the number of bytes produced. */
size_t fmt_vformat(fmt_sink_fn sink, void *ctx, const char *fmt, va_list ap);

/*
 * Formats into buf of size n, always NUL-terminating when n > 0. Returns
 * the length the full output would have had, like C's vsnprintf.
 */
size_t fmt_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
size_t fmt_snprintf(char *buf, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
