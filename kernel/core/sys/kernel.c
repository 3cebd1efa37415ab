/* kernel.c - witness log, clock, debug console and statistics calls. */
#include "abi/supervise.h"
#include "core/arch.h"
#include "core/console.h"
#include "core/object/device.h"
#include "core/ipc.h"
#include "core/mm/kmem.h"
#include "core/object/memory.h"
#include "core/mm/reclaim.h"
#include "core/sys/syscall.h"
#include "core/object/witness_log.h"

#define READ_CHUNK 8
#define DEBUG_MAX 4096

status_t ksys_witness_read(const struct syscall_args *a, struct syscall_ret *r)
{
	struct syscall_ctx *c = syscall_ctx();
	struct witness_log *w = witness_log_get();
	struct witness_record buf[READ_CHUNK];
	uint64_t seq = a->a[1], dst = a->a[2];
	size_t max = a->a[3] / sizeof(struct witness_record), done = 0;
	if (max == 0)
		return STATUS_RANGE;
	if (seq < witness_oldest(w))
		seq = witness_oldest(w); /* older records are gone; the gap shows */
	while (done < max && seq < w->next_seq) {
		size_t n, want = max - done < READ_CHUNK ? max - done : READ_CHUNK;
		status_t st = witness_read(w, seq, buf, want, &n, NULL);
		if (st)
			return st;
		if (copy_to_user(&c->task->vs, dst + done * sizeof buf[0], buf, n * sizeof buf[0]))
			return STATUS_BAD_ADDRESS;
		done += n;
		seq += n;
	}
	r->r[0] = done * sizeof(struct witness_record);
	r->r[1] = seq;
	return STATUS_OK;
}

status_t ksys_clock_read(const struct syscall_args *a, struct syscall_ret *r)
{
	(void)a;
	r->r[0] = arch_time_ns();
	return STATUS_OK;
}

status_t ksys_debug_write(const struct syscall_args *a, struct syscall_ret *r)
{
	(void)r;
	static char text[DEBUG_MAX]; /* one writer at a time: the kernel lock is held */
	struct syscall_ctx *c = syscall_ctx();
	size_t len = a->a[2], start = 0;
	if (len > DEBUG_MAX)
		return STATUS_RANGE;
	if (copy_from_user(&c->task->vs, text, a->a[1], len))
		return STATUS_BAD_ADDRESS;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && text[i] != '\n')
			continue;
		if (i > start || i < len)
			kprintf("[task %lu] %.*s\n", c->task->id, (int)(i - start), text + start);
		start = i + 1;
	}
	return STATUS_OK;
}

status_t ksys_witness_stats(const struct syscall_args *a, struct syscall_ret *r)
{
	(void)r;
	struct syscall_ctx *c = syscall_ctx();
	if (a->a[2] < sizeof(struct kernel_stats))
		return STATUS_RANGE;
	struct kernel_stats s = {
		.free_pages = kmem_free_pages(),
		.total_pages = kmem_total_pages(),
		.threads = thread_count(),
		.tasks = task_count(),
		.objects = thread_records() + task_records() + memory_count() + ipc_object_count() +
			   device_count(),
		.reclaim_pending = reclaim_pending(),
		.witness_records = witness_log_get()->next_seq,
		.syscalls = syscall_count(),
	};
	return copy_to_user(&c->task->vs, a->a[1], &s, sizeof s) ? STATUS_BAD_ADDRESS : STATUS_OK;
}

status_t ksys_witness_append(const struct syscall_args *a, struct syscall_ret *r)
{
	(void)r;
	if (a->a[1] != WITNESS_RESTART && a->a[1] != WITNESS_QUARANTINE)
		return STATUS_INVALID;
	witness_note((enum witness_action)a->a[1], syscall_ctx()->task->id, a->a[2], 0, a->a[3]);
	return STATUS_OK;
}
