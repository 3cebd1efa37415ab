/* smp.h - starting the application processors. */
#ifndef KEEL_ARCH_X86_64_SMP_H
#define KEEL_ARCH_X86_64_SMP_H

#include "lib/acpi.h"

/* Per-CPU set-up that every CPU does for itself (CR4 features, LAPIC);
 * each then starts its own tick with lapic_timer_start. */
void cpu_local_init(void);

/* SYSCALL MSRs, FPU/SSE enablement, SMEP and SMAP on this CPU. */
void user_cpu_init(void);

/* Starts every enabled CPU in the MADT other than the caller, all at
 * once, and returns when each is online or has timed out (1 s). */
void smp_start(const struct acpi_madt_info *madt);

#endif
