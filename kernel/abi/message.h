/*
 * message.h - the 64-byte message and the inbox ring, shared by the kernel
 * and userland.
 *
 * An inbox is a ring of messages in memory mapped into its owner. The
 * kernel is the only producer: it copies each message in, stamps the
 * badge of the capability the sender used, and advances tail. The owner is
 * the only consumer: it reads messages and advances head, without system
 * calls (inbox_ring_pop below). Both indices are free-running 32-bit
 * counters; the slot of index i is i & (capacity - 1).
 *
 * Layout (all little-endian, offsets in bytes):
 *
 *   struct keel_msg (64)          struct inbox_ring
 *    0 label    u32                 0 tail      u32  kernel writes
 *    4 len      u16                 4 capacity  u32  kernel writes
 *    6 flags    u16                 8 (reserved to offset 64)
 *    8 badge    u64                64 head      u32  owner writes
 *   16 cap      u32                68 (reserved to offset 128)
 *   20 reserved u32 (zero)        128 msgs[capacity], 64 bytes each
 *   24 payload  40 bytes
 *
 * The kernel keeps its own copies of tail and capacity and never reads
 * them back from this memory; it validates every head it reads. An owner
 * that writes garbage here can lose or garble only its own messages.
 */
#ifndef KEEL_ABI_MESSAGE_H
#define KEEL_ABI_MESSAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/rights.h"

#define MSG_SIZE 64
#define MSG_HEADER_SIZE 24
#define MSG_PAYLOAD_MAX (MSG_SIZE - MSG_HEADER_SIZE)

/* flags: what the kernel says about the message. */
#define MSG_FLAG_CAP (1u << 0)      /* cap holds a handle in the receiver's CSpace */
#define MSG_FLAG_CAP_ONCE (1u << 1) /* that cap is grant-once */
#define MSG_FLAGS_KNOWN (MSG_FLAG_CAP | MSG_FLAG_CAP_ONCE)

struct keel_msg {
	uint32_t label;                   /* chosen by the sender: the protocol's verb */
	uint16_t len;                     /* payload bytes in use, at most MSG_PAYLOAD_MAX */
	uint16_t flags;                   /* MSG_FLAG_* */
	uint64_t badge;                   /* badge of the sender's capability; 0 = unbadged */
	cap_handle_t cap;                 /* received capability or CAP_HANDLE_NONE */
	uint32_t reserved;                /* zero */
	uint8_t payload[MSG_PAYLOAD_MAX]; /* bytes past len are zero */
};

_Static_assert(sizeof(struct keel_msg) == MSG_SIZE, "message is 64 bytes");
_Static_assert(_Alignof(struct keel_msg) == 8, "message is 8-aligned");
_Static_assert(offsetof(struct keel_msg, len) == 4, "len at 4");
_Static_assert(offsetof(struct keel_msg, flags) == 6, "flags at 6");
_Static_assert(offsetof(struct keel_msg, badge) == 8, "badge at 8");
_Static_assert(offsetof(struct keel_msg, cap) == 16, "cap at 16");
_Static_assert(offsetof(struct keel_msg, payload) == MSG_HEADER_SIZE, "payload follows the header");

/* The producer's and the consumer's words sit on separate 64-byte lines so
 * that posting and draining do not bounce one cache line between CPUs. */
#define INBOX_RING_HDR_SIZE 128

struct inbox_ring {
	uint32_t tail;     /* messages ever posted; kernel writes */
	uint32_t capacity; /* slots in msgs[], a power of two; kernel writes */
	uint32_t kernel_reserved[14];
	uint32_t head; /* messages ever taken; owner writes */
	uint32_t owner_reserved[15];
	struct keel_msg msgs[];
};

_Static_assert(offsetof(struct inbox_ring, capacity) == 4, "capacity at 4");
_Static_assert(offsetof(struct inbox_ring, head) == 64, "head on its own line");
_Static_assert(offsetof(struct inbox_ring, msgs) == INBOX_RING_HDR_SIZE,
	       "messages follow the 128-byte header");

/* Bytes of ring memory for an inbox of capacity messages. */
static inline size_t inbox_ring_bytes(uint32_t capacity)
{
	return INBOX_RING_HDR_SIZE + (size_t)capacity * MSG_SIZE;
}

/* Owner side: the number of messages waiting. */
static inline uint32_t inbox_ring_pending(const struct inbox_ring *r)
{
	return __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE) - r->head;
}

/* Owner side: copies the oldest waiting message to *out and releases its
 * slot; returns false if the ring is empty. Only the owner's single
 * consumer thread may call it. The acquire load of tail orders the
 * message reads after the kernel's writes; the release store of head lets
 * the kernel reuse the slot only after the copy is done. */
static inline bool inbox_ring_pop(struct inbox_ring *r, struct keel_msg *out)
{
	uint32_t head = r->head;
	uint32_t tail = __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE);

	if (head == tail)
		return false;
	*out = r->msgs[head & (r->capacity - 1)];
	__atomic_store_n(&r->head, head + 1, __ATOMIC_RELEASE);
	return true;
}

#endif
