/*
 * test_blk.c - blkd's request logic (blk.h) against the virtio-blk device
 * model: data through scattered segments, 64 requests in flight with one
 * notification, batched completions, the request rules and their results,
 * error mapping, recovery from a broken device, and the restart journal.
 */
#include <stdlib.h>
#include <string.h>

#include "blk.h"
#include "blk_model.h"
#include "check.h"

#define PHYS 0x40000000ull
#define SECTORS 8192u   /* a 4 MiB disk */
#define DATA_OFF 65536u /* data buffers in DMA memory from here */
#define ALL_FEATURES                                                                               \
	(VIRTIO_BIT(VIRTIO_BLK_F_SIZE_MAX) | VIRTIO_BIT(VIRTIO_BLK_F_SEG_MAX) |                    \
	 VIRTIO_BIT(VIRTIO_BLK_F_BLK_SIZE) | VIRTIO_BIT(VIRTIO_BLK_F_FLUSH) |                      \
	 VIRTIO_BIT(VIRTIO_BLK_F_DISCARD) | VIRTIO_BIT(VIRTIO_F_EVENT_IDX))

static _Alignas(4096) uint8_t dma[1 << 20];
static uint8_t disk[SECTORS * 512];
static struct blk_model bm;
static struct blk_dev blk;
static struct blk_journal journal;
static struct blk_completion done[BLK_DEPTH * 2];

static uint8_t *data(uint64_t phys)
{
	return dma + (phys - PHYS);
}

static status_t start(void)
{
	struct virtio_cap caps[4];
	uint64_t bars[6];
	struct virtio_layout l;
	struct virtio_io io = vm_io(&bm.vm);

	CHECK_EQ(virtio_locate(caps, vm_caps(caps, 4, bars), bars, &l), STATUS_OK);
	return blk_start(&blk, &io, &l, dma, PHYS, DATA_OFF, 0, 1, &journal);
}

static void device(uint64_t features, uint32_t size_max, uint32_t seg_max, uint32_t blk_size)
{
	memset(dma, 0, sizeof dma);
	for (unsigned i = 0; i < sizeof disk; i++)
		disk[i] = (uint8_t)(i * 7 + i / 512);
	blk_model_init(&bm, dma, PHYS, sizeof dma, disk, SECTORS, features, size_max, seg_max,
		       blk_size);
	blk_journal_init(&journal);
	CHECK_EQ(start(), STATUS_OK);
}

static uint8_t submit(uint8_t op, uint64_t lba, uint32_t count, const struct blk_seg *segs,
		      uint16_t nsegs, uint64_t cookie, const struct blk_part *part)
{
	struct blk_request r = { op, lba, count, segs, nsegs, cookie, part };
	uint8_t res = 0xee;
	bool queued = blk_submit(&blk, &r, &res);

	CHECK_EQ(queued, res == BLK_OK);
	return res;
}

/* Kicks and harvests everything; returns how many completions. */
static size_t run(void)
{
	size_t n = 0, k;

	blk_kick(&blk);
	do {
		CHECK_EQ(blk_harvest(&blk, done + n, 16, &k), STATUS_OK);
		n += k;
	} while (k);
	return n;
}

static void release_all(size_t n)
{
	for (size_t i = 0; i < n; i++)
		CHECK_EQ(blk_release(&blk, done[i].slot), STATUS_OK);
}

TEST(start_reads_the_configuration)
{
	device(ALL_FEATURES, 0, 16, 512);
	CHECK_EQ(blk.capacity, SECTORS);
	CHECK_EQ(blk.block_size, 512);
	CHECK_EQ(blk_blocks(&blk), SECTORS);
	CHECK_EQ(blk.seg_max, 16);
	CHECK(blk.flush);
	CHECK(blk.discard);
	CHECK(!blk.read_only);
	CHECK_EQ(blk.max_discard_sectors, 2048);
	CHECK_EQ(bm.vm.violations, 0);
	CHECK(bm.vm.status & VIRTIO_STATUS_DRIVER_OK);
}

