/* Host tests for the message codec (libsys/codec.c). */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "keel/codec.h"

static uint64_t rng_state;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

TEST(writes_little_endian_without_padding)
{
	uint8_t buf[64];
	struct codec_writer w;
	size_t len = 0;

	codec_writer_init(&w, buf, sizeof buf);
	codec_put_u8(&w, 0xab);
	codec_put_u16(&w, 0x1234);
	codec_put_u32(&w, 0xdeadbeef);
	codec_put_u64(&w, 0x0102030405060708ull);
	codec_put_bool(&w, true);
	codec_put_str(&w, "vfsd", 4);
	codec_put_bytes(&w, "\x00\xff", 2);
	CHECK_EQ(codec_writer_finish(&w, &len), STATUS_OK);
	static const uint8_t want[] = {
		0xab, 0x34, 0x12, 0xef, 0xbe, 0xad, 0xde, 0x08, 0x07, 0x06, 0x05, 0x04,
		0x03, 0x02, 0x01, 0x01, 0x04, 0x00, 'v',  'f',  's',  'd',  0x00, 0xff,
	};
	CHECK_EQ(len, sizeof want);
	CHECK(memcmp(buf, want, sizeof want) == 0);
}

TEST(reads_back_what_was_written)
{
	uint8_t buf[64];
	struct codec_writer w;
	size_t len;

	codec_writer_init(&w, buf, sizeof buf);
	codec_put_u16(&w, 65535);
	codec_put_u32(&w, 7);
	codec_put_u64(&w, UINT64_MAX);
	codec_put_bool(&w, false);
	codec_put_blob(&w, "\x01\x00\x02", 3);
	codec_put_str(&w, "", 0);
	CHECK_EQ(codec_writer_finish(&w, &len), STATUS_OK);

	struct codec_reader r;
	uint16_t a;
	uint32_t b;
	uint64_t c;
	bool d = true;
	const uint8_t *blob;
	const char *s;
	size_t n;
	codec_reader_init(&r, buf, len);
	CHECK_EQ(codec_get_u16(&r, &a), STATUS_OK);
	CHECK_EQ(a, 65535);
	CHECK_EQ(codec_get_u32(&r, &b), STATUS_OK);
	CHECK_EQ(b, 7);
	CHECK_EQ(codec_get_u64(&r, &c), STATUS_OK);
	CHECK(c == UINT64_MAX);
	CHECK_EQ(codec_get_bool(&r, &d), STATUS_OK);
	CHECK(!d);
	CHECK_EQ(codec_get_blob(&r, &blob, &n), STATUS_OK);
	CHECK_EQ(n, 3);
	CHECK(blob == buf + 2 + 4 + 8 + 1 + 2); /* a view, not a copy */
	CHECK(memcmp(blob, "\x01\x00\x02", 3) == 0);
	CHECK_EQ(codec_get_str(&r, CODEC_LEN_MAX, &s, &n), STATUS_OK);
	CHECK_EQ(n, 0);
	CHECK_EQ(codec_remaining(&r), 0);
	CHECK_EQ(codec_reader_end(&r), STATUS_OK);
}

TEST(writer_overflow_is_sticky_and_never_writes_past_the_end)
{
	uint8_t buf[8];
	struct codec_writer w;
	size_t len = 99;

	memset(buf, 0xcc, sizeof buf);
	codec_writer_init(&w, buf, 6);
	codec_put_u32(&w, 0x11223344);
	codec_put_u32(&w, 0x55667788); /* 8 > 6: fails */
	codec_put_u8(&w, 0x99);        /* would fit, but the writer has failed */
	CHECK_EQ(codec_writer_finish(&w, &len), STATUS_RANGE);
	CHECK_EQ(len, 99); /* untouched on failure */
	CHECK_EQ(w.len, 4);
	CHECK_EQ(buf[4], 0xcc);
	CHECK_EQ(buf[5], 0xcc);
	CHECK_EQ(buf[6], 0xcc);
	CHECK(codec_writer_finish(&w, NULL) == STATUS_RANGE);
}

