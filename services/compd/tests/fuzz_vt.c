/*
 * fuzz_vt.c - libFuzzer target for the terminal emulator.
 *
 * The input is a script: each step starts with a control byte. 0xff
 * resizes the grid to the sizes in the next two bytes (as rows 1..96,
 * cols 1..160, or the largest size when the byte is 0xff); 0xfe drains
 * the replies; anything else writes the next (control & 0x3f) + 1 bytes to
 * the terminal. After every step the invariants must hold: the cursor and
 * the scroll region inside the grid, every wide character whole, every
 * cell a printable character, the replies within their queue.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Ikernel -Iservices/compd \
 *       services/compd/tests/fuzz_vt.c services/compd/vt*.c services/compd/uwidth*.c \
 *       -o fuzz_vt
 *   ./fuzz_vt -dict=services/compd/tests/fuzz_vt.dict -max_total_time=60
 */
#include <stdlib.h>
#include <string.h>

#include "vt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CAP ((size_t)VT_ROWS_MAX * VT_COLS_MAX)

static struct vt_cell prim[CAP], alt[CAP];

static void check(bool ok)
{
	if (!ok)
		abort();
}

static void check_cell(const struct vt_cell *row, unsigned c, unsigned cols)
{
	const struct vt_cell *x = &row[c];

	check(x->width <= VT_WIDE_CONT);
	if (x->width == VT_WIDE) {
		check(c + 1 < cols && row[c + 1].width == VT_WIDE_CONT);
		check(uwidth(x->cp) == 2 || x->cp == 0);
	} else if (x->width == VT_WIDE_CONT) {
		check(c > 0 && row[c - 1].width == VT_WIDE);
	} else if (x->cp != ' ') {
		check(x->cp > 0x20 && x->cp <= 0x10ffff && uwidth(x->cp) == 1);
	}
	check(VT_COLOR_KIND(x->fg) <= VT_COLOR_KIND_RGB &&
	      VT_COLOR_KIND(x->bg) <= VT_COLOR_KIND_RGB);
}

/* Checks the state; the cells too when every is set or the grid is small
 * (a full scan of a large grid after every step would slow the fuzzer
 * down a hundredfold). */
static void check_invariants(const struct vt *vt, bool every)
{
	check(vt->rows >= 1 && vt->rows <= VT_ROWS_MAX && vt->cols >= 1 && vt->cols <= VT_COLS_MAX);
	check(vt->row < vt->rows && vt->col < vt->cols);
	check(!vt->pending_wrap || vt->col == vt->cols - 1);
	check(vt->top <= vt->bottom && vt->bottom < vt->rows);
	check(vt->nreplies <= VT_REPLIES_MAX);
	check(vt->nparams <= VT_PARAMS_MAX);
	for (unsigned i = 0; i < 2; i++)
		check(vt->saved[i].row < vt->rows && vt->saved[i].col < vt->cols);
	for (unsigned r = 0; (every || vt->rows * vt->cols <= 4096) && r < vt->rows; r++)
		for (unsigned c = 0; c < vt->cols; c++)
			check_cell(vt_row(vt, r), c, vt->cols);
	for (unsigned r = vt->rows; r < VT_ROWS_MAX; r++)
		check(!vt_dirty(vt, r));
	for (unsigned k = 0; k < 2; k++) {
		uint8_t seen[VT_ROWS_MAX] = { 0 };
		for (unsigned r = 0; r < vt->rows; r++) {
			check(vt->map[k][r] < vt->rows && !seen[vt->map[k][r]]);
			seen[vt->map[k][r]] = 1;
		}
	}
}

static unsigned size_of(uint8_t b, unsigned most, unsigned mod)
{
	return b == 0xff ? most : 1 + b % mod;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vt vt;
	uint8_t replies[VT_REPLIES_MAX];
	size_t i = 0;

	if (vt_init(&vt, prim, (size & 1) ? alt : NULL, CAP, 24, 80) != STATUS_OK)
		abort();
	while (i < size) {
		uint8_t op = data[i++];
		if (op == 0xff && i + 2 <= size) {
			unsigned rows = size_of(data[i], VT_ROWS_MAX, 96);
			unsigned cols = size_of(data[i + 1], VT_COLS_MAX, 160);
			check(vt_resize(&vt, rows, cols) == STATUS_OK);
			i += 2;
		} else if (op == 0xfe) {
			check(vt_take_replies(&vt, replies, sizeof(replies)) <= sizeof(replies));
			check(vt.nreplies == 0);
		} else {
			size_t n = (size_t)(op & 0x3f) + 1;
			if (n > size - i)
				n = size - i;
			vt_write(&vt, data + i, n);
			i += n;
		}
		check_invariants(&vt, false);
		for (unsigned r = 0; r < vt.rows; r++)
			vt_clean(&vt, r);
	}
	check_invariants(&vt, true);
	return 0;
}
