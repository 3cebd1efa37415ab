/*
 * complete.h - Tab completion for the line editor: command names
 * (builtins, functions, programs in PATH) in command position, paths
 * elsewhere or when the word contains a slash.
 */
#ifndef SH_COMPLETE_H
#define SH_COMPLETE_H

#include "edit.h"

/* A completer_fn; ctx is the struct shell. */
void complete_line(void *ctx, const char *line, size_t pos, struct completion *c);

#endif
