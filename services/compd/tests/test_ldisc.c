/* Host tests for the line discipline: input bytes in; echo, events and
 * what the program reads out. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "ldisc.h"

static struct ldisc ld;
static uint8_t line[16], queue[64];
static char echoed[4096];
static size_t nechoed;

static void collect(void *ctx, const uint8_t *p, size_t n)
{
	(void)ctx;
	if (nechoed + n < sizeof(echoed)) {
		memcpy(echoed + nechoed, p, n);
		nechoed += n;
	}
	echoed[nechoed] = 0;
}

static void setup(uint32_t flags, size_t line_cap, size_t queue_cap)
{
	nechoed = 0;
	echoed[0] = 0;
	CHECK_EQ(ldisc_init(&ld, flags, line, line_cap, queue, queue_cap, collect, NULL),
		 STATUS_OK);
}

static uint32_t type(const char *s)
{
	return ldisc_input(&ld, (const uint8_t *)s, strlen(s));
}

/* Reads once; returns the text ("<EOF>" or "<EMPTY>" for those results). */
static const char *take(size_t cap)
{
	static char buf[128];
	size_t n;

	switch (ldisc_read(&ld, (uint8_t *)buf, cap, &n)) {
	case LDISC_READ_EOF:
		CHECK_EQ(n, 0);
		return "<EOF>";
	case LDISC_READ_EMPTY:
		CHECK_EQ(n, 0);
		return "<EMPTY>";
	case LDISC_READ_DATA:
		CHECK(n > 0 && n <= cap);
		buf[n] = 0;
		return buf;
	}
	return "?";
}

static const char *echo_text(void)
{
	return echoed;
}

TEST(init_refuses_bad_buffers)
{
	CHECK_EQ(ldisc_init(&ld, LDISC_COOKED, NULL, 16, queue, 64, NULL, NULL), STATUS_INVALID);
	CHECK_EQ(ldisc_init(&ld, LDISC_COOKED, line, 16, NULL, 64, NULL, NULL), STATUS_INVALID);
	CHECK_EQ(ldisc_init(&ld, LDISC_COOKED, line, 1, queue, 64, NULL, NULL), STATUS_INVALID);
	CHECK_EQ(ldisc_init(&ld, LDISC_COOKED, line, 16, queue, 8, NULL, NULL), STATUS_INVALID);
	CHECK_EQ(ldisc_init(&ld, LDISC_COOKED, line, 16, queue, 70000, NULL, NULL), STATUS_INVALID);
}

TEST(cooked_mode_returns_a_line_when_it_is_complete)
{
	setup(LDISC_COOKED, 16, 64);
	CHECK_EQ(type("ls"), 0);
	CHECK_STR(take(64), "<EMPTY>");
	CHECK(!ldisc_readable(&ld));
	CHECK_EQ(type("\r"), LDISC_EV_READABLE);
	CHECK_STR(take(64), "ls\n");
	CHECK_STR(echo_text(), "ls\r\n");
	CHECK_STR(take(64), "<EMPTY>");
}

TEST(a_read_returns_at_most_one_line)
{
	setup(LDISC_COOKED, 16, 64);
	type("one\rtwo\r");
	CHECK_STR(take(64), "one\n");
	CHECK_STR(take(64), "two\n");
}

TEST(a_short_read_leaves_the_rest_of_the_line)
{
	setup(LDISC_COOKED, 16, 64);
	type("abcdef\n");
	CHECK_STR(take(4), "abcd");
	CHECK_STR(take(4), "ef\n");
	CHECK_STR(take(4), "<EMPTY>");
}

TEST(without_icrnl_cr_is_an_ordinary_character)
{
	setup(LDISC_COOKED & ~LDISC_ICRNL, 16, 64);
	type("a\rb\n");
	CHECK_STR(take(64), "a\rb\n");
	CHECK_STR(echo_text(), "a^Mb\r\n");
}

