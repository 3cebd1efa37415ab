/*
 * ops.c - vfsd's handlers of the file protocol (keel/vfs.h, docs/files.md).
 *
 * Each handler looks the badge up (STATUS_STALE if it names nothing),
 * checks the record's type and rights, decodes the payload with its
 * lengths checked against the message or the client's buffer, runs the
 * FAT engine and fills the reply. A request that is not a call (it could
 * not be answered) is refused before it does anything, and a capability
 * it brought is deleted.
 */
#include <string.h>

#include "keel/path.h"
#include "keel/service.h"
#include "keel/sys.h"
#include "server.h"

/* ---------------------------------------------------------------- common checks */

/* The record of m's badge if it is of type (0: any) and holds need. */
static status_t rec_for(struct vfsd *v, const struct keel_msg *m, uint32_t need, uint8_t type,
			struct vfsd_rec **out)
{
	struct vfsd_rec *r = vfsd_rec_find(v, m->badge);
	if (!r)
		return STATUS_STALE;
	if (type && r->type != type)
		return STATUS_INVALID;
	if ((r->rights & need) != need)
		return STATUS_NO_RIGHTS;
	*out = r;
	return STATUS_OK;
}

/* Refuses a request that cannot be answered; deletes what it carried. */
static status_t must_call(struct vfsd *v, const struct keel_msg *m)
{
	if (loop_msg_is_call(m))
		return STATUS_OK;
	if (m->flags & MSG_FLAG_CAP)
		sys_cap_delete(m->cap);
	v->bad_requests++;
	return STATUS_INVALID;
}

static void reply_empty(struct loop_reply *reply)
{
	reply->msg.label = VFS_REPLY;
	reply->msg.len = 0;
}

/* Copies total bytes of names (inline at payload 12, or the buffer's
 * start) into out, which holds 2 * PATH_MAX_BYTES. */
static status_t get_names(struct vfsd *v, const struct vfsd_rec *r, const struct keel_msg *m,
			  size_t total, char *out)
{
	uint8_t *p;
	if (total > 2 * PATH_MAX_BYTES)
		return STATUS_RANGE;
	if (total <= VFS_PATH_INLINE) {
		if ((size_t)m->len < 12 + total)
			return STATUS_BAD_FORMAT;
		memcpy(out, m->payload + 12, total);
		return STATUS_OK;
	}
	status_t st = vfsd_shm_span(v, r, 0, total, &p);
	if (st == STATUS_OK)
		memcpy(out, p, total);
	return st;
}

/*
 * Walks every component of p but the last from dir (each a lookup; the
 * record needs READ for that when there is more than one component) and
 * returns a reference to the last directory in *parent and the last
 * component in *name, *len. The empty path is STATUS_INVALID.
 */
static status_t walk_parent(struct vfsd *v, const struct vfsd_rec *r, const struct path *p,
			    fat_handle_t *parent, const char **name, size_t *len)
{
	size_t count = path_count(p);
	if (count == 0)
		return STATUS_INVALID;
	if (count > 1 && !(r->rights & VFS_R_READ))
		return STATUS_NO_RIGHTS;
	fat_handle_t cur = r->h, next;
	status_t st = fat_ref(&v->vol, cur);
	for (size_t i = 0; st == STATUS_OK && i + 1 < count; i++) {
		path_component(p, i, name, len);
		st = fat_open(&v->vol, cur, *name, *len, &next);
		fat_close(&v->vol, cur);
		cur = next;
	}
	if (st)
		return st;
	*parent = cur;
	return path_component(p, count - 1, name, len);
}

/* Decodes the path of a VFS_OPEN-shaped request into *p. */
static status_t get_path(struct vfsd *v, const struct vfsd_rec *r, const struct keel_msg *m,
			 struct path *p)
{
	char text[PATH_MAX_BYTES];
	if (m->len < 12)
		return STATUS_BAD_FORMAT;
	size_t len = vfs_get_u16(m->payload + 8);
	if (len > PATH_MAX_BYTES)
		return STATUS_RANGE;
	status_t st = get_names(v, r, m, len, text);
	return st ? st : path_parse(text, len, p);
}

/* ---------------------------------------------------------------- open, dup */

/* The handler answers itself (loop_reply) rather than through the loop,
 * so that a caller gone meanwhile leaves nothing behind: the record and
 * the capability are dropped when the answer fails. */
