/*
 * supervise.h - initd's supervision policy for one service, as a state
 * machine with no clock and no system calls of its own.
 *
 * initd keeps one struct supervisor per service and feeds it what happens:
 * the task was started, a heartbeat arrived, the task exited or faulted,
 * and ticks of the clock. Every time argument is the caller's monotonic
 * clock in nanoseconds, so tests drive it with a fake one. Each call
 * returns an action (what initd must do now) and the absolute time of the
 * next deadline, at which initd must call supervise_tick() again.
 *
 * States:
 *
 *   STOPPED      no task, nothing scheduled (initial state; also after a
 *                stop, a clean exit that the policy does not restart, or
 *                any end under the "never" policy)
 *   STARTING     initd was told to START and has not yet reported the
 *                task running (supervise_started) or failing to spawn
 *   UP           the task runs; heartbeats are checked if enabled
 *   BACKOFF      the task is gone; a restart is due at the deadline
 *   QUARANTINED  too many failures: no more restarts until an operator
 *                calls supervise_release()
 *
 * Rules:
 *
 * - A failure is a CPU fault, an exit with a non-zero code, a hang or a
 *   spawn that failed. Each failure counts one strike, stamped with the
 *   time it happened. A strike counts while it is younger than the strike
 *   window; at exactly strike_window_s seconds old it has left the window.
 * - Restarts follow the policy: "always" restarts after any exit or
 *   failure, "on-failure" after failures only (an exit with code 0 ends
 *   in STOPPED), "never" never (every end is STOPPED).
 * - Escalation (ARCHITECTURE section 7): while the strikes in the window
 *   are below strike_limit a failure gets a plain restart; the failure
 *   that brings them to exactly strike_limit gets a restart with a clean
 *   state (the START action's clean flag: initd discards the service's
 *   persistent state); one more, that is strike_limit + 1 strikes in the
 *   window, quarantines the service and produces a report. Quarantine is
 *   checked before the policy, so it applies under "never" too.
 * - Every restart waits a backoff first: backoff_initial_ms before the
 *   first, doubling for each further one, capped at backoff_max_ms (100,
 *   200, 400, 800, 1000, 1000, ... for 100/1000). A run that lasted a
 *   whole strike window resets the backoff to its initial value.
 * - Hangs: with heartbeat_ms != 0, a service that sends no heartbeat for
 *   SV_HANG_BEATS (3) intervals is hung. The clock starts at
 *   supervise_started() and restarts at every heartbeat; the first tick at
 *   or after that time plus 3 x heartbeat_ms declares the hang, kills the
 *   task and handles it as a failure. Three intervals, not one: a service
 *   briefly starved by higher tiers or one lost beat must not be killed,
 *   while a real hang is still found within a few seconds for typical
 *   intervals. A heartbeat that arrives before that tick is accepted.
 * - Start-up: until its hello (supervise_hello) a service with a
 *   heartbeat is not hung before its start allowance has passed since
 *   supervise_started() either - start_ms, SV_START_MS_DEFAULT when 0,
 *   never less than the three intervals - so that a long start (vfsd
 *   mounting a large volume on slow media, say) is not taken for a hang.
 *   The hello counts as a heartbeat.
 * - Events that do not fit the state are ignored (action NONE): an exit
 *   after initd killed a hung task, a heartbeat while in BACKOFF, and so
 *   on. initd should badge each instance's supervisor capability
 *   differently so that a late message from an old instance is not taken
 *   for the current one.
 */
#ifndef KEEL_INITD_SUPERVISE_H
#define KEEL_INITD_SUPERVISE_H

#include <stdbool.h>
#include <stdint.h>

#include "abi/status.h"

/* Limits of a policy; the manifest parser checks against the same ones. */
#define SV_BACKOFF_MS_MIN 1u
#define SV_BACKOFF_MS_MAX 3600000u /* one hour */
#define SV_STRIKE_LIMIT_MIN 1u
#define SV_STRIKE_LIMIT_MAX 32u
#define SV_STRIKE_WINDOW_S_MIN 1u
#define SV_STRIKE_WINDOW_S_MAX 86400u /* one day */
#define SV_HEARTBEAT_MS_MIN 10u       /* for a non-zero interval */
#define SV_HEARTBEAT_MS_MAX 3600000u
#define SV_HANG_BEATS 3u /* missed intervals that make a hang */
#define SV_START_MS_MIN 10u
#define SV_START_MS_MAX 3600000u
#define SV_START_MS_DEFAULT 30000u /* start allowance of a policy with start_ms 0 */

