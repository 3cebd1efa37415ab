/* Host tests for the multiboot2 boot information parser. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "core/boot/mb2.h"

/* A boot information buffer built tag by tag, as GRUB would lay it out. */
struct builder {
	_Alignas(8) uint8_t buf[4096];
	uint32_t len;
};

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static void begin(struct builder *b)
{
	memset(b, 0, sizeof *b);
	b->len = 8;
}

/* Appends a tag with the given payload and returns a pointer to its start. */
static uint8_t *tag(struct builder *b, uint32_t type, const void *payload, uint32_t n)
{
	uint8_t *t = b->buf + b->len;
	put32(t, type);
	put32(t + 4, 8 + n);
	if (n)
		memcpy(t + 8, payload, n);
	b->len += (8 + n + 7) & ~7u;
	return t;
}

static uint32_t finish(struct builder *b)
{
	tag(b, 0, NULL, 0);
	put32(b->buf, b->len);
	return b->len;
}

static void mmap_tag(struct builder *b)
{
	uint8_t p[8 + 3 * 24] = { 0 };
	put32(p, 24);
	put64(p + 8, 0);
	put64(p + 16, 0x9fc00);
	put32(p + 24, 1);
	put64(p + 32, 0x100000);
	put64(p + 40, 0x7ee0000);
	put32(p + 48, 1);
	put64(p + 56, 0xfffc0000);
	put64(p + 64, 0x40000);
	put32(p + 72, 2);
	tag(b, 6, p, sizeof p);
}

TEST(parses_every_known_tag)
{
	struct builder b;
	begin(&b);
	tag(&b, 1, "keel.test=fault", 16);
	tag(&b, 2, "GRUB 2.06", 10);
	uint8_t mod[8 + 7] = { 0 };
	put32(mod, 0x200000);
	put32(mod + 4, 0x240000);
	memcpy(mod + 8, "bundle", 7);
	tag(&b, 3, mod, sizeof mod);
	uint8_t mem[8];
	put32(mem, 639);
	put32(mem + 4, 130048);
	tag(&b, 4, mem, 8);
	mmap_tag(&b);
	uint8_t rsdp[20] = "RSD PTR ";
	tag(&b, 14, rsdp, sizeof rsdp);
	uint8_t fb[24] = { 0 };
	put64(fb, 0xfd000000);
	put32(fb + 8, 4096);
	put32(fb + 12, 1024);
	put32(fb + 16, 768);
	fb[20] = 32;
	fb[21] = 1;
	tag(&b, 8, fb, sizeof fb);
	tag(&b, 0x77, "skip", 4);
	uint32_t n = finish(&b);

	struct mb2_info mi;
	CHECK_EQ(mb2_parse(b.buf, n, &mi), STATUS_OK);
	CHECK_STR(mi.cmdline, "keel.test=fault");
	CHECK_STR(mi.loader_name, "GRUB 2.06");
	CHECK_EQ(mi.module_count, 1);
	CHECK_EQ(mi.modules[0].start, 0x200000);
	CHECK_EQ(mi.modules[0].end, 0x240000);
	CHECK_STR(mi.modules[0].cmdline, "bundle");
	CHECK(mi.has_meminfo);
	CHECK_EQ(mi.mem_upper_kib, 130048);
	CHECK_EQ(mi.mmap_count, 3);
	struct mb2_mmap_entry e;
	CHECK_EQ(mb2_mmap_entry(&mi, 1, &e), STATUS_OK);
	CHECK_EQ(e.base, 0x100000);
	CHECK_EQ(e.len, 0x7ee0000);
	CHECK_EQ(e.type, MB2_MEM_AVAILABLE);
	CHECK_EQ(mb2_mmap_entry(&mi, 3, &e), STATUS_RANGE);
	CHECK(mi.rsdp != NULL);
	CHECK_EQ(mi.rsdp_revision, 1);
	CHECK(mi.has_framebuffer);
	CHECK_EQ(mi.fb.width, 1024);
	CHECK_EQ(mi.fb.bpp, 32);
	CHECK_EQ(mi.total_size, n);
}

TEST(prefers_acpi2_rsdp_over_acpi1)
{
	struct builder b;
	begin(&b);
	uint8_t v2[36] = "RSD PTR ";
	uint8_t v1[20] = "RSD PTR ";
	tag(&b, 15, v2, sizeof v2);
	tag(&b, 14, v1, sizeof v1);
	uint32_t n = finish(&b);
	struct mb2_info mi;
	CHECK_EQ(mb2_parse(b.buf, n, &mi), STATUS_OK);
	CHECK_EQ(mi.rsdp_revision, 2);
	CHECK_EQ(mi.rsdp_len, 36);
}

TEST(minimal_info_has_empty_strings)
{
	struct builder b;
	begin(&b);
	uint32_t n = finish(&b);
	struct mb2_info mi;
	CHECK_EQ(mb2_parse(b.buf, n, &mi), STATUS_OK);
	CHECK_STR(mi.cmdline, "");
	CHECK_EQ(mi.mmap_count, 0);
	CHECK_EQ(mi.module_count, 0);
}

TEST(rejects_total_size_beyond_buffer)
{
	struct builder b;
	begin(&b);
	uint32_t n = finish(&b);
	struct mb2_info mi;
	CHECK_EQ(mb2_parse(b.buf, n - 1, &mi), STATUS_BAD_FORMAT);
	put32(b.buf, 8);
	CHECK_EQ(mb2_parse(b.buf, n, &mi), STATUS_BAD_FORMAT);
	CHECK_EQ(mb2_parse(NULL, n, &mi), STATUS_BAD_FORMAT);
	CHECK_EQ(mb2_parse(b.buf + 4, n, &mi), STATUS_BAD_FORMAT);
}

