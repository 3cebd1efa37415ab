/*
 * blkstress.c - a client of blkd2 holding the whole scratch disk: writes
 * 64 MiB of known pseudo-random data in requests of random sizes, reads
 * it back in other random sizes and compares, then flushes. The data at
 * byte offset o is defined by its 8-byte word, splitmix64(SEED ^ o / 8),
 * so the host checks the disk file after QEMU exits (blkd.sh).
 *
 * It says hello first, so that initd tells it about a restarted blkd2
 * (SERVICE_PEER, read from its inbox by the block client's refresh), and
 * runs another round as long as the last one saw blkd2 restart
 * (blkkill.sh kills it during the workload), at most MAX_ROUNDS.
 */
#include <string.h>

#include "keel/block.h"
#include "keel/loop.h"
#include "keel/peers.h"
#include "keel/service.h"
#include "keel/spawn.h"
#include "keel/sys.h"

#define SEED 0x6b65656c64617461ull
#define TOTAL_BLOCKS (64u << 11) /* 64 MiB of 512-byte blocks */
#define MAX_BLOCKS 256u          /* 128 KiB per request at most */
#define MAX_ROUNDS 40

struct bs {
	const struct keel_start *s;
	struct inbox_ring *ring;
	struct peers peers;
};

static uint64_t now_ms(void)
{
	uint64_t t = 0;
	sys_clock_read(&t);
	return t / 1000000;
}

/* The block client's refresh: applies the peer updates waiting in the
 * inbox (nothing else arrives there) and returns blkd2's new capability. */
static cap_handle_t refresh(void *ctx, cap_handle_t old)
{
	struct bs *b = ctx;
	struct keel_msg m;
	while (inbox_ring_pop(b->ring, &m))
		if (m.label == SERVICE_PEER)
			peers_update(&b->peers, &m);
	cap_handle_t h = peers_cap(&b->peers, "blk2");
	return h != old ? h : CAP_HANDLE_NONE;
}

static uint64_t splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static void fill(uint64_t *w, uint64_t lba, uint32_t blocks)
{
	for (uint64_t i = 0, o = lba * 64; i < blocks * 64ull; i++, o++)
		w[i] = splitmix64(SEED ^ o);
}

static uint32_t next_size(uint64_t *rng, uint32_t left)
{
	*rng ^= *rng << 13, *rng ^= *rng >> 7, *rng ^= *rng << 17;
	uint32_t n = 1 + (uint32_t)(*rng % MAX_BLOCKS);
	return n < left ? n : left;
}

/* One pass over the disk: writes, or reads and counts bad blocks. */
static status_t pass(struct blk_client *b, bool write, uint64_t seed, uint32_t *requests,
		     uint32_t *bad)
{
	static uint64_t data[MAX_BLOCKS * 64], want[MAX_BLOCKS * 64];
	uint64_t rng = seed;
	for (uint32_t lba = 0; lba < TOTAL_BLOCKS;) {
		uint32_t n = next_size(&rng, TOTAL_BLOCKS - lba);
		status_t st;
		fill(write ? data : want, lba, n);
		st = write ? blk_write(b, lba, n, data) : blk_read(b, lba, n, data);
		if (st)
			return st;
		for (uint32_t k = 0; !write && k < n; k++)
			*bad += memcmp(data + k * 64, want + k * 64, 512) != 0;
		(*requests)++;
		lba += n;
	}
	return STATUS_OK;
}

static void workload(struct bs *x)
{
	struct blk_client b;
	uint32_t wr = 0, rd = 0, bad = 0, rounds = 0, before;
	status_t st = blk_open(&b, peers_cap(&x->peers, "blk2"), MAX_BLOCKS * 512);
	uint64_t t0 = now_ms(), t1 = t0, t2 = t0;
	b.refresh = refresh, b.refresh_ctx = x;
	do {
		before = b.retries;
		t0 = now_ms();
		if (st == STATUS_OK)
			st = pass(&b, true, 0x1234567u + rounds, &wr, &bad);
		t1 = now_ms();
		if (st == STATUS_OK)
			st = pass(&b, false, 0x89abcdefu + rounds, &rd, &bad);
		t2 = now_ms();
		rounds++;
	} while (st == STATUS_OK && b.retries != before && rounds < MAX_ROUNDS);
	if (st == STATUS_OK)
		st = blk_flush(&b);
	keel_print(x->s->witness,
		   "blkstress: wrote 64 MiB in %u requests (%lu ms), read it back in %u requests "
		   "(%lu ms): %u bad blocks, %u retries, %u rounds, %s\n",
		   wr, (unsigned long)(t1 - t0), rd, (unsigned long)(t2 - t1), bad, b.retries,
		   rounds, status_name(st));
	blk_close(&b);
}

int keel_main(const struct keel_start *s)
{
	static struct bs x;
	struct loop loop;
	cap_handle_t inbox;
	x.s = s;
	peers_init(&x.peers, &sysops_kernel);
	if (loop_inbox_open(64, 0, &inbox, &x.ring) ||
	    loop_init(&loop, &sysops_kernel, x.ring, 0) ||
	    peers_add(&x.peers, "blk2", keel_start_cap(s, 0)) ||
	    peers_listen(&x.peers, &loop, SERVICE_PEER) || service_hello(s, inbox))
		return 1;
	workload(&x);
	return loop_run(&loop) == STATUS_OK ? 0 : 2;
}
