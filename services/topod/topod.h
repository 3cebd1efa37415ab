/*
 * topod.h - topod's state: what it found (ACPI, PCI, legacy devices,
 * cores), what it has handed out, and the capabilities it holds.
 *
 * discover.c fills the tables at start; registry.c serves protocol.h;
 * bench.c measures the cores; power.c powers off and resets. The state is
 * one struct, owned by main.c.
 */
#ifndef KEEL_TOPOD_TOPOD_H
#define KEEL_TOPOD_TOPOD_H

#include <stdbool.h>
#include <stdint.h>

#include "abi/start.h"
#include "acpi_root.h"
#include "acpi_tables.h"
#include "classify.h"
#include "keel/loop.h"
#include "lib/acpi.h"
#include "pci.h"
#include "protocol.h"
#include "rtc.h"

#define TOPO_MAX_FNS 64
#define TOPO_MAX_LEGACY 8
#define TOPO_MAX_WATCH 16
#define TOPO_MAX_MAPS 24
#define TOPO_MAX_VECTORS 4                   /* MSI-X vectors per hand-out of a function */
#define TOPO_MAX_DMA 4                       /* DMA memory objects per hand-out */
#define TOPO_MAX_DMA_PAGES 64                /* and their pages together */
#define TOPO_ECAM_ADDR 0x0000300000000000ull /* topod's own: beyond libsys's region */

/* A fixed ISA device of the platform (QEMU pc and q35 place them alike). */
struct topo_legacy {
	const char *name;
	uint16_t port, ports;  /* first I/O port and how many */
	uint16_t port2;        /* a second, single port (the i8042's 0x64); 0: none */
	uint8_t irq;           /* ISA line, 0xff for none */
	uint32_t owner;        /* initd's slot of its driver + 1; 0: none */
	cap_handle_t parts[3]; /* ports and line split for the driver */
	uint32_t nparts;
};

/* What topod has handed out for one PCI function. */
struct topo_grant {
	uint32_t gen;                         /* hand-outs of this function so far */
	bool busmaster;                       /* the current driver may master the bus */
	uint32_t owner;                       /* initd's slot of its driver + 1; 0: none */
	cap_handle_t cfg_parent;              /* revoked to end the driver's config access */
	cap_handle_t parts[PCI_MAX_BARS + 1]; /* BAR and IRQ parts split for it */
	uint32_t nparts;
	cap_handle_t vectors[TOPO_MAX_VECTORS];  /* MSI-X vectors allocated for it */
	uint16_t vector_entry[TOPO_MAX_VECTORS]; /* the table entry of each */
	uint32_t nvectors;
	cap_handle_t dma[TOPO_MAX_DMA]; /* DMA memory, freed after bus mastering is off */
	uint32_t ndma, dma_pages;
};

struct topo_watch {
	cap_handle_t reply; /* CAP_HANDLE_NONE: free */
	uint32_t dev, gen;
};

struct topo_map {
	uint64_t phys, bytes;
	const uint8_t *va;
};

struct topo {
	const struct keel_start *start;
	cap_handle_t ports_root, mmio_root, irq_root; /* from initd: `roots devices` */
	cap_handle_t inbox;
	struct loop loop;

	struct topo_map maps[TOPO_MAX_MAPS]; /* ACPI windows, kept while discovering */
	uint32_t nmaps;
	struct acpi_root root;
	struct acpi_madt_info madt;
	struct acpi_fadt fadt;
	bool has_fadt, has_s5, has_srat;
	struct acpi_sleep_type s5;
	struct acpi_mcfg mcfg;
	struct acpi_srat srat;

	bool ecam; /* configuration space through ECAM (else the legacy ports) */
	struct pci_ecam_map ecam_map;
	struct pci_ports ports;
	struct pci_cfg cfg;
	struct pci_function fns[TOPO_MAX_FNS];
	struct topo_grant grants[TOPO_MAX_FNS];
	uint32_t nfns, fns_dropped;
	struct topo_legacy legacy[TOPO_MAX_LEGACY];
	uint32_t nlegacy;

	struct core_result cores[ACPI_MAX_CPUS];
	uint32_t ncores;
	uint64_t fastest;

	struct topo_watch watch[TOPO_MAX_WATCH];
	uint32_t next_cpu;       /* the CPU of the next MSI-X vector topod picks */
	uint64_t vectors_live;   /* MSI-X vectors held for drivers now */
	uint64_t vectors_made;   /* ... allocated since start */
	uint64_t gone;           /* drivers initd reported gone */
	struct topo_clock clock; /* clock.c: the RTC's reading at start */
};

/* discover.c: reads ACPI, enumerates PCI, lists the legacy devices. */
status_t topo_discover(struct topo *t);
/* Writes the registry to the debug console (if topod was given it). */
void topo_log(struct topo *t);
/* The name of a function for the registry ("virtio-blk", "bridge", ...). */
const char *topo_fn_name(const struct pci_function *f);

/* bench.c: measures every core and classifies it (t->cores). */
status_t topo_bench(struct topo *t);

/* The hand-out item of BAR bar of function i (-1: not handed out). */
int topo_bar_item(struct topo *t, uint32_t i, uint8_t bar);

/* registry.c: registers the protocol.h handlers on t->loop. */
status_t topo_register(struct topo *t);
/* registry.c: stops function i's DMA and messages (bus mastering and
 * MSI-X off) before anything of its hand-out is freed; returns the
 * command register as it was. */
uint16_t topo_quiesce(struct topo *t, uint32_t i);

/* legacy.c: hands a legacy device to its one driver (TOPO_HANDOUT_LEGACY)
 * and ends the hand-outs of a driver that is gone. */
status_t topo_legacy_register(struct topo *t);
void topo_legacy_gone(struct topo *t, uint32_t slot);

/* config.c: registers the configuration capability's handlers. */
status_t topo_cfg_register(struct topo *t);

/* power.c: ACPI S5, or the reset register, i8042 and triple fault. Returns
 * only if every way failed. */
status_t topo_power(struct topo *t, uint32_t action);

/* clock.c: reads the RTC (t->clock) and logs it; registers TOPO_CLOCK. */
void topo_clock_init(struct topo *t);
status_t topo_clock_register(struct topo *t);

/* Port I/O on ports topod enabled for itself. */
uint32_t topo_in(uint16_t port, unsigned width);
void topo_out(uint16_t port, unsigned width, uint32_t val);
/* Enables ports [first, first + count) for topod (split off the root). */
status_t topo_ports_enable(struct topo *t, uint16_t first, uint16_t count);

#endif
