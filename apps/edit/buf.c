/*
 * buf.c - gap buffer and gapped line index (see buf.h for the layout).
 */
#include "buf.h"

#include <stdlib.h>
#include <string.h>

#define BUF_MIN_GAP 4096
#define LINES_MIN_GAP 256

status_t buf_init(struct buf *b)
{
	memset(b, 0, sizeof *b);
	b->text = malloc(BUF_MIN_GAP);
	b->lines = malloc(LINES_MIN_GAP * sizeof *b->lines);
	if (!b->text || !b->lines) {
		buf_free(b);
		return STATUS_NO_MEMORY;
	}
	b->cap = b->gap_end = BUF_MIN_GAP;
	b->lcap = b->lgap_end = LINES_MIN_GAP;
	b->lines[0] = 0;
	b->lgap = 1;
	return STATUS_OK;
}

void buf_free(struct buf *b)
{
	free(b->text);
	free(b->lines);
	memset(b, 0, sizeof *b);
}

size_t buf_len(const struct buf *b)
{
	return b->cap - (b->gap_end - b->gap);
}

size_t buf_lines(const struct buf *b)
{
	return b->lgap + (b->lcap - b->lgap_end);
}

size_t buf_line_start(const struct buf *b, size_t line)
{
	if (line < b->lgap)
		return b->lines[line];
	if (line >= buf_lines(b))
		return buf_len(b);
	return buf_len(b) - b->lines[b->lgap_end + (line - b->lgap)];
}

size_t buf_line_end(const struct buf *b, size_t line)
{
	if (line + 1 >= buf_lines(b))
		return buf_len(b);
	return buf_line_start(b, line + 1) - 1;
}

