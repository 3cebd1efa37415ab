/*
 * Host tests for the service event loop (libsys/loop.c).
 *
 * The loop reaches the kernel only through the struct sysops it is given;
 * here that is a fake kernel: a signal word, a clock that moves only when
 * the loop waits with a timeout (or when a test moves it), and an inbox
 * ring in test memory that the tests post to as the kernel would. The fake
 * records every wait (mask, timeout), every reply and every deleted
 * capability. A wait with nothing pending and no timeout would block
 * forever; the fake counts it as a hang and returns TIMEOUT.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "keel/loop.h"

#define RING_CAP 128u
#define INBOX_BIT 0u
#define MAX_RECORDS 256

struct fake_reply {
	cap_handle_t to;
	struct keel_msg msg;
	cap_handle_t cap;
	bool with_wait; /* sent by sys_msg_reply_wait */
};

struct fake {
	struct sysops ops;
	_Alignas(64) uint8_t ring_mem[INBOX_RING_HDR_SIZE + RING_CAP * MSG_SIZE];
	struct inbox_ring *ring;
	uint32_t tail;
	uint64_t now;
	uint64_t signals; /* the thread's pending signal word */

	unsigned waits, reply_waits, clock_reads, hangs;
	uint64_t masks[MAX_RECORDS], timeouts[MAX_RECORDS];
	struct fake_reply replies[MAX_RECORDS];
	unsigned nreplies;
	cap_handle_t deleted[16];
	unsigned ndeleted;

	status_t wait_fail;  /* returned by every wait if set */
	status_t reply_fail; /* returned by every reply if set */
	uint64_t sleep_ns;   /* the clock moves this much in each wait */
};

static struct fake *F(void *ctx)
{
	return ctx;
}

static status_t f_clock_read(void *ctx, uint64_t *ns)
{
	F(ctx)->clock_reads++;
	*ns = F(ctx)->now;
	return STATUS_OK;
}

static status_t f_signal_wait(void *ctx, uint64_t mask, uint64_t timeout, uint64_t *pending)
{
	struct fake *f = ctx;

	if (f->waits < MAX_RECORDS) {
		f->masks[f->waits] = mask;
		f->timeouts[f->waits] = timeout;
	}
	f->waits++;
	if (f->wait_fail)
		return f->wait_fail;
	f->now += f->sleep_ns;
	uint64_t got = f->signals & mask;
	if (got) {
		f->signals &= ~got;
		*pending = got;
		return STATUS_OK;
	}
	if (timeout == TIMEOUT_FOREVER)
		f->hangs++;
	else
		f->now += timeout;
	return STATUS_TIMEOUT;
}

static status_t f_signal_raise(void *ctx, cap_handle_t thread, uint64_t bits)
{
	(void)ctx, (void)thread, (void)bits;
	return STATUS_OK;
}

static status_t f_msg_send(void *ctx, cap_handle_t inbox, const struct keel_msg *msg,
			   cap_handle_t cap, uint32_t mode)
{
	(void)ctx, (void)inbox, (void)msg, (void)cap, (void)mode;
	return STATUS_OK;
}

static status_t f_msg_call(void *ctx, cap_handle_t inbox, struct keel_msg *msg, uint64_t timeout)
{
	(void)ctx, (void)inbox, (void)msg, (void)timeout;
	return STATUS_OK;
}

static status_t record_reply(struct fake *f, cap_handle_t to, const struct keel_msg *msg,
			     cap_handle_t cap, bool with_wait)
{
	if (f->reply_fail)
		return f->reply_fail;
	if (f->nreplies < MAX_RECORDS)
		f->replies[f->nreplies] = (struct fake_reply){ to, *msg, cap, with_wait };
	f->nreplies++;
	return STATUS_OK;
}

static status_t f_msg_reply(void *ctx, cap_handle_t reply, const struct keel_msg *msg,
			    cap_handle_t cap, uint32_t mode)
{
	(void)mode;
	return record_reply(ctx, reply, msg, cap, false);
}

static status_t f_msg_reply_wait(void *ctx, cap_handle_t reply, const struct keel_msg *msg,
				 cap_handle_t cap, uint32_t mode, uint64_t mask, uint64_t timeout,
				 uint64_t *pending)
{
	struct fake *f = ctx;
	(void)mode;

	f->reply_waits++;
	status_t st = record_reply(f, reply, msg, cap, true);
	if (st)
		return st;
	return f_signal_wait(ctx, mask, timeout, pending);
}

static status_t f_cap_delete(void *ctx, cap_handle_t cap)
{
	struct fake *f = ctx;

	if (f->ndeleted < 16)
		f->deleted[f->ndeleted++] = cap;
	return STATUS_OK;
}

static status_t f_irq_ack(void *ctx, cap_handle_t irq)
{
	(void)ctx, (void)irq;
	return STATUS_OK;
}

static void fake_init(struct fake *f)
{
	memset(f, 0, sizeof *f);
	f->ops = (struct sysops){
		.ctx = f,
		.clock_read = f_clock_read,
		.signal_wait = f_signal_wait,
		.signal_raise = f_signal_raise,
		.msg_send = f_msg_send,
		.msg_call = f_msg_call,
		.msg_reply = f_msg_reply,
		.msg_reply_wait = f_msg_reply_wait,
		.cap_delete = f_cap_delete,
		.irq_ack = f_irq_ack,
	};
	f->ring = (struct inbox_ring *)f->ring_mem;
	f->ring->capacity = RING_CAP;
}

