/*
 * terminal.c - a terminal of compd as a file kind (KEEL_FD_TERMINAL), and
 * keel_console_attach.
 *
 * keel_console_attach(tty) binds descriptors 0, 1 and 2 to the terminal
 * capability tty, through libsys's terminal client (keel/term.h): reads
 * and writes go through its channels; tcgetattr/tcsetattr map the termios
 * flags compd's line discipline has (ICANON, ECHO, ISIG, ICRNL, OPOST with
 * ONLCR; cfmakeraw clears them all) and ignore the rest (the control
 * characters are fixed, VMIN/VTIME are always 1/0: a read waits for at
 * least one byte, O_NONBLOCK gives EAGAIN); TIOCGWINSZ asks compd.
 *
 * Interrupts: Keel delivers no SIGINT, so a program that handles Ctrl-C
 * itself (the shell) asks keel_terminal_interrupts() how many were typed
 * on its console - a load from the attachment's memory - and with
 * keel_terminal_catch(1) makes a read or poll waiting on a terminal end
 * with EINTR when one is typed. Programs that do not catch are ended by
 * the console's controller (docs/launch.md); their reads wait on.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>

#include "backend.h"
#include "console.h"
#include "dev.h"
#include "fdsys.h"
#include "keel/term.h"

/* A terminal description's state: kind_data[0] points to it. The client
 * is used under wlock for writes and rlock for reads, so that a reader
 * waiting for a line does not hold up writers. */
struct term_file {
	volatile int wlock, rlock;
	struct term_client client;
};

/* The console terminal (kept referenced for the task's life, so that it
 * outlives descriptors 0-2) and whether waits end with EINTR. */
static struct term_interrupts {
	struct term_file *console;
	struct keel_file *console_file; /* its description, for /dev/tty */
	volatile int catching;
} term_ints;

static struct term_file *term_of(struct keel_file *f)
{
	return (struct term_file *)(uintptr_t)f->kind_data[0];
}

/* Takes both locks without waiting (the client's memory is then stable:
 * only reads and writes attach again); false if either is held. */
static bool try_both(struct term_file *tf)
{
	if (__atomic_exchange_n(&tf->rlock, 1, __ATOMIC_ACQUIRE))
		return false;
	if (__atomic_exchange_n(&tf->wlock, 1, __ATOMIC_ACQUIRE)) {
		keel_unlock(&tf->rlock);
		return false;
	}
	return true;
}

static void unlock_both(struct term_file *tf)
{
	keel_unlock(&tf->wlock);
	keel_unlock(&tf->rlock);
}

/* The console's interrupt count: fresh when no other thread is reading or
 * writing the terminal, else the last one seen. */
unsigned keel_terminal_interrupts(void)
{
	struct term_file *tf = term_ints.console;
	if (!tf)
		return 0;
	if (!try_both(tf))
		return __atomic_load_n(&tf->client.intr_last, __ATOMIC_RELAXED);
	unsigned n = term_interrupts(&tf->client);
	unlock_both(tf);
	return n;
}

static bool terminal_catching(void)
{
	return __atomic_load_n(&term_ints.catching, __ATOMIC_RELAXED) != 0;
}

int keel_terminal_catch(int on)
{
	return __atomic_exchange_n(&term_ints.catching, on != 0, __ATOMIC_RELAXED);
}

static long term_file_write(struct keel_file *f, const void *buf, size_t n, int64_t off)
{
	struct term_file *tf = term_of(f);
	(void)off;
	keel_lock(&tf->wlock);
	status_t st = term_write(&tf->client, buf, n);
	keel_unlock(&tf->wlock);
	return st ? -keel_errno(st) : (long)n;
}

