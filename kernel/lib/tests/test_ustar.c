/*
 * Host tests for the ustar boot bundle reader.
 *
 * Archives are made by a small builder that writes headers the way GNU tar
 * --format=ustar does; the first test pins that claim by comparing its
 * output byte for byte with a real GNU tar archive embedded below.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "lib/ustar.h"

#define ARC_MAX (32 * USTAR_BLOCK)
#define MTIME 1700000000ull

/* Header field offsets, spelled out again so the test does not trust ustar.c. */
enum {
	F_NAME = 0,
	F_MODE = 100,
	F_UID = 108,
	F_GID = 116,
	F_SIZE = 124,
	F_MTIME = 136,
	F_CHKSUM = 148,
	F_TYPE = 156,
	F_MAGIC = 257,
	F_DEVMAJOR = 329,
	F_DEVMINOR = 337,
	F_PREFIX = 345,
};

/*
 * A real archive, stored as its non-zero byte runs (everything else is
 * zero). Made with GNU tar 1.34 from a tree holding sbin/init ("hello,
 * keel\n") and a 24-byte file under a directory path too long for the name
 * field alone:
 *   tar --format=ustar -b 1 --owner=0 --group=0 --numeric-owner \
 *       --mtime=@1700000000 --mode=go-w --sort=name -cf b.tar sbin lib/...
 */
#define GNU_TAR_LEN 3584
#define LONG_DIR                                                                                   \
	"lib/keel/drivers/storage/"                                                                \
	"virtio-blk-with-a-fairly-long-directory-name-to-force-the-prefix-field"
#define LONG_PATH LONG_DIR "/virtio-blk.driver"

static const struct run {
	uint16_t off;
	uint8_t n;
	const char *bytes;
} gnu_tar[] = {
	{ 0x000, 5, "sbin/" },
	{ 0x064, 57,
	  "0000755\0"
	  "0000000\0"
	  "0000000\0"
	  "00000000000\0"
	  "14524770400\0"
	  "010202\0 5" },
	{ 0x101, 8,
	  "ustar\0"
	  "00" },
	{ 0x149, 15,
	  "0000000\0"
	  "0000000" },
	{ 0x200, 9, "sbin/init" },
	{ 0x264, 57,
	  "0000644\0"
	  "0000000\0"
	  "0000000\0"
	  "00000000014\0"
	  "14524770400\0"
	  "011063\0 0" },
	{ 0x301, 8,
	  "ustar\0"
	  "00" },
	{ 0x349, 15,
	  "0000000\0"
	  "0000000" },
	{ 0x400, 12, "hello, keel\n" },
	{ 0x600, 17, "virtio-blk.driver" },
	{ 0x664, 57,
	  "0000644\0"
	  "0000000\0"
	  "0000000\0"
	  "00000000030\0"
	  "14524770400\0"
	  "034550\0 0" },
	{ 0x701, 8,
	  "ustar\0"
	  "00" },
	{ 0x749, 111,
	  "0000000\0"
	  "0000000\0" LONG_DIR },
	{ 0x800, 24, "virtio-blk driver image\n" },
};

static void gnu_tar_image(uint8_t *buf)
{
	memset(buf, 0, GNU_TAR_LEN);
	for (size_t i = 0; i < sizeof gnu_tar / sizeof gnu_tar[0]; i++)
		memcpy(buf + gnu_tar[i].off, gnu_tar[i].bytes, gnu_tar[i].n);
}

struct arc {
	uint8_t buf[ARC_MAX];
	size_t len;
};

static void arc_begin(struct arc *a)
{
	memset(a, 0, sizeof *a);
}

static void octal(uint8_t *h, size_t off, size_t width, unsigned long long v)
{
	char tmp[24];
	snprintf(tmp, sizeof tmp, "%0*llo", (int)width - 1, v);
	memcpy(h + off, tmp, width); /* digits and the NUL */
}

/* Recomputes the checksum as GNU tar writes it: six digits, NUL, space. */
static void fix_checksum(uint8_t *h)
{
	unsigned sum = 0;
	memset(h + F_CHKSUM, ' ', 8);
	for (int i = 0; i < 512; i++)
		sum += h[i];
	octal(h, F_CHKSUM, 7, sum);
}