TEST(erase_removes_the_last_character)
{
	setup(LDISC_COOKED, 16, 64);
	type("abc\x7f\x7f"
	     "d\bX\n");
	CHECK_STR(take(64), "aX\n");
	CHECK_STR(echo_text(), "abc\b \b\b \bd\b \bX\r\n");
}

TEST(erase_on_an_empty_line_does_nothing)
{
	setup(LDISC_COOKED, 16, 64);
	type("\x7f\x7f"
	     "a\n");
	CHECK_STR(take(64), "a\n");
	CHECK_STR(echo_text(), "a\r\n");
}

TEST(erase_removes_a_whole_utf8_character)
{
	setup(LDISC_COOKED, 16, 64);
	type("a\xc3\xa9\x7f\n");
	CHECK_STR(take(64), "a\n");
	CHECK_STR(echo_text(), "a\xc3\xa9\b \b\r\n");
}

TEST(erasing_a_wide_character_erases_two_cells)
{
	setup(LDISC_COOKED, 16, 64);
	type("\xe4\xb8\x80\xf0\x9f\x98\x80\x7f\x7f");
	CHECK_STR(echo_text(), "\xe4\xb8\x80\xf0\x9f\x98\x80\b \b\b \b\b \b\b \b");
	type("\n");
	CHECK_STR(take(64), "\n");
}

TEST(erasing_a_control_character_erases_its_caret_form)
{
	setup(LDISC_COOKED, 16, 64);
	type("a\x01\x7f\n");
	CHECK_STR(echo_text(), "a^A\b \b\b \b\r\n");
	CHECK_STR(take(64), "a\n");
}

TEST(erasing_a_tab_moves_back_to_where_it_started)
{
	setup(LDISC_COOKED, 16, 64);
	type("ab\t\x7f");
	CHECK_STR(echo_text(), "ab\t\b\b\b\b\b\b");
	nechoed = 0;
	type("x\x7f\x7f\x7f");
	CHECK_STR(echo_text(), "x\b \b\b \b\b \b");
}

TEST(tab_erase_counts_from_where_the_prompt_left_the_cursor)
{
	size_t used;
	uint8_t out[16];

	setup(LDISC_COOKED, 16, 64);
	ldisc_output(&ld, (const uint8_t *)"$ ", 2, out, sizeof(out), &used);
	type("abcd\t\x7f");
	CHECK_STR(echo_text(), "abcd\t\b\b");
}

TEST(a_malformed_byte_is_erased_alone)
{
	setup(LDISC_COOKED, 16, 64);
	type("a\x80\xff\x7f\x7f\n");
	CHECK_STR(take(64), "a\n");
	CHECK_STR(echo_text(), "a\x80\xff\b \b\b \b\r\n");
}

TEST(kill_erases_the_whole_line)
{
	setup(LDISC_COOKED, 16, 64);
	type("ab\xc3\xa9\x15"
	     "x\n");
	CHECK_STR(take(64), "x\n");
	CHECK_STR(echo_text(), "ab\xc3\xa9\b \b\b \b\b \bx\r\n");
}

TEST(word_erase_removes_blanks_then_a_word)
{
	setup(LDISC_COOKED, 32, 64);
	type("echo foo bar  \x17");
	type("\n");
	CHECK_STR(take(64), "echo foo \n");
	type("one\x17\x17two\n");
	CHECK_STR(take(64), "two\n");
}

TEST(eof_at_the_start_of_a_line_reads_as_end_of_file)
{
	setup(LDISC_COOKED, 16, 64);
	CHECK_EQ(type("\x04"), LDISC_EV_READABLE);
	CHECK_STR(take(64), "<EOF>");
	CHECK_STR(take(64), "<EMPTY>");
	CHECK_STR(echo_text(), "");
}