/* "No deadline": nothing is due until the next event. */
#define SV_NO_DEADLINE UINT64_MAX

enum sv_restart {
	SV_RESTART_ON_FAILURE = 0,
	SV_RESTART_ALWAYS = 1,
	SV_RESTART_NEVER = 2,
};

/* What the manifest says about supervision. */
struct sv_policy {
	enum sv_restart restart;
	uint32_t backoff_initial_ms;
	uint32_t backoff_max_ms;
	uint32_t strike_limit;
	uint32_t strike_window_s;
	uint32_t heartbeat_ms; /* 0: no heartbeat expected */
	uint32_t start_ms;     /* heartbeat services: start to hello at most; 0: the default */
};

enum sv_state {
	SV_STATE_STOPPED,
	SV_STATE_STARTING,
	SV_STATE_UP,
	SV_STATE_BACKOFF,
	SV_STATE_QUARANTINED,
};

enum sv_cause_kind {
	SV_CAUSE_NONE,
	SV_CAUSE_EXIT,  /* detail: exit code (0 is a clean exit, not a failure) */
	SV_CAUSE_FAULT, /* detail: CPU exception vector */
	SV_CAUSE_HANG,  /* detail: ms since the last heartbeat (or the start) */
	SV_CAUSE_SPAWN, /* detail: status_t of the failed spawn */
	SV_CAUSE_STOP,  /* an operator stop or restart (not a failure) */
};

/* How the last run ended, and when. */
struct sv_cause {
	enum sv_cause_kind kind;
	uint64_t detail;
	uint64_t at; /* ns */
};

enum sv_verb {
	SV_ACT_NONE,             /* nothing to do */
	SV_ACT_START,            /* spawn the service now; see clean */
	SV_ACT_BACKOFF,          /* the task is gone; a restart is due at deadline */
	SV_ACT_KILL_AND_RESTART, /* hung: kill it now; a restart is due at deadline */
	SV_ACT_KILL,             /* kill it now; no restart (stop, or a hang under "never") */
	SV_ACT_QUARANTINE,       /* no more restarts; log the report (kill it first if kill) */
};

/* Why a service was quarantined. */
struct sv_report {
	uint32_t strikes; /* failures inside the window, strike_limit + 1 */
	uint32_t limit;
	uint32_t window_s;
	struct sv_cause cause; /* the failure that tipped it over */
};

struct sv_action {
	enum sv_verb verb;
	bool kill;               /* the task is still alive: kill it before anything else */
	bool clean;              /* START: discard the service's persistent state first */
	uint32_t delay_ms;       /* BACKOFF, KILL_AND_RESTART: the backoff chosen */
	uint64_t deadline;       /* call supervise_tick() at this time; SV_NO_DEADLINE if none */
	struct sv_report report; /* QUARANTINE */
};

/* One service's supervision state. Opaque to callers: use the functions. */
struct supervisor {
	struct sv_policy policy;
	enum sv_state state;
	bool clean_pending;   /* the restart due in BACKOFF is a clean one */
	uint32_t consecutive; /* restarts since the last healthy run: the backoff exponent */
	uint32_t restarts;    /* restarts the supervisor made, and operator restarts
			       * (not operator starts) */
	uint64_t started_at;  /* UP: when the task started */
	uint64_t last_beat;   /* UP: last heartbeat, or started_at */
	bool greeted;         /* UP: the task said hello */
	uint64_t hello_due;   /* UP, not greeted: the end of its start allowance */
	uint64_t restart_at;  /* BACKOFF: when the restart is due */
	struct sv_cause last_cause;
	uint32_t strike_count;
	uint64_t strike_at[SV_STRIKE_LIMIT_MAX + 1]; /* oldest first */
};

