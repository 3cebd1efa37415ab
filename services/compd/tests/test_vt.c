/* Host tests for the terminal emulator: byte streams in, cell grids out. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "vt.h"
#include "vt_text.h"

#define CAP (64 * 132)

static struct vt vt;
static struct vt_cell prim[CAP], alt[CAP];
static char text[1024];

static void term(unsigned rows, unsigned cols)
{
	CHECK_EQ(vt_init(&vt, prim, alt, CAP, rows, cols), STATUS_OK);
}

static void feed(const char *s)
{
	vt_write(&vt, (const uint8_t *)s, strlen(s));
}

static const char *row(unsigned r)
{
	return vt_row_text(&vt, r, text, sizeof(text));
}

static const struct vt_cell *cell(unsigned r, unsigned c)
{
	return &vt_row(&vt, r)[c];
}

#define CHECK_CURSOR(r, c)                                                                         \
	do {                                                                                       \
		CHECK_EQ(vt.row, (r));                                                             \
		CHECK_EQ(vt.col, (c));                                                             \
	} while (0)

static const char *replies(void)
{
	static char buf[VT_REPLIES_MAX + 1];
	size_t n = vt_take_replies(&vt, (uint8_t *)buf, VT_REPLIES_MAX);
	buf[n] = 0;
	return buf;
}

/* ------------------------------------------------------------ widths, UTF-8 */

TEST(widths_follow_the_unicode_rules)
{
	CHECK_EQ(uwidth('a'), 1);
	CHECK_EQ(uwidth(0x07), -1);
	CHECK_EQ(uwidth(0x7f), -1);
	CHECK_EQ(uwidth(0x85), -1);
	CHECK_EQ(uwidth(0xe9), 1);   /* é */
	CHECK_EQ(uwidth(0xad), 1);   /* soft hyphen is shown */
	CHECK_EQ(uwidth(0x301), 0);  /* combining acute */
	CHECK_EQ(uwidth(0x20dd), 0); /* enclosing circle (Me) */
	CHECK_EQ(uwidth(0x200b), 0); /* zero width space */
	CHECK_EQ(uwidth(0x200d), 0); /* zero width joiner (Cf) */
	CHECK_EQ(uwidth(0xfe0f), 0); /* variation selector */
	CHECK_EQ(uwidth(0x1160), 0); /* Hangul jungseong filler */
	CHECK_EQ(uwidth(0x1100), 2); /* Hangul choseong */
	CHECK_EQ(uwidth(0x4e00), 2);
	CHECK_EQ(uwidth(0xac00), 2);  /* Hangul syllable */
	CHECK_EQ(uwidth(0xff21), 2);  /* fullwidth A */
	CHECK_EQ(uwidth(0xff61), 1);  /* halfwidth katakana */
	CHECK_EQ(uwidth(0x1f600), 2); /* emoji */
	CHECK_EQ(uwidth(0x2603), 1);  /* snowman: text presentation */
	CHECK_EQ(uwidth(0x231a), 2);  /* watch: emoji presentation */
	CHECK_EQ(uwidth(0x2fffd), 2); /* unassigned, CJK plane */
	CHECK_EQ(uwidth(0x3fffd), 2);
	CHECK_EQ(uwidth(0xe000), 1);  /* private use */
	CHECK_EQ(uwidth(0xe0001), 0); /* language tag */
}

TEST(the_width_tables_are_sorted_and_disjoint)
{
	const uint32_t *t[2] = { uwidth_zero, uwidth_wide };
	size_t n[2] = { uwidth_zero_count, uwidth_wide_count };

	for (int k = 0; k < 2; k++) {
		for (size_t i = 1; i < n[k]; i++) {
			uint32_t prev_last = (t[k][i - 1] >> 11) + (t[k][i - 1] & 0x7ff);
			CHECK(prev_last < t[k][i] >> 11);
		}
	}
	for (size_t i = 0; i < uwidth_wide_count; i++)
		CHECK_EQ(uwidth(uwidth_wide[i] >> 11), 2);
	for (size_t i = 0; i < uwidth_zero_count; i++)
		CHECK_EQ(uwidth(uwidth_zero[i] >> 11), 0);
}

/* Decodes n bytes, writing the code points to out; returns their count. */
static size_t decode(const char *s, size_t n, uint32_t *out)
{
	struct utf8_dec d = { 0 };
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		uint32_t cp;
		switch (utf8_feed(&d, (uint8_t)s[i], &cp)) {
		case UTF8_MORE:
			break;
		case UTF8_BAD_AGAIN:
			out[k++] = cp;
			i--;
			break;
		default:
			out[k++] = cp;
		}
	}
	return k;
}

TEST(utf8_round_trips_every_scalar_value)
{
	for (uint32_t cp = 0; cp <= 0x10ffff; cp++) {
		uint8_t buf[4];
		uint32_t got[4];
		if (cp >= 0xd800 && cp < 0xe000)
			continue;
		size_t n = utf8_encode(cp, buf);
		CHECK_EQ(n, cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);
		CHECK_EQ(utf8_lead_len(buf[0]), n);
		CHECK_EQ(decode((const char *)buf, n, got), 1);
		CHECK_EQ(got[0], cp);
	}
}

