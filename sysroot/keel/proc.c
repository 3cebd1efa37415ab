/*
 * proc.c - the process: exit, identity, limits, and the little of POSIX
 * signals that Keel can honour.
 *
 * A Keel task has no user or group: every user and group id is 0, and
 * AT_SECURE is 0. Its process id is the kernel's id of its task (the one
 * `ps` and console reports show, and its launcher's pid for it, spawn.c);
 * getppid is 0, since a task is not told who started it.
 * The exit status, the whole int main returned or exit() was given,
 * becomes the code of the last thread's sys_thread_exit, which the
 * supervisor receives (a POSIX launcher keeps its low 8 bits, as wait()
 * does).
 *
 * Signals: Keel delivers no asynchronous signals, so a handler could never
 * run; installing one is ENOSYS. SIG_DFL and SIG_IGN can be set and read
 * back. A signal a thread sends itself (raise, abort) takes its action at
 * once: ignored, or - for the signals whose default is to terminate - the
 * task ends with status 128 + the signal number, as a shell reports it.
 * A signal to a child this task launched (spawn.c) ends it; signals to
 * any other process or thread are ESRCH: there is no way to name one.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <elf.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>

#include "backend.h"
#include "core/version.h"
#include "console.h"
#include "pipe.h"
#include "keel/sys.h"

#define KEEL_NSIG 65

static volatile int sig_ignored[KEEL_NSIG]; /* 1: SIG_IGN, 0: SIG_DFL */
static _Thread_local uint64_t sig_mask;

/* The task ends with code: by the exit of its only thread, or, with other
 * threads running, by killing itself with code (every thread stops and
 * the supervisor hears code all the same). */
/* Set by the terminals' side once one is open (terminal.c), so that a
 * program without terminals does not link it. */
static void (*_Atomic exit_flush)(void);

void keel_exit_flush_register(void (*fn)(void))
{
	exit_flush = fn;
}

_Noreturn void keel_exit_task(int code)
{
	void (*flush)(void) = exit_flush;
	keel_console_flush();
	if (flush)
		flush();
	keel_pipe_exit();
	if (keel_threads_alive() > 1)
		sys_task_kill(keel_start_page()->self_task, (uint64_t)(int64_t)code);
	sys_thread_exit((uint64_t)(int64_t)code);
}

long keel_sys_exit_group(const long a[6])
{
	keel_exit_task((int)a[0]);
}

_Atomic long keel_pid;

long keel_sys_getpid(const long a[6])
{
	struct task_info ti;
	(void)a;
	long p = keel_pid;
	if (!p) /* asked once: a task's id never changes */
		keel_pid = p = sys_task_info(keel_start_page()->self_task, &ti, sizeof ti) ==
					       STATUS_OK
				       ? (long)ti.id
				       : 1;
	return p;
}

long keel_sys_getuid(const long a[6])
{
	(void)a;
	return 0;
}

long keel_sys_uname(const long a[6])
{
	struct utsname *u = (struct utsname *)a[0];
	memset(u, 0, sizeof *u);
	strcpy(u->sysname, "Keel");
	strcpy(u->nodename, "keel");
	strcpy(u->release, KEEL_VERSION); /* the kernel this library was built with */
	strcpy(u->version, "Keel " KEEL_VERSION);
	strcpy(u->machine, "x86_64");
	return 0;
}

long keel_sys_sched_yield(const long a[6])
{
	(void)a;
	sys_thread_yield();
	return 0;
}

long keel_sys_sched_getaffinity(const long a[6])
{
	size_t size = (size_t)a[1];
	uint64_t cpus = keel_start_page()->cpu_count, mask;
	if (size < sizeof mask || (size & 7))
		return -EINVAL;
	mask = cpus >= 64 ? ~0ull : (1ull << cpus) - 1;
	memset((void *)a[2], 0, size);
	memcpy((void *)a[2], &mask, sizeof mask);
	return sizeof mask;
}

