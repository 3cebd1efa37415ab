/*
 * vfsd as a service under the real kernel (host port): its unmodified
 * main.c, ops.c and records.c run as a task over an in-memory image file
 * (the back-end below stands for blkd), and this test - playing initd and
 * a client - speaks the file protocol through libsys's client library.
 * The oracles are fsck.fat and mtools on the image afterwards.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"
#include "keel/loop.h"
#include "keel/service.h"
#include "keel/vfs.h"
#include "testutil.h"
#include "vfsd/server.h"

/* ---------------------------------------------------------------- cases */

/* A raw call on cap; returns the status vfsd answered (OK for VFS_REPLY). */
static status_t raw_call(cap_handle_t cap, struct keel_msg *m)
{
	status_t st = sys_msg_call(cap, m, WAIT_TIMEOUT), err;
	uint32_t label;
	if (st)
		return st;
	if (loop_error_parse(m, &err, &label) == STATUS_OK)
		return err;
	return m->label == VFS_REPLY ? STATUS_OK : STATUS_BAD_FORMAT;
}

/* Counts the entries of dir, checking each record's shape. */
static unsigned count_entries(cap_handle_t dir, const char *want, uint8_t *want_type)
{
	uint32_t cookie = VFS_COOKIE_START, count;
	unsigned total = 0;
	const struct vfs_dirent *d;
	size_t used;
	while (cookie != VFS_COOKIE_END) {
		CHECK_EQ(vfs_readdir(&cl, dir, &cookie, &d, &used, &count), STATUS_OK);
		const uint8_t *p = (const uint8_t *)d;
		for (uint32_t i = 0; i < count; i++) {
			const struct vfs_dirent *e = (const void *)p;
			CHECK(e->reclen % 8 == 0 && e->reclen >= sizeof *e + e->namelen + 1);
			CHECK_EQ(e->name[e->namelen], 0);
			if (want && strcmp(e->name, want) == 0)
				*want_type = e->type;
			p += e->reclen;
			total++;
		}
		CHECK_EQ((size_t)(p - (const uint8_t *)d), used);
	}
	return total;
}

TEST(files_put_by_mtools_are_read_through_vfsd)
{
	char buf[64] = { 0 };
	uint8_t type = 0;
	fresh_image();
	vfsd_start();
	CHECK_EQ(get_file(root, "docs/read me.txt", buf, sizeof buf - 1), 18);
	CHECK_STR(buf, "hello from mtools\n");
	CHECK_EQ(count_entries(root, "docs", &type), 1);
	CHECK_EQ(type, VFS_TYPE_DIR);
	vfsd_stop();
	image_clean();
}

#define TREE_FILES 240
#define TREE_DIRS 6

struct tfile {
	char path[96];
	uint32_t size, seed;
	bool gone;
};
static struct tfile tree[TREE_FILES];

static void fill(uint8_t *buf, uint32_t size, uint32_t seed)
{
	for (uint32_t i = 0; i < size; i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (uint8_t)(seed >> 16);
	}
}

/* Names of every kind: long with spaces, 8.3 upper and lower, UTF-8. */
static void tree_name(unsigned i, char *out, size_t n)
{
	static const char *const forms[] = { "File number %u with a long name.txt", "F%u.TXT",
					     "data%u.bin", "caf\xc3\xa9 %u.txt" };
	char leaf[64];
	snprintf(leaf, sizeof leaf, forms[i % 4], i);
	snprintf(out, n, "t/dir%u/%s", i % TREE_DIRS, leaf);
}

/* Checks the tree on the host: mcopy it out, compare every file. */
static void tree_check_with_mtools(void)
{
	int status;
	static uint8_t want[70000], got[70000];
	free(sh(&status, "cd '%s' && rm -rf out && mkdir out && mcopy -s -i vol.img ::/t out/",
		scratch));
	CHECK_EQ(status, 0);
	for (unsigned i = 0; i < TREE_FILES; i++) {
		char p[700];
		snprintf(p, sizeof p, "%s/out/%s", scratch, tree[i].path);
		FILE *f = fopen(p, "rb");
		if (tree[i].gone) {
			CHECK(f == NULL);
			continue;
		}
		CHECK(f != NULL);
		size_t n = fread(got, 1, sizeof got, f);
		fclose(f);
		fill(want, tree[i].size, tree[i].seed);
		CHECK_EQ(n, tree[i].size);
		CHECK(memcmp(want, got, n) == 0);
	}
}

