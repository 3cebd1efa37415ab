/*
 * test_fat_powercut.c - power cuts at every write.
 *
 * A seeded workload (creates, appends, overwrites, truncates, renames
 * within and across directories and over existing files, deletes, mkdir,
 * rmdir, directory moves, with fsyncs and syncs in between) runs on a
 * device that stops accepting block writes after N. For a small workload
 * every N from 0 to the number of writes the whole workload takes is
 * tried; for a larger one, random N. After each cut:
 *
 *   - fsck.fat -n may report only what a cut is allowed to leave (see
 *     allowed[] below): the dirty marks, a wrong free count, lost
 *     clusters, FATs or boot-sector backup differing, chains longer than
 *     their files, half-written long names, a moved directory's "..".
 *     Never shared (cross-linked) clusters, a chain reaching a free
 *     cluster, a size the chain does not cover, duplicate names, or
 *     anything else.
 *   - every file that an fsync or sync covered and that nothing touched
 *     afterwards reads back byte for byte through mtools, and through the
 *     engine mounting the cut image.
 *   - for the small workload, the engine mounts the cut image read-write,
 *     writes a new file and unmounts; fsck.fat must still find no shared
 *     clusters (what the engine allocates after a cut never collides with
 *     what the cut left).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "testutil.h"

static const char *dir;

/* ---------------------------------------------------------------- the model */

#define MAX_FILES 256
#define MAX_DIRS 32
#define PLEN 160

struct pfile {
	char path[PLEN];
	uint8_t *data;
	size_t size;
	bool alive;
	bool touched; /* changed since the last completed sync */
};

struct pmodel {
	struct pfile files[MAX_FILES];
	char dirs[MAX_DIRS][PLEN];
	bool dir_alive[MAX_DIRS];
	size_t nfiles, ndirs;
	uint64_t rng;
	unsigned serial;
	size_t max_size;
	unsigned syncs; /* completed */
};

static uint64_t rnd(struct pmodel *m, uint64_t n)
{
	return n ? rng_next(&m->rng) % n : 0;
}

static void pm_free(struct pmodel *m)
{
	for (size_t i = 0; i < m->nfiles; i++)
		free(m->files[i].data);
	memset(m, 0, sizeof *m);
}

static struct pfile *any_file(struct pmodel *m)
{
	for (int i = 0; i < 200 && m->nfiles; i++) {
		struct pfile *f = &m->files[rnd(m, m->nfiles)];
		if (f->alive)
			return f;
	}
	return NULL;
}

static const char *any_dir(struct pmodel *m)
{
	for (;;) {
		size_t i = rnd(m, m->ndirs);
		if (m->dir_alive[i])
			return m->dirs[i];
	}
}

