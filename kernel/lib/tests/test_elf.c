/*
 * Host tests for the ELF64 executable parser.
 *
 * Images are made by a builder that lays them out as GNU ld does for a
 * static executable (-z separate-code): headers, text, read-only data and
 * data plus bss each in pages of their own. A real GNU ld output is
 * embedded too, and a small loader built on elf_segment_page() checks that
 * the pages it describes hold exactly the program.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "lib/elf.h"

#define LIMIT 0x800000000000ull
#define IMG_MAX 0x5000
#define PAGE 0x1000u

enum {
	PT_LOAD = 1,
	PT_DYNAMIC = 2,
	PT_INTERP = 3,
	PT_NOTE = 4,
	PT_SHLIB = 5,
	PT_PHDR = 6,
	PT_TLS = 7,
	PT_NULL = 0
};
#define PT_GNU_STACK 0x6474e551u
#define PT_GNU_RELRO 0x6474e552u
#define PT_GNU_PROPERTY 0x6474e553u
#define R ELF_SEG_R
#define W ELF_SEG_W
#define X ELF_SEG_X

/* Field offsets, spelled out again so the test does not trust elf.c. */
enum {
	E_OSABI = 7,
	E_TYPE = 16,
	E_MACHINE = 18,
	E_VERSION = 20,
	E_ENTRY = 24,
	E_PHOFF = 32,
	E_EHSIZE = 52,
	E_PHENTSIZE = 54,
	E_PHNUM = 56
};
enum { P_TYPE = 0, P_FLAGS = 4, P_OFFSET = 8, P_VADDR = 16, P_FILESZ = 32, P_MEMSZ = 40 };

/*
 * A real static executable, stored as its non-zero byte runs. GNU as and
 * ld 2.40 made it from this source (ld -static -z separate-code
 * -z noexecstack --build-id=none, then strip -s):
 *
 *	.text; .globl _start
 *   _start: lea msg(%rip), %rsi; mov counter(%rip), %eax; inc %eax
 *	mov %eax, counter(%rip); mov %rsi, buf(%rip)
 *	mov $60, %eax; xor %edi, %edi; syscall
 *	.section .rodata;  msg: .ascii "keel\n"
 *	.data;  counter: .long 41
 *	.bss;  buf: .skip 8192
 *	.section .note.GNU-stack,"",@progbits
 */
#define REAL_LEN 8624

static const struct run {
	uint16_t off;
	uint8_t n;
	const char *bytes;
} real_elf[] = {
	{ 0x0000, 7, "\x7f\x45\x4c\x46\x02\x01\x01" },
	{ 0x0010, 26,
	  "\x02\x00\x3e\x00\x01\x00\x00\x00\x00\x10\x40\x00\x00\x00\x00\x00"
	  "\x40\x00\x00\x00\x00\x00\x00\x00\x30\x20" },
	{ 0x0034, 17,
	  "\x40\x00\x38\x00\x05\x00\x40\x00\x06\x00\x05\x00\x01\x00\x00\x00"
	  "\x04" },
	{ 0x0052, 79,
	  "\x40\x00\x00\x00\x00\x00\x00\x00\x40\x00\x00\x00\x00\x00\x58\x01"
	  "\x00\x00\x00\x00\x00\x00\x58\x01\x00\x00\x00\x00\x00\x00\x00\x10"
	  "\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x05\x00\x00\x00\x00\x10"
	  "\x00\x00\x00\x00\x00\x00\x00\x10\x40\x00\x00\x00\x00\x00\x00\x10"
	  "\x40\x00\x00\x00\x00\x00\x25\x00\x00\x00\x00\x00\x00\x00\x25" },
	{ 0x00a9, 48,
	  "\x10\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x04\x00\x00\x00\x00"
	  "\x20\x00\x00\x00\x00\x00\x00\x00\x20\x40\x00\x00\x00\x00\x00\x00"
	  "\x20\x40\x00\x00\x00\x00\x00\x05\x00\x00\x00\x00\x00\x00\x00\x05" },
	{ 0x00e1, 68,
	  "\x10\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x06\x00\x00\x00\x05"
	  "\x20\x00\x00\x00\x00\x00\x00\x05\x30\x40\x00\x00\x00\x00\x00\x05"
	  "\x30\x40\x00\x00\x00\x00\x00\x04\x00\x00\x00\x00\x00\x00\x00\x0b"
	  "\x20\x00\x00\x00\x00\x00\x00\x00\x10\x00\x00\x00\x00\x00\x00\x51"
	  "\xe5\x74\x64\x06" },
	{ 0x0150, 1, "\x10" },
	{ 0x1000, 37,
	  "\x48\x8d\x35\xf9\x0f\x00\x00\x8b\x05\xf8\x1f\x00\x00\xff\xc0\x89"
	  "\x05\xf0\x1f\x00\x00\x48\x89\x35\xed\x1f\x00\x00\xb8\x3c\x00\x00"
	  "\x00\x31\xff\x0f\x05" },
	{ 0x2000, 44,
	  "\x6b\x65\x65\x6c\x0a\x29\x00\x00\x00\x00\x2e\x73\x68\x73\x74\x72"
	  "\x74\x61\x62\x00\x2e\x74\x65\x78\x74\x00\x2e\x72\x6f\x64\x61\x74"
	  "\x61\x00\x2e\x64\x61\x74\x61\x00\x2e\x62\x73\x73" },
	{ 0x2070, 9, "\x0b\x00\x00\x00\x01\x00\x00\x00\x06" },
	{ 0x2081, 16, "\x10\x40\x00\x00\x00\x00\x00\x00\x10\x00\x00\x00\x00\x00\x00\x25" },
	{ 0x20a0, 1, "\x01" },
	{ 0x20b0, 9, "\x11\x00\x00\x00\x01\x00\x00\x00\x02" },
	{ 0x20c1, 16, "\x20\x40\x00\x00\x00\x00\x00\x00\x20\x00\x00\x00\x00\x00\x00\x05" },
	{ 0x20e0, 1, "\x01" },
	{ 0x20f0, 33,
	  "\x19\x00\x00\x00\x01\x00\x00\x00\x03\x00\x00\x00\x00\x00\x00\x00"
	  "\x05\x30\x40\x00\x00\x00\x00\x00\x05\x20\x00\x00\x00\x00\x00\x00"
	  "\x04" },
	{ 0x2120, 1, "\x01" },
	{ 0x2130, 34,
	  "\x1f\x00\x00\x00\x08\x00\x00\x00\x03\x00\x00\x00\x00\x00\x00\x00"
	  "\x09\x30\x40\x00\x00\x00\x00\x00\x09\x20\x00\x00\x00\x00\x00\x00"
	  "\x07\x20" },
	{ 0x2160, 1, "\x01" },
	{ 0x2170, 5, "\x01\x00\x00\x00\x03" },
	{ 0x2188, 9, "\x09\x20\x00\x00\x00\x00\x00\x00\x24" },
	{ 0x21a0, 1, "\x01" },
};

