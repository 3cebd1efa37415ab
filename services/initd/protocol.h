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
 *   INITD_CONTROL    call on an operator capability (below): payload
 *                    struct initd_control; stops, starts or restarts the
 *                    named service. Reply INITD_CONTROL_REPLY with the
 *                    service's struct initd_status after the request - for
 *                    a start or restart, once the new instance has said
 *                    hello (up) or cannot come up (backoff, quarantined,
 *                    stopped, blocked; a wait ends at the latest when the
 *                    start allowance kills a silent instance) - or
 *                    LOOP_REPLY_ERROR: NO_RIGHTS (not an operator
 *                    capability), NOT_FOUND (no service of that name),
 *                    INVALID (an unknown verb, a malformed name, initd
 *                    itself, the holder of the device roots, a service
 *                    whose manifest was refused, stop of a quarantined
 *                    one), BUSY (start of one that runs or waits; initd
 *                    is shutting down)
 *   INITD_TASKS      call: payload u32 index; reply INITD_TASKS_REPLY with
 *                    struct initd_task: the index-th task initd keeps -
 *                    initd itself (index 0), then the services that run,
 *                    then the programs launched (running, or ended and
 *                    not yet waited for), each in its table's order - or
 *                    LOOP_REPLY_ERROR (NOT_FOUND) past the last. The
 *                    figures are sys_task_info's. Tasks come and go
 *                    between calls: a walk may miss or repeat one.
 *   INITD_TASK_ARGS  call: payload u32 index, as INITD_TASKS'; reply
 *                    INITD_TASK_ARGS_REPLY with struct initd_task_args:
 *                    the task's id (so that a reader can tell it is the
 *                    task its INITD_TASKS call saw) and its command line,
 *                    a program's arguments joined by blanks (as they began
 *                    its argument block, cut to INITD_TASK_ARGS_MAX - 1
 *                    bytes), or the name of initd or a service.
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

/*
 * The operator capability: a send capability to initd's inbox badged
 * INITD_OPERATOR_BADGE. initd gives one to each console program under the
 * launch name "operator"; a launched program gets a copy only if its
 * launcher passes one and its manifest says `uses operator` (the launch
 * intersection, docs/launch.md). Only it may send INITD_CONTROL.
 */
#define INITD_OPERATOR_BADGE (5ull << 32)
#define INITD_OPERATOR_NAME "operator"

#define INITD_STATUS 0x1a170003u
#define INITD_STATUS_REPLY 0x1a170004u
#define INITD_FOOTPRINT 0x1a170005u
#define INITD_FOOTPRINT_REPLY 0x1a170006u
#define INITD_CONTROL 0x1a170020u
#define INITD_CONTROL_REPLY 0x1a170021u
#define INITD_TASKS 0x1a170022u
#define INITD_TASKS_REPLY 0x1a170023u
#define INITD_TASK_ARGS 0x1a170024u
#define INITD_TASK_ARGS_REPLY 0x1a170025u
#define INITD_TASK_ARGS_MAX 36u /* bytes of a command line INITD_TASK_ARGS gives */
_Static_assert(SERVICE_PEER == 0x1a170007u, "initd's labels do not collide with libsys's");
_Static_assert(SERVICE_STOP == 0x1a170008u, "initd's labels do not collide with libsys's");

/* initd_status.state: the supervisor's states (services/initd/supervise.h
 * keeps the same numbers), and two for a service held back by its
 * dependencies (the supervisor has it in STARTING meanwhile). */
enum initd_state {
	INITD_STATE_STOPPED = 0,     /* not running, nothing scheduled */
	INITD_STATE_STARTING = 1,    /* being started, or running before its hello */
	INITD_STATE_UP = 2,          /* running */
	INITD_STATE_BACKOFF = 3,     /* ended; a restart is due */
	INITD_STATE_QUARANTINED = 4, /* failed too often: no more restarts */
	INITD_STATE_WAITING = 0x10,  /* a dependency is not up yet */
	INITD_STATE_BLOCKED = 0x11,  /* a dependency will not come up */
};
#define INITD_WAITS_FOR_NOBODY 0xffffu /* waits_for: a `sends` nobody provides */

