/* ipc.c - inbox objects, send/call/reply and signals (see ipc.h). */
#include <stddef.h>

#include "core/klock.h"
#include "core/list.h"
#include "core/ipc.h"
#include "core/mm/kmem.h"
#include "core/panic.h"
#include "core/mm/pool.h"
#include <string.h>
#include "core/object/task.h"
#include "syscall_numbers.h"

static struct pool inbox_pool;
static struct list_node timers = { &timers, &timers }; /* armed, by deadline */
static uint64_t timers_first = UINT64_MAX;             /* the first deadline, for ipc_timer_due */

void ipc_init(void)
{
	kmem_pool_setup(&inbox_pool, "inbox", sizeof(struct inbox), INBOX_OBJECTS_MAX);
}

uint32_t inbox_count(void)
{
	struct pool_stats a;
	pool_stats(&inbox_pool, &a);
	return (uint32_t)a.in_use;
}

static void inbox_destroy(struct kobj *o)
{
	struct inbox *ib = (struct inbox *)o;
	kobj_put(&ib->ring_mem->obj);
	kobj_put(&ib->owner->obj);
	pool_free(&inbox_pool, ib);
}

static const struct kobj_ops inbox_ops = { .destroy = inbox_destroy };

status_t ipc_inbox_create(uint32_t capacity, uint32_t bit, struct inbox **out, struct memory **ring)
{
	struct thread *t = thread_current();
	struct inbox *k;
	struct memory *m;
	if (bit > 63 || capacity == 0 || capacity > 4096 || (capacity & (capacity - 1)))
		return STATUS_INVALID;
	uint64_t pages = (inbox_ring_bytes(capacity) + PAGE_SIZE - 1) / PAGE_SIZE;
	status_t st = pool_alloc(&inbox_pool, (void **)&k);
	if (st)
		return st;
	/* The ring's pages are charged once, by inbox_init, not by the memory object. */
	st = memory_create(NULL, pages, true, &m);
	if (st == STATUS_OK) {
		st = inbox_init(k, arch_phys_to_virt(m->base), capacity, &inbox_ops,
				task_quota(t->task));
		if (st)
			kobj_put(&m->obj);
	}
	if (st) {
		pool_free(&inbox_pool, k);
		return st;
	}
	kobj_get(&m->obj);
	kobj_get(&t->obj);
	k->ring_mem = m;
	k->owner = t;
	inbox_set_owner(k, &t->task->cs, &t->signals, 1ull << bit);
	*out = k;
	*ring = m;
	return STATUS_OK;
}

/* Wakes t if it waits in sys_signal_wait for a bit that is now pending. */
static void wake_if_waiting(struct thread *t)
{
	if (t->wait_mask & t->signals)
		thread_wake(t);
}

void ipc_inbox_notify(struct inbox *ib)
{
	wake_if_waiting(ib->owner);
}

void ipc_signal_raise(struct thread *t, uint64_t bits)
{
	t->signals |= bits;
	wake_if_waiting(t);
}

/*
 * The CPU locks an IPC step needs beyond its own (core/klock.h): those of
 * the home of t, whose signals or inbox it changes, and - when raised
 * makes t's wait end - of the CPU t is handed or woken to. Read with
 * fewer locks than that, so planned again until the plan is covered by
 * the locks held. STATUS_RELOCK (nothing changed yet) when a lower lock
 * was busy. Free when every lock is held.
 */
static __attribute__((noinline)) status_t lock_for_slow(struct thread *t, uint64_t raised,
							bool handoff)
{
	for (;;) {
		uint64_t need = klock_bit(t->se.last_cpu);
		if (t->blocked && (t->wait_mask & (t->signals | raised)))
			need |= handoff ? thread_handoff_locks(t) : thread_wake_locks(t);
		if (!klock_extend(need))
			return STATUS_RELOCK;
		/* The plan was read before its locks were held: enough if t's
		 * home is still among them and, should t be woken, a CPU it may
		 * run on is (thread_wake queues it there if the policy's choice
		 * has moved). */
		if (thread_wake_covered(t))
			return STATUS_OK;
	}
}

static inline status_t lock_for(struct thread *t, uint64_t raised, bool handoff)
{
	if (thread_plan_local(t, t->blocked && (t->wait_mask & (t->signals | raised)), handoff))
		return STATUS_OK;
	return lock_for_slow(t, raised, handoff);
}

/* The locks a send through target needs (lock_for its owner, which it
 * may wake), or every lock when it moves a capability or uses up a
 * grant-once one: those change CSpaces. */
