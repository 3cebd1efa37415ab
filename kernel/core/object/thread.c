/* thread.c - kernel and user threads, switches, ticks and blocking (see thread.h). */
#include <stddef.h>

#include "abi/supervise.h"
#include "core/futex.h"
#include "core/inline.h"
#include "core/list.h"
#include "core/ipc.h"
#include "core/klock.h"
#include "core/mm/kmem.h"
#include "core/panic.h"
#include "core/mm/pool.h"
#include "core/mm/reclaim.h"
#include <string.h>
#include "core/object/task.h"
#include "core/object/thread.h"

#define BALANCE_EVERY_TICKS 10

struct sched_cpu *klock_cpus[SCHED_MAX_CPUS];
uint64_t klock_all;

/* Takes lock l of a CPU, counting in s. */
static void lock_counted(struct spinlock *l, struct klock_stats *s)
{
	if (__builtin_expect(!spin_trylock(l), 0)) {
		uint64_t t0 = arch_timestamp();
		spin_lock(l);
		s->wait += arch_timestamp() - t0;
		s->contended++;
	}
	s->acquired++;
}

void klock_take_all(struct sched_cpu *sc)
{
	struct klock_stats *s = &sc->all_stats;
	uint64_t t0 = 0;
	bool waited = false;
	/* The count is read once lock 0 is held: a CPU coming online holds
	 * it while it adds itself. Before the first CPU's lock exists (early
	 * boot, one CPU) there is nothing to take. */
	for (unsigned i = 0; i < SCHED_MAX_CPUS && klock_all >> i; i++) {
		if (!(klock_all >> i & 1))
			continue;
		struct spinlock *l = &klock_cpus[i]->lock;
		if (__builtin_expect(!spin_trylock(l), 0)) {
			if (!waited)
				t0 = arch_timestamp();
			waited = true;
			spin_lock(l);
		}
	}
	if (waited) {
		s->wait += arch_timestamp() - t0;
		s->contended++;
	}
	s->acquired++;
	sc->held = klock_all;
	sc->excl = true;
}

void klock_release_others(struct sched_cpu *sc, uint64_t mask)
{
	mask &= ~sc->bit;
	while (mask) {
		unsigned c = (unsigned)__builtin_ctzll(mask);
		mask &= mask - 1;
		spin_unlock(&klock_cpus[c]->lock);
	}
}

void klock_take_cpu(struct sched_cpu *sc, unsigned c)
{
	lock_counted(&klock_cpus[c]->lock, &sc->lock_stats);
}

void klock_take_set(struct sched_cpu *sc, uint64_t want)
{
	want |= sc->bit;
	if (want == klock_all) {
		klock_take_all(sc);
		return;
	}
	for (uint64_t m = want; m; m &= m - 1)
		klock_take_cpu(sc, (unsigned)__builtin_ctzll(m));
	sc->held = want;
	sc->excl = false;
}

/* Tries a lock below one held, for a bounded while: its holder may be
 * about to let go (an idle loop's pass, a short IPC step), and giving up
 * costs a run of the call from the start. Never waits for good: the
 * holder may be waiting for a lock this CPU holds. */
static bool try_lower(struct spinlock *l)
{
	for (unsigned i = 0; i < 16; i++) {
		if (spin_trylock(l))
			return true;
		arch_cpu_relax();
	}
	return false;
}

bool klock_extend_slow(struct sched_cpu *sc, uint64_t need)
{
	uint64_t missing = need & ~sc->held;
	while (missing) {
		unsigned c = (unsigned)__builtin_ctzll(missing);
		missing &= missing - 1;
		if (c > (unsigned)(63 - __builtin_clzll(sc->held))) {
			klock_take_cpu(sc, c);
		} else if (try_lower(&klock_cpus[c]->lock)) {
			sc->lock_stats.acquired++;
		} else {
			sc->lock_want = sc->held | need;
			sc->lock_stats.contended++;
			return false;
		}
		sc->held |= 1ull << c;
	}
	return true;
}

struct klock_stats klock_global_totals(void)
{
	struct klock_stats all = { 0 };
	for (uint64_t m = klock_all; m; m &= m - 1) {
		const struct sched_cpu *sc = klock_cpus[__builtin_ctzll(m)];
		all.acquired += sc->all_stats.acquired;
		all.contended += sc->all_stats.contended;
		all.wait += sc->all_stats.wait;
	}
	return all;
}

static struct pool thread_pool;
static uint64_t next_thread_id = 1;
static uint32_t threads_alive;
static struct sched_cpu *cpu_list; /* every CPU's state */
/* Bumped (under the lock) whenever a thread that may run on more than one
 * CPU is put on a run queue: an idle CPU that found nothing to run need
 * not look again until it moves. A thread that may run on its queue's CPU
 * alone is that CPU's business: queued from another CPU it comes with a
 * kick, and an idle CPU looks at its own queue first (idle_and_quiet). */
static uint64_t thread_queued;
extern struct runq runqs[];

static struct thread *se_thread(struct sched_entity *se)
{
	return se ? container_of(se, struct thread, se) : NULL;
}

static void set_name(struct thread *t, const char *name)
{
	size_t i = 0;
	for (; name[i] && i + 1 < THREAD_NAME_LEN; i++)
		t->name[i] = name[i];
	t->name[i] = '\0';
}

