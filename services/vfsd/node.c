/*
 * node.c - open objects and the operations on names: handles, lookup,
 * create, mkdir, unlink, rmdir, rename, stat, setattr, readdir, close.
 *
 * A node is identified on disk by where its short entry is: (parent
 * directory ref, slot). Opening it again finds the same node, so every
 * handle of a file sees the same size and chain. Node 0 is the root,
 * which has no entry and is never freed.
 */
#include <string.h>

#include "fatfs_int.h"
#include "fattime.h"
#include "keel/path.h"

/* ---------------------------------------------------------------- handles */

static fat_handle_t handle_of(const struct fat_volume *v, const struct fat_node *n)
{
	return (uint32_t)n->gen << 16 | (uint32_t)(n - v->nodes);
}

status_t fat_node_get(struct fat_volume *v, fat_handle_t h, struct fat_node **out)
{
	uint32_t idx = h & 0xffff;

	if (!v->mounted || idx >= v->max_nodes)
		return FAT_ST_BAD_HANDLE;
	struct fat_node *n = &v->nodes[idx];
	if (!n->refs || n->gen != h >> 16)
		return FAT_ST_BAD_HANDLE;
	*out = n;
	return STATUS_OK;
}

status_t fat_node_file(struct fat_volume *v, fat_handle_t h, struct fat_node **out)
{
	status_t st = fat_node_get(v, h, out);

	if (st == STATUS_OK && (*out)->kind != NODE_FILE)
		return FAT_ST_IS_DIR;
	return st;
}

status_t fat_node_dir(struct fat_volume *v, fat_handle_t h, struct fat_node **out)
{
	status_t st = fat_node_get(v, h, out);

	if (st == STATUS_OK && (*out)->kind != NODE_DIR)
		return FAT_ST_NOT_DIR;
	return st;
}

struct fat_node *fat_node_find(struct fat_volume *v, uint32_t parent, uint32_t slot)
{
	for (uint32_t i = 1; i < v->max_nodes; i++) {
		struct fat_node *n = &v->nodes[i];
		if (n->refs && n->parent == parent && n->slot == slot)
			return n;
	}
	return NULL;
}

static struct fat_node *node_free_slot(struct fat_volume *v)
{
	for (uint32_t i = 1; i < v->max_nodes; i++)
		if (!v->nodes[i].refs)
			return &v->nodes[i];
	return NULL;
}

/* Fills node n from the entry e found in parent. */
static status_t node_fill(struct fat_volume *v, struct fat_node *n, uint32_t parent,
			  const struct fat_entry *e)
{
	const uint8_t *de = e->de;
	uint32_t c = de_cluster(v, de);
	uint16_t gen = n->gen;

	if (de[DE_ATTR] & FAT_ATTR_DIR ? !fat_cluster_ok(v, c) : c && !fat_cluster_ok(v, c))
		return FAT_ST_CORRUPT;
	memset(n, 0, sizeof *n);
	n->gen = gen;
	n->refs = 1;
	n->kind = de[DE_ATTR] & FAT_ATTR_DIR ? NODE_DIR : NODE_FILE;
	n->attr = de[DE_ATTR];
	n->start = c;
	n->size = n->kind == NODE_FILE ? get32(de + DE_SIZE) : 0;
	n->parent = parent;
	n->slot = e->slot;
	n->nslots = (uint8_t)(e->slot - e->first + 1);
	n->ctenth = de[DE_CTENTH];
	n->ctime = (uint16_t)get16(de + DE_CTIME);
	n->cdate = (uint16_t)get16(de + DE_CDATE);
	n->adate = (uint16_t)get16(de + DE_ADATE);
	n->mtime = (uint16_t)get16(de + DE_MTIME);
	n->mdate = (uint16_t)get16(de + DE_MDATE);
	return STATUS_OK;
}

/* Returns a reference to the node of entry e of parent, opening it if it
 * is not open yet. */
