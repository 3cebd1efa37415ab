/*
 * vt.c - the terminal emulator's grid: printing, C0 controls, cursor
 * motion, scrolling, erasing, the alternate screen and resizing. The
 * parser (vt_parse.c) and the CSI sequences (vt_csi.c) call in here.
 *
 * Invariants every function keeps: the cursor is inside the grid, the
 * scroll region is top < bottom inside the grid (or the whole grid when it
 * has one row), and a VT_WIDE cell is always followed by its VT_WIDE_CONT
 * cell in the same row.
 */
#include <string.h>

#include "vt.h"
#include "vt_internal.h"

void vt_mark(struct vt *vt, unsigned r)
{
	vt->dirty[r / 64] |= 1ull << (r % 64);
}

void vt_mark_rows(struct vt *vt, unsigned first, unsigned last)
{
	for (unsigned r = first; r <= last && r < vt->rows; r++)
		vt_mark(vt, r);
}

struct vt_cell *vt_cell_at(struct vt *vt, unsigned r, unsigned c)
{
	return vt->grid + (size_t)vt->map[vt->grid == vt->alternate][r] * vt->cols + c;
}

/* An erased cell: a space in the current background colour (xterm's
 * background colour erase), no attributes. */
struct vt_cell vt_blank(const struct vt *vt)
{
	struct vt_cell b = { .cp = ' ', .fg = VT_COLOR_DEFAULT, .bg = vt->pen.bg };
	return b;
}

/* Blanks cell c of row, in the default colours as tmux does, if it is
 * half of a wide character whose other half is gone. */
static void fix_cell(struct vt_cell *row, unsigned cols, unsigned c)
{
	struct vt_cell *x = &row[c];
	bool broken = false;

	if (x->width == VT_WIDE)
		broken = c + 1 >= cols || row[c + 1].width != VT_WIDE_CONT;
	else if (x->width == VT_WIDE_CONT)
		broken = c == 0 || row[c - 1].width != VT_WIDE;
	if (broken) {
		struct vt_cell blank = { .cp = ' ' };
		*x = blank;
	}
}

void vt_fix_edges(struct vt *vt, unsigned r, unsigned c0, unsigned c1)
{
	struct vt_cell *row = vt_cell_at(vt, r, 0);

	if (c0 > 0)
		fix_cell(row, vt->cols, c0 - 1);
	fix_cell(row, vt->cols, c0);
	fix_cell(row, vt->cols, c1);
	if (c1 + 1 < vt->cols)
		fix_cell(row, vt->cols, c1 + 1);
}

void vt_fix_row(struct vt *vt, unsigned r)
{
	struct vt_cell *row = vt_cell_at(vt, r, 0);

	for (unsigned c = 0; c < vt->cols; c++)
		fix_cell(row, vt->cols, c);
}

void vt_erase(struct vt *vt, unsigned r, unsigned c0, unsigned c1)
{
	struct vt_cell b = vt_blank(vt);

	if (c1 >= vt->cols)
		c1 = vt->cols - 1;
	if (r >= vt->rows || c0 > c1)
		return;
	for (unsigned c = c0; c <= c1; c++)
		*vt_cell_at(vt, r, c) = b;
	vt_fix_edges(vt, r, c0, c1);
	vt_mark(vt, r);
}

/* Rotates rows top..bottom of the shown screen up by n (down if !up):
 * only the row map moves. */
static void rotate(struct vt *vt, unsigned top, unsigned bottom, unsigned n, bool up)
{
	uint16_t *map = vt->map[vt->grid == vt->alternate];
	uint16_t spare[VT_ROWS_MAX];
	unsigned span = bottom - top + 1;

	if (up) {
		memcpy(spare, map + top, n * sizeof(*map));
		memmove(map + top, map + top + n, (span - n) * sizeof(*map));
		memcpy(map + bottom + 1 - n, spare, n * sizeof(*map));
	} else {
		memcpy(spare, map + bottom + 1 - n, n * sizeof(*map));
		memmove(map + top + n, map + top, (span - n) * sizeof(*map));
		memcpy(map + top, spare, n * sizeof(*map));
	}
}

void vt_scroll_up(struct vt *vt, unsigned top, unsigned bottom, unsigned n)
{
	if (n > bottom - top + 1)
		n = bottom - top + 1;
	rotate(vt, top, bottom, n, true);
	for (unsigned r = bottom + 1 - n; r <= bottom; r++)
		vt_erase(vt, r, 0, vt->cols - 1);
	vt_mark_rows(vt, top, bottom);
}

