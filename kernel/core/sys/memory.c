/* memory.c - memory system calls: create, map, unmap, phys. */
#include "core/futex.h"
#include "core/mm/kmem.h"
#include "core/object/memory.h"
#include "core/sys/syscall.h"

#define PROT_BITS (RIGHT_READ | RIGHT_WRITE | RIGHT_EXEC)

status_t ksys_memory_create(struct syscall_ctx *ctx, uint64_t pages, uint32_t flags,
			    cap_handle_t *memory)
{
	struct memory *m;
	if (flags & ~(uint32_t)MEMORY_DMA)
		return STATUS_INVALID;
	status_t st = memory_create(&ctx->task->quota, pages, flags & MEMORY_DMA, &m);
	if (st)
		return st == STATUS_NO_MEMORY ? syscall_no_memory(ctx) : st;
	st = cspace_insert(&ctx->task->cs, &m->obj, RIGHTS_ALL, 0, 0, memory);
	kobj_put(&m->obj);
	return st;
}

/* The task a mapping call acts on: the one named, or the caller's. */
static struct task *target_task(struct syscall_ctx *ctx, const struct cap_arg *task)
{
	return task->present ? (struct task *)task->cap.obj : ctx->task;
}

/* Whether [addr, addr + pages pages) is a page-aligned user range. */
static bool user_range(uint64_t addr, uint64_t pages)
{
	return !(addr & (PAGE_SIZE - 1)) && addr >= USER_BASE &&
	       pages <= (USER_TOP - addr) / PAGE_SIZE;
}

status_t ksys_memory_map(struct syscall_ctx *ctx, const struct cap_arg *task,
			 const struct cap_arg *memory, uint64_t addr, uint64_t first,
			 uint64_t pages, uint32_t prot)
{
	struct task *t = target_task(ctx, task);
	struct memory *m = (struct memory *)memory->cap.obj;
	if (!prot || (prot & ~PROT_BITS) || ((prot & RIGHT_WRITE) && (prot & RIGHT_EXEC)) ||
	    pages == 0 || (m->kind == MEM_DEVICE && (prot & RIGHT_EXEC)))
		return STATUS_INVALID;
	if ((prot & memory->cap.rights) != prot)
		return STATUS_NO_RIGHTS;
	if (first >= m->npages || pages > m->npages - first)
		return STATUS_RANGE;
	if (!user_range(addr, pages))
		return STATUS_BAD_ADDRESS;
	if (t->dying)
		return STATUS_STALE;
	return task_map(t, addr, &m->obj, first, pages, prot);
}

status_t ksys_memory_unmap(struct syscall_ctx *ctx, const struct cap_arg *task, uint64_t addr,
			   uint64_t pages)
{
	if (!user_range(addr, pages))
		return STATUS_BAD_ADDRESS;
	return task_unmap(target_task(ctx, task), addr, pages);
}

status_t ksys_memory_phys(struct syscall_ctx *ctx, const struct cap_arg *memory, uint64_t page,
			  uint64_t *phys)
{
	(void)ctx;
	struct memory *m = (struct memory *)memory->cap.obj;
	if (page >= m->npages)
		return STATUS_RANGE;
	*phys = memory_page_fill(m, page); /* a device may write it next */
	return STATUS_OK;
}

status_t ksys_futex_wait(struct syscall_ctx *ctx, uint64_t addr, uint32_t value, uint64_t timeout)
{
	return futex_wait(ctx->thread, addr, value, timeout);
}

status_t ksys_futex_wake(struct syscall_ctx *ctx, uint64_t addr, uint32_t count, uint64_t *woken)
{
	return futex_wake(ctx->task, addr, count, woken);
}
