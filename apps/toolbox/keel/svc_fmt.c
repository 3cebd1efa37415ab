/*
 * svc_fmt.c - svc's table in words (keeltools.h): the state names of
 * initd's status protocol (services/initd/protocol.h), durations, and the
 * declared footprint of a service.
 */
#include "keeltools.h"

#include <stdio.h>
#include <string.h>

#include "initd/supervise.h"

const char *svc_state_name(uint8_t state)
{
	switch (state) {
	case SV_STATE_STOPPED:
		return "stopped";
	case SV_STATE_STARTING:
		return "starting";
	case SV_STATE_UP:
		return "up";
	case SV_STATE_BACKOFF:
		return "backoff";
	case SV_STATE_QUARANTINED:
		return "quarantined";
	case INITD_STATE_WAITING:
		return "waiting";
	case INITD_STATE_BLOCKED:
		return "blocked";
	default:
		return "unknown";
	}
}

/* The word for how a service's last run ended. */
static const char *cause_name(uint8_t cause)
{
	static const char *const names[] = { [SV_CAUSE_NONE] = "-",
					     [SV_CAUSE_EXIT] = "exit",
					     [SV_CAUSE_FAULT] = "fault",
					     [SV_CAUSE_HANG] = "hang",
					     [SV_CAUSE_SPAWN] = "spawn" };
	return cause < sizeof names / sizeof names[0] ? names[cause] : "?";
}

void svc_duration(uint64_t ms, char *buf, size_t n)
{
	unsigned long long s = ms / 1000;
	if (s < 60)
		snprintf(buf, n, "%llus", s);
	else if (s < 3600)
		snprintf(buf, n, "%llum%02llus", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, n, "%lluh%02llum", s / 3600, s / 60 % 60);
	else
		snprintf(buf, n, "%llud%02lluh", s / 86400, s / 3600 % 24);
}

const char *svc_heading(void)
{
	return "NAME             STATE        RESTARTS  UPTIME    LAST-END";
}

void svc_row(const struct initd_status *st, const char *waits_name, char *buf, size_t n)
{
	char name[17], up[16] = "-";
	memcpy(name, st->name, 16);
	name[16] = 0;
	if (st->state == SV_STATE_UP)
		svc_duration(st->uptime_ms, up, sizeof up);
	int k = snprintf(buf, n, "%-16s %-12s %8u  %-8s  %s", name, svc_state_name(st->state),
			 st->restarts, up, cause_name(st->last_cause));
	if (waits_name && k >= 0 && (size_t)k < n)
		snprintf(buf + k, n - (size_t)k, "  (waits for %s)", waits_name);
}

void svc_item(const struct initd_footprint *f, char *buf, size_t n)
{
	unsigned long long first = (unsigned long long)f->first;
	unsigned long long count = (unsigned long long)f->count;
	char name[9];
	memcpy(name, f->name, 8);
	name[8] = 0;
	switch (f->kind) {
	case INITD_ITEM_PORTS:
		snprintf(buf, n, "ports 0x%llx-0x%llx", first, first + count - (count > 0));
		break;
	case INITD_ITEM_IRQ:
		snprintf(buf, n, "irq %llu", first);
		break;
	case INITD_ITEM_MMIO:
		snprintf(buf, n, "mmio 0x%llx, %llu bytes", first, count);
		break;
	case INITD_ITEM_SENDS:
		snprintf(buf, n, "sends %s", name);
		break;
	case INITD_ITEM_DIR:
		snprintf(buf, n, "dir /%s%s (%s%s%s%s)", name, count > 7 ? "..." : "",
			 first & 1 ? "r" : "-", first & 2 ? "w" : "-", first & 4 ? "c" : "-",
			 first & 8 ? "d" : "-");
		break;
	default:
		buf[0] = 0;
		break;
	}
}

void svc_quotas(const struct initd_footprint *f, char *buf, size_t n)
{
	snprintf(buf, n, "memory %u pages, %u objects, %u slots, tier %u", f->pages, f->objects,
		 f->slots, f->tier);
}
