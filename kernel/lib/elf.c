/* elf.c - bounds-checked parser for Keel's static ELF64 executables (see elf.h). */
#include "lib/elf.h"
#include "lib/le.h"
#include <string.h>

/* File header (Elf64_Ehdr) fields. */
enum {
	EH_CLASS = 4,
	EH_DATA = 5,
	EH_IDVERSION = 6,
	EH_OSABI = 7,
	EH_TYPE = 16,
	EH_MACHINE = 18,
	EH_VERSION = 20,
	EH_ENTRY = 24,
	EH_PHOFF = 32,
	EH_EHSIZE = 52,
	EH_PHENTSIZE = 54,
	EH_PHNUM = 56,
	EHDR_SIZE = 64,
};

/* Program header (Elf64_Phdr) fields. */
enum {
	PH_TYPE = 0,
	PH_FLAGS = 4,
	PH_OFFSET = 8,
	PH_VADDR = 16,
	PH_FILESZ = 32,
	PH_MEMSZ = 40,
	PH_ALIGN = 48,
	PHDR_SIZE = 56,
};

enum {
	CLASS_64 = 2,
	DATA_LSB = 1,
	VERSION_CURRENT = 1,
	OSABI_SYSV = 0,
	OSABI_GNU = 3,
	ET_EXEC = 2,
	EM_X86_64 = 62,
	PN_XNUM = 0xffff,
	PT_LOAD = 1,
	PT_DYNAMIC = 2,
	PT_INTERP = 3,
	PT_SHLIB = 5,
	PT_TLS = 7,
	PT_GNU_STACK = 0x6474e551,
};

#define PAGE_MASK ((uint64_t)ELF_PAGE_SIZE - 1)
#define ELF_TLS_MAX (1ull << 30) /* bytes of TLS per thread: far beyond any program */
#define SEG_RWX (ELF_SEG_R | ELF_SEG_W | ELF_SEG_X)

/* Where the program header table lies; checked against the image. */
struct ph_table {
	uint64_t off;
	uint32_t entsize;
	uint32_t num;
};

/* Empties *out, records why and returns st: a failed parse yields no segments. */
static status_t fail(struct elf_info *out, status_t st, const char *why)
{
	*out = (struct elf_info){ .reason = why };
	return st;
}

/* Checks that the image is an x86-64 ELF64 executable Keel can run. */
static status_t check_ident(const uint8_t *p, size_t len, struct elf_info *out)
{
	if (len < EHDR_SIZE)
		return fail(out, STATUS_BAD_FORMAT, "shorter than an ELF header");
	if (memcmp(p, "\177ELF", 4) != 0)
		return fail(out, STATUS_BAD_FORMAT, "no ELF magic");
	if (p[EH_CLASS] != CLASS_64 || p[EH_DATA] != DATA_LSB)
		return fail(out, STATUS_BAD_FORMAT, "not 64-bit little-endian ELF");
	if (p[EH_IDVERSION] != VERSION_CURRENT || rd32(p + EH_VERSION) != VERSION_CURRENT)
		return fail(out, STATUS_BAD_FORMAT, "unknown ELF version");
	if (p[EH_OSABI] != OSABI_SYSV && p[EH_OSABI] != OSABI_GNU)
		return fail(out, STATUS_BAD_FORMAT, "unknown OS ABI");
	if (rd16(p + EH_TYPE) != ET_EXEC)
		return fail(out, STATUS_BAD_FORMAT, "not an ET_EXEC executable");
	if (rd16(p + EH_MACHINE) != EM_X86_64)
		return fail(out, STATUS_BAD_FORMAT, "not an x86-64 executable");
	if (rd16(p + EH_EHSIZE) != EHDR_SIZE)
		return fail(out, STATUS_BAD_FORMAT, "bad ELF header size");
	return STATUS_OK;
}

