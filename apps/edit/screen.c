/*
 * screen.c - the screen model and differential renderer (see screen.h).
 */
#include "screen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

static const struct cell blank = { .ch = " ", .len = 1, .width = 1, .attr = 0 };
static const struct cell unknown = { .ch = "", .len = 0, .width = CELL_UNKNOWN, .attr = 0 };

static struct cell *cell_at(struct cell *grid, const struct screen *s, int row, int col)
{
	return &grid[(size_t)row * (size_t)s->cols + (size_t)col];
}

static inline bool cell_eq(const struct cell *a, const struct cell *b)
{
	if (a->width != b->width || a->attr != b->attr)
		return false;
	if (a->width == CELL_CONT)
		return true;
	return a->len == b->len && memcmp(a->ch, b->ch, a->len) == 0;
}

status_t screen_init(struct screen *s, int rows, int cols)
{
	memset(s, 0, sizeof *s);
	return screen_resize(s, rows, cols);
}

void screen_free(struct screen *s)
{
	free(s->want);
	free(s->have);
	free(s->out);
	memset(s, 0, sizeof *s);
}

void screen_invalidate(struct screen *s)
{
	for (size_t i = 0; i < (size_t)s->rows * (size_t)s->cols; i++)
		s->have[i] = unknown;
	s->cur_row = s->cur_col = -1;
	s->attr = -1;
	s->visible = !s->want_visible;
	s->clear = true;
}

status_t screen_resize(struct screen *s, int rows, int cols)
{
	size_t n;
	struct cell *w, *h;

	if (rows < 1 || cols < 1 || rows > 10000 || cols > 10000)
		return STATUS_RANGE;
	n = (size_t)rows * (size_t)cols;
	w = malloc(n * sizeof *w);
	h = malloc(n * sizeof *h);
	if (!w || !h) {
		free(w);
		free(h);
		return STATUS_NO_MEMORY;
	}
	free(s->want);
	free(s->have);
	s->want = w;
	s->have = h;
	s->rows = rows;
	s->cols = cols;
	screen_clear(s);
	screen_invalidate(s);
	return STATUS_OK;
}

void screen_clear(struct screen *s)
{
	for (size_t i = 0; i < (size_t)s->rows * (size_t)s->cols; i++)
		s->want[i] = blank;
}

int screen_put(struct screen *s, int row, int col, const char *ch, size_t n, int width,
	       uint16_t attr)
{
	struct cell *c;

	if (row < 0 || row >= s->rows || col < 0 || col >= s->cols || width < 1 || width > 2)
		return 0;
	if (n == 0 || n > CELL_BYTES || (width == 2 && col + 1 >= s->cols)) {
		ch = " ";
		n = 1;
		width = 1;
	}
	c = cell_at(s->want, s, row, col);
	memcpy(c->ch, ch, n);
	c->len = (uint8_t)n;
	c->width = (uint8_t)width;
	c->attr = attr;
	if (width == 2) {
		c[1] = blank;
		c[1].width = CELL_CONT;
		c[1].attr = attr;
	}
	return width;
}

void screen_add_mark(struct screen *s, int row, int col, const char *mark, size_t n)
{
	struct cell *c;

	if (row < 0 || row >= s->rows || col < 0 || col >= s->cols)
		return;
	c = cell_at(s->want, s, row, col);
	if (c->width == CELL_CONT && col > 0)
		c--;
	if (c->width == CELL_CONT || c->len + n > CELL_BYTES)
		return;
	memcpy(c->ch + c->len, mark, n);
	c->len = (uint8_t)(c->len + n);
}

int screen_text(struct screen *s, int row, int col, const char *str, uint16_t attr)
{
	size_t n = strlen(str);

	while (n > 0 && col < s->cols) {
		uint32_t cp;
		size_t k = utf8_decode((const unsigned char *)str, n, &cp);
		int w = cp == UTF8_INVALID ? -1 : utf8_width(cp);
		if (w < 0)
			col += screen_put(s, row, col, "?", 1, 1, attr);
		else if (w > 0)
			col += screen_put(s, row, col, str, k, w, attr);
		else if (col > 0)
			screen_add_mark(s, row, col - 1, str, k);
		str += k;
		n -= k;
	}
	return col;
}

void screen_fill(struct screen *s, int row, int col, uint16_t attr)
{
	for (; col < s->cols; col++)
		screen_put(s, row, col, " ", 1, 1, attr);
}

