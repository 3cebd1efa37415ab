/*
 * main.c - initd, the root task: reads the boot list and each service's
 * manifest from the boot bundle, starts every service with exactly its
 * declared capabilities, and supervises them (services.c) from one event
 * loop. initd.boot=NAME names another boot list in the bundle (tests use
 * it); initd.test=NAME on the command line runs a supervision scenario
 * for the QEMU tests (selftest.c) and exits with its verdict.
 */
#include "core/cmdline.h"
#include "keel/sys.h"
#include "selftest.h"
#include "services.h"

#define INBOX_VA 0x0000200000000000ull
#define INBOX_SLOTS 256
#define INBOX_BIT 0

/* initd's inbox: supervision messages, hellos, heartbeats, status calls. */
static status_t open_inbox(struct initd *d)
{
	cap_handle_t mem;
	status_t st = sys_inbox_create(INBOX_SLOTS, INBOX_BIT, &d->inbox, &mem);
	if (st == STATUS_OK)
		st = sys_memory_map(CAP_HANDLE_NONE, mem, INBOX_VA, 0,
				    (inbox_ring_bytes(INBOX_SLOTS) + KEEL_PAGE_SIZE - 1) / KEEL_PAGE_SIZE,
				    RIGHT_READ | RIGHT_WRITE);
	if (st == STATUS_OK)
		st = loop_init(&d->loop, &sysops_kernel, (struct inbox_ring *)INBOX_VA, INBOX_BIT);
	return st;
}

int keel_main(const struct keel_start *start)
{
	static struct initd d;
	char test[32], boot[64] = "boot.manifest";
	uint64_t now = 0;
	d.start = start;
	keel_spawner_init(&d.spawner, start);
	status_t st = open_inbox(&d);
	cmdline_get(start->cmdline, "initd.boot", boot, sizeof boot);
	if (st == STATUS_OK)
		st = services_load(&d, boot);
	if (st == STATUS_OK)
		st = services_register(&d);
	if (st == STATUS_OK && cmdline_get(start->cmdline, "initd.test", test, sizeof test) == STATUS_OK)
		st = selftest_arm(&d, test);
	if (st) {
		sys_print(start->witness, "initd: cannot start: %s\n", status_message(st));
		return 1;
	}
	sys_clock_read(&now);
	services_start_all(&d, now);
	st = loop_run(&d.loop);
	return selftest_verdict(&d, st);
}
