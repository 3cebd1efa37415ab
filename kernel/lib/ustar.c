/* ustar.c - bounds-checked reader for POSIX ustar archives (see ustar.h). */
#include "lib/ustar.h"
#include <string.h>

/* Header field offsets and widths, as POSIX.1-1988 lays them out. */
enum {
	H_NAME = 0,
	H_NAME_LEN = 100,
	H_SIZE = 124,
	H_SIZE_LEN = 12,
	H_CHKSUM = 148,
	H_CHKSUM_LEN = 8,
	H_TYPE = 156,
	H_MAGIC = 257,
	H_MAGIC_LEN = 8, /* "ustar\0" and version "00" */
	H_PREFIX = 345,
	H_PREFIX_LEN = 155,
};

_Static_assert(USTAR_NAME_MAX == H_PREFIX_LEN + 1 + H_NAME_LEN + 1,
	       "entry name buffer must hold prefix, slash, name and NUL");

static bool is_zero_block(const uint8_t *b)
{
	for (size_t i = 0; i < USTAR_BLOCK; i++)
		if (b[i])
			return false;
	return true;
}

/*
 * Parses an octal number field of n bytes: optional leading spaces, at
 * least one digit, then only NULs and spaces to the end of the field.
 * Returns false for anything else, including GNU's base-256 encoding.
 */
static bool parse_octal(const uint8_t *f, size_t n, uint64_t *out)
{
	size_t i = 0, first;
	uint64_t v = 0;

	while (i < n && f[i] == ' ')
		i++;
	for (first = i; i < n && f[i] >= '0' && f[i] <= '7'; i++) {
		if (v > UINT64_MAX >> 3)
			return false;
		v = v << 3 | (uint64_t)(f[i] - '0');
	}
	if (i == first)
		return false;
	for (; i < n; i++)
		if (f[i] != '\0' && f[i] != ' ')
			return false;
	*out = v;
	return true;
}

/* The 8 bytes at p as one little-endian word (any alignment). */
static uint64_t load64(const uint8_t *p)
{
	uint64_t w;
	__builtin_memcpy(&w, p, sizeof w);
	return w;
}

/* Adds the four 16-bit lanes of x. */
static uint32_t lanes16_sum(uint64_t x)
{
	return (uint32_t)((x & 0xffff) + (x >> 16 & 0xffff) + (x >> 32 & 0xffff) + (x >> 48));
}

/*
 * Checks the header checksum: the sum of all 512 bytes with the checksum
 * field counted as spaces. Old tars summed signed chars, so that sum is
 * accepted too: it is the unsigned sum less 256 for every byte of 128 or
 * more, counted only when the unsigned sum does not match. The bytes are
 * summed a word at a time (every header of the boot bundle is checked at
 * each boot), in 16-bit lanes: at most 64 words of 2 x 255 per lane, so
 * no carry crosses a lane; the top bits likewise in byte lanes (at most
 * 64 per lane).
 */
static bool checksum_ok(const uint8_t *h)
{
	const uint64_t bytes = 0x00ff00ff00ff00ffull, tops = 0x0101010101010101ull;
	uint64_t want, sum16 = 0, top8 = 0;

	if (!parse_octal(h + H_CHKSUM, H_CHKSUM_LEN, &want))
		return false;
	for (size_t i = 0; i < USTAR_BLOCK; i += 8) {
		uint64_t w = load64(h + i);
		sum16 += (w & bytes) + (w >> 8 & bytes);
	}
	/* The checksum field counts as eight spaces. */
	uint32_t usum = lanes16_sum(sum16);
	for (size_t i = H_CHKSUM; i < H_CHKSUM + H_CHKSUM_LEN; i++)
		usum += (uint32_t)' ' - h[i];
	if (want == usum)
		return true;
	for (size_t i = 0; i < USTAR_BLOCK; i += 8)
		top8 += load64(h + i) >> 7 & tops;
	uint32_t high = lanes16_sum((top8 & bytes) + (top8 >> 8 & bytes));
	for (size_t i = H_CHKSUM; i < H_CHKSUM + H_CHKSUM_LEN; i++)
		high -= h[i] >> 7;
	int32_t ssum = (int32_t)usum - 256 * (int32_t)high;
	return ssum >= 0 && want == (uint64_t)ssum;
}

