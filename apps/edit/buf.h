/*
 * buf.h - the text of one document: a gap buffer of bytes and an index of
 * line starts that is itself kept with a gap.
 *
 * Text is stored as bytes, unchanged (invalid UTF-8 and NUL included). A
 * line ends at '\n'; a buffer of n newlines has n + 1 lines, the last one
 * possibly empty. Entries of the line index before its gap hold absolute
 * offsets; entries after it hold the distance from the end of the text, so
 * an edit only touches the index near the edited line: inserting or deleting
 * text costs the length of the change plus the distance the gaps move, never
 * a pass over the whole file.
 */
#ifndef EDIT_BUF_H
#define EDIT_BUF_H

#include <stdbool.h>
#include <stddef.h>

#include "abi/status.h"

struct buf {
	char *text;		/* cap bytes: [0, gap) text, [gap, gap_end) free */
	size_t cap, gap, gap_end;
	size_t *lines;		/* lcap entries, [lgap, lgap_end) free */
	size_t lcap, lgap, lgap_end;
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

/* The line that contains offset pos (pos <= buf_len()). */
size_t buf_line_of(const struct buf *b, size_t pos);

/* The byte at pos, or -1 when pos >= buf_len(). */
int buf_byte(const struct buf *b, size_t pos);

/* Copies up to n bytes starting at pos to out; returns how many. */
size_t buf_get(const struct buf *b, size_t pos, size_t n, char *out);

/* Inserts n bytes at pos (pos <= buf_len()). STATUS_RANGE for a bad pos,
 * STATUS_NO_MEMORY when growing fails (b unchanged then). */
status_t buf_insert(struct buf *b, size_t pos, const char *s, size_t n);

/* Deletes n bytes at pos. STATUS_RANGE if [pos, pos+n) is not in the text. */
status_t buf_delete(struct buf *b, size_t pos, size_t n);

/* The text as at most two contiguous pieces (before and after the gap), for
 * writing out and searching without copying. */
void buf_pieces(const struct buf *b, const char **a, size_t *alen, const char **c, size_t *clen);

#endif
