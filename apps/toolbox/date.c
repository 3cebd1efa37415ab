/*
 * date.c - print the date (busybox's date): the default format
 * "%a %b %e %H:%M:%S %Z %Y", +FORMAT (strftime), -u (UTC), -d TIME
 * (@SECONDS, YYYY-MM-DD [hh:mm[:ss]], hh:mm[:ss]), -r FILE (its
 * modification time), -R (RFC 2822), -I (ISO 8601 date). Setting the date
 * is not supported on Keel: "date TIME" and -s report so and fail.
 */
#include "toolbox.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Parses "hh:mm[:ss]" and nothing after it into tm. */
static bool date_clock(const char *s, struct tm *tm)
{
	int h, mi, sec = 0, n = 0;

	if (sscanf(s, "%2d:%2d%n", &h, &mi, &n) != 2)
		return false;
	s += n;
	if (*s == ':' && sscanf(s, ":%2d%n", &sec, &n) == 1)
		s += n;
	if (*s || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60)
		return false;
	tm->tm_hour = h;
	tm->tm_min = mi;
	tm->tm_sec = sec;
	return true;
}

/* Parses -d's TIME into *t (local time unless utc). */
static bool date_parse(const char *s, bool utc, time_t *t)
{
	unsigned long long secs;
	struct tm tm;
	int n = 0, y, mo, d;
	time_t now = time(NULL);

	if (s[0] == '@' && parse_ulong(s + 1, &secs)) {
		*t = (time_t)secs;
		return true;
	}
	if (utc)
		gmtime_r(&now, &tm);
	else
		localtime_r(&now, &tm);
	bool have_date = sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) == 3;
	if (have_date) {
		tm.tm_year = y - 1900;
		tm.tm_mon = mo - 1;
		tm.tm_mday = d;
		tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
		s += n;
		while (*s == ' ' || *s == 'T')
			s++;
	}
	if (*s ? !date_clock(s, &tm) : !have_date)
		return false;
	tm.tm_isdst = -1;
	*t = utc ? timegm(&tm) : mktime(&tm);
	return *t != (time_t)-1;
}

struct date_opts {
	bool utc;
	bool have_time;
	time_t when;
	const char *format;
};

/* Applies one option letter; false after a reported error. */
static bool date_option(struct date_opts *d, const char *name, int c, const char *arg)
{
	struct stat st;

	switch (c) {
	case 'u':
		d->utc = true;
		break;
	case 'R':
		d->format = "%a, %d %b %Y %H:%M:%S %z";
		break;
	case 'I':
		d->format = "%Y-%m-%d";
		break;
	case 's':
		msg(name, "setting the date is not supported");
		return false;
	case 'r':
		if (stat(arg, &st) != 0) {
			msg_errno(name, "can't stat '%s'", arg);
			return false;
		}
		d->when = st.st_mtim.tv_sec;
		d->have_time = true;
		break;
	case 'd':
		d->have_time = true;
		if (!date_parse(arg, d->utc, &d->when)) {
			msg(name, "invalid date '%s'", arg);
			return false;
		}
		break;
	default:
		return false;
	}
	return true;
}

int cmd_date(int argc, char **argv)
{
	struct date_opts d = { .format = "%a %b %e %H:%M:%S %Z %Y" };
	char out[1024];
	struct tm tm;
	struct opt o;
	int c, n;

	opt_init(&o, argc, argv, "uRId:r:s:", "[-uRI] [-d TIME] [-r FILE] [+FORMAT]");
	while ((c = opt_next(&o)) != -1)
		if (c == '?' || !date_option(&d, argv[0], c, o.arg))
			return 1;
	char **ops = opt_operands(&o, &n);
	if (n > 1) {
		msg_usage(argv[0], o.usage);
		return 1;
	}
	if (n == 1 && ops[0][0] != '+') {
		msg(argv[0], "setting the date is not supported");
		return 1;
	}
	if (n == 1)
		d.format = ops[0] + 1;
	if (!d.have_time)
		d.when = time(NULL);
	if (d.utc)
		setenv("TZ", "UTC0", 1);
	localtime_r(&d.when, &tm);
	size_t len = *d.format ? strftime(out, sizeof(out), d.format, &tm) : 0;
	fwrite(out, 1, len, stdout);
	putchar('\n');
	return 0;
}
