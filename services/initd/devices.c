/* devices.c - device hand-off in initd (devices.h). */
#include <string.h>

#include "devices.h"
#include "keel/sys.h"
#include "lib/cmdline.h"
#include "topod/protocol.h"

#define HANDOUT_TIMEOUT_NS 1000000000ull
#define HANDOUT_ITEMS_MAX 8u

uint32_t devices_roots_slot(const struct initd *d)
{
	for (uint32_t i = 0; i < d->count; i++)
		if (d->svc[i].m.device_roots && !d->svc[i].refused)
			return i;
	return READY_NOBODY;
}

static status_t add(struct keel_spawn_args *a, cap_handle_t cap, uint32_t rights)
{
	if (a->cap_count == KEEL_SPAWN_CAPS_MAX)
		return STATUS_FULL;
	a->caps[a->cap_count++] = (struct keel_grant){ cap, rights, 0 };
	return STATUS_OK;
}

/* The rights a driver gets for a hand-out item. */
static uint32_t item_rights(uint8_t kind)
{
	switch (kind) {
	case TOPO_ITEM_BAR_MMIO:
		return RIGHT_READ | RIGHT_WRITE | RIGHT_MAP;
	case TOPO_ITEM_BAR_IO:
		return RIGHT_READ | RIGHT_WRITE;
	case TOPO_ITEM_IRQ:
		return RIGHT_RECEIVE;
	default:
		return RIGHT_SEND;
	}
}

/* The request for item k of s's device: its PCI function, or its legacy
 * device by name. */
static void handout_msg(const struct manifest *m, uint8_t slot, uint8_t k, struct keel_msg *msg)
{
	uint8_t *p = msg->payload;
	if (m->has_pci) {
		/* u16 vendor, u16 device, u8 busmaster, u8 item, u8 driver slot. */
		*msg = (struct keel_msg){ .label = TOPO_HANDOUT, .len = 7 };
		p[0] = (uint8_t)m->pci_vendor, p[1] = (uint8_t)(m->pci_vendor >> 8);
		p[2] = (uint8_t)m->pci_device, p[3] = (uint8_t)(m->pci_device >> 8);
		p[4] = m->busmaster, p[5] = k, p[6] = slot;
	} else {
		/* u8 item, u8 driver slot, char name[16]. */
		*msg = (struct keel_msg){ .label = TOPO_HANDOUT_LEGACY,
					  .len = 2 + TOPO_DEVICE_NAME };
		p[0] = k, p[1] = slot;
		strncpy((char *)p + 2, m->legacy, TOPO_DEVICE_NAME);
	}
}

/* Asks the roots holder for item k of s's device. */
static status_t handout_one(cap_handle_t topo, const struct manifest *m, uint8_t slot, uint8_t k,
			    uint8_t *kind, cap_handle_t *cap)
{
	struct keel_msg msg;
	handout_msg(m, slot, k, &msg);
	uint32_t label = msg.label;
	status_t st = sys_msg_call(topo, &msg, HANDOUT_TIMEOUT_NS);
	if (st == STATUS_OK && msg.label != label &&
	    loop_error_parse(&msg, &st, &(uint32_t){ 0 }) != STATUS_OK)
		st = STATUS_BAD_FORMAT;
	if (st == STATUS_OK && (!(msg.flags & MSG_FLAG_CAP) || msg.len < 1))
		st = STATUS_BAD_FORMAT;
	if (st == STATUS_OK) {
		*kind = msg.payload[0];
		*cap = msg.cap;
	}
	return st;
}

