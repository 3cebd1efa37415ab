/*
 * test_keys.c - the input decoder: text, controls, CSI and SS3 keys with
 * modifiers, Alt prefixes, a lone ESC, split and malformed input.
 */
#include <string.h>

#include "../keys.h"
#include "check.h"

/* Decodes s (n bytes) then a pause; returns the number of keys. */
static size_t decode(const char *s, size_t n, keycode_t *out)
{
	struct keys k;
	size_t count = 0;

	keys_init(&k);
	for (size_t i = 0; i < n; i++)
		count += keys_feed(&k, (unsigned char)s[i], out + count);
	count += keys_idle(&k, out + count);
	return count;
}

#define DECODE(lit, out) decode(lit, sizeof(lit) - 1, out)

TEST(text_and_control_bytes)
{
	keycode_t k[16];

	CHECK_EQ(DECODE("a\x13\r\x7f", k), 4);
	CHECK_EQ(k[0], 'a');
	CHECK_EQ(k[1], KEY_CTRL('s'));
	CHECK_EQ(k[2], KEY_CTRL('m'));
	CHECK_EQ(k[3], KEY_BACKSPACE);
	CHECK_EQ(DECODE("\xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80", k), 3);
	CHECK_EQ(k[0], 0xe9);
	CHECK_EQ(k[1], 0x65e5);
	CHECK_EQ(k[2], 0x1f600);
}

TEST(cursor_and_editing_keys_in_csi_and_ss3_forms)
{
	keycode_t k[16];

	CHECK_EQ(DECODE("\x1b[A\x1bOB\x1b[C\x1bOD", k), 4);
	CHECK_EQ(k[0], KEY_UP);
	CHECK_EQ(k[1], KEY_DOWN);
	CHECK_EQ(k[2], KEY_RIGHT);
	CHECK_EQ(k[3], KEY_LEFT);
	CHECK_EQ(DECODE("\x1b[H\x1b[F\x1b[1~\x1b[4~\x1bOH\x1b[7~\x1b[8~", k), 7);
	CHECK_EQ(k[0], KEY_HOME);
	CHECK_EQ(k[1], KEY_END);
	CHECK_EQ(k[2], KEY_HOME);
	CHECK_EQ(k[3], KEY_END);
	CHECK_EQ(k[4], KEY_HOME);
	CHECK_EQ(k[5], KEY_HOME);
	CHECK_EQ(k[6], KEY_END);
	CHECK_EQ(DECODE("\x1b[3~\x1b[5~\x1b[6~\x1b[2~\x1bOP\x1b[15~\x1b[24~\x1b[[A", k), 8);
	CHECK_EQ(k[0], KEY_DELETE);
	CHECK_EQ(k[1], KEY_PGUP);
	CHECK_EQ(k[2], KEY_PGDN);
	CHECK_EQ(k[3], KEY_INSERT);
	CHECK_EQ(k[4], KEY_F1);
	CHECK_EQ(k[5], KEY_F5);
	CHECK_EQ(k[6], KEY_F12);
	CHECK_EQ(k[7], KEY_F1);
}

TEST(xterm_modifier_parameters)
{
	keycode_t k[16];

	CHECK_EQ(DECODE("\x1b[1;5C\x1b[1;2D\x1b[1;3A\x1b[3;5~\x1b[1;8H", k), 5);
	CHECK_EQ(k[0], KEY_CTRLMOD | KEY_RIGHT);
	CHECK_EQ(k[1], KEY_SHIFT | KEY_LEFT);
	CHECK_EQ(k[2], KEY_ALT | KEY_UP);
	CHECK_EQ(k[3], KEY_CTRLMOD | KEY_DELETE);
	CHECK_EQ(k[4], KEY_CTRLMOD | KEY_ALT | KEY_SHIFT | KEY_HOME);
}

TEST(esc_prefix_gives_alt)
{
	keycode_t k[16];

	CHECK_EQ(DECODE("\x1b"
			"a\x1b"
			"6\x1b\xc3\xa9\x1b\x01",
			k),
		 4);
	CHECK_EQ(k[0], KEY_ALT | 'a');
	CHECK_EQ(k[1], KEY_ALT | '6');
	CHECK_EQ(k[2], KEY_ALT | 0xe9);
	CHECK_EQ(k[3], KEY_ALT | KEY_CTRL('a'));
}

