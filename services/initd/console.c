/*
 * console.c - what the console program is given besides initd's own
 * capabilities: a terminal of the console service (compd's serial line,
 * "tty") and a root directory of the file service (vfsd, "root").
 *
 * The terminal is opened once and kept, so that a console program started
 * again gets the same line; it is opened again after the console service
 * has restarted (its hello count moved). initd is its controller, so a
 * Ctrl-C typed on it reaches initd (console_on_event). The root is a
 * fresh vfsd record for each start of the console program (its buffer is
 * its own), closed when that program ends. A provider that is missing or
 * does not answer within CONSOLE_CALL_NS leaves the capability out: the
 * program still starts, with the debug console and no files.
 */
#include <string.h>

#include "keel/term.h"
#include "keel/vfs.h"
#include "launch.h"

#define CONSOLE_CALL_NS 2000000000ull

/* The running instance of the service providing name, or NULL. */
static struct service *provider(struct initd *d, const char *name)
{
	for (uint32_t i = 0; i < d->count; i++)
		if (!strcmp(d->svc[i].m.provides, name) && d->svc[i].running && d->svc[i].inbox)
			return &d->svc[i];
	return NULL;
}

static void drop(cap_handle_t *c)
{
	if (*c != CAP_HANDLE_NONE)
		sys_cap_delete(*c);
	*c = CAP_HANDLE_NONE;
}

/* Opens the serial terminal with initd as its controller. */
static status_t open_tty(struct launcher *l, struct service *con)
{
	cap_handle_t control = CAP_HANDLE_NONE, tty = CAP_HANDLE_NONE;
	status_t st = term_open(con->inbox, TERM_SERIAL, &control);
	if (st == STATUS_OK)
		st = term_user_cap(control, &tty);
	if (st == STATUS_OK && l->events != CAP_HANDLE_NONE)
		st = term_set_controller(control, l->events);
	if (st) {
		drop(&control);
		drop(&tty);
		return st;
	}
	drop(&l->console_control);
	drop(&l->console_tty);
	l->console_control = control;
	l->console_tty = tty;
	l->console_tty_hellos = con->hellos;
	return STATUS_OK;
}

void console_caps_get(struct launcher *l)
{
	struct initd *d = l->d;
	struct service *con = provider(d, "console"), *vfs = provider(d, "vfs");
	if (con && (l->console_tty == CAP_HANDLE_NONE || l->console_tty_hellos != con->hellos)) {
		status_t st = open_tty(l, con);
		if (st)
			keel_print(d->start->witness, "initd: no terminal from %s: %s\n", con->m.name,
				   status_name(st));
	}
	if (vfs && l->console_root == CAP_HANDLE_NONE) {
		struct vfs_client c = { .timeout = CONSOLE_CALL_NS };
		status_t st =
			vfs_open(&c, vfs->inbox, "", VFS_O_DIR, VFS_R_ALL, &l->console_root, NULL);
		if (st) {
			l->console_root = CAP_HANDLE_NONE;
			keel_print(d->start->witness, "initd: no root directory from %s: %s\n",
				   vfs->m.name, status_name(st));
		}
	}
}

void console_caps_release(struct launcher *l)
{
	struct vfs_client c = { .timeout = CONSOLE_CALL_NS };
	if (l->console_root != CAP_HANDLE_NONE)
		vfs_close(&c, l->console_root); /* deletes it; a dead vfsd's record went with it */
	l->console_root = CAP_HANDLE_NONE;
}
