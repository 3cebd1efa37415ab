/*
 * dir.c - directory entries: where slots are, scanning with long names,
 * short-name generation, adding, renaming and removing entry sets,
 * growing and shrinking directories.
 *
 * A directory is an array of 32-byte slots: the fixed root region of
 * FAT12/16, or the clusters of a chain. A slot whose first byte is 0x00
 * ends the directory; 0xE5 marks a deleted one. A file is an entry set:
 * its long-name entries (last part first) followed by its short entry.
 * The engine keeps every slot after the first 0x00 zero, so that readers
 * that stop there (Windows) and readers that do not (Linux, fsck.fat) see
 * the same entries. Directories never exceed FAT_DIR_SLOTS_MAX slots.
 */
#include <string.h>

#include "fatfs_int.h"

#define TAIL_WINDOW 1024u /* numeric tails checked per directory scan */

static bool fixed_root(const struct fat_volume *v, uint32_t dir)
{
	return dir == 0 && v->g.kind != FAT_KIND_32;
}

/* ---------------------------------------------------------------- slot positions */

status_t fat_dir_locate(struct fat_volume *v, struct fat_dirpos *p, uint32_t index,
			uint32_t *sector, uint32_t *off)
{
	uint64_t byte = (uint64_t)index * SLOT;
	uint32_t ss = v->g.sector_size, cs = v->g.cluster_size;

	if (index >= FAT_DIR_SLOTS_MAX)
		return STATUS_EMPTY;
	if (fixed_root(v, p->dir)) {
		if (index >= v->g.root_entries)
			return STATUS_EMPTY;
		*sector = v->g.root_start + (uint32_t)(byte / ss);
		*off = (uint32_t)(byte % ss);
		return STATUS_OK;
	}
	uint32_t cidx = (uint32_t)(byte / cs);
	if (p->clus == 0 || cidx < p->clus_idx) {
		if (!fat_cluster_ok(v, p->dir))
			return FAT_ST_CORRUPT;
		p->clus = p->dir;
		p->clus_idx = 0;
	}
	while (p->clus_idx < cidx) {
		uint32_t next;
		status_t st = fat_next(v, p->clus, &next);
		if (st)
			return st;
		if (next == FAT_END)
			return STATUS_EMPTY;
		p->clus = next;
		p->clus_idx++;
	}
	*sector = fat_cluster_sector(&v->g, p->clus) + (uint32_t)(byte % cs) / ss;
	*off = (uint32_t)(byte % ss);
	return STATUS_OK;
}

static status_t slot_read(struct fat_volume *v, struct fat_dirpos *p, uint32_t index, uint8_t *de)
{
	uint32_t sector, off;
	struct fat_cache_buf *b;
	status_t st = fat_dir_locate(v, p, index, &sector, &off);

	if (st == STATUS_OK)
		st = fat_cache_get(&v->cache, sector, &b);
	if (st)
		return st;
	memcpy(de, b->data + off, SLOT);
	fat_cache_put(&v->cache, b);
	return STATUS_OK;
}

static status_t slot_write(struct fat_volume *v, struct fat_dirpos *p, uint32_t index,
			   const uint8_t *de)
{
	uint32_t sector, off;
	struct fat_cache_buf *b;
	status_t st = fat_dir_locate(v, p, index, &sector, &off);

	if (st == STATUS_OK)
		st = fat_cache_modify(&v->cache, sector, FAT_WC_DIR, false, &b);
	if (st)
		return st == STATUS_EMPTY ? FAT_ST_CORRUPT : st;
	memcpy(b->data + off, de, SLOT);
	fat_cache_put(&v->cache, b);
	return STATUS_OK;
}

status_t fat_dir_read(struct fat_volume *v, uint32_t dir, uint32_t index, uint8_t *de)
{
	struct fat_dirpos p = { .dir = dir };
	status_t st = slot_read(v, &p, index, de);

	return st == STATUS_EMPTY ? FAT_ST_CORRUPT : st;
}

status_t fat_dir_write(struct fat_volume *v, uint32_t dir, uint32_t index, const uint8_t *de)
{
	struct fat_dirpos p = { .dir = dir };

	return slot_write(v, &p, index, de);
}

