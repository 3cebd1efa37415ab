/*
 * vt_parse.c - the terminal's input parser, after the VT500-series state
 * machine (ground, escape, CSI, OSC, DCS and SOS/PM/APC states), with UTF-8
 * decoding in the ground state, and the ESC sequences.
 *
 * Departures from the DEC model, all as xterm and tmux do in UTF-8 mode:
 * bytes 0x80..0x9F are UTF-8 continuation bytes, never C1 controls; ':'
 * separates sub-parameters (SGR 38:2::r:g:b) instead of spoiling the
 * sequence; BEL ends an OSC string as well as ST. Strings (OSC, DCS, SOS,
 * PM, APC) are consumed and ignored.
 */
#include <string.h>

#include "vt_internal.h"

/* Forgets the sequence being collected. */
static void clear_sequence(struct vt *vt)
{
	memset(vt->params, 0, sizeof(vt->params));
	vt->nparams = 0;
	vt->colon_after = 0;
	vt->param_started = false;
	vt->private_marker = 0;
	vt->intermediate = 0;
	vt->ninter = 0;
}

/* Collects a parameter byte: a digit, ';' or ':'. Past VT_PARAMS_MAX
 * parameters the rest are ignored; values saturate at VT_PARAM_MAX. nparams
 * is the index of the parameter being collected until dispatch. */
static void param_byte(struct vt *vt, uint8_t b)
{
	vt->param_started = true;
	if (b == ';' || b == ':') {
		if (b == ':' && vt->nparams < VT_PARAMS_MAX)
			vt->colon_after |= 1u << vt->nparams;
		if (vt->nparams < VT_PARAMS_MAX)
			vt->nparams++;
		return;
	}
	if (vt->nparams >= VT_PARAMS_MAX)
		return;
	uint32_t v = vt->params[vt->nparams] * 10u + (b - '0');
	vt->params[vt->nparams] = (uint16_t)(v > VT_PARAM_MAX ? VT_PARAM_MAX : v);
}

/* Keeps the first intermediate byte and counts them all. */
static void collect(struct vt *vt, uint8_t b)
{
	if (vt->ninter++ == 0)
		vt->intermediate = b;
}

/* Turns the collection index into a parameter count and dispatches. */
static void csi_dispatch(struct vt *vt, uint8_t final)
{
	if (vt->param_started)
		vt->nparams = (uint8_t)(vt->nparams < VT_PARAMS_MAX ? vt->nparams + 1
								    : VT_PARAMS_MAX);
	if (vt->ninter <= 1)
		vt_csi_dispatch(vt, final);
	vt->state = VT_GROUND;
}

static bool is_c0(uint8_t b)
{
	return b < 0x20;
}

/* The byte after ESC: an intermediate, a string or CSI introducer, or a
 * final byte. */
static void escape(struct vt *vt, uint8_t b)
{
	if (is_c0(b))
		vt_execute(vt, b);
	else if (b <= 0x2f) {
		collect(vt, b);
		vt->state = VT_ESCAPE_INTER;
	} else if (b == '[') {
		vt->state = VT_CSI_ENTRY;
	} else if (b == ']') {
		vt->state = VT_OSC_STRING;
	} else if (b == 'P') {
		vt->state = VT_DCS_ENTRY;
	} else if (b == 'X' || b == '^' || b == '_') {
		vt->state = VT_SOS_STRING;
	} else if (b < 0x7f) {
		vt->state = VT_GROUND;
		vt_esc_dispatch(vt, b);
	}
}

/* An ESC sequence after its first intermediate byte. */
static void escape_inter(struct vt *vt, uint8_t b)
{
	if (is_c0(b))
		vt_execute(vt, b);
	else if (b <= 0x2f)
		collect(vt, b);
	else if (b < 0x7f) {
		vt->state = VT_GROUND;
		vt_esc_dispatch(vt, b);
	}
}

/* CSI entry, parameter and intermediate states: private marker,
 * parameters, intermediates, then the final byte. */
static void csi(struct vt *vt, uint8_t b)
{
	if (is_c0(b)) {
		vt_execute(vt, b);
	} else if (b <= 0x2f) {
		collect(vt, b);
		vt->state = VT_CSI_INTER;
	} else if (b <= 0x3b) {
		if (vt->state == VT_CSI_INTER) {
			vt->state = VT_CSI_IGNORE;
			return;
		}
		param_byte(vt, b);
		vt->state = VT_CSI_PARAM;
	} else if (b <= 0x3f) {
		if (vt->state == VT_CSI_ENTRY) {
			vt->private_marker = b;
			vt->state = VT_CSI_PARAM;
		} else {
			vt->state = VT_CSI_IGNORE;
		}
	} else if (b < 0x7f) {
		csi_dispatch(vt, b);
	}
}

/* A malformed CSI sequence: everything up to its final byte is dropped. */
static void csi_ignore(struct vt *vt, uint8_t b)
{
	if (is_c0(b))
		vt_execute(vt, b);
	else if (b >= 0x40 && b < 0x7f)
		vt->state = VT_GROUND;
}

/* DCS: the header is parsed for its shape only, and the data passed
 * through to nobody. */
