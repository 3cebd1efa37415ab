/*
 * keel/channel.h - shared-memory channels: bulk data between two tasks
 * without the kernel.
 *
 * A channel is a single-producer single-consumer ring of fixed-size
 * elements in a memory object both tasks map, with a signal bit of the
 * consumer's thread as doorbell (the virtio pattern). One side creates it
 * in its memory (channel_init) and grants the memory; the other side maps
 * it and checks it (channel_attach). Either side may be the producer.
 *
 * Layout (little-endian, offsets in bytes; the memory is 64-byte aligned):
 *
 *     0 magic     u32  CHANNEL_MAGIC          creator writes once
 *     4 elem_size u32  bytes per element      creator writes once
 *     8 capacity  u32  elements, power of 2   creator writes once
 *    12 (reserved, zero, to 64)
 *    64 prod      u32  elements ever pushed   producer writes
 *    68 (reserved, zero, to 128)
 *   128 cons      u32  elements ever popped   consumer writes
 *   132 sleeping  u32  non-zero: consumer wants the doorbell
 *                                             consumer sets, producer clears
 *   136 closed    u32  non-zero: the consumer will pop no more
 *                                             consumer sets (channel_close)
 *   140 (reserved, zero, to 192)
 *   192 slots[capacity], elem_size bytes each; element i is in slot
 *       i & (capacity - 1)
 *
 * prod and cons are free-running 32-bit counters, each on its own cache
 * line so that pushing and popping do not bounce one line between CPUs.
 *
 * Trust. The peer can write anything into the shared memory at any time.
 * Each side reads elem_size and capacity once (channel_init writes them,
 * channel_attach validates them) and keeps its own copies and its own
 * index; it never reads its own index back. The other side's index is
 * accepted only if it moved forward by a possible amount - the consumer
 * takes prod only if cons <= prod <= cons + capacity, the producer takes
 * cons only if it lies between the last cons it accepted and prod - and
 * otherwise keeps the last good value and counts a bad index. Slots are
 * always located with the local capacity, so no value in the shared
 * memory can make either side read or write outside it. A bad peer can
 * only garble or withhold its own data; elements are copied out by pop,
 * so the consumer parses a private copy the peer can no longer change.
 *
 * Ordering. The producer writes the slots and then publishes prod with a
 * release store; the consumer loads prod with acquire before reading the
 * slots, and publishes cons with release after copying them out, which the
 * producer loads with acquire before reusing those slots.
 *
 * The doorbell. The consumer sleeps in sys_signal_wait; the producer raises
 * the consumer's doorbell bit only when the consumer may be sleeping, so
 * a busy consumer costs the producer no system call:
 *
 *   consumer                               producer
 *   pop until STATUS_EMPTY                 push elements (release prod)
 *   channel_prepare_wait:                  channel_notify:
 *     sleeping = 1                           fence (seq_cst)
 *     fence (seq_cst)                        if sleeping:
 *     reload prod: if not empty,               exchange(sleeping, 0) == 1
 *       sleeping = 0, pop again                  -> raise the doorbell bit
 *   wait for the doorbell bit
 *
 * The race this avoids is the lost wake-up: the consumer finds the ring
 * empty, the producer pushes and sees no sleeper, then the consumer
 * sleeps with an element waiting. Because each side writes its own word
 * before a full fence and reads the other's after it, at least one of them
 * sees the other: either the consumer finds the new element and does not
 * sleep, or the producer finds the flag and rings. Both may happen; a
 * doorbell then finds an empty ring, which is harmless. The exchange
 * makes one sleep cost at most one doorbell however many producers' calls
 * see the flag. The consumer's bit stays pending in its signal word until
 * it waits, so it may arm the flag, go on with other work and wait later.
 *
 * Backpressure is the caller's: push returns STATUS_FULL and the producer
 * retries later (this channel rings only the consumer).
 */
#ifndef KEEL_CHANNEL_H
#define KEEL_CHANNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/rights.h"
#include "abi/status.h"
#include "keel/sysops.h"

#define CHANNEL_MAGIC 0x3148434bu /* "KCH1" */
#define CHANNEL_ALIGN 64u
#define CHANNEL_HDR_SIZE 192u
#define CHANNEL_ELEM_MAX 65536u
#define CHANNEL_CAPACITY_MAX (1u << 30)

struct channel_hdr {
	uint32_t magic;
	uint32_t elem_size;
	uint32_t capacity;
	uint32_t creator_reserved[13];
	uint32_t prod;
	uint32_t producer_reserved[15];
	uint32_t cons;
	uint32_t sleeping;
	uint32_t closed;
	uint32_t consumer_reserved[13];
};

_Static_assert(offsetof(struct channel_hdr, elem_size) == 4, "elem_size at 4");
_Static_assert(offsetof(struct channel_hdr, capacity) == 8, "capacity at 8");
_Static_assert(offsetof(struct channel_hdr, prod) == 64, "prod on its own line");
_Static_assert(offsetof(struct channel_hdr, cons) == 128, "cons on its own line");
_Static_assert(offsetof(struct channel_hdr, sleeping) == 132, "sleeping beside cons");
_Static_assert(offsetof(struct channel_hdr, closed) == 136, "closed beside sleeping");
_Static_assert(sizeof(struct channel_hdr) == CHANNEL_HDR_SIZE, "slots follow at 192");
_Static_assert(CHANNEL_HDR_SIZE % CHANNEL_ALIGN == 0, "slots start on a line");