static uint64_t word(const struct keel_msg *m)
{
	uint64_t w;
	memcpy(&w, m->payload, 8);
	return w;
}

/* Posts a message as the kernel does: fill the slot, publish tail, raise
 * the inbox bit. flags/cap describe the capability it brings. */
static void fake_post(struct fake *f, uint32_t label, uint16_t flags, cap_handle_t cap, uint64_t w)
{
	struct keel_msg m;

	memset(&m, 0, sizeof m);
	m.label = label;
	m.len = 8;
	m.flags = flags;
	m.cap = cap;
	m.badge = 0xb;
	memcpy(m.payload, &w, 8);
	f->ring->msgs[f->tail & (RING_CAP - 1)] = m;
	f->tail++;
	__atomic_store_n(&f->ring->tail, f->tail, __ATOMIC_RELEASE);
	f->signals |= 1ull << INBOX_BIT;
}

static void fake_send(struct fake *f, uint32_t label, uint64_t w)
{
	fake_post(f, label, 0, CAP_HANDLE_NONE, w);
}

static void fake_call(struct fake *f, uint32_t label, cap_handle_t reply, uint64_t w)
{
	fake_post(f, label, MSG_FLAG_CAP | MSG_FLAG_CAP_ONCE, reply, w);
}

static void setup(struct fake *f, struct loop *l)
{
	fake_init(f);
	if (loop_init(l, &f->ops, f->ring, INBOX_BIT))
		CHECK_FAIL("loop_init");
}

/* ---------------------------------------------------------------- handlers */

struct rec {
	uint32_t labels[MAX_RECORDS];
	uint64_t words[MAX_RECORDS];
	uint64_t times[MAX_RECORDS];
	unsigned n;
	cap_handle_t kept;
	struct fake *f; /* for handlers that post */
	int tag;
};

static void rec_add(struct rec *r, uint32_t label, uint64_t w, uint64_t t)
{
	if (r->n < MAX_RECORDS) {
		r->labels[r->n] = label;
		r->words[r->n] = w;
		r->times[r->n] = t;
	}
	r->n++;
}

/* Records the message; no answer. */
static status_t h_record(struct loop *l, const struct keel_msg *m, struct loop_reply *r, void *ctx)
{
	(void)l, (void)r;
	rec_add(ctx, m->label, word(m), 0);
	return STATUS_OK;
}

/* Answers label + 0x100 with the word plus one. */
static status_t h_echo(struct loop *l, const struct keel_msg *m, struct loop_reply *r, void *ctx)
{
	uint64_t w = word(m) + 1;
	(void)l;
	if (ctx)
		rec_add(ctx, m->label, word(m), 0);
	r->msg.label = m->label + 0x100;
	r->msg.len = 8;
	memcpy(r->msg.payload, &w, 8);
	return STATUS_OK;
}

static status_t h_fail(struct loop *l, const struct keel_msg *m, struct loop_reply *r, void *ctx)
{
	(void)l, (void)m, (void)r, (void)ctx;
	return STATUS_INVALID;
}

/* Keeps the reply capability to answer later. */
static status_t h_defer(struct loop *l, const struct keel_msg *m, struct loop_reply *r, void *ctx)
{
	(void)l, (void)r;
	((struct rec *)ctx)->kept = m->cap;
	return STATUS_OK;
}

static status_t h_stop(struct loop *l, const struct keel_msg *m, struct loop_reply *r, void *ctx)
{
	(void)m, (void)r, (void)ctx;
	loop_stop(l);
	return STATUS_OK;
}

/* Posts another message to its own inbox while being handled. */
static status_t h_repost(struct loop *l, const struct keel_msg *m, struct loop_reply *r, void *ctx)
{
	struct rec *rc = ctx;
	(void)l, (void)r;
	rec_add(rc, m->label, word(m), 0);
	if (word(m) == 0)
		fake_send(rc->f, m->label, 1);
	return STATUS_OK;
}

static void s_record(struct loop *l, unsigned bit, void *ctx)
{
	(void)l;
	rec_add(ctx, bit, 0, 0);
}

static void t_record(struct loop *l, uint64_t now, void *ctx)
{
	struct rec *r = ctx;
	(void)l;
	rec_add(r, (uint32_t)r->tag, 0, now);
}

/* Each timer records its own tag; several share one rec through these. */
struct tagged {
	struct rec *rec;
	int tag;
};

static void t_tagged(struct loop *l, uint64_t now, void *ctx)
{
	struct tagged *t = ctx;
	(void)l;
	rec_add(t->rec, (uint32_t)t->tag, 0, now);
}

/* Re-arms itself, due at once, every time it runs (up to 50 times, so
 * that a loop that wrongly runs it again in the same turn still ends). */
static void t_rearm(struct loop *l, uint64_t now, void *ctx)
{
	struct rec *r = ctx;
	rec_add(r, 0, 0, now);
	if (r->n < 50 && loop_timer_add(l, now, t_rearm, r, NULL))
		CHECK_FAIL("re-arm");
}

/* ---------------------------------------------------------------- tests */