static inline status_t lock_for_send(const struct cap *target, cap_handle_t cap)
{
	if (klock_held())
		return STATUS_OK;
	if (cap != CAP_HANDLE_NONE || (target->flags & CAP_FLAG_ONCE))
		return klock_need_all();
	struct inbox *ib = (struct inbox *)target->obj;
	return lock_for(ib->owner, ib->signal_bit, false);
}

status_t ipc_signal_raise_checked(struct thread *t, uint64_t bits)
{
	if (!klock_held()) {
		status_t st = lock_for(t, bits, false);
		if (st)
			return st;
	}
	ipc_signal_raise(t, bits);
	return STATUS_OK;
}

status_t ipc_signal_wait(uint64_t mask, uint64_t timeout_ns, uint64_t *pending)
{
	struct thread *t = thread_current();
	if (!mask)
		return STATUS_INVALID;
	if (!(t->signals & mask) && timeout_ns != 0) {
		t->wait_mask = mask;
		thread_block(timeout_ns);
		t->wait_mask = 0;
	}
	*pending = t->signals & mask;
	t->signals &= ~mask;
	return *pending ? STATUS_OK : STATUS_TIMEOUT;
}

/* Reads a message from the caller's memory and checks its length; the
 * payload past len is cleared in the kernel's copy, which then travels
 * whole (inbox_post_msg, reply_deliver). */
static inline __attribute__((always_inline)) status_t msg_in(struct task *self, uaddr_t uaddr,
							     struct keel_msg *m)
{
	if (copy_from_user(&self->vs, m, uaddr, sizeof *m))
		return STATUS_BAD_ADDRESS;
	if (m->len > MSG_PAYLOAD_MAX)
		return STATUS_INVALID;
	msg_payload_trim(m);
	return STATUS_OK;
}

/* DEAD if the inbox behind a send capability, or its owner, is gone. */
static status_t inbox_alive(const struct cap *c)
{
	struct inbox *k = (struct inbox *)c->obj;
	if (k->obj.dead || !k->owner->task || k->owner->task->dying)
		return STATUS_DEAD;
	return STATUS_OK;
}

status_t ipc_send(const struct cap *target, cap_handle_t h, uaddr_t msg, cap_handle_t cap,
		  uint32_t mode)
{
	struct task *self = thread_current()->task;
	struct cspace *cs = &self->cs;
	struct inbox *ib = (struct inbox *)target->obj;
	struct keel_msg m;
	status_t st = msg_in(self, msg, &m);
	if (st == STATUS_OK)
		st = inbox_alive(target);
	if (st == STATUS_OK)
		st = lock_for_send(target, cap);
	if (st)
		return st;
	if (cap == CAP_HANDLE_NONE) {
		/* No capability to move: post with the badge already looked up. */
		st = inbox_post_msg(ib, &m, target->badge, CAP_HANDLE_NONE, 0);
		if (st == STATUS_OK && (target->flags & CAP_FLAG_ONCE))
			cspace_consume_once(cs, h);
	} else {
		struct inbox_msg im = {
			.label = m.label,
			.payload = m.payload,
			.len = m.len,
			.cap = cap,
			.cap_mode = (enum cap_mode)mode,
			.cap_rights = RIGHTS_ALL,
		};
		st = inbox_send(cs, h, &im);
	}
	if (st == STATUS_OK)
		ipc_inbox_notify(ib);
	return st;
}

status_t ipc_send_regs(const struct cap *target, cap_handle_t h, uint64_t head, const uint64_t *w)
{
	struct inbox *ib = (struct inbox *)target->obj;
	status_t st = inbox_alive(target);
	if (st == STATUS_OK)
		st = lock_for_send(target, CAP_HANDLE_NONE);
	if (st == STATUS_OK)
		st = inbox_post_words(ib, head, w, target->badge, CAP_HANDLE_NONE);
	if (st)
		return st;
	if (target->flags & CAP_FLAG_ONCE)
		cspace_consume_once(&thread_current()->task->cs, h);
	ipc_inbox_notify(ib);
	return STATUS_OK;
}

