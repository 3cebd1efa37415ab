/*
 * object.h - the header every kernel object starts with, reference
 * counting, and per-task quotas.
 *
 * A concrete object (inbox, witness log, task, thread, ...) embeds a
 * struct kobj as its first member. Its memory comes from a fixed pool
 * owned by whoever creates it; this module never allocates. The creator
 * fills the memory, calls kobj_init() (which charges the owner's quota and
 * hands the creator the first reference) and gives the object a destroy
 * callback that returns the memory to the pool.
 *
 * Lifetime. refs counts capabilities in CSpace slots plus references the
 * kernel holds. When it drops to zero the object is finished: its destroy
 * callback runs and its quota charge is returned. Killing an object
 * (kobj_kill) is separate from freeing it: a killed object is dead for
 * good -- every capability to it reports STATUS_STALE -- but its memory
 * stays until the last stale capability is deleted.
 *
 * Generations. gen is bumped when the object dies and on "revoke all".
 * Each capability remembers the gen it was made under; a mismatch makes it
 * stale. gen is 64 bits so that it never wraps.
 *
 * Not thread-safe: the caller holds the kernel lock around every call.
 */
#ifndef KEEL_CORE_OBJECT_H
#define KEEL_CORE_OBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/rights.h"
#include "abi/status.h"

/* What a quota account limits. */
enum quota_kind {
	QUOTA_SLOTS,   /* occupied CSpace slots */
	QUOTA_OBJECTS, /* live kernel objects */
	QUOTA_PAGES,   /* pages of memory held by those objects */
	QUOTA_KINDS
};

/* One task's account. used[k] never exceeds limit[k].
 *
 * Slots and objects are reserved: a new task's limits of those are
 * charged to its creator whole, at creation. Pages are a limit, not a
 * reservation: the pages a task's objects and tables actually hold are
 * charged to its account and to every ancestor's (parent), each checked
 * against its own limit, so children may together declare more than
 * their parent may hold, and what they use is what is counted. */
struct quota {
	uint64_t limit[QUOTA_KINDS];
	uint64_t used[QUOTA_KINDS];
	/* The creator's account, which pays for the pages charged here too;
	 * NULL for the root task and for the kernel's accounts. */
	struct quota *parent;
	/* Releases of more than was charged. Only a kernel bug causes one;
	 * it is counted rather than wrapped so tests and audits can see it. */
	uint64_t underflows;
	/* Set when the account's owner has gone while objects charged to it
	 * live on (a thread record another task holds a capability to): called
	 * once, by the release of the last such object, to free the record
	 * the account lives in. NULL otherwise. */
	void (*drained)(struct quota *q);
};

/* Whether objects charged to q are alive: a finishing object returns its
 * pages first and then itself, so this is the last release it makes. */
static inline bool quota_has_objects(const struct quota *q)
{
	return q->used[QUOTA_OBJECTS] != 0;
}

/* Sets the limits and zeroes the usage of q. */
void quota_init(struct quota *q, uint64_t slots, uint64_t objects, uint64_t pages);

/* Charges n units of kind to q (and pages to each of q's ancestors too).
 * Returns STATUS_QUOTA (charging nothing) if that would pass the limit of
 * q or of an ancestor, STATUS_INVALID for an unknown kind. A NULL q is the
 * kernel's own, unlimited account. Caller holds the kernel lock. */
status_t quota_charge(struct quota *q, enum quota_kind kind, uint64_t n);

/* The most quota_charge(q, kind, n) would accept now. */
uint64_t quota_room(const struct quota *q, enum quota_kind kind);

/* Returns n units of kind to q (NULL: nothing), and pages to q's
 * ancestors too; the release that empties a drained account calls its
 * drained hook. Caller holds the kernel lock. */
void quota_release(struct quota *q, enum quota_kind kind, uint64_t n);

/* quota_charge and quota_release of one slot unit, inline for the common
 * case (a slot is charged to its account alone): a reply entry is taken
 * and freed on every call. The same results; anything else - no account,
 * a limit reached, a drained hook, an underflow - goes through them. */
static inline status_t quota_charge_slot(struct quota *q)
{
	if (q && q->used[QUOTA_SLOTS] < q->limit[QUOTA_SLOTS]) {
		q->used[QUOTA_SLOTS]++;
		return STATUS_OK;
	}
	return quota_charge(q, QUOTA_SLOTS, 1);
}

static inline void quota_release_slot(struct quota *q)
{
	if (q && q->used[QUOTA_SLOTS] && !q->drained)
		q->used[QUOTA_SLOTS]--;
	else
		quota_release(q, QUOTA_SLOTS, 1);
}

struct kobj;

struct kobj_ops {
	/* Called once, after the last reference is dropped: releases what the
	 * object holds and returns its memory to its pool. It may drop
	 * references to other objects; those are finished after it returns,
	 * iteratively, never by recursion. NULL: nothing to do. */
	void (*destroy)(struct kobj *o);
	/* Called when a capability to the object, made under generation
	 * cap_gen, is deleted (used up, deleted, revoked or cleared with its
	 * CSpace), before its reference is dropped. NULL: nothing to do. */
	void (*cap_deleted)(struct kobj *o, uint64_t cap_gen);
};

struct kobj {
	const struct kobj_ops *ops;
	struct quota *quota;    /* charged for the object; NULL: kernel-owned */
	struct kobj *reap_next; /* on the list of objects being finished */
	uint64_t gen;           /* generation; see above */
	uint64_t pages;         /* pages charged with the object */
	uint32_t refs;          /* capabilities + kernel references */
	uint8_t type;           /* enum obj_type */
	bool dead;              /* killed: stale for ever */
};

/* Whether objects of type are device access (interrupt lines, I/O ports,
 * MMIO ranges): granting one is witnessed as a device grant. */
static inline bool obj_is_device(unsigned type)
{
	return type == OBJ_IRQ || type == OBJ_IOPORTS || type == OBJ_MMIO;
}

/* Makes o a live object of type with one reference (the caller's), charging
 * one object and pages pages to q (NULL: uncharged). Returns STATUS_INVALID
 * for a bad type, STATUS_QUOTA if q cannot pay; then nothing is charged.
 * Caller holds the kernel lock. */
status_t kobj_init(struct kobj *o, enum obj_type type, const struct kobj_ops *ops, struct quota *q,
		   uint64_t pages);

/* Finishes o, whose last reference is gone (kobj_put's slow half). */
void kobj_last_put(struct kobj *o);

/* Takes one more reference to o. Caller holds the kernel lock and already
 * owns a reference (its own or through a capability). */
static inline void kobj_get(struct kobj *o)
{
	o->refs++;
}

/* Drops one reference; the last one finishes the object (destroy callback,
 * quota returned). o must not be used afterwards. Caller holds the kernel
 * lock. */
static inline void kobj_put(struct kobj *o)
{
	if (--o->refs == 0)
		kobj_last_put(o);
}

/* Kills o: every capability to it becomes stale and no new one can be made.
 * Its memory lives on until the last reference is dropped. Idempotent.
 * Caller holds the kernel lock. */
void kobj_kill(struct kobj *o);

/* Bumps o's generation so that every existing capability to it becomes
 * stale. Returns STATUS_STALE if o is dead. Caller holds the kernel lock. */
status_t kobj_revoke_all(struct kobj *o);

#endif
