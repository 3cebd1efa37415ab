/*
 * test_part.c - MBR and GPT parsing over images partitioned by sfdisk at
 * test time (host tool: sfdisk, from fdisk), over GPTs this test builds
 * itself (4 KiB blocks, overlaps, entries outside the usable area, odd
 * names), and over damaged tables.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "part.h"

#define IMG_BYTES (8u << 20)

static uint8_t *img;
static size_t img_len;
static uint8_t scratch[2 * PART_MAX_BLOCK];
static struct part_table table;

struct mem_disk {
	const uint8_t *p;
	uint32_t bs;
	uint64_t fail_lba; /* reads of this block fail; UINT64_MAX: none */
};

static status_t mem_read(void *ctx, uint64_t lba, void *buf)
{
	struct mem_disk *d = ctx;

	if (lba == d->fail_lba)
		return STATUS_BAD_ADDRESS;
	memcpy(buf, d->p + lba * d->bs, d->bs);
	return STATUS_OK;
}

static status_t scan_as(uint32_t bs, uint64_t blocks)
{
	struct mem_disk d = { img, bs, UINT64_MAX };
	struct part_reader r = { mem_read, &d, bs, blocks };

	return part_scan(&r, scratch, sizeof scratch, &table);
}

static status_t scan(void)
{
	return scan_as(512, img_len / 512);
}

/* Partitions a fresh zeroed image with sfdisk and loads it into img. */
static void sfdisk(const char *script)
{
	char path[] = "/tmp/keel-part-XXXXXX", cmd[256];
	int fd = mkstemp(path);
	FILE *f;

	CHECK(fd >= 0);
	CHECK(ftruncate(fd, IMG_BYTES) == 0);
	close(fd);
	snprintf(cmd, sizeof cmd, "sfdisk -q --no-reread --no-tell-kernel %s >/dev/null 2>&1",
		 path);
	f = popen(cmd, "w");
	CHECK(f != NULL);
	fputs(script, f);
	CHECK_EQ(pclose(f), 0);
	f = fopen(path, "rb");
	CHECK(f != NULL);
	img_len = fread(img, 1, IMG_BYTES, f);
	fclose(f);
	unlink(path);
	CHECK_EQ(img_len, IMG_BYTES);
}

static const struct part_entry *part(uint32_t index)
{
	for (uint32_t i = 0; i < table.count; i++)
		if (table.parts[i].index == index)
			return &table.parts[i];
	CHECK_FAIL("no partition %u", index);
	return NULL;
}

TEST(crc32_is_the_ieee_one)
{
	CHECK_EQ(part_crc32(0, "123456789", 9), 0xcbf43926u);
	CHECK_EQ(part_crc32(part_crc32(0, "1234", 4), "56789", 5), 0xcbf43926u);
	CHECK_EQ(part_crc32(0, "", 0), 0);
}

TEST(dos_table_from_sfdisk_gives_its_primaries)
{
	sfdisk("label: dos\nstart=2048, size=4096, type=83\n"
	       "start=6144, size=2048, type=c, bootable\nstart=10240, size=4096, type=82\n");
	CHECK_EQ(scan(), STATUS_OK);
	CHECK_EQ(table.scheme, PART_SCHEME_MBR);
	CHECK_EQ(table.count, 3);
	CHECK_EQ(table.usable, 3);
	CHECK_EQ(part(1)->start, 2048);
	CHECK_EQ(part(1)->count, 4096);
	CHECK_EQ(part(1)->mbr_type, 0x83);
	CHECK_EQ(part(2)->mbr_type, 0x0c);
	CHECK_EQ(part(2)->start, 6144);
	CHECK_EQ(part(3)->mbr_type, 0x82);
	CHECK_EQ(part(3)->count, 4096);
}

TEST(dos_extended_partition_is_skipped_not_followed)
{
	sfdisk("label: dos\nstart=2048, size=2048, type=83\nstart=4096, size=8192, type=5\n"
	       "start=6144, size=2048, type=83\n");
	CHECK_EQ(scan(), STATUS_OK);
	CHECK_EQ(table.count, 1);
	CHECK_EQ(table.extended_skipped, 1);
	CHECK_EQ(part(1)->start, 2048);
}

