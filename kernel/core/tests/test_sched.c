/* test_sched.c - host tests of the scheduling policy in core/sched/sched.c. */
#include "core/sched/sched.h"

#include "check.h"

#define MS SCHED_NS_PER_MS
#define NCPU 4
#define ANY SCHED_AFFINITY_ALL

/* A small machine: NCPU run queues and a pool of entities. */
struct rig {
	struct runq rq[NCPU];
	struct sched_entity se[16];
};

static void rig_init(struct rig *r)
{
	for (unsigned i = 0; i < NCPU; i++)
		CHECK_EQ(runq_init(&r->rq[i], i), STATUS_OK);
}

/* Initialises r->se[i] in tier with affinity and queues it on CPU cpu. */
static struct sched_entity *add(struct rig *r, unsigned i, enum sched_tier tier, uint64_t affinity,
				unsigned cpu)
{
	struct sched_entity *se = &r->se[i];

	CHECK_EQ(sched_entity_init(se, tier, affinity), STATUS_OK);
	CHECK_EQ(sched_enqueue(&r->rq[cpu], se), STATUS_OK);
	return se;
}

/* Makes se RUNNING as a kernel would: queued alone on rq, then picked. */
static void run(struct runq *rq, struct sched_entity *se)
{
	CHECK_EQ(sched_enqueue(rq, se), STATUS_OK);
	CHECK(sched_pick(rq) == se);
	CHECK_EQ(se->state, SCHED_RUNNING);
}

TEST(pick_takes_most_urgent_tier_first)
{
	struct rig r;

	rig_init(&r);
	add(&r, 0, TIER_GRAVITY, ANY, 0);
	add(&r, 1, TIER_VOID, ANY, 0);
	add(&r, 2, TIER_MATTER, ANY, 0);
	add(&r, 3, TIER_PHOTON, ANY, 0);
	CHECK_EQ(r.rq[0].count, 4);
	CHECK(sched_pick(&r.rq[0]) == &r.se[3]);
	CHECK(sched_pick(&r.rq[0]) == &r.se[2]);
	CHECK(sched_pick(&r.rq[0]) == &r.se[0]);
	CHECK(sched_pick(&r.rq[0]) == &r.se[1]);
	CHECK(sched_pick(&r.rq[0]) == NULL);
	CHECK_EQ(r.rq[0].count, 0);
	CHECK_EQ(r.se[1].state, SCHED_RUNNING);
	CHECK_EQ(r.se[1].cpu, SCHED_NO_CPU);
	CHECK_EQ(r.se[1].last_cpu, 0);
	CHECK_EQ(r.se[1].stats.runs, 1);
}

TEST(pick_is_fifo_within_a_tier)
{
	struct rig r;

	rig_init(&r);
	for (unsigned i = 0; i < 5; i++)
		add(&r, i, TIER_MATTER, ANY, 1);
	/* A requeued entity goes behind the ones already waiting. */
	CHECK(sched_pick(&r.rq[1]) == &r.se[0]);
	CHECK_EQ(sched_enqueue(&r.rq[1], &r.se[0]), STATUS_OK);
	for (unsigned i = 1; i < 5; i++)
		CHECK(sched_pick(&r.rq[1]) == &r.se[i]);
	CHECK(sched_pick(&r.rq[1]) == &r.se[0]);
}

TEST(void_runs_only_when_other_tiers_are_empty)
{
	struct rig r;
	struct runq *q = &r.rq[0];

	rig_init(&r);
	add(&r, 0, TIER_VOID, ANY, 0);
	add(&r, 1, TIER_VOID, ANY, 0);
	add(&r, 2, TIER_GRAVITY, ANY, 0);
	CHECK(sched_pick(q) == &r.se[2]);
	/* While the Gravity entity runs, waiting Void entities never preempt. */
	CHECK(!sched_should_preempt(q, &r.se[2]));
	CHECK_EQ(sched_block(&r.se[2]), STATUS_OK);
	CHECK(sched_pick(q) == &r.se[0]);
	/* Any non-Void arrival preempts a running Void entity. */
	CHECK_EQ(sched_enqueue(q, &r.se[2]), STATUS_OK);
	CHECK(sched_should_preempt(q, &r.se[0]));
	CHECK_EQ(sched_enqueue(q, &r.se[0]), STATUS_OK);
	CHECK(sched_pick(q) == &r.se[2]);
}

TEST(void_entities_share_the_cpu_in_50ms_slices)
{
	struct rig r;
	struct runq *q = &r.rq[0];
	struct sched_entity *cur;

	rig_init(&r);
	add(&r, 0, TIER_VOID, ANY, 0);
	add(&r, 1, TIER_VOID, ANY, 0);
	cur = sched_pick(q);
	CHECK(cur == &r.se[0]);
	CHECK(!sched_should_preempt(q, cur));
	CHECK(!sched_charge(cur, 50 * MS - 1));
	CHECK(sched_charge(cur, 1));
	CHECK_EQ(sched_enqueue(q, cur), STATUS_OK);
	cur = sched_pick(q);
	CHECK(cur == &r.se[1]);
	CHECK(sched_charge(cur, 50 * MS));
	CHECK_EQ(sched_enqueue(q, cur), STATUS_OK);
	CHECK(sched_pick(q) == &r.se[0]);
}