/* ---------------------------------------------------------------- walking slots */

/* Called for each slot by walk_slots(); returns true to stop there. It
 * must not use the cache (walk_slots holds the slot's sector). */
typedef bool (*slot_fn)(void *ctx, uint32_t index, const uint8_t *de);

/*
 * Calls visit on the slots of the directory at p from slot from on, a
 * sector at a time, until visit returns true (STATUS_OK, *at the slot) or
 * the directory has no more slots (STATUS_EMPTY, *at the slot count).
 */
static status_t walk_slots(struct fat_volume *v, struct fat_dirpos *p, uint32_t from, slot_fn visit,
			   void *ctx, uint32_t *at)
{
	uint32_t limit = fixed_root(v, p->dir) ? v->g.root_entries : FAT_DIR_SLOTS_MAX;

	for (uint32_t index = from;;) {
		uint32_t sector, off;
		struct fat_cache_buf *b;
		status_t st = fat_dir_locate(v, p, index, &sector, &off);
		if (st == STATUS_EMPTY)
			*at = index;
		if (st == STATUS_OK)
			st = fat_cache_get(&v->cache, sector, &b);
		if (st)
			return st;
		bool stop = false;
		for (; off < v->g.sector_size && index < limit && !stop; off += SLOT, index++)
			stop = visit(ctx, index, b->data + off);
		fat_cache_put(&v->cache, b);
		if (stop) {
			*at = index - 1;
			return STATUS_OK;
		}
	}
}

/* ---------------------------------------------------------------- scanning */

void fat_scan_init(struct fat_scan *s, uint32_t dir, uint32_t index)
{
	memset(s, 0, sizeof *s);
	s->pos.dir = dir;
	s->index = index;
}

/* The long-name pieces seen since the last short entry. */
struct lfn_state {
	uint8_t sum;
	uint8_t expect; /* the order number due next; 0 when complete */
	uint8_t count;  /* entries in the set */
	bool active;    /* inside a well-formed set so far */
	bool seen;      /* any long-name entry since the last short one */
	uint32_t first;
};

static const uint8_t lfn_offsets[FAT_LFN_UNITS] = { 1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30 };

/* Takes one long-name entry de at slot index into st and e->lfn. */
static void lfn_take(struct lfn_state *st, struct fat_entry *e, const uint8_t *de, uint32_t index)
{
	uint8_t ord = de[0] & 0x1f;

	st->seen = true;
	if (de[0] & 0x40) {
		st->active = ord >= 1 && ord <= FAT_LFN_SLOTS_MAX && de[0] < 0x80;
		st->sum = de[13];
		st->count = ord;
		st->expect = ord;
		st->first = index;
	} else if (!st->active || ord != st->expect || de[13] != st->sum || de[0] & 0xa0) {
		st->active = false;
	}
	if (!st->active)
		return;
	for (unsigned k = 0; k < FAT_LFN_UNITS; k++)
		e->lfn[(ord - 1) * FAT_LFN_UNITS + k] = (uint16_t)get16(de + lfn_offsets[k]);
	st->expect = (uint8_t)(ord - 1);
}

/* Finishes the long name of e from st when its short entry arrives. */
static void lfn_finish(const struct lfn_state *st, struct fat_entry *e)
{
	e->lfn_len = 0;
	e->first = e->slot;
	e->lfn_bad = st->seen;
	if (!st->active || st->expect != 0 || st->sum != fat_lfn_checksum(e->de))
		return;
	/* The name ends at the first NUL, which may only be in the last part. */
	size_t cap = (size_t)st->count * FAT_LFN_UNITS, len = 0;
	while (len < cap && e->lfn[len] != 0)
		len++;
	if (len == 0 || len > FAT_LFN_MAX || len <= cap - FAT_LFN_UNITS)
		return;
	e->lfn_len = (uint16_t)len;
	e->first = st->first;
	e->lfn_bad = false;
}

static bool is_dot_entry(const uint8_t *de)
{
	return memcmp(de, ".          ", 11) == 0 || memcmp(de, "..         ", 11) == 0;
}

/* A scan in progress: the long-name state and the entry being found. */
struct scan_ctx {
	struct lfn_state lfn;
	struct fat_entry *e;
	bool end; /* stopped at the end mark */
};

