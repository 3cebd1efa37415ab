/*
 * supervise.h - the messages the kernel sends to a task's supervisor inbox,
 * and the kernel statistics a witness holder can read.
 *
 * When a task's thread faults (page fault outside a mapping, protection
 * fault, invalid opcode, divide error, ...) the kernel stops the whole
 * task and posts MSG_LABEL_TASK_FAULT; when its last thread exits it posts
 * MSG_LABEL_TASK_EXIT. The message's badge is the badge of the supervisor
 * capability given to sys_task_create, so a supervisor that derives one
 * badged capability per child knows which child it was. The full register
 * dump goes to the kernel console; the message carries the cause.
 */
#ifndef KEEL_ABI_SUPERVISE_H
#define KEEL_ABI_SUPERVISE_H

#include <stdint.h>

#define MSG_LABEL_TASK_FAULT 0xfa170001u
#define MSG_LABEL_TASK_EXIT 0xfa170002u

/* Payload of MSG_LABEL_TASK_FAULT (40 bytes). */
struct task_fault_msg {
	uint32_t vector;  /* CPU exception: 0 divide, 6 invalid opcode, 13 GP, 14 page fault, ... */
	uint32_t error;   /* the CPU's error code, 0 if none */
	uint64_t pc;      /* the faulting instruction (rip on x86-64) */
	uint64_t addr;    /* page faults: the address touched (CR2) */
	uint64_t sp;      /* the stack pointer (rsp) */
	uint64_t task_id; /* kernel id of the task, as in console reports */
};

/* Payload of MSG_LABEL_TASK_EXIT (16 bytes). */
struct task_exit_msg {
	uint64_t code; /* sys_thread_exit argument of the last thread */
	uint64_t task_id;
};

_Static_assert(sizeof(struct task_fault_msg) == 40, "fits a message payload");
_Static_assert(sizeof(struct task_exit_msg) == 16, "fits a message payload");

/* What sys_task_info copies out: one task as the kernel keeps it. */
#define TASK_INFO_DYING 0x1u   /* task_info.flags: killed or exiting */
#define TASK_INFO_STOPPED 0x2u /* stopped by sys_task_stop */
struct task_info {
	uint64_t id;         /* kernel id, as in console reports and supervisor messages */
	uint64_t threads;    /* threads alive */
	uint64_t pages;      /* pages charged: its objects' (made or promised) and page
			      * tables, and those of the tasks it made */
	uint64_t slots;      /* CSpace slots occupied */
	uint64_t objects;    /* kernel objects charged to it */
	uint64_t run_ns;     /* time its threads have run, ended ones included */
	uint64_t created_ns; /* when it was made, on sys_clock_read's clock */
	uint64_t flags;      /* TASK_INFO_* */
};

/* What sys_kernel_stats copies out first: kernel-wide counters that tests
 * use to prove that work leaves no residue. */
struct kernel_stats {
	uint64_t free_pages;       /* page allocator: free now */
	uint64_t total_pages;      /* page allocator: managed */
	uint64_t threads;          /* threads alive */
	uint64_t tasks;            /* tasks alive */
	uint64_t objects;          /* kernel objects alive, of every type */
	uint64_t reclaim_pending;  /* frees waiting for every CPU's TLB flush */
	uint64_t witness_records;  /* records appended since boot */
	uint64_t syscalls;         /* system calls served since boot */
	uint64_t lock_acquired;    /* kernel locks: acquisitions since boot, all CPUs
				   * (the sum of the per-CPU records) */
	uint64_t lock_contended;   /* of those, the ones that found a lock held */
	uint64_t lock_wait;        /* timestamp ticks spent waiting for them
				   * (instructions under QEMU -icount), all CPUs */
	uint64_t idle_ticks;       /* timestamp ticks CPUs spent halted in the idle
				   * loop, all CPUs (under QEMU -icount the clock
				   * skips ahead then: not instructions) */
	uint64_t pool_pages;       /* pages the kernel's object pools hold; they
				   * grow and shrink with the objects, so work
				   * that leaves no residue restores
				   * free_pages + pool_pages */
	uint64_t global_acquired;  /* of lock_acquired, those of the global kind:
				   * every CPU's lock at once (docs/kernel.md) */
	uint64_t global_contended; /* of those, the ones that found a lock held */
	uint64_t global_wait;      /* ticks spent waiting in those */
};

/*
 * One CPU's load. A buffer longer than struct kernel_stats receives, right
 * after it, one record per whole struct kernel_cpu_stats that fits, up to
 * KERNEL_STATS_CPUS: CPU i's in record i for every CPU online, zeros
 * (flags 0) in the records after the last CPU. Bytes past the last whole
 * record, or past KERNEL_STATS_CPUS records, are left alone.
 *
 * Time is in timestamp ticks (the TSC on x86-64; under QEMU -icount one
 * tick per guest instruction of the whole machine - with several CPUs,
 * QEMU runs them in turn on one instruction clock). A CPU is idle while
 * its idle thread is its current thread: from the switch to it to the
 * switch away from it, which covers the idle loop, the time halted
 * (which -icount sleep=off skips to the next timer) and interrupts taken
 * while halted until one switches to another thread. Every other tick
 * since the CPU came online is busy: user code, system calls, interrupts
 * and switches on behalf of a thread. idle + busy = timestamp - the
 * moment the CPU came online. Load over an interval is
 * delta(busy) / (delta(busy) + delta(idle)).
 */
#define KERNEL_STATS_CPUS 64
#define KERNEL_CPU_ONLINE 1u            /* flags: the record describes a CPU */
#define KERNEL_CPU_IDLE 2u              /* flags: it runs its idle thread right now */
#define KERNEL_STALL_MIN_NS 20000000ull /* stalled_ns: the shortest gap counted */

struct kernel_cpu_stats {
	uint32_t cpu;            /* index, as in sys_thread_create affinity masks */
	uint32_t flags;          /* KERNEL_CPU_* */
	uint64_t timestamp;      /* when the record was read (the reading CPU's clock) */
	uint64_t idle;           /* ticks idle since the CPU came online, to timestamp */
	uint64_t busy;           /* ticks busy since then, to timestamp */
	uint64_t syscalls;       /* system calls entered on this CPU */
	uint64_t switches;       /* context switches */
	uint64_t ticks;          /* timer interrupts */
	uint64_t lock_acquired;  /* kernel locks taken on this CPU: every CPU's at
				  * once (global), its own, or another CPU's for
				  * cross-CPU IPC, each counted once */
	uint64_t lock_contended; /* of those, found held */
	uint64_t lock_wait;      /* ticks this CPU spent waiting for them */
	uint64_t stalled_ns;     /* nanoseconds this CPU stood still: the time it
				  * took no timer tick (1 ms) in gaps of
				  * KERNEL_STALL_MIN_NS or more, less the first
				  * ms of each, a gap still open included - the
				  * host did not run the CPU (a paused or busy
				  * emulator, a suspended host) or interrupts
				  * stayed off. Time-outs that run meanwhile
				  * measure time nothing could use. */
};

_Static_assert(sizeof(struct kernel_stats) % 8 == 0, "the records after it stay aligned");
_Static_assert(sizeof(struct kernel_cpu_stats) == 88, "ABI size");

#endif
