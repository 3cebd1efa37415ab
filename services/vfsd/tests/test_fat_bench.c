/*
 * test_fat_bench.c - figures of the engine over an image in memory: a 64
 * MiB file written and read in 64 KiB calls, and 1,000 small files
 * created, listed and deleted. Prints the time of each phase and what it
 * asked of the device; checks the data and fsck.fat's verdict, so that it
 * is a test as well. Times on a shared host are noise; the request counts
 * are not. (The real benchmark runs in QEMU against a Linux peer.)
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "testutil.h"

#define BIG (64u << 20)
#define CHUNK (64u << 10)
#define SMALL_FILES 1000

static const char *dir;
static struct tvol t;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

struct mark {
	double t;
	uint64_t reads, writes, flushes, blocks;
};

/* The 64 KiB at off: one random block with off stamped in front, so that
 * making the data costs next to nothing beside the engine. */
static void chunk_at(uint8_t *chunk, uint32_t off)
{
	static uint8_t pattern[CHUNK];
	static int made;

	if (!made) {
		fill_bytes(pattern, CHUNK, 1);
		made = 1;
	}
	memcpy(chunk, pattern, CHUNK);
	memcpy(chunk, &off, sizeof off);
}

static struct mark mark(void)
{
	return (struct mark){ now(), t.img.read_reqs, t.img.write_reqs, t.img.flushes,
			      t.img.blocks_written };
}

static void figure(const char *what, struct mark a, double mib)
{
	struct mark b = mark();
	double s = b.t - a.t;

	printf("  %-34s %8.3f s", what, s);
	if (mib > 0)
		printf(" %8.1f MiB/s", mib / s);
	else
		printf("              ");
	printf("  device: %llu reads, %llu writes (%llu blocks), %llu flushes\n",
	       (unsigned long long)(b.reads - a.reads), (unsigned long long)(b.writes - a.writes),
	       (unsigned long long)(b.blocks - a.blocks),
	       (unsigned long long)(b.flushes - a.flushes));
}

TEST(a_64_mib_file_written_and_read_in_64_kib_calls)
{
	char img[512];
	uint8_t *chunk = malloc(CHUNK), *got = malloc(CHUNK);
	fat_handle_t f;
	size_t done;

	snprintf(img, sizeof img, "%s/bench.img", dir);
	CHECK_EQ(make_image(img, "-F 32 -s 8", 300 * 1024), 0);
	CHECK_EQ(imgdev_load(&t.img, img, 512), 0);
	t.cache_bytes = 256 * 1024;
	CHECK_EQ(tvol_mount(&t, 0), STATUS_OK);
	printf("  FAT32, %u-byte clusters, %u KiB of cache\n", t.info.cluster_size,
	       (unsigned)(t.cache_bytes / 1024));
	struct mark m = mark();
	CHECK_EQ(fat_create(&t.v, t.root, "big.bin", 7, 0, &f), STATUS_OK);
	for (uint32_t off = 0; off < BIG; off += CHUNK) {
		chunk_at(chunk, off);
		CHECK_EQ(fat_write(&t.v, f, off, chunk, CHUNK, &done), STATUS_OK);
	}
	CHECK_EQ(fat_fsync(&t.v, f), STATUS_OK);
	figure("write 64 MiB + fsync", m, 64);
	CHECK_EQ(fat_close(&t.v, f), STATUS_OK);
	CHECK_EQ(tvol_unmount(&t), STATUS_OK);
	CHECK_EQ(tvol_mount(&t, 0), STATUS_OK);
	m = mark();
	CHECK_EQ(fat_open(&t.v, t.root, "big.bin", 7, &f), STATUS_OK);
	for (uint32_t off = 0; off < BIG; off += CHUNK) {
		CHECK_EQ(fat_read(&t.v, f, off, got, CHUNK, &done), STATUS_OK);
		CHECK_EQ(done, CHUNK);
		chunk_at(chunk, off);
		if (memcmp(chunk, got, CHUNK) != 0)
			CHECK_FAIL("bytes differ at %u", off);
	}
	figure("read 64 MiB (after remount)", m, 64);
	m = mark();
	CHECK_EQ(fat_truncate(&t.v, f, 0), STATUS_OK);
	CHECK_EQ(fat_close(&t.v, f), STATUS_OK);
	CHECK_EQ(tpath_unlink(&t, "big.bin"), STATUS_OK);
	CHECK_EQ(fat_sync(&t.v), STATUS_OK);
	figure("truncate and delete it + sync", m, 0);
	free(chunk);
	free(got);
}