TEST(photon_is_preempted_at_exactly_2ms)
{
	struct rig r;
	struct sched_entity *se = &r.se[0];

	rig_init(&r);
	CHECK_EQ(sched_entity_init(se, TIER_PHOTON, ANY), STATUS_OK);
	run(&r.rq[0], se);
	CHECK_EQ(se->budget_left, 2 * MS);
	CHECK(!sched_charge(se, 1999999));
	CHECK_EQ(se->budget_left, 1);
	CHECK_EQ(se->overruns, 0);
	CHECK(sched_charge(se, 1));
	CHECK_EQ(se->overruns, 1);
	CHECK_EQ(se->budget_left, 2 * MS);
	CHECK_EQ(se->stats.run_ns, 2 * MS);
	CHECK_EQ(se->stats.overruns, 1);
	CHECK_EQ(se->tier, TIER_PHOTON);
}

TEST(tier_budgets_are_2_10_50_50_ms)
{
	static const uint64_t want[SCHED_TIERS] = { 2 * MS, 10 * MS, 50 * MS, 50 * MS };
	struct sched_entity se;

	for (unsigned t = 0; t < SCHED_TIERS; t++) {
		CHECK_EQ(sched_tier_budget((enum sched_tier)t), want[t]);
		CHECK_EQ(sched_entity_init(&se, (enum sched_tier)t, ANY), STATUS_OK);
		CHECK(!sched_charge(&se, want[t] - 1));
		CHECK(sched_charge(&se, 1));
	}
	CHECK_EQ(sched_tier_budget((enum sched_tier)SCHED_TIERS), 0);
}

TEST(late_tick_counts_one_overrun_and_refills)
{
	struct sched_entity se;

	CHECK_EQ(sched_entity_init(&se, TIER_MATTER, ANY), STATUS_OK);
	CHECK(sched_charge(&se, 35 * MS));
	CHECK_EQ(se.overruns, 1);
	CHECK_EQ(se.tier, TIER_MATTER);
	CHECK_EQ(se.budget_left, 10 * MS);
	CHECK_EQ(se.stats.run_ns, 35 * MS);
}

TEST(three_consecutive_overruns_demote_one_tier)
{
	struct rig r;
	struct sched_entity *se = &r.se[0];

	rig_init(&r);
	CHECK_EQ(sched_entity_init(se, TIER_PHOTON, ANY), STATUS_OK);
	run(&r.rq[0], se);
	CHECK(sched_charge(se, 2 * MS));
	CHECK(sched_charge(se, 2 * MS));
	CHECK_EQ(se->tier, TIER_PHOTON);
	CHECK_EQ(se->overruns, 2);
	CHECK(sched_charge(se, 2 * MS));
	CHECK_EQ(se->tier, TIER_MATTER);
	CHECK_EQ(se->base_tier, TIER_PHOTON);
	CHECK_EQ(se->overruns, 0);
	CHECK_EQ(se->budget_left, 10 * MS);
	CHECK_EQ(se->stats.demotions, 1);
	/* Requeued after preemption, it waits in its new tier. */
	CHECK_EQ(sched_enqueue(&r.rq[0], se), STATUS_OK);
	CHECK(list_first(&r.rq[0].tier[TIER_MATTER]) == &se->link);
	CHECK(list_empty(&r.rq[0].tier[TIER_PHOTON]));
}

TEST(two_overruns_then_block_do_not_demote)
{
	struct rig r;
	struct sched_entity *se = &r.se[0];

	rig_init(&r);
	CHECK_EQ(sched_entity_init(se, TIER_PHOTON, ANY), STATUS_OK);
	run(&r.rq[0], se);
	CHECK(sched_charge(se, 2 * MS));
	CHECK(sched_charge(se, 2 * MS));
	CHECK(!sched_charge(se, 1 * MS));
	CHECK_EQ(sched_block(se), STATUS_OK);
	CHECK_EQ(se->state, SCHED_BLOCKED);
	CHECK_EQ(se->overruns, 0);
	CHECK_EQ(se->budget_left, 2 * MS);
	run(&r.rq[0], se);
	CHECK(sched_charge(se, 2 * MS));
	CHECK(sched_charge(se, 2 * MS));
	CHECK_EQ(se->tier, TIER_PHOTON);
	CHECK_EQ(se->overruns, 2);
	CHECK_EQ(se->stats.demotions, 0);
}

TEST(yield_requeues_at_tail_and_the_burst_goes_on)
{
	struct rig r;
	struct sched_entity *se = &r.se[0];

	rig_init(&r);
	CHECK_EQ(sched_entity_init(se, TIER_MATTER, ANY), STATUS_OK);
	run(&r.rq[0], se);
	add(&r, 1, TIER_MATTER, ANY, 0);
	CHECK(sched_charge(se, 10 * MS));
	CHECK(sched_charge(se, 10 * MS));
	CHECK(!sched_charge(se, 4 * MS));
	CHECK_EQ(sched_yield_cpu(&r.rq[0], se), STATUS_OK);
	CHECK_EQ(se->state, SCHED_RUNNABLE);
	CHECK_EQ(se->overruns, 2);
	CHECK_EQ(se->budget_left, 6 * MS);
	CHECK(sched_pick(&r.rq[0]) == &r.se[1]);
	CHECK(sched_pick(&r.rq[0]) == se);
	/* Its third overrun, though it yielded in between, demotes it. */
	CHECK(sched_charge(se, 6 * MS));
	CHECK_EQ(se->tier, TIER_GRAVITY);
}

/* A thread that yields in a loop waiting for a less urgent one (here the
 * one that would set what it waits for) is demoted to that one's tier
 * after three budgets and then takes turns with it: never starves it. */
