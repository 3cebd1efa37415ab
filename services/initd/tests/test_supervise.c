/* Host tests for the supervision state machine, driven by a fake clock. */
#include <stdint.h>

#include "check.h"
#include "supervise.h"

#define MS(x) ((uint64_t)(x)*1000000ull)
#define S(x) ((uint64_t)(x)*1000000000ull)

#define VEC_PAGE_FAULT 14
#define VEC_GP 13

static struct supervisor sv;

static struct sv_policy policy(enum sv_restart restart, uint32_t initial, uint32_t max,
			       uint32_t limit, uint32_t window_s, uint32_t heartbeat)
{
	return (struct sv_policy){
		.restart = restart,
		.backoff_initial_ms = initial,
		.backoff_max_ms = max,
		.strike_limit = limit,
		.strike_window_s = window_s,
		.heartbeat_ms = heartbeat,
	};
}

/* Sets sv up with p and brings it UP at time now, its hello said. */
static void boot(struct sv_policy p, uint64_t now)
{
	struct sv_action a;
	CHECK_EQ(supervise_init(&sv, &p), STATUS_OK);
	CHECK_STR(supervise_state_name(sv.state), "stopped");
	CHECK_EQ(supervise_start(&sv, now, &a), STATUS_OK);
	CHECK_EQ(a.verb, SV_ACT_START);
	CHECK(!a.clean);
	a = supervise_started(&sv, now);
	CHECK_EQ(a.verb, SV_ACT_NONE);
	CHECK_EQ(sv.state, SV_STATE_UP);
	CHECK_EQ(supervise_hello(&sv, now).verb, SV_ACT_NONE);
}

/* Waits out a backoff that ends at due: nothing a nanosecond early, START
 * exactly at due; the new instance is UP, its hello said, at due. Returns
 * the START action. */
static struct sv_action restart_at(uint64_t due)
{
	struct sv_action a = supervise_tick(&sv, due - 1);
	if (a.verb != SV_ACT_NONE || a.deadline != due)
		CHECK_FAIL("early tick: verb %d deadline %llu, want due %llu", a.verb,
			   (unsigned long long)a.deadline, (unsigned long long)due);
	a = supervise_tick(&sv, due);
	if (a.verb != SV_ACT_START)
		CHECK_FAIL("tick at due: verb %d, want START", a.verb);
	CHECK_EQ(supervise_started(&sv, due).verb, SV_ACT_NONE);
	CHECK_EQ(supervise_hello(&sv, due).verb, SV_ACT_NONE);
	return a;
}

/* Faults at now, expects a plain backoff of delay_ms, restarts on time.
 * Returns the restart's START action. */
static struct sv_action fault_and_restart(uint64_t now, uint32_t delay_ms)
{
	struct sv_action a = supervise_faulted(&sv, now, VEC_PAGE_FAULT);
	if (a.verb != SV_ACT_BACKOFF || a.delay_ms != delay_ms || a.kill)
		CHECK_FAIL("fault at %llu: verb %d delay %u, want BACKOFF %u",
			   (unsigned long long)now, a.verb, a.delay_ms, delay_ms);
	CHECK_EQ(a.deadline, now + MS(delay_ms));
	CHECK_EQ(sv.state, SV_STATE_BACKOFF);
	return restart_at(now + MS(delay_ms));
}

TEST(backoff_doubles_from_initial_and_caps_at_max)
{
	static const uint32_t want[] = { 100, 200, 400, 800, 1000, 1000, 1000 };
	boot(policy(SV_RESTART_ON_FAILURE, 100, 1000, 32, 3600, 0), S(1));
	uint64_t now = S(2);
	for (unsigned i = 0; i < sizeof want / sizeof want[0]; i++) {
		fault_and_restart(now, want[i]);
		now += MS(want[i]) + MS(10);
	}
	struct sv_status st;
	supervise_status(&sv, now, &st);
	CHECK_EQ(st.restarts, 7);
	CHECK_EQ(st.strikes, 7);
	CHECK_EQ(st.next_backoff_ms, 1000);
}

TEST(backoff_of_odd_bounds_caps_exactly)
{
	/* 300, 600, then 1000 rather than 1200; max below twice initial. */
	boot(policy(SV_RESTART_ALWAYS, 300, 1000, 32, 3600, 0), 0);
	fault_and_restart(S(1), 300);
	fault_and_restart(S(2), 600);
	fault_and_restart(S(3), 1000);
	fault_and_restart(S(4), 1000);
	boot(policy(SV_RESTART_ALWAYS, 700, 1000, 32, 3600, 0), 0);
	fault_and_restart(S(1), 700);
	fault_and_restart(S(2), 1000);
	/* Huge backoffs do not overflow the doubling. */
	boot(policy(SV_RESTART_ALWAYS, 3000000, 3600000, 32, 86400, 0), 0);
	fault_and_restart(S(1), 3000000);
	fault_and_restart(S(4000), 3600000);
}

