/* supervise.c - the supervision state machine of one service (see supervise.h). */
#include "supervise.h"
#include "protocol.h"

_Static_assert((int)SV_STATE_QUARANTINED == (int)INITD_STATE_QUARANTINED &&
		       (int)SV_STATE_UP == (int)INITD_STATE_UP,
	       "the status protocol reports the supervisor's states by number");
_Static_assert((int)SV_CAUSE_STOP == (int)INITD_CAUSE_STOP &&
		       (int)SV_CAUSE_SPAWN == (int)INITD_CAUSE_SPAWN,
	       "the status protocol reports the supervisor's causes by number");

#define NS_PER_MS 1000000ull
#define NS_PER_S 1000000000ull

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* Time from then to now; 0 if the clock reads earlier than then. */
static uint64_t elapsed(uint64_t now, uint64_t then)
{
	return now > then ? now - then : 0;
}

static uint64_t window_ns(const struct supervisor *s)
{
	return (uint64_t)s->policy.strike_window_s * NS_PER_S;
}

/* The backoff before restart number n + 1 since the last healthy run:
 * initial doubled n times, capped at max. */
static uint32_t backoff_ms(const struct sv_policy *p, uint32_t n)
{
	uint32_t d = p->backoff_initial_ms;
	for (uint32_t i = 0; i < n && d < p->backoff_max_ms; i++)
		d = d > p->backoff_max_ms / 2 ? p->backoff_max_ms : d * 2;
	return d;
}

/* Strikes younger than the window at now. The array is oldest first. */
static uint32_t strikes_in_window(const struct supervisor *s, uint64_t now)
{
	uint32_t old = 0;
	while (old < s->strike_count && elapsed(now, s->strike_at[old]) >= window_ns(s))
		old++;
	return s->strike_count - old;
}

/* Drops strikes that left the window, records one at now, returns the count. */
static uint32_t add_strike(struct supervisor *s, uint64_t now)
{
	uint32_t keep = strikes_in_window(s, now);
	uint32_t cap = sizeof s->strike_at / sizeof s->strike_at[0];
	if (keep == cap)
		keep--; /* unreachable: quarantine comes at strike_limit + 1 */
	uint32_t from = s->strike_count - keep;
	for (uint32_t i = 0; i < keep; i++)
		s->strike_at[i] = s->strike_at[from + i];
	s->strike_at[keep] = now;
	s->strike_count = keep + 1;
	return s->strike_count;
}

/* The start allowance of policy p, in ms: never less than the beats. */
static uint64_t start_allowance_ms(const struct sv_policy *p)
{
	uint64_t ms = p->start_ms ? p->start_ms : SV_START_MS_DEFAULT;
	uint64_t beats = (uint64_t)SV_HANG_BEATS * p->heartbeat_ms;
	return ms > beats ? ms : beats;
}

uint64_t supervise_deadline(const struct supervisor *s)
{
	if (s->state == SV_STATE_BACKOFF)
		return s->restart_at;
	if (s->state == SV_STATE_UP && s->policy.heartbeat_ms) {
		uint64_t due = sat_add(s->last_beat, (uint64_t)SV_HANG_BEATS *
							     s->policy.heartbeat_ms * NS_PER_MS);
		return !s->greeted && s->hello_due > due ? s->hello_due : due;
	}
	return SV_NO_DEADLINE;
}

static struct sv_action done(const struct supervisor *s, struct sv_action a)
{
	a.deadline = supervise_deadline(s);
	return a;
}

static struct sv_action nothing(const struct supervisor *s)
{
	return done(s, (struct sv_action){ .verb = SV_ACT_NONE });
}

static bool wants_restart(enum sv_restart policy, bool failure)
{
	return policy == SV_RESTART_ALWAYS || (policy == SV_RESTART_ON_FAILURE && failure);
}

/*
 * The running instance ended with cause c at now; alive says the task still
 * exists (a hang) and must be killed. Applies strikes, escalation, policy
 * and backoff, in that order (see the rules in supervise.h).
 */
static struct sv_action end_run(struct supervisor *s, uint64_t now, struct sv_cause c, bool alive)
{
	struct sv_action a = { .verb = SV_ACT_NONE, .kill = alive };
	bool failure = !(c.kind == SV_CAUSE_EXIT && c.detail == 0);