TEST(dos_entries_past_the_disk_or_over_the_mbr_are_refused)
{
	sfdisk("label: dos\nstart=2048, size=4096, type=83\nstart=8192, size=4096, type=83\n");
	CHECK_EQ(scan_as(512, 8192), STATUS_OK); /* a disk cut to 4 MiB */
	CHECK_EQ(part(1)->problem, PART_OK);
	CHECK_EQ(part(2)->problem, PART_OUT_OF_DISK);
	CHECK_EQ(table.usable, 1);
	memset(img + 446 + 8, 0, 4); /* first entry starts at 0 */
	CHECK_EQ(scan(), STATUS_OK);
	CHECK_EQ(part(1)->problem, PART_OUT_OF_DISK);
	memset(img + 446 + 12, 0, 4); /* and has no blocks */
	CHECK_EQ(scan(), STATUS_OK);
	CHECK_EQ(part(1)->problem, PART_EMPTY);
	CHECK_STR(part_problem_name(PART_EMPTY), "empty");
}

TEST(dos_overlapping_entries_are_both_refused)
{
	sfdisk("label: dos\nstart=2048, size=4096, type=83\nstart=8192, size=4096, type=83\n"
	       "start=12288, size=2048, type=83\n");
	img[446 + 16 + 8] = 0x00;
	img[446 + 16 + 9] = 0x10; /* second starts at 4096 */
	img[446 + 16 + 10] = 0;
	CHECK_EQ(scan(), STATUS_OK);
	CHECK_EQ(part(1)->problem, PART_OVERLAP);
	CHECK_EQ(part(2)->problem, PART_OVERLAP);
	CHECK_EQ(part(3)->problem, PART_OK);
	CHECK_EQ(table.usable, 1);
	CHECK_STR(part_problem_name(PART_OVERLAP), "overlap");
}

TEST(no_signature_or_a_boot_sector_is_no_table)
{
	sfdisk("label: dos\nstart=2048, size=4096, type=83\n");
	img[446] = 0x12; /* boot flag neither 0 nor 0x80 */
	CHECK_EQ(scan(), STATUS_NOT_FOUND);
	img[446] = 0;
	img[511] = 0;
	CHECK_EQ(scan(), STATUS_NOT_FOUND);
	memset(img, 0, 1024);
	CHECK_EQ(scan(), STATUS_NOT_FOUND);
}

static const char *gpt_script =
	"label: gpt\n"
	"label-id: 01234567-89AB-CDEF-0123-456789ABCDEF\n"
	"start=2048, size=4096, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, "
	"uuid=11111111-2222-3333-4444-555555555555, name=\"Donn\xc3\xa9"
	"es\"\n"
	"start=8192, size=2048, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name=\"esp\"\n";

static void check_gpt_parts(void)
{
	static const uint8_t linux_fs[16] = { 0xaf, 0x3d, 0xc6, 0x0f, 0x83, 0x84, 0x72, 0x47,
					      0x8e, 0x79, 0x3d, 0x69, 0xd8, 0x47, 0x7d, 0xe4 };
	static const uint8_t uuid1[16] = { 0x11, 0x11, 0x11, 0x11, 0x22, 0x22, 0x33, 0x33,
					   0x44, 0x44, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55 };

	CHECK_EQ(table.scheme, PART_SCHEME_GPT);
	CHECK_EQ(table.count, 2);
	CHECK_EQ(table.usable, 2);
	CHECK_EQ(part(1)->start, 2048);
	CHECK_EQ(part(1)->count, 4096);
	CHECK(memcmp(part(1)->type_guid, linux_fs, 16) == 0);
	CHECK(memcmp(part(1)->guid, uuid1, 16) == 0);
	CHECK_STR(part(1)->name, "Donn\xc3\xa9"
				 "es");
	CHECK_EQ(part(2)->start, 8192);
	CHECK_EQ(part(2)->count, 2048);
	CHECK_STR(part(2)->name, "esp");
	CHECK_EQ(table.disk_guid[0], 0x67); /* 01234567 stored little-endian */
	CHECK_EQ(part(1)->mbr_type, 0);
}

