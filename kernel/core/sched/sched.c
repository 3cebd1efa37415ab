/*
 * sched.c - scheduling policy (interface and life cycle in sched.h).
 *
 * Gravity is the demotion floor; overruns never push an entity into Void.
 * Void runs only when no other tier has anything runnable, so demoting a
 * CPU-bound batch thread there would turn a penalty into starvation for as
 * long as any other work exists. Overrunning is also what batch work is
 * expected to do, and it cannot hurt the tiers above: Photon and Matter
 * arrivals preempt a Gravity entity at once (sched_should_preempt). Only
 * entities created in Void, or put there by sched_set_tier, run there.
 *
 * Stealing and balancing move the entity nearest the head of its tier FIFO,
 * i.e. the one queued least recently, not the tail. The head has waited
 * longest, so moving it keeps the global order closest to FIFO (it runs on
 * the thief at once instead of last); its cache on the victim is also the
 * coldest, while the tail is usually the entity the victim just preempted.
 */
#include "core/sched/sched.h"

static const uint64_t tier_budget[SCHED_TIERS] = {
	[TIER_PHOTON] = 2 * SCHED_NS_PER_MS,
	[TIER_MATTER] = 10 * SCHED_NS_PER_MS,
	[TIER_GRAVITY] = 50 * SCHED_NS_PER_MS,
	[TIER_VOID] = 50 * SCHED_NS_PER_MS,
};

/* What a search for an entity to move may take, and where to. */
struct move_req {
	struct runq *to;
	unsigned hi;        /* most urgent tier to consider */
	unsigned lo;        /* least urgent tier to consider */
	unsigned min_count; /* ignore source queues shorter than this */
};

static bool tier_valid(enum sched_tier tier)
{
	return (unsigned)tier < SCHED_TIERS;
}

uint64_t sched_tier_budget(enum sched_tier tier)
{
	return tier_valid(tier) ? tier_budget[tier] : 0;
}

/* Starts a new burst: full budget of the current tier, overruns forgiven. */
static void burst_reset(struct sched_entity *se)
{
	se->budget_left = tier_budget[se->tier];
	se->overruns = 0;
}

status_t sched_entity_init(struct sched_entity *se, enum sched_tier tier, uint64_t affinity)
{
	if (!tier_valid(tier) || affinity == 0)
		return STATUS_INVALID;
	*se = (struct sched_entity){
		.tier = tier,
		.base_tier = tier,
		.state = SCHED_BLOCKED,
		.cpu = SCHED_NO_CPU,
		.last_cpu = SCHED_NO_CPU,
		.affinity = affinity,
	};
	list_init(&se->link);
	burst_reset(se);
	return STATUS_OK;
}

status_t runq_init(struct runq *rq, unsigned cpu)
{
	if (cpu >= SCHED_MAX_CPUS)
		return STATUS_RANGE;
	for (unsigned t = 0; t < SCHED_TIERS; t++)
		list_init(&rq->tier[t]);
	rq->count = 0;
	rq->movable = 0;
	rq->cpu = cpu;
	return STATUS_OK;
}

static bool queued_on(const struct runq *rq, const struct sched_entity *se)
{
	return se->state == SCHED_RUNNABLE && se->cpu == (int)rq->cpu;
}

/* se is about to run on rq's CPU: a change of CPU counts as a migration. */
static void note_cpu(const struct runq *rq, struct sched_entity *se)
{
	if (se->last_cpu != SCHED_NO_CPU && se->last_cpu != (int)rq->cpu)
		se->stats.migrations++;
	se->last_cpu = (int)rq->cpu;
}

/* Links se, which is on no queue and allowed on rq's CPU, at the tail of
 * its tier; a change of CPU since it was last queued counts as a migration. */
static void rq_link(struct runq *rq, struct sched_entity *se)
{
	note_cpu(rq, se);
	list_add_tail(&rq->tier[se->tier], &se->link);
	rq->count++;
	se->movable = (se->affinity & ~(1ull << rq->cpu)) != 0;
	rq->movable += se->movable;
	se->cpu = (int)rq->cpu;
	se->state = SCHED_RUNNABLE;
}

