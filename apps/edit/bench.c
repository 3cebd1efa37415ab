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
 *
 * Under -icount with sleep=off an idle CPU makes the clock skip ahead to
 * the next timer, so the raw differences include the time spent waiting
 * for the disk. The kernel counts that time (kernel_stats.idle_ticks, all
 * CPUs); with one CPU, difference minus idle is the instructions executed,
 * printed as the figure, and the raw difference as *_with_idle.
 */
#include "app.h"

#include <stdint.h>
#include <stdio.h>

#include "keel/sys.h"

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

/* Ticks the CPUs have spent halted since boot; 0 if unknown. */
static uint64_t idle(void)
{
	struct kernel_stats k = { 0 };
	if (sys_kernel_stats(keel_start_page()->witness, &k, sizeof k))
		return 0;
	return k.idle_ticks;
}

/* The four figures, in time stamp counter ticks, and the idle ticks
 * inside each. */
struct bench_figs {
	uint64_t open, jump, key, key2;
	uint64_t open_idle, jump_idle, key_idle, key2_idle;
	size_t lines;
};

static status_t bench_steps(struct editor *ed, struct screen *s, const char *path,
			    struct bench_figs *f)
{
	uint64_t i0 = idle(), i1;
	uint64_t t0 = tsc(), t1;
	status_t st = ed_open(ed, path);
	struct doc *d;

	if (st == STATUS_OK)
		st = app_refresh(ed, s);
	f->open = tsc() - t0;
	f->open_idle = idle() - i0;
	if (st)
		return st;
	d = ed_doc(ed);
	f->lines = buf_lines(&d->buf);
	i0 = idle();
	t0 = tsc();
	doc_set_cursor(ed, d, buf_line_start(&d->buf, f->lines / 2) + 5);
	st = app_refresh(ed, s);
	t1 = tsc();
	i1 = idle();
	f->jump = t1 - t0;
	f->jump_idle = i1 - i0;
	ed_key(ed, 'x');
	if (st == STATUS_OK)
		st = app_refresh(ed, s);
	t0 = tsc();
	i0 = idle();
	f->key = t0 - t1;
	f->key_idle = i0 - i1;
	ed_key(ed, 'y');
	if (st == STATUS_OK)
		st = app_refresh(ed, s);
	f->key2 = tsc() - t0;
	f->key2_idle = idle() - i0;
	return st;
}

/* One figure: executed (ticks less idle) and the raw difference. */
static void print_fig(const char *name, uint64_t ticks, uint64_t idle_ticks)
{
	uint64_t run = idle_ticks < ticks ? ticks - idle_ticks : 0;
	printf("bench: edit_%s_insns=%llu\n", name, (unsigned long long)run);
	printf("bench: edit_%s_with_idle=%llu\n", name, (unsigned long long)ticks);
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
	print_fig("open_10mib", f.open, f.open_idle);
	print_fig("jump_to_middle", f.jump, f.jump_idle);
	print_fig("key_in_middle", f.key, f.key_idle);
	print_fig("next_key", f.key2, f.key2_idle);
	return 0;
}
