/*
 * fuzz_channel.c - libFuzzer target for channel_attach() and the consumer
 * side of a channel over hostile shared memory.
 *
 * Input: a control byte, two bytes of little-endian length L, then L bytes
 * of shared memory (fewer if the input ends), then a script. The control
 * byte may have the harness stamp CHANNEL_MAGIC and a geometry that fits
 * L into the header, so mutations get past those checks to the ones
 * behind them. The memory is an exact-size 64-aligned heap block, so ASan
 * flags any access past its end. After a successful attach, each script
 * byte is one step: pop one element, pop a batch, announce a sleep, push
 * a batch, or - the peer - overwrite a header word or a slot byte with the
 * next script bytes. Pop output and push input are exact-size heap
 * buffers. The view must stay
 * consistent: capacity and element size as attached, prod - cons at most
 * capacity, never more elements than asked or than the ring holds.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Ilibsys/include \
 *       -Ikernel -Ibuild/gen libsys/tests/fuzz_channel.c libsys/channel.c \
 *       -o fuzz_channel
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keel/channel.h"

enum {
	CTL_STAMP_MAGIC = 1,  /* write CHANNEL_MAGIC at offset 0 */
	CTL_FIT_GEOMETRY = 2, /* make capacity the largest power of two that fits */
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct script {
	const uint8_t *p;
	size_t n;
};

static uint32_t next_u32(struct script *s)
{
	uint32_t v = 0;
	size_t k = s->n < 4 ? s->n : 4;

	memcpy(&v, s->p, k);
	s->p += k;
	s->n -= k;
	return v;
}

/* Makes the header's geometry fit len bytes, keeping its element size
 * (brought into range). */
static void fit_geometry(uint8_t *mem, size_t len)
{
	struct channel_hdr *h = (struct channel_hdr *)mem;
	uint32_t es = h->elem_size % 256 + 1, cap = CHANNEL_CAPACITY_MAX;

	if (len < channel_bytes(1, es))
		return;
	while (channel_bytes(cap, es) > len)
		cap >>= 1;
	h->elem_size = es;
	h->capacity = cap;
}

static void check_view(const struct channel *ch, const struct channel *at)
{
	if (ch->capacity != at->capacity || ch->elem_size != at->elem_size ||
	    ch->slots != at->slots || ch->prod - ch->cons > ch->capacity)
		abort();
}

static void pop_some(struct channel *ch, uint32_t n)
{
	uint8_t *out = malloc((size_t)n * ch->elem_size + 1);

	if (!out)
		abort();
	uint32_t before = ch->cons;
	uint32_t got = n == 1 ? (channel_pop(ch, out) == STATUS_OK) : channel_pop_batch(ch, out, n);
	if (got > n || got > ch->capacity || ch->cons - before != got)
		abort();
	free(out);
}

/* The same view also produces, so refresh_cons meets scribbled values. */
static void push_some(struct channel *ch, uint32_t n)
{
	uint8_t *in = calloc(n, ch->elem_size);

	if (!in)
		abort();
	uint32_t before = ch->prod;
	uint32_t done = channel_push_batch(ch, in, n);
	if (done > n || ch->prod - before != done)
		abort();
	free(in);
}

/* The peer's move: a header word or a slot byte gets script bytes. */
static void scribble(uint8_t *mem, size_t len, struct script *s)
{
	static const size_t words[] = { 0, 4, 8, 64, 128, 132 };
	uint32_t where = next_u32(s), v = next_u32(s);

	if (where & 0x80000000u) {
		if (len > CHANNEL_HDR_SIZE)
			mem[CHANNEL_HDR_SIZE + (where & 0xffffff) % (len - CHANNEL_HDR_SIZE)] =
				(uint8_t)v;
		return;
	}
	memcpy(mem + words[where % 6], &v, 4);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 3)
		return 0;
	uint8_t ctl = data[0];
	size_t len = (size_t)data[1] | (size_t)data[2] << 8;
	if (len > size - 3)
		len = size - 3;
	void *block = NULL;
	if (posix_memalign(&block, CHANNEL_ALIGN, len ? len : 1))
		abort();
	uint8_t *mem = block;
	memcpy(mem, data + 3, len);
	if (len >= CHANNEL_HDR_SIZE && (ctl & CTL_STAMP_MAGIC)) {
		uint32_t magic = CHANNEL_MAGIC;
		memcpy(mem, &magic, 4);
	}
	if (len >= CHANNEL_HDR_SIZE && (ctl & CTL_FIT_GEOMETRY))
		fit_geometry(mem, len);

	struct channel ch, at;
	struct script s = { data + 3 + len, size - 3 - len };
	if (channel_attach(mem, len, &ch) != STATUS_OK) {
		free(block);
		return 0;
	}
	if (!ch.elem_size || ch.elem_size > CHANNEL_ELEM_MAX || (ch.capacity & (ch.capacity - 1)) ||
	    channel_bytes(ch.capacity, ch.elem_size) > len || ch.slots != mem + CHANNEL_HDR_SIZE)
		abort();
	at = ch;
	while (s.n) {
		uint8_t op = *s.p++;
		s.n--;
		switch (op & 3) {
		case 0:
			pop_some(&ch, 1);
			break;
		case 1:
			pop_some(&ch, (uint32_t)(op >> 2) + 1);
			break;
		case 2:
			if (op & 4)
				channel_prepare_wait(&ch);
			else
				push_some(&ch, (uint32_t)(op >> 3) + 1);
			break;
		default:
			scribble(mem, len, &s);
			break;
		}
		check_view(&ch, &at);
	}
	free(block);
	return 0;
}
