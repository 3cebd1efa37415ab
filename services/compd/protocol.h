/*
 * protocol.h - compd's terminal protocol (docs/console.md, "The terminal
 * protocol"). Clients use libsys's keel/term.h rather than these messages.
 *
 * compd's inbox is reached through three kinds of capability, told apart by
 * the badge the kernel stamps:
 *   - the service capability initd gives a service whose manifest says
 *     `sends console` (badge: initd's client number, below 2^32);
 *   - a control capability of one terminal (TERM_BADGE_CONTROL), from
 *     TERM_OPEN: the terminal's controller (a launcher, the shell);
 *   - a user capability of one terminal (TERM_BADGE_USER), from
 *     TERM_USER_CAP: what a launcher gives a program as its terminal.
 * Every message below is a call (sys_msg_call) unless marked "send"; a
 * failed call is answered with LOOP_REPLY_ERROR (keel/loop.h) carrying a
 * status. Payload words are little-endian u32 unless noted.
 *
 * Service capability:
 *   TERM_OPEN        in: index (0 serial, 1..4 virtual consoles)
 *                    out: index; cap: a control capability (moved)
 *                    RANGE for another index
 * Control capability (and everything a user capability may do):
 *   TERM_USER_CAP    out: index; cap: a user capability (moved)
 *   TERM_CONTROLLER  send, carrying a send capability to the controller's
 *                    inbox (copied): compd sends it TERM_EVENT from now on,
 *                    replacing (and deleting) the previous one. Without a
 *                    capability: no controller.
 *   TERM_RELEASE     send, empty: every waiting read of the terminal is
 *                    answered as after Ctrl-C (TERM_READ_INTR, count 0),
 *                    and compd pushes nothing to them. The controller
 *                    sends it once it has stopped the programs Ctrl-Z
 *                    reached: a stopped reader's read ends, so the input
 *                    typed next goes to whoever reads then, and the
 *                    reader reads again once it is continued.
 * User capability:
 *   TERM_ATTACH      out: id, bytes; cap: memory (moved) of bytes, holding
 *                    two channels (keel/channel.h) of 1-byte elements: the
 *                    input channel at offset 0 (compd produces) and the
 *                    output channel at offset bytes / 2 (client produces).
 *                    FULL when every attachment is busy (idle ones are
 *                    reclaimed first, oldest first: see TERM_ATTACH below).
 *                    The input channel ends TERM_STATUS_BYTES before
 *                    bytes / 2; there compd keeps the terminal's status
 *                    words (struct term_status, below).
 *   TERM_KICK        send; in: id. The output channel's doorbell: sent
 *                    when the channel says compd sleeps (channel_notify,
 *                    keel/term.h does this). A spawned task has no
 *                    capability to its own first thread to hand out as a
 *                    signal doorbell, so the doorbell is a message; compd
 *                    also drains every channel every 50 ms, so a kick lost
 *                    to a full inbox delays output, never loses it.
 *   TERM_READ        in: id, max. Answered once compd has pushed input:
 *                    out: count (bytes pushed to the input channel, at most
 *                    max), flags (TERM_READ_EOF: end of file, count 0;
 *                    TERM_READ_INTR: Ctrl-C was typed, count 0 - every
 *                    waiting read of the terminal is answered so; a
 *                    client that does not handle interrupts reads again).
 *                    BUSY when a read already waits on this attachment
 *                    or TERM_READS_MAX reads wait on the terminal.
 *   TERM_WRITE_WAIT  in: id. Answered (empty) once compd has taken
 *                    everything out of the output channel: flow control
 *                    when the channel is full, and tcdrain.
 *   TERM_INFO        out: rows, cols, mode (TERM_MODE_*), index
 *   TERM_SET_MODE    in: mode (TERM_MODE_*; unknown bits INVALID)
 *   TERM_DETACH      in: id. The memory is unmapped in compd.
 * An id that names no live attachment of this terminal is STALE: the
 * attachment was reclaimed and the client attaches again.
 *
 * Keyboard (inputd -> compd, send, through the service capability):
 *   TERM_KEY         key u16, flags u8, mods u8 (inputd/scancode.h's struct
 *                    key_event): compd translates it for the virtual
 *                    console in front (Alt+F1..F4 switch consoles). Any
 *                    service that `sends console` may send it: until the
 *                    keyboard has a capability of its own, only inputd's
 *                    (and test programs') manifests should say so.
 *
 * Events (compd -> controller, send):
 *   TERM_EVENT       index, events (TERM_EV_INTR Ctrl-C, TERM_EV_QUIT
 *                    Ctrl-\, TERM_EV_SUSP Ctrl-Z), badge of the
 *                    controller's own capability (as it gave it). Sent
 *                    once every attachment's status words count it.
 */