status_t vfsd_reply_object(struct vfsd *v, const struct keel_msg *m, fat_handle_t h,
			   uint32_t rights, const struct vfsd_rec *from, uint32_t must, bool head)
{
	struct fat_stat fs;
	struct loop_reply r = { .msg = { .label = VFS_REPLY, .len = 20 }, .mode = CAP_MOVE };
	struct vfsd_rec *rec;
	uint16_t sess = vfsd_rec_session(v, from);
	status_t st = fat_stat(&v->vol, h, &fs);
	uint8_t type = fs.type == FAT_TYPE_DIR ? VFS_TYPE_DIR : VFS_TYPE_FILE;
	if (st == STATUS_OK && (must & VFS_O_DIR) && type != VFS_TYPE_DIR)
		st = STATUS_INVALID;
	if (st == STATUS_OK && (must & VFS_O_FILE) && type != VFS_TYPE_FILE)
		st = STATUS_INVALID;
	if (st) {
		fat_close(&v->vol, h);
		return st;
	}
	st = vfsd_rec_new(v, h, type, rights,
			  head || (must & VFSD_BARE) ? VFSD_SHM_NONE : from->shm, &r.cap, &rec);
	if (st)
		return st;
	rec->sess = sess;
	rec->head = head;
	if ((must & VFSD_SHARE_POS) && from->pos) {
		rec->pos = from->pos;
		v->poss[from->pos - 1].refs++;
	}
	vfs_put_u32(r.msg.payload, type);
	vfs_put_u32(r.msg.payload + 4, rights);
	vfs_put_u64(r.msg.payload + 8, fs.size);
	vfs_put_u32(r.msg.payload + 16, fs.attr);
	if (loop_reply(v->loop, m->cap, &r) != STATUS_OK) {
		sys_cap_delete(r.cap); /* if the failed answer left it here */
		vfsd_rec_free(v, rec);
	}
	return STATUS_OK; /* answered: reply->msg.label stays 0 */
}

/* Checks VFS_OPEN's flags and rights against the directory's record. */
static status_t open_allowed(const struct vfsd_rec *r, uint32_t flags, uint32_t rights)
{
	if ((flags & ~VFS_O_KNOWN) || (rights & ~VFS_R_ALL))
		return STATUS_INVALID;
	if ((rights & ~r->rights) || ((flags & VFS_O_CREATE) && !(r->rights & VFS_R_CREATE)))
		return STATUS_NO_RIGHTS;
	if ((flags & VFS_O_TRUNC) && !(rights & VFS_R_WRITE))
		return STATUS_NO_RIGHTS;
	return STATUS_OK;
}

/* Looks up (or creates) the last component of p below r: *h a reference. */
static status_t open_lookup(struct vfsd *v, const struct vfsd_rec *r, const struct path *p,
			    uint32_t flags, fat_handle_t *h)
{
	fat_handle_t parent;
	const char *name;
	size_t len;
	if (path_count(p) == 0) {
		*h = r->h;
		return fat_ref(&v->vol, r->h);
	}
	status_t st = walk_parent(v, r, p, &parent, &name, &len);
	if (st)
		return st;
	if (flags & VFS_O_CREATE) {
		uint32_t cf = (flags & VFS_O_EXCL ? FAT_CREATE_EXCL : 0) |
			      (flags & VFS_O_TRUNC ? FAT_CREATE_TRUNC : 0);
		st = fat_create(&v->vol, parent, name, len, cf, h);
	} else {
		st = fat_open(&v->vol, parent, name, len, h);
	}
	fat_close(&v->vol, parent);
	return st;
}

