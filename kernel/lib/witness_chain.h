/*
 * witness_chain.h - the hash chain of the witness log, for the kernel that
 * writes it and for any reader that checks it.
 *
 * Record n carries prev_hash = hash of record n-1 (32 zero bytes for
 * record 0) and
 *
 *     hash = SHA-256(prev_hash || seq || time || action || actor ||
 *                    subject || object || arg)
 *
 * with every field little-endian at its own width (u64 seq, u64 time, u32
 * action, u32 actor, u64 subject, u64 object, u64 arg): 80 bytes hashed,
 * independent of struct layout. When the kernel's ring wraps, the oldest
 * records are overwritten but the chain goes on; a reader keeps the hash
 * of the last record it verified and passes it to witness_verify with the
 * next batch. Both functions touch only their arguments.
 */
#ifndef KEEL_LIB_WITNESS_CHAIN_H
#define KEEL_LIB_WITNESS_CHAIN_H

#include <stddef.h>
#include <stdint.h>

#include "abi/status.h"
#include "abi/witness.h"
#include "lib/sha256.h"

_Static_assert(WITNESS_HASH_SIZE == SHA256_DIGEST_SIZE, "the chain is SHA-256");

/* Computes the hash of r's fields chained to r->prev_hash, as above. */
void witness_record_hash(const struct witness_record *r, uint8_t out[WITNESS_HASH_SIZE]);

/* Checks that records[0..n) form a chain: consecutive sequence numbers,
 * each prev_hash equal to the previous record's hash (to prev_hash for the
 * first; NULL: the first record's prev_hash is taken on trust), and each
 * hash recomputed correctly. Returns STATUS_OK, or STATUS_BAD_FORMAT with
 * the index of the first bad record in *bad_index (may be NULL). */
status_t witness_verify(const struct witness_record *records, size_t n, const uint8_t *prev_hash,
			size_t *bad_index);

#endif
