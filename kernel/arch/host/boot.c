/*
 * boot.c - booting kernel/core inside the test process, the root task,
 * and the end of a run (see libsys/host/host_kernel.h).
 *
 * The kernel runs on its own pthread, which becomes CPU 0's idle thread
 * as kernel_main's context does on the machine; the caller of
 * host_kernel_main only waits for the run to end. The run ends when the
 * idle CPU finds the root task gone, or virtual time past the limit.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#include "abi/start.h"
#include "arch/host/host.h"
#include "core/console.h"
#include "core/init.h"
#include "core/object/device.h"
#include "core/ipc.h"
#include "core/klock.h"
#include "core/mm/kmem.h"
#include "core/object/memory.h"
#include "core/panic.h"
#include "core/boot/roottask.h"
#include <string.h>
#include "core/sys/syscall.h"
#include "core/object/task.h"
#include "core/object/thread.h"
#include "core/object/witness_log.h"
#include "host_kernel.h"

#define ROOT_START_VA HOST_START_AREA
#define WATCHDOG_DEFAULT_S 60

static struct {
	pthread_mutex_t lock;
	pthread_cond_t ended;
	bool over;
	int code;
	uint64_t memory;
	host_main_fn *root_main;
	struct task *root;
	bool root_gone; /* torn down: the run ends at the next idle */
	int root_code;  /* what host_kernel_main returns then */
	const struct host_bundle *bundle;
} run = { .lock = PTHREAD_MUTEX_INITIALIZER, .ended = PTHREAD_COND_INITIALIZER };

void host_finish(int code)
{
	pthread_mutex_lock(&run.lock);
	run.over = true;
	run.code = code;
	pthread_cond_signal(&run.ended);
	pthread_mutex_unlock(&run.lock);
	for (;;)
		pause(); /* the process ends when host_kernel_main's caller returns */
}

/* The machine powers off when its root task ends (core/boot/roottask.c). The
 * host records the outcome and ends the run once the CPU is idle, so that
 * the teardown in progress completes first. Lock held. */
void task_root_exited(struct task *t)
{
	if (t != run.root)
		return;
	if (t->faulted)
		kprintf("host: the root task faulted: vector %u, error %#x, at %#lx, "
			"address %#lx\n",
			t->fault.vector, t->fault.error, t->fault.pc, t->fault.addr);
	run.root_code = t->faulted ? HOST_EXIT_FAULT : (int)t->exit_code;
	run.root_gone = true;
	run.root = NULL;
}

void host_check_finished(void)
{
	if (run.root_gone)
		host_finish(run.root_code);
}

void host_time_limit_reached(uint64_t limit_ns)
{
	kprintf("host: virtual time reached the limit (%lu ms) and the root task still "
		"waits: stopping the run as hung\n",
		limit_ns / 1000000);
	host_finish(HOST_EXIT_HUNG);
}

/* Fills the root's start page (mapped read-only at ROOT_START_VA) and
 * starts its thread at run.root_main. Lock held. */
static status_t root_populate(struct task *t)
{
	struct memory *m;
	struct thread *th;
	status_t st = memory_create(&t->quota, 1, false, &m);
	if (st)
		return st;
	st = task_map(t, ROOT_START_VA, &m->obj, 0, 1, VM_READ);
	struct keel_start *s = arch_phys_to_virt(memory_page_fill(m, 0));
	kobj_put(&m->obj); /* the mapping keeps it */
	if (st)
		return st;
	*s = (struct keel_start){ .magic = KEEL_START_MAGIC,
				  .version = KEEL_START_VERSION,
				  .size = sizeof *s,
				  .cpu_count = arch_cpu_count() };
	st = roottask_grant_all(t, s);
	if (st == STATUS_OK)
		st = thread_create_user(t, (uint64_t)run.root_main, 0, ROOT_START_VA, TIER_MATTER,
					1, &th);
	if (st)
		return st;
	st = roottask_grant(t, &th->obj, RIGHTS_ALL, &s->self_thread);
	if (st) {
		thread_kill(th);
		return st;
	}
	task_thread_added(t, th);
	thread_start(th);
	return STATUS_OK;
}

static void root_start(void)
{
	struct task *t;
	bool irq = klock();
	status_t st = roottask_create(&t);
	if (st == STATUS_OK && (st = root_populate(t)) != STATUS_OK)
		task_kill(t);
	if (st)
		panic("host: cannot start the root task: %s", status_message(st));
	run.root = t;
	witness_note(WITNESS_SPAWN, 0, t->id, 0, 0);
	kunlock(irq);
}

/* CPU 0: kernel_main's order, less the hardware; then idle for good. */
static void *cpu0_main(void *arg)
{
	(void)arg;
	host_switch_init();
	host_memory_init(run.memory);
	runq_init(&runqs[0], 0);
	core_init();
	root_start();
	thread_idle_loop();
}

const struct host_bundle *host_boot_bundle(void)
{
	return run.bundle;
}

int host_kernel_main(const struct host_kernel_config *cfg, host_main_fn *root)
{
	static const struct host_kernel_config defaults = { 0 };
	pthread_t cpu0;
	pthread_attr_t attr;
	if (!cfg)
		cfg = &defaults;
	if (run.root_main)
		panic("host: host_kernel_main called twice in one process");
	run.root_main = root;
	run.bundle = cfg->bundle;
	run.memory = cfg->memory_bytes ? cfg->memory_bytes : HOST_MEMORY_DEFAULT;
	host_clock_set_limit(cfg->time_limit_ns ? cfg->time_limit_ns : HOST_TIME_LIMIT_DEFAULT);
	alarm(cfg->watchdog_s ? cfg->watchdog_s : WATCHDOG_DEFAULT_S);
	fflush(stdout); /* output from before the boot comes first */
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 1u << 20);
	if (pthread_create(&cpu0, &attr, cpu0_main, NULL))
		panic("host: cannot create CPU 0's thread");
	pthread_mutex_lock(&run.lock);
	while (!run.over)
		pthread_cond_wait(&run.ended, &run.lock);
	pthread_mutex_unlock(&run.lock);
	alarm(0);
	return run.code;
}
