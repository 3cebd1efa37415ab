/*
 * msg.c - messages to standard error, always prefixed with the command's
 * name as it was invoked ("NAME: ...").
 */
#include "toolbox.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

/* Prints "NAME: <formatted>\n". */
void msg(const char *name, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Prints "NAME: <formatted>: <strerror(errno)>\n"; errno is read first. */
void msg_errno(const char *name, const char *fmt, ...)
{
	int e = errno;
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(e));
}

/* Prints the one-line usage of a command after a usage error. */
void msg_usage(const char *name, const char *usage)
{
	fprintf(stderr, "Usage: %s %s\n", path_base(name), usage ? usage : "");
}
