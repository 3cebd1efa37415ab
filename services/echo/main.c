/*
 * main.c - echo, the example service, in the canonical shape: set up an
 * inbox, register handlers, say hello to the supervisor, then one wait per
 * loop turn (libsys loop.c), with a heartbeat to initd.
 */
#include "echo.h"
#include "protocol.h"
#include "keel/service.h"
#include "keel/spawn.h"
#include "keel/sys.h"

#define INBOX_BIT 0
#define INBOX_SLOTS 64

struct echo {
	struct loop loop;
	struct peers peers;
};

/* The peers it sends to, kept current by the supervisor's SERVICE_PEER. echo2's
 * manifest says "sends echo" and declares no devices, so that inbox is its
 * first start capability; echo's manifest sends to no one. */
static status_t peers_setup(struct echo *e, const struct keel_start *s)
{
	peers_init(&e->peers, &sysops_kernel);
	status_t st = STATUS_OK;
	if (keel_start_cap(s, 0) != CAP_HANDLE_NONE)
		st = peers_add(&e->peers, ECHO_PEER, keel_start_cap(s, 0));
	return st ? st : peers_listen(&e->peers, &e->loop, SERVICE_PEER);
}

int keel_main(const struct keel_start *s)
{
	struct echo e; /* on the stack: one per instance */
	struct inbox_ring *ring;
	cap_handle_t inbox;
	if (loop_inbox_open(INBOX_SLOTS, INBOX_BIT, &inbox, &ring) ||
	    loop_init(&e.loop, &sysops_kernel, ring, INBOX_BIT) || peers_setup(&e, s) ||
	    service_hello(s, inbox) || echo_register(&e.loop, &e.peers) ||
	    service_heartbeat_start(&e.loop, s))
		return 1;
	return loop_run(&e.loop) == STATUS_OK ? 0 : 2;
}
