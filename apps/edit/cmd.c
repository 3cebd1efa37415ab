/*
 * cmd.c - the key bindings (nano-like, see docs/editor.md) and the commands
 * that do not need a prompt.
 */
#include "ed.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "utf8.h"

/* Starts a command of kind k: a new undo group unless it continues a run
 * of the same kind of typing or deleting. */
static void begin(struct editor *ed, enum cmd_kind k)
{
	struct doc *d = ed_doc(ed);

	if (k == CMD_OTHER || k == CMD_CUT || k != ed->last_cmd)
		undo_next_group(&d->undo);
	ed->last_cmd = k;
}

static size_t cur_line(const struct doc *d)
{
	return buf_line_of(&d->buf, d->cur);
}

static void report(struct editor *ed, status_t st)
{
	if (st)
		ed_msg(ed, "Error: %s", status_message(st));
}

static void insert_text(struct editor *ed, const char *s, size_t n)
{
	struct doc *d = ed_doc(ed);

	report(ed, doc_insert(ed, d, d->cur, s, n));
}

/* Inserts a typed key: a character, a tab or a raw byte. */
static void cmd_type(struct editor *ed, keycode_t key)
{
	char s[4];
	size_t n;

	begin(ed, CMD_TYPE);
	if (KEY_IS_BYTE(key)) {
		s[0] = (char)(key & 0xff);
		n = 1;
	} else {
		n = utf8_encode((uint32_t)key, s);
	}
	insert_text(ed, s, n);
}

/* Splits the line at the cursor, copying the indentation when auto-indent
 * is on. */
static void cmd_enter(struct editor *ed)
{
	struct doc *d = ed_doc(ed);
	size_t start = buf_line_start(&d->buf, cur_line(d)), n = 1;
	char indent[256];

	begin(ed, CMD_OTHER);
	indent[0] = '\n';
	while (ed->autoindent && n < sizeof indent && start + n - 1 < d->cur) {
		int c = buf_byte(&d->buf, start + n - 1);
		if (c != ' ' && c != '\t')
			break;
		indent[n++] = (char)c;
	}
	insert_text(ed, indent, n);
}

static void cmd_backspace(struct editor *ed)
{
	struct doc *d = ed_doc(ed);
	size_t p = text_prev_char(&d->buf, d->cur);

	begin(ed, CMD_BACKSPACE);
	report(ed, doc_delete(ed, d, p, d->cur - p));
}

static void cmd_delete(struct editor *ed)
{
	struct doc *d = ed_doc(ed);
	size_t p = text_next_char(&d->buf, d->cur);

	begin(ed, CMD_DELETE);
	report(ed, doc_delete(ed, d, d->cur, p - d->cur));
}

static void move_to(struct editor *ed, size_t pos)
{
	doc_set_cursor(ed, ed_doc(ed), pos);
}

/* Moves the cursor n lines down (negative: up), keeping its column. */
static void move_lines(struct editor *ed, long n)
{
	struct doc *d = ed_doc(ed);
	size_t line = cur_line(d), last = buf_lines(&d->buf) - 1;

	if (n < 0)
		line = (size_t)-n > line ? 0 : line - (size_t)-n;
	else
		line = (size_t)n > last - line ? last : line + (size_t)n;
	d->cur = text_pos_at_col(&d->buf, line, d->want_col, ed->tabw);
}

static void cmd_left(struct editor *ed)
{
	move_to(ed, text_prev_char(&ed_doc(ed)->buf, ed_doc(ed)->cur));
}

static void cmd_right(struct editor *ed)
{
	move_to(ed, text_next_char(&ed_doc(ed)->buf, ed_doc(ed)->cur));
}

static void cmd_up(struct editor *ed)
{
	move_lines(ed, -1);
}

static void cmd_down(struct editor *ed)
{
	move_lines(ed, 1);
}

static void cmd_word_left(struct editor *ed)
{
	move_to(ed, text_prev_word(&ed_doc(ed)->buf, ed_doc(ed)->cur));
}

static void cmd_word_right(struct editor *ed)
{
	move_to(ed, text_next_word(&ed_doc(ed)->buf, ed_doc(ed)->cur));
}

static void cmd_home(struct editor *ed)
{
	move_to(ed, buf_line_start(&ed_doc(ed)->buf, cur_line(ed_doc(ed))));
}

static void cmd_end(struct editor *ed)
{
	move_to(ed, buf_line_end(&ed_doc(ed)->buf, cur_line(ed_doc(ed))));
}

