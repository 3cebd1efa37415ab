/* memory.c - memory system calls: create, map, unmap, phys. */
#include "core/futex.h"
#include "core/kmem.h"
#include "core/memory.h"
#include "core/syscall.h"
#include "syscall_numbers.h"

#define PROT_BITS (RIGHT_READ | RIGHT_WRITE | RIGHT_EXEC)

status_t ksys_memory_create(const struct syscall_args *a, struct syscall_ret *r)
{
	struct syscall_ctx *c = syscall_ctx();
	struct memory *m;
	cap_handle_t h;
	if (a->a[1] & ~(uint64_t)MEMORY_DMA)
		return STATUS_INVALID;
	status_t st = memory_create(&c->task->quota, a->a[0], a->a[1] & MEMORY_DMA, &m);
	if (st)
		return st;
	st = cspace_insert(&c->task->cs, &m->obj, RIGHTS_ALL, 0, 0, &h);
	kobj_put(&m->obj);
	if (st == STATUS_OK)
		r->r[0] = h;
	return st;
}

/* The task a mapping call acts on: the one named, or the caller's. */
static struct task *target_task(struct syscall_ctx *c)
{
	return c->cap_present[0] ? (struct task *)c->cap[0].obj : c->task;
}

status_t ksys_memory_map(const struct syscall_args *a, struct syscall_ret *r)
{
	(void)r;
	struct syscall_ctx *c = syscall_ctx();
	struct task *t = target_task(c);
	struct memory *m = (struct memory *)c->cap[1].obj;
	uint64_t addr = a->a[2], first = a->a[3], pages = a->a[4];
	uint32_t prot = (uint32_t)a->a[5];
	if (!prot || (prot & ~PROT_BITS) || ((prot & RIGHT_WRITE) && (prot & RIGHT_EXEC)) ||
	    pages == 0 || (m->kind == MEM_DEVICE && (prot & RIGHT_EXEC)))
		return STATUS_INVALID;
	if ((prot & c->cap[1].rights) != prot)
		return STATUS_NO_RIGHTS;
	if (first >= m->npages || pages > m->npages - first)
		return STATUS_RANGE;
	if (addr & (PAGE_SIZE - 1) || addr < USER_BASE || pages > (USER_TOP - addr) / PAGE_SIZE)
		return STATUS_BAD_ADDRESS;
	if (t->dying)
		return STATUS_STALE;
	return task_map(t, addr, &m->obj, first, pages, prot);
}

status_t ksys_memory_unmap(const struct syscall_args *a, struct syscall_ret *r)
{
	(void)r;
	struct syscall_ctx *c = syscall_ctx();
	uint64_t addr = a->a[1], pages = a->a[2];
	if (addr & (PAGE_SIZE - 1) || addr < USER_BASE || pages > (USER_TOP - addr) / PAGE_SIZE)
		return STATUS_BAD_ADDRESS;
	return task_unmap(target_task(c), addr, pages);
}

status_t ksys_memory_phys(const struct syscall_args *a, struct syscall_ret *r)
{
	struct memory *m = (struct memory *)syscall_ctx()->cap[0].obj;
	if (a->a[1] >= m->npages)
		return STATUS_RANGE;
	r->r[0] = memory_page(m, a->a[1]);
	return STATUS_OK;
}

status_t ksys_futex_wait(const struct syscall_args *a, struct syscall_ret *r)
{
	(void)r;
	return futex_wait(syscall_ctx()->thread, a->a[0], (uint32_t)a->a[1], a->a[2]);
}

status_t ksys_futex_wake(const struct syscall_args *a, struct syscall_ret *r)
{
	return futex_wake(syscall_ctx()->task, a->a[0], (uint32_t)a->a[1], &r->r[0]);
}
