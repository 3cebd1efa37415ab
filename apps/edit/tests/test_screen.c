/*
 * test_screen.c - screen tests: scripted keys drive the editor core, the
 * renderer's output bytes go through a terminal emulator (vtmodel.c), and
 * the emulated cells are compared with the expected picture. After every
 * frame the emulator's grid must also equal the renderer's own model, which
 * checks the differential output (cursor moves, erases, wide characters).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../ed.h"
#include "../screen.h"
#include "../view.h"
#include "check.h"
#include "vtmodel.h"

struct rig {
	struct editor ed;
	struct screen s;
	struct vt vt;
	size_t last_bytes;
};

/* Compares the emulated terminal with the screen model; 1 if equal. */
static int grid_matches(const struct rig *r)
{
	for (int y = 0; y < r->s.rows; y++) {
		for (int x = 0; x < r->s.cols; x++) {
			const struct cell *w = screen_want(&r->s, y, x);
			const struct vtcell *v = vt_cell(&r->vt, y, x);
			if (w->width != v->width || w->attr != v->attr ||
			    (w->width && (w->len != v->len || memcmp(w->ch, v->ch, w->len)))) {
				printf("cell %d,%d differs: want '%.*s'/%d/%x, terminal "
				       "'%.*s'/%d/%x\n",
				       y, x, w->len, w->ch, w->width, w->attr, v->len, v->ch,
				       v->width, v->attr);
				return 0;
			}
		}
	}
	if (r->s.want_visible &&
	    (r->vt.row != r->s.want_row || r->vt.col != r->s.want_col || !r->vt.cursor_visible)) {
		printf("cursor at %d,%d, want %d,%d\n", r->vt.row, r->vt.col, r->s.want_row,
		       r->s.want_col);
		return 0;
	}
	return r->vt.unknown == 0 && r->vt.scrolled == 0;
}

/* Renders a frame into the emulator; returns 1 if it matches the model. */
static int frame(struct rig *r)
{
	const char *out;
	size_t len;

	if (r->ed.redraw) {
		screen_invalidate(&r->s);
		r->ed.redraw = false;
	}
	ed_scroll(&r->ed);
	view_draw(&r->ed, &r->s);
	if (screen_flush(&r->s, &out, &len))
		return 0;
	r->last_bytes = len;
	vt_feed(&r->vt, out, len);
	return grid_matches(r);
}

static void rig_init(struct rig *r, int rows, int cols, const char *name, const char *text)
{
	struct doc *d;

	memset(r, 0, sizeof *r);
	ed_init(&r->ed, &file_posix_ops, rows, cols, 8);
	ed_new(&r->ed);
	d = ed_doc(&r->ed);
	buf_set(&d->buf, text, strlen(text));
	d->path = name ? strdup(name) : NULL;
	doc_set_lang(d);
	screen_init(&r->s, rows, cols);
	vt_init(&r->vt, rows, cols);
}

static void rig_free(struct rig *r)
{
	ed_free(&r->ed);
	screen_free(&r->s);
	vt_free(&r->vt);
}

/* Types the bytes of a terminal input string, one frame per key. */
static int type(struct rig *r, const char *input)
{
	struct keys k;
	keycode_t keys[KEYS_MAX_OUT];
	size_t n;

	keys_init(&k);
	for (const char *p = input; *p; p++) {
		n = keys_feed(&k, (unsigned char)*p, keys);
		for (size_t i = 0; i < n; i++) {
			ed_key(&r->ed, keys[i]);
			if (!frame(r))
				return 0;
		}
	}
	n = keys_idle(&k, keys);
	for (size_t i = 0; i < n; i++) {
		ed_key(&r->ed, keys[i]);
		if (!frame(r))
			return 0;
	}
	return 1;
}

static const char *row(struct rig *r, int y)
{
	static char buf[1024];

	vt_row(&r->vt, y, buf, sizeof buf);
	return buf;
}

TEST(first_frame_shows_text_status_and_help)
{
	struct rig r;

	rig_init(&r, 10, 40, "a.txt", "hello\nworld");
	CHECK(frame(&r));
	CHECK_STR(row(&r, 0), "hello");
	CHECK_STR(row(&r, 1), "world");
	CHECK_STR(row(&r, 2), "");
	CHECK_STR(row(&r, 8), " a.txt                   L1/2 C1  [1/1]");
	CHECK_EQ(vt_cell(&r.vt, 8, 39)->attr, ATTR_REVERSE);
	CHECK(strncmp(row(&r, 9), "^S Save ^O SaveAs ^X Close", 26) == 0);
	CHECK_EQ(r.vt.row, 0);
	CHECK_EQ(r.vt.col, 0);
	CHECK(frame(&r));
	CHECK_EQ(r.last_bytes, 0); /* nothing changed: nothing sent */
	rig_free(&r);
}