static bool scan_visit(void *ctx, uint32_t index, const uint8_t *de)
{
	struct scan_ctx *c = ctx;

	if (de[0] == DE_END) {
		c->end = true;
		return true;
	}
	if (de[0] == DE_DELETED) {
		c->lfn = (struct lfn_state){ 0 };
		return false;
	}
	if ((de[DE_ATTR] & 0x3f) == FAT_ATTR_LFN) {
		lfn_take(&c->lfn, c->e, de, index);
		return false;
	}
	if ((de[DE_ATTR] & FAT_ATTR_VOLUME) || is_dot_entry(de)) {
		c->lfn = (struct lfn_state){ 0 };
		return false;
	}
	memcpy(c->e->de, de, SLOT);
	c->e->slot = index;
	lfn_finish(&c->lfn, c->e);
	return true;
}

status_t fat_scan_next(struct fat_volume *v, struct fat_scan *s, struct fat_entry *e)
{
	struct scan_ctx c = { .e = e };
	uint32_t at;
	status_t st;

	if (s->done)
		return STATUS_EMPTY;
	st = walk_slots(v, &s->pos, s->index, scan_visit, &c, &at);
	if (st == STATUS_EMPTY || (st == STATUS_OK && c.end)) {
		s->done = true;
		return STATUS_EMPTY;
	}
	if (st)
		return st;
	s->index = at + 1;
	return STATUS_OK;
}

/* ---------------------------------------------------------------- lookup */

bool fat_entry_matches(const struct fat_entry *e, const uint16_t *name, size_t n)
{
	uint16_t sd[FAT_SHORT_DISPLAY_MAX];
	size_t k;

	if (e->lfn_len == n && fat_name_equal(e->lfn, name, n))
		return true;
	if (n > FAT_SHORT_DISPLAY_MAX)
		return false;
	k = fat_short_display(e->de, e->de[DE_NTRES], sd);
	return k == n && fat_name_equal(sd, name, n);
}

status_t fat_dir_find(struct fat_volume *v, uint32_t dir, const uint16_t *name, size_t n,
		      struct fat_entry *e)
{
	struct fat_dindex *x = fat_dx_get(v, dir);
	struct fat_scan s;
	status_t st;
	bool stale;

	if (x) {
		st = fat_dx_find(v, x, name, n, e, &stale);
		if (!stale)
			return st;
	}
	fat_scan_init(&s, dir, 0);
	while ((st = fat_scan_next(v, &s, e)) == STATUS_OK)
		if (fat_entry_matches(e, name, n))
			return STATUS_OK;
	return st == STATUS_EMPTY ? STATUS_NOT_FOUND : st;
}

/* ---------------------------------------------------------------- short names */

/* Sets *taken if an entry of dir other than slot skip has short name sfn. */
static status_t short_taken(struct fat_volume *v, uint32_t dir, const uint8_t sfn[11],
			    uint32_t skip, bool *taken)
{
	struct fat_dindex *x = fat_dx_get(v, dir);
	struct fat_scan s;
	struct fat_entry e;
	status_t st;

	*taken = false;
	if (x) {
		*taken = fat_dx_short_taken(x, sfn, skip);
		return STATUS_OK;
	}
	fat_scan_init(&s, dir, 0);
	while ((st = fat_scan_next(v, &s, &e)) == STATUS_OK) {
		if (e.slot != skip && memcmp(e.de, sfn, 11) == 0) {
			*taken = true;
			return STATUS_OK;
		}
	}
	return st == STATUS_EMPTY ? STATUS_OK : st;
}

/* Finds the smallest numeric tail for basis that no entry of dir uses:
 * one directory scan per window of TAIL_WINDOW numbers. */
