/*
 * keel/service.h - what every supervised service does with its supervisor.
 *
 * A service is started with start->supervisor, a send capability to its
 * supervisor's inbox (initd's), badged so that the supervisor knows who
 * speaks. Through it the service
 *   - says hello once its inbox exists: SERVICE_HELLO carries a send
 *     capability to the service's inbox (moved), which the supervisor
 *     keeps and from which it derives what it hands to clients;
 *   - beats: SERVICE_HEARTBEAT every interval the supervisor chose, passed
 *     in the start page's argument word (keel_start_arg, milliseconds; 0:
 *     no heartbeat). A service that stops beating is restarted as hung.
 * The supervisor, in turn, tells the service when a peer it sends to has
 * a new inbox: SERVICE_PEER, applied by keel/peers.h. Supervisors other
 * than initd (an app launcher) speak the same three messages.
 */
#ifndef KEEL_SERVICE_H
#define KEEL_SERVICE_H

#include "abi/start.h"
#include "abi/status.h"
#include "keel/loop.h"

#define SERVICE_HELLO 0x1a170001u     /* service -> supervisor, carries its inbox */
#define SERVICE_HEARTBEAT 0x1a170002u /* service -> supervisor, every interval */
#define SERVICE_PEER 0x1a170007u      /* supervisor -> service: struct peer_update */
#define SERVICE_STOP 0x1a170008u      /* supervisor -> service: flush and exit(0) (shutdown) */

/* Says hello: derives a send capability to inbox (RIGHT_SEND and
 * RIGHT_GRANT) and moves it to the supervisor with SERVICE_HELLO.
 * Messages clients send meanwhile wait in the inbox. Returns the status of
 * the derive or the send. */
status_t service_hello(const struct keel_start *start, cap_handle_t inbox);

/* Starts the heartbeat the supervisor asked for in start's argument word,
 * on loop (none when it is 0), and answers SERVICE_STOP from the
 * supervisor by stopping the loop, unless the service registered its own
 * SERVICE_STOP handler first (one that flushes, say). start must outlive
 * the loop (the start page does). Returns the first failing status. */
status_t service_heartbeat_start(struct loop *loop, const struct keel_start *start);

#endif
