/* timefmt.c - calendar time without the clock: gmtime, timegm, mktime
 * and localtime in UTC (TZ=UTC0 on both sides), strftime with every
 * conversion, strptime, and difftime, over fixed timestamps. Output is
 * compared with the host build. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static const long long stamps[] = {
	0,
	1,
	-1,
	86399,
	951782400,
	951868800,
	1234567890,
	1700000000,
	2147483647LL,
	2147483648LL,
	-2147483648LL,
	4102444800LL,
	253402300799LL,
	-62135596800LL,
};

static void show(time_t t)
{
	struct tm tm;
	char buf[512];
	if (!gmtime_r(&t, &tm)) {
		printf("%lld: gmtime fails\n", (long long)t);
		return;
	}
	strftime(buf, sizeof buf,
		 "%a %A %b %B %c | %C %d %D %e %F %g %G %h %H %I %j %m %M %n %p %r %R %S %t %T %u "
		 "%U %V %w %W %x %X %y %Y %z %Z %%",
		 &tm);
	printf("%lld: %s\n", (long long)t, buf);
	printf("  wday %d yday %d isdst %d; timegm %lld; mktime %lld\n", tm.tm_wday, tm.tm_yday,
	       tm.tm_isdst, (long long)timegm(&tm), (long long)mktime(&tm));
	char *s = asctime(&tm);
	printf("  asctime %s", s ? s : "(null)\n");
}

int main(void)
{
	setenv("TZ", "UTC0", 1); /* no zone files on either side */
	tzset();
	for (size_t i = 0; i < sizeof stamps / sizeof stamps[0]; i++)
		show((time_t)stamps[i]);
	struct tm tm = { 0 };
	const char *rest = strptime("2024-02-29 13:45:07", "%Y-%m-%d %H:%M:%S", &tm);
	printf("strptime: %d-%02d-%02d %02d:%02d:%02d rest \"%s\" timegm %lld\n", tm.tm_year + 1900,
	       tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, rest ? rest : "(null)",
	       (long long)timegm(&tm));
	struct tm n = { .tm_year = 123, .tm_mon = 13, .tm_mday = 35, .tm_hour = 25, .tm_min = 61 };
	time_t t = timegm(&n);
	printf("normalised: %lld -> %d-%02d-%02d %02d:%02d\n", (long long)t, n.tm_year + 1900,
	       n.tm_mon + 1, n.tm_mday, n.tm_hour, n.tm_min);
	printf("difftime %.1f\n", difftime(1000, 250));
	return 0;
}
