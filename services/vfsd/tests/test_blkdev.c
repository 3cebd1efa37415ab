/*
 * vfsd's machine back-end (blkdev.c) over a stand-in of libsys's block
 * client that serves an image in memory with the contract's calls: the
 * device it presents has the client's geometry, the engine mounts,
 * writes and unmounts through it, and fsck.fat finds the result clean.
 */
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "check.h"
#include "imgdev.h"
#include "keel/block.h"
#include "testutil.h"

/* The stand-in keeps its state here, not in struct blk_client, so that it
 * compiles against the real keel/block.h as well as against the copy. */
static struct imgdev disk;
static struct blk_client *opened;
static unsigned opens, closes, flushes;

status_t blk_open(struct blk_client *c, cap_handle_t dev, size_t shm_bytes)
{
	if (dev != 42 || shm_bytes == 0)
		return STATUS_BAD_CAP;
	opened = c;
	opens++;
	return STATUS_OK;
}

status_t blk_info(struct blk_client *c, uint64_t *blocks, uint32_t *block_size)
{
	if (c != opened)
		return STATUS_INVALID;
	*blocks = disk.dev.block_count;
	*block_size = disk.dev.block_size;
	return STATUS_OK;
}

status_t blk_read(struct blk_client *c, uint64_t lba, uint32_t count, void *buf)
{
	return c == opened ? disk.dev.read(disk.dev.ctx, lba, count, buf) : STATUS_INVALID;
}

status_t blk_write(struct blk_client *c, uint64_t lba, uint32_t count, const void *buf)
{
	return c == opened ? disk.dev.write(disk.dev.ctx, lba, count, buf) : STATUS_INVALID;
}

status_t blk_flush(struct blk_client *c)
{
	flushes++;
	return c == opened ? STATUS_OK : STATUS_INVALID;
}

void blk_close(struct blk_client *c)
{
	if (c == opened)
		closes++;
}

TEST(no_block_capability_is_not_found)
{
	struct keel_start s = { 0 };
	struct bdev dev;
	uint8_t mem[256];
	struct arena a;
	arena_init(&a, mem, sizeof mem);
	CHECK_EQ(vfsd_backend_open(&s, &a, &dev), STATUS_NOT_FOUND);
	s.caps[0] = 7;
	CHECK_EQ(vfsd_backend_open(&s, &a, &dev), STATUS_BAD_CAP);
}

TEST(the_engine_runs_over_the_block_client)
{
	const char *dir = test_setup();
	char img[512];
	snprintf(img, sizeof img, "%s/b.img", dir);
	CHECK_EQ(make_image(img, "-F 32 -s 1", 40 * 1024), 0);
	CHECK_EQ(imgdev_load(&disk, img, 512), 0);
	struct keel_start s = { .caps = { 42 } };
	size_t bytes = 1 << 20;
	uint8_t *mem = malloc(bytes);
	struct arena a;
	struct bdev dev;
	struct fat_volume v;
	fat_handle_t root, f;
	size_t done;
	arena_init(&a, mem, bytes);
	CHECK_EQ(vfsd_backend_open(&s, &a, &dev), STATUS_OK);
	CHECK_EQ(dev.block_size, 512);
	CHECK_EQ(dev.block_count, disk.dev.block_count);
	CHECK(dev.flags & BDEV_VOLATILE_CACHE);
	struct fat_mount_params p = {
		.dev = &dev, .arena = &a, .max_nodes = 16, .cache_bytes = 256 * 1024
	};
	CHECK_EQ(fat_mount(&v, &p, NULL), STATUS_OK);
	CHECK_EQ(fat_root(&v, &root), STATUS_OK);
	CHECK_EQ(fat_create(&v, root, "through blk.txt", 15, 0, &f), STATUS_OK);
	CHECK_EQ(fat_write(&v, f, 0, "block client\n", 13, &done), STATUS_OK);
	CHECK_EQ(fat_close(&v, f), STATUS_OK);
	CHECK_EQ(fat_close(&v, root), STATUS_OK);
	CHECK_EQ(fat_unmount(&v), STATUS_OK);
	CHECK(flushes > 0);
	vfsd_backend_close(&dev);
	CHECK_EQ(closes, 1);
	CHECK_EQ(imgdev_save(&disk, img), 0);
	CHECK(fsck_clean(img, NULL));
	int status;
	char *out = sh(&status, "mtype -i '%s' '::/through blk.txt'", img);
	CHECK_STR(out, "block client\n");
	free(out);
	free(mem);
}

int main(void)
{
	RUN(no_block_capability_is_not_found);
	RUN(the_engine_runs_over_the_block_client);
	return check_summary();
}
