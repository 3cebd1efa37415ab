/*
 * os_posix.c - the host implementation of sh_os.h, on posix_spawn, waitpid,
 * signals and termios.  It never calls fork(): musl's posix_spawn uses a
 * vfork-style clone and exec, which stands in for Keel's launcher.
 *
 * On Keel (built with SH_KEEL) the same code runs over the C library's
 * back-end: posix_spawn, waitpid, kill and pipes go through the launch
 * protocol (docs/launch.md); a child shell is the program "sh".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "sh_os.h"

#ifdef SH_KEEL
#include "keel/launch.h"

/* The C library's job control for children (sysroot/keel/spawn.c), and
 * its count of interrupts typed on the console (sysroot/keel/terminal.c):
 * Keel delivers no SIGINT, so the shell notices Ctrl-C by that count
 * changing, and has reads and polls of the terminal end with EINTR. */
int keel_spawn_job(int pid, unsigned flags);
unsigned keel_terminal_interrupts(void);
int keel_terminal_catch(int on);
#endif

#define NSIG_SH 65

/* Signal state is necessarily global: handlers have no other channel. */
static volatile sig_atomic_t interrupted;
static volatile sig_atomic_t stop_typed; /* Ctrl-Z: SIGTSTP to the shell */
static volatile sig_atomic_t pending[NSIG_SH];
static unsigned char caught[NSIG_SH]; /* trap installed */
static unsigned char ignored_at_start[NSIG_SH];
static unsigned char ignored_now[NSIG_SH]; /* trap '' */
static bool shell_interactive;
static struct termios saved_termios;
static bool have_saved_termios;

#ifdef SH_KEEL
/* The console's interrupt count the shell has acted on. */
static unsigned intr_seen;

/* Turns a change of the console's interrupt count into an interrupt. */
static void keel_intr_poll(void)
{
	unsigned n;

	if (shell_interactive && (n = keel_terminal_interrupts()) != intr_seen) {
		intr_seen = n;
		interrupted = 1;
		if (caught[SIGINT])
			pending[SIGINT] = 1;
	}
}

/* Whether an interrupt was typed that the shell has not noticed yet. */
static bool keel_intr_waiting(void)
{
	return shell_interactive && keel_terminal_interrupts() != intr_seen;
}
#endif

static void on_signal(int sig)
{
	if (sig == SIGINT && shell_interactive)
		interrupted = 1;
	if (sig == SIGTSTP && shell_interactive)
		stop_typed = 1;
	if (sig > 0 && sig < NSIG_SH && caught[sig])
		pending[sig] = 1;
}

static void set_handler(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: waits must see EINTR */
	sigaction(sig, &sa, NULL);
}

/* The dispositions the shell itself wants for sig when no trap is set:
 * an interactive shell notes Ctrl-C and Ctrl-Z (its own SIGTSTP does not
 * stop it) and ignores the other terminal signals. */
static void base_disposition(int sig)
{
	if (shell_interactive && (sig == SIGINT || sig == SIGTSTP))
		set_handler(sig, on_signal);
	else if (shell_interactive &&
		 (sig == SIGTERM || sig == SIGQUIT || sig == SIGTTIN || sig == SIGTTOU))
		set_handler(sig, SIG_IGN);
	else if (ignored_at_start[sig])
		set_handler(sig, SIG_IGN);
	else
		set_handler(sig, SIG_DFL);
}

