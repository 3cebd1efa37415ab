/* uart.c - the 16550 UART (uart.h). */
#include "uart.h"

enum {
	REG_DATA = 0,
	REG_IER = 1,
	REG_IIR = 2, /* read */
	REG_FCR = 2, /* write */
	REG_MCR = 4,
	REG_LSR = 5,
};

#define IER_RX 0x01
#define IER_TX 0x02
#define LSR_DR 0x01
#define LSR_OE 0x02
#define LSR_THRE 0x20
#define MCR_DTR_RTS_OUT2 0x0b
#define FCR_ON_TRIGGER_8                                                                           \
	0x81 /* FIFOs on, receive trigger 8; not cleared: the kernel's bytes in flight stay */
#define FIFO_BYTES 16

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

/* Enables the interrupts that matter now: receive unless paused, transmit
 * while bytes wait. */
static void set_ier(struct uart *u)
{
	if (!u->base)
		return;
	uint8_t want = (u->rx_enabled ? IER_RX : 0) | (u->count ? IER_TX : 0);
	if (want != u->ier) {
		u->ier = want;
		outb(u->base + REG_IER, want);
	}
}

void uart_init(struct uart *u, uint16_t base)
{
	u->base = base;
	u->head = u->count = 0;
	u->ier = IER_RX;
	u->rx_enabled = true;
	if (!base)
		return;
	outb(base + REG_IER, 0);
	outb(base + REG_FCR, FCR_ON_TRIGGER_8);
	outb(base + REG_MCR, MCR_DTR_RTS_OUT2);
	(void)inb(base + REG_LSR);
	(void)inb(base + REG_IIR);
	outb(base + REG_IER, u->ier);
}

size_t uart_receive(struct uart *u, uint8_t *buf, size_t cap)
{
	size_t n = 0;
	while (u->base && n < cap) {
		uint8_t lsr = inb(u->base + REG_LSR);
		if (lsr & LSR_OE)
			u->overruns++;
		if (!(lsr & LSR_DR))
			break;
		buf[n++] = inb(u->base + REG_DATA);
	}
	return n;
}

void uart_write(struct uart *u, const uint8_t *p, size_t n)
{
	if (!u->base) {
		u->tx_dropped += n;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (u->count == UART_TX_RING) {
			u->tx_dropped += n - i;
			break;
		}
		u->tx[(u->head + u->count++) % UART_TX_RING] = p[i];
	}
	uart_kick(u);
}

void uart_kick(struct uart *u)
{
	while (u->count && (inb(u->base + REG_LSR) & LSR_THRE)) {
		for (unsigned i = 0; i < FIFO_BYTES && u->count; i++) {
			outb(u->base + REG_DATA, u->tx[u->head]);
			u->head = (u->head + 1) % UART_TX_RING;
			u->count--;
		}
	}
	set_ier(u);
}

void uart_rx_enable(struct uart *u, bool on)
{
	u->rx_enabled = on;
	set_ier(u);
}

void uart_rearm(struct uart *u)
{
	if (!u->base)
		return;
	outb(u->base + REG_IER, 0);
	outb(u->base + REG_IER, u->ier);
}