static void real_image(uint8_t *buf)
{
	memset(buf, 0, REAL_LEN);
	for (size_t i = 0; i < sizeof real_elf / sizeof real_elf[0]; i++)
		memcpy(buf + real_elf[i].off, real_elf[i].bytes, real_elf[i].n);
}

struct img {
	uint8_t buf[IMG_MAX];
	size_t len;
	uint16_t entsize;
	uint16_t phnum;
};

static void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static void extend(struct img *m, size_t end)
{
	if (end > m->len)
		m->len = end;
}

/* Starts an image: a valid file header with program headers at 64 whose
 * entries are entsize bytes apart. */
static void img_begin(struct img *m, uint64_t entry, uint16_t entsize)
{
	memset(m, 0, sizeof *m);
	memcpy(m->buf, "\177ELF\2\1\1", 7);
	put16(m->buf + E_TYPE, 2);
	put16(m->buf + E_MACHINE, 62);
	put32(m->buf + E_VERSION, 1);
	put64(m->buf + E_ENTRY, entry);
	put64(m->buf + E_PHOFF, 64);
	put16(m->buf + E_EHSIZE, 64);
	put16(m->buf + E_PHENTSIZE, entsize);
	m->entsize = entsize;
	m->len = 64;
}

/* Appends a program header (paddr = vaddr, align = page); returns it. */
static uint8_t *img_ph(struct img *m, uint32_t type, uint32_t flags, uint64_t off, uint64_t vaddr,
		       uint64_t filesz, uint64_t memsz)
{
	uint8_t *ph = m->buf + 64 + (size_t)m->phnum * m->entsize;
	put32(ph + P_TYPE, type);
	put32(ph + P_FLAGS, flags);
	put64(ph + P_OFFSET, off);
	put64(ph + P_VADDR, vaddr);
	put64(ph + 24, vaddr);
	put64(ph + P_FILESZ, filesz);
	put64(ph + P_MEMSZ, memsz);
	put64(ph + 48, PAGE);
	put16(m->buf + E_PHNUM, ++m->phnum);
	extend(m, (size_t)(ph + m->entsize - m->buf));
	return ph;
}

/* Fills n file bytes at off with a pattern that tells them apart. */
static void img_data(struct img *m, size_t off, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		m->buf[off + i] = (uint8_t)(seed + i * 7 + 1);
	extend(m, off + n);
}

static uint8_t *ph_at(struct img *m, unsigned i)
{
	return m->buf + 64 + (size_t)i * m->entsize;
}

/* The program headers typical() writes, in order. */
enum { T_HDRS, T_TEXT, T_RODATA, T_DATA, T_STACK, T_NOTE, T_COUNT };
#define T_HDRS_LEN (64 + T_COUNT * 56)
#define T_ENTRY 0x401010u

/* A static executable as GNU ld lays one out: headers, text, rodata and
 * data+bss; the data shares its first file page with the rodata but not
 * its first memory page, and spans three pages of file and four of memory. */
static void typical_with(struct img *m, uint16_t entsize)
{
	img_begin(m, T_ENTRY, entsize);
	size_t hdrs = 64 + T_COUNT * entsize;
	img_ph(m, PT_LOAD, R, 0, 0x400000, hdrs, hdrs);
	img_ph(m, PT_LOAD, R | X, 0x1000, 0x401000, 0x80, 0x80);
	img_ph(m, PT_LOAD, R, 0x2000, 0x402000, 0x30, 0x30);
	img_ph(m, PT_LOAD, R | W, 0x2030, 0x403030, 0x1ff0, 0x3000);
	img_ph(m, PT_GNU_STACK, R | W, 0, 0, 0, 0);
	img_ph(m, PT_NOTE, R, 0x1f0, 0x4001f0, 0x20, 0x20);
	img_data(m, 0x1f0, 0x20, 0x10);
	img_data(m, 0x1000, 0x80, 0x20);
	img_data(m, 0x2000, 0x30, 0x30);
	img_data(m, 0x2030, 0x1ff0, 0x40);
}

static void typical(struct img *m)
{
	typical_with(m, 56);
}

static void set_ph64(struct img *m, unsigned i, unsigned field, uint64_t v)
{
	put64(ph_at(m, i) + field, v);
}

static void set_ph32(struct img *m, unsigned i, unsigned field, uint32_t v)
{
	put32(ph_at(m, i) + field, v);
}

/* Parses an exact-size heap copy of the first len bytes, so ASan flags any
 * read past len. */
