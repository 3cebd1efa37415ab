/* device.c - interrupt lines and I/O port ranges (see device.h). */
#include "core/object/device.h"
#include "core/ipc.h"
#include "core/mm/kmem.h"
#include "core/panic.h"
#include "core/mm/pool.h"

#define IRQ_LINES_MAX 256

static struct pool device_pool;
static struct device *irq_owner[IRQ_LINES_MAX]; /* bound one-line objects */

void device_init(void)
{
	kmem_pool_setup(&device_pool, "device", sizeof(struct device), DEVICE_OBJECTS_MAX);
}

uint32_t device_count(void)
{
	struct pool_stats s;
	pool_stats(&device_pool, &s);
	return (uint32_t)s.in_use;
}

static void device_destroy(struct kobj *o)
{
	struct device *d = (struct device *)o;
	if (d->bound) {
		arch_irq_mask((uint32_t)d->first, true);
		irq_owner[d->first] = NULL;
		kobj_put(&d->bound->obj);
	}
	pool_free(&device_pool, d);
}

static const struct kobj_ops device_ops = { .destroy = device_destroy };

status_t device_create(struct quota *q, enum obj_type type, uint64_t first, uint64_t count,
		       struct device **out)
{
	struct device *d;
	status_t st = pool_alloc(&device_pool, (void **)&d);
	if (st)
		return st;
	st = kobj_init(&d->obj, type, &device_ops, q, 0);
	if (st) {
		pool_free(&device_pool, d);
		return st;
	}
	d->first = first;
	d->count = count;
	*out = d;
	return STATUS_OK;
}

status_t device_irq_bind(struct device *d, struct thread *t, uint32_t bit)
{
	if (d->count != 1 || bit > 63 || d->first >= arch_irq_lines() || d->first >= IRQ_LINES_MAX)
		return STATUS_INVALID;
	struct device *owner = irq_owner[d->first];
	if (owner && owner != d && !owner->obj.dead)
		return STATUS_BUSY;
	if (owner && owner != d) {
		kobj_put(&owner->bound->obj);
		owner->bound = NULL;
	}
	if (d->bound)
		kobj_put(&d->bound->obj);
	kobj_get(&t->obj);
	d->bound = t;
	d->bit = bit;
	irq_owner[d->first] = d;
	arch_irq_mask((uint32_t)d->first, false);
	return STATUS_OK;
}

status_t device_irq_ack(struct device *d)
{
	if (!d->bound || irq_owner[d->first] != d)
		return STATUS_INVALID;
	arch_irq_mask((uint32_t)d->first, false);
	return STATUS_OK;
}

void device_irq_fired(uint32_t gsi)
{
	struct device *d = gsi < IRQ_LINES_MAX ? irq_owner[gsi] : NULL;
	arch_irq_mask(gsi, true);
	if (d && d->bound && !d->bound->exited)
		ipc_signal_raise(d->bound, 1ull << d->bit);
}
