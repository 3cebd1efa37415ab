/* device.c - interrupt, I/O port and MMIO system calls. */
#include "core/object/device.h"
#include "core/mm/kmem.h"
#include "core/object/memory.h"
#include "core/sys/syscall.h"

status_t ksys_irq_bind(const struct syscall_args *a, struct syscall_ret *r)
{
	(void)r;
	struct syscall_ctx *c = syscall_ctx();
	return device_irq_bind((struct device *)c->cap[0].obj, c->thread, (uint32_t)a->a[1]);
}

status_t ksys_irq_ack(const struct syscall_args *a, struct syscall_ret *r)
{
	(void)a;
	(void)r;
	return device_irq_ack((struct device *)syscall_ctx()->cap[0].obj);
}

status_t ksys_ioports_enable(const struct syscall_args *a, struct syscall_ret *r)
{
	(void)a;
	(void)r;
	struct syscall_ctx *c = syscall_ctx();
	struct device *d = (struct device *)c->cap[0].obj;
	return arch_ioports_open(c->task, d->first, d->count);
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

status_t ksys_device_split(const struct syscall_args *a, struct syscall_ret *r)
{
	struct syscall_ctx *c = syscall_ctx();
	const struct cap *cap = &c->cap[0];
	uint64_t first = a->a[1], count = a->a[2], lo, n;
	struct kobj *o;
	status_t st;
	bounds(cap, &lo, &n);
	if (count == 0 || (cap->type == OBJ_MMIO && ((first | count) & (PAGE_SIZE - 1))))
		return STATUS_INVALID;
	if (first < lo || first - lo > n || count > n - (first - lo))
		return STATUS_RANGE;
	if (cap->type == OBJ_MMIO) {
		struct memory *m;
		st = memory_create_device(&c->task->quota, first, count / PAGE_SIZE, &m);
		o = st ? NULL : &m->obj;
	} else {
		struct device *d;
		st = device_create(&c->task->quota, (enum obj_type)cap->type, first, count, &d);
		o = st ? NULL : &d->obj;
	}
	if (st)
		return st;
	cap_handle_t h;
	st = cspace_insert(&c->task->cs, o, cap->rights, 0, 0, &h);
	kobj_put(o);
	if (st == STATUS_OK)
		r->r[0] = h;
	return st;
}
