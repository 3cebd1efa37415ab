/*
 * test_fat_write.c - what the engine writes, judged by tools Keel did not
 * write.
 *
 * A seeded workload builds a tree of 1,000 files with long, short, lower-
 * case 8.3, mixed-case and non-ASCII names in nested directories, with
 * random sizes and contents written in random patterns, then renames,
 * replaces, deletes, truncates and extends files, moves and removes
 * directories, keeping a model of what should be there. After a clean
 * unmount: fsck.fat -n must be silent, the dirty marks cleared, mdir must
 * list the tree, and mcopy must extract exactly the model's bytes; the
 * engine, mounted again, must agree with the extracted tree (times too).
 * Smaller tests pin single behaviours the same way.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "testutil.h"

static const char *dir;

/* ---------------------------------------------------------------- the model */

#define MAX_FILES 2048
#define MAX_DIRS 128
#define PATH_LEN 600

struct mfile {
	char path[PATH_LEN];
	uint8_t *data;
	size_t size;
	bool alive;
};

struct mdir {
	char path[PATH_LEN];
	bool alive;
};

struct model {
	struct mfile files[MAX_FILES];
	struct mdir dirs[MAX_DIRS];
	size_t nfiles, ndirs;
	uint64_t rng;
	unsigned serial; /* makes every generated name unique */
};

static uint64_t rnd(struct model *m, uint64_t n)
{
	return n ? rng_next(&m->rng) % n : 0;
}

/* A fresh name in one of the styles the engine must handle. */
static void gen_name(struct model *m, char *out, size_t len, bool is_dir)
{
	unsigned k = m->serial++;

	if (is_dir) {
		const char *fmt[] = { "dir %u", "DIR%u", "Dossier \xc3\xa9t\xc3\xa9 %u", "d%u" };
		snprintf(out, len, fmt[rnd(m, 4)], k);
		return;
	}
	switch (rnd(m, 9)) {
	case 0:
		snprintf(out, len, "F%04u.TXT", k % 10000);
		break;
	case 1:
		snprintf(out, len, "f%04u.dat", k % 10000);
		break;
	case 2:
		snprintf(out, len, "Long file name number %u.data", k);
		break;
	case 3:
		snprintf(out, len, "Mixed%u.Bin", k);
		break;
	case 4:
		snprintf(out, len,
			 "\xc3\x9cn\xc3\xaf"
			 "c\xc3\xb8"
			 "d\xc3\xa9 %u \xc3\xb1.txt",
			 k);
		break;
	case 5:
		snprintf(out, len, "\xe6\x97\xa5\xe6\x9c\xac%u.txt", k);
		break;
	case 6:
		snprintf(out, len, "report.v%u.final.txt", k);
		break;
	case 7:
		snprintf(out, len, ".hidden%u", k);
		break;
	default:
		snprintf(out, len, "a+b=%u;[x]", k);
		break;
	}
}

static size_t gen_size(struct model *m)
{
	uint64_t r = rnd(m, 100);

	if (r < 5)
		return 0;
	if (r < 70)
		return 1 + rnd(m, 4096);
	if (r < 96)
		return 4096 + rnd(m, 60000);
	return 65536 + rnd(m, 400000);
}

static struct mfile *pick_file(struct model *m)
{
	for (int tries = 0; tries < 1000; tries++) {
		struct mfile *f = &m->files[rnd(m, m->nfiles)];
		if (f->alive)
			return f;
	}
	return NULL;
}

static struct mdir *pick_dir(struct model *m)
{
	for (;;) {
		struct mdir *d = &m->dirs[rnd(m, m->ndirs)];
		if (d->alive)
			return d;
	}
}

static void join(char *out, const char *dirpath, const char *name)
{
	if (dirpath[0])
		snprintf(out, PATH_LEN, "%s/%s", dirpath, name);
	else
		snprintf(out, PATH_LEN, "%s", name);
}

/* dst = a followed by b (tail may alias nothing in dst). */
static void concat(char *dst, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	CHECK(la + lb < PATH_LEN);
	memmove(dst + la, b, lb + 1);
	memcpy(dst, a, la);
}

