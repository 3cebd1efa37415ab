/*
 * cspace.h - capability spaces: per-task tables of capability slots, and
 * the derivation tree that links capabilities across them.
 *
 * A CSpace is an array of slots supplied by its creator (from a pool);
 * this module never allocates. A slot holds one capability: the object,
 * its type, rights, badge, the object's generation when the capability was
 * made, flags, and links in the derivation tree. Each occupied slot holds
 * one reference to its object and is charged one QUOTA_SLOTS unit to the
 * CSpace's quota account.
 *
 * Handles. User code names a capability by a 32-bit handle:
 *
 *     handle = index | slot_gen << index_bits
 *
 * where index_bits is the fewest bits that can number every slot (0 for a
 * one-slot CSpace, 16 for 65536 slots) and slot_gen, between 1 and
 * gen_max = 0x7fffffff >> index_bits, is bumped each time the slot is
 * emptied. Bit 31 is never set: it marks the handles of a task's
 * unanswered calls, which live outside the CSpace (replies.h). A handle to a deleted capability therefore never names the
 * slot's next occupant. A slot whose generation is used up is retired for
 * good rather than wrapped. Free slots are reused oldest first, so an old
 * handle can only collide after every generation of a slot is spent,
 * which retirement forbids. Handle 0 is never valid (CAP_HANDLE_NONE).
 *
 * Errors, in the order they are checked: STATUS_BAD_CAP (no such slot, an
 * empty or retired slot, a handle of an earlier occupant, wrong type),
 * STATUS_STALE (the object died or was revoked-all since the capability
 * was made), STATUS_NO_RIGHTS.
 *
 * Derivation. Every capability but an object's first ones (made with
 * cspace_insert) is derived from another, and is linked as its child,
 * whichever CSpaces the two live in. Rules:
 *   - deriving, copying, moving or granting needs RIGHT_GRANT on the source;
 *   - a derived capability's rights are a subset of its parent's;
 *   - badge 0 means unbadged. An unbadged capability may be derived with a
 *     new badge; a badged one keeps its badge, and asking to change it is
 *     refused with STATUS_NO_RIGHTS (a badge is identity, i.e. authority);
 *   - a grant-once capability (CAP_FLAG_ONCE) cannot be derived or copied,
 *     only moved or consumed. REPLY capabilities are always grant-once, so
 *     exactly one exists per reply object.
 * Revoking a capability deletes every capability derived from it, in all
 * CSpaces, but keeps the capability itself. Deleting a capability that has
 * children re-parents them to its parent (or makes them roots), so the
 * holder of an ancestor can still revoke them: dropping your own handle
 * does not take back what you gave away. Moving a capability keeps its
 * place in the tree. Trees are walked iteratively, never recursively.
 *
 * Not thread-safe: the caller holds the kernel lock around every call.
 */
#ifndef KEEL_CORE_CSPACE_H
#define KEEL_CORE_CSPACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/rights.h"
#include "abi/status.h"
#include "core/object/object.h"

#define CSPACE_MAX_SLOTS (1u << 16)

/* Capability flags. */
#define CAP_FLAG_ONCE (1u << 0) /* consumed by its first successful use */

/* One slot. All fields are owned by this module. */
struct cslot {
	struct kobj *obj;     /* NULL unless occupied */
	struct cspace *cs;    /* the CSpace the slot belongs to */
	struct cslot *parent; /* derivation tree, across CSpaces */
	struct cslot *first_child;
	struct cslot *next_sibling;
	struct cslot *prev_sibling;
	uint64_t badge;
	uint64_t obj_gen;   /* obj->gen when the capability was made */
	uint32_t gen;       /* slot generation, part of the handle */
	uint32_t next_free; /* free-queue link while empty */
	uint8_t type;       /* enum obj_type */
	uint8_t rights;     /* RIGHT_* */
	uint8_t flags;      /* CAP_FLAG_* */
	uint8_t state;      /* enum cslot_state */
};

enum cslot_state {
	SLOT_EMPTY,
	SLOT_USED,
	SLOT_RETIRED,
};

struct cspace {
	struct cslot *slots;
	struct quota *quota; /* charged one unit per occupied slot */
	uint32_t nslots;
	uint32_t index_bits;
	uint32_t gen_max;
	uint32_t fresh;     /* slots [fresh, nslots) never used, never read */
	uint32_t free_head; /* free slots once used, oldest first */
	uint32_t free_tail;
	uint32_t used;    /* occupied slots */
	uint32_t retired; /* slots whose generations are spent */
};

/* What a lookup reports about a capability. obj stays valid while the
 * capability stays in its slot and the kernel lock is held. */
struct cap {
	struct kobj *obj;
	uint64_t badge;
	uint8_t type;
	uint8_t rights;
	uint8_t flags;
};

/* Makes cs an empty CSpace over slots[0..nslots), charging slots to q.
 * Returns STATUS_INVALID if nslots is 0 or above CSPACE_MAX_SLOTS. */
status_t cspace_init(struct cspace *cs, struct cslot *slots, uint32_t nslots, struct quota *q);

/* Deletes every capability in cs (children elsewhere are re-parented), so
 * its slot memory can be freed. Caller holds the kernel lock and keeps the
 * slot memory alive until the call returns (a reference to the owning task,
 * or calling from its destroy callback, where object teardown is deferred). */
void cspace_clear(struct cspace *cs);