TEST(yield_loop_is_demoted_and_stops_starving_a_lower_tier)
{
	struct rig r;
	struct sched_entity *spin = &r.se[0];

	rig_init(&r);
	CHECK_EQ(sched_entity_init(spin, TIER_MATTER, ANY), STATUS_OK);
	add(&r, 1, TIER_GRAVITY, ANY, 0);
	run(&r.rq[0], spin);
	unsigned turns = 0;
	do {
		CHECK(turns++ < 10000);
		sched_charge(spin, 5 * SCHED_NS_PER_MS / 1000); /* 5 us per turn */
		CHECK_EQ(sched_yield_cpu(&r.rq[0], spin), STATUS_OK);
	} while (sched_pick(&r.rq[0]) == spin);
	CHECK(r.rq[0].count == 1);
	CHECK_EQ(spin->tier, TIER_GRAVITY);
	CHECK_EQ(turns, 6000); /* three 10 ms budgets */
}

TEST(demotion_stops_at_gravity)
{
	struct sched_entity se;

	CHECK_EQ(sched_entity_init(&se, TIER_PHOTON, ANY), STATUS_OK);
	for (int i = 0; i < 3; i++)
		CHECK(sched_charge(&se, 2 * MS));
	CHECK_EQ(se.tier, TIER_MATTER);
	for (int i = 0; i < 3; i++)
		CHECK(sched_charge(&se, 10 * MS));
	CHECK_EQ(se.tier, TIER_GRAVITY);
	for (int i = 0; i < 10; i++)
		CHECK(sched_charge(&se, 50 * MS));
	CHECK_EQ(se.tier, TIER_GRAVITY);
	CHECK_EQ(se.stats.demotions, 2);
	CHECK_EQ(se.stats.overruns, 16);
	CHECK_EQ(se.overruns, SCHED_OVERRUN_LIMIT);
	CHECK_EQ(se.budget_left, 50 * MS);
}

TEST(void_is_never_demoted)
{
	struct sched_entity se;

	CHECK_EQ(sched_entity_init(&se, TIER_VOID, ANY), STATUS_OK);
	for (int i = 0; i < 10; i++)
		CHECK(sched_charge(&se, 50 * MS));
	CHECK_EQ(se.tier, TIER_VOID);
	CHECK_EQ(se.stats.demotions, 0);
	CHECK_EQ(se.budget_left, 50 * MS);
}

TEST(set_tier_restores_a_demoted_entity)
{
	struct rig r;
	struct sched_entity *se = &r.se[0];

	rig_init(&r);
	CHECK_EQ(sched_entity_init(se, TIER_PHOTON, ANY), STATUS_OK);
	for (int i = 0; i < 6; i++)
		sched_charge(se, 10 * MS);
	CHECK_EQ(se->tier, TIER_GRAVITY);
	CHECK_EQ(sched_set_tier(NULL, se, se->base_tier), STATUS_OK);
	CHECK_EQ(se->tier, TIER_PHOTON);
	CHECK_EQ(se->budget_left, 2 * MS);
	CHECK_EQ(se->overruns, 0);
	CHECK_EQ(sched_set_tier(NULL, se, (enum sched_tier)4), STATUS_INVALID);
	CHECK_EQ(se->tier, TIER_PHOTON);
}

TEST(set_tier_moves_a_queued_entity_between_fifos)
{
	struct rig r;

	rig_init(&r);
	add(&r, 0, TIER_GRAVITY, ANY, 2);
	add(&r, 1, TIER_MATTER, ANY, 2);
	CHECK_EQ(sched_set_tier(NULL, &r.se[0], TIER_PHOTON), STATUS_INVALID);
	CHECK_EQ(sched_set_tier(&r.rq[1], &r.se[0], TIER_PHOTON), STATUS_INVALID);
	CHECK_EQ(r.se[0].tier, TIER_GRAVITY);
	CHECK_EQ(sched_set_tier(&r.rq[2], &r.se[0], TIER_PHOTON), STATUS_OK);
	CHECK_EQ(r.rq[2].count, 2);
	CHECK_EQ(r.se[0].stats.migrations, 0);
	CHECK(sched_pick(&r.rq[2]) == &r.se[0]);
	CHECK(sched_pick(&r.rq[2]) == &r.se[1]);
	CHECK(sched_pick(&r.rq[2]) == NULL);
}

TEST(higher_tier_arrival_triggers_preemption)
{
	struct rig r;
	struct runq *q = &r.rq[0];
	struct sched_entity *m = &r.se[0];

	rig_init(&r);
	CHECK(!sched_should_preempt(q, NULL));
	CHECK_EQ(sched_entity_init(m, TIER_MATTER, ANY), STATUS_OK);
	run(q, m);
	add(&r, 1, TIER_MATTER, ANY, 0);
	add(&r, 2, TIER_GRAVITY, ANY, 0);
	add(&r, 3, TIER_VOID, ANY, 0);
	CHECK(!sched_should_preempt(q, m));
	add(&r, 4, TIER_PHOTON, ANY, 0);
	CHECK(sched_should_preempt(q, m));
	CHECK(sched_should_preempt(q, NULL));
	/* Preemption keeps the partial burst. */
	CHECK(!sched_charge(m, 3 * MS));
	CHECK_EQ(sched_enqueue(q, m), STATUS_OK);
	CHECK_EQ(m->budget_left, 7 * MS);
	CHECK(sched_pick(q) == &r.se[4]);
}

