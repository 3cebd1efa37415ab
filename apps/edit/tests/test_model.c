/*
 * test_model.c - model-based test of the editor core. Thousands of seeded
 * random key sequences drive the editor and, side by side, a naive model:
 * an array of lines edited by direct string surgery with its own cursor,
 * column memory and clipboard. Text and cursor must agree after every key;
 * after each sequence, undoing everything must give back the original text
 * and redoing everything the final one. A third test mixes undo and redo
 * into the sequences, against a model of undo steps kept as snapshots.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../ed.h"
#include "../utf8.h"
#include "check.h"

#define MAXLINES 400
#define LINECAP 4096

struct model {
	char *line[MAXLINES];
	size_t len[MAXLINES], n;
	size_t row, col, want;
	char clip[LINECAP * 4];
	size_t cliplen;
	bool last_cut;
};

static unsigned long rng;

static unsigned rnd(unsigned n)
{
	rng = rng * 6364136223846793005ul + 1442695040888963407ul;
	return (unsigned)((rng >> 33) % n);
}

/* Code point at s[i] of a line (n bytes) and its length. */
static size_t cp_at(const char *s, size_t n, size_t i, uint32_t *cp)
{
	return utf8_decode((const unsigned char *)s + i, n - i, cp);
}

static bool mark_at(const struct model *m, size_t i)
{
	uint32_t cp;

	if (i >= m->len[m->row])
		return false;
	cp_at(m->line[m->row], m->len[m->row], i, &cp);
	return cp != UTF8_INVALID && utf8_width(cp) == 0;
}

static size_t next_cp(const struct model *m, size_t i)
{
	uint32_t cp;

	return i + cp_at(m->line[m->row], m->len[m->row], i, &cp);
}

static size_t prev_cp(const struct model *m, size_t i)
{
	const char *s = m->line[m->row];

	do
		i--;
	while (i > 0 && utf8_is_cont((unsigned char)s[i]));
	return i;
}

/* Display column of byte offset col in the current row. */
static size_t column(const struct model *m, size_t row, size_t col)
{
	size_t c = 0;

	for (size_t i = 0; i < col;) {
		uint32_t cp;
		size_t k = cp_at(m->line[row], m->len[row], i, &cp);
		if (cp == '\t')
			c += 8 - c % 8;
		else if (cp == UTF8_INVALID)
			c += 4;
		else
			c += (size_t)utf8_width(cp);
		i += k;
	}
	return c;
}

static void update_want(struct model *m)
{
	m->want = column(m, m->row, m->col);
}

/* The offset after the character (with its marks) at i of the row. */
static size_t next_char(struct model *m, size_t i)
{
	i = next_cp(m, i);
	while (mark_at(m, i))
		i = next_cp(m, i);
	return i;
}

/* The byte offset in row for display column want. */
static size_t col_for(struct model *m, size_t row)
{
	size_t save = m->row, i = 0;

	m->row = row;
	while (i < m->len[row]) {
		size_t j = next_char(m, i);
		if (column(m, row, j) > m->want)
			break;
		i = j;
	}
	m->row = save;
	return i;
}

/* Inserts bytes into the current row at the cursor (no newlines). */
static void put(struct model *m, const char *s, size_t n)
{
	char *l = m->line[m->row];

	memmove(l + m->col + n, l + m->col, m->len[m->row] - m->col);
	memcpy(l + m->col, s, n);
	m->len[m->row] += n;
	m->col += n;
}

/* Splits the current row at the cursor. */
static void split(struct model *m)
{
	size_t r = m->row, tail = m->len[r] - m->col;
	char *nl = malloc(LINECAP);

	memmove(&m->line[r + 2], &m->line[r + 1], (m->n - r - 1) * sizeof m->line[0]);
	memmove(&m->len[r + 2], &m->len[r + 1], (m->n - r - 1) * sizeof m->len[0]);
	memcpy(nl, m->line[r] + m->col, tail);
	m->line[r + 1] = nl;
	m->len[r + 1] = tail;
	m->len[r] = m->col;
	m->n++;
	m->row++;
	m->col = 0;
}

/* Joins row r + 1 onto row r. */
static void join(struct model *m, size_t r)
{
	memcpy(m->line[r] + m->len[r], m->line[r + 1], m->len[r + 1]);
	m->len[r] += m->len[r + 1];
	free(m->line[r + 1]);
	memmove(&m->line[r + 1], &m->line[r + 2], (m->n - r - 2) * sizeof m->line[0]);
	memmove(&m->len[r + 1], &m->len[r + 2], (m->n - r - 2) * sizeof m->len[0]);
	m->n--;
}

