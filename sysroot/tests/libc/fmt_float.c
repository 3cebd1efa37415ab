/* fmt_float.c - floating-point formatting and parsing: %f %e %g %a with
 * precisions and flags over ordinary, tiny, huge, subnormal and special
 * values; strtod and strtof corner cases (hex floats, overflow and
 * underflow with errno, halfway rounding, inf/nan spellings); round trips
 * through %.17g. Output is compared with the host build. */
#define _GNU_SOURCE
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double values[] = {
	0.0,
	-0.0,
	1.0,
	-1.5,
	0.1,
	0.5,
	2.5,
	3.14159265358979,
	1e10,
	1.5e-10,
	123456789.125,
	1e22,
	1e23,
	5e-324,
	2.2250738585072014e-308,
	DBL_MAX,
	-DBL_MAX,
	1.0 / 3.0,
	2.0 / 3.0,
	0.000123456,
	999999.5,
	9.9999995,
	1e100,
	4.9406564584124654e-324,
};

static void formats(double v)
{
	printf("%f|%.0f|%.2f|%12.4f|%-12.1f|%+f|%e|%.3e|%E|%g|%.10g|%G|%#g|%a|%.3a|%A\n", v, v, v,
	       v, v, v, v, v, v, v, v, v, v, v, v, v);
}

static void parse(const char *s)
{
	char *end;
	errno = 0;
	double d = strtod(s, &end);
	int e = errno;
	errno = 0;
	float f = strtof(s, NULL);
	int ef = errno;
	errno = 0;
	long double ld = strtold(s, NULL);
	printf("%-40s -> %.17g (%a) errno %d rest \"%s\" | f %.9g (%d) | ld %.21Lg\n", s, d, d, e,
	       end, (double)f, ef, ld);
}

int main(void)
{
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
		formats(values[i]);
	formats(INFINITY);
	formats(-INFINITY);
	formats(NAN);
	printf("%Lf %Le %Lg %La\n", 1.0L / 3, 1e4000L, LDBL_MIN, 1.5L);
	static const char *inputs[] = {
		"0",
		"-0",
		"1",
		"1.",
		".5",
		"1e5",
		"1E-5",
		"  +3.25abc",
		"0x1p-1074",
		"0x1p-1075",
		"0x1.fffffffffffffp1023",
		"0x1p1024",
		"1e308",
		"1e309",
		"1e-320",
		"1e-400",
		"2.4703282292062327e-324",
		"2.4703282292062328e-324",
		"4.9406564584124654e-324",
		"1.7976931348623157e308",
		"1.7976931348623158e308",
		"1.7976931348623159e308",
		"9007199254740993",
		"9007199254740992.5",
		"0.1",
		"0.30000000000000004",
		"123456789012345678901234567890",
		"inf",
		"-INF",
		"infinity",
		"infinit",
		"nan",
		"-nan",
		"nan(123)",
		"nan(",
		"NaN(abc)x",
		"e5",
		".",
		"-.e1",
		"0x",
		"0x.8p1",
		"1e+",
		"1e-5x",
		"  \t\n7",
		"0.000000000000000000000000000000000000000000000000001",
		"2.2250738585072011e-308",
		"2.2250738585072012e-308",
	};
	for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++)
		parse(inputs[i]);
	/* Round trips: %.17g and %a give the same double back. */
	unsigned long long state = 88172645463325252ull;
	int bad = 0;
	for (int i = 0; i < 20000; i++) {
		state ^= state << 13, state ^= state >> 7, state ^= state << 17;
		double d;
		memcpy(&d, &state, sizeof d);
		if (isnan(d))
			continue;
		char buf[64];
		snprintf(buf, sizeof buf, "%.17g", d);
		bad += strtod(buf, NULL) != d;
		snprintf(buf, sizeof buf, "%a", d);
		bad += strtod(buf, NULL) != d;
	}
	printf("round trips: %d mismatches\n", bad);
	printf("frexp/ldexp/modf: %g %g %g\n", ldexp(0.75, 3), frexp(48.0, &(int){ 0 }),
	       modf(-3.75, &(double){ 0 }));
	printf("sqrt %.17g exp %.17g log %.17g sin %.17g pow %.17g\n", sqrt(2.0), exp(1.0),
	       log(10.0), sin(1.0), pow(2.0, 0.5));
	return 0;
}
