/*
 * undo.c - the undo log (see undo.h).
 */
#include "undo.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void undo_init(struct undo *u)
{
	memset(u, 0, sizeof *u);
	u->group = 1;
}

/* Frees the texts of records [from, n) and forgets them. */
static void drop_from(struct undo *u, size_t from)
{
	for (size_t i = from; i < u->n; i++)
		free(u->recs[i].text);
	u->n = from;
	if (u->saved != SIZE_MAX && u->saved > from)
		u->saved = SIZE_MAX;
}

void undo_free(struct undo *u)
{
	drop_from(u, 0);
	free(u->recs);
	memset(u, 0, sizeof *u);
}

void undo_next_group(struct undo *u)
{
	u->group++;
}

/* Makes room in r for len more bytes of text. */
static status_t reserve_text(struct undo_rec *r, size_t len)
{
	size_t ncap;
	char *t;

	if (r->cap - r->len >= len)
		return STATUS_OK;
	ncap = (r->len + len) * 2;
	t = realloc(r->text, ncap ? ncap : 1);
	if (!t)
		return STATUS_NO_MEMORY;
	r->text = t;
	r->cap = ncap;
	return STATUS_OK;
}

/* Tries to extend the last record with the new edit; true if it did. A run
 * of typing appends; backspacing prepends; forward deletes append. */
static bool try_merge(struct undo *u, enum undo_kind kind, size_t pos, const char *text, size_t len,
		      size_t cur_after)
{
	struct undo_rec *r;

	if (u->cur == 0 || u->cur != u->n || u->saved == u->cur)
		return false;
	r = &u->recs[u->cur - 1];
	if (r->group != u->group || r->kind != kind)
		return false;
	if (kind == UNDO_INSERT && pos == r->pos + r->len) {
		if (reserve_text(r, len))
			return false;
		memcpy(r->text + r->len, text, len);
	} else if (kind == UNDO_DELETE && pos == r->pos) {
		if (reserve_text(r, len))
			return false;
		memcpy(r->text + r->len, text, len);
	} else if (kind == UNDO_DELETE && pos + len == r->pos) {
		if (reserve_text(r, len))
			return false;
		memmove(r->text + len, r->text, r->len);
		memcpy(r->text, text, len);
		r->pos = pos;
	} else {
		return false;
	}
	r->len += len;
	r->cur_after = cur_after;
	return true;
}

status_t undo_add(struct undo *u, enum undo_kind kind, size_t pos, const char *text, size_t len,
		  size_t cur_before, size_t cur_after)
{
	struct undo_rec *r;

	drop_from(u, u->cur);
	if (try_merge(u, kind, pos, text, len, cur_after))
		return STATUS_OK;
	if (u->n == u->cap) {
		size_t ncap = u->cap ? u->cap * 2 : 64;
		struct undo_rec *nr = realloc(u->recs, ncap * sizeof *nr);
		if (!nr)
			return STATUS_NO_MEMORY;
		u->recs = nr;
		u->cap = ncap;
	}
	r = &u->recs[u->n];
	memset(r, 0, sizeof *r);
	if (reserve_text(r, len))
		return STATUS_NO_MEMORY;
	memcpy(r->text, text, len);
	r->kind = kind;
	r->pos = pos;
	r->len = len;
	r->group = u->group;
	r->cur_before = cur_before;
	r->cur_after = cur_after;
	u->cur = ++u->n;
	return STATUS_OK;
}

/* Applies r to b forwards (redo) or backwards (undo). */
static status_t apply(const struct undo_rec *r, struct buf *b, bool forward)
{
	bool insert = (r->kind == UNDO_INSERT) == forward;

	if (insert)
		return buf_insert(b, r->pos, r->text, r->len);
	return buf_delete(b, r->pos, r->len);
}

status_t undo_undo(struct undo *u, struct buf *b, size_t *cursor, size_t *first)
{
	unsigned long g;
	status_t st;

	if (u->cur == 0)
		return STATUS_EMPTY;
	g = u->recs[u->cur - 1].group;
	*first = SIZE_MAX;
	while (u->cur > 0 && u->recs[u->cur - 1].group == g) {
		const struct undo_rec *r = &u->recs[u->cur - 1];
		if ((st = apply(r, b, false)))
			return st;
		*cursor = r->cur_before;
		*first = r->pos < *first ? r->pos : *first;
		u->cur--;
	}
	u->group++;
	return STATUS_OK;
}

status_t undo_redo(struct undo *u, struct buf *b, size_t *cursor, size_t *first)
{
	unsigned long g;
	status_t st;

	if (u->cur == u->n)
		return STATUS_EMPTY;
	g = u->recs[u->cur].group;
	*first = SIZE_MAX;
	while (u->cur < u->n && u->recs[u->cur].group == g) {
		const struct undo_rec *r = &u->recs[u->cur];
		if ((st = apply(r, b, true)))
			return st;
		*cursor = r->cur_after;
		*first = r->pos < *first ? r->pos : *first;
		u->cur++;
	}
	u->group++;
	return STATUS_OK;
}

void undo_mark_saved(struct undo *u)
{
	u->saved = u->cur;
	u->group++; /* the saved state stays a step of its own */
}

bool undo_modified(const struct undo *u)
{
	return u->saved != u->cur;
}