/* For initd's status protocol. */
struct sv_status {
	enum sv_state state;
	uint32_t restarts;        /* restarts made by the supervisor since init */
	uint32_t strikes;         /* strikes inside the window ending now */
	uint64_t uptime_ns;       /* UP: time since the task started; else 0 */
	uint64_t deadline;        /* the next deadline, or SV_NO_DEADLINE */
	bool greeted;             /* UP: it said hello (else it is still starting up);
				   * after a run ended: whether that run had */
	uint32_t next_backoff_ms; /* the backoff the next restart would wait */
	bool clean_pending;       /* BACKOFF: the coming restart is a clean one */
	struct sv_cause last_cause;
};

/* Returns STATUS_OK if every field of p is within the limits above and
 * backoff_initial_ms <= backoff_max_ms, else STATUS_RANGE (STATUS_INVALID
 * for an unknown restart policy). */
status_t supervise_policy_check(const struct sv_policy *p);

/* Sets up s in STOPPED with policy p. Returns supervise_policy_check(p);
 * on failure s is left unusable. */
status_t supervise_init(struct supervisor *s, const struct sv_policy *p);

/* Operator or boot start. From STOPPED: START and STARTING. Returns
 * STATUS_BUSY if a task runs or a restart is scheduled, STATUS_INVALID if
 * quarantined (use supervise_release); *act is NONE then. */
status_t supervise_start(struct supervisor *s, uint64_t now, struct sv_action *act);

/* Operator stop. From STARTING or UP: KILL; from BACKOFF the scheduled
 * restart is cancelled (NONE); from STOPPED nothing. Ends in STOPPED;
 * a task it kills has last cause SV_CAUSE_STOP.
 * Returns STATUS_INVALID if quarantined. */
status_t supervise_stop(struct supervisor *s, uint64_t now, struct sv_action *act);

/* Operator restart. From STARTING or UP: the task is killed (act->kill)
 * and STARTed at once; from BACKOFF the pending restart is made now;
 * from STOPPED a plain start. Each but the last counts one restart;
 * none counts a strike, and the backoff starts over. Ends in STARTING
 * with a START action. Returns STATUS_INVALID if quarantined. */
status_t supervise_restart(struct supervisor *s, uint64_t now, struct sv_action *act);

/* Operator release from quarantine: forgets strikes and backoff and
 * STARTs, with a clean state if clean. Returns STATUS_INVALID unless
 * quarantined. */
status_t supervise_release(struct supervisor *s, uint64_t now, bool clean, struct sv_action *act);

/* initd spawned the task the last START asked for: STARTING -> UP. */
struct sv_action supervise_started(struct supervisor *s, uint64_t now);

/* initd could not spawn it (st is the spawn's status): a failure. */
struct sv_action supervise_start_failed(struct supervisor *s, uint64_t now, status_t st);

/* A heartbeat from the running task. */
struct sv_action supervise_heartbeat(struct supervisor *s, uint64_t now);

/* The running task's hello: its start-up is over (a heartbeat too). */
struct sv_action supervise_hello(struct supervisor *s, uint64_t now);

/* The supervisor itself could not look for stalled_ns (its own timer
 * fired that late: the machine, or initd, did not run meanwhile). A
 * running task's silence over that time is not held against it: its
 * heartbeat deadline and start allowance move by stalled_ns, so a
 * service is never taken for hung because nobody, initd included, could
 * run. */
void supervise_excuse(struct supervisor *s, uint64_t stalled_ns);

/* The task's last thread exited with code. */
struct sv_action supervise_exited(struct supervisor *s, uint64_t now, uint64_t code);

/* The task faulted with CPU exception vector (the kernel stopped it). */
struct sv_action supervise_faulted(struct supervisor *s, uint64_t now, uint32_t vector);

/* The clock reached now: detects hangs and makes due restarts. */
struct sv_action supervise_tick(struct supervisor *s, uint64_t now);

/* The next time supervise_tick() has work, or SV_NO_DEADLINE. */
uint64_t supervise_deadline(const struct supervisor *s);

/* Fills *out with s's counters as of now. */
void supervise_status(const struct supervisor *s, uint64_t now, struct sv_status *out);

/* Short lower-case names for logs and the status protocol. */
const char *supervise_state_name(enum sv_state st);
const char *supervise_cause_name(enum sv_cause_kind kind);

#endif
