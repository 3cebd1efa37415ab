/* services.c - loading, starting and supervising services (see services.h). */
#include "abi/witness.h"
#include "control.h"
#include "devices.h"
#include "dirgrant.h"
#include "lib/cmdline.h"
#include "keel/peers.h"
#include "launch.h"
#include "keel/sys.h"
#include "keel/time.h"
#include "protocol.h"
#include "services.h"
#include "wallclock.h"

#define TICK_NS 10000000ull        /* refreshes left to retry are retried every 10 ms */
#define TICK_STALL_NS 100000000ull /* a tick later than this: initd itself was stalled */

static void say(struct initd *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct initd *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	keel_vprint(d->start->witness, fmt, ap);
	va_end(ap);
}

/* Reads one service's manifest, which its executable in the bundle carries. */
static status_t load_manifest(struct initd *d, const char *name, struct manifest *m)
{
	const void *text;
	size_t text_size;
	struct manifest_error err;
	status_t st = keel_spawner_manifest(&d->spawner, name, &text, &text_size);
	if (st) {
		say(d, "initd: %s: no executable with a manifest in the bundle (%s)\n", name,
		    status_name(st));
		return st;
	}
	st = manifest_parse(text, text_size, m, &err);
	if (st)
		say(d, "initd: %s: manifest line %u: %s\n", name, err.line, err.msg);
	else if (strcmp(m->name, name) != 0)
		st = STATUS_BAD_FORMAT, say(d, "initd: %s: manifest names \"%s\"\n", name, m->name);
	return st;
}

/* The slot of the service that provides name, or READY_NOBODY. */
static uint32_t provider(const struct initd *d, uint32_t count, const char *name)
{
	for (uint32_t j = 0; j < count; j++)
		if (!strcmp(d->svc[j].m.provides, name))
			return j;
	return READY_NOBODY;
}

/* Fills d->deps: each service waits for those it is after and those it
 * sends to. A service that sends to its own name could never start (its
 * inbox is not up before it is): it is refused. */
static status_t deps_build(struct initd *d, const struct bootlist *bl)
{
	status_t st = ready_init(&d->deps, bl->count);
	for (uint32_t i = 0; st == STATUS_OK && i < bl->count; i++) {
		struct service *s = &d->svc[i];
		for (uint32_t a = 0; st == STATUS_OK && a < bl->entries[i].after_count; a++)
			st = ready_add(&d->deps, i, bl->entries[i].after[a]);
		for (uint32_t k = 0; st == STATUS_OK && k < s->m.send_count; k++) {
			s->send_to[k] = provider(d, bl->count, s->m.sends[k]);
			if (s->send_to[k] == READY_NOBODY)
				say(d,
				    "initd: %s: sends %s, which no service in the boot list "
				    "provides\n",
				    s->m.name, s->m.sends[k]);
			if (s->send_to[k] == i) {
				say(d, "initd: %s refused: it sends to its own inbox\n", s->m.name);
				s->refused = true;
				break;
			}
			st = ready_add(&d->deps, i, s->send_to[k]);
		}
		/* A driver starts once the holder of the device roots is up. */
		uint32_t r = devices_roots_slot(d);
		if (st == STATUS_OK && (s->m.has_pci || s->m.legacy[0]) && r != READY_NOBODY &&
		    r != i)
			st = ready_add(&d->deps, i, r);
		if (st == STATUS_OK && !s->refused && s->m.dir_count)
			st = dirs_depend(d, i, provider(d, bl->count, DIRS_PROVIDER));
	}
	return st;
}

status_t services_load(struct initd *d, const char *bootlist_name)
{
	const void *text;
	size_t size;
	struct bootlist bl;
	struct manifest_error err;
	status_t st = keel_spawner_file(&d->spawner, bootlist_name, &text, &size);
	if (st) {
		say(d, "initd: no boot list \"%s\" in the bundle (%s)\n", bootlist_name,
		    status_name(st));
		return st;
	}
	if ((st = bootlist_parse(text, size, &bl, &err))) {
		say(d, "initd: %s line %u: %s\n", bootlist_name, err.line, err.msg);
		return st;
	}
	for (uint32_t i = 0; i < bl.count; i++) {
		struct service *s = &d->svc[i];
		d->order[i] = bl.order[i];
		/* A service whose manifest is refused is left out; the rest boot. */
		if (load_manifest(d, bl.entries[i].name, &s->m) ||
		    supervise_init(&s->sv, &s->m.policy)) {
			memset(&s->m, 0, sizeof s->m);
			memcpy(s->m.name, bl.entries[i].name, sizeof s->m.name);
			/* Its dependents are told it was refused, by its likely name. */
			memcpy(s->m.provides, s->m.name, sizeof s->m.provides);
			s->refused = true;
			say(d, "initd: %s refused: it will not be started\n", s->m.name);
			continue;
		}
	}
	d->count = bl.count;
	return deps_build(d, &bl);
}

