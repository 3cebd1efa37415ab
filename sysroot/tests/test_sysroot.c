/*
 * test_sysroot.c - checks the sysroot's C library against musl's.
 *
 * The sysroot is built for the host with every function renamed keel_f
 * (rename.h); each test calls keel_f and musl's f on the same inputs and
 * requires the same results, over hand-picked edge cases and many
 * pseudo-random inputs from a fixed seed.
 */
#define _POSIX_C_SOURCE 200809L /* for musl's strnlen */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#define KEEL_RENAME_DECLARE
#include "rename.h"

#define keel_errno (*__keel_errno())

static unsigned long long rng_state = 0x9e3779b97f4a7c15ull;

/* xorshift64: deterministic, so a failure reproduces. */
static unsigned long long rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static unsigned rng_below(unsigned n)
{
	return (unsigned)(rng() % n);
}

/* Fills s with len random bytes from alphabet, then a NUL. */
static void random_string(char *s, size_t len, const char *alphabet)
{
	size_t k = strlen(alphabet);
	for (size_t i = 0; i < len; i++)
		s[i] = alphabet[rng_below((unsigned)k)];
	s[len] = '\0';
}

/* ---------------------------------------------------------------- strto* */

/* Runs all four strto* functions of both libraries on s in base and compares value, end and errno. */
static int strto_agree(const char *s, int base)
{
	char *e1, *e2;
	int err1, err2;

#define COMPARE(f)                                                              \
	do {                                                                     \
		errno = 0;                                                       \
		keel_errno = 0;                                                  \
		__typeof__(f(s, &e1, base)) v1 = f(s, &e1, base);                \
		err1 = errno;                                                    \
		if (err1 == EINVAL && e1 == s && base >= 0 && base <= 36 &&      \
		    base != 1)                                                   \
			err1 = 0; /* musl's optional "no digits" EINVAL */       \
		__typeof__(v1) v2 = keel_##f(s, &e2, base);                      \
		err2 = keel_errno;                                               \
		if (v1 != v2 || err1 != err2 || (err1 != EINVAL && e1 != e2)) {  \
			printf("%s(\"%s\", %d): musl %lld end %td errno %d, "    \
			       "keel %lld end %td errno %d\n", #f, s, base,       \
			       (long long)v1, e1 - s, err1, (long long)v2,        \
			       e2 - s, err2);                                     \
			return 0;                                                \
		}                                                                \
	} while (0)

	COMPARE(strtol);
	COMPARE(strtoll);
	COMPARE(strtoul);
	COMPARE(strtoull);
#undef COMPARE
	return 1;
}

static const char *const strto_cases[] = {
	"", " ", "+", "-", "0", "-0", "+0", "00", "0x", "0X", "0x1g", "0xg",
	"  \t\n\v\f\r42", "42abc", "  -17 ", "+-1", "-+1", "0b101", "0x7fffffffffffffff",
	"9223372036854775807", "9223372036854775808", "-9223372036854775808",
	"-9223372036854775809", "18446744073709551615", "18446744073709551616",
	"-18446744073709551615", "-18446744073709551616", "99999999999999999999999",
	"-99999999999999999999999", "0xffffffffffffffff", "0x10000000000000000",
	"-0x8000000000000000", "-0x8000000000000001", "0777", "08", "0x-1", "z", "Z",
	"zzzzzzzzzzzzzz", "1e10", "\x80" "1", "07777777777777777777777", "1777777777777777777777",
	"2000000000000000000000", "1111111111111111111111111111111111111111111111111111111111111111",
	"10000000000000000000000000000000000000000000000000000000000000000",
};

TEST(strto_edge_cases_match_musl)
{
	static const int bases[] = { 0, 2, 8, 10, 16, 36, 1, 37, -1 };
	for (size_t i = 0; i < sizeof strto_cases / sizeof *strto_cases; i++)
		for (size_t b = 0; b < sizeof bases / sizeof *bases; b++)
			CHECK(strto_agree(strto_cases[i], bases[b]));
}

