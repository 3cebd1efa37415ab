/*
 * test_fat_hostile.c - broken and hostile volumes, and failing devices.
 *
 * Real volumes are made with mkfs.fat and mtools, then damaged in known
 * ways: chains that loop, leave the volume or run into free clusters,
 * cross-linked files, absurd sizes, directories that contain themselves or
 * whose ".." loops, invalid UTF-16 and broken long-name sets, directory
 * entries naming no cluster, wrong FSInfo. Every operation must return a
 * clear status, never crash (the image device aborts on any access outside
 * the device), never hang, and never write outside the volume. Devices
 * that fail reads or writes at each request in turn must give the
 * device's status back and leave the volume refusing further writes.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpb.h"
#include "check.h"
#include "testutil.h"

static const char *dir;

/* ---------------------------------------------------------------- building and damaging */

/* A volume made by mkfs.fat opts with the files of spec ("name:size" per
 * line, directories as "name/") copied in by mtools, loaded into t. */
static void build(struct tvol *t, const char *opts, unsigned kib, const char *const *files)
{
	char img[512], host[512];
	int status;

	memset(t, 0, sizeof *t);
	snprintf(img, sizeof img, "%s/h.img", dir);
	snprintf(host, sizeof host, "%s/hfile", dir);
	CHECK_EQ(make_image(img, opts, kib), 0);
	for (const char *const *f = files; *f; f++) {
		char name[256];
		unsigned size = 0;
		if (sscanf(*f, "%255[^:]:%u", name, &size) < 1)
			CHECK_FAIL("bad spec %s", *f);
		if (name[strlen(name) - 1] == '/') {
			name[strlen(name) - 1] = '\0';
			free(sh(&status, "mmd -i '%s' '::%s'", img, name));
		} else {
			uint8_t *buf = malloc(size + 1);
			fill_bytes(buf, size, size);
			FILE *fp = fopen(host, "wb");
			CHECK(fp && fwrite(buf, 1, size, fp) == size);
			fclose(fp);
			free(buf);
			free(sh(&status, "mcopy -i '%s' '%s' '::%s'", img, host, name));
		}
		CHECK_EQ(status, 0);
	}
	CHECK_EQ(imgdev_load(&t->img, img, 512), 0);
}

struct geo {
	struct fat_geom g;
	uint8_t *mem;
};

static void geo_of(struct geo *g, struct tvol *t)
{
	CHECK_EQ(fat_bpb_parse(t->img.mem, 512, t->img.bytes, 512, &g->g), STATUS_OK);
	g->mem = t->img.mem;
}

static void set_fat(struct geo *g, uint32_t c, uint32_t val)
{
	for (uint32_t f = 0; f < g->g.num_fats; f++) {
		uint8_t *fat = g->mem +
			       (size_t)(g->g.fat_start + f * g->g.fat_sectors) * g->g.sector_size;
		if (g->g.kind == FAT_KIND_32) {
			fat[c * 4] = (uint8_t)val, fat[c * 4 + 1] = (uint8_t)(val >> 8);
			fat[c * 4 + 2] = (uint8_t)(val >> 16),
				    fat[c * 4 + 3] = (uint8_t)(val >> 24);
		} else {
			fat[c * 2] = (uint8_t)val, fat[c * 2 + 1] = (uint8_t)(val >> 8);
		}
	}
}

static uint8_t *cluster_at(struct geo *g, uint32_t c)
{
	return g->mem + (size_t)fat_cluster_sector(&g->g, c) * g->g.sector_size;
}

/* The short entry named sfn (11 bytes) in the first cluster of dir c (0:
 * the fixed root or the FAT32 root). */
static uint8_t *entry(struct geo *g, uint32_t c, const char *sfn)
{
	uint8_t *d;
	size_t n;

	if (c == 0 && g->g.kind != FAT_KIND_32) {
		d = g->mem + (size_t)g->g.root_start * g->g.sector_size;
		n = g->g.root_entries;
	} else {
		d = cluster_at(g, c ? c : g->g.root_cluster);
		n = g->g.cluster_size / 32;
	}
	for (size_t i = 0; i < n; i++)
		if (memcmp(d + i * 32, sfn, 11) == 0)
			return d + i * 32;
	CHECK_FAIL("no entry %.11s", sfn);
	return NULL;
}