static status_t parse_n(const uint8_t *p, size_t len, uint64_t limit, struct elf_info *info)
{
	uint8_t *copy = malloc(len ? len : 1);
	memcpy(copy, p, len);
	status_t st = elf_parse(copy, len, limit, info);
	free(copy);
	return st;
}

static status_t parse(const struct img *m, struct elf_info *info)
{
	return parse_n(m->buf, m->len, LIMIT, info);
}

/* Expects the image to be rejected with st for the given reason. */
#define REJECTS(m, st, why)                                                                        \
	do {                                                                                       \
		struct elf_info info_;                                                             \
		CHECK_EQ(parse((m), &info_), (st));                                                \
		CHECK_STR(info_.reason, (why));                                                    \
		CHECK_EQ(info_.segment_count, 0);                                                  \
	} while (0)

static void check_seg(const struct elf_segment *s, uint64_t vaddr, uint64_t memsz, uint64_t offset,
		      uint64_t filesz, uint32_t flags)
{
	CHECK_EQ(s->vaddr, vaddr);
	CHECK_EQ(s->memsz, memsz);
	CHECK_EQ(s->offset, offset);
	CHECK_EQ(s->filesz, filesz);
	CHECK_EQ(s->flags, flags);
}

static void check_page(const struct elf_segment *s, uint64_t index, uint64_t vaddr, uint64_t src,
		       uint32_t dst, uint32_t copy)
{
	struct elf_page pg;
	CHECK_EQ(elf_segment_page(s, index, &pg), STATUS_OK);
	CHECK_EQ(pg.vaddr, vaddr);
	CHECK_EQ(pg.copy_len, copy);
	if (copy) {
		CHECK_EQ(pg.src_offset, src);
		CHECK_EQ(pg.dst_offset, dst);
	}
}

/* Checks one page description against its segment and the image size. */
static void check_page_sane(const struct elf_segment *s, uint64_t i, size_t len)
{
	struct elf_page pg;
	CHECK_EQ(elf_segment_page(s, i, &pg), STATUS_OK);
	CHECK_EQ(pg.vaddr % PAGE, 0);
	CHECK_EQ(pg.vaddr, (s->vaddr & ~(uint64_t)(PAGE - 1)) + i * PAGE);
	CHECK(pg.dst_offset + (uint64_t)pg.copy_len <= PAGE);
	if (!pg.copy_len)
		return;
	CHECK(pg.src_offset >= s->offset);
	CHECK(pg.src_offset + pg.copy_len <= s->offset + s->filesz);
	CHECK(pg.src_offset + pg.copy_len <= len);
	CHECK_EQ(pg.vaddr + pg.dst_offset, s->vaddr + (pg.src_offset - s->offset));
}

/* Checks every promise elf.h makes about a successful parse. */
static void check_guarantees(const struct elf_info *info, size_t len, uint64_t limit)
{
	bool entry_found = false;
	CHECK_STR(info->reason, "");
	CHECK(info->segment_count >= 1 && info->segment_count <= ELF_MAX_SEGMENTS);
	for (uint32_t i = 0; i < info->segment_count; i++) {
		const struct elf_segment *s = &info->segments[i];
		CHECK(s->memsz > 0 && s->filesz <= s->memsz);
		CHECK(s->offset <= len && s->filesz <= len - s->offset);
		CHECK(s->vaddr >= ELF_MIN_VADDR && s->vaddr <= limit);
		CHECK(s->memsz <= limit - s->vaddr);
		CHECK_EQ(s->vaddr % PAGE, s->offset % PAGE);
		CHECK((s->flags & ~(R | W | X)) == 0);
		CHECK((s->flags & (W | X)) != (W | X));
		if (i > 0) {
			const struct elf_segment *p = &info->segments[i - 1];
			CHECK(s->vaddr / PAGE > (p->vaddr + p->memsz - 1) / PAGE);
		}
		if ((s->flags & X) && info->entry >= s->vaddr && info->entry - s->vaddr < s->filesz)
			entry_found = true;
		/* Every page holding file bytes, and the last page. */
		uint64_t pages = elf_segment_pages(s), file_pages = s->filesz / PAGE + 2;
		for (uint64_t k = 0; k < pages && k < file_pages; k++)
			check_page_sane(s, k, len);
		check_page_sane(s, pages - 1, len);
		struct elf_page pg;
		CHECK_EQ(elf_segment_page(s, pages, &pg), STATUS_RANGE);
	}
	CHECK(entry_found);
}

TEST(parses_static_executable)
{
	struct img m;
	struct elf_info info;
	typical(&m);
	CHECK_EQ(m.len, 0x4020);
	CHECK_EQ(parse(&m, &info), STATUS_OK);
	CHECK_STR(info.reason, "");
	CHECK_EQ(info.entry, T_ENTRY);
	CHECK_EQ(info.segment_count, 4);
	check_seg(&info.segments[0], 0x400000, T_HDRS_LEN, 0, T_HDRS_LEN, R);
	check_seg(&info.segments[1], 0x401000, 0x80, 0x1000, 0x80, R | X);
	check_seg(&info.segments[2], 0x402000, 0x30, 0x2000, 0x30, R);
	check_seg(&info.segments[3], 0x403030, 0x3000, 0x2030, 0x1ff0, R | W);
	check_guarantees(&info, m.len, LIMIT);
}

TEST(accepts_longer_program_header_entries)
{
	struct img m;
	struct elf_info info;
	typical_with(&m, 64);
	CHECK_EQ(parse(&m, &info), STATUS_OK);
	CHECK_EQ(info.segment_count, 4);
	check_seg(&info.segments[0], 0x400000, 64 + T_COUNT * 64, 0, 64 + T_COUNT * 64, R);
	check_seg(&info.segments[3], 0x403030, 0x3000, 0x2030, 0x1ff0, R | W);
}

