/*
 * mem.c - anonymous memory for musl: mmap, munmap, mremap, madvise, and
 * the refusals brk and mprotect.
 *
 * A Keel task holds at most 64 mappings (sys_memory_map), while mallocng
 * maps and unmaps many small groups. So mmap does not give each call its
 * own memory object: it hands out pages of *chunks* - memory objects of
 * growing size, each mapped read/write once with keel_map - and keeps a
 * bitmap of the pages in use per chunk. A chunk whose pages are all free
 * again is unmapped and its memory object deleted, which returns its
 * pages to the task's quota (the newest chunk is kept for reuse). Pages
 * are zero when handed out: fresh chunks are zeroed by the kernel, and
 * munmap zeroes what it frees. A request bigger than CHUNK_MAX_PAGES gets
 * a chunk of exactly its size.
 *
 * Keel offers no change of protection on part of a mapping without
 * splitting it, and the 64-mapping limit cannot afford that per page, so
 * every arena page is readable and writable, PROT_NONE requests included:
 * mprotect to read/write succeeds (it is so already) and any other
 * protection is ENOSYS - which musl accepts where it uses mprotect
 * (mallocng's meta areas, thread-stack guards), going without a guard page.
 * Executable anonymous memory is refused (EACCES). brk always reports a
 * break of 0 that never moves, so mallocng takes its memory from mmap.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "backend.h"
#include "keel/map.h"
#include "keel/sys.h"

#define PAGE 4096ul
#define ARENA_CHUNKS 40
#define CHUNK_MIN_PAGES 16ul /* 64 KiB; less on a small machine (chunk_min) */
#define CHUNK_MIN_SMALL 4ul
#define CHUNK_MAX_PAGES 4096ul /* 16 MiB: larger requests get their own chunk */
#define BITMAP_WORDS (CHUNK_MAX_PAGES / 64)

struct chunk {
	uintptr_t base; /* 0: slot unused */
	uint64_t pages;
	uint64_t used; /* pages handed out */
	cap_handle_t mem;
	uint64_t bits[BITMAP_WORDS]; /* page i in use; unused for big chunks */
};

struct arena {
	volatile int lock;
	uint64_t total_pages; /* pages of all live chunks */
	struct chunk c[ARENA_CHUNKS];
};

static struct arena arena;

static int bit_get(const struct chunk *c, uint64_t i)
{
	return c->bits[i / 64] >> (i % 64) & 1;
}

static void bits_set(struct chunk *c, uint64_t first, uint64_t n, int on)
{
	for (uint64_t i = first; i < first + n; i++) {
		if (on)
			c->bits[i / 64] |= 1ull << (i % 64);
		else
			c->bits[i / 64] &= ~(1ull << (i % 64));
	}
}

static int is_big(const struct chunk *c)
{
	return c->pages > CHUNK_MAX_PAGES;
}

/* The first run of n free pages of chunk c, or -1. */
static long find_run(const struct chunk *c, uint64_t n)
{
	uint64_t run = 0;
	if (is_big(c))
		return -1;
	for (uint64_t i = 0; i < c->pages; i++) {
		if (bit_get(c, i)) {
			run = 0;
			continue;
		}
		if (++run == n)
			return (long)(i + 1 - n);
	}
	return -1;
}

/* The smallest chunk: CHUNK_MIN_PAGES, halved while it is more than 1/256
 * of the machine's memory (a machine of less than 16 MiB), down to
 * CHUNK_MIN_SMALL: the first chunk is every process's. */
static uint64_t chunk_min(void)
{
	uint64_t machine = keel_machine_pages(); /* 0: unknown */
	uint64_t pages = CHUNK_MIN_PAGES;
	while (machine && pages > CHUNK_MIN_SMALL && pages > machine / 256)
		pages /= 2;
	return pages;
}

/* Creates and maps a chunk of at least n pages; NULL with *err set. */
static struct chunk *chunk_new(struct arena *a, uint64_t n, int *err)
{
	struct chunk *c = NULL;
	for (int i = 0; i < ARENA_CHUNKS && !c; i++)
		if (!a->c[i].base)
			c = &a->c[i];
	uint64_t size = a->total_pages / 2;
	uint64_t least = chunk_min();
	size = size < least ? least : size;
	size = size > CHUNK_MAX_PAGES ? CHUNK_MAX_PAGES : size;
	size = n > size ? n : size;
	cap_handle_t mem;
	void *addr;
	status_t st = c ? sys_memory_create(size, 0, &mem) : STATUS_FULL;
	if (st == STATUS_OK) {
		st = keel_map(mem, 0, size, RIGHT_READ | RIGHT_WRITE, &addr);
		if (st)
			sys_cap_delete(mem);
	}
	if (st) {
		*err = ENOMEM;
		return NULL;
	}
	memset(c, 0, sizeof *c);
	c->base = (uintptr_t)addr;
	c->pages = size;
	c->mem = mem;
	a->total_pages += size;
	return c;
}

