/*
 * inbox.c - the kernel side of inboxes (see inbox.h and abi/message.h).
 *
 * Ordering with the owner: a message is written in full before the
 * release store of tail publishes it, and the owner's head is read with an
 * acquire load, so a slot is reused only after the owner's copy out of it.
 */
#include "core/inline.h"
#include "core/object/inbox.h"
#include <string.h>

const uint8_t msg_keep[2 * MSG_PAYLOAD_MAX] = { [0 ... MSG_PAYLOAD_MAX - 1] = 0xff };

static bool is_pow2(uint32_t n)
{
	return n != 0 && (n & (n - 1)) == 0;
}

status_t inbox_init(struct inbox *ib, struct inbox_ring *ring, uint32_t capacity,
		    const struct kobj_ops *ops, struct quota *q)
{
	uint64_t bytes = inbox_ring_bytes(capacity);
	status_t st;

	if (!ring || (uintptr_t)ring % INBOX_RING_ALIGN || !is_pow2(capacity) ||
	    capacity > INBOX_MAX_CAPACITY)
		return STATUS_INVALID;
	st = kobj_init(&ib->obj, OBJ_INBOX, ops, q,
		       (bytes + INBOX_PAGE_SIZE - 1) / INBOX_PAGE_SIZE);
	if (st)
		return st;
	ib->ring = ring;
	ib->capacity = capacity;
	ib->tail = ib->head = 0;
	ib->owner_cs = NULL;
	ib->signals = NULL;
	ib->signal_bit = 0;
	ib->bad_heads = 0;
	memset(ring, 0, INBOX_RING_HDR_SIZE);
	ring->capacity = capacity;
	return STATUS_OK;
}

void inbox_set_owner(struct inbox *ib, struct cspace *cs, uint64_t *signals, uint64_t signal_bit)
{
	ib->owner_cs = cs;
	ib->signals = signals;
	ib->signal_bit = signal_bit;
}

void inbox_kill(struct inbox *ib)
{
	kobj_kill(&ib->obj);
	inbox_set_owner(ib, NULL, NULL, 0);
}

/* Accepts the owner's head if it lies in [head, tail] (modulo 2^32), the
 * only values an honest owner can have written since the last check. */
static void refresh_head(struct inbox *ib)
{
	uint32_t h = __atomic_load_n(&ib->ring->head, __ATOMIC_ACQUIRE);

	if (h - ib->head <= ib->tail - ib->head)
		ib->head = h;
	else
		ib->bad_heads++;
}

/* Writes the kernel's tail over the shared one: it publishes a new message,
 * and it repairs a tail the owner scribbled on, so that an owner stuck on a
 * full inbox can recover by reading it again. */
static void publish_tail(struct inbox *ib)
{
	__atomic_store_n(&ib->ring->tail, ib->tail, __ATOMIC_RELEASE);
}

uint32_t inbox_room(struct inbox *ib)
{
	refresh_head(ib);
	return ib->capacity - (ib->tail - ib->head);
}

uint32_t inbox_pending(struct inbox *ib)
{
	refresh_head(ib);
	return ib->tail - ib->head;
}

/* Whether a slot is free. The owner's head is read only when the
 * kernel's copy leaves no room: that copy is never ahead of an honest
 * owner's head, so room it shows is there. */
static bool has_room(struct inbox *ib)
{
	return ib->tail - ib->head != ib->capacity || inbox_room(ib) != 0;
}

/* The checks inbox_post and inbox_post_msg share; OK when a slot is free. */
static status_t post_check(struct inbox *ib, size_t len, uint16_t flags)
{
	if (ib->obj.dead)
		return STATUS_DEAD;
	if (len > MSG_PAYLOAD_MAX || (flags & ~MSG_FLAGS_KNOWN))
		return STATUS_INVALID;
	if (!has_room(ib)) {
		publish_tail(ib);
		return STATUS_FULL;
	}
	return STATUS_OK;
}

/* Publishes the message just written to the slot at tail. */
static void post_done(struct inbox *ib)
{
	ib->tail++;
	publish_tail(ib);
	if (ib->signals)
		*ib->signals |= ib->signal_bit;
}

