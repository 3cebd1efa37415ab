/* selftest.c - kernel self-tests and benchmarks (see selftest.h). */
#include "core/arch.h"
#include "lib/cmdline.h"
#include "core/console.h"
#include "core/klock.h"
#include "core/mm/kmem.h"
#include "core/panic.h"
#include "core/boot/selftest.h"
#include <string.h>
#include "core/object/device.h"
#include "core/object/thread.h"

#define MS 1000000ull
#define SPIN_EXTRA 1
#define CYCLE_COUNT 10000
#define CYCLE_BATCH 64
#define SWITCH_ROUNDS 20000

struct verdict {
	unsigned passed, failed;
};

static void expect(struct verdict *v, bool ok, const char *what)
{
	if (ok)
		v->passed++;
	else
		v->failed++;
	kprintf("selftest: %s %s\n", ok ? "PASS" : "FAIL", what);
}

/* ---- boot: the kernel came up far enough to run a thread */

static void test_boot(struct verdict *v)
{
	expect(v, thread_current() != NULL, "boot reached a kernel thread");
}

/* ---- smp: every CPU runs a thread pinned to it */

static volatile uint64_t cpus_reported;

static void report_cpu(void *arg)
{
	unsigned want = (unsigned)(uintptr_t)arg;
	unsigned cpu = (unsigned)arch_cpu_id();
	kprintf("selftest: cpu %u online, running thread %s\n", cpu, thread_current()->name);
	if (cpu == want)
		__atomic_or_fetch(&cpus_reported, 1ull << cpu, __ATOMIC_SEQ_CST);
}

static void test_smp(struct verdict *v)
{
	unsigned n = arch_cpu_count();
	for (unsigned i = 0; i < n; i++)
		if (thread_create("report", report_cpu, (void *)(uintptr_t)i, TIER_MATTER,
				  1ull << i, NULL))
			expect(v, false, "pinned thread created");
	uint64_t all = n == 64 ? ~0ull : (1ull << n) - 1;
	for (int i = 0; i < 200 && cpus_reported != all; i++)
		thread_sleep_ns(5 * MS);
	expect(v, cpus_reported == all, "every CPU ran the thread pinned to it");
}

/* ---- preempt: more spinners than CPUs, none yields, all progress everywhere */

struct spinner {
	volatile uint64_t count;
	struct thread *t;
};

static volatile bool spinners_stop;
static struct spinner spinners[2 * 64 + SPIN_EXTRA];

static void spin(void *arg)
{
	struct spinner *s = arg;
	while (!spinners_stop)
		s->count++;
}

/* Waits (sleeping) until at most n threads are alive, or about 2 s. */
static bool wait_threads(uint32_t n)
{
	for (int i = 0; i < 400 && thread_count() > n; i++)
		thread_sleep_ns(5 * MS);
	return thread_count() <= n;
}

/* Spinners start queued on CPU 0 only; once allowed everywhere, the other
 * CPUs must take them (stealing and balancing), and time slicing must keep
 * every one of them running although none ever yields. */
static void test_preempt(struct verdict *v)
{
	unsigned ncpu = arch_cpu_count(), n = 2 * ncpu + SPIN_EXTRA;
	uint32_t base = thread_count();
	spinners_stop = false;
	for (unsigned i = 0; i < n; i++)
		if (thread_create("spin", spin, &spinners[i], TIER_GRAVITY, 1ull, &spinners[i].t))
			expect(v, false, "spinner created");
	thread_sleep_ns(20 * MS);
	bool irq = klock();
	for (unsigned i = 0; i < n; i++)
		sched_set_affinity(&spinners[i].t->se, SCHED_AFFINITY_ALL);
	kunlock(irq);
	thread_sleep_ns(400 * MS);
	uint64_t seen = 0, migrations = 0;
	bool all_ran = true;
	for (unsigned i = 0; i < n; i++) {
		struct thread *t = spinners[i].t;
		all_ran &= spinners[i].count > 0;
		seen |= t->cpus_seen;
		migrations += t->se.stats.migrations;
		kprintf("selftest: spinner %u count %lu cpus %#lx overruns %lu migrations %lu\n", i,
			spinners[i].count, t->cpus_seen, t->se.stats.overruns,
			t->se.stats.migrations);
	}
	spinners_stop = true;
	uint64_t all = ncpu == 64 ? ~0ull : (1ull << ncpu) - 1;
	expect(v, all_ran, "every spinner made progress without yielding");
	expect(v, (seen & all) == all, "spinners ran on every CPU");
	expect(v, ncpu == 1 || migrations >= ncpu - 1,
	       "spinners moved off the CPU they started on");
	expect(v, wait_threads(base), "spinners exited");
}

/* ---- demote: a Photon thread that never blocks falls to Matter, then Gravity */

static volatile bool hog_stop;

static void hog(void *arg)
{
	(void)arg;
	while (!hog_stop)
		;
}