static status_t pick_tail(struct fat_volume *v, uint32_t dir, const uint8_t basis[11],
			  uint32_t skip, uint8_t out[11])
{
	for (uint32_t base = 1; base <= 999999; base += TAIL_WINDOW) {
		uint8_t used[TAIL_WINDOW / 8] = { 0 };
		struct fat_dindex *x = fat_dx_get(v, dir);
		struct fat_scan s;
		struct fat_entry e;
		status_t st = STATUS_EMPTY;
		if (x)
			fat_dx_tails(x, basis, skip, base, TAIL_WINDOW, used);
		else
			fat_scan_init(&s, dir, 0);
		while (!x && (st = fat_scan_next(v, &s, &e)) == STATUS_OK) {
			uint32_t num = e.slot == skip ? 0 : fat_short_tail_number(basis, e.de);
			if (num >= base && num - base < TAIL_WINDOW)
				used[(num - base) / 8] |= (uint8_t)(1u << (num - base) % 8);
		}
		if (st != STATUS_EMPTY)
			return st;
		for (uint32_t i = 0; i < TAIL_WINDOW && base + i <= 999999; i++) {
			if (!(used[i / 8] & 1u << i % 8)) {
				fat_short_tail(basis, base + i, out);
				return STATUS_OK;
			}
		}
	}
	return FAT_ST_NO_SPACE;
}

/* Chooses the short name for name in dir: the name itself if it is an
 * exact 8.3 name (no long name needed), else its basis, else the basis
 * with the first free numeric tail. */
static status_t pick_short(struct fat_volume *v, uint32_t dir, const uint16_t *name, size_t n,
			   uint32_t skip, uint8_t out[11], uint8_t *nt, bool *need_lfn)
{
	uint8_t basis[11];
	bool taken;
	status_t st;

	*nt = 0;
	*need_lfn = true;
	if (fat_short_exact(name, n, out, nt)) {
		st = short_taken(v, dir, out, skip, &taken);
		if (st || !taken) {
			*need_lfn = false;
			return st;
		}
		*nt = 0;
	}
	if (fat_short_basis(name, n, basis)) {
		st = short_taken(v, dir, basis, skip, &taken);
		if (st)
			return st;
		if (!taken) {
			memcpy(out, basis, 11);
			return STATUS_OK;
		}
	}
	return pick_tail(v, dir, basis, skip, out);
}

/* ---------------------------------------------------------------- entry sets */

uint32_t fat_dir_slots_for(const uint16_t *name, size_t n)
{
	uint8_t sfn[11], nt;

	return fat_short_exact(name, n, sfn, &nt) ? 1 : 1 + (uint32_t)(n + 12) / 13;
}

/* Fills long-name entry de, part ord (1-based) of name for short name sum. */
static void lfn_fill(uint8_t *de, const uint16_t *name, size_t n, unsigned ord, bool last,
		     uint8_t sum)
{
	memset(de, 0, SLOT);
	de[0] = (uint8_t)(ord | (last ? 0x40 : 0));
	de[DE_ATTR] = FAT_ATTR_LFN;
	de[13] = sum;
	for (unsigned k = 0; k < FAT_LFN_UNITS; k++) {
		size_t pos = (size_t)(ord - 1) * FAT_LFN_UNITS + k;
		uint32_t u = pos < n ? name[pos] : pos == n ? 0 : 0xffff;
		put16(de + lfn_offsets[k], u);
	}
}

/* Writes the set of k slots from start: k - 1 long-name entries for name,
 * then the short entry de. */
static status_t write_set(struct fat_volume *v, uint32_t dir, uint32_t start, uint32_t k,
			  const uint16_t *name, size_t n, const uint8_t *de)
{
	struct fat_dirpos p = { .dir = dir };
	uint8_t sum = fat_lfn_checksum(de), slot[SLOT];
	status_t st = STATUS_OK;

	for (uint32_t i = 0; st == STATUS_OK && i + 1 < k; i++) {
		unsigned ord = k - 1 - i;
		lfn_fill(slot, name, n, ord, i == 0, sum);
		st = slot_write(v, &p, start + i, slot);
	}
	if (st == STATUS_OK)
		st = slot_write(v, &p, start + k - 1, de);
	fat_dx_added(v, dir, start, k, name, n, de, st == STATUS_OK);
	return st;
}

status_t fat_zero_cluster(struct fat_volume *v, uint32_t c)
{
	uint32_t first = fat_cluster_sector(&v->g, c);

	for (uint32_t i = 0; i < v->g.sec_per_clus; i++) {
		struct fat_cache_buf *b;
		status_t st = fat_cache_modify(&v->cache, first + i, FAT_WC_DATA, true, &b);
		if (st)
			return st;
		memset(b->data, 0, v->g.sector_size);
		fat_cache_put(&v->cache, b);
	}
	return STATUS_OK;
}

