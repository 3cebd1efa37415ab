/*
 * test_rtc.c - reading the CMOS real-time clock (rtc.c) against a model
 * MC146818: BCD and binary, 24- and 12-hour, the FADT's century register
 * (present, absent, or an index that names a clock register), an update
 * in progress, a second that ticks over in the middle of a read, a clock
 * that never settles, and garbage. Expected times come from the C
 * library's timegm, not from Keel's date code.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <time.h>

#include "check.h"
#include "rtc.h"

/* The model: a time and a mode, turned into register values on read. */
struct model {
	time_t now;
	bool binary, h12;
	uint8_t century_reg; /* where the model keeps the century; 0: nowhere */
	uint32_t uip_reads;  /* status A reads that still see UIP */
	uint32_t reads;      /* register reads so far */
	uint32_t tick_at;    /* advance one second at this read (0: never) */
	uint32_t tick_every; /* and every this many reads after (0: once) */
	bool raw;            /* answer regs[] as they are */
	uint8_t regs[128];
};

static uint8_t enc(const struct model *m, int v)
{
	return m->binary ? (uint8_t)v : (uint8_t)((v / 10) << 4 | v % 10);
}

static uint8_t model_read(void *ctx, uint8_t reg)
{
	struct model *m = ctx;
	struct tm tm;
	m->reads++;
	if (m->tick_at && m->reads == m->tick_at) {
		m->now++;
		m->tick_at = m->tick_every ? m->tick_at + m->tick_every : 0;
	}
	if (m->raw)
		return m->regs[reg];
	if (reg == RTC_REG_A) {
		if (m->uip_reads) {
			m->uip_reads--;
			return 0x26 | RTC_A_UIP;
		}
		return 0x26;
	}
	gmtime_r(&m->now, &tm);
	int hour = tm.tm_hour;
	if (m->h12 && reg == RTC_REG_HOUR) {
		int h = hour % 12 ? hour % 12 : 12;
		return (uint8_t)(enc(m, h) | (hour >= 12 ? 0x80 : 0));
	}
	switch (reg) {
	case RTC_REG_SEC:
		return enc(m, tm.tm_sec);
	case RTC_REG_MIN:
		return enc(m, tm.tm_min);
	case RTC_REG_HOUR:
		return enc(m, hour);
	case RTC_REG_DAY:
		return enc(m, tm.tm_mday);
	case RTC_REG_MONTH:
		return enc(m, tm.tm_mon + 1);
	case RTC_REG_YEAR:
		return enc(m, (tm.tm_year + 1900) % 100);
	case RTC_REG_B:
		return (uint8_t)((m->binary ? 0x04 : 0) | (m->h12 ? 0 : 0x02));
	default:
		return reg == m->century_reg ? enc(m, (tm.tm_year + 1900) / 100) : 0x5a;
	}
}

static time_t utc(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm = { .tm_year = y - 1900,
			 .tm_mon = mo - 1,
			 .tm_mday = d,
			 .tm_hour = h,
			 .tm_min = mi,
			 .tm_sec = s };
	return timegm(&tm);
}

/* Reads and decodes the model's clock. */
static status_t read_model(struct model *m, uint8_t century_reg, int64_t *s)
{
	struct rtc_regs r;
	status_t st = rtc_read(model_read, m, century_reg, &r);
	return st ? st : rtc_decode(&r, s);
}

TEST(bcd_24_hour_with_the_fadt_century_register)
{
	struct model m = { .now = utc(2026, 12, 4, 10, 0, 0), .century_reg = 0x32 };
	int64_t s;
	CHECK_EQ(read_model(&m, 0x32, &s), STATUS_OK);
	CHECK_EQ(s, utc(2026, 12, 4, 10, 0, 0));
	CHECK_EQ(s, 1796378400);
}

TEST(binary_12_hour_afternoon_and_midnight)
{
	struct model m = { .now = utc(2031, 7, 15, 23, 59, 58),
			   .binary = true,
			   .h12 = true,
			   .century_reg = 0x32 };
	int64_t s;
	CHECK_EQ(read_model(&m, 0x32, &s), STATUS_OK);
	CHECK_EQ(s, utc(2031, 7, 15, 23, 59, 58));
	m.now = utc(2031, 7, 16, 0, 0, 5); /* 12 AM */
	CHECK_EQ(read_model(&m, 0x32, &s), STATUS_OK);
	CHECK_EQ(s, utc(2031, 7, 16, 0, 0, 5));
}

