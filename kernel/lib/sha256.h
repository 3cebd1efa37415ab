/*
 * sha256.h - SHA-256 (FIPS 180-4), for the witness log's hash chain.
 *
 * Streaming: sha256_init, any number of sha256_update calls, then
 * sha256_final. No allocation, no global state; the context is plain data
 * the caller owns. Messages are limited to 2^61 - 1 bytes.
 */
#ifndef KEEL_LIB_SHA256_H
#define KEEL_LIB_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32
#define SHA256_BLOCK_SIZE 64

struct sha256 {
	uint32_t h[8];                  /* chaining state */
	uint64_t bytes;                 /* message bytes so far */
	uint8_t buf[SHA256_BLOCK_SIZE]; /* a partial block */
	uint32_t fill;                  /* bytes in buf */
};

/* Starts a new hash in s. */
void sha256_init(struct sha256 *s);

/* Adds len bytes at data to the message. */
void sha256_update(struct sha256 *s, const void *data, size_t len);

/* Pads the message, writes its digest to out and wipes s. */
void sha256_final(struct sha256 *s, uint8_t out[SHA256_DIGEST_SIZE]);

/* Writes the digest of len bytes at data to out. */
void sha256(const void *data, size_t len, uint8_t out[SHA256_DIGEST_SIZE]);

#endif
