/*
 * status.h - status codes shared by the kernel and userland.
 *
 * A function that can fail returns status_t; STATUS_OK is zero so that
 * "if (st)" tests for failure. Names and messages: status_name(),
 * status_message() in kernel/lib/status.c, linked by the kernel and user code alike.
 */
#ifndef KEEL_ABI_STATUS_H
#define KEEL_ABI_STATUS_H

enum status {
#define STATUS(name, num, msg) STATUS_##name = num,
#include "abi/status.def"
#undef STATUS
	STATUS_COUNT
};

typedef enum status status_t;

/* Returns the code's short upper-case name ("NO_MEMORY"), or "?" if unknown. */
const char *status_name(status_t st);

/* Returns the code's one-line English message, or "unknown status". */
const char *status_message(status_t st);

#endif
