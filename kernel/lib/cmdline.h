/*
 * cmdline.h - reading the kernel command line.
 *
 * The command line is space-separated words, each "key" or "key=value".
 * Keel's own keys start with "keel." (keel.test=..., keel.bench, ...).
 */
#ifndef KEEL_LIB_CMDLINE_H
#define KEEL_LIB_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

#include "abi/status.h"

/* Returns true if key appears as a word, with or without a value. */
bool cmdline_has(const char *cmdline, const char *key);

/*
 * Copies key's value into out (size n, NUL-terminated). Returns
 * STATUS_NOT_FOUND if key is absent, STATUS_RANGE if the value does not
 * fit. A bare "key" has the empty value. The last occurrence wins.
 */
status_t cmdline_get(const char *cmdline, const char *key, char *out, size_t n);

#endif