static void cmd_file_start(struct editor *ed)
{
	move_to(ed, 0);
}

static void cmd_file_end(struct editor *ed)
{
	move_to(ed, buf_len(&ed_doc(ed)->buf));
}

/* Pages keep the cursor's place on the screen: the view scrolls by as many
 * lines as the cursor moves. */
static void page(struct editor *ed, long dir)
{
	struct doc *d = ed_doc(ed);
	long rows = ed_text_rows(ed) > 2 ? ed_text_rows(ed) - 2 : 1;
	size_t before = cur_line(d), after;

	move_lines(ed, dir * rows);
	after = cur_line(d);
	if (after > before)
		d->top += after - before;
	else
		d->top -= d->top < before - after ? d->top : before - after;
}

static void cmd_pgup(struct editor *ed)
{
	page(ed, -1);
}

static void cmd_pgdn(struct editor *ed)
{
	page(ed, 1);
}

/* Puts n bytes at pos of the buffer on the clipboard (appending to it when
 * the previous command was a cut too). */
static status_t clip_take(struct editor *ed, size_t pos, size_t n, bool append)
{
	size_t base = append ? ed->cliplen : 0;
	char *p = realloc(ed->clip, base + n + 1);

	if (!p)
		return STATUS_NO_MEMORY;
	buf_get(&ed_doc(ed)->buf, pos, n, p + base);
	ed->clip = p;
	ed->cliplen = base + n;
	return STATUS_OK;
}

/* The region to cut or copy: the marked region, or the current line with
 * its newline. */
static void region(const struct editor *ed, size_t *from, size_t *to)
{
	const struct doc *d = ed_doc(ed);
	size_t line = cur_line(d);

	if (d->mark_set) {
		*from = d->mark < d->cur ? d->mark : d->cur;
		*to = d->mark < d->cur ? d->cur : d->mark;
		return;
	}
	*from = buf_line_start(&d->buf, line);
	*to = buf_line_end(&d->buf, line);
	if (*to < buf_len(&d->buf))
		(*to)++;
}

static void cmd_cut(struct editor *ed)
{
	struct doc *d = ed_doc(ed);
	size_t from, to;
	bool append = ed->cut_append && !d->mark_set;

	region(ed, &from, &to);
	if (!clip_take(ed, from, to - from, append))
		report(ed, doc_delete(ed, d, from, to - from));
	d->mark_set = false;
	doc_set_cursor(ed, d, d->cur);
}

static void cmd_copy(struct editor *ed)
{
	size_t from, to;

	region(ed, &from, &to);
	report(ed, clip_take(ed, from, to - from, false));
	ed_doc(ed)->mark_set = false;
	ed_msg(ed, "Copied %zu bytes", to - from);
}

static void cmd_paste(struct editor *ed)
{
	if (ed->cliplen)
		insert_text(ed, ed->clip, ed->cliplen);
}

static void cmd_mark(struct editor *ed)
{
	struct doc *d = ed_doc(ed);

	d->mark_set = !d->mark_set;
	d->mark = d->cur;
	ed_msg(ed, d->mark_set ? "Mark set" : "Mark unset");
}

/* Runs undo or redo and repairs what depends on the text. */
static void undo_step(struct editor *ed, bool redo)
{
	struct doc *d = ed_doc(ed);
	size_t cur = d->cur, first = 0;
	status_t st = redo ? undo_redo(&d->undo, &d->buf, &cur, &first)
			   : undo_undo(&d->undo, &d->buf, &cur, &first);

	if (st == STATUS_EMPTY) {
		ed_msg(ed, redo ? "Nothing to redo" : "Nothing to undo");
		return;
	}
	report(ed, st);
	hl_cache_invalidate(
		&d->hl, buf_line_of(&d->buf, first < buf_len(&d->buf) ? first : buf_len(&d->buf)));
	if (d->mark > buf_len(&d->buf))
		d->mark = buf_len(&d->buf);
	doc_set_cursor(ed, d, cur);
}

static void cmd_undo(struct editor *ed)
{
	undo_step(ed, false);
}

static void cmd_redo(struct editor *ed)
{
	undo_step(ed, true);
}

static void cmd_save(struct editor *ed)
{
	struct doc *d = ed_doc(ed);

	if (!d->path)
		prompt_start(ed, PROMPT_SAVE_AS, "");
	else
		ed_save_to(ed, d->path);
}