TEST(enqueue_rejects_double_excluded_and_dead)
{
	struct rig r;
	struct sched_entity *se = &r.se[0];

	rig_init(&r);
	add(&r, 0, TIER_MATTER, 1u << 1, 1);
	CHECK_EQ(sched_enqueue(&r.rq[1], se), STATUS_EXISTS);
	CHECK_EQ(sched_enqueue(&r.rq[2], se), STATUS_EXISTS);
	CHECK_EQ(r.rq[1].count, 1);
	CHECK_EQ(r.rq[2].count, 0);
	CHECK(sched_pick(&r.rq[1]) == se);
	CHECK_EQ(sched_enqueue(&r.rq[0], se), STATUS_INVALID);
	CHECK_EQ(r.rq[0].count, 0);
	CHECK_EQ(se->state, SCHED_RUNNING);
	CHECK_EQ(sched_block(se), STATUS_OK);
	CHECK_EQ(sched_exit(se), STATUS_OK);
	CHECK_EQ(sched_enqueue(&r.rq[1], se), STATUS_DEAD);
	CHECK_EQ(r.rq[1].count, 0);
	CHECK_EQ(sched_exit(se), STATUS_DEAD);
	CHECK_EQ(sched_set_tier(NULL, se, TIER_PHOTON), STATUS_DEAD);
}

TEST(init_rejects_bad_arguments)
{
	struct sched_entity se;
	struct runq rq;

	CHECK_EQ(sched_entity_init(&se, TIER_MATTER, 0), STATUS_INVALID);
	CHECK_EQ(sched_entity_init(&se, (enum sched_tier)SCHED_TIERS, ANY), STATUS_INVALID);
	CHECK_EQ(runq_init(&rq, SCHED_MAX_CPUS), STATUS_RANGE);
	CHECK_EQ(runq_init(&rq, SCHED_MAX_CPUS - 1), STATUS_OK);
	CHECK_EQ(sched_entity_init(&se, TIER_MATTER, 1ull << 63), STATUS_OK);
	CHECK_EQ(sched_enqueue(&rq, &se), STATUS_OK);
	CHECK_EQ(sched_set_affinity(&se, 0), STATUS_INVALID);
	CHECK_EQ(se.affinity, 1ull << 63);
	CHECK_EQ(sched_set_affinity(&se, 3), STATUS_OK);
	CHECK_EQ(se.affinity, 3);
}

TEST(remove_takes_one_entity_out_of_the_middle)
{
	struct rig r;

	rig_init(&r);
	for (unsigned i = 0; i < 3; i++)
		add(&r, i, TIER_GRAVITY, ANY, 3);
	CHECK_EQ(sched_remove(&r.rq[2], &r.se[1]), STATUS_NOT_FOUND);
	CHECK_EQ(sched_exit(&r.se[1]), STATUS_BUSY);
	CHECK_EQ(sched_remove(&r.rq[3], &r.se[1]), STATUS_OK);
	CHECK_EQ(r.se[1].state, SCHED_BLOCKED);
	CHECK_EQ(r.se[1].cpu, SCHED_NO_CPU);
	CHECK_EQ(r.rq[3].count, 2);
	CHECK_EQ(sched_remove(&r.rq[3], &r.se[1]), STATUS_NOT_FOUND);
	CHECK_EQ(sched_exit(&r.se[1]), STATUS_OK);
	CHECK(sched_pick(&r.rq[3]) == &r.se[0]);
	CHECK(sched_pick(&r.rq[3]) == &r.se[2]);
	CHECK(sched_pick(&r.rq[3]) == NULL);
}

TEST(block_and_yield_need_a_running_entity)
{
	struct rig r;
	struct sched_entity *se = &r.se[0];

	rig_init(&r);
	CHECK_EQ(sched_entity_init(se, TIER_MATTER, 1u << 0), STATUS_OK);
	CHECK_EQ(sched_block(se), STATUS_INVALID);
	CHECK_EQ(sched_yield_cpu(&r.rq[0], se), STATUS_INVALID);
	CHECK_EQ(sched_enqueue(&r.rq[0], se), STATUS_OK);
	CHECK_EQ(sched_block(se), STATUS_INVALID);
	CHECK_EQ(sched_yield_cpu(&r.rq[0], se), STATUS_INVALID);
	CHECK_EQ(r.rq[0].count, 1);
	CHECK(sched_pick(&r.rq[0]) == se);
	CHECK(!sched_charge(se, 4 * MS));
	/* A failed yield leaves the burst alone. */
	CHECK_EQ(sched_yield_cpu(&r.rq[1], se), STATUS_INVALID);
	CHECK_EQ(se->budget_left, 6 * MS);
	CHECK_EQ(se->state, SCHED_RUNNING);
}

TEST(steal_takes_from_the_busiest_victim)
{
	struct rig r;
	struct sched_entity *se;

	rig_init(&r);
	add(&r, 0, TIER_MATTER, ANY, 0);
	add(&r, 1, TIER_GRAVITY, ANY, 1);
	add(&r, 2, TIER_MATTER, ANY, 1);
	add(&r, 3, TIER_MATTER, ANY, 1);
	add(&r, 4, TIER_GRAVITY, ANY, 2);
	add(&r, 5, TIER_GRAVITY, ANY, 2);
	se = sched_steal(r.rq, NCPU, &r.rq[3]);
	/* CPU 1 is busiest; its most urgent tier is Matter, head first. */
	CHECK(se == &r.se[2]);
	CHECK_EQ(se->cpu, 3);
	CHECK_EQ(se->state, SCHED_RUNNABLE);
	CHECK_EQ(se->stats.migrations, 1);
	CHECK_EQ(r.rq[1].count, 2);
	CHECK_EQ(r.rq[3].count, 1);
	CHECK(sched_pick(&r.rq[3]) == se);
	/* Ties go to the lowest-numbered victim: CPU 1 again. */
	CHECK(sched_steal(r.rq, NCPU, &r.rq[3]) == &r.se[3]);
	CHECK_EQ(r.rq[1].count, 1);
}

