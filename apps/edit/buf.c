/*
 * buf.c - the block list and its prefix sums (see buf.h).
 *
 * Invariants: there is at least one block; no block is empty unless it is
 * the only one; off[] and nl[] are exact for every block after each call.
 */
#include "buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Counts the newlines in s[0, n), eight bytes at a time. */
static size_t count_nl(const char *s, size_t n)
{
	const uint64_t ones = 0x0101010101010101ull, low7 = 0x7f7f7f7f7f7f7f7full;
	size_t c = 0, i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w, t;
		memcpy(&w, s + i, 8);
		w ^= ones * '\n'; /* newline bytes become zero */
		t = ~(((w & low7) + low7) | w) & (ones << 7);
		c += (size_t)(((t >> 7) * ones) >> 56);
	}
	for (; i < n; i++)
		c += s[i] == '\n';
	return c;
}

/* The offset of the k-th (k >= 1) newline in s[0, n), or n if none. */
static size_t nth_nl(const char *s, size_t n, size_t k)
{
	size_t i = 0;

	const uint64_t ones = 0x0101010101010101ull, low7 = 0x7f7f7f7f7f7f7f7full;

	for (; i + 8 <= n; i += 8) {
		uint64_t w, t;
		size_t c;
		memcpy(&w, s + i, 8);
		w ^= ones * '\n';
		t = ~(((w & low7) + low7) | w) & (ones << 7);
		c = (size_t)(((t >> 7) * ones) >> 56);
		if (c >= k)
			break;
		k -= c;
	}
	for (; i < n; i++)
		if (s[i] == '\n' && --k == 0)
			return i;
	return n;
}

/* Recomputes the prefix sums from block i on. */
static void update_from(struct buf *b, size_t i)
{
	for (; i < b->nblocks; i++) {
		b->off[i + 1] = b->off[i] + b->blocks[i].len;
		b->nl[i + 1] = b->nl[i] + b->blocks[i].nls;
	}
}

/* Makes room for extra more blocks in all three arrays. */
static status_t reserve(struct buf *b, size_t extra)
{
	size_t need = b->nblocks + extra, ncap;
	void *p;

	if (need <= b->capblocks)
		return STATUS_OK;
	ncap = need * 2;
	if (!(p = realloc(b->blocks, ncap * sizeof *b->blocks)))
		return STATUS_NO_MEMORY;
	b->blocks = p;
	if (!(p = realloc(b->off, (ncap + 1) * sizeof *b->off)))
		return STATUS_NO_MEMORY;
	b->off = p;
	if (!(p = realloc(b->nl, (ncap + 1) * sizeof *b->nl)))
		return STATUS_NO_MEMORY;
	b->nl = p;
	b->capblocks = ncap;
	return STATUS_OK;
}

status_t buf_init(struct buf *b)
{
	memset(b, 0, sizeof *b);
	if (reserve(b, 16) || !(b->blocks[0].data = malloc(BUF_BLOCK_MAX))) {
		buf_free(b);
		return STATUS_NO_MEMORY;
	}
	b->blocks[0].len = b->blocks[0].nls = 0;
	b->nblocks = 1;
	b->off[0] = b->off[1] = b->nl[0] = b->nl[1] = 0;
	return STATUS_OK;
}

void buf_free(struct buf *b)
{
	for (size_t i = 0; i < b->nblocks; i++)
		free(b->blocks[i].data);
	free(b->blocks);
	free(b->off);
	free(b->nl);
	memset(b, 0, sizeof *b);
}

size_t buf_len(const struct buf *b)
{
	return b->off[b->nblocks];
}

size_t buf_lines(const struct buf *b)
{
	return b->nl[b->nblocks] + 1;
}

