/* echo.h - the example service's message handlers. */
#ifndef KEEL_ECHO_H
#define KEEL_ECHO_H

#include "keel/loop.h"
#include "keel/peers.h"

/* Registers the echo protocol's handlers on loop; ECHO_FORWARD goes to
 * peers' ECHO_PEER, whichever capability peers holds at the time. */
status_t echo_register(struct loop *loop, struct peers *peers);

#endif
