/*
 * contest.c - the console's test program (tests/qemu/console.py types to
 * it): started by initd with `sends console`, it opens the serial terminal
 * as its controller, attaches the C library's descriptors 0-2 to a user
 * capability of it and reports, on that terminal, what it reads in cooked
 * and raw mode, the interrupt reaching its controller inbox, end of file,
 * the window size, and the output rate.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "keel/loop.h"
#include "keel/service.h"
#include "keel/spawn.h"
#include "keel/term.h"

#define INBOX_BIT 5

struct contest {
	struct loop loop;
	uint32_t events;
};

static status_t on_event(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			 void *ctx)
{
	struct contest *t = ctx;
	uint32_t index, events;
	(void)loop, (void)reply;
	if (term_event_parse(m, &index, &events) == STATUS_OK)
		t->events |= events;
	return STATUS_OK;
}

/* Opens the serial terminal as its controller and attaches stdio to it. */
static status_t setup(struct contest *t, const struct keel_start *s)
{
	struct inbox_ring *ring;
	cap_handle_t inbox, send, control, user;
	status_t st = loop_inbox_open(16, INBOX_BIT, &inbox, &ring);
	if (st == STATUS_OK)
		st = loop_init(&t->loop, &sysops_kernel, ring, INBOX_BIT);
	if (st == STATUS_OK)
		st = loop_on_msg(&t->loop, TERM_EVENT, on_event, t);
	if (st == STATUS_OK)
		st = sys_cap_derive(inbox, RIGHT_SEND | RIGHT_GRANT, 0x5e, &send);
	if (st == STATUS_OK)
		st = term_open(keel_start_cap(s, 0), TERM_SERIAL, &control);
	if (st == STATUS_OK)
		st = term_set_controller(control, send);
	if (st == STATUS_OK)
		st = term_user_cap(control, &user);
	if (st == STATUS_OK)
		keel_console_attach(user);
	if (st == STATUS_OK)
		st = service_hello(s, inbox);
	return st;
}

static void say(const char *fmt, const char *arg)
{
	printf(fmt, arg);
	fflush(stdout);
}

/* Reads lines in cooked mode and shows them. */
static void cooked(int lines)
{
	char line[256];
	for (int i = 0; i < lines; i++) {
		say("contest: type a line\n", NULL);
		if (!fgets(line, sizeof line, stdin)) {
			say("contest: no line\n", NULL);
			return;
		}
		line[strcspn(line, "\n")] = 0;
		say("contest: line [%s]\n", line);
	}
}

