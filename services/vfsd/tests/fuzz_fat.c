/*
 * fuzz_fat.c - libFuzzer target: the FAT engine's unmodified code over
 * mutated volumes.
 *
 * An input is a sparse disk image, so that FAT32 volumes (32 MiB at
 * least) fit in a few KiB:
 *
 *   u32 LE   device size in 512-byte blocks (taken modulo 2^17, 64 MiB)
 *   then records of  u32 LE block number (modulo the size), 512 bytes
 *
 * Blocks without a record read as zeros; a later record for a block wins.
 * The engine mounts the volume read-only and walks it (every directory to
 * a depth of 8, every file read to its end or 256 KiB, within a budget of
 * entries), then mounts it read-write on a copy-on-write overlay and
 * creates, writes, renames, truncates, removes and syncs, and unmounts.
 * Statuses are not judged (a mutated volume may fail anything); crashes,
 * sanitizer reports, hangs and broken promises (more bytes than asked,
 * writes outside the device) are.
 *
 * Seeds: tests/fuzz_seeds.sh makes small mkfs.fat images with mtools and
 * converts them to this form.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Ikernel -Ilibsys/include \
 *       -Ibuild/gen -Iservices/vfsd services/vfsd/tests/fuzz_fat.c <engine sources> \
 *       libsys/path.c libsys/alloc.c -o fuzz_fat
 *   ./fuzz_fat -runs=10000 -timeout=10 services/vfsd/tests/fuzz_corpus
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fatfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BLOCK 512u
#define MAX_BLOCKS (1u << 17)
#define OVERLAY_SLOTS 8192u /* blocks the read-write pass may write */
#define CACHE_BYTES (24 * 1024)
#define INDEX_BYTES (16 * 1024)
#define NODES 48
#define MAX_DEPTH 8
#define ENTRY_BUDGET 600
#define READ_CAP (256 * 1024)

/* ---------------------------------------------------------------- the sparse device */

struct rec {
	uint32_t block;
	const uint8_t *data;
};

struct sparse {
	struct rec *recs; /* sorted by block, one per block */
	size_t nrecs;
	uint32_t blocks;
	/* The overlay: open addressing on block + 1 (0 is empty). */
	uint32_t *okeys;
	uint8_t *odata;
	uint32_t oused;
	struct bdev dev;
};

static int cmp_rec(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;

	if (x->block != y->block)
		return x->block < y->block ? -1 : 1;
	return x->data < y->data ? -1 : x->data > y->data; /* later records win */
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Parses the input into s; false if it holds no device. */
static bool sparse_parse(struct sparse *s, const uint8_t *data, size_t size)
{
	memset(s, 0, sizeof *s);
	if (size < 4)
		return false;
	s->blocks = le32(data) % MAX_BLOCKS;
	if (!s->blocks)
		return false;
	size_t n = (size - 4) / (4 + BLOCK);
	s->recs = malloc((n ? n : 1) * sizeof *s->recs);
	for (size_t i = 0; i < n; i++) {
		const uint8_t *r = data + 4 + i * (4 + BLOCK);
		s->recs[i].block = le32(r) % s->blocks;
		s->recs[i].data = r + 4;
	}
	qsort(s->recs, n, sizeof *s->recs, cmp_rec);
	/* Keep the last record of each block. */
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (k && s->recs[k - 1].block == s->recs[i].block)
			k--;
		s->recs[k++] = s->recs[i];
	}
	s->nrecs = k;
	return true;
}

static const uint8_t *base_block(const struct sparse *s, uint32_t b)
{
	size_t lo = 0, hi = s->nrecs;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (s->recs[mid].block < b)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->nrecs && s->recs[lo].block == b ? s->recs[lo].data : NULL;
}

/* The overlay slot of block b: its own, or the empty one it would take. */
static uint32_t overlay_slot(const struct sparse *s, uint32_t b)
{
	uint32_t i = (b * 2654435761u) & (OVERLAY_SLOTS - 1);

	while (s->okeys[i] && s->okeys[i] != b + 1)
		i = (i + 1) & (OVERLAY_SLOTS - 1);
	return i;
}

static void check_range(const struct sparse *s, uint64_t block, uint32_t count)
{
	if (!count || block >= s->blocks || count > s->blocks - block) {
		fprintf(stderr, "access outside the device: %llu+%u of %u\n",
			(unsigned long long)block, count, s->blocks);
		abort();
	}
}

static status_t sp_read(void *ctx, uint64_t block, uint32_t count, void *buf)
{
	struct sparse *s = ctx;

	check_range(s, block, count);
	for (uint32_t i = 0; i < count; i++) {
		uint32_t b = (uint32_t)block + i;
		const uint8_t *src = base_block(s, b);
		if (s->okeys) {
			uint32_t k = overlay_slot(s, b);
			if (s->okeys[k])
				src = s->odata + (size_t)k * BLOCK;
		}
		if (src)
			memcpy((uint8_t *)buf + (size_t)i * BLOCK, src, BLOCK);
		else
			memset((uint8_t *)buf + (size_t)i * BLOCK, 0, BLOCK);
	}
	return STATUS_OK;
}

static status_t sp_write(void *ctx, uint64_t block, uint32_t count, const void *buf)
{
	struct sparse *s = ctx;

	check_range(s, block, count);
	if (!s->okeys)
		abort(); /* the read-only pass must never write */
	for (uint32_t i = 0; i < count; i++) {
		uint32_t b = (uint32_t)block + i, k = overlay_slot(s, b);
		if (!s->okeys[k]) {
			if (s->oused == OVERLAY_SLOTS / 2)
				return STATUS_FULL; /* the device is "worn out": a write error */
			s->okeys[k] = b + 1;
			s->oused++;
		}
		memcpy(s->odata + (size_t)k * BLOCK, (const uint8_t *)buf + (size_t)i * BLOCK,
		       BLOCK);
	}
	return STATUS_OK;
}

