/*
 * cspace.c - capability spaces and the derivation tree (see cspace.h).
 *
 * A slot's children form a doubly-linked sibling list headed by its
 * first_child, so a capability is unlinked in constant time. Deleting a
 * capability empties its slot before dropping the object reference: the
 * drop may finish the object, and its destroy callback may in turn clear
 * other CSpaces, which must then find every slot consistent.
 */
#include <string.h>

#include "core/object/cspace.h"

#define NIL 0xffffffffu

static uint32_t slot_index(const struct cslot *s)
{
	return (uint32_t)(s - s->cs->slots);
}

static cap_handle_t handle_of(const struct cslot *s)
{
	return slot_index(s) | s->gen << s->cs->index_bits;
}

static void queue_free(struct cspace *cs, uint32_t index)
{
	cs->slots[index].next_free = NIL;
	if (cs->free_tail == NIL)
		cs->free_head = index;
	else
		cs->slots[cs->free_tail].next_free = index;
	cs->free_tail = index;
}

status_t cspace_init(struct cspace *cs, struct cslot *slots, uint32_t nslots, struct quota *q)
{
	if (!slots || nslots == 0 || nslots > CSPACE_MAX_SLOTS)
		return STATUS_INVALID;
	cs->slots = slots;
	cs->quota = q;
	cs->nslots = nslots;
	cs->index_bits = 0;
	while ((1u << cs->index_bits) < nslots)
		cs->index_bits++;
	cs->gen_max = 0x7fffffffu >> cs->index_bits; /* bit 31: replies.h */
	cs->free_head = cs->free_tail = NIL;
	cs->used = 0;
	cs->retired = 0;
	/* The slots are not cleared: no lookup reads past cs->fresh, and
	 * slot_alloc sets each up whole when it first hands it out. */
	cs->fresh = 0;
	return STATUS_OK;
}

/* Takes the oldest free slot of cs, charging the account; the caller fills
 * it in. Returns STATUS_FULL or STATUS_QUOTA, taking nothing. */
static status_t slot_alloc(struct cspace *cs, struct cslot **out)
{
	struct cslot *s;
	status_t st;

	if (cs->fresh == cs->nslots && cs->free_head == NIL)
		return STATUS_FULL;
	st = quota_charge(cs->quota, QUOTA_SLOTS, 1);
	if (st)
		return st;
	if (cs->fresh < cs->nslots) {
		/* Never used: first in line, as if queued at init in order. */
		s = &cs->slots[cs->fresh++];
		*s = (struct cslot){ .cs = cs, .gen = 1 };
	} else {
		s = &cs->slots[cs->free_head];
		cs->free_head = s->next_free;
		if (cs->free_head == NIL)
			cs->free_tail = NIL;
	}
	s->state = SLOT_USED;
	s->parent = s->first_child = s->next_sibling = s->prev_sibling = NULL;
	cs->used++;
	*out = s;
	return STATUS_OK;
}

/* Empties an unlinked slot without touching its object's count. The new
 * generation invalidates every handle to the old occupant; a slot whose
 * generations are spent is retired instead of being reused. */
static void slot_release(struct cslot *s)
{
	struct cspace *cs = s->cs;

	s->obj = NULL;
	s->badge = 0;
	s->rights = s->flags = s->type = 0;
	cs->used--;
	quota_release(cs->quota, QUOTA_SLOTS, 1);
	if (s->gen == cs->gen_max) {
		s->state = SLOT_RETIRED;
		cs->retired++;
		return;
	}
	s->gen++;
	s->state = SLOT_EMPTY;
	queue_free(cs, slot_index(s));
}

/* Links the unlinked slot c as the first child of p. */
static void tree_add_child(struct cslot *p, struct cslot *c)
{
	c->parent = p;
	c->prev_sibling = NULL;
	c->next_sibling = p->first_child;
	if (p->first_child)
		p->first_child->prev_sibling = c;
	p->first_child = c;
}

/* Unlinks s from its parent and siblings; its children stay attached. */
static void tree_unlink(struct cslot *s)
{
	if (s->prev_sibling)
		s->prev_sibling->next_sibling = s->next_sibling;
	else if (s->parent)
		s->parent->first_child = s->next_sibling;
	if (s->next_sibling)
		s->next_sibling->prev_sibling = s->prev_sibling;
	s->parent = s->next_sibling = s->prev_sibling = NULL;
}

/* Hands every child of s to s's parent, or makes them roots. */
static void tree_reparent_children(struct cslot *s)
{
	struct cslot *c;

	while ((c = s->first_child) != NULL) {
		s->first_child = c->next_sibling;
		if (s->first_child)
			s->first_child->prev_sibling = NULL;
		c->parent = NULL;
		c->next_sibling = c->prev_sibling = NULL;
		if (s->parent)
			tree_add_child(s->parent, c);
	}
}

