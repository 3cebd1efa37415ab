/*
 * sched.h - scheduling policy: tiers, budgets, demotion, per-CPU run queues,
 * stealing and balancing.
 *
 * This is policy only. The arch code owns the context switch, the timer and
 * the per-CPU data; it keeps one struct runq per CPU (runqs[i].cpu == i),
 * embeds a struct sched_entity in each thread, and calls these functions
 * with the single kernel lock held. Nothing here allocates or sleeps.
 *
 * Tiers, most urgent first, with the budget of one burst:
 *   Photon   2 ms  hard real-time
 *   Matter  10 ms  interactive
 *   Gravity 50 ms  batch
 *   Void    50 ms  scavenger slice; runs only when no other tier is runnable
 *
 * A burst is the run time since the entity last blocked. A yield does
 * not end it, so a thread that yields in a loop is charged, and demoted,
 * like one that spins: it cannot keep a tier it does not deserve and
 * starve the tiers below it.
 * Spending a whole budget in one burst is an overrun: the entity must be
 * preempted and its budget is refilled. SCHED_OVERRUN_LIMIT consecutive
 * overruns demote it one tier, down to Gravity at most (see sched.c for
 * why Gravity never falls to Void). Void entities are never demoted.
 *
 * Entity life cycle:
 *   init -> BLOCKED -enqueue-> RUNNABLE -pick/next-> RUNNING
 *   RUNNING -enqueue (preempted) or yield-> RUNNABLE
 *   RUNNING -block-> BLOCKED;  RUNNABLE -remove-> BLOCKED
 *   BLOCKED or RUNNING -exit-> DEAD (final)
 * RUNNABLE means exactly "on a run queue", and then cpu names that queue.
 */
#ifndef KEEL_CORE_SCHED_H
#define KEEL_CORE_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/status.h"
#include "core/list.h"

enum sched_tier {
	TIER_PHOTON,
	TIER_MATTER,
	TIER_GRAVITY,
	TIER_VOID,
};

#define SCHED_TIERS 4
/* The affinity mask has one bit per CPU. */
#define SCHED_MAX_CPUS 64
#define SCHED_AFFINITY_ALL UINT64_MAX
#define SCHED_NO_CPU (-1)
/* Consecutive overruns that demote an entity one tier. */
#define SCHED_OVERRUN_LIMIT 3
/* A waking entity stays on its last CPU unless that queue is longer than
 * the shortest allowed queue by more than this many entities. */
#define SCHED_WAKE_SLACK 1

#define SCHED_NS_PER_MS 1000000ull

enum sched_state {
	SCHED_BLOCKED,
	SCHED_RUNNABLE,
	SCHED_RUNNING,
	SCHED_DEAD,
};

/* Counters for tests and benchmarks; never reset by the policy. */
struct sched_stats {
	uint64_t runs;       /* times picked to run */
	uint64_t run_ns;     /* total run time charged */
	uint64_t overruns;   /* bursts that used the whole budget */
	uint64_t demotions;  /* times moved down a tier by overruns */
	uint64_t migrations; /* times queued on a CPU other than the last */
};

/* Embedded in the kernel's thread; all fields are owned by this module. */
struct sched_entity {
	struct list_node link;     /* on a runq tier list when RUNNABLE */
	enum sched_tier tier;      /* current tier */
	enum sched_tier base_tier; /* tier it was created with */
	enum sched_state state;
	uint64_t budget_left; /* ns left in the current burst */
	unsigned overruns;    /* consecutive overruns in this tier */
	int cpu;              /* queue it is on, or SCHED_NO_CPU */
	int last_cpu;         /* last queue it was on, or SCHED_NO_CPU */
	uint64_t affinity;    /* bit i set: may run on CPU i; never 0 */
	bool movable;         /* queued and allowed on a CPU other than its queue's */
	struct sched_stats stats;
};

/* One per CPU: a FIFO per tier. */
struct runq {
	struct list_node tier[SCHED_TIERS];
	unsigned count;   /* RUNNABLE entities on all tiers */
	unsigned movable; /* of those, the ones allowed on another CPU too */
	unsigned cpu;
};

/* Returns the burst budget of a tier in ns, or 0 for an invalid tier. */
uint64_t sched_tier_budget(enum sched_tier tier);

/* Returns true if se's affinity allows CPU cpu. */
static inline bool sched_cpu_allowed(const struct sched_entity *se, unsigned cpu)
{
	return cpu < SCHED_MAX_CPUS && (se->affinity >> cpu & 1);
}

/* Sets up se as BLOCKED, on no queue, with a full budget of tier. Returns
 * STATUS_INVALID for a bad tier or an empty affinity mask. */
status_t sched_entity_init(struct sched_entity *se, enum sched_tier tier, uint64_t affinity);

/* Sets up rq as the empty queue of CPU cpu. Returns STATUS_RANGE if cpu is
 * not below SCHED_MAX_CPUS. */
status_t runq_init(struct runq *rq, unsigned cpu);

/* Moves se to tier (e.g. a supervisor restoring se->base_tier) with a fresh
 * burst. rq is the queue se is on if RUNNABLE, else ignored (may be NULL).
 * Returns STATUS_INVALID for a bad tier or a wrong rq, STATUS_DEAD if se is
 * dead. Caller holds the kernel lock. */
status_t sched_set_tier(struct runq *rq, struct sched_entity *se, enum sched_tier tier);

/* Replaces se's affinity. Returns STATUS_INVALID for 0. Does not move se:
 * if it is queued or running on a CPU now excluded, the caller requeues it
 * (sched_remove, sched_select_cpu, sched_enqueue). Caller holds the lock. */
