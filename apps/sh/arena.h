/*
 * arena.h - bump allocation in chained blocks, released by mark.
 *
 * The shell parses each command line into an arena and expands words into a
 * scratch arena; both are reset to a mark when the command is done, so a
 * long interactive session or a long loop does not grow.  Allocation failure
 * ends the shell with a message: there is nothing sensible to unwind to.
 */
#ifndef SH_ARENA_H
#define SH_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head; /* newest block */
	size_t total;             /* bytes in use, for statistics and tests */
};

struct arena_mark {
	struct arena_block *block;
	size_t used;
	size_t total;
};

void arena_init(struct arena *a);
void arena_free(struct arena *a);
void *arena_alloc(struct arena *a, size_t n);
void *arena_zalloc(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
struct arena_mark arena_mark(const struct arena *a);
void arena_release(struct arena *a, struct arena_mark m);

/* xmalloc and friends end the process on exhaustion. */
void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* A growable byte string used all over the shell. */
struct strbuf {
	char *s;
	size_t len, cap;
};

void sb_init(struct strbuf *b);
void sb_free(struct strbuf *b);
void sb_putc(struct strbuf *b, char c);
void sb_put(struct strbuf *b, const char *s, size_t n);
void sb_puts(struct strbuf *b, const char *s);
void sb_printf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *sb_cstr(struct strbuf *b);   /* NUL-terminated view, owned by b */
char *sb_detach(struct strbuf *b); /* malloc'd copy ownership to caller */

#endif