/* Unlinks the queued se from rq; the caller sets its new state. */
static void rq_unlink(struct runq *rq, struct sched_entity *se)
{
	list_del(&se->link);
	rq->count--;
	rq->movable -= se->movable;
	se->movable = false;
	se->cpu = SCHED_NO_CPU;
}

/* Dequeues se from rq to run it. */
static struct sched_entity *take(struct runq *rq, struct sched_entity *se)
{
	rq_unlink(rq, se);
	se->state = SCHED_RUNNING;
	se->stats.runs++;
	return se;
}

/* Moves the queued se from one queue to the tail of another. */
static struct sched_entity *migrate(struct runq *from, struct runq *to, struct sched_entity *se)
{
	rq_unlink(from, se);
	rq_link(to, se);
	return se;
}

/* Returns the entity sched_pick would take from rq, or NULL. */
static struct sched_entity *head_of(const struct runq *rq)
{
	for (unsigned t = 0; t < SCHED_TIERS; t++) {
		struct list_node *n = list_first(&rq->tier[t]);

		if (n)
			return list_entry(n, struct sched_entity, link);
	}
	return NULL;
}

status_t sched_set_tier(struct runq *rq, struct sched_entity *se, enum sched_tier tier)
{
	bool queued = se->state == SCHED_RUNNABLE;

	if (!tier_valid(tier))
		return STATUS_INVALID;
	if (se->state == SCHED_DEAD)
		return STATUS_DEAD;
	if (queued && (!rq || !queued_on(rq, se)))
		return STATUS_INVALID;
	if (queued)
		rq_unlink(rq, se);
	se->tier = tier;
	burst_reset(se);
	if (queued)
		rq_link(rq, se);
	return STATUS_OK;
}

status_t sched_set_affinity(struct sched_entity *se, uint64_t affinity)
{
	if (affinity == 0)
		return STATUS_INVALID;
	se->affinity = affinity;
	return STATUS_OK;
}

/* Why se cannot be queued on (or run directly on) rq's CPU, or OK. */
static status_t may_run(const struct runq *rq, const struct sched_entity *se)
{
	if (se->state == SCHED_DEAD)
		return STATUS_DEAD;
	if (se->state == SCHED_RUNNABLE)
		return STATUS_EXISTS;
	if (!sched_cpu_allowed(se, rq->cpu))
		return STATUS_INVALID;
	return STATUS_OK;
}

status_t sched_enqueue(struct runq *rq, struct sched_entity *se)
{
	status_t st = may_run(rq, se);
	if (st == STATUS_OK)
		rq_link(rq, se);
	return st;
}

status_t sched_remove(struct runq *rq, struct sched_entity *se)
{
	if (!queued_on(rq, se))
		return STATUS_NOT_FOUND;
	rq_unlink(rq, se);
	se->state = SCHED_BLOCKED;
	return STATUS_OK;
}

status_t sched_run_direct(struct runq *rq, struct sched_entity *se)
{
	/* What sched_enqueue then take would do, without touching the queue. */
	status_t st = may_run(rq, se);
	if (st)
		return st;
	note_cpu(rq, se);
	se->state = SCHED_RUNNING;
	se->stats.runs++;
	return STATUS_OK;
}

status_t sched_resume(struct sched_entity *se)
{
	if (se->state != SCHED_BLOCKED)
		return STATUS_INVALID;
	se->state = SCHED_RUNNING;
	se->stats.runs++;
	return STATUS_OK;
}

struct sched_entity *sched_pick(struct runq *rq)
{
	struct sched_entity *se = head_of(rq);

	return se ? take(rq, se) : NULL;
}

/* Photon and Matter may be demoted; Gravity and Void are floors. */
static bool demotable(enum sched_tier tier)
{
	return tier < TIER_GRAVITY;
}

/* Ends a burst that used its whole budget. At a floor tier the count
 * saturates at the limit, so a supervisor can still see a persistent hog. */
