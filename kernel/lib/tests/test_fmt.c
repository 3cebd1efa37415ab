/* Host tests for the kernel's formatting engine, checked against C's snprintf. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>

#include "check.h"
#include "lib/fmt.h"

/* Formats with both engines and fails the test if they differ. */
#define SAME(...)                                                                                  \
	do {                                                                                       \
		char want_[256], got_[256];                                                        \
		int wn_ = snprintf(want_, sizeof want_, __VA_ARGS__);                              \
		size_t gn_ = fmt_snprintf(got_, sizeof got_, __VA_ARGS__);                         \
		CHECK_STR(got_, want_);                                                            \
		CHECK_EQ(gn_, wn_);                                                                \
	} while (0)

TEST(integers_match_c)
{
	SAME("%d %i %u", 0, -1, 42u);
	SAME("%d %d", INT_MAX, INT_MIN);
	SAME("%ld %lu", LONG_MIN, ULONG_MAX);
	SAME("%lld %llu", LLONG_MIN, ULLONG_MAX);
	SAME("%hd %hhd %hu %hhu", 70000, 300, 70000, 300);
	SAME("%zu %zx", (size_t)123456789, (size_t)0xabcdef);
	SAME("%x %X %o", 0xdeadbeefu, 0xdeadbeefu, 0755u);
	SAME("%#x %#X %#o %#x %#o", 255u, 255u, 8u, 0u, 0u);
}

TEST(width_precision_flags_match_c)
{
	SAME("[%5d] [%-5d] [%05d] [%+d] [% d]", 42, 42, 42, 42, 42);
	SAME("[%5d] [%-5d] [%05d] [%+d] [% d]", -42, -42, -42, -42, -42);
	SAME("[%.3d] [%8.3d] [%-8.3d] [%08.3d]", 7, -7, 7, 7);
	SAME("[%.0d] [%.0x] [%5.0d]", 0, 0u, 0);
	SAME("[%016lx] [%#018lx]", 0x1234UL, 0x1234UL);
	SAME("[%*d] [%-*d] [%.*d]", 6, 1, 6, 1, 4, 1);
	SAME("[%*d]", -6, 1);
}

TEST(strings_and_chars_match_c)
{
	SAME("[%s] [%10s] [%-10s] [%.2s] [%c%c]", "keel", "keel", "keel", "keel", 'o', 'k');
	SAME("[%.*s]", 3, "abcdef");
	SAME("100%% done");
	SAME("%s", "");
}

TEST(pointer_is_hex_with_prefix)
{
	char got[64];
	fmt_snprintf(got, sizeof got, "%p", (void *)0xffffffff80001000ULL);
	CHECK_STR(got, "0xffffffff80001000");
}

TEST(null_string_prints_placeholder)
{
	char got[32];
	const char *nothing = NULL;
	fmt_snprintf(got, sizeof got, "[%s]", nothing);
	CHECK_STR(got, "[(null)]");
}

TEST(truncation_terminates_and_reports_full_length)
{
	char got[8];
	size_t n = fmt_snprintf(got, sizeof got, "%s-%d", "abcdef", 12345);
	CHECK_EQ(n, 12);
	CHECK_STR(got, "abcdef-");
	char one[1] = { 'x' };
	CHECK_EQ(fmt_snprintf(one, 1, "abc"), 3);
	CHECK_EQ(one[0], '\0');
	CHECK_EQ(fmt_snprintf(NULL, 0, "%d", 1000), 4);
}

TEST(unknown_conversion_is_visible)
{
	char got[32];
	fmt_snprintf(got, sizeof got, "a%qb");
	CHECK_STR(got, "a%qb");
	fmt_snprintf(got, sizeof got, "end%");
	CHECK_STR(got, "end");
}

int main(void)
{
	RUN(integers_match_c);
	RUN(width_precision_flags_match_c);
	RUN(strings_and_chars_match_c);
	RUN(pointer_is_hex_with_prefix);
	RUN(null_string_prints_placeholder);
	RUN(truncation_terminates_and_reports_full_length);
	RUN(unknown_conversion_is_visible);
	return check_summary();
}
