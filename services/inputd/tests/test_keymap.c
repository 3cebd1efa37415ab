/* Host tests for the key translation: the expected bytes are those xterm's
 * control sequence documentation (ctlseqs, "PC-Style Function Keys") gives
 * for each key, written out here by hand. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "keymap.h"

static struct keymap_result res;

/* The bytes key sends with mods under modes, as a string ("" for none). */
static const char *send(uint16_t key, uint8_t mods, unsigned modes)
{
	static char buf[KEYMAP_BYTES_MAX + 1];
	struct key_event ev = { .key = key, .flags = KEY_PRESSED, .mods = mods };

	keymap_translate(&ev, modes, &res);
	if (res.kind != KEYMAP_BYTES)
		return "";
	memcpy(buf, res.bytes, res.len);
	buf[res.len] = 0;
	return buf;
}

static const char *key(uint16_t k)
{
	return send(k, KEY_MOD_NUM, 0);
}

#define SHIFT KEY_MOD_SHIFT
#define CTRL KEY_MOD_CTRL
#define ALT KEY_MOD_ALT
#define NUM KEY_MOD_NUM
#define CAPS KEY_MOD_CAPS

TEST(letters_digits_and_punctuation)
{
	CHECK_STR(key(KEY_A), "a");
	CHECK_STR(key(KEY_Z), "z");
	CHECK_STR(key(KEY_1), "1");
	CHECK_STR(key(KEY_0), "0");
	CHECK_STR(key(KEY_SPACE), " ");
	CHECK_STR(key(KEY_MINUS), "-");
	CHECK_STR(key(KEY_EQUAL), "=");
	CHECK_STR(key(KEY_LEFTBRACE), "[");
	CHECK_STR(key(KEY_RIGHTBRACE), "]");
	CHECK_STR(key(KEY_SEMICOLON), ";");
	CHECK_STR(key(KEY_APOSTROPHE), "'");
	CHECK_STR(key(KEY_GRAVE), "`");
	CHECK_STR(key(KEY_BACKSLASH), "\\");
	CHECK_STR(key(KEY_COMMA), ",");
	CHECK_STR(key(KEY_DOT), ".");
	CHECK_STR(key(KEY_SLASH), "/");
}

TEST(shift_gives_the_us_upper_row)
{
	static const char want[] = "!@#$%^&*()_+";
	for (int i = 0; i < 12; i++) {
		char w[2] = { want[i], 0 };
		CHECK_STR(send((uint16_t)(KEY_1 + i), SHIFT | NUM, 0), w);
	}
	CHECK_STR(send(KEY_Q, SHIFT, 0), "Q");
	CHECK_STR(send(KEY_LEFTBRACE, SHIFT, 0), "{");
	CHECK_STR(send(KEY_SEMICOLON, SHIFT, 0), ":");
	CHECK_STR(send(KEY_APOSTROPHE, SHIFT, 0), "\"");
	CHECK_STR(send(KEY_GRAVE, SHIFT, 0), "~");
	CHECK_STR(send(KEY_BACKSLASH, SHIFT, 0), "|");
	CHECK_STR(send(KEY_SLASH, SHIFT, 0), "?");
	CHECK_STR(send(KEY_COMMA, SHIFT, 0), "<");
}

TEST(caps_lock_shifts_letters_only)
{
	CHECK_STR(send(KEY_A, CAPS, 0), "A");
	CHECK_STR(send(KEY_A, CAPS | SHIFT, 0), "a");
	CHECK_STR(send(KEY_1, CAPS, 0), "1");
	CHECK_STR(send(KEY_SEMICOLON, CAPS, 0), ";");
}