TEST(strto_random_strings_match_musl)
{
	char s[40];
	for (int i = 0; i < 200000; i++) {
		int base = rng_below(4) == 0 ? 0 : 2 + (int)rng_below(35);
		const char *alphabet = rng_below(2) ? "0123456789" : " \t+-0xX19afzAFZ.";
		random_string(s, rng_below(30), alphabet);
		CHECK(strto_agree(s, base));
	}
}

TEST(strto_overflow_sets_erange_and_limit)
{
	char *end;
	const char *s = "-9223372036854775809xyz";
	keel_errno = 0;
	CHECK(keel_strtol(s, &end, 10) == LONG_MIN);
	CHECK_EQ(keel_errno, ERANGE);
	CHECK_EQ(end - s, 20);
	keel_errno = 0;
	CHECK(keel_strtoul("18446744073709551616", NULL, 0) == ULONG_MAX);
	CHECK_EQ(keel_errno, ERANGE);
	keel_errno = 0;
	CHECK(keel_strtoul("-1", NULL, 0) == ULONG_MAX);
	CHECK_EQ(keel_errno, 0);
}

TEST(strto_without_digits_leaves_end_at_start)
{
	char *end;
	const char *s = "  -x";
	CHECK_EQ(keel_strtol(s, &end, 0), 0);
	CHECK(end == s);
	s = "0xz";
	CHECK_EQ(keel_strtol(s, &end, 16), 0);
	CHECK(end == s + 1);
	keel_errno = 0;
	CHECK_EQ(keel_strtoull("  +", &end, 10), 0);
	CHECK_EQ(keel_errno, 0); /* C sets no errno here; musl sets EINVAL */
}

TEST(strto_invalid_base_sets_einval)
{
	static const int bad[] = { -1, 1, 37, INT_MAX };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		keel_errno = 0;
		CHECK_EQ(keel_strtol("10", NULL, bad[i]), 0);
		CHECK_EQ(keel_errno, EINVAL);
	}
}

TEST(atoi_and_abs_match_musl)
{
	static const char *const cases[] = { "0", "-12", " +34x", "2147483647", "-2147483648", "" };
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		CHECK_EQ(keel_atoi(cases[i]), atoi(cases[i]));
		CHECK_EQ(keel_atol(cases[i]), atol(cases[i]));
		CHECK_EQ(keel_atoll(cases[i]), atoll(cases[i]));
	}
	CHECK_EQ(keel_abs(-5), 5);
	CHECK_EQ(keel_abs(INT_MAX), INT_MAX);
	CHECK_EQ(keel_labs(LONG_MIN + 1), LONG_MAX);
	CHECK_EQ(keel_llabs(-7), 7);
}

/* ---------------------------------------------------------------- ctype */

TEST(ctype_matches_musl_for_every_byte_and_eof)
{
	for (int c = EOF; c <= 255; c++) {
		CHECK_EQ(!!keel_isalnum(c), !!isalnum(c));
		CHECK_EQ(!!keel_isalpha(c), !!isalpha(c));
		CHECK_EQ(!!keel_isblank(c), !!isblank(c));
		CHECK_EQ(!!keel_iscntrl(c), !!iscntrl(c));
		CHECK_EQ(!!keel_isdigit(c), !!isdigit(c));
		CHECK_EQ(!!keel_isgraph(c), !!isgraph(c));
		CHECK_EQ(!!keel_islower(c), !!islower(c));
		CHECK_EQ(!!keel_isprint(c), !!isprint(c));
		CHECK_EQ(!!keel_ispunct(c), !!ispunct(c));
		CHECK_EQ(!!keel_isspace(c), !!isspace(c));
		CHECK_EQ(!!keel_isupper(c), !!isupper(c));
		CHECK_EQ(!!keel_isxdigit(c), !!isxdigit(c));
		CHECK_EQ(keel_tolower(c), tolower(c));
		CHECK_EQ(keel_toupper(c), toupper(c));
	}
}

/* ---------------------------------------------------------------- qsort */