/* The last reference to a thread record is gone: give the memory back. */
static void thread_destroy(struct kobj *o)
{
	if (pool_free(&thread_pool, container_of(o, struct thread, obj)))
		panic("thread: freeing a record that is not live");
}

static const struct kobj_ops thread_ops = { .destroy = thread_destroy };

/* Allocates and initialises a record charged to q (NULL: the kernel). */
static status_t record_alloc(struct quota *q, struct thread **out)
{
	struct thread *t;
	status_t st = pool_alloc(&thread_pool, (void **)&t);
	if (st)
		return st;
	st = kobj_init(&t->obj, OBJ_THREAD, &thread_ops, q, 0);
	if (st) {
		pool_free(&thread_pool, t);
		return st;
	}
	t->id = next_thread_id++;
	list_init(&t->sleep_link);
	t->sleep_last = NULL;
	list_init(&t->task_link);
	list_init(&t->timer_link);
	*out = t;
	return STATUS_OK;
}

/* Makes a thread record for an existing context (a CPU's start-up stack). */
static void adopt_idle(uint32_t slot, uint64_t top)
{
	struct thread *t;
	if (record_alloc(NULL, &t))
		panic("thread: no record for an idle thread");
	struct sched_cpu *sc = arch_sched_cpu();
	t->idle = true;
	t->kstack_slot = slot;
	t->kstack_top = top;
	set_name(t, "idle");
	t->se.state = SCHED_RUNNING;
	sc->idle = t;
	sc->current = t;
	sc->charged_ns = arch_time_ns();
	sc->cpu = (uint32_t)arch_cpu_id();
	sc->online_ts = sc->idle_ts = arch_timestamp();
	sc->next_cpu = cpu_list;
	cpu_list = sc;
	/* Its lock joins the set: the caller holds every lock there was,
	 * lock 0 among them (none for the boot CPU, alone so far). */
	list_init(&sc->sleepers);
	sc->sleep_last = NULL;
	sc->sleep_hint = UINT64_MAX;
	sc->lock = (struct spinlock){ 0, -1 };
	sc->bit = 1ull << sc->cpu;
	klock_cpus[sc->cpu] = sc;
	klock_all |= sc->bit;
	sc->held = klock_all;
	spin_lock(&sc->lock);
}

void thread_init(void)
{
	kmem_pool_setup(&thread_pool, "thread", sizeof(struct thread), THREAD_MAX);
	adopt_idle(UINT32_MAX, 0);
	spin_unlock(&arch_sched_cpu()->lock);
	arch_sched_cpu()->held = 0;
}

void thread_init_cpu_idle(uint32_t stack_slot, uint64_t stack_top)
{
	bool irq = klock();
	adopt_idle(stack_slot, stack_top);
	kunlock(irq);
}

uint32_t thread_count(void)
{
	return threads_alive;
}

uint32_t thread_records(void)
{
	struct pool_stats s;
	pool_stats(&thread_pool, &s);
	return (uint32_t)s.in_use;
}

/* The CPU t would be queued on if woken now (the policy's choice). */
static int wake_cpu(const struct thread *t)
{
	return sched_select_cpu(runqs, arch_cpu_count(), &t->se);
}

uint64_t thread_handoff_locks(const struct thread *next)
{
	unsigned cpu = arch_sched_cpu()->cpu;
	if (next->blocked && thread_handoff_here(next, cpu))
		return 1ull << cpu;
	return thread_wake_locks(next);
}

uint64_t thread_wake_locks(const struct thread *t)
{
	if (!t->blocked)
		return 0;
	if (thread_wakes_on_last(t))
		return 1ull << t->se.last_cpu;
	return klock_bit(t->se.last_cpu) | klock_bit(wake_cpu(t));
}

/* Of the CPUs whose locks are held, one t may run on: its last if it may,
 * else the lowest. The policy's choice is taken when its lock is held;
 * the IPC path plans for it (thread_wake_locks), so this is the rare case
 * of a queue length that moved in between. */
static int held_cpu_for(const struct thread *t, uint64_t held)
{
	if (t->se.last_cpu >= 0 && (held >> t->se.last_cpu & 1) &&
	    sched_cpu_allowed(&t->se, (unsigned)t->se.last_cpu))
		return t->se.last_cpu;
	for (uint64_t m = held; m; m &= m - 1)
		if (sched_cpu_allowed(&t->se, (unsigned)__builtin_ctzll(m)))
			return __builtin_ctzll(m);
	return SCHED_NO_CPU;
}

bool thread_wake_covered(const struct thread *t)
{
	uint64_t held = arch_sched_cpu()->held;
	if (t->se.last_cpu < 0 || !(held >> t->se.last_cpu & 1))
		return false;
	return !t->blocked || held_cpu_for(t, held) >= 0;
}

