/*
 * main.c - echo, the example service, in the canonical shape: set up an
 * inbox, register handlers, say hello to the supervisor, then one wait per
 * loop turn (libsys loop.c), with a heartbeat to initd.
 */
#include "../initd/protocol.h"
#include "echo.h"
#include "protocol.h"
#include "keel/spawn.h"
#include "keel/sys.h"

#define INBOX_BIT 0
#define INBOX_SLOTS 64

struct echo {
	struct loop loop;
	struct peers peers;
	cap_handle_t supervisor;
};

static void heartbeat(struct loop *loop, uint64_t now, void *ctx)
{
	struct echo *e = ctx;
	struct keel_msg m = { .label = INITD_HEARTBEAT };
	(void)loop, (void)now;
	sys_msg_send(e->supervisor, &m, CAP_HANDLE_NONE, 0);
}

/* Gives initd a send capability to the inbox (moved with the hello);
 * messages wait in the ring until the loop's first turn. */
static status_t say_hello(struct echo *e, cap_handle_t inbox)
{
	cap_handle_t give;
	status_t st = sys_cap_derive(inbox, RIGHT_SEND | RIGHT_GRANT, 0, &give);
	if (st == STATUS_OK) {
		struct keel_msg hello = { .label = INITD_HELLO };
		st = sys_msg_send(e->supervisor, &hello, give, CAP_MOVE);
	}
	return st;
}

/* The peers it sends to, kept current by initd's INITD_PEER. echo2's
 * manifest says "sends echo" and declares no devices, so that inbox is its
 * first start capability; echo's manifest sends to no one. */
static status_t peers_setup(struct echo *e, const struct keel_start *s)
{
	peers_init(&e->peers, &sysops_kernel);
	status_t st = STATUS_OK;
	if (keel_start_cap(s, 0) != CAP_HANDLE_NONE)
		st = peers_add(&e->peers, ECHO_PEER, keel_start_cap(s, 0));
	return st ? st : peers_listen(&e->peers, &e->loop, INITD_PEER);
}

int keel_main(const struct keel_start *s)
{
	struct echo e = { .supervisor = s->supervisor }; /* on the stack: one per instance */
	struct inbox_ring *ring;
	cap_handle_t inbox;
	if (loop_inbox_open(INBOX_SLOTS, INBOX_BIT, &inbox, &ring) ||
	    loop_init(&e.loop, &sysops_kernel, ring, INBOX_BIT) || peers_setup(&e, s) ||
	    say_hello(&e, inbox) || echo_register(&e.loop, &e.peers))
		return 1;
	if (keel_start_arg(s))
		loop_set_heartbeat(&e.loop, keel_start_arg(s) * 1000000ull, heartbeat, &e);
	return loop_run(&e.loop) == STATUS_OK ? 0 : 2;
}
