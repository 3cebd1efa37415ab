/*
 * io.c - the Linux peer's side of tests/bench/io.sh, a static musl program
 * in the peer's initramfs:
 *
 *   io run NAME CMD ARG...  runs CMD (e.g. busybox dd) and prints
 *                           linux.NAME_ns (CLOCK_MONOTONIC) and
 *                           linux.NAME_insns (TSC less idle, below)
 *   io fs DIR               the file workload of tests/bench/io/fsbench.c
 *                           in DIR on vfat: the 64 MiB file written and
 *                           fsynced, the page cache dropped (sync, then
 *                           3 > /proc/sys/vm/drop_caches), read back; the
 *                           1,000 small files. Prints linux.fs_NAME_{ns,insns}.
 *   io idle                 prints where idle time is read from
 *
 * Guest instructions: under QEMU -icount shift=0,sleep=off the TSC counts
 * one tick per instruction executed, and skips ahead while every vCPU is
 * halted. The idle time Linux accounts (idle_ns below) is taken off.
 * With one CPU online, that is the skipped time plus the few instructions
 * of the idle loop itself.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fsbench.h"

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Idle nanoseconds of all CPUs so far, from the tick code's own
 * accounting (.idle_sleeptime and .iowait_sleeptime in /proc/timer_list,
 * nanoseconds; what /proc/stat shows in USER_HZ ticks), else from
 * /proc/stat; *how says which. */
static uint64_t idle_ns(const char **how)
{
	static char line[256];
	uint64_t sum = 0;
	int found = 0;
	FILE *f = fopen("/proc/timer_list", "r");
	while (f && fgets(line, sizeof line, f)) {
		unsigned long long v;
		if ((sscanf(line, " .idle_sleeptime : %llu", &v) == 1 ||
		     sscanf(line, " .iowait_sleeptime : %llu", &v) == 1))
			sum += v, found = 1;
	}
	if (f)
		fclose(f);
	if (found) {
		*how = "/proc/timer_list .idle_sleeptime + .iowait_sleeptime (ns)";
		return sum;
	}
	unsigned long long v[8] = { 0 };
	f = fopen("/proc/stat", "r");
	if (f) {
		if (fscanf(f, "cpu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4]) !=
		    5)
			v[3] = v[4] = 0;
		fclose(f);
	}
	*how = "/proc/stat idle+iowait (USER_HZ ticks)";
	return (v[3] + v[4]) * (1000000000ull / (uint64_t)sysconf(_SC_CLK_TCK));
}

struct mark {
	uint64_t ns, insns;
};

/* The start of a phase: the idle time is read first, so that reading it
 * is not counted in the phase (nor at the end, where it is read last). */
static void mark(struct mark *m)
{
	const char *how;
	uint64_t idle = idle_ns(&how);
	m->ns = now_ns();
	m->insns = rdtsc() - idle; /* 1 GHz TSC: a nanosecond is a tick */
}

static void mark_end(struct mark *m)
{
	const char *how;
	m->ns = now_ns();
	m->insns = rdtsc();
	m->insns -= idle_ns(&how);
}

static void report(const char *name, const struct mark *a)
{
	struct mark z;
	mark_end(&z);
	printf("linux.%s_ns=%llu\n", name, (unsigned long long)(z.ns - a->ns));
	printf("linux.%s_insns=%llu\n", name, (unsigned long long)(z.insns - a->insns));
	fflush(stdout);
}

static struct mark phase;

void fsb_begin(const char *name)
{
	(void)name;
	mark(&phase);
}

void fsb_end(const char *name)
{
	char key[64];
	snprintf(key, sizeof key, "fs_%s", name);
	report(key, &phase);
}

void fsb_note(const char *line)
{
	printf("%s\n", line);
	fflush(stdout);
}

int fsb_sync(int dirfd)
{
	return syncfs(dirfd);
}

static int drop_caches(void)
{
	sync();
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
	int ok = fd >= 0 && write(fd, "3\n", 2) == 2;
	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

static int run(char **argv)
{
	struct mark a;
	int status = 0;
	fflush(stdout);
	mark(&a);
	pid_t pid = fork();
	if (pid == 0) {
		execv(argv[1], argv + 1);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 1;
	report(argv[0], &a);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

int main(int argc, char **argv)
{
	const char *how;
	if (argc >= 4 && !strcmp(argv[1], "run"))
		return run(argv + 2);
	if (argc == 3 && !strcmp(argv[1], "fs")) {
		if (fsbench_run(argv[2], FSB_BIG) || drop_caches() ||
		    fsbench_run(argv[2], FSB_READ) || fsbench_run(argv[2], FSB_SMALL))
			return 1;
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "idle")) {
		idle_ns(&how);
		printf("io: idle time from %s\n", how);
		return 0;
	}
	fprintf(stderr, "usage: io run NAME CMD ARG... | io fs DIR | io idle\n");
	return 2;
}