TEST(a_tree_written_through_vfsd_passes_fsck_and_mtools)
{
	static uint8_t buf[70000];
	cap_handle_t d0, d1;
	uint32_t rng = 12345;
	fresh_image();
	vfsd_start();
	CHECK_EQ(vfs_mkdir(&cl, root, "t"), STATUS_OK);
	for (unsigned d = 0; d < TREE_DIRS; d++) {
		char p[32];
		snprintf(p, sizeof p, "t/dir%u", d);
		CHECK_EQ(vfs_mkdir(&cl, root, p), STATUS_OK);
	}
	CHECK_EQ(vfs_mkdir(&cl, root, "t"), STATUS_EXISTS);
	for (unsigned i = 0; i < TREE_FILES; i++) {
		rng = rng * 1103515245u + 12345u;
		tree[i] = (struct tfile){ .size = (rng >> 8) % 65000, .seed = rng };
		if (i % 7 == 0)
			tree[i].size %= 20; /* small ones travel inline */
		tree_name(i, tree[i].path, sizeof tree[i].path);
		fill(buf, tree[i].size, tree[i].seed);
		put_file(root, tree[i].path, buf, tree[i].size);
	}
	/* Renames across directories, through directory capabilities. */
	CHECK_EQ(vfs_open(&cl, root, "t/dir0", VFS_O_DIR, VFS_R_ALL, &d0, NULL), STATUS_OK);
	CHECK_EQ(vfs_open(&cl, root, "t/dir1", VFS_O_DIR, VFS_R_ALL, &d1, NULL), STATUS_OK);
	for (unsigned i = 0; i < TREE_FILES; i += 5 * TREE_DIRS) {
		char to[96];
		const char *leaf = strchr(tree[i].path + 2, '/') + 1;
		snprintf(to, sizeof to, "moved %u.dat", i);
		CHECK_EQ(vfs_rename(&cl, d0, leaf, d1, to), STATUS_OK);
		snprintf(tree[i].path, sizeof tree[i].path, "t/dir1/moved %u.dat", i);
	}
	CHECK_EQ(vfs_rename(&cl, root, "t/dir5", d1, "dir5 moved here"), STATUS_OK);
	for (unsigned i = 5; i < TREE_FILES; i += TREE_DIRS) {
		char *p = tree[i].path;
		char rest[96];
		snprintf(rest, sizeof rest, "t/dir1/dir5 moved here/%s", strchr(p + 2, '/') + 1);
		snprintf(tree[i].path, sizeof tree[i].path, "%s", rest);
	}
	/* Deletes. */
	for (unsigned i = 3; i < TREE_FILES; i += 11) {
		CHECK_EQ(vfs_unlink(&cl, root, tree[i].path), STATUS_OK);
		CHECK_EQ(vfs_unlink(&cl, root, tree[i].path), STATUS_NOT_FOUND);
		tree[i].gone = true;
	}
	CHECK_EQ(vfs_rmdir(&cl, root, "t/dir2"), FAT_ST_NOT_EMPTY);
	CHECK_EQ(vfs_close(&cl, d0), STATUS_OK);
	CHECK_EQ(vfs_close(&cl, d1), STATUS_OK);
	/* Read back through vfsd before the host looks. */
	for (unsigned i = 0; i < TREE_FILES; i += 13) {
		static uint8_t want[70000];
		if (tree[i].gone)
			continue;
		fill(want, tree[i].size, tree[i].seed);
		CHECK_EQ(get_file(root, tree[i].path, buf, sizeof buf), tree[i].size);
		CHECK(memcmp(want, buf, tree[i].size) == 0);
	}
	vfsd_stop();
	image_clean();
	tree_check_with_mtools();
}