void vt_scroll_down(struct vt *vt, unsigned top, unsigned bottom, unsigned n)
{
	if (n > bottom - top + 1)
		n = bottom - top + 1;
	rotate(vt, top, bottom, n, false);
	for (unsigned r = top; r < top + n; r++)
		vt_erase(vt, r, 0, vt->cols - 1);
	vt_mark_rows(vt, top, bottom);
}

void vt_goto(struct vt *vt, int r, int c)
{
	if (r < 0)
		r = 0;
	if (r >= vt->rows)
		r = vt->rows - 1;
	if (c < 0)
		c = 0;
	if (c >= vt->cols)
		c = vt->cols - 1;
	vt->row = (uint16_t)r;
	vt->col = (uint16_t)c;
	vt->pending_wrap = false;
}

/* Moves down one line; at the bottom of the scroll region the region
 * scrolls up instead; below the region, the cursor stops at the last row.
 * A pending wrap stays pending, as in tmux: the next character still
 * wraps. */
void vt_index(struct vt *vt)
{
	if (vt->row == vt->bottom)
		vt_scroll_up(vt, vt->top, vt->bottom, 1);
	else if (vt->row + 1 < vt->rows)
		vt->row++;
}

/* Moves up one line; at the top of the scroll region it scrolls down. */
void vt_reverse_index(struct vt *vt)
{
	if (vt->row == vt->top)
		vt_scroll_down(vt, vt->top, vt->bottom, 1);
	else if (vt->row > 0)
		vt->row--;
}

void vt_tab_forward(struct vt *vt, unsigned n)
{
	unsigned c = vt->col;

	while (n-- > 0 && c + 1 < vt->cols) {
		c++;
		while (c + 1 < vt->cols && !(vt->tabs[c / 8] & (1u << (c % 8))))
			c++;
	}
	vt->col = (uint16_t)c;
	vt->pending_wrap = false;
}

void vt_tab_backward(struct vt *vt, unsigned n)
{
	unsigned c = vt->col;

	while (n-- > 0 && c > 0) {
		c--;
		while (c > 0 && !(vt->tabs[c / 8] & (1u << (c % 8))))
			c--;
	}
	vt->col = (uint16_t)c;
	vt->pending_wrap = false;
}

void vt_reset_tabs(struct vt *vt, unsigned from)
{
	for (unsigned c = from; c < VT_COLS_MAX; c++) {
		if (c % 8 == 0 && c != 0)
			vt->tabs[c / 8] |= (uint8_t)(1u << (c % 8));
		else
			vt->tabs[c / 8] &= (uint8_t) ~(1u << (c % 8));
	}
}

/* The character the DEC special graphics set shows for 0x5f..0x7e. */
static uint32_t dec_graphics(uint32_t cp)
{
	static const uint16_t map[32] = {
		0x0020, 0x25c6, 0x2592, 0x2409, 0x240c, 0x240d, 0x240a, 0x00b0,
		0x00b1, 0x2424, 0x240b, 0x2518, 0x2510, 0x250c, 0x2514, 0x253c,
		0x23ba, 0x23bb, 0x2500, 0x23bc, 0x23bd, 0x251c, 0x2524, 0x2534,
		0x252c, 0x2502, 0x2264, 0x2265, 0x03c0, 0x2260, 0x00a3, 0x00b7,
	};
	return cp >= 0x5f && cp <= 0x7e ? map[cp - 0x5f] : cp;
}

/* Shifts the cells of the cursor's row from column c right by n, dropping
 * what falls off the right edge. */
static void shift_right(struct vt *vt, unsigned c, unsigned n)
{
	struct vt_cell *row = vt_cell_at(vt, vt->row, 0);

	if (n > vt->cols - c)
		n = vt->cols - c;
	memmove(row + c + n, row + c, (vt->cols - c - n) * sizeof(*row));
	for (unsigned i = c; i < c + n; i++)
		row[i] = vt_blank(vt);
	vt_fix_row(vt, vt->row);
	vt_mark(vt, vt->row);
}

/* Wraps to the start of the next line, scrolling if needed. */
static void wrap(struct vt *vt)
{
	vt_index(vt);
	vt->col = 0;
	vt->pending_wrap = false;
}

