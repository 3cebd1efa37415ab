/*
 * arch_inline.h - the per-CPU accessors for the host port: there is one
 * CPU, so both are constants.
 */
#ifndef KEEL_ARCH_INLINE_H
#define KEEL_ARCH_INLINE_H

struct sched_cpu;

/* The scheduler state of the host's only CPU (cpu.c). */
extern struct sched_cpu host_sched_cpu;

static inline int arch_cpu_id(void)
{
	return 0;
}

static inline struct sched_cpu *arch_sched_cpu(void)
{
	return &host_sched_cpu;
}

#endif