status_t ipc_send_many(const struct cap *target, uaddr_t msgs, size_t count, size_t *sent)
{
	struct task *self = thread_current()->task;
	struct inbox *ib = (struct inbox *)target->obj;
	struct keel_msg m;
	status_t st = inbox_alive(target);
	*sent = 0;
	if (st == STATUS_OK && (st = lock_for_send(target, CAP_HANDLE_NONE)))
		return st;
	for (size_t i = 0; st == STATUS_OK && i < count; i++) {
		st = msg_in(self, uaddr_add(msgs, i * sizeof m), &m);
		if (st == STATUS_OK)
			st = inbox_post_msg(ib, &m, target->badge, CAP_HANDLE_NONE, 0);
		if (st == STATUS_OK)
			++*sent;
	}
	if (!*sent)
		return st;
	ipc_inbox_notify(ib); /* one wake-up for the whole batch */
	return STATUS_OK;
}

/*
 * Reply handles. A call takes an entry of the receiving task's table of
 * unanswered calls (core/object/replies.h); the caller's struct reply
 * points back at it. The helpers below are the only code that changes
 * either side of that link.
 */

/* The call held in entry e of r ends for its caller with status st (DEAD:
 * deleted unanswered or the holder died), which is woken. */
static void reply_fail(struct reply_entry *e, status_t st)
{
	struct thread *caller = e->caller;
	if (!caller)
		return;
	e->caller = NULL;
	caller->reply.holder = NULL;
	caller->ipc_pending = false;
	caller->ipc_status = st;
	thread_wake(caller);
}

void ipc_thread_init(struct thread *t)
{
	t->reply.holder = NULL;
	t->reply.index = 0;
}

/* Takes an entry of the receiver's table for the calling thread's call.
 * To the caller a receiver that cannot hold another call - its table or
 * its slot quota spent - is FULL, as a full ring is: its own quota is not
 * what ran out. */
static inline __attribute__((always_inline)) status_t reply_make(struct thread *t, struct inbox *ib,
								 cap_handle_t *h)
{
	struct replies *r = &ib->owner->task->replies;
	table_lock(&r->lock);
	status_t st = replies_take(r, t, h);
	if (st == STATUS_QUOTA)
		st = STATUS_FULL;
	if (st == STATUS_OK) {
		t->reply.holder = r;
		t->reply.index = (uint32_t)*h & (REPLIES_MAX - 1);
	}
	table_unlock(&r->lock);
	return st;
}

/* Drops a call whose reply will not come: its handle goes stale, and
 * stays held until the receiver uses or deletes it. */
static void reply_abandon(struct thread *t)
{
	if (!t->ipc_pending)
		return;
	t->ipc_pending = false;
	struct replies *r = t->reply.holder;
	if (r) {
		table_lock(&r->lock);
		r->e[t->reply.index].caller = NULL;
		table_unlock(&r->lock);
		t->reply.holder = NULL;
	}
}

/* The locks to end, by a reply or its refusal, the call held in r under
 * handle h (lock_for its caller), or OK when it has none. caller is the
 * entry's caller as lock_for_reply read it, without the table's lock; the
 * plan made for it is checked under that lock once its locks are held,
 * and made again for what the check read. caller stays a live record
 * meanwhile: a thread is freed holding every lock, and this CPU's is held. */
static __attribute__((noinline)) status_t lock_for_reply_slow(struct replies *r, cap_handle_t h,
							      bool handoff, struct thread *caller)
{
	for (;;) {
		/* Its wait ends whatever its mask (ipc_pending). */
		uint64_t need = klock_bit(caller->se.last_cpu);
		if (caller->blocked)
			need |= handoff ? thread_handoff_locks(caller) : thread_wake_locks(caller);
		if (!klock_extend(need))
			return STATUS_RELOCK;
		table_lock(&r->lock);
		struct reply_entry *f = replies_find(r, h);
		caller = f ? f->caller : NULL;
		bool covered = !caller || thread_wake_covered(caller);
		table_unlock(&r->lock);
		if (covered) /* as in lock_for_slow */
			return STATUS_OK;
	}
}

static inline status_t lock_for_reply(struct replies *r, struct reply_entry *e, cap_handle_t h,
				      bool handoff)
{
	/* The entry's caller (e: the dispatcher's find, or NULL), read
	 * without the table's lock: only its own thread, on its home CPU,
	 * clears it (reply_abandon), and the holder frees the entry - checked
	 * again under the lock (reply_deliver, ipc_reply_drop). */
	if (!e)
		e = replies_find(r, h);
	struct thread *c = e ? __atomic_load_n(&e->caller, __ATOMIC_RELAXED) : NULL;
	if (!c || thread_plan_local(c, c->blocked, handoff))
		return STATUS_OK;
	return lock_for_reply_slow(r, h, handoff, c);
}

