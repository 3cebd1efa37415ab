/* test_syscalls.c - the back-end's answers without a kernel: every Linux
 * system call Keel does not offer is -ENOSYS, the ones with a more
 * precise answer give it, and argument checks come before any Keel
 * system call is made (so none runs here: the handlers tested return
 * before reaching one). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <time.h>

#include "check.h"
#include "../backend.h"
#include "../dev.h"
#include "../fdsys.h"

long __keel_syscall(long n, long a1, long a2, long a3, long a4, long a5, long a6);
keel_sys_fn keel_sys_lookup(long n);
int __keel_clone(int (*fn)(void *), void *stack, int flags, void *arg, int *ptid, void *tls,
		 int *ctid);

static long sc(long n, long a, long b, long c, long d)
{
	return __keel_syscall(n, a, b, c, d, 0, 0);
}

TEST(every_number_without_a_handler_is_enosys)
{
	int handled = 0;
	for (long n = -5; n < 600; n++) {
		if (keel_sys_lookup(n)) {
			handled++;
			continue;
		}
		CHECK_EQ(sc(n, 0, 0, 0, 0), -ENOSYS);
	}
	CHECK(handled > 60 && handled < 120);
}

TEST(what_keel_does_not_offer_is_enosys)
{
	static const long refused[] = {
		SYS_fork,         SYS_vfork,          SYS_execve,         SYS_execveat,
		SYS_clone3,       SYS_socket,         SYS_connect,        SYS_accept,
		SYS_accept4,      SYS_bind,           SYS_listen,         SYS_sendto,
		SYS_recvfrom,     SYS_socketpair,     SYS_ptrace,         SYS_mount,
		SYS_reboot,       SYS_setuid,         SYS_setgid,         SYS_epoll_create1,
		SYS_eventfd2,     SYS_signalfd4,      SYS_timerfd_create, SYS_inotify_init1,
		SYS_memfd_create, SYS_statx,          SYS_rt_sigreturn,   SYS_set_robust_list,
		SYS_membarrier,   SYS_io_uring_setup, SYS_shmget,         SYS_msgget,
		SYS_semget,       SYS_chroot,         SYS_sigaltstack,    SYS_rt_sigsuspend,
		SYS_pause,        SYS_alarm,          SYS_setitimer,      SYS_timer_create,
		SYS_setsid,       SYS_setpgid,        SYS_flock,
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
		if (sc(refused[i], 0, 0, 0, 0) != -ENOSYS)
			CHECK_FAIL("system call %ld: %ld", refused[i], sc(refused[i], 0, 0, 0, 0));
	CHECK_EQ(__keel_clone(NULL, NULL, SIGCHLD, NULL, NULL, NULL, NULL), -ENOSYS);
}

TEST(calls_with_a_more_precise_answer_give_it)
{
	keel_pid = 9; /* no kernel to ask: the task's id, as getpid would read it */
	CHECK_EQ(sc(SYS_wait4, -1, 0, 0, 0), -ECHILD);
	CHECK_EQ(sc(SYS_kill, 42, SIGTERM, 0, 0), -ESRCH);
	CHECK_EQ(sc(SYS_kill, 0, 0, 0, 0), 0);      /* its group: itself */
	CHECK_EQ(sc(SYS_kill, 1, 0, 0, 0), -ESRCH); /* initd's task */
	CHECK_EQ(sc(SYS_kill, 9, 0, 0, 0), 0);      /* its own pid */
	CHECK_EQ(sc(SYS_getpid, 0, 0, 0, 0), 9);
	CHECK_EQ(sc(SYS_tgkill, 7, 1, SIGTERM, 0), -ESRCH);
	CHECK_EQ(sc(SYS_getuid, 0, 0, 0, 0), 0);
	CHECK_EQ(sc(SYS_brk, 0, 0, 0, 0), 0);
	CHECK_EQ(sc(SYS_brk, 0x1000000, 0, 0, 0), 0);
	struct rlimit {
		unsigned long cur, max;
	} rl = { 1, 1 };
	CHECK_EQ(sc(SYS_prlimit64, 0, 7, (long)&rl, 0), -EPERM);
	CHECK_EQ(sc(SYS_prlimit64, 99, 7, 0, (long)&rl), -ESRCH);
	CHECK_EQ(sc(SYS_arch_prctl, 0x1001, 0, 0, 0), -EINVAL);
}

