/* diskapps.c - programs read from /apps on the disk (diskapps.h). */
#include <string.h>

#include "diskapps.h"
#include "keel/map.h"
#include "keel/spawn.h"
#include "lib/elf.h"

#define CALL_NS 2000000000ull /* per vfsd call */
#define BUFFER_PAGES 16u      /* initd's vfsd buffer: reads go 64 KiB at a time */
#define MANIFEST_SECTION ".keel.manifest"

/* The running instance of the service providing "vfs", or NULL. */
static struct service *vfs_provider(struct initd *d)
{
	for (uint32_t i = 0; i < d->count; i++)
		if (!strcmp(d->svc[i].m.provides, "vfs") && d->svc[i].running && d->svc[i].inbox)
			return &d->svc[i];
	return NULL;
}

/* Drops the handle on /apps of an earlier vfsd instance. */
static void dir_drop(struct diskapps *da)
{
	if (da->dir != CAP_HANDLE_NONE)
		sys_cap_delete(da->dir); /* its record went with that vfsd */
	da->dir = CAP_HANDLE_NONE;
	if (da->client.shm != CAP_HANDLE_NONE)
		vfs_client_fini(&da->client);
	da->client = (struct vfs_client){ 0 };
}

/* /apps of the running vfsd, opened read-only with a buffer attached. */
/* The buffer's pages: BUFFER_PAGES, halved while more than 1/256 of the
 * machine's memory (a machine of less than 16 MiB), down to 4. */
static uint32_t buffer_pages(const struct initd *d)
{
	uint64_t machine = keel_start_machine_pages(d->start); /* 0: unknown */
	uint32_t pages = BUFFER_PAGES;
	while (machine && pages > 4 && pages > machine / 256)
		pages /= 2;
	return pages;
}

static status_t dir_get(struct initd *d, struct diskapps *da)
{
	struct service *vfs = vfs_provider(d);
	if (!vfs)
		return STATUS_NOT_FOUND;
	if (da->dir != CAP_HANDLE_NONE && da->vfs_hellos == vfs->hellos)
		return STATUS_OK;
	dir_drop(da);
	status_t st = vfs_client_init(&da->client, buffer_pages(d));
	da->client.timeout = CALL_NS;
	if (st == STATUS_OK)
		st = vfs_open(&da->client, vfs->inbox, DISKAPPS_DIR, VFS_O_DIR, VFS_R_READ,
			      &da->dir, NULL);
	if (st == STATUS_OK)
		st = vfs_attach(&da->client, da->dir);
	if (st) {
		dir_drop(da);
		return st;
	}
	da->vfs_hellos = vfs->hellos;
	return STATUS_OK;
}

/* True if name is one plain path component. */
static bool plain_name(const char *name)
{
	return name[0] && strchr(name, '/') == NULL && strcmp(name, ".") && strcmp(name, "..");
}

/* Reads the open file (size bytes) into a fresh memory object. */
static status_t read_all(struct diskapps *da, cap_handle_t file, uint64_t size,
			 struct disk_image *img)
{
	size_t done = 0;
	img->pages = (size + KEEL_PAGE_SIZE - 1) / KEEL_PAGE_SIZE;
	status_t st = sys_memory_create(img->pages, 0, &img->mem);
	if (st)
		return st;
	st = keel_map(img->mem, 0, img->pages, RIGHT_READ | RIGHT_WRITE, &img->at);
	if (st) {
		sys_cap_delete(img->mem);
		*img = (struct disk_image){ .mem = CAP_HANDLE_NONE };
		return st;
	}
	st = vfs_read(&da->client, file, 0, img->at, (size_t)size, &done);
	img->bytes = done;
	return st == STATUS_OK && done != size ? STATUS_BAD_FORMAT : st;
}

status_t diskapps_read(struct initd *d, struct diskapps *da, const char *name,
		       struct disk_image *img)
{
	struct vfs_stat info;
	cap_handle_t file;
	*img = (struct disk_image){ .mem = CAP_HANDLE_NONE };
	if (!plain_name(name))
		return STATUS_INVALID;
	status_t st = dir_get(d, da);
	if (st == STATUS_OK)
		st = vfs_open(&da->client, da->dir, name, VFS_O_FILE, VFS_R_READ, &file, &info);
	if (st == STATUS_INVALID)
		return STATUS_NOT_FOUND; /* a directory of that name: no program */
	if (st)
		return st;
	if (info.size == 0)
		st = STATUS_BAD_FORMAT; /* no program */
	else if (info.size > DISKAPPS_MAX_BYTES)
		st = STATUS_RANGE;
	else
		st = read_all(da, file, info.size, img);
	vfs_close(&da->client, file);
	if (st)
		diskapps_free(img);
	return st;
}

bool diskapps_script(const struct disk_image *img, char *interp, size_t n, status_t *st)
{
	const char *p = img->at, *end = p + img->bytes;
	if (img->bytes < 2 || p[0] != '#' || p[1] != '!')
		return false;
	p += 2;
	while (p < end && *p == ' ')
		p++;
	const char *from = p, *base = p;
	while (p < end && *p != '\n' && *p != ' ' && *p != '\t' && *p != '\r')
		if (*p++ == '/')
			base = p;
	size_t len = (size_t)(p - base);
	*st = from == p || len == 0 || len >= n ? STATUS_BAD_FORMAT : STATUS_OK;
	if (*st == STATUS_OK) {
		memcpy(interp, base, len);
		interp[len] = 0;
	}
	return true;
}

status_t diskapps_manifest(const struct disk_image *img, const void **text, size_t *size)
{
	struct elf_info info;
	status_t st = elf_parse(img->at, img->bytes, KEEL_IMAGE_LIMIT, &info);
	if (st == STATUS_OK)
		st = elf_find_section(img->at, img->bytes, MANIFEST_SECTION, text, size);
	/* Not an executable, or one without a manifest: either way malformed. */
	return st == STATUS_OK ? STATUS_OK : STATUS_BAD_FORMAT;
}

void diskapps_free(struct disk_image *img)
{
	if (img->at)
		keel_unmap(img->at, img->pages); /* keel_map places the next one here again */
	if (img->mem != CAP_HANDLE_NONE)
		sys_cap_delete(img->mem);
	*img = (struct disk_image){ .mem = CAP_HANDLE_NONE };
}