/* Puts the unlinked slot dst in src's place in the tree, src's children
 * included, and leaves src unlinked. */
static void tree_replace(struct cslot *src, struct cslot *dst)
{
	struct cslot *c;

	dst->parent = src->parent;
	dst->prev_sibling = src->prev_sibling;
	dst->next_sibling = src->next_sibling;
	dst->first_child = src->first_child;
	if (dst->prev_sibling)
		dst->prev_sibling->next_sibling = dst;
	else if (dst->parent)
		dst->parent->first_child = dst;
	if (dst->next_sibling)
		dst->next_sibling->prev_sibling = dst;
	for (c = dst->first_child; c; c = c->next_sibling)
		c->parent = dst;
	src->parent = src->first_child = NULL;
	src->next_sibling = src->prev_sibling = NULL;
}

/* Deletes the capability in the occupied slot s (see cspace_delete). The
 * slot is consistent again before the reference is dropped. */
static void slot_delete(struct cslot *s)
{
	struct kobj *obj = s->obj;
	uint64_t gen = s->obj_gen;

	tree_reparent_children(s);
	tree_unlink(s);
	slot_release(s);
	if (obj->ops && obj->ops->cap_deleted)
		obj->ops->cap_deleted(obj, gen);
	kobj_put(obj);
}

void cspace_clear(struct cspace *cs)
{
	for (uint32_t i = 0; i < cs->fresh; i++)
		if (cs->slots[i].state == SLOT_USED)
			slot_delete(&cs->slots[i]);
}

static void fill(struct cslot *s, struct kobj *obj, uint32_t rights, uint64_t badge,
		 uint64_t obj_gen, uint32_t flags)
{
	s->obj = obj;
	s->type = obj->type;
	s->rights = (uint8_t)rights;
	s->badge = badge;
	s->obj_gen = obj_gen;
	s->flags = (uint8_t)(flags | (obj->type == OBJ_REPLY ? CAP_FLAG_ONCE : 0));
}

status_t cspace_insert(struct cspace *cs, struct kobj *obj, uint32_t rights, uint64_t badge,
		       uint32_t flags, cap_handle_t *out)
{
	struct cslot *s;
	status_t st;

	if ((rights & ~RIGHTS_ALL) || (flags & ~CAP_FLAG_ONCE))
		return STATUS_INVALID;
	if (obj->dead)
		return STATUS_STALE;
	st = slot_alloc(cs, &s);
	if (st)
		return st;
	fill(s, obj, rights, badge, obj->gen, flags);
	kobj_get(obj);
	*out = handle_of(s);
	return STATUS_OK;
}

/* Makes a child of the checked slot p in dst_cs (see cspace_derive). */
static status_t derive_from(struct cslot *p, struct cspace *dst_cs, uint32_t rights, uint64_t badge,
			    uint32_t flags, cap_handle_t *out)
{
	struct cslot *c;
	status_t st;

	if (rights & ~RIGHTS_ALL)
		return STATUS_INVALID;
	if ((p->flags & CAP_FLAG_ONCE) || (rights & ~(uint32_t)p->rights))
		return STATUS_NO_RIGHTS;
	if (badge != 0 && p->badge != 0)
		return STATUS_NO_RIGHTS;
	st = slot_alloc(dst_cs, &c);
	if (st)
		return st;
	fill(c, p->obj, rights, badge ? badge : p->badge, p->obj_gen, flags);
	tree_add_child(p, c);
	kobj_get(c->obj);
	*out = handle_of(c);
	return STATUS_OK;
}

status_t cspace_derive(struct cspace *src_cs, cap_handle_t src, struct cspace *dst_cs,
		       uint32_t rights, uint64_t badge, cap_handle_t *out)
{
	struct cslot *p;
	status_t st = cspace_check_slot(src_cs, src, OBJ_NONE, RIGHT_GRANT, &p);

	if (st)
		return st;
	return derive_from(p, dst_cs, rights, badge, 0, out);
}

status_t cspace_delete(struct cspace *cs, cap_handle_t h)
{
	struct cslot *s = cspace_slot(cs, h);

	if (!s)
		return STATUS_BAD_CAP;
	slot_delete(s);
	return STATUS_OK;
}

/* Deletes the descendants of root depth first, leaves before their
 * parents. Each node is entered once on the way down and left once per
 * deleted child, so the walk is linear and needs no stack. */
static void delete_descendants(struct cslot *root)
{
	struct cslot *n = root->first_child;
	struct cslot *p;

	while (n) {
		if (n->first_child) {
			n = n->first_child;
			continue;
		}
		p = n->parent;
		slot_delete(n);
		n = p == root ? root->first_child : p;
	}
}

