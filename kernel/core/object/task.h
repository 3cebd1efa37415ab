/*
 * task.h - tasks: an address space, a CSpace, a quota and threads.
 *
 * A task is a kernel object (OBJ_TASK). It lives while it has threads;
 * when the last one exits, or the task is killed or faults, it is torn
 * down: its capabilities are deleted, its mappings dropped, its address
 * space freed once no CPU can still use it, and its supervisor (an inbox
 * given at creation) receives an exit or fault message. The record itself
 * stays until the last capability to it is gone. All calls: lock held.
 */
#ifndef KEEL_CORE_TASK_H
#define KEEL_CORE_TASK_H

#include <stdbool.h>
#include <stdint.h>

#include "abi/status.h"
#include "abi/supervise.h"
#include "core/arch.h"
#include "core/object/cspace.h"
#include "core/list.h"
#include "core/object/object.h"
#include "core/object/replies.h"
#include "core/mm/reclaim.h"
#include "core/mm/vspace.h"

#define TASK_MAX 512
#define TASK_MAX_MAPPINGS 64

struct memory;
struct inbox;
struct thread;

/* One run of pages of a memory object mapped at va. Holds a reference. */
struct mapping {
	uint64_t va;
	uint64_t pages;
	uint64_t first;   /* index of the first page in the object */
	struct kobj *mem; /* OBJ_MEMORY or OBJ_MMIO */
	uint32_t prot;
	bool used;
};

struct task {
	struct kobj obj;
	uint64_t id;
	bool dying;     /* killed or exiting: no new threads or mappings */
	bool started;   /* a thread was added: holds the life reference */
	bool torn_down; /* capabilities, mappings and slots released */
	bool stopped;   /* task_stop: its threads wait at their return to user mode */
	struct vspace vs;
	struct cspace cs;
	struct cslot *slots;
	uint64_t slots_pages;          /* the slots, then the reply entries */
	struct replies replies;        /* the calls it holds unanswered */
	struct quota quota;            /* what the task and its objects may use */
	struct task *parent;           /* its quota pays for the slot and object
					 * limits and for the pages used; a
					 * reference, NULL for the root task */
	uint64_t charged[QUOTA_KINDS]; /* taken from the parent's quota */
	uint64_t tables_charged;       /* page-table pages charged to quota */
	struct list_node threads;
	uint32_t nthreads;
	uint64_t created_ns;      /* arch_time_ns() at its creation */
	uint64_t gone_run_ns;     /* run time of its threads that have ended */
	struct inbox *supervisor; /* holds a reference, or NULL */
	uint64_t supervisor_badge;
	uint64_t exit_code;
	bool exit_set; /* it killed itself: exit_code is what it asked for */
	bool faulted;
	struct task_fault_info { /* what the CPU reported, as in task_fault_msg */
		uint32_t vector, error;
		uint64_t pc, addr, sp;
	} fault;
	struct mapping maps[TASK_MAX_MAPPINGS];
	struct arch_task arch; /* the architecture's state (arch_types.h) */
	struct reclaim_node reclaim;
	struct list_node unstarted;      /* the tasks it made that never started */
	struct list_node unstarted_link; /* on its creator's unstarted while so */
};

/* Sets up the task pool. */
void task_init(void);

/* Creates a task with the given limits, charged to parent's quota (NULL:
 * the kernel's); the new task keeps a reference to parent's record until
 * its own goes, so the charge can be returned after parent has ended.
 * supervisor may be NULL. */
status_t task_create(struct task *parent, uint64_t slots, uint64_t objects, uint64_t pages,
		     struct inbox *supervisor, uint64_t badge, struct task **out);

/* The quota account of a task's own objects. */
struct quota *task_quota(struct task *t);

/* Kills every thread of t (a running one exits at its next kernel exit)
 * and tears t down when the last is gone. */
void task_kill(struct task *t);

/* Stops t (stop) or continues it. A stopped task's threads wait at their
 * next return to user mode - a running one is interrupted to reach it, a
 * blocked one reaches it when its wait ends - until it is continued or
 * killed; threads made meanwhile wait before their first instruction.
 * The caller holds every lock. */
void task_stop(struct task *t, bool stop);

/* The calling thread faulted in user mode: record the cause, kill its
 * task; never returns. */
__attribute__((noreturn)) void task_fault(uint32_t vector, uint32_t error, uint64_t pc,
					  uint64_t addr, uint64_t sp);

/* Maps pages [first, first+pages) of mem at va with prot (VM_*). */
status_t task_map(struct task *t, uint64_t va, struct kobj *mem, uint64_t first, uint64_t pages,
		  uint32_t prot);

/* Unmaps every mapped page in [va, va + pages * 4096). */
status_t task_unmap(struct task *t, uint64_t va, uint64_t pages);

/* Tasks alive (not yet torn down). */
uint32_t task_count(void);

/* Called by the scheduler when a thread of t is gone for good. */
void task_thread_gone(struct thread *th);

/* What sys_task_info tells of t (abi/supervise.h). Every lock held. */
void task_describe(const struct task *t, struct task_info *out);

/* Adds a created thread to t (before it starts). */
void task_thread_added(struct task *t, struct thread *th);

/* Task records not yet freed (alive, or held by a capability). */
uint32_t task_records(void);

#endif