static status_t open_entry(struct fat_volume *v, uint32_t parent, const struct fat_entry *e,
			   fat_handle_t *out)
{
	struct fat_node *n = fat_node_find(v, parent, e->slot);

	if (n) {
		if (n->refs == UINT16_MAX)
			return FAT_ST_NO_HANDLES;
		n->refs++;
	} else {
		n = node_free_slot(v);
		if (!n)
			return FAT_ST_NO_HANDLES;
		status_t st = node_fill(v, n, parent, e);
		if (st)
			return st;
	}
	*out = handle_of(v, n);
	return STATUS_OK;
}

/* ---------------------------------------------------------------- helpers */

int64_t fat_now(const struct fat_volume *v)
{
	return v->clock ? v->clock(v->clock_ctx) : 0;
}

status_t fat_writable(const struct fat_volume *v)
{
	if (!v->mounted)
		return STATUS_INVALID;
	if (v->read_only)
		return FAT_ST_READ_ONLY;
	if (v->error)
		return v->error;
	return v->cache.error;
}

/* Checks a component and converts it to UTF-16. */
status_t fat_name16(const char *name, size_t len, uint16_t *out, size_t *n)
{
	status_t st = name ? fat_name_check(name, len) : STATUS_INVALID;

	if (st)
		return st;
	return fat_utf8_to_utf16(name, len, out, FAT_LFN_MAX, n);
}

/* fat_name16 for a name looked up: one FAT cannot hold (a '*', a ':', a
 * final '.') names nothing on the volume, NOT_FOUND, as on Linux's vfat;
 * it is BAD_FORMAT only as a new name. */
status_t fat_name16_existing(const char *name, size_t len, uint16_t *out, size_t *n)
{
	status_t st = fat_name16(name, len, out, n);
	return st == STATUS_BAD_FORMAT ? STATUS_NOT_FOUND : st;
}

/* A fresh short entry with attribute attr and every time set to now. */
static void new_entry(const struct fat_volume *v, uint8_t attr, uint8_t *de)
{
	struct fat_stamp t;

	fat_time_encode(fat_now(v), v->tz_minutes, &t);
	memset(de, 0, SLOT);
	de[DE_ATTR] = attr;
	de[DE_CTENTH] = t.tenth;
	put16(de + DE_CTIME, t.time);
	put16(de + DE_CDATE, t.date);
	put16(de + DE_ADATE, t.date);
	put16(de + DE_MTIME, t.time);
	put16(de + DE_MDATE, t.date);
}

void fat_node_to_entry(const struct fat_node *n, uint8_t *de)
{
	de[DE_ATTR] = n->attr;
	de_set_cluster(de, n->start);
	put32(de + DE_SIZE, n->kind == NODE_FILE ? n->size : 0);
	put16(de + DE_MTIME, n->mtime);
	put16(de + DE_MDATE, n->mdate);
	put16(de + DE_ADATE, n->adate);
}

status_t fat_node_flush_entry(struct fat_volume *v, struct fat_node *n)
{
	uint8_t de[SLOT];
	status_t st;

	if (!n->dirty || n->is_root)
		return STATUS_OK;
	st = fat_dir_read(v, n->parent, n->slot, de);
	if (st)
		return st;
	if (de[0] == DE_END || de[0] == DE_DELETED || (de[DE_ATTR] & 0x3f) == FAT_ATTR_LFN)
		return FAT_ST_CORRUPT;
	fat_node_to_entry(n, de);
	st = fat_dir_write(v, n->parent, n->slot, de);
	if (st == STATUS_OK)
		n->dirty = false;
	return st;
}

/* ---------------------------------------------------------------- lookup and create */

status_t fat_root(struct fat_volume *v, fat_handle_t *out)
{
	if (!v->mounted)
		return STATUS_INVALID;
	if (v->nodes[0].refs == UINT16_MAX)
		return FAT_ST_NO_HANDLES;
	v->nodes[0].refs++;
	*out = handle_of(v, &v->nodes[0]);
	return STATUS_OK;
}