/* A driver's hand-out: items 0, 1, ... until topod says NOT_FOUND. */
static status_t handout(struct initd *d, struct service *s, struct keel_spawn_args *a,
			cap_handle_t *parts, uint32_t *nparts)
{
	uint32_t r = devices_roots_slot(d);
	if (r == READY_NOBODY || !d->svc[r].inbox)
		return STATUS_NOT_FOUND;
	status_t st = STATUS_OK;
	uint8_t k;
	for (k = 0; st == STATUS_OK && k < HANDOUT_ITEMS_MAX; k++) {
		uint8_t kind;
		cap_handle_t cap;
		st = handout_one(d->svc[r].inbox, &s->m, (uint8_t)(s - d->svc), k, &kind, &cap);
		if (st == STATUS_OK) {
			parts[(*nparts)++] = cap;
			st = add(a, cap, item_rights(kind));
		}
	}
	if (st == STATUS_NOT_FOUND && k > 1)
		st = STATUS_OK;
	if (st && s->m.has_pci)
		keel_print(d->start->witness, "initd: %s: no device %04x:%04x from %s: %s\n",
			   s->m.name, s->m.pci_vendor, s->m.pci_device, d->svc[r].m.name,
			   status_name(st));
	else if (st)
		keel_print(d->start->witness, "initd: %s: no device legacy %s from %s: %s\n",
			   s->m.name, s->m.legacy, d->svc[r].m.name, status_name(st));
	return st;
}

status_t devices_footprint(struct initd *d, struct service *s, struct keel_spawn_args *a,
			   cap_handle_t *parts, uint32_t *nparts)
{
	const struct keel_start *st0 = d->start;
	status_t st = STATUS_OK;
	if (s->m.console)
		a->witness = (struct keel_grant){ st0->witness, RIGHT_WRITE, 0 };
	if (s->m.device_roots) {
		st = add(a, st0->ioports, RIGHTS_ALL);
		if (!st)
			st = add(a, st0->mmio, RIGHTS_ALL & ~RIGHT_EXEC);
		if (!st)
			st = add(a, st0->irq, RIGHTS_ALL);
	}
	if (!st && (s->m.has_pci || s->m.legacy[0]))
		st = handout(d, s, a, parts, nparts);
	return st;
}

void devices_gone(struct initd *d, struct service *s)
{
	uint32_t r = devices_roots_slot(d);
	struct keel_msg m = { .label = TOPO_GONE, .len = 1, .payload = { (uint8_t)(s - d->svc) } };
	if ((!s->m.has_pci && !s->m.legacy[0]) || r == READY_NOBODY || !d->svc[r].inbox)
		return;
	status_t st = sys_msg_call(d->svc[r].inbox, &m, HANDOUT_TIMEOUT_NS);
	if (st == STATUS_OK && m.label != TOPO_GONE)
		loop_error_parse(&m, &st, &(uint32_t){ 0 });
	if (st)
		keel_print(d->start->witness,
			   "initd: %s gone, but %s did not stop its device: %s\n", s->m.name,
			   d->svc[r].m.name, status_name(st));
}

/* The kernel's object count now. */
static uint64_t kernel_objects(struct initd *d)
{
	struct kernel_stats ks = { 0 };
	sys_kernel_stats(d->start->witness, &ks, sizeof ks);
	return ks.objects;
}

/* After the last kill, once its successor is up: the report, when the
 * object count matches the first successor's or a second has passed
 * (reclaim may lag). Returns false to look again next tick. */
static bool kill_report(struct devices_kill *k)
{
	struct initd *d = k->d;
	uint64_t now = kernel_objects(d);
	if (!k->last_up || (now != k->objects_first && k->settle++ < 1000 / DEVICES_KILL_MS))
		return false;
	keel_print(d->start->witness,
		   "initd: killed %s %u times; kernel objects %lu after the first restart, %lu "
		   "after the last\n",
		   k->name, k->done, (unsigned long)k->objects_first, (unsigned long)now);
	return true;
}

/* Kills the service once each instance has been up for a while: a
 * pseudo-random 20-160 ms, so that some of its work gets done between
 * kills and the kills land at different points of it. */
