/* console.h - the console file kinds: debug console and terminal (console.c). */
#ifndef KEEL_CONSOLE_H
#define KEEL_CONSOLE_H

#include <termios.h>

#include "fd.h"

/* poll.h's POLLIN and POLLOUT, without its declarations. */
#define POLLIN_BIT 0x001
#define POLLOUT_BIT 0x004

extern const struct keel_file_ops keel_console_ops;
extern const struct keel_file_ops keel_terminal_ops;

/* Opens a terminal description on the terminal capability tty at the
 * lowest free descriptor >= min: the descriptor or -errno. */
int keel_terminal_open(cap_handle_t tty, int min);

/* Sends a pending partial line (the task is ending). */
void keel_console_flush(void);

/* fstat of a console or terminal: a character device. */
long keel_console_stat(struct keel_file *f, struct stat *st);

/* The one set of termios settings the console has. */
void keel_console_termios(struct termios *t);

/* The console's answer to ioctl req (TIOCGWINSZ, TCGETS, TCSETS*). */
long keel_console_ioctl(unsigned long req, void *arg);

#endif