/* Inserts text that may hold newlines. */
static void put_text(struct model *m, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			split(m);
		else
			put(m, s + i, 1);
	}
}

static void m_enter(struct model *m)
{
	char indent[256];
	size_t k = 0;
	const char *l = m->line[m->row];

	while (k < m->col && k < 255 && (l[k] == ' ' || l[k] == '\t')) {
		indent[k] = l[k];
		k++;
	}
	split(m);
	put(m, indent, k);
}

static void m_backspace(struct model *m)
{
	size_t p;

	if (m->col == 0) {
		if (m->row == 0)
			return;
		m->row--;
		m->col = m->len[m->row];
		join(m, m->row);
		return;
	}
	p = prev_cp(m, m->col);
	while (p > 0 && mark_at(m, p))
		p = prev_cp(m, p);
	memmove(m->line[m->row] + p, m->line[m->row] + m->col, m->len[m->row] - m->col);
	m->len[m->row] -= m->col - p;
	m->col = p;
}

static void m_delete(struct model *m)
{
	size_t q;

	if (m->col == m->len[m->row]) {
		if (m->row + 1 < m->n)
			join(m, m->row);
		return;
	}
	q = next_char(m, m->col);
	memmove(m->line[m->row] + m->col, m->line[m->row] + q, m->len[m->row] - q);
	m->len[m->row] -= q - m->col;
}

static void m_left(struct model *m)
{
	if (m->col > 0) {
		m->col = prev_cp(m, m->col);
		while (m->col > 0 && mark_at(m, m->col))
			m->col = prev_cp(m, m->col);
	} else if (m->row > 0) {
		m->row--;
		m->col = m->len[m->row];
	}
}

static void m_right(struct model *m)
{
	if (m->col < m->len[m->row]) {
		m->col = next_char(m, m->col);
	} else if (m->row + 1 < m->n) {
		m->row++;
		m->col = 0;
	}
}

static void m_vertical(struct model *m, long d)
{
	long r = (long)m->row + d;

	r = r < 0 ? 0 : r >= (long)m->n ? (long)m->n - 1 : r;
	m->row = (size_t)r;
	m->col = col_for(m, m->row);
}

static void m_cut(struct model *m)
{
	size_t r = m->row, base = m->last_cut ? m->cliplen : 0;

	memcpy(m->clip + base, m->line[r], m->len[r]);
	m->cliplen = base + m->len[r];
	if (r + 1 < m->n) {
		m->clip[m->cliplen++] = '\n';
		free(m->line[r]);
		memmove(&m->line[r], &m->line[r + 1], (m->n - r - 1) * sizeof m->line[0]);
		memmove(&m->len[r], &m->len[r + 1], (m->n - r - 1) * sizeof m->len[0]);
		m->n--;
	} else {
		m->len[r] = 0;
	}
	m->col = 0;
}

static const keycode_t alphabet[] = {
	'a',           'b',           'x',        ' ',      ' ',
	'\t',          0xe9,          0x65e5,     0x301,    KEY_BYTE(0xff),
	KEY_CTRL('m'), KEY_BACKSPACE, KEY_DELETE, KEY_LEFT, KEY_RIGHT,
	KEY_UP,        KEY_DOWN,      KEY_HOME,   KEY_END,  KEY_CTRL('k'),
	KEY_CTRL('u'), KEY_PGUP,      KEY_PGDN,   KEY_LEFT, KEY_RIGHT,
	'a',           KEY_BACKSPACE,
};

static size_t clip_newlines(const struct model *m)
{
	size_t k = 0;

	for (size_t i = 0; i < m->cliplen; i++)
		k += m->clip[i] == '\n';
	return k;
}

/* True if the model can take key without outgrowing its fixed tables. */
static bool fits(const struct model *m, keycode_t key)
{
	size_t room = LINECAP - 300 - m->len[m->row];

	if (key == KEY_CTRL('u'))
		return m->cliplen < room && m->n + clip_newlines(m) < MAXLINES;
	if (key == KEY_CTRL('m'))
		return m->n + 1 < MAXLINES && m->len[m->row] < LINECAP - 300;
	if (key == KEY_CTRL('k'))
		return m->cliplen + m->len[m->row] + 1 < sizeof m->clip;
	if (key == KEY_BACKSPACE && m->col == 0 && m->row > 0)
		return m->len[m->row] + m->len[m->row - 1] < LINECAP - 300;
	if (key == KEY_DELETE && m->row + 1 < m->n)
		return m->len[m->row] + m->len[m->row + 1] < LINECAP - 300;
	return room > 8;
}