TEST(start_refuses_short_dma_and_odd_block_sizes)
{
	struct virtio_cap caps[4];
	uint64_t bars[6];
	struct virtio_layout l;
	struct virtio_io io;

	device(ALL_FEATURES, 0, 16, 512);
	io = vm_io(&bm.vm);
	virtio_locate(caps, vm_caps(caps, 4, bars), bars, &l);
	CHECK_EQ(blk_start(&blk, &io, &l, dma, PHYS, blk_dma_bytes() - 1, 0, 1, NULL),
		 STATUS_RANGE);
	blk_model_init(&bm, dma, PHYS, sizeof dma, disk, SECTORS, ALL_FEATURES, 0, 16, 1000);
	io = vm_io(&bm.vm);
	CHECK_EQ(blk_start(&blk, &io, &l, dma, PHYS, DATA_OFF, 0, 1, NULL), STATUS_BAD_FORMAT);
	CHECK(bm.vm.status & VIRTIO_STATUS_FAILED);
}

TEST(write_then_read_through_scattered_segments)
{
	const struct blk_seg w[3] = {
		{ PHYS + DATA_OFF + 4096 * 3, 1024 },
		{ PHYS + DATA_OFF + 512, 2048 },
		{ PHYS + DATA_OFF + 4096 * 7, 1024 },
	};
	const struct blk_seg r[1] = { { PHYS + DATA_OFF + 4096 * 20, 4096 } };
	uint8_t want[4096];

	device(ALL_FEATURES, 0, 16, 512);
	for (unsigned i = 0; i < 4096; i++)
		want[i] = (uint8_t)(i ^ 0x5a);
	memcpy(data(w[0].phys), want, 1024);
	memcpy(data(w[1].phys), want + 1024, 2048);
	memcpy(data(w[2].phys), want + 3072, 1024);
	CHECK_EQ(submit(BLK_WRITE, 100, 8, w, 3, 1, NULL), BLK_OK);
	CHECK_EQ(run(), 1);
	CHECK_EQ(done[0].result, BLK_OK);
	CHECK_EQ(done[0].cookie, 1);
	CHECK(memcmp(disk + 100 * 512, want, 4096) == 0);
	CHECK_EQ(bm.last_data_segs, 3);
	release_all(1);
	CHECK_EQ(submit(BLK_READ, 100, 8, r, 1, 2, NULL), BLK_OK);
	CHECK_EQ(run(), 1);
	CHECK_EQ(done[0].result, BLK_OK);
	CHECK(memcmp(data(r[0].phys), want, 4096) == 0);
	release_all(1);
	CHECK_EQ(bm.protocol_errors, 0);
	CHECK_EQ(bm.vm.violations, 0);
}

TEST(sixty_four_requests_in_flight_one_notification_batched_completions)
{
	struct blk_seg seg[BLK_DEPTH];
	size_t n = 0, k;
	uint64_t seen[2] = { 0, 0 };

	device(ALL_FEATURES, 0, 16, 512);
	bm.vm.hold = true;
	for (unsigned i = 0; i < BLK_DEPTH; i++) {
		seg[i] = (struct blk_seg){ PHYS + DATA_OFF + 4096ull * i, 4096 };
		CHECK_EQ(submit(BLK_READ, 8ull * i, 8, &seg[i], 1, 1000 + i, NULL), BLK_OK);
	}
	CHECK_EQ(submit(BLK_READ, 0, 8, &seg[0], 1, 9, NULL), BLK_BUSY);
	blk_kick(&blk);
	CHECK_EQ(bm.vm.notifies, 1);
	CHECK_EQ(bm.vm.held_count, BLK_DEPTH);
	vm_complete(&bm.vm, 0, true);
	do {
		CHECK_EQ(blk_harvest(&blk, done + n, 16, &k), STATUS_OK);
		CHECK(k <= 16);
		n += k;
	} while (k);
	CHECK_EQ(n, BLK_DEPTH);
	for (size_t i = 0; i < n; i++) {
		uint64_t c = done[i].cookie - 1000;

		CHECK_EQ(done[i].result, BLK_OK);
		CHECK(!(seen[c / 64] >> (c % 64) & 1));
		seen[c / 64] |= 1ull << (c % 64);
		CHECK(memcmp(data(PHYS + DATA_OFF + 4096 * c), disk + 4096 * c, 4096) == 0);
	}
	CHECK_EQ(submit(BLK_READ, 0, 8, &seg[0], 1, 9, NULL), BLK_BUSY); /* not released */
	release_all(n);
	CHECK_EQ(submit(BLK_READ, 0, 8, &seg[0], 1, 9, NULL), BLK_OK);
	CHECK_EQ(bm.vm.violations, 0);
}