TEST(bcd_12_hour_noon_and_evening)
{
	struct model m = { .now = utc(2028, 2, 29, 12, 30, 0), .h12 = true };
	int64_t s;
	CHECK_EQ(read_model(&m, 0, &s), STATUS_OK);
	CHECK_EQ(s, utc(2028, 2, 29, 12, 30, 0));
	m.now = utc(2028, 2, 29, 19, 45, 9);
	CHECK_EQ(read_model(&m, 0, &s), STATUS_OK);
	CHECK_EQ(s, utc(2028, 2, 29, 19, 45, 9));
}

TEST(without_a_century_register_the_year_is_in_this_century)
{
	struct model m = { .now = utc(2099, 12, 31, 23, 59, 59) };
	int64_t s;
	CHECK_EQ(read_model(&m, 0, &s), STATUS_OK);
	CHECK_EQ(s, utc(2099, 12, 31, 23, 59, 59));
	/* An index naming a clock register (or beyond CMOS) is not a century. */
	m.reads = 0;
	CHECK_EQ(read_model(&m, RTC_REG_HOUR, &s), STATUS_OK);
	CHECK_EQ(s, utc(2099, 12, 31, 23, 59, 59));
	CHECK_EQ(read_model(&m, 0x80, &s), STATUS_OK);
	CHECK_EQ(s, utc(2099, 12, 31, 23, 59, 59));
}

TEST(the_century_register_counts)
{
	struct model m = { .now = utc(2126, 3, 1, 8, 0, 0), .century_reg = 0x48 };
	int64_t s;
	CHECK_EQ(read_model(&m, 0x48, &s), STATUS_OK);
	CHECK_EQ(s, utc(2126, 3, 1, 8, 0, 0));
	m.now = utc(1999, 12, 31, 23, 0, 0); /* a real date, but before Keel */
	CHECK_EQ(read_model(&m, 0x48, &s), STATUS_RANGE);
	m.now = utc(2200, 1, 1, 0, 0, 0);
	CHECK_EQ(read_model(&m, 0x48, &s), STATUS_RANGE);
}

TEST(a_flat_battery_date_is_refused)
{
	struct model m = { .now = utc(2000, 1, 1, 0, 0, 12) };
	int64_t s;
	CHECK_EQ(read_model(&m, 0, &s), STATUS_RANGE);
	m.now = utc(2019, 12, 31, 23, 59, 59);
	CHECK_EQ(read_model(&m, 0, &s), STATUS_RANGE);
	m.now = utc(2020, 1, 1, 0, 0, 0);
	CHECK_EQ(read_model(&m, 0, &s), STATUS_OK);
}

TEST(an_update_in_progress_is_waited_out)
{
	struct model m = { .now = utc(2026, 12, 4, 10, 0, 0), .uip_reads = 1000 };
	int64_t s;
	CHECK_EQ(read_model(&m, 0, &s), STATUS_OK);
	CHECK_EQ(s, utc(2026, 12, 4, 10, 0, 0));
	CHECK_EQ(m.uip_reads, 0);
}

TEST(a_second_ticking_over_mid_read_is_never_mixed)
{
	/* 10:59:59 becomes 11:00:00 after the first pass has read the seconds
	 * and minutes but not the hour: that pass says 11:59:59. */
	for (uint32_t at = 1; at < 40; at++) {
		struct model m = { .now = utc(2026, 12, 31, 23, 59, 59), .tick_at = at };
		int64_t s;
		CHECK_EQ(read_model(&m, 0, &s), STATUS_OK);
		CHECK(s == utc(2026, 12, 31, 23, 59, 59) || s == utc(2027, 1, 1, 0, 0, 0));
	}
}

TEST(a_clock_that_never_settles_or_stays_in_update_times_out)
{
	struct model stuck = { .now = utc(2026, 12, 4, 10, 0, 0), .uip_reads = 0xffffffffu };
	struct model ticking = { .now = utc(2026, 12, 4, 10, 0, 0), .tick_at = 3, .tick_every = 8 };
	struct rtc_regs r;
	CHECK_EQ(rtc_read(model_read, &stuck, 0, &r), STATUS_TIMEOUT);
	CHECK_EQ(stuck.reads, RTC_UIP_POLLS);
	CHECK_EQ(rtc_read(model_read, &ticking, 0, &r), STATUS_TIMEOUT);
}

