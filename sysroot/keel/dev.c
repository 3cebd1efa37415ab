/*
 * dev.c - /dev/null and /dev/zero, kept by the C library itself (a file
 * kind of its own, KEEL_FD_DEVICE; docs/libc.md, "/dev"), and /dev/tty,
 * the task's console terminal (terminal.c).
 *
 * Neither needs a service: what is written to either is dropped, a read
 * of /dev/null is the end of the file and one of /dev/zero fills the
 * buffer with zeros. /dev itself is a directory that lists the three;
 * nothing can be made, removed or renamed in it (EROFS). The names shadow
 * a directory "dev" on the root volume, as /bundle does. A descriptor on
 * either is handed to a launched child in its argument block
 * (keel/launch.h, `devices`), since no capability stands behind it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "backend.h"
#include "dev.h"
#include "fdsys.h"
#include "vfsfile.h"

#define DIR_NAME "dev"

/* What a description stands for: its kind_data[0]. DEV_TTY is only a
 * name: opening it gives a descriptor on the console terminal itself. */
enum dev_which { DEV_DIR, DEV_NULL, DEV_TTY, DEV_ZERO };

static const struct {
	const char *name;
	unsigned major, minor; /* as Linux numbers them */
} devices[] = {
	[DEV_NULL] = { "null", 1, 3 },
	[DEV_TTY] = { "tty", 5, 0 },
	[DEV_ZERO] = { "zero", 1, 5 },
};

#define DEV_FIRST DEV_NULL
#define DEV_LAST DEV_ZERO

long (*keel_dev_console)(int fd_flags);

int keel_dev_owns(const struct path *p)
{
	const char *s;
	size_t n;
	return path_component(p, 0, &s, &n) == STATUS_OK && n == strlen(DIR_NAME) &&
	       !memcmp(s, DIR_NAME, n);
}

/* The device p (below /dev) names, DEV_DIR for /dev itself, or -ENOENT. */
static int which_of(const struct path *p)
{
	const char *s;
	size_t n;
	if (path_count(p) == 1)
		return DEV_DIR;
	if (path_count(p) != 2 || path_component(p, 1, &s, &n) != STATUS_OK)
		return -ENOENT;
	for (int i = DEV_FIRST; i <= DEV_LAST; i++)
		if (n == strlen(devices[i].name) && !memcmp(s, devices[i].name, n))
			return i;
	return -ENOENT;
}

static void fill_stat(int which, struct stat *st)
{
	memset(st, 0, sizeof *st);
	st->st_dev = KEEL_DEV_DEV;
	if (which == DEV_DIR) {
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
		st->st_ino = 1;
		return;
	}
	st->st_mode = S_IFCHR | 0666;
	st->st_nlink = 1;
	st->st_ino = 2 + (ino_t)which;
	st->st_rdev = makedev(devices[which].major, devices[which].minor);
	st->st_blksize = 4096;
}

static long dev_read(struct keel_file *f, void *buf, size_t n, int64_t off)
{
	(void)off;
	if (f->kind_data[0] == DEV_DIR)
		return -EISDIR;
	if (f->kind_data[0] == DEV_NULL)
		return 0;
	memset(buf, 0, n);
	return (long)(n > LONG_MAX ? LONG_MAX : n);
}

static long dev_write(struct keel_file *f, const void *buf, size_t n, int64_t off)
{
	(void)f;
	(void)buf;
	(void)off;
	return (long)(n > LONG_MAX ? LONG_MAX : n);
}

/* Both devices stay at offset 0, as on Linux; the directory's offset is
 * the index of the next entry to list. */
static long dev_seek(struct keel_file *f, int64_t off, int whence)
{
	if (f->kind_data[0] != DEV_DIR)
		return 0;
	if (whence != SEEK_SET || off < 0)
		return -EINVAL;
	f->offset = off;
	return off;
}

static long dev_stat(struct keel_file *f, struct stat *st)
{
	fill_stat((int)f->kind_data[0], st);
	return 0;
}

static long dev_poll(struct keel_file *f, short events)
{
	(void)f;
	return events & 0x005; /* POLLIN | POLLOUT: never blocks */
}

