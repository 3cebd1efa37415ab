/*
 * console.c - the debug console as a file kind (KEEL_FD_CONSOLE).
 *
 * A program attached to a terminal of compd (keel_console_attach,
 * terminal.c) has its descriptors 0, 1 and 2 there. Before that, they are
 * the kernel's debug console: writing is sys_debug_write on the task's witness
 * capability (which needs RIGHT_WRITE), a whole line at a time (below);
 * reading is end-of-file at once, since nothing can be typed to a task
 * yet. It answers the terminal ioctls a program asks before it writes: a
 * window of 80 columns and 24 rows, and one fixed set of termios settings
 * (canonical mode, echo, 115200 baud). Setting them to anything else is
 * EINVAL: there is no raw mode to switch to.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>

#include "backend.h"
#include "console.h"
#include "keel/sys.h"

#define DEBUG_WRITE_MAX 4096

/* The kernel ends every sys_debug_write with a line break, so the console
 * sends whole lines only: a partial line waits here for its end, for the
 * buffer to fill, or for keel_console_flush (at exit). One console, one
 * buffer, whichever descriptor writes. */
static struct {
	volatile int lock;
	size_t len;
	char buf[DEBUG_WRITE_MAX];
} line;

/* Sends line.buf, ended by a line break if end is set (an empty line is
 * then a line of its own); lock held. */
static status_t send_line(cap_handle_t witness, int end)
{
	status_t st = STATUS_OK;
	if (end)
		line.buf[line.len++] = '\n';
	if (line.len)
		st = sys_debug_write(witness, line.buf, line.len);
	line.len = 0;
	return st;
}

static long console_write(struct keel_file *f, const void *buf, size_t n, int64_t off)
{
	const char *p = buf;
	status_t st = STATUS_OK;
	(void)off;
	keel_lock(&line.lock);
	for (size_t i = 0; i < n && st == STATUS_OK; i++) {
		if (p[i] == '\n') {
			st = send_line(f->caps[0], 1);
			continue;
		}
		line.buf[line.len++] = p[i];
		if (line.len == sizeof line.buf - 1) /* room for the break */
			st = send_line(f->caps[0], 0);
	}
	keel_unlock(&line.lock);
	return st ? -keel_errno(st) : (long)n;
}

void keel_console_flush(void)
{
	cap_handle_t w = keel_start_page()->witness;
	keel_lock(&line.lock);
	if (w != CAP_HANDLE_NONE)
		send_line(w, 0);
	keel_unlock(&line.lock);
}

static long console_read(struct keel_file *f, void *buf, size_t n, int64_t off)
{
	(void)f, (void)buf, (void)n, (void)off;
	return 0;
}

void keel_console_termios(struct termios *t)
{
	memset(t, 0, sizeof *t);
	t->c_iflag = ICRNL | IXON;
	t->c_oflag = OPOST | ONLCR;
	t->c_cflag = B115200 | CS8 | CREAD | CLOCAL;
	t->c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | IEXTEN;
	t->c_cc[VINTR] = 3;
	t->c_cc[VQUIT] = 28;
	t->c_cc[VERASE] = 127;
	t->c_cc[VKILL] = 21;
	t->c_cc[VEOF] = 4;
	t->c_cc[VMIN] = 1;
}

long keel_console_ioctl(unsigned long req, void *arg)
{
	struct termios cur;
	keel_console_termios(&cur);
	switch (req) {
	case TIOCGWINSZ: {
		struct winsize *w = arg;
		memset(w, 0, sizeof *w);
		w->ws_col = 80;
		w->ws_row = 24;
		return 0;
	}
	case TCGETS:
		memcpy(arg, &cur, sizeof cur);
		return 0;
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return memcmp(arg, &cur, sizeof cur) ? -EINVAL : 0;
	case TIOCSWINSZ:
		return -EINVAL;
	default:
		return -ENOTTY;
	}
}

static long console_ioctl(struct keel_file *f, unsigned long req, void *arg)
{
	(void)f;
	return keel_console_ioctl(req, arg);
}

long keel_console_stat(struct keel_file *f, struct stat *st)
{
	(void)f;
	memset(st, 0, sizeof *st);
	st->st_mode = S_IFCHR | 0620;
	st->st_nlink = 1;
	st->st_blksize = 1024;
	st->st_rdev = (5u << 8) | 1; /* Linux's /dev/console: 5, 1 */
	return 0;
}

static long console_poll(struct keel_file *f, short events)
{
	(void)f;
	return events & (POLLIN_BIT | POLLOUT_BIT);
}

const struct keel_file_ops keel_console_ops = {
	.read = console_read,
	.write = console_write,
	.ioctl = console_ioctl,
	.stat = keel_console_stat,
	.poll = console_poll,
};
