/*
 * touch.c - create files and set their times (busybox's touch): -c does
 * not create, -a/-m choose the time, -d DATE ("@SECONDS", "YYYY-MM-DD",
 * "YYYY-MM-DD HH:MM[:SS]", "HH:MM[:SS]" today), -t [[CC]YY]MMDDhhmm[.ss],
 * -r FILE takes FILE's times. Dates are in local time.
 */
#include "toolbox.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Parses "HH:MM[:SS]" and nothing after it into tm. */
static bool touch_clock(const char *s, struct tm *tm)
{
	int h, m, sec = 0, k = 0;

	if (sscanf(s, "%2d:%2d%n", &h, &m, &k) != 2)
		return false;
	s += k;
	if (*s == ':' && sscanf(s, ":%2d%n", &sec, &k) == 1)
		s += k;
	if (*s || h > 23 || m > 59 || sec > 60 || h < 0 || m < 0 || sec < 0)
		return false;
	tm->tm_hour = h;
	tm->tm_min = m;
	tm->tm_sec = sec;
	return true;
}

/* Parses -d's forms into *t. */
static bool touch_date(const char *s, time_t *t)
{
	struct tm tm;
	time_t now = time(NULL);
	int n = 0;
	unsigned long long secs;

	if (s[0] == '@' && parse_ulong(s + 1, &secs)) {
		*t = (time_t)secs;
		return true;
	}
	localtime_r(&now, &tm);
	tm.tm_sec = 0;
	if (sscanf(s, "%d-%d-%d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &n) == 3) {
		tm.tm_year -= 1900;
		tm.tm_mon -= 1;
		tm.tm_hour = tm.tm_min = 0;
		s += n;
		while (*s == ' ' || *s == 'T')
			s++;
	}
	if (*s && !touch_clock(s, &tm))
		return false;
	tm.tm_isdst = -1;
	*t = mktime(&tm);
	return *t != (time_t)-1;
}

/* Takes two decimal digits at *s. */
static int touch_two(const char **s)
{
	int v = ((*s)[0] - '0') * 10 + ((*s)[1] - '0');
	*s += 2;
	return v;
}

/* Parses -t's [[CC]YY]MMDDhhmm[.ss] into *t. */
static bool touch_stamp(const char *s, time_t *t)
{
	size_t n = strcspn(s, ".");
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	if ((n != 8 && n != 10 && n != 12) || strspn(s, "0123456789") != n)
		return false;
	if (s[n] && (strlen(s + n) != 3 || strspn(s + n + 1, "0123456789") != 2))
		return false;
	if (n == 12) {
		int cc = touch_two(&s);
		tm.tm_year = cc * 100 + touch_two(&s) - 1900;
	} else if (n == 10) {
		int yy = touch_two(&s);
		tm.tm_year = yy < 69 ? yy + 100 : yy;
	}
	tm.tm_mon = touch_two(&s) - 1;
	tm.tm_mday = touch_two(&s);
	tm.tm_hour = touch_two(&s);
	tm.tm_min = touch_two(&s);
	tm.tm_sec = 0;
	if (*s == '.') {
		s++;
		tm.tm_sec = touch_two(&s);
	}
	tm.tm_isdst = -1;
	*t = mktime(&tm);
	return *t != (time_t)-1 && tm.tm_mon >= 0;
}

struct touch_opts {
	bool nocreate, given;
	int which; /* bit 0 access, bit 1 modification */
	struct timespec times[2];
};

/* Touches one file; 0 or 1. */
static int touch_one(const char *name, const struct touch_opts *t, const char *path)
{
	struct timespec ts[2] = { t->times[0], t->times[1] };

	if (!t->given)
		ts[0].tv_nsec = ts[1].tv_nsec = UTIME_NOW;
	if (!(t->which & 1))
		ts[0].tv_nsec = UTIME_OMIT;
	if (!(t->which & 2))
		ts[1].tv_nsec = UTIME_OMIT;
	if (utimensat(AT_FDCWD, path, ts, 0) == 0)
		return 0;
	if (errno == ENOENT && t->nocreate)
		return 0;
	if (errno == ENOENT) {
		int fd = open(path, O_WRONLY | O_CREAT, 0666);
		if (fd >= 0) {
			close(fd);
			if (utimensat(AT_FDCWD, path, ts, 0) == 0)
				return 0;
		}
	}
	msg_errno(name, "%s", path);
	return 1;
}

/* Applies one option letter; false after a reported error. */
static bool touch_option(const char *name, struct touch_opts *t, int c, const char *arg)
{
	struct stat st;
	time_t when;

	if (c == 'c')
		t->nocreate = true;
	if (c == 'a' || c == 'm')
		t->which = (t->which == 3 ? 0 : t->which) | (c == 'a' ? 1 : 2);
	if (c == 'r') {
		if (stat(arg, &st) != 0) {
			msg_errno(name, "can't stat '%s'", arg);
			return false;
		}
		t->times[0] = st.st_atim;
		t->times[1] = st.st_mtim;
		t->given = true;
	}
	if (c == 'd' || c == 't') {
		if (!(c == 'd' ? touch_date(arg, &when) : touch_stamp(arg, &when))) {
			msg(name, "invalid date '%s'", arg);
			return false;
		}
		t->times[0].tv_sec = t->times[1].tv_sec = when;
		t->times[0].tv_nsec = t->times[1].tv_nsec = 0;
		t->given = true;
	}
	return true;
}

int cmd_touch(int argc, char **argv)
{
	struct touch_opts t = { .which = 3 };
	struct opt o;
	int c, n, st = 0;

	opt_init(&o, argc, argv, "camhd:t:r:", "[-cam] [-d DATE] [-t DATE] [-r FILE] FILE...");
	while ((c = opt_next(&o)) != -1)
		if (c == '?' || !touch_option(argv[0], &t, c, o.arg))
			return 1;
	char **ops = opt_operands(&o, &n);
	if (n == 0) {
		msg_usage(argv[0], o.usage);
		return 1;
	}
	for (int i = 0; i < n; i++)
		st |= touch_one(argv[0], &t, ops[i]);
	return st;
}
