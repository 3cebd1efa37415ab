/* name.c - FAT names (see name.h). */
#include "name.h"

#include <string.h>

#include "keel/path.h"

/* Code page 437, bytes 0x80-0xFF. */
static const uint16_t cp437_high[128] = {
	0x00c7, 0x00fc, 0x00e9, 0x00e2, 0x00e4, 0x00e0, 0x00e5, 0x00e7, 0x00ea, 0x00eb, 0x00e8,
	0x00ef, 0x00ee, 0x00ec, 0x00c4, 0x00c5, 0x00c9, 0x00e6, 0x00c6, 0x00f4, 0x00f6, 0x00f2,
	0x00fb, 0x00f9, 0x00ff, 0x00d6, 0x00dc, 0x00a2, 0x00a3, 0x00a5, 0x20a7, 0x0192, 0x00e1,
	0x00ed, 0x00f3, 0x00fa, 0x00f1, 0x00d1, 0x00aa, 0x00ba, 0x00bf, 0x2310, 0x00ac, 0x00bd,
	0x00bc, 0x00a1, 0x00ab, 0x00bb, 0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x2561, 0x2562,
	0x2556, 0x2555, 0x2563, 0x2551, 0x2557, 0x255d, 0x255c, 0x255b, 0x2510, 0x2514, 0x2534,
	0x252c, 0x251c, 0x2500, 0x253c, 0x255e, 0x255f, 0x255a, 0x2554, 0x2569, 0x2566, 0x2560,
	0x2550, 0x256c, 0x2567, 0x2568, 0x2564, 0x2565, 0x2559, 0x2558, 0x2552, 0x2553, 0x256b,
	0x256a, 0x2518, 0x250c, 0x2588, 0x2584, 0x258c, 0x2590, 0x2580, 0x03b1, 0x00df, 0x0393,
	0x03c0, 0x03a3, 0x03c3, 0x00b5, 0x03c4, 0x03a6, 0x0398, 0x03a9, 0x03b4, 0x221e, 0x03c6,
	0x03b5, 0x2229, 0x2261, 0x00b1, 0x2265, 0x2264, 0x2320, 0x2321, 0x00f7, 0x2248, 0x00b0,
	0x2219, 0x00b7, 0x221a, 0x207f, 0x00b2, 0x25a0, 0x00a0,
};

/* True if c is one of the NUL-terminated characters of set. */
static bool in_set(uint32_t c, const char *set)
{
	for (; *set; set++)
		if ((uint8_t)*set == c)
			return true;
	return false;
}

uint16_t fat_cp437(uint8_t b)
{
	return b < 0x80 ? b : cp437_high[b - 0x80];
}

/* The ASCII characters FAT forbids in long names beyond the component
 * rules, one bit each: " * : < > ? and backslash, |. */
static const uint32_t fat_forbidden[4] = {
	0,
	1u << ('"' - 32) | 1u << ('*' - 32) | 1u << (':' - 32) | 1u << ('<' - 32) |
		1u << ('>' - 32) | 1u << ('?' - 32),
	1u << ('\\' - 64),
	1u << ('|' - 96),
};

/* The ASCII characters a long name may hold as they are: printable, not
 * '/', not forbidden above (for fat_ascii_name's single test). */
static const uint32_t fat_plain[4] = {
	0,
	~(1u << ('"' - 32) | 1u << ('*' - 32) | 1u << (':' - 32) | 1u << ('<' - 32) |
	  1u << ('>' - 32) | 1u << ('?' - 32) | 1u << ('/' - 32)),
	~(1u << ('\\' - 64)),
	~(1u << ('|' - 96) | 1u << (0x7f - 96)),
};

