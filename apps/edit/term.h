/*
 * term.h - everything the editor asks of the terminal. On the host this is
 * term_posix.c (termios, SIGWINCH); on Keel the console's implementation
 * takes its place. Nothing else in the editor touches the terminal.
 */
#ifndef EDIT_TERM_H
#define EDIT_TERM_H

#include <stdbool.h>
#include <stddef.h>

#include "abi/status.h"

/*
 * Puts the terminal in raw mode (no echo, no line editing, no signals from
 * keys, no output processing) and switches to the alternate screen. Also
 * arranges for tty_close() to run at exit and on a fatal signal, so that
 * a crash of the editor still leaves the terminal usable.
 */
status_t tty_open(void);

/* Leaves the alternate screen, shows the cursor and restores the mode the
 * terminal had before tty_open(). Safe to call more than once. */
void tty_close(void);

/* Waits until input arrives or the size changes; stores up to n bytes in
 * p and their count in *got (0 when only the size changed). */
status_t tty_read(char *p, size_t n, size_t *got);

/* True if input is queued now or arrives within ms milliseconds. */
bool tty_input_wait(int ms);

/* Writes all n bytes. */
status_t tty_write(const char *p, size_t n);

/* The size in character cells. */
status_t tty_size(int *rows, int *cols);

/* True once after each change of the size. */
bool tty_resized(void);

#endif
