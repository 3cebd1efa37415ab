/*
 * scancode.c - scancode set 1 to key events (scancode.h).
 */
#include <string.h>

#include "scancode.h"

/* The bytes of Pause after its first E1: E1 1D 45 E1 9D C5. */
static const uint8_t pause_seq[5] = { 0x1d, 0x45, 0xe1, 0x9d, 0xc5 };

void kbd_init(struct kbd *kbd)
{
	memset(kbd, 0, sizeof(*kbd));
	kbd->locks = KEY_MOD_NUM;
}

bool kbd_is_down(const struct kbd *kbd, uint16_t key)
{
	return key < KEY_COUNT && (kbd->down[key / 8] >> (key % 8)) & 1;
}

static void set_down(struct kbd *kbd, uint16_t key, bool down)
{
	if (down)
		kbd->down[key / 8] |= (uint8_t)(1u << (key % 8));
	else
		kbd->down[key / 8] &= (uint8_t) ~(1u << (key % 8));
}

/* The modifiers held now, with the locks. */
static uint8_t modifiers(const struct kbd *kbd)
{
	uint8_t m = kbd->locks;

	if (kbd_is_down(kbd, KEY_LEFTSHIFT) || kbd_is_down(kbd, KEY_RIGHTSHIFT))
		m |= KEY_MOD_SHIFT;
	if (kbd_is_down(kbd, KEY_LEFTCTRL) || kbd_is_down(kbd, KEY_RIGHTCTRL))
		m |= KEY_MOD_CTRL;
	if (kbd_is_down(kbd, KEY_LEFTALT) || kbd_is_down(kbd, KEY_RIGHTALT))
		m |= KEY_MOD_ALT;
	if (kbd_is_down(kbd, KEY_LEFTMETA) || kbd_is_down(kbd, KEY_RIGHTMETA))
		m |= KEY_MOD_META;
	return m;
}

/* The lock a key toggles, or 0. */
static uint8_t lock_of(uint16_t key)
{
	switch (key) {
	case KEY_CAPSLOCK:
		return KEY_MOD_CAPS;
	case KEY_NUMLOCK:
		return KEY_MOD_NUM;
	case KEY_SCROLLLOCK:
		return KEY_MOD_SCROLL;
	default:
		return 0;
	}
}

/* Makes the event for key going down or up. */
static void key_event(struct kbd *kbd, uint16_t key, bool pressed, struct key_event *ev)
{
	bool repeat = pressed && kbd_is_down(kbd, key);
	uint8_t lock = lock_of(key);

	ev->key = key;
	ev->flags = pressed ? KEY_PRESSED : 0;
	if (repeat)
		ev->flags |= KEY_REPEAT;
	if (key != KEY_PAUSE)
		set_down(kbd, key, pressed);
	if (lock && pressed && !repeat) {
		kbd->locks ^= lock;
		ev->flags |= KEY_LEDS_CHANGED;
	}
	ev->mods = modifiers(kbd);
}

/* Continues the Pause sequence with b. */
static bool pause_byte(struct kbd *kbd, uint8_t b, struct key_event *ev)
{
	if (b != pause_seq[kbd->e1_seen]) {
		kbd->prefix = 0;
		return false;
	}
	if (++kbd->e1_seen < sizeof(pause_seq))
		return false;
	kbd->prefix = 0;
	key_event(kbd, KEY_PAUSE, true, ev);
	return true;
}

bool kbd_feed(struct kbd *kbd, uint8_t b, struct key_event *ev)
{
	uint8_t code = b & 0x7f;
	bool extended = kbd->prefix == 0xe0;

	if (b == 0x00 || b == 0xff) {
		kbd->prefix = 0; /* error or overrun: start afresh */
		return false;
	}
	if (kbd->prefix == 0xe1)
		return pause_byte(kbd, b, ev);
	if (b == 0xfa || b == 0xfe || b == 0xee)
		return false; /* replies to commands */
	if (b == 0xe0 || b == 0xe1) {
		kbd->prefix = b;
		kbd->e1_seen = 0;
		return false;
	}
	kbd->prefix = 0;
	if (code == 0 || (extended && (code == 0x2a || code == 0x36)))
		return false; /* fake shifts */
	key_event(kbd, (uint16_t)(extended ? 0x80 | code : code), !(b & 0x80), ev);
	return true;
}

uint8_t kbd_leds(const struct kbd *kbd)
{
	return (uint8_t)(((kbd->locks & KEY_MOD_SCROLL) ? 1 : 0) |
			 ((kbd->locks & KEY_MOD_NUM) ? 2 : 0) |
			 ((kbd->locks & KEY_MOD_CAPS) ? 4 : 0));
}