TEST(steal_respects_affinity)
{
	struct rig r;

	rig_init(&r);
	/* CPU 0 is busiest but everything on it is pinned there... */
	add(&r, 0, TIER_PHOTON, 1u << 0, 0);
	add(&r, 1, TIER_MATTER, 1u << 0, 0);
	add(&r, 2, TIER_MATTER, 1u << 0, 0);
	/* ...so the thief takes from CPU 1, skipping the entity pinned there
	 * even though it is in the more urgent tier. */
	add(&r, 3, TIER_PHOTON, 1u << 1, 1);
	add(&r, 4, TIER_GRAVITY, (1u << 1) | (1u << 2), 1);
	CHECK(sched_steal(r.rq, NCPU, &r.rq[2]) == &r.se[4]);
	CHECK_EQ(r.se[4].cpu, 2);
	CHECK(sched_steal(r.rq, NCPU, &r.rq[2]) == NULL);
	CHECK(sched_steal(r.rq, NCPU, &r.rq[3]) == NULL);
	CHECK_EQ(r.rq[0].count, 3);
	CHECK_EQ(r.rq[1].count, 1);
	CHECK_EQ(r.rq[2].count, 1);
}

TEST(steal_finds_nothing_on_empty_queues_or_from_itself)
{
	struct rig r;

	rig_init(&r);
	CHECK(sched_steal(r.rq, NCPU, &r.rq[0]) == NULL);
	add(&r, 0, TIER_MATTER, ANY, 0);
	CHECK(sched_steal(r.rq, NCPU, &r.rq[0]) == NULL);
	CHECK_EQ(r.rq[0].count, 1);
	CHECK_EQ(r.se[0].stats.migrations, 0);
}

TEST(balance_spreads_8_entities_to_2_per_cpu)
{
	struct rig r;
	unsigned migrated = 0;

	rig_init(&r);
	for (unsigned i = 0; i < 8; i++)
		add(&r, i, i % 2 ? TIER_MATTER : TIER_GRAVITY, ANY, 0);
	CHECK_EQ(sched_balance(r.rq, NCPU), 6);
	for (unsigned c = 0; c < NCPU; c++)
		CHECK_EQ(r.rq[c].count, 2);
	for (unsigned i = 0; i < 8; i++) {
		CHECK_EQ(r.se[i].state, SCHED_RUNNABLE);
		migrated += (unsigned)r.se[i].stats.migrations;
	}
	CHECK_EQ(migrated, 6);
	CHECK_EQ(sched_balance(r.rq, NCPU), 0);
}

TEST(balance_respects_affinity_and_small_gaps)
{
	struct rig r;

	rig_init(&r);
	for (unsigned i = 0; i < 6; i++)
		add(&r, i, TIER_GRAVITY, (1u << 0) | (1u << 1), 0);
	add(&r, 6, TIER_GRAVITY, ANY, 2);
	CHECK_EQ(sched_balance(r.rq, NCPU), 3);
	CHECK_EQ(r.rq[0].count, 3);
	CHECK_EQ(r.rq[1].count, 3);
	CHECK_EQ(r.rq[2].count, 1);
	CHECK_EQ(r.rq[3].count, 0);
	/* A gap of one is left alone. */
	CHECK_EQ(sched_balance(r.rq, NCPU), 0);
	CHECK_EQ(r.rq[2].count, 1);
}

TEST(select_cpu_prefers_last_cpu_unless_much_busier)
{
	struct rig r;
	struct sched_entity *se = &r.se[0];

	rig_init(&r);
	CHECK_EQ(sched_entity_init(se, TIER_MATTER, ANY), STATUS_OK);
	add(&r, 1, TIER_MATTER, ANY, 0);
	/* Never queued: least loaded, lowest index on ties. */
	CHECK_EQ(sched_select_cpu(r.rq, NCPU, se), 1);
	run(&r.rq[2], se);
	CHECK_EQ(sched_block(se), STATUS_OK);
	add(&r, 2, TIER_MATTER, ANY, 2);
	CHECK_EQ(sched_select_cpu(r.rq, NCPU, se), 2);
	add(&r, 3, TIER_MATTER, ANY, 2);
	CHECK_EQ(sched_select_cpu(r.rq, NCPU, se), 1);
	/* Affinity overrides load. */
	CHECK_EQ(sched_set_affinity(se, 1u << 2), STATUS_OK);
	CHECK_EQ(sched_select_cpu(r.rq, NCPU, se), 2);
	CHECK_EQ(sched_set_affinity(se, (1u << 0) | (1u << 3)), STATUS_OK);
	CHECK_EQ(sched_select_cpu(r.rq, NCPU, se), 3);
	CHECK_EQ(sched_set_affinity(se, 1ull << 10), STATUS_OK);
	CHECK_EQ(sched_select_cpu(r.rq, NCPU, se), SCHED_NO_CPU);
}

