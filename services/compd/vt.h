/*
 * vt.h - Keel's terminal emulator: a byte stream in, a grid of cells out.
 *
 * It implements the subset of VT100/xterm that full-screen programs use
 * (docs/console.md lists every sequence), so that a program behaves the
 * same on the serial line, where the host's terminal interprets it, and on
 * Keel's screen. The emulator is a pure state machine: no allocation, no
 * globals, no I/O. The caller owns the cell memory, feeds bytes with
 * vt_write(), redraws the rows vt_dirty() reports, and sends the replies
 * that vt_take_replies() returns (answers to DA and DSR) back to the
 * program as its input.
 */
#ifndef KEEL_COMPD_VT_H
#define KEEL_COMPD_VT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/status.h"
#include "uwidth.h"

#define VT_ROWS_MAX 256
#define VT_COLS_MAX 512
#define VT_PARAMS_MAX 16
#define VT_PARAM_MAX 65535u
#define VT_REPLIES_MAX 128

/*
 * A colour: the kind in bits 24..25 and the value below. Truecolour is kept
 * as given; a screen that cannot show it asks vt_color_to_256() or
 * vt_color_to_16() for the nearest colour it can.
 */
typedef uint32_t vt_color_t;
#define VT_COLOR_DEFAULT 0u
#define VT_COLOR_INDEX(n) (0x01000000u | ((uint32_t)(n)&0xffu))
#define VT_COLOR_RGB(r, g, b)                                                                      \
	(0x02000000u | ((uint32_t)(r)&0xff) << 16 | ((uint32_t)(g)&0xff) << 8 |                    \
	 ((uint32_t)(b)&0xff))
#define VT_COLOR_KIND(c) ((c) >> 24)
#define VT_COLOR_KIND_DEFAULT 0
#define VT_COLOR_KIND_INDEX 1
#define VT_COLOR_KIND_RGB 2

/* Cell attributes (SGR). */
#define VT_ATTR_BOLD 0x0001
#define VT_ATTR_DIM 0x0002
#define VT_ATTR_ITALIC 0x0004
#define VT_ATTR_UNDERLINE 0x0008
#define VT_ATTR_BLINK 0x0010
#define VT_ATTR_INVERSE 0x0020
#define VT_ATTR_HIDDEN 0x0040
#define VT_ATTR_STRIKE 0x0080

/* A cell's width: a wide character is a VT_WIDE cell followed by a
 * VT_WIDE_CONT cell (code point 0) in the same row; the emulator never
 * leaves either half alone. */
#define VT_NARROW 0
#define VT_WIDE 1
#define VT_WIDE_CONT 2

struct vt_cell {
	uint32_t cp; /* code point; ' ' when blank */
	vt_color_t fg;
	vt_color_t bg;
	uint16_t attr;
	uint8_t width;
	uint8_t pad;
};

/* Modes a caller may need (vt_modes()): the key translation reads the
 * first two, the rest are there to be shown or forwarded. */
#define VT_MODE_CURSOR_KEYS 0x0001  /* DECCKM: arrows send SS3 */
#define VT_MODE_KEYPAD_APP 0x0002   /* DECKPAM */
#define VT_MODE_CURSOR_SHOWN 0x0004 /* DECTCEM */
#define VT_MODE_AUTOWRAP 0x0008     /* DECAWM */
#define VT_MODE_ORIGIN 0x0010       /* DECOM */
#define VT_MODE_INSERT 0x0020       /* IRM */
#define VT_MODE_NEWLINE 0x0040      /* LNM: LF also returns the carriage */
#define VT_MODE_ALT_SCREEN 0x0080
#define VT_MODE_BRACKETED_PASTE 0x0100 /* tracked; Keel's terminal never brackets */
#define VT_MODE_REVERSE_VIDEO 0x0200   /* DECSCNM */

/* The parser's states (the VT500-series model). */
enum vt_state {
	VT_GROUND,
	VT_ESCAPE,
	VT_ESCAPE_INTER,
	VT_CSI_ENTRY,
	VT_CSI_PARAM,
	VT_CSI_INTER,
	VT_CSI_IGNORE,
	VT_OSC_STRING,
	VT_DCS_ENTRY,
	VT_DCS_PARAM,
	VT_DCS_INTER,
	VT_DCS_PASS,
	VT_DCS_IGNORE,
	VT_SOS_STRING, /* SOS, PM and APC: consumed and ignored */
};

