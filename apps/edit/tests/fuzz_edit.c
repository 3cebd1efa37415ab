/*
 * fuzz_edit.c - libFuzzer target for random edit sequences: the input is
 * terminal input for the editor core (through the key decoder), on a small
 * document, with frames rendered into a small screen after every key. File
 * operations all fail (no disk is touched). After the sequence the cursor
 * must be inside the text, the line count must match the newlines, and
 * undoing everything must give back the starting text.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../ed.h"
#include "../screen.h"
#include "../view.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int no_open(void *c, const char *p, int f, unsigned m)
{
	(void)c, (void)p, (void)f, (void)m;
	errno = EACCES;
	return -1;
}

static ssize_t no_io(void *c, int fd, void *p, size_t n)
{
	(void)c, (void)fd, (void)p, (void)n;
	errno = EIO;
	return -1;
}

static ssize_t no_write(void *c, int fd, const void *p, size_t n)
{
	(void)c, (void)fd, (void)p, (void)n;
	errno = EIO;
	return -1;
}

static int no_fd(void *c, int fd)
{
	(void)c, (void)fd;
	return -1;
}

static int no_chmod(void *c, int fd, unsigned m)
{
	(void)c, (void)fd, (void)m;
	return -1;
}

static int no_rename(void *c, const char *a, const char *b)
{
	(void)c, (void)a, (void)b;
	return -1;
}

static int no_unlink(void *c, const char *a)
{
	(void)c, (void)a;
	return -1;
}

static int no_mode(void *c, const char *a, unsigned *m)
{
	(void)c, (void)a, (void)m;
	return -1;
}

static const struct file_ops no_files = {
	no_open, no_io, no_write, no_fd, no_fd, no_chmod, no_rename, no_unlink, no_mode, NULL, NULL,
};

static const char start[] = "int main(void)\n{\n\t/* \xe6\x97\xa5 */ return 0;\n}\n\xff"
			    "e\xcc\x81";

static void check_doc(const struct editor *ed)
{
	const struct doc *d = ed_doc(ed);
	size_t n, nl = 0;
	char *t;

	if (!d)
		return;
	t = ed_text(ed, &n);
	for (size_t i = 0; i < n; i++)
		nl += t[i] == '\n';
	if (d->cur > n || buf_lines(&d->buf) != nl + 1)
		abort();
	free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct editor ed;
	struct screen s;
	struct keys k;
	keycode_t keys[KEYS_MAX_OUT];
	const char *out;
	size_t len;
	char *t;
	struct doc *first_doc;

	ed_init(&ed, &no_files, 8, 24, 8);
	ed_new(&ed);
	first_doc = ed_doc(&ed);
	buf_set(&ed_doc(&ed)->buf, start, sizeof start - 1);
	screen_init(&s, 8, 24);
	keys_init(&k);
	for (size_t i = 0; i <= size && !ed.quit; i++) {
		size_t n = i < size ? keys_feed(&k, data[i], keys) : keys_idle(&k, keys);
		for (size_t j = 0; j < n && !ed.quit; j++) {
			ed_key(&ed, keys[j]);
			check_doc(&ed);
			ed_scroll(&ed);
			view_draw(&ed, &s);
			screen_flush(&s, &out, &len);
		}
	}
	if (!ed.quit && ed.pr.kind == PROMPT_NONE && ed_doc(&ed) == first_doc) {
		struct doc *d = ed_doc(&ed);
		size_t cur, first;
		while (undo_undo(&d->undo, &d->buf, &cur, &first) == STATUS_OK)
			;
		t = ed_text(&ed, &len);
		if (d->undo.cur == 0 && (len != sizeof start - 1 || memcmp(t, start, len)))
			abort();
		free(t);
	}
	screen_free(&s);
	ed_free(&ed);
	return 0;
}
