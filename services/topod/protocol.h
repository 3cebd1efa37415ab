/*
 * protocol.h - topod's protocols: the device registry, the hand-out of
 * devices to drivers, configuration space for drivers, and power.
 *
 * Every request is a call (sys_msg_call); payloads are little-endian and
 * decoded with keel/codec.h. An error comes back as LOOP_REPLY_ERROR with
 * the status. Who may send what is decided by the badge the kernel stamps:
 *
 *   badge 0               initd (it holds topod's unbadged inbox from the
 *                         hello): TOPO_HANDOUT, TOPO_POWER_CAP, and
 *                         everything a client may do
 *   badge 1..2^32-1       a client initd routed to topod (`sends topo`):
 *                         TOPO_DEVICE, TOPO_CORE, TOPO_WATCH, TOPO_CLOCK
 *   TOPO_BADGE_CFG | ...  a driver's configuration capability for one
 *                         function: TOPO_CFG_READ, TOPO_CFG_WRITE
 *   TOPO_BADGE_POWER      the power capability: TOPO_POWER
 *
 * The full description, with the capability flow, is docs/devices.md.
 */
#ifndef KEEL_TOPOD_PROTOCOL_H
#define KEEL_TOPOD_PROTOCOL_H

#include <stdint.h>

/* Registry. */
#define TOPO_DEVICE 0x70d00001u /* u32 index -> struct topo_device_msg */
#define TOPO_CORE 0x70d00002u   /* u32 index -> struct topo_core_msg */
#define TOPO_WATCH                                                                                 \
	0x70d00003u /* u32 device index, u32 generation -> u32 generation,
				 * answered once the device's generation differs */
/* initd only (badge 0). */
#define TOPO_HANDOUT 0x70d00010u   /* struct topo_handout_req -> topo_item_msg + cap */
#define TOPO_POWER_CAP 0x70d00011u /* -> a send capability badged TOPO_BADGE_POWER */
#define TOPO_HANDOUT_LEGACY                                                                        \
	0x70d00013u /* u8 item, u8 driver slot, char name[16] -> topo_item_msg + cap */
#define TOPO_GONE                                                                                  \
	0x70d00012u /* u8 driver slot -> u32 functions stopped: the driver died;
				 * bus mastering and MSI-X go off, then its hand-out ends */
/* A driver's configuration capability. */
#define TOPO_CFG_READ 0x70d00020u  /* u8 bus, dev, fn, width; u16 off -> u32 value */
#define TOPO_CFG_WRITE 0x70d00021u /* u8 bus, dev, fn, width; u16 off; u32 value -> empty */
#define TOPO_CFG_INFO 0x70d00022u  /* -> u8 bus, dev, fn, busmaster; u16 vendor, device */
#define TOPO_CFG_BAR                                                                               \
	0x70d00023u /* u8 bar -> u8 type (pci.h enum pci_bar_type), u8 item
				    * (its start capability), 6 zero bytes, u64 base, u64 size;
				    * NOT_FOUND for a BAR that was not handed out */
#define TOPO_CFG_MSIX                                                                              \
	0x70d00024u /* u16 entry, u16 cpu (0xffff: topod picks) -> struct topo_msix_msg
				    * and the vector's interrupt capability (moved) */
#define TOPO_CFG_DMA                                                                               \
	0x70d00025u /* u32 pages -> u64 physical address, u32 pages, and the
				   * memory capability (moved); busmaster drivers only */
/* Anyone: the wall clock from the RTC (clock.c). Reply: 0 i64 offset_ns
 * (wall-clock ns since 1970 UTC minus the kernel's monotonic ns), 8 u64
 * error_ns (bound at the reading), 16 i64 the RTC's reading (Unix
 * seconds), 24 u64 the monotonic ns of the reading. NOT_FOUND: the RTC gave
 * no usable time. */
#define TOPO_CLOCK 0x70d00040u
/* The power capability. */
#define TOPO_POWER 0x70d00030u /* u32 action (TOPO_POWER_OFF, TOPO_POWER_RESET) -> never */

#define TOPO_POWER_OFF 0u
#define TOPO_POWER_RESET 1u