TEST(bad_requests_get_clear_errors_and_vfsd_keeps_serving)
{
	struct keel_msg m;
	struct vfs_stat st;
	cap_handle_t forged, f, d;
	fresh_image();
	vfsd_start();
	m = (struct keel_msg){ .label = 0x12345678 };
	CHECK_EQ(raw_call(root, &m), STATUS_NOT_FOUND);
	/* A badge vfsd never made names nothing. */
	CHECK_EQ(sys_cap_derive(root, RIGHT_SEND, 0xabcdef0001ull, &forged), STATUS_OK);
	CHECK_EQ(vfs_stat(&cl, forged, &st), STATUS_STALE);
	CHECK_EQ(vfs_open(&cl, forged, "docs", 0, VFS_R_READ, &f, NULL), STATUS_STALE);
	sys_cap_delete(forged);
	/* Paths that are not typed relative paths. */
	CHECK_EQ(vfs_open(&cl, root, "../x", 0, VFS_R_READ, &f, NULL), STATUS_INVALID);
	CHECK_EQ(vfs_open(&cl, root, "docs/..", 0, VFS_R_READ, &f, NULL), STATUS_INVALID);
	CHECK_EQ(vfs_open(&cl, root, "/docs", 0, VFS_R_READ, &f, NULL), STATUS_BAD_FORMAT);
	CHECK_EQ(vfs_open(&cl, root, "docs//x", 0, VFS_R_READ, &f, NULL), STATUS_BAD_FORMAT);
	CHECK_EQ(vfs_open(&cl, root, "nothing", 0, VFS_R_READ, &f, NULL), STATUS_NOT_FOUND);
	CHECK_EQ(vfs_mkdir(&cl, root, ""), STATUS_INVALID);
	CHECK_EQ(vfs_mkdir(&cl, root, "a:b"), STATUS_BAD_FORMAT);
	/* A name FAT cannot hold names nothing: a lookup finds nothing there
	 * (ls *.cfg with no match), only a new name is refused. */
	CHECK_EQ(vfs_open(&cl, root, "docs/*.cfg", 0, VFS_R_READ, &f, NULL), STATUS_NOT_FOUND);
	CHECK_EQ(vfs_open(&cl, root, "a?/b", 0, VFS_R_READ, &f, NULL), STATUS_NOT_FOUND);
	CHECK_EQ(vfs_open(&cl, root, "x*", VFS_O_CREATE, VFS_R_ALL, &f, NULL), STATUS_BAD_FORMAT);
	CHECK_EQ(vfs_unlink(&cl, root, "a:b"), STATUS_NOT_FOUND);
	CHECK_EQ(vfs_rmdir(&cl, root, "end."), STATUS_NOT_FOUND);
	CHECK_EQ(vfs_rename(&cl, root, "q|", root, "r"), STATUS_NOT_FOUND);
	CHECK_EQ(vfs_rename(&cl, root, "docs", root, "r>"), STATUS_BAD_FORMAT);
	/* Lengths that lie. */
	m = (struct keel_msg){ .label = VFS_OPEN, .len = 14 };
	vfs_put_u32(m.payload + 4, VFS_R_READ);
	vfs_put_u16(m.payload + 8, 20);
	CHECK_EQ(raw_call(root, &m), STATUS_BAD_FORMAT);
	m = (struct keel_msg){ .label = VFS_OPEN, .len = 12 };
	vfs_put_u16(m.payload + 8, 60000);
	CHECK_EQ(raw_call(root, &m), STATUS_RANGE);
	m = (struct keel_msg){ .label = VFS_OPEN, .len = 4 };
	CHECK_EQ(raw_call(root, &m), STATUS_BAD_FORMAT);
	m = (struct keel_msg){ .label = VFS_OPEN, .len = 12 };
	vfs_put_u32(m.payload, 0x80000000u);
	CHECK_EQ(raw_call(root, &m), STATUS_INVALID);
	/* Objects of the wrong type. */
	CHECK_EQ(vfs_open(&cl, root, "docs/Read Me.txt", VFS_O_DIR, VFS_R_READ, &f, NULL),
		 STATUS_INVALID);
	CHECK_EQ(vfs_open(&cl, root, "docs", VFS_O_FILE, VFS_R_READ, &f, NULL), STATUS_INVALID);
	CHECK_EQ(vfs_open(&cl, root, "docs/Read Me.txt/x", 0, VFS_R_READ, &f, NULL),
		 STATUS_INVALID);
	CHECK_EQ(vfs_open(&cl, root, "docs", 0, VFS_R_READ, &d, NULL), STATUS_OK);
	CHECK_EQ(vfs_open(&cl, root, "docs/read me.TXT", 0, VFS_R_READ, &f, NULL), STATUS_OK);
	m = (struct keel_msg){ .label = VFS_READ, .len = 16 };
	CHECK_EQ(raw_call(d, &m), STATUS_INVALID);
	m = (struct keel_msg){ .label = VFS_READDIR, .len = 8 };
	vfs_put_u32(m.payload + 4, 4096);
	CHECK_EQ(raw_call(f, &m), STATUS_INVALID);
	/* Buffer spans outside the client's buffer. */
	m = (struct keel_msg){ .label = VFS_READ, .len = 16 };
	vfs_put_u32(m.payload + 8, 4096);
	vfs_put_u32(m.payload + 12, 16 * 4096 - 100);
	CHECK_EQ(raw_call(f, &m), STATUS_RANGE);
	m = (struct keel_msg){ .label = VFS_READ, .len = 16 };
	vfs_put_u32(m.payload + 8, 0xffffffffu);
	vfs_put_u32(m.payload + 12, 0xffffffffu);
	CHECK_EQ(raw_call(f, &m), STATUS_RANGE);
	m = (struct keel_msg){ .label = VFS_READDIR, .len = 8 };
	vfs_put_u32(m.payload + 4, 17 * 4096);
	CHECK_EQ(raw_call(d, &m), STATUS_RANGE);
	/* A send (no reply capability) of a request does nothing. */
	m = (struct keel_msg){ .label = VFS_MKDIR, .len = 13 };
	vfs_put_u16(m.payload + 8, 1);
	m.payload[12] = 'z';
	CHECK_EQ(sys_msg_send(root, &m, CAP_HANDLE_NONE, 0), STATUS_OK);
	CHECK_EQ(vfs_open(&cl, root, "z", 0, VFS_R_READ, &forged, NULL), STATUS_NOT_FOUND);
	/* An attach without a memory capability is refused; the old buffer stays. */
	m = (struct keel_msg){ .label = VFS_ATTACH, .len = 4 };
	vfs_put_u32(m.payload, 4);
	CHECK_EQ(sys_msg_send(d, &m, sup_send, CAP_COPY), STATUS_OK);
	CHECK_EQ(count_entries(d, NULL, NULL), 1);
	/* Closed means stale; the root cannot be closed; only the root stops vfsd. */
	CHECK_EQ(vfs_close(&cl, f), STATUS_OK);
	CHECK_EQ(vfs_open(&cl, root, "docs/read me.TXT", 0, VFS_R_READ, &f, NULL), STATUS_OK);
	CHECK_EQ(sys_cap_derive(f, RIGHT_SEND, 0, &forged), STATUS_OK);
	CHECK_EQ(vfs_close(&cl, f), STATUS_OK);
	CHECK_EQ(vfs_stat(&cl, forged, &st), STATUS_STALE);
	sys_cap_delete(forged);
	m = (struct keel_msg){ .label = VFS_CLOSE };
	CHECK_EQ(raw_call(root, &m), STATUS_INVALID);
	m = (struct keel_msg){ .label = VFS_STOP };
	CHECK_EQ(raw_call(d, &m), STATUS_NO_RIGHTS);
	CHECK_EQ(vfs_stat(&cl, root, &st), STATUS_OK);
	CHECK_EQ(st.type, VFS_TYPE_DIR);
	CHECK_EQ(st.rights, VFS_R_ALL);
	vfs_close(&cl, d);
	vfsd_stop();
	image_clean();
}

