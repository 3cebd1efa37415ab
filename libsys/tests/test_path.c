/* Host tests for typed paths (libsys/path.c). */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "keel/path.h"

static uint64_t rng_state;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static status_t parse(const char *text, struct path *p)
{
	return path_parse(text, strlen(text), p);
}

/* Component i of p as a NUL-terminated string (in a static buffer). */
static const char *comp(const struct path *p, size_t i)
{
	static char buf[PATH_COMPONENT_MAX + 1];
	const char *s;
	size_t n;

	if (path_component(p, i, &s, &n))
		return "<none>";
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

static const char *text(const struct path *p)
{
	static char buf[PATH_MAX_BYTES + 1];

	if (path_format(p, buf, sizeof buf))
		return "<unformattable>";
	return buf;
}

TEST(parses_components_and_formats_them_back)
{
	struct path p;

	CHECK_EQ(parse("boot/keel/init.elf", &p), STATUS_OK);
	CHECK_EQ(path_count(&p), 3);
	CHECK_STR(comp(&p, 0), "boot");
	CHECK_STR(comp(&p, 1), "keel");
	CHECK_STR(comp(&p, 2), "init.elf");
	CHECK_STR(comp(&p, 3), "<none>");
	CHECK_EQ(path_length(&p), 18);
	CHECK_STR(text(&p), "boot/keel/init.elf");
	CHECK_EQ(parse("x", &p), STATUS_OK);
	CHECK_EQ(path_count(&p), 1);
	CHECK_STR(text(&p), "x");
}

TEST(empty_text_is_the_empty_path)
{
	struct path p;

	CHECK_EQ(path_parse(NULL, 0, &p), STATUS_OK);
	CHECK_EQ(path_count(&p), 0);
	CHECK_STR(text(&p), "");
	CHECK_EQ(path_parse(NULL, 3, &p), STATUS_INVALID);
}

TEST(rejects_empty_components_including_leading_slash)
{
	static const char *const bad[] = { "/", "/a", "a/", "a//b", "//", "a/b/" };
	struct path p;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK_EQ(parse("keep", &p), STATUS_OK);
		CHECK_EQ(parse(bad[i], &p), STATUS_BAD_FORMAT);
		CHECK_EQ(path_count(&p), 0); /* emptied, not half-filled */
		CHECK_EQ(path_length(&p), 0);
	}
}

TEST(rejects_dot_and_dotdot_but_not_other_dot_names)
{
	struct path p;

	CHECK_EQ(parse(".", &p), STATUS_INVALID);
	CHECK_EQ(parse("..", &p), STATUS_INVALID);
	CHECK_EQ(parse("a/../b", &p), STATUS_INVALID);
	CHECK_EQ(parse("a/.", &p), STATUS_INVALID);
	CHECK_EQ(parse("./a", &p), STATUS_INVALID);
	CHECK_EQ(parse(".../.profile/a./..b", &p), STATUS_OK);
	CHECK_EQ(path_count(&p), 4);
}

TEST(ascii_rule_allows_printables_and_inner_spaces_only)
{
	struct path p;
	char one[2] = { 0, 0 };

	CHECK_EQ(parse("My Documents/a-b_c.txt/~$%!#&'()*+,;<=>?@[\\]^`{|}", &p), STATUS_OK);
	CHECK_STR(comp(&p, 0), "My Documents");
	CHECK_EQ(parse(" lead", &p), STATUS_BAD_FORMAT);
	CHECK_EQ(parse("trail ", &p), STATUS_BAD_FORMAT);
	CHECK_EQ(parse("a/ /b", &p), STATUS_BAD_FORMAT);
	for (int c = 1; c < 0x20; c++) {
		one[0] = (char)c;
		CHECK_EQ(path_check_component(one, 1), STATUS_BAD_FORMAT);
	}
	CHECK_EQ(path_check_component("\x7f", 1), STATUS_BAD_FORMAT);
	CHECK_EQ(path_check_component("a\tb", 3), STATUS_BAD_FORMAT);
	CHECK_EQ(path_check_component("a/b", 3), STATUS_BAD_FORMAT);
	CHECK_EQ(path_parse("a\0b", 3, &p), STATUS_BAD_FORMAT);
	CHECK_EQ(path_check_component("a", 0), STATUS_BAD_FORMAT);
}

