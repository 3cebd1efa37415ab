/*
 * part.c - MBR and GPT partition tables (part.h).
 *
 * Fields are read a byte at a time, little-endian, from blocks read into
 * the caller's scratch; every offset is checked against the block size or
 * the disk size before it is used.
 */
#include <string.h>

#include "part.h"

#define MBR_SIG_OFF 510
#define MBR_ENTRIES 446
#define MBR_GPT_TYPE 0xee

#define GPT_HDR_MIN 92u
#define GPT_ENTRY_MIN 128u

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

uint32_t part_crc32(uint32_t crc, const void *p, size_t n)
{
	static const uint32_t nibble[16] = {
		0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4,
		0x4db26158, 0x5005713c, 0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
		0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
	};
	const uint8_t *b = p;

	crc = ~crc;
	for (size_t i = 0; i < n; i++) {
		crc ^= b[i];
		crc = (crc >> 4) ^ nibble[crc & 15];
		crc = (crc >> 4) ^ nibble[crc & 15];
	}
	return ~crc;
}

const char *part_problem_name(enum part_problem p)
{
	switch (p) {
	case PART_OK:
		return "ok";
	case PART_OUT_OF_DISK:
		return "out of disk";
	case PART_OVERLAP:
		return "overlap";
	case PART_EMPTY:
		return "empty";
	}
	return "?";
}

static struct part_entry *add_entry(struct part_table *t)
{
	struct part_entry *e;

	if (t->count >= PART_MAX) {
		t->dropped++;
		return NULL;
	}
	e = &t->parts[t->count++];
	memset(e, 0, sizeof *e);
	return e;
}

/* Marks every pair of otherwise good entries that share blocks. */
static void mark_overlaps(struct part_table *t)
{
	for (uint32_t i = 0; i < t->count; i++) {
		struct part_entry *a = &t->parts[i];

		for (uint32_t j = i + 1; j < t->count; j++) {
			struct part_entry *b = &t->parts[j];

			if ((a->problem && a->problem != PART_OVERLAP) ||
			    (b->problem && b->problem != PART_OVERLAP))
				continue;
			if (a->start < b->start + b->count && b->start < a->start + a->count)
				a->problem = b->problem = PART_OVERLAP;
		}
	}
	t->usable = 0;
	for (uint32_t i = 0; i < t->count; i++)
		if (t->parts[i].problem == PART_OK)
			t->usable++;
}

/* ---- MBR ------------------------------------------------------------------ */

static bool is_extended(uint8_t type)
{
	return type == 0x05 || type == 0x0f || type == 0x85;
}

/* True when the four entries look like a partition table. */
static bool mbr_plausible(const uint8_t *mbr)
{
	for (int i = 0; i < 4; i++) {
		const uint8_t *e = mbr + MBR_ENTRIES + 16 * i;

		if (e[4] && e[0] != 0x00 && e[0] != 0x80)
			return false;
	}
	return true;
}

static void mbr_entries(const uint8_t *mbr, uint64_t blocks, struct part_table *t)
{
	for (uint32_t i = 0; i < 4; i++) {
		const uint8_t *e = mbr + MBR_ENTRIES + 16 * i;
		struct part_entry *p;

		if (!e[4])
			continue;
		if (is_extended(e[4])) {
			t->extended_skipped++;
			continue;
		}
		if (!(p = add_entry(t)))
			continue;
		p->index = i + 1;
		p->mbr_type = e[4];
		p->start = le32(e + 8);
		p->count = le32(e + 12);
		if (!p->count)
			p->problem = PART_EMPTY;
		else if (p->start == 0 || p->start + p->count > blocks)
			p->problem = PART_OUT_OF_DISK;
	}
}

static bool mbr_has_gpt(const uint8_t *mbr)
{
	for (int i = 0; i < 4; i++)
		if (mbr[MBR_ENTRIES + 16 * i + 4] == MBR_GPT_TYPE)
			return true;
	return false;
}

