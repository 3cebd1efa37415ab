/*
 * test_fat_units.c - unit tests of the FAT engine's pure parts: the boot
 * sector parser (against fsck.fat -v's reading of mkfs.fat images, and
 * against broken fields), names (UTF-8/UTF-16, the long-name checksum
 * against entries mtools wrote, 8.3 names and numeric tails, case
 * folding, code page 437 against iconv), dates and times (against the C
 * library's timegm), and the ordered write-back cache.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bpb.h"
#include "cache.h"
#include "check.h"
#include "fattime.h"
#include "name.h"
#include "testutil.h"

static const char *dir;

/* ---------------------------------------------------------------- boot sector */

static void load_boot(const char *img, uint8_t *sec)
{
	FILE *f = fopen(img, "rb");

	CHECK(f != NULL);
	CHECK_EQ(fread(sec, 1, 512, f), 512);
	fclose(f);
}

/* The number after key in text, or -1. */
static long long num_after(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	return p ? strtoll(p + strlen(key), NULL, 10) : -1;
}

/* The number on the line that ends with suffix, or -1. */
static long long num_before(const char *text, const char *suffix)
{
	const char *p = strstr(text, suffix);

	if (!p)
		return -1;
	while (p > text && p[-1] != '\n')
		p--;
	return strtoll(p, NULL, 10);
}

static void check_layout(const char *opts, unsigned kib, enum fat_kind kind)
{
	char img[512];
	uint8_t sec[512];
	struct fat_geom g;
	int status;

	snprintf(img, sizeof img, "%s/bpb.img", dir);
	CHECK_EQ(make_image(img, opts, kib), 0);
	load_boot(img, sec);
	CHECK_EQ(fat_bpb_parse(sec, sizeof sec, (uint64_t)kib * 1024, 512, &g), STATUS_OK);
	char *v = sh(&status, "fsck.fat -n -v '%s' 2>&1", img);
	CHECK_EQ(g.kind, kind);
	CHECK_EQ(g.sector_size, num_before(v, " bytes per logical sector"));
	CHECK_EQ(g.cluster_size, num_before(v, " bytes per cluster"));
	CHECK_EQ((long long)g.fat_start * g.sector_size, num_after(v, "First FAT starts at byte "));
	CHECK_EQ((long long)g.fat_sectors * g.sector_size, num_before(v, " bytes per FAT"));
	CHECK_EQ((long long)g.data_start * g.sector_size,
		 num_after(v, "Data area starts at byte "));
	CHECK_EQ(g.clusters, num_before(v, " data clusters ("));
	CHECK_EQ(g.num_fats, num_before(v, " FATs, "));
	CHECK_EQ(g.total_sectors, num_before(v, " sectors total"));
	if (kind == FAT_KIND_32)
		CHECK_EQ(g.root_cluster, num_after(v, "Root directory start at cluster "));
	else
		CHECK_EQ(g.root_entries, num_before(v, " root directory entries"));
	free(v);
}

TEST(bpb_layout_matches_fsck_for_mkfs_images)
{
	check_layout("-F 12", 1440, FAT_KIND_12);
	check_layout("-F 12 -s 8", 8192, FAT_KIND_12);
	check_layout("-F 16 -s 4", 16384, FAT_KIND_16);
	check_layout("-F 16 -S 2048", 32768, FAT_KIND_16);
	check_layout("-F 16 -S 4096 -s 1", 65536, FAT_KIND_16);
	check_layout("-F 32 -s 1", 65536, FAT_KIND_32);
	check_layout("-F 32 -s 8 -f 1", 300000, FAT_KIND_32);
}

/* A FAT16 boot sector of 8 MiB: 512-byte sectors, 4 per cluster, 4 reserved,
 * 2 FATs of 16 sectors, 512 root entries: 4062 + ... clusters. */
static void fat16_sector(uint8_t *s, uint32_t total, uint32_t spc, uint32_t fatsz)
{
	memset(s, 0, 512);
	s[0] = 0xeb, s[1] = 0x3c, s[2] = 0x90;
	s[11] = 0x00, s[12] = 0x02; /* 512 */
	s[13] = (uint8_t)spc;
	s[14] = 4;
	s[16] = 2;
	s[17] = 0x00, s[18] = 0x02; /* 512 root entries */
	s[21] = 0xf8;
	s[22] = (uint8_t)fatsz, s[23] = (uint8_t)(fatsz >> 8);
	s[32] = (uint8_t)total, s[33] = (uint8_t)(total >> 8), s[34] = (uint8_t)(total >> 16);
	s[38] = 0x29;
	s[510] = 0x55, s[511] = 0xaa;
}

static status_t parse(const uint8_t *s, struct fat_geom *g)
{
	return fat_bpb_parse(s, 512, 1ull << 40, 512, g);
}

