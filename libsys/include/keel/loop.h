/*
 * keel/loop.h - the event loop every Keel service runs.
 *
 * A service registers what it reacts to - messages by label, signal bits
 * (interrupts, channel doorbells), timers, a heartbeat - and calls
 * loop_run(). Each turn makes exactly one wait, for the union of the bits
 * of interest and with the nearest deadline as timeout, and then handles
 * everything that is ready, so under load one system call serves many
 * messages:
 *
 *     loop_turn:  wait(mask, nearest deadline - now)     one kernel entry
 *                 signal handlers, once per pending bit, in bit order
 *                 expired timers, earliest first
 *                 heartbeat, if due
 *                 drain the inbox: dispatch by label, reply to calls
 *
 * The inbox is drained last so that the reply to its last message can go
 * out with the next turn's wait in one sys_msg_reply_wait; a reply is held
 * that way only when the ring is empty after it, and only until the next
 * kernel call the loop makes. A program that drives loop_turn itself and
 * then stops calls loop_flush() to send a held reply (loop_run does).
 *
 * All state is in the caller-owned struct loop; every kernel call goes
 * through the struct sysops given to loop_init (host tests pass a fake).
 * One thread runs a loop; handlers run on it and may call any loop_*
 * function except loop_run and loop_turn.
 *
 * The reply convention. A message carrying a grant-once capability
 * (MSG_FLAG_CAP | MSG_FLAG_CAP_ONCE, what sys_msg_call gives) is a call:
 * the capability is its reply capability. The handler fills
 * struct loop_reply and returns a status:
 *   STATUS_OK, reply->msg.label != 0   the loop sends reply->msg (with
 *                                      reply->cap, if any)
 *   STATUS_OK, reply->msg.label == 0   no answer now: the handler kept
 *                                      msg->cap and answers later with
 *                                      loop_reply()
 *   anything else                      the loop answers LOOP_REPLY_ERROR
 *                                      carrying that status
 * A message without a reply capability is a send: there is nothing to
 * answer; a handler error is only counted. A message whose label has no
 * handler goes to the unknown handler, by default loop_unknown_default,
 * which returns STATUS_NOT_FOUND (so a call gets LOOP_REPLY_ERROR) and
 * deletes any other capability the message brought, so a stranger cannot
 * fill the service's CSpace.
 */
#ifndef KEEL_LOOP_H
#define KEEL_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include "abi/message.h"
#include "abi/status.h"
#include "keel/sysops.h"

#define LOOP_MSG_HANDLERS_MAX 32 /* labels a loop dispatches */
#define LOOP_TIMERS_MAX 32       /* timers armed at once */
#define LOOP_SIGNAL_BITS 64

/*
 * LOOP_REPLY_ERROR: the reply to a call that failed. Labels 0xe770xxxx are
 * reserved for libsys's own replies; protocols do not use them.
 *   payload  0 status  u32  why (status_t, never STATUS_OK)
 *            4 label   u32  the label of the call that failed
 *   len 8
 */
#define LOOP_REPLY_ERROR 0xe7700001u
#define LOOP_REPLY_ERROR_LEN 8

struct loop;

/* What a message handler answers (see the reply convention above). The
 * loop zeroes it before each call; cap is CAP_HANDLE_NONE or a capability
 * to transfer with the reply in mode (CAP_COPY, CAP_MOVE, CAP_GRANT_ONCE). */
struct loop_reply {
	struct keel_msg msg;
	cap_handle_t cap;
	uint32_t mode;
};

/* Handles msg, a copy out of the inbox ring that the handler may keep. */
typedef status_t loop_msg_fn(struct loop *loop, const struct keel_msg *msg,
			     struct loop_reply *reply, void *ctx);

/* Handles signal bit, which was pending when the loop's wait returned. */
typedef void loop_signal_fn(struct loop *loop, unsigned bit, void *ctx);

/* A timer or the heartbeat is due; now is the clock read after the wait. */
typedef void loop_timer_fn(struct loop *loop, uint64_t now, void *ctx);

