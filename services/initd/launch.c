/* launch.c - launching apps for holders of a launch capability (see launch.h). */
#include "lib/cmdline.h"
#include "keel/map.h"
#include "keel/term.h"
#include "appsession.h"
#include "launch.h"
#include "protocol.h"

#define CONSOLE_BACKOFF_NS 1000000000ull /* before the console program restarts */
#define CONSOLE_QUICK_NS 2000000000ull   /* an end this soon after its start is quick */
#define CONSOLE_QUICK_MAX 3u             /* quick ends in a row that stop restarts */
#define CONSOLE_WAIT_NS 100000000ull     /* a restart put off for coming services */
#define CONSOLE_WAITS_MAX 100u           /* at most 10 s */

static void say(struct launcher *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct launcher *l, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	keel_vprint(l->d->start->witness, fmt, ap);
	va_end(ap);
}

static uint64_t now_ns(void)
{
	uint64_t t = 0;
	sys_clock_read(&t);
	return t;
}

static uint32_t slot_of(const struct launcher *l, const struct app *a)
{
	return (uint32_t)(a - l->apps);
}

/* The app's id in the protocol, and the low 32 bits of its badges. */
static uint32_t app_id(const struct launcher *l, const struct app *a)
{
	return (a->gen & 0xffffffu) << 8 | slot_of(l, a);
}

static uint64_t badge_of(const struct launcher *l, const struct app *a, uint64_t kind)
{
	return kind << 32 | app_id(l, a);
}

/* The live entry named by id (or a badge's low bits), or NULL. */
static struct app *app_by_id(struct launcher *l, uint32_t id)
{
	uint32_t slot = id & 0xffu;
	if (slot >= LAUNCH_APPS_MAX)
		return NULL;
	struct app *a = &l->apps[slot];
	return a->state != APP_FREE && app_id(l, a) == id ? a : NULL;
}

/* The entry id if the caller badge owns it, or NULL. */
static struct app *owned(struct launcher *l, uint64_t badge, uint32_t id)
{
	struct app *a = app_by_id(l, id);
	return a && a->owner == badge ? a : NULL;
}

bool launch_task_at(struct launcher *l, uint32_t i, uint32_t initd_id, struct initd_task *out,
		    char args[INITD_TASK_ARGS_MAX], cap_handle_t *task)
{
	for (uint32_t k = 0; k < LAUNCH_APPS_MAX; k++) {
		const struct app *a = &l->apps[k];
		if ((a->state != APP_RUNNING && a->state != APP_ENDED) || i--)
			continue;
		memcpy(out->name, a->comm, sizeof out->name);
		memcpy(args, a->args, INITD_TASK_ARGS_MAX);
		out->kind = INITD_TASK_PROGRAM;
		out->flags = (uint8_t)((a->background ? INITD_TASK_BACKGROUND : 0) |
				       (a->state == APP_ENDED ? INITD_TASK_ENDED : 0) |
				       (a->stopped ? INITD_TASK_STOPPED : 0));
		const struct app *up = a->owner ? app_by_id(l, (uint32_t)a->owner) : NULL;
		out->parent = a->owner == 0 ? initd_id : up ? (uint32_t)up->task_id : 0;
		out->id = (uint32_t)a->task_id;
		out->started_s = (uint32_t)(a->started_ns / 1000000000);
		*task = a->state == APP_RUNNING ? a->child.task : CAP_HANDLE_NONE;
		return true;
	}
	return false;
}

bool launch_owns(uint64_t badge)
{
	uint64_t kind = badge >> 32;
	return kind >= LAUNCH_KIND_APP && kind <= LAUNCH_KIND_TERM;
}

/* True if badge is the launch capability of a running app. */
static bool launcher_alive(struct launcher *l, uint64_t badge)
{
	struct app *a = app_by_id(l, (uint32_t)badge);
	return badge >> 32 == LAUNCH_KIND_LAUNCHER && a && a->state == APP_RUNNING &&
	       a->launcher != CAP_HANDLE_NONE;
}

static void drop(cap_handle_t *c)
{
	if (*c != CAP_HANDLE_NONE)
		sys_cap_delete(*c);
	*c = CAP_HANDLE_NONE;
}

/* Returns an entry to the free list: every capability initd held for it
 * is deleted, its launch capability revoked everywhere. */
static void app_free(struct launcher *l, struct app *a)
{
	(void)l;
	appsession_end(a);
	drop(&a->block);
	for (uint32_t i = 0; i < a->ncaps; i++)
		drop(&a->caps[i]);
	drop(&a->end_cap);
	if (a->launcher != CAP_HANDLE_NONE)
		sys_cap_revoke(a->launcher);
	drop(&a->launcher);
	drop(&a->waiter);
	drop(&a->root_waiter);
	drop(&a->go_waiter);
	drop(&a->child.task);
	drop(&a->child.thread);
	uint32_t gen = a->gen + 1;
	*a = (struct app){ .state = APP_FREE, .gen = gen };
}

/* A free entry for owner, or NULL (FULL). */
static struct app *app_new(struct launcher *l, uint64_t owner, const char *program)
{
	uint32_t mine = 0;
	struct app *free_one = NULL;
	for (uint32_t i = 0; i < LAUNCH_APPS_MAX; i++) {
		if (l->apps[i].state == APP_FREE && !free_one)
			free_one = &l->apps[i];
		mine += l->apps[i].state != APP_FREE && l->apps[i].owner == owner;
	}
	if (!free_one || (owner && mine >= LAUNCH_PER_LAUNCHER))
		return NULL;
	struct app *parent = owner ? app_by_id(l, (uint32_t)owner) : NULL;
	free_one->state = APP_PREPARED;
	free_one->owner = owner;
	free_one->console = parent ? parent->console : LAUNCH_CONSOLES;
	memcpy(free_one->program, program, strlen(program) + 1);
	return free_one;
}

