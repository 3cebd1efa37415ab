/*
 * name.h - FAT names: Keel components, VFAT long names and 8.3 short names.
 *
 * On Keel's side a name is a path component (keel/path.h): UTF-8. On disk
 * a VFAT long name is up to 255 UTF-16 code units (surrogate pairs for
 * code points above U+FFFF) spread over directory entries of 13 units,
 * each carrying a checksum of the 11-byte short name it belongs to. Every
 * file also has a short name: 8 base and 3 extension bytes, upper case,
 * space padded, in the OEM code page (read as code page 437 here; the
 * engine only ever writes ASCII into short names).
 *
 * Case: names keep their case on disk and compare case-insensitively.
 * fat_fold() folds to upper case: ASCII a-z, Latin-1 (U+00E0-U+00FE except
 * U+00F7, and U+00FF), Latin Extended-A (U+0100-U+017F), basic Greek
 * (U+03B1-U+03C9, final sigma to U+03A3) and basic Cyrillic (U+0430-U+045F).
 * Everything else compares exactly, and there is no Unicode normalisation.
 */
#ifndef VFSD_NAME_H
#define VFSD_NAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/status.h"

#define FAT_LFN_MAX 255                /* UTF-16 units in a long name */
#define FAT_LFN_UNITS 13               /* units per long-name entry */
#define FAT_LFN_SLOTS_MAX 20           /* entries of a 255-unit name */
#define FAT_UTF8_MAX (FAT_LFN_MAX * 3) /* bytes of the longest name in UTF-8 */
#define FAT_SHORT_DISPLAY_MAX 12       /* "BASENAME.EXT" */

/* NTRes bits in a short entry: this part of the short name is lower case
 * (a name such as "readme.txt" needs no long name). */
#define FAT_NT_LOWER_BASE 0x08
#define FAT_NT_LOWER_EXT 0x10

/*
 * Checks that the n bytes at s are a name the engine can put on disk: a
 * valid Keel component (path_check_component's statuses), without any of
 * the characters VFAT forbids (" * : < > ? \ |), not ending in '.'
 * (Windows and Linux strip trailing dots, so such a name could not be
 * found again), and at most FAT_LFN_MAX UTF-16 units. Returns
 * STATUS_BAD_FORMAT for a forbidden character or trailing dot and
 * STATUS_RANGE for a name that is too long.
 */
status_t fat_name_check(const char *s, size_t n);

/* Decodes the n bytes of well-formed UTF-8 at s into at most cap UTF-16
 * units at out and stores the count in *len. Returns STATUS_BAD_FORMAT for
 * malformed UTF-8 (overlong, surrogate, beyond U+10FFFF, truncated) and
 * STATUS_RANGE if the result needs more than cap units. */
status_t fat_utf8_to_utf16(const char *s, size_t n, uint16_t *out, size_t cap, size_t *len);

/* Encodes n UTF-16 units as UTF-8 into out (cap bytes, no NUL added) and
 * stores the byte count in *len. Returns STATUS_BAD_FORMAT for an unpaired
 * surrogate or a NUL unit and STATUS_RANGE if the bytes do not fit. */
status_t fat_utf16_to_utf8(const uint16_t *u, size_t n, char *out, size_t cap, size_t *len);

/* The fast path of readdir: if the n > 0 units at u are printable ASCII
 * and form a name fat_name_check() accepts, copies them to out (n bytes,
 * no NUL) and returns true; false otherwise (out is then undefined and
 * the caller takes the general path, fat_utf16_to_utf8 and
 * fat_name_check, which decides). */
bool fat_ascii_name(const uint16_t *u, size_t n, char *out);

/* The case fold used for comparisons (see above). */
uint16_t fat_fold(uint16_t c);

/* True if the n units at a and b are equal after fat_fold(). */
bool fat_name_equal(const uint16_t *a, const uint16_t *b, size_t n);

/* The checksum of a short name that each of its long-name entries carries. */
uint8_t fat_lfn_checksum(const uint8_t name[11]);

/*
 * If the n units at u are a valid 8.3 name as they stand (ASCII characters
 * allowed in short names, at most 8 + 3, at most one dot and not leading,
 * each part wholly upper or wholly lower case), stores the short name in
 * out and the FAT_NT_LOWER_* bits that restore its case in *nt and returns
 * true: such a name needs no long-name entries.
 */
bool fat_short_exact(const uint16_t *u, size_t n, uint8_t out[11], uint8_t *nt);

/*
 * Derives the basis short name of a long name as VFAT does: upper case,
 * spaces and leading dots dropped, characters a short name cannot hold
 * (non-ASCII, + , ; = [ ] and the like) replaced by '_', at most 8 base
 * bytes from before the last dot and 3 extension bytes after it. Returns
 * true if the basis alone stands for the name (nothing was replaced,
 * dropped or cut, only case changed); false means a numeric tail is
 * needed.
 */
bool fat_short_basis(const uint16_t *u, size_t n, uint8_t out[11]);

/* Stores in out the basis with the numeric tail "~num" (1 to 999999): the
 * base is cut so that base and tail fit in 8 bytes. */
void fat_short_tail(const uint8_t basis[11], uint32_t num, uint8_t out[11]);

/* If name is of the form basis-prefix "~" digits (with basis's extension),
 * as fat_short_tail() makes, returns the number; else 0. */
uint32_t fat_short_tail_number(const uint8_t basis[11], const uint8_t name[11]);

/* Writes the display form of a short name ("README.TXT", or "readme.txt"
 * with the NT lower-case bits, which lower ASCII and Latin-1 capitals) as
 * UTF-16 into out (at least 12 units) and returns its length. A first
 * byte 0x05 stands for 0xE5; bytes 0x80-0xFF are read as code page 437. */
size_t fat_short_display(const uint8_t name[11], uint8_t nt, uint16_t *out);

/* The Unicode code point of code page 437 byte b (0x80-0xFF); b below
 * 0x80 maps to itself. */
uint16_t fat_cp437(uint8_t b);

#endif