void screen_set_cursor(struct screen *s, int row, int col, bool visible)
{
	s->want_row = row < 0 ? 0 : row >= s->rows ? s->rows - 1 : row;
	s->want_col = col < 0 ? 0 : col >= s->cols ? s->cols - 1 : col;
	s->want_visible = visible;
}

const struct cell *screen_want(const struct screen *s, int row, int col)
{
	return &s->want[(size_t)row * (size_t)s->cols + (size_t)col];
}

/* Appends n bytes to the output buffer. */
static void emit(struct screen *s, const char *p, size_t n)
{
	if (s->out_failed)
		return;
	if (s->outcap - s->outlen < n) {
		size_t ncap = (s->outcap + n) * 2;
		char *o = realloc(s->out, ncap);
		if (!o) {
			s->out_failed = true;
			return;
		}
		s->out = o;
		s->outcap = ncap;
	}
	memcpy(s->out + s->outlen, p, n);
	s->outlen += n;
}

static void emits(struct screen *s, const char *str)
{
	emit(s, str, strlen(str));
}

/* Formats the relative horizontal move from column from to column to on
 * the same row into buf. */
static void horizontal(char *buf, size_t size, int from, int to)
{
	if (to == from)
		buf[0] = '\0';
	else if (to == 0)
		snprintf(buf, size, "\r");
	else if (to == from + 1)
		snprintf(buf, size, "\x1b[C");
	else if (to > from)
		snprintf(buf, size, "\x1b[%dC", to - from);
	else if (from - to <= 2)
		snprintf(buf, size, "%s", from - to == 1 ? "\b" : "\b\b");
	else
		snprintf(buf, size, "\x1b[%dD", from - to);
}

/* Moves the terminal's cursor to row, col by the shortest of an absolute
 * position and the relative forms that apply. */
static void move_to(struct screen *s, int row, int col)
{
	char best[48], alt[48], h[24];

	if (s->cur_row == row && s->cur_col == col)
		return;
	if (row == 0 && col == 0)
		snprintf(best, sizeof best, "\x1b[H");
	else if (col == 0)
		snprintf(best, sizeof best, "\x1b[%dH", row + 1);
	else
		snprintf(best, sizeof best, "\x1b[%d;%dH", row + 1, col + 1);
	if (s->cur_row >= 0 && s->cur_col >= 0) {
		int dr = row - s->cur_row;
		horizontal(h, sizeof h, s->cur_col, col);
		if (dr == 0)
			snprintf(alt, sizeof alt, "%s", h);
		else if (dr == 1 && col == 0)
			snprintf(alt, sizeof alt, "\r\n");
		else if (dr == 1 || dr == -1)
			snprintf(alt, sizeof alt, "\x1b[%c%s", dr > 0 ? 'B' : 'A', h);
		else
			snprintf(alt, sizeof alt, "\x1b[%d%c%s", dr > 0 ? dr : -dr,
				 dr > 0 ? 'B' : 'A', h);
		if (strlen(alt) < strlen(best))
			memcpy(best, alt, sizeof best);
	}
	emits(s, best);
	s->cur_row = row;
	s->cur_col = col;
}

/* Makes the terminal's SGR state attr. */
static void set_attr(struct screen *s, uint16_t attr)
{
	char buf[48];
	size_t n;
	unsigned fg = ATTR_FG_OF(attr), bg = ATTR_BG_OF(attr);

	if (s->attr == attr)
		return;
	n = (size_t)snprintf(buf, sizeof buf, "\x1b[0");
	if (attr & ATTR_BOLD)
		n += (size_t)snprintf(buf + n, sizeof buf - n, ";1");
	if (attr & ATTR_UNDERLINE)
		n += (size_t)snprintf(buf + n, sizeof buf - n, ";4");
	if (attr & ATTR_REVERSE)
		n += (size_t)snprintf(buf + n, sizeof buf - n, ";7");
	if (fg)
		n += (size_t)snprintf(buf + n, sizeof buf - n, ";%u", fg <= 8 ? 29 + fg : 81 + fg);
	if (bg)
		n += (size_t)snprintf(buf + n, sizeof buf - n, ";%u", bg <= 8 ? 39 + bg : 91 + bg);
	snprintf(buf + n, sizeof buf - n, "m");
	if (attr == 0)
		snprintf(buf, sizeof buf, "\x1b[m");
	emits(s, buf);
	s->attr = attr;
}

