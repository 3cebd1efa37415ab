/* rootcaps.c - what the root task holds (see roottask.h). Shared by the
 * machine's root task (roottask.c) and the host port's (kernel/arch/host). */
#include "abi/start.h"
#include "core/arch.h"
#include "core/boot/roottask.h"
#include "core/console.h"
#include "core/mm/kmem.h"
#include "core/object/device.h"
#include "core/object/memory.h"
#include "core/object/task.h"
#include "core/object/witness_log.h"

#define PHYS_LIMIT (1ull << 46) /* the MMIO root covers physical space below this */

status_t roottask_create(struct task **out)
{
	uint64_t pages = kmem_free_pages() - kmem_free_pages() / 8;
	uint64_t slots = kmem_total_pages() < ROOT_SLOTS_FULL_PAGES ? ROOT_SLOTS / 2 : ROOT_SLOTS;
	return task_create(NULL, slots, ROOT_OBJECTS, pages, NULL, 0, out);
}

status_t roottask_grant(struct task *t, struct kobj *o, uint32_t rights, cap_handle_t *h)
{
	status_t st = cspace_insert(&t->cs, o, rights, 0, 0, h);
	if (st)
		kprintf("roottask: cannot grant the root task its type %u capability: %s\n",
			o->type, status_message(st));
	else
		witness_note(obj_is_device(o->type) ? WITNESS_DEVICE_GRANT : WITNESS_GRANT, 0,
			     t->id, o->type, rights);
	return st;
}

/* Grants a capability to a new device root object (or reports why there
 * is none) and drops the creation reference. */
static status_t grant_new(struct task *t, status_t made, struct kobj *o, uint32_t rights,
			  cap_handle_t *h)
{
	if (made) {
		kprintf("roottask: cannot make a device root: %s\n", status_message(made));
		return made;
	}
	status_t st = roottask_grant(t, o, rights, h);
	kobj_put(o);
	return st;
}

/* The device roots: every port, all physical space, every interrupt line. */
static status_t grant_devices(struct task *t, struct keel_start *s)
{
	struct device *d;
	struct memory *m;
	status_t st = device_create(NULL, OBJ_IOPORTS, 0, 0x10000, &d);
	st = grant_new(t, st, st ? NULL : &d->obj, RIGHTS_ALL, &s->ioports);
	if (st == STATUS_OK) {
		st = device_create(NULL, OBJ_IRQ, 0, arch_irq_lines(), &d);
		if (st == STATUS_OK)
			d->kind = DEVICE_IRQ_ROOT; /* may allocate MSI vectors */
		st = grant_new(t, st, st ? NULL : &d->obj, RIGHTS_ALL, &s->irq);
	}
	if (st == STATUS_OK) {
		st = memory_create_device(NULL, 0, PHYS_LIMIT / PAGE_SIZE, &m);
		st = grant_new(t, st, st ? NULL : &m->obj, RIGHTS_ALL & ~RIGHT_EXEC, &s->mmio);
	}
	return st;
}

status_t roottask_grant_all(struct task *t, struct keel_start *s)
{
	status_t st = roottask_grant(t, &t->obj, RIGHTS_ALL, &s->self_task);
	if (st == STATUS_OK)
		st = roottask_grant(t, &witness_log_get()->obj,
				    RIGHT_READ | RIGHT_WRITE | RIGHT_GRANT, &s->witness);
	if (st == STATUS_OK)
		st = grant_devices(t, s);
	s->quota_pages = t->quota.limit[QUOTA_PAGES];
	s->quota_objects = t->quota.limit[QUOTA_OBJECTS];
	s->quota_slots = t->quota.limit[QUOTA_SLOTS];
	return st;
}
