/*
 * dindex.c - the directory index: one directory's entries in memory, so
 * that lookups, short-name choice and free-slot search stop scanning it.
 *
 * Each entry of the directory has a record: the hashes of its folded long
 * name (if it has one) and of its folded short name, each in a chain of
 * buckets, the slots of its set and its 11-byte short name. A lookup
 * hashes the name and reads only the candidates of its two buckets (each
 * is read from the directory and compared in full, so a collision or a
 * stale record costs a read, never a wrong answer). Short-name checks and
 * numeric tails go over the records' short names in memory. free_hint
 * lets the free-slot search start past the slots known to be in use.
 *
 * The index is complete: it is built by a full scan (the same scan that
 * lookups did before, so a hostile directory is indexed as it is read),
 * and every change of the directory's names goes through fat_dx_added()
 * or fat_dx_removed(). Writes that do not change names (an entry's size
 * or times, a moved directory's "..") need nothing. It is dropped when
 * the directory's first cluster is freed or made into a new directory,
 * when a change fails half-way, at a cache drop and at unmount.
 * FAT_DX_DIRS directories are indexed at once, each in an equal share of
 * the memory; a directory with more entries than an index holds is
 * scanned as before.
 */
#include <string.h>

#include "fatfs_int.h"

#define DX_NONE 0xffffu /* the end of a chain */
#define DX_LIVE 0x1u
#define DX_LFN 0x2u

/* FNV-1a over the folded units. */
static uint32_t dx_hash(const uint16_t *u, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++) {
		uint16_t c = fat_fold(u[i]);
		h = (h ^ (c & 0xff)) * 16777619u;
		h = (h ^ (c >> 8)) * 16777619u;
	}
	return h;
}

/* Sets up one index in at most bytes of a. */
static status_t dx_init_one(struct fat_dindex *x, struct arena *a, size_t bytes)
{
	uint32_t cap = 0, nb = 1;
	void *ent, *heads;

	memset(x, 0, sizeof *x);
	/* The most entries, with at least as many buckets, that fit. */
	for (;;) {
		uint32_t c = cap ? cap * 2 : 8, b = nb;
		while (b < c)
			b *= 2;
		if (c >= DX_NONE ||
		    (size_t)c * sizeof(struct fat_dx_ent) + (size_t)b * 4 + 64 > bytes)
			break;
		cap = c;
		nb = b;
	}
	if (cap == 0)
		return STATUS_OK;
	if (arena_alloc(a, (size_t)cap * sizeof(struct fat_dx_ent), 16, &ent) ||
	    arena_alloc(a, (size_t)nb * 4, 16, &heads))
		return STATUS_NO_MEMORY;
	x->ent = ent;
	x->head_l = heads;
	x->head_s = x->head_l + nb;
	x->cap = cap;
	x->mask = nb - 1;
	return STATUS_OK;
}

status_t fat_dx_init(struct fat_volume *v, struct arena *a, size_t bytes)
{
	status_t st = STATUS_OK;

	for (uint32_t i = 0; st == STATUS_OK && i < FAT_DX_DIRS; i++)
		st = dx_init_one(&v->dx[i], a, bytes / FAT_DX_DIRS);
	return st;
}

/* dir's index (live or too big), or NULL. */
static struct fat_dindex *dx_of(struct fat_volume *v, uint32_t dir)
{
	for (uint32_t i = 0; i < FAT_DX_DIRS; i++)
		if (v->dx[i].state != FAT_DX_NONE && v->dx[i].dir == dir)
			return &v->dx[i];
	return NULL;
}

/* Empties x, for directory dir. */
static void dx_reset(struct fat_dindex *x, uint32_t dir)
{
	memset(x->head_l, 0xff, (size_t)(x->mask + 1) * 4);
	x->used = x->count = 0;
	x->free = DX_NONE;
	x->dir = dir;
	x->free_hint = 0;
	x->state = FAT_DX_NONE;
}

void fat_dx_drop(struct fat_volume *v)
{
	for (uint32_t i = 0; i < FAT_DX_DIRS; i++)
		v->dx[i].state = FAT_DX_NONE;
}

void fat_dx_forget(struct fat_volume *v, uint32_t dir)
{
	struct fat_dindex *x = dx_of(v, dir);

	if (x)
		x->state = FAT_DX_NONE;
}

void fat_dx_shrunk(struct fat_volume *v, uint32_t dir, uint32_t count)
{
	struct fat_dindex *x = dx_of(v, dir);

	if (x && x->free_hint > count)
		x->free_hint = count;
}