/* Returns the length of the string in a field of n bytes. As POSIX allows,
 * a string that fills its field has no NUL; it ends with the field. */
static size_t field_len(const uint8_t *f, size_t n)
{
	size_t i = 0;

	while (i < n && f[i])
		i++;
	return i;
}

/* Checks header h and fills out's name and type and *size. */
static status_t decode_header(const uint8_t *h, struct ustar_entry *out, uint64_t *size)
{
	if (memcmp(h + H_MAGIC,
		   "ustar\0"
		   "00",
		   H_MAGIC_LEN) != 0 ||
	    !checksum_ok(h) || !parse_octal(h + H_SIZE, H_SIZE_LEN, size))
		return STATUS_BAD_FORMAT;
	size_t plen = field_len(h + H_PREFIX, H_PREFIX_LEN);
	size_t nlen = field_len(h + H_NAME, H_NAME_LEN);
	if (nlen == 0)
		return STATUS_BAD_FORMAT;

	char *p = out->name;
	if (plen) {
		memcpy(p, h + H_PREFIX, plen);
		p[plen] = '/';
		p += plen + 1;
	}
	memcpy(p, h + H_NAME, nlen);
	p[nlen] = '\0';
	out->type = (char)h[H_TYPE];
	return STATUS_OK;
}

/* Decides what a zero block at h, with left bytes from h on, means. */
static status_t zero_block(const uint8_t *h, size_t left)
{
	/* A lone zero block with no complete block after it also ends the
	 * archive; a zero block followed by a member is ambiguous. */
	if (left - USTAR_BLOCK < USTAR_BLOCK || is_zero_block(h + USTAR_BLOCK))
		return STATUS_NOT_FOUND;
	return STATUS_BAD_FORMAT;
}

/* Decodes the member at it->off and moves it->off past its data. */
static status_t next_member(struct ustar_iter *it, struct ustar_entry *out)
{
	size_t left = it->len - it->off;
	uint64_t size;

	if (left == 0)
		return STATUS_NOT_FOUND;
	if (left < USTAR_BLOCK)
		return STATUS_BAD_FORMAT;
	const uint8_t *h = it->base + it->off;
	if (is_zero_block(h))
		return zero_block(h, left);
	status_t st = decode_header(h, out, &size);
	if (st)
		return st;

	/* Data and its padding to a whole block must follow within len. */
	left -= USTAR_BLOCK;
	size_t pad = (USTAR_BLOCK - size % USTAR_BLOCK) % USTAR_BLOCK;
	if (size > left || pad > left - size)
		return STATUS_BAD_FORMAT;
	out->data = h + USTAR_BLOCK;
	out->size = (size_t)size;
	it->off += USTAR_BLOCK + (size_t)size + pad;
	return STATUS_OK;
}

void ustar_iter_init(struct ustar_iter *it, const void *archive, size_t len)
{
	it->base = archive;
	it->len = len;
	it->off = 0;
	it->status = !archive && len ? STATUS_INVALID : STATUS_OK;
}

status_t ustar_next(struct ustar_iter *it, struct ustar_entry *out)
{
	if (it->status == STATUS_OK)
		it->status = next_member(it, out);
	return it->status;
}

static bool is_regular(char type)
{
	return type == USTAR_REGULAR || type == USTAR_REGULAR_OLD;
}

status_t ustar_find(const void *archive, size_t len, const char *name, const void **data,
		    size_t *size)
{
	struct ustar_iter it;
	struct ustar_entry e;
	const void *found_data = NULL;
	size_t found_size = 0;
	bool found = false, twice = false;
	status_t st;

	*data = NULL;
	*size = 0;
	if (!name)
		return STATUS_INVALID;
	ustar_iter_init(&it, archive, len);
	while ((st = ustar_next(&it, &e)) == STATUS_OK) {
		if (!is_regular(e.type) || strcmp(e.name, name) != 0)
			continue;
		twice |= found;
		found = true;
		found_data = e.data;
		found_size = e.size;
	}
	if (st != STATUS_NOT_FOUND)
		return st;
	if (!found || twice)
		return found ? STATUS_EXISTS : STATUS_NOT_FOUND;
	*data = found_data;
	*size = found_size;
	return STATUS_OK;
}