status_t inbox_post(struct inbox *ib, uint32_t label, uint64_t badge, const void *payload,
		    size_t len, cap_handle_t cap, uint16_t flags)
{
	status_t st = post_check(ib, len, flags);
	if (st)
		return st;
	/* Written in place: the owner reads the slot only after the tail
	 * is published, and never sees stale bytes past len. */
	struct keel_msg *m = &ib->ring->msgs[ib->tail & (ib->capacity - 1)];
	m->label = label;
	m->len = (uint16_t)len;
	/* Flags describe the cap, so a message without one has none. */
	m->flags = (uint16_t)(cap != CAP_HANDLE_NONE ? flags | MSG_FLAG_CAP : 0);
	m->badge = badge;
	m->cap = cap;
	m->reserved = 0;
	if (len == MSG_PAYLOAD_MAX) {
		memcpy(m->payload, payload, MSG_PAYLOAD_MAX);
	} else {
		memset(m->payload, 0, MSG_PAYLOAD_MAX);
		if (len)
			memcpy(m->payload, payload, len);
	}
	post_done(ib);
	return STATUS_OK;
}

/* Inlined into its callers (core/inline.h), as inbox_post_words. */
LTO_INLINE status_t inbox_post_msg(struct inbox *ib, const struct keel_msg *m, uint64_t badge,
				   cap_handle_t cap, uint16_t flags)
{
	status_t st = post_check(ib, m->len, flags);
	if (st)
		return st;
	struct keel_msg out = *m;
	out.flags = (uint16_t)(cap != CAP_HANDLE_NONE ? flags | MSG_FLAG_CAP : 0);
	out.badge = badge;
	out.cap = cap;
	out.reserved = 0;
	ib->ring->msgs[ib->tail & (ib->capacity - 1)] = out;
	post_done(ib);
	return STATUS_OK;
}

/* Inlined into the IPC fast path (core/inline.h). */
LTO_INLINE status_t inbox_post_words(struct inbox *ib, uint64_t head, const uint64_t *w,
				     uint64_t badge, cap_handle_t reply)
{
	size_t len = (size_t)(head >> 32);
	status_t st = post_check(ib, len, 0);
	if (st)
		return st;
	uint8_t *slot = (uint8_t *)&ib->ring->msgs[ib->tail & (ib->capacity - 1)];
	const uint64_t cap = reply; /* cap, and reserved 0 */
	if (reply != CAP_HANDLE_NONE)
		head |= (uint64_t)(MSG_FLAG_CAP | MSG_FLAG_CAP_ONCE) << 48;
	memcpy(slot, &head, 8); /* label, len, flags */
	memcpy(slot + 8, &badge, 8);
	memcpy(slot + 16, &cap, 8);
	msg_payload_from_words(slot + MSG_HEADER_SIZE, w, MSG_PAYLOAD_MAX / 8, len);
	post_done(ib);
	return STATUS_OK;
}

/* Moves, copies or grants m's cap into ib's owner; *flags gets the
 * message flags that describe the received cap. */
static status_t attach_cap(struct cspace *cs, struct inbox *ib, const struct inbox_msg *m,
			   cap_handle_t *out, uint16_t *flags)
{
	struct cap got;
	status_t st;

	if (!ib->owner_cs)
		return STATUS_INVALID;
	st = cspace_transfer(cs, m->cap, ib->owner_cs, m->cap_mode, m->cap_rights, out);
	/* To the sender, a receiver out of slot quota simply has no free
	 * slot for the cap (sys_msg_send's FULL). */
	if (st == STATUS_QUOTA)
		return STATUS_FULL;
	if (st)
		return st;
	*flags = MSG_FLAG_CAP;
	if (cspace_lookup(ib->owner_cs, *out, OBJ_NONE, 0, &got) == STATUS_OK &&
	    (got.flags & CAP_FLAG_ONCE))
		*flags |= MSG_FLAG_CAP_ONCE;
	return STATUS_OK;
}

status_t inbox_send(struct cspace *cs, cap_handle_t h, const struct inbox_msg *m)
{
	cap_handle_t rcap = CAP_HANDLE_NONE;
	uint16_t flags = 0;
	struct inbox *ib;
	struct cap c;
	status_t st = cspace_lookup(cs, h, OBJ_INBOX, RIGHT_SEND, &c);

	if (st)
		return st;
	if (m->len > MSG_PAYLOAD_MAX ||
	    (m->cap != CAP_HANDLE_NONE && (unsigned)m->cap_mode >= CAP_MODE_COUNT))
		return STATUS_INVALID;
	ib = (struct inbox *)c.obj;
	if (!has_room(ib))
		return STATUS_FULL;
	if (m->cap != CAP_HANDLE_NONE) {
		st = attach_cap(cs, ib, m, &rcap, &flags);
		if (st)
			return st;
	}
	/* Cannot fail now: the inbox is live, has room and len is checked. */
	st = inbox_post(ib, m->label, c.badge, m->payload, m->len, rcap, flags);
	if (st == STATUS_OK && (c.flags & CAP_FLAG_ONCE))
		cspace_consume_once(cs, h);
	return st;
}