status_t fat_name_check(const char *s, size_t n)
{
	status_t st = path_check_component(s, n);
	size_t units = 0;

	if (st)
		return st;
	for (size_t i = 0; i < n; i++) {
		uint8_t b = (uint8_t)s[i];
		if (b < 0x80 && (fat_forbidden[b >> 5] >> (b & 31) & 1))
			return STATUS_BAD_FORMAT;
		/* A lead byte starts one code point: two units from 0xf0 up. */
		if (b < 0x80 || b >= 0xc0)
			units += b >= 0xf0 ? 2 : 1;
	}
	if (s[n - 1] == '.')
		return STATUS_BAD_FORMAT;
	return units > FAT_LFN_MAX ? STATUS_RANGE : STATUS_OK;
}

bool fat_ascii_name(const uint16_t *u, size_t n, char *out)
{
	if (n == 0 || n > PATH_COMPONENT_MAX || n > FAT_LFN_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		uint16_t c = u[i];
		if (c >= 0x80 || !(fat_plain[c >> 5] >> (c & 31) & 1))
			return false;
		out[i] = (char)c;
	}
	/* No leading or trailing space, no trailing dot (so not "." or ".."). */
	return out[0] != ' ' && out[n - 1] != ' ' && out[n - 1] != '.';
}

/* Decodes one code point from the n > 0 bytes at s into *cp; returns its
 * length, or 0 if the bytes are not well-formed UTF-8. */
static size_t utf8_decode(const uint8_t *s, size_t n, uint32_t *cp)
{
	size_t len;
	uint32_t c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] < 0xe0)
		len = 2, c = s[0] & 0x1f, min = 0x80;
	else if (s[0] >= 0xe0 && s[0] < 0xf0)
		len = 3, c = s[0] & 0x0f, min = 0x800;
	else if (s[0] >= 0xf0 && s[0] < 0xf5)
		len = 4, c = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

status_t fat_utf8_to_utf16(const char *s, size_t n, uint16_t *out, size_t cap, size_t *len)
{
	const uint8_t *u = (const uint8_t *)s;
	size_t k = 0;

	*len = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t step = utf8_decode(u + i, n - i, &cp);
		if (!step)
			return STATUS_BAD_FORMAT;
		size_t need = cp >= 0x10000 ? 2 : 1;
		if (need > cap - k)
			return STATUS_RANGE;
		if (need == 2) {
			cp -= 0x10000;
			out[k++] = (uint16_t)(0xd800 | cp >> 10);
			out[k++] = (uint16_t)(0xdc00 | (cp & 0x3ff));
		} else {
			out[k++] = (uint16_t)cp;
		}
		i += step;
	}
	*len = k;
	return STATUS_OK;
}

/* Stores the UTF-8 form of cp at out (room for 4 bytes); returns its length. */
static size_t utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

status_t fat_utf16_to_utf8(const uint16_t *u, size_t n, char *out, size_t cap, size_t *len)
{
	size_t k = 0;

	*len = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t cp = u[i];
		char buf[4];
		if (cp - 1 < 0x7f) { /* ASCII but NUL: one byte */
			if (k == cap)
				return STATUS_RANGE;
			out[k++] = (char)cp;
			continue;
		}
		if (cp == 0 || (cp >= 0xdc00 && cp <= 0xdfff))
			return STATUS_BAD_FORMAT;
		if (cp >= 0xd800 && cp <= 0xdbff) {
			if (i + 1 == n || u[i + 1] < 0xdc00 || u[i + 1] > 0xdfff)
				return STATUS_BAD_FORMAT;
			cp = 0x10000 + ((cp - 0xd800) << 10 | (uint32_t)(u[++i] - 0xdc00));
		}
		size_t m = utf8_encode(cp, buf);
		if (m > cap - k)
			return STATUS_RANGE;
		memcpy(out + k, buf, m);
		k += m;
	}
	*len = k;
	return STATUS_OK;
}

/* Latin Extended-A pairs its capitals and small letters in two phases:
 * capital at the even code point up to U+0137 and from U+014A, at the odd
 * one in U+0139-U+0148 and U+0179-U+017E. U+0130/U+0131 (the Turkish i)
 * and the letters without a partner stay as they are. */
