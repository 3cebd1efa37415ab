/*
 * acpi.h - locating and decoding the ACPI MADT (CPUs and interrupt
 * controllers).
 *
 * Firmware tables are input, not truth: every length and pointer is checked
 * before it is followed and every table's checksum is verified. Physical
 * memory is reached only through the caller's acpi_map_fn, so the same code
 * runs on the kernel's direct map and on a fake memory buffer in the host
 * tests. acpi_find_madt() walks RSDP -> XSDT/RSDT -> MADT;
 * acpi_parse_madt() is the one function that decodes the MADT's entries.
 */
#ifndef KEEL_LIB_ACPI_H
#define KEEL_LIB_ACPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/status.h"

#define ACPI_MAX_CPUS 64
#define ACPI_MAX_IOAPICS 8
#define ACPI_MAX_OVERRIDES 16
#define ACPI_MAX_NMIS 16

/* MADT flags: bit 0 says the legacy dual 8259 PICs are present and must be
 * masked before the IO APICs are used. */
#define ACPI_MADT_PCAT_COMPAT 0x1u

/* MPS INTI flags of interrupt source overrides and NMI entries. */
#define ACPI_INTI_POLARITY_MASK 0x3u
#define ACPI_INTI_POLARITY_BUS 0x0u /* conforms to the bus (ISA: high) */
#define ACPI_INTI_POLARITY_HIGH 0x1u
#define ACPI_INTI_POLARITY_LOW 0x3u
#define ACPI_INTI_TRIGGER_MASK 0xcu
#define ACPI_INTI_TRIGGER_BUS 0x0u /* conforms to the bus (ISA: edge) */
#define ACPI_INTI_TRIGGER_EDGE 0x4u
#define ACPI_INTI_TRIGGER_LEVEL 0xcu

/* acpi_uid of an NMI entry that applies to every processor. */
#define ACPI_NMI_ALL_CPUS 0xffffffffu

/*
 * Returns a readable pointer to the physical bytes [phys, phys + len), or
 * NULL when that range is not accessible. The pointer must stay valid while
 * the caller uses what acpi_find_madt() returned (the direct map does).
 */
typedef const void *(*acpi_map_fn)(void *ctx, uint64_t phys, size_t len);

struct acpi_cpu {
	uint32_t apic_id;    /* xAPIC id (< 256) or x2APIC id */
	uint32_t acpi_uid;   /* the processor's _UID, as NMI entries use */
	bool enabled;        /* present and usable now */
	bool online_capable; /* disabled, may be hot-enabled later */
	bool x2apic;         /* from a Processor Local x2APIC entry */
};

struct acpi_ioapic {
	uint8_t id;
	uint32_t addr;     /* physical MMIO base */
	uint32_t gsi_base; /* first global system interrupt it serves */
};

struct acpi_override {
	uint8_t bus;    /* 0: ISA */
	uint8_t source; /* bus-relative IRQ */
	uint32_t gsi;
	uint16_t flags; /* ACPI_INTI_* */
};

struct acpi_lapic_nmi {
	uint32_t acpi_uid; /* ACPI_NMI_ALL_CPUS for every processor */
	uint16_t flags;    /* ACPI_INTI_* */
	uint8_t lint;      /* LINT0 or LINT1 */
};

/*
 * What the kernel needs from the MADT. Only the first *_count elements of
 * each array are meaningful. CPUs appear in table order, which ACPI asks
 * firmware to start with the boot processor.
 */
struct acpi_madt_info {
	uint64_t lapic_addr; /* physical, after any 64-bit override */
	bool lapic_addr_overridden;
	uint32_t flags; /* ACPI_MADT_* */
	struct acpi_cpu cpus[ACPI_MAX_CPUS];
	uint32_t cpu_count;      /* usable CPUs recorded */
	uint32_t cpus_disabled;  /* neither enabled nor online-capable */
	uint32_t cpus_dropped;   /* usable, but beyond ACPI_MAX_CPUS */
	uint32_t cpus_duplicate; /* repeated an APIC id already recorded */
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	uint32_t ioapic_count;
	struct acpi_override overrides[ACPI_MAX_OVERRIDES];
	uint32_t override_count;
	struct acpi_lapic_nmi nmis[ACPI_MAX_NMIS];
	uint32_t nmi_count;
	uint32_t nmis_dropped; /* beyond ACPI_MAX_NMIS */
};

/*
 * Validates the RSDP at rsdp (rsdp_len readable bytes), its XSDT (revision
 * >= 2 with a non-zero address) or else its RSDT, and the MADT it lists, and
 * points *madt at the MADT's *madt_len bytes, obtained through map. Returns
 * STATUS_BAD_FORMAT for a bad signature, length or checksum of the RSDP,
 * root table or MADT; STATUS_BAD_ADDRESS if the root table, or a listed table
 * when no valid MADT was found, could not be mapped; STATUS_NOT_FOUND if the
 * root table lists no MADT. The first valid MADT listed wins.
 */
status_t acpi_find_madt(const void *rsdp, size_t rsdp_len, acpi_map_fn map, void *ctx,
			const uint8_t **madt, uint32_t *madt_len);

/* The ACPI power-management timer: a free-running counter at
 * ACPI_PM_TIMER_HZ, read with a 32-bit IN from port; bits is 24 or 32. */
#define ACPI_PM_TIMER_HZ 3579545u

struct acpi_pm_timer {
	uint16_t port;
	uint8_t bits;
};

/*
 * Finds the FADT as acpi_find_madt finds the MADT (same errors) and reads
 * its PM timer block (PM_TMR_BLK, and TMR_VAL_EXT of its flags) into *out.
 * STATUS_NOT_FOUND when there is no FADT or it names no timer port;
 * STATUS_BAD_FORMAT for a FADT too short to hold its flags (116 bytes).
 * *out is zero on failure.
 */
status_t acpi_find_pm_timer(const void *rsdp, size_t rsdp_len, acpi_map_fn map, void *ctx,
			    struct acpi_pm_timer *out);

/*
 * Decodes the MADT at madt, of which len bytes may be read, into *out.
 * Checks the signature, header length (<= len) and checksum again. Returns
 * STATUS_BAD_FORMAT for a bad header or an entry that is shorter than 2
 * bytes, than its type's layout, or overruns the table; STATUS_FULL for more
 * than ACPI_MAX_IOAPICS IO APICs or ACPI_MAX_OVERRIDES overrides. Surplus
 * CPUs and NMI entries are counted, not an error. On error *out is partial.
 */
status_t acpi_parse_madt(const uint8_t *madt, uint32_t len, struct acpi_madt_info *out);

/*
 * Returns the GSI that ISA IRQ isa_irq is wired to, applying any interrupt
 * source override, and stores its ACPI_INTI_* flags in *flags_out (if not
 * NULL): the override's, or 0 (bus-conforming: edge, active high).
 */
uint32_t acpi_irq_to_gsi(const struct acpi_madt_info *mi, uint8_t isa_irq, uint16_t *flags_out);

#endif
