/*
 * thread.c - threads for musl: __clone on sys_thread_create, thread ids,
 * the clear-on-exit word pthread_join waits on, and futex.
 *
 * A thread musl creates runs in the same task (CLONE_VM and CLONE_THREAD
 * are required; anything fork-like is ENOSYS). Its first instructions
 * (keel_thread_start, thread_exit.S) set its FS base to the TLS block
 * musl prepared and call fn(arg). Thread ids are small numbers counted
 * from 1 (the first thread), never reused within a task.
 *
 * futex: FUTEX_WAIT and FUTEX_WAKE are the kernel's sys_futex_wait and
 * sys_futex_wake; FUTEX_REQUEUE wakes instead of moving (below); musl uses
 * no bitsets and no priority inheritance.
 */
#include <errno.h>
#include <sched.h>
#include <time.h>

#include "backend.h"
#include "keel/sys.h"

#define FUTEX_CMD_MASK 0x7f /* without FUTEX_PRIVATE_FLAG and CLOCK_REALTIME */

struct thread_boot {
	int (*fn)(void *);
	void *arg;
	void *tls;
	int *ctid;
	int tid;
	cap_handle_t self; /* the thread's own handle, once created (a futex word) */
};

static int next_tid = 1;
static int threads_alive = 1; /* the first thread, and every __keel_clone since */
static _Thread_local int my_tid = 1;
static _Thread_local int *clear_tid;
static _Thread_local cap_handle_t my_handle;

long keel_sys_gettid(const long a[6])
{
	(void)a;
	return my_tid;
}

long keel_sys_set_tid_address(const long a[6])
{
	clear_tid = (int *)a[0];
	return my_tid;
}

static long keel_futex_wake_n(uint64_t addr, uint64_t n)
{
	uint64_t woken;
	status_t st = sys_futex_wake(addr, n > 0x7fffffff ? 0x7fffffff : (uint32_t)n, &woken);
	return st ? -keel_errno(st) : (long)woken;
}

/* futex(addr, op, val, timeout): FUTEX_WAIT and FUTEX_WAKE on the
 * kernel's sys_futex_wait/wake (private and shared alike: the kernel keys
 * every word by memory object and offset). */
long keel_sys_futex(const long a[6])
{
	uint64_t addr = (uint64_t)a[0];
	switch (a[1] & FUTEX_CMD_MASK) {
	case 0: { /* FUTEX_WAIT: a relative timeout, or none */
		const struct timespec *ts = (const struct timespec *)a[3];
		uint64_t ns = TIMEOUT_FOREVER;
		if (ts) {
			if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000)
				return -EINVAL;
			ns = (uint64_t)ts->tv_sec > UINT64_MAX / 1000000000u - 1
				     ? TIMEOUT_FOREVER - 1
				     : (uint64_t)ts->tv_sec * 1000000000u + (uint64_t)ts->tv_nsec;
		}
		status_t st = sys_futex_wait(addr, (uint32_t)a[2], ns);
		return st == STATUS_BUSY ? -EAGAIN : st ? -keel_errno(st) : 0;
	}
	case 1: /* FUTEX_WAKE */
		return keel_futex_wake_n(addr, (uint64_t)a[2]);
	case 3: /* FUTEX_REQUEUE: val woken, up to a[3] moved to another word */
		/* Waking the ones to be moved instead is allowed - a futex wait
		 * may always end early - and musl's condition variables, the one
		 * user, re-check and wait on the mutex themselves. */
		return keel_futex_wake_n(addr, (uint64_t)a[2] + (uint64_t)a[3]);
	default:
		return -ENOSYS; /* bitsets, priority inheritance */
	}
}

/* keel_thread_start (thread_exit.S) calls this on the new thread's stack
 * with its FS base set: record who it is, run fn(arg), exit. */
_Noreturn void keel_thread_main(struct thread_boot *b);

_Noreturn void keel_thread_main(struct thread_boot *b)
{
	my_tid = b->tid;
	clear_tid = b->ctid;
	/* The creator stores the handle once sys_thread_create returns and
	 * wakes this word; a wait rather than a yield loop, so that a creator
	 * in a less urgent tier than this thread still gets to run. */
	while (__atomic_load_n(&b->self, __ATOMIC_ACQUIRE) == CAP_HANDLE_NONE)
		sys_futex_wait((uint64_t)(uintptr_t)&b->self, CAP_HANDLE_NONE, TIMEOUT_FOREVER);
	my_handle = b->self;
	int r = b->fn(b->arg);
	const long e[6] = { r, 0, 0, 0, 0, 0 };
	keel_sys_exit(e);
	__builtin_unreachable();
}

