/*
 * devices.h - device hand-off in initd (docs/devices.md).
 *
 * The service whose manifest says `roots devices` (topod) is started with
 * initd's three device roots. A driver whose manifest says `device pci
 * VVVV:DDDD` is started after it, with exactly what topod hands out for
 * that function (TOPO_HANDOUT, services/topod/protocol.h): its
 * configuration capability, its interrupt line, and its BARs, as its first
 * start capabilities in that order. A service with `console debug` is
 * given the debug console (the witness capability with RIGHT_WRITE).
 */
#ifndef KEEL_INITD_DEVICES_H
#define KEEL_INITD_DEVICES_H

#include "services.h"

/* The slot of the service holding the device roots, or READY_NOBODY. */
uint32_t devices_roots_slot(const struct initd *d);

/*
 * Appends s's device capabilities to a (roots, or the hand-out from the
 * roots holder for a driver) and sets its console; every capability initd
 * obtained for it is recorded in parts[*nparts] for the caller to delete
 * after the spawn. Returns the first failure: NOT_FOUND if the roots
 * holder is not up or has no such device, FULL past the start page.
 */
status_t devices_footprint(struct initd *d, struct service *s, struct keel_spawn_args *a,
			   cap_handle_t *parts, uint32_t *nparts);

/*
 * A driver (manifest `device pci`) died: tells the roots holder
 * (TOPO_GONE), which turns its function's bus mastering and MSI-X off
 * before it frees the driver's DMA memory, vectors and BARs. Called as
 * soon as initd learns of the death, before any restart. A failure is
 * reported on the console; the next hand-out stops the function anyway.
 */
void devices_gone(struct initd *d, struct service *s);

/*
 * A test hook for driver restarts (tests/devices/blkkill.sh):
 * initd.kill=NAME:COUNT on the command line kills service NAME COUNT
 * times, each instance a pseudo-random 20-160 ms after it is first seen
 * up (has said hello; checked every DEVICES_KILL_MS). initd supervises
 * each death as a failure. Once the last successor is up, it reports the
 * kernel's object count then and once the first successor was up: the
 * same, if a restart leaves nothing behind (vectors, DMA memory, parts).
 */
#define DEVICES_KILL_MS 5

struct devices_kill {
	struct initd *d;
	char name[MANIFEST_NAME_MAX + 1];
	uint32_t left, done;
	uint32_t hellos;   /* of the instance being timed */
	uint64_t up_since; /* when it was first seen up */
	uint64_t delay_ns; /* how long it lives */
	uint64_t rng;
	uint64_t objects_first; /* kernel objects once the first successor is up */
	bool last_up;           /* the successor of the last kill is up */
	uint32_t settle;        /* ticks spent waiting for the counts to match */
};

/* Arms the hook if the command line asks for it; STATUS_OK otherwise too. */
status_t devices_kill_arm(struct devices_kill *k, struct initd *d);

/*
 * Power through the roots holder (topod): asks it for the power
 * capability (TOPO_POWER_CAP) and sends TOPO_POWER with action
 * (TOPO_POWER_OFF or TOPO_POWER_RESET). Returns only if that failed.
 * initd's shutdown ends with it; initd.power=off|reset on the command line
 * calls it once all services are up (tests/devices/power.sh).
 */
status_t devices_power(struct initd *d, uint32_t action);
status_t devices_power_arm(struct initd *d);

#endif
