/*
 * rtc.c - the CMOS real-time clock's read protocol and plausibility checks
 * (rtc.h). No hardware here: registers come through a function, so the
 * host tests (tests/test_rtc.c) can play an RTC that is mid-update,
 * garbage, or in any of its modes.
 *
 * The MC146818 updates its time registers once a second; while it does
 * (up to 2 ms, announced 244 us ahead by status A's UIP bit) a read may
 * mix two seconds, e.g. 10:59:59 and 11:00:00 into 10:00:00. Waiting for
 * UIP to clear, reading everything, and reading again until two passes
 * agree rules that out.
 */
#include <string.h>

#include "rtc.h"

/* Waits for the end of an update; false if it never ends. */
static bool wait_update(rtc_cmos_fn *cmos, void *ctx)
{
	for (uint32_t i = 0; i < RTC_UIP_POLLS; i++)
		if (!(cmos(ctx, RTC_REG_A) & RTC_A_UIP))
			return true;
	return false;
}

/* One pass over the time registers. */
static void read_once(rtc_cmos_fn *cmos, void *ctx, uint8_t century_reg, struct rtc_regs *r)
{
	r->sec = cmos(ctx, RTC_REG_SEC);
	r->min = cmos(ctx, RTC_REG_MIN);
	r->hour = cmos(ctx, RTC_REG_HOUR);
	r->day = cmos(ctx, RTC_REG_DAY);
	r->month = cmos(ctx, RTC_REG_MONTH);
	r->year = cmos(ctx, RTC_REG_YEAR);
	r->century = century_reg ? cmos(ctx, century_reg) : 0;
	r->status_b = cmos(ctx, RTC_REG_B);
}

status_t rtc_read(rtc_cmos_fn *cmos, void *ctx, uint8_t century_reg, struct rtc_regs *out)
{
	struct rtc_regs last, now;
	if (century_reg < RTC_CENTURY_FIRST || century_reg > RTC_CENTURY_LAST)
		century_reg = 0;
	if (!wait_update(cmos, ctx))
		return STATUS_TIMEOUT;
	read_once(cmos, ctx, century_reg, &last);
	for (uint32_t i = 1; i < RTC_TRIES; i++) {
		if (!wait_update(cmos, ctx))
			return STATUS_TIMEOUT;
		read_once(cmos, ctx, century_reg, &now);
		if (!memcmp(&now, &last, sizeof now)) {
			*out = now;
			return STATUS_OK;
		}
		last = now;
	}
	return STATUS_TIMEOUT;
}

status_t rtc_decode(const struct rtc_regs *r, int64_t *unix_s)
{
	int64_t s;
	status_t st = rtc_to_unix(r, &s);
	if (st)
		return st;
	/* 2020-01-01 and 2200-01-01 00:00:00 UTC. */
	if (s < 1577836800ll || s >= 7258118400ll)
		return STATUS_RANGE;
	*unix_s = s;
	return STATUS_OK;
}