static long compare_count;

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	compare_count++;
	return (x > y) - (x < y);
}

/* Orders fixed-size records by all their bytes, so equal means identical. */
static size_t record_size;

static int cmp_record(const void *a, const void *b)
{
	return memcmp(a, b, record_size);
}

enum shape { SHAPE_RANDOM, SHAPE_FEW_KEYS, SHAPE_SORTED, SHAPE_REVERSE, SHAPE_EQUAL };

static void fill_ints(int *v, size_t n, enum shape shape)
{
	for (size_t i = 0; i < n; i++) {
		switch (shape) {
		case SHAPE_RANDOM: v[i] = (int)rng(); break;
		case SHAPE_FEW_KEYS: v[i] = (int)rng_below(5) - 2; break;
		case SHAPE_SORTED: v[i] = (int)i; break;
		case SHAPE_REVERSE: v[i] = (int)(n - i); break;
		case SHAPE_EQUAL: v[i] = 7; break;
		}
	}
}

TEST(qsort_ints_match_musl_on_every_shape)
{
	static int a[3000], b[3000];
	for (int round = 0; round < 300; round++) {
		size_t n = round < 40 ? (size_t)round : rng_below(3000);
		enum shape shape = (enum shape)(round % 5);
		fill_ints(a, n, shape);
		memcpy(b, a, n * sizeof *a);
		qsort(a, n, sizeof *a, cmp_int);
		keel_qsort(b, n, sizeof *b, cmp_int);
		CHECK(memcmp(a, b, n * sizeof *a) == 0);
	}
}

TEST(qsort_records_of_odd_sizes_match_musl)
{
	static unsigned char a[500 * 37], b[500 * 37];
	static const size_t sizes[] = { 1, 2, 3, 5, 8, 12, 16, 37 };
	for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
		for (int round = 0; round < 20; round++) {
			size_t n = rng_below(500);
			record_size = sizes[s];
			for (size_t i = 0; i < n * record_size; i++)
				a[i] = (unsigned char)rng_below(3); /* many duplicates */
			memcpy(b, a, n * record_size);
			qsort(a, n, record_size, cmp_record);
			keel_qsort(b, n, record_size, cmp_record);
			CHECK(memcmp(a, b, n * record_size) == 0);
		}
	}
}

TEST(qsort_comparisons_stay_n_log_n_on_adversarial_shapes)
{
	static int v[20000];
	const size_t n = sizeof v / sizeof *v;
	for (enum shape shape = SHAPE_RANDOM; shape <= SHAPE_EQUAL; shape++) {
		fill_ints(v, n, shape);
		compare_count = 0;
		keel_qsort(v, n, sizeof *v, cmp_int);
		/* 2 n log2 n with n = 20000 is about 572000; quadratic would be 10^8. */
		CHECK(compare_count < 600000);
		for (size_t i = 1; i < n; i++)
			CHECK(v[i - 1] <= v[i]);
	}
}

TEST(bsearch_finds_present_keys_and_rejects_absent_ones)
{
	static int v[1000];
	for (int round = 0; round < 50; round++) {
		size_t n = rng_below(1000);
		for (size_t i = 0; i < n; i++)
			v[i] = (int)rng_below(2000) * 2; /* even values only */
		qsort(v, n, sizeof *v, cmp_int);
		for (int key = -2; key < 4002; key++) {
			int *k = keel_bsearch(&key, v, n, sizeof *v, cmp_int);
			int *m = bsearch(&key, v, n, sizeof *v, cmp_int);
			CHECK_EQ(k == NULL, m == NULL);
			if (k) {
				CHECK_EQ(*k, key);
				CHECK(k >= v && k < v + n);
			}
		}
	}
	int key = 1;
	CHECK(keel_bsearch(&key, v, 0, sizeof *v, cmp_int) == NULL);
}

/* ---------------------------------------------------------------- string */

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

