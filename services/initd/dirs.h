/*
 * dirs.h - `dir PATH RIGHTS` manifest lines: the directory capabilities a
 * service is given (docs/files.md).
 *
 *     dir  /apps  read                 # READ
 *     dir  /home  write                # READ, WRITE, CREATE, DELETE
 *     dir  /drop  create,write         # a comma-separated list of rights
 *
 * PATH is absolute on the volume vfsd serves ("/" is its root), a typed
 * path (keel/path.h) of at most MANIFEST_DIR_PATH_MAX bytes below "/".
 * RIGHTS is `read`, `write` (every right), or a comma-separated list of
 * read, write, create, delete. A service with dir lines starts once the
 * service providing "vfs" has said hello; initd then opens each directory
 * in vfsd with exactly those rights and grants the capability, after the
 * inboxes of `sends`, in manifest order.
 */
#ifndef KEEL_INITD_DIRS_H
#define KEEL_INITD_DIRS_H

#include <stddef.h>
#include <stdint.h>

#include "abi/status.h"

#define MANIFEST_MAX_DIRS 8u
#define MANIFEST_DIR_PATH_MAX 28u /* bytes below "/": one inline vfsd path */
#define DIRS_PROVIDER "vfs"       /* the `provides` name of the file service */

/* One dir line: the path below the root, without the leading '/'. */
struct manifest_dir {
	char path[MANIFEST_DIR_PATH_MAX + 1];
	uint32_t rights; /* VFS_R_* */
};

/* Parses PATH (n bytes at s) into out (NUL-terminated, below the root).
 * STATUS_BAD_FORMAT if it is not absolute or not a valid typed path,
 * STATUS_INVALID for "." or "..", STATUS_RANGE if too long. */
status_t dirs_parse_path(const char *s, size_t n, char out[MANIFEST_DIR_PATH_MAX + 1]);

/* Parses RIGHTS into VFS_R_* bits; STATUS_BAD_FORMAT for an unknown word,
 * an empty item or a right given twice. */
status_t dirs_parse_rights(const char *s, size_t n, uint32_t *rights);

/* The rights as text for the console ("read,create"), in out of n bytes. */
void dirs_rights_text(uint32_t rights, char *out, size_t n);

#endif