TEST(signal_handlers_cannot_be_installed_but_dfl_and_ign_can)
{
	struct {
		void (*h)(int);
		unsigned long flags;
		void (*r)(void);
		unsigned long mask;
	} act = { SIG_IGN, 0, 0, 0 }, old;
	CHECK_EQ(sc(SYS_rt_sigaction, SIGUSR1, (long)&act, (long)&old, 8), 0);
	CHECK(old.h == SIG_DFL);
	CHECK_EQ(sc(SYS_rt_sigaction, SIGUSR1, 0, (long)&old, 8), 0);
	CHECK(old.h == SIG_IGN);
	CHECK_EQ(sc(SYS_tkill, 1, SIGUSR1, 0, 0), 0); /* ignored: nothing happens */
	act.h = (void (*)(int))1234;
	CHECK_EQ(sc(SYS_rt_sigaction, SIGINT, (long)&act, 0, 8), -ENOSYS);
	act.h = SIG_IGN;
	CHECK_EQ(sc(SYS_rt_sigaction, SIGKILL, (long)&act, 0, 8), -EINVAL);
	CHECK_EQ(sc(SYS_rt_sigaction, 0, 0, 0, 8), -EINVAL);
	CHECK_EQ(sc(SYS_rt_sigaction, 65, 0, 0, 8), -EINVAL);
	CHECK_EQ(sc(SYS_rt_sigaction, SIGINT, 0, 0, 4), -EINVAL);
}