static uint32_t entry_cluster(const uint8_t *e)
{
	return (uint32_t)(e[26] | e[27] << 8 | e[20] << 16 | e[21] << 24);
}

static void set_entry_cluster(uint8_t *e, uint32_t c)
{
	e[26] = (uint8_t)c, e[27] = (uint8_t)(c >> 8), e[20] = (uint8_t)(c >> 16),
	e[21] = (uint8_t)(c >> 24);
}

static void set_size(uint8_t *e, uint32_t size)
{
	e[28] = (uint8_t)size, e[29] = (uint8_t)(size >> 8), e[30] = (uint8_t)(size >> 16);
	e[31] = (uint8_t)(size >> 24);
}

static status_t read_all(struct tvol *t, const char *path)
{
	uint8_t *data;
	size_t len;
	status_t st = tpath_read(t, path, &data, &len);

	free(data);
	return st;
}

static void done(struct tvol *t)
{
	tvol_unmount(t);
	tvol_release(t);
	imgdev_free(&t->img);
}

/* ---------------------------------------------------------------- chains */

TEST(looping_and_escaping_chains_are_reported_not_followed)
{
	static struct tvol t;
	static const char *const files[] = { "LOOP.BIN:5000", "OUT.BIN:5000", "FREE.BIN:5000",
					     "SELF.BIN:5000", NULL };
	struct geo g;

	build(&t, "-F 16 -s 1", 20000, files);
	geo_of(&g, &t);
	uint32_t loop = entry_cluster(entry(&g, 0, "LOOP    BIN"));
	set_fat(&g, loop + 5, loop + 1); /* a cycle of five clusters */
	set_size(entry(&g, 0, "LOOP    BIN"), 40000);
	uint32_t out = entry_cluster(entry(&g, 0, "OUT     BIN"));
	set_fat(&g, out + 2, g.g.clusters + 10);
	uint32_t fr = entry_cluster(entry(&g, 0, "FREE    BIN"));
	set_fat(&g, fr + 3, 0);
	set_fat(&g, fr + 4, 0);
	uint32_t self = entry_cluster(entry(&g, 0, "SELF    BIN"));
	set_fat(&g, self, self);
	set_size(entry(&g, 0, "SELF    BIN"), 0xfffffff0u);
	CHECK_EQ(tvol_mount(&t, 0), STATUS_OK);
	CHECK_EQ(read_all(&t, "LOOP.BIN"), FAT_ST_CORRUPT);
	CHECK_EQ(read_all(&t, "OUT.BIN"), FAT_ST_CORRUPT);
	CHECK_EQ(read_all(&t, "FREE.BIN"), FAT_ST_CORRUPT);
	fat_handle_t h;
	size_t n;
	uint8_t buf[512];
	CHECK_EQ(tpath_open(&t, "SELF.BIN", &h), STATUS_OK);
	CHECK_EQ(fat_read(&t.v, h, 0, buf, sizeof buf, &n),
		 STATUS_OK); /* the first cluster is fine */
	CHECK_EQ(fat_read(&t.v, h, 512, buf, sizeof buf, &n), FAT_ST_CORRUPT);
	CHECK_EQ(fat_read(&t.v, h, 20000, buf, sizeof buf, &n), FAT_ST_CORRUPT);
	CHECK_EQ(fat_read(&t.v, h, 0xfffffff0u - 10, buf, sizeof buf, &n), FAT_ST_CORRUPT);
	CHECK_EQ(fat_write(&t.v, h, 0xfffffff0u, buf, 100, &n), FAT_ST_TOO_BIG);
	CHECK_EQ(fat_write(&t.v, h, 1000, buf, 100, &n), FAT_ST_CORRUPT);
	CHECK_EQ(fat_truncate(&t.v, h, 100), STATUS_OK); /* cutting a loop ends it */
	CHECK_EQ(fat_read(&t.v, h, 0, buf, sizeof buf, &n), STATUS_OK);
	CHECK_EQ(n, 100);
	fat_close(&t.v, h);
	CHECK_EQ(tpath_open(&t, "LOOP.BIN", &h), STATUS_OK);
	CHECK_EQ(fat_write(&t.v, h, 5000, "more", 4, &n),
		 FAT_ST_CORRUPT); /* the end is never found */
	fat_close(&t.v, h);
	/* Removing them frees what can be freed and stops at the damage. */
	CHECK_EQ(tpath_unlink(&t, "LOOP.BIN"), STATUS_OK);
	CHECK_EQ(tpath_unlink(&t, "OUT.BIN"), STATUS_OK);
	CHECK_EQ(tpath_unlink(&t, "FREE.BIN"), STATUS_OK);
	done(&t);
}