void os_signal_setup(bool interactive)
{
	shell_interactive = interactive;
	for (int sig = 1; sig < NSIG_SH; sig++) {
		struct sigaction old;

		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		if (sigaction(sig, NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			ignored_at_start[sig] = 1;
	}
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
#ifdef SH_KEEL
	/* Ctrl-C passes this shell by and ends its foreground children; its
	 * background jobs start with SIGINT ignored (docs/launch.md). */
	if (interactive) {
		keel_spawn_job(0, LAUNCH_JOB_CATCH);
		keel_terminal_catch(1);
		intr_seen = keel_terminal_interrupts();
	}
#endif
	if (interactive) {
		base_disposition(SIGINT);
		base_disposition(SIGTERM);
		base_disposition(SIGQUIT);
		base_disposition(SIGTSTP);
		base_disposition(SIGTTIN);
		base_disposition(SIGTTOU);
	}
}

bool os_interrupted(void)
{
#ifdef SH_KEEL
	keel_intr_poll();
#endif
	if (!interrupted)
		return false;
	interrupted = 0;
	return true;
}

bool os_stop_typed(void)
{
	if (!stop_typed)
		return false;
	stop_typed = 0;
	return true;
}

void os_interrupt_clear(void)
{
#ifdef SH_KEEL
	if (shell_interactive)
		intr_seen = keel_terminal_interrupts();
#endif
	interrupted = 0;
}

bool os_signal_mode(int sig, int mode)
{
	if (sig <= 0 || sig >= NSIG_SH || sig == SIGKILL || sig == SIGSTOP)
		return false;
	caught[sig] = mode == 1;
	ignored_now[sig] = mode == 2;
	pending[sig] = 0;
	if (mode == 1)
		set_handler(sig, on_signal);
	else if (mode == 2)
		set_handler(sig, SIG_IGN);
	else
		base_disposition(sig);
	return true;
}

unsigned long long os_signals_pending(void)
{
	unsigned long long set = 0;

#ifdef SH_KEEL
	keel_intr_poll();
#endif
	for (int sig = 1; sig < NSIG_SH; sig++) {
		if (pending[sig]) {
			pending[sig] = 0;
			set |= 1ULL << (sig - 1);
		}
	}
	return set;
}

bool os_signal_was_ignored(int sig)
{
	return sig > 0 && sig < NSIG_SH && ignored_at_start[sig];
}

static const struct {
	int num;
	const char *name;
	const char *text;
} signal_table[] = {
	{ SIGHUP, "HUP", "Hangup" },
	{ SIGINT, "INT", "" },
	{ SIGQUIT, "QUIT", "Quit" },
	{ SIGILL, "ILL", "Illegal instruction" },
	{ SIGTRAP, "TRAP", "Trace/BPT trap" },
	{ SIGABRT, "ABRT", "Aborted" },
	{ SIGBUS, "BUS", "Bus error" },
	{ SIGFPE, "FPE", "Floating point exception" },
	{ SIGKILL, "KILL", "Killed" },
	{ SIGUSR1, "USR1", "User defined signal 1" },
	{ SIGSEGV, "SEGV", "Segmentation fault" },
	{ SIGUSR2, "USR2", "User defined signal 2" },
	{ SIGPIPE, "PIPE", "" },
	{ SIGALRM, "ALRM", "Alarm clock" },
	{ SIGTERM, "TERM", "Terminated" },
	{ SIGCHLD, "CHLD", "" },
	{ SIGCONT, "CONT", "" },
	{ SIGSTOP, "STOP", "Stopped (signal)" },
	{ SIGTSTP, "TSTP", "Stopped" },
	{ SIGTTIN, "TTIN", "Stopped (tty input)" },
	{ SIGTTOU, "TTOU", "Stopped (tty output)" },
	{ SIGURG, "URG", "" },
	{ SIGXCPU, "XCPU", "CPU time limit exceeded" },
	{ SIGXFSZ, "XFSZ", "File size limit exceeded" },
	{ SIGVTALRM, "VTALRM", "Virtual timer expired" },
	{ SIGPROF, "PROF", "Profiling timer expired" },
	{ SIGWINCH, "WINCH", "" },
	{ SIGIO, "IO", "I/O possible" },
	{ SIGPWR, "PWR", "Power failure" },
	{ SIGSYS, "SYS", "Bad system call" },
};

#define NSIGTAB (sizeof(signal_table) / sizeof(signal_table[0]))

int os_signal_count(void)
{
	return NSIG_SH;
}

const char *os_signal_name(int sig)
{
	for (size_t i = 0; i < NSIGTAB; i++)
		if (signal_table[i].num == sig)
			return signal_table[i].name;
	return NULL;
}

int os_signal_number(const char *name)
{
	if (strncasecmp(name, "SIG", 3) == 0)
		name += 3;
	for (size_t i = 0; i < NSIGTAB; i++)
		if (strcasecmp(signal_table[i].name, name) == 0)
			return signal_table[i].num;
	return -1;
}

const char *os_signal_describe(int sig)
{
	for (size_t i = 0; i < NSIGTAB; i++)
		if (signal_table[i].num == sig)
			return signal_table[i].text;
	return "Unknown signal";
}

/* Adds the dup2 actions that build the child's descriptor table from
 * fdmap: every source first goes to a scratch slot above all sources, so a
 * mapping may permute descriptors freely. */
static int add_fd_actions(posix_spawn_file_actions_t *fa, const int *fdmap, int nfd)
{
	int base = OS_MAXFD;
	int err = 0;

	for (int i = 0; i < nfd; i++)
		if (fdmap[i] >= base)
			base = fdmap[i] + 1;
	for (int i = 0; i < nfd && !err; i++)
		if (fdmap[i] >= 0)
			err = posix_spawn_file_actions_adddup2(fa, fdmap[i], base + i);
	for (int i = 0; i < OS_MAXFD && !err; i++) {
		if (i < nfd && fdmap[i] >= 0)
			err = posix_spawn_file_actions_adddup2(fa, base + i, i);
		else if (fcntl(i, F_GETFD) >= 0)
			err = posix_spawn_file_actions_addclose(fa, i);
	}
	for (int i = 0; i < nfd && !err; i++)
		if (fdmap[i] >= 0)
			err = posix_spawn_file_actions_addclose(fa, base + i);
	return err;
}

/* Signals the child must start with at their default action: all but
 * those ignored when the shell started and, for background jobs, SIGINT
 * and SIGQUIT; the interactive shell's job-control signals too, which its
 * children start with ignored: Ctrl-Z stops only the shell's children,
 * with the SIGSTOP it sends its foreground job, and not theirs, which
 * only a process group would let it continue. */
static void child_sigdefault(sigset_t *set, bool ignore_int)
{
	sigemptyset(set);
	for (int sig = 1; sig < NSIG_SH; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP || ignored_at_start[sig] || ignored_now[sig])
			continue;
		if (ignore_int && (sig == SIGINT || sig == SIGQUIT))
			continue;
		if (shell_interactive && (sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU))
			continue;
		sigaddset(set, sig);
	}
}

int os_spawn(const struct os_spawn_req *req, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t def, mask;
	struct sigaction oint, oquit, otstp, ign;
	int err;

	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	err = add_fd_actions(&fa, req->fdmap, req->nfd);
	if (!err && req->cwd)
		err = posix_spawn_file_actions_addchdir_np(&fa, req->cwd);
	child_sigdefault(&def, req->ignore_int);
	sigemptyset(&mask);
	posix_spawnattr_setsigdefault(&attr, &def);
	posix_spawnattr_setsigmask(&attr, &mask);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
	/* A signal the shell catches starts at its default in the child:
	 * those the child must ignore are ignored meanwhile. */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	if (req->ignore_int) {
		sigaction(SIGINT, &ign, &oint);
		sigaction(SIGQUIT, &ign, &oquit);
	}
	if (shell_interactive)
		sigaction(SIGTSTP, &ign, &otstp);
	if (!err)
		err = posix_spawn(pid, req->path, &fa, &attr, req->argv, req->envp);
	if (shell_interactive)
		sigaction(SIGTSTP, &otstp, NULL);
	if (req->ignore_int) {
		sigaction(SIGINT, &oint, NULL);
		sigaction(SIGQUIT, &oquit, NULL);
	}
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	return err;
}

pid_t os_wait(pid_t pid, int flags, struct os_status *st)
{
	int ws;
	bool block = flags & OS_WAIT_BLOCK;
#ifdef SH_KEEL
	bool waiting = block && keel_intr_waiting();
#endif
	pid_t r = waitpid(pid, &ws,
			  (block ? 0 : WNOHANG) | (flags & OS_WAIT_STOPS ? WUNTRACED : 0));

	if (r <= 0)
		return r;
	memset(st, 0, sizeof(*st));
	if (WIFEXITED(ws)) {
		st->code = WEXITSTATUS(ws);
	} else if (WIFSIGNALED(ws)) {
		st->sig = WTERMSIG(ws);
		st->core = WCOREDUMP(ws);
	} else if (WIFSTOPPED(ws)) {
		st->stop = WSTOPSIG(ws);
	}
#ifdef SH_KEEL
	/* An interrupt typed while a child ran in the foreground was the
	 * controller's to deliver: it ended the child (SIGINT, seen by the
	 * caller) or the child catches (a nested shell) and survived it.
	 * Either way it is not the shell's; one typed before the wait is. */
	if (block && !waiting && st->sig != SIGINT && shell_interactive)
		intr_seen = keel_terminal_interrupts();
#endif
	return r;
}

pid_t os_wait_interruptible(pid_t pid, int flags, struct os_status *st)
{
#ifdef SH_KEEL
	/* Keel's waitpid is a call to the launcher that Ctrl-C does not end:
	 * look for an ended child, and for an interrupt, every 20 ms. */
	const struct timespec tick = { 0, 20000000 };

	while (shell_interactive) {
		pid_t r = os_wait(pid, flags & ~OS_WAIT_BLOCK, st);

		if (r != 0)
			return r;
		if (keel_intr_waiting()) {
			errno = EINTR;
			return -1;
		}
		nanosleep(&tick, NULL);
	}
#endif
	return os_wait(pid, flags | OS_WAIT_BLOCK, st);
}

int os_kill(pid_t pid, int sig)
{
	return kill(pid, sig) == 0 ? 0 : errno;
}

int os_foreground(pid_t pid)
{
#ifdef SH_KEEL
	return keel_spawn_job(pid, 0);
#else
	(void)pid;
	return 0;
#endif
}

int os_background(pid_t pid)
{
#ifdef SH_KEEL
	return keel_spawn_job(pid, LAUNCH_JOB_BACKGROUND);
#else
	(void)pid;
	return 0;
#endif
}

int os_pipe(int fds[2])
{
	return pipe2(fds, O_CLOEXEC) == 0 ? 0 : errno;
}

int os_pipe_write(int fd, const void *buf, size_t len)
{
	struct sigaction ign, old;
	const char *p = buf;
	int err = 0;

	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &old);
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = errno;
			break;
		}
		p += n;
		len -= (size_t)n;
	}
	sigaction(SIGPIPE, &old, NULL);
	return err;
}

