/*
 * elf.h - checking the ELF64 executables Keel starts as user tasks.
 *
 * Keel runs static x86-64 executables only: ET_EXEC, EM_X86_64, little
 * endian, version 1, no interpreter and no dynamic section. elf_parse() is
 * the one place that reads an image's headers. It either returns an entry
 * point and a list of loadable segments that can be mapped as they stand,
 * or an error and a reason naming the check that failed.
 *
 * What a successful parse guarantees about the segments:
 *   - each one's file bytes lie inside the image and filesz <= memsz;
 *   - ELF_MIN_VADDR <= vaddr and vaddr + memsz <= user_limit, no overflow;
 *   - vaddr and offset agree modulo ELF_PAGE_SIZE;
 *   - they are sorted by address and no two touch the same page, so every
 *     page has exactly one owner and one set of permissions;
 *   - none is both writable and executable;
 *   - the entry point lies in the file-backed part of an executable one.
 * Segments with memsz 0 are dropped. Segments sharing a page are refused
 * even when their permissions agree, for one simple rule; GNU ld starts
 * each segment on a fresh page of memory, so real executables pass.
 * p_paddr and p_align are ignored: segments are mapped in 4 KiB pages, so
 * only agreement modulo a page matters. W^X is absolute: a W+X segment or a
 * PT_GNU_STACK asking for an executable stack is refused with
 * STATUS_NO_RIGHTS, a policy refusal the kernel can report apart from a
 * corrupt image.
 *
 * Thread-local storage: an image has at most one PT_TLS header. Its
 * initialisation image (the first filesz bytes, the rest of memsz being
 * zero) must lie in the file-backed bytes of one loadable segment - the
 * C library copies it from there into every thread's TLS block - and its
 * alignment must be 0 or a power of two up to a page. The parse reports
 * it in elf_info.tls. PT_NOTE, PT_PHDR and other types are ignored.
 */
#ifndef KEEL_LIB_ELF_H
#define KEEL_LIB_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/status.h"

#define ELF_MAX_SEGMENTS 16
#define ELF_PAGE_SIZE 4096u

/* Nothing is mapped below this, so a null pointer dereference always faults. */
#define ELF_MIN_VADDR 0x1000u

/* Segment permission bits; the values are ELF's PF_X, PF_W and PF_R. */
#define ELF_SEG_X 1u
#define ELF_SEG_W 2u
#define ELF_SEG_R 4u

struct elf_segment {
	uint64_t vaddr;  /* first byte in user space */
	uint64_t memsz;  /* bytes in memory; those past filesz are zero */
	uint64_t offset; /* image offset of the first file byte */
	uint64_t filesz; /* bytes copied from the image */
	uint32_t flags;  /* ELF_SEG_R | ELF_SEG_W | ELF_SEG_X; other bits cleared */
};

/* The PT_TLS header; all zero when the image has none. */
struct elf_tls {
	uint64_t vaddr;  /* the initialisation image, in a loaded segment */
	uint64_t filesz; /* bytes of the initialisation image */
	uint64_t memsz;  /* bytes of each thread's block: filesz, then zeros */
	uint64_t align;  /* 0, or a power of two <= ELF_PAGE_SIZE */
};

struct elf_info {
	uint64_t entry;
	struct elf_tls tls;
	struct elf_segment segments[ELF_MAX_SEGMENTS]; /* by ascending vaddr */
	uint32_t segment_count;
	const char *reason; /* why the parse failed, for the log; "" on success */
};

/*
 * What the loader puts in one page of a segment: a zeroed page at vaddr
 * with copy_len bytes from image offset src_offset placed at dst_offset.
 */
struct elf_page {
	uint64_t vaddr;      /* page-aligned */
	uint64_t src_offset; /* meaningful only when copy_len > 0 */
	uint32_t dst_offset; /* within the page */
	uint32_t copy_len;   /* dst_offset + copy_len <= ELF_PAGE_SIZE */
};

/*
 * Checks the len bytes at image as a Keel user executable whose segments
 * must end at or below user_limit (page-aligned, e.g. 0x800000000000) and
 * fills *out. Returns STATUS_OK; STATUS_BAD_FORMAT for a malformed or
 * unsupported image (including PT_INTERP and PT_DYNAMIC); STATUS_RANGE for
 * a segment outside [ELF_MIN_VADDR, user_limit); STATUS_NO_RIGHTS for a
 * segment or stack that is both writable and executable; STATUS_FULL for
 * more than ELF_MAX_SEGMENTS loadable segments; STATUS_INVALID for a NULL
 * image or an unaligned user_limit. On failure out->reason says which check
 * failed and out holds no segments.
 */
status_t elf_parse(const void *image, size_t len, uint64_t user_limit, struct elf_info *out);

/* Returns how many pages seg covers once its ends are rounded out to pages. */
uint64_t elf_segment_pages(const struct elf_segment *seg);

/*
 * Describes page index (0 for the page holding seg->vaddr) of a segment
 * that elf_parse() accepted. Bytes of the page outside the copied range,
 * including those before vaddr in the first page, must be zero. Returns
 * STATUS_RANGE when index >= elf_segment_pages(seg).
 */
status_t elf_segment_page(const struct elf_segment *seg, uint64_t index, struct elf_page *out);

/*
 * Finds the section called name (NUL-terminated) in the ELF image and
 * points *data and *size at its bytes. Only the section header table and the
 * section name table are read, each checked to lie within len. Returns
 * STATUS_NOT_FOUND if there is no such section, STATUS_BAD_FORMAT for a
 * malformed header or table. Used to read a service's embedded manifest.
 */
status_t elf_find_section(const void *image, size_t len, const char *name, const void **data,
			  size_t *size);

#endif
