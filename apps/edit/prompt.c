/*
 * prompt.c - the one-line prompts on the bottom row and the commands that
 * use them: save as, open, go to line, incremental search, replace with
 * confirmation, and the save-before-closing question.
 */
#include "ed.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "utf8.h"

void prompt_start(struct editor *ed, enum prompt_kind kind, const char *initial)
{
	struct prompt *p = &ed->pr;
	struct doc *d = ed_doc(ed);
	size_t n = strlen(initial);

	if (n >= PROMPT_MAX)
		n = PROMPT_MAX - 1;
	p->kind = kind;
	memcpy(p->text, initial, n);
	p->text[n] = '\0';
	p->len = p->cur = n;
	p->origin = p->home = d->cur;
	p->home_top = d->top;
	ed->last_cmd = CMD_OTHER;
	undo_next_group(&d->undo);
}

const char *prompt_label(const struct editor *ed)
{
	static const char *const find_labels[8] = {
		"Search: ",
		"Search [case]: ",
		"Search [regex]: ",
		"Search [regex,case]: ",
		"Search backwards: ",
		"Search backwards [case]: ",
		"Search backwards [regex]: ",
		"Search backwards [regex,case]: ",
	};
	int f = (ed->s_icase ? 0 : 1) | (ed->s_regex ? 2 : 0) | (ed->s_backward ? 4 : 0);

	switch (ed->pr.kind) {
	case PROMPT_SAVE_AS:
		return "Save as: ";
	case PROMPT_OPEN:
		return "Open file (empty: new buffer): ";
	case PROMPT_GOTO:
		return "Go to line: ";
	case PROMPT_FIND:
		return find_labels[f];
	case PROMPT_REPLACE_FIND:
		return ed->s_regex ? "Replace [regex]: " : "Replace: ";
	case PROMPT_REPLACE_WITH:
		return "Replace with: ";
	case PROMPT_ASK_SAVE:
		return "Save modified buffer? (y)es (n)o (c)ancel ";
	case PROMPT_ASK_REPLACE:
		return "Replace this one? (y)es (n)o (a)ll (q)uit ";
	default:
		return "";
	}
}

static void prompt_end(struct editor *ed)
{
	ed->pr.kind = PROMPT_NONE;
}

/* Shows match m as the highlighted match with the cursor on it. */
static void show_match(struct editor *ed, const struct search_match *m)
{
	struct doc *d = ed_doc(ed);

	doc_set_cursor(ed, d, m->start);
	ed->match_start = m->start;
	ed->match_len = m->len;
	ed->match_shown = true;
}

/* Compiles the pattern text (the last one when text is empty). */
static status_t set_pattern(struct editor *ed, const char *text)
{
	status_t st;

	if (!*text)
		text = ed->last_find;
	st = search_set(&ed->search, text, strlen(text), ed->s_regex, ed->s_icase);
	ed->s_valid = st == STATUS_OK;
	if (st == STATUS_BAD_FORMAT && *text)
		ed_msg(ed, "Bad regular expression");
	else if (st == STATUS_OK && text != ed->last_find)
		memcpy(ed->last_find, text, strlen(text) + 1);
	return st;
}

/* The incremental step: finds the prompt's text from the origin. */
static void find_incremental(struct editor *ed)
{
	struct doc *d = ed_doc(ed);
	struct search_match m;

	ed->match_shown = false;
	ed->msg[0] = '\0';
	if (ed->pr.len == 0 || set_pattern(ed, ed->pr.text)) {
		doc_set_cursor(ed, d, ed->pr.origin);
		return;
	}
	if (search_find(&ed->search, &d->buf, ed->pr.origin, ed->s_backward, true, &m)) {
		ed_msg(ed, "\"%s\" not found", ed->pr.text);
		doc_set_cursor(ed, d, ed->pr.origin);
		return;
	}
	show_match(ed, &m);
}

