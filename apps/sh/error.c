/*
 * error.c - messages in dash's format ("NAME: LINE: message"), the
 * unwinding of errors to the nearest catch point, and the buffered output
 * that builtins write through.
 */
#define _DEFAULT_SOURCE 1
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sh.h"

int xwrite_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

const char *sh_name(struct shell *sh)
{
	return sh->arg0 ? sh->arg0 : "sh";
}

/* Writes "NAME: LINE: [cmd: ]message\n" to stderr in one write. */
static void vmessage(struct shell *sh, bool with_cmd, const char *fmt, va_list ap)
{
	struct strbuf b;

	out_flush(sh);
	sb_init(&b);
	sb_printf(&b, "%s: %d: ", sh_name(sh), sh->lineno);
	if (with_cmd && sh->cmdname)
		sb_printf(&b, "%s: ", sh->cmdname);
	char tmp[1024];

	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	sb_puts(&b, tmp);
	sb_putc(&b, '\n');
	if (xwrite_all(2, b.s, b.len) < 0)
		sh->out2.error = true;
	sb_free(&b);
}

void sh_warn(struct shell *sh, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(sh, true, fmt, ap);
	va_end(ap);
}

/* A message without the builtin name even inside a builtin. */
void sh_warn_cmd(struct shell *sh, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(sh, false, fmt, ap);
	va_end(ap);
}

/* Prints a builtin's error and returns status for it to return. */
int sh_builtin_err(struct shell *sh, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(sh, true, fmt, ap);
	va_end(ap);
	return status;
}

_Noreturn void sh_raise(struct shell *sh, enum exc e)
{
	if (!sh->catch) {
		out_flush(sh);
		exit(sh->exc_status);
	}
	sh->exc_pending = (int)e;
	longjmp(sh->catch->jb, (int)e);
}

_Noreturn void sh_error(struct shell *sh, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(sh, true, fmt, ap);
	va_end(ap);
	sh->exc_status = 2;
	sh_raise(sh, EX_ERROR);
}

_Noreturn void sh_exit(struct shell *sh, int status)
{
	sh->exc_status = status;
	sh_raise(sh, EX_EXIT);
}

static struct outbuf *outbuf_for(struct shell *sh, int fd)
{
	if (fd == 1)
		return &sh->out1;
	if (fd == 2)
		return &sh->out2;
	return NULL;
}

static void outbuf_flush(struct outbuf *o)
{
	if (o->len && !o->error && xwrite_all(o->fd, o->buf, o->len) < 0) {
		o->error = true;
		o->err = errno;
	}
	o->len = 0;
}

void out_write(struct shell *sh, int fd, const char *s, size_t n)
{
	struct outbuf *o = outbuf_for(sh, fd);

	if (!o) {
		if (xwrite_all(fd, s, n) < 0)
			sh->out1.error = true;
		return;
	}
	if (o->len + n > sizeof(o->buf))
		outbuf_flush(o);
	if (n > sizeof(o->buf)) {
		if (!o->error && xwrite_all(fd, s, n) < 0) {
			o->error = true;
			o->err = errno;
		}
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

void out_str(struct shell *sh, int fd, const char *s)
{
	out_write(sh, fd, s, strlen(s));
}

void out_fmt(struct shell *sh, int fd, const char *fmt, ...)
{
	va_list ap;
	char tmp[512];

	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);

	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(tmp)) {
		out_write(sh, fd, tmp, (size_t)n);
		return;
	}
	char *big = xmalloc((size_t)n + 1);

	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	out_write(sh, fd, big, (size_t)n);
	free(big);
}

/* Flushes both buffers; returns 0 or the errno of a failed write (which
 * is then forgotten). */
int out_flush(struct shell *sh)
{
	int err = 0;

	outbuf_flush(&sh->out1);
	outbuf_flush(&sh->out2);
	if (sh->out1.error)
		err = sh->out1.err ? sh->out1.err : EIO;
	sh->out1.error = false;
	sh->out1.err = 0;
	sh->out2.error = false;
	sh->out2.err = 0;
	return err;
}

void out_discard(struct shell *sh)
{
	sh->out1.len = 0;
	sh->out2.len = 0;
	sh->out1.error = sh->out2.error = false;
}
