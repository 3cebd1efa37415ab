/*
 * pci.h - PCI and PCIe enumeration, BAR sizing, capabilities and MSI/MSI-X
 * programming for topod, over a configuration-space access table.
 *
 * Every hardware access goes through struct pci_cfg (configuration space)
 * or struct pci_mmio (an MSI-X table in a mapped BAR), so the host tests
 * run this code over recorded configuration spaces and a device model.
 * Two back-ends reach real configuration space: ECAM (memory-mapped, from
 * the ACPI MCFG table; -M q35) and the legacy 0xCF8/0xCFC port pair
 * (-M pc). Their pure parts, the address arithmetic, are here; the
 * accessors that do the loads, stores and port I/O take their own tables.
 *
 * Devices are untrusted input: every pointer read from configuration
 * space (capability list, bridge bus numbers, BAR sizes) is checked
 * before it is followed, and a malformed function is recorded with a
 * status rather than stopping the walk.
 */
#ifndef KEEL_TOPOD_PCI_H
#define KEEL_TOPOD_PCI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/status.h"

#define PCI_MAX_BUS 256
#define PCI_MAX_DEV 32
#define PCI_MAX_FN 8
#define PCI_CFG_SIZE 256u       /* conventional configuration space */
#define PCI_ECAM_CFG_SIZE 4096u /* PCIe extended configuration space */
#define PCI_MAX_BARS 6
#define PCI_MAX_VENDOR_CAPS 8

/* Standard header offsets. */
#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_STATUS 0x06
#define PCI_REVISION 0x08
#define PCI_CLASS_PROG 0x09
#define PCI_HEADER_TYPE 0x0e
#define PCI_BAR0 0x10
#define PCI_SUBSYS_VENDOR 0x2c
#define PCI_SUBSYS_ID 0x2e
#define PCI_ROM0 0x30 /* header type 0 */
#define PCI_CAP_PTR 0x34
#define PCI_BRIDGE_PRIMARY 0x18 /* header type 1: primary, secondary, subordinate */
#define PCI_BRIDGE_SECONDARY 0x19
#define PCI_BRIDGE_SUBORDINATE 0x1a
#define PCI_ROM1 0x38 /* header type 1 */

#define PCI_COMMAND_IO 0x0001u
#define PCI_COMMAND_MEMORY 0x0002u
#define PCI_COMMAND_MASTER 0x0004u
#define PCI_COMMAND_INTX_DISABLE 0x0400u
#define PCI_STATUS_CAP_LIST 0x0010u

#define PCI_HEADER_MULTIFUNCTION 0x80u
#define PCI_HEADER_TYPE_MASK 0x7fu

/* Capability ids. */
#define PCI_CAP_MSI 0x05
#define PCI_CAP_VENDOR 0x09
#define PCI_CAP_PCIE 0x10
#define PCI_CAP_MSIX 0x11

#define PCI_VENDOR_VIRTIO 0x1af4u

/*
 * Configuration-space access. width is 1, 2 or 4 and off is a multiple of
 * width below the function's configuration size; callers in this file
 * never break that rule. A read of an absent function returns all ones,
 * as the hardware does.
 */
struct pci_cfg {
	uint32_t (*read)(void *ctx, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off,
			 unsigned width);
	void (*write)(void *ctx, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off, unsigned width,
		      uint32_t val);
	void *ctx;
};

/* 32-bit access at byte offset off of a mapped BAR (an MSI-X table). */
struct pci_mmio {
	uint32_t (*read32)(void *ctx, uint64_t off);
	void (*write32)(void *ctx, uint64_t off, uint32_t val);
	void *ctx;
};

/* ---- back-ends: the pure parts ---------------------------------------- */

/* One ECAM window: an MCFG allocation. base is the address of bus 0's
 * space (as in the MCFG table), even when bus_start is not 0. */
struct pci_ecam {
	uint64_t base;
	uint16_t segment;
	uint8_t bus_start, bus_end;
};

/*
 * Stores in *off the byte offset of (bus, dev, fn, reg) from the start of
 * the window's mapping, which begins at base + bus_start * 1 MiB. Returns
 * STATUS_RANGE for a bus outside the window, dev >= 32, fn >= 8 or
 * reg >= 4096; STATUS_INVALID for a window with bus_end < bus_start.
 */
status_t pci_ecam_offset(const struct pci_ecam *w, uint8_t bus, uint8_t dev, uint8_t fn,
			 uint16_t reg, uint64_t *off);

/* Bytes the window's mapping covers: (bus_end - bus_start + 1) MiB, or 0
 * for a window with bus_end < bus_start. */
uint64_t pci_ecam_size(const struct pci_ecam *w);

/*
 * Legacy mechanism #1: stores in *addr the word to write to port 0xCF8 and
 * in *port the data port (0xCFC + reg % 4) for an access of width bytes
 * at reg. Returns STATUS_RANGE for dev >= 32, fn >= 8 or reg >= 256, and
 * STATUS_INVALID for a width other than 1, 2, 4 or a reg not aligned to it.
 */