void find_next(struct editor *ed, bool backward)
{
	struct doc *d = ed_doc(ed);
	struct search_match m;
	size_t from = backward ? d->cur : text_next_char(&d->buf, d->cur);

	if (!ed->s_valid) {
		ed_msg(ed, "No search pattern");
		return;
	}
	if (search_find(&ed->search, &d->buf, from, backward, true, &m)) {
		ed_msg(ed, "\"%s\" not found", ed->last_find);
		return;
	}
	if (backward ? m.start >= d->cur : m.start < from)
		ed_msg(ed, "Search wrapped");
	show_match(ed, &m);
}

/* Finds the next match of a replace session from the cursor: first to the
 * end of the text, then from the top up to where the session began. */
static bool replace_find(struct editor *ed, struct search_match *m)
{
	struct doc *d = ed_doc(ed);

	if (!ed->rep_wrapped) {
		if (search_find(&ed->search, &d->buf, d->cur, false, false, m) == STATUS_OK)
			return true;
		ed->rep_wrapped = true;
		d->cur = 0;
	}
	if (d->cur >= ed->rep_stop)
		return false;
	return search_find(&ed->search, &d->buf, d->cur, false, false, m) == STATUS_OK &&
	       m->start < ed->rep_stop;
}

/* Moves the cursor past match m (which was replaced by n bytes). */
static void replace_advance(struct editor *ed, const struct search_match *m, size_t n)
{
	struct doc *d = ed_doc(ed);
	size_t pos = m->start + n;

	if (m->len == 0) {
		if (pos >= buf_len(&d->buf)) {
			pos = buf_len(&d->buf);
			if (!ed->rep_wrapped)
				ed->rep_wrapped = true, pos = 0;
			else
				ed->rep_stop = 0; /* nothing more to see */
		} else {
			pos = text_next_char(&d->buf, pos);
		}
	}
	d->cur = pos;
}

/* Replaces match m by the expanded template. */
static status_t replace_one(struct editor *ed, const struct search_match *m)
{
	struct doc *d = ed_doc(ed);
	char *text;
	size_t n;
	status_t st = search_expand(&ed->search, &d->buf, m, ed->replace, ed->replace_len, &text,
				    &n);

	if (st)
		return st;
	st = doc_delete(ed, d, m->start, m->len);
	if (!st)
		st = doc_insert(ed, d, m->start, text, n);
	free(text);
	if (st)
		return st;
	if (ed->rep_wrapped && m->start + m->len <= ed->rep_stop)
		ed->rep_stop = ed->rep_stop - m->len + n;
	else if (ed->rep_wrapped)
		ed->rep_stop = m->start + n;
	ed->rep_count++;
	replace_advance(ed, m, n);
	return STATUS_OK;
}

static void replace_finish(struct editor *ed)
{
	struct doc *d = ed_doc(ed);

	prompt_end(ed);
	ed->match_shown = false;
	undo_next_group(&d->undo);
	if (d->cur > buf_len(&d->buf))
		d->cur = buf_len(&d->buf);
	doc_set_cursor(ed, d, d->cur);
	ed_msg(ed, "Replaced %zu occurrence%s", ed->rep_count, ed->rep_count == 1 ? "" : "s");
}

/* Goes to the next match and asks about it, or replaces everything left
 * when all is set. */
static void replace_next(struct editor *ed, bool all)
{
	struct search_match m;

	while (replace_find(ed, &m)) {
		if (!all) {
			show_match(ed, &m);
			ed->pr.kind = PROMPT_ASK_REPLACE;
			return;
		}
		if (replace_one(ed, &m)) {
			ed_msg(ed, "Out of memory while replacing");
			break;
		}
	}
	replace_finish(ed);
}

