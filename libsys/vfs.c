/*
 * vfs.c - the client library of vfsd's file protocol (keel/vfs.h,
 * docs/files.md): encodes requests, makes the calls, decodes replies.
 */
#include <string.h>

#include "keel/loop.h"
#include "keel/map.h"
#include "keel/sys.h"
#include "keel/vfs.h"

#define VFS_TIMEOUT_NS 10000000000ull /* 10 s: a full write-back of the cache */

status_t vfs_client_init(struct vfs_client *c, uint32_t pages)
{
	void *addr;
	memset(c, 0, sizeof *c);
	if (pages == 0 || pages > VFS_SHM_PAGES_MAX)
		return STATUS_INVALID;
	status_t st = sys_memory_create(pages, 0, &c->shm);
	if (st)
		return st;
	st = keel_map(c->shm, 0, pages, RIGHT_READ | RIGHT_WRITE, &addr);
	if (st) {
		sys_cap_delete(c->shm);
		c->shm = CAP_HANDLE_NONE;
		return st;
	}
	c->buf = addr;
	c->buf_bytes = (size_t)pages * 4096;
	c->timeout = VFS_TIMEOUT_NS;
	return STATUS_OK;
}

void vfs_client_fini(struct vfs_client *c)
{
	if (c->buf)
		keel_unmap(c->buf, c->buf_bytes / 4096);
	if (c->shm != CAP_HANDLE_NONE)
		sys_cap_delete(c->shm);
	memset(c, 0, sizeof *c);
}

status_t vfs_attach(struct vfs_client *c, cap_handle_t obj)
{
	struct keel_msg m = { .label = VFS_ATTACH, .len = 4 };
	vfs_put_u32(m.payload, (uint32_t)(c->buf_bytes / 4096));
	return sys_msg_send(obj, &m, c->shm, CAP_COPY);
}

/* Makes the call and turns an error reply into its status. On success *m
 * is the VFS_REPLY. A reply capability the caller did not expect is
 * deleted by the callers that expect none. */
static status_t vfs_call(struct vfs_client *c, cap_handle_t obj, struct keel_msg *m)
{
	status_t st = sys_msg_call(obj, m, c->timeout);
	if (st)
		return st;
	status_t err;
	uint32_t label;
	if (loop_error_parse(m, &err, &label) == STATUS_OK)
		return err;
	return m->label == VFS_REPLY ? STATUS_OK : STATUS_BAD_FORMAT;
}

/* A call whose reply carries no capability and no payload we need. */
static status_t vfs_call_plain(struct vfs_client *c, cap_handle_t obj, struct keel_msg *m)
{
	status_t st = vfs_call(c, obj, m);
	if (st == STATUS_OK && (m->flags & MSG_FLAG_CAP))
		sys_cap_delete(m->cap);
	return st;
}

/* Puts path (len bytes) at p inline, or in the buffer. */
static status_t put_names(struct vfs_client *c, uint8_t *inline_at, const char *a, size_t alen,
			  const char *b, size_t blen)
{
	if (alen + blen <= VFS_PATH_INLINE) {
		memcpy(inline_at, a, alen);
		memcpy(inline_at + alen, b, blen);
		return STATUS_OK;
	}
	if (alen + blen > c->buf_bytes)
		return STATUS_RANGE;
	memcpy(c->buf, a, alen);
	memcpy(c->buf + alen, b, blen);
	return STATUS_OK;
}

/* Encodes a path request: flags, rights, path. */
static status_t path_msg(struct vfs_client *c, struct keel_msg *m, uint32_t label, const char *path,
			 uint32_t flags, uint32_t rights)
{
	size_t len = strlen(path);
	if (len > 0xffff)
		return STATUS_RANGE;
	*m = (struct keel_msg){ .label = label, .len = MSG_PAYLOAD_MAX };
	vfs_put_u32(m->payload, flags);
	vfs_put_u32(m->payload + 4, rights);
	vfs_put_u16(m->payload + 8, (uint16_t)len);
	return put_names(c, m->payload + 12, path, len, "", 0);
}

/* Decodes an open or dup reply: the capability and its description. */
static status_t open_reply(struct keel_msg *m, cap_handle_t *out, struct vfs_stat *st)
{
	if (!(m->flags & MSG_FLAG_CAP) || m->len < 16)
		return STATUS_BAD_FORMAT;
	*out = m->cap;
	if (st) {
		memset(st, 0, sizeof *st);
		st->type = vfs_get_u32(m->payload);
		st->rights = vfs_get_u32(m->payload + 4);
		st->size = vfs_get_u64(m->payload + 8);
		st->attr = m->len >= 20 ? (uint8_t)vfs_get_u32(m->payload + 16) : 0;
	}
	return STATUS_OK;
}

