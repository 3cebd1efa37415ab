/*
 * keel/virtio.h - the modern virtio-pci transport (virtio 1.0 and later)
 * and split virtqueues, for Keel's drivers (blkd now, netd's virtio-net
 * later).
 *
 * The device's structures live in its BARs; the driver reaches them only
 * through struct virtio_io (BAR number, offset, width), which the service
 * implements over its mapped BARs and the host tests over a device model
 * (libsys/tests/virtio_model.c). virtio_locate() finds the common, notify,
 * ISR and device-specific structures from the vendor capabilities.
 *
 * Bring-up, in this order (virtio 1.x, 3.1.1):
 *   virtio_init        remember the accessors and layout (no I/O)
 *   virtio_start       reset, ACKNOWLEDGE, DRIVER, negotiate features
 *                      (VIRTIO_F_VERSION_1 always required), FEATURES_OK
 *                      and check the device kept it
 *   virtio_set_config_vector, virtio_queue_setup for each queue (size,
 *                      MSI-X vector read back, ring addresses, enable)
 *   virtio_config_read the device-specific configuration
 *   virtio_driver_ok   DRIVER_OK: only now may queues be used
 * Any failure sets FAILED in the device status; virtio_health() reports a
 * device that asks for a reset (DEVICE_NEEDS_RESET) so the driver can reset
 * and start over.
 *
 * Queues. A split virtqueue lives in DMA memory the caller provides, with
 * its physical address (virtq_bytes() says how much). The driver keeps its
 * own copy of everything it needs to trust - the free list, each chain's
 * length, its writable byte count and token - in struct virtq, never in
 * the shared memory. Each value read from the device is validated: a used
 * index may advance by at most the number of chains in flight, a used id
 * must be the head of a chain in flight, a used length may not exceed the
 * chain's writable bytes. A bad index or id marks the queue broken
 * (STATUS_BAD_FORMAT from then on) and the driver resets the device; a bad
 * length fails only that chain. No device behaviour makes the driver write
 * outside its queue memory or hand out a descriptor twice.
 *
 * Ordering. Descriptors and the avail ring entry are written before the
 * avail index is published with a release store; the decision to notify
 * reads the device's suppression word after a full fence; the used index
 * is read with acquire before the entries it covers. Virtio 1.x rings are
 * little-endian, as Keel's targets are.
 *
 * Nothing here allocates or keeps global state; one struct virtq per queue,
 * used by one thread.
 */
#ifndef KEEL_VIRTIO_H
#define KEEL_VIRTIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/status.h"

/* Device status bits. */
#define VIRTIO_STATUS_ACKNOWLEDGE 0x01u
#define VIRTIO_STATUS_DRIVER 0x02u
#define VIRTIO_STATUS_DRIVER_OK 0x04u
#define VIRTIO_STATUS_FEATURES_OK 0x08u
#define VIRTIO_STATUS_NEEDS_RESET 0x40u
#define VIRTIO_STATUS_FAILED 0x80u

/* Transport feature bits. */
#define VIRTIO_F_INDIRECT_DESC 28
#define VIRTIO_F_EVENT_IDX 29
#define VIRTIO_F_VERSION_1 32
#define VIRTIO_F_ACCESS_PLATFORM 33
#define VIRTIO_F_RING_PACKED 34
#define VIRTIO_BIT(n) (1ull << (n))

/* Vendor capability types (cfg_type). */
#define VIRTIO_PCI_CAP_COMMON_CFG 1
#define VIRTIO_PCI_CAP_NOTIFY_CFG 2
#define VIRTIO_PCI_CAP_ISR_CFG 3
#define VIRTIO_PCI_CAP_DEVICE_CFG 4
#define VIRTIO_PCI_CAP_PCI_CFG 5

