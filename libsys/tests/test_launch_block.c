/* Host tests of the launch protocol's argument block and start page
 * (launch_block.c): round trips, limits, and every malformed block. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "keel/launch.h"

static char buf[LAUNCH_BLOCK_MAX + 64];

TEST(round_trip)
{
	char *argv[] = { "ls", "-l", "", "a b", NULL }, *envp[] = { "HOME=/", NULL };
	size_t n = launch_block_build(buf, sizeof buf, argv, envp, "/home", NULL);
	struct launch_args a;
	CHECK(n == launch_block_build(NULL, 0, argv, envp, "/home", NULL));
	CHECK(launch_block_parse(buf, n, &a) == STATUS_OK);
	CHECK_EQ(a.argc, 4);
	CHECK_EQ(a.envc, 1);
	const char *p = a.strings;
	CHECK_STR(p, "ls");
	p = launch_next(launch_next(p));
	CHECK_STR(p, ""); /* an empty argument survives */
	p = launch_next(launch_next(p));
	CHECK_STR(p, "HOME=/");
	CHECK_STR(a.cwd, "/home");
	CHECK_STR(a.devices, "");
}

TEST(devices)
{
	char *argv[] = { "ls", NULL };
	size_t n = launch_block_build(buf, sizeof buf, argv, NULL, "/w", "1=null 2=zero");
	struct launch_args a;
	CHECK(n == launch_block_build(NULL, 0, argv, NULL, "/w", "1=null 2=zero"));
	CHECK(launch_block_parse(buf, n, &a) == STATUS_OK);
	CHECK_EQ(a.argc, 1);
	CHECK_STR(a.cwd, "/w");
	CHECK_STR(a.devices, "1=null 2=zero");
	buf[n - 1] = 'x'; /* the devices string unterminated */
	CHECK(launch_block_parse(buf, n, &a) == STATUS_BAD_FORMAT);
	n = launch_block_build(buf, sizeof buf, argv, NULL, "/w", "");
	CHECK(launch_block_parse(buf, n, &a) == STATUS_OK);
	CHECK_STR(a.devices, "");
	CHECK(launch_block_parse(buf, n - 1, &a) == STATUS_BAD_FORMAT); /* no devices string */
}

TEST(empty_and_defaults)
{
	size_t n = launch_block_build(buf, sizeof buf, NULL, NULL, NULL, NULL);
	struct launch_args a;
	CHECK(launch_block_parse(buf, n, &a) == STATUS_OK);
	CHECK(a.argc == 0 && a.envc == 0);
	CHECK_STR(a.cwd, "/");
}

TEST(limits)
{
	static char big[LAUNCH_BLOCK_MAX];
	memset(big, 'x', sizeof big - 1);
	char *argv[] = { big, NULL };
	CHECK(launch_block_build(NULL, 0, argv, NULL, "/", NULL) == 0);
	char *small[] = { "a", NULL };
	CHECK(launch_block_build(buf, 8, small, NULL, "/", NULL) == 0); /* does not fit */
}

TEST(malformed)
{
	char *argv[] = { "a", "bc", NULL };
	size_t n = launch_block_build(buf, sizeof buf, argv, NULL, "/", NULL);
	struct launch_args a;
	CHECK(launch_block_parse(buf, n - 1, &a) == STATUS_BAD_FORMAT); /* length mismatch */
	CHECK(launch_block_parse(buf, 3, &a) == STATUS_BAD_FORMAT);
	buf[n - 1] = 'x'; /* the last string unterminated */
	CHECK(launch_block_parse(buf, n, &a) == STATUS_BAD_FORMAT);
	n = launch_block_build(buf, sizeof buf, argv, NULL, "/", NULL);
	buf[8] = 9; /* more strings than there are */
	CHECK(launch_block_parse(buf, n, &a) == STATUS_BAD_FORMAT);
	n = launch_block_build(buf, sizeof buf, argv, NULL, "/", NULL);
	buf[8] = 1; /* fewer: bytes are left over */
	CHECK(launch_block_parse(buf, n, &a) == STATUS_BAD_FORMAT);
	n = launch_block_build(buf, sizeof buf, argv, NULL, "/", NULL);
	buf[0] ^= 1;
	CHECK(launch_block_parse(buf, n, &a) == STATUS_BAD_FORMAT);
	n = launch_block_build(buf, sizeof buf, argv, NULL, "/", NULL);
	memset(buf + 8, 0xff, 8); /* huge counts */
	CHECK(launch_block_parse(buf, n, &a) == STATUS_BAD_FORMAT);
}

TEST(start_page_names)
{
	static struct keel_start s;
	s.arg = LAUNCH_START_MAGIC | 3;
	s.caps[1] = 11, s.caps[2] = 12, s.caps[3] = 13;
	strcpy(s.cmdline, "tty root launch");
	CHECK(launch_started(&s));
	CHECK_EQ(launch_cap(&s, "tty"), 11);
	CHECK_EQ(launch_cap(&s, "launch"), 13);
	CHECK_EQ(launch_cap(&s, "roo"), CAP_HANDLE_NONE);
	CHECK_EQ(launch_cap(&s, ""), CAP_HANDLE_NONE);
	memset(s.cmdline, 'a', sizeof s.cmdline); /* unterminated */
	CHECK_EQ(launch_cap(&s, "tty"), CAP_HANDLE_NONE);
	s.arg = 50; /* a service's heartbeat */
	strcpy(s.cmdline, "tty");
	CHECK(!launch_started(&s));
	CHECK_EQ(launch_cap(&s, "tty"), CAP_HANDLE_NONE);
}

int main(void)
{
	RUN(round_trip);
	RUN(devices);
	RUN(empty_and_defaults);
	RUN(limits);
	RUN(malformed);
	RUN(start_page_names);
	return check_summary();
}
