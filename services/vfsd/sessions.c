/*
 * sessions.c - sessions: how vfsd frees the records of a client that is
 * gone, and the counts that show it (VFS_SESSION, VFS_STATS; keel/vfs.h,
 * docs/files.md "Sessions").
 *
 * vfsd is not told when a task dies, and a capability does not say who
 * holds it. What it can know is how a record was made: every record opened
 * or duplicated through a record of a session belongs to that session,
 * and a session made through a record of another session is nested in
 * it. Whoever holds the head of a session can end it (VFS_CLOSE on the
 * head): every record of it and of the sessions nested in it is freed,
 * and their capabilities, wherever they went, answer STATUS_STALE. initd
 * makes one session for each app it launches, from the directory the
 * launcher gave it, and ends it when the app has ended.
 */
#include <string.h>

#include "keel/sys.h"
#include "server.h"

uint16_t vfsd_rec_session(const struct vfsd *v, const struct vfsd_rec *r)
{
	if (r == &v->root)
		return 0;
	return r->head ? (uint16_t)(r - v->recs + 1) : r->sess;
}

uint32_t vfsd_session_end(struct vfsd *v, struct vfsd_rec *head)
{
	bool dying[VFSD_RECS] = { false };
	size_t hi = (size_t)(head - v->recs);
	uint32_t n = 0;
	if (head == &v->root || hi >= VFSD_RECS)
		return 0;
	dying[hi] = true;
	/* Each pass marks one more level of nesting; a record's session is
	 * always a live head, so the passes end. */
	for (bool grew = true; grew;) {
		grew = false;
		for (size_t i = 0; i < VFSD_RECS; i++) {
			const struct vfsd_rec *r = &v->recs[i];
			if (r->used && !dying[i] && r->sess && dying[r->sess - 1])
				dying[i] = grew = true;
		}
	}
	for (size_t i = 0; i < VFSD_RECS; i++) {
		if (dying[i] && i != hi) {
			vfsd_rec_release(v, &v->recs[i]);
			n++;
		}
	}
	return n;
}

/* VFS_SESSION: a new session head for a directory record - the one
 * called, or (for the supervisor only) the one whose badge is named. */
static status_t on_session(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			   void *ctx)
{
	struct vfsd *v = ctx;
	struct vfsd_rec *caller = vfsd_rec_find(v, m->badge), *src;
	uint64_t named = m->len >= 8 ? vfs_get_u64(m->payload) : 0;
	(void)loop, (void)reply;
	if (!loop_msg_is_call(m)) {
		if (m->flags & MSG_FLAG_CAP)
			sys_cap_delete(m->cap);
		v->bad_requests++;
		return STATUS_INVALID;
	}
	if (!caller)
		return STATUS_STALE;
	if (named && caller != &v->root)
		return STATUS_NO_RIGHTS;
	src = named ? vfsd_rec_find(v, named) : caller;
	if (!src)
		return STATUS_STALE;
	if (src->type != VFS_TYPE_DIR)
		return STATUS_INVALID;
	status_t st = fat_ref(&v->vol, src->h);
	return st ? st : vfsd_reply_object(v, m, src->h, src->rights, src, VFS_O_DIR, true);
}

/* VFS_STATS: what vfsd holds for its clients, for any record's holder. */
static status_t on_stats(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			 void *ctx)
{
	struct vfsd *v = ctx;
	uint32_t recs = 0, heads = 0, shms = 0;
	(void)loop;
	if (!loop_msg_is_call(m))
		return STATUS_INVALID;
	if (!vfsd_rec_find(v, m->badge))
		return STATUS_STALE;
	for (size_t i = 0; i < VFSD_RECS; i++) {
		recs += v->recs[i].used;
		heads += v->recs[i].used && v->recs[i].head;
	}
	for (size_t i = 0; i < VFSD_SHMS; i++)
		shms += v->shms[i].refs != 0;
	uint8_t *p = reply->msg.payload;
	reply->msg.label = VFS_REPLY;
	reply->msg.len = 32;
	vfs_put_u32(p, recs);
	vfs_put_u32(p + 4, heads);
	vfs_put_u32(p + 8, shms);
	vfs_put_u32(p + 12, VFSD_RECS);
	vfs_put_u64(p + 16, v->bad_requests);
	vfs_put_u64(p + 24, v->ended_recs);
	return STATUS_OK;
}

status_t vfsd_sessions_register(struct vfsd *v, struct loop *loop)
{
	status_t st = loop_on_msg(loop, VFS_SESSION, on_session, v);
	return st ? st : loop_on_msg(loop, VFS_STATS, on_stats, v);
}
