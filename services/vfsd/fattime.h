/*
 * fattime.h - FAT dates and times <-> seconds since the Unix epoch.
 *
 * FAT keeps local time: a date word (bits 15-9 year since 1980, 8-5 month
 * 1-12, 4-0 day 1-31), a time word (bits 15-11 hour, 10-5 minute, 4-0
 * seconds / 2) and, for the creation time only, a count of 10 ms units
 * (0-199) that adds up to 1.99 s. The engine's clock gives UTC seconds;
 * tz_minutes is the offset of local time from UTC (+60 for UTC+1).
 *
 * Representable local times run from 1980-01-01 00:00:00 to 2107-12-31
 * 23:59:58; times outside are clamped to those ends. Decoding accepts any
 * 16-bit values: out-of-range fields (month 0 or 13, day 0, minute 63, ...)
 * are clamped into range rather than refused, so a hostile directory entry
 * always yields some time.
 */
#ifndef VFSD_FATTIME_H
#define VFSD_FATTIME_H

#include <stdint.h>

struct fat_stamp {
	uint16_t date;
	uint16_t time;
	uint8_t tenth; /* 10 ms units, 0-199; only creation times keep it */
};

/* Converts UTC seconds to the FAT local date and time, rounding odd
 * seconds down into the 2-second time word and keeping them in tenth. */
void fat_time_encode(int64_t utc_seconds, int32_t tz_minutes, struct fat_stamp *out);

/* Converts a FAT local date and time back to UTC seconds. tenth adds
 * tenth / 100 whole seconds (a value over 199 counts as 0). */
int64_t fat_time_decode(const struct fat_stamp *s, int32_t tz_minutes);

/* Days since 1970-01-01 of the proleptic Gregorian date y-m-d (m 1-12,
 * d 1-31; no range check). */
int64_t fat_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
