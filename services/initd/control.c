/* control.c - an operator's stop, start and restart of a service (control.h). */
#include "control.h"
#include "devices.h"
#include "protocol.h"
#include "keel/launch.h"
#include "keel/service.h"

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
	if (s->stop_due)
		return STATUS_BUSY; /* an earlier stop has not ended yet */
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

/* Reports verb done on s in the witness log. */
static void report(struct initd *d, struct service *s, uint32_t verb)
{
	keel_print(d->start->witness, "initd: %s %s by the operator\n", s->m.name, verbs[verb]);
}

/* Fills r with s's status. */
static void answer(struct initd *d, struct service *s, struct loop_reply *r)
{
	struct initd_status out;
	services_status(d, (uint32_t)(s - d->svc), &out);
	memset(&r->msg, 0, sizeof r->msg);
	r->msg.label = INITD_CONTROL_REPLY;
	r->msg.len = sizeof out;
	memcpy(r->msg.payload, &out, sizeof out);
}

/* Keeps reply to answer once s is up (control_settled), if verb starts s
 * and s is on its way up: true if so. One operator waits per service; a
 * second is answered at once. */
static bool await_up(struct service *s, uint32_t verb, cap_handle_t reply)
{
	if (verb == INITD_VERB_STOP || !services_coming_up(s) || s->up_reply != CAP_HANDLE_NONE)
		return false;
	s->up_reply = reply;
	s->up_verb = verb;
	return true;
}

void control_settled(struct initd *d)
{
	for (uint32_t i = 0; i < d->count; i++) {
		struct service *s = &d->svc[i];
		struct loop_reply r = { .cap = CAP_HANDLE_NONE };
		cap_handle_t reply = s->up_reply;
		if (reply == CAP_HANDLE_NONE || services_coming_up(s))
			continue;
		s->up_reply = CAP_HANDLE_NONE;
		answer(d, s, &r);
		loop_reply(&d->loop, reply, &r);
	}
}

/* Starts a graceful stop or restart of s (control.h) if the policy
 * agrees, s runs and can be asked: true if so, and reply (the caller's
 * reply capability) is then answered by control_ended. */
static bool stop_gracefully(struct initd *d, struct service *s, uint32_t verb, cap_handle_t reply)
{
	struct keel_msg m = { .label = SERVICE_STOP };
	struct sv_status st;
	uint64_t now = now_ns();
	if ((verb != INITD_VERB_STOP && verb != INITD_VERB_RESTART) || !s->running || !s->inbox ||
	    s->stop_due || s->refused || (uint32_t)(s - d->svc) == devices_roots_slot(d))
		return false;
	supervise_status(&s->sv, now, &st);
	if (st.state != SV_STATE_UP)
		return false; /* starting or hung: the plain path kills it */
	if (sys_msg_send(s->inbox, &m, CAP_HANDLE_NONE, 0))
		return false;                /* it cannot hear: the plain path kills it */
	decide(s, verb, now, &s->stop_then); /* UP: stop and restart are OK */
	s->stop_due = now + STOP_GRACE_NS;
	services_arm_tick(d, now); /* the tick kills it if it does not stop in time */
	s->stop_reply = reply;
	s->stop_verb = verb;
	if (verb == INITD_VERB_STOP)
		s->gated = false;
	return true;
}

void control_ended(struct initd *d, struct service *s, uint64_t now)
{
	struct loop_reply r = { .cap = CAP_HANDLE_NONE };
	struct sv_action a = s->stop_then;
	cap_handle_t reply = s->stop_reply;
	if (s->running)
		keel_print(d->start->witness, "initd: %s did not stop in time: killed\n",
			   s->m.name);
	s->stop_due = 0;
	s->stop_reply = CAP_HANDLE_NONE;
	a.kill = true; /* if it still runs */
	if (d->launch && d->launch->shutting_down)
		a.verb = SV_ACT_NONE; /* nothing starts any more */
	services_act(d, s, a);
	report(d, s, s->stop_verb);
	bool waits = await_up(s, s->stop_verb, reply);
	services_settle(d, now); /* answers a waiting operator if s cannot come up */
	if (waits)
		return;
	answer(d, s, &r);
	loop_reply(&d->loop, reply, &r);
}
static status_t on_control(struct loop *loop, const struct keel_msg *m, struct loop_reply *r,
			   void *ctx)
{
	struct launcher *l = ctx;
	struct initd *d = l->d;
	struct initd_control c;
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
	struct service *s = &d->svc[slot];
	if (loop_msg_is_call(m) && stop_gracefully(d, s, c.verb, m->cap))
		return STATUS_OK; /* answered when it has ended */
	status_t st = control_apply(d, s, c.verb, now_ns());
	if (st)
		return st;
	report(d, s, c.verb);
	if (loop_msg_is_call(m) && await_up(s, c.verb, m->cap))
		return STATUS_OK; /* answered when it has said hello (control_settled) */
	answer(d, s, r);
	return STATUS_OK;
}

status_t control_register(struct launcher *l)
{
	status_t st = sys_cap_derive(l->d->inbox, RIGHT_SEND | RIGHT_GRANT, INITD_OPERATOR_BADGE,
				     &l->operator_cap);
	return st ? st : loop_on_msg(&l->d->loop, INITD_CONTROL, on_control, l);
}