/* Adds n zeroed clusters to the directory whose last cluster is last. The
 * zeros are data of this epoch and the allocation goes before the link,
 * so the new clusters are on the device before the chain reaches them. */
static status_t grow(struct fat_volume *v, uint32_t last, uint32_t n)
{
	uint32_t first, tail, c;
	status_t st = fat_alloc(v, n, &first, &tail);

	c = first;
	for (uint32_t i = 0; st == STATUS_OK && i < n; i++) {
		st = fat_zero_cluster(v, c);
		if (st == STATUS_OK && i + 1 < n)
			st = fat_next(v, c, &c);
	}
	if (st == STATUS_OK)
		st = fat_link(v, last, first);
	return st;
}

/* Looking for k free slots in a row. */
struct run_ctx {
	uint32_t k, run;
	uint32_t first_free; /* the first free slot seen (FAT_NO_SLOT: none) */
	bool at_end;         /* past the end mark: every slot is free */
};

static bool run_visit(void *ctx, uint32_t index, const uint8_t *de)
{
	struct run_ctx *c = ctx;

	(void)index;
	c->at_end |= de[0] == DE_END;
	if (!c->at_end && de[0] != DE_DELETED) {
		c->run = 0;
		return false;
	}
	if (c->first_free == FAT_NO_SLOT)
		c->first_free = index;
	return ++c->run == c->k;
}

/* Where a run of k free slots starts in dir; the directory grows if it
 * has no such run. *tail is set if the run lies in the free space after
 * the directory's end mark. With dir's index, the search starts at its
 * free_hint (every slot before it is in use) and moves it on. */
static status_t find_run(struct fat_volume *v, uint32_t dir, uint32_t k, uint32_t *start,
			 bool *tail)
{
	struct fat_dindex *x = fat_dx_get(v, dir);
	struct fat_dirpos p = { .dir = dir };
	struct run_ctx c = { .k = k, .first_free = FAT_NO_SLOT };
	uint32_t at;
	status_t st = walk_slots(v, &p, x ? x->free_hint : 0, run_visit, &c, &at);

	if (x && (st == STATUS_OK || st == STATUS_EMPTY))
		x->free_hint = c.first_free != FAT_NO_SLOT ? c.first_free : at;
	if (st == STATUS_OK) {
		*start = at + 1 - k;
		*tail = c.at_end;
		return STATUS_OK;
	}
	if (st != STATUS_EMPTY)
		return st;
	/* at slots exist; the last c.run of them are free. */
	uint32_t need = k - c.run, per = v->g.cluster_size / SLOT;
	if (fixed_root(v, dir))
		return FAT_ST_NO_SPACE;
	if (at + need > FAT_DIR_SLOTS_MAX)
		return FAT_ST_TOO_BIG;
	st = grow(v, p.clus, (need + per - 1) / per);
	if (st)
		return st;
	*start = at - c.run;
	*tail = true;
	return STATUS_OK;
}

/* After a set written into the free tail of dir ending at slot last, makes
 * sure the slot after it is an end mark, so that no stale bytes beyond the
 * old end become entries. */
static status_t keep_end(struct fat_volume *v, uint32_t dir, uint32_t last)
{
	struct fat_dirpos p = { .dir = dir };
	uint8_t de[SLOT];
	status_t st = slot_read(v, &p, last + 1, de);

	if (st == STATUS_EMPTY)
		return STATUS_OK;
	if (st || de[0] == DE_END)
		return st;
	memset(de, 0, SLOT);
	return slot_write(v, &p, last + 1, de);
}

status_t fat_dir_prepare(struct fat_volume *v, uint32_t dir, const uint16_t *name, size_t n,
			 uint32_t skip_slot, struct fat_newent *ne)
{
	bool need_lfn;
	status_t st = pick_short(v, dir, name, n, skip_slot, ne->sfn, &ne->nt, &need_lfn);

	if (st)
		return st;
	ne->nslots = need_lfn ? 1 + (uint32_t)(n + 12) / 13 : 1;
	return find_run(v, dir, ne->nslots, &ne->start, &ne->tail);
}

