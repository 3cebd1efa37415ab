/*
 * uwidth.c - cell widths of code points (from the generated ranges in
 * uwidth_table.c) and UTF-8 decoding and encoding.
 */
#include "uwidth.h"

/* True if cp lies in one of the n packed ranges of table (binary search). */
static bool in_ranges(const uint32_t *table, size_t n, uint32_t cp)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint32_t first = table[mid] >> 11;
		uint32_t last = first + (table[mid] & 0x7ff);

		if (cp < first)
			hi = mid;
		else if (cp > last)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

int uwidth(uint32_t cp)
{
	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
		return -1;
	if (cp < 0x300)
		return 1; /* nothing below the combining diacritics is narrower */
	if (in_ranges(uwidth_zero, uwidth_zero_count, cp))
		return 0;
	if (cp >= 0x1100 && in_ranges(uwidth_wide, uwidth_wide_count, cp))
		return 2;
	return 1;
}

/* Starts a sequence with lead byte b (C2..F4): the number of continuation
 * bytes and the range the first of them must lie in. */
static void utf8_start(struct utf8_dec *d, uint8_t b)
{
	d->lo = 0x80;
	d->hi = 0xbf;
	if (b < 0xe0) {
		d->need = 1;
		d->cp = b & 0x1f;
		return;
	}
	if (b < 0xf0) {
		d->need = 2;
		d->cp = b & 0x0f;
		if (b == 0xe0)
			d->lo = 0xa0; /* no overlong forms */
		else if (b == 0xed)
			d->hi = 0x9f; /* no surrogates */
		return;
	}
	d->need = 3;
	d->cp = b & 0x07;
	if (b == 0xf0)
		d->lo = 0x90;
	else if (b == 0xf4)
		d->hi = 0x8f; /* nothing above U+10FFFF */
}

enum utf8_result utf8_feed(struct utf8_dec *d, uint8_t b, uint32_t *out)
{
	if (d->need) {
		if (b < d->lo || b > d->hi) {
			d->need = 0;
			*out = UWIDTH_REPLACEMENT;
			return UTF8_BAD_AGAIN;
		}
		d->cp = d->cp << 6 | (b & 0x3f);
		d->lo = 0x80;
		d->hi = 0xbf;
		if (--d->need)
			return UTF8_MORE;
		*out = d->cp;
		return UTF8_CHAR;
	}
	if (b < 0x80) {
		*out = b;
		return UTF8_CHAR;
	}
	if (b < 0xc2 || b > 0xf4) {
		*out = UWIDTH_REPLACEMENT;
		return UTF8_BAD;
	}
	utf8_start(d, b);
	return UTF8_MORE;
}

size_t utf8_encode(uint32_t cp, uint8_t *out)
{
	if (cp >= 0xd800 && (cp < 0xe000 || cp > 0x10ffff))
		cp = UWIDTH_REPLACEMENT;
	if (cp < 0x80) {
		out[0] = (uint8_t)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (uint8_t)(0xc0 | cp >> 6);
		out[1] = (uint8_t)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (uint8_t)(0xe0 | cp >> 12);
		out[1] = (uint8_t)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (uint8_t)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (uint8_t)(0xf0 | cp >> 18);
	out[1] = (uint8_t)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (uint8_t)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (uint8_t)(0x80 | (cp & 0x3f));
	return 4;
}

size_t utf8_lead_len(uint8_t lead)
{
	if (lead >= 0xc2 && lead <= 0xdf)
		return 2;
	if (lead >= 0xe0 && lead <= 0xef)
		return 3;
	if (lead >= 0xf0 && lead <= 0xf4)
		return 4;
	return 1;
}
