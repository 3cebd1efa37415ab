/*
 * mb2.h - decoding of the multiboot2 boot information GRUB hands the kernel.
 *
 * mb2_parse() is the one place that reads the raw structure. It checks
 * every size and offset against the bytes it was given and either fills a
 * struct mb2_info whose pointers all lie inside that buffer, or returns an
 * error and leaves the kernel to say so. Unknown tags are skipped.
 */
#ifndef KEEL_CORE_MB2_H
#define KEEL_CORE_MB2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/status.h"

#define MB2_BOOTLOADER_MAGIC 0x36d76289u
#define MB2_MAX_MODULES 16

/* Memory map entry types, as multiboot2 defines them. */
enum mb2_mem_type {
	MB2_MEM_AVAILABLE = 1,
	MB2_MEM_RESERVED = 2,
	MB2_MEM_ACPI_RECLAIMABLE = 3,
	MB2_MEM_NVS = 4,
	MB2_MEM_BAD = 5,
};

struct mb2_mmap_entry {
	uint64_t base;
	uint64_t len;
	uint32_t type;
};

struct mb2_module {
	uint32_t start; /* physical, inclusive */
	uint32_t end;   /* physical, exclusive */
	const char *cmdline;
};

struct mb2_framebuffer {
	uint64_t addr;
	uint32_t pitch, width, height;
	uint8_t bpp;
	uint8_t type; /* 0 indexed, 1 RGB, 2 EGA text */
};

struct mb2_info {
	const char *cmdline;     /* never NULL after a successful parse */
	const char *loader_name; /* never NULL after a successful parse */
	bool has_meminfo;
	uint32_t mem_lower_kib, mem_upper_kib;
	const uint8_t *mmap; /* first entry, or NULL */
	uint32_t mmap_entry_size;
	uint32_t mmap_count;
	struct mb2_module modules[MB2_MAX_MODULES];
	uint32_t module_count;
	const void *rsdp; /* copy of the ACPI RSDP, or NULL */
	uint32_t rsdp_len;
	uint8_t rsdp_revision; /* 1: ACPI 1.0 RSDP, 2: ACPI 2.0+ XSDP */
	bool has_framebuffer;
	struct mb2_framebuffer fb;
	uint32_t total_size;
};

/*
 * Decodes the boot information at info, of which avail bytes may be read.
 * Returns STATUS_OK and fills *out, or STATUS_BAD_FORMAT when any size,
 * alignment or string is inconsistent, the end tag is missing, or a tag
 * would be read beyond avail; STATUS_FULL when there are more than
 * MB2_MAX_MODULES modules.
 */
status_t mb2_parse(const void *info, size_t avail, struct mb2_info *out);

/* Copies memory map entry i to *e; returns STATUS_RANGE past the end. */
status_t mb2_mmap_entry(const struct mb2_info *mi, uint32_t i, struct mb2_mmap_entry *e);

/* Returns a short name for a memory type ("available", "reserved", ...). */
const char *mb2_mem_type_name(uint32_t type);

#endif