TEST(eof_inside_a_line_pushes_it_without_a_newline)
{
	setup(LDISC_COOKED, 16, 64);
	type("abc\x04"
	     "de\n\x04");
	CHECK_STR(take(64), "abc");
	CHECK_STR(take(64), "de\n");
	CHECK_STR(take(64), "<EOF>");
	CHECK_STR(echo_text(), "abcde\r\n");
}

TEST(control_characters_echo_as_caret_letters)
{
	setup(LDISC_COOKED, 16, 64);
	type("\x1b[A\x01\t\n");
	CHECK_STR(echo_text(), "^[[A^A\t\r\n");
	CHECK_STR(take(64), "\x1b[A\x01\t\n");
}

TEST(without_echo_nothing_is_echoed_but_editing_works)
{
	setup(LDISC_COOKED & ~LDISC_ECHO, 16, 64);
	type("secret\x7fT\n");
	CHECK_STR(echo_text(), "");
	CHECK_STR(take(64), "secreT\n");
}

TEST(a_full_line_refuses_more_with_the_bell)
{
	setup(LDISC_COOKED, 8, 64);
	CHECK_EQ(type("1234567"), 0);
	CHECK_EQ(type("89"), LDISC_EV_DROPPED);
	CHECK_EQ(ld.dropped, 2);
	CHECK_STR(echo_text(), "1234567\a\a");
	type("\x7fX\n");
	CHECK_STR(take(64), "123456X\n");
}

TEST(a_full_queue_keeps_the_line_until_there_is_room)
{
	setup(LDISC_COOKED, 8, 8);
	type("abcdef\n");
	CHECK_EQ(type("gh\n"), LDISC_EV_DROPPED);
	CHECK_STR(take(64), "abcdef\n");
	CHECK_EQ(type("\n"), LDISC_EV_READABLE);
	CHECK_STR(take(64), "gh\n");
}

TEST(too_many_lines_wait_for_a_reader)
{
	setup(LDISC_COOKED, 16, 64);
	for (int i = 0; i < LDISC_RECORDS_MAX; i++)
		CHECK_EQ(type("\x04"), LDISC_EV_READABLE);
	CHECK_EQ(type("x\n"), LDISC_EV_DROPPED);
	CHECK_STR(take(64), "<EOF>");
	CHECK_EQ(type("\n"), LDISC_EV_READABLE);
}

TEST(interrupt_is_an_event_and_discards_pending_input)
{
	setup(LDISC_COOKED, 16, 64);
	type("done\nhalf");
	CHECK_EQ(type("\x03"), LDISC_EV_INTR);
	CHECK_STR(echo_text(), "done\r\nhalf^C");
	CHECK_STR(take(64), "<EMPTY>");
	type("new\n");
	CHECK_STR(take(64), "new\n");
	CHECK_EQ(type("\x1c"), LDISC_EV_QUIT);
	CHECK_EQ(type("\x1a"), LDISC_EV_SUSP);
}

TEST(without_isig_ctrl_c_is_input)
{
	setup(LDISC_COOKED & ~LDISC_ISIG, 16, 64);
	CHECK_EQ(type("\x03\n"), LDISC_EV_READABLE);
	CHECK_STR(take(64), "\x03\n");
}

TEST(raw_mode_passes_every_byte_at_once)
{
	setup(LDISC_RAW, 16, 64);
	CHECK_EQ(type("a\x7f\x15\x04\x03\r"), LDISC_EV_READABLE);
	CHECK_STR(take(64), "a\x7f\x15\x04\x03\r");
	CHECK_STR(echo_text(), "");
	CHECK_STR(take(64), "<EMPTY>");
}

TEST(raw_mode_with_isig_still_interrupts)
{
	setup(LDISC_ISIG, 16, 64);
	type("ab");
	CHECK_EQ(type("\x03"), LDISC_EV_INTR);
	CHECK_STR(take(64), "<EMPTY>");
}

TEST(raw_mode_with_echo_echoes)
{
	setup(LDISC_ECHO | LDISC_ONLCR, 16, 64);
	type("a\x01\n");
	CHECK_STR(echo_text(), "a^A\r\n");
	CHECK_STR(take(2), "a\x01");
	CHECK_STR(take(2), "\n");
}

