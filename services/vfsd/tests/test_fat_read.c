/*
 * test_fat_read.c - the engine reads volumes that other tools made.
 *
 * mkfs.fat makes FAT12, FAT16 and FAT32 images with various cluster and
 * sector sizes; mcopy -s -m copies a host tree into them (long and short
 * names, lower-case 8.3 names, Latin and other BMP names, nested
 * directories, an empty directory, empty files, files over many clusters,
 * a directory of 300 entries) with known modification times. The engine
 * must list and read back exactly the host tree: names, types, sizes,
 * bytes, times; its short names must be the ones mdir prints, its free
 * count the one fsck.fat reports.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>

#include "check.h"
#include "testutil.h"

#define MTIME_BASE 1262304000 /* 2010-01-01 00:00:00 UTC */

static const char *dir;
static char host_tree[512];

static void host_file(const char *rel, size_t size, uint64_t seed, int64_t mtime)
{
	char path[1024];
	uint8_t *buf = malloc(size ? size : 1);
	struct timeval tv[2] = { { (time_t)mtime, 0 }, { (time_t)mtime, 0 } };

	snprintf(path, sizeof path, "%s/%s", host_tree, rel);
	fill_bytes(buf, size, seed);
	FILE *f = fopen(path, "wb");
	CHECK(f != NULL);
	CHECK_EQ(fwrite(buf, 1, size, f), size);
	fclose(f);
	free(buf);
	CHECK_EQ(utimes(path, tv), 0);
}

static void host_dir(const char *rel)
{
	char path[1024];

	snprintf(path, sizeof path, "%s/%s", host_tree, rel);
	CHECK_EQ(mkdir(path, 0755), 0);
}

/* The host tree; big adds files of hundreds of KiB. */
static void build_host_tree(int big)
{
	int status;
	char longname[256];
	int64_t t = MTIME_BASE;

	snprintf(host_tree, sizeof host_tree, "%s/tree", dir);
	free(sh(&status, "rm -rf '%s'", host_tree));
	CHECK_EQ(mkdir(host_tree, 0755), 0);
	host_file("README.TXT", 100, 1, t += 2);
	host_file("notes.txt", 0, 2, t += 2);
	host_file("MixedCase.Txt", 5000, 3, t += 2);
	host_file("A long file name with spaces.data", 70000, 4, t += 3);
	host_file("\xc3\xbcn\xc3\xaf"
		  "c\xc3\xb8"
		  "d\xc3\xa9 \xe2\x80\x94 \xc3\xb1"
		  "ame.txt",
		  300, 5, t += 2);
	host_file("r\xc3\xa9sum\xc3\xa9.doc", 10, 6, t += 2);
	host_file("x+y=z", 1, 7, t += 2);
	host_file(".config", 50, 8, t += 2);
	host_file("\xce\x9a\xce\xb1\xce\xbb\xce\xb7\xce\xbc\xce\xad\xcf\x81\xce\xb1.txt", 20, 9,
		  t += 2);
	host_file("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e.txt", 33, 10, t += 2);
	memset(longname, 'L', 200);
	memcpy(longname + 200, ".end", 5);
	host_file(longname, 17, 11, t += 2);
	host_dir("deep");
	host_dir("deep/a");
	host_dir("deep/a/b");
	host_dir("deep/a/b/Level Three");
	host_dir("deep/a/b/Level Three/d");
	host_file("deep/a/b/Level Three/d/leaf.bin", 1234, 12, t += 2);
	host_dir("empty dir");
	host_dir("Dir.With.Dots");
	host_file("Dir.With.Dots/x.y.z.txt", 77, 13, t += 2);
	host_dir("many");
	for (int i = 0; i < 300; i++) {
		char rel[64];
		snprintf(rel, sizeof rel, "many/file_%03d.txt", i);
		host_file(rel, (size_t)i * 7, 100 + (uint64_t)i, t += 2);
	}
	if (big) {
		host_dir("big");
		host_file("big/large.bin", 600 * 1024 + 3, 14, t += 2);
		host_file("big/exact.bin", 256 * 1024, 15, t += 2);
	}
}

/* Short names (as "BASE.EXT", upper case, ASCII ones only: mdir's columns
 * are bytes) that mdir lists for path, sorted. */
