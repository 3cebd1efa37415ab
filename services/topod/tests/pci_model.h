/*
 * pci_model.h - a PCI configuration-space model for topod's host tests.
 *
 * It serves the configuration spaces recorded from QEMU
 * (tests/data/machines/NAME/pci.txt) and behaves like hardware where the
 * code under test writes: a BAR reads back its size mask after all ones
 * are written (from the sizes recorded in sysfs), the ROM BAR likewise,
 * and the command register and capabilities take what is written. It
 * counts protocol violations: sizing a BAR while its decoding is enabled.
 * Tests may also add synthetic functions and corrupt bytes.
 */
#ifndef KEEL_TOPOD_PCI_MODEL_H
#define KEEL_TOPOD_PCI_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "pci.h"

#define MODEL_MAX_FNS 32

struct model_fn {
	uint8_t bus, dev, fn;
	uint16_t cfg_size;
	uint8_t cfg[4096];
	uint8_t orig[4096];   /* as loaded, for restore checks */
	uint64_t bar_size[6]; /* from the resource file; 0 = unimplemented */
	uint64_t rom_size;
};

struct pci_model {
	struct model_fn fns[MODEL_MAX_FNS];
	unsigned count;
	unsigned writes;
	unsigned violations; /* BAR sized with decoding enabled */
	uint32_t cf8;        /* legacy address latch */
	unsigned port_accesses;
};

/* Loads path (pci.txt format) into m; returns false on any error. */
bool model_load(struct pci_model *m, const char *path);

/* The function at (bus, dev, fn), or NULL. */
struct model_fn *model_find(struct pci_model *m, uint8_t bus, uint8_t dev, uint8_t fn);

/* Adds an all-zero function with 256 bytes of configuration space. */
struct model_fn *model_add(struct pci_model *m, uint8_t bus, uint8_t dev, uint8_t fn);

/* True when every function's configuration space equals what was loaded. */
bool model_unchanged(const struct pci_model *m);

struct pci_cfg model_cfg(struct pci_model *m);
struct pci_ports model_ports(struct pci_model *m);

#endif
