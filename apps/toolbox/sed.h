/*
 * sed.h - sed's script parser and program, shared by the command and the
 * parser's fuzz target. sed_parse turns script text into a program or an
 * error message; it never reads past the text and never crashes on
 * malformed input.
 */
#ifndef TOOLBOX_SED_H
#define TOOLBOX_SED_H

#include "toolbox.h"

#include <regex.h>

enum sed_addr_kind { SED_ADDR_NONE, SED_ADDR_LINE, SED_ADDR_LAST, SED_ADDR_RE, SED_ADDR_PLUS };

struct sed_addr {
	enum sed_addr_kind kind;
	unsigned long line;
	regex_t *re; /* NULL for "//": the last regex used */
};

struct sed_cmd {
	struct sed_addr a1, a2;
	bool negate, in_range;
	unsigned long range_end; /* for ADDR,+N: the last line of the range */
	char cmd;
	/* s */
	regex_t *re;
	char *repl;
	bool global, print;
	unsigned long nth;
	/* y */
	unsigned char *ymap;
	/* a i c, labels, b t, q's exit code */
	char *text;
	int jump; /* b/t target, { end: index of the matching } */
	int code;
};

struct sed_prog {
	struct sed_cmd *cmd;
	int n, cap;
	regex_t **res; /* every compiled regex, for freeing */
	int nres, capres;
	bool extended;
};

bool sed_parse(struct sed_prog *p, const char *script, char *err, size_t errlen);
void sed_prog_free(struct sed_prog *p);

#endif
