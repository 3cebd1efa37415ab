/* console.h - the console file kinds: debug console and terminal (console.c). */
#ifndef KEEL_CONSOLE_H
#define KEEL_CONSOLE_H

#include <stdbool.h>
#include <stdint.h>
#include <termios.h>

#include "abi/status.h"
#include "fd.h"

/* poll.h's POLLIN, POLLOUT, POLLERR and POLLHUP, without its declarations. */
#define POLLIN_BIT 0x001
#define POLLOUT_BIT 0x004
#define POLLERR_BIT 0x008
#define POLLHUP_BIT 0x010

extern const struct keel_file_ops keel_console_ops;
extern const struct keel_file_ops keel_terminal_ops;

/* Opens a terminal description on the terminal capability tty at the
 * lowest free descriptor >= min: the descriptor or -errno. */
int keel_terminal_open(cap_handle_t tty, int min);

/* /dev/tty: a new descriptor on the task's console terminal (the one
 * descriptors 0-2 were given at start), or -ENXIO when it has none. */
long keel_terminal_console(int fd_flags);

/* poll's view of terminals (terminal.c), which terminal.c registers with
 * fdsys.c when it opens the first one, so that poll needs no terminal code
 * in programs (and tests) without terminals:
 *   poll        a terminal description's readiness (revents) and the
 *               status sequence to wait on (*seq_ok false: none, the client
 *               is busy in another thread)
 *   wait        waits at most timeout_ns for that sequence to change
 *               (STATUS_OK: maybe it did)
 *   interrupts  keel_terminal_interrupts; catching: keel_terminal_catch's
 *               setting */
struct keel_poll_terminal {
	long (*poll)(struct keel_file *f, short events, uint32_t *seq, bool *seq_ok);
	status_t (*wait)(struct keel_file *f, uint32_t seq, uint64_t timeout_ns);
	unsigned (*interrupts)(void);
	bool (*catching)(void);
};
void keel_poll_terminal_register(const struct keel_poll_terminal *t); /* fdsys.c */

/* Sends a pending partial line (the task is ending). */
void keel_console_flush(void);

/* fstat of a console or terminal: a character device. */
long keel_console_stat(struct keel_file *f, struct stat *st);

/* The one set of termios settings the console has. */
void keel_console_termios(struct termios *t);

/* The console's answer to ioctl req (TIOCGWINSZ, TCGETS, TCSETS*). */
long keel_console_ioctl(unsigned long req, void *arg);

#endif