/* Stores path in the name field, or split over prefix and name as GNU tar
 * does when it is longer than 100 bytes (at the last fitting slash). */
static void put_path(uint8_t *h, const char *path)
{
	size_t n = strlen(path), cut = n;
	if (n > 100)
		for (cut = n > 155 ? 155 : n - 1; cut > 0 && path[cut] != '/'; cut--)
			;
	if (cut == n) {
		memcpy(h + F_NAME, path, n);
		return;
	}
	memcpy(h + F_PREFIX, path, cut);
	memcpy(h + F_NAME, path + cut + 1, n - cut - 1);
}

/* Appends a member with n bytes of data; returns its header. */
static uint8_t *member(struct arc *a, const char *path, char type, const void *data, size_t n)
{
	uint8_t *h = a->buf + a->len;
	put_path(h, path);
	memcpy(h + F_MODE, type == '5' ? "0000755" : "0000644", 8);
	memcpy(h + F_UID, "0000000", 8);
	memcpy(h + F_GID, "0000000", 8);
	octal(h, F_SIZE, 12, n);
	octal(h, F_MTIME, 12, MTIME);
	h[F_TYPE] = (uint8_t)type;
	memcpy(h + F_MAGIC,
	       "ustar\0"
	       "00",
	       8);
	memcpy(h + F_DEVMAJOR, "0000000", 8);
	memcpy(h + F_DEVMINOR, "0000000", 8);
	fix_checksum(h);
	if (n)
		memcpy(h + 512, data, n);
	a->len += 512 + (n + 511) / 512 * 512;
	return h;
}

static uint8_t *file(struct arc *a, const char *path, const char *text)
{
	return member(a, path, '0', text, strlen(text));
}

/* Appends the two zero blocks that end an archive; returns its length. */
static size_t arc_end(struct arc *a)
{
	a->len += 1024;
	return a->len;
}

/* Runs ustar_find on an exact-size heap copy of the first len bytes, so
 * ASan flags any read past len; returns its status. */
static status_t find_exact(const void *p, size_t len, const char *name)
{
	uint8_t *copy = malloc(len ? len : 1);
	const void *data;
	size_t size;
	memcpy(copy, p, len);
	status_t st = ustar_find(copy, len, name, &data, &size);
	if (st == STATUS_OK &&
	    ((const uint8_t *)data < copy || (const uint8_t *)data + size > copy + len))
		st = STATUS_COUNT; /* no status means this: the test fails */
	free(copy);
	return st;
}

TEST(builder_writes_what_gnu_tar_writes)
{
	static uint8_t real[GNU_TAR_LEN];
	struct arc a;
	gnu_tar_image(real);
	arc_begin(&a);
	member(&a, "sbin/", '5', NULL, 0);
	file(&a, "sbin/init", "hello, keel\n");
	file(&a, LONG_PATH, "virtio-blk driver image\n");
	CHECK_EQ(arc_end(&a), GNU_TAR_LEN);
	CHECK(memcmp(a.buf, real, GNU_TAR_LEN) == 0);
}

TEST(finds_files_in_gnu_tar_archive)
{
	static uint8_t real[GNU_TAR_LEN];
	const void *data;
	size_t size;
	gnu_tar_image(real);
	CHECK_EQ(ustar_find(real, GNU_TAR_LEN, "sbin/init", &data, &size), STATUS_OK);
	CHECK(data == real + 0x400);
	CHECK_EQ(size, 12);
	CHECK(memcmp(data, "hello, keel\n", 12) == 0);
	CHECK_EQ(ustar_find(real, GNU_TAR_LEN, LONG_PATH, &data, &size), STATUS_OK);
	CHECK(data == real + 0x800);
	CHECK_EQ(size, 24);
	CHECK_EQ(find_exact(real, GNU_TAR_LEN, LONG_PATH), STATUS_OK);
}