/* One side's view of a channel; private to that side. */
struct channel {
	struct channel_hdr *hdr; /* shared */
	uint8_t *slots;          /* shared */
	uint32_t elem_size;      /* validated copies, never re-read */
	uint32_t capacity;
	uint32_t prod;          /* producer: its own; consumer: last accepted */
	uint32_t cons;          /* consumer: its own; producer: last accepted */
	cap_handle_t doorbell;  /* producer: the consumer's thread */
	uint64_t doorbell_bits; /* producer: the bit(s) to raise */
	uint64_t bad_indices;   /* peer indices refused */
	uint64_t doorbells;     /* doorbells raised by channel_notify */
};

/* Bytes of memory for a channel of capacity elements of elem_size bytes. */
static inline uint64_t channel_bytes(uint32_t capacity, uint32_t elem_size)
{
	return CHANNEL_HDR_SIZE + (uint64_t)capacity * elem_size;
}

/*
 * Creator side: lays out a channel of elem_size-byte elements in the bytes
 * of memory at mem, with the largest power-of-two capacity that fits (at
 * most CHANNEL_CAPACITY_MAX), and fills *ch. STATUS_INVALID for a NULL or
 * not 64-byte-aligned mem or an elem_size of 0 or above CHANNEL_ELEM_MAX;
 * STATUS_RANGE if not even one element fits.
 */
status_t channel_init(void *mem, size_t bytes, uint32_t elem_size, struct channel *ch);

/*
 * Peer side: checks the channel in the bytes of memory at mem and fills
 * *ch. STATUS_INVALID for a NULL or misaligned mem; STATUS_BAD_FORMAT if
 * the header is not a channel's: wrong magic, elem_size 0 or above
 * CHANNEL_ELEM_MAX, capacity not a power of two or above
 * CHANNEL_CAPACITY_MAX, slots past bytes, or prod - cons above capacity.
 */
status_t channel_attach(void *mem, size_t bytes, struct channel *ch);

/* Producer side: the consumer's doorbell is bits of thread (a capability
 * to the consumer's thread with RIGHT_SEND, badged with those bits). */
void channel_set_doorbell(struct channel *ch, cap_handle_t thread, uint64_t bits);

/* Producer: copies one element from elem into the ring. STATUS_FULL if
 * there is no free slot. Call channel_notify after a run of pushes. */
status_t channel_push(struct channel *ch, const void *elem);

/* Producer: pushes up to n elements from elems; returns how many. */
uint32_t channel_push_batch(struct channel *ch, const void *elems, uint32_t n);

/* Consumer: copies the oldest element to out (elem_size bytes) and frees
 * its slot. STATUS_EMPTY if there is none. */
status_t channel_pop(struct channel *ch, void *out);

/* Consumer: pops up to n elements into out; returns how many. */
uint32_t channel_pop_batch(struct channel *ch, void *out, uint32_t n);

/* Consumer: elements ready to pop. Producer: free slots. */
uint32_t channel_readable(struct channel *ch);
uint32_t channel_writable(struct channel *ch);

/*
 * Consumer: announces that it is going to wait for the doorbell. Returns
 * true if the ring is empty - wait now, the producer will ring after its
 * next push - or false if elements arrived meanwhile: pop them instead
 * (the announcement is withdrawn).
 */
bool channel_prepare_wait(struct channel *ch);

/*
 * Producer, after pushing: raises the doorbell through ops if the consumer
 * announced that it sleeps, and withdraws the announcement. Returns
 * STATUS_OK, the status of sys_signal_raise, or STATUS_INVALID if
 * channel_set_doorbell was never called.
 */
status_t channel_notify(struct channel *ch, const struct sysops *ops);

/*
 * Closing. A consumer that gives a channel up while its producer may still
 * push (compd reclaiming an idle terminal attachment) must not lose what
 * is pushed meanwhile. The same two-sided fence as the doorbell's:
 *
 *   consumer                               producer
 *   channel_close: closed = 1, fence       push (release prod)
 *   channel_readable: if not empty,        channel_closed: fence, load
 *     channel_reopen and pop as usual        closed; if set, ask the
 *     (the close is withdrawn)               consumer (e.g. a call that
 *   else: gone; pops no more                 fails STALE once it is gone)
 *                                          if gone: channel_take_back
 *
 * At least one side sees the other: either the consumer finds the new
 * elements and stays, or the producer finds the flag. A producer that
 * learns the consumer is gone takes back the elements never popped, oldest
 * first, and sends them elsewhere: nothing is lost or popped twice.
 */
void channel_close(struct channel *ch);  /* consumer */
void channel_reopen(struct channel *ch); /* consumer: withdraws a close */
bool channel_closed(struct channel *ch); /* producer, after pushing */

/* Producer, once the consumer is gone: copies up to n elements it never
 * popped into out, oldest first, and drops them; returns how many. */
uint32_t channel_take_back(struct channel *ch, void *out, uint32_t n);

#endif