status_t ipc_reply_drop(struct replies *r, cap_handle_t h)
{
	if (!klock_held()) {
		status_t lk = lock_for_reply(r, NULL, h, false);
		if (lk)
			return lk;
	}
	table_lock(&r->lock);
	struct reply_entry *e = replies_find(r, h);
	status_t st = STATUS_BAD_CAP;
	if (e) {
		st = e->caller ? STATUS_OK : STATUS_STALE;
		reply_fail(e, STATUS_DEAD);
		replies_free(r, e);
	}
	table_unlock(&r->lock);
	return st;
}

void ipc_replies_clear(struct replies *r)
{
	for (uint32_t i = 0; i < r->n; i++)
		if (r->e[i].next == REPLY_HELD) {
			reply_fail(&r->e[i], STATUS_DEAD);
			replies_free(r, &r->e[i]);
		}
	r->n = 0;
	r->free_head = r->free_tail = 0;
}

/* Publishes the first armed deadline for ipc_timer_due. */
static void timers_note_first(void)
{
	uint64_t first = list_empty(&timers)
				 ? UINT64_MAX
				 : container_of(timers.next, struct thread, timer_link)->timer_ns;
	__atomic_store_n(&timers_first, first, __ATOMIC_RELAXED);
}

void ipc_thread_gone(struct thread *t)
{
	reply_abandon(t);
	if (!list_unlinked(&t->timer_link)) {
		list_del(&t->timer_link);
		timers_note_first();
	}
}

status_t ipc_timer_set(struct thread *t, uint32_t bit, uint64_t deadline_ns)
{
	if (bit > 63)
		return STATUS_INVALID;
	if (!list_unlinked(&t->timer_link))
		list_del(&t->timer_link);
	if (deadline_ns != 0) {
		t->timer_ns = deadline_ns;
		t->timer_bit = 1ull << bit;
		struct list_node *n = timers.next;
		while (n != &timers &&
		       container_of(n, struct thread, timer_link)->timer_ns <= deadline_ns)
			n = n->next;
		list_add_before(n, &t->timer_link);
	}
	timers_note_first();
	return STATUS_OK;
}

bool ipc_timer_due(uint64_t now)
{
	return __atomic_load_n(&timers_first, __ATOMIC_RELAXED) <= now;
}

void ipc_timers_fire(uint64_t now)
{
	while (!list_empty(&timers)) {
		struct thread *t = container_of(timers.next, struct thread, timer_link);
		if (t->timer_ns > now)
			break;
		list_del(&t->timer_link);
		ipc_signal_raise(t, t->timer_bit);
	}
	timers_note_first();
}

/* Gives back the entry reply_make took, when its request was not posted. */
static void reply_unmake(struct thread *t, struct inbox *ib, cap_handle_t rh)
{
	struct replies *r = &ib->owner->task->replies;
	t->reply.holder = NULL;
	table_lock(&r->lock);
	replies_free(r, replies_find(r, rh));
	table_unlock(&r->lock);
}

/* A call whose request is posted to rx's inbox waits for its reply, in
 * t->ipc_msg when this returns STATUS_OK. */
static inline __attribute__((always_inline)) status_t call_wait(struct thread *t, struct thread *rx,
								uint64_t timeout_ns, bool ready)
{
	t->ipc_pending = true;
	t->ipc_status = STATUS_TIMEOUT;
	uint64_t timeout = timeout_ns == UINT64_MAX ? TIMEOUT_NEVER : timeout_ns;
	if (ready) /* the fast path found it so */
		thread_block_handoff_ready(rx, timeout);
	else if (rx->wait_mask & rx->signals)
		thread_block_handoff(rx, timeout); /* the receiver is waiting: go to it */
	else
		thread_block(timeout);
	if (t->ipc_pending) {
		reply_abandon(t);
		return STATUS_TIMEOUT;
	}
	return t->ipc_status;
}

/* ipc_call and ipc_call_regs once the request m is read: posts it and
 * waits; the reply is in t->ipc_msg when this returns STATUS_OK. */
