/*
 * screen.h - a model of the terminal's cells and the renderer that updates
 * the terminal to a new picture with as few bytes as it can.
 *
 * The editor draws each frame into the "want" grid. screen_flush() compares
 * it with the "have" grid (what the terminal shows now), emits escape
 * sequences only for the cells that differ, with the shortest cursor
 * movement among absolute and relative forms, and erase-in-line for blank
 * tails. Output uses only cursor addressing and relative moves, CR/LF,
 * erase in line and display, SGR with 16 colours, and cursor show/hide.
 */
#ifndef EDIT_SCREEN_H
#define EDIT_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/status.h"

/* Bytes one cell can hold: a character and a few combining marks. */
#define CELL_BYTES 15

/* A cell's attribute: foreground and background colour (0 = terminal
 * default, 1..16 = colour 0..15) and flags. */
#define ATTR_FG(c) ((uint16_t)((c) + 1))
#define ATTR_BG(c) ((uint16_t)(((c) + 1) << 5))
#define ATTR_BOLD (1u << 10)
#define ATTR_REVERSE (1u << 11)
#define ATTR_UNDERLINE (1u << 12)
#define ATTR_FG_OF(a) ((a)&0x1f)
#define ATTR_BG_OF(a) (((a) >> 5) & 0x1f)

/* Widths a cell can have besides 1 and 2. */
#define CELL_CONT 0      /* the right half of a wide character */
#define CELL_UNKNOWN 255 /* the terminal's content is not known */

struct cell {
	char ch[CELL_BYTES];
	uint8_t len;
	uint8_t width;
	uint16_t attr;
};

struct screen {
	int rows, cols;
	struct cell *want, *have;
	int cur_row, cur_col;   /* the terminal's cursor, -1 if unknown */
	int want_row, want_col; /* where the cursor should be shown */
	bool want_visible, visible;
	int attr;   /* the terminal's SGR state, -1 if unknown */
	bool clear; /* erase the display before the next frame */
	bool begun; /* this frame has started its output */
	char *out;
	size_t outlen, outcap;
	bool out_failed;
};

/* Sets up a screen of rows x cols (each at least 1). */
status_t screen_init(struct screen *s, int rows, int cols);
void screen_free(struct screen *s);

/* Changes the size; the next flush redraws everything. */
status_t screen_resize(struct screen *s, int rows, int cols);

/* Forgets what the terminal shows: the next flush redraws everything. */
void screen_invalidate(struct screen *s);

/* Fills the want grid with blanks. */
void screen_clear(struct screen *s);

/* Puts one character (n bytes of UTF-8, width 1 or 2) at row, col of the
 * want grid; a wide character that does not fit becomes a blank. Returns
 * the columns used (0 when off screen). */
int screen_put(struct screen *s, int row, int col, const char *ch, size_t n, int width,
	       uint16_t attr);

/* Appends a zero-width mark to the character at row, col (ignored if it
 * does not fit or there is no character). */
void screen_add_mark(struct screen *s, int row, int col, const char *mark, size_t n);

/* Puts a UTF-8 string from col on, clipped at the right edge; returns the
 * column after it. Control and invalid bytes show as '?'. */
int screen_text(struct screen *s, int row, int col, const char *str, uint16_t attr);

/* Fills row from col to the right edge with blanks of attr. */
void screen_fill(struct screen *s, int row, int col, uint16_t attr);

/* Where the cursor goes after the frame, and whether it is shown. */
void screen_set_cursor(struct screen *s, int row, int col, bool visible);

/*
 * Brings the terminal from "have" to "want": returns the bytes to write in
 * *out and *len (valid until the next call) and updates "have".
 * STATUS_NO_MEMORY if the output could not be buffered; the screen is then
 * invalidated so that the next flush starts over.
 */
status_t screen_flush(struct screen *s, const char **out, size_t *len);

/* The cell at row, col of the want grid (for tests). */
const struct cell *screen_want(const struct screen *s, int row, int col);

#endif
