/*
 * test_ed.c - the editor core's commands driven by keys: search in both
 * directions and with regular expressions, replace (confirm each, all,
 * wrapping round to where it began, one undo step), go to line, mark, cut,
 * copy and paste, buffers, closing with the save question and save-as.
 */
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../ed.h"
#include "check.h"

static struct editor ed;
static char dir[64];

static void start(const char *text)
{
	ed_init(&ed, &file_posix_ops, 24, 80, 8);
	ed_new(&ed);
	buf_set(&ed_doc(&ed)->buf, text, strlen(text));
}

/* Feeds terminal input (decoded like the real loop) to the editor. */
static void type(const char *s)
{
	struct keys k;
	keycode_t keys[KEYS_MAX_OUT];
	size_t n;

	keys_init(&k);
	for (; *s; s++) {
		n = keys_feed(&k, (unsigned char)*s, keys);
		for (size_t i = 0; i < n; i++)
			ed_key(&ed, keys[i]);
	}
	n = keys_idle(&k, keys);
	for (size_t i = 0; i < n; i++)
		ed_key(&ed, keys[i]);
}

static const char *text(void)
{
	static char buf[4096];
	char *t = ed_text(&ed, NULL);

	snprintf(buf, sizeof buf, "%s", t);
	free(t);
	return buf;
}

static size_t cur(void)
{
	return ed_doc(&ed)->cur;
}

TEST(search_forward_backward_and_by_regex)
{
	start("one two\nTwo three\ntwo\n");
	type("\x06two\r");
	CHECK_EQ(cur(), 4);
	type("\x1bw"); /* next: case is ignored by default */
	CHECK_EQ(cur(), 8);
	type("\x1bw");
	CHECK_EQ(cur(), 18);
	type("\x1bw"); /* wraps */
	CHECK_EQ(cur(), 4);
	CHECK_STR(ed.msg, "Search wrapped");
	type("\x1bq"); /* previous, wrapping backwards */
	CHECK_EQ(cur(), 18);
	type("\x06\x1b"
	     "c"
	     "Two\r"); /* match case */
	CHECK_EQ(cur(), 8);
	type("\x06\x1br^t[a-z]+$\r"); /* regex, from the cursor */
	CHECK_EQ(cur(), 18);
	type("\x06\x1b"
	     "b"
	     "o\r"); /* backwards from there */
	CHECK_EQ(cur(), 10);
	type("\x06zzz\r");
	CHECK_STR(ed.msg, "\"zzz\" not found");
	ed_free(&ed);
}

TEST(replace_confirms_each_and_wraps_round_to_the_start)
{
	start("a1 a2\na3 a4\n");
	type("\x1b[B"); /* start on line 2 */
	type("\x12"
	     "a\r"
	     "b\r");
	CHECK_EQ(ed.pr.kind, PROMPT_ASK_REPLACE);
	CHECK_EQ(cur(), 6);
	type("y");          /* a3 */
	type("n");          /* a4 skipped */
	CHECK_EQ(cur(), 0); /* wrapped to the top */
	type("y");          /* a1 */
	type("y");          /* a2, then it stops where it began */
	CHECK_EQ(ed.pr.kind, PROMPT_NONE);
	CHECK_STR(text(), "b1 b2\nb3 a4\n");
	CHECK_STR(ed.msg, "Replaced 3 occurrences");
	type("\x1a"); /* one undo takes back the whole replace */
	CHECK_STR(text(), "a1 a2\na3 a4\n");
	type("\x19");
	CHECK_STR(text(), "b1 b2\nb3 a4\n");
	ed_free(&ed);
}

TEST(replace_all_with_regex_groups)
{
	start("x = f(a, b);\ny = f(c, d);\n");
	type("\x12\x1br"
	     "f\\(([a-z]), ([a-z])\\)\r"
	     "g(\\2, \\1)\r"
	     "a");
	CHECK_STR(text(), "x = g(b, a);\ny = g(d, c);\n");
	CHECK_STR(ed.msg, "Replaced 2 occurrences");
	ed_free(&ed);
}

TEST(replace_of_empty_matches_terminates)
{
	start("ab\ncd\n");
	type("\x12\x1br"
	     "^\r"
	     "> \r"
	     "a");
	CHECK_STR(text(), "> ab\n> cd\n> ");
	ed_free(&ed);
}