/* What DECSC saves. */
struct vt_saved {
	uint16_t row, col;
	bool pending_wrap;
	bool origin;
	bool graphics; /* G0 is the DEC special graphics set */
	struct vt_cell pen;
};

struct vt {
	uint16_t rows, cols;
	size_t capacity; /* cells in each of the two grids */
	struct vt_cell *primary;
	struct vt_cell *alternate; /* NULL: alternate screen requests are ignored */
	struct vt_cell *grid;      /* the one shown: primary or alternate */
	/* For each grid, the physical row holding each row on screen, so that
	 * scrolling moves indices, not cells. */
	uint16_t map[2][VT_ROWS_MAX];

	uint16_t row, col;    /* the cursor; always inside the grid */
	bool pending_wrap;    /* at the last column, the next character wraps first */
	struct vt_cell pen;   /* colours and attributes for what is written */
	bool graphics;        /* G0 is DEC special graphics (ESC ( 0) */
	uint16_t top, bottom; /* scroll region, inclusive */
	uint32_t modes;
	struct vt_saved saved[2]; /* DECSC: [0] primary, [1] alternate screen */
	uint32_t last_cp;         /* the last graphic character, for REP; 0: none yet */
	uint8_t tabs[VT_COLS_MAX / 8];
	uint64_t dirty[VT_ROWS_MAX / 64];

	enum vt_state state;
	struct utf8_dec utf8;
	uint16_t params[VT_PARAMS_MAX];
	uint32_t colon_after; /* bit i: params[i] was followed by ':' */
	uint8_t nparams;
	bool param_started;
	uint8_t private_marker; /* '?', '>', '=', '<' or 0 */
	uint8_t intermediate;   /* the first intermediate byte, or 0 */
	uint8_t ninter;

	uint8_t replies[VT_REPLIES_MAX];
	uint16_t nreplies;
	uint32_t replies_dropped;
};

/* Sets vt up with a rows x cols grid, blank, cursor home, default modes
 * (autowrap on, cursor shown, tab stops every 8 columns). primary and
 * alternate each hold capacity cells, at least rows * cols; alternate may
 * be NULL. Returns STATUS_INVALID for a zero or too large size or a NULL
 * primary, STATUS_RANGE if capacity is too small. */
status_t vt_init(struct vt *vt, struct vt_cell *primary, struct vt_cell *alternate, size_t capacity,
		 unsigned rows, unsigned cols);

/* Interprets n bytes written by the program. Sequences may be split across
 * calls at any byte. Never fails: malformed input shows as U+FFFD or is
 * ignored. */
void vt_write(struct vt *vt, const uint8_t *bytes, size_t n);

/* Changes the grid to rows x cols (see docs/console.md: content is cropped
 * or padded, not reflowed; when rows shrink below the cursor, the top
 * lines are dropped so that the cursor's line stays). Both screens are
 * resized, the scroll region is reset, the cursor is clamped, everything is
 * marked dirty. STATUS_INVALID or STATUS_RANGE as vt_init, and vt is then
 * unchanged. */
status_t vt_resize(struct vt *vt, unsigned rows, unsigned cols);

/* Returns row r (0-based) of the screen being shown; r < vt->rows. Its
 * cols cells are contiguous; rows are not in order in memory. */
static inline const struct vt_cell *vt_row(const struct vt *vt, unsigned r)
{
	return vt->grid + (size_t)vt->map[vt->grid == vt->alternate][r] * vt->cols;
}

/* True if row r changed since vt_clean() last cleared it. */
static inline bool vt_dirty(const struct vt *vt, unsigned r)
{
	return (vt->dirty[r / 64] >> (r % 64)) & 1;
}

/* Marks row r as drawn. */
static inline void vt_clean(struct vt *vt, unsigned r)
{
	vt->dirty[r / 64] &= ~(1ull << (r % 64));
}

static inline uint32_t vt_modes(const struct vt *vt)
{
	return vt->modes;
}

/* Copies up to cap bytes of pending replies to out, removes them from the
 * queue and returns how many were copied. A reply that did not fit the
 * queue when it was made was dropped whole (counted in replies_dropped). */
size_t vt_take_replies(struct vt *vt, uint8_t *out, size_t cap);

/* The nearest xterm 256-colour index to c, or -1 for the default colour. */
int vt_color_to_256(vt_color_t c);

/* The nearest of the 16 basic colours (0-7 normal, 8-15 bright) to c, or
 * -1 for the default colour. */
int vt_color_to_16(vt_color_t c);

#endif
