/*
 * view.h - drawing the editor into the screen model: the text rows with
 * highlighting, selection and line numbers, the status line and the bottom
 * line (prompt, message or key help). Long lines scroll horizontally: the
 * whole text area shifts so that the cursor's column stays visible.
 */
#ifndef EDIT_VIEW_H
#define EDIT_VIEW_H

#include "ed.h"
#include "screen.h"

/* Draws the whole frame into s's want grid and places the cursor. The
 * editor must have been scrolled (ed_scroll) first. */
void view_draw(struct editor *ed, struct screen *s);

/* The attribute a highlight class is drawn with. */
uint16_t view_attr(enum hl_attr a);

#endif