TEST(malformed_utf8_gives_one_replacement_per_maximal_subpart)
{
	uint32_t got[16];
	struct {
		const char *s;
		size_t n;
	} cases[] = {
		{ "\xc0\xaf", 2 },         /* overlong: C0, then a stray continuation */
		{ "\xe0\x80\xaf", 3 },     /* overlong three-byte */
		{ "\xed\xa0\x80", 3 },     /* surrogate */
		{ "\xf4\x90\x80\x80", 4 }, /* above U+10FFFF */
		{ "\xff", 1 },
		{ "\x80\xbf", 2 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t k = decode(cases[i].s, strlen(cases[i].s), got);
		CHECK_EQ(k, cases[i].n);
		for (size_t j = 0; j < k; j++)
			CHECK_EQ(got[j], 0xfffd);
	}
	/* Cut short: one U+FFFD for the truncated sequence, then the byte. */
	CHECK_EQ(decode("\xe2\x82"
			"A",
			3, got),
		 2);
	CHECK_EQ(got[0], 0xfffd);
	CHECK_EQ(got[1], 'A');
	CHECK_EQ(decode("\xf0\x9f\x98"
			"\xc3\xa9",
			5, got),
		 2);
	CHECK_EQ(got[1], 0xe9);
}

/* ------------------------------------------------------------ printing */

TEST(text_is_written_at_the_cursor)
{
	term(4, 10);
	feed("hello");
	CHECK_STR(row(0), "hello");
	CHECK_CURSOR(0, 5);
	CHECK_EQ(cell(0, 0)->cp, 'h');
	CHECK_EQ(cell(0, 0)->width, VT_NARROW);
}

TEST(the_last_column_sets_a_pending_wrap)
{
	term(3, 5);
	feed("abcde");
	CHECK_CURSOR(0, 4);
	CHECK(vt.pending_wrap);
	feed("f");
	CHECK_STR(row(0), "abcde");
	CHECK_STR(row(1), "f");
	CHECK_CURSOR(1, 1);
}

TEST(a_pending_wrap_survives_a_linefeed_but_not_a_carriage_return)
{
	term(4, 5);
	feed("abcde\nX");
	CHECK_STR(row(1), "");
	CHECK_STR(row(2), "X");
	term(4, 5);
	feed("abcde\r\nX");
	CHECK_STR(row(1), "X");
}

TEST(cursor_motion_cancels_a_pending_wrap)
{
	term(3, 5);
	feed("abcde\033[DX");
	CHECK_STR(row(0), "abcXe");
	CHECK_CURSOR(0, 4);
	feed("\033[1;5HY");
	CHECK_STR(row(0), "abcXY");
	CHECK_STR(row(1), "");
}

TEST(backspace_at_a_pending_wrap_only_cancels_it)
{
	term(3, 5);
	feed("abcde\bX");
	CHECK_STR(row(0), "abcdX");
	CHECK_STR(row(1), "");
}

TEST(without_autowrap_the_last_column_is_overwritten)
{
	term(3, 5);
	feed("\033[?7labcdefg");
	CHECK_STR(row(0), "abcdg");
	CHECK_STR(row(1), "");
	CHECK_CURSOR(0, 4);
	CHECK(!(vt_modes(&vt) & VT_MODE_AUTOWRAP));
	feed("\033[?7h");
	CHECK(vt_modes(&vt) & VT_MODE_AUTOWRAP);
}

TEST(writing_past_the_bottom_scrolls)
{
	term(3, 5);
	feed("1\r\n2\r\n3\r\n4");
	CHECK_STR(row(0), "2");
	CHECK_STR(row(1), "3");
	CHECK_STR(row(2), "4");
	feed("abcdefghi");
	CHECK_STR(row(0), "3");
	CHECK_STR(row(1), "4abcd");
	CHECK_STR(row(2), "efghi");
	feed("j");
	CHECK_STR(row(2), "j");
}

TEST(wide_characters_take_two_cells)
{
	term(3, 6);
	feed("a\xe4\xb8\x80"
	     "b"); /* a 一 b */
	CHECK_EQ(cell(0, 1)->cp, 0x4e00);
	CHECK_EQ(cell(0, 1)->width, VT_WIDE);
	CHECK_EQ(cell(0, 2)->width, VT_WIDE_CONT);
	CHECK_EQ(cell(0, 3)->cp, 'b');
	CHECK_CURSOR(0, 4);
	CHECK_STR(row(0), "a\xe4\xb8\x80"
			  "b");
}

TEST(a_wide_character_at_the_last_column_wraps_whole)
{
	term(3, 5);
	feed("abcd\xf0\x9f\x98\x80"); /* 😀 does not fit in column 5 */
	CHECK_STR(row(0), "abcd");
	CHECK_EQ(cell(0, 4)->cp, ' ');
	CHECK_EQ(cell(1, 0)->cp, 0x1f600);
	CHECK_EQ(cell(1, 1)->width, VT_WIDE_CONT);
	CHECK_CURSOR(1, 2);
}

TEST(a_wide_character_filling_the_row_leaves_a_pending_wrap)
{
	term(3, 4);
	feed("ab\xe4\xb8\x80");
	CHECK_CURSOR(0, 3);
	CHECK(vt.pending_wrap);
	feed("c");
	CHECK_STR(row(1), "c");
}

TEST(a_wide_character_that_does_not_fit_without_autowrap_is_dropped)
{
	term(3, 5);
	feed("\033[?7labc\xe4\xb8\x80\xe4\xb8\x80");
	CHECK_STR(row(0), "abc\xe4\xb8\x80");
	CHECK_STR(row(1), "");
	CHECK_CURSOR(0, 4);
}

TEST(a_wide_character_in_a_one_column_terminal_is_replaced)
{
	term(3, 1);
	feed("\xe4\xb8\x80");
	CHECK_EQ(cell(0, 0)->cp, 0xfffd);
	CHECK_EQ(cell(0, 0)->width, VT_NARROW);
}

TEST(overwriting_half_of_a_wide_character_blanks_the_other_half)
{
	term(3, 6);
	feed("\xe4\xb8\x80\xe4\xb8\x80\033[1;2Hx");
	CHECK_EQ(cell(0, 0)->cp, ' ');
	CHECK_EQ(cell(0, 0)->width, VT_NARROW);
	CHECK_EQ(cell(0, 1)->cp, 'x');
	CHECK_EQ(cell(0, 2)->width, VT_WIDE);
	feed("\033[1;3Hy");
	CHECK_EQ(cell(0, 2)->cp, 'y');
	CHECK_EQ(cell(0, 3)->cp, ' ');
	CHECK_EQ(cell(0, 3)->width, VT_NARROW);
}

TEST(combining_marks_are_dropped)
{
	term(3, 6);
	feed("e\xcc\x81x");
	CHECK_STR(row(0), "ex");
	CHECK_CURSOR(0, 2);
}

TEST(malformed_bytes_show_as_replacement_characters)
{
	term(3, 10);
	feed("a\xff"
	     "b\xe2\x82"
	     "c");
	CHECK_STR(row(0), "a\xef\xbf\xbd"
			  "b\xef\xbf\xbd"
			  "c");
}

TEST(an_escape_inside_a_utf8_sequence_ends_it)
{
	term(3, 10);
	feed("\xe2\x82\033[1mA");
	CHECK_EQ(cell(0, 0)->cp, 0xfffd);
	CHECK_EQ(cell(0, 1)->cp, 'A');
	CHECK(cell(0, 1)->attr & VT_ATTR_BOLD);
}

TEST(utf8_split_across_writes_at_every_byte_gives_the_same_screen)
{
	const char *s =
		"x\xc3\xa9y\xe2\x82\xac\xe4\xb8\x80\xf0\x9f\x98\x80z\033[31mq\033[0m\xce\xa9";
	size_t n = strlen(s);
	static struct vt_cell want[CAP];
	char want_text[256];

	term(3, 20);
	feed(s);
	memcpy(want, vt_row(&vt, 0), sizeof(struct vt_cell) * 20);
	strcpy(want_text, row(0));
	for (size_t cut = 0; cut <= n; cut++) {
		for (size_t cut2 = cut; cut2 <= n; cut2++) {
			term(3, 20);
			vt_write(&vt, (const uint8_t *)s, cut);
			vt_write(&vt, (const uint8_t *)s + cut, cut2 - cut);
			vt_write(&vt, (const uint8_t *)s + cut2, n - cut2);
			CHECK_STR(row(0), want_text);
			CHECK(memcmp(want, vt_row(&vt, 0), sizeof(struct vt_cell) * 20) == 0);
		}
	}
}

TEST(c1_code_points_are_not_interpreted)
{
	term(3, 10);
	feed("a\xc2\x9b"
	     "31mb"); /* U+009B would be CSI in 8-bit mode */
	CHECK_STR(row(0), "a31mb");
	CHECK_EQ(cell(0, 1)->fg, VT_COLOR_DEFAULT);
}

/* ------------------------------------------------------------ C0 controls */

TEST(c0_controls_move_the_cursor)
{
	term(5, 20);
	feed("abc\bX");
	CHECK_STR(row(0), "abX");
	feed("\rY");
	CHECK_STR(row(0), "YbX");
	feed("\tZ");
	CHECK_CURSOR(0, 9);
	feed("\nA\vB\fC");
	CHECK_STR(row(1), "         A");
	CHECK_STR(row(2), "          B");
	CHECK_STR(row(3), "           C");
	feed("\a\x0e\x0f\x00");
	CHECK_CURSOR(3, 12);
	feed("\r\b");
	CHECK_CURSOR(3, 0);
}

TEST(tab_stops_at_every_eighth_column_and_the_last)
{
	term(3, 20);
	feed("\t");
	CHECK_CURSOR(0, 8);
	feed("\t");
	CHECK_CURSOR(0, 16);
	feed("\t");
	CHECK_CURSOR(0, 19);
	feed("\t");
	CHECK_CURSOR(0, 19);
}

TEST(tab_stops_can_be_set_and_cleared)
{
	term(3, 30);
	feed("\033[1;4H\033H\r\t");
	CHECK_CURSOR(0, 3);
	feed("\t");
	CHECK_CURSOR(0, 8);
	feed("\033[g\r\t\t");
	CHECK_CURSOR(0, 16);
	feed("\033[3g\r\t");
	CHECK_CURSOR(0, 29);
}

TEST(cht_and_cbt_move_by_tab_stops)
{
	term(3, 40);
	feed("\033[3I");
	CHECK_CURSOR(0, 24);
	feed("\033[Z");
	CHECK_CURSOR(0, 16);
	feed("\033[9Z");
	CHECK_CURSOR(0, 0);
	feed("\033[1;12H\033[Z");
	CHECK_CURSOR(0, 8);
}

TEST(newline_mode_makes_linefeed_return_the_carriage)
{
	term(3, 10);
	feed("\033[20habc\ndef");
	CHECK_STR(row(1), "def");
	CHECK(vt_modes(&vt) & VT_MODE_NEWLINE);
	feed("\033[20l\nX");
	CHECK_STR(row(2), "   X");
}

/* ------------------------------------------------------------ the parser */

TEST(can_and_sub_abort_a_sequence)
{
	term(3, 10);
	feed("\033[3\x18"
	     "A");
	CHECK_STR(row(0), "A");
	feed("\033[1\x1a"
	     "B\033]0;title\x18"
	     "C");
	CHECK_STR(row(0), "ABC");
}

TEST(an_escape_restarts_a_sequence)
{
	term(3, 10);
	feed("\033[5\033[2CX");
	CHECK_STR(row(0), "  X");
}

TEST(controls_inside_a_sequence_are_executed)
{
	term(3, 10);
	feed("ab\033[\r2CX");
	CHECK_STR(row(0), "abX");
	feed("\033[1\n;1HY");
	CHECK_STR(row(0), "YbX");
}

TEST(at_most_sixteen_parameters_are_kept)
{
	term(3, 10);
	feed("\033[1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;31mA");
	CHECK_EQ(cell(0, 0)->fg, VT_COLOR_DEFAULT);
	feed("\033[0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;31;32mB");
	CHECK_EQ(cell(0, 1)->fg, VT_COLOR_INDEX(1));
	CHECK_EQ(vt.nparams, VT_PARAMS_MAX);
}

TEST(huge_parameters_are_clamped)
{
	term(5, 10);
	feed("\033[99999999999999999999CX");
	CHECK_CURSOR(0, 9);
	CHECK_EQ(vt.params[0], VT_PARAM_MAX);
	feed("\033[4294967297;4294967297H");
	CHECK_CURSOR(4, 9);
}

TEST(unknown_and_malformed_sequences_are_ignored)
{
	term(3, 10);
	feed("\033[?1;2$yA\033[1;2<3mB\033[1 $zC\033[=5uD\033#3E\033%GF\033 GG");
	CHECK_STR(row(0), "ABCDEFG");
	feed("\033[1:2:3;4:5HX"); /* sub-parameters outside SGR: ignored */
	CHECK_STR(row(0), "ABCDEFGX");
}

TEST(osc_strings_end_at_bel_or_st_and_are_ignored)
{
	term(3, 20);
	feed("\033]0;a title\aA\033]2;other \xe4\xb8\x80 title\033\\B");
	CHECK_STR(row(0), "AB");
	feed("\033]8;;http://x\033\\link\033]8;;\033\\");
	CHECK_STR(row(0), "ABlink");
}

TEST(dcs_sos_pm_and_apc_strings_are_ignored)
{
	term(3, 20);
	feed("\033P1$r0m\033\\A\033Pq#0;2;0;0;0~-\033\\B");
	feed("\033Xsos\033\\C\033^pm\033\\D\033_apc\033\\E");
	CHECK_STR(row(0), "ABCDE");
}

TEST(a_string_interrupted_by_an_escape_sequence_yields_to_it)
{
	term(3, 20);
	feed("\033]0;title\033[2CA");
	CHECK_STR(row(0), "  A");
}

/* ------------------------------------------------------------ cursor */

TEST(cursor_movement_sequences)
{
	term(10, 20);
	feed("\033[5;10H");
	CHECK_CURSOR(4, 9);
	feed("\033[2A");
	CHECK_CURSOR(2, 9);
	feed("\033[A");
	CHECK_CURSOR(1, 9);
	feed("\033[3B");
	CHECK_CURSOR(4, 9);
	feed("\033[4C");
	CHECK_CURSOR(4, 13);
	feed("\033[0C");
	CHECK_CURSOR(4, 14);
	feed("\033[10D");
	CHECK_CURSOR(4, 4);
	feed("\033[2E");
	CHECK_CURSOR(6, 0);
	feed("\033[5;5H\033[3F");
	CHECK_CURSOR(1, 0);
	feed("\033[7G");
	CHECK_CURSOR(1, 6);
	feed("\033[3`");
	CHECK_CURSOR(1, 2);
	feed("\033[8d");
	CHECK_CURSOR(7, 2);
	feed("\033[2;3f");
	CHECK_CURSOR(1, 2);
	feed("\033[H");
	CHECK_CURSOR(0, 0);
	feed("\033[3a\033[2e");
	CHECK_CURSOR(2, 3);
	feed("\033[99A\033[99D");
	CHECK_CURSOR(0, 0);
	feed("\033[99B\033[99C");
	CHECK_CURSOR(9, 19);
	feed("\033[;H");
	CHECK_CURSOR(0, 0);
}

TEST(save_and_restore_keep_position_and_pen)
{
	term(10, 20);
	feed("\033[3;4H\033[1;31m\0337\033[H\033[0m\0338X");
	CHECK_CURSOR(2, 4);
	CHECK_EQ(cell(2, 3)->fg, VT_COLOR_INDEX(1));
	CHECK(cell(2, 3)->attr & VT_ATTR_BOLD);
	feed("\033[6;7H\033[s\033[H\033[uY");
	CHECK_EQ(cell(5, 6)->cp, 'Y');
}

TEST(restore_without_save_homes_the_cursor)
{
	term(5, 10);
	feed("\033[3;3H\033[1m\0338");
	CHECK_CURSOR(0, 0);
	CHECK_EQ(vt.pen.attr, 0);
}

TEST(the_cursor_can_be_hidden)
{
	term(3, 10);
	CHECK(vt_modes(&vt) & VT_MODE_CURSOR_SHOWN);
	feed("\033[?25l");
	CHECK(!(vt_modes(&vt) & VT_MODE_CURSOR_SHOWN));
	feed("\033[?25h");
	CHECK(vt_modes(&vt) & VT_MODE_CURSOR_SHOWN);
}

TEST(origin_mode_addresses_the_scroll_region)
{
	term(10, 10);
	feed("\033[3;6r");
	CHECK_CURSOR(0, 0);
	feed("\033[?6h");
	CHECK_CURSOR(2, 0);
	feed("\033[2;2H");
	CHECK_CURSOR(3, 1);
	feed("\033[99;1H");
	CHECK_CURSOR(5, 0);
	feed("\033[6n");
	CHECK_STR(replies(), "\033[4;1R");
	feed("\033[99A");
	CHECK_CURSOR(2, 0);
	feed("\033[?6l");
	CHECK_CURSOR(0, 0);
	feed("\033[6n");
	CHECK_STR(replies(), "\033[1;1R");
}

TEST(vertical_motion_stops_at_margins_only_inside_the_region)
{
	term(10, 10);
	feed("\033[3;6r\033[4;1H\033[9A");
	CHECK_CURSOR(2, 0);
	feed("\033[9B");
	CHECK_CURSOR(5, 0);
	feed("\033[8;1H\033[9A"); /* from below the region: to the top margin */
	CHECK_CURSOR(2, 0);
	feed("\033[2;1H\033[20B");
	CHECK_CURSOR(5, 0);
	feed("\033[2;1H\033[9A");
	CHECK_CURSOR(0, 0);
	feed("\033[8;1H\033[9B");
	CHECK_CURSOR(9, 0);
}

TEST(index_next_line_and_reverse_index)
{
	term(4, 10);
	feed("a\033Db\033Ec");
	CHECK_STR(row(1), " b");
	CHECK_STR(row(2), "c");
	feed("\033[H\033Mx");
	CHECK_STR(row(0), "x");
	CHECK_STR(row(1), "a");
	CHECK_STR(row(2), " b");
	CHECK_STR(row(3), "c");
}

/* ------------------------------------------------------------ erasing */

static void fill(unsigned rows, unsigned cols)
{
	term(rows, cols);
	for (unsigned r = 0; r < rows; r++) {
		char line[64];
		for (unsigned c = 0; c < cols; c++)
			line[c] = (char)('a' + r);
		line[cols] = 0;
		feed("\033[");
		char pos[16];
		snprintf(pos, sizeof(pos), "%u;1H", r + 1);
		feed(pos);
		feed(line);
	}
}

TEST(erase_in_display)
{
	fill(3, 4);
	feed("\033[2;3H\033[J");
	CHECK_STR(row(0), "aaaa");
	CHECK_STR(row(1), "bb");
	CHECK_STR(row(2), "");
	fill(3, 4);
	feed("\033[2;3H\033[1J");
	CHECK_STR(row(0), "");
	CHECK_STR(row(1), "   b");
	CHECK_STR(row(2), "cccc");
	fill(3, 4);
	feed("\033[2;3H\033[2J");
	for (unsigned r = 0; r < 3; r++)
		CHECK_STR(row(r), "");
	CHECK_CURSOR(1, 2);
	fill(3, 4);
	feed("\033[3J");
	CHECK_STR(row(0), "aaaa");
}

TEST(erase_in_line)
{
	fill(2, 6);
	feed("\033[1;3H\033[K");
	CHECK_STR(row(0), "aa");
	feed("\033[2;3H\033[1K");
	CHECK_STR(row(1), "   bbb");
	feed("\033[2K");
	CHECK_STR(row(1), "");
	fill(2, 6);
	feed("\033[1;3H\033[?K");
	CHECK_STR(row(0), "aa");
}

TEST(erasing_uses_the_background_colour)
{
	term(2, 4);
	feed("\033[44m\033[2J\033[0m");
	CHECK_EQ(cell(1, 3)->bg, VT_COLOR_INDEX(4));
	CHECK_EQ(cell(1, 3)->fg, VT_COLOR_DEFAULT);
	CHECK_EQ(cell(1, 3)->cp, ' ');
}

TEST(erase_characters)
{
	fill(2, 8);
	feed("\033[1;3H\033[3X");
	CHECK_STR(row(0), "aa   aaa");
	CHECK_CURSOR(0, 2);
	feed("\033[99X");
	CHECK_STR(row(0), "aa");
}

TEST(erasing_half_of_a_wide_character_blanks_it)
{
	term(2, 6);
	feed("\xe4\xb8\x80\xe4\xb8\x80\xe4\xb8\x80\033[1;4H\033[K");
	CHECK_STR(row(0), "\xe4\xb8\x80");
	CHECK_EQ(cell(0, 2)->width, VT_NARROW);
}

TEST(insert_and_delete_characters)
{
	term(2, 8);
	feed("abcdefgh\033[1;3H\033[2@");
	CHECK_STR(row(0), "ab  cdef");
	feed("\033[3P");
	CHECK_STR(row(0), "abdef");
	feed("\033[99P");
	CHECK_STR(row(0), "ab");
	feed("\033[1;1H\033[99@");
	CHECK_STR(row(0), "");
}

TEST(deleting_into_a_wide_character_keeps_the_pairs_whole)
{
	term(2, 6);
	feed("a\xe4\xb8\x80"
	     "bcd\033[1;3H\033[P");
	CHECK_EQ(cell(0, 1)->width, VT_NARROW);
	CHECK_STR(row(0), "a bcd");
	term(2, 5);
	feed("abc\xe4\xb8\x80\033[1;1H\033[@");
	CHECK_STR(row(0), " abc");
	CHECK_EQ(cell(0, 4)->width, VT_NARROW);
}

TEST(insert_and_delete_lines_within_the_region)
{
	fill(5, 3);
	feed("\033[2;4r\033[3;2H\033[L");
	CHECK_CURSOR(2, 0);
	CHECK_STR(row(0), "aaa");
	CHECK_STR(row(1), "bbb");
	CHECK_STR(row(2), "");
	CHECK_STR(row(3), "ccc");
	CHECK_STR(row(4), "eee");
	feed("\033[2;1H\033[2M");
	CHECK_STR(row(1), "ccc");
	CHECK_STR(row(2), "");
	CHECK_STR(row(3), "");
	CHECK_STR(row(4), "eee");
	feed("\033[5;1H\033[L"); /* outside the region: nothing */
	CHECK_STR(row(4), "eee");
}

TEST(scroll_up_and_down_move_the_region)
{
	fill(5, 3);
	feed("\033[2;4r\033[S");
	CHECK_STR(row(0), "aaa");
	CHECK_STR(row(1), "ccc");
	CHECK_STR(row(2), "ddd");
	CHECK_STR(row(3), "");
	CHECK_STR(row(4), "eee");
	feed("\033[2T");
	CHECK_STR(row(1), "");
	CHECK_STR(row(2), "");
	CHECK_STR(row(3), "ccc");
	feed("\033[1;2;3;4;5T"); /* mouse tracking form: ignored */
	CHECK_STR(row(3), "ccc");
	feed("\033[r\033[99S");
	for (unsigned r = 0; r < 5; r++)
		CHECK_STR(row(r), "");
}

TEST(linefeed_at_the_region_bottom_scrolls_only_the_region)
{
	fill(5, 3);
	feed("\033[2;3r\033[3;1H\nX");
	CHECK_STR(row(0), "aaa");
	CHECK_STR(row(1), "ccc");
	CHECK_STR(row(2), "X");
	CHECK_STR(row(3), "ddd");
	feed("\033[2;1H\033MY");
	CHECK_STR(row(1), "Y");
	CHECK_STR(row(2), "ccc");
	CHECK_STR(row(3), "ddd");
}

TEST(linefeed_below_the_region_does_not_scroll)
{
	fill(5, 3);
	feed("\033[1;2r\033[5;1H\nX");
	CHECK_STR(row(0), "aaa");
	CHECK_STR(row(4), "Xee");
	feed("\033[4;1H\033M\033MZ");
	CHECK_STR(row(1), "Zbb");
}

TEST(a_bad_region_is_ignored)
{
	term(5, 3);
	feed("\033[3;3r");
	CHECK_EQ(vt.top, 0);
	CHECK_EQ(vt.bottom, 4);
	feed("\033[4;2r");
	CHECK_EQ(vt.bottom, 4);
	feed("\033[2;99r");
	CHECK_EQ(vt.top, 1);
	CHECK_EQ(vt.bottom, 4);
}

TEST(wrapping_inside_a_region_scrolls_the_region)
{
	fill(4, 3);
	feed("\033[2;3r\033[3;1Hxyzw");
	CHECK_STR(row(0), "aaa");
	CHECK_STR(row(1), "xyz");
	CHECK_STR(row(2), "w");
	CHECK_STR(row(3), "ddd");
}

TEST(repeat_the_last_character)
{
	term(3, 10);
	feed("\033[5b"); /* nothing printed yet: nothing to repeat */
	CHECK_CURSOR(0, 0);
	feed("ab\033[3bc\033[b");
	CHECK_STR(row(0), "abbbbcc");
	feed("\r\033[3b"); /* a control came last: nothing to repeat */
	CHECK_CURSOR(0, 0);
	feed("\033[1;8Hc\033[99999b"); /* at most a screenful: 30 */
	CHECK_STR(row(0), "cccccccccc");
	CHECK_STR(row(1), "cccccccccc");
	CHECK_STR(row(2), "cccccccc");
}

TEST(decaln_fills_the_screen_with_e)
{
	term(3, 4);
	feed("\033[2;3r\033#8");
	CHECK_STR(row(0), "EEEE");
	CHECK_STR(row(2), "EEEE");
	CHECK_EQ(vt.bottom, 2);
	CHECK_CURSOR(0, 0);
}

/* ------------------------------------------------------------ SGR */

TEST(sgr_sets_and_resets_each_attribute)
{
	static const struct {
		const char *on, *off;
		uint16_t bit;
	} attrs[] = {
		{ "1", "22", VT_ATTR_BOLD },       { "2", "22", VT_ATTR_DIM },
		{ "3", "23", VT_ATTR_ITALIC },     { "4", "24", VT_ATTR_UNDERLINE },
		{ "21", "24", VT_ATTR_UNDERLINE }, { "4:3", "4:0", VT_ATTR_UNDERLINE },
		{ "5", "25", VT_ATTR_BLINK },      { "6", "25", VT_ATTR_BLINK },
		{ "7", "27", VT_ATTR_INVERSE },    { "8", "28", VT_ATTR_HIDDEN },
		{ "9", "29", VT_ATTR_STRIKE },
	};
	char seq[32];

	for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		term(2, 4);
		snprintf(seq, sizeof(seq), "\033[%smA\033[%smB", attrs[i].on, attrs[i].off);
		feed(seq);
		CHECK_EQ(cell(0, 0)->attr, attrs[i].bit);
		CHECK_EQ(cell(0, 1)->attr, 0);
	}
	term(2, 4);
	feed("\033[1;3;4;7mA\033[0mB\033[1;3mC\033[mD");
	CHECK_EQ(cell(0, 0)->attr,
		 VT_ATTR_BOLD | VT_ATTR_ITALIC | VT_ATTR_UNDERLINE | VT_ATTR_INVERSE);
	CHECK_EQ(cell(0, 1)->attr, 0);
	CHECK_EQ(cell(0, 2)->attr, VT_ATTR_BOLD | VT_ATTR_ITALIC);
	CHECK_EQ(cell(0, 3)->attr, 0);
}