static status_t on_open(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			void *ctx)
{
	(void)loop;
	struct vfsd *v = ctx;
	struct vfsd_rec *r;
	struct path p;
	fat_handle_t h;
	status_t st = must_call(v, m);
	if (st == STATUS_OK)
		st = rec_for(v, m, VFS_R_READ, VFS_TYPE_DIR, &r);
	if (st)
		return st;
	if (m->len < 12)
		return STATUS_BAD_FORMAT;
	uint32_t flags = vfs_get_u32(m->payload), rights = vfs_get_u32(m->payload + 4);
	st = open_allowed(r, flags, rights);
	if (st == STATUS_OK)
		st = get_path(v, r, m, &p);
	if (st == STATUS_OK)
		st = open_lookup(v, r, &p, flags, &h);
	if (st == STATUS_OK && (flags & VFS_O_TRUNC) && !(flags & VFS_O_CREATE)) {
		struct fat_stat fs;
		st = fat_stat(&v->vol, h, &fs);
		if (st == STATUS_OK && fs.type == FAT_TYPE_FILE)
			st = fat_truncate(&v->vol, h, 0);
		if (st)
			fat_close(&v->vol, h);
	}
	(void)reply;
	return st ? st : vfsd_reply_object(v, m, h, rights, r, flags, false);
}

static status_t on_dup(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
		       void *ctx)
{
	(void)loop;
	struct vfsd *v = ctx;
	struct vfsd_rec *r;
	status_t st = must_call(v, m);
	if (st == STATUS_OK)
		st = rec_for(v, m, 0, 0, &r);
	if (st)
		return st;
	if (m->len < 4)
		return STATUS_BAD_FORMAT;
	uint32_t rights = vfs_get_u32(m->payload);
	uint32_t flags = m->len >= 8 ? vfs_get_u32(m->payload + 4) : 0;
	uint32_t must = (flags & VFS_DUP_BARE ? VFSD_BARE : 0) |
			(flags & VFS_DUP_SHARE_POS ? VFSD_SHARE_POS | VFS_O_FILE : 0);
	if ((rights & ~VFS_R_ALL) || (flags & ~(VFS_DUP_BARE | VFS_DUP_SHARE_POS)))
		return STATUS_INVALID;
	if (rights & ~r->rights)
		return STATUS_NO_RIGHTS;
	if (flags & VFS_DUP_SHARE_POS) {
		if (m->len < 16)
			return STATUS_BAD_FORMAT;
		if (r->type != VFS_TYPE_FILE)
			return STATUS_INVALID;
		if ((st = vfsd_pos_make(v, r, vfs_get_u64(m->payload + 8))))
			return st;
	}
	st = fat_ref(&v->vol, r->h);
	(void)reply;
	return st ? st : vfsd_reply_object(v, m, r->h, rights, r, must, false);
}

/* ---------------------------------------------------------------- names */

/* MKDIR, UNLINK, RMDIR: which right and which engine call. */
static status_t name_op(struct vfsd *v, const struct keel_msg *m, struct loop_reply *reply,
			uint32_t need)
{
	struct vfsd_rec *r;
	struct path p;
	fat_handle_t parent;
	const char *name;
	size_t len;
	status_t st = must_call(v, m);
	if (st == STATUS_OK)
		st = rec_for(v, m, need, VFS_TYPE_DIR, &r);
	if (st == STATUS_OK)
		st = get_path(v, r, m, &p);
	if (st == STATUS_OK)
		st = walk_parent(v, r, &p, &parent, &name, &len);
	if (st)
		return st;
	if (m->label == VFS_MKDIR)
		st = fat_mkdir(&v->vol, parent, name, len, NULL);
	else if (m->label == VFS_UNLINK)
		st = fat_unlink(&v->vol, parent, name, len);
	else
		st = fat_rmdir(&v->vol, parent, name, len);
	fat_close(&v->vol, parent);
	if (st == STATUS_OK)
		reply_empty(reply);
	return st;
}

static status_t on_mkdir(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			 void *ctx)
{
	(void)loop;
	return name_op(ctx, m, reply, VFS_R_CREATE);
}

static status_t on_remove(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			  void *ctx)
{
	(void)loop;
	return name_op(ctx, m, reply, VFS_R_DELETE);
}

/* The two records of a rename: source (DELETE) and target (CREATE). */
static status_t rename_recs(struct vfsd *v, const struct keel_msg *m, struct vfsd_rec **from,
			    struct vfsd_rec **to)
{
	status_t st = rec_for(v, m, VFS_R_DELETE, VFS_TYPE_DIR, from);
	if (st)
		return st;
	if (m->len < 12)
		return STATUS_BAD_FORMAT;
	uint64_t badge = vfs_get_u64(m->payload);
	*to = badge == 0 ? *from : vfsd_rec_find(v, badge);
	if (!*to)
		return STATUS_STALE;
	if ((*to)->type != VFS_TYPE_DIR)
		return STATUS_INVALID;
	return (*to)->rights & VFS_R_CREATE ? STATUS_OK : STATUS_NO_RIGHTS;
}

