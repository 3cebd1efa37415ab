/*
 * syscall.c - the one table from Linux system-call numbers to the Keel
 * back-end's handlers, and __keel_syscall, which musl calls instead of
 * executing `syscall` (sysroot/musl/arch/x86_64/syscall_arch.h).
 *
 * A number that is not in the table answers -ENOSYS: fork, exec, sockets,
 * and everything else Keel does not offer fail visibly, never silently.
 * The few calls whose right answer is another errno have a handler that
 * says so.
 */
#include <errno.h>
#include <sys/syscall.h>

#include "backend.h"
#include "pipe.h"

#define KEEL_SYS_MAX 512

static long sys_enosys(const long a[6])
{
	(void)a;
	return -ENOSYS;
}

static const keel_sys_fn table[KEEL_SYS_MAX] = {
	[SYS_read] = keel_sys_read,
	[SYS_write] = keel_sys_write,
	[SYS_open] = keel_sys_open,
	[SYS_close] = keel_sys_close,
	[SYS_stat] = keel_sys_stat,
	[SYS_fstat] = keel_sys_fstat,
	[SYS_lstat] = keel_sys_stat,
	[SYS_poll] = keel_sys_poll,
	[SYS_ppoll] = keel_sys_ppoll,
	[SYS_select] = keel_sys_select,
	[SYS_pselect6] = keel_sys_pselect6,
	[SYS_lseek] = keel_sys_lseek,
	[SYS_mmap] = keel_sys_mmap,
	[SYS_mprotect] = keel_sys_mprotect,
	[SYS_munmap] = keel_sys_munmap,
	[SYS_brk] = keel_sys_brk,
	[SYS_rt_sigaction] = keel_sys_rt_sigaction,
	[SYS_rt_sigprocmask] = keel_sys_rt_sigprocmask,
	[SYS_rt_sigreturn] = sys_enosys,
	[SYS_ioctl] = keel_sys_ioctl,
	[SYS_pread64] = keel_sys_pread,
	[SYS_pwrite64] = keel_sys_pwrite,
	[SYS_readv] = keel_sys_readv,
	[SYS_writev] = keel_sys_writev,
	[SYS_access] = keel_sys_access,
	[SYS_sched_yield] = keel_sys_sched_yield,
	[SYS_mremap] = keel_sys_mremap,
	[SYS_madvise] = keel_sys_madvise,
	[SYS_dup] = keel_sys_dup,
	[SYS_dup2] = keel_sys_dup2,
	[SYS_nanosleep] = keel_sys_nanosleep,
	[SYS_getpid] = keel_sys_getpid,
	[SYS_wait4] = keel_sys_wait4,
	[SYS_exit] = keel_sys_exit,
	[SYS_kill] = keel_sys_kill,
	[SYS_pipe] = keel_sys_pipe,
	[SYS_pipe2] = keel_sys_pipe2,
	[SYS_uname] = keel_sys_uname,
	[SYS_fcntl] = keel_sys_fcntl,
	[SYS_fsync] = keel_sys_fsync,
	[SYS_fdatasync] = keel_sys_fsync,
	[SYS_getcwd] = keel_sys_getcwd,
	[SYS_chdir] = keel_sys_chdir,
	[SYS_fchdir] = keel_sys_fchdir,
	[SYS_sync] = keel_sys_sync,
	[SYS_syncfs] = keel_sys_syncfs,
	[SYS_rename] = keel_sys_rename,
	[SYS_mkdir] = keel_sys_mkdir,
	[SYS_rmdir] = keel_sys_rmdir,
	[SYS_creat] = keel_sys_creat,
	[SYS_link] = keel_sys_link,
	[SYS_unlink] = keel_sys_unlink,
	[SYS_symlink] = keel_sys_symlink,
	[SYS_readlink] = keel_sys_readlink,
	[SYS_chmod] = keel_sys_chmod,
	[SYS_fchmod] = keel_sys_fchmod,
	[SYS_chown] = keel_sys_chown,
	[SYS_fchown] = keel_sys_fchown,
	[SYS_lchown] = keel_sys_chown,
	[SYS_truncate] = keel_sys_truncate,
	[SYS_utimensat] = keel_sys_utimensat,
	[SYS_statfs] = keel_sys_statfs,
	[SYS_fstatfs] = keel_sys_fstatfs,
	[SYS_umask] = keel_sys_umask,
	[SYS_gettimeofday] = keel_sys_gettimeofday,
	[SYS_getrlimit] = keel_sys_getrlimit,
	[SYS_sysinfo] = keel_sys_sysinfo,
	[SYS_getrusage] = keel_sys_getrusage,
	[SYS_getuid] = keel_sys_getuid,
	[SYS_getgid] = keel_sys_getuid,
	[SYS_geteuid] = keel_sys_getuid,
	[SYS_getegid] = keel_sys_getuid,
	[SYS_getppid] = keel_sys_getuid,
	[SYS_arch_prctl] = keel_sys_arch_prctl,
	[SYS_gettid] = keel_sys_gettid,
	[SYS_tkill] = keel_sys_tkill,
	[SYS_time] = keel_sys_time,
	[SYS_futex] = keel_sys_futex,
	[SYS_sched_getaffinity] = keel_sys_sched_getaffinity,
	[SYS_set_tid_address] = keel_sys_set_tid_address,
	[SYS_clock_settime] = keel_sys_clock_settime,
	[SYS_clock_gettime] = keel_sys_clock_gettime,
	[SYS_clock_getres] = keel_sys_clock_getres,
	[SYS_clock_nanosleep] = keel_sys_clock_nanosleep,
	[SYS_exit_group] = keel_sys_exit_group,
	[SYS_tgkill] = keel_sys_tgkill,
	[SYS_openat] = keel_sys_openat,
	[SYS_mkdirat] = keel_sys_mkdirat,
	[SYS_fchownat] = keel_sys_fchownat,
	[SYS_newfstatat] = keel_sys_newfstatat,
	[SYS_unlinkat] = keel_sys_unlinkat,
	[SYS_renameat] = keel_sys_renameat,
	[SYS_linkat] = keel_sys_linkat,
	[SYS_symlinkat] = keel_sys_symlinkat,
	[SYS_readlinkat] = keel_sys_readlinkat,
	[SYS_fchmodat] = keel_sys_fchmodat,
	[SYS_faccessat] = keel_sys_faccessat,
	[SYS_faccessat2] = keel_sys_faccessat,
	[SYS_dup3] = keel_sys_dup3,
	[SYS_prlimit64] = keel_sys_prlimit,
	[SYS_getrandom] = keel_sys_getrandom,
	[SYS_ftruncate] = keel_sys_ftruncate,
	[SYS_getdents64] = keel_sys_getdents64,
};

/* The handler for Linux number n, or NULL (exposed for the host tests). */
keel_sys_fn keel_sys_lookup(long n);

keel_sys_fn keel_sys_lookup(long n)
{
	if (n < 0 || n >= KEEL_SYS_MAX)
		return NULL;
	return table[n];
}

hidden long __keel_syscall(long n, long a1, long a2, long a3, long a4, long a5, long a6);

long __keel_syscall(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	const long a[6] = { a1, a2, a3, a4, a5, a6 };
	keel_sys_fn fn = keel_sys_lookup(n);
	return fn ? fn(a) : -ENOSYS;
}
