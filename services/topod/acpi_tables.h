/*
 * acpi_tables.h - the ACPI tables topod reads besides the MADT: MCFG (where
 * PCIe configuration space is mapped), SRAT (which CPUs and memory belong
 * to which proximity domain), FADT (PM1 control blocks, the reset
 * register, the DSDT) and the \_S5_ object of the DSDT (the sleep type
 * values that power the machine off).
 *
 * Firmware tables are untrusted input. Each parser takes the table's bytes
 * and how many of them may be read, checks signature, length and checksum,
 * reads every field through a bounds check and returns STATUS_BAD_FORMAT
 * rather than guess. The MADT parser is the kernel's (kernel/lib/acpi.h).
 */
#ifndef KEEL_TOPOD_ACPI_TABLES_H
#define KEEL_TOPOD_ACPI_TABLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/status.h"

#define ACPI_HEADER_LEN 36u
#define ACPI_MAX_MCFG 8
#define ACPI_MAX_SRAT_CPUS 64
#define ACPI_MAX_SRAT_MEM 32

/*
 * Checks the common header of the table at t (len readable bytes): the
 * signature sig (4 characters), a length field of at least 36 and at most
 * len, and a zero byte sum over that length. Stores the length in
 * *table_len. Returns STATUS_BAD_FORMAT otherwise.
 */
status_t acpi_table_check(const uint8_t *t, size_t len, const char *sig, uint32_t *table_len);

/* ---- MCFG ----------------------------------------------------------------- */

struct acpi_mcfg_entry {
	uint64_t base; /* ECAM address of bus 0 of the segment */
	uint16_t segment;
	uint8_t bus_start, bus_end;
};

struct acpi_mcfg {
	struct acpi_mcfg_entry entries[ACPI_MAX_MCFG];
	uint32_t count;
};

/*
 * Decodes the MCFG's allocations. Returns STATUS_BAD_FORMAT for a bad
 * header, a body that is not a whole number of 16-byte entries, an entry
 * with bus_end < bus_start, a zero base or one not aligned to 1 MiB;
 * STATUS_FULL for more than ACPI_MAX_MCFG entries.
 */
status_t acpi_parse_mcfg(const uint8_t *t, size_t len, struct acpi_mcfg *out);

/* ---- SRAT ----------------------------------------------------------------- */

struct acpi_srat_cpu {
	uint32_t apic_id; /* xAPIC or x2APIC id */
	uint32_t domain;  /* proximity domain */
	bool x2apic;
};

struct acpi_srat_mem {
	uint64_t base, length;
	uint32_t domain;
	bool hotplug, nonvolatile;
};

/* Enabled entries only; disabled ones are counted, not recorded. */
struct acpi_srat {
	struct acpi_srat_cpu cpus[ACPI_MAX_SRAT_CPUS];
	uint32_t cpu_count;
	struct acpi_srat_mem mem[ACPI_MAX_SRAT_MEM];
	uint32_t mem_count;
	uint32_t disabled;
	uint32_t dropped; /* enabled, beyond the arrays */
};

/*
 * Decodes the SRAT's processor (local APIC and x2APIC) and memory affinity
 * entries. Other entry types are skipped by their length. Returns
 * STATUS_BAD_FORMAT for a bad header or an entry shorter than its type's
 * layout (or than 2 bytes) or running past the table.
 */
status_t acpi_parse_srat(const uint8_t *t, size_t len, struct acpi_srat *out);

/* The proximity domain of the CPU with APIC id apic_id, or -1 if the SRAT
 * does not name it. */
int64_t acpi_srat_cpu_domain(const struct acpi_srat *s, uint32_t apic_id);

/* ---- FADT ----------------------------------------------------------------- */

enum acpi_space {
	ACPI_SPACE_MEMORY = 0,
	ACPI_SPACE_IO = 1,
	ACPI_SPACE_PCI_CONFIG = 2,
};

/* A Generic Address Structure. */
struct acpi_gas {
	uint8_t space; /* enum acpi_space, or another ACPI space id */
	uint8_t bit_width, bit_offset, access_size;
	uint64_t address; /* 0: not present */
};

#define ACPI_FADT_RESET_REG_SUP (1u << 10)

struct acpi_fadt {
	uint8_t revision;
	uint32_t flags;
	uint16_t sci_irq;
	uint64_t dsdt;                      /* X_DSDT when present and non-zero, else DSDT */
	struct acpi_gas pm1a_cnt, pm1b_cnt; /* X_ blocks, else the 32-bit ports */
	struct acpi_gas pm1a_evt, pm1b_evt;
	bool reset_supported; /* RESET_REG_SUP and a usable reset register */
	struct acpi_gas reset_reg;
	uint8_t reset_value;
	uint32_t smi_cmd;
	uint8_t acpi_enable, acpi_disable;
	uint8_t century; /* CMOS index of the RTC's century register, 0: none */
};

/*
 * Decodes the FADT (any revision from 1; fields beyond the table's length
 * are absent). Returns STATUS_BAD_FORMAT for a bad header, a table too
 * short to hold the DSDT and PM1 fields (116 bytes, the ACPI 1.0 layout),
 * no DSDT address, or no PM1a control block.
 */
status_t acpi_parse_fadt(const uint8_t *t, size_t len, struct acpi_fadt *out);

/* ---- \_S5_ ----------------------------------------------------------------- */

struct acpi_sleep_type {
	uint8_t slp_typ_a, slp_typ_b; /* 3-bit values for PM1a/b SLP_TYP */
};

/*
 * Finds Name(_S5_, Package(){...}) in the DSDT (or an SSDT) at t and
 * decodes SLP_TYPa and SLP_TYPb from its first two elements (one element:
 * a in bits 0-7, b in bits 8-15, as some firmware writes it). Elements may
 * be ZeroOp, OneOp, or Byte/Word/DWord/QWord constants. Checks the header
 * (signature DSDT or SSDT) first. Returns STATUS_NOT_FOUND when no
 * Name(_S5_) exists, STATUS_BAD_FORMAT when it is not a well-formed
 * package of integer constants inside the table, STATUS_RANGE when a value
 * does not fit SLP_TYP's 3 bits.
 */
status_t acpi_find_s5(const uint8_t *t, size_t len, struct acpi_sleep_type *out);

/*
 * Decodes an AML PkgLength at p (avail readable bytes): stores the
 * encoded length in *pkg_len and the bytes of the encoding in *enc_len.
 * Returns STATUS_BAD_FORMAT for a truncated encoding or reserved bits set.
 */
status_t acpi_aml_pkglength(const uint8_t *p, size_t avail, uint32_t *pkg_len, uint32_t *enc_len);

#endif
