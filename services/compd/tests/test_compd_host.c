/*
 * Host tests for compd under the real kernel (libsys/host/host_kernel.h):
 * compd's unmodified main.c runs as a task without devices (no serial
 * line, no screen: its four virtual consoles still work), the test plays
 * initd, inputd and the programs, through libsys's terminal client
 * (keel/term.h) and raw messages for what a client would never send.
 */
#include <string.h>

#include "check.h"
#include "host_kernel.h"
#include "keel/loop.h"
#include "keel/service.h"
#include "keel/term.h"
#include "protocol.h"

#define SUP_VA 0x0000210000000000ull
#define CTL_VA 0x0000211000000000ull
#define SUP_SLOTS 64
#define SUP_BIT 0
#define CTL_BIT 1
#define SUP_BADGE 7
#define MS 1000000ull
#define WAIT_TIMEOUT (5000 * MS)

int compd_main(const struct keel_start *start);

static cap_handle_t sup_inbox, sup_send, ctl_inbox, ctl_send;
static struct inbox_ring *sup_ring, *ctl_ring;
static struct keel_child child;
static cap_handle_t compd; /* the service capability, badged as initd would */

/* Maps an inbox ring at va. */
static status_t inbox_at(unsigned bit, uint64_t va, cap_handle_t *inbox, struct inbox_ring **r)
{
	cap_handle_t ring;
	status_t st = sys_inbox_create(SUP_SLOTS, bit, inbox, &ring);
	if (st == STATUS_OK)
		st = sys_memory_map(CAP_HANDLE_NONE, ring, va, 0,
				    (inbox_ring_bytes(SUP_SLOTS) + KEEL_PAGE_SIZE - 1) /
					    KEEL_PAGE_SIZE,
				    RIGHT_READ | RIGHT_WRITE);
	*r = (struct inbox_ring *)va;
	return st;
}

static void compd_stop(void)
{
	if (child.task != CAP_HANDLE_NONE) {
		sys_task_kill(child.task, 0);
		sys_cap_delete(child.task);
		sys_cap_delete(child.thread);
	}
	child = (struct keel_child){ CAP_HANDLE_NONE, CAP_HANDLE_NONE };
	struct keel_msg m;
	while (inbox_ring_pop(sup_ring, &m) || inbox_ring_pop(ctl_ring, &m))
		if (m.flags & MSG_FLAG_CAP)
			sys_cap_delete(m.cap);
}

/* Starts compd with its manifest's quotas and no devices; compd is then
 * the service capability (badge 7). */
static void compd_start(void)
{
	struct keel_spawn_args a = {
		.name = "compd",
		.arg = 500,
		.fault_inbox = sup_send,
		.supervisor = { sup_send, RIGHT_SEND, 0 },
		.quota_slots = 128,
		.quota_objects = 64,
		.quota_pages = 1024,
		.tier = THREAD_TIER_MATTER,
		.affinity = 1,
	};
	struct keel_msg m;
	compd_stop();
	CHECK_EQ(host_spawn(&a, compd_main, &child), STATUS_OK);
	while (host_ring_next(sup_ring, 1ull << SUP_BIT, WAIT_TIMEOUT, &m) == STATUS_OK &&
	       m.label == SERVICE_HEARTBEAT)
		;
	CHECK_EQ(m.label, SERVICE_HELLO);
	CHECK(m.flags & MSG_FLAG_CAP);
	CHECK_EQ(sys_cap_derive(m.cap, RIGHT_SEND, SUP_BADGE, &compd), STATUS_OK);
	sys_cap_delete(m.cap);
}

/* A terminal's control and user capabilities. */
static void open_term(uint32_t index, cap_handle_t *control, cap_handle_t *user)
{
	CHECK_EQ(term_open(compd, index, control), STATUS_OK);
	CHECK_EQ(term_user_cap(*control, user), STATUS_OK);
}

