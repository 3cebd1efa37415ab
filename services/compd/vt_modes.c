/*
 * vt_modes.c - the terminal's modes (SM/RM and DEC private modes), SGR,
 * and colour mapping for screens with fewer colours.
 */
#include "vt_internal.h"

char *vt_utoa(char *p, unsigned v)
{
	char tmp[10];
	unsigned n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

static void set_flag(struct vt *vt, uint32_t flag, bool on)
{
	vt->modes = on ? vt->modes | flag : vt->modes & ~flag;
}

/* The alternate screen modes 47, 1047 and 1049. */
static void alt_screen(struct vt *vt, unsigned mode, bool on)
{
	bool active = vt->grid == vt->alternate;

	if (!vt->alternate || on == active)
		return;
	if (mode == 1049 && on)
		vt_save_cursor(vt);
	if (mode == 1047 && !on) {
		for (unsigned r = 0; r < vt->rows; r++)
			vt_erase(vt, r, 0, vt->cols - 1u);
	}
	vt_use_alternate(vt, on, on && mode == 1049);
	if (mode == 1049 && !on)
		vt_restore_cursor(vt);
}

/* One DEC private mode (DECSET/DECRST). */
static void dec_mode(struct vt *vt, unsigned mode, bool on)
{
	switch (mode) {
	case 1:
		set_flag(vt, VT_MODE_CURSOR_KEYS, on);
		break;
	case 5:
		set_flag(vt, VT_MODE_REVERSE_VIDEO, on);
		vt_mark_all(vt);
		break;
	case 6:
		set_flag(vt, VT_MODE_ORIGIN, on);
		vt_goto(vt, on ? vt->top : 0, 0);
		break;
	case 7:
		set_flag(vt, VT_MODE_AUTOWRAP, on);
		if (!on)
			vt->pending_wrap = false;
		break;
	case 25:
		set_flag(vt, VT_MODE_CURSOR_SHOWN, on);
		break;
	case 47:
	case 1047:
	case 1049:
		alt_screen(vt, mode, on);
		break;
	case 66:
		set_flag(vt, VT_MODE_KEYPAD_APP, on);
		break;
	case 1048:
		if (on)
			vt_save_cursor(vt);
		else
			vt_restore_cursor(vt);
		break;
	case 2004:
		set_flag(vt, VT_MODE_BRACKETED_PASTE, on);
		break;
	default:
		break; /* 45 (reverse wrap) stays off; mouse modes are not offered */
	}
}

void vt_set_modes(struct vt *vt, bool dec, bool on)
{
	for (unsigned i = 0; i < vt->nparams; i++) {
		unsigned mode = vt->params[i];
		if (dec)
			dec_mode(vt, mode, on);
		else if (mode == 4)
			set_flag(vt, VT_MODE_INSERT, on);
		else if (mode == 20)
			set_flag(vt, VT_MODE_NEWLINE, on);
	}
}

/* The number of ':'-joined sub-parameters following parameter i. */
static unsigned subparams(const struct vt *vt, unsigned i)
{
	unsigned n = 0;

	while (i + n < vt->nparams && (vt->colon_after >> (i + n)) & 1)
		n++;
	return n;
}

/* Parses the colour of SGR 38 or 48 at parameter i, in the forms 5;n,
 * 2;r;g;b, 5:n, 2:r:g:b and 2:cs:r:g:b. Stores it in *c when valid and
 * returns the index of the last parameter it used. */
static unsigned extended_color(const struct vt *vt, unsigned i, vt_color_t *c)
{
	unsigned sub = subparams(vt, i);
	unsigned kind = i + 1 < vt->nparams ? vt->params[i + 1] : 0;
	unsigned first = i + 2, last;

	if (kind == 5)
		last = sub ? i + sub : i + 2;
	else if (kind == 2)
		last = sub ? i + sub : i + 4;
	else
		return sub ? i + sub : i + 1;
	if (kind == 2 && sub >= 5)
		first = i + 3; /* skip the colour space id */
	if (last >= vt->nparams)
		return vt->nparams - 1;
	if (kind == 5 && vt->params[first] <= 255)
		*c = VT_COLOR_INDEX(vt->params[first]);
	else if (kind == 2 && last - first == 2 && vt->params[first] <= 255 &&
		 vt->params[first + 1] <= 255 && vt->params[first + 2] <= 255)
		*c = VT_COLOR_RGB(vt->params[first], vt->params[first + 1], vt->params[first + 2]);
	return last;
}

/* SGR attributes other than colours. Returns false if p is not one. */
static bool sgr_attr(struct vt_cell *pen, unsigned p)
{
	static const uint16_t on[10] = {
		0,
		VT_ATTR_BOLD,
		VT_ATTR_DIM,
		VT_ATTR_ITALIC,
		VT_ATTR_UNDERLINE,
		VT_ATTR_BLINK,
		VT_ATTR_BLINK,
		VT_ATTR_INVERSE,
		VT_ATTR_HIDDEN,
		VT_ATTR_STRIKE,
	};
	static const uint16_t off[10] = {
		0,
		0,
		VT_ATTR_BOLD | VT_ATTR_DIM,
		VT_ATTR_ITALIC,
		VT_ATTR_UNDERLINE,
		VT_ATTR_BLINK,
		0,
		VT_ATTR_INVERSE,
		VT_ATTR_HIDDEN,
		0,
	};

	if (p >= 1 && p <= 9)
		pen->attr |= on[p];
	else if (p == 21)
		pen->attr |= VT_ATTR_UNDERLINE; /* double underline, shown single */
	else if (p >= 22 && p <= 28 && p != 26)
		pen->attr &= (uint16_t)~off[p - 20];
	else if (p == 29)
		pen->attr &= (uint16_t)~VT_ATTR_STRIKE;
	else
		return false;
	return true;
}

/* SGR 4 with a sub-parameter: 4:0 is no underline, 4:1..4:5 the styles. */
static void sgr_underline(struct vt *vt, unsigned i)
{
	if (subparams(vt, i) && vt->params[i + 1] == 0)
		vt->pen.attr &= (uint16_t)~VT_ATTR_UNDERLINE;
	else
		vt->pen.attr |= VT_ATTR_UNDERLINE;
}

void vt_sgr(struct vt *vt)
{
	struct vt_cell reset = { .cp = ' ' };

	if (vt->nparams == 0)
		vt->pen = reset;
	for (unsigned i = 0; i < vt->nparams; i++) {
		unsigned p = vt->params[i];
		if (p == 0)
			vt->pen = reset;
		else if (p == 4)
			sgr_underline(vt, i);
		else if (sgr_attr(&vt->pen, p))
			;
		else if (p >= 30 && p <= 37)
			vt->pen.fg = VT_COLOR_INDEX(p - 30);
		else if (p >= 40 && p <= 47)
			vt->pen.bg = VT_COLOR_INDEX(p - 40);
		else if (p >= 90 && p <= 97)
			vt->pen.fg = VT_COLOR_INDEX(p - 90 + 8);
		else if (p >= 100 && p <= 107)
			vt->pen.bg = VT_COLOR_INDEX(p - 100 + 8);
		else if (p == 39)
			vt->pen.fg = VT_COLOR_DEFAULT;
		else if (p == 49)
			vt->pen.bg = VT_COLOR_DEFAULT;
		else if (p == 38 || p == 48) {
			i = extended_color(vt, i, p == 38 ? &vt->pen.fg : &vt->pen.bg);
			continue;
		}
		i += subparams(vt, i);
	}
}

/* The xterm palette's red, green and blue for index n (0..255). */
static void palette(unsigned n, int rgb[3])
{
	static const uint8_t basic[16][3] = {
		{ 0, 0, 0 },       { 205, 0, 0 },   { 0, 205, 0 },   { 205, 205, 0 },
		{ 0, 0, 238 },     { 205, 0, 205 }, { 0, 205, 205 }, { 229, 229, 229 },
		{ 127, 127, 127 }, { 255, 0, 0 },   { 0, 255, 0 },   { 255, 255, 0 },
		{ 92, 92, 255 },   { 255, 0, 255 }, { 0, 255, 255 }, { 255, 255, 255 },
	};
	static const uint8_t level[6] = { 0, 95, 135, 175, 215, 255 };

	if (n < 16) {
		for (int k = 0; k < 3; k++)
			rgb[k] = basic[n][k];
	} else if (n < 232) {
		rgb[0] = level[(n - 16) / 36];
		rgb[1] = level[(n - 16) / 6 % 6];
		rgb[2] = level[(n - 16) % 6];
	} else {
		rgb[0] = rgb[1] = rgb[2] = (int)(8 + 10 * (n - 232));
	}
}

/* The red, green and blue of an indexed or true colour. */
static void color_rgb(vt_color_t c, int rgb[3])
{
	if (VT_COLOR_KIND(c) == VT_COLOR_KIND_RGB) {
		rgb[0] = (int)(c >> 16 & 0xff);
		rgb[1] = (int)(c >> 8 & 0xff);
		rgb[2] = (int)(c & 0xff);
	} else {
		palette(c & 0xff, rgb);
	}
}

/* The index in [from, to) whose palette colour is nearest to rgb. */
static int nearest(const int rgb[3], unsigned from, unsigned to)
{
	int best = (int)from;
	long best_d = -1;

	for (unsigned n = from; n < to; n++) {
		int p[3];
		long d = 0;
		palette(n, p);
		for (int k = 0; k < 3; k++)
			d += (long)(p[k] - rgb[k]) * (p[k] - rgb[k]);
		if (best_d < 0 || d < best_d) {
			best_d = d;
			best = (int)n;
		}
	}
	return best;
}

int vt_color_to_256(vt_color_t c)
{
	int rgb[3];

	if (VT_COLOR_KIND(c) == VT_COLOR_KIND_INDEX)
		return (int)(c & 0xff);
	if (VT_COLOR_KIND(c) != VT_COLOR_KIND_RGB)
		return -1;
	color_rgb(c, rgb);
	return nearest(rgb, 16, 256);
}

int vt_color_to_16(vt_color_t c)
{
	int rgb[3];

	if (VT_COLOR_KIND(c) == VT_COLOR_KIND_INDEX && (c & 0xff) < 16)
		return (int)(c & 0xff);
	if (VT_COLOR_KIND(c) != VT_COLOR_KIND_INDEX && VT_COLOR_KIND(c) != VT_COLOR_KIND_RGB)
		return -1;
	color_rgb(c, rgb);
	return nearest(rgb, 0, 16);
}
