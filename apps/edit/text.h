/*
 * text.h - UTF-8 aware measurement and movement over a buffer.
 *
 * A "character" is a code point together with the zero-width marks that
 * follow it, so the cursor never stops between a letter and its combining
 * accent. A byte that is not valid UTF-8 is a character of its own. Display
 * columns follow the editor's rules: a tab runs to the next multiple of the
 * tab width, a control character shows as ^X (2 columns), a C1 control as
 * <NN> (4), an invalid byte as \xNN (4), a wide character takes 2 columns
 * and a combining mark none.
 */
#ifndef EDIT_TEXT_H
#define EDIT_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* Decodes the code point at pos into *cp; returns its length in bytes (1
 * for an invalid byte, with *cp = UTF8_INVALID; 0 at the end of the text). */
size_t text_decode(const struct buf *b, size_t pos, uint32_t *cp);

/* Columns that code point cp takes when it starts at column col. */
unsigned text_width(uint32_t cp, size_t col, unsigned tabw);

/* The offset after the character at pos (pos itself at the end). */
size_t text_next_char(const struct buf *b, size_t pos);

/* The offset of the character before pos (0 at the start). */
size_t text_prev_char(const struct buf *b, size_t pos);

/* The start of the next word after pos, or the end of the text. */
size_t text_next_word(const struct buf *b, size_t pos);

/* The start of the word before pos, or 0. */
size_t text_prev_word(const struct buf *b, size_t pos);

/* The display column of pos within its line. */
size_t text_col(const struct buf *b, size_t pos, unsigned tabw);

/* The offset of the last character of line that starts at or before
 * display column col (the line end if the line is shorter). */
size_t text_pos_at_col(const struct buf *b, size_t line, size_t col, unsigned tabw);

#endif