TEST(cross_linked_files_read_and_unlink_without_harm_beyond_them)
{
	static struct tvol t;
	static const char *const files[] = { "A.BIN:4000", "B.BIN:4000", NULL };
	struct geo g;

	build(&t, "-F 32 -s 1", 65536, files);
	geo_of(&g, &t);
	uint32_t a = entry_cluster(entry(&g, 0, "A       BIN"));
	set_entry_cluster(entry(&g, 0, "B       BIN"), a);
	CHECK_EQ(tvol_mount(&t, 0), STATUS_OK);
	uint8_t *x, *y;
	size_t xl, yl;
	CHECK_EQ(tpath_read(&t, "A.BIN", &x, &xl), STATUS_OK);
	CHECK_EQ(tpath_read(&t, "B.BIN", &y, &yl), STATUS_OK);
	CHECK_EQ(xl, yl);
	CHECK(memcmp(x, y, xl) == 0);
	free(x);
	free(y);
	CHECK_EQ(tpath_unlink(&t, "A.BIN"), STATUS_OK);
	CHECK_EQ(read_all(&t, "B.BIN"), FAT_ST_CORRUPT); /* its chain now runs into free clusters */
	CHECK_EQ(tpath_unlink(&t, "B.BIN"), STATUS_OK);
	done(&t);
}

/* ---------------------------------------------------------------- directories */

TEST(directories_that_contain_themselves_stay_finite)
{
	static struct tvol t;
	static const char *const files[] = { "D/", "D/E/", "D/E/F.TXT:10", NULL };
	struct geo g;

	build(&t, "-F 16 -s 1", 20000, files);
	geo_of(&g, &t);
	uint32_t d = entry_cluster(entry(&g, 0, "D          "));
	uint32_t e = entry_cluster(entry(&g, d, "E          "));
	set_entry_cluster(entry(&g, e, "F       TXT"), d); /* F is now D itself */
	entry(&g, e, "F       TXT")[11] = 0x10;
	set_entry_cluster(entry(&g, e, "..         "), e); /* and E is its own parent */
	CHECK_EQ(tvol_mount(&t, 0), STATUS_OK);
	fat_handle_t h, h2;
	CHECK_EQ(tpath_open(&t, "D/E/F.TXT/E/F.TXT/E/F.TXT", &h), STATUS_OK);
	CHECK_EQ(tpath_open(&t, "D/E/F.TXT/E/F.TXT/E/F.TXT/E/F.TXT", &h2), STATUS_OK);
	CHECK_EQ(h, h2);
	struct tentry *es;
	size_t n;
	CHECK_EQ(list_dir(&t, h, 4096, &es, &n), STATUS_OK);
	CHECK_EQ(n, 1);
	free(es);
	fat_close(&t.v, h);
	fat_close(&t.v, h2);
	CHECK_EQ(tpath_rmdir(&t, "D/E/F.TXT"), FAT_ST_NOT_EMPTY);
	CHECK_EQ(tpath_rmdir(&t, "D"), FAT_ST_NOT_EMPTY);
	/* Moving something into E walks up through E's ".." loop: refused. */
	CHECK_EQ(tpath_mkdir(&t, "X"), STATUS_OK);
	CHECK_EQ(tpath_rename(&t, "X", "D/E/X"), FAT_ST_CORRUPT);
	CHECK_EQ(tpath_rename(&t, "D", "D/E/F.TXT/D2"), STATUS_INVALID);
	done(&t);
}

