/*
 * opt.c - getopt-compatible option scanning without global state.
 *
 * Behaves as glibc's getopt does for the programs busybox builds with it:
 * options may follow operands (permutation) unless the spec starts with
 * '+', "--" ends the options, "-" is an operand, clustered letters, and an
 * option argument either attached ("-n5") or in the next word ("-n 5").
 */
#include "toolbox.h"

#include <string.h>

void opt_init(struct opt *o, int argc, char **argv, const char *spec, const char *usage)
{
	memset(o, 0, sizeof(*o));
	o->argc = argc;
	o->argv = argv;
	o->stop_at_operand = spec[0] == '+';
	o->spec = o->stop_at_operand ? spec + 1 : spec;
	o->usage = usage;
	o->ind = 1;
}

/* Moves every word from ind on to the operand list and ends the scan. */
static int opt_finish(struct opt *o)
{
	while (o->ind < o->argc)
		o->argv[1 + o->nops++] = o->argv[o->ind++];
	o->done = true;
	return -1;
}

/* Reports a bad option the way getopt does, then the command's usage. */
static int opt_error(struct opt *o, const char *what, char c)
{
	if (o->silent)
		return '?';
	fprintf(stderr, "%s: %s -- '%c'\n", o->argv[0], what, c);
	msg_usage(o->argv[0], o->usage);
	return '?';
}

/* Takes the next letter of the current cluster. */
static int opt_letter(struct opt *o)
{
	char c = *o->cluster++;
	const char *p = c == ':' ? NULL : strchr(o->spec, c);

	if (!p)
		return opt_error(o, "invalid option", c);
	if (p[1] != ':')
		return c;
	if (*o->cluster) {
		o->arg = (char *)o->cluster;
	} else if (o->ind < o->argc) {
		o->arg = o->argv[o->ind++];
	} else {
		o->cluster = NULL;
		return opt_error(o, "option requires an argument", c);
	}
	o->cluster = NULL;
	return c;
}

/* Returns the next option letter, '?' after reporting a bad one, or -1
 * when the options are over. */
int opt_next(struct opt *o)
{
	if (o->done)
		return -1;
	if (o->cluster && *o->cluster)
		return opt_letter(o);
	for (;;) {
		if (o->ind >= o->argc)
			return opt_finish(o);
		char *w = o->argv[o->ind];
		if (strcmp(w, "--") == 0) {
			o->ind++;
			return opt_finish(o);
		}
		if (w[0] == '-' && w[1] != '\0') {
			o->ind++;
			o->cluster = w + 1;
			return opt_letter(o);
		}
		if (o->stop_at_operand)
			return opt_finish(o);
		o->argv[1 + o->nops++] = w;
		o->ind++;
	}
}

/* The operands, in order, after the scan has returned -1. */
char **opt_operands(struct opt *o, int *count)
{
	*count = o->nops;
	o->argv[1 + o->nops] = NULL;
	return o->argv + 1;
}