TEST(init_rejects_bad_arguments)
{
	struct fake f;
	struct loop l;

	fake_init(&f);
	CHECK_EQ(loop_init(&l, NULL, f.ring, 0), STATUS_INVALID);
	CHECK_EQ(loop_init(&l, &f.ops, NULL, 0), STATUS_INVALID);
	CHECK_EQ(loop_init(&l, &f.ops, f.ring, 64), STATUS_INVALID);
	f.ring->capacity = 96;
	CHECK_EQ(loop_init(&l, &f.ops, f.ring, 0), STATUS_INVALID);
	f.ring->capacity = 0;
	CHECK_EQ(loop_init(&l, &f.ops, f.ring, 0), STATUS_INVALID);
	f.ring->capacity = RING_CAP;
	CHECK_EQ(loop_init(&l, &f.ops, f.ring, 63), STATUS_OK);
	CHECK_EQ(l.mask, 1ull << 63);
}

TEST(dispatch_calls_the_handler_of_each_label_in_arrival_order)
{
	static struct fake f;
	struct loop l;
	struct rec a = { 0 }, b = { 0 };

	setup(&f, &l);
	CHECK_EQ(loop_on_msg(&l, 20, h_record, &b), STATUS_OK);
	CHECK_EQ(loop_on_msg(&l, 10, h_record, &a), STATUS_OK);
	CHECK_EQ(loop_on_msg(&l, 15, h_record, &a), STATUS_OK);
	fake_send(&f, 10, 1);
	fake_send(&f, 20, 2);
	fake_send(&f, 15, 3);
	fake_send(&f, 20, 4);
	CHECK_EQ(loop_turn(&l), STATUS_OK);
	CHECK_EQ(a.n, 2);
	CHECK_EQ(a.labels[0], 10);
	CHECK_EQ(a.words[0], 1);
	CHECK_EQ(a.labels[1], 15);
	CHECK_EQ(a.words[1], 3);
	CHECK_EQ(b.n, 2);
	CHECK_EQ(b.words[0], 2);
	CHECK_EQ(b.words[1], 4);
	CHECK_EQ(l.stats.messages, 4);
	CHECK_EQ(l.stats.unknown, 0);
	CHECK_EQ(f.masks[0], 1ull << INBOX_BIT);
	CHECK_EQ(f.timeouts[0], TIMEOUT_FOREVER);
	CHECK_EQ(f.nreplies, 0);
	CHECK_EQ(l.ring->head, 4);
}

TEST(registering_a_label_twice_or_past_capacity_fails)
{
	static struct fake f;
	struct loop l;

	setup(&f, &l);
	CHECK_EQ(loop_on_msg(&l, 1, NULL, NULL), STATUS_INVALID);
	for (uint32_t i = 0; i < LOOP_MSG_HANDLERS_MAX; i++)
		CHECK_EQ(loop_on_msg(&l, 1000 - i * 7, h_record, NULL), STATUS_OK);
	CHECK_EQ(loop_on_msg(&l, 1000, h_record, NULL), STATUS_EXISTS);
	CHECK_EQ(loop_on_msg(&l, 5, h_record, NULL), STATUS_FULL);
	for (unsigned i = 1; i < l.nhandlers; i++)
		CHECK(l.handlers[i - 1].label < l.handlers[i].label);
}

TEST(a_calls_reply_goes_with_the_next_wait)
{
	static struct fake f;
	struct loop l;

	setup(&f, &l);
	CHECK_EQ(loop_on_msg(&l, 7, h_echo, NULL), STATUS_OK);
	fake_call(&f, 7, 0x77, 41);
	CHECK_EQ(loop_turn(&l), STATUS_OK);
	CHECK_EQ(f.nreplies, 0); /* held: the ring is empty */
	CHECK(l.held);
	CHECK_EQ(loop_turn(&l), STATUS_OK);
	CHECK_EQ(f.reply_waits, 1);
	CHECK_EQ(f.nreplies, 1);
	CHECK(f.replies[0].with_wait);
	CHECK_EQ(f.replies[0].to, 0x77);
	CHECK_EQ(f.replies[0].msg.label, 7 + 0x100);
	CHECK_EQ(word(&f.replies[0].msg), 42);
	CHECK_EQ(f.masks[1], 1ull << INBOX_BIT);
	CHECK_EQ(l.stats.replies, 1);
	CHECK_EQ(l.stats.waits, 2);
	CHECK_EQ(f.waits, 2);
}

TEST(loop_flush_sends_a_held_reply_at_once)
{
	static struct fake f;
	struct loop l;

	setup(&f, &l);
	CHECK_EQ(loop_on_msg(&l, 7, h_echo, NULL), STATUS_OK);
	fake_call(&f, 7, 0x70, 1);
	CHECK_EQ(loop_turn(&l), STATUS_OK);
	CHECK_EQ(loop_flush(&l), STATUS_OK);
	CHECK_EQ(f.nreplies, 1);
	CHECK(!f.replies[0].with_wait);
	CHECK_EQ(f.replies[0].to, 0x70);
	CHECK_EQ(loop_flush(&l), STATUS_OK);
	CHECK_EQ(f.nreplies, 1);
}

TEST(unknown_label_call_gets_an_error_reply)
{
	static struct fake f;
	struct loop l;
	status_t st;
	uint32_t label;

	setup(&f, &l);
	fake_call(&f, 99, 0x55, 0);
	CHECK_EQ(loop_turn(&l), STATUS_OK);
	CHECK_EQ(loop_flush(&l), STATUS_OK);
	CHECK_EQ(f.nreplies, 1);
	CHECK_EQ(f.replies[0].to, 0x55);
	CHECK_EQ(f.replies[0].msg.label, LOOP_REPLY_ERROR);
	CHECK_EQ(f.replies[0].msg.len, LOOP_REPLY_ERROR_LEN);
	CHECK_EQ(loop_error_parse(&f.replies[0].msg, &st, &label), STATUS_OK);
	CHECK_EQ(st, STATUS_NOT_FOUND);
	CHECK_EQ(label, 99);
	CHECK_EQ(l.stats.unknown, 1);
	CHECK_EQ(l.stats.handler_errors, 1);
	CHECK_EQ(f.ndeleted, 0); /* the reply consumed the reply cap */
}