TEST(directory_chains_that_loop_end_at_the_slot_limit)
{
	static struct tvol t;
	static const char *const files[] = { "D/", "D/A.TXT:1", NULL };
	struct geo g;

	build(&t, "-F 32 -s 1", 65536, files);
	geo_of(&g, &t);
	uint32_t d = entry_cluster(entry(&g, 0, "D          "));
	set_fat(&g, d, d); /* the directory's only cluster follows itself */
	CHECK_EQ(tvol_mount(&t, 0), STATUS_OK);
	fat_handle_t h;
	struct tentry *es;
	size_t n;
	CHECK_EQ(tpath_open(&t, "D", &h), STATUS_OK);
	CHECK_EQ(list_dir(&t, h, 65536, &es, &n), STATUS_OK);
	CHECK_EQ(n, 1); /* the end mark comes first */
	free(es);
	/* With every other slot deleted, the scan follows the chain round and
	 * round: the slot limit ends it. */
	for (uint32_t i = 3; i < g.g.cluster_size / 32; i++)
		cluster_at(&g, d)[i * 32] = 0xe5;
	fat_cache_drop_clean(&t.v.cache);
	CHECK_EQ(list_dir(&t, h, 65536, &es, &n), STATUS_OK);
	CHECK_EQ(n, FAT_DIR_SLOTS_MAX / (g.g.cluster_size / 32));
	free(es);
	status_t st = STATUS_OK;
	char name[64];
	for (int i = 0; i < 40 && st == STATUS_OK; i++) {
		snprintf(name, sizeof name, "file number %d", i);
		fat_handle_t f;
		st = fat_create(&t.v, h, name, strlen(name), 0, &f);
		if (st == STATUS_OK)
			fat_close(&t.v, f);
	}
	CHECK(st == STATUS_OK || st == FAT_ST_TOO_BIG || st == FAT_ST_CORRUPT);
	fat_close(&t.v, h);
	done(&t);
}

TEST(entries_naming_no_cluster_or_a_bad_one_are_corrupt)
{
	static struct tvol t;
	static const char *const files[] = { "D/", "E/", "F.TXT:700", NULL };
	struct geo g;

	build(&t, "-F 16 -s 1", 20000, files);
	geo_of(&g, &t);
	set_entry_cluster(entry(&g, 0, "D          "), 0);
	set_entry_cluster(entry(&g, 0, "E          "), g.g.clusters + 2);
	set_entry_cluster(entry(&g, 0, "F       TXT"), 1);
	CHECK_EQ(tvol_mount(&t, 0), STATUS_OK);
	fat_handle_t h;
	CHECK_EQ(tpath_open(&t, "D", &h), FAT_ST_CORRUPT);
	CHECK_EQ(tpath_open(&t, "E", &h), FAT_ST_CORRUPT);
	CHECK_EQ(tpath_open(&t, "F.TXT", &h), FAT_ST_CORRUPT);
	CHECK_EQ(tpath_rmdir(&t, "D"), FAT_ST_CORRUPT);
	CHECK_EQ(tpath_rename(&t, "E", "E2"), FAT_ST_CORRUPT);
	CHECK_EQ(tpath_unlink(&t, "F.TXT"), STATUS_OK); /* the entry goes; no cluster to free */
	struct tentry *es;
	size_t n;
	CHECK_EQ(list_dir(&t, t.root, 4096, &es, &n), STATUS_OK);
	CHECK_EQ(n, 2);
	free(es);
	done(&t);
}

/* ---------------------------------------------------------------- long names */