/* Parses the two names of a rename into *a and *b. */
static status_t rename_paths(struct vfsd *v, const struct vfsd_rec *r, const struct keel_msg *m,
			     struct path *a, struct path *b)
{
	char text[2 * PATH_MAX_BYTES];
	size_t alen = vfs_get_u16(m->payload + 8), blen = vfs_get_u16(m->payload + 10);
	if (alen > PATH_MAX_BYTES || blen > PATH_MAX_BYTES)
		return STATUS_RANGE;
	status_t st = get_names(v, r, m, alen + blen, text);
	if (st == STATUS_OK)
		st = path_parse(text, alen, a);
	return st ? st : path_parse(text + alen, blen, b);
}

static status_t on_rename(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			  void *ctx)
{
	(void)loop;
	struct vfsd *v = ctx;
	struct vfsd_rec *rf, *rt;
	struct path a, b;
	fat_handle_t pa, pb;
	const char *na, *nb;
	size_t la, lb;
	status_t st = must_call(v, m);
	if (st == STATUS_OK)
		st = rename_recs(v, m, &rf, &rt);
	if (st == STATUS_OK)
		st = rename_paths(v, rf, m, &a, &b);
	if (st == STATUS_OK)
		st = walk_parent(v, rf, &a, &pa, &na, &la);
	if (st)
		return st;
	st = walk_parent(v, rt, &b, &pb, &nb, &lb);
	if (st == STATUS_OK) {
		st = fat_rename(&v->vol, pa, na, la, pb, nb, lb);
		fat_close(&v->vol, pb);
	}
	fat_close(&v->vol, pa);
	if (st == STATUS_OK)
		reply_empty(reply);
	return st;
}

/* ---------------------------------------------------------------- objects */

static status_t on_stat(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			void *ctx)
{
	(void)loop;
	struct vfsd *v = ctx;
	struct vfsd_rec *r;
	struct fat_stat fs;
	status_t st = must_call(v, m);
	if (st == STATUS_OK)
		st = rec_for(v, m, 0, 0, &r);
	if (st == STATUS_OK)
		st = fat_stat(&v->vol, r->h, &fs);
	if (st)
		return st;
	uint8_t *p = reply->msg.payload;
	reply->msg.label = VFS_REPLY;
	reply->msg.len = 40;
	p[0] = r->type;
	p[1] = fs.attr;
	p[2] = fs.is_root ? VFS_STAT_ROOT : 0;
	vfs_put_u32(p + 4, r->rights);
	vfs_put_u64(p + 8, fs.size);
	vfs_put_u64(p + 16, (uint64_t)fs.mtime);
	vfs_put_u64(p + 24, fs.id);
	vfs_put_u64(p + 32, (uint64_t)fs.atime);
	return STATUS_OK;
}

/* The client's buffer being filled by readdir_put. */
struct readdir_out {
	uint8_t *out;
	size_t room, pos;
	uint32_t count;
};

/* Appends the engine record e to the client's buffer as a struct
 * vfs_dirent; false if it does not fit. */
static bool readdir_put(void *ctx, const struct fat_dirent *e)
{
	struct readdir_out *o = ctx;
	size_t reclen = (sizeof(struct vfs_dirent) + e->namelen + 1 + 7) & ~(size_t)7;
	if (reclen > o->room - o->pos)
		return false;
	struct vfs_dirent d = { .reclen = (uint16_t)reclen,
				.namelen = e->namelen,
				.type = e->type == FAT_TYPE_DIR ? VFS_TYPE_DIR : VFS_TYPE_FILE,
				.attr = e->attr,
				.size = e->size,
				.cookie = e->cookie,
				.mtime = e->mtime };
	uint8_t *p = o->out + o->pos;
	memcpy(p, &d, sizeof d);
	memcpy(p + sizeof d, e->name, e->namelen);
	memset(p + sizeof d + e->namelen, 0, reclen - sizeof d - e->namelen);
	o->pos += reclen;
	o->count++;
	return true;
}

/* Fills out (room bytes, at least VFS_DIRENT_MAX) with records from
 * *cookie on, each converted once and straight into out; *used, *count. */