TEST(bpb_type_follows_cluster_count)
{
	uint8_t s[512];
	struct fat_geom g;

	/* metadata = 4 + 2 * 16 + 32 = 68 sectors; clusters = (total - 68) / spc */
	fat16_sector(s, 68 + 4084, 1, 16);
	CHECK_EQ(parse(s, &g), STATUS_OK);
	CHECK_EQ(g.kind, FAT_KIND_12);
	CHECK_EQ(g.clusters, 4084);
	fat16_sector(s, 68 + 4085, 1, 16);
	CHECK_EQ(parse(s, &g), STATUS_OK);
	CHECK_EQ(g.kind, FAT_KIND_16);
	fat16_sector(s, 4 + 2 * 256 + 32 + 65524, 1, 256);
	CHECK_EQ(parse(s, &g), STATUS_OK);
	CHECK_EQ(g.kind, FAT_KIND_16);
	CHECK_EQ(g.clusters, 65524);
	/* 65525 clusters are FAT32 by count, but the layout is FAT16's. */
	fat16_sector(s, 4 + 2 * 257 + 32 + 65525, 1, 257);
	CHECK_EQ(parse(s, &g), STATUS_BAD_FORMAT);
	CHECK_EQ(g.data_start, 0);
}

TEST(bpb_refuses_each_broken_field)
{
	uint8_t good[512], s[512];
	struct fat_geom g;

	fat16_sector(good, 16384, 4, 16);
	CHECK_EQ(parse(good, &g), STATUS_OK);
	CHECK_EQ(g.data_start, 68);
	CHECK_EQ(g.clusters, (16384 - 68) / 4);
	struct {
		int off;
		uint8_t val;
	} breaks[] = {
		{ 510, 0 },   { 511, 0x55 }, { 0, 0x00 },  { 12, 0 },   { 11, 1 },
		{ 12, 0x20 }, { 13, 0 },     { 13, 3 },    { 13, 255 }, { 14, 0 },
		{ 16, 0 },    { 16, 9 },     { 21, 0x12 }, { 22, 0 },   { 22, 1 },
		{ 32, 0 },    { 33, 0 },     { 17, 0 },    { 18, 0 },
	};
	for (size_t i = 0; i < sizeof breaks / sizeof breaks[0]; i++) {
		memcpy(s, good, 512);
		s[breaks[i].off] = breaks[i].val;
		if (breaks[i].off == 32 || breaks[i].off == 33)
			s[32] = s[33] = s[34] = 0; /* no sectors at all */
		if (breaks[i].off == 17)
			s[18] = 0;
		if (parse(s, &g) != STATUS_BAD_FORMAT)
			CHECK_FAIL("field at %d = 0x%x accepted", breaks[i].off, breaks[i].val);
	}
	/* Larger than the device, or sectors smaller than its blocks. */
	CHECK_EQ(fat_bpb_parse(good, 512, 16383ull * 512, 512, &g), STATUS_BAD_FORMAT);
	CHECK_EQ(fat_bpb_parse(good, 512, 16384ull * 512, 512, &g), STATUS_OK);
	CHECK_EQ(fat_bpb_parse(good, 512, 1ull << 40, 4096, &g), STATUS_BAD_FORMAT);
	CHECK_EQ(fat_bpb_parse(good, 511, 1ull << 40, 512, &g), STATUS_BAD_FORMAT);
	CHECK_EQ(fat_bpb_parse(NULL, 512, 1ull << 40, 512, &g), STATUS_BAD_FORMAT);
}

TEST(bpb_refuses_bad_fat32_fields)
{
	char img[512];
	uint8_t good[512], s[512];
	struct fat_geom g;

	snprintf(img, sizeof img, "%s/bpb32.img", dir);
	CHECK_EQ(make_image(img, "-F 32 -s 1", 65536), 0);
	load_boot(img, good);
	CHECK_EQ(parse(good, &g), STATUS_OK);
	CHECK_EQ(g.fsinfo_sector, 1);
	CHECK_EQ(g.backup_boot, 6);
	CHECK(g.mirrored);
	memcpy(s, good, 512);
	s[42] = 1; /* version */
	CHECK_EQ(parse(s, &g), STATUS_BAD_FORMAT);
	memcpy(s, good, 512);
	s[44] = 0; /* root cluster 0 */
	CHECK_EQ(parse(s, &g), STATUS_BAD_FORMAT);
	memcpy(s, good, 512);
	s[46] = 0x10; /* root cluster beyond the volume */
	CHECK_EQ(parse(s, &g), STATUS_BAD_FORMAT);
	memcpy(s, good, 512);
	s[48] = 40; /* FSInfo outside the reserved sectors */
	CHECK_EQ(parse(s, &g), STATUS_BAD_FORMAT);
	memcpy(s, good, 512);
	s[40] = 0x83; /* mirroring off, active FAT 3 of 2 */
	CHECK_EQ(parse(s, &g), STATUS_BAD_FORMAT);
	s[40] = 0x81;
	CHECK_EQ(parse(s, &g), STATUS_OK);
	CHECK(!g.mirrored);
	CHECK_EQ(g.active_fat, 1);
	memcpy(s, good, 512);
	s[17] = 1; /* root entries on FAT32 */
	CHECK_EQ(parse(s, &g), STATUS_BAD_FORMAT);
}

/* ---------------------------------------------------------------- names */

static size_t u16(const char *s, uint16_t *out)
{
	size_t n;

	if (fat_utf8_to_utf16(s, strlen(s), out, 300, &n))
		return (size_t)-1;
	return n;
}