TEST(unknown_send_is_dropped_and_its_capability_deleted)
{
	static struct fake f;
	struct loop l;

	setup(&f, &l);
	fake_send(&f, 98, 0);
	fake_post(&f, 99, MSG_FLAG_CAP, 0x66, 0);
	CHECK_EQ(loop_turn(&l), STATUS_OK);
	CHECK_EQ(loop_flush(&l), STATUS_OK);
	CHECK_EQ(f.nreplies, 0);
	CHECK_EQ(f.ndeleted, 1);
	CHECK_EQ(f.deleted[0], 0x66);
	CHECK_EQ(l.stats.unknown, 2);
	CHECK_EQ(l.stats.unanswerable, 0);
}

TEST(loop_on_unknown_replaces_the_default_and_null_restores_it)
{
	static struct fake f;
	struct loop l;
	struct rec r = { 0 };

	setup(&f, &l);
	loop_on_unknown(&l, h_echo, &r);
	fake_call(&f, 5, 0x50, 9);
	CHECK_EQ(loop_turn(&l), STATUS_OK);
	CHECK_EQ(loop_flush(&l), STATUS_OK);
	CHECK_EQ(r.n, 1);
	CHECK_EQ(f.replies[0].msg.label, 5 + 0x100);
	loop_on_unknown(&l, NULL, NULL);
	fake_call(&f, 5, 0x51, 9);
	CHECK_EQ(loop_turn(&l), STATUS_OK);
	CHECK_EQ(loop_flush(&l), STATUS_OK);
	CHECK_EQ(r.n, 1);
	CHECK_EQ(f.replies[1].msg.label, LOOP_REPLY_ERROR);
}

TEST(handler_error_answers_a_call_and_is_only_counted_for_a_send)
{
	static struct fake f;
	struct loop l;
	status_t st;
	uint32_t label;

	setup(&f, &l);
	CHECK_EQ(loop_on_msg(&l, 3, h_fail, NULL), STATUS_OK);
	fake_call(&f, 3, 0x33, 0);
	fake_send(&f, 3, 0);
	CHECK_EQ(loop_turn(&l), STATUS_OK);
	CHECK_EQ(loop_flush(&l), STATUS_OK);
	CHECK_EQ(f.nreplies, 1);
	CHECK_EQ(f.replies[0].to, 0x33);
	CHECK_EQ(loop_error_parse(&f.replies[0].msg, &st, &label), STATUS_OK);
	CHECK_EQ(st, STATUS_INVALID);
	CHECK_EQ(label, 3);
	CHECK_EQ(l.stats.handler_errors, 2);
	CHECK_EQ(l.stats.unanswerable, 0);
}

TEST(an_answer_to_a_send_is_counted_not_sent)
{
	static struct fake f;
	struct loop l;

	setup(&f, &l);
	CHECK_EQ(loop_on_msg(&l, 7, h_echo, NULL), STATUS_OK);
	fake_send(&f, 7, 0);
	/* A capability that is not grant-once is no reply capability. */
	fake_post(&f, 7, MSG_FLAG_CAP, 0x44, 0);
	CHECK_EQ(loop_turn(&l), STATUS_OK);
	CHECK_EQ(loop_flush(&l), STATUS_OK);
	CHECK_EQ(f.nreplies, 0);
	CHECK_EQ(l.stats.unanswerable, 2);
}

TEST(a_deferred_call_is_answered_by_loop_reply)
{
	static struct fake f;
	struct loop l;
	struct rec r = { 0 };
	struct loop_reply rep;

	setup(&f, &l);
	CHECK_EQ(loop_on_msg(&l, 8, h_defer, &r), STATUS_OK);
	fake_call(&f, 8, 0x88, 0);
	CHECK_EQ(loop_turn(&l), STATUS_OK);
	CHECK(!l.held);
	CHECK_EQ(loop_flush(&l), STATUS_OK);
	CHECK_EQ(f.nreplies, 0);
	CHECK_EQ(r.kept, 0x88);
	memset(&rep, 0, sizeof rep);
	rep.msg.label = 0x808;
	rep.cap = 0x99;
	CHECK_EQ(loop_reply(&l, r.kept, &rep), STATUS_OK);
	CHECK_EQ(f.nreplies, 1);
	CHECK_EQ(f.replies[0].to, 0x88);
	CHECK_EQ(f.replies[0].msg.label, 0x808);
	CHECK_EQ(f.replies[0].cap, 0x99);
	f.reply_fail = STATUS_STALE;
	CHECK_EQ(loop_reply(&l, 0x89, &rep), STATUS_STALE);
	CHECK_EQ(l.stats.replies, 1);
	CHECK_EQ(l.stats.reply_errors, 1);
}