	if (s->state == SV_STATE_UP && elapsed(now, s->started_at) >= window_ns(s))
		s->consecutive = 0;
	s->last_cause = c;
	uint32_t n = failure ? add_strike(s, now) : strikes_in_window(s, now);
	if (failure && n > s->policy.strike_limit) {
		s->state = SV_STATE_QUARANTINED;
		a.verb = SV_ACT_QUARANTINE;
		a.report = (struct sv_report){ .strikes = n,
					       .limit = s->policy.strike_limit,
					       .window_s = s->policy.strike_window_s,
					       .cause = c };
		return done(s, a);
	}
	if (!wants_restart(s->policy.restart, failure)) {
		s->state = SV_STATE_STOPPED;
		a.verb = alive ? SV_ACT_KILL : SV_ACT_NONE;
		return done(s, a);
	}
	a.delay_ms = backoff_ms(&s->policy, s->consecutive);
	if (s->consecutive < UINT32_MAX)
		s->consecutive++;
	s->clean_pending = failure && n == s->policy.strike_limit;
	s->restart_at = sat_add(now, (uint64_t)a.delay_ms * NS_PER_MS);
	s->state = SV_STATE_BACKOFF;
	a.verb = alive ? SV_ACT_KILL_AND_RESTART : SV_ACT_BACKOFF;
	return done(s, a);
}

static bool running(const struct supervisor *s)
{
	return s->state == SV_STATE_STARTING || s->state == SV_STATE_UP;
}

/* Moves to STARTING and returns the START action. */
static struct sv_action start(struct supervisor *s, bool clean)
{
	s->state = SV_STATE_STARTING;
	s->clean_pending = false;
	return done(s, (struct sv_action){ .verb = SV_ACT_START, .clean = clean });
}

status_t supervise_policy_check(const struct sv_policy *p)
{
	if ((unsigned)p->restart > SV_RESTART_NEVER)
		return STATUS_INVALID;
	if (p->backoff_initial_ms < SV_BACKOFF_MS_MIN || p->backoff_max_ms > SV_BACKOFF_MS_MAX ||
	    p->backoff_initial_ms > p->backoff_max_ms)
		return STATUS_RANGE;
	if (p->strike_limit < SV_STRIKE_LIMIT_MIN || p->strike_limit > SV_STRIKE_LIMIT_MAX)
		return STATUS_RANGE;
	if (p->strike_window_s < SV_STRIKE_WINDOW_S_MIN ||
	    p->strike_window_s > SV_STRIKE_WINDOW_S_MAX)
		return STATUS_RANGE;
	if (p->heartbeat_ms &&
	    (p->heartbeat_ms < SV_HEARTBEAT_MS_MIN || p->heartbeat_ms > SV_HEARTBEAT_MS_MAX))
		return STATUS_RANGE;
	if (p->start_ms && (p->start_ms < SV_START_MS_MIN || p->start_ms > SV_START_MS_MAX))
		return STATUS_RANGE;
	return STATUS_OK;
}

status_t supervise_init(struct supervisor *s, const struct sv_policy *p)
{
	*s = (struct supervisor){ .policy = *p, .state = SV_STATE_STOPPED };
	return supervise_policy_check(p);
}

status_t supervise_start(struct supervisor *s, uint64_t now, struct sv_action *act)
{
	(void)now;
	*act = nothing(s);
	if (s->state == SV_STATE_QUARANTINED)
		return STATUS_INVALID;
	if (s->state != SV_STATE_STOPPED)
		return STATUS_BUSY;
	s->consecutive = 0;
	*act = start(s, false);
	return STATUS_OK;
}

status_t supervise_stop(struct supervisor *s, uint64_t now, struct sv_action *act)
{
	(void)now;
	if (s->state == SV_STATE_QUARANTINED) {
		*act = nothing(s);
		return STATUS_INVALID;
	}
	bool alive = running(s);
	if (alive)
		s->last_cause = (struct sv_cause){ SV_CAUSE_STOP, 0, now };
	s->state = SV_STATE_STOPPED;
	s->clean_pending = false;
	*act = done(s,
		    (struct sv_action){ .verb = alive ? SV_ACT_KILL : SV_ACT_NONE, .kill = alive });
	return STATUS_OK;
}

