/*
 * syscall_arch.h - Keel's system-call layer for musl (x86-64).
 *
 * This file replaces musl's arch/x86_64/syscall_arch.h when the build
 * copies sysroot/musl over the unpacked musl tree (docs/libc.md, "the
 * seam"). musl names every system call by its Linux number and passes up
 * to six long arguments; instead of executing `syscall`, each call here is
 * a plain function call into the Keel back-end (sysroot/keel/syscall.c),
 * which maps the number onto libsys and kernel calls and answers like
 * Linux: a result >= 0, or -errno.
 */
#define __SYSCALL_LL_E(x) (x)
#define __SYSCALL_LL_O(x) (x)

hidden long __keel_syscall(long, long, long, long, long, long, long);

static __inline long __syscall0(long n)
{
	return __keel_syscall(n, 0, 0, 0, 0, 0, 0);
}

static __inline long __syscall1(long n, long a1)
{
	return __keel_syscall(n, a1, 0, 0, 0, 0, 0);
}

static __inline long __syscall2(long n, long a1, long a2)
{
	return __keel_syscall(n, a1, a2, 0, 0, 0, 0);
}

static __inline long __syscall3(long n, long a1, long a2, long a3)
{
	return __keel_syscall(n, a1, a2, a3, 0, 0, 0);
}

static __inline long __syscall4(long n, long a1, long a2, long a3, long a4)
{
	return __keel_syscall(n, a1, a2, a3, a4, 0, 0);
}

static __inline long __syscall5(long n, long a1, long a2, long a3, long a4, long a5)
{
	return __keel_syscall(n, a1, a2, a3, a4, a5, 0);
}

static __inline long __syscall6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	return __keel_syscall(n, a1, a2, a3, a4, a5, a6);
}

/* No vDSO: clock_gettime and getcpu are system calls like the others. */

#define IPC_64 0