TEST(invalid_utf16_and_broken_long_names_fall_back_to_short_names)
{
	static struct tvol t;
	static const char *const files[] = { "a long name number one.txt:5",
					     "another long one.txt:6", "third long name here.txt:7",
					     NULL };
	struct geo g;

	build(&t, "-F 16", 20000, files);
	geo_of(&g, &t);
	uint8_t *e1 = entry(&g, 0, "ALONGN~1TXT");
	e1[-32 + 1] = 0x00, e1[-32 + 2] = 0xd8; /* last part: an unpaired high surrogate */
	uint8_t *e2 = entry(&g, 0, "ANOTHE~1TXT");
	e2[-32 + 13] ^= 0xff; /* a long-name part with the wrong checksum */
	uint8_t *e3 = entry(&g, 0, "THIRDL~1TXT");
	e3[-64] = 0x45; /* the first part says "5 parts" */
	CHECK_EQ(tvol_mount(&t, 0), STATUS_OK);
	struct tentry *es;
	size_t n;
	CHECK_EQ(list_dir(&t, t.root, 4096, &es, &n), STATUS_OK);
	CHECK_EQ(n, 3);
	CHECK_STR(es[0].name, "ALONGN~1.TXT");
	CHECK_EQ(es[0].flags, FAT_DIRENT_SHORT_NAME | FAT_DIRENT_BAD_LFN);
	CHECK_STR(es[1].name, "ANOTHE~1.TXT");
	CHECK_EQ(es[1].flags, FAT_DIRENT_SHORT_NAME | FAT_DIRENT_BAD_LFN);
	CHECK_STR(es[2].name, "THIRDL~1.TXT");
	CHECK_EQ(es[2].flags, FAT_DIRENT_SHORT_NAME | FAT_DIRENT_BAD_LFN);
	free(es);
	CHECK_EQ(read_all(&t, "alongn~1.txt"), STATUS_OK);
	fat_handle_t h;
	CHECK_EQ(tpath_open(&t, "a long name number one.txt", &h), STATUS_NOT_FOUND);
	/* Renaming repairs it; unlinking removes the whole set. */
	CHECK_EQ(tpath_rename(&t, "ALONGN~1.TXT", "repaired name.txt"), STATUS_OK);
	CHECK_EQ(read_all(&t, "repaired name.txt"), STATUS_OK);
	CHECK_EQ(tpath_unlink(&t, "ANOTHE~1.TXT"), STATUS_OK);
	done(&t);
}

/* ---------------------------------------------------------------- FSInfo, bounds */

TEST(fsinfo_is_checked_before_it_is_trusted)
{
	static struct tvol t;
	static const char *const files[] = { "A:1000", NULL };

	build(&t, "-F 32 -s 1", 65536, files);
	uint8_t *fsinfo = t.img.mem + 512;
	fsinfo[488] = 0xff, fsinfo[489] = 0xff, fsinfo[490] = 0xff, fsinfo[491] = 0x00;
	CHECK_EQ(tvol_mount(&t, FAT_MOUNT_TRUST_FSINFO), STATUS_OK);
	CHECK_EQ(t.info.free_clusters, t.info.clusters - 1 - 2); /* counted: root and A */
	done(&t);
	build(&t, "-F 32 -s 1", 65536, files);
	fsinfo = t.img.mem + 512;
	fsinfo[488] = 100, fsinfo[489] = 0, fsinfo[490] = 0, fsinfo[491] = 0;
	CHECK_EQ(tvol_mount(&t, FAT_MOUNT_TRUST_FSINFO), STATUS_OK);
	CHECK_EQ(t.info.free_clusters, 100); /* plausible, so taken as it is */
	CHECK_EQ(tvol_mount(&t, 0), STATUS_OK);
	CHECK_EQ(t.info.free_clusters, t.info.clusters - 3);
	done(&t);
}

/* Sets FSInfo's free count and next-free hint in t's image. */
static void set_fsinfo(struct tvol *t, uint32_t free, uint32_t next)
{
	uint8_t *fsinfo = t->img.mem + 512;
	for (int i = 0; i < 4; i++) {
		fsinfo[488 + i] = (uint8_t)(free >> 8 * i);
		fsinfo[492 + i] = (uint8_t)(next >> 8 * i);
	}
}

/* Unmounts t and checks the image with fsck.fat -n (a right free count
 * included). */
static void unmount_clean(struct tvol *t)
{
	char img[512], *out = NULL;
	CHECK_EQ(tvol_unmount(t), STATUS_OK);
	snprintf(img, sizeof img, "%s/fsinfo.img", dir);
	CHECK_EQ(imgdev_save(&t->img, img), 0);
	CHECK_EQ(fsck_clean(img, &out), 1);
	free(out);
}

/* A plausible but wrong FSInfo (vfsd trusts it at mount) never refuses
 * room that is there, never hands out a cluster in use, and the count is
 * right on the volume afterwards. */
