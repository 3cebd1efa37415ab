/*
 * buf.h - the text of one document: a list of blocks of at most
 * BUF_BLOCK_MAX bytes each, with prefix sums of bytes and newlines.
 *
 * Text is stored as bytes, unchanged (invalid UTF-8 and NUL included). A
 * line ends at '\n'; a buffer of n newlines has n + 1 lines, the last one
 * possibly empty. An edit touches one block (or splits it) and then
 * updates the prefix sums, one addition per block: its cost depends on the
 * size of the change and the number of blocks, never on where in a large
 * file it happens or where the previous edit was. The prefix sums are the
 * line index: finding line n or the line of an offset is a binary search
 * over the blocks and a scan inside one block.
 */
#ifndef EDIT_BUF_H
#define EDIT_BUF_H

#include <stdbool.h>
#include <stddef.h>

#include "abi/status.h"

#define BUF_BLOCK_MAX 8192  /* a block never holds more */
#define BUF_BLOCK_FILL 4096 /* how full new blocks are made */

struct buf_block {
	char *data; /* BUF_BLOCK_MAX bytes */
	size_t len;
	size_t nls; /* newlines in data[0, len) */
};

struct buf {
	struct buf_block *blocks;
	size_t nblocks, capblocks;
	size_t *off; /* off[i]: offset of block i; off[nblocks] = length */
	size_t *nl;  /* nl[i]: newlines before block i; nl[nblocks] = all */
};

/* Makes b an empty buffer (one empty line). STATUS_NO_MEMORY on failure. */
status_t buf_init(struct buf *b);

/* Releases b's storage; b may be reinitialised afterwards. */
void buf_free(struct buf *b);

/* Replaces the whole text with the n bytes at data and rebuilds the line
 * index. On failure b is unchanged. */
status_t buf_set(struct buf *b, const char *data, size_t n);

/* Length of the text in bytes. */
size_t buf_len(const struct buf *b);

/* Number of lines (newlines + 1). */
size_t buf_lines(const struct buf *b);

/* Offset of the first byte of line (0-based); buf_len() for line >= lines. */
size_t buf_line_start(const struct buf *b, size_t line);

/* Offset of line's terminating '\n', or buf_len() for the last line. */
size_t buf_line_end(const struct buf *b, size_t line);

/* The offset of the first '\n' at or after pos, or buf_len(). Costs the
 * distance scanned: walking lines this way never searches the index. */
size_t buf_next_nl(const struct buf *b, size_t pos);

/* The start of the line that contains offset pos, found by scanning back
 * from pos: costs the distance scanned, like buf_next_nl(). */
size_t buf_line_start_of(const struct buf *b, size_t pos);

/* The line that contains offset pos (pos <= buf_len()). */
size_t buf_line_of(const struct buf *b, size_t pos);

/* The byte at pos, or -1 when pos >= buf_len(). */
int buf_byte(const struct buf *b, size_t pos);

/* Copies up to n bytes starting at pos to out; returns how many. */
size_t buf_get(const struct buf *b, size_t pos, size_t n, char *out);

/* A pointer to the n bytes at pos when they lie in one block (so they can
 * be read in place until the next edit), else NULL. */
const char *buf_peek(const struct buf *b, size_t pos, size_t n);

/* The line that starts at pos: stores its length (up to its newline or the
 * end) in *n and returns a pointer to it in place when it lies in one
 * block, else NULL (read it with buf_get then). */
const char *buf_line_at(const struct buf *b, size_t pos, size_t *n);

/* Inserts n bytes at pos (pos <= buf_len()). STATUS_RANGE for a bad pos,
 * STATUS_NO_MEMORY when growing fails (b unchanged then). */
status_t buf_insert(struct buf *b, size_t pos, const char *s, size_t n);

/* Deletes n bytes at pos. STATUS_RANGE if [pos, pos+n) is not in the text. */
status_t buf_delete(struct buf *b, size_t pos, size_t n);

/* Walks the text as contiguous pieces, for writing it out without copying:
 * start with *i = 0; each call stores the next piece and returns false
 * when there is none left. */
bool buf_chunk(const struct buf *b, size_t *i, const char **p, size_t *n);

#endif
