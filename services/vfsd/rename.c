/*
 * rename.c - fat_rename(): moving and renaming entries, replacing targets.
 *
 * FAT cannot move an entry atomically, and two entries naming one chain
 * are a cross-link, the one thing a power cut must never leave. So the
 * source entry goes first, then (after a barrier) the new one is written:
 * a cut between the two loses the name, leaving the clusters lost rather
 * than doubly owned. Renames within a directory to a name that fits in the
 * old slots are done in place, which leaves no such window. Room for the
 * new entry is found (the directory grown if need be) before the old one
 * is touched, so a full volume fails the rename without losing anything.
 */
#include <string.h>

#include "fatfs_int.h"

/* STATUS_INVALID if directory target is moving or lies below it. */
static status_t check_not_below(struct fat_volume *v, uint32_t moving, uint32_t target)
{
	uint32_t c = target;

	for (uint32_t i = 0; i < WALK_LIMIT; i++) {
		if (c == moving)
			return STATUS_INVALID;
		if (c == v->root_ref)
			return STATUS_OK;
		status_t st = fat_dir_parent(v, c, &c);
		if (st)
			return st;
	}
	return FAT_ST_CORRUPT;
}

/* Whether source s may replace target t (in directory to). */
static status_t check_replace(struct fat_volume *v, const struct fat_entry *s,
			      const struct fat_entry *t, uint32_t to)
{
	bool sdir = s->de[DE_ATTR] & FAT_ATTR_DIR, tdir = t->de[DE_ATTR] & FAT_ATTR_DIR;

	if (sdir && !tdir)
		return FAT_ST_NOT_DIR;
	if (!sdir && tdir)
		return FAT_ST_IS_DIR;
	if (fat_node_find(v, to, t->slot))
		return FAT_ST_OPEN;
	if (!tdir)
		return STATUS_OK;
	if (!fat_cluster_ok(v, de_cluster(v, t->de)))
		return FAT_ST_CORRUPT;
	return fat_dir_empty(v, de_cluster(v, t->de));
}

/* Points the open node of from/slot, if any, at its new place. */
static void follow(struct fat_volume *v, uint32_t from, uint32_t slot, uint32_t to,
		   uint32_t new_slot, uint32_t nslots)
{
	struct fat_node *n = fat_node_find(v, from, slot);

	if (!n)
		return;
	n->parent = to;
	n->slot = new_slot;
	n->nslots = (uint8_t)nslots;
	n->dirty = false; /* the new entry was written from it */
}

/* The moving directory's ".." entry, read before anything changes. */
static status_t read_dotdot(struct fat_volume *v, uint32_t dir, uint8_t *de)
{
	status_t st = fat_dir_read(v, dir, 1, de);

	if (st == STATUS_OK && memcmp(de, "..         ", 11) != 0)
		st = FAT_ST_CORRUPT;
	return st;
}

/* The short entry the moved file gets: s's, brought up to date from its
 * open node. */
static void source_entry(struct fat_volume *v, uint32_t from, const struct fat_entry *s,
			 uint8_t *de)
{
	struct fat_node *n = fat_node_find(v, from, s->slot);

	memcpy(de, s->de, SLOT);
	if (n)
		fat_node_to_entry(n, de);
}

/* Takes everything but the name (bytes 0-10) and its case bits from src. */
static void replace_fields(uint8_t *dst, const uint8_t *src)
{
	dst[DE_ATTR] = src[DE_ATTR];
	memcpy(dst + DE_CTENTH, src + DE_CTENTH, SLOT - DE_CTENTH);
}

struct move {
	uint32_t from, to;
	const struct fat_entry *s, *t; /* t: the entry replaced, or NULL */
	const uint16_t *name;
	size_t n;
};

/* Writes the entry for the moved file after the source is gone: over the
 * replaced entry, or into the slots m->ne chose. */
static status_t write_target(struct fat_volume *v, const struct move *m,
			     const struct fat_newent *ne, uint8_t *de, uint32_t *slot,
			     uint32_t *nslots)
{
	if (m->t) {
		uint8_t td[SLOT];
		memcpy(td, m->t->de, SLOT);
		replace_fields(td, de);
		*slot = m->t->slot;
		*nslots = m->t->slot - m->t->first + 1;
		return fat_dir_write(v, m->to, m->t->slot, td);
	}
	*slot = ne->start + ne->nslots - 1;
	*nslots = ne->nslots;
	return fat_dir_commit(v, m->to, m->name, m->n, de, ne);
}

