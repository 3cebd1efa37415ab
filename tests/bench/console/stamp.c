/*
 * stamp.c - `stamp NAME...`: prints "bench: stamp NAME tsc=T ns=N" on the
 * kernel console for each NAME, T being the time-stamp counter (under
 * QEMU -icount shift=0,sleep=off: guest instructions since reset) and N
 * the C library's CLOCK_MONOTONIC in nanoseconds, read once at start.
 *
 * The console benchmark (tests/bench/console.sh) runs `stamp a; CMD;
 * stamp b` at the shell, and `stamp a; stamp b` alone to learn what one
 * stamp costs (its launch, exit and the shell's wait), which it takes off.
 * The line goes to the kernel console (sys_debug_write, needs the witness
 * capability with the write right), never through the terminal it times.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <time.h>

#include "keel/sys.h"
#include "keel/time.h"

int main(int argc, char **argv)
{
	uint64_t tsc = time_cycles();
	struct timespec ts;
	unsigned long long ns = 0;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == 0)
		ns = (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
	for (int i = 1; i < argc; i++)
		if (keel_print(keel_start_page()->witness, "bench: stamp %s tsc=%lu ns=%llu\n",
			       argv[i], (unsigned long)tsc, ns)) {
			fprintf(stderr, "stamp: no kernel console (witness capability)\n");
			return 1;
		}
	return 0;
}
