/*
 * host.h - the pieces of the host architecture layer that know of each
 * other (kernel/arch/host/). docs/host-port.md describes the design.
 *
 * On the host, Keel's kernel/core runs inside a Linux test process:
 *   - physical memory is one memfd mapped once as the kernel's direct map
 *     (memory.c); the real page allocator, pools and quotas manage it;
 *   - every kernel and user thread is a pthread, and exactly one of them
 *     runs at a time: arch_switch hands a baton to the next (switch.c), so
 *     kernel/core's own scheduler decides who runs;
 *   - time is a virtual clock that moves only while the CPU is idle, one
 *     1 ms tick at a time (clock.c);
 *   - user addresses are process addresses: a mapped memory object is
 *     mmap'ed at its address, and copies from and to user memory are
 *     checked against the task's mappings (vspace.c).
 */
#ifndef KEEL_ARCH_HOST_HOST_H
#define KEEL_ARCH_HOST_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/status.h"
#include "core/sched/sched.h"

#define HOST_TICK_NS 1000000ull /* the emulated timer: 1 kHz, as on x86-64 */
#define HOST_MEMORY_DEFAULT (64ull << 20)
#define HOST_TIME_LIMIT_DEFAULT (600ull * 1000000000ull)

/* cpu.c: the run queue of the one CPU (thread.c and sched.c use it). */
extern struct runq runqs[];

/* memory.c: makes the arena of bytes bytes and hands it to kmem. Panics
 * on failure (nothing can run without memory). */
void host_memory_init(uint64_t bytes);

/* memory.c: whether [p, p + n) overlaps the arena (kernel memory). */
bool host_in_arena(uint64_t p, uint64_t n);

/* memory.c: the memfd behind the arena, for mapping pages into tasks. */
int host_memory_fd(void);

/* cpu.c: interrupt line gsi fires (or is kept pending while masked).
 * STATUS_RANGE for a line the host does not have. Lock held. */
status_t host_irq_fire(uint32_t gsi);

/* cpu.c: message-signalled vector slot of CPU cpu arrives. Lock held. */
void host_msi_fire(uint32_t cpu, uint32_t slot);

/* clock.c: sets the virtual time after which an idle CPU declares the run
 * hung (see arch_idle_halt). */
void host_clock_set_limit(uint64_t ns);

/* switch.c: makes the calling pthread the boot context (CPU 0's idle
 * thread) and installs the fault handler. */
void host_switch_init(void);

/* switch.c: whether the calling pthread is the Keel thread running now
 * and is in user mode. */
bool host_in_user_mode(void);

/* switch.c: the calling pthread enters or leaves the kernel from user
 * mode (system calls and host-only kernel entries). */
void host_kernel_enter(void);
void host_kernel_leave(void);

/* boot.c: the idle CPU's check whether the run is over (the root task has
 * ended); never returns if it is. */
void host_check_finished(void);

/* boot.c: the idle CPU found virtual time past the limit: reports the
 * run as hung and ends it. */
__attribute__((noreturn)) void host_time_limit_reached(uint64_t limit_ns);

/* boot.c: ends the run with code, waking host_kernel_main's caller; the
 * calling pthread never runs again. */
__attribute__((noreturn)) void host_finish(int code);

#endif
