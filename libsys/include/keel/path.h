/*
 * keel/path.h - typed paths: sequences of validated names.
 *
 * Keel has no global file system root. A task reaches files only through
 * directory capabilities, and every path is relative to one of them. A
 * struct path is therefore a list of components below some directory,
 * never an absolute string, and it cannot name anything above it: there
 * is no "..", so path_is_within() decides containment by comparing
 * components, and a path inside a directory capability stays inside.
 *
 * A component is 1 to PATH_COMPONENT_MAX bytes of which every byte is
 *   - printable ASCII (0x21-0x7e) other than '/', or
 *   - a space (0x20), but not as the first or last byte, or
 *   - part of a well-formed UTF-8 sequence (shortest form, no surrogates,
 *     at most U+10FFFF) whose code point is not a C1 control (U+0080 to
 *     U+009F),
 * and the component is neither "." nor "..". So no NUL, no control
 * characters (which would garble logs and terminals), no names that
 * differ only by invisible surrounding blanks. Bytes are compared as they
 * are: no case folding, no Unicode normalisation.
 *
 * The text form joins the components with single '/'. It never begins or
 * ends with '/' and never contains "//"; the empty text is the empty path,
 * the directory itself. Every function that takes text or a component
 * validates it and reports why it refuses:
 *   STATUS_BAD_FORMAT  an empty component (leading, trailing or double
 *                      '/'), a forbidden byte or malformed UTF-8
 *   STATUS_INVALID     a "." or ".." component
 *   STATUS_RANGE       a component longer than PATH_COMPONENT_MAX, or a
 *                      text form longer than PATH_MAX_BYTES
 *   STATUS_FULL        more than PATH_MAX_COMPONENTS components
 *
 * Paths are built only from components, never by formatting strings.
 * A struct path is a plain value (about 1.1 KiB): copy it with "=".
 */
#ifndef KEEL_PATH_H
#define KEEL_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/status.h"

#define PATH_COMPONENT_MAX 255
#define PATH_MAX_COMPONENTS 32
#define PATH_MAX_BYTES 1024 /* of the text form, without a NUL */

struct path {
	uint16_t count;                      /* components */
	uint16_t len;                        /* bytes of text in use */
	uint16_t start[PATH_MAX_COMPONENTS]; /* offset of component i in text */
	char text[PATH_MAX_BYTES];           /* the text form, not NUL-terminated */
};

/* Makes p the empty path. */
void path_init(struct path *p);

/* Returns STATUS_OK if the n bytes at s are a valid component, else the
 * status saying why not (see above). */
status_t path_check_component(const char *s, size_t n);

/* Parses the len bytes at text ("a/b/c"; text may be NULL if len is 0)
 * into *out. On failure *out is the empty path and the status says why. */
status_t path_parse(const char *text, size_t len, struct path *out);

/* Appends the component of n bytes at s. On failure p is unchanged. */
status_t path_push(struct path *p, const char *s, size_t n);

/* Removes the last component; STATUS_EMPTY for the empty path. */
status_t path_pop(struct path *p);

/* Stores a followed by b in *out, which may be a or b. On failure
 * (STATUS_FULL, STATUS_RANGE) *out is unchanged. */
status_t path_join(const struct path *a, const struct path *b, struct path *out);

/* Writes the text form and a NUL into buf of n bytes. Returns STATUS_RANGE,
 * with buf holding "" if n > 0, when n <= path_length(p). */
status_t path_format(const struct path *p, char *buf, size_t n);

/* The number of components. */
size_t path_count(const struct path *p);

/* The length of the text form. */
size_t path_length(const struct path *p);

/* Stores a view of component i (not NUL-terminated) in *s and *n;
 * STATUS_RANGE if i >= path_count(p). */
status_t path_component(const struct path *p, size_t i, const char **s, size_t *n);

/* True if a and b have the same components. */
bool path_equal(const struct path *a, const struct path *b);

/* True if prefix's components are the leading components of p, so that p
 * names prefix itself or something below it. The empty prefix contains
 * every path; "a/b" is within "a" but "ab" is not. */
bool path_is_within(const struct path *p, const struct path *prefix);

#endif
