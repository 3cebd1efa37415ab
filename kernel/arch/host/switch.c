/*
 * switch.c - threads on the host: one pthread per Keel thread, and a
 * baton so that exactly one of them runs at a time.
 *
 * The kernel's "stack slot" of a thread (arch_kstack_alloc) is a host
 * context: a pthread, created on the thread's first switch, and a
 * condition variable it waits on while switched out. arch_switch hands
 * the baton to the next context and waits until its own comes back, so
 * kernel/core's scheduler alone decides what runs, as on a one-CPU
 * machine, and every run of a test makes the same decisions.
 *
 * A thread that exits hands the baton on and ends its pthread; one that
 * is killed while switched out is told to end it without running; either
 * way arch_kstack_free joins the pthread before the slot is reused.
 *
 * Faults: a user thread's SIGSEGV, SIGBUS, SIGILL or SIGFPE becomes
 * task_fault() with the vector, error code and registers Linux reports,
 * exactly what the machine's trap handler passes. The same signal in
 * kernel code is a kernel bug and stops the run.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arch/host/host.h"
#include "core/panic.h"
#include "core/object/task.h"
#include "core/object/thread.h"
#include "syscall_numbers.h"
#include "core/sys/syscall.h"

#define CTX_SLOTS (THREAD_MAX + 64)
#define THREAD_STACK_BYTES (1u << 20) /* the pthread stack: user and kernel code */
#define ALT_STACK_BYTES (64u << 10)   /* where faults are handled */

struct host_ctx {
	pthread_t pthread;
	pthread_cond_t wake;
	bool inited;  /* wake has been initialised */
	bool used;    /* the slot belongs to a thread */
	bool started; /* its pthread exists */
	bool baton;   /* it may run */
	bool cancel;  /* it must end without running again */
	bool exiting; /* its thread exited: end after handing on */
	bool user;    /* running user code, not the kernel */
};

static struct host_ctx ctxs[CTX_SLOTS];
static struct host_ctx boot_ctx;
static pthread_mutex_t baton_lock = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local struct host_ctx *self;
static uint32_t cursor;

static void on_fault(int sig, siginfo_t *si, void *ucv);

/* Every host thread handles its faults on a stack of its own, so that a
 * user stack overflow is reported rather than fatal. A thread that has
 * one already (AddressSanitizer gives every thread one, and frees it
 * itself) keeps it. */
static void alt_stack_init(void)
{
	stack_t old;
	if (sigaltstack(NULL, &old) == 0 && !(old.ss_flags & SS_DISABLE))
		return;
	stack_t ss = { .ss_sp = malloc(ALT_STACK_BYTES), .ss_size = ALT_STACK_BYTES };
	if (!ss.ss_sp || sigaltstack(&ss, NULL))
		panic("host: no signal stack for a thread");
}

void host_switch_init(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE };
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
	pthread_cond_init(&boot_ctx.wake, NULL);
	boot_ctx.used = boot_ctx.started = boot_ctx.baton = true;
	self = &boot_ctx;
	alt_stack_init();
}

/* Waits, baton_lock held, until ctx may run; ends the pthread instead if
 * it has been cancelled. Returns with baton_lock released. */
static void wait_for_baton(struct host_ctx *ctx)
{
	while (!ctx->baton && !ctx->cancel)
		pthread_cond_wait(&ctx->wake, &baton_lock);
	bool cancel = ctx->cancel;
	pthread_mutex_unlock(&baton_lock);
	if (cancel)
		pthread_exit(NULL);
}

/* A new thread's pthread: waits for its first switch, then enters the
 * kernel's thread_boot() as a new thread does on the machine. */
static void *ctx_main(void *arg)
{
	self = arg;
	alt_stack_init();
	pthread_mutex_lock(&baton_lock);
	wait_for_baton(self);
	thread_boot();
}

static void ctx_start(struct host_ctx *ctx)
{
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, THREAD_STACK_BYTES);
	if (pthread_create(&ctx->pthread, &attr, ctx_main, ctx))
		panic("host: cannot create a pthread");
	pthread_attr_destroy(&attr);
	ctx->started = true;
}