/* initd_status.last_cause: how the last run ended. */
enum initd_cause {
	INITD_CAUSE_NONE = 0,  /* it has not ended yet */
	INITD_CAUSE_EXIT = 1,  /* it exited (code 0 is a clean exit) */
	INITD_CAUSE_FAULT = 2, /* a CPU fault stopped it */
	INITD_CAUSE_HANG = 3,  /* it missed its heartbeats and was killed */
	INITD_CAUSE_SPAWN = 4, /* it could not be started */
	INITD_CAUSE_STOP = 5,  /* an operator stopped or restarted it (INITD_CONTROL) */
};

/* The word for a state or a cause, for logs and svc; "?" if unknown. */
static inline const char *initd_state_name(uint32_t state)
{
	static const char *const names[] = { "stopped", "starting", "up", "backoff",
					     "quarantined" };
	if (state < sizeof names / sizeof names[0])
		return names[state];
	return state == INITD_STATE_WAITING   ? "waiting"
	       : state == INITD_STATE_BLOCKED ? "blocked"
					      : "?";
}

static inline const char *initd_cause_name(uint32_t cause)
{
	static const char *const names[] = { "none", "exit", "fault", "hang", "spawn", "stop" };
	return cause < sizeof names / sizeof names[0] ? names[cause] : "?";
}

/* INITD_CONTROL's verbs. */
enum initd_verb {
	INITD_VERB_STOP = 1,    /* kill it; no restarts until a start */
	INITD_VERB_START = 2,   /* start a stopped one, or release a quarantined one */
	INITD_VERB_RESTART = 3, /* kill it if it runs and start it at once: one restart */
};

/* Payload of INITD_CONTROL (24 bytes). */
struct initd_control {
	uint32_t verb;     /* enum initd_verb */
	uint32_t reserved; /* 0 */
	char name[16];     /* the service's name, NUL-padded */
};

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
	uint8_t state;      /* enum initd_state */
	uint8_t last_cause; /* enum initd_cause */
	uint16_t waits_for; /* WAITING, BLOCKED: slot + 1 of the dependency that
				 * holds it back, or INITD_WAITS_FOR_NOBODY; else 0 */
	uint32_t restarts;
	uint64_t uptime_ms;
	uint64_t task_id; /* 0 when not running */
};

/* initd_task.kind and .flags. */
enum initd_task_kind {
	INITD_TASK_INITD = 1,   /* initd itself */
	INITD_TASK_SERVICE = 2, /* a service of the boot list */
	INITD_TASK_PROGRAM = 3, /* a program launched (a console program, or by another) */
};
#define INITD_TASK_BACKGROUND 0x1u /* a program out of an interrupt's reach (LAUNCH_JOB) */
#define INITD_TASK_ENDED 0x2u      /* a program that has ended and is not yet waited for */
#define INITD_TASK_STOPPED 0x4u    /* a program stopped (LAUNCH_STOP, Ctrl-Z) */

/* Reply of INITD_TASKS (40 bytes). */
struct initd_task {
	char name[16];      /* the service's or program's name, NUL-padded (cut to 15) */
	uint32_t id;        /* kernel task id, as in console reports */
	uint32_t parent;    /* id of the task that started it: initd's for services
			     * and console programs, its launcher's for others;
			     * 0 for initd */
	uint32_t pages;     /* pages charged to it (sys_task_info); 0 once ended */
	uint32_t run_ms;    /* its threads' run time; 0 once ended */
	uint32_t started_s; /* seconds since boot when it was made */
	uint8_t kind;       /* enum initd_task_kind */
	uint8_t flags;      /* INITD_TASK_* */
	uint16_t threads;   /* 0 once ended */
};

/* Reply of INITD_TASK_ARGS (40 bytes). */
struct initd_task_args {
	uint32_t id;                    /* kernel task id, as initd_task's */
	char text[INITD_TASK_ARGS_MAX]; /* the command line, NUL-padded */
};

_Static_assert(sizeof(struct initd_status) == 40, "fits a message payload");
_Static_assert(sizeof(struct initd_footprint) == 40, "fits a message payload");
_Static_assert(sizeof(struct initd_control) == 24, "fits a message payload");
_Static_assert(sizeof(struct initd_task) == 40, "fits a message payload");
_Static_assert(sizeof(struct initd_task_args) == 40, "fits a message payload");

#endif