status_t pci_legacy_address(uint8_t bus, uint8_t dev, uint8_t fn, uint16_t reg, unsigned width,
			    uint32_t *addr, uint16_t *port);

/* Port I/O for the legacy back-end. */
struct pci_ports {
	uint32_t (*in)(void *ctx, uint16_t port, unsigned width);
	void (*out)(void *ctx, uint16_t port, unsigned width, uint32_t val);
	void *ctx;
};

/*
 * The legacy back-end as a struct pci_cfg: pci_legacy_cfg(&ports) returns
 * a table whose ctx is ports (which must outlive it). Accesses at reg >=
 * 256 read all ones and drop writes.
 */
struct pci_cfg pci_legacy_cfg(const struct pci_ports *ports);

/* The ECAM back-end over a mapped window: ctx for pci_ecam_cfg. */
struct pci_ecam_map {
	struct pci_ecam window;
	volatile uint8_t *base; /* the mapping of window, pci_ecam_size() bytes */
};

/* Returns a table doing volatile loads and stores in map->base; an access
 * outside the window reads all ones and drops writes. */
struct pci_cfg pci_ecam_cfg(const struct pci_ecam_map *map);

/* ---- what enumeration records ----------------------------------------- */

enum pci_bar_type {
	PCI_BAR_NONE = 0, /* not implemented (sized to 0) */
	PCI_BAR_MEM32,
	PCI_BAR_MEM64,      /* this BAR and the next one */
	PCI_BAR_MEM64_HIGH, /* upper half of the previous MEM64 BAR */
	PCI_BAR_IO,
	PCI_BAR_BAD, /* reserved type, a size that is not a power of
				 * two, or a 64-bit BAR in the last slot */
};

struct pci_bar {
	uint64_t base; /* bus address or I/O port, as assigned */
	uint64_t size; /* 0 when not implemented */
	uint8_t type;  /* enum pci_bar_type */
	bool prefetchable;
};

/* A virtio vendor capability (virtio 1.x, 4.1.4): which structure lives
 * where. */
struct pci_virtio_cap {
	uint8_t cap_off;  /* in configuration space */
	uint8_t cfg_type; /* VIRTIO_PCI_CAP_*_CFG */
	uint8_t bar;
	uint8_t id;
	uint32_t offset, length;
	uint32_t notify_off_multiplier; /* cfg_type 2 only */
};

struct pci_caps {
	uint8_t msi; /* offsets of the capabilities; 0 if absent */
	uint8_t msix;
	uint8_t pcie;
	bool msi_64bit;
	bool msi_maskable;
	uint8_t msi_vectors; /* 1 << Multiple Message Capable */
	uint16_t msix_size;  /* table entries */
	uint8_t msix_table_bir, msix_pba_bir;
	uint32_t msix_table_off, msix_pba_off;
	uint8_t pcie_type; /* device/port type of the PCIe capability */
	struct pci_virtio_cap virtio[PCI_MAX_VENDOR_CAPS];
	uint8_t virtio_count;
	uint8_t count;   /* capabilities in the list */
	status_t status; /* STATUS_BAD_FORMAT: the list had a loop, a
				 * pointer into the header or a truncated entry;
				 * what came before it is kept */
};

struct pci_function {
	uint8_t bus, dev, fn;
	uint16_t vendor, device;
	uint16_t subsys_vendor, subsys_id;
	uint8_t class_code, subclass, prog_if, revision;
	uint8_t header_type; /* without the multi-function bit */
	bool multifunction;
	uint16_t command;                       /* as found */
	uint8_t secondary_bus, subordinate_bus; /* header type 1 */
	struct pci_bar bars[PCI_MAX_BARS];
	uint8_t bar_count; /* 6 for type 0, 2 for type 1, 0 otherwise */
	struct pci_bar rom;
	struct pci_caps caps;
	status_t status; /* STATUS_OK, or what was wrong with it */
};

struct pci_enum {
	struct pci_function *fns; /* caller's table */
	size_t cap;
	size_t count;
	size_t dropped;                    /* functions beyond cap */
	uint32_t bridges_skipped;          /* bridges with bad or repeated bus numbers */
	uint8_t bus_seen[PCI_MAX_BUS / 8]; /* walk state */
	uint8_t queue[PCI_MAX_BUS];
	unsigned queued;
};

/* ---- enumeration ------------------------------------------------------- */

/*
 * Decodes the function at (bus, dev, fn) into *out: identity, header type,
 * BARs (sized, see pci_size_bars), bridge bus numbers and capabilities.
 * Returns STATUS_NOT_FOUND when no function answers (vendor 0xffff),
 * else STATUS_OK; problems with the function are in out->status.
 */
status_t pci_probe(const struct pci_cfg *cfg, uint8_t bus, uint8_t dev, uint8_t fn,
		   struct pci_function *out);

