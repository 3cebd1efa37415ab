/*
 * vt_csi.c - the terminal's CSI sequences: cursor motion, erasing and
 * editing, scroll regions, tab stops, modes, SGR and the replies (DA, DSR).
 */
#include <string.h>

#include "vt_internal.h"

/* Parameter i, or def when it is missing or zero. */
static unsigned param(const struct vt *vt, unsigned i, unsigned def)
{
	return i < vt->nparams && vt->params[i] ? vt->params[i] : def;
}

/* Parameter i as given, 0 when missing. */
static unsigned param0(const struct vt *vt, unsigned i)
{
	return i < vt->nparams ? vt->params[i] : 0;
}

/* Moves up n rows, stopping at the top margin unless the cursor started
 * above it. */
static void cursor_up(struct vt *vt, unsigned n)
{
	int lo = vt->row < vt->top ? 0 : vt->top;
	int r = (int)vt->row - (int)n;

	vt_goto(vt, r < lo ? lo : r, vt->col);
}

/* Moves down n rows, stopping at the bottom margin unless the cursor
 * started below it. */
static void cursor_down(struct vt *vt, unsigned n)
{
	int hi = vt->row > vt->bottom ? vt->rows - 1 : vt->bottom;
	int r = (int)vt->row + (int)n;

	vt_goto(vt, r > hi ? hi : r, vt->col);
}

/* CUP/HVP and VPA: rows count from the region's top in origin mode, and
 * the cursor stays inside the region. */
static void cursor_to(struct vt *vt, unsigned row, unsigned col)
{
	int r = (int)row - 1;

	if (vt->modes & VT_MODE_ORIGIN) {
		r += vt->top;
		if (r > vt->bottom)
			r = vt->bottom;
	}
	vt_goto(vt, r, (int)col - 1);
}

/* The cursor row as the program sees it (relative in origin mode). */
static unsigned reported_row(const struct vt *vt)
{
	unsigned r = vt->row;

	if ((vt->modes & VT_MODE_ORIGIN) && r >= vt->top)
		r -= vt->top;
	return r + 1;
}

/* ED: 0 from the cursor to the end, 1 from the start to the cursor, 2 all. */
static void erase_display(struct vt *vt, unsigned mode)
{
	if (mode == 0) {
		vt_erase(vt, vt->row, vt->col, vt->cols - 1);
		for (unsigned r = vt->row + 1u; r < vt->rows; r++)
			vt_erase(vt, r, 0, vt->cols - 1);
	} else if (mode == 1) {
		for (unsigned r = 0; r < vt->row; r++)
			vt_erase(vt, r, 0, vt->cols - 1);
		vt_erase(vt, vt->row, 0, vt->col);
	} else if (mode == 2) {
		for (unsigned r = 0; r < vt->rows; r++)
			vt_erase(vt, r, 0, vt->cols - 1);
	}
	/* 3 erases the saved lines: there is no scrollback. */
}

/* EL: 0 from the cursor to the end of the line, 1 from its start, 2 all. */
static void erase_line(struct vt *vt, unsigned mode)
{
	if (mode == 0)
		vt_erase(vt, vt->row, vt->col, vt->cols - 1);
	else if (mode == 1)
		vt_erase(vt, vt->row, 0, vt->col);
	else if (mode == 2)
		vt_erase(vt, vt->row, 0, vt->cols - 1);
}

/* ICH (insert) and DCH (delete) n cells at the cursor, within the row. */
static void shift_cells(struct vt *vt, unsigned n, bool insert)
{
	struct vt_cell *row = vt_cell_at(vt, vt->row, 0);
	unsigned c = vt->col, room = vt->cols - c;

	if (n > room)
		n = room;
	if (insert)
		memmove(row + c + n, row + c, (room - n) * sizeof(*row));
	else
		memmove(row + c, row + c + n, (room - n) * sizeof(*row));
	for (unsigned i = 0; i < n; i++)
		row[insert ? c + i : vt->cols - n + i] = vt_blank(vt);
	vt_fix_row(vt, vt->row);
	vt_mark(vt, vt->row);
	vt->pending_wrap = false;
}

/* IL and DL: lines at the cursor, inside the scroll region only. */
static void shift_lines(struct vt *vt, unsigned n, bool insert)
{
	if (vt->row < vt->top || vt->row > vt->bottom)
		return;
	if (insert)
		vt_scroll_down(vt, vt->row, vt->bottom, n);
	else
		vt_scroll_up(vt, vt->row, vt->bottom, n);
	vt->col = 0;
	vt->pending_wrap = false;
}

/* DECSTBM: a region of at least two rows, else the request is ignored. */
static void set_region(struct vt *vt)
{
	unsigned top = param(vt, 0, 1), bottom = param(vt, 1, vt->rows);

	if (bottom > vt->rows)
		bottom = vt->rows;
	if (top >= bottom)
		return;
	vt->top = (uint16_t)(top - 1);
	vt->bottom = (uint16_t)(bottom - 1);
	cursor_to(vt, 1, 1);
}

/* TBC: 0 the stop at the cursor, 3 all of them. */
static void clear_tabs(struct vt *vt, unsigned mode)
{
	if (mode == 0)
		vt->tabs[vt->col / 8] &= (uint8_t) ~(1u << (vt->col % 8));
	else if (mode == 3)
		memset(vt->tabs, 0, sizeof(vt->tabs));
}

/* REP: the last graphic character again, at most a screenful of times. */
static void repeat(struct vt *vt, unsigned n)
{
	unsigned most = (unsigned)vt->rows * vt->cols;

	if (n > most)
		n = most;
	while (n-- && vt->last_cp)
		vt_print(vt, vt->last_cp);
}