struct service *services_by_badge(struct initd *d, uint64_t badge)
{
	uint64_t slot = badge & 0xffffu;
	struct service *s = badge >> 32 == 0 && slot >= 1 && slot <= d->count ? &d->svc[slot - 1]
									      : NULL;
	return s && (uint16_t)(badge >> 16) == s->gen ? s : NULL;
}

/* A fresh supervisor capability for the instance about to start, badged
 * slot + 1 and a new generation: a late exit, hello or heartbeat of an
 * earlier instance (killed by a restart) names an older generation and
 * is ignored. The earlier capability is revoked, with every copy. */
static status_t supervisor_renew(struct initd *d, struct service *s)
{
	if (s->supervisor_cap != CAP_HANDLE_NONE) {
		sys_cap_revoke(s->supervisor_cap);
		sys_cap_delete(s->supervisor_cap);
		s->supervisor_cap = CAP_HANDLE_NONE;
	}
	s->gen++;
	uint64_t badge = (uint64_t)(s - d->svc) + 1 + ((uint64_t)s->gen << 16);
	return sys_cap_derive(d->inbox, RIGHT_SEND | RIGHT_GRANT, badge, &s->supervisor_cap);
}

/* The badge of s's send capabilities: its slot, and its block device
 * (manifest `partition`) in bits 32-47. */
static uint64_t send_badge(const struct initd *d, const struct service *s)
{
	return (uint64_t)(s - d->svc) + 1 + ((uint64_t)s->m.partition << 32);
}

/* Splits a device part off one of initd's roots and appends it as a grant. */
static status_t grant_part(struct keel_spawn_args *a, cap_handle_t root, uint64_t first,
			   uint64_t count, uint32_t rights, cap_handle_t *made)
{
	if (a->cap_count == KEEL_SPAWN_CAPS_MAX)
		return STATUS_FULL;
	status_t st = sys_device_split(root, first, count, made);
	if (st == STATUS_OK)
		a->caps[a->cap_count++] = (struct keel_grant){ *made, rights, 0 };
	return st;
}

/* The declared footprint: devices first, then inboxes of the services it
 * may send to, in manifest order; nothing else. */
static status_t footprint(struct initd *d, struct service *s, struct keel_spawn_args *a,
			  cap_handle_t *parts, uint32_t *nparts)
{
	const struct keel_start *st0 = d->start;
	const struct manifest *m = &s->m;
	status_t st = devices_footprint(d, s, a, parts, nparts);
	for (uint32_t i = 0; st == STATUS_OK && i < m->port_count; i++)
		st = grant_part(a, st0->ioports, m->ports[i].first,
				m->ports[i].last - m->ports[i].first + 1, RIGHT_READ | RIGHT_WRITE,
				&parts[(*nparts)++]);
	for (uint32_t i = 0; st == STATUS_OK && i < m->irq_count; i++)
		st = grant_part(a, st0->irq, m->irqs[i], 1, RIGHT_RECEIVE, &parts[(*nparts)++]);
	for (uint32_t i = 0; st == STATUS_OK && i < m->mmio_count; i++)
		st = grant_part(a, st0->mmio, m->mmio[i].base, m->mmio[i].size,
				RIGHT_READ | RIGHT_WRITE | RIGHT_MAP, &parts[(*nparts)++]);
	for (uint32_t i = 0; st == STATUS_OK && i < m->send_count; i++) {
		/* Start gating makes this an invariant; a broken one must
		 * not become a capability to the wrong inbox. */
		struct service *to = s->send_to[i] < d->count ? &d->svc[s->send_to[i]] : NULL;
		if (!to || !to->inbox)
			return STATUS_NOT_FOUND;
		if (a->cap_count == KEEL_SPAWN_CAPS_MAX)
			return STATUS_FULL;
		a->caps[a->cap_count++] = (struct keel_grant){ to->inbox, RIGHT_SEND,
							       send_badge(d, s) };
		s->peer_hellos[i] = to->hellos;
		s->peer_error[i] = STATUS_OK;
	}
	return st ? st : dirs_grant(d, s, a, parts, nparts);
}

