/*
 * string.h - the few C string and memory functions the kernel uses.
 *
 * The compiler may emit calls to memcpy, memset, memmove and memcmp even in
 * freestanding code, so the kernel defines them with their standard names
 * and meanings - the same file Keel programs link, sysroot/src/mem.c.
 * Host builds use the C library's.
 */
#ifndef KEEL_CORE_STRING_H
#define KEEL_CORE_STRING_H

#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/* The kernel is built freestanding, which turns off the compiler's own
 * knowledge of these functions; asking for it back lets a copy or clear
 * of a known small size (a 64-byte message) compile to a few moves
 * instead of a call. Other sizes still call the functions above. */
#define memcpy(d, s, n) __builtin_memcpy(d, s, n)
#define memset(d, c, n) __builtin_memset(d, c, n)

#endif
