/*
 * hl.h - syntax highlighting for C and shell scripts.
 *
 * hl_line() colours one line given the lexer state at its start and returns
 * the state at its end: a block comment, a string continued with a
 * backslash or a continued preprocessor directive in C; a quoted string
 * running over several lines in shell. struct hl_cache remembers the state
 * at the start of every HL_STEP-th line so that the state of any line is
 * found by lexing at most HL_STEP lines, also when scrolling into the middle
 * of a long comment; an edit invalidates only the checkpoints after it.
 */
#ifndef EDIT_HL_H
#define EDIT_HL_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum hl_lang { HL_NONE, HL_C, HL_SH };

enum hl_attr {
	HL_TEXT,
	HL_COMMENT,
	HL_STRING,
	HL_KEYWORD,
	HL_TYPE,
	HL_NUMBER,
	HL_PREPROC,
	HL_ATTR_COUNT
};

typedef uint8_t hl_state;

/* C lexer states (bits). */
#define HL_C_COMMENT 1
#define HL_C_STRING 2
#define HL_C_PREPROC 4
/* Shell lexer states. */
#define HL_SH_SQUOTE 1
#define HL_SH_DQUOTE 2

/* Colours the n bytes of one line (no '\n') lexed from state in; stores one
 * enum hl_attr per byte in attr (if not NULL); returns the state after. */
hl_state hl_line(enum hl_lang lang, hl_state in, const char *s, size_t n, uint8_t *attr);

/* The language for a file name and its first line (either may be empty). */
enum hl_lang hl_detect(const char *name, const char *first, size_t n);

#define HL_STEP 32

struct hl_cache {
	enum hl_lang lang;
	hl_state *cp;    /* state at the start of line k * HL_STEP */
	size_t ncp, cap; /* checkpoints [0, ncp) are valid */
	char *line;      /* scratch copy of one line */
	size_t linecap;
};

void hl_cache_init(struct hl_cache *c, enum hl_lang lang);
void hl_cache_free(struct hl_cache *c);

/* Forgets what an edit of line (and anything after it) may have changed. */
void hl_cache_invalidate(struct hl_cache *c, size_t line);

/* The lexer state at the start of line. Falls back to state 0 if memory
 * for the cache cannot be had. */
hl_state hl_state_at(struct hl_cache *c, const struct buf *b, size_t line);

/* Copies the line of b that starts at offset start into the cache's scratch
 * space; returns it and its length in *n (NULL on allocation failure). */
const char *hl_fetch_at(struct hl_cache *c, const struct buf *b, size_t start, size_t *n);

#endif
