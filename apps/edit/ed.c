/*
 * ed.c - documents, edit primitives and scrolling of the editor core.
 */
#define _POSIX_C_SOURCE 200809L
#include "ed.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

void ed_init(struct editor *ed, const struct file_ops *fops, int rows, int cols, unsigned tabw)
{
	memset(ed, 0, sizeof *ed);
	ed->fops = fops;
	ed->rows = rows;
	ed->cols = cols;
	ed->tabw = tabw >= 1 && tabw <= 16 ? tabw : 8;
	ed->autoindent = true;
	ed->s_icase = true;
	search_init(&ed->search);
}

static void doc_free(struct doc *d)
{
	buf_free(&d->buf);
	undo_free(&d->undo);
	hl_cache_free(&d->hl);
	free(d->path);
	free(d);
}

void ed_free(struct editor *ed)
{
	for (size_t i = 0; i < ed->ndocs; i++)
		doc_free(ed->docs[i]);
	free(ed->docs);
	free(ed->clip);
	free(ed->attrs);
	search_free(&ed->search);
	memset(ed, 0, sizeof *ed);
}

struct doc *ed_doc(const struct editor *ed)
{
	return ed->ndocs ? ed->docs[ed->cur] : NULL;
}

void ed_msg(struct editor *ed, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ed->msg, sizeof ed->msg, fmt, ap);
	va_end(ap);
}

void doc_set_lang(struct doc *d)
{
	char first[128];
	size_t n = buf_get(&d->buf, 0, sizeof first, first);

	hl_cache_free(&d->hl);
	hl_cache_init(&d->hl, hl_detect(d->path, first, n));
}

/* Appends d to the document list and makes it current. */
static status_t add_doc(struct editor *ed, struct doc *d)
{
	if (ed->ndocs == ed->capdocs) {
		size_t ncap = ed->capdocs ? ed->capdocs * 2 : 4;
		struct doc **p = realloc(ed->docs, ncap * sizeof *p);
		if (!p)
			return STATUS_NO_MEMORY;
		ed->docs = p;
		ed->capdocs = ncap;
	}
	ed->docs[ed->ndocs] = d;
	ed->cur = ed->ndocs++;
	return STATUS_OK;
}

/* A new empty document named path (which may be NULL). */
static struct doc *doc_create(const char *path)
{
	struct doc *d = calloc(1, sizeof *d);

	if (!d)
		return NULL;
	if (buf_init(&d->buf) || (path && !(d->path = strdup(path)))) {
		buf_free(&d->buf);
		free(d);
		return NULL;
	}
	undo_init(&d->undo);
	hl_cache_init(&d->hl, HL_NONE);
	return d;
}

status_t ed_new(struct editor *ed)
{
	struct doc *d = doc_create(NULL);

	if (!d)
		return STATUS_NO_MEMORY;
	if (add_doc(ed, d)) {
		doc_free(d);
		return STATUS_NO_MEMORY;
	}
	return STATUS_OK;
}

status_t ed_open(struct editor *ed, const char *path)
{
	struct file_error e;
	struct doc *d;
	status_t st;

	for (size_t i = 0; i < ed->ndocs; i++) {
		if (ed->docs[i]->path && strcmp(ed->docs[i]->path, path) == 0) {
			ed->cur = i;
			return STATUS_OK;
		}
	}
	if (!(d = doc_create(path)))
		return STATUS_NO_MEMORY;
	st = file_load(ed->fops, path, &d->buf, &d->is_new, &e);
	if (st || (st = add_doc(ed, d))) {
		ed_msg(ed, "Cannot open %s: %s", path,
		       e.err ? strerror(e.err) : status_message(st));
		doc_free(d);
		return st;
	}
	doc_set_lang(d);
	if (d->is_new)
		ed_msg(ed, "New file %s", path);
	else
		ed_msg(ed, "Read %zu lines", buf_lines(&d->buf));
	return STATUS_OK;
}

void doc_set_cursor(struct editor *ed, struct doc *d, size_t pos)
{
	size_t len = buf_len(&d->buf);

	d->cur = pos > len ? len : pos;
	d->want_col = text_col(&d->buf, d->cur, ed->tabw);
}

/* Moves an offset that lies after an edit at pos: by +delta for an
 * insertion, or clamps it into the deleted range's start. */
static size_t shift_insert(size_t off, size_t pos, size_t n)
{
	return off >= pos ? off + n : off;
}

static size_t shift_delete(size_t off, size_t pos, size_t n)
{
	if (off >= pos + n)
		return off - n;
	return off > pos ? pos : off;
}