status_t vfs_open(struct vfs_client *c, cap_handle_t dir, const char *path, uint32_t flags,
		  uint32_t rights, cap_handle_t *out, struct vfs_stat *st)
{
	struct keel_msg m;
	status_t s = path_msg(c, &m, VFS_OPEN, path, flags, rights);
	if (s == STATUS_OK)
		s = vfs_call(c, dir, &m);
	return s ? s : open_reply(&m, out, st);
}

status_t vfs_dup(struct vfs_client *c, cap_handle_t obj, uint32_t rights, cap_handle_t *out,
		 struct vfs_stat *st)
{
	return vfs_dup_flags(c, obj, rights, 0, 0, out, st);
}

status_t vfs_dup_flags(struct vfs_client *c, cap_handle_t obj, uint32_t rights, uint32_t flags,
		       uint64_t off, cap_handle_t *out, struct vfs_stat *st)
{
	struct keel_msg m = { .label = VFS_DUP, .len = 16 };
	vfs_put_u32(m.payload, rights);
	vfs_put_u32(m.payload + 4, flags);
	vfs_put_u64(m.payload + 8, off);
	status_t s = vfs_call(c, obj, &m);
	return s ? s : open_reply(&m, out, st);
}

status_t vfs_seek(struct vfs_client *c, cap_handle_t file, int64_t off, uint32_t whence,
		  uint64_t *pos)
{
	struct keel_msg m = { .label = VFS_SEEK, .len = 12 };
	vfs_put_u64(m.payload, (uint64_t)off);
	vfs_put_u32(m.payload + 8, whence);
	status_t s = vfs_call(c, file, &m);
	if (s == STATUS_OK && m.len < 8)
		s = STATUS_BAD_FORMAT;
	if (s == STATUS_OK)
		*pos = vfs_get_u64(m.payload);
	return s;
}

/* MKDIR, UNLINK, RMDIR: a path and nothing back. */
static status_t path_op(struct vfs_client *c, cap_handle_t dir, uint32_t label, const char *path)
{
	struct keel_msg m;
	status_t s = path_msg(c, &m, label, path, 0, 0);
	return s ? s : vfs_call_plain(c, dir, &m);
}

status_t vfs_mkdir(struct vfs_client *c, cap_handle_t dir, const char *path)
{
	return path_op(c, dir, VFS_MKDIR, path);
}

status_t vfs_unlink(struct vfs_client *c, cap_handle_t dir, const char *path)
{
	return path_op(c, dir, VFS_UNLINK, path);
}

status_t vfs_rmdir(struct vfs_client *c, cap_handle_t dir, const char *path)
{
	return path_op(c, dir, VFS_RMDIR, path);
}

status_t vfs_rename(struct vfs_client *c, cap_handle_t from_dir, const char *from,
		    cap_handle_t to_dir, const char *to)
{
	uint64_t badge = 0, info;
	size_t flen = strlen(from), tlen = strlen(to);
	if (flen > 0xffff || tlen > 0xffff)
		return STATUS_RANGE;
	if (to_dir != from_dir) {
		status_t s = sys_cap_info(to_dir, &info, &badge);
		if (s)
			return s;
		if (badge == 0)
			return STATUS_INVALID; /* the root is named by its own capability */
	}
	struct keel_msg m = { .label = VFS_RENAME, .len = MSG_PAYLOAD_MAX };
	vfs_put_u64(m.payload, badge);
	vfs_put_u16(m.payload + 8, (uint16_t)flen);
	vfs_put_u16(m.payload + 10, (uint16_t)tlen);
	status_t s = put_names(c, m.payload + 12, from, flen, to, tlen);
	return s ? s : vfs_call_plain(c, from_dir, &m);
}

status_t vfs_stat(struct vfs_client *c, cap_handle_t obj, struct vfs_stat *st)
{
	struct keel_msg m = { .label = VFS_STAT };
	status_t s = vfs_call_plain(c, obj, &m);
	if (s)
		return s;
	if (m.len < 40)
		return STATUS_BAD_FORMAT;
	st->type = m.payload[0];
	st->attr = m.payload[1];
	st->flags = m.payload[2];
	st->rights = vfs_get_u32(m.payload + 4);
	st->size = vfs_get_u64(m.payload + 8);
	st->mtime = (int64_t)vfs_get_u64(m.payload + 16);
	st->id = vfs_get_u64(m.payload + 24);
	st->atime = (int64_t)vfs_get_u64(m.payload + 32);
	return STATUS_OK;
}