TEST(memory_calls_check_their_arguments)
{
	CHECK_EQ(sc(SYS_mmap, 0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS), -EINVAL);
	CHECK_EQ(sc(SYS_mmap, 0x123, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS), -EINVAL);
	CHECK_EQ(__keel_syscall(SYS_mmap, 0, 4096, PROT_READ, MAP_PRIVATE, 3, 0), -ENODEV);
	CHECK_EQ(__keel_syscall(SYS_mmap, 0, 4096, PROT_READ, MAP_PRIVATE, -1, 0), -EBADF);
	CHECK_EQ(__keel_syscall(SYS_mmap, 0, 4096, PROT_READ | PROT_EXEC,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
		 -EACCES);
	CHECK_EQ(sc(SYS_munmap, 0x1001, 4096, 0, 0), -EINVAL);
	CHECK_EQ(sc(SYS_munmap, 0x1000, 0, 0, 0), -EINVAL);
	CHECK_EQ(sc(SYS_mprotect, 0x1000, 4096, PROT_READ | PROT_EXEC, 0), -ENOSYS);
	CHECK_EQ(sc(SYS_mprotect, 0x1001, 4096, PROT_READ, 0), -EINVAL);
	CHECK_EQ(sc(SYS_madvise, 0x1000, 4096, 12345, 0), -EINVAL);
	CHECK_EQ(sc(SYS_madvise, 0x1000, 4096, MADV_WILLNEED, 0), 0);
	CHECK_EQ(__keel_syscall(SYS_mremap, 0x1000, 4096, 8192, 4, 0, 0), -EINVAL);
}

TEST(unknown_clocks_are_einval)
{
	struct timespec ts = { 0, 0 };
	CHECK_EQ(sc(SYS_clock_gettime, CLOCK_PROCESS_CPUTIME_ID, (long)&ts, 0, 0), -EINVAL);
	CHECK_EQ(sc(SYS_clock_gettime, CLOCK_THREAD_CPUTIME_ID, (long)&ts, 0, 0), -EINVAL);
	CHECK_EQ(sc(SYS_clock_getres, 99, (long)&ts, 0, 0), -EINVAL);
	CHECK_EQ(sc(SYS_clock_settime, CLOCK_MONOTONIC, (long)&ts, 0, 0), -EPERM);
	ts.tv_nsec = 1000000000;
	CHECK_EQ(sc(SYS_clock_settime, CLOCK_REALTIME, (long)&ts, 0, 0), -EINVAL);
	CHECK_EQ(sc(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, (long)&ts, 0), -EINVAL);
}

TEST(paths_resolve_and_then_find_nothing_until_vfsd)
{
	char name[300];
	memset(name, 'n', sizeof name);
	name[299] = 0;
	CHECK_EQ(sc(SYS_open, (long)"/etc/passwd", O_RDONLY, 0, 0), -ENOENT);
	CHECK_EQ(sc(SYS_open, (long)"", O_RDONLY, 0, 0), -ENOENT);
	CHECK_EQ(sc(SYS_open, (long)name, O_RDONLY, 0, 0), -ENAMETOOLONG);
	CHECK_EQ(sc(SYS_open, (long)"a/\x01", O_RDONLY, 0, 0), -EINVAL);
	CHECK_EQ(sc(SYS_open, (long)"/", O_RDONLY, 0, 0), -EACCES);
	CHECK_EQ(sc(SYS_open, (long)"/", O_RDWR, 0, 0), -EISDIR);
	CHECK_EQ(sc(SYS_openat, AT_FDCWD, (long)"x", O_RDONLY, 0), -ENOENT);
	CHECK_EQ(sc(SYS_openat, 77, (long)"x", O_RDONLY, 0), -EBADF);
	CHECK_EQ(sc(SYS_openat, 77, (long)"/x", O_RDONLY, 0), -ENOENT);
	CHECK_EQ(sc(SYS_unlink, (long)"/tmp/x", 0, 0, 0), -ENOENT);
	CHECK_EQ(sc(SYS_mkdir, (long)"/", 0755, 0, 0), -EEXIST);
	CHECK_EQ(sc(SYS_rmdir, (long)"/", 0, 0, 0), -EBUSY);
	CHECK_EQ(sc(SYS_access, (long)"/", R_OK, 0, 0), 0);
	CHECK_EQ(sc(SYS_access, (long)"/", W_OK, 0, 0), -EROFS);
	CHECK_EQ(sc(SYS_mkdir, (long)"/bundle/new", 0755, 0, 0), -EROFS);
	CHECK_EQ(sc(SYS_unlink, (long)"/bundle/x", 0, 0, 0), -EROFS);
	CHECK_EQ(sc(SYS_open, (long)"/bundle/x", O_RDWR, 0, 0), -EROFS);
	CHECK_EQ(sc(SYS_open, (long)"/bundle/x", O_RDONLY | O_CREAT, 0, 0), -EROFS);
	CHECK_EQ(sc(SYS_chdir, (long)"/nowhere", 0, 0, 0), -ENOENT);
	CHECK_EQ(sc(SYS_chdir, (long)"/a/..", 0, 0, 0), 0);
	char cwd[8];
	CHECK_EQ(sc(SYS_getcwd, (long)cwd, sizeof cwd, 0, 0), 2);
	CHECK_STR(cwd, "/");
	CHECK_EQ(sc(SYS_getcwd, (long)cwd, 1, 0, 0), -ERANGE);
	CHECK_EQ(sc(SYS_readlink, (long)"/x", (long)cwd, sizeof cwd, 0), -ENOENT);
	CHECK_EQ(sc(SYS_umask, 077, 0, 0, 0), 022);
	CHECK_EQ(sc(SYS_umask, 022, 0, 0, 0), 077);
	/* Without vfsd the root is a read-only file system with no blocks. */
	struct statfs fs;
	CHECK_EQ(sc(SYS_statfs, (long)"/", (long)&fs, 0, 0), 0);
	CHECK_EQ(fs.f_flags & ST_RDONLY, ST_RDONLY);
	CHECK_EQ(fs.f_blocks, 0);
	CHECK_EQ(sc(SYS_statfs, (long)"/etc", (long)&fs, 0, 0), -ENOENT);
	CHECK_EQ(sc(SYS_statfs, (long)"/dev/", (long)&fs, 0, 0), 0);
	CHECK_EQ(fs.f_type, 0x01021994); /* tmpfs, as Linux's /dev */
	CHECK_EQ(sc(SYS_statfs, (long)"/dev/null/", (long)&fs, 0, 0), -ENOTDIR);
	CHECK_EQ(sc(SYS_access, (long)"/dev/null/", F_OK, 0, 0), -ENOTDIR);
	CHECK_EQ(sc(SYS_fstatfs, 77, (long)&fs, 0, 0), -EBADF);
}

TEST(descriptors_start_on_the_console_and_answer_like_one)
{
	struct keel_start s = { 0 };
	s.witness = 5;
	keel_fd_init(&s);
	struct winsize w;
	CHECK_EQ(sc(SYS_ioctl, 1, TIOCGWINSZ, (long)&w, 0), 0);
	CHECK_EQ(w.ws_col, 80);
	CHECK_EQ(sc(SYS_ioctl, 2, 0x7777, 0, 0), -ENOTTY);
	CHECK_EQ(sc(SYS_lseek, 0, 0, SEEK_SET, 0), -ESPIPE);
	CHECK_EQ(__keel_syscall(SYS_pread64, 0, (long)&w, 1, 0, 0, 0), -ESPIPE);
	CHECK_EQ(sc(SYS_read, 0, (long)&w, sizeof w, 0), 0); /* end of file */
	CHECK_EQ(sc(SYS_read, 9, (long)&w, sizeof w, 0), -EBADF);
	CHECK_EQ(sc(SYS_write, 9, (long)"x", 1, 0), -EBADF);
	CHECK_EQ(sc(SYS_fcntl, 1, F_GETFL, 0, 0), O_RDWR);
	CHECK_EQ(sc(SYS_fcntl, 1, 9999, 0, 0), -EINVAL);
	CHECK_EQ(sc(SYS_fcntl, 9, F_GETFD, 0, 0), -EBADF);
	CHECK_EQ(sc(SYS_dup2, 1, 1, 0, 0), 1);
	CHECK_EQ(sc(SYS_dup3, 1, 1, 0, 0), -EINVAL);
	CHECK_EQ(sc(SYS_dup3, 1, 7, 0x1234, 0), -EINVAL);
	CHECK_EQ(sc(SYS_dup, 2, 0, 0, 0), 3);
	CHECK_EQ(sc(SYS_fsync, 3, 0, 0, 0), -EINVAL);
	CHECK_EQ(sc(SYS_close, 3, 0, 0, 0), 0);
	CHECK_EQ(sc(SYS_close, 3, 0, 0, 0), -EBADF);
	struct stat st;
	CHECK_EQ(sc(SYS_fstat, 0, (long)&st, 0, 0), 0);
	CHECK(S_ISCHR(st.st_mode));
	CHECK_EQ(sc(SYS_newfstatat, 0, (long)"", (long)&st, AT_EMPTY_PATH), 0);
	CHECK_EQ(sc(SYS_newfstatat, AT_FDCWD, (long)"/", (long)&st, 0), 0);
	CHECK(S_ISDIR(st.st_mode));
	CHECK_EQ(sc(SYS_newfstatat, AT_FDCWD, (long)"/x", (long)&st, 0), -ENOENT);
	struct statfs fs; /* the console is a file system without blocks */
	CHECK_EQ(sc(SYS_fstatfs, 1, (long)&fs, 0, 0), 0);
	CHECK_EQ(fs.f_blocks, 0);
}

TEST(dev_null_and_zero_are_the_c_librarys_own)
{
	char buf[16];
	struct stat st;
	long fd = sc(SYS_open, (long)"/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0666, 0);
	CHECK(fd >= 0);
	CHECK_EQ(sc(SYS_write, fd, (long)"dropped", 7, 0), 7);
	CHECK_EQ(sc(SYS_read, fd, (long)buf, sizeof buf, 0), -EBADF); /* opened write-only */
	CHECK_EQ(sc(SYS_lseek, fd, 100, SEEK_SET, 0), 0);
	CHECK_EQ(sc(SYS_fstat, fd, (long)&st, 0, 0), 0);
	CHECK(S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 && minor(st.st_rdev) == 3);
	CHECK_EQ(sc(SYS_close, fd, 0, 0, 0), 0);
	fd = sc(SYS_open, (long)"/dev/../dev/null", O_RDWR, 0, 0);
	CHECK_EQ(sc(SYS_read, fd, (long)buf, sizeof buf, 0), 0); /* end of file */
	sc(SYS_close, fd, 0, 0, 0);
	fd = sc(SYS_open, (long)"/dev/zero", O_RDONLY, 0, 0);
	memset(buf, 'x', sizeof buf);
	CHECK_EQ(sc(SYS_read, fd, (long)buf, sizeof buf, 0), sizeof buf);
	CHECK(buf[0] == 0 && buf[15] == 0);
	sc(SYS_close, fd, 0, 0, 0);
	CHECK_EQ(sc(SYS_open, (long)"/dev/null", O_WRONLY | O_CREAT | O_EXCL, 0666, 0), -EEXIST);
	CHECK_EQ(sc(SYS_open, (long)"/dev/null/", O_RDONLY, 0, 0), -ENOTDIR);
	CHECK_EQ(sc(SYS_open, (long)"/dev/nope", O_RDONLY, 0, 0), -ENOENT);
	CHECK_EQ(sc(SYS_open, (long)"/dev/nope", O_WRONLY | O_CREAT, 0666, 0), -EROFS);
	CHECK_EQ(sc(SYS_open, (long)"/dev", O_RDWR, 0, 0), -EISDIR);
	CHECK_EQ(sc(SYS_mkdir, (long)"/dev/x", 0755, 0, 0), -EROFS);
	CHECK_EQ(sc(SYS_unlink, (long)"/dev/null", 0, 0, 0), -EROFS);
	CHECK_EQ(sc(SYS_access, (long)"/dev/null", R_OK | W_OK, 0, 0), 0);
	CHECK_EQ(sc(SYS_access, (long)"/dev", W_OK, 0, 0), -EROFS);
	CHECK_EQ(sc(SYS_newfstatat, AT_FDCWD, (long)"/dev", (long)&st, 0), 0);
	CHECK(S_ISDIR(st.st_mode));
	CHECK_EQ(sc(SYS_newfstatat, AT_FDCWD, (long)"/dev/zero", (long)&st, 0), 0);
	CHECK(S_ISCHR(st.st_mode) && minor(st.st_rdev) == 5);
	/* /dev/tty: the console terminal, which this test has none of. */
	CHECK_EQ(sc(SYS_newfstatat, AT_FDCWD, (long)"/dev/tty", (long)&st, 0), 0);
	CHECK(S_ISCHR(st.st_mode) && major(st.st_rdev) == 5 && minor(st.st_rdev) == 0);
	CHECK_EQ(sc(SYS_open, (long)"/dev/tty", O_RDWR, 0, 0), -ENXIO);
	/* Times: none are kept here; what is not there is still ENOENT. */
	CHECK_EQ(sc(SYS_utimensat, AT_FDCWD, (long)"/dev/null", 0, 0), -EROFS);
	CHECK_EQ(sc(SYS_utimensat, AT_FDCWD, (long)"/dev/nope", 0, 0), -ENOENT);
	CHECK_EQ(sc(SYS_utimensat, AT_FDCWD, (long)"/etc/x", 0, 0), -ENOENT);
	CHECK_EQ(sc(SYS_utimensat, AT_FDCWD, (long)"/", 0, 0), 0);
}

TEST(dev_lists_its_three_and_names_them_to_a_child)
{
	union {
		struct dirent d;
		char b[512];
	} u;
	char names[64] = "";
	long dir = sc(SYS_open, (long)"/dev", O_RDONLY | O_DIRECTORY, 0, 0), n;
	CHECK(dir >= 0);
	/* A buffer of one record at a time: the offset moves on. */
	while ((n = sc(SYS_getdents64, dir, (long)&u, offsetof(struct dirent, d_name) + 8, 0)) >
	       0) {
		strcat(names, u.d.d_name);
		strcat(names, ",");
	}
	CHECK_EQ(n, 0);
	CHECK_STR(names, ".,..,null,tty,zero,");
	CHECK_EQ(sc(SYS_getdents64, dir, (long)&u, 4, 0), 0); /* at the end, nothing */
	CHECK_EQ(sc(SYS_lseek, dir, 0, SEEK_SET, 0), 0);
	CHECK_EQ(sc(SYS_getdents64, dir, (long)&u, 4, 0), -EINVAL); /* no record fits */
	CHECK(sc(SYS_getdents64, dir, (long)&u, sizeof u, 0) > 0);
	sc(SYS_close, dir, 0, 0, 0);
	long fd = sc(SYS_open, (long)"/dev/null", O_RDONLY, 0, 0);
	CHECK_EQ(sc(SYS_getdents64, fd, (long)&u, sizeof u, 0), -ENOTDIR);
	sc(SYS_close, fd, 0, 0, 0);
	/* A child's devices string: good words open, the rest are ignored. */
	keel_dev_adopt("7=zero 8=null 9=nope x=null 10 11=nullx  12=null 13=tty");
	struct keel_file *f = fdt_get(keel_fdt(), 7);
	CHECK(f && !strcmp(keel_dev_name(f), "zero"));
	fdt_put(keel_fdt(), f);
	CHECK((f = fdt_get(keel_fdt(), 12)) != NULL);
	fdt_put(keel_fdt(), f);
	CHECK(fdt_get(keel_fdt(), 9) == NULL && fdt_get(keel_fdt(), 10) == NULL &&
	      fdt_get(keel_fdt(), 11) == NULL);
	CHECK(fdt_get(keel_fdt(), 13) == NULL); /* a terminal travels as its capability */
	CHECK_EQ(sc(SYS_write, 8, (long)"x", 1, 0), 1);
	for (int i = 7; i <= 12; i++)
		sc(SYS_close, i, 0, 0, 0);
	keel_dev_adopt(NULL);
	keel_dev_adopt("");
}

int main(void)
{
	RUN(every_number_without_a_handler_is_enosys);
	RUN(what_keel_does_not_offer_is_enosys);
	RUN(calls_with_a_more_precise_answer_give_it);
	RUN(signal_handlers_cannot_be_installed_but_dfl_and_ign_can);
	RUN(memory_calls_check_their_arguments);
	RUN(unknown_clocks_are_einval);
	RUN(paths_resolve_and_then_find_nothing_until_vfsd);
	RUN(descriptors_start_on_the_console_and_answer_like_one);
	RUN(dev_null_and_zero_are_the_c_librarys_own);
	RUN(dev_lists_its_three_and_names_them_to_a_child);
	return check_summary();
}
