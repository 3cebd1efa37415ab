/*
 * top.c - `top [-n COUNT]`: the kernel's counters (sys_kernel_stats,
 * struct kernel_stats and the per-CPU records after it): uptime, CPUs,
 * tasks, threads, objects, memory, and between two screens the system
 * calls and kernel lock use per second and each CPU's load; then the
 * busiest tasks from initd's INITD_TASKS (through the launch capability). On a terminal it clears and redraws every second until q or
 * Ctrl-C (the terminal is put in non-canonical mode without echo or
 * signals meanwhile, and restored). With -n it prints COUNT screens one
 * after the other, a second apart, and reads no keys (Ctrl-C is then the
 * line discipline's); `top -n 1` prints one reading. Needs the witness
 * capability with the read right.
 */
#include "../toolbox.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "keel/launch.h"
#include "initd_call.h"
#include "keeltools.h"

#define TOP_BUF 8192
#define TOP_TASK_ROWS 12 /* the busiest tasks shown */

/* What sys_kernel_stats fills: the counters, then the CPUs' records. */
struct reading {
	struct kernel_stats k;
	struct kernel_cpu_stats cpu[KERNEL_STATS_CPUS];
};

/* One reading into s->now (the previous one moves to s->before); the
 * tasks through initd (launch capability initd; none without one). */
static status_t sample(cap_handle_t w, cap_handle_t initd, struct top_sample *s, bool first)
{
	uint64_t t = 0;
	struct reading r;
	s->before = s->now;
	memcpy(s->cpu_before, s->cpu_now, sizeof s->cpu_now);
	sys_clock_read(&t);
	s->interval_ns = first ? 0 : t - s->uptime_ns;
	s->uptime_ns = t;
	status_t st = sys_kernel_stats(w, &r.k, sizeof r);
	s->now = r.k;
	memcpy(s->cpu_now, r.cpu, sizeof r.cpu);
	memcpy(s->tasks_before, s->tasks_now, sizeof s->tasks_now);
	s->ntasks_before = s->ntasks_now;
	status_t ignored; /* without initd's answer, top shows no tasks */
	s->ntasks_now = initd != CAP_HANDLE_NONE
				? initd_tasks(initd, s->tasks_now, NULL, TOP_TASKS_MAX, &ignored)
				: 0;
	return st;
}

/* Keys typed while top runs on a terminal: a thread blocks reading them
 * (the terminal cannot be polled: compd sends input only to a pending
 * read) and raises quit on q, Ctrl-C, Ctrl-D, end of input or an error.
 * Once it has, no read is pending, so nothing typed later is lost. */
struct keys {
	atomic_bool quit;
};

static void *key_reader(void *arg)
{
	struct keys *k = arg;
	char ch;
	for (;;) {
		if (read(0, &ch, 1) != 1 || ch == 'q' || ch == 'Q' || ch == 3 || ch == 4) {
			atomic_store(&k->quit, true);
			return NULL;
		}
	}
}

/* Waits a second (in tenths), or less if k (may be NULL) asks to quit. */
static bool wait_second(struct keys *k)
{
	for (int i = 0; i < 10 && !(k && atomic_load(&k->quit)); i++) {
		struct timespec ts = { 0, 100000000 };
		nanosleep(&ts, NULL);
	}
	return k && atomic_load(&k->quit);
}

/* The screens; keys is NULL unless top reads the terminal. Returns the
 * exit status. */
static int run(const char *self, cap_handle_t w, unsigned long long count, struct keys *keys)
{
	struct top_sample *s = calloc(1, sizeof *s);
	char *text = malloc(TOP_BUF);
	int rc = 0;
	if (!s || !text) {
		msg(self, "out of memory");
		free(s);
		free(text);
		return 1;
	}
	s->cpus = (uint32_t)keel_start_page()->cpu_count;
	s->task_rows = TOP_TASK_ROWS;
	cap_handle_t initd = launch_cap(keel_start_page(), "launch");
	for (unsigned long long i = 0; i < count; i++) {
		status_t st = sample(w, initd, s, i == 0);
		if (st) {
			msg(self, "cannot read the kernel's counters: %s", status_message(st));
			rc = 1;
			break;
		}
		top_format(s, text, TOP_BUF);
		if (keys)
			fputs("\033[H\033[2J", stdout);
		fputs(text, stdout);
		fflush(stdout);
		if (i + 1 < count && wait_second(keys))
			break;
	}
	free(s);
	free(text);
	return rc;
}

/* Runs the screens until a key says quit, with the terminal in
 * non-canonical mode without echo or signals, restored at the end. */
static int interactive(const char *self, cap_handle_t w, const struct termios *saved)
{
	struct keys keys = { false };
	struct termios raw = *saved;
	pthread_t reader;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG);
	if (tcsetattr(0, TCSANOW, &raw) != 0 || pthread_create(&reader, NULL, key_reader, &keys)) {
		tcsetattr(0, TCSANOW, saved);
		return run(self, w, ~0ull, NULL);
	}
	int r = run(self, w, ~0ull, &keys);
	tcsetattr(0, TCSANOW, saved);
	return r;
}

int tb_top(int argc, char **argv)
{
	static const char usage[] = "[-n COUNT]";
	unsigned long long count = ~0ull;
	struct termios saved;
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
	if (count == ~0ull && tcgetattr(0, &saved) == 0)
		return interactive(argv[0], w, &saved);
	return run(argv[0], w, count, NULL);
}