static void overrun(struct sched_entity *se)
{
	se->stats.overruns++;
	if (se->overruns < SCHED_OVERRUN_LIMIT)
		se->overruns++;
	if (se->overruns == SCHED_OVERRUN_LIMIT && demotable(se->tier)) {
		se->tier = (enum sched_tier)(se->tier + 1);
		se->overruns = 0;
		se->stats.demotions++;
	}
	se->budget_left = tier_budget[se->tier];
}

/* One charge counts at most one overrun, however late the tick that brings
 * it: the budget is refilled, not debited with the excess. */
bool sched_charge(struct sched_entity *se, uint64_t ns)
{
	se->stats.run_ns += ns;
	if (ns < se->budget_left) {
		se->budget_left -= ns;
		return false;
	}
	overrun(se);
	return true;
}

bool sched_should_preempt(const struct runq *rq, const struct sched_entity *running)
{
	unsigned above = running ? (unsigned)running->tier : SCHED_TIERS;

	if (rq->count == 0)
		return false; /* the usual case on a hand-off */
	for (unsigned t = 0; t < above; t++)
		if (!list_empty(&rq->tier[t]))
			return true;
	return false;
}

status_t sched_block(struct sched_entity *se)
{
	if (se->state != SCHED_RUNNING)
		return STATUS_INVALID;
	se->state = SCHED_BLOCKED;
	burst_reset(se);
	return STATUS_OK;
}

status_t sched_yield_cpu(struct runq *rq, struct sched_entity *se)
{
	if (se->state != SCHED_RUNNING || !sched_cpu_allowed(se, rq->cpu))
		return STATUS_INVALID;
	return sched_enqueue(rq, se); /* the burst goes on */
}

status_t sched_exit(struct sched_entity *se)
{
	if (se->state == SCHED_DEAD)
		return STATUS_DEAD;
	if (se->state == SCHED_RUNNABLE)
		return STATUS_BUSY;
	se->state = SCHED_DEAD;
	return STATUS_OK;
}

int sched_select_cpu(const struct runq *runqs, unsigned ncpus, const struct sched_entity *se)
{
	int best = SCHED_NO_CPU;
	int last = se->last_cpu;

	for (unsigned i = 0; i < ncpus; i++) {
		if (!sched_cpu_allowed(se, runqs[i].cpu))
			continue;
		if (best == SCHED_NO_CPU || runqs[i].count < runqs[best].count)
			best = (int)i;
	}
	if (best == SCHED_NO_CPU || last == SCHED_NO_CPU || (unsigned)last >= ncpus ||
	    !sched_cpu_allowed(se, runqs[last].cpu))
		return best;
	if (runqs[last].count <= runqs[best].count + SCHED_WAKE_SLACK)
		return last;
	return best;
}

/* Returns the entity of tier t on rq nearest the head that may run on cpu. */
static struct sched_entity *first_allowed(struct runq *rq, unsigned t, unsigned cpu)
{
	struct list_node *head = &rq->tier[t];

	for (struct list_node *n = head->next; n != head; n = n->next) {
		struct sched_entity *se = list_entry(n, struct sched_entity, link);

		if (sched_cpu_allowed(se, cpu))
			return se;
	}
	return NULL;
}

/* Finds the longest queue other than req->to, of at least req->min_count,
 * holding an entity in tiers hi..lo allowed on req->to's CPU (lowest index
 * on ties). Returns that entity, the most urgent and nearest the head, and
 * stores its queue in *from; NULL if there is none. */
static struct sched_entity *find_source(struct runq *runqs, unsigned n, const struct move_req *req,
					struct runq **from)
{
	struct sched_entity *best = NULL;

	for (unsigned i = 0; i < n; i++) {
		struct runq *rq = &runqs[i];
		struct sched_entity *se = NULL;

		if (rq == req->to || rq->count < req->min_count ||
		    (best && rq->count <= (*from)->count))
			continue;
		for (unsigned t = req->hi; t <= req->lo && !se; t++)
			se = first_allowed(rq, t, req->to->cpu);
		if (se) {
			best = se;
			*from = rq;
		}
	}
	return best;
}

struct sched_entity *sched_steal(struct runq *victims, unsigned ncpus, struct runq *thief)
{
	struct move_req req = { thief, TIER_PHOTON, TIER_VOID, 1 };
	struct runq *from = NULL;
	struct sched_entity *se = find_source(victims, ncpus, &req, &from);

