/* control.c - an operator's stop, start and restart of a service (control.h). */
#include "control.h"
#include "devices.h"
#include "protocol.h"
#include "keel/launch.h"

/* initd serves the launch and its own protocols on one inbox: their labels
 * must differ (LAUNCH_JOB once took INITD_CONTROL's). */
_Static_assert(INITD_CONTROL != LAUNCH_JOB && INITD_CONTROL_REPLY != LAUNCH_JOB &&
		       INITD_CONTROL != LAUNCH_REPLY && INITD_CONTROL != INITD_SHUTDOWN,
	       "initd's labels collide");

static uint64_t now_ns(void)
{
	uint64_t t = 0;
	sys_clock_read(&t);
	return t;
}

/* The policy's answer to verb for s, before initd acts on it. */
static status_t decide(struct service *s, uint32_t verb, uint64_t now, struct sv_action *a)
{
	bool quarantined = s->sv.state == SV_STATE_QUARANTINED;
	switch (verb) {
	case INITD_VERB_STOP:
		return supervise_stop(&s->sv, now, a);
	case INITD_VERB_START:
		if (s->gated)
			return STATUS_BUSY; /* it is already due to start */
		return quarantined ? supervise_release(&s->sv, now, false, a)
				   : supervise_start(&s->sv, now, a);
	case INITD_VERB_RESTART:
		return quarantined ? supervise_release(&s->sv, now, false, a)
				   : supervise_restart(&s->sv, now, a);
	default:
		return STATUS_INVALID;
	}
}

status_t control_apply(struct initd *d, struct service *s, uint32_t verb, uint64_t now)
{
	struct sv_action a;
	if (s->refused)
		return STATUS_INVALID;
	if (verb != INITD_VERB_START && (uint32_t)(s - d->svc) == devices_roots_slot(d))
		return STATUS_INVALID; /* the device roots would go with it */
	status_t st = decide(s, verb, now, &a);
	if (st)
		return st;
	if (verb == INITD_VERB_STOP)
		s->gated = false; /* a stopped service is not started by a settle */
	services_act(d, s, a);
	services_settle(d, now);
	return STATUS_OK;
}

/* The slot of the service called name, or d->count. */
static uint32_t by_name(const struct initd *d, const char *name)
{
	uint32_t i = 0;
	while (i < d->count && strcmp(d->svc[i].m.name, name) != 0)
		i++;
	return i;
}

static const char *const verbs[] = { "?", "stopped", "started", "restarted" };

static status_t on_control(struct loop *loop, const struct keel_msg *m, struct loop_reply *r,
			   void *ctx)
{
	struct launcher *l = ctx;
	struct initd *d = l->d;
	struct initd_control c;
	struct initd_status out;
	(void)loop;
	if ((m->flags & MSG_FLAG_CAP) && !loop_msg_is_call(m))
		sys_cap_delete(m->cap); /* a request carries no capability */
	if (m->badge != INITD_OPERATOR_BADGE)
		return STATUS_NO_RIGHTS;
	memcpy(&c, m->payload, sizeof c);
	if (m->len < sizeof c || c.reserved || memchr(c.name, 0, sizeof c.name) == NULL)
		return STATUS_INVALID;
	if (l->shutting_down)
		return STATUS_BUSY;
	if (!strcmp(c.name, "initd"))
		return STATUS_INVALID; /* initd supervises; nothing restarts it */
	uint32_t slot = by_name(d, c.name);
	if (slot == d->count)
		return STATUS_NOT_FOUND;
	status_t st = control_apply(d, &d->svc[slot], c.verb, now_ns());
	if (st)
		return st;
	keel_print(d->start->witness, "initd: %s %s by the operator\n", c.name, verbs[c.verb]);
	services_status(d, slot, &out);
	memset(&r->msg, 0, sizeof r->msg);
	r->msg.label = INITD_CONTROL_REPLY;
	r->msg.len = sizeof out;
	memcpy(r->msg.payload, &out, sizeof out);
	return STATUS_OK;
}

status_t control_register(struct launcher *l)
{
	status_t st = sys_cap_derive(l->d->inbox, RIGHT_SEND | RIGHT_GRANT, INITD_OPERATOR_BADGE,
				     &l->operator_cap);
	return st ? st : loop_on_msg(&l->d->loop, INITD_CONTROL, on_control, l);
}