/* Applies key to the model as the editor's documented bindings do. */
static void model_key(struct model *m, keycode_t key, long page)
{
	char s[4];
	bool cut = key == KEY_CTRL('k');

	switch (key) {
	case KEY_CTRL('m'):
		m_enter(m);
		break;
	case KEY_BACKSPACE:
		m_backspace(m);
		break;
	case KEY_DELETE:
		m_delete(m);
		break;
	case KEY_LEFT:
		m_left(m);
		break;
	case KEY_RIGHT:
		m_right(m);
		break;
	case KEY_UP:
		m_vertical(m, -1);
		m->last_cut = false;
		return;
	case KEY_DOWN:
		m_vertical(m, 1);
		m->last_cut = false;
		return;
	case KEY_PGUP:
		m_vertical(m, -page);
		m->last_cut = false;
		return;
	case KEY_PGDN:
		m_vertical(m, page);
		m->last_cut = false;
		return;
	case KEY_HOME:
		m->col = 0;
		break;
	case KEY_END:
		m->col = m->len[m->row];
		break;
	case KEY_CTRL('k'):
		m_cut(m);
		break;
	case KEY_CTRL('u'):
		put_text(m, m->clip, m->cliplen);
		break;
	default:
		if (KEY_IS_BYTE(key)) {
			s[0] = (char)(key & 0xff);
			put(m, s, 1);
		} else {
			put(m, s, utf8_encode((uint32_t)key, s));
		}
	}
	m->last_cut = cut;
	update_want(m);
}

/* The model's text as one string. */
static char *model_text(const struct model *m, size_t *n)
{
	size_t total = m->n;
	char *s, *p;

	for (size_t i = 0; i < m->n; i++)
		total += m->len[i];
	s = p = malloc(total);
	for (size_t i = 0; i < m->n; i++) {
		memcpy(p, m->line[i], m->len[i]);
		p += m->len[i];
		if (i + 1 < m->n)
			*p++ = '\n';
	}
	*n = (size_t)(p - s);
	return s;
}

/* Compares the editor's text and cursor with the model's. */
static int agrees(const struct editor *ed, const struct model *m)
{
	size_t a, b, cur = 0;
	char *x = ed_text(ed, &a), *y = model_text(m, &b);
	int ok = a == b && memcmp(x, y, a) == 0;

	for (size_t i = 0; i < m->row; i++)
		cur += m->len[i] + 1;
	cur += m->col;
	if (ok && ed_doc(ed)->cur != cur) {
		printf("cursor %zu, model %zu\n", ed_doc(ed)->cur, cur);
		ok = 0;
	}
	free(x);
	free(y);
	return ok;
}

/* Builds a random starting text in both the editor and the model. */
static void start(struct editor *ed, struct model *m)
{
	size_t n = 1 + rnd(6);
	char *all = malloc(1024), *p = all; /* at most 6 lines of 8 pieces */
	static const char *const pieces[] = { "int",          " ",         "\t",   "\xc3\xa9",
					      "\xe6\x97\xa5", "e\xcc\x81", "\xff", "xy" };

	memset(m, 0, sizeof *m);
	m->n = n;
	for (size_t i = 0; i < n; i++) {
		m->line[i] = malloc(LINECAP);
		for (size_t k = rnd(8); k > 0; k--) {
			const char *q = pieces[rnd(8)];
			memcpy(m->line[i] + m->len[i], q, strlen(q));
			m->len[i] += strlen(q);
		}
		memcpy(p, m->line[i], m->len[i]);
		p += m->len[i];
		if (i + 1 < n)
			*p++ = '\n';
	}
	ed_init(ed, &file_posix_ops, 24, 80, 8);
	ed_new(ed);
	buf_set(&ed_doc(ed)->buf, all, (size_t)(p - all));
	free(all);
}

static void model_free(struct model *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->line[i]);
}

/* The model of undo: the text and cursor before and after each step. A
 * step is the edits of one command, or of a run of typing, of
 * backspacing or of deleting forward, as docs/editor.md says. */
struct snap {
	char *text;
	size_t len, cur;
};