TEST(gpt_from_sfdisk_gives_guids_names_and_ranges)
{
	sfdisk(gpt_script);
	CHECK_EQ(scan(), STATUS_OK);
	check_gpt_parts();
	CHECK(!table.used_backup);
}

TEST(gpt_with_a_bad_primary_header_uses_the_backup)
{
	sfdisk(gpt_script);
	img[512 + 40] ^= 1; /* first usable LBA; CRC now wrong */
	CHECK_EQ(scan(), STATUS_OK);
	CHECK(table.used_backup);
	check_gpt_parts();
}

TEST(gpt_with_bad_primary_entries_uses_the_backup)
{
	sfdisk(gpt_script);
	img[1024 + 56] ^= 0x20; /* a letter of the first name */
	CHECK_EQ(scan(), STATUS_OK);
	CHECK(table.used_backup);
	check_gpt_parts();
}

TEST(gpt_with_a_bad_backup_still_uses_the_primary)
{
	sfdisk(gpt_script);
	img[img_len - 512 + 3] ^= 1;
	CHECK_EQ(scan(), STATUS_OK);
	CHECK(!table.used_backup);
	check_gpt_parts();
}

TEST(gpt_with_both_headers_bad_is_refused)
{
	sfdisk(gpt_script);
	img[512 + 3] ^= 1;
	img[img_len - 512 + 3] ^= 1;
	CHECK_EQ(scan(), STATUS_BAD_FORMAT);
	CHECK_EQ(table.count, 0);
	sfdisk(gpt_script);
	img[1024] ^= 1;               /* primary entries */
	img[img_len - 512 * 33] ^= 1; /* backup entries */
	CHECK_EQ(scan(), STATUS_BAD_FORMAT);
}

TEST(gpt_on_a_smaller_disk_than_its_header_says_is_refused)
{
	sfdisk(gpt_script);
	/* The primary's last usable block lies beyond a 4 MiB disk, and the
	 * backup is not in that disk's last block. */
	CHECK_EQ(scan_as(512, 8192), STATUS_BAD_FORMAT);
}

TEST(read_errors_are_passed_on)
{
	struct mem_disk d = { NULL, 512, 1 };
	struct part_reader r = { mem_read, &d, 512, 0 };

	sfdisk(gpt_script);
	d.p = img;
	r.blocks = img_len / 512;
	CHECK_EQ(part_scan(&r, scratch, sizeof scratch, &table), STATUS_BAD_ADDRESS);
	d.fail_lba = 0;
	CHECK_EQ(part_scan(&r, scratch, sizeof scratch, &table), STATUS_BAD_ADDRESS);
}

TEST(bad_reader_parameters_are_refused)
{
	sfdisk(gpt_script);
	CHECK_EQ(scan_as(1000, 100), STATUS_INVALID);
	CHECK_EQ(scan_as(256, 100), STATUS_INVALID);
	CHECK_EQ(scan_as(8192, 100), STATUS_INVALID);
	CHECK_EQ(scan_as(512, 1), STATUS_INVALID);
	{
		struct mem_disk d = { img, 512, UINT64_MAX };
		struct part_reader r = { mem_read, &d, 512, 100 };

		CHECK_EQ(part_scan(&r, scratch, 1023, &table), STATUS_INVALID);
	}
}

/* ---- GPTs built here ------------------------------------------------------ */

struct gpt_part {
	uint64_t first, last;
	const uint16_t *name; /* UTF-16 units, 0-terminated, or NULL */
};

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/* Writes one GPT header at block lba describing entries at elba. */
static void gpt_header(uint32_t bs, uint64_t blocks, uint64_t lba, uint64_t alt, uint64_t elba,
		       uint32_t ecrc, uint32_t num)
{
	uint8_t *h = img + lba * bs;
	uint64_t eblocks = (128ull * 128 + bs - 1) / bs;

	memset(h, 0, bs);
	memcpy(h, "EFI PART", 8);
	put32(h + 8, 0x00010000);
	put32(h + 12, 92);
	put64(h + 24, lba);
	put64(h + 32, alt);
	put64(h + 40, 2 + eblocks);
	put64(h + 48, blocks - 2 - eblocks);
	memset(h + 56, 0xab, 16);
	put64(h + 72, elba);
	put32(h + 80, num);
	put32(h + 84, 128);
	put32(h + 88, ecrc);
	put32(h + 16, part_crc32(0, h, 92));
}

