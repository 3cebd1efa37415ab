/*
 * vtmodel.h - a small, test-only terminal emulator: it interprets the
 * subset of VT100/xterm output the editor's renderer may emit and keeps the
 * resulting grid of cells, so that tests can compare what a terminal would
 * show with what the renderer meant. Anything outside the subset is
 * counted in `unknown`, which tests expect to stay zero. To be replaced by
 * Keel's own terminal emulator (services/compd/vt.c) once it lands.
 */
#ifndef EDIT_TESTS_VTMODEL_H
#define EDIT_TESTS_VTMODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vtcell {
	char ch[16];
	uint8_t len, width; /* width 0: right half of a wide character */
	uint16_t attr;      /* in the screen.h encoding */
};

struct vt {
	int rows, cols;
	struct vtcell *cells;
	int row, col;
	bool wrap_pending, cursor_visible, alt_screen;
	uint16_t attr;
	int unknown, scrolled;
	/* parser */
	int state;
	int params[16], nparams;
	bool private_mode;
	unsigned char u8[4];
	size_t u8len, u8need;
};

int vt_init(struct vt *vt, int rows, int cols);
void vt_free(struct vt *vt);

/* Feeds terminal output. */
void vt_feed(struct vt *vt, const char *p, size_t n);

/* The text of a row: each character once, trailing blanks removed. */
void vt_row(const struct vt *vt, int row, char *out, size_t size);

const struct vtcell *vt_cell(const struct vt *vt, int row, int col);

#endif
