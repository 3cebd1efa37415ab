/*
 * vfsfile.c - descriptors for vfsd objects (vfsfile.h): read, write and
 * seek at the description's offset, fstat, fsync, ftruncate, getdents64,
 * and the release that closes the object in vfsd.
 *
 * Directories list "." and ".." first, as POSIX readdir does; vfsd does
 * not list them. Descriptions still open when the program exits are
 * closed then, so that vfsd's records do not outlive the program.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"
#include "fdsys.h"
#include "dev.h"
#include "keel/sys.h"
#include "vfsfile.h"

#define CLIENT_PAGES 16 /* the buffer: 64 KiB, all of it asked for per VFS_READDIR */
#define CLIENT_PAGES_MIN 4

/* The buffer's pages: CLIENT_PAGES, halved while it is more than 1/256 of
 * the machine's memory (a machine of less than 16 MiB), down to
 * CLIENT_PAGES_MIN: every process has one. */
static uint32_t client_pages(void)
{
	uint64_t machine = keel_machine_pages(); /* 0: unknown */
	uint32_t pages = CLIENT_PAGES;
	while (machine && pages > CLIENT_PAGES_MIN && pages > machine / 256)
		pages /= 2;
	return pages;
}

/* A directory's records from its last VFS_READDIR, handed out to
 * getdents64 calls until used up: one request serves many calls. data
 * grows to the largest reply taken, so a small directory keeps little. */
struct dir_batch {
	uint32_t used;              /* bytes of records held */
	uint32_t pos;               /* offset of the next record to hand out */
	uint32_t left;              /* records not handed out yet */
	uint32_t next;              /* vfsd's cookie after the last record held */
	uint32_t room;              /* bytes data can hold */
	_Alignas(8) uint8_t data[]; /* records are 8-aligned */
};

struct keel_vfsobj {
	uint32_t type;           /* VFS_TYPE_* */
	uint32_t dots;           /* readdir: "." and ".." listed so far */
	uint32_t cookie;         /* readdir: vfsd's position after the last record handed out */
	struct dir_batch *batch; /* readdir: allocated by the first getdents64 */
	struct path path;        /* directories: below the root */
	bool shared_pos;         /* files: vfsd keeps the offset (shared with a child) */
};

static struct {
	volatile int lock;
	int ready;
	struct vfs_client c;
	cap_handle_t root; /* the process's own duplicate of its root */
	uint32_t cluster;  /* the volume's cluster bytes, once asked (0: not yet) */
} vfs;

long keel_vfs_setup(cap_handle_t root, cap_handle_t *own)
{
	struct vfs_client *c = keel_vfs_lock();
	struct vfs_stat info;
	*own = CAP_HANDLE_NONE;
	status_t st = c->buf ? STATUS_OK : vfs_client_init(c, client_pages());
	if (st == STATUS_OK)
		st = vfs_stat(c, root, &info);
	if (st == STATUS_OK)
		st = vfs_dup(c, root, info.rights, own, NULL);
	if (st == STATUS_OK)
		st = vfs_attach(c, *own);
	if (st && *own != CAP_HANDLE_NONE)
		vfs_close(c, *own), *own = CAP_HANDLE_NONE;
	vfs.ready = st == STATUS_OK;
	vfs.root = *own;
	vfs.cluster = 0;
	keel_vfs_unlock();
	return st ? keel_vfs_errno(st, -EINVAL) : 0;
}

void keel_vfs_release(void)
{
	struct vfs_client *c = keel_vfs_lock();
	if (vfs.root != CAP_HANDLE_NONE)
		vfs_close(c, vfs.root);
	vfs.root = CAP_HANDLE_NONE;
	keel_vfs_unlock();
}

struct vfs_client *keel_vfs_lock(void)
{
	keel_lock(&vfs.lock);
	return &vfs.c;
}

void keel_vfs_unlock(void)
{
	keel_unlock(&vfs.lock);
}

long keel_vfs_errno(status_t st, long einval)
{
	switch (st) {
	case STATUS_OK:
		return 0;
	case STATUS_NOT_FOUND:
		return -ENOENT;
	case STATUS_EXISTS:
		return -EEXIST;
	case STATUS_NO_RIGHTS:
		return -EACCES;
	case STATUS_INVALID:
		return einval;
	case STATUS_BAD_FORMAT:
		return -EINVAL;
	case STATUS_BUSY:
		return -ENOTEMPTY;
	case STATUS_FULL:
		return -ENOSPC;
	case STATUS_RANGE:
		return -ENAMETOOLONG;
	case STATUS_QUOTA:
		return -ENFILE;
	case STATUS_NO_MEMORY:
		return -ENOMEM;
	case STATUS_STALE:
	case STATUS_DEAD:
		return -ESTALE; /* vfsd restarted: reopen from the directory capabilities */
	default:
		return -EIO;
	}
}

