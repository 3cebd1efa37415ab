/*
 * inbox.h - the kernel side of an inbox: a ring of 64-byte messages that
 * the kernel fills and the owning task drains from user space.
 *
 * The ring's layout and the owner's drain helper are in abi/message.h.
 * The ring memory is supplied by the creator (mapped into the owner); this
 * module never allocates. The kernel keeps its own tail and capacity and
 * only ever reads the owner's head, which it validates: an accepted head
 * lies between the last accepted one and the kernel's tail, so it never
 * moves backwards or past a message not yet posted. A head outside that
 * window is ignored (the kernel keeps the previous one) and counted. A
 * post reads it only when the kernel's copy leaves no room (the copy is
 * never ahead of an honest head, so room it shows is there): one read
 * per ring's worth of messages instead of one per message. Whatever the
 * owner writes, the kernel writes only inside the ring and
 * never overwrites a message the owner has not released; an owner that
 * scribbles loses or garbles only its own messages.
 *
 * Identity: inbox_send takes no badge from the sender. The badge in every
 * message is the badge of the capability the sender used.
 *
 * Not thread-safe: the caller holds the kernel lock around every call.
 * The owner's user-space drain runs concurrently; the protocol is in
 * abi/message.h.
 */
#ifndef KEEL_CORE_INBOX_H
#define KEEL_CORE_INBOX_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "abi/message.h"
#include "abi/status.h"
#include "core/object/cspace.h"
#include "core/object/object.h"

#define INBOX_MAX_CAPACITY (1u << 16)
#define INBOX_RING_ALIGN 64
#define INBOX_PAGE_SIZE 4096u

struct memory;
struct thread;

struct inbox {
	struct kobj obj;
	struct inbox_ring *ring; /* shared with the owner */
	uint32_t capacity;       /* power of two */
	uint32_t tail;           /* messages posted; the only true tail */
	uint32_t head;           /* last owner head that passed validation */
	struct cspace *owner_cs; /* receives transferred capabilities */
	uint64_t *signals;       /* owner's signal word, or NULL */
	uint64_t signal_bit;     /* raised in *signals by every post */
	uint64_t bad_heads;      /* owner heads rejected by validation */
	/* A task's inbox (core/ipc.c) also holds, each as a reference: */
	struct memory *ring_mem; /* the ring's pages */
	struct thread *owner;    /* the record of the thread it signals */
};

/* What a sender supplies: no badge, by design. */
struct inbox_msg {
	uint32_t label;
	const void *payload;    /* kernel memory, len bytes */
	size_t len;             /* at most MSG_PAYLOAD_MAX */
	cap_handle_t cap;       /* sender's cap to attach, or CAP_HANDLE_NONE */
	enum cap_mode cap_mode; /* ignored without a cap */
	uint32_t cap_rights;    /* mask applied to the attached cap */
};

/* Makes ib an empty live inbox over ring (64-byte aligned,
 * inbox_ring_bytes(capacity) long) and writes the ring's header. Charges
 * the object and the ring's pages to q. Returns STATUS_INVALID for a
 * capacity that is not a power of two up to INBOX_MAX_CAPACITY or a bad
 * ring, STATUS_QUOTA if q cannot pay. Caller holds the kernel lock. */
status_t inbox_init(struct inbox *ib, struct inbox_ring *ring, uint32_t capacity,
		    const struct kobj_ops *ops, struct quota *q);

/* Names the CSpace that receives capabilities sent to ib and the signal
 * word and bit that posting raises (signals may be NULL). Caller holds the
 * kernel lock; cs and *signals must outlive ib or be detached by
 * inbox_kill. */
void inbox_set_owner(struct inbox *ib, struct cspace *cs, uint64_t *signals, uint64_t signal_bit);

/* Kills ib (its capabilities go stale, posts fail with STATUS_DEAD) and
 * detaches it from its owner. Caller holds the kernel lock. */
void inbox_kill(struct inbox *ib);

/* Returns the number of messages that can be posted now. Once it is
 * non-zero, that many posts succeed under the same hold of the kernel
 * lock whatever the owner does. Caller holds the kernel lock. */
uint32_t inbox_room(struct inbox *ib);

/* Returns the number of posted messages the owner has not released. Caller
 * holds the kernel lock. */
uint32_t inbox_pending(struct inbox *ib);

/* Copies a message into the ring: label, badge, len bytes of payload (the
 * rest zeroed), cap (a handle already in the owner's CSpace, or
 * CAP_HANDLE_NONE) and flags (MSG_FLAG_CAP is set from cap), then raises
 * the owner's signal bit. Every call that gets past the argument checks
 * rewrites the shared tail from the kernel's copy. Never blocks. Returns STATUS_DEAD if ib was
 * killed, STATUS_INVALID for len over MSG_PAYLOAD_MAX or unknown flags,
 * STATUS_FULL if no slot is free. Caller holds the kernel lock. */
