/*
 * main.c - initd, the root task: reads the boot list and each service's
 * manifest from the boot bundle, starts every service with exactly its
 * declared capabilities, and supervises them (services.c) from one event
 * loop. initd.boot=NAME names another boot list in the bundle (tests use
 * it); initd.test=NAME on the command line runs a supervision scenario
 * for the QEMU tests (selftest.c) and exits with its verdict.
 */
#include "lib/cmdline.h"
#include "keel/sys.h"
#include "devices.h"
#include "control.h"
#include "launch.h"
#include "selftest.h"
#include "services.h"

#define INBOX_SLOTS 256
#define INBOX_BIT 0

/* initd's inbox: supervision messages, hellos, heartbeats, status calls. */
static status_t open_inbox(struct initd *d)
{
	struct inbox_ring *ring;
	status_t st = loop_inbox_open(INBOX_SLOTS, INBOX_BIT, &d->inbox, &ring);
	if (st == STATUS_OK)
		st = loop_init(&d->loop, &sysops_kernel, ring, INBOX_BIT);
	return st;
}

int keel_main(const struct keel_start *start)
{
	static struct initd d;
	static struct initd_test test_state;
	static struct devices_kill kill;
	static struct launcher launcher;
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
	if (st == STATUS_OK && (st = launch_register(&launcher, &d)) == STATUS_OK)
		d.launch = &launcher;
	if (st == STATUS_OK)
		st = control_register(&launcher);
	if (st == STATUS_OK &&
	    cmdline_get(start->cmdline, "initd.test", test, sizeof test) == STATUS_OK)
		st = selftest_arm(&test_state, &d, test);
	if (st == STATUS_OK)
		st = devices_kill_arm(&kill, &d);
	if (st == STATUS_OK)
		st = devices_power_arm(&d);
	if (st) {
		keel_print(start->witness, "initd: cannot start: %s\n", status_message(st));
		return 1;
	}
	sys_clock_read(&now);
	services_start_all(&d, now);
	st = loop_run(&d.loop);
	return selftest_verdict(&test_state, st);
}