/* Names an armed timer for loop_timer_cancel; never 0. */
typedef uint64_t loop_timer_id;

/* Counters that tests and measurements read; the loop only adds to them. */
struct loop_stats {
	uint64_t turns;          /* loop_turn calls */
	uint64_t waits;          /* waits made: sys_signal_wait or sys_msg_reply_wait */
	uint64_t wakeups;        /* waits that returned pending bits */
	uint64_t timeouts;       /* waits that ended with STATUS_TIMEOUT */
	uint64_t wait_errors;    /* waits that failed otherwise */
	uint64_t messages;       /* inbox messages dispatched */
	uint64_t unknown;        /* of which went to the unknown handler */
	uint64_t handler_errors; /* message handlers that returned an error */
	uint64_t replies;        /* replies the kernel accepted, error replies included */
	uint64_t reply_errors;   /* replies the kernel refused */
	uint64_t unanswerable;   /* handler answers to sends, which have no reply cap */
	uint64_t signals;        /* signal handler calls */
	uint64_t stray_signals;  /* pending bits without a handler */
	uint64_t timers;         /* timer callbacks */
	uint64_t heartbeats;     /* heartbeat callbacks */
};

/* The fields below are the loop's own: read stats, leave the rest. */
struct loop_handler {
	uint32_t label;
	loop_msg_fn *fn;
	void *ctx;
};

struct loop_signal {
	loop_signal_fn *fn;
	void *ctx;
};

struct loop_timer {
	uint64_t deadline;
	loop_timer_id id; /* also the tie-break: earlier-armed fires first */
	loop_timer_fn *fn;
	void *ctx;
};

struct loop {
	const struct sysops *ops;
	struct inbox_ring *ring;
	uint64_t inbox_bit; /* 1 << the inbox's signal bit */
	uint64_t mask;      /* inbox_bit | bits with a signal handler */
	bool stopped;

	struct loop_handler handlers[LOOP_MSG_HANDLERS_MAX]; /* sorted by label */
	unsigned nhandlers;
	struct loop_handler unknown; /* label unused */
	struct loop_signal signals[LOOP_SIGNAL_BITS];

	struct loop_timer timers[LOOP_TIMERS_MAX]; /* min-heap on (deadline, id) */
	unsigned ntimers;
	loop_timer_id next_timer_id;

	uint64_t beat_period; /* 0: no heartbeat */
	uint64_t beat_next;
	loop_timer_fn *beat_fn;
	void *beat_ctx;

	bool held; /* a reply waits for the next wait */
	cap_handle_t held_to;
	struct loop_reply held_reply;

	struct loop_stats stats;
};

/*
 * Prepares loop to serve the inbox whose ring is mapped at ring and which
 * raises signal bit inbox_bit, with kernel operations ops (kept by
 * pointer: it must outlive the loop). Returns STATUS_INVALID for a NULL
 * ops or ring, a bit above 63 or a ring whose capacity is not a power of
 * two.
 */
status_t loop_init(struct loop *loop, const struct sysops *ops, struct inbox_ring *ring,
		   unsigned inbox_bit);

/*
 * Opens the calling task's inbox for a loop to serve: creates an inbox of
 * slots messages (a power of two) that raises signal bit, and maps its
 * ring read-write where keel_map chooses (keel/map.h), so that services
 * never pick a fixed address for it. On success *inbox is the inbox
 * capability, every right (derive send capabilities from it for clients),
 * and *ring the mapped ring, ready for loop_init(loop, ops, *ring, bit).
 * Returns sys_inbox_create's or keel_map's status on failure, with
 * nothing left behind. Unlike the rest of the loop it makes real system
 * calls, not calls through sysops: it runs once, before there is a loop.
 */
status_t loop_inbox_open(uint32_t slots, unsigned bit, cap_handle_t *inbox,
			 struct inbox_ring **ring);

/* Dispatches messages labelled label to fn(loop, msg, reply, ctx).
 * STATUS_EXISTS if label has a handler, STATUS_FULL if
 * LOOP_MSG_HANDLERS_MAX labels have, STATUS_INVALID for a NULL fn. */