TEST(garbage_is_refused)
{
	struct model m = { .raw = true };
	struct rtc_regs r;
	int64_t s;
	memset(m.regs, 0xff, sizeof m.regs); /* no RTC: the bus floats */
	CHECK_EQ(rtc_read(model_read, &m, 0, &r), STATUS_TIMEOUT);
	memset(m.regs, 0, sizeof m.regs); /* day 0, month 0 */
	CHECK_EQ(read_model(&m, 0, &s), STATUS_BAD_FORMAT);
	m.regs[RTC_REG_B] = 0x02;
	m.regs[RTC_REG_DAY] = 0x31, m.regs[RTC_REG_MONTH] = 0x04, m.regs[RTC_REG_YEAR] = 0x26;
	CHECK_EQ(read_model(&m, 0, &s), STATUS_BAD_FORMAT); /* 31 April */
	m.regs[RTC_REG_DAY] = 0x30, m.regs[RTC_REG_SEC] = 0x6a;
	CHECK_EQ(read_model(&m, 0, &s), STATUS_BAD_FORMAT); /* not a BCD digit */
	m.regs[RTC_REG_SEC] = 0x60;
	CHECK_EQ(read_model(&m, 0, &s), STATUS_BAD_FORMAT); /* second 60 */
	m.regs[RTC_REG_SEC] = 0x59, m.regs[RTC_REG_HOUR] = 0x24;
	CHECK_EQ(read_model(&m, 0, &s), STATUS_BAD_FORMAT); /* hour 24 */
	m.regs[RTC_REG_HOUR] = 0x23;
	CHECK_EQ(read_model(&m, 0, &s), STATUS_OK);
	CHECK_EQ(s, utc(2026, 4, 30, 23, 0, 59));
}

TEST(mutated_registers_decode_to_a_plausible_time_or_an_error)
{
	static const uint8_t good[] = {
		[RTC_REG_SEC] = 0x59, [RTC_REG_MIN] = 0x07,   [RTC_REG_HOUR] = 0x13,
		[RTC_REG_DAY] = 0x28, [RTC_REG_MONTH] = 0x02, [RTC_REG_YEAR] = 0x27,
		[RTC_REG_A] = 0x26,   [RTC_REG_B] = 0x02
	};
	struct model m = { .raw = true };
	uint32_t ok = 0, refused = 0;
	srand(14);
	for (int i = 0; i < 200000; i++) {
		int64_t s = -1;
		memset(m.regs, 0, sizeof m.regs);
		memcpy(m.regs, good, sizeof good);
		m.regs[0x32] = 0x20;
		for (int k = rand() % 4; k > 0; k--)
			m.regs[(int[]){ 0, 2, 4, 7, 8, 9, 0x0b, 0x32 }[rand() % 8]] ^=
				(uint8_t)(1u << rand() % 8);
		status_t st = read_model(&m, 0x32, &s);
		CHECK(st == STATUS_OK || st == STATUS_BAD_FORMAT || st == STATUS_RANGE);
		if (st == STATUS_OK) {
			ok++;
			CHECK(s >= utc(2020, 1, 1, 0, 0, 0) && s < utc(2200, 1, 1, 0, 0, 0));
		} else {
			refused++;
		}
	}
	CHECK(ok > 1000 && refused > 1000); /* both kinds were seen */
}

int main(void)
{
	RUN(bcd_24_hour_with_the_fadt_century_register);
	RUN(binary_12_hour_afternoon_and_midnight);
	RUN(bcd_12_hour_noon_and_evening);
	RUN(without_a_century_register_the_year_is_in_this_century);
	RUN(the_century_register_counts);
	RUN(a_flat_battery_date_is_refused);
	RUN(an_update_in_progress_is_waited_out);
	RUN(a_second_ticking_over_mid_read_is_never_mixed);
	RUN(a_clock_that_never_settles_or_stays_in_update_times_out);
	RUN(garbage_is_refused);
	RUN(mutated_registers_decode_to_a_plausible_time_or_an_error);
	return check_summary();
}