size_t buf_line_of(const struct buf *b, size_t pos)
{
	size_t lo = 0, hi = buf_lines(b);

	/* Largest line whose start is <= pos; line 0 starts at 0. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (buf_line_start(b, mid) <= pos)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

int buf_byte(const struct buf *b, size_t pos)
{
	if (pos < b->gap)
		return (unsigned char)b->text[pos];
	if (pos >= buf_len(b))
		return -1;
	return (unsigned char)b->text[pos + (b->gap_end - b->gap)];
}

size_t buf_get(const struct buf *b, size_t pos, size_t n, char *out)
{
	size_t len = buf_len(b), done = 0;

	if (pos >= len)
		return 0;
	if (n > len - pos)
		n = len - pos;
	if (pos < b->gap) {
		done = b->gap - pos < n ? b->gap - pos : n;
		memcpy(out, b->text + pos, done);
	}
	if (done < n)
		memcpy(out + done, b->text + (pos + done) + (b->gap_end - b->gap), n - done);
	return n;
}

void buf_pieces(const struct buf *b, const char **a, size_t *alen, const char **c, size_t *clen)
{
	*a = b->text;
	*alen = b->gap;
	*c = b->text + b->gap_end;
	*clen = b->cap - b->gap_end;
}

/* Moves the text gap so that it starts at pos. */
static void move_gap(struct buf *b, size_t pos)
{
	size_t glen = b->gap_end - b->gap;

	if (pos < b->gap)
		memmove(b->text + pos + glen, b->text + pos, b->gap - pos);
	else if (pos > b->gap)
		memmove(b->text + b->gap, b->text + b->gap_end, pos - b->gap);
	b->gap = pos;
	b->gap_end = pos + glen;
}

/* Makes the text gap at least n bytes long. */
static status_t grow_text(struct buf *b, size_t n)
{
	size_t len = buf_len(b), tail = b->cap - b->gap_end;
	size_t ncap = b->cap * 2;
	char *t;

	if (b->gap_end - b->gap >= n)
		return STATUS_OK;
	if (ncap < len + n + BUF_MIN_GAP)
		ncap = len + n + BUF_MIN_GAP;
	t = realloc(b->text, ncap);
	if (!t)
		return STATUS_NO_MEMORY;
	memmove(t + ncap - tail, t + b->gap_end, tail);
	b->text = t;
	b->gap_end = ncap - tail;
	b->cap = ncap;
	return STATUS_OK;
}

/* Moves the line-index gap so that entries [0, k) are absolute, converting
 * the entries that cross it. */
static void move_line_gap(struct buf *b, size_t k)
{
	size_t len = buf_len(b);

	while (b->lgap > k) {
		b->lgap--;
		b->lgap_end--;
		b->lines[b->lgap_end] = len - b->lines[b->lgap];
	}
	while (b->lgap < k) {
		b->lines[b->lgap] = len - b->lines[b->lgap_end];
		b->lgap++;
		b->lgap_end++;
	}
}

/* Makes the line-index gap at least n entries long. */
static status_t grow_lines(struct buf *b, size_t n)
{
	size_t tail = b->lcap - b->lgap_end, ncap = b->lcap * 2;
	size_t *l;

	if (b->lgap_end - b->lgap >= n)
		return STATUS_OK;
	if (ncap < buf_lines(b) + n + LINES_MIN_GAP)
		ncap = buf_lines(b) + n + LINES_MIN_GAP;
	l = realloc(b->lines, ncap * sizeof *l);
	if (!l)
		return STATUS_NO_MEMORY;
	memmove(l + ncap - tail, l + b->lgap_end, tail * sizeof *l);
	b->lines = l;
	b->lgap_end = ncap - tail;
	b->lcap = ncap;
	return STATUS_OK;
}

static size_t count_newlines(const char *s, size_t n)
{
	size_t count = 0;
	const char *end = s + n, *p;

	while (s < end && (p = memchr(s, '\n', (size_t)(end - s))) != NULL) {
		count++;
		s = p + 1;
	}
	return count;
}

status_t buf_insert(struct buf *b, size_t pos, const char *s, size_t n)
{
	size_t line, nl;
	status_t st;

	if (pos > buf_len(b))
		return STATUS_RANGE;
	nl = count_newlines(s, n);
	if ((st = grow_text(b, n)) || (st = grow_lines(b, nl)))
		return st;
	line = buf_line_of(b, pos);
	move_line_gap(b, line + 1);
	move_gap(b, pos);
	memcpy(b->text + pos, s, n);
	b->gap += n;
	for (const char *p = s, *end = s + n; nl; nl--) {
		p = memchr(p, '\n', (size_t)(end - p));
		b->lines[b->lgap++] = pos + (size_t)(p - s) + 1;
		p++;
	}
	return STATUS_OK;
}

/* Counts the newlines in [pos, pos + n) of the text. */
static size_t count_range_newlines(const struct buf *b, size_t pos, size_t n)
{
	size_t count = 0;

	if (pos < b->gap) {
		size_t k = b->gap - pos < n ? b->gap - pos : n;
		count = count_newlines(b->text + pos, k);
		pos += k;
		n -= k;
	}
	if (n)
		count += count_newlines(b->text + pos + (b->gap_end - b->gap), n);
	return count;
}

status_t buf_delete(struct buf *b, size_t pos, size_t n)
{
	size_t len = buf_len(b);

	if (pos > len || n > len - pos)
		return STATUS_RANGE;
	if (n == 0)
		return STATUS_OK;
	move_line_gap(b, buf_line_of(b, pos) + 1);
	b->lgap_end += count_range_newlines(b, pos, n);
	move_gap(b, pos);
	b->gap_end += n;
	return STATUS_OK;
}

status_t buf_set(struct buf *b, const char *data, size_t n)
{
	struct buf nb;
	status_t st = buf_init(&nb);

	if (st)
		return st;
	if ((st = buf_insert(&nb, 0, data, n))) {
		buf_free(&nb);
		return st;
	}
	buf_free(b);
	*b = nb;
	return STATUS_OK;
}
