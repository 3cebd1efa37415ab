/*
 * handlers.c - compd's messages (protocol.h): who may send what is told by
 * the badge; every payload is checked before use; a capability nobody
 * asked for is deleted at once.
 */
#include "compd.h"
#include "keel/codec.h"
#include "keel/sys.h"

#define KIND_ANY (TERM_BADGE_USER | TERM_BADGE_CONTROL)

/* The terminal a message's badge names, if its kind is in kinds. */
static struct terminal *badge_term(struct compd *c, const struct keel_msg *m, uint32_t kinds)
{
	if ((m->badge & TERM_BADGE_TAG_MASK) != TERM_BADGE_TAG)
		return NULL;
	uint32_t kind = (uint32_t)m->badge & (TERM_BADGE_USER | TERM_BADGE_CONTROL);
	uint32_t index = (uint32_t)m->badge & 0xff;
	if (index >= TERM_COUNT || !(kind & kinds) || kind == KIND_ANY)
		return NULL;
	return &c->term[index];
}

/* Common checks of a call to a terminal: a call (a send with a stray
 * capability loses it), from a capability of the right kind, with at
 * least len payload bytes. */
static status_t term_call(struct compd *c, const struct keel_msg *m, uint32_t kinds, size_t len,
			  struct terminal **t)
{
	if (!loop_msg_is_call(m)) {
		if (m->flags & MSG_FLAG_CAP)
			sys_cap_delete(m->cap);
		c->stats.bad_requests++;
		return STATUS_INVALID;
	}
	*t = badge_term(c, m, kinds);
	if (!*t)
		return STATUS_NO_RIGHTS;
	return m->len < len ? STATUS_BAD_FORMAT : STATUS_OK;
}

static uint32_t word(const struct keel_msg *m, unsigned i)
{
	struct codec_reader r;
	uint32_t v = 0;
	codec_reader_init(&r, m->payload + 4 * i, m->len >= 4 * i ? m->len - 4 * i : 0);
	codec_get_u32(&r, &v);
	return v;
}

/* Fills an OK reply with up to four words. */
static void ok(struct loop_reply *reply, unsigned n, const uint32_t *w)
{
	struct codec_writer wr;
	size_t len = 0;
	reply->msg.label = TERM_OK;
	codec_writer_init(&wr, reply->msg.payload, sizeof reply->msg.payload);
	for (unsigned i = 0; i < n; i++)
		codec_put_u32(&wr, w[i]);
	codec_writer_finish(&wr, &len);
	reply->msg.len = (uint16_t)len;
}

/* A new badged send capability to compd's inbox, moved with the reply. */
static status_t give_term_cap(struct compd *c, unsigned index, uint32_t kind,
			      struct loop_reply *reply)
{
	status_t st = sys_cap_derive(c->inbox, RIGHT_SEND | RIGHT_GRANT, TERM_BADGE(index, kind),
				     &reply->cap);
	if (st)
		return st;
	reply->mode = CAP_MOVE;
	uint32_t w = index;
	ok(reply, 1, &w);
	return STATUS_OK;
}

static status_t on_open(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			void *ctx)
{
	struct compd *c = ctx;
	(void)loop;
	if (!loop_msg_is_call(m) || m->len < 4)
		return STATUS_INVALID;
	if ((m->badge & TERM_BADGE_TAG_MASK) == TERM_BADGE_TAG)
		return STATUS_NO_RIGHTS; /* a terminal's holder opens no others */
	uint32_t index = word(m, 0);
	if (index >= TERM_COUNT)
		return STATUS_RANGE;
	return give_term_cap(c, index, TERM_BADGE_CONTROL, reply);
}

static status_t on_user_cap(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			    void *ctx)
{
	struct terminal *t;
	(void)loop;
	status_t st = term_call(ctx, m, TERM_BADGE_CONTROL, 0, &t);
	return st ? st : give_term_cap(ctx, t->index, TERM_BADGE_USER, reply);
}

/* A send carrying the controller's inbox capability (or none). */
static status_t on_controller(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			      void *ctx)
{
	struct terminal *t = badge_term(ctx, m, TERM_BADGE_CONTROL);
	cap_handle_t cap = (m->flags & MSG_FLAG_CAP) ? m->cap : CAP_HANDLE_NONE;
	uint64_t info = 0, badge = 0;
	(void)loop, (void)reply;
	if (loop_msg_is_call(m))
		return STATUS_INVALID;
	if (t && cap != CAP_HANDLE_NONE && sys_cap_info(cap, &info, &badge) == STATUS_OK &&
	    (uint32_t)info == OBJ_INBOX && ((info >> 32) & RIGHT_SEND)) {
		if (t->controller != CAP_HANDLE_NONE)
			sys_cap_delete(t->controller);
		t->controller = cap;
		return STATUS_OK;
	}
	if (cap != CAP_HANDLE_NONE)
		sys_cap_delete(cap);
	if (!t)
		return STATUS_NO_RIGHTS;
	if (t->controller != CAP_HANDLE_NONE && m->len == 0 && cap == CAP_HANDLE_NONE) {
		sys_cap_delete(t->controller);
		t->controller = CAP_HANDLE_NONE;
	}
	return cap == CAP_HANDLE_NONE ? STATUS_OK : STATUS_INVALID;
}

static status_t on_attach(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			  void *ctx)
{
	struct terminal *t;
	uint32_t w[2] = { 0, TERM_ATTACH_BYTES };
	(void)loop;
	status_t st = term_call(ctx, m, KIND_ANY, 0, &t);
	if (st == STATUS_OK)
		st = attach_new(ctx, t->index, &w[0], &reply->cap);
	if (st)
		return st;
	reply->mode = CAP_MOVE;
	ok(reply, 2, w);
	return STATUS_OK;
}