/* Writes cp (width w, 1 or 2) at the cursor and advances it. A wide
 * character that does not fit before the right edge wraps whole, leaving
 * the last cell blank; with autowrap off it is dropped. */
static void put(struct vt *vt, uint32_t cp, unsigned w)
{
	bool autowrap = vt->modes & VT_MODE_AUTOWRAP;

	if (vt->pending_wrap && autowrap)
		wrap(vt);
	vt->pending_wrap = false;
	if (w == 2 && vt->col + 1 >= vt->cols) {
		if (!autowrap)
			return; /* no room and no wrapping: dropped, as tmux does */
		vt_erase(vt, vt->row, vt->col, vt->col);
		wrap(vt);
	}
	if (vt->modes & VT_MODE_INSERT)
		shift_right(vt, vt->col, w);
	struct vt_cell *x = vt_cell_at(vt, vt->row, vt->col);
	x[0] = vt->pen;
	x[0].cp = cp;
	x[0].width = w == 2 ? VT_WIDE : VT_NARROW;
	if (w == 2) {
		x[1] = x[0];
		x[1].cp = 0;
		x[1].width = VT_WIDE_CONT;
	}
	vt_fix_edges(vt, vt->row, vt->col, vt->col + w - 1);
	vt_mark(vt, vt->row);
	if (vt->col + w >= vt->cols) {
		vt->col = (uint16_t)(vt->cols - 1);
		vt->pending_wrap = autowrap;
	} else {
		vt->col = (uint16_t)(vt->col + w);
	}
}

void vt_print(struct vt *vt, uint32_t cp)
{
	int w;

	if (vt->graphics)
		cp = dec_graphics(cp);
	w = uwidth(cp);
	if (w < 0)
		return; /* C1 controls arriving as UTF-8 are not interpreted */
	if (w == 0)
		return; /* combining marks are dropped (docs/console.md) */
	if (w == 2 && vt->cols < 2) {
		cp = UWIDTH_REPLACEMENT;
		w = 1;
	}
	put(vt, cp, (unsigned)w);
	vt->last_cp = cp;
}

void vt_execute(struct vt *vt, uint8_t c)
{
	vt->last_cp = 0; /* REP repeats a graphic character only if it came last */
	switch (c) {
	case 0x08: /* BS: no reverse wrap */
		if (vt->pending_wrap)
			vt->pending_wrap = false;
		else if (vt->col > 0)
			vt->col--;
		break;
	case 0x09:
		vt_tab_forward(vt, 1);
		break;
	case 0x0a:
	case 0x0b:
	case 0x0c:
		vt_index(vt);
		if (vt->modes & VT_MODE_NEWLINE)
			vt->col = 0;
		break;
	case 0x0d:
		vt->col = 0;
		vt->pending_wrap = false;
		break;
	default:
		break; /* BEL is the screen's business; SO, SI and the rest are ignored */
	}
}

/* Saves the cursor (DECSC) in the current screen's slot. */
void vt_save_cursor(struct vt *vt)
{
	struct vt_saved *s = &vt->saved[vt->grid == vt->alternate];

	s->row = vt->row;
	s->col = vt->col;
	s->pending_wrap = vt->pending_wrap;
	s->origin = vt->modes & VT_MODE_ORIGIN;
	s->graphics = vt->graphics;
	s->pen = vt->pen;
}

/* Restores the cursor (DECRC); with nothing saved, homes it with defaults. */
void vt_restore_cursor(struct vt *vt)
{
	const struct vt_saved *s = &vt->saved[vt->grid == vt->alternate];

	vt_goto(vt, s->row, s->col);
	vt->pending_wrap = s->pending_wrap && vt->col == vt->cols - 1;
	vt->modes = s->origin ? vt->modes | VT_MODE_ORIGIN : vt->modes & ~VT_MODE_ORIGIN;
	vt->graphics = s->graphics;
	vt->pen = s->pen;
}

/* Blanks the whole of grid in the default colours. */
static void blank_grid(struct vt *vt, struct vt_cell *grid)
{
	struct vt_cell b = { .cp = ' ' };
	size_t n = (size_t)vt->rows * vt->cols, done = 1;

	/* One cell, then copies of what is done, doubling: a few block copies. */
	grid[0] = b;
	while (done < n) {
		size_t k = done < n - done ? done : n - done;
		memcpy(grid + done, grid, k * sizeof *grid);
		done += k;
	}
}

