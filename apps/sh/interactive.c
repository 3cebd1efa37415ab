/*
 * interactive.c - the interactive shell: prompts (PS1 and PS2 are
 * parameter-expanded; the default PS1 is "$PWD $ "), the line editor on a
 * terminal, history kept in $HISTFILE or $HOME/.sh_history across
 * sessions, and Tab completion of command names and paths.
 */
#define _DEFAULT_SOURCE 1
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "complete.h"
#include "edit.h"
#include "exec.h"
#include "input.h"

#define HISTORY_MAX 1000
/* The history file is rewritten with the last HISTORY_MAX lines when it
 * has grown to HISTORY_TRIM lines: lines are appended one by one. */
#define HISTORY_TRIM (2 * HISTORY_MAX)

struct term_fd {
	int in, out;
	struct shell *sh;
	bool stamped;
};

static int tty_read(void *ctx)
{
	struct term_fd *t = ctx;
	unsigned char c;

	for (;;) {
		ssize_t n = read(t->in, &c, 1);

		if (n == 1)
			return c;
		if (n < 0 && errno == EINTR) {
			if (os_interrupted())
				return EDIT_INTERRUPT;
			continue;
		}
		return EDIT_EOF;
	}
}

static void tty_write(void *ctx, const char *s, size_t n)
{
	struct term_fd *t = ctx;

	xwrite_all(t->out, s, n);
#if defined(SH_KEEL) && defined(__x86_64__)
	/* The first write is the first prompt: KEEL_PROMPT_TSC keeps the
	 * time-stamp counter then (under QEMU -icount, guest instructions
	 * since reset), for the boot figure (tests/bench/console.sh). */
	if (!t->stamped) {
		char v[24];

		t->stamped = true;
		snprintf(v, sizeof v, "%llu", (unsigned long long)__builtin_ia32_rdtsc());
		var_set(t->sh, "KEEL_PROMPT_TSC", v, 0);
	}
#endif
}

static int tty_columns(void *ctx)
{
	struct term_fd *t = ctx;

	return os_term_columns(t->out);
}

static char *history_path(struct shell *sh)
{
	const char *h = var_get(sh, "HISTFILE");

	if (h && *h)
		return xstrdup(h);
	const char *home = var_get(sh, "HOME");

	if (!home)
		return NULL;
	char *p = xmalloc(strlen(home) + 16);

	strcpy(p, home);
	strcat(p, "/.sh_history");
	return p;
}

/* Rewrites the history file with the editor's lines (the last
 * HISTORY_MAX): into a new file renamed over the old one, so that a
 * power-off meanwhile loses nothing; in place if that fails. */
static void history_rewrite(struct shell *sh, const char *path)
{
	char *tmp = xmalloc(strlen(path) + 8);

	strcpy(tmp, path);
	strcat(tmp, ".new");
	if (editor_history_save(sh->ed, tmp) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		editor_history_save(sh->ed, path);
	}
	free(tmp);
	sh->hist_lines = editor_history_count(sh->ed);
}

void interactive_save_history(struct shell *sh)
{
	char *path = history_path(sh);

	if (path && sh->ed && sh->hist_lines > HISTORY_MAX)
		history_rewrite(sh, path);
	free(path);
}

/* Adds a line entered to the history and appends it to the file at once
 * (a shell killed at power-off keeps it); trims the file now and then. */
static void history_enter(struct shell *sh, const char *line)
{
	if (!editor_history_add(sh->ed, line))
		return;
	char *path = history_path(sh);

	if (path && editor_history_append(path, line) == 0 && ++sh->hist_lines >= HISTORY_TRIM)
		history_rewrite(sh, path);
	free(path);
}

/* Reads a line without the editor (not a terminal): prompt on stderr,
 * bytes up to a newline. */
static int plain_read(struct shell *sh, const char *prompt, struct strbuf *line)
{
	out_str(sh, 2, prompt);
	out_flush(sh);
	for (;;) {
		char c;
		ssize_t n = read(0, &c, 1);

		if (n < 0 && errno == EINTR) {
			if (os_interrupted()) {
				sh->exc_status = 130;
				sh_raise(sh, EX_INT);
			}
			continue;
		}
		if (n <= 0)
			return line->len ? 1 : 0;
		sb_putc(line, c);
		if (c == '\n')
			return 1;
	}
}

/* The input reader: one line per call, with PS1 or PS2. */
static int read_command_line(void *ctx, struct strbuf *line, bool continuation)
{
	struct shell *sh = ctx;
	const char *ps = var_get(sh, continuation ? "PS2" : "PS1");
	char *prompt = prompt_expand(sh, ps ? ps : "");
	int r;

	sh->lines_read++;
	sh->lineno = sh->lines_read;
	if (!sh->ed) {
		r = plain_read(sh, prompt, line);
		free(prompt);
		return r;
	}
	os_term_raw(0, true);
	r = editor_readline(sh->ed, prompt, line);
	os_term_raw(0, false);
	free(prompt);
	if (r == EDIT_INTERRUPT) {
		sh->exc_status = 130;
		sh_raise(sh, EX_INT);
	}
	if (r <= 0)
		return 0;
	if (line->len)
		history_enter(sh, sb_cstr(line));
	sb_putc(line, '\n');
	return 1;
}

int interactive_loop(struct shell *sh, struct input *in)
{
	struct term_fd tfd = { 0, 2, sh, false };
	struct term_ops ops = { tty_read, tty_write, tty_columns, &tfd };

	if (os_isatty(0)) {
		sh->ed = editor_new(&ops, HISTORY_MAX);
		editor_set_completer(sh->ed, complete_line, sh);
		char *path = history_path(sh);

		int lines = path ? editor_history_load(sh->ed, path) : -1;

		sh->hist_lines = lines > 0 ? lines : 0;
		free(path);
	}
	input_set_reader(in, read_command_line, sh);
	int status = exec_input(sh, in, true);

	if (sh->ed)
		out_str(sh, 2, "\n");
	return status;
}