TEST(sgr_sets_the_sixteen_colours)
{
	char seq[32];

	for (unsigned n = 0; n < 8; n++) {
		term(2, 8);
		snprintf(seq, sizeof(seq), "\033[%u;%umA\033[%u;%umB\033[39;49mC", 30 + n, 40 + n,
			 90 + n, 100 + n);
		feed(seq);
		CHECK_EQ(cell(0, 0)->fg, VT_COLOR_INDEX(n));
		CHECK_EQ(cell(0, 0)->bg, VT_COLOR_INDEX(n));
		CHECK_EQ(cell(0, 1)->fg, VT_COLOR_INDEX(n + 8));
		CHECK_EQ(cell(0, 1)->bg, VT_COLOR_INDEX(n + 8));
		CHECK_EQ(cell(0, 2)->fg, VT_COLOR_DEFAULT);
		CHECK_EQ(cell(0, 2)->bg, VT_COLOR_DEFAULT);
	}
}

TEST(sgr_sets_256_and_true_colours_in_both_notations)
{
	term(2, 10);
	feed("\033[38;5;196;48;5;21mA\033[38:5:46mB\033[38;2;1;2;3;48;2;250;251;252mC");
	feed("\033[38:2::10:20:30mD\033[48:2:40:50:60mE\033[1;38;5;300;4mF");
	CHECK_EQ(cell(0, 0)->fg, VT_COLOR_INDEX(196));
	CHECK_EQ(cell(0, 0)->bg, VT_COLOR_INDEX(21));
	CHECK_EQ(cell(0, 1)->fg, VT_COLOR_INDEX(46));
	CHECK_EQ(cell(0, 2)->fg, VT_COLOR_RGB(1, 2, 3));
	CHECK_EQ(cell(0, 2)->bg, VT_COLOR_RGB(250, 251, 252));
	CHECK_EQ(cell(0, 3)->fg, VT_COLOR_RGB(10, 20, 30));
	CHECK_EQ(cell(0, 4)->bg, VT_COLOR_RGB(40, 50, 60));
	CHECK_EQ(cell(0, 5)->fg, VT_COLOR_RGB(10, 20, 30)); /* 300: not a colour */
	CHECK_EQ(cell(0, 5)->attr, VT_ATTR_BOLD | VT_ATTR_UNDERLINE);
}

