/*
 * view.c - the editor's picture (see view.h).
 */
#include "view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "utf8.h"

#define ATTR_GUTTER ATTR_FG(3)
#define ATTR_BAR ATTR_REVERSE
#define ATTR_BAD (ATTR_FG(1) | ATTR_REVERSE)
#define ATTR_HELPKEY ATTR_REVERSE

uint16_t view_attr(enum hl_attr a)
{
	switch (a) {
	case HL_COMMENT:
		return ATTR_FG(6);
	case HL_STRING:
		return ATTR_FG(3);
	case HL_KEYWORD:
		return ATTR_FG(5) | ATTR_BOLD;
	case HL_TYPE:
		return ATTR_FG(2);
	case HL_NUMBER:
		return ATTR_FG(1);
	case HL_PREPROC:
		return ATTR_FG(4) | ATTR_BOLD;
	default:
		return 0;
	}
}

/* One row being drawn: where text columns start and which part shows. */
struct row {
	struct screen *s;
	int y, x0;
	size_t left, right; /* visible text columns [left, right) */
};

/* Puts a glyph of width w at text column col with the given cells. */
static void put_glyph(struct row *r, size_t col, const char *cells, unsigned w, uint16_t attr)
{
	for (unsigned i = 0; i < w; i++) {
		if (col + i >= r->left && col + i < r->right)
			screen_put(r->s, r->y, r->x0 + (int)(col + i - r->left), cells + i, 1, 1,
				   attr);
	}
}

/* Draws code point cp (n bytes at p) at text column col; returns width. */
static unsigned draw_char(struct row *r, size_t col, const char *p, size_t n, uint32_t cp,
			  unsigned tabw, uint16_t attr)
{
	unsigned w = text_width(cp, col, tabw);
	char cells[16];

	if (cp == '\t') {
		memset(cells, ' ', sizeof cells);
		for (unsigned i = 0; i < w; i += 16)
			put_glyph(r, col + i, cells, w - i < 16 ? w - i : 16, attr);
	} else if (cp == UTF8_INVALID) {
		snprintf(cells, sizeof cells, "\\x%02x", (unsigned char)p[0]);
		put_glyph(r, col, cells, 4, ATTR_BAD);
	} else if (cp < 0x20 || cp == 0x7f) {
		snprintf(cells, sizeof cells, "^%c", cp == 0x7f ? '?' : (char)(cp + '@'));
		put_glyph(r, col, cells, 2, ATTR_BAD);
	} else if (w == 4) {
		snprintf(cells, sizeof cells, "<%02x>", (unsigned)(cp & 0xff));
		put_glyph(r, col, cells, 4, ATTR_BAD);
	} else if (w == 0) {
		if (col > r->left && col <= r->right)
			screen_add_mark(r->s, r->y, r->x0 + (int)(col - 1 - r->left), p, n);
	} else if (col >= r->left && col + w <= r->right) {
		screen_put(r->s, r->y, r->x0 + (int)(col - r->left), p, n, (int)w, attr);
	} else {
		put_glyph(r, col, "  ", w, attr); /* a wide character cut by an edge */
	}
	return w;
}

/* The attribute of the byte at offset pos: selection and search match win
 * over highlighting. */
static uint16_t byte_attr(const struct editor *ed, const struct doc *d, size_t pos, uint8_t hl)
{
	if (d->mark_set) {
		size_t a = d->mark < d->cur ? d->mark : d->cur;
		size_t b = d->mark < d->cur ? d->cur : d->mark;
		if (pos >= a && pos < b)
			return ATTR_REVERSE;
	}
	if (ed->match_shown && pos >= ed->match_start && pos < ed->match_start + ed->match_len)
		return ATTR_REVERSE | ATTR_FG(3);
	return view_attr((enum hl_attr)hl);
}

/* Draws the visible part of one line; returns the lexer state after it. */
static hl_state draw_line(struct editor *ed, struct doc *d, struct row *r, size_t start,
			  size_t *n_out, hl_state st, uint8_t **attrs, size_t *attrcap)
{
	size_t n, col = 0;
	const char *s = hl_fetch_at(&d->hl, &d->buf, start, &n);

	*n_out = 0;
	if (!s)
		return 0;
	*n_out = n;
	if (n > *attrcap) {
		uint8_t *a = realloc(*attrs, n);
		if (!a)
			return 0;
		*attrs = a;
		*attrcap = n;
	}
	st = hl_line(d->hl.lang, st, s, n, *attrs);
	for (size_t i = 0; i < n && col <= r->right;) {
		uint32_t cp;
		size_t k = utf8_decode((const unsigned char *)s + i, n - i, &cp);
		col += draw_char(r, col, s + i, k, cp, ed->tabw,
				 byte_attr(ed, d, start + i, (*attrs)[i]));
		i += k;
	}
	return st;
}

/* Draws the line-number gutter of row y for line (0-based). */
static void draw_gutter(struct screen *s, int y, int width, size_t line)
{
	char num[24];

	if (width <= 0 || width > 21)
		return;
	snprintf(num, sizeof num, "%*zu ", (width - 1) & 31, line + 1);
	screen_text(s, y, 0, num, ATTR_GUTTER);
}