static struct keel_vfsobj *obj_of(const struct keel_file *f)
{
	return (struct keel_vfsobj *)(uintptr_t)f->kind_data[0];
}

/* Reads at off, or at the description's offset (and advances it): its
 * own, or the one vfsd keeps once it is shared with a child. */
static long vf_read(struct keel_file *f, void *buf, size_t n, int64_t off)
{
	size_t done;
	bool shared = off < 0 && obj_of(f)->shared_pos;
	if (obj_of(f)->type == VFS_TYPE_DIR)
		return -EISDIR;
	uint64_t at = shared ? VFS_OFF_POS : (uint64_t)(off < 0 ? f->offset : off);
	status_t st = vfs_read(keel_vfs_lock(), f->caps[0], at, buf, n, &done);
	keel_vfs_unlock();
	if (st)
		return keel_vfs_errno(st, -EINVAL);
	if (off < 0 && !shared)
		f->offset += (int64_t)done;
	return (long)done;
}

/* The object's size, or -errno. */
static int64_t vf_size(struct keel_file *f)
{
	struct vfs_stat s;
	status_t st = vfs_stat(keel_vfs_lock(), f->caps[0], &s);
	keel_vfs_unlock();
	return st ? keel_vfs_errno(st, -EINVAL) : (int64_t)s.size;
}

static long vf_write(struct keel_file *f, const void *buf, size_t n, int64_t off)
{
	size_t done;
	if (off < 0 && obj_of(f)->shared_pos) {
		/* vfsd keeps the offset, and moves it (O_APPEND: to the end). */
		status_t st = vfs_write(keel_vfs_lock(), f->caps[0],
					f->status & O_APPEND ? VFS_OFF_END : VFS_OFF_POS, buf, n,
					&done);
		keel_vfs_unlock();
		return st ? keel_vfs_errno(st, -EINVAL) : (long)done;
	}
	int64_t at = off >= 0 ? off : (f->status & O_APPEND) ? vf_size(f) : f->offset;
	if (at < 0)
		return (long)at;
	if ((uint64_t)at + n > 0xffffffffu)
		return -EFBIG;
	status_t st = vfs_write(keel_vfs_lock(), f->caps[0], (uint64_t)at, buf, n, &done);
	keel_vfs_unlock();
	if (st)
		return keel_vfs_errno(st, -EINVAL);
	if (off < 0)
		f->offset = at + (int64_t)done;
	return (long)done;
}

static long vf_seek(struct keel_file *f, int64_t off, int whence)
{
	struct keel_vfsobj *o = obj_of(f);
	if (o->shared_pos) {
		static const uint32_t how[] = { VFS_SEEK_SET, VFS_SEEK_CUR, VFS_SEEK_END };
		uint64_t pos = 0;
		if (whence < SEEK_SET || whence > SEEK_END)
			return -EINVAL;
		status_t st = vfs_seek(keel_vfs_lock(), f->caps[0], off, how[whence], &pos);
		keel_vfs_unlock();
		return st ? keel_vfs_errno(st, -EINVAL) : (long)pos;
	}
	int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? f->offset : -1;
	if (whence == SEEK_END)
		base = vf_size(f);
	else if (base < 0)
		return -EINVAL;
	if (base < 0)
		return (long)base;
	if (o->type == VFS_TYPE_DIR) {
		if (whence != SEEK_SET || off != 0)
			return -EINVAL; /* rewinddir only */
		o->dots = 0;
		o->cookie = VFS_COOKIE_START;
		if (o->batch)
			o->batch->left = 0;
	}
	if (off < -base)
		return -EINVAL;
	f->offset = base + off;
	return (long)f->offset;
}

/* The volume's cluster bytes (what a file's blocks are counted in), asked
 * once (VFS_STATFS); 512 if vfsd cannot say. */
static uint32_t cluster_bytes(void)
{
	uint32_t known = __atomic_load_n(&vfs.cluster, __ATOMIC_RELAXED);
	if (known)
		return known; /* asked once: no lock on every stat after */
	struct vfs_client *c = keel_vfs_lock();
	struct vfs_statfs fs;
	if (!vfs.cluster && vfs.root != CAP_HANDLE_NONE &&
	    vfs_statfs(c, vfs.root, &fs) == STATUS_OK && fs.cluster_bytes >= 512)
		vfs.cluster = fs.cluster_bytes;
	uint32_t n = vfs.cluster ? vfs.cluster : 512;
	keel_vfs_unlock();
	return n;
}