/* Starts compd and attaches t to terminal index, opened fresh. */
static void attached(uint32_t index, cap_handle_t *control, cap_handle_t *user,
		     struct term_client *t)
{
	compd_start();
	open_term(index, control, user);
	CHECK_EQ(term_attach(t, *user), STATUS_OK);
}

/* Types keys (set 1 codes) as inputd would: press and release. */
static void keys(const uint8_t *codes, size_t n, uint8_t mods)
{
	for (size_t i = 0; i < n; i++)
		for (int up = 0; up < 2; up++) {
			struct keel_msg m = { .label = TERM_KEY, .len = 4 };
			m.payload[0] = codes[i];
			m.payload[2] = up ? 0 : 0x01;
			m.payload[3] = mods;
			CHECK_EQ(sys_msg_send(compd, &m, CAP_HANDLE_NONE, 0), STATUS_OK);
		}
}

#define K_H 0x23
#define K_I 0x17
#define K_X 0x2d
#define K_C 0x2e
#define K_D 0x20
#define K_ENTER 0x1c
#define K_F2 0x3c
#define K_BACKSPACE 0x0e

/* A raw call: its status (the error reply's when compd refused). */
static status_t raw_call(cap_handle_t to, uint32_t label, const uint32_t *w, unsigned n)
{
	struct keel_msg m = { .label = label, .len = (uint16_t)(4 * n) };
	if (n)
		memcpy(m.payload, w, 4 * n);
	status_t st = sys_msg_call(to, &m, WAIT_TIMEOUT);
	status_t why;
	uint32_t label2;
	if (st == STATUS_OK && loop_error_parse(&m, &why, &label2) == STATUS_OK)
		return why;
	if (st == STATUS_OK && (m.flags & MSG_FLAG_CAP))
		sys_cap_delete(m.cap);
	return st;
}

TEST(a_cooked_line_typed_on_the_keyboard_is_read_whole)
{
	cap_handle_t control, user;
	struct term_client t;
	char buf[64];
	size_t n = 0;
	attached(TERM_VC_FIRST, &control, &user, &t);
	CHECK_EQ(term_write(&t, "prompt> ", 8), STATUS_OK);
	CHECK_EQ(term_drain(&t), STATUS_OK);
	keys((const uint8_t[]){ K_H, K_X, K_BACKSPACE, K_I, K_ENTER }, 5, 0);
	CHECK_EQ(term_read(&t, buf, sizeof buf, &n, 0), STATUS_OK);
	CHECK_EQ(n, 3);
	CHECK(memcmp(buf, "hi\n", 3) == 0);
	CHECK_EQ(term_read(&t, buf, sizeof buf, &n, 1), STATUS_EMPTY);
	uint16_t rows, cols;
	uint32_t mode;
	CHECK_EQ(term_info(user, &rows, &cols, &mode), STATUS_OK);
	CHECK_EQ(rows, 25);
	CHECK_EQ(cols, 80);
	CHECK_EQ(mode, TERM_MODE_COOKED);
	term_detach(&t);
}

TEST(raw_mode_gives_bytes_at_once_and_ctrl_d_at_line_start_is_eof_in_cooked)
{
	cap_handle_t control, user;
	struct term_client t;
	char buf[64];
	size_t n = 0;
	attached(TERM_VC_FIRST + 1, &control, &user, &t);
	CHECK_EQ(term_set_mode(user, 0), STATUS_OK);
	keys((const uint8_t[]){ K_F2 }, 1, 0x04); /* Alt+F2: keys go to the second console */
	keys((const uint8_t[]){ K_X }, 1, 0);
	CHECK_EQ(term_read(&t, buf, sizeof buf, &n, 0), STATUS_OK);
	CHECK_EQ(n, 1);
	CHECK_EQ(buf[0], 'x');
	keys((const uint8_t[]){ K_C }, 1, 0x02); /* Ctrl-C is a byte in raw mode */
	CHECK_EQ(term_read(&t, buf, sizeof buf, &n, 0), STATUS_OK);
	CHECK_EQ(n, 1);
	CHECK_EQ(buf[0], 3);
	CHECK_EQ(term_set_mode(user, TERM_MODE_COOKED), STATUS_OK);
	keys((const uint8_t[]){ K_D }, 1, 0x02);
	CHECK_EQ(term_read(&t, buf, sizeof buf, &n, 0), STATUS_OK);
	CHECK_EQ(n, 0); /* end of file */
	CHECK_EQ(term_set_mode(user, 0x80), STATUS_INVALID);
	term_detach(&t);
}