/* Queues t on the CPU the policy chooses and kicks that CPU if it is not us. */
static void make_runnable(struct thread *t)
{
	struct sched_cpu *sc = arch_sched_cpu();
	int cpu = t->se.last_cpu;
	if (__builtin_expect(t->parked, 0)) {
		/* Its CPU halts on its stack (park): it goes on there, at once
		 * and without a switch; no other CPU may take it meanwhile.
		 * Its home's lock is held, which is that CPU's. */
		if (sched_resume(&t->se))
			panic("thread %s: a parked thread cannot go on", t->name);
		if ((unsigned)cpu != sc->cpu)
			arch_kick_cpu((unsigned)cpu);
		return;
	}
	/* As thread_wake_locks planned, in the common case. */
	if (!thread_wakes_on_last(t) || !(sc->held >> cpu & 1)) {
		cpu = wake_cpu(t);
		if (cpu >= 0 && !(sc->held >> cpu & 1))
			cpu = held_cpu_for(t, sc->held);
	}
	if (cpu < 0)
		panic("thread %s: no allowed CPU is online or locked", t->name);
	if (sched_enqueue(&runqs[cpu], &t->se))
		panic("thread %s: cannot be queued", t->name);
	if (t->se.movable)
		__atomic_add_fetch(&thread_queued, 1, __ATOMIC_RELAXED);
	if ((unsigned)cpu != sc->cpu)
		arch_kick_cpu((unsigned)cpu);
}

/* A record with a stack, ready to run entry(arg); not yet queued. Lock held. */
static status_t prepare(struct quota *q, const char *name, void (*entry)(void *), void *arg,
			enum sched_tier tier, uint64_t affinity, struct thread **out)
{
	struct thread *t;
	status_t st = record_alloc(q, &t);
	if (st)
		return st;
	st = sched_entity_init(&t->se, tier, affinity);
	if (st == STATUS_OK)
		st = arch_kstack_alloc(&t->kstack_slot, &t->kstack_top);
	if (st) {
		kobj_put(&t->obj);
		return st;
	}
	set_name(t, name);
	t->entry = entry;
	t->arg = arg;
	arch_thread_setup(t);
	threads_alive++;
	*out = t;
	return STATUS_OK;
}

status_t thread_create(const char *name, void (*entry)(void *), void *arg, enum sched_tier tier,
		       uint64_t affinity, struct thread **out)
{
	struct thread *t;
	bool irq = klock();
	status_t st = prepare(NULL, name, entry, arg, tier, affinity, &t);
	if (st == STATUS_OK) {
		make_runnable(t);
		if (out)
			*out = t;
	}
	kunlock(irq);
	return st;
}

static void user_thread_main(void *arg)
{
	struct thread *t = arg;
	if (t->return_work) { /* made in a stopped task (task_stop), or killed */
		bool irq = klock();
		thread_user_return_check();
		kunlock(irq);
	}
	arch_enter_user(t->user_entry, t->user_stack, t->user_arg);
}

status_t thread_create_user(struct task *task, uint64_t entry, uint64_t stack, uint64_t arg,
			    enum sched_tier tier, uint64_t affinity, struct thread **out)
{
	struct thread *t;
	status_t st = prepare(task_quota(task), "user", user_thread_main, NULL, tier, affinity, &t);
	if (st)
		return st;
	t->arg = t;
	t->task = task;
	t->user_entry = entry;
	t->user_stack = stack;
	t->user_arg = arg;
	ipc_thread_init(t);
	arch_thread_user_init(t);
	t->futex_mem = NULL;
	list_init(&t->futex_link);
	*out = t;
	return STATUS_OK;
}

void thread_start(struct thread *t)
{
	make_runnable(t);
}

/* The thread is off every queue and will never run again: drop it from
 * its task (if it was ever added: a thread whose creation failed half way
 * never was) and the counters. Its stack goes separately. Lock held. */
static void finish(struct thread *t)
{
	ipc_thread_gone(t);
	futex_thread_gone(t);
	if (t->task && !list_unlinked(&t->task_link))
		task_thread_gone(t);
	t->exited = true;
	threads_alive--;
	kobj_kill(&t->obj);
}

/* Frees the thread that exited on this CPU before the last switch. */
static void reap(struct sched_cpu *sc)
{
	struct thread *z = sc->zombie;
	if (!z)
		return;
	sc->zombie = NULL;
	arch_kstack_free(z->kstack_slot);
	kobj_put(&z->obj);
}

/* Called after every switch, on the stack and address space of the thread
 * that now runs: the previous thread's stack and deferred frees can go (a
 * thread exits holding every lock, which its successor still holds here).
 * Then the locks held become what the thread that now runs switched away
 * with: every lock again, or its CPU's alone. */
static __attribute__((noinline)) void after_switch_slow(struct sched_cpu *sc, struct thread *t)
{
	if (sc->held == klock_all) {
		reap(sc);
		reclaim_run();
		if (!t->lock_excl)
			klock_keep_own(sc);
		sc->excl = t->lock_excl || sc->held == klock_all;
	} else if (t->lock_excl) {
		/* Blocked holding every lock: take them again, in order. The
		 * thread runs here already; letting go of this CPU's lock for a
		 * moment is as if it had been woken a little later. */
		klock_release_others(sc, sc->held);
		spin_unlock(&sc->lock);
		klock_take_all(sc);
	} else {
		klock_keep_own(sc);
		sc->excl = false;
	}
}

static inline void after_switch(struct thread *t)
{
	struct sched_cpu *sc = arch_sched_cpu();
	/* The IPC path's switches keep this CPU's lock alone: nothing to do. */
	if (__builtin_expect(sc->held != sc->bit || t->lock_excl || sc->held == klock_all, 0))
		after_switch_slow(sc, t);
}