status_t cspace_revoke(struct cspace *cs, cap_handle_t h)
{
	struct cslot *s = cspace_slot(cs, h);

	if (!s)
		return STATUS_BAD_CAP;
	delete_descendants(s);
	return STATUS_OK;
}

status_t cspace_revoke_all(struct cspace *cs, cap_handle_t h)
{
	struct cslot *s;
	status_t st = cspace_check_slot(cs, h, OBJ_NONE, RIGHT_CONTROL, &s);

	if (st)
		return st;
	st = kobj_revoke_all(s->obj);
	if (st)
		return st;
	s->obj_gen = s->obj->gen;
	return STATUS_OK;
}

/* Moves the checked slot s into a new slot of dst_cs (see
 * cspace_transfer). The object reference moves with it. */
static status_t move_to(struct cslot *s, struct cspace *dst_cs, uint32_t rights_mask,
			cap_handle_t *out)
{
	struct cslot *d;
	status_t st = slot_alloc(dst_cs, &d);

	if (st)
		return st;
	fill(d, s->obj, s->rights & rights_mask, s->badge, s->obj_gen, s->flags);
	tree_replace(s, d);
	slot_release(s);
	*out = handle_of(d);
	return STATUS_OK;
}

status_t cspace_transfer(struct cspace *src_cs, cap_handle_t src, struct cspace *dst_cs,
			 enum cap_mode mode, uint32_t rights_mask, cap_handle_t *out)
{
	struct cslot *s;
	status_t st;

	if ((unsigned)mode >= CAP_MODE_COUNT)
		return STATUS_INVALID;
	st = cspace_check_slot(src_cs, src, OBJ_NONE, RIGHT_GRANT, &s);
	if (st)
		return st;
	rights_mask &= RIGHTS_ALL;
	if (mode == CAP_MOVE)
		return move_to(s, dst_cs, rights_mask, out);
	return derive_from(s, dst_cs, s->rights & rights_mask, 0,
			   mode == CAP_GRANT_ONCE ? CAP_FLAG_ONCE : 0, out);
}

status_t cspace_consume_once(struct cspace *cs, cap_handle_t h)
{
	struct cslot *s = cspace_slot(cs, h);

	if (!s)
		return STATUS_BAD_CAP;
	if (s->flags & CAP_FLAG_ONCE)
		slot_delete(s);
	return STATUS_OK;
}

uint32_t cspace_free_slots(const struct cspace *cs)
{
	return cs->nslots - cs->used - cs->retired;
}

/* Returns true if the free queue and the never-used slots past fresh
 * hold exactly the empty slots. */
static bool check_free_queue(const struct cspace *cs)
{
	uint32_t n = 0, last = NIL;

	for (uint32_t i = cs->free_head; i != NIL; i = cs->slots[i].next_free) {
		if (i >= cs->fresh || cs->slots[i].state != SLOT_EMPTY || ++n > cs->nslots)
			return false;
		last = i;
	}
	return last == cs->free_tail && n + (cs->nslots - cs->fresh) == cspace_free_slots(cs);
}

/* Returns true if the occupied slot s agrees with its tree neighbours. */
static bool check_links(const struct cslot *s)
{
	const struct cslot *c, *p = s->parent;

	if (p && (p->state != SLOT_USED || p->obj != s->obj))
		return false;
	if (!s->prev_sibling && p && p->first_child != s)
		return false;
	if (s->prev_sibling && (s->prev_sibling->next_sibling != s || s->prev_sibling->parent != p))
		return false;
	if (s->next_sibling && (s->next_sibling->prev_sibling != s || s->next_sibling->parent != p))
		return false;
	for (c = s->first_child; c; c = c->next_sibling)
		if (c->parent != s || c->state != SLOT_USED)
			return false;
	return true;
}

/* Returns true if the occupied slot s is well formed. */
static bool check_slot(const struct cspace *cs, const struct cslot *s)
{
	if (!s->obj || s->type != s->obj->type || s->obj->refs == 0 ||
	    (s->flags & ~CAP_FLAG_ONCE) || (s->type == OBJ_REPLY && !(s->flags & CAP_FLAG_ONCE)))
		return false;
	if (s->gen == 0 || s->gen > cs->gen_max)
		return false;
	return check_links(s);
}

bool cspace_check(const struct cspace *cs)
{
	uint32_t used = 0, retired = 0;

	if (cs->fresh > cs->nslots)
		return false;
	for (uint32_t i = 0; i < cs->fresh; i++) {
		const struct cslot *s = &cs->slots[i];

		if (s->cs != cs)
			return false;
		if (s->state == SLOT_RETIRED)
			retired++;
		if (s->state != SLOT_USED)
			continue;
		used++;
		if (!check_slot(cs, s))
			return false;
	}
	if (used != cs->used || retired != cs->retired)
		return false;
	return check_free_queue(cs);
}
