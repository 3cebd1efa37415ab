/*
 * power.h - stopping the machine.
 *
 * Test runs boot with keel.exit=debug on the command line and QEMU's
 * isa-debug-exit device at port 0xf4: power_off(code) then ends QEMU with
 * exit status (code << 1) | 1. Without that switch the machine halts.
 */
#ifndef KEEL_ARCH_X86_64_POWER_H
#define KEEL_ARCH_X86_64_POWER_H

#include <stdbool.h>
#include <stdint.h>

#define EXIT_CODE_SUCCESS 0 /* QEMU exits with status 1 */
#define EXIT_CODE_PANIC 1   /* QEMU exits with status 3 */

/* Enables the isa-debug-exit path (called when keel.exit=debug is given). */
void power_enable_debug_exit(void);

/* Says the local APIC can send IPIs (panic then stops the other CPUs). */
void power_apic_ready(void);

/* Ends the run with code: QEMU exit in test runs, a halted CPU otherwise. */
__attribute__((noreturn)) void power_off(uint8_t code);

/* Marks the start of a panic on this CPU: stops the others, breaks the console lock. */
void panic_begin(void);

/* True once some CPU has begun to panic (other CPUs then stop on NMI). */
bool panic_in_progress(void);

/* Backtrace from frame pointer rbp, then stop this CPU (and the machine). */
__attribute__((noreturn)) void panic_stop(uint64_t rbp);

#endif
