/*
 * fuzz_acpi.c - libFuzzer target for acpi_find_madt() and acpi_parse_madt().
 *
 * Input: one control byte, then either (CTL_STRUCTURED) the entries of a
 * MADT that the harness wraps in a valid RSDP, root table and MADT header,
 * or else an image of physical memory from address 0 with the RSDP at its
 * start, whose checksums (and RSDP signature) the control byte may have the
 * harness repair so that mutations reach the code behind those tests. Every
 * mapping is an exact-size heap copy, so ASan flags any read past what the
 * code asked to map.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I kernel \
 *       kernel/lib/tests/fuzz_acpi.c kernel/lib/acpi.c -o fuzz_acpi
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/acpi.h"

enum {
	CTL_REPAIR_TABLES = 1, /* fix RSDP, root and listed tables */
	CTL_SHORT_RSDP = 2,    /* hand over 20 RSDP bytes, not 36 */
	CTL_REPAIR_MADT = 4,   /* fix the image's own checksum */
	CTL_RSDP_SIG = 8,      /* write "RSD PTR " over the image start */
	CTL_STRUCTURED = 16,   /* input is MADT entries; build the rest */
};

/* Where the structured image puts its tables. */
enum {
	S_RSDT = 64,  /* 36 + 4 bytes */
	S_XSDT = 112, /* 36 + 8 bytes */
	S_MADT = 160,
};

struct image {
	const uint8_t *p;
	size_t n;
	void **blocks;
	size_t nblocks;
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static void *copy_exact(const void *src, size_t n)
{
	void *d = malloc(n ? n : 1);
	if (!d)
		abort();
	memcpy(d, src, n);
	return d;
}

static const void *image_map(void *ctx, uint64_t phys, size_t len)
{
	struct image *im = ctx;
	if (phys > im->n || len > im->n - phys)
		return NULL;
	void **bl = realloc(im->blocks, (im->nblocks + 1) * sizeof *bl);
	if (!bl)
		abort();
	im->blocks = bl;
	im->blocks[im->nblocks] = copy_exact(im->p + phys, len);
	return im->blocks[im->nblocks++];
}

/* Stores at p[at] the byte that makes the n bytes at p sum to zero. */
static void fix_sum(uint8_t *p, size_t n, size_t at)
{
	uint8_t sum = 0;
	p[at] = 0;
	for (size_t i = 0; i < n; i++)
		sum = (uint8_t)(sum + p[i]);
	p[at] = (uint8_t)-sum;
}

/* Fixes the checksum of the table at phys if its header and length fit. */
static void fix_table(uint8_t *img, size_t n, uint64_t phys)
{
	if (phys > n || n - phys < 36)
		return;
	uint32_t len = rd32(img + phys + 4);
	if (len >= 10 && len <= n - phys)
		fix_sum(img + phys, len, 9);
}

/* Repairs the checksums along the path acpi_find_madt() will take. */
static void repair(uint8_t *img, size_t n)
{
	if (n < 36)
		return;
	bool v2 = img[15] >= 2 && rd64(img + 24);
	uint64_t root = v2 ? rd64(img + 24) : rd32(img + 16);
	size_t esize = v2 ? 8 : 4;
	if (root <= n && n - root >= 36) {
		uint64_t rlen = rd32(img + root + 4);
		for (uint64_t off = 36; off + esize <= rlen && root + off + esize <= n;
		     off += esize) {
			const uint8_t *e = img + root + off;
			fix_table(img, n, esize == 8 ? rd64(e) : rd32(e));
		}
		fix_table(img, n, root);
	}
	/* Byte 8 lies inside the extended checksum's range: fix it first. */
	fix_sum(img, 20, 8);
	uint32_t xlen = rd32(img + 20);
	if (img[15] >= 2 && xlen >= 33 && xlen <= 36)
		fix_sum(img, xlen, 32);
}

static void sdt_header(uint8_t *t, const char *sig, uint32_t len)
{
	memcpy(t, sig, 4);
	put32(t + 4, len);
	t[8] = 1;
}

/* Builds a valid RSDP (revision 0 or 2) -> RSDT and XSDT -> MADT whose
 * entries are the n bytes at e; returns the image and its size in *out_n. */
static uint8_t *build_structured(const uint8_t *e, size_t n, uint8_t rev, size_t *out_n)
{
	if (n > UINT32_MAX - S_MADT - 44)
		n = UINT32_MAX - S_MADT - 44;
	uint8_t *img = calloc(1, S_MADT + 44 + n);
	if (!img)
		abort();
	memcpy(img, "RSD PTR ", 8);
	img[15] = rev;
	put32(img + 16, S_RSDT);
	put32(img + 20, 36);
	put64(img + 24, rev >= 2 ? S_XSDT : 0);
	sdt_header(img + S_RSDT, "RSDT", 40);
	put32(img + S_RSDT + 36, S_MADT);
	sdt_header(img + S_XSDT, "XSDT", 44);
	put64(img + S_XSDT + 36, S_MADT);
	sdt_header(img + S_MADT, "APIC", (uint32_t)(44 + n));
	put32(img + S_MADT + 36, 0xfee00000u);
	put32(img + S_MADT + 40, 1);
	memcpy(img + S_MADT + 44, e, n);
	*out_n = S_MADT + 44 + n;
	repair(img, *out_n);
	return img;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t ctl = data[0];
	size_t n = size - 1;
	uint8_t *img;
	if (ctl & CTL_STRUCTURED) {
		uint8_t rev = ctl & CTL_SHORT_RSDP ? 0 : 2;
		img = build_structured(data + 1, n, rev, &n);
	} else {
		img = copy_exact(data + 1, n);
		if ((ctl & CTL_RSDP_SIG) && n >= 8)
			memcpy(img, "RSD PTR ", 8);
		if (ctl & CTL_REPAIR_TABLES)
			repair(img, n);
	}

	struct image im = { .p = img, .n = n };
	struct acpi_madt_info mi;
	size_t rsdp_len = n < 36 ? n : 36;
	if ((ctl & CTL_SHORT_RSDP) && rsdp_len > 20)
		rsdp_len = 20;
	uint8_t *rsdp = copy_exact(img, rsdp_len);
	const uint8_t *madt;
	uint32_t len;
	if (acpi_find_madt(rsdp, rsdp_len, image_map, &im, &madt, &len) == 0 &&
	    acpi_parse_madt(madt, len, &mi) == 0)
		for (uint8_t irq = 0; irq < 16; irq++)
			acpi_irq_to_gsi(&mi, irq, NULL);

	/* The image itself as a MADT, to reach entry decoding directly. */
	if ((ctl & CTL_REPAIR_MADT) && n >= 44)
		fix_table(img, n, 0);
	if (acpi_parse_madt(img, (uint32_t)(n > UINT32_MAX ? UINT32_MAX : n), &mi) == 0)
		for (uint8_t irq = 0; irq < 16; irq++)
			acpi_irq_to_gsi(&mi, irq, NULL);

	for (size_t i = 0; i < im.nblocks; i++)
		free(im.blocks[i]);
	free(im.blocks);
	free(rsdp);
	free(img);
	return 0;
}