TEST(rights_only_narrow)
{
	cap_handle_t ro, f, x;
	struct vfs_stat st;
	size_t done;
	fresh_image();
	vfsd_start();
	CHECK_EQ(vfs_open(&cl, root, "docs", VFS_O_DIR, VFS_R_READ, &ro, &st), STATUS_OK);
	CHECK_EQ(st.rights, VFS_R_READ);
	CHECK_EQ(vfs_open(&cl, ro, "new.txt", VFS_O_CREATE, VFS_R_READ, &f, NULL),
		 STATUS_NO_RIGHTS);
	CHECK_EQ(vfs_mkdir(&cl, ro, "sub"), STATUS_NO_RIGHTS);
	CHECK_EQ(vfs_unlink(&cl, ro, "Read Me.txt"), STATUS_NO_RIGHTS);
	CHECK_EQ(vfs_rename(&cl, ro, "Read Me.txt", ro, "x.txt"), STATUS_NO_RIGHTS);
	CHECK_EQ(vfs_rename(&cl, root, "docs/Read Me.txt", ro, "x.txt"), STATUS_NO_RIGHTS);
	CHECK_EQ(vfs_dup(&cl, ro, VFS_R_READ | VFS_R_WRITE, &x, NULL), STATUS_NO_RIGHTS);
	CHECK_EQ(vfs_open(&cl, ro, "Read Me.txt", 0, VFS_R_READ | VFS_R_WRITE, &f, NULL),
		 STATUS_NO_RIGHTS);
	CHECK_EQ(vfs_open(&cl, ro, "Read Me.txt", VFS_O_TRUNC, VFS_R_READ, &f, NULL),
		 STATUS_NO_RIGHTS);
	CHECK_EQ(vfs_open(&cl, ro, "Read Me.txt", 0, VFS_R_READ, &f, NULL), STATUS_OK);
	CHECK_EQ(vfs_write(&cl, f, 0, "x", 1, &done), STATUS_NO_RIGHTS);
	CHECK_EQ(vfs_truncate(&cl, f, 0), STATUS_NO_RIGHTS);
	CHECK_EQ(vfs_settimes(&cl, f, VFS_TIME_MTIME_NOW, 0, 0), STATUS_NO_RIGHTS);
	CHECK_EQ(vfs_settimes(&cl, ro, VFS_TIME_MTIME, 1300000000, 0), STATUS_NO_RIGHTS);
	CHECK_EQ(vfs_dup(&cl, f, 0, &x, &st), STATUS_OK);
	CHECK_EQ(st.rights, 0);
	char buf[8];
	CHECK_EQ(vfs_read(&cl, x, 0, buf, 5, &done), STATUS_NO_RIGHTS);
	CHECK_EQ(vfs_stat(&cl, x, &st), STATUS_OK);
	CHECK_EQ(st.size, 18);
	vfs_close(&cl, x);
	vfs_close(&cl, f);
	vfs_close(&cl, ro);
	vfsd_stop();
	image_clean();
}

TEST(times_set_through_vfsd_are_what_mtools_lists)
{
	struct keel_msg m;
	struct vfs_stat st;
	cap_handle_t f, d;
	int status;
	fresh_image();
	vfsd_start();
	CHECK_EQ(vfs_open(&cl, root, "docs/Read Me.txt", 0, VFS_R_READ | VFS_R_WRITE, &f, NULL),
		 STATUS_OK);
	CHECK_EQ(vfs_settimes(&cl, f, VFS_TIME_MTIME | VFS_TIME_ATIME, 1234567890, 1234567890),
		 STATUS_OK);
	CHECK_EQ(vfs_stat(&cl, f, &st), STATUS_OK);
	CHECK_EQ(st.mtime, 1234567890);
	CHECK_EQ(vfs_settimes(&cl, f, VFS_TIME_ATIME_NOW, 0, 0), STATUS_OK); /* mtime kept */
	CHECK_EQ(vfs_stat(&cl, f, &st), STATUS_OK);
	CHECK_EQ(st.mtime, 1234567890);
	/* Times FAT cannot hold are clamped to its range, 1980 to 2107. */
	CHECK_EQ(vfs_settimes(&cl, f, VFS_TIME_MTIME, INT64_MIN, 0), STATUS_OK);
	CHECK_EQ(vfs_stat(&cl, f, &st), STATUS_OK);
	CHECK_EQ(st.mtime, 315532800);
	CHECK_EQ(vfs_settimes(&cl, f, VFS_TIME_MTIME | VFS_TIME_ATIME, INT64_MAX, INT64_MAX),
		 STATUS_OK);
	CHECK_EQ(vfs_stat(&cl, f, &st), STATUS_OK);
	CHECK_EQ(st.mtime, 4354819198);
	CHECK_EQ(vfs_settimes(&cl, f, VFS_TIME_MTIME, 1234567890, 0), STATUS_OK);
	CHECK_EQ(vfs_open(&cl, root, "docs", VFS_O_DIR, VFS_R_WRITE, &d, NULL), STATUS_OK);
	CHECK_EQ(vfs_settimes(&cl, d, VFS_TIME_MTIME, 1000000000, 0), STATUS_OK);
	/* What is refused. */
	CHECK_EQ(vfs_settimes(&cl, root, VFS_TIME_MTIME, 1000000000, 0), STATUS_INVALID);
	CHECK_EQ(vfs_settimes(&cl, f, 0x10, 0, 0), STATUS_INVALID);
	CHECK_EQ(vfs_settimes(&cl, f, VFS_TIME_MTIME | VFS_TIME_MTIME_NOW, 0, 0), STATUS_INVALID);
	CHECK_EQ(vfs_settimes(&cl, f, VFS_TIME_ATIME | VFS_TIME_ATIME_NOW, 0, 0), STATUS_INVALID);
	m = (struct keel_msg){ .label = VFS_SETTIMES, .len = 16 };
	CHECK_EQ(raw_call(f, &m), STATUS_BAD_FORMAT);
	vfs_close(&cl, f);
	vfs_close(&cl, d);
	vfsd_stop();
	image_clean();
	/* mtools reads the entries' times (the volume keeps UTC here). */
	char *out = sh(&status, "mdir -i '%s' ::/docs", img_path);
	CHECK(strstr(out, "2009-02-13  23:31") != NULL);
	if (!strstr(out, "2009-02-13  23:31"))
		printf("mdir ::/docs:\n%s", out);
	free(out);
	out = sh(&status, "mdir -i '%s' ::/", img_path);
	CHECK(strstr(out, "2001-09-09   1:46") != NULL);
	if (!strstr(out, "2001-09-09   1:46"))
		printf("mdir ::/:\n%s", out);
	free(out);
}

