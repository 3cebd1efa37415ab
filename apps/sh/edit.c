/*
 * edit.c - the line editor: a single-line view that scrolls horizontally
 * when the line is wider than the terminal, redrawn in one write per key.
 */
#define _DEFAULT_SOURCE 1
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "edit.h"

#define CTRL(c) ((c)&0x1f)

enum key {
	K_LEFT = 256,
	K_RIGHT,
	K_UP,
	K_DOWN,
	K_HOME,
	K_END,
	K_DELETE,
	K_NONE,
};

struct editor {
	struct term_ops ops;
	int hmax;
	char **hist;
	int nhist;
	completer_fn complete;
	void *cctx;
	struct strbuf buf;
	size_t pos;
	const char *prompt;
	int hidx;
	char *pending;
	int tabs;
};

struct editor *editor_new(const struct term_ops *ops, int history_max)
{
	struct editor *ed = xmalloc(sizeof(*ed));

	memset(ed, 0, sizeof(*ed));
	ed->ops = *ops;
	ed->hmax = history_max > 0 ? history_max : 1;
	ed->hist = xmalloc(sizeof(char *) * (size_t)ed->hmax);
	sb_init(&ed->buf);
	return ed;
}

void editor_free(struct editor *ed)
{
	for (int i = 0; i < ed->nhist; i++)
		free(ed->hist[i]);
	free(ed->hist);
	free(ed->pending);
	sb_free(&ed->buf);
	free(ed);
}

void editor_set_completer(struct editor *ed, completer_fn fn, void *ctx)
{
	ed->complete = fn;
	ed->cctx = ctx;
}

/* --- history --- */

bool editor_history_add(struct editor *ed, const char *line)
{
	if (!*line || (ed->nhist && strcmp(ed->hist[ed->nhist - 1], line) == 0))
		return false;
	if (ed->nhist == ed->hmax) {
		free(ed->hist[0]);
		memmove(ed->hist, ed->hist + 1, sizeof(char *) * (size_t)(ed->hmax - 1));
		ed->nhist--;
	}
	ed->hist[ed->nhist++] = xstrdup(line);
	return true;
}

int editor_history_count(const struct editor *ed)
{
	return ed->nhist;
}

const char *editor_history_get(const struct editor *ed, int i)
{
	return i >= 0 && i < ed->nhist ? ed->hist[i] : NULL;
}

int editor_history_load(struct editor *ed, const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int lines = 0;

	if (!f)
		return -1;
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] == '\n')
			line[n - 1] = '\0';
		editor_history_add(ed, line);
		lines++;
	}
	free(line);
	fclose(f);
	return lines;
}

int editor_history_append(const char *path, const char *line)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	size_t n = strlen(line);
	char *rec = xmalloc(n + 1);

	if (fd < 0) {
		free(rec);
		return -1;
	}
	memcpy(rec, line, n);
	rec[n] = '\n';
	ssize_t w = write(fd, rec, n + 1);

	free(rec);
	return close(fd) == 0 && w == (ssize_t)(n + 1) ? 0 : -1;
}

int editor_history_save(struct editor *ed, const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0)
		return -1;
	FILE *f = fdopen(fd, "w");

	if (!f) {
		close(fd);
		return -1;
	}
	for (int i = 0; i < ed->nhist; i++)
		fprintf(f, "%s\n", ed->hist[i]);
	return fclose(f) == 0 ? 0 : -1;
}

/* --- completion lists --- */

void completion_add(struct completion *c, const char *item)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->items[i], item) == 0)
			return;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->items = xrealloc(c->items, sizeof(char *) * c->cap);
	}
	c->items[c->n++] = xstrdup(item);
}

void completion_free(struct completion *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->items[i]);
	free(c->items);
	memset(c, 0, sizeof(*c));
}

/* --- UTF-8 --- */

static bool is_cont(char c)
{
	return ((unsigned char)c & 0xc0) == 0x80;
}

/* Display columns of s[0..n): one per character. */
static size_t cols(const char *s, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		if (!is_cont(s[i]))
			c++;
	return c;
}