static void fill_reply(struct loop_reply *r, const void *payload, uint16_t len)
{
	memset(&r->msg, 0, sizeof r->msg);
	r->msg.label = LAUNCH_REPLY;
	r->msg.len = len;
	memcpy(r->msg.payload, payload, len);
}

static void ended_notify(struct launcher *l, struct app *a);
static status_t app_manifest(struct launcher *l, struct app *a, bool script, struct disk_image *img,
			     const void **text, size_t *size);
static void console_ended(struct console *c);

/* The app stopped (exit, fault or kill): its own launches die with it. */
static void app_ended(struct launcher *l, struct app *a, uint32_t end, uint64_t detail)
{
	uint64_t me = badge_of(l, a, LAUNCH_KIND_LAUNCHER);
	a->status = (struct launch_status){
		.id = app_id(l, a), .end = end, .detail = detail, .task_id = a->task_id
	};
	a->state = APP_ENDED;
	launch_budget_give(l, a);
	appsession_end(a); /* what it left open in vfsd is freed */
	drop(&a->root_waiter);
	drop(&a->child.task);
	drop(&a->child.thread);
	if (a->launcher != CAP_HANDLE_NONE)
		sys_cap_revoke(a->launcher);
	drop(&a->launcher);
	for (uint32_t i = 0; i < LAUNCH_APPS_MAX; i++) {
		struct app *c = &l->apps[i];
		if (c->state == APP_FREE || c->owner != me)
			continue;
		if (c->state == APP_RUNNING) {
			sys_task_kill(c->child.task, 0);
			app_ended(l, c, LAUNCH_END_KILLED, 0);
		}
		app_free(l, c);
	}
	for (uint32_t i = 0; i < LAUNCH_APPS_MAX; i++)
		if (l->any[i].owner == me)
			drop(&l->any[i].reply), l->any[i].owner = 0;
	ended_notify(l, a);
}

/* Answers a waiter of ended app a, if there is one, and forgets a. The
 * console program (owner 0) is restarted instead. */
static void ended_notify(struct launcher *l, struct app *a)
{
	struct loop_reply r = { 0 };
	cap_handle_t to = a->waiter;
	a->waiter = CAP_HANDLE_NONE;
	for (uint32_t i = 0; to == CAP_HANDLE_NONE && i < LAUNCH_APPS_MAX; i++)
		if (a->owner && l->any[i].owner == a->owner)
			to = l->any[i].reply, l->any[i] = (struct any_wait){ 0 };
	if (a->owner == 0) {
		uint32_t id = app_id(l, a);
		say(l, "initd: console program %s ended (%s %lu)\n", a->program,
		    a->status.end == LAUNCH_END_FAULT ? "fault" : "exit",
		    (unsigned long)a->status.detail);
		app_free(l, a);
		for (uint32_t k = 0; k < LAUNCH_CONSOLES; k++)
			if (id == l->consoles[k].id)
				console_ended(&l->consoles[k]);
		return;
	}
	if (to == CAP_HANDLE_NONE)
		return;
	fill_reply(&r, &a->status, sizeof a->status);
	loop_reply(&l->d->loop, to, &r);
	app_free(l, a);
}

status_t launch_on_end(struct launcher *l, const struct keel_msg *m)
{
	uint64_t word = 0;
	struct app *a = app_by_id(l, (uint32_t)m->badge);
	if (m->badge >> 32 != LAUNCH_KIND_APP || !a || a->state != APP_RUNNING)
		return STATUS_OK; /* killed already, or a stale instance */
	memcpy(&word, m->payload, sizeof word);
	if (m->label == MSG_LABEL_TASK_FAULT)
		app_ended(l, a, LAUNCH_END_FAULT, (uint32_t)word);
	else
		app_ended(l, a, LAUNCH_END_EXIT, word);
	return STATUS_OK;
}

/* The caller of m is a live launcher; else NO_RIGHTS. */
static status_t caller_ok(struct launcher *l, const struct keel_msg *m)
{
	if (l->shutting_down)
		return STATUS_BUSY;
	return launcher_alive(l, m->badge) ? STATUS_OK : STATUS_NO_RIGHTS;
}

static status_t on_new(struct loop *loop, const struct keel_msg *m, struct loop_reply *r, void *ctx)
{
	struct launcher *l = ctx;
	char name[LAUNCH_PROGRAM_MAX + 1] = { 0 };
	(void)loop;
	status_t st = caller_ok(l, m);
	if (st)
		return st;
	memcpy(name, m->payload, LAUNCH_PROGRAM_MAX);
	if (!name[0])
		return STATUS_INVALID;
	struct app *a = app_new(l, m->badge, name);
	if (!a)
		return STATUS_FULL;
	uint32_t id = app_id(l, a);
	fill_reply(r, &id, sizeof id);
	return STATUS_OK;
}

/* Records the first mistake of a prepared launch. */
static status_t mistake(struct app *a, status_t st)
{
	if (a && a->error == STATUS_OK)
		a->error = st;
	return st;
}

/* Checks an argument block capability: memory that the child may map. */
static status_t block_check(cap_handle_t cap, uint32_t bytes)
{
	uint64_t info = 0, badge;
	uint32_t need = RIGHT_READ | RIGHT_MAP | RIGHT_GRANT;
	status_t st = sys_cap_info(cap, &info, &badge);
	if (st)
		return st;
	if ((uint32_t)info != OBJ_MEMORY || ((uint32_t)(info >> 32) & need) != need)
		return STATUS_NO_RIGHTS;
	if (bytes < sizeof(struct launch_block_hdr) || bytes > LAUNCH_BLOCK_MAX)
		return STATUS_RANGE;
	return STATUS_OK;
}

