/*
 * check.h - the unit-test harness for Keel's host tests.
 *
 * One test program is one translation unit that includes this header,
 * defines its tests with TEST(name) and lists them in main() with RUN(name).
 * A test fails on its first failed CHECK; the rest of it is skipped.
 * check_summary() prints "N passed, N failed" as the last line and returns
 * the exit status, which is non-zero when anything failed.
 */
#ifndef KEEL_TESTS_CHECK_H
#define KEEL_TESTS_CHECK_H

#include <setjmp.h>
#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;
static jmp_buf check_abort;

/* Not inlined into the caller of RUN: its setjmp must not make the test's
 * locals look clobbered. */
#define TEST(name) static __attribute__((noinline)) void name(void)

#define CHECK_FAIL(...)                                                                            \
	do {                                                                                       \
		printf("FAIL %s:%d: ", __FILE__, __LINE__);                                        \
		printf(__VA_ARGS__);                                                               \
		printf("\n");                                                                      \
		longjmp(check_abort, 1);                                                           \
	} while (0)

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			CHECK_FAIL("%s", #cond);                                                   \
	} while (0)

#define CHECK_EQ(a, b)                                                                             \
	do {                                                                                       \
		long long check_a_ = (long long)(a);                                               \
		long long check_b_ = (long long)(b);                                               \
		if (check_a_ != check_b_)                                                          \
			CHECK_FAIL("%s == %s (%lld != %lld)", #a, #b, check_a_, check_b_);         \
	} while (0)

#define CHECK_STR(a, b)                                                                            \
	do {                                                                                       \
		const char *check_a_ = (a), *check_b_ = (b);                                       \
		if (strcmp(check_a_, check_b_) != 0)                                               \
			CHECK_FAIL("%s == %s (\"%s\" != \"%s\")", #a, #b, check_a_, check_b_);     \
	} while (0)

#define RUN(name)                                                                                  \
	do {                                                                                       \
		if (setjmp(check_abort) == 0) {                                                    \
			name();                                                                    \
			check_passed++;                                                            \
			printf("PASS %s\n", #name);                                                \
		} else {                                                                           \
			check_failed++;                                                            \
			printf("FAIL %s\n", #name);                                                \
		}                                                                                  \
	} while (0)

static inline int check_summary(void)
{
	printf("%d passed, %d failed\n", check_passed, check_failed);
	return check_failed ? 1 : 0;
}

#endif