static void dcs(struct vt *vt, uint8_t b)
{
	if (is_c0(b) || b == 0x7f)
		return;
	if (b <= 0x2f) {
		vt->state = VT_DCS_INTER;
	} else if (b <= 0x3f) {
		if (vt->state == VT_DCS_INTER || b == ':' ||
		    (b >= 0x3c && vt->state == VT_DCS_PARAM))
			vt->state = VT_DCS_IGNORE;
		else
			vt->state = VT_DCS_PARAM;
	} else {
		vt->state = VT_DCS_PASS;
	}
}

/* An OSC string: dropped up to BEL (or ST, through the escape state). */
static void osc(struct vt *vt, uint8_t b)
{
	if (b == 0x07)
		vt->state = VT_GROUND;
}

/* Feeds a ground-state byte through the UTF-8 decoder when it is part of
 * a sequence. Returns true if b was consumed. */
static bool ground_utf8(struct vt *vt, uint8_t b)
{
	uint32_t cp;

	if (b < 0x80 && !utf8_pending(&vt->utf8))
		return false;
	switch (utf8_feed(&vt->utf8, b, &cp)) {
	case UTF8_MORE:
		return true;
	case UTF8_CHAR:
	case UTF8_BAD:
		vt_print(vt, cp);
		return true;
	case UTF8_BAD_AGAIN:
		vt_print(vt, cp);
		return ground_utf8(vt, b);
	}
	return true;
}

/* The ground state: characters are printed, C0 controls executed. */
static void ground(struct vt *vt, uint8_t b)
{
	if (ground_utf8(vt, b))
		return;
	if (is_c0(b))
		vt_execute(vt, b);
	else if (b < 0x7f)
		vt_print(vt, b);
}

/* One byte through the state machine. */
static void step(struct vt *vt, uint8_t b)
{
	if (b == 0x18 || b == 0x1a || b == 0x1b) {
		uint32_t cp;
		if (vt->state == VT_GROUND && utf8_pending(&vt->utf8) &&
		    utf8_feed(&vt->utf8, b, &cp) == UTF8_BAD_AGAIN)
			vt_print(vt, cp);
		clear_sequence(vt);
		vt->state = b == 0x1b ? VT_ESCAPE : VT_GROUND;
		return;
	}
	if (b >= 0x80 && vt->state != VT_GROUND)
		return;
	switch (vt->state) {
	case VT_GROUND:
		ground(vt, b);
		break;
	case VT_ESCAPE:
		escape(vt, b);
		break;
	case VT_ESCAPE_INTER:
		escape_inter(vt, b);
		break;
	case VT_CSI_ENTRY:
	case VT_CSI_PARAM:
	case VT_CSI_INTER:
		csi(vt, b);
		break;
	case VT_CSI_IGNORE:
		csi_ignore(vt, b);
		break;
	case VT_OSC_STRING:
		osc(vt, b);
		break;
	case VT_DCS_ENTRY:
	case VT_DCS_PARAM:
	case VT_DCS_INTER:
		dcs(vt, b);
		break;
	case VT_DCS_PASS:
	case VT_DCS_IGNORE:
	case VT_SOS_STRING:
		break;
	}
}

void vt_write(struct vt *vt, const uint8_t *bytes, size_t n)
{
	for (size_t i = 0; i < n; i++)
		step(vt, bytes[i]);
}

/* ESC # 8: fills the screen with 'E', resets the margins, homes. */
static void screen_alignment(struct vt *vt)
{
	for (unsigned r = 0; r < vt->rows; r++) {
		for (unsigned c = 0; c < vt->cols; c++) {
			struct vt_cell *x = vt_cell_at(vt, r, c);
			struct vt_cell e = { .cp = 'E' };
			*x = e;
		}
	}
	vt->top = 0;
	vt->bottom = (uint16_t)(vt->rows - 1);
	vt->modes &= ~VT_MODE_ORIGIN;
	vt_goto(vt, 0, 0);
	vt_mark_all(vt);
}

/* ESC sequences with an intermediate byte: designations and DECALN. */
static void esc_inter(struct vt *vt, uint8_t final)
{
	if (vt->ninter != 1)
		return;
	if (vt->intermediate == '(')
		vt->graphics = final == '0';
	else if (vt->intermediate == '#' && final == '8')
		screen_alignment(vt);
}

void vt_esc_dispatch(struct vt *vt, uint8_t final)
{
	vt->last_cp = 0;
	if (vt->ninter) {
		esc_inter(vt, final);
		return;
	}
	switch (final) {
	case '7':
		vt_save_cursor(vt);
		break;
	case '8':
		vt_restore_cursor(vt);
		break;
	case 'D':
		vt_index(vt);
		break;
	case 'E':
		vt_index(vt);
		vt->col = 0;
		vt->pending_wrap = false;
		break;
	case 'H':
		vt->tabs[vt->col / 8] |= (uint8_t)(1u << (vt->col % 8));
		break;
	case 'M':
		vt_reverse_index(vt);
		break;
	case 'c':
		vt_reset_state(vt);
		break;
	case '=':
		vt->modes |= VT_MODE_KEYPAD_APP;
		break;
	case '>':
		vt->modes &= ~VT_MODE_KEYPAD_APP;
		break;
	case 'Z':
		vt_reply(vt, "\033[?1;2c");
		break;
	default:
		break;
	}
}
