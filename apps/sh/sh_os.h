/*
 * sh_os.h - everything the shell needs from the operating system beyond
 * ordinary C and POSIX file calls.
 *
 * Keel has no fork() and no exec(): a program is started by asking the
 * launcher to spawn it by name with argv, environment, working directory and
 * a chosen set of file descriptors.  The shell therefore creates processes
 * only through os_spawn(), and runs subshells by spawning itself
 * (os_shell_path()) with its state on a descriptor.  os_posix.c implements
 * this on the host with posix_spawn; Keel's launcher-based implementation
 * replaces that one file.
 *
 * Signals are reduced to what the shell needs: "an interrupt arrived"
 * (Ctrl-C), "a stop was typed" (Ctrl-Z) and the trap-able events the
 * platform can deliver, all polled.
 */
#ifndef SH_OS_H
#define SH_OS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Child file descriptors 0..OS_MAXFD-1 can be mapped by os_spawn. */
#define OS_MAXFD 64

struct os_spawn_req {
	const char *path; /* program path (or name on Keel) */
	char *const *argv;
	char *const *envp;
	const char *cwd; /* NULL: the shell's own */
	/* fdmap[i] is the parent descriptor that becomes child fd i, or -1
	 * for "closed in the child"; entries past nfd are closed. */
	const int *fdmap;
	int nfd;
	bool ignore_int; /* child starts with interrupts ignored */
};

/* A child's change of state as the shell sees it: it ended (with code or
 * by signal sig), or it stopped and lives on (stop). */
struct os_status {
	int code; /* exit code 0..255 when it exited */
	int sig;  /* signal number when signaled, else 0 */
	int stop; /* signal that stopped it (SIGTSTP, SIGSTOP, ...), else 0 */
	bool core;
};

/* os_wait's flags.  Only an interactive shell asks for stops: without
 * OS_WAIT_STOPS a stopped child is not reported (it is waited for until
 * it ends), as in a shell without job control. */
#define OS_WAIT_BLOCK 1 /* wait until a child changes state */
#define OS_WAIT_STOPS 2 /* also report a child that stopped (WUNTRACED) */

/* Starts a child.  Returns 0 and sets *pid, or an errno value (ENOENT,
 * EACCES, ENOEXEC, ...) when the program could not be started. */
int os_spawn(const struct os_spawn_req *req, pid_t *pid);

/* Waits for child pid (or any child when pid is -1) to end or, with
 * OS_WAIT_STOPS, to stop (once per stop).  Returns the pid that changed
 * state, 0 without OS_WAIT_BLOCK when nothing is ready, -1 with errno
 * ECHILD when there are no children or EINTR when an event interrupted the
 * wait (check os_interrupted / os_stop_typed / os_signals_pending). */
pid_t os_wait(pid_t pid, int flags, struct os_status *st);

/* Waits for child pid (or any when -1) as the `wait` builtin does: as
 * os_wait(pid, flags | OS_WAIT_BLOCK, st), and an interrupt typed meanwhile
 * ends the wait with EINTR also on Keel, whose waitpid it does not end
 * (the shell then looks every 20 ms). */
pid_t os_wait_interruptible(pid_t pid, int flags, struct os_status *st);

/* Sends signal sig to child pid (the Keel layer maps SIGINT/SIGTERM/SIGKILL
 * to "interrupt" and "kill"; SIGCONT continues a stopped child, SIGSTOP
 * and SIGTSTP stop one).  Returns 0 or an errno value. */
int os_kill(pid_t pid, int sig);

/* Brings background child pid to the foreground, so that an interrupt or
 * a stop typed on the terminal reaches it (fg).  On Keel the console's
 * controller (initd) ends and stops the foreground children itself; on the
 * host, where the shell forwards interrupts and stops (jobs.c), it does
 * nothing.  Returns 0 or an errno value. */
int os_foreground(pid_t pid);

/* Moves child pid to the background, out of the reach of interrupts and
 * stops typed on the terminal (a job that stopped, and bg).  Nothing to
 * do on the host.  Returns 0 or an errno value. */
int os_background(pid_t pid);

/* True if the platform starts name without a file for it in PATH (on
 * Keel: the toolbox's commands, which the launcher finds by name); the
 * host never does. */
bool os_program_known(const char *name);

/* Makes a pipe whose ends are not inherited by spawned children unless
 * mapped explicitly.  Returns 0 or an errno value. */
int os_pipe(int fds[2]);

/* Writes all of buf to a pipe whose reader may have gone away: returns 0 or
 * an errno value (EPIPE), never raising a signal. */
int os_pipe_write(int fd, const void *buf, size_t len);

/* The program to spawn for a child shell ("/proc/self/exe" on the host,
 * "sh" on Keel), and this process' id. */
const char *os_shell_path(void);
pid_t os_getpid(void);
pid_t os_getppid(void);

/* Interrupts: os_signal_setup installs the handling once at start;
 * os_interrupted() reports and clears an arrived interrupt. */
void os_signal_setup(bool interactive);
bool os_interrupted(void);
void os_interrupt_clear(void);

/* Reports and clears a stop (Ctrl-Z) typed on the terminal that the
 * interactive shell must pass on to its foreground job, by stopping it
 * with SIGSTOP (the host: children start with SIGTSTP ignored, and a
 * shell that leads its session could not have them stopped by it).  On
 * Keel always false: the console's controller stops the foreground job
 * itself. */
bool os_stop_typed(void);

/* Trap-able signals: catch (1), ignore (2) or default (0).  Returns false
 * when the platform cannot deliver that signal. */
bool os_signal_mode(int sig, int mode);
/* Returns and clears the set of caught signals that arrived (bit n-1 for
 * signal n), or 0. */
unsigned long long os_signals_pending(void);
/* Whether sig was ignored when the shell started (POSIX: cannot be
 * trapped by a non-interactive shell). */
bool os_signal_was_ignored(int sig);
int os_signal_count(void);               /* highest signal number + 1 */
const char *os_signal_name(int sig);     /* "INT", or NULL */
int os_signal_number(const char *name);  /* -1 when unknown */
const char *os_signal_describe(int sig); /* "Killed", ... */

/* Terminal: raw mode for the line editor, window width. */
bool os_isatty(int fd);
int os_term_raw(int fd, bool on); /* 0 or errno */
int os_term_columns(int fd);      /* 80 when unknown */

/* A stopped job's terminal modes: os_term_stopped saves fd's modes as
 * the job left them (NULL when fd is no terminal; the caller frees it)
 * and puts back the ones the shell ran the job with, so that a program
 * stopped in its own modes (no echo, not canonical) does not leave them
 * to the shell's next commands; os_term_resume gives them back before
 * fg continues the job. */
void *os_term_stopped(int fd);
void os_term_resume(int fd, const void *modes);

/* Times for the `times` builtin, in seconds. */
void os_times(double t[4]);

#endif