TEST(parses_real_gnu_ld_output)
{
	static uint8_t real[REAL_LEN];
	struct elf_info info;
	real_image(real);
	CHECK_EQ(parse_n(real, REAL_LEN, LIMIT, &info), STATUS_OK);
	CHECK_EQ(info.entry, 0x401000);
	CHECK_EQ(info.segment_count, 4);
	check_seg(&info.segments[0], 0x400000, 0x158, 0, 0x158, R);
	check_seg(&info.segments[1], 0x401000, 0x25, 0x1000, 0x25, R | X);
	check_seg(&info.segments[2], 0x402000, 5, 0x2000, 5, R);
	check_seg(&info.segments[3], 0x403005, 0x200b, 0x2005, 4, R | W);
	check_guarantees(&info, REAL_LEN, LIMIT);
}

/* User memory from 0x400000 as a loader would fill it from page descriptions. */
#define MEM_BASE 0x400000u
#define MEM_SIZE 0x8000u

static void load(const struct elf_info *info, const uint8_t *image, uint8_t *mem)
{
	memset(mem, 0xee, MEM_SIZE); /* unmapped pages show as 0xee */
	for (uint32_t i = 0; i < info->segment_count; i++) {
		const struct elf_segment *s = &info->segments[i];
		for (uint64_t k = 0; k < elf_segment_pages(s); k++) {
			struct elf_page pg;
			CHECK_EQ(elf_segment_page(s, k, &pg), STATUS_OK);
			CHECK(pg.vaddr >= MEM_BASE && pg.vaddr + PAGE <= MEM_BASE + MEM_SIZE);
			uint8_t *frame = mem + (pg.vaddr - MEM_BASE);
			memset(frame, 0, PAGE);
			memcpy(frame + pg.dst_offset, image + pg.src_offset, pg.copy_len);
		}
	}
}

TEST(pages_load_exactly_the_program)
{
	static uint8_t real[REAL_LEN], mem[MEM_SIZE];
	struct elf_info info;
	real_image(real);
	CHECK_EQ(elf_parse(real, REAL_LEN, LIMIT, &info), STATUS_OK);
	load(&info, real, mem);
	CHECK(memcmp(mem, "\177ELF", 4) == 0);
	CHECK(memcmp(mem + 0x1000, "\x48\x8d\x35\xf9\x0f", 5) == 0); /* lea msg */
	CHECK(memcmp(mem + 0x2000, "keel\n", 6) == 0);
	CHECK_EQ(mem[0x3005], 41); /* counter */
	/* Before .data in its first page sit the rodata's file bytes: zeroed. */
	for (int i = 0x3000; i < 0x3005; i++)
		CHECK_EQ(mem[i], 0);
	for (int i = 0x3009; i < 0x5010; i++) /* bss */
		CHECK_EQ(mem[i], 0);
	CHECK_EQ(mem[0x6000], 0xee); /* nothing mapped past the bss */
	CHECK_EQ(mem[0x2fff], 0);
}

TEST(segment_pages_say_what_to_copy_and_what_to_zero)
{
	struct img m;
	struct elf_info info;
	struct elf_page pg;
	typical(&m);
	CHECK_EQ(parse(&m, &info), STATUS_OK);
	const struct elf_segment *data = &info.segments[3];
	CHECK_EQ(elf_segment_pages(data), 4);
	check_page(data, 0, 0x403000, 0x2030, 0x30, 0xfd0);
	check_page(data, 1, 0x404000, 0x3000, 0, 0x1000);
	check_page(data, 2, 0x405000, 0x4000, 0, 0x20);
	check_page(data, 3, 0x406000, 0, 0, 0); /* bss only */
	CHECK_EQ(elf_segment_page(data, 4, &pg), STATUS_RANGE);
	CHECK_EQ(elf_segment_page(data, UINT64_MAX, &pg), STATUS_RANGE);

	CHECK_EQ(elf_segment_pages(&info.segments[1]), 1);
	check_page(&info.segments[1], 0, 0x401000, 0x1000, 0, 0x80);

	const struct elf_segment empty = { .vaddr = 0x5000 };
	CHECK_EQ(elf_segment_pages(&empty), 0);
	CHECK_EQ(elf_segment_page(&empty, 0, &pg), STATUS_RANGE);
	const struct elf_segment ends_on_page = {
		.vaddr = 0x5800, .memsz = 0x800, .offset = 0x800, .filesz = 0x800
	};
	CHECK_EQ(elf_segment_pages(&ends_on_page), 1);
	check_page(&ends_on_page, 0, 0x5000, 0x800, 0x800, 0x800);
}

/* Patches width bytes of the file header at off. */
static void patch(struct img *m, size_t off, int width, uint64_t v)
{
	if (width == 1)
		m->buf[off] = (uint8_t)v;
	else if (width == 2)
		put16(m->buf + off, (uint16_t)v);
	else if (width == 4)
		put32(m->buf + off, (uint32_t)v);
	else
		put64(m->buf + off, v);
}

