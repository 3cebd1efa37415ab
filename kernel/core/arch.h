/*
 * arch.h - what the arch-neutral core needs from the architecture.
 *
 * Each architecture implements these in kernel/arch/<arch>/; the host
 * tests provide their own versions. Nothing else in kernel/core may touch
 * hardware.
 */
#ifndef KEEL_CORE_ARCH_H
#define KEEL_CORE_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Disables interrupts on this CPU; returns whether they were enabled. */
bool arch_irq_save(void);

/* Re-enables interrupts if enabled is true. */
void arch_irq_restore(bool enabled);

/* A hint inside spin loops. */
void arch_cpu_relax(void);

/* arch_cpu_id() and arch_sched_cpu() are inline: arch/<arch>/include/arch_inline.h. */
#include "arch_inline.h"

/* Writes n bytes to the console device. */
void arch_console_write(const char *s, size_t n);

/* A cycle-like timestamp (the TSC on x86-64); under QEMU -icount it counts
 * guest instructions, which is what the benchmarks report. */
uint64_t arch_timestamp(void);

/* Ends the run: exits QEMU with code in test runs, else halts the machine. */
__attribute__((noreturn)) void arch_power_off(uint8_t code);

/* Runs an architecture-specific self-test action (deliberate faults);
 * returns false if name is not one. */
bool arch_selftest_action(const char *name);

#endif
