/*
 * term_posix.c - the terminal layer (term.h) for POSIX hosts: termios raw
 * mode, TIOCGWINSZ and SIGWINCH. Keel replaces this file.
 *
 * The saved terminal mode, the resize flag and the self-pipe live in
 * file-scope variables: a signal handler and an atexit hook can reach
 * nothing else. SIGWINCH writes a byte to the self-pipe, so a size change
 * that comes just before the editor waits for input still wakes it.
 */
#define _POSIX_C_SOURCE 200809L
#include "term.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#define ENTER_SEQ "\x1b[?1049h\x1b[H\x1b[2J"
#define LEAVE_SEQ "\x1b[m\x1b[?1049l\x1b[?25h"

static struct termios saved_mode;
static volatile sig_atomic_t raw_active, resized;
static int wake_pipe[2] = { -1, -1 };

void tty_close(void)
{
	if (!raw_active)
		return;
	raw_active = 0;
	if (write(STDOUT_FILENO, LEAVE_SEQ, sizeof LEAVE_SEQ - 1) < 0) {
		/* nothing more can be done */
	}
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_mode);
}

static void on_winch(int sig)
{
	int saved = errno;

	(void)sig;
	resized = 1;
	if (wake_pipe[1] >= 0 && write(wake_pipe[1], "w", 1) < 0) {
		/* the pipe is full: a wake-up is pending anyway */
	}
	errno = saved;
}

/* Restores the terminal, then lets the signal do what it would have done. */
static void on_fatal(int sig)
{
	tty_close();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_handlers(void)
{
	static const int fatal[] = { SIGSEGV, SIGBUS, SIGFPE,  SIGILL, SIGABRT,
				     SIGTERM, SIGHUP, SIGQUIT, SIGINT };
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_winch;
	sigaction(SIGWINCH, &sa, NULL);
	sa.sa_handler = on_fatal;
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
		sigaction(fatal[i], &sa, NULL);
}

status_t tty_open(void)
{
	struct termios raw;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_mode) != 0)
		return STATUS_INVALID;
	raw = saved_mode;
	raw.c_iflag &= (tcflag_t) ~(BRKINT | ICRNL | INPCK | ISTRIP | IXON);
	raw.c_oflag &= (tcflag_t)~OPOST;
	raw.c_cflag |= CS8;
	raw.c_lflag &= (tcflag_t) ~(ECHO | ICANON | IEXTEN | ISIG);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw) != 0)
		return STATUS_INVALID;
	raw_active = 1;
	if (pipe(wake_pipe) == 0) {
		fcntl(wake_pipe[0], F_SETFL, O_NONBLOCK);
		fcntl(wake_pipe[1], F_SETFL, O_NONBLOCK);
	}
	install_handlers();
	atexit(tty_close);
	return tty_write(ENTER_SEQ, sizeof ENTER_SEQ - 1);
}

/* Empties the self-pipe. */
static void drain_wake(void)
{
	char junk[64];

	while (wake_pipe[0] >= 0 && read(wake_pipe[0], junk, sizeof junk) > 0)
		;
}

status_t tty_read(char *p, size_t n, size_t *got)
{
	struct pollfd pfd[2] = { { .fd = STDIN_FILENO, .events = POLLIN },
				 { .fd = wake_pipe[0], .events = POLLIN } };
	ssize_t k;

	*got = 0;
	if (resized)
		return STATUS_OK;
	if (poll(pfd, wake_pipe[0] >= 0 ? 2 : 1, -1) < 0 || (pfd[1].revents & POLLIN)) {
		drain_wake();
		return STATUS_OK; /* interrupted, or the size changed */
	}
	k = read(STDIN_FILENO, p, n);
	if (k < 0 && errno == EINTR)
		return STATUS_OK;
	if (k <= 0)
		return STATUS_DEAD;
	*got = (size_t)k;
	return STATUS_OK;
}

bool tty_input_wait(int ms)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };

	if (poll(&pfd, 1, ms) > 0)
		return true;
	/* Keel's poll() sleeps out its timeout and answers from before the
	 * sleep: look again. */
	return ms > 0 && poll(&pfd, 1, 0) > 0;
}

status_t tty_write(const char *p, size_t n)
{
	while (n > 0) {
		ssize_t k = write(STDOUT_FILENO, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return STATUS_DEAD;
		p += k;
		n -= (size_t)k;
	}
	return STATUS_OK;
}

status_t tty_size(int *rows, int *cols)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0 || ws.ws_row == 0 || ws.ws_col == 0) {
		*rows = 24;
		*cols = 80;
		return STATUS_NOT_FOUND;
	}
	*rows = ws.ws_row;
	*cols = ws.ws_col;
	return STATUS_OK;
}

bool tty_resized(void)
{
	if (!resized)
		return false;
	resized = 0;
	return true;
}