static status_t readdir_fill(struct vfsd *v, fat_handle_t dir, uint32_t *cookie, uint8_t *out,
			     size_t room, uint32_t *used, uint32_t *count)
{
	struct readdir_out o = { .out = out, .room = room };
	uint32_t from = *cookie;
	status_t st = fat_readdir_each(&v->vol, dir, cookie, 0, readdir_put, &o);
	if (st == STATUS_OK && o.count == 0 && *cookie == from && from != VFS_COOKIE_END)
		st = FAT_ST_CORRUPT; /* no progress: never loop */
	*used = (uint32_t)o.pos;
	*count = o.count;
	return st;
}

static status_t on_readdir(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			   void *ctx)
{
	(void)loop;
	struct vfsd *v = ctx;
	struct vfsd_rec *r;
	uint8_t *buf;
	uint32_t used, count;
	status_t st = must_call(v, m);
	if (st == STATUS_OK)
		st = rec_for(v, m, VFS_R_READ, VFS_TYPE_DIR, &r);
	if (st)
		return st;
	if (m->len < 8)
		return STATUS_BAD_FORMAT;
	uint32_t cookie = vfs_get_u32(m->payload), bytes = vfs_get_u32(m->payload + 4);
	if (bytes < VFS_DIRENT_MAX)
		return STATUS_RANGE;
	st = vfsd_shm_span(v, r, 0, bytes, &buf);
	if (st == STATUS_OK)
		st = readdir_fill(v, r->h, &cookie, buf, bytes, &used, &count);
	if (st)
		return st;
	reply->msg.label = VFS_REPLY;
	reply->msg.len = 12;
	vfs_put_u32(reply->msg.payload, cookie);
	vfs_put_u32(reply->msg.payload + 4, used);
	vfs_put_u32(reply->msg.payload + 8, count);
	return STATUS_OK;
}

/* Decodes offset, len, buf_off of READ and WRITE of record r; VFS_OFF_POS
 * becomes r's shared position (INVALID without one), VFS_OFF_END (WRITE
 * only: end) the file's size. */
static status_t io_args(struct vfsd *v, const struct vfsd_rec *r, const struct keel_msg *m,
			bool end, uint64_t *off, uint32_t *len, uint32_t *boff)
{
	struct fat_stat fs;
	if (m->len < 16)
		return STATUS_BAD_FORMAT;
	*off = vfs_get_u64(m->payload);
	*len = vfs_get_u32(m->payload + 8);
	*boff = vfs_get_u32(m->payload + 12);
	if (*off == VFS_OFF_POS) {
		if (!r->pos)
			return STATUS_INVALID;
		*off = v->poss[r->pos - 1].off;
	} else if (*off == VFS_OFF_END && end) {
		status_t st = fat_stat(&v->vol, r->h, &fs);
		if (st)
			return st;
		*off = fs.size;
	}
	return STATUS_OK;
}

/* After a READ or WRITE of done bytes at off: a request at the shared
 * position (or, for a write, at the end) moves r's position past them. */
static void io_moved(struct vfsd *v, const struct vfsd_rec *r, const struct keel_msg *m,
		     uint64_t off, size_t done)
{
	uint64_t asked = vfs_get_u64(m->payload);
	if (r->pos && (asked == VFS_OFF_POS || (asked == VFS_OFF_END && m->label == VFS_WRITE)))
		v->poss[r->pos - 1].off = off + done;
}

static status_t on_read(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			void *ctx)
{
	(void)loop;
	struct vfsd *v = ctx;
	struct vfsd_rec *r;
	uint64_t off;
	uint32_t len, boff;
	size_t done = 0;
	uint8_t *dst = reply->msg.payload + 8;
	status_t st = must_call(v, m);
	if (st == STATUS_OK)
		st = rec_for(v, m, VFS_R_READ, VFS_TYPE_FILE, &r);
	if (st == STATUS_OK)
		st = io_args(v, r, m, false, &off, &len, &boff);
	if (st == STATUS_OK && len > VFS_READ_INLINE)
		st = vfsd_shm_span(v, r, boff, len, &dst);
	if (st == STATUS_OK)
		st = fat_read(&v->vol, r->h, off, dst, len, &done);
	if (st)
		return st;
	io_moved(v, r, m, off, done);
	reply->msg.label = VFS_REPLY;
	reply->msg.len = (uint16_t)(len > VFS_READ_INLINE ? 4 : 8 + done);
	vfs_put_u32(reply->msg.payload, (uint32_t)done);
	return STATUS_OK;
}