static void replace_answer(struct editor *ed, keycode_t key)
{
	struct search_match m;
	struct doc *d = ed_doc(ed);

	m.start = ed->match_start;
	m.len = ed->match_len;
	if (key == 'y' || key == 'Y' || key == 'a' || key == 'A') {
		/* Re-find at the match to get its groups. */
		if (search_find(&ed->search, &d->buf, m.start, false, false, &m) == STATUS_OK)
			replace_one(ed, &m);
		replace_next(ed, key == 'a' || key == 'A');
	} else if (key == 'n' || key == 'N') {
		replace_advance(ed, &m, m.len);
		replace_next(ed, false);
	} else if (key == 'q' || key == 'Q' || key == KEY_ESC || key == KEY_CTRL('c')) {
		replace_finish(ed);
	}
}

static void replace_start(struct editor *ed)
{
	struct doc *d = ed_doc(ed);

	memcpy(ed->replace, ed->pr.text, ed->pr.len + 1);
	ed->replace_len = ed->pr.len;
	ed->rep_count = 0;
	ed->rep_wrapped = false;
	ed->rep_stop = d->cur;
	undo_next_group(&d->undo);
	replace_next(ed, false);
}

/* The answer to "save modified buffer?". */
static void save_answer(struct editor *ed, keycode_t key)
{
	struct doc *d = ed_doc(ed);

	if (key == 'y' || key == 'Y') {
		prompt_end(ed);
		if (!d->path) {
			ed->close_after_save = true;
			prompt_start(ed, PROMPT_SAVE_AS, "");
		} else if (ed_save_to(ed, d->path) == STATUS_OK) {
			ed_close_current(ed);
			if (ed->quitting_all && ed->ndocs)
				ed_close_step(ed);
		} else {
			ed->quitting_all = false;
		}
	} else if (key == 'n' || key == 'N') {
		prompt_end(ed);
		ed_close_current(ed);
		if (ed->quitting_all && ed->ndocs)
			ed_close_step(ed);
	} else if (key == 'c' || key == 'C' || key == KEY_ESC || key == KEY_CTRL('c')) {
		prompt_end(ed);
		ed->quitting_all = false;
	}
}

static void goto_line(struct editor *ed, const char *text)
{
	struct doc *d = ed_doc(ed);
	char *end;
	unsigned long n = strtoul(text, &end, 10);

	if (end == text || *end) {
		ed_msg(ed, "Not a line number: %s", text);
		return;
	}
	if (n < 1)
		n = 1;
	if (n > buf_lines(&d->buf))
		n = buf_lines(&d->buf);
	doc_set_cursor(ed, d, buf_line_start(&d->buf, n - 1));
}

/* Acts on Enter in a text prompt. */
static void accept(struct editor *ed)
{
	struct doc *d = ed_doc(ed);
	char *text = ed->pr.text;
	enum prompt_kind kind = ed->pr.kind;

	prompt_end(ed);
	if (kind == PROMPT_SAVE_AS && *text) {
		if (ed_save_to(ed, text) == STATUS_OK && ed->close_after_save) {
			ed_close_current(ed);
			if (ed->quitting_all && ed->ndocs)
				ed_close_step(ed);
		}
	} else if (kind == PROMPT_OPEN) {
		if (*text ? ed_open(ed, text) == STATUS_OK : ed_new(ed) == STATUS_OK)
			ed_msg(ed, "Buffer %zu of %zu", ed->cur + 1, ed->ndocs);
	} else if (kind == PROMPT_GOTO) {
		goto_line(ed, text);
	} else if (kind == PROMPT_FIND) {
		if (!*text && set_pattern(ed, text) == STATUS_OK)
			find_next(ed, ed->s_backward);
		else if (ed->match_shown)
			d->want_col = text_col(&d->buf, d->cur, ed->tabw);
	} else if (kind == PROMPT_REPLACE_FIND) {
		if (set_pattern(ed, text) == STATUS_OK)
			prompt_start(ed, PROMPT_REPLACE_WITH, "");
	} else if (kind == PROMPT_REPLACE_WITH) {
		replace_start(ed);
	}
	if (ed->pr.kind == PROMPT_NONE)
		ed->close_after_save = false;
}

