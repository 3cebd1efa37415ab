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

#endif