TEST(one_wait_drains_100_queued_calls)
{
	static struct fake f;
	struct loop l;
	struct rec r = { 0 };

	setup(&f, &l);
	CHECK_EQ(loop_on_msg(&l, 1, h_echo, &r), STATUS_OK);
	for (unsigned i = 0; i < 100; i++)
		fake_call(&f, 1, 0x1000 + i, i);
	CHECK_EQ(loop_turn(&l), STATUS_OK);
	CHECK_EQ(l.stats.waits, 1);
	CHECK_EQ(l.stats.wakeups, 1);
	CHECK_EQ(f.waits, 1);
	CHECK_EQ(l.stats.messages, 100);
	CHECK_EQ(r.n, 100);
	CHECK_EQ(f.nreplies, 99);   /* the last one goes with the next wait */
	CHECK_EQ(f.clock_reads, 0); /* no timers: no clock */
	CHECK_EQ(loop_turn(&l), STATUS_OK);
	CHECK_EQ(f.nreplies, 100);
	CHECK_EQ(f.reply_waits, 1);
	for (unsigned i = 0; i < 100; i++) {
		CHECK_EQ(f.replies[i].to, 0x1000 + i);
		CHECK_EQ(word(&f.replies[i].msg), i + 1);
	}
	CHECK_EQ(l.stats.replies, 100);
}

TEST(messages_posted_during_a_drain_are_served_next_turn)
{
	static struct fake f;
	struct loop l;
	struct rec r = { 0 };

	setup(&f, &l);
	r.f = &f;
	CHECK_EQ(loop_on_msg(&l, 4, h_repost, &r), STATUS_OK);
	fake_send(&f, 4, 0);
	CHECK_EQ(loop_turn(&l), STATUS_OK);
	CHECK_EQ(r.n, 1);
	CHECK_EQ(loop_turn(&l), STATUS_OK);
	CHECK_EQ(r.n, 2);
	CHECK_EQ(r.words[1], 1);
	CHECK_EQ(f.hangs, 0); /* the repost raised the inbox bit again */
}

/* The service's own thread could scribble on head; a drain still takes at
 * most one ring's worth of messages per turn. */
TEST(a_corrupt_head_drains_at_most_one_ring_per_turn)
{
	static struct fake f;
	struct loop l;
	struct rec r = { 0 };

	setup(&f, &l);
	loop_on_unknown(&l, h_record, &r);
	fake_send(&f, 1, 0);
	l.ring->head = f.tail - 1000;
	CHECK_EQ(loop_turn(&l), STATUS_OK);
	CHECK_EQ(r.n, RING_CAP);
}

TEST(signal_handlers_run_once_per_pending_bit)
{
	static struct fake f;
	struct loop l;
	struct rec r = { 0 };

	setup(&f, &l);
	CHECK_EQ(loop_on_signal(&l, 40, s_record, &r), STATUS_OK);
	CHECK_EQ(loop_on_signal(&l, 3, s_record, &r), STATUS_OK);
	CHECK_EQ(loop_on_signal(&l, 3, s_record, &r), STATUS_EXISTS);
	CHECK_EQ(loop_on_signal(&l, 64, s_record, &r), STATUS_INVALID);
	CHECK_EQ(loop_on_signal(&l, INBOX_BIT, s_record, &r), STATUS_INVALID);
	f.signals = 1ull << 3 | 1ull << 40 | 1ull << 50;
	CHECK_EQ(loop_turn(&l), STATUS_OK);
	CHECK_EQ(f.masks[0], 1ull << INBOX_BIT | 1ull << 3 | 1ull << 40);
	CHECK_EQ(r.n, 2);
	CHECK_EQ(r.labels[0], 3);
	CHECK_EQ(r.labels[1], 40);
	CHECK_EQ(l.stats.signals, 2);
	CHECK_EQ(f.signals, 1ull << 50); /* outside the mask: left pending */
	CHECK_EQ(loop_on_signal(&l, 40, NULL, NULL), STATUS_OK);
	f.signals = 1ull << 3;
	CHECK_EQ(loop_turn(&l), STATUS_OK);
	CHECK_EQ(f.masks[1], 1ull << INBOX_BIT | 1ull << 3);
	CHECK_EQ(r.n, 3);
}

TEST(one_wait_serves_signals_and_messages_together)
{
	static struct fake f;
	struct loop l;
	struct rec sig = { 0 }, msg = { 0 };

	setup(&f, &l);
	CHECK_EQ(loop_on_signal(&l, 9, s_record, &sig), STATUS_OK);
	CHECK_EQ(loop_on_msg(&l, 2, h_record, &msg), STATUS_OK);
	f.signals = 1ull << 9;
	fake_send(&f, 2, 0);
	fake_send(&f, 2, 1);
	CHECK_EQ(loop_turn(&l), STATUS_OK);
	CHECK_EQ(sig.n, 1);
	CHECK_EQ(msg.n, 2);
	CHECK_EQ(l.stats.waits, 1);
}