struct step {
	struct snap before, after;
};

struct history {
	struct step done[4096], undone[4096];
	size_t ndone, nundone;
	int last_kind;   /* kind of the previous key */
	bool group_open; /* the current step has an edit already */
};

enum { K_TYPE, K_BACKSPACE, K_DELETE, K_CUT, K_OTHER };

static int kind_of(keycode_t key)
{
	if (key == KEY_BACKSPACE)
		return K_BACKSPACE;
	if (key == KEY_DELETE)
		return K_DELETE;
	if (key == KEY_CTRL('k'))
		return K_CUT;
	if (key == '\t' || KEY_IS_BYTE(key) || (key >= 0x20 && key < KEY_SPECIAL && key != 0x7f))
		return K_TYPE;
	return K_OTHER;
}

static size_t offset_of(const struct model *m)
{
	size_t cur = 0;

	for (size_t i = 0; i < m->row; i++)
		cur += m->len[i] + 1;
	return cur + m->col;
}

static void take(struct snap *sn, const struct model *m)
{
	sn->text = model_text(m, &sn->len);
	sn->cur = offset_of(m);
}

/* Makes the model hold the snapshot's text and cursor. */
static void restore(struct model *m, const struct snap *sn)
{
	size_t row = 0, cur = sn->cur;

	model_free(m);
	m->n = 1;
	m->line[0] = malloc(LINECAP);
	m->len[0] = 0;
	for (size_t i = 0; i < sn->len; i++) {
		if (sn->text[i] == '\n') {
			m->line[m->n] = malloc(LINECAP);
			m->len[m->n++] = 0;
		} else {
			m->line[m->n - 1][m->len[m->n - 1]++] = sn->text[i];
		}
	}
	while (cur > m->len[row]) {
		cur -= m->len[row] + 1;
		row++;
	}
	m->row = row;
	m->col = cur;
	m->last_cut = false;
	update_want(m);
}

static void drop_snaps(struct step *st, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(st[i].before.text);
		free(st[i].after.text);
	}
}

/* Applies a key with its undo bookkeeping; false if the history is full. */
static bool history_key(struct model *m, struct history *h, keycode_t key, long page)
{
	struct snap before;
	int kind = kind_of(key);
	size_t n;
	char *after;

	if (kind == K_OTHER || kind == K_CUT || kind != h->last_kind)
		h->group_open = false;
	h->last_kind = kind;
	take(&before, m);
	model_key(m, key, page);
	after = model_text(m, &n);
	if (n == before.len && memcmp(after, before.text, n) == 0) {
		free(after);
		free(before.text);
		return true;
	}
	free(after);
	if (!h->group_open) {
		if (h->ndone == 4096)
			return false;
		drop_snaps(h->undone, h->nundone);
		h->nundone = 0;
		h->done[h->ndone].before = before;
		h->done[h->ndone++].after.text = NULL;
		h->group_open = true;
	} else {
		free(before.text);
	}
	free(h->done[h->ndone - 1].after.text);
	take(&h->done[h->ndone - 1].after, m);
	return true;
}

static void history_undo(struct model *m, struct history *h, bool redo)
{
	h->last_kind = K_OTHER;
	h->group_open = false;
	m->last_cut = false;
	if (!redo && h->ndone > 0) {
		h->undone[h->nundone++] = h->done[--h->ndone];
		restore(m, &h->undone[h->nundone - 1].before);
	} else if (redo && h->nundone > 0) {
		h->done[h->ndone++] = h->undone[--h->nundone];
		restore(m, &h->done[h->ndone - 1].after);
	}
	update_want(m); /* like every command but the vertical moves */
}

/* Runs a seeded sequence in which undo and redo are keys like the others;
 * text and cursor must agree after every key. */