TEST(goto_line_mark_cut_copy_and_paste)
{
	start("l1\nl2\nl3\nl4\n");
	type("\x07"
	     "3\r");
	CHECK_EQ(cur(), 6);
	type("\x0b\x0b"); /* two cuts collect two lines */
	CHECK_STR(text(), "l1\nl2\n");
	type("\x1b[1;5H\x15"); /* paste at the top */
	CHECK_STR(text(), "l3\nl4\nl1\nl2\n");
	type("\x1b"
	     "a"
	     "\x1b[C\x1b[C\x1b"
	     "6"); /* mark two characters and copy */
	CHECK(!ed_doc(&ed)->mark_set);
	type("\x1b[1;5F\x15");
	CHECK_STR(text(), "l3\nl4\nl1\nl2\nl1");
	type("\x1b[1;5H\x1b"
	     "a"
	     "\x1b[B\x0b"); /* cut a marked region */
	CHECK_STR(text(), "l4\nl1\nl2\nl1");
	type("\x07"
	     "99\r");
	CHECK_EQ(cur(), buf_line_start(&ed_doc(&ed)->buf, 3));
	ed_free(&ed);
}

TEST(buffers_open_switch_and_close_with_questions)
{
	char a[128], b[128];
	FILE *f;

	snprintf(a, sizeof a, "%s/a.txt", dir);
	snprintf(b, sizeof b, "%s/b.txt", dir);
	f = fopen(a, "w");
	fputs("alpha\n", f);
	fclose(f);
	unlink(b);
	ed_init(&ed, &file_posix_ops, 24, 80, 8);
	CHECK_EQ(ed_open(&ed, a), STATUS_OK);
	CHECK_EQ(ed_open(&ed, b), STATUS_OK);
	CHECK(ed_doc(&ed)->is_new);
	CHECK_EQ(ed.ndocs, 2);
	type("new");
	type("\x1b,");
	CHECK_STR(text(), "alpha\n");
	type("\x1b.");
	CHECK_STR(text(), "new");
	type("\x11"); /* quit all: b is modified */
	CHECK_EQ(ed.pr.kind, PROMPT_ASK_SAVE);
	type("c");
	CHECK(!ed.quit);
	CHECK_EQ(ed.ndocs, 2);
	type("\x11"
	     "y"); /* saves b, closes it, then a closes unasked */
	CHECK(ed.quit);
	f = fopen(b, "r");
	CHECK(f != NULL);
	CHECK(fgets(a, sizeof a, f) != NULL);
	fclose(f);
	CHECK_STR(a, "new");
	unlink(b);
	ed_free(&ed);
}

TEST(an_unnamed_buffer_is_saved_under_a_name_asked_for)
{
	char p[128], cmd[160], got[64];
	FILE *f;

	snprintf(p, sizeof p, "%s/named.txt", dir);
	start("");
	type("hello\x13");
	CHECK_EQ(ed.pr.kind, PROMPT_SAVE_AS);
	snprintf(cmd, sizeof cmd, "%s\r", p);
	type(cmd);
	CHECK_STR(ed_doc(&ed)->path, p);
	CHECK(!undo_modified(&ed_doc(&ed)->undo));
	f = fopen(p, "r");
	CHECK(f && fgets(got, sizeof got, f));
	fclose(f);
	CHECK_STR(got, "hello");
	type("\x18"); /* unmodified: closes without asking */
	CHECK(ed.quit);
	unlink(p);
	ed_free(&ed);
}

TEST(saving_to_an_impossible_place_reports_and_keeps_the_buffer)
{
	start("data");
	type("more\x0f/nonexistent-dir/x\r");
	CHECK(strncmp(ed.msg, "Cannot save /nonexistent-dir/x", 30) == 0);
	CHECK_EQ(ed.ndocs, 1);
	CHECK(ed_doc(&ed)->path == NULL);
	CHECK(undo_modified(&ed_doc(&ed)->undo));
	CHECK_STR(text(), "moredata");
	type("\x18"); /* modified: closing asks */
	CHECK_EQ(ed.pr.kind, PROMPT_ASK_SAVE);
	type("n");
	CHECK(ed.quit);
	ed_free(&ed);
}

int main(void)
{
	strcpy(dir, "/tmp/edit-ed-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	RUN(search_forward_backward_and_by_regex);
	RUN(replace_confirms_each_and_wraps_round_to_the_start);
	RUN(replace_all_with_regex_groups);
	RUN(replace_of_empty_matches_terminates);
	RUN(goto_line_mark_cut_copy_and_paste);
	RUN(buffers_open_switch_and_close_with_questions);
	RUN(an_unnamed_buffer_is_saved_under_a_name_asked_for);
	RUN(saving_to_an_impossible_place_reports_and_keeps_the_buffer);
	rmdir(dir);
	return check_summary();
}