TEST(string_search_and_compare_match_musl_on_random_buffers)
{
	char a[80], b[80], set[8];
	for (int round = 0; round < 100000; round++) {
		random_string(a, rng_below(60), "abc\x80\xff");
		random_string(b, rng_below(6), "abc\x80\xff");
		random_string(set, rng_below(4), "ab\x80");
		size_t n = rng_below(70);
		int c = "abc\x80\xff"[rng_below(5)] & 0xff;
		if (rng_below(8) == 0)
			c = 0;
		size_t alen = strlen(a);
		CHECK_EQ(keel_strlen(a), alen);
		CHECK_EQ(keel_strnlen(a, n), strnlen(a, n));
		CHECK_EQ(sign(keel_strcmp(a, b)), sign(strcmp(a, b)));
		CHECK_EQ(sign(keel_strncmp(a, b, n)), sign(strncmp(a, b, n)));
		CHECK_EQ(sign(keel_memcmp(a, b, n < 6 ? n : 6)), sign(memcmp(a, b, n < 6 ? n : 6)));
		CHECK(keel_memchr(a, c, alen) == memchr(a, c, alen));
		CHECK(keel_strchr(a, c) == strchr(a, c));
		CHECK(keel_strrchr(a, c) == strrchr(a, c));
		CHECK(keel_strstr(a, b) == strstr(a, b));
		CHECK_EQ(keel_strspn(a, set), strspn(a, set));
		CHECK_EQ(keel_strcspn(a, set), strcspn(a, set));
	}
	const char *hay = "abc";
	CHECK(keel_strstr(hay, "") == hay);
	CHECK(keel_strstr(hay, "bc") == hay + 1);
	CHECK(keel_strstr(hay, "abcd") == NULL);
}

TEST(string_copies_match_musl_byte_for_byte)
{
	char src[40], k[128], m[128];
	for (int round = 0; round < 50000; round++) {
		random_string(src, rng_below(30), "xyz");
		size_t n = rng_below(40);
		size_t pre = rng_below(20);
		memset(k, '#', sizeof k);
		memset(m, '#', sizeof m);
		random_string(k, pre, "pq");
		memcpy(m, k, pre + 1);
		switch (round % 4) {
		case 0: CHECK(keel_strcpy(k, src) == k); strcpy(m, src); break;
		case 1: CHECK(keel_strncpy(k, src, n) == k); strncpy(m, src, n); break;
		case 2: CHECK(keel_strcat(k, src) == k); strcat(m, src); break;
		case 3: CHECK(keel_strncat(k, src, n) == k); strncat(m, src, n); break;
		}
		CHECK(memcmp(k, m, sizeof k) == 0);
	}
}

TEST(memory_moves_match_musl_at_every_alignment_and_overlap)
{
	static unsigned char k[256], m[256];
	for (int round = 0; round < 100000; round++) {
		for (size_t i = 0; i < sizeof k; i++)
			k[i] = m[i] = (unsigned char)rng();
		size_t d = rng_below(128), s = rng_below(128), n = rng_below(128);
		int c = (int)rng_below(512) - 128;
		switch (round % 3) {
		case 0:
			if (d + n <= s || s + n <= d) {
				CHECK(keel_memcpy(k + d, k + s, n) == k + d);
				memcpy(m + d, m + s, n);
			}
			break;
		case 1:
			CHECK(keel_memmove(k + d, k + s, n) == k + d);
			memmove(m + d, m + s, n);
			break;
		case 2:
			CHECK(keel_memset(k + d, c, n) == k + d);
			memset(m + d, c, n);
			break;
		}
		CHECK(memcmp(k, m, sizeof k) == 0);
	}
}

/* ---------------------------------------------------------------- snprintf */