/* Adds a record; false if x is full. */
static bool dx_insert(struct fat_dindex *x, uint32_t hl, bool lfn, uint32_t hs, uint32_t slot,
		      uint32_t first, const uint8_t *sfn)
{
	uint32_t i;

	if (x->free != DX_NONE) {
		i = x->free;
		x->free = x->ent[i].next_l;
	} else if (x->used < x->cap) {
		i = x->used++;
	} else {
		return false;
	}
	struct fat_dx_ent *r = &x->ent[i];
	r->hl = hl;
	r->hs = hs;
	r->slot = (uint16_t)slot;
	r->first = (uint16_t)first;
	r->flags = (uint8_t)(DX_LIVE | (lfn ? DX_LFN : 0));
	memcpy(r->sfn, sfn, 11);
	r->next_s = x->head_s[hs & x->mask];
	x->head_s[hs & x->mask] = (uint16_t)i;
	r->next_l = DX_NONE;
	if (lfn) {
		r->next_l = x->head_l[hl & x->mask];
		x->head_l[hl & x->mask] = (uint16_t)i;
	}
	x->count++;
	return true;
}

/* Takes record i out of the chain starting at *head (next_l or next_s). */
static void dx_unchain(struct fat_dindex *x, uint16_t *head, uint32_t i, bool longs)
{
	for (uint16_t *p = head; *p != DX_NONE;) {
		struct fat_dx_ent *r = &x->ent[*p];
		uint16_t *next = longs ? &r->next_l : &r->next_s;
		if (*p == i) {
			*p = *next;
			return;
		}
		p = next;
	}
}

static void dx_delete(struct fat_dindex *x, uint32_t i)
{
	struct fat_dx_ent *r = &x->ent[i];

	if (r->flags & DX_LFN)
		dx_unchain(x, &x->head_l[r->hl & x->mask], i, true);
	dx_unchain(x, &x->head_s[r->hs & x->mask], i, false);
	r->flags = 0;
	r->next_l = x->free;
	x->free = (uint16_t)i;
	x->count--;
}

/* The hash of the short name of short entry de, as lookups see it. */
static uint32_t dx_short_hash(const uint8_t *de)
{
	uint16_t sd[FAT_SHORT_DISPLAY_MAX];
	size_t k = fat_short_display(de, de[DE_NTRES], sd);

	return dx_hash(sd, k);
}

/* Fills x with every entry of dir; FAT_DX_TOO_BIG if they do not fit. */
static status_t dx_build(struct fat_volume *v, struct fat_dindex *x, uint32_t dir)
{
	struct fat_scan s;
	struct fat_entry e;
	status_t st;

	dx_reset(x, dir);
	fat_scan_init(&s, dir, 0);
	while ((st = fat_scan_next(v, &s, &e)) == STATUS_OK) {
		uint32_t hl = e.lfn_len ? dx_hash(e.lfn, e.lfn_len) : 0;
		if (!dx_insert(x, hl, e.lfn_len != 0, dx_short_hash(e.de), e.slot, e.first, e.de)) {
			x->state = FAT_DX_TOO_BIG;
			return STATUS_OK;
		}
	}
	if (st != STATUS_EMPTY)
		return st;
	x->state = FAT_DX_LIVE;
	return STATUS_OK;
}

struct fat_dindex *fat_dx_get(struct fat_volume *v, uint32_t dir)
{
	struct fat_dindex *x = dx_of(v, dir);

	if (v->dx[0].cap == 0)
		return NULL;
	if (!x) {
		/* A free index, else the one used longest ago. */
		x = &v->dx[0];
		for (uint32_t i = 1; i < FAT_DX_DIRS && x->state != FAT_DX_NONE; i++)
			if (v->dx[i].state == FAT_DX_NONE ||
			    v->dx[i].used_at - v->dx_clock < x->used_at - v->dx_clock)
				x = &v->dx[i];
		if (dx_build(v, x, dir)) {
			x->state = FAT_DX_NONE;
			return NULL;
		}
	}
	x->used_at = ++v->dx_clock;
	return x->state == FAT_DX_LIVE ? x : NULL;
}

/* Reads the entry record r names and keeps its slot in *best if it is
 * called name and comes before *best; *stale if r is wrong. */
static status_t dx_check(struct fat_volume *v, struct fat_dindex *x, const struct fat_dx_ent *r,
			 const uint16_t *name, size_t n, struct fat_entry *e, uint32_t *best,
			 bool *stale)
{
	struct fat_scan s;
	status_t st;

	if (r->slot >= *best)
		return STATUS_OK;
	fat_scan_init(&s, x->dir, r->first);
	st = fat_scan_next(v, &s, e);
	if (st == STATUS_EMPTY ||
	    (st == STATUS_OK && (e->slot != r->slot || e->first != r->first))) {
		*stale = true;
		return STATUS_OK;
	}
	if (st == STATUS_OK && fat_entry_matches(e, name, n))
		*best = r->slot;
	return st;
}