TEST(utf8_rule_accepts_well_formed_text_and_nothing_else)
{
	static const struct {
		const char *s;
		status_t want;
	} cases[] = {
		{ "caf\xc3\xa9", STATUS_OK },              /* U+00E9 */
		{ "\xe6\x97\xa5\xe6\x9c\xac", STATUS_OK }, /* U+65E5 U+672C */
		{ "\xf0\x9f\x98\x80", STATUS_OK },         /* U+1F600 */
		{ "\xf4\x8f\xbf\xbf", STATUS_OK },         /* U+10FFFF */
		{ "\xc2\xa0", STATUS_OK },                 /* U+00A0, first allowed */
		{ "\xc2\x85", STATUS_BAD_FORMAT },         /* U+0085, C1 control */
		{ "\xc2\x9f", STATUS_BAD_FORMAT },         /* U+009F, C1 control */
		{ "\xc0\xaf", STATUS_BAD_FORMAT },         /* overlong '/' */
		{ "\xe0\x80\xaf", STATUS_BAD_FORMAT },     /* overlong '/' */
		{ "\xe0\x9f\xbf", STATUS_BAD_FORMAT },     /* overlong U+07FF */
		{ "\xf0\x8f\xbf\xbf", STATUS_BAD_FORMAT }, /* overlong U+FFFF */
		{ "\xed\xa0\x80", STATUS_BAD_FORMAT },     /* surrogate U+D800 */
		{ "\xed\xbf\xbf", STATUS_BAD_FORMAT },     /* surrogate U+DFFF */
		{ "\xf4\x90\x80\x80", STATUS_BAD_FORMAT }, /* U+110000 */
		{ "\xf5\x80\x80\x80", STATUS_BAD_FORMAT },
		{ "\xe6\x97", STATUS_BAD_FORMAT }, /* cut short */
		{ "a\x80", STATUS_BAD_FORMAT },    /* stray continuation */
		{ "\xc3\x28", STATUS_BAD_FORMAT }, /* bad continuation */
		{ "\xff", STATUS_BAD_FORMAT },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		CHECK_EQ(path_check_component(cases[i].s, strlen(cases[i].s)), cases[i].want);
	/* A sequence must end inside its component, not run into the next. */
	struct path p;
	CHECK_EQ(parse("\xe6\x97/\xa5", &p), STATUS_BAD_FORMAT);
}

TEST(component_of_255_bytes_fits_and_256_does_not)
{
	char buf[300];
	struct path p;

	memset(buf, 'n', sizeof buf);
	CHECK_EQ(path_parse(buf, 255, &p), STATUS_OK);
	CHECK_EQ(path_length(&p), 255);
	CHECK_EQ(path_parse(buf, 256, &p), STATUS_RANGE);
	CHECK_EQ(path_check_component(buf, 300), STATUS_RANGE);
}

TEST(thirty_two_components_fit_and_a_33rd_is_refused)
{
	char buf[80];
	struct path p;
	size_t n = 0;

	for (int i = 0; i < 33; i++) {
		buf[n++] = (char)('a' + i % 26);
		buf[n++] = '/';
	}
	CHECK_EQ(path_parse(buf, 2 * 32 - 1, &p), STATUS_OK);
	CHECK_EQ(path_count(&p), 32);
	CHECK_EQ(path_push(&p, "z", 1), STATUS_FULL);
	CHECK_EQ(path_count(&p), 32);
	CHECK_EQ(path_parse(buf, 2 * 33 - 1, &p), STATUS_FULL);
}

TEST(text_of_1024_bytes_fits_and_longer_does_not)
{
	static char buf[1100];
	struct path p;
	size_t n = 0;
	static const size_t sizes[] = { 255, 255, 255, 254, 1 };

	for (size_t i = 0; i < 5; i++) {
		if (i)
			buf[n++] = '/';
		memset(buf + n, 'a' + (int)i, sizes[i]);
		n += sizes[i];
	}
	CHECK_EQ(n, PATH_MAX_BYTES);
	CHECK_EQ(path_parse(buf, n, &p), STATUS_OK);
	CHECK_EQ(path_length(&p), PATH_MAX_BYTES);
	CHECK_STR(comp(&p, 4), "e");
	CHECK_EQ(path_push(&p, "f", 1), STATUS_RANGE);
	CHECK_EQ(path_length(&p), PATH_MAX_BYTES);
	buf[n++] = 'e';
	CHECK_EQ(path_parse(buf, n, &p), STATUS_RANGE);
}

TEST(push_validates_and_leaves_the_path_alone_on_failure)
{
	struct path p;

	path_init(&p);
	CHECK_EQ(path_push(&p, "etc", 3), STATUS_OK);
	CHECK_EQ(path_push(&p, "..", 2), STATUS_INVALID);
	CHECK_EQ(path_push(&p, "a/b", 3), STATUS_BAD_FORMAT);
	CHECK_EQ(path_push(&p, "", 0), STATUS_BAD_FORMAT);
	CHECK_EQ(path_push(&p, "keel.conf", 9), STATUS_OK);
	CHECK_STR(text(&p), "etc/keel.conf");
	CHECK_EQ(path_count(&p), 2);
}

TEST(pop_removes_the_last_component)
{
	struct path p;

	CHECK_EQ(parse("a/bc/def", &p), STATUS_OK);
	CHECK_EQ(path_pop(&p), STATUS_OK);
	CHECK_STR(text(&p), "a/bc");
	CHECK_EQ(path_pop(&p), STATUS_OK);
	CHECK_EQ(path_pop(&p), STATUS_OK);
	CHECK_STR(text(&p), "");
	CHECK_EQ(path_pop(&p), STATUS_EMPTY);
	CHECK_EQ(path_push(&p, "z", 1), STATUS_OK);
	CHECK_STR(text(&p), "z");
}

TEST(join_concatenates_even_into_its_own_operands)
{
	struct path a, b, out;

	CHECK_EQ(parse("usr", &a), STATUS_OK);
	CHECK_EQ(parse("lib/libsys.a", &b), STATUS_OK);
	CHECK_EQ(path_join(&a, &b, &out), STATUS_OK);
	CHECK_STR(text(&out), "usr/lib/libsys.a");
	CHECK_EQ(path_count(&out), 3);
	CHECK_STR(comp(&out, 1), "lib");
	CHECK_STR(comp(&out, 2), "libsys.a");

	CHECK_EQ(path_join(&a, &b, &b), STATUS_OK); /* out is b */
	CHECK_STR(text(&b), "usr/lib/libsys.a");
	CHECK_STR(comp(&b, 0), "usr");
	CHECK_STR(comp(&b, 2), "libsys.a");
	CHECK_EQ(path_join(&b, &a, &b), STATUS_OK); /* out is a */
	CHECK_STR(text(&b), "usr/lib/libsys.a/usr");
	CHECK_EQ(path_join(&a, &a, &a), STATUS_OK); /* all three */
	CHECK_STR(text(&a), "usr/usr");
	CHECK_STR(comp(&a, 1), "usr");

	struct path empty;
	path_init(&empty);
	CHECK_EQ(path_join(&empty, &a, &out), STATUS_OK);
	CHECK(path_equal(&out, &a));
	CHECK_EQ(path_join(&a, &empty, &out), STATUS_OK);
	CHECK(path_equal(&out, &a));
	CHECK_EQ(path_join(&empty, &empty, &out), STATUS_OK);
	CHECK_EQ(path_count(&out), 0);
}

TEST(join_refuses_too_many_components_or_bytes_and_keeps_out)
{
	struct path a, b, out;
	char buf[600];

	CHECK_EQ(parse("a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q", &a), STATUS_OK); /* 17 */
	CHECK_EQ(parse("keep", &out), STATUS_OK);
	CHECK_EQ(path_join(&a, &a, &out), STATUS_FULL);
	CHECK_STR(text(&out), "keep");
	memset(buf, 'x', sizeof buf);
	buf[255] = buf[511] = '/';
	CHECK_EQ(path_parse(buf, 600, &b), STATUS_OK); /* 600 bytes */
	CHECK_EQ(path_join(&b, &b, &out), STATUS_RANGE);
	CHECK_STR(text(&out), "keep");
	CHECK_EQ(path_parse(buf, 511, &b), STATUS_OK); /* 511 + 1 + 511 */
	CHECK_EQ(path_join(&b, &b, &out), STATUS_OK);
	CHECK_EQ(path_length(&out), 1023);
}

TEST(format_needs_room_for_the_nul)
{
	struct path p;
	char buf[8];

	CHECK_EQ(parse("ab/cd", &p), STATUS_OK);
	memset(buf, 'z', sizeof buf);
	CHECK_EQ(path_format(&p, buf, 5), STATUS_RANGE);
	CHECK_EQ(buf[0], '\0');
	CHECK_EQ(buf[1], 'z');
	CHECK_EQ(path_format(&p, buf, 0), STATUS_RANGE);
	CHECK_EQ(path_format(&p, buf, 6), STATUS_OK);
	CHECK_STR(buf, "ab/cd");
}

TEST(within_compares_whole_components)
{
	struct path p, q, e;

	path_init(&e);
	CHECK_EQ(parse("srv/vfsd/cache", &p), STATUS_OK);
	CHECK_EQ(parse("srv/vfsd", &q), STATUS_OK);
	CHECK(path_is_within(&p, &q));
	CHECK(!path_is_within(&q, &p));
	CHECK(path_is_within(&p, &p));
	CHECK(path_is_within(&p, &e));
	CHECK(path_is_within(&e, &e));
	CHECK(!path_is_within(&e, &q));
	CHECK_EQ(parse("srv/vfs", &q), STATUS_OK);
	CHECK(!path_is_within(&p, &q));
	CHECK_EQ(parse("srv/vfsd/cache2", &q), STATUS_OK);
	CHECK(!path_is_within(&q, &p));
	CHECK(!path_equal(&p, &q));
	CHECK_EQ(parse("srv/vfsd/cache", &q), STATUS_OK);
	CHECK(path_equal(&p, &q));
}

/* ---------------------------------------------------------------- random */

/* Pieces a valid component is made of: ASCII, UTF-8, dots. */
static const char *const good_pieces[] = {
	"a",   "Z",  "0", "_", "-", ".", "~", "\\", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x90\x99",
	"x y", "..", "#",
};

struct gen {
	char text[PATH_COMPONENT_MAX + 64];
	size_t len;
	status_t status; /* what path_check_component must say */
};

static void gen_valid(struct gen *g)
{
	size_t pieces = 1 + rng() % 6;

	g->len = 0;
	g->status = STATUS_OK;
	if (rng() % 10 == 0) { /* long enough to reach the byte limit */
		g->len = 100 + rng() % (PATH_COMPONENT_MAX - 99);
		memset(g->text, 'v', g->len);
		return;
	}
	for (size_t i = 0; i < pieces; i++) {
		const char *s = good_pieces[rng() % (sizeof good_pieces / sizeof good_pieces[0])];
		memcpy(g->text + g->len, s, strlen(s));
		g->len += strlen(s);
	}
	if ((g->len == 1 && g->text[0] == '.') ||
	    (g->len == 2 && g->text[0] == '.' && g->text[1] == '.'))
		g->status = STATUS_INVALID;
}

/* A component with exactly one fault, or a valid one. */
static void gen_component(struct gen *g)
{
	gen_valid(g);
	switch (rng() % 16) {
	case 0:
		g->len = 0;
		g->status = STATUS_BAD_FORMAT;
		break;
	case 1:
		g->text[rng() % g->len] = (char)(1 + rng() % 31);
		g->status = STATUS_BAD_FORMAT;
		break;
	case 2:
		g->len = 1 + rng() % 2;
		memset(g->text, '.', g->len);
		g->status = STATUS_INVALID;
		break;
	case 3:
		memset(g->text, 'L', sizeof g->text);
		g->len = PATH_COMPONENT_MAX + 1 + rng() % 40;
		g->status = STATUS_RANGE;
		break;
	case 4:
		g->text[0] = ' ';
		g->status = STATUS_BAD_FORMAT;
		break;
	default:
		break;
	}
}

/* Builds random texts from components with known faults and checks the
 * parser's verdict against the first component that fails and the
 * limits; an accepted path must format back to the same text. */
TEST(random_texts_match_a_model)
{
	static char buf[40 * (PATH_COMPONENT_MAX + 64)];
	struct path p, q;

	rng_state = 0xa4093822299f31d0ull;
	for (int iter = 0; iter < 20000; iter++) {
		size_t count = rng() % 40, n = 0, rendered = 0;
		status_t want = STATUS_OK;
		bool faulty = rng() % 3 == 0;
		for (size_t i = 0; i < count; i++) {
			struct gen g;
			if (faulty)
				gen_component(&g);
			else
				gen_valid(&g);
			if (i)
				buf[n++] = '/';
			memcpy(buf + n, g.text, g.len);
			n += g.len;
			if (want)
				continue;
			/* path_push's order: validity, count, bytes. */
			if (g.status)
				want = g.status;
			else if (i == PATH_MAX_COMPONENTS)
				want = STATUS_FULL;
			else if ((rendered += g.len + (i ? 1 : 0)) > PATH_MAX_BYTES)
				want = STATUS_RANGE;
		}
		if (n == 0) { /* one empty component: the empty path */
			want = STATUS_OK;
			count = 0;
		}
		CHECK_EQ(path_parse(buf, n, &p), want);
		if (want) {
			CHECK_EQ(path_count(&p), 0);
			continue;
		}
		CHECK_EQ(path_count(&p), count);
		CHECK_EQ(path_length(&p), n);
		char out[PATH_MAX_BYTES + 1];
		CHECK_EQ(path_format(&p, out, sizeof out), STATUS_OK);
		CHECK(memcmp(out, buf, n) == 0);
		/* Every leading part is a prefix; after a pop, p is within it. */
		q = p;
		while (path_pop(&q) == STATUS_OK) {
			CHECK(path_is_within(&p, &q));
			CHECK(count == 0 || !path_is_within(&q, &p));
		}
	}
}

int main(void)
{
	RUN(parses_components_and_formats_them_back);
	RUN(empty_text_is_the_empty_path);
	RUN(rejects_empty_components_including_leading_slash);
	RUN(rejects_dot_and_dotdot_but_not_other_dot_names);
	RUN(ascii_rule_allows_printables_and_inner_spaces_only);
	RUN(utf8_rule_accepts_well_formed_text_and_nothing_else);
	RUN(component_of_255_bytes_fits_and_256_does_not);
	RUN(thirty_two_components_fit_and_a_33rd_is_refused);
	RUN(text_of_1024_bytes_fits_and_longer_does_not);
	RUN(push_validates_and_leaves_the_path_alone_on_failure);
	RUN(pop_removes_the_last_component);
	RUN(join_concatenates_even_into_its_own_operands);
	RUN(join_refuses_too_many_components_or_bytes_and_keeps_out);
	RUN(format_needs_room_for_the_nul);
	RUN(within_compares_whole_components);
	RUN(random_texts_match_a_model);
	return check_summary();
}
