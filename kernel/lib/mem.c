/*
 * mem.c - the seven memory and string functions the compiler may call on
 * its own (memcpy, memmove, memset, memcmp) or that libsys and the kernel
 * need themselves (strlen, strcmp, strncmp). One implementation serves
 * both: the kernel (its declarations are kernel/lib/include/string.h)
 * and, through libkeel, every Keel program.
 * Compiled with -fno-builtin, so no loop below is turned back into a call
 * to the function it defines. memcpy and memset move 8-byte words with rep
 * movsq/stosq and only the tail byte by byte: fast on hardware, and under
 * QEMU -icount, where every rep iteration counts as one instruction, a
 * 64-byte message costs 8 moves rather than 64.
 */
#include <stdint.h>
#include <string.h>

/* The kernel's string.h maps memcpy and memset to the compiler's builtins
 * with function-like macros; the parentheses keep them out of the names. */
void *(memcpy)(void *restrict dst, const void *restrict src, size_t n)
{
	void *ret = dst;
	size_t words = n / 8, tail = n % 8;

	__asm__ volatile("rep movsq" : "+D"(dst), "+S"(src), "+c"(words) : : "memory");
	__asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(tail) : : "memory");
	return ret;
}

/* Copies forwards when that cannot overwrite unread source bytes, else backwards. */
void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if ((uintptr_t)d - (uintptr_t)s >= n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *(memset)(void *dst, int c, size_t n)
{
	void *ret = dst;
	size_t words = n / 8, tail = n % 8;
	uint64_t pattern = 0x0101010101010101ull * (unsigned char)c;

	__asm__ volatile("rep stosq" : "+D"(dst), "+c"(words) : "a"(pattern) : "memory");
	__asm__ volatile("rep stosb" : "+D"(dst), "+c"(tail) : "a"(pattern) : "memory");
	return ret;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			return 0;
	}
	return 0;
}
