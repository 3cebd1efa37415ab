/*
 * vt_internal.h - what the three parts of the terminal emulator share:
 * vt.c (the grid), vt_parse.c (the parser) and vt_csi.c (CSI sequences).
 * Not for users of vt.h.
 */
#ifndef KEEL_COMPD_VT_INTERNAL_H
#define KEEL_COMPD_VT_INTERNAL_H

#include "vt.h"

/* The parser's actions. */
void vt_print(struct vt *vt, uint32_t cp);
void vt_execute(struct vt *vt, uint8_t c);
void vt_esc_dispatch(struct vt *vt, uint8_t final);
void vt_csi_dispatch(struct vt *vt, uint8_t final);

/* Grid operations (vt.c). Rows and columns are 0-based and inclusive. */
struct vt_cell *vt_cell_at(struct vt *vt, unsigned r, unsigned c);
struct vt_cell vt_blank(const struct vt *vt);
void vt_mark(struct vt *vt, unsigned r);
void vt_mark_rows(struct vt *vt, unsigned first, unsigned last);
void vt_mark_all(struct vt *vt);
void vt_fix_edges(struct vt *vt, unsigned r, unsigned c0, unsigned c1);
void vt_fix_row(struct vt *vt, unsigned r);
void vt_erase(struct vt *vt, unsigned r, unsigned c0, unsigned c1);
void vt_scroll_up(struct vt *vt, unsigned top, unsigned bottom, unsigned n);
void vt_scroll_down(struct vt *vt, unsigned top, unsigned bottom, unsigned n);
void vt_goto(struct vt *vt, int r, int c);
void vt_index(struct vt *vt);
void vt_reverse_index(struct vt *vt);
void vt_tab_forward(struct vt *vt, unsigned n);
void vt_tab_backward(struct vt *vt, unsigned n);
void vt_reset_tabs(struct vt *vt, unsigned from);
void vt_save_cursor(struct vt *vt);
void vt_restore_cursor(struct vt *vt);
void vt_use_alternate(struct vt *vt, bool on, bool clear);
void vt_reset_state(struct vt *vt);
void vt_reply(struct vt *vt, const char *s);

/* Modes and SGR (vt_modes.c). */
void vt_set_modes(struct vt *vt, bool dec, bool on);
void vt_sgr(struct vt *vt);

/* Writes v in decimal at p and returns the end (no terminator). */
char *vt_utoa(char *p, unsigned v);

#endif