TEST(find_matches_whole_names_of_regular_files_only)
{
	static uint8_t real[GNU_TAR_LEN];
	const void *data = real;
	size_t size = 99;
	gnu_tar_image(real);
	CHECK_EQ(ustar_find(real, GNU_TAR_LEN, "sbin/", &data, &size), STATUS_NOT_FOUND);
	CHECK(data == NULL);
	CHECK_EQ(size, 0);
	CHECK_EQ(ustar_find(real, GNU_TAR_LEN, "sbin", &data, &size), STATUS_NOT_FOUND);
	CHECK_EQ(ustar_find(real, GNU_TAR_LEN, "init", &data, &size), STATUS_NOT_FOUND);
	CHECK_EQ(ustar_find(real, GNU_TAR_LEN, "sbin/init/", &data, &size), STATUS_NOT_FOUND);
	CHECK_EQ(ustar_find(real, GNU_TAR_LEN, "virtio-blk.driver", &data, &size),
		 STATUS_NOT_FOUND);
	CHECK_EQ(ustar_find(real, GNU_TAR_LEN, "", &data, &size), STATUS_NOT_FOUND);
	CHECK_EQ(ustar_find(real, GNU_TAR_LEN, NULL, &data, &size), STATUS_INVALID);
}

TEST(iterates_every_member_in_order)
{
	static uint8_t real[GNU_TAR_LEN];
	struct ustar_iter it;
	struct ustar_entry e;
	gnu_tar_image(real);
	ustar_iter_init(&it, real, GNU_TAR_LEN);
	CHECK_EQ(ustar_next(&it, &e), STATUS_OK);
	CHECK_STR(e.name, "sbin/");
	CHECK_EQ(e.type, USTAR_DIRECTORY);
	CHECK_EQ(e.size, 0);
	CHECK_EQ(ustar_next(&it, &e), STATUS_OK);
	CHECK_STR(e.name, "sbin/init");
	CHECK_EQ(e.type, USTAR_REGULAR);
	CHECK(e.data == real + 0x400);
	CHECK_EQ(ustar_next(&it, &e), STATUS_OK);
	CHECK_STR(e.name, LONG_PATH);
	CHECK_EQ(e.size, 24);
	CHECK_EQ(ustar_next(&it, &e), STATUS_NOT_FOUND);
	CHECK_EQ(ustar_next(&it, &e), STATUS_NOT_FOUND);
}

TEST(other_member_types_are_iterated_but_not_found)
{
	struct arc a;
	arc_begin(&a);
	member(&a, "etc", '5', NULL, 0);
	member(&a, "link", '2', NULL, 0);
	member(&a, "contig", '7', "abc", 3);
	member(&a, "old", '\0', "v7", 2);
	size_t n = arc_end(&a);
	CHECK_EQ(find_exact(a.buf, n, "etc"), STATUS_NOT_FOUND);
	CHECK_EQ(find_exact(a.buf, n, "link"), STATUS_NOT_FOUND);
	CHECK_EQ(find_exact(a.buf, n, "contig"), STATUS_NOT_FOUND);
	CHECK_EQ(find_exact(a.buf, n, "old"), STATUS_OK);

	struct ustar_iter it;
	struct ustar_entry e;
	char types[5] = { 0 };
	int count = 0;
	ustar_iter_init(&it, a.buf, n);
	while (ustar_next(&it, &e) == STATUS_OK && count < 4)
		types[count++] = e.type ? e.type : 'v';
	CHECK_EQ(count, 4);
	CHECK_STR(types, "527v");
}

TEST(empty_archives_hold_nothing)
{
	struct arc a;
	const void *data;
	size_t size;
	struct ustar_iter it;
	struct ustar_entry e;
	arc_begin(&a);
	CHECK_EQ(ustar_find(NULL, 0, "x", &data, &size), STATUS_NOT_FOUND);
	CHECK_EQ(find_exact(a.buf, 1024, "x"), STATUS_NOT_FOUND);
	CHECK_EQ(find_exact(a.buf, 512, "x"), STATUS_NOT_FOUND);
	CHECK_EQ(ustar_find(NULL, 512, "x", &data, &size), STATUS_INVALID);
	ustar_iter_init(&it, NULL, 0);
	CHECK_EQ(ustar_next(&it, &e), STATUS_NOT_FOUND);
	ustar_iter_init(&it, NULL, 1024);
	CHECK_EQ(ustar_next(&it, &e), STATUS_INVALID);
}

