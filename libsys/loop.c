/*
 * loop.c - the service event loop (keel/loop.h).
 *
 * Every kernel call goes through loop->ops. The clock is read only when a
 * timer or the heartbeat is armed: once before the wait, to turn the
 * nearest deadline into a timeout, and once after it, to know what is due.
 */
#include "keel/loop.h"
#include "keel/sys.h"

status_t loop_init(struct loop *loop, const struct sysops *ops, struct inbox_ring *ring,
		   unsigned inbox_bit)
{
	if (!ops || !ring || inbox_bit >= LOOP_SIGNAL_BITS)
		return STATUS_INVALID;
	uint32_t cap = ring->capacity;
	if (cap == 0 || (cap & (cap - 1)))
		return STATUS_INVALID;
	memset(loop, 0, sizeof *loop);
	loop->ops = ops;
	loop->ring = ring;
	loop->inbox_bit = 1ull << inbox_bit;
	loop->mask = loop->inbox_bit;
	loop->unknown.fn = loop_unknown_default;
	loop->next_timer_id = 1;
	return STATUS_OK;
}

/* ---------------------------------------------------------------- handlers */

/* Index of the first handler whose label is >= label (binary search). */
static unsigned handler_slot(const struct loop *loop, uint32_t label)
{
	unsigned lo = 0, hi = loop->nhandlers;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		if (loop->handlers[mid].label < label)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

status_t loop_on_msg(struct loop *loop, uint32_t label, loop_msg_fn *fn, void *ctx)
{
	unsigned i = handler_slot(loop, label);

	if (!fn)
		return STATUS_INVALID;
	if (i < loop->nhandlers && loop->handlers[i].label == label)
		return STATUS_EXISTS;
	if (loop->nhandlers == LOOP_MSG_HANDLERS_MAX)
		return STATUS_FULL;
	for (unsigned j = loop->nhandlers; j > i; j--)
		loop->handlers[j] = loop->handlers[j - 1];
	loop->handlers[i] = (struct loop_handler){ label, fn, ctx };
	loop->nhandlers++;
	return STATUS_OK;
}

void loop_on_unknown(struct loop *loop, loop_msg_fn *fn, void *ctx)
{
	loop->unknown.fn = fn ? fn : loop_unknown_default;
	loop->unknown.ctx = fn ? ctx : NULL;
}

status_t loop_unknown_default(struct loop *loop, const struct keel_msg *msg,
			      struct loop_reply *reply, void *ctx)
{
	(void)reply;
	(void)ctx;
	if ((msg->flags & MSG_FLAG_CAP) && !loop_msg_is_call(msg))
		sysops_cap_delete(loop->ops, msg->cap);
	return STATUS_NOT_FOUND;
}

status_t loop_on_signal(struct loop *loop, unsigned bit, loop_signal_fn *fn, void *ctx)
{
	if (bit >= LOOP_SIGNAL_BITS || (1ull << bit) == loop->inbox_bit)
		return STATUS_INVALID;
	if (!fn) {
		loop->signals[bit] = (struct loop_signal){ NULL, NULL };
		loop->mask &= ~(1ull << bit);
		return STATUS_OK;
	}
	if (loop->signals[bit].fn)
		return STATUS_EXISTS;
	loop->signals[bit] = (struct loop_signal){ fn, ctx };
	loop->mask |= 1ull << bit;
	return STATUS_OK;
}

/* ---------------------------------------------------------------- timers */

static bool timer_before(const struct loop_timer *a, const struct loop_timer *b)
{
	return a->deadline != b->deadline ? a->deadline < b->deadline : a->id < b->id;
}

static void timer_swap(struct loop *loop, unsigned i, unsigned j)
{
	struct loop_timer t = loop->timers[i];

	loop->timers[i] = loop->timers[j];
	loop->timers[j] = t;
}

static void heap_up(struct loop *loop, unsigned i)
{
	while (i > 0 && timer_before(&loop->timers[i], &loop->timers[(i - 1) / 2])) {
		timer_swap(loop, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void heap_down(struct loop *loop, unsigned i)
{
	for (;;) {
		unsigned l = 2 * i + 1, r = l + 1, m = i;
		if (l < loop->ntimers && timer_before(&loop->timers[l], &loop->timers[m]))
			m = l;
		if (r < loop->ntimers && timer_before(&loop->timers[r], &loop->timers[m]))
			m = r;
		if (m == i)
			return;
		timer_swap(loop, i, m);
		i = m;
	}
}

/* Removes the timer at heap index i. */
static void heap_remove(struct loop *loop, unsigned i)
{
	loop->ntimers--;
	if (i == loop->ntimers)
		return;
	loop->timers[i] = loop->timers[loop->ntimers];
	heap_up(loop, i);
	heap_down(loop, i);
}

status_t loop_timer_add(struct loop *loop, uint64_t deadline_ns, loop_timer_fn *fn, void *ctx,
			loop_timer_id *id)
{
	if (!fn)
		return STATUS_INVALID;
	if (loop->ntimers == LOOP_TIMERS_MAX)
		return STATUS_FULL;
	struct loop_timer *t = &loop->timers[loop->ntimers];
	*t = (struct loop_timer){ deadline_ns, loop->next_timer_id++, fn, ctx };
	if (id)
		*id = t->id;
	heap_up(loop, loop->ntimers++);
	return STATUS_OK;
}

status_t loop_timer_cancel(struct loop *loop, loop_timer_id id)
{
	for (unsigned i = 0; i < loop->ntimers; i++) {
		if (loop->timers[i].id == id) {
			heap_remove(loop, i);
			return STATUS_OK;
		}
	}
	return STATUS_NOT_FOUND;
}

status_t loop_set_heartbeat(struct loop *loop, uint64_t period_ns, loop_timer_fn *fn, void *ctx)
{
	uint64_t now;

	if (period_ns == 0) {
		loop->beat_period = 0;
		loop->beat_fn = NULL;
		return STATUS_OK;
	}
	if (!fn)
		return STATUS_INVALID;
	status_t st = sysops_clock_read(loop->ops, &now);
	if (st)
		return st;
	loop->beat_period = period_ns;
	loop->beat_next = now + period_ns;
	loop->beat_fn = fn;
	loop->beat_ctx = ctx;
	return STATUS_OK;
}

static bool loop_has_deadline(const struct loop *loop)
{
	return loop->ntimers > 0 || loop->beat_period != 0;
}

/* The earliest deadline of a timer or the heartbeat; call only if
 * loop_has_deadline(). */
static uint64_t loop_nearest(const struct loop *loop)
{
	uint64_t d = UINT64_MAX;

	if (loop->ntimers)
		d = loop->timers[0].deadline;
	if (loop->beat_period && loop->beat_next < d)
		d = loop->beat_next;
	return d;
}

/* Runs the timers due at now that were armed before the turn's handlers
 * began (their ids are below limit). */
static void run_timers(struct loop *loop, uint64_t now, loop_timer_id limit)
{
	while (loop->ntimers && loop->timers[0].deadline <= now && loop->timers[0].id < limit) {
		struct loop_timer t = loop->timers[0];
		heap_remove(loop, 0);
		loop->stats.timers++;
		t.fn(loop, now, t.ctx);
	}
}

static void run_heartbeat(struct loop *loop, uint64_t now)
{
	if (!loop->beat_period || now < loop->beat_next)
		return;
	loop->beat_next += loop->beat_period;
	if (loop->beat_next <= now)
		loop->beat_next = now + loop->beat_period;
	loop->stats.heartbeats++;
	loop->beat_fn(loop, now, loop->beat_ctx);
}

/* ---------------------------------------------------------------- replies */

void loop_error_msg(struct keel_msg *m, status_t status, uint32_t label)
{
	uint32_t words[2] = { (uint32_t)status, label };

	memset(m, 0, sizeof *m);
	m->label = LOOP_REPLY_ERROR;
	m->len = LOOP_REPLY_ERROR_LEN;
	for (unsigned i = 0; i < sizeof words; i++)
		m->payload[i] = (uint8_t)(words[i / 4] >> (8 * (i % 4)));
}

static uint32_t get_u32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

status_t loop_error_parse(const struct keel_msg *m, status_t *status, uint32_t *label)
{
	if (m->label != LOOP_REPLY_ERROR || m->len != LOOP_REPLY_ERROR_LEN)
		return STATUS_BAD_FORMAT;
	uint32_t st = get_u32(m->payload);
	if (st == STATUS_OK)
		return STATUS_BAD_FORMAT;
	*status = (status_t)st;
	*label = get_u32(m->payload + 4);
	return STATUS_OK;
}

status_t loop_reply(struct loop *loop, cap_handle_t to_reply, const struct loop_reply *r)
{
	status_t st = sysops_msg_reply(loop->ops, to_reply, &r->msg, r->cap, r->mode);

	if (st)
		loop->stats.reply_errors++;
	else
		loop->stats.replies++;
	return st;
}

status_t loop_flush(struct loop *loop)
{
	if (!loop->held)
		return STATUS_OK;
	loop->held = false;
	return loop_reply(loop, loop->held_to, &loop->held_reply);
}

/* ---------------------------------------------------------------- the turn */

/* The wait's timeout: until the nearest deadline, 0 if it has passed,
 * TIMEOUT_FOREVER if there is none. */
static status_t loop_timeout(struct loop *loop, uint64_t *timeout)
{
	uint64_t now;

	*timeout = TIMEOUT_FOREVER;
	if (!loop_has_deadline(loop))
		return STATUS_OK;
	status_t st = sysops_clock_read(loop->ops, &now);
	if (st)
		return st;
	uint64_t d = loop_nearest(loop);
	*timeout = d > now ? d - now : 0;
	return STATUS_OK;
}

/*
 * The turn's one wait, for loop->mask until the nearest deadline. A held
 * reply goes with it in one sys_msg_reply_wait; if the kernel refuses the
 * reply (it then does not wait) the loop waits on its own. *pending gets
 * the bits that ended the wait, 0 on a timeout.
 */
static status_t loop_wait(struct loop *loop, uint64_t *pending)
{
	uint64_t timeout;
	status_t st = loop_timeout(loop, &timeout);
	bool waited = false;

	if (st)
		return st;
	*pending = 0;
	if (loop->held) {
		struct loop_reply *r = &loop->held_reply;
		loop->held = false;
		st = sysops_msg_reply_wait(loop->ops, loop->held_to, &r->msg, r->cap, r->mode,
					   loop->mask, timeout, pending);
		waited = st == STATUS_OK || st == STATUS_TIMEOUT;
		if (waited)
			loop->stats.replies++;
		else
			loop->stats.reply_errors++;
	}
	if (!waited)
		st = sysops_signal_wait(loop->ops, loop->mask, timeout, pending);
	loop->stats.waits++;
	if (st == STATUS_TIMEOUT) {
		*pending = 0;
		loop->stats.timeouts++;
		return STATUS_OK;
	}
	if (st)
		loop->stats.wait_errors++;
	else
		loop->stats.wakeups++;
	return st;
}

static void run_signals(struct loop *loop, uint64_t pending)
{
	pending &= ~loop->inbox_bit;
	while (pending) {
		unsigned bit = (unsigned)__builtin_ctzll(pending);
		struct loop_signal *s = &loop->signals[bit];
		pending &= pending - 1;
		if (!s->fn) {
			loop->stats.stray_signals++;
			continue;
		}
		loop->stats.signals++;
		s->fn(loop, bit, s->ctx);
	}
}

static const struct loop_handler *find_handler(const struct loop *loop, uint32_t label)
{
	unsigned i = handler_slot(loop, label);

	if (i < loop->nhandlers && loop->handlers[i].label == label)
		return &loop->handlers[i];
	return NULL;
}

/* Sends the answer to call m now, or holds it for the next wait when the
 * ring is empty (nothing else to do this turn before waiting). */
static void answer(struct loop *loop, const struct keel_msg *m, const struct loop_reply *r)
{
	loop_flush(loop);
	if (inbox_ring_pending(loop->ring) == 0) {
		loop->held = true;
		loop->held_to = m->cap;
		loop->held_reply = *r;
		return;
	}
	loop_reply(loop, m->cap, r);
}

static void dispatch(struct loop *loop, const struct keel_msg *m)
{
	const struct loop_handler *h = find_handler(loop, m->label);
	struct loop_reply r;
	status_t st;

	if (!h) {
		h = &loop->unknown;
		loop->stats.unknown++;
	}
	loop->stats.messages++;
	memset(&r, 0, sizeof r);
	st = h->fn(loop, m, &r, h->ctx);
	if (st)
		loop->stats.handler_errors++;
	if (!loop_msg_is_call(m)) {
		if (!st && r.msg.label)
			loop->stats.unanswerable++;
		return;
	}
	if (st) {
		memset(&r, 0, sizeof r);
		loop_error_msg(&r.msg, st, m->label);
	}
	if (r.msg.label)
		answer(loop, m, &r);
}

/* Dispatches the messages queued when the drain starts; later arrivals
 * raise the inbox bit again and are served next turn. */
static void drain_inbox(struct loop *loop)
{
	uint32_t n = inbox_ring_pending(loop->ring);
	struct keel_msg m;

	if (n > loop->ring->capacity)
		n = loop->ring->capacity;
	while (n-- && inbox_ring_pop(loop->ring, &m))
		dispatch(loop, &m);
}

status_t loop_turn(struct loop *loop)
{
	loop_timer_id limit = loop->next_timer_id;
	uint64_t pending, now = 0;
	status_t st;

	loop->stats.turns++;
	st = loop_wait(loop, &pending);
	if (st)
		return st;
	if (loop_has_deadline(loop)) {
		st = sysops_clock_read(loop->ops, &now);
		if (st)
			return st;
	}
	run_signals(loop, pending);
	run_timers(loop, now, limit);
	run_heartbeat(loop, now);
	drain_inbox(loop);
	return STATUS_OK;
}

status_t loop_run(struct loop *loop)
{
	status_t st = STATUS_OK;

	loop->stopped = false;
	while (!loop->stopped && st == STATUS_OK)
		st = loop_turn(loop);
	/* A refused reply is counted in stats; the caller it was for is not
	 * the loop's failure. */
	loop_flush(loop);
	return st;
}

void loop_stop(struct loop *loop)
{
	loop->stopped = true;
}