/* Starts one instance of s with exactly its manifest's capabilities. */
static status_t spawn_one(struct initd *d, struct service *s)
{
	struct keel_spawn_args a = { 0 };
	cap_handle_t parts[MANIFEST_MAX_PORTS + MANIFEST_MAX_IRQS + MANIFEST_MAX_MMIO +
			   KEEL_SPAWN_CAPS_MAX + MANIFEST_MAX_DIRS];
	uint32_t nparts = 0;
	status_t st = supervisor_renew(d, s);
	if (st)
		return st;
	a.name = s->m.name;
	a.arg = s->m.policy.heartbeat_ms;
	a.fault_inbox = s->supervisor_cap;
	a.supervisor = (struct keel_grant){ s->supervisor_cap, RIGHT_SEND, 0 };
	a.quota_pages = s->m.quota_pages;
	a.quota_objects = s->m.quota_objects;
	a.quota_slots = s->m.quota_slots;
	a.tier = (uint32_t)s->m.tier;
	a.affinity = d->start->cpu_count >= 64 ? ~0ull : (1ull << d->start->cpu_count) - 1;
	st = footprint(d, s, &a, parts, &nparts);
	if (st == STATUS_OK)
		st = keel_spawn(&d->spawner, &a, &s->child);
	for (uint32_t i = 0; i < nparts; i++)
		sys_cap_delete(parts[i]); /* the child's copies stay */
	if (st == STATUS_OK) {
		s->running = true;
		s->task_id = initd_task_id(s->child.task);
	} else {
		dirs_end(s);
	}
	return st;
}

/* Drops what initd holds of an instance that has ended or was killed. */
static void forget(struct service *s)
{
	if (s->running) {
		sys_cap_delete(s->child.task);
		sys_cap_delete(s->child.thread);
	}
	if (s->inbox)
		sys_cap_delete(s->inbox);
	s->inbox = CAP_HANDLE_NONE;
	s->running = false;
	dirs_end(s);
}

void services_kill(struct initd *d, struct service *s)
{
	(void)d;
	if (s->running)
		sys_task_kill(s->child.task, 0);
	forget(s);
}

static uint64_t now_ns(void)
{
	uint64_t t = 0;
	sys_clock_read(&t);
	return t;
}

/* Carries out a decision of the supervision policy. */
void services_act(struct initd *d, struct service *s, struct sv_action a)
{
	uint64_t slot = (uint64_t)(s - d->svc);
	if (a.kill && s->running) {
		sys_task_kill(s->child.task, 0);
		forget(s);
		devices_gone(d, s);
	}
	switch (a.verb) {
	case SV_ACT_START:
		/* Spawned by the next settle, once its dependencies are up;
		 * the policy keeps it in STARTING until then. */
		s->gated = true;
		s->gate = READY_GO;
		break;
	case SV_ACT_QUARANTINE:
		sys_witness_append(d->start->witness, WITNESS_QUARANTINE, slot, a.report.strikes);
		say(d, "initd: %s quarantined: %u failures in %u s (last: %s %lu)\n", s->m.name,
		    a.report.strikes, a.report.window_s, supervise_cause_name(a.report.cause.kind),
		    (unsigned long)a.report.cause.detail);
		break;
	default:
		break;
	}
}

/* Spawns s, which the policy told to START and whose dependencies are up. */
static void start_now(struct initd *d, struct service *s, uint64_t now)
{
	uint64_t slot = (uint64_t)(s - d->svc);
	if (s->sv.restarts)
		sys_witness_append(d->start->witness, WITNESS_RESTART, slot, s->sv.restarts);
	status_t st = spawn_one(d, s);
	services_act(d, s,
		     st ? supervise_start_failed(&s->sv, now, st) : supervise_started(&s->sv, now));
	if (st)
		say(d, "initd: %s: cannot start: %s\n", s->m.name, status_name(st));
}

static bool blocked(const struct service *s)
{
	return s->gated && s->gate == READY_BLOCKED;
}

bool services_coming_up(const struct service *s)
{
	if (s->refused || blocked(s))
		return false;
	return s->sv.state == SV_STATE_STARTING || (s->sv.state == SV_STATE_UP && !s->inbox);
}