TEST(timers_fire_in_deadline_order_and_bound_the_wait)
{
	static struct fake f;
	struct loop l;
	struct rec r = { 0 };
	struct tagged a = { &r, 'A' }, b = { &r, 'B' }, c = { &r, 'C' }, d = { &r, 'D' };

	setup(&f, &l);
	f.now = 1000;
	CHECK_EQ(loop_timer_add(&l, 1300, t_tagged, &a, NULL), STATUS_OK);
	CHECK_EQ(loop_timer_add(&l, 1100, t_tagged, &b, NULL), STATUS_OK);
	CHECK_EQ(loop_timer_add(&l, 1200, t_tagged, &c, NULL), STATUS_OK);
	CHECK_EQ(loop_timer_add(&l, 1200, t_tagged, &d, NULL), STATUS_OK);
	CHECK_EQ(loop_turn(&l), STATUS_OK);
	CHECK_EQ(f.timeouts[0], 100);
	CHECK_EQ(r.n, 1);
	CHECK_EQ(r.labels[0], 'B');
	CHECK_EQ(r.times[0], 1100);
	CHECK_EQ(loop_turn(&l), STATUS_OK);
	CHECK_EQ(f.timeouts[1], 100);
	CHECK_EQ(r.n, 3);
	CHECK_EQ(r.labels[1], 'C'); /* same deadline: armed first, runs first */
	CHECK_EQ(r.labels[2], 'D');
	CHECK_EQ(loop_turn(&l), STATUS_OK);
	CHECK_EQ(f.timeouts[2], 100);
	CHECK_EQ(r.n, 4);
	CHECK_EQ(r.labels[3], 'A');
	CHECK_EQ(r.times[3], 1300);
	CHECK_EQ(l.stats.timers, 4);
	CHECK_EQ(l.stats.timeouts, 3);
	CHECK_EQ(loop_turn(&l), STATUS_OK);
	CHECK_EQ(f.timeouts[3], TIMEOUT_FOREVER);
	CHECK_EQ(f.hangs, 1);
}

TEST(a_wake_before_the_deadline_runs_no_timer)
{
	static struct fake f;
	struct loop l;
	struct rec r = { 0 }, msg = { 0 };

	setup(&f, &l);
	CHECK_EQ(loop_on_msg(&l, 2, h_record, &msg), STATUS_OK);
	CHECK_EQ(loop_timer_add(&l, 500, t_record, &r, NULL), STATUS_OK);
	f.sleep_ns = 200;
	fake_send(&f, 2, 0);
	CHECK_EQ(loop_turn(&l), STATUS_OK);
	CHECK_EQ(f.timeouts[0], 500);
	CHECK_EQ(msg.n, 1);
	CHECK_EQ(r.n, 0);
	f.sleep_ns = 0;
	CHECK_EQ(loop_turn(&l), STATUS_OK);
	CHECK_EQ(f.timeouts[1], 300);
	CHECK_EQ(r.n, 1);
	CHECK_EQ(r.times[0], 500);
}

TEST(a_past_deadline_makes_the_wait_a_poll)
{
	static struct fake f;
	struct loop l;
	struct rec r = { 0 };

	setup(&f, &l);
	f.now = 5000;
	CHECK_EQ(loop_timer_add(&l, 10, t_record, &r, NULL), STATUS_OK);
	CHECK_EQ(loop_turn(&l), STATUS_OK);
	CHECK_EQ(f.timeouts[0], 0);
	CHECK_EQ(r.n, 1);
	CHECK_EQ(r.times[0], 5000);
}

TEST(a_timer_rearmed_by_its_callback_runs_once_per_turn)
{
	static struct fake f;
	struct loop l;
	struct rec r = { 0 };

	setup(&f, &l);
	f.now = 100;
	CHECK_EQ(loop_timer_add(&l, 100, t_rearm, &r, NULL), STATUS_OK);
	for (unsigned i = 1; i <= 3; i++) {
		CHECK_EQ(loop_turn(&l), STATUS_OK);
		CHECK_EQ(r.n, i);
	}
	CHECK_EQ(f.timeouts[1], 0);
	CHECK_EQ(f.timeouts[2], 0);
	CHECK_EQ(l.ntimers, 1);
}

TEST(timers_cancel_and_have_a_fixed_capacity)
{
	static struct fake f;
	struct loop l;
	struct rec r = { 0 };
	loop_timer_id ids[LOOP_TIMERS_MAX], extra;

	setup(&f, &l);
	CHECK_EQ(loop_timer_add(&l, 1, NULL, NULL, NULL), STATUS_INVALID);
	for (unsigned i = 0; i < LOOP_TIMERS_MAX; i++) {
		CHECK_EQ(loop_timer_add(&l, 1000 + (i * 37) % 101, t_record, &r, &ids[i]),
			 STATUS_OK);
		CHECK(ids[i] != 0);
	}
	CHECK_EQ(loop_timer_add(&l, 5, t_record, &r, &extra), STATUS_FULL);
	/* Cancel every other one; the rest still run in deadline order. */
	for (unsigned i = 0; i < LOOP_TIMERS_MAX; i += 2)
		CHECK_EQ(loop_timer_cancel(&l, ids[i]), STATUS_OK);
	CHECK_EQ(loop_timer_cancel(&l, ids[0]), STATUS_NOT_FOUND);
	CHECK_EQ(loop_timer_cancel(&l, 0), STATUS_NOT_FOUND);
	f.now = 2000;
	CHECK_EQ(loop_turn(&l), STATUS_OK);
	CHECK_EQ(r.n, LOOP_TIMERS_MAX / 2);
	CHECK_EQ(l.ntimers, 0);
	CHECK_EQ(loop_timer_cancel(&l, ids[1]), STATUS_NOT_FOUND);
}

/* A timer that knows its deadline and checks it runs exactly then. */
struct due {
	uint64_t deadline;
	unsigned fired, wrong_time;
};

static void t_due(struct loop *l, uint64_t now, void *ctx)
{
	struct due *d = ctx;
	(void)l;
	d->fired++;
	d->wrong_time += now != d->deadline;
}

/* The fake clock jumps to each wait's timeout, so a timer runs exactly at
 * its deadline only if the heap always yields the earliest one. */
