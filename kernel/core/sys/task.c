/* task.c - task and thread system calls. */
#include "core/arch.h"
#include "core/object/witness_log.h"
#include "core/sys/syscall.h"

status_t ksys_task_create(struct syscall_ctx *ctx, uint64_t slots, uint64_t objects, uint64_t pages,
			  const struct cap_arg *supervisor, cap_handle_t *task)
{
	struct inbox *sup = supervisor->present ? (struct inbox *)supervisor->cap.obj : NULL;
	struct task *t;
	status_t st = task_create(ctx->task, slots, objects, pages, sup,
				  supervisor->present ? supervisor->cap.badge : 0, &t);
	if (st)
		return st == STATUS_NO_MEMORY ? syscall_no_memory(ctx) : st;
	st = cspace_insert(&ctx->task->cs, &t->obj, RIGHTS_ALL, 0, 0, task);
	if (st)
		task_kill(t);
	else
		witness_note(WITNESS_SPAWN, ctx->task->id, t->id, 0, 0);
	kobj_put(&t->obj);
	return st;
}

status_t ksys_task_grant(struct syscall_ctx *ctx, const struct cap_arg *task,
			 const struct cap_arg *cap, uint32_t rights, uint64_t badge,
			 cap_handle_t *given)
{
	struct task *t = (struct task *)task->cap.obj;
	if (t->dying)
		return STATUS_STALE;
	status_t st = cspace_derive(&ctx->task->cs, cap->handle, &t->cs, rights, badge, given);
	if (st)
		return st;
	uint8_t type = cap->cap.type;
	witness_note(obj_is_device(type) ? WITNESS_DEVICE_GRANT : WITNESS_GRANT, ctx->task->id,
		     t->id, type, rights);
	return STATUS_OK;
}

status_t ksys_task_kill(struct syscall_ctx *ctx, const struct cap_arg *task, uint64_t code)
{
	struct task *t = (struct task *)task->cap.obj;
	if (t != ctx->task && code)
		return STATUS_INVALID;
	if (t == ctx->task && !t->dying) {
		t->exit_code = code;
		t->exit_set = true;
	}
	witness_note(WITNESS_KILL, ctx->task->id, t->id, 0, 0);
	task_kill(t);
	return STATUS_OK;
}

status_t ksys_task_stop(struct syscall_ctx *ctx, const struct cap_arg *task, uint32_t stop)
{
	(void)ctx;
	if (stop > 1)
		return STATUS_INVALID;
	task_stop((struct task *)task->cap.obj, stop);
	return STATUS_OK;
}

/* A tier the caller may give: known, and not more urgent than its own. */
static status_t tier_check(struct syscall_ctx *ctx, uint32_t tier)
{
	if (tier > TIER_VOID)
		return STATUS_INVALID;
	if (tier < ctx->thread->se.base_tier)
		return STATUS_RANGE;
	return STATUS_OK;
}

status_t ksys_thread_create(struct syscall_ctx *ctx, const struct cap_arg *task, uint64_t entry,
			    uint64_t stack, uint64_t arg, uint32_t tier, uint64_t affinity,
			    cap_handle_t *thread)
{
	struct task *t = (struct task *)task->cap.obj;
	struct thread *th;
	uint64_t online = arch_cpu_count() >= 64 ? ~0ull : (1ull << arch_cpu_count()) - 1;
	status_t st = tier_check(ctx, tier);
	if (st)
		return st;
	if (!(affinity & online))
		return STATUS_INVALID;
	if (t->dying)
		return STATUS_STALE;
	st = thread_create_user(t, entry, stack, arg, (enum sched_tier)tier, affinity & online,
				&th);
	if (st)
		return st == STATUS_NO_MEMORY ? syscall_no_memory(ctx) : st;
	st = cspace_insert(&ctx->task->cs, &th->obj, RIGHTS_ALL, 0, 0, thread);
	if (st) {
		thread_kill(th); /* never started: its record and reply go now */
		return st;
	}
	task_thread_added(t, th);
	thread_start(th);
	return STATUS_OK;
}

void ksys_thread_exit(struct syscall_ctx *ctx, uint64_t code)
{
	ctx->thread->exit_code = code;
	thread_exit_locked();
}

status_t ksys_thread_yield(struct syscall_ctx *ctx)
{
	(void)ctx;
	thread_yield_locked();
	return STATUS_OK;
}

status_t ksys_thread_set_tier(struct syscall_ctx *ctx, const struct cap_arg *thread, uint32_t tier)
{
	status_t st = tier_check(ctx, tier);
	return st ? st : thread_set_tier((struct thread *)thread->cap.obj, (enum sched_tier)tier);
}

status_t ksys_task_info(struct syscall_ctx *ctx, const struct cap_arg *task, uaddr_t buf,
			size_t len)
{
	struct task_info info;
	if (len < sizeof info)
		return STATUS_RANGE;
	task_describe((struct task *)task->cap.obj, &info);
	return copy_to_user(&ctx->task->vs, buf, &info, sizeof info) ? STATUS_BAD_ADDRESS
								     : STATUS_OK;
}