TEST(rejects_bad_identification)
{
	static const struct {
		size_t off;
		int width;
		uint64_t value;
		const char *why;
	} cases[] = {
		{ 0, 1, 0x7e, "no ELF magic" },
		{ 3, 1, 'f', "no ELF magic" },
		{ 4, 1, 1, "not 64-bit little-endian ELF" },
		{ 5, 1, 2, "not 64-bit little-endian ELF" },
		{ 6, 1, 0, "unknown ELF version" },
		{ E_VERSION, 4, 2, "unknown ELF version" },
		{ E_OSABI, 1, 9, "unknown OS ABI" },
		{ E_TYPE, 2, 3, "not an ET_EXEC executable" }, /* ET_DYN, static-pie */
		{ E_TYPE, 2, 1, "not an ET_EXEC executable" },
		{ E_MACHINE, 2, 3, "not an x86-64 executable" },
		{ E_EHSIZE, 2, 52, "bad ELF header size" },
		{ E_EHSIZE, 2, 128, "bad ELF header size" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct img m;
		typical(&m);
		patch(&m, cases[i].off, cases[i].width, cases[i].value);
		REJECTS(&m, STATUS_BAD_FORMAT, cases[i].why);
	}

	struct img m;
	struct elf_info info;
	typical(&m);
	CHECK_EQ(parse_n(m.buf, 63, LIMIT, &info), STATUS_BAD_FORMAT);
	CHECK_STR(info.reason, "shorter than an ELF header");
	CHECK_EQ(parse_n(m.buf, 0, LIMIT, &info), STATUS_BAD_FORMAT);
	m.buf[E_OSABI] = 3; /* ELFOSABI_GNU, as ld marks some glibc programs */
	CHECK_EQ(parse(&m, &info), STATUS_OK);
}

TEST(rejects_bad_arguments)
{
	struct img m;
	struct elf_info info;
	typical(&m);
	CHECK_EQ(elf_parse(NULL, 64, LIMIT, &info), STATUS_INVALID);
	CHECK_EQ(info.segment_count, 0);
	CHECK_EQ(parse_n(m.buf, m.len, LIMIT - 1, &info), STATUS_INVALID);
	CHECK_EQ(parse_n(m.buf, m.len, LIMIT + 0x800, &info), STATUS_INVALID);
	CHECK_STR(info.reason, "no image, or user limit not page-aligned");
}

TEST(rejects_bad_program_header_table)
{
	static const struct {
		size_t off;
		int width;
		uint64_t value;
		const char *why;
	} cases[] = {
		{ E_PHENTSIZE, 2, 55, "program header entries too small" },
		{ E_PHENTSIZE, 2, 0, "program header entries too small" },
		{ E_PHNUM, 2, 0, "bad program header count" },
		{ E_PHNUM, 2, 0xffff, "bad program header count" },
		{ E_PHNUM, 2, 0xfffe, "program headers outside the image" },
		{ E_PHENTSIZE, 2, 0xffff, "program headers outside the image" },
		{ E_PHOFF, 8, 0x4020, "program headers outside the image" },
		{ E_PHOFF, 8, 0x4021, "program headers outside the image" },
		{ E_PHOFF, 8, 0x4020 - T_COUNT * 56 + 1, "program headers outside the image" },
		{ E_PHOFF, 8, UINT64_MAX - 63, "program headers outside the image" },
		{ E_PHOFF, 8, 1ull << 63, "program headers outside the image" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct img m;
		typical(&m);
		patch(&m, cases[i].off, cases[i].width, cases[i].value);
		REJECTS(&m, STATUS_BAD_FORMAT, cases[i].why);
	}

	struct img m;
	struct elf_info info;
	typical(&m);
	CHECK_EQ(parse_n(m.buf, T_HDRS_LEN - 1, LIMIT, &info), STATUS_BAD_FORMAT);
	CHECK_STR(info.reason, "program headers outside the image");
	/* The table may sit anywhere, last bytes of the image included. */
	memcpy(m.buf + 0x4020, m.buf + 64, T_COUNT * 56);
	patch(&m, E_PHOFF, 8, 0x4020);
	m.len = 0x4020 + T_COUNT * 56;
	CHECK_EQ(parse(&m, &info), STATUS_OK);
}

TEST(rejects_dynamic_executables)
{
	struct img m;
	typical(&m);
	set_ph32(&m, T_NOTE, P_TYPE, PT_INTERP);
	REJECTS(&m, STATUS_BAD_FORMAT,
		"PT_INTERP: dynamically linked executables are not supported");
	set_ph32(&m, T_NOTE, P_TYPE, PT_DYNAMIC);
	REJECTS(&m, STATUS_BAD_FORMAT,
		"PT_DYNAMIC: dynamically linked executables are not supported");
	set_ph32(&m, T_NOTE, P_TYPE, PT_SHLIB);
	REJECTS(&m, STATUS_BAD_FORMAT, "PT_SHLIB is reserved");
}

TEST(ignores_other_program_headers)
{
	static const uint32_t types[] = { PT_NULL,      PT_NOTE,         PT_PHDR,
					  PT_GNU_RELRO, PT_GNU_PROPERTY, 0x70000001 };
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		struct img m;
		struct elf_info info;
		typical(&m);
		set_ph32(&m, T_NOTE, P_TYPE, types[i]);
		set_ph32(&m, T_NOTE, P_FLAGS, R | W | X);
		CHECK_EQ(parse(&m, &info), STATUS_OK);
		CHECK_EQ(info.segment_count, 4);
	}
}

/* The typical image with its note turned into a PT_TLS header whose
 * initialisation image is 0x10 bytes at the start of the data segment. */
static void with_tls(struct img *m, uint64_t vaddr, uint64_t filesz, uint64_t memsz, uint64_t align)
{
	typical(m);
	set_ph32(m, T_NOTE, P_TYPE, PT_TLS);
	set_ph64(m, T_NOTE, P_VADDR, vaddr);
	set_ph64(m, T_NOTE, P_FILESZ, filesz);
	set_ph64(m, T_NOTE, P_MEMSZ, memsz);
	set_ph64(m, T_NOTE, 48, align); /* p_align */
}

TEST(tls_header_is_reported)
{
	struct img m;
	struct elf_info info;
	with_tls(&m, 0x403030, 0x10, 0x48, 16);
	CHECK_EQ(parse(&m, &info), STATUS_OK);
	CHECK_EQ(info.tls.vaddr, 0x403030);
	CHECK_EQ(info.tls.filesz, 0x10);
	CHECK_EQ(info.tls.memsz, 0x48);
	CHECK_EQ(info.tls.align, 16);
	typical(&m);
	CHECK_EQ(parse(&m, &info), STATUS_OK);
	CHECK_EQ(info.tls.memsz, 0);
	with_tls(&m, 0, 0, 0x100, 0); /* only zeroed TLS: no image to place */
	CHECK_EQ(parse(&m, &info), STATUS_OK);
	with_tls(&m, 0x403030, 0x1ff0, 0x2000, 8); /* the whole file part */
	CHECK_EQ(parse(&m, &info), STATUS_OK);
}

TEST(tls_header_is_checked)
{
	struct img m;
	with_tls(&m, 0x403030, 0x20, 0x10, 8);
	REJECTS(&m, STATUS_BAD_FORMAT, "PT_TLS sizes are inconsistent or too large");
	with_tls(&m, 0x403030, 0x10, 1ull << 40, 8);
	REJECTS(&m, STATUS_BAD_FORMAT, "PT_TLS sizes are inconsistent or too large");
	with_tls(&m, 0x403030, 0x10, 0x10, 24);
	REJECTS(&m, STATUS_BAD_FORMAT, "PT_TLS alignment is not a power of two up to a page");
	with_tls(&m, 0x403030, 0x10, 0x10, 8192);
	REJECTS(&m, STATUS_BAD_FORMAT, "PT_TLS alignment is not a power of two up to a page");
	with_tls(&m, 0x405018, 0x10, 0x10, 8); /* runs past the data's file bytes */
	REJECTS(&m, STATUS_BAD_FORMAT, "PT_TLS image is not in a loaded segment's file bytes");
	with_tls(&m, 0x500000, 0x10, 0x10, 8);
	REJECTS(&m, STATUS_BAD_FORMAT, "PT_TLS image is not in a loaded segment's file bytes");
	with_tls(&m, UINT64_MAX - 4, 0x10, 0x10, 8);
	REJECTS(&m, STATUS_BAD_FORMAT, "PT_TLS image is not in a loaded segment's file bytes");
	with_tls(&m, 0x403030, 0x10, 0x10, 8);
	set_ph32(&m, T_STACK, P_TYPE, PT_TLS); /* a second one */
	REJECTS(&m, STATUS_BAD_FORMAT, "more than one PT_TLS header");
}

TEST(rejects_file_bytes_beyond_memsz_or_image)
{
	struct img m;
	struct elf_info info;
	typical(&m);
	set_ph64(&m, T_DATA, P_MEMSZ, 0x1fef);
	REJECTS(&m, STATUS_BAD_FORMAT, "segment filesz exceeds memsz");

	typical(&m); /* data ends exactly at the end of the image */
	CHECK_EQ(parse_n(m.buf, m.len - 1, LIMIT, &info), STATUS_BAD_FORMAT);
	CHECK_STR(info.reason, "segment data outside the image");
	set_ph64(&m, T_TEXT, P_OFFSET, 0x5000);
	set_ph64(&m, T_TEXT, P_FILESZ, 0);
	REJECTS(&m, STATUS_BAD_FORMAT, "segment data outside the image");
	/* offset + filesz wraps around to a small number. */
	set_ph64(&m, T_TEXT, P_OFFSET, 0xfffffffffffff000ull);
	set_ph64(&m, T_TEXT, P_FILESZ, 0x1080);
	set_ph64(&m, T_TEXT, P_MEMSZ, 0x1080);
	REJECTS(&m, STATUS_BAD_FORMAT, "segment data outside the image");
}

TEST(rejects_offset_not_congruent_with_vaddr)
{
	struct img m;
	typical(&m);
	set_ph64(&m, T_TEXT, P_OFFSET, 0x1001);
	REJECTS(&m, STATUS_BAD_FORMAT, "segment vaddr and offset not congruent modulo a page");
	typical(&m);
	set_ph64(&m, T_RODATA, P_VADDR, 0x402800);
	REJECTS(&m, STATUS_BAD_FORMAT, "segment vaddr and offset not congruent modulo a page");
}

/* Parses an image with one executable segment at vaddr of memsz bytes. */
static status_t parse_one(uint64_t vaddr, uint64_t memsz, uint64_t limit)
{
	struct img m;
	struct elf_info info;
	uint64_t off = PAGE + (vaddr & (PAGE - 1));
	img_begin(&m, vaddr, 56);
	img_ph(&m, PT_LOAD, R | X, off, vaddr, 1, memsz);
	img_data(&m, (size_t)off, 1, 0);
	status_t st = parse_n(m.buf, m.len, limit, &info);
	if (st == STATUS_OK)
		check_guarantees(&info, m.len, limit);
	else if (st == STATUS_RANGE)
		CHECK_STR(info.reason, "segment outside the user address range");
	return st;
}

TEST(segments_stay_inside_user_range)
{
	CHECK_EQ(parse_one(0, PAGE, LIMIT), STATUS_RANGE);
	CHECK_EQ(parse_one(0xfff, 1, LIMIT), STATUS_RANGE);
	CHECK_EQ(parse_one(0x1000, 1, LIMIT), STATUS_OK);
	CHECK_EQ(parse_one(LIMIT - PAGE, PAGE, LIMIT), STATUS_OK);
	CHECK_EQ(parse_one(LIMIT - PAGE, PAGE + 1, LIMIT), STATUS_RANGE);
	CHECK_EQ(parse_one(LIMIT - 1, 1, LIMIT), STATUS_OK);
	CHECK_EQ(parse_one(LIMIT, 1, LIMIT), STATUS_RANGE);
	CHECK_EQ(parse_one(LIMIT + PAGE, 1, LIMIT), STATUS_RANGE);
	CHECK_EQ(parse_one(0x400000, UINT64_MAX, LIMIT), STATUS_RANGE);
	/* vaddr + memsz wraps to 0x1000: must not look in range. */
	CHECK_EQ(parse_one(0xffffffffffffe000ull, 0x3000, 0xfffffffffffff000ull), STATUS_RANGE);
	CHECK_EQ(parse_one(0xffffffffffffe000ull, 0x1000, 0xfffffffffffff000ull), STATUS_OK);
	CHECK_EQ(parse_one(0x1000, PAGE, 0x2000), STATUS_OK);
	CHECK_EQ(parse_one(0x1000, PAGE, 0x1000), STATUS_RANGE);
	CHECK_EQ(parse_one(0x1000, PAGE, 0), STATUS_RANGE);
}

TEST(rejects_segments_sharing_a_page)
{
	struct img m;
	struct elf_info info;
	typical(&m); /* rodata inside the text page: different permissions */
	set_ph64(&m, T_RODATA, P_VADDR, 0x401800);
	set_ph64(&m, T_RODATA, P_OFFSET, 0x2800);
	REJECTS(&m, STATUS_BAD_FORMAT, "loadable segments share a page");

	typical(&m); /* the same, with the same permissions */
	set_ph64(&m, T_RODATA, P_VADDR, 0x401800);
	set_ph64(&m, T_RODATA, P_OFFSET, 0x2800);
	set_ph32(&m, T_RODATA, P_FLAGS, R | X);
	REJECTS(&m, STATUS_BAD_FORMAT, "loadable segments share a page");

	typical(&m); /* bss of the text running one byte into the rodata page */
	set_ph64(&m, T_TEXT, P_MEMSZ, 0x1001);
	REJECTS(&m, STATUS_BAD_FORMAT, "loadable segments share a page");
	set_ph64(&m, T_TEXT, P_MEMSZ, 0x1000); /* exactly up to it is fine */
	CHECK_EQ(parse(&m, &info), STATUS_OK);

	typical(&m);
	uint8_t tmp[56];
	memcpy(tmp, ph_at(&m, T_TEXT), 56);
	memcpy(ph_at(&m, T_TEXT), ph_at(&m, T_RODATA), 56);
	memcpy(ph_at(&m, T_RODATA), tmp, 56);
	REJECTS(&m, STATUS_BAD_FORMAT, "loadable segments not sorted by address");
}

TEST(write_xor_execute_is_absolute)
{
	struct img m;
	typical(&m);
	set_ph32(&m, T_TEXT, P_FLAGS, R | W | X);
	REJECTS(&m, STATUS_NO_RIGHTS, "segment is writable and executable");
	typical(&m);
	set_ph32(&m, T_DATA, P_FLAGS, W | X);
	REJECTS(&m, STATUS_NO_RIGHTS, "segment is writable and executable");
	typical(&m); /* even a segment that maps nothing */
	set_ph32(&m, T_NOTE, P_TYPE, PT_LOAD);
	set_ph32(&m, T_NOTE, P_FLAGS, R | W | X);
	set_ph64(&m, T_NOTE, P_FILESZ, 0);
	set_ph64(&m, T_NOTE, P_MEMSZ, 0);
	REJECTS(&m, STATUS_NO_RIGHTS, "segment is writable and executable");

	typical(&m);
	set_ph32(&m, T_STACK, P_FLAGS, R | W | X);
	REJECTS(&m, STATUS_NO_RIGHTS, "executable stack requested");
	set_ph32(&m, T_STACK, P_FLAGS, X);
	REJECTS(&m, STATUS_NO_RIGHTS, "executable stack requested");
}

TEST(entry_must_be_in_executable_file_bytes)
{
	static const uint64_t bad[] = { 0,        0x400000, 0x401080,  0x402000,
					0x403030, 0x400fff, UINT64_MAX };
	static const uint64_t good[] = { 0x401000, 0x40107f };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct img m;
		typical(&m);
		patch(&m, E_ENTRY, 8, bad[i]);
		REJECTS(&m, STATUS_BAD_FORMAT, "entry point not in an executable segment");
	}
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		struct img m;
		struct elf_info info;
		typical(&m);
		patch(&m, E_ENTRY, 8, good[i]);
		CHECK_EQ(parse(&m, &info), STATUS_OK);
		CHECK_EQ(info.entry, good[i]);
	}
	struct img m;
	typical(&m); /* zero-filled tail of an executable segment */
	set_ph64(&m, T_TEXT, P_MEMSZ, 0x100);
	patch(&m, E_ENTRY, 8, 0x401090);
	REJECTS(&m, STATUS_BAD_FORMAT, "entry point not in an executable segment");
}