/* The letters mattrib shows for a name on the image ("  A   HR     ::/x"). */
static char *mattrib_of(const char *name)
{
	int status;
	char *out = sh(&status, "mattrib -i '%s' '::/%s'", img_path, name);
	char *end = strstr(out, "::/");
	if (status != 0 || !end) {
		printf("mattrib ::/%s: status %d: %s", name, status, out);
		out[0] = 0;
	} else {
		*end = 0;
	}
	return out;
}

/* VFS_SETMODE sets and clears FAT's read-only attribute as mtools reads
 * it, keeps the other attributes, and the attribute is kept by the
 * engine: no write or truncation, but the name may still go. */
TEST(setmode_sets_the_read_only_attribute_mtools_reads)
{
	struct keel_msg m;
	struct vfs_stat st;
	cap_handle_t f, ro, d;
	size_t done;
	int status;
	fresh_image();
	free(sh(&status, "mattrib -i '%s' +h '::/docs/Read Me.txt'", img_path));
	CHECK_EQ(status, 0);
	imgdev_free(&disk);
	CHECK_EQ(imgdev_load(&disk, img_path, 512), 0);
	vfsd_start();
	CHECK_EQ(vfs_open(&cl, root, "docs/Read Me.txt", 0, VFS_R_READ | VFS_R_WRITE, &f, NULL),
		 STATUS_OK);
	CHECK_EQ(vfs_setmode(&cl, f, VFS_MODE_READ_ONLY), STATUS_OK);
	CHECK_EQ(vfs_stat(&cl, f, &st), STATUS_OK);
	CHECK_EQ(st.attr & 0x03, 0x03); /* read-only, and still hidden */
	CHECK_EQ(vfs_write(&cl, f, 0, "x", 1, &done), STATUS_NO_RIGHTS);
	CHECK_EQ(vfs_truncate(&cl, f, 0), STATUS_NO_RIGHTS);
	CHECK_EQ(vfs_setmode(&cl, f, VFS_MODE_READ_ONLY), STATUS_OK); /* again: no change */
	/* What is refused: a record without WRITE, a directory, an unknown
	 * flag, a short message. */
	CHECK_EQ(vfs_open(&cl, root, "docs/Read Me.txt", 0, VFS_R_READ, &ro, NULL), STATUS_OK);
	CHECK_EQ(vfs_setmode(&cl, ro, 0), STATUS_NO_RIGHTS);
	CHECK_EQ(vfs_open(&cl, root, "docs", VFS_O_DIR, VFS_R_READ | VFS_R_WRITE, &d, NULL),
		 STATUS_OK);
	CHECK_EQ(vfs_setmode(&cl, d, VFS_MODE_READ_ONLY), STATUS_INVALID);
	CHECK_EQ(vfs_setmode(&cl, root, VFS_MODE_READ_ONLY), STATUS_INVALID);
	CHECK_EQ(vfs_setmode(&cl, f, 0x2), STATUS_INVALID);
	m = (struct keel_msg){ .label = VFS_SETMODE, .len = 2 };
	CHECK_EQ(raw_call(f, &m), STATUS_BAD_FORMAT);
	vfs_close(&cl, ro);
	vfs_close(&cl, d);
	vfs_close(&cl, f);
	/* A second file made read-only is still renamed and removed. */
	CHECK_EQ(vfs_open(&cl, root, "gone.txt", VFS_O_CREATE, VFS_R_READ | VFS_R_WRITE, &f, NULL),
		 STATUS_OK);
	CHECK_EQ(vfs_setmode(&cl, f, VFS_MODE_READ_ONLY), STATUS_OK);
	vfs_close(&cl, f);
	CHECK_EQ(vfs_rename(&cl, root, "gone.txt", root, "went.txt"), STATUS_OK);
	CHECK_EQ(vfs_unlink(&cl, root, "went.txt"), STATUS_OK);
	CHECK_EQ(vfs_open(&cl, root, "kept.txt", VFS_O_CREATE, VFS_R_READ | VFS_R_WRITE, &f, NULL),
		 STATUS_OK);
	CHECK_EQ(vfs_setmode(&cl, f, VFS_MODE_READ_ONLY), STATUS_OK);
	vfs_close(&cl, f);
	vfsd_stop();
	image_clean();
	char *a = mattrib_of("docs/Read Me.txt");
	CHECK(strchr(a, 'R') && strchr(a, 'H'));
	free(a);
	a = mattrib_of("kept.txt");
	CHECK(strchr(a, 'R') != NULL);
	free(a);
	/* Cleared again through vfsd: writable, still hidden. */
	imgdev_free(&disk);
	CHECK_EQ(imgdev_load(&disk, img_path, 512), 0);
	vfsd_start();
	CHECK_EQ(vfs_open(&cl, root, "docs/Read Me.txt", 0, VFS_R_READ | VFS_R_WRITE, &f, NULL),
		 STATUS_OK);
	CHECK_EQ(vfs_setmode(&cl, f, 0), STATUS_OK);
	CHECK_EQ(vfs_write(&cl, f, 0, "x", 1, &done), STATUS_OK);
	vfs_close(&cl, f);
	vfsd_stop();
	image_clean();
	a = mattrib_of("docs/Read Me.txt");
	CHECK(!strchr(a, 'R') && strchr(a, 'H'));
	free(a);
	char *out = sh(&status, "mtype -i '%s' '::/docs/Read Me.txt'", img_path);
	CHECK_EQ(out[0], 'x');
	free(out);
}