/* Common configuration structure offsets. */
#define VIRTIO_COMMON_DFSELECT 0
#define VIRTIO_COMMON_DF 4
#define VIRTIO_COMMON_GFSELECT 8
#define VIRTIO_COMMON_GF 12
#define VIRTIO_COMMON_MSIX 16
#define VIRTIO_COMMON_NUMQ 18
#define VIRTIO_COMMON_STATUS 20
#define VIRTIO_COMMON_CFGGEN 21
#define VIRTIO_COMMON_Q_SELECT 22
#define VIRTIO_COMMON_Q_SIZE 24
#define VIRTIO_COMMON_Q_MSIX 26
#define VIRTIO_COMMON_Q_ENABLE 28
#define VIRTIO_COMMON_Q_NOFF 30
#define VIRTIO_COMMON_Q_DESC 32
#define VIRTIO_COMMON_Q_AVAIL 40
#define VIRTIO_COMMON_Q_USED 48
#define VIRTIO_COMMON_LEN 56 /* the virtio 1.0 structure */

#define VIRTIO_MSI_NO_VECTOR 0xffffu
#define VIRTQ_MAX_SIZE 256 /* entries this driver uses at most per queue */

/* Descriptor flags. */
#define VIRTQ_DESC_F_NEXT 1u
#define VIRTQ_DESC_F_WRITE 2u
#define VIRTQ_DESC_F_INDIRECT 4u
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1u
#define VIRTQ_USED_F_NO_NOTIFY 1u

/* Access to the device's BARs. width is 1, 2 or 4; offsets are aligned. */
struct virtio_io {
	uint32_t (*read)(void *ctx, uint8_t bar, uint64_t off, unsigned width);
	void (*write)(void *ctx, uint8_t bar, uint64_t off, unsigned width, uint32_t val);
	void *ctx;
};

/* One vendor capability (virtio 1.x 4.1.4). */
struct virtio_cap {
	uint8_t cfg_type;
	uint8_t bar;
	uint32_t offset, length;
	uint32_t notify_off_multiplier; /* VIRTIO_PCI_CAP_NOTIFY_CFG only */
};

/* A structure's place: length bytes at offset in BAR bar. */
struct virtio_region {
	uint8_t bar;
	uint32_t offset, length;
};

struct virtio_layout {
	struct virtio_region common, notify, isr, device;
	uint32_t notify_mult;
	bool has_device; /* some devices have no device-specific config */
};

/*
 * Decodes a vendor capability from its configuration-space bytes (cap[0]
 * is the capability id 0x09, len bytes readable). Returns STATUS_BAD_FORMAT
 * for a wrong id, a cap_len shorter than 16 (20 for the notify capability)
 * or longer than len.
 */
status_t virtio_cap_decode(const uint8_t *cap, size_t len, struct virtio_cap *out);

/*
 * Picks the first usable capability of each type (virtio 1.x: a driver
 * uses the first it understands): its BAR below 6 with a non-zero size
 * in bar_size, its range inside the BAR, and at least the structure's
 * minimum length (common 56, notify 2, ISR 1). Returns STATUS_NOT_FOUND
 * when common, notify or ISR is missing.
 */
status_t virtio_locate(const struct virtio_cap *caps, size_t n, const uint64_t bar_size[6],
		       struct virtio_layout *out);

struct virtio_dev {
	struct virtio_io io;
	struct virtio_layout l;
	uint64_t features; /* negotiated */
	uint16_t num_queues;
	uint8_t status;      /* last written */
	uint32_t poll_limit; /* reads of a register before STATUS_TIMEOUT */
};

/* Remembers io and layout in d. No device access. */
void virtio_init(struct virtio_dev *d, const struct virtio_io *io, const struct virtio_layout *l);

/* Writes 0 to device_status and waits until it reads 0. Returns
 * STATUS_TIMEOUT when it does not within d->poll_limit reads. */
status_t virtio_reset(struct virtio_dev *d);

