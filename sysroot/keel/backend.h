/*
 * backend.h - the Keel back-end of the C library: internal interfaces.
 *
 * musl calls __keel_syscall(n, a1..a6) for every system call, with Linux's
 * x86-64 number n (sysroot/musl/arch/x86_64/syscall_arch.h). syscall.c
 * looks n up in one table and calls the handler below that implements
 * it on Keel; every handler answers like Linux: a value >= 0, or -errno.
 * A number without a handler is -ENOSYS. docs/libc.md lists the mapping.
 *
 * The pieces that hold state (the file-descriptor table, the memory arena,
 * the clock offset) keep it in one struct each, reached through a single
 * accessor, so that host tests can build their own instances.
 */
#ifndef KEEL_BACKEND_H
#define KEEL_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "abi/start.h"
#include "abi/status.h"

/* musl's internal visibility for the entry points it calls. */
#define hidden __attribute__((__visibility__("hidden")))

/* st_dev of the file systems the C library knows (makedev(0, N), as Linux
 * numbers file systems without a device): the volume vfsd serves, /dev,
 * /bundle. With st_ino, a file's identity (cp, test -ef). */
#define KEEL_DEV_VOLUME 1u
#define KEEL_DEV_DEV 2u
#define KEEL_DEV_BUNDLE 3u

/* A handler: the six raw arguments, a result >= 0 or -errno. */
typedef long (*keel_sys_fn)(const long a[6]);

/* The task's start page, keel_start_page(), is libsys's (keel/sys.h). */
#include "keel/sys.h"

/* The machine's memory in pages (keel_start_machine_pages), copied from
 * the start page by __keel_start_c (start.c); 0, unknown, before that and
 * in host tests, which have no start page and may not link start.c: read
 * it through keel_machine_pages(). */
extern uint64_t __keel_machine_pages __attribute__((weak));

static inline uint64_t keel_machine_pages(void)
{
	return &__keel_machine_pages ? __keel_machine_pages : 0;
}

/* Linux errno for a Keel status (a positive errno value; 0 for OK). */
int keel_errno(status_t st);

/* The lock the back-end's shared tables take: a test-and-set word that
 * yields the CPU while it waits. Zero is unlocked. */
void keel_lock(volatile int *l);
void keel_unlock(volatile int *l);

/* Handlers, by file. */
long keel_sys_mmap(const long a[6]); /* mem.c */
long keel_sys_munmap(const long a[6]);
long keel_sys_mprotect(const long a[6]);
long keel_sys_mremap(const long a[6]);
long keel_sys_madvise(const long a[6]);
long keel_sys_brk(const long a[6]);
uint64_t keel_arena_pages(void); /* pages of the arena's chunks */

long keel_sys_clock_gettime(const long a[6]); /* time.c */
long keel_sys_clock_settime(const long a[6]);
long keel_sys_clock_getres(const long a[6]);
long keel_sys_clock_nanosleep(const long a[6]);
long keel_sys_nanosleep(const long a[6]);
long keel_sys_gettimeofday(const long a[6]);
long keel_sys_time(const long a[6]);
/* Takes the wall-clock offset of the start page (keel/time.h) as
 * CLOCK_REALTIME's; start.c calls it before main. */
void keel_time_init(const struct keel_start *s);

long keel_sys_read(const long a[6]); /* fdsys.c */
long keel_sys_write(const long a[6]);
long keel_sys_readv(const long a[6]);
long keel_sys_writev(const long a[6]);
long keel_sys_pread(const long a[6]);
long keel_sys_pwrite(const long a[6]);
long keel_sys_close(const long a[6]);
long keel_sys_ioctl(const long a[6]);
long keel_sys_lseek(const long a[6]);
long keel_sys_fcntl(const long a[6]);
long keel_sys_dup(const long a[6]);
long keel_sys_dup2(const long a[6]);
long keel_sys_dup3(const long a[6]);
long keel_sys_fstat(const long a[6]);
long keel_sys_newfstatat(const long a[6]);
long keel_sys_poll(const long a[6]);
long keel_sys_ppoll(const long a[6]);
long keel_sys_select(const long a[6]);
long keel_sys_pselect6(const long a[6]);
long keel_sys_fsync(const long a[6]);