TEST(ctrl_gives_the_control_characters)
{
	CHECK_STR(send(KEY_A, CTRL, 0), "\x01");
	CHECK_STR(send(KEY_C, CTRL, 0), "\x03");
	CHECK_STR(send(KEY_Z, CTRL, 0), "\x1a");
	CHECK_STR(send(KEY_A, CTRL | SHIFT, 0), "\x01");
	CHECK_STR(send(KEY_LEFTBRACE, CTRL, 0), "\x1b");
	CHECK_STR(send(KEY_BACKSLASH, CTRL, 0), "\x1c");
	CHECK_STR(send(KEY_RIGHTBRACE, CTRL, 0), "\x1d");
	CHECK_STR(send(KEY_6, CTRL | SHIFT, 0), "\x1e");     /* Ctrl-^ */
	CHECK_STR(send(KEY_MINUS, CTRL | SHIFT, 0), "\x1f"); /* Ctrl-_ */
	CHECK_STR(send(KEY_SLASH, CTRL, 0), "\x1f");
	CHECK_STR(send(KEY_SLASH, CTRL | SHIFT, 0), "\x7f"); /* Ctrl-? */
	CHECK_EQ(strlen(send(KEY_SPACE, CTRL, 0)), 0);       /* NUL */
	CHECK_EQ(res.len, 1);
	CHECK_EQ(res.bytes[0], 0);
	CHECK_EQ(res.kind, KEYMAP_BYTES);
	send(KEY_2, CTRL | SHIFT, 0); /* Ctrl-@ */
	CHECK_EQ(res.len, 1);
	CHECK_EQ(res.bytes[0], 0);
	CHECK_STR(send(KEY_3, CTRL, 0), "\x1b");
	CHECK_STR(send(KEY_8, CTRL, 0), "\x7f");
}

TEST(alt_prefixes_escape)
{
	CHECK_STR(send(KEY_A, ALT, 0), "\033a");
	CHECK_STR(send(KEY_A, ALT | SHIFT, 0), "\033A");
	CHECK_STR(send(KEY_X, ALT | CTRL, 0), "\033\x18");
	CHECK_STR(send(KEY_DOT, ALT, 0), "\033.");
	CHECK_STR(send(KEY_BACKSPACE, ALT, 0), "\033\x7f");
	CHECK_STR(send(KEY_ENTER, ALT, 0), "\033\r");
}

TEST(editing_keys)
{
	CHECK_STR(key(KEY_ENTER), "\r");
	CHECK_STR(key(KEY_BACKSPACE), "\x7f");
	CHECK_STR(send(KEY_BACKSPACE, CTRL, 0), "\b");
	CHECK_STR(key(KEY_TAB), "\t");
	CHECK_STR(send(KEY_TAB, SHIFT, 0), "\033[Z");
	CHECK_STR(key(KEY_ESC), "\033");
	CHECK_STR(send(KEY_ESC, ALT, 0), "\033\033");
}

TEST(arrows_follow_cursor_key_mode)
{
	CHECK_STR(key(KEY_UP), "\033[A");
	CHECK_STR(key(KEY_DOWN), "\033[B");
	CHECK_STR(key(KEY_RIGHT), "\033[C");
	CHECK_STR(key(KEY_LEFT), "\033[D");
	CHECK_STR(send(KEY_UP, 0, KEYMAP_CURSOR_APP), "\033OA");
	CHECK_STR(send(KEY_DOWN, 0, KEYMAP_CURSOR_APP), "\033OB");
	CHECK_STR(send(KEY_RIGHT, 0, KEYMAP_CURSOR_APP), "\033OC");
	CHECK_STR(send(KEY_LEFT, 0, KEYMAP_CURSOR_APP), "\033OD");
}

TEST(home_and_end)
{
	CHECK_STR(key(KEY_HOME), "\033[H");
	CHECK_STR(key(KEY_END), "\033[F");
	CHECK_STR(send(KEY_HOME, 0, KEYMAP_CURSOR_APP), "\033OH");
	CHECK_STR(send(KEY_END, 0, KEYMAP_CURSOR_APP), "\033OF");
}

TEST(tilde_keys)
{
	CHECK_STR(key(KEY_INSERT), "\033[2~");
	CHECK_STR(key(KEY_DELETE), "\033[3~");
	CHECK_STR(key(KEY_PAGEUP), "\033[5~");
	CHECK_STR(key(KEY_PAGEDOWN), "\033[6~");
	CHECK_STR(send(KEY_DELETE, 0, KEYMAP_CURSOR_APP), "\033[3~");
}

TEST(function_keys)
{
	static const char *want[12] = {
		"\033OP",   "\033OQ",   "\033OR",   "\033OS",   "\033[15~", "\033[17~",
		"\033[18~", "\033[19~", "\033[20~", "\033[21~", "\033[23~", "\033[24~",
	};
	static const uint16_t keys[12] = {
		KEY_F1, KEY_F2, KEY_F3, KEY_F4,  KEY_F5,  KEY_F6,
		KEY_F7, KEY_F8, KEY_F9, KEY_F10, KEY_F11, KEY_F12,
	};
	for (int i = 0; i < 12; i++)
		CHECK_STR(key(keys[i]), want[i]);
}