/* Puts a new root capability to obj into a free slot of cs, taking a
 * reference, and stores its handle in *out. REPLY capabilities get
 * CAP_FLAG_ONCE whatever flags says. Returns STATUS_INVALID for unknown
 * rights or flags, STATUS_STALE if obj is dead, STATUS_FULL if no slot is
 * free, STATUS_QUOTA if the account cannot pay. Caller holds the kernel
 * lock. */
status_t cspace_insert(struct cspace *cs, struct kobj *obj, uint32_t rights, uint64_t badge,
		       uint32_t flags, cap_handle_t *out);

/* Returns the occupied slot h names in cs, or NULL. */
static inline struct cslot *cspace_slot(struct cspace *cs, cap_handle_t h)
{
	uint32_t index = h & ((1u << cs->index_bits) - 1);
	struct cslot *s;

	if (index >= cs->fresh) /* never handed out: empty */
		return NULL;
	s = &cs->slots[index];
	if (s->state != SLOT_USED || s->gen != h >> cs->index_bits)
		return NULL;
	return s;
}

/* Finds h and checks it as cspace_lookup documents; *out is the slot. */
static inline status_t cspace_check_slot(struct cspace *cs, cap_handle_t h, enum obj_type want_type,
					 uint32_t want_rights, struct cslot **out)
{
	struct cslot *s = cspace_slot(cs, h);

	if (!s || (want_type != OBJ_NONE && s->type != want_type))
		return STATUS_BAD_CAP;
	if (s->obj->dead || s->obj_gen != s->obj->gen)
		return STATUS_STALE;
	if (want_rights & ~(uint32_t)s->rights)
		return STATUS_NO_RIGHTS;
	*out = s;
	return STATUS_OK;
}

/* Checks that h names a live capability of want_type (OBJ_NONE: any) with
 * at least want_rights, and copies it to *out. Errors as listed above.
 * Caller holds the kernel lock. Inline: every system call does it. */
static inline status_t cspace_lookup(struct cspace *cs, cap_handle_t h, enum obj_type want_type,
				     uint32_t want_rights, struct cap *out)
{
	struct cslot *s;
	status_t st = cspace_check_slot(cs, h, want_type, want_rights, &s);

	if (st)
		return st;
	out->obj = s->obj;
	out->badge = s->badge;
	out->type = s->type;
	out->rights = s->rights;
	out->flags = s->flags;
	return STATUS_OK;
}

/* Makes a child of the capability src in src_cs, in a free slot of dst_cs
 * (which may be src_cs), with the given rights and badge (0: the source's),
 * and stores its handle in *out. Returns the lookup errors, STATUS_NO_RIGHTS
 * if the source lacks RIGHT_GRANT or is grant-once, if rights are not a
 * subset of the source's, or if a badged source would be re-badged;
 * STATUS_INVALID for unknown rights; STATUS_FULL or STATUS_QUOTA from
 * dst_cs. Caller holds the kernel lock. */
status_t cspace_derive(struct cspace *src_cs, cap_handle_t src, struct cspace *dst_cs,
		       uint32_t rights, uint64_t badge, cap_handle_t *out);

/* Empties the slot of h; its children are re-parented to its parent.
 * Works on stale capabilities too. Returns STATUS_BAD_CAP for a bad
 * handle. Caller holds the kernel lock. */
status_t cspace_delete(struct cspace *cs, cap_handle_t h);

/* Deletes every capability derived from h, directly or not, in every
 * CSpace; h itself stays. Returns STATUS_BAD_CAP for a bad handle. Caller
 * holds the kernel lock. */
status_t cspace_revoke(struct cspace *cs, cap_handle_t h);

/* Makes every capability to h's object stale except h itself (the object's
 * generation is bumped and h brought up to date). Needs RIGHT_CONTROL.
 * Returns the lookup errors. Caller holds the kernel lock. */
status_t cspace_revoke_all(struct cspace *cs, cap_handle_t h);

/* Transfers the capability src from src_cs to a free slot of dst_cs, with
 * its rights masked by rights_mask, in one of the enum cap_mode modes:
 * copy and grant-once derive the new capability from src (grant-once also
 * marks it CAP_FLAG_ONCE); move empties src and keeps its tree position.
 * Stores the new handle in *out. Returns the cspace_derive errors (move:
 * the lookup errors, STATUS_NO_RIGHTS without RIGHT_GRANT, STATUS_FULL,
 * STATUS_QUOTA), STATUS_INVALID for an unknown mode. On error nothing
 * changes. A move charges dst_cs before it frees src, so it needs one unit
 * of quota headroom even inside one account. Caller holds the kernel lock. */
status_t cspace_transfer(struct cspace *src_cs, cap_handle_t src, struct cspace *dst_cs,
			 enum cap_mode mode, uint32_t rights_mask, cap_handle_t *out);

/* Call after a successful use of h: if h is grant-once it is deleted,
 * otherwise nothing happens. Returns STATUS_BAD_CAP for a bad handle.
 * Caller holds the kernel lock. */
status_t cspace_consume_once(struct cspace *cs, cap_handle_t h);

/* Returns the number of slots a new capability could still take. */
uint32_t cspace_free_slots(const struct cspace *cs);

/* Checks the free queue, the counters and the tree links of every occupied
 * slot of cs (and its neighbours in other CSpaces); returns true if all are
 * consistent. For tests and audits. Caller holds the kernel lock. */
bool cspace_check(const struct cspace *cs);

#endif
