/*
 * fake_kernel.h - a single-threaded stand-in for the kernel, for running
 * a service's unmodified handlers and event loop in a host test.
 *
 * It implements the sysops table (keel/sysops.h) over an inbox ring in
 * test memory, one signal word and a clock that moves only when the
 * service waits. A test posts messages or calls into the inbox, runs
 * loop turns, and reads back what the service sent and replied.
 *
 * A service's own tests run it whole under the real kernel in-process
 * (host_kernel.h, docs/host-port.md). The fake stays for what the real
 * kernel cannot be made to do on demand: a test here controls every
 * result the loop sees, so it can make any call fail.
 */
#ifndef KEEL_FAKE_KERNEL_H
#define KEEL_FAKE_KERNEL_H

#include "keel/sysops.h"

#define FAKE_KERNEL_LOG 64

struct fake_kernel {
	struct sysops ops; /* ops.ctx points back here */
	uint64_t now;      /* ns; advanced by waits that time out */
	uint64_t signals;
	struct inbox_ring *ring;
	uint32_t capacity;
	uint64_t inbox_bit;
	cap_handle_t next_cap; /* handles handed out for reply caps */
	uint32_t nreplies, nsent, waits;
	struct keel_msg replies[FAKE_KERNEL_LOG]; /* what the service answered */
	cap_handle_t replied_to[FAKE_KERNEL_LOG]; /* ...to which reply cap */
	struct keel_msg sent[FAKE_KERNEL_LOG];    /* what it sent with msg_send */
	cap_handle_t sent_to[FAKE_KERNEL_LOG];
};

/* Sets fk up over ring memory of inbox_ring_bytes(capacity) bytes. */
void fake_kernel_init(struct fake_kernel *fk, void *ring, uint32_t capacity, unsigned inbox_bit);

/* Puts m in the inbox as the kernel would (badge as given) and raises the
 * inbox bit. Returns STATUS_FULL when the ring is full. */
status_t fake_kernel_post(struct fake_kernel *fk, const struct keel_msg *m);

/* Posts m as a call, carrying a fresh grant-once reply capability whose
 * handle it returns (CAP_HANDLE_NONE if the ring is full). */
cap_handle_t fake_kernel_call(struct fake_kernel *fk, const struct keel_msg *m);

/* The reply the service gave to reply capability h, or NULL. */
const struct keel_msg *fake_kernel_reply(const struct fake_kernel *fk, cap_handle_t h);

#endif
