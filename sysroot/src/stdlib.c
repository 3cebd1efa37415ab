/*
 * stdlib.c - integer helpers and number parsing (see stdlib.h).
 *
 * All four strto* functions share one scanner that reads the magnitude as
 * an unsigned long long and notes whether it overflowed; each then clamps
 * to its own type's range.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>

int abs(int v)
{
	return v < 0 ? -v : v;
}

long labs(long v)
{
	return v < 0 ? -v : v;
}

long long llabs(long long v)
{
	return v < 0 ? -v : v;
}

/* A scanned number: its magnitude, sign, and whether it exceeded ULLONG_MAX. */
struct scan {
	unsigned long long mag;
	bool neg;
	bool over;
	bool ok; /* false when the base is invalid or there were no digits */
};

/* Returns the value of digit c, or 36 when c is not a digit in any base. */
static unsigned digit_value(int c)
{
	if (isdigit(c))
		return (unsigned)(c - '0');
	if (isalpha(c))
		return (unsigned)(tolower(c) - 'a' + 10);
	return 36;
}

/*
 * Scans s in base (0 or 2..36) as C's strtol describes: leading white
 * space, an optional sign, a 0x prefix for bases 0 and 16, a 0 prefix
 * selecting octal for base 0, then digits. Stores in *end the first
 * unused byte, or s itself when there were no digits.
 */
static struct scan scan_integer(const char *s, char **end, int base)
{
	struct scan r = { 0, false, false, false };
	const char *p = s;

	if (end)
		*end = (char *)s;
	if (base < 0 || base == 1 || base > 36) {
		errno = EINVAL;
		return r;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '+' || *p == '-')
		r.neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	    digit_value((unsigned char)p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = *p == '0' ? 8 : 10;
	}
	unsigned long long cut = ULLONG_MAX / (unsigned)base;
	unsigned cutdigit = (unsigned)(ULLONG_MAX % (unsigned)base);
	const char *digits = p;
	for (unsigned d; (d = digit_value((unsigned char)*p)) < (unsigned)base; p++) {
		if (r.mag > cut || (r.mag == cut && d > cutdigit))
			r.over = true;
		else
			r.mag = r.mag * (unsigned)base + d;
	}
	if (p == digits)
		return r;
	r.ok = true;
	if (end)
		*end = (char *)p;
	return r;
}

/* Clamps a scan to [-(neg_max), pos_max] of a signed type, setting ERANGE. */
static long long clamp_signed(struct scan r, long long min, long long max)
{
	unsigned long long neg_limit = (unsigned long long)max + 1;

	if (!r.ok)
		return 0;
	if (r.neg) {
		if (r.over || r.mag > neg_limit) {
			errno = ERANGE;
			return min;
		}
		return r.mag == neg_limit ? min : -(long long)r.mag;
	}
	if (r.over || r.mag > (unsigned long long)max) {
		errno = ERANGE;
		return max;
	}
	return (long long)r.mag;
}

/* Clamps a scan to an unsigned type's max; a '-' negates in that type. */
static unsigned long long clamp_unsigned(struct scan r, unsigned long long max)
{
	if (!r.ok)
		return 0;
	if (r.over || r.mag > max) {
		errno = ERANGE;
		return max;
	}
	return r.neg ? (max - r.mag + 1) & max : r.mag;
}

long strtol(const char *restrict s, char **restrict end, int base)
{
	return (long)clamp_signed(scan_integer(s, end, base), LONG_MIN, LONG_MAX);
}

long long strtoll(const char *restrict s, char **restrict end, int base)
{
	return clamp_signed(scan_integer(s, end, base), LLONG_MIN, LLONG_MAX);
}

unsigned long strtoul(const char *restrict s, char **restrict end, int base)
{
	return (unsigned long)clamp_unsigned(scan_integer(s, end, base), ULONG_MAX);
}

unsigned long long strtoull(const char *restrict s, char **restrict end, int base)
{
	return clamp_unsigned(scan_integer(s, end, base), ULLONG_MAX);
}

/* atoi and atol narrow strtol's result; out-of-range input is undefined in C. */
int atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

long atol(const char *s)
{
	return strtol(s, NULL, 10);
}

long long atoll(const char *s)
{
	return strtoll(s, NULL, 10);
}