TEST(utf8_and_utf16_round_trip_with_surrogates)
{
	const char *s = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z"; /* a é € 😀 z */
	uint16_t u[16];
	char back[32];
	size_t n, m;

	CHECK_EQ(fat_utf8_to_utf16(s, strlen(s), u, 16, &n), STATUS_OK);
	CHECK_EQ(n, 6);
	CHECK_EQ(u[0], 'a');
	CHECK_EQ(u[1], 0xe9);
	CHECK_EQ(u[2], 0x20ac);
	CHECK_EQ(u[3], 0xd83d);
	CHECK_EQ(u[4], 0xde00);
	CHECK_EQ(u[5], 'z');
	CHECK_EQ(fat_utf16_to_utf8(u, n, back, sizeof back, &m), STATUS_OK);
	CHECK_EQ(m, strlen(s));
	CHECK(memcmp(back, s, m) == 0);
	CHECK_EQ(fat_utf8_to_utf16(s, strlen(s), u, 4, &n), STATUS_RANGE);
	CHECK_EQ(fat_utf16_to_utf8(u, 6, back, 5, &m), STATUS_RANGE);
}

TEST(utf8_malformed_is_refused)
{
	const char *bad[] = { "\xc0\x80",     "\xc1\xbf",         "\xe0\x80\x80",
			      "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80",
			      "\xc3",         "\xe2\x82",         "\x80",
			      "\xff" };
	uint16_t u[8];
	size_t n;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK_EQ(fat_utf8_to_utf16(bad[i], strlen(bad[i]), u, 8, &n), STATUS_BAD_FORMAT);
}

TEST(utf16_unpaired_surrogates_are_refused)
{
	uint16_t a[] = { 0xd800 }, b[] = { 0xdc00, 'x' }, c[] = { 'x', 0xd800, 'y' }, d[] = { 0 };
	char out[16];
	size_t n;

	CHECK_EQ(fat_utf16_to_utf8(a, 1, out, 16, &n), STATUS_BAD_FORMAT);
	CHECK_EQ(fat_utf16_to_utf8(b, 2, out, 16, &n), STATUS_BAD_FORMAT);
	CHECK_EQ(fat_utf16_to_utf8(c, 3, out, 16, &n), STATUS_BAD_FORMAT);
	CHECK_EQ(fat_utf16_to_utf8(d, 1, out, 16, &n), STATUS_BAD_FORMAT);
}

