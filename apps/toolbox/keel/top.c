/*
 * top.c - `top [-n COUNT]`: the kernel's counters (sys_kernel_stats,
 * struct kernel_stats): uptime, CPUs, tasks, threads, objects, memory,
 * and between two screens the system calls and kernel lock use per
 * second. Redraws every second until q or Ctrl-C (the terminal is put in
 * non-canonical mode without echo or signals meanwhile, and restored), or
 * COUNT screens; `top -n 1` prints one reading and ends. Needs the witness
 * capability with the read right.
 */
#include "../toolbox.h"

#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include "keel/launch.h"
#include "keeltools.h"

#define TOP_BUF 1024

/* One reading into s->now (the previous one moves to s->before). */
static status_t sample(cap_handle_t w, struct top_sample *s, bool first)
{
	uint64_t t = 0;
	s->before = s->now;
	sys_clock_read(&t);
	s->interval_ns = first ? 0 : t - s->uptime_ns;
	s->uptime_ns = t;
	return sys_kernel_stats(w, &s->now, sizeof s->now);
}

/* Waits up to a second for a key; true if it asks to quit. */
static bool quit_key(bool tty)
{
	struct pollfd p = { .fd = 0, .events = POLLIN };
	char ch;
	if (!tty) {
		sleep(1);
		return false;
	}
	if (poll(&p, 1, 1000) <= 0)
		return false;
	if (read(0, &ch, 1) != 1)
		return true; /* end of input */
	return ch == 'q' || ch == 'Q' || ch == 3 || ch == 4;
}

/* The screens; returns the exit status. */
static int run(const char *self, cap_handle_t w, unsigned long long count, bool tty)
{
	struct top_sample s = { .cpus = keel_start_page()->cpu_count };
	char text[TOP_BUF];
	for (unsigned long long i = 0; i < count; i++) {
		status_t st = sample(w, &s, i == 0);
		if (st) {
			msg(self, "cannot read the kernel's counters: %s", status_message(st));
			return 1;
		}
		top_format(&s, text, sizeof text);
		if (tty && count != 1)
			fputs("\033[H\033[2J", stdout);
		fputs(text, stdout);
		fflush(stdout);
		if (i + 1 < count && quit_key(tty))
			break;
	}
	return 0;
}

int tb_top(int argc, char **argv)
{
	static const char usage[] = "[-n COUNT]";
	unsigned long long count = ~0ull;
	struct termios saved, raw;
	struct opt o;
	int c, nops;
	opt_init(&o, argc, argv, "n:", usage);
	while ((c = opt_next(&o)) != -1) {
		if (c != 'n')
			return 2;
		if (!parse_ulong(o.arg, &count) || count == 0) {
			msg(argv[0], "invalid number '%s'", o.arg);
			msg_usage(argv[0], usage);
			return 2;
		}
	}
	opt_operands(&o, &nops);
	if (nops) {
		msg_usage(argv[0], usage);
		return 2;
	}
	cap_handle_t w = keel_start_page()->witness;
	if (w == CAP_HANDLE_NONE) {
		msg(argv[0], "no witness capability");
		return 1;
	}
	bool tty = count != 1 && tcgetattr(0, &saved) == 0;
	if (tty) {
		raw = saved;
		raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG);
		tcsetattr(0, TCSANOW, &raw);
	}
	int r = run(argv[0], w, count, tty);
	if (tty)
		tcsetattr(0, TCSANOW, &saved);
	return r;
}
