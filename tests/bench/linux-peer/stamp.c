/*
 * stamp.c - the Linux peer's `stamp NAME...`: prints
 * "linux-stamp NAME tsc=T ns=N" on standard output for each NAME, T being
 * the time-stamp counter (under QEMU -icount shift=0,sleep=off: guest time
 * in instructions since reset) and N CLOCK_MONOTONIC in nanoseconds, both
 * read once at start. The twin of tests/bench/console/stamp.c, for
 * console.py in this folder. Run as /init it stamps "init" (the first
 * instruction of user space, near enough) and then runs /bin/sh /init.sh.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static uint64_t tsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence\n\trdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

int main(int argc, char **argv)
{
	uint64_t t = tsc();
	struct timespec ts;
	unsigned long long ns = 0;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == 0)
		ns = (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
	if (!strcmp(argv[0], "/init")) {
		printf("linux-stamp init tsc=%llu ns=%llu\n", (unsigned long long)t, ns);
		fflush(stdout);
		execl("/bin/sh", "sh", "/init.sh", (char *)NULL);
		return 127;
	}
	for (int i = 1; i < argc; i++)
		printf("linux-stamp %s tsc=%llu ns=%llu\n", argv[i], (unsigned long long)t, ns);
	return fflush(stdout) ? 1 : 0;
}