TEST(truncated_extended_colours_change_nothing)
{
	term(2, 10);
	feed("\033[38;5mA\033[38;2;1;2mB\033[48mC\033[38;7;1mD");
	for (unsigned c = 0; c < 3; c++) {
		CHECK_EQ(cell(0, c)->fg, VT_COLOR_DEFAULT);
		CHECK_EQ(cell(0, c)->bg, VT_COLOR_DEFAULT);
	}
	CHECK_EQ(cell(0, 3)->attr, VT_ATTR_BOLD); /* 38;7 is unknown; 1 is then bold */
}

TEST(colours_map_to_the_nearest_the_screen_can_show)
{
	CHECK_EQ(vt_color_to_256(VT_COLOR_DEFAULT), -1);
	CHECK_EQ(vt_color_to_256(VT_COLOR_INDEX(77)), 77);
	CHECK_EQ(vt_color_to_256(VT_COLOR_RGB(255, 0, 0)), 196);
	CHECK_EQ(vt_color_to_256(VT_COLOR_RGB(0, 0, 0)), 16);
	CHECK_EQ(vt_color_to_256(VT_COLOR_RGB(128, 128, 128)), 244);
	CHECK_EQ(vt_color_to_256(VT_COLOR_RGB(95, 135, 175)), 16 + 36 * 1 + 6 * 2 + 3);
	CHECK_EQ(vt_color_to_16(VT_COLOR_DEFAULT), -1);
	CHECK_EQ(vt_color_to_16(VT_COLOR_INDEX(3)), 3);
	CHECK_EQ(vt_color_to_16(VT_COLOR_INDEX(196)), 9);
	CHECK_EQ(vt_color_to_16(VT_COLOR_RGB(200, 0, 0)), 1);
	CHECK_EQ(vt_color_to_16(VT_COLOR_RGB(250, 250, 250)), 15);
	CHECK_EQ(vt_color_to_16(VT_COLOR_RGB(0, 0, 0)), 0);
	CHECK_EQ(vt_color_to_16(VT_COLOR_INDEX(232)), 0);
	CHECK_EQ(vt_color_to_16(VT_COLOR_RGB(0, 200, 200)), 6);
}

