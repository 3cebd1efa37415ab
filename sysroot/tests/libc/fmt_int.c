/* fmt_int.c - integer formatting and parsing: printf conversions, flags,
 * widths and precisions; strtol/strtoul/strtoll across bases, with
 * overflow and errno; sscanf. Output is compared with the host build. */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>

static const long long values[] = {
	0,
	1,
	-1,
	7,
	-7,
	42,
	255,
	256,
	-256,
	32767,
	-32768,
	65535,
	2147483647LL,
	-2147483647LL - 1,
	4294967295LL,
	1000000007LL,
	LLONG_MAX,
	LLONG_MIN,
};

static void formats(long long v)
{
	printf("[%d] [%5d] [%-5d] [%05d] [%+d] [% d] [%.3d] [%8.3d]\n", (int)v, (int)v, (int)v,
	       (int)v, (int)v, (int)v, (int)v, (int)v);
	printf("[%lld] [%llu] [%llx] [%#llx] [%llX] [%llo] [%#llo] [%20lld]\n", v,
	       (unsigned long long)v, (unsigned long long)v, (unsigned long long)v,
	       (unsigned long long)v, (unsigned long long)v, (unsigned long long)v, v);
	printf("[%hhd] [%hd] [%hhu] [%hu] [%jd] [%zd] [%'d]\n", (signed char)v, (short)v,
	       (unsigned char)v, (unsigned short)v, (intmax_t)v, (ssize_t)v, (int)v);
}

static void parse(const char *s, int base)
{
	char *end;
	errno = 0;
	long l = strtol(s, &end, base);
	int e1 = errno;
	errno = 0;
	unsigned long u = strtoul(s, NULL, base);
	int e2 = errno;
	errno = 0;
	long long ll = strtoll(s, NULL, base);
	int e3 = errno;
	printf("%-24s base %2d: strtol %ld (errno %d, rest \"%s\") strtoul %lu (%d) strtoll %lld "
	       "(%d)\n",
	       s, base, l, e1, end, u, e2, ll, e3);
}

int main(void)
{
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
		formats(values[i]);
	printf("[%*d] [%-*d] [%.*d] [%c] [%5c] [%-3c|] [%%]\n", 6, 12, 6, 12, 4, 5, 'x', 'y', 'z');
	printf("[%s] [%10s] [%-10s|] [%.2s] [%10.3s]\n", "keel", "keel", "keel", "keel", "keel");
	static const char *inputs[] = {
		"0",
		"-0",
		"+17",
		"  42abc",
		"0x1f",
		"0X1F",
		"077",
		"z",
		"zz",
		"-9223372036854775808",
		"9223372036854775807",
		"9223372036854775808",
		"-9223372036854775809",
		"18446744073709551615",
		"18446744073709551616",
		"-1",
		"  +",
		"0x",
		"1_000",
		"",
	};
	static const int bases[] = { 0, 10, 16, 8, 36, 2 };
	for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++)
		for (size_t b = 0; b < sizeof bases / sizeof bases[0]; b++)
			parse(inputs[i], bases[b]);
	int a = 0, n = 0;
	unsigned x = 0;
	char word[16] = "";
	int got = sscanf("  123 0x7f hello 99", "%d %x %15s %n", &a, &x, word, &n);
	printf("sscanf: %d fields, %d %u %s, consumed %d\n", got, a, x, word, n);
	got = sscanf("abc", "%d", &a);
	printf("sscanf no match: %d\n", got);
	got = sscanf("", "%d", &a);
	printf("sscanf empty: %d\n", got);
	printf("atoi %d atol %ld atoll %lld\n", atoi(" -12x"), atol("99999"), atoll("-5"));
	char buf[8];
	volatile size_t room = sizeof buf; /* truncation is the point */
	int len = snprintf(buf, room, "%d-%d-%d", 1234, 5678, 9);
	printf("snprintf truncated to \"%s\", wanted %d\n", buf, len);
	printf("imaxdiv %jd %jd; llabs %lld\n", imaxdiv(-17, 5).quot, imaxdiv(-17, 5).rem,
	       llabs(-3));
	return 0;
}
