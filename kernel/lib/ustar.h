/*
 * ustar.h - reading the boot bundle, a POSIX ustar archive.
 *
 * The bundle is written by GNU tar --format=ustar and handed over by GRUB
 * as a module, that is, a byte range. Every header is checked (checksum,
 * magic, octal size, name fields) and every data range is checked against
 * that byte range before anything is returned, so the pointers in a
 * struct ustar_entry always lie inside the archive.
 *
 * Layout: 512-byte blocks; each member is one header block followed by its
 * data, padded to a whole block. The archive ends at two zero blocks, at a
 * zero block with no complete block after it, or exactly at the end of the
 * byte range. Bytes after the end marker (tar's record padding) are ignored;
 * a zero block followed by a member is refused.
 *
 * Accepted: magic "ustar\0" with version "00", exactly what GNU tar
 * --format=ustar writes (the old GNU "ustar  " header keeps other data in
 * the prefix field, so it is refused); a checksum matching the unsigned or
 * the historic signed byte sum; octal numbers with leading spaces and a
 * NUL or space tail. A name or prefix that fills its whole field has no
 * NUL, as POSIX allows; the field's width bounds it. Every member type
 * has size data bytes after its header (GNU tar writes 0 for directories
 * and links).
 */
#ifndef KEEL_LIB_USTAR_H
#define KEEL_LIB_USTAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/status.h"

#define USTAR_BLOCK 512u

/* Longest full name: 155-byte prefix, "/", 100-byte name, NUL. */
#define USTAR_NAME_MAX (155 + 1 + 100 + 1)

/* Type flags; any other byte is iterated and reported as it stands. */
#define USTAR_REGULAR '0'
#define USTAR_REGULAR_OLD '\0'
#define USTAR_HARDLINK '1'
#define USTAR_SYMLINK '2'
#define USTAR_DIRECTORY '5'

struct ustar_entry {
	char name[USTAR_NAME_MAX]; /* prefix "/" name, NUL-terminated */
	char type;                 /* the header's typeflag byte */
	const void *data;          /* first data byte, inside the archive */
	size_t size;               /* data bytes at data */
};

/* Walk state; initialise with ustar_iter_init(), then call ustar_next(). */
struct ustar_iter {
	const uint8_t *base;
	size_t len;
	size_t off;      /* offset of the next header */
	status_t status; /* STATUS_OK while walking; the final status after */
};

/* Starts a walk over the len bytes at archive (NULL is allowed when len is 0). */
void ustar_iter_init(struct ustar_iter *it, const void *archive, size_t len);

/*
 * Decodes the next member into *out. Returns STATUS_OK, STATUS_NOT_FOUND at
 * the end of the archive, STATUS_BAD_FORMAT for a malformed header or a
 * member that runs past the end, STATUS_INVALID for a NULL archive. Once it
 * has returned anything but STATUS_OK it keeps returning that status.
 */
status_t ustar_next(struct ustar_iter *it, struct ustar_entry *out);

/*
 * Finds the regular file called name (compared byte for byte with the full
 * stored name) and sets *data and *size to its contents. The whole archive
 * is checked, so the answer does not depend on where a defect lies: returns
 * STATUS_BAD_FORMAT for any malformed member, STATUS_EXISTS when name is
 * stored as a regular file more than once, STATUS_NOT_FOUND when it is not
 * stored as a regular file at all. On failure *data is NULL and *size 0.
 */
status_t ustar_find(const void *archive, size_t len, const char *name, const void **data,
		    size_t *size);

#endif
