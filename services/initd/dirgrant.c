/* dirgrant.c - directory capabilities for services (dirgrant.h, dirs.h). */
#include <string.h>

#include "dirgrant.h"
#include "keel/sys.h"
#include "keel/vfs.h"

#define DIR_OPEN_TIMEOUT_NS 1000000000ull /* vfsd answers opens from its cache */

status_t dirs_depend(struct initd *d, uint32_t i, uint32_t from)
{
	struct service *s = &d->svc[i];
	s->dir_from = from;
	if (from == READY_NOBODY)
		keel_print(d->start->witness,
			   "initd: %s: has dir lines, but no service in the boot list provides "
			   "%s\n",
			   s->m.name, DIRS_PROVIDER);
	if (from == i) {
		keel_print(d->start->witness, "initd: %s refused: it has dir lines and is %s\n",
			   s->m.name, DIRS_PROVIDER);
		s->refused = true;
		return STATUS_OK;
	}
	return ready_add(&d->deps, i, from);
}

status_t dirs_grant(struct initd *d, struct service *s, struct keel_spawn_args *a,
		    cap_handle_t *parts, uint32_t *nparts)
{
	struct vfs_client c = { .timeout = DIR_OPEN_TIMEOUT_NS }; /* no buffer: paths are short */
	const struct service *vfs = s->dir_from < d->count ? &d->svc[s->dir_from] : NULL;
	if (s->m.dir_count && (!vfs || !vfs->inbox))
		return STATUS_NOT_FOUND;
	for (uint32_t i = 0; i < s->m.dir_count; i++) {
		const struct manifest_dir *dir = &s->m.dirs[i];
		cap_handle_t cap;
		if (a->cap_count == KEEL_SPAWN_CAPS_MAX)
			return STATUS_FULL;
		status_t st = vfs_open(&c, vfs->inbox, dir->path, VFS_O_DIR, dir->rights, &cap,
				       NULL);
		if (st) {
			keel_print(d->start->witness, "initd: %s: dir /%s: %s\n", s->m.name,
				   dir->path, status_message(st));
			return st;
		}
		parts[(*nparts)++] = cap;
		a->caps[a->cap_count++] = (struct keel_grant){ cap, RIGHT_SEND | RIGHT_GRANT, 0 };
	}
	return STATUS_OK;
}

void dirs_item(const struct manifest_dir *dir, struct initd_footprint *f)
{
	size_t n = strlen(dir->path);
	f->kind = INITD_ITEM_DIR;
	f->first = dir->rights;
	f->count = n;
	memcpy(f->name, dir->path, n < 7 ? n : 7);
}
