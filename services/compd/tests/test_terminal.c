/*
 * Host tests for one terminal (terminal.c) on a fake kernel behind
 * keel_host_syscall: what its controller and its attachments see, and in
 * which order. The serial line, the emulator, the loop's replies and the
 * attachment table are stubs: the tests type, and read the controller's
 * events and the attachments' status words.
 */
#include <string.h>

#include "check.h"
#include "compd.h"
#include "keel/codec.h"
#include "keel/sys.h"

#define CONTROLLER 77
#define ATT_BYTES (2 * KEEL_PAGE_SIZE)
#define EVENTS_MAX 8

static struct compd c;
static uint8_t att_mem[2][ATT_BYTES] __attribute__((aligned(4096)));

/* What the controller got, and what every attachment counted then. */
static struct event_seen {
	uint32_t events;
	uint32_t intr[2], susp[2];
} seen[EVENTS_MAX];
static unsigned nseen, nwakes;

static const struct term_status *status_in(unsigned i)
{
	return (const struct term_status *)(att_mem[i] + ATT_BYTES / 2 - TERM_STATUS_BYTES);
}

static uint64_t fake_send(const uint64_t a[8])
{
	const struct keel_msg *m = (const struct keel_msg *)(uintptr_t)a[1];
	uint32_t index = 0, events = 0;
	struct codec_reader r;
	if (a[0] != CONTROLLER || nseen == EVENTS_MAX || m->label != TERM_EVENT || m->len != 8)
		return STATUS_BAD_CAP;
	codec_reader_init(&r, m->payload, m->len);
	if (codec_get_u32(&r, &index) || codec_get_u32(&r, &events) || index != TERM_SERIAL)
		return STATUS_BAD_FORMAT;
	seen[nseen].events = events;
	for (unsigned i = 0; i < 2; i++) {
		seen[nseen].intr[i] = status_in(i)->intr;
		seen[nseen].susp[i] = status_in(i)->susp;
	}
	nseen++;
	return STATUS_OK;
}

uint64_t keel_host_syscall(uint64_t nr, const uint64_t a[8], uint64_t ret[7])
{
	memset(ret, 0, 7 * sizeof ret[0]);
	switch (nr) {
	case SYS_MSG_SEND:
		return fake_send(a);
	case SYS_FUTEX_WAKE:
		nwakes++;
		return STATUS_OK;
	case SYS_CLOCK_READ:
		ret[0] = 123456789;
		return STATUS_OK;
	default:
		return STATUS_NO_SYSCALL;
	}
}

/* The rest of compd, as far as one terminal on the serial line uses it. */
void uart_write(struct uart *u, const uint8_t *p, size_t n)
{
	(void)u, (void)p, (void)n;
}

void vt_write(struct vt *vt, const uint8_t *bytes, size_t n)
{
	(void)vt, (void)bytes, (void)n;
}

size_t vt_take_replies(struct vt *vt, uint8_t *out, size_t cap)
{
	(void)vt, (void)out, (void)cap;
	return 0;
}

void vc_flush(struct compd *cd)
{
	(void)cd;
}

status_t loop_reply(struct loop *loop, cap_handle_t to_reply, const struct loop_reply *r)
{
	(void)loop, (void)to_reply, (void)r;
	return STATUS_OK;
}

void loop_error_msg(struct keel_msg *m, status_t status, uint32_t label)
{
	(void)m, (void)status, (void)label;
}

struct attachment *attach_find(struct compd *cd, uint32_t id, unsigned term)
{
	(void)cd, (void)id, (void)term;
	return NULL;
}

void attach_free(struct compd *cd, struct attachment *a)
{
	(void)cd, (void)a;
}

uint32_t channel_writable(struct channel *ch)
{
	(void)ch;
	return 0;
}

uint32_t channel_push_batch(struct channel *ch, const void *elems, uint32_t n)
{
	(void)ch, (void)elems, (void)n;
	return 0;
}

/* The serial terminal, cooked, initd's inbox its controller, two
 * attachments (as the shell's and a program's). */
static struct terminal *setup(void)
{
	memset(&c, 0, sizeof c);
	memset(att_mem, 0, sizeof att_mem);
	nseen = nwakes = 0;
	struct terminal *t = &c.term[TERM_SERIAL];
	CHECK_EQ(terminal_init(&c, TERM_SERIAL), STATUS_OK);
	t->controller = CONTROLLER;
	for (unsigned i = 0; i < 2; i++) {
		c.att[i].used = true;
		c.att[i].term = TERM_SERIAL;
		c.att[i].base = att_mem[i];
		c.att[i].bytes = ATT_BYTES;
		terminal_status_put(t, &c.att[i]);
	}
	return t;
}

static void type(struct terminal *t, const char *s)
{
	terminal_input(t, (const uint8_t *)s, strlen(s));
}

/* initd ends the foreground job when it hears of Ctrl-C, and the shell's
 * wait for the job returns: the shell must then see the Ctrl-C counted,
 * or it takes the count that moves later for an interrupt of the next
 * command typed, and abandons that command. */
TEST(every_attachment_counts_ctrl_c_before_the_controller_hears_of_it)
{
	struct terminal *t = setup();
	type(t, "ls\x03");
	CHECK_EQ(nseen, 1);
	CHECK_EQ(seen[0].events, TERM_EV_INTR);
	CHECK_EQ(seen[0].intr[0], 1);
	CHECK_EQ(seen[0].intr[1], 1);
	CHECK(nwakes >= 2); /* and their waiters were woken */
	type(t, "\x03");
	CHECK_EQ(nseen, 2);
	CHECK_EQ(seen[1].intr[0], 2);
	CHECK_EQ(seen[1].intr[1], 2);
}

TEST(every_attachment_counts_ctrl_z_before_the_controller_hears_of_it)
{
	struct terminal *t = setup();
	type(t, "\x1a");
	CHECK_EQ(nseen, 1);
	CHECK_EQ(seen[0].events, TERM_EV_SUSP);
	CHECK_EQ(seen[0].susp[0], 1);
	CHECK_EQ(seen[0].susp[1], 1);
	CHECK_EQ(seen[0].intr[0], 0);
}

TEST(no_event_and_no_count_without_isig)
{
	struct terminal *t = setup();
	terminal_set_mode(t, TERM_MODE_COOKED & ~(uint32_t)TERM_MODE_ISIG);
	type(t, "\x03\x1a");
	CHECK_EQ(nseen, 0);
	CHECK_EQ(status_in(0)->intr, 0);
	CHECK_EQ(status_in(1)->susp, 0);
}

int main(void)
{
	RUN(every_attachment_counts_ctrl_c_before_the_controller_hears_of_it);
	RUN(every_attachment_counts_ctrl_z_before_the_controller_hears_of_it);
	RUN(no_event_and_no_count_without_isig);
	return check_summary();
}