/* ---- GPT ------------------------------------------------------------------ */

struct gpt_hdr {
	uint64_t lba, first, last, entries_lba, entry_blocks;
	uint32_t num, esize, ecrc;
	uint8_t disk_guid[16];
};

static bool pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

static bool header_crc_ok(const uint8_t *b, uint32_t hsize)
{
	static const uint8_t zero[4];
	uint32_t crc = part_crc32(0, b, 16);

	crc = part_crc32(crc, zero, 4);
	crc = part_crc32(crc, b + 20, hsize - 20);
	return crc == le32(b + 16);
}

/* Checks the header's areas against each other and the disk. */
static bool header_bounds_ok(const struct gpt_hdr *h, uint64_t blocks, uint32_t bs)
{
	uint64_t bytes = (uint64_t)h->num * h->esize;
	uint64_t e0 = h->entries_lba, e1;

	if (h->first > h->last || h->last >= blocks || h->first == 0)
		return false;
	if (h->lba >= h->first && h->lba <= h->last)
		return false;
	if (e0 == 0 || e0 >= blocks || (bytes + bs - 1) / bs > blocks - e0)
		return false;
	e1 = e0 + (bytes + bs - 1) / bs; /* exclusive */
	if (e0 <= h->last && h->first < e1)
		return false;
	return !(h->lba >= e0 && h->lba < e1);
}

static status_t gpt_header(const struct part_reader *r, uint8_t *b, uint64_t lba, struct gpt_hdr *h)
{
	uint32_t hsize;
	status_t st = r->read(r->ctx, lba, b);

	if (st)
		return st;
	hsize = le32(b + 12);
	if (memcmp(b, "EFI PART", 8) != 0 || le32(b + 8) >> 16 != 1 || hsize < GPT_HDR_MIN ||
	    hsize > r->block_size || !header_crc_ok(b, hsize) || le64(b + 24) != lba)
		return STATUS_BAD_FORMAT;
	h->lba = lba;
	h->first = le64(b + 40);
	h->last = le64(b + 48);
	memcpy(h->disk_guid, b + 56, 16);
	h->entries_lba = le64(b + 72);
	h->num = le32(b + 80);
	h->esize = le32(b + 84);
	h->ecrc = le32(b + 88);
	if (h->num > PART_GPT_MAX_ENTRIES || h->esize < GPT_ENTRY_MIN || !pow2(h->esize) ||
	    h->esize > r->block_size || !header_bounds_ok(h, r->blocks, r->block_size))
		return STATUS_BAD_FORMAT;
	h->entry_blocks = ((uint64_t)h->num * h->esize + r->block_size - 1) / r->block_size;
	return STATUS_OK;
}

/* Bytes of the entry array in block k of it. */
static uint32_t entry_bytes_in(const struct gpt_hdr *h, uint64_t k, uint32_t bs)
{
	uint64_t total = (uint64_t)h->num * h->esize, done = k * bs;

	return total - done < bs ? (uint32_t)(total - done) : bs;
}

static status_t gpt_entries_crc(const struct part_reader *r, uint8_t *b, const struct gpt_hdr *h)
{
	uint32_t crc = 0;

	for (uint64_t k = 0; k < h->entry_blocks; k++) {
		status_t st = r->read(r->ctx, h->entries_lba + k, b);

		if (st)
			return st;
		crc = part_crc32(crc, b, entry_bytes_in(h, k, r->block_size));
	}
	return crc == h->ecrc ? STATUS_OK : STATUS_BAD_FORMAT;
}