/* Locates the program header table and checks that it lies inside the image. */
static status_t check_ph_table(const uint8_t *p, size_t len, struct ph_table *t,
			       struct elf_info *out)
{
	t->off = rd64(p + EH_PHOFF);
	t->entsize = rd16(p + EH_PHENTSIZE);
	t->num = rd16(p + EH_PHNUM);
	if (t->entsize < PHDR_SIZE)
		return fail(out, STATUS_BAD_FORMAT, "program header entries too small");
	/* PN_XNUM moves the real count to section 0; no executable needs it. */
	if (t->num == 0 || t->num == PN_XNUM)
		return fail(out, STATUS_BAD_FORMAT, "bad program header count");
	/* entsize * num < 2^32, so only the offset can overflow. */
	if (t->off > len || (uint64_t)t->entsize * t->num > len - t->off)
		return fail(out, STATUS_BAD_FORMAT, "program headers outside the image");
	return STATUS_OK;
}

/* Checks one PT_LOAD entry and appends it to out unless it is empty. */
static status_t add_segment(const uint8_t *ph, size_t len, uint64_t limit, struct elf_info *out)
{
	struct elf_segment s = {
		.vaddr = rd64(ph + PH_VADDR),
		.memsz = rd64(ph + PH_MEMSZ),
		.offset = rd64(ph + PH_OFFSET),
		.filesz = rd64(ph + PH_FILESZ),
		.flags = rd32(ph + PH_FLAGS) & SEG_RWX,
	};

	if (s.filesz > s.memsz)
		return fail(out, STATUS_BAD_FORMAT, "segment filesz exceeds memsz");
	if (s.offset > len || s.filesz > len - s.offset)
		return fail(out, STATUS_BAD_FORMAT, "segment data outside the image");
	if ((s.vaddr ^ s.offset) & PAGE_MASK)
		return fail(out, STATUS_BAD_FORMAT,
			    "segment vaddr and offset not congruent modulo a page");
	if ((s.flags & ELF_SEG_W) && (s.flags & ELF_SEG_X))
		return fail(out, STATUS_NO_RIGHTS, "segment is writable and executable");
	if (s.memsz == 0)
		return STATUS_OK;
	if (s.vaddr < ELF_MIN_VADDR || s.vaddr > limit || s.memsz > limit - s.vaddr)
		return fail(out, STATUS_RANGE, "segment outside the user address range");
	if (out->segment_count == ELF_MAX_SEGMENTS)
		return fail(out, STATUS_FULL, "too many loadable segments");
	out->segments[out->segment_count++] = s;
	return STATUS_OK;
}

/* Records the PT_TLS header; check_tls checks it once the segments are known. */
static status_t add_tls(const uint8_t *ph, struct elf_info *out, bool *seen)
{
	if (*seen)
		return fail(out, STATUS_BAD_FORMAT, "more than one PT_TLS header");
	*seen = true;
	out->tls = (struct elf_tls){ rd64(ph + PH_VADDR), rd64(ph + PH_FILESZ), rd64(ph + PH_MEMSZ),
				     rd64(ph + PH_ALIGN) };
	return STATUS_OK;
}

/* Checks one program header; only PT_LOAD entries become segments. */
static status_t check_phdr(const uint8_t *ph, size_t len, uint64_t limit, struct elf_info *out,
			   bool *tls_seen)
{
	switch (rd32(ph + PH_TYPE)) {
	case PT_LOAD:
		return add_segment(ph, len, limit, out);
	case PT_TLS:
		return add_tls(ph, out, tls_seen);
	case PT_INTERP:
		return fail(out, STATUS_BAD_FORMAT,
			    "PT_INTERP: dynamically linked executables are not supported");
	case PT_DYNAMIC:
		return fail(out, STATUS_BAD_FORMAT,
			    "PT_DYNAMIC: dynamically linked executables are not supported");
	case PT_SHLIB:
		return fail(out, STATUS_BAD_FORMAT, "PT_SHLIB is reserved");
	case PT_GNU_STACK:
		/* User stacks are writable, so an executable one would break W^X. */
		if (rd32(ph + PH_FLAGS) & ELF_SEG_X)
			return fail(out, STATUS_NO_RIGHTS, "executable stack requested");
		return STATUS_OK;
	default:
		/* PT_NOTE, PT_PHDR, ...: nothing for the loader to do. */
		return STATUS_OK;
	}
}

