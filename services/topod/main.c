/*
 * main.c - topod: finds the machine's devices and cores at start, then
 * serves the registry, the hand-out of devices to drivers, their
 * configuration space and power (protocol.h), one wait per loop turn.
 *
 * initd starts it with its device roots (manifest `roots devices`): the
 * I/O port space, physical address space and interrupt lines, as start
 * capabilities 0, 1 and 2.
 */
#include "keel/service.h"
#include "keel/spawn.h"
#include "keel/sys.h"
#include "topod.h"

#define INBOX_BIT 0
#define INBOX_SLOTS 64

int keel_main(const struct keel_start *s)
{
	static struct topo t; /* one instance per task; too large for the stack */
	struct inbox_ring *ring;
	t.start = s;
	t.ports_root = keel_start_cap(s, 0);
	t.mmio_root = keel_start_cap(s, 1);
	t.irq_root = keel_start_cap(s, 2);
	status_t st = topo_discover(&t);
	if (st) {
		keel_print(s->witness, "topod: cannot discover the machine: %s\n", status_name(st));
		return 1;
	}
	topo_bench(&t);
	topo_log(&t);
	topo_clock_init(&t);
	if (loop_inbox_open(INBOX_SLOTS, INBOX_BIT, &t.inbox, &ring) ||
	    loop_init(&t.loop, &sysops_kernel, ring, INBOX_BIT) || topo_register(&t) ||
	    topo_clock_register(&t) || service_hello(s, t.inbox) ||
	    service_heartbeat_start(&t.loop, s))
		return 2;
	return loop_run(&t.loop) == STATUS_OK ? 0 : 3;
}