TEST(snprintf_matches_musl_on_integer_and_string_formats)
{
	static const char *const int_formats[] = {
		"%d", "%i", "%5d|", "%-5d|", "%05d", "%+d", "% d", "%.3d", "%.0d", "%8.3d",
		"%-+8d|", "%u", "%x", "%X", "%#x", "%#X", "%#o", "%o", "%#.0o", "%.0x",
		"%hhd", "%hhu", "%hd", "%hx", "[%*d]", "[%-*d]", "%#08x",
	};
	char k[64], m[64];
	int values[] = { 0, 1, -1, 42, -42, 255, 256, 65535, INT_MAX, INT_MIN };
	for (size_t f = 0; f < sizeof int_formats / sizeof *int_formats; f++) {
		for (int r = 0; r < 200; r++) {
			int v = r < 10 ? values[r] : (int)rng();
			int kl, ml;
			if (strchr(int_formats[f], '*')) {
				int w = (int)rng_below(21) - 10;
				kl = keel_snprintf(k, sizeof k, int_formats[f], w, v);
				ml = snprintf(m, sizeof m, int_formats[f], w, v);
			} else {
				kl = keel_snprintf(k, sizeof k, int_formats[f], v);
				ml = snprintf(m, sizeof m, int_formats[f], v);
			}
			CHECK_EQ(kl, ml);
			CHECK_STR(k, m);
		}
	}
	long long big[] = { LLONG_MIN, LLONG_MAX, -1, 0 };
	for (size_t i = 0; i < 4; i++) {
		CHECK_EQ(keel_snprintf(k, sizeof k, "%lld %llx %lu %zu %jd %td", big[i],
				       (unsigned long long)big[i], (unsigned long)big[i],
				       (size_t)big[i], (intmax_t)big[i], (ptrdiff_t)big[i]),
			 snprintf(m, sizeof m, "%lld %llx %lu %zu %jd %td", big[i],
				  (unsigned long long)big[i], (unsigned long)big[i],
				  (size_t)big[i], (intmax_t)big[i], (ptrdiff_t)big[i]));
		CHECK_STR(k, m);
	}
	CHECK_EQ(keel_snprintf(k, sizeof k, "%s|%.2s|%6s|%-6s|%c|%%|%5c|%.*s", "hey", "hey",
			       "hey", "hey", 'z', 'q', 1, "hey"),
		 snprintf(m, sizeof m, "%s|%.2s|%6s|%-6s|%c|%%|%5c|%.*s", "hey", "hey", "hey",
			  "hey", 'z', 'q', 1, "hey"));
	CHECK_STR(k, m);
	void *p = &big;
	CHECK_EQ(keel_snprintf(k, sizeof k, "%p", p), snprintf(m, sizeof m, "%p", p));
	CHECK_STR(k, m);
}

TEST(snprintf_truncates_like_musl_at_every_size)
{
	char k[32], m[32];
	for (size_t n = 0; n <= sizeof k; n++) {
		memset(k, '#', sizeof k);
		memset(m, '#', sizeof m);
		CHECK_EQ(keel_snprintf(k, n, "abc %d %s", -1234, "tail"),
			 snprintf(m, n, "abc %d %s", -1234, "tail"));
		CHECK(memcmp(k, m, sizeof k) == 0);
	}
	CHECK_EQ(keel_snprintf(NULL, 0, "%08x", 1u), 8);
}

int main(void)
{
	RUN(strto_edge_cases_match_musl);
	RUN(strto_random_strings_match_musl);
	RUN(strto_overflow_sets_erange_and_limit);
	RUN(strto_without_digits_leaves_end_at_start);
	RUN(strto_invalid_base_sets_einval);
	RUN(atoi_and_abs_match_musl);
	RUN(ctype_matches_musl_for_every_byte_and_eof);
	RUN(qsort_ints_match_musl_on_every_shape);
	RUN(qsort_records_of_odd_sizes_match_musl);
	RUN(qsort_comparisons_stay_n_log_n_on_adversarial_shapes);
	RUN(bsearch_finds_present_keys_and_rejects_absent_ones);
	RUN(string_search_and_compare_match_musl_on_random_buffers);
	RUN(string_copies_match_musl_byte_for_byte);
	RUN(memory_moves_match_musl_at_every_alignment_and_overlap);
	RUN(snprintf_matches_musl_on_integer_and_string_formats);
	RUN(snprintf_truncates_like_musl_at_every_size);
	return check_summary();
}
