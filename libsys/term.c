/*
 * term.c - the terminal client (keel/term.h): compd's terminal protocol
 * (services/compd/protocol.h) from the program's side.
 */
#include "keel/term.h"

#include "keel/codec.h"
#include "keel/loop.h"
#include "keel/map.h"

#define ATTACH_BYTES_MAX (1u << 20)

/* Calls compd; turns LOOP_REPLY_ERROR into its status and anything but
 * TERM_OK into BAD_FORMAT. A capability in a reply that is not TERM_OK is
 * deleted. */
static status_t call(cap_handle_t to, struct keel_msg *m, uint64_t timeout)
{
	status_t st = sys_msg_call(to, m, timeout);
	if (st)
		return st;
	if (m->label == TERM_OK)
		return STATUS_OK;
	if (m->flags & MSG_FLAG_CAP)
		sys_cap_delete(m->cap);
	status_t why;
	uint32_t label;
	if (loop_error_parse(m, &why, &label) == STATUS_OK)
		return why;
	return STATUS_BAD_FORMAT;
}

/* A message with label and up to two u32 words. */
static void msg_words(struct keel_msg *m, uint32_t label, unsigned n, uint32_t a, uint32_t b)
{
	struct codec_writer w;
	size_t len = 0;
	memset(m, 0, sizeof *m);
	m->label = label;
	codec_writer_init(&w, m->payload, sizeof m->payload);
	if (n > 0)
		codec_put_u32(&w, a);
	if (n > 1)
		codec_put_u32(&w, b);
	codec_writer_finish(&w, &len);
	m->len = (uint16_t)len;
}

/* The capability a reply carries, or CAP_HANDLE_NONE. */
static cap_handle_t reply_cap(const struct keel_msg *m)
{
	return (m->flags & MSG_FLAG_CAP) ? m->cap : CAP_HANDLE_NONE;
}

/* Forgets the attachment locally: unmaps and deletes, without telling compd. */
static void drop(struct term_client *c)
{
	if (c->base)
		keel_unmap(c->base, c->bytes / KEEL_PAGE_SIZE);
	if (c->mem != CAP_HANDLE_NONE)
		sys_cap_delete(c->mem);
	c->base = NULL;
	c->mem = CAP_HANDLE_NONE;
	c->bytes = 0;
}

/* Maps the memory of a TERM_ATTACH reply and checks both channels. */
static status_t map_channels(struct term_client *c, cap_handle_t mem, uint32_t bytes)
{
	void *base;
	c->mem = mem;
	if (bytes < 2 * KEEL_PAGE_SIZE || bytes > ATTACH_BYTES_MAX || bytes % (2 * KEEL_PAGE_SIZE))
		return STATUS_BAD_FORMAT;
	status_t st = keel_map(mem, 0, bytes / KEEL_PAGE_SIZE, RIGHT_READ | RIGHT_WRITE, &base);
	if (st)
		return st;
	c->base = base;
	c->bytes = bytes;
	st = channel_attach(base, bytes / 2 - TERM_STATUS_BYTES, &c->in);
	if (st == STATUS_OK)
		st = channel_attach((uint8_t *)base + bytes / 2, bytes / 2, &c->out);
	if (st == STATUS_OK && (c->in.elem_size != 1 || c->out.elem_size != 1))
		st = STATUS_BAD_FORMAT;
	return st;
}

/* The terminal's status words in the attachment's memory (protocol.h). */
static const struct term_status *status_of(const struct term_client *c)
{
	return (const struct term_status *)((const uint8_t *)c->base + c->bytes / 2 -
					    TERM_STATUS_BYTES);
}

/* A new attachment: the same terminal instance goes on counting where it
 * was (interrupts typed meanwhile count); a new one (compd restarted)
 * starts from the count the client had. */
static void count_from(struct term_client *c)
{
	uint32_t instance = __atomic_load_n(&status_of(c)->instance, __ATOMIC_ACQUIRE);
	uint32_t intr = __atomic_load_n(&status_of(c)->intr, __ATOMIC_ACQUIRE);
	if (instance != c->instance || !instance)
		c->intr_base = c->intr_last - intr;
	c->instance = instance;
	c->intr_last = c->intr_base + intr;
}

/* The output channel's doorbell: a TERM_KICK message to compd (see
 * protocol.h), raised through channel_notify's sysops. */
static status_t kick(void *ctx, cap_handle_t term, uint64_t bits)
{
	struct term_client *c = ctx;
	struct keel_msg m;
	(void)bits;
	msg_words(&m, TERM_KICK, 1, c->id, 0);
	return sys_msg_send(term, &m, CAP_HANDLE_NONE, 0);
}