static status_t on_write(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			 void *ctx)
{
	(void)loop;
	struct vfsd *v = ctx;
	struct vfsd_rec *r;
	uint64_t off;
	uint32_t len, boff;
	size_t done = 0;
	const uint8_t *src = m->payload + 16;
	uint8_t *shared;
	status_t st = must_call(v, m);
	if (st == STATUS_OK)
		st = rec_for(v, m, VFS_R_WRITE, VFS_TYPE_FILE, &r);
	if (st == STATUS_OK)
		st = io_args(v, r, m, true, &off, &len, &boff);
	if (st == STATUS_OK && len <= VFS_WRITE_INLINE && m->len < 16 + len)
		st = STATUS_BAD_FORMAT;
	if (st == STATUS_OK && len > VFS_WRITE_INLINE) {
		st = vfsd_shm_span(v, r, boff, len, &shared);
		src = shared;
	}
	if (st == STATUS_OK)
		st = fat_write(&v->vol, r->h, off, src, len, &done);
	if (st)
		return st;
	io_moved(v, r, m, off, done);
	reply->msg.label = VFS_REPLY;
	reply->msg.len = 4;
	vfs_put_u32(reply->msg.payload, (uint32_t)done);
	return STATUS_OK;
}

/* VFS_SEEK: moves the record's shared position. */
static status_t on_seek(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			void *ctx)
{
	(void)loop;
	struct vfsd *v = ctx;
	struct vfsd_rec *r;
	struct fat_stat fs;
	status_t st = must_call(v, m);
	if (st == STATUS_OK)
		st = rec_for(v, m, 0, VFS_TYPE_FILE, &r);
	if (st)
		return st;
	if (m->len < 12)
		return STATUS_BAD_FORMAT;
	int64_t delta = (int64_t)vfs_get_u64(m->payload);
	uint32_t whence = vfs_get_u32(m->payload + 8);
	if (!r->pos || whence > VFS_SEEK_END)
		return STATUS_INVALID;
	uint64_t base = v->poss[r->pos - 1].off;
	if (whence == VFS_SEEK_SET)
		base = 0;
	if (whence == VFS_SEEK_END) {
		if ((st = fat_stat(&v->vol, r->h, &fs)))
			return st;
		base = fs.size;
	}
	/* Before the start, or past what an offset holds: INVALID. */
	if (base > (uint64_t)INT64_MAX || (delta < 0 && (uint64_t)(-(delta + 1)) + 1 > base) ||
	    (delta > 0 && (uint64_t)delta > (uint64_t)INT64_MAX - base))
		return STATUS_INVALID;
	v->poss[r->pos - 1].off = base + (uint64_t)delta;
	reply->msg.label = VFS_REPLY;
	reply->msg.len = 8;
	vfs_put_u64(reply->msg.payload, v->poss[r->pos - 1].off);
	return STATUS_OK;
}

static status_t on_truncate(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			    void *ctx)
{
	(void)loop;
	struct vfsd *v = ctx;
	struct vfsd_rec *r;
	status_t st = must_call(v, m);
	if (st == STATUS_OK)
		st = rec_for(v, m, VFS_R_WRITE, VFS_TYPE_FILE, &r);
	if (st == STATUS_OK && m->len < 8)
		st = STATUS_BAD_FORMAT;
	if (st == STATUS_OK)
		st = fat_truncate(&v->vol, r->h, vfs_get_u64(m->payload));
	if (st == STATUS_OK)
		reply_empty(reply);
	return st;
}