static inline __attribute__((always_inline)) status_t call_post_wait(struct thread *t,
								     const struct cap *target,
								     cap_handle_t h,
								     const struct keel_msg *m,
								     uint64_t timeout_ns)
{
	cap_handle_t rh;
	status_t st = inbox_alive(target);
	if (st)
		return st;
	struct inbox *ib = (struct inbox *)target->obj;
	if (!klock_held()) {
		/* A grant-once capability's use changes the caller's CSpace. */
		if (target->flags & CAP_FLAG_ONCE)
			return klock_need_all();
		if ((st = lock_for(ib->owner, ib->signal_bit, true)))
			return st;
	}
	if ((st = reply_make(t, ib, &rh)))
		return st;
	/* A full ring is FULL here; the reply entry goes again. */
	st = inbox_post_msg(ib, m, target->badge, rh, MSG_FLAG_CAP | MSG_FLAG_CAP_ONCE);
	if (st) {
		reply_unmake(t, ib, rh);
		return st;
	}
	if (target->flags & CAP_FLAG_ONCE)
		cspace_consume_once(&t->task->cs, h);
	return call_wait(t, ib->owner, timeout_ns, false);
}

status_t ipc_call(const struct cap *target, cap_handle_t h, uaddr_t msg, uint64_t timeout_ns)
{
	struct thread *t = thread_current();
	struct keel_msg m;
	status_t st = msg_in(t->task, msg, &m);
	if (st == STATUS_OK)
		st = call_post_wait(t, target, h, &m, timeout_ns);
	if (st == STATUS_OK && copy_to_user(&t->task->vs, msg, &t->ipc_msg, sizeof t->ipc_msg))
		return STATUS_BAD_ADDRESS;
	return st;
}

status_t ipc_call_regs(const struct cap *target, cap_handle_t h, const struct keel_msg *m,
		       uint64_t timeout_ns, const struct keel_msg **reply)
{
	struct thread *t = thread_current();
	status_t st = call_post_wait(t, target, h, m, timeout_ns);
	*reply = &t->ipc_msg;
	return st;
}

/* The reply to the call held in entry e of r is in caller->ipc_msg: the
 * call has ended, and its handle goes. Under the table's lock. */
static inline __attribute__((always_inline)) void reply_stored(struct replies *r,
							       struct reply_entry *e,
							       struct thread *caller)
{
	caller->ipc_status = STATUS_OK;
	caller->ipc_pending = false;
	caller->reply.holder = NULL;
	replies_free(r, e);
}

/* The header of a reply as its caller gets it: the kernel's fields, not
 * the replier's - no badge, and the capability given with it (or none). */
static inline void reply_header(struct keel_msg *m, cap_handle_t given, uint32_t mode)
{
	m->flags = given ? MSG_FLAG_CAP | (mode == CAP_GRANT_ONCE ? MSG_FLAG_CAP_ONCE : 0) : 0;
	m->badge = 0;
	m->cap = given;
	m->reserved = 0;
}

/* Delivers the reply m (its payload past len zero) to the caller waiting
 * on the reply handle (and its entry e) the dispatcher checked; *woken
 * gets the thread to wake (NULL when there was none). handoff: the
 * replier then waits, handing its CPU to the caller (the locks to plan). */
static inline __attribute__((always_inline)) status_t reply_deliver_msg(
	struct task *self, struct reply_entry *e, cap_handle_t reply, struct keel_msg *mp,
	cap_handle_t cap, uint32_t mode, bool handoff, struct thread **woken)
{
	struct replies *r = &self->replies;
	status_t st;
	*woken = NULL;
	if (!e)
		return STATUS_BAD_CAP; /* not a reply handle */
	if (!klock_held()) {
		/* A capability's transfer changes CSpaces. */
		if (cap != CAP_HANDLE_NONE)
			return klock_need_all();
		if ((st = lock_for_reply(r, e, reply, handoff)))
			return st;
		/* Another thread of this task may have used the handle since
		 * the dispatcher's check: look again, under the table's lock. */
		table_lock(&r->lock);
		if (!replies_still_held(e, reply)) {
			table_unlock(&r->lock);
			return STATUS_BAD_CAP;
		}
	} else {
		table_lock(&r->lock);
	}
	struct thread *caller = e->caller;
	if (!caller || caller->kill_pending) {
		reply_fail(e, STATUS_DEAD);
		replies_free(r, e);
		table_unlock(&r->lock);
		return STATUS_DEAD;
	}
	cap_handle_t given = CAP_HANDLE_NONE;
	if (cap != CAP_HANDLE_NONE &&
	    (st = cspace_transfer(&self->cs, cap, &caller->task->cs, (enum cap_mode)mode,
				  RIGHTS_ALL, &given))) {
		table_unlock(&r->lock);
		return st;
	}
	/* Whole: msg_in or ipc_msg_from_regs cleared the payload past len. */
	reply_header(mp, given, mode);
	caller->ipc_msg = *mp;
	reply_stored(r, e, caller);
	table_unlock(&r->lock);
	*woken = caller;
	return STATUS_OK;
}