/* Raw mode: every byte as it comes, Ctrl-C included. */
static void raw(void)
{
	struct termios saved, t;
	unsigned char b[4];
	char text[64];
	tcgetattr(0, &saved);
	t = saved;
	cfmakeraw(&t);
	if (tcsetattr(0, TCSANOW, &t)) {
		say("contest: tcsetattr failed\n", NULL);
		return;
	}
	say("contest: raw mode, type 4 bytes\r\n", NULL);
	size_t got = 0;
	while (got < sizeof b) {
		ssize_t n = read(0, b + got, sizeof b - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	snprintf(text, sizeof text, "%02x %02x %02x %02x", b[0], b[1], b[2], b[3]);
	say("contest: raw bytes [%s]\r\n", text);
	tcsetattr(0, TCSANOW, &saved);
}

static void tick(struct loop *loop, uint64_t now, void *ctx)
{
	(void)loop, (void)now, (void)ctx;
}

/* Waits (up to 20 s) for Ctrl-C to reach the controller inbox. */
static void interrupt(struct contest *t)
{
	uint64_t now = 0;
	say("contest: press ctrl-c\n", NULL);
	for (int i = 0; i < 200 && !(t->events & TERM_EV_INTR); i++) {
		sys_clock_read(&now);
		loop_timer_add(&t->loop, now + 100000000ull, tick, NULL, NULL);
		loop_turn(&t->loop);
	}
	say("contest: %s\n",
	    (t->events & TERM_EV_INTR) ? "interrupt reached the controller" : "no interrupt");
}

#define THROUGHPUT_BYTES (256 * 1024)

/* Fills buf with lines of 80 characters. */
static void lines(char *buf, size_t n)
{
	memset(buf, '.', n);
	for (size_t i = 79; i < n; i += 80)
		buf[i] = '\n';
}

static long long ns_since(const struct timespec *a)
{
	struct timespec b;
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (b.tv_sec - a->tv_sec) * 1000000000ll + (b.tv_nsec - a->tv_nsec);
}

static void report(const char *what, long long ns)
{
	char text[128];
	snprintf(text, sizeof text, "%s %d bytes in %lld us: %lld bytes/s", what, THROUGHPUT_BYTES,
		 ns / 1000, ns ? THROUGHPUT_BYTES * 1000000000ll / ns : 0);
	say("\ncontest: throughput %s\n", text);
}

/* Writes to the serial terminal through stdio and reports the rate. */
static void throughput(void)
{
	static char buf[4096];
	struct timespec a;
	lines(buf, sizeof buf);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int done = 0; done < THROUGHPUT_BYTES; done += (int)sizeof buf)
		fwrite(buf, 1, sizeof buf, stdout);
	fflush(stdout);
	tcdrain(1);
	report("serial", ns_since(&a));
}

/* The first virtual console, through libsys's client directly: a line
 * typed on the PS/2 keyboard (inputd) arrives here. */
static void vc_test(const struct keel_start *s)
{
	cap_handle_t control, user;
	struct term_client vc;
	char line[128];
	size_t len = 0, n = 0;
	static const char hello[] = "keel vc1: type a line\n";
	if (term_open(keel_start_cap(s, 0), TERM_VC_FIRST, &control) ||
	    term_user_cap(control, &user) || term_attach(&vc, user) ||
	    term_write(&vc, hello, sizeof hello - 1)) {
		say("contest: vc attach failed\n", NULL);
		return;
	}
	say("contest: vc ready\n", NULL);
	while (len < sizeof line - 1 && (len == 0 || line[len - 1] != '\n')) {
		if (term_read(&vc, line + len, sizeof line - 1 - len, &n, 0) || n == 0)
			break;
		len += n;
	}
	line[len] = 0;
	line[strcspn(line, "\n")] = 0;
	say("contest: vc line [%s]\n", line);
	term_write(&vc, "got it\n", 7);
	say("contest: vc waits for enter\n", NULL);
	term_read(&vc, line, sizeof line, &n, 0); /* the test has looked at the screen */
	static char buf[4096];
	struct timespec a;
	lines(buf, sizeof buf);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int done = 0; done < THROUGHPUT_BYTES; done += (int)sizeof buf)
		term_write(&vc, buf, sizeof buf);
	term_drain(&vc);
	report("screen", ns_since(&a));
	static const char done[] = "\033[2J\033[Hscreen test done\n";
	term_write(&vc, done, sizeof done - 1);
	term_drain(&vc);
}

int keel_main(const struct keel_start *s)
{
	struct contest t = { 0 };
	struct winsize w = { 0 };
	char text[64];
	if (setup(&t, s))
		return 1;
	ioctl(1, TIOCGWINSZ, &w);
	snprintf(text, sizeof text, "%ux%u tty %d", w.ws_row, w.ws_col, isatty(0));
	say("contest: ready %s\n", text);
	cooked(4);
	raw();
	interrupt(&t);
	say("contest: type ctrl-d\n", NULL);
	char line[64];
	say("contest: %s\n", fgets(line, sizeof line, stdin) ? "not end of file" : "end of file");
	clearerr(stdin);
	throughput();
	vc_test(s);
	say("contest: done\n", NULL);
	for (;;)
		loop_turn(&t.loop);
}