/*
 * Walks the hierarchy from root_bus breadth first, following bridges to the
 * secondary buses the firmware assigned (topod does not renumber), and
 * records every function in e->fns (e->count of them; functions beyond
 * e->cap are counted in e->dropped). Each bus is walked at most once; a
 * bridge whose secondary bus is not above its own bus, is beyond its
 * subordinate bus, or was already walked is recorded but not followed
 * (e->bridges_skipped). Returns STATUS_FULL if functions were dropped,
 * else STATUS_OK. e->fns and e->cap must be set; the rest is reset here.
 */
status_t pci_enumerate(const struct pci_cfg *cfg, uint8_t root_bus, struct pci_enum *e);

/*
 * Sizes the BARs (and the expansion ROM) of a type 0 or type 1 function:
 * with memory and I/O decoding disabled in the command register, writes
 * all ones to each BAR, reads the size mask, restores the BAR, and finally
 * restores the command register. Fills f->bars, f->bar_count and f->rom
 * from the values found. Returns STATUS_BAD_FORMAT if any BAR is
 * PCI_BAR_BAD, else STATUS_OK.
 */
status_t pci_size_bars(const struct pci_cfg *cfg, struct pci_function *f);

/*
 * Walks the capability list of f (status bit 4, pointer at 0x34) into
 * f->caps, with loop and bounds protection. Returns f->caps.status.
 */
status_t pci_read_caps(const struct pci_cfg *cfg, struct pci_function *f);

/*
 * Checks that f's MSI-X table and PBA lie inside memory BARs of f.
 * Returns STATUS_NOT_FOUND without MSI-X, STATUS_BAD_FORMAT otherwise
 * when they do not.
 */
status_t pci_msix_check(const struct pci_function *f);

/* ---- MSI and MSI-X ----------------------------------------------------- */

/* An x86 MSI message: the address and data a device writes. */
struct pci_msi_msg {
	uint64_t address;
	uint32_t data;
};

/*
 * Composes the message for a fixed, edge-triggered interrupt on vector
 * of the local APIC apic_id (physical destination mode). Returns
 * STATUS_RANGE for a vector below 32 (exceptions) or an APIC id above 255
 * (needs interrupt remapping).
 */
status_t pci_msi_compose(uint32_t apic_id, uint8_t vector, struct pci_msi_msg *msg);

/*
 * Programs f's MSI capability with msg (one vector), disables INTx and
 * enables MSI. Returns STATUS_NOT_FOUND without an MSI capability,
 * STATUS_RANGE for a 64-bit address the capability cannot hold.
 */
status_t pci_msi_program(const struct pci_cfg *cfg, const struct pci_function *f,
			 const struct pci_msi_msg *msg);

/* Disables f's MSI (clears the enable bit). */
status_t pci_msi_disable(const struct pci_cfg *cfg, const struct pci_function *f);

/*
 * Writes msg into entry index of the MSI-X table, whose BAR is mapped by
 * m (offsets from the BAR's start), masking the entry while it changes and
 * leaving it masked. Returns STATUS_NOT_FOUND without MSI-X, STATUS_RANGE
 * for index >= the table size.
 */
status_t pci_msix_write(const struct pci_mmio *m, const struct pci_function *f, uint16_t index,
			const struct pci_msi_msg *msg);

/* Masks (mask true) or unmasks entry index of the MSI-X table. */
status_t pci_msix_mask(const struct pci_mmio *m, const struct pci_function *f, uint16_t index,
		       bool mask);

/*
 * Enables MSI-X on f (enable bit set, function mask cleared) and disables
 * INTx, or disables MSI-X when enable is false.
 */
status_t pci_msix_enable(const struct pci_cfg *cfg, const struct pci_function *f, bool enable);

/* ---- what a driver may write ------------------------------------------- */

/* What a driver was granted: one function, and bus mastering if its
 * manifest asked for it. */
struct pci_grant {
	uint8_t bus, dev, fn;
	bool bus_master;
};

/*
 * Decides a configuration write a driver asks topod to make on its
 * function f (probed by topod): width bytes of val at off of (bus, dev,
 * fn), the function having cfg_size bytes of configuration space.
 * Returns STATUS_OK when topod may forward it; STATUS_INVALID for a width
 * other than 1, 2, 4, a misaligned offset or one beyond cfg_size;
 * STATUS_NO_RIGHTS for another function than the granted one, any header
 * register but command/status (BARs, ROM, bus numbers, interrupt line:
 * nothing that moves or re-routes the device), setting bus mastering the
 * grant does not include, or the MSI capability (topod programs MSI
 * itself).
 */
status_t pci_policy_write(const struct pci_function *f, const struct pci_grant *g, uint8_t bus,
			  uint8_t dev, uint8_t fn, uint16_t off, unsigned width, uint32_t val,
			  uint16_t cfg_size);

#endif