static char *mdir_shorts(const char *img, const char *path)
{
	int status;

	return sh(&status,
		  "mdir -a -i '%s' '::%s' | awk 'length($0) > 12 && substr($0,1,1) != \" \" && "
		  "$1 != \".\" && $1 != \"..\" && $1 != \"Directory\" { b = substr($0,1,8); "
		  "e = substr($0,10,3); sub(/ +$/, \"\", b); sub(/ +$/, \"\", e); "
		  "print (e == \"\" ? b : b \".\" e) }' | LC_ALL=C grep -v '[^ -~]' | "
		  "tr a-z A-Z | LC_ALL=C sort",
		  img, path);
}

/* Our short names for dir, in the same form. */
static char *our_shorts(struct tvol *t, fat_handle_t d)
{
	struct tentry *es;
	size_t n;
	char path[512];
	int status;

	CHECK_EQ(list_dir(t, d, 8192, &es, &n), STATUS_OK);
	snprintf(path, sizeof path, "%s/shorts", dir);
	FILE *f = fopen(path, "w");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s\n", es[i].short_name);
	fclose(f);
	free(es);
	return sh(&status, "LC_ALL=C grep -v '[^ -~]' '%s' | LC_ALL=C sort", path);
}

static void check_kind(const char *opts, unsigned kib, uint32_t block, enum fat_kind kind, int big)
{
	char img[512], why[1024];
	struct tvol t = { 0 };
	fat_handle_t tree;
	int status;

	snprintf(img, sizeof img, "%s/read.img", dir);
	build_host_tree(big);
	CHECK_EQ(make_image(img, opts, kib), 0);
	char *o = sh(&status, "mcopy -s -m -i '%s' '%s' :: 2>&1", img, host_tree);
	if (status)
		CHECK_FAIL("mcopy: %s", o);
	free(o);
	char *fsck;
	CHECK(fsck_clean(img, &fsck));
	CHECK_EQ(imgdev_load(&t.img, img, block), 0);
	CHECK_EQ(tvol_mount(&t, FAT_MOUNT_READ_ONLY), STATUS_OK);
	CHECK_EQ(t.info.kind, kind);
	CHECK(!t.info.was_dirty);
	/* "img: 14 files, 170/2036 clusters" */
	const char *p = strstr(fsck, " files, ");
	CHECK(p != NULL);
	unsigned used = 0, total = 0;
	CHECK_EQ(sscanf(p, " files, %u/%u clusters", &used, &total), 2);
	CHECK_EQ(t.info.clusters, total);
	CHECK_EQ(t.info.free_clusters, total - used);
	free(fsck);
	CHECK_EQ(tpath_open(&t, "tree", &tree), STATUS_OK);
	if (compare_tree(&t, tree, host_tree, 1, why, sizeof why))
		CHECK_FAIL("%s: %s", opts, why);
	char *theirs = mdir_shorts(img, "/tree"), *ours = our_shorts(&t, tree);
	if (strcmp(theirs, ours) != 0)
		CHECK_FAIL("short names differ:\nmdir:\n%s\nours:\n%s", theirs, ours);
	free(theirs);
	free(ours);
	fat_close(&t.v, tree);
	CHECK_EQ(tvol_unmount(&t), STATUS_OK);
	tvol_release(&t);
	imgdev_free(&t.img);
}

TEST(reads_fat12_trees)
{
	check_kind("-F 12", 1440, 512, FAT_KIND_12, 0);
	check_kind("-F 12 -s 8", 16000, 512, FAT_KIND_12, 1);
}

TEST(reads_fat16_trees)
{
	check_kind("-F 16 -s 1", 20000, 512, FAT_KIND_16, 1);
	check_kind("-F 16 -s 16", 65536, 512, FAT_KIND_16, 1);
	check_kind("-F 16 -S 2048 -s 1", 32768, 512, FAT_KIND_16, 1);
	check_kind("-F 16 -S 4096 -s 1", 65536, 4096, FAT_KIND_16, 1);
}

TEST(reads_fat32_trees)
{
	check_kind("-F 32 -s 1", 65536, 512, FAT_KIND_32, 1);
	check_kind("-F 32 -s 2", 70000, 512, FAT_KIND_32, 1);
}

/* An image with the tree, mounted read-only into t. */
static void mount_tree(struct tvol *t, const char *opts, unsigned kib, uint32_t flags)
{
	char img[512];
	int status;

	snprintf(img, sizeof img, "%s/tree.img", dir);
	build_host_tree(1);
	CHECK_EQ(make_image(img, opts, kib), 0);
	free(sh(&status, "mcopy -s -m -i '%s' '%s' :: 2>&1", img, host_tree));
	CHECK_EQ(status, 0);
	CHECK_EQ(imgdev_load(&t->img, img, 512), 0);
	CHECK_EQ(tvol_mount(t, flags), STATUS_OK);
}

