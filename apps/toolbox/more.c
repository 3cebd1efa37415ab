/*
 * more.c - a pager: with standard output on a terminal, shows a screen of
 * text, then "--More--" (with how far through the file, when its size is
 * known) and reads a key from the terminal: space for the next screen,
 * enter for the next line, q to quit. Otherwise it copies its input, as
 * busybox's more does. When paging, each of several files starts with a
 * ":::" header.
 */
#include "toolbox.h"

#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

struct more_term {
	FILE *tty;
	struct termios saved;
	unsigned rows, cols;
};

/* Reads one key from the terminal in non-canonical mode. */
static int more_key(struct more_term *t)
{
	struct termios raw = t->saved;
	char c = 'q';

	raw.c_lflag &= (tcflag_t) ~(ICANON | ECHO);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	tcsetattr(fileno(t->tty), TCSANOW, &raw);
	if (read(fileno(t->tty), &c, 1) != 1)
		c = 'q';
	tcsetattr(fileno(t->tty), TCSANOW, &t->saved);
	return (unsigned char)c;
}

/* Pages one stream, the first screen already holding used lines; returns
 * false when the user quit. */
static bool more_page(struct more_term *t, FILE *f, long long size, unsigned used)
{
	struct line l = { 0 };
	unsigned left = t->rows - 1 > used ? t->rows - 1 - used : 1;
	long long done = 0;

	while (line_read(&l, f, '\n') > 0) {
		fwrite(l.buf, 1, l.len, stdout);
		done += (long long)l.len;
		if (--left > 0)
			continue;
		if (size > 0)
			printf("--More-- (%lld%%)", done * 100 / size);
		else
			fputs("--More--", stdout);
		fflush(stdout);
		int k = more_key(t);
		fputs("\r\033[K", stdout);
		if (k == 'q' || k == 'Q') {
			line_free(&l);
			return false;
		}
		left = k == '\n' || k == '\r' ? 1 : t->rows - 1;
	}
	line_free(&l);
	return true;
}

int cmd_more(int argc, char **argv)
{
	struct more_term t = { .rows = 24, .cols = 80 };
	static char *dash[] = { "-", NULL };
	struct winsize ws;
	struct opt o;
	int c, n, status = 0;

	opt_init(&o, argc, argv, "", "[FILE]...");
	while ((c = opt_next(&o)) != -1)
		return 1;
	char **ops = opt_operands(&o, &n);
	if (n == 0) {
		ops = dash;
		n = 1;
	}
	bool paging = isatty(1) && (t.tty = fopen("/dev/tty", "r")) != NULL &&
		      tcgetattr(fileno(t.tty), &t.saved) == 0;
	if (paging && ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 1) {
		t.rows = ws.ws_row;
		t.cols = ws.ws_col;
	}
	for (int i = 0; i < n; i++) {
		FILE *f = strcmp(ops[i], "-") ? fopen(ops[i], "r") : stdin;
		struct stat st;
		if (!f) {
			msg_errno(argv[0], "can't open '%s'", ops[i]);
			status = 1;
			continue;
		}
		if (n > 1 && paging)
			printf("::::::::::::::\n%s\n::::::::::::::\n", ops[i]);
		bool go = true;
		if (paging)
			go = more_page(&t, f,
				       fstat(fileno(f), &st) == 0 ? (long long)st.st_size : 0,
				       n > 1 ? 3 : 0);
		else if (fflush(stdout) == 0)
			copy_fd(fileno(f), 1);
		file_close(f);
		if (!go)
			break;
	}
	if (t.tty)
		fclose(t.tty);
	return status;
}
