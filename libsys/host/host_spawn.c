/*
 * host_spawn.c - starting a C function as a Keel task on the host (see
 * host_kernel.h). User code: it uses only system calls, in the order
 * keel_spawn (libsys/spawn.c) uses them, so the kernel sees what it sees
 * on the machine - a task created, its capabilities granted, a memory
 * object mapped into it, a thread started - except that there is no image
 * to load: the entry is a function of this process.
 */
#include "host_kernel.h"

#define SCRATCH_VA 0x0000180000000000ull	/* KEEL_SPAWN_SCRATCH_ADDR */
#define START_SLOTS 4096			/* start pages tried from HOST_START_AREA */

/* Grants g into task (nothing if g->cap is none); sets *given. */
static status_t grant_one(cap_handle_t task, const struct keel_grant *g, cap_handle_t *given)
{
	*given = CAP_HANDLE_NONE;
	if (g->cap == CAP_HANDLE_NONE)
		return STATUS_OK;
	return sys_task_grant(task, g->cap, g->rights, g->badge, given);
}

/* The capabilities, recorded in s as keel_spawn records them. */
static status_t grant_all(cap_handle_t task, const struct keel_spawn_args *a,
			  struct keel_start *s)
{
	status_t st = sys_task_grant(task, task, RIGHTS_ALL, 0, &s->self_task);
	if (st == STATUS_OK)
		st = grant_one(task, &a->supervisor, &s->supervisor);
	if (st == STATUS_OK)
		st = grant_one(task, &a->witness, &s->witness);
	for (uint32_t i = 0; st == STATUS_OK && i < a->cap_count; i++) {
		cap_handle_t given;
		st = grant_one(task, &a->caps[i], &given);
		s->reserved[i] = given;
	}
	return st;
}

/* The start page's other fields. cpu_count is the caller's view: one CPU. */
static void start_fill(const struct keel_spawn_args *a, struct keel_start *s)
{
	s->magic = KEEL_START_MAGIC;
	s->version = KEEL_START_VERSION;
	s->size = sizeof *s;
	s->cpu_count = 1;
	s->quota_pages = a->quota_pages;
	s->quota_objects = a->quota_objects;
	s->quota_slots = a->quota_slots;
	s->reserved[KEEL_START_ARG_WORD] = a->arg;
	if (a->cmdline)
		memcpy(s->cmdline, a->cmdline, strlen(a->cmdline) + 1);
}

/* Copies s into the one-page object mem through the scratch window. */
static status_t start_write(cap_handle_t mem, const struct keel_start *s)
{
	status_t st = sys_memory_map(CAP_HANDLE_NONE, mem, SCRATCH_VA, 0, 1,
				     RIGHT_READ | RIGHT_WRITE);
	if (st)
		return st;
	memcpy((void *)(uintptr_t)SCRATCH_VA, s, sizeof *s);
	return sys_memory_unmap(CAP_HANDLE_NONE, SCRATCH_VA, 1);
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

static status_t check_args(const struct keel_spawn_args *a, host_main_fn *main)
{
	if (!a->name || !main || a->cap_count > KEEL_SPAWN_CAPS_MAX)
		return STATUS_INVALID;
	if (a->cmdline && strlen(a->cmdline) >= KEEL_CMDLINE_MAX)
		return STATUS_RANGE;
	return STATUS_OK;
}

status_t host_spawn(const struct keel_spawn_args *a, host_main_fn *main,
		    struct keel_child *out)
{
	struct keel_start s = { 0 };
	cap_handle_t task = CAP_HANDLE_NONE, mem = CAP_HANDLE_NONE, thread;
	uint64_t va = 0;
	status_t st = check_args(a, main);
	if (st)
		return st;
	st = sys_task_create(a->quota_slots, a->quota_objects, a->quota_pages, a->fault_inbox,
			     &task);
	if (st)
		return st;
	start_fill(a, &s);
	if ((st = grant_all(task, a, &s)) || (st = sys_memory_create(1, 0, &mem)) ||
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
	sys_memory_unmap(CAP_HANDLE_NONE, SCRATCH_VA, 1);
	if (mem != CAP_HANDLE_NONE)
		sys_cap_delete(mem);
	sys_task_kill(task);
	sys_cap_delete(task);
	return st;
}
