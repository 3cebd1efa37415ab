/*
 * protocol.h - initd's protocol: what clients ask of the supervisor.
 * Clients include it as "initd/protocol.h".
 *
 * Every service is started with start->supervisor: a send capability to
 * initd's inbox, badged with the service's slot number, so initd knows who
 * speaks. The kernel's own fault and exit messages for the task
 * (abi/supervise.h) arrive on the same inbox with the same badge, and so
 * do the hello, heartbeat and peer messages every supervised service
 * exchanges with its supervisor (libsys keel/service.h: SERVICE_HELLO,
 * SERVICE_HEARTBEAT, SERVICE_PEER). Besides those, initd answers:
 *
 *   INITD_STATUS     call: payload u32 slot; reply INITD_STATUS_REPLY with
 *                    struct initd_status, or LOOP_REPLY_ERROR (status
 *                    NOT_FOUND) past the last slot
 *   INITD_FOOTPRINT  call: payload u32 slot, u32 item; reply
 *                    INITD_FOOTPRINT_REPLY with struct initd_footprint:
 *                    the service's quotas and tier, the number of
 *                    footprint items, and item number `item` (a port
 *                    range, an IRQ line, an MMIO range, an inbox it may
 *                    send to or a directory it is given); LOOP_REPLY_ERROR (NOT_FOUND) past the last
 *                    slot, RANGE past the last item of a service that has
 *                    some
 *   SERVICE_PEER     initd -> service, to the inbox the service gave in its
 *                    hello: a service it `sends` to has restarted and has
 *                    a new inbox. initd has put a fresh send capability to
 *                    it (badged with the receiver's slot, RIGHT_SEND only,
 *                    as at spawn) into the receiver's CSpace; the payload,
 *                    struct peer_update (keel/peers.h), names the peer and
 *                    the handle. Only initd holds the unbadged capability
 *                    to a service's inbox, so only initd can send it with
 *                    badge 0; keel/peers.h applies it.
 *
 * Start gating: initd starts a service only once every service it is
 * `after` in the boot list and every service it `sends` to has said hello
 * (services/initd/ready.h). Until then its status is INITD_STATE_WAITING;
 * if one of them will not come up (refused, quarantined, stopped, unknown,
 * or a cycle) it is INITD_STATE_BLOCKED. waits_for names that dependency.
 */
#ifndef KEEL_INITD_PROTOCOL_H
#define KEEL_INITD_PROTOCOL_H

#include <stdint.h>

#include "keel/service.h"

#define INITD_STATUS 0x1a170003u
#define INITD_STATUS_REPLY 0x1a170004u
#define INITD_FOOTPRINT 0x1a170005u
#define INITD_FOOTPRINT_REPLY 0x1a170006u
_Static_assert(SERVICE_PEER == 0x1a170007u, "initd's labels do not collide with libsys's");

/* initd_status.state beyond enum sv_state: not started because of its
 * dependencies (the supervisor has it in STARTING meanwhile). */
#define INITD_STATE_WAITING 0x10u      /* a dependency is not up yet */
#define INITD_STATE_BLOCKED 0x11u      /* a dependency will not come up */
#define INITD_WAITS_FOR_NOBODY 0xffffu /* waits_for: a `sends` nobody provides */

/* Kinds of footprint item. */
enum initd_item {
	INITD_ITEM_NONE = 0,  /* the service declares no devices or inboxes */
	INITD_ITEM_PORTS = 1, /* first, count: I/O ports */
	INITD_ITEM_IRQ = 2,   /* first: interrupt line */
	INITD_ITEM_MMIO = 3,  /* first, count: physical base and bytes */
	INITD_ITEM_SENDS = 4, /* name: a service it may send to */
	INITD_ITEM_DIR = 5,   /* a dir line: first = rights (VFS_R_*), count = bytes
			       * of the path below "/", name = its first 7 bytes */
};

/* Payload of INITD_FOOTPRINT_REPLY (40 bytes). */
struct initd_footprint {
	uint32_t pages, objects, slots; /* quotas */
	uint8_t tier;                   /* THREAD_TIER_* */
	uint8_t items;                  /* footprint items in all */
	uint8_t kind;                   /* enum initd_item of item `item` */
	uint8_t reserved;
	uint64_t first, count; /* PORTS, IRQ, MMIO */
	char name[8];          /* SENDS: the first 7 bytes of the name, NUL-padded */
};

/* Payload of INITD_STATUS_REPLY (40 bytes). */
struct initd_status {
	char name[16];      /* NUL-padded */
	uint8_t state;      /* enum sv_state, or INITD_STATE_WAITING / _BLOCKED */
	uint8_t last_cause; /* enum sv_cause_kind */
	uint16_t waits_for; /* WAITING, BLOCKED: slot + 1 of the dependency that
				 * holds it back, or INITD_WAITS_FOR_NOBODY; else 0 */
	uint32_t restarts;
	uint64_t uptime_ms;
	uint64_t task_id; /* 0 when not running */
};

_Static_assert(sizeof(struct initd_status) == 40, "fits a message payload");
_Static_assert(sizeof(struct initd_footprint) == 40, "fits a message payload");

#endif
