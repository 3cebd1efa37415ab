/*
 * launch.c - the launch protocol's client (see keel/launch.h and
 * docs/launch.md). The argument block is launch_block.c's.
 */
#include "keel/launch.h"

#include "keel/loop.h"
#include "keel/map.h"

/* A call to initd: the reply replaces *m; a LOOP_REPLY_ERROR becomes its
 * status, any other label than LAUNCH_REPLY is BAD_FORMAT. */
static status_t call(cap_handle_t launch, struct keel_msg *m)
{
	status_t st = sys_msg_call(launch, m, TIMEOUT_FOREVER);
	uint32_t label;
	status_t why;
	if (st)
		return st;
	if (loop_error_parse(m, &why, &label) == STATUS_OK)
		return why;
	return m->label == LAUNCH_REPLY ? STATUS_OK : STATUS_BAD_FORMAT;
}

/* A message of label with the u32 words a and b as payload. */
static struct keel_msg words(uint32_t label, uint32_t a, uint32_t b)
{
	struct keel_msg m = { .label = label, .len = 8 };
	memcpy(m.payload, &a, 4);
	memcpy(m.payload + 4, &b, 4);
	return m;
}

status_t launch_block_memory(char *const *argv, char *const *envp, const char *cwd,
			     const char *devices, cap_handle_t *mem, size_t *len)
{
	void *at;
	*len = launch_block_build(NULL, 0, argv, envp, cwd, devices);
	uint64_t pages = (*len + KEEL_PAGE_SIZE - 1) / KEEL_PAGE_SIZE;
	if (*len == 0)
		return STATUS_RANGE;
	status_t st = sys_memory_create(pages, 0, mem);
	if (st)
		return st;
	st = keel_map(*mem, 0, pages, RIGHT_READ | RIGHT_WRITE, &at);
	if (st) {
		sys_cap_delete(*mem);
		return st;
	}
	launch_block_build(at, *len, argv, envp, cwd, devices);
	keel_unmap(at, pages);
	return STATUS_OK;
}

/* Makes the argument block in a new memory object and sends it (moved). */
static status_t send_block(cap_handle_t launch, uint32_t id, const struct launch_req *req)
{
	cap_handle_t mem;
	size_t len;
	status_t st = launch_block_memory(req->argv, req->envp, req->cwd, req->devices, &mem, &len);
	if (st)
		return st;
	struct keel_msg m = words(LAUNCH_ARGS, id, (uint32_t)len);
	st = sys_msg_send(launch, &m, mem, CAP_COPY);
	sys_cap_delete(mem);
	return st;
}

/* Sends one named capability (copied). */
static status_t send_cap(cap_handle_t launch, uint32_t id, const char *name, cap_handle_t cap)
{
	struct keel_msg m = { .label = LAUNCH_CAP, .len = 4 + LAUNCH_CAP_NAME_MAX + 1 };
	size_t k = strlen(name);
	if (k == 0 || k > LAUNCH_CAP_NAME_MAX)
		return STATUS_INVALID;
	memcpy(m.payload, &id, 4);
	memcpy(m.payload + 4, name, k);
	return sys_msg_send(launch, &m, cap, CAP_COPY);
}

status_t launch_start(cap_handle_t launch, const struct launch_req *req, uint32_t *id)
{
	return launch_start_job(launch, req, 0, id, NULL);
}

status_t launch_start_job(cap_handle_t launch, const struct launch_req *req, uint32_t flags,
			  uint32_t *id, uint32_t *task)
{
	struct keel_msg m = { .label = LAUNCH_NEW, .len = LAUNCH_PROGRAM_MAX + 1 };
	size_t k = req->program ? strlen(req->program) : 0;
	if (k == 0 || k > LAUNCH_PROGRAM_MAX || req->cap_count > LAUNCH_CAPS_MAX)
		return STATUS_INVALID;
	memcpy(m.payload, req->program, k);
	status_t st = call(launch, &m);
	if (st)
		return st;
	uint32_t got;
	memcpy(&got, m.payload, 4);
	st = send_block(launch, got, req);
	for (uint32_t i = 0; st == STATUS_OK && i < req->cap_count; i++)
		if (req->caps[i] != CAP_HANDLE_NONE)
			st = send_cap(launch, got, req->names[i], req->caps[i]);
	if (st == STATUS_OK) {
		m = words(LAUNCH_GO, got, flags);
		st = call(launch, &m);
	}
	if (st) {
		launch_kill(launch, got);
		return st;
	}
	*id = got;
	if (task) /* LAUNCH_GO's answer: u32 id, u32 caps passed, u32 task id */
		memcpy(task, m.payload + 8, 4);
	return STATUS_OK;
}

status_t launch_wait(cap_handle_t launch, uint32_t id, uint32_t flags, struct launch_status *out)
{
	struct keel_msg m = words(LAUNCH_WAIT, id, flags);
	status_t st = call(launch, &m);
	if (st == STATUS_OK)
		memcpy(out, m.payload, sizeof *out);
	return st;
}

status_t launch_job(cap_handle_t launch, uint32_t id, uint32_t flags)
{
	struct keel_msg m = words(LAUNCH_JOB, id, flags);
	return call(launch, &m);
}

status_t launch_kill(cap_handle_t launch, uint32_t id)
{
	struct keel_msg m = words(LAUNCH_KILL, id, 0);
	return call(launch, &m);
}

status_t launch_stop(cap_handle_t launch, uint32_t id, bool stop)
{
	struct keel_msg m = words(LAUNCH_STOP, id, stop);
	return call(launch, &m);
}

status_t launch_root_renew(cap_handle_t launch, cap_handle_t *root)
{
	struct keel_msg m = { .label = LAUNCH_ROOT };
	status_t st = call(launch, &m);
	if (st == STATUS_OK && !(m.flags & MSG_FLAG_CAP))
		st = STATUS_BAD_FORMAT;
	if (st == STATUS_OK)
		*root = m.cap;
	return st;
}

status_t launch_shutdown(cap_handle_t power)
{
	struct keel_msg m = { .label = INITD_SHUTDOWN };
	return call(power, &m);
}

status_t launch_reboot(cap_handle_t power)
{
	struct keel_msg m = words(INITD_SHUTDOWN, INITD_SHUTDOWN_RESET, 0);
	m.len = 4;
	return call(power, &m);
}
