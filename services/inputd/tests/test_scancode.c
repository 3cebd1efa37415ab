/* Host tests for the set 1 scancode decoder: controller bytes in, key
 * events out. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "scancode.h"

static struct kbd kbd;
static struct key_event evs[16];
static unsigned nev;

/* Feeds n bytes and collects the events. */
static void feed(const uint8_t *b, size_t n)
{
	nev = 0;
	for (size_t i = 0; i < n; i++) {
		struct key_event ev;
		if (kbd_feed(&kbd, b[i], &ev) && nev < 16)
			evs[nev++] = ev;
	}
}

#define FEED(...)                                                                                  \
	do {                                                                                       \
		const uint8_t bytes_[] = { __VA_ARGS__ };                                          \
		feed(bytes_, sizeof(bytes_));                                                      \
	} while (0)

TEST(a_make_and_a_break_are_press_and_release)
{
	kbd_init(&kbd);
	FEED(0x1e, 0x9e);
	CHECK_EQ(nev, 2);
	CHECK_EQ(evs[0].key, KEY_A);
	CHECK_EQ(evs[0].flags, KEY_PRESSED);
	CHECK_EQ(evs[1].key, KEY_A);
	CHECK_EQ(evs[1].flags, 0);
	CHECK(!kbd_is_down(&kbd, KEY_A));
}

TEST(extended_keys_carry_the_e0_prefix)
{
	kbd_init(&kbd);
	FEED(0xe0, 0x48, 0xe0, 0xc8, 0x48);
	CHECK_EQ(nev, 3);
	CHECK_EQ(evs[0].key, KEY_UP);
	CHECK_EQ(evs[0].flags, KEY_PRESSED);
	CHECK_EQ(evs[1].key, KEY_UP);
	CHECK_EQ(evs[1].flags, 0);
	CHECK_EQ(evs[2].key, KEY_KP8); /* without the prefix: the keypad key */
	FEED(0xe0, 0x1d, 0xe0, 0x38, 0xe0, 0x1c, 0xe0, 0x35, 0xe0, 0x53, 0xe0, 0x5b);
	CHECK_EQ(nev, 6);
	CHECK_EQ(evs[0].key, KEY_RIGHTCTRL);
	CHECK_EQ(evs[1].key, KEY_RIGHTALT);
	CHECK_EQ(evs[2].key, KEY_KPENTER);
	CHECK_EQ(evs[3].key, KEY_KPSLASH);
	CHECK_EQ(evs[4].key, KEY_DELETE);
	CHECK_EQ(evs[5].key, KEY_LEFTMETA);
}

TEST(fake_shifts_around_extended_keys_are_dropped)
{
	kbd_init(&kbd);
	/* Print Screen: E0 2A E0 37, released E0 B7 E0 AA */
	FEED(0xe0, 0x2a, 0xe0, 0x37, 0xe0, 0xb7, 0xe0, 0xaa);
	CHECK_EQ(nev, 2);
	CHECK_EQ(evs[0].key, KEY_SYSRQ);
	CHECK_EQ(evs[1].key, KEY_SYSRQ);
	CHECK_EQ(evs[1].flags, 0);
	CHECK(!kbd_is_down(&kbd, KEY_LEFTSHIFT));
	/* Shift held, then Insert with the fake release and make of shift */
	FEED(0x2a, 0xe0, 0xaa, 0xe0, 0x52, 0xe0, 0xd2, 0xe0, 0x2a);
	CHECK_EQ(nev, 3);
	CHECK_EQ(evs[1].key, KEY_INSERT);
	CHECK(evs[1].mods & KEY_MOD_SHIFT);
}

TEST(pause_is_one_press_from_the_e1_sequence)
{
	kbd_init(&kbd);
	FEED(0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5);
	CHECK_EQ(nev, 1);
	CHECK_EQ(evs[0].key, KEY_PAUSE);
	CHECK_EQ(evs[0].flags, KEY_PRESSED);
	FEED(0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5);
	CHECK_EQ(nev, 1);
	CHECK_EQ(evs[0].flags, KEY_PRESSED); /* never down, so never a repeat */
}

TEST(a_broken_pause_sequence_is_dropped_and_decoding_resumes)
{
	kbd_init(&kbd);
	FEED(0xe1, 0x1d, 0x99, 0x1e);
	CHECK_EQ(nev, 1);
	CHECK_EQ(evs[0].key, KEY_A);
}

TEST(ctrl_pause_is_break)
{
	kbd_init(&kbd);
	FEED(0x1d, 0xe0, 0x46, 0xe0, 0xc6);
	CHECK_EQ(nev, 3);
	CHECK_EQ(evs[1].key, KEY_BREAK);
	CHECK(evs[1].mods & KEY_MOD_CTRL);
}