static int run_with_undo(unsigned long seed, size_t len)
{
	static struct history h;
	struct editor ed;
	struct model m;
	int ok = 1;

	rng = seed;
	memset(&h, 0, sizeof h);
	h.last_kind = K_OTHER;
	start(&ed, &m);
	for (size_t i = 0; i < len && ok; i++) {
		unsigned r = rnd(10);
		keycode_t key = r == 0   ? KEY_CTRL('z')
				: r == 1 ? KEY_CTRL('y')
					 : alphabet[rnd(sizeof alphabet / sizeof alphabet[0])];
		if (r > 1 && !fits(&m, key))
			continue;
		if (getenv("MODEL_TRACE")) {
			char *t = ed_text(&ed, NULL);
			printf("text [%s] cur %zu want %zu key %d, model want %zu\n", t,
			       ed_doc(&ed)->cur, ed_doc(&ed)->want_col, (int)key, m.want);
			free(t);
		}
		ed_key(&ed, key);
		if (r <= 1)
			history_undo(&m, &h, r == 1);
		else if (!history_key(&m, &h, key, ed_text_rows(&ed) - 2))
			break;
		if (!agrees(&ed, &m)) {
			printf("seed %lu: disagreement after key %zu (%d)\n", seed, i, (int)key);
			ok = 0;
		}
	}
	drop_snaps(h.done, h.ndone);
	drop_snaps(h.undone, h.nundone);
	model_free(&m);
	ed_free(&ed);
	return ok;
}

/* Runs one seeded sequence of len keys; returns 0 on a disagreement. */
static int run_sequence(unsigned long seed, size_t len, bool check_each)
{
	struct editor ed;
	struct model m;
	size_t n0, n1;
	char *orig, *final, *now;
	int ok = 1;

	rng = seed;
	start(&ed, &m);
	orig = ed_text(&ed, &n0);
	for (size_t i = 0; i < len && ok; i++) {
		keycode_t key = alphabet[rnd(sizeof alphabet / sizeof alphabet[0])];
		if (!fits(&m, key))
			continue;
		if (getenv("MODEL_TRACE")) {
			char *t = ed_text(&ed, NULL);
			printf("text [%s] cur %zu want %zu key %d\n", t, ed_doc(&ed)->cur,
			       ed_doc(&ed)->want_col, (int)key);
			free(t);
		}
		ed_key(&ed, key);
		model_key(&m, key, ed_text_rows(&ed) - 2);
		if ((check_each || i + 1 == len) && !agrees(&ed, &m)) {
			printf("seed %lu: disagreement after key %zu (%d)\n", seed, i, (int)key);
			ok = 0;
		}
	}
	final = ed_text(&ed, &n1);
	while (ok && ed_doc(&ed)->undo.cur > 0)
		ed_key(&ed, KEY_CTRL('z'));
	now = ed_text(&ed, NULL);
	if (ok && strcmp(now, orig) != 0) {
		printf("seed %lu: undo-all differs from the original\n", seed);
		ok = 0;
	}
	free(now);
	while (ok && ed_doc(&ed)->undo.cur < ed_doc(&ed)->undo.n)
		ed_key(&ed, KEY_CTRL('y'));
	now = ed_text(&ed, NULL);
	if (ok && strcmp(now, final) != 0) {
		printf("seed %lu: redo-all differs from the final text\n", seed);
		ok = 0;
	}
	free(now);
	free(orig);
	free(final);
	model_free(&m);
	ed_free(&ed);
	return ok;
}

TEST(random_key_sequences_match_the_line_model)
{
	int bad = 0;

	for (unsigned long seed = 1; seed <= 3000 && bad < 3; seed++)
		bad += !run_sequence(seed, 150, seed <= 500);
	CHECK_EQ(bad, 0);
}

TEST(long_sequences_match_the_line_model)
{
	int bad = 0;

	for (unsigned long seed = 100001; seed <= 100020 && bad < 3; seed++)
		bad += !run_sequence(seed, 3000, true);
	CHECK_EQ(bad, 0);
}

TEST(undo_and_redo_in_the_middle_of_sequences_match_the_model)
{
	int bad = 0;

	for (unsigned long seed = 7001; seed <= 8000 && bad < 3; seed++)
		bad += !run_with_undo(seed, 200);
	CHECK_EQ(bad, 0);
}

int main(int argc, char **argv)
{
	if (argc == 4) { /* replay one sequence with undo: test_model SEED LEN u */
		int ok = run_with_undo(strtoul(argv[1], NULL, 10), strtoul(argv[2], NULL, 10));
		printf("%d passed, %d failed\n", ok, !ok);
		return !ok;
	}
	if (argc == 3) { /* replay one sequence: test_model SEED LEN */
		int ok = run_sequence(strtoul(argv[1], NULL, 10), strtoul(argv[2], NULL, 10), true);
		printf("%d passed, %d failed\n", ok, !ok);
		return !ok;
	}
	RUN(random_key_sequences_match_the_line_model);
	RUN(long_sequences_match_the_line_model);
	RUN(undo_and_redo_in_the_middle_of_sequences_match_the_model);
	return check_summary();
}
