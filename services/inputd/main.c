/*
 * main.c - inputd, the keyboard service: the i8042 PS/2 controller's
 * keyboard port (IRQ 1, scancode set 1 as the controller translates it)
 * decoded by scancode.c into key events, each sent to compd as TERM_KEY
 * (compd/protocol.h), which turns it into the bytes of the console in
 * front. The canonical shape: an inbox, one wait per turn, hello and
 * heartbeat to initd; compd's inbox kept current through peer updates.
 *
 * Its device comes from topod (`device legacy i8042`): start
 * capabilities 0 and 1 are the ports 0x60 and 0x64, 2 is line 1; 3 is the
 * send capability to compd.
 */
#include <stdlib.h>

#include "compd/protocol.h"
#include "keel/peers.h"
#include "keel/service.h"
#include "keel/spawn.h"
#include "keel/sys.h"
#include "scancode.h"

#define INBOX_BIT 0
#define KBD_BIT 1
#define INBOX_SLOTS 16
#define PORT_DATA 0x60
#define PORT_STATUS 0x64 /* read: status; write: command */
#define ST_OUT_FULL 0x01
#define ST_IN_FULL 0x02
#define ST_AUX 0x20
#define CMD_READ_CONFIG 0x20
#define CMD_WRITE_CONFIG 0x60
#define CONFIG_KBD_IRQ 0x01
#define CONFIG_TRANSLATE 0x40
#define KBD_SET_LEDS 0xed
#define SPIN_MAX 100000

struct inputd {
	struct loop loop;
	struct peers peers;
	cap_handle_t irq;
	struct kbd kbd;
	uint64_t keys, lost;
};

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

/* Writes to the controller once its input buffer is empty; false if it
 * never empties (no controller: give up rather than hang). */
static bool put(uint16_t port, uint8_t v)
{
	for (int i = 0; i < SPIN_MAX; i++)
		if (!(inb(PORT_STATUS) & ST_IN_FULL)) {
			outb(port, v);
			return true;
		}
	return false;
}

/* Sends one key event to compd; a full inbox loses the key (counted). */
static void send_key(struct inputd *d, const struct key_event *ev)
{
	struct keel_msg m = { .label = TERM_KEY, .len = 4 };
	m.payload[0] = (uint8_t)ev->key;
	m.payload[1] = (uint8_t)(ev->key >> 8);
	m.payload[2] = ev->flags;
	m.payload[3] = ev->mods;
	d->keys++;
	if (sys_msg_send(peers_cap(&d->peers, TERM_PEER), &m, CAP_HANDLE_NONE, 0))
		d->lost++;
}

/* Reads every byte the controller holds and decodes the keyboard's. */
static void drain(struct inputd *d)
{
	for (int n = 0; n < 256; n++) {
		uint8_t st = inb(PORT_STATUS);
		if (!(st & ST_OUT_FULL))
			return;
		uint8_t b = inb(PORT_DATA);
		struct key_event ev;
		if ((st & ST_AUX) || !kbd_feed(&d->kbd, b, &ev))
			continue;
		if (ev.flags & KEY_LEDS_CHANGED)
			put(PORT_DATA, KBD_SET_LEDS) && put(PORT_DATA, kbd_leds(&d->kbd));
		send_key(d, &ev);
	}
}

static void on_irq(struct loop *loop, unsigned bit, void *ctx)
{
	struct inputd *d = ctx;
	(void)loop, (void)bit;
	drain(d);
	sys_irq_ack(d->irq);
	drain(d); /* a byte that came meanwhile raised no new edge */
}

/* Flushes the controller and makes sure the keyboard interrupts and the
 * translation to set 1 are on (the firmware normally left them so). */
static status_t controller_init(struct inputd *d)
{
	for (int i = 0; i < 64 && (inb(PORT_STATUS) & ST_OUT_FULL); i++)
		(void)inb(PORT_DATA);
	if (!put(PORT_STATUS, CMD_READ_CONFIG))
		return STATUS_TIMEOUT;
	int i = 0;
	while (i < SPIN_MAX && !(inb(PORT_STATUS) & ST_OUT_FULL))
		i++;
	if (i == SPIN_MAX)
		return STATUS_TIMEOUT;
	uint8_t config = inb(PORT_DATA) | CONFIG_KBD_IRQ | CONFIG_TRANSLATE;
	if (!put(PORT_STATUS, CMD_WRITE_CONFIG) || !put(PORT_DATA, config))
		return STATUS_TIMEOUT;
	kbd_init(&d->kbd);
	return STATUS_OK;
}

static status_t setup(struct inputd *d, const struct keel_start *s)
{
	struct inbox_ring *ring;
	cap_handle_t inbox;
	d->irq = keel_start_cap(s, 2);
	peers_init(&d->peers, &sysops_kernel);
	status_t st = sys_ioports_enable(keel_start_cap(s, 0));
	if (st == STATUS_OK)
		st = sys_ioports_enable(keel_start_cap(s, 1));
	if (st == STATUS_OK)
		st = controller_init(d);
	if (st == STATUS_OK)
		st = loop_inbox_open(INBOX_SLOTS, INBOX_BIT, &inbox, &ring);
	if (st == STATUS_OK)
		st = loop_init(&d->loop, &sysops_kernel, ring, INBOX_BIT);
	if (st == STATUS_OK)
		st = peers_add(&d->peers, TERM_PEER, keel_start_cap(s, 3));
	if (st == STATUS_OK)
		st = peers_listen(&d->peers, &d->loop, SERVICE_PEER);
	if (st == STATUS_OK)
		st = sys_irq_bind(d->irq, KBD_BIT);
	if (st == STATUS_OK)
		st = loop_on_signal(&d->loop, KBD_BIT, on_irq, d);
	if (st == STATUS_OK)
		st = service_hello(s, inbox);
	return st ? st : service_heartbeat_start(&d->loop, s);
}

int keel_main(const struct keel_start *s)
{
	struct inputd *d = calloc(1, sizeof *d);
	if (!d || setup(d, s))
		return 1;
	drain(d);
	return loop_run(&d->loop) == STATUS_OK ? 0 : 2;
}