static bool under(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	return n && strncmp(path, prefix, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

static void new_path(struct pmodel *m, const char *d, char *out)
{
	const char *styles[] = { "file %u with a long name.bin", "F%u.DAT", "f%u.txt",
				 "\xc3\xa9t\xc3\xa9 %u" };
	char name[64];

	snprintf(name, sizeof name, styles[rnd(m, 4)], m->serial++);
	if (d[0])
		snprintf(out, PLEN, "%s/%s", d, name);
	else
		snprintf(out, PLEN, "%s", name);
}

/* ---------------------------------------------------------------- operations */

/*
 * Each operation returns the engine's first failing status, or STATUS_OK.
 * The model changes before the engine is asked, with the files involved
 * marked touched: whether the change reached the device is unknown until
 * the next sync completes.
 */
static status_t op_create(struct tvol *t, struct pmodel *m)
{
	if (m->nfiles == MAX_FILES)
		return STATUS_OK;
	struct pfile *f = &m->files[m->nfiles++];
	new_path(m, any_dir(m), f->path);
	f->size = rnd(m, m->max_size);
	f->data = malloc(f->size + 1);
	fill_bytes(f->data, f->size, rng_next(&m->rng));
	f->alive = f->touched = true;
	return tpath_write(t, f->path, f->data, f->size);
}

static status_t op_write(struct tvol *t, struct pmodel *m)
{
	struct pfile *f = any_file(m);
	fat_handle_t h;
	size_t done;

	if (!f)
		return STATUS_OK;
	size_t off = rnd(m, f->size + 1), n = 1 + rnd(m, m->max_size / 2);
	if (off + n > f->size) {
		f->data = realloc(f->data, off + n);
		f->size = off + n;
	}
	fill_bytes(f->data + off, n, rng_next(&m->rng));
	f->touched = true;
	status_t st = tpath_open(t, f->path, &h);
	if (st)
		return st;
	st = fat_write(&t->v, h, off, f->data + off, n, &done);
	status_t cs = fat_close(&t->v, h);
	return st ? st : cs;
}

static status_t op_truncate(struct tvol *t, struct pmodel *m)
{
	struct pfile *f = any_file(m);
	fat_handle_t h;

	if (!f)
		return STATUS_OK;
	size_t ns = rnd(m, 2) ? rnd(m, f->size + 1) : f->size + rnd(m, m->max_size);
	f->data = realloc(f->data, ns + 1);
	if (ns > f->size)
		memset(f->data + f->size, 0, ns - f->size);
	f->size = ns;
	f->touched = true;
	status_t st = tpath_open(t, f->path, &h);
	if (st)
		return st;
	st = fat_truncate(&t->v, h, ns);
	status_t cs = fat_close(&t->v, h);
	return st ? st : cs;
}

static status_t op_rename(struct tvol *t, struct pmodel *m)
{
	struct pfile *f = any_file(m), *victim = any_file(m);
	char to[PLEN], from[PLEN];

	if (!f)
		return STATUS_OK;
	if (victim && victim != f && rnd(m, 3) == 0) {
		snprintf(to, PLEN, "%s", victim->path);
		victim->alive = false;
	} else {
		new_path(m, any_dir(m), to);
	}
	snprintf(from, PLEN, "%s", f->path);
	snprintf(f->path, PLEN, "%s", to);
	f->touched = true;
	return tpath_rename(t, from, to);
}

static status_t op_unlink(struct tvol *t, struct pmodel *m)
{
	struct pfile *f = any_file(m);

	if (!f)
		return STATUS_OK;
	f->alive = false;
	return tpath_unlink(t, f->path);
}

static status_t op_mkdir(struct tvol *t, struct pmodel *m)
{
	if (m->ndirs == MAX_DIRS)
		return STATUS_OK;
	size_t i = m->ndirs++;
	new_path(m, any_dir(m), m->dirs[i]);
	m->dir_alive[i] = true;
	return tpath_mkdir(t, m->dirs[i]);
}

/* Moves a directory under another one (not inside itself). */
static status_t op_move_dir(struct tvol *t, struct pmodel *m)
{
	size_t i = rnd(m, m->ndirs);
	const char *to = any_dir(m);
	char np[PLEN], old[PLEN];

	if (!m->dir_alive[i] || !m->dirs[i][0] || under(to, m->dirs[i]))
		return STATUS_OK;
	new_path(m, to, np);
	snprintf(old, PLEN, "%s", m->dirs[i]);
	size_t ol = strlen(old);
	for (size_t k = 0; k < m->ndirs; k++)
		if (m->dir_alive[k] && under(m->dirs[k], old)) {
			char tail[PLEN];
			snprintf(tail, PLEN, "%s", m->dirs[k] + ol);
			CHECK(strlen(np) + strlen(tail) < PLEN);
			memmove(m->dirs[k] + strlen(np), tail, strlen(tail) + 1);
			memcpy(m->dirs[k], np, strlen(np));
		}
	for (size_t k = 0; k < m->nfiles; k++)
		if (m->files[k].alive && under(m->files[k].path, old)) {
			char tail[PLEN];
			struct pfile *f = &m->files[k];
			snprintf(tail, PLEN, "%s", f->path + ol);
			CHECK(strlen(np) + strlen(tail) < PLEN);
			memmove(f->path + strlen(np), tail, strlen(tail) + 1);
			memcpy(f->path, np, strlen(np));
			f->touched = true;
		}
	return tpath_rename(t, old, np);
}

/* Removes an empty directory, if one is there. */
static status_t op_rmdir(struct tvol *t, struct pmodel *m)
{
	for (size_t i = 1; i < m->ndirs; i++) {
		bool busy = !m->dir_alive[i];
		for (size_t k = 0; !busy && k < m->ndirs; k++)
			busy = k != i && m->dir_alive[k] && under(m->dirs[k], m->dirs[i]);
		for (size_t k = 0; !busy && k < m->nfiles; k++)
			busy = m->files[k].alive && under(m->files[k].path, m->dirs[i]);
		if (!busy) {
			m->dir_alive[i] = false;
			return tpath_rmdir(t, m->dirs[i]);
		}
	}
	return STATUS_OK;
}

/* fsync of a file, or a sync of everything. Files are closed between
 * operations, so either way everything so far becomes durable. */
static status_t op_sync(struct tvol *t, struct pmodel *m)
{
	struct pfile *f = any_file(m);
	status_t st;

	if (f && rnd(m, 2)) {
		fat_handle_t h;
		st = tpath_open(t, f->path, &h);
		if (st)
			return st;
		st = fat_fsync(&t->v, h);
		status_t cs = fat_close(&t->v, h);
		st = st ? st : cs;
	} else {
		st = fat_sync(&t->v);
	}
	if (st == STATUS_OK) {
		for (size_t i = 0; i < m->nfiles; i++)
			m->files[i].touched = false;
		m->syncs++;
	}
	return st;
}

static status_t step(struct tvol *t, struct pmodel *m)
{
	uint64_t r = rnd(m, 100);

	if (r < 22)
		return op_create(t, m);
	if (r < 40)
		return op_write(t, m);
	if (r < 50)
		return op_truncate(t, m);
	if (r < 62)
		return op_rename(t, m);
	if (r < 70)
		return op_unlink(t, m);
	if (r < 75)
		return op_mkdir(t, m);
	if (r < 79)
		return op_move_dir(t, m);
	if (r < 82)
		return op_rmdir(t, m);
	return op_sync(t, m);
}

/* Runs ops steps until the end or the first failure; then unmounts if the
 * device still works. Returns the status that stopped it. */
static status_t run(struct tvol *t, struct pmodel *m, uint64_t seed, int ops, size_t max_size)
{
	status_t st = STATUS_OK;

	pm_free(m);
	m->rng = seed;
	m->max_size = max_size;
	m->dirs[0][0] = '\0';
	m->dir_alive[0] = true;
	m->ndirs = 1;
	for (int i = 0; i < ops && st == STATUS_OK; i++)
		st = step(t, m);
	if (st == STATUS_OK) {
		st = tvol_unmount(t);
		if (st == STATUS_OK)
			for (size_t i = 0; i < m->nfiles; i++)
				m->files[i].touched = false;
	}
	return st;
}

/* ---------------------------------------------------------------- the judge */

/* What fsck.fat may say after a cut: line prefixes. */
static const char *const allowed[] = {
	"fsck.fat ",
	"Dirty bit is set. Fs was not properly unmounted",
	" Automatically removing dirty bit.",
	"Free cluster summary wrong",
	"Free cluster summary uninitialized",
	"  Auto-correcting.",
	"Reclaimed ", /* lost clusters */
	"FATs differ but appear to be intact",
	"  Using first FAT.",
	"There are differences between boot sector and its backup.",
	"This is mostly harmless. Differences: (offset:original/backup)",
	"  65:01/00", /* the dirty flag (FAT32) */
	"  37:01/00", /* the dirty flag (FAT16) */
	"  Not automatically fixing this.",
	"  Not auto-correcting this.",
	"Orphaned long file name part", /* half-written or half-deleted long names */
	"  Auto-deleting.",
	"Unfinished long file name",
	"  (Start may have been overwritten by",
	"Wrong checksum for long file name",
	"  (Short name ",
	"Long filename fragment",
	"  (Maybe the start bit is missing",
	"A new long file name starts within an old one.",
	"  It could be that",
	"  if \"",
	"Checksum in long filename part wrong",
	"Unexpected long filename sequence number",
	"Leaving filesystem unchanged.",
	"",
};

/* Lines that are fine only after a path line and in a known pair. */
static bool allowed_line(const char *line, const char *prev)
{
	unsigned a, b;

	for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++) {
		size_t n = strlen(allowed[i]);
		if (n ? strncmp(line, allowed[i], n) == 0 : line[0] == '\0')
			return true;
	}
	if (line[0] == '/')
		return true; /* a path, judged by the lines after it */
	if (strstr(line, " files, ") && strstr(line, " clusters"))
		return true;
	/* A chain longer than the size: the size update did not make it. */
	if (sscanf(line, "  File size is %u bytes, cluster chain length is > %u bytes.", &a, &b) ==
	    2)
		return true;
	if (strncmp(line, "  Truncating file to ", 21) == 0 && prev &&
	    strstr(prev, "cluster chain length is >"))
		return true;
	/* A moved directory whose ".." did not make it. */
	if (sscanf(line, "  Start (%u) does not point to .. (%u)", &a, &b) == 2)
		return true;
	return false;
}

struct verdict {
	unsigned cuts, dirty, lost, lfn, longer, dotdot, fats;
};

/* Checks fsck.fat's report on img; fails the test on a forbidden line. */
static void judge_fsck(const char *img, struct verdict *v, const char *when)
{
	int status;
	char *o = sh(&status, "fsck.fat -n '%s' 2>&1", img), *prev = NULL;

	v->dirty += strstr(o, "Dirty bit") != NULL;
	v->lost += strstr(o, "Reclaimed") != NULL;
	v->lfn += strstr(o, "long file") != NULL || strstr(o, "long filename") != NULL;
	v->longer += strstr(o, "chain length is >") != NULL;
	v->dotdot += strstr(o, "does not point to ..") != NULL;
	v->fats += strstr(o, "FATs differ") != NULL;
	for (char *line = o, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!allowed_line(line, prev))
			CHECK_FAIL("%s: fsck.fat says \"%s\"", when, line);
		prev = line;
	}
	free(o);
}

