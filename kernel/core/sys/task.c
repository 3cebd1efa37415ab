/* task.c - task and thread system calls. */
#include "core/arch.h"
#include "core/sys/syscall.h"
#include "core/object/witness_log.h"

/* Puts a new capability to o into the caller's CSpace and drops the
 * creation reference either way. */
static status_t give(struct kobj *o, uint32_t rights, struct syscall_ret *r, int i)
{
	cap_handle_t h;
	status_t st = cspace_insert(&syscall_ctx()->task->cs, o, rights, 0, 0, &h);
	if (st == STATUS_OK)
		r->r[i] = h;
	return st;
}

status_t ksys_task_create(const struct syscall_args *a, struct syscall_ret *r)
{
	struct syscall_ctx *c = syscall_ctx();
	struct inbox *sup = c->cap_present[0] ? (struct inbox *)c->cap[0].obj : NULL;
	struct task *t;
	status_t st = task_create(c->task, a->a[0], a->a[1], a->a[2], sup,
				  c->cap_present[0] ? c->cap[0].badge : 0, &t);
	if (st)
		return st;
	st = give(&t->obj, RIGHTS_ALL, r, 0);
	if (st)
		task_kill(t);
	else
		witness_note(WITNESS_SPAWN, c->task->id, t->id, 0, 0);
	kobj_put(&t->obj);
	return st;
}

status_t ksys_task_grant(const struct syscall_args *a, struct syscall_ret *r)
{
	struct syscall_ctx *c = syscall_ctx();
	struct task *t = (struct task *)c->cap[0].obj;
	cap_handle_t h;
	if (t->dying)
		return STATUS_STALE;
	status_t st = cspace_derive(&c->task->cs, (cap_handle_t)a->a[1], &t->cs,
				    (uint32_t)a->a[2], a->a[3], &h);
	if (st)
		return st;
	r->r[0] = h;
	uint8_t type = c->cap[1].type;
	bool device = type == OBJ_IRQ || type == OBJ_IOPORTS || type == OBJ_MMIO;
	witness_note(device ? WITNESS_DEVICE_GRANT : WITNESS_GRANT, c->task->id, t->id, type,
		     a->a[2]);
	return STATUS_OK;
}

status_t ksys_task_kill(const struct syscall_args *a, struct syscall_ret *r)
{
	(void)a;
	(void)r;
	struct syscall_ctx *c = syscall_ctx();
	struct task *t = (struct task *)c->cap[0].obj;
	witness_note(WITNESS_KILL, c->task->id, t->id, 0, 0);
	task_kill(t);
	return STATUS_OK;
}

/* A tier the caller may give: known, and not more urgent than its own. */
static status_t tier_check(uint64_t tier)
{
	if (tier > TIER_VOID)
		return STATUS_INVALID;
	if (tier < thread_current()->se.base_tier)
		return STATUS_RANGE;
	return STATUS_OK;
}

status_t ksys_thread_create(const struct syscall_args *a, struct syscall_ret *r)
{
	struct syscall_ctx *c = syscall_ctx();
	struct task *t = (struct task *)c->cap[0].obj;
	struct thread *th;
	uint64_t online = arch_cpu_count() >= 64 ? ~0ull : (1ull << arch_cpu_count()) - 1;
	status_t st = tier_check(a->a[4]);
	if (st)
		return st;
	if (!(a->a[5] & online))
		return STATUS_INVALID;
	if (t->dying)
		return STATUS_STALE;
	st = thread_create_user(t, a->a[1], a->a[2], a->a[3], (enum sched_tier)a->a[4],
				a->a[5] & online, &th);
	if (st)
		return st;
	st = give(&th->obj, RIGHTS_ALL, r, 0);
	if (st) {
		th->task = NULL; /* never joined t: nothing to tell it */
		thread_kill(th);
		return st;
	}
	task_thread_added(t, th);
	thread_start(th);
	return STATUS_OK;
}

status_t ksys_thread_exit(const struct syscall_args *a, struct syscall_ret *r)
{
	(void)r;
	struct thread *t = thread_current();
	t->exit_code = a->a[0];
	t->sys_ctx = NULL;
	thread_exit_locked();
}

status_t ksys_thread_yield(const struct syscall_args *a, struct syscall_ret *r)
{
	(void)a;
	(void)r;
	thread_yield_locked();
	return STATUS_OK;
}

status_t ksys_thread_set_tier(const struct syscall_args *a, struct syscall_ret *r)
{
	(void)r;
	struct thread *t = (struct thread *)syscall_ctx()->cap[0].obj;
	status_t st = tier_check(a->a[1]);
	return st ? st : thread_set_tier(t, (enum sched_tier)a->a[1]);
}