TEST(a_run_as_long_as_the_window_resets_the_backoff)
{
	boot(policy(SV_RESTART_ON_FAILURE, 100, 10000, 32, 60, 0), 0);
	fault_and_restart(S(1), 100); /* up again at 1.1 s */
	fault_and_restart(S(2), 200); /* up again at 2.2 s */
	/* Up for 60 s minus 1 ns: not yet healthy, the backoff keeps growing. */
	uint64_t up = S(2) + MS(200);
	struct sv_status st;
	supervise_status(&sv, up + S(60) - 1, &st);
	CHECK_EQ(st.next_backoff_ms, 400);
	fault_and_restart(up + S(60) - 1, 400);
	/* Up for exactly 60 s: healthy, back to 100. */
	up = up + S(60) - 1 + MS(400);
	supervise_status(&sv, up + S(60), &st);
	CHECK_EQ(st.next_backoff_ms, 100);
	fault_and_restart(up + S(60), 100);
}

/* Faults at 10 s, 20 s and 30 s under limit 3, window 60 s, backoff 100 ms. */
static void three_strikes(void)
{
	boot(policy(SV_RESTART_ON_FAILURE, 100, 100, 3, 60, 0), S(1));
	CHECK(!fault_and_restart(S(10), 100).clean);
	CHECK(!fault_and_restart(S(20), 100).clean);
	/* The third strike reaches the limit: the restart discards state. */
	struct sv_action a = supervise_faulted(&sv, S(30), VEC_GP);
	CHECK_EQ(a.verb, SV_ACT_BACKOFF);
	struct sv_status st;
	supervise_status(&sv, S(30), &st);
	CHECK_EQ(st.strikes, 3);
	CHECK(st.clean_pending);
	CHECK(restart_at(S(30) + MS(100)).clean);
	supervise_status(&sv, S(30) + MS(100), &st);
	CHECK(!st.clean_pending);
}

TEST(a_strike_past_the_limit_inside_the_window_quarantines)
{
	three_strikes();
	/* 1 ns before the first strike leaves the window: four strikes. */
	struct sv_status st;
	supervise_status(&sv, S(70) - 1, &st);
	CHECK_EQ(st.strikes, 3);
	struct sv_action a = supervise_faulted(&sv, S(70) - 1, VEC_PAGE_FAULT);
	CHECK_EQ(a.verb, SV_ACT_QUARANTINE);
	CHECK(!a.kill);
	CHECK_EQ(a.report.strikes, 4);
	CHECK_EQ(a.report.limit, 3);
	CHECK_EQ(a.report.window_s, 60);
	CHECK_EQ(a.report.cause.kind, SV_CAUSE_FAULT);
	CHECK_EQ(a.report.cause.detail, VEC_PAGE_FAULT);
	CHECK_EQ(a.report.cause.at, S(70) - 1);
	CHECK_EQ(a.deadline, SV_NO_DEADLINE);
	CHECK_EQ(sv.state, SV_STATE_QUARANTINED);
	CHECK_STR(supervise_state_name(sv.state), "quarantined");
	/* Nothing restarts it: not the clock, not a late message. */
	CHECK_EQ(supervise_tick(&sv, S(1000)).verb, SV_ACT_NONE);
	CHECK_EQ(supervise_exited(&sv, S(1000), 1).verb, SV_ACT_NONE);
	CHECK_EQ(sv.state, SV_STATE_QUARANTINED);
}

TEST(a_strike_that_left_the_window_does_not_count)
{
	three_strikes();
	/* At 70 s the strike of 10 s is exactly 60 s old: out of the window. */
	struct sv_status st;
	supervise_status(&sv, S(70), &st);
	CHECK_EQ(st.strikes, 2);
	struct sv_action a = supervise_faulted(&sv, S(70), VEC_PAGE_FAULT);
	CHECK_EQ(a.verb, SV_ACT_BACKOFF);
	supervise_status(&sv, S(70), &st);
	CHECK_EQ(st.strikes, 3);
	CHECK(st.clean_pending); /* back at the limit: clean again */
	CHECK(restart_at(S(70) + MS(100)).clean);
	/* Long after, everything has aged out: plain restarts again. */
	supervise_status(&sv, S(200), &st);
	CHECK_EQ(st.strikes, 0);
	CHECK(!fault_and_restart(S(200), 100).clean);
}