/* ------------------------------------------------------------ modes */

TEST(the_alternate_screen_round_trips)
{
	term(4, 10);
	feed("main\033[2;3H\033[1m");
	feed("\033[?1049h");
	CHECK(vt_modes(&vt) & VT_MODE_ALT_SCREEN);
	CHECK_STR(row(0), "");
	feed("\033[Halt");
	CHECK_STR(row(0), "alt");
	feed("\033[?1049l");
	CHECK(!(vt_modes(&vt) & VT_MODE_ALT_SCREEN));
	CHECK_STR(row(0), "main");
	CHECK_CURSOR(1, 2);
	CHECK(vt.pen.attr & VT_ATTR_BOLD);
	feed("\033[?1049h");
	CHECK_STR(row(0), ""); /* cleared on every entry */
}

TEST(modes_47_and_1047_switch_without_saving_the_cursor)
{
	term(4, 10);
	feed("main\033[?47h");
	CHECK_CURSOR(0, 4);
	feed("x\033[?47l");
	CHECK_STR(row(0), "main");
	feed("\033[?47h");
	CHECK_STR(row(0), "    x"); /* 47 does not clear */
	feed("\033[?47l\033[?1047h\033[?1047l\033[?47h");
	CHECK_STR(row(0), ""); /* leaving 1047 cleared it */
	feed("\033[?47l\033[3;3H\033[?1048h\033[H\033[?1048l");
	CHECK_CURSOR(2, 2);
}

