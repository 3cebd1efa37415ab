/*
 * undo.h - unlimited undo and redo of buffer edits, in groups.
 *
 * Every edit is recorded as an insertion or a deletion with its text and the
 * cursor before and after it. Records carry a group number: undo and redo
 * take back or replay a whole group at once. The editor opens a new group
 * for each command, except that a run of typing (or of deleting) stays in
 * one group, and adjacent insertions or deletions in one group are merged
 * into a single record.
 */
#ifndef EDIT_UNDO_H
#define EDIT_UNDO_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

enum undo_kind { UNDO_INSERT, UNDO_DELETE };

struct undo_rec {
	enum undo_kind kind;
	size_t pos, len, cap;
	char *text;
	unsigned long group;
	size_t cur_before, cur_after;
};

struct undo {
	struct undo_rec *recs;
	size_t n, cur, cap;  /* [0, cur) done, [cur, n) redoable */
	unsigned long group; /* group of the next record */
	size_t saved;        /* cur when last saved, SIZE_MAX if lost */
};

void undo_init(struct undo *u);
void undo_free(struct undo *u);

/* Starts a new group: the next record will not join the previous ones. */
void undo_next_group(struct undo *u);

/*
 * Records an edit that has just been applied to the buffer: kind at pos of
 * the len bytes at text, with the cursor before and after it. Drops the redo
 * tail. Joins the last record when it is in the same group and contiguous.
 */
status_t undo_add(struct undo *u, enum undo_kind kind, size_t pos, const char *text, size_t len,
		  size_t cur_before, size_t cur_after);

/* Takes back the last group; stores the cursor to restore in *cursor and
 * the lowest offset the group touched in *first. STATUS_EMPTY when there is
 * nothing to undo. */
status_t undo_undo(struct undo *u, struct buf *b, size_t *cursor, size_t *first);

/* Replays the next undone group (same outputs). STATUS_EMPTY when there is
 * nothing to redo. */
status_t undo_redo(struct undo *u, struct buf *b, size_t *cursor, size_t *first);

/* Marks the current state as the one on disk. */
void undo_mark_saved(struct undo *u);

/* True if the text differs from the state last marked saved. */
bool undo_modified(const struct undo *u);

#endif
