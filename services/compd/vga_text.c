/*
 * vga_text.c - terminal cells to VGA text-mode words (vga_text.h).
 */
#include <string.h>

#include "vga_text.h"

/* What code page 437 shows at 0x01..0x1F (0x00 is blank). */
static const uint16_t cp437_low[32] = {
	0x0000, 0x263a, 0x263b, 0x2665, 0x2666, 0x2663, 0x2660, 0x2022, 0x25d8, 0x25cb, 0x25d9,
	0x2642, 0x2640, 0x266a, 0x266b, 0x263c, 0x25ba, 0x25c4, 0x2195, 0x203c, 0x00b6, 0x00a7,
	0x25ac, 0x21a8, 0x2191, 0x2193, 0x2192, 0x2190, 0x221f, 0x2194, 0x25b2, 0x25bc,
};

/* What code page 437 shows at 0x80..0xFF. */
static const uint16_t cp437_high[128] = {
	0x00c7, 0x00fc, 0x00e9, 0x00e2, 0x00e4, 0x00e0, 0x00e5, 0x00e7, 0x00ea, 0x00eb, 0x00e8,
	0x00ef, 0x00ee, 0x00ec, 0x00c4, 0x00c5, 0x00c9, 0x00e6, 0x00c6, 0x00f4, 0x00f6, 0x00f2,
	0x00fb, 0x00f9, 0x00ff, 0x00d6, 0x00dc, 0x00a2, 0x00a3, 0x00a5, 0x20a7, 0x0192, 0x00e1,
	0x00ed, 0x00f3, 0x00fa, 0x00f1, 0x00d1, 0x00aa, 0x00ba, 0x00bf, 0x2310, 0x00ac, 0x00bd,
	0x00bc, 0x00a1, 0x00ab, 0x00bb, 0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x2561, 0x2562,
	0x2556, 0x2555, 0x2563, 0x2551, 0x2557, 0x255d, 0x255c, 0x255b, 0x2510, 0x2514, 0x2534,
	0x252c, 0x251c, 0x2500, 0x253c, 0x255e, 0x255f, 0x255a, 0x2554, 0x2569, 0x2566, 0x2560,
	0x2550, 0x256c, 0x2567, 0x2568, 0x2564, 0x2565, 0x2559, 0x2558, 0x2552, 0x2553, 0x256b,
	0x256a, 0x2518, 0x250c, 0x2588, 0x2584, 0x258c, 0x2590, 0x2580, 0x03b1, 0x00df, 0x0393,
	0x03c0, 0x03a3, 0x03c3, 0x00b5, 0x03c4, 0x03a6, 0x0398, 0x03a9, 0x03b4, 0x221e, 0x03c6,
	0x03b5, 0x2229, 0x2261, 0x00b1, 0x2265, 0x2264, 0x2320, 0x2321, 0x00f7, 0x2248, 0x00b0,
	0x2219, 0x00b7, 0x221a, 0x207f, 0x00b2, 0x25a0, 0x00a0,
};

/* Characters code page 437 lacks, shown as a close one it has. */
static const uint16_t approximate[][2] = {
	{ 0x2018, '\'' }, { 0x2019, '\'' }, { 0x201c, '"' },  { 0x201d, '"' },  { 0x2013, '-' },
	{ 0x2014, '-' },  { 0x2212, '-' },  { 0x2010, '-' },  { 0x25c6, 0x04 }, { 0x23ba, 0xc4 },
	{ 0x23bb, 0xc4 }, { 0x23bc, 0xc4 }, { 0x23bd, '_' },  { 0x2260, 0xf0 }, { 0x00a6, '|' },
	{ 0x2026, 0xfa }, { 0x2022, 0x07 }, { 0x03b2, 0xe1 }, { 0x2302, 0x7f }, { 0x2713, 0xfb },
};

uint8_t vga_cp437(uint32_t cp)
{
	if (cp >= 0x20 && cp < 0x7f)
		return (uint8_t)cp;
	for (unsigned i = 0; i < 128; i++)
		if (cp437_high[i] == cp)
			return (uint8_t)(0x80 + i);
	for (unsigned i = 1; i < 32; i++)
		if (cp437_low[i] == cp)
			return (uint8_t)i;
	for (unsigned i = 0; i < sizeof(approximate) / sizeof(approximate[0]); i++)
		if (approximate[i][0] == cp)
			return (uint8_t)approximate[i][1];
	return VGA_FALLBACK;
}

uint8_t vga_color(vt_color_t c, uint8_t def)
{
	/* The VGA numbers the colours blue-green-red; ANSI red-green-blue. */
	static const uint8_t from_ansi[8] = { 0, 4, 2, 6, 1, 5, 3, 7 };
	int n = vt_color_to_16(c);

	if (n < 0)
		return def;
	return (uint8_t)(from_ansi[n & 7] | (n & 8));
}

uint16_t vga_cell(const struct vt_cell *cell, bool reverse)
{
	uint8_t fg = vga_color(cell->fg, VGA_DEFAULT_FG);
	uint8_t bg = vga_color(cell->bg, VGA_DEFAULT_BG), t;
	uint8_t ch = cell->width == VT_WIDE_CONT ? ' ' : vga_cp437(cell->cp);

	if (cell->attr & VT_ATTR_BOLD)
		fg |= 8;
	else if ((cell->attr & VT_ATTR_DIM) && fg == VGA_DEFAULT_FG)
		fg = 8; /* dark grey */
	else if (cell->attr & VT_ATTR_DIM)
		fg &= 7;
	if (!(cell->attr & VT_ATTR_INVERSE) != !reverse) {
		t = fg;
		fg = bg;
		bg = t;
	}
	if (cell->attr & VT_ATTR_HIDDEN)
		fg = bg;
	return (uint16_t)(ch | (fg | (bg & 7) << 4) << 8);
}

/* The screen operations (screen.h) over the text buffer. */
static void vga_size(void *ctx, unsigned *rows, unsigned *cols)
{
	const struct vga_text *v = ctx;

	*rows = v->rows;
	*cols = v->cols;
}

static void vga_draw(void *ctx, unsigned r, unsigned c, const struct vt_cell *cells, unsigned n,
		     unsigned flags)
{
	struct vga_text *v = ctx;

	if (r >= v->rows || c >= v->cols)
		return;
	if (n > v->cols - c)
		n = v->cols - c;
	/* Runs of equal cells (a blank row, a cleared screen) are converted once. */
	uint16_t word = 0;
	for (unsigned i = 0; i < n; i++) {
		if (i == 0 || memcmp(&cells[i], &cells[i - 1], sizeof cells[i]) != 0)
			word = vga_cell(&cells[i], flags & SCREEN_REVERSE);
		v->buffer[r * v->cols + c + i] = word;
	}
}

static void vga_cursor(void *ctx, unsigned r, unsigned c, bool shown)
{
	struct vga_text *v = ctx;

	v->cursor_row = r;
	v->cursor_col = c;
	v->cursor_shown = shown;
}

const struct screen_ops vga_text_ops = {
	.size = vga_size,
	.draw = vga_draw,
	.cursor = vga_cursor,
};