TEST(needs_a_loadable_segment)
{
	struct img m;
	typical(&m);
	for (unsigned i = T_HDRS; i <= T_DATA; i++)
		set_ph32(&m, i, P_TYPE, PT_NOTE);
	REJECTS(&m, STATUS_BAD_FORMAT, "no loadable segment");
	typical(&m); /* only empty ones */
	for (unsigned i = T_HDRS; i <= T_DATA; i++)
		set_ph64(&m, i, P_MEMSZ, 0), set_ph64(&m, i, P_FILESZ, 0);
	REJECTS(&m, STATUS_BAD_FORMAT, "no loadable segment");
}

/* An image with n one-page executable segments, one empty one among them. */
static void many(struct img *m, unsigned n)
{
	img_begin(m, 0x400000, 56);
	for (unsigned i = 0; i < n; i++)
		img_ph(m, PT_LOAD, R | X, 0, 0x400000 + (uint64_t)i * PAGE, i ? 0 : 64, PAGE);
	img_ph(m, PT_LOAD, R, 0, 0x800000, 0, 0);
}

TEST(segment_table_holds_sixteen)
{
	struct img m;
	struct elf_info info;
	many(&m, ELF_MAX_SEGMENTS);
	CHECK_EQ(parse(&m, &info), STATUS_OK);
	CHECK_EQ(info.segment_count, ELF_MAX_SEGMENTS);
	CHECK_EQ(info.segments[15].vaddr, 0x40f000);
	many(&m, ELF_MAX_SEGMENTS + 1);
	REJECTS(&m, STATUS_FULL, "too many loadable segments");
}