TEST(rejects_missing_end_tag)
{
	struct builder b;
	begin(&b);
	tag(&b, 1, "abc", 4);
	put32(b.buf, b.len);
	struct mb2_info mi;
	CHECK_EQ(mb2_parse(b.buf, b.len, &mi), STATUS_BAD_FORMAT);
}

TEST(rejects_tag_overrunning_total)
{
	struct builder b;
	begin(&b);
	uint8_t *t = tag(&b, 1, "abc", 4);
	uint32_t n = finish(&b);
	put32(t + 4, n); /* tag claims more than what is left */
	struct mb2_info mi;
	CHECK_EQ(mb2_parse(b.buf, n, &mi), STATUS_BAD_FORMAT);
	put32(t + 4, 0xfffffffc); /* would wrap a 32-bit cursor */
	CHECK_EQ(mb2_parse(b.buf, n, &mi), STATUS_BAD_FORMAT);
	put32(t + 4, 4); /* smaller than a tag header */
	CHECK_EQ(mb2_parse(b.buf, n, &mi), STATUS_BAD_FORMAT);
}

TEST(rejects_unterminated_strings)
{
	struct builder b;
	begin(&b);
	tag(&b, 1, "abcd", 4);
	uint32_t n = finish(&b);
	struct mb2_info mi;
	CHECK_EQ(mb2_parse(b.buf, n, &mi), STATUS_BAD_FORMAT);

	begin(&b);
	uint8_t mod[8 + 3] = { 0 };
	memcpy(mod + 8, "xyz", 3);
	tag(&b, 3, mod, sizeof mod);
	n = finish(&b);
	CHECK_EQ(mb2_parse(b.buf, n, &mi), STATUS_BAD_FORMAT);
}

TEST(rejects_bad_mmap_entry_size)
{
	struct builder b;
	begin(&b);
	uint8_t p[8 + 24] = { 0 };
	put32(p, 20);
	tag(&b, 6, p, sizeof p);
	uint32_t n = finish(&b);
	struct mb2_info mi;
	CHECK_EQ(mb2_parse(b.buf, n, &mi), STATUS_BAD_FORMAT);

	begin(&b);
	uint8_t q[8 + 40] = { 0 };
	put32(q, 24); /* 40 bytes is not a whole number of entries */
	tag(&b, 6, q, sizeof q);
	n = finish(&b);
	CHECK_EQ(mb2_parse(b.buf, n, &mi), STATUS_BAD_FORMAT);
}

TEST(rejects_inverted_module_and_too_many_modules)
{
	struct builder b;
	begin(&b);
	uint8_t mod[8 + 1] = { 0 };
	put32(mod, 0x300000);
	put32(mod + 4, 0x200000);
	tag(&b, 3, mod, sizeof mod);
	uint32_t n = finish(&b);
	struct mb2_info mi;
	CHECK_EQ(mb2_parse(b.buf, n, &mi), STATUS_BAD_FORMAT);

	begin(&b);
	put32(mod, 0x200000);
	put32(mod + 4, 0x201000);
	for (int i = 0; i < MB2_MAX_MODULES + 1; i++)
		tag(&b, 3, mod, sizeof mod);
	n = finish(&b);
	CHECK_EQ(mb2_parse(b.buf, n, &mi), STATUS_FULL);
}

TEST(rejects_short_fixed_size_tags)
{
	static const uint32_t types[] = { 4, 8, 14, 15, 6, 3 };
	for (unsigned i = 0; i < sizeof types / sizeof types[0]; i++) {
		struct builder b;
		begin(&b);
		tag(&b, types[i], "\0\0\0", 4);
		uint32_t n = finish(&b);
		struct mb2_info mi;
		CHECK_EQ(mb2_parse(b.buf, n, &mi), STATUS_BAD_FORMAT);
	}
}

/* Random corruption must never make the parser read outside the buffer. */
TEST(survives_random_corruption)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;
	for (int round = 0; round < 20000; round++) {
		struct builder b;
		begin(&b);
		tag(&b, 1, "console=ttyS0", 14);
		mmap_tag(&b);
		uint8_t mod[8 + 2] = { 0, 0, 0, 0, 0, 0x10, 0, 0, 'm', 0 };
		tag(&b, 3, mod, sizeof mod);
		uint32_t n = finish(&b);
		for (int k = 0; k < 4; k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			b.buf[x % n] ^= (uint8_t)(x >> 32);
		}
		struct mb2_info mi;
		if (mb2_parse(b.buf, n, &mi) == STATUS_OK) {
			CHECK(mi.total_size <= n);
			for (uint32_t i = 0; i < mi.mmap_count; i++) {
				struct mb2_mmap_entry e;
				CHECK_EQ(mb2_mmap_entry(&mi, i, &e), STATUS_OK);
				CHECK(mi.mmap + (i + 1) * mi.mmap_entry_size <= b.buf + n);
			}
		}
	}
}

int main(void)
{
	RUN(parses_every_known_tag);
	RUN(prefers_acpi2_rsdp_over_acpi1);
	RUN(minimal_info_has_empty_strings);
	RUN(rejects_total_size_beyond_buffer);
	RUN(rejects_missing_end_tag);
	RUN(rejects_tag_overrunning_total);
	RUN(rejects_unterminated_strings);
	RUN(rejects_bad_mmap_entry_size);
	RUN(rejects_inverted_module_and_too_many_modules);
	RUN(rejects_short_fixed_size_tags);
	RUN(survives_random_corruption);
	return check_summary();
}