static size_t prev_char(const struct editor *ed, size_t pos)
{
	if (pos == 0)
		return 0;
	pos--;
	while (pos > 0 && is_cont(ed->buf.s[pos]))
		pos--;
	return pos;
}

static size_t next_char(const struct editor *ed, size_t pos)
{
	if (pos >= ed->buf.len)
		return ed->buf.len;
	pos++;
	while (pos < ed->buf.len && is_cont(ed->buf.s[pos]))
		pos++;
	return pos;
}

/* --- drawing --- */

static void refresh(struct editor *ed)
{
	struct strbuf o;
	int width = ed->ops.columns(ed->ops.ctx);
	const char *s = ed->buf.s ? ed->buf.s : "";
	size_t pcols = cols(ed->prompt, strlen(ed->prompt));
	size_t avail = (size_t)width > pcols + 1 ? (size_t)width - pcols - 1 : 1;
	size_t from = 0, to;

	while (cols(s + from, ed->pos - from) > avail)
		from = next_char(ed, from);
	to = from;
	while (to < ed->buf.len && cols(s + from, next_char(ed, to) - from) <= avail)
		to = next_char(ed, to);
	sb_init(&o);
	sb_putc(&o, '\r');
	sb_puts(&o, ed->prompt);
	sb_put(&o, s + from, to - from);
	sb_puts(&o, "\x1b[K\r");
	size_t col = pcols + cols(s + from, ed->pos - from);

	if (col)
		sb_printf(&o, "\x1b[%zuC", col);
	ed->ops.write(ed->ops.ctx, o.s, o.len);
	sb_free(&o);
}

static void emit(struct editor *ed, const char *s)
{
	ed->ops.write(ed->ops.ctx, s, strlen(s));
}

/* --- editing --- */

static void set_line(struct editor *ed, const char *s)
{
	ed->buf.len = 0;
	sb_puts(&ed->buf, s);
	ed->pos = ed->buf.len;
}

static void insert(struct editor *ed, const char *s, size_t n)
{
	sb_put(&ed->buf, s, n);
	memmove(ed->buf.s + ed->pos + n, ed->buf.s + ed->pos, ed->buf.len - n - ed->pos);
	memcpy(ed->buf.s + ed->pos, s, n);
	ed->pos += n;
}

static void delete_range(struct editor *ed, size_t from, size_t to)
{
	memmove(ed->buf.s + from, ed->buf.s + to, ed->buf.len - to);
	ed->buf.len -= to - from;
	if (ed->pos > to)
		ed->pos -= to - from;
	else if (ed->pos > from)
		ed->pos = from;
}

static void delete_word_back(struct editor *ed)
{
	size_t p = ed->pos;

	while (p > 0 && ed->buf.s[p - 1] == ' ')
		p--;
	while (p > 0 && ed->buf.s[p - 1] != ' ')
		p--;
	delete_range(ed, p, ed->pos);
}

static void history_move(struct editor *ed, int dir)
{
	int to = ed->hidx + dir;

	if (to < 0 || to > ed->nhist)
		return;
	if (ed->hidx == ed->nhist) {
		free(ed->pending);
		ed->pending = xstrdup(sb_cstr(&ed->buf));
	}
	ed->hidx = to;
	set_line(ed, to == ed->nhist ? (ed->pending ? ed->pending : "") : ed->hist[to]);
}

/* Reads one key, decoding escape sequences for arrows, Home, End, Delete. */
static int read_key(struct editor *ed)
{
	int c = ed->ops.read_byte(ed->ops.ctx);

	if (c != 0x1b)
		return c;
	int a = ed->ops.read_byte(ed->ops.ctx);

	if (a != '[' && a != 'O')
		return a < 0 ? a : K_NONE;
	int num = 0, b;

	while ((b = ed->ops.read_byte(ed->ops.ctx)) >= '0' && b <= '9')
		num = num * 10 + (b - '0');
	while (b == ';' || (b >= '0' && b <= '9'))
		b = ed->ops.read_byte(ed->ops.ctx);
	switch (b) {
	case 'A':
		return K_UP;
	case 'B':
		return K_DOWN;
	case 'C':
		return K_RIGHT;
	case 'D':
		return K_LEFT;
	case 'H':
		return K_HOME;
	case 'F':
		return K_END;
	case '~':
		if (num == 1 || num == 7)
			return K_HOME;
		if (num == 4 || num == 8)
			return K_END;
		if (num == 3)
			return K_DELETE;
		return K_NONE;
	default:
		return b < 0 ? b : K_NONE;
	}
}