TEST(escalates_restart_then_clean_restart_then_quarantine)
{
	boot(policy(SV_RESTART_ON_FAILURE, 50, 50, 2, 600, 0), 0);
	CHECK(!fault_and_restart(S(1), 50).clean);
	CHECK(fault_and_restart(S(2), 50).clean);
	struct sv_action a = supervise_exited(&sv, S(3), 7);
	CHECK_EQ(a.verb, SV_ACT_QUARANTINE);
	CHECK_EQ(a.report.strikes, 3);
	CHECK_EQ(a.report.cause.kind, SV_CAUSE_EXIT);
	CHECK_EQ(a.report.cause.detail, 7);
	/* Limit 1: the first failure already gets the clean restart. */
	boot(policy(SV_RESTART_ON_FAILURE, 50, 50, 1, 600, 0), 0);
	CHECK(fault_and_restart(S(1), 50).clean);
	CHECK_EQ(supervise_faulted(&sv, S(2), VEC_GP).verb, SV_ACT_QUARANTINE);
}

TEST(release_from_quarantine_starts_afresh)
{
	boot(policy(SV_RESTART_ON_FAILURE, 50, 400, 1, 600, 0), 0);
	fault_and_restart(S(1), 50);
	CHECK_EQ(supervise_faulted(&sv, S(2), VEC_GP).verb, SV_ACT_QUARANTINE);
	struct sv_action a;
	CHECK_EQ(supervise_start(&sv, S(3), &a), STATUS_INVALID);
	CHECK_EQ(a.verb, SV_ACT_NONE);
	CHECK_EQ(supervise_stop(&sv, S(3), &a), STATUS_INVALID);
	CHECK_EQ(supervise_release(&sv, S(3), true, &a), STATUS_OK);
	CHECK_EQ(a.verb, SV_ACT_START);
	CHECK(a.clean);
	CHECK_EQ(sv.state, SV_STATE_STARTING);
	supervise_started(&sv, S(3));
	struct sv_status st;
	supervise_status(&sv, S(3), &st);
	CHECK_EQ(st.strikes, 0);
	CHECK_EQ(st.next_backoff_ms, 50);
	CHECK_EQ(st.restarts, 1); /* an operator's release is not a restart */
	CHECK_EQ(supervise_release(&sv, S(4), false, &a), STATUS_INVALID);
	CHECK_EQ(a.verb, SV_ACT_NONE);
}

TEST(a_silent_service_is_hung_exactly_three_intervals_after_its_last_beat)
{
	boot(policy(SV_RESTART_ON_FAILURE, 100, 100, 5, 60, 1000), S(1));
	struct sv_action a = supervise_tick(&sv, S(1));
	CHECK_EQ(a.verb, SV_ACT_NONE);
	CHECK_EQ(a.deadline, S(4));
	a = supervise_heartbeat(&sv, S(1) + MS(500));
	CHECK_EQ(a.verb, SV_ACT_NONE);
	CHECK_EQ(a.deadline, S(4) + MS(500));
	CHECK_EQ(supervise_deadline(&sv), S(4) + MS(500));
	a = supervise_tick(&sv, S(4) + MS(500) - 1);
	CHECK_EQ(a.verb, SV_ACT_NONE);
	CHECK_EQ(sv.state, SV_STATE_UP);
	a = supervise_tick(&sv, S(4) + MS(500));
	CHECK_EQ(a.verb, SV_ACT_KILL_AND_RESTART);
	CHECK(a.kill);
	CHECK_EQ(a.delay_ms, 100);
	CHECK_EQ(a.deadline, S(4) + MS(600));
	CHECK_EQ(sv.state, SV_STATE_BACKOFF);
	struct sv_status st;
	supervise_status(&sv, S(4) + MS(500), &st);
	CHECK_EQ(st.last_cause.kind, SV_CAUSE_HANG);
	CHECK_EQ(st.last_cause.detail, 3000);
	CHECK_EQ(st.strikes, 1);
	CHECK_STR(supervise_cause_name(st.last_cause.kind), "hang");
	/* The killed task's exit message arrives afterwards and changes nothing. */
	a = supervise_exited(&sv, S(4) + MS(550), 0);
	CHECK_EQ(a.verb, SV_ACT_NONE);
	CHECK_EQ(a.deadline, S(4) + MS(600));
	CHECK_EQ(supervise_heartbeat(&sv, S(4) + MS(560)).verb, SV_ACT_NONE);
	restart_at(S(4) + MS(600));
	/* The new instance gets a fresh heartbeat clock. */
	CHECK_EQ(supervise_deadline(&sv), S(7) + MS(600));
}

TEST(a_heartbeat_before_the_tick_keeps_a_late_service_alive)
{
	boot(policy(SV_RESTART_ON_FAILURE, 100, 100, 5, 60, 20), 0);
	CHECK_EQ(supervise_deadline(&sv), MS(60));
	/* The beat is late (61 ms) but arrives before initd's tick. */
	supervise_heartbeat(&sv, MS(61));
	CHECK_EQ(supervise_tick(&sv, MS(61)).verb, SV_ACT_NONE);
	CHECK_EQ(supervise_deadline(&sv), MS(121));
	/* A beat stamped earlier than the last one does not move the deadline back. */
	supervise_heartbeat(&sv, MS(50));
	CHECK_EQ(supervise_deadline(&sv), MS(121));
}

