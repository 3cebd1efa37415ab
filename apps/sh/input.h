/*
 * input.h - the parser's character source (see input.c).
 */
#ifndef SH_INPUT_H
#define SH_INPUT_H

#include "sh.h"

struct input {
	char *buf;
	size_t len, pos;
	int fd;            /* -1: string or reader */
	bool eof;          /* no more text will arrive */
	bool continuation; /* the next reader line continues a command */
	int lineno;        /* line the parser is on */
	int (*reader)(void *ctx, struct strbuf *line, bool continuation);
	void *rctx;
	bool *verbose;
	struct strbuf vline;
};

/* Next byte, or -1 at end of input. */
int input_getc(struct input *in);
/* Marks the start of a new command (the reader prompts with PS1). */
void input_new_command(struct input *in);
/* Reads on after an end of input (an interactive shell that stays for
 * its stopped jobs): the line reader is asked again. */
void input_resume(struct input *in);

#endif
