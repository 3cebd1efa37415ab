/*
 * wallclock.h - the wall clock initd passes to the tasks it starts.
 *
 * When the service holding the device roots (topod) says hello, initd
 * asks it for the wall clock (TOPO_CLOCK, services/topod/protocol.h: the
 * offset of wall-clock time from the monotonic clock, read from the RTC)
 * and from then on puts that offset in the start page of every service
 * and app it starts (abi/start.h wall_offset_ns, through its spawner).
 * Tasks started before - topod itself - get 0, "unknown"; so does every
 * task when topod has no clock to give.
 */
#ifndef KEEL_INITD_WALLCLOCK_H
#define KEEL_INITD_WALLCLOCK_H

#include "services.h"

/* Called on s's hello: asks s for the clock if s is the roots holder and
 * initd has none yet. A failure is reported once on the console. */
void wallclock_fetch(struct initd *d, struct service *s);

#endif
