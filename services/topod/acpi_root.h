/*
 * acpi_root.h - finding ACPI tables: the RSDP in the BIOS areas, then a
 * table by signature through the XSDT or RSDT.
 *
 * Pure: physical memory is reached only through the caller's map function
 * (the same acpi_map_fn as the kernel's MADT parser), so the host tests run
 * it over a buffer. Every pointer and length read from firmware is checked
 * before it is followed.
 */
#ifndef KEEL_TOPOD_ACPI_ROOT_H
#define KEEL_TOPOD_ACPI_ROOT_H

#include <stddef.h>
#include <stdint.h>

#include "abi/status.h"
#include "lib/acpi.h"

#define ACPI_RSDP_V1_LEN 20u
#define ACPI_RSDP_V2_LEN 36u
#define ACPI_ROOT_MAX_ENTRIES 64u /* tables looked at in the root table */

struct acpi_root {
	uint64_t rsdp_phys;  /* where the RSDP was found */
	uint8_t revision;    /* 0: ACPI 1.0 (RSDT only); 2 or more: XSDT if non-zero */
	uint64_t root_phys;  /* the XSDT, or the RSDT */
	uint32_t entry_size; /* 8 for the XSDT, 4 for the RSDT */
};

/*
 * Searches area[0..len) (physical address base, 16-byte aligned) for an
 * RSDP with a valid checksum (and, for revision 2+, a valid extended
 * checksum and a length of at least 36 that fits in area), and fills *out.
 * Returns STATUS_NOT_FOUND if there is none.
 */
status_t acpi_rsdp_scan(const uint8_t *area, size_t len, uint64_t base, struct acpi_root *out);

/*
 * Finds the first table with signature sig (4 characters) that the root
 * table lists and whose header checks (acpi_table_check), and points *table
 * at its *table_len bytes, obtained through map. Returns STATUS_NOT_FOUND
 * if none is listed, STATUS_BAD_FORMAT if the root table itself is bad,
 * STATUS_BAD_ADDRESS if it cannot be mapped.
 */
status_t acpi_root_find(const struct acpi_root *root, const char *sig, acpi_map_fn map, void *ctx,
			const uint8_t **table, uint32_t *table_len);

/* Maps and checks the table at phys with signature sig (the DSDT, whose
 * address the FADT gives). Same results as acpi_root_find. */
status_t acpi_table_at(uint64_t phys, const char *sig, acpi_map_fn map, void *ctx,
		       const uint8_t **table, uint32_t *table_len);

#endif
