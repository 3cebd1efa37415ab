/*
 * search.h - finding text in a buffer, plain or by POSIX extended regular
 * expression, forwards or backwards, and building replacement text.
 *
 * Matches never span a line end: the buffer is searched line by line, which
 * keeps a search through a large file free of whole-file copies. A regular
 * expression sees each line on its own (^ and $ anchor at line boundaries);
 * a NUL byte inside a line ends what the expression sees of that line.
 */
#ifndef EDIT_SEARCH_H
#define EDIT_SEARCH_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

#define SEARCH_GROUPS 10

struct search_match {
	size_t start, len;
	/* Sub-expression offsets relative to start; SIZE_MAX if unmatched. */
	size_t sub_start[SEARCH_GROUPS], sub_len[SEARCH_GROUPS];
};

struct search {
	bool regex, icase, compiled;
	regex_t re;
	char *pat;
	size_t patlen;
	char *line; /* scratch copy of the line being searched */
	size_t linecap;
};

void search_init(struct search *s);
void search_free(struct search *s);

/* Prepares pattern pat (n bytes). STATUS_BAD_FORMAT for an invalid regular
 * expression or an empty pattern, STATUS_NO_MEMORY. */
status_t search_set(struct search *s, const char *pat, size_t n, bool regex, bool icase);

/*
 * Finds the first match that starts at or after from (forwards) or the last
 * that starts before from (backwards), wrapping around the buffer when wrap
 * is set. STATUS_NOT_FOUND if there is none, STATUS_NO_MEMORY.
 */
status_t search_find(struct search *s, const struct buf *b, size_t from, bool backward, bool wrap,
		     struct search_match *m);

/*
 * Builds the replacement for match m from template repl (n bytes): for a
 * regular expression, \0..\9 and & stand for the groups and \\ and \& for
 * themselves; a plain search uses repl as it is. Returns a malloc'd string
 * in *out of *outlen bytes.
 */
status_t search_expand(const struct search *s, const struct buf *b, const struct search_match *m,
		       const char *repl, size_t n, char **out, size_t *outlen);

#endif