TEST(typing_updates_only_what_changed)
{
	struct rig r;
	char text[4000], *p = text;

	for (int i = 0; i < 30; i++)
		p += sprintf(p, "line %02d of some text that is moderately long\n", i);
	rig_init(&r, 24, 80, "a.txt", text);
	CHECK(frame(&r));
	CHECK(type(&r, "\x1b[B\x1b[B\x1b[B\x1b[B\x1b[B\x1b[B\x1b[B\x1b[B\x1b[B\x1b[B"));
	CHECK(type(&r, "\x1b[C\x1b[C\x1b[C\x1b[C\x1b[C\x1b[C\x1b[C\x1b[C\x1b[C\x1b[C"));
	CHECK(type(&r, "X"));
	CHECK_STR(row(&r, 10), "line 10 ofX some text that is moderately long");
	CHECK(r.last_bytes > 0);
	CHECK(r.last_bytes < 160);
	CHECK(strstr(row(&r, 22), "*a.txt") != NULL);
	CHECK(strstr(row(&r, 22), "Modified  L11/31 C12") != NULL);
	CHECK_EQ(r.vt.row, 10);
	CHECK_EQ(r.vt.col, 11);
	rig_free(&r);
}

TEST(wide_combining_invalid_and_control_characters_display)
{
	struct rig r;
	const struct vtcell *c;

	rig_init(&r, 8, 30, NULL,
		 "\xe6\x97\xa5\xe6\x9c\xac"
		 "x\ne\xcc\x81!\n\xff\x01\tz");
	CHECK(frame(&r));
	CHECK_STR(row(&r, 0), "\xe6\x97\xa5\xe6\x9c\xac"
			      "x");
	CHECK_EQ(vt_cell(&r.vt, 0, 0)->width, 2);
	CHECK_EQ(vt_cell(&r.vt, 0, 1)->width, 0);
	CHECK_EQ(vt_cell(&r.vt, 0, 4)->ch[0], 'x');
	c = vt_cell(&r.vt, 1, 0);
	CHECK_EQ(c->len, 3);
	CHECK(memcmp(c->ch, "e\xcc\x81", 3) == 0);
	CHECK_EQ(vt_cell(&r.vt, 1, 1)->ch[0], '!');
	CHECK_STR(row(&r, 2), "\\xff^A  z");
	CHECK(vt_cell(&r.vt, 2, 0)->attr & ATTR_REVERSE);
	CHECK(type(&r, "\x1b[C")); /* right over a wide character */
	CHECK_EQ(r.vt.col, 2);
	CHECK(type(&r, "\x1b[B\x1b[B\x1b[C\x1b[C"));
	CHECK_EQ(r.vt.row, 2);
	CHECK_EQ(r.vt.col, 6);
	CHECK(type(&r, "\x1b[C")); /* past the tab */
	CHECK_EQ(r.vt.col, 8);
	rig_free(&r);
}

TEST(long_lines_scroll_horizontally)
{
	struct rig r;
	char line[64];

	for (int i = 0; i < 50; i++)
		line[i] = (char)('a' + i % 26);
	line[50] = '\0';
	rig_init(&r, 6, 20, NULL, line);
	CHECK(frame(&r));
	CHECK(strncmp(row(&r, 0), line, 20) == 0);
	CHECK(type(&r, "\x1b[F")); /* End */
	CHECK_STR(row(&r, 0), line + 36);
	CHECK_EQ(r.vt.col, 14);
	CHECK(type(&r, "\x1b[H")); /* Home */
	CHECK(strncmp(row(&r, 0), line, 20) == 0);
	CHECK_EQ(r.vt.col, 0);
	rig_free(&r);
}

TEST(scrolling_into_the_middle_of_a_comment_keeps_its_colour)
{
	struct rig r;
	char *text = malloc(20000), *p = text;

	for (int i = 0; i < 300; i++)
		p += sprintf(p, "%s\n",
			     i == 10    ? "/* start"
			     : i == 250 ? "end */ int x;"
					: "int y;");
	rig_init(&r, 12, 40, "big.c", text);
	CHECK(frame(&r));
	CHECK(type(&r, "\x07"
		       "200\r"));
	CHECK_EQ(ed_doc(&r.ed)->cur, 199 * 7 + 2);
	CHECK_EQ(vt_cell(&r.vt, r.vt.row, 0)->attr, view_attr(HL_COMMENT));
	CHECK(type(&r, "\x07"
		       "251\r"));
	CHECK_STR(row(&r, r.vt.row), "end */ int x;");
	CHECK_EQ(vt_cell(&r.vt, r.vt.row, 0)->attr, view_attr(HL_COMMENT));
	CHECK_EQ(vt_cell(&r.vt, r.vt.row, 7)->attr, view_attr(HL_TYPE));
	CHECK_EQ(vt_cell(&r.vt, r.vt.row - 1, 0)->attr, view_attr(HL_COMMENT));
	CHECK(type(&r, "\x1b[B"));
	CHECK_STR(row(&r, r.vt.row), "int y;");
	CHECK_EQ(vt_cell(&r.vt, r.vt.row, 0)->attr, view_attr(HL_TYPE));
	free(text);
	rig_free(&r);
}

