/*
 * screen.c - drawing a terminal on a screen (screen.h).
 */
#include "screen.h"

void screen_flush(struct vt *vt, const struct screen *screen, bool all)
{
	unsigned rows, cols, flags = 0;
	uint32_t modes = vt_modes(vt);

	screen->ops->size(screen->ctx, &rows, &cols);
	if (modes & VT_MODE_REVERSE_VIDEO)
		flags |= SCREEN_REVERSE;
	for (unsigned r = 0; r < vt->rows; r++) {
		if (!all && !vt_dirty(vt, r))
			continue;
		vt_clean(vt, r);
		if (r >= rows)
			continue;
		unsigned n = vt->cols < cols ? vt->cols : cols;
		const struct vt_cell *row = vt_row(vt, r);
		if (n < vt->cols && row[n - 1].width == VT_WIDE)
			n--; /* never half a wide character */
		screen->ops->draw(screen->ctx, r, 0, row, n, flags);
	}
	bool inside = vt->row < rows && vt->col < cols;
	screen->ops->cursor(screen->ctx, vt->row, vt->col,
			    inside && (modes & VT_MODE_CURSOR_SHOWN));
}