static void cmd_save_as(struct editor *ed)
{
	struct doc *d = ed_doc(ed);

	prompt_start(ed, PROMPT_SAVE_AS, d->path ? d->path : "");
}

static void cmd_open(struct editor *ed)
{
	prompt_start(ed, PROMPT_OPEN, "");
}

void ed_close_step(struct editor *ed)
{
	do {
		if (undo_modified(&ed_doc(ed)->undo))
			prompt_start(ed, PROMPT_ASK_SAVE, "");
		else
			ed_close_current(ed);
	} while (ed->quitting_all && ed->pr.kind == PROMPT_NONE && ed->ndocs);
}

static void cmd_close(struct editor *ed)
{
	ed->quitting_all = false;
	ed_close_step(ed);
}

static void cmd_quit(struct editor *ed)
{
	ed->quitting_all = true;
	ed_close_step(ed);
}

static void cmd_find(struct editor *ed)
{
	prompt_start(ed, PROMPT_FIND, "");
}

static void cmd_find_next(struct editor *ed)
{
	find_next(ed, ed->s_backward);
}

static void cmd_find_prev(struct editor *ed)
{
	find_next(ed, !ed->s_backward);
}

static void cmd_replace(struct editor *ed)
{
	prompt_start(ed, PROMPT_REPLACE_FIND, "");
}

static void cmd_goto(struct editor *ed)
{
	prompt_start(ed, PROMPT_GOTO, "");
}

static void cmd_next_doc(struct editor *ed)
{
	ed->cur = (ed->cur + 1) % ed->ndocs;
	ed_msg(ed, "Buffer %zu of %zu", ed->cur + 1, ed->ndocs);
}

static void cmd_prev_doc(struct editor *ed)
{
	ed->cur = (ed->cur + ed->ndocs - 1) % ed->ndocs;
	ed_msg(ed, "Buffer %zu of %zu", ed->cur + 1, ed->ndocs);
}

static void cmd_linenums(struct editor *ed)
{
	ed->linenums = !ed->linenums;
}

static void cmd_autoindent(struct editor *ed)
{
	ed->autoindent = !ed->autoindent;
	ed_msg(ed, "Auto-indent %s", ed->autoindent ? "on" : "off");
}

static void cmd_tabwidth(struct editor *ed)
{
	ed->tabw = ed->tabw == 8 ? 4 : ed->tabw == 4 ? 2 : 8;
	doc_set_cursor(ed, ed_doc(ed), ed_doc(ed)->cur);
	ed_msg(ed, "Tab width %u", ed->tabw);
}

static void cmd_help(struct editor *ed)
{
	ed->help = true;
}

static void cmd_refresh(struct editor *ed)
{
	ed->redraw = true;
}

struct binding {
	keycode_t key;
	void (*fn)(struct editor *ed);
	enum cmd_kind kind;
};

