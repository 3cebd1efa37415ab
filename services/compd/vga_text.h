/*
 * vga_text.h - the pure part of the VGA text-mode screen: terminal cells
 * to the 16-bit words of the text buffer at 0xB8000 (character in the low
 * byte, attribute in the high byte), and a screen (screen.h) that draws
 * into such a buffer. The driver maps the buffer and moves the hardware
 * cursor from vga_text.cursor_*; neither is done here.
 *
 * Characters: code page 437, the VGA's built-in font; a character it does
 * not have shows as VGA_FALLBACK. Colours: the 16 VGA colours; 256-colour
 * and true colour map to the nearest of the 16; bold is bright; the
 * background uses only the 8 normal colours, as the attribute's top bit
 * means blink in the VGA's default mode. Underline, italic, strike and
 * blink are not shown.
 */
#ifndef KEEL_COMPD_VGA_TEXT_H
#define KEEL_COMPD_VGA_TEXT_H

#include <stdbool.h>
#include <stdint.h>

#include "screen.h"
#include "vt.h"

#define VGA_FALLBACK 0xfe /* ■ */
#define VGA_DEFAULT_FG 7  /* light grey */
#define VGA_DEFAULT_BG 0  /* black */

/* The code page 437 byte that shows cp, or VGA_FALLBACK. */
uint8_t vga_cp437(uint32_t cp);

/* The VGA colour index (0-15) for a terminal colour; def for the
 * default. */
uint8_t vga_color(vt_color_t c, uint8_t def);

/* The text buffer word for a cell (reverse: the terminal is in reverse
 * video). */
uint16_t vga_cell(const struct vt_cell *cell, bool reverse);

/* A text-mode screen over buffer (rows * cols words, row after row). */
struct vga_text {
	uint16_t *buffer;
	unsigned rows, cols;
	unsigned cursor_row, cursor_col;
	bool cursor_shown;
};

extern const struct screen_ops vga_text_ops;

#endif
