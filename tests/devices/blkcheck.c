/*
 * blkcheck.c - a client of blkd holding partition 1 of the boot disk:
 * prints the partition's first block (the FAT boot sector) in hex for the
 * host to compare with the image, and checks the protocol's errors: past
 * the partition's end, outside the shared memory, an unknown session.
 */
#include <string.h>

#include "keel/block.h"
#include "keel/codec.h"
#include "keel/loop.h"
#include "keel/service.h"
#include "keel/spawn.h"
#include "keel/sys.h"

#define BLKD_TRY 20 /* more than blkd's 16 sessions */

struct bc {
	const struct keel_start *s;
	unsigned passed, failed;
};

static void check(struct bc *c, bool ok, const char *what)
{
	ok ? c->passed++ : c->failed++;
	keel_print(c->s->witness, "blkcheck: %s %s\n", ok ? "PASS" : "FAIL", what);
}

/* The boot sector as 8 lines of 64 bytes in hex. */
static void dump(struct bc *c, const uint8_t *b)
{
	static const char hex[] = "0123456789abcdef";
	char line[129];
	for (int l = 0; l < 8; l++) {
		for (int i = 0; i < 64; i++) {
			line[2 * i] = hex[b[l * 64 + i] >> 4];
			line[2 * i + 1] = hex[b[l * 64 + i] & 15];
		}
		line[128] = 0;
		keel_print(c->s->witness, "blkcheck: sector0 %d %s\n", l, line);
	}
}

/* A raw BLKP_IO: the result byte, or the error status as 0x100 + status. */
static uint32_t raw_io(struct blk_client *b, uint32_t session, uint64_t lba, uint32_t count,
		       uint32_t off)
{
	struct keel_msg m;
	struct codec_writer w;
	uint8_t hdr[4] = { BLKP_OP_READ };
	codec_msg_begin(&w, &m, BLKP_IO);
	codec_put_u32(&w, session), codec_put_bytes(&w, hdr, 4);
	codec_put_u64(&w, lba), codec_put_u32(&w, count), codec_put_u32(&w, off);
	codec_msg_end(&w, &m);
	status_t st = sys_msg_call(b->dev, &m, 5000000000ull), err;
	uint32_t l;
	if (st == STATUS_OK && m.label != BLKP_IO)
		st = loop_error_parse(&m, &err, &l) == STATUS_OK ? err : STATUS_BAD_FORMAT;
	return st ? 0x100u + (uint32_t)st : m.payload[0];
}

/* A client that never closes (it died) cannot use up blkd's sessions: the
 * fifth open of one badge ends the oldest idle session of that badge. */
static void sessions(struct bc *c, cap_handle_t dev)
{
	static struct blk_client s[BLKD_TRY];
	uint8_t sector[512];
	bool ok = true;
	for (int i = 0; i < BLKD_TRY; i++)
		ok &= blk_open(&s[i], dev, 4096) == STATUS_OK;
	check(c, ok, "20 opens of one client all succeed");
	check(c, raw_io(&s[0], s[0].session, 0, 1, 0) == 0x100u + STATUS_NOT_FOUND,
	      "the oldest sessions were ended");
	check(c, blk_read(&s[BLKD_TRY - 1], 0, 1, sector) == STATUS_OK, "the newest session reads");
	for (int i = 0; i < BLKD_TRY; i++)
		blk_close(&s[i]);
}

static void checks(struct bc *c, cap_handle_t dev)
{
	struct blk_client b;
	uint8_t sector[512], big[4096];
	uint64_t blocks = 0;
	uint32_t bs = 0;
	check(c, blk_open(&b, dev, 64 << 10) == STATUS_OK, "opens partition 1");
	check(c, blk_info(&b, &blocks, &bs) == STATUS_OK && bs == 512 && blocks > 0,
	      "it has blocks of 512 bytes");
	keel_print(c->s->witness, "blkcheck: partition 1 has %lu blocks\n", (unsigned long)blocks);
	check(c,
	      blk_read(&b, 0, 1, sector) == STATUS_OK && sector[510] == 0x55 && sector[511] == 0xaa,
	      "its first block is a boot sector");
	dump(c, sector);
	check(c, blk_read(&b, blocks - 1, 1, sector) == STATUS_OK, "its last block reads");
	check(c, blk_read(&b, blocks, 1, sector) == STATUS_RANGE, "past its end is RANGE");
	check(c, blk_read(&b, blocks - 4, 8, big) == STATUS_RANGE,
	      "a read straddling its end is RANGE");
	check(c, b.last_result == BLKP_R_PAST_END, "and blkd said past the end");
	check(c, blk_read(&b, 0, 0, sector) == STATUS_INVALID, "a zero count is INVALID");
	check(c, raw_io(&b, b.session, 0, 1, 64 << 10) == 0x100u + STATUS_RANGE,
	      "data outside the shared memory is refused");
	check(c, raw_io(&b, b.session, 0, 1, 100) == BLKP_R_UNALIGNED,
	      "data not on a 512-byte boundary is UNALIGNED");
	check(c, raw_io(&b, b.session + 5, 0, 1, 0) == 0x100u + STATUS_NOT_FOUND,
	      "an unknown session is NOT_FOUND");
	blk_close(&b);
	sessions(c, dev);
}

int keel_main(const struct keel_start *s)
{
	struct bc c = { .s = s };
	checks(&c, keel_start_cap(s, 0));
	keel_print(s->witness, "blkcheck: %u passed, %u failed\n", c.passed, c.failed);
	struct loop loop;
	struct inbox_ring *ring;
	cap_handle_t inbox;
	if (loop_inbox_open(16, 0, &inbox, &ring) || loop_init(&loop, &sysops_kernel, ring, 0) ||
	    service_hello(s, inbox))
		return 1;
	return loop_run(&loop) == STATUS_OK ? 0 : 2;
}