TEST(a_lying_fsinfo_never_costs_space_nor_data)
{
	static struct tvol t;
	static const char *const files[] = { "A:1000", NULL };
	static uint8_t data[70000];
	fill_bytes(data, sizeof data, 5);

	/* It says the volume is full: the FAT is counted, the write goes in. */
	build(&t, "-F 32 -s 1", 65536, files);
	set_fsinfo(&t, 0, 0xffffffffu);
	CHECK_EQ(tvol_mount(&t, FAT_MOUNT_TRUST_FSINFO), STATUS_OK);
	CHECK_EQ(t.info.free_clusters, 0);
	CHECK_EQ(tpath_write(&t, "B", data, 5000), STATUS_OK);
	CHECK_EQ(t.v.free_clusters, t.info.clusters - 3 - 10);
	unmount_clean(&t);
	tvol_release(&t);
	imgdev_free(&t.img);

	/* It says everything is free and points the hint at a used cluster:
	 * allocation still reads the FAT, A stays whole, a full volume is
	 * found full, and the count comes out right. */
	build(&t, "-F 32 -s 1", 65536, files);
	set_fsinfo(&t, 0, 3);
	CHECK_EQ(tvol_mount(&t, 0), STATUS_OK);
	uint32_t clusters = t.info.clusters, really = t.info.free_clusters;
	CHECK_EQ(tvol_unmount(&t), STATUS_OK);
	set_fsinfo(&t, clusters, 3);
	CHECK_EQ(tvol_mount(&t, FAT_MOUNT_TRUST_FSINFO), STATUS_OK);
	CHECK_EQ(t.info.free_clusters, clusters);
	CHECK_EQ(tpath_write(&t, "B", data, sizeof data), STATUS_OK);
	CHECK_EQ(read_all(&t, "A"), STATUS_OK);
	uint8_t *back;
	size_t len;
	CHECK_EQ(tpath_read(&t, "B", &back, &len), STATUS_OK);
	CHECK(len == sizeof data && memcmp(back, data, len) == 0);
	free(back);
	size_t rest = (size_t)(really - (sizeof data + 511) / 512) * 512;
	uint8_t *big = calloc(1, rest + 512);
	CHECK(big != NULL);
	CHECK_EQ(tpath_write(&t, "C", big, rest + 512), FAT_ST_NO_SPACE);
	CHECK_EQ(t.v.free_clusters, really - (uint32_t)((sizeof data + 511) / 512));
	CHECK_EQ(tpath_write(&t, "D", big, rest), STATUS_OK);
	CHECK_EQ(t.v.free_clusters, 0);
	CHECK_EQ(tpath_write(&t, "E", "x", 1), FAT_ST_NO_SPACE);
	free(big);
	CHECK_EQ(read_all(&t, "A"), STATUS_OK);
	unmount_clean(&t);
	tvol_release(&t);
	imgdev_free(&t.img);
}

TEST(nothing_is_written_beyond_the_volume)
{
	static struct tvol t;
	char img[512];

	memset(&t, 0, sizeof t);
	snprintf(img, sizeof img, "%s/small.img", dir);
	CHECK_EQ(make_image(img, "-F 16 -s 1", 20000), 0);
	free(sh(&(int){ 0 }, "truncate -s 24000K '%s'",
		img)); /* a partition larger than its volume */
	CHECK_EQ(imgdev_load(&t.img, img, 512), 0);
	memset(t.img.mem + 20000 * 1024, 0x5a, 4000 * 1024);
	CHECK_EQ(tvol_mount(&t, 0), STATUS_OK);
	uint8_t *big = malloc(4 << 20);
	fill_bytes(big, 4 << 20, 3);
	status_t st;
	char name[32];
	for (int i = 0; i < 20; i++) {
		snprintf(name, sizeof name, "f%d", i);
		st = tpath_write(&t, name, big, 4 << 20);
		if (st)
			break;
	}
	CHECK_EQ(st, FAT_ST_NO_SPACE);
	CHECK_EQ(tvol_unmount(&t), STATUS_OK);
	for (size_t i = 20000 * 1024; i < 24000 * 1024; i++)
		if (t.img.mem[i] != 0x5a)
			CHECK_FAIL("byte %zu beyond the volume changed", i);
	free(big);
	tvol_release(&t);
	imgdev_free(&t.img);
}

/* ---------------------------------------------------------------- failing devices */

/* A small workload: reads, writes, renames, syncs. Returns the first
 * failure. */
static status_t small_workload(struct tvol *t)
{
	uint8_t buf[9000], *data;
	size_t len;
	status_t st;

	fill_bytes(buf, sizeof buf, 1);
	if ((st = tpath_mkdir(t, "dir one")))
		return st;
	if ((st = tpath_write(t, "dir one/file with a long name", buf, sizeof buf)))
		return st;
	if ((st = tpath_read(t, "MANY/F010.TXT", &data, &len)))
		return st;
	free(data);
	if ((st = tpath_rename(t, "MANY/F011.TXT", "dir one/moved")))
		return st;
	if ((st = tpath_unlink(t, "MANY/F012.TXT")))
		return st;
	if ((st = fat_sync(&t->v)))
		return st;
	return tpath_write(t, "last", buf, 100);
}