/* The idle thread starts (starting) or stops running on this CPU. */
static void idle_account(struct sched_cpu *sc, bool starting)
{
	uint64_t ts = arch_timestamp();
	if (starting)
		sc->idle_ts = ts;
	else
		sc->idle_ticks += ts - sc->idle_ts;
}

/* Notes this CPU's tick at now: a gap since the last one of
 * KERNEL_STALL_MIN_NS or more is time the CPU stood still (abi/supervise.h,
 * stalled_ns). Both fields change under stall_seq for thread_cpu_load;
 * a short gap leaves the gap still open as thread_cpu_load counts it (none)
 * whichever tick_ns it reads, so it stores tick_ns alone. */
static inline void stall_note(struct sched_cpu *sc, uint64_t now)
{
	uint64_t last = sc->tick_ns;
	if (__builtin_expect(last && now - last >= KERNEL_STALL_MIN_NS, 0)) {
		__atomic_store_n(&sc->stall_seq, sc->stall_seq + 1, __ATOMIC_RELAXED);
		__atomic_thread_fence(__ATOMIC_RELEASE);
		__atomic_store_n(&sc->stalled_ns, sc->stalled_ns + (now - last - THREAD_TICK_NS),
				 __ATOMIC_RELAXED);
		__atomic_store_n(&sc->tick_ns, now, __ATOMIC_RELAXED);
		__atomic_store_n(&sc->stall_seq, sc->stall_seq + 1, __ATOMIC_RELEASE);
	} else {
		__atomic_store_n(&sc->tick_ns, now, __ATOMIC_RELAXED);
	}
}

/* CPU sc's stalled time to now_ns: the gaps closed, and the one still open
 * if it is long enough. Read without its lock (stall_note). */