/* Returns the number of the page holding the segment's last byte. */
static uint64_t last_page(const struct elf_segment *s)
{
	return (s->vaddr + s->memsz - 1) / ELF_PAGE_SIZE;
}

/*
 * Checks that the segments are sorted by address, as the ELF specification
 * requires, and that no two share a page: pages are mapped whole and with
 * one set of permissions, so a shared page would need two owners.
 */
static status_t check_layout(struct elf_info *out)
{
	for (uint32_t i = 1; i < out->segment_count; i++) {
		const struct elf_segment *a = &out->segments[i - 1];
		const struct elf_segment *b = &out->segments[i];
		if (b->vaddr < a->vaddr)
			return fail(out, STATUS_BAD_FORMAT,
				    "loadable segments not sorted by address");
		if (b->vaddr / ELF_PAGE_SIZE <= last_page(a))
			return fail(out, STATUS_BAD_FORMAT, "loadable segments share a page");
	}
	return STATUS_OK;
}

/* Checks the PT_TLS header, if any, against the loaded segments: a sane
 * size and alignment, and its initialisation image in file-backed bytes. */
static status_t check_tls(struct elf_info *out, bool seen)
{
	const struct elf_tls *t = &out->tls;
	if (!seen)
		return STATUS_OK;
	if (t->filesz > t->memsz || t->memsz > ELF_TLS_MAX)
		return fail(out, STATUS_BAD_FORMAT, "PT_TLS sizes are inconsistent or too large");
	if (t->align > ELF_PAGE_SIZE || (t->align & (t->align - 1)))
		return fail(out, STATUS_BAD_FORMAT,
			    "PT_TLS alignment is not a power of two up to a page");
	if (t->filesz == 0)
		return STATUS_OK;
	for (uint32_t i = 0; i < out->segment_count; i++) {
		const struct elf_segment *s = &out->segments[i];
		if (t->vaddr >= s->vaddr && t->vaddr - s->vaddr <= s->filesz &&
		    t->filesz <= s->filesz - (t->vaddr - s->vaddr))
			return STATUS_OK;
	}
	return fail(out, STATUS_BAD_FORMAT, "PT_TLS image is not in a loaded segment's file bytes");
}

/* Returns whether the entry point lies in file-backed executable bytes. */
static bool entry_ok(const struct elf_info *out)
{
	for (uint32_t i = 0; i < out->segment_count; i++) {
		const struct elf_segment *s = &out->segments[i];
		if ((s->flags & ELF_SEG_X) && out->entry >= s->vaddr &&
		    out->entry - s->vaddr < s->filesz)
			return true;
	}
	return false;
}

status_t elf_parse(const void *image, size_t len, uint64_t user_limit, struct elf_info *out)
{
	const uint8_t *p = image;
	struct ph_table t;
	bool tls_seen = false;
	status_t st;

	*out = (struct elf_info){ .reason = "" };
	if (!image || (user_limit & PAGE_MASK))
		return fail(out, STATUS_INVALID, "no image, or user limit not page-aligned");
	if ((st = check_ident(p, len, out)) || (st = check_ph_table(p, len, &t, out)))
		return st;
	for (uint32_t i = 0; i < t.num; i++) {
		st = check_phdr(p + t.off + (size_t)i * t.entsize, len, user_limit, out, &tls_seen);
		if (st)
			return st;
	}
	if (out->segment_count == 0)
		return fail(out, STATUS_BAD_FORMAT, "no loadable segment");
	if ((st = check_layout(out)) || (st = check_tls(out, tls_seen)))
		return st;
	out->entry = rd64(p + EH_ENTRY);
	if (!entry_ok(out))
		return fail(out, STATUS_BAD_FORMAT, "entry point not in an executable segment");
	return STATUS_OK;
}