status_t vfs_readdir_max(struct vfs_client *c, cap_handle_t dir, uint32_t *cookie, size_t max,
			 const struct vfs_dirent **first, size_t *used, uint32_t *count)
{
	struct keel_msg m = { .label = VFS_READDIR, .len = 8 };
	if (max > c->buf_bytes)
		max = c->buf_bytes;
	vfs_put_u32(m.payload, *cookie);
	vfs_put_u32(m.payload + 4, (uint32_t)max);
	status_t s = vfs_call_plain(c, dir, &m);
	if (s)
		return s;
	if (m.len < 12 || vfs_get_u32(m.payload + 4) > max)
		return STATUS_BAD_FORMAT;
	*cookie = vfs_get_u32(m.payload);
	*used = vfs_get_u32(m.payload + 4);
	*count = vfs_get_u32(m.payload + 8);
	*first = (const struct vfs_dirent *)c->buf;
	return STATUS_OK;
}

status_t vfs_readdir(struct vfs_client *c, cap_handle_t dir, uint32_t *cookie,
		     const struct vfs_dirent **first, size_t *used, uint32_t *count)
{
	return vfs_readdir_max(c, dir, cookie, c->buf_bytes, first, used, count);
}

/* The most one read or write call moves: the buffer's size, or what a
 * message carries inline for a client without a buffer. */
static size_t chunk(const struct vfs_client *c, size_t inline_max)
{
	return c->buf_bytes ? c->buf_bytes : inline_max;
}

/* The offset of the part of a request after its first done bytes: a
 * position vfsd keeps (VFS_OFF_POS, VFS_OFF_END) moves there by itself. */
static uint64_t at(uint64_t off, size_t done)
{
	return off == VFS_OFF_POS || off == VFS_OFF_END ? off : off + done;
}

/* One read call of at most the buffer's size. */
static status_t read_once(struct vfs_client *c, cap_handle_t file, uint64_t off, uint8_t *buf,
			  size_t len, size_t *done)
{
	struct keel_msg m = { .label = VFS_READ, .len = 16 };
	vfs_put_u64(m.payload, off);
	vfs_put_u32(m.payload + 8, (uint32_t)len);
	status_t s = vfs_call_plain(c, file, &m);
	if (s)
		return s;
	*done = m.len >= 4 ? vfs_get_u32(m.payload) : len + 1;
	if (*done > len)
		return STATUS_BAD_FORMAT;
	memcpy(buf, len <= VFS_READ_INLINE ? m.payload + 8 : c->buf, *done);
	return STATUS_OK;
}

status_t vfs_read(struct vfs_client *c, cap_handle_t file, uint64_t off, void *buf, size_t len,
		  size_t *done)
{
	uint8_t *p = buf;
	*done = 0;
	while (*done < len) {
		size_t want = len - *done, got;
		if (want > chunk(c, VFS_READ_INLINE))
			want = chunk(c, VFS_READ_INLINE);
		status_t s = read_once(c, file, at(off, *done), p + *done, want, &got);
		if (s)
			return s;
		*done += got;
		if (got < want)
			break;
	}
	return STATUS_OK;
}

/* One write call of at most the buffer's size. */
static status_t write_once(struct vfs_client *c, cap_handle_t file, uint64_t off,
			   const uint8_t *buf, size_t len)
{
	struct keel_msg m = { .label = VFS_WRITE, .len = 16 };
	vfs_put_u64(m.payload, off);
	vfs_put_u32(m.payload + 8, (uint32_t)len);
	if (len <= VFS_WRITE_INLINE) {
		memcpy(m.payload + 16, buf, len);
		m.len = (uint16_t)(16 + len);
	} else {
		memcpy(c->buf, buf, len);
	}
	status_t s = vfs_call_plain(c, file, &m);
	if (s == STATUS_OK && (m.len < 4 || vfs_get_u32(m.payload) != len))
		s = STATUS_BAD_FORMAT;
	return s;
}

