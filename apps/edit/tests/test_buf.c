/*
 * test_buf.c - the gap buffer and its line index, checked against a plain
 * string after every operation of a long random sequence.
 */
#include <stdlib.h>
#include <string.h>

#include "../buf.h"
#include "check.h"

/* Checks the block list's invariants: no empty block but a lone one,
 * none over the limit, prefix sums exact. */
static int well_formed(const struct buf *b)
{
	size_t off = 0, nl = 0;

	if (b->nblocks == 0)
		return 0;
	for (size_t i = 0; i < b->nblocks; i++) {
		const struct buf_block *k = &b->blocks[i];
		size_t c = 0;
		if ((k->len == 0 && b->nblocks > 1) || k->len > BUF_BLOCK_MAX)
			return 0;
		if (b->off[i] != off || b->nl[i] != nl)
			return 0;
		for (size_t j = 0; j < k->len; j++)
			c += k->data[j] == '\n';
		if (c != k->nls)
			return 0;
		off += k->len;
		nl += c;
	}
	return b->off[b->nblocks] == off && b->nl[b->nblocks] == nl;
}

/* Checks every accessor of b against the reference text s of n bytes. */
static int agrees(const struct buf *b, const char *s, size_t n)
{
	size_t line = 0;
	char *copy;

	if (!well_formed(b))
		return 0;
	copy = malloc(n + 1);

	if (buf_len(b) != n || buf_get(b, 0, n, copy) != n || memcmp(copy, s, n) != 0) {
		free(copy);
		return 0;
	}
	free(copy);
	if (buf_line_start(b, 0) != 0)
		return 0;
	for (size_t i = 0, start = 0; i < n; i++) {
		size_t len;
		const char *p;
		if (buf_line_of(b, i) != line || buf_byte(b, i) != (unsigned char)s[i])
			return 0;
		if (buf_line_start_of(b, i) != start)
			return 0;
		if (i == start) {
			p = buf_line_at(b, i, &len);
			if (buf_next_nl(b, i) != i + len || (p && memcmp(p, s + i, len) != 0))
				return 0;
		}
		if (s[i] == '\n')
			start = i + 1;
		if (s[i] == '\n') {
			if (buf_line_end(b, line) != i || buf_line_start(b, line + 1) != i + 1)
				return 0;
			line++;
		}
	}
	return buf_lines(b) == line + 1 && buf_line_end(b, line) == n && buf_byte(b, n) == -1;
}

TEST(empty_buffer_has_one_empty_line)
{
	struct buf b;

	CHECK_EQ(buf_init(&b), STATUS_OK);
	CHECK_EQ(buf_lines(&b), 1);
	CHECK_EQ(buf_len(&b), 0);
	CHECK_EQ(buf_line_start(&b, 0), 0);
	CHECK_EQ(buf_line_end(&b, 0), 0);
	CHECK_EQ(buf_line_of(&b, 0), 0);
	buf_free(&b);
}

TEST(insert_and_delete_keep_the_line_index)
{
	struct buf b;

	CHECK_EQ(buf_init(&b), STATUS_OK);
	CHECK_EQ(buf_insert(&b, 0, "one\ntwo\nthree", 13), STATUS_OK);
	CHECK(agrees(&b, "one\ntwo\nthree", 13));
	CHECK_EQ(buf_insert(&b, 4, "X\nY", 3), STATUS_OK);
	CHECK(agrees(&b, "one\nX\nYtwo\nthree", 16));
	CHECK_EQ(buf_delete(&b, 2, 8), STATUS_OK);
	CHECK(agrees(&b, "on\nthree", 8));
	CHECK_EQ(buf_lines(&b), 2);
	buf_free(&b);
}

TEST(out_of_range_edits_are_refused)
{
	struct buf b;

	CHECK_EQ(buf_init(&b), STATUS_OK);
	CHECK_EQ(buf_insert(&b, 0, "abc", 3), STATUS_OK);
	CHECK_EQ(buf_insert(&b, 4, "x", 1), STATUS_RANGE);
	CHECK_EQ(buf_delete(&b, 2, 2), STATUS_RANGE);
	CHECK_EQ(buf_delete(&b, 4, 0), STATUS_RANGE);
	CHECK_EQ(buf_delete(&b, (size_t)-1, 2), STATUS_RANGE);
	CHECK(agrees(&b, "abc", 3));
	buf_free(&b);
}

TEST(set_replaces_the_text_and_keeps_bytes_as_they_are)
{
	static const char bin[] = "a\0b\xff\n\xc3\n";
	struct buf b;

	CHECK_EQ(buf_init(&b), STATUS_OK);
	CHECK_EQ(buf_set(&b, bin, sizeof bin - 1), STATUS_OK);
	CHECK(agrees(&b, bin, sizeof bin - 1));
	CHECK_EQ(buf_lines(&b), 3);
	buf_free(&b);
}

