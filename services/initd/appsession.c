/* appsession.c - a vfsd session for each launched app (appsession.h). */
#include <string.h>

#include "appsession.h"
#include "keel/vfs.h"

#define SESSION_CALL_NS 2000000000ull

/* The running file service's inbox (badge 0), or none. */
static cap_handle_t vfs_inbox(struct initd *d)
{
	for (uint32_t i = 0; i < d->count; i++)
		if (!strcmp(d->svc[i].m.provides, "vfs") && d->svc[i].running && d->svc[i].inbox)
			return d->svc[i].inbox;
	return CAP_HANDLE_NONE;
}

/* A new session of vfsd's record of badge: *head (initd's) and *copy
 * (the app's, the same record). Nothing is left behind on failure. */
static status_t session_of(struct vfs_client *c, cap_handle_t vfs, uint64_t badge,
			   cap_handle_t *head, cap_handle_t *copy)
{
	status_t st = vfs_session(c, vfs, badge, head, NULL);
	if (st == STATUS_OK && (st = sys_cap_derive(*head, RIGHT_SEND | RIGHT_GRANT, 0, copy)))
		vfs_close_send(*head);
	return st;
}

/* Notes whether a's new session is of the volume's root, and its rights:
 * what LAUNCH_ROOT may give it again. */
static void note_root(struct vfs_client *c, struct app *a)
{
	struct vfs_stat st;
	a->root_renewable = vfs_stat(c, a->session, &st) == STATUS_OK && st.type == VFS_TYPE_DIR &&
			    (st.flags & VFS_STAT_ROOT);
	a->root_rights = a->root_renewable ? st.rights : 0;
}

status_t appsession_open(struct launcher *l, struct app *a, uint32_t i)
{
	struct vfs_client c = { .timeout = SESSION_CALL_NS };
	cap_handle_t vfs = vfs_inbox(l->d), head, copy;
	uint64_t info = 0, badge = 0;
	if (a->session != CAP_HANDLE_NONE || vfs == CAP_HANDLE_NONE ||
	    sys_cap_info(a->caps[i], &info, &badge) || badge == 0)
		return STATUS_OK;
	status_t st = session_of(&c, vfs, badge, &head, &copy);
	if (st)
		return st;
	sys_cap_delete(a->caps[i]);
	a->caps[i] = copy;
	a->session = head;
	note_root(&c, a);
	return STATUS_OK;
}

status_t appsession_renew(struct launcher *l, struct app *a, cap_handle_t *root)
{
	struct vfs_client c = { .timeout = SESSION_CALL_NS };
	struct vfs_stat st;
	cap_handle_t vfs = vfs_inbox(l->d), dir = CAP_HANDLE_NONE, head, copy;
	uint64_t info = 0, badge = 0;
	if (!a->root_renewable)
		return STATUS_NOT_FOUND;
	if (a->session != CAP_HANDLE_NONE && vfs_stat(&c, a->session, &st) == STATUS_OK)
		return STATUS_BUSY; /* the root it has still works */
	if (vfs == CAP_HANDLE_NONE)
		return STATUS_DEAD;
	status_t s = vfs_open(&c, vfs, "", VFS_O_DIR, a->root_rights, &dir, NULL);
	if (s == STATUS_OK)
		s = sys_cap_info(dir, &info, &badge);
	if (s == STATUS_OK)
		s = session_of(&c, vfs, badge, &head, &copy);
	if (dir != CAP_HANDLE_NONE)
		vfs_close_send(dir); /* the session's head stands on its own */
	if (s)
		return s;
	if (a->session != CAP_HANDLE_NONE)
		sys_cap_delete(a->session); /* its vfsd is gone: nothing to close */
	a->session = head;
	*root = copy;
	return STATUS_OK;
}

void appsession_end(struct app *a)
{
	struct keel_msg m = { .label = VFS_CLOSE };
	struct vfs_client c = { .timeout = SESSION_CALL_NS };
	cap_handle_t head = a->session;
	if (head == CAP_HANDLE_NONE)
		return;
	a->session = CAP_HANDLE_NONE;
	/* A send never blocks initd; only with vfsd's inbox full does initd
	 * wait for it rather than leak the session. */
	if (sys_msg_send(head, &m, CAP_HANDLE_NONE, 0) == STATUS_FULL)
		vfs_close(&c, head); /* deletes head */
	else
		sys_cap_delete(head);
}
