/* msg.c - inbox, message and signal system calls. */
#include "core/ipc.h"
#include "core/sys/syscall.h"

status_t ksys_inbox_create(const struct syscall_args *a, struct syscall_ret *r)
{
	struct syscall_ctx *c = syscall_ctx();
	struct kinbox *k;
	struct memory *ring;
	cap_handle_t ih, rh;
	status_t st = ipc_inbox_create((uint32_t)a->a[0], (uint32_t)a->a[1], &k, &ring);
	if (st)
		return st;
	st = cspace_insert(&c->task->cs, &k->ib.obj, RIGHTS_ALL, 0, 0, &ih);
	if (st == STATUS_OK) {
		st = cspace_insert(&c->task->cs, &ring->obj,
				   RIGHT_READ | RIGHT_WRITE | RIGHT_MAP | RIGHT_GRANT, 0, 0, &rh);
		if (st)
			cspace_delete(&c->task->cs, ih);
	}
	if (st)
		inbox_kill(&k->ib);
	kobj_put(&k->ib.obj);
	kobj_put(&ring->obj);
	if (st == STATUS_OK) {
		r->r[0] = ih;
		r->r[1] = rh;
	}
	return st;
}

/* A transfer mode is checked only when a capability is attached. */
static status_t mode_check(uint64_t cap, uint64_t mode)
{
	return cap != CAP_HANDLE_NONE && mode >= CAP_MODE_COUNT ? STATUS_INVALID : STATUS_OK;
}

status_t ksys_msg_send(const struct syscall_args *a, struct syscall_ret *r)
{
	(void)r;
	status_t st = mode_check(a->a[2], a->a[3]);
	return st ? st : ipc_send(&syscall_ctx()->cap[0], (cap_handle_t)a->a[0], a->a[1],
				  (cap_handle_t)a->a[2], (uint32_t)a->a[3]);
}

status_t ksys_msg_call(const struct syscall_args *a, struct syscall_ret *r)
{
	(void)r;
	return ipc_call(&syscall_ctx()->cap[0], (cap_handle_t)a->a[0], a->a[1], a->a[2]);
}

status_t ksys_msg_reply(const struct syscall_args *a, struct syscall_ret *r)
{
	(void)r;
	status_t st = mode_check(a->a[2], a->a[3]);
	return st ? st : ipc_reply(&syscall_ctx()->cap[0], (cap_handle_t)a->a[0], a->a[1],
				   (cap_handle_t)a->a[2], (uint32_t)a->a[3]);
}

status_t ksys_msg_reply_wait(const struct syscall_args *a, struct syscall_ret *r)
{
	uint64_t pending;
	status_t st = mode_check(a->a[2], a->a[3]);
	if (st == STATUS_OK)
		st = ipc_reply_wait(&syscall_ctx()->cap[0], (cap_handle_t)a->a[0], a->a[1],
				    (cap_handle_t)a->a[2], (uint32_t)a->a[3], a->a[4], a->a[5],
				    &pending);
	if (st == STATUS_OK)
		r->r[0] = pending;
	return st;
}

status_t ksys_signal_wait(const struct syscall_args *a, struct syscall_ret *r)
{
	uint64_t pending;
	status_t st = ipc_signal_wait(a->a[0], a->a[1], &pending);
	if (st == STATUS_OK)
		r->r[0] = pending;
	return st;
}

status_t ksys_timer_set(const struct syscall_args *a, struct syscall_ret *r)
{
	(void)r;
	return ipc_timer_set(thread_current(), (uint32_t)a->a[0], a->a[1]);
}

status_t ksys_signal_raise(const struct syscall_args *a, struct syscall_ret *r)
{
	(void)r;
	const struct cap *c = &syscall_ctx()->cap[0];
	uint64_t bits = a->a[1];
	if (!bits)
		return STATUS_INVALID;
	if (c->badge && (bits & ~c->badge))
		return STATUS_NO_RIGHTS;
	ipc_signal_raise((struct thread *)c->obj, bits);
	return STATUS_OK;
}