TEST(a_full_raw_queue_drops_input)
{
	setup(LDISC_RAW, 4, 4);
	CHECK_EQ(type("abcdef"), LDISC_EV_READABLE | LDISC_EV_DROPPED);
	CHECK_EQ(ld.dropped, 2);
	CHECK_STR(take(64), "abcd");
}

TEST(switching_modes_keeps_pending_input)
{
	setup(LDISC_COOKED, 16, 64);
	type("line\npart");
	ldisc_set_flags(&ld, LDISC_RAW);
	CHECK_STR(take(64), "line\npart");
	type("xy");
	ldisc_set_flags(&ld, LDISC_COOKED);
	CHECK(ldisc_readable(&ld));
	CHECK_STR(take(64), "xy");
	type("z\n");
	CHECK_STR(take(64), "z\n");
}

TEST(output_maps_newline_to_crnl_only_with_onlcr)
{
	uint8_t out[8];
	size_t used, n;

	setup(LDISC_COOKED, 16, 64);
	n = ldisc_output(&ld, (const uint8_t *)"a\nb\n", 4, out, sizeof(out), &used);
	CHECK_EQ(n, 6);
	CHECK_EQ(used, 4);
	CHECK(memcmp(out, "a\r\nb\r\n", 6) == 0);
	n = ldisc_output(&ld, (const uint8_t *)"a\nb", 3, out, 2, &used);
	CHECK_EQ(n, 1);
	CHECK_EQ(used, 1); /* "\r\n" does not fit in the one byte left */
	ldisc_set_flags(&ld, LDISC_COOKED & ~LDISC_ONLCR);
	n = ldisc_output(&ld, (const uint8_t *)"a\nb", 3, out, sizeof(out), &used);
	CHECK_EQ(n, 3);
	CHECK(memcmp(out, "a\nb", 3) == 0);
}

int main(void)
{
	RUN(init_refuses_bad_buffers);
	RUN(cooked_mode_returns_a_line_when_it_is_complete);
	RUN(a_read_returns_at_most_one_line);
	RUN(a_short_read_leaves_the_rest_of_the_line);
	RUN(without_icrnl_cr_is_an_ordinary_character);
	RUN(erase_removes_the_last_character);
	RUN(erase_on_an_empty_line_does_nothing);
	RUN(erase_removes_a_whole_utf8_character);
	RUN(erasing_a_wide_character_erases_two_cells);
	RUN(erasing_a_control_character_erases_its_caret_form);
	RUN(erasing_a_tab_moves_back_to_where_it_started);
	RUN(tab_erase_counts_from_where_the_prompt_left_the_cursor);
	RUN(a_malformed_byte_is_erased_alone);
	RUN(kill_erases_the_whole_line);
	RUN(word_erase_removes_blanks_then_a_word);
	RUN(eof_at_the_start_of_a_line_reads_as_end_of_file);
	RUN(eof_inside_a_line_pushes_it_without_a_newline);
	RUN(control_characters_echo_as_caret_letters);
	RUN(without_echo_nothing_is_echoed_but_editing_works);
	RUN(a_full_line_refuses_more_with_the_bell);
	RUN(a_full_queue_keeps_the_line_until_there_is_room);
	RUN(too_many_lines_wait_for_a_reader);
	RUN(interrupt_is_an_event_and_discards_pending_input);
	RUN(without_isig_ctrl_c_is_input);
	RUN(raw_mode_passes_every_byte_at_once);
	RUN(raw_mode_with_isig_still_interrupts);
	RUN(raw_mode_with_echo_echoes);
	RUN(a_full_raw_queue_drops_input);
	RUN(switching_modes_keeps_pending_input);
	RUN(output_maps_newline_to_crnl_only_with_onlcr);
	return check_summary();
}
