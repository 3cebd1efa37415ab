/* test_resolve.c - POSIX path text to typed paths below the root
 * (sysroot/keel/resolve.c): the rules case by case, then a randomized
 * comparison with an independent model that also checks that no result
 * ever leaves the root capability. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "../resolve.h"

static struct path cwd_of(const char *text)
{
	struct path p;
	path_parse(text, strlen(text), &p);
	return p;
}

/* Resolves text from cwd and returns the text form, or "E<errno>". */
static const char *resolve(const char *cwd, const char *text)
{
	static char buf[PATH_MAX_BYTES + 16];
	struct path c = cwd_of(cwd), out;
	int r = keel_resolve(&c, text, &out, NULL);
	if (r) {
		snprintf(buf, sizeof buf, "E%d", -r);
		return buf;
	}
	path_format(&out, buf, sizeof buf);
	return buf;
}

TEST(absolute_paths_start_at_the_root)
{
	CHECK_STR(resolve("home/u", "/etc/passwd"), "etc/passwd");
	CHECK_STR(resolve("home/u", "/"), "");
	CHECK_STR(resolve("", "///a//b///"), "a/b");
}

TEST(relative_paths_start_at_the_working_directory)
{
	CHECK_STR(resolve("home/u", "notes.txt"), "home/u/notes.txt");
	CHECK_STR(resolve("home/u", "./a/./b/."), "home/u/a/b");
	CHECK_STR(resolve("home/u", "."), "home/u");
}

TEST(dot_dot_is_lexical_and_stops_at_the_root)
{
	CHECK_STR(resolve("home/u", ".."), "home");
	CHECK_STR(resolve("home/u", "../../.."), "");
	CHECK_STR(resolve("home/u", "../../../../etc"), "etc");
	CHECK_STR(resolve("", "/../../x/../y"), "y");
	CHECK_STR(resolve("a", "b/../../../c/.."), "");
}

TEST(the_empty_text_and_null_are_errors)
{
	CHECK_STR(resolve("a", ""), "E2"); /* ENOENT */
	struct path c = cwd_of("a"), out;
	CHECK_EQ(keel_resolve(&c, NULL, &out, NULL), -EFAULT);
	CHECK_EQ(path_count(&out), 0);
}

TEST(names_too_long_are_enametoolong)
{
	char name[300];
	memset(name, 'n', sizeof name);
	name[256] = 0;
	CHECK_EQ(atoi(resolve("", name) + 1), ENAMETOOLONG);
	name[255] = 0;
	CHECK_EQ(strlen(resolve("", name)), 255);
	static char text[KEEL_POSIX_PATH_MAX + 10];
	memset(text, 'a', sizeof text - 1);
	for (size_t i = 1; i < sizeof text - 1; i += 2)
		text[i] = '/';
	CHECK_EQ(atoi(resolve("", text) + 1), ENAMETOOLONG);
}

TEST(more_components_than_a_typed_path_holds_is_enametoolong_even_midway)
{
	char text[200] = "";
	for (int i = 0; i < PATH_MAX_COMPONENTS; i++)
		strcat(text, "d/");
	CHECK_EQ(strlen(resolve("", text)), PATH_MAX_COMPONENTS * 2 - 1);
	strcat(text, "x/.."); /* one too many before the ".." takes it back */
	CHECK_EQ(atoi(resolve("", text) + 1), ENAMETOOLONG);
}

TEST(names_a_keel_path_cannot_hold_are_einval)
{
	CHECK_EQ(atoi(resolve("", "a/\x01/b") + 1), EINVAL);
	CHECK_EQ(atoi(resolve("", "bad\xff") + 1), EINVAL);
	CHECK_EQ(atoi(resolve("", " lead") + 1), EINVAL);
	CHECK_STR(resolve("", "caf\xc3\xa9/ok name"), "caf\xc3\xa9/ok name");
}

TEST(a_trailing_slash_dot_or_dot_dot_asks_for_a_directory)
{
	static const struct {
		const char *text;
		bool dir;
	} cases[] = { { "a/", true },     { "a/.", true }, { "a/..", true }, { ".", true },
		      { "..", true },     { "/", true },   { "a", false },   { "a/.b", false },
		      { "a/b..", false }, { "...", false } };
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct path c = cwd_of(""), out;
		bool dir = !cases[i].dir;
		CHECK_EQ(keel_resolve(&c, cases[i].text, &out, &dir), 0);
		if (dir != cases[i].dir)
			CHECK_FAIL("\"%s\": dir %d", cases[i].text, dir);
	}
}