static void unmount_tree(struct tvol *t)
{
	CHECK_EQ(tvol_unmount(t), STATUS_OK);
	tvol_release(t);
	imgdev_free(&t->img);
}

TEST(lookups_ignore_case_and_take_short_names)
{
	static struct tvol t;
	fat_handle_t a, b, c;
	struct fat_stat s;

	mount_tree(&t, "-F 16", 20000, FAT_MOUNT_READ_ONLY);
	CHECK_EQ(tpath_open(&t, "tree/README.TXT", &a), STATUS_OK);
	CHECK_EQ(tpath_open(&t, "TREE/readme.txt", &b), STATUS_OK);
	CHECK_EQ(a, b); /* one node, two references */
	CHECK_EQ(tpath_open(&t, "tree/ALONGF~1.DAT", &c), STATUS_OK);
	CHECK_EQ(fat_stat(&t.v, c, &s), STATUS_OK);
	CHECK_EQ(s.size, 70000);
	CHECK_EQ(s.mtime, MTIME_BASE + 8); /* 2+2+2+3, rounded down to even */
	fat_close(&t.v, c);
	CHECK_EQ(tpath_open(&t, "tree/mixedcase.TXT", &c), STATUS_OK);
	fat_close(&t.v, c);
	CHECK_EQ(tpath_open(&t, "tree/R\xc3\x89SUM\xc3\x89.DOC", &c), STATUS_OK);
	fat_close(&t.v, c);
	CHECK_EQ(
		tpath_open(
			&t,
			"tree/\xce\xba\xce\x91\xce\x9b\xce\x97\xce\x9c\xce\x88\xce\xa1\xce\x91.TXT",
			&c),
		STATUS_NOT_FOUND); /* accented capital epsilon is not folded: documented */
	CHECK_EQ(
		tpath_open(
			&t,
			"tree/\xce\xba\xce\x91\xce\x9b\xce\x97\xce\x9c\xce\xad\xce\xa1\xce\x91.TXT",
			&c),
		STATUS_OK);
	fat_close(&t.v, c);
	CHECK_EQ(tpath_open(&t, "tree/no such file", &c), STATUS_NOT_FOUND);
	CHECK_EQ(tpath_open(&t, "tree/README.TXT/x", &c), FAT_ST_NOT_DIR);
	/* A name FAT cannot hold names nothing there. */
	CHECK_EQ(tpath_open(&t, "tree/bad:name", &c), STATUS_NOT_FOUND);
	fat_close(&t.v, a);
	fat_close(&t.v, b);
	CHECK_EQ(fat_close(&t.v, b), FAT_ST_BAD_HANDLE);
	CHECK_EQ(fat_stat(&t.v, a, &s), FAT_ST_BAD_HANDLE);
	unmount_tree(&t);
}

TEST(reads_in_odd_pieces_match_whole_reads)
{
	static struct tvol t;
	fat_handle_t f;
	uint8_t *want = malloc(600 * 1024 + 3), *got = malloc(600 * 1024 + 3);
	uint64_t r = 7;
	size_t done;

	mount_tree(&t, "-F 32 -s 1", 65536, FAT_MOUNT_READ_ONLY);
	fill_bytes(want, 600 * 1024 + 3, 14);
	CHECK_EQ(tpath_open(&t, "tree/big/large.bin", &f), STATUS_OK);
	for (size_t off = 0; off < 600 * 1024 + 3;) {
		size_t n = 1 + rng_next(&r) % 9000;
		CHECK_EQ(fat_read(&t.v, f, off, got + off, n, &done), STATUS_OK);
		CHECK(done == n || off + done == 600 * 1024 + 3);
		off += done;
	}
	CHECK(memcmp(want, got, 600 * 1024 + 3) == 0);
	for (int i = 0; i < 2000; i++) {
		size_t off = rng_next(&r) % (600 * 1024 + 10), n = rng_next(&r) % 20000;
		CHECK_EQ(fat_read(&t.v, f, off, got, n, &done), STATUS_OK);
		size_t expect = off >= 600 * 1024 + 3      ? 0
				: n < 600 * 1024 + 3 - off ? n
							   : 600 * 1024 + 3 - off;
		CHECK_EQ(done, expect);
		CHECK(memcmp(want + (off < 600 * 1024 + 3 ? off : 0), got, done) == 0);
	}
	fat_close(&t.v, f);
	free(want);
	free(got);
	unmount_tree(&t);
}