/* The count of mdir's "41 281 024 bytes free" (digits grouped by blanks). */
static unsigned long long mdir_bytes_free(const char *out)
{
	const char *end = strstr(out, " bytes free"), *p = end;
	unsigned long long n = 0, scale = 1;
	while (p && p > out && (p[-1] == ' ' || (p[-1] >= '0' && p[-1] <= '9'))) {
		p--;
		if (*p != ' ') {
			n += (unsigned long long)(*p - '0') * scale;
			scale *= 10;
		}
	}
	return n;
}

/* The number after "clusters" in fsck.fat's summary "N files, U/T clusters". */
static long fsck_clusters(const char *out, long *total)
{
	const char *p = strstr(out, " files, ");
	long used = -1;
	*total = -1;
	if (p && sscanf(p, " files, %ld/%ld clusters", &used, total) != 2)
		used = *total = -1;
	return used;
}

/* VFS_STATFS: the free space vfsd reports is what mtools and fsck.fat
 * count on the image, before and after a file takes some, through any
 * record; a wrong FSInfo hint is not believed. */
TEST(statfs_counts_what_mtools_and_fsck_count)
{
	struct vfs_statfs a, b;
	struct keel_msg m;
	cap_handle_t f, ro;
	size_t done;
	int status;
	static char data[100000];
	fresh_image();
	/* A clean volume whose FSInfo says 7 clusters are free: vfsd takes it
	 * at mount as a hint, and statfs counts the FAT. */
	imgdev_free(&disk);
	free(sh(&status,
		"printf '\\007\\000\\000\\000' | dd of='%s' bs=1 seek=%d conv=notrunc 2>/dev/null",
		img_path, 512 + 488));
	CHECK_EQ(status, 0);
	CHECK_EQ(imgdev_load(&disk, img_path, 512), 0);
	vfsd_start();
	CHECK_EQ(vfs_statfs(&cl, root, &a), STATUS_OK);
	CHECK_EQ(a.kind, 32);
	CHECK_EQ(a.cluster_bytes, 512);
	CHECK_EQ(a.flags, 0);
	CHECK_EQ(a.name_max, 255);
	CHECK(a.serial != 0);
	CHECK(a.free_clusters > 7 && a.free_clusters < a.clusters);
	memset(data, 'x', sizeof data);
	CHECK_EQ(vfs_open(&cl, root, "big.bin", VFS_O_CREATE, VFS_R_READ | VFS_R_WRITE, &f, NULL),
		 STATUS_OK);
	CHECK_EQ(vfs_write(&cl, f, 0, data, sizeof data, &done), STATUS_OK);
	CHECK_EQ(vfs_open(&cl, root, "docs/Read Me.txt", 0, VFS_R_READ, &ro, NULL), STATUS_OK);
	CHECK_EQ(vfs_statfs(&cl, ro, &b), STATUS_OK); /* any record, read-only too */
	CHECK_EQ(a.free_clusters - b.free_clusters, (sizeof data + 511) / 512);
	CHECK_EQ(b.clusters, a.clusters);
	m = (struct keel_msg){ .label = VFS_STATFS, .len = 40 }; /* extra bytes are ignored */
	CHECK_EQ(raw_call(ro, &m), STATUS_OK);
	CHECK_EQ(m.len, 32);
	CHECK_EQ(vfs_get_u32(m.payload + 8), b.free_clusters);
	vfs_close(&cl, f);
	vfs_close(&cl, ro);
	vfsd_stop();
	image_clean();
	/* mdir's last line: "N bytes free"; fsck.fat: "U/T clusters". */
	char *out = sh(&status, "mdir -i '%s' ::/", img_path);
	unsigned long long bytes = mdir_bytes_free(out);
	if (bytes != (unsigned long long)b.free_clusters * 512)
		printf("mdir: %s(vfsd: %u clusters free)\n", out, b.free_clusters);
	CHECK_EQ(bytes, (unsigned long long)b.free_clusters * 512);
	free(out);
	out = sh(&status, "fsck.fat -n '%s'", img_path);
	long total, used = fsck_clusters(out, &total);
	if (total != (long)b.clusters || used != (long)(b.clusters - b.free_clusters))
		printf("fsck.fat:\n%s(vfsd: %u of %u clusters free)\n", out, b.free_clusters,
		       b.clusters);
	CHECK_EQ(total, (long)b.clusters);
	CHECK_EQ(used, (long)(b.clusters - b.free_clusters));
	free(out);
}

