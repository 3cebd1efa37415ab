/*
 * spawn.c - the steps of starting a task that do not depend on where its
 * program comes from (see keel/spawn.h): checking the arguments, filling
 * the start page and granting the capabilities. The machine's loader
 * (bundle.c) and the host port's (libsys/host/host_bundle.c, host_spawn.c)
 * both use them, so a task starts with the same start page either way.
 */
#include "keel/spawn.h"

_Static_assert(sizeof(struct keel_start) <= KEEL_PAGE_SIZE, "start info fits its page");

status_t keel_spawn_check(const struct keel_spawn_args *a)
{
	if (!a->name || a->cap_count > KEEL_SPAWN_CAPS_MAX)
		return STATUS_INVALID;
	if (a->cmdline && strlen(a->cmdline) >= KEEL_CMDLINE_MAX)
		return STATUS_RANGE;
	return STATUS_OK;
}

/* Grants g into the task (nothing if g->cap is none); sets *given. */
static status_t grant_one(cap_handle_t task, const struct keel_grant *g, cap_handle_t *given)
{
	*given = CAP_HANDLE_NONE;
	if (g->cap == CAP_HANDLE_NONE)
		return STATUS_OK;
	return sys_task_grant(task, g->cap, g->rights, g->badge, given);
}

status_t keel_spawn_grant(cap_handle_t task, const struct keel_spawn_args *a, struct keel_start *s)
{
	status_t st = sys_task_grant(task, task, RIGHTS_ALL, 0, &s->self_task);

	if (st == STATUS_OK)
		st = grant_one(task, &a->supervisor, &s->supervisor);
	if (st == STATUS_OK)
		st = grant_one(task, &a->witness, &s->witness);
	for (uint32_t i = 0; st == STATUS_OK && i < a->cap_count; i++) {
		cap_handle_t given;
		st = grant_one(task, &a->caps[i], &given);
		s->caps[i] = given;
	}
	return st;
}

void keel_spawn_start_fill(const struct keel_spawn_args *a, uint32_t cpu_count,
			   struct keel_start *s)
{
	s->magic = KEEL_START_MAGIC;
	s->version = KEEL_START_VERSION;
	s->size = sizeof(*s);
	s->cpu_count = cpu_count;
	s->quota_pages = a->quota_pages;
	s->quota_objects = a->quota_objects;
	s->quota_slots = a->quota_slots;
	s->arg = a->arg;
	s->wall_offset_ns = a->wall_offset_ns;
	s->machine_pages = a->machine_pages;
	if (a->cmdline)
		memcpy(s->cmdline, a->cmdline, strlen(a->cmdline) + 1);
}
