/*
 * device.h - device capabilities: interrupt lines (OBJ_IRQ) and I/O port
 * ranges (OBJ_IOPORTS). MMIO ranges are memory objects of type OBJ_MMIO
 * (core/object/memory.h). The root task gets one object for each whole range and
 * splits parts off for drivers with sys_device_split.
 *
 * An interrupt line, once bound, raises a signal bit of the binding thread
 * and is masked until the holder acknowledges it, so a driver sees each
 * interrupt once. All calls: lock held.
 */
#ifndef KEEL_CORE_DEVICE_H
#define KEEL_CORE_DEVICE_H

#include <stdint.h>

#include "abi/status.h"
#include "core/object/object.h"
#include "core/object/thread.h"

#define DEVICE_OBJECTS_MAX 1024

struct device {
	struct kobj obj;       /* OBJ_IRQ or OBJ_IOPORTS */
	uint64_t first, count; /* lines or ports */
	struct thread *bound;  /* IRQ: a reference to the receiving thread */
	uint64_t bit;
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

uint32_t device_count(void);

#endif
