/*
 * services.h - initd's table of supervised services.
 *
 * Each slot holds one service from the boot list: its manifest (which its
 * executable in the bundle carries, keel_spawner_manifest), its supervision
 * state (supervise.h), the capabilities of the running instance, and the
 * send capability to its inbox once it has said hello. initd acts on the
 * decisions the supervision policy returns: start, kill, restart after a
 * backoff, quarantine - recording restarts and quarantines in the witness
 * log.
 *
 * A START decision does not spawn at once: the service is "gated" until
 * every service it is `after` or `sends` to is up (ready.h), which may be
 * at once. After every event initd settles: it starts the services that
 * became ready, reports those that wait or are blocked, and gives every
 * running service whose peer restarted a fresh capability to the peer's
 * new inbox (SERVICE_PEER, protocol.h).
 */
#ifndef KEEL_INITD_SERVICES_H
#define KEEL_INITD_SERVICES_H

#include "initd/protocol.h"
#include "keel/loop.h"
#include "keel/spawn.h"
#include "manifest.h"
#include "ready.h"
#include "supervise.h"

#define INITD_MAX_SERVICES BOOTLIST_MAX

struct service {
	struct manifest m;
	struct supervisor sv;
	struct keel_child child; /* while running */
	bool running;
	cap_handle_t supervisor_cap; /* badged send cap to initd's inbox (this instance's) */
	uint16_t gen;                /* instances started: bits 16-31 of its badge */
	cap_handle_t inbox;          /* send cap to the service, after hello */
	uint64_t task_id;
	uint32_t hellos;
	bool refused;            /* its manifest was refused: never started */
	bool gated;              /* told to start, held until its dependencies are up */
	enum ready_verdict gate; /* while gated: what the last settle reported */
	uint32_t gate_blocker;   /* and the dependency that held it back */
	uint32_t send_to[MANIFEST_MAX_SENDS];     /* slot providing each `sends`, or READY_NOBODY */
	uint32_t peer_hellos[MANIFEST_MAX_SENDS]; /* hellos of send_to[k] when it was given
						   * its capability: older means stale */
	status_t peer_error[MANIFEST_MAX_SENDS];  /* last failed update, reported once */
	uint32_t dir_from;                        /* with dir lines: slot providing "vfs" */
	cap_handle_t dir_head; /* initd's head of the instance's vfsd session (dirgrant.h) */
	uint32_t dir_hellos;   /* hellos of dir_from when the directories were opened */
	status_t dir_error;    /* last failed refresh, reported once */
	/* An operator's stop or restart in progress (control.c): the instance
	 * was sent SERVICE_STOP; stop_then is carried out when it ends, or
	 * with a kill at stop_due, and then stop_reply answers the operator. */
	uint64_t stop_due; /* 0: none in progress */
	struct sv_action stop_then;
	cap_handle_t stop_reply;
	uint32_t stop_verb;
	/* An operator's start or restart waiting for the instance to come
	 * up (control.c): up_reply is answered once it has said hello, or
	 * ended, stopped or been blocked instead (control_settled). */
	cap_handle_t up_reply;
	uint32_t up_verb;
};

struct initd {
	const struct keel_start *start;
	struct keel_spawner spawner; /* the bundle: boot list, manifests, programs */
	struct loop loop;
	cap_handle_t inbox; /* initd's own inbox */
	struct service svc[INITD_MAX_SERVICES];
	uint32_t count;
	uint32_t order[INITD_MAX_SERVICES];
	struct ready_graph deps; /* after and sends, by slot */
	bool all_up_reported;
	uint64_t tick_due;     /* when the supervision tick is armed for; 0: not armed */
	loop_timer_id tick_id; /* the armed tick */
	/* The kernel's per-CPU counters, read at each tick for the time the
	 * CPUs stood still (services_stalled). */
	struct {
		struct kernel_stats k;
		struct kernel_cpu_stats cpu[KERNEL_STATS_CPUS];
	} stats;
	uint64_t stalled_seen[KERNEL_STATS_CPUS]; /* each CPU's stalled_ns at the last look */
	bool retry;                               /* the last refresh left something to retry */
	/* Called on every turn once all services are up: the hook of a test
	 * scenario (selftest.c), NULL otherwise. */
	void (*on_all_up)(struct initd *d, void *ctx);
	void *on_all_up_ctx;
	struct launcher *launch; /* launched apps and shutdown (launch.h), or NULL */
	uint32_t self_id;        /* initd's own kernel task id (tasks.c) */
};

/* tasks.c: INITD_TASKS, every task initd keeps (protocol.h). */
status_t tasks_register(struct initd *d);
/* The kernel's id of a task (sys_task_info), 0 if it has none now. */
uint64_t initd_task_id(cap_handle_t task);
/* Fills out's id, pages, run time, start and threads from sys_task_info
 * (left as they are if the task has ended). */
void initd_task_describe(cap_handle_t task, struct initd_task *out);

/* Arms the supervision tick for the first deadline now due (a missed
 * beat, a restart, a stop not done in time), unless it is armed sooner.
 * Whatever sets a deadline outside an event that settles calls it. */
void services_arm_tick(struct initd *d, uint64_t now);

/* Reads the boot list and every manifest from the bundle. */
status_t services_load(struct initd *d, const char *bootlist_name);

/* Starts every service in boot order: those without dependencies at once,
 * the others as their dependencies say hello. */
void services_start_all(struct initd *d, uint64_t now);

/* Registers initd's message handlers and its supervision tick on d->loop. */
status_t services_register(struct initd *d);

/* Puts a copy of via (send only; badge 0 keeps via's) into running s's
 * CSpace and tells s with a peer update (SERVICE_PEER) named name. If s
 * cannot be told, revoking via takes the copy back out, so nothing is
 * left behind there: via must be a capability initd made for this. */
status_t services_give_peer(struct service *s, const char *name, cap_handle_t via, uint64_t badge);

/* Kills the running instance of s and drops what initd held of it
 * (shutdown: the policy was told to stop first). */
void services_kill(struct initd *d, struct service *s);

/* Fills *out with the status of the service in slot (< d->count), as
 * INITD_STATUS answers it. */
struct initd_status;
void services_status(struct initd *d, uint32_t slot, struct initd_status *out);

/* True while s is on its way up: due to start, waiting for what it
 * depends on, or running without having said hello; not when it was
 * refused or is blocked by a dependency that will not come up. */
bool services_coming_up(const struct service *s);

/* True if s runs or will run again: up (perhaps an instance on its way
 * out, not yet reported ended), starting or due to restart - not stopped,
 * quarantined or refused. What its dependents are told, too. */
bool services_returns(const struct service *s);

/* Carries out a decision of s's supervision policy (kill, start, ...). */
void services_act(struct initd *d, struct service *s, struct sv_action a);

/* Starts what became ready, reports what waits, refreshes peers: what
 * initd does after every event. */
void services_settle(struct initd *d, uint64_t now);

/* The service a badge names: slot + 1 in bits 0-15, the instance's
 * generation in bits 16-31 (NULL for another instance, or no service). */
struct service *services_by_badge(struct initd *d, uint64_t badge);

#endif
