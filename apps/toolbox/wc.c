/*
 * wc.c - count lines, words, characters and bytes (busybox's wc): -l -w
 * -m -c -L, the default being -l -w -c. Column widths are busybox's: a
 * lone count with at most one file is printed bare ("5 FILE"); otherwise
 * each count is "%9llu", separated by one space. -m counts UTF-8
 * characters (bytes that do not continue a sequence) whatever the locale.
 * A word is a run of printable or non-ASCII bytes; control characters
 * other than white space neither make nor end a word, as in busybox.
 */
#include "toolbox.h"

#include <string.h>

enum { WC_LINES, WC_WORDS, WC_CHARS, WC_BYTES, WC_MAXLEN, WC_N };

/* Adds the bytes of f into c[WC_BYTES], a block at a time (wc -c). */
static int wc_bytes(FILE *f, unsigned long long c[WC_N])
{
	char buf[4096];
	size_t k;

	while ((k = fread(buf, 1, sizeof buf, f)) > 0)
		c[WC_BYTES] += k;
	return ferror(f) ? -1 : 0;
}

/* Adds the counts of f into c (c[WC_MAXLEN] is a maximum); with only
 * bytes asked for, counts bytes alone. */
static int wc_count(FILE *f, unsigned long long c[WC_N], bool bytes_only)
{
	unsigned long long col = 0;
	bool inword = false;
	int ch;

	if (bytes_only)
		return wc_bytes(f, c);
	while ((ch = getc(f)) != EOF) {
		bool space = ch == ' ' || (ch >= '\t' && ch <= '\r');
		c[WC_BYTES]++;
		if ((ch & 0xc0) != 0x80)
			c[WC_CHARS]++;
		if (space && inword)
			c[WC_WORDS]++;
		if (space)
			inword = false;
		else if (ch > ' ' && ch != 0x7f)
			inword = true;
		if (ch == '\n' || ch == '\r' || ch == '\f') {
			c[WC_LINES] += ch == '\n';
			col = 0;
		} else if (ch == '\t') {
			col = (col | 7) + 1;
		} else if (ch > ' ' - 1 && ch != 0x7f && (ch & 0xc0) != 0x80) {
			col++;
		}
		if (col > c[WC_MAXLEN])
			c[WC_MAXLEN] = col;
	}
	c[WC_WORDS] += inword;
	return ferror(f) ? -1 : 0;
}

/* Prints the selected counts and the name (NULL for none). */
static void wc_print(const bool show[WC_N], const unsigned long long c[WC_N], const char *name,
		     bool bare)
{
	const char *sep = "";

	for (int i = 0; i < WC_N; i++) {
		if (!show[i])
			continue;
		printf(bare ? "%s%llu" : "%s%9llu", sep, c[i]);
		sep = " ";
	}
	if (name)
		printf(" %s", name);
	putchar('\n');
}

int cmd_wc(int argc, char **argv)
{
	static const char letters[] = "lwmcL";
	unsigned long long total[WC_N] = { 0 };
	bool show[WC_N] = { false };
	int c, n, st = 0, shown = 0;
	struct opt o;

	opt_init(&o, argc, argv, "lwmcL", "[-lwmcL] [FILE]...");
	while ((c = opt_next(&o)) != -1) {
		if (c == '?')
			return 1;
		show[strchr(letters, c) - letters] = true;
	}
	if (!show[WC_LINES] && !show[WC_WORDS] && !show[WC_CHARS] && !show[WC_BYTES] &&
	    !show[WC_MAXLEN])
		show[WC_LINES] = show[WC_WORDS] = show[WC_BYTES] = true;
	for (int i = 0; i < WC_N; i++)
		shown += show[i];
	char **ops = opt_operands(&o, &n);
	bool bare = shown == 1 && n <= 1;
	for (int i = 0; i < (n ? n : 1); i++) {
		unsigned long long cnt[WC_N] = { 0 };
		const char *path = n ? ops[i] : "-";
		FILE *f = file_open(argv[0], path);
		if (!f) {
			st = 1;
			continue;
		}
		if (wc_count(f, cnt, shown == 1 && show[WC_BYTES]) < 0) {
			msg_errno(argv[0], "%s", path);
			st = 1;
		}
		file_close(f);
		wc_print(show, cnt, n ? path : NULL, bare);
		for (int k = 0; k < WC_N; k++)
			total[k] = k == WC_MAXLEN ? (cnt[k] > total[k] ? cnt[k] : total[k])
						  : total[k] + cnt[k];
	}
	if (n > 1)
		wc_print(show, total, "total", false);
	return st;
}