TEST(modifiers_on_special_keys_use_the_parameter_form)
{
	CHECK_STR(send(KEY_UP, SHIFT, 0), "\033[1;2A");
	CHECK_STR(send(KEY_UP, ALT, 0), "\033[1;3A");
	CHECK_STR(send(KEY_UP, ALT | SHIFT, 0), "\033[1;4A");
	CHECK_STR(send(KEY_RIGHT, CTRL, 0), "\033[1;5C");
	CHECK_STR(send(KEY_LEFT, CTRL | SHIFT, KEYMAP_CURSOR_APP), "\033[1;6D");
	CHECK_STR(send(KEY_HOME, CTRL | ALT, 0), "\033[1;7H");
	CHECK_STR(send(KEY_END, CTRL | ALT | SHIFT, 0), "\033[1;8F");
	CHECK_STR(send(KEY_F1, SHIFT, 0), "\033[1;2P");
	CHECK_STR(send(KEY_F4, CTRL, 0), "\033[1;5S");
	CHECK_STR(send(KEY_F5, SHIFT, 0), "\033[15;2~");
	CHECK_STR(send(KEY_F12, CTRL | SHIFT, 0), "\033[24;6~");
	CHECK_STR(send(KEY_DELETE, CTRL, 0), "\033[3;5~");
	CHECK_STR(send(KEY_PAGEUP, SHIFT, 0), "\033[5;2~");
}

TEST(alt_f1_to_f4_switch_consoles)
{
	for (int i = 0; i < 4; i++) {
		CHECK_STR(send((uint16_t)(KEY_F1 + i), ALT, 0), "");
		CHECK_EQ(res.kind, KEYMAP_CONSOLE);
		CHECK_EQ(res.console, i + 1);
		send((uint16_t)(KEY_F1 + i), ALT | CTRL, 0);
		CHECK_EQ(res.kind, KEYMAP_CONSOLE);
	}
	CHECK_STR(send(KEY_F5, ALT, 0), "\033[15;3~");
	CHECK_STR(send(KEY_F1, ALT | SHIFT, 0), "\033[1;4P");
}

TEST(ctrl_alt_delete_asks_for_a_reset)
{
	send(KEY_DELETE, CTRL | ALT, 0);
	CHECK_EQ(res.kind, KEYMAP_RESET);
	send(KEY_KPDOT, CTRL | ALT, 0);
	CHECK_EQ(res.kind, KEYMAP_RESET);
}

TEST(the_keypad_with_num_lock)
{
	CHECK_STR(send(KEY_KP7, NUM, 0), "7");
	CHECK_STR(send(KEY_KP0, NUM, 0), "0");
	CHECK_STR(send(KEY_KP5, NUM, 0), "5");
	CHECK_STR(send(KEY_KPDOT, NUM, 0), ".");
	CHECK_STR(send(KEY_KPMINUS, NUM, 0), "-");
	CHECK_STR(send(KEY_KPPLUS, NUM, 0), "+");
	CHECK_STR(send(KEY_KPASTERISK, NUM, 0), "*");
	CHECK_STR(send(KEY_KPSLASH, NUM, 0), "/");
	CHECK_STR(send(KEY_KPENTER, NUM, 0), "\r");
}

TEST(the_keypad_without_num_lock_navigates)
{
	CHECK_STR(send(KEY_KP7, 0, 0), "\033[H");
	CHECK_STR(send(KEY_KP8, 0, 0), "\033[A");
	CHECK_STR(send(KEY_KP9, 0, 0), "\033[5~");
	CHECK_STR(send(KEY_KP4, 0, 0), "\033[D");
	CHECK_STR(send(KEY_KP5, 0, 0), "\033[E");
	CHECK_STR(send(KEY_KP6, 0, 0), "\033[C");
	CHECK_STR(send(KEY_KP1, 0, 0), "\033[F");
	CHECK_STR(send(KEY_KP2, 0, KEYMAP_CURSOR_APP), "\033OB");
	CHECK_STR(send(KEY_KP3, 0, 0), "\033[6~");
	CHECK_STR(send(KEY_KP0, 0, 0), "\033[2~");
	CHECK_STR(send(KEY_KPDOT, 0, 0), "\033[3~");
	CHECK_STR(send(KEY_KPMINUS, 0, 0), "-");
	CHECK_STR(send(KEY_KP8, CTRL, 0), "\033[1;5A");
}