status_t fat_dir_commit(struct fat_volume *v, uint32_t dir, const uint16_t *name, size_t n,
			uint8_t de[SLOT], const struct fat_newent *ne)
{
	uint32_t last = ne->start + ne->nslots - 1;
	status_t st;

	memcpy(de, ne->sfn, 11);
	de[DE_NTRES] = (uint8_t)((de[DE_NTRES] & ~(FAT_NT_LOWER_BASE | FAT_NT_LOWER_EXT)) | ne->nt);
	st = write_set(v, dir, ne->start, ne->nslots, name, n, de);
	if (st == STATUS_OK && ne->tail)
		st = keep_end(v, dir, last);
	return st;
}

status_t fat_dir_add(struct fat_volume *v, uint32_t dir, const uint16_t *name, size_t n,
		     uint8_t de[SLOT], uint32_t *slot, uint8_t *nslots)
{
	struct fat_newent ne;
	status_t st = fat_dir_prepare(v, dir, name, n, FAT_NO_SLOT, &ne);

	if (st == STATUS_OK)
		st = fat_dir_commit(v, dir, name, n, de, &ne);
	if (st)
		return st;
	*slot = ne.start + ne.nslots - 1;
	*nslots = (uint8_t)ne.nslots;
	return STATUS_OK;
}

status_t fat_dir_remove(struct fat_volume *v, uint32_t dir, uint32_t first, uint32_t last)
{
	struct fat_dirpos p = { .dir = dir };
	status_t st = STATUS_OK;

	for (uint32_t i = first; st == STATUS_OK && i <= last; i++) {
		uint8_t de[SLOT];
		st = slot_read(v, &p, i, de);
		if (st == STATUS_EMPTY)
			st = FAT_ST_CORRUPT;
		de[0] = DE_DELETED;
		if (st == STATUS_OK)
			st = slot_write(v, &p, i, de);
	}
	fat_dx_removed(v, dir, first, last, st == STATUS_OK);
	return st;
}

status_t fat_dir_rename_in_place(struct fat_volume *v, uint32_t dir, uint32_t first, uint32_t slot,
				 const uint16_t *name, size_t n, uint8_t *nslots)
{
	uint8_t de[SLOT], sfn[11], nt;
	bool need_lfn;
	status_t st = fat_dir_read(v, dir, slot, de);

	if (st == STATUS_OK)
		st = pick_short(v, dir, name, n, slot, sfn, &nt, &need_lfn);
	if (st)
		return st;
	uint32_t k = need_lfn ? 1 + (uint32_t)(n + 12) / 13 : 1;
	if (k > slot - first + 1)
		return FAT_ST_NO_SPACE;
	memcpy(de, sfn, 11);
	de[DE_NTRES] = (uint8_t)((de[DE_NTRES] & ~(FAT_NT_LOWER_BASE | FAT_NT_LOWER_EXT)) | nt);
	uint32_t start = slot + 1 - k;
	st = write_set(v, dir, start, k, name, n, de);
	if (st == STATUS_OK && start > first)
		st = fat_dir_remove(v, dir, first, start - 1);
	*nslots = (uint8_t)k;
	return st;
}

/* ---------------------------------------------------------------- whole directories */

status_t fat_dir_empty(struct fat_volume *v, uint32_t dir)
{
	struct fat_scan s;
	struct fat_entry e;
	status_t st;

	fat_scan_init(&s, dir, 0);
	st = fat_scan_next(v, &s, &e);
	if (st == STATUS_OK)
		return FAT_ST_NOT_EMPTY;
	return st == STATUS_EMPTY ? STATUS_OK : st;
}

/* Whether a cluster's slots hold anything. */
struct used_ctx {
	uint32_t end; /* the slot after the cluster */
	bool used;
};

static bool used_visit(void *ctx, uint32_t index, const uint8_t *de)
{
	struct used_ctx *c = ctx;

	c->used = de[0] != DE_END && de[0] != DE_DELETED;
	return c->used || index + 1 >= c->end;
}

