/*
 * vt_text.h - test helpers: a terminal's rows as UTF-8 text, for the host
 * tests and the tmux comparison.
 */
#ifndef KEEL_COMPD_TESTS_VT_TEXT_H
#define KEEL_COMPD_TESTS_VT_TEXT_H

#include "vt.h"

/* Writes row r of vt as UTF-8 to out (cap bytes, terminated), skipping
 * the right halves of wide characters and dropping trailing spaces.
 * Returns out. */
static inline char *vt_row_text(const struct vt *vt, unsigned r, char *out, size_t cap)
{
	const struct vt_cell *row = vt_row(vt, r);
	size_t n = 0, keep = 0;

	for (unsigned c = 0; c < vt->cols && n + 5 < cap; c++) {
		if (row[c].width == VT_WIDE_CONT)
			continue;
		n += utf8_encode(row[c].cp, (uint8_t *)out + n);
		if (row[c].cp != ' ')
			keep = n;
	}
	out[keep] = 0;
	return out;
}

#endif