TEST(segments_longer_than_size_max_are_split)
{
	const struct blk_seg s = { PHYS + DATA_OFF, 16384 };

	device(ALL_FEATURES, 4096, 16, 512);
	CHECK_EQ(submit(BLK_READ, 0, 32, &s, 1, 1, NULL), BLK_OK);
	CHECK_EQ(run(), 1);
	CHECK_EQ(done[0].result, BLK_OK);
	CHECK_EQ(bm.last_data_segs, 4);
	release_all(1);
	device(ALL_FEATURES, 4096, 3, 512);
	CHECK_EQ(submit(BLK_READ, 0, 32, &s, 1, 1, NULL), BLK_INVALID); /* > seg_max */
	CHECK_EQ(bm.vm.notifies, 0);
}

TEST(requests_past_the_end_are_refused)
{
	const struct blk_seg s = { PHYS + DATA_OFF, 1024 };

	device(ALL_FEATURES, 0, 16, 512);
	CHECK_EQ(submit(BLK_READ, SECTORS - 2, 2, &s, 1, 1, NULL), BLK_OK);
	CHECK_EQ(submit(BLK_READ, SECTORS - 1, 2, &s, 1, 1, NULL), BLK_PAST_END);
	CHECK_EQ(submit(BLK_READ, SECTORS, 2, &s, 1, 1, NULL), BLK_PAST_END);
	CHECK_EQ(submit(BLK_READ, UINT64_MAX, 2, &s, 1, 1, NULL), BLK_PAST_END);
	CHECK_EQ(submit(BLK_DISCARD, SECTORS - 1, 2, NULL, 0, 1, NULL), BLK_PAST_END);
	CHECK_EQ(run(), 1);
	CHECK_EQ(done[0].result, BLK_OK);
}

TEST(partitions_offset_and_bound_their_requests)
{
	const struct blk_part p = { 100, 50, false };
	const struct blk_part beyond = { SECTORS - 10, 20, false };
	const struct blk_seg s = { PHYS + DATA_OFF, 512 };

	device(ALL_FEATURES, 0, 16, 512);
	memset(data(s.phys), 0xc3, 512);
	CHECK_EQ(submit(BLK_WRITE, 49, 1, &s, 1, 1, &p), BLK_OK);
	CHECK_EQ(submit(BLK_WRITE, 50, 1, &s, 1, 2, &p), BLK_PAST_END);
	CHECK_EQ(submit(BLK_WRITE, 0, 1, &s, 1, 3, &beyond), BLK_PAST_END);
	CHECK_EQ(run(), 1);
	CHECK_EQ(disk[149 * 512], 0xc3);
	CHECK(disk[150 * 512] != 0xc3);
}

TEST(unaligned_or_malformed_buffers_get_clear_errors)
{
	const struct blk_seg odd_addr = { PHYS + DATA_OFF + 8, 512 };
	const struct blk_seg odd_len = { PHYS + DATA_OFF, 500 };
	const struct blk_seg two = { PHYS + DATA_OFF, 1024 };

	device(ALL_FEATURES, 0, 16, 512);
	CHECK_EQ(submit(BLK_READ, 0, 1, &odd_addr, 1, 1, NULL), BLK_UNALIGNED);
	CHECK_EQ(submit(BLK_READ, 0, 1, &odd_len, 1, 1, NULL), BLK_UNALIGNED);
	CHECK_EQ(submit(BLK_READ, 0, 1, &two, 1, 1, NULL), BLK_INVALID); /* 2 blocks of data */
	CHECK_EQ(submit(BLK_READ, 0, 0, &two, 1, 1, NULL), BLK_INVALID);
	CHECK_EQ(submit(BLK_READ, 0, 2, &two, 0, 1, NULL), BLK_INVALID);
	CHECK_EQ(submit(BLK_READ, 0, 2, NULL, 1, 1, NULL), BLK_INVALID);
	CHECK_EQ(submit(9, 0, 2, &two, 1, 1, NULL), BLK_INVALID);
	CHECK_EQ(bm.vm.notifies, 0);
	CHECK_EQ(submit(BLK_READ, 0, 2, &two, 1, 1, NULL), BLK_OK); /* nothing broke */
	CHECK_EQ(run(), 1);
	CHECK_EQ(done[0].result, BLK_OK);
}

