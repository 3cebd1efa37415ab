/*
 * fuzz_codec.c - libFuzzer target for the codec reader (libsys/codec.c).
 *
 * Input: a count byte n, n op bytes, then the payload. Each op byte picks
 * a get (low 3 bits) and, for strings, a length limit (the rest). The
 * payload is an exact-size heap copy, so ASan flags any read past its
 * end. Whatever a get accepts is written back with the matching put: the
 * writer's bytes must equal the consumed part of the payload exactly, so
 * the reader can never accept bytes the writer would encode differently.
 * A failed get must leave the reader where it was. The same payload is
 * also read through codec_msg_reader() with the length the input claims.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Ilibsys/include \
 *       -Ikernel -Ibuild/gen libsys/tests/fuzz_codec.c libsys/codec.c \
 *       -o fuzz_codec
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keel/codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Performs get number op on r and, when it succeeds, the matching put on
 * w. Returns the get's status. */
static status_t step(struct codec_reader *r, struct codec_writer *w, uint8_t op, const uint8_t *buf,
		     size_t len)
{
	uint8_t a;
	uint16_t b;
	uint32_t c;
	uint64_t d;
	bool e;
	const uint8_t *p;
	const char *s;
	size_t n, max = op >> 3;
	uint8_t raw[8];
	status_t st;

	switch (op & 7) {
	case 0:
		st = codec_get_u8(r, &a);
		if (!st)
			codec_put_u8(w, a);
		return st;
	case 1:
		st = codec_get_u16(r, &b);
		if (!st)
			codec_put_u16(w, b);
		return st;
	case 2:
		st = codec_get_u32(r, &c);
		if (!st)
			codec_put_u32(w, c);
		return st;
	case 3:
		st = codec_get_u64(r, &d);
		if (!st)
			codec_put_u64(w, d);
		return st;
	case 4:
		st = codec_get_bool(r, &e);
		if (!st)
			codec_put_bool(w, e);
		return st;
	case 5:
		st = codec_get_bytes(r, raw, max % 9);
		if (!st)
			codec_put_bytes(w, raw, max % 9);
		return st;
	case 6:
		st = codec_get_blob(r, &p, &n);
		if (st)
			return st;
		if (p < buf || n > (size_t)(buf + len - p))
			abort();
		codec_put_blob(w, p, n);
		return st;
	default:
		st = codec_get_str(r, max ? max : CODEC_LEN_MAX, &s, &n);
		if (st)
			return st;
		if ((const uint8_t *)s < buf || n > (size_t)(buf + len - (const uint8_t *)s) ||
		    memchr(s, 0, n) || (max && n > max))
			abort();
		codec_put_str(w, s, n);
		return st;
	}
}

static void check_msg(const uint8_t *buf, size_t len, uint16_t claimed)
{
	struct keel_msg m;
	struct codec_reader r;
	uint8_t x;

	memset(&m, 0, sizeof m);
	memcpy(m.payload, buf, len < MSG_PAYLOAD_MAX ? len : MSG_PAYLOAD_MAX);
	m.len = claimed;
	status_t st = codec_msg_reader(&r, &m);
	if ((st == STATUS_OK) != (claimed <= MSG_PAYLOAD_MAX))
		abort();
	size_t got = 0;
	while (codec_get_u8(&r, &x) == STATUS_OK)
		got++;
	if (got != (st ? 0 : claimed))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t nops = data[0] % 65;
	if (size < 1 + nops)
		return 0;
	const uint8_t *ops = data + 1;
	size_t len = size - 1 - nops;
	uint8_t *buf = malloc(len ? len : 1);
	uint8_t *out = malloc(len + 1);
	if (!buf || !out)
		abort();
	memcpy(buf, ops + nops, len);

	struct codec_reader r;
	struct codec_writer w;
	codec_reader_init(&r, buf, len);
	codec_writer_init(&w, out, len + 1);
	for (size_t i = 0; i < nops; i++) {
		size_t before = r.pos;
		status_t st = step(&r, &w, ops[i], buf, len);
		if (st && r.pos != before)
			abort();
		if (st != STATUS_OK && st != STATUS_BAD_FORMAT && st != STATUS_RANGE)
			abort();
		if (r.pos > len)
			abort();
	}
	size_t wlen;
	if (codec_writer_finish(&w, &wlen) != STATUS_OK || wlen != r.pos ||
	    memcmp(out, buf, wlen) != 0)
		abort();
	if ((codec_reader_end(&r) == STATUS_OK) != (r.pos == len))
		abort();
	check_msg(buf, len, len >= 2 ? (uint16_t)(buf[0] | buf[1] << 8) % 64 : 0);
	free(out);
	free(buf);
	return 0;
}
