/*
 * utf8.h - UTF-8 decoding and encoding, and the display width of a code
 * point. Pure functions over byte arrays; no state.
 */
#ifndef EDIT_UTF8_H
#define EDIT_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* The code point reported for a byte that does not start a valid sequence. */
#define UTF8_INVALID 0xffffffffu

/*
 * Decodes the sequence at s (n > 0 bytes available). Returns its length
 * (1..4) and stores the code point in *cp. An invalid, overlong, truncated
 * or surrogate sequence yields length 1 and UTF8_INVALID, so that every
 * byte of the input is covered exactly once.
 */
size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* Encodes cp (at most 0x10ffff, no surrogates) into out; returns 1..4, or 0
 * for a value that is not a Unicode scalar. */
size_t utf8_encode(uint32_t cp, char out[4]);

/*
 * Returns how many terminal columns cp takes: 0 for combining marks and
 * other zero-width characters, 2 for East Asian wide and full-width
 * characters, 1 for the rest of the printable characters, and -1 for
 * control characters (C0, DEL, C1), which the caller shows otherwise.
 */
int utf8_width(uint32_t cp);

/* True if b is a UTF-8 continuation byte (10xxxxxx). */
static inline int utf8_is_cont(unsigned char b)
{
	return (b & 0xc0) == 0x80;
}

#endif
