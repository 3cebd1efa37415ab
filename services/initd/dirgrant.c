/* dirgrant.c - directory capabilities for services (dirgrant.h, dirs.h). */
#include <string.h>

#include "dirgrant.h"
#include "keel/peers.h"
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

/* The running provider of "vfs" for s, or NULL. */
static const struct service *vfs_of(const struct initd *d, const struct service *s)
{
	const struct service *vfs = s->dir_from < d->count ? &d->svc[s->dir_from] : NULL;
	return vfs && vfs->running && vfs->inbox ? vfs : NULL;
}

/* A new session in vfsd for one instance of s: *head, of the volume's
 * root with the rights of all of s's dir lines, which initd keeps and
 * never hands out. */
static status_t session_for(struct vfs_client *c, const struct service *s, cap_handle_t vfs,
			    cap_handle_t *head)
{
	cap_handle_t root;
	uint32_t rights = 0;
	for (uint32_t i = 0; i < s->m.dir_count; i++)
		rights |= s->m.dirs[i].rights;
	status_t st = vfs_open(c, vfs, "", VFS_O_DIR, rights, &root, NULL);
	if (st)
		return st;
	st = vfs_session(c, root, 0, head, NULL);
	vfs_close_send(root); /* the head stands on its own */
	return st;
}

/* Opens dir line i of s through head: a record of head's session. */
static status_t open_dir(struct initd *d, const struct service *s, struct vfs_client *c,
			 cap_handle_t head, uint32_t i, cap_handle_t *cap)
{
	const struct manifest_dir *dir = &s->m.dirs[i];
	status_t st = vfs_open(c, head, dir->path, VFS_O_DIR, dir->rights, cap, NULL);
	if (st && st != s->dir_error)
		keel_print(d->start->witness, "initd: %s: dir /%s: %s\n", s->m.name, dir->path,
			   status_message(st));
	return st;
}

status_t dirs_grant(struct initd *d, struct service *s, struct keel_spawn_args *a,
		    cap_handle_t *parts, uint32_t *nparts)
{
	struct vfs_client c = { .timeout = DIR_OPEN_TIMEOUT_NS }; /* no buffer: paths are short */
	const struct service *vfs = vfs_of(d, s);
	if (!s->m.dir_count)
		return STATUS_OK;
	if (!vfs)
		return STATUS_NOT_FOUND;
	if (a->cap_count + s->m.dir_count > KEEL_SPAWN_CAPS_MAX)
		return STATUS_FULL;
	dirs_end(s); /* an earlier start that failed after its session */
	status_t st = session_for(&c, s, vfs->inbox, &s->dir_head);
	if (st) {
		keel_print(d->start->witness, "initd: %s: no vfsd session: %s\n", s->m.name,
			   status_message(st));
		return st;
	}
	s->dir_hellos = vfs->hellos;
	for (uint32_t i = 0; i < s->m.dir_count; i++) {
		cap_handle_t cap;
		if ((st = open_dir(d, s, &c, s->dir_head, i, &cap)))
			return st; /* the caller ends the session (dirs_end) */
		parts[(*nparts)++] = cap;
		a->caps[a->cap_count++] = (struct keel_grant){ cap, RIGHT_SEND | RIGHT_GRANT, 0 };
	}
	return STATUS_OK;
}

void dirs_end(struct service *s)
{
	cap_handle_t head = s->dir_head;
	if (head == CAP_HANDLE_NONE)
		return;
	s->dir_head = CAP_HANDLE_NONE;
	/* A send never blocks initd; with vfsd's inbox full, or vfsd gone,
	 * the session is ended by vfsd's restart at worst. */
	vfs_close_send(head);
}

status_t dirs_refresh(struct initd *d, struct service *s)
{
	struct vfs_client c = { .timeout = DIR_OPEN_TIMEOUT_NS };
	const struct service *vfs = vfs_of(d, s);
	cap_handle_t head, cap;
	status_t st = STATUS_OK;
	if (!s->m.dir_count || !s->running || !s->inbox || !vfs || s->dir_hellos == vfs->hellos)
		return STATUS_OK;
	if ((st = session_for(&c, s, vfs->inbox, &head)))
		return st;
	keel_print(d->start->witness, "initd: %s: new directories from %s (restarted)\n", s->m.name,
		   vfs->m.name);
	for (uint32_t i = 0; st == STATUS_OK && i < s->m.dir_count; i++) {
		if ((st = open_dir(d, s, &c, head, i, &cap)) == STATUS_OK) {
			char name[PEER_NAME_MAX + 1] = "/";
			strncat(name, s->m.dirs[i].path, PEER_NAME_MAX - 1);
			st = services_give_peer(s, name, cap, 0);
			sys_cap_delete(cap); /* s's copy, if given, stays */
		}
	}
	if (st) {
		vfs_close_send(head); /* frees the directories given before the failure */
		return st;
	}
	if (s->dir_head != CAP_HANDLE_NONE)
		sys_cap_delete(s->dir_head); /* of the vfsd that is gone: nothing to close */
	s->dir_head = head;
	s->dir_hellos = vfs->hellos;
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