/* Every file the last completed sync covered, untouched since, must be
 * there with its bytes: through mtools, and through the engine. */
static void judge_files(struct tvol *t, struct pmodel *m, const char *img, const char *when)
{
	char out[512];
	int status;

	bool any = false;
	for (size_t i = 0; i < m->nfiles; i++)
		any |= m->files[i].alive && !m->files[i].touched;
	if (!any)
		return;
	snprintf(out, sizeof out, "%s/out", dir);
	free(sh(&status, "rm -rf '%s' && mkdir '%s' && mcopy -s -n -i '%s' '::*' '%s/' 2>&1", out,
		out, img, out));
	/* The engine reads the cut image in place: a read-only mount writes nothing. */
	struct tvol e = { 0 };
	e.img = t->img;
	e.img.dev.ctx = &e.img;
	e.img.write_reqs = 0;
	CHECK_EQ(tvol_mount(&e, FAT_MOUNT_READ_ONLY), STATUS_OK);
	for (size_t i = 0; i < m->nfiles; i++) {
		struct pfile *f = &m->files[i];
		if (!f->alive || f->touched)
			continue;
		char hp[PLEN + 600];
		snprintf(hp, sizeof hp, "%s/%s", out, f->path);
		FILE *fp = fopen(hp, "rb");
		uint8_t *buf = malloc(f->size + 2);
		size_t got = fp ? fread(buf, 1, f->size + 1, fp) : 0;
		if (fp)
			fclose(fp);
		if (!fp || got != f->size || memcmp(buf, f->data, f->size) != 0)
			CHECK_FAIL("%s: synced file %s lost or damaged (mtools: %zu of %zu bytes)",
				   when, f->path, got, f->size);
		uint8_t *eb;
		size_t el;
		CHECK_EQ(tpath_read(&e, f->path, &eb, &el), STATUS_OK);
		if (el != f->size || memcmp(eb, f->data, el) != 0)
			CHECK_FAIL("%s: the engine reads %s wrongly", when, f->path);
		free(eb);
		free(buf);
	}
	CHECK_EQ(tvol_unmount(&e), STATUS_OK);
	CHECK_EQ(e.img.write_reqs, 0);
	tvol_release(&e);
}