TEST(ctrl_c_reaches_the_controller_inbox)
{
	cap_handle_t control, user;
	struct keel_msg m;
	uint32_t index = 9, events = 0;
	compd_start();
	open_term(TERM_VC_FIRST, &control, &user);
	CHECK_EQ(term_set_controller(control, ctl_send), STATUS_OK);
	keys((const uint8_t[]){ K_H, K_C }, 1, 0);
	keys((const uint8_t[]){ K_C }, 1, 0x02);
	CHECK_EQ(host_ring_next(ctl_ring, 1ull << CTL_BIT, WAIT_TIMEOUT, &m), STATUS_OK);
	CHECK_EQ(term_event_parse(&m, &index, &events), STATUS_OK);
	CHECK_EQ(index, TERM_VC_FIRST);
	CHECK_EQ(events, TERM_EV_INTR);
	/* A user capability cannot name a controller. */
	CHECK_EQ(term_set_controller(user, ctl_send), STATUS_OK); /* a send: no answer */
	keys((const uint8_t[]){ K_C }, 1, 0x02);
	CHECK_EQ(host_ring_next(ctl_ring, 1ull << CTL_BIT, WAIT_TIMEOUT, &m), STATUS_OK);
	CHECK_EQ(m.badge, 0x5e); /* still the controller's own capability */
}

TEST(capabilities_only_do_what_their_kind_allows)
{
	cap_handle_t control, user, other;
	compd_start();
	CHECK_EQ(term_open(compd, TERM_COUNT, &other), STATUS_RANGE);
	open_term(TERM_SERIAL, &control, &user);
	CHECK_EQ(term_open(user, TERM_VC_FIRST, &other), STATUS_NO_RIGHTS);
	CHECK_EQ(term_open(control, TERM_VC_FIRST, &other), STATUS_NO_RIGHTS);
	CHECK_EQ(term_user_cap(user, &other), STATUS_NO_RIGHTS);
	CHECK_EQ(raw_call(compd, TERM_ATTACH, NULL, 0), STATUS_NO_RIGHTS);
	CHECK_EQ(raw_call(compd, TERM_INFO, NULL, 0), STATUS_NO_RIGHTS);
}