uint64_t elf_segment_pages(const struct elf_segment *seg)
{
	if (seg->memsz == 0)
		return 0;
	return last_page(seg) - seg->vaddr / ELF_PAGE_SIZE + 1;
}

status_t elf_segment_page(const struct elf_segment *seg, uint64_t index, struct elf_page *out)
{
	if (index >= elf_segment_pages(seg))
		return STATUS_RANGE;
	uint64_t page = (seg->vaddr & ~PAGE_MASK) + index * ELF_PAGE_SIZE;
	uint64_t lo = page > seg->vaddr ? page : seg->vaddr;
	uint64_t file_end = seg->vaddr + seg->filesz;
	uint64_t hi = file_end < page + ELF_PAGE_SIZE ? file_end : page + ELF_PAGE_SIZE;

	*out = (struct elf_page){ .vaddr = page };
	if (hi > lo) {
		out->src_offset = seg->offset + (lo - seg->vaddr);
		out->dst_offset = (uint32_t)(lo - page);
		out->copy_len = (uint32_t)(hi - lo);
	}
	return STATUS_OK;
}

/*
 * Section headers: only what elf_find_section needs. Offsets of Elf64_Ehdr
 * fields e_shoff (40), e_shentsize (58), e_shnum (60), e_shstrndx (62), and
 * of Elf64_Shdr fields sh_name (0), sh_offset (24), sh_size (32).
 */
#define EH_SHOFF 40
#define EH_SHENTSIZE 58
#define EH_SHNUM 60
#define EH_SHSTRNDX 62
#define SH_ENTSIZE_MIN 64

/* Points *data and *size at section i if its bytes lie within len. */
static bool section_bytes(const uint8_t *img, size_t len, uint64_t shoff, uint32_t i,
			  const uint8_t **data, uint64_t *size)
{
	const uint8_t *sh = img + shoff + (uint64_t)i * SH_ENTSIZE_MIN;
	uint64_t off = rd64(sh + 24), n = rd64(sh + 32);
	if (off > len || n > len - off)
		return false;
	*data = img + off;
	*size = n;
	return true;
}

status_t elf_find_section(const void *image, size_t len, const char *name, const void **data,
			  size_t *size)
{
	const uint8_t *img = image;
	*data = NULL;
	*size = 0;
	if (!image || len < 64 ||
	    memcmp(img,
		   "\x7f"
		   "ELF",
		   4) != 0)
		return STATUS_BAD_FORMAT;
	uint64_t shoff = rd64(img + EH_SHOFF);
	uint16_t entsize = rd16(img + EH_SHENTSIZE), num = rd16(img + EH_SHNUM);
	uint16_t strndx = rd16(img + EH_SHSTRNDX);
	if (entsize != SH_ENTSIZE_MIN || strndx >= num || shoff > len ||
	    (uint64_t)num * SH_ENTSIZE_MIN > len - shoff)
		return STATUS_BAD_FORMAT;
	const uint8_t *names, *sec;
	uint64_t names_len, sec_len;
	if (!section_bytes(img, len, shoff, strndx, &names, &names_len))
		return STATUS_BAD_FORMAT;
	size_t want = strlen(name);
	for (uint32_t i = 1; i < num; i++) {
		uint32_t at = rd32(img + shoff + (uint64_t)i * SH_ENTSIZE_MIN);
		if (at >= names_len || want >= names_len - at ||
		    memcmp(names + at, name, want + 1) != 0)
			continue;
		if (!section_bytes(img, len, shoff, i, &sec, &sec_len))
			return STATUS_BAD_FORMAT;
		*data = sec;
		*size = (size_t)sec_len;
		return STATUS_OK;
	}
	return STATUS_NOT_FOUND;
}