/* The devices and image files of a campaign: base is the fresh volume;
 * work and reuse are copies brought back to it after every cut; the files
 * hold base except while a cut is being judged. */
struct rig {
	struct imgdev base;
	struct tvol t; /* t.img is the work device */
	struct tvol e; /* e.img is the reuse device */
	struct pmodel m;
	char cut_img[512], reuse_img[512];
};

/* Copies the blocks src touched into dst, marking them touched there. */
static void copy_touched(struct imgdev *dst, const struct imgdev *src)
{
	for (uint64_t b = 0; b < src->bytes / src->block_size; b++) {
		if (!(src->touched[b / 8] & (1u << b % 8)))
			continue;
		memcpy(dst->mem + b * dst->block_size, src->mem + b * src->block_size,
		       src->block_size);
		dst->touched[b / 8] |= (uint8_t)(1u << b % 8);
	}
}

/* Mounts the cut image read-write, writes a file, unmounts, and asks
 * fsck.fat about shared clusters. */
static void judge_reuse(struct rig *r, const char *when)
{
	uint8_t data[20000];
	int status;

	copy_touched(&r->e.img, &r->t.img);
	CHECK_EQ(tvol_mount(&r->e, 0), STATUS_OK);
	fill_bytes(data, sizeof data, 77);
	CHECK_EQ(tpath_write(&r->e, "after the cut.bin", data, sizeof data), STATUS_OK);
	CHECK_EQ(tvol_unmount(&r->e), STATUS_OK);
	CHECK_EQ(imgdev_patch_file(&r->e.img, &r->base, r->reuse_img, 0), 0);
	char *o = sh(&status, "fsck.fat -n '%s' 2>&1", r->reuse_img);
	if (strstr(o, "share clusters") || strstr(o, "Cross-linked") || strstr(o, "free cluster"))
		CHECK_FAIL("%s: after remounting the cut image:\n%s", when, o);
	free(o);
	CHECK_EQ(imgdev_patch_file(&r->e.img, &r->base, r->reuse_img, 1), 0);
	imgdev_revert(&r->e.img, &r->base);
}