void keel_vfs_stat_fill(const struct vfs_stat *s, struct stat *out)
{
	bool dir = s->type == VFS_TYPE_DIR;
	bool ro = (s->attr & VFS_ATTR_READ_ONLY) != 0;
	memset(out, 0, sizeof *out);
	/* FAT's read-only attribute means nothing on a directory (vfsd
	 * keeps none there): only a file shows it, without write bits. */
	out->st_mode = dir ? S_IFDIR | 0755 : S_IFREG | (ro ? 0444 : 0644);
	out->st_nlink = dir ? 2 : 1;
	out->st_dev = KEEL_DEV_VOLUME;
	out->st_ino = s->id;
	out->st_size = (off_t)s->size;
	/* A file takes whole clusters, as Linux's vfat counts them. */
	uint32_t cluster = cluster_bytes();
	out->st_blksize = cluster;
	out->st_blocks = (blkcnt_t)((s->size + cluster - 1) / cluster * (cluster / 512));
	out->st_mtim.tv_sec = s->mtime;
	out->st_ctim.tv_sec = s->mtime;
	out->st_atim.tv_sec = s->atime;
}

static long vf_stat(struct keel_file *f, struct stat *out)
{
	struct vfs_stat s;
	status_t st = vfs_stat(keel_vfs_lock(), f->caps[0], &s);
	keel_vfs_unlock();
	if (st)
		return keel_vfs_errno(st, -EINVAL);
	keel_vfs_stat_fill(&s, out);
	return 0;
}

static void vf_release(struct keel_file *f)
{
	vfs_close(keel_vfs_lock(), f->caps[0]);
	keel_vfs_unlock();
	free(obj_of(f)->batch);
	free(obj_of(f));
}

static const struct keel_file_ops vfsfile_ops = {
	.read = vf_read,
	.write = vf_write,
	.seek = vf_seek,
	.stat = vf_stat,
	.release = vf_release,
};

long keel_vfsfile_open(cap_handle_t cap, uint32_t type, const struct path *p, int status,
		       int fd_flags)
{
	struct keel_vfsobj *o = malloc(sizeof *o);
	if (!o) {
		vfs_close(keel_vfs_lock(), cap);
		keel_vfs_unlock();
		return -ENOMEM;
	}
	*o = (struct keel_vfsobj){ .type = type };
	if (type == VFS_TYPE_DIR)
		o->path = *p;
	const cap_handle_t caps[KEEL_FILE_CAPS] = { cap, CAP_HANDLE_NONE };
	const uint64_t data[2] = { (uint64_t)(uintptr_t)o, 0 };
	int fd = fdt_open(keel_fdt(), 0, KEEL_FD_FILE, &vfsfile_ops, caps, data, status, fd_flags);
	if (fd < 0) {
		vfs_close(keel_vfs_lock(), cap);
		keel_vfs_unlock();
		free(o);
	}
	return fd;
}

/* A passed file's access mode as one letter of its launch name, and back. */
static const struct {
	char letter;
	int status;
} pass_modes[] = {
	{ 'r', O_RDONLY },
	{ 'w', O_WRONLY },
	{ 'b', O_RDWR },
	{ 'a', O_WRONLY | O_APPEND },
	{ 'c', O_RDWR | O_APPEND },
};

char keel_vfsfile_mode_letter(int status)
{
	for (size_t i = 0; i < sizeof pass_modes / sizeof pass_modes[0]; i++)
		if (pass_modes[i].status == (status & (O_ACCMODE | O_APPEND)))
			return pass_modes[i].letter;
	return 'r';
}

int keel_vfsfile_mode_status(char letter)
{
	for (size_t i = 0; i < sizeof pass_modes / sizeof pass_modes[0]; i++)
		if (pass_modes[i].letter == letter)
			return pass_modes[i].status;
	return -1;
}

long keel_vfsfile_pass(struct keel_file *f, cap_handle_t *dup)
{
	struct vfs_stat s;
	*dup = CAP_HANDLE_NONE;
	if (f->kind != KEEL_FD_FILE || f->ops != &vfsfile_ops || obj_of(f)->type != VFS_TYPE_FILE)
		return 0;
	struct vfs_client *c = keel_vfs_lock();
	/* From now on vfsd keeps this description's offset, for both. */
	status_t st = vfs_stat(c, f->caps[0], &s);
	if (st == STATUS_OK)
		st = vfs_dup_flags(c, f->caps[0], s.rights, VFS_DUP_BARE | VFS_DUP_SHARE_POS,
				   (uint64_t)f->offset, dup, NULL);
	if (st == STATUS_OK)
		obj_of(f)->shared_pos = true;
	keel_vfs_unlock();
	return st ? keel_vfs_errno(st, -EINVAL) : 0;
}

