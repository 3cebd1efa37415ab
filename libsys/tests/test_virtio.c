/*
 * test_virtio.c - the virtio-pci transport and split virtqueues
 * (keel/virtio.h) against the device model (virtio_model.h), which checks
 * the driver's side of the protocol and misbehaves on request.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "keel/virtio.h"
#include "virtio_model.h"

#define PHYS 0x10000000ull
#define FEATURES                                                                                   \
	(VIRTIO_BIT(VIRTIO_F_VERSION_1) | VIRTIO_BIT(VIRTIO_F_EVENT_IDX) | VIRTIO_BIT(9) |         \
	 VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM))

static _Alignas(4096) uint8_t dma[1 << 20];
static struct virtio_model model;
static struct virtio_dev dev;
static struct virtq vq;

/* The vendor capabilities of the recorded QEMU -M pc disk 00:04.0
 * (tests/data/machines/pc/pci.txt, configuration bytes 0x40-0x97). */
static const uint8_t qemu_caps[] = {
	0x09, 0x00, 0x10, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00,
	0x00, 0x09, 0x40, 0x10, 0x03, 0x04, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x10,
	0x00, 0x00, 0x09, 0x50, 0x10, 0x04, 0x04, 0x00, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00,
	0x10, 0x00, 0x00, 0x09, 0x60, 0x14, 0x02, 0x04, 0x00, 0x00, 0x00, 0x00, 0x30, 0x00, 0x00,
	0x00, 0x10, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x09, 0x70, 0x14, 0x05, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* Echo device: copies the readable bytes into the writable ones. */
static uint32_t echo(void *ctx, struct vm_seg *segs, unsigned n)
{
	uint8_t buf[65536];
	uint32_t in = 0, out = 0;

	(void)ctx;
	for (unsigned i = 0; i < n; i++) {
		if (!segs[i].writable) {
			uint32_t k = segs[i].len < sizeof buf - in ? segs[i].len
								   : (uint32_t)(sizeof buf - in);

			memcpy(buf + in, segs[i].p, k);
			in += k;
		} else {
			uint32_t k = in - out < segs[i].len ? in - out : segs[i].len;

			memcpy(segs[i].p, buf + out, k);
			out += k;
			if (k < segs[i].len)
				break;
		}
	}
	return out;
}

static void device(uint64_t features, uint16_t qmax)
{
	struct virtio_cap caps[4];
	uint64_t bars[6];
	struct virtio_layout l;
	struct virtio_io io;
	size_t n;

	memset(dma, 0, sizeof dma);
	vm_init(&model, dma, PHYS, sizeof dma, features, 2, qmax);
	model.handler = echo;
	n = vm_caps(caps, 4, bars);
	CHECK_EQ(virtio_locate(caps, n, bars, &l), STATUS_OK);
	io = vm_io(&model);
	virtio_init(&dev, &io, &l);
	dev.poll_limit = 100;
}

/* A started device with queue 0 of size qsize (at most) ready. */
static void up(uint64_t features, uint16_t qmax, uint16_t qsize)
{
	device(features, qmax);
	CHECK_EQ(virtio_start(&dev, VIRTIO_BIT(VIRTIO_F_EVENT_IDX) | VIRTIO_BIT(9), 0), STATUS_OK);
	CHECK_EQ(virtio_set_config_vector(&dev, 0), STATUS_OK);
	CHECK_EQ(virtio_queue_setup(&dev, &vq, 0, qsize, dma, PHYS, 65536, 1), STATUS_OK);
	CHECK_EQ(virtio_driver_ok(&dev), STATUS_OK);
}

/* Buffers live from 64 KiB on, 4 KiB each, in DMA memory. */
static uint64_t buf_phys(unsigned i)
{
	return PHYS + 65536 + 4096ull * (i % 224);
}

static uint8_t *buf_ptr(unsigned i)
{
	return dma + 65536 + 4096u * (i % 224);
}

static status_t add_echo(unsigned slot, uint32_t len, uint64_t token)
{
	struct virtq_buf b[2] = {
		{ buf_phys(slot), len, false },
		{ buf_phys(slot + 1), len, true },
	};

	return virtq_add(&vq, b, 2, token);
}

TEST(qemu_vendor_capabilities_locate_the_four_structures)
{
	struct virtio_cap caps[8];
	const uint64_t bars[6] = { 0, 0x1000, 0, 0, 0x4000, 0 };
	struct virtio_layout l;
	size_t n = 0;

	for (size_t at = 0; at + 16 <= sizeof qemu_caps && n < 8; at += qemu_caps[at + 2]) {
		if (qemu_caps[at] != 0x09)
			at += 4; /* the MSI-X capability's tail sits between */
		CHECK_EQ(virtio_cap_decode(qemu_caps + at, sizeof qemu_caps - at, &caps[n]),
			 STATUS_OK);
		n++;
	}
	CHECK_EQ(n, 5);
	CHECK_EQ(virtio_locate(caps, n, bars, &l), STATUS_OK);
	CHECK_EQ(l.common.bar, 4);
	CHECK_EQ(l.common.offset, 0);
	CHECK_EQ(l.isr.offset, 0x1000);
	CHECK_EQ(l.device.offset, 0x2000);
	CHECK(l.has_device);
	CHECK_EQ(l.notify.offset, 0x3000);
	CHECK_EQ(l.notify_mult, 4);
}

TEST(capability_decoding_rejects_short_and_foreign_capabilities)
{
	struct virtio_cap c;
	uint8_t cap[20];

	memcpy(cap, qemu_caps + 0x30, 20); /* the notify capability */
	CHECK_EQ(virtio_cap_decode(cap, 20, &c), STATUS_OK);
	CHECK_EQ(c.notify_off_multiplier, 4);
	CHECK_EQ(virtio_cap_decode(cap, 19, &c), STATUS_BAD_FORMAT);
	cap[2] = 16;
	CHECK_EQ(virtio_cap_decode(cap, 20, &c), STATUS_BAD_FORMAT);
	cap[2] = 20;
	cap[0] = 0x11;
	CHECK_EQ(virtio_cap_decode(cap, 20, &c), STATUS_BAD_FORMAT);
	cap[0] = 0x09;
	cap[2] = 12;
	CHECK_EQ(virtio_cap_decode(cap, 20, &c), STATUS_BAD_FORMAT);
}

TEST(locate_skips_unusable_capabilities_and_needs_the_three)
{
	uint64_t bars[6] = { 0, 0, 0, 0, 0x4000, 0 };
	struct virtio_cap caps[] = {
		{ VIRTIO_PCI_CAP_COMMON_CFG, 4, 0x3ff0, 0x1000, 0 }, /* past the BAR */
		{ VIRTIO_PCI_CAP_COMMON_CFG, 2, 0, 0x1000, 0 },      /* no such BAR */
		{ VIRTIO_PCI_CAP_COMMON_CFG, 4, 0, 0x20, 0 },        /* too short */
		{ VIRTIO_PCI_CAP_COMMON_CFG, 4, 0x100, 0x100, 0 },   /* the first usable */
		{ VIRTIO_PCI_CAP_COMMON_CFG, 4, 0x200, 0x100, 0 },
		{ VIRTIO_PCI_CAP_ISR_CFG, 7, 0, 1, 0 },
		{ VIRTIO_PCI_CAP_ISR_CFG, 4, 0x1000, 1, 0 },
		{ VIRTIO_PCI_CAP_NOTIFY_CFG, 4, 0x3000, 0x1000, 0 },
		{ 9, 4, 0, 0x10, 0 },
	};
	struct virtio_layout l;

	CHECK_EQ(virtio_locate(caps, 9, bars, &l), STATUS_OK);
	CHECK_EQ(l.common.offset, 0x100);
	CHECK_EQ(l.isr.offset, 0x1000);
	CHECK(!l.has_device);
	CHECK_EQ(l.notify_mult, 0);
	CHECK_EQ(virtio_locate(caps, 7, bars, &l), STATUS_NOT_FOUND); /* no notify */
	bars[4] = 0;
	CHECK_EQ(virtio_locate(caps, 9, bars, &l), STATUS_NOT_FOUND);
}

TEST(bring_up_follows_the_handshake)
{
	up(FEATURES, 256, 256);
	CHECK_EQ(model.violations, 0);
	CHECK_EQ(model.status, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
				       VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
	CHECK_EQ(dev.features,
		 VIRTIO_BIT(VIRTIO_F_VERSION_1) | VIRTIO_BIT(VIRTIO_F_EVENT_IDX) | VIRTIO_BIT(9));
	CHECK_EQ(model.driver_features, dev.features); /* not ACCESS_PLATFORM */
	CHECK_EQ(dev.num_queues, 2);
	CHECK_EQ(vq.size, 256);
	CHECK_EQ(model.q[0].size, 256);
	CHECK_EQ(model.q[0].vector, 1);
	CHECK_EQ(model.config_vector, 0);
	CHECK_EQ(model.q[0].enable, 1);
	CHECK_EQ(model.q[0].desc, PHYS);
	CHECK(vq.event_idx);
	CHECK_EQ(model.resets, 1);
	CHECK_EQ(virtio_health(&dev), STATUS_OK);
}

TEST(device_without_version_1_is_failed)
{
	device(VIRTIO_BIT(9), 256);
	CHECK_EQ(virtio_start(&dev, ~0ull, 0), STATUS_NOT_FOUND);
	CHECK(model.status & VIRTIO_STATUS_FAILED);
	CHECK_EQ(model.violations, 0);
}

TEST(missing_required_feature_is_failed)
{
	device(FEATURES, 256);
	CHECK_EQ(virtio_start(&dev, 0, VIRTIO_BIT(13)), STATUS_NOT_FOUND);
	CHECK(model.status & VIRTIO_STATUS_FAILED);
}

TEST(features_ok_refused_by_the_device_is_failed)
{
	device(FEATURES, 256);
	model.refuse_features_ok = true;
	CHECK_EQ(virtio_start(&dev, ~0ull, 0), STATUS_INVALID);
	CHECK(model.status & VIRTIO_STATUS_FAILED);
	CHECK(!(model.status & VIRTIO_STATUS_DRIVER_OK));
	CHECK_EQ(virtio_driver_ok(&dev), STATUS_INVALID);
	CHECK_EQ(model.violations, 0);
}

TEST(reset_that_never_finishes_times_out)
{
	device(FEATURES, 256);
	model.reset_stuck = true;
	CHECK_EQ(virtio_start(&dev, 0, 0), STATUS_TIMEOUT);
}

TEST(msix_vectors_the_device_refuses_are_reported)
{
	device(FEATURES, 256);
	model.msix_vectors = 2;
	CHECK_EQ(virtio_start(&dev, 0, 0), STATUS_OK);
	CHECK_EQ(virtio_set_config_vector(&dev, 5), STATUS_FULL);
	CHECK_EQ(virtio_set_config_vector(&dev, VIRTIO_MSI_NO_VECTOR), STATUS_OK);
	CHECK_EQ(virtio_queue_setup(&dev, &vq, 0, 64, dma, PHYS, 65536, 2), STATUS_FULL);
	CHECK_EQ(virtio_queue_setup(&dev, &vq, 0, 64, dma, PHYS, 65536, 1), STATUS_OK);
}

TEST(queue_setup_rejects_bad_memory_and_bad_timing)
{
	device(FEATURES, 256);
	CHECK_EQ(virtio_queue_setup(&dev, &vq, 0, 64, dma, PHYS, 65536, 1), STATUS_INVALID);
	CHECK_EQ(virtio_start(&dev, 0, 0), STATUS_OK);
	CHECK_EQ(virtio_queue_setup(&dev, &vq, 0, 64, dma + 8, PHYS + 8, 65536, 1), STATUS_INVALID);
	CHECK_EQ(virtio_queue_setup(&dev, &vq, 0, 64, dma, PHYS, virtq_bytes(64) - 1, 1),
		 STATUS_RANGE);
	CHECK_EQ(virtio_queue_setup(&dev, &vq, 2, 64, dma, PHYS, 65536, 1), STATUS_NOT_FOUND);
	CHECK_EQ(virtio_queue_setup(&dev, &vq, 0, 100, dma, PHYS, 65536, 1), STATUS_OK);
	CHECK_EQ(vq.size, 64); /* rounded down to a power of two */
	CHECK_EQ(virtio_driver_ok(&dev), STATUS_OK);
	CHECK_EQ(virtio_queue_setup(&dev, &vq, 1, 64, dma + 32768, PHYS + 32768, 32768, 1),
		 STATUS_INVALID);
	CHECK_EQ(model.violations, 0);
}

TEST(queue_size_is_capped_by_device_and_driver)
{
	device(FEATURES, 1024);
	CHECK_EQ(virtio_start(&dev, 0, 0), STATUS_OK);
	CHECK_EQ(virtio_queue_setup(&dev, &vq, 0, 1024, dma, PHYS, 65536, 1), STATUS_OK);
	CHECK_EQ(vq.size, VIRTQ_MAX_SIZE);
	device(FEATURES, 16);
	CHECK_EQ(virtio_start(&dev, 0, 0), STATUS_OK);
	CHECK_EQ(virtio_queue_setup(&dev, &vq, 0, 1024, dma, PHYS, 65536, 1), STATUS_OK);
	CHECK_EQ(vq.size, 16);
	CHECK_EQ(model.violations, 0);
}

TEST(a_chain_round_trips_through_the_device)
{
	struct virtq_done done[4];
	size_t n;

	up(FEATURES, 256, 256);
	memcpy(buf_ptr(0), "hello, device", 14);
	CHECK_EQ(add_echo(0, 14, 77), STATUS_OK);
	CHECK_EQ(model.notifies, 0); /* nothing before the kick */
	CHECK(virtq_kick(&dev, &vq));
	CHECK_EQ(model.notifies, 1);
	CHECK_EQ(virtq_harvest(&vq, done, 4, &n), STATUS_OK);
	CHECK_EQ(n, 1);
	CHECK_EQ(done[0].token, 77);
	CHECK_EQ(done[0].len, 14);
	CHECK_EQ(done[0].status, STATUS_OK);
	CHECK(memcmp(buf_ptr(1), "hello, device", 14) == 0);
	CHECK_EQ(virtq_free(&vq), 256);
	CHECK_EQ(model.violations, 0);
}

TEST(many_requests_in_flight_are_published_with_one_notification)
{
	struct virtq_done done[8];
	uint64_t seen = 0;
	size_t n, total = 0;

	up(FEATURES, 256, 256);
	model.hold = true;
	for (unsigned i = 0; i < 48; i++)
		CHECK_EQ(add_echo(2 * i, 512, i), STATUS_OK);
	CHECK(virtq_kick(&dev, &vq));
	CHECK_EQ(model.notifies, 1);
	CHECK_EQ(model.held_count, 48);
	CHECK_EQ(virtq_harvest(&vq, done, 8, &n), STATUS_OK);
	CHECK_EQ(n, 0);
	CHECK_EQ(vm_complete(&model, 0, true), 48); /* newest first */
	do {
		CHECK_EQ(virtq_harvest(&vq, done, 8, &n), STATUS_OK);
		for (size_t i = 0; i < n; i++) {
			CHECK_EQ(done[i].len, 512);
			CHECK(!(seen >> done[i].token & 1));
			seen |= 1ull << done[i].token;
		}
		total += n;
	} while (n);
	CHECK_EQ(total, 48);
	CHECK_EQ(seen, (1ull << 48) - 1);
	CHECK_EQ(model.violations, 0);
}

TEST(a_full_queue_says_so_and_recovers)
{
	struct virtq_done done[8];
	size_t n;

	up(FEATURES, 8, 8);
	model.hold = true;
	for (unsigned i = 0; i < 4; i++)
		CHECK_EQ(add_echo(2 * i, 16, i), STATUS_OK);
	CHECK_EQ(virtq_free(&vq), 0);
	CHECK_EQ(add_echo(20, 16, 9), STATUS_FULL);
	virtq_kick(&dev, &vq);
	vm_complete(&model, 1, false);
	CHECK_EQ(virtq_harvest(&vq, done, 8, &n), STATUS_OK);
	CHECK_EQ(n, 1);
	CHECK_EQ(virtq_free(&vq), 2);
	CHECK_EQ(add_echo(20, 16, 9), STATUS_OK);
	virtq_kick(&dev, &vq);
	CHECK_EQ(model.violations, 0);
}

TEST(descriptors_are_never_handed_out_twice_under_random_load)
{
	struct virtq_done done[16];
	uint8_t live[4096] = { 0 };
	unsigned next_token = 0, completed = 0;

	up(FEATURES, 32, 32);
	model.hold = true;
	srand(7);
	for (unsigned round = 0; round < 3000; round++) {
		unsigned k = (unsigned)rand() % 4 + 1;
		struct virtq_buf b[4];
		size_t n;

		for (unsigned i = 0; i < k; i++)
			b[i] = (struct virtq_buf){ buf_phys(i), 64, i + 1 == k };
		if (virtq_add(&vq, b, (uint16_t)k, next_token % 4096) == STATUS_OK)
			live[next_token++ % 4096] = 1;
		if (rand() % 3 == 0) {
			virtq_kick(&dev, &vq);
			vm_complete(&model, (unsigned)rand() % 6, rand() % 2);
		}
		CHECK_EQ(virtq_harvest(&vq, done, 16, &n), STATUS_OK);
		for (size_t i = 0; i < n; i++) {
			CHECK(live[done[i].token]);
			live[done[i].token] = 0;
			completed++;
		}
	}
	CHECK(completed > 1000);
	CHECK_EQ(model.violations, 0);
}

TEST(indices_wrap_around_65536)
{
	struct virtq_done done[2];
	size_t n;

	up(FEATURES, 4, 4);
	for (unsigned i = 0; i < 70000; i++) {
		CHECK_EQ(add_echo(0, 8, i), STATUS_OK);
		virtq_kick(&dev, &vq);
		CHECK_EQ(virtq_harvest(&vq, done, 2, &n), STATUS_OK);
		CHECK_EQ(n, 1);
		CHECK_EQ(done[0].token, i);
	}
	CHECK_EQ(model.violations, 0);
	CHECK_EQ(model.q[0].chains, 70000);
}

TEST(event_index_and_no_notify_suppress_notifications)
{
	up(FEATURES, 256, 256);
	model.suppress_notify = true;
	CHECK_EQ(add_echo(0, 8, 1), STATUS_OK);
	CHECK(virtq_kick(&dev, &vq)); /* the device has not asked yet */
	CHECK_EQ(add_echo(0, 8, 2), STATUS_OK);
	CHECK(!virtq_kick(&dev, &vq));
	CHECK_EQ(model.notifies, 1);
	CHECK(!virtq_kick(&dev, &vq)); /* nothing new: no notification */

	up(VIRTIO_BIT(VIRTIO_F_VERSION_1), 256, 256); /* flags instead of event index */
	CHECK(!vq.event_idx);
	model.suppress_notify = true;
	CHECK_EQ(add_echo(0, 8, 1), STATUS_OK);
	CHECK(virtq_kick(&dev, &vq));
	CHECK_EQ(add_echo(0, 8, 2), STATUS_OK);
	CHECK(!virtq_kick(&dev, &vq));
	CHECK_EQ(model.violations, 0);
}

TEST(interrupts_can_be_suppressed_and_re_enabled)
{
	const uint64_t variants[] = { FEATURES, VIRTIO_BIT(VIRTIO_F_VERSION_1) };

	for (unsigned v = 0; v < 2; v++) {
		struct virtq_done done[4];
		size_t n;

		up(variants[v], 256, 256);
		CHECK_EQ(add_echo(0, 8, 1), STATUS_OK);
		virtq_kick(&dev, &vq);
		CHECK_EQ(model.interrupts, 1);
		CHECK_EQ(virtq_harvest(&vq, done, 4, &n), STATUS_OK);
		CHECK(!virtq_interrupts(&vq, false));
		CHECK_EQ(add_echo(0, 8, 2), STATUS_OK);
		virtq_kick(&dev, &vq);
		CHECK_EQ(model.interrupts, 1);
		CHECK(virtq_interrupts(&vq, true)); /* one is already waiting */
		CHECK_EQ(virtq_harvest(&vq, done, 4, &n), STATUS_OK);
		CHECK_EQ(n, 1);
		CHECK(!virtq_interrupts(&vq, true));
		CHECK_EQ(add_echo(0, 8, 3), STATUS_OK);
		virtq_kick(&dev, &vq);
		CHECK_EQ(model.interrupts, 2);
		CHECK_EQ(virtio_isr(&dev) & 1, 1);
		CHECK_EQ(virtio_isr(&dev), 0); /* reading cleared it */
		CHECK_EQ(model.violations, 0);
	}
}

/* Runs one chain with the model misbehaving as asked and returns what
 * the harvest said. */
static status_t misbehaving(unsigned how, struct virtq_done *done, size_t *n)
{
	up(FEATURES, 16, 16);
	model.misbehave = how;
	CHECK_EQ(add_echo(0, 32, 5), STATUS_OK);
	CHECK_EQ(add_echo(2, 32, 6), STATUS_OK);
	model.hold = true;
	virtq_kick(&dev, &vq);
	vm_complete(&model, 1, false);
	return virtq_harvest(&vq, done, 4, n);
}

TEST(used_id_outside_the_queue_breaks_the_queue)
{
	struct virtq_done done[4];
	size_t n;

	CHECK_EQ(misbehaving(VM_BAD_ID, done, &n), STATUS_BAD_FORMAT);
	CHECK_EQ(n, 0);
	CHECK(vq.broken);
	CHECK_EQ(add_echo(4, 8, 7), STATUS_BAD_FORMAT);
	CHECK_EQ(virtq_harvest(&vq, done, 4, &n), STATUS_BAD_FORMAT);
	CHECK(!virtq_kick(&dev, &vq));
}

TEST(used_id_inside_a_chain_breaks_the_queue)
{
	struct virtq_done done[4];
	size_t n;

	CHECK_EQ(misbehaving(VM_NOT_HEAD, done, &n), STATUS_BAD_FORMAT);
	CHECK(vq.broken);
}

TEST(a_chain_completed_twice_breaks_the_queue_after_the_first)
{
	struct virtq_done done[4];
	size_t n;

	CHECK_EQ(misbehaving(VM_DUP_ID, done, &n), STATUS_BAD_FORMAT);
	CHECK_EQ(n, 1); /* the first completion was real */
	CHECK_EQ(done[0].token, 5);
	CHECK(vq.broken);
}

TEST(used_index_jumping_ahead_or_back_breaks_the_queue)
{
	struct virtq_done done[4];
	size_t n;

	CHECK_EQ(misbehaving(VM_IDX_JUMP, done, &n), STATUS_BAD_FORMAT);
	CHECK_EQ(n, 0);
	CHECK_EQ(misbehaving(VM_IDX_BACK, done, &n), STATUS_BAD_FORMAT);
	CHECK_EQ(n, 0);
}

TEST(length_beyond_the_chain_fails_only_that_chain)
{
	struct virtq_done done[4];
	size_t n;

	CHECK_EQ(misbehaving(VM_BAD_LEN, done, &n), STATUS_OK);
	CHECK_EQ(n, 1);
	CHECK_EQ(done[0].status, STATUS_BAD_FORMAT);
	CHECK_EQ(done[0].len, 0);
	CHECK(!vq.broken);
	model.misbehave = 0;
	vm_complete(&model, 0, false);
	CHECK_EQ(virtq_harvest(&vq, done, 4, &n), STATUS_OK);
	CHECK_EQ(done[0].status, STATUS_OK);
	CHECK_EQ(virtq_free(&vq), 16);
}

TEST(bad_chains_are_refused_before_they_reach_the_ring)
{
	struct virtq_buf b[3] = {
		{ buf_phys(0), 8, true },
		{ buf_phys(1), 8, false }, /* readable after writable */
		{ buf_phys(2), 0, true },
	};

	up(FEATURES, 256, 256);
	CHECK_EQ(virtq_add(&vq, b, 0, 1), STATUS_INVALID);
	CHECK_EQ(virtq_add(&vq, b, 2, 1), STATUS_INVALID);
	CHECK_EQ(virtq_add(&vq, b + 2, 1, 1), STATUS_INVALID);
	CHECK_EQ(virtq_free(&vq), 256);
	CHECK(!virtq_kick(&dev, &vq));
}

TEST(device_needing_reset_is_reported_and_the_driver_starts_over)
{
	uint64_t tokens[8];
	size_t n;

	up(FEATURES, 16, 16);
	model.hold = true;
	CHECK_EQ(add_echo(0, 8, 11), STATUS_OK);
	CHECK_EQ(add_echo(2, 8, 12), STATUS_OK);
	virtq_kick(&dev, &vq);
	vm_needs_reset(&model);
	CHECK_EQ(virtio_health(&dev), STATUS_DEAD);
	n = virtq_abandon(&vq, tokens, 8);
	CHECK_EQ(n, 2);
	CHECK(tokens[0] + tokens[1] == 23);
	CHECK_EQ(virtio_start(&dev, VIRTIO_BIT(VIRTIO_F_EVENT_IDX), 0), STATUS_OK);
	CHECK_EQ(virtio_queue_setup(&dev, &vq, 0, 16, dma, PHYS, 65536, 1), STATUS_OK);
	CHECK_EQ(virtio_driver_ok(&dev), STATUS_OK);
	CHECK_EQ(virtio_health(&dev), STATUS_OK);
	model.hold = false;
	CHECK_EQ(add_echo(0, 8, 13), STATUS_OK);
	virtq_kick(&dev, &vq);
	CHECK_EQ(model.violations, 0);
	CHECK_EQ(model.resets, 2);
}

TEST(device_reset_under_the_driver_is_reported)
{
	up(FEATURES, 16, 16);
	model.status = 0;
	CHECK_EQ(virtio_health(&dev), STATUS_DEAD);
}

TEST(config_reads_retry_until_the_generation_holds)
{
	uint8_t buf[8];

	up(FEATURES, 16, 16);
	for (int i = 0; i < 8; i++)
		model.devcfg[i] = (uint8_t)(0x10 + i);
	model.generation_flips = 3;
	CHECK_EQ(virtio_config_read(&dev, 0, buf, 8), STATUS_OK);
	CHECK_EQ(buf[0], 0x10);
	CHECK_EQ(buf[7], 0x17);
	CHECK_EQ(virtio_config_read(&dev, 3, buf, 3), STATUS_OK);
	CHECK_EQ(buf[0], 0x13);
	CHECK_EQ(buf[2], 0x15);
	model.generation_flips = 1000;
	CHECK_EQ(virtio_config_read(&dev, 0, buf, 8), STATUS_TIMEOUT);
	CHECK_EQ(virtio_config_read(&dev, 0x1000 - 4, buf, 8), STATUS_RANGE);
	CHECK_EQ(virtio_config_read(&dev, 0xffffffffu, buf, 2), STATUS_RANGE);
	dev.l.has_device = false;
	CHECK_EQ(virtio_config_read(&dev, 0, buf, 1), STATUS_NOT_FOUND);
}

static uint32_t msix_pba(const struct virtio_io *io)
{
	return io->read(io->ctx, VM_MSIX_BAR, VM_MSIX_PBA, 4);
}

/* ---- MSI-X ------------------------------------------------------------------ */

static const struct virtio_msix qemu_table = { VM_MSIX_BAR, VM_MSIX_TABLE, 3 };

/* A started device whose entries 0 (configuration) and 1 (queue 0) carry
 * messages for vectors 0xc0 and 0xc1 of CPU 0, MSI-X enabled. */
static void up_msix(void)
{
	struct virtio_io io = vm_io(&model);

	device(FEATURES, 256);
	CHECK_EQ(virtio_start(&dev, 0, 0), STATUS_OK);
	CHECK_EQ(virtio_msix_program(&io, &qemu_table, 0, 0xfee00000u, 0xc0), STATUS_OK);
	CHECK_EQ(virtio_msix_program(&io, &qemu_table, 1, 0xfee00000u, 0xc1), STATUS_OK);
	model.msix_enabled = true;
	CHECK_EQ(virtio_set_config_vector(&dev, 0), STATUS_OK);
	CHECK_EQ(virtio_queue_setup(&dev, &vq, 0, 64, dma, PHYS, 65536, 1), STATUS_OK);
	CHECK_EQ(virtio_driver_ok(&dev), STATUS_OK);
}

TEST(msix_entries_are_written_masked_and_a_completion_sends_the_queue_message)
{
	struct virtq_done done[2];
	size_t n;

	up_msix();
	CHECK_EQ(model.msix[1].addr_lo, 0xfee00000u);
	CHECK_EQ(model.msix[1].addr_hi, 0);
	CHECK_EQ(model.msix[1].data, 0xc1);
	CHECK_EQ(model.msix[1].ctrl, 0); /* unmasked after the writes */
	CHECK_EQ(model.msix[2].ctrl, 1); /* untouched entries stay masked */
	CHECK_EQ(add_echo(0, 64, 5), STATUS_OK);
	virtq_kick(&dev, &vq);
	CHECK_EQ(model.msix[1].sent, 1);
	CHECK_EQ(model.msix[0].sent, 0);
	CHECK_EQ(model.last_data, 0xc1);
	CHECK_EQ(model.isr, 0); /* no INTx with MSI-X */
	CHECK_EQ(virtq_harvest(&vq, done, 2, &n), STATUS_OK);
	CHECK_EQ(n, 1);
	vm_needs_reset(&model);
	CHECK_EQ(model.msix[0].sent, 1); /* configuration changes: entry 0 */
	CHECK_EQ(model.last_data, 0xc0);
	CHECK_EQ(model.violations, 0);
}

TEST(a_masked_entry_holds_its_message_until_it_is_unmasked)
{
	struct virtio_io io = vm_io(&model);

	up_msix();
	CHECK_EQ(virtio_msix_mask(&io, &qemu_table, 1, true), STATUS_OK);
	CHECK_EQ(add_echo(0, 64, 5), STATUS_OK);
	virtq_kick(&dev, &vq);
	CHECK_EQ(model.msix[1].sent, 0);
	CHECK_EQ(msix_pba(&io), 2u);
	CHECK_EQ(virtio_msix_mask(&io, &qemu_table, 1, false), STATUS_OK);
	CHECK_EQ(model.msix[1].sent, 1);
	CHECK_EQ(msix_pba(&io), 0u);
	/* Reprogramming an entry masks it first: no write while unmasked. */
	CHECK_EQ(virtio_msix_program(&io, &qemu_table, 1, 0xfee01000u, 0xc5), STATUS_OK);
	CHECK_EQ(model.violations, 0);
}

TEST(msix_entries_outside_the_table_or_not_kept_are_refused)
{
	struct virtio_io io = vm_io(&model);
	struct virtio_msix odd = { VM_MSIX_BAR, 4, 3 };
	struct virtio_msix huge = { VM_MSIX_BAR, 0xfffffff8u, 3 };

	device(FEATURES, 256);
	CHECK_EQ(virtio_msix_program(&io, &qemu_table, 3, 0xfee00000u, 0xc0), STATUS_RANGE);
	CHECK_EQ(virtio_msix_program(&io, &odd, 0, 0xfee00000u, 0xc0), STATUS_RANGE);
	CHECK_EQ(virtio_msix_program(&io, &huge, 1, 0xfee00000u, 0xc0), STATUS_RANGE);
	CHECK_EQ(virtio_msix_mask(&io, &qemu_table, 3, true), STATUS_RANGE);
	model.msix_table_stuck = true; /* the table does not keep what is written */
	CHECK_EQ(virtio_msix_program(&io, &qemu_table, 0, 0xfee00000u, 0xc0), STATUS_BAD_FORMAT);
	CHECK_EQ(model.msix[0].ctrl, 1);
	CHECK_EQ(model.violations, 0);
}

TEST(a_queue_vector_the_device_refuses_leaves_no_interrupt_and_is_reported)
{
	device(FEATURES, 256);
	model.msix_vectors = 1; /* only the configuration entry */
	model.msix_enabled = true;
	CHECK_EQ(virtio_start(&dev, 0, 0), STATUS_OK);
	CHECK_EQ(virtio_set_config_vector(&dev, 0), STATUS_OK);
	CHECK_EQ(virtio_queue_setup(&dev, &vq, 0, 64, dma, PHYS, 65536, 1), STATUS_FULL);
	/* The driver falls back: INTx needs MSI-X disabled and no vectors. */
	model.msix_enabled = false;
	CHECK_EQ(virtio_start(&dev, 0, 0), STATUS_OK);
	CHECK_EQ(virtio_set_config_vector(&dev, VIRTIO_MSI_NO_VECTOR), STATUS_OK);
	CHECK_EQ(virtio_queue_setup(&dev, &vq, 0, 64, dma, PHYS, 65536, VIRTIO_MSI_NO_VECTOR),
		 STATUS_OK);
	CHECK_EQ(virtio_driver_ok(&dev), STATUS_OK);
	CHECK_EQ(add_echo(0, 64, 5), STATUS_OK);
	virtq_kick(&dev, &vq);
	CHECK_EQ(model.isr & 1, 1);
	CHECK_EQ(model.msix_sent, 0);
	CHECK_EQ(model.violations, 0);
}

TEST(an_event_on_a_queue_without_a_vector_sends_nothing)
{
	device(FEATURES, 256);
	model.msix_enabled = true;
	CHECK_EQ(virtio_start(&dev, 0, 0), STATUS_OK);
	CHECK_EQ(virtio_queue_setup(&dev, &vq, 0, 64, dma, PHYS, 65536, VIRTIO_MSI_NO_VECTOR),
		 STATUS_OK);
	CHECK_EQ(virtio_driver_ok(&dev), STATUS_OK);
	CHECK_EQ(add_echo(0, 64, 5), STATUS_OK);
	virtq_kick(&dev, &vq);
	CHECK_EQ(model.msix_sent, 0);
	CHECK_EQ(model.msix_no_vector, 1);
	CHECK_EQ(model.isr, 0);
}

int main(void)
{
	RUN(qemu_vendor_capabilities_locate_the_four_structures);
	RUN(capability_decoding_rejects_short_and_foreign_capabilities);
	RUN(locate_skips_unusable_capabilities_and_needs_the_three);
	RUN(bring_up_follows_the_handshake);
	RUN(device_without_version_1_is_failed);
	RUN(missing_required_feature_is_failed);
	RUN(features_ok_refused_by_the_device_is_failed);
	RUN(reset_that_never_finishes_times_out);
	RUN(msix_vectors_the_device_refuses_are_reported);
	RUN(queue_setup_rejects_bad_memory_and_bad_timing);
	RUN(queue_size_is_capped_by_device_and_driver);
	RUN(a_chain_round_trips_through_the_device);
	RUN(many_requests_in_flight_are_published_with_one_notification);
	RUN(a_full_queue_says_so_and_recovers);
	RUN(descriptors_are_never_handed_out_twice_under_random_load);
	RUN(indices_wrap_around_65536);
	RUN(event_index_and_no_notify_suppress_notifications);
	RUN(interrupts_can_be_suppressed_and_re_enabled);
	RUN(used_id_outside_the_queue_breaks_the_queue);
	RUN(used_id_inside_a_chain_breaks_the_queue);
	RUN(a_chain_completed_twice_breaks_the_queue_after_the_first);
	RUN(used_index_jumping_ahead_or_back_breaks_the_queue);
	RUN(length_beyond_the_chain_fails_only_that_chain);
	RUN(bad_chains_are_refused_before_they_reach_the_ring);
	RUN(device_needing_reset_is_reported_and_the_driver_starts_over);
	RUN(device_reset_under_the_driver_is_reported);
	RUN(config_reads_retry_until_the_generation_holds);
	RUN(msix_entries_are_written_masked_and_a_completion_sends_the_queue_message);
	RUN(a_masked_entry_holds_its_message_until_it_is_unmasked);
	RUN(msix_entries_outside_the_table_or_not_kept_are_refused);
	RUN(a_queue_vector_the_device_refuses_leaves_no_interrupt_and_is_reported);
	RUN(an_event_on_a_queue_without_a_vector_sends_nothing);
	return check_summary();
}