/* ---------------------------------------------------------------- the runs */

struct campaign {
	const char *opts;
	unsigned kib;
	uint64_t seed;
	int ops;
	size_t max_size;
	bool reuse;
};

static void rig_init(struct rig *r, const struct campaign *c)
{
	memset(r, 0, sizeof *r);
	snprintf(r->cut_img, sizeof r->cut_img, "%s/cut.img", dir);
	snprintf(r->reuse_img, sizeof r->reuse_img, "%s/reuse.img", dir);
	CHECK_EQ(make_image(r->cut_img, c->opts, c->kib), 0);
	CHECK_EQ(make_image(r->reuse_img, c->opts, c->kib), 0);
	CHECK_EQ(imgdev_load(&r->base, r->cut_img, 512), 0);
	CHECK_EQ(imgdev_copy(&r->t.img, &r->base), 0);
	CHECK_EQ(imgdev_copy(&r->e.img, &r->base), 0);
	r->t.cache_bytes = 64 * 1024;
}

static void rig_free(struct rig *r)
{
	pm_free(&r->m);
	tvol_release(&r->t);
	tvol_release(&r->e);
	imgdev_free(&r->t.img);
	imgdev_free(&r->e.img);
	imgdev_free(&r->base);
}

/* One cut after limit block writes, judged. */
static void cut_at(struct rig *r, const struct campaign *c, uint64_t limit, struct verdict *v)
{
	char when[64];

	r->t.img.write_limit = limit;
	status_t st = tvol_mount(&r->t, 0);
	if (st == STATUS_OK)
		st = run(&r->t, &r->m, c->seed, c->ops, c->max_size);
	else
		pm_free(&r->m);
	if (st && !r->t.img.cut)
		CHECK_FAIL("cut at %llu: status %d without a cut", (unsigned long long)limit, st);
	snprintf(when, sizeof when, "cut after %llu writes", (unsigned long long)limit);
	CHECK_EQ(imgdev_patch_file(&r->t.img, &r->base, r->cut_img, 0), 0);
	v->cuts++;
	judge_fsck(r->cut_img, v, when);
	judge_files(&r->t, &r->m, r->cut_img, when);
	if (c->reuse)
		judge_reuse(r, when);
	CHECK_EQ(imgdev_patch_file(&r->t.img, &r->base, r->cut_img, 1), 0);
	imgdev_revert(&r->t.img, &r->base);
}