/* Row r of the screen is physical row r. */
static void identity_map(uint16_t *map)
{
	for (unsigned r = 0; r < VT_ROWS_MAX; r++)
		map[r] = (uint16_t)r;
}

void vt_mark_all(struct vt *vt)
{
	vt_mark_rows(vt, 0, vt->rows - 1u);
}

/* Shows the alternate screen (clearing it if clear) or the primary one. */
void vt_use_alternate(struct vt *vt, bool on, bool clear)
{
	if (!vt->alternate || on == (vt->grid == vt->alternate))
		return;
	vt->grid = on ? vt->alternate : vt->primary;
	vt->modes = on ? vt->modes | VT_MODE_ALT_SCREEN : vt->modes & ~VT_MODE_ALT_SCREEN;
	if (clear) {
		for (unsigned r = 0; r < vt->rows; r++)
			vt_erase(vt, r, 0, vt->cols - 1);
	}
	vt_mark_all(vt);
}

void vt_reset_state(struct vt *vt)
{
	struct vt_cell pen = { .cp = ' ' };

	vt->grid = vt->primary;
	vt->row = vt->col = 0;
	vt->pending_wrap = false;
	vt->pen = pen;
	vt->graphics = false;
	vt->top = 0;
	vt->bottom = (uint16_t)(vt->rows - 1);
	vt->modes = VT_MODE_AUTOWRAP | VT_MODE_CURSOR_SHOWN;
	vt->last_cp = 0; /* REP repeats nothing until something is printed */
	memset(vt->saved, 0, sizeof(vt->saved));
	vt->saved[0].pen = vt->saved[1].pen = pen;
	vt_reset_tabs(vt, 0);
	vt->state = VT_GROUND;
	memset(&vt->utf8, 0, sizeof(vt->utf8));
	blank_grid(vt, vt->primary);
	if (vt->alternate)
		blank_grid(vt, vt->alternate);
	identity_map(vt->map[0]);
	identity_map(vt->map[1]);
	vt_mark_all(vt);
}

/* Checks a requested size against the limits and the memory. */
static status_t check_size(size_t capacity, unsigned rows, unsigned cols)
{
	if (rows == 0 || cols == 0 || rows > VT_ROWS_MAX || cols > VT_COLS_MAX)
		return STATUS_INVALID;
	if ((size_t)rows * cols > capacity)
		return STATUS_RANGE;
	return STATUS_OK;
}

status_t vt_init(struct vt *vt, struct vt_cell *primary, struct vt_cell *alternate, size_t capacity,
		 unsigned rows, unsigned cols)
{
	status_t st = check_size(capacity, rows, cols);

	if (!primary || !vt)
		return STATUS_INVALID;
	if (st)
		return st;
	memset(vt, 0, sizeof(*vt));
	vt->primary = primary;
	vt->alternate = alternate;
	vt->capacity = capacity;
	vt->rows = (uint16_t)rows;
	vt->cols = (uint16_t)cols;
	vt_reset_state(vt);
	return STATUS_OK;
}

/* Re-lays grid from ocols to ncols columns per row in place, keeping the
 * first keep rows and blanking the rest: rows move in the order that never
 * overwrites a row not yet moved. */
static void relayout(struct vt_cell *grid, unsigned keep, unsigned ocols, unsigned nrows,
		     unsigned ncols)
{
	struct vt_cell b = { .cp = ' ' };
	unsigned n = ocols < ncols ? ocols : ncols;

	if (ncols <= ocols) {
		for (unsigned r = 0; r < keep; r++)
			memmove(grid + (size_t)r * ncols, grid + (size_t)r * ocols,
				n * sizeof(*grid));
	} else {
		for (unsigned r = keep; r-- > 0;)
			memmove(grid + (size_t)r * ncols, grid + (size_t)r * ocols,
				n * sizeof(*grid));
	}
	for (unsigned r = 0; r < nrows; r++) {
		for (unsigned c = r < keep ? n : 0; c < ncols; c++)
			grid[(size_t)r * ncols + c] = b;
	}
}

/* Swaps physical rows a and b of grid, cell by cell. */
static void swap_rows(struct vt_cell *grid, unsigned a, unsigned b, unsigned cols)
{
	struct vt_cell *x = grid + (size_t)a * cols, *y = grid + (size_t)b * cols;

	for (unsigned c = 0; c < cols; c++) {
		struct vt_cell t = x[c];
		x[c] = y[c];
		y[c] = t;
	}
}

