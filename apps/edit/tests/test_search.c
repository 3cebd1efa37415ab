/*
 * test_search.c - plain and regular-expression search in both directions,
 * wrapping, case folding, and replacement templates.
 */
#include <stdlib.h>
#include <string.h>

#include "../buf.h"
#include "../search.h"
#include "check.h"

static const char sample[] = "alpha beta\nGamma alpha\n\nbeta alphabet\n";

static void load(struct buf *b)
{
	buf_init(b);
	buf_insert(b, 0, sample, sizeof sample - 1);
}

TEST(plain_search_forward_and_backward)
{
	struct buf b;
	struct search s;
	struct search_match m;

	load(&b);
	search_init(&s);
	CHECK_EQ(search_set(&s, "alpha", 5, false, false), STATUS_OK);
	CHECK_EQ(search_find(&s, &b, 0, false, false, &m), STATUS_OK);
	CHECK_EQ(m.start, 0);
	CHECK_EQ(m.len, 5);
	CHECK_EQ(search_find(&s, &b, 1, false, false, &m), STATUS_OK);
	CHECK_EQ(m.start, 17);
	CHECK_EQ(search_find(&s, &b, 18, false, false, &m), STATUS_OK);
	CHECK_EQ(m.start, 29);
	CHECK_EQ(search_find(&s, &b, 30, false, false, &m), STATUS_NOT_FOUND);
	CHECK_EQ(search_find(&s, &b, 30, false, true, &m), STATUS_OK);
	CHECK_EQ(m.start, 0);
	CHECK_EQ(search_find(&s, &b, 29, true, false, &m), STATUS_OK);
	CHECK_EQ(m.start, 17);
	CHECK_EQ(search_find(&s, &b, 0, true, false, &m), STATUS_NOT_FOUND);
	CHECK_EQ(search_find(&s, &b, 0, true, true, &m), STATUS_OK);
	CHECK_EQ(m.start, 29);
	search_free(&s);
	buf_free(&b);
}

TEST(case_folding_is_optional)
{
	struct buf b;
	struct search s;
	struct search_match m;

	load(&b);
	search_init(&s);
	CHECK_EQ(search_set(&s, "gamma", 5, false, false), STATUS_OK);
	CHECK_EQ(search_find(&s, &b, 0, false, true, &m), STATUS_NOT_FOUND);
	CHECK_EQ(search_set(&s, "gamma", 5, false, true), STATUS_OK);
	CHECK_EQ(search_find(&s, &b, 0, false, true, &m), STATUS_OK);
	CHECK_EQ(m.start, 11);
	CHECK_EQ(search_set(&s, "GAM+A", 5, true, true), STATUS_OK);
	CHECK_EQ(search_find(&s, &b, 0, false, true, &m), STATUS_OK);
	CHECK_EQ(m.start, 11);
	search_free(&s);
	buf_free(&b);
}

TEST(regex_anchors_work_per_line)
{
	struct buf b;
	struct search s;
	struct search_match m;

	load(&b);
	search_init(&s);
	CHECK_EQ(search_set(&s, "^beta", 5, true, false), STATUS_OK);
	CHECK_EQ(search_find(&s, &b, 0, false, false, &m), STATUS_OK);
	CHECK_EQ(m.start, 24);
	CHECK_EQ(search_set(&s, "a$", 2, true, false), STATUS_OK);
	CHECK_EQ(search_find(&s, &b, 0, false, false, &m), STATUS_OK);
	CHECK_EQ(m.start, 9);
	CHECK_EQ(search_find(&s, &b, 10, false, false, &m), STATUS_OK);
	CHECK_EQ(m.start, 21);
	/* Searching from mid-line must not let ^ match there. */
	CHECK_EQ(search_set(&s, "^alpha", 6, true, false), STATUS_OK);
	CHECK_EQ(search_find(&s, &b, 1, false, false, &m), STATUS_NOT_FOUND);
	CHECK_EQ(search_set(&s, "alpha(bet)?", 11, true, false), STATUS_OK);
	CHECK_EQ(search_find(&s, &b, 40, true, false, &m), STATUS_OK);
	CHECK_EQ(m.start, 29);
	CHECK_EQ(m.len, 8);
	search_free(&s);
	buf_free(&b);
}

TEST(bad_patterns_are_refused)
{
	struct search s;

	search_init(&s);
	CHECK_EQ(search_set(&s, "a(b", 3, true, false), STATUS_BAD_FORMAT);
	CHECK_EQ(search_set(&s, "", 0, false, false), STATUS_BAD_FORMAT);
	CHECK_EQ(search_set(&s, "a\0b", 3, true, false), STATUS_BAD_FORMAT);
	search_free(&s);
}

TEST(replacement_templates_expand_groups)
{
	struct buf b;
	struct search s;
	struct search_match m;
	char *out;
	size_t n;

	load(&b);
	search_init(&s);
	CHECK_EQ(search_set(&s, "(al)(pha)", 9, true, false), STATUS_OK);
	CHECK_EQ(search_find(&s, &b, 0, false, false, &m), STATUS_OK);
	CHECK_EQ(search_expand(&s, &b, &m, "\\2-\\1[&]\\&\\\\\\n", 14, &out, &n), STATUS_OK);
	CHECK_STR(out, "pha-al[alpha]&\\\n");
	CHECK_EQ(n, 16);
	free(out);
	CHECK_EQ(search_set(&s, "beta", 4, false, false), STATUS_OK);
	CHECK_EQ(search_find(&s, &b, 0, false, false, &m), STATUS_OK);
	CHECK_EQ(search_expand(&s, &b, &m, "\\1&", 3, &out, &n), STATUS_OK);
	CHECK_STR(out, "\\1&");
	free(out);
	search_free(&s);
	buf_free(&b);
}

int main(void)
{
	RUN(plain_search_forward_and_backward);
	RUN(case_folding_is_optional);
	RUN(regex_anchors_work_per_line);
	RUN(bad_patterns_are_refused);
	RUN(replacement_templates_expand_groups);
	return check_summary();
}