/* reply_deliver_msg for the message at user address msg. */
static status_t reply_deliver(struct task *self, struct reply_entry *e, cap_handle_t reply,
			      uaddr_t msg, cap_handle_t cap, uint32_t mode, bool handoff,
			      struct thread **woken)
{
	struct keel_msg m;
	status_t st = msg_in(self, msg, &m);
	if (st)
		return st;
	return reply_deliver_msg(self, e, reply, &m, cap, mode, handoff, woken);
}

status_t ipc_reply(struct reply_entry *e, cap_handle_t reply, uaddr_t msg, cap_handle_t cap,
		   uint32_t mode)
{
	struct thread *caller = NULL;
	status_t st = reply_deliver(thread_current()->task, e, reply, msg, cap, mode, false,
				    &caller);
	if (caller)
		thread_wake(caller);
	return st;
}

/* The wait of ipc_reply_wait and ipc_reply_wait_regs, after the reply went
 * to caller (NULL: there was none). */
static inline __attribute__((always_inline)) status_t reply_then_wait(struct thread *t,
								      struct thread *caller,
								      uint64_t mask,
								      uint64_t timeout_ns,
								      uint64_t *pending, bool ready)
{
	if (!(t->signals & mask) && timeout_ns != 0) {
		t->wait_mask = mask;
		/* Straight back to the caller, which usually last ran here. */
		if (ready) /* the fast path found it so */
			thread_block_handoff_ready(caller, timeout_ns == UINT64_MAX ? TIMEOUT_NEVER
										    : timeout_ns);
		else if (caller)
			thread_block_handoff(caller,
					     timeout_ns == UINT64_MAX ? TIMEOUT_NEVER : timeout_ns);
		else
			thread_block(timeout_ns == UINT64_MAX ? TIMEOUT_NEVER : timeout_ns);
		t->wait_mask = 0;
	} else if (caller) {
		thread_wake(caller);
	}
	*pending = t->signals & mask;
	t->signals &= ~mask;
	return *pending ? STATUS_OK : STATUS_TIMEOUT;
}

status_t ipc_reply_wait(struct reply_entry *e, cap_handle_t reply, uaddr_t msg, cap_handle_t cap,
			uint32_t mode, uint64_t mask, uint64_t timeout_ns, uint64_t *pending)
{
	struct thread *t = thread_current(), *caller = NULL;
	if (!mask)
		return STATUS_INVALID;
	bool waits = !(t->signals & mask) && timeout_ns != 0; /* then hands off */
	status_t st = reply_deliver(t->task, e, reply, msg, cap, mode, waits, &caller);
	if (st && st != STATUS_DEAD)
		return st;
	return reply_then_wait(t, caller, mask, timeout_ns, pending, false);
}

status_t ipc_reply_wait_regs(struct reply_entry *e, cap_handle_t reply, struct keel_msg *m,
			     uint64_t mask, uint64_t timeout_ns, uint64_t *pending)
{
	struct thread *t = thread_current(), *caller = NULL;
	if (!mask)
		return STATUS_INVALID;
	bool waits = !(t->signals & mask) && timeout_ns != 0; /* then hands off */
	status_t st = reply_deliver_msg(t->task, e, reply, m, CAP_HANDLE_NONE, 0, waits, &caller);
	if (st && st != STATUS_DEAD)
		return st;
	return reply_then_wait(t, caller, mask, timeout_ns, pending, false);
}

/*
 * The fast path. A server's turn on one CPU - a call to a receiver that
 * waits here, answered by a reply with the next wait - is the common
 * case, and it needs none of the general path's layers: the dispatcher's
 * record of each argument, the message built on the stack and copied
 * again, the plan of the locks, the generic hand-off's second look.
 * Each function below makes the general path's checks and has its
 * effects, for that case alone: a call (in registers or in memory) is
 * checked as the dispatcher checks its capability, posted to the ring
 * with a reply entry, and hands the CPU to the receiver; a reply (in
 * registers, or in memory without a capability) is stored for the
 * caller, its entry freed, and the CPU handed back; a send in registers
 * to a receiver that need not be woken is posted. Anything else -
 * another CPU involved, a receiver that does not wait, a grant-once
 * capability, a full ring or table, a thread to kill or stop, and every
 * error - returns IPC_SLOW (IPC_AWAY for another CPU) having changed
 * nothing, and the general path runs the call (syscall_invoke), so an
 * error is the general path's, in its order. Only the CPU's own lock is
 * held (core/klock.h): every thread touched has this CPU as its home.
 */

