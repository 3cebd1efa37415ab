/* futex.c - waiting on a word of a memory object (see futex.h). */
#include "core/futex.h"
#include "core/mm/kmem.h"
#include "core/list.h"
#include "core/object/object.h"
#include "core/object/task.h"
#include "core/object/thread.h"
#include "core/mm/vspace.h"

static struct list_node waiters = { &waiters, &waiters };

/* The memory object and offset that uaddr of task t maps to. */
static status_t key_of(struct task *t, uint64_t uaddr, struct kobj **mem, uint64_t *off)
{
	if (uaddr & 3)
		return STATUS_INVALID;
	for (int i = 0; i < TASK_MAX_MAPPINGS; i++) {
		const struct mapping *mp = &t->maps[i];
		if (!mp->used || uaddr < mp->va || uaddr - mp->va >= mp->pages * PAGE_SIZE)
			continue;
		*mem = mp->mem;
		*off = mp->first * PAGE_SIZE + (uaddr - mp->va);
		return STATUS_OK;
	}
	return STATUS_BAD_ADDRESS;
}

static void leave(struct thread *t)
{
	if (!t->futex_mem)
		return;
	list_del(&t->futex_link);
	kobj_put(t->futex_mem);
	t->futex_mem = NULL;
}

status_t futex_wait(struct thread *t, uint64_t uaddr, uint32_t val, uint64_t timeout_ns)
{
	struct kobj *mem;
	uint64_t off;
	uint32_t now;
	status_t st = key_of(t->task, uaddr, &mem, &off);
	if (st)
		return st;
	if (copy_from_user(&t->task->vs, &now, (uaddr_t){ uaddr }, sizeof now))
		return STATUS_BAD_ADDRESS;
	if (now != val)
		return STATUS_BUSY;
	if (timeout_ns == 0)
		return STATUS_TIMEOUT;
	/* The reference keeps the key's object, so it cannot be freed and
	 * its address reused for another object while this thread waits. */
	kobj_get(mem);
	t->futex_mem = mem;
	t->futex_off = off;
	list_add_tail(&waiters, &t->futex_link);
	bool woken = thread_block(timeout_ns);
	leave(t);
	return woken ? STATUS_OK : STATUS_TIMEOUT;
}

status_t futex_wake(struct task *task, uint64_t uaddr, uint32_t count, uint64_t *woken)
{
	struct kobj *mem;
	uint64_t off;
	status_t st = key_of(task, uaddr, &mem, &off);
	*woken = 0;
	if (st)
		return st;
	struct list_node *n = waiters.next;
	while (n != &waiters && *woken < count) {
		struct thread *t = list_entry(n, struct thread, futex_link);
		n = n->next;
		if (t->futex_mem != mem || t->futex_off != off)
			continue;
		leave(t);
		if (thread_wake(t))
			(*woken)++;
	}
	return STATUS_OK;
}

void futex_thread_gone(struct thread *t)
{
	leave(t);
}
