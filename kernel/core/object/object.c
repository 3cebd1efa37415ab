/*
 * object.c - kernel object headers, reference counts and quotas (see
 * object.h).
 *
 * Finishing an object can drop the last reference to others: a task's
 * CSpace holds capabilities to inboxes, memory, other tasks. Calling the
 * destroy callbacks recursively would let a chain of objects overflow the
 * small kernel stack, so objects whose count reaches zero go on a list and
 * the outermost kobj_put drains it in a loop. The list is global state,
 * which is safe because every caller holds the kernel lock.
 */
#include "core/object/object.h"

static struct kobj *reap_list;
static bool reaping;

void quota_init(struct quota *q, uint64_t slots, uint64_t objects, uint64_t pages)
{
	q->limit[QUOTA_SLOTS] = slots;
	q->limit[QUOTA_OBJECTS] = objects;
	q->limit[QUOTA_PAGES] = pages;
	for (int k = 0; k < QUOTA_KINDS; k++)
		q->used[k] = 0;
	q->underflows = 0;
	q->parent = NULL;
	q->drained = NULL;
}

/* The accounts a charge of kind to q reaches: q alone, or for pages q's
 * ancestors too (the chain ends at an account with no parent). */
static struct quota *next_payer(const struct quota *q, enum quota_kind kind)
{
	return kind == QUOTA_PAGES ? q->parent : NULL;
}

status_t quota_charge(struct quota *q, enum quota_kind kind, uint64_t n)
{
	if ((unsigned)kind >= QUOTA_KINDS)
		return STATUS_INVALID;
	for (struct quota *a = q; a; a = next_payer(a, kind))
		if (n > a->limit[kind] - a->used[kind])
			return STATUS_QUOTA;
	for (struct quota *a = q; a; a = next_payer(a, kind))
		a->used[kind] += n;
	return STATUS_OK;
}

uint64_t quota_room(const struct quota *q, enum quota_kind kind)
{
	uint64_t room = UINT64_MAX;
	if ((unsigned)kind >= QUOTA_KINDS)
		return 0;
	for (const struct quota *a = q; a; a = next_payer((struct quota *)a, kind))
		if (a->limit[kind] - a->used[kind] < room)
			room = a->limit[kind] - a->used[kind];
	return room;
}

/* Takes n units of kind off a's own usage (only a kernel bug takes more
 * than there is: counted, and clamped). */
static void uncharge(struct quota *a, enum quota_kind kind, uint64_t n)
{
	if (n > a->used[kind]) {
		a->underflows++;
		n = a->used[kind];
	}
	a->used[kind] -= n;
}

void quota_release(struct quota *q, enum quota_kind kind, uint64_t n)
{
	if (!q || (unsigned)kind >= QUOTA_KINDS)
		return;
	/* The ancestors first: the drained hook below may free q. */
	for (struct quota *a = next_payer(q, kind); a; a = next_payer(a, kind))
		uncharge(a, kind, n);
	uncharge(q, kind, n);
	if (q->drained && !quota_has_objects(q)) {
		void (*drained)(struct quota *) = q->drained;
		q->drained = NULL;
		drained(q); /* may free q */
	}
}

status_t kobj_init(struct kobj *o, enum obj_type type, const struct kobj_ops *ops, struct quota *q,
		   uint64_t pages)
{
	status_t st;

	if (type == OBJ_NONE || (unsigned)type >= OBJ_TYPE_COUNT)
		return STATUS_INVALID;
	st = quota_charge(q, QUOTA_OBJECTS, 1);
	if (st)
		return st;
	st = quota_charge(q, QUOTA_PAGES, pages);
	if (st) {
		quota_release(q, QUOTA_OBJECTS, 1);
		return st;
	}
	o->ops = ops;
	o->quota = q;
	o->reap_next = NULL;
	o->gen = 1;
	o->pages = pages;
	o->refs = 1;
	o->type = (uint8_t)type;
	o->dead = false;
	return STATUS_OK;
}

/* Returns o's charge to its account and lets its owner reclaim the memory.
 * The account and page count are read first: destroy may reuse o. */
static void finish(struct kobj *o)
{
	struct quota *q = o->quota;
	uint64_t pages = o->pages;

	o->dead = true;
	o->gen++;
	if (o->ops && o->ops->destroy)
		o->ops->destroy(o);
	quota_release(q, QUOTA_PAGES, pages);
	quota_release(q, QUOTA_OBJECTS, 1);
}

void kobj_last_put(struct kobj *o)
{
	o->reap_next = reap_list;
	reap_list = o;
	if (reaping)
		return;
	reaping = true;
	while ((o = reap_list) != NULL) {
		reap_list = o->reap_next;
		finish(o);
	}
	reaping = false;
}

void kobj_kill(struct kobj *o)
{
	if (o->dead)
		return;
	o->dead = true;
	o->gen++;
}

status_t kobj_revoke_all(struct kobj *o)
{
	if (o->dead)
		return STATUS_STALE;
	o->gen++;
	return STATUS_OK;
}
