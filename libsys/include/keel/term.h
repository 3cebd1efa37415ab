/*
 * keel/term.h - the terminal client: a program's side of compd's terminal
 * protocol (services/compd/protocol.h, docs/console.md).
 *
 * A terminal is a capability: a send capability to compd's inbox, badged
 * for one terminal. A launcher passes it to a program, whose C library
 * attaches to it (keel_console_attach) and reads and writes through a pair
 * of shared-memory channels; only the calls that wait go through the
 * kernel. A controller (the launcher, the shell) opens a terminal with
 * term_open, names the inbox that receives Ctrl-C with term_set_controller
 * and hands programs user capabilities from term_user_cap.
 *
 *     struct term_client t;
 *     term_attach(&t, tty);                  once
 *     term_write(&t, "hello\n", 6);          bytes, as the program wrote them
 *     term_read(&t, buf, sizeof buf, &n);    blocks; n == 0: end of file
 *     term_set_mode(&t, TERM_MODE_COOKED & ~TERM_MODE_ECHO);
 *     term_detach(&t);
 *
 * The client keeps its state in the caller's struct term_client; one
 * thread uses a client at a time (the C library locks around it). If compd
 * reclaimed the attachment (STALE), the client attaches again by itself.
 * Errors are compd's statuses (STALE or DEAD when compd itself is gone).
 */
#ifndef KEEL_TERM_H
#define KEEL_TERM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/status.h"
#include "compd/protocol.h"
#include "keel/channel.h"
#include "keel/sys.h"

struct term_client {
	cap_handle_t term;  /* the terminal capability (not owned) */
	cap_handle_t mem;   /* the shared memory, or CAP_HANDLE_NONE */
	struct sysops kick; /* channel_notify's doorbell: a TERM_KICK message */
	void *base;         /* where mem is mapped */
	uint32_t bytes;     /* its size */
	uint32_t id;        /* compd's attachment id */
	struct channel in;  /* compd -> client */
	struct channel out; /* client -> compd */
	uint32_t reattached;
	/* term_interrupts: its count is intr_base plus compd's counter, so
	 * that it never goes back when compd restarts (a new instance). */
	uint32_t intr_base, intr_last, instance;
};

/* Attaches c to terminal tty. Returns STATUS_OK or compd's/the kernel's
 * status, with nothing left behind. */
status_t term_attach(struct term_client *c, cap_handle_t tty);

/* Detaches: tells compd (waiting at most TERM_CONTROL_TIMEOUT_NS), unmaps,
 * deletes the capabilities. Safe twice. */
void term_detach(struct term_client *c);

/* Writes all n bytes (waiting while the output channel is full). */
status_t term_write(struct term_client *c, const void *buf, size_t n);

/* Reads at most cap bytes: waits for at least one unless flags has
 * TERM_READ_NONBLOCK (then STATUS_EMPTY if none). With
 * TERM_READ_INTERRUPTIBLE, a wait that Ctrl-C ends (protocol.h,
 * TERM_READ_INTR) is STATUS_EMPTY too; without it the client waits on.
 * *n == 0 with STATUS_OK is end of file. */
#define TERM_READ_NONBLOCK 1
#define TERM_READ_INTERRUPTIBLE 2
status_t term_read(struct term_client *c, void *buf, size_t cap, size_t *n, int flags);

/* Bytes readable without waiting (already in the input channel). */
uint32_t term_readable(struct term_client *c);

/* Interrupts (Ctrl-C under ISIG) typed on the terminal: a memory load, no
 * system call. Only its changes mean something: it never goes back, and
 * counts those typed while the client was not attached, except when compd
 * restarted meanwhile. */
uint32_t term_interrupts(struct term_client *c);

/* Whether a read would not wait: bytes already in the input channel, or
 * compd says a line (raw: a byte, or end of file) is there. *seq is set
 * to the status sequence to pass to term_wait. */
bool term_poll(struct term_client *c, uint32_t *seq);

/* Waits until compd changes the terminal's status words from seq (input
 * became readable or not, an interrupt) or timeout ns pass (0: do not
 * wait; TIMEOUT_FOREVER). STATUS_OK: something may have changed (ask
 * term_poll again); STATUS_TIMEOUT; STATUS_STALE when not attached. */
status_t term_wait(struct term_client *c, uint32_t seq, uint64_t timeout);

/* Waits until compd has taken all output (tcdrain). */
status_t term_drain(struct term_client *c);

/* As term_drain, but only if output is still waiting in the channel and
 * for at most timeout ns (STATUS_TIMEOUT then): what a program does as it
 * exits, so that its last lines come out before whatever its launcher
 * writes next. */
status_t term_flush(struct term_client *c, uint64_t timeout);

/* The terminal's size and mode (TERM_MODE_*). */
status_t term_info(cap_handle_t tty, uint16_t *rows, uint16_t *cols, uint32_t *mode);

/* Sets the terminal's mode (TERM_MODE_*): shared by every attachment. */
status_t term_set_mode(cap_handle_t tty, uint32_t mode);

/* Controller: opens terminal index (TERM_SERIAL, TERM_VC_FIRST + n) through
 * compd's service capability; *control is the control capability. This
 * call and term_user_cap wait at most TERM_CONTROL_TIMEOUT_NS (a
 * supervisor must not hang on a stuck console service). */
#define TERM_CONTROL_TIMEOUT_NS 2000000000ull
status_t term_open(cap_handle_t compd, uint32_t index, cap_handle_t *control);

/* Controller: a new user capability of the terminal, to pass to a program. */
status_t term_user_cap(cap_handle_t control, cap_handle_t *user);

/* Controller: events (TERM_EVENT) go to inbox_send from now on (copied, so
 * it needs RIGHT_GRANT besides RIGHT_SEND;
 * CAP_HANDLE_NONE: to nobody). */
status_t term_set_controller(cap_handle_t control, cap_handle_t inbox_send);

/* Controller: ends every waiting read of the terminal as Ctrl-C does
 * (TERM_RELEASE, a send: never waits), after stopping its readers. */
status_t term_release_reads(cap_handle_t control);

/* Controller: parses a TERM_EVENT message: the terminal index and the
 * TERM_EV_* bits. STATUS_BAD_FORMAT for anything else. */
status_t term_event_parse(const struct keel_msg *m, uint32_t *index, uint32_t *events);

/* Provided by the C library (sysroot/keel/console.c): binds descriptors 0,
 * 1 and 2 to the terminal capability terminal; on failure they stay as
 * they were. */
void keel_console_attach(cap_handle_t terminal);

#endif
