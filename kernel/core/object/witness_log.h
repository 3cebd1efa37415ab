/*
 * witness_log.h - the kernel's one witness log (core/object/witness.h) as a
 * kernel object, and the calls that record privileged actions in it.
 */
#ifndef KEEL_CORE_WITNESS_LOG_H
#define KEEL_CORE_WITNESS_LOG_H

#include <stdint.h>

#include "core/object/witness.h"

/* Records the log holds: WITNESS_LOG_CAPACITY, or fewer (a power of two,
 * at least WITNESS_LOG_MIN) where the ring would take more than 1/64 of
 * the managed memory (below about 28 MiB). */
#define WITNESS_LOG_CAPACITY 4096
#define WITNESS_LOG_MIN 512

/* Creates the log; called once at boot, after memory_init. */
void witness_log_init(void);

/* The log object, for the root task's capability. */
struct witness_log *witness_log_get(void);

/* Appends one record stamped with the current time. Lock held. */
void witness_note(enum witness_action action, uint64_t actor, uint64_t subject, uint64_t object,
		  uint64_t arg);

#endif
