/*
 * stdio.c - snprintf and vsnprintf over the kernel's formatting engine
 * (kernel/core/fmt.c, compiled into this library), so Keel has one printf
 * implementation.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>

#include "lib/fmt.h"

/* Returns the full length of the output, or -1 with EOVERFLOW when it exceeds INT_MAX. */
int vsnprintf(char *restrict buf, size_t n, const char *restrict fmt, va_list ap)
{
	size_t len = fmt_vsnprintf(buf, n, fmt, ap);

	if (len > INT_MAX) {
		errno = EOVERFLOW;
		return -1;
	}
	return (int)len;
}

int snprintf(char *restrict buf, size_t n, const char *restrict fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return len;
}