static const char *const fault_files[] = { "MANY/", "MANY/F010.TXT:3000", "MANY/F011.TXT:10",
					   "MANY/F012.TXT:5000", NULL };

TEST(read_errors_at_each_request_come_back_as_the_device_status)
{
	static struct tvol t;
	struct imgdev base;
	uint64_t reads;

	build(&t, "-F 16 -s 1", 4096, fault_files);
	CHECK_EQ(imgdev_copy(&base, &t.img), 0);
	t.cache_bytes = 8 * 1024; /* few buffers: many reads */
	CHECK_EQ(tvol_mount(&t, 0), STATUS_OK);
	CHECK_EQ(small_workload(&t), STATUS_OK);
	CHECK_EQ(tvol_unmount(&t), STATUS_OK);
	reads = t.img.read_reqs;
	for (uint64_t k = 0; k < reads; k++) {
		imgdev_revert(&t.img, &base);
		t.img.fail_read_at = k;
		t.img.fail_status = STATUS_TIMEOUT;
		status_t st = tvol_mount(&t, 0);
		if (st == STATUS_OK) {
			st = small_workload(&t);
			status_t us = tvol_unmount(&t);
			if (st == STATUS_OK)
				st = us;
		}
		if (st != STATUS_OK && st != STATUS_TIMEOUT)
			CHECK_FAIL("read %llu failing gave %d", (unsigned long long)k, st);
	}
	printf("  a read failed at each of %llu requests in turn\n", (unsigned long long)reads);
	imgdev_free(&base);
	tvol_release(&t);
	imgdev_free(&t.img);
}

TEST(a_failed_write_stops_all_writing_and_is_reported)
{
	static struct tvol t;
	struct imgdev base;

	build(&t, "-F 16 -s 1", 4096, fault_files);
	CHECK_EQ(imgdev_copy(&base, &t.img), 0);
	t.cache_bytes = 8 * 1024;
	CHECK_EQ(tvol_mount(&t, 0), STATUS_OK);
	CHECK_EQ(small_workload(&t), STATUS_OK);
	CHECK_EQ(tvol_unmount(&t), STATUS_OK);
	uint64_t writes = t.img.write_reqs;
	for (uint64_t k = 0; k < writes; k++) {
		imgdev_revert(&t.img, &base);
		t.img.fail_write_at = k;
		t.img.fail_status = STATUS_TIMEOUT;
		status_t st = tvol_mount(&t, 0);
		if (st == STATUS_OK) {
			st = small_workload(&t);
			if (st == STATUS_OK)
				st = tvol_unmount(&t);
			else
				tvol_unmount(&t);
		}
		if (st != STATUS_TIMEOUT)
			CHECK_FAIL("write %llu failing gave %d", (unsigned long long)k, st);
		/* Nothing is written after the failure: ordering is no longer known. */
		CHECK_EQ(t.img.write_reqs, k + 1);
	}
	printf("  a write failed at each of %llu requests in turn\n", (unsigned long long)writes);
	imgdev_free(&base);
	tvol_release(&t);
	imgdev_free(&t.img);
}

int main(void)
{
	dir = test_setup();
	RUN(looping_and_escaping_chains_are_reported_not_followed);
	RUN(cross_linked_files_read_and_unlink_without_harm_beyond_them);
	RUN(directories_that_contain_themselves_stay_finite);
	RUN(directory_chains_that_loop_end_at_the_slot_limit);
	RUN(entries_naming_no_cluster_or_a_bad_one_are_corrupt);
	RUN(invalid_utf16_and_broken_long_names_fall_back_to_short_names);
	RUN(fsinfo_is_checked_before_it_is_trusted);
	RUN(a_lying_fsinfo_never_costs_space_nor_data);
	RUN(nothing_is_written_beyond_the_volume);
	RUN(read_errors_at_each_request_come_back_as_the_device_status);
	RUN(a_failed_write_stops_all_writing_and_is_reported);
	return check_summary();
}
