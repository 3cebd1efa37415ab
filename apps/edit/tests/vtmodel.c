/*
 * vtmodel.c - the test-only terminal emulator (see vtmodel.h).
 */
#include "vtmodel.h"

#include <stdlib.h>
#include <string.h>

#include "../screen.h"
#include "../utf8.h"

enum { S_GROUND, S_ESC, S_CSI };

static const struct vtcell blank_cell = { .ch = " ", .len = 1, .width = 1, .attr = 0 };

static struct vtcell *at(struct vt *vt, int r, int c)
{
	return &vt->cells[r * vt->cols + c];
}

const struct vtcell *vt_cell(const struct vt *vt, int row, int col)
{
	return &vt->cells[row * vt->cols + col];
}

int vt_init(struct vt *vt, int rows, int cols)
{
	memset(vt, 0, sizeof *vt);
	vt->rows = rows;
	vt->cols = cols;
	vt->cells = malloc(sizeof *vt->cells * (size_t)(rows * cols));
	if (!vt->cells)
		return -1;
	for (int i = 0; i < rows * cols; i++)
		vt->cells[i] = blank_cell;
	vt->cursor_visible = true;
	return 0;
}

void vt_free(struct vt *vt)
{
	free(vt->cells);
}

/* Blanks a cell, and the other half of a wide character it was part of. */
static void clear_cell(struct vt *vt, int r, int c)
{
	struct vtcell *x = at(vt, r, c);

	if (x->width == 0 && c > 0)
		*at(vt, r, c - 1) = blank_cell;
	if (x->width == 2 && c + 1 < vt->cols)
		*at(vt, r, c + 1) = blank_cell;
	*x = blank_cell;
}

static void scroll_up(struct vt *vt)
{
	memmove(vt->cells, vt->cells + vt->cols,
		sizeof *vt->cells * (size_t)((vt->rows - 1) * vt->cols));
	for (int c = 0; c < vt->cols; c++)
		*at(vt, vt->rows - 1, c) = blank_cell;
	vt->scrolled++;
}

static void line_feed(struct vt *vt)
{
	if (vt->row == vt->rows - 1)
		scroll_up(vt);
	else
		vt->row++;
	vt->wrap_pending = false;
}

/* Prints one decoded character. */
static void print(struct vt *vt, uint32_t cp, const unsigned char *b, size_t n)
{
	int w = cp == UTF8_INVALID ? 1 : utf8_width(cp);
	struct vtcell *x;

	if (w == 0) { /* combining: joins the character before the cursor */
		int c = vt->wrap_pending ? vt->col : vt->col - 1;
		if (c < 0)
			return;
		x = at(vt, vt->row, c);
		if (x->width == 0 && c > 0)
			x--;
		if (x->len + n <= sizeof x->ch) {
			memcpy(x->ch + x->len, b, n);
			x->len = (uint8_t)(x->len + n);
		}
		return;
	}
	if (w < 0)
		w = 1;
	if (vt->wrap_pending || vt->col + w > vt->cols) {
		vt->col = 0;
		line_feed(vt);
	}
	clear_cell(vt, vt->row, vt->col);
	if (w == 2)
		clear_cell(vt, vt->row, vt->col + 1);
	x = at(vt, vt->row, vt->col);
	memcpy(x->ch, b, n);
	x->len = (uint8_t)n;
	x->width = (uint8_t)w;
	x->attr = vt->attr;
	if (w == 2) {
		x[1] = blank_cell;
		x[1].width = 0;
		x[1].attr = vt->attr;
	}
	vt->col += w;
	if (vt->col >= vt->cols) {
		vt->col = vt->cols - 1;
		vt->wrap_pending = true;
	}
}

static int param(const struct vt *vt, int i, int def)
{
	return i < vt->nparams && vt->params[i] > 0 ? vt->params[i] : def;
}

static void erase(struct vt *vt, int r, int from, int to)
{
	for (int c = from; c < to; c++)
		clear_cell(vt, r, c);
	for (int c = from; c < to; c++)
		at(vt, r, c)->attr = 0;
}

static void sgr(struct vt *vt)
{
	if (vt->nparams == 0)
		vt->attr = 0;
	for (int i = 0; i < vt->nparams; i++) {
		int p = vt->params[i];
		if (p == 0)
			vt->attr = 0;
		else if (p == 1)
			vt->attr |= ATTR_BOLD;
		else if (p == 4)
			vt->attr |= ATTR_UNDERLINE;
		else if (p == 7)
			vt->attr |= ATTR_REVERSE;
		else if (p >= 30 && p <= 37)
			vt->attr = (uint16_t)((vt->attr & ~0x1f) | ATTR_FG(p - 30));
		else if (p >= 90 && p <= 97)
			vt->attr = (uint16_t)((vt->attr & ~0x1f) | ATTR_FG(p - 90 + 8));
		else if (p >= 40 && p <= 47)
			vt->attr = (uint16_t)((vt->attr & ~(0x1f << 5)) | ATTR_BG(p - 40));
		else if (p >= 100 && p <= 107)
			vt->attr = (uint16_t)((vt->attr & ~(0x1f << 5)) | ATTR_BG(p - 100 + 8));
		else
			vt->unknown++;
	}
}

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static void private_mode(struct vt *vt, char final)
{
	int p = param(vt, 0, 0);

	if (p == 25 && (final == 'h' || final == 'l'))
		vt->cursor_visible = final == 'h';
	else if (p == 1049 && (final == 'h' || final == 'l'))
		vt->alt_screen = final == 'h';
	else
		vt->unknown++;
}