TEST(writer_accepts_an_exact_fit)
{
	uint8_t buf[10];
	struct codec_writer w;
	size_t len;

	codec_writer_init(&w, buf, sizeof buf);
	codec_put_u64(&w, 1);
	codec_put_u16(&w, 2);
	CHECK_EQ(codec_writer_finish(&w, &len), STATUS_OK);
	CHECK_EQ(len, 10);
	codec_put_u8(&w, 3);
	CHECK_EQ(codec_writer_finish(&w, &len), STATUS_RANGE);
}

TEST(blob_is_written_whole_or_not_at_all)
{
	uint8_t buf[8];
	struct codec_writer w;

	memset(buf, 0xcc, sizeof buf);
	codec_writer_init(&w, buf, sizeof buf);
	codec_put_blob(&w, "abcdefg", 7); /* 2 + 7 > 8 */
	CHECK_EQ(codec_writer_finish(&w, NULL), STATUS_RANGE);
	CHECK_EQ(w.len, 0);
	CHECK_EQ(buf[0], 0xcc);
}

TEST(writer_refuses_overlong_blob_and_nul_in_str)
{
	static uint8_t big[CODEC_LEN_MAX + 8], src[CODEC_LEN_MAX + 1];
	struct codec_writer w;

	codec_writer_init(&w, big, sizeof big);
	codec_put_blob(&w, src, CODEC_LEN_MAX + 1);
	CHECK_EQ(codec_writer_finish(&w, NULL), STATUS_RANGE);
	CHECK_EQ(w.len, 0);

	codec_writer_init(&w, big, sizeof big);
	codec_put_blob(&w, src, CODEC_LEN_MAX);
	CHECK_EQ(codec_writer_finish(&w, NULL), STATUS_OK);
	CHECK_EQ(w.len, CODEC_LEN_MAX + 2);

	uint8_t buf[16];
	codec_writer_init(&w, buf, sizeof buf);
	codec_put_str(&w, "a\0b", 3);
	CHECK_EQ(codec_writer_finish(&w, NULL), STATUS_INVALID);
	CHECK_EQ(w.len, 0);
	codec_put_u8(&w, 1);
	CHECK_EQ(codec_writer_finish(&w, NULL), STATUS_INVALID); /* first failure wins */
}

TEST(null_buffer_writes_nothing)
{
	struct codec_writer w;

	codec_writer_init(&w, NULL, 100);
	codec_put_u8(&w, 1);
	CHECK_EQ(codec_writer_finish(&w, NULL), STATUS_RANGE);
	codec_writer_init(&w, NULL, 100);
	codec_put_bytes(&w, NULL, 0);
	CHECK_EQ(codec_writer_finish(&w, NULL), STATUS_OK);
}

TEST(truncated_numbers_fail_and_leave_reader_and_output_alone)
{
	static const uint8_t buf[] = { 1, 2, 3, 4, 5, 6, 7 };
	struct codec_reader r;
	uint8_t a = 0x5a;
	uint16_t b = 0x5a5a;
	uint32_t c = 0x5a5a5a5a;
	uint64_t d = 42;

	codec_reader_init(&r, buf, 0);
	CHECK_EQ(codec_get_u8(&r, &a), STATUS_BAD_FORMAT);
	CHECK_EQ(a, 0x5a);
	codec_reader_init(&r, buf, 1);
	CHECK_EQ(codec_get_u16(&r, &b), STATUS_BAD_FORMAT);
	CHECK_EQ(b, 0x5a5a);
	CHECK_EQ(r.pos, 0);
	codec_reader_init(&r, buf, 3);
	CHECK_EQ(codec_get_u32(&r, &c), STATUS_BAD_FORMAT);
	CHECK_EQ(c, 0x5a5a5a5a);
	codec_reader_init(&r, buf, 7);
	CHECK_EQ(codec_get_u64(&r, &d), STATUS_BAD_FORMAT);
	CHECK_EQ(d, 42);
	CHECK_EQ(codec_remaining(&r), 7);
	/* What is there can still be read after a failed get. */
	CHECK_EQ(codec_get_u32(&r, &c), STATUS_OK);
	CHECK_EQ(c, 0x04030201);
	CHECK_EQ(codec_reader_end(&r), STATUS_BAD_FORMAT);
	uint8_t raw[4] = { 0 };
	CHECK_EQ(codec_get_bytes(&r, raw, 4), STATUS_BAD_FORMAT);
	CHECK_EQ(raw[0], 0);
	CHECK_EQ(codec_get_bytes(&r, raw, 3), STATUS_OK);
	CHECK_EQ(raw[2], 7);
	CHECK_EQ(codec_reader_end(&r), STATUS_OK);
}