status_t fat_ref(struct fat_volume *v, fat_handle_t h)
{
	struct fat_node *n;
	status_t st = fat_node_get(v, h, &n);
	if (st)
		return st;
	if (n->refs == UINT16_MAX)
		return FAT_ST_NO_HANDLES;
	n->refs++;
	return STATUS_OK;
}

status_t fat_open(struct fat_volume *v, fat_handle_t dir, const char *name, size_t len,
		  fat_handle_t *out)
{
	struct fat_node *d;
	struct fat_entry e;
	uint16_t u[FAT_LFN_MAX];
	size_t n;
	status_t st = fat_node_dir(v, dir, &d);

	if (st == STATUS_OK)
		st = fat_name16_existing(name, len, u, &n);
	if (st == STATUS_OK)
		st = fat_dir_find(v, d->start, u, n, &e);
	if (st)
		return st;
	return open_entry(v, d->start, &e, out);
}

status_t fat_create(struct fat_volume *v, fat_handle_t dir, const char *name, size_t len,
		    uint32_t flags, fat_handle_t *out)
{
	struct fat_node *d, *n;
	struct fat_entry e;
	uint16_t u[FAT_LFN_MAX];
	size_t un;
	status_t st = fat_node_dir(v, dir, &d);

	if (st == STATUS_OK)
		st = fat_name16(name, len, u, &un);
	if (st == STATUS_OK)
		st = fat_writable(v);
	if (st == STATUS_OK)
		st = fat_dir_find(v, d->start, u, un, &e);
	if (st == STATUS_OK) {
		if (flags & FAT_CREATE_EXCL)
			return STATUS_EXISTS;
		if (e.de[DE_ATTR] & FAT_ATTR_DIR)
			return FAT_ST_IS_DIR;
		st = open_entry(v, d->start, &e, out);
		if (st == STATUS_OK && (flags & FAT_CREATE_TRUNC)) {
			st = fat_truncate(v, *out, 0);
			if (st)
				fat_close(v, *out);
		}
		return st;
	}
	if (st != STATUS_NOT_FOUND)
		return st;
	n = node_free_slot(v);
	if (!n)
		return FAT_ST_NO_HANDLES;
	new_entry(v, FAT_ATTR_ARCHIVE, e.de);
	st = fat_dir_add(v, d->start, u, un, e.de, &e.slot, &(uint8_t){ 0 });
	if (st)
		return st;
	e.first = e.slot;
	return open_entry(v, d->start, &e, out);
}

status_t fat_mkdir(struct fat_volume *v, fat_handle_t dir, const char *name, size_t len,
		   fat_handle_t *out)
{
	struct fat_node *d;
	struct fat_entry e;
	uint16_t u[FAT_LFN_MAX];
	size_t un;
	uint32_t c, last;
	status_t st = fat_node_dir(v, dir, &d);

	if (st == STATUS_OK)
		st = fat_name16(name, len, u, &un);
	if (st == STATUS_OK)
		st = fat_writable(v);
	if (st == STATUS_OK)
		st = fat_dir_find(v, d->start, u, un, &e);
	if (st == STATUS_OK)
		return STATUS_EXISTS;
	if (st != STATUS_NOT_FOUND)
		return st;
	if (out && !node_free_slot(v))
		return FAT_ST_NO_HANDLES;
	new_entry(v, FAT_ATTR_DIR, e.de);
	st = fat_alloc(v, 1, &c, &last);
	if (st)
		return st;
	/* The new cluster (data and FAT) goes before the entry naming it. */
	st = fat_dir_init(v, c, d->start, e.de);
	de_set_cluster(e.de, c);
	if (st == STATUS_OK)
		st = fat_dir_add(v, d->start, u, un, e.de, &e.slot, &(uint8_t){ 0 });
	if (st) {
		fat_free_chain(v, c);
		return st;
	}
	e.first = e.slot;
	return out ? open_entry(v, d->start, &e, out) : STATUS_OK;
}

/* ---------------------------------------------------------------- removal */

