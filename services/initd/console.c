/*
 * console.c - what a console program is given besides initd's own
 * capabilities: a terminal of the console service ("tty": compd's serial
 * line, or the first virtual console of the screen) and a root directory
 * of the file service (vfsd, "root").
 *
 * The terminal is opened once and kept, so that a console program started
 * again gets the same one; it is opened again after the console service
 * has restarted (its hello count moved). initd is its controller, so a
 * Ctrl-C typed on it reaches initd (launch.c, on_term_event), which ends
 * the console's foreground apps (console_intr_targets, below). The root is a
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

/* The service providing name, whatever its state, or NULL. */
static const struct service *providing(const struct initd *d, const char *name)
{
	for (uint32_t i = 0; i < d->count; i++)
		if (!strcmp(d->svc[i].m.provides, name))
			return &d->svc[i];
	return NULL;
}

bool console_provider_coming(struct initd *d, const char *name)
{
	const struct service *s = providing(d, name);
	/* A refused service is never in backoff: it never ran. */
	return s && (services_coming_up(s) || s->sv.state == SV_STATE_BACKOFF);
}

bool console_provider_back(struct initd *d, const char *name)
{
	const struct service *s = providing(d, name);
	return s && (s->stop_due || services_coming_up(s) || s->sv.state == SV_STATE_BACKOFF);
}

bool console_provider_returns(struct initd *d, const char *name)
{
	const struct service *s = providing(d, name);
	return s && services_returns(s);
}

static void drop(cap_handle_t *c)
{
	if (*c != CAP_HANDLE_NONE)
		sys_cap_delete(*c);
	*c = CAP_HANDLE_NONE;
}

/* Opens c's terminal with initd as its controller. */
static status_t open_tty(struct console *c, struct service *con)
{
	cap_handle_t control = CAP_HANDLE_NONE, tty = CAP_HANDLE_NONE;
	status_t st = term_open(con->inbox, c->term, &control);
	if (st == STATUS_OK)
		st = term_user_cap(control, &tty);
	if (st == STATUS_OK && c->l->events != CAP_HANDLE_NONE)
		st = term_set_controller(control, c->l->events);
	if (st) {
		drop(&control);
		drop(&tty);
		return st;
	}
	drop(&c->control);
	drop(&c->tty);
	c->control = control;
	c->tty = tty;
	c->tty_hellos = con->hellos;
	return STATUS_OK;
}

void console_caps_get(struct console *c)
{
	struct initd *d = c->l->d;
	struct service *con = provider(d, "console"), *vfs = provider(d, "vfs");
	if (con && (c->tty == CAP_HANDLE_NONE || c->tty_hellos != con->hellos)) {
		status_t st = open_tty(c, con);
		if (st)
			keel_print(d->start->witness, "initd: no terminal %u from %s: %s\n",
				   c->term, con->m.name, status_name(st));
	}
	c->tty_live = con && c->tty != CAP_HANDLE_NONE && c->tty_hellos == con->hellos;
	if (vfs && c->root == CAP_HANDLE_NONE) {
		struct vfs_client v = { .timeout = CONSOLE_CALL_NS };
		status_t st = vfs_open(&v, vfs->inbox, "", VFS_O_DIR, VFS_R_ALL, &c->root, NULL);
		if (st) {
			c->root = CAP_HANDLE_NONE;
			keel_print(d->start->witness, "initd: no root directory from %s: %s\n",
				   vfs->m.name, status_name(st));
		}
	}
}

bool console_terminal_lost(struct console *c)
{
	struct service *con = provider(c->l->d, "console");
	return c->tty_live && (!con || con->hellos != c->tty_hellos);
}

void console_caps_release(struct console *c)
{
	struct vfs_client v = { .timeout = CONSOLE_CALL_NS };
	if (c->root != CAP_HANDLE_NONE)
		vfs_close(&v, c->root); /* deletes it; a dead vfsd's record went with it */
	c->root = CAP_HANDLE_NONE;
}

/* Whether an interrupt on console k passes through a to a's launches: a is
 * k's console program, or a running foreground app that catches
 * interrupts (LAUNCH_JOB_CATCH) below another that passes them. */
static bool passes(struct launcher *l, struct app *a, uint32_t k)
{
	for (uint32_t depth = 0; a && depth <= LAUNCH_APPS_MAX; depth++) {
		if (a->state != APP_RUNNING || a->console != k)
			return false;
		if (!a->owner)
			return true;
		if (a->background || !a->catches)
			return false;
		a = launch_app(l, (uint32_t)a->owner);
	}
	return false;
}

/* The foreground apps of console k: running, not in the background, not
 * catching interrupts themselves, launched by an app an interrupt passes
 * through. Ending them ends what they launched too. */
uint32_t console_intr_targets(struct launcher *l, uint32_t k, struct app **out)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < LAUNCH_APPS_MAX; i++) {
		struct app *a = &l->apps[i];
		if (a->state != APP_RUNNING || !a->owner || a->console != k || a->background ||
		    a->catches)
			continue;
		if (passes(l, launch_app(l, (uint32_t)a->owner), k))
			out[n++] = a;
	}
	return n;
}
