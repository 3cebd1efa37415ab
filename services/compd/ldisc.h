/*
 * ldisc.h - the line discipline between a terminal's input (keyboard or
 * serial line) and the program reading it, modelled on a useful subset of
 * termios (docs/console.md).
 *
 * In cooked mode (LDISC_ICANON) input is edited a line at a time, with
 * echo: DEL and BS erase a character (a whole UTF-8 character, and as many
 * cells as it took on the screen), Ctrl-U kills the line, Ctrl-W erases a
 * word, Ctrl-D pushes the line without a newline (at the start of a line:
 * end of file), Enter completes the line. A read returns at most one line.
 * In raw mode every byte is readable at once. With LDISC_ISIG, Ctrl-C,
 * Ctrl-\ and Ctrl-Z are not input but events for the caller, and they
 * discard the pending input, as a tty does.
 *
 * Reads follow VMIN=1, VTIME=0: ldisc_read() returns whatever is there,
 * at least one byte, or LDISC_READ_EMPTY when the caller should hold the
 * reader until ldisc_input() reports LDISC_EV_READABLE.
 *
 * Pure: caller-provided memory, no globals. Echo goes through a callback
 * the caller gives (compd writes it to the terminal), already through the
 * output processing (ONLCR).
 */
#ifndef KEEL_COMPD_LDISC_H
#define KEEL_COMPD_LDISC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/status.h"
#include "uwidth.h"

/* Modes (the termios flag each is named after). */
#define LDISC_ICANON 0x01 /* line editing; reads return lines */
#define LDISC_ECHO 0x02   /* echo input (control characters as ^X) */
#define LDISC_ISIG 0x04   /* Ctrl-C, Ctrl-\, Ctrl-Z are events */
#define LDISC_ICRNL 0x08  /* CR on input is read as NL */
#define LDISC_ONLCR 0x10  /* NL on output is sent as CR NL */
#define LDISC_COOKED (LDISC_ICANON | LDISC_ECHO | LDISC_ISIG | LDISC_ICRNL | LDISC_ONLCR)
#define LDISC_RAW 0

/* The control characters (fixed, as termios' defaults). */
#define LDISC_VINTR 0x03
#define LDISC_VQUIT 0x1c
#define LDISC_VSUSP 0x1a
#define LDISC_VEOF 0x04
#define LDISC_VKILL 0x15
#define LDISC_VWERASE 0x17

/* Events ldisc_input() reports (a bit mask). */
#define LDISC_EV_INTR 0x01     /* Ctrl-C: interrupt the terminal's controller */
#define LDISC_EV_QUIT 0x02     /* Ctrl-\ */
#define LDISC_EV_SUSP 0x04     /* Ctrl-Z */
#define LDISC_EV_READABLE 0x08 /* a read would now return something */
#define LDISC_EV_DROPPED 0x10  /* input was refused: line or queue full */

#define LDISC_RECORDS_MAX 32

typedef void (*ldisc_echo_fn)(void *ctx, const uint8_t *bytes, size_t n);

struct ldisc {
	uint32_t flags;
	ldisc_echo_fn echo;
	void *echo_ctx;

	uint8_t *line; /* the line being edited (cooked mode) */
	size_t line_cap;
	size_t line_len;

	uint8_t *queue; /* readable input: a ring */
	size_t queue_cap;
	size_t head, count;
	/* Cooked mode: the lengths of the completed lines in the queue, in
	 * order (0 is an end of file); they add up to count. Raw mode: none. */
	uint16_t rec[LDISC_RECORDS_MAX];
	uint8_t rec_head, rec_count;

	uint16_t col;      /* the output column, as far as the echo and output tell */
	uint16_t line_col; /* the column where the edited line starts */
	struct utf8_dec out_utf8;
	uint32_t dropped; /* input bytes refused */
};

enum ldisc_read_result {
	LDISC_READ_DATA,  /* *n > 0 bytes were read */
	LDISC_READ_EOF,   /* end of file (Ctrl-D on an empty line); *n == 0 */
	LDISC_READ_EMPTY, /* nothing to read yet; *n == 0 */
};

/* Sets ld up in the given mode with the edit line line (line_cap bytes: a
 * line holds at most line_cap - 1 characters and its newline) and the read
 * queue queue (queue_cap bytes). echo may be NULL (nothing echoed).
 * STATUS_INVALID if a buffer is missing, line_cap < 2, queue_cap <
 * line_cap or queue_cap > 65535. */
status_t ldisc_init(struct ldisc *ld, uint32_t flags, uint8_t *line, size_t line_cap,
		    uint8_t *queue, size_t queue_cap, ldisc_echo_fn echo, void *echo_ctx);

/* Changes the mode. Leaving cooked mode makes the line being edited
 * readable as it is; entering it makes what is queued one line. */
void ldisc_set_flags(struct ldisc *ld, uint32_t flags);

/* Processes n bytes of input. Returns the events it caused (LDISC_EV_*).
 * Refused bytes ring the bell (when echoing) and are counted in dropped. */
uint32_t ldisc_input(struct ldisc *ld, const uint8_t *in, size_t n);

/* Reads up to cap bytes into buf (see enum ldisc_read_result). In cooked
 * mode a read stops at the end of a line; the rest of a line longer than
 * cap is left for the next read. */
enum ldisc_read_result ldisc_read(struct ldisc *ld, uint8_t *buf, size_t cap, size_t *n);

/* Output processing of what the program writes: copies in to out (cap
 * bytes), turning NL into CR NL under LDISC_ONLCR, and keeps the column
 * the erase of tabs needs. Returns the bytes written to out and sets *used
 * to the input bytes consumed (fewer than n when out filled up). */
size_t ldisc_output(struct ldisc *ld, const uint8_t *in, size_t n, uint8_t *out, size_t cap,
		    size_t *used);

/* True if a read would return something (data or end of file). */
bool ldisc_readable(const struct ldisc *ld);

#endif