/* Attaches c->term afresh. */
static status_t attach(struct term_client *c)
{
	struct keel_msg m;
	struct codec_reader r;
	uint32_t bytes = 0;
	msg_words(&m, TERM_ATTACH, 0, 0, 0);
	status_t st = call(c->term, &m, TIMEOUT_FOREVER);
	if (st)
		return st;
	codec_reader_init(&r, m.payload, m.len);
	if (codec_get_u32(&r, &c->id) || codec_get_u32(&r, &bytes) ||
	    reply_cap(&m) == CAP_HANDLE_NONE) {
		if (reply_cap(&m) != CAP_HANDLE_NONE)
			sys_cap_delete(m.cap);
		return STATUS_BAD_FORMAT;
	}
	st = map_channels(c, m.cap, bytes);
	if (st == STATUS_OK) {
		c->kick = (struct sysops){ .ctx = c, .signal_raise = kick };
		channel_set_doorbell(&c->out, c->term, 1);
		count_from(c);
	}
	if (st)
		drop(c);
	return st;
}

status_t term_attach(struct term_client *c, cap_handle_t tty)
{
	memset(c, 0, sizeof *c);
	c->term = tty;
	c->mem = CAP_HANDLE_NONE;
	return attach(c);
}

void term_detach(struct term_client *c)
{
	struct keel_msg m;
	if (c->base) {
		msg_words(&m, TERM_DETACH, 1, c->id, 0);
		call(c->term, &m, TERM_CONTROL_TIMEOUT_NS); /* a program's exit waits on it */
	}
	drop(c);
}

/* After STALE: compd reclaimed the attachment; attach again. */
static status_t reattach(struct term_client *c)
{
	drop(c);
	c->reattached++;
	return attach(c);
}

/* After STALE on an attachment whose output channel compd closed: attach
 * again and move what compd never took from the old channel to the new
 * one (keel/channel.h, "Closing"), so that nothing written is lost. */
static status_t reattach_moving(struct term_client *c)
{
	struct term_client old = *c;
	uint8_t buf[256];
	uint32_t k;
	c->base = NULL;
	c->mem = CAP_HANDLE_NONE;
	c->reattached++;
	status_t st = attach(c);
	while (st == STATUS_OK && (k = channel_take_back(&old.out, buf, sizeof buf)))
		if (channel_push_batch(&c->out, buf, k) != k)
			st = STATUS_FULL; /* cannot be: the new channel is as large and empty */
	if (st == STATUS_OK)
		channel_notify(&c->out, &c->kick);
	drop(&old);
	return st;
}

/* Waits until compd has emptied the output channel (at most timeout ns). */
static status_t write_wait_for(struct term_client *c, uint64_t timeout)
{
	struct keel_msg m;
	msg_words(&m, TERM_WRITE_WAIT, 1, c->id, 0);
	return call(c->term, &m, timeout);
}

static status_t write_wait(struct term_client *c)
{
	return write_wait_for(c, TIMEOUT_FOREVER);
}

/* After a push: if compd closed the output channel (it reclaims idle
 * attachments), asks it; once it is gone, moves the bytes to a new one. */
static status_t check_closed(struct term_client *c)
{
	if (!channel_closed(&c->out))
		return STATUS_OK;
	status_t st = write_wait(c);
	return st == STATUS_STALE ? reattach_moving(c) : st;
}

status_t term_write(struct term_client *c, const void *buf, size_t n)
{
	const uint8_t *p = buf;
	status_t st = c->base ? STATUS_OK : reattach(c);
	while (st == STATUS_OK && n) {
		uint32_t k = channel_push_batch(&c->out, p,
						n > UINT32_MAX ? UINT32_MAX : (uint32_t)n);
		p += k;
		n -= k;
		if (k) {
			channel_notify(&c->out, &c->kick);
			st = check_closed(c);
		}
		if (st == STATUS_OK && n && k == 0) {
			st = write_wait(c);
			if (st == STATUS_STALE)
				st = reattach_moving(c);
		}
	}
	return st;
}

status_t term_drain(struct term_client *c)
{
	if (!c->base)
		return STATUS_OK;
	status_t st = write_wait(c);
	if (st == STATUS_STALE && channel_closed(&c->out) && (st = reattach_moving(c)) == STATUS_OK)
		st = write_wait(c);
	return st == STATUS_STALE ? STATUS_OK : st;
}

status_t term_flush(struct term_client *c, uint64_t timeout)
{
	if (!c->base || channel_writable(&c->out) == c->out.capacity)
		return STATUS_OK; /* nothing left for compd to take */
	status_t st = write_wait_for(c, timeout);
	return st == STATUS_STALE ? STATUS_OK : st;
}

uint32_t term_readable(struct term_client *c)
{
	return c->base ? channel_readable(&c->in) : 0;
}

uint32_t term_interrupts(struct term_client *c)
{
	if (!c->base)
		return c->intr_last;
	c->intr_last = c->intr_base + __atomic_load_n(&status_of(c)->intr, __ATOMIC_ACQUIRE);
	return c->intr_last;
}

bool term_poll(struct term_client *c, uint32_t *seq)
{
	*seq = 0;
	if (!c->base)
		return false;
	*seq = __atomic_load_n(&status_of(c)->seq, __ATOMIC_ACQUIRE);
	return channel_readable(&c->in) ||
	       __atomic_load_n(&status_of(c)->readable, __ATOMIC_ACQUIRE);
}

