/*
 * ipc.h - inboxes as kernel objects, send/call/reply, and signals.
 *
 * An inbox belongs to the thread that created it: its capabilities land
 * in that thread's task's CSpace, and each message raises one bit of that
 * thread's signal word and wakes it if it waits for the bit. A call
 * carries a grant-once reply handle (core/object/replies.h); the caller
 * blocks until the reply arrives, the handle is deleted unused or its
 * holder dies (DEAD), or its timeout passes (TIMEOUT). All calls: lock
 * held.
 */
#ifndef KEEL_CORE_IPC_H
#define KEEL_CORE_IPC_H

#include <stdint.h>
#include <string.h>

#include "abi/message.h"
#include "core/mm/vspace.h"
#include "core/object/inbox.h"
#include "core/object/memory.h"
#include "core/object/replies.h"
#include "core/object/thread.h"

#define INBOX_OBJECTS_MAX 4096

void ipc_init(void);

/* Creates an inbox owned by the calling thread; *ring gets its ring memory.
 * Both come with one reference for the caller. */
status_t ipc_inbox_create(uint32_t capacity, uint32_t bit, struct inbox **out,
			  struct memory **ring);

/* After a post to ib: wakes its owner if it waits for the inbox's bit. */
void ipc_inbox_notify(struct inbox *ib);

/* sys_msg_send and sys_msg_call on behalf of the caller: target is the
 * capability the dispatcher looked up for handle h (an inbox with
 * RIGHT_SEND); msg is the user address of a struct keel_msg. A call takes
 * an entry of the receiving task's table of unanswered calls (FULL when
 * every entry is held, QUOTA when its slot quota cannot pay) and posts
 * the entry's reply handle with the message. */
status_t ipc_send(const struct cap *target, cap_handle_t h, uaddr_t msg, cap_handle_t cap,
		  uint32_t mode);
status_t ipc_call(const struct cap *target, cap_handle_t h, uaddr_t msg, uint64_t timeout_ns);

/* sys_msg_call_regs: ipc_call with the request m in kernel memory (built
 * by ipc_msg_from_regs); on STATUS_OK *reply points at the reply, the
 * calling thread's own copy, until its next call. */
status_t ipc_call_regs(const struct cap *target, cap_handle_t h, const struct keel_msg *m,
		       uint64_t timeout_ns, const struct keel_msg **reply);

/* A register-form message: label and len from head (label in bits 0-31,
 * len in 32-47), the payload from the max / 8 words at w, the bytes past
 * len cleared. A len above max, or any of bits 48-63 of head, is
 * STATUS_INVALID. */
static inline __attribute__((always_inline)) status_t ipc_msg_from_regs(uint64_t head, size_t max,
									const uint64_t *w,
									struct keel_msg *m)
{
	uint64_t len = head >> 32;
	if (len > max) /* also any of bits 48-63 */
		return STATUS_INVALID;
	m->label = (uint32_t)head;
	m->len = (uint16_t)len;
	m->flags = 0;
	m->badge = 0;
	m->cap = CAP_HANDLE_NONE;
	m->reserved = 0;
	msg_payload_from_words(m->payload, w, max / 8, len);
	return STATUS_OK;
}

/* sys_msg_send_regs: ipc_send without a capability, of the message whose
 * header word head (checked: len at most MSG_PAYLOAD_MAX, bits 48-63
 * zero) and payload words w[0..4] came in registers (inbox_post_words). */
status_t ipc_send_regs(const struct cap *target, cap_handle_t h, uint64_t head, const uint64_t *w);

/* sys_msg_send_many: posts the count messages at msgs to target's inbox
 * in order, as ipc_send without a capability, and wakes the owner once.
 * Stops at the first that cannot be posted: STATUS_OK if some were (*sent
 * says how many), that message's status if none was. */
status_t ipc_send_many(const struct cap *target, uaddr_t msgs, size_t count, size_t *sent);

/* sys_msg_reply: answers the call whose reply handle h, entry e of its
 * table (both as the dispatcher found them: held, live), the calling task
 * holds, and frees the handle. */
status_t ipc_reply(struct reply_entry *e, cap_handle_t h, uaddr_t msg, cap_handle_t cap,
		   uint32_t mode);