static uint16_t fold_latin_ext_a(uint16_t c)
{
	if (c == 0x130 || c == 0x131)
		return c;
	if (c <= 0x137 || (c >= 0x14a && c <= 0x177))
		return c & ~1u;
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e))
		return (c & 1) ? c : (uint16_t)(c - 1);
	return c;
}

uint16_t fat_fold(uint16_t c)
{
	if (c < 0x80)
		return c >= 'a' && c <= 'z' ? (uint16_t)(c - 32) : c;
	if (c >= 0xe0 && c <= 0xfe && c != 0xf7)
		return (uint16_t)(c - 0x20);
	if (c == 0xff)
		return 0x178;
	if (c >= 0x100 && c <= 0x17f)
		return fold_latin_ext_a(c);
	if (c == 0x3c2)
		return 0x3a3;
	if (c >= 0x3b1 && c <= 0x3c9)
		return (uint16_t)(c - 0x20);
	if (c >= 0x430 && c <= 0x44f)
		return (uint16_t)(c - 0x20);
	if (c >= 0x450 && c <= 0x45f)
		return (uint16_t)(c - 0x50);
	return c;
}

bool fat_name_equal(const uint16_t *a, const uint16_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i] && fat_fold(a[i]) != fat_fold(b[i]))
			return false;
	return true;
}

uint8_t fat_lfn_checksum(const uint8_t name[11])
{
	uint8_t sum = 0;

	for (int i = 0; i < 11; i++)
		sum = (uint8_t)(((sum & 1) << 7) + (sum >> 1) + name[i]);
	return sum;
}

/* True for the ASCII characters a short name may hold besides letters
 * and digits. */
static bool short_special(uint16_t c)
{
	return in_set(c, "$%'-_@~`!(){}^#&");
}

static bool is_lower(uint16_t c)
{
	return c >= 'a' && c <= 'z';
}

static bool is_upper(uint16_t c)
{
	return c >= 'A' && c <= 'Z';
}

static bool short_ok(uint16_t c)
{
	return is_lower(c) || is_upper(c) || (c >= '0' && c <= '9') || short_special(c);
}

/* Copies the n units at u into dst upper-cased, and records in *lower and
 * *upper whether a small or capital letter occurred. False if a unit is
 * not allowed in a short name. */
static bool exact_part(const uint16_t *u, size_t n, uint8_t *dst, bool *lower, bool *upper)
{
	*lower = *upper = false;
	for (size_t i = 0; i < n; i++) {
		if (!short_ok(u[i]))
			return false;
		*lower |= is_lower(u[i]);
		*upper |= is_upper(u[i]);
		dst[i] = (uint8_t)(is_lower(u[i]) ? u[i] - 32 : u[i]);
	}
	return !(*lower && *upper);
}

bool fat_short_exact(const uint16_t *u, size_t n, uint8_t out[11], uint8_t *nt)
{
	size_t dot = n;
	bool blower, bupper, elower, eupper;

	for (size_t i = 0; i < n; i++) {
		if (u[i] != '.')
			continue;
		if (dot != n)
			return false;
		dot = i;
	}
	size_t base = dot, ext = dot < n ? n - dot - 1 : 0;
	if (base < 1 || base > 8 || ext > 3 || (dot < n && ext == 0))
		return false;
	memset(out, ' ', 11);
	if (!exact_part(u, base, out, &blower, &bupper) ||
	    !exact_part(u + dot + 1, ext, out + 8, &elower, &eupper))
		return false;
	*nt = (uint8_t)((blower ? FAT_NT_LOWER_BASE : 0) | (elower ? FAT_NT_LOWER_EXT : 0));
	return true;
}

/* Appends the short-name form of the units in [from, to) to dst, which
 * holds *len of at most max bytes. Spaces and dots are dropped; returns
 * false if anything was dropped, replaced or cut off. */