void keel_vfsfile_unpass(cap_handle_t dup)
{
	vfs_close(keel_vfs_lock(), dup);
	keel_vfs_unlock();
}

long keel_vfsfile_adopt(int fd, cap_handle_t cap, int status)
{
	struct vfs_client *c = keel_vfs_lock();
	struct vfs_stat s;
	/* The record came without a buffer: this process's goes with it (a
	 * program without a root makes its buffer now). */
	status_t st = c->buf ? STATUS_OK : vfs_client_init(c, client_pages());
	if (st == STATUS_OK)
		st = vfs_attach(c, cap);
	if (st == STATUS_OK)
		st = vfs_stat(c, cap, &s);
	if (st == STATUS_OK && s.type != VFS_TYPE_FILE)
		st = STATUS_INVALID;
	if (st)
		vfs_close(c, cap);
	keel_vfs_unlock();
	if (st)
		return keel_vfs_errno(st, -EBADF);
	fdt_close(keel_fdt(), fd);
	struct keel_vfsobj *o = malloc(sizeof *o);
	long r = -ENOMEM;
	if (o) {
		*o = (struct keel_vfsobj){ .type = VFS_TYPE_FILE, .shared_pos = true };
		const cap_handle_t caps[KEEL_FILE_CAPS] = { cap, CAP_HANDLE_NONE };
		const uint64_t data[2] = { (uint64_t)(uintptr_t)o, 0 };
		r = fdt_open(keel_fdt(), fd, KEEL_FD_FILE, &vfsfile_ops, caps, data, status, 0);
	}
	if (r != fd) {
		if (r >= 0)
			fdt_close(keel_fdt(), (int)r); /* closes cap, frees o */
		else
			keel_vfsfile_unpass(cap), free(o);
		return r < 0 ? r : -EBADF;
	}
	return fd;
}

const struct path *keel_vfsfile_dir_path(const struct keel_file *f)
{
	if (f->kind != KEEL_FD_FILE || f->ops != &vfsfile_ops || obj_of(f)->type != VFS_TYPE_DIR)
		return NULL;
	return &obj_of(f)->path;
}

long keel_vfsfile_fsync(struct keel_file *f)
{
	if (f->ops != &vfsfile_ops)
		return f->kind == KEEL_FD_CONSOLE ? -EINVAL : 0;
	status_t st = vfs_fsync(keel_vfs_lock(), f->caps[0]);
	keel_vfs_unlock();
	return keel_vfs_errno(st, -EINVAL);
}

static long do_ftruncate(struct keel_file *f, long size)
{
	if (f->ops != &vfsfile_ops)
		return -EINVAL;
	/* Not a file open for writing: EINVAL, as Linux says (truncate() of a
	 * directory is EISDIR already, from its open). */
	if (obj_of(f)->type == VFS_TYPE_DIR || (f->status & O_ACCMODE) == O_RDONLY)
		return -EINVAL;
	if (size < 0)
		return -EINVAL;
	if ((unsigned long)size > 0xffffffffu)
		return -EFBIG;
	status_t st = vfs_truncate(keel_vfs_lock(), f->caps[0], (uint64_t)size);
	keel_vfs_unlock();
	return keel_vfs_errno(st, -EINVAL);
}

long keel_sys_ftruncate(const long a[6])
{
	struct keel_file *f = fdt_get(keel_fdt(), (int)a[0]);
	if (!f)
		return -EBADF;
	long r = do_ftruncate(f, a[1]);
	fdt_put(keel_fdt(), f);
	return r;
}

size_t keel_dirent64_put(uint8_t *out, size_t room, uint64_t ino, int64_t off, uint8_t type,
			 const char *name, size_t len)
{
	size_t hdr = offsetof(struct dirent, d_name);
	size_t reclen = (hdr + len + 1 + 7) & ~(size_t)7;
	if (reclen > room)
		return 0;
	struct dirent *d = (struct dirent *)(void *)out;
	memset(out, 0, reclen);
	d->d_ino = ino;
	d->d_off = off;
	d->d_reclen = (unsigned short)reclen;
	d->d_type = type;
	memcpy(d->d_name, name, len);
	return reclen;
}