TEST(application_keypad_sends_ss3_codes)
{
	static const struct {
		uint16_t key;
		const char *want;
	} cases[] = {
		{ KEY_KP0, "\033Op" },     { KEY_KP1, "\033Oq" },        { KEY_KP2, "\033Or" },
		{ KEY_KP3, "\033Os" },     { KEY_KP4, "\033Ot" },        { KEY_KP5, "\033Ou" },
		{ KEY_KP6, "\033Ov" },     { KEY_KP7, "\033Ow" },        { KEY_KP8, "\033Ox" },
		{ KEY_KP9, "\033Oy" },     { KEY_KPDOT, "\033On" },      { KEY_KPMINUS, "\033Om" },
		{ KEY_KPPLUS, "\033Ok" },  { KEY_KPASTERISK, "\033Oj" }, { KEY_KPSLASH, "\033Oo" },
		{ KEY_KPENTER, "\033OM" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK_STR(send(cases[i].key, NUM, KEYMAP_KEYPAD_APP), cases[i].want);
	CHECK_STR(send(KEY_KP7, NUM | SHIFT, KEYMAP_KEYPAD_APP), "7");
	CHECK_STR(send(KEY_KPENTER, 0, KEYMAP_KEYPAD_APP), "\033OM");
}

TEST(releases_modifiers_and_locks_send_nothing)
{
	struct key_event ev = { .key = KEY_A, .flags = 0, .mods = 0 };

	keymap_translate(&ev, 0, &res);
	CHECK_EQ(res.kind, KEYMAP_NOTHING);
	static const uint16_t silent[] = {
		KEY_LEFTSHIFT, KEY_RIGHTSHIFT, KEY_LEFTCTRL, KEY_RIGHTCTRL,  KEY_LEFTALT,
		KEY_RIGHTALT,  KEY_CAPSLOCK,   KEY_NUMLOCK,  KEY_SCROLLLOCK, KEY_LEFTMETA,
		KEY_MENU,      KEY_SYSRQ,      KEY_PAUSE,    KEY_BREAK,      0x59,
		0x7f,          0xff,
	};
	for (size_t i = 0; i < sizeof(silent) / sizeof(silent[0]); i++) {
		send(silent[i], 0, 0);
		CHECK_EQ(res.kind, KEYMAP_NOTHING);
	}
}

TEST(repeats_send_again)
{
	struct key_event ev = { .key = KEY_B, .flags = KEY_PRESSED | KEY_REPEAT, .mods = 0 };

	keymap_translate(&ev, 0, &res);
	CHECK_EQ(res.kind, KEYMAP_BYTES);
	CHECK_EQ(res.bytes[0], 'b');
}

TEST(from_scancodes_to_bytes)
{
	struct kbd kbd;
	struct key_event ev;
	const uint8_t seq[] = { 0x1d, 0x2e, 0xae, 0x9d, 0xe0, 0x48, 0xe0, 0xc8 };
	char got[32] = "";
	size_t n = 0;

	kbd_init(&kbd);
	for (size_t i = 0; i < sizeof(seq); i++) {
		if (!kbd_feed(&kbd, seq[i], &ev))
			continue;
		keymap_translate(&ev, KEYMAP_CURSOR_APP, &res);
		memcpy(got + n, res.bytes, res.len);
		n += res.len;
	}
	got[n] = 0;
	CHECK_STR(got, "\x03\033OA");
}

int main(void)
{
	RUN(letters_digits_and_punctuation);
	RUN(shift_gives_the_us_upper_row);
	RUN(caps_lock_shifts_letters_only);
	RUN(ctrl_gives_the_control_characters);
	RUN(alt_prefixes_escape);
	RUN(editing_keys);
	RUN(arrows_follow_cursor_key_mode);
	RUN(home_and_end);
	RUN(tilde_keys);
	RUN(function_keys);
	RUN(modifiers_on_special_keys_use_the_parameter_form);
	RUN(alt_f1_to_f4_switch_consoles);
	RUN(ctrl_alt_delete_asks_for_a_reset);
	RUN(the_keypad_with_num_lock);
	RUN(the_keypad_without_num_lock_navigates);
	RUN(application_keypad_sends_ss3_codes);
	RUN(releases_modifiers_and_locks_send_nothing);
	RUN(repeats_send_again);
	RUN(from_scancodes_to_bytes);
	return check_summary();
}
