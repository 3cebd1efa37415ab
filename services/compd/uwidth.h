/*
 * uwidth.h - how many terminal cells a Unicode code point occupies, and an
 * incremental UTF-8 decoder. Shared by the terminal emulator (vt.c) and the
 * line discipline (ldisc.c), so that what the line editor erases is what
 * the screen drew.
 */
#ifndef KEEL_COMPD_UWIDTH_H
#define KEEL_COMPD_UWIDTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UWIDTH_REPLACEMENT 0xFFFDu

/* Returns the cells code point cp occupies: -1 for C0 and C1 controls and
 * DEL, 0 for combining marks and format characters, 2 for East Asian wide
 * and fullwidth characters (emoji included), 1 otherwise. Surrogates and
 * values above U+10FFFF count as 1: the decoder never produces them. */
int uwidth(uint32_t cp);

/* The generated ranges (uwidth_table.c): first << 11 | (count - 1). */
extern const uint32_t uwidth_zero[];
extern const size_t uwidth_zero_count;
extern const uint32_t uwidth_wide[];
extern const size_t uwidth_wide_count;

/* An incremental UTF-8 decoder: feed it one byte at a time, across as many
 * writes as the sender likes. */
struct utf8_dec {
	uint32_t cp;  /* the bits collected so far */
	uint8_t need; /* continuation bytes still expected */
	uint8_t lo;   /* the range the next continuation byte must lie in */
	uint8_t hi;
};

enum utf8_result {
	UTF8_MORE,      /* byte consumed, no character yet */
	UTF8_CHAR,      /* byte consumed, *out is a character */
	UTF8_BAD,       /* byte consumed and the sequence was malformed: *out is U+FFFD */
	UTF8_BAD_AGAIN, /* a sequence was cut short: *out is U+FFFD and the byte
			   was NOT consumed; feed it again */
};

/* Feeds byte b. Malformed input gives one U+FFFD per maximal invalid
 * subpart (Unicode's recommended practice): stray continuation bytes, the
 * bytes C0, C1, F5..FF, and sequences that would be overlong, surrogates or
 * above U+10FFFF (rejected at their second byte). A sequence cut short by a
 * byte that cannot continue it gives one U+FFFD and leaves that byte to
 * start afresh. */
enum utf8_result utf8_feed(struct utf8_dec *d, uint8_t b, uint32_t *out);

/* True while the decoder is in the middle of a sequence. */
static inline bool utf8_pending(const struct utf8_dec *d)
{
	return d->need != 0;
}

/* Writes the UTF-8 form of cp (U+FFFD for invalid values) to out, which
 * has room for 4 bytes, and returns its length. */
size_t utf8_encode(uint32_t cp, uint8_t *out);

/* Returns the length a UTF-8 sequence starting with byte lead has: 1 for
 * ASCII and for bytes that cannot start a sequence. */
size_t utf8_lead_len(uint8_t lead);

#endif
