/*
 * uart.h - the 16550 UART on COM1 as compd drives it: interrupt-driven
 * receive, transmit from a ring through the 16-byte FIFO.
 *
 * Sharing with the kernel (docs/console.md, "The serial line"): the kernel
 * keeps writing its log to the same UART, polled, a byte at a time when
 * the transmit holding register is empty; it never reads, never touches
 * the interrupt registers after boot. compd owns receive, the interrupt
 * enable and modem control registers (OUT2 gates the interrupt line), and
 * transmits its own bytes the same polled way, up to a FIFO's worth each
 * time it finds the transmitter empty. Output of the two may interleave
 * between lines, never within a byte; nothing is lost as long as neither
 * side fills the FIFO behind the other's back (at worst a byte of a line
 * written in the same microsecond, which QEMU's instant transmitter never
 * shows).
 */
#ifndef KEEL_COMPD_UART_H
#define KEEL_COMPD_UART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UART_TX_RING 16384u

struct uart {
	uint16_t base;
	uint8_t ier;
	bool rx_enabled;
	uint8_t tx[UART_TX_RING];
	size_t head, count; /* the transmit ring */
	uint64_t tx_dropped;
	uint64_t overruns; /* receive overruns the line status reported */
};

/* Takes over the UART at port base (the ports must be enabled): FIFOs on,
 * receive interrupts on, OUT2 set. The line settings the kernel made
 * (115200 8N1) stay. Base 0: no UART (nothing is received, output is
 * dropped and counted, no port is touched). */
void uart_init(struct uart *u, uint16_t base);

/* Reads what has arrived into buf (cap bytes); returns how many. */
size_t uart_receive(struct uart *u, uint8_t *buf, size_t cap);

/* Free bytes in the transmit ring. */
static inline size_t uart_room(const struct uart *u)
{
	return UART_TX_RING - u->count;
}

/* Queues n bytes for transmission (what does not fit is dropped and
 * counted) and starts sending. */
void uart_write(struct uart *u, const uint8_t *p, size_t n);

/* Moves queued bytes into the FIFO while the transmitter is empty; asks
 * for the transmit interrupt while bytes remain. */
void uart_kick(struct uart *u);

/* Turns the receive interrupt on or off (off while the reader is full, so
 * that the bytes wait in the UART and its sender is held back). */
void uart_rx_enable(struct uart *u, bool on);

/* After the interrupt was acknowledged: turns the interrupt enables off
 * and on, so that a condition still pending raises a fresh edge. */
void uart_rearm(struct uart *u);

#endif