/* rt_sigaction(sig, act, old, size): only SIG_DFL and SIG_IGN. */
long keel_sys_rt_sigaction(const long a[6])
{
	int sig = (int)a[0];
	const struct sigaction *act = (const struct sigaction *)a[1];
	struct sigaction *old = (struct sigaction *)a[2];
	if (sig < 1 || sig >= KEEL_NSIG || a[3] != 8)
		return -EINVAL;
	if (act && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	if (act && act->sa_handler != SIG_DFL && act->sa_handler != SIG_IGN)
		return -ENOSYS;
	if (old) {
		memset(old, 0, sizeof(void *) * 2 + sizeof(long) * 2);
		old->sa_handler = sig_ignored[sig] ? SIG_IGN : SIG_DFL;
	}
	if (act)
		sig_ignored[sig] = act->sa_handler == SIG_IGN;
	return 0;
}

/* rt_sigprocmask(how, set, old, size): a per-thread mask that is kept and
 * reported; nothing is ever pending behind it. */
long keel_sys_rt_sigprocmask(const long a[6])
{
	const uint64_t *set = (const uint64_t *)a[1];
	uint64_t *old = (uint64_t *)a[2];
	if (a[3] != 8)
		return -EINVAL;
	if (old)
		*old = sig_mask;
	if (!set)
		return 0;
	switch (a[0]) {
	case SIG_BLOCK:
		sig_mask |= *set;
		break;
	case SIG_UNBLOCK:
		sig_mask &= ~*set;
		break;
	case SIG_SETMASK:
		sig_mask = *set;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

/* The action of sig sent by a thread to itself. */
static long self_signal(int sig)
{
	if (sig == 0)
		return 0;
	if (sig < 1 || sig >= KEEL_NSIG)
		return -EINVAL;
	if (sig_ignored[sig])
		return 0;
	switch (sig) {
	case SIGCHLD:
	case SIGURG:
	case SIGWINCH:
	case SIGCONT:
	case SIGSTOP:
	case SIGTSTP:
	case SIGTTIN:
	case SIGTTOU:
		return 0; /* ignored, or stop: nothing can continue a stopped task */
	default:
		keel_exit_task(128 + sig);
	}
}

long keel_sys_kill(const long a[6])
{
	if (a[0] == 0 || a[0] == -1) /* its group, or everyone it may signal: itself */
		return self_signal((int)a[1]);
	long r = a[0] > 1 ? keel_spawn_kill((pid_t)a[0], (int)a[1]) : -ESRCH; /* a child */
	if (r == -ESRCH && a[0] > 1 && a[0] == keel_sys_getpid(a))
		return self_signal((int)a[1]);
	return r;
}

long keel_sys_tkill(const long a[6])
{
	const long b[6] = { 0 };
	if (a[0] != keel_sys_gettid(b))
		return -ESRCH;
	return self_signal((int)a[1]);
}

long keel_sys_tgkill(const long a[6])
{
	const long b[6] = { a[1], a[2], 0, 0, 0, 0 };
	if (a[0] != 1)
		return -ESRCH;
	return keel_sys_tkill(b);
}

static void limit_of(int res, struct rlimit *r)
{
	r->rlim_cur = r->rlim_max = RLIM_INFINITY;
	if (res == RLIMIT_STACK)
		r->rlim_cur = r->rlim_max = KEEL_STACK_SIZE;
	else if (res == RLIMIT_NOFILE)
		r->rlim_cur = r->rlim_max = 256;
}

long keel_sys_getrlimit(const long a[6])
{
	if (a[0] < 0 || a[0] >= RLIM_NLIMITS)
		return -EINVAL;
	limit_of((int)a[0], (struct rlimit *)a[1]);
	return 0;
}

/* prlimit64(pid, resource, new, old): limits can be read, not changed. */
long keel_sys_prlimit(const long a[6])
{
	if (a[0] != 0 && a[0] != 1)
		return -ESRCH;
	if (a[1] < 0 || a[1] >= RLIM_NLIMITS)
		return -EINVAL;
	if (a[2])
		return -EPERM;
	if (a[3])
		limit_of((int)a[1], (struct rlimit *)a[3]);
	return 0;
}

long keel_sys_sysinfo(const long a[6])
{
	struct sysinfo *si = (struct sysinfo *)a[0];
	uint64_t ns = 0;
	sys_clock_read(&ns);
	memset(si, 0, sizeof *si);
	si->uptime = (long)(ns / 1000000000u);
	si->totalram = keel_start_page()->quota_pages * 4096;
	si->procs = 1;
	si->mem_unit = 1;
	return 0;
}

/* arch_prctl(ARCH_SET_FS / ARCH_GET_FS): the thread's FS base, which the
 * kernel keeps per thread (CR4.FSGSBASE; docs/libc.md, TLS). */
long keel_sys_arch_prctl(const long a[6])
{
	switch (a[0]) {
	case 0x1002: /* ARCH_SET_FS */
		__asm__ volatile("wrfsbase %0" : : "r"(a[1]) : "memory");
		return 0;
	case 0x1003: { /* ARCH_GET_FS */
		uint64_t v;
		__asm__ volatile("rdfsbase %0" : "=r"(v));
		*(uint64_t *)a[1] = v;
		return 0;
	}
	default:
		return -EINVAL;
	}
}

extern const char __ehdr_start[];

/* Pages of the loaded image: its PT_LOAD segments, whole pages each. */
static uint64_t image_pages(void)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)__ehdr_start;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(__ehdr_start + eh->e_phoff);
	uint64_t pages = 0;
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD || ph[i].p_memsz == 0)
			continue;
		uint64_t first = ph[i].p_vaddr / 4096,
			 last = (ph[i].p_vaddr + ph[i].p_memsz - 1) / 4096;
		pages += last - first + 1;
	}
	return pages;
}

/* getrusage: ru_maxrss is what the task holds - Keel maps every page when
 * it is created, so resident is mapped: the image, the first thread's
 * stack, the start page and the arena's chunks (inbox rings and other
 * keel_map users of libsys are not counted). Times are not kept (zero). */
long keel_sys_getrusage(const long a[6])
{
	struct rusage *ru = (struct rusage *)a[1];
	if (a[0] != RUSAGE_SELF && a[0] != RUSAGE_THREAD && a[0] != RUSAGE_CHILDREN)
		return -EINVAL;
	memset(ru, 0, sizeof *ru);
	if (a[0] != RUSAGE_CHILDREN)
		ru->ru_maxrss = (long)((image_pages() + KEEL_STACK_SIZE / 4096 + 1 +
					keel_arena_pages()) *
				       4);
	return 0;
}