static status_t on_args(struct loop *loop, const struct keel_msg *m, struct loop_reply *r,
			void *ctx)
{
	struct launcher *l = ctx;
	uint32_t id, bytes;
	cap_handle_t cap = (m->flags & MSG_FLAG_CAP) ? m->cap : CAP_HANDLE_NONE;
	(void)loop, (void)r;
	memcpy(&id, m->payload, 4);
	memcpy(&bytes, m->payload + 4, 4);
	status_t ok = caller_ok(l, m);
	struct app *a = ok ? NULL : owned(l, m->badge, id);
	status_t st = ok                               ? ok
		      : !a || a->state != APP_PREPARED ? STATUS_NOT_FOUND
		      : cap == CAP_HANDLE_NONE         ? STATUS_INVALID
		      : a->block                       ? STATUS_EXISTS
						       : block_check(cap, bytes);
	if (st) {
		drop(&cap);
		return a && a->state == APP_PREPARED ? mistake(a, st) : st;
	}
	a->block = cap;
	a->block_bytes = bytes;
	return STATUS_OK;
}

static status_t on_cap(struct loop *loop, const struct keel_msg *m, struct loop_reply *r, void *ctx)
{
	struct launcher *l = ctx;
	uint32_t id;
	char name[LAUNCH_CAP_NAME_MAX + 1] = { 0 };
	cap_handle_t cap = (m->flags & MSG_FLAG_CAP) ? m->cap : CAP_HANDLE_NONE;
	(void)loop, (void)r;
	memcpy(&id, m->payload, 4);
	memcpy(name, m->payload + 4, LAUNCH_CAP_NAME_MAX);
	status_t ok = caller_ok(l, m);
	struct app *a = ok ? NULL : owned(l, m->badge, id);
	status_t st = ok                               ? ok
		      : !a || a->state != APP_PREPARED ? STATUS_NOT_FOUND
		      : cap == CAP_HANDLE_NONE         ? STATUS_INVALID
						       : launch_name_add(a->names, &a->ncaps, name);
	if (st) {
		drop(&cap);
		return a && a->state == APP_PREPARED ? mistake(a, st) : st;
	}
	a->caps[a->ncaps - 1] = cap;
	return STATUS_OK;
}

/* The program from /apps on the disk, into *img: its manifest text. A
 * file that is no executable is reported on the console. With script, a
 * "#!" file there turns a into a launch of its interpreter. */
static status_t disk_manifest(struct launcher *l, struct app *a, bool script,
			      struct disk_image *img, const void **text, size_t *size)
{
	char interp[LAUNCH_PROGRAM_MAX + 1], program[LAUNCH_PROGRAM_MAX + 1];
	char path[LAUNCH_PROGRAM_MAX + sizeof DISKAPPS_DIR + 2] = "/" DISKAPPS_DIR "/";
	memcpy(program, a->program, sizeof program); /* a script's launch changes it */
	status_t st = diskapps_read(l->d, &l->disk, program, img);
	if (st == STATUS_OK && diskapps_script(img, interp, sizeof interp, &st)) {
		diskapps_free(img);
		if (st == STATUS_OK && !script)
			st = STATUS_BAD_FORMAT; /* an interpreter that is a script */
		if (st == STATUS_OK) {
			memcpy(path + sizeof DISKAPPS_DIR + 1, program, strlen(program) + 1);
			st = launch_script(l, a, interp, path);
		}
		if (st == STATUS_OK)
			return app_manifest(l, a, false, img, text, size);
	} else if (st == STATUS_OK) {
		st = diskapps_manifest(img, text, size);
	}
	if (st && st != STATUS_NOT_FOUND)
		say(l, "initd: /%s/%s: cannot launch it: %s\n", DISKAPPS_DIR, program,
		    status_message(st));
	if (st)
		diskapps_free(img);
	return st;
}

/* The manifest text of a's program: from the bundle, or else from /apps
 * on the disk, whose ELF is then left in *img for the spawn. */
static status_t app_manifest(struct launcher *l, struct app *a, bool script, struct disk_image *img,
			     const void **text, size_t *size)
{
	status_t st = keel_spawner_manifest(&l->d->spawner, a->program, text, size);
	if (st == STATUS_NOT_FOUND)
		st = disk_manifest(l, a, script, img, text, size);
	return st;
}

/* a's manifest, parsed and checked for an app. */
static status_t app_policy(struct launcher *l, struct app *a, struct manifest *mf,
			   struct disk_image *img)
{
	const void *text;
	size_t size;
	status_t st = app_manifest(l, a, true, img, &text, &size);
	if (st == STATUS_OK)
		st = manifest_parse(text, size, mf, NULL);
	if (st == STATUS_OK)
		st = launch_manifest_check(mf);
	return st;
}

/* Appends name to the child's cmdline of capability names. */
static void name_append(char *cmd, const char *name)
{
	size_t k = strlen(cmd);
	if (k)
		cmd[k++] = ' ';
	memcpy(cmd + k, name, strlen(name) + 1);
}

/* The grant for kept capability i: rights as the launcher's own copy. */
static status_t grant_of(struct launcher *l, struct app *a, uint32_t i, struct keel_grant *g)
{
	uint64_t info = 0, badge;
	if (!strcmp(a->names[i], "launch")) {
		status_t st = sys_cap_derive(l->d->inbox, RIGHT_SEND | RIGHT_GRANT,
					     badge_of(l, a, LAUNCH_KIND_LAUNCHER), &a->launcher);
		*g = (struct keel_grant){ a->launcher, RIGHT_SEND | RIGHT_GRANT, 0 };
		return st;
	}
	status_t st = sys_cap_info(a->caps[i], &info, &badge);
	*g = (struct keel_grant){ a->caps[i], (uint32_t)(info >> 32), 0 };
	return st;
}