/* thread_exit.S issues these by number. */
_Static_assert(SYS_THREAD_EXIT == 9 && SYS_FUTEX_WAKE == 34, "thread_exit.S's call numbers");

/* Entry of a new thread (thread_exit.S): rdi = its struct thread_boot. */
void keel_thread_start(void);
/* Clears *word and *word2 (either may be NULL) and ends the thread
 * without touching its stack again. */
_Noreturn void keel_thread_finish(int *word, int *word2, uint64_t code);

/* Linux exit: the calling thread ends; its clear-tid word is zeroed after
 * its last use of the stack, so a joiner may free the stack at once. */
long keel_sys_exit(const long a[6])
{
	__atomic_sub_fetch(&threads_alive, 1, __ATOMIC_RELAXED);
	if (my_handle != CAP_HANDLE_NONE)
		sys_cap_delete(my_handle);
	keel_thread_finish(clear_tid, NULL, (uint64_t)(a[0] & 0xff));
}

static status_t create(uintptr_t sp, struct thread_boot *b, cap_handle_t *th)
{
	const struct keel_start *s = keel_start_page();
	uint64_t cpus = s->cpu_count >= 64 ? ~0ull : (1ull << s->cpu_count) - 1;
	status_t st = STATUS_RANGE;
	/* The most urgent tier the caller may give: its own or a later one. */
	for (uint32_t tier = THREAD_TIER_MATTER; st == STATUS_RANGE && tier <= THREAD_TIER_VOID;
	     tier++)
		st = sys_thread_create(s->self_task, (uint64_t)(uintptr_t)keel_thread_start, sp,
				       (uint64_t)(uintptr_t)b, tier, cpus, th);
	return st;
}

hidden int __keel_clone(int (*fn)(void *), void *stack, int flags, void *arg, int *ptid, void *tls,
			int *ctid);

int __keel_clone(int (*fn)(void *), void *stack, int flags, void *arg, int *ptid, void *tls,
		 int *ctid)
{
	const int need = CLONE_VM | CLONE_THREAD | CLONE_SETTLS;
	if ((flags & need) != need)
		return -ENOSYS;
	uintptr_t sp = ((uintptr_t)stack - sizeof(struct thread_boot)) & ~(uintptr_t)15;
	struct thread_boot *b = (struct thread_boot *)sp;
	*b = (struct thread_boot){ fn,
				   arg,
				   tls,
				   (flags & CLONE_CHILD_CLEARTID) ? ctid : NULL,
				   __atomic_add_fetch(&next_tid, 1, __ATOMIC_RELAXED),
				   CAP_HANDLE_NONE };
	int tid = b->tid;
	if (flags & CLONE_PARENT_SETTID)
		*ptid = tid;
	cap_handle_t th;
	__atomic_add_fetch(&threads_alive, 1, __ATOMIC_RELAXED);
	status_t st = create(sp - 8, b, &th);
	if (st)
		__atomic_sub_fetch(&threads_alive, 1, __ATOMIC_RELAXED);
	if (st)
		return -(keel_errno(st) == ENOMEM ? EAGAIN : keel_errno(st));
	__atomic_store_n(&b->self, th, __ATOMIC_RELEASE);
	/* The thread may have run, exited and freed its stack already: then
	 * this wakes nobody, or fails on an unmapped word. */
	uint64_t woken;
	sys_futex_wake((uint64_t)(uintptr_t)&b->self, 1, &woken);
	return tid;
}

/* The stack a detached thread frees its own stack from (thread_exit.S). */
#define EXIT_STACK 4096
hidden int keel_exit_lock;
hidden _Alignas(16) char keel_exit_stack[EXIT_STACK];

_Noreturn void keel_unmap_and_exit(void *base, size_t size);

_Noreturn void keel_unmap_and_exit(void *base, size_t size)
{
	const long a[6] = { (long)base, (long)size, 0, 0, 0, 0 };
	int *word = clear_tid; /* read before the TLS block goes with the stack */
	__atomic_sub_fetch(&threads_alive, 1, __ATOMIC_RELAXED);
	if (my_handle != CAP_HANDLE_NONE)
		sys_cap_delete(my_handle);
	keel_sys_munmap(a);
	keel_thread_finish(word, &keel_exit_lock, 0);
}

int keel_threads_alive(void)
{
	return __atomic_load_n(&threads_alive, __ATOMIC_RELAXED);
}