long keel_sys_open(const long a[6]); /* fs.c */
long keel_sys_openat(const long a[6]);
long keel_sys_stat(const long a[6]);
struct stat;
long keel_sys_stat_at(int dirfd, const char *text, struct stat *st);
long keel_sys_access(const long a[6]);
long keel_sys_faccessat(const long a[6]);
long keel_sys_getcwd(const long a[6]);
long keel_sys_chdir(const long a[6]);
long keel_sys_chmod(const long a[6]);
long keel_sys_fchmodat(const long a[6]);
long keel_sys_fchmod(const long a[6]);
long keel_sys_chown(const long a[6]);
long keel_sys_fchownat(const long a[6]);
long keel_sys_fchown(const long a[6]);
long keel_sys_link(const long a[6]);
long keel_sys_linkat(const long a[6]);
long keel_sys_symlink(const long a[6]);
long keel_sys_symlinkat(const long a[6]);
long keel_sys_readlink(const long a[6]);
long keel_sys_readlinkat(const long a[6]);
long keel_sys_umask(const long a[6]);
long keel_sys_creat(const long a[6]); /* fs.c, over vfsd */
long keel_sys_mkdir(const long a[6]);
long keel_sys_rmdir(const long a[6]);
long keel_sys_unlink(const long a[6]);
long keel_sys_mkdirat(const long a[6]);
long keel_sys_unlinkat(const long a[6]);
long keel_sys_rename(const long a[6]);
long keel_sys_renameat(const long a[6]);
long keel_sys_truncate(const long a[6]);
long keel_sys_utimensat(const long a[6]);
long keel_sys_statfs(const long a[6]);
long keel_sys_fchdir(const long a[6]);
long keel_sys_sync(const long a[6]);
long keel_sys_syncfs(const long a[6]);
long keel_sys_fstatfs(const long a[6]);
long keel_sys_ftruncate(const long a[6]); /* vfsfile.c */
long keel_sys_getdents64(const long a[6]);

long keel_sys_getrandom(const long a[6]); /* random.c */
void keel_random_bytes(void *buf, size_t n);

long keel_sys_exit(const long a[6]); /* proc.c */
long keel_sys_exit_group(const long a[6]);
long keel_sys_getpid(const long a[6]);
long keel_sys_gettid(const long a[6]);
long keel_sys_set_tid_address(const long a[6]);
long keel_sys_getuid(const long a[6]);
long keel_sys_uname(const long a[6]);
long keel_sys_sched_yield(const long a[6]);
long keel_sys_sched_getaffinity(const long a[6]);
long keel_sys_rt_sigaction(const long a[6]);
long keel_sys_rt_sigprocmask(const long a[6]);
long keel_sys_kill(const long a[6]);
long keel_sys_tkill(const long a[6]);
long keel_sys_tgkill(const long a[6]);
long keel_sys_getrlimit(const long a[6]);
long keel_sys_prlimit(const long a[6]);
long keel_sys_arch_prctl(const long a[6]);
long keel_sys_sysinfo(const long a[6]);
long keel_sys_getrusage(const long a[6]);

long keel_sys_wait4(const long a[6]); /* spawn.c */
long keel_spawn_kill(int pid, int sig);
int keel_spawn_job(int pid, unsigned flags); /* for programs: job control */

/* For programs that handle Ctrl-C themselves (terminal.c): the count of
 * interrupts typed on the console terminal so far (no system call), and
 * whether a read or poll waiting on a terminal ends with EINTR when one is
 * typed (on; returns the previous setting). */
unsigned keel_terminal_interrupts(void);
int keel_terminal_catch(int on);

long keel_sys_futex(const long a[6]); /* thread.c */
int keel_threads_alive(void);

/* Ends the task with a status its supervisor receives as the exit code of
 * its last thread (proc.c). */
_Noreturn void keel_exit_task(int code);
/* fn runs in keel_exit_task before the task ends (the terminals' flush). */
void keel_exit_flush_register(void (*fn)(void));

/* The task's pid, the kernel's id of its task: read once by getpid
 * (proc.c); 0 until then. Tests that run the back-end without a kernel
 * set it first. */
extern _Atomic long keel_pid;

#endif