TEST(without_alternate_memory_the_alternate_screen_is_ignored)
{
	CHECK_EQ(vt_init(&vt, prim, NULL, CAP, 3, 5), STATUS_OK);
	feed("abc\033[?1049hX\033[?1049l");
	CHECK_STR(row(0), "abcX");
	CHECK(!(vt_modes(&vt) & VT_MODE_ALT_SCREEN));
}

TEST(key_modes_are_tracked)
{
	term(3, 10);
	CHECK_EQ(vt_modes(&vt) & (VT_MODE_CURSOR_KEYS | VT_MODE_KEYPAD_APP), 0);
	feed("\033[?1h\033=");
	CHECK(vt_modes(&vt) & VT_MODE_CURSOR_KEYS);
	CHECK(vt_modes(&vt) & VT_MODE_KEYPAD_APP);
	feed("\033[?1l\033>");
	CHECK_EQ(vt_modes(&vt) & (VT_MODE_CURSOR_KEYS | VT_MODE_KEYPAD_APP), 0);
	feed("\033[?66h");
	CHECK(vt_modes(&vt) & VT_MODE_KEYPAD_APP);
	feed("\033[?2004h");
	CHECK(vt_modes(&vt) & VT_MODE_BRACKETED_PASTE);
	feed("\033[?2004l\033[?1000h\033[?45h");
	CHECK(!(vt_modes(&vt) & VT_MODE_BRACKETED_PASTE));
	feed("\033[2;1Hx\033[1;1H\b\b");
	CHECK_CURSOR(0, 0); /* reverse wrap stays off */
}