TEST(block_size_from_the_device_sets_the_units)
{
	const struct blk_seg s = { PHYS + DATA_OFF, 4096 };
	const struct blk_seg half = { PHYS + DATA_OFF, 2048 };

	device(ALL_FEATURES, 0, 16, 4096);
	CHECK_EQ(blk.block_size, 4096);
	CHECK_EQ(blk_blocks(&blk), SECTORS / 8);
	memset(data(s.phys), 0x77, 4096);
	CHECK_EQ(submit(BLK_WRITE, 3, 1, &s, 1, 1, NULL), BLK_OK);
	CHECK_EQ(submit(BLK_WRITE, 3, 1, &half, 1, 1, NULL), BLK_INVALID);
	CHECK_EQ(submit(BLK_WRITE, SECTORS / 8, 1, &s, 1, 1, NULL), BLK_PAST_END);
	CHECK_EQ(run(), 1);
	CHECK_EQ(disk[3 * 4096], 0x77);
	CHECK_EQ(disk[4 * 4096 - 1], 0x77);
}

TEST(read_only_device_and_partition_refuse_writes)
{
	const struct blk_part ro = { 0, 100, true };
	const struct blk_seg s = { PHYS + DATA_OFF, 512 };

	device(ALL_FEATURES | VIRTIO_BIT(VIRTIO_BLK_F_RO), 0, 16, 512);
	CHECK(blk.read_only);
	CHECK_EQ(submit(BLK_WRITE, 0, 1, &s, 1, 1, NULL), BLK_READ_ONLY);
	CHECK_EQ(submit(BLK_DISCARD, 0, 1, NULL, 0, 1, NULL), BLK_READ_ONLY);
	CHECK_EQ(submit(BLK_READ, 0, 1, &s, 1, 1, NULL), BLK_OK);
	device(ALL_FEATURES, 0, 16, 512);
	CHECK_EQ(submit(BLK_WRITE, 0, 1, &s, 1, 1, &ro), BLK_READ_ONLY);
	CHECK_EQ(submit(BLK_READ, 0, 1, &s, 1, 1, &ro), BLK_OK);
}

TEST(flush_goes_to_a_caching_device_and_completes_at_once_otherwise)
{
	device(ALL_FEATURES, 0, 16, 512);
	CHECK_EQ(submit(BLK_FLUSH, 0, 0, NULL, 0, 5, NULL), BLK_OK);
	CHECK_EQ(run(), 1);
	CHECK_EQ(done[0].result, BLK_OK);
	CHECK_EQ(done[0].op, BLK_FLUSH);
	CHECK_EQ(bm.flushes, 1);
	device(ALL_FEATURES & ~VIRTIO_BIT(VIRTIO_BLK_F_FLUSH), 0, 16, 512);
	{
		struct blk_request r = { BLK_FLUSH, 0, 0, NULL, 0, 5, NULL };
		uint8_t res = 0xee;

		CHECK(!blk_submit(&blk, &r, &res));
		CHECK_EQ(res, BLK_OK);
	}
	CHECK_EQ(bm.flushes, 0);
}

TEST(discard_zeroes_when_offered_and_is_unsupported_otherwise)
{
	device(ALL_FEATURES, 0, 16, 512);
	CHECK_EQ(submit(BLK_DISCARD, 10, 4, NULL, 0, 1, NULL), BLK_OK);
	CHECK_EQ(submit(BLK_DISCARD, 0, 4096, NULL, 0, 1, NULL), BLK_INVALID); /* > max */
	CHECK_EQ(run(), 1);
	CHECK_EQ(done[0].result, BLK_OK);
	for (unsigned i = 10 * 512; i < 14 * 512; i++)
		CHECK_EQ(disk[i], 0);
	CHECK(disk[14 * 512 + 1] != 0);
	device(ALL_FEATURES & ~VIRTIO_BIT(VIRTIO_BLK_F_DISCARD), 0, 16, 512);
	CHECK_EQ(submit(BLK_DISCARD, 10, 4, NULL, 0, 1, NULL), BLK_UNSUPPORTED);
}

