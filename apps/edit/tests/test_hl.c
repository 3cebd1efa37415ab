/*
 * test_hl.c - C and shell highlighting: classes of each byte, states
 * carried across lines, and the checkpoint cache when scrolling into the
 * middle of a long comment or after edits.
 */
#include <stdlib.h>
#include <string.h>

#include "../buf.h"
#include "../hl.h"
#include "check.h"

/* Lexes one line and renders its classes as letters: t text, c comment,
 * s string, k keyword, y type, n number, p preprocessor. */
static hl_state classes(enum hl_lang lang, hl_state in, const char *line, char *out)
{
	static const char letters[] = "tcskynp";
	uint8_t attr[256];
	size_t n = strlen(line);
	hl_state st = hl_line(lang, in, line, n, attr);

	for (size_t i = 0; i < n; i++)
		out[i] = letters[attr[i]];
	out[n] = '\0';
	return st;
}

TEST(c_keywords_types_numbers_strings_and_comments)
{
	char out[256];

	CHECK_EQ(classes(HL_C, 0, "if (x) return 42; // done", out), 0);
	CHECK_STR(out, "kktttttkkkkkktnnttccccccc");
	classes(HL_C, 0, "int s = \"a\\\"b\"; char c = '\"';", out);
	CHECK_STR(out, "yyytttttssssssttyyyytttttssst");
	classes(HL_C, 0, "x2 = 0x1f + .5;", out);
	CHECK_STR(out, "tttttnnnntttnnt");
}

TEST(c_block_comment_spans_lines)
{
	char out[256];
	hl_state st;

	st = classes(HL_C, 0, "a /* open", out);
	CHECK_EQ(st, HL_C_COMMENT);
	CHECK_STR(out, "ttccccccc");
	st = classes(HL_C, st, "still int", out);
	CHECK_EQ(st, HL_C_COMMENT);
	CHECK_STR(out, "ccccccccc");
	st = classes(HL_C, st, "end */ int", out);
	CHECK_EQ(st, 0);
	CHECK_STR(out, "cccccctyyy");
	st = classes(HL_C, 0, "/* a */ b /* c", out);
	CHECK_EQ(st, HL_C_COMMENT);
}

TEST(c_preprocessor_lines_and_continuations)
{
	char out[256];
	hl_state st;

	st = classes(HL_C, 0, "#define X(a) \\", out);
	CHECK_EQ(st, HL_C_PREPROC);
	CHECK_STR(out, "pppppppppppppp");
	st = classes(HL_C, st, "  (a + 1)", out);
	CHECK_EQ(st, 0);
	CHECK_STR(out, "pppppppnp");
	classes(HL_C, 0, "#include \"x.h\" /* c */", out);
	CHECK_STR(out, "pppppppppssssspccccccc");
	st = classes(HL_C, 0, "const char *s = \"abc\\", out);
	CHECK_EQ(st, HL_C_STRING);
	st = classes(HL_C, st, "def\";", out);
	CHECK_EQ(st, 0);
	CHECK_STR(out, "sssst");
}

TEST(shell_comments_strings_variables_and_keywords)
{
	char out[256];
	hl_state st;

	classes(HL_SH, 0, "if [ \"$x\" = 1 ]; then # c", out);
	CHECK_STR(out, "kktttsssstttnttttkkkktccc");
	classes(HL_SH, 0, "echo a#b $HOME ${x}", out);
	CHECK_STR(out, "kkkktttttyyyyytyyyy");
	st = classes(HL_SH, 0, "x='multi", out);
	CHECK_EQ(st, HL_SH_SQUOTE);
	st = classes(HL_SH, st, "line' # c", out);
	CHECK_EQ(st, 0);
	CHECK_STR(out, "ssssstccc");
}

TEST(language_is_chosen_by_name_or_first_line)
{
	CHECK_EQ(hl_detect("a.c", "", 0), HL_C);
	CHECK_EQ(hl_detect("dir/x.h", "", 0), HL_C);
	CHECK_EQ(hl_detect("run.sh", "", 0), HL_SH);
	CHECK_EQ(hl_detect("script", "#!/bin/sh\n", 10), HL_SH);
	CHECK_EQ(hl_detect("notes.txt", "hello", 5), HL_NONE);
	CHECK_EQ(hl_detect(NULL, "", 0), HL_NONE);
}

/* A C text of n lines where lines [from, to) are inside one comment. */
static char *comment_text(size_t n, size_t from, size_t to, size_t *len)
{
	char *s = malloc(n * 16), *p = s;

	for (size_t i = 0; i < n; i++) {
		const char *line = i == from ? "/* begin" : i == to - 1 ? "end */ int" : "int x;";
		p += strlen(strcpy(p, line));
		*p++ = '\n';
	}
	*len = (size_t)(p - s);
	return s;
}

TEST(state_in_the_middle_of_a_long_comment_is_found_from_checkpoints)
{
	struct buf b;
	struct hl_cache c;
	size_t len;
	char *s = comment_text(1000, 100, 700, &len);

	buf_init(&b);
	buf_insert(&b, 0, s, len);
	hl_cache_init(&c, HL_C);
	CHECK_EQ(hl_state_at(&c, &b, 500), HL_C_COMMENT); /* jump straight there */
	CHECK_EQ(hl_state_at(&c, &b, 99), 0);
	CHECK_EQ(hl_state_at(&c, &b, 101), HL_C_COMMENT);
	CHECK_EQ(hl_state_at(&c, &b, 700), 0);
	CHECK_EQ(hl_state_at(&c, &b, 999), 0);
	/* Close the comment early: the cache must follow. */
	buf_insert(&b, buf_line_start(&b, 200), "*/", 2);
	hl_cache_invalidate(&c, 200);
	CHECK_EQ(hl_state_at(&c, &b, 500), 0);
	CHECK_EQ(hl_state_at(&c, &b, 150), HL_C_COMMENT);
	/* And open it again. */
	buf_delete(&b, buf_line_start(&b, 200), 2);
	hl_cache_invalidate(&c, 200);
	CHECK_EQ(hl_state_at(&c, &b, 650), HL_C_COMMENT);
	hl_cache_free(&c);
	buf_free(&b);
	free(s);
}

TEST(lexing_for_the_state_alone_gives_the_same_state)
{
	static const char alphabet[] = "ab1_ /*\\\"'#$.{}\t";
	char line[40];
	uint8_t attr[40];

	srand(5);
	for (int k = 0; k < 200000; k++) {
		size_t n = (size_t)rand() % sizeof line;
		enum hl_lang lang = k % 2 ? HL_C : HL_SH;
		hl_state in = (hl_state)(rand() % (lang == HL_C ? 8 : 3));
		for (size_t i = 0; i < n; i++)
			line[i] = alphabet[rand() % (sizeof alphabet - 1)];
		CHECK_EQ(hl_line(lang, in, line, n, attr), hl_line(lang, in, line, n, NULL));
	}
}

int main(void)
{
	RUN(c_keywords_types_numbers_strings_and_comments);
	RUN(c_block_comment_spans_lines);
	RUN(c_preprocessor_lines_and_continuations);
	RUN(shell_comments_strings_variables_and_keywords);
	RUN(language_is_chosen_by_name_or_first_line);
	RUN(lexing_for_the_state_alone_gives_the_same_state);
	RUN(state_in_the_middle_of_a_long_comment_is_found_from_checkpoints);
	return check_summary();
}
