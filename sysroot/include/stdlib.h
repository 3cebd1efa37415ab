/*
 * stdlib.h - the allocation-free part of C's stdlib.h: integer
 * arithmetic, number parsing, sorting and searching. There is no malloc
 * (Keel code allocates through an explicit allocator, libsys/alloc.h),
 * no exit/abort (programs return from main or call sys_task_exit) and no
 * floating point parsing yet.
 */
#ifndef KEEL_SYSROOT_STDLIB_H
#define KEEL_SYSROOT_STDLIB_H

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

int abs(int);
long labs(long);
long long llabs(long long);

/*
 * The strto* functions accept base 0 (decimal, 0x/0X hex or 0 octal by
 * prefix) or 2..36; another base sets errno to EINVAL and returns 0. An
 * out-of-range value sets errno to ERANGE and returns the nearest limit.
 */
long strtol(const char *restrict, char **restrict, int);
long long strtoll(const char *restrict, char **restrict, int);
unsigned long strtoul(const char *restrict, char **restrict, int);
unsigned long long strtoull(const char *restrict, char **restrict, int);
int atoi(const char *);
long atol(const char *);
long long atoll(const char *);

/* qsort is a heapsort: O(n log n) comparisons on every input, not stable. */
void qsort(void *, size_t, size_t, int (*)(const void *, const void *));
void *bsearch(const void *, const void *, size_t, size_t,
	      int (*)(const void *, const void *));

#endif