/* How s looks to the services that depend on it. */
static enum ready_peer peer_state(const struct service *s)
{
	if (s->refused)
		return READY_PEER_GONE;
	switch (s->sv.state) {
	case SV_STATE_UP:
		return s->inbox ? READY_PEER_UP : READY_PEER_COMING;
	case SV_STATE_STARTING:
	case SV_STATE_BACKOFF:
		return READY_PEER_COMING;
	default:
		return READY_PEER_GONE; /* stopped or quarantined */
	}
}

/* True if following what holds each service back leads from b to s: they
 * wait for each other. */
static bool waits_on(const struct initd *d, uint32_t b, const struct service *s)
{
	for (uint32_t n = 0; n <= d->count && b < d->count && d->svc[b].gated; n++) {
		if (&d->svc[b] == s)
			return true;
		b = d->svc[b].gate_blocker;
	}
	return false;
}

/* Says why s was blocked: gate_blocker will not come up. */
static void say_blocked(struct initd *d, struct service *s)
{
	uint32_t b = s->gate_blocker;
	const struct service *x = b < d->count ? &d->svc[b] : NULL;
	if (!x) {
		for (uint32_t k = 0; k < s->m.send_count; k++)
			if (s->send_to[k] == READY_NOBODY)
				say(d, "initd: %s blocked: no service provides %s\n", s->m.name,
				    s->m.sends[k]);
	} else if (x->refused) {
		say(d, "initd: %s blocked: %s was refused\n", s->m.name, x->m.name);
	} else if (x->gated && waits_on(d, b, s)) {
		say(d, "initd: %s blocked: it and %s wait for each other (after/sends cycle)\n",
		    s->m.name, x->m.name);
	} else if (x->gated) {
		say(d, "initd: %s blocked: %s is blocked\n", s->m.name, x->m.name);
	} else {
		say(d, "initd: %s blocked: %s is %s\n", s->m.name, x->m.name,
		    supervise_state_name(x->sv.state));
	}
}

/* Reports why gated service s waits or is blocked (s->gate, s->gate_blocker). */
static void gate_report(struct initd *d, struct service *s)
{
	if (s->gate == READY_WAIT)
		say(d, "initd: %s waits for %s\n", s->m.name, d->svc[s->gate_blocker].m.name);
	else
		say_blocked(d, s);
}

/* One settle of the gated services (ready.h). Starts the first, in start
 * order, that may go, and returns true: that changes what the others see,
 * so the caller settles again. Otherwise records every verdict first and
 * then reports the changed ones, so that a report can follow what holds
 * the others back (say_blocked). */
static bool gate_pass(struct initd *d, uint64_t now)
{
	enum ready_peer peer[INITD_MAX_SERVICES];
	enum ready_verdict verdict[INITD_MAX_SERVICES];
	uint32_t blocker[INITD_MAX_SERVICES];
	bool gated[INITD_MAX_SERVICES], changed[INITD_MAX_SERVICES];
	for (uint32_t i = 0; i < d->count; i++) {
		peer[i] = peer_state(&d->svc[i]);
		gated[i] = d->svc[i].gated;
	}
	ready_settle(&d->deps, peer, gated, verdict, blocker);
	for (uint32_t n = 0; n < d->count; n++) {
		struct service *s = &d->svc[d->order[n]];
		if (!s->gated || verdict[d->order[n]] != READY_GO)
			continue;
		if (s->gate != READY_GO)
			say(d, "initd: %s starts: what it waited for is up\n", s->m.name);
		s->gated = false;
		s->gate = READY_GO;
		start_now(d, s, now);
		return true;
	}
	for (uint32_t i = 0; i < d->count; i++) {
		struct service *s = &d->svc[i];
		changed[i] = s->gated && (s->gate != verdict[i] || s->gate_blocker != blocker[i]);
		if (changed[i])
			s->gate = verdict[i], s->gate_blocker = blocker[i];
	}
	for (uint32_t n = 0; n < d->count; n++)
		if (changed[d->order[n]])
			gate_report(d, &d->svc[d->order[n]]);
	return false;
}

/*
 * Tells running service s about the new inbox of its k-th peer x. The
 * capability goes straight into s's CSpace (sys_task_grant), with exactly
 * the rights and badge it had at spawn, through an intermediate capability
 * initd keeps only meanwhile: if s cannot be told (its inbox is full),
 * revoking the intermediate takes the copy back out of s's CSpace, so
 * nothing is left behind there and the next settle tries again.
 */
