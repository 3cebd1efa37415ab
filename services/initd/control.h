/*
 * control.h - INITD_CONTROL (protocol.h): an operator stops, starts or
 * restarts a service by name. Only the operator capability may ask; it
 * is derived here and given to the console programs (launch.c).
 */
#ifndef KEEL_INITD_CONTROL_H
#define KEEL_INITD_CONTROL_H

#include "launch.h"

/* Derives l->operator (a send capability to initd's inbox badged
 * INITD_OPERATOR_BADGE) and registers INITD_CONTROL on l->d's loop.
 * Returns the first failing status. */
status_t control_register(struct launcher *l);

/*
 * Applies verb (enum initd_verb) to service s at now and settles. Returns
 * STATUS_OK, INVALID (an unknown verb; the holder of the device roots for
 * stop or restart; a refused service; stop of a quarantined one) or BUSY
 * (start of one that runs, waits or is due to restart; any verb while an
 * earlier stop of the service is in progress).
 */
status_t control_apply(struct initd *d, struct service *s, uint32_t verb, uint64_t now);

/*
 * A stop or restart of a running service is graceful: initd sends it
 * SERVICE_STOP (vfsd writes back and marks its volume clean), and
 * answers the operator once the instance has ended, or once it has been
 * killed after STOP_GRACE_NS without ending. control_ended is called
 * for s (s->stop_due set) when its instance ended (on_end, after
 * forgetting it) or at the deadline (tick, still running): it carries out
 * the decision and answers the operator.
 */
#define STOP_GRACE_NS 2000000000ull
void control_ended(struct initd *d, struct service *s, uint64_t now);

/*
 * A start or restart the operator called for is answered once the new
 * instance is up - it has said hello - so that what follows a `svc
 * restart vfsd` finds files served; or, if it cannot come up, once it has
 * ended (backoff, quarantined), been stopped or been blocked by a
 * dependency; the answer carries that state. No hello within the start
 * allowance ends the instance as hung, so every wait ends. Called at the
 * end of every settle (services.c): answers each waiting operator whose
 * service is no longer on its way up.
 */
void control_settled(struct initd *d);

#endif
