/*
 * protocol.h - echo, the example service: its messages.
 *
 *   ECHO_PING   call; the reply ECHO_PONG carries the same payload
 *   ECHO_CRASH  the service writes through a null pointer (for supervision tests)
 *   ECHO_HANG   the service stops serving and stops its heartbeat (ditto)
 *   ECHO_PORT   the service touches I/O port 0x80, outside its footprint (ditto)
 */
#ifndef KEEL_ECHO_PROTOCOL_H
#define KEEL_ECHO_PROTOCOL_H

#define ECHO_PING 0xec400001u
#define ECHO_PONG 0xec400002u
#define ECHO_CRASH 0xec400003u
#define ECHO_HANG 0xec400004u
#define ECHO_PORT 0xec400005u

#endif