TEST(line_numbers_toggle)
{
	struct rig r;

	rig_init(&r, 6, 30, NULL, "one\ntwo");
	CHECK(type(&r, "\x1bn"));
	CHECK_STR(row(&r, 0), "1 one");
	CHECK_STR(row(&r, 1), "2 two");
	CHECK_EQ(r.vt.col, 2);
	CHECK(type(&r, "\x1bn"));
	CHECK_STR(row(&r, 0), "one");
	rig_free(&r);
}

TEST(search_prompt_highlights_matches_as_you_type)
{
	struct rig r;

	rig_init(&r, 6, 40, NULL, "abc\nfoo bar\nbarn");
	CHECK(frame(&r));
	CHECK(type(&r, "\x06"
		       "ba"));
	CHECK_STR(row(&r, 5), "Search: ba");
	CHECK_EQ(ed_doc(&r.ed)->cur, 8);
	CHECK(vt_cell(&r.vt, 1, 4)->attr & ATTR_REVERSE);
	CHECK(type(&r, "r\x06")); /* next match */
	CHECK_EQ(ed_doc(&r.ed)->cur, 12);
	CHECK(type(&r, "\x1b")); /* cancel: back to the start */
	CHECK_EQ(ed_doc(&r.ed)->cur, 0);
	CHECK_STR(row(&r, 5), "Cancelled");
	rig_free(&r);
}

TEST(help_screen_shows_the_keys_and_any_key_returns)
{
	struct rig r;

	rig_init(&r, 20, 90, NULL, "text");
	CHECK(type(&r, "\x1bOP"));
	CHECK(strncmp(row(&r, 0), "edit - keys", 11) == 0);
	CHECK(type(&r, "q"));
	CHECK_STR(row(&r, 0), "text");
	rig_free(&r);
}

static unsigned long seed;

static unsigned rnd(unsigned n)
{
	seed = seed * 6364136223846793005ul + 1442695040888963407ul;
	return (unsigned)((seed >> 33) % n);
}

TEST(random_frames_reach_the_terminal_exactly)
{
	static const char *const inputs[] = {
		"a",         "\xe6\x97\xa5", "e\xcc\x81", "\t",     "\r",       "\x7f",   "\x1b[3~",
		"\x1b[A",    "\x1b[B",       "\x1b[C",    "\x1b[D", "\x1b[H",   "\x1b[F", "\x1b[5~",
		"\x1b[6~",   "\x0b",         "\x15",      "\x1bn",  "\x1b\x61", "\x1a",   "\x19",
		"\x1b[1;5C", "\xff",         "xyzzy",     "\x1bt",
	};
	static const int sizes[][2] = { { 24, 80 }, { 10, 20 }, { 5, 7 }, { 3, 12 }, { 2, 5 } };
	struct rig r;
	char text[3000], *p = text;

	for (int i = 0; i < 60; i++)
		p += sprintf(p, "%d\t\xe6\x97\xa5 int x = %d; /* c%s\n", i, i * i,
			     i % 5 ? "" : " */");
	seed = 42;
	for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
		rig_init(&r, sizes[s][0], sizes[s][1], "t.c", text);
		CHECK(frame(&r));
		for (int k = 0; k < 600; k++) {
			if (k == 300) { /* the terminal changes size */
				int rows = sizes[s][0] + 3, cols = sizes[s][1] + 7;
				screen_resize(&r.s, rows, cols);
				ed_resize(&r.ed, rows, cols);
				vt_free(&r.vt);
				vt_init(&r.vt, rows, cols);
				CHECK(frame(&r));
			}
			CHECK(type(&r, inputs[rnd(sizeof inputs / sizeof inputs[0])]));
		}
		rig_free(&r);
	}
}

int main(void)
{
	RUN(first_frame_shows_text_status_and_help);
	RUN(typing_updates_only_what_changed);
	RUN(wide_combining_invalid_and_control_characters_display);
	RUN(long_lines_scroll_horizontally);
	RUN(scrolling_into_the_middle_of_a_comment_keeps_its_colour);
	RUN(line_numbers_toggle);
	RUN(search_prompt_highlights_matches_as_you_type);
	RUN(help_screen_shows_the_keys_and_any_key_returns);
	RUN(random_frames_reach_the_terminal_exactly);
	return check_summary();
}
