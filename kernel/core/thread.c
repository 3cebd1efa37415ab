/* thread.c - kernel threads, context switches, ticks and sleep (see thread.h). */
#include <stddef.h>

#include "core/klock.h"
#include "core/kmem.h"
#include "core/panic.h"
#include "core/pool.h"
#include "core/string.h"
#include "core/thread.h"

#define container_of(p, type, member) ((type *)((char *)(p) - offsetof(type, member)))
#define BALANCE_EVERY_TICKS 10

struct spinlock kernel_lock = { 0, -1 };

static struct pool thread_pool;
static uint64_t next_thread_id = 1;
static uint32_t threads_alive;
static struct list_node sleepers; /* sorted by wake_ns */
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

static unsigned order_for(size_t bytes)
{
	unsigned order = 0;
	while ((PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

/* Makes a thread record for an existing context (a CPU's boot stack). */
static struct thread *adopt_idle(uint32_t slot, uint64_t top)
{
	struct thread *t;
	if (pool_alloc(&thread_pool, (void **)&t))
		panic("thread: no record for an idle thread");
	struct sched_cpu *sc = arch_sched_cpu();
	t->id = next_thread_id++;
	t->idle = true;
	t->kstack_slot = slot;
	t->kstack_top = top;
	set_name(t, "idle");
	t->se.state = SCHED_RUNNING;
	sc->idle = t;
	sc->current = t;
	sc->charged_ns = arch_time_ns();
	return t;
}

void thread_init(void)
{
	size_t bytes = pool_bytes_needed(sizeof(struct thread), THREAD_MAX);
	uint64_t pa;
	if (kmem_alloc(order_for(bytes), &pa))
		panic("thread: no memory for the thread pool");
	if (pool_init(&thread_pool, "thread", arch_phys_to_virt(pa), bytes,
		      sizeof(struct thread), THREAD_MAX))
		panic("thread: pool set-up failed");
	list_init(&sleepers);
	adopt_idle(UINT32_MAX, 0);
}

void thread_init_cpu_idle(uint32_t stack_slot, uint64_t stack_top)
{
	bool irq = klock();
	adopt_idle(stack_slot, stack_top);
	kunlock(irq);
}

struct thread *thread_current(void)
{
	return arch_sched_cpu()->current;
}

uint32_t thread_count(void)
{
	return threads_alive;
}

/* Queues t on the CPU the policy chooses and kicks that CPU if it is not us. */
static void make_runnable(struct thread *t)
{
	int cpu = sched_select_cpu(runqs, arch_cpu_count(), &t->se);
	if (cpu < 0)
		panic("thread %s: no allowed CPU is online", t->name);
	if (sched_enqueue(&runqs[cpu], &t->se))
		panic("thread %s: cannot be queued", t->name);
	if ((unsigned)cpu != (unsigned)arch_cpu_id())
		arch_kick_cpu((unsigned)cpu);
}

status_t thread_create(const char *name, void (*entry)(void *), void *arg,
		       enum sched_tier tier, uint64_t affinity, struct thread **out)
{
	struct thread *t;
	bool irq = klock();
	status_t st = pool_alloc(&thread_pool, (void **)&t);
	if (st)
		goto out;
	st = sched_entity_init(&t->se, tier, affinity);
	if (st == STATUS_OK)
		st = arch_kstack_alloc(&t->kstack_slot, &t->kstack_top);
	if (st) {
		pool_free(&thread_pool, t);
		goto out;
	}
	t->id = next_thread_id++;
	set_name(t, name);
	t->entry = entry;
	t->arg = arg;
	arch_thread_setup(t);
	threads_alive++;
	make_runnable(t);
	if (out)
		*out = t;
out:
	kunlock(irq);
	return st;
}

/* Frees the thread that exited on this CPU before the last switch. */
static void reap(struct sched_cpu *sc)
{
	struct thread *z = sc->zombie;
	if (!z)
		return;
	sc->zombie = NULL;
	arch_kstack_free(z->kstack_slot);
	threads_alive--;
	if (pool_free(&thread_pool, z))
		panic("thread: reaping a thread that is not live");
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
	if (!prev->idle && prev->se.state == SCHED_RUNNING &&
	    sched_enqueue(&runqs[cpu], &prev->se))
		panic("thread %s: cannot be requeued", prev->name);
	if (!prev->idle && prev->se.state == SCHED_RUNNABLE)
		requeued = &prev->se;
	struct thread *next = se_thread(sched_next(runqs, arch_cpu_count(), &runqs[cpu], requeued));
	if (!next)
		next = sc->idle;
	next->cpus_seen |= 1ull << cpu;
	sc->charged_ns = arch_time_ns();
	if (next == prev)
		return;
	sc->current = next;
	sc->switches++;
	arch_switch(&prev->ctx_sp, next->ctx_sp);
	reap(arch_sched_cpu());
}

void thread_boot(void)
{
	struct thread *t = thread_current();
	reap(arch_sched_cpu());
	kunlock(true);
	t->entry(t->arg);
	thread_exit();
}

void thread_exit(void)
{
	klock();
	struct sched_cpu *sc = arch_sched_cpu();
	struct thread *t = sc->current;
	if (t->idle || sched_exit(&t->se))
		panic("thread %s cannot exit", t->name);
	sc->zombie = t;
	schedule();
	panic("a dead thread was scheduled");
}

void thread_yield(void)
{
	bool irq = klock();
	struct thread *t = thread_current();
	if (!t->idle) {
		/* Ends the burst (not an overrun) and requeues at the tail. */
		sched_yield_cpu(&runqs[arch_cpu_id()], &t->se);
		schedule();
	}
	kunlock(irq);
}

/* Inserts t into the sleeper list in wake order. Lock held. */
static void sleeper_insert(struct thread *t)
{
	struct list_node *n = sleepers.next;
	while (n != &sleepers && container_of(n, struct thread, sleep_link)->wake_ns <= t->wake_ns)
		n = n->next;
	t->sleep_link.next = n;
	t->sleep_link.prev = n->prev;
	n->prev->next = &t->sleep_link;
	n->prev = &t->sleep_link;
}

void thread_sleep_ns(uint64_t ns)
{
	bool irq = klock();
	struct thread *t = thread_current();
	t->wake_ns = arch_time_ns() + ns;
	sched_block(&t->se);
	sleeper_insert(t);
	schedule();
	kunlock(irq);
}

/* Wakes every sleeper whose time has come. Lock held. */
static void wake_sleepers(uint64_t now)
{
	while (!list_empty(&sleepers)) {
		struct thread *t = container_of(sleepers.next, struct thread, sleep_link);
		if (t->wake_ns > now)
			break;
		list_del(&t->sleep_link);
		make_runnable(t);
	}
}

void thread_tick(void)
{
	spin_lock(&kernel_lock);
	struct sched_cpu *sc = arch_sched_cpu();
	struct thread *t = sc->current;
	unsigned cpu = (unsigned)arch_cpu_id();
	uint64_t now = arch_time_ns();
	bool preempt = t->idle;

	sc->ticks++;
	if (cpu == 0) {
		wake_sleepers(now);
		if (sc->ticks % BALANCE_EVERY_TICKS == 0)
			sched_balance(runqs, arch_cpu_count());
	}
	if (!t->idle) {
		preempt = sched_charge(&t->se, now - sc->charged_ns) ||
			  sched_should_preempt(&runqs[cpu], &t->se);
		sc->charged_ns = now;
	}
	if (preempt)
		schedule();
	spin_unlock(&kernel_lock);
}

void thread_kick_received(void)
{
	spin_lock(&kernel_lock);
	struct thread *t = thread_current();
	if (t->idle || sched_should_preempt(&runqs[arch_cpu_id()], &t->se))
		schedule();
	spin_unlock(&kernel_lock);
}

void thread_idle_loop(void)
{
	for (;;) {
		klock();
		schedule();
		spin_unlock(&kernel_lock);
		arch_idle_halt();
	}
}