static status_t move_entry(struct fat_volume *v, const struct move *m)
{
	bool sdir = m->s->de[DE_ATTR] & FAT_ATTR_DIR, reparent = sdir && m->from != m->to;
	uint32_t sclus = de_cluster(v, m->s->de), slot, nslots;
	uint8_t de[SLOT], dotdot[SLOT];
	struct fat_newent ne;
	status_t st = STATUS_OK;

	source_entry(v, m->from, m->s, de);
	if (reparent)
		st = read_dotdot(v, sclus, dotdot);
	if (st == STATUS_OK && !m->t)
		st = fat_dir_prepare(v, m->to, m->name, m->n,
				     m->from == m->to ? m->s->slot : FAT_NO_SLOT, &ne);
	if (st == STATUS_OK)
		st = fat_dir_remove(v, m->from, m->s->first, m->s->slot);
	if (st)
		return st;
	fat_cache_barrier(&v->cache);
	st = write_target(v, m, &ne, de, &slot, &nslots);
	if (st == STATUS_OK && reparent) {
		de_set_cluster(dotdot, m->to == v->root_ref ? 0 : m->to);
		st = fat_dir_write(v, sclus, 1, dotdot);
	}
	if (st)
		return st;
	follow(v, m->from, m->s->slot, m->to, slot, nslots);
	if (m->t && fat_cluster_ok(v, de_cluster(v, m->t->de))) {
		fat_cache_barrier(&v->cache);
		st = fat_free_chain(v, de_cluster(v, m->t->de));
		if (st && st != FAT_ST_CORRUPT)
			return st;
	}
	return fat_dir_shrink(v, m->from);
}

/* Renames s within directory dir to name: in its own slots if they are
 * enough, else as a move. */
static status_t rename_here(struct fat_volume *v, uint32_t dir, const struct fat_entry *s,
			    const uint16_t *name, size_t n)
{
	uint8_t nslots;
	struct fat_node *node = fat_node_find(v, dir, s->slot);
	status_t st = fat_dir_rename_in_place(v, dir, s->first, s->slot, name, n, &nslots);

	if (st == STATUS_OK) {
		if (node)
			node->nslots = nslots;
		return STATUS_OK;
	}
	if (st != FAT_ST_NO_SPACE)
		return st;
	struct move m = { .from = dir, .to = dir, .s = s, .t = NULL, .name = name, .n = n };
	return move_entry(v, &m);
}

/* The lookups and checks of fat_rename(). */
struct rename_args {
	struct fat_node *fd, *td;
	uint16_t su[FAT_LFN_MAX], du[FAT_LFN_MAX];
	size_t sn, dn;
	struct fat_entry s, t;
	bool have_t;
};

static status_t rename_lookup(struct fat_volume *v, fat_handle_t from_dir, const char *from,
			      size_t from_len, fat_handle_t to_dir, const char *to, size_t to_len,
			      struct rename_args *a)
{
	status_t st = fat_node_dir(v, from_dir, &a->fd);

	if (st == STATUS_OK)
		st = fat_node_dir(v, to_dir, &a->td);
	if (st == STATUS_OK)
		st = fat_name16_existing(from, from_len, a->su, &a->sn);
	if (st == STATUS_OK)
		st = fat_name16(to, to_len, a->du, &a->dn);
	if (st == STATUS_OK)
		st = fat_writable(v);
	if (st == STATUS_OK)
		st = fat_dir_find(v, a->fd->start, a->su, a->sn, &a->s);
	if (st)
		return st;
	if (a->s.de[DE_ATTR] & FAT_ATTR_DIR) {
		uint32_t c = de_cluster(v, a->s.de);
		st = fat_cluster_ok(v, c) ? check_not_below(v, c, a->td->start) : FAT_ST_CORRUPT;
		if (st)
			return st;
	}
	st = fat_dir_find(v, a->td->start, a->du, a->dn, &a->t);
	a->have_t = st == STATUS_OK;
	return st == STATUS_NOT_FOUND ? STATUS_OK : st;
}

status_t fat_rename(struct fat_volume *v, fat_handle_t from_dir, const char *from, size_t from_len,
		    fat_handle_t to_dir, const char *to, size_t to_len)
{
	static const struct rename_args zero;
	struct rename_args a = zero;
	status_t st = rename_lookup(v, from_dir, from, from_len, to_dir, to, to_len, &a);
	uint32_t f, t;

	if (st)
		return st;
	f = a.fd->start;
	t = a.td->start;
	if (a.have_t && f == t && a.t.slot == a.s.slot) {
		/* The same entry: nothing to do, or a change of case. */
		if (from_len == to_len && memcmp(from, to, to_len) == 0)
			return STATUS_OK;
		return rename_here(v, f, &a.s, a.du, a.dn);
	}
	if (a.have_t) {
		st = check_replace(v, &a.s, &a.t, t);
		if (st)
			return st;
	} else if (f == t) {
		return rename_here(v, f, &a.s, a.du, a.dn);
	}
	struct move m = {
		.from = f, .to = t, .s = &a.s, .t = a.have_t ? &a.t : NULL, .name = a.du, .n = a.dn
	};
	return move_entry(v, &m);
}
