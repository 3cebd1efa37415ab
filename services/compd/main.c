/*
 * main.c - compd, the console service: the serial line (COM1) and the
 * VGA text screen's four virtual consoles as terminals for programs
 * (protocol.h, docs/console.md). The canonical shape: an inbox, one wait
 * per turn, hello and heartbeat to initd.
 *
 * Its devices: topod hands it COM1 (`device legacy uart0`: start
 * capability 0 the ports 0x3f8-0x3ff, 1 the interrupt line 4); its
 * manifest names the screen's (2 the ports 0x3d4-0x3d5, 3 the text
 * buffer).
 */
#include "compd.h"
#include "keel/map.h"
#include "keel/service.h"
#include "keel/spawn.h"
#include "keel/sys.h"

#define COM1 0x3f8
#define INBOX_SLOTS 64
/* Start capabilities: topod's hand-out of uart0 (manifest `device legacy
 * uart0`: its ports, then its line), then the declared CRTC ports and the
 * VGA text buffer. */
#define CAP_UART_PORTS 0
#define CAP_UART_IRQ 1
#define CAP_CRTC_PORTS 2
#define CAP_VGA_MMIO 3

/* Reads the serial line into the serial terminal while its line discipline
 * has room; otherwise leaves the bytes in the UART (whose sender waits) and
 * stops the receive interrupt until a read makes room. */
static void serial_pump(struct compd *c)
{
	struct terminal *t = &c->term[TERM_SERIAL];
	uint8_t buf[256];
	for (;;) {
		size_t room = t->ld.queue_cap - t->ld.count;
		if (room < sizeof buf) {
			uart_rx_enable(&c->uart, false);
			return;
		}
		size_t n = uart_receive(&c->uart, buf, sizeof buf);
		if (!n)
			break;
		c->stats.rx_bytes += n;
		terminal_input(t, buf, n);
	}
	uart_rx_enable(&c->uart, true);
}

static void on_uart(struct loop *loop, unsigned bit, void *ctx)
{
	struct compd *c = ctx;
	(void)loop, (void)bit;
	serial_pump(c);
	uart_kick(&c->uart);
	sys_irq_ack(c->uart_irq);
	uart_rearm(&c->uart);
	attach_drain_all(c); /* the transmit ring may have room again */
}

/* Every 50 ms: the serial line's safety net. */
static void on_tick(struct loop *loop, uint64_t now, void *ctx);

static status_t arm_tick(struct compd *c, uint64_t now)
{
	return loop_timer_add(&c->loop, now + 50000000ull, on_tick, c, NULL);
}

static void on_tick(struct loop *loop, uint64_t now, void *ctx)
{
	struct compd *c = ctx;
	(void)loop;
	serial_pump(c); /* resumes a paused receive; a lost edge costs 50 ms */
	uart_kick(&c->uart);
	attach_drain_all(c); /* a kick lost to a full inbox costs 50 ms */
	arm_tick(c, now);
}

/* The serial line if compd was given it (all of it, or none), the screen
 * likewise, then the terminals. */
static status_t devices(struct compd *c, const struct keel_start *s)
{
	status_t st = STATUS_OK;
	c->uart_irq = keel_start_cap(s, CAP_UART_IRQ);
	bool serial = keel_start_cap(s, CAP_UART_PORTS) != CAP_HANDLE_NONE;
	if (serial && c->uart_irq != CAP_HANDLE_NONE)
		st = sys_ioports_enable(keel_start_cap(s, CAP_UART_PORTS));
	else
		serial = false;
	uart_init(&c->uart, serial && st == STATUS_OK ? COM1 : 0);
	if (st == STATUS_OK)
		st = vc_init(c, keel_start_cap(s, CAP_VGA_MMIO), keel_start_cap(s, CAP_CRTC_PORTS));
	for (unsigned i = 0; st == STATUS_OK && i < TERM_COUNT; i++)
		st = terminal_init(c, i);
	return st;
}

static status_t setup(struct compd *c, const struct keel_start *s)
{
	struct inbox_ring *ring;
	uint64_t now = 0;
	status_t st = devices(c, s);
	if (st == STATUS_OK)
		st = loop_inbox_open(INBOX_SLOTS, COMPD_INBOX_BIT, &c->inbox, &ring);
	if (st == STATUS_OK)
		st = loop_init(&c->loop, &sysops_kernel, ring, COMPD_INBOX_BIT);
	if (st == STATUS_OK && c->uart.base)
		st = sys_irq_bind(c->uart_irq, COMPD_UART_BIT);
	if (st == STATUS_OK && c->uart.base)
		st = loop_on_signal(&c->loop, COMPD_UART_BIT, on_uart, c);
	if (st == STATUS_OK)
		st = compd_register(c);
	if (st == STATUS_OK)
		st = sys_clock_read(&now);
	if (st == STATUS_OK)
		st = arm_tick(c, now);
	if (st == STATUS_OK)
		st = service_hello(s, c->inbox);
	return st ? st : service_heartbeat_start(&c->loop, s);
}

void *compd_alloc(size_t bytes)
{
	uint64_t pages = (bytes + KEEL_PAGE_SIZE - 1) / KEEL_PAGE_SIZE;
	cap_handle_t mem;
	void *p = NULL;
	if (sys_memory_create(pages, 0, &mem))
		return NULL;
	if (keel_map(mem, 0, pages, RIGHT_READ | RIGHT_WRITE, &p)) {
		sys_cap_delete(mem);
		return NULL;
	}
	return p; /* the capability stays, as long as the task */
}

int keel_main(const struct keel_start *s)
{
	struct compd *c = compd_alloc(sizeof *c);
	if (!c)
		return 1;
	c->start = s;
	if (setup(c, s))
		return 1;
	vc_flush(c);
	static const char hello[] = "compd: serial terminal up\r\n";
	uart_write(&c->uart, (const uint8_t *)hello, sizeof hello - 1);
	return loop_run(&c->loop) == STATUS_OK ? 0 : 2;
}
