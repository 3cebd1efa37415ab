/*
 * seq.c - print numbers from FIRST to LAST in steps of INC (busybox's seq):
 * seq [-w] [-s SEP] [FIRST [INC]] LAST, FIRST and INC 1 by default.
 *
 * Numbers are read as strtod reads them (so "0x10", "1e2" and "inf" are
 * numbers) and printed with as many decimals as FIRST or INC shows after
 * its point: the characters after the '.' counted as busybox counts them,
 * so "1.23e1" asks for four. The n-th number is FIRST + n * INC, so a long
 * run gathers no rounding error; an INC of 0 prints FIRST for ever, as
 * busybox does. -w pads with zeros to the widest of FIRST, INC and LAST as
 * printed; -s puts SEP between the numbers (a newline ends the last). A
 * number that is not one is the usage message, exit 1.
 */
#include "toolbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEQ_USAGE "[-w] [-s SEP] [FIRST [INC]] LAST"

/* Parses a whole operand as a number (blanks before it allowed, as
 * strtod skips them; none after). */
static bool seq_number(const char *s, double *v)
{
	char *end;
	*v = strtod(s, &end);
	return end != s && *end == 0;
}

/* Decimals the operand shows: the characters after its point. */
static int seq_decimals(const char *s)
{
	const char *dot = strchr(s, '.');
	return dot ? (int)strlen(dot + 1) : 0;
}

int cmd_seq(int argc, char **argv)
{
	struct opt o;
	const char *sep = "\n";
	bool pad = false;
	double v[3] = { 1, 1, 1 }; /* first, inc, last */
	int c, n, dec = 0, width = 0;

	opt_init(&o, argc, argv, "+ws:", SEQ_USAGE);
	while ((c = opt_next(&o)) != -1) {
		if (c == '?')
			return 1;
		if (c == 'w')
			pad = true;
		else
			sep = o.arg;
	}
	char **ops = opt_operands(&o, &n);
	if (n < 1 || n > 3) {
		msg_usage(argv[0], SEQ_USAGE);
		return 1;
	}
	/* One operand is LAST; two are FIRST LAST; three FIRST INC LAST. */
	static const int slot[3][3] = { { 2 }, { 0, 2 }, { 0, 1, 2 } };
	for (int i = 0; i < n; i++) {
		if (!seq_number(ops[i], &v[slot[n - 1][i]])) {
			msg_usage(argv[0], SEQ_USAGE);
			return 1;
		}
		if (slot[n - 1][i] != 2 && seq_decimals(ops[i]) > dec)
			dec = seq_decimals(ops[i]);
	}
	if (dec > 1000)
		dec = 1000; /* more than a double holds, and printf's limit */
	if (pad)
		for (int i = 0; i < 3; i++) {
			int w = snprintf(NULL, 0, "%.*f", dec, v[i]);
			width = w > width ? w : width;
		}
	bool any = false;
	for (unsigned long long k = 0;; k++) {
		double x = v[0] + (double)k * v[1];
		if (!(v[1] >= 0 ? x <= v[2] : x >= v[2]))
			break; /* past LAST, or not a number at all (nan) */
		if (any)
			fputs(sep, stdout);
		printf("%0*.*f", width, dec, x);
		any = true;
		if (ferror(stdout))
			return 1;
	}
	if (any)
		putchar('\n');
	return 0;
}