TEST(random_edits_agree_with_a_plain_string)
{
	static const char alphabet[] = "ab\n\n\xc3\xa9 ";
	struct buf b;
	char *ref = malloc(1 << 16);
	size_t n = 0;

	srand(7);
	CHECK_EQ(buf_init(&b), STATUS_OK);
	for (int step = 0; step < 4000; step++) {
		size_t pos = n ? (size_t)rand() % (n + 1) : 0;
		if (rand() % 3 || n == 0) {
			char s[64];
			size_t k = (size_t)rand() % (step % 50 == 0 ? 60 : 5) + 1;
			for (size_t i = 0; i < k; i++)
				s[i] = alphabet[rand() % (sizeof alphabet - 1)];
			if (n + k >= (1 << 16))
				continue;
			CHECK_EQ(buf_insert(&b, pos, s, k), STATUS_OK);
			memmove(ref + pos + k, ref + pos, n - pos);
			memcpy(ref + pos, s, k);
			n += k;
		} else {
			size_t k = (size_t)rand() % (n - pos + 1);
			CHECK_EQ(buf_delete(&b, pos, k), STATUS_OK);
			memmove(ref + pos, ref + pos + k, n - pos - k);
			n -= k;
		}
		if (step % 97 == 0 || n < 200)
			CHECK(agrees(&b, ref, n));
	}
	CHECK(agrees(&b, ref, n));
	buf_free(&b);
	free(ref);
}

TEST(large_insertions_and_deletions_across_blocks_agree)
{
	struct buf b;
	size_t cap = 1 << 20, n = 0;
	char *ref = malloc(cap), *s = malloc(40000);

	srand(11);
	CHECK_EQ(buf_init(&b), STATUS_OK);
	for (int step = 0; step < 600; step++) {
		size_t pos = n ? (size_t)rand() % (n + 1) : 0;
		if (rand() % 2 || n == 0) {
			size_t k = (size_t)rand() % 30000 + 1;
			for (size_t i = 0; i < k; i++)
				s[i] = rand() % 40 ? (char)('a' + rand() % 26) : '\n';
			if (n + k >= cap)
				continue;
			CHECK_EQ(buf_insert(&b, pos, s, k), STATUS_OK);
			memmove(ref + pos + k, ref + pos, n - pos);
			memcpy(ref + pos, s, k);
			n += k;
		} else {
			size_t k = (size_t)rand() % (n - pos + 1);
			CHECK_EQ(buf_delete(&b, pos, k), STATUS_OK);
			memmove(ref + pos, ref + pos + k, n - pos - k);
			n -= k;
		}
		if (step % 20 == 0)
			CHECK(agrees(&b, ref, n));
		CHECK(well_formed(&b));
	}
	CHECK(agrees(&b, ref, n));
	CHECK_EQ(buf_delete(&b, 0, n), STATUS_OK);
	CHECK(agrees(&b, "", 0));
	CHECK_EQ(b.nblocks, 1);
	buf_free(&b);
	free(ref);
	free(s);
}

TEST(a_large_text_is_indexed_by_line)
{
	size_t n = 1 << 20;
	char *big = malloc(n);
	struct buf b;

	for (size_t i = 0; i < n; i++)
		big[i] = i % 64 == 63 ? '\n' : 'x';
	CHECK_EQ(buf_init(&b), STATUS_OK);
	CHECK_EQ(buf_set(&b, big, n), STATUS_OK);
	CHECK_EQ(buf_lines(&b), n / 64 + 1);
	CHECK_EQ(buf_line_start(&b, 1000), 64000);
	CHECK_EQ(buf_line_of(&b, 64000 + 63), 1000);
	CHECK_EQ(buf_insert(&b, 500000, "\n", 1), STATUS_OK);
	CHECK_EQ(buf_lines(&b), n / 64 + 2);
	CHECK_EQ(buf_line_start(&b, 1000), 64000);
	CHECK_EQ(buf_line_start(&b, 7813), 500001);
	CHECK_EQ(buf_line_start(&b, 7814), 500033);
	CHECK_EQ(buf_line_of(&b, 500001), 7813);
	buf_free(&b);
	free(big);
}

int main(void)
{
	RUN(empty_buffer_has_one_empty_line);
	RUN(insert_and_delete_keep_the_line_index);
	RUN(out_of_range_edits_are_refused);
	RUN(set_replaces_the_text_and_keeps_bytes_as_they_are);
	RUN(random_edits_agree_with_a_plain_string);
	RUN(large_insertions_and_deletions_across_blocks_agree);
	RUN(a_large_text_is_indexed_by_line);
	return check_summary();
}