TEST(readdir_resumes_with_a_one_record_buffer)
{
	static struct tvol t;
	fat_handle_t d;
	struct tentry *big, *small;
	size_t nb, ns;
	uint8_t tiny[8];
	uint32_t cookie = 0;
	size_t used;

	mount_tree(&t, "-F 16", 20000, FAT_MOUNT_READ_ONLY);
	CHECK_EQ(tpath_open(&t, "tree/many", &d), STATUS_OK);
	CHECK_EQ(list_dir(&t, d, 65536, &big, &nb), STATUS_OK);
	CHECK_EQ(list_dir(&t, d, FAT_DIRENT_MAX, &small, &ns), STATUS_OK);
	CHECK_EQ(nb, 300);
	CHECK_EQ(ns, 300);
	for (size_t i = 0; i < nb; i++)
		CHECK_STR(big[i].name, small[i].name);
	CHECK_EQ(fat_readdir(&t.v, d, &cookie, tiny, sizeof tiny, &used), STATUS_RANGE);
	CHECK_EQ(used, 0);
	CHECK_EQ(cookie, 0);
	free(big);
	free(small);
	fat_close(&t.v, d);
	unmount_tree(&t);
}

TEST(fat12_mounts_read_only_and_refuses_writes)
{
	static struct tvol t;
	fat_handle_t f;
	size_t done;

	mount_tree(&t, "-F 12 -s 8", 16000, 0);
	CHECK_EQ(t.info.kind, FAT_KIND_12);
	CHECK(t.info.read_only);
	CHECK_EQ(fat_create(&t.v, t.root, "new.txt", 7, 0, &f), FAT_ST_READ_ONLY);
	CHECK_EQ(fat_mkdir(&t.v, t.root, "d", 1, NULL), FAT_ST_READ_ONLY);
	CHECK_EQ(tpath_open(&t, "tree/README.TXT", &f), STATUS_OK);
	CHECK_EQ(fat_write(&t.v, f, 0, "x", 1, &done), FAT_ST_READ_ONLY);
	CHECK_EQ(fat_truncate(&t.v, f, 0), FAT_ST_READ_ONLY);
	fat_close(&t.v, f);
	CHECK_EQ(tpath_unlink(&t, "tree/README.TXT"), FAT_ST_READ_ONLY);
	CHECK_EQ(tpath_rename(&t, "tree/notes.txt", "tree/n.txt"), FAT_ST_READ_ONLY);
	CHECK_EQ(t.img.write_reqs, 0);
	unmount_tree(&t);
	CHECK_EQ(t.img.write_reqs, 0);
}

TEST(an_unclean_volume_is_reported)
{
	char img[512];
	struct tvol t = { 0 };

	snprintf(img, sizeof img, "%s/dirty.img", dir);
	CHECK_EQ(make_image(img, "-F 32 -s 1", 65536), 0);
	CHECK_EQ(imgdev_load(&t.img, img, 512), 0);
	CHECK_EQ(tvol_mount(&t, 0), STATUS_OK);
	CHECK(!t.info.was_dirty);
	CHECK_EQ(t.img.mem[0x41] & 1, 1); /* marked while mounted */
	/* A power cut now: the marks stay. */
	CHECK_EQ(tvol_mount(&t, FAT_MOUNT_READ_ONLY), STATUS_OK);
	CHECK(t.info.was_dirty);
	CHECK_EQ(tvol_unmount(&t), STATUS_OK);
	/* Only FAT[1]'s clean bit (Windows' mark) cleared: still reported. */
	t.img.mem[0x41] &= ~1;
	CHECK_EQ(tvol_mount(&t, 0), STATUS_OK);
	CHECK(t.info.was_dirty);
	CHECK_EQ(tvol_unmount(&t), STATUS_OK);
	CHECK_EQ(t.img.mem[0x41] & 1, 0);
	CHECK_EQ(tvol_mount(&t, 0), STATUS_OK);
	CHECK(!t.info.was_dirty);
	CHECK_EQ(tvol_unmount(&t), STATUS_OK);
	CHECK_EQ(imgdev_save(&t.img, img), 0);
	CHECK(fsck_clean(img, NULL));
	tvol_release(&t);
	imgdev_free(&t.img);
}

int main(void)
{
	dir = test_setup();
	RUN(reads_fat12_trees);
	RUN(reads_fat16_trees);
	RUN(reads_fat32_trees);
	RUN(lookups_ignore_case_and_take_short_names);
	RUN(reads_in_odd_pieces_match_whole_reads);
	RUN(readdir_resumes_with_a_one_record_buffer);
	RUN(fat12_mounts_read_only_and_refuses_writes);
	RUN(an_unclean_volume_is_reported);
	return check_summary();
}