status_t inbox_post(struct inbox *ib, uint32_t label, uint64_t badge, const void *payload,
		    size_t len, cap_handle_t cap, uint16_t flags);

/* Byte masks for a payload kept to its first len bytes: the 8 bytes at
 * msg_keep + MSG_PAYLOAD_MAX - len + 8 * i are word i's, all ones for a
 * byte below len and zero from len on - one load and one AND a word,
 * with no branch on len. MSG_PAYLOAD_MAX bytes of ones, then as many of
 * zeros (inbox.c). */
extern const uint8_t msg_keep[2 * MSG_PAYLOAD_MAX];

/* The masks for len (at most MSG_PAYLOAD_MAX), for msg_keep_mask. The
 * empty asm keeps the pointer in a register: left alone, the compiler
 * computes it again for every word. */
static inline const uint8_t *msg_keep_row(size_t len)
{
	const uint8_t *row = msg_keep + MSG_PAYLOAD_MAX - len;
	__asm__("" : "+r"(row));
	return row;
}

/* Word i's mask in the row for a len. */
static inline uint64_t msg_keep_mask(const uint8_t *row, size_t i)
{
	uint64_t m;
	memcpy(&m, row + 8 * i, 8);
	return m;
}

/* Writes a payload of len bytes (at most MSG_PAYLOAD_MAX) at dst from the
 * nw words at w, every byte past len zero, word by word through the masks
 * (dst need not be aligned). */
static inline __attribute__((always_inline)) void msg_payload_from_words(uint8_t *dst,
									 const uint64_t *w,
									 size_t nw, size_t len)
{
	const uint8_t *keep = msg_keep_row(len);
	for (size_t i = 0; i < MSG_PAYLOAD_MAX / 8; i++) {
		uint64_t v = i < nw ? w[i] & msg_keep_mask(keep, i) : 0;
		memcpy(dst + 8 * i, &v, 8);
	}
}

/* Clears the payload bytes of m past m->len (at most MSG_PAYLOAD_MAX),
 * word by word: a message read from user memory, once trimmed, can be
 * copied on whole, as a fixed-size structure. */
static inline void msg_payload_trim(struct keel_msg *m)
{
	unsigned full = m->len / 8, part = m->len % 8;
	uint64_t w;

	if (part) {
		memcpy(&w, m->payload + 8 * full, 8);
		w &= ~0ull >> (64 - 8 * part);
		memcpy(m->payload + 8 * full, &w, 8);
		full++;
	}
	w = 0;
	for (unsigned i = full; i < MSG_PAYLOAD_MAX / 8; i++)
		memcpy(m->payload + 8 * i, &w, 8);
}

/* inbox_post for a whole message in kernel memory, label, len and
 * payload from m, whose payload past len is zero (msg_payload_trim): the
 * slot is written as one fixed-size copy. The same checks and results. */
status_t inbox_post_msg(struct inbox *ib, const struct keel_msg *m, uint64_t badge,
			cap_handle_t cap, uint16_t flags);

/* inbox_post_msg for a message whose header word head (label | len <<
 * 32; len at most MSG_PAYLOAD_MAX, bits 48-63 zero: the caller checked)
 * and payload words w[0..4] come from registers: the slot is written word
 * by word, the bytes past len cleared. It carries no capability, or a
 * call's reply handle (MSG_FLAG_CAP | MSG_FLAG_CAP_ONCE) unless reply is
 * CAP_HANDLE_NONE. The same checks and results. */
status_t inbox_post_words(struct inbox *ib, uint64_t head, const uint64_t *w, uint64_t badge,
			  cap_handle_t reply);

/* Sends m through the capability h in cs: h must be an INBOX cap with
 * RIGHT_SEND. The message carries h's badge; an attached cap is
 * transferred into the owner's CSpace (cspace_transfer) only once the
 * inbox is known to have room, so a failed send changes nothing. If h is
 * grant-once it is consumed by the send. Returns the lookup errors,
 * STATUS_INVALID for a bad length, a bad mode with a cap, or a cap sent to
 * an inbox with no owner; STATUS_FULL if the inbox is full or the owner has
 * no free slot or slot quota for the cap; the other cspace_transfer errors
 * about the attached cap. Caller holds the kernel lock. */
status_t inbox_send(struct cspace *cs, cap_handle_t h, const struct inbox_msg *m);

#endif
