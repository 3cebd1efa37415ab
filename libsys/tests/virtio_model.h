/*
 * virtio_model.h - a modern virtio-pci device for host tests: it plays the
 * device side of keel/virtio.h over the same memory and checks the
 * driver's protocol.
 *
 * Layout as QEMU's: everything in BAR 4, common configuration at 0x0000,
 * ISR at 0x1000, device configuration at 0x2000, notifications at 0x3000
 * with a multiplier of 4. DMA memory is one buffer the test owns, seen by
 * the device at physical address dma_phys.
 *
 * Checked (each breach counts a violation and records a message): status
 * bits set in order and never cleared except by reset; features written
 * only between DRIVER and FEATURES_OK and only ones offered; VERSION_1
 * accepted (else FEATURES_OK is refused); queues set up only between
 * FEATURES_OK and DRIVER_OK with a power-of-two size within the maximum and
 * ring addresses inside DMA memory; no notification before DRIVER_OK; the
 * avail index moving forward by at most the queue size; chains well formed
 * (heads and next indices in range, no loops, readable before writable,
 * buffers inside DMA memory, no descriptor in two chains in flight).
 *
 * Behaviour: a handler (set by the test) serves each chain and returns
 * the bytes it wrote; completions are pushed at once, or held until
 * vm_complete() when hold is set. Misbehaviour on request (misbehave
 * flags) tests the driver's defences.
 */
#ifndef KEEL_VIRTIO_MODEL_H
#define KEEL_VIRTIO_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "keel/virtio.h"

#define VM_BAR 4
#define VM_COMMON 0x0000u
#define VM_ISR 0x1000u
#define VM_DEVICE 0x2000u
#define VM_NOTIFY 0x3000u
#define VM_NOTIFY_MULT 4u
#define VM_QUEUES 4
#define VM_QMAX 1024
#define VM_MAX_SEGS 64
#define VM_DEVCFG 256
#define VM_MSIX_BAR 1 /* the MSI-X table and PBA, as QEMU places them */
#define VM_MSIX_TABLE 0x000u
#define VM_MSIX_PBA 0x800u
#define VM_MSIX_MAX 8

/* Misbehaviour, applied to completions while set. */
enum {
	VM_BAD_ID = 1 << 0,   /* used id outside the queue */
	VM_DUP_ID = 1 << 1,   /* every completion pushed twice */
	VM_BAD_LEN = 1 << 2,  /* used length beyond the chain's writable bytes */
	VM_IDX_JUMP = 1 << 3, /* used index advanced past what was pushed */
	VM_IDX_BACK = 1 << 4, /* used index moved backwards */
	VM_NOT_HEAD = 1 << 5, /* used id is a descriptor inside a chain */
};

struct vm_seg {
	uint8_t *p;
	uint32_t len;
	bool writable;
};

/* Serves one chain; returns the bytes written into its writable part. */
typedef uint32_t (*vm_handler)(void *ctx, struct vm_seg *segs, unsigned n);

struct vm_held {
	uint16_t queue, head;
	uint32_t written;
};

/* One MSI-X table entry, and what the device did with it. */
struct vm_msix_entry {
	uint32_t addr_lo, addr_hi, data, ctrl;
	bool pending;  /* raised while masked: sent at the unmask */
	unsigned sent; /* messages written */
};

struct vm_queue {
	uint16_t max, size, vector, enable, notify_off;
	uint64_t desc, avail, used;
	uint16_t last_avail, used_idx;
	uint32_t chains;             /* chains served */
	uint8_t busy[VM_QMAX];       /* descriptor belongs to a chain in flight */
	uint16_t link[VM_QMAX];      /* next descriptor of a chain in flight */
	uint16_t chain_len[VM_QMAX]; /* by head */
};

struct virtio_model {
	uint8_t *dma;
	uint64_t dma_phys;
	size_t dma_len;

	uint64_t offered, driver_features;
	uint32_t dfsel, gfsel;
	uint8_t status, generation, isr;
	uint16_t config_vector, num_queues, qsel, msix_vectors;
	struct vm_queue q[VM_QUEUES];
	uint8_t devcfg[VM_DEVCFG];
	uint32_t devcfg_len;

	vm_handler handler;
	void *handler_ctx;
	bool hold;
	struct vm_held held[VM_QMAX];
	unsigned held_count;

	unsigned misbehave;
	bool refuse_features_ok, reset_stuck, suppress_notify;
	unsigned generation_flips; /* config reads see this many changes */

	/* MSI-X (the table in BAR VM_MSIX_BAR, msix_vectors entries; the
	 * capability's enable and function mask are set by the test, as
	 * topod's configuration writes would). Without it enabled the device
	 * interrupts through the ISR (INTx). */
	struct vm_msix_entry msix[VM_MSIX_MAX];
	bool msix_enabled, msix_function_mask;
	bool msix_table_stuck;              /* misbehaviour: the table ignores writes */
	unsigned msix_sent, msix_no_vector; /* messages; events without a vector */
	uint32_t last_addr, last_data;      /* the last message written */

	unsigned violations;
	char last_violation[160];
	unsigned notifies, interrupts, resets;
};

/* Sets up a device with num_queues queues of max size qmax, offering
 * features, over the test's DMA buffer. */
void vm_init(struct virtio_model *m, uint8_t *dma, uint64_t dma_phys, size_t dma_len,
	     uint64_t features, uint16_t num_queues, uint16_t qmax);

/* The accessors the driver uses, and the vendor capabilities and BAR sizes
 * it finds the structures with. */
struct virtio_io vm_io(struct virtio_model *m);
size_t vm_caps(struct virtio_cap *caps, size_t max, uint64_t bar_size[6]);

/* Pushes up to n held completions (all when n is 0), newest first when
 * reverse; raises an interrupt as the driver asked. Returns how many. */
unsigned vm_complete(struct virtio_model *m, unsigned n, bool reverse);

/* An interrupt for vector (an MSI-X entry) and ISR bit: a message when
 * MSI-X is enabled (held while masked; none for VIRTIO_MSI_NO_VECTOR),
 * else the ISR bit (INTx). */
void vm_raise(struct virtio_model *m, uint16_t vector, uint8_t isr_bit);

/* The device asks for a reset (DEVICE_NEEDS_RESET). */
void vm_needs_reset(struct virtio_model *m);

/* Host pointer of [phys, phys + len) in DMA memory, or NULL. */
uint8_t *vm_ptr(struct virtio_model *m, uint64_t phys, uint64_t len);

#endif