status_t fat_dx_find(struct fat_volume *v, struct fat_dindex *x, const uint16_t *name, size_t n,
		     struct fat_entry *e, bool *stale)
{
	uint32_t h = dx_hash(name, n), best = FAT_DIR_SLOTS_MAX, i;
	status_t st = STATUS_OK;

	*stale = false;
	/* Candidates by long name, then by short name; the first in the
	 * directory wins, as in a scan. */
	for (i = x->head_l[h & x->mask]; !st && !*stale && i != DX_NONE; i = x->ent[i].next_l)
		if (x->ent[i].hl == h)
			st = dx_check(v, x, &x->ent[i], name, n, e, &best, stale);
	for (i = x->head_s[h & x->mask]; !st && !*stale && i != DX_NONE; i = x->ent[i].next_s)
		if (x->ent[i].hs == h)
			st = dx_check(v, x, &x->ent[i], name, n, e, &best, stale);
	if (st == STATUS_OK && !*stale && best != FAT_DIR_SLOTS_MAX && e->slot != best) {
		/* e holds a later candidate: read the winner again. */
		for (i = 0; i < x->used; i++)
			if ((x->ent[i].flags & DX_LIVE) && x->ent[i].slot == best)
				break;
		*stale = i == x->used;
		best = FAT_DIR_SLOTS_MAX;
		if (!*stale)
			st = dx_check(v, x, &x->ent[i], name, n, e, &best, stale);
		*stale |= st == STATUS_OK && best == FAT_DIR_SLOTS_MAX;
	}
	if (*stale)
		x->state = FAT_DX_NONE;
	if (st || *stale)
		return st;
	return best == FAT_DIR_SLOTS_MAX ? STATUS_NOT_FOUND : STATUS_OK;
}

bool fat_dx_short_taken(const struct fat_dindex *x, const uint8_t sfn[11], uint32_t skip)
{
	for (uint32_t i = 0; i < x->used; i++) {
		const struct fat_dx_ent *r = &x->ent[i];
		if ((r->flags & DX_LIVE) && r->slot != skip && memcmp(r->sfn, sfn, 11) == 0)
			return true;
	}
	return false;
}

void fat_dx_tails(const struct fat_dindex *x, const uint8_t basis[11], uint32_t skip, uint32_t base,
		  uint32_t window, uint8_t *used)
{
	for (uint32_t i = 0; i < x->used; i++) {
		const struct fat_dx_ent *r = &x->ent[i];
		if (!(r->flags & DX_LIVE) || r->slot == skip)
			continue;
		uint32_t num = fat_short_tail_number(basis, r->sfn);
		if (num >= base && num - base < window)
			used[(num - base) / 8] |= (uint8_t)(1u << (num - base) % 8);
	}
}

/* Deletes the records of entries whose short entry is in first .. last. */
static void dx_delete_range(struct fat_dindex *x, uint32_t first, uint32_t last)
{
	for (uint32_t i = 0; i < x->used && x->count; i++)
		if ((x->ent[i].flags & DX_LIVE) && x->ent[i].slot >= first &&
		    x->ent[i].slot <= last)
			dx_delete(x, i);
}

void fat_dx_added(struct fat_volume *v, uint32_t dir, uint32_t start, uint32_t k,
		  const uint16_t *name, size_t n, const uint8_t *de, bool ok)
{
	struct fat_dindex *x = dx_of(v, dir);
	uint32_t last = start + k - 1;

	if (!x)
		return;
	if (!ok)
		x->state = FAT_DX_NONE;
	if (x->state != FAT_DX_LIVE)
		return; /* a directory too big stays so when it grows */
	dx_delete_range(x, start, last);
	uint32_t hl = k > 1 ? dx_hash(name, n) : 0;
	if (!dx_insert(x, hl, k > 1, dx_short_hash(de), last, start, de)) {
		x->state = FAT_DX_TOO_BIG;
		return;
	}
	if (x->free_hint >= start && x->free_hint <= last)
		x->free_hint = last + 1;
}

void fat_dx_removed(struct fat_volume *v, uint32_t dir, uint32_t first, uint32_t last, bool ok)
{
	struct fat_dindex *x = dx_of(v, dir);

	if (!x)
		return;
	if (!ok || x->state != FAT_DX_LIVE) {
		x->state = FAT_DX_NONE; /* a full index may fit again: build anew */
		return;
	}
	dx_delete_range(x, first, last);
	if (first < x->free_hint)
		x->free_hint = first;
}