/* The whole workload without a cut: its write count, and a clean result. */
static uint64_t full_run(struct rig *r, const struct campaign *c)
{
	char *report;

	CHECK_EQ(tvol_mount(&r->t, 0), STATUS_OK);
	CHECK_EQ(run(&r->t, &r->m, c->seed, c->ops, c->max_size), STATUS_OK);
	CHECK_EQ(imgdev_patch_file(&r->t.img, &r->base, r->cut_img, 0), 0);
	if (!fsck_clean(r->cut_img, &report))
		CHECK_FAIL("uncut run:\n%s", report);
	free(report);
	judge_files(&r->t, &r->m, r->cut_img, "uncut run");
	uint64_t writes = r->t.img.blocks_written;
	printf("  %s: %d operations, %u syncs, %llu block writes\n", c->opts, c->ops, r->m.syncs,
	       (unsigned long long)writes);
	CHECK_EQ(imgdev_patch_file(&r->t.img, &r->base, r->cut_img, 1), 0);
	imgdev_revert(&r->t.img, &r->base);
	return writes;
}

static void report(const char *what, const struct verdict *v)
{
	printf("  %s: %u cuts; fsck.fat reported the dirty mark %u times, lost clusters %u, "
	       "half-written long names %u, chains longer than their files %u, a moved "
	       "directory's \"..\" %u, differing FATs %u; nothing else\n",
	       what, v->cuts, v->dirty, v->lost, v->lfn, v->longer, v->dotdot, v->fats);
}

TEST(every_cut_of_a_small_workload_is_repairable_and_keeps_synced_files)
{
	static struct rig r;
	struct campaign c = { "-F 16 -s 1", 8192, 11, 60, 6000, true };
	struct verdict v = { 0 };

	rig_init(&r, &c);
	uint64_t total = full_run(&r, &c);
	for (uint64_t n = 0; n <= total; n++)
		cut_at(&r, &c, n, &v);
	report("FAT16, every cut", &v);
	rig_free(&r);
}

TEST(every_cut_of_a_small_fat32_workload_is_repairable)
{
	static struct rig r;
	struct campaign c = { "-F 32 -s 1", 34000, 12, 40, 3000, true };
	struct verdict v = { 0 };

	rig_init(&r, &c);
	uint64_t total = full_run(&r, &c);
	for (uint64_t n = 0; n <= total; n++)
		cut_at(&r, &c, n, &v);
	report("FAT32, every cut", &v);
	rig_free(&r);
}

TEST(random_cuts_of_a_larger_workload_are_repairable)
{
	static struct rig r;
	struct campaign c = { "-F 32 -s 1", 65536, 13, 400, 150000, false };
	struct verdict v = { 0 };
	uint64_t seed = 99;

	rig_init(&r, &c);
	uint64_t total = full_run(&r, &c);
	for (int i = 0; i < 100; i++)
		cut_at(&r, &c, rng_next(&seed) % (total + 1), &v);
	report("FAT32, 100 random cuts", &v);
	rig_free(&r);
}

int main(void)
{
	dir = test_setup();
	RUN(every_cut_of_a_small_workload_is_repairable_and_keeps_synced_files);
	RUN(every_cut_of_a_small_fat32_workload_is_repairable);
	RUN(random_cuts_of_a_larger_workload_are_repairable);
	return check_summary();
}