/* The model: a stack of component strings, built with none of resolve.c's
 * code. Returns 0 and the joined text, or -1 for "not representable". */
static int model(const char *cwd, const char *text, char *out)
{
	static char stack[64][PATH_COMPONENT_MAX + 1];
	int n = 0;
	char buf[8192];
	if (text[0] != '/') {
		snprintf(buf, sizeof buf, "%s/%s", cwd, text);
	} else {
		snprintf(buf, sizeof buf, "%s", text);
	}
	for (char *save = NULL, *tok = strtok_r(buf, "/", &save); tok;
	     tok = strtok_r(NULL, "/", &save)) {
		if (!strcmp(tok, "."))
			continue;
		if (!strcmp(tok, "..")) {
			n -= n > 0;
			continue;
		}
		if (n == PATH_MAX_COMPONENTS || strlen(tok) > PATH_COMPONENT_MAX)
			return -1;
		strcpy(stack[n++], tok);
	}
	out[0] = 0;
	for (int i = 0; i < n; i++) {
		if (i)
			strcat(out, "/");
		strcat(out, stack[i]);
	}
	return strlen(out) > PATH_MAX_BYTES ? -1 : 0;
}

static uint64_t rng = 0x853c49e6748fea9bull;

static uint64_t next(void)
{
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	return rng;
}

/* A random path from pieces that matter: "..", ".", empty, names. */
static void random_text(char *buf, size_t cap)
{
	static const char *pieces[] = { "..", ".", "", "a", "bb", "etc", "...", ".x", "x." };
	size_t len = 0, count = next() % 40;
	buf[0] = 0;
	if (next() % 2)
		buf[len++] = '/', buf[len] = 0;
	for (size_t i = 0; i < count && len + 8 < cap; i++) {
		const char *p = pieces[next() % (sizeof pieces / sizeof pieces[0])];
		len += (size_t)snprintf(buf + len, cap - len, "%s%s", i ? "/" : "", p);
	}
	if (!buf[0])
		strcpy(buf, ".");
}

TEST(random_paths_match_the_model_and_never_leave_the_root)
{
	static const char *cwds[] = { "", "a", "a/bb/etc", "x/y/z/w" };
	for (int i = 0; i < 200000; i++) {
		char text[512], want[PATH_MAX_BYTES * 2];
		const char *cwd = cwds[next() % 4];
		random_text(text, sizeof text);
		struct path c = cwd_of(cwd), out;
		int r = keel_resolve(&c, text, &out, NULL);
		int m = model(cwd, text, want);
		if ((r == 0) != (m == 0))
			CHECK_FAIL("\"%s\" from \"%s\": resolve %d, model %d", text, cwd, r, m);
		if (r)
			continue;
		char got[PATH_MAX_BYTES + 1];
		CHECK_EQ(path_format(&out, got, sizeof got), STATUS_OK);
		if (strcmp(got, want))
			CHECK_FAIL("\"%s\" from \"%s\": \"%s\", model \"%s\"", text, cwd, got,
				   want);
		/* Below the root: no component can climb out of it. */
		for (size_t k = 0; k < path_count(&out); k++) {
			const char *s;
			size_t n;
			path_component(&out, k, &s, &n);
			CHECK(!(n == 2 && s[0] == '.' && s[1] == '.'));
			CHECK(!(n == 1 && s[0] == '.'));
		}
	}
}

int main(void)
{
	RUN(absolute_paths_start_at_the_root);
	RUN(relative_paths_start_at_the_working_directory);
	RUN(dot_dot_is_lexical_and_stops_at_the_root);
	RUN(the_empty_text_and_null_are_errors);
	RUN(names_too_long_are_enametoolong);
	RUN(more_components_than_a_typed_path_holds_is_enametoolong_even_midway);
	RUN(names_a_keel_path_cannot_hold_are_einval);
	RUN(a_trailing_slash_dot_or_dot_dot_asks_for_a_directory);
	RUN(random_paths_match_the_model_and_never_leave_the_root);
	return check_summary();
}