static bool basis_part(const uint16_t *u, size_t from, size_t to, uint8_t *dst, size_t max,
		       size_t *len)
{
	bool exact = true;

	for (size_t i = from; i < to; i++) {
		uint16_t c = u[i];
		if (c == ' ' || c == '.') {
			exact = false;
			continue;
		}
		if (!short_ok(c)) {
			c = '_';
			exact = false;
		}
		if (*len == max) {
			exact = false;
			continue;
		}
		dst[(*len)++] = (uint8_t)(is_lower(c) ? c - 32 : c);
	}
	return exact;
}

bool fat_short_basis(const uint16_t *u, size_t n, uint8_t out[11])
{
	size_t start = 0, last_dot = n, blen = 0, elen = 0;
	bool exact;

	memset(out, ' ', 11);
	while (start < n && u[start] == '.')
		start++;
	exact = start == 0;
	for (size_t i = start; i < n; i++)
		if (u[i] == '.')
			last_dot = i;
	exact &= basis_part(u, start, last_dot, out, 8, &blen);
	if (last_dot < n)
		exact &= basis_part(u, last_dot + 1, n, out + 8, 3, &elen);
	if (blen == 0) {
		out[0] = '_';
		exact = false;
	}
	return exact;
}

void fat_short_tail(const uint8_t basis[11], uint32_t num, uint8_t out[11])
{
	char digits[10];
	size_t nd = 0, blen = 0;

	if (num < 1)
		num = 1;
	if (num > 999999)
		num = 999999;
	for (uint32_t v = num; v; v /= 10)
		digits[nd++] = (char)('0' + v % 10);
	while (blen < 8 && basis[blen] != ' ')
		blen++;
	size_t keep = blen < 8 - (nd + 1) ? blen : 8 - (nd + 1);
	memset(out, ' ', 8);
	memcpy(out, basis, keep);
	out[keep] = '~';
	for (size_t i = 0; i < nd; i++)
		out[keep + 1 + i] = (uint8_t)digits[nd - 1 - i];
	memcpy(out + 8, basis + 8, 3);
}

uint32_t fat_short_tail_number(const uint8_t basis[11], const uint8_t name[11])
{
	size_t tilde = 0;
	uint32_t num = 0;
	uint8_t cand[11];

	while (tilde < 8 && name[tilde] != '~')
		tilde++;
	if (tilde >= 7 || name[tilde + 1] < '1' || name[tilde + 1] > '9')
		return 0;
	for (size_t i = tilde + 1; i < 8 && name[i] != ' '; i++) {
		if (name[i] < '0' || name[i] > '9')
			return 0;
		num = num * 10 + (uint32_t)(name[i] - '0');
	}
	if (num > 999999)
		return 0;
	fat_short_tail(basis, num, cand);
	return memcmp(cand, name, 11) == 0 ? num : 0;
}

/* The small letter of ASCII and Latin-1 capitals, for the NT case bits. */
static uint16_t to_lower(uint16_t c)
{
	if (is_upper(c) || (c >= 0xc0 && c <= 0xde && c != 0xd7))
		return (uint16_t)(c + 32);
	return c;
}

/* Appends the display form of the len short-name bytes at p to out. */
static size_t display_part(const uint8_t *p, size_t len, bool lower, uint16_t *out)
{
	for (size_t i = 0; i < len; i++) {
		uint16_t c = fat_cp437(p[i]);
		out[i] = lower ? to_lower(c) : c;
	}
	return len;
}

size_t fat_short_display(const uint8_t name[11], uint8_t nt, uint16_t *out)
{
	uint8_t n[11];
	size_t blen = 8, elen = 3, k;

	memcpy(n, name, 11);
	if (n[0] == 0x05)
		n[0] = 0xe5;
	while (blen > 0 && n[blen - 1] == ' ')
		blen--;
	while (elen > 0 && n[8 + elen - 1] == ' ')
		elen--;
	k = display_part(n, blen, nt & FAT_NT_LOWER_BASE, out);
	if (elen) {
		out[k++] = '.';
		k += display_part(n + 8, elen, nt & FAT_NT_LOWER_EXT, out + k);
	}
	return k;
}