#define TOPO_BADGE_CFG (1ull << 48)   /* | busmaster << 40 | generation << 16 | function index */
#define TOPO_BADGE_POWER (2ull << 48) /* the power capability */
#define TOPO_BADGE_KIND(b) ((b) & (0xffull << 48))

/*
 * TOPO_CFG_MSIX: an MSI-X vector for one entry of the function's table.
 * topod allocates it (sys_irq_msi_create, charged to topod, at most
 * TOPO_MAX_VECTORS per hand-out), keeps it, and frees it when the
 * hand-out ends (the driver is gone or restarted). Reply (24 bytes):
 *   0 u8 table BAR   1 u8 item (the start capability that maps that BAR)
 *   2 u8 offset of the MSI-X capability in configuration space
 *   3 u8 0           4 u16 table entries   6 u16 entry
 *   8 u32 table offset in the BAR          12 u32 CPU
 *  16 u64 message (abi/msi.h: address in bits 32-63, data in bits 0-31)
 * Errors: NOT_FOUND (no usable MSI-X, or the table's BAR was not handed
 * out), RANGE (entry past the table), BUSY (the entry has a vector),
 * FULL (the hand-out's vectors, or the CPU's), QUOTA (topod's objects).
 */
#define TOPO_CPU_ANY 0xffffu

/* Kinds of devices in the registry. */
enum topo_kind {
	TOPO_KIND_PCI = 0,
	TOPO_KIND_LEGACY = 1, /* a fixed ISA device of the platform */
};

/*
 * TOPO_DEVICE reply (40 bytes):
 *   0 u32 index          4 u32 count (devices in the registry)
 *   8 u8 kind            9 u8 bus, 10 dev, 11 fn (PCI)
 *  12 u16 vendor        14 u16 device
 *  16 u8 class, 17 subclass, 18 prog_if, 19 irq line (0xff: none)
 *  20 u32 generation (hand-outs so far; a watch waits for it to change)
 *  24 char name[16]     NUL-padded: "virtio-blk", "serial", ...
 */
#define TOPO_DEVICE_NAME 16

/*
 * TOPO_CORE reply (24 bytes):
 *   0 u32 index  4 u32 count  8 u32 apic id  12 u32 proximity domain
 *  16 u8 class (enum core_class, classify.h)  18 u16 permille of the fastest
 *  20 u32 score (benchmark units per ms)
 */

/*
 * TOPO_HANDOUT request: 0 u16 vendor, 2 u16 device, 4 u8 busmaster (0/1),
 * 5 u8 item, 6 u8 driver (initd's slot of the driver). initd asks for item
 * 0, 1, ... until NOT_FOUND; asking for item 0 starts a new generation of
 * the function: everything handed out before for it is revoked and its
 * watchers are answered. A driver keeps the function it was first given;
 * a second driver of the same id gets the next function with that id.
 * Reply: 0 u8 item kind, 1 u8 BAR index, 2 u8 bus, 3 dev, 4 fn,
 *        8 u64 base (physical address, port or interrupt line), 16 u64 size,
 *        and the capability (moved).
 */
/*
 * TOPO_HANDOUT_LEGACY request: 0 u8 item, 1 u8 driver (initd's slot),
 * 2 char name[16] (NUL-padded, a registry name: "uart0", "i8042", ...).
 * Item 0 is the device's I/O ports (TOPO_ITEM_BAR_IO), then its second
 * port if it has one (the i8042: 0x60, then 0x64), then its ISA interrupt
 * line (TOPO_ITEM_IRQ) if it has one; then NOT_FOUND. Asking for
 * item 0 claims the device for that driver: a device another driver holds
 * is BUSY (refused and reported on the console); its own driver asking
 * again (a restart) ends the previous hand-out first. The reply has the
 * layout of TOPO_HANDOUT's (bus/dev/fn zero).
 */

enum topo_item {
	TOPO_ITEM_BAR_MMIO = 1, /* MMIO capability for a memory BAR (whole pages) */
	TOPO_ITEM_BAR_IO = 2,   /* I/O port capability for an I/O BAR */
	TOPO_ITEM_IRQ = 3,      /* the function's legacy interrupt line */
	TOPO_ITEM_CONFIG = 4,   /* send capability to topod, badged for the function */
};

#endif