status_t loop_on_msg(struct loop *loop, uint32_t label, loop_msg_fn *fn, void *ctx);

/* Replaces the handler of labels nobody registered; NULL restores
 * loop_unknown_default. */
void loop_on_unknown(struct loop *loop, loop_msg_fn *fn, void *ctx);

/* The default unknown handler: deletes a capability that is not a reply
 * capability and returns STATUS_NOT_FOUND. */
status_t loop_unknown_default(struct loop *loop, const struct keel_msg *msg,
			      struct loop_reply *reply, void *ctx);

/* Adds bit to the wait mask and calls fn when it is pending; a NULL fn
 * removes the bit. STATUS_INVALID for a bit above 63 or the inbox's bit,
 * STATUS_EXISTS if the bit has a handler already. */
status_t loop_on_signal(struct loop *loop, unsigned bit, loop_signal_fn *fn, void *ctx);

/*
 * Arms a one-shot timer: fn runs in the first turn whose clock reading is
 * at or past deadline_ns (sys_clock_read time). Timers due in the same
 * turn run in deadline order, ties in the order they were armed. A timer
 * armed by a handler or callback during a turn runs no earlier than the
 * next turn, so a periodic timer that re-arms itself cannot starve the
 * loop. *id (if id is not
 * NULL) names it for loop_timer_cancel. STATUS_FULL when LOOP_TIMERS_MAX
 * timers are armed, STATUS_INVALID for a NULL fn.
 */
status_t loop_timer_add(struct loop *loop, uint64_t deadline_ns, loop_timer_fn *fn, void *ctx,
			loop_timer_id *id);

/* Disarms a timer; STATUS_NOT_FOUND if it already ran or never existed. */
status_t loop_timer_cancel(struct loop *loop, loop_timer_id id);

/*
 * Calls fn every period_ns, the first time period_ns from now (this reads
 * the clock and returns its status). A loop kept busy past several beats
 * beats once and schedules the next beat one period later, rather than
 * beating in a burst. period_ns 0 stops the heartbeat.
 */
status_t loop_set_heartbeat(struct loop *loop, uint64_t period_ns, loop_timer_fn *fn, void *ctx);

/*
 * One turn: one wait, then every ready signal, timer, heartbeat and
 * message (see the top of this file). Returns STATUS_OK (a timeout is a
 * normal turn) or the failed wait's or clock read's status; in that case
 * nothing was handled.
 */
status_t loop_turn(struct loop *loop);

/* Runs turns until a handler calls loop_stop or a turn fails; sends a held
 * reply before returning. STATUS_OK after loop_stop, else the turn's
 * status. Clears the stop request on entry. */
status_t loop_run(struct loop *loop);

/* Makes loop_run return after the current turn. */
void loop_stop(struct loop *loop);

/* Sends a reply held for the next wait now. Returns its status, STATUS_OK
 * if none was held. */
status_t loop_flush(struct loop *loop);

/* Answers a call whose handler left reply->msg.label zero and kept the
 * reply capability to_reply: sends r->msg (and r->cap in r->mode). Returns
 * the kernel's status; the capability is consumed in every case. */
status_t loop_reply(struct loop *loop, cap_handle_t to_reply, const struct loop_reply *r);

/* True if msg carries a reply capability: it is a call to answer. */
static inline bool loop_msg_is_call(const struct keel_msg *msg)
{
	uint16_t both = MSG_FLAG_CAP | MSG_FLAG_CAP_ONCE;

	return (msg->flags & both) == both && msg->cap != CAP_HANDLE_NONE;
}

/* Fills m as the LOOP_REPLY_ERROR for a call labelled label. */
void loop_error_msg(struct keel_msg *m, status_t status, uint32_t label);

/* Client side: if m is a well-formed LOOP_REPLY_ERROR, stores its status
 * and the failed call's label and returns STATUS_OK; else
 * STATUS_BAD_FORMAT (a reply that is not an error, or a garbled one). */
status_t loop_error_parse(const struct keel_msg *m, status_t *status, uint32_t *label);

#endif
