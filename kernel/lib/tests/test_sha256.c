/*
 * test_sha256.c - SHA-256 against the FIPS 180-4 / NIST example vectors,
 * block-boundary lengths (digests from an independent implementation), and
 * streaming in arbitrary pieces.
 */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "lib/sha256.h"

static const char *hex(const uint8_t d[SHA256_DIGEST_SIZE])
{
	static char s[2 * SHA256_DIGEST_SIZE + 1];

	for (int i = 0; i < SHA256_DIGEST_SIZE; i++) {
		s[2 * i] = "0123456789abcdef"[d[i] >> 4];
		s[2 * i + 1] = "0123456789abcdef"[d[i] & 15];
	}
	return s;
}

static const char *digest_of(const void *p, size_t n)
{
	uint8_t d[SHA256_DIGEST_SIZE];

	sha256(p, n, d);
	return hex(d);
}

TEST(empty_message)
{
	CHECK_STR(digest_of("", 0),
		  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(abc)
{
	CHECK_STR(digest_of("abc", 3),
		  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(two_block_448_bit_message)
{
	const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

	CHECK_EQ(strlen(m), 56);
	CHECK_STR(digest_of(m, strlen(m)),
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(two_block_896_bit_message)
{
	const char *m = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
			"hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

	CHECK_EQ(strlen(m), 112);
	CHECK_STR(digest_of(m, strlen(m)),
		  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

TEST(one_million_a)
{
	static char a[1000];
	struct sha256 s;
	uint8_t d[SHA256_DIGEST_SIZE];

	memset(a, 'a', sizeof a);
	sha256_init(&s);
	for (int i = 0; i < 1000; i++)
		sha256_update(&s, a, sizeof a);
	sha256_final(&s, d);
	CHECK_STR(hex(d), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* Lengths around the padding boundaries (55/56 bytes: where the length
 * field stops fitting in the last block) and block multiples. */
TEST(lengths_around_block_boundaries)
{
	static const struct {
		size_t n;
		const char *digest;
	} v[] = {
		{ 55, "e7313d333c272e639f790978283f9eb392e843d0f29b7016828bb1daa4aac70b" },
		{ 56, "4324d65f3c103567f5589c710bc08f8523f929a9272e3af36fc968e52abc6c27" },
		{ 57, "35df609437dcfea3279283ab79fd554e2bf78f8f7ae2de532d8ee300b09e8f73" },
		{ 63, "81c80242132f230c3bd41b3e63bbcff16107339549214a99614ff26664625055" },
		{ 64, "39e3d7b6b5d075d37d053ad89b24b41bef4f3c29760c84447cab3f3be1882241" },
		{ 65, "aacca6ff74fdbb296d165a45cecfa04e5127bc008770fbbdd48006f2d2fae95e" },
		{ 119, "9ce7368e4daf32341631b492e80359dc9f594b48453cd0dd5bf0b19279cc177e" },
		{ 120, "7836b787757e95e58b3ca5aec90b1b004e8deba1e50e9675af9cabf1a13a04b5" },
		{ 127, "a8d23e75d936f303d248888d9b165ee543f4cbafcad3c9dd2a79bd84faa11d07" },
		{ 128, "d2742f1f4ac6bb7ca2b239ee18402ba8b3f9f8e652d2a72973c2b9ba11c08cf6" },
		{ 1000, "1e9bc38cbf860b9ec31918b065f9b52476c549a782e0e7990bed8ce3868d2371" },
	};
	static uint8_t msg[1000];

	for (size_t i = 0; i < sizeof msg; i++)
		msg[i] = (uint8_t)(i * 7 + 3);
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		CHECK_STR(digest_of(msg, v[i].n), v[i].digest);
}

/* Any split of the message into update calls gives the one-shot digest. */
TEST(streaming_in_random_pieces_matches_one_shot)
{
	static uint8_t msg[3000];
	uint8_t one[SHA256_DIGEST_SIZE], streamed[SHA256_DIGEST_SIZE];
	uint64_t rng = 99;
	struct sha256 s;

	for (size_t i = 0; i < sizeof msg; i++)
		msg[i] = (uint8_t)(i ^ (i >> 8));
	for (int round = 0; round < 300; round++) {
		size_t len = (size_t)(round * 10), off = 0;

		sha256(msg, len, one);
		sha256_init(&s);
		while (off < len) {
			rng = rng * 6364136223846793005ull + 1;
			size_t n = (size_t)(rng >> 40) % 150;
			if (n > len - off)
				n = len - off;
			sha256_update(&s, msg + off, n);
			off += n;
		}
		sha256_final(&s, streamed);
		CHECK(memcmp(one, streamed, sizeof one) == 0);
	}
}

TEST(final_wipes_the_context)
{
	struct sha256 s;
	uint8_t d[SHA256_DIGEST_SIZE];
	const uint8_t *p = (const uint8_t *)&s;

	sha256_init(&s);
	sha256_update(&s, "secret", 6);
	sha256_final(&s, d);
	for (size_t i = 0; i < sizeof s; i++)
		CHECK_EQ(p[i], 0);
}

int main(void)
{
	RUN(empty_message);
	RUN(abc);
	RUN(two_block_448_bit_message);
	RUN(two_block_896_bit_message);
	RUN(one_million_a);
	RUN(lengths_around_block_boundaries);
	RUN(streaming_in_random_pieces_matches_one_shot);
	RUN(final_wipes_the_context);
	return check_summary();
}