status_t sched_set_affinity(struct sched_entity *se, uint64_t affinity);

/* Queues se at the tail of its tier on rq; it becomes RUNNABLE. The burst
 * is not reset. Returns STATUS_EXISTS if se is already queued, STATUS_DEAD
 * if dead, STATUS_INVALID if its affinity excludes rq's CPU; on error
 * nothing changes. Caller holds the kernel lock. */
status_t sched_enqueue(struct runq *rq, struct sched_entity *se);

/* Takes the queued se off rq; it becomes BLOCKED (e.g. before killing it).
 * Returns STATUS_NOT_FOUND if se is not queued on rq. Caller holds the lock. */
status_t sched_remove(struct runq *rq, struct sched_entity *se);

/* Makes the BLOCKED se RUNNING on rq's CPU at once, without queueing it
 * behind others: the kernel hands its CPU straight to the receiver of a
 * message. Same errors as sched_enqueue. Caller holds the kernel lock. */
status_t sched_run_direct(struct runq *rq, struct sched_entity *se);

/* Makes the BLOCKED se RUNNING again where it blocked, without a queue or
 * a switch: its CPU halted on its stack meanwhile (a parked thread,
 * core/object/thread.c). Returns STATUS_INVALID if se is not BLOCKED.
 * Caller holds that CPU's lock. */
status_t sched_resume(struct sched_entity *se);

/* Dequeues the entity to run next on rq: most urgent tier first, FIFO
 * within a tier; it becomes RUNNING. Returns NULL if rq is empty. Looks at
 * this CPU only; sched_next also looks at the others. Caller holds the lock. */
struct sched_entity *sched_pick(struct runq *rq);

/* Charges ns of run time to the running se. Returns true if the burst has
 * used its whole budget: se must be preempted now; its budget was refilled
 * and its tier may have dropped. Caller holds the kernel lock. */
bool sched_charge(struct sched_entity *se, uint64_t ns);

/* Returns true if rq holds an entity of a strictly more urgent tier than
 * running, or, when running is NULL (CPU idle), any entity. Caller holds
 * the kernel lock. */
bool sched_should_preempt(const struct runq *rq, const struct sched_entity *running);

/* The running se blocks: it becomes BLOCKED and its burst ends (overruns
 * forgiven, budget refilled). Returns STATUS_INVALID if se is not RUNNING.
 * Charge its last run time first. Caller holds the kernel lock. */
status_t sched_block(struct sched_entity *se);

/* The running se gives up the CPU: it is queued at the tail of its tier
 * on rq, its burst going on (charge its run time first). Returns STATUS_INVALID if se is not RUNNING or
 * not allowed on rq's CPU. Caller holds the kernel lock. (Not named
 * sched_yield: on the host port that would replace POSIX sched_yield.) */
status_t sched_yield_cpu(struct runq *rq, struct sched_entity *se);

/* Marks se DEAD for good. Returns STATUS_BUSY if it is still queued
 * (sched_remove it first), STATUS_DEAD if already dead. Caller holds lock. */
status_t sched_exit(struct sched_entity *se);

/* Chooses the CPU (index into runqs) to queue the waking se on: its last
 * CPU if allowed and at most SCHED_WAKE_SLACK entities busier than the
 * least loaded allowed CPU, else the least loaded allowed CPU (lowest index
 * on ties). Returns SCHED_NO_CPU if no CPU below ncpus is allowed. Caller
 * holds the kernel lock. */
int sched_select_cpu(const struct runq *runqs, unsigned ncpus, const struct sched_entity *se);

/* Moves one entity allowed on thief's CPU from the victim with the most
 * queued entities to thief: from the victim's most urgent tier holding one,
 * the entity nearest the head (longest waiting). Returns it (RUNNABLE on
 * thief) or NULL if no victim has one. victims may include thief. Caller
 * holds the kernel lock. */
struct sched_entity *sched_steal(struct runq *victims, unsigned ncpus, struct runq *thief);

/* Moves queued entities from longer to shorter queues, respecting affinity,
 * until no allowed move would narrow a gap of 2 or more. Returns the number
 * moved. Meant for a periodic tick, not the switch path: O(moves * ncpus *
 * queue length). Caller holds the kernel lock. */
unsigned sched_balance(struct runq *runqs, unsigned ncpus);

/* Dequeues what CPU rq runs next (RUNNING), or returns NULL to idle. prev is
 * the entity that just stopped running and that the caller has already
 * requeued on rq (preempted or yielded), else NULL. Like sched_pick, but
 * first takes a waiting entity from another CPU when the local choice would
 * be nothing, a Void entity while another CPU has non-Void work waiting, or
 * prev again while another CPU has work of prev's tier or better waiting.
 * Caller holds the kernel lock. */
struct sched_entity *sched_next(struct runq *runqs, unsigned ncpus, struct runq *rq,
				struct sched_entity *prev);

/* Whether a queue other than rq holds an entity that may run on another
 * CPU than that queue's: work rq's CPU might take. An entity pinned to one
 * CPU is that CPU's alone. Reads the other queues' counts without their
 * locks: a hint, for a caller that holds rq's only. */
bool sched_others_waiting(const struct runq *runqs, unsigned ncpus, const struct runq *rq);

/* What rq's CPU runs next when only rq may be touched: its head (RUNNING),
 * or NULL - nothing queued, or only Void while others_waiting, where
 * sched_next would look at the other queues first (the caller then idles
 * and looks again with every queue at hand). */
struct sched_entity *sched_next_local(struct runq *rq, bool others_waiting);

#endif