static bool under(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	return n && strncmp(path, prefix, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* ---------------------------------------------------------------- the workload */

/* Writes f's contents in one of several patterns: one write, appends,
 * pieces with gaps that stay zero, or a whole write then overwrites. */
static void write_pattern(struct tvol *t, struct model *m, struct mfile *f)
{
	fat_handle_t h;
	size_t done, size = f->size;

	CHECK_EQ(tpath_open(t, f->path, &h), STATUS_OK);
	switch (rnd(m, 4)) {
	case 0:
		CHECK_EQ(fat_write(&t->v, h, 0, f->data, size, &done), STATUS_OK);
		break;
	case 1:
		for (size_t off = 0; off < size;) {
			size_t n = 1 + rnd(m, 9000);
			n = n < size - off ? n : size - off;
			CHECK_EQ(fat_write(&t->v, h, off, f->data + off, n, &done), STATUS_OK);
			off += n;
		}
		break;
	case 2:
		/* Every other piece written, then the holes: gaps read as zero meanwhile. */
		for (int pass = 0; pass < 2; pass++)
			for (size_t off = 0, i = 0; off < size; i++) {
				size_t n = 1 + (i * 7919 + 13) % 6000;
				n = n < size - off ? n : size - off;
				if ((i & 1) == (size_t)pass)
					CHECK_EQ(fat_write(&t->v, h, off, f->data + off, n, &done),
						 STATUS_OK);
				off += n;
			}
		break;
	default:
		CHECK_EQ(fat_write(&t->v, h, 0, f->data, size, &done), STATUS_OK);
		for (int i = 0; i < 5 && size; i++) {
			size_t off = rnd(m, size), n = 1 + rnd(m, size - off);
			CHECK_EQ(fat_write(&t->v, h, off, f->data + off, n, &done), STATUS_OK);
		}
		break;
	}
	CHECK_EQ(fat_close(&t->v, h), STATUS_OK);
}

static void op_mkdir(struct tvol *t, struct model *m)
{
	char name[200];
	struct mdir *parent = pick_dir(m), *d = &m->dirs[m->ndirs++];

	gen_name(m, name, sizeof name, true);
	join(d->path, parent->path, name);
	d->alive = true;
	CHECK_EQ(tpath_mkdir(t, d->path), STATUS_OK);
}

static void op_create(struct tvol *t, struct model *m)
{
	char name[200];
	struct mdir *d = pick_dir(m);
	struct mfile *f = &m->files[m->nfiles++];
	fat_handle_t h;

	gen_name(m, name, sizeof name, false);
	join(f->path, d->path, name);
	f->size = gen_size(m);
	f->data = malloc(f->size ? f->size : 1);
	fill_bytes(f->data, f->size, rng_next(&m->rng));
	f->alive = true;
	CHECK_EQ(tpath_parent(t, f->path, &h, &(const char *){ NULL }), STATUS_OK);
	fat_handle_t nf;
	CHECK_EQ(fat_create(&t->v, h, name, strlen(name), FAT_CREATE_EXCL, &nf), STATUS_OK);
	CHECK_EQ(fat_close(&t->v, nf), STATUS_OK);
	CHECK_EQ(fat_close(&t->v, h), STATUS_OK);
	write_pattern(t, m, f);
}

/* Renames a file within or across directories, sometimes over another. */
static void op_rename(struct tvol *t, struct model *m)
{
	struct mfile *f = pick_file(m), *victim = NULL;
	char name[200], to[PATH_LEN];

	if (!f)
		return;
	if (rnd(m, 5) == 0 && (victim = pick_file(m)) != f && victim) {
		snprintf(to, sizeof to, "%s", victim->path);
	} else {
		struct mdir *d = rnd(m, 2) ? pick_dir(m) : NULL;
		char parent[PATH_LEN];
		snprintf(parent, sizeof parent, "%s", f->path);
		char *slash = strrchr(parent, '/');
		if (slash)
			*slash = '\0';
		else
			parent[0] = '\0';
		gen_name(m, name, sizeof name, false);
		join(to, d ? d->path : parent, name);
		victim = NULL;
	}
	CHECK_EQ(tpath_rename(t, f->path, to), STATUS_OK);
	if (victim) {
		victim->alive = false;
		free(victim->data);
		victim->data = NULL;
	}
	snprintf(f->path, sizeof f->path, "%s", to);
}

static void op_unlink(struct tvol *t, struct model *m)
{
	struct mfile *f = pick_file(m);

	if (!f)
		return;
	CHECK_EQ(tpath_unlink(t, f->path), STATUS_OK);
	f->alive = false;
	free(f->data);
	f->data = NULL;
}

/* Truncates (shrinks or extends) a file, or overwrites a piece of it. */
static void op_resize(struct tvol *t, struct model *m)
{
	struct mfile *f = pick_file(m);
	fat_handle_t h;
	size_t done;

	if (!f)
		return;
	CHECK_EQ(tpath_open(t, f->path, &h), STATUS_OK);
	uint64_t r = rnd(m, 3);
	if (r == 0 || (r == 2 && f->size == 0)) {
		size_t ns = rnd(m, f->size + 1);
		CHECK_EQ(fat_truncate(&t->v, h, ns), STATUS_OK);
		f->size = ns;
	} else if (r == 1) {
		size_t ns = f->size + rnd(m, 100000);
		f->data = realloc(f->data, ns ? ns : 1);
		memset(f->data + f->size, 0, ns - f->size);
		CHECK_EQ(fat_truncate(&t->v, h, ns), STATUS_OK);
		f->size = ns;
	} else {
		size_t off = rnd(m, f->size), n = 1 + rnd(m, f->size - off + 20000);
		if (off + n > f->size) {
			f->data = realloc(f->data, off + n);
			f->size = off + n;
		}
		fill_bytes(f->data + off, n, rng_next(&m->rng));
		CHECK_EQ(fat_write(&t->v, h, off, f->data + off, n, &done), STATUS_OK);
	}
	CHECK_EQ(fat_close(&t->v, h), STATUS_OK);
}

/* Moves a directory (with everything in it) under another one that is not
 * inside it, under a new name. */
static void op_move_dir(struct tvol *t, struct model *m)
{
	struct mdir *d = pick_dir(m), *to = pick_dir(m);
	char name[200], np[PATH_LEN], old[PATH_LEN];

	if (!d->path[0] || under(to->path, d->path))
		return;
	gen_name(m, name, sizeof name, true);
	join(np, to->path, name);
	CHECK_EQ(tpath_rename(t, d->path, np), STATUS_OK);
	snprintf(old, sizeof old, "%s", d->path);
	size_t ol = strlen(old);
	for (size_t i = 0; i < m->ndirs; i++)
		if (m->dirs[i].alive && under(m->dirs[i].path, old)) {
			char tail[PATH_LEN];
			memcpy(tail, m->dirs[i].path + ol, strlen(m->dirs[i].path + ol) + 1);
			concat(m->dirs[i].path, np, tail);
		}
	for (size_t i = 0; i < m->nfiles; i++)
		if (m->files[i].alive && under(m->files[i].path, old)) {
			char tail[PATH_LEN];
			memcpy(tail, m->files[i].path + ol, strlen(m->files[i].path + ol) + 1);
			concat(m->files[i].path, np, tail);
		}
}

/* Empties a directory without subdirectories and removes it. */
static void op_rmdir(struct tvol *t, struct model *m)
{
	struct mdir *d = pick_dir(m);

	if (!d->path[0])
		return;
	for (size_t i = 0; i < m->ndirs; i++)
		if (m->dirs[i].alive && &m->dirs[i] != d && under(m->dirs[i].path, d->path))
			return;
	bool has_files = false;
	for (size_t i = 0; i < m->nfiles; i++)
		has_files |= m->files[i].alive && under(m->files[i].path, d->path);
	if (has_files)
		CHECK_EQ(tpath_rmdir(t, d->path), FAT_ST_NOT_EMPTY);
	for (size_t i = 0; i < m->nfiles; i++) {
		struct mfile *f = &m->files[i];
		if (f->alive && under(f->path, d->path)) {
			CHECK_EQ(tpath_unlink(t, f->path), STATUS_OK);
			f->alive = false;
			free(f->data);
			f->data = NULL;
		}
	}
	CHECK_EQ(tpath_rmdir(t, d->path), STATUS_OK);
	d->alive = false;
}

/* The whole workload: directories, 1,000 files, then changes. */
static void run_workload(struct tvol *t, struct model *m)
{
	m->dirs[m->ndirs++] = (struct mdir){ "", true };
	for (int i = 0; i < 60; i++)
		op_mkdir(t, m);
	for (int i = 0; i < 1000; i++)
		op_create(t, m);
	for (int i = 0; i < 500; i++) {
		uint64_t r = rnd(m, 100);
		if (r < 30)
			op_rename(t, m);
		else if (r < 55)
			op_unlink(t, m);
		else if (r < 85)
			op_resize(t, m);
		else if (r < 93)
			op_move_dir(t, m);
		else if (r < 97)
			op_rmdir(t, m);
		else
			op_create(t, m);
	}
}

/* ---------------------------------------------------------------- the oracles */

/* Counts files and directories under host path. */
static void host_count(const char *path, size_t *files, size_t *dirs)
{
	int status;
	char *o = sh(&status,
		     "find '%s' -mindepth 1 -type f | wc -l; find '%s' -mindepth 1 -type d | wc -l",
		     path, path);
	CHECK_EQ(sscanf(o, "%zu %zu", files, dirs), 2);
	free(o);
}

static void check_extracted(struct model *m, const char *out)
{
	size_t files = 0, dirs = 0, hf, hd;

	for (size_t i = 0; i < m->nfiles; i++) {
		struct mfile *f = &m->files[i];
		if (!f->alive)
			continue;
		files++;
		char hp[PATH_LEN + 512];
		snprintf(hp, sizeof hp, "%s/%s", out, f->path);
		FILE *fp = fopen(hp, "rb");
		if (!fp)
			CHECK_FAIL("%s: not extracted", f->path);
		uint8_t *buf = malloc(f->size + 1);
		size_t got = fread(buf, 1, f->size + 1, fp);
		fclose(fp);
		if (got != f->size || memcmp(buf, f->data, f->size) != 0)
			CHECK_FAIL("%s: %zu bytes extracted, %zu expected or bytes differ", f->path,
				   got, f->size);
		free(buf);
	}
	for (size_t i = 1; i < m->ndirs; i++)
		dirs += m->dirs[i].alive;
	host_count(out, &hf, &hd);
	CHECK_EQ(hf, files);
	CHECK_EQ(hd, dirs);
}

/* FAT[1]'s clean-shutdown bit and the boot sector's dirty flag. */
static void check_clean_marks(const uint8_t *img)
{
	uint32_t rsvd = img[14] | img[15] << 8, bps = img[11] | img[12] << 8;
	bool fat32 = img[22] == 0 && img[23] == 0;
	const uint8_t *fat = img + (size_t)rsvd * bps;

	if (fat32) {
		CHECK_EQ(img[0x41] & 1, 0);
		CHECK((fat[7] & 0x08) != 0);
	} else {
		CHECK_EQ(img[0x25] & 1, 0);
		CHECK((fat[3] & 0x80) != 0);
	}
}

/* Unmounts t, then asks fsck.fat, mdir and mcopy, and mounts again to
 * compare the engine's view with what mcopy extracted. */
static void judge(struct tvol *t, struct model *m, const char *img)
{
	char out[512], why[1024], *report;
	int status;

	CHECK_EQ(tvol_unmount(t), STATUS_OK);
	CHECK_EQ(imgdev_save(&t->img, img), 0);
	check_clean_marks(t->img.mem);
	if (!fsck_clean(img, &report))
		CHECK_FAIL("fsck.fat:\n%s", report);
	free(report);
	free(sh(&status, "mdir -/ -a -i '%s' :: > /dev/null 2>&1", img));
	CHECK_EQ(status, 0);
	snprintf(out, sizeof out, "%s/out", dir);
	free(sh(&status, "rm -rf '%s' && mkdir '%s'", out, out));
	char *o = sh(&status, "mcopy -s -n -m -i '%s' '::*' '%s/' 2>&1", img, out);
	if (status && m->nfiles)
		CHECK_FAIL("mcopy: %s", o);
	free(o);
	if (m)
		check_extracted(m, out);
	CHECK_EQ(tvol_mount(t, FAT_MOUNT_READ_ONLY), STATUS_OK);
	CHECK(!t->info.was_dirty);
	if (compare_tree(t, t->root, out, 1, why, sizeof why))
		CHECK_FAIL("engine vs extracted: %s", why);
	CHECK_EQ(tvol_unmount(t), STATUS_OK);
}

/* The workload on a new image made with mkfs.fat opts; index: the
 * directory index's bytes (struct tvol). */
static void workload_on(const char *opts, unsigned kib, uint64_t seed, size_t index)
{
	static struct model m;
	static struct tvol t;
	char img[512];

	for (size_t i = 0; i < m.nfiles; i++)
		free(m.files[i].data);
	memset(&m, 0, sizeof m);
	memset(&t, 0, sizeof t);
	m.rng = seed;
	snprintf(img, sizeof img, "%s/work.img", dir);
	CHECK_EQ(make_image(img, opts, kib), 0);
	CHECK_EQ(imgdev_load(&t.img, img, 512), 0);
	t.cache_bytes = 128 * 1024;
	t.index_bytes = index;
	CHECK_EQ(tvol_mount(&t, 0), STATUS_OK);
	run_workload(&t, &m);
	judge(&t, &m, img);
	tvol_release(&t);
	imgdev_free(&t.img);
}

TEST(workload_on_fat32_passes_fsck_mdir_and_mcopy)
{
	workload_on("-F 32 -s 1", 65536, 1, 0);
}

/* Indexes of 16 entries (about the workload's files per directory):
 * directories outgrow them and shrink back into them, and they are
 * rebuilt all the time. */
TEST(workload_on_fat32_with_a_small_directory_index_passes)
{
	workload_on("-F 32 -s 1", 65536, 4, 4 * 600);
}

TEST(workload_on_fat32_without_a_directory_index_passes)
{
	workload_on("-F 32 -s 1", 65536, 5, SIZE_MAX);
}

TEST(workload_on_fat32_with_1k_clusters_passes)
{
	workload_on("-F 32 -s 2", 70000, 2, 0);
}

TEST(workload_on_fat16_passes_fsck_mdir_and_mcopy)
{
	workload_on("-F 16 -s 4", 49152, 3, 0);
}

/* ---------------------------------------------------------------- single behaviours */

/* A fresh volume in t (made by mkfs.fat with opts), mounted read-write. */
static void fresh(struct tvol *t, const char *opts, unsigned kib)
{
	char img[512];

	memset(t, 0, sizeof *t);
	snprintf(img, sizeof img, "%s/one.img", dir);
	CHECK_EQ(make_image(img, opts, kib), 0);
	CHECK_EQ(imgdev_load(&t->img, img, 512), 0);
	CHECK_EQ(tvol_mount(t, 0), STATUS_OK);
}

/* Unmounts, checks fsck.fat, and returns the image path (for mtools). */
static const char *finish(struct tvol *t)
{
	static char img[512];
	char *report;

	snprintf(img, sizeof img, "%s/one.img", dir);
	CHECK_EQ(tvol_unmount(t), STATUS_OK);
	CHECK_EQ(imgdev_save(&t->img, img), 0);
	check_clean_marks(t->img.mem);
	if (!fsck_clean(img, &report))
		CHECK_FAIL("fsck.fat:\n%s", report);
	free(report);
	tvol_release(t);
	imgdev_free(&t->img);
	return img;
}

static char *mtools(const char *fmt, const char *img, const char *arg)
{
	int status;

	return sh(&status, fmt, img, arg);
}

TEST(surrogate_pairs_reach_the_disk_as_utf16)
{
	static struct tvol t;
	const char *name = "emoji \xf0\x9f\x98\x80 and \xf0\x90\x90\xb7.txt";
	struct tentry *es;
	size_t n;

	fresh(&t, "-F 32 -s 1", 65536);
	CHECK_EQ(tpath_write(&t, name, "smile", 5), STATUS_OK);
	CHECK_EQ(list_dir(&t, t.root, 4096, &es, &n), STATUS_OK);
	CHECK_EQ(n, 1);
	CHECK_STR(es[0].name, name);
	CHECK_EQ(es[0].flags, 0);
	free(es);
	/* U+1F600 is D83D DE00 in the long-name entries. */
	uint8_t pat[] = { 0x3d, 0xd8, 0x00, 0xde };
	CHECK(memmem(t.img.mem, t.img.bytes, pat, 4) == NULL); /* not yet written back */
	CHECK_EQ(fat_sync(&t.v), STATUS_OK);
	CHECK(memmem(t.img.mem, t.img.bytes, pat, 4) != NULL);
	finish(&t);
}

TEST(rename_replaces_a_file_and_frees_its_clusters)
{
	static struct tvol t;
	uint8_t big[20000];
	struct fat_statfs fs0, fs1;

	fresh(&t, "-F 16 -s 1", 20000);
	fill_bytes(big, sizeof big, 5);
	CHECK_EQ(tpath_write(&t, "target.txt", big, sizeof big), STATUS_OK);
	CHECK_EQ(tpath_write(&t, "new version.tmp", "fresh", 5), STATUS_OK);
	CHECK_EQ(fat_statfs(&t.v, &fs0), STATUS_OK);
	CHECK_EQ(tpath_rename(&t, "new version.tmp", "target.txt"), STATUS_OK);
	CHECK_EQ(fat_statfs(&t.v, &fs1), STATUS_OK);
	CHECK_EQ(fs1.free_clusters, fs0.free_clusters + sizeof big / 512 + 1);
	fat_handle_t h;
	CHECK_EQ(tpath_open(&t, "new version.tmp", &h), STATUS_NOT_FOUND);
	const char *img = finish(&t);
	char *o = mtools("mtype -i '%s' '%s'", img, "::target.txt");
	CHECK_STR(o, "fresh");
	free(o);
}

TEST(rename_refuses_moving_a_directory_into_itself)
{
	static struct tvol t;

	fresh(&t, "-F 32 -s 1", 65536);
	CHECK_EQ(tpath_mkdir(&t, "a"), STATUS_OK);
	CHECK_EQ(tpath_mkdir(&t, "a/b"), STATUS_OK);
	CHECK_EQ(tpath_mkdir(&t, "a/b/c"), STATUS_OK);
	CHECK_EQ(tpath_rename(&t, "a", "a/b/c/a2"), STATUS_INVALID);
	CHECK_EQ(tpath_rename(&t, "a", "a/x"), STATUS_INVALID);
	CHECK_EQ(tpath_rename(&t, "a/b", "a/b/c/b"), STATUS_INVALID);
	CHECK_EQ(tpath_rename(&t, "a/b/c", "c"), STATUS_OK); /* up and out is fine */
	CHECK_EQ(tpath_rename(&t, "a", "c/a"), STATUS_OK);   /* then a goes under c */
	CHECK_EQ(tpath_write(&t, "c/a/b/f", "x", 1), STATUS_OK);
	CHECK_EQ(tpath_rename(&t, "c/a/b/f", "c/a/b"), FAT_ST_NOT_DIR);
	CHECK_EQ(tpath_write(&t, "file", "x", 1), STATUS_OK);
	CHECK_EQ(tpath_rename(&t, "file", "c/a"), FAT_ST_IS_DIR);
	CHECK_EQ(tpath_rename(&t, "c", "c/a/b"), STATUS_INVALID);
	CHECK_EQ(tpath_mkdir(&t, "empty"), STATUS_OK);
	CHECK_EQ(tpath_rename(&t, "c/a", "empty"), STATUS_OK); /* onto an empty directory */
	CHECK_EQ(tpath_rename(&t, "c", "empty"), FAT_ST_NOT_EMPTY);
	const char *img = finish(&t);
	char *o = mtools("mtype -i '%s' '%s'", img, "::empty/b/f");
	CHECK_STR(o, "x");
	free(o);
}

TEST(moved_directories_point_dotdot_at_their_new_parent)
{
	static struct tvol t;
	fat_handle_t h;
	struct fat_stat s, ps;

	fresh(&t, "-F 32 -s 1", 65536);
	CHECK_EQ(tpath_mkdir(&t, "top"), STATUS_OK);
	CHECK_EQ(tpath_mkdir(&t, "top/mid"), STATUS_OK);
	CHECK_EQ(tpath_mkdir(&t, "other"), STATUS_OK);
	CHECK_EQ(tpath_rename(&t, "top/mid", "other/moved"), STATUS_OK);
	CHECK_EQ(tpath_rename(&t, "other", "top/other"), STATUS_OK);
	CHECK_EQ(fat_sync(&t.v), STATUS_OK);
	/* ".." of a child of the root holds 0; of a deeper one, its parent. */
	CHECK_EQ(tpath_open(&t, "top/other/moved", &h), STATUS_OK);
	CHECK_EQ(fat_stat(&t.v, h, &s), STATUS_OK);
	fat_close(&t.v, h);
	CHECK_EQ(tpath_open(&t, "top/other", &h), STATUS_OK);
	CHECK_EQ(fat_stat(&t.v, h, &ps), STATUS_OK);
	fat_close(&t.v, h);
	const uint8_t *d = t.img.mem + (size_t)(t.v.g.data_start + (s.first_cluster - 2)) * 512;
	CHECK(memcmp(d + 32, "..         ", 11) == 0);
	CHECK_EQ(d[32 + 26] | d[32 + 27] << 8 | d[32 + 20] << 16 | d[32 + 21] << 24,
		 ps.first_cluster);
	struct fat_stat top;
	CHECK_EQ(tpath_open(&t, "top", &h), STATUS_OK);
	CHECK_EQ(fat_stat(&t.v, h, &top), STATUS_OK);
	fat_close(&t.v, h);
	d = t.img.mem + (size_t)(t.v.g.data_start + (ps.first_cluster - 2)) * 512;
	CHECK_EQ(d[32 + 26] | d[32 + 27] << 8 | d[32 + 20] << 16 | d[32 + 21] << 24,
		 top.first_cluster);
	d = t.img.mem + (size_t)(t.v.g.data_start + (top.first_cluster - 2)) * 512;
	CHECK(memcmp(d + 32, "..         ", 11) == 0);
	CHECK_EQ(d[32 + 26] | d[32 + 27] << 8 | d[32 + 20] << 16, 0);
	finish(&t);
}

TEST(removal_rules_for_files_and_directories)
{
	static struct tvol t;
	fat_handle_t h;

	fresh(&t, "-F 16", 20000);
	CHECK_EQ(tpath_mkdir(&t, "d"), STATUS_OK);
	CHECK_EQ(tpath_mkdir(&t, "d"), STATUS_EXISTS);
	CHECK_EQ(tpath_mkdir(&t, "D"), STATUS_EXISTS);
	CHECK_EQ(tpath_write(&t, "d/f", "1", 1), STATUS_OK);
	CHECK_EQ(tpath_rmdir(&t, "d"), FAT_ST_NOT_EMPTY);
	CHECK_EQ(tpath_unlink(&t, "d"), FAT_ST_IS_DIR);
	CHECK_EQ(tpath_rmdir(&t, "d/f"), FAT_ST_NOT_DIR);
	CHECK_EQ(tpath_open(&t, "d/f", &h), STATUS_OK);
	CHECK_EQ(tpath_unlink(&t, "d/f"), FAT_ST_OPEN);
	CHECK_EQ(fat_close(&t.v, h), STATUS_OK);
	CHECK_EQ(tpath_unlink(&t, "d/F"), STATUS_OK);
	CHECK_EQ(tpath_unlink(&t, "d/f"), STATUS_NOT_FOUND);
	CHECK_EQ(tpath_open(&t, "d", &h), STATUS_OK);
	CHECK_EQ(tpath_rmdir(&t, "d"), FAT_ST_OPEN);
	CHECK_EQ(fat_close(&t.v, h), STATUS_OK);
	CHECK_EQ(tpath_rmdir(&t, "d"), STATUS_OK);
	CHECK_EQ(fat_create(&t.v, t.root, "x", 1, 0, &h), STATUS_OK);
	fat_handle_t h2;
	CHECK_EQ(fat_create(&t.v, t.root, "X", 1, 0, &h2), STATUS_OK); /* opens the same */
	CHECK_EQ(h, h2);
	CHECK_EQ(fat_create(&t.v, t.root, "x", 1, FAT_CREATE_EXCL, &h2), STATUS_EXISTS);
	fat_close(&t.v, h);
	fat_close(&t.v, h);
	CHECK_EQ(tpath_mkdir(&t, "sub"), STATUS_OK);
	CHECK_EQ(fat_create(&t.v, t.root, "sub", 3, 0, &h), FAT_ST_IS_DIR);
	finish(&t);
}

TEST(case_only_rename_changes_the_case)
{
	static struct tvol t;
	struct tentry *es;
	size_t n;

	fresh(&t, "-F 32 -s 1", 65536);
	CHECK_EQ(tpath_write(&t, "readme.txt", "r", 1), STATUS_OK);
	CHECK_EQ(tpath_rename(&t, "readme.txt", "ReadMe.txt"), STATUS_OK);
	CHECK_EQ(tpath_rename(&t, "README.TXT", "ReadMe.txt"), STATUS_OK); /* no change */
	CHECK_EQ(tpath_write(&t, "a long name.txt", "l", 1), STATUS_OK);
	CHECK_EQ(
		tpath_rename(&t, "a long name.txt", "A LONG NAME, now much longer than before.txt"),
		STATUS_OK);
	CHECK_EQ(list_dir(&t, t.root, 4096, &es, &n), STATUS_OK);
	CHECK_EQ(n, 2);
	CHECK_STR(es[0].name, "ReadMe.txt");
	CHECK_STR(es[1].name, "A LONG NAME, now much longer than before.txt");
	free(es);
	const char *img = finish(&t);
	char *o = mtools("mdir -b -i '%s' %s | LC_ALL=C sort", img, "::");
	CHECK_STR(o, "::/A LONG NAME, now much longer than before.txt\n::/ReadMe.txt\n");
	free(o);
}

TEST(numeric_tails_count_up_as_names_collide)
{
	static struct tvol t;
	struct tentry *es;
	size_t n;
	char name[64];

	fresh(&t, "-F 32 -s 1", 65536);
	CHECK_EQ(tpath_mkdir(&t, "d"), STATUS_OK);
	for (int i = 0; i < 120; i++) {
		snprintf(name, sizeof name, "d/Long file name %d.txt", i);
		CHECK_EQ(tpath_write(&t, name, name, strlen(name)), STATUS_OK);
	}
	fat_handle_t d;
	CHECK_EQ(tpath_open(&t, "d", &d), STATUS_OK);
	CHECK_EQ(list_dir(&t, d, 4096, &es, &n), STATUS_OK);
	CHECK_EQ(n, 120);
	CHECK_STR(es[0].short_name, "LONGFI~1.TXT");
	CHECK_STR(es[8].short_name, "LONGFI~9.TXT");
	CHECK_STR(es[9].short_name, "LONGF~10.TXT");
	CHECK_STR(es[99].short_name, "LONG~100.TXT");
	CHECK_STR(es[119].short_name, "LONG~120.TXT");
	free(es);
	/* A freed tail is taken again. */
	CHECK_EQ(fat_unlink(&t.v, d, "Long file name 4.txt", 20), STATUS_OK);
	CHECK_EQ(tpath_write(&t, "d/Long file name again.txt", "a", 1), STATUS_OK);
	fat_handle_t f;
	CHECK_EQ(fat_open(&t.v, d, "LONGFI~5.TXT", 12, &f), STATUS_OK);
	struct fat_stat s;
	CHECK_EQ(fat_stat(&t.v, f, &s), STATUS_OK);
	CHECK_EQ(s.size, 1);
	fat_close(&t.v, f);
	fat_close(&t.v, d);
	const char *img = finish(&t);
	char *o = mtools("mdir -i '%s' %s | grep -c '~'", img, "::d");
	CHECK_STR(o, "120\n");
	free(o);
}

TEST(exact_8_3_names_need_no_long_name)
{
	static struct tvol t;

	fresh(&t, "-F 32 -s 1", 65536);
	CHECK_EQ(tpath_write(&t, "readme.txt", "a", 1), STATUS_OK);
	CHECK_EQ(tpath_write(&t, "MAKEFILE", "b", 1), STATUS_OK);
	CHECK_EQ(tpath_write(&t, "Mixed.Txt", "c", 1), STATUS_OK);
	CHECK_EQ(fat_sync(&t.v), STATUS_OK);
	/* The root cluster: readme.txt, MAKEFILE, then a long-name entry and MIXED.TXT. */
	const uint8_t *d = t.img.mem + (size_t)t.v.g.data_start * 512;
	CHECK(memcmp(d, "README  TXT", 11) == 0);
	CHECK_EQ(d[12], 0x18);
	CHECK(memcmp(d + 32, "MAKEFILE   ", 11) == 0);
	CHECK_EQ(d[32 + 12], 0);
	CHECK_EQ(d[64 + 11], 0x0f);
	CHECK(memcmp(d + 96, "MIXED   TXT", 11) == 0);
	CHECK_EQ(d[128], 0);
	const char *img = finish(&t);
	char *o = mtools("mdir -i '%s' %s | grep -i 'txt\\|makefile'", img, "::");
	CHECK(strstr(o, "readme   txt") != NULL);
	CHECK(strstr(o, "MAKEFILE") != NULL);
	CHECK(strstr(o, "MIXED    TXT         1") != NULL && strstr(o, "Mixed.Txt") != NULL);
	free(o);
}

/* The number of clusters mshowfat lists for path ("<3-9> <12>" is 8). */
static int mshowfat_clusters(const char *img, const char *path)
{
	int status, n = 0;
	char *o = sh(&status, "mshowfat -i '%s' '%s'", img, path);

	for (const char *p = strchr(o, '<'); p; p = strchr(p + 1, '<')) {
		unsigned a, b;
		int k = sscanf(p, "<%u-%u>", &a, &b);
		n += k == 2 ? (int)(b - a + 1) : 1;
	}
	free(o);
	return n;
}

TEST(deleted_slots_are_reused_and_directories_grow_and_shrink)
{
	static struct tvol t;
	char name[64], path[512];
	fat_handle_t d;
	struct fat_stat s;

	fresh(&t, "-F 32 -s 1", 65536);
	CHECK_EQ(tpath_mkdir(&t, "d"), STATUS_OK);
	/* 16 slots per 512-byte cluster; 200 sets of 3 slots and the dot
	 * entries take 38 clusters. */
	for (int i = 0; i < 200; i++) {
		snprintf(name, sizeof name, "d/entry number %03d", i);
		CHECK_EQ(tpath_write(&t, name, "", 0), STATUS_OK);
	}
	CHECK_EQ(fat_sync(&t.v), STATUS_OK);
	snprintf(path, sizeof path, "%s/grow.img", dir);
	CHECK_EQ(imgdev_save(&t.img, path), 0);
	CHECK_EQ(mshowfat_clusters(path, "::d"), 38);
	uint32_t before = t.v.free_clusters;
	for (int i = 0; i < 200; i++) {
		snprintf(name, sizeof name, "d/entry number %03d", i);
		CHECK_EQ(tpath_unlink(&t, name), STATUS_OK);
	}
	CHECK_EQ(t.v.free_clusters, before + 37);
	CHECK_EQ(tpath_write(&t, "d/new", "n", 1), STATUS_OK);
	CHECK_EQ(tpath_open(&t, "d", &d), STATUS_OK);
	CHECK_EQ(fat_stat(&t.v, d, &s), STATUS_OK);
	struct tentry *es;
	size_t n;
	CHECK_EQ(list_dir(&t, d, 4096, &es, &n), STATUS_OK);
	fat_close(&t.v, d);
	CHECK_EQ(n, 1);
	CHECK_STR(es[0].name, "new");
	free(es);
	CHECK_EQ(fat_sync(&t.v), STATUS_OK);
	/* In the first deleted slot, right after "." and "..". */
	const uint8_t *raw = t.img.mem + (size_t)(t.v.g.data_start + s.first_cluster - 2) * 512;
	CHECK(memcmp(raw + 64, "NEW        ", 11) == 0);
	const char *img = finish(&t);
	CHECK_EQ(mshowfat_clusters(img, "::d"), 1);
}

TEST(truncate_and_extend_zero_fill)
{
	static struct tvol t;
	uint8_t buf[100000], got[100000];
	fat_handle_t h;
	size_t done;

	fresh(&t, "-F 16 -s 2", 20000);
	fill_bytes(buf, sizeof buf, 9);
	CHECK_EQ(tpath_write(&t, "f", buf, sizeof buf), STATUS_OK);
	CHECK_EQ(tpath_open(&t, "f", &h), STATUS_OK);
	CHECK_EQ(fat_truncate(&t.v, h, 1000), STATUS_OK);
	/* Extending again must not bring the old bytes back. */
	CHECK_EQ(fat_write(&t.v, h, 50000, "end", 3, &done), STATUS_OK);
	CHECK_EQ(fat_read(&t.v, h, 0, got, sizeof got, &done), STATUS_OK);
	CHECK_EQ(done, 50003);
	CHECK(memcmp(got, buf, 1000) == 0);
	for (size_t i = 1000; i < 50000; i++)
		if (got[i])
			CHECK_FAIL("byte %zu is %d", i, got[i]);
	CHECK(memcmp(got + 50000, "end", 3) == 0);
	CHECK_EQ(fat_truncate(&t.v, h, 70001), STATUS_OK);
	CHECK_EQ(fat_truncate(&t.v, h, 0), STATUS_OK);
	CHECK_EQ(fat_truncate(&t.v, h, 3), STATUS_OK);
	CHECK_EQ(fat_read(&t.v, h, 0, got, 10, &done), STATUS_OK);
	CHECK_EQ(done, 3);
	CHECK(got[0] == 0 && got[1] == 0 && got[2] == 0);
	CHECK_EQ(fat_truncate(&t.v, h, 1u << 20), STATUS_OK);
	fat_close(&t.v, h);
	const char *img = finish(&t);
	int status;
	char *o = sh(&status, "mtype -i '%s' ::f | wc -c; mtype -i '%s' ::f | tr -d '\\0' | wc -c",
		     img, img);
	CHECK_STR(o, "1048576\n0\n");
	free(o);
}

TEST(sizes_beyond_4_gib_are_refused_and_full_volumes_fail_cleanly)
{
	static struct tvol t;
	fat_handle_t h;
	size_t done;
	uint8_t chunk[65536];

	fresh(&t, "-F 16 -s 4", 16384);
	CHECK_EQ(fat_create(&t.v, t.root, "f", 1, 0, &h), STATUS_OK);
	CHECK_EQ(fat_write(&t.v, h, 0xffffffffull, "x", 1, &done), FAT_ST_TOO_BIG);
	CHECK_EQ(fat_write(&t.v, h, 0xfffffff0ull, chunk, 17, &done), FAT_ST_TOO_BIG);
	CHECK_EQ(fat_truncate(&t.v, h, 0x100000000ull), FAT_ST_TOO_BIG);
	uint32_t free0 = t.v.free_clusters;
	CHECK_EQ(fat_write(&t.v, h, 0xfffffffeull, "x", 1, &done), FAT_ST_NO_SPACE);
	CHECK_EQ(fat_truncate(&t.v, h, 0xffffffffull), FAT_ST_NO_SPACE);
	CHECK_EQ(t.v.free_clusters, free0); /* nothing allocated */
	memset(chunk, 0xab, sizeof chunk);
	uint64_t off = 0;
	status_t st;
	while ((st = fat_write(&t.v, h, off, chunk, sizeof chunk, &done)) == STATUS_OK)
		off += done;
	CHECK_EQ(st, FAT_ST_NO_SPACE);
	CHECK(t.v.free_clusters < sizeof chunk / 2048);
	CHECK_EQ(fat_write(&t.v, h, off, chunk, t.v.free_clusters * 2048, &done), STATUS_OK);
	CHECK_EQ(t.v.free_clusters, 0);
	CHECK_EQ(fat_write(&t.v, h, off + done, "x", 1, &done), FAT_ST_NO_SPACE);
	CHECK_EQ(tpath_mkdir(&t, "no room"), FAT_ST_NO_SPACE);
	fat_close(&t.v, h);
	finish(&t);
}

TEST(the_fixed_fat16_root_fills_up)
{
	static struct tvol t;
	char name[32];
	int i;
	status_t st = STATUS_OK;

	fresh(&t, "-F 16 -r 64", 20000);
	for (i = 0; i < 100 && st == STATUS_OK; i++) {
		snprintf(name, sizeof name, "F%d", i);
		st = tpath_write(&t, name, "", 0);
	}
	CHECK_EQ(st, FAT_ST_NO_SPACE);
	CHECK_EQ(i, 65);
	CHECK_EQ(tpath_write(&t, "a much longer name", "", 0), FAT_ST_NO_SPACE);
	CHECK_EQ(tpath_unlink(&t, "F3"), STATUS_OK);
	CHECK_EQ(tpath_write(&t, "G", "", 0), STATUS_OK);
	finish(&t);
}

TEST(times_come_from_the_clock_and_setattr)
{
	static struct tvol t;
	fat_handle_t h;
	struct fat_stat s;
	size_t done;

	fresh(&t, "-F 32 -s 1", 65536);
	t.now = 1700000001; /* 2023-11-14 22:13:21 UTC */
	CHECK_EQ(fat_create(&t.v, t.root, "timed.txt", 9, 0, &h), STATUS_OK);
	CHECK_EQ(fat_stat(&t.v, h, &s), STATUS_OK);
	CHECK_EQ(s.ctime, 1700000001);
	CHECK_EQ(s.mtime, 1700000000);
	t.now += 3600;
	CHECK_EQ(fat_write(&t.v, h, 0, "x", 1, &done), STATUS_OK);
	CHECK_EQ(fat_stat(&t.v, h, &s), STATUS_OK);
	CHECK_EQ(s.mtime, 1700003600);
	CHECK_EQ(s.ctime, 1700000001);
	CHECK_EQ(s.atime, 1699920000); /* midnight of the 14th */
	struct fat_setattr set = { FAT_SET_MTIME | FAT_SET_ATTR, 1000000000, 0,
				   FAT_ATTR_READ_ONLY | FAT_ATTR_DIR };
	CHECK_EQ(fat_setattr(&t.v, h, &set), STATUS_OK);
	CHECK_EQ(fat_stat(&t.v, h, &s), STATUS_OK);
	CHECK_EQ(s.mtime, 1000000000);
	CHECK_EQ(s.attr, FAT_ATTR_READ_ONLY); /* DIR cannot be set */
	CHECK_EQ(fat_write(&t.v, h, 0, "y", 1, &done), FAT_ST_READ_ONLY);
	CHECK_EQ(fat_setattr(&t.v, t.root, &set), STATUS_INVALID);
	fat_close(&t.v, h);
	fat_handle_t h2;
	CHECK_EQ(fat_create(&t.v, t.root, "timed.txt", 9, FAT_CREATE_TRUNC, &h2), FAT_ST_READ_ONLY);
	CHECK_EQ(fat_close(&t.v, h), FAT_ST_BAD_HANDLE); /* the failed create kept nothing */
	const char *img = finish(&t);
	char *o = mtools("mdir -i '%s' %s", img, "::timed.txt");
	CHECK(strstr(o, "2001-09-09   1:46") != NULL);
	free(o);
	o = mtools("mattrib -i '%s' %s", img, "::timed.txt");
	CHECK(strstr(o, "R") != NULL);
	free(o);
}

TEST(unmirrored_fat32_writes_only_the_active_fat)
{
	static struct tvol t;
	uint8_t data[30000];

	fresh(&t, "-F 32 -s 1", 65536);
	CHECK_EQ(tvol_unmount(&t), STATUS_OK);
	t.img.mem[40] = 0x81; /* mirroring off, FAT 1 active */
	const struct fat_geom *g = &t.v.g;
	size_t fat0 = (size_t)g->fat_start * 512, len = (size_t)g->fat_sectors * 512;
	uint8_t *before = malloc(len);
	memcpy(before, t.img.mem + fat0, len);
	CHECK_EQ(tvol_mount(&t, 0), STATUS_OK);
	CHECK(!t.v.g.mirrored);
	fill_bytes(data, sizeof data, 4);
	CHECK_EQ(tpath_mkdir(&t, "d"), STATUS_OK);
	CHECK_EQ(tpath_write(&t, "d/file", data, sizeof data), STATUS_OK);
	CHECK_EQ(tvol_unmount(&t), STATUS_OK);
	CHECK(memcmp(before, t.img.mem + fat0, len) == 0);
	CHECK(memcmp(before, t.img.mem + fat0 + len, len) != 0);
	CHECK_EQ(tvol_mount(&t, FAT_MOUNT_READ_ONLY), STATUS_OK);
	uint8_t *back;
	size_t n;
	CHECK_EQ(tpath_read(&t, "d/file", &back, &n), STATUS_OK);
	CHECK_EQ(n, sizeof data);
	CHECK(memcmp(back, data, n) == 0);
	free(back);
	free(before);
	CHECK_EQ(tvol_unmount(&t), STATUS_OK);
	tvol_release(&t);
	imgdev_free(&t.img);
}

TEST(handles_are_shared_counted_and_bounded)
{
	static struct tvol t;
	fat_handle_t h[8], x;
	char name[16];

	fresh(&t, "-F 16", 20000);
	t.max_nodes = 4;
	CHECK_EQ(tvol_mount(&t, 0), STATUS_OK); /* again, with 4 nodes: root + 3 */
	for (int i = 0; i < 3; i++) {
		snprintf(name, sizeof name, "f%d", i);
		CHECK_EQ(fat_create(&t.v, t.root, name, strlen(name), 0, &h[i]), STATUS_OK);
	}
	CHECK_EQ(fat_create(&t.v, t.root, "f3", 2, 0, &x), FAT_ST_NO_HANDLES);
	CHECK_EQ(tpath_open(&t, "f3", &x), STATUS_NOT_FOUND); /* nothing was created */
	CHECK_EQ(fat_open(&t.v, t.root, "F0", 2, &x), STATUS_OK);
	CHECK_EQ(x, h[0]);
	CHECK_EQ(fat_close(&t.v, x), STATUS_OK);
	CHECK_EQ(fat_close(&t.v, h[0]), STATUS_OK);
	CHECK_EQ(fat_close(&t.v, h[0]), FAT_ST_BAD_HANDLE);
	CHECK_EQ(fat_create(&t.v, t.root, "f3", 2, 0, &h[3]), STATUS_OK);
	CHECK(h[3] != h[0]); /* the same slot, another generation */
	CHECK_EQ(fat_close(&t.v, FAT_HANDLE_NONE), FAT_ST_BAD_HANDLE);
	CHECK_EQ(fat_close(&t.v, 0xffffffffu), FAT_ST_BAD_HANDLE);
	for (int i = 1; i < 4; i++)
		CHECK_EQ(fat_close(&t.v, h[i]), STATUS_OK);
	finish(&t);
}

TEST(readdir_lists_entries_present_throughout_exactly_once)
{
	static struct tvol t;
	char name[64];
	fat_handle_t d;
	uint8_t buf[160] __attribute__((aligned(8)));
	uint32_t cookie = FAT_COOKIE_START;
	size_t used;
	int seen[300] = { 0 }, added = 0;

	fresh(&t, "-F 32 -s 1", 65536);
	CHECK_EQ(tpath_mkdir(&t, "d"), STATUS_OK);
	for (int i = 0; i < 300; i++) {
		snprintf(name, sizeof name, "d/stay %d", i);
		CHECK_EQ(tpath_write(&t, name, "", 0), STATUS_OK);
		snprintf(name, sizeof name, "d/go %d", i);
		CHECK_EQ(tpath_write(&t, name, "", 0), STATUS_OK);
	}
	CHECK_EQ(tpath_open(&t, "d", &d), STATUS_OK);
	while (cookie != FAT_COOKIE_END) {
		CHECK_EQ(fat_readdir(&t.v, d, &cookie, buf, sizeof buf, &used), STATUS_OK);
		for (size_t off = 0; off < used;) {
			const struct fat_dirent *e = (const void *)(buf + off);
			int k;
			if (sscanf(e->name, "stay %d", &k) == 1)
				seen[k]++;
			off += e->reclen;
		}
		/* Churn: remove a "go" entry, add a new one. */
		snprintf(name, sizeof name, "d/go %d", added % 300);
		tpath_unlink(&t, name);
		snprintf(name, sizeof name, "d/new %d", added++);
		CHECK_EQ(tpath_write(&t, name, "", 0), STATUS_OK);
	}
	for (int i = 0; i < 300; i++)
		if (seen[i] != 1)
			CHECK_FAIL("stay %d listed %d times", i, seen[i]);
	fat_close(&t.v, d);
	finish(&t);
}

int main(void)
{
	dir = test_setup();
	RUN(workload_on_fat32_passes_fsck_mdir_and_mcopy);
	RUN(workload_on_fat32_with_a_small_directory_index_passes);
	RUN(workload_on_fat32_without_a_directory_index_passes);
	RUN(workload_on_fat32_with_1k_clusters_passes);
	RUN(workload_on_fat16_passes_fsck_mdir_and_mcopy);
	RUN(surrogate_pairs_reach_the_disk_as_utf16);
	RUN(rename_replaces_a_file_and_frees_its_clusters);
	RUN(rename_refuses_moving_a_directory_into_itself);
	RUN(moved_directories_point_dotdot_at_their_new_parent);
	RUN(removal_rules_for_files_and_directories);
	RUN(case_only_rename_changes_the_case);
	RUN(numeric_tails_count_up_as_names_collide);
	RUN(exact_8_3_names_need_no_long_name);
	RUN(deleted_slots_are_reused_and_directories_grow_and_shrink);
	RUN(truncate_and_extend_zero_fill);
	RUN(sizes_beyond_4_gib_are_refused_and_full_volumes_fail_cleanly);
	RUN(the_fixed_fat16_root_fills_up);
	RUN(times_come_from_the_clock_and_setattr);
	RUN(unmirrored_fat32_writes_only_the_active_fat);
	RUN(handles_are_shared_counted_and_bounded);
	RUN(readdir_lists_entries_present_throughout_exactly_once);
	return check_summary();
}
