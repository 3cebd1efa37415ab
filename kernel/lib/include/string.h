/*
 * string.h - the kernel's C library: the few memory and string functions
 * it uses, with their standard names and meanings (kernel/lib/mem.c).
 *
 * The kernel has no C library, and the compiler may emit calls to memcpy,
 * memset, memmove and memcmp even in freestanding code. Only the kernel
 * has this directory on its include path: code shared with user space
 * (kernel/lib) includes <string.h> and gets this file in the kernel, the
 * sysroot's in Keel programs and the host's C library in host builds.
 */
#ifndef KEEL_KERNEL_STRING_H
#define KEEL_KERNEL_STRING_H

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