status_t arch_kstack_alloc(uint32_t *slot, uint64_t *top)
{
	for (uint32_t n = 0; n < CTX_SLOTS; n++) {
		uint32_t i = (cursor + n) % CTX_SLOTS;
		struct host_ctx *ctx = &ctxs[i];
		if (ctx->used)
			continue;
		if (!ctx->inited)
			pthread_cond_init(&ctx->wake, NULL);
		ctx->inited = true;
		ctx->used = true;
		ctx->started = ctx->baton = ctx->cancel = ctx->exiting = ctx->user = false;
		cursor = i + 1;
		*slot = i;
		*top = 0; /* no kernel stack: the pthread has its own */
		return STATUS_OK;
	}
	return STATUS_NO_MEMORY;
}

void arch_kstack_free(uint32_t slot)
{
	if (slot >= CTX_SLOTS || !ctxs[slot].used)
		panic("host: freeing thread context %u that is not in use", slot);
	struct host_ctx *ctx = &ctxs[slot];
	pthread_mutex_lock(&baton_lock);
	ctx->cancel = true;
	pthread_cond_signal(&ctx->wake);
	pthread_mutex_unlock(&baton_lock);
	if (ctx->started)
		pthread_join(ctx->pthread, NULL);
	ctx->started = false;
	ctx->used = false;
}

void arch_thread_setup(struct thread *t)
{
	t->ctx_sp = (uint64_t)&ctxs[t->kstack_slot];
}

void arch_switch_prepare(struct thread *prev, struct thread *next)
{
	(void)next;
	self->exiting = prev->exited;
}

void arch_switch(uint64_t *save_sp, uint64_t new_sp)
{
	struct host_ctx *me = self, *next = (struct host_ctx *)new_sp;
	*save_sp = (uint64_t)me;
	pthread_mutex_lock(&baton_lock);
	me->baton = false;
	next->baton = true;
	if (next->started)
		pthread_cond_signal(&next->wake);
	else
		ctx_start(next);
	if (me->exiting) {
		pthread_mutex_unlock(&baton_lock);
		pthread_exit(NULL);
	}
	wait_for_baton(me);
}

void vspace_activate(struct vspace *vs)
{
	(void)vs; /* every task shares the process's address space */
}

/* The context of the thread the kernel thinks is running. */
static struct host_ctx *current_ctx(void)
{
	struct thread *t = thread_current();
	if (!t)
		return NULL; /* not booted yet */
	return t->idle ? &boot_ctx : &ctxs[t->kstack_slot];
}

bool host_in_user_mode(void)
{
	return self && self == current_ctx() && self->user;
}

void host_kernel_enter(void)
{
	if (!host_in_user_mode())
		panic("host: a kernel entry from a pthread that is not the running "
		      "Keel thread in user mode (pthreads made outside Keel cannot call it)");
	self->user = false;
}

void host_kernel_leave(void)
{
	self->user = true;
}

/*
 * There is no C library start-up on the host: the entry address is a C
 * function of one pointer-sized argument, called on the thread's own
 * pthread stack (the stack argument is unused), and its return value ends
 * the thread through sys_thread_exit, as exit() does on the machine. Only the calling convention
 * makes a keel_main(const struct keel_start *) callable this way.
 */
void arch_enter_user(uint64_t entry, uint64_t stack, uint64_t arg)
{
	(void)stack;
	self->user = true;
	int code = ((int (*)(uint64_t))entry)(arg);
	struct syscall_args a = { { (uint64_t)(int64_t)code, 0, 0, 0, 0, 0 } };
	struct syscall_ret r;
	host_kernel_enter();
	syscall_invoke(SYS_THREAD_EXIT, &a, &r);
	panic("host: sys_thread_exit returned");
}

/* Writes s with write(2): the only output that is safe in a signal handler. */
static void fault_say(const char *s)
{
	ssize_t r = write(2, s, strlen(s));
	(void)r;
}

static void on_fault(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	greg_t *g = uc->uc_mcontext.gregs;
	(void)sig;
	if (!host_in_user_mode()) {
		fault_say("\nhost: fault in kernel or harness code (not a Keel user thread)\n");
		_exit(70);
	}
	self->user = false;
	task_fault((uint32_t)g[REG_TRAPNO], (uint32_t)g[REG_ERR], (uint64_t)g[REG_RIP],
		   (uint64_t)si->si_addr, (uint64_t)g[REG_RSP]);
}