static size_t put_utf8(char *o, uint32_t c)
{
	if (c < 0x80) {
		o[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (char)(0xc0 | c >> 6);
		o[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (char)(0xe0 | c >> 12);
		o[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		o[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | c >> 18);
	o[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	o[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/* The 36 UTF-16LE units at u as UTF-8 in out (PART_NAME_MAX bytes);
 * unpaired surrogates become U+FFFD. */
static void name_utf8(const uint8_t *u, char *out)
{
	size_t o = 0;

	for (unsigned i = 0; i < 36; i++) {
		uint32_t c = le16(u + 2 * i), lo;

		if (!c)
			break;
		if (c >= 0xd800 && c < 0xdc00 && i + 1 < 36 &&
		    (lo = le16(u + 2 * i + 2)) >= 0xdc00 && lo < 0xe000) {
			c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
			i++;
		} else if (c >= 0xd800 && c < 0xe000) {
			c = 0xfffd;
		}
		o += put_utf8(out + o, c);
	}
	out[o] = 0;
}

static void gpt_entry(const uint8_t *e, uint32_t index, const struct gpt_hdr *h,
		      struct part_table *t)
{
	static const uint8_t unused[16];
	uint64_t first = le64(e + 32), last = le64(e + 40);
	struct part_entry *p;

	if (!memcmp(e, unused, 16) || !(p = add_entry(t)))
		return;
	p->index = index;
	memcpy(p->type_guid, e, 16);
	memcpy(p->guid, e + 16, 16);
	p->attributes = le64(e + 48);
	name_utf8(e + 56, p->name);
	p->start = first;
	p->count = last >= first ? last - first + 1 : 0;
	if (last < first)
		p->problem = PART_EMPTY;
	else if (first < h->first || last > h->last)
		p->problem = PART_OUT_OF_DISK;
}

static status_t gpt_parse_entries(const struct part_reader *r, uint8_t *b, const struct gpt_hdr *h,
				  struct part_table *t)
{
	uint32_t per_block = r->block_size / h->esize, index = 0;

	for (uint64_t k = 0; k < h->entry_blocks; k++) {
		status_t st = r->read(r->ctx, h->entries_lba + k, b);

		if (st)
			return st;
		for (uint32_t i = 0; i < per_block && index < h->num; i++)
			gpt_entry(b + (size_t)i * h->esize, ++index, h, t);
	}
	return STATUS_OK;
}

static status_t gpt_try(const struct part_reader *r, uint8_t *b, uint64_t lba, struct part_table *t)
{
	struct gpt_hdr h;
	status_t st;

	if ((st = gpt_header(r, b, lba, &h)) || (st = gpt_entries_crc(r, b, &h)))
		return st;
	t->count = t->dropped = 0;
	memcpy(t->disk_guid, h.disk_guid, 16);
	return gpt_parse_entries(r, b, &h, t);
}

static status_t gpt_scan(const struct part_reader *r, uint8_t *b, struct part_table *t)
{
	status_t st = gpt_try(r, b, 1, t);

	t->scheme = PART_SCHEME_GPT;
	if (st == STATUS_BAD_FORMAT) {
		st = gpt_try(r, b, r->blocks - 1, t);
		t->used_backup = st == STATUS_OK;
	}
	return st;
}

/* ---- the scan ------------------------------------------------------------- */

status_t part_scan(const struct part_reader *r, void *scratch, size_t scratch_len,
		   struct part_table *out)
{
	uint8_t *b = scratch;
	status_t st;

	memset(out, 0, sizeof *out);
	if (r->block_size < 512 || r->block_size > PART_MAX_BLOCK || !pow2(r->block_size) ||
	    r->blocks < 2 || scratch_len < 2u * r->block_size)
		return STATUS_INVALID;
	if ((st = r->read(r->ctx, 0, b)))
		return st;
	if (b[MBR_SIG_OFF] != 0x55 || b[MBR_SIG_OFF + 1] != 0xaa || !mbr_plausible(b))
		return STATUS_NOT_FOUND;
	if (mbr_has_gpt(b)) {
		st = gpt_scan(r, b + r->block_size, out);
		if (st) {
			out->count = 0;
			return st;
		}
	} else {
		out->scheme = PART_SCHEME_MBR;
		mbr_entries(b, r->blocks, out);
	}
	mark_overlaps(out);
	return STATUS_OK;
}
