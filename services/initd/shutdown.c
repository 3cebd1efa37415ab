/*
 * shutdown.c - initd's shutdown (INITD_SHUTDOWN, keel/launch.h): every
 * launched app is killed, then every service is stopped, last started
 * first, each waited for before the next: initd sends it SERVICE_STOP
 * (keel/service.h; vfsd flushes and exits, a service on libsys's loop
 * just exits), and kills it if it has not exited within STOP_TIMEOUT_NS.
 * No service is restarted meanwhile. The holder of the device roots
 * (topod) is not stopped: at the end initd asks it to power the machine
 * off (ACPI S5, devices.h), or to reset it when the request carried
 * INITD_SHUTDOWN_RESET. Without it, or if that fails, initd's loop
 * stops and initd exits, and the kernel powers off on the root task's
 * exit.
 */
#include "devices.h"
#include "keel/service.h"
#include "launch.h"
#include "topod/protocol.h"

#define STOP_TIMEOUT_NS 2000000000ull

static uint64_t now_ns(void)
{
	uint64_t t = 0;
	sys_clock_read(&t);
	return t;
}

/* The service being stopped did not exit in time. */
static void stop_timeout(struct loop *loop, uint64_t now, void *ctx)
{
	struct launcher *l = ctx;
	(void)loop, (void)now;
	if (l->stopping >= l->d->count)
		return;
	struct service *s = &l->d->svc[l->stopping];
	keel_print(l->d->start->witness, "initd: %s did not stop in time: killed\n", s->m.name);
	services_kill(l->d, s);
	l->stopping = INITD_MAX_SERVICES;
	shutdown_next(l);
}

void shutdown_begin(struct launcher *l)
{
	struct initd *d = l->d;
	uint64_t now = now_ns();
	keel_print(d->start->witness, "initd: shutting down\n");
	l->shutting_down = true;
	launch_kill_all(l);
	for (uint32_t i = 0; i < d->count; i++) {
		struct sv_action a;
		d->svc[i].gated = false; /* nothing starts any more */
		if (!d->svc[i].refused)
			supervise_stop(&d->svc[i].sv, now, &a); /* the kill is ours to make */
	}
	l->stop_next = d->count;
	shutdown_next(l);
}

void shutdown_next(struct launcher *l)
{
	struct initd *d = l->d;
	uint32_t roots = devices_roots_slot(d);
	while (l->stop_next > 0) {
		uint32_t slot = d->order[--l->stop_next];
		struct service *s = &d->svc[slot];
		struct keel_msg m = { .label = SERVICE_STOP };
		if (!s->running || slot == roots)
			continue;
		if (!s->inbox || sys_msg_send(s->inbox, &m, CAP_HANDLE_NONE, 0) ||
		    loop_timer_add(&d->loop, now_ns() + STOP_TIMEOUT_NS, stop_timeout, l, NULL)) {
			services_kill(d, s);
			continue;
		}
		l->stopping = slot;
		return;
	}
	keel_print(d->start->witness, "initd: every service stopped: %s\n",
		   l->reset ? "resetting" : "powering off");
	if (roots != READY_NOBODY && d->svc[roots].running) {
		status_t st = devices_power(d, l->reset ? TOPO_POWER_RESET : TOPO_POWER_OFF);
		keel_print(d->start->witness, "initd: %s through %s failed: %s\n",
			   l->reset ? "reset" : "power-off", d->svc[roots].m.name, status_name(st));
	}
	loop_stop(&d->loop);
}

void launch_service_ended(struct launcher *l, struct service *s)
{
	if (!l->shutting_down || l->stopping != (uint32_t)(s - l->d->svc))
		return;
	keel_print(l->d->start->witness, "initd: %s stopped\n", s->m.name);
	l->stopping = INITD_MAX_SERVICES;
	shutdown_next(l);
}