TEST(get_id_returns_the_device_serial)
{
	uint8_t id[VIRTIO_BLK_ID_BYTES];

	device(ALL_FEATURES, 0, 16, 512);
	CHECK_EQ(submit(BLK_GET_ID, 0, 0, NULL, 0, 3, NULL), BLK_OK);
	CHECK_EQ(run(), 1);
	CHECK_EQ(done[0].result, BLK_OK);
	CHECK_EQ(blk_get_id(&blk, done[0].slot, id), STATUS_OK);
	CHECK(memcmp(id, "keel-model-disk", 15) == 0);
	CHECK_EQ(blk_release(&blk, done[0].slot), STATUS_OK);
	CHECK_EQ(blk_get_id(&blk, done[0].slot, id), STATUS_INVALID);
	CHECK_EQ(blk_release(&blk, done[0].slot), STATUS_INVALID);
	CHECK_EQ(blk_release(&blk, BLK_DEPTH), STATUS_INVALID);
}

TEST(io_error_fails_that_request_and_no_other)
{
	struct blk_seg s[3] = {
		{ PHYS + DATA_OFF, 512 },
		{ PHYS + DATA_OFF + 4096, 512 },
		{ PHYS + DATA_OFF + 8192, 512 },
	};
	size_t n;

	device(ALL_FEATURES, 0, 16, 512);
	bm.fail_from = 20;
	bm.fail_to = 21;
	CHECK_EQ(submit(BLK_READ, 19, 1, &s[0], 1, 1, NULL), BLK_OK);
	CHECK_EQ(submit(BLK_READ, 20, 1, &s[1], 1, 2, NULL), BLK_OK);
	CHECK_EQ(submit(BLK_READ, 21, 1, &s[2], 1, 3, NULL), BLK_OK);
	CHECK_EQ((n = run()), 3);
	for (size_t i = 0; i < n; i++)
		CHECK_EQ(done[i].result, done[i].cookie == 2 ? BLK_IO_ERROR : BLK_OK);
	release_all(n);
	CHECK_EQ(submit(BLK_READ, 22, 1, &s[0], 1, 4, NULL), BLK_OK);
	CHECK_EQ(run(), 1);
	CHECK_EQ(done[0].result, BLK_OK);
	CHECK_STR(blk_result_name(BLK_IO_ERROR), "I/O error");
}

/* One read against a device answering as set up; returns its result. */
static uint8_t one_read(void)
{
	const struct blk_seg s = { PHYS + DATA_OFF, 1024 };

	CHECK_EQ(submit(BLK_READ, 0, 2, &s, 1, 1, NULL), BLK_OK);
	CHECK_EQ(run(), 1);
	release_all(1);
	return done[0].result;
}

TEST(device_answers_map_to_clear_results)
{
	device(ALL_FEATURES, 0, 16, 512);
	bm.force_status = VIRTIO_BLK_S_UNSUPP;
	CHECK_EQ(one_read(), BLK_UNSUPPORTED);
	bm.force_status = 0x42; /* no such status */
	CHECK_EQ(one_read(), BLK_IO_ERROR);
	bm.force_status = 0;
	bm.no_status = true; /* status never written */
	CHECK_EQ(one_read(), BLK_IO_ERROR);
	bm.no_status = false;
	bm.short_read = true;
	CHECK_EQ(one_read(), BLK_IO_ERROR);
	bm.short_read = false;
	CHECK_EQ(one_read(), BLK_OK);
	bm.vm.misbehave = VM_BAD_LEN; /* more written than the chain holds */
	CHECK_EQ(one_read(), BLK_IO_ERROR);
	bm.vm.misbehave = 0;
	CHECK_EQ(one_read(), BLK_OK);
}

TEST(a_device_breaking_the_queue_fails_all_in_flight_as_retry)
{
	const struct blk_seg s = { PHYS + DATA_OFF, 512 };
	uint64_t cookies[BLK_DEPTH];
	size_t n;

	device(ALL_FEATURES, 0, 16, 512);
	bm.vm.hold = true;
	for (unsigned i = 0; i < 5; i++)
		CHECK_EQ(submit(BLK_READ, i, 1, &s, 1, 50 + i, NULL), BLK_OK);
	blk_kick(&blk);
	bm.vm.misbehave = VM_BAD_ID;
	vm_complete(&bm.vm, 1, false);
	CHECK_EQ(blk_harvest(&blk, done, 16, &n), STATUS_DEAD);
	CHECK_EQ(blk_journal_recover(&journal, cookies, BLK_DEPTH), 5); /* a look at it */
	n = blk_fail_all(&blk, done, BLK_DEPTH);
	CHECK_EQ(n, 5);
	for (size_t i = 0; i < n; i++)
		CHECK_EQ(done[i].result, BLK_RETRY);
	release_all(n);
	bm.vm.misbehave = 0;
	bm.vm.hold = false;
	CHECK_EQ(start(), STATUS_OK);
	CHECK_EQ(one_read(), BLK_OK);
	CHECK_EQ(bm.vm.violations, 0);
}

