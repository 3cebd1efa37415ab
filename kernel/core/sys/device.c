/* device.c - interrupt, I/O port and MMIO system calls. */
#include "core/mm/kmem.h"
#include "core/object/device.h"
#include "core/object/memory.h"
#include "core/sys/syscall.h"

status_t ksys_irq_bind(struct syscall_ctx *ctx, const struct cap_arg *irq, uint32_t bit)
{
	return device_irq_bind((struct device *)irq->cap.obj, ctx->thread, bit);
}

status_t ksys_irq_ack(struct syscall_ctx *ctx, const struct cap_arg *irq)
{
	(void)ctx;
	return device_irq_ack((struct device *)irq->cap.obj);
}

status_t ksys_ioports_enable(struct syscall_ctx *ctx, const struct cap_arg *ports)
{
	const struct device *d = (const struct device *)ports->cap.obj;
	return arch_ioports_open(ctx->task, d->first, d->count);
}

/* Range bounds of a device capability's object, whatever its type. */
static void bounds(const struct cap *cap, uint64_t *first, uint64_t *count)
{
	if (cap->type == OBJ_MMIO) {
		const struct memory *m = (const struct memory *)cap->obj;
		*first = m->base;
		*count = m->npages * PAGE_SIZE;
	} else {
		const struct device *d = (const struct device *)cap->obj;
		*first = d->first;
		*count = d->count;
	}
}

/* Makes the object of the part [first, first + count) of cap's range. */
static status_t make_part(struct syscall_ctx *ctx, const struct cap *cap, uint64_t first,
			  uint64_t count, struct kobj **out)
{
	status_t st;
	if (cap->type == OBJ_MMIO) {
		struct memory *m;
		st = memory_create_device(&ctx->task->quota, first, count / PAGE_SIZE, &m);
		*out = st ? NULL : &m->obj;
	} else {
		struct device *d;
		st = device_create(&ctx->task->quota, (enum obj_type)cap->type, first, count, &d);
		*out = st ? NULL : &d->obj;
	}
	return st;
}

status_t ksys_device_split(struct syscall_ctx *ctx, const struct cap_arg *dev, uint64_t first,
			   uint64_t count, cap_handle_t *part)
{
	const struct cap *cap = &dev->cap;
	uint64_t lo, n;
	struct kobj *o;
	if (cap->type == OBJ_IRQ && ((const struct device *)cap->obj)->kind == DEVICE_MSI)
		return STATUS_INVALID; /* a vector is one thing, not a range */
	bounds(cap, &lo, &n);
	if (count == 0 || (cap->type == OBJ_MMIO && ((first | count) & (PAGE_SIZE - 1))))
		return STATUS_INVALID;
	if (first < lo || first - lo > n || count > n - (first - lo))
		return STATUS_RANGE;
	status_t st = make_part(ctx, cap, first, count, &o);
	if (st)
		return st;
	st = cspace_insert(&ctx->task->cs, o, cap->rights, 0, 0, part);
	kobj_put(o);
	return st;
}

status_t ksys_irq_msi_create(struct syscall_ctx *ctx, const struct cap_arg *root, uint32_t cpu,
			     cap_handle_t *irq, uint64_t *message)
{
	struct device *d;
	status_t st = device_msi_create(&ctx->task->quota, (const struct device *)root->cap.obj,
					cpu, &d, message);
	if (st)
		return st;
	st = cspace_insert(&ctx->task->cs, &d->obj, root->cap.rights, 0, 0, irq);
	kobj_put(&d->obj);
	if (st)
		*message = 0;
	return st;
}
