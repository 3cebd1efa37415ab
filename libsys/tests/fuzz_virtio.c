/*
 * fuzz_virtio.c - libFuzzer target for what the driver reads from a
 * device: vendor capabilities (virtio_cap_decode, virtio_locate) and the
 * used ring (virtq_harvest) of a queue with chains in flight.
 *
 * The input's first 64 bytes are capability bytes; the rest is written
 * into the used ring (index and entries) in rounds, each followed by a
 * harvest. The driver must never return a token that is not in flight,
 * never return one twice, and keep its free count consistent.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I kernel -I libsys/include \
 *       libsys/tests/fuzz_virtio.c libsys/virtio.c -o fuzz_virtio
 *   ./fuzz_virtio -max_total_time=60
 */
#include <stdlib.h>
#include <string.h>

#include "keel/virtio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define QSIZE 16

struct regs {
	uint8_t common[64];
};

static uint32_t r_read(void *ctx, uint8_t bar, uint64_t off, unsigned w)
{
	struct regs *r = ctx;
	uint32_t v = 0;

	(void)bar;
	if (off == VIRTIO_COMMON_Q_SIZE)
		return QSIZE;
	if (off == VIRTIO_COMMON_NUMQ)
		return 1;
	if (off == VIRTIO_COMMON_DF + 0 && r->common[VIRTIO_COMMON_DFSELECT] == 1)
		return 1; /* VERSION_1 */
	for (unsigned i = 0; i < w && off + i < sizeof r->common; i++)
		v |= (uint32_t)r->common[off + i] << (8 * i);
	return v;
}

static void r_write(void *ctx, uint8_t bar, uint64_t off, unsigned w, uint32_t v)
{
	struct regs *r = ctx;

	(void)bar;
	for (unsigned i = 0; i < w && off + i < sizeof r->common; i++)
		r->common[off + i] = (uint8_t)(v >> (8 * i));
}

static void caps(const uint8_t *data, size_t size)
{
	struct virtio_cap c[4];
	struct virtio_layout l;
	const uint64_t bars[6] = { 0x1000, 0, 0, 0, 0x4000, 0xffffffffffull };
	size_t n = 0;

	for (size_t at = 0; at + 16 <= size && n < 4; at += 16)
		if (virtio_cap_decode(data + at, size - at, &c[n]) == STATUS_OK)
			n++;
	if (virtio_locate(c, n, bars, &l) == STATUS_OK &&
	    (l.common.length < VIRTIO_COMMON_LEN || l.notify.length < 2))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static _Alignas(64) uint8_t mem[8192];
	static struct virtq q;
	struct regs regs = { { 0 } };
	struct virtio_io io = { r_read, r_write, &regs };
	struct virtio_layout l = { .common = { 4, 0, 64 },
				   .notify = { 4, 0x100, 0x100 },
				   .isr = { 4, 0x200, 1 } };
	struct virtio_dev d;
	uint8_t live[QSIZE] = { 0 };
	uint8_t *used;

	caps(data, size < 64 ? size : 64);
	if (size < 64)
		return 0;
	data += 64;
	size -= 64;
	virtio_init(&d, &io, &l);
	d.status = VIRTIO_STATUS_FEATURES_OK;
	d.num_queues = 1;
	if (virtio_queue_setup(&d, &q, 0, QSIZE, mem, 0x1000, sizeof mem, VIRTIO_MSI_NO_VECTOR))
		abort();
	used = mem + (virtq_bytes(QSIZE) - 6 - 8 * QSIZE);
	for (uint64_t t = 0; t < 6; t++) {
		struct virtq_buf b[2] = { { 0x8000, 16, false }, { 0x9000, 16, true } };

		if (virtq_add(&q, b, 2, t) == STATUS_OK)
			live[t] = 1;
	}
	while (size >= 1 + 4 + 8 * 2) {
		struct virtq_done out[QSIZE];
		size_t n;

		memcpy(used + 2, data, 2); /* used index */
		memcpy(used + 4 + 8 * (data[2] % QSIZE), data + 3, 16);
		data += 19;
		size -= 19;
		if (virtq_harvest(&q, out, QSIZE, &n) && !q.broken)
			abort();
		for (size_t i = 0; i < n; i++) {
			if (out[i].token >= QSIZE || !live[out[i].token])
				abort();
			live[out[i].token] = 0;
			if (out[i].status == STATUS_OK && out[i].len > 16)
				abort();
		}
		if (q.broken)
			break;
	}
	if (!q.broken) {
		unsigned in_flight = 0;

		for (unsigned t = 0; t < QSIZE; t++)
			in_flight += live[t];
		if (virtq_free(&q) != QSIZE - 2 * in_flight)
			abort();
	}
	return 0;
}