TEST(device_needing_reset_is_reported_by_harvest)
{
	size_t n;

	device(ALL_FEATURES, 0, 16, 512);
	vm_needs_reset(&bm.vm);
	CHECK_EQ(blk_harvest(&blk, done, 16, &n), STATUS_DEAD);
	CHECK_EQ(n, 0);
}

TEST(journal_lists_what_was_in_flight_when_blkd_died)
{
	const struct blk_seg s = { PHYS + DATA_OFF, 512 };
	uint64_t cookies[BLK_DEPTH];
	size_t n;

	device(ALL_FEATURES, 0, 16, 512);
	CHECK_EQ(submit(BLK_READ, 0, 1, &s, 1, 0x1111, NULL), BLK_OK);
	CHECK_EQ(run(), 1);
	CHECK_EQ(journal.e[done[0].slot].state, 1);
	CHECK_EQ(journal.e[done[0].slot].cookie, 0x1111);
	release_all(1); /* delivered: not in the journal */
	CHECK_EQ(journal.e[done[0].slot].state, 0);
	CHECK_EQ(submit(BLK_READ, 0, 1, &s, 1, 0x2222, NULL), BLK_OK);
	CHECK_EQ(run(), 1); /* harvested, not yet delivered */
	bm.vm.hold = true;
	for (unsigned i = 0; i < 3; i++)
		CHECK_EQ(submit(BLK_READ, i, 1, &s, 1, 0x3000 + i, NULL), BLK_OK);
	blk_kick(&blk);
	/* blkd dies here: a new one finds the journal in the kept memory. */
	memset(&blk, 0, sizeof blk);
	n = blk_journal_recover(&journal, cookies, BLK_DEPTH);
	CHECK_EQ(n, 4);
	for (size_t i = 0; i < n; i++)
		CHECK(cookies[i] == 0x2222 || (cookies[i] >= 0x3000 && cookies[i] < 0x3003));
	CHECK_EQ(blk_journal_recover(&journal, cookies, BLK_DEPTH), 0); /* emptied */
	CHECK_EQ(start(), STATUS_OK);                                   /* resets the device */
	CHECK_EQ(bm.vm.held_count, 0);
}

TEST(a_damaged_journal_yields_nothing_false)
{
	uint64_t cookies[BLK_DEPTH];

	blk_journal_init(&journal);
	journal.e[3] = (struct blk_journal_entry){ 1, 0xdeadbeef, 77 }; /* bad check */
	CHECK_EQ(blk_journal_recover(&journal, cookies, BLK_DEPTH), 0);
	memset(&journal, 0xa5, sizeof journal); /* never set up */
	CHECK_EQ(blk_journal_recover(&journal, cookies, BLK_DEPTH), 0);
	CHECK_EQ(journal.magic, BLK_JOURNAL_MAGIC);
	CHECK_EQ(journal.e[0].state, 0);
}

int main(void)
{
	RUN(start_reads_the_configuration);
	RUN(start_refuses_short_dma_and_odd_block_sizes);
	RUN(write_then_read_through_scattered_segments);
	RUN(sixty_four_requests_in_flight_one_notification_batched_completions);
	RUN(segments_longer_than_size_max_are_split);
	RUN(requests_past_the_end_are_refused);
	RUN(partitions_offset_and_bound_their_requests);
	RUN(unaligned_or_malformed_buffers_get_clear_errors);
	RUN(block_size_from_the_device_sets_the_units);
	RUN(read_only_device_and_partition_refuse_writes);
	RUN(flush_goes_to_a_caching_device_and_completes_at_once_otherwise);
	RUN(discard_zeroes_when_offered_and_is_unsupported_otherwise);
	RUN(get_id_returns_the_device_serial);
	RUN(io_error_fails_that_request_and_no_other);
	RUN(device_answers_map_to_clear_results);
	RUN(a_device_breaking_the_queue_fails_all_in_flight_as_retry);
	RUN(device_needing_reset_is_reported_by_harvest);
	RUN(journal_lists_what_was_in_flight_when_blkd_died);
	RUN(a_damaged_journal_yields_nothing_false);
	return check_summary();
}