TEST(bad_ids_and_payloads_are_refused_and_compd_keeps_serving)
{
	cap_handle_t control, user, mem = CAP_HANDLE_NONE;
	struct term_client t;
	attached(TERM_VC_FIRST, &control, &user, &t);
	uint32_t w[2] = { t.id ^ 0x100, 16 }; /* the right slot, a wrong generation */
	CHECK_EQ(raw_call(user, TERM_READ, w, 2), STATUS_STALE);
	w[0] = 200;
	CHECK_EQ(raw_call(user, TERM_READ, w, 2), STATUS_STALE);
	w[0] = t.id, w[1] = 0;
	CHECK_EQ(raw_call(user, TERM_READ, w, 2), STATUS_INVALID);
	/* A second read on one attachment while one waits is BUSY. */
	w[1] = 16;
	struct keel_msg rd = { .label = TERM_READ, .len = 8 };
	memcpy(rd.payload, w, 8);
	CHECK_EQ(sys_msg_call(user, &rd, 1000), STATUS_TIMEOUT); /* it waits in compd */
	CHECK_EQ(raw_call(user, TERM_READ, w, 2), STATUS_BUSY);
	CHECK_EQ(raw_call(user, TERM_READ, w, 1), STATUS_BAD_FORMAT);
	CHECK_EQ(raw_call(user, TERM_SET_MODE, NULL, 0), STATUS_BAD_FORMAT);
	CHECK_EQ(raw_call(user, 0x7e4d00ffu, NULL, 0), STATUS_NOT_FOUND);
	/* The attachment of another terminal is not this one's. */
	cap_handle_t c2, u2;
	open_term(TERM_VC_FIRST + 2, &c2, &u2);
	w[0] = t.id;
	CHECK_EQ(raw_call(u2, TERM_DETACH, w, 1), STATUS_STALE);
	/* Sends with capabilities where none belong lose them. */
	CHECK_EQ(sys_memory_create(1, 0, &mem), STATUS_OK);
	struct keel_msg m = { .label = TERM_ATTACH };
	CHECK_EQ(sys_msg_send(user, &m, mem, CAP_COPY), STATUS_OK);
	m.label = TERM_CONTROLLER; /* a memory object is no controller */
	CHECK_EQ(sys_msg_send(control, &m, mem, CAP_COPY), STATUS_OK);
	m.label = TERM_KEY, m.len = 3;
	CHECK_EQ(sys_msg_send(compd, &m, CAP_HANDLE_NONE, 0), STATUS_OK);
	CHECK_EQ(term_write(&t, "still here\n", 11), STATUS_OK);
	CHECK_EQ(term_drain(&t), STATUS_OK);
	term_detach(&t);
	CHECK_EQ(raw_call(user, TERM_DETACH, w, 1), STATUS_STALE); /* twice */
}

TEST(a_full_table_reclaims_the_idle_attachment_and_its_owner_attaches_again)
{
	cap_handle_t control, user;
	static struct term_client t[17];
	char buf[16];
	size_t n = 0;
	compd_start();
	open_term(TERM_VC_FIRST, &control, &user);
	for (int i = 0; i < 17; i++)
		CHECK_EQ(term_attach(&t[i], user), STATUS_OK);
	keys((const uint8_t[]){ K_H, K_ENTER }, 2, 0);
	CHECK_EQ(term_read(&t[0], buf, sizeof buf, &n, 0), STATUS_OK); /* reclaimed first */
	CHECK_EQ(n, 2);
	CHECK_EQ(t[0].reattached, 1);
	for (int i = 0; i < 17; i++)
		term_detach(&t[i]);
}

TEST(output_larger_than_the_channel_flows_through)
{
	cap_handle_t control, user;
	struct term_client t;
	static char big[100000];
	attached(TERM_VC_FIRST, &control, &user, &t);
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (i % 80 == 79) ? '\n' : (char)('a' + i % 26);
	CHECK_EQ(term_write(&t, big, sizeof big), STATUS_OK);
	CHECK_EQ(term_drain(&t), STATUS_OK);
	term_detach(&t);
}

/* Keys a second thread of the test types after 10 ms of (virtual) time,
 * while the test waits in compd; mods apply to the first key only. */
static struct later_keys {
	uint8_t codes[4];
	size_t n;
	uint8_t mods;
} later;

static int type_later(const struct keel_start *arg)
{
	uint64_t pending = 0;
	(void)arg;
	sys_signal_wait(1ull << 40, 10 * MS, &pending);
	keys(later.codes, 1, later.mods);
	if (later.n > 1)
		keys(later.codes + 1, later.n - 1, 0);
	return 0;
}

/* Runs fn on a second thread of the test task self. */
static void run_soon(int (*fn)(const struct keel_start *), cap_handle_t self)
{
	cap_handle_t th = CAP_HANDLE_NONE;
	CHECK_EQ(sys_thread_create(self, (uint64_t)(uintptr_t)fn, 0, 0, THREAD_TIER_MATTER, 1, &th),
		 STATUS_OK);
	sys_cap_delete(th);
}