/* Emits the frame's opening: hide the cursor, clear if asked. */
static void begin_frame(struct screen *s)
{
	s->begun = true;
	if (s->visible) {
		emits(s, "\x1b[?25l");
		s->visible = false;
	}
	if (s->clear) {
		set_attr(s, 0);
		emits(s, "\x1b[H\x1b[2J");
		s->cur_row = s->cur_col = 0;
		for (size_t i = 0; i < (size_t)s->rows * (size_t)s->cols; i++)
			s->have[i] = blank;
		s->clear = false;
	}
}

/* Writes the want cell at row, col (the start of a character) and records
 * what the terminal now shows. */
static void write_cell(struct screen *s, int row, int col)
{
	struct cell *w = cell_at(s->want, s, row, col), *h = cell_at(s->have, s, row, col);
	int width = w->width, end = col + width;

	if (!s->begun)
		begin_frame(s);
	move_to(s, row, col);
	set_attr(s, w->attr);
	emit(s, w->ch, w->len);
	for (int c = col; c < end; c++)
		h[c - col] = w[c - col];
	/* A wide character cut in half by this write is gone on the terminal. */
	if (end < s->cols && cell_at(s->have, s, row, end)->width == CELL_CONT)
		*cell_at(s->have, s, row, end) = unknown;
	s->cur_col = end;
	if (end >= s->cols)
		s->cur_row = s->cur_col = -1; /* pending wrap: position unsure */
}

/* The column from which row of the want grid is blank to the edge. */
static int blank_from(const struct screen *s, int row)
{
	int c = s->cols;

	while (c > 0 && cell_eq(cell_at(s->want, s, row, c - 1), &blank))
		c--;
	return c;
}

/* Counts the cells of row in [col, cols) that differ. */
static int count_diff(const struct screen *s, int row, int col)
{
	int n = 0;

	for (; col < s->cols; col++)
		n += !cell_eq(cell_at(s->want, s, row, col), cell_at(s->have, s, row, col));
	return n;
}

/* Erases row from col on (one EL) and records it. */
static void erase_tail(struct screen *s, int row, int col)
{
	if (!s->begun)
		begin_frame(s);
	move_to(s, row, col);
	set_attr(s, 0);
	emits(s, "\x1b[K");
	for (int c = col; c < s->cols; c++)
		*cell_at(s->have, s, row, c) = blank;
}

/* Updates one row of the terminal. */
static void flush_row(struct screen *s, int row)
{
	int tail = blank_from(s, row);

	for (int c = 0; c < s->cols; c++) {
		struct cell *w = cell_at(s->want, s, row, c);
		if (cell_eq(w, cell_at(s->have, s, row, c)))
			continue;
		if (c >= tail && count_diff(s, row, c) > 3) {
			erase_tail(s, row, c);
			return;
		}
		if (w->width == CELL_CONT && c > 0)
			c--; /* redraw the wide character this half belongs to */
		write_cell(s, row, c);
		c += cell_at(s->want, s, row, c)->width - 1;
	}
}

/* Marks the left half of every wide character whose right half is about to
 * be overwritten, so that it is drawn again. */
static void mark_broken_wide(struct screen *s, int row)
{
	for (int c = 1; c < s->cols; c++) {
		struct cell *h = cell_at(s->have, s, row, c);
		if (h->width == CELL_CONT && !cell_eq(h, cell_at(s->want, s, row, c)))
			*cell_at(s->have, s, row, c - 1) = unknown;
	}
}

status_t screen_flush(struct screen *s, const char **out, size_t *len)
{
	s->outlen = 0;
	s->out_failed = false;
	s->begun = false;
	if (s->clear)
		begin_frame(s);
	for (int r = 0; r < s->rows; r++) {
		mark_broken_wide(s, r);
		flush_row(s, r);
	}
	if (s->want_visible)
		move_to(s, s->want_row, s->want_col);
	if (s->want_visible != s->visible) {
		emits(s, s->want_visible ? "\x1b[?25h" : "\x1b[?25l");
		s->visible = s->want_visible;
	}
	*out = s->out;
	*len = s->outlen;
	if (s->out_failed) {
		screen_invalidate(s);
		*len = 0;
		return STATUS_NO_MEMORY;
	}
	return STATUS_OK;
}
