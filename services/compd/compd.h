/*
 * compd.h - the console service's state: terminals, attachments, the
 * serial line and the screen (docs/console.md). One struct compd per
 * instance, passed to every function.
 */
#ifndef KEEL_COMPD_H
#define KEEL_COMPD_H

#include <stdbool.h>
#include <stdint.h>

#include "keel/channel.h"
#include "keel/loop.h"
#include "ldisc.h"
#include "protocol.h"
#include "screen.h"
#include "uart.h"
#include "vga_text.h"
#include "vt.h"

/* Signal bits of compd's thread. */
#define COMPD_INBOX_BIT 0
#define COMPD_UART_BIT 1 /* IRQ 4 */

#define COMPD_ATTACH_MAX 16
#define COMPD_LINE_MAX 1024
#define COMPD_QUEUE_MAX 4096
#define COMPD_CHUNK 1024 /* bytes moved per read reply or output step */
#define COMPD_VC_ROWS 25
#define COMPD_VC_COLS 80

struct compd;

/* A read waiting for input: its reply capability and attachment. */
struct pending_read {
	cap_handle_t reply;
	uint32_t att;
	uint32_t max;
};

struct terminal {
	uint32_t index;
	uint32_t mode; /* TERM_MODE_* == LDISC_* */
	uint16_t rows, cols;
	struct ldisc ld;
	uint8_t line[COMPD_LINE_MAX];
	uint8_t queue[COMPD_QUEUE_MAX];
	/* Input taken from the line discipline for a reader whose reply
	 * failed: served first to the next reader, so nothing is lost. */
	uint8_t pushback[COMPD_CHUNK];
	uint32_t pushback_len;
	struct pending_read reads[TERM_READS_MAX];
	uint32_t nreads;
	cap_handle_t controller; /* send capability, or none */
	struct vt *vt;           /* virtual consoles: the emulator; serial: NULL */
	struct compd *c;
	uint64_t events_lost;      /* controller notifications refused */
	struct term_status status; /* published to every attachment */
};

struct attachment {
	bool used;
	uint8_t term;
	uint32_t gen;
	cap_handle_t mem;
	void *base;
	uint32_t bytes;
	struct channel in, out;
	cap_handle_t write_waiter; /* a TERM_WRITE_WAIT reply capability */
	uint64_t last_use;
};

struct compd_stats {
	uint64_t rx_bytes, tx_bytes, reclaimed, reply_failures, bad_requests;
};

struct compd {
	struct loop loop;
	const struct keel_start *start;
	cap_handle_t inbox;
	cap_handle_t uart_irq;
	struct uart uart;
	bool have_screen;
	struct vga_text vga;
	struct screen screen;
	unsigned focus;  /* the virtual console shown: 1..4 */
	bool screen_all; /* redraw everything at the next flush */
	struct vt vts[TERM_COUNT - TERM_VC_FIRST];
	struct terminal term[TERM_COUNT];
	struct attachment att[COMPD_ATTACH_MAX];
	uint64_t tick; /* orders attachment use, for reclaiming */
	bool more_output;
	struct compd_stats stats;
};

/* main.c: zeroed pages of the task's own, which go with the task (under
 * the host port too, where tasks share one heap). */
void *compd_alloc(size_t bytes);

/* terminal.c */
status_t terminal_init(struct compd *c, unsigned index);
void terminal_input(struct terminal *t, const uint8_t *in, size_t n);
void terminal_serve_reads(struct terminal *t);
/* Answers every waiting read with TERM_READ_INTR, count 0 (Ctrl-C,
 * TERM_RELEASE). */
void terminal_release_reads(struct terminal *t);
void terminal_set_mode(struct terminal *t, uint32_t mode);
/* Writes t's status words (protocol.h, struct term_status) into the memory
 * of attachment a. */
void terminal_status_put(const struct terminal *t, struct attachment *a);
/* Bytes the terminal's output can take now (before output processing). */
size_t terminal_room(const struct terminal *t);
void terminal_output(struct terminal *t, const uint8_t *in, size_t n);

/* attach.c */
struct attachment *attach_find(struct compd *c, uint32_t id, unsigned term);
status_t attach_new(struct compd *c, unsigned term, uint32_t *id, cap_handle_t *mem_for_client);
void attach_free(struct compd *c, struct attachment *a);
/* True if a read waits on a. */
bool attach_reading(struct compd *c, struct attachment *a);
/* Moves output from every attachment's channel to its terminal. */
void attach_drain_all(struct compd *c);
void attach_write_waiter(struct compd *c, struct attachment *a);
static inline uint32_t attach_id(const struct compd *c, const struct attachment *a)
{
	return (uint32_t)(a - c->att) | (a->gen << 8);
}

/* handlers.c */
status_t compd_register(struct compd *c);

/* screen_vc.c */
status_t vc_init(struct compd *c, cap_handle_t mmio, cap_handle_t crtc_ports);
void vc_flush(struct compd *c);
void vc_switch(struct compd *c, unsigned vc);
void vc_key(struct compd *c, const uint8_t *payload, size_t len);

#endif