/* Cancels a text prompt; a search puts the cursor back where it was. */
static void cancel(struct editor *ed)
{
	struct doc *d = ed_doc(ed);

	if (ed->pr.kind == PROMPT_FIND) {
		doc_set_cursor(ed, d, ed->pr.home);
		d->top = ed->pr.home_top;
	}
	ed->match_shown = false;
	ed->quitting_all = false;
	ed->close_after_save = false;
	prompt_end(ed);
	ed_msg(ed, "Cancelled");
}

/* Line editing inside the prompt; returns true if the text changed. */
static bool edit_text(struct prompt *p, keycode_t key)
{
	char s[4];
	size_t n;

	if (key == KEY_BACKSPACE || key == KEY_CTRL('h')) {
		size_t q = p->cur;
		while (q > 0 && utf8_is_cont((unsigned char)p->text[q - 1]))
			q--;
		if (q == 0 && p->cur == 0)
			return false;
		q = q > 0 && q == p->cur ? q - 1 : q;
		memmove(p->text + q, p->text + p->cur, p->len - p->cur + 1);
		p->len -= p->cur - q;
		p->cur = q;
		return true;
	}
	if (key == KEY_LEFT) {
		while (p->cur > 0 && utf8_is_cont((unsigned char)p->text[--p->cur]))
			;
	} else if (key == KEY_RIGHT) {
		while (p->cur < p->len && utf8_is_cont((unsigned char)p->text[++p->cur]))
			;
	} else if (key == KEY_HOME || key == KEY_CTRL('a')) {
		p->cur = 0;
	} else if (key == KEY_END || key == KEY_CTRL('e')) {
		p->cur = p->len;
	} else if ((key >= 0x20 && key < KEY_SPECIAL && key != 0x7f) || key == '\t') {
		n = utf8_encode((uint32_t)key, s);
		if (n == 0 || p->len + n >= PROMPT_MAX)
			return false;
		memmove(p->text + p->cur + n, p->text + p->cur, p->len - p->cur + 1);
		memcpy(p->text + p->cur, s, n);
		p->len += n;
		p->cur += n;
		return true;
	}
	return false;
}

/* Search option toggles inside the search prompts; true if one applied. */
static bool search_toggle(struct editor *ed, keycode_t key)
{
	if (key == (KEY_ALT | 'r') || key == (KEY_ALT | 'R'))
		ed->s_regex = !ed->s_regex;
	else if (key == (KEY_ALT | 'c') || key == (KEY_ALT | 'C'))
		ed->s_icase = !ed->s_icase;
	else if (key == (KEY_ALT | 'b') || key == (KEY_ALT | 'B'))
		ed->s_backward = !ed->s_backward;
	else
		return false;
	return true;
}

/* In the search prompt, ^F/^W move on to the next match. */
static void find_again(struct editor *ed)
{
	struct doc *d = ed_doc(ed);

	if (!ed->match_shown)
		return;
	ed->pr.origin = ed->s_backward ? d->cur : text_next_char(&d->buf, d->cur);
	find_incremental(ed);
}

void prompt_key(struct editor *ed, keycode_t key)
{
	enum prompt_kind kind = ed->pr.kind;
	bool searching = kind == PROMPT_FIND || kind == PROMPT_REPLACE_FIND;

	if (kind == PROMPT_ASK_SAVE)
		save_answer(ed, key);
	else if (kind == PROMPT_ASK_REPLACE)
		replace_answer(ed, key);
	else if (key == KEY_ESC || key == KEY_CTRL('c'))
		cancel(ed);
	else if (key == KEY_CTRL('m') || key == KEY_CTRL('j'))
		accept(ed);
	else if (searching && search_toggle(ed, key)) {
		if (kind == PROMPT_FIND)
			find_incremental(ed);
	} else if (kind == PROMPT_FIND && (key == KEY_CTRL('f') || key == KEY_CTRL('w')))
		find_again(ed);
	else if (edit_text(&ed->pr, key) && kind == PROMPT_FIND)
		find_incremental(ed);
}