/* Fills the spawn arguments: the block, then the kept capabilities. */
static status_t spawn_args(struct launcher *l, struct app *a, const struct manifest *mf,
			   struct keel_spawn_args *s, char *cmd)
{
	bool keep[LAUNCH_CAPS_MAX];
	uint32_t n = 0;
	status_t st = STATUS_OK;
	launch_intersect(mf, a->names, a->ncaps, keep);
	s->caps[s->cap_count++] = (struct keel_grant){ a->block, RIGHT_READ | RIGHT_MAP, 0 };
	for (uint32_t i = 0; st == STATUS_OK && i < a->ncaps; i++) {
		if (!keep[i])
			continue;
		if (!strcmp(a->names[i], "witness")) {
			st = grant_of(l, a, i, &s->witness);
			continue;
		}
		if (!strcmp(a->names[i], "root"))
			appsession_open(l, a, i);
		st = grant_of(l, a, i, &s->caps[s->cap_count++]);
		name_append(cmd, a->names[i]);
		n++;
	}
	s->arg = LAUNCH_START_MAGIC | n;
	return st;
}

/* Starts prepared app a. */
static status_t app_go(struct launcher *l, struct app *a)
{
	struct manifest mf;
	struct keel_spawn_args s = { 0 };
	char cmd[KEEL_CMDLINE_MAX] = { 0 };
	struct disk_image img = { .mem = CAP_HANDLE_NONE };
	status_t st = a->error ? a->error : app_policy(l, a, &mf, &img);
	if (st == STATUS_OK)
		st = launch_budget_take(l, a, &mf);
	if (st == STATUS_OK)
		st = sys_cap_derive(l->d->inbox, RIGHT_SEND, badge_of(l, a, LAUNCH_KIND_APP),
				    &a->end_cap);
	if (st == STATUS_OK)
		st = spawn_args(l, a, &mf, &s, cmd);
	if (st == STATUS_OK) {
		s.name = a->program;
		s.image = img.at;
		s.image_bytes = img.bytes;
		s.cmdline = cmd;
		s.fault_inbox = a->end_cap;
		s.quota_pages = mf.quota_pages;
		s.quota_objects = mf.quota_objects;
		s.quota_slots = mf.quota_slots;
		s.tier = (uint32_t)mf.tier;
		s.affinity = l->d->start->cpu_count >= 64 ? ~0ull
							  : (1ull << l->d->start->cpu_count) - 1;
		st = keel_spawn(&l->d->spawner, &s, &a->child);
	}
	diskapps_free(&img); /* the child has its own copy */
	if (st == STATUS_OK) {
		a->seq = ++l->seq;
		a->task_id = initd_task_id(a->child.task);
		sys_clock_read(&a->started_ns);
		launch_comm(a);
	}
	if (st) {
		launch_budget_give(l, a);
		return st;
	}
	drop(&a->block); /* the child's copies stay */
	for (uint32_t i = 0; i < a->ncaps; i++)
		drop(&a->caps[i]);
	a->state = APP_RUNNING;
	return STATUS_OK;
}

/* Starts prepared app a for its LAUNCH_GO and fills the answer; a is
 * freed if it cannot start. After a wait for vfsd (held), its session is
 * made first: a root whose record went with the old instance (vfsd says
 * STALE) would leave the program without files for good, so the answer
 * is STALE, and the launcher renews its own root and launches again (the
 * C library does). The check is vfsd's, asked through initd's own
 * capability, never through the one the launcher gave. */
static status_t go(struct launcher *l, struct app *a, struct loop_reply *r, bool held)
{
	uint32_t out[4] = { app_id(l, a), 0, 0, 0 };
	status_t st = STATUS_OK;
	for (uint32_t i = 0; held && i < a->ncaps; i++)
		if (!strcmp(a->names[i], "root") && appsession_open(l, a, i) == STATUS_STALE)
			st = STATUS_STALE;
	if (st == STATUS_OK)
		st = app_go(l, a);
	if (st) {
		app_free(l, a);
		return st;
	}
	out[1] = a->ncaps;
	out[2] = (uint32_t)a->task_id; /* its pid in the C library (docs/launch.md) */
	fill_reply(r, out, sizeof out);
	return STATUS_OK;
}

/* Whether a's start waits for vfsd: it is given a root directory, which
 * initd makes a vfsd session for (appsession.h), and vfsd is on its way
 * back - starting, or in a graceful stop. Started now, it would get no
 * session, and so no new root after the restart. */
static bool go_waits(struct launcher *l, const struct app *a)
{
	bool root = false;
	for (uint32_t i = 0; i < a->ncaps && !root; i++)
		root = !strcmp(a->names[i], "root");
	return root && console_provider_back(l->d, "vfs");
}

static status_t on_go(struct loop *loop, const struct keel_msg *m, struct loop_reply *r, void *ctx)
{
	struct launcher *l = ctx;
	uint32_t id, flags = 0;
	(void)loop;
	memcpy(&id, m->payload, 4);
	if (m->len >= 8)
		memcpy(&flags, m->payload + 4, 4);
	status_t ok = caller_ok(l, m); /* BUSY at shutdown, NO_RIGHTS for no launcher */
	if (ok)
		return ok;
	struct app *a = owned(l, m->badge, id);
	if (!a || a->state != APP_PREPARED || a->go_waiter != CAP_HANDLE_NONE)
		return STATUS_NOT_FOUND;
	a->background = flags & LAUNCH_JOB_BACKGROUND;
	if (loop_msg_is_call(m) && go_waits(l, a)) {
		a->go_waiter = m->cap;
		return STATUS_OK; /* started once vfsd is back, or will not be (launch_settled) */
	}
	return go(l, a, r, false);
}