/* sys_msg_reply_wait: replies as ipc_reply (a caller that is gone is not
 * an error here), then waits as ipc_signal_wait. */
status_t ipc_reply_wait(struct reply_entry *e, cap_handle_t h, uaddr_t msg, cap_handle_t cap,
			uint32_t mode, uint64_t mask, uint64_t timeout_ns, uint64_t *pending);

/* sys_msg_reply_wait_regs: ipc_reply_wait without a capability, with the
 * reply m in kernel memory (built by ipc_msg_from_regs). */
status_t ipc_reply_wait_regs(struct reply_entry *e, cap_handle_t h, struct keel_msg *m,
			     uint64_t mask, uint64_t timeout_ns, uint64_t *pending);

/*
 * The fast path of sys_msg_send_regs, sys_msg_call_regs and
 * sys_msg_reply_wait_regs (ipc.c says which cases it takes): the calling
 * thread t, its arguments as it passed them (handle, head, timeout or
 * mask and timeout, then the payload words at w), and the results as
 * ipc_send_regs, ipc_call_regs and ipc_reply_wait_regs give them.
 * IPC_SLOW, or IPC_AWAY when the other thread's home is another CPU,
 * having changed nothing, when the general path must run the call. The
 * CPU's own lock held.
 */
#define IPC_SLOW ((status_t)0x7ffffff1)
#define IPC_AWAY ((status_t)0x7ffffff2)
status_t ipc_send_regs_fast(struct thread *t, uint64_t h, uint64_t head, const uint64_t *w);
status_t ipc_call_regs_fast(struct thread *t, uint64_t h, uint64_t head, uint64_t timeout_ns,
			    const uint64_t *w, const struct keel_msg **reply);
status_t ipc_reply_wait_regs_fast(struct thread *t, uint64_t h, uint64_t head, uint64_t mask,
				  uint64_t timeout_ns, const uint64_t *w, uint64_t *pending);
/* The same for sys_msg_call and sys_msg_reply_wait without a capability,
 * the message at user address msg. */
status_t ipc_call_fast(struct thread *t, uint64_t h, uaddr_t msg, uint64_t timeout_ns);
status_t ipc_reply_wait_fast(struct thread *t, uint64_t h, uaddr_t msg, uint64_t mask,
			     uint64_t timeout_ns, uint64_t *pending);

/* Frees reply handle h of table r unanswered: a caller still waiting
 * fails with DEAD. Returns STATUS_BAD_CAP if h names no held entry,
 * STATUS_STALE if its call had already ended (the handle is freed all
 * the same), STATUS_OK otherwise. */
status_t ipc_reply_drop(struct replies *r, cap_handle_t h);

/* The task holding r is torn down: every call it holds fails with DEAD,
 * and r holds nothing more. */
void ipc_replies_clear(struct replies *r);

/* Waits for one of mask's bits; takes and returns them in *pending. */
status_t ipc_signal_wait(uint64_t mask, uint64_t timeout_ns, uint64_t *pending);

/* Raises bits in t's signal word and wakes it if it waits for them. */
void ipc_signal_raise(struct thread *t, uint64_t bits);

/* ipc_signal_raise for a caller that may hold only some CPU locks
 * (core/klock.h): takes the ones it needs, or returns STATUS_RELOCK
 * having changed nothing. */
status_t ipc_signal_raise_checked(struct thread *t, uint64_t bits);

/* Arms t's one-shot timer: bit is raised in its signal word at deadline_ns
 * (monotonic). A deadline of 0 disarms it. Re-arming replaces the timer. */
status_t ipc_timer_set(struct thread *t, uint32_t bit, uint64_t deadline_ns);

/* Raises the bits of every timer whose deadline has passed (tick, CPU 0,
 * every lock held). */
void ipc_timers_fire(uint64_t now);

/* Whether a timer is due at now; read without the lock, a hint. */
bool ipc_timer_due(uint64_t now);

/* Sets up the call state of the new user thread t. */
void ipc_thread_init(struct thread *t);

/* t is going away: a call it was waiting in is abandoned. */
void ipc_thread_gone(struct thread *t);

/* Inboxes alive, for statistics. */
uint32_t inbox_count(void);

#endif