static void chunk_release(struct arena *a, struct chunk *c)
{
	keel_unmap((void *)c->base, c->pages);
	sys_cap_delete(c->mem);
	a->total_pages -= c->pages;
	c->base = 0;
}

static struct chunk *chunk_of(struct arena *a, uintptr_t p)
{
	for (int i = 0; i < ARENA_CHUNKS; i++) {
		struct chunk *c = &a->c[i];
		if (c->base && p >= c->base && p < c->base + c->pages * PAGE)
			return c;
	}
	return NULL;
}

/* n pages of zeroed memory, or 0 with *err set; lock held. */
static uintptr_t arena_alloc(struct arena *a, uint64_t n, int *err)
{
	for (int i = 0; i < ARENA_CHUNKS; i++) {
		struct chunk *c = &a->c[i];
		long first = c->base ? find_run(c, n) : -1;
		if (first >= 0) {
			bits_set(c, (uint64_t)first, n, 1);
			c->used += n;
			return c->base + (uint64_t)first * PAGE;
		}
	}
	struct chunk *c = chunk_new(a, n, err);
	if (!c)
		return 0;
	if (!is_big(c))
		bits_set(c, 0, n, 1);
	c->used = n;
	return c->base;
}

/* Frees the pages of [p, p + n pages) that are in use in chunk c; lock held. */
static void chunk_free(struct arena *a, struct chunk *c, uintptr_t p, uint64_t n)
{
	uint64_t first = (p - c->base) / PAGE;
	if (first + n > c->pages)
		n = c->pages - first;
	if (is_big(c)) {
		/* A big chunk is one allocation: its pages go when it all goes;
		 * a part of it is unmapped so it cannot be used again. */
		if (n == c->pages) {
			chunk_release(a, c);
			return;
		}
		sys_memory_unmap(CAP_HANDLE_NONE, p, n);
		c->used = c->used > n ? c->used - n : 0;
		if (c->used == 0)
			chunk_release(a, c);
		return;
	}
	for (uint64_t i = first; i < first + n; i++) {
		if (!bit_get(c, i))
			continue;
		memset((void *)(c->base + i * PAGE), 0, PAGE);
		bits_set(c, i, 1, 0);
		c->used--;
	}
	if (c->used == 0 && a->total_pages > c->pages)
		chunk_release(a, c);
}

/* Frees every arena page in [p, p + n pages); lock held. */
static void arena_free(struct arena *a, uintptr_t p, uint64_t n)
{
	uintptr_t end = p + n * PAGE;
	while (p < end) {
		struct chunk *c = chunk_of(a, p);
		if (!c) {
			p += PAGE;
			continue;
		}
		uintptr_t cend = c->base + c->pages * PAGE;
		uintptr_t stop = end < cend ? end : cend;
		chunk_free(a, c, p, (stop - p) / PAGE);
		p = stop;
	}
}

/* True if every page of [p, p + n pages) is an arena page in use. */
static int arena_owns(struct arena *a, uintptr_t p, uint64_t n)
{
	struct chunk *c = chunk_of(a, p);
	if (!c || p + n * PAGE > c->base + c->pages * PAGE)
		return 0;
	if (is_big(c))
		return 1;
	for (uint64_t i = (p - c->base) / PAGE; i < (p - c->base) / PAGE + n; i++)
		if (!bit_get(c, i))
			return 0;
	return 1;
}

static uint64_t pages_of(unsigned long len)
{
	return (len + PAGE - 1) / PAGE;
}

/* mmap(addr, len, prot, flags, fd, off): anonymous memory only. */
long keel_sys_mmap(const long a[6])
{
	uintptr_t addr = (uintptr_t)a[0];
	unsigned long len = (unsigned long)a[1];
	int prot = (int)a[2], flags = (int)a[3], err = 0;
	if (len == 0 || len > (1ul << 46) || (addr & (PAGE - 1)))
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS))
		return (int)a[4] >= 0 && (int)a[4] < 1024 ? -ENODEV : -EBADF;
	if (prot & PROT_EXEC)
		return -EACCES;
	uint64_t n = pages_of(len);
	keel_lock(&arena.lock);
	uintptr_t p = 0;
	if (flags & MAP_FIXED) {
		/* Only pages the program already holds can be replaced. */
		if (arena_owns(&arena, addr, n)) {
			memset((void *)addr, 0, n * PAGE);
			p = addr;
		} else {
			err = ENOMEM;
		}
	} else {
		p = arena_alloc(&arena, n, &err);
	}
	keel_unlock(&arena.lock);
	return p ? (long)p : -err;
}

