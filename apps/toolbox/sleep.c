/*
 * sleep.c - pause for the sum of the arguments, each a decimal number of
 * seconds with an optional fraction and an optional suffix s, m, h or d.
 * As in busybox, no options: "-1" and "--" are invalid numbers.
 */
#include "toolbox.h"

#include <errno.h>
#include <string.h>
#include <time.h>

/* Parses one duration into nanoseconds; false when malformed or huge. */
static bool parse_duration(const char *s, unsigned long long *ns)
{
	unsigned long long whole = 0, frac = 0, scale = 1000000000ULL, mul = 1;
	const char *p = s;
	bool digits = false;

	for (; *p >= '0' && *p <= '9'; p++, digits = true) {
		if (whole > 100000000ULL)
			return false;
		whole = whole * 10 + (unsigned)(*p - '0');
	}
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++, digits = true)
			if (scale > 1) {
				scale /= 10;
				frac += (unsigned)(*p - '0') * scale;
			}
	if (!digits)
		return false;
	switch (*p) {
	case 'd':
		mul *= 24; /* fall through */
	case 'h':
		mul *= 60; /* fall through */
	case 'm':
		mul *= 60; /* fall through */
	case 's':
		p++;
		break;
	default:
		break;
	}
	if (*p)
		return false;
	*ns = (whole * 1000000000ULL + frac) * mul;
	return true;
}

int cmd_sleep(int argc, char **argv)
{
	unsigned long long total = 0, ns;

	if (argc < 2) {
		msg_usage(argv[0], "N[smhd]...");
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		if (!parse_duration(argv[i], &ns)) {
			msg(argv[0], "invalid number '%s'", argv[i]);
			return 1;
		}
		total += ns;
	}
	struct timespec ts = { (time_t)(total / 1000000000ULL), (long)(total % 1000000000ULL) };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
	return 0;
}
