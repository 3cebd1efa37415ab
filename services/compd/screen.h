/*
 * screen.h - what a screen must offer compd, so that the terminal
 * emulator's cell grid can be shown on the VGA text mode at 0xB8000 now
 * and on a framebuffer compositor later, behind the same calls.
 *
 * A screen is a grid of character cells of a fixed size. compd calls
 * screen_flush() after feeding a terminal: it redraws the rows the
 * terminal marked dirty, each as one run of cells, and then places the
 * cursor. A screen draws what it is given and keeps no terminal state.
 */
#ifndef KEEL_COMPD_SCREEN_H
#define KEEL_COMPD_SCREEN_H

#include <stdbool.h>
#include <stdint.h>

#include "vt.h"

/* Flags for draw. */
#define SCREEN_REVERSE 0x01 /* the terminal is in reverse video (DECSCNM) */

struct screen_ops {
	/* The size in cells; fixed while the screen exists. */
	void (*size)(void *ctx, unsigned *rows, unsigned *cols);
	/* Draws n cells of row r from column c (c + n <= cols). A wide
	 * character comes as its VT_WIDE cell and the VT_WIDE_CONT cell
	 * after it, both within the run. */
	void (*draw)(void *ctx, unsigned r, unsigned c, const struct vt_cell *cells, unsigned n,
		     unsigned flags);
	/* Shows the cursor at row r, column c, or hides it. */
	void (*cursor)(void *ctx, unsigned r, unsigned c, bool shown);
};

struct screen {
	const struct screen_ops *ops;
	void *ctx;
};

/* Draws the rows of vt that changed since the last flush (all of them if
 * all is true, e.g. after switching consoles), marks them clean, and
 * places the cursor. Only the part of the grid that fits the screen is
 * drawn; a cursor outside it is hidden. */
void screen_flush(struct vt *vt, const struct screen *screen, bool all);

#endif