status_t supervise_restart(struct supervisor *s, uint64_t now, struct sv_action *act)
{
	if (s->state == SV_STATE_QUARANTINED) {
		*act = nothing(s);
		return STATUS_INVALID;
	}
	bool alive = running(s);
	if (s->state != SV_STATE_STOPPED && s->restarts < UINT32_MAX)
		s->restarts++;
	if (alive)
		s->last_cause = (struct sv_cause){ SV_CAUSE_STOP, 0, now };
	s->consecutive = 0;
	*act = start(s, false);
	act->kill = alive;
	return STATUS_OK;
}

status_t supervise_release(struct supervisor *s, uint64_t now, bool clean, struct sv_action *act)
{
	(void)now;
	if (s->state != SV_STATE_QUARANTINED) {
		*act = nothing(s);
		return STATUS_INVALID;
	}
	s->strike_count = 0;
	s->consecutive = 0;
	*act = start(s, clean);
	return STATUS_OK;
}

struct sv_action supervise_started(struct supervisor *s, uint64_t now)
{
	if (s->state != SV_STATE_STARTING)
		return nothing(s);
	s->state = SV_STATE_UP;
	s->started_at = now;
	s->last_beat = now;
	s->greeted = false;
	s->hello_due = sat_add(now, start_allowance_ms(&s->policy) * NS_PER_MS);
	return nothing(s);
}

struct sv_action supervise_start_failed(struct supervisor *s, uint64_t now, status_t st)
{
	if (s->state != SV_STATE_STARTING)
		return nothing(s);
	return end_run(s, now, (struct sv_cause){ SV_CAUSE_SPAWN, (uint64_t)st, now }, false);
}

struct sv_action supervise_heartbeat(struct supervisor *s, uint64_t now)
{
	if (s->state == SV_STATE_UP && now > s->last_beat)
		s->last_beat = now;
	return nothing(s);
}

struct sv_action supervise_hello(struct supervisor *s, uint64_t now)
{
	if (s->state == SV_STATE_UP)
		s->greeted = true;
	return supervise_heartbeat(s, now);
}

void supervise_excuse(struct supervisor *s, uint64_t stalled_ns)
{
	if (s->state == SV_STATE_UP) {
		s->last_beat = sat_add(s->last_beat, stalled_ns);
		s->hello_due = sat_add(s->hello_due, stalled_ns);
	}
}

struct sv_action supervise_exited(struct supervisor *s, uint64_t now, uint64_t code)
{
	if (!running(s))
		return nothing(s);
	return end_run(s, now, (struct sv_cause){ SV_CAUSE_EXIT, code, now }, false);
}

struct sv_action supervise_faulted(struct supervisor *s, uint64_t now, uint32_t vector)
{
	if (!running(s))
		return nothing(s);
	return end_run(s, now, (struct sv_cause){ SV_CAUSE_FAULT, vector, now }, false);
}

struct sv_action supervise_tick(struct supervisor *s, uint64_t now)
{
	uint64_t due = supervise_deadline(s);
	if (due == SV_NO_DEADLINE || now < due)
		return nothing(s);
	if (s->state == SV_STATE_UP) {
		uint64_t silent_ms = elapsed(now, s->last_beat) / NS_PER_MS;
		return end_run(s, now, (struct sv_cause){ SV_CAUSE_HANG, silent_ms, now }, true);
	}
	if (s->state == SV_STATE_BACKOFF) {
		bool clean = s->clean_pending;
		if (s->restarts < UINT32_MAX)
			s->restarts++;
		return start(s, clean);
	}
	return nothing(s);
}

void supervise_status(const struct supervisor *s, uint64_t now, struct sv_status *out)
{
	bool healthy = s->state == SV_STATE_UP && elapsed(now, s->started_at) >= window_ns(s);
	*out = (struct sv_status){
		.state = s->state,
		.restarts = s->restarts,
		.strikes = strikes_in_window(s, now),
		.uptime_ns = s->state == SV_STATE_UP ? elapsed(now, s->started_at) : 0,
		.deadline = supervise_deadline(s),
		.greeted = s->greeted, /* kept after a run ends, reset at the next start */
		.next_backoff_ms = backoff_ms(&s->policy, healthy ? 0 : s->consecutive),
		.clean_pending = s->state == SV_STATE_BACKOFF && s->clean_pending,
		.last_cause = s->last_cause,
	};
}

const char *supervise_state_name(enum sv_state st)
{
	return initd_state_name(st);
}

const char *supervise_cause_name(enum sv_cause_kind kind)
{
	return initd_cause_name(kind);
}
