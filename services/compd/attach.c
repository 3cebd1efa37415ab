/*
 * attach.c - attachments: a program's pair of channels on a terminal, in
 * memory compd creates and shares (protocol.h, TERM_ATTACH). compd is the
 * producer of the input channel and the consumer of the output channel,
 * whose doorbell is the client's TERM_KICK message.
 *
 * A program detaches as it exits (sysroot/keel/terminal.c), which frees
 * the attachment and its memory at once. Attachments are a fixed table.
 * When it is full, the idle attachment used longest ago - no read or
 * write waiting on it, its output channel empty - is reclaimed: a program
 * that died without detaching (a fault, a kill) costs nothing for long,
 * and one that is alive finds its output channel closed or its id
 * STALE and attaches again (keel/term.h does so by itself), moving what it
 * wrote after the close to the new attachment: nothing is lost.
 */
#include <string.h>

#include "compd.h"
#include "keel/map.h"
#include "keel/sys.h"

#define DRAIN_BUDGET (64u * 1024) /* bytes per attachment per turn */

struct attachment *attach_find(struct compd *c, uint32_t id, unsigned term)
{
	uint32_t i = id & 0xff;
	if (i >= COMPD_ATTACH_MAX)
		return NULL;
	struct attachment *a = &c->att[i];
	if (!a->used || a->gen != id >> 8 || a->term != term)
		return NULL;
	return a;
}

bool attach_reading(struct compd *c, struct attachment *a)
{
	struct terminal *t = &c->term[a->term];
	for (uint32_t i = 0; i < t->nreads; i++)
		if (t->reads[i].att == attach_id(c, a))
			return true;
	return false;
}

/* The idle attachment used longest ago, not yet tried; NULL if none. */
static struct attachment *oldest_idle(struct compd *c, const bool *tried)
{
	struct attachment *best = NULL;
	for (unsigned i = 0; i < COMPD_ATTACH_MAX; i++) {
		struct attachment *a = &c->att[i];
		if (tried[i] || a->write_waiter != CAP_HANDLE_NONE || channel_readable(&a->out) ||
		    attach_reading(c, a))
			continue;
		if (!best || a->last_use < best->last_use)
			best = a;
	}
	return best;
}

/* A free entry, reclaiming the idle one used longest ago if need be. The
 * reclaimed one's output channel is closed first (keel/channel.h): if its
 * program pushed meanwhile, it stays, and the next oldest is tried; if not,
 * the program sees the close after its next push and takes its bytes back
 * to a new attachment (libsys term.c), so nothing written is lost. */
static struct attachment *free_entry(struct compd *c)
{
	bool tried[COMPD_ATTACH_MAX] = { false };
	for (unsigned i = 0; i < COMPD_ATTACH_MAX; i++)
		if (!c->att[i].used)
			return &c->att[i];
	struct attachment *a;
	while ((a = oldest_idle(c, tried))) {
		tried[a - c->att] = true;
		channel_close(&a->out);
		if (channel_readable(&a->out)) {
			channel_reopen(&a->out); /* written to just now: keep it */
			continue;
		}
		c->stats.reclaimed++;
		attach_free(c, a);
		return a;
	}
	return NULL;
}

/* Creates and maps the shared memory of a and lays out its channels. */
static status_t make_channels(struct attachment *a)
{
	uint64_t pages = TERM_ATTACH_BYTES / KEEL_PAGE_SIZE;
	status_t st = sys_memory_create(pages, 0, &a->mem);
	if (st)
		return st;
	st = keel_map(a->mem, 0, pages, RIGHT_READ | RIGHT_WRITE, &a->base);
	if (st == STATUS_OK) {
		a->bytes = TERM_ATTACH_BYTES;
		st = channel_init(a->base, a->bytes / 2 - TERM_STATUS_BYTES, 1, &a->in);
	}
	if (st == STATUS_OK)
		st = channel_init((uint8_t *)a->base + a->bytes / 2, a->bytes / 2, 1, &a->out);
	return st;
}

status_t attach_new(struct compd *c, unsigned term, uint32_t *id, cap_handle_t *mem_for_client)
{
	struct attachment *a = free_entry(c);
	if (!a)
		return STATUS_FULL;
	uint32_t gen = (a->gen + 1) & 0xffffff;
	memset(a, 0, sizeof *a);
	a->gen = gen;
	a->mem = a->write_waiter = CAP_HANDLE_NONE;
	a->term = (uint8_t)term;
	status_t st = make_channels(a);
	if (st == STATUS_OK)
		st = sys_cap_derive(a->mem, RIGHT_READ | RIGHT_WRITE | RIGHT_MAP | RIGHT_GRANT, 0,
				    mem_for_client);
	a->used = true;
	if (st) {
		attach_free(c, a);
		return st;
	}
	channel_prepare_wait(&a->out); /* empty: the first push rings */
	terminal_status_put(&c->term[term], a);
	a->last_use = ++c->tick;
	*id = attach_id(c, a);
	return STATUS_OK;
}

void attach_free(struct compd *c, struct attachment *a)
{
	if (a->write_waiter != CAP_HANDLE_NONE) {
		struct loop_reply r = { 0 };
		loop_error_msg(&r.msg, STATUS_STALE, TERM_WRITE_WAIT);
		loop_reply(&c->loop, a->write_waiter, &r);
	}
	if (a->base)
		keel_unmap(a->base, a->bytes / KEEL_PAGE_SIZE);
	if (a->mem != CAP_HANDLE_NONE)
		sys_cap_delete(a->mem);
	uint32_t gen = a->gen;
	memset(a, 0, sizeof *a);
	a->gen = gen;
	a->mem = a->write_waiter = CAP_HANDLE_NONE;
}

void attach_write_waiter(struct compd *c, struct attachment *a)
{
	if (a->write_waiter == CAP_HANDLE_NONE || channel_readable(&a->out))
		return;
	struct loop_reply r = { 0 };
	r.msg.label = TERM_OK;
	loop_reply(&c->loop, a->write_waiter, &r);
	a->write_waiter = CAP_HANDLE_NONE;
}

/* Moves a's output to its terminal until the channel is empty (then asks
 * for the doorbell), the terminal is full (the transmit interrupt resumes)
 * or the turn's budget is spent. */
static void drain_one(struct compd *c, struct attachment *a)
{
	struct terminal *t = &c->term[a->term];
	uint8_t buf[COMPD_CHUNK];
	size_t moved = 0;
	for (;;) {
		size_t room = terminal_room(t);
		if (room == 0)
			return;
		if (moved >= DRAIN_BUDGET) {
			c->more_output = true;
			return;
		}
		uint32_t k = channel_pop_batch(&a->out, buf, room < sizeof buf ? room : sizeof buf);
		if (k) {
			terminal_output(t, buf, k);
			moved += k;
			a->last_use = ++c->tick;
			continue;
		}
		attach_write_waiter(c, a);
		if (channel_prepare_wait(&a->out))
			return;
	}
}

static void more(struct loop *loop, uint64_t now, void *ctx)
{
	(void)loop, (void)now;
	attach_drain_all(ctx);
}

void attach_drain_all(struct compd *c)
{
	c->more_output = false;
	for (unsigned i = 0; i < COMPD_ATTACH_MAX; i++)
		if (c->att[i].used)
			drain_one(c, &c->att[i]);
	if (c->more_output) /* come back next turn, after the inbox */
		loop_timer_add(&c->loop, 0, more, c, NULL);
}