#ifdef SH_KEEL
/* Reads all of fd into buf (n bytes, NUL-terminated). */
static void read_list(int fd, char *buf, size_t n)
{
	size_t len = 0;
	ssize_t r;

	while (len + 1 < n && (r = read(fd, buf + len, n - 1 - len)) > 0)
		len += (size_t)r;
	buf[len] = 0;
}

/* One ask of the toolbox for its command names into list (n bytes): 0 if
 * it gave some, otherwise the spawn's errno (ENOENT: there is no toolbox)
 * or -1, and a failed ask other than ENOENT is reported on standard error
 * with what went wrong. */
static int toolbox_ask(char *list, size_t n)
{
	int p[2], map[OS_MAXFD], st = 0;
	pid_t pid, reaped = -1;
	char *argv[] = { (char *)"toolbox", (char *)"--list", NULL }, *envp[] = { NULL };
	int err = os_pipe(p);

	if (!err) {
		for (int i = 0; i < OS_MAXFD; i++)
			map[i] = i == 1 ? p[1] : i == 2 ? 2 : -1;
		struct os_spawn_req req = { "toolbox", argv, envp, NULL, map, OS_MAXFD, false };
		err = os_spawn(&req, &pid);
		close(p[1]);
		if (!err)
			read_list(p[0], list, n);
		close(p[0]);
		if (!err)
			reaped = waitpid(pid, &st, 0);
	}
	if (list[0])
		return 0;
	if (err == ENOENT)
		return err;
	if (err)
		dprintf(2, "sh: cannot ask the toolbox for its commands: %s\n", strerror(err));
	else if (reaped != pid)
		dprintf(2, "sh: the toolbox listed no commands, and its end was not seen\n");
	else
		dprintf(2, "sh: the toolbox listed no commands (status %d)\n",
			WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	return err ? err : -1;
}

/* The toolbox's command names, one a line ("toolbox --list"), asked once
 * per shell. An ask that fails is made again at once, twice, and then at
 * the next lookup, rather than leaving this shell without its everyday
 * commands for the rest of its life; with no toolbox at all it is not
 * made again. */
static const char *toolbox_list(void)
{
	static char list[4096];
	static bool none;

	for (int tries = 0; tries < 3 && !list[0] && !none; tries++)
		none = toolbox_ask(list, sizeof(list)) == ENOENT;
	return list;
}

bool os_program_known(const char *name)
{
	size_t k = strlen(name);

	for (const char *l = toolbox_list(); *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : "")
		if (strncmp(l, name, k) == 0 && (l[k] == '\n' || l[k] == 0))
			return k > 0;
	return false;
}
#else
bool os_program_known(const char *name)
{
	(void)name;
	return false;
}
#endif

const char *os_shell_path(void)
{
#ifdef SH_KEEL
	return "sh"; /* the launcher starts programs by name */
#else
	return "/proc/self/exe";
#endif
}

pid_t os_getpid(void)
{
	return getpid();
}

pid_t os_getppid(void)
{
	return getppid();
}

bool os_isatty(int fd)
{
	return isatty(fd);
}

int os_term_raw(int fd, bool on)
{
	struct termios t;

	if (!on) {
		if (have_saved_termios && tcsetattr(fd, TCSADRAIN, &saved_termios) != 0)
			return errno;
		return 0;
	}
	if (tcgetattr(fd, &saved_termios) != 0)
		return errno;
	have_saved_termios = true;
	t = saved_termios;
	/* The line editor takes Ctrl-C as a byte and abandons the line: no
	 * signal reaches the shell on Keel, and on the host a SIGINT or
	 * SIGTSTP from the terminal would reach every job started in the
	 * foreground, stopped and continued with bg ones too (the shell has no
	 * process groups). */
	t.c_lflag &= ~(tcflag_t)(ICANON | ECHO | IEXTEN | ISIG);
	t.c_iflag &= ~(tcflag_t)(IXON | ICRNL | INLCR);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	return tcsetattr(fd, TCSADRAIN, &t) == 0 ? 0 : errno;
}

void *os_term_stopped(int fd)
{
	struct termios *job = malloc(sizeof(*job));

	if (!job || tcgetattr(fd, job) != 0) {
		free(job);
		return NULL;
	}
	/* The modes the line editor found before the line that started the
	 * job, and put back to run it. */
	if (have_saved_termios)
		tcsetattr(fd, TCSADRAIN, &saved_termios);
	return job;
}

void os_term_resume(int fd, const void *modes)
{
	if (modes)
		tcsetattr(fd, TCSADRAIN, (const struct termios *)modes);
}

int os_term_columns(int fd)
{
	struct winsize ws;

	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

void os_times(double t[4])
{
	struct rusage self, kids;

	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	t[0] = self.ru_utime.tv_sec + self.ru_utime.tv_usec / 1e6;
	t[1] = self.ru_stime.tv_sec + self.ru_stime.tv_usec / 1e6;
	t[2] = kids.ru_utime.tv_sec + kids.ru_utime.tv_usec / 1e6;
	t[3] = kids.ru_stime.tv_sec + kids.ru_stime.tv_usec / 1e6;
}