/* --- completion --- */

static size_t common_prefix(struct completion *c)
{
	size_t n = strlen(c->items[0]);

	for (size_t i = 1; i < c->n; i++) {
		size_t k = 0;

		while (k < n && c->items[i][k] == c->items[0][k])
			k++;
		n = k;
	}
	return n;
}

static int cmp_items(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_candidates(struct editor *ed, struct completion *c)
{
	struct strbuf o;
	size_t w = 0;
	int width = ed->ops.columns(ed->ops.ctx);

	qsort(c->items, c->n, sizeof(char *), cmp_items);
	for (size_t i = 0; i < c->n; i++)
		if (cols(c->items[i], strlen(c->items[i])) > w)
			w = cols(c->items[i], strlen(c->items[i]));
	w += 2;
	size_t per = (size_t)width / w ? (size_t)width / w : 1;

	sb_init(&o);
	sb_puts(&o, "\r\n");
	for (size_t i = 0; i < c->n; i++) {
		const char *it = c->items[i];
		size_t ic = cols(it, strlen(it));

		sb_puts(&o, it);
		if ((i + 1) % per == 0 || i + 1 == c->n)
			sb_puts(&o, "\r\n");
		else
			for (size_t k = ic; k < w; k++)
				sb_putc(&o, ' ');
	}
	ed->ops.write(ed->ops.ctx, o.s, o.len);
	sb_free(&o);
}

static void do_complete(struct editor *ed)
{
	struct completion c;

	if (!ed->complete)
		return;
	memset(&c, 0, sizeof(c));
	ed->complete(ed->cctx, sb_cstr(&ed->buf), ed->pos, &c);
	if (c.n == 0 || c.start > ed->pos) {
		emit(ed, "\a");
		completion_free(&c);
		return;
	}
	size_t have = ed->pos - c.start;
	size_t common = common_prefix(&c);

	if (c.n == 1) {
		delete_range(ed, c.start, ed->pos);
		insert(ed, c.items[0], strlen(c.items[0]));
		if (common == 0 || c.items[0][common - 1] != '/')
			insert(ed, " ", 1);
	} else if (common > have ||
		   (common == have && memcmp(c.items[0], ed->buf.s + c.start, have) != 0)) {
		delete_range(ed, c.start, ed->pos);
		insert(ed, c.items[0], common);
	} else if (ed->tabs >= 1) {
		list_candidates(ed, &c);
	} else {
		emit(ed, "\a");
	}
	completion_free(&c);
}

/* --- incremental search --- */

static void search_draw(struct editor *ed, const char *q, int idx)
{
	struct strbuf o;

	sb_init(&o);
	sb_printf(&o, "\r(reverse-i-search)`%s': %s\x1b[K", q, idx >= 0 ? ed->hist[idx] : "");
	ed->ops.write(ed->ops.ctx, o.s, o.len);
	sb_free(&o);
}

static int search_from(struct editor *ed, const char *q, int start)
{
	for (int i = start; i >= 0; i--)
		if (strstr(ed->hist[i], q))
			return i;
	return -1;
}

/* Ctrl-R: returns the key that ended the search (to be processed), with
 * the found line in the buffer, or K_NONE after a cancel. */
static int reverse_search(struct editor *ed)
{
	struct strbuf q;
	int idx = -1;
	char *orig = xstrdup(sb_cstr(&ed->buf));

	sb_init(&q);
	for (;;) {
		search_draw(ed, sb_cstr(&q), idx);
		int k = read_key(ed);

		if (k == CTRL('r')) {
			int from = idx >= 0 ? idx - 1 : ed->nhist - 1;
			int f = search_from(ed, sb_cstr(&q), from);

			if (f >= 0)
				idx = f;
			continue;
		}
		if (k == 127 || k == CTRL('h')) {
			if (q.len)
				q.len--;
			idx = search_from(ed, sb_cstr(&q), ed->nhist - 1);
			continue;
		}
		if (k >= 32 && k < 256 && k != 127) {
			sb_putc(&q, (char)k);
			int f = search_from(ed, sb_cstr(&q), idx >= 0 ? idx : ed->nhist - 1);

			idx = f;
			continue;
		}
		if (k == CTRL('g') || k == 0x1b || k == K_NONE) {
			set_line(ed, orig);
			k = K_NONE;
		} else if (idx >= 0) {
			set_line(ed, ed->hist[idx]);
			ed->hidx = idx;
		}
		free(orig);
		sb_free(&q);
		return k;
	}
}

/* --- the key loop --- */

/* Handles one key; returns 1 to finish with the line, 0 for EOF,
 * EDIT_INTERRUPT, or 2 to go on. */
static int handle_key(struct editor *ed, int k)
{
	switch (k) {
	case '\r':
	case '\n':
		ed->pos = ed->buf.len;
		refresh(ed);
		emit(ed, "\r\n");
		return 1;
	case EDIT_EOF:
		return ed->buf.len ? 1 : 0;
	case EDIT_INTERRUPT:
	case CTRL('c'):
		ed->pos = ed->buf.len;
		refresh(ed);
		emit(ed, "^C");
		return EDIT_INTERRUPT;
	case CTRL('d'):
		if (!ed->buf.len) {
			emit(ed, "\r\n");
			return 0;
		}
		/* fall through */
	case K_DELETE:
		delete_range(ed, ed->pos, next_char(ed, ed->pos));
		break;
	case 127:
	case CTRL('h'):
		delete_range(ed, prev_char(ed, ed->pos), ed->pos);
		break;
	case K_LEFT:
	case CTRL('b'):
		ed->pos = prev_char(ed, ed->pos);
		break;
	case K_RIGHT:
	case CTRL('f'):
		ed->pos = next_char(ed, ed->pos);
		break;
	case K_HOME:
	case CTRL('a'):
		ed->pos = 0;
		break;
	case K_END:
	case CTRL('e'):
		ed->pos = ed->buf.len;
		break;
	case CTRL('k'):
		delete_range(ed, ed->pos, ed->buf.len);
		break;
	case CTRL('u'):
		delete_range(ed, 0, ed->pos);
		break;
	case CTRL('w'):
		delete_word_back(ed);
		break;
	case K_UP:
	case CTRL('p'):
		history_move(ed, -1);
		break;
	case K_DOWN:
	case CTRL('n'):
		history_move(ed, 1);
		break;
	case CTRL('l'):
		emit(ed, "\x1b[H\x1b[2J");
		break;
	case '\t':
		do_complete(ed);
		break;
	case CTRL('r'): {
		int next = reverse_search(ed);

		if (next != K_NONE && next != CTRL('r'))
			return handle_key(ed, next);
		break;
	}
	default:
		if (k >= 32 && k < 256 && k != 127) {
			char c = (char)k;

			insert(ed, &c, 1);
		}
		break;
	}
	return 2;
}

int editor_readline(struct editor *ed, const char *prompt, struct strbuf *line)
{
	int r;

	ed->buf.len = 0;
	ed->pos = 0;
	ed->prompt = prompt;
	ed->hidx = ed->nhist;
	ed->tabs = 0;
	free(ed->pending);
	ed->pending = NULL;
	refresh(ed);
	for (;;) {
		int k = read_key(ed);

		r = handle_key(ed, k);
		ed->tabs = k == '\t' ? ed->tabs + 1 : 0;
		if (r != 2)
			break;
		refresh(ed);
	}
	if (r == 1)
		sb_put(line, ed->buf.s ? ed->buf.s : "", ed->buf.len);
	return r;
}
