/*
 * blkd.h - blkd's state: the device (blk.h), the partitions (part.h), the
 * clients' sessions and the requests in flight.
 *
 * device.c brings the device up through what topod handed blkd (its
 * configuration capability, interrupt line and BARs) and reads the
 * partition table; serve.c serves the block protocol (keel/block.h).
 */
#ifndef KEEL_BLKD_BLKD_H
#define KEEL_BLKD_BLKD_H

#include "abi/start.h"
#include "blk.h"
#include "keel/loop.h"
#include "part.h"
#include "protocol.h"

#define BLKD_SESSIONS 16          /* fewer than 32: a session id keeps the slot in 5 bits */
#define BLKD_SESSIONS_PER_BADGE 4 /* a 5th open ends the oldest idle one */
#define BLKD_SHM_PAGES 256        /* shared memory blkd maps per session (1 MiB) */
#define BLKD_PENDING_SHM 8        /* BLKP_SHM waiting for their BLKP_OPEN */
#define BLKD_MAX_DEVS 9           /* the whole disk and up to 8 partitions */

struct blkd_session {
	bool used;
	uint64_t badge;
	uint64_t opened; /* open sequence number: the oldest goes first */
	uint32_t dev;    /* index into devs */
	cap_handle_t mem;
	uint8_t *va;
	uint32_t pages;
	uint64_t phys[BLKD_SHM_PAGES];
};

struct blkd_shm {
	uint64_t badge, nonce;
	cap_handle_t mem; /* CAP_HANDLE_NONE: free */
};

struct blkd_req {
	cap_handle_t reply; /* CAP_HANDLE_NONE: free */
	uint32_t session;   /* 1-based */
	struct blk_seg segs[BLK_MAX_SEGS];
};

/* MSI-X table entries blkd uses: one for configuration changes, one per
 * queue (virtio-blk has one request queue here). */
#define BLKD_VEC_CONFIG 0
#define BLKD_VEC_QUEUE 1
#define BLKD_VECTORS 2

struct blkd {
	const struct keel_start *s;
	cap_handle_t cfg, irq, inbox;
	bool msix;                      /* interrupts by MSI-X, else the INTx line */
	cap_handle_t vec[BLKD_VECTORS]; /* MSI-X vectors, by table entry */
	struct virtio_msix msix_table;  /* where the table is */
	uint8_t msix_cap;               /* the capability's offset in config space */
	struct loop loop;
	uint8_t bus, dev, fn;
	volatile uint8_t *bar_va[6];
	uint64_t bar_size[6];
	struct virtio_layout layout;
	struct virtio_io io;
	struct blk_dev b;
	uint8_t *dma;
	uint64_t dma_phys;
	size_t dma_len;
	uint8_t *scratch; /* two DMA pages for synchronous reads */
	uint64_t scratch_phys;
	struct blk_journal journal;
	struct part_table table;
	struct blk_part devs[BLKD_MAX_DEVS]; /* 0: the whole disk; k: partition index k */
	uint32_t dev_index[BLKD_MAX_DEVS];   /* partition table index of devs[k] */
	uint32_t ndevs;
	struct blkd_session sessions[BLKD_SESSIONS];
	struct blkd_shm shm[BLKD_PENDING_SHM];
	struct blkd_req reqs[BLK_DEPTH];
	uint32_t in_flight;
	uint64_t opens;
	bool poll_armed;
	uint64_t completed;
};

/* device.c */
status_t blkd_device_start(struct blkd *d);
status_t blkd_partitions(struct blkd *d);

/* serve.c */
status_t blkd_register(struct blkd *d);
/* Harvests completions and answers their clients. */
void blkd_harvest(struct blkd *d);

#endif
