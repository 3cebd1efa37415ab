/* kernel.c - witness log, clock, debug console and statistics calls. */
#include "core/klock.h"
#include "abi/supervise.h"
#include "core/arch.h"
#include "core/console.h"
#include "core/ipc.h"
#include "core/mm/kmem.h"
#include "core/mm/reclaim.h"
#include "core/object/device.h"
#include "core/object/memory.h"
#include "core/object/witness_log.h"
#include "core/sys/syscall.h"

#define READ_CHUNK 8
#define DEBUG_MAX 4096

status_t ksys_witness_read(struct syscall_ctx *ctx, const struct cap_arg *witness, uint64_t seq,
			   uaddr_t buf, size_t len, size_t *bytes, uint64_t *next)
{
	struct witness_log *w = (struct witness_log *)witness->cap.obj;
	struct witness_record chunk[READ_CHUNK];
	size_t max = len / sizeof(struct witness_record), done = 0;
	if (max == 0)
		return STATUS_RANGE;
	if (seq < witness_oldest(w))
		seq = witness_oldest(w); /* older records are gone; the gap shows */
	while (done < max && seq < w->next_seq) {
		size_t n, want = max - done < READ_CHUNK ? max - done : READ_CHUNK;
		status_t st = witness_read(w, seq, chunk, want, &n, NULL);
		if (st)
			return st;
		if (copy_to_user(&ctx->task->vs, uaddr_add(buf, done * sizeof chunk[0]), chunk,
				 n * sizeof chunk[0]))
			return STATUS_BAD_ADDRESS;
		done += n;
		seq += n;
	}
	*bytes = done * sizeof(struct witness_record);
	*next = seq;
	return STATUS_OK;
}

status_t ksys_clock_read(struct syscall_ctx *ctx, uint64_t *ns)
{
	(void)ctx;
	*ns = arch_time_ns();
	return STATUS_OK;
}

static bool stamp_lines; /* set once at boot, before any task runs */

void console_stamp_task_lines(bool on)
{
	stamp_lines = on;
}

status_t ksys_debug_write(struct syscall_ctx *ctx, const struct cap_arg *witness, uaddr_t text,
			  size_t len)
{
	static char buf[DEBUG_MAX]; /* one writer at a time: the kernel lock is held */
	size_t start = 0;
	uint64_t now = arch_timestamp(), idle = stamp_lines ? arch_idle_ticks() : 0;
	(void)witness;
	if (len > DEBUG_MAX)
		return STATUS_RANGE;
	if (copy_from_user(&ctx->task->vs, buf, text, len))
		return STATUS_BAD_ADDRESS;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && buf[i] != '\n')
			continue;
		if ((i > start || i < len) && stamp_lines)
			kprintf("[task %lu @%lu-%lu] %.*s\n", ctx->task->id, now, idle,
				(int)(i - start), buf + start);
		else if (i > start || i < len)
			kprintf("[task %lu] %.*s\n", ctx->task->id, (int)(i - start), buf + start);
		start = i + 1;
	}
	return STATUS_OK;
}

/* Record i of the per-CPU part (zeros past the CPUs online). Lock held. */
static void cpu_record(unsigned i, uint64_t now, struct kernel_cpu_stats *r)
{
	struct thread_cpu_load l;
	*r = (struct kernel_cpu_stats){ 0 };
	if (!thread_cpu_load(i, now, &l))
		return;
	const struct sched_cpu *sc = klock_cpus[i];
	struct klock_stats k = { sc->lock_stats.acquired + sc->all_stats.acquired,
				 sc->lock_stats.contended + sc->all_stats.contended,
				 sc->lock_stats.wait + sc->all_stats.wait };
	*r = (struct kernel_cpu_stats){ .cpu = l.cpu,
					.flags = KERNEL_CPU_ONLINE |
						 (l.idle_now ? KERNEL_CPU_IDLE : 0),
					.timestamp = l.timestamp,
					.idle = l.idle,
					.busy = l.busy,
					.syscalls = l.syscalls,
					.switches = l.switches,
					.ticks = l.ticks,
					.lock_acquired = k.acquired,
					.lock_contended = k.contended,
					.lock_wait = k.wait,
					.stalled_ns = l.stalled_ns };
}

/* After the kernel-wide counters, as many per-CPU records as fit. Every
 * CPU's system calls and lock counters are added into s as its record is
 * made, so that the records add up to the totals exactly: the call holds
 * only its CPU's lock, and the other CPUs go on counting meanwhile. */
static status_t copy_cpu_records(struct syscall_ctx *ctx, uaddr_t buf, size_t len,
				 struct kernel_stats *s)
{
	size_t n = (len - sizeof(struct kernel_stats)) / sizeof(struct kernel_cpu_stats);
	uint64_t now = arch_timestamp();
	status_t st = STATUS_OK;
	for (size_t i = 0; i < KERNEL_STATS_CPUS && (i < n || i < arch_cpu_count()); i++) {
		struct kernel_cpu_stats r;
		cpu_record((unsigned)i, now, &r);
		s->syscalls += r.syscalls;
		s->lock_acquired += r.lock_acquired;
		s->lock_contended += r.lock_contended;
		s->lock_wait += r.lock_wait;
		if (i < n && st == STATUS_OK &&
		    copy_to_user(&ctx->task->vs,
				 uaddr_add(buf, sizeof(struct kernel_stats) + i * sizeof r), &r,
				 sizeof r))
			st = STATUS_BAD_ADDRESS;
	}
	return st;
}

status_t ksys_kernel_stats(struct syscall_ctx *ctx, const struct cap_arg *witness, uaddr_t buf,
			   size_t len)
{
	if (len < sizeof(struct kernel_stats))
		return STATUS_RANGE;
	/* Read with this CPU's lock alone (syscall.c); a grant-once
	 * capability's use changes the caller's CSpace. */
	if (witness->cap.flags & CAP_FLAG_ONCE) {
		status_t st = klock_need_all();
		if (st)
			return st;
	}
	struct klock_stats lk = klock_global_totals();
	struct kernel_stats s = {
		.free_pages = kmem_free_pages(),
		.total_pages = kmem_total_pages(),
		.threads = thread_count(),
		.tasks = task_count(),
		.objects = thread_records() + task_records() + memory_count() + inbox_count() +
			   device_count(),
		.reclaim_pending = reclaim_pending(),
		.witness_records = witness_log_get()->next_seq,
		.global_acquired = lk.acquired,
		.global_contended = lk.contended,
		.global_wait = lk.wait,
		.idle_ticks = arch_idle_ticks(),
		.pool_pages = kmem_pool_pages(),
	};
	/* The records first, for the totals; the counters after them. */
	status_t st = copy_cpu_records(ctx, buf, len, &s);
	if (copy_to_user(&ctx->task->vs, buf, &s, sizeof s))
		return STATUS_BAD_ADDRESS;
	return st;
}

status_t ksys_witness_append(struct syscall_ctx *ctx, const struct cap_arg *witness,
			     uint32_t action, uint64_t subject, uint64_t arg)
{
	(void)witness;
	if (action != WITNESS_RESTART && action != WITNESS_QUARANTINE)
		return STATUS_INVALID;
	witness_note((enum witness_action)action, ctx->task->id, subject, 0, arg);
	return STATUS_OK;
}