/* A protective MBR and both GPT copies on a disk of blocks blocks of bs. */
static void gpt_build(uint32_t bs, uint64_t blocks, const struct gpt_part *p, unsigned n)
{
	uint64_t eblocks = (128ull * 128 + bs - 1) / bs;
	uint8_t *e = img + 2 * bs;
	uint32_t crc;

	img_len = bs * blocks;
	memset(img, 0, img_len);
	img[446 + 4] = 0xee;
	put32(img + 446 + 8, 1);
	put32(img + 446 + 12, (uint32_t)(blocks - 1));
	img[510] = 0x55;
	img[511] = 0xaa;
	for (unsigned i = 0; i < n; i++) {
		uint8_t *x = e + 128 * i;

		memset(x, 0x11, 16);      /* type */
		x[16] = (uint8_t)(i + 1); /* unique id */
		put64(x + 32, p[i].first);
		put64(x + 40, p[i].last);
		for (unsigned k = 0; p[i].name && k < 36 && p[i].name[k]; k++) {
			x[56 + 2 * k] = (uint8_t)p[i].name[k];
			x[57 + 2 * k] = (uint8_t)(p[i].name[k] >> 8);
		}
	}
	crc = part_crc32(0, e, 128 * 128);
	memcpy(img + (blocks - 1 - eblocks) * bs, e, 128 * 128);
	gpt_header(bs, blocks, 1, blocks - 1, 2, crc, 128);
	gpt_header(bs, blocks, blocks - 1, 1, blocks - 1 - eblocks, crc, 128);
}

TEST(gpt_with_4k_blocks)
{
	const struct gpt_part p[] = { { 256, 511, NULL }, { 512, 1023, NULL } };

	gpt_build(4096, 2048, p, 2);
	CHECK_EQ(scan_as(4096, 2048), STATUS_OK);
	CHECK_EQ(table.count, 2);
	CHECK_EQ(part(1)->start, 256);
	CHECK_EQ(part(1)->count, 256);
	CHECK_EQ(part(2)->count, 512);
	CHECK_EQ(table.usable, 2);
	CHECK_EQ(scan_as(512, 2048 * 8), STATUS_BAD_FORMAT); /* read as 512: no header */
}

TEST(gpt_entries_overlapping_or_outside_the_usable_area_are_refused)
{
	const struct gpt_part p[] = {
		{ 100, 199, NULL },     { 150, 249, NULL }, /* overlaps the first */
		{ 300, 399, NULL },     { 10, 20, NULL },   /* in the primary entry array */
		{ 16000, 16383, NULL },                     /* past the last usable block */
		{ 500, 499, NULL },                         /* ends before it starts */
	};

	gpt_build(512, 16384, p, 6);
	CHECK_EQ(scan(), STATUS_OK);
	CHECK_EQ(table.count, 6);
	CHECK_EQ(part(1)->problem, PART_OVERLAP);
	CHECK_EQ(part(2)->problem, PART_OVERLAP);
	CHECK_EQ(part(3)->problem, PART_OK);
	CHECK_EQ(part(4)->problem, PART_OUT_OF_DISK);
	CHECK_EQ(part(5)->problem, PART_OUT_OF_DISK);
	CHECK_EQ(part(6)->problem, PART_EMPTY);
	CHECK_EQ(table.usable, 1);
}