long keel_sys_munmap(const long a[6])
{
	uintptr_t addr = (uintptr_t)a[0];
	unsigned long len = (unsigned long)a[1];
	if (len == 0 || (addr & (PAGE - 1)) || addr + len < addr)
		return -EINVAL;
	keel_lock(&arena.lock);
	arena_free(&arena, addr, pages_of(len));
	keel_unlock(&arena.lock);
	return 0;
}

/* Grows [p, old pages) to n pages where it lies, if the pages after it are
 * free in the same chunk; lock held. */
static int grow_in_place(struct arena *a, uintptr_t p, uint64_t old, uint64_t n)
{
	struct chunk *c = chunk_of(a, p);
	uint64_t first = (p - c->base) / PAGE;
	if (is_big(c) || first + n > c->pages)
		return 0;
	for (uint64_t i = first + old; i < first + n; i++)
		if (bit_get(c, i))
			return 0;
	bits_set(c, first + old, n - old, 1);
	c->used += n - old;
	return 1;
}

/* mremap(old, oldlen, newlen, flags): in place, or moved with MREMAP_MAYMOVE. */
long keel_sys_mremap(const long a[6])
{
	uintptr_t p = (uintptr_t)a[0];
	uint64_t old = pages_of((unsigned long)a[1]), n = pages_of((unsigned long)a[2]);
	int flags = (int)a[3], err = ENOMEM;
	if ((p & (PAGE - 1)) || n == 0 || (flags & ~MREMAP_MAYMOVE))
		return -EINVAL;
	keel_lock(&arena.lock);
	long r = -EFAULT;
	if (old == 0 || !arena_owns(&arena, p, old)) {
		r = -EFAULT;
	} else if (n <= old) {
		arena_free(&arena, p + n * PAGE, old - n);
		r = (long)p;
	} else if (grow_in_place(&arena, p, old, n)) {
		r = (long)p;
	} else if (!(flags & MREMAP_MAYMOVE)) {
		r = -ENOMEM;
	} else {
		uintptr_t q = arena_alloc(&arena, n, &err);
		if (q) {
			memcpy((void *)q, (void *)p, old * PAGE);
			arena_free(&arena, p, old);
		}
		r = q ? (long)q : -err;
	}
	keel_unlock(&arena.lock);
	return r;
}

/* madvise: MADV_DONTNEED zeroes (Linux's meaning for private anonymous
 * memory); the other hints are taken and ignored, as Linux may. */
long keel_sys_madvise(const long a[6])
{
	uintptr_t p = (uintptr_t)a[0];
	uint64_t n = pages_of((unsigned long)a[1]);
	switch ((int)a[2]) {
	case MADV_NORMAL:
	case MADV_RANDOM:
	case MADV_SEQUENTIAL:
	case MADV_WILLNEED:
	case MADV_FREE:
		return (p & (PAGE - 1)) ? -EINVAL : 0;
	case MADV_DONTNEED:
		break;
	default:
		return -EINVAL;
	}
	keel_lock(&arena.lock);
	int owned = arena_owns(&arena, p, n);
	if (owned)
		memset((void *)p, 0, n * PAGE);
	keel_unlock(&arena.lock);
	return owned ? 0 : -ENOMEM;
}

/* mprotect: arena pages are always readable and writable, so asking for
 * exactly that is true already; any other protection is not offered. */
long keel_sys_mprotect(const long a[6])
{
	uintptr_t p = (uintptr_t)a[0];
	if (p & (PAGE - 1))
		return -EINVAL;
	if ((int)a[2] != (PROT_READ | PROT_WRITE))
		return -ENOSYS;
	keel_lock(&arena.lock);
	int owned = arena_owns(&arena, p, pages_of((unsigned long)a[1]));
	keel_unlock(&arena.lock);
	return owned ? 0 : -ENOMEM;
}

long keel_sys_brk(const long a[6])
{
	(void)a;
	return 0;
}

uint64_t keel_arena_pages(void)
{
	keel_lock(&arena.lock);
	uint64_t n = arena.total_pages;
	keel_unlock(&arena.lock);
	return n;
}
