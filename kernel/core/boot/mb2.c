/* mb2.c - bounds-checked multiboot2 boot information parser (see mb2.h). */
#include "core/boot/mb2.h"
#include "lib/le.h"

enum {
	TAG_END = 0,
	TAG_CMDLINE = 1,
	TAG_LOADER_NAME = 2,
	TAG_MODULE = 3,
	TAG_MEMINFO = 4,
	TAG_MMAP = 6,
	TAG_FRAMEBUFFER = 8,
	TAG_ACPI_OLD = 14,
	TAG_ACPI_NEW = 15,
};

#define RSDP_V1_LEN 20u
#define RSDP_V2_LEN 36u

/* Returns the string at p if it is NUL-terminated within n bytes, else NULL. */
static const char *bounded_str(const uint8_t *p, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (p[i] == '\0')
			return (const char *)p;
	return NULL;
}

static status_t parse_module(const uint8_t *t, uint32_t size, struct mb2_info *out)
{
	if (size < 17)
		return STATUS_BAD_FORMAT;
	if (out->module_count == MB2_MAX_MODULES)
		return STATUS_FULL;
	struct mb2_module *m = &out->modules[out->module_count];
	m->start = rd32(t + 8);
	m->end = rd32(t + 12);
	m->cmdline = bounded_str(t + 16, size - 16);
	if (!m->cmdline || m->end < m->start)
		return STATUS_BAD_FORMAT;
	out->module_count++;
	return STATUS_OK;
}

static status_t parse_mmap(const uint8_t *t, uint32_t size, struct mb2_info *out)
{
	if (size < 16)
		return STATUS_BAD_FORMAT;
	uint32_t esize = rd32(t + 8);
	if (esize < 24 || esize % 8 != 0 || (size - 16) % esize != 0)
		return STATUS_BAD_FORMAT;
	out->mmap = t + 16;
	out->mmap_entry_size = esize;
	out->mmap_count = (size - 16) / esize;
	return STATUS_OK;
}

static status_t parse_framebuffer(const uint8_t *t, uint32_t size, struct mb2_info *out)
{
	if (size < 31)
		return STATUS_BAD_FORMAT;
	out->fb.addr = rd64(t + 8);
	out->fb.pitch = rd32(t + 16);
	out->fb.width = rd32(t + 20);
	out->fb.height = rd32(t + 24);
	out->fb.bpp = t[28];
	out->fb.type = t[29];
	out->has_framebuffer = true;
	return STATUS_OK;
}

static status_t parse_rsdp(const uint8_t *t, uint32_t size, uint8_t rev, struct mb2_info *out)
{
	uint32_t need = rev == 1 ? RSDP_V1_LEN : RSDP_V2_LEN;
	if (size - 8 < need)
		return STATUS_BAD_FORMAT;
	/* Prefer the ACPI 2.0 copy when GRUB passes both. */
	if (out->rsdp && out->rsdp_revision > rev)
		return STATUS_OK;
	out->rsdp = t + 8;
	out->rsdp_len = size - 8;
	out->rsdp_revision = rev;
	return STATUS_OK;
}

/* Decodes one tag of the given type and size starting at t. */
static status_t parse_tag(const uint8_t *t, uint32_t type, uint32_t size, struct mb2_info *out)
{
	switch (type) {
	case TAG_CMDLINE:
		out->cmdline = bounded_str(t + 8, size - 8);
		return out->cmdline ? STATUS_OK : STATUS_BAD_FORMAT;
	case TAG_LOADER_NAME:
		out->loader_name = bounded_str(t + 8, size - 8);
		return out->loader_name ? STATUS_OK : STATUS_BAD_FORMAT;
	case TAG_MODULE:
		return parse_module(t, size, out);
	case TAG_MEMINFO:
		if (size < 16)
			return STATUS_BAD_FORMAT;
		out->has_meminfo = true;
		out->mem_lower_kib = rd32(t + 8);
		out->mem_upper_kib = rd32(t + 12);
		return STATUS_OK;
	case TAG_MMAP:
		return parse_mmap(t, size, out);
	case TAG_FRAMEBUFFER:
		return parse_framebuffer(t, size, out);
	case TAG_ACPI_OLD:
		return parse_rsdp(t, size, 1, out);
	case TAG_ACPI_NEW:
		return parse_rsdp(t, size, 2, out);
	default:
		return STATUS_OK;
	}
}

status_t mb2_parse(const void *info, size_t avail, struct mb2_info *out)
{
	const uint8_t *base = info;
	*out = (struct mb2_info){ .cmdline = "", .loader_name = "" };
	if (!info || avail < 16 || ((uintptr_t)info & 7))
		return STATUS_BAD_FORMAT;
	uint32_t total = rd32(base);
	if (total < 16 || total > avail)
		return STATUS_BAD_FORMAT;
	out->total_size = total;

	/* 64-bit offsets: a tag size near 4 GiB must not wrap the cursor back. */
	for (uint64_t off = 8; off + 8 <= total;) {
		const uint8_t *t = base + off;
		uint32_t type = rd32(t), size = rd32(t + 4);
		if (size < 8 || size > total - off)
			return STATUS_BAD_FORMAT;
		if (type == TAG_END)
			return size == 8 ? STATUS_OK : STATUS_BAD_FORMAT;
		status_t st = parse_tag(t, type, size, out);
		if (st)
			return st;
		off += ((uint64_t)size + 7) & ~7ull;
	}
	return STATUS_BAD_FORMAT; /* ran out of bytes before the end tag */
}

status_t mb2_mmap_entry(const struct mb2_info *mi, uint32_t i, struct mb2_mmap_entry *e)
{
	if (i >= mi->mmap_count)
		return STATUS_RANGE;
	const uint8_t *p = mi->mmap + (size_t)i * mi->mmap_entry_size;
	e->base = rd64(p);
	e->len = rd64(p + 8);
	e->type = rd32(p + 16);
	return STATUS_OK;
}

const char *mb2_mem_type_name(uint32_t type)
{
	switch (type) {
	case MB2_MEM_AVAILABLE:
		return "available";
	case MB2_MEM_RESERVED:
		return "reserved";
	case MB2_MEM_ACPI_RECLAIMABLE:
		return "acpi-reclaimable";
	case MB2_MEM_NVS:
		return "acpi-nvs";
	case MB2_MEM_BAD:
		return "bad";
	default:
		return "unknown";
	}
}
