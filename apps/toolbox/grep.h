/*
 * grep.h - grep's pattern engine, shared by the command and its fuzz
 * target: a list of patterns compiled once, matched against a line.
 */
#ifndef TOOLBOX_GREP_H
#define TOOLBOX_GREP_H

#include "toolbox.h"

#include <regex.h>

struct grep_pat {
	char *text;
	regex_t re;
	bool compiled;
};

struct grep_pats {
	struct grep_pat *pat;
	size_t n, cap;
	bool extended, fixed, icase, word, line;
};

bool grep_add(struct grep_pats *g, const char *text);
bool grep_compile(const char *name, struct grep_pats *g);
bool grep_match(const struct grep_pats *g, const char *s, size_t start, size_t *so, size_t *eo);
void grep_free(struct grep_pats *g);

#endif
