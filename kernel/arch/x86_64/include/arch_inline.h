/*
 * arch_inline.h - the per-CPU accessors core code calls on hot paths,
 * inlined for x86-64: one GS-relative load each. The offsets are those of
 * struct cpu (arch/x86_64/percpu.h), checked there.
 */
#ifndef KEEL_ARCH_INLINE_H
#define KEEL_ARCH_INLINE_H

#include <stdint.h>

#define ARCH_CPU_ID_OFFSET 24
#define ARCH_CPU_SCHED_OFFSET 32

struct sched_cpu;

/* The index of the calling CPU, 0 for the boot CPU. */
static inline int arch_cpu_id(void)
{
	uint32_t id;
	__asm__ volatile("movl %%gs:24, %0" : "=r"(id));
	return (int)id;
}

/* This CPU's scheduler state. */
static inline struct sched_cpu *arch_sched_cpu(void)
{
	uintptr_t self;
	__asm__ volatile("movq %%gs:0, %0" : "=r"(self));
	return (struct sched_cpu *)(self + ARCH_CPU_SCHED_OFFSET);
}

#endif