/* Shared file positions (VFS_DUP_SHARE_POS, VFS_OFF_POS, VFS_OFF_END,
 * VFS_SEEK): what a parent and the child it passed a file to see, the
 * refusals, a bare duplicate without a buffer, and the table's limit. */
TEST(shared_positions_move_for_every_record_sharing_them)
{
	cap_handle_t f, x, more[VFSD_POSS + 1][2];
	struct vfs_stats before, after;
	uint64_t pos = 99;
	size_t done;
	char buf[64];
	fresh_image();
	vfsd_start();
	CHECK_EQ(vfs_stats(&cl, root, &before), STATUS_OK);
	CHECK_EQ(vfs_open(&cl, root, "pos.txt", VFS_O_CREATE, VFS_R_READ | VFS_R_WRITE, &f, NULL),
		 STATUS_OK);
	CHECK_EQ(vfs_write(&cl, f, 0, "hello", 5, &done), STATUS_OK);
	CHECK_EQ(vfs_seek(&cl, f, 0, VFS_SEEK_CUR, &pos), STATUS_INVALID); /* none yet */
	CHECK_EQ(vfs_read(&cl, f, VFS_OFF_POS, buf, 3, &done), STATUS_INVALID);
	CHECK_EQ(vfs_dup_flags(&cl, root, VFS_R_READ, VFS_DUP_SHARE_POS, 0, &x, NULL),
		 STATUS_INVALID); /* a directory has no position */
	CHECK_EQ(vfs_dup_flags(&cl, f, VFS_R_READ, 4, 0, &x, NULL), STATUS_INVALID);
	CHECK_EQ(vfs_dup_flags(&cl, f, VFS_R_READ | VFS_R_WRITE, VFS_DUP_BARE | VFS_DUP_SHARE_POS,
			       2, &x, NULL),
		 STATUS_OK);
	memset(buf, 0, sizeof buf);
	CHECK_EQ(vfs_read(&cl, x, VFS_OFF_POS, buf, 3, &done), STATUS_OK); /* from 2 */
	CHECK_EQ(done, 3);
	CHECK(!memcmp(buf, "llo", 3));
	CHECK_EQ(vfs_read(&cl, f, VFS_OFF_POS, buf, 3, &done), STATUS_OK); /* at 5: the end */
	CHECK_EQ(done, 0);
	CHECK_EQ(vfs_write(&cl, f, VFS_OFF_END, "!!", 2, &done), STATUS_OK);
	CHECK_EQ(vfs_seek(&cl, x, 0, VFS_SEEK_CUR, &pos), STATUS_OK);
	CHECK_EQ(pos, 7);
	CHECK_EQ(vfs_seek(&cl, x, -100, VFS_SEEK_CUR, &pos), STATUS_INVALID);
	CHECK_EQ(vfs_seek(&cl, x, INT64_MAX, VFS_SEEK_END, &pos), STATUS_INVALID);
	CHECK_EQ(vfs_seek(&cl, x, 0, 7, &pos), STATUS_INVALID);
	CHECK_EQ(vfs_seek(&cl, x, -6, VFS_SEEK_END, &pos), STATUS_OK);
	CHECK_EQ(pos, 1);
	CHECK_EQ(vfs_read(&cl, f, VFS_OFF_POS, buf, 2, &done), STATUS_OK);
	CHECK(done == 2 && !memcmp(buf, "el", 2));
	/* The duplicate is bare: what needs a buffer is refused, not served
	 * from the buffer of the record it was made from. */
	CHECK_EQ(vfs_write(&cl, x, VFS_OFF_POS, buf, sizeof buf, &done), STATUS_NOT_FOUND);
	vfs_close(&cl, f); /* the position stays while x shares it */
	CHECK_EQ(vfs_read(&cl, x, VFS_OFF_POS, buf, 4, &done), STATUS_OK);
	CHECK(done == 4 && !memcmp(buf, "lo!!", 4));
	vfs_close(&cl, x);
	/* The table: VFSD_POSS positions, then QUOTA. */
	int made = 0;
	status_t st = STATUS_OK;
	for (int i = 0; i <= VFSD_POSS && st == STATUS_OK; i++) {
		CHECK_EQ(vfs_open(&cl, root, "pos.txt", 0, VFS_R_READ, &more[i][0], NULL),
			 STATUS_OK);
		st = vfs_dup_flags(&cl, more[i][0], VFS_R_READ, VFS_DUP_SHARE_POS, 0, &more[i][1],
				   NULL);
		if (st)
			vfs_close(&cl, more[i][0]);
		else
			made++;
	}
	CHECK_EQ(made, VFSD_POSS);
	CHECK_EQ(st, STATUS_QUOTA);
	for (int i = 0; i < made; i++) {
		vfs_close(&cl, more[i][0]);
		vfs_close(&cl, more[i][1]);
	}
	CHECK_EQ(vfs_stats(&cl, root, &after), STATUS_OK);
	CHECK_EQ(after.records, before.records);
	vfsd_stop();
	image_clean();
}

/* VFS_DROP_CACHE: a directory with every right only; it makes everything
 * durable and the next reads come from the device. */