TEST(next_steals_when_the_cpu_would_idle)
{
	struct rig r;
	struct sched_entity *se;

	rig_init(&r);
	CHECK(sched_next(r.rq, NCPU, &r.rq[0], NULL) == NULL);
	add(&r, 0, TIER_VOID, ANY, 1);
	add(&r, 1, TIER_GRAVITY, ANY, 2);
	se = sched_next(r.rq, NCPU, &r.rq[0], NULL);
	CHECK(se == &r.se[1]);
	CHECK_EQ(se->state, SCHED_RUNNING);
	CHECK_EQ(se->last_cpu, 0);
	CHECK_EQ(se->stats.migrations, 1);
	CHECK_EQ(r.rq[0].count, 0);
	CHECK_EQ(r.rq[2].count, 0);
	CHECK(sched_next(r.rq, NCPU, &r.rq[0], NULL) == &r.se[0]);
}

/* The pull rule written the long way, one pass over the queues per
 * tier: the most urgent tier first, then the longest queue, then the
 * lowest index, and the entity nearest the head that may run on to. */
static struct sched_entity *pull_model(struct rig *r, struct runq *to)
{
	for (unsigned t = TIER_PHOTON; t < SCHED_TIERS; t++) {
		struct sched_entity *best = NULL;
		struct runq *from = NULL;
		for (unsigned i = 0; i < NCPU; i++) {
			struct runq *q = &r->rq[i];
			struct list_node *h = &q->tier[t];
			if (q == to || (best && q->count <= from->count))
				continue;
			for (struct list_node *n = h->next; n != h; n = n->next) {
				struct sched_entity *se = list_entry(n, struct sched_entity, link);
				if (sched_cpu_allowed(se, to->cpu)) {
					best = se;
					from = q;
					break;
				}
			}
		}
		if (best)
			return best;
	}
	return NULL;
}

TEST(idle_pull_matches_the_per_tier_rule)
{
	uint64_t seed = 12345;

	for (int round = 0; round < 20000; round++) {
		struct rig r;
		rig_init(&r);
		unsigned n = 0, to = round % NCPU;
		for (unsigned i = 0; i < 16; i++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			unsigned cpu = (unsigned)(seed >> 33) % NCPU;
			uint64_t aff = (seed >> 40) % 16 | 1u << cpu;
			if (cpu == to || (seed >> 20) % 3 == 0)
				continue;
			add(&r, n++, (enum sched_tier)((seed >> 50) % SCHED_TIERS), aff, cpu);
		}
		struct sched_entity *want = pull_model(&r, &r.rq[to]);
		struct sched_entity *got = sched_next(r.rq, NCPU, &r.rq[to], NULL);
		CHECK(got == want);
		if (got != want)
			return;
	}
}

TEST(next_prefers_remote_work_over_local_void)
{
	struct rig r;

	rig_init(&r);
	add(&r, 0, TIER_VOID, ANY, 0);
	add(&r, 1, TIER_MATTER, 1u << 1, 1);
	/* Pinned elsewhere: local Void runs. */
	CHECK(sched_next(r.rq, NCPU, &r.rq[0], NULL) == &r.se[0]);
	CHECK_EQ(sched_enqueue(&r.rq[0], &r.se[0]), STATUS_OK);
	add(&r, 2, TIER_GRAVITY, ANY, 1);
	CHECK(sched_next(r.rq, NCPU, &r.rq[0], NULL) == &r.se[2]);
	CHECK_EQ(r.rq[0].count, 1);
}

TEST(next_lets_a_remote_peer_run_before_prev_runs_again)
{
	struct rig r;
	struct sched_entity *prev = &r.se[0];

	rig_init(&r);
	CHECK_EQ(sched_entity_init(prev, TIER_MATTER, ANY), STATUS_OK);
	run(&r.rq[0], prev);
	add(&r, 1, TIER_GRAVITY, ANY, 1);
	CHECK(sched_charge(prev, 10 * MS));
	CHECK_EQ(sched_enqueue(&r.rq[0], prev), STATUS_OK);
	/* Only a less urgent tier waits elsewhere: prev runs on. */
	CHECK(sched_next(r.rq, NCPU, &r.rq[0], prev) == prev);
	add(&r, 2, TIER_MATTER, ANY, 1);
	CHECK(sched_charge(prev, 10 * MS));
	CHECK_EQ(sched_enqueue(&r.rq[0], prev), STATUS_OK);
	CHECK(sched_next(r.rq, NCPU, &r.rq[0], prev) == &r.se[2]);
	CHECK_EQ(prev->state, SCHED_RUNNABLE);
	CHECK_EQ(r.rq[0].count, 1);
	/* With a local peer waiting, nothing is pulled. */
	CHECK_EQ(sched_enqueue(&r.rq[0], &r.se[2]), STATUS_OK);
	add(&r, 3, TIER_MATTER, ANY, 1);
	CHECK(sched_next(r.rq, NCPU, &r.rq[0], &r.se[2]) == prev);
	CHECK_EQ(r.rq[1].count, 2);
}

/*
 * Six CPU-bound Matter entities on four CPUs, 1 ms timer tick, one second.
 * Each CPU does what the kernel's timer path does: charge the running
 * entity; on overrun or a more urgent arrival requeue it locally and ask
 * sched_next (local pick, else steal) for the next one.
 */
#define SIM_N 6
#define SIM_TICKS 1000

