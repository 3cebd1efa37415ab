/*
 * arch_types.h - the host port keeps no architecture state in the core's
 * objects: registers live on each thread's pthread, and user threads can
 * never use I/O ports on the host (see arch_ioports_open in cpu.c). C has
 * no empty structs, hence the placeholders.
 */
#ifndef KEEL_ARCH_TYPES_H
#define KEEL_ARCH_TYPES_H

struct arch_thread {
	char unused;
};

struct arch_task {
	char unused;
};

/* Memory objects take every page at creation (core/object/memory.h): a
 * host task reaches its memory directly, with no fault for the kernel. */
#define ARCH_DEMAND_ZERO 0

#endif