TEST(time_the_supervisor_could_not_look_is_not_held_against_a_service)
{
	boot(policy(SV_RESTART_ON_FAILURE, 100, 100, 5, 60, 100), 0);
	CHECK_EQ(supervise_deadline(&sv), MS(300));
	/* initd's tick came 250 ms late: the deadline moves by as much. */
	supervise_excuse(&sv, MS(250));
	CHECK_EQ(supervise_deadline(&sv), MS(550));
	CHECK_EQ(supervise_tick(&sv, MS(549)).verb, SV_ACT_NONE);
	/* Still silent after the excused time: hung. */
	struct sv_action a = supervise_tick(&sv, MS(550));
	CHECK(a.kill);
	CHECK_EQ(a.verb, SV_ACT_KILL_AND_RESTART);
	/* Nothing to excuse for a service that is not up. */
	supervise_excuse(&sv, MS(1000));
	CHECK_EQ(sv.state, SV_STATE_BACKOFF);
	CHECK_EQ(supervise_deadline(&sv), MS(650));
}

/* Until its hello a service has its start allowance: 30 s by default,
 * start_ms when the manifest sets it, never less than three intervals;
 * the hello ends it and counts as a beat. */
/* Brings sv up with p, then restarts it at S(1): UP, no hello yet. */
static void restarted_without_hello(struct sv_policy p)
{
	struct sv_action a;
	boot(p, 0);
	CHECK_EQ(supervise_restart(&sv, S(1), &a), STATUS_OK);
	supervise_started(&sv, S(1));
}

TEST(a_service_starting_up_has_its_start_allowance_until_its_hello)
{
	struct sv_policy p = policy(SV_RESTART_ON_FAILURE, 100, 100, 5, 60, 100);
	struct sv_action a;
	struct sv_status st;
	CHECK_EQ(supervise_init(&sv, &p), STATUS_OK);
	CHECK_EQ(supervise_start(&sv, 0, &a), STATUS_OK);
	supervise_started(&sv, S(1));
	CHECK_EQ(supervise_deadline(&sv), S(1) + MS(SV_START_MS_DEFAULT));
	/* Beats before the hello do not shorten the allowance. */
	supervise_heartbeat(&sv, S(2));
	CHECK_EQ(supervise_deadline(&sv), S(1) + MS(SV_START_MS_DEFAULT));
	CHECK_EQ(supervise_tick(&sv, S(10)).verb, SV_ACT_NONE);
	supervise_status(&sv, S(10), &st);
	CHECK(!st.greeted);
	/* The hello at 12 s: three intervals from it. */
	supervise_hello(&sv, S(12));
	CHECK_EQ(supervise_deadline(&sv), S(12) + MS(300));
	supervise_status(&sv, S(12), &st);
	CHECK(st.greeted);
	a = supervise_tick(&sv, S(12) + MS(300));
	CHECK_EQ(a.verb, SV_ACT_KILL_AND_RESTART);
	/* The next instance starts up afresh, with its allowance again. */
	a = supervise_tick(&sv, S(12) + MS(400));
	CHECK_EQ(a.verb, SV_ACT_START);
	supervise_started(&sv, S(13));
	CHECK_EQ(supervise_deadline(&sv), S(13) + MS(SV_START_MS_DEFAULT));
	/* No hello in time: hung, the silence counted from the start. */
	a = supervise_tick(&sv, S(13) + MS(SV_START_MS_DEFAULT));
	CHECK_EQ(a.verb, SV_ACT_KILL_AND_RESTART);
	supervise_status(&sv, S(13) + MS(SV_START_MS_DEFAULT), &st);
	CHECK_EQ(st.last_cause.kind, SV_CAUSE_HANG);
	CHECK_EQ(st.last_cause.detail, SV_START_MS_DEFAULT);

	/* start_ms sets it; three intervals are the least it can be. */
	p.start_ms = 500;
	restarted_without_hello(p);
	CHECK_EQ(supervise_deadline(&sv), S(1) + MS(500));
	p.start_ms = 200; /* below 3 x 100 ms */
	restarted_without_hello(p);
	CHECK_EQ(supervise_deadline(&sv), S(1) + MS(300));
	/* Time initd could not look moves the allowance too. */
	supervise_excuse(&sv, MS(250));
	CHECK_EQ(supervise_deadline(&sv), S(1) + MS(550));
	/* Without a heartbeat there is no allowance to run out. */
	restarted_without_hello(policy(SV_RESTART_ON_FAILURE, 100, 100, 5, 60, 0));
	CHECK_EQ(supervise_deadline(&sv), SV_NO_DEADLINE);
}

