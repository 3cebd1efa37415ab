/*
 * memhog.c - takes memory until the kernel refuses, run from the shell
 * (it is in /apps only). Its manifest declares 256 MiB, far more than a
 * small machine has: the declaration is a limit, so it starts anyway.
 * First it makes memory objects (sys_memory_create), 1 MiB at a time
 * and then smaller down to one page, until each size is refused; then it
 * does the same with malloc. Every refusal must be a clean QUOTA or
 * NO_MEMORY (malloc: NULL). It gives everything back before it prints
 * (the terminal's service may need memory to show the line), prints
 * "memhog: PASS ..." or "memhog: FAIL ..." lines and exits 0 if all
 * passed. After it, the system must work as before.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keel/sys.h"

#define BIG_PAGES 256u /* 1 MiB */
#define MAX_HELD 48u   /* objects held at once; the manifest allows 64 */
#define PAGE 4096u

/* What one phase took and how it ended. */
struct haul {
	uint64_t pages;
	uint32_t pieces;
	status_t last; /* the last refusal: QUOTA or NO_MEMORY is clean */
	bool full;     /* stopped at MAX_HELD rather than at a refusal */
};

/* Makes memory objects of n pages, halving n on each refusal. */
static void objects_phase(cap_handle_t *held, struct haul *h)
{
	uint32_t n = BIG_PAGES;
	*h = (struct haul){ .last = STATUS_OK };
	while (n > 0 && h->pieces < MAX_HELD) {
		status_t st = sys_memory_create(n, 0, &held[h->pieces]);
		if (st) {
			h->last = st;
			n /= 2;
			continue;
		}
		h->pieces++;
		h->pages += n;
	}
	h->full = n > 0;
}

/* The same with malloc: blocks of n bytes, each written, halving n. */
static void malloc_phase(void **held, struct haul *h)
{
	size_t n = (size_t)BIG_PAGES * PAGE;
	*h = (struct haul){ .last = STATUS_OK };
	while (n >= PAGE && h->pieces < MAX_HELD) {
		void *p = malloc(n);
		if (!p) {
			h->last = STATUS_NO_MEMORY;
			n /= 2;
			continue;
		}
		memset(p, 0x5a, n);
		held[h->pieces++] = p;
		h->pages += n / PAGE;
	}
	h->full = n >= PAGE;
}

static bool report(const char *what, const struct haul *h)
{
	bool clean = h->full || h->last == STATUS_QUOTA || h->last == STATUS_NO_MEMORY;
	printf("memhog: %s %s: %llu KiB in %u pieces, then %s\n", clean ? "PASS" : "FAIL", what,
	       (unsigned long long)h->pages * 4, h->pieces,
	       h->full ? "stopped at the piece limit" : status_name(h->last));
	return clean;
}

int main(void)
{
	static cap_handle_t objs[MAX_HELD];
	static void *blocks[MAX_HELD];
	struct haul a, b;

	objects_phase(objs, &a);
	for (uint32_t i = 0; i < a.pieces; i++)
		sys_cap_delete(objs[i]);
	malloc_phase(blocks, &b);
	for (uint32_t i = 0; i < b.pieces; i++)
		free(blocks[i]);
	bool ok = report("memory objects", &a);
	ok = report("malloc", &b) && ok;
	return ok ? 0 : 1;
}
