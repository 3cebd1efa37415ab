/*
 * os_null.c - an OS layer that starts nothing, for the fuzzers: spawning
 * fails with ENOSYS, there are never children, no signal ever arrives, and
 * there is no terminal.  The shell's own error paths handle all of it.
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "../sh_os.h"

int os_spawn(const struct os_spawn_req *req, pid_t *pid)
{
	(void)req;
	*pid = 0;
	return ENOSYS;
}

pid_t os_wait(pid_t pid, int flags, struct os_status *st)
{
	(void)pid, (void)flags, (void)st;
	errno = ECHILD;
	return -1;
}

pid_t os_wait_interruptible(pid_t pid, int flags, struct os_status *st)
{
	return os_wait(pid, flags | OS_WAIT_BLOCK, st);
}

int os_kill(pid_t pid, int sig)
{
	(void)pid, (void)sig;
	return ESRCH;
}

int os_foreground(pid_t pid)
{
	(void)pid;
	return ESRCH;
}

int os_background(pid_t pid)
{
	(void)pid;
	return ESRCH;
}

bool os_program_known(const char *name)
{
	(void)name;
	return false;
}

int os_pipe(int fds[2])
{
	return pipe2(fds, O_CLOEXEC) == 0 ? 0 : errno;
}

int os_pipe_write(int fd, const void *buf, size_t len)
{
	(void)fd, (void)buf, (void)len;
	return EPIPE;
}

const char *os_shell_path(void)
{
	return "sh";
}

pid_t os_getpid(void)
{
	return 4242;
}

pid_t os_getppid(void)
{
	return 1;
}

void os_signal_setup(bool interactive)
{
	(void)interactive;
}

bool os_interrupted(void)
{
	return false;
}

void os_interrupt_clear(void)
{
}

bool os_stop_typed(void)
{
	return false;
}

bool os_signal_mode(int sig, int mode)
{
	(void)mode;
	return sig > 0 && sig < 65;
}

unsigned long long os_signals_pending(void)
{
	return 0;
}

bool os_signal_was_ignored(int sig)
{
	(void)sig;
	return false;
}

int os_signal_count(void)
{
	return 65;
}

const char *os_signal_name(int sig)
{
	return sig == 2 ? "INT" : sig == 15 ? "TERM" : sig == 1 ? "HUP" : NULL;
}

int os_signal_number(const char *name)
{
	if (strcmp(name, "INT") == 0)
		return 2;
	if (strcmp(name, "TERM") == 0)
		return 15;
	if (strcmp(name, "HUP") == 0)
		return 1;
	return -1;
}

const char *os_signal_describe(int sig)
{
	(void)sig;
	return "Signal";
}

bool os_isatty(int fd)
{
	(void)fd;
	return false;
}

int os_term_raw(int fd, bool on)
{
	(void)fd, (void)on;
	return ENOTTY;
}

void *os_term_stopped(int fd)
{
	(void)fd;
	return NULL;
}

void os_term_resume(int fd, const void *modes)
{
	(void)fd, (void)modes;
}

int os_term_columns(int fd)
{
	(void)fd;
	return 80;
}

void os_times(double t[4])
{
	memset(t, 0, sizeof(double) * 4);
}