static const struct keel_file_ops dev_ops = {
	.read = dev_read,
	.write = dev_write,
	.seek = dev_seek,
	.stat = dev_stat,
	.poll = dev_poll,
};

/* A new description of which at the lowest free descriptor >= min. */
static long open_which(int which, int min, int status, int fd_flags)
{
	const cap_handle_t caps[KEEL_FILE_CAPS] = { CAP_HANDLE_NONE, CAP_HANDLE_NONE };
	const uint64_t data[2] = { (uint64_t)which, 0 };
	return fdt_open(keel_fdt(), min, KEEL_FD_DEVICE, &dev_ops, caps, data, status, fd_flags);
}

long keel_dev_open(const struct path *p, bool dir, int flags)
{
	int which = which_of(p), acc = flags & O_ACCMODE;
	if (which < 0)
		return flags & O_CREAT ? -EROFS : which;
	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		return -EEXIST;
	if (which == DEV_DIR && (acc != O_RDONLY || (flags & O_CREAT)))
		return -EISDIR;
	if (which != DEV_DIR && (dir || (flags & O_DIRECTORY)))
		return -ENOTDIR;
	if (which == DEV_TTY)
		return keel_dev_console ? keel_dev_console(flags & O_CLOEXEC ? FD_CLOEXEC : 0)
					: -ENXIO;
	return open_which(which, 0, flags & (O_ACCMODE | O_APPEND | O_NONBLOCK),
			  flags & O_CLOEXEC ? FD_CLOEXEC : 0);
}

long keel_dev_stat(const struct path *p, struct stat *st)
{
	int which = which_of(p);
	if (which < 0)
		return which;
	fill_stat(which, st);
	return 0;
}

long keel_dev_access(const struct path *p, int mode)
{
	int which = which_of(p);
	if (which < 0)
		return which;
	return which == DEV_DIR && (mode & W_OK) ? -EROFS : 0;
}

long keel_dev_list(struct keel_file *f, uint8_t *out, size_t room)
{
	if (f->kind != KEEL_FD_DEVICE || f->kind_data[0] != DEV_DIR)
		return -ENOTDIR;
	static const char *const dots[] = { ".", ".." };
	size_t pos = 0;
	for (int64_t i = f->offset; i < 2 + DEV_LAST - DEV_FIRST + 1; i++) {
		const char *name = i < 2 ? dots[i] : devices[DEV_FIRST + i - 2].name;
		size_t n = keel_dirent64_put(out + pos, room - pos, i < 2 ? 1 : (uint64_t)i, i + 1,
					     i < 2 ? DT_DIR : DT_CHR, name, strlen(name));
		if (n == 0)
			return pos ? (long)pos : -EINVAL; /* the buffer holds no record */
		pos += n;
		f->offset = i + 1;
	}
	return (long)pos;
}

/* "N=null" or "N=zero", separated by blanks (spawn.c builds it). */
void keel_dev_adopt(const char *list)
{
	const char *p = list;
	while (p && *p) {
		int fd = 0, k = 0;
		while (p[k] >= '0' && p[k] <= '9' && fd < KEEL_FD_MAX)
			fd = fd * 10 + (p[k++] - '0');
		const char *name = p + k + 1;
		size_t n = strcspn(name, " ");
		if (k > 0 && fd < KEEL_FD_MAX && p[k] == '=')
			for (int i = DEV_FIRST; i <= DEV_LAST; i++)
				if (i != DEV_TTY && n == strlen(devices[i].name) &&
				    !memcmp(name, devices[i].name, n)) {
					fdt_close(keel_fdt(), fd);
					long r = open_which(i, fd, O_RDWR, 0);
					if (r >= 0 && r != fd)
						fdt_close(keel_fdt(), (int)r);
				}
		p += strcspn(p, " ");
		p += strspn(p, " ");
	}
}

const char *keel_dev_name(const struct keel_file *f)
{
	if (f->kind != KEEL_FD_DEVICE || f->kind_data[0] == DEV_DIR)
		return NULL;
	return devices[f->kind_data[0]].name;
}
