/*
 * device.h - device capabilities: interrupt lines (OBJ_IRQ) and I/O port
 * ranges (OBJ_IOPORTS). MMIO ranges are memory objects of type OBJ_MMIO
 * (core/object/memory.h). The root task gets one object for each whole range and
 * splits parts off for drivers with sys_device_split.
 *
 * An interrupt line, once bound, raises a signal bit of the binding thread
 * and is masked until the holder acknowledges it, so a driver sees each
 * interrupt once. A message-signalled vector (MSI/MSI-X) is an OBJ_IRQ
 * object too: one vector of one CPU, allocated from the interrupt root,
 * bound and acknowledged like a line. Its mask is the kernel's own (a
 * device cannot be told to hold an edge): a message that arrives while
 * the vector is masked or unbound is kept and signalled at the unmask, so
 * none is lost and none is signalled twice. All calls: lock held.
 */
#ifndef KEEL_CORE_DEVICE_H
#define KEEL_CORE_DEVICE_H

#include <stdint.h>

#include "abi/status.h"
#include "core/object/object.h"
#include "core/object/thread.h"

#define DEVICE_OBJECTS_MAX 1024

enum device_kind {
	DEVICE_RANGE,    /* lines or ports [first, first + count) */
	DEVICE_IRQ_ROOT, /* the root task's whole interrupt range: may allocate vectors */
	DEVICE_MSI,      /* one message-signalled vector: first = CPU, count = 1 */
};

struct device {
	struct kobj obj;       /* OBJ_IRQ or OBJ_IOPORTS */
	uint64_t first, count; /* lines or ports; for DEVICE_MSI the CPU and 1 */
	struct thread *bound;  /* IRQ: a reference to the receiving thread */
	uint64_t bit;
	uint8_t kind;                 /* enum device_kind */
	bool msi_masked, msi_pending; /* DEVICE_MSI: the kernel's mask and latch */
	uint32_t msi_slot;            /* DEVICE_MSI: vector index on its CPU */
};

void device_init(void);

/* A new object for [first, first + count) of type. */
status_t device_create(struct quota *q, enum obj_type type, uint64_t first, uint64_t count,
		       struct device **out);

/* sys_irq_bind / sys_irq_ack for a one-line IRQ object. */
status_t device_irq_bind(struct device *d, struct thread *t, uint32_t bit);
status_t device_irq_ack(struct device *d);

/* Called from the interrupt handler for line gsi (lock held). */
void device_irq_fired(uint32_t gsi);

/*
 * Allocates a free message-signalled vector on CPU cpu and makes its
 * OBJ_IRQ object, charged to q (one object). root must be the interrupt
 * root object (NO_RIGHTS otherwise). *message gets what the device
 * writes: the address in bits 32-63, the data in bits 0-31. INVALID: cpu
 * is not online or cannot be addressed; FULL: every vector of that CPU
 * is taken. The object's destruction frees and masks the vector.
 */
status_t device_msi_create(struct quota *q, const struct device *root, uint32_t cpu,
			   struct device **out, uint64_t *message);

/* Called from the interrupt handler for vector slot of CPU cpu (lock held). */
void device_msi_fired(uint32_t cpu, uint32_t slot);

/* Vectors in use on every CPU, for tests. */
uint32_t device_msi_count(void);

uint32_t device_count(void);

#endif
