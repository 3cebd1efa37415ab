/* task.c - tasks: creation, mappings, teardown, faults (see task.h). */
#include <stddef.h>

#include "abi/supervise.h"
#include "core/list.h"
#include "core/arch.h"
#include "core/console.h"
#include "core/object/inbox.h"
#include "core/klock.h"
#include "core/mm/kmem.h"
#include "core/boot/roottask.h"
#include "core/object/memory.h"
#include "core/panic.h"
#include "core/mm/pool.h"
#include <string.h>
#include "core/object/task.h"
#include "core/object/thread.h"
#include "core/ipc.h"
#include "core/object/witness_log.h"

static struct pool task_pool;
static uint64_t next_task_id = 1;
static uint32_t tasks_alive;

void task_init(void)
{
	kmem_pool_setup(&task_pool, "task", sizeof(struct task), TASK_MAX);
}

uint32_t task_count(void)
{
	return tasks_alive;
}

uint32_t task_records(void)
{
	struct pool_stats st;
	pool_stats(&task_pool, &st);
	return (uint32_t)st.in_use;
}

struct quota *task_quota(struct task *t)
{
	return t ? &t->quota : NULL;
}

/* Frees the task's page tables and returns their charge. */
static void destroy_tables(struct task *t)
{
	vspace_destroy(&t->vs);
	quota_release(&t->quota, QUOTA_PAGES, t->tables_charged);
	t->tables_charged = 0;
}

/* Every CPU has flushed since the task's last thread ran: free its tables. */
static void release_vspace(struct reclaim_node *n)
{
	struct task *t = container_of(n, struct task, reclaim);
	destroy_tables(t);
	kobj_put(&t->obj); /* the life reference */
}

/* Capabilities, mappings, CSpace memory and I/O bitmap: all but the
 * address space's tables and the record. */
static void release_resources(struct task *t)
{
	t->dying = true;
	t->torn_down = true;
	list_del(&t->unstarted_link);
	task_unmap(t, USER_BASE, (USER_TOP - USER_BASE) / PAGE_SIZE);
	ipc_replies_clear(&t->replies);
	cspace_clear(&t->cs);
	kmem_free_run((uint64_t)t->slots - (uint64_t)arch_phys_to_virt(0), t->slots_pages);
	t->slots = NULL;
	arch_task_release(t);
	tasks_alive--;
}

/* Frees t's record: returns its limits to the parent's quota and drops
 * the reference to the parent. */
static void record_free(struct task *t)
{
	struct task *parent = t->parent;
	for (int k = 0; k < QUOTA_KINDS; k++)
		quota_release(task_quota(parent), (enum quota_kind)k, t->charged[k]);
	pool_free(&task_pool, t);
	if (parent)
		kobj_put(&parent->obj); /* its quota may go now; finished after this returns */
}

/* The last object charged to a destroyed task's quota has gone. */
static void record_drained(struct quota *q)
{
	record_free(container_of(q, struct task, quota));
}

static void task_destroy(struct kobj *o)
{
	struct task *t = container_of(o, struct task, obj);
	if (!t->torn_down) {
		/* Never ran a thread: no CPU has used its tables. */
		release_resources(t);
		if (t->supervisor)
			kobj_put(&t->supervisor->obj);
	}
	if (t->vs.root)
		destroy_tables(t);
	/* Objects charged to the task can outlive it (a thread record whose
	 * capability another task holds): their charge is returned to this
	 * record's quota, so the record is kept until the last one goes. */
	if (quota_has_objects(&t->quota))
		t->quota.drained = record_drained;
	else
		record_free(t);
}

static const struct kobj_ops task_ops = { .destroy = task_destroy };

/* Charges the new task's slot and object limits to its parent's quota;
 * all or nothing. Its page limit is not charged: pages are charged to the
 * parent as the task uses them (object.h). */
static status_t charge_parent(struct task *t, struct quota *parent, const uint64_t lim[3])
{
	for (int k = 0; k < QUOTA_KINDS; k++) {
		t->charged[k] = 0;
		if (k == QUOTA_PAGES)
			continue;
		status_t st = quota_charge(parent, (enum quota_kind)k, lim[k]);
		if (st) {
			while (k--)
				quota_release(parent, (enum quota_kind)k, lim[k]);
			return st;
		}
		t->charged[k] = lim[k];
	}
	return STATUS_OK;
}