TEST(lfn_checksum_matches_entries_mtools_wrote)
{
	char img[512];
	int status;

	snprintf(img, sizeof img, "%s/sum.img", dir);
	CHECK_EQ(make_image(img, "-F 12", 1440), 0);
	const char *names[] = { "Hello World.txt", "MixedCase.Txt", "a very long name indeed.data",
				"x+y=z", "résumé.doc" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		free(sh(&status, "echo x | mcopy -i '%s' - '::%s'", img, names[i]));
	FILE *f = fopen(img, "rb");
	uint8_t buf[1440 * 1024];
	CHECK(f && fread(buf, 1, sizeof buf, f) == sizeof buf);
	fclose(f);
	struct fat_geom g;
	CHECK_EQ(fat_bpb_parse(buf, 512, sizeof buf, 512, &g), STATUS_OK);
	const uint8_t *root = buf + (size_t)g.root_start * 512;
	int shorts = 0;
	for (uint32_t i = 1; i < g.root_entries && root[i * 32]; i++) {
		const uint8_t *e = root + i * 32, *prev = e - 32;
		if (e[11] == 0x0f || prev[11] != 0x0f)
			continue;
		CHECK_EQ(prev[13], fat_lfn_checksum(e));
		shorts++;
	}
	CHECK_EQ(shorts, 4); /* mtools keeps "résumé.doc" as a lower-case 8.3 name */
}

static void check_exact(const char *name, const char *sfn, int nt)
{
	uint16_t u[32];
	uint8_t out[11], got_nt = 0xff;
	size_t n = u16(name, u);
	bool ok = fat_short_exact(u, n, out, &got_nt);

	if (!sfn) {
		if (ok)
			CHECK_FAIL("%s taken as 8.3", name);
		return;
	}
	if (!ok || memcmp(out, sfn, 11) != 0 || got_nt != nt)
		CHECK_FAIL("%s: got %d \"%.11s\" nt %x", name, ok, out, got_nt);
}

TEST(exact_short_names_keep_case_in_nt_bits)
{
	check_exact("README.TXT", "README  TXT", 0);
	check_exact("readme.txt", "README  TXT", 0x18);
	check_exact("readme.TXT", "README  TXT", 0x08);
	check_exact("FOO", "FOO        ", 0);
	check_exact("a1_$~!.x", "A1_$~!  X  ", 0x18);
	check_exact("12345678.123", "12345678123", 0);
	check_exact("Readme.txt", NULL, 0);
	check_exact("a.b.c", NULL, 0);
	check_exact("toolongname.txt", NULL, 0);
	check_exact("x.abcd", NULL, 0);
	check_exact(".hidden", NULL, 0);
	check_exact("a b", NULL, 0);
	check_exact("a+b", NULL, 0);
	check_exact("\xc3\xa9t\xc3\xa9", NULL, 0);
}

static void check_basis(const char *name, const char *sfn, bool exact)
{
	uint16_t u[300];
	uint8_t out[11];
	size_t n = u16(name, u);
	bool got = fat_short_basis(u, n, out);

	if (got != exact || memcmp(out, sfn, 11) != 0)
		CHECK_FAIL("%s: got %d \"%.11s\"", name, got, out);
}

TEST(basis_names_follow_the_vfat_rules)
{
	check_basis("Readme.txt", "README  TXT", true);
	check_basis("Hello World.txt", "HELLOWORTXT", false);
	check_basis("a+b,c;d=e[f]g.c", "A_B_C_D_C  ", false);
	check_basis(".bashrc", "BASHRC     ", false);
	check_basis("file.tar.gz", "FILETAR GZ ", false);
	check_basis("\xc3\xbc"
		    "ber.txt",
		    "_BER    TXT", false);
	check_basis("\xe4\xb8\xad\xe6\x96\x87", "__         ", false);
	check_basis("name.html", "NAME    HTM", false);
	check_basis("...", "_          ", false);
}

TEST(numeric_tails_cut_the_base_and_parse_back)
{
	const uint8_t *basis = (const uint8_t *)"HELLOWORTXT";
	uint8_t out[11];

	fat_short_tail(basis, 1, out);
	CHECK(memcmp(out, "HELLOW~1TXT", 11) == 0);
	CHECK_EQ(fat_short_tail_number(basis, out), 1);
	fat_short_tail(basis, 10, out);
	CHECK(memcmp(out, "HELLO~10TXT", 11) == 0);
	CHECK_EQ(fat_short_tail_number(basis, out), 10);
	fat_short_tail(basis, 999999, out);
	CHECK(memcmp(out, "H~999999TXT", 11) == 0);
	CHECK_EQ(fat_short_tail_number(basis, out), 999999);
	fat_short_tail((const uint8_t *)"AB      C  ", 5, out);
	CHECK(memcmp(out, "AB~5    C  ", 11) == 0);
	CHECK_EQ(fat_short_tail_number((const uint8_t *)"AB      C  ", out), 5);
	/* Another basis, another extension, a leading zero: not ours. */
	CHECK_EQ(fat_short_tail_number((const uint8_t *)"HELLOXXXTXT",
				       (const uint8_t *)"HELLOW~1TXT"),
		 0);
	CHECK_EQ(fat_short_tail_number(basis, (const uint8_t *)"HELLOW~1TX "), 0);
	CHECK_EQ(fat_short_tail_number(basis, (const uint8_t *)"HELLO~01TXT"), 0);
	CHECK_EQ(fat_short_tail_number(basis, (const uint8_t *)"HELLOWORTXT"), 0);
}

TEST(case_fold_covers_the_documented_ranges)
{
	struct {
		uint16_t in, out;
	} cases[] = {
		{ 'a', 'A' },     { 'z', 'Z' },       { 'A', 'A' },       { '0', '0' },
		{ 0xe9, 0xc9 },   { 0xfe, 0xde },     { 0xf7, 0xf7 },     { 0xff, 0x178 },
		{ 0x101, 0x100 }, { 0x100, 0x100 },   { 0x13a, 0x139 },   { 0x17e, 0x17d },
		{ 0x131, 0x131 }, { 0x3c9, 0x3a9 },   { 0x3c2, 0x3a3 },   { 0x44f, 0x42f },
		{ 0x451, 0x401 }, { 0x4e2d, 0x4e2d }, { 0xd83d, 0xd83d },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (fat_fold(cases[i].in) != cases[i].out)
			CHECK_FAIL("fold(%x) = %x", cases[i].in, fat_fold(cases[i].in));
	uint16_t a[] = { 'R', 0xe9, 's', 0x3c9 }, b[] = { 'r', 0xc9, 'S', 0x3a9 };
	CHECK(fat_name_equal(a, b, 4));
	b[3] = 0x3a8;
	CHECK(!fat_name_equal(a, b, 4));
}

TEST(names_fat_cannot_hold_are_refused)
{
	const char *ok[] = { "file.txt", "a b",        "caf\xc3\xa9", ".profile",
			     "x~1",      "[brackets]", "a+b,c;d=e" };
	struct {
		const char *name;
		status_t st;
	} bad[] = {
		{ "a*b", STATUS_BAD_FORMAT },   { "a:b", STATUS_BAD_FORMAT },
		{ "a\\b", STATUS_BAD_FORMAT },  { "a|b", STATUS_BAD_FORMAT },
		{ "what?", STATUS_BAD_FORMAT }, { "x<y>", STATUS_BAD_FORMAT },
		{ "q\"", STATUS_BAD_FORMAT },   { "trailing.", STATUS_BAD_FORMAT },
		{ ".", STATUS_INVALID },        { "..", STATUS_INVALID },
		{ "", STATUS_BAD_FORMAT },      { "a/b", STATUS_BAD_FORMAT },
		{ " lead", STATUS_BAD_FORMAT }, { "tab\there", STATUS_BAD_FORMAT },
		{ "\xc3", STATUS_BAD_FORMAT },
	};
	char longname[300];

	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		CHECK_EQ(fat_name_check(ok[i], strlen(ok[i])), STATUS_OK);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (fat_name_check(bad[i].name, strlen(bad[i].name)) != bad[i].st)
			CHECK_FAIL("\"%s\" gave %d", bad[i].name,
				   fat_name_check(bad[i].name, strlen(bad[i].name)));
	memset(longname, 'x', sizeof longname);
	CHECK_EQ(fat_name_check(longname, 255), STATUS_OK);
	CHECK_EQ(fat_name_check(longname, 256), STATUS_RANGE);
}

TEST(code_page_437_matches_iconv)
{
	char path[512];
	int status;
	uint8_t raw[128], utf16[256];

	snprintf(path, sizeof path, "%s/cp437", dir);
	for (int i = 0; i < 128; i++)
		raw[i] = (uint8_t)(0x80 + i);
	FILE *f = fopen(path, "wb");
	CHECK(f && fwrite(raw, 1, 128, f) == 128);
	fclose(f);
	free(sh(&status, "iconv -f CP437 -t UTF-16LE '%s' > '%s.u16'", path, path));
	CHECK_EQ(status, 0);
	snprintf(path + strlen(path), 8, ".u16");
	f = fopen(path, "rb");
	CHECK(f && fread(utf16, 1, 256, f) == 256);
	fclose(f);
	for (int i = 0; i < 128; i++) {
		uint16_t want = (uint16_t)(utf16[2 * i] | utf16[2 * i + 1] << 8);
		if (fat_cp437((uint8_t)(0x80 + i)) != want)
			CHECK_FAIL("cp437 0x%x: %x, iconv %x", 0x80 + i,
				   fat_cp437((uint8_t)(0x80 + i)), want);
	}
	CHECK_EQ(fat_cp437('A'), 'A');
}

TEST(short_display_applies_case_bits_and_0x05)
{
	uint16_t out[12];
	size_t n = fat_short_display((const uint8_t *)"README  TXT", 0x18, out);

	CHECK_EQ(n, 10);
	CHECK_EQ(out[0], 'r');
	CHECK_EQ(out[6], '.');
	CHECK_EQ(out[9], 't');
	n = fat_short_display((const uint8_t *)"\x05"
					       "BC     X  ",
			      0, out);
	CHECK_EQ(n, 5);
	CHECK_EQ(out[0], 0x3c3); /* 0xE5 in code page 437 */
	n = fat_short_display((const uint8_t *)"R\x90SUM\x90  DOC", 0x18, out);
	CHECK_EQ(n, 10);
	CHECK_EQ(out[1], 0xe9); /* É in code page 437, lowered by the NT bits */
	n = fat_short_display((const uint8_t *)"NOEXT      ", 0x10, out);
	CHECK_EQ(n, 5);
}

/* ---------------------------------------------------------------- time */

static int64_t timegm_of(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm = { .tm_year = y - 1900,
			 .tm_mon = mo - 1,
			 .tm_mday = d,
			 .tm_hour = h,
			 .tm_min = mi,
			 .tm_sec = s };
	return (int64_t)timegm(&tm);
}

TEST(time_encodes_known_instants)
{
	struct fat_stamp s;

	fat_time_encode(1700000000, 0, &s); /* 2023-11-14 22:13:20 */
	CHECK_EQ(s.date, (2023 - 1980) << 9 | 11 << 5 | 14);
	CHECK_EQ(s.time, 22 << 11 | 13 << 5 | 10);
	CHECK_EQ(s.tenth, 0);
	fat_time_encode(1700000001, 0, &s);
	CHECK_EQ(s.time, 22 << 11 | 13 << 5 | 10);
	CHECK_EQ(s.tenth, 100);
	fat_time_encode(1700000000, 120, &s); /* UTC+2: the next day */
	CHECK_EQ(s.date, (2023 - 1980) << 9 | 11 << 5 | 15);
	CHECK_EQ(s.time, 0 << 11 | 13 << 5 | 10);
	fat_time_encode(1700000000, -23 * 60, &s);
	CHECK_EQ(s.date, (2023 - 1980) << 9 | 11 << 5 | 13);
	CHECK_EQ(s.time, 23 << 11 | 13 << 5 | 10);
}

TEST(time_clamps_to_the_fat_range)
{
	struct fat_stamp s;

	fat_time_encode(0, 0, &s);
	CHECK_EQ(s.date, 0 << 9 | 1 << 5 | 1);
	CHECK_EQ(s.time, 0);
	fat_time_encode(INT64_MIN, 600, &s);
	CHECK_EQ(s.date, 1 << 5 | 1);
	fat_time_encode(INT64_MAX, -600, &s);
	CHECK_EQ(s.date, 127 << 9 | 12 << 5 | 31);
	CHECK_EQ(s.time, 23 << 11 | 59 << 5 | 29);
	CHECK_EQ(fat_time_decode(&s, 0), timegm_of(2107, 12, 31, 23, 59, 59));
}

TEST(time_round_trips_and_agrees_with_timegm)
{
	uint64_t r = 42;
	int64_t lo = timegm_of(1980, 1, 1, 0, 0, 0), hi = timegm_of(2107, 12, 31, 23, 59, 58);

	for (int i = 0; i < 100000; i++) {
		int64_t t = lo + (int64_t)(rng_next(&r) % (uint64_t)(hi - lo));
		int32_t tz = (int32_t)(rng_next(&r) % 1441) - 720;
		struct fat_stamp s;
		fat_time_encode(t, tz, &s);
		int64_t local = t + tz * 60;
		if (local < lo || local > hi)
			continue;
		if (fat_time_decode(&s, tz) != t)
			CHECK_FAIL("%lld tz %d -> %lld", (long long)t, tz,
				   (long long)fat_time_decode(&s, tz));
		time_t lt = (time_t)local;
		struct tm tm;
		gmtime_r(&lt, &tm);
		CHECK_EQ(s.date >> 9, tm.tm_year + 1900 - 1980);
		CHECK_EQ(s.date >> 5 & 15, tm.tm_mon + 1);
		CHECK_EQ(s.date & 31, tm.tm_mday);
		CHECK_EQ(s.time >> 11, tm.tm_hour);
		CHECK_EQ(s.time >> 5 & 63, tm.tm_min);
		CHECK_EQ((s.time & 31) * 2 + s.tenth / 100, tm.tm_sec);
	}
	for (int y = 1970; y < 2300; y += 7)
		CHECK_EQ(fat_days_from_civil(y, 3, 1) * 86400, timegm_of(y, 3, 1, 0, 0, 0));
}

TEST(hostile_time_fields_decode_to_some_time)
{
	struct fat_stamp s = { 0, 0, 0 };

	CHECK_EQ(fat_time_decode(&s, 0), timegm_of(1980, 1, 1, 0, 0, 0));
	s = (struct fat_stamp){ 0xffff, 0xffff, 255 };
	CHECK_EQ(fat_time_decode(&s, 0), timegm_of(2107, 12, 31, 23, 59, 58));
	s = (struct fat_stamp){ (uint16_t)(1 << 5 | 31), 0, 199 }; /* 31 Feb... of January: fine */
	CHECK_EQ(fat_time_decode(&s, 0), timegm_of(1980, 1, 31, 0, 0, 1));
	s = (struct fat_stamp){ (uint16_t)(2 << 5 | 31), 0, 0 }; /* 31 February runs on */
	CHECK_EQ(fat_time_decode(&s, 0), timegm_of(1980, 3, 2, 0, 0, 0));
}

/* ---------------------------------------------------------------- the cache */

#define CDEV_SECTORS 64

/* A device that records the order of writes. */
struct cdev {
	uint8_t mem[CDEV_SECTORS][512];
	uint32_t log[4096];
	uint32_t nlog;
	uint32_t flushes;
	uint32_t fail_after; /* writes before failing; UINT32_MAX never */
};

static status_t cdev_read(void *ctx, uint64_t block, uint32_t count, void *buf)
{
	struct cdev *d = ctx;

	memcpy(buf, d->mem[block], (size_t)count * 512);
	return STATUS_OK;
}

static status_t cdev_write(void *ctx, uint64_t block, uint32_t count, const void *buf)
{
	struct cdev *d = ctx;

	for (uint32_t i = 0; i < count; i++) {
		if (d->nlog >= d->fail_after)
			return STATUS_TIMEOUT;
		memcpy(d->mem[block + i], (const uint8_t *)buf + i * 512, 512);
		d->log[d->nlog++] = (uint32_t)(block + i);
	}
	return STATUS_OK;
}

static status_t cdev_flush(void *ctx)
{
	((struct cdev *)ctx)->flushes++;
	return STATUS_OK;
}

struct crig {
	struct cdev d;
	struct bdev bd;
	struct fat_io io;
	struct fat_cache c;
	struct arena a;
	uint8_t mem[64 * 1024];
};

static void crig_init(struct crig *r, uint32_t nbufs, uint32_t flags)
{
	memset(r, 0, sizeof *r);
	r->d.fail_after = UINT32_MAX;
	for (int i = 0; i < CDEV_SECTORS; i++)
		memset(r->d.mem[i], i, 512);
	r->bd = (struct bdev){ cdev_read, cdev_write, cdev_flush, &r->d, 512, flags, CDEV_SECTORS };
	r->io = (struct fat_io){ .dev = &r->bd,
				 .sector_size = 512,
				 .blocks_per_sector = 1,
				 .total_sectors = CDEV_SECTORS };
	arena_init(&r->a, r->mem, sizeof r->mem);
	CHECK_EQ(fat_cache_init(&r->c, &r->io, &r->a, nbufs), STATUS_OK);
}

static void put_byte(struct crig *r, uint32_t sector, enum fat_wclass cls, uint8_t val)
{
	struct fat_cache_buf *b;

	CHECK_EQ(fat_cache_modify(&r->c, sector, cls, false, &b), STATUS_OK);
	b->data[0] = val;
	fat_cache_put(&r->c, b);
}

TEST(cache_writes_back_in_epoch_then_class_order)
{
	static struct crig r;

	crig_init(&r, 16, 0);
	put_byte(&r, 5, FAT_WC_DIR, 1);
	put_byte(&r, 3, FAT_WC_FAT, 1);
	put_byte(&r, 9, FAT_WC_DATA, 1);
	put_byte(&r, 1, FAT_WC_DIR, 1);
	fat_cache_barrier(&r.c);
	put_byte(&r, 2, FAT_WC_DATA, 1);
	put_byte(&r, 0, FAT_WC_FAT, 1);
	CHECK_EQ(r.d.nlog, 0);
	CHECK_EQ(fat_cache_flush(&r.c), STATUS_OK);
	uint32_t want[] = { 9, 3, 1, 5, 2, 0 };
	CHECK_EQ(r.d.nlog, 6);
	for (int i = 0; i < 6; i++)
		CHECK_EQ(r.d.log[i], want[i]);
	CHECK_EQ(r.d.mem[5][0], 1);
	CHECK_EQ(r.c.ndirty, 0);
	CHECK_EQ(fat_cache_flush(&r.c), STATUS_OK);
	CHECK_EQ(r.d.nlog, 6);
}

TEST(cache_flushes_the_device_between_keys_when_volatile)
{
	static struct crig r;

	crig_init(&r, 16, BDEV_VOLATILE_CACHE);
	put_byte(&r, 5, FAT_WC_DIR, 1);
	put_byte(&r, 6, FAT_WC_DIR, 1);
	put_byte(&r, 3, FAT_WC_FAT, 1);
	fat_cache_barrier(&r.c);
	put_byte(&r, 2, FAT_WC_DATA, 1);
	CHECK_EQ(fat_cache_flush(&r.c), STATUS_OK);
	CHECK_EQ(r.d.flushes, 2); /* FAT | DIR DIR | DATA */
}

TEST(cache_evicts_least_recently_used_clean_sector)
{
	static struct crig r;
	struct fat_cache_buf *b;

	crig_init(&r, 8, 0);
	for (uint32_t s = 0; s < 8; s++) {
		CHECK_EQ(fat_cache_get(&r.c, s, &b), STATUS_OK);
		CHECK_EQ(b->data[0], s);
		fat_cache_put(&r.c, b);
	}
	CHECK_EQ(fat_cache_get(&r.c, 0, &b), STATUS_OK); /* 0 is now the most recent */
	fat_cache_put(&r.c, b);
	put_byte(&r, 1, FAT_WC_DATA, 0x55); /* 1 is dirty: not a victim while clean ones exist */
	CHECK_EQ(fat_cache_get(&r.c, 20, &b), STATUS_OK);
	fat_cache_put(&r.c, b);
	CHECK(!fat_cache_has(&r.c, 2));
	CHECK(fat_cache_has(&r.c, 0));
	CHECK(fat_cache_has(&r.c, 1));
	CHECK_EQ(r.d.nlog, 0);
	CHECK_EQ(r.c.stats.evictions, 1);
}

TEST(cache_eviction_of_dirty_sectors_writes_smallest_key_first)
{
	static struct crig r;
	struct fat_cache_buf *b;

	crig_init(&r, 8, 0);
	for (uint32_t s = 0; s < 8; s++) {
		put_byte(&r, s, s < 4 ? FAT_WC_DIR : FAT_WC_DATA, 0xaa);
		if (s == 5)
			fat_cache_barrier(&r.c);
	}
	/* Keys: 0-3 (e0, DIR), 4-5 (e0, DATA), 6-7 (e1, DATA). */
	CHECK_EQ(fat_cache_get(&r.c, 30, &b), STATUS_OK);
	fat_cache_put(&r.c, b);
	CHECK_EQ(r.d.nlog, 2);
	CHECK_EQ(r.d.log[0], 4);
	CHECK_EQ(r.d.log[1], 5);
	CHECK_EQ(fat_cache_get(&r.c, 31, &b), STATUS_OK);
	fat_cache_put(&r.c, b);
	CHECK_EQ(r.d.nlog, 2); /* a clean buffer was there */
}

TEST(cache_redirty_under_a_new_key_writes_the_old_contents_first)
{
	static struct crig r;

	crig_init(&r, 16, 0);
	put_byte(&r, 7, FAT_WC_DIR, 1);
	put_byte(&r, 8, FAT_WC_FAT, 1);
	fat_cache_barrier(&r.c);
	put_byte(&r, 9, FAT_WC_DATA, 2);
	put_byte(&r, 7, FAT_WC_DIR, 2); /* forces 8 then 7 (value 1) out */
	CHECK_EQ(r.d.nlog, 2);
	CHECK_EQ(r.d.log[0], 8);
	CHECK_EQ(r.d.log[1], 7);
	CHECK_EQ(r.d.mem[7][0], 1);
	CHECK_EQ(r.c.stats.forced, 1);
	put_byte(&r, 7, FAT_WC_DIR, 3); /* same key: no write */
	CHECK_EQ(r.d.nlog, 2);
	CHECK_EQ(fat_cache_flush(&r.c), STATUS_OK);
	CHECK_EQ(r.d.log[2], 9);
	CHECK_EQ(r.d.log[3], 7);
	CHECK_EQ(r.d.mem[7][0], 3);
}

TEST(cache_flush_below_writes_only_older_keys)
{
	static struct crig r;

	crig_init(&r, 16, 0);
	put_byte(&r, 1, FAT_WC_DIR, 1);
	fat_cache_barrier(&r.c);
	put_byte(&r, 2, FAT_WC_DATA, 1);
	put_byte(&r, 3, FAT_WC_FAT, 1);
	CHECK_EQ(fat_cache_flush_below(&r.c, FAT_WC_DATA), STATUS_OK);
	CHECK_EQ(r.d.nlog, 1);
	CHECK_EQ(r.d.log[0], 1);
	CHECK_EQ(fat_cache_flush_below(&r.c, FAT_WC_DIR), STATUS_OK);
	CHECK_EQ(r.d.nlog, 3);
}

TEST(cache_write_failure_is_sticky_and_stops_later_keys)
{
	static struct crig r;

	crig_init(&r, 16, 0);
	put_byte(&r, 1, FAT_WC_DATA, 1);
	put_byte(&r, 2, FAT_WC_DIR, 1);
	r.d.fail_after = 0;
	CHECK_EQ(fat_cache_flush(&r.c), STATUS_TIMEOUT);
	r.d.fail_after = UINT32_MAX;
	CHECK_EQ(fat_cache_flush(&r.c), STATUS_TIMEOUT);
	CHECK_EQ(r.d.nlog, 0);
	struct fat_cache_buf *b;
	CHECK_EQ(fat_cache_modify(&r.c, 4, FAT_WC_DATA, false, &b), STATUS_TIMEOUT);
	CHECK_EQ(fat_cache_get(&r.c, 4, &b), STATUS_OK); /* reads still work */
	fat_cache_put(&r.c, b);
}

TEST(cache_refuses_sectors_outside_the_volume)
{
	static struct crig r;
	struct fat_cache_buf *b;
	uint8_t buf[512];

	crig_init(&r, 8, 0);
	CHECK_EQ(fat_cache_get(&r.c, CDEV_SECTORS, &b), STATUS_RANGE);
	CHECK_EQ(fat_cache_modify(&r.c, UINT32_MAX, FAT_WC_DATA, true, &b), STATUS_RANGE);
	CHECK_EQ(fat_io_write(&r.io, CDEV_SECTORS - 1, 2, buf), STATUS_RANGE);
	CHECK_EQ(fat_io_read(&r.io, 0, 0, buf), STATUS_RANGE);
	CHECK_EQ(r.d.nlog, 0);
}

TEST(cache_with_every_buffer_pinned_reports_no_memory)
{
	static struct crig r;
	struct fat_cache_buf *b[8], *x;

	crig_init(&r, 8, 0);
	for (uint32_t s = 0; s < 8; s++)
		CHECK_EQ(fat_cache_get(&r.c, s, &b[s]), STATUS_OK);
	CHECK_EQ(fat_cache_get(&r.c, 9, &x), STATUS_NO_MEMORY);
	for (uint32_t s = 0; s < 8; s++)
		fat_cache_put(&r.c, b[s]);
	CHECK_EQ(fat_cache_get(&r.c, 9, &x), STATUS_OK);
	fat_cache_put(&r.c, x);
	CHECK_EQ(fat_cache_init(&r.c, &r.io, &r.a, 4), STATUS_INVALID);
}

int main(void)
{
	dir = test_setup();
	RUN(bpb_layout_matches_fsck_for_mkfs_images);
	RUN(bpb_type_follows_cluster_count);
	RUN(bpb_refuses_each_broken_field);
	RUN(bpb_refuses_bad_fat32_fields);
	RUN(utf8_and_utf16_round_trip_with_surrogates);
	RUN(utf8_malformed_is_refused);
	RUN(utf16_unpaired_surrogates_are_refused);
	RUN(lfn_checksum_matches_entries_mtools_wrote);
	RUN(exact_short_names_keep_case_in_nt_bits);
	RUN(basis_names_follow_the_vfat_rules);
	RUN(numeric_tails_cut_the_base_and_parse_back);
	RUN(case_fold_covers_the_documented_ranges);
	RUN(names_fat_cannot_hold_are_refused);
	RUN(code_page_437_matches_iconv);
	RUN(short_display_applies_case_bits_and_0x05);
	RUN(time_encodes_known_instants);
	RUN(time_clamps_to_the_fat_range);
	RUN(time_round_trips_and_agrees_with_timegm);
	RUN(hostile_time_fields_decode_to_some_time);
	RUN(cache_writes_back_in_epoch_then_class_order);
	RUN(cache_flushes_the_device_between_keys_when_volatile);
	RUN(cache_evicts_least_recently_used_clean_sector);
	RUN(cache_eviction_of_dirty_sectors_writes_smallest_key_first);
	RUN(cache_redirty_under_a_new_key_writes_the_old_contents_first);
	RUN(cache_flush_below_writes_only_older_keys);
	RUN(cache_write_failure_is_sticky_and_stops_later_keys);
	RUN(cache_refuses_sectors_outside_the_volume);
	RUN(cache_with_every_buffer_pinned_reports_no_memory);
	return check_summary();
}