/* Hands out b's records to out from *pos, advancing o's cookie past each
 * one: 0 when all were, 1 when out is full, -EIO for a record that is not
 * well-formed. */
static int take_batch(struct keel_vfsobj *o, struct dir_batch *b, uint8_t *out, size_t room,
		      size_t *pos)
{
	for (; b->left; b->left--) {
		const struct vfs_dirent *d = (const void *)(b->data + b->pos);
		size_t rest = b->used - b->pos;
		if (rest < sizeof *d || d->reclen < sizeof *d + d->namelen + 1u ||
		    d->reclen > rest || d->reclen % 8)
			return -EIO;
		uint8_t t = d->type == VFS_TYPE_DIR ? DT_DIR : DT_REG;
		size_t n = keel_dirent64_put(out + *pos, room - *pos, 3 + (uint64_t)d->cookie,
					     (int64_t)d->cookie + 3, t, d->name, d->namelen);
		if (n == 0)
			return 1;
		*pos += n;
		o->cookie = d->cookie;
		b->pos += d->reclen;
	}
	o->cookie = b->next;
	return 0;
}

/* Refills o's batch with vfsd's records from o's cookie on, as many as
 * the client's buffer holds (the vfsd lock held). */
static int fill_batch(struct keel_vfsobj *o, cap_handle_t cap)
{
	struct vfs_client *c = &vfs.c;
	struct dir_batch *b = o->batch;
	uint32_t cookie = o->cookie, count;
	const struct vfs_dirent *d;
	size_t used;
	status_t st = vfs_readdir_max(c, cap, &cookie, c->buf_bytes, &d, &used, &count);
	if (st)
		return (int)keel_vfs_errno(st, -ENOTDIR);
	if (used > c->buf_bytes || (count == 0 && cookie == o->cookie))
		return -EIO; /* no progress: never loop */
	if (used > b->room) {
		if (!(b = realloc(b, sizeof *b + used)))
			return -ENOMEM; /* o's batch and cookie stay as they were */
		b->room = (uint32_t)used;
		o->batch = b;
	}
	memcpy(b->data, d, used);
	b->used = (uint32_t)used;
	b->pos = 0;
	b->left = count;
	b->next = cookie;
	return 0;
}

/* Lists "." and ".." (if not yet), then vfsd's records, into out. */
static long list_into(struct keel_vfsobj *o, cap_handle_t cap, uint8_t *out, size_t room)
{
	size_t pos = 0, n;
	for (; o->dots < 2; o->dots++, pos += n)
		if (!(n = keel_dirent64_put(out + pos, room - pos, 1 + o->dots, o->dots + 1, DT_DIR,
					    "..", o->dots + 1)))
			return pos ? (long)pos : -EINVAL;
	if (!o->batch && !(o->batch = calloc(1, sizeof *o->batch)))
		return pos ? (long)pos : -ENOMEM; /* room 0: the first fill sizes it */
	keel_vfs_lock();
	int r = 0;
	while (r == 0 && (o->batch->left || o->cookie != VFS_COOKIE_END)) {
		if (o->batch->left == 0)
			r = fill_batch(o, cap);
		if (r == 0)
			r = take_batch(o, o->batch, out, room, &pos);
	}
	keel_vfs_unlock();
	if (r == 1 && pos == 0)
		return -EINVAL; /* the buffer holds no record */
	return r < 0 && pos == 0 ? r : (long)pos;
}

long keel_sys_getdents64(const long a[6])
{
	struct keel_file *f = fdt_get(keel_fdt(), (int)a[0]);
	if (!f)
		return -EBADF;
	long r = keel_vfsfile_dir_path(f)
			 ? list_into(obj_of(f), f->caps[0], (uint8_t *)a[1], (size_t)a[2])
			 : keel_dev_list(f, (uint8_t *)a[1], (size_t)a[2]);
	fdt_put(keel_fdt(), f);
	return r;
}

/* Closes what is still open at exit, and the root duplicate, so that
 * vfsd forgets them. */
__attribute__((destructor)) static void vfsfile_close_all(void)
{
	if (!vfs.ready)
		return;
	for (int fd = 0; fd < KEEL_FD_MAX; fd++) {
		struct keel_file *f = fdt_get(keel_fdt(), fd);
		if (!f)
			continue;
		bool ours = f->ops == &vfsfile_ops;
		fdt_put(keel_fdt(), f);
		if (ours)
			fdt_close(keel_fdt(), fd);
	}
	keel_vfs_release();
}
