/*
 * keel/peers.h - the send capabilities a service holds to other services'
 * inboxes, kept current across their restarts.
 *
 * A service whose manifest says `sends NAME` is started holding a send
 * capability to the inbox of the service that provides NAME (after its
 * device capabilities, in manifest order: keel_start_cap). When that
 * service restarts it has a new inbox and the old capability goes stale
 * (sends fail with STATUS_STALE or STATUS_DEAD). Its supervisor then puts
 * a fresh capability into the service's CSpace and tells it with a peer
 * update (initd's SERVICE_PEER): a message whose payload is struct
 * peer_update, naming the peer and the new handle.
 *
 * A service registers its peers once, by name, with the capability it was
 * started with, and lets its loop apply the updates:
 *
 *     peers_init(&p, &sysops_kernel);
 *     peers_add(&p, "vfs", keel_start_cap(start, 0));
 *     peers_listen(&p, &loop, SERVICE_PEER);
 *     ...
 *     sys_msg_call(peers_cap(&p, "vfs"), &m, timeout);   (always current)
 *
 * Only the supervisor may update a peer: an update is honoured only with
 * badge 0. The capability a service gives its supervisor in its hello is
 * the unbadged one; every capability the supervisor hands out to clients
 * is badged, and the kernel never lets a badged capability be re-badged
 * (sys_cap_derive), so no client can send a badge-0 message.
 */
#ifndef KEEL_PEERS_H
#define KEEL_PEERS_H

#include <stdint.h>

#include "abi/status.h"
#include "keel/loop.h"

#define PEERS_MAX 16     /* a manifest declares at most 16 `sends` */
#define PEER_NAME_MAX 32 /* characters, as manifest names */

/* Payload of a peer update (40 bytes). The handle is already in the
 * receiver's CSpace, put there by the supervisor (sys_task_grant): the
 * message itself carries no capability. */
struct peer_update {
	char name[PEER_NAME_MAX]; /* the peer's `provides` name, NUL-padded */
	uint32_t handle;          /* the fresh send capability */
	uint32_t reserved;        /* 0 */
};

_Static_assert(sizeof(struct peer_update) == 40, "fits a message payload");

struct peer {
	char name[PEER_NAME_MAX + 1];
	cap_handle_t cap;
	uint32_t updates; /* peer updates applied to this one */
};

/* A service's peers; caller-owned, like the loop. */
struct peers {
	const struct sysops *ops;
	uint32_t count;
	struct peer peer[PEERS_MAX];
};

/* Empties p; ops (kept by pointer) deletes the capabilities updates replace. */
void peers_init(struct peers *p, const struct sysops *ops);

/* Registers peer name with the capability the service holds to it now.
 * STATUS_INVALID for an empty or too long name, STATUS_EXISTS for a name
 * registered already, STATUS_FULL past PEERS_MAX. */
status_t peers_add(struct peers *p, const char *name, cap_handle_t cap);

/* The current capability to peer name, CAP_HANDLE_NONE if not registered. */
cap_handle_t peers_cap(const struct peers *p, const char *name);

/* The registration of peer name, NULL if none (for its update count). */
const struct peer *peers_find(const struct peers *p, const char *name);

/*
 * Applies the peer update m: replaces the peer's capability with the new
 * handle and deletes the old one. Returns STATUS_NO_RIGHTS for a message
 * not from the supervisor (badge not 0), STATUS_BAD_FORMAT for a wrong
 * length, an unterminated or unpadded name or a non-zero reserved word,
 * STATUS_NOT_FOUND for a peer never registered (the new capability, which
 * the supervisor gave this task, is deleted so that it does not linger).
 */
status_t peers_update(struct peers *p, const struct keel_msg *m);

/* Has loop apply every message labelled label as a peer update. Returns
 * loop_on_msg's status. */
status_t peers_listen(struct peers *p, struct loop *loop, uint32_t label);

#endif