/* Sets *used if any slot of cluster idx (chain index) of dir is in use. */
static status_t cluster_used(struct fat_volume *v, uint32_t dir, uint32_t idx, bool *used)
{
	struct fat_dirpos p = { .dir = dir };
	uint32_t per = v->g.cluster_size / SLOT, at;
	struct used_ctx c = { (idx + 1) * per, false };
	status_t st = walk_slots(v, &p, idx * per, used_visit, &c, &at);

	if (st)
		return st == STATUS_EMPTY ? FAT_ST_CORRUPT : st;
	*used = c.used;
	return STATUS_OK;
}

/* Stores the number of clusters of dir's chain in *len (at most the
 * clusters of FAT_DIR_SLOTS_MAX slots, plus one). */
static status_t dir_clusters(struct fat_volume *v, uint32_t dir, uint32_t *len)
{
	uint32_t c = dir, max = FAT_DIR_SLOTS_MAX / (v->g.cluster_size / SLOT) + 1;

	for (*len = 1; *len <= max; (*len)++) {
		status_t st = fat_next(v, c, &c);
		if (st || c == FAT_END)
			return st;
	}
	return STATUS_OK;
}

status_t fat_dir_shrink(struct fat_volume *v, uint32_t dir)
{
	uint32_t len, keep, last, rest;
	bool used = false;
	status_t st;

	if (fixed_root(v, dir))
		return STATUS_OK;
	st = dir_clusters(v, dir, &len);
	if (st || len < 2 || len > FAT_DIR_SLOTS_MAX / (v->g.cluster_size / SLOT))
		return st;
	/* Trailing clusters with nothing in them go; never the first. */
	for (keep = len; keep > 1; keep--) {
		st = cluster_used(v, dir, keep - 1, &used);
		if (st)
			return st;
		if (used)
			break;
	}
	if (keep >= len)
		return STATUS_OK;
	fat_dx_shrunk(v, dir, keep * (v->g.cluster_size / SLOT));
	st = fat_walk(v, dir, keep - 1, &last);
	if (st == STATUS_OK)
		st = fat_next(v, last, &rest);
	if (st == STATUS_OK && (last == FAT_END || rest == FAT_END))
		st = FAT_ST_CORRUPT;
	if (st)
		return st;
	/* The entries' removal goes before the cut, the cut before the
	 * clusters can be reused. */
	fat_cache_barrier(&v->cache);
	st = fat_set(v, last, fat_eoc(v));
	if (st)
		return st;
	fat_cache_barrier(&v->cache);
	return fat_free_chain(v, rest);
}

status_t fat_dir_init(struct fat_volume *v, uint32_t clus, uint32_t parent, const uint8_t *de)
{
	struct fat_cache_buf *b;
	status_t st;

	fat_dx_forget(v, clus); /* an index of a directory this cluster was */
	st = fat_zero_cluster(v, clus);
	if (st == STATUS_OK)
		st = fat_cache_modify(&v->cache, fat_cluster_sector(&v->g, clus), FAT_WC_DATA,
				      false, &b);
	if (st)
		return st;
	for (int i = 0; i < 2; i++) {
		uint8_t *d = b->data + i * SLOT;
		memcpy(d, de, SLOT);
		memcpy(d, i ? "..         " : ".          ", 11);
		d[DE_ATTR] = FAT_ATTR_DIR;
		d[DE_NTRES] = 0;
		put32(d + DE_SIZE, 0);
		de_set_cluster(d, i ? (parent == v->root_ref ? 0 : parent) : clus);
	}
	fat_cache_put(&v->cache, b);
	return STATUS_OK;
}

status_t fat_dir_parent(struct fat_volume *v, uint32_t dir, uint32_t *out)
{
	uint8_t de[SLOT];
	status_t st;

	if (dir == v->root_ref) {
		*out = v->root_ref;
		return STATUS_OK;
	}
	st = fat_dir_read(v, dir, 1, de);
	if (st)
		return st;
	if (memcmp(de, "..         ", 11) != 0 || !(de[DE_ATTR] & FAT_ATTR_DIR))
		return FAT_ST_CORRUPT;
	uint32_t c = de_cluster(v, de);
	if (c == 0)
		c = v->root_ref;
	else if (!fat_cluster_ok(v, c))
		return FAT_ST_CORRUPT;
	*out = c;
	return STATUS_OK;
}