/* CSpace slot memory, address space; undone by teardown. */
static status_t build(struct task *t, uint64_t slots)
{
	uint64_t pa;
	uint32_t nreplies = slots < REPLIES_MAX ? (uint32_t)slots : REPLIES_MAX;
	t->slots_pages = (slots * sizeof(struct cslot) + nreplies * sizeof(struct reply_entry) +
			  PAGE_SIZE - 1) /
			 PAGE_SIZE;
	if (t->slots_pages == 0)
		t->slots_pages = 1;
	/* Not zeroed: the CSpace reads only the slots it has handed out,
	 * replies_init writes every entry, and nothing reads the rest of the
	 * last page. */
	if (kmem_alloc_run_uninit(t->slots_pages, &pa))
		return STATUS_NO_MEMORY;
	t->slots = arch_phys_to_virt(pa);
	replies_init(&t->replies, (struct reply_entry *)(t->slots + slots), nreplies, &t->quota);
	status_t st = cspace_init(&t->cs, t->slots, (uint32_t)slots, &t->quota);
	if (st == STATUS_OK)
		st = vspace_create(&t->vs);
	if (st) {
		kmem_free_run(pa, t->slots_pages);
		t->slots = NULL;
	}
	return st;
}

status_t task_create(struct task *parent_task, uint64_t slots, uint64_t objects, uint64_t pages,
		     struct inbox *supervisor, uint64_t badge, struct task **out)
{
	struct quota *parent = task_quota(parent_task);
	struct task *t;
	const uint64_t lim[3] = { slots, objects, pages };
	if (slots == 0 || slots > CSPACE_MAX_SLOTS || objects == 0)
		return STATUS_INVALID;
	status_t st = pool_alloc(&task_pool, (void **)&t);
	if (st)
		return st;
	st = charge_parent(t, parent, lim);
	if (st == STATUS_OK)
		st = kobj_init(&t->obj, OBJ_TASK, &task_ops, NULL, 0);
	if (st) {
		for (int k = 0; k < QUOTA_KINDS; k++)
			quota_release(parent, (enum quota_kind)k, t->charged[k]);
		pool_free(&task_pool, t);
		return st;
	}
	/* The charge is returned to the parent's quota when this record goes,
	 * which may be after the parent's end: the record is kept till then. */
	t->parent = parent_task;
	if (parent_task)
		kobj_get(&parent_task->obj);
	quota_init(&t->quota, slots, objects, pages);
	t->quota.parent = parent;
	t->tables_charged = 0;
	list_init(&t->threads);
	list_init(&t->unstarted);
	list_init(&t->unstarted_link); /* unlinked harmlessly if build fails */
	t->id = next_task_id++;
	t->created_ns = arch_time_ns();
	t->gone_run_ns = 0;
	if ((st = build(t, slots))) {
		/* build freed what it took: nothing to release but the record
		 * (release_resources would free slots it does not have, and
		 * count a task that was never counted). */
		t->torn_down = true;
		kobj_put(&t->obj);
		return st;
	}
	if (supervisor) {
		kobj_get(&supervisor->obj);
		t->supervisor = supervisor;
		t->supervisor_badge = badge;
	}
	tasks_alive++;
	if (parent_task)
		list_add_tail(&parent_task->unstarted, &t->unstarted_link);
	*out = t;
	return STATUS_OK;
}

/* Tells the supervisor how the task ended; drops the supervisor reference. */
static void notify_supervisor(struct task *t)
{
	if (!t->supervisor)
		return;
	if (t->faulted) {
		struct task_fault_msg fm = {
			t->fault.vector, t->fault.error, t->fault.pc,
			t->fault.addr,   t->fault.sp,    t->id,
		};
		inbox_post(t->supervisor, MSG_LABEL_TASK_FAULT, t->supervisor_badge, &fm, sizeof fm,
			   CAP_HANDLE_NONE, 0);
	} else {
		struct task_exit_msg em = { t->exit_code, t->id };
		inbox_post(t->supervisor, MSG_LABEL_TASK_EXIT, t->supervisor_badge, &em, sizeof em,
			   CAP_HANDLE_NONE, 0);
	}
	ipc_inbox_notify(t->supervisor);
	kobj_put(&t->supervisor->obj);
	t->supervisor = NULL;
}