static status_t on_settimes(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			    void *ctx)
{
	(void)loop;
	struct vfsd *v = ctx;
	struct vfsd_rec *r;
	status_t st = must_call(v, m);
	if (st == STATUS_OK)
		st = rec_for(v, m, VFS_R_WRITE, 0, &r);
	if (st == STATUS_OK && m->len < 24)
		st = STATUS_BAD_FORMAT;
	if (st)
		return st;
	uint32_t flags = vfs_get_u32(m->payload);
	if ((flags & ~VFS_TIME_KNOWN) ||
	    (flags & (VFS_TIME_MTIME | VFS_TIME_MTIME_NOW)) ==
		    (VFS_TIME_MTIME | VFS_TIME_MTIME_NOW) ||
	    (flags & (VFS_TIME_ATIME | VFS_TIME_ATIME_NOW)) ==
		    (VFS_TIME_ATIME | VFS_TIME_ATIME_NOW))
		return STATUS_INVALID;
	struct fat_setattr set = {
		.mask = (flags & VFS_TIME_MTIME ? FAT_SET_MTIME : 0) |
			(flags & VFS_TIME_ATIME ? FAT_SET_ATIME : 0) |
			(flags & VFS_TIME_MTIME_NOW ? FAT_SET_MTIME_NOW : 0) |
			(flags & VFS_TIME_ATIME_NOW ? FAT_SET_ATIME_NOW : 0),
		.mtime = (int64_t)vfs_get_u64(m->payload + 8),
		.atime = (int64_t)vfs_get_u64(m->payload + 16),
	};
	st = fat_setattr(&v->vol, r->h, &set); /* flags 0 as well: the root is still refused */
	if (st == STATUS_OK)
		reply_empty(reply);
	return st;
}

/* VFS_SETMODE: FAT's read-only attribute of a file, set or cleared. */
static status_t on_setmode(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			   void *ctx)
{
	(void)loop;
	struct vfsd *v = ctx;
	struct vfsd_rec *r;
	struct fat_stat fs;
	status_t st = must_call(v, m);
	if (st == STATUS_OK)
		st = rec_for(v, m, VFS_R_WRITE, VFS_TYPE_FILE, &r);
	if (st == STATUS_OK && m->len < 4)
		st = STATUS_BAD_FORMAT;
	if (st == STATUS_OK && (vfs_get_u32(m->payload) & ~VFS_MODE_KNOWN))
		st = STATUS_INVALID;
	if (st == STATUS_OK)
		st = fat_stat(&v->vol, r->h, &fs);
	if (st)
		return st;
	bool ro = vfs_get_u32(m->payload) & VFS_MODE_READ_ONLY;
	struct fat_setattr set = {
		.mask = FAT_SET_ATTR,
		.attr = (uint8_t)((fs.attr & ~FAT_ATTR_READ_ONLY) | (ro ? FAT_ATTR_READ_ONLY : 0)),
	};
	st = fat_setattr(&v->vol, r->h, &set);
	if (st == STATUS_OK)
		reply_empty(reply);
	return st;
}

/* VFS_STATFS: the volume's size and free space, for any record's holder. */
static status_t on_statfs(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			  void *ctx)
{
	(void)loop;
	struct vfsd *v = ctx;
	struct vfsd_rec *r;
	struct fat_statfs fs;
	status_t st = must_call(v, m);
	if (st == STATUS_OK)
		st = rec_for(v, m, 0, 0, &r);
	if (st == STATUS_OK)
		st = fat_statfs(&v->vol, &fs);
	if (st)
		return st;
	uint8_t *p = reply->msg.payload;
	reply->msg.label = VFS_REPLY;
	reply->msg.len = 32;
	vfs_put_u32(p, fs.cluster_size);
	vfs_put_u32(p + 4, fs.clusters);
	vfs_put_u32(p + 8, fs.free_clusters);
	vfs_put_u32(p + 12, fs.read_only ? VFS_FS_READ_ONLY : 0);
	vfs_put_u32(p + 16, (uint32_t)fs.kind);
	vfs_put_u32(p + 20, fs.serial);
	vfs_put_u32(p + 24, PATH_COMPONENT_MAX);
	vfs_put_u32(p + 28, 0);
	return STATUS_OK;
}

/* VFS_CLOSE, which may also be sent (no answer then): closing a session's
 * head ends the session. */
static status_t on_close(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			 void *ctx)
{
	(void)loop;
	struct vfsd *v = ctx;
	struct vfsd_rec *r;
	bool call = loop_msg_is_call(m);
	if (!call && (m->flags & MSG_FLAG_CAP))
		sys_cap_delete(m->cap);
	status_t st = rec_for(v, m, 0, 0, &r);
	if (st == STATUS_OK && r == &v->root)
		st = STATUS_INVALID;
	if (st) {
		v->bad_requests += !call;
		return st;
	}
	vfsd_rec_free(v, r);
	if (call)
		reply_empty(reply);
	return STATUS_OK;
}

