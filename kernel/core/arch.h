/*
 * arch.h - everything the architecture-neutral core needs from an
 * architecture: the whole porting surface.
 *
 * Each architecture implements these in kernel/arch/<arch>/ and provides
 * two headers on the include path: arch_inline.h (the per-CPU accessors
 * below, inline) and arch_types.h (struct arch_thread and struct
 * arch_task, embedded in the core's thread and task). Nothing else in
 * kernel/core touches hardware. docs/porting.md describes each hook and
 * what a new architecture must do; kernel/arch/host is the smallest
 * complete example.
 *
 * Unless a hook says otherwise, the core calls it with the kernel lock
 * held (core/klock.h) and interrupts off.
 */
#ifndef KEEL_CORE_ARCH_H
#define KEEL_CORE_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/status.h"

struct thread;
struct task;

/* arch_cpu_id() (the calling CPU's index, 0 for the boot CPU) and
 * arch_sched_cpu() (its struct sched_cpu) are inline, one load each. */
#include "arch_inline.h"
/* struct arch_thread, struct arch_task. */
#include "arch_types.h"

/* ---------------------------------------------------------------- CPUs */

/* Disables interrupts on this CPU; returns whether they were enabled.
 * Any context. */
bool arch_irq_save(void);

/* Re-enables interrupts if enabled is true. Any context. */
void arch_irq_restore(bool enabled);

/* A hint inside spin loops. Any context. */
void arch_cpu_relax(void);

/* The number of CPUs online. */
unsigned arch_cpu_count(void);

/* Asks CPU cpu to look at its run queue (an inter-processor interrupt);
 * it calls thread_kick_received(). */
void arch_kick_cpu(unsigned cpu);

/* Halts until the next interrupt, with interrupts enabled only while
 * halted. Called without the lock, from the idle loop. */
void arch_idle_halt(void);

/* Timestamp ticks (arch_timestamp) all CPUs spent halted in
 * arch_idle_halt since boot, up to the interrupt that woke each; under
 * QEMU -icount, what the counter skipped while nothing ran. */
uint64_t arch_idle_ticks(void);

/* ---------------------------------------------------------------- time */

/* Monotonic time in nanoseconds since boot. Any context. */
uint64_t arch_time_ns(void);

/* A cycle-like timestamp (the TSC on x86-64); under QEMU -icount it counts
 * guest instructions, which is what the benchmarks report. Any context. */
uint64_t arch_timestamp(void);

/* ---------------------------------------------------------------- threads */

/* Saves callee-saved registers and the stack pointer in *save_sp, then
 * resumes the context whose stack pointer is new_sp. */
void arch_switch(uint64_t *save_sp, uint64_t new_sp);

/* Prepares t's kernel stack so that switching to it enters thread_boot(). */
void arch_thread_setup(struct thread *t);

/* Gives a new user thread the register state it starts with (a freshly
 * reset FPU). */
void arch_thread_user_init(struct thread *t);

/* Allocates a kernel stack with a guard gap below it; frees one. */
status_t arch_kstack_alloc(uint32_t *slot, uint64_t *top);
void arch_kstack_free(uint32_t slot);

/* Address space, kernel stack pointer and FPU state hand-over, just
 * before switching from prev to next. */
void arch_switch_prepare(struct thread *prev, struct thread *next);

/* Enters user mode in the current thread at entry with the stack pointer
 * stack and the first argument register holding arg. Called without the
 * lock. */
__attribute__((noreturn)) void arch_enter_user(uint64_t entry, uint64_t stack, uint64_t arg);

/* Called on every scheduling pass (TLB upkeep), and on an idle CPU's
 * ticks without the lock (interrupts off): it touches only this CPU's
 * state and reads the epoch atomically. */
void arch_sched_pass(void);

/* ---------------------------------------------------------------- memory */

/* A kernel pointer to physical address pa of RAM (the direct map). */
void *arch_phys_to_virt(uint64_t pa);

/* Bumps and returns the TLB epoch (the caller has just unmapped
 * something); the newest epoch every online CPU has flushed
 * (core/mm/reclaim.h). */
uint64_t arch_tlb_epoch_bump(void);
uint64_t arch_tlb_epoch_safe(void);

/* The user address spaces themselves (vspace_create, vspace_map, the
 * user copies) are declared in core/mm/vspace.h. */

/* ---------------------------------------------------------------- devices */

/* Number of interrupt lines (GSIs) the machine routes. */
uint32_t arch_irq_lines(void);

/* Routes line gsi to the kernel's device vector and masks or unmasks it;
 * a fired line calls device_irq_fired(). */
void arch_irq_mask(uint32_t gsi, bool masked);

/* Message-signalled vectors each CPU offers to drivers (0: none). */
uint32_t arch_msi_vectors(void);

/* What a device writes to deliver vector slot (below arch_msi_vectors())
 * to CPU cpu: the address in bits 32-63 of *message, the data in bits
 * 0-31; INVALID if that CPU cannot be addressed. A delivered vector calls
 * device_msi_fired(cpu, slot) on that CPU. */
status_t arch_msi_message(uint32_t cpu, uint32_t slot, uint64_t *message);

/* Lets every thread of t use I/O ports [first, first + count); an
 * architecture without port I/O returns STATUS_OK and grants nothing. */
status_t arch_ioports_open(struct task *t, uint64_t first, uint64_t count);

/* Releases what the architecture keeps for t (its I/O permission bitmap):
 * t is being torn down and runs nowhere. */
void arch_task_release(struct task *t);

/* ---------------------------------------------------------------- the machine */

/* Writes n bytes to the console device. Any context. */
void arch_console_write(const char *s, size_t n);

/* Ends the run: exits QEMU with code in test runs, else powers off or
 * halts the machine. */
__attribute__((noreturn)) void arch_power_off(uint8_t code);

/* Runs an architecture-specific self-test action (deliberate faults);
 * returns false if name is not one. */
bool arch_selftest_action(const char *name);

#endif
