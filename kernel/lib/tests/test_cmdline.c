/* Host tests for kernel command line lookup. */
#include "check.h"
#include "lib/cmdline.h"

TEST(finds_values_and_bare_keys)
{
	const char *c = "console=ttyS0 keel.test=fault  keel.bench";
	char v[32];
	CHECK_EQ(cmdline_get(c, "keel.test", v, sizeof v), STATUS_OK);
	CHECK_STR(v, "fault");
	CHECK_EQ(cmdline_get(c, "keel.bench", v, sizeof v), STATUS_OK);
	CHECK_STR(v, "");
	CHECK(cmdline_has(c, "console"));
	CHECK(cmdline_has(c, "keel.bench"));
}

TEST(prefix_of_a_key_does_not_match)
{
	const char *c = "keel.testing=1 keel.tes";
	char v[8];
	CHECK(!cmdline_has(c, "keel.test"));
	CHECK_EQ(cmdline_get(c, "keel.test", v, sizeof v), STATUS_NOT_FOUND);
	CHECK(!cmdline_has("", "keel.test"));
}

TEST(last_occurrence_wins)
{
	char v[8];
	CHECK_EQ(cmdline_get("a=1 a=2", "a", v, sizeof v), STATUS_OK);
	CHECK_STR(v, "2");
}

TEST(value_too_long_is_an_error)
{
	char v[4];
	CHECK_EQ(cmdline_get("k=abcd", "k", v, sizeof v), STATUS_RANGE);
	CHECK_EQ(cmdline_get("k=abc", "k", v, sizeof v), STATUS_OK);
	CHECK_STR(v, "abc");
}

int main(void)
{
	RUN(finds_values_and_bare_keys);
	RUN(prefix_of_a_key_does_not_match);
	RUN(last_occurrence_wins);
	RUN(value_too_long_is_an_error);
	return check_summary();
}