/* Finds name in the directory of handle dir for a removal. */
static status_t find_for_change(struct fat_volume *v, fat_handle_t dir, const char *name,
				size_t len, struct fat_node **d, struct fat_entry *e)
{
	uint16_t u[FAT_LFN_MAX];
	size_t un;
	status_t st = fat_node_dir(v, dir, d);

	if (st == STATUS_OK)
		st = fat_name16_existing(name, len, u, &un);
	if (st == STATUS_OK)
		st = fat_writable(v);
	if (st == STATUS_OK)
		st = fat_dir_find(v, (*d)->start, u, un, e);
	return st;
}

/*
 * Removes entry e from dir, then frees its chain (after the removal on
 * the device, so that the clusters are never in a chain and free while an
 * entry names them, nor reused before), then gives back trailing empty
 * clusters of dir. Both halves are relaxed changes (cache.h): marking
 * entries deleted needs nothing before it, freeing needs only the
 * removal, so that many removals in a row share two keys instead of
 * forcing a write-back each. The barrier at the end puts every later
 * change, the clusters' reuse included, after both.
 */
static status_t remove_entry(struct fat_volume *v, uint32_t dir, const struct fat_entry *e)
{
	uint32_t c = de_cluster(v, e->de);

	fat_cache_relax(&v->cache, FAT_KEY_NONE);
	status_t st = fat_dir_remove(v, dir, e->first, e->slot);
	uint64_t removed = fat_cache_unrelax(&v->cache);

	if (st == STATUS_OK && fat_cluster_ok(v, c)) {
		fat_cache_relax(&v->cache, removed);
		st = fat_free_chain(v, c);
		fat_cache_unrelax(&v->cache);
		if (st == FAT_ST_CORRUPT)
			st = STATUS_OK;
	}
	fat_cache_barrier(&v->cache);
	return st ? st : fat_dir_shrink(v, dir);
}

status_t fat_unlink(struct fat_volume *v, fat_handle_t dir, const char *name, size_t len)
{
	struct fat_node *d;
	struct fat_entry e;
	status_t st = find_for_change(v, dir, name, len, &d, &e);

	if (st)
		return st;
	if (e.de[DE_ATTR] & FAT_ATTR_DIR)
		return FAT_ST_IS_DIR;
	if (fat_node_find(v, d->start, e.slot))
		return FAT_ST_OPEN;
	return remove_entry(v, d->start, &e);
}

status_t fat_rmdir(struct fat_volume *v, fat_handle_t dir, const char *name, size_t len)
{
	struct fat_node *d;
	struct fat_entry e;
	status_t st = find_for_change(v, dir, name, len, &d, &e);

	if (st)
		return st;
	if (!(e.de[DE_ATTR] & FAT_ATTR_DIR))
		return FAT_ST_NOT_DIR;
	if (fat_node_find(v, d->start, e.slot))
		return FAT_ST_OPEN;
	if (!fat_cluster_ok(v, de_cluster(v, e.de)))
		return FAT_ST_CORRUPT;
	st = fat_dir_empty(v, de_cluster(v, e.de));
	if (st)
		return st;
	return remove_entry(v, d->start, &e);
}

/* ---------------------------------------------------------------- stat, setattr, close */

status_t fat_stat(struct fat_volume *v, fat_handle_t h, struct fat_stat *out)
{
	struct fat_node *n;
	status_t st = fat_node_get(v, h, &n);

	if (st)
		return st;
	memset(out, 0, sizeof *out);
	out->type = n->kind == NODE_DIR ? FAT_TYPE_DIR : FAT_TYPE_FILE;
	out->attr = n->is_root ? FAT_ATTR_DIR : n->attr;
	out->size = n->kind == NODE_FILE ? n->size : 0;
	out->first_cluster = n->start;
	out->is_root = n->is_root;
	out->id = n->is_root ? 1 : ((uint64_t)n->parent + 1) << 16 | (n->slot & 0xffffu);
	out->ctime = fat_time_decode(&(struct fat_stamp){ n->cdate, n->ctime, n->ctenth },
				     v->tz_minutes);
	out->mtime = fat_time_decode(&(struct fat_stamp){ n->mdate, n->mtime, 0 }, v->tz_minutes);
	out->atime = fat_time_decode(&(struct fat_stamp){ n->adate, 0, 0 }, v->tz_minutes);
	return STATUS_OK;
}