#ifndef KEEL_COMPD_PROTOCOL_H
#define KEEL_COMPD_PROTOCOL_H

#include <stdint.h>

#define TERM_OPEN 0x7e4d0001u
#define TERM_USER_CAP 0x7e4d0002u
#define TERM_CONTROLLER 0x7e4d0003u
#define TERM_ATTACH 0x7e4d0004u
#define TERM_KICK 0x7e4d0005u
#define TERM_READ 0x7e4d0006u
#define TERM_WRITE_WAIT 0x7e4d0007u
#define TERM_INFO 0x7e4d0008u
#define TERM_SET_MODE 0x7e4d0009u
#define TERM_DETACH 0x7e4d000au
#define TERM_RELEASE 0x7e4d000bu
#define TERM_KEY 0x7e4d0010u
#define TERM_OK 0x7e4d0080u /* every successful reply */
#define TERM_EVENT 0x7e4d0081u

#define TERM_PEER "console" /* compd's `provides` name */

/* Terminals. */
#define TERM_SERIAL 0
#define TERM_VC_FIRST 1
#define TERM_COUNT 5

/* Modes: the line discipline's flags (compd/ldisc.h LDISC_*). */
#define TERM_MODE_ICANON 0x01
#define TERM_MODE_ECHO 0x02
#define TERM_MODE_ISIG 0x04
#define TERM_MODE_ICRNL 0x08
#define TERM_MODE_ONLCR 0x10
#define TERM_MODE_ALL 0x1f
#define TERM_MODE_COOKED TERM_MODE_ALL

#define TERM_READ_EOF 0x1
#define TERM_READ_INTR 0x2

#define TERM_EV_INTR 0x1
#define TERM_EV_QUIT 0x2
#define TERM_EV_SUSP 0x4

#define TERM_READS_MAX 8
#define TERM_ATTACH_BYTES 16384u /* the shared memory of one attachment */

/*
 * The terminal's status words in each attachment's memory, at offset
 * bytes / 2 - TERM_STATUS_BYTES (after the input channel's slots). compd
 * writes them, never reads them; a client only reads them, so a client
 * scribbling there fools only itself. The counters are the terminal's
 * (the same in every attachment of it) and start at 0 when compd starts.
 *   seq       changes whenever another word changes; compd stores it last
 *             (release) and then wakes every futex waiter on it, so a
 *             client waits for input with sys_futex_wait(&seq, seen)
 *   readable  1 if a read would return something now (a line, any byte in
 *             raw mode, end of file), else 0
 *   intr, quit, susp  Ctrl-C, Ctrl-\ and Ctrl-Z typed (under ISIG) so far
 *   instance  the terminal's counters are these ones for as long as it
 *             stays the same (it changes when compd restarts), so a client
 *             that attaches again can count what it missed meanwhile
 */
struct term_status {
	uint32_t seq;
	uint32_t readable;
	uint32_t intr;
	uint32_t quit;
	uint32_t susp;
	uint32_t instance;
	uint32_t reserved[10];
};

#define TERM_STATUS_BYTES 64u
_Static_assert(sizeof(struct term_status) == TERM_STATUS_BYTES, "status words: 64 bytes");

/* Badges of compd's terminal capabilities: a tag no initd client number
 * reaches, the kind, the terminal index. */
#define TERM_BADGE_TAG 0x7e40000000000000ull
#define TERM_BADGE_TAG_MASK 0xffff000000000000ull
#define TERM_BADGE_USER 0x100u
#define TERM_BADGE_CONTROL 0x200u
#define TERM_BADGE(index, kind) (TERM_BADGE_TAG | (uint64_t)(kind) | (uint64_t)(index))

#endif
