/* echo.h - the example service's message handlers. */
#ifndef KEEL_ECHO_H
#define KEEL_ECHO_H

#include "keel/loop.h"

/* Registers the echo protocol's handlers on loop. */
status_t echo_register(struct loop *loop);

#endif