/* The slot of handle h in *out, checked as the dispatcher checks a send
 * capability to an inbox, not grant-once, whose owner is alive and at
 * home on this CPU: STATUS_OK. IPC_AWAY when the owner's home is another
 * CPU - tested as soon as it can be, since it sends IPC across CPUs to
 * the general path call after call - and IPC_SLOW for anything else. */
static inline __attribute__((always_inline)) status_t fast_inbox(struct thread *t, uint64_t h,
								 unsigned cpu, struct cslot **out)
{
	if (h >> 31) /* a reply handle, or bits above 31 */
		return IPC_SLOW;
	struct cslot *s = cspace_slot(&t->task->cs, (cap_handle_t)h);
	if (!s || s->type != OBJ_INBOX)
		return IPC_SLOW;
	struct thread *rx = ((struct inbox *)s->obj)->owner;
	if (rx->se.last_cpu != (int)cpu)
		return IPC_AWAY;
	if (s->obj->dead || s->obj_gen != s->obj->gen || !(s->rights & RIGHT_SEND) ||
	    (s->flags & CAP_FLAG_ONCE) || !rx->task || rx->task->dying)
		return IPC_SLOW;
	*out = s;
	return STATUS_OK;
}

status_t ipc_send_regs_fast(struct thread *t, uint64_t h, uint64_t head, const uint64_t *w)
{
	struct cslot *s;
	status_t st = fast_inbox(t, h, (unsigned)arch_cpu_id(), &s);
	if (st)
		return st;
	if ((head >> 32) > MSG_PAYLOAD_MAX)
		return IPC_SLOW;
	struct inbox *ib = (struct inbox *)s->obj;
	struct thread *rx = ib->owner;
	/* A receiver that waits for the bit is woken by the general path. */
	if (rx->blocked && (rx->wait_mask & ib->signal_bit))
		return IPC_SLOW;
	return inbox_post_words(ib, head, w, s->badge, CAP_HANDLE_NONE) ? IPC_SLOW : STATUS_OK;
}

/* A call through handle h to a receiver that waits at home here, to be
 * handed this CPU (thread_block_handoff): its slot in *out. */
static inline __attribute__((always_inline)) status_t call_fast_target(struct thread *t, uint64_t h,
								       unsigned cpu,
								       struct cslot **out)
{
	if (t->return_work)
		return IPC_SLOW;
	status_t st = fast_inbox(t, h, cpu, out);
	if (st)
		return st;
	struct inbox *ib = (struct inbox *)(*out)->obj;
	struct thread *rx = ib->owner;
	if (!rx->blocked || !(rx->wait_mask & ib->signal_bit) || !thread_handoff_here(rx, cpu))
		return IPC_SLOW;
	return STATUS_OK;
}

/* Posts the request - the message m, or the header word head and the
 * words w when m is NULL - with a reply entry to the inbox behind s, and
 * waits, the CPU handed to the receiver. */
static inline __attribute__((always_inline)) status_t call_fast_post(
	struct thread *t, struct cslot *s, const struct keel_msg *m, uint64_t head,
	const uint64_t *w, uint64_t timeout_ns)
{
	struct inbox *ib = (struct inbox *)s->obj;
	cap_handle_t rh;
	if (reply_make(t, ib, &rh))
		return IPC_SLOW;
	status_t st = m ? inbox_post_msg(ib, m, s->badge, rh, MSG_FLAG_CAP | MSG_FLAG_CAP_ONCE)
			: inbox_post_words(ib, head, w, s->badge, rh);
	if (st) {
		reply_unmake(t, ib, rh); /* a full ring */
		return IPC_SLOW;
	}
	return call_wait(t, ib->owner, timeout_ns, true);
}

status_t ipc_call_regs_fast(struct thread *t, uint64_t h, uint64_t head, uint64_t timeout_ns,
			    const uint64_t *w, const struct keel_msg **reply)
{
	struct cslot *s;
	/* A request of at most MSG_CALL_REGS_MAX bytes with bits 48-63 clear. */
	if ((head >> 32) > MSG_CALL_REGS_MAX)
		return IPC_SLOW;
	status_t st = call_fast_target(t, h, (unsigned)arch_cpu_id(), &s);
	if (st)
		return st;
	*reply = &t->ipc_msg;
	return call_fast_post(t, s, NULL, head, w, timeout_ns);
}