/* Puts grid's rows in screen order (row r at physical row r) by following
 * the map's cycles with swaps; no spare row is needed. */
static void linearize(struct vt_cell *grid, uint16_t *map, unsigned rows, unsigned cols)
{
	uint16_t holds[VT_ROWS_MAX]; /* holds[p]: the screen row physical row p holds */

	for (unsigned r = 0; r < rows; r++)
		holds[map[r]] = (uint16_t)r;
	for (unsigned r = 0; r < rows; r++) {
		unsigned p = map[r], other = holds[r];
		if (p == r)
			continue;
		swap_rows(grid, r, p, cols);
		map[other] = (uint16_t)p;
		holds[p] = (uint16_t)other;
		map[r] = (uint16_t)r;
		holds[r] = (uint16_t)r;
	}
}

/* Resizes one grid, dropping drop rows from the top first. A wide
 * character cut in two by the new right edge becomes a blank. */
static void resize_grid(struct vt *vt, struct vt_cell *grid, uint16_t *map, unsigned drop,
			unsigned rows, unsigned cols)
{
	unsigned keep = vt->rows - drop < rows ? vt->rows - drop : rows;

	linearize(grid, map, vt->rows, vt->cols);

	if (drop)
		memmove(grid, grid + (size_t)drop * vt->cols,
			(size_t)(vt->rows - drop) * vt->cols * sizeof(*grid));
	relayout(grid, keep, vt->cols, rows, cols);
	for (unsigned r = 0; r < keep && cols < vt->cols; r++) {
		struct vt_cell *row = grid + (size_t)r * cols;
		if (row[cols - 1].width == VT_WIDE) {
			row[cols - 1].cp = ' ';
			row[cols - 1].width = VT_NARROW;
		}
	}
}

/* Moves a saved cursor with the rows dropped and into the new size. */
static void clamp_saved(struct vt_saved *s, unsigned drop, unsigned rows, unsigned cols)
{
	s->row = (uint16_t)(s->row >= drop ? s->row - drop : 0);
	if (s->row >= rows)
		s->row = (uint16_t)(rows - 1);
	if (s->col >= cols)
		s->col = (uint16_t)(cols - 1);
}

status_t vt_resize(struct vt *vt, unsigned rows, unsigned cols)
{
	status_t st = check_size(vt->capacity, rows, cols);
	unsigned drop = vt->row >= rows ? vt->row - rows + 1 : 0;

	if (st)
		return st;
	resize_grid(vt, vt->primary, vt->map[0], vt->grid == vt->primary ? drop : 0, rows, cols);
	if (vt->alternate)
		resize_grid(vt, vt->alternate, vt->map[1], vt->grid == vt->alternate ? drop : 0,
			    rows, cols);
	clamp_saved(&vt->saved[0], vt->grid == vt->primary ? drop : 0, rows, cols);
	clamp_saved(&vt->saved[1], vt->grid == vt->alternate ? drop : 0, rows, cols);
	if (cols > vt->cols)
		vt_reset_tabs(vt, vt->cols);
	vt->rows = (uint16_t)rows;
	vt->cols = (uint16_t)cols;
	vt->top = 0;
	vt->bottom = (uint16_t)(rows - 1);
	vt_goto(vt, (int)vt->row - (int)drop, vt->col);
	memset(vt->dirty, 0, sizeof(vt->dirty));
	vt_mark_all(vt);
	return STATUS_OK;
}

size_t vt_take_replies(struct vt *vt, uint8_t *out, size_t cap)
{
	size_t n = vt->nreplies < cap ? vt->nreplies : cap;

	memcpy(out, vt->replies, n);
	memmove(vt->replies, vt->replies + n, vt->nreplies - n);
	vt->nreplies = (uint16_t)(vt->nreplies - n);
	return n;
}

void vt_reply(struct vt *vt, const char *s)
{
	size_t n = strlen(s);

	if (n > VT_REPLIES_MAX - (size_t)vt->nreplies) {
		vt->replies_dropped++;
		return;
	}
	memcpy(vt->replies + vt->nreplies, s, n);
	vt->nreplies = (uint16_t)(vt->nreplies + n);
}
