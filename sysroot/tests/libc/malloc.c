/* malloc.c - allocator stress: a fixed-seed sequence of malloc, calloc,
 * realloc (growing and shrinking) and free over up to 4096 live blocks of
 * sizes from 0 to 1 MiB (mostly small, as programs use), each filled with
 * a pattern derived from its id and checked before it is resized or
 * freed; then aligned allocations. Prints counts and a checksum, which
 * must match the host build. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 4096
#define STEPS 200000

static uint64_t state = 0x2545f4914f6cdd1dull;

static uint64_t next(void)
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 0x2545f4914f6cdd1dull;
}

struct block {
	unsigned char *p;
	size_t size;
	uint32_t id;
};

static size_t pick_size(void)
{
	uint64_t r = next();
	switch (r % 16) {
	case 0:
		return (size_t)(next() % (1u << 20)); /* up to 1 MiB */
	case 1:
	case 2:
		return (size_t)(next() % 65536);
	default:
		return (size_t)(next() % 256);
	}
}

static void fill(struct block *b, size_t from)
{
	for (size_t i = from; i < b->size; i++)
		b->p[i] = (unsigned char)(b->id * 131 + i * 7);
}

static int check(const struct block *b, size_t upto)
{
	for (size_t i = 0; i < upto && i < b->size; i++)
		if (b->p[i] != (unsigned char)(b->id * 131 + i * 7))
			return 0;
	return 1;
}

int main(void)
{
	static struct block s[SLOTS];
	unsigned long mallocs = 0, reallocs = 0, frees = 0, bad = 0, nulls = 0;
	uint32_t ids = 0;
	uint64_t sum = 0;
	for (int step = 0; step < STEPS; step++) {
		struct block *b = &s[next() % SLOTS];
		int op = (int)(next() % 10);
		if (!b->p) {
			b->size = pick_size();
			b->id = ++ids;
			b->p = op < 2 ? calloc(1, b->size) : malloc(b->size);
			nulls += !b->p && b->size;
			if (op < 2)
				for (size_t i = 0; i < b->size; i++)
					bad += b->p[i] != 0;
			fill(b, 0);
			mallocs++;
		} else if (op < 4) {
			size_t old = b->size, size = pick_size();
			bad += !check(b, old);
			unsigned char *q = realloc(b->p, size);
			if (!q && size) {
				nulls++;
				continue;
			}
			b->p = q;
			b->size = size;
			bad += !check(b, old < size ? old : size);
			fill(b, old < size ? old : size);
			reallocs++;
		} else {
			bad += !check(b, b->size);
			sum = sum * 1099511628211ull + b->size + b->id;
			free(b->p);
			b->p = NULL;
			frees++;
		}
	}
	for (int i = 0; i < SLOTS; i++) {
		bad += s[i].p && !check(&s[i], s[i].size);
		free(s[i].p);
	}
	for (size_t align = 16; align <= 65536; align *= 4) {
		void *p = aligned_alloc(align, align * 3);
		void *q = NULL;
		int rc = posix_memalign(&q, align, 100);
		printf("aligned %zu: %d %d rc %d\n", align, (int)((uintptr_t)p % align),
		       (int)((uintptr_t)q % align), rc);
		free(p);
		free(q);
	}
	volatile size_t big = (size_t)1 << 62; /* kept from the optimiser */
	void *volatile huge = malloc(big);     /* stored, so the call is made */
	printf("malloc(2^62) %s\n", huge ? "succeeded" : "failed");
	free(huge);
	printf("mallocs %lu reallocs %lu frees %lu nulls %lu bad %lu checksum %016llx\n", mallocs,
	       reallocs, frees, nulls, bad, (unsigned long long)sum);
	return 0;
}
