/*
 * svc.c - `svc [-q] [NAME]...`: every service initd supervises, with its
 * state, restarts, uptime, task and how its last run ended, and under it
 * its declared footprint (quotas, tier, ports, IRQs, MMIO, the services
 * it sends to, its directories). Names limit the table to those services;
 * -q leaves the footprints out.
 *
 * It asks initd's status protocol (services/initd/protocol.h:
 * INITD_STATUS and INITD_FOOTPRINT) through the launch capability, which
 * is a send capability to initd's inbox; initd answers those calls from
 * any sender.
 *
 * `svc stop NAME...`, `svc start NAME...` and `svc restart NAME...` send
 * INITD_CONTROL on the operator capability (launch name "operator"),
 * which the console shell holds and passes on to programs whose manifest
 * uses it; without it they fail with a message and status 1.
 */
#include "../toolbox.h"

#include <string.h>

#include "keel/launch.h"
#include "keel/loop.h"
#include "initd_call.h"
#include "keeltools.h"

#define SVC_MAX 128
#define CALL_TIMEOUT_NS 5000000000ull
/* A start or restart is answered once the service is up, which its start
 * allowance bounds (30 s unless its manifest says otherwise). */
#define CONTROL_TIMEOUT_NS 90000000000ull

static status_t status_of(cap_handle_t initd, uint32_t slot, struct initd_status *out)
{
	struct keel_msg m = { .label = INITD_STATUS, .len = 4 };
	memcpy(m.payload, &slot, 4);
	status_t st = initd_call(initd, &m, CALL_TIMEOUT_NS, INITD_STATUS_REPLY, out, sizeof *out);
	out->name[15] = 0;
	return st;
}

static status_t footprint_of(cap_handle_t initd, uint32_t slot, uint32_t item,
			     struct initd_footprint *out)
{
	struct keel_msg m = { .label = INITD_FOOTPRINT, .len = 8 };
	memcpy(m.payload, &slot, 4);
	memcpy(m.payload + 4, &item, 4);
	return initd_call(initd, &m, CALL_TIMEOUT_NS, INITD_FOOTPRINT_REPLY, out, sizeof *out);
}

/* Prints slot's footprint on one indented line. */
static status_t print_footprint(cap_handle_t initd, uint32_t slot)
{
	struct initd_footprint f;
	char text[96];
	status_t st = footprint_of(initd, slot, 0, &f);
	if (st)
		return st;
	svc_quotas(&f, text, sizeof text);
	printf("    %s", text);
	for (uint32_t i = 0; i < f.items; i++) {
		if (i && (st = footprint_of(initd, slot, i, &f)) != STATUS_OK)
			break;
		svc_item(&f, text, sizeof text);
		printf("; %s", text);
	}
	putchar('\n');
	return st;
}

/* True if name is among the operands (or there are none). */
static bool wanted(const char *name, char **names, int count)
{
	for (int i = 0; i < count; i++)
		if (!strcmp(names[i], name))
			return true;
	return count == 0;
}

/* Prints the table; returns the exit status. */
static int svc_list(const char *self, cap_handle_t initd, bool quiet, char **names, int count)
{
	static struct initd_status all[SVC_MAX];
	uint32_t n = 0;
	status_t st;
	char row[160];
	while (n < SVC_MAX && (st = status_of(initd, n, &all[n])) == STATUS_OK)
		n++;
	if (n < SVC_MAX && st != STATUS_NOT_FOUND) {
		msg(self, "initd does not answer: %s", status_message(st));
		return 1;
	}
	puts(svc_heading());
	int found = 0;
	for (uint32_t i = 0; i < n; i++) {
		uint16_t w = all[i].waits_for;
		if (!wanted(all[i].name, names, count))
			continue;
		found++;
		svc_row(&all[i],
			w == INITD_WAITS_FOR_NOBODY ? "a service nobody provides"
			: w && w <= n               ? all[w - 1].name
						    : NULL,
			row, sizeof row);
		puts(row);
		if (!quiet && (st = print_footprint(initd, i)) != STATUS_OK)
			msg(self, "%s: no footprint: %s", all[i].name, status_message(st));
	}
	if (found < count)
		msg(self, "%d of the services named are unknown", count - found);
	return found < count ? 1 : 0;
}

/* Sends verb for name to initd on the operator capability op; prints the
 * new state - for start and restart once the service is up or cannot come
 * up (initd answers then) - or why not. Returns 0 or 1. */
static int svc_control(const char *self, cap_handle_t op, uint32_t verb, const char *word,
		       const char *name)
{
	struct initd_control c = { .verb = verb };
	struct initd_status out;
	struct keel_msg m = { .label = INITD_CONTROL, .len = sizeof c };
	if (strlen(name) >= sizeof c.name) {
		msg(self, "%s %s: no such service", word, name);
		return 1;
	}
	memcpy(c.name, name, strlen(name));
	memcpy(m.payload, &c, sizeof c);
	status_t st = initd_call(op, &m, CONTROL_TIMEOUT_NS, INITD_CONTROL_REPLY, &out, sizeof out);
	if (st) {
		const char *why = svc_control_error(name, verb, st);
		msg(self, "%s %s: %s", word, name, why ? why : status_message(st));
		return 1;
	}
	printf("%s: %s (%u restarts)\n", name, initd_state_name(out.state), out.restarts);
	return 0;
}

/* svc stop|start|restart NAME...: each in turn; 1 if any failed. */
static int svc_verbs(const char *self, uint32_t verb, const char *word, char **names, int count)
{
	cap_handle_t op = launch_cap(keel_start_page(), INITD_OPERATOR_NAME);
	int bad = 0;
	if (op == CAP_HANDLE_NONE) {
		msg(self, "%s: no operator capability: this program may not stop or start services",
		    word);
		return 1;
	}
	if (count == 0) {
		msg(self, "%s: name a service", word);
		return 2;
	}
	for (int i = 0; i < count; i++)
		bad |= svc_control(self, op, verb, word, names[i]);
	return bad;
}

int tb_svc(int argc, char **argv)
{
	static const char usage[] = "[-q] [NAME]...  |  stop|start|restart NAME...";
	struct opt o;
	int c, count;
	bool quiet = false;
	opt_init(&o, argc, argv, "q", usage);
	while ((c = opt_next(&o)) != -1) {
		if (c != 'q')
			return 2;
		quiet = true;
	}
	char **names = opt_operands(&o, &count);
	uint32_t verb = count > 0 ? svc_verb(names[0]) : 0;
	if (verb)
		return svc_verbs(argv[0], verb, names[0], names + 1, count - 1);
	cap_handle_t initd = launch_cap(keel_start_page(), "launch");
	if (initd == CAP_HANDLE_NONE) {
		msg(argv[0], "no launch capability to reach initd");
		return 1;
	}
	return svc_list(argv[0], initd, quiet, names, count);
}
