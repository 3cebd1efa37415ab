/* rootcaps.c - what the root task holds (see roottask.h). Shared by the
 * machine's root task (roottask.c) and the host port's (kernel/arch/host). */
#include "abi/start.h"
#include "core/arch.h"
#include "core/console.h"
#include "core/object/device.h"
#include "core/mm/kmem.h"
#include "core/object/memory.h"
#include "core/boot/roottask.h"
#include "core/object/task.h"
#include "core/object/witness_log.h"

#define PHYS_LIMIT (1ull << 46) /* the MMIO root covers physical space below this */

cap_handle_t roottask_grant(struct task *t, struct kobj *o, uint32_t rights)
{
	cap_handle_t h = CAP_HANDLE_NONE;
	if (cspace_insert(&t->cs, o, rights, 0, 0, &h))
		kprintf("roottask: could not grant a type %u capability\n", o->type);
	else
		witness_note(obj_is_device(o->type) ?
			     WITNESS_DEVICE_GRANT : WITNESS_GRANT, 0, t->id, o->type, rights);
	return h;
}

/* The device roots: every port, all physical space, every interrupt line. */
static void grant_devices(struct task *t, struct keel_start *s)
{
	struct device *d;
	struct memory *m;
	if (device_create(NULL, OBJ_IOPORTS, 0, 0x10000, &d) == STATUS_OK) {
		s->ioports = roottask_grant(t, &d->obj, RIGHTS_ALL);
		kobj_put(&d->obj);
	}
	if (device_create(NULL, OBJ_IRQ, 0, arch_irq_lines(), &d) == STATUS_OK) {
		s->irq = roottask_grant(t, &d->obj, RIGHTS_ALL);
		kobj_put(&d->obj);
	}
	if (memory_create_device(NULL, 0, PHYS_LIMIT / PAGE_SIZE, &m) == STATUS_OK) {
		s->mmio = roottask_grant(t, &m->obj, RIGHTS_ALL & ~RIGHT_EXEC);
		kobj_put(&m->obj);
	}
}

void roottask_grant_all(struct task *t, struct keel_start *s)
{
	s->self_task = roottask_grant(t, &t->obj, RIGHTS_ALL);
	s->witness = roottask_grant(t, &witness_log_get()->obj,
				    RIGHT_READ | RIGHT_WRITE | RIGHT_GRANT);
	grant_devices(t, s);
	s->quota_pages = t->quota.limit[QUOTA_PAGES];
	s->quota_objects = t->quota.limit[QUOTA_OBJECTS];
	s->quota_slots = t->quota.limit[QUOTA_SLOTS];
}
