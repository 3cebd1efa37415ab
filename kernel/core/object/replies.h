/*
 * replies.h - a task's table of unanswered calls: the reply capabilities
 * it holds, kept outside its CSpace.
 *
 * Each sys_msg_call takes one entry of the receiving task's table; the
 * message carries the entry's handle, which the receiver passes to
 * sys_msg_reply as it would a slot handle. A reply handle has bit 31 set,
 * which a slot handle never has (cspace.h), so the two namespaces cannot
 * be mistaken for each other:
 *
 *     handle = REPLY_HANDLE_BIT | gen << REPLY_INDEX_BITS | index
 *
 * gen, from 1 to REPLY_GEN_MAX, is bumped each time the entry is freed,
 * so a handle kept after its entry was used never names the entry's next
 * call; an entry whose generations are spent is retired, not wrapped.
 * Free entries are reused oldest first.
 *
 * An entry is held from the call until the receiver uses or deletes its
 * handle, or dies. caller is the thread waiting for the answer, NULL once
 * the call has ended without one (timed out, or the caller is gone): the
 * handle is then stale until the receiver consumes it, as a slot's
 * capability to a revoked object is. The waiting thread points back at
 * its entry (struct reply in thread.h), so that either side can end the
 * call. Each held entry is charged one QUOTA_SLOTS unit of the holder's
 * account: the calls a task holds unanswered and its capabilities share
 * one bound, its slot quota.
 *
 * Not thread-safe: the caller holds every kernel lock, or the table's
 * own lock (struct replies' lock, taken by core/ipc.c on the IPC path,
 * which holds only some CPU locks).
 */
#ifndef KEEL_CORE_REPLIES_H
#define KEEL_CORE_REPLIES_H

#include <stdbool.h>
#include <stdint.h>

#include "abi/status.h"
#include "core/object/object.h"

#define REPLY_HANDLE_BIT (1u << 31)
#define REPLY_INDEX_BITS 8
#define REPLIES_MAX (1u << REPLY_INDEX_BITS) /* entries of one table at most */
#define REPLY_GEN_MAX ((REPLY_HANDLE_BIT >> REPLY_INDEX_BITS) - 1)

#define REPLY_HELD 0xffffffffu    /* entry.next of a held entry */
#define REPLY_RETIRED 0xfffffffeu /* entry.next of a retired one */

struct thread;

struct reply_entry {
	struct thread *caller; /* the waiting caller; NULL once the call ended */
	uint32_t gen;          /* generation, part of the handle */
	uint32_t next;         /* free-queue link, REPLY_HELD or REPLY_RETIRED */
};

struct replies {
	volatile int lock;     /* table_lock (core/klock.h): see below */
	struct reply_entry *e; /* n entries, supplied by the owner */
	struct quota *quota;   /* charged one QUOTA_SLOTS unit per held entry */
	uint32_t n;
	uint32_t free_head; /* free entries, oldest first; n when none */
	uint32_t free_tail;
	uint32_t held;
};

/* Makes r an empty table over e[0..n), n at most REPLIES_MAX (0: a task
 * that can hold no call), charging held entries to q. */
void replies_init(struct replies *r, struct reply_entry *e, uint32_t n, struct quota *q);

/* True if h is in the reply namespace (whether or not it names anything). */
static inline bool reply_handle(uint64_t h)
{
	return (h & REPLY_HANDLE_BIT) != 0;
}

/* Returns the held entry h names in r, or NULL. */
static inline struct reply_entry *replies_find(const struct replies *r, uint64_t h)
{
	uint32_t index = (uint32_t)h & (REPLIES_MAX - 1);
	struct reply_entry *e;

	if (!reply_handle(h) || (h >> 32) || index >= r->n)
		return NULL;
	e = &r->e[index];
	if (e->next != REPLY_HELD ||
	    e->gen != ((uint32_t)h & ~REPLY_HANDLE_BIT) >> REPLY_INDEX_BITS)
		return NULL;
	return e;
}

/* Whether e, which replies_find returned for h, is still held under h. */
static inline bool replies_still_held(const struct reply_entry *e, uint64_t h)
{
	return e->next == REPLY_HELD &&
	       e->gen == ((uint32_t)h & ~REPLY_HANDLE_BIT) >> REPLY_INDEX_BITS;
}

/* Takes a free entry for caller and stores its handle in *out. Returns
 * STATUS_FULL if every entry is held (or retired), STATUS_QUOTA if the
 * account cannot pay. */
status_t replies_take(struct replies *r, struct thread *caller, cap_handle_t *out);

/* The index of entry e in r. */
static inline uint32_t replies_index(const struct replies *r, const struct reply_entry *e)
{
	return (uint32_t)(e - r->e);
}

/* Frees the held entry e: its handle names nothing from now on. Inline:
 * every reply makes one. */
static inline __attribute__((always_inline)) void replies_free(struct replies *r,
							       struct reply_entry *e)
{
	uint32_t i = replies_index(r, e);

	e->caller = NULL;
	r->held--;
	quota_release_slot(r->quota);
	if (e->gen == REPLY_GEN_MAX) {
		e->next = REPLY_RETIRED; /* never wrapped: an old handle stays dead */
		return;
	}
	e->gen++;
	e->next = r->n;
	if (r->free_tail >= r->n)
		r->free_head = i;
	else
		r->e[r->free_tail].next = i;
	r->free_tail = i;
}

/* Checks the free queue and the counters; true if consistent. For tests. */
bool replies_check(const struct replies *r);

#endif
