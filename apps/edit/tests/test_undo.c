/*
 * test_undo.c - undo and redo: groups, merging of typing runs, the redo
 * tail, and the saved-state flag.
 */
#include <stdlib.h>
#include <string.h>

#include "../buf.h"
#include "../undo.h"
#include "check.h"

static char text[256];

static const char *contents(const struct buf *b)
{
	size_t n = buf_get(b, 0, sizeof text - 1, text);

	text[n] = '\0';
	return text;
}

/* Inserts and records, as the editor does. */
static void ins(struct undo *u, struct buf *b, size_t pos, const char *s)
{
	buf_insert(b, pos, s, strlen(s));
	undo_add(u, UNDO_INSERT, pos, s, strlen(s), pos, pos + strlen(s));
}

static void del(struct undo *u, struct buf *b, size_t pos, size_t n)
{
	char tmp[64];

	buf_get(b, pos, n, tmp);
	buf_delete(b, pos, n);
	undo_add(u, UNDO_DELETE, pos, tmp, n, pos + n, pos);
}

TEST(a_typing_run_is_one_step_and_one_record)
{
	struct buf b;
	struct undo u;
	size_t cur, first;

	buf_init(&b);
	undo_init(&u);
	undo_next_group(&u);
	ins(&u, &b, 0, "h");
	ins(&u, &b, 1, "e");
	ins(&u, &b, 2, "y");
	CHECK_EQ(u.n, 1);
	undo_next_group(&u);
	ins(&u, &b, 3, "!");
	CHECK_STR(contents(&b), "hey!");
	CHECK_EQ(undo_undo(&u, &b, &cur, &first), STATUS_OK);
	CHECK_STR(contents(&b), "hey");
	CHECK_EQ(cur, 3);
	CHECK_EQ(undo_undo(&u, &b, &cur, &first), STATUS_OK);
	CHECK_STR(contents(&b), "");
	CHECK_EQ(cur, 0);
	CHECK_EQ(first, 0);
	CHECK_EQ(undo_undo(&u, &b, &cur, &first), STATUS_EMPTY);
	CHECK_EQ(undo_redo(&u, &b, &cur, &first), STATUS_OK);
	CHECK_STR(contents(&b), "hey");
	CHECK_EQ(cur, 3);
	CHECK_EQ(undo_redo(&u, &b, &cur, &first), STATUS_OK);
	CHECK_STR(contents(&b), "hey!");
	CHECK_EQ(undo_redo(&u, &b, &cur, &first), STATUS_EMPTY);
	undo_free(&u);
	buf_free(&b);
}

TEST(backspace_and_delete_runs_merge)
{
	struct buf b;
	struct undo u;
	size_t cur, first;

	buf_init(&b);
	undo_init(&u);
	ins(&u, &b, 0, "abcdef");
	undo_next_group(&u);
	del(&u, &b, 3, 1); /* backspace over d */
	del(&u, &b, 2, 1); /* and c */
	CHECK_EQ(u.n, 2);
	undo_next_group(&u);
	del(&u, &b, 1, 1); /* delete forward b */
	del(&u, &b, 1, 1); /* and e */
	CHECK_EQ(u.n, 3);
	CHECK_STR(contents(&b), "af");
	undo_undo(&u, &b, &cur, &first);
	CHECK_STR(contents(&b), "abef");
	undo_undo(&u, &b, &cur, &first);
	CHECK_STR(contents(&b), "abcdef");
	CHECK_EQ(first, 2);
	undo_free(&u);
	buf_free(&b);
}

TEST(a_new_edit_drops_the_redo_tail)
{
	struct buf b;
	struct undo u;
	size_t cur, first;

	buf_init(&b);
	undo_init(&u);
	ins(&u, &b, 0, "one");
	undo_next_group(&u);
	ins(&u, &b, 3, " two");
	undo_undo(&u, &b, &cur, &first);
	undo_next_group(&u);
	ins(&u, &b, 0, ">");
	CHECK_EQ(undo_redo(&u, &b, &cur, &first), STATUS_EMPTY);
	CHECK_STR(contents(&b), ">one");
	undo_free(&u);
	buf_free(&b);
}

TEST(modified_follows_the_saved_point_through_undo_and_redo)
{
	struct buf b;
	struct undo u;
	size_t cur, first;

	buf_init(&b);
	undo_init(&u);
	CHECK(!undo_modified(&u));
	ins(&u, &b, 0, "a");
	CHECK(undo_modified(&u));
	undo_mark_saved(&u);
	CHECK(!undo_modified(&u));
	ins(&u, &b, 1, "b"); /* same group: must not merge into the saved record */
	CHECK(undo_modified(&u));
	undo_undo(&u, &b, &cur, &first);
	CHECK(!undo_modified(&u));
	CHECK_STR(contents(&b), "a");
	undo_undo(&u, &b, &cur, &first);
	CHECK(undo_modified(&u));
	undo_next_group(&u);
	ins(&u, &b, 0, "z"); /* the saved state can no longer be reached */
	CHECK(undo_modified(&u));
	undo_undo(&u, &b, &cur, &first);
	CHECK(undo_modified(&u));
	undo_free(&u);
	buf_free(&b);
}

TEST(a_group_of_several_edits_is_one_step)
{
	struct buf b;
	struct undo u;
	size_t cur, first;

	buf_init(&b);
	undo_init(&u);
	ins(&u, &b, 0, "x = 1; x = 2;");
	undo_next_group(&u);
	del(&u, &b, 0, 1);
	ins(&u, &b, 0, "y");
	del(&u, &b, 7, 1);
	ins(&u, &b, 7, "y");
	CHECK_STR(contents(&b), "y = 1; y = 2;");
	undo_undo(&u, &b, &cur, &first);
	CHECK_STR(contents(&b), "x = 1; x = 2;");
	CHECK_EQ(first, 0);
	undo_redo(&u, &b, &cur, &first);
	CHECK_STR(contents(&b), "y = 1; y = 2;");
	undo_free(&u);
	buf_free(&b);
}

int main(void)
{
	RUN(a_typing_run_is_one_step_and_one_record);
	RUN(backspace_and_delete_runs_merge);
	RUN(a_new_edit_drops_the_redo_tail);
	RUN(modified_follows_the_saved_point_through_undo_and_redo);
	RUN(a_group_of_several_edits_is_one_step);
	return check_summary();
}