/* The block that holds offset pos (the last block for pos == length). */
static size_t find_block(const struct buf *b, size_t pos)
{
	size_t lo = 0, hi = b->nblocks;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (b->off[mid] <= pos)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

size_t buf_line_start(const struct buf *b, size_t line)
{
	size_t lo = 0, hi = b->nblocks - 1;

	if (line == 0)
		return 0;
	if (line > b->nl[b->nblocks])
		return buf_len(b);
	/* The first block whose end has seen at least `line` newlines. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (b->nl[mid + 1] >= line)
			hi = mid;
		else
			lo = mid + 1;
	}
	return b->off[lo] + nth_nl(b->blocks[lo].data, b->blocks[lo].len, line - b->nl[lo]) + 1;
}

size_t buf_next_nl(const struct buf *b, size_t pos)
{
	size_t len = buf_len(b), i;

	if (pos >= len)
		return len;
	for (i = find_block(b, pos); i < b->nblocks; i++) {
		const struct buf_block *blk = &b->blocks[i];
		size_t o = pos > b->off[i] ? pos - b->off[i] : 0;
		const char *p = blk->nls ? memchr(blk->data + o, '\n', blk->len - o) : NULL;
		if (p)
			return b->off[i] + (size_t)(p - blk->data);
	}
	return len;
}

size_t buf_line_start_of(const struct buf *b, size_t pos)
{
	size_t i;

	if (pos > buf_len(b))
		pos = buf_len(b);
	for (i = find_block(b, pos) + 1; i-- > 0;) {
		const struct buf_block *blk = &b->blocks[i];
		size_t o = pos - b->off[i] < blk->len ? pos - b->off[i] : blk->len;
		if (blk->nls == 0) {
			pos = b->off[i];
			continue;
		}
		while (o > 0 && blk->data[o - 1] != '\n')
			o--;
		if (o > 0)
			return b->off[i] + o;
		pos = b->off[i];
	}
	return 0;
}

size_t buf_line_end(const struct buf *b, size_t line)
{
	if (line >= b->nl[b->nblocks])
		return buf_len(b);
	return buf_next_nl(b, buf_line_start(b, line));
}

size_t buf_line_of(const struct buf *b, size_t pos)
{
	size_t i;

	if (pos > buf_len(b))
		pos = buf_len(b);
	i = find_block(b, pos);
	return b->nl[i] + count_nl(b->blocks[i].data, pos - b->off[i]);
}

int buf_byte(const struct buf *b, size_t pos)
{
	size_t i;

	if (pos >= buf_len(b))
		return -1;
	i = find_block(b, pos);
	return (unsigned char)b->blocks[i].data[pos - b->off[i]];
}

size_t buf_get(const struct buf *b, size_t pos, size_t n, char *out)
{
	size_t len = buf_len(b), done = 0, i;

	if (pos >= len)
		return 0;
	if (n > len - pos)
		n = len - pos;
	for (i = find_block(b, pos); done < n; i++) {
		size_t o = pos + done - b->off[i], k = b->blocks[i].len - o;
		if (k > n - done)
			k = n - done;
		memcpy(out + done, b->blocks[i].data + o, k);
		done += k;
	}
	return n;
}

const char *buf_peek(const struct buf *b, size_t pos, size_t n)
{
	size_t i;

	if (pos >= buf_len(b) || n > buf_len(b) - pos)
		return NULL;
	i = find_block(b, pos);
	if (pos + n > b->off[i] + b->blocks[i].len)
		return NULL;
	return b->blocks[i].data + (pos - b->off[i]);
}

const char *buf_line_at(const struct buf *b, size_t pos, size_t *n)
{
	size_t i, o;
	const struct buf_block *blk;
	const char *p;

	if (pos >= buf_len(b)) {
		*n = 0;
		return NULL;
	}
	i = find_block(b, pos);
	blk = &b->blocks[i];
	o = pos - b->off[i];
	p = blk->nls ? memchr(blk->data + o, '\n', blk->len - o) : NULL;
	if (p) {
		*n = (size_t)(p - (blk->data + o));
		return blk->data + o;
	}
	*n = buf_next_nl(b, pos) - pos;
	return *n == blk->len - o ? blk->data + o : NULL;
}

bool buf_chunk(const struct buf *b, size_t *i, const char **p, size_t *n)
{
	while (*i < b->nblocks && b->blocks[*i].len == 0)
		(*i)++;
	if (*i >= b->nblocks)
		return false;
	*p = b->blocks[*i].data;
	*n = b->blocks[*i].len;
	(*i)++;
	return true;
}

/* Opens a hole of count blocks at index at (reserve() done by the caller). */
static void open_blocks(struct buf *b, size_t at, size_t count)
{
	memmove(&b->blocks[at + count], &b->blocks[at], (b->nblocks - at) * sizeof *b->blocks);
	b->nblocks += count;
}

/* Removes blocks [at, at + count), freeing their data. */
static void drop_blocks(struct buf *b, size_t at, size_t count)
{
	for (size_t k = at; k < at + count; k++)
		free(b->blocks[k].data);
	memmove(&b->blocks[at], &b->blocks[at + count],
		(b->nblocks - at - count) * sizeof *b->blocks);
	b->nblocks -= count;
}

/* Fills block list slots [at, at + count) with the n bytes of s, cut into
 * pieces of BUF_BLOCK_FILL bytes (the last one shorter); the data areas
 * are given. */
static void spread(struct buf *b, size_t at, char **areas, size_t count, const char *s, size_t n)
{
	for (size_t k = 0; k < count; k++) {
		struct buf_block *blk = &b->blocks[at + k];
		size_t len = n < BUF_BLOCK_FILL ? n : BUF_BLOCK_FILL;
		blk->data = areas[k];
		blk->len = len;
		memcpy(blk->data, s, len);
		blk->nls = count_nl(s, len);
		s += len;
		n -= len;
	}
}

/* Allocates count block data areas; frees them all on failure. */
static char **alloc_areas(size_t count)
{
	char **areas = malloc(count * sizeof *areas);

	if (!areas)
		return NULL;
	for (size_t k = 0; k < count; k++) {
		if (!(areas[k] = malloc(BUF_BLOCK_MAX))) {
			while (k--)
				free(areas[k]);
			free(areas);
			return NULL;
		}
	}
	return areas;
}

/* Inserts by rebuilding block i, with the new text, as several blocks. */
static status_t insert_split(struct buf *b, size_t i, size_t o, const char *s, size_t n)
{
	size_t total = b->blocks[i].len + n, count = (total + BUF_BLOCK_FILL - 1) / BUF_BLOCK_FILL;
	char *tmp = malloc(total), **areas;
	struct buf_block *blk;

	if (!tmp || reserve(b, count) || !(areas = alloc_areas(count))) {
		free(tmp);
		return STATUS_NO_MEMORY;
	}
	blk = &b->blocks[i]; /* reserve() may have moved the array */
	memcpy(tmp, blk->data, o);
	memcpy(tmp + o, s, n);
	memcpy(tmp + o + n, blk->data + o, blk->len - o);
	free(b->blocks[i].data);
	open_blocks(b, i + 1, count - 1);
	spread(b, i, areas, count, tmp, total);
	free(areas);
	free(tmp);
	update_from(b, i);
	return STATUS_OK;
}

status_t buf_insert(struct buf *b, size_t pos, const char *s, size_t n)
{
	size_t i, o;
	struct buf_block *blk;

	if (pos > buf_len(b))
		return STATUS_RANGE;
	if (n == 0)
		return STATUS_OK;
	i = find_block(b, pos);
	o = pos - b->off[i];
	blk = &b->blocks[i];
	if (n > BUF_BLOCK_MAX - blk->len)
		return insert_split(b, i, o, s, n);
	memmove(blk->data + o + n, blk->data + o, blk->len - o);
	memcpy(blk->data + o, s, n);
	blk->len += n;
	blk->nls += count_nl(s, n);
	update_from(b, i);
	return STATUS_OK;
}

/* Removes bytes [from, to) of block i. */
static void cut_block(struct buf_block *blk, size_t from, size_t to)
{
	blk->nls -= count_nl(blk->data + from, to - from);
	memmove(blk->data + from, blk->data + to, blk->len - to);
	blk->len -= to - from;
}

/* Joins block i + 1 into block i when both are small, so that deletions
 * never leave a long list of nearly empty blocks; drops an empty block. */
static void tidy(struct buf *b, size_t i)
{
	struct buf_block *blk = &b->blocks[i];

	if (blk->len == 0 && b->nblocks > 1) {
		drop_blocks(b, i, 1);
		return;
	}
	if (i + 1 < b->nblocks && blk->len + blk[1].len <= BUF_BLOCK_FILL) {
		memcpy(blk->data + blk->len, blk[1].data, blk[1].len);
		blk->len += blk[1].len;
		blk->nls += blk[1].nls;
		drop_blocks(b, i + 1, 1);
	}
}

status_t buf_delete(struct buf *b, size_t pos, size_t n)
{
	size_t len = buf_len(b), i, j;

	if (pos > len || n > len - pos)
		return STATUS_RANGE;
	if (n == 0)
		return STATUS_OK;
	i = find_block(b, pos);
	j = find_block(b, pos + n - 1);
	if (i == j) {
		cut_block(&b->blocks[i], pos - b->off[i], pos + n - b->off[i]);
	} else {
		cut_block(&b->blocks[j], 0, pos + n - b->off[j]);
		cut_block(&b->blocks[i], pos - b->off[i], b->blocks[i].len);
		drop_blocks(b, i + 1, j - i - 1);
		if (i + 1 < b->nblocks)
			tidy(b, i + 1);
	}
	tidy(b, i);
	if (i > 0)
		tidy(b, i - 1);
	update_from(b, i > 0 ? i - 1 : 0);
	return STATUS_OK;
}

status_t buf_set(struct buf *b, const char *data, size_t n)
{
	size_t count = n ? (n + BUF_BLOCK_FILL - 1) / BUF_BLOCK_FILL : 1;
	struct buf nb;
	char **areas;

	memset(&nb, 0, sizeof nb);
	if (reserve(&nb, count) || !(areas = alloc_areas(count))) {
		buf_free(&nb);
		return STATUS_NO_MEMORY;
	}
	nb.nblocks = count;
	spread(&nb, 0, areas, count, data, n);
	free(areas);
	nb.off[0] = nb.nl[0] = 0;
	update_from(&nb, 0);
	buf_free(b);
	*b = nb;
	return STATUS_OK;
}
