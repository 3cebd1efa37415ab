/*
 * lineio.c - reading lines of any length, and opening input files with the
 * conventional "-" for standard input.
 */
#include "toolbox.h"

#include <stdlib.h>
#include <string.h>

/* Reads one line ending in delim (kept) or at end of file into l. Returns 1
 * when a line was read, 0 at end of file, -1 on a read or memory error. */
int line_read(struct line *l, FILE *f, int delim)
{
	int c;

	l->len = 0;
	while ((c = getc(f)) != EOF) {
		if (l->len + 2 > l->cap) {
			size_t cap = l->cap ? l->cap * 2 : 128;
			char *nb = realloc(l->buf, cap);
			if (!nb)
				return -1;
			l->buf = nb;
			l->cap = cap;
		}
		l->buf[l->len++] = (char)c;
		if (c == delim)
			break;
	}
	if (l->buf)
		l->buf[l->len] = '\0';
	if (ferror(f))
		return -1;
	return l->len > 0 || c != EOF;
}

void line_free(struct line *l)
{
	free(l->buf);
	l->buf = NULL;
	l->cap = l->len = 0;
}

/* Opens path for reading ("-" is standard input); on failure reports
 * "NAME: PATH: error" and returns NULL. */
FILE *file_open(const char *name, const char *path)
{
	if (strcmp(path, "-") == 0)
		return stdin;
	FILE *f = fopen(path, "r");
	if (!f)
		msg_errno(name, "%s", path);
	return f;
}

/* Closes a stream from file_open, leaving standard input open. */
void file_close(FILE *f)
{
	if (f && f != stdin)
		fclose(f);
	else if (f)
		clearerr(f);
}
