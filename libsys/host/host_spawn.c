/*
 * host_spawn.c - starting a C function as a Keel task on the host (see
 * host_kernel.h). User code: it uses only system calls, in the order
 * keel_spawn (libsys/bundle.c) uses them, so the kernel sees what it sees
 * on the machine - a task created, its capabilities granted, a memory
 * object mapped into it, a thread started - except that there is no image
 * to load: the entry is a function of this process.
 */
#include "host_kernel.h"
#include "keel/map.h"

#define START_SLOTS 4096 /* start pages tried from HOST_START_AREA */

/* Copies s into the one-page object mem, mapped for the copy where
 * keel_map chooses: any task may spawn, and no two share a page. */
static status_t start_write(cap_handle_t mem, const struct keel_start *s)
{
	void *at;
	status_t st = keel_map(mem, 0, 1, RIGHT_READ | RIGHT_WRITE, &at);
	if (st)
		return st;
	memcpy(at, s, sizeof *s);
	return keel_unmap(at, 1);
}

/* Maps mem read-only into task at the first page of the start area that
 * no task holds yet; its address goes to *va. */
static status_t start_map(cap_handle_t task, cap_handle_t mem, uint64_t *va)
{
	status_t st = STATUS_EXISTS;
	for (uint64_t i = 0; st == STATUS_EXISTS && i < START_SLOTS; i++) {
		*va = HOST_START_AREA + i * KEEL_PAGE_SIZE;
		st = sys_memory_map(task, mem, *va, 0, 1, RIGHT_READ);
	}
	return st;
}

status_t host_spawn(const struct keel_spawn_args *a, host_main_fn *main, struct keel_child *out)
{
	struct keel_start s = { 0 };
	cap_handle_t task = CAP_HANDLE_NONE, mem = CAP_HANDLE_NONE, thread;
	uint64_t va = 0;
	status_t st = main ? keel_spawn_check(a) : STATUS_INVALID;
	if (st)
		return st;
	st = sys_task_create(a->quota_slots, a->quota_objects, a->quota_pages, a->fault_inbox,
			     &task);
	if (st)
		return st;
	keel_spawn_start_fill(a, 1, &s); /* the host runs one CPU */
	if ((st = keel_spawn_grant(task, a, &s)) || (st = sys_memory_create(1, 0, &mem)) ||
	    (st = start_write(mem, &s)) || (st = start_map(task, mem, &va)))
		goto fail;
	sys_cap_delete(mem); /* the child's mapping keeps the page */
	mem = CAP_HANDLE_NONE;
	st = sys_thread_create(task, (uint64_t)(uintptr_t)main, KEEL_STACK_TOP, va, a->tier,
			       a->affinity, &thread);
	if (st)
		goto fail;
	out->task = task;
	out->thread = thread;
	return STATUS_OK;
fail:
	/* As keel_spawn undoes: each step either worked or left nothing. */
	if (mem != CAP_HANDLE_NONE)
		sys_cap_delete(mem);
	sys_task_kill(task, 0);
	sys_cap_delete(task);
	return st;
}