/* The last thread is gone, or the task was killed: release everything
 * but the record, and tell the supervisor. The tasks it made that never
 * started go with it: only a holder of their capability could start
 * them, and one that holds a capability to itself (granted before a
 * start that never came) would otherwise be kept by it for ever. */
static void teardown(struct task *t)
{
	kobj_get(&t->obj); /* cspace_clear may drop the last capability to t */
	release_resources(t);
	/* A child that never started has no threads: its kill tears it down
	 * at once, which may free others; take the first again each time. */
	while (!list_empty(&t->unstarted)) {
		struct task *c = container_of(t->unstarted.next, struct task, unstarted_link);
		list_del(&c->unstarted_link);
		task_kill(c);
	}
	notify_supervisor(t);
	witness_note(t->faulted ? WITNESS_FAULT : WITNESS_KILL, 0, t->id, 0,
		     t->faulted ? t->fault.vector : t->exit_code);
	kobj_kill(&t->obj);
	task_root_exited(t);
	/* Tables of a task that ran go once no CPU can walk them. */
	if (t->started)
		reclaim_defer(&t->reclaim, release_vspace);
	kobj_put(&t->obj);
}

void task_thread_added(struct task *t, struct thread *th)
{
	list_add_tail(&t->threads, &th->task_link);
	t->nthreads++;
	th->stop_pending = t->stopped; /* it waits before its first instruction */
	if (!t->started) {
		t->started = true;
		list_del(&t->unstarted_link); /* its creator's end no longer takes it */
		kobj_get(&t->obj);            /* the life reference, dropped by release_vspace */
	}
}

void task_stop(struct task *t, bool stop)
{
	t->stopped = stop;
	for (struct list_node *n = t->threads.next; n != &t->threads; n = n->next) {
		struct thread *th = container_of(n, struct thread, task_link);
		th->stop_pending = stop;
		if (!stop && th->stopped)
			thread_wake(th);
		else if (stop && th->se.state == SCHED_RUNNING && th != thread_current() &&
			 !th->parked && th->se.last_cpu >= 0)
			arch_kick_cpu((unsigned)th->se.last_cpu); /* in user mode, maybe */
	}
}

void task_describe(const struct task *t, struct task_info *out)
{
	uint64_t run = t->gone_run_ns;
	for (const struct list_node *n = t->threads.next; n != &t->threads; n = n->next)
		run += container_of(n, struct thread, task_link)->se.stats.run_ns;
	*out = (struct task_info){
		.id = t->id,
		.threads = t->nthreads,
		.pages = t->quota.used[QUOTA_PAGES],
		.slots = t->quota.used[QUOTA_SLOTS],
		.objects = t->quota.used[QUOTA_OBJECTS],
		.run_ns = run,
		.created_ns = t->created_ns,
		.flags = (t->dying ? TASK_INFO_DYING : 0) | (t->stopped ? TASK_INFO_STOPPED : 0),
	};
}

void task_thread_gone(struct thread *th)
{
	struct task *t = th->task;
	list_del(&th->task_link);
	t->nthreads--;
	t->gone_run_ns += th->se.stats.run_ns;
	if (!t->faulted && !t->exit_set)
		t->exit_code = th->exit_code;
	if (t->nthreads == 0 && !t->torn_down)
		teardown(t);
}

void task_kill(struct task *t)
{
	if (t->dying)
		return;
	t->dying = true;
	if (t->nthreads == 0) {
		teardown(t);
		return;
	}
	struct list_node *n = t->threads.next;
	while (n != &t->threads) {
		struct thread *th = container_of(n, struct thread, task_link);
		n = n->next;
		thread_kill(th); /* may unlink th, and tear t down with the last */
	}
}

void task_fault(uint32_t vector, uint32_t error, uint64_t pc, uint64_t addr, uint64_t sp)
{
	klock();
	struct thread *th = thread_current();
	struct task *t = th->task;
	if (!t->faulted) {
		t->faulted = true;
		t->fault.vector = vector;
		t->fault.error = error;
		t->fault.pc = pc;
		t->fault.addr = addr;
		t->fault.sp = sp;
	}
	task_kill(t);
	thread_exit_locked();
}

/* Finds a free mapping record. */
static struct mapping *map_slot(struct task *t)
{
	for (int i = 0; i < TASK_MAX_MAPPINGS; i++)
		if (!t->maps[i].used)
			return &t->maps[i];
	return NULL;
}