TEST(end_of_archive_markers)
{
	struct arc a;
	arc_begin(&a);
	file(&a, "a", "first");
	size_t bare = a.len;
	CHECK_EQ(find_exact(a.buf, bare, "a"), STATUS_OK);             /* ends at len */
	CHECK_EQ(find_exact(a.buf, bare + 512, "a"), STATUS_OK);       /* lone zero block last */
	CHECK_EQ(find_exact(a.buf, bare + 512 + 100, "a"), STATUS_OK); /* then a partial block */
	CHECK_EQ(find_exact(a.buf, bare + 1024, "a"), STATUS_OK);

	/* A zero block followed by a member is neither an end nor a member. */
	a.len += 512;
	file(&a, "b", "after a lone zero block");
	CHECK_EQ(find_exact(a.buf, a.len, "a"), STATUS_BAD_FORMAT);

	/* Bytes after two zero blocks (tar's record padding) are never read. */
	arc_begin(&a);
	file(&a, "a", "x");
	size_t n = arc_end(&a);
	memset(a.buf + n, 0xa5, 512);
	CHECK_EQ(find_exact(a.buf, n + 512, "a"), STATUS_OK);
	CHECK_EQ(find_exact(a.buf, n + 300, "a"), STATUS_OK);
}

TEST(rejects_partial_header_when_len_is_not_a_block_multiple)
{
	struct arc a;
	arc_begin(&a);
	file(&a, "a", "x");
	size_t one = a.len;
	file(&a, "b", "y");
	CHECK_EQ(find_exact(a.buf, one + 100, "a"), STATUS_BAD_FORMAT);
	CHECK_EQ(find_exact(a.buf, one + 511, "a"), STATUS_BAD_FORMAT);
	CHECK_EQ(find_exact(a.buf, 511, "a"), STATUS_BAD_FORMAT);
	CHECK_EQ(find_exact(a.buf, 1, "a"), STATUS_BAD_FORMAT);
}

TEST(rejects_truncated_data_and_padding)
{
	struct arc a;
	char text[700];
	memset(text, 'd', sizeof text);
	text[sizeof text - 1] = '\0';
	arc_begin(&a);
	file(&a, "big", text); /* 699 bytes: two data blocks */
	CHECK_EQ(find_exact(a.buf, 512 + 1024, "big"), STATUS_OK);
	CHECK_EQ(find_exact(a.buf, 512 + 699, "big"), STATUS_BAD_FORMAT); /* padding cut */
	CHECK_EQ(find_exact(a.buf, 512 + 1023, "big"), STATUS_BAD_FORMAT);
	CHECK_EQ(find_exact(a.buf, 512 + 698, "big"), STATUS_BAD_FORMAT); /* data cut */
	CHECK_EQ(find_exact(a.buf, 512, "big"), STATUS_BAD_FORMAT);

	/* A file whose size is a block multiple has no padding to check. */
	arc_begin(&a);
	memset(text, 'e', 512);
	member(&a, "exact", '0', text, 512);
	CHECK_EQ(find_exact(a.buf, 1024, "exact"), STATUS_OK);
	CHECK_EQ(find_exact(a.buf, 1023, "exact"), STATUS_BAD_FORMAT);
}