static void kill_tick(struct loop *loop, uint64_t now, void *ctx)
{
	struct devices_kill *k = ctx;
	struct initd *d = k->d;
	loop_timer_id id;
	for (uint32_t i = 0; i < d->count; i++) {
		struct service *s = &d->svc[i];
		if (strcmp(s->m.name, k->name) || !s->running || !s->inbox)
			continue;
		if (s->hellos != k->hellos) {
			k->hellos = s->hellos, k->up_since = now;
			k->rng = k->rng * 6364136223846793005ull + 1442695040888963407ull;
			k->delay_ns = (20 + (k->rng >> 33) % 140) * 1000000ull;
			if (k->done == 1)
				k->objects_first = kernel_objects(d);
			k->last_up = !k->left;
		}
		if (k->left && now - k->up_since >= k->delay_ns &&
		    sys_task_kill(s->child.task, 0) == STATUS_OK)
			k->done++, k->left--;
	}
	if (!k->left && kill_report(k))
		return;
	loop_timer_add(loop, now + DEVICES_KILL_MS * 1000000ull, kill_tick, k, &id);
}

status_t devices_kill_arm(struct devices_kill *k, struct initd *d)
{
	char arg[MANIFEST_NAME_MAX + 16];
	uint64_t now = 0;
	loop_timer_id id;
	if (cmdline_get(d->start->cmdline, "initd.kill", arg, sizeof arg) != STATUS_OK)
		return STATUS_OK;
	char *colon = strchr(arg, ':');
	if (!colon || colon - arg > (long)MANIFEST_NAME_MAX)
		return STATUS_INVALID;
	*colon = 0;
	*k = (struct devices_kill){ .d = d };
	memcpy(k->name, arg, strlen(arg) + 1);
	for (const char *p = colon + 1; *p >= '0' && *p <= '9' && k->left < 100000; p++)
		k->left = k->left * 10 + (uint32_t)(*p - '0');
	if (!k->left)
		return STATUS_INVALID;
	sys_clock_read(&now);
	return loop_timer_add(&d->loop, now + DEVICES_KILL_MS * 1000000ull, kill_tick, k, &id);
}

status_t devices_power(struct initd *d, uint32_t action)
{
	uint32_t r = devices_roots_slot(d);
	struct keel_msg m = { .label = TOPO_POWER_CAP };
	if (r == READY_NOBODY || !d->svc[r].inbox)
		return STATUS_NOT_FOUND;
	status_t st = sys_msg_call(d->svc[r].inbox, &m, HANDOUT_TIMEOUT_NS);
	if (st == STATUS_OK && (m.label != TOPO_POWER_CAP || !(m.flags & MSG_FLAG_CAP)))
		st = STATUS_BAD_FORMAT;
	if (st)
		return st;
	cap_handle_t power = m.cap;
	m = (struct keel_msg){ .label = TOPO_POWER, .len = 4 };
	memcpy(m.payload, &action, 4);
	st = sys_msg_call(power, &m, HANDOUT_TIMEOUT_NS);
	sys_cap_delete(power);
	return st ? st : STATUS_DEAD; /* an answer means it did not happen */
}

/* initd.power: once all services are up, power off or reset. */
static void power_tick(struct loop *loop, uint64_t now, void *ctx)
{
	struct initd *d = ctx;
	char what[8];
	loop_timer_id id;
	if (!d->all_up_reported) {
		loop_timer_add(loop, now + 10000000ull, power_tick, d, &id);
		return;
	}
	cmdline_get(d->start->cmdline, "initd.power", what, sizeof what);
	status_t st = devices_power(d, strcmp(what, "reset") ? TOPO_POWER_OFF : TOPO_POWER_RESET);
	keel_print(d->start->witness, "initd: power %s failed: %s\n", what, status_name(st));
}

status_t devices_power_arm(struct initd *d)
{
	char what[8];
	uint64_t now = 0;
	loop_timer_id id;
	if (cmdline_get(d->start->cmdline, "initd.power", what, sizeof what) != STATUS_OK)
		return STATUS_OK;
	if (strcmp(what, "off") && strcmp(what, "reset"))
		return STATUS_INVALID;
	sys_clock_read(&now);
	return loop_timer_add(&d->loop, now + 10000000ull, power_tick, d, &id);
}