static status_t peer_update(struct initd *d, struct service *s, uint32_t k)
{
	const struct service *x = &d->svc[s->send_to[k]];
	cap_handle_t via;
	status_t st = sys_cap_derive(x->inbox, RIGHT_SEND | RIGHT_GRANT, 0, &via);
	if (st)
		return st;
	st = services_give_peer(s, x->m.provides, via, send_badge(d, s));
	sys_cap_delete(via);
	return st;
}

status_t services_give_peer(struct service *s, const char *name, cap_handle_t via, uint64_t badge)
{
	struct peer_update u = { 0 };
	struct keel_msg m = { .label = SERVICE_PEER, .len = sizeof u };
	cap_handle_t given;
	status_t st = sys_task_grant(s->child.task, via, RIGHT_SEND, badge, &given);
	if (st)
		return st;
	memcpy(u.name, name, strlen(name)); /* at most PEER_NAME_MAX: padded */
	u.handle = given;
	memcpy(m.payload, &u, sizeof u);
	st = sys_msg_send(s->inbox, &m, CAP_HANDLE_NONE, 0);
	if (st)
		sys_cap_revoke(via); /* takes the copy back out of s */
	return st;
}

/* Gives every running service that has said hello a current capability
 * to each peer that has said hello since it got its last one. */
static bool peers_refresh(struct initd *d)
{
	bool left = false;
	for (uint32_t i = 0; i < d->count; i++) {
		struct service *s = &d->svc[i];
		for (uint32_t k = 0; s->running && s->inbox && k < s->m.send_count; k++) {
			const struct service *x = &d->svc[s->send_to[k]];
			if (!x->inbox || s->peer_hellos[k] == x->hellos)
				continue;
			status_t st = peer_update(d, s, k);
			if (st == STATUS_OK) {
				s->peer_hellos[k] = x->hellos;
				s->peer_error[k] = STATUS_OK;
				say(d, "initd: %s: new capability to %s (restarted)\n", s->m.name,
				    x->m.name);
				continue;
			}
			left = true;
			if (st != s->peer_error[k] && st != STATUS_FULL) {
				s->peer_error[k] = st; /* reported once; retried every settle */
				say(d, "initd: %s: cannot update its capability to %s: %s\n",
				    s->m.name, x->m.name, status_name(st));
			}
		}
	}
	return left;
}

/* Gives every running service with dir lines whose file service has
 * restarted its directories again (dirgrant.h). */
static bool dirs_refresh_all(struct initd *d)
{
	bool left = false;
	for (uint32_t i = 0; i < d->count; i++) {
		struct service *s = &d->svc[i];
		status_t st = dirs_refresh(d, s);
		left |= st != STATUS_OK;
		if (st && st != s->dir_error && st != STATUS_FULL)
			say(d, "initd: %s: cannot give it its directories again: %s\n", s->m.name,
			    status_name(st));
		if (st != STATUS_FULL)
			s->dir_error = st; /* reported once; retried every settle */
	}
	return left;
}

/* Refreshes stale peer and directory capabilities (retrying those a
 * full table held back); d->retry says whether any is left. */
static void refresh(struct initd *d)
{
	bool left = peers_refresh(d);
	d->retry = dirs_refresh_all(d) || left;
}

static void tick(struct loop *loop, uint64_t now, void *ctx);

/* When the tick must next run: the first supervision deadline (a hang, a
 * restart, a stop not done in time), or TICK_NS from now while a refresh
 * has something to retry; UINT64_MAX when nothing is due. */
static uint64_t tick_wanted(const struct initd *d, uint64_t now)
{
	uint64_t due = d->retry ? now + TICK_NS : UINT64_MAX;
	for (uint32_t i = 0; i < d->count; i++) {
		const struct service *s = &d->svc[i];
		if (s->stop_due && s->stop_due < due)
			due = s->stop_due;
		uint64_t sv = s->refused ? SV_NO_DEADLINE : supervise_deadline(&s->sv);
		if (sv != SV_NO_DEADLINE && sv < due)
			due = sv;
	}
	return due;
}

/*
 * Arms the tick for the first thing due, unless it is armed for that or
 * sooner. No tick runs while nothing is due: an idle initd waits for
 * messages alone, and the machine around it can stay halted.
 */
void services_arm_tick(struct initd *d, uint64_t now)
{
	uint64_t due = tick_wanted(d, now);
	if (due == UINT64_MAX || (d->tick_due && d->tick_due <= due))
		return;
	if (d->tick_due)
		loop_timer_cancel(&d->loop, d->tick_id);
	d->tick_due = due;
	if (loop_timer_add(&d->loop, due, tick, d, &d->tick_id))
		d->tick_due = 0; /* no timer free: the next event arms it again */
}

