/*
 * blkbench.c - the block figures of issue 13: 64 MiB written and then
 * read sequentially on the scratch disk (blkd2, the whole disk) through
 * libsys's block client, in 4 KiB and in 128 KiB requests, one request in
 * flight (as `dd oflag=direct` on the Linux peer).
 *
 * For each pass it prints "bench: blk_OP_SIZE_ns=N", the kernel clock's
 * nanoseconds (the wall-clock figure when QEMU runs without -icount), and
 * lines "mark: blk_OP_SIZE begin/end" around it: booted with keel.stamp,
 * the kernel stamps them with the timestamp and the idle ticks so far, from
 * which tests/bench/io.sh takes the guest instructions executed (under
 * -icount). Then "blkbench: done" (io.sh stops QEMU there).
 */
#include <string.h>

#include "keel/block.h"
#include "keel/service.h"
#include "keel/spawn.h"
#include "keel/sys.h"

#define TOTAL_BYTES (64ull << 20)
#define MAX_BYTES (128u << 10)

/* One sequential pass over the first 64 MiB in requests of bytes each. */
static status_t pass(struct blk_client *b, bool write, uint32_t bytes, uint8_t *buf)
{
	uint32_t n = bytes / b->block_size;
	for (uint64_t lba = 0; lba < TOTAL_BYTES / b->block_size; lba += n) {
		status_t st = write ? blk_write(b, lba, n, buf) : blk_read(b, lba, n, buf);
		if (st)
			return st;
	}
	return STATUS_OK;
}

/* Times one pass and prints its two figures; false if it failed. */
static bool figure(const struct keel_start *s, struct blk_client *b, bool write, uint32_t bytes,
		   uint8_t *buf)
{
	uint64_t a, z;
	const char *op = write ? "write" : "read";
	keel_print(s->witness, "mark: blk_%s_%uk begin\n", op, bytes >> 10);
	sys_clock_read(&a);
	status_t st = pass(b, write, bytes, buf);
	sys_clock_read(&z);
	keel_print(s->witness, "mark: blk_%s_%uk end\n", op, bytes >> 10);
	if (st == STATUS_OK && write)
		st = blk_flush(b); /* outside the timed window, as dd without conv=fsync */
	if (st) {
		keel_print(s->witness, "blkbench: %s %u KiB: %s\n", op, bytes >> 10,
			   status_name(st));
		return false;
	}
	keel_print(s->witness, "bench: blk_%s_%uk_ns=%lu\n", op, bytes >> 10,
		   (unsigned long)(z - a));
	return true;
}

int keel_main(const struct keel_start *s)
{
	static uint8_t buf[MAX_BYTES];
	static const uint32_t sizes[] = { 4u << 10, 128u << 10 };
	struct blk_client b;
	bool ok = true;
	for (uint32_t i = 0; i < MAX_BYTES; i++)
		buf[i] = (uint8_t)(i * 131 + 7);
	status_t st = blk_open(&b, keel_start_cap(s, 0), MAX_BYTES);
	if (st) {
		keel_print(s->witness, "blkbench: cannot open the scratch disk: %s\n",
			   status_name(st));
		return 1;
	}
	for (uint32_t i = 0; ok && i < sizeof sizes / sizeof sizes[0]; i++)
		ok = figure(s, &b, true, sizes[i], buf) && figure(s, &b, false, sizes[i], buf);
	blk_close(&b);
	keel_print(s->witness, "blkbench: done %s\n", ok ? "OK" : "FAILED");
	return ok ? 0 : 1;
}
