/*
 * bench_edit.c - the figures for large files: opening a 10 MiB file and
 * drawing its first screen, and inserting one character in its middle and
 * redrawing. Each phase is a function of its own so that
 *   valgrind --tool=callgrind --toggle-collect=bench_open ./bench_edit
 * counts exactly its instructions (also bench_move, bench_key_again and
 * bench_page); run plainly it prints wall times.
 * Usage: bench_edit [FILE] (default /tmp/edit-bench-10m.c, made if absent).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../ed.h"
#include "../screen.h"
#include "../view.h"

#define BENCH_BYTES (10u << 20)

static size_t sink;

/* Writes a C-like file of about 10 MiB with a long comment in the middle. */
static int make_file(const char *path)
{
	FILE *f = fopen(path, "w");
	size_t n = 0;

	if (!f)
		return -1;
	for (unsigned i = 0; n < BENCH_BYTES; i++) {
		const char *fmt = i % 1000 == 500 ? "/* comment %u\n"
				  : i % 1000 == 700
					  ? "   end */ int v%u;\n"
					  : "\tint x%u = foo(bar, \"str\", 42); // note\n";
		n += (size_t)fprintf(f, fmt, i);
	}
	return fclose(f);
}

static void draw(struct editor *ed, struct screen *s)
{
	const char *out;
	size_t len;

	ed_scroll(ed);
	view_draw(ed, s);
	screen_flush(s, &out, &len);
	sink += len;
}

__attribute__((noinline)) void bench_open(struct editor *ed, struct screen *s, const char *p);
__attribute__((noinline)) void bench_key(struct editor *ed, struct screen *s);
__attribute__((noinline)) void bench_move(struct editor *ed, struct screen *s);
__attribute__((noinline)) void bench_key_again(struct editor *ed, struct screen *s);
__attribute__((noinline)) void bench_page(struct editor *ed, struct screen *s);

__attribute__((noinline)) void bench_open(struct editor *ed, struct screen *s, const char *p)
{
	ed_open(ed, p);
	draw(ed, s);
}

/* Goes to the middle line (not measured as a keystroke). */
__attribute__((noinline)) void bench_move(struct editor *ed, struct screen *s)
{
	struct doc *d = ed_doc(ed);

	doc_set_cursor(ed, d, buf_line_start(&d->buf, buf_lines(&d->buf) / 2) + 5);
	draw(ed, s);
}

__attribute__((noinline)) void bench_key(struct editor *ed, struct screen *s)
{
	ed_key(ed, 'x');
	draw(ed, s);
}

/* A second keystroke right after the first. */
__attribute__((noinline)) void bench_key_again(struct editor *ed, struct screen *s)
{
	ed_key(ed, 'y');
	draw(ed, s);
}

/* Page down from the middle: scrolling a whole screen. */
__attribute__((noinline)) void bench_page(struct editor *ed, struct screen *s)
{
	ed_key(ed, KEY_PGDN);
	draw(ed, s);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/tmp/edit-bench-10m.c";
	struct editor ed;
	struct screen s;
	double t0, t1, t2, t3;
	FILE *f = fopen(path, "r");

	if (f)
		fclose(f);
	else if (make_file(path))
		return 1;
	ed_init(&ed, &file_posix_ops, 24, 80, 8);
	screen_init(&s, 24, 80);
	t0 = now();
	bench_open(&ed, &s, path);
	t1 = now();
	bench_move(&ed, &s);
	t2 = now();
	bench_key(&ed, &s);
	bench_key_again(&ed, &s);
	bench_page(&ed, &s);
	t3 = now();
	printf("open+first screen %.1f ms, move to middle %.1f ms, two keystrokes and a page down "
	       "%.3f ms "
	       "(%zu lines, %zu output bytes)\n",
	       (t1 - t0) * 1e3, (t2 - t1) * 1e3, (t3 - t2) * 1e3, buf_lines(&ed_doc(&ed)->buf),
	       sink);
	screen_free(&s);
	ed_free(&ed);
	return 0;
}