TEST(timer_heap_keeps_order_under_random_adds_and_cancels)
{
	static struct fake f;
	struct loop l;
	struct due d[LOOP_TIMERS_MAX];
	loop_timer_id ids[LOOP_TIMERS_MAX];
	uint64_t seed = 12345;

	setup(&f, &l);
	for (int round = 0; round < 300; round++) {
		bool cancelled[LOOP_TIMERS_MAX];
		for (unsigned i = 0; i < LOOP_TIMERS_MAX; i++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			d[i] = (struct due){ f.now + 1 + (seed >> 40) % 500, 0, 0 };
			CHECK_EQ(loop_timer_add(&l, d[i].deadline, t_due, &d[i], &ids[i]),
				 STATUS_OK);
		}
		for (unsigned i = 0; i < LOOP_TIMERS_MAX; i++) {
			cancelled[i] = (seed >> (i + round % 8)) & 1;
			if (cancelled[i])
				CHECK_EQ(loop_timer_cancel(&l, ids[i]), STATUS_OK);
		}
		while (l.ntimers)
			CHECK_EQ(loop_turn(&l), STATUS_OK);
		for (unsigned i = 0; i < LOOP_TIMERS_MAX; i++) {
			CHECK_EQ(d[i].fired, cancelled[i] ? 0 : 1);
			CHECK_EQ(d[i].wrong_time, 0);
		}
	}
}

TEST(heartbeat_keeps_its_cadence)
{
	static struct fake f;
	struct loop l;
	struct rec r = { 0 };

	setup(&f, &l);
	CHECK_EQ(loop_set_heartbeat(&l, 1000, NULL, NULL), STATUS_INVALID);
	CHECK_EQ(loop_set_heartbeat(&l, 1000, t_record, &r), STATUS_OK);
	for (int i = 0; i < 5; i++)
		CHECK_EQ(loop_turn(&l), STATUS_OK);
	CHECK_EQ(r.n, 5);
	for (unsigned i = 0; i < 5; i++) {
		CHECK_EQ(r.times[i], 1000 * (i + 1));
		CHECK_EQ(f.timeouts[i], 1000);
	}
	CHECK_EQ(l.stats.heartbeats, 5);
}

TEST(heartbeat_keeps_its_cadence_across_early_wakeups)
{
	static struct fake f;
	struct loop l;
	struct rec r = { 0 }, sig = { 0 };

	setup(&f, &l);
	CHECK_EQ(loop_on_signal(&l, 5, s_record, &sig), STATUS_OK);
	CHECK_EQ(loop_set_heartbeat(&l, 1000, t_record, &r), STATUS_OK);
	f.sleep_ns = 300;
	for (int i = 0; i < 10; i++) {
		f.signals = 1ull << 5; /* woken every 300 ns */
		CHECK_EQ(loop_turn(&l), STATUS_OK);
	}
	CHECK_EQ(f.now, 3000);
	CHECK_EQ(r.n, 3);
	CHECK_EQ(r.times[0], 1200);
	CHECK_EQ(r.times[1], 2100);
	CHECK_EQ(r.times[2], 3000);
	CHECK_EQ(f.timeouts[1], 700); /* at 300, the beat is due at 1000 */
	CHECK_EQ(sig.n, 10);
}

TEST(a_late_heartbeat_beats_once_then_resumes_one_period_later)
{
	static struct fake f;
	struct loop l;
	struct rec r = { 0 };

	setup(&f, &l);
	CHECK_EQ(loop_set_heartbeat(&l, 1000, t_record, &r), STATUS_OK);
	f.sleep_ns = 3500; /* the loop was held up for 3.5 periods */
	CHECK_EQ(loop_turn(&l), STATUS_OK);
	CHECK_EQ(r.n, 1);
	CHECK_EQ(r.times[0], 4500);
	f.sleep_ns = 0;
	CHECK_EQ(loop_turn(&l), STATUS_OK);
	CHECK_EQ(f.timeouts[1], 1000);
	CHECK_EQ(r.n, 2);
	CHECK_EQ(r.times[1], 5500);
	CHECK_EQ(loop_set_heartbeat(&l, 0, NULL, NULL), STATUS_OK);
	CHECK_EQ(loop_turn(&l), STATUS_OK);
	CHECK_EQ(f.timeouts[2], TIMEOUT_FOREVER);
	CHECK_EQ(r.n, 2);
}

TEST(heartbeat_and_timers_share_the_wait_timeout)
{
	static struct fake f;
	struct loop l;
	struct rec beat = { 0 }, t = { 0 };

	setup(&f, &l);
	CHECK_EQ(loop_set_heartbeat(&l, 1000, t_record, &beat), STATUS_OK);
	CHECK_EQ(loop_timer_add(&l, 1500, t_record, &t, NULL), STATUS_OK);
	for (int i = 0; i < 3; i++)
		CHECK_EQ(loop_turn(&l), STATUS_OK);
	CHECK_EQ(f.timeouts[0], 1000);
	CHECK_EQ(f.timeouts[1], 500);
	CHECK_EQ(f.timeouts[2], 500);
	CHECK_EQ(beat.n, 2);
	CHECK_EQ(t.n, 1);
	CHECK_EQ(t.times[0], 1500);
}