TEST(without_heartbeats_no_hang_is_ever_declared)
{
	boot(policy(SV_RESTART_ON_FAILURE, 100, 100, 5, 60, 0), 0);
	struct sv_action a = supervise_tick(&sv, S(100000));
	CHECK_EQ(a.verb, SV_ACT_NONE);
	CHECK_EQ(a.deadline, SV_NO_DEADLINE);
	CHECK_EQ(supervise_tick(&sv, UINT64_MAX).verb, SV_ACT_NONE);
	CHECK_EQ(sv.state, SV_STATE_UP);
}

TEST(a_hang_past_the_strike_limit_kills_and_quarantines)
{
	boot(policy(SV_RESTART_ALWAYS, 10, 10, 1, 60, 100), 0);
	CHECK_EQ(supervise_tick(&sv, MS(300)).verb, SV_ACT_KILL_AND_RESTART);
	CHECK(restart_at(MS(310)).clean);
	struct sv_action a = supervise_tick(&sv, MS(610));
	CHECK_EQ(a.verb, SV_ACT_QUARANTINE);
	CHECK(a.kill);
	CHECK_EQ(a.report.strikes, 2);
	CHECK_EQ(a.report.cause.kind, SV_CAUSE_HANG);
	CHECK_EQ(a.report.cause.detail, 300);
}

TEST(on_failure_does_not_restart_a_clean_exit)
{
	boot(policy(SV_RESTART_ON_FAILURE, 100, 100, 3, 60, 1000), S(1));
	struct sv_action a = supervise_exited(&sv, S(2), 0);
	CHECK_EQ(a.verb, SV_ACT_NONE);
	CHECK(!a.kill);
	CHECK_EQ(a.deadline, SV_NO_DEADLINE);
	CHECK_EQ(sv.state, SV_STATE_STOPPED);
	struct sv_status st;
	supervise_status(&sv, S(2), &st);
	CHECK_EQ(st.strikes, 0);
	CHECK_EQ(st.restarts, 0);
	CHECK_EQ(st.uptime_ns, 0);
	CHECK_EQ(st.last_cause.kind, SV_CAUSE_EXIT);
	CHECK_EQ(st.last_cause.detail, 0);
	CHECK_EQ(supervise_tick(&sv, S(100)).verb, SV_ACT_NONE);
	/* A non-zero exit is a failure: restarted, with a strike. */
	boot(policy(SV_RESTART_ON_FAILURE, 100, 100, 3, 60, 0), S(1));
	a = supervise_exited(&sv, S(2), 3);
	CHECK_EQ(a.verb, SV_ACT_BACKOFF);
	supervise_status(&sv, S(2), &st);
	CHECK_EQ(st.strikes, 1);
}

TEST(always_restarts_a_clean_exit_without_a_strike)
{
	boot(policy(SV_RESTART_ALWAYS, 100, 1000, 1, 60, 0), 0);
	struct sv_action a = supervise_exited(&sv, S(1), 0);
	CHECK_EQ(a.verb, SV_ACT_BACKOFF);
	CHECK_EQ(a.delay_ms, 100);
	CHECK(!restart_at(S(1) + MS(100)).clean);
	a = supervise_exited(&sv, S(2), 0);
	CHECK_EQ(a.delay_ms, 200); /* still backs off */
	CHECK(!restart_at(S(2) + MS(200)).clean);
	struct sv_status st;
	supervise_status(&sv, S(3), &st);
	CHECK_EQ(st.strikes, 0);
	CHECK_EQ(st.restarts, 2);
}

TEST(never_policy_does_not_restart)
{
	boot(policy(SV_RESTART_NEVER, 100, 100, 3, 60, 0), 0);
	struct sv_action a = supervise_faulted(&sv, S(1), VEC_GP);
	CHECK_EQ(a.verb, SV_ACT_NONE);
	CHECK_EQ(sv.state, SV_STATE_STOPPED);
	CHECK_EQ(supervise_tick(&sv, S(10)).verb, SV_ACT_NONE);
	struct sv_status st;
	supervise_status(&sv, S(1), &st);
	CHECK_EQ(st.strikes, 1);
	CHECK_EQ(st.restarts, 0);
	/* An operator may start it again; a clean exit ends it too. */
	CHECK_EQ(supervise_start(&sv, S(2), &a), STATUS_OK);
	CHECK_EQ(a.verb, SV_ACT_START);
	supervise_started(&sv, S(2));
	CHECK_EQ(supervise_exited(&sv, S(3), 0).verb, SV_ACT_NONE);
	CHECK_EQ(sv.state, SV_STATE_STOPPED);
	/* A hang under "never" kills without restarting. */
	boot(policy(SV_RESTART_NEVER, 100, 100, 3, 60, 10), 0);
	a = supervise_tick(&sv, MS(30));
	CHECK_EQ(a.verb, SV_ACT_KILL);
	CHECK(a.kill);
	CHECK_EQ(sv.state, SV_STATE_STOPPED);
}