struct sim {
	struct rig r;
	struct sched_entity *cur[NCPU];
	uint64_t ns_on[SIM_N][NCPU];
};

static void sim_tick(struct sim *s, unsigned c)
{
	struct runq *q = &s->r.rq[c];
	struct sched_entity *se = s->cur[c];

	if (!se)
		se = s->cur[c] = sched_next(s->r.rq, NCPU, q, NULL);
	if (!se)
		return;
	s->ns_on[se - s->r.se][c] += MS;
	if (!sched_charge(se, MS) && !sched_should_preempt(q, se))
		return;
	CHECK_EQ(sched_enqueue(q, se), STATUS_OK);
	s->cur[c] = sched_next(s->r.rq, NCPU, q, se);
}

TEST(six_cpu_bound_entities_share_four_cpus_fairly)
{
	static struct sim s;
	uint64_t total = 0, lo = UINT64_MAX, hi = 0;

	rig_init(&s.r);
	for (unsigned i = 0; i < SIM_N; i++) {
		struct sched_entity *se = &s.r.se[i];
		int cpu;

		CHECK_EQ(sched_entity_init(se, TIER_MATTER, ANY), STATUS_OK);
		cpu = sched_select_cpu(s.r.rq, NCPU, se);
		CHECK(cpu >= 0);
		CHECK_EQ(sched_enqueue(&s.r.rq[cpu], se), STATUS_OK);
	}
	for (unsigned t = 0; t < SIM_TICKS; t++)
		for (unsigned c = 0; c < NCPU; c++)
			sim_tick(&s, c);
	for (unsigned i = 0; i < SIM_N; i++) {
		const struct sched_stats *st = &s.r.se[i].stats;
		unsigned cpus = 0;

		for (unsigned c = 0; c < NCPU; c++)
			cpus += s.ns_on[i][c] > 0;
		printf("  entity %u: %3llu ms on %u CPUs, %llu runs, "
		       "%llu migrations, tier %d\n",
		       i, (unsigned long long)(st->run_ns / MS), cpus, (unsigned long long)st->runs,
		       (unsigned long long)st->migrations, s.r.se[i].tier);
		CHECK(cpus >= 2);
		total += st->run_ns;
		lo = st->run_ns < lo ? st->run_ns : lo;
		hi = st->run_ns > hi ? st->run_ns : hi;
	}
	/* No CPU idled while work was runnable, and nobody got twice another. */
	CHECK_EQ(total, (uint64_t)NCPU * SIM_TICKS * MS);
	CHECK(hi < 2 * lo);
}

/* With its CPU's lock alone the kernel runs its own queue's head, and
 * leaves to the idle loop (every queue at hand) what sched_next would
 * look further for: nothing here, or only Void while another CPU waits. */
TEST(next_local_takes_its_head_or_leaves_the_choice)
{
	struct rig r;

	rig_init(&r);
	CHECK(!sched_others_waiting(r.rq, NCPU, &r.rq[0]));
	CHECK(sched_next_local(&r.rq[0], false) == NULL);
	add(&r, 0, TIER_GRAVITY, ANY, 0);
	add(&r, 1, TIER_MATTER, ANY, 0);
	CHECK(!sched_others_waiting(r.rq, NCPU, &r.rq[0]));
	CHECK(sched_others_waiting(r.rq, NCPU, &r.rq[1]));
	CHECK(sched_next_local(&r.rq[0], true) == &r.se[1]);
	CHECK_EQ(r.se[1].state, SCHED_RUNNING);
	CHECK(sched_next_local(&r.rq[0], true) == &r.se[0]);
	CHECK_EQ(r.rq[0].count, 0);
	add(&r, 2, TIER_VOID, ANY, 0);
	CHECK(sched_next_local(&r.rq[0], true) == NULL); /* Void: look further */
	CHECK_EQ(r.rq[0].count, 1);
	CHECK_EQ(r.se[2].state, SCHED_RUNNABLE);
	CHECK(sched_next_local(&r.rq[0], false) == &r.se[2]);
}

TEST(a_pinned_entity_is_its_cpus_alone)
{
	struct rig r;

	rig_init(&r);
	add(&r, 0, TIER_MATTER, 1ull << 1, 1); /* may run on CPU 1 only */
	CHECK_EQ(r.rq[1].count, 1);
	CHECK_EQ(r.rq[1].movable, 0);
	CHECK(!r.se[0].movable);
	/* Nothing another CPU could take: it need not look. */
	CHECK(!sched_others_waiting(r.rq, NCPU, &r.rq[0]));
	add(&r, 1, TIER_MATTER, (1ull << 1) | (1ull << 2), 1);
	CHECK_EQ(r.rq[1].movable, 1);
	CHECK(sched_others_waiting(r.rq, NCPU, &r.rq[0]));
	CHECK(!sched_others_waiting(r.rq, NCPU, &r.rq[1]));
	/* Stealing moves the movable one and the counts follow it. */
	CHECK(sched_steal(r.rq, NCPU, &r.rq[2]) == &r.se[1]);
	CHECK_EQ(r.rq[1].movable, 0);
	CHECK_EQ(r.rq[2].movable, 1);
	CHECK(sched_steal(r.rq, NCPU, &r.rq[0]) == NULL);
	CHECK(sched_pick(&r.rq[2]) == &r.se[1]);
	CHECK_EQ(r.rq[2].movable, 0);
	CHECK(!r.se[1].movable);
	/* A change of affinity while queued is undone by what was counted. */
	CHECK_EQ(sched_set_affinity(&r.se[0], ANY), STATUS_OK);
	CHECK_EQ(sched_remove(&r.rq[1], &r.se[0]), STATUS_OK);
	CHECK_EQ(r.rq[1].movable, 0);
	CHECK_EQ(r.rq[1].count, 0);
}

