/*
 * terminal.c - one terminal: its line discipline between the input (the
 * serial line, or keys of the virtual console) and the programs' reads,
 * its output to the serial line or the emulator, and the controller's
 * notifications.
 */
#include <string.h>

#include "compd.h"
#include "keel/codec.h"
#include "keel/sys.h"

/* Writes processed bytes to where the terminal shows them. */
static void sink(struct terminal *t, const uint8_t *p, size_t n)
{
	if (t->vt) {
		vt_write(t->vt, p, n);
		return;
	}
	t->c->stats.tx_bytes += n;
	uart_write(&t->c->uart, p, n);
}

static void echo(void *ctx, const uint8_t *bytes, size_t n)
{
	sink(ctx, bytes, n);
}

status_t terminal_init(struct compd *c, unsigned index)
{
	struct terminal *t = &c->term[index];
	memset(t, 0, sizeof *t);
	t->c = c;
	t->index = index;
	t->mode = TERM_MODE_COOKED;
	t->rows = 24;
	t->cols = 80;
	t->controller = CAP_HANDLE_NONE;
	uint64_t now = 0;
	sys_clock_read(&now);
	t->status.instance = (uint32_t)(now ^ now >> 32) | 1; /* never 0 */
	if (index >= TERM_VC_FIRST) {
		t->vt = &c->vts[index - TERM_VC_FIRST];
		t->rows = t->vt->rows;
		t->cols = t->vt->cols;
	}
	return ldisc_init(&t->ld, t->mode, t->line, sizeof t->line, t->queue, sizeof t->queue, echo,
			  t);
}

static status_t answer(struct terminal *t, cap_handle_t reply, uint32_t count, uint32_t flags);
static void pop_read(struct terminal *t);

/* Tells the controller about Ctrl-C, Ctrl-\ or Ctrl-Z (never waits). */
static void notify(struct terminal *t, uint32_t events)
{
	struct keel_msg m = { .label = TERM_EVENT };
	struct codec_writer w;
	size_t len = 0;
	if (t->controller == CAP_HANDLE_NONE)
		return;
	codec_writer_init(&w, m.payload, sizeof m.payload);
	codec_put_u32(&w, t->index);
	codec_put_u32(&w, events);
	codec_writer_finish(&w, &len);
	m.len = (uint16_t)len;
	if (sys_msg_send(t->controller, &m, CAP_HANDLE_NONE, 0))
		t->events_lost++;
}

void terminal_status_put(const struct terminal *t, struct attachment *a)
{
	struct term_status *s = (struct term_status *)((uint8_t *)a->base + a->bytes / 2 -
						       TERM_STATUS_BYTES);
	__atomic_store_n(&s->readable, t->status.readable, __ATOMIC_RELAXED);
	__atomic_store_n(&s->intr, t->status.intr, __ATOMIC_RELAXED);
	__atomic_store_n(&s->quit, t->status.quit, __ATOMIC_RELAXED);
	__atomic_store_n(&s->susp, t->status.susp, __ATOMIC_RELAXED);
	__atomic_store_n(&s->instance, t->status.instance, __ATOMIC_RELAXED);
	__atomic_store_n(&s->seq, t->status.seq, __ATOMIC_RELEASE);
}

/* Recomputes whether a read would return something and, if that or a
 * counter (changed is true) moved, publishes the status words to every
 * attachment of t and wakes the clients waiting on them (poll). */
static void publish(struct terminal *t, bool changed)
{
	uint32_t readable = t->pushback_len || ldisc_readable(&t->ld);
	if (!changed && readable == t->status.readable)
		return;
	t->status.readable = readable;
	t->status.seq++;
	for (unsigned i = 0; i < COMPD_ATTACH_MAX; i++) {
		struct attachment *a = &t->c->att[i];
		if (!a->used || a->term != t->index || !a->base)
			continue;
		terminal_status_put(t, a);
		uint64_t woken = 0;
		sys_futex_wake((uint64_t)(uintptr_t)a->base + a->bytes / 2 - TERM_STATUS_BYTES,
			       UINT32_MAX, &woken);
	}
}

/* Ctrl-C (and TERM_RELEASE): every waiting read is answered with
 * TERM_READ_INTR (count 0), so that a program that handles interrupts
 * stops waiting; the others read again. */
void terminal_release_reads(struct terminal *t)
{
	while (t->nreads) {
		cap_handle_t reply = t->reads[0].reply;
		pop_read(t);
		if (answer(t, reply, 0, TERM_READ_INTR))
			t->c->stats.reply_failures++;
	}
}