/* Answers r with a's stop, which is then reported. */
static void stop_reply(struct launcher *l, struct app *a, struct loop_reply *r)
{
	struct launch_status s = { .id = app_id(l, a),
				   .end = LAUNCH_END_STOPPED,
				   .detail = a->stop_detail,
				   .task_id = a->task_id };
	a->stop_unreported = false;
	fill_reply(r, &s, sizeof s);
}

/* Tells a's stop to a wait that asked for stops: one on a, or its
 * launcher's wait for any of its apps. */
static void stopped_notify(struct launcher *l, struct app *a)
{
	struct loop_reply r = { 0 };
	cap_handle_t to = CAP_HANDLE_NONE;
	if (a->waiter != CAP_HANDLE_NONE && a->waiter_stops)
		to = a->waiter, a->waiter = CAP_HANDLE_NONE;
	for (uint32_t i = 0; to == CAP_HANDLE_NONE && i < LAUNCH_APPS_MAX; i++)
		if (a->owner && l->any[i].owner == a->owner && l->any[i].stops)
			to = l->any[i].reply, l->any[i] = (struct any_wait){ 0 };
	if (to == CAP_HANDLE_NONE)
		return;
	stop_reply(l, a, &r);
	loop_reply(&l->d->loop, to, &r);
}

/* Stops the running app a and every running app it launched, down the
 * tree, as a process group stops (stop), or lets them go on. A stop that
 * changes an app is told to its launcher's wait (detail: why). */
static void app_stop(struct launcher *l, struct app *a, bool stop, uint64_t detail)
{
	uint64_t me = badge_of(l, a, LAUNCH_KIND_LAUNCHER);
	if (a->state != APP_RUNNING)
		return;
	for (uint32_t i = 0; i < LAUNCH_APPS_MAX; i++)
		if (l->apps[i].owner == me)
			app_stop(l, &l->apps[i], stop, detail);
	if (a->stopped == stop)
		return;
	sys_task_stop(a->child.task, stop);
	a->stopped = stop;
	a->stop_unreported = stop;
	a->stop_detail = detail;
	if (stop)
		stopped_notify(l, a);
}

/* LAUNCH_WAIT for any of owner's apps. */
static status_t wait_any(struct launcher *l, const struct keel_msg *m, uint32_t flags,
			 struct loop_reply *r)
{
	bool some = false;
	for (uint32_t i = 0; i < LAUNCH_APPS_MAX; i++) {
		struct app *a = &l->apps[i];
		if (a->state == APP_FREE || a->owner != m->badge)
			continue;
		if (a->state == APP_ENDED && a->waiter == CAP_HANDLE_NONE) {
			fill_reply(r, &a->status, sizeof a->status);
			app_free(l, a);
			return STATUS_OK;
		}
		if ((flags & LAUNCH_WAIT_STOPS) && a->state == APP_RUNNING && a->stop_unreported &&
		    a->waiter == CAP_HANDLE_NONE) {
			stop_reply(l, a, r);
			return STATUS_OK;
		}
		some = true;
	}
	if (!some)
		return STATUS_NOT_FOUND;
	if (flags & LAUNCH_WAIT_POLL)
		return STATUS_BUSY;
	struct any_wait *w = NULL;
	for (uint32_t i = 0; i < LAUNCH_APPS_MAX; i++) {
		if (l->any[i].owner == m->badge)
			return STATUS_BUSY;
		if (!l->any[i].owner && !w)
			w = &l->any[i];
	}
	if (!w)
		return STATUS_FULL;
	*w = (struct any_wait){ m->badge, m->cap, flags & LAUNCH_WAIT_STOPS };
	return STATUS_OK; /* answered when one ends (or stops) */
}

static status_t on_wait(struct loop *loop, const struct keel_msg *m, struct loop_reply *r,
			void *ctx)
{
	struct launcher *l = ctx;
	uint32_t id, flags;
	(void)loop;
	if (!loop_msg_is_call(m))
		return STATUS_INVALID;
	memcpy(&id, m->payload, 4);
	memcpy(&flags, m->payload + 4, 4);
	status_t st = caller_ok(l, m);
	if (st)
		return st;
	if (flags & ~(LAUNCH_WAIT_POLL | LAUNCH_WAIT_STOPS))
		return STATUS_INVALID;
	if (id == LAUNCH_ANY)
		return wait_any(l, m, flags, r);
	struct app *a = owned(l, m->badge, id);
	if (!a || a->state == APP_PREPARED)
		return STATUS_NOT_FOUND;
	if (a->state == APP_ENDED) {
		fill_reply(r, &a->status, sizeof a->status);
		app_free(l, a);
		return STATUS_OK;
	}
	if (a->waiter != CAP_HANDLE_NONE)
		return STATUS_BUSY;
	if ((flags & LAUNCH_WAIT_STOPS) && a->stop_unreported) {
		stop_reply(l, a, r);
		return STATUS_OK;
	}
	if (flags & LAUNCH_WAIT_POLL)
		return STATUS_BUSY;
	a->waiter = m->cap;
	a->waiter_stops = flags & LAUNCH_WAIT_STOPS;
	return STATUS_OK; /* answered when it ends (or stops) */
}

/* LAUNCH_STOP: one of the caller's programs stopped, or let go on. */
static status_t on_stop(struct loop *loop, const struct keel_msg *m, struct loop_reply *r,
			void *ctx)
{
	struct launcher *l = ctx;
	uint32_t id, stop;
	(void)loop;
	memcpy(&id, m->payload, 4);
	memcpy(&stop, m->payload + 4, 4);
	status_t st = caller_ok(l, m);
	if (st)
		return st;
	if (m->len < 8 || stop > 1)
		return STATUS_INVALID;
	struct app *a = owned(l, m->badge, id);
	if (!a || a->state == APP_PREPARED)
		return STATUS_NOT_FOUND;
	if (stop && a->state == APP_RUNNING)
		a->background = true; /* the terminal's again its launcher's */
	app_stop(l, a, stop, 0);
	fill_reply(r, &id, sizeof id);
	return STATUS_OK;
}

