/*
 * app.c - the editor's main loop (see app.h).
 */
#include "app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ed.h"
#include "screen.h"
#include "term.h"
#include "view.h"

/* Parses the options; returns the index of the first file or -1. */
static int parse_args(int argc, char **argv, unsigned *tabw, bool *linenums)
{
	int i = 1;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "--") == 0)
			return i + 1;
		if (strcmp(argv[i], "-n") == 0) {
			*linenums = true;
		} else if (strcmp(argv[i], "-t") == 0 && i + 1 < argc) {
			*tabw = (unsigned)atoi(argv[++i]);
			if (*tabw < 1 || *tabw > 16)
				return -1;
		} else {
			return -1;
		}
	}
	return i;
}

status_t app_refresh(struct editor *ed, struct screen *s)
{
	const char *out;
	size_t len;
	status_t st;

	if (ed->redraw) {
		screen_invalidate(s);
		ed->redraw = false;
	}
	ed_scroll(ed);
	view_draw(ed, s);
	if ((st = screen_flush(s, &out, &len)))
		return st;
	return tty_write(out, len);
}

/* How long the rest of an escape sequence may take to arrive after its
 * first bytes: a serial line delivers a sequence in pieces. */
#define ESC_WAIT_MS 100

/* Feeds input bytes to the decoder and the decoded keys to the editor. A
 * pending prefix (ESC, ESC [) stands for itself only when nothing follows
 * within ESC_WAIT_MS. */
static void feed(struct editor *ed, struct keys *k, const char *p, size_t n)
{
	keycode_t keys[KEYS_MAX_OUT];

	for (size_t i = 0; i < n && !ed->quit; i++) {
		size_t m = keys_feed(k, (unsigned char)p[i], keys);
		for (size_t j = 0; j < m && !ed->quit; j++)
			ed_key(ed, keys[j]);
	}
	if (!ed->quit && !tty_input_wait(keys_partial(k) ? ESC_WAIT_MS : 0)) {
		size_t m = keys_idle(k, keys);
		for (size_t j = 0; j < m && !ed->quit; j++)
			ed_key(ed, keys[j]);
	}
}

static status_t loop(struct editor *ed, struct screen *s)
{
	struct keys k;
	char in[4096];
	size_t got;
	status_t st;

	keys_init(&k);
	while (!ed->quit) {
		if ((st = app_refresh(ed, s)) || (st = tty_read(in, sizeof in, &got)))
			return st;
		if (tty_resized()) {
			int rows, cols;
			tty_size(&rows, &cols);
			if (screen_resize(s, rows, cols) == STATUS_OK)
				ed_resize(ed, rows, cols);
		}
		feed(ed, &k, in, got);
	}
	return STATUS_OK;
}

static status_t open_files(struct editor *ed, int argc, char **argv, int first)
{
	for (int i = first; i < argc; i++)
		if (ed_open(ed, argv[i]) == STATUS_NO_MEMORY)
			return STATUS_NO_MEMORY;
	if (ed->ndocs == 0)
		return ed_new(ed);
	ed->cur = 0;
	return STATUS_OK;
}

int edit_main(int argc, char **argv)
{
	struct editor ed;
	struct screen s;
	unsigned tabw = 8;
	bool linenums = false;
	int rows, cols, first = parse_args(argc, argv, &tabw, &linenums);
	status_t st;

	if (first < 0) {
		fprintf(stderr, "usage: edit [-t tabwidth] [-n] [file...]\n");
		return 2;
	}
	tty_size(&rows, &cols);
	ed_init(&ed, &file_posix_ops, rows, cols, tabw);
	ed.linenums = linenums;
	if ((st = open_files(&ed, argc, argv, first)) || (st = screen_init(&s, rows, cols))) {
		fprintf(stderr, "edit: %s\n", status_message(st));
		return 1;
	}
	if ((st = tty_open()) == STATUS_OK)
		st = loop(&ed, &s);
	tty_close();
	screen_free(&s);
	ed_free(&ed);
	if (st)
		fprintf(stderr, "edit: %s\n", status_message(st));
	return st ? 1 : 0;
}