/* FSYNC (any right; a directory syncs the volume), SYNC (WRITE),
 * DROP_CACHE (a directory with every right: syncs, then empties the
 * sector cache). */
static status_t on_simple(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			  void *ctx)
{
	(void)loop;
	struct vfsd *v = ctx;
	struct vfsd_rec *r;
	bool drop = m->label == VFS_DROP_CACHE;
	uint32_t need = drop ? VFS_R_ALL : m->label == VFS_SYNC ? VFS_R_WRITE : 0;
	status_t st = must_call(v, m);
	if (st == STATUS_OK)
		st = rec_for(v, m, need, drop ? VFS_TYPE_DIR : 0, &r);
	if (st)
		return st;
	if (drop)
		st = fat_drop_cache(&v->vol);
	else if (m->label == VFS_FSYNC && r->type == VFS_TYPE_FILE)
		st = fat_fsync(&v->vol, r->h);
	else
		st = fat_sync(&v->vol);
	if (st == STATUS_OK)
		reply_empty(reply);
	return st;
}

/* VFS_ATTACH: a send with a memory capability. */
static status_t on_attach(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			  void *ctx)
{
	(void)loop;
	(void)reply;
	struct vfsd *v = ctx;
	struct vfsd_rec *r = vfsd_rec_find(v, m->badge);
	bool has_cap = (m->flags & MSG_FLAG_CAP) && !loop_msg_is_call(m);
	if (!r || !has_cap || m->len < 4) {
		if (has_cap)
			sys_cap_delete(m->cap);
		v->bad_requests++;
		return r ? STATUS_INVALID : STATUS_STALE;
	}
	r->shm_err = vfsd_shm_attach(v, r, m->cap, vfs_get_u32(m->payload));
	return r->shm_err;
}

/* VFS_STOP: the supervisor's orderly stop. */
static status_t on_stop(struct loop *loop, const struct keel_msg *m, struct loop_reply *reply,
			void *ctx)
{
	struct vfsd *v = ctx;
	status_t st = must_call(v, m);
	if (st)
		return st;
	if (m->badge != VFS_BADGE_ROOT || v->stopped)
		return STATUS_NO_RIGHTS;
	st = vfsd_shutdown(v);
	loop_stop(loop);
	if (st == STATUS_OK)
		reply_empty(reply);
	return st;
}

/* SERVICE_STOP: the same stop, sent (not called) by initd at shutdown. */
static status_t on_service_stop(struct loop *loop, const struct keel_msg *m,
				struct loop_reply *reply, void *ctx)
{
	struct vfsd *v = ctx;
	(void)reply;
	if (m->badge != VFS_BADGE_ROOT || v->stopped)
		return STATUS_NO_RIGHTS;
	status_t st = vfsd_shutdown(v);
	loop_stop(loop);
	return st;
}

status_t vfsd_register(struct vfsd *v, struct loop *loop)
{
	static const struct {
		uint32_t label;
		loop_msg_fn *fn;
	} table[] = {
		{ VFS_ATTACH, on_attach },     { VFS_OPEN, on_open },
		{ VFS_MKDIR, on_mkdir },       { VFS_UNLINK, on_remove },
		{ VFS_RMDIR, on_remove },      { VFS_RENAME, on_rename },
		{ VFS_STAT, on_stat },         { VFS_READDIR, on_readdir },
		{ VFS_READ, on_read },         { VFS_WRITE, on_write },
		{ VFS_TRUNCATE, on_truncate }, { VFS_SETTIMES, on_settimes },
		{ VFS_FSYNC, on_simple },      { VFS_SYNC, on_simple },
		{ VFS_DROP_CACHE, on_simple }, { VFS_CLOSE, on_close },
		{ VFS_DUP, on_dup },           { VFS_SEEK, on_seek },
		{ VFS_STOP, on_stop },         { SERVICE_STOP, on_service_stop },
		{ VFS_STATFS, on_statfs },     { VFS_SETMODE, on_setmode },
	};
	v->loop = loop;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		status_t st = loop_on_msg(loop, table[i].label, table[i].fn, v);
		if (st)
			return st;
	}
	return vfsd_sessions_register(v, loop);
}
