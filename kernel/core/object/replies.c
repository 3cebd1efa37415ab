/* replies.c - a task's table of unanswered calls (see replies.h). */
#include <stddef.h>

#include "core/inline.h"
#include "core/object/replies.h"

void replies_init(struct replies *r, struct reply_entry *e, uint32_t n, struct quota *q)
{
	r->lock = 0;
	r->e = e;
	r->quota = q;
	r->n = n > REPLIES_MAX ? REPLIES_MAX : n;
	r->held = 0;
	r->free_head = r->free_tail = r->n;
	for (uint32_t i = 0; i < r->n; i++) {
		e[i].caller = NULL;
		e[i].gen = 1;
		e[i].next = r->n;
		if (r->free_tail == r->n)
			r->free_head = i;
		else
			e[r->free_tail].next = i;
		r->free_tail = i;
	}
}

/* Inlined into the IPC fast path (core/inline.h). */
LTO_INLINE status_t replies_take(struct replies *r, struct thread *caller, cap_handle_t *out)
{
	uint32_t i = r->free_head;
	status_t st;

	if (i >= r->n)
		return STATUS_FULL;
	if ((st = quota_charge_slot(r->quota)))
		return st;
	struct reply_entry *e = &r->e[i];
	r->free_head = e->next;
	if (r->free_head >= r->n)
		r->free_tail = r->n;
	e->next = REPLY_HELD;
	e->caller = caller;
	r->held++;
	*out = REPLY_HANDLE_BIT | e->gen << REPLY_INDEX_BITS | i;
	return STATUS_OK;
}

bool replies_check(const struct replies *r)
{
	uint32_t free = 0, held = 0, last = r->n;

	for (uint32_t i = r->free_head; i < r->n; i = r->e[i].next) {
		if (++free > r->n || r->e[i].caller || r->e[i].gen == 0 ||
		    r->e[i].gen > REPLY_GEN_MAX)
			return false;
		last = i;
	}
	for (uint32_t i = 0; i < r->n; i++)
		held += r->e[i].next == REPLY_HELD;
	return last == r->free_tail && held == r->held;
}
