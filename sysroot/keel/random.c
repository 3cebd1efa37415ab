/*
 * random.c - getrandom.
 *
 * Bytes come from the CPU's RDSEED or RDRAND instruction where CPUID says
 * it has one (QEMU's "max" CPU does). Without either, or when the
 * instruction keeps failing, a splitmix64 generator seeded from the
 * monotonic clock, the stack address and a counter fills in: unpredictable
 * enough to vary hash seeds and AT_RANDOM, but not cryptographic - a
 * program that needs keys asks keyd, not getrandom.
 */
#include <errno.h>
#include <string.h>

#include "backend.h"
#include "keel/sys.h"

#define RETRIES 10

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

/* 1: RDSEED, 2: RDRAND, 0: neither. */
static int hw_source(void)
{
	static int source = -1;
	uint32_t r[4];
	if (source >= 0)
		return source;
	cpuid(0, 0, r);
	int max = (int)r[0];
	source = 0;
	if (max >= 7) {
		cpuid(7, 0, r);
		if (r[1] & (1u << 18))
			source = 1;
	}
	if (!source) {
		cpuid(1, 0, r);
		if (r[2] & (1u << 30))
			source = 2;
	}
	return source;
}

static int hw_word(uint64_t *out)
{
	int src = hw_source();
	for (int i = 0; src && i < RETRIES; i++) {
		unsigned char ok;
		if (src == 1)
			__asm__ volatile("rdseed %0; setc %1" : "=r"(*out), "=qm"(ok));
		else
			__asm__ volatile("rdrand %0; setc %1" : "=r"(*out), "=qm"(ok));
		if (ok)
			return 1;
	}
	return 0;
}

static uint64_t fallback_word(void)
{
	static uint64_t state;
	uint64_t now = 0, z;
	sys_clock_read(&now);
	z = __atomic_add_fetch(&state, 0x9e3779b97f4a7c15ull ^ now ^ (uintptr_t)&now,
			       __ATOMIC_RELAXED);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void keel_random_bytes(void *buf, size_t n)
{
	unsigned char *p = buf;
	while (n) {
		uint64_t w;
		if (!hw_word(&w))
			w = fallback_word();
		size_t k = n < sizeof w ? n : sizeof w;
		memcpy(p, &w, k);
		p += k;
		n -= k;
	}
}

long keel_sys_getrandom(const long a[6])
{
	size_t n = (size_t)a[1];
	if (a[2] & ~7l)
		return -EINVAL;
	if (n > 33554431)
		n = 33554431;
	keel_random_bytes((void *)a[0], n);
	return (long)n;
}
