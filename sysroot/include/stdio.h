/*
 * stdio.h - formatting into memory only; Keel has no FILE streams yet.
 * The conversions are those of kernel/core/fmt.h: %d %i %u %x %X %o %p
 * %s %c %% with flags, width, precision and the length modifiers hh h l ll
 * z t j. There is no floating point (%f %e %g %a) and no %n.
 */
#ifndef KEEL_SYSROOT_STDIO_H
#define KEEL_SYSROOT_STDIO_H

#include <stdarg.h>
#include <stddef.h>

#define EOF (-1)

int snprintf(char *restrict, size_t, const char *restrict, ...)
	__attribute__((format(printf, 3, 4)));
int vsnprintf(char *restrict, size_t, const char *restrict, va_list)
	__attribute__((format(printf, 3, 0)));

#endif