/*
 * Resets the device and negotiates features: offers the device's features
 * & wanted, which must include every bit of required (VIRTIO_F_VERSION_1
 * is always required and always wanted), sets FEATURES_OK and checks the
 * device kept it. Stores the result in d->features and the queue count in
 * d->num_queues. Returns STATUS_NOT_FOUND when the device lacks a required
 * feature, STATUS_INVALID when it refuses FEATURES_OK, STATUS_TIMEOUT when
 * the reset does not finish; each sets FAILED.
 */
status_t virtio_start(struct virtio_dev *d, uint64_t wanted, uint64_t required);

/* Sets the MSI-X vector for configuration changes and reads it back.
 * Returns STATUS_FULL when the device did not accept it. */
status_t virtio_set_config_vector(struct virtio_dev *d, uint16_t vector);

/* Sets DRIVER_OK. Returns STATUS_INVALID unless FEATURES_OK was reached. */
status_t virtio_driver_ok(struct virtio_dev *d);

/* Sets FAILED: the driver gives up on the device. */
void virtio_fail(struct virtio_dev *d);

/*
 * Reads device_status. Returns STATUS_DEAD when the device asks for a
 * reset (DEVICE_NEEDS_RESET) or no longer shows DRIVER_OK after it was
 * set (it was reset under the driver), else STATUS_OK.
 */
status_t virtio_health(struct virtio_dev *d);

/* Reads and clears the ISR status (bit 0: queue, bit 1: configuration). */
uint8_t virtio_isr(struct virtio_dev *d);

/*
 * Copies len bytes at off of the device-specific configuration into buf,
 * repeating until config_generation is the same before and after (at most
 * d->poll_limit times). Returns STATUS_NOT_FOUND without device config,
 * STATUS_RANGE when [off, off + len) is outside it, STATUS_TIMEOUT when the
 * generation keeps changing.
 */
status_t virtio_config_read(struct virtio_dev *d, uint32_t off, void *buf, uint32_t len);

/* ---- MSI-X ----------------------------------------------------------------- */

/*
 * The function's MSI-X table (PCI 3.0 6.8.2): entries of 16 bytes (message
 * address low, message address high, message data, vector control) at
 * offset in BAR bar, which the driver maps; topod says where it is
 * (TOPO_CFG_MSIX) and hands out one message per entry. A virtio driver
 * programs an entry per vector, then enables MSI-X in the capability's
 * message control (configuration space, through topod), then names the
 * entries in the common configuration: virtio_set_config_vector and each
 * virtio_queue_setup, which read the number back (VIRTIO_MSI_NO_VECTOR
 * there means the device refused it: STATUS_FULL).
 */
#define VIRTIO_MSIX_ENTRY_BYTES 16u
#define VIRTIO_MSIX_CTRL_MASKED 1u

struct virtio_msix {
	uint8_t bar;
	uint32_t offset;  /* of entry 0 in the BAR, 8-byte aligned */
	uint16_t entries; /* table size */
};

/*
 * Programs entry with the message (address, data): masks the entry,
 * writes address low, address high 0 and data, reads all three back and
 * unmasks it. Returns STATUS_RANGE for an entry past the table or a table
 * that does not fit in 32-bit offsets, STATUS_BAD_FORMAT (the entry left
 * masked) when the read-back differs.
 */
status_t virtio_msix_program(const struct virtio_io *io, const struct virtio_msix *t,
			     uint16_t entry, uint32_t address, uint32_t data);

/* Masks (mask true) or unmasks entry. STATUS_RANGE past the table. */
status_t virtio_msix_mask(const struct virtio_io *io, const struct virtio_msix *t, uint16_t entry,
			  bool mask);

/* ---- split virtqueues ---------------------------------------------------- */

struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

/* One buffer of a chain: physical address and length; device_writes for
 * buffers the device fills. Device-readable buffers come first. */
struct virtq_buf {
	uint64_t phys;
	uint32_t len;
	bool device_writes;
};

/* A harvested chain. status: STATUS_OK, or STATUS_BAD_FORMAT when the
 * device reported more bytes written than the chain could take (len is
 * then 0). */
struct virtq_done {
	uint64_t token;
	uint32_t len;
	status_t status;
};

