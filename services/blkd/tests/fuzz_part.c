/*
 * fuzz_part.c - libFuzzer target for part_scan().
 *
 * The input is a disk image: its first byte picks the block size (512 or
 * 4096), the rest are the blocks, zero-padded to whole blocks. The reader
 * aborts on any read outside the disk. A table returned must hold only
 * entries inside the disk, problems flagged, and usable counted right.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I kernel -I services/blkd \
 *       services/blkd/tests/fuzz_part.c services/blkd/part.c -o fuzz_part
 *   ./fuzz_part -max_total_time=60
 */
#include <stdlib.h>
#include <string.h>

#include "part.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct disk {
	uint8_t *p;
	uint32_t bs;
	uint64_t blocks;
};

static status_t disk_read(void *ctx, uint64_t lba, void *buf)
{
	struct disk *d = ctx;

	if (lba >= d->blocks)
		abort();
	memcpy(buf, d->p + lba * d->bs, d->bs);
	return STATUS_OK;
}

static void check_table(const struct part_table *t, uint64_t blocks)
{
	uint32_t usable = 0;

	if (t->count > PART_MAX)
		abort();
	for (uint32_t i = 0; i < t->count; i++) {
		const struct part_entry *e = &t->parts[i];

		if (e->problem != PART_OK)
			continue;
		usable++;
		if (!e->count || e->start == 0 || e->start >= blocks ||
		    e->count > blocks - e->start)
			abort();
		if (memchr(e->name, 0, PART_NAME_MAX) == NULL)
			abort();
		for (uint32_t j = 0; j < t->count; j++) {
			const struct part_entry *o = &t->parts[j];

			if (j != i && o->problem == PART_OK && o->start < e->start + e->count &&
			    e->start < o->start + o->count)
				abort();
		}
	}
	if (usable != t->usable)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t scratch[2 * PART_MAX_BLOCK];
	static struct part_table t;
	struct disk d;
	struct part_reader r;

	if (size < 1)
		return 0;
	d.bs = data[0] & 1 ? 4096 : 512;
	d.blocks = (size - 1 + d.bs - 1) / d.bs;
	if (d.blocks < 2)
		d.blocks = 2;
	d.p = calloc(d.blocks, d.bs);
	memcpy(d.p, data + 1, size - 1);
	r = (struct part_reader){ disk_read, &d, d.bs, d.blocks };
	if (part_scan(&r, scratch, sizeof scratch, &t) == STATUS_OK)
		check_table(&t, d.blocks);
	free(d.p);
	return 0;
}
