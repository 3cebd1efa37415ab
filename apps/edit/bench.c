/*
 * bench.c - `edit --bench FILE`: the editor's figures on the system it runs
 * on (tests/bench/edit.sh runs it on Keel under QEMU -icount, where the
 * time stamp counter counts guest instructions).
 *
 * Measured, each between two reads of the time stamp counter:
 *   open: loading FILE through the system's files (on Keel: vfsd), building
 *         the buffer, and drawing the first screen on the terminal;
 *   key:  one character typed in the middle of the file and the redraw
 *         written to the terminal (after an unmeasured jump there, whose
 *         cost - the highlighter's state from the top - is printed too);
 *   key2: the next character.
 * Printed as "bench: edit_open_insns=N" lines once the terminal is back.
 */
#include "app.h"

#include <stdint.h>
#include <stdio.h>

#include "ed.h"
#include "screen.h"
#include "term.h"
#include "view.h"

static uint64_t tsc(void)
{
#if defined(__x86_64__) || defined(__i386__)
	return __builtin_ia32_rdtsc();
#else
	return 0;
#endif
}

/* The four figures, in time stamp counter ticks. */
struct bench_figs {
	uint64_t open, jump, key, key2;
	size_t lines;
};

static status_t bench_steps(struct editor *ed, struct screen *s, const char *path,
			    struct bench_figs *f)
{
	uint64_t t0 = tsc(), t1;
	status_t st = ed_open(ed, path);
	struct doc *d;

	if (st == STATUS_OK)
		st = app_refresh(ed, s);
	f->open = tsc() - t0;
	if (st)
		return st;
	d = ed_doc(ed);
	f->lines = buf_lines(&d->buf);
	t0 = tsc();
	doc_set_cursor(ed, d, buf_line_start(&d->buf, f->lines / 2) + 5);
	st = app_refresh(ed, s);
	t1 = tsc();
	f->jump = t1 - t0;
	ed_key(ed, 'x');
	if (st == STATUS_OK)
		st = app_refresh(ed, s);
	t0 = tsc();
	f->key = t0 - t1;
	ed_key(ed, 'y');
	if (st == STATUS_OK)
		st = app_refresh(ed, s);
	f->key2 = tsc() - t0;
	return st;
}

int edit_bench(const char *path)
{
	struct editor ed;
	struct screen s;
	struct bench_figs f = { 0 };
	int rows, cols;
	status_t st;

	tty_size(&rows, &cols);
	ed_init(&ed, &file_posix_ops, rows, cols, 8);
	if ((st = screen_init(&s, rows, cols)) == STATUS_OK && (st = tty_open()) == STATUS_OK)
		st = bench_steps(&ed, &s, path, &f);
	tty_close();
	screen_free(&s);
	ed_free(&ed);
	if (st) {
		fprintf(stderr, "edit: bench: %s\n", status_message(st));
		return 1;
	}
	printf("\nbench: edit_file_lines=%zu\n", f.lines);
	printf("bench: edit_open_10mib_insns=%llu\n", (unsigned long long)f.open);
	printf("bench: edit_jump_to_middle_insns=%llu\n", (unsigned long long)f.jump);
	printf("bench: edit_key_in_middle_insns=%llu\n", (unsigned long long)f.key);
	printf("bench: edit_next_key_insns=%llu\n", (unsigned long long)f.key2);
	return 0;
}