status_t term_wait(struct term_client *c, uint32_t seq, uint64_t timeout)
{
	if (!c->base)
		return STATUS_STALE;
	status_t st = sys_futex_wait((uint64_t)(uintptr_t)&status_of(c)->seq, seq, timeout);
	return st == STATUS_BUSY ? STATUS_OK : st;
}

/* Asks compd for input; *eof on end of file, *intr when Ctrl-C ended the
 * wait. */
static status_t read_call(struct term_client *c, size_t cap, int *eof, int *intr)
{
	struct keel_msg m;
	struct codec_reader r;
	uint32_t count = 0, flags = 0, max = c->in.capacity;
	if (cap < max)
		max = (uint32_t)cap;
	msg_words(&m, TERM_READ, 2, c->id, max);
	status_t st = call(c->term, &m, TIMEOUT_FOREVER);
	if (st)
		return st;
	codec_reader_init(&r, m.payload, m.len);
	if (codec_get_u32(&r, &count) || codec_get_u32(&r, &flags))
		return STATUS_BAD_FORMAT;
	*eof = count == 0 && (flags & TERM_READ_EOF);
	*intr = count == 0 && (flags & TERM_READ_INTR);
	return STATUS_OK;
}

status_t term_read(struct term_client *c, void *buf, size_t cap, size_t *n, int flags)
{
	*n = 0;
	if (cap == 0)
		return STATUS_OK;
	status_t st = c->base ? STATUS_OK : reattach(c);
	while (st == STATUS_OK) {
		uint32_t k = channel_pop_batch(&c->in, buf,
					       cap > UINT32_MAX ? UINT32_MAX : (uint32_t)cap);
		if (k) {
			*n = k;
			return STATUS_OK;
		}
		if (flags & TERM_READ_NONBLOCK)
			return STATUS_EMPTY;
		int eof = 0, intr = 0;
		st = read_call(c, cap, &eof, &intr);
		if (st == STATUS_STALE)
			st = reattach_moving(c);
		else if (st == STATUS_OK && eof)
			return STATUS_OK;
		else if (st == STATUS_OK && intr && (flags & TERM_READ_INTERRUPTIBLE))
			return STATUS_EMPTY;
	}
	return st;
}

status_t term_info(cap_handle_t tty, uint16_t *rows, uint16_t *cols, uint32_t *mode)
{
	struct keel_msg m;
	struct codec_reader r;
	uint32_t rr = 0, cc = 0, md = 0;
	msg_words(&m, TERM_INFO, 0, 0, 0);
	status_t st = call(tty, &m, TIMEOUT_FOREVER);
	if (st)
		return st;
	codec_reader_init(&r, m.payload, m.len);
	if (codec_get_u32(&r, &rr) || codec_get_u32(&r, &cc) || codec_get_u32(&r, &md) ||
	    rr > UINT16_MAX || cc > UINT16_MAX)
		return STATUS_BAD_FORMAT;
	*rows = (uint16_t)rr;
	*cols = (uint16_t)cc;
	*mode = md;
	return STATUS_OK;
}

status_t term_set_mode(cap_handle_t tty, uint32_t mode)
{
	struct keel_msg m;
	msg_words(&m, TERM_SET_MODE, 1, mode, 0);
	return call(tty, &m, TIMEOUT_FOREVER);
}

/* A controller's call whose reply carries one capability, moved to *out.
 * Controllers are supervisors: they wait at most TERM_CONTROL_TIMEOUT_NS. */
static status_t call_for_cap(cap_handle_t to, uint32_t label, unsigned n, uint32_t a,
			     cap_handle_t *out)
{
	struct keel_msg m;
	msg_words(&m, label, n, a, 0);
	status_t st = call(to, &m, TERM_CONTROL_TIMEOUT_NS);
	if (st)
		return st;
	*out = reply_cap(&m);
	return *out == CAP_HANDLE_NONE ? STATUS_BAD_FORMAT : STATUS_OK;
}

status_t term_open(cap_handle_t compd, uint32_t index, cap_handle_t *control)
{
	return call_for_cap(compd, TERM_OPEN, 1, index, control);
}

status_t term_user_cap(cap_handle_t control, cap_handle_t *user)
{
	return call_for_cap(control, TERM_USER_CAP, 0, 0, user);
}

status_t term_set_controller(cap_handle_t control, cap_handle_t inbox_send)
{
	struct keel_msg m;
	msg_words(&m, TERM_CONTROLLER, 0, 0, 0);
	return sys_msg_send(control, &m, inbox_send, CAP_COPY);
}

status_t term_release_reads(cap_handle_t control)
{
	struct keel_msg m;
	msg_words(&m, TERM_RELEASE, 0, 0, 0);
	return sys_msg_send(control, &m, CAP_HANDLE_NONE, 0);
}

status_t term_event_parse(const struct keel_msg *m, uint32_t *index, uint32_t *events)
{
	struct codec_reader r;
	if (m->label != TERM_EVENT || m->len != 8)
		return STATUS_BAD_FORMAT;
	codec_reader_init(&r, m->payload, m->len);
	if (codec_get_u32(&r, index) || codec_get_u32(&r, events) || *index >= TERM_COUNT)
		return STATUS_BAD_FORMAT;
	return STATUS_OK;
}
