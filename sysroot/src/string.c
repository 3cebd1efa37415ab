/*
 * string.c - the string functions beyond the seven in mem.c. All compare
 * bytes as unsigned char, as C requires. strstr is the simple
 * O(haystack * needle) scan: correct, and fast enough for the short
 * needles Keel code searches for.
 */
#include <stdint.h>
#include <string.h>

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

/* Finds the first c in s; c == '\0' finds the terminator. */
char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

char *strstr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	if (n == 0)
		return (char *)hay;
	for (; *hay; hay++)
		if (*hay == *needle && strncmp(hay, needle, n) == 0)
			return (char *)hay;
	return NULL;
}

char *strcpy(char *restrict dst, const char *restrict src)
{
	char *d = dst;

	while ((*d++ = *src++))
		;
	return dst;
}

/* Copies at most n bytes of src and pads dst with '\0' to n bytes. */
char *strncpy(char *restrict dst, const char *restrict src, size_t n)
{
	size_t i = 0;

	for (; i < n && src[i]; i++)
		dst[i] = src[i];
	for (; i < n; i++)
		dst[i] = '\0';
	return dst;
}

char *strcat(char *restrict dst, const char *restrict src)
{
	strcpy(dst + strlen(dst), src);
	return dst;
}

/* Appends at most n bytes of src, then always a '\0'. */
char *strncat(char *restrict dst, const char *restrict src, size_t n)
{
	char *d = dst + strlen(dst);

	for (; n && *src; n--)
		*d++ = *src++;
	*d = '\0';
	return dst;
}

/* One bit per byte value: the set of bytes in the NUL-terminated string set. */
struct byteset {
	uint64_t bits[4];
};

static void byteset_fill(struct byteset *b, const char *set)
{
	*b = (struct byteset){ { 0 } };
	for (const unsigned char *p = (const unsigned char *)set; *p; p++)
		b->bits[*p / 64] |= 1ull << (*p % 64);
}

static int byteset_has(const struct byteset *b, unsigned char c)
{
	return (b->bits[c / 64] >> (c % 64)) & 1;
}

size_t strspn(const char *s, const char *accept)
{
	struct byteset b;
	size_t n = 0;

	byteset_fill(&b, accept);
	while (s[n] && byteset_has(&b, (unsigned char)s[n]))
		n++;
	return n;
}

size_t strcspn(const char *s, const char *reject)
{
	struct byteset b;
	size_t n = 0;

	byteset_fill(&b, reject);
	while (s[n] && !byteset_has(&b, (unsigned char)s[n]))
		n++;
	return n;
}
