/* device.c - interrupt lines and I/O port ranges (see device.h). */
#include "core/object/device.h"
#include "core/ipc.h"
#include "core/mm/kmem.h"
#include "core/panic.h"
#include "core/mm/pool.h"

#define IRQ_LINES_MAX 256
#define MSI_CPUS_MAX 64 /* CPUs whose vectors can be allocated */

static struct pool device_pool;
static struct device *irq_owner[IRQ_LINES_MAX]; /* bound one-line objects */

/* Message-signalled vectors: per CPU, a page of owners made on the first
 * allocation there (kernel-owned, kept), and where the next search starts,
 * so a freed vector is the last to be handed out again. */
static struct device **msi_owner[MSI_CPUS_MAX];
static uint32_t msi_next[MSI_CPUS_MAX];
static uint32_t msi_in_use;

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
	if (d->kind == DEVICE_MSI) {
		msi_owner[d->first][d->msi_slot] = NULL; /* freed, and nothing signals */
		msi_in_use--;
		if (d->bound)
			kobj_put(&d->bound->obj);
	} else if (d->bound) {
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
	d->bound = NULL;
	d->bit = 0;
	d->kind = DEVICE_RANGE;
	d->msi_masked = d->msi_pending = false;
	d->msi_slot = 0;
	*out = d;
	return STATUS_OK;
}

/* Signals an MSI object's holder and masks it, or keeps the message for
 * the unmask. */
static void msi_deliver(struct device *d)
{
	if (d->msi_masked || !d->bound || d->bound->exited) {
		d->msi_pending = true;
		return;
	}
	d->msi_pending = false;
	d->msi_masked = true;
	ipc_signal_raise(d->bound, 1ull << d->bit);
}

/* Unmasks an MSI object, delivering what arrived while it was masked. */
static void msi_unmask(struct device *d)
{
	d->msi_masked = false;
	if (d->msi_pending)
		msi_deliver(d);
}

status_t device_irq_bind(struct device *d, struct thread *t, uint32_t bit)
{
	if (d->kind == DEVICE_MSI) {
		if (bit > 63)
			return STATUS_INVALID;
		if (d->bound)
			kobj_put(&d->bound->obj);
		kobj_get(&t->obj);
		d->bound = t;
		d->bit = bit;
		msi_unmask(d);
		return STATUS_OK;
	}
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
	if (d->kind == DEVICE_MSI) {
		if (!d->bound)
			return STATUS_INVALID;
		msi_unmask(d);
		return STATUS_OK;
	}
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

/* A free vector of cpu (its owner table made if need be), or FULL. */
static status_t msi_find_slot(uint32_t cpu, uint32_t *slot)
{
	uint32_t n = arch_msi_vectors();
	if (!msi_owner[cpu]) {
		uint64_t pa;
		if (kmem_alloc(kmem_order(n * sizeof(struct device *)), &pa))
			return STATUS_NO_MEMORY;
		msi_owner[cpu] = arch_phys_to_virt(pa); /* kmem pages come zeroed */
	}
	for (uint32_t i = 0; i < n; i++) {
		uint32_t s = (msi_next[cpu] + i) % n;
		if (!msi_owner[cpu][s]) {
			*slot = s;
			msi_next[cpu] = (s + 1) % n;
			return STATUS_OK;
		}
	}
	return STATUS_FULL;
}

status_t device_msi_create(struct quota *q, const struct device *root, uint32_t cpu,
			   struct device **out, uint64_t *message)
{
	uint32_t slot;
	struct device *d;
	if (root->kind != DEVICE_IRQ_ROOT)
		return STATUS_NO_RIGHTS;
	if (cpu >= arch_cpu_count() || cpu >= MSI_CPUS_MAX || !arch_msi_vectors())
		return STATUS_INVALID;
	status_t st = msi_find_slot(cpu, &slot);
	if (st == STATUS_OK)
		st = arch_msi_message(cpu, slot, message);
	if (st == STATUS_OK)
		st = device_create(q, OBJ_IRQ, cpu, 1, &d);
	if (st)
		return st;
	d->kind = DEVICE_MSI;
	d->msi_slot = slot;
	d->msi_masked = true; /* until bound */
	msi_owner[cpu][slot] = d;
	msi_in_use++;
	*out = d;
	return STATUS_OK;
}

void device_msi_fired(uint32_t cpu, uint32_t slot)
{
	if (cpu >= MSI_CPUS_MAX || !msi_owner[cpu] || slot >= arch_msi_vectors())
		return;
	struct device *d = msi_owner[cpu][slot];
	if (d && !d->obj.dead)
		msi_deliver(d);
}

uint32_t device_msi_count(void)
{
	return msi_in_use;
}
