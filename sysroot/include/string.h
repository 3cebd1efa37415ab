/*
 * string.h - C memory and string functions (C11 7.24), without the
 * locale-dependent (strcoll, strxfrm), allocating (strdup) and stateful
 * (strtok) ones. memcpy, memmove, memset, memcmp, strlen, strcmp and
 * strncmp live in src/mem.c, the rest in src/string.c.
 */
#ifndef KEEL_SYSROOT_STRING_H
#define KEEL_SYSROOT_STRING_H

#include <stddef.h>

void *memcpy(void *restrict, const void *restrict, size_t);
void *memmove(void *, const void *, size_t);
void *memset(void *, int, size_t);
int memcmp(const void *, const void *, size_t);
void *memchr(const void *, int, size_t);

size_t strlen(const char *);
size_t strnlen(const char *, size_t);
int strcmp(const char *, const char *);
int strncmp(const char *, const char *, size_t);
char *strchr(const char *, int);
char *strrchr(const char *, int);
char *strstr(const char *, const char *);
char *strcpy(char *restrict, const char *restrict);
char *strncpy(char *restrict, const char *restrict, size_t);
char *strcat(char *restrict, const char *restrict);
char *strncat(char *restrict, const char *restrict, size_t);
size_t strspn(const char *, const char *);
size_t strcspn(const char *, const char *);

#endif
