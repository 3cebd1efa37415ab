/*
 * protocol.h - echo, the example service: its messages.
 *
 *   ECHO_PING   call; the reply ECHO_PONG carries the same payload
 *   ECHO_CRASH  the service writes through a null pointer (for supervision tests)
 *   ECHO_HANG   the service stops serving and stops its heartbeat (ditto)
 *   ECHO_PORT   the service touches I/O port 0x80, outside its footprint (ditto)
 *   ECHO_FORWARD  call; the service pings its peer ECHO_PEER - the service
 *               its manifest says it `sends` to - with the same payload and
 *               replies with the peer's ECHO_PONG. LOOP_REPLY_ERROR with
 *               NOT_FOUND if it sends to no one, else with the status of
 *               its call to the peer (STALE or DEAD while the peer is down)
 */
#ifndef KEEL_ECHO_PROTOCOL_H
#define KEEL_ECHO_PROTOCOL_H

#define ECHO_PING 0xec400001u
#define ECHO_PONG 0xec400002u
#define ECHO_CRASH 0xec400003u
#define ECHO_HANG 0xec400004u
#define ECHO_PORT 0xec400005u
#define ECHO_FORWARD 0xec400006u

#define ECHO_PEER "echo" /* the peer echo2's manifest names (sends echo) */

#endif
