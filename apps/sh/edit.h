/*
 * edit.h - the interactive line editor.
 *
 * The editor knows nothing of terminals beyond the three operations it is
 * given (read a byte, write bytes, width), so tests drive it with scripted
 * key bytes against a fake terminal.  Keys: Left/Right, Home/End, Ctrl-A/E,
 * Ctrl-B/F, Ctrl-K/U/W, Delete, Backspace, Ctrl-D, Up/Down and Ctrl-P/N
 * for history, Ctrl-R incremental search, Tab completion, Ctrl-L, Ctrl-C.
 * Cursor movement and deletion step over whole UTF-8 characters.
 */
#ifndef SH_EDIT_H
#define SH_EDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

#define EDIT_EOF (-1)       /* read_byte: no more input */
#define EDIT_INTERRUPT (-2) /* read_byte / readline: interrupted */

struct term_ops {
	int (*read_byte)(void *ctx); /* 0..255, EDIT_EOF or EDIT_INTERRUPT */
	void (*write)(void *ctx, const char *s, size_t n);
	int (*columns)(void *ctx);
	void *ctx;
};

/* Candidates for the word that starts at byte start and ends at the
 * cursor: each item replaces that word; an item ending in '/' is not
 * followed by a space. */
struct completion {
	size_t start;
	char **items;
	size_t n, cap;
};

typedef void (*completer_fn)(void *ctx, const char *line, size_t pos, struct completion *c);

struct editor;

struct editor *editor_new(const struct term_ops *ops, int history_max);
void editor_free(struct editor *ed);
void editor_set_completer(struct editor *ed, completer_fn fn, void *ctx);
/* Reads one line into line (without the newline).  Returns 1 for a line,
 * 0 at end of input (Ctrl-D on an empty line), EDIT_INTERRUPT on Ctrl-C. */
int editor_readline(struct editor *ed, const char *prompt, struct strbuf *line);
/* Adds line to the history unless empty or the same as the last; true if
 * added. */
bool editor_history_add(struct editor *ed, const char *line);
int editor_history_count(const struct editor *ed);
const char *editor_history_get(const struct editor *ed, int i);
/* Reads a history file: returns the lines it holds, or -1. */
int editor_history_load(struct editor *ed, const char *path);
/* Appends one line to a history file with one write: 0 or -1. */
int editor_history_append(const char *path, const char *line);
int editor_history_save(struct editor *ed, const char *path);

void completion_add(struct completion *c, const char *item);
void completion_free(struct completion *c);

#endif
