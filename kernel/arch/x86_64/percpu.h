/*
 * percpu.h - per-CPU data on x86-64.
 *
 * Each CPU's GS base points at its struct cpu, so the running CPU finds
 * its own data with one GS-relative load. The boot CPU is cpus[0], in the
 * kernel image; the others are numbered as they are started and their
 * data allocated then, so only CPUs that exist take memory.
 */
#ifndef KEEL_ARCH_X86_64_PERCPU_H
#define KEEL_ARCH_X86_64_PERCPU_H

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/gdt.h"
#include "core/sched/sched.h"
#include "core/object/thread.h"
#endif

#define MAX_CPUS 64
#define IST_STACK_SIZE 4096

/* Offsets used by syscall_entry.S; checked below. */
#define CPU_KSTACK_TOP 8
#define CPU_USER_RSP 16

#ifndef __ASSEMBLER__
struct cpu {
	struct cpu *self;    /* at offset 0: read through %gs:0 */
	uint64_t kstack_top; /* stack of the running thread, for syscalls */
	uint64_t user_rsp;   /* scratch for syscall entry */
	uint32_t id;         /* index into cpus[] */
	uint32_t apic_id;
	struct sched_cpu sched;   /* current, idle and zombie threads */
	uint64_t tlb_epoch;       /* last kernel-stack unmap epoch flushed here */
	uint64_t root;            /* the page-table root loaded last (vspace_activate) */
	uint32_t boot_stack_slot; /* the stack an AP starts on */
	uint64_t boot_stack_top;
	volatile bool online;
	uint64_t idle_since; /* TSC at the idle halt, 0 once woken (idle_end) */
	uint64_t idle_ticks; /* TSC ticks spent halted in the idle loop */
	struct gdt gdt;
	struct tss tss;
	uint8_t iomap[IOMAP_BYTES + IOMAP_TAIL]; /* must follow tss directly */
	uint8_t ist[3][IST_STACK_SIZE] __attribute__((aligned(16)));
};

_Static_assert(offsetof(struct cpu, kstack_top) == CPU_KSTACK_TOP, "syscall_entry.S offset");
_Static_assert(offsetof(struct cpu, user_rsp) == CPU_USER_RSP, "syscall_entry.S offset");
_Static_assert(offsetof(struct cpu, id) == ARCH_CPU_ID_OFFSET, "arch_inline.h offset");
_Static_assert(offsetof(struct cpu, sched) == ARCH_CPU_SCHED_OFFSET, "arch_inline.h offset");

extern struct cpu *cpus[MAX_CPUS]; /* [0, cpu_count) are set */

/* Allocates (zeroed) and records the data of CPU id, not 0; NULL if no
 * memory. */
struct cpu *percpu_alloc(uint32_t id);
extern struct runq runqs[MAX_CPUS];
extern unsigned cpu_count; /* CPUs online */

static inline struct cpu *this_cpu(void)
{
	struct cpu *c;
	__asm__ volatile("mov %%gs:0, %0" : "=r"(c));
	return c;
}

/* Ends an idle halt of c: its ticks since then count as idle. Called
 * with interrupts off, by the interrupt that woke c and after the halt. */
static inline void idle_end(struct cpu *c)
{
	if (c->idle_since) {
		uint32_t lo, hi;
		__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
		c->idle_ticks += ((uint64_t)hi << 32 | lo) - c->idle_since;
		c->idle_since = 0;
	}
}

/* Points GS base at c and loads c's GDT, TSS and the IDT on this CPU. */
void percpu_init(struct cpu *c, uint32_t id, uint32_t apic_id);
#endif

#endif