static void test_demote(struct verdict *v)
{
	struct thread *t;
	uint32_t base = thread_count();
	hog_stop = false;
	if (thread_create("hog", hog, NULL, TIER_PHOTON, 1ull, &t)) {
		expect(v, false, "hog created");
		return;
	}
	thread_sleep_ns(200 * MS);
	kprintf("selftest: hog tier %d after %lu overruns, %lu demotions\n", t->se.tier,
		t->se.stats.overruns, t->se.stats.demotions);
	expect(v, t->se.base_tier == TIER_PHOTON, "hog started in Photon");
	expect(v, t->se.stats.demotions == 2, "three overruns per tier demoted it twice");
	expect(v, t->se.tier == TIER_GRAVITY, "hog ends in Gravity, the lowest budgeted tier");
	hog_stop = true;
	expect(v, wait_threads(base), "hog exited");
}

/* ---- threads: create/exit cycles return memory to where it started */

static void nothing(void *arg)
{
	(void)arg;
}

static void test_thread_cycles(struct verdict *v)
{
	wait_threads(thread_count());
	uint32_t base = thread_count();
	/* Pools keep or give back slabs as threads come and go. */
	uint64_t free0 = kmem_free_pages() + kmem_pool_pages();
	unsigned made = 0, failed = 0;
	while (made < CYCLE_COUNT) {
		for (unsigned i = 0; i < CYCLE_BATCH && made < CYCLE_COUNT; i++, made++)
			if (thread_create("cycle", nothing, NULL, TIER_MATTER, ~0ull, NULL))
				failed++;
		if (!wait_threads(base))
			break;
	}
	bool irq = klock();
	uint64_t free1 = kmem_free_pages() + kmem_pool_pages();
	bool consistent = kmem_check();
	kunlock(irq);
	kprintf("selftest: %u threads created and exited; free pages %lu before, %lu after\n", made,
		free0, free1);
	expect(v, failed == 0, "every thread was created");
	expect(v, thread_count() == base, "every thread was reaped");
	expect(v, free1 == free0, "free page count back at its starting value");
	expect(v, consistent, "page allocator consistent");
}

/* ---- benchmark: thread-to-thread switch on one CPU */

static volatile bool pong_stop;

static void pong(void *arg)
{
	(void)arg;
	while (!pong_stop)
		thread_yield();
}

static void bench_switch(struct verdict *v)
{
	uint32_t base = thread_count();
	pong_stop = false;
	if (thread_create("pong", pong, NULL, TIER_MATTER, 1ull, NULL))
		return;
	for (int i = 0; i < 100; i++)
		thread_yield();
	uint64_t t0 = arch_timestamp();
	for (int i = 0; i < SWITCH_ROUNDS; i++)
		thread_yield();
	uint64_t t1 = arch_timestamp();
	pong_stop = true;
	wait_threads(base);
	kprintf("bench: thread_switch_insns=%lu\n", (t1 - t0) / (2 * SWITCH_ROUNDS));
	expect(v, wait_threads(base), "the partner thread exited");
}

/* ---- deliberate faults */

/* keel.test=poison: writes through a stale pointer into a freed pool
 * object; handing that object out again must panic, naming the pool. */
static void poison_action(void)
{
	struct device *d, *again;
	bool irq = klock();
	if (device_create(NULL, OBJ_IOPORTS, 0, 1, &d) == STATUS_OK) {
		kobj_put(&d->obj);
		((volatile struct device *)d)->count = 0x57a1e; /* the use after free */
		if (device_create(NULL, OBJ_IOPORTS, 0, 1, &again) == STATUS_OK)
			kobj_put(&again->obj);
	}
	kunlock(irq);
}

/* ---- driver */

struct selftest {
	const char *name;
	void (*run)(struct verdict *v);
};

static const struct selftest tests[] = {
	{ "boot", test_boot },
	{ "smp", test_smp },
	{ "preempt", test_preempt },
	{ "demote", test_demote },
	{ "threads", test_thread_cycles },
	{ "switch", bench_switch },
};

static char test_name[32];

static void selftest_main(void *arg)
{
	(void)arg;
	if (arch_selftest_action(test_name))
		panic("self-test action %s returned", test_name);
	if (!strcmp(test_name, "panic"))
		panic("deliberate panic for keel.test=panic");
	if (!strcmp(test_name, "poison")) {
		poison_action();
		panic("a write to a freed pool object was not caught");
	}
	for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
		if (strcmp(test_name, tests[i].name))
			continue;
		struct verdict v = { 0, 0 };
		tests[i].run(&v);
		kprintf("selftest: %s: %u passed, %u failed\n", test_name, v.passed, v.failed);
		arch_power_off(v.failed ? 2 : 0);
	}
	kprintf("selftest: unknown test \"%s\"\n", test_name);
	arch_power_off(2);
}

bool selftest_start(const char *cmdline)
{
	bool testing = cmdline_get(cmdline, "keel.test", test_name, sizeof test_name) == STATUS_OK;
	kprintf("Keel: boot complete\n");
	if (!testing)
		return false;
	/* Pinned to the boot CPU in Matter: above the Gravity load it measures. */
	if (thread_create("selftest", selftest_main, NULL, TIER_MATTER, 1ull, NULL))
		panic("cannot start the self-test thread");
	return true;
}