static status_t on_kill(struct loop *loop, const struct keel_msg *m, struct loop_reply *r,
			void *ctx)
{
	struct launcher *l = ctx;
	uint32_t id;
	(void)loop;
	memcpy(&id, m->payload, 4);
	status_t st = caller_ok(l, m);
	struct app *a = st ? NULL : owned(l, m->badge, id);
	if (st)
		return st;
	if (!a)
		return STATUS_NOT_FOUND;
	if (a->state == APP_PREPARED) {
		app_free(l, a);
	} else if (a->state == APP_RUNNING) {
		sys_task_kill(a->child.task, 0);
		app_ended(l, a, LAUNCH_END_KILLED, 0);
	}
	fill_reply(r, &id, sizeof id);
	return STATUS_OK;
}

void launch_kill_all(struct launcher *l)
{
	for (uint32_t i = 0; i < LAUNCH_APPS_MAX; i++) {
		struct app *a = &l->apps[i];
		if (a->state == APP_RUNNING) {
			sys_task_kill(a->child.task, 0);
			app_ended(l, a, LAUNCH_END_KILLED, 0);
		}
		if (a->state != APP_FREE && a->owner == 0)
			app_free(l, a);
	}
}

static status_t on_shutdown(struct loop *loop, const struct keel_msg *m, struct loop_reply *r,
			    void *ctx)
{
	struct launcher *l = ctx;
	(void)loop;
	if (m->badge != LAUNCH_KIND_POWER << 32)
		return STATUS_NO_RIGHTS;
	if (l->shutting_down)
		return STATUS_BUSY;
	l->reset = m->len >= 4 && (m->payload[0] & INITD_SHUTDOWN_RESET);
	fill_reply(r, NULL, 0);
	shutdown_begin(l);
	return STATUS_OK;
}

/* A console terminal's controller event: Ctrl-C or Ctrl-\\ ends that
 * console's foreground apps (console.c), Ctrl-Z stops them. */
static status_t on_term_event(struct loop *loop, const struct keel_msg *m, struct loop_reply *r,
			      void *ctx)
{
	struct launcher *l = ctx;
	struct app *targets[LAUNCH_APPS_MAX];
	uint32_t index, events;
	(void)loop, (void)r;
	if (m->badge != LAUNCH_KIND_TERM << 32 || term_event_parse(m, &index, &events))
		return STATUS_NO_RIGHTS;
	uint32_t k = 0;
	while (k < LAUNCH_CONSOLES && l->consoles[k].term != index)
		k++;
	if (k == LAUNCH_CONSOLES || !(events & (TERM_EV_INTR | TERM_EV_QUIT | TERM_EV_SUSP)))
		return STATUS_OK;
	uint64_t why = events & TERM_EV_INTR ? LAUNCH_KILLED_INTR : LAUNCH_KILLED_QUIT;
	uint32_t n = console_intr_targets(l, k, targets);
	for (uint32_t i = 0; i < n; i++) {
		if (targets[i]->state != APP_RUNNING)
			continue;
		if (events & (TERM_EV_INTR | TERM_EV_QUIT)) {
			sys_task_kill(targets[i]->child.task, 0);
			app_ended(l, targets[i], LAUNCH_END_KILLED, why);
		} else {
			/* Ctrl-Z: stopped, and out of the terminal's reach
			 * until its launcher brings it back (LAUNCH_JOB). */
			targets[i]->background = true;
			app_stop(l, targets[i], true, LAUNCH_STOPPED_SUSP);
		}
	}
	/* A stopped program's read of the terminal would take what is
	 * typed next: its reads end now, and it reads again when continued
	 * (stopped first, so it cannot ask again before). */
	if ((events & TERM_EV_SUSP) && !(events & (TERM_EV_INTR | TERM_EV_QUIT)) && n &&
	    l->consoles[k].control != CAP_HANDLE_NONE)
		term_release_reads(l->consoles[k].control);
	return STATUS_OK;
}

/* LAUNCH_JOB: one of the caller's apps to the foreground or the
 * background, or (id LAUNCH_ANY) the caller's own LAUNCH_JOB_CATCH. */
static status_t on_job(struct loop *loop, const struct keel_msg *m, struct loop_reply *r, void *ctx)
{
	struct launcher *l = ctx;
	uint32_t id, flags;
	(void)loop;
	memcpy(&id, m->payload, 4);
	memcpy(&flags, m->payload + 4, 4);
	status_t st = caller_ok(l, m);
	if (st)
		return st;
	if (m->len < 8 || (flags & ~(LAUNCH_JOB_BACKGROUND | LAUNCH_JOB_CATCH)))
		return STATUS_INVALID;
	struct app *a = id == LAUNCH_ANY ? app_by_id(l, (uint32_t)m->badge)
					 : owned(l, m->badge, id);
	if (!a || a->state == APP_ENDED)
		return STATUS_NOT_FOUND;
	if (id == LAUNCH_ANY)
		a->catches = flags & LAUNCH_JOB_CATCH;
	else
		a->background = flags & LAUNCH_JOB_BACKGROUND;
	fill_reply(r, &id, sizeof id);
	return STATUS_OK;
}

/* appsession_renew for a, unless vfsd is on its way back: a new instance
 * starting, due to restart or not yet heard from, the old one in a
 * graceful stop (its old session may still answer, and would be kept),
 * or the old one gone without initd having seen its end yet (the
 * renewal finds it DEAD or STALE while it is still counted up). Then
 * *back, and the caller of LAUNCH_ROOT waits for it rather than failing
 * in the moment a restart takes. */
