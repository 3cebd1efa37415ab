/* time.c - monotonic and wall-clock time (see keel/time.h). */
#include "keel/sys.h"
#include "keel/time.h"

#define NS 1000000000ll
#define RTC_ERROR_NS (1000000000ull) /* the RTC counts whole seconds */
#define RTC_DRIFT_PPM 100ull         /* a cheap crystal: 100 us per second */

uint64_t time_monotonic_kernel(void *ctx)
{
	uint64_t ns = 0;
	(void)ctx;
	sys_clock_read(&ns);
	return ns;
}

void wallclock_init(struct wallclock *c, uint64_t (*monotonic)(void *ctx), void *ctx)
{
	*c = (struct wallclock){ .monotonic = monotonic, .ctx = ctx };
}

status_t wallclock_set(struct wallclock *c, int64_t unix_ns, enum time_confidence conf,
		       uint64_t error_ns)
{
	if (conf != TIME_RTC && conf != TIME_NETWORK)
		return STATUS_INVALID;
	uint64_t now = c->monotonic(c->ctx);
	c->offset_ns = unix_ns - (int64_t)now;
	c->confidence = conf;
	c->error_ns = conf == TIME_RTC && error_ns < RTC_ERROR_NS ? RTC_ERROR_NS : error_ns;
	c->set_at = now;
	return STATUS_OK;
}

void wallclock_read(const struct wallclock *c, struct wall_time *out)
{
	uint64_t now = c->monotonic(c->ctx);
	out->unix_ns = (int64_t)now + c->offset_ns;
	out->confidence = c->confidence;
	/* An RTC-set clock drifts with the crystal: the bound grows with age. */
	out->error_ns = c->error_ns + (c->confidence == TIME_RTC
					       ? (now - c->set_at) / 1000000 * RTC_DRIFT_PPM
					       : 0);
}

status_t clock_realtime_ns(const struct keel_start *s, int64_t *ns)
{
	int64_t off = keel_start_wall_offset(s);
	*ns = (int64_t)time_monotonic_kernel(NULL) + off;
	return off ? STATUS_OK : STATUS_NOT_FOUND;
}

status_t wallclock_from_start(struct wallclock *c, const struct keel_start *s)
{
	int64_t off = keel_start_wall_offset(s);
	if (!off)
		return STATUS_NOT_FOUND;
	c->offset_ns = off;
	c->confidence = TIME_RTC;
	c->error_ns = RTC_ERROR_NS;
	c->set_at = 0; /* topod read the RTC at boot: drift counts from there */
	return STATUS_OK;
}

static bool bcd_ok(uint8_t v)
{
	return (v & 0x0f) <= 9 && (v >> 4) <= 9;
}

/* Decodes one register: BCD unless binary; false for a bad BCD digit. */
static bool field(uint8_t v, bool binary, uint32_t *out)
{
	if (binary) {
		*out = v;
		return true;
	}
	if (!bcd_ok(v))
		return false;
	*out = (v >> 4) * 10u + (v & 0x0f);
	return true;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, uint32_t m, uint32_t d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static uint32_t days_in_month(uint32_t y, uint32_t m)
{
	static const uint8_t days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return days[m - 1] + (m == 2 && leap);
}

status_t rtc_to_unix(const struct rtc_regs *r, int64_t *unix_s)
{
	bool binary = r->status_b & 0x04, h24 = r->status_b & 0x02;
	bool pm = !h24 && (r->hour & 0x80);
	uint32_t sec, min, hour, day, month, year, century;
	if (!field(r->sec, binary, &sec) || !field(r->min, binary, &min) ||
	    !field((uint8_t)(r->hour & 0x7f), binary, &hour) || !field(r->day, binary, &day) ||
	    !field(r->month, binary, &month) || !field(r->year, binary, &year) ||
	    !field(r->century ? r->century : (binary ? 20 : 0x20), binary, &century))
		return STATUS_BAD_FORMAT;
	if (!h24) {
		if (hour < 1 || hour > 12)
			return STATUS_BAD_FORMAT;
		hour = hour % 12 + (pm ? 12 : 0);
	}
	uint32_t full = century * 100 + year;
	if (sec > 59 || min > 59 || hour > 23 || year > 99 || month < 1 || month > 12 || day < 1 ||
	    day > days_in_month(full, month) || full < 1970)
		return STATUS_BAD_FORMAT;
	*unix_s = days_from_civil(full, month, day) * 86400 + hour * 3600 + min * 60 + sec;
	return STATUS_OK;
}