/* After every event: start what became ready, report what waits or is
 * blocked, refresh, and arm the tick for what is now due. */
static void settle(struct initd *d, uint64_t now)
{
	while (gate_pass(d, now))
		;
	refresh(d);
	services_arm_tick(d, now);
	control_settled(d);
	if (d->launch)
		launch_settled(d->launch);
}

void services_settle(struct initd *d, uint64_t now)
{
	settle(d, now);
}

void services_start_all(struct initd *d, uint64_t now)
{
	for (uint32_t i = 0; i < d->count; i++) {
		struct service *s = &d->svc[d->order[i]];
		struct sv_action a;
		if (!s->refused && supervise_start(&s->sv, now, &a) == STATUS_OK)
			services_act(d, s, a);
	}
	settle(d, now);
}

bool services_returns(const struct service *s)
{
	return peer_state(s) != READY_PEER_GONE;
}

/* All up: every service running and heard from, but those refused or
 * blocked, which never will be. Reported once per boot. */
static void check_all_up(struct initd *d)
{
	uint32_t refused = 0, stuck = 0;
	for (uint32_t i = 0; i < d->count; i++) {
		const struct service *s = &d->svc[i];
		refused += s->refused;
		stuck += blocked(s);
		if (!s->refused && !blocked(s) && (s->sv.state != SV_STATE_UP || !s->inbox))
			return;
	}
	if (!d->all_up_reported) {
		uint32_t up = d->count - refused - stuck;
		d->all_up_reported = true;
		if (refused && stuck)
			say(d, "initd: all services up (%u; %u refused, %u blocked)\n", up, refused,
			    stuck);
		else if (refused || stuck)
			say(d, "initd: all services up (%u; %u %s)\n", up, refused + stuck,
			    refused ? "refused" : "blocked");
		else
			say(d, "initd: all services up (%u)\n", d->count);
		/* Under QEMU -icount the TSC counts guest instructions since reset. */
		if (cmdline_has(d->start->cmdline, "keel.bench")) {
			struct kernel_stats ks = { 0 };
			say(d, "bench: reset_to_all_services_up_insns=%lu\n",
			    (unsigned long)time_cycles());
			/* The kernel's object pools, grown for the services. */
			if (sys_kernel_stats(d->start->witness, &ks, sizeof ks) == STATUS_OK)
				say(d, "bench: kernel_pools_all_services_up_kib=%lu\n",
				    (unsigned long)ks.pool_pages * 4);
		}
		if (d->launch)
			launch_console_start(d->launch);
	}
	if (d->on_all_up)
		d->on_all_up(d, d->on_all_up_ctx);
}

static status_t on_end(struct loop *loop, const struct keel_msg *m, struct loop_reply *r, void *ctx)
{
	struct initd *d = ctx;
	struct service *s = services_by_badge(d, m->badge);
	uint64_t now = now_ns(), word;
	(void)loop, (void)r;
	if (d->launch && launch_owns(m->badge))
		return launch_on_end(d->launch, m);
	if (!s || !s->running)
		return STATUS_OK; /* an instance initd already gave up on */
	memcpy(&word, m->payload, sizeof word);
	forget(s);
	devices_gone(d, s); /* its device stops before anything is restarted */
	if (s->stop_due)
		control_ended(d, s, now); /* it did as the operator asked */
	else
		services_act(d, s,
			     m->label == MSG_LABEL_TASK_FAULT
				     ? supervise_faulted(&s->sv, now, (uint32_t)word)
				     : supervise_exited(&s->sv, now, word));
	if (d->launch)
		launch_service_ended(d->launch, s);
	settle(d, now); /* a service gone for good blocks its dependents */
	return STATUS_OK;
}

static status_t on_hello(struct loop *loop, const struct keel_msg *m, struct loop_reply *r,
			 void *ctx)
{
	struct initd *d = ctx;
	struct service *s = services_by_badge(d, m->badge);
	(void)loop, (void)r;
	if (!(m->flags & MSG_FLAG_CAP))
		return STATUS_INVALID;
	if (!s || !s->running || s->inbox) {
		sys_cap_delete(m->cap);
		return STATUS_OK;
	}
	uint64_t now = now_ns();
	s->inbox = m->cap;
	s->hellos++;
	services_act(d, s, supervise_hello(&s->sv, now)); /* its start-up is over */
	wallclock_fetch(d, s);                            /* before settle starts anything */
	settle(d, now); /* its dependents start; its senders get its new inbox */
	check_all_up(d);
	return STATUS_OK;
}