status_t vfs_write(struct vfs_client *c, cap_handle_t file, uint64_t off, const void *buf,
		   size_t len, size_t *done)
{
	const uint8_t *p = buf;
	*done = 0;
	while (*done < len) {
		size_t n = len - *done;
		if (n > chunk(c, VFS_WRITE_INLINE))
			n = chunk(c, VFS_WRITE_INLINE);
		status_t s = write_once(c, file, at(off, *done), p + *done, n);
		if (s)
			return s;
		*done += n;
	}
	return STATUS_OK;
}

status_t vfs_truncate(struct vfs_client *c, cap_handle_t file, uint64_t size)
{
	struct keel_msg m = { .label = VFS_TRUNCATE, .len = 8 };
	vfs_put_u64(m.payload, size);
	return vfs_call_plain(c, file, &m);
}

status_t vfs_settimes(struct vfs_client *c, cap_handle_t obj, uint32_t flags, int64_t mtime,
		      int64_t atime)
{
	struct keel_msg m = { .label = VFS_SETTIMES, .len = 24 };
	vfs_put_u32(m.payload, flags);
	vfs_put_u64(m.payload + 8, (uint64_t)mtime);
	vfs_put_u64(m.payload + 16, (uint64_t)atime);
	return vfs_call_plain(c, obj, &m);
}

status_t vfs_setmode(struct vfs_client *c, cap_handle_t file, uint32_t flags)
{
	struct keel_msg m = { .label = VFS_SETMODE, .len = 4 };
	vfs_put_u32(m.payload, flags);
	return vfs_call_plain(c, file, &m);
}

status_t vfs_statfs(struct vfs_client *c, cap_handle_t obj, struct vfs_statfs *out)
{
	struct keel_msg m = { .label = VFS_STATFS };
	status_t s = vfs_call_plain(c, obj, &m);
	if (s)
		return s;
	if (m.len < 28)
		return STATUS_BAD_FORMAT;
	*out = (struct vfs_statfs){ .cluster_bytes = vfs_get_u32(m.payload),
				    .clusters = vfs_get_u32(m.payload + 4),
				    .free_clusters = vfs_get_u32(m.payload + 8),
				    .flags = vfs_get_u32(m.payload + 12),
				    .kind = vfs_get_u32(m.payload + 16),
				    .serial = vfs_get_u32(m.payload + 20),
				    .name_max = vfs_get_u32(m.payload + 24) };
	return STATUS_OK;
}

status_t vfs_fsync(struct vfs_client *c, cap_handle_t obj)
{
	struct keel_msg m = { .label = VFS_FSYNC };
	return vfs_call_plain(c, obj, &m);
}

status_t vfs_sync(struct vfs_client *c, cap_handle_t obj)
{
	struct keel_msg m = { .label = VFS_SYNC };
	return vfs_call_plain(c, obj, &m);
}

status_t vfs_drop_cache(struct vfs_client *c, cap_handle_t dir)
{
	struct keel_msg m = { .label = VFS_DROP_CACHE };
	return vfs_call_plain(c, dir, &m);
}

status_t vfs_close_send(cap_handle_t obj)
{
	struct keel_msg m = { .label = VFS_CLOSE };
	status_t s = sys_msg_send(obj, &m, CAP_HANDLE_NONE, 0);
	sys_cap_delete(obj);
	return s;
}

status_t vfs_session(struct vfs_client *c, cap_handle_t dir, uint64_t named, cap_handle_t *out,
		     struct vfs_stat *st)
{
	struct keel_msg m = { .label = VFS_SESSION, .len = 8 };
	vfs_put_u64(m.payload, named);
	status_t s = vfs_call(c, dir, &m);
	return s ? s : open_reply(&m, out, st);
}

status_t vfs_stats(struct vfs_client *c, cap_handle_t obj, struct vfs_stats *out)
{
	struct keel_msg m = { .label = VFS_STATS };
	status_t s = vfs_call_plain(c, obj, &m);
	if (s)
		return s;
	if (m.len < 32)
		return STATUS_BAD_FORMAT;
	*out = (struct vfs_stats){ .records = vfs_get_u32(m.payload),
				   .sessions = vfs_get_u32(m.payload + 4),
				   .buffers = vfs_get_u32(m.payload + 8),
				   .records_max = vfs_get_u32(m.payload + 12),
				   .bad_requests = vfs_get_u64(m.payload + 16),
				   .ended = vfs_get_u64(m.payload + 24) };
	return STATUS_OK;
}

status_t vfs_close(struct vfs_client *c, cap_handle_t obj)
{
	struct keel_msg m = { .label = VFS_CLOSE };
	status_t s = vfs_call_plain(c, obj, &m);
	sys_cap_delete(obj);
	return s;
}