static uint64_t stall_read(const struct sched_cpu *sc, uint64_t now_ns)
{
	uint64_t seq, last, stalled;
	do {
		seq = __atomic_load_n(&sc->stall_seq, __ATOMIC_ACQUIRE);
		last = __atomic_load_n(&sc->tick_ns, __ATOMIC_RELAXED);
		stalled = __atomic_load_n(&sc->stalled_ns, __ATOMIC_RELAXED);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while ((seq & 1) || seq != __atomic_load_n(&sc->stall_seq, __ATOMIC_RELAXED));
	if (last && now_ns > last && now_ns - last >= KERNEL_STALL_MIN_NS)
		stalled += now_ns - last - THREAD_TICK_NS;
	return stalled;
}

bool thread_cpu_load(unsigned i, uint64_t now, struct thread_cpu_load *out)
{
	struct sched_cpu *sc = cpu_list;
	while (sc && sc->cpu != i)
		sc = sc->next_cpu;
	if (!sc || i >= arch_cpu_count())
		return false;
	bool idle = sc->current == sc->idle || sc->parked;
	uint64_t ts = now > sc->idle_ts ? now : sc->idle_ts; /* timestamps may differ a little */
	uint64_t idle_ticks = sc->idle_ticks + (idle ? ts - sc->idle_ts : 0);
	uint64_t up = ts - sc->online_ts;
	*out = (struct thread_cpu_load){ .cpu = sc->cpu,
					 .idle_now = idle,
					 .timestamp = ts,
					 .idle = idle_ticks,
					 .busy = up > idle_ticks ? up - idle_ticks : 0,
					 .syscalls = sc->syscalls,
					 .switches = sc->switches,
					 .ticks = sc->ticks,
					 .stalled_ns = stall_read(sc, arch_time_ns()) };
	return true;
}

/* Runs next (already RUNNING) instead of prev from time now; returns when
 * prev runs again. Inline: into schedule and into the hand-off, which the
 * IPC fast path inlines in turn. */
static inline __attribute__((always_inline)) void switch_to(struct sched_cpu *sc,
							    struct thread *prev,
							    struct thread *next, unsigned cpu,
							    uint64_t now, bool handoff)
{
	/* handoff: the caller knows neither is an idle thread, and next is
	 * a blocked thread whose home is this CPU: it last ran here (a
	 * thread's home is where it was last queued, and it ran there before
	 * it blocked), so its bit is set. */
	if (!handoff)
		next->cpus_seen |= 1ull << cpu;
	sc->charged_ns = now;
	if (next != prev) {
		if (!handoff && __builtin_expect(prev->idle | next->idle, 0))
			idle_account(sc, next->idle);
		/* The idle thread only ever drops the locks when it resumes. */
		prev->lock_excl = sc->excl && (handoff || !prev->idle);
		sc->current = next;
		sc->switches++;
		arch_switch_prepare(prev, next);
		arch_switch(&prev->ctx_sp, next->ctx_sp);
		after_switch(prev);
	} else if (sc->held == klock_all) {
		reap(sc);
		reclaim_run();
	}
}

static void wake_begin(struct thread *t);
static void idle_steal(struct sched_cpu *sc);

/* Whether prev, which has just blocked on this CPU with nothing queued
 * here, may park (below) instead of switching to the idle thread. */
static bool may_park(const struct sched_cpu *sc, const struct thread *prev)
{
	return !prev->idle && prev->blocked && prev->se.state == SCHED_BLOCKED &&
	       !runqs[sc->cpu].count && sched_cpu_allowed(&prev->se, sc->cpu);
}

/*
 * Parks prev: this CPU halts on prev's stack, as the idle thread would
 * on its own, until prev is woken or something is queued here. A wake of
 * a parked thread (make_runnable) makes it RUNNING here and kicks this
 * CPU, which then goes on with it without a switch; a parked thread is on
 * no run queue, so no other CPU takes it meanwhile, and a kill
 * (thread_kill) leaves it to end here as a running thread would. The
 * tick and the kick of a parked CPU do not schedule (thread_tick,
 * thread_kick_received): this loop looks again after every interrupt,
 * and steals as the idle loop does. The CPU counts as idle while parked.
 * Its own lock held on entry and on return (with the locks of a steal's
 * victims, if it stole). Returns false when prev is still blocked and
 * something is queued here.
 */
static bool park(struct sched_cpu *sc, struct thread *prev)
{
	struct runq *rq = &runqs[sc->cpu];
	prev->parked = true;
	sc->parked = prev;
	idle_account(sc, true);
	for (;;) {
		if (prev->kill_pending && prev->blocked) {
			/* Killed while parked: its wait ends as if timed out,
			 * and it exits on its way back to user mode. */
			wake_begin(prev);
			prev->woken = false;
			make_runnable(prev);
		}
		if (prev->se.state == SCHED_RUNNING || rq->count)
			break;
		if (sc->idle_seen != __atomic_load_n(&thread_queued, __ATOMIC_RELAXED)) {
			idle_steal(sc);
			if (rq->count)
				break;
		}
		klock_drop();
		arch_idle_halt();
		klock_take_own();
	}
	idle_account(sc, false);
	prev->parked = false;
	sc->parked = NULL;
	if (prev->se.state != SCHED_RUNNING)
		return false;
	/* Woken. Something more urgent queued meanwhile takes the CPU at
	 * the kick, once interrupts are on again. */
	if (rq->count && sched_should_preempt(rq, &prev->se))
		arch_kick_cpu(sc->cpu);
	return true;
}

/*
 * Switches this CPU to the next thread. The caller holds the kernel lock
 * with interrupts off and has set current's state: RUNNING means it was
 * preempted and goes back on the queue, RUNNABLE that it yielded and is
 * queued already; BLOCKED or DEAD means it does not run again for now.
 * Returns when current runs again, with the lock held.
 */
static void schedule(void)
{
	struct sched_cpu *sc = arch_sched_cpu();
	struct thread *prev = sc->current;
	unsigned cpu = (unsigned)arch_cpu_id();
	struct sched_entity *requeued = NULL;

	arch_sched_pass();
	if (!prev->idle && prev->se.state == SCHED_RUNNING && sched_enqueue(&runqs[cpu], &prev->se))
		panic("thread %s: cannot be requeued", prev->name);
	if (!prev->idle && prev->se.state == SCHED_RUNNABLE) {
		requeued = &prev->se; /* preempted just above, or yielded */
		if (prev->se.movable)
			__atomic_add_fetch(&thread_queued, 1, __ATOMIC_RELAXED);
	}
	struct thread *next;
	if (sc->excl) {
		next = se_thread(sched_next(runqs, arch_cpu_count(), &runqs[cpu], requeued));
		if (!next)
			sc->idle_seen = thread_queued;
	} else {
		/* This CPU's lock, and another the IPC path gathered: its own
		 * queue. When it has nothing, or only Void while another queue
		 * has work it might take, the idle loop looks further; it need
		 * not when no other queue has any (the count is read first: a
		 * queueing after it is seen by the idle loop). */
		for (;;) {
			/* The other CPUs' locks gathered with this one (a
			 * cross-CPU IPC step's, a steal's victim) guard nothing
			 * a switch or a park touches: prev and next live on this
			 * CPU. Let them go now, so those CPUs can run what was
			 * just queued there. */
			klock_keep_own(sc);
			/* Nothing here for a thread that has just blocked: halt
			 * on its stack rather than switch to the idle thread. */
			if (may_park(sc, prev)) {
				if (park(sc, prev)) {
					next = prev;
					break;
				}
				continue;
			}
			uint64_t seen = __atomic_load_n(&thread_queued, __ATOMIC_RELAXED);
			bool others = sched_others_waiting(runqs, arch_cpu_count(), &runqs[cpu]);
			next = runqs[cpu].count ? se_thread(sched_next_local(&runqs[cpu], others))
						: NULL;
			if (!next && !others && !runqs[cpu].count)
				sc->idle_seen = seen;
			break;
		}
	}
	switch_to(sc, prev, next ? next : sc->idle, cpu, arch_time_ns(), false);
}

void thread_boot(void)
{
	struct thread *t = thread_current();
	after_switch(t);
	kunlock(true);
	t->entry(t->arg);
	thread_exit();
}

void thread_exit_locked(void)
{
	struct sched_cpu *sc = arch_sched_cpu();
	struct thread *t = sc->current;
	if (t->idle || sched_exit(&t->se))
		panic("thread %s cannot exit", t->name);
	finish(t);
	sc->zombie = t;
	schedule();
	panic("a dead thread was scheduled");
}

void thread_exit(void)
{
	klock();
	thread_exit_locked();
}

void thread_yield_locked(void)
{
	struct thread *t = thread_current();
	if (!t->idle) {
		/* Charges the run so far - the burst goes on, so a yield loop
		 * overruns and is demoted like a busy loop - and requeues at
		 * the tail. */
		struct sched_cpu *sc = arch_sched_cpu();
		uint64_t now = arch_time_ns();
		sched_charge(&t->se, now - sc->charged_ns);
		sc->charged_ns = now;
		sched_yield_cpu(&runqs[sc->cpu], &t->se);
		schedule();
	}
}

void thread_yield(void)
{
	bool irq = klock();
	thread_yield_locked();
	kunlock(irq);
}

status_t thread_set_tier(struct thread *t, enum sched_tier tier)
{
	struct runq *rq = t->se.state == SCHED_RUNNABLE ? &runqs[t->se.cpu] : NULL;
	status_t st = sched_set_tier(rq, &t->se, tier);
	if (st == STATUS_OK)
		t->se.base_tier = tier;
	return st;
}

/*
 * A CPU's sleepers: its blocked threads with a deadline. They are kept in
 * deadline order, but for the last one to block, which waits in
 * sc->sleep_last until another blocks with a deadline or the CPU looks
 * for due sleepers (wake_sleepers): a call's deadline usually goes with
 * its reply before either, and then it never enters the list. The hint
 * counts it at once. Under the CPU's lock, as the list.
 */

/* Inserts t, blocked on sc's CPU, into sc's list in deadline order. */
static void sleeper_insert(struct sched_cpu *sc, struct thread *t)
{
	struct list_node *sleepers = &sc->sleepers;
	/* Walked from the latest deadline back: a new deadline is usually
	 * the latest (a call's timeout), and equal ones keep their order. */
	struct list_node *n = sleepers->prev;
	while (n != sleepers && container_of(n, struct thread, sleep_link)->wake_ns > t->wake_ns)
		n = n->prev;
	list_add_before(n->next, &t->sleep_link);
}

/* Puts sc's last sleeper into its list. */
static void sleepers_settle(struct sched_cpu *sc)
{
	struct thread *t = sc->sleep_last;
	if (t) {
		sc->sleep_last = NULL;
		t->sleep_last = NULL;
		sleeper_insert(sc, t);
	}
}

/* Makes the running t, with its deadline set, a sleeper of this CPU: its
 * last, the one before it put in order. */
static void sleeper_add(struct thread *t)
{
	struct sched_cpu *sc = arch_sched_cpu();
	if (t->wake_ns < sc->sleep_hint)
		__atomic_store_n(&sc->sleep_hint, t->wake_ns, __ATOMIC_RELAXED);
	sleepers_settle(sc);
	sc->sleep_last = t;
	t->sleep_last = sc;
}

/* Takes t off its CPU's sleepers, if it is one. */
static inline void sleeper_remove(struct thread *t)
{
	if (t->sleep_last) {
		t->sleep_last->sleep_last = NULL;
		t->sleep_last = NULL;
	} else if (!list_unlinked(&t->sleep_link)) {
		list_del(&t->sleep_link);
	}
}

/* Marks the calling thread blocked, with a deadline (from now) unless
 * timeout_ns is TIMEOUT_NEVER. Returns false (and does nothing) if it has
 * been killed. */
static bool block_begin(struct thread *t, uint64_t timeout_ns, uint64_t now)
{
	if (t->kill_pending)
		return false;
	t->blocked = true;
	t->woken = false;
	sched_block(&t->se);
	if (timeout_ns != TIMEOUT_NEVER) {
		t->wake_ns = now + timeout_ns < now ? TIMEOUT_NEVER - 1 : now + timeout_ns;
		sleeper_add(t);
	}
	return true;
}

/* Takes a blocked t off its wait without queueing it anywhere. */
static void wake_begin(struct thread *t)
{
	t->blocked = false;
	t->woken = true;
	sleeper_remove(t);
}

bool thread_block(uint64_t timeout_ns)
{
	struct thread *t = thread_current();
	if (!block_begin(t, timeout_ns, timeout_ns == TIMEOUT_NEVER ? 0 : arch_time_ns()))
		return false; /* killed: about to exit, waiting would never end */
	schedule();
	return t->woken;
}

bool thread_block_handoff(struct thread *next, uint64_t timeout_ns)
{
	/* Only a receiver that last ran here, may run here, and would not be
	 * overtaken by something more urgent already waiting here. */
	if (!next->blocked || !thread_handoff_here(next, (unsigned)arch_cpu_id())) {
		thread_wake(next);
		return thread_block(timeout_ns);
	}
	return thread_block_handoff_ready(next, timeout_ns);
}

LTO_INLINE bool thread_block_handoff_ready(struct thread *next, uint64_t timeout_ns)
{
	struct sched_cpu *sc = arch_sched_cpu();
	struct thread *t = sc->current;
	uint64_t now = arch_time_ns(); /* the deadline's start and next's charge */
	if (!block_begin(t, timeout_ns, now)) {
		thread_wake(next);
		return false;
	}
	wake_begin(next);
	/* Its home is this CPU already: no migration to note. */
	if (sched_resume(&next->se))
		panic("thread %s: direct hand-off refused", next->name);
	arch_sched_pass();
	/* t blocks (an idle thread never does), and next was blocked with
	 * this CPU as its home (thread_handoff_here). */
	switch_to(sc, t, next, sc->cpu, now, true);
	return t->woken;
}

bool thread_wake(struct thread *t)
{
	if (!t->blocked)
		return false;
	wake_begin(t);
	make_runnable(t);
	return true;
}

void thread_sleep_ns(uint64_t ns)
{
	bool irq = klock();
	thread_block(ns);
	kunlock(irq);
}

void thread_kill(struct thread *t)
{
	if (t->exited || t->se.state == SCHED_DEAD)
		return;
	if (t->se.state == SCHED_RUNNING || t->parked) {
		/* On a CPU right now (possibly this one), or parked on one (its
		 * stack in use there): it exits on its way out. */
		t->kill_pending = true;
		if (t != thread_current() && t->se.last_cpu >= 0)
			arch_kick_cpu((unsigned)t->se.last_cpu);
		return;
	}
	if (t->se.state == SCHED_RUNNABLE)
		sched_remove(&runqs[t->se.cpu], &t->se);
	sleeper_remove(t);
	t->blocked = false;
	sched_exit(&t->se);
	finish(t);
	arch_kstack_free(t->kstack_slot);
	kobj_put(&t->obj);
}

void thread_user_return_work(struct thread *t)
{
	/* Its task is stopped (task_stop): wait here, outside any call,
	 * until it is continued or killed. Only a continue or a kill wakes
	 * the wait (its wait mask is clear, it is in no call). */
	while (t->stop_pending && !t->kill_pending) {
		t->stopped = true;
		thread_block(TIMEOUT_NEVER);
		t->stopped = false;
	}
	if (t->kill_pending) {
		if (!klock_held()) {
			klock_drop(); /* on the way out: nothing in flight */
			klock_take();
		}
		thread_exit_locked();
	}
}

/* Wakes every sleeper of this CPU whose deadline has passed (its lock
 * held; a sleeper's home is the CPU it blocked on). Returns false if it
 * left one that may no longer run here (its affinity changed while it
 * slept) for a pass with every lock. */
static bool wake_sleepers(struct sched_cpu *sc, uint64_t now)
{
	sleepers_settle(sc);
	while (!list_empty(&sc->sleepers)) {
		struct thread *t = container_of(sc->sleepers.next, struct thread, sleep_link);
		if (t->wake_ns > now)
			break;
		if (sc->held != klock_all && !sched_cpu_allowed(&t->se, sc->cpu))
			return false;
		list_del(&t->sleep_link);
		t->blocked = false;
		make_runnable(t);
	}
	uint64_t first =
		list_empty(&sc->sleepers)
			? UINT64_MAX
			: container_of(sc->sleepers.next, struct thread, sleep_link)->wake_ns;
	__atomic_store_n(&sc->sleep_hint, first, __ATOMIC_RELAXED);
	return true;
}

/* Whether a sleeper of this CPU may be due at now, read without the lock:
 * other CPUs take sleepers off the list (waking them), so the list is
 * not looked at; the hint is at most the first deadline (set by this
 * CPU as it adds one and as it wakes its due ones), never later, so a
 * due sleeper is never missed and a stale hint costs one look with the
 * lock. */
static bool sleeper_due(const struct sched_cpu *sc, uint64_t now)
{
	return __atomic_load_n(&sc->sleep_hint, __ATOMIC_RELAXED) <= now;
}

/*
 * Whether this CPU, idle, has nothing to do that needs a lock: its queue
 * is empty and no other holds a thread it might steal (one pinned to its
 * CPU is that CPU's alone), so there is nothing to run. Read without the
 * locks, so only a hint: a thread queued here afterwards comes with a
 * kick (make_runnable), and one queued elsewhere is seen at the next
 * tick. Keeps idle CPUs off the locks the busy ones use.
 */
static bool idle_and_quiet(const struct sched_cpu *sc)
{
	if (sc->current != sc->idle)
		return false;
	/* Its own queue first: a pinned thread queued here by this CPU
	 * (the boot, an interrupt's wake) moves no count and has no kick. */
	if (__atomic_load_n(&runqs[sc->cpu].count, __ATOMIC_RELAXED))
		return false;
	/* Nothing movable queued anywhere since this CPU last looked and
	 * found nothing it may run: what is queued belongs to other CPUs. */
	if (__atomic_load_n(&thread_queued, __ATOMIC_RELAXED) == sc->idle_seen)
		return true;
	return !sched_others_waiting(runqs, arch_cpu_count(), &runqs[sc->cpu]);
}

/* CPU 0's kernel-wide duties at a tick - the timers, balancing, deferred
 * frees - need every lock: whether any is due (read without them). */
static bool global_work_due(const struct sched_cpu *sc, uint64_t now)
{
	if (ipc_timer_due(now) || reclaim_pending())
		return true;
	if (sc->ticks % BALANCE_EVERY_TICKS)
		return false;
	unsigned lo = UINT32_MAX, hi = 0;
	for (unsigned i = 0; i < arch_cpu_count(); i++) {
		unsigned c = __atomic_load_n(&runqs[i].count, __ATOMIC_RELAXED);
		lo = c < lo ? c : lo;
		hi = c > hi ? c : hi;
	}
	return hi >= lo + 2;
}

void thread_tick(void)
{
	struct sched_cpu *sc = arch_sched_cpu();
	unsigned cpu = sc->cpu;
	uint64_t now = arch_time_ns();
	sc->ticks++;
	stall_note(sc, now);
	bool global = cpu == 0 && global_work_due(sc, now);

	arch_sched_pass(); /* TLB upkeep even when nothing is preempted */
	/* A parked CPU (park) is idle: nothing is charged, and its park
	 * loop, not the tick, chooses what runs next. */
	bool parked = sc->parked != NULL;
	if (!global && (parked || idle_and_quiet(sc)) && !sleeper_due(sc, now))
		return; /* nothing to run, nothing due: no lock at all */
	struct thread *t = parked ? sc->idle : sc->current;
	bool preempt = false;
	if (!global) {
		/* This CPU's own business first, with its lock alone: the
		 * charge, its sleepers, a more urgent thread queued here. */
		klock_take_own();
		if (!t->idle) {
			preempt = sched_charge(&t->se, now - sc->charged_ns);
			sc->charged_ns = now;
		}
		/* An idle CPU steals in its idle loop, right after this. */
		bool local = !preempt && wake_sleepers(sc, now);
		if (local) {
			if (!parked && (t->idle ? runqs[cpu].count != 0
						: sched_should_preempt(&runqs[cpu], &t->se)))
				schedule();
			klock_drop();
			return;
		}
		klock_drop();
	}
	/* A burst spent (what runs next may come from another queue), work
	 * to steal, or CPU 0's kernel-wide duties: with every lock. */
	klock_take_all(sc);
	wake_sleepers(sc, now);
	if (cpu == 0) {
		ipc_timers_fire(now);
		if (sc->ticks % BALANCE_EVERY_TICKS == 0 && sched_balance(runqs, arch_cpu_count()))
			__atomic_add_fetch(&thread_queued, 1, __ATOMIC_RELAXED);
	}
	if (!t->idle && !preempt) {
		preempt = sched_charge(&t->se, now - sc->charged_ns);
		sc->charged_ns = now;
	}
	if (!parked && (t->idle || preempt || sched_should_preempt(&runqs[cpu], &t->se)))
		schedule();
	else if (cpu == 0)
		reclaim_run();
	klock_drop();
}

void thread_kick_received(void)
{
	if (arch_sched_cpu()->parked)
		return; /* the park loop looks again */
	klock_take_own();
	struct thread *t = thread_current();
	if (t->idle || sched_should_preempt(&runqs[arch_cpu_id()], &t->se))
		schedule();
	klock_drop();
}

/*
 * An idle CPU with an empty queue takes one thread it may run from
 * another CPU's queue, holding its own lock and the victims' only, each
 * taken only if free. If it looked at every queue
 * and found nothing it may run, it notes the count of queueings so that
 * it stays quiet until something new is queued. Its own lock held.
 */
static void idle_steal(struct sched_cpu *sc)
{
	uint64_t seen = __atomic_load_n(&thread_queued, __ATOMIC_RELAXED);
	struct runq *mine = &runqs[sc->cpu];
	bool looked = true;
	for (unsigned i = 0; i < arch_cpu_count() && !mine->count; i++) {
		if (i == sc->cpu || !__atomic_load_n(&runqs[i].movable, __ATOMIC_RELAXED))
			continue;
		/* Never waits: the victim is busy, and under -icount a CPU
		 * spinning for a lock spends its whole turn. */
		if (!(sc->held >> i & 1)) {
			if (!spin_trylock(&klock_cpus[i]->lock)) {
				looked = false; /* the next pass looks again */
				continue;
			}
			sc->lock_stats.acquired++;
			sc->held |= 1ull << i;
		}
		sched_steal(&runqs[i], 1, mine);
	}
	if (!mine->count && looked)
		sc->idle_seen = seen;
}

void thread_idle_loop(void)
{
	struct sched_cpu *sc = arch_sched_cpu();
	for (;;) {
		arch_irq_save();
		if (!idle_and_quiet(sc) || sleeper_due(sc, arch_time_ns())) {
			klock_take_own();
			if (!wake_sleepers(sc, arch_time_ns())) {
				klock_drop(); /* a sleeper that may not run here */
				klock_take_all(sc);
				wake_sleepers(sc, arch_time_ns());
			}
			if (!runqs[sc->cpu].count)
				idle_steal(sc);
			if (runqs[sc->cpu].count)
				schedule();
			/* Still queued here: only Void, while another queue
			 * has work this CPU might take (sched_next_local).
			 * Choose again with every queue at hand: that work if
			 * it may move here, else the Void thread. (Choosing
			 * with this CPU's lock alone, two CPUs that each held
			 * a Void thread left both queued for ever.) */
			if (runqs[sc->cpu].count &&
			    sched_others_waiting(runqs, arch_cpu_count(), &runqs[sc->cpu])) {
				klock_drop();
				klock_take_all(sc);
				schedule();
			}
			klock_drop();
		} else {
			arch_sched_pass();
		}
		arch_idle_halt();
	}
}
