/*
 * fuzz_elf.c - libFuzzer target for elf_parse() and elf_segment_page().
 *
 * Input: one control byte, then either (CTL_RAW) the whole image, or else
 * an entry point (8 bytes) and a program header table with whatever
 * follows it, behind a valid file header that the harness writes, so that
 * mutations go to the segments rather than the identification bytes. The
 * image is an exact-size heap copy, so ASan flags any read past its end.
 * Whatever elf_parse() accepts must keep every promise elf.h makes, and
 * the page descriptions of its segments must stay inside the image.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I kernel \
 *       kernel/lib/tests/fuzz_elf.c kernel/lib/elf.c -o fuzz_elf
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/elf.h"

enum {
	CTL_RAW = 1,         /* input is the image as it stands */
	CTL_SMALL_LIMIT = 2, /* user limit 16 MiB rather than 128 TiB */
	CTL_WIDE_PH = 4,     /* program header entries 64 bytes apart */
};

#define PAGE ELF_PAGE_SIZE
#define RWX (ELF_SEG_R | ELF_SEG_W | ELF_SEG_X)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

/* Builds a file header in front of the input's program header table. */
static uint8_t *structured(const uint8_t *in, size_t n, uint8_t ctl, size_t *len)
{
	uint16_t entsize = ctl & CTL_WIDE_PH ? 64 : 56;
	uint8_t *img = calloc(1, 64 + n);
	if (!img)
		abort();
	memcpy(img, "\177ELF\2\1\1", 7);
	put16(img + 16, 2);
	put16(img + 18, 62);
	img[20] = 1;
	if (n >= 8)
		memcpy(img + 24, in, 8);
	img[32] = 64;
	put16(img + 52, 64);
	put16(img + 54, entsize);
	size_t rest = n >= 8 ? n - 8 : 0;
	put16(img + 56, (uint16_t)(rest / entsize > 64 ? 64 : rest / entsize));
	if (rest)
		memcpy(img + 64, in + 8, rest);
	*len = 64 + rest;
	return img;
}

static void check_page(const struct elf_segment *s, uint64_t i, size_t len)
{
	struct elf_page pg;
	if (elf_segment_page(s, i, &pg) != STATUS_OK)
		abort();
	if (pg.vaddr % PAGE || pg.dst_offset + (uint64_t)pg.copy_len > PAGE)
		abort();
	if (pg.copy_len &&
	    (pg.src_offset < s->offset || pg.src_offset + pg.copy_len > s->offset + s->filesz ||
	     pg.src_offset + pg.copy_len > len ||
	     pg.vaddr + pg.dst_offset != s->vaddr + (pg.src_offset - s->offset)))
		abort();
}

/* Aborts unless segment s keeps elf.h's promises about a single segment. */
static void check_segment(const struct elf_segment *s, size_t len, uint64_t limit)
{
	if (!s->memsz || s->filesz > s->memsz || s->offset > len || s->filesz > len - s->offset ||
	    s->vaddr < ELF_MIN_VADDR || s->vaddr > limit || s->memsz > limit - s->vaddr ||
	    (s->vaddr ^ s->offset) % PAGE || (s->flags & ~RWX) ||
	    (s->flags & (ELF_SEG_W | ELF_SEG_X)) == (ELF_SEG_W | ELF_SEG_X))
		abort();
	uint64_t pages = elf_segment_pages(s), file_pages = s->filesz / PAGE + 2;
	for (uint64_t k = 0; k < pages && k < file_pages; k++)
		check_page(s, k, len);
	check_page(s, pages - 1, len);
	struct elf_page pg;
	if (elf_segment_page(s, pages, &pg) != STATUS_RANGE)
		abort();
}

static void check_info(const struct elf_info *info, size_t len, uint64_t limit)
{
	bool entry_found = false;
	if (info->reason[0] || !info->segment_count || info->segment_count > ELF_MAX_SEGMENTS)
		abort();
	for (uint32_t i = 0; i < info->segment_count; i++) {
		const struct elf_segment *s = &info->segments[i];
		check_segment(s, len, limit);
		if (i && s->vaddr / PAGE <= (s[-1].vaddr + s[-1].memsz - 1) / PAGE)
			abort();
		if ((s->flags & ELF_SEG_X) && info->entry >= s->vaddr &&
		    info->entry - s->vaddr < s->filesz)
			entry_found = true;
	}
	if (!entry_found)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t ctl = data[0];
	size_t len = size - 1;
	uint8_t *img;
	if (ctl & CTL_RAW) {
		img = malloc(len ? len : 1);
		if (!img)
			abort();
		memcpy(img, data + 1, len);
	} else {
		img = structured(data + 1, len, ctl, &len);
	}
	uint64_t limit = ctl & CTL_SMALL_LIMIT ? 0x1000000 : 0x800000000000ull;
	struct elf_info info;
	status_t st = elf_parse(img, len, limit, &info);
	if (st == STATUS_OK)
		check_info(&info, len, limit);
	else if (!info.reason[0] || info.segment_count)
		abort();
	free(img);
	return 0;
}