TEST(bool_must_be_zero_or_one)
{
	static const uint8_t buf[] = { 1, 0, 2, 0xff };
	struct codec_reader r;
	bool v;

	codec_reader_init(&r, buf, sizeof buf);
	CHECK_EQ(codec_get_bool(&r, &v), STATUS_OK);
	CHECK(v);
	CHECK_EQ(codec_get_bool(&r, &v), STATUS_OK);
	CHECK(!v);
	CHECK_EQ(codec_get_bool(&r, &v), STATUS_BAD_FORMAT);
	CHECK_EQ(r.pos, 2);
	r.pos = 3;
	CHECK_EQ(codec_get_bool(&r, &v), STATUS_BAD_FORMAT);
	r.pos = 4;
	CHECK_EQ(codec_get_bool(&r, &v), STATUS_BAD_FORMAT);
}

TEST(blob_length_beyond_the_buffer_is_malformed)
{
	static const uint8_t buf[] = { 4, 0, 'a', 'b', 'c' };
	struct codec_reader r;
	const uint8_t *p = NULL;
	size_t n = 77;

	codec_reader_init(&r, buf, sizeof buf);
	CHECK_EQ(codec_get_blob(&r, &p, &n), STATUS_BAD_FORMAT);
	CHECK(p == NULL);
	CHECK_EQ(n, 77);
	CHECK_EQ(r.pos, 0);
	codec_reader_init(&r, buf, 1); /* half a prefix */
	CHECK_EQ(codec_get_blob(&r, &p, &n), STATUS_BAD_FORMAT);
	static const uint8_t huge[] = { 0xff, 0xff, 'x' };
	codec_reader_init(&r, huge, sizeof huge);
	CHECK_EQ(codec_get_blob(&r, &p, &n), STATUS_BAD_FORMAT);
}

TEST(str_rejects_embedded_nul_and_enforces_max)
{
	static const uint8_t nul[] = { 3, 0, 'a', 0, 'b' };
	static const uint8_t ok[] = { 5, 0, 'v', 'b', 'l', 'k', '0' };
	struct codec_reader r;
	const char *s = NULL;
	size_t n = 0;

	codec_reader_init(&r, nul, sizeof nul);
	CHECK_EQ(codec_get_str(&r, CODEC_LEN_MAX, &s, &n), STATUS_BAD_FORMAT);
	CHECK_EQ(r.pos, 0);
	CHECK(s == NULL);
	/* The same bytes are a valid blob. */
	const uint8_t *p;
	CHECK_EQ(codec_get_blob(&r, &p, &n), STATUS_OK);
	CHECK_EQ(n, 3);

	codec_reader_init(&r, ok, sizeof ok);
	CHECK_EQ(codec_get_str(&r, 4, &s, &n), STATUS_RANGE);
	CHECK_EQ(r.pos, 0);
	CHECK_EQ(codec_get_str(&r, 5, &s, &n), STATUS_OK);
	CHECK_EQ(n, 5);
	CHECK(memcmp(s, "vblk0", 5) == 0);
	CHECK(s == (const char *)ok + 2);
}