TEST(checksum_must_match_unsigned_or_signed_sum)
{
	struct arc a;
	arc_begin(&a);
	uint8_t *h = file(&a, "sbin/caf\xc3\xa9", "x");
	size_t n = arc_end(&a);
	CHECK_EQ(find_exact(a.buf, n, "sbin/caf\xc3\xa9"), STATUS_OK);

	/* Historic tars summed signed chars: 0xc3 and 0xa9 count negative. */
	unsigned usum = 0;
	for (int i = 0; i < 512; i++)
		usum += i >= F_CHKSUM && i < F_CHKSUM + 8 ? ' ' : h[i];
	octal(h, F_CHKSUM, 7, usum - 2 * 256);
	CHECK_EQ(find_exact(a.buf, n, "sbin/caf\xc3\xa9"), STATUS_OK);
	octal(h, F_CHKSUM, 7, usum - 256);
	CHECK_EQ(find_exact(a.buf, n, "sbin/caf\xc3\xa9"), STATUS_BAD_FORMAT);
	octal(h, F_CHKSUM, 7, usum + 1);
	CHECK_EQ(find_exact(a.buf, n, "sbin/caf\xc3\xa9"), STATUS_BAD_FORMAT);

	fix_checksum(h);
	h[F_NAME] ^= 1; /* any changed byte breaks the sum */
	CHECK_EQ(find_exact(a.buf, n, "sbin/caf\xc3\xa9"), STATUS_BAD_FORMAT);
	h[F_NAME] ^= 1;
	memcpy(h + F_CHKSUM, "01x202\0 ", 8);
	CHECK_EQ(find_exact(a.buf, n, "sbin/caf\xc3\xa9"), STATUS_BAD_FORMAT);
	memcpy(h + F_CHKSUM, "        ", 8);
	CHECK_EQ(find_exact(a.buf, n, "sbin/caf\xc3\xa9"), STATUS_BAD_FORMAT);
}

TEST(rejects_other_magic)
{
	struct arc a;
	arc_begin(&a);
	uint8_t *h = file(&a, "a", "x");
	size_t n = arc_end(&a);
	memcpy(h + F_MAGIC, "ustar  \0", 8); /* old GNU format */
	fix_checksum(h);
	CHECK_EQ(find_exact(a.buf, n, "a"), STATUS_BAD_FORMAT);
	memcpy(h + F_MAGIC,
	       "ustar\0"
	       "01",
	       8);
	fix_checksum(h);
	CHECK_EQ(find_exact(a.buf, n, "a"), STATUS_BAD_FORMAT);
	memset(h + F_MAGIC, 0, 8); /* pre-POSIX v7 header */
	fix_checksum(h);
	CHECK_EQ(find_exact(a.buf, n, "a"), STATUS_BAD_FORMAT);
	memcpy(h + F_MAGIC,
	       "ustar\0"
	       "00",
	       8);
	fix_checksum(h);
	CHECK_EQ(find_exact(a.buf, n, "a"), STATUS_OK);
}

/* Writes a 12-byte size field verbatim and fixes the checksum; returns the
 * status of finding the member. */
static status_t with_size_field(struct arc *a, uint8_t *h, const char field[12])
{
	memcpy(h + F_SIZE, field, 12);
	fix_checksum(h);
	return find_exact(a->buf, a->len, "f");
}

TEST(size_field_is_strict_octal)
{
	struct arc a;
	arc_begin(&a);
	uint8_t *h = file(&a, "f", "0123456789");
	arc_end(&a);
	const void *data;
	size_t size;
	CHECK_EQ(with_size_field(&a, h, "00000000012\0"), STATUS_OK);
	CHECK_EQ(with_size_field(&a, h, "         12\0"), STATUS_OK);
	CHECK_EQ(with_size_field(&a, h, "12 \0\0\0\0\0\0\0\0\0"), STATUS_OK);
	CHECK_EQ(with_size_field(&a, h, "000000000012"), STATUS_OK); /* no NUL */
	CHECK_EQ(ustar_find(a.buf, a.len, "f", &data, &size), STATUS_OK);
	CHECK_EQ(size, 10);
	CHECK_EQ(with_size_field(&a, h, "00000000009\0"), STATUS_BAD_FORMAT);
	CHECK_EQ(with_size_field(&a, h, "0000000001x\0"), STATUS_BAD_FORMAT);
	CHECK_EQ(with_size_field(&a, h, "1 2\0\0\0\0\0\0\0\0\0"), STATUS_BAD_FORMAT);
	CHECK_EQ(with_size_field(&a, h,
				 "12\0"
				 "3\0\0\0\0\0\0\0\0"),
		 STATUS_BAD_FORMAT);
	CHECK_EQ(with_size_field(&a, h, "           \0"), STATUS_BAD_FORMAT);
	CHECK_EQ(with_size_field(&a, h, "\0\0\0\0\0\0\0\0\0\0\0\0"), STATUS_BAD_FORMAT);
	CHECK_EQ(with_size_field(&a, h, "+0000000012\0"), STATUS_BAD_FORMAT);
	CHECK_EQ(with_size_field(&a, h, "\x80\0\0\0\0\0\0\0\0\0\0\x0a"), STATUS_BAD_FORMAT);
	CHECK_EQ(with_size_field(&a, h, "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xf6"),
		 STATUS_BAD_FORMAT); /* base-256 -10 */
}

