/*
 * input.c - sources of shell text for the parser: a string, a file
 * descriptor read in blocks as the parser needs more, or a line reader
 * (the interactive line editor) asked for one line at a time.
 */
#define _DEFAULT_SOURCE 1
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input.h"

struct input *input_from_string(const char *s, size_t len, int lineno)
{
	struct input *in = xmalloc(sizeof(*in));

	memset(in, 0, sizeof(*in));
	in->buf = xmalloc(len + 1);
	memcpy(in->buf, s, len);
	in->len = len;
	in->fd = -1;
	in->eof = true;
	in->lineno = lineno;
	return in;
}

struct input *input_from_fd(int fd, int lineno)
{
	struct input *in = xmalloc(sizeof(*in));

	memset(in, 0, sizeof(*in));
	in->fd = fd;
	in->lineno = lineno;
	return in;
}

void input_set_reader(struct input *in, int (*reader)(void *, struct strbuf *, bool), void *ctx)
{
	in->reader = reader;
	in->rctx = ctx;
	in->fd = -1;
	in->eof = false;
}

void input_set_verbose(struct input *in, bool *verbose_flag)
{
	in->verbose = verbose_flag;
}

void input_free(struct input *in)
{
	if (!in)
		return;
	free(in->buf);
	sb_free(&in->vline);
	free(in);
}

int input_lineno(const struct input *in)
{
	return in->lineno;
}

bool input_eof(const struct input *in)
{
	return in->eof && in->pos >= in->len;
}

/* Drops consumed text and appends up to one block (or one line from the
 * reader).  Returns false at end of input. */
static bool input_refill(struct input *in)
{
	if (in->eof)
		return false;
	if (in->pos > 0) {
		memmove(in->buf, in->buf + in->pos, in->len - in->pos);
		in->len -= in->pos;
		in->pos = 0;
	}
	if (in->reader) {
		struct strbuf line;

		sb_init(&line);
		int r = in->reader(in->rctx, &line, in->continuation);

		in->continuation = true;
		if (r <= 0) {
			sb_free(&line);
			in->eof = true;
			return false;
		}
		in->buf = xrealloc(in->buf, in->len + line.len + 1);
		memcpy(in->buf + in->len, line.s, line.len);
		in->len += line.len;
		sb_free(&line);
		return true;
	}
	in->buf = xrealloc(in->buf, in->len + 4096 + 1);
	for (;;) {
		ssize_t n = read(in->fd, in->buf + in->len, 4096);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			in->eof = true;
			return false;
		}
		in->len += (size_t)n;
		return true;
	}
}

/* Echoes consumed characters for `set -v`, a line at a time. */
static void input_echo(struct input *in, int c)
{
	sb_putc(&in->vline, (char)c);
	if (c == '\n') {
		if (xwrite_all(2, in->vline.s, in->vline.len) < 0)
			in->vline.len = 0;
		in->vline.len = 0;
	}
}

int input_getc(struct input *in)
{
	if (in->pos >= in->len && !input_refill(in)) {
		if (in->verbose && *in->verbose && in->vline.len) {
			if (xwrite_all(2, in->vline.s, in->vline.len) < 0)
				in->vline.len = 0;
			in->vline.len = 0;
		}
		return -1;
	}
	unsigned char c = (unsigned char)in->buf[in->pos++];

	if (in->verbose && *in->verbose)
		input_echo(in, c);
	return c;
}

void input_resume(struct input *in)
{
	if (in->reader)
		in->eof = false;
}

void input_new_command(struct input *in)
{
	in->continuation = false;
}