status_t fat_setattr(struct fat_volume *v, fat_handle_t h, const struct fat_setattr *set)
{
	struct fat_node *n;
	struct fat_stamp t;
	status_t st = fat_node_get(v, h, &n);

	if (st == STATUS_OK)
		st = fat_writable(v);
	if (st)
		return st;
	if (n->is_root)
		return STATUS_INVALID;
	int64_t now = set->mask & (FAT_SET_MTIME_NOW | FAT_SET_ATIME_NOW) ? fat_now(v) : 0;
	if (set->mask & (FAT_SET_MTIME | FAT_SET_MTIME_NOW)) {
		fat_time_encode(set->mask & FAT_SET_MTIME_NOW ? now : set->mtime, v->tz_minutes,
				&t);
		n->mdate = t.date;
		n->mtime = t.time;
	}
	if (set->mask & (FAT_SET_ATIME | FAT_SET_ATIME_NOW)) {
		fat_time_encode(set->mask & FAT_SET_ATIME_NOW ? now : set->atime, v->tz_minutes,
				&t);
		n->adate = t.date;
	}
	if (set->mask & FAT_SET_ATTR) {
		uint8_t keep = FAT_ATTR_DIR | FAT_ATTR_VOLUME;
		uint8_t settable = FAT_ATTR_READ_ONLY | FAT_ATTR_HIDDEN | FAT_ATTR_SYSTEM |
				   FAT_ATTR_ARCHIVE;
		n->attr = (uint8_t)((n->attr & keep) | (set->attr & settable));
	}
	n->dirty = true;
	return STATUS_OK;
}

status_t fat_close(struct fat_volume *v, fat_handle_t h)
{
	struct fat_node *n;
	status_t st = fat_node_get(v, h, &n);

	if (st)
		return st;
	if (n->is_root) {
		if (n->refs > 1)
			n->refs--;
		return STATUS_OK;
	}
	if (--n->refs)
		return STATUS_OK;
	/* A change the volume can no longer take is reported, not dropped quietly. */
	if (n->dirty)
		st = fat_writable(v);
	if (st == STATUS_OK)
		st = fat_node_flush_entry(v, n);
	n->gen = (uint16_t)(n->gen == UINT16_MAX ? 1 : n->gen + 1);
	n->kind = NODE_FREE;
	return st;
}

/* ---------------------------------------------------------------- readdir */

/* Chooses the name readdir reports for e (see struct fat_dirent). */
static void dirent_name(const struct fat_entry *e, char *out, size_t *len, uint16_t *flags)
{
	uint16_t sd[FAT_SHORT_DISPLAY_MAX];
	size_t k;

	*flags = e->lfn_bad ? FAT_DIRENT_BAD_LFN : 0;
	if (e->lfn_len && fat_ascii_name(e->lfn, e->lfn_len, out)) {
		*len = e->lfn_len;
		return;
	}
	if (e->lfn_len && fat_utf16_to_utf8(e->lfn, e->lfn_len, out, FAT_UTF8_MAX, len) == 0 &&
	    fat_name_check(out, *len) == STATUS_OK)
		return;
	if (e->lfn_len)
		*flags |= FAT_DIRENT_BAD_LFN;
	*flags |= FAT_DIRENT_SHORT_NAME;
	k = fat_short_display(e->de, e->de[DE_NTRES], sd);
	if (fat_utf16_to_utf8(sd, k, out, FAT_UTF8_MAX, len) || fat_name_check(out, *len))
		*flags |= FAT_DIRENT_UNNAMEABLE;
}

/* The modification time of entry de; the last one decoded is kept, as
 * the entries of a directory often share it. */