/* DSR 5 (status: fine) and 6 (cursor position, DECXCPR when dec). */
static void report(struct vt *vt, unsigned what, bool dec)
{
	char buf[32];
	char *p = buf;

	if (what == 5 && !dec) {
		vt_reply(vt, "\033[0n");
		return;
	}
	if (what != 6)
		return;
	*p++ = '\033';
	*p++ = '[';
	if (dec)
		*p++ = '?';
	p = vt_utoa(p, reported_row(vt));
	*p++ = ';';
	p = vt_utoa(p, vt->col + 1u);
	*p++ = 'R';
	*p = 0;
	vt_reply(vt, buf);
}

/* DECSTR (CSI ! p): the soft reset. */
static void soft_reset(struct vt *vt)
{
	struct vt_cell pen = { .cp = ' ' };

	vt->modes |= VT_MODE_AUTOWRAP | VT_MODE_CURSOR_SHOWN;
	vt->modes &= ~(VT_MODE_ORIGIN | VT_MODE_INSERT | VT_MODE_KEYPAD_APP | VT_MODE_CURSOR_KEYS);
	vt->top = 0;
	vt->bottom = (uint16_t)(vt->rows - 1);
	vt->pen = pen;
	vt->graphics = false;
	vt_save_cursor(vt);
	vt->saved[vt->grid == vt->alternate].row = 0;
	vt->saved[vt->grid == vt->alternate].col = 0;
	vt->pending_wrap = false;
}

/* Sequences with an intermediate byte or a private marker. */
static void csi_special(struct vt *vt, uint8_t final)
{
	uint8_t pm = vt->private_marker;

	if (vt->intermediate == '!' && final == 'p' && !pm)
		soft_reset(vt);
	else if (vt->intermediate)
		return;
	else if (pm == '?' && (final == 'h' || final == 'l'))
		vt_set_modes(vt, true, final == 'h');
	else if (pm == '?' && final == 'J')
		erase_display(vt, param0(vt, 0));
	else if (pm == '?' && final == 'K')
		erase_line(vt, param0(vt, 0));
	else if (pm == '?' && final == 'n')
		report(vt, param0(vt, 0), true);
	else if (pm == '>' && final == 'c' && param0(vt, 0) == 0)
		vt_reply(vt, "\033[>0;10;1c");
}

/* CSI sequences that move the cursor. Returns false if final is not one. */
static bool csi_cursor(struct vt *vt, uint8_t final)
{
	unsigned n = param(vt, 0, 1);

	switch (final) {
	case 'A':
		cursor_up(vt, n);
		break;
	case 'B':
	case 'e':
		cursor_down(vt, n);
		break;
	case 'C':
	case 'a':
		vt_goto(vt, vt->row, vt->col + (int)n);
		break;
	case 'D':
		vt_goto(vt, vt->row, vt->col - (int)n);
		break;
	case 'E':
		cursor_down(vt, n);
		vt->col = 0;
		break;
	case 'F':
		cursor_up(vt, n);
		vt->col = 0;
		break;
	case 'G':
	case '`':
		vt_goto(vt, vt->row, (int)n - 1);
		break;
	case 'H':
	case 'f':
		cursor_to(vt, n, param(vt, 1, 1));
		break;
	case 'd':
		cursor_to(vt, n, vt->col + 1u);
		break;
	case 'I':
		vt_tab_forward(vt, n);
		break;
	case 'Z':
		vt_tab_backward(vt, n);
		break;
	default:
		return false;
	}
	return true;
}

/* CSI sequences that edit the screen. Returns false if final is not one. */
static bool csi_edit(struct vt *vt, uint8_t final)
{
	unsigned n = param(vt, 0, 1);

	switch (final) {
	case 'J':
		erase_display(vt, param0(vt, 0));
		break;
	case 'K':
		erase_line(vt, param0(vt, 0));
		break;
	case 'X':
		vt_erase(vt, vt->row, vt->col, vt->col + n - 1);
		vt->pending_wrap = false;
		break;
	case '@':
	case 'P':
		shift_cells(vt, n, final == '@');
		break;
	case 'L':
	case 'M':
		shift_lines(vt, n, final == 'L');
		break;
	case 'S':
		vt_scroll_up(vt, vt->top, vt->bottom, n);
		break;
	case 'T':
		if (vt->nparams <= 1) /* more parameters: xterm's mouse tracking */
			vt_scroll_down(vt, vt->top, vt->bottom, n);
		break;
	case 'b':
		repeat(vt, n);
		break;
	default:
		return false;
	}
	return true;
}

void vt_csi_dispatch(struct vt *vt, uint8_t final)
{
	if (vt->colon_after && final != 'm')
		return; /* sub-parameters mean nothing outside SGR */
	if (final != 'b' || vt->private_marker || vt->intermediate)
		vt->last_cp = 0;
	if (vt->private_marker || vt->intermediate) {
		csi_special(vt, final);
		return;
	}
	if (csi_cursor(vt, final) || csi_edit(vt, final))
		return;
	switch (final) {
	case 'm':
		vt_sgr(vt);
		break;
	case 'r':
		set_region(vt);
		break;
	case 'g':
		clear_tabs(vt, param0(vt, 0));
		break;
	case 'h':
	case 'l':
		vt_set_modes(vt, false, final == 'h');
		break;
	case 'n':
		report(vt, param0(vt, 0), false);
		break;
	case 'c':
		if (param0(vt, 0) == 0)
			vt_reply(vt, "\033[?1;2c");
		break;
	case 's':
		vt_save_cursor(vt);
		break;
	case 'u':
		vt_restore_cursor(vt);
		break;
	default:
		break;
	}
}