TEST(a_held_key_repeats_as_presses)
{
	kbd_init(&kbd);
	FEED(0x1e, 0x1e, 0x1e, 0x9e);
	CHECK_EQ(nev, 4);
	CHECK_EQ(evs[0].flags, KEY_PRESSED);
	CHECK_EQ(evs[1].flags, KEY_PRESSED | KEY_REPEAT);
	CHECK_EQ(evs[2].flags, KEY_PRESSED | KEY_REPEAT);
	CHECK_EQ(evs[3].flags, 0);
}

TEST(modifiers_follow_either_key)
{
	kbd_init(&kbd);
	FEED(0x2a, 0x1e);
	CHECK_EQ(evs[0].mods & KEY_MOD_SHIFT, KEY_MOD_SHIFT); /* its own press counts */
	CHECK(evs[1].mods & KEY_MOD_SHIFT);
	FEED(0x36, 0xaa, 0x1e);
	CHECK(evs[2].mods & KEY_MOD_SHIFT); /* right shift still down */
	FEED(0xb6, 0x1e);
	CHECK(!(evs[1].mods & KEY_MOD_SHIFT));
	FEED(0xe0, 0x1d, 0x38, 0x1e);
	CHECK_EQ(evs[2].mods & (KEY_MOD_CTRL | KEY_MOD_ALT), KEY_MOD_CTRL | KEY_MOD_ALT);
	FEED(0xe0, 0x9d, 0xb8, 0xe0, 0x5c, 0x1e);
	CHECK_EQ(evs[3].mods & (KEY_MOD_CTRL | KEY_MOD_ALT | KEY_MOD_META), KEY_MOD_META);
}

TEST(locks_toggle_on_press_and_ask_for_the_leds)
{
	kbd_init(&kbd);
	CHECK_EQ(kbd_leds(&kbd), 2); /* Num Lock on at start */
	FEED(0x3a, 0x3a, 0xba, 0x1e);
	CHECK_EQ(evs[0].flags, KEY_PRESSED | KEY_LEDS_CHANGED);
	CHECK_EQ(evs[1].flags, KEY_PRESSED | KEY_REPEAT); /* no toggle on repeat */
	CHECK(evs[3].mods & KEY_MOD_CAPS);
	CHECK_EQ(kbd_leds(&kbd), 6);
	FEED(0x45, 0xc5, 0x46, 0xc6, 0x3a, 0xba);
	CHECK_EQ(kbd_leds(&kbd), 1);
	CHECK(!(evs[5].mods & KEY_MOD_NUM));
}

TEST(controller_replies_and_errors_produce_nothing)
{
	kbd_init(&kbd);
	FEED(0xfa, 0xfe, 0xee, 0x00, 0xff);
	CHECK_EQ(nev, 0);
	FEED(0xe0, 0xff, 0x48); /* an error drops the prefix */
	CHECK_EQ(nev, 1);
	CHECK_EQ(evs[0].key, KEY_KP8);
	FEED(0xe0, 0xfa, 0x48); /* an ACK inside a sequence does not */
	CHECK_EQ(nev, 1);
	CHECK_EQ(evs[0].key, KEY_UP);
}

TEST(every_byte_sequence_keeps_the_decoder_sane)
{
	kbd_init(&kbd);
	for (unsigned a = 0; a < 256; a++) {
		for (unsigned b = 0; b < 256; b++) {
			struct key_event ev;
			uint8_t seq[3] = { (uint8_t)a, (uint8_t)b, 0x1e };
			for (int i = 0; i < 3; i++) {
				if (kbd_feed(&kbd, seq[i], &ev))
					CHECK(ev.key < KEY_COUNT && ev.key != KEY_NONE);
			}
			CHECK(kbd.prefix == 0 || kbd.prefix == 0xe0 || kbd.prefix == 0xe1);
		}
	}
}

int main(void)
{
	RUN(a_make_and_a_break_are_press_and_release);
	RUN(extended_keys_carry_the_e0_prefix);
	RUN(fake_shifts_around_extended_keys_are_dropped);
	RUN(pause_is_one_press_from_the_e1_sequence);
	RUN(a_broken_pause_sequence_is_dropped_and_decoding_resumes);
	RUN(ctrl_pause_is_break);
	RUN(a_held_key_repeats_as_presses);
	RUN(modifiers_follow_either_key);
	RUN(locks_toggle_on_press_and_ask_for_the_leds);
	RUN(controller_replies_and_errors_produce_nothing);
	RUN(every_byte_sequence_keeps_the_decoder_sane);
	return check_summary();
}