static int64_t readdir_mtime(struct fat_volume *v, const uint8_t *de)
{
	uint32_t date = get16(de + DE_MDATE), time = get16(de + DE_MTIME);
	uint32_t key = date << 16 | time;

	if (key == 0 || key != v->mtime_key) {
		v->mtime_val = fat_time_decode(
			&(struct fat_stamp){ (uint16_t)date, (uint16_t)time, 0 }, v->tz_minutes);
		v->mtime_key = key;
	}
	return v->mtime_val;
}

/* Fills the record d (FAT_DIRENT_MAX bytes) for entry e; the short name
 * only if shorts, else it is empty. */
static void dirent_fill(struct fat_volume *v, const struct fat_entry *e, struct fat_dirent *d,
			uint32_t cookie, bool shorts)
{
	uint16_t sd[FAT_SHORT_DISPLAY_MAX], flags;
	size_t len, slen = 0;

	dirent_name(e, d->name, &len, &flags);
	d->name[len] = '\0';
	d->reclen = (uint16_t)((sizeof(struct fat_dirent) + len + 1 + 7) & ~(size_t)7);
	d->namelen = (uint16_t)len;
	d->type = e->de[DE_ATTR] & FAT_ATTR_DIR ? FAT_TYPE_DIR : FAT_TYPE_FILE;
	d->attr = e->de[DE_ATTR];
	d->flags = flags;
	d->cookie = cookie;
	d->size = d->type == FAT_TYPE_FILE ? get32(e->de + DE_SIZE) : 0;
	d->mtime = readdir_mtime(v, e->de);
	if (shorts) {
		size_t k = fat_short_display(e->de, 0, sd);
		if (fat_utf16_to_utf8(sd, k, d->short_name, sizeof d->short_name - 1, &slen))
			slen = 0;
	}
	memset(d->short_name + slen, 0, sizeof d->short_name - slen);
	memset(d->name + len + 1, 0, d->reclen - sizeof *d - len - 1);
}

status_t fat_readdir_each(struct fat_volume *v, fat_handle_t dir, uint32_t *cookie, uint32_t flags,
			  fat_dirent_fn fn, void *ctx)
{
	uint64_t rec[(FAT_DIRENT_MAX + 7) / 8];
	struct fat_node *d;
	struct fat_scan s;
	struct fat_entry e;
	status_t st = fat_node_dir(v, dir, &d);

	if (st || *cookie == FAT_COOKIE_END)
		return st;
	fat_scan_init(&s, d->start, *cookie);
	for (;;) {
		st = fat_scan_next(v, &s, &e);
		if (st == STATUS_EMPTY) {
			*cookie = FAT_COOKIE_END;
			return STATUS_OK;
		}
		if (st)
			return st;
		dirent_fill(v, &e, (struct fat_dirent *)rec, s.index, flags & FAT_READDIR_SHORT);
		if (!fn(ctx, (const struct fat_dirent *)rec))
			return STATUS_OK;
		*cookie = s.index;
	}
}

/* fat_readdir's caller buffer, filled by readdir_copy. */
struct readdir_buf {
	uint8_t *buf;
	size_t cap, used;
};

static bool readdir_copy(void *ctx, const struct fat_dirent *d)
{
	struct readdir_buf *b = ctx;

	if (d->reclen > b->cap - b->used)
		return false;
	memcpy(b->buf + b->used, d, d->reclen);
	b->used += d->reclen;
	return true;
}

status_t fat_readdir(struct fat_volume *v, fat_handle_t dir, uint32_t *cookie, void *buf,
		     size_t cap, size_t *used)
{
	struct readdir_buf b = { .buf = buf, .cap = cap };
	uint32_t from = *cookie;
	status_t st = fat_readdir_each(v, dir, cookie, FAT_READDIR_SHORT, readdir_copy, &b);

	*used = b.used;
	if (st == STATUS_OK && b.used == 0 && *cookie == from && from != FAT_COOKIE_END)
		return STATUS_RANGE; /* cap cannot hold the next record */
	return st;
}