static long term_file_read(struct keel_file *f, void *buf, size_t n, int64_t off)
{
	struct term_file *tf = term_of(f);
	size_t got = 0;
	(void)off;
	int nonblock = (f->status & O_NONBLOCK) != 0;
	int flags = nonblock ? TERM_READ_NONBLOCK : 0;
	if (__atomic_load_n(&term_ints.catching, __ATOMIC_RELAXED))
		flags |= TERM_READ_INTERRUPTIBLE;
	keel_lock(&tf->rlock);
	status_t st = term_read(&tf->client, buf, n, &got, flags);
	keel_unlock(&tf->rlock);
	if (st == STATUS_EMPTY)
		return nonblock ? -EAGAIN : -EINTR;
	return st ? -keel_errno(st) : (long)got;
}

/* termios from compd's mode bits. */
static void mode_to_termios(uint32_t mode, struct termios *t)
{
	keel_console_termios(t);
	t->c_iflag = (mode & TERM_MODE_ICRNL) ? ICRNL : 0;
	t->c_oflag = (mode & TERM_MODE_ONLCR) ? (OPOST | ONLCR) : 0;
	t->c_lflag = IEXTEN;
	if (mode & TERM_MODE_ICANON)
		t->c_lflag |= ICANON;
	if (mode & TERM_MODE_ECHO)
		t->c_lflag |= ECHO | ECHOE | ECHOK;
	if (mode & TERM_MODE_ISIG)
		t->c_lflag |= ISIG;
}

/* compd's mode bits from termios; the flags it does not have are ignored. */
static uint32_t termios_to_mode(const struct termios *t)
{
	uint32_t mode = 0;
	if (t->c_lflag & ICANON)
		mode |= TERM_MODE_ICANON;
	if (t->c_lflag & ECHO)
		mode |= TERM_MODE_ECHO;
	if (t->c_lflag & ISIG)
		mode |= TERM_MODE_ISIG;
	if (t->c_iflag & ICRNL)
		mode |= TERM_MODE_ICRNL;
	if ((t->c_oflag & OPOST) && (t->c_oflag & ONLCR))
		mode |= TERM_MODE_ONLCR;
	return mode;
}

static long term_file_ioctl(struct keel_file *f, unsigned long req, void *arg)
{
	struct term_file *tf = term_of(f);
	uint16_t rows = 0, cols = 0;
	uint32_t mode = 0;
	status_t st;
	switch (req) {
	case TIOCGWINSZ:
	case TCGETS:
		st = term_info(f->caps[0], &rows, &cols, &mode);
		if (st)
			return -keel_errno(st);
		if (req == TCGETS) {
			mode_to_termios(mode, arg);
			return 0;
		}
		memset(arg, 0, sizeof(struct winsize));
		((struct winsize *)arg)->ws_row = rows;
		((struct winsize *)arg)->ws_col = cols;
		return 0;
	case TCSETSW:
	case TCSETSF:
		keel_lock(&tf->wlock);
		term_drain(&tf->client);
		keel_unlock(&tf->wlock);
		/* fall through */
	case TCSETS:
		st = term_set_mode(f->caps[0], termios_to_mode(arg));
		return st ? -keel_errno(st) : 0;
	case TIOCSWINSZ:
		return -EINVAL;
	default:
		return -ENOTTY;
	}
}

/* Readiness: output always; input when the channel holds bytes or compd
 * says a read would not wait. *seq is the status word to wait on, or
 * *seq_ok false when the client is in use by another thread (then input
 * is not ready and poll waits by sleeping). */
static long terminal_poll(struct keel_file *f, short events, uint32_t *seq, bool *seq_ok)
{
	struct term_file *tf = term_of(f);
	long r = events & POLLOUT_BIT;
	*seq_ok = false;
	if (!(events & POLLIN_BIT) || !try_both(tf))
		return r;
	*seq_ok = true;
	if (term_poll(&tf->client, seq))
		r |= POLLIN_BIT;
	unlock_both(tf);
	return r;
}

static long term_file_poll(struct keel_file *f, short events)
{
	uint32_t seq;
	bool ok;
	return terminal_poll(f, events, &seq, &ok);
}

