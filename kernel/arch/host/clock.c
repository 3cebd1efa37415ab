/*
 * clock.c - the host's virtual clock and its timer.
 *
 * Time does not follow the wall clock: it stands still while any thread
 * runs and moves only when the CPU is idle, one timer tick (1 ms, the
 * machine's rate) at a time, each tick running the kernel's real
 * thread_tick(). So sleepers, call timeouts, signal timers and heartbeats
 * all happen, in the same order on every run, as fast as the host can
 * tick. A run that goes idle past the time limit is stopped as hung.
 */
#include "arch/host/host.h"
#include "core/object/thread.h"

_Static_assert(HOST_TICK_NS == THREAD_TICK_NS, "the tick the scheduler counts on");

static uint64_t now_ns;
static uint64_t limit_ns = HOST_TIME_LIMIT_DEFAULT;

uint64_t arch_time_ns(void)
{
	return now_ns;
}

void host_clock_set_limit(uint64_t ns)
{
	limit_ns = ns;
}

uint64_t arch_idle_ticks(void)
{
	return 0; /* the host port's clock only jumps; nothing to leave out */
}

/* Called by the idle loop with interrupts off and the kernel lock free:
 * the next "interrupt" is the next timer tick, so the clock jumps to it
 * and the tick runs, possibly switching to a thread it woke. */
void arch_idle_halt(void)
{
	host_check_finished();
	if (now_ns >= limit_ns)
		host_time_limit_reached(limit_ns);
	now_ns += HOST_TICK_NS - now_ns % HOST_TICK_NS;
	thread_tick();
}
