/*
 * kabi-stop.c - a task for the root to stop and continue (sys_task_stop).
 *
 * caps[0]: a page of the root's (struct kabi_stop_page), read, write and
 * map. Maps it at KABI_STOP_VA, publishes its counting function and a
 * stack for a thread the root may make in it, starts a second thread,
 * and counts: each thread in its own word, for ever. Between counts the
 * main thread takes the root's command: KABI_STOP_WAIT waits for signal
 * bit 0, KABI_STOP_SELF stops its own task; each counts in done once the
 * call has returned.
 */
#include "kabi.h"

#define PAGE ((volatile struct kabi_stop_page *)(uintptr_t)KABI_STOP_VA)

static uint8_t stacks[2][4096] __attribute__((aligned(16)));

/* A thread's loop; i is its word. Started as if called, never returns. */
static _Noreturn void count(uint64_t i)
{
	for (;;)
		PAGE->count[i]++;
}

int keel_main(const struct keel_start *s)
{
	cap_handle_t th;
	if (sys_memory_map(CAP_HANDLE_NONE, keel_start_cap(s, 0), KABI_STOP_VA, 0, 1,
			   RIGHT_READ | RIGHT_WRITE))
		return 11;
	PAGE->count_entry = (uint64_t)(uintptr_t)count;
	PAGE->stack_top[0] = (uint64_t)(uintptr_t)(stacks[0] + sizeof stacks[0] - 8);
	PAGE->stack_top[1] = (uint64_t)(uintptr_t)(stacks[1] + sizeof stacks[1] - 8);
	if (sys_thread_create(s->self_task, (uint64_t)(uintptr_t)count, PAGE->stack_top[0], 1,
			      THREAD_TIER_VOID, ~0ull, &th))
		return 12;
	for (;;) {
		uint64_t cmd = __atomic_exchange_n(&PAGE->command, 0, __ATOMIC_ACQ_REL);
		uint64_t pending;
		if (cmd == KABI_STOP_WAIT)
			sys_signal_wait(1, TIMEOUT_FOREVER, &pending);
		else if (cmd == KABI_STOP_SELF)
			sys_task_stop(s->self_task, 1);
		if (cmd)
			__atomic_add_fetch(&PAGE->done, 1, __ATOMIC_RELEASE);
		PAGE->count[0]++;
	}
}