TEST(a_failed_spawn_is_a_strike_and_is_retried)
{
	struct sv_policy p = policy(SV_RESTART_ON_FAILURE, 100, 1000, 3, 60, 0);
	struct sv_action a;
	CHECK_EQ(supervise_init(&sv, &p), STATUS_OK);
	CHECK_EQ(supervise_start(&sv, 0, &a), STATUS_OK);
	a = supervise_start_failed(&sv, MS(1), STATUS_NO_MEMORY);
	CHECK_EQ(a.verb, SV_ACT_BACKOFF);
	CHECK_EQ(a.deadline, MS(101));
	struct sv_status st;
	supervise_status(&sv, MS(1), &st);
	CHECK_EQ(st.last_cause.kind, SV_CAUSE_SPAWN);
	CHECK_EQ(st.last_cause.detail, STATUS_NO_MEMORY);
	CHECK_EQ(st.strikes, 1);
	CHECK_EQ(supervise_tick(&sv, MS(101)).verb, SV_ACT_START);
	/* A spawn report when no START is pending is ignored. */
	supervise_started(&sv, MS(102));
	CHECK_EQ(supervise_start_failed(&sv, MS(103), STATUS_NO_MEMORY).verb, SV_ACT_NONE);
	CHECK_EQ(sv.state, SV_STATE_UP);
}

TEST(status_reports_state_counters_and_cause)
{
	boot(policy(SV_RESTART_ON_FAILURE, 100, 1000, 5, 60, 500), S(10));
	struct sv_status st;
	supervise_status(&sv, S(14), &st);
	CHECK_EQ(st.state, SV_STATE_UP);
	CHECK_EQ(st.uptime_ns, S(4));
	CHECK_EQ(st.restarts, 0);
	CHECK_EQ(st.strikes, 0);
	CHECK_EQ(st.last_cause.kind, SV_CAUSE_NONE);
	CHECK_EQ(st.deadline, S(10) + MS(1500));
	CHECK_EQ(st.next_backoff_ms, 100);

	supervise_heartbeat(&sv, S(11));
	supervise_faulted(&sv, S(11) + 5, VEC_PAGE_FAULT);
	supervise_status(&sv, S(11) + MS(50), &st);
	CHECK_EQ(st.state, SV_STATE_BACKOFF);
	CHECK_STR(supervise_state_name(st.state), "backoff");
	CHECK_EQ(st.uptime_ns, 0);
	CHECK_EQ(st.strikes, 1);
	CHECK_EQ(st.deadline, S(11) + 5 + MS(100));
	CHECK_EQ(st.next_backoff_ms, 200);
	CHECK(!st.clean_pending);
	CHECK_EQ(st.last_cause.kind, SV_CAUSE_FAULT);
	CHECK_EQ(st.last_cause.detail, VEC_PAGE_FAULT);
	CHECK_EQ(st.last_cause.at, S(11) + 5);
	CHECK_STR(supervise_cause_name(st.last_cause.kind), "fault");

	restart_at(S(11) + 5 + MS(100));
	supervise_status(&sv, S(20), &st);
	CHECK_EQ(st.state, SV_STATE_UP);
	CHECK_EQ(st.restarts, 1);
	CHECK_EQ(st.uptime_ns, S(20) - (S(11) + 5 + MS(100)));
	CHECK_EQ(st.last_cause.kind, SV_CAUSE_FAULT);
}

TEST(operator_start_and_stop)
{
	boot(policy(SV_RESTART_ALWAYS, 100, 100, 3, 60, 0), 0);
	struct sv_action a;
	CHECK_EQ(supervise_start(&sv, S(1), &a), STATUS_BUSY);
	CHECK_EQ(a.verb, SV_ACT_NONE);
	CHECK_EQ(supervise_stop(&sv, S(1), &a), STATUS_OK);
	CHECK_EQ(a.verb, SV_ACT_KILL);
	CHECK(a.kill);
	CHECK_EQ(sv.state, SV_STATE_STOPPED);
	/* The kill's exit message is not a failure and restarts nothing. */
	CHECK_EQ(supervise_exited(&sv, S(1), 9).verb, SV_ACT_NONE);
	CHECK_EQ(sv.state, SV_STATE_STOPPED);
	CHECK_EQ(supervise_stop(&sv, S(1), &a), STATUS_OK); /* idempotent */
	CHECK_EQ(a.verb, SV_ACT_NONE);

	/* A stop during backoff cancels the restart. */
	CHECK_EQ(supervise_start(&sv, S(2), &a), STATUS_OK);
	supervise_started(&sv, S(2));
	CHECK_EQ(supervise_faulted(&sv, S(3), VEC_GP).verb, SV_ACT_BACKOFF);
	CHECK_EQ(supervise_start(&sv, S(3), &a), STATUS_BUSY);
	CHECK_EQ(supervise_stop(&sv, S(3), &a), STATUS_OK);
	CHECK_EQ(a.verb, SV_ACT_NONE);
	CHECK(!a.kill);
	CHECK_EQ(a.deadline, SV_NO_DEADLINE);
	CHECK_EQ(supervise_tick(&sv, S(4)).verb, SV_ACT_NONE);
	CHECK_EQ(sv.state, SV_STATE_STOPPED);
}