TEST(a_thousand_small_files_created_listed_and_deleted)
{
	char name[64];
	uint8_t data[2048];
	fat_handle_t d, f;
	size_t done;

	CHECK_EQ(tpath_mkdir(&t, "small"), STATUS_OK);
	CHECK_EQ(tpath_open(&t, "small", &d), STATUS_OK);
	struct mark m = mark();
	for (int i = 0; i < SMALL_FILES; i++) {
		snprintf(name, sizeof name, "small file number %04d.txt", i);
		fill_bytes(data, sizeof data, (uint64_t)i);
		CHECK_EQ(fat_create(&t.v, d, name, strlen(name), FAT_CREATE_EXCL, &f), STATUS_OK);
		CHECK_EQ(fat_write(&t.v, f, 0, data, 100 + (size_t)i % 1900, &done), STATUS_OK);
		CHECK_EQ(fat_close(&t.v, f), STATUS_OK);
	}
	CHECK_EQ(fat_sync(&t.v), STATUS_OK);
	figure("create 1,000 files (100-2000 B) + sync", m, 0);
	m = mark();
	struct tentry *es;
	size_t n;
	CHECK_EQ(list_dir(&t, d, 16384, &es, &n), STATUS_OK);
	CHECK_EQ(n, SMALL_FILES);
	free(es);
	figure("list them (readdir, 16 KiB buffer)", m, 0);
	m = mark();
	for (int i = 0; i < SMALL_FILES; i++) {
		snprintf(name, sizeof name, "small file number %04d.txt", i);
		CHECK_EQ(fat_open(&t.v, d, name, strlen(name), &f), STATUS_OK);
		CHECK_EQ(fat_read(&t.v, f, 0, data, sizeof data, &done), STATUS_OK);
		CHECK_EQ(done, 100 + (size_t)i % 1900);
		CHECK_EQ(fat_close(&t.v, f), STATUS_OK);
	}
	figure("open and read each of them", m, 0);
	m = mark();
	for (int i = 0; i < SMALL_FILES; i++) {
		snprintf(name, sizeof name, "small file number %04d.txt", i);
		CHECK_EQ(fat_unlink(&t.v, d, name, strlen(name)), STATUS_OK);
	}
	CHECK_EQ(fat_sync(&t.v), STATUS_OK);
	figure("delete them + sync", m, 0);
	CHECK_EQ(fat_close(&t.v, d), STATUS_OK);
	CHECK_EQ(tvol_unmount(&t), STATUS_OK);
	printf("  cache: %llu hits, %llu misses, %llu evictions, %llu forced write-backs\n",
	       (unsigned long long)t.v.cache.stats.hits, (unsigned long long)t.v.cache.stats.misses,
	       (unsigned long long)t.v.cache.stats.evictions,
	       (unsigned long long)t.v.cache.stats.forced);
	char img[512], *report;
	snprintf(img, sizeof img, "%s/bench.img", dir);
	CHECK_EQ(imgdev_save(&t.img, img), 0);
	if (!fsck_clean(img, &report))
		CHECK_FAIL("fsck.fat:\n%s", report);
	free(report);
	tvol_release(&t);
	imgdev_free(&t.img);
}

int main(void)
{
	dir = test_setup();
	RUN(a_64_mib_file_written_and_read_in_64_kib_calls);
	RUN(a_thousand_small_files_created_listed_and_deleted);
	return check_summary();
}
