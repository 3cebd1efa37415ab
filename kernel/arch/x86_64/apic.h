/*
 * apic.h - local APIC, IO APIC, legacy PIC and the timers behind them.
 *
 * Interrupt vectors used by the kernel:
 *   0x30        local APIC timer (scheduler tick)
 *   0x40-0xbf   device interrupts routed through IO APICs
 *   0xc0-0xdf   message-signalled interrupts (MSI/MSI-X), per CPU
 *   0xe0-0xef   legacy PIC (masked; only spurious interrupts arrive)
 *   0xf0        reschedule IPI
 *   0xf1        stop IPI (panic)
 *   0xf2        wake-up IPI and timeout while CPUs start (only EOI)
 *   0xff        local APIC spurious
 */
#ifndef KEEL_ARCH_X86_64_APIC_H
#define KEEL_ARCH_X86_64_APIC_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/acpi.h"

#define VEC_TIMER 0x30
#define VEC_DEVICE_BASE 0x40
#define VEC_MSI_BASE 0xc0
#define VEC_MSI_COUNT 32
#define VEC_PIC_BASE 0xe0
#define VEC_KICK 0xf0
#define VEC_STOP 0xf1
#define VEC_WAKE 0xf2 /* start-up: wakes a halted CPU, nothing else */
#define VEC_SPURIOUS 0xff

#define TIMER_HZ 1000

/* Masks the legacy PICs (after moving them out of the exception vectors). */
void pic_disable(void);

/* Maps the local APIC at pa; the boot CPU calls it once. */
void lapic_map(uint64_t pa);

/* Enables this CPU's local APIC (spurious vector, no priority filtering). */
void lapic_enable(void);

uint32_t lapic_id(void);
void lapic_eoi(void);

/* Learns the TSC and local APIC timer rates (calibrate.c; boot CPU,
 * once): from the hypervisor's timing leaf or CPUID leaf 0x15 where they
 * give them, else by a short measurement against the ACPI PM timer (pm,
 * port 0 if none), else against the PIT. */
void timer_calibrate(const struct acpi_pm_timer *pm);

/* The local APIC timer as a counter for calibration: started at the
 * divide-by-16 rate, masked; counts elapsed since the start; stopped. */
void lapic_count_start(void);
uint32_t lapic_count_elapsed(void);
void lapic_count_stop(void);

/* Sets the clock: TSC ticks a second, local APIC timer counts a second at
 * divide-by-16, and the TSC value that is time 0. Panics on zero rates. */
void timer_set_rates(uint64_t tsc_hz, uint64_t lapic_hz, uint64_t tsc_zero);

/* Local APIC timer counts per millisecond, as set. */
uint32_t lapic_ticks_per_ms(void);

/* Arms this CPU's timer to raise VEC_WAKE every us microseconds while
 * CPUs start (see smp.c); lapic_timer_start replaces it. */
void lapic_wake_every_us(uint32_t us);

/* Starts this CPU's periodic scheduler tick at TIMER_HZ. */
void lapic_timer_start(void);

/* Sends vector to the CPU with this APIC id. */
void lapic_send_ipi(uint32_t apic_id, uint8_t vector);

/* The MSI address that reaches the local APIC with this id (physical
 * destination mode, xAPIC: ids up to 255). */
#define MSI_ADDRESS(apic_id) (0xfee00000u | (uint32_t)(apic_id) << 12)

/* Sends an NMI to every other CPU. */
void lapic_nmi_others(void);

/* Starts the n CPUs with these APIC ids together: INIT to each, then
 * two rounds of start-up IPIs pointing at the page trampoline_pa. */
void lapic_start_aps(const uint32_t *apic_ids, uint32_t n, uint64_t trampoline_pa);

/* Maps every IO APIC in the MADT and masks all its inputs. */
void ioapic_init(const struct acpi_madt_info *madt);

/* Number of interrupt lines (GSIs) the IO APICs serve. */
uint32_t ioapic_lines(void);

/* Routes gsi to vector on the boot CPU, masked or not. */
void ioapic_route(uint32_t gsi, uint8_t vector, bool masked);

/* Nanoseconds since the TSC was calibrated, and a busy wait. */
uint64_t time_ns(void);
void delay_us(uint64_t us);
uint64_t tsc_hz(void);

#endif
