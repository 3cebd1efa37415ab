/*
 * abi/witness.h - what a reader of the witness log receives
 * (sys_witness_read): 112-byte records of privileged actions, each
 * hash-chained to the one before (the chain is described in
 * kernel/lib/witness_chain.h, whose witness_verify checks it). The action
 * numbers and the record layout are ABI: old records keep their meaning.
 */
#ifndef KEEL_ABI_WITNESS_H
#define KEEL_ABI_WITNESS_H

#include <stddef.h>
#include <stdint.h>

#define WITNESS_HASH_SIZE 32 /* SHA-256 */

/* What happened. Numbers are stable: readers interpret old records. */
enum witness_action {
	WITNESS_SPAWN = 1, /* actor started task subject from image object */
	WITNESS_GRANT = 2, /* actor gave task subject a cap to object */
	WITNESS_DERIVE = 3,
	WITNESS_REVOKE = 4,
	WITNESS_REVOKE_ALL = 5,
	WITNESS_FAULT = 6, /* task subject faulted; arg: fault code */
	WITNESS_KILL = 7,
	WITNESS_DEVICE_GRANT = 8, /* IRQ, I/O ports or MMIO to subject */
	WITNESS_RESTART = 9,
	WITNESS_QUARANTINE = 10,
	WITNESS_ACTION_COUNT
};

struct witness_record {
	uint64_t seq;
	uint64_t time;
	uint32_t action;
	uint32_t actor;
	uint64_t subject;
	uint64_t object;
	uint64_t arg;
	uint8_t prev_hash[WITNESS_HASH_SIZE];
	uint8_t hash[WITNESS_HASH_SIZE];
};

_Static_assert(sizeof(struct witness_record) == 112, "record is 112 bytes");
_Static_assert(offsetof(struct witness_record, prev_hash) == 48,
	       "hashes follow the 48 bytes of fields");

#endif