	return se ? migrate(from, thief, se) : NULL;
}

/* Returns the shortest queue whose bit in skip is clear, or NULL. */
static struct runq *shortest(struct runq *runqs, unsigned n, uint64_t skip)
{
	struct runq *best = NULL;

	for (unsigned i = 0; i < n; i++)
		if (!(skip >> i & 1) && (!best || runqs[i].count < best->count))
			best = &runqs[i];
	return best;
}

/* Every move narrows a gap of at least 2, so the sum of squared queue
 * lengths drops each time and the loop ends. A queue no source can feed is
 * skipped until the next move changes the lengths. */
unsigned sched_balance(struct runq *runqs, unsigned ncpus)
{
	unsigned moved = 0;
	uint64_t skip = 0;

	if (ncpus > SCHED_MAX_CPUS)
		ncpus = SCHED_MAX_CPUS; /* skip has one bit per CPU */
	for (;;) {
		struct move_req req = { NULL, TIER_PHOTON, TIER_VOID, 0 };
		struct runq *from = NULL;
		struct sched_entity *se;

		req.to = shortest(runqs, ncpus, skip);
		if (!req.to)
			return moved;
		req.min_count = req.to->count + 2;
		se = find_source(runqs, ncpus, &req, &from);
		if (se) {
			migrate(from, req.to, se);
			moved++;
			skip = 0;
		} else {
			skip |= (uint64_t)1 << (req.to - runqs);
		}
	}
}

/* Takes onto rq the most urgent entity of tiers PHOTON..lo waiting on
 * another CPU, from the longest queue holding one of that tier. */
static struct sched_entity *pull(struct runq *runqs, unsigned ncpus, struct runq *rq, unsigned lo)
{
	struct sched_entity *best = NULL;
	struct runq *from = NULL;
	unsigned best_tier = lo; /* the least urgent tier still wanted */

	/* One pass over the queues, each looked at down to the best tier
	 * found so far: the same choice as a find_source per tier, without
	 * walking every queue once per tier (the idle path of every CPU). */
	for (unsigned i = 0; i < ncpus; i++) {
		struct runq *q = &runqs[i];
		struct sched_entity *se = NULL;
		unsigned t = TIER_PHOTON;

		if (q == rq || q->count == 0)
			continue;
		for (; t <= best_tier && !se; t++)
			se = first_allowed(q, t, rq->cpu);
		if (!se)
			continue;
		t--; /* the tier se was found in */
		if (!best || t < best_tier || q->count > from->count) {
			best = se;
			from = q;
			best_tier = t;
		}
	}
	return best ? migrate(from, rq, best) : NULL;
}

/* Pulling a peer when prev would run again is what rotates CPU-bound
 * entities across CPUs: without it, six of them on four CPUs settle as
 * 2/2/1/1 and the lone ones get twice the CPU of the others, for ever. */
struct sched_entity *sched_next(struct runq *runqs, unsigned ncpus, struct runq *rq,
				struct sched_entity *prev)
{
	struct sched_entity *head = head_of(rq);
	struct sched_entity *se;
	unsigned lo;

	if (!head)
		lo = TIER_VOID;
	else if (head == prev)
		lo = head->tier;
	else if (head->tier == TIER_VOID)
		lo = TIER_GRAVITY;
	else
		return take(rq, head);
	se = pull(runqs, ncpus, rq, lo);
	if (se)
		return take(rq, se);
	return head ? take(rq, head) : NULL;
}

bool sched_others_waiting(const struct runq *runqs, unsigned ncpus, const struct runq *rq)
{
	for (unsigned i = 0; i < ncpus; i++)
		if (&runqs[i] != rq && __atomic_load_n(&runqs[i].movable, __ATOMIC_RELAXED))
			return true;
	return false;
}

struct sched_entity *sched_next_local(struct runq *rq, bool others_waiting)
{
	struct sched_entity *head = head_of(rq);

	if (!head || (head->tier == TIER_VOID && others_waiting))
		return NULL;
	return take(rq, head);
}