/* The attachment a call names in its first word. */
static status_t att_call(struct compd *c, const struct keel_msg *m, size_t len, struct terminal **t,
			 struct attachment **a)
{
	status_t st = term_call(c, m, KIND_ANY, len, t);
	if (st)
		return st;
	*a = attach_find(c, word(m, 0), (*t)->index);
	return *a ? STATUS_OK : STATUS_STALE;
}

/* A send: the client pushed output while compd slept on its channel. */
static status_t on_kick(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			void *ctx)
{
	(void)loop, (void)reply;
	if (m->flags & MSG_FLAG_CAP) {
		if (!loop_msg_is_call(m))
			sys_cap_delete(m->cap);
		return STATUS_INVALID;
	}
	if (!badge_term(ctx, m, KIND_ANY))
		return STATUS_NO_RIGHTS;
	attach_drain_all(ctx);
	return STATUS_OK;
}

static status_t on_read(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			void *ctx)
{
	struct terminal *t;
	struct attachment *a;
	(void)loop, (void)reply;
	status_t st = att_call(ctx, m, 8, &t, &a);
	if (st)
		return st;
	uint32_t max = word(m, 1);
	if (max == 0)
		return STATUS_INVALID;
	if (t->nreads == TERM_READS_MAX || attach_reading(ctx, a))
		return STATUS_BUSY; /* one read per attachment: no hogging */
	t->reads[t->nreads++] = (struct pending_read){ m->cap, word(m, 0), max };
	a->last_use = ++t->c->tick;
	terminal_serve_reads(t); /* answers now if input is there */
	return STATUS_OK;        /* label 0: answered later */
}

static status_t on_write_wait(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			      void *ctx)
{
	struct compd *c = ctx;
	struct terminal *t;
	struct attachment *a;
	(void)loop;
	status_t st = att_call(c, m, 4, &t, &a);
	if (st)
		return st;
	if (a->write_waiter != CAP_HANDLE_NONE)
		return STATUS_BUSY;
	attach_drain_all(c);
	if (!channel_readable(&a->out)) {
		reply->msg.label = TERM_OK;
		return STATUS_OK;
	}
	a->write_waiter = m->cap; /* answered by attach_write_waiter */
	return STATUS_OK;
}

static status_t on_info(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			void *ctx)
{
	struct terminal *t;
	(void)loop;
	status_t st = term_call(ctx, m, KIND_ANY, 0, &t);
	if (st)
		return st;
	uint32_t w[4] = { t->rows, t->cols, t->mode, t->index };
	ok(reply, 4, w);
	return STATUS_OK;
}

static status_t on_set_mode(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			    void *ctx)
{
	struct terminal *t;
	(void)loop;
	status_t st = term_call(ctx, m, KIND_ANY, 4, &t);
	if (st)
		return st;
	uint32_t mode = word(m, 0);
	if (mode & ~(uint32_t)TERM_MODE_ALL)
		return STATUS_INVALID;
	terminal_set_mode(t, mode);
	ok(reply, 0, NULL);
	return STATUS_OK;
}

static status_t on_detach(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			  void *ctx)
{
	struct terminal *t;
	struct attachment *a;
	(void)loop;
	status_t st = att_call(ctx, m, 4, &t, &a);
	if (st)
		return st;
	attach_drain_all(ctx); /* what it wrote still goes out */
	attach_free(ctx, a);
	ok(reply, 0, NULL);
	return STATUS_OK;
}

/* TERM_RELEASE: a send on a control capability (the controller never
 * waits for compd). */
static status_t on_release(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			   void *ctx)
{
	struct terminal *t = badge_term(ctx, m, TERM_BADGE_CONTROL);
	(void)loop, (void)reply;
	if (m->flags & MSG_FLAG_CAP)
		sys_cap_delete(m->cap);
	if (!t)
		return STATUS_NO_RIGHTS;
	if (loop_msg_is_call(m))
		return STATUS_INVALID;
	terminal_release_reads(t);
	return STATUS_OK;
}

/* A key from inputd: only through the service capability, never a call. */
static status_t on_key(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
		       void *ctx)
{
	struct compd *c = ctx;
	(void)loop, (void)reply;
	if (m->flags & MSG_FLAG_CAP)
		sys_cap_delete(m->cap);
	if (loop_msg_is_call(m) || (m->badge & TERM_BADGE_TAG_MASK) == TERM_BADGE_TAG)
		return STATUS_NO_RIGHTS;
	vc_key(c, m->payload, m->len);
	return STATUS_OK;
}

status_t compd_register(struct compd *c)
{
	static const struct {
		uint32_t label;
		loop_msg_fn *fn;
	} table[] = {
		{ TERM_OPEN, on_open },
		{ TERM_USER_CAP, on_user_cap },
		{ TERM_CONTROLLER, on_controller },
		{ TERM_ATTACH, on_attach },
		{ TERM_KICK, on_kick },
		{ TERM_READ, on_read },
		{ TERM_WRITE_WAIT, on_write_wait },
		{ TERM_INFO, on_info },
		{ TERM_SET_MODE, on_set_mode },
		{ TERM_DETACH, on_detach },
		{ TERM_RELEASE, on_release },
		{ TERM_KEY, on_key },
	};
	status_t st = STATUS_OK;
	for (size_t i = 0; st == STATUS_OK && i < sizeof table / sizeof table[0]; i++)
		st = loop_on_msg(&c->loop, table[i].label, table[i].fn, c);
	return st;
}
