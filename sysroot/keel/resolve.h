/*
 * resolve.h - POSIX path text to Keel typed paths.
 *
 * A Keel process reaches files through two directory capabilities: its
 * root and its working directory (fs.c keeps them). A POSIX path is
 * resolved into a typed path (keel/path.h) relative to the root
 * capability: an absolute path starts at the root, a relative one at the
 * working directory, which is itself kept as a typed path below the root.
 * "." and empty components ("a//b") are dropped; ".." removes the last
 * component - lexically, before anything is looked up, so "a/link/.."
 * is "a" whatever "link" is - and ".." at the root stays at the root, as
 * "/.." does in POSIX. A resolved path therefore never names anything
 * outside the root capability, by construction.
 */
#ifndef KEEL_RESOLVE_H
#define KEEL_RESOLVE_H

#include <stdbool.h>

#include "keel/path.h"

#define KEEL_POSIX_PATH_MAX 4096 /* bytes of POSIX text, with its NUL */

/*
 * Resolves text against cwd (a path below the root) into *out, below the
 * root. *dir is set if text ends in '/' (it must name a directory). Returns
 * 0 or -errno: EFAULT for NULL text, ENOENT for the empty text,
 * ENAMETOOLONG when the text, a component or the result (at any point
 * along the way) exceeds what a typed path holds, EINVAL for a name a
 * Keel path cannot hold (control characters, malformed UTF-8, blanks at
 * either end). On failure *out is the empty path.
 */
int keel_resolve(const struct path *cwd, const char *text, struct path *out, bool *dir);

#endif