TEST(message_payload_round_trip_sets_len)
{
	struct keel_msg m;
	struct codec_writer w;

	memset(&m, 0xee, sizeof m);
	codec_msg_begin(&w, &m, 0x10);
	codec_put_u32(&w, 0xcafe);
	codec_put_str(&w, "boot", 4);
	CHECK_EQ(codec_msg_end(&w, &m), STATUS_OK);
	CHECK_EQ(m.label, 0x10);
	CHECK_EQ(m.len, 10);
	CHECK_EQ(m.flags, 0);
	CHECK_EQ(m.badge, 0);
	CHECK_EQ(m.reserved, 0);
	for (size_t i = m.len; i < MSG_PAYLOAD_MAX; i++)
		CHECK_EQ(m.payload[i], 0);

	struct codec_reader r;
	uint32_t v;
	const char *s;
	size_t n;
	CHECK_EQ(codec_msg_reader(&r, &m), STATUS_OK);
	CHECK_EQ(codec_get_u32(&r, &v), STATUS_OK);
	CHECK_EQ(v, 0xcafe);
	CHECK_EQ(codec_get_str(&r, 16, &s, &n), STATUS_OK);
	CHECK_EQ(n, 4);
	CHECK_EQ(codec_reader_end(&r), STATUS_OK);
}

TEST(message_overflow_leaves_an_empty_payload)
{
	struct keel_msg m;
	struct codec_writer w;

	codec_msg_begin(&w, &m, 3);
	for (int i = 0; i < 5; i++)
		codec_put_u64(&w, 0x1111111111111111ull); /* exactly 40 */
	CHECK_EQ(codec_msg_end(&w, &m), STATUS_OK);
	CHECK_EQ(m.len, MSG_PAYLOAD_MAX);

	codec_msg_begin(&w, &m, 3);
	codec_put_str(&w, "0123456789012345678901234567890123456789", 40);
	CHECK_EQ(codec_msg_end(&w, &m), STATUS_RANGE);
	CHECK_EQ(m.len, 0);
	for (size_t i = 0; i < MSG_PAYLOAD_MAX; i++)
		CHECK_EQ(m.payload[i], 0);

	/* A writer begun on another message is refused. */
	struct keel_msg other;
	codec_msg_begin(&w, &other, 4);
	CHECK_EQ(codec_msg_end(&w, &m), STATUS_INVALID);
}

TEST(message_reader_refuses_oversized_len)
{
	struct keel_msg m;
	struct codec_reader r;
	uint8_t b;

	memset(&m, 0, sizeof m);
	m.len = MSG_PAYLOAD_MAX + 1;
	CHECK_EQ(codec_msg_reader(&r, &m), STATUS_BAD_FORMAT);
	CHECK_EQ(codec_remaining(&r), 0);
	CHECK_EQ(codec_get_u8(&r, &b), STATUS_BAD_FORMAT);
	m.len = MSG_PAYLOAD_MAX;
	CHECK_EQ(codec_msg_reader(&r, &m), STATUS_OK);
	CHECK_EQ(codec_remaining(&r), MSG_PAYLOAD_MAX);
}

enum kind { K_U8, K_U16, K_U32, K_U64, K_BOOL, K_STR, K_BLOB, K_COUNT };

struct value {
	enum kind kind;
	uint64_t num;
	char text[24];
	size_t len;
};

static void random_value(struct value *v)
{
	v->kind = (enum kind)(rng() % K_COUNT);
	v->num = rng();
	v->len = rng() % sizeof v->text;
	for (size_t i = 0; i < v->len; i++)
		v->text[i] = (char)(v->kind == K_STR ? 1 + rng() % 255 : rng());
	if (v->kind == K_BOOL)
		v->num &= 1;
}