static status_t on_heartbeat(struct loop *loop, const struct keel_msg *m, struct loop_reply *r,
			     void *ctx)
{
	struct initd *d = ctx;
	struct service *s = services_by_badge(d, m->badge);
	(void)loop, (void)r;
	if (s && s->running)
		services_act(d, s, supervise_heartbeat(&s->sv, now_ns()));
	return STATUS_OK;
}

void services_status(struct initd *d, uint32_t slot, struct initd_status *out)
{
	struct sv_status st;
	const struct service *s = &d->svc[slot];
	size_t n = strlen(s->m.name);
	supervise_status(&s->sv, now_ns(), &st);
	*out = (struct initd_status){ .state = (uint8_t)st.state };
	if (st.state == SV_STATE_UP && !s->inbox)
		out->state = INITD_STATE_STARTING; /* running, not heard from yet */
	memcpy(out->name, s->m.name, n < 16 ? n : 15);
	if (s->gated && s->gate != READY_GO) {
		uint32_t b = s->gate_blocker;
		out->state = s->gate == READY_WAIT ? INITD_STATE_WAITING : INITD_STATE_BLOCKED;
		out->waits_for = b < d->count ? (uint16_t)(b + 1) : INITD_WAITS_FOR_NOBODY;
	}
	out->last_cause = (uint8_t)st.last_cause.kind;
	out->restarts = st.restarts;
	out->uptime_ms = st.uptime_ns / 1000000;
	out->task_id = s->running ? s->task_id : 0;
}

/* Deletes a capability a send (not a call) brought: a status request
 * carries none, and a stranger must not fill initd's CSpace. */
static void drop_sent_cap(const struct keel_msg *m)
{
	if ((m->flags & MSG_FLAG_CAP) && !loop_msg_is_call(m))
		sys_cap_delete(m->cap);
}

static status_t on_status(struct loop *loop, const struct keel_msg *m, struct loop_reply *r,
			  void *ctx)
{
	struct initd *d = ctx;
	uint32_t slot;
	struct initd_status out;
	(void)loop;
	drop_sent_cap(m);
	memcpy(&slot, m->payload, sizeof slot);
	memset(&r->msg, 0, sizeof r->msg);
	if (slot >= d->count)
		return STATUS_NOT_FOUND; /* the loop answers LOOP_REPLY_ERROR */
	services_status(d, slot, &out);
	r->msg.label = INITD_STATUS_REPLY;
	r->msg.len = sizeof out;
	memcpy(r->msg.payload, &out, sizeof out);
	return STATUS_OK;
}

/* Item i of a manifest's footprint, in grant order: ports, IRQs, MMIO,
 * sends, dirs. */
static void footprint_item(const struct manifest *m, uint32_t i, struct initd_footprint *f)
{
	if (i < m->port_count) {
		f->kind = INITD_ITEM_PORTS;
		f->first = m->ports[i].first;
		f->count = m->ports[i].last - m->ports[i].first + 1;
	} else if ((i -= m->port_count) < m->irq_count) {
		f->kind = INITD_ITEM_IRQ;
		f->first = m->irqs[i];
		f->count = 1;
	} else if ((i -= m->irq_count) < m->mmio_count) {
		f->kind = INITD_ITEM_MMIO;
		f->first = m->mmio[i].base;
		f->count = m->mmio[i].size;
	} else if ((i -= m->mmio_count) < m->send_count) {
		f->kind = INITD_ITEM_SENDS;
		memcpy(f->name, m->sends[i], strlen(m->sends[i]) < 7 ? strlen(m->sends[i]) : 7);
	} else if ((i -= m->send_count) < m->dir_count) {
		dirs_item(&m->dirs[i], f);
	}
}

static status_t on_footprint(struct loop *loop, const struct keel_msg *m, struct loop_reply *r,
			     void *ctx)
{
	struct initd *d = ctx;
	uint32_t slot, item;
	(void)loop;
	drop_sent_cap(m);
	memcpy(&slot, m->payload, 4);
	memcpy(&item, m->payload + 4, 4);
	if (slot >= d->count)
		return STATUS_NOT_FOUND;
	const struct manifest *mf = &d->svc[slot].m;
	struct initd_footprint f = {
		.pages = mf->quota_pages,
		.objects = mf->quota_objects,
		.slots = mf->quota_slots,
		.tier = (uint8_t)mf->tier,
		.items = (uint8_t)(mf->port_count + mf->irq_count + mf->mmio_count +
				   mf->send_count + mf->dir_count),
	};
	if (f.items && item >= f.items)
		return STATUS_RANGE;
	footprint_item(mf, item, &f);
	memset(&r->msg, 0, sizeof r->msg);
	r->msg.label = INITD_FOOTPRINT_REPLY;
	r->msg.len = sizeof f;
	memcpy(r->msg.payload, &f, sizeof f);
	return STATUS_OK;
}

