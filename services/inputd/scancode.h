/*
 * scancode.h - decoding the i8042 PS/2 keyboard's bytes: scancode set 1,
 * which the controller delivers with translation on (QEMU does), into key
 * events with the modifiers and lock states that held.
 *
 * Key codes: a key of the main block is numbered by its set 1 make code
 * (KEY_A is 0x1e), an E0-prefixed key by 0x80 | its code (KEY_UP is
 * 0xc8), and Pause (the E1 sequence) is KEY_PAUSE. Pure: state in struct
 * kbd, no globals.
 */
#ifndef KEEL_INPUTD_SCANCODE_H
#define KEEL_INPUTD_SCANCODE_H

#include <stdbool.h>
#include <stdint.h>

enum key {
	KEY_NONE = 0x00,
	KEY_ESC = 0x01,
	KEY_1 = 0x02,
	KEY_2,
	KEY_3,
	KEY_4,
	KEY_5,
	KEY_6,
	KEY_7,
	KEY_8,
	KEY_9,
	KEY_0,
	KEY_MINUS = 0x0c,
	KEY_EQUAL,
	KEY_BACKSPACE,
	KEY_TAB,
	KEY_Q = 0x10,
	KEY_W,
	KEY_E,
	KEY_R,
	KEY_T,
	KEY_Y,
	KEY_U,
	KEY_I,
	KEY_O,
	KEY_P,
	KEY_LEFTBRACE = 0x1a,
	KEY_RIGHTBRACE,
	KEY_ENTER,
	KEY_LEFTCTRL,
	KEY_A = 0x1e,
	KEY_S,
	KEY_D,
	KEY_F,
	KEY_G,
	KEY_H,
	KEY_J,
	KEY_K,
	KEY_L,
	KEY_SEMICOLON = 0x27,
	KEY_APOSTROPHE,
	KEY_GRAVE,
	KEY_LEFTSHIFT,
	KEY_BACKSLASH,
	KEY_Z = 0x2c,
	KEY_X,
	KEY_C,
	KEY_V,
	KEY_B,
	KEY_N,
	KEY_M,
	KEY_COMMA = 0x33,
	KEY_DOT,
	KEY_SLASH,
	KEY_RIGHTSHIFT,
	KEY_KPASTERISK,
	KEY_LEFTALT,
	KEY_SPACE = 0x39,
	KEY_CAPSLOCK,
	KEY_F1 = 0x3b,
	KEY_F2,
	KEY_F3,
	KEY_F4,
	KEY_F5,
	KEY_F6,
	KEY_F7,
	KEY_F8,
	KEY_F9,
	KEY_F10,
	KEY_NUMLOCK = 0x45,
	KEY_SCROLLLOCK,
	KEY_KP7 = 0x47,
	KEY_KP8,
	KEY_KP9,
	KEY_KPMINUS,
	KEY_KP4,
	KEY_KP5,
	KEY_KP6,
	KEY_KPPLUS,
	KEY_KP1 = 0x4f,
	KEY_KP2,
	KEY_KP3,
	KEY_KP0,
	KEY_KPDOT,
	KEY_102ND = 0x56,
	KEY_F11,
	KEY_F12,

	KEY_KPENTER = 0x80 | 0x1c,
	KEY_RIGHTCTRL = 0x80 | 0x1d,
	KEY_KPSLASH = 0x80 | 0x35,
	KEY_SYSRQ = 0x80 | 0x37, /* Print Screen */
	KEY_RIGHTALT = 0x80 | 0x38,
	KEY_BREAK = 0x80 | 0x46, /* Ctrl-Pause */
	KEY_HOME = 0x80 | 0x47,
	KEY_UP = 0x80 | 0x48,
	KEY_PAGEUP = 0x80 | 0x49,
	KEY_LEFT = 0x80 | 0x4b,
	KEY_RIGHT = 0x80 | 0x4d,
	KEY_END = 0x80 | 0x4f,
	KEY_DOWN = 0x80 | 0x50,
	KEY_PAGEDOWN = 0x80 | 0x51,
	KEY_INSERT = 0x80 | 0x52,
	KEY_DELETE = 0x80 | 0x53,
	KEY_LEFTMETA = 0x80 | 0x5b,
	KEY_RIGHTMETA = 0x80 | 0x5c,
	KEY_MENU = 0x80 | 0x5d,

	KEY_PAUSE = 0x100,
	KEY_COUNT = 0x101,
};

/* Event flags. */
#define KEY_PRESSED 0x01      /* a make (else a break: released) */
#define KEY_REPEAT 0x02       /* a make of a key already down: typematic repeat */
#define KEY_LEDS_CHANGED 0x04 /* a lock toggled: the driver should set the LEDs */

/* Modifiers and locks in effect for the event (after it, for a modifier
 * key's own event). */
#define KEY_MOD_SHIFT 0x01
#define KEY_MOD_CTRL 0x02
#define KEY_MOD_ALT 0x04
#define KEY_MOD_META 0x08
#define KEY_MOD_CAPS 0x10 /* Caps Lock on */
#define KEY_MOD_NUM 0x20  /* Num Lock on */
#define KEY_MOD_SCROLL 0x40

struct key_event {
	uint16_t key;
	uint8_t flags;
	uint8_t mods;
};

/* The decoder: the prefix being read, which keys are down, the locks. */
struct kbd {
	uint8_t prefix;  /* 0, 0xe0, or 0xe1 while reading Pause */
	uint8_t e1_seen; /* bytes of the Pause sequence matched after E1 */
	uint8_t locks;   /* KEY_MOD_CAPS | KEY_MOD_NUM | KEY_MOD_SCROLL */
	uint8_t down[(KEY_COUNT + 7) / 8];
};

/* Sets kbd up: nothing down, Num Lock on (as a PC boots), no prefix. */
void kbd_init(struct kbd *kbd);

/* Feeds one byte from the controller. Returns true and fills *ev when the
 * byte completes a key event. Controller replies (ACK FA, resend FE, echo
 * EE, error 00/FF), the fake shifts around extended keys (E0 2A, E0 AA,
 * E0 36, E0 B6) and unknown sequences produce nothing; an error byte also
 * drops any half-read prefix. */
bool kbd_feed(struct kbd *kbd, uint8_t byte, struct key_event *ev);

/* The LED bits for the keyboard's Set LEDs command (ED): scroll 1, num 2,
 * caps 4. */
uint8_t kbd_leds(const struct kbd *kbd);

/* True if key is down. */
bool kbd_is_down(const struct kbd *kbd, uint16_t key);

#endif