static status_t root_renew(struct launcher *l, struct app *a, cap_handle_t *root, bool *back)
{
	*back = console_provider_back(l->d, "vfs");
	if (*back)
		return STATUS_DEAD;
	status_t st = appsession_renew(l, a, root);
	*back = (st == STATUS_DEAD || st == STATUS_STALE) && console_provider_returns(l->d, "vfs");
	return st;
}

/* LAUNCH_ROOT: a new root directory for the caller (appsession.h). */
static status_t on_root(struct loop *loop, const struct keel_msg *m, struct loop_reply *r,
			void *ctx)
{
	struct launcher *l = ctx;
	(void)loop;
	if ((m->flags & MSG_FLAG_CAP) && !loop_msg_is_call(m))
		sys_cap_delete(m->cap); /* a request carries no capability */
	status_t st = caller_ok(l, m);
	struct app *a = st ? NULL : app_by_id(l, (uint32_t)m->badge);
	if (st)
		return st;
	if (!a || a->state != APP_RUNNING)
		return STATUS_NOT_FOUND;
	bool back;
	st = root_renew(l, a, &r->cap, &back);
	if (back && loop_msg_is_call(m) && a->root_waiter == CAP_HANDLE_NONE) {
		a->root_waiter = m->cap;
		return STATUS_OK; /* answered once vfsd is back, or will not be (launch_settled) */
	}
	if (st)
		return st;
	fill_reply(r, NULL, 0);
	r->mode = CAP_MOVE;
	return STATUS_OK;
}

void launch_settled(struct launcher *l)
{
	for (uint32_t i = 0; i < LAUNCH_APPS_MAX; i++) {
		struct app *a = &l->apps[i];
		struct loop_reply r = { .cap = CAP_HANDLE_NONE };
		cap_handle_t reply = a->go_waiter;
		if (reply == CAP_HANDLE_NONE || a->state != APP_PREPARED || go_waits(l, a))
			continue;
		a->go_waiter = CAP_HANDLE_NONE;
		status_t st = STATUS_BUSY; /* no new apps while initd shuts down */
		if (l->shutting_down)
			app_free(l, a);
		else
			st = go(l, a, &r, true);
		if (st)
			loop_error_msg(&r.msg, st, LAUNCH_GO);
		loop_reply(&l->d->loop, reply, &r);
	}
	for (uint32_t i = 0; i < LAUNCH_APPS_MAX; i++) {
		struct app *a = &l->apps[i];
		struct loop_reply r = { .cap = CAP_HANDLE_NONE };
		cap_handle_t reply = a->root_waiter;
		if (reply == CAP_HANDLE_NONE)
			continue;
		bool back = false;
		status_t st = a->state == APP_RUNNING ? root_renew(l, a, &r.cap, &back)
						      : STATUS_DEAD;
		if (back)
			continue; /* still on its way back */
		a->root_waiter = CAP_HANDLE_NONE;
		if (st == STATUS_OK) {
			fill_reply(&r, NULL, 0);
			r.mode = CAP_MOVE;
		} else {
			loop_error_msg(&r.msg, st, LAUNCH_ROOT);
		}
		loop_reply(&l->d->loop, reply, &r);
	}
}

struct app *launch_app(struct launcher *l, uint32_t id)
{
	return app_by_id(l, id);
}

status_t launch_register(struct launcher *l, struct initd *d)
{
	static const struct {
		uint32_t label;
		loop_msg_fn *fn;
	} h[] = { { LAUNCH_NEW, on_new },          { LAUNCH_ARGS, on_args },
		  { LAUNCH_CAP, on_cap },          { LAUNCH_GO, on_go },
		  { LAUNCH_WAIT, on_wait },        { LAUNCH_KILL, on_kill },
		  { INITD_SHUTDOWN, on_shutdown }, { LAUNCH_JOB, on_job },
		  { LAUNCH_ROOT, on_root },        { LAUNCH_STOP, on_stop } };
	static const char *const keys[LAUNCH_CONSOLES] = { "initd.console", "initd.screen" };
	l->d = d;
	l->stopping = INITD_MAX_SERVICES;
	for (uint32_t k = 0; k < LAUNCH_CONSOLES; k++) {
		struct console *c = &l->consoles[k];
		*c = (struct console){ .l = l, .id = LAUNCH_ANY };
		c->term = k == 0 ? TERM_SERIAL : TERM_VC_FIRST;
		if (cmdline_get(d->start->cmdline, keys[k], c->program, sizeof c->program))
			c->program[0] = 0;
	}
	status_t st = sys_cap_derive(d->inbox, RIGHT_SEND | RIGHT_GRANT, LAUNCH_KIND_POWER << 32,
				     &l->power);
	if (st == STATUS_OK)
		st = sys_cap_derive(d->inbox, RIGHT_SEND | RIGHT_GRANT, LAUNCH_KIND_TERM << 32,
				    &l->events);
	if (st == STATUS_OK)
		st = loop_on_msg(&d->loop, TERM_EVENT, on_term_event, l);
	for (size_t i = 0; st == STATUS_OK && i < sizeof h / sizeof h[0]; i++)
		st = loop_on_msg(&d->loop, h[i].label, h[i].fn, l);
	return st;
}

/* Splits "PROG,ARG,..." in place into argv (at most max - 1 words). */
static void console_argv(char *text, char **argv, uint32_t max)
{
	uint32_t n = 0;
	for (char *p = text; *p && n + 1 < max;) {
		argv[n++] = p;
		while (*p && *p != ',')
			p++;
		if (*p)
			*p++ = 0;
	}
	argv[n] = NULL;
}