static void type_soon(const uint8_t *codes, size_t n, uint8_t mods, cap_handle_t self)
{
	memcpy(later.codes, codes, n);
	later.n = n;
	later.mods = mods;
	run_soon(type_later, self);
}

static const struct keel_start *root;

/* TERM_RELEASE from a second thread after 5 ms (before type_soon's keys),
 * on later_release. */
static cap_handle_t later_release;

static int release_later(const struct keel_start *arg)
{
	uint64_t pending = 0;
	(void)arg;
	sys_signal_wait(1ull << 40, 5 * MS, &pending);
	term_release_reads(later_release);
	return 0;
}

TEST(term_release_ends_waiting_reads_as_ctrl_c_does_but_counts_nothing)
{
	cap_handle_t control, user;
	struct term_client t;
	char buf[64];
	size_t n = 0;
	attached(TERM_VC_FIRST, &control, &user, &t);
	/* From the control capability: a read that handles interrupts ends. */
	later_release = control;
	run_soon(release_later, root->self_task);
	CHECK_EQ(term_read(&t, buf, sizeof buf, &n, TERM_READ_INTERRUPTIBLE), STATUS_EMPTY);
	CHECK_EQ(n, 0);
	CHECK_EQ(term_interrupts(&t), 0); /* not an interrupt typed */
	/* From a user capability it does nothing: the read waits on for the
	 * line typed after. */
	later_release = user;
	run_soon(release_later, root->self_task);
	type_soon((const uint8_t[]){ K_I, K_ENTER }, 2, 0, root->self_task);
	CHECK_EQ(term_read(&t, buf, sizeof buf, &n, TERM_READ_INTERRUPTIBLE), STATUS_OK);
	CHECK_EQ(n, 2);
	CHECK(memcmp(buf, "i\n", 2) == 0);
	term_detach(&t);
}

TEST(status_words_say_when_a_line_is_readable_and_wake_a_waiter)
{
	cap_handle_t control, user;
	struct term_client t;
	char buf[64];
	size_t n = 0;
	uint32_t seq = 0;
	attached(TERM_VC_FIRST, &control, &user, &t);
	CHECK(!term_poll(&t, &seq));
	keys((const uint8_t[]){ K_H }, 1, 0); /* half a line: not readable */
	CHECK_EQ(term_wait(&t, seq, 10 * MS), STATUS_TIMEOUT);
	CHECK(!term_poll(&t, &seq));
	type_soon((const uint8_t[]){ K_ENTER }, 1, 0, root->self_task);
	CHECK_EQ(term_wait(&t, seq, WAIT_TIMEOUT), STATUS_OK);
	CHECK(term_poll(&t, &seq));
	CHECK_EQ(term_read(&t, buf, sizeof buf, &n, 0), STATUS_OK);
	CHECK_EQ(n, 2);
	CHECK(memcmp(buf, "h\n", 2) == 0);
	CHECK(!term_poll(&t, &seq)); /* taken: no longer readable */
	CHECK_EQ(term_set_mode(user, 0), STATUS_OK);
	keys((const uint8_t[]){ K_X }, 1, 0); /* raw: one byte is enough */
	CHECK_EQ(term_wait(&t, seq, WAIT_TIMEOUT), STATUS_OK);
	CHECK(term_poll(&t, &seq));
	term_detach(&t);
	CHECK_EQ(term_wait(&t, seq, 0), STATUS_STALE);
	CHECK(!term_poll(&t, &seq));
}