status_t ipc_call_fast(struct thread *t, uint64_t h, uaddr_t msg, uint64_t timeout_ns)
{
	struct cslot *s;
	struct keel_msg m;
	status_t st = call_fast_target(t, h, (unsigned)arch_cpu_id(), &s);
	if (st)
		return st;
	if (msg_in(t->task, msg, &m))
		return IPC_SLOW;
	st = call_fast_post(t, s, &m, 0, NULL, timeout_ns);
	if (st == STATUS_OK && copy_to_user(&t->task->vs, msg, &t->ipc_msg, sizeof t->ipc_msg))
		return STATUS_BAD_ADDRESS;
	return st;
}

/* A reply through handle h, then a wait for mask: the caller at home
 * here, waiting, to be handed this CPU. Its entry in *out_e, the caller
 * in *out_c, as lock_for_reply reads it (checked again under the table's
 * lock). */
static inline __attribute__((always_inline)) status_t reply_fast_target(
	struct thread *t, uint64_t h, uint64_t mask, uint64_t timeout_ns, unsigned cpu,
	struct reply_entry **out_e, struct thread **out_c)
{
	struct reply_entry *e = replies_find(&t->task->replies, h);
	if (!e)
		return IPC_SLOW;
	struct thread *c = __atomic_load_n(&e->caller, __ATOMIC_RELAXED);
	if (!c || !c->blocked)
		return IPC_SLOW;
	if (c->se.last_cpu != (int)cpu)
		return IPC_AWAY;
	if (!(mask && timeout_ns) || (t->signals & mask) || t->return_work || c->kill_pending ||
	    !thread_handoff_here(c, cpu))
		return IPC_SLOW;
	*out_e = e;
	*out_c = c;
	return STATUS_OK;
}

/* Stores the reply for caller c of entry e under handle h - the message
 * m, its header fields past len as a reply without a capability has
 * them, or built from head and w when m is NULL - ends the call, and
 * waits, the CPU handed back to c. */
static inline __attribute__((always_inline)) status_t reply_fast_wait(
	struct thread *t, uint64_t h, struct reply_entry *e, struct thread *c,
	const struct keel_msg *m, uint64_t head, const uint64_t *w, uint64_t mask,
	uint64_t timeout_ns, uint64_t *pending)
{
	struct replies *r = &t->task->replies;
	table_lock(&r->lock);
	if (!replies_still_held(e, h) || e->caller != c) {
		table_unlock(&r->lock);
		return IPC_SLOW;
	}
	if (m) {
		c->ipc_msg = *m;
		reply_header(&c->ipc_msg, CAP_HANDLE_NONE, 0);
	} else {
		ipc_msg_from_regs(head, MSG_REPLY_REGS_MAX, w, &c->ipc_msg);
	}
	reply_stored(r, e, c);
	table_unlock(&r->lock);
	return reply_then_wait(t, c, mask, timeout_ns, pending, true);
}

status_t ipc_reply_wait_regs_fast(struct thread *t, uint64_t h, uint64_t head, uint64_t mask,
				  uint64_t timeout_ns, const uint64_t *w, uint64_t *pending)
{
	struct reply_entry *e;
	struct thread *c;
	status_t st = reply_fast_target(t, h, mask, timeout_ns, (unsigned)arch_cpu_id(), &e, &c);
	if (st)
		return st;
	/* A reply of at most MSG_REPLY_REGS_MAX bytes with bits 48-63 clear. */
	if ((head >> 32) > MSG_REPLY_REGS_MAX)
		return IPC_SLOW;
	return reply_fast_wait(t, h, e, c, NULL, head, w, mask, timeout_ns, pending);
}

status_t ipc_reply_wait_fast(struct thread *t, uint64_t h, uaddr_t msg, uint64_t mask,
			     uint64_t timeout_ns, uint64_t *pending)
{
	struct reply_entry *e;
	struct thread *c;
	struct keel_msg m;
	status_t st = reply_fast_target(t, h, mask, timeout_ns, (unsigned)arch_cpu_id(), &e, &c);
	if (st)
		return st;
	if (msg_in(t->task, msg, &m))
		return IPC_SLOW;
	return reply_fast_wait(t, h, e, c, &m, 0, NULL, mask, timeout_ns, pending);
}