TEST(huge_sizes_are_rejected_not_wrapped)
{
	struct arc a;
	arc_begin(&a);
	uint8_t *h = file(&a, "f", "x");
	arc_end(&a);
	CHECK_EQ(with_size_field(&a, h, "77777777777\0"), STATUS_BAD_FORMAT);
	CHECK_EQ(with_size_field(&a, h, "777777777777"), STATUS_BAD_FORMAT);
	CHECK_EQ(with_size_field(&a, h, "00000003001\0"), STATUS_BAD_FORMAT);
	/* Everything after the header, end marker included, as data. */
	CHECK_EQ(with_size_field(&a, h, "00000003000\0"), STATUS_OK);
}

TEST(joins_prefix_and_name)
{
	char prefix[156], name[101], full[USTAR_NAME_MAX];
	memset(prefix, 'p', 155);
	prefix[155] = '\0';
	memset(name, 'n', 100);
	name[100] = '\0';
	snprintf(full, sizeof full, "%s/%s", prefix, name);

	struct arc a;
	arc_begin(&a);
	file(&a, full, "longest"); /* both fields full, no NULs */
	file(&a, name, "fills the name field");
	size_t n = arc_end(&a);
	CHECK_EQ(a.buf[F_PREFIX + 154], 'p');
	CHECK_EQ(a.buf[F_NAME + 99], 'n');
	CHECK_EQ(strlen(full), USTAR_NAME_MAX - 1);

	struct ustar_iter it;
	struct ustar_entry e;
	ustar_iter_init(&it, a.buf, n);
	CHECK_EQ(ustar_next(&it, &e), STATUS_OK);
	CHECK_STR(e.name, full);
	CHECK_EQ(ustar_next(&it, &e), STATUS_OK);
	CHECK_STR(e.name, name);
	CHECK_EQ(find_exact(a.buf, n, full), STATUS_OK);
	CHECK_EQ(find_exact(a.buf, n, name), STATUS_OK);
}

TEST(rejects_empty_name)
{
	struct arc a;
	arc_begin(&a);
	uint8_t *h = file(&a, "x", "x");
	size_t n = arc_end(&a);
	h[F_NAME] = '\0';
	fix_checksum(h);
	CHECK_EQ(find_exact(a.buf, n, ""), STATUS_BAD_FORMAT);
	memcpy(h + F_PREFIX, "dir", 3); /* a prefix alone is not a name */
	fix_checksum(h);
	CHECK_EQ(find_exact(a.buf, n, "dir/"), STATUS_BAD_FORMAT);
}

TEST(find_checks_whole_archive_and_rejects_duplicates)
{
	struct arc a;
	arc_begin(&a);
	file(&a, "a", "one");
	uint8_t *h = file(&a, "b", "two");
	size_t n = arc_end(&a);
	CHECK_EQ(find_exact(a.buf, n, "a"), STATUS_OK);
	/* A broken member after the one asked for still fails the search. */
	h[F_SIZE] = '9';
	fix_checksum(h);
	CHECK_EQ(find_exact(a.buf, n, "a"), STATUS_BAD_FORMAT);

	arc_begin(&a);
	file(&a, "a", "one");
	file(&a, "b", "two");
	file(&a, "a", "again");
	n = arc_end(&a);
	CHECK_EQ(find_exact(a.buf, n, "a"), STATUS_EXISTS);
	CHECK_EQ(find_exact(a.buf, n, "b"), STATUS_OK);

	/* Same name as a directory and as a file is not a duplicate. */
	arc_begin(&a);
	member(&a, "d", '5', NULL, 0);
	file(&a, "d", "file");
	n = arc_end(&a);
	CHECK_EQ(find_exact(a.buf, n, "d"), STATUS_OK);
}