static status_t terminal_wait(struct keel_file *f, uint32_t seq, uint64_t timeout_ns)
{
	struct term_file *tf = term_of(f);
	if (!try_both(tf))
		return STATUS_BUSY;
	/* The wait itself holds no lock: if another thread attaches again
	 * meanwhile, this wait on the old memory lasts until its timeout,
	 * which poll keeps to a second at most. */
	struct term_client c = tf->client;
	unlock_both(tf);
	return term_wait(&c, seq, timeout_ns);
}

#define EXIT_FLUSH_NS 1000000000ull /* how long an exit waits for compd */

/* At exit: waits until compd has taken what the terminals still hold, so
 * that it comes out before anything the launcher writes next, then
 * detaches, so that compd frees the attachment's memory now rather than
 * when its table is full. A terminal another thread is reading or writing
 * stays attached (compd reclaims it later, as a dead program's); one
 * detached keeps both locks, so no thread uses it again. */
static void terminals_flush(void)
{
	struct keel_fd_table *t = keel_fdt();
	for (int i = 0; i < KEEL_FD_MAX; i++) {
		struct keel_file *f = &t->files[i];
		if (!f->refs || f->kind != KEEL_FD_TERMINAL || f->ops != &keel_terminal_ops)
			continue;
		struct term_file *tf = term_of(f);
		term_flush(&tf->client, EXIT_FLUSH_NS);
		if (try_both(tf))
			term_detach(&tf->client);
	}
}

static void term_file_release(struct keel_file *f)
{
	struct term_file *tf = term_of(f);
	term_detach(&tf->client);
	free(tf);
}

const struct keel_file_ops keel_terminal_ops = {
	.read = term_file_read,
	.write = term_file_write,
	.ioctl = term_file_ioctl,
	.stat = keel_console_stat,
	.poll = term_file_poll,
	.release = term_file_release,
};

static const struct keel_poll_terminal poll_hooks = {
	.poll = terminal_poll,
	.wait = terminal_wait,
	.interrupts = keel_terminal_interrupts,
	.catching = terminal_catching,
};

int keel_terminal_open(cap_handle_t tty, int min)
{
	struct term_file *tf = calloc(1, sizeof *tf);
	if (!tf)
		return -ENOMEM;
	keel_poll_terminal_register(&poll_hooks);
	keel_exit_flush_register(terminals_flush);
	status_t st = term_attach(&tf->client, tty);
	if (st) {
		free(tf);
		return -keel_errno(st);
	}
	const cap_handle_t caps[KEEL_FILE_CAPS] = { tty, CAP_HANDLE_NONE };
	const uint64_t data[2] = { (uint64_t)(uintptr_t)tf, 0 };
	int fd = fdt_open(keel_fdt(), min, KEEL_FD_TERMINAL, &keel_terminal_ops, caps, data, O_RDWR,
			  0);
	if (fd < 0) {
		term_detach(&tf->client);
		free(tf);
	}
	return fd;
}

void keel_console_attach(cap_handle_t terminal)
{
	struct keel_fd_table *t = keel_fdt();
	keel_console_flush();
	int fd = keel_terminal_open(terminal, 3);
	if (fd < 0)
		return; /* the debug console stays */
	for (int i = 0; i < 3; i++)
		fdt_dup_to(t, fd, i, 0);
	/* A reference of its own: interrupts are counted on the console even
	 * when descriptors 0-2 are redirected or closed. */
	struct keel_file *f = fdt_get(t, fd);
	if (f && !term_ints.console) {
		term_ints.console = term_of(f);
		term_ints.console_file = f;
		keel_dev_console = keel_terminal_console;
	} else if (f) {
		fdt_put(t, f);
	}
	fdt_close(t, fd);
}

long keel_terminal_console(int fd_flags)
{
	if (!term_ints.console_file)
		return -ENXIO; /* no controlling terminal, as Linux says */
	return fdt_install(keel_fdt(), term_ints.console_file, 0, fd_flags);
}
