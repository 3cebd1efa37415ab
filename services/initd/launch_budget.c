/*
 * launch_budget.c - how much of initd's own quotas launched apps may
 * take. sys_task_create charges a new task's quotas to its creator, so
 * every app's CSpace slots and kernel objects come out of initd's; apps
 * launched without bound (a flood) could leave initd none to restart a
 * crashed service with. So apps launched by apps may together hold at
 * most half of the slots and objects that initd has beyond what every
 * service of the boot list may hold; a launch beyond that is refused
 * with QUOTA before any kernel call, and what an app took comes back
 * when it ends. The console programs, initd's own, are not counted.
 * Pages are not budgeted here: a task's page limit is not reserved, its
 * pages are charged to it and to initd as it takes them, so the kernel's
 * charge against initd's page limit (QUOTA) or the machine (NO_MEMORY)
 * is the bound, and what an app took comes back when it ends.
 */
#include "launch.h"

/* Half of what initd's quota q leaves beyond the services' need. */
static uint64_t share(uint64_t q, uint64_t services)
{
	return q > services ? (q - services) / 2 : 0;
}

/* The apps' shares of initd's slots and objects. */
static void limits(const struct launcher *l, uint64_t *slots, uint64_t *objects)
{
	const struct initd *d = l->d;
	uint64_t s = 0, o = 0;
	for (uint32_t i = 0; i < d->count; i++) {
		s += d->svc[i].m.quota_slots;
		o += d->svc[i].m.quota_objects;
	}
	*slots = share(d->start->quota_slots, s);
	*objects = share(d->start->quota_objects, o);
}

status_t launch_budget_take(struct launcher *l, struct app *a, const struct manifest *mf)
{
	uint64_t slots, objects;
	if (a->owner == 0)
		return STATUS_OK; /* a console program */
	limits(l, &slots, &objects);
	if (mf->quota_slots > slots - l->used_slots ||
	    mf->quota_objects > objects - l->used_objects)
		return STATUS_QUOTA;
	a->cost_slots = mf->quota_slots;
	a->cost_objects = mf->quota_objects;
	l->used_slots += a->cost_slots;
	l->used_objects += a->cost_objects;
	return STATUS_OK;
}

void launch_budget_give(struct launcher *l, struct app *a)
{
	l->used_slots -= a->cost_slots;
	l->used_objects -= a->cost_objects;
	a->cost_slots = a->cost_objects = 0;
}