static void csi(struct vt *vt, char final)
{
	int r = vt->row, c = vt->col;

	if (vt->private_mode) {
		private_mode(vt, final);
		return;
	}
	vt->wrap_pending = false;
	switch (final) {
	case 'H':
	case 'f':
		vt->row = clamp(param(vt, 0, 1) - 1, 0, vt->rows - 1);
		vt->col = clamp(param(vt, 1, 1) - 1, 0, vt->cols - 1);
		break;
	case 'A':
		vt->row = clamp(r - param(vt, 0, 1), 0, vt->rows - 1);
		break;
	case 'B':
		vt->row = clamp(r + param(vt, 0, 1), 0, vt->rows - 1);
		break;
	case 'C':
		vt->col = clamp(c + param(vt, 0, 1), 0, vt->cols - 1);
		break;
	case 'D':
		vt->col = clamp(c - param(vt, 0, 1), 0, vt->cols - 1);
		break;
	case 'K':
		if (param(vt, 0, 0) == 0)
			erase(vt, r, c, vt->cols);
		else if (param(vt, 0, 0) == 1)
			erase(vt, r, 0, c + 1);
		else
			erase(vt, r, 0, vt->cols);
		break;
	case 'J':
		if (param(vt, 0, 0) == 2) {
			for (int i = 0; i < vt->rows; i++)
				erase(vt, i, 0, vt->cols);
		} else {
			vt->unknown++;
		}
		break;
	case 'm':
		sgr(vt);
		break;
	default:
		vt->unknown++;
	}
}

static void feed_csi(struct vt *vt, unsigned char b)
{
	if (b >= '0' && b <= '9') {
		if (vt->nparams == 0)
			vt->nparams = 1;
		int *p = &vt->params[vt->nparams - 1];
		*p = *p * 10 + (b - '0');
	} else if (b == ';') {
		if (vt->nparams == 0)
			vt->nparams = 1;
		if (vt->nparams < 16)
			vt->params[vt->nparams++] = 0;
	} else if (b == '?') {
		vt->private_mode = true;
	} else {
		csi(vt, (char)b);
		vt->state = S_GROUND;
	}
}

static void control(struct vt *vt, unsigned char b)
{
	switch (b) {
	case '\r':
		vt->col = 0;
		vt->wrap_pending = false;
		break;
	case '\n':
		line_feed(vt);
		break;
	case '\b':
		if (vt->col > 0 && !vt->wrap_pending)
			vt->col--;
		vt->wrap_pending = false;
		break;
	case 0x1b:
		vt->state = S_ESC;
		break;
	default:
		vt->unknown++;
	}
}

static void feed_ground(struct vt *vt, unsigned char b)
{
	uint32_t cp;

	if (vt->u8len > 0) {
		vt->u8[vt->u8len++] = b;
		if (vt->u8len < vt->u8need)
			return;
		size_t n = vt->u8len;
		vt->u8len = 0;
		if (utf8_decode(vt->u8, n, &cp) == n)
			print(vt, cp, vt->u8, n);
		else
			vt->unknown++;
		return;
	}
	if (b < 0x20 || b == 0x7f) {
		control(vt, b);
	} else if (b < 0x80) {
		print(vt, b, &b, 1);
	} else if (b >= 0xc2 && b <= 0xf4) {
		vt->u8[0] = b;
		vt->u8len = 1;
		vt->u8need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
	} else {
		vt->unknown++;
	}
}

void vt_feed(struct vt *vt, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char b = (unsigned char)p[i];
		if (vt->state == S_ESC) {
			if (b == '[') {
				vt->state = S_CSI;
				vt->nparams = 0;
				vt->private_mode = false;
				memset(vt->params, 0, sizeof vt->params);
			} else {
				vt->unknown++;
				vt->state = S_GROUND;
			}
		} else if (vt->state == S_CSI) {
			feed_csi(vt, b);
		} else {
			feed_ground(vt, b);
		}
	}
}

void vt_row(const struct vt *vt, int row, char *out, size_t size)
{
	size_t n = 0, keep = 0;

	for (int c = 0; c < vt->cols; c++) {
		const struct vtcell *x = vt_cell(vt, row, c);
		if (x->width == 0 || n + x->len + 1 > size)
			continue;
		memcpy(out + n, x->ch, x->len);
		n += x->len;
		if (!(x->len == 1 && x->ch[0] == ' '))
			keep = n;
	}
	out[keep] = '\0';
}
