/*
 * malloc_loop.c - the allocator's speed: 200,000 rounds of freeing one of
 * 512 live blocks and allocating a new one of a random size (mostly small,
 * some up to 64 KiB), touching the first byte of each. Prints the elapsed
 * monotonic nanoseconds - under QEMU -icount shift=0, guest instructions -
 * per round, and a checksum so that the work cannot be optimised away.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define LIVE 512
#define ROUNDS 200000

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int main(void)
{
	static unsigned char *live[LIVE];
	uint64_t rng = 0x853c49e6748fea9bull, sum = 0;
	uint64_t t0 = now_ns();
	for (int i = 0; i < ROUNDS; i++) {
		rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
		unsigned slot = (unsigned)(rng % LIVE);
		size_t size = rng >> 60 == 0 ? (size_t)(rng >> 20) % 65536 + 1
					     : (size_t)(rng >> 20) % 256 + 1;
		free(live[slot]);
		live[slot] = malloc(size);
		live[slot][0] = (unsigned char)i;
		sum += (uintptr_t)live[slot] & 0xff;
	}
	uint64_t t1 = now_ns();
	for (int i = 0; i < LIVE; i++)
		free(live[i]);
	printf("malloc_loop: %d rounds, %llu ns, %llu ns per round (checksum %llu)\n", ROUNDS,
	       (unsigned long long)(t1 - t0), (unsigned long long)((t1 - t0) / ROUNDS),
	       (unsigned long long)(sum % 1000));
	return 0;
}