/* Unmaps pages at va. This CPU's translations go at once; the task's
 * threads running on other CPUs may hold some too: the epoch bump makes
 * every CPU reload its address space at its next pass (a tick at most),
 * whether or not anything is freed (core/mm/reclaim.h). */
static void unmap_pages(struct task *t, uint64_t va, uint64_t pages)
{
	vspace_unmap(&t->vs, va, pages);
	arch_tlb_epoch_bump();
}

status_t task_map(struct task *t, uint64_t va, struct kobj *mem, uint64_t first, uint64_t pages,
		  uint32_t prot)
{
	struct memory *m = (struct memory *)mem;
	struct mapping *mp = map_slot(t);
	if (!mp)
		return STATUS_FULL;
	if (m->kind == MEM_DEVICE)
		prot |= VM_DEVICE;
	/* Page tables are the task's own: made only as far as its page quota
	 * goes, and charged to it. */
	uint64_t tables = t->vs.table_pages, done;
	const uint64_t *frames = m->kind == MEM_PAGES ? &m->frames[first] : NULL;
	status_t st = vspace_map_run(&t->vs, va, pages, frames, frames ? 0 : memory_page(m, first),
				     prot, quota_room(&t->quota, QUOTA_PAGES), &done);
	uint64_t made = t->vs.table_pages - tables;
	if (made && quota_charge(&t->quota, QUOTA_PAGES, made) == STATUS_OK)
		t->tables_charged += made;
	else if (made)
		panic("task %lu: %lu page-table pages within its quota room failed to charge",
		      t->id, made);
	if (st) {
		unmap_pages(t, va, done);
		return st;
	}
	*mp = (struct mapping){ va, pages, first, mem, prot, true };
	kobj_get(mem);
	return STATUS_OK;
}

/* Whether mapping mp covers va. */
static bool covers(const struct mapping *mp, uint64_t va)
{
	return mp->used && va >= mp->va && (va - mp->va) / PAGE_SIZE < mp->pages;
}

/* The mappings change only under every lock, so they hold still here. */
uint64_t vspace_fill_page(struct vspace *vs, uint64_t va)
{
	struct task *t = container_of(vs, struct task, vs);
	for (int i = 0; i < TASK_MAX_MAPPINGS; i++) {
		const struct mapping *mp = &t->maps[i];
		if (covers(mp, va))
			return memory_page_fill((struct memory *)mp->mem,
						mp->first + (va - mp->va) / PAGE_SIZE);
	}
	return 0;
}

/* Removes [lo, hi) from mapping mp, splitting it when the hole is inside. */
static status_t cut(struct task *t, struct mapping *mp, uint64_t lo, uint64_t hi)
{
	uint64_t end = mp->va + mp->pages * PAGE_SIZE;
	lo = lo > mp->va ? lo : mp->va;
	hi = hi < end ? hi : end;
	if (lo > mp->va && hi < end) {
		struct mapping *tail = map_slot(t);
		if (!tail)
			return STATUS_FULL;
		*tail = *mp;
		tail->va = hi;
		tail->first += (hi - mp->va) / PAGE_SIZE;
		tail->pages = (end - hi) / PAGE_SIZE;
		kobj_get(mp->mem);
	}
	unmap_pages(t, lo, (hi - lo) / PAGE_SIZE);
	if (lo == mp->va && hi == end) {
		mp->used = false;
		kobj_put(mp->mem);
	} else if (lo == mp->va) {
		mp->first += (hi - mp->va) / PAGE_SIZE;
		mp->pages = (end - hi) / PAGE_SIZE;
		mp->va = hi;
	} else {
		mp->pages = (lo - mp->va) / PAGE_SIZE;
	}
	return STATUS_OK;
}

status_t task_unmap(struct task *t, uint64_t va, uint64_t pages)
{
	uint64_t hi = va + pages * PAGE_SIZE;
	if (va & (PAGE_SIZE - 1) || va < USER_BASE || hi > USER_TOP || hi < va)
		return STATUS_BAD_ADDRESS;
	for (int i = 0; i < TASK_MAX_MAPPINGS; i++) {
		struct mapping *mp = &t->maps[i];
		if (!mp->used || mp->va >= hi || mp->va + mp->pages * PAGE_SIZE <= va)
			continue;
		status_t st = cut(t, mp, va, hi);
		if (st)
			return st;
	}
	return STATUS_OK;
}