TEST(a_lone_esc_is_escape_when_input_pauses)
{
	keycode_t k[16];
	struct keys st;

	CHECK_EQ(DECODE("\x1b", k), 1);
	CHECK_EQ(k[0], KEY_ESC);
	CHECK_EQ(DECODE("\x1b\x1b", k), 2);
	CHECK_EQ(k[0], KEY_ESC);
	CHECK_EQ(k[1], KEY_ESC);
	CHECK_EQ(DECODE("\x1b\x1b[A", k), 2);
	CHECK_EQ(k[0], KEY_ESC);
	CHECK_EQ(k[1], KEY_UP);
	/* ESC [ and ESC O wait for their final byte, pause or not. */
	CHECK_EQ(DECODE("\x1b[", k), 0);
	CHECK_EQ(DECODE("\x1bO", k), 0);
	/* Without a pause nothing is decided: the sequence may go on. */
	keys_init(&st);
	CHECK_EQ(keys_feed(&st, 0x1b, k), 0);
	CHECK_EQ(keys_feed(&st, '[', k), 0);
	CHECK_EQ(keys_feed(&st, '1', k), 0);
	CHECK_EQ(keys_idle(&st, k), 0);
	CHECK_EQ(keys_feed(&st, '~', k), 1);
	CHECK_EQ(k[0], KEY_HOME);
	/* keys_partial() says when a pause would decide (app.c waits then). */
	CHECK(!keys_partial(&st));
	CHECK_EQ(keys_feed(&st, 0x1b, k), 0);
	CHECK(keys_partial(&st));
	CHECK_EQ(keys_feed(&st, '[', k), 0);
	CHECK(!keys_partial(&st));
	CHECK_EQ(keys_idle(&st, k), 0);
	CHECK_EQ(keys_feed(&st, 'C', k), 1);
	CHECK_EQ(k[0], KEY_RIGHT);
	CHECK(!keys_partial(&st));
	CHECK_EQ(keys_feed(&st, 0xc3, k), 0);
	CHECK(!keys_partial(&st));
}

TEST(invalid_utf8_comes_through_as_raw_bytes)
{
	keycode_t k[16];

	CHECK_EQ(DECODE("\xff"
			"a\xc3"
			"b\xe6\x97"
			"c\x80",
			k),
		 8);
	CHECK_EQ(k[0], KEY_BYTE(0xff));
	CHECK_EQ(k[1], 'a');
	CHECK_EQ(k[2], KEY_BYTE(0xc3));
	CHECK_EQ(k[3], 'b');
	CHECK_EQ(k[4], KEY_BYTE(0xe6));
	CHECK_EQ(k[5], KEY_BYTE(0x97));
	CHECK_EQ(k[6], 'c');
	CHECK_EQ(k[7], KEY_BYTE(0x80));
	CHECK_EQ(DECODE("\xed\xa0\x80", k), 3); /* a surrogate */
	CHECK_EQ(k[0], KEY_BYTE(0xed));
}

TEST(malformed_sequences_are_bounded_and_dropped)
{
	keycode_t k[128];
	char longseq[80];
	size_t n;

	CHECK_EQ(DECODE("\x1b[99999999999999;99999999Ax", k), 2);
	CHECK_EQ(KEY_BASE(k[0]), KEY_UP);
	CHECK_EQ(k[1], 'x');
	CHECK_EQ(DECODE("\x1b[12\x01x", k), 1); /* a control byte ends it */
	CHECK_EQ(k[0], 'x');
	memset(longseq, '1', sizeof longseq);
	longseq[0] = 0x1b;
	longseq[1] = '[';
	n = decode(longseq, sizeof longseq, k);
	CHECK(n < 80);
	CHECK_EQ(k[0], '1'); /* the sequence was dropped at its limit */
	CHECK_EQ(DECODE("\x1b[99~\x1b[Zq", k), 3);
	CHECK_EQ(k[0], KEY_UNKNOWN);
	CHECK_EQ(k[1], KEY_BACKTAB);
	CHECK_EQ(k[2], 'q');
}

TEST(key_names_are_readable)
{
	char name[32];

	keys_name(KEY_CTRL('s'), name, sizeof name);
	CHECK_STR(name, "^S");
	keys_name(KEY_ALT | 'a', name, sizeof name);
	CHECK_STR(name, "M-a");
	keys_name(KEY_CTRLMOD | KEY_RIGHT, name, sizeof name);
	CHECK_STR(name, "C-Right");
	keys_name(KEY_BYTE(0xff), name, sizeof name);
	CHECK_STR(name, "\\xff");
}

int main(void)
{
	RUN(text_and_control_bytes);
	RUN(cursor_and_editing_keys_in_csi_and_ss3_forms);
	RUN(xterm_modifier_parameters);
	RUN(esc_prefix_gives_alt);
	RUN(a_lone_esc_is_escape_when_input_pauses);
	RUN(invalid_utf8_comes_through_as_raw_bytes);
	RUN(malformed_sequences_are_bounded_and_dropped);
	RUN(key_names_are_readable);
	return check_summary();
}