TEST(gpt_names_decode_surrogates_and_replace_broken_ones)
{
	const uint16_t pair[] = { 'x', 0xd83d, 0xde00, 'y', 0 }; /* U+1F600 */
	const uint16_t lone[] = { 0xdc00, 'a', 0xd800, 0 };
	const uint16_t full[36] = { 0x20ac, 0x20ac, 0x20ac, 0x20ac, 0x20ac, 0x20ac, 0x20ac, 0x20ac,
				    0x20ac, 0x20ac, 0x20ac, 0x20ac, 0x20ac, 0x20ac, 0x20ac, 0x20ac,
				    0x20ac, 0x20ac, 0x20ac, 0x20ac, 0x20ac, 0x20ac, 0x20ac, 0x20ac,
				    0x20ac, 0x20ac, 0x20ac, 0x20ac, 0x20ac, 0x20ac, 0x20ac, 0x20ac,
				    0x20ac, 0x20ac, 0x20ac, 0xd800 };
	const struct gpt_part p[] = {
		{ 100, 199, pair },
		{ 200, 299, lone },
		{ 300, 399, full },
	};

	gpt_build(512, 16384, p, 3);
	CHECK_EQ(scan(), STATUS_OK);
	CHECK_STR(part(1)->name, "x\xf0\x9f\x98\x80y");
	CHECK_STR(part(2)->name, "\xef\xbf\xbd"
				 "a\xef\xbf\xbd");
	CHECK_EQ(strlen(part(3)->name), 36 * 3);
}

TEST(gpt_header_with_impossible_entry_counts_falls_back)
{
	const struct gpt_part p[] = { { 100, 199, NULL } };
	uint8_t *h = img + 512;

	gpt_build(512, 16384, p, 1);
	put32(h + 80, PART_GPT_MAX_ENTRIES + 1);
	put32(h + 16, 0);
	put32(h + 16, part_crc32(0, h, 92));
	CHECK_EQ(scan(), STATUS_OK);
	CHECK(table.used_backup);
	put32(h + 80, 128);
	put32(h + 84, 96); /* entry size not 128 * 2^n */
	put32(h + 16, 0);
	put32(h + 16, part_crc32(0, h, 92));
	CHECK_EQ(scan(), STATUS_OK);
	CHECK(table.used_backup);
	CHECK_EQ(table.count, 1);
}

TEST(hybrid_mbr_with_a_protective_entry_is_read_as_gpt)
{
	const struct gpt_part p[] = { { 100, 199, NULL } };

	gpt_build(512, 16384, p, 1);
	img[446 + 16 + 4] = 0x0c; /* a FAT entry beside 0xee */
	put32(img + 446 + 16 + 8, 100);
	put32(img + 446 + 16 + 12, 100);
	CHECK_EQ(scan(), STATUS_OK);
	CHECK_EQ(table.scheme, PART_SCHEME_GPT);
	CHECK_EQ(table.count, 1);
}

int main(void)
{
	img = calloc(1, IMG_BYTES);
	if (!img)
		return 1;
	RUN(crc32_is_the_ieee_one);
	RUN(dos_table_from_sfdisk_gives_its_primaries);
	RUN(dos_extended_partition_is_skipped_not_followed);
	RUN(dos_entries_past_the_disk_or_over_the_mbr_are_refused);
	RUN(dos_overlapping_entries_are_both_refused);
	RUN(no_signature_or_a_boot_sector_is_no_table);
	RUN(gpt_from_sfdisk_gives_guids_names_and_ranges);
	RUN(gpt_with_a_bad_primary_header_uses_the_backup);
	RUN(gpt_with_bad_primary_entries_uses_the_backup);
	RUN(gpt_with_a_bad_backup_still_uses_the_primary);
	RUN(gpt_with_both_headers_bad_is_refused);
	RUN(gpt_on_a_smaller_disk_than_its_header_says_is_refused);
	RUN(read_errors_are_passed_on);
	RUN(bad_reader_parameters_are_refused);
	RUN(gpt_with_4k_blocks);
	RUN(gpt_entries_overlapping_or_outside_the_usable_area_are_refused);
	RUN(gpt_names_decode_surrogates_and_replace_broken_ones);
	RUN(gpt_header_with_impossible_entry_counts_falls_back);
	RUN(hybrid_mbr_with_a_protective_entry_is_read_as_gpt);
	free(img);
	return check_summary();
}
