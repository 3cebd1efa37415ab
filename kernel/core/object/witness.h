/*
 * witness.h - the witness log: a kernel ring of fixed-size records of
 * privileged actions, hash-chained so that tampering is detectable.
 *
 * Each record is hash-chained to the one before it (lib/witness_chain.h);
 * when the ring wraps, the oldest records are overwritten but the chain
 * goes on.
 *
 * The log is itself a kernel object (OBJ_WITNESS) so that read access can
 * be granted as a capability; the kernel holds its first reference for
 * ever. struct witness_record (abi/witness.h) is what readers receive, so
 * its layout is fixed.
 *
 * Not thread-safe: the caller holds the kernel lock around every call.
 */
#ifndef KEEL_CORE_WITNESS_H
#define KEEL_CORE_WITNESS_H

#include <stddef.h>
#include <stdint.h>

#include "abi/status.h"
#include "abi/witness.h"
#include "core/object/object.h"
#include "lib/witness_chain.h"

#define WITNESS_MAX_CAPACITY (1u << 20)

/* Appended records whose hashes may wait (witness.c); then they are hashed. */
#define WITNESS_PENDING_MAX 256u

/* What the kernel records; the log adds seq and the hashes. */
struct witness_event {
	uint32_t action;  /* enum witness_action */
	uint32_t actor;   /* task id of whoever acted; 0 = kernel */
	uint64_t subject; /* id of the task or object acted upon */
	uint64_t object;  /* a second id: image, capability's object, ... */
	uint64_t arg;     /* small action-specific value */
	uint64_t time;    /* caller's clock, nanoseconds since boot */
};

struct witness_log {
	struct kobj obj;
	struct witness_record *ring;
	uint32_t capacity;                    /* power of two */
	uint64_t next_seq;                    /* records ever appended */
	uint64_t hashed_seq;                  /* records [0, hashed_seq) carry their hashes */
	uint8_t last_hash[WITNESS_HASH_SIZE]; /* of record hashed_seq - 1 */
};

/* Makes w an empty log over ring[0..capacity), a power of two up to
 * WITNESS_MAX_CAPACITY; the caller owns the first reference. Returns
 * STATUS_INVALID otherwise. Caller holds the kernel lock. */
status_t witness_init(struct witness_log *w, struct witness_record *ring, uint32_t capacity);

/* Computes prev_hash and hash of every record appended but not yet
 * hashed, oldest first; afterwards last_hash is the newest record's hash.
 * Caller holds the kernel lock. */
void witness_settle(struct witness_log *w);

/* Appends ev, overwriting the oldest record if the ring is full, and
 * stores its sequence number in *seq_out (may be NULL). Returns
 * STATUS_INVALID for an unknown action. The record's hashes are computed
 * later (witness_settle), at the latest when it is read or before it
 * could be overwritten. Caller holds the kernel lock. */
status_t witness_append(struct witness_log *w, const struct witness_event *ev, uint64_t *seq_out);

/* Returns the sequence number of the oldest record still in the ring
 * (equal to next_seq when the log is empty). Caller holds the kernel lock. */
uint64_t witness_oldest(const struct witness_log *w);

/* Hashes the pending records (witness_settle), then copies up to max
 * records from from_seq on into buf and stores the number copied in
 * *count (0 when from_seq is the next to be written). Returns
 * STATUS_RANGE, copying nothing, if from_seq was overwritten or is in the
 * future; *oldest (may be NULL) always gets witness_oldest(). Caller holds
 * the kernel lock. */
status_t witness_read(struct witness_log *w, uint64_t from_seq, struct witness_record *buf,
		      size_t max, size_t *count, uint64_t *oldest);

#endif