TEST(events_that_do_not_fit_the_state_are_ignored)
{
	struct sv_policy p = policy(SV_RESTART_ALWAYS, 100, 100, 3, 60, 100);
	CHECK_EQ(supervise_init(&sv, &p), STATUS_OK);
	CHECK_EQ(supervise_heartbeat(&sv, 1).verb, SV_ACT_NONE);
	CHECK_EQ(supervise_faulted(&sv, 1, VEC_GP).verb, SV_ACT_NONE);
	CHECK_EQ(supervise_exited(&sv, 1, 1).verb, SV_ACT_NONE);
	CHECK_EQ(supervise_started(&sv, 1).verb, SV_ACT_NONE);
	CHECK_EQ(sv.state, SV_STATE_STOPPED);
	struct sv_status st;
	supervise_status(&sv, 1, &st);
	CHECK_EQ(st.strikes, 0);
	/* A second started() does not reset the running instance's clocks. */
	boot(p, S(1));
	supervise_started(&sv, S(2));
	supervise_status(&sv, S(2), &st);
	CHECK_EQ(st.uptime_ns, S(1));
}

TEST(policy_check_rejects_values_out_of_range)
{
	struct sv_policy ok = policy(SV_RESTART_ON_FAILURE, 1, 3600000, 32, 86400, 10);
	CHECK_EQ(supervise_policy_check(&ok), STATUS_OK);
	struct sv_policy p = ok;
	p.backoff_initial_ms = 0;
	CHECK_EQ(supervise_policy_check(&p), STATUS_RANGE);
	p = ok, p.backoff_max_ms = 3600001;
	CHECK_EQ(supervise_policy_check(&p), STATUS_RANGE);
	p = ok, p.backoff_initial_ms = 200, p.backoff_max_ms = 100;
	CHECK_EQ(supervise_policy_check(&p), STATUS_RANGE);
	p = ok, p.strike_limit = 0;
	CHECK_EQ(supervise_policy_check(&p), STATUS_RANGE);
	p = ok, p.strike_limit = 33;
	CHECK_EQ(supervise_policy_check(&p), STATUS_RANGE);
	p = ok, p.strike_window_s = 0;
	CHECK_EQ(supervise_policy_check(&p), STATUS_RANGE);
	p = ok, p.strike_window_s = 86401;
	CHECK_EQ(supervise_policy_check(&p), STATUS_RANGE);
	p = ok, p.heartbeat_ms = 9;
	CHECK_EQ(supervise_policy_check(&p), STATUS_RANGE);
	p = ok, p.heartbeat_ms = 0;
	CHECK_EQ(supervise_policy_check(&p), STATUS_OK);
	p = ok, p.heartbeat_ms = 3600001;
	CHECK_EQ(supervise_policy_check(&p), STATUS_RANGE);
	p = ok, p.start_ms = 9;
	CHECK_EQ(supervise_policy_check(&p), STATUS_RANGE);
	p = ok, p.start_ms = 3600001;
	CHECK_EQ(supervise_policy_check(&p), STATUS_RANGE);
	p = ok, p.start_ms = 10;
	CHECK_EQ(supervise_policy_check(&p), STATUS_OK);
	p = ok, p.restart = (enum sv_restart)7;
	CHECK_EQ(supervise_policy_check(&p), STATUS_INVALID);
	CHECK_EQ(supervise_init(&sv, &p), STATUS_INVALID);
}

TEST(a_strike_limit_of_32_holds_every_strike)
{
	boot(policy(SV_RESTART_ON_FAILURE, 1, 1, 32, 86400, 0), 0);
	for (unsigned i = 1; i <= 31; i++)
		CHECK(!fault_and_restart(S(i), 1).clean);
	CHECK(fault_and_restart(S(32), 1).clean);
	struct sv_action a = supervise_faulted(&sv, S(33), VEC_GP);
	CHECK_EQ(a.verb, SV_ACT_QUARANTINE);
	CHECK_EQ(a.report.strikes, 33);
}