/* The most any CPU stood still since the last look (struct
 * kernel_cpu_stats, stalled_ns): time in which a service on it could send
 * no heartbeat. 0 when the counters cannot be read. */
static uint64_t services_stalled(struct initd *d)
{
	uint64_t most = 0;
	if (sys_kernel_stats(d->start->witness, &d->stats.k, sizeof d->stats) != STATUS_OK)
		return 0;
	for (uint32_t i = 0; i < KERNEL_STATS_CPUS; i++) {
		uint64_t ns = d->stats.cpu[i].stalled_ns;
		if (!(d->stats.cpu[i].flags & KERNEL_CPU_ONLINE) || ns <= d->stalled_seen[i])
			continue;
		if (ns - d->stalled_seen[i] > most)
			most = ns - d->stalled_seen[i];
		d->stalled_seen[i] = ns;
	}
	return most;
}

static void tick(struct loop *loop, uint64_t now, void *ctx)
{
	struct initd *d = ctx;
	/* Time nothing could use is not held against the services: a tick
	 * this late means initd could not run, and the heartbeats sent
	 * meanwhile may still wait in its inbox; a CPU that stood still (a
	 * paused or starved emulator, a suspended host) ran no service. */
	uint64_t late = d->tick_due && now > d->tick_due ? now - d->tick_due : 0;
	uint64_t excuse = services_stalled(d);
	if (late > TICK_STALL_NS && late > excuse)
		excuse = late;
	bool acted = false;
	d->tick_due = 0; /* fired: nothing is armed */
	for (uint32_t i = 0; i < d->count; i++) {
		struct service *s = &d->svc[i];
		if (excuse)
			supervise_excuse(&s->sv, excuse);
		if (s->stop_due && now >= s->stop_due) {
			control_ended(d, s, now); /* it did not stop in time */
			acted = true;
		} else if (!s->refused) {
			struct sv_action a = supervise_tick(&s->sv, now);
			if (a.verb == SV_ACT_NONE && !a.kill)
				continue;
			struct sv_status st;
			supervise_status(&s->sv, now, &st);
			if (a.kill && s->running && st.last_cause.kind == SV_CAUSE_HANG)
				say(d,
				    st.greeted
					    ? "initd: %s: no heartbeat for %lu ms: killed as hung\n"
					    : "initd: %s: no hello %lu ms after its start: killed "
					      "as hung\n",
				    s->m.name, (unsigned long)st.last_cause.detail);
			services_act(d, s, a);
			acted = true;
		}
	}
	/* The gates move only with a service's state: a tick that changed
	 * none leaves them as the last settle did, and only retries the
	 * capabilities a full table held back. */
	(void)loop;
	if (acted) {
		settle(d, now);
	} else {
		refresh(d);
		services_arm_tick(d, now);
	}
}

status_t services_register(struct initd *d)
{
	status_t st = loop_on_msg(&d->loop, MSG_LABEL_TASK_FAULT, on_end, d);
	if (st == STATUS_OK)
		st = loop_on_msg(&d->loop, MSG_LABEL_TASK_EXIT, on_end, d);
	if (st == STATUS_OK)
		st = loop_on_msg(&d->loop, SERVICE_HELLO, on_hello, d);
	if (st == STATUS_OK)
		st = loop_on_msg(&d->loop, SERVICE_HEARTBEAT, on_heartbeat, d);
	if (st == STATUS_OK)
		st = loop_on_msg(&d->loop, INITD_STATUS, on_status, d);
	if (st == STATUS_OK)
		st = loop_on_msg(&d->loop, INITD_FOOTPRINT, on_footprint, d);
	if (st == STATUS_OK)
		st = tasks_register(d);
	if (st == STATUS_OK) {
		d->tick_due = now_ns() + TICK_NS;
		st = loop_timer_add(&d->loop, d->tick_due, tick, d, &d->tick_id);
	}
	return st;
}