TEST(loop_stop_ends_run_after_the_turn_and_flushes_the_reply)
{
	static struct fake f;
	struct loop l;
	struct rec r = { 0 };

	setup(&f, &l);
	CHECK_EQ(loop_on_msg(&l, 1, h_record, &r), STATUS_OK);
	CHECK_EQ(loop_on_msg(&l, 2, h_stop, NULL), STATUS_OK);
	CHECK_EQ(loop_on_msg(&l, 3, h_echo, NULL), STATUS_OK);
	fake_send(&f, 1, 0);
	fake_send(&f, 2, 0);
	fake_call(&f, 3, 0x30, 0);
	CHECK_EQ(loop_run(&l), STATUS_OK);
	CHECK_EQ(l.stats.turns, 1);
	CHECK_EQ(l.stats.messages, 3); /* the drain finishes */
	CHECK_EQ(r.n, 1);
	CHECK_EQ(f.nreplies, 1);
	CHECK_EQ(f.replies[0].to, 0x30);
	CHECK(!f.replies[0].with_wait);
	CHECK(!l.held);
}

TEST(a_failed_wait_ends_run_without_handling_anything)
{
	static struct fake f;
	struct loop l;
	struct rec r = { 0 };

	setup(&f, &l);
	CHECK_EQ(loop_on_msg(&l, 1, h_record, &r), STATUS_OK);
	fake_send(&f, 1, 0);
	f.wait_fail = STATUS_INVALID;
	CHECK_EQ(loop_run(&l), STATUS_INVALID);
	CHECK_EQ(l.stats.wait_errors, 1);
	CHECK_EQ(r.n, 0);
}

TEST(a_refused_held_reply_falls_back_to_a_plain_wait)
{
	static struct fake f;
	struct loop l;
	struct rec r = { 0 };

	setup(&f, &l);
	CHECK_EQ(loop_on_msg(&l, 7, h_echo, NULL), STATUS_OK);
	CHECK_EQ(loop_on_msg(&l, 1, h_record, &r), STATUS_OK);
	fake_call(&f, 7, 0x71, 0);
	CHECK_EQ(loop_turn(&l), STATUS_OK);
	f.reply_fail = STATUS_BAD_CAP;
	fake_send(&f, 1, 0);
	CHECK_EQ(loop_turn(&l), STATUS_OK);
	CHECK_EQ(f.reply_waits, 1);
	CHECK_EQ(f.waits, 2); /* the reply_wait did not wait; signal_wait did */
	CHECK_EQ(l.stats.waits, 2);
	CHECK_EQ(l.stats.reply_errors, 1);
	CHECK_EQ(l.stats.replies, 0);
	CHECK_EQ(r.n, 1);
}

TEST(error_reply_parse_rejects_malformed_messages)
{
	struct keel_msg m;
	status_t st;
	uint32_t label;

	loop_error_msg(&m, STATUS_FULL, 0xabcdef01u);
	CHECK_EQ(loop_error_parse(&m, &st, &label), STATUS_OK);
	CHECK_EQ(st, STATUS_FULL);
	CHECK_EQ(label, 0xabcdef01u);
	CHECK_EQ(m.payload[0], STATUS_FULL); /* little-endian on the wire */
	CHECK_EQ(m.payload[4], 0x01);
	m.len = 7;
	CHECK_EQ(loop_error_parse(&m, &st, &label), STATUS_BAD_FORMAT);
	loop_error_msg(&m, STATUS_OK, 1);
	CHECK_EQ(loop_error_parse(&m, &st, &label), STATUS_BAD_FORMAT);
	loop_error_msg(&m, STATUS_FULL, 1);
	m.label = 1;
	CHECK_EQ(loop_error_parse(&m, &st, &label), STATUS_BAD_FORMAT);
}

int main(void)
{
	RUN(init_rejects_bad_arguments);
	RUN(dispatch_calls_the_handler_of_each_label_in_arrival_order);
	RUN(registering_a_label_twice_or_past_capacity_fails);
	RUN(a_calls_reply_goes_with_the_next_wait);
	RUN(loop_flush_sends_a_held_reply_at_once);
	RUN(unknown_label_call_gets_an_error_reply);
	RUN(unknown_send_is_dropped_and_its_capability_deleted);
	RUN(loop_on_unknown_replaces_the_default_and_null_restores_it);
	RUN(handler_error_answers_a_call_and_is_only_counted_for_a_send);
	RUN(an_answer_to_a_send_is_counted_not_sent);
	RUN(a_deferred_call_is_answered_by_loop_reply);
	RUN(one_wait_drains_100_queued_calls);
	RUN(messages_posted_during_a_drain_are_served_next_turn);
	RUN(a_corrupt_head_drains_at_most_one_ring_per_turn);
	RUN(signal_handlers_run_once_per_pending_bit);
	RUN(one_wait_serves_signals_and_messages_together);
	RUN(timers_fire_in_deadline_order_and_bound_the_wait);
	RUN(a_wake_before_the_deadline_runs_no_timer);
	RUN(a_past_deadline_makes_the_wait_a_poll);
	RUN(a_timer_rearmed_by_its_callback_runs_once_per_turn);
	RUN(timers_cancel_and_have_a_fixed_capacity);
	RUN(timer_heap_keeps_order_under_random_adds_and_cancels);
	RUN(heartbeat_keeps_its_cadence);
	RUN(heartbeat_keeps_its_cadence_across_early_wakeups);
	RUN(a_late_heartbeat_beats_once_then_resumes_one_period_later);
	RUN(heartbeat_and_timers_share_the_wait_timeout);
	RUN(loop_stop_ends_run_after_the_turn_and_flushes_the_reply);
	RUN(a_failed_wait_ends_run_without_handling_anything);
	RUN(a_refused_held_reply_falls_back_to_a_plain_wait);
	RUN(error_reply_parse_rejects_malformed_messages);
	return check_summary();
}
