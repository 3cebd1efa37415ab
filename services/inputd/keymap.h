/*
 * keymap.h - key events to what a terminal program reads: the bytes an
 * xterm sends for each key with the US layout (docs/console.md lists
 * them), or a console action (Alt+F1..F4 switch consoles, Ctrl+Alt+Delete
 * asks for a reset).
 *
 * The terminal's modes that change what keys send - cursor key mode
 * (DECCKM) and application keypad mode (DECKPAM) - are passed in by the
 * caller from the terminal emulator's state.
 */
#ifndef KEEL_INPUTD_KEYMAP_H
#define KEEL_INPUTD_KEYMAP_H

#include <stddef.h>
#include <stdint.h>

#include "scancode.h"

/* Terminal modes (the caller maps them from compd's vt_modes()). */
#define KEYMAP_CURSOR_APP 0x01 /* DECCKM: arrows, Home, End send SS3 */
#define KEYMAP_KEYPAD_APP 0x02 /* DECKPAM: the keypad sends SS3 codes */

enum keymap_kind {
	KEYMAP_NOTHING, /* releases, modifiers, locks, keys that send nothing */
	KEYMAP_BYTES,   /* bytes[0..len) go to the program */
	KEYMAP_CONSOLE, /* switch to virtual console number console (1..4) */
	KEYMAP_RESET,   /* Ctrl+Alt+Delete */
};

#define KEYMAP_BYTES_MAX 12

struct keymap_result {
	enum keymap_kind kind;
	uint8_t console;
	uint8_t len;
	uint8_t bytes[KEYMAP_BYTES_MAX];
};

/* Translates ev under the terminal modes (KEYMAP_*) into *res. */
void keymap_translate(const struct key_event *ev, unsigned modes, struct keymap_result *res);

#endif