TEST(insert_mode_shifts_the_line)
{
	term(2, 6);
	feed("abcdef\033[1;2H\033[4hXY\033[4lZ");
	CHECK_STR(row(0), "aXYZcd");
	CHECK(!(vt_modes(&vt) & VT_MODE_INSERT));
}

TEST(dec_special_graphics_draws_lines)
{
	term(2, 10);
	feed("\033(0lqk\033(Bq\033(0x~\033(Aq");
	CHECK_STR(row(0), "\xe2\x94\x8c\xe2\x94\x80\xe2\x94\x90q\xe2\x94\x82\xc2\xb7q");
}

TEST(soft_and_hard_reset)
{
	term(4, 10);
	feed("abc\033[2;3r\033[?6h\033[4h\033[1m\033[?1h\033[!p");
	CHECK_EQ(vt.top, 0);
	CHECK_EQ(vt.bottom, 3);
	CHECK_EQ(vt_modes(&vt) & (VT_MODE_ORIGIN | VT_MODE_INSERT | VT_MODE_CURSOR_KEYS), 0);
	CHECK_EQ(vt.pen.attr, 0);
	CHECK_STR(row(0), "abc");
	feed("\033[?1049h\033[31mX\033c");
	CHECK_STR(row(0), "");
	CHECK(!(vt_modes(&vt) & VT_MODE_ALT_SCREEN));
	CHECK_CURSOR(0, 0);
	CHECK_EQ(vt.pen.fg, VT_COLOR_DEFAULT);
}

/* ------------------------------------------------------------ replies */

TEST(device_attributes_and_status_reports)
{
	term(10, 20);
	feed("\033[c");
	CHECK_STR(replies(), "\033[?1;2c");
	feed("\033[0c\033[5n");
	CHECK_STR(replies(), "\033[?1;2c\033[0n");
	feed("\033[7;12H\033[6n");
	CHECK_STR(replies(), "\033[7;12R");
	feed("\033[?6n\033[>c");
	CHECK_STR(replies(), "\033[?7;12R\033[>0;10;1c");
	feed("\033[1c\033[99n");
	CHECK_STR(replies(), "");
}

TEST(replies_that_do_not_fit_are_dropped_whole)
{
	uint8_t part[4];

	term(10, 20);
	for (int i = 0; i < 40; i++)
		feed("\033[5n");
	CHECK_EQ(vt.nreplies, VT_REPLIES_MAX / 4 * 4);
	CHECK_EQ(vt.replies_dropped, 40 - VT_REPLIES_MAX / 4);
	CHECK_EQ(vt_take_replies(&vt, part, 3), 3);
	CHECK(memcmp(part, "\033[0", 3) == 0);
	CHECK_EQ(vt_take_replies(&vt, part, 1), 1);
	CHECK_EQ(part[0], 'n');
}

/* ------------------------------------------------------------ resize, dirty */

TEST(resizing_crops_and_pads)
{
	term(4, 6);
	feed("abcdef\r\nghijkl\r\nmn");
	CHECK_EQ(vt_resize(&vt, 4, 3), STATUS_OK);
	CHECK_STR(row(0), "abc");
	CHECK_STR(row(1), "ghi");
	CHECK_STR(row(2), "mn");
	CHECK_CURSOR(2, 2);
	CHECK_EQ(vt_resize(&vt, 5, 8), STATUS_OK);
	CHECK_STR(row(0), "abc");
	CHECK_STR(row(1), "ghi");
	CHECK_STR(row(2), "mn");
	CHECK_STR(row(4), "");
	CHECK_EQ(vt.bottom, 4);
	feed("\033[1;8HZ");
	CHECK_STR(row(0), "abc    Z");
}

TEST(shrinking_below_the_cursor_drops_top_lines)
{
	term(5, 4);
	feed("1\r\n2\r\n3\r\n4\r\n5");
	CHECK_EQ(vt_resize(&vt, 2, 4), STATUS_OK);
	CHECK_STR(row(0), "4");
	CHECK_STR(row(1), "5");
	CHECK_CURSOR(1, 1);
	CHECK_EQ(vt_resize(&vt, 4, 4), STATUS_OK);
	CHECK_STR(row(0), "4");
	CHECK_STR(row(1), "5");
}

TEST(resizing_after_scrolling_keeps_the_rows_in_order)
{
	term(4, 6);
	feed("1\r\n2\r\n3\r\n4\r\n5\r\n6\033[2;3r\033[3;1H\n\n\033[r");
	CHECK_STR(row(0), "3");
	CHECK_STR(row(1), "");
	CHECK_STR(row(2), "");
	CHECK_STR(row(3), "6");
	feed("\033[?1049h1\r\n2\r\n3\r\n4\r\n5\r\n6\r\n7\033[?1049l");
	CHECK_EQ(vt_resize(&vt, 5, 8), STATUS_OK);
	CHECK_STR(row(0), "3");
	CHECK_STR(row(3), "6");
	CHECK_STR(row(4), "");
	feed("\033[4;1H");
	CHECK_EQ(vt_resize(&vt, 2, 3), STATUS_OK); /* the cursor is on row 4 */
	CHECK_STR(row(0), "");
	CHECK_STR(row(1), "6");
	feed("\033[?47h");
	CHECK_STR(row(0), "4"); /* the alternate screen kept its own order */
	CHECK_STR(row(1), "5");
}

TEST(resizing_splits_no_wide_character)
{
	term(2, 6);
	feed("ab\xe4\xb8\x80"
	     "cd");
	CHECK_EQ(vt_resize(&vt, 2, 3), STATUS_OK);
	CHECK_STR(row(0), "ab");
	CHECK_EQ(cell(0, 2)->width, VT_NARROW);
}

TEST(resizing_keeps_the_other_screen)
{
	term(3, 6);
	feed("prim\033[?1049halt");
	CHECK_EQ(vt_resize(&vt, 3, 4), STATUS_OK);
	feed("\033[?1049l");
	CHECK_STR(row(0), "prim");
}