TEST(drop_cache_writes_back_and_reads_come_from_the_device)
{
	static uint8_t data[20000], back[20000];
	cap_handle_t ro, f;
	int status;
	fill(data, sizeof data, 7);
	fresh_image();
	vfsd_start();
	put_file(root, "cold.bin", data, sizeof data);
	CHECK_EQ(vfs_open(&cl, root, "docs", VFS_O_DIR, VFS_R_READ | VFS_R_WRITE, &ro, NULL),
		 STATUS_OK);
	CHECK_EQ(vfs_drop_cache(&cl, ro), STATUS_NO_RIGHTS);
	CHECK_EQ(vfs_open(&cl, root, "cold.bin", VFS_O_FILE, VFS_R_ALL, &f, NULL), STATUS_OK);
	CHECK_EQ(vfs_drop_cache(&cl, f), STATUS_INVALID);
	uint64_t writes = disk.write_reqs, reads = disk.read_reqs;
	CHECK_EQ(vfs_drop_cache(&cl, root), STATUS_OK);
	CHECK(disk.write_reqs > writes); /* the file's data and entry went out */
	/* On the image now, before any stop: mtools reads it. */
	CHECK_EQ(imgdev_save(&disk, img_path), 0);
	char want[600];
	snprintf(want, sizeof want, "%s/cold.want", scratch);
	FILE *w = fopen(want, "wb");
	CHECK(w != NULL);
	CHECK_EQ(fwrite(data, 1, sizeof data, w), sizeof data);
	fclose(w);
	free(sh(&status, "mtype -i '%s' ::/cold.bin | cmp - '%s'", img_path, want));
	CHECK_EQ(status, 0);
	/* Reading it again misses the cache: the device is read. */
	reads = disk.read_reqs;
	CHECK_EQ(get_file(root, "cold.bin", back, sizeof back), sizeof data);
	CHECK(memcmp(data, back, sizeof data) == 0);
	CHECK(disk.read_reqs > reads);
	vfs_close(&cl, f);
	vfs_close(&cl, ro);
	vfsd_stop();
	image_clean();
}

TEST(after_a_kill_caps_are_dead_and_fsynced_data_survives)
{
	static uint8_t data[50000], back[50000];
	cap_handle_t f, g;
	size_t done;
	int status;
	fresh_image();
	vfsd_start();
	fill(data, sizeof data, 77);
	CHECK_EQ(vfs_open(&cl, root, "durable.bin", VFS_O_CREATE, VFS_R_READ | VFS_R_WRITE, &f,
			  NULL),
		 STATUS_OK);
	CHECK_EQ(vfs_write(&cl, f, 0, data, sizeof data, &done), STATUS_OK);
	CHECK_EQ(vfs_fsync(&cl, f), STATUS_OK);
	CHECK_EQ(vfs_open(&cl, root, "volatile.bin", VFS_O_CREATE, VFS_R_READ | VFS_R_WRITE, &g,
			  NULL),
		 STATUS_OK);
	CHECK_EQ(vfs_write(&cl, g, 0, data, 30000, &done), STATUS_OK);
	/* vfsd dies mid-workload: the old capabilities fail clearly. */
	sys_task_kill(child.task, 0);
	status_t st = vfs_write(&cl, g, 30000, data, 100, &done);
	CHECK(st == STATUS_DEAD || st == STATUS_STALE);
	st = vfs_stat(&cl, root, &(struct vfs_stat){ 0 });
	CHECK(st == STATUS_DEAD || st == STATUS_STALE);
	sys_cap_delete(f);
	sys_cap_delete(g);
	/* The image as the crash left it: fsck may find lost clusters, never cross-links. */
	CHECK_EQ(imgdev_save(&disk, img_path), 0);
	char *out = sh(&status, "fsck.fat -n '%s' 2>&1", img_path);
	CHECK(strstr(out, "ross-link") == NULL);
	free(out);
	/* A new vfsd reports the dirty volume and serves the durable file. */
	host_console_clear();
	vfsd_start();
	CHECK(strstr(host_console_text(), "not cleanly unmounted") != NULL);
	CHECK_EQ(get_file(root, "durable.bin", back, sizeof back), sizeof data);
	CHECK(memcmp(data, back, sizeof data) == 0);
	vfsd_stop();
	CHECK_EQ(imgdev_save(&disk, img_path), 0);
	char want[600];
	snprintf(want, sizeof want, "%s/durable.want", scratch);
	FILE *w = fopen(want, "wb");
	CHECK(w != NULL);
	CHECK_EQ(fwrite(data, 1, sizeof data, w), sizeof data);
	fclose(w);
	out = sh(&status, "mtype -i '%s' ::/durable.bin | cmp - '%s'", img_path, want);
	free(out);
	CHECK_EQ(status, 0);
}

static int tests(const struct keel_start *start)
{
	if (harness_init(start)) {
		printf("0 passed, 1 failed (set-up)\n");
		return 1;
	}
	RUN(files_put_by_mtools_are_read_through_vfsd);
	RUN(a_tree_written_through_vfsd_passes_fsck_and_mtools);
	RUN(bad_requests_get_clear_errors_and_vfsd_keeps_serving);
	RUN(rights_only_narrow);
	RUN(times_set_through_vfsd_are_what_mtools_lists);
	RUN(statfs_counts_what_mtools_and_fsck_count);
	RUN(setmode_sets_the_read_only_attribute_mtools_reads);
	RUN(shared_positions_move_for_every_record_sharing_them);
	RUN(drop_cache_writes_back_and_reads_come_from_the_device);
	RUN(after_a_kill_caps_are_dead_and_fsynced_data_survives);
	vfsd_kill();
	imgdev_free(&disk);
	return check_summary();
}

int main(void)
{
	scratch = test_setup();
	return host_test_main(tests);
}