TEST(keeps_only_permission_bits)
{
	struct img m;
	struct elf_info info;
	typical(&m);
	set_ph32(&m, T_TEXT, P_FLAGS, R | X | 0x0ff00000 | 0xf0000000); /* OS, processor */
	CHECK_EQ(parse(&m, &info), STATUS_OK);
	CHECK_EQ(info.segments[1].flags, R | X);
}

static uint64_t xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* Damages the image: flipped bytes anywhere or in the headers, and header
 * fields set to boundary values; sometimes truncates it. Returns its length. */
static size_t corrupt(struct img *m, uint64_t *x)
{
	static const unsigned fields[] = { P_TYPE, P_FLAGS, P_OFFSET, P_VADDR, P_FILESZ, P_MEMSZ };
	static const uint64_t values[] = { 0,          1,         0xfff,    0x1000,       0x1001,
					   0x401000,   0x402fff,  0x404000, LIMIT - PAGE, LIMIT,
					   UINT64_MAX, 1ull << 63 };
	for (int k = 0, n = 1 + (int)(xorshift(x) % 4); k < n; k++) {
		uint64_t r = xorshift(x);
		if (r % 4 == 0) {
			m->buf[(r >> 8) % m->len] ^= (uint8_t)(r >> 40 | 1);
		} else if (r % 4 == 1) {
			m->buf[(r >> 8) % T_HDRS_LEN] ^= (uint8_t)(r >> 40 | 1);
		} else {
			uint8_t *ph = ph_at(m, (unsigned)((r >> 8) % T_COUNT));
			unsigned f = fields[(r >> 16) % 6];
			uint64_t v = values[(r >> 24) % 12] + (r >> 60) - 8 * (r >> 59 & 1);
			if (f < P_OFFSET)
				put32(ph + f, (uint32_t)v);
			else
				put64(ph + f, v);
		}
	}
	uint64_t r = xorshift(x);
	return r % 8 ? m->len : (size_t)(r % (m->len + 1));
}