TEST(run_direct_starts_a_blocked_entity_without_queueing_it)
{
	struct runq rq;
	struct sched_entity se, other;
	CHECK_EQ(runq_init(&rq, 1), STATUS_OK);
	CHECK_EQ(sched_entity_init(&se, TIER_MATTER, 1ull << 1), STATUS_OK);
	CHECK_EQ(sched_entity_init(&other, TIER_MATTER, 1ull << 1), STATUS_OK);
	CHECK_EQ(sched_enqueue(&rq, &other), STATUS_OK);
	CHECK_EQ(sched_run_direct(&rq, &se), STATUS_OK);
	CHECK_EQ(se.state, SCHED_RUNNING);
	CHECK_EQ(se.stats.runs, 1);
	CHECK_EQ(rq.count, 1); /* only the one queued before */
	CHECK(sched_pick(&rq) == &other);
	/* A CPU outside the affinity mask cannot take it. */
	struct runq rq0;
	struct sched_entity pinned;
	CHECK_EQ(runq_init(&rq0, 0), STATUS_OK);
	CHECK_EQ(sched_entity_init(&pinned, TIER_MATTER, 1ull << 1), STATUS_OK);
	CHECK_EQ(sched_run_direct(&rq0, &pinned), STATUS_INVALID);
	CHECK_EQ(pinned.state, SCHED_BLOCKED);
}

TEST(resume_runs_a_blocked_entity_again_where_it_blocked)
{
	struct runq rq;
	struct sched_entity se;
	CHECK_EQ(runq_init(&rq, 1), STATUS_OK);
	CHECK_EQ(sched_entity_init(&se, TIER_MATTER, 1ull << 1), STATUS_OK);
	CHECK_EQ(sched_run_direct(&rq, &se), STATUS_OK);
	CHECK_EQ(sched_block(&se), STATUS_OK);
	CHECK_EQ(sched_resume(&se), STATUS_OK);
	CHECK_EQ(se.state, SCHED_RUNNING);
	CHECK_EQ(se.last_cpu, 1);
	CHECK_EQ(se.stats.runs, 2);
	CHECK_EQ(rq.count, 0); /* never queued */
	/* Only a blocked entity: not one running, queued or dead. */
	CHECK_EQ(sched_resume(&se), STATUS_INVALID);
	CHECK_EQ(sched_block(&se), STATUS_OK);
	CHECK_EQ(sched_enqueue(&rq, &se), STATUS_OK);
	CHECK_EQ(sched_resume(&se), STATUS_INVALID);
	CHECK_EQ(se.state, SCHED_RUNNABLE);
	CHECK_EQ(sched_remove(&rq, &se), STATUS_OK);
	CHECK_EQ(sched_exit(&se), STATUS_OK);
	CHECK_EQ(sched_resume(&se), STATUS_INVALID);
	CHECK_EQ(se.state, SCHED_DEAD);
}

int main(void)
{
	RUN(run_direct_starts_a_blocked_entity_without_queueing_it);
	RUN(resume_runs_a_blocked_entity_again_where_it_blocked);
	RUN(pick_takes_most_urgent_tier_first);
	RUN(pick_is_fifo_within_a_tier);
	RUN(void_runs_only_when_other_tiers_are_empty);
	RUN(void_entities_share_the_cpu_in_50ms_slices);
	RUN(photon_is_preempted_at_exactly_2ms);
	RUN(tier_budgets_are_2_10_50_50_ms);
	RUN(late_tick_counts_one_overrun_and_refills);
	RUN(three_consecutive_overruns_demote_one_tier);
	RUN(two_overruns_then_block_do_not_demote);
	RUN(yield_requeues_at_tail_and_the_burst_goes_on);
	RUN(yield_loop_is_demoted_and_stops_starving_a_lower_tier);
	RUN(demotion_stops_at_gravity);
	RUN(void_is_never_demoted);
	RUN(set_tier_restores_a_demoted_entity);
	RUN(set_tier_moves_a_queued_entity_between_fifos);
	RUN(higher_tier_arrival_triggers_preemption);
	RUN(enqueue_rejects_double_excluded_and_dead);
	RUN(init_rejects_bad_arguments);
	RUN(remove_takes_one_entity_out_of_the_middle);
	RUN(block_and_yield_need_a_running_entity);
	RUN(steal_takes_from_the_busiest_victim);
	RUN(steal_respects_affinity);
	RUN(steal_finds_nothing_on_empty_queues_or_from_itself);
	RUN(balance_spreads_8_entities_to_2_per_cpu);
	RUN(balance_respects_affinity_and_small_gaps);
	RUN(next_local_takes_its_head_or_leaves_the_choice);
	RUN(a_pinned_entity_is_its_cpus_alone);
	RUN(select_cpu_prefers_last_cpu_unless_much_busier);
	RUN(next_steals_when_the_cpu_would_idle);
	RUN(idle_pull_matches_the_per_tier_rule);
	RUN(next_prefers_remote_work_over_local_void);
	RUN(next_lets_a_remote_peer_run_before_prev_runs_again);
	RUN(six_cpu_bound_entities_share_four_cpus_fairly);
	return check_summary();
}
