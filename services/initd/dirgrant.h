/*
 * dirgrant.h - initd's side of `dir` manifest lines (dirs.h): waiting for
 * vfsd, opening each directory in it with the declared rights, granting
 * the capabilities, and showing them in the status protocol.
 */
#ifndef KEEL_INITD_DIRGRANT_H
#define KEEL_INITD_DIRGRANT_H

#include "keel/spawn.h"
#include "protocol.h"
#include "services.h"

/* Service i has dir lines: it waits for slot from, which provides "vfs"
 * (READY_NOBODY if none does; a service providing "vfs" itself is
 * refused). Returns ready_add's status. */
status_t dirs_depend(struct initd *d, uint32_t i, uint32_t from);

/* Opens s's directories in a new vfsd session of this instance (kept in
 * s->dir_head) and appends them to a's grants (and to parts, which initd
 * deletes after the spawn: the child keeps its copies). A directory vfsd
 * refuses stops the start with its status; the caller then ends the
 * session (dirs_end). */
status_t dirs_grant(struct initd *d, struct service *s, struct keel_spawn_args *a,
		    cap_handle_t *parts, uint32_t *nparts);

/* Ends the session of s's instance, if it has one: vfsd frees every
 * record the instance opened or was given. Never blocks initd. */
void dirs_end(struct service *s);

/* Once the file service has restarted (said hello again) since running
 * service s got its directories: opens them again in a new session and
 * gives each to s with a peer update (SERVICE_PEER) named "/PATH", so
 * that keel/peers.h keeps them current as it keeps inboxes. Returns OK
 * when there was nothing to do; on failure nothing new is left in s and
 * the next call tries again. */
status_t dirs_refresh(struct initd *d, struct service *s);

/* Describes dir as a footprint item (INITD_ITEM_DIR). */
void dirs_item(const struct manifest_dir *dir, struct initd_footprint *f);

#endif