struct virtq {
	struct virtq_desc *desc; /* shared memory */
	uint16_t *avail;         /* flags, idx, ring[size], used_event */
	uint8_t *used;           /* flags, idx, {id, len}[size], avail_event */
	uint16_t size, index;
	uint64_t notify_off; /* in the notify BAR */
	bool event_idx, broken;
	uint16_t free_head, num_free;
	uint16_t avail_idx;                 /* next avail index to publish */
	uint16_t published;                 /* avail index the device may see */
	uint16_t kicked;                    /* avail index at the last notification */
	uint16_t last_used;                 /* next used index to harvest */
	uint16_t in_flight;                 /* chains added and not harvested */
	uint16_t next[VIRTQ_MAX_SIZE];      /* private free list and chains */
	uint16_t chain_len[VIRTQ_MAX_SIZE]; /* by head; 0: not in flight */
	uint32_t writable[VIRTQ_MAX_SIZE];  /* by head */
	uint64_t token[VIRTQ_MAX_SIZE];     /* by head */
};

/* Bytes of DMA memory a queue of size entries needs (16-byte aligned). */
size_t virtq_bytes(uint16_t size);

/*
 * Sets up queue index: selects it, uses min(want_size, the device's
 * maximum, VIRTQ_MAX_SIZE) rounded down to a power of two, assigns MSI-X
 * vector (VIRTIO_MSI_NO_VECTOR for none) and reads it back, writes the
 * ring addresses (mem at physical phys, mem_len bytes, zeroed here) and
 * enables the queue. Must come after virtio_start and before
 * virtio_driver_ok. Returns STATUS_NOT_FOUND for a queue the device does
 * not have, STATUS_INVALID for misaligned memory or before FEATURES_OK,
 * STATUS_RANGE when mem_len is too small, STATUS_FULL when the device
 * refused the vector, STATUS_BAD_FORMAT when its notify offset lies outside
 * the notify structure.
 */
status_t virtio_queue_setup(struct virtio_dev *d, struct virtq *q, uint16_t index,
			    uint16_t want_size, void *mem, uint64_t phys, size_t mem_len,
			    uint16_t vector);

/*
 * Adds a chain of n buffers (readable ones first, each with a non-zero
 * length) with token, to be published by virtq_kick. Returns STATUS_FULL
 * when fewer than n descriptors are free, STATUS_INVALID for n == 0, a
 * zero length or a readable buffer after a writable one, STATUS_BAD_FORMAT
 * on a broken queue.
 */
status_t virtq_add(struct virtq *q, const struct virtq_buf *bufs, uint16_t n, uint64_t token);

/* Free descriptors. */
uint16_t virtq_free(const struct virtq *q);

/*
 * Publishes every chain added since the last kick (one avail index store)
 * and notifies the device unless it suppressed notifications (used flags,
 * or its avail_event with VIRTIO_F_EVENT_IDX). Returns true if it
 * notified.
 */
bool virtq_kick(struct virtio_dev *d, struct virtq *q);

/*
 * Harvests up to max used chains into out, stores how many in *n, and
 * returns their descriptors to the free list. Returns STATUS_BAD_FORMAT
 * (and marks the queue broken; *n may be non-zero for chains harvested
 * before the fault) when the device's used index or an id is impossible.
 */
status_t virtq_harvest(struct virtq *q, struct virtq_done *out, size_t max, size_t *n);

/*
 * Asks the device for an interrupt on the next used chain (on true) or
 * for none (false). After enabling, returns true when chains are already
 * waiting, which the driver must harvest before sleeping.
 */
bool virtq_interrupts(struct virtq *q, bool on);

/*
 * After the device was reset: stores the tokens of every chain in flight
 * (up to max; the count is returned) and makes the queue empty and usable
 * again in private state only. The queue must be set up again
 * (virtio_queue_setup) before use.
 */
size_t virtq_abandon(struct virtq *q, uint64_t *tokens, size_t max);

#endif