static void put_value(struct codec_writer *w, const struct value *v)
{
	switch (v->kind) {
	case K_U8:
		codec_put_u8(w, (uint8_t)v->num);
		break;
	case K_U16:
		codec_put_u16(w, (uint16_t)v->num);
		break;
	case K_U32:
		codec_put_u32(w, (uint32_t)v->num);
		break;
	case K_U64:
		codec_put_u64(w, v->num);
		break;
	case K_BOOL:
		codec_put_bool(w, v->num);
		break;
	case K_STR:
		codec_put_str(w, v->text, v->len);
		break;
	default:
		codec_put_blob(w, v->text, v->len);
		break;
	}
}

/* Reads a value of v's kind and returns the status; sets *same when it
 * equals v. */
static status_t get_value(struct codec_reader *r, const struct value *v, bool *same)
{
	uint8_t a = 0;
	uint16_t b = 0;
	uint32_t c = 0;
	uint64_t d = 0;
	bool e = false;
	const char *s = NULL;
	const uint8_t *p = NULL;
	size_t n = 0;
	status_t st;

	switch (v->kind) {
	case K_U8:
		st = codec_get_u8(r, &a);
		*same = a == (uint8_t)v->num;
		break;
	case K_U16:
		st = codec_get_u16(r, &b);
		*same = b == (uint16_t)v->num;
		break;
	case K_U32:
		st = codec_get_u32(r, &c);
		*same = c == (uint32_t)v->num;
		break;
	case K_U64:
		st = codec_get_u64(r, &d);
		*same = d == v->num;
		break;
	case K_BOOL:
		st = codec_get_bool(r, &e);
		*same = e == (v->num == 1);
		break;
	case K_STR:
		st = codec_get_str(r, CODEC_LEN_MAX, &s, &n);
		*same = !st && n == v->len && memcmp(s, v->text, n) == 0;
		break;
	default:
		st = codec_get_blob(r, &p, &n);
		*same = !st && n == v->len && memcmp(p, v->text, n) == 0;
		break;
	}
	return st;
}

/* Random sequences of values survive the round trip, and every proper
 * prefix of an encoding fails to decode as the whole sequence. */
TEST(random_sequences_round_trip_and_every_truncation_fails)
{
	rng_state = 0x9e3779b97f4a7c15ull;
	for (int iter = 0; iter < 2000; iter++) {
		struct value vals[12];
		size_t count = 1 + rng() % 12, len;
		uint8_t buf[512];
		struct codec_writer w;

		codec_writer_init(&w, buf, sizeof buf);
		for (size_t i = 0; i < count; i++) {
			random_value(&vals[i]);
			put_value(&w, &vals[i]);
		}
		CHECK_EQ(codec_writer_finish(&w, &len), STATUS_OK);
		for (size_t cut = 0; cut <= len; cut++) {
			struct codec_reader r;
			status_t st = STATUS_OK;
			codec_reader_init(&r, buf, cut);
			for (size_t i = 0; i < count && !st; i++) {
				bool same = false;
				st = get_value(&r, &vals[i], &same);
				if (!st)
					CHECK(same);
			}
			if (!st)
				st = codec_reader_end(&r);
			CHECK_EQ(st, cut == len ? STATUS_OK : STATUS_BAD_FORMAT);
		}
	}
}

int main(void)
{
	RUN(writes_little_endian_without_padding);
	RUN(reads_back_what_was_written);
	RUN(writer_overflow_is_sticky_and_never_writes_past_the_end);
	RUN(writer_accepts_an_exact_fit);
	RUN(blob_is_written_whole_or_not_at_all);
	RUN(writer_refuses_overlong_blob_and_nul_in_str);
	RUN(null_buffer_writes_nothing);
	RUN(truncated_numbers_fail_and_leave_reader_and_output_alone);
	RUN(bool_must_be_zero_or_one);
	RUN(blob_length_beyond_the_buffer_is_malformed);
	RUN(str_rejects_embedded_nul_and_enforces_max);
	RUN(message_payload_round_trip_sets_len);
	RUN(message_overflow_leaves_an_empty_payload);
	RUN(message_reader_refuses_oversized_len);
	RUN(random_sequences_round_trip_and_every_truncation_fails);
	return check_summary();
}