TEST(bad_sizes_are_refused)
{
	term(3, 6);
	feed("keep");
	CHECK_EQ(vt_resize(&vt, 0, 6), STATUS_INVALID);
	CHECK_EQ(vt_resize(&vt, 3, 0), STATUS_INVALID);
	CHECK_EQ(vt_resize(&vt, VT_ROWS_MAX + 1, 1), STATUS_INVALID);
	CHECK_EQ(vt_resize(&vt, 1, VT_COLS_MAX + 1), STATUS_INVALID);
	CHECK_EQ(vt_resize(&vt, 100, 100), STATUS_RANGE);
	CHECK_STR(row(0), "keep");
	CHECK_EQ(vt_init(&vt, prim, alt, 10, 3, 4), STATUS_RANGE);
	CHECK_EQ(vt_init(&vt, NULL, alt, CAP, 3, 4), STATUS_INVALID);
	CHECK_EQ(vt_init(&vt, prim, alt, CAP, VT_ROWS_MAX, 0), STATUS_INVALID);
}

TEST(tab_stops_cover_new_columns)
{
	term(2, 10);
	CHECK_EQ(vt_resize(&vt, 2, 30), STATUS_OK);
	feed("\t\t\t");
	CHECK_CURSOR(0, 24);
}

static unsigned dirty_rows(void)
{
	unsigned mask = 0;

	for (unsigned r = 0; r < vt.rows; r++) {
		if (vt_dirty(&vt, r))
			mask |= 1u << r;
		vt_clean(&vt, r);
	}
	return mask;
}

TEST(only_changed_rows_are_dirty)
{
	term(6, 10);
	CHECK_EQ(dirty_rows(), 0x3f);
	CHECK_EQ(dirty_rows(), 0);
	feed("\033[3;1Hx");
	CHECK_EQ(dirty_rows(), 1u << 2);
	feed("\033[5;5H");
	CHECK_EQ(dirty_rows(), 0);
	feed("\033[2;4r\033[4;1H\n");
	CHECK_EQ(dirty_rows(), 0x0e);
	feed("\033[r\033[6;1H\033[K");
	CHECK_EQ(dirty_rows(), 1u << 5);
	feed("\033[?1049h");
	CHECK_EQ(dirty_rows(), 0x3f);
	CHECK_EQ(vt_resize(&vt, 3, 3), STATUS_OK);
	CHECK_EQ(dirty_rows(), 0x07);
}

int main(void)
{
	RUN(widths_follow_the_unicode_rules);
	RUN(the_width_tables_are_sorted_and_disjoint);
	RUN(utf8_round_trips_every_scalar_value);
	RUN(malformed_utf8_gives_one_replacement_per_maximal_subpart);
	RUN(text_is_written_at_the_cursor);
	RUN(the_last_column_sets_a_pending_wrap);
	RUN(a_pending_wrap_survives_a_linefeed_but_not_a_carriage_return);
	RUN(cursor_motion_cancels_a_pending_wrap);
	RUN(backspace_at_a_pending_wrap_only_cancels_it);
	RUN(without_autowrap_the_last_column_is_overwritten);
	RUN(writing_past_the_bottom_scrolls);
	RUN(wide_characters_take_two_cells);
	RUN(a_wide_character_at_the_last_column_wraps_whole);
	RUN(a_wide_character_filling_the_row_leaves_a_pending_wrap);
	RUN(a_wide_character_that_does_not_fit_without_autowrap_is_dropped);
	RUN(a_wide_character_in_a_one_column_terminal_is_replaced);
	RUN(overwriting_half_of_a_wide_character_blanks_the_other_half);
	RUN(combining_marks_are_dropped);
	RUN(malformed_bytes_show_as_replacement_characters);
	RUN(an_escape_inside_a_utf8_sequence_ends_it);
	RUN(utf8_split_across_writes_at_every_byte_gives_the_same_screen);
	RUN(c1_code_points_are_not_interpreted);
	RUN(c0_controls_move_the_cursor);
	RUN(tab_stops_at_every_eighth_column_and_the_last);
	RUN(tab_stops_can_be_set_and_cleared);
	RUN(cht_and_cbt_move_by_tab_stops);
	RUN(newline_mode_makes_linefeed_return_the_carriage);
	RUN(can_and_sub_abort_a_sequence);
	RUN(an_escape_restarts_a_sequence);
	RUN(controls_inside_a_sequence_are_executed);
	RUN(at_most_sixteen_parameters_are_kept);
	RUN(huge_parameters_are_clamped);
	RUN(unknown_and_malformed_sequences_are_ignored);
	RUN(osc_strings_end_at_bel_or_st_and_are_ignored);
	RUN(dcs_sos_pm_and_apc_strings_are_ignored);
	RUN(a_string_interrupted_by_an_escape_sequence_yields_to_it);
	RUN(cursor_movement_sequences);
	RUN(save_and_restore_keep_position_and_pen);
	RUN(restore_without_save_homes_the_cursor);
	RUN(the_cursor_can_be_hidden);
	RUN(origin_mode_addresses_the_scroll_region);
	RUN(vertical_motion_stops_at_margins_only_inside_the_region);
	RUN(index_next_line_and_reverse_index);
	RUN(erase_in_display);
	RUN(erase_in_line);
	RUN(erasing_uses_the_background_colour);
	RUN(erase_characters);
	RUN(erasing_half_of_a_wide_character_blanks_it);
	RUN(insert_and_delete_characters);
	RUN(deleting_into_a_wide_character_keeps_the_pairs_whole);
	RUN(insert_and_delete_lines_within_the_region);
	RUN(scroll_up_and_down_move_the_region);
	RUN(linefeed_at_the_region_bottom_scrolls_only_the_region);
	RUN(linefeed_below_the_region_does_not_scroll);
	RUN(a_bad_region_is_ignored);
	RUN(wrapping_inside_a_region_scrolls_the_region);
	RUN(repeat_the_last_character);
	RUN(decaln_fills_the_screen_with_e);
	RUN(sgr_sets_and_resets_each_attribute);
	RUN(sgr_sets_the_sixteen_colours);
	RUN(sgr_sets_256_and_true_colours_in_both_notations);
	RUN(truncated_extended_colours_change_nothing);
	RUN(colours_map_to_the_nearest_the_screen_can_show);
	RUN(the_alternate_screen_round_trips);
	RUN(modes_47_and_1047_switch_without_saving_the_cursor);
	RUN(without_alternate_memory_the_alternate_screen_is_ignored);
	RUN(key_modes_are_tracked);
	RUN(insert_mode_shifts_the_line);
	RUN(dec_special_graphics_draws_lines);
	RUN(soft_and_hard_reset);
	RUN(device_attributes_and_status_reports);
	RUN(replies_that_do_not_fit_are_dropped_whole);
	RUN(resizing_crops_and_pads);
	RUN(shrinking_below_the_cursor_drops_top_lines);
	RUN(resizing_after_scrolling_keeps_the_rows_in_order);
	RUN(resizing_splits_no_wide_character);
	RUN(resizing_keeps_the_other_screen);
	RUN(bad_sizes_are_refused);
	RUN(tab_stops_cover_new_columns);
	RUN(only_changed_rows_are_dirty);
	return check_summary();
}