static void draw_text(struct editor *ed, struct screen *s)
{
	struct doc *d = ed_doc(ed);
	int rows = ed_text_rows(ed), gutter = ed_gutter(ed);
	struct row r = { s, 0, gutter, d->left, d->left + (size_t)(s->cols - gutter) };
	size_t nlines = buf_lines(&d->buf), pos = buf_line_start(&d->buf, d->top), n;
	hl_state st = hl_state_at(&d->hl, &d->buf, d->top);

	for (int y = 0; y < rows && y < s->rows; y++) {
		size_t line = d->top + (size_t)y;
		if (line >= nlines)
			break;
		r.y = y;
		draw_gutter(s, y, gutter, line);
		st = draw_line(ed, d, &r, pos, &n, st, &ed->attrs, &ed->attrcap);
		pos += n + 1;
	}
}

/* The name shown for a document. */
static const char *doc_name(const struct doc *d)
{
	return d->path ? d->path : "[no name]";
}

static void draw_status(struct editor *ed, struct screen *s, int y)
{
	struct doc *d = ed_doc(ed);
	char right[96], left[96];
	size_t line = buf_line_of(&d->buf, d->cur);
	int x;

	snprintf(left, sizeof left, " %s%s", undo_modified(&d->undo) ? "*" : "", doc_name(d));
	snprintf(right, sizeof right, "%s%sL%zu/%zu C%zu  [%zu/%zu] ",
		 undo_modified(&d->undo) ? "Modified  " : "", d->mark_set ? "Mark  " : "", line + 1,
		 buf_lines(&d->buf), text_col(&d->buf, d->cur, ed->tabw) + 1, ed->cur + 1,
		 ed->ndocs);
	screen_fill(s, y, 0, ATTR_BAR);
	screen_text(s, y, 0, left, ATTR_BAR);
	x = s->cols - (int)strlen(right);
	if (x > (int)strlen(left))
		screen_text(s, y, x, right, ATTR_BAR);
}

static const char *const help_line[][2] = {
	{ "^S", "Save" },    { "^O", "SaveAs" }, { "^X", "Close" }, { "^F", "Find" },
	{ "^R", "Replace" }, { "^G", "GoTo" },   { "^K", "Cut" },   { "^U", "Paste" },
	{ "^Z", "Undo" },    { "^Y", "Redo" },   { "M-A", "Mark" }, { "F1", "Help" },
};

static void draw_help_line(struct screen *s, int y)
{
	int x = 0;

	for (size_t i = 0; i < sizeof help_line / sizeof help_line[0] && x < s->cols; i++) {
		x = screen_text(s, y, x, help_line[i][0], ATTR_HELPKEY);
		x = screen_text(s, y, x, " ", 0);
		x = screen_text(s, y, x, help_line[i][1], 0);
		x = screen_text(s, y, x, " ", 0);
	}
}

/* Draws the prompt and returns the cursor column in it. */
static int draw_prompt(struct editor *ed, struct screen *s, int y)
{
	char before[PROMPT_MAX];
	int x = screen_text(s, y, 0, prompt_label(ed), ATTR_BOLD), cx;

	memcpy(before, ed->pr.text, ed->pr.cur);
	before[ed->pr.cur] = '\0';
	cx = screen_text(s, y, x, before, 0);
	screen_text(s, y, cx, ed->pr.text + ed->pr.cur, 0);
	return cx < s->cols ? cx : s->cols - 1;
}

static const char *const help_text[] = {
	"edit - keys (press any key to go back)",
	"",
	"^S save          ^O save as        ^T open file     ^X close buffer  ^Q quit all",
	"M-, M-. previous/next buffer       M-N line numbers M-I auto-indent  M-T tab width",
	"Arrows move      ^Left ^Right word Home ^A / End ^E line start/end",
	"PgUp PgDn ^V     ^Home M-\\  ^End M-/ start/end of file               ^G go to line",
	"^F ^W search (in the prompt: M-R regex, M-C case, M-B backwards, ^F next match)",
	"M-W F3 next match    M-Q previous match    ^R ^\\ replace (y/n/a/q per match)",
	"Backspace ^H delete left   Delete ^D delete right   Enter split line (auto-indent)",
	"M-A ^^ ^@ set/unset mark   ^K cut line or region (repeat to collect lines)",
	"M-6 copy line or region    ^U paste    ^Z undo    ^Y redo    ^L redraw",
	"Esc or ^C cancels a prompt.",
};

static void draw_help(struct screen *s)
{
	for (size_t i = 0; i < sizeof help_text / sizeof help_text[0]; i++)
		screen_text(s, (int)i, 0, help_text[i], i == 0 ? ATTR_BOLD : 0);
	screen_set_cursor(s, 0, 0, false);
}

/* Places the terminal cursor on the document's cursor. */
static void place_cursor(struct editor *ed, struct screen *s)
{
	struct doc *d = ed_doc(ed);
	size_t line = buf_line_of(&d->buf, d->cur), col = text_col(&d->buf, d->cur, ed->tabw);
	int y = (int)(line - d->top), x = ed_gutter(ed) + (int)(col - d->left);

	screen_set_cursor(s, y, x, line >= d->top && col >= d->left);
}

void view_draw(struct editor *ed, struct screen *s)
{
	int bottom = s->rows - 1;

	screen_clear(s);
	if (!ed_doc(ed))
		return;
	if (ed->help) {
		draw_help(s);
		return;
	}
	draw_text(ed, s);
	place_cursor(ed, s);
	if (s->rows >= 3)
		draw_status(ed, s, s->rows - 2);
	if (s->rows < 2)
		return;
	if (ed->pr.kind != PROMPT_NONE)
		screen_set_cursor(s, bottom, draw_prompt(ed, s, bottom), true);
	else if (ed->msg[0])
		screen_text(s, bottom, 0, ed->msg, 0);
	else
		draw_help_line(s, bottom);
}