#define ALT(c) (KEY_ALT | (c))
static const struct binding bindings[] = {
	{ KEY_LEFT, cmd_left, CMD_OTHER },
	{ KEY_RIGHT, cmd_right, CMD_OTHER },
	{ KEY_UP, cmd_up, CMD_OTHER },
	{ KEY_DOWN, cmd_down, CMD_OTHER },
	{ KEY_CTRLMOD | KEY_LEFT, cmd_word_left, CMD_OTHER },
	{ KEY_CTRLMOD | KEY_RIGHT, cmd_word_right, CMD_OTHER },
	{ KEY_HOME, cmd_home, CMD_OTHER },
	{ KEY_CTRL('a'), cmd_home, CMD_OTHER },
	{ KEY_END, cmd_end, CMD_OTHER },
	{ KEY_CTRL('e'), cmd_end, CMD_OTHER },
	{ KEY_CTRLMOD | KEY_HOME, cmd_file_start, CMD_OTHER },
	{ KEY_CTRLMOD | KEY_END, cmd_file_end, CMD_OTHER },
	{ ALT('\\'), cmd_file_start, CMD_OTHER },
	{ ALT('/'), cmd_file_end, CMD_OTHER },
	{ KEY_PGUP, cmd_pgup, CMD_OTHER },
	{ KEY_PGDN, cmd_pgdn, CMD_OTHER },
	{ KEY_CTRL('v'), cmd_pgdn, CMD_OTHER },
	{ KEY_CTRL('m'), cmd_enter, CMD_OTHER },
	{ KEY_CTRL('j'), cmd_enter, CMD_OTHER },
	{ KEY_BACKSPACE, cmd_backspace, CMD_BACKSPACE },
	{ KEY_CTRL('h'), cmd_backspace, CMD_BACKSPACE },
	{ KEY_DELETE, cmd_delete, CMD_DELETE },
	{ KEY_CTRL('d'), cmd_delete, CMD_DELETE },
	{ KEY_CTRL('k'), cmd_cut, CMD_CUT },
	{ KEY_CTRL('u'), cmd_paste, CMD_OTHER },
	{ ALT('6'), cmd_copy, CMD_OTHER },
	{ ALT('^'), cmd_copy, CMD_OTHER },
	{ ALT('a'), cmd_mark, CMD_OTHER },
	{ KEY_CTRL('^'), cmd_mark, CMD_OTHER },
	{ 0, cmd_mark, CMD_OTHER },
	{ KEY_CTRL('z'), cmd_undo, CMD_OTHER },
	{ KEY_CTRL('y'), cmd_redo, CMD_OTHER },
	{ KEY_CTRL('s'), cmd_save, CMD_OTHER },
	{ KEY_CTRL('o'), cmd_save_as, CMD_OTHER },
	{ KEY_CTRL('t'), cmd_open, CMD_OTHER },
	{ KEY_CTRL('x'), cmd_close, CMD_OTHER },
	{ KEY_CTRL('q'), cmd_quit, CMD_OTHER },
	{ KEY_CTRL('f'), cmd_find, CMD_OTHER },
	{ KEY_CTRL('w'), cmd_find, CMD_OTHER },
	{ ALT('w'), cmd_find_next, CMD_OTHER },
	{ KEY_F3, cmd_find_next, CMD_OTHER },
	{ ALT('q'), cmd_find_prev, CMD_OTHER },
	{ KEY_CTRL('r'), cmd_replace, CMD_OTHER },
	{ KEY_CTRL('\\'), cmd_replace, CMD_OTHER },
	{ KEY_CTRL('g'), cmd_goto, CMD_OTHER },
	{ ALT('.'), cmd_next_doc, CMD_OTHER },
	{ ALT('>'), cmd_next_doc, CMD_OTHER },
	{ ALT(','), cmd_prev_doc, CMD_OTHER },
	{ ALT('<'), cmd_prev_doc, CMD_OTHER },
	{ ALT('n'), cmd_linenums, CMD_OTHER },
	{ ALT('i'), cmd_autoindent, CMD_OTHER },
	{ ALT('t'), cmd_tabwidth, CMD_OTHER },
	{ KEY_F1, cmd_help, CMD_OTHER },
	{ ALT('h'), cmd_help, CMD_OTHER },
	{ KEY_CTRL('l'), cmd_refresh, CMD_OTHER },
};

/* True for the moves that keep the remembered column; every other command
 * sets it to where the cursor ends up. */
static bool is_vertical(void (*fn)(struct editor *ed))
{
	return fn == cmd_up || fn == cmd_down || fn == cmd_pgup || fn == cmd_pgdn;
}

/* True for keys that insert themselves. */
static bool is_text_key(keycode_t key)
{
	if (KEY_IS_BYTE(key) && !(key & KEY_MODS))
		return true;
	return key == '\t' || (key >= 0x20 && key != 0x7f && key < KEY_SPECIAL);
}

void cmd_dispatch(struct editor *ed, keycode_t key)
{
	enum cmd_kind prev = ed->last_cmd;

	if (is_text_key(key)) {
		cmd_type(ed, key);
		return;
	}
	if ((key & KEY_ALT) && KEY_BASE(key) >= 'A' && KEY_BASE(key) <= 'Z')
		key = KEY_ALT | (KEY_BASE(key) + 32);
	for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++) {
		if (bindings[i].key == key) {
			ed->cut_append = prev == CMD_CUT;
			if (bindings[i].kind != CMD_BACKSPACE && bindings[i].kind != CMD_DELETE)
				begin(ed, bindings[i].kind);
			bindings[i].fn(ed);
			if (!is_vertical(bindings[i].fn) && ed_doc(ed))
				doc_set_cursor(ed, ed_doc(ed), ed_doc(ed)->cur);
			return;
		}
	}
	begin(ed, CMD_OTHER);
	char name[32];
	keys_name(key, name, sizeof name);
	ed_msg(ed, "Unbound key %s", name);
}
