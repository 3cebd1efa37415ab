/*
 * arena.c - chained bump allocator with marks, and the growable string.
 */
#define _DEFAULT_SOURCE 1
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"

#define ARENA_BLOCK 8192

struct arena_block {
	struct arena_block *prev;
	size_t size, used;
	max_align_t data[];
};

static void out_of_memory(void)
{
	static const char msg[] = "sh: out of memory\n";

	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(2);
	_exit(2);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		out_of_memory();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

void arena_init(struct arena *a)
{
	a->head = NULL;
	a->total = 0;
}

void arena_free(struct arena *a)
{
	while (a->head) {
		struct arena_block *b = a->head;

		a->head = b->prev;
		free(b);
	}
	a->total = 0;
}

/* Returns n bytes aligned for any type; grows by a new block when full. */
void *arena_alloc(struct arena *a, size_t n)
{
	struct arena_block *b = a->head;
	size_t al = sizeof(max_align_t);

	n = (n + al - 1) / al * al;
	if (!b || b->size - b->used < n) {
		size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;

		b = xmalloc(sizeof(*b) + size);
		b->prev = a->head;
		b->size = size;
		b->used = 0;
		a->head = b;
	}
	void *p = (char *)b->data + b->used;

	b->used += n;
	a->total += n;
	return p;
}

void *arena_zalloc(struct arena *a, size_t n)
{
	return memset(arena_alloc(a, n), 0, n);
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

struct arena_mark arena_mark(const struct arena *a)
{
	struct arena_mark m = { a->head, a->head ? a->head->used : 0, a->total };

	return m;
}

/* Frees every block newer than the mark and rewinds the marked block. */
void arena_release(struct arena *a, struct arena_mark m)
{
	while (a->head && a->head != m.block) {
		struct arena_block *b = a->head;

		a->head = b->prev;
		free(b);
	}
	if (a->head)
		a->head->used = m.used;
	a->total = m.total;
}

void sb_init(struct strbuf *b)
{
	b->s = NULL;
	b->len = b->cap = 0;
}

void sb_free(struct strbuf *b)
{
	free(b->s);
	sb_init(b);
}

static void sb_grow(struct strbuf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;

	while (cap < b->len + extra + 1)
		cap *= 2;
	b->s = xrealloc(b->s, cap);
	b->cap = cap;
}

void sb_putc(struct strbuf *b, char c)
{
	sb_grow(b, 1);
	b->s[b->len++] = c;
}

void sb_put(struct strbuf *b, const char *s, size_t n)
{
	sb_grow(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
}

void sb_puts(struct strbuf *b, const char *s)
{
	sb_put(b, s, strlen(s));
}

void sb_printf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;
	char tmp[256];

	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);

	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(tmp)) {
		sb_put(b, tmp, (size_t)n);
		return;
	}
	sb_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

char *sb_cstr(struct strbuf *b)
{
	sb_grow(b, 0);
	b->s[b->len] = '\0';
	return b->s;
}

char *sb_detach(struct strbuf *b)
{
	char *s = sb_cstr(b);

	sb_init(b);
	return s;
}