void terminal_input(struct terminal *t, const uint8_t *in, size_t n)
{
	uint32_t ev = ldisc_input(&t->ld, in, n);
	uint32_t sig = 0;
	if (ev & LDISC_EV_INTR) {
		sig |= TERM_EV_INTR;
		t->status.intr++;
	}
	if (ev & LDISC_EV_QUIT) {
		sig |= TERM_EV_QUIT;
		t->status.quit++;
	}
	if (ev & LDISC_EV_SUSP) {
		sig |= TERM_EV_SUSP;
		t->status.susp++;
	}
	if (ev & LDISC_EV_INTR)
		terminal_release_reads(t); /* before input typed after the Ctrl-C is served */
	if (ev & LDISC_EV_READABLE)
		terminal_serve_reads(t);
	publish(t, sig != 0);
	/* The controller hears last. What it does about the event - initd
	 * ends the foreground job, whose launcher's wait then returns - must
	 * find the event counted in every attachment: a shell that saw its
	 * job end by Ctrl-C before the count moved would take the count's
	 * move for a Ctrl-C typed at its next command, and abandon it. */
	if (sig)
		notify(t, sig);
}

/* Answers a read: count bytes were pushed, eof as noted. */
static status_t answer(struct terminal *t, cap_handle_t reply, uint32_t count, uint32_t flags)
{
	struct loop_reply r = { 0 };
	struct codec_writer w;
	size_t len = 0;
	r.msg.label = TERM_OK;
	codec_writer_init(&w, r.msg.payload, sizeof r.msg.payload);
	codec_put_u32(&w, count);
	codec_put_u32(&w, flags);
	codec_writer_finish(&w, &len);
	r.msg.len = (uint16_t)len;
	r.cap = CAP_HANDLE_NONE;
	return loop_reply(&t->c->loop, reply, &r);
}

/* Takes up to cap bytes of input for a reader: the pushback first. */
static enum ldisc_read_result take(struct terminal *t, uint8_t *buf, size_t cap, size_t *n)
{
	if (t->pushback_len) {
		size_t k = t->pushback_len < cap ? t->pushback_len : cap;
		memcpy(buf, t->pushback, k);
		memmove(t->pushback, t->pushback + k, t->pushback_len - k);
		t->pushback_len -= (uint32_t)k;
		*n = k;
		return LDISC_READ_DATA;
	}
	return ldisc_read(&t->ld, buf, cap, n);
}

/* Puts bytes a failed reader never got back in front of the input. */
static void give_back(struct terminal *t, const uint8_t *buf, size_t n)
{
	if (n > sizeof t->pushback - t->pushback_len)
		n = sizeof t->pushback - t->pushback_len; /* cannot happen: see take */
	memmove(t->pushback + n, t->pushback, t->pushback_len);
	memcpy(t->pushback, buf, n);
	t->pushback_len += (uint32_t)n;
}

static void pop_read(struct terminal *t)
{
	memmove(&t->reads[0], &t->reads[1], (t->nreads - 1) * sizeof t->reads[0]);
	t->nreads--;
}

/* Serves the oldest waiting read if input is there; false if it waits. */
static bool serve_one(struct terminal *t)
{
	struct pending_read *pr = &t->reads[0];
	struct attachment *a = attach_find(t->c, pr->att, t->index);
	uint8_t buf[COMPD_CHUNK];
	size_t n = 0;
	if (!a) {
		struct loop_reply r = { 0 };
		loop_error_msg(&r.msg, STATUS_STALE, TERM_READ);
		loop_reply(&t->c->loop, pr->reply, &r);
		pop_read(t);
		return true;
	}
	size_t cap = channel_writable(&a->in);
	cap = cap < pr->max ? cap : pr->max;
	cap = cap < sizeof buf ? cap : sizeof buf;
	enum ldisc_read_result res = cap ? take(t, buf, cap, &n) : LDISC_READ_DATA;
	if (res == LDISC_READ_EMPTY)
		return false;
	if (n)
		channel_push_batch(&a->in, buf, (uint32_t)n);
	cap_handle_t reply = pr->reply;
	pop_read(t);
	if (answer(t, reply, (uint32_t)n, res == LDISC_READ_EOF ? TERM_READ_EOF : 0)) {
		/* The reader is gone or gave up: its channel goes with it. */
		t->c->stats.reply_failures++;
		give_back(t, buf, n);
		attach_free(t->c, a);
	}
	return true;
}

void terminal_serve_reads(struct terminal *t)
{
	while (t->nreads && serve_one(t))
		;
	publish(t, false);
}

void terminal_set_mode(struct terminal *t, uint32_t mode)
{
	t->mode = mode;
	ldisc_set_flags(&t->ld, mode);
	terminal_serve_reads(t); /* publishes a change of readable */
}

size_t terminal_room(const struct terminal *t)
{
	if (t->vt)
		return COMPD_CHUNK;
	size_t room = uart_room(&t->c->uart);
	return room / 2; /* output processing may double every byte */
}

void terminal_output(struct terminal *t, const uint8_t *in, size_t n)
{
	uint8_t out[2 * COMPD_CHUNK];
	while (n) {
		size_t used = 0;
		size_t k = ldisc_output(&t->ld, in, n, out, sizeof out, &used);
		sink(t, out, k);
		in += used;
		n -= used;
		if (!used)
			break;
	}
	if (!t->vt)
		return;
	uint8_t replies[128]; /* the emulator's answers to queries are input */
	size_t k = vt_take_replies(t->vt, replies, sizeof replies);
	if (k)
		terminal_input(t, replies, k);
	if (t->c->focus == t->index)
		vc_flush(t->c);
}
