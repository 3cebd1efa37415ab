/*
 * ztest.c - zstd on Keel and on the host: compresses a corpus at several
 * levels, prints each frame's size and a hash of its bytes, decompresses
 * it and checks the round trip. The corpus is made by the program (text
 * of generated words, a structured table and noise), so the two runs see
 * the same bytes; identical output means byte-identical compression.
 * With -t it also prints the time each level took, for the figures.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zstd.h"

#define CORPUS (1u << 20)

static uint64_t rng = 0x6a09e667f3bcc908ull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint64_t fnv(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

/* Half text of words from a small vocabulary, a quarter a table of
 * numbers, a quarter noise. */
static void make_corpus(unsigned char *p, size_t n)
{
	static const char *words[] = { "keel",     "capability", "kernel",  "message",
				       "inbox",    "thread",     "memory",  "the",
				       "a",        "of",         "service", "zstd",
				       "compress", "block",      "page",    "map" };
	size_t i = 0;
	while (i < n / 2) {
		const char *w = words[next() % 16];
		size_t len = strlen(w);
		for (size_t k = 0; k < len && i < n / 2; k++)
			p[i++] = (unsigned char)w[k];
		if (i < n / 2)
			p[i++] = next() % 11 ? ' ' : '\n';
	}
	while (i < n * 3 / 4) {
		char row[64];
		int len = snprintf(row, sizeof row, "%06zu,%u,%u\n", i, (unsigned)(next() % 1000),
				   (unsigned)(i % 97));
		for (int k = 0; k < len && i < n * 3 / 4; k++)
			p[i++] = (unsigned char)row[k];
	}
	while (i < n)
		p[i++] = (unsigned char)next();
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	static const int levels[] = { 1, 3, 7, 12 };
	int timing = argc > 1 && !strcmp(argv[1], "-t");
	unsigned char *src = malloc(CORPUS), *back = malloc(CORPUS);
	size_t cap = ZSTD_compressBound(CORPUS);
	unsigned char *dst = malloc(cap);
	int bad = 0;
	make_corpus(src, CORPUS);
	printf("zstd %s, corpus %u bytes, hash %016llx\n", ZSTD_versionString(), CORPUS,
	       (unsigned long long)fnv(src, CORPUS));
	for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
		uint64_t t0 = now_ns();
		size_t n = ZSTD_compress(dst, cap, src, CORPUS, levels[i]);
		uint64_t t1 = now_ns();
		if (ZSTD_isError(n)) {
			printf("level %d: %s\n", levels[i], ZSTD_getErrorName(n));
			bad++;
			continue;
		}
		memset(back, 0, CORPUS);
		size_t m = ZSTD_decompress(back, CORPUS, dst, n);
		uint64_t t2 = now_ns();
		int same = !ZSTD_isError(m) && m == CORPUS && !memcmp(back, src, CORPUS);
		bad += !same;
		printf("level %2d: %zu bytes, hash %016llx, round trip %s\n", levels[i], n,
		       (unsigned long long)fnv(dst, n), same ? "ok" : "FAILED");
		if (timing)
			printf("  time: compress %llu ns (%.1f MB/s), decompress %llu ns\n",
			       (unsigned long long)(t1 - t0), CORPUS * 1000.0 / (double)(t1 - t0),
			       (unsigned long long)(t2 - t1));
	}
	/* The streaming interface, as a store would use it. */
	ZSTD_CCtx *c = ZSTD_createCCtx();
	ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, 5);
	ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1);
	ZSTD_inBuffer in = { src, CORPUS, 0 };
	ZSTD_outBuffer out = { dst, cap, 0 };
	size_t left;
	do
		left = ZSTD_compressStream2(c, &out, &in, ZSTD_e_end);
	while (left && !ZSTD_isError(left));
	ZSTD_freeCCtx(c);
	printf("stream level 5 with checksum: %zu bytes, hash %016llx\n", out.pos,
	       (unsigned long long)fnv(dst, out.pos));
	printf("%s\n", bad ? "FAILED" : "all round trips ok");
	return bad != 0;
}
