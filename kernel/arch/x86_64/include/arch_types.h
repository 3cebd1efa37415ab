/*
 * arch_types.h - the x86-64 state kept in the core's objects.
 */
#ifndef KEEL_ARCH_TYPES_H
#define KEEL_ARCH_TYPES_H

#include <stdint.h>

/* In struct thread: the FXSAVE image of a user thread's x87/SSE state and
 * its FS and GS bases (thread-local storage, set by user code with
 * WRFSBASE), saved and restored at every switch (arch_switch_prepare). */
struct arch_thread {
	uint8_t fpu[512] __attribute__((aligned(16)));
	uint64_t user_fs, user_gs; /* 0 at start */
};

/* In struct task: its I/O permission bitmap (IOMAP_BYTES, one bit per
 * port, 0 = allowed), loaded into a CPU's TSS while one of its threads
 * runs there; NULL until the task opens a port. Only the bytes
 * [iomap_lo, iomap_hi) can allow a port: the rest is all ones. */
struct arch_task {
	uint8_t *iomap;
	uint64_t iomap_pa;
	uint32_t iomap_lo, iomap_hi;
};

/* Memory objects' pages are made at first touch (core/object/memory.h):
 * a page fault or a user copy meeting a not-yet-made page fills it. */
#define ARCH_DEMAND_ZERO 1

#endif
