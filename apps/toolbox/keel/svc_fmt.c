/*
 * svc_fmt.c - svc's table in words (keeltools.h): durations, rows with
 * the state and cause names of initd's status protocol
 * (services/initd/protocol.h), the declared footprint of a service, and
 * the words of svc stop/start/restart and their errors.
 */
#include "keeltools.h"

#include <stdio.h>
#include <string.h>

/* The word for how a service's last run ended ("-" if it has not). */
static const char *cause_name(uint8_t cause)
{
	return cause == INITD_CAUSE_NONE ? "-" : initd_cause_name(cause);
}

uint32_t svc_verb(const char *word)
{
	static const char *const words[] = {
		[INITD_VERB_STOP] = "stop", [INITD_VERB_START] = "start", [INITD_VERB_RESTART] = "restart"
	};
	for (uint32_t v = INITD_VERB_STOP; v <= INITD_VERB_RESTART; v++)
		if (!strcmp(word, words[v]))
			return v;
	return 0;
}

const char *svc_control_error(const char *name, uint32_t verb, status_t st)
{
	switch (st) {
	case STATUS_NO_RIGHTS:
		return "refused: not an operator capability";
	case STATUS_NOT_FOUND:
		return "no such service";
	case STATUS_BUSY:
		return verb == INITD_VERB_START ? "already running or about to start"
						: "initd is shutting down";
	case STATUS_INVALID:
		if (!strcmp(name, "initd"))
			return "initd supervises every service: it cannot be stopped";
		return verb == INITD_VERB_STOP
			       ? "refused: it holds the device roots, was refused at "
				 "boot, or is quarantined"
			       : "refused: it holds the device roots, or was refused "
				 "at boot";
	case STATUS_TIMEOUT:
		return "not up yet (svc shows how it is coming up)";
	default:
		return NULL;
	}
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
	if (st->state == INITD_STATE_UP)
		svc_duration(st->uptime_ms, up, sizeof up);
	int k = snprintf(buf, n, "%-16s %-12s %8u  %-8s  %s", name, initd_state_name(st->state),
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
