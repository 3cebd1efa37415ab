/*
 * main.c - blkd, the virtio-blk driver: started by initd with what topod
 * handed out for the disk's function (device pci 1af4:1042), it brings
 * the device up, reads the partition table once and serves the block
 * protocol (keel/block.h) to the clients initd routes to it, one wait per
 * loop turn.
 */
#include "blkd.h"
#include "keel/service.h"
#include "keel/spawn.h"
#include "keel/sys.h"

#define INBOX_BIT 0
#define INBOX_SLOTS 256

int keel_main(const struct keel_start *s)
{
	static struct blkd d; /* one instance per task; too large for the stack */
	struct inbox_ring *ring;
	uint64_t info = 0, badge;
	d.s = s;
	d.cfg = keel_start_cap(s, 0);
	sys_cap_info(keel_start_cap(s, 1), &info, &badge);
	d.irq = (uint32_t)info == OBJ_IRQ ? keel_start_cap(s, 1) : CAP_HANDLE_NONE;
	status_t st = blkd_device_start(&d);
	if (st == STATUS_OK)
		st = blkd_partitions(&d);
	if (st) {
		keel_print(s->witness, "blkd: cannot start the disk: %s\n", status_name(st));
		return 1;
	}
	keel_print(s->witness, "blkd: disk %02x:%02x.%x, %lu blocks of %u bytes, %u partitions\n",
		   d.bus, d.dev, d.fn, (unsigned long)blk_blocks(&d.b), d.b.block_size,
		   d.ndevs - 1);
	if (d.msix)
		keel_print(s->witness,
			   "blkd: MSI-X: configuration on entry %u, queue 0 on entry %u\n",
			   BLKD_VEC_CONFIG, BLKD_VEC_QUEUE);
	for (uint32_t k = 1; k < d.ndevs; k++)
		keel_print(s->witness, "blkd: partition %u: blocks %lu-%lu\n", d.dev_index[k],
			   (unsigned long)d.devs[k].start,
			   (unsigned long)(d.devs[k].start + d.devs[k].count - 1));
	if (loop_inbox_open(INBOX_SLOTS, INBOX_BIT, &d.inbox, &ring) ||
	    loop_init(&d.loop, &sysops_kernel, ring, INBOX_BIT) || blkd_register(&d) ||
	    service_hello(s, d.inbox) || service_heartbeat_start(&d.loop, s))
		return 2;
	keel_print(s->witness, "blkd: ready\n");
	return loop_run(&d.loop) == STATUS_OK ? 0 : 3;
}
