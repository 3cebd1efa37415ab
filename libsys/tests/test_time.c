/* Host tests for monotonic/wall-clock time and RTC decoding. */
#include "check.h"
#include "keel/time.h"

static uint64_t fake_now;

static uint64_t fake_clock(void *ctx)
{
	(void)ctx;
	return fake_now;
}

TEST(an_unset_clock_says_so)
{
	struct wallclock c;
	struct wall_time t;
	fake_now = 5000;
	wallclock_init(&c, fake_clock, NULL);
	wallclock_read(&c, &t);
	CHECK_EQ(t.confidence, TIME_UNKNOWN);
	CHECK_EQ(t.unix_ns, 5000);
}

TEST(wall_time_follows_monotonic_time_after_set)
{
	struct wallclock c;
	struct wall_time t;
	fake_now = 1000000000;
	wallclock_init(&c, fake_clock, NULL);
	CHECK_EQ(wallclock_set(&c, 1700000000ll * 1000000000ll, TIME_NETWORK, 2000000), STATUS_OK);
	fake_now += 1500000000;
	wallclock_read(&c, &t);
	CHECK_EQ(t.unix_ns, 1700000001500000000ll);
	CHECK_EQ(t.confidence, TIME_NETWORK);
	CHECK_EQ(t.error_ns, 2000000);
	CHECK_EQ(wallclock_set(&c, 0, TIME_UNKNOWN, 0), STATUS_INVALID);
}

TEST(an_rtc_clock_is_trusted_to_a_second_plus_drift)
{
	struct wallclock c;
	struct wall_time t;
	fake_now = 0;
	wallclock_init(&c, fake_clock, NULL);
	CHECK_EQ(wallclock_set(&c, 0, TIME_RTC, 0), STATUS_OK);
	fake_now = 10ull * 1000000000ull; /* 10 s later: 1 ms of possible drift */
	wallclock_read(&c, &t);
	CHECK_EQ(t.error_ns, 1000000000ull + 1000000ull);
}

TEST(rtc_bcd_24h_decodes)
{
	/* 2026-11-27 15:39:56, BCD, 24-hour. */
	struct rtc_regs r = { 0x56, 0x39, 0x15, 0x27, 0x11, 0x26, 0x20, 0x02 };
	int64_t s;
	CHECK_EQ(rtc_to_unix(&r, &s), STATUS_OK);
	CHECK_EQ(s, 1795793996);
}

TEST(rtc_binary_12h_decodes)
{
	/* 2000-02-29 12:00:00 noon and midnight, binary, 12-hour. */
	struct rtc_regs r = { 0, 0, 12 | 0x80, 29, 2, 0, 20, 0x04 };
	int64_t s;
	CHECK_EQ(rtc_to_unix(&r, &s), STATUS_OK);
	CHECK_EQ(s, 951825600);
	r.hour = 12; /* 12 AM */
	CHECK_EQ(rtc_to_unix(&r, &s), STATUS_OK);
	CHECK_EQ(s, 951782400);
}

TEST(impossible_rtc_values_are_refused)
{
	int64_t s;
	struct rtc_regs bad_bcd = { 0x5a, 0, 0, 1, 1, 0x26, 0x20, 0x02 };
	CHECK_EQ(rtc_to_unix(&bad_bcd, &s), STATUS_BAD_FORMAT);
	struct rtc_regs feb30 = { 0, 0, 0, 0x30, 0x02, 0x26, 0x20, 0x02 };
	CHECK_EQ(rtc_to_unix(&feb30, &s), STATUS_BAD_FORMAT);
	struct rtc_regs month13 = { 0, 0, 0, 1, 13, 26, 20, 0x06 };
	CHECK_EQ(rtc_to_unix(&month13, &s), STATUS_BAD_FORMAT);
	struct rtc_regs hour0_12h = { 0, 0, 0, 1, 1, 26, 20, 0x04 };
	CHECK_EQ(rtc_to_unix(&hour0_12h, &s), STATUS_BAD_FORMAT);
	struct rtc_regs before1970 = { 0, 0, 0, 1, 1, 0x69, 0x19, 0x02 };
	CHECK_EQ(rtc_to_unix(&before1970, &s), STATUS_BAD_FORMAT);
}

TEST(the_start_page_offset_sets_the_clock)
{
	struct keel_start s = { .size = sizeof s, .wall_offset_ns = 1796378400ll * 1000000000ll };
	struct wallclock c;
	struct wall_time t;
	fake_now = 3000000000ull;
	wallclock_init(&c, fake_clock, NULL);
	CHECK_EQ(wallclock_from_start(&c, &s), STATUS_OK);
	wallclock_read(&c, &t);
	CHECK_EQ(t.confidence, TIME_RTC);
	CHECK_EQ(t.unix_ns, 1796378403ll * 1000000000ll);
	CHECK(t.error_ns >= 1000000000ull);
}

TEST(no_offset_or_an_older_start_page_is_unknown)
{
	struct keel_start s = { .size = sizeof s };
	struct wallclock c;
	wallclock_init(&c, fake_clock, NULL);
	CHECK_EQ(wallclock_from_start(&c, &s), STATUS_NOT_FOUND);
	CHECK_EQ(c.confidence, TIME_UNKNOWN);
	s.wall_offset_ns = 42;
	CHECK_EQ(keel_start_wall_offset(&s), 42);
	s.size = offsetof(struct keel_start, wall_offset_ns); /* written before the field */
	CHECK_EQ(keel_start_wall_offset(&s), 0);
	CHECK_EQ(wallclock_from_start(&c, &s), STATUS_NOT_FOUND);
}

int main(void)
{
	RUN(an_unset_clock_says_so);
	RUN(wall_time_follows_monotonic_time_after_set);
	RUN(an_rtc_clock_is_trusted_to_a_second_plus_drift);
	RUN(rtc_bcd_24h_decodes);
	RUN(rtc_binary_12h_decodes);
	RUN(impossible_rtc_values_are_refused);
	RUN(the_start_page_offset_sets_the_clock);
	RUN(no_offset_or_an_older_start_page_is_unknown);
	return check_summary();
}