/* An operator restart kills the running task and starts it at once: one
 * restart, no strike, the backoff starts over; a stop records its cause;
 * from BACKOFF it makes the pending restart now; a quarantined service
 * is not restarted (release it). */
TEST(an_operator_restart_counts_one_restart_and_no_strike)
{
	struct sv_action a;
	struct sv_status st;
	boot(policy(SV_RESTART_ON_FAILURE, 100, 1000, 3, 60, 0), S(1));
	CHECK_EQ(supervise_restart(&sv, S(2), &a), STATUS_OK);
	CHECK_EQ(a.verb, SV_ACT_START);
	CHECK(a.kill);
	CHECK(!a.clean);
	CHECK_EQ(sv.state, SV_STATE_STARTING);
	CHECK_EQ(supervise_started(&sv, S(2)).verb, SV_ACT_NONE);
	supervise_status(&sv, S(2), &st);
	CHECK_EQ(st.restarts, 1);
	CHECK_EQ(st.strikes, 0);
	CHECK_EQ(st.last_cause.kind, SV_CAUSE_STOP);
	CHECK_STR(supervise_cause_name(st.last_cause.kind), "stop");
	/* From BACKOFF: the pending restart happens now, counted once. */
	CHECK_EQ(supervise_faulted(&sv, S(3), VEC_GP).verb, SV_ACT_BACKOFF);
	CHECK_EQ(supervise_restart(&sv, S(3), &a), STATUS_OK);
	CHECK_EQ(a.verb, SV_ACT_START);
	CHECK(!a.kill);
	supervise_started(&sv, S(3));
	supervise_status(&sv, S(3), &st);
	CHECK_EQ(st.restarts, 2);
	CHECK_EQ(st.next_backoff_ms, 100);
	/* A stop is recorded as the operator's. */
	CHECK_EQ(supervise_stop(&sv, S(4), &a), STATUS_OK);
	supervise_status(&sv, S(4), &st);
	CHECK_EQ(st.last_cause.kind, SV_CAUSE_STOP);
	/* From STOPPED a restart is a plain start: not counted. */
	CHECK_EQ(supervise_restart(&sv, S(5), &a), STATUS_OK);
	CHECK(!a.kill);
	supervise_started(&sv, S(5));
	supervise_status(&sv, S(5), &st);
	CHECK_EQ(st.restarts, 2);
	CHECK_STR(supervise_state_name(st.state), "up");
	/* Quarantined: INVALID, nothing happens. */
	boot(policy(SV_RESTART_ON_FAILURE, 10, 10, 1, 60, 0), S(1));
	CHECK_EQ(supervise_faulted(&sv, S(1), VEC_GP).verb, SV_ACT_BACKOFF);
	supervise_tick(&sv, S(1) + MS(10));
	supervise_started(&sv, S(1) + MS(10));
	CHECK_EQ(supervise_faulted(&sv, S(2), VEC_GP).verb, SV_ACT_QUARANTINE);
	CHECK_EQ(supervise_restart(&sv, S(3), &a), STATUS_INVALID);
	CHECK_EQ(a.verb, SV_ACT_NONE);
	CHECK_EQ(sv.state, SV_STATE_QUARANTINED);
}

int main(void)
{
	RUN(backoff_doubles_from_initial_and_caps_at_max);
	RUN(backoff_of_odd_bounds_caps_exactly);
	RUN(a_run_as_long_as_the_window_resets_the_backoff);
	RUN(a_strike_past_the_limit_inside_the_window_quarantines);
	RUN(a_strike_that_left_the_window_does_not_count);
	RUN(escalates_restart_then_clean_restart_then_quarantine);
	RUN(release_from_quarantine_starts_afresh);
	RUN(a_silent_service_is_hung_exactly_three_intervals_after_its_last_beat);
	RUN(a_heartbeat_before_the_tick_keeps_a_late_service_alive);
	RUN(time_the_supervisor_could_not_look_is_not_held_against_a_service);
	RUN(without_heartbeats_no_hang_is_ever_declared);
	RUN(a_hang_past_the_strike_limit_kills_and_quarantines);
	RUN(on_failure_does_not_restart_a_clean_exit);
	RUN(always_restarts_a_clean_exit_without_a_strike);
	RUN(never_policy_does_not_restart);
	RUN(a_failed_spawn_is_a_strike_and_is_retried);
	RUN(status_reports_state_counters_and_cause);
	RUN(operator_start_and_stop);
	RUN(events_that_do_not_fit_the_state_are_ignored);
	RUN(policy_check_rejects_values_out_of_range);
	RUN(a_service_starting_up_has_its_start_allowance_until_its_hello);
	RUN(a_strike_limit_of_32_holds_every_strike);
	RUN(an_operator_restart_counts_one_restart_and_no_strike);
	return check_summary();
}