static status_t sp_flush(void *ctx)
{
	(void)ctx;
	return STATUS_OK;
}

/* ---------------------------------------------------------------- the passes */

static int64_t fuzz_clock(void *ctx)
{
	(void)ctx;
	return 1700000000;
}

struct walk {
	struct fat_volume *v;
	int budget;
	uint8_t *buf;
};

static void read_file(struct walk *w, fat_handle_t h)
{
	struct fat_stat st;
	uint64_t off = 0;
	size_t done;

	if (fat_stat(w->v, h, &st) != STATUS_OK)
		return;
	while (off < st.size && off < READ_CAP) {
		size_t want = 4096 + (size_t)(off % 777);
		if (fat_read(w->v, h, off, w->buf, want, &done) != STATUS_OK)
			return;
		if (done > want)
			abort();
		if (!done)
			return;
		off += done;
	}
}

static void walk_dir(struct walk *w, fat_handle_t dir, int depth)
{
	uint8_t buf[2048] __attribute__((aligned(8)));
	uint32_t cookie = FAT_COOKIE_START;
	size_t used;

	while (cookie != FAT_COOKIE_END && w->budget > 0) {
		if (fat_readdir(w->v, dir, &cookie, buf, sizeof buf, &used) != STATUS_OK)
			return;
		if (used > sizeof buf)
			abort();
		for (size_t off = 0; off < used && w->budget > 0;) {
			const struct fat_dirent *d = (const void *)(buf + off);
			if (d->reclen < sizeof *d || d->reclen > used - off || d->name[d->namelen])
				abort();
			off += d->reclen;
			w->budget--;
			fat_handle_t h;
			if (fat_open(w->v, dir, d->name, d->namelen, &h) != STATUS_OK)
				continue;
			if (d->type == FAT_TYPE_DIR && depth < MAX_DEPTH)
				walk_dir(w, h, depth + 1);
			else if (d->type == FAT_TYPE_FILE)
				read_file(w, h);
			fat_close(w->v, h);
		}
	}
}

static status_t mount(struct fat_volume *v, struct sparse *s, uint8_t *mem, size_t bytes,
		      uint32_t flags)
{
	struct arena a;
	struct fat_mount_params p = {
		.dev = &s->dev,
		.arena = &a,
		.cache_bytes = CACHE_BYTES,
		.index_bytes = INDEX_BYTES,
		.max_nodes = NODES,
		.flags = flags,
		.clock = fuzz_clock,
	};

	arena_init(&a, mem, bytes);
	return fat_mount(v, &p, NULL);
}

/* Changes on the read-write mount; statuses are ignored. */
static void mutate(struct fat_volume *v, uint8_t *buf)
{
	fat_handle_t root, f, d;
	size_t done;
	uint8_t lb[1024] __attribute__((aligned(8)));
	uint32_t cookie = 0;

	if (fat_root(v, &root))
		return;
	memset(buf, 0x42, 9000);
	if (fat_create(v, root, "fuzz file.txt", 13, 0, &f) == STATUS_OK) {
		fat_write(v, f, 0, buf, 9000, &done);
		fat_write(v, f, 20000, buf, 100, &done);
		fat_truncate(v, f, 5000);
		fat_fsync(v, f);
		fat_close(v, f);
	}
	fat_mkdir(v, root, "fuzz dir", 8, &d);
	fat_rename(v, root, "fuzz file.txt", 13, d, "moved.txt", 9);
	/* Something that was on the volume: rename, grow and remove it. */
	if (fat_readdir(v, root, &cookie, lb, sizeof lb, &done) == STATUS_OK && done) {
		const struct fat_dirent *e = (const void *)lb;
		char name[FAT_UTF8_MAX + 1];
		memcpy(name, e->name, e->namelen + 1u);
		fat_rename(v, root, name, e->namelen, d, "old entry", 9);
		if (fat_open(v, d, "old entry", 9, &f) == STATUS_OK) {
			fat_write(v, f, 100, buf, 3000, &done);
			fat_close(v, f);
		}
		fat_unlink(v, d, "old entry", 9);
		fat_rmdir(v, d, "old entry", 9);
	}
	fat_unlink(v, d, "moved.txt", 9);
	fat_close(v, d);
	fat_rmdir(v, root, "fuzz dir", 8);
	fat_sync(v);
	fat_close(v, root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t mem[CACHE_BYTES + INDEX_BYTES + 64 * 1024];
	static uint8_t buf[16384];
	struct sparse s;
	struct fat_volume v;

	if (!sparse_parse(&s, data, size)) {
		free(s.recs);
		return 0;
	}
	s.dev = (struct bdev){ sp_read, sp_write, sp_flush, &s, BLOCK, 0, s.blocks };
	if (mount(&v, &s, mem, sizeof mem, FAT_MOUNT_READ_ONLY) == STATUS_OK) {
		struct walk w = { &v, ENTRY_BUDGET, buf };
		fat_handle_t root;
		if (fat_root(&v, &root) == STATUS_OK) {
			walk_dir(&w, root, 0);
			fat_close(&v, root);
		}
		fat_unmount(&v);
	}
	static uint32_t okeys[OVERLAY_SLOTS];
	static uint8_t odata[(size_t)OVERLAY_SLOTS * BLOCK];
	memset(okeys, 0, sizeof okeys);
	s.okeys = okeys;
	s.odata = odata;
	if (mount(&v, &s, mem, sizeof mem, 0) == STATUS_OK) {
		mutate(&v, buf);
		fat_unmount(&v);
	}
	free(s.recs);
	return 0;
}