/* Makes the argument block of the console program in a memory object. */
static status_t console_block(struct launcher *l, struct app *a, char *const *argv)
{
	static char *const envp[] = { "HOME=/", "PATH=/bundle:/apps", "TERM=dumb", NULL };
	size_t len = launch_block_build(NULL, 0, argv, envp, "/", NULL);
	uint64_t pages = (len + KEEL_PAGE_SIZE - 1) / KEEL_PAGE_SIZE;
	void *at;
	(void)l;
	if (len == 0)
		return STATUS_RANGE;
	status_t st = sys_memory_create(pages, 0, &a->block);
	if (st == STATUS_OK)
		st = keel_map(a->block, 0, pages, RIGHT_READ | RIGHT_WRITE, &at);
	if (st == STATUS_OK) {
		launch_block_build(at, len, argv, envp, "/", NULL);
		keel_unmap(at, pages);
		a->block_bytes = (uint32_t)len;
	}
	return st;
}

/* Adds a copy of cap (its own rights within mask) under name to a
 * prepared app. */
static status_t console_cap(struct app *a, const char *name, cap_handle_t cap, uint32_t mask)
{
	uint64_t info = 0, badge;
	cap_handle_t copy = CAP_HANDLE_NONE;
	status_t st = cap == CAP_HANDLE_NONE ? STATUS_OK : sys_cap_info(cap, &info, &badge);
	if (st == STATUS_OK && cap != CAP_HANDLE_NONE)
		st = sys_cap_derive(cap, (uint32_t)(info >> 32) & mask, 0, &copy);
	if (st == STATUS_OK)
		st = launch_name_add(a->names, &a->ncaps, name);
	if (st == STATUS_OK)
		a->caps[a->ncaps - 1] = copy;
	else
		drop(&copy);
	return st;
}

static void console_restart(struct loop *loop, uint64_t now, void *ctx);

/* True if c's start is put off: the terminal or file service is coming
 * up again (it restarted), and the program should get their new
 * capabilities rather than none. Gives up after CONSOLE_WAITS_MAX. */
static bool console_wait(struct console *c)
{
	struct initd *d = c->l->d;
	if (c->waits < CONSOLE_WAITS_MAX &&
	    (console_provider_coming(d, "vfs") || console_provider_coming(d, "console"))) {
		c->waits++;
		loop_timer_add(&d->loop, now_ns() + CONSOLE_WAIT_NS, console_restart, c, NULL);
		return true;
	}
	c->waits = 0;
	return false;
}

/* Starts c's program, with c's terminal and root where initd has them. A
 * screen console without a terminal is not started. */
static void console_start(struct console *c)
{
	struct launcher *l = c->l;
	char text[KEEL_CMDLINE_MAX];
	char *argv[64];
	if (!c->program[0] || c->id != LAUNCH_ANY || l->shutting_down)
		return;
	if (console_wait(c))
		return;
	console_caps_get(c);
	if (c->term != TERM_SERIAL && c->tty == CAP_HANDLE_NONE)
		return;
	memcpy(text, c->program, sizeof text);
	console_argv(text, argv, 64);
	struct app *a = app_new(l, 0, argv[0]);
	status_t st = a ? console_block(l, a, argv) : STATUS_FULL;
	if (st == STATUS_OK)
		st = console_cap(a, "launch", CAP_HANDLE_NONE, 0);
	if (st == STATUS_OK)
		st = console_cap(a, "power", l->power, RIGHTS_ALL);
	if (st == STATUS_OK && l->operator_cap != CAP_HANDLE_NONE)
		st = console_cap(a, INITD_OPERATOR_NAME, l->operator_cap, RIGHTS_ALL);
	if (st == STATUS_OK)
		st = console_cap(a, "witness", l->d->start->witness, RIGHTS_ALL);
	if (st == STATUS_OK && c->tty != CAP_HANDLE_NONE)
		st = console_cap(a, "tty", c->tty, RIGHTS_ALL);
	if (st == STATUS_OK && c->root != CAP_HANDLE_NONE)
		st = console_cap(a, "root", c->root, RIGHTS_ALL);
	if (st == STATUS_OK && l->d->start->bundle != CAP_HANDLE_NONE)
		st = console_cap(a, "bundle", l->d->start->bundle,
				 RIGHT_READ | RIGHT_MAP | RIGHT_GRANT); /* never writable */
	if (st == STATUS_OK) {
		a->console = (uint32_t)(c - l->consoles);
		st = app_go(l, a);
	}
	if (st) {
		say(l, "initd: cannot start the console program %s: %s\n", argv[0],
		    status_name(st));
		if (a)
			app_free(l, a);
		return;
	}
	c->id = app_id(l, a);
	c->started = now_ns();
}

void launch_console_start(struct launcher *l)
{
	for (uint32_t k = 0; k < LAUNCH_CONSOLES; k++)
		console_start(&l->consoles[k]);
}

static void console_restart(struct loop *loop, uint64_t now, void *ctx)
{
	(void)loop, (void)now;
	console_start(ctx);
}

/* A console program ended: it is started again after a second, unless it
 * keeps ending at once (nothing to read on the debug console). An end
 * that came with the loss of its terminal (the console service restarted
 * under it) is not counted: the program did not fail, and the next one
 * gets a terminal of the new instance. */
static void console_ended(struct console *c)
{
	uint64_t now = now_ns();
	bool lost = console_terminal_lost(c);
	c->id = LAUNCH_ANY;
	c->tty_live = false;
	console_caps_release(c);
	if (c->l->shutting_down)
		return;
	if (!lost)
		c->quick = now - c->started < CONSOLE_QUICK_NS ? c->quick + 1 : 0;
	if (c->quick >= CONSOLE_QUICK_MAX) {
		say(c->l, "initd: the console program keeps ending at once: not restarted\n");
		return;
	}
	loop_timer_add(&c->l->d->loop, now + CONSOLE_BACKOFF_NS, console_restart, c, NULL);
}