TEST(ctrl_c_is_counted_in_every_attachment_and_ends_interruptible_reads)
{
	cap_handle_t control, user;
	struct term_client t, u;
	char buf[64];
	size_t n = 0;
	uint32_t seq = 0;
	attached(TERM_VC_FIRST, &control, &user, &t);
	CHECK_EQ(term_attach(&u, user), STATUS_OK);
	CHECK_EQ(term_interrupts(&t), 0);
	/* A read that handles interrupts ends; the line typed before is gone. */
	keys((const uint8_t[]){ K_H }, 1, 0);
	type_soon((const uint8_t[]){ K_C }, 1, 0x02, root->self_task);
	CHECK_EQ(term_read(&t, buf, sizeof buf, &n, TERM_READ_INTERRUPTIBLE), STATUS_EMPTY);
	CHECK_EQ(n, 0);
	CHECK_EQ(term_interrupts(&t), 1);
	CHECK_EQ(term_interrupts(&u), 1);
	/* One that does not reads on: it gets the line typed after. */
	type_soon((const uint8_t[]){ K_C, K_I, K_ENTER }, 3, 0x02, root->self_task);
	CHECK_EQ(term_read(&u, buf, sizeof buf, &n, 0), STATUS_OK);
	CHECK_EQ(n, 2);
	CHECK(memcmp(buf, "i\n", 2) == 0);
	CHECK_EQ(term_interrupts(&t), 2);
	/* A waiter on the status words wakes for an interrupt. */
	CHECK(!term_poll(&t, &seq));
	type_soon((const uint8_t[]){ K_C }, 1, 0x02, root->self_task);
	CHECK_EQ(term_wait(&t, seq, WAIT_TIMEOUT), STATUS_OK);
	CHECK_EQ(term_interrupts(&u), 3);
	/* Raw mode: Ctrl-C is a byte, not an interrupt. */
	CHECK_EQ(term_set_mode(user, 0), STATUS_OK);
	keys((const uint8_t[]){ K_C }, 1, 0x02);
	CHECK_EQ(term_read(&t, buf, sizeof buf, &n, TERM_READ_INTERRUPTIBLE), STATUS_OK);
	CHECK_EQ(n, 1);
	CHECK_EQ(term_interrupts(&t), 3);
	/* The count goes on from where it was when the client attaches again. */
	term_detach(&u);
	CHECK_EQ(term_interrupts(&u), 3);
	CHECK_EQ(term_set_mode(user, TERM_MODE_COOKED), STATUS_OK);
	keys((const uint8_t[]){ K_C }, 1, 0x02);
	CHECK_EQ(term_write(&u, "x", 1), STATUS_OK); /* attaches again */
	CHECK_EQ(term_interrupts(&u), 4);
	term_detach(&t);
	term_detach(&u);
}

static int tests(const struct keel_start *start)
{
	root = start;
	if (inbox_at(SUP_BIT, SUP_VA, &sup_inbox, &sup_ring) ||
	    sys_cap_derive(sup_inbox, RIGHT_SEND | RIGHT_GRANT, SUP_BADGE, &sup_send) ||
	    inbox_at(CTL_BIT, CTL_VA, &ctl_inbox, &ctl_ring) ||
	    sys_cap_derive(ctl_inbox, RIGHT_SEND | RIGHT_GRANT, 0x5e, &ctl_send)) {
		printf("cannot make the test's inboxes\n");
		return 1;
	}
	RUN(a_cooked_line_typed_on_the_keyboard_is_read_whole);
	RUN(raw_mode_gives_bytes_at_once_and_ctrl_d_at_line_start_is_eof_in_cooked);
	RUN(ctrl_c_reaches_the_controller_inbox);
	RUN(capabilities_only_do_what_their_kind_allows);
	RUN(bad_ids_and_payloads_are_refused_and_compd_keeps_serving);
	RUN(a_full_table_reclaims_the_idle_attachment_and_its_owner_attaches_again);
	RUN(output_larger_than_the_channel_flows_through);
	RUN(status_words_say_when_a_line_is_readable_and_wake_a_waiter);
	RUN(ctrl_c_is_counted_in_every_attachment_and_ends_interruptible_reads);
	RUN(term_release_ends_waiting_reads_as_ctrl_c_does_but_counts_nothing);
	compd_stop();
	return check_summary();
}

int main(void)
{
	return host_test_main(tests);
}