status_t doc_insert(struct editor *ed, struct doc *d, size_t pos, const char *s, size_t n)
{
	size_t before = d->cur;
	status_t st;

	if (n == 0)
		return STATUS_OK;
	if ((st = buf_insert(&d->buf, pos, s, n)))
		return st;
	hl_cache_invalidate(&d->hl, buf_line_of(&d->buf, pos));
	d->mark = shift_insert(d->mark, pos, n);
	d->cur = shift_insert(d->cur, pos, n);
	if (before == pos)
		d->cur = pos + n;
	d->want_col = text_col(&d->buf, d->cur, ed->tabw);
	return undo_add(&d->undo, UNDO_INSERT, pos, s, n, before, d->cur);
}

status_t doc_delete(struct editor *ed, struct doc *d, size_t pos, size_t n)
{
	size_t before = d->cur;
	char *text;
	status_t st;

	if (n == 0)
		return STATUS_OK;
	if (!(text = malloc(n)))
		return STATUS_NO_MEMORY;
	buf_get(&d->buf, pos, n, text);
	st = buf_delete(&d->buf, pos, n);
	if (!st) {
		hl_cache_invalidate(&d->hl, buf_line_of(&d->buf, pos));
		d->mark = shift_delete(d->mark, pos, n);
		d->cur = shift_delete(d->cur, pos, n);
		d->want_col = text_col(&d->buf, d->cur, ed->tabw);
		st = undo_add(&d->undo, UNDO_DELETE, pos, text, n, before, d->cur);
	}
	free(text);
	return st;
}

int ed_text_rows(const struct editor *ed)
{
	return ed->rows >= 3 ? ed->rows - 2 : 1;
}

int ed_gutter(const struct editor *ed)
{
	const struct doc *d = ed_doc(ed);
	int digits = 1;

	if (!ed->linenums || !d)
		return 0;
	for (size_t n = buf_lines(&d->buf); n >= 10; n /= 10)
		digits++;
	return digits + 1 < ed->cols ? digits + 1 : 0;
}

void ed_scroll(struct editor *ed)
{
	struct doc *d = ed_doc(ed);
	size_t line, col, rows = (size_t)ed_text_rows(ed);
	size_t width = (size_t)(ed->cols - ed_gutter(ed));

	if (!d)
		return;
	line = buf_line_of(&d->buf, d->cur);
	if (line < d->top)
		d->top = line;
	if (line >= d->top + rows)
		d->top = line - rows + 1;
	col = text_col(&d->buf, d->cur, ed->tabw);
	if (col < d->left)
		d->left = col > width / 4 ? col - width / 4 : 0;
	if (col >= d->left + width)
		d->left = col - width + width / 4 + 1;
}

void ed_resize(struct editor *ed, int rows, int cols)
{
	ed->rows = rows > 0 ? rows : 1;
	ed->cols = cols > 0 ? cols : 1;
	ed->redraw = true;
	ed_scroll(ed);
}

char *ed_text(const struct editor *ed, size_t *len)
{
	const struct doc *d = ed_doc(ed);
	size_t n = d ? buf_len(&d->buf) : 0;
	char *s = malloc(n + 1);

	if (!s)
		return NULL;
	if (d)
		buf_get(&d->buf, 0, n, s);
	s[n] = '\0';
	if (len)
		*len = n;
	return s;
}

void ed_close_current(struct editor *ed)
{
	if (!ed->ndocs)
		return;
	doc_free(ed->docs[ed->cur]);
	memmove(&ed->docs[ed->cur], &ed->docs[ed->cur + 1],
		(ed->ndocs - ed->cur - 1) * sizeof ed->docs[0]);
	ed->ndocs--;
	if (ed->cur >= ed->ndocs && ed->cur > 0)
		ed->cur--;
	ed->match_shown = false;
	if (ed->ndocs == 0)
		ed->quit = true;
}

status_t ed_save_to(struct editor *ed, const char *path)
{
	struct doc *d = ed_doc(ed);
	struct file_error e;
	char *p;

	if (file_save(ed->fops, path, &d->buf, &e)) {
		ed_msg(ed, "Cannot save %s: %s", path,
		       e.err ? strerror(e.err) : status_message(e.st));
		return e.st;
	}
	if (!d->path || strcmp(d->path, path) != 0) {
		if (!(p = strdup(path)))
			return STATUS_NO_MEMORY;
		free(d->path);
		d->path = p;
		doc_set_lang(d);
	}
	undo_mark_saved(&d->undo);
	undo_next_group(&d->undo);
	d->is_new = false;
	ed_msg(ed, "Wrote %zu lines to %s", buf_lines(&d->buf), path);
	return STATUS_OK;
}

void ed_key(struct editor *ed, keycode_t key)
{
	if (!ed_doc(ed))
		return;
	if (ed->help) {
		ed->help = false;
		return;
	}
	if (ed->pr.kind != PROMPT_NONE) {
		prompt_key(ed, key);
		return;
	}
	ed->msg[0] = '\0';
	ed->match_shown = false;
	cmd_dispatch(ed, key);
}
