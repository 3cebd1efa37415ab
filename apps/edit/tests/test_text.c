/*
 * test_text.c - UTF-8 decoding, column widths and cursor movement over
 * multi-byte, wide, combining, invalid and tab characters.
 */
#include <string.h>

#include "../buf.h"
#include "../text.h"
#include "../utf8.h"
#include "check.h"

static void load(struct buf *b, const char *s)
{
	buf_init(b);
	buf_insert(b, 0, s, strlen(s));
}

TEST(decoder_accepts_valid_sequences)
{
	uint32_t cp;

	CHECK_EQ(utf8_decode((const unsigned char *)"A", 1, &cp), 1);
	CHECK_EQ(cp, 'A');
	CHECK_EQ(utf8_decode((const unsigned char *)"\xc3\xa9", 2, &cp), 2);
	CHECK_EQ(cp, 0xe9);
	CHECK_EQ(utf8_decode((const unsigned char *)"\xe6\x97\xa5", 3, &cp), 3);
	CHECK_EQ(cp, 0x65e5);
	CHECK_EQ(utf8_decode((const unsigned char *)"\xf0\x9f\x98\x80", 4, &cp), 4);
	CHECK_EQ(cp, 0x1f600);
}

TEST(decoder_rejects_malformed_sequences_one_byte_at_a_time)
{
	static const char *const bad[] = {
		"\x80",         "\xc0\xaf",         "\xc1\xbf",         "\xe0\x80\xaf",
		"\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xff",
		"\xc3",         "\xe6\x97",         "\xc3\x41",
	};
	uint32_t cp;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK_EQ(utf8_decode((const unsigned char *)bad[i], strlen(bad[i]), &cp), 1);
		CHECK_EQ(cp, UTF8_INVALID);
	}
}

TEST(encoder_round_trips_and_refuses_non_scalars)
{
	char out[4];
	uint32_t cp;

	for (uint32_t c = 0; c < 0x110000; c += 0x3f) {
		size_t n = utf8_encode(c, out);
		if (c >= 0xd800 && c <= 0xdfff) {
			CHECK_EQ(n, 0);
			continue;
		}
		CHECK_EQ(utf8_decode((const unsigned char *)out, n, &cp), n);
		CHECK_EQ(cp, c);
	}
	CHECK_EQ(utf8_encode(0x110000, out), 0);
}

TEST(widths_of_narrow_wide_combining_and_control)
{
	CHECK_EQ(utf8_width('a'), 1);
	CHECK_EQ(utf8_width(0xe9), 1);
	CHECK_EQ(utf8_width(0x65e5), 2);
	CHECK_EQ(utf8_width(0xac00), 2);
	CHECK_EQ(utf8_width(0x1f600), 2);
	CHECK_EQ(utf8_width(0x0301), 0);
	CHECK_EQ(utf8_width(0x200b), 0);
	CHECK_EQ(utf8_width(0x07), -1);
	CHECK_EQ(utf8_width(0x85), -1);
	CHECK_EQ(text_width('\t', 3, 8), 5);
	CHECK_EQ(text_width('\t', 8, 4), 4);
	CHECK_EQ(text_width(UTF8_INVALID, 0, 8), 4);
	CHECK_EQ(text_width(0x01, 0, 8), 2);
}

TEST(cursor_steps_over_whole_characters)
{
	/* a, e + combining acute, wide 日, invalid byte, b */
	struct buf b;
	size_t p = 0;

	load(&b, "ae\xcc\x81\xe6\x97\xa5\xff"
		 "b\n");
	p = text_next_char(&b, p);
	CHECK_EQ(p, 1);
	p = text_next_char(&b, p);
	CHECK_EQ(p, 4); /* the mark moves with its letter */
	p = text_next_char(&b, p);
	CHECK_EQ(p, 7);
	p = text_next_char(&b, p);
	CHECK_EQ(p, 8);
	CHECK_EQ(text_prev_char(&b, 8), 7);
	CHECK_EQ(text_prev_char(&b, 7), 4);
	CHECK_EQ(text_prev_char(&b, 4), 1);
	CHECK_EQ(text_prev_char(&b, 1), 0);
	CHECK_EQ(text_prev_char(&b, 0), 0);
	buf_free(&b);
}

TEST(columns_count_wide_tabs_and_invalid_bytes)
{
	struct buf b;

	load(&b, "\xe6\x97\xa5x\tz\xffq\nsecond");
	CHECK_EQ(text_col(&b, 3, 8), 2);
	CHECK_EQ(text_col(&b, 4, 8), 3);
	CHECK_EQ(text_col(&b, 5, 8), 8);
	CHECK_EQ(text_col(&b, 6, 8), 9);
	CHECK_EQ(text_col(&b, 7, 8), 13);
	CHECK_EQ(text_col(&b, 5, 4), 4);
	CHECK_EQ(text_pos_at_col(&b, 0, 1, 8), 0); /* inside the wide char */
	CHECK_EQ(text_pos_at_col(&b, 0, 2, 8), 3);
	CHECK_EQ(text_pos_at_col(&b, 0, 6, 8), 4);   /* inside the tab */
	CHECK_EQ(text_pos_at_col(&b, 0, 100, 8), 8); /* end of line */
	CHECK_EQ(text_pos_at_col(&b, 1, 3, 8), 12);
	buf_free(&b);
}

TEST(word_moves_stop_at_word_starts)
{
	struct buf b;

	load(&b, "int  foo_bar(x, y);\n  next");
	CHECK_EQ(text_next_word(&b, 0), 5);
	CHECK_EQ(text_next_word(&b, 5), 12);
	CHECK_EQ(text_next_word(&b, 12), 13);
	CHECK_EQ(text_next_word(&b, 17), 22);
	CHECK_EQ(text_prev_word(&b, 22), 17);
	CHECK_EQ(text_prev_word(&b, 12), 5);
	CHECK_EQ(text_prev_word(&b, 5), 0);
	CHECK_EQ(text_prev_word(&b, 0), 0);
	CHECK_EQ(text_next_word(&b, 26), 26);
	buf_free(&b);
}

int main(void)
{
	RUN(decoder_accepts_valid_sequences);
	RUN(decoder_rejects_malformed_sequences_one_byte_at_a_time);
	RUN(encoder_round_trips_and_refuses_non_scalars);
	RUN(widths_of_narrow_wide_combining_and_control);
	RUN(cursor_steps_over_whole_characters);
	RUN(columns_count_wide_tabs_and_invalid_bytes);
	RUN(word_moves_stop_at_word_starts);
	return check_summary();
}
