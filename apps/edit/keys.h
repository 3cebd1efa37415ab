/*
 * keys.h - decoding terminal input bytes into keys.
 *
 * Input arrives as xterm byte sequences: UTF-8 text, C0 control bytes, CSI
 * (ESC [) and SS3 (ESC O) sequences for cursor and function keys with an
 * optional xterm modifier parameter (CSI 1;5C is ctrl-right), and an ESC
 * prefix for Alt. The decoder is a state machine fed one byte at a time and
 * never uses a timer. Instead the caller reports when the input pauses (a
 * read returned everything the terminal had queued): a lone ESC pending at
 * that point is the Escape key, ESC [ and ESC O are Alt-[ and Alt-O. A
 * sequence split across two reads that arrive without a pause still decodes.
 */
#ifndef EDIT_KEYS_H
#define EDIT_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int32_t keycode_t;

/* Keys below KEY_SPECIAL are Unicode code points; control keys are the
 * control code (KEY_CTRL('s') == 0x13), Escape is 0x1b, Backspace 0x7f. */
#define KEY_CTRL(c) ((c)&0x1f)
#define KEY_ESC 0x1b
#define KEY_BACKSPACE 0x7f
#define KEY_SPECIAL 0x110000
enum {
	KEY_UP = KEY_SPECIAL,
	KEY_DOWN,
	KEY_RIGHT,
	KEY_LEFT,
	KEY_HOME,
	KEY_END,
	KEY_INSERT,
	KEY_DELETE,
	KEY_PGUP,
	KEY_PGDN,
	KEY_BACKTAB,
	KEY_F1,
	KEY_F2,
	KEY_F3,
	KEY_F4,
	KEY_F5,
	KEY_F6,
	KEY_F7,
	KEY_F8,
	KEY_F9,
	KEY_F10,
	KEY_F11,
	KEY_F12,
	KEY_PASTE_BEGIN,
	KEY_PASTE_END,
	KEY_UNKNOWN,
};
/* A byte of input that is not valid UTF-8: inserted as that byte. */
#define KEY_BYTE(b) (0x120000 | (b))
#define KEY_IS_BYTE(k) (((k) & ~0xff & ~(KEY_MODS)) == 0x120000)
#define KEY_SHIFT (1 << 22)
#define KEY_ALT (1 << 23)
#define KEY_CTRLMOD (1 << 24)
#define KEY_MODS (KEY_SHIFT | KEY_ALT | KEY_CTRLMOD)
#define KEY_BASE(k) ((k) & ~KEY_MODS)

/* The most keys one call can produce. */
#define KEYS_MAX_OUT 8

enum keys_state { KS_GROUND, KS_ESC, KS_CSI, KS_SS3, KS_LINUX_F, KS_UTF8 };

struct keys {
	enum keys_state state;
	int alt;                     /* an ESC prefix applies to the key */
	unsigned params[4], nparams; /* CSI parameters */
	size_t seqlen;               /* bytes in the current CSI */
	unsigned char u8[4];         /* UTF-8 bytes collected */
	size_t u8len, u8need;
};

void keys_init(struct keys *k);

/* Feeds one byte; stores the keys it completes in out and returns how many
 * (0..KEYS_MAX_OUT). */
size_t keys_feed(struct keys *k, unsigned char byte, keycode_t *out);

/* Reports a pause in the input; returns the keys that a pending prefix
 * stands for on its own: a lone ESC is Esc. ESC [ and ESC O are never
 * decided by a pause, only by the bytes that follow. */
size_t keys_idle(struct keys *k, keycode_t *out);

/* True while a lone ESC, which keys_idle() would end, waits for what may
 * follow it. */
bool keys_partial(const struct keys *k);

/* Writes a short readable name for key ("^S", "M-a", "Up", "C-Right") into
 * out (at least 24 bytes). */
void keys_name(keycode_t key, char *out, size_t size);

#endif
