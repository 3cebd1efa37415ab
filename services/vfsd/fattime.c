/* fattime.c - FAT dates and times (see fattime.h). */
#include "fattime.h"

#define SECS_PER_DAY 86400
#define FAT_YEAR0 1980
#define FAT_YEARS 128 /* 1980 to 2107 */

/* Eras of 400 years (146097 days) make the leap-year rule a table-free
 * computation; March is the first month of the shifted year so that the
 * leap day falls at its end. */
int64_t fat_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t mp = m > 2 ? m - 3 : m + 9;
	int64_t doy = (153 * mp + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The inverse of fat_days_from_civil(). */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

void fat_time_encode(int64_t utc_seconds, int32_t tz_minutes, struct fat_stamp *out)
{
	int64_t lo = fat_days_from_civil(FAT_YEAR0, 1, 1) * SECS_PER_DAY;
	int64_t hi = fat_days_from_civil(FAT_YEAR0 + FAT_YEARS, 1, 1) * SECS_PER_DAY - 2;
	int64_t local;

	/* Clamp before adding the offset so that no extreme input overflows. */
	if (utc_seconds < lo - 2 * SECS_PER_DAY)
		utc_seconds = lo - 2 * SECS_PER_DAY;
	if (utc_seconds > hi + 2 * SECS_PER_DAY)
		utc_seconds = hi + 2 * SECS_PER_DAY;
	local = utc_seconds + (int64_t)tz_minutes * 60;
	if (local < lo)
		local = lo;
	if (local > hi + 1)
		local = hi + 1;
	int64_t days = floor_div(local, SECS_PER_DAY);
	int64_t secs = local - days * SECS_PER_DAY;
	int64_t y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	out->date = (uint16_t)((y - FAT_YEAR0) << 9 | m << 5 | d);
	out->time = (uint16_t)((secs / 3600) << 11 | (secs / 60 % 60) << 5 | (secs % 60) / 2);
	out->tenth = (uint8_t)(secs % 2 * 100);
}

static unsigned clamp(unsigned v, unsigned lo, unsigned hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

int64_t fat_time_decode(const struct fat_stamp *s, int32_t tz_minutes)
{
	unsigned year = FAT_YEAR0 + (s->date >> 9);
	unsigned month = clamp(s->date >> 5 & 15, 1, 12);
	unsigned day = clamp(s->date & 31, 1, 31);
	unsigned hour = clamp(s->time >> 11, 0, 23);
	unsigned minute = clamp(s->time >> 5 & 63, 0, 59);
	unsigned second = clamp((s->time & 31) * 2u, 0, 58);

	if (s->tenth <= 199)
		second += s->tenth / 100u;
	/* Day 31 of a short month runs on into the next, as mktime does. */
	int64_t days = fat_days_from_civil(year, month, 1) + day - 1;
	int64_t local = days * SECS_PER_DAY + hour * 3600 + minute * 60 + second;
	return local - (int64_t)tz_minutes * 60;
}
