/*
 * ed.h - the editor core: open documents, the cursor and the commands
 * that keys are bound to. Driven one key at a time by ed_key(); it never
 * touches the terminal, so tests run it directly.
 */
#ifndef EDIT_ED_H
#define EDIT_ED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "file.h"
#include "hl.h"
#include "keys.h"
#include "search.h"
#include "undo.h"

#define PROMPT_MAX 512
#define ED_MSG_MAX 160

struct doc {
	struct buf buf;
	struct undo undo;
	struct hl_cache hl;
	char *path;  /* NULL for a buffer with no name yet */
	size_t cur;  /* cursor offset */
	size_t mark; /* other end of the region when mark_set */
	bool mark_set;
	size_t want_col;  /* display column kept by vertical moves */
	size_t top, left; /* first line and first column shown */
	bool is_new;      /* not on disk when opened */
};

enum prompt_kind {
	PROMPT_NONE,
	PROMPT_SAVE_AS,
	PROMPT_OPEN,
	PROMPT_GOTO,
	PROMPT_FIND,
	PROMPT_REPLACE_FIND,
	PROMPT_REPLACE_WITH,
	PROMPT_ASK_SAVE,
	PROMPT_ASK_REPLACE,
};

struct prompt {
	enum prompt_kind kind;
	char text[PROMPT_MAX];
	size_t len, cur;
	size_t origin;         /* where the incremental search looks from */
	size_t home, home_top; /* cursor and view to go back to on cancel */
};

/* Kinds of commands, for grouping undo steps and cuts. */
enum cmd_kind { CMD_OTHER, CMD_TYPE, CMD_BACKSPACE, CMD_DELETE, CMD_CUT };

struct editor {
	struct doc **docs;
	size_t ndocs, cur, capdocs;
	const struct file_ops *fops;
	int rows, cols;
	unsigned tabw;
	bool linenums, autoindent, help, quit, quitting_all, close_after_save, redraw;
	struct search search;
	bool s_regex, s_icase, s_backward, s_valid;
	char last_find[PROMPT_MAX];
	char replace[PROMPT_MAX];
	size_t replace_len, rep_count, rep_stop;
	bool rep_wrapped;
	size_t match_start, match_len; /* match shown highlighted */
	bool match_shown;
	char *clip;
	size_t cliplen;
	enum cmd_kind last_cmd;
	bool cut_append; /* the command before was a cut too */
	char msg[ED_MSG_MAX];
	struct prompt pr;
	uint8_t *attrs; /* scratch for drawing a line */
	size_t attrcap;
};

/* Sets up an editor with no documents for a rows x cols terminal. */
void ed_init(struct editor *ed, const struct file_ops *fops, int rows, int cols, unsigned tabw);
void ed_free(struct editor *ed);

/* Opens path in a new document and makes it current (an existing one if it
 * is already open). A missing file gives an empty new document. */
status_t ed_open(struct editor *ed, const char *path);

/* Adds an empty document with no name and makes it current. */
status_t ed_new(struct editor *ed);

/* Handles one key. */
void ed_key(struct editor *ed, keycode_t key);

/* Follows a terminal size change. */
void ed_resize(struct editor *ed, int rows, int cols);

/* The current document (NULL once all are closed). */
struct doc *ed_doc(const struct editor *ed);

/* Rows available for text, and the width of the line-number gutter. */
int ed_text_rows(const struct editor *ed);
int ed_gutter(const struct editor *ed);

/* Scrolls the current document so that the cursor is on screen. */
void ed_scroll(struct editor *ed);

/* Sets the message line (printf format). */
void ed_msg(struct editor *ed, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The whole text of the current document as a malloc'd NUL-terminated
 * string (for tests); NULL if memory runs out. */
char *ed_text(const struct editor *ed, size_t *len);

/* Internal to the editor core (ed.c, cmd.c, prompt.c). */
status_t doc_insert(struct editor *ed, struct doc *d, size_t pos, const char *s, size_t n);
status_t doc_delete(struct editor *ed, struct doc *d, size_t pos, size_t n);
void doc_set_cursor(struct editor *ed, struct doc *d, size_t pos);
void doc_set_lang(struct doc *d);
void ed_close_current(struct editor *ed);
/* Closes the current document, asking first if it has unsaved changes, and
 * goes on with the next one while quitting all. */
void ed_close_step(struct editor *ed);
status_t ed_save_to(struct editor *ed, const char *path);
void cmd_dispatch(struct editor *ed, keycode_t key);
void prompt_key(struct editor *ed, keycode_t key);
void prompt_start(struct editor *ed, enum prompt_kind kind, const char *initial);
const char *prompt_label(const struct editor *ed);
void find_next(struct editor *ed, bool backward);

#endif