/* Random damage must never make the parser read outside the image (ASan
 * watches the exact-size copy), and whatever it accepts must keep every
 * promise in elf.h. */
TEST(survives_random_corruption)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;
	int accepted = 0;
	for (int round = 0; round < 20000; round++) {
		struct img m;
		struct elf_info info;
		typical(&m);
		size_t n = corrupt(&m, &x);
		status_t st = parse_n(m.buf, n, LIMIT, &info);
		if (st == STATUS_OK) {
			check_guarantees(&info, n, LIMIT);
			accepted++;
		} else {
			CHECK(info.reason[0] != '\0');
			CHECK_EQ(info.segment_count, 0);
		}
	}
	CHECK(accepted > 1000 && accepted < 19000);
}

/* elf_find_section on this very test program, as the kernel's build made it. */
TEST(find_section_in_a_real_executable)
{
	static uint8_t self[4 << 20];
	FILE *f = fopen("/proc/self/exe", "rb");
	CHECK(f != NULL);
	size_t n = fread(self, 1, sizeof self, f);
	fclose(f);
	CHECK(n > 64 && n < sizeof self);
	const void *data;
	size_t size;
	CHECK_EQ(elf_find_section(self, n, ".text", &data, &size), STATUS_OK);
	CHECK(size > 0);
	CHECK((const uint8_t *)data > self && (const uint8_t *)data + size <= self + n);
	CHECK_EQ(elf_find_section(self, n, ".keel.nothing", &data, &size), STATUS_NOT_FOUND);
	CHECK(data == NULL);
	CHECK_EQ(elf_find_section(self, 63, ".text", &data, &size), STATUS_BAD_FORMAT);
	uint16_t saved;
	memcpy(&saved, self + 62, 2);
	self[62] = 0xff;
	self[63] = 0xff; /* e_shstrndx past the table */
	CHECK_EQ(elf_find_section(self, n, ".text", &data, &size), STATUS_BAD_FORMAT);
	memcpy(self + 62, &saved, 2);
	/* A table that claims to run past the end of the image. */
	CHECK_EQ(elf_find_section(self, n / 2 < 4096 ? n : 4096, ".text", &data, &size),
		 STATUS_BAD_FORMAT);
}

int main(void)
{
	RUN(find_section_in_a_real_executable);
	RUN(parses_static_executable);
	RUN(accepts_longer_program_header_entries);
	RUN(parses_real_gnu_ld_output);
	RUN(pages_load_exactly_the_program);
	RUN(segment_pages_say_what_to_copy_and_what_to_zero);
	RUN(rejects_bad_identification);
	RUN(rejects_bad_arguments);
	RUN(rejects_bad_program_header_table);
	RUN(rejects_dynamic_executables);
	RUN(ignores_other_program_headers);
	RUN(tls_header_is_reported);
	RUN(tls_header_is_checked);
	RUN(rejects_file_bytes_beyond_memsz_or_image);
	RUN(rejects_offset_not_congruent_with_vaddr);
	RUN(segments_stay_inside_user_range);
	RUN(rejects_segments_sharing_a_page);
	RUN(write_xor_execute_is_absolute);
	RUN(entry_must_be_in_executable_file_bytes);
	RUN(needs_a_loadable_segment);
	RUN(segment_table_holds_sixteen);
	RUN(keeps_only_permission_bits);
	RUN(survives_random_corruption);
	return check_summary();
}