TEST(iterator_stays_failed)
{
	struct arc a;
	arc_begin(&a);
	file(&a, "a", "x");
	uint8_t *h = file(&a, "b", "y");
	file(&a, "c", "z");
	size_t n = arc_end(&a);
	h[F_CHKSUM] = 'x';

	struct ustar_iter it;
	struct ustar_entry e;
	ustar_iter_init(&it, a.buf, n);
	CHECK_EQ(ustar_next(&it, &e), STATUS_OK);
	CHECK_STR(e.name, "a");
	CHECK_EQ(ustar_next(&it, &e), STATUS_BAD_FORMAT);
	CHECK_EQ(ustar_next(&it, &e), STATUS_BAD_FORMAT);
	CHECK_EQ(it.status, STATUS_BAD_FORMAT);
}

static uint64_t xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* Flips 1-4 bytes, mostly in headers, and usually repairs the checksums so
 * that the corruption reaches the checks behind them. */
static size_t corrupt(struct arc *a, size_t n, uint64_t *x)
{
	static const size_t headers[] = { 0, 1024, 1536 };
	for (int k = 0, m = 1 + (int)(xorshift(x) % 4); k < m; k++) {
		uint64_t r = xorshift(x);
		size_t at = r % 4 ? headers[(r >> 8) % 3] + (r >> 16) % 512 : (r >> 16) % n;
		a->buf[at] ^= (uint8_t)(r >> 40 | 1);
	}
	if (xorshift(x) % 4)
		for (int i = 0; i < 3; i++)
			fix_checksum(a->buf + headers[i]);
	uint64_t r = xorshift(x);
	return r % 8 ? n : r % (n + 1);
}

/* Random corruption must never make the reader step outside the archive:
 * every member it returns lies inside the exact-size copy ASan watches. */
TEST(survives_random_corruption)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;
	int ok = 0;
	for (int round = 0; round < 20000; round++) {
		struct arc a;
		arc_begin(&a);
		file(&a, "sbin/init", "hello, keel\n");
		member(&a, "lib/", '5', NULL, 0);
		file(&a, "lib/data", "some data for the fuzzer to bend");
		size_t n = corrupt(&a, arc_end(&a), &x);

		uint8_t *copy = malloc(n ? n : 1);
		memcpy(copy, a.buf, n);
		struct ustar_iter it;
		struct ustar_entry e;
		ustar_iter_init(&it, copy, n);
		while (ustar_next(&it, &e) == STATUS_OK) {
			const uint8_t *d = e.data;
			CHECK(d >= copy + 512 && d <= copy + n);
			CHECK(e.size <= (size_t)(copy + n - d));
			CHECK(strlen(e.name) > 0 && strlen(e.name) < USTAR_NAME_MAX);
			ok++;
		}
		CHECK(it.status == STATUS_NOT_FOUND || it.status == STATUS_BAD_FORMAT);
		free(copy);
		status_t st = find_exact(a.buf, n, "sbin/init");
		CHECK(st == STATUS_OK || st == STATUS_NOT_FOUND || st == STATUS_BAD_FORMAT ||
		      st == STATUS_EXISTS);
	}
	CHECK(ok > 10000); /* the corruption did not just break every header */
}

int main(void)
{
	RUN(builder_writes_what_gnu_tar_writes);
	RUN(finds_files_in_gnu_tar_archive);
	RUN(find_matches_whole_names_of_regular_files_only);
	RUN(iterates_every_member_in_order);
	RUN(other_member_types_are_iterated_but_not_found);
	RUN(empty_archives_hold_nothing);
	RUN(end_of_archive_markers);
	RUN(rejects_partial_header_when_len_is_not_a_block_multiple);
	RUN(rejects_truncated_data_and_padding);
	RUN(checksum_must_match_unsigned_or_signed_sum);
	RUN(rejects_other_magic);
	RUN(size_field_is_strict_octal);
	RUN(huge_sizes_are_rejected_not_wrapped);
	RUN(joins_prefix_and_name);
	RUN(rejects_empty_name);
	RUN(find_checks_whole_archive_and_rejects_duplicates);
	RUN(iterator_stays_failed);
	RUN(survives_random_corruption);
	return check_summary();
}
