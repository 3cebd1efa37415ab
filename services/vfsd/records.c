/*
 * records.c - the capability records client badges name, and the client
 * buffers they share (server.h).
 *
 * A badge is (nonce << 16) | (index + 1); the record keeps the nonce, so
 * a badge whose record was freed and reused, or one made up by a client,
 * names nothing. Every record holds one engine reference to its object.
 */
#include <string.h>

#include "keel/map.h"
#include "keel/sys.h"
#include "server.h"

#define NONCE_MASK 0xffffffffffffull

struct vfsd_rec *vfsd_rec_find(struct vfsd *v, uint64_t badge)
{
	if (badge == VFS_BADGE_ROOT)
		return v->root.used ? &v->root : NULL;
	uint64_t idx = (badge & 0xffff) - 1;
	if (idx >= VFSD_RECS)
		return NULL;
	struct vfsd_rec *r = &v->recs[idx];
	return r->used && r->nonce == badge >> 16 ? r : NULL;
}

static uint64_t badge_of(const struct vfsd *v, const struct vfsd_rec *r)
{
	return r->nonce << 16 | (uint64_t)(r - v->recs + 1);
}

/* A nonce that is never 0 (so no badge of a record is 0). */
static uint64_t fresh_nonce(struct vfsd *v)
{
	uint64_t n = v->nonce(v->nonce_ctx) & NONCE_MASK;
	return n ? n : 1;
}

status_t vfsd_rec_new(struct vfsd *v, fat_handle_t h, uint8_t type, uint32_t rights, uint8_t shm,
		      cap_handle_t *cap, struct vfsd_rec **out)
{
	struct vfsd_rec *r = NULL;
	for (size_t i = 0; i < VFSD_RECS && !r; i++)
		if (!v->recs[i].used)
			r = &v->recs[i];
	if (!r) {
		fat_close(&v->vol, h);
		return STATUS_QUOTA;
	}
	*r = (struct vfsd_rec){ .used = true,
				.type = type,
				.shm = VFSD_SHM_NONE,
				.rights = rights,
				.nonce = fresh_nonce(v),
				.h = h };
	status_t st = sys_cap_derive(v->inbox, RIGHT_SEND | RIGHT_GRANT, badge_of(v, r), cap);
	if (st) {
		vfsd_rec_free(v, r);
		return st;
	}
	if (shm != VFSD_SHM_NONE && shm < VFSD_SHMS && v->shms[shm].refs) {
		v->shms[shm].refs++;
		r->shm = shm;
	}
	*out = r;
	return STATUS_OK;
}

/* Drops one share of buffer i; the last one unmaps it. */
static void shm_put(struct vfsd *v, uint8_t i)
{
	if (i >= VFSD_SHMS || !v->shms[i].refs)
		return;
	struct vfsd_shm *s = &v->shms[i];
	if (--s->refs)
		return;
	keel_unmap(s->base, s->bytes / 4096);
	sys_cap_delete(s->cap);
	*s = (struct vfsd_shm){ 0 };
}

static void pos_put(struct vfsd *v, uint8_t pos)
{
	if (pos && pos <= VFSD_POSS && v->poss[pos - 1].refs)
		v->poss[pos - 1].refs--;
}

status_t vfsd_pos_make(struct vfsd *v, struct vfsd_rec *r, uint64_t off)
{
	if (r->pos)
		return STATUS_OK;
	for (uint8_t i = 0; i < VFSD_POSS; i++)
		if (!v->poss[i].refs) {
			v->poss[i] = (struct vfsd_pos){ .refs = 1, .off = off };
			r->pos = (uint8_t)(i + 1);
			return STATUS_OK;
		}
	return STATUS_QUOTA;
}

void vfsd_rec_release(struct vfsd *v, struct vfsd_rec *r)
{
	if (!r->used)
		return;
	fat_close(&v->vol, r->h);
	shm_put(v, r->shm);
	pos_put(v, r->pos);
	*r = (struct vfsd_rec){ 0 };
}

void vfsd_rec_free(struct vfsd *v, struct vfsd_rec *r)
{
	if (!r->used)
		return;
	if (r->head)
		v->ended_recs += vfsd_session_end(v, r);
	fat_close(&v->vol, r->h);
	shm_put(v, r->shm);
	pos_put(v, r->pos);
	*r = (struct vfsd_rec){ 0 };
}

/* Checks that cap is a memory object we may map read-write. */
static status_t shm_check(cap_handle_t cap)
{
	uint64_t info, badge;
	status_t st = sys_cap_info(cap, &info, &badge);
	if (st)
		return st;
	uint32_t type = (uint32_t)info, rights = (uint32_t)(info >> 32);
	uint32_t need = RIGHT_MAP | RIGHT_READ | RIGHT_WRITE;
	if (type != OBJ_MEMORY)
		return STATUS_BAD_CAP;
	return (rights & need) == need ? STATUS_OK : STATUS_NO_RIGHTS;
}

status_t vfsd_shm_attach(struct vfsd *v, struct vfsd_rec *r, cap_handle_t cap, uint32_t pages)
{
	void *addr;
	struct vfsd_shm *s = NULL;
	uint8_t i;
	for (i = 0; i < VFSD_SHMS && !s; i++)
		if (!v->shms[i].refs)
			s = &v->shms[i];
	status_t st = pages == 0 || pages > VFS_SHM_PAGES_MAX ? STATUS_RANGE : shm_check(cap);
	if (st == STATUS_OK && !s)
		st = STATUS_QUOTA;
	if (st == STATUS_OK)
		st = keel_map(cap, 0, pages, RIGHT_READ | RIGHT_WRITE, &addr);
	if (st) {
		sys_cap_delete(cap);
		return st;
	}
	*s = (struct vfsd_shm){ .refs = 1, .cap = cap, .base = addr, .bytes = (size_t)pages * 4096 };
	shm_put(v, r->shm);
	r->shm = (uint8_t)(i - 1);
	return STATUS_OK;
}

status_t vfsd_shm_span(struct vfsd *v, const struct vfsd_rec *r, uint64_t off, uint64_t need,
		       uint8_t **out)
{
	if (r->shm == VFSD_SHM_NONE)
		return r->shm_err ? r->shm_err : STATUS_NOT_FOUND;
	const struct vfsd_shm *s = &v->shms[r->shm];
	if (off > s->bytes || need > s->bytes - off)
		return STATUS_RANGE;
	*out = s->base + off;
	return STATUS_OK;
}

status_t vfsd_init(struct vfsd *v, cap_handle_t inbox, vfsd_nonce_fn *nonce, void *nonce_ctx)
{
	memset(v->recs, 0, sizeof v->recs);
	memset(v->shms, 0, sizeof v->shms);
	v->inbox = inbox;
	v->nonce = nonce;
	v->nonce_ctx = nonce_ctx;
	v->stopped = false;
	v->bad_requests = 0;
	v->ended_recs = 0;
	v->root = (struct vfsd_rec){ .type = VFS_TYPE_DIR,
				     .shm = VFSD_SHM_NONE,
				     .rights = VFS_R_ALL };
	status_t st = fat_root(&v->vol, &v->root.h);
	v->root.used = st == STATUS_OK;
	return st;
}

status_t vfsd_shutdown(struct vfsd *v)
{
	for (size_t i = 0; i < VFSD_RECS; i++)
		vfsd_rec_free(v, &v->recs[i]);
	vfsd_rec_free(v, &v->root);
	if (v->stopped)
		return STATUS_OK;
	v->stopped = true;
	return fat_unmount(&v->vol);
}
